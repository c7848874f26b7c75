//! `compare` output: the two leaderboards side by side and the cells that
//! differ, as a terminal table or JSON.

use schemars::JsonSchema;
use serde::Serialize;

use super::json::{Engine, Num};
use crate::score::compare::Comparison;

fn score_rank(x: Option<(f64, usize)>) -> (String, String) {
    x.map_or(("-".into(), "-".into()), |(s, r)| {
        (format!("{s:.4}"), r.to_string())
    })
}

fn short(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x.is_infinite() {
        "inf".into()
    } else {
        format!("{x:.4}")
    }
}

/// A comparison with its names as the terminal shows them (control
/// characters escaped, each line one line).
fn shown(c: &Comparison) -> Comparison {
    let e = |s: &mut String| *s = crate::diagnostics::escape_controls(s).into_owned();
    let mut c = c.clone();
    c.submissions.iter_mut().for_each(|s| e(&mut s.name));
    c.cells.iter_mut().for_each(|x| e(&mut x.submission));
    for x in &mut c.studies {
        e(&mut x.submission);
        e(&mut x.study);
        e(&mut x.trial.0);
        e(&mut x.trial.1);
    }
    c
}

/// The terminal table.
pub fn table(c: &Comparison) -> String {
    let c = &shown(c);
    let width = c
        .submissions
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut out = format!(
        "{:<width$}  {:>7}  {:>6}  {:>7}  {:>6}  {:>8}\n",
        "submission", "score A", "rank A", "score B", "rank B", "change"
    );
    for s in &c.submissions {
        let ((sa, ra), (sb, rb)) = (score_rank(s.a), score_rank(s.b));
        let change = match (s.a, s.b) {
            (Some((x, _)), Some((y, _))) if x.to_bits() == y.to_bits() => String::new(),
            (Some((x, _)), Some((y, _))) => format!("{:+.4}", y - x),
            _ => "absent".into(),
        };
        out.push_str(&format!(
            "{:<width$}  {sa:>7}  {ra:>6}  {sb:>7}  {rb:>6}  {change:>8}\n",
            s.name
        ));
    }
    out.push_str(&format!(
        "\n{} (submission, workload) cells differ\n",
        c.cells.len()
    ));
    for x in &c.cells {
        out.push_str(&format!(
            "{}/{}: time {} → {}, after rules {} → {}, ratio {} → {}; first differs at {}\n",
            x.submission,
            x.workload,
            short(x.raw.0),
            short(x.raw.1),
            short(x.ruled.0),
            short(x.ruled.1),
            short(x.ratio.0),
            short(x.ratio.1),
            x.stage
        ));
    }
    out.push_str(&format!(
        "\n{} studies pick a different trial or time (the aggregate may hide them)\n",
        c.studies.len()
    ));
    for x in &c.studies {
        out.push_str(&format!(
            "{}/{}/{}: {} → {}, {} → {}\n",
            x.submission,
            x.study,
            x.workload,
            x.trial.0,
            x.trial.1,
            short(x.time.0),
            short(x.time.1)
        ));
    }
    out
}

/// `compare --format json`: two leaderboards side by side.
///
/// Leaderboard A against leaderboard B: per submission its score and rank
/// in each, every (submission, workload) whose time, time after the rule
/// steps or ratio differs with the first stage where A and B diverge, and
/// every study whose picked trial or time differs. Pairs are [A, B]; a
/// time is a number, "inf" (target missed) or null (not run / not a base
/// workload), as in leaderboard.schema.json.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CompareDoc {
    pub engine: Engine,
    /// Every submission of A or B, by name.
    pub submissions: Vec<PlacingsDoc>,
    /// The cells that differ, by submission then workload.
    pub cells: Vec<CellDoc>,
    /// Every study (of a cell run in both) whose picked trial or time
    /// differs, also where the workload's aggregate hides it.
    pub studies: Vec<StudyChangeDoc>,
}

/// A submission's score and rank in A and in B.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PlacingsDoc {
    pub submission: String,
    /// Its placing in A; null when absent from A.
    pub a: Option<Placing>,
    /// Its placing in B; null when absent from B.
    pub b: Option<Placing>,
}

/// A score and a rank in one leaderboard.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Placing {
    pub score: Num,
    #[schemars(range(min = 1))]
    pub rank: usize,
}

/// One (submission, workload) that differs; pairs are [A, B].
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CellDoc {
    pub submission: String,
    pub workload: String,
    /// Time to target, before the rule steps.
    pub time: (Num, Num),
    /// The time after the rule steps.
    pub after_rules: (Num, Num),
    /// The ratio (null: not run or not a base workload).
    pub ratio: (Num, Num),
    /// Where A and B first diverge, in words.
    pub first_difference: String,
}

/// One study that differs; pairs are [A, B].
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StudyChangeDoc {
    pub submission: String,
    pub workload: String,
    pub study: String,
    /// The picked trial.
    pub trial: (String, String),
    /// The study's time.
    pub time: (Num, Num),
}

/// The JSON document (times as in leaderboard.schema.json: "inf", null).
pub fn document(c: &Comparison) -> CompareDoc {
    let placing = |x: Option<(f64, usize)>| {
        x.map(|(score, rank)| Placing {
            score: Num(score),
            rank,
        })
    };
    let pair = |(a, b): (f64, f64)| (Num(a), Num(b));
    CompareDoc {
        engine: Engine::default(),
        submissions: (c.submissions.iter())
            .map(|s| PlacingsDoc {
                submission: s.name.clone(),
                a: placing(s.a),
                b: placing(s.b),
            })
            .collect(),
        cells: (c.cells.iter())
            .map(|x| CellDoc {
                submission: x.submission.clone(),
                workload: x.workload.clone(),
                time: pair(x.raw),
                after_rules: pair(x.ruled),
                ratio: pair(x.ratio),
                first_difference: x.stage.clone(),
            })
            .collect(),
        studies: (c.studies.iter())
            .map(|x| StudyChangeDoc {
                submission: x.submission.clone(),
                workload: x.workload.clone(),
                study: x.study.clone(),
                trial: x.trial.clone(),
                time: pair(x.time),
            })
            .collect(),
    }
}
