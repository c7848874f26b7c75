//! The evaluator: a compiled [`Node`] tree against one item (row, trial,
//! study, cell, profile). Conditions evaluate to 1.0 or 0.0; the checker
//! guarantees each node gets the type it expects. Evaluation allocates
//! nothing: reductions collect into a caller's scratch vector, which grows
//! once and is reused.

use std::cell::RefCell;
use std::cmp::Ordering;

use nalgebra::DMatrix;

use super::{truth, Form, Node, PickKey, RowPick, Set, Var, FUNCTIONS};
use crate::numeric;
use crate::spec::series::Series;
use crate::spec::Goal;

/// A run-time error; the caller says which cell it happened in.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError(pub String);

/// One trial's evaluation rows and its workload's numbers.
pub struct Rows<'a> {
    pub series: &'a Series,
    pub goal: Goal,
    pub target: f64,
    pub budget: f64,
    pub step_hint: f64,
    /// The trial folder's framework: its index in the spec's frameworks
    /// (NaN when unknown).
    pub framework: f64,
}

/// A cell's framework where the submission's folders of the workload are
/// of several frameworks: reading `framework` there is an error.
pub const MIXED_FRAMEWORKS: f64 = -1.0;

/// One trial as the study slot sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialPoint {
    pub time: f64,
    /// The chosen row, `inf` when none.
    pub eval_index: f64,
    /// Rank of the trial's name among the study's trials.
    pub name_rank: usize,
    /// The step counter at the chosen row (`inf` when none).
    pub step: f64,
    /// The best metric value by the goal, NaN skipped (NaN when none).
    pub best: f64,
    /// The metric at the last row (NaN when none).
    pub last: f64,
    /// Whether the workload's metric is maximised (how `best` and
    /// `final` keys order).
    pub maximize: bool,
    /// The framework's index in the spec's frameworks (NaN when unknown).
    pub framework: f64,
}

impl Default for TrialPoint {
    fn default() -> Self {
        TrialPoint {
            time: f64::INFINITY,
            eval_index: f64::INFINITY,
            name_rank: 0,
            step: f64::INFINITY,
            best: f64::NAN,
            last: f64::NAN,
            maximize: false,
            framework: f64::NAN,
        }
    }
}

/// The submissions × workloads matrix a step or the ratio reads.
pub struct Cells<'a> {
    pub m: &'a DMatrix<f64>,
    /// Per column: its base workload's column, for a held-out variant.
    pub base_of: &'a [Option<usize>],
    /// Per column: its held-out variants' columns, for a base workload.
    pub variants: &'a [Vec<usize>],
    /// Base workloads' columns (what `over workloads` runs over).
    pub base_cols: &'a [usize],
    pub budget: &'a [f64],
    pub step_hint: &'a [f64],
    pub target: &'a [f64],
    /// Per column: the smallest time, NaN skipped.
    pub best: &'a [f64],
    /// Rows of the submissions `reference('…')` names, in the spec's order.
    pub references: &'a [usize],
    /// Per cell: the framework's index in the spec's frameworks (NaN where
    /// not run, [`MIXED_FRAMEWORKS`] where several); `None` where the
    /// caller has no folders to tell (a bare time matrix).
    pub frameworks: Option<&'a DMatrix<f64>>,
    /// Per (reduction id, column or row): a reduction's value once computed.
    pub cache: RefCell<Vec<f64>>,
    pub cached: RefCell<Vec<bool>>,
}

impl<'a> Cells<'a> {
    /// Room for `reductions` matrix reductions' per-column or per-row values.
    pub fn with_cache(mut self, reductions: usize) -> Self {
        let stride = self.m.nrows().max(self.m.ncols());
        self.cache = RefCell::new(vec![f64::NAN; reductions * stride]);
        self.cached = RefCell::new(vec![false; reductions * stride]);
        self
    }

    fn stride(&self) -> usize {
        self.m.nrows().max(self.m.ncols())
    }
}

/// A submission's profile, for the score.
pub struct Profile<'a> {
    pub rho: &'a [f64],
    pub taus: &'a [f64],
    pub axis: &'a [f64],
}

