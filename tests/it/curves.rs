//! `--curves` on the real v0.5 external-tuning logs: one training-curves
//! SVG and one time-to-target ECDF SVG per workload, whose data values are
//! read back and compared with the trial series they came from.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use algoperf_engine::cli::{self, Cli};
use algoperf_engine::ingest::{Ingested, Silent};
use algoperf_engine::report::curves::{self, MAX_POINTS};
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::{Leaderboard, WorkloadOutcome};
use algoperf_engine::spec::{self, Spec};
use clap::Parser;

fn run_cli(args: &[&str]) -> algoperf_engine::error::Result<()> {
    let mut argv = vec!["algoperf-engine"];
    argv.extend_from_slice(args);
    cli::main_with(Cli::try_parse_from(argv).expect("arguments parse"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// (submission, workload folder, study, trial label) → the trial's finite
/// (time, metric) evaluations.
type Series = BTreeMap<(String, String, String, String), Vec<(f64, f64)>>;

fn series_of(ingested: &Ingested) -> Series {
    let mut out = Series::new();
    for sub in &ingested.submissions {
        for t in &sub.trials {
            let f = &t.id.folder;
            let pts = t
                .series
                .time
                .iter()
                .zip(&t.series.metric)
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|(a, b)| (*a, *b))
                .collect();
            let key = (
                sub.name.clone(),
                f.name.clone(),
                f.study.clone(),
                t.id.label(),
            );
            out.insert(key, pts);
        }
    }
    out
}

fn parse_pairs(text: &str) -> Vec<(f64, f64)> {
    text.split(' ')
        .map(|p| {
            let (a, b) = p.split_once(',').expect("t,v pair");
            (a.parse().expect("time"), b.parse().expect("value"))
        })
        .collect()
}

/// Every polyline of the curves file against its trial's series, and the
/// picked marks against the leaderboard.
fn check_curves(svg: &str, workload: &str, series: &Series, lb: &Leaderboard) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("curves SVG is XML");
    let mut seen = 0;
    let mut order = Vec::new();
    for g in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("sub"))
    {
        let sub = g.attribute("data-submission").expect("submission");
        order.push(
            g.attribute("data-rank")
                .expect("rank")
                .parse::<usize>()
                .unwrap(),
        );
        let row = lb.row(sub).expect("a scored submission");
        let outcome = &lb.outcomes[row][workload];
        for line in g.children().filter(|n| n.has_tag_name("polyline")) {
            let study = line.attribute("data-study").expect("study");
            let trial = line.attribute("data-trial").expect("trial");
            let folder = line.attribute("data-folder").expect("folder");
            let key = (sub.into(), folder.into(), study.into(), trial.into());
            let want = &series[&key];
            assert!(want.len() <= MAX_POINTS, "{key:?}: v0.5 series are short");
            let got = parse_pairs(line.attribute("data-points").expect("data"));
            assert_eq!(&got, want, "{key:?}: points differ from the series");
            let pixels = line.attribute("points").expect("pixels").split(' ').count();
            assert_eq!(pixels, got.len(), "{key:?}: one pixel per point");
            let st = outcome.studies.iter().find(|x| x.study == study).unwrap();
            let picked = st
                .picked_trial()
                .is_some_and(|p| p.id.label() == trial && p.id.folder.name == folder);
            let class = line.attribute("class").unwrap();
            assert_eq!(class.contains("picked"), picked, "{key:?}: picked mark");
            seen += 1;
        }
    }
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order.iter().rev().cloned().collect::<Vec<_>>(),
        sorted,
        "drawn by rank"
    );
    assert!(doc
        .descendants()
        .any(|n| n.attribute("class") == Some("target")));
    assert!(doc
        .descendants()
        .any(|n| n.attribute("class") == Some("budget")));
    seen
}

