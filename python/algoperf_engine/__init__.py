"""algoperf_engine: the AlgoPerf scoring engine from Python.

Every number comes from the Rust engine: it renders the same CSV bytes the
``algoperf-engine`` command writes, and this module only reads them with
pandas. So ``score(...).time_to_targets`` equals ``time_to_targets.csv`` of a
CLI run, cell for cell.

    >>> import algoperf_engine as ae
    >>> r = ae.score(ae.ruleset("v05_external"), "logs/v05/external_tuning")
    >>> r.scores.sort_values(ascending=False).head(3)
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Union

import pandas as pd

from . import _engine
from ._engine import EngineError, SpecError

__all__ = [
    "EngineError",
    "SpecError",
    "EngineWarning",
    "ScoreResult",
    "Speedup",
    "SpecInfo",
    "score",
    "speedup",
    "explain",
    "heldout_sample",
    "check_spec",
    "ruleset",
    "rulesets_dir",
    "__version__",
]

__version__: str = _engine.__version__

PathLike = Union[str, "os.PathLike[str]"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def rulesets_dir() -> Path:
    """The folder of the ruleset specs shipped in the package (``rulesets/*.toml``)."""
    return _PACKAGE_DIR / "rulesets"


def ruleset(name: str) -> str:
    """Path of a shipped ruleset spec by name, e.g. ``"v05_external"``."""
    path = rulesets_dir() / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in rulesets_dir().glob("*.toml"))
        raise EngineError(f"no shipped ruleset `{name}` (there are: {', '.join(known)})")
    return str(path)


@dataclass(frozen=True)
class EngineWarning:
    """One warning of a scoring run: what is wrong (``summary``, the grouping
    key), where (``location``), and whether ``strict=True`` makes it fatal."""

    summary: str
    location: str
    strict_fatal: bool


def _csv(data: bytes, **kwargs: Any) -> pd.DataFrame:
    # keep_default_na off + na_values="": only an empty cell is NaN, as the
    # engine writes it; `inf` is parsed as infinity by pandas' float parser.
    frame: pd.DataFrame = pd.read_csv(
        io.BytesIO(data), keep_default_na=False, na_values=[""], **kwargs
    )
    return frame


@dataclass
class ScoreResult:
    """A scored leaderboard, as pandas objects in the reference's shapes."""

    files: Dict[str, bytes] = field(repr=False)
    """Every output file the CLI writes (name → bytes), the plots excepted."""
    warnings: List[EngineWarning] = field(repr=False)
    _json: str = field(repr=False)

    def __repr__(self) -> str:
        # A notebook cell shows this: sizes, not megabytes of CSV bytes.
        n = len(self.time_to_targets)
        return (
            f"<ScoreResult: {n} submissions, {len(self.time_to_targets.columns)} workloads, "
            f"{len(self.warnings)} warnings>"
        )

    @property
    def scores(self) -> pd.Series:
        """Benchmark score per submission (index ``submission``), ``scores.csv``."""
        return _csv(self.files["scores.csv"], index_col="submission")["score"]

    @property
    def time_to_targets(self) -> pd.DataFrame:
        """Submissions × workloads, seconds: ``inf`` = target missed, NaN = not run."""
        return _csv(self.files["time_to_targets.csv"], index_col="submission")

    @property
    def profile(self) -> pd.DataFrame:
        """Submissions × τ (float columns): ρ(τ), ``performance_profile_score.csv``."""
        df = _csv(self.files["performance_profile_score.csv"], index_col="submission")
        df.columns = pd.Index([float(c) for c in df.columns], name="tau")
        return df

    @property
    def summaries(self) -> Dict[str, pd.DataFrame]:
        """Per submission, its ``<submission>_summary.csv`` (one row per trial)."""
        suffix = "_summary.csv"
        return {
            name[: -len(suffix)]: _csv(data, index_col=0)
            for name, data in self.files.items()
            if name.endswith(suffix)
        }

    def to_json(self) -> str:
        """The ``--format json`` document (schema/leaderboard.schema.json)."""
        return self._json

    def write(self, folder: PathLike) -> None:
        """Writes the CSV files into ``folder`` (created if missing)."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (out / name).write_bytes(data)


def _names(x: Optional[Union[str, Iterable[str]]]) -> List[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [s for s in x.split(",") if s]
    return list(x)


def score(
    spec: PathLike,
    submissions: PathLike,
    *,
    source: str = "csv",
    include: Optional[Union[str, Iterable[str]]] = None,
    exclude: Optional[Union[str, Iterable[str]]] = None,
    strict: bool = False,
) -> ScoreResult:
    """Scores a submissions folder (one sub-folder per submission) under a
    ruleset spec. ``source`` is ``"csv"``, ``"logs"`` or ``"auto"`` as the
    CLI's ``--source``. Raises :class:`SpecError` for a bad spec and
    :class:`EngineError` for anything else the engine refuses."""
    files, doc, warnings = _engine.score_files(
        os.fspath(spec),
        os.fspath(submissions),
        source,
        _names(include),
        _names(exclude),
        strict,
    )
    return ScoreResult(
        files=dict(files),
        warnings=[EngineWarning(*w) for w in warnings],
        _json=doc,
    )


@dataclass(frozen=True)
class Speedup:
    """``comparison`` against ``base`` (SCORING.md §9)."""

    base: str
    comparison: str
    table: pd.DataFrame
    """Per base workload: base_time, comparison_time, base_missed, comparison_missed, ratio."""
    geomean: float
    """Geometric mean of the ratios (below 1 = faster)."""
    faster: float
    """``1 - geomean``: the fraction of time saved."""


def speedup(spec: PathLike, submissions: PathLike, base: str, comparison: str) -> Speedup:
    """Per-workload time ratios of ``comparison`` over ``base`` and their geometric mean."""
    doc = json.loads(
        _engine.speedup_json(os.fspath(spec), os.fspath(submissions), base, comparison)
    )
    table = pd.DataFrame(doc["workloads"]).set_index("workload")
    return Speedup(doc["base"], doc["comparison"], table, doc["geomean"], doc["faster"])


def explain(
    spec: PathLike,
    submissions: PathLike,
    submission: str,
    workload: str,
    *,
    source: str = "csv",
) -> str:
    """Why ``submission`` got what it got on ``workload`` (the ``explain`` command's text)."""
    return _engine.explain(os.fspath(spec), os.fspath(submissions), submission, workload, source)


def heldout_sample(spec: PathLike, seed: Optional[int] = None) -> List[str]:
    """The held-out variants drawn as numpy's ``default_rng(seed)`` draws them
    (``seed=None``: the spec's own seed)."""
    return _engine.heldout_sample(os.fspath(spec), seed)


@dataclass(frozen=True)
class SpecInfo:
    """A checked spec: its identity, workloads and targets."""

    path: str
    name: str
    version: str
    ruleset: str
    description: Optional[str]
    targets_path: str
    base: List[str]
    held_out: Dict[str, str]
    """Held-out variant → its base workload."""
    targets: Dict[str, Dict[str, Any]]
    """Workload → metric, column, goal, target, step_hint, budget."""


def check_spec(path: PathLike) -> SpecInfo:
    """Loads and checks a spec (and its targets file); raises
    :class:`SpecError` with ``file``, ``line``, ``column`` on a problem."""
    return SpecInfo(**json.loads(_engine.check_spec_json(os.fspath(path))))
