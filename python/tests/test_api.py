"""The Python API on the v0.5 external-tuning logs: equal to the CLI's files
cell for cell, in the reference's shapes, and to the published leaderboard."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import algoperf_engine as ae

# The published v0.5 external-tuning leaderboard, rounded to 4 decimals
# (README of the AlgoPerf reference data).
PUBLISHED_V05 = {
    "shampoo_submission": 0.7784,
    "schedule_free_adamw": 0.7077,
    "generalized_adam": 0.6383,
    "cyclic_lr": 0.6301,
    "nadamp": 0.5909,
    "baseline": 0.5707,
    "amos": 0.4918,
    "caspr_adaptive": 0.4722,
    "lawa_queue": 0.3699,
    "lawa_ema": 0.3384,
    "schedule_free_prodigy": 0.0000,
}


def csv_files(result: ae.ScoreResult) -> dict:
    return {k: v for k, v in result.files.items() if k.endswith(".csv")}


def read(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, index_col=0, **kwargs)


def test_scores_are_the_published_leaderboard(v05_result):
    scores = v05_result.scores
    assert isinstance(scores, pd.Series)
    assert scores.index.name == "submission"
    assert {k: round(v, 4) for k, v in scores.items()} == PUBLISHED_V05
    top3 = scores.sort_values(ascending=False).head(3)
    assert list(top3.index) == ["shampoo_submission", "schedule_free_adamw", "generalized_adam"]


def test_every_csv_equals_the_cli_file_byte_for_byte(v05_result, v05_cli_out):
    cli_csvs = {p.name: p.read_bytes() for p in v05_cli_out.glob("*.csv")}
    assert set(csv_files(v05_result)) == set(cli_csvs)
    assert len(cli_csvs) == 3 + 11
    for name, data in cli_csvs.items():
        assert v05_result.files[name] == data, name


def test_frames_equal_the_cli_files_cell_for_cell(v05_result, v05_cli_out):
    ttt = read(v05_cli_out / "time_to_targets.csv")
    pd.testing.assert_frame_equal(v05_result.time_to_targets, ttt, check_exact=True)
    scores = read(v05_cli_out / "scores.csv")["score"]
    pd.testing.assert_series_equal(v05_result.scores, scores, check_exact=True)
    profile = read(v05_cli_out / "performance_profile_score.csv")
    assert list(v05_result.profile.columns) == [float(c) for c in profile.columns]
    assert (v05_result.profile.to_numpy() == profile.to_numpy()).all()
    for name, frame in v05_result.summaries.items():
        cli = read(v05_cli_out / f"{name}_summary.csv")
        pd.testing.assert_frame_equal(frame, cli, check_exact=True)


def test_time_to_targets_has_inf_and_nan_as_the_reference_writes_them(v05_result, data):
    ttt = v05_result.time_to_targets
    assert ttt.shape == (11, 14)
    assert ttt.index.name == "submission"
    assert (ttt == math.inf).to_numpy().sum() > 0
    golden = read(data / "golden/v05_external/compatible/time_to_targets.csv")
    golden = golden.loc[ttt.index, ttt.columns]
    assert golden.isna().equals(ttt.isna())
    pd.testing.assert_frame_equal(ttt, golden, check_exact=False, rtol=1e-12)


def test_profile_is_submissions_by_tau(v05_result, data):
    profile = v05_result.profile
    assert profile.shape == (11, 100)
    assert profile.columns[0] == 1.0 and profile.columns[-1] == 4.0
    golden = read(data / "golden/v05_external/compatible/performance_profile_score.csv")
    golden.columns = [float(c) for c in golden.columns]
    golden = golden.loc[profile.index]
    pd.testing.assert_frame_equal(profile, golden, check_names=False, rtol=1e-12)


def test_summaries_have_the_reference_columns(v05_result, data):
    summaries = v05_result.summaries
    assert set(summaries) == set(PUBLISHED_V05)
    for name, frame in summaries.items():
        golden = read(data / f"golden/v05_external/compatible/{name}_summary.csv")
        assert list(frame.columns) == list(golden.columns) + ["study"], name
        assert len(frame) == len(golden), name


@pytest.mark.parametrize(
    "name",
    ["scores.csv", "time_to_targets.csv", "performance_profile_score.csv", "baseline_summary.csv"]
    + [f"{s}_summary.csv" for s in sorted(PUBLISHED_V05) if s != "baseline"],
)
def test_pandas_round_trip_of_every_output_file(v05_result, name):
    """read_csv → to_csv gives back the engine's bytes: numbers are written
    as Python writes them, ∞ as `inf`, a workload not run as an empty cell."""
    data = v05_result.files[name]
    frame = pd.read_csv(io.BytesIO(data), index_col=0)
    text = frame.to_csv(index_label=frame.index.name if frame.index.name else "")
    assert text.encode() == data
    again = pd.read_csv(io.StringIO(text), index_col=0)
    pd.testing.assert_frame_equal(frame, again, check_exact=True)


def test_warnings_are_structured(v05_result):
    assert isinstance(v05_result.warnings, list)
    for w in v05_result.warnings:
        assert isinstance(w, ae.RunWarning)
        assert issubclass(w.category, ae.EngineWarning)
        assert w.summary and w.location
        assert isinstance(w.strict_fatal, bool)


def test_to_json_is_the_cli_document(v05_result, v05_spec, v05_logs):
    doc = json.loads(v05_result.to_json())
    from conftest import run_python

    p = run_python(
        "algoperf_engine", "--spec", v05_spec, "--submissions", str(v05_logs), "--format", "json"
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == doc


def test_include_and_exclude(v05_spec, v05_logs):
    r = ae.score(v05_spec, v05_logs, include="baseline,amos")
    assert sorted(r.scores.index) == ["amos", "baseline"]
    r = ae.score(v05_spec, v05_logs, exclude=["baseline"])
    assert "baseline" not in r.scores.index and len(r.scores) == 10


def test_speedup_equals_the_golden_speedups(v05_spec, v05_logs, data):
    golden = json.loads((data / "golden/v05_external/speedups.json").read_text())
    mine = golden["comparisons"]["shampoo_submission"]
    s = ae.speedup(v05_spec, v05_logs, "baseline", "shampoo_submission")
    assert s.geomean_ratio == pytest.approx(mine["geomean_ratio"], rel=1e-12)
    assert s.table["ratio"].to_dict() == pytest.approx(mine["ratio"], rel=1e-12)
    assert s.time_saved == pytest.approx(1 - s.geomean_ratio)


def test_explain_names_the_workload(v05_spec, v05_logs):
    text = ae.explain(v05_spec, v05_logs, "lawa_ema", "imagenet_resnet")
    assert "imagenet_resnet" in text and "lawa_ema" in text


def test_heldout_sample_is_the_v05_draw(v05_spec, data):
    drawn = json.loads((data / "heldout/held_out_workloads_v05.json").read_text())
    assert ae.heldout_sample(v05_spec) == drawn
    seed = json.loads((data / "heldout/pools_v05.json").read_text())["seed"]
    assert ae.heldout_sample(v05_spec, seed) == drawn


def test_check_spec_describes_the_shipped_specs():
    for path in sorted(ae.rulesets_dir().glob("*.toml")):
        info = ae.check_spec(path)
        assert info.base and all(w in info.targets for w in info.base), path
    info = ae.check_spec(ae.ruleset("v05_external"))
    assert info.version == "0.5" and info.ruleset == "external_tuning"
    assert info.held_out["wmt_glu_tanh"] == "wmt"


def test_scoring_releases_the_gil(v05_spec, v05_logs):
    """While the engine scores in one thread, another keeps running: holding
    the GIL would stall this thread's loop for a whole call."""
    t = time.perf_counter()
    ae.score(v05_spec, v05_logs)
    one_call = time.perf_counter() - t
    done = threading.Event()

    def work():
        for _ in range(3):
            ae.score(v05_spec, v05_logs)
        done.set()

    worker = threading.Thread(target=work)
    gaps = []
    last = time.perf_counter()
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    assert one_call > 0.05, "scoring too fast to tell"
    assert max(gaps) < one_call / 2, (max(gaps), one_call)


