"""Drop-in for the reference scoring command.

    python -m algoperf_engine.score_submissions \\
        --workload_targets workload_targets_v05.json \\
        --submission_directory logs/v05/external_tuning \\
        --compute_performance_profiles --output_dir scoring_results

(also ``algoperf-engine compat …``). The reference's flags are mapped onto a
shipped ruleset spec and the engine's command line, which writes the same
files into ``--output_dir``:

* the ruleset is ``*_external`` or, with ``--self_tuning_ruleset``,
  ``*_self``; the version is the one whose base and held-out workloads are
  the targets file's, preferring the spec whose version is the file's
  ``benchmark_version`` (``0.5`` → ``v05_*``; ``0.6`` with the 9-workload
  list → ``latest_*``). Every target of the file must equal the spec's, so a
  changed targets file is an error, not silently ignored. Without
  ``--workload_targets`` the ``latest_*`` spec is used.
* ``--save_results_to_filename`` / ``--load_results_from_filename`` are the
  engine's results cache (not the reference's pickle); a relative name is
  inside ``--output_dir``, as the reference joins it.
* As the reference: the ``<submission>_summary.csv`` files are always
  written (unless the results are loaded from a file); the scores, the
  time-to-targets and the performance profile (CSV and plot) only with
  ``--compute_performance_profiles``.

Flags follow absl's syntax: ``--flag=value``, ``--flag value``, booleans as
``--flag``, ``--noflag``, ``--flag=true|false`` or ``--flag True``. An
unknown flag is an error naming it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from . import EngineError, SpecInfo, _engine, check_spec, rulesets_dir

#: The reference's string flags and their defaults.
STRING_FLAGS: Dict[str, Optional[str]] = {
    "submission_directory": None,
    "output_dir": "scoring_results",
    "workload_targets": None,
    "exclude_submissions": "",
    "save_results_to_filename": None,
    "load_results_from_filename": None,
}
#: The reference's boolean flags (all default to false).
BOOL_FLAGS = ("compute_performance_profiles", "self_tuning_ruleset", "strict")

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}

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


def choose_spec(targets_path: Optional[str], self_tuning: bool) -> str:
    """The shipped ruleset spec for a targets file (see the module doc)."""
    kind = "self" if self_tuning else "external"
    if targets_path is None:
        return str(rulesets_dir() / f"latest_{kind}.toml")
    doc = _targets_file(targets_path)
    base = set(doc["base_workloads"])
    held_out = set(doc["held_out_workloads"])
    matches = []
    for path in sorted(rulesets_dir().glob(f"*_{kind}.toml")):
        spec = check_spec(path)
        if set(spec.base) == base and set(spec.held_out) == held_out:
            matches.append(spec)
    exact = [s for s in matches if s.version == str(doc["benchmark_version"])]
    latest = [s for s in matches if s.version == "latest"]
    pool = exact or latest
    if not pool:
        raise UsageError(
            f"{targets_path}: no shipped {kind}-tuning ruleset has benchmark_version "
            f"{doc['benchmark_version']}'s base and held-out workloads "
            f"(rulesets in {rulesets_dir()})"
        )
    _check_targets(pool[0], doc, targets_path)
    return pool[0].path


def _in_output_dir(output_dir: str, name: str) -> str:
    return os.path.join(output_dir, name)


def engine_args(flags: Flags) -> List[str]:
    """The ``algoperf-engine`` command line for the reference's flags."""
    out = str(flags["output_dir"])
    targets = flags["workload_targets"]
    self_tuning = bool(flags["self_tuning_ruleset"])
    spec = choose_spec(targets if isinstance(targets, str) else None, self_tuning)
    args = ["--spec", spec]
    if flags["load_results_from_filename"]:
        args += ["--load-results", _in_output_dir(out, str(flags["load_results_from_filename"]))]
    elif flags["submission_directory"]:
        args += ["--submissions", str(flags["submission_directory"])]
    else:
        raise UsageError("--submission_directory (or --load_results_from_filename) is required")
    if flags["save_results_to_filename"]:
        Path(out).mkdir(parents=True, exist_ok=True)
        args += ["--save-results", _in_output_dir(out, str(flags["save_results_to_filename"]))]
    if flags["exclude_submissions"]:
        args += ["--exclude", str(flags["exclude_submissions"])]
    if flags["strict"]:
        args.append("--strict")
    args += ["--output-dir", out]
    return args


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help", "-help", "--helpfull") for a in argv):
        print(__doc__)
        return 0
    try:
        flags = parse_flags(argv)
        args = engine_args(flags)
    except EngineError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, UsageError) else 1
    sys.stdout.flush()
    if flags["compute_performance_profiles"]:
        return _engine.run_cli(["algoperf-engine"] + args)
    return _summaries_only(args, str(flags["output_dir"]))


def _summaries_only(args: List[str], output_dir: str) -> int:
    """Without --compute_performance_profiles the reference writes only the
    per-submission summaries: score into a scratch folder, keep those."""
    out = args.index("--output-dir")
    with tempfile.TemporaryDirectory(prefix="algoperf-engine-") as scratch:
        args = args[:out] + ["--output-dir", scratch] + args[out + 2 :]
        code = _engine.run_cli(["algoperf-engine"] + args)
        if code != 0 or "--load-results" in args:
            return code
        Path(output_dir).mkdir(parents=True, exist_ok=True)
        summaries = sorted(Path(scratch).glob("*_summary.csv"))
        for summary in summaries:
            shutil.copyfile(summary, Path(output_dir) / summary.name)
    print(
        f"kept the {len(summaries)} summary files in {output_dir} "
        "(scores and profiles need --compute_performance_profiles)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
