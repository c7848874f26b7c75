"""algoperf_engine: the AlgoPerf scoring engine from Python.

Every command of the ``algoperf-engine`` command line is a function here,
with the same options as keyword arguments and the same names in its
results as the command's ``--format json`` document. Every number comes from
the Rust engine (the same code the command line runs); this module only
turns results into pandas objects, built once per result and cached.

    >>> import algoperf_engine as ae
    >>> r = ae.score("v05_external", "logs/v05/external_tuning")
    >>> r.leaderboard.head(3)

Engine warnings are issued through :mod:`warnings` (category
:class:`EngineWarning`, one subclass per kind) and kept as data in
``result.warnings``.
"""

from __future__ import annotations

import json as _json
import os as _os
import warnings as _warnings
from dataclasses import dataclass as _dataclass
from functools import cached_property as _cached_property
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any
from typing import Dict as _Dict
from typing import Iterable as _Iterable
from typing import List as _List
from typing import Optional as _Optional
from typing import Union as _Union

from . import _engine
from ._engine import EngineError, SpecError

if _TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "EngineError",
    "SpecError",
    "EngineWarning",
    "RunWarning",
    "ScoreResult",
    "Curves",
    "Explanation",
    "Speedup",
    "Speedups",
    "Leaderboard",
    "StabilityResult",
    "Comparison",
    "CheckResult",
    "SpecInfo",
    "DerivedTargets",
    "score",
    "explain",
    "speedup",
    "leaderboard",
    "markdown",
    "stability",
    "compare",
    "check",
    "heldout_sample",
    "check_spec",
    "targets_derive",
    "html",
    "plot_profile",
    "plot_curves",
    "plot_ecdf",
    "schema",
    "ruleset",
    "rulesets_dir",
    "__version__",
]

__version__: str = _engine.__version__

PathLike = _Union[str, "_os.PathLike[str]"]
Names = _Optional[_Union[str, _Iterable[str]]]

_PACKAGE_DIR = _Path(__file__).resolve().parent


def __dir__() -> _List[str]:
    return sorted(__all__)


# --- specs by name ----------------------------------------------------------


def rulesets_dir() -> _Path:
    """The folder of the ruleset specs shipped in the package (``rulesets/*.toml``)."""
    return _PACKAGE_DIR / "rulesets"


def ruleset(name: str) -> str:
    """Path of a shipped ruleset spec by name, e.g. ``"v05_external"``."""
    path = rulesets_dir() / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in rulesets_dir().glob("*.toml"))
        raise EngineError(f"no shipped ruleset `{name}` (there are: {', '.join(known)})")
    return str(path)


def _spec(spec: PathLike) -> str:
    """A spec path, or a shipped ruleset's name (``"v05_external"``)."""
    text = _os.fspath(spec)
    if not text.endswith(".toml") and _os.sep not in text and not _os.path.exists(text):
        if (rulesets_dir() / f"{text}.toml").is_file():
            return ruleset(text)
    return text


def _path(p: _Optional[PathLike]) -> _Optional[str]:
    return None if p is None else _os.fspath(p)


