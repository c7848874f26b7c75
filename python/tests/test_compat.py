"""The drop-in for the reference command, and the errors the API raises."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import algoperf_engine as ae
from algoperf_engine import score_submissions as compat
from conftest import run_python
from test_api import PUBLISHED_V05

GOLDEN_FILES = [
    "scores.csv",
    "time_to_targets.csv",
    "performance_profile_score.csv",
] + [f"{s}_summary.csv" for s in sorted(PUBLISHED_V05)]


def _reference_e2e(out: Path, data: Path, v05_logs: Path, *extra: str):
    """The reference's own end-to-end invocation (its test_score_submissions.py)."""
    return run_python(
        "algoperf_engine.score_submissions",
        "--workload_targets", str(data / "targets/workload_targets_v05.json"),
        "--submission_directory", str(v05_logs),
        "--compute_performance_profiles",
        "--output_dir", str(out),
        *extra,
    )


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def test_reference_end_to_end_writes_every_file_the_reference_writes(tmp_path, data, v05_logs):
    """The public repository's own end-to-end test, run with this package:
    the same file names (no more, no fewer: plain files, no link), and
    every CSV equal to the reference's output value by value."""
    out = tmp_path / "scoring_results"
    p = _reference_e2e(out, data, v05_logs)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    expected = set(GOLDEN_FILES)
    if _has_matplotlib():
        expected.add("performance_profile_by_score.pdf")
    else:
        assert "matplotlib is not installed" in p.stderr
    written = {f.name for f in out.iterdir()}
    assert written == expected
    assert all(f.is_file() and not f.is_symlink() for f in out.iterdir())
    assert f"wrote {len(expected)} files to {out}" in p.stderr
    if _has_matplotlib():
        assert (out / "performance_profile_by_score.pdf").read_bytes().startswith(b"%PDF")
    scores = pd.read_csv(out / "scores.csv", index_col="submission")["score"]
    assert {k: round(v, 4) for k, v in scores.items()} == PUBLISHED_V05
    golden_dir = data / "golden/v05_external/compatible"
    for name in GOLDEN_FILES:
        mine = pd.read_csv(out / name, index_col=0)
        golden = pd.read_csv(golden_dir / name, index_col=0)
        if name.endswith("_summary.csv"):
            # The engine's summaries add a trailing `study` column, and list
            # rows by name where the reference follows directory listing
            # order: compare the rows as a multiset. The best value and its
            # time differ on purpose for trials with NaN evaluations
            # (docs/SCORING.md §7; tests/it/parity_v05.rs checks them by the rule).
            nan_dependent = {"best metric value on val", "time to best eval on val (s)"}
            cols = [c for c in golden.columns if c not in nan_dependent]
            assert list(mine.columns) == list(golden.columns) + ["study"]
            mine = mine[cols].sort_values(cols).reset_index(drop=True)
            golden = golden[cols].sort_values(cols).reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, golden, rtol=1e-12)
            continue
        golden = golden.loc[mine.index]
        pd.testing.assert_frame_equal(mine, golden, check_exact=False, rtol=1e-12)


