"""Drop-in for the reference scoring command (``scoring/score_submissions.py``
of ``mlcommons/submissions_algorithms``).

    python -m algoperf_engine.score_submissions \\
        --workload_targets workload_targets_v05.json \\
        --submission_directory previous_leaderboards/algoperf_v05/logs/external_tuning \\
        --compute_performance_profiles --output_dir scoring_results

(also ``algoperf-engine compat …``). It writes the files the reference
writes, under the same names, into ``--output_dir``:

* ``<submission>_summary.csv`` for every scored submission (not when the
  results are loaded with ``--load_results_from_filename``);
* with ``--compute_performance_profiles``: ``scores.csv``,
  ``time_to_targets.csv``, ``performance_profile_score.csv`` and
  ``performance_profile_by_score.pdf`` (the PDF needs matplotlib; without
  it the drop-in says so and writes the rest);
* with ``--save_results_to_filename NAME``: a pickle of the reference's
  results (a dict of one pandas DataFrame a submission, one row a trial, as
  the reference's ``get_experiment_df`` makes it), which the reference's
  loader and its ``compute_speedups.py`` read.

Flags (the reference's, with its defaults):

--submission_directory DIR      one sub-folder per submission
--workload_targets FILE         a ``workload_targets*.json``; it picks the
                                shipped ruleset whose base and held-out
                                workloads are the file's (every target of the
                                file must be the ruleset's). Default: the
                                latest targets, as the reference's
                                ``workload_targets.json``
--output_dir DIR                default ``scoring_results``
--compute_performance_profiles  scores and profiles, not only summaries
--strict                        count mismatches are errors
--self_tuning_ruleset           the ``*_self`` ruleset
--include_submissions A,B       only these submission folders
--exclude_submissions A,B       leave these out
--save_results_to_filename F    write the results pickle (in --output_dir)
--load_results_from_filename F  score a results pickle (in --output_dir)
                                instead of a submission directory; a pickle
                                runs code when loaded: load only your own
--target_relaxations SPEC       relax targets: all=0.05,imagenet_resnet=0.10 (fractions in [0, 1))

As the reference: a workload in the logs with no target in the targets
file is an error naming it, and so, with --compute_performance_profiles, is
a base or held-out workload of the targets file that no submission ran.

Flags follow absl's syntax: ``--flag=value``, ``--flag value``, booleans as
``--flag``, ``--noflag``, ``--flag=true|false``. An unknown flag is an error
naming it.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple, Union

from . import EngineError, SpecInfo, _engine, check_spec, rulesets_dir

#: The reference's string flags and their defaults.
STRING_FLAGS: Dict[str, Optional[str]] = {
    "submission_directory": None,
    "output_dir": "scoring_results",
    "workload_targets": None,
    "exclude_submissions": "",
    "include_submissions": "",
    "save_results_to_filename": None,
    "load_results_from_filename": None,
    "target_relaxations": "",
}
#: The reference's boolean flags (all default to false).
BOOL_FLAGS = ("compute_performance_profiles", "self_tuning_ruleset", "strict")

#: The files the reference writes with --compute_performance_profiles.
PROFILE_FILES = ("scores.csv", "time_to_targets.csv", "performance_profile_score.csv")
PDF_NAME = "performance_profile_by_score.pdf"

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}
_FRAMEWORK = re.compile(r"(.*)(_jax|_pytorch)$")
_TRIAL_DIR = re.compile(r"trial_(\d+)")
_TIMESTAMP = r"-\d{4}(-\d{2}){5}"

Flags = Dict[str, Union[str, bool, None]]


class UsageError(EngineError):
    """A command line the drop-in cannot run (unknown flag, missing value…)."""


def _bool(name: str, text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise UsageError(f"--{name}: `{text}` is not a boolean (true or false)")


def _split(token: str) -> Tuple[str, Optional[str]]:
    body = token[2:] if token.startswith("--") else token[1:]
    name, eq, value = body.partition("=")
    return name, (value if eq else None)


def parse_flags(argv: List[str]) -> Flags:
    """Parses the reference's flags (absl syntax); raises UsageError naming
    an unknown flag or a stray argument."""
    flags: Flags = dict(STRING_FLAGS)
    flags.update({b: False for b in BOOL_FLAGS})
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if not token.startswith("-") or token in ("-", "--"):
            raise UsageError(f"unexpected argument `{token}` (the reference takes flags only)")
        name, value = _split(token)
        if name in STRING_FLAGS:
            if value is None:
                if i >= len(argv):
                    raise UsageError(f"--{name} needs a value")
                value = argv[i]
                i += 1
            flags[name] = value
        elif name in BOOL_FLAGS:
            if value is None and i < len(argv) and argv[i].lower() in _TRUE | _FALSE:
                value = argv[i]
                i += 1
            flags[name] = True if value is None else _bool(name, value)
        elif name.startswith("no") and name[2:] in BOOL_FLAGS and value is None:
            flags[name[2:]] = False
        else:
            known = ", ".join(f"--{f}" for f in list(STRING_FLAGS) + list(BOOL_FLAGS))
            raise UsageError(f"unknown flag --{name} (the reference's flags are: {known})")
    return flags


def _targets_file(path: str) -> Dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            doc: Dict[str, Any] = json.load(f)
    except OSError as e:
        raise UsageError(f"{path}: cannot read the targets file: {e.strerror}") from None
    except ValueError as e:
        raise UsageError(f"{path}: not a JSON targets file: {e}") from None
    for key in ("benchmark_version", "base_workloads", "held_out_workloads", "workloads"):
        if key not in doc:
            raise UsageError(f"{path}: no `{key}` field in the targets file")
    return doc


def _check_targets(spec: SpecInfo, doc: Dict[str, Any], path: str) -> None:
    """Every workload target of the file must be the spec's own."""
    for w in list(doc["base_workloads"]) + list(doc["held_out_workloads"]):
        theirs = doc["workloads"].get(w)
        ours = spec.targets.get(w)
        if theirs is None or ours is None:
            where = path if theirs is None else spec.targets_path
            raise UsageError(f"{where}: no target for workload `{w}`")
        if (
            theirs.get("target_metric_name") != ours["metric"]
            or float(theirs.get("validation_target_value")) != ours["target"]
        ):
            raise UsageError(
                f"{path}: workload `{w}` target {theirs.get('target_metric_name')} = "
                f"{theirs.get('validation_target_value')}, but the shipped spec "
                f"{spec.path} scores it at {ours['metric']} = {ours['target']}"
            )