def test_repr_is_short(v05_result):
    assert repr(v05_result) == (
        f"<ScoreResult: 11 submissions, 14 workloads, {len(v05_result.warnings)} warnings>"
    )


def test_warnings_name_what_and_where(v05_result):
    found = {(w.summary, w.location.split(" ")[0]) for w in v05_result.warnings}
    assert ("expected 14 workloads, found 11", "caspr_adaptive") in found
    assert all(w.strict_fatal for w in v05_result.warnings if w.summary.startswith("expected"))


def test_strict_turns_count_warnings_into_an_error(v05_spec, v05_logs):
    with pytest.raises(ae.EngineError, match=r"--strict: \d+ problems") as info:
        ae.score(v05_spec, v05_logs, strict=True)
    assert not isinstance(info.value, ae.SpecError)
    assert "caspr_adaptive" in str(info.value)


def test_api_equals_the_cargo_built_binary(v05_result, v05_spec, v05_logs, tmp_path):
    """The same bytes as the `algoperf-engine` binary `cargo test --release`
    builds (required under CI, where .ci/run builds it first)."""
    from conftest import REPO

    binary = REPO / "target" / "release" / "algoperf-engine"
    if not binary.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{binary} missing: .ci/run builds it before the Python tests")
        pytest.skip(f"{binary} not built")
    out = tmp_path / "out"
    p = subprocess.run(
        [str(binary), "--spec", v05_spec, "--submissions", str(v05_logs), "--output-dir", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert p.returncode == 0, p.stderr
    csvs = {f.name: f.read_bytes() for f in out.glob("*.csv")}
    assert csvs == csv_files(v05_result)