def test_the_results_pickle_is_the_references_and_loads_back(tmp_path, data, v05_logs):
    """--save_results_to_filename writes what the reference's loader and
    compute_speedups.py read: pickle.load gives a dict of DataFrames, one row
    a trial, with the reference's columns; loading it scores the same."""
    import pickle

    import numpy as np

    out = tmp_path / "out"
    p = _reference_e2e(out, data, v05_logs, "--save_results_to_filename", "results.pkl")
    assert p.returncode == 0, p.stderr
    with open(out / "results.pkl", "rb") as f:
        results = pickle.load(f)
    assert set(results) == set(PUBLISHED_V05)
    trials = sum(1 for _ in v05_logs.glob("*/*/*/trial_*/eval_measurements.csv"))
    assert sum(len(df) for df in results.values()) == trials
    base = results["baseline"]
    assert list(base.columns[:3]) == ["workload", "trial", "study"]
    row = base.iloc[0]
    assert isinstance(row["trial"], tuple) and row["trial"][0].startswith("trial_")
    assert isinstance(row["score"], np.ndarray)
    assert row["workload"].endswith(("_jax", "_pytorch"))
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(out / "results.pkl", again / "results.pkl")
    p = run_python("algoperf_engine.score_submissions",
                   "--workload_targets", str(data / "targets/workload_targets_v05.json"),
                   "--load_results_from_filename", "results.pkl", "--output_dir", str(again),
                   "--compute_performance_profiles")
    assert p.returncode == 0, p.stderr
    for name in ("scores.csv", "time_to_targets.csv", "performance_profile_score.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    assert not list(again.glob("*_summary.csv"))


def test_include_submissions_scores_only_those(tmp_path, data, v05_logs):
    out = tmp_path / "out"
    p = _reference_e2e(out, data, v05_logs,
                       "--include_submissions", "baseline,amos,nadamp,not_there",
                       "--exclude_submissions", "nadamp")
    assert p.returncode == 0, p.stderr
    scores = pd.read_csv(out / "scores.csv", index_col="submission")["score"]
    assert set(scores.index) == {"baseline", "amos"}
    assert {f.name for f in out.glob("*_summary.csv")} == {"baseline_summary.csv", "amos_summary.csv"}


def test_default_targets_stop_on_a_workload_the_logs_lack(tmp_path, v05_logs):
    """Without --workload_targets the reference uses the latest targets,
    whose finewebedu_lm is not in the v0.5 logs: it stops, and so does the
    drop-in, naming the workload (no quietly smaller leaderboard)."""
    out = tmp_path / "out"
    p = run_python("algoperf_engine.score_submissions", "--submission_directory", str(v05_logs),
                   "--compute_performance_profiles", "--output_dir", str(out))
    assert p.returncode == 1
    assert "workload `finewebedu_lm`" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr
    assert not (out / "scores.csv").exists()


def test_help_into_a_closed_pipe_ends_quietly():
    p = subprocess.run(
        f"{sys.executable} -m algoperf_engine.score_submissions --help | head -1",
        shell=True, capture_output=True, text=True, check=False,
    )
    assert p.returncode == 0
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr, p.stderr


def test_target_relaxations_relax_as_the_reference_does(tmp_path, data, v05_logs):
    """Relaxed targets are reached sooner: no time grows, some shrink; a
    bad selector is an error naming it."""
    plain, relaxed = tmp_path / "plain", tmp_path / "relaxed"
    for out, extra in [(plain, []), (relaxed, ["--target_relaxations", "all=0.2"])]:
        p = _reference_e2e(out, data, v05_logs, *extra)
        assert p.returncode == 0, p.stderr
    a = pd.read_csv(plain / "time_to_targets.csv", index_col=0)
    b = pd.read_csv(relaxed / "time_to_targets.csv", index_col=0)
    assert ((b <= a) | (a.isna() & b.isna())).all().all()
    assert (b < a).to_numpy().sum() > 0
    p = _reference_e2e(tmp_path / "bad", data, v05_logs, "--target_relaxations", "imagenet_resnt=0.1")
    assert p.returncode != 0
    assert "unknown selector `imagenet_resnt`" in p.stderr, p.stderr


def test_compat_subcommand_of_the_console_script(tmp_path, data, v05_logs):
    exe = shutil.which("algoperf-engine")
    if exe is None:
        pytest.skip("algoperf-engine console script not on PATH")
    out = tmp_path / "out"
    p = subprocess.run(
        [exe, "compat", "--workload_targets=" + str(data / "targets/workload_targets_v05.json"),
         "--submission_directory=" + str(v05_logs), "--output_dir=" + str(out),
         "--exclude_submissions", "amos,baseline", "--nostrict",
         "--compute_performance_profiles=true"],
        capture_output=True, text=True, check=False,
    )
    assert p.returncode == 0, p.stderr
    scores = pd.read_csv(out / "scores.csv", index_col="submission")["score"]
    assert set(scores.index) == set(PUBLISHED_V05) - {"amos", "baseline"}


def test_console_script_runs_the_engine_cli():
    exe = shutil.which("algoperf-engine")
    if exe is None:
        pytest.skip("algoperf-engine console script not on PATH")
    p = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert p.returncode == 0 and p.stdout.startswith("algoperf-engine ")
    p = subprocess.run([exe, "heldout", "sample", "--spec", ae.ruleset("v05_external")],
                       capture_output=True, text=True, check=False)
    assert p.returncode == 0 and p.stdout.split() == ae.heldout_sample(ae.ruleset("v05_external"))


def test_without_profiles_only_the_summaries_are_written(tmp_path, data, v05_logs, v05_cli_out):
    """As the reference: scores and profiles need --compute_performance_profiles."""
    out = tmp_path / "out"
    p = run_python("algoperf_engine.score_submissions",
                   "--workload_targets", str(data / "targets/workload_targets_v05.json"),
                   "--submission_directory", str(v05_logs), "--output_dir", str(out))
    assert p.returncode == 0, p.stderr
    assert "algoperf-compat-" not in p.stderr and f"wrote 11 files to {out}" in p.stderr
    written = sorted(f.name for f in out.iterdir())
    assert written == sorted(f"{s}_summary.csv" for s in PUBLISHED_V05)
    for name in written:
        assert (out / name).read_bytes() == (v05_cli_out / name).read_bytes(), name


def test_unknown_reference_flag_is_an_error_naming_it(tmp_path):
    p = run_python("algoperf_engine.score_submissions", "--submission_directory", str(tmp_path),
                   "--num_points", "50")
    assert p.returncode == 2
    assert "unknown flag --num_points" in p.stderr


def test_flags_follow_absl_syntax():
    f = compat.parse_flags(["--strict", "True", "--output_dir=o", "--noself_tuning_ruleset",
                            "--compute_performance_profiles=false"])
    assert f["strict"] is True and f["output_dir"] == "o"
    assert f["self_tuning_ruleset"] is False and f["compute_performance_profiles"] is False
    with pytest.raises(compat.UsageError, match="--strict: `maybe` is not a boolean"):
        compat.parse_flags(["--strict=maybe"])
    with pytest.raises(compat.UsageError, match="--output_dir needs a value"):
        compat.parse_flags(["--output_dir"])
    with pytest.raises(compat.UsageError, match="unexpected argument `stray`"):
        compat.parse_flags(["stray"])


def test_version_is_chosen_from_the_targets_file(data):
    v05 = str(data / "targets/workload_targets_v05.json")
    latest = str(data / "targets/workload_targets_latest.json")
    assert Path(compat.choose_spec(v05, False).path).name == "v05_external.toml"
    assert Path(compat.choose_spec(v05, True).path).name == "v05_self.toml"
    assert Path(compat.choose_spec(latest, False).path).name == "latest_external.toml"
    assert Path(compat.choose_spec(None, True).path).name == "latest_self.toml"


def test_a_changed_target_is_an_error_not_ignored(tmp_path, data):
    doc = json.loads((data / "targets/workload_targets_v05.json").read_text())
    doc["workloads"]["ogbg"]["validation_target_value"] = 0.5
    changed = tmp_path / "targets.json"
    changed.write_text(json.dumps(doc))
    with pytest.raises(compat.UsageError, match="workload `ogbg` target"):
        compat.choose_spec(str(changed), False)
    doc["base_workloads"].append("mnist")
    changed.write_text(json.dumps(doc))
    with pytest.raises(compat.UsageError, match="no shipped external-tuning ruleset"):
        compat.choose_spec(str(changed), False)


def test_bad_spec_raises_spec_error_with_position(tmp_path):
    text = Path(ae.ruleset("v05_external")).read_text()
    targets = ae.rulesets_dir().parent / "targets" / "algoperf_v05.toml"
    text = text.replace('"../targets/algoperf_v05.toml"', json.dumps(str(targets)))
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('workload = "median(studies)"', 'workload = "medain(studies)"'))
    with pytest.raises(ae.SpecError) as info:
        ae.check_spec(bad)
    e = info.value
    assert isinstance(e, ae.EngineError)
    assert e.file == str(bad)
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if "medain" in s)
    assert e.line == line and e.column > 0
    assert "medain" in str(e) or "median" in str(e)
    with pytest.raises(ae.SpecError):
        ae.score(bad, tmp_path)


def test_missing_spec_and_missing_submissions(tmp_path, v05_spec):
    with pytest.raises(ae.SpecError) as info:
        ae.check_spec(tmp_path / "nope.toml")
    assert info.value.line == 0
    with pytest.raises(ae.EngineError, match="submissions folder does not exist") as info:
        ae.score(v05_spec, tmp_path / "absent")
    assert not isinstance(info.value, ae.SpecError)
    with pytest.raises(ae.EngineError, match="source `xml`"):
        ae.score(v05_spec, tmp_path, source="xml")
    with pytest.raises(ae.EngineError, match="no shipped ruleset `v99`"):
        ae.ruleset("v99")


def test_the_drop_in_never_writes_into_the_submissions_tree(tmp_path, data, v05_logs):
    """The drop-in writes through the engine's write guard, as `compat` in
    the binary does: an output folder inside the logs is refused, nothing
    written."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for sub in v05_logs.iterdir():
        (tree / sub.name).symlink_to(sub)
    p = _reference_e2e(tree / "out", data, tree)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert not (tree / "out").exists()
