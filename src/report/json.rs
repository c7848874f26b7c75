//! `--format json`: the whole scoring in one document — the spec's identity,
//! the submissions, per-workload times (raw and after each rule step),
//! ratios, the profile and the scores. Its JSON Schema is
//! `schema/leaderboard.schema.json`.
//!
//! JSON has no ∞ or NaN: ∞ (target missed) is the string `"inf"`, NaN
//! (workload not run) is `null`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::diagnostics::Warnings;
use crate::report::error::ReportError;
use crate::score::Leaderboard;
use crate::spec::{Spec, Step};

/// A time, ratio or score in a JSON document: a number, the string `"inf"`
/// or `"-inf"` for ±∞ (a target missed), `null` for NaN (not run). JSON has
/// no ∞ or NaN; one type keeps every document saying them the same way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let x = self.0;
        if x.is_nan() {
            s.serialize_none()
        } else if x.is_infinite() {
            s.serialize_str(if x > 0.0 { "inf" } else { "-inf" })
        } else {
            s.serialize_f64(x)
        }
    }
}

impl JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number; \"inf\" / \"-inf\" for ±∞ (a target missed); null for NaN (not run).",
            "anyOf": [{"type": "number"}, {"enum": ["inf", "-inf"]}, {"type": "null"}]
        })
    }
}

/// A number that is `null` when it does not exist (∞ or NaN): speedups and
/// leaderboard-table scores, where ∞ has no meaning of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finite(pub f64);

impl Serialize for Finite {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.serialize_f64(self.0)
        } else {
            s.serialize_none()
        }
    }
}

impl JsonSchema for Finite {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FiniteNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A finite number, or null where none exists.",
            "type": ["number", "null"]
        })
    }
}

/// A time, ratio or score as JSON (see [`Num`]).
pub fn number(x: f64) -> Value {
    serde_json::to_value(Num(x)).unwrap_or(Value::Null)
}

pub use crate::version::Engine;

/// A spec's identity: its file and what it says it is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecIdentity {
    /// The spec file, as given.
    pub path: String,
    pub name: String,
    pub version: String,
    pub ruleset: String,
}

impl SpecIdentity {
    pub fn of(spec: &Spec) -> SpecIdentity {
        SpecIdentity {
            path: spec.path.display().to_string(),
            name: spec.name.clone(),
            version: spec.version.clone(),
            ruleset: spec.ruleset.clone(),
        }
    }
}

/// A document as the CLI prints it: pretty JSON with a final newline, keys
/// in sorted order (through `serde_json::Value`, whose maps are sorted), so
/// a typed document prints as the hand-built ones did.
pub fn to_text<T: Serialize>(doc: &T) -> Result<String, ReportError> {
    let value = serde_json::to_value(doc).map_err(ReportError::Json)?;
    let text = serde_json::to_string_pretty(&value).map_err(ReportError::Json)?;
    Ok(text + "\n")
}

/// Submission → workload → number.
pub type Matrix = BTreeMap<String, BTreeMap<String, Num>>;

fn matrix(lb: &Leaderboard, columns: &[String], m: &nalgebra::DMatrix<f64>) -> Matrix {
    (lb.submissions.iter().enumerate())
        .map(|(r, s)| {
            let row = (columns.iter().enumerate())
                .map(|(c, w)| (w.clone(), Num(m[(r, c)])))
                .collect();
            (s.clone(), row)
        })
        .collect()
}

/// The rule step's canonical text (the AST printed back).
pub fn step_formula(step: &Step) -> String {
    step.text.clone()
}

/// `--format json` of a scoring run: the whole scoring in one document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LeaderboardDoc {
    pub engine: Engine,
    /// The spec the run was scored under.
    pub spec: SpecSection,
    /// Every submission read, in name order.
    pub submissions: Vec<String>,
    /// Base and held-out workloads, the columns of `times`.
    pub workloads: Vec<String>,
    pub times: Times,
    /// The workloads the profile is computed over.
    pub base_workloads: Vec<String>,
    /// Per base workload, the ratio's denominator (the best time).
    pub denominators: BTreeMap<String, Num>,
    /// Submission → base workload → time / denominator.
    pub ratios: Matrix,
    /// The τ grid.
    #[schemars(length(min = 2))]
    pub tau: Vec<Num>,
    /// Submission → ρ(τ), one value per τ in `tau`'s order.
    pub profile: BTreeMap<String, Vec<Num>>,
    /// Submission → benchmark score.
    pub scores: BTreeMap<String, Num>,
    /// The leaderboard in rank order (ties by name).
    pub ranking: Vec<RankingRow>,
    pub warnings: Vec<WarningEntry>,
}