/// Everything a name can be evaluated against; each slot fills its part.
#[derive(Clone, Copy, Default)]
pub struct Ctx<'a> {
    pub rows: Option<&'a Rows<'a>>,
    pub row: usize,
    pub trials: &'a [TrialPoint],
    pub trial: usize,
    pub studies: &'a [f64],
    pub study: usize,
    pub cells: Option<&'a Cells<'a>>,
    pub r: usize,
    pub c: usize,
    /// The held-out variant column `held_out` reads, for a base workload.
    pub variant: Option<usize>,
    pub ratio: f64,
    pub tau: f64,
    pub profile: Option<&'a Profile<'a>>,
    pub budget: f64,
    pub factor: f64,
    pub step_hint: f64,
    /// The workload slot's cell framework (see [`Rows::framework`]).
    pub framework: f64,
    /// The submission's ratios on the base workloads (score slot).
    pub ratios: &'a [f64],
    /// The base workloads' weights, in the order of `ratios`.
    pub weights: &'a [f64],
    /// Which of `ratios` a per-workload name reads.
    pub workload: usize,
}

fn missing(what: &str) -> EvalError {
    EvalError(format!("internal error: {what} evaluated outside its slot"))
}

fn var(v: Var, cx: &Ctx) -> Result<f64, EvalError> {
    let row = || cx.rows.ok_or_else(|| missing("a row name"));
    let cells = || cx.cells.ok_or_else(|| missing("a cell name"));
    Ok(match v {
        Var::RowTime => row()?.series.time[cx.row],
        Var::RowSummaryTime => row()?.series.summary_time[cx.row],
        Var::RowStep => row()?.series.step[cx.row],
        Var::RowEvalIndex => cx.row as f64,
        Var::RowMetric => row()?.series.metric[cx.row],
        Var::RowTarget => row()?.target,
        Var::RowReached => {
            let r = row()?;
            truth(r.goal.reached(r.series.metric[cx.row], r.target))
        }
        Var::RowBudget => row()?.budget,
        Var::RowStepHint => row()?.step_hint,
        Var::TrialTime => cx.trials[cx.trial].time,
        Var::TrialEvalIndex => cx.trials[cx.trial].eval_index,
        Var::TrialName => cx.trials[cx.trial].name_rank as f64,
        Var::TrialStep => cx.trials[cx.trial].step,
        Var::TrialBest => cx.trials[cx.trial].best,
        Var::TrialFinal => cx.trials[cx.trial].last,
        Var::RowFramework => row()?.framework,
        Var::TrialFramework => cx.trials[cx.trial].framework,
        Var::StudyFramework => single_framework(cx.framework)?,
        Var::CellFramework => {
            let k = cells()?;
            let m = k.frameworks.ok_or_else(|| {
                EvalError(
                    "`framework` is unknown here: these times come without their folders".into(),
                )
            })?;
            single_framework(m[(cx.r, cx.c)])?
        }
        Var::ScoreRatio => cx.ratios.get(cx.workload).copied().unwrap_or(f64::NAN),
        Var::ScoreWeight => cx.weights.get(cx.workload).copied().unwrap_or(f64::NAN),
        Var::StudyTime => cx.studies[cx.study],
        Var::CellTime => cells()?.m[(cx.r, cx.c)],
        Var::CellBest => cells()?.best[cx.c],
        Var::CellBudget => cells()?.budget[cx.c],
        Var::CellStepHint => cells()?.step_hint[cx.c],
        Var::CellTarget => cells()?.target[cx.c],
        Var::CellBase => {
            let k = cells()?;
            let col = k.base_of[cx.c].unwrap_or(cx.c);
            k.m[(cx.r, col)]
        }
        Var::CellHeldOut => {
            let k = cells()?;
            let col = match (k.base_of[cx.c], cx.variant) {
                (Some(_), _) => cx.c,
                (None, Some(v)) => v,
                (None, None) => return Ok(f64::NAN),
            };
            k.m[(cx.r, col)]
        }
        Var::RhoRatio => cx.ratio,
        Var::RhoTau | Var::PointTau => cx.tau,
        Var::TauMin => cx.profile.map_or(f64::NAN, |p| first(p.axis)),
        Var::TauMax => cx.profile.map_or(f64::NAN, |p| last(p.axis)),
        Var::MissedBudget => cx.budget,
        Var::MissedFactor => cx.factor,
        Var::MissedStepHint => cx.step_hint,
    })
}