def _names(x: Names) -> _List[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [s for s in x.split(",") if s]
    return list(x)


def _read(
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
    strict: bool = False,
    allow_empty: bool = False,
    max_file_size: _Optional[int] = None,
    threads: _Optional[int] = None,
) -> _Dict[str, _Any]:
    return {
        "source": source,
        "include": _names(include),
        "exclude": _names(exclude),
        "strict": strict,
        "allow_empty": allow_empty,
        "max_file_size": max_file_size,
        "threads": threads,
    }


def _input(submissions: _Optional[PathLike], load_results: _Optional[PathLike]) -> _Dict[str, _Any]:
    if submissions is None and load_results is None:
        raise EngineError("give `submissions` (a folder) or `load_results` (a results cache)")
    return {"submissions": _path(submissions), "load_results": _path(load_results)}


# --- warnings ---------------------------------------------------------------


class EngineWarning(UserWarning):
    """Base category of every engine warning; each kind has its subclass
    (``ae.TooFewStudiesWarning``, …: the code in CamelCase plus ``Warning``;
    the codes are the engine's one list, shared with ``check``'s findings)."""


_CATEGORIES: _Dict[str, type] = {}


def _category(kind: str) -> type:
    """The category of a warning code (``too-few-studies`` → ``TooFewStudiesWarning``)."""
    stem = "".join(part[:1].upper() + part[1:] for part in kind.split("-"))
    name = f"{stem}Warning"
    cls = _CATEGORIES.get(name)
    if cls is None:
        cls = type(name, (EngineWarning,), {"__module__": __name__})
        _CATEGORIES[name] = cls
    return cls


def __getattr__(name: str) -> type:
    # Warning categories exist per code: `ae.TooFewStudiesWarning`.
    if name.endswith("Warning") and name[:1].isupper() and name != "Warning":
        stem = name[: -len("Warning")]
        code = "".join(f"-{c.lower()}" if c.isupper() else c for c in stem).lstrip("-")
        return _category(code)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@_dataclass(frozen=True)
class RunWarning:
    """One warning of a run, as data: its ``kind`` (the warning's code, e.g.
    ``too-few-studies``; the category is ``TooFewStudiesWarning``),
    what is wrong (``summary``), where (``location``), and whether
    ``strict=True`` makes it fatal."""

    kind: str
    summary: str
    location: str
    strict_fatal: bool

    @property
    def category(self) -> type:
        return _category(self.kind)


def _warn(rows: _Iterable[tuple]) -> _List[RunWarning]:
    """The run's warnings as data; one ``warnings.warn`` per kind of problem
    (grouped by summary, as the CLI groups them), not one per place."""
    out = [RunWarning(*r) for r in rows]
    groups: _Dict[tuple, _List[RunWarning]] = {}
    for w in out:
        groups.setdefault((w.kind, w.summary), []).append(w)
    for (_, summary), ws in groups.items():
        where = ws[0].location if len(ws) == 1 else f"{len(ws)} places, first {ws[0].location}"
        _warnings.warn(f"{summary} ({where})", ws[0].category, stacklevel=3)
    return out


# --- pandas helpers ----------------------------------------------------------


def _pd() -> _Any:
    import pandas

    return pandas


def _num(x: _Any) -> float:
    """A document number: "inf"/"-inf" for ±∞, null for NaN."""
    if x is None:
        return float("nan")
    return float(x)


class _Result:
    """Common to every result: the document as a dict, and as the CLI prints it."""

    _doc_text: str

    @_cached_property
    def document(self) -> _Dict[str, _Any]:
        """The command's ``--format json`` document (schema: ``ae.schema(NAME)``)."""
        doc: _Dict[str, _Any] = _json.loads(self._doc_text)
        return doc

    def to_json(self) -> str:
        """The ``--format json`` document's text, as the CLI prints it."""
        return self._doc_text

    def to_dict(self) -> _Dict[str, _Any]:
        return _json.loads(self._doc_text)


class _Text(_Result):
    """A command's result: its text (``str()``), its document, its warnings."""

    def __init__(self, text: str, doc: str, warnings: _Optional[_List[RunWarning]] = None) -> None:
        self.text = text
        self._doc_text = doc
        self.warnings: _List[RunWarning] = warnings or []

    def __str__(self) -> str:
        return self.text


# --- score -------------------------------------------------------------------


class ScoreResult(_Result):
    """A scored leaderboard. DataFrames are built once, on first access."""

    def __init__(self, inner: _Any) -> None:
        self._inner = inner
        self.warnings: _List[RunWarning] = _warn(inner.warnings)

    @_cached_property
    def _doc_text(self) -> str:  # type: ignore[override]
        # The whole document (every matrix, every τ) is built only when asked.
        return str(self._inner.to_json())

    def __repr__(self) -> str:
        return (
            f"<ScoreResult: {len(self._inner.submissions)} submissions, "
            f"{len(self._inner.workloads)} workloads, {len(self.warnings)} warnings>"
        )

    def _repr_html_(self) -> str:
        frame = self.leaderboard
        return str(frame.to_html(float_format=lambda x: f"{x:.4f}"))

    @_cached_property
    def scores(self) -> "pd.Series":
        """Benchmark score per submission (index ``submission``), as ``scores.csv``."""
        pd = _pd()
        index = pd.Index(self._inner.submissions, name="submission")
        return pd.Series(self._inner.scores, index=index, name="score", dtype=float)

    @_cached_property
    def time_to_targets(self) -> "pd.DataFrame":
        """Submissions × workloads, seconds: ``inf`` = target missed, NaN = not run."""
        pd = _pd()
        index = pd.Index(self._inner.submissions, name="submission")
        columns = pd.Index(self._inner.workloads)
        return pd.DataFrame(self._inner.time_to_targets, index=index, columns=columns, dtype=float)

    @_cached_property
    def profile(self) -> "pd.DataFrame":
        """Submissions × τ (float columns): ρ(τ), as ``performance_profile_score.csv``."""
        pd = _pd()
        index = pd.Index(self._inner.submissions, name="submission")
        columns = pd.Index(self._inner.tau_axis, name="tau", dtype=float)
        return pd.DataFrame(self._inner.profile, index=index, columns=columns, dtype=float)

    @_cached_property
    def leaderboard(self) -> "pd.DataFrame":
        """The ranking: ``rank``, ``score``, ``solved`` (base workloads solved
        within the largest τ), index ``submission``, in rank order."""
        pd = _pd()
        rows = self.document["ranking"]
        frame = pd.DataFrame(
            {
                "rank": [r["rank"] for r in rows],
                "score": [_num(r["score"]) for r in rows],
                "solved": [r["solved"] for r in rows],
            },
            index=pd.Index([r["submission"] for r in rows], name="submission"),
        )
        return frame

    @_cached_property
    def files(self) -> _Dict[str, bytes]:
        """Every output file the CLI writes (name → bytes), the manifest excepted."""
        return dict(self._inner.files())

    @_cached_property
    def summaries(self) -> _Dict[str, "pd.DataFrame"]:
        """Per submission, its ``<submission>_summary.csv`` (one row per trial)."""
        import io

        pd = _pd()
        suffix = "_summary.csv"
        return {
            name[: -len(suffix)]: pd.read_csv(
                io.BytesIO(data), keep_default_na=False, na_values=[""], index_col=0,
                dtype={"study": str},
            )
            for name, data in self.files.items()
            if name.endswith(suffix)
        }

    def table(self) -> str:
        """The ranked table the CLI prints."""
        return str(self._inner.table())

    def html(self, path: _Optional[PathLike] = None, *, info_dir: _Optional[PathLike] = None,
             html_stability: _Optional[int] = None) -> _Optional[str]:
        """The leaderboard's HTML page: its text, or written to ``path``
        (whole or not at all, as ``--html``) when given."""
        if path is None:
            return str(self._inner.page(_path(info_dir), html_stability))
        self._inner.write_page(_os.fspath(path), _path(info_dir), html_stability)
        return None

    def plot_profile(self, ax: _Any = None) -> _Any:
        """ρ(τ) per submission with matplotlib (see :func:`plot_profile`)."""
        return plot_profile(self, ax=ax)

    @_cached_property
    def curves(self) -> "Curves":
        """The training curves and time-to-target ECDFs of a
        ``score(..., curves=True)`` run. Raises ``ValueError`` without."""
        if self._inner.curve_workloads is None:
            raise ValueError("no curves: score with curves=True")
        return Curves(self._inner)

    def plot_curves(self, workload: str, ax: _Any = None) -> _Any:
        """One workload's training curves with matplotlib (see :func:`plot_curves`)."""
        return plot_curves(self, workload, ax=ax)

    def plot_ecdf(self, workload: str, ax: _Any = None) -> _Any:
        """One workload's time-to-target ECDF with matplotlib (see :func:`plot_ecdf`)."""
        return plot_ecdf(self, workload, ax=ax)

    def write(self, folder: PathLike) -> None:
        """Writes the output folder as ``--output-dir`` does, through the
        engine's store: every file of this run or none, with its manifest,
        never into the submissions tree."""
        self._inner.write(_os.fspath(folder))


class Curves:
    """What ``--curves`` draws, as DataFrames (``score(..., curves=True)``):
    the points are the series the engine read (at most 400 evaluations per
    trial), the trials those it scored, the ECDF its steps."""

    def __init__(self, inner: _Any) -> None:
        self._inner = inner
        log_time, _ = inner.curve_workloads
        self.log_time: bool = bool(log_time)
        """Whether the engine draws time on a log axis (budgets span a decade)."""

    @_cached_property
    def workloads(self) -> "pd.DataFrame":
        """Per workload (index): ``metric``, ``goal`` (``minimize`` or
        ``maximize``), ``target``, ``budget`` (seconds; NaN for none)."""
        pd = _pd()
        _, rows = self._inner.curve_workloads
        frame = pd.DataFrame(rows, columns=["workload", "metric", "goal", "target", "budget"])
        return frame.set_index("workload")

    @_cached_property
    def trials(self) -> "pd.DataFrame":
        """One row per scored trial: ``workload``, ``submission``, ``rank``,
        ``study``, ``trial``, ``picked`` (the trial its study kept),
        ``time_to_target`` (seconds, ``inf`` when missed)."""
        pd = _pd()
        columns = ["workload", "submission", "rank", "study", "trial", "picked",
                   "time_to_target"]
        return pd.DataFrame(self._inner.curve_trials, columns=columns)

    @_cached_property
    def points(self) -> "pd.DataFrame":
        """One row per evaluation drawn: ``workload``, ``submission``,
        ``study``, ``trial``, ``picked``, ``time`` (seconds), ``value`` (the
        workload's metric)."""
        pd = _pd()
        columns = ["workload", "submission", "study", "trial", "picked", "time", "value"]
        return pd.DataFrame(self._inner.curve_points, columns=columns)

    @_cached_property
    def ecdf(self) -> "pd.DataFrame":
        """The time-to-target ECDF's steps: ``workload``, ``submission``,
        ``time``, ``fraction`` (of the submission's trials on the workload,
        over all studies, that had reached the target by then; missed
        trials never count, so the last step is below 1 by their share)."""
        pd = _pd()
        return pd.DataFrame(self._inner.curve_ecdf,
                            columns=["workload", "submission", "time", "fraction"])

    def __repr__(self) -> str:
        return f"<Curves: {len(self.workloads)} workloads, {len(self.trials)} trials>"


def score(
    spec: PathLike,
    submissions: _Optional[PathLike] = None,
    *,
    load_results: _Optional[PathLike] = None,
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
    strict: bool = False,
    allow_empty: bool = False,
    max_file_size: _Optional[int] = None,
    threads: _Optional[int] = None,
    output_dir: _Optional[PathLike] = None,
    html: _Optional[PathLike] = None,
    info_dir: _Optional[PathLike] = None,
    html_stability: _Optional[int] = None,
    save_results: _Optional[PathLike] = None,
    curves: bool = False,
) -> ScoreResult:
    """Scores a submissions folder (one sub-folder per submission) or a
    results cache under a ruleset spec (a path, or a shipped name such as
    ``"v05_external"``) — the main job of the command line, with its options
    as keyword arguments (``output_dir``, ``html``, ``save_results`` write
    as the CLI does; ``curves=True`` is ``--curves``: :attr:`ScoreResult.curves`,
    the curves on the page and their SVG files in ``output_dir``). Raises :class:`SpecError` for a bad spec and
    :class:`EngineError` for anything else the engine refuses."""
    src = _input(submissions, load_results)
    inner = _engine.score(
        _spec(spec), src["submissions"], src["load_results"],
        _read(source, include, exclude, strict, allow_empty, max_file_size, threads),
        _path(output_dir), _path(html), _path(info_dir), html_stability, _path(save_results),
        curves=curves,
    )
    return ScoreResult(inner)


# --- the other commands --------------------------------------------------------


class Explanation(_Text):
    """``explain``: why a submission got what it got on one workload.
    ``str()`` is the command's text; ``document`` its JSON."""

    def __repr__(self) -> str:
        d = self.document
        return f"<Explanation: {d['submission']} on {d['workload']}>"

    def __contains__(self, item: str) -> bool:
        return item in self.text


def explain(
    spec: PathLike,
    submissions: _Optional[PathLike],
    submission: str,
    workload: str,
    *,
    load_results: _Optional[PathLike] = None,
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
) -> Explanation:
    """Why ``submission`` got what it got on ``workload`` (the ``explain`` command)."""
    src = _input(submissions, load_results)
    text, doc = _engine.explain(
        _spec(spec), submission, workload, src["submissions"], src["load_results"],
        _read(source, include, exclude),
    )
    return Explanation(text, doc)


@_dataclass(frozen=True)
class Speedup:
    """One comparison against the base, with the CLI's JSON names."""

    base: str
    comparison: str
    table: "pd.DataFrame"
    """Per base workload: base_time, comparison_time, base_missed, comparison_missed, ratio."""
    skipped: _List[str]
    geomean_ratio: _Optional[float]
    """Geometric mean of the ratios (below 1 = faster)."""
    times_faster: _Optional[float]
    time_saved: _Optional[float]
    """``1 - geomean_ratio``: the fraction of time saved."""
    verdict: str


class Speedups(_Text):
    """``speedup``: every comparison against ``base``."""

    def __init__(self, text: str, doc: str, warnings: _List[RunWarning]) -> None:
        super().__init__(text, doc, warnings)
        d = self.document
        self.base: str = d["base"]
        self.comparisons: _Dict[str, Speedup] = {
            c["comparison"]: _speedup_of(self.base, c) for c in d["comparisons"]
        }

    def __getitem__(self, comparison: str) -> Speedup:
        return self.comparisons[comparison]

    @_cached_property
    def table(self) -> "pd.DataFrame":
        """One row per comparison: geomean_ratio, times_faster, time_saved, verdict."""
        pd = _pd()
        keys = ["geomean_ratio", "times_faster", "time_saved", "verdict"]
        return pd.DataFrame(
            [[getattr(s, k) for k in keys] for s in self.comparisons.values()],
            index=pd.Index(list(self.comparisons), name="comparison"),
            columns=keys,
        )


def _speedup_of(base: str, c: _Dict[str, _Any]) -> Speedup:
    pd = _pd()
    table = pd.DataFrame(c["workloads"]).set_index("workload") if c["workloads"] else pd.DataFrame()
    return Speedup(
        base, c["comparison"], table, list(c["skipped"]), c["geomean_ratio"],
        c["times_faster"], c["time_saved"], c["verdict"],
    )


def speedup(
    spec: PathLike,
    submissions: _Optional[PathLike],
    base: str,
    comparison: _Optional[str] = None,
    *,
    load_results: _Optional[PathLike] = None,
    source: str = "csv",
) -> _Union[Speedup, Speedups]:
    """Per-workload time ratios of ``comparison`` over ``base`` and their
    geometric mean: a :class:`Speedup`; with ``comparison=None``, every other
    submission against ``base``: :class:`Speedups`."""
    src = _input(submissions, load_results)
    text, doc, warnings = _engine.speedup(
        _spec(spec), base, comparison, src["submissions"], src["load_results"], _read(source),
    )
    all_ = Speedups(text, doc, _warn(warnings))
    if comparison is not None:
        return all_[comparison]
    return all_


class Leaderboard(_Text):
    """``leaderboard``: the ranked table (Markdown, ``str()``) with each
    submission's info."""

    @_cached_property
    def frame(self) -> "pd.DataFrame":
        pd = _pd()
        rows = self.document["leaderboard"]
        return pd.DataFrame(
            {
                "rank": [r["rank"] for r in rows],
                "score": [_num(r["score"]) for r in rows],
                "logs": [r["logs"] for r in rows],
                "name": [(r["info"] or {}).get("name") for r in rows],
            },
            index=pd.Index([r["submission"] for r in rows], name="submission"),
        )


def leaderboard(
    spec: PathLike,
    submissions: _Optional[PathLike] = None,
    *,
    load_results: _Optional[PathLike] = None,
    intervals: _Optional[int] = None,
    seed: int = 0,
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
) -> "pd.DataFrame":
    """The leaderboard as a DataFrame in rank order: ``rank``, ``score``,
    ``solved``; with ``intervals=N``, also each score's and rank's 95%
    interval and P(rank 1) from ``stability`` with N bootstrap resamples
    over studies (``score_low``, ``score_high``, ``rank_low``,
    ``rank_high``, ``p_rank_1``, ``tied_with_first``)."""
    r = score(spec, submissions, load_results=load_results, source=source,
              include=include, exclude=exclude)
    frame = r.leaderboard.copy()
    if intervals:
        s = stability(spec, submissions, load_results=load_results, resamples=intervals,
                      seed=seed, source=source, include=include, exclude=exclude)
        t = s.table
        for col in ["score_low", "score_high", "rank_low", "rank_high", "p_rank_1",
                    "tied_with_first"]:
            frame[col] = t.loc[frame.index, col]
    return frame


def markdown(
    spec: PathLike,
    submissions: _Optional[PathLike] = None,
    *,
    load_results: _Optional[PathLike] = None,
    info_dir: _Optional[PathLike] = None,
    source: str = "csv",
) -> Leaderboard:
    """The ``leaderboard`` command: the Markdown table (``str()``), its JSON
    document, and a DataFrame (``.frame``)."""
    src = _input(submissions, load_results)
    text, doc, warnings = _engine.leaderboard(
        _spec(spec), src["submissions"], src["load_results"], _read(source), _path(info_dir),
    )
    return Leaderboard(text, doc, _warn(warnings))


class StabilityResult(_Text):
    """``stability``: score and rank intervals, P(rank 1), P(A above B)."""

    @_cached_property
    def table(self) -> "pd.DataFrame":
        pd = _pd()
        rows = self.document["submissions"]
        return pd.DataFrame(
            {
                "rank": [r["rank"] for r in rows],
                "score": [_num(r["score"]) for r in rows],
                "score_low": [_num(r["score_interval"][0]) for r in rows],
                "score_high": [_num(r["score_interval"][1]) for r in rows],
                "rank_low": [r["rank_interval"][0] for r in rows],
                "rank_high": [r["rank_interval"][1] for r in rows],
                "p_rank_1": [r["p_rank_1"] for r in rows],
                "tied_with_first": [r["tied_with_first"] for r in rows],
            },
            index=pd.Index([r["submission"] for r in rows], name="submission"),
        )

    @_cached_property
    def p_above(self) -> "pd.DataFrame":
        """P(row above column) over the resamples."""
        pd = _pd()
        return pd.DataFrame(self.document["p_above"]).T


def stability(
    spec: PathLike,
    submissions: _Optional[PathLike] = None,
    *,
    load_results: _Optional[PathLike] = None,
    method: str = "bootstrap",
    over: str = "studies",
    resamples: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
    plot: _Optional[PathLike] = None,
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
    threads: _Optional[int] = None,
) -> StabilityResult:
    """How sure the ranking is (the ``stability`` command)."""
    src = _input(submissions, load_results)
    text, doc, warnings = _engine.stability(
        _spec(spec), src["submissions"], src["load_results"],
        _read(source, include, exclude, threads=threads),
        method, over, resamples, seed, level, _path(plot),
    )
    return StabilityResult(text, doc, _warn(warnings))


class Comparison(_Text):
    """``compare``: two leaderboards side by side."""

    @_cached_property
    def cells(self) -> "pd.DataFrame":
        """Every (submission, workload) whose time or ratio differs."""
        pd = _pd()
        rows = self.document["cells"]
        return pd.DataFrame(
            {
                "submission": [c["submission"] for c in rows],
                "workload": [c["workload"] for c in rows],
                "time_a": [_num(c["time"][0]) for c in rows],
                "time_b": [_num(c["time"][1]) for c in rows],
                "ratio_a": [_num(c["ratio"][0]) for c in rows],
                "ratio_b": [_num(c["ratio"][1]) for c in rows],
                "first_difference": [c["first_difference"] for c in rows],
            }
        )


def compare(
    spec: PathLike,
    submissions: PathLike,
    *,
    spec_b: _Optional[PathLike] = None,
    submissions_b: _Optional[PathLike] = None,
    source: str = "csv",
    include: Names = None,
    exclude: Names = None,
) -> Comparison:
    """Two leaderboards side by side: two specs on one tree, or one spec on two trees."""
    text, doc, warnings = _engine.compare(
        _spec(spec), _os.fspath(submissions), None if spec_b is None else _spec(spec_b),
        _path(submissions_b), _read(source, include, exclude),
    )
    return Comparison(text, doc, _warn(warnings))


class CheckResult(_Text):
    """``check``: every finding, with file, line, severity and code."""

    def __init__(self, text: str, doc: str, github: str, fails: bool, fails_strict: bool) -> None:
        super().__init__(text, doc)
        self.github = github
        self.ok = not fails
        self.ok_without_warnings = not fails_strict

    def __bool__(self) -> bool:
        return self.ok

    @_cached_property
    def findings(self) -> "pd.DataFrame":
        pd = _pd()
        return pd.DataFrame(
            self.document["findings"], columns=["code", "severity", "file", "line", "message"]
        )


def check(
    spec: PathLike,
    paths: _Union[PathLike, _Iterable[PathLike]],
    *,
    source: str = "csv",
    info_dir: _Optional[PathLike] = None,
    require_info: bool = False,
) -> CheckResult:
    """Checks submission folders against a spec without scoring (the ``check`` command)."""
    if isinstance(paths, (str, _os.PathLike)):
        paths = [paths]
    return CheckResult(*_engine.check(
        _spec(spec), [_os.fspath(p) for p in paths], source, _path(info_dir), require_info,
    ))


def heldout_sample(spec: PathLike, seed: _Optional[int] = None) -> _List[str]:
    """The held-out variants drawn as numpy's ``default_rng(seed)`` draws them
    (``seed=None``: the spec's own seed)."""
    doc = _json.loads(_engine.heldout_sample(_spec(spec), seed))
    return [g["drawn"] for g in doc["held_out"]]


class DerivedTargets(_Text):
    """``targets derive``: per workload the validation and test targets and
    the budget set from target-setting runs, the algorithm and runs that set
    them (``str()`` is the report; ``document`` has every run and candidate)."""

    @_cached_property
    def frame(self) -> "pd.DataFrame":
        """One row per workload: algorithm, metric, goal, validation_target,
        test_target, budget, runtime, step_hint."""
        pd = _pd()
        keys = ["algorithm", "metric", "goal", "validation_target", "test_target",
                "budget", "runtime", "step_hint"]
        rows = self.document["workloads"]
        return pd.DataFrame(
            [[w[k] for k in keys] for w in rows],
            index=pd.Index([w["workload"] for w in rows], name="workload"),
            columns=keys,
        )

    @property
    def written(self) -> _List[str]:
        """The files written, in the order written."""
        return list(self.document["written"])


def targets_derive(
    spec: PathLike,
    submissions: PathLike,
    *,
    toml: _Optional[PathLike] = None,
    json: _Optional[PathLike] = None,
    budgets_json: _Optional[PathLike] = None,
    include: Names = None,
    exclude: Names = None,
    strict: bool = False,
) -> DerivedTargets:
    """Targets and budgets from target-setting runs (one folder per
    algorithm, one study per run) with the spec's ``[target_setting]``;
    writes the engine's TOML targets file (``toml``), the upstream
    ``workload_targets*.json`` (``json``) and ``max_runtimes.json``
    (``budgets_json``) forms when asked (docs/targets.md)."""
    text, doc, warnings = _engine.targets_derive(
        _spec(spec), _os.fspath(submissions), _path(toml), _path(json), _path(budgets_json),
        _read("csv", include, exclude, strict),
    )
    return DerivedTargets(text, doc, _warn(warnings))


class SpecInfo(_Text):
    """A checked spec: ``spec explain``'s document, its keys as attributes
    (``name``, ``version``, ``ruleset``, ``workloads``, ``formulas``, …),
    plus ``base`` and ``held_out`` (variant → base)."""

    def __getattr__(self, name: str) -> _Any:
        if name.startswith("_"):
            raise AttributeError(name)
        doc = self.document
        if name in doc:
            return doc[name]
        raise AttributeError(f"SpecInfo has no {name!r} (keys: {', '.join(sorted(doc))})")

    @property
    def path(self) -> str:
        """The spec file."""
        return str(self.document["spec"])

    @property
    def targets_path(self) -> str:
        """Its targets file."""
        return str(self.document["targets"])

    @property
    def base(self) -> _List[str]:
        return [w["workload"] for w in self.document["workloads"] if w["base_of"] is None]

    @property
    def held_out(self) -> _Dict[str, str]:
        return {w["workload"]: w["base_of"] for w in self.document["workloads"]
                if w["base_of"] is not None}

    @property
    def targets(self) -> _Dict[str, _Dict[str, _Any]]:
        """Workload → its entry of ``workloads`` (metric, column, goal,
        target, budget, …)."""
        return {w["workload"]: w for w in self.document["workloads"]}


def check_spec(path: PathLike) -> SpecInfo:
    """Loads and checks a spec (and its targets file); raises
    :class:`SpecError` with ``file``, ``line``, ``column`` on a problem."""
    return SpecInfo(*_engine.check_spec(_spec(path)))


def html(
    spec: PathLike,
    submissions: _Optional[PathLike] = None,
    path: _Optional[PathLike] = None,
    *,
    load_results: _Optional[PathLike] = None,
    info_dir: _Optional[PathLike] = None,
    html_stability: _Optional[int] = None,
    source: str = "csv",
) -> _Optional[str]:
    """The leaderboard's HTML page: returned as text, or written to ``path``
    (whole or not at all, as ``--html``)."""
    if path is not None:
        score(spec, submissions, load_results=load_results, source=source, html=path,
              info_dir=info_dir, html_stability=html_stability)
        return None
    r = score(spec, submissions, load_results=load_results, source=source)
    return r.html(info_dir=info_dir, html_stability=html_stability)


def schema(name: str) -> _Dict[str, _Any]:
    """The JSON Schema of a command's document (``"leaderboard"``, ``"speedup"``, …)."""
    doc: _Dict[str, _Any] = _json.loads(_engine.schema(name))
    return doc


# Okabe-Ito (colour-blind safe) × four dash patterns: 32 distinct lines.
_COLOURS = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
            "#CC79A7"]