/// Times before any rule and after each rule step.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Times {
    /// Submission → workload → time to target (s), before any rule.
    pub raw: Matrix,
    pub steps: Vec<StepTimes>,
}

/// The matrix after one rule step.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StepTimes {
    /// The step's canonical formula.
    pub rule: String,
    pub times: Matrix,
}

/// A spec's identity, its base workloads and each held-out variant's base.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecSection {
    pub path: String,
    pub name: String,
    pub version: String,
    pub ruleset: String,
    #[schemars(length(min = 1))]
    pub base_workloads: Vec<String>,
    /// Held-out variant → its base workload.
    pub held_out_workloads: BTreeMap<String, String>,
}

/// One row of the ranking.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RankingRow {
    #[schemars(range(min = 1))]
    pub rank: usize,
    pub submission: String,
    pub score: Num,
    /// Base workloads solved within the spec's largest τ.
    pub solved: usize,
}

/// One warning: what is wrong (the grouping key) and where.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct WarningEntry {
    pub summary: String,
    pub location: String,
}

/// The warnings of a run as document entries: each one's diagnostic's
/// summary and example.
pub fn warning_entries(warnings: &Warnings) -> Vec<WarningEntry> {
    (warnings.diagnostics().iter())
        .map(|d| WarningEntry {
            summary: d.summary().to_string(),
            location: d.example(),
        })
        .collect()
}

impl LeaderboardDoc {
    /// The document of a scored leaderboard.
    pub fn of(spec: &Spec, lb: &Leaderboard, warnings: &Warnings) -> LeaderboardDoc {
        let steps = (lb.rules.steps.iter())
            .map(|s| StepTimes {
                rule: step_formula(&s.step),
                times: matrix(lb, &lb.workloads, &s.matrix),
            })
            .collect();
        let named = |names: &[String], values: &[f64]| -> BTreeMap<String, Num> {
            (names.iter().zip(values))
                .map(|(n, v)| (n.clone(), Num(*v)))
                .collect()
        };
        LeaderboardDoc {
            engine: Engine::default(),
            spec: SpecSection::of(spec),
            submissions: lb.submissions.clone(),
            workloads: lb.workloads.clone(),
            times: Times {
                raw: matrix(lb, &lb.workloads, &lb.time_to_targets),
                steps,
            },
            base_workloads: lb.rules.base.clone(),
            denominators: named(&lb.rules.base, &lb.rules.denominators),
            ratios: matrix(lb, &lb.rules.base, &lb.rules.ratios),
            tau: lb.rules.tau.values.iter().map(|t| Num(*t)).collect(),
            profile: profile_section(lb),
            scores: named(&lb.submissions, &lb.rules.scores),
            ranking: ranking_section(spec, lb),
            warnings: warning_entries(warnings),
        }
    }
}

/// The JSON document of a scoring run (see [`LeaderboardDoc`]).
pub fn document(spec: &Spec, lb: &Leaderboard, warnings: &Warnings) -> Value {
    serde_json::to_value(LeaderboardDoc::of(spec, lb, warnings)).unwrap_or(Value::Null)
}

impl SpecSection {
    /// The spec a run was scored under, so that a JSON result can be traced
    /// back to the ruleset, its base workloads and each held-out variant's base.
    pub fn of(spec: &Spec) -> SpecSection {
        SpecSection {
            path: spec.path.display().to_string(),
            name: spec.name.clone(),
            version: spec.version.clone(),
            ruleset: spec.ruleset.clone(),
            base_workloads: spec.base.clone(),
            held_out_workloads: (spec.held_out.iter())
                .map(|h| (h.variant.clone(), h.base.clone()))
                .collect(),
        }
    }
}

/// Each submission's performance profile, one value per τ in `tau`'s order,
/// so a reader can redraw the profile plot without recomputing it.
fn profile_section(lb: &Leaderboard) -> BTreeMap<String, Vec<Num>> {
    (lb.submissions.iter().enumerate())
        .map(|(r, s)| {
            let row = (0..lb.rules.tau.values.len())
                .map(|j| Num(lb.rules.profile[(r, j)]))
                .collect();
            (s.clone(), row)
        })
        .collect()
}

/// The leaderboard in rank order (ties by name, as in every report), with
/// how many base workloads each submission solved within the spec's largest
/// τ, so a reader sees what each score rests on.
fn ranking_section(spec: &Spec, lb: &Leaderboard) -> Vec<RankingRow> {
    (lb.ranking().into_iter())
        .map(|(rank, r)| RankingRow {
            rank,
            submission: lb.submissions[r].clone(),
            score: Num(lb.rules.scores[r]),
            solved: lb.solved(r, spec.tau.max),
        })
        .collect()
}