def choose_spec(targets_path: Optional[str], self_tuning: bool) -> SpecInfo:
    """The shipped ruleset for a targets file: the one with the file's base
    and held-out workloads, preferring the file's ``benchmark_version``.
    Without a file, the latest targets (the reference's default)."""
    kind = "self" if self_tuning else "external"
    if targets_path is None:
        return check_spec(f"latest_{kind}")
    doc = _targets_file(targets_path)
    base = set(doc["base_workloads"])
    held_out = set(doc["held_out_workloads"])
    matches = []
    for path in sorted(rulesets_dir().glob(f"*_{kind}.toml")):
        spec = check_spec(path.stem)
        if set(spec.base) == base and set(spec.held_out) == held_out:
            matches.append(spec)
    exact = [s for s in matches if s.version == str(doc["benchmark_version"])]
    latest = [s for s in matches if s.version == "latest"]
    pool = exact or latest
    if not pool:
        raise UsageError(
            f"{targets_path}: no shipped {kind}-tuning ruleset has benchmark_version "
            f"{doc['benchmark_version']}'s base and held-out workloads "
            "(`algoperf-engine spec list` lists them)"
        )
    _check_targets(pool[0], doc, targets_path)
    return pool[0]


def selected_submissions(directory: str, include: str, exclude: str) -> List[str]:
    """The submission folders the reference scores: every entry of the
    directory, only those of --include_submissions when given, less those of
    --exclude_submissions (names that match nothing are ignored, as there)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        raise UsageError(f"{directory}: cannot list the submission directory: {e.strerror}")
    names = [n for n in names if os.path.isdir(os.path.join(directory, n))]
    if include:
        wanted = set(include.split(","))
        names = [n for n in names if n in wanted]
    left_out = set(exclude.split(","))
    return [n for n in names if n not in left_out]


def _experiment_dirs(submission_path: str) -> List[str]:
    """The submission's folder and its timestamped siblings (``name-YYYY-MM-DD-hh-mm-ss``),
    which the reference reads as one experiment."""
    parent, name = os.path.split(submission_path.rstrip(os.sep))
    pattern = re.compile(re.escape(name) + _TIMESTAMP + "$")
    siblings = [n for n in sorted(os.listdir(parent or ".")) if pattern.match(n)]
    return [submission_path] + [os.path.join(parent, n) for n in siblings]


def _trial_files(submission_path: str):
    """(study, workload folder, trial, experiment dir, eval_measurements.csv)
    of every trial the reference reads, in a stable order."""
    for experiment in _experiment_dirs(submission_path):
        for study in sorted(os.listdir(experiment)):
            study_dir = os.path.join(experiment, study)
            if not os.path.isdir(study_dir):
                continue
            for workload in sorted(os.listdir(study_dir)):
                workload_dir = os.path.join(study_dir, workload)
                if not os.path.isdir(workload_dir):
                    continue
                for trial in sorted(os.listdir(workload_dir)):
                    path = os.path.join(workload_dir, trial, "eval_measurements.csv")
                    if _TRIAL_DIR.match(trial) and os.path.isfile(path):
                        yield study, workload, trial, experiment, path


def check_workloads(spec: SpecInfo, directory: str, submissions: List[str], profiles: bool) -> None:
    """The reference's stops, as errors naming the workload: a logged
    workload the targets do not have, and (for the profiles) a workload of
    the targets that no submission ran (the engine's ``compat`` checks)."""
    _engine.compat_check_workloads(spec.path, directory, submissions, profiles)


def results_frames(directory: str, submissions: List[str]) -> Dict[str, Any]:
    """The reference's results: per submission a DataFrame, one row a trial
    with ``workload``, ``trial`` (``(trial folder, experiment dir)``),
    ``study`` and every column of its ``eval_measurements.csv`` as an array."""
    import pandas as pd

    results: Dict[str, Any] = {}
    for sub in submissions:
        rows = []
        for study, workload, trial, experiment, path in _trial_files(os.path.join(directory, sub)):
            row: Dict[str, Any] = {"workload": workload, "trial": (trial, experiment), "study": study}
            trial_df = pd.read_csv(path)
            for column in trial_df.columns:
                row[column] = trial_df[column].to_numpy()
            rows.append(row)
        results[sub] = pd.DataFrame(rows)
    return results


def write_tree(results: Dict[str, Any], root: Path) -> None:
    """A results pickle back as a submissions tree the engine reads: one
    ``eval_measurements.csv`` a row, its array columns as the CSV's columns."""
    import numpy as np
    import pandas as pd

    for sub, df in results.items():
        for _, row in df.iterrows():
            trial = row["trial"][0] if isinstance(row["trial"], tuple) else str(row["trial"])
            folder = root / sub / str(row["study"]) / str(row["workload"]) / trial
            columns = {
                k: v
                for k, v in row.items()
                if k not in ("workload", "trial", "study") and isinstance(v, np.ndarray)
            }
            folder.mkdir(parents=True, exist_ok=True)
            pd.DataFrame(columns).to_csv(folder / "eval_measurements.csv", index=False)


def write_pdf(profile_csv: bytes) -> Optional[bytes]:
    """``performance_profile_by_score.pdf`` as the reference plots it (one
    line a submission over τ); None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    import pandas as pd

    profile = pd.read_csv(io.BytesIO(profile_csv), index_col=0)
    profile.columns = [float(c) for c in profile.columns]
    ax = profile.T.plot(figsize=(30, 10), alpha=0.7)
    ax.set_xlabel("Ratio of `score` to best submission")
    ax.set_ylabel("Proportion of workloads")
    ax.legend(bbox_to_anchor=(1.0, 1.0))
    plt.tight_layout()
    buffer = io.BytesIO()
    plt.savefig(buffer, format="pdf")
    plt.close("all")
    return buffer.getvalue()


def _print_warnings(warnings: List[Tuple[str, str, str, bool]]) -> None:
    for _, summary, location, _ in warnings:
        print(f"warning: {summary} ({location})" if location else f"warning: {summary}", file=sys.stderr)


def run(flags: Flags) -> int:
    """Scores as the reference does for these flags; returns the exit status."""
    out = Path(str(flags["output_dir"]))
    targets = flags["workload_targets"]
    profiles = bool(flags["compute_performance_profiles"])
    spec = choose_spec(targets if isinstance(targets, str) else None, bool(flags["self_tuning_ruleset"]))
    with tempfile.TemporaryDirectory(prefix="algoperf-compat-") as scratch:
        loaded = flags["load_results_from_filename"]
        if loaded:
            with open(out / str(loaded), "rb") as f:
                results = pickle.load(f)
            directory = str(Path(scratch) / "results")
            write_tree(results, Path(directory))
            submissions = sorted(results)
        else:
            if not flags["submission_directory"]:
                raise UsageError("--submission_directory (or --load_results_from_filename) is required")
            directory = str(flags["submission_directory"])
            submissions = selected_submissions(
                directory, str(flags["include_submissions"]), str(flags["exclude_submissions"])
            )
        if not submissions:
            raise EngineError(f"{directory}: no submission to score (see --include_submissions / --exclude_submissions)")
        check_workloads(spec, directory, submissions, profiles)
        read = {"source": "csv", "include": submissions, "exclude": [],
                "strict": bool(flags["strict"]), "allow_empty": False,
                "max_file_size": None, "threads": None}
        relax = str(flags["target_relaxations"]) or None
        scored = _engine.score(spec.path, directory, None, read, target_relaxations=relax)
        files, warnings = scored.files(), scored.warnings
    _print_warnings(warnings)
    by_name = dict(files)
    to_write: List[Tuple[str, bytes]] = []
    if not loaded:
        to_write += [(f"{sub}_summary.csv", by_name[f"{sub}_summary.csv"])
                     for sub in submissions if f"{sub}_summary.csv" in by_name]
        if flags["save_results_to_filename"]:
            frames = results_frames(directory, submissions)
            to_write.append((str(flags["save_results_to_filename"]), pickle.dumps(frames)))
    if profiles:
        to_write += [(name, by_name[name]) for name in PROFILE_FILES]
        pdf = write_pdf(by_name["performance_profile_score.csv"])
        if pdf is not None:
            to_write.append((PDF_NAME, pdf))
        else:
            print(f"note: {PDF_NAME} not written: matplotlib is not installed "
                  "(pip install 'algoperf-engine[plot]')", file=sys.stderr)
    # Through the engine: the write guard (never into the submissions tree,
    # never over an input) and each file whole or not at all.
    tree = None if loaded else directory
    inputs = [str(out / str(loaded))] if loaded else []
    _engine.compat_write(spec.path, tree, inputs, str(out), to_write)
    written = [name for name, _ in to_write]
    if profiles:
        print(by_name["scores.csv"].decode(), end="")
    print(f"wrote {len(written)} files to {out}", file=sys.stderr)
    return 0


def _main(argv: List[str]) -> int:
    if any(a in ("-h", "--help", "-help", "--helpfull") for a in argv):
        print(__doc__)
        return 0
    try:
        return run(parse_flags(argv))
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (EngineError, OSError, pickle.UnpicklingError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def main(argv: Optional[List[str]] = None) -> int:
    """The command; a reader that closes the pipe early (``| head``) ends it
    quietly, as it does the engine's own command line."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