_DASHES = ["-", "--", "-.", ":"]


def _style(i: int) -> _Dict[str, str]:
    """The ``i``-th submission's line (rank order): colours cycle every 8,
    dashes every 8 colours, so the first 32 lines all differ."""
    return {"color": _COLOURS[i % len(_COLOURS)],
            "linestyle": _DASHES[(i // len(_COLOURS)) % len(_DASHES)]}


def plot_profile(result: ScoreResult, ax: _Any = None) -> _Any:
    """ρ(τ) of every submission with matplotlib, legend in rank order; every
    line differs from the others by colour or dash pattern (up to 32)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    profile = result.profile
    order = list(result.leaderboard.index)
    for i, name in enumerate(order):
        ax.plot(profile.columns, profile.loc[name], label=name, **_style(i))
    ax.set_xlabel("τ")
    ax.set_ylabel("ρ(τ)")
    ax.legend(fontsize="small")
    return ax


def _workload_curves(result: ScoreResult, workload: str) -> _Any:
    curves = result.curves
    if workload not in curves.workloads.index:
        known = ", ".join(curves.workloads.index)
        raise ValueError(f"no curves for workload {workload!r} (there are: {known})")
    return curves, curves.workloads.loc[workload]


def plot_curves(result: ScoreResult, workload: str, ax: _Any = None) -> _Any:
    """One workload's training curves with matplotlib, from a
    ``score(..., curves=True)`` result: the metric against time of every
    scored trial, the trial each study picked bold and the others light,
    the target as a horizontal line and the budget as a vertical one; lines
    styled as in :func:`plot_profile` (colour × dash by rank), legend in
    rank order; log time when the engine draws it so."""
    import matplotlib.pyplot as plt

    curves, info = _workload_curves(result, workload)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    order = list(result.leaderboard.index)
    points = curves.points[curves.points["workload"] == workload]
    for name, sub in points.groupby("submission", sort=False):
        style = _style(order.index(name))
        labelled = False
        for (_, _, picked), trial in sub.groupby(["study", "trial", "picked"], sort=False):
            label = name if picked and not labelled else None
            labelled = labelled or label is not None
            ax.plot(trial["time"], trial["value"], label=label,
                    linewidth=2.0 if picked else 0.8, alpha=1.0 if picked else 0.3, **style)
    if info["target"] == info["target"]:
        ax.axhline(info["target"], color="#555555", linewidth=1, label="target")
    if info["budget"] == info["budget"]:
        ax.axvline(info["budget"], color="#555555", linewidth=1, linestyle=":", label="budget")
    if curves.log_time:
        ax.set_xscale("log")
    ax.set_title(workload)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(str(info["metric"]))
    _legend_by_rank(ax, order)
    return ax


def plot_ecdf(result: ScoreResult, workload: str, ax: _Any = None) -> _Any:
    """One workload's time-to-target ECDF with matplotlib: per submission,
    the fraction of its trials (all studies) that had reached the target by
    each time, as steps; missed trials never count. Styled as
    :func:`plot_profile`; the budget as a vertical line."""
    import matplotlib.pyplot as plt

    curves, info = _workload_curves(result, workload)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    order = list(result.leaderboard.index)
    steps = curves.ecdf[curves.ecdf["workload"] == workload]
    for name, sub in steps.groupby("submission", sort=False):
        start = float(sub["time"].iloc[0]) if curves.log_time else 0.0
        ax.step([start] + list(sub["time"]), [0.0] + list(sub["fraction"]), where="post",
                label=name, **_style(order.index(name)))
    if info["budget"] == info["budget"]:
        ax.axvline(info["budget"], color="#555555", linewidth=1, linestyle=":", label="budget")
    if curves.log_time:
        ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"{workload}: time to target")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("fraction of trials reached")
    _legend_by_rank(ax, order)
    return ax


def _legend_by_rank(ax: _Any, order: _List[str]) -> None:
    """The legend with the submissions in rank order, then the rest."""
    handles, labels = ax.get_legend_handles_labels()
    rank = {name: i for i, name in enumerate(order)}
    pairs = sorted(zip(handles, labels), key=lambda p: rank.get(p[1], len(order)))
    ax.legend([h for h, _ in pairs], [lab for _, lab in pairs], fontsize="small")