/// The ECDF's times against the trials' times to target; each is a time
/// of its trial's series.
fn check_ecdf(svg: &str, workload: &str, lb: &Leaderboard) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("ECDF SVG is XML");
    let mut subs = 0;
    for g in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("ecdf-sub"))
    {
        let sub = g.attribute("data-submission").unwrap();
        let line = g.children().find(|n| n.has_tag_name("polyline")).unwrap();
        let times: Vec<f64> = match line.attribute("data-times").unwrap() {
            "" => vec![],
            t => t.split(' ').map(|x| x.parse().unwrap()).collect(),
        };
        let missed: usize = line.attribute("data-missed").unwrap().parse().unwrap();
        let outcome = &lb.outcomes[lb.row(sub).unwrap()][workload];
        let trials: Vec<_> = outcome.studies.iter().flat_map(|s| &s.trials).collect();
        let mut want: Vec<f64> = trials.iter().map(|t| t.outcome.time).collect();
        want.retain(|t| t.is_finite());
        want.sort_by(f64::total_cmp);
        assert_eq!(times, want, "{sub} {workload}: ECDF times");
        assert_eq!(
            times.len() + missed,
            trials.len(),
            "{sub} {workload}: missed"
        );
        subs += 1;
    }
    subs
}

fn v05() -> Option<(PathBuf, Spec)> {
    let data = common::data_dir()?;
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    Some((data.join("logs/v05/external_tuning"), spec))
}

/// A submission's outcomes on the leaderboard's workloads (a workload the
/// spec does not score has a summary but no curve).
fn matrix<'a>(
    o: &'a BTreeMap<String, WorkloadOutcome>,
    lb: &'a Leaderboard,
) -> impl Iterator<Item = &'a WorkloadOutcome> {
    o.iter()
        .filter(|(w, _)| lb.workloads.contains(w))
        .map(|(_, wo)| wo)
}

#[test]
fn curves_files_hold_the_trial_series() {
    let Some((logs, spec)) = v05() else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().join("out");
    let spec_path = common::repo("rulesets/v05_external.toml");
    let args = ["--spec", s(&spec_path), "--submissions", s(&logs)];
    run_cli(&[&args[..], &["--output-dir", s(&dir), "--curves"]].concat()).expect("run");

    let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
    let series = series_of(&ingested);
    let (lb, _) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    assert_eq!(lb.workloads.len(), 14);
    let (mut lines, mut ecdfs) = (0, 0);
    for w in &lb.workloads {
        let read = |name: String| std::fs::read_to_string(dir.join(&name)).expect(&name);
        lines += check_curves(&read(curves::curves_file(w)), w, &series, &lb);
        ecdfs += check_ecdf(&read(curves::ecdf_file(w)), w, &lb);
    }
    // Every scored trial with two or more points is drawn.
    let scored: usize = lb
        .outcomes
        .iter()
        .enumerate()
        .flat_map(|(row, o)| matrix(o, &lb).map(move |wo| (row, wo)))
        .flat_map(|(row, wo)| {
            let name = lb.submissions[row].clone();
            wo.studies.iter().flat_map(move |st| {
                let name = name.clone();
                st.trials.iter().map(move |t| {
                    let folder = t.id.folder.name.clone();
                    (name.clone(), folder, st.study.clone(), t.id.label())
                })
            })
        })
        .filter(|k| series[k].len() > 1)
        .count();
    assert_eq!(lines, scored, "one line per scored trial");
    assert!(lines > 3000, "{lines} lines");
    let ran: usize = lb.outcomes.iter().map(|o| matrix(o, &lb).count()).sum();
    assert_eq!(ecdfs, ran, "one ECDF line per submission and workload");
}

#[test]
fn default_outputs_have_no_curves() {
    let Some((logs, spec)) = v05() else {
        return;
    };
    let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    assert!(outcome
        .files
        .iter()
        .all(|(n, _)| !n.starts_with("curves_") && !n.starts_with("time_to_target_ecdf_")));
}
