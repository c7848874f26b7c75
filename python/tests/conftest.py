"""Shared fixtures: the real AlgoPerf data (../shared/algoperf relative to the
repository root, or $ALGOPERF_DATA) and one CLI run on the v0.5 logs.

Without the data the tests that need it are skipped, except under CI, where
they fail: the parity tests must never be skipped silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    env = os.environ.get("ALGOPERF_DATA")
    return Path(env) if env else REPO.parent / "shared" / "algoperf"


@pytest.fixture(scope="session")
def data() -> Path:
    d = data_dir()
    if not (d / "logs" / "v05" / "external_tuning").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"AlgoPerf data not found at {d} (CI must not skip the parity tests)")
        pytest.skip(f"AlgoPerf data not found at {d}")
    return d


@pytest.fixture(scope="session")
def v05_logs(data: Path) -> Path:
    return data / "logs" / "v05" / "external_tuning"


@pytest.fixture(scope="session")
def v05_spec() -> str:
    import algoperf_engine as ae

    return ae.ruleset("v05_external")


@pytest.fixture(scope="session")
def v05_result(v05_spec, v05_logs):
    import algoperf_engine as ae

    return ae.score(v05_spec, v05_logs)


def run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Runs `python -m …` in a child process, output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.fixture(scope="session")
def v05_cli_out(tmp_path_factory, v05_spec, v05_logs) -> Path:
    """The engine's command line (through the installed package) on v0.5."""
    out = tmp_path_factory.mktemp("cli") / "out"
    p = run_python(
        "algoperf_engine", "--spec", v05_spec, "--submissions", str(v05_logs),
        "--output-dir", str(out),
    )
    assert p.returncode == 0, p.stderr
    return out