/// A cell's framework, or the error of a cell run in several.
fn single_framework(v: f64) -> Result<f64, EvalError> {
    if v == MIXED_FRAMEWORKS {
        return Err(EvalError(
            "`framework`: the submission's folders of this workload are of several frameworks"
                .into(),
        ));
    }
    Ok(v)
}

fn first(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn last(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// Evaluates `node` in `cx`. `scratch` holds reductions' values while they
/// are computed; pass the same vector to every call.
pub fn eval(node: &Node, cx: &Ctx, scratch: &mut Vec<f64>) -> Result<f64, EvalError> {
    let mut ev = |n: &Node| eval(n, cx, scratch);
    Ok(match node {
        Node::Const(v) => *v,
        Node::Var(v) => var(*v, cx)?,
        Node::Neg(a) => -ev(a)?,
        Node::Not(a) => truth(ev(a)? == 0.0),
        Node::Add(a, b) => ev(a)? + ev(b)?,
        Node::Sub(a, b) => ev(a)? - ev(b)?,
        Node::Mul(a, b) => ev(a)? * ev(b)?,
        Node::Div(a, b) => ev(a)? / ev(b)?,
        Node::Cmp(op, a, b) => truth(op.apply(ev(a)?, ev(b)?)),
        Node::And(a, b) => truth(ev(a)? != 0.0 && ev(b)? != 0.0),
        Node::Or(a, b) => truth(ev(a)? != 0.0 || ev(b)? != 0.0),
        Node::Math(f, a) => match FUNCTIONS[*f].form {
            Form::Math(f) => f(ev(a)?),
            _ => return Err(missing("a math function")),
        },
        Node::Extreme(max, args) => {
            let mut acc = if *max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            for a in args {
                let v = ev(a)?;
                if v.is_nan() {
                    return Ok(f64::NAN);
                }
                acc = if *max { acc.max(v) } else { acc.min(v) };
            }
            acc
        }
        Node::Finite(a) => truth(ev(a)?.is_finite()),
        Node::If(k, a, b) => {
            if ev(k)? != 0.0 {
                ev(a)?
            } else {
                ev(b)?
            }
        }
        Node::Reduce {
            f,
            set,
            arg,
            param,
            id,
        } => reduce(*f, *set, arg, param.as_deref(), *id, cx, scratch)?,
        Node::Count { set, cond, id } => count(*set, cond, *id, cx, scratch)?,
        Node::Pick(keys) => match pick_index(keys, cx, scratch)? {
            Some(i) => cx.trials[i].time,
            None => f64::INFINITY,
        },
        Node::Framework(i) => *i as f64,
        Node::Reference(i) => {
            let k = cx.cells.ok_or_else(|| missing("reference"))?;
            k.m[(k.references[*i], cx.c)]
        }
        Node::Column(i) => {
            let r = cx.rows.ok_or_else(|| missing("column"))?;
            let column = r.series.extra.get(*i).and_then(|c| c.get(cx.row));
            column.copied().unwrap_or(f64::NAN)
        }
        Node::Trapezoid(x) => {
            let p = cx.profile.ok_or_else(|| missing("trapezoid"))?;
            numeric::trapezoid(p.rho, x.as_deref().unwrap_or(p.axis))
        }
        Node::RhoAt(t) => {
            let t = ev(t)?;
            let p = cx.profile.ok_or_else(|| missing("rho_at"))?;
            match p.taus.iter().rposition(|&x| x <= t) {
                Some(j) => p.rho[j],
                None => 0.0,
            }
        }
    })
}

/// The cache slot of a matrix reduction for this cell, if it has one.
fn cache_key(set: Set, id: usize, cx: &Ctx) -> Option<usize> {
    let k = cx.cells?;
    let at = match set {
        Set::Submissions => cx.c,
        Set::Workloads => cx.r,
        _ => return None,
    };
    let key = id * k.stride() + at;
    (key < k.cached.borrow().len()).then_some(key)
}

fn cached(set: Set, id: usize, cx: &Ctx) -> Option<f64> {
    let key = cache_key(set, id, cx)?;
    let k = cx.cells?;
    let hit = k.cached.borrow()[key];
    hit.then(|| k.cache.borrow()[key])
}

fn remember(set: Set, id: usize, cx: &Ctx, v: f64) {
    if let (Some(key), Some(k)) = (cache_key(set, id, cx), cx.cells) {
        k.cache.borrow_mut()[key] = v;
        k.cached.borrow_mut()[key] = true;
    }
}

/// Calls `each` with the context of every member of `set` around `cx`.
fn members(
    set: Set,
    cx: &Ctx,
    mut each: impl FnMut(&Ctx) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    match set {
        Set::Trials => (0..cx.trials.len()).try_for_each(|trial| each(&Ctx { trial, ..*cx })),
        Set::Studies => (0..cx.studies.len()).try_for_each(|study| each(&Ctx { study, ..*cx })),
        Set::Submissions => {
            let k = cx.cells.ok_or_else(|| missing("over submissions"))?;
            let variant = k.variants[cx.c].first().copied();
            (0..k.m.nrows()).try_for_each(|r| each(&Ctx { r, variant, ..*cx }))
        }
        Set::Workloads => {
            let k = cx.cells.ok_or_else(|| missing("over workloads"))?;
            k.base_cols.iter().try_for_each(|&c| {
                let variant = k.variants[c].first().copied();
                each(&Ctx { c, variant, ..*cx })
            })
        }
        Set::Ratios => (0..cx.ratios.len()).try_for_each(|workload| each(&Ctx { workload, ..*cx })),
        Set::Rows | Set::Profile => Err(missing("a set")),
    }
}

fn reduce(
    f: usize,
    set: Set,
    arg: &Node,
    param: Option<&Node>,
    id: usize,
    cx: &Ctx,
    scratch: &mut Vec<f64>,
) -> Result<f64, EvalError> {
    if let Some(v) = cached(set, id, cx) {
        return Ok(v);
    }
    let Form::Reduce {
        f: function,
        weighted,
        ..
    } = FUNCTIONS[f].form
    else {
        return Err(missing("a reduction"));
    };
    if set == Set::Ratios {
        if let Some(w) = weighted {
            return weighted_reduce(f, w, arg, cx, scratch);
        }
    }
    let p = match param {
        Some(p) => eval(p, cx, scratch)?,
        None => f64::NAN,
    };
    let start = scratch.len();
    if set == Set::Profile {
        let profile = cx.profile.ok_or_else(|| missing("rho"))?;
        scratch.extend(profile.rho.iter().copied().filter(|v| !v.is_nan()));
    } else if let (Set::Studies, Node::Var(Var::StudyTime)) = (set, arg) {
        // The workload formula's usual reduction (`median(studies)`): the
        // study times themselves, as `members` would give them one by one
        // (`stability` reduces every cell of every resample).
        scratch.extend(cx.studies.iter().copied().filter(|v| !v.is_nan()));
    } else {
        members(set, cx, |m| {
            let v = eval(arg, m, scratch)?;
            if !v.is_nan() {
                scratch.push(v);
            }
            Ok(())
        })?;
    }
    let out = function(&mut scratch[start..], p)
        .map_err(|e| EvalError(format!("`{}`: {e}", FUNCTIONS[f].name)));
    scratch.truncate(start);
    let out = out?;
    remember(set, id, cx, out);
    Ok(out)
}

/// `R(X over workloads)` in the score slot: X of each base workload with
/// its weight, NaN values skipped.
fn weighted_reduce(
    f: usize,
    function: super::WeightedFn,
    arg: &Node,
    cx: &Ctx,
    scratch: &mut Vec<f64>,
) -> Result<f64, EvalError> {
    let mut pairs = Vec::with_capacity(cx.ratios.len());
    members(Set::Ratios, cx, |m| {
        let v = eval(arg, m, scratch)?;
        if !v.is_nan() {
            pairs.push((v, m.weights.get(m.workload).copied().unwrap_or(1.0)));
        }
        Ok(())
    })?;
    function(&pairs).map_err(|e| EvalError(format!("`{}`: {e}", FUNCTIONS[f].name)))
}

fn count(
    set: Set,
    cond: &Node,
    id: usize,
    cx: &Ctx,
    scratch: &mut Vec<f64>,
) -> Result<f64, EvalError> {
    if let Some(v) = cached(set, id, cx) {
        return Ok(v);
    }
    let mut n = 0usize;
    members(set, cx, |m| {
        if eval(cond, m, scratch)? != 0.0 {
            n += 1;
        }
        Ok(())
    })?;
    remember(set, id, cx, n as f64);
    Ok(n as f64)
}

/// The trial `pick` chooses: among the trials whose trial slot chose a row,
/// the smallest by the keys in order, then by time, then by name.
pub fn pick_index(
    keys: &[PickKey],
    cx: &Ctx,
    scratch: &mut Vec<f64>,
) -> Result<Option<usize>, EvalError> {
    let mut best: Option<usize> = None;
    for i in 0..cx.trials.len() {
        if !cx.trials[i].eval_index.is_finite() {
            continue;
        }
        let better = match best {
            None => true,
            Some(b) => compare(keys, i, b, cx, scratch)? == Ordering::Less,
        };
        if better {
            best = Some(i);
        }
    }
    Ok(best)
}

fn compare(
    keys: &[PickKey],
    a: usize,
    b: usize,
    cx: &Ctx,
    scratch: &mut Vec<f64>,
) -> Result<Ordering, EvalError> {
    let (ta, tb) = (&cx.trials[a], &cx.trials[b]);
    for k in keys {
        let ord = match k {
            PickKey::Name => ta.name_rank.cmp(&tb.name_rank),
            PickKey::Number(n) => {
                let x = eval(n, &Ctx { trial: a, ..*cx }, scratch)?;
                let y = eval(n, &Ctx { trial: b, ..*cx }, scratch)?;
                x.total_cmp(&y)
            }
            PickKey::Metric(v) => {
                let x = var(*v, &Ctx { trial: a, ..*cx })?;
                let y = var(*v, &Ctx { trial: b, ..*cx })?;
                better_first(x, y, ta.maximize)
            }
        };
        if ord != Ordering::Equal {
            return Ok(ord);
        }
    }
    Ok(ta
        .time
        .total_cmp(&tb.time)
        .then(ta.name_rank.cmp(&tb.name_rank)))
}

/// Metric values ordered better first by the goal; NaN after every number.
fn better_first(x: f64, y: f64, maximize: bool) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if maximize => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// The row a trial formula chooses (`None`: no row qualifies) and the value
/// there (`inf` when none).
pub fn select_row(
    pick: RowPick,
    value: &Node,
    cond: Option<&Node>,
    rows: &Rows,
    scratch: &mut Vec<f64>,
) -> Result<(Option<usize>, f64), EvalError> {
    let n = rows.series.len();
    let mut chosen: Option<(usize, f64)> = None;
    let mut cx = Ctx {
        rows: Some(rows),
        ..Default::default()
    };
    for row in 0..n {
        cx.row = row;
        if let Some(c) = cond {
            if eval(c, &cx, scratch)? == 0.0 {
                continue;
            }
        }
        let v = eval(value, &cx, scratch)?;
        match pick {
            RowPick::First => return Ok((Some(row), v)),
            RowPick::Last => chosen = Some((row, v)),
            RowPick::Min | RowPick::Max => {
                if v.is_nan() {
                    continue;
                }
                let better = match chosen {
                    None => true,
                    Some((_, b)) => {
                        (pick == RowPick::Min && v < b) || (pick == RowPick::Max && v > b)
                    }
                };
                if better {
                    chosen = Some((row, v));
                }
            }
        }
    }
    Ok(match chosen {
        Some((row, v)) => (Some(row), v),
        None => (None, f64::INFINITY),
    })
}

// ---------------------------------------------------------------------------
// Reductions over a set (NaN already removed). The registry points here.

/// Why a reduction has no value (the function's name is added by the caller).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ReduceError {
    #[error("a value ≤ 0 ({}) has no geometric mean", numeric::py_repr(*.0))]
    NotPositive(f64),
    #[error("q must be from 0 to 1, found {}", numeric::py_repr(*.0))]
    Quantile(f64),
    #[error("k must be a whole number ≥ 0, found {}", numeric::py_repr(*.0))]
    TrimCount(f64),
}

/// Over the score's workloads, weights do not change the smallest value.
pub(super) fn weighted_min(v: &[(f64, f64)]) -> Result<f64, ReduceError> {
    Ok(v.iter()
        .map(|p| p.0)
        .reduce(f64::min)
        .unwrap_or(f64::INFINITY))
}

/// Over the score's workloads, weights do not change the largest value.
pub(super) fn weighted_max(v: &[(f64, f64)]) -> Result<f64, ReduceError> {
    Ok(v.iter()
        .map(|p| p.0)
        .reduce(f64::max)
        .unwrap_or(f64::INFINITY))
}

/// Σ weight·x / Σ weight; inf when any x is inf (as `mean`); empty: inf.
pub(super) fn weighted_mean(v: &[(f64, f64)]) -> Result<f64, ReduceError> {
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    let xs: Vec<f64> = v.iter().map(|p| p.0).collect();
    if let Some(inf) = infinite_part(&xs) {
        return Ok(inf);
    }
    let products: Vec<f64> = v.iter().map(|(x, w)| x * w).collect();
    let weights: Vec<f64> = v.iter().map(|p| p.1).collect();
    Ok(numeric::pairwise_sum(&products) / numeric::pairwise_sum(&weights))
}

/// exp(Σ weight·ln x / Σ weight); an error for x ≤ 0, inf when any x is
/// inf; empty: inf.
pub(super) fn weighted_geomean(v: &[(f64, f64)]) -> Result<f64, ReduceError> {
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    if let Some(bad) = v.iter().find(|p| p.0 <= 0.0) {
        return Err(ReduceError::NotPositive(bad.0));
    }
    if v.iter().any(|p| p.0 == f64::INFINITY) {
        return Ok(f64::INFINITY);
    }
    let logs: Vec<f64> = v.iter().map(|(x, w)| w * x.ln()).collect();
    let weights: Vec<f64> = v.iter().map(|p| p.1).collect();
    Ok((numeric::pairwise_sum(&logs) / numeric::pairwise_sum(&weights)).exp())
}

fn sort(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

pub(super) fn red_min(v: &mut [f64], _: f64) -> Result<f64, ReduceError> {
    Ok(v.iter().copied().reduce(f64::min).unwrap_or(f64::INFINITY))
}

pub(super) fn red_max(v: &mut [f64], _: f64) -> Result<f64, ReduceError> {
    Ok(v.iter().copied().reduce(f64::max).unwrap_or(f64::INFINITY))
}

/// `inf` when any value is `inf` (−inf when any is −inf and none +inf).
fn infinite_part(v: &[f64]) -> Option<f64> {
    if v.contains(&f64::INFINITY) {
        Some(f64::INFINITY)
    } else if v.contains(&f64::NEG_INFINITY) {
        Some(f64::NEG_INFINITY)
    } else {
        None
    }
}

pub(super) fn red_mean(v: &mut [f64], _: f64) -> Result<f64, ReduceError> {
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    Ok(infinite_part(v).unwrap_or_else(|| numeric::mean(v)))
}

pub(super) fn red_median(v: &mut [f64], _: f64) -> Result<f64, ReduceError> {
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    Ok(numeric::median_in_place(v))
}

pub(super) fn red_geomean(v: &mut [f64], _: f64) -> Result<f64, ReduceError> {
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    if let Some(bad) = v.iter().find(|x| **x <= 0.0) {
        return Err(ReduceError::NotPositive(*bad));
    }
    if v.contains(&f64::INFINITY) {
        return Ok(f64::INFINITY);
    }
    for x in v.iter_mut() {
        *x = x.ln();
    }
    Ok((numeric::pairwise_sum(v) / v.len() as f64).exp())
}

pub(super) fn red_quantile(v: &mut [f64], q: f64) -> Result<f64, ReduceError> {
    if !(0.0..=1.0).contains(&q) {
        return Err(ReduceError::Quantile(q));
    }
    if v.is_empty() {
        return Ok(f64::INFINITY);
    }
    sort(v);
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let t = pos - lo as f64;
    if t == 0.0 {
        return Ok(v[lo]);
    }
    let (a, b) = (v[lo], v[lo + 1]);
    if a.is_infinite() || b.is_infinite() {
        return Ok(if a == f64::NEG_INFINITY { a } else { b.max(a) });
    }
    // numpy's lerp: from the nearer end, so both ends are exact.
    let d = b - a;
    Ok(if t < 0.5 {
        a + d * t
    } else {
        b - d * (1.0 - t)
    })
}

pub(super) fn red_trimmed_mean(v: &mut [f64], k: f64) -> Result<f64, ReduceError> {
    if !(k >= 0.0 && k.fract() == 0.0) {
        return Err(ReduceError::TrimCount(k));
    }
    sort(v);
    let k = k as usize;
    if k.saturating_mul(2) >= v.len() {
        return Ok(f64::INFINITY);
    }
    let n = v.len();
    red_mean(&mut v[k..n - k], 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_numpy_linear() {
        let mut v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(red_quantile(&mut v, 0.25), Ok(1.75));
        let mut v = [1.0, 2.0, f64::INFINITY];
        assert_eq!(red_quantile(&mut v, 0.5), Ok(2.0));
        assert_eq!(red_quantile(&mut v, 0.75), Ok(f64::INFINITY));
        assert_eq!(red_quantile(&mut v, 1.0), Ok(f64::INFINITY));
    }

    #[test]
    fn empty_sets_are_infinite_and_geomean_refuses_zero() {
        assert_eq!(red_median(&mut [], 0.0), Ok(f64::INFINITY));
        assert_eq!(red_min(&mut [], 0.0), Ok(f64::INFINITY));
        assert!(red_geomean(&mut [1.0, 0.0], 0.0).is_err());
        assert_eq!(red_geomean(&mut [2.0, 8.0], 0.0), Ok(4.0));
        assert_eq!(red_mean(&mut [1.0, f64::INFINITY], 0.0), Ok(f64::INFINITY));
        assert_eq!(red_trimmed_mean(&mut [9.0, 1.0, 2.0, 3.0], 1.0), Ok(2.5));
        assert_eq!(red_trimmed_mean(&mut [1.0, 2.0], 1e300), Ok(f64::INFINITY));
    }

    #[test]
    fn weighted_reductions_over_the_score_workloads() {
        // (3·1 + 1·2) / 4; (3·2 + 1·1) / 4.
        assert_eq!(weighted_mean(&[(1.0, 3.0), (2.0, 1.0)]), Ok(1.25));
        assert_eq!(weighted_mean(&[(2.0, 3.0), (1.0, 1.0)]), Ok(1.75));
        // exp((1·ln 4 + 1·ln 16) / 2) = 8; weights 3:1 on (2, 32):
        // exp((3 ln 2 + 5 ln 2) / 4) = 2^2 = 4.
        assert!((weighted_geomean(&[(4.0, 1.0), (16.0, 1.0)]).unwrap() - 8.0).abs() < 1e-14);
        assert!((weighted_geomean(&[(2.0, 3.0), (32.0, 1.0)]).unwrap() - 4.0).abs() < 1e-14);
        assert_eq!(
            weighted_geomean(&[(2.0, 1.0), (f64::INFINITY, 1.0)]),
            Ok(f64::INFINITY)
        );
        assert!(weighted_geomean(&[(2.0, 1.0), (0.0, 1.0)]).is_err());
        assert_eq!(weighted_mean(&[]), Ok(f64::INFINITY));
        assert_eq!(weighted_min(&[(3.0, 9.0), (2.0, 1.0)]), Ok(2.0));
        assert_eq!(weighted_max(&[(3.0, 9.0), (2.0, 1.0)]), Ok(3.0));
    }

    #[test]
    fn metric_keys_order_better_first_and_nan_last() {
        assert_eq!(better_first(0.1, 0.2, false), Ordering::Less);
        assert_eq!(better_first(0.1, 0.2, true), Ordering::Greater);
        assert_eq!(better_first(f64::NAN, 0.2, true), Ordering::Greater);
        assert_eq!(better_first(0.2, f64::NAN, false), Ordering::Less);
    }
}
