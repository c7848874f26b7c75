//! The rule language after parsing: one registry of built-in names and
//! functions, one checker (`check`) that types a formula in its slot and
//! compiles it to a [`Node`] tree, and one evaluator (`eval`).
//!
//! Every built-in is defined once, in [`NAMES`] and [`FUNCTIONS`]: its name,
//! where it may stand, its one-line description, an example, and its
//! evaluation. The checker, the evaluator, `spec explain` and the language
//! reference (docs/language.md, checked for completeness by a test) all read
//! these tables.

pub mod check;
pub mod eval;

pub use check::{compile, Compiled, Problem};
pub use eval::{eval, Ctx, EvalError};

use super::formula::CmpOp;

/// The places a formula stands in a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `[aggregate] trial`
    Trial,
    /// `[aggregate] study`
    Study,
    /// `[aggregate] workload`
    Workload,
    /// `[rules] steps`
    Step,
    /// `[profile] tau`
    Tau,
    /// `[profile] ratio`
    Ratio,
    /// `[profile] rho`
    Rho,
    /// `[profile] score`
    Score,
    /// `[budget] missed`
    Missed,
}

impl Slot {
    /// Where the slot is written in a spec.
    pub fn key(self) -> &'static str {
        match self {
            Slot::Trial => "[aggregate] trial",
            Slot::Study => "[aggregate] study",
            Slot::Workload => "[aggregate] workload",
            Slot::Step => "[rules] steps",
            Slot::Tau => "[profile] tau",
            Slot::Ratio => "[profile] ratio",
            Slot::Rho => "[profile] rho",
            Slot::Score => "[profile] score",
            Slot::Missed => "[budget] missed",
        }
    }
}

/// What a name is evaluated against: one evaluation row of a trial, one
/// trial of a study, one study of a workload, one cell of the
/// submissions × workloads matrix, one (ratio, τ) pair of ρ, the profile of
/// one submission, one τ point, one workload's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Row,
    Trial,
    Study,
    Cell,
    RhoCell,
    Profile,
    TauPoint,
    Missed,
    /// One base workload of the submission in the score slot
    /// (`geomean(ratio over workloads)`).
    ScoreWorkload,
    /// A slot's own level where no per-item name exists (study, workload,
    /// τ grid arguments).
    Outer,
}

impl Scope {
    /// How errors name the scope.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::Row => "an evaluation row",
            Scope::Trial => "a trial",
            Scope::Study => "a study",
            Scope::Cell => "a matrix cell",
            Scope::RhoCell => "ρ's condition",
            Scope::Profile => "the profile",
            Scope::TauPoint => "a τ point",
            Scope::Missed => "a missed target",
            Scope::ScoreWorkload => "a workload of the score's `over workloads`",
            Scope::Outer => "this slot",
        }
    }
}

/// The value kinds of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    Condition,
    /// The trial folder's name: a key of `pick` only.
    Text,
    /// A trial's metric value (`best`, `final`): a whole key of `pick`
    /// only, ordered by the workload's goal (better first).
    Metric,
    /// A framework (`framework`): compared with a quoted name of
    /// `[workloads] frameworks` by `==` or `!=`.
    Framework,
}

impl Type {
    pub fn describe(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Condition => "a condition",
            Type::Text => "a text key",
            Type::Metric => "a metric value",
            Type::Framework => "a framework",
        }
    }
}

/// A resolved name: which value of which scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    RowTime,
    RowSummaryTime,
    RowStep,
    RowEvalIndex,
    RowMetric,
    RowTarget,
    RowReached,
    RowBudget,
    RowStepHint,
    TrialTime,
    TrialEvalIndex,
    TrialName,
    TrialStep,
    TrialBest,
    TrialFinal,
    RowFramework,
    TrialFramework,
    StudyFramework,
    CellFramework,
    ScoreRatio,
    ScoreWeight,
    StudyTime,
    CellTime,
    CellBest,
    CellBudget,
    CellStepHint,
    CellTarget,
    CellBase,
    CellHeldOut,
    RhoRatio,
    RhoTau,
    TauMin,
    TauMax,
    PointTau,
    MissedBudget,
    MissedFactor,
    MissedStepHint,
}

/// One built-in name.
pub struct NameDef {
    pub name: &'static str,
    pub scope: Scope,
    pub var: Var,
    pub ty: Type,
    pub about: &'static str,
}

const fn name(
    name: &'static str,
    scope: Scope,
    var: Var,
    ty: Type,
    about: &'static str,
) -> NameDef {
    NameDef {
        name,
        scope,
        var,
        ty,
        about,
    }
}

use Scope as S;
use Type as T;

/// Every built-in name, per scope.
pub const NAMES: &[NameDef] = &[
    name("time", S::Row, Var::RowTime, T::Number, "the `[columns] time` column at this row"),
    name("summary_time", S::Row, Var::RowSummaryTime, T::Number, "the `[columns] summary_time` column at this row"),
    name("step", S::Row, Var::RowStep, T::Number, "the `[columns] step` column at this row"),
    name("eval_index", S::Row, Var::RowEvalIndex, T::Number, "the row's 0-based number in the file"),
    name("metric", S::Row, Var::RowMetric, T::Number, "the workload's target metric at this row"),
    name("target", S::Row, Var::RowTarget, T::Number, "the workload's target value"),
    name("reached", S::Row, Var::RowReached, T::Condition, "the metric reaches the target by the workload's goal (NaN never does)"),
    name("budget", S::Row, Var::RowBudget, T::Number, "the workload's runtime budget from the targets (a held-out variant without one has its base's)"),
    name("step_hint", S::Row, Var::RowStepHint, T::Number, "the workload's step hint from the targets"),
    name("time", S::Trial, Var::TrialTime, T::Number, "the trial's result from `[aggregate] trial`"),
    name("eval_index", S::Trial, Var::TrialEvalIndex, T::Number, "the row the trial slot chose (inf when none)"),
    name("name", S::Trial, Var::TrialName, T::Text, "the trial folder's name (a key of `pick` only)"),
    name("step", S::Trial, Var::TrialStep, T::Number, "the `[columns] step` value at the row the trial slot chose (inf when none; NaN where that row has none)"),
    name("best", S::Trial, Var::TrialBest, T::Metric, "the best value of the compared metric over all the trial's rows, by the workload's goal (the smallest of a minimised metric, the largest of a maximised one), NaN skipped (NaN when every value is NaN); a whole key of `pick` only, ordered better first"),
    name("final", S::Trial, Var::TrialFinal, T::Metric, "the compared metric at the trial's last row (NaN when that value is NaN or the file has no row); a whole key of `pick` only, ordered better first"),
    name("framework", S::Row, Var::RowFramework, T::Framework, "the framework of the trial's workload folder (its suffix: `jax` of `wmt_jax`), compared with a quoted name: `framework == 'jax'`"),
    name("framework", S::Trial, Var::TrialFramework, T::Framework, "the framework of the trial's workload folder, compared with a quoted name"),
    name("framework", S::Study, Var::StudyFramework, T::Framework, "the framework the submission ran this workload in (an error when its folders of the workload are of several), compared with a quoted name"),
    name("framework", S::Cell, Var::CellFramework, T::Framework, "the framework the submission ran this workload in (an error when its folders are of several; neither `==` nor `!=` holds where it did not run), compared with a quoted name"),
    name("ratio", S::ScoreWorkload, Var::ScoreRatio, T::Number, "the submission's ratio on this base workload after the steps (NaN where it did not run, inf where a step cut it)"),
    name("weight", S::ScoreWorkload, Var::ScoreWeight, T::Number, "the base workload's weight from `[workloads] weights` (1 when not given)"),
    name("time", S::Study, Var::StudyTime, T::Number, "the study's time from `[aggregate] study`"),
    name("time", S::Cell, Var::CellTime, T::Number, "this cell's time (NaN where the submission did not run the workload)"),
    name("best", S::Cell, Var::CellBest, T::Number, "the column's smallest time, NaN skipped (NaN when nobody has one)"),
    name("budget", S::Cell, Var::CellBudget, T::Number, "the workload's runtime budget (a held-out variant without one has its base's)"),
    name("step_hint", S::Cell, Var::CellStepHint, T::Number, "the workload's step hint"),
    name("target", S::Cell, Var::CellTarget, T::Number, "the workload's target value"),
    name("base", S::Cell, Var::CellBase, T::Number, "for a held-out variant, the submission's time on its base workload; for a base workload, its own time"),
    name("held_out", S::Cell, Var::CellHeldOut, T::Number, "for a base workload, the submission's time on its held-out variant (a step naming it leaves base workloads without a variant alone); for a variant, its own time"),
    name("ratio", S::RhoCell, Var::RhoRatio, T::Number, "the workload's ratio from `[profile] ratio`"),
    name("tau", S::RhoCell, Var::RhoTau, T::Number, "the τ value"),
    name("tau_min", S::Profile, Var::TauMin, T::Number, "the first point of the integration axis (log10 τ on a logspace grid)"),
    name("tau_max", S::Profile, Var::TauMax, T::Number, "the last point of the integration axis (log10 τ on a logspace grid)"),
    name("tau", S::TauPoint, Var::PointTau, T::Number, "the τ value of a grid point"),
    name("budget", S::Missed, Var::MissedBudget, T::Number, "the workload's runtime budget from the targets"),
    name("factor", S::Missed, Var::MissedFactor, T::Number, "`[budget] factor` (1 when absent)"),
    name("step_hint", S::Missed, Var::MissedStepHint, T::Number, "the workload's step hint"),
];

/// The sets a reduction can run over, and the token that names each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// A trial's evaluation rows (`first`, `last`, `min`, `max` in the trial slot).
    Rows,
    /// A study's trials (`trials`, or a per-trial expression).
    Trials,
    /// A workload's studies (`studies`, or a per-study expression).
    Studies,
    /// A matrix column (`X over submissions`).
    Submissions,
    /// A matrix row of base workloads (`X over workloads`).
    Workloads,
    /// The submission's profile (`rho`).
    Profile,
    /// The submission's ratios on the base workloads, in the score slot
    /// (`R(X over workloads)`), each with its weight.
    Ratios,
}

/// How a row selector chooses its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPick {
    First,
    Last,
    Min,
    Max,
}

/// A reduction over a set of numbers, NaN already removed. `Err` carries
/// what went wrong; the caller names the cell.
pub type ReduceFn = fn(&mut [f64], f64) -> Result<f64, eval::ReduceError>;

/// A reduction over (value, weight) pairs, NaN values already removed:
/// what `R(X over workloads)` in the score slot computes where the spec
/// has `[workloads] weights`.
pub type WeightedFn = fn(&[(f64, f64)]) -> Result<f64, eval::ReduceError>;

/// A scalar function of one number.
pub type MathFn = fn(f64) -> f64;

/// How a built-in function is checked and evaluated.
#[derive(Clone, Copy)]
pub enum Form {
    /// `f(x)`: a number of a number.
    Math(MathFn),
    /// `min(a, b, …)` / `max(a, b, …)`: at least two numbers.
    Extreme { max: bool },
    /// `finite(x)`: a condition.
    Finite,
    /// `if(cond, a, b)`.
    If,
    /// `first(X where C)` …: the value at the chosen row of a trial.
    Rows(RowPick),
    /// `R(trials)`, `R(studies)`, `R(X over submissions)`, `R(rho)`; with
    /// `param` a second number argument (`quantile`'s q).
    Reduce {
        f: ReduceFn,
        param: Option<&'static str>,
        /// How the score slot's `over workloads` applies weights; `None`:
        /// the reduction has no weighted form, and a spec with weights
        /// other than 1 may not use it there.
        weighted: Option<WeightedFn>,
    },
    /// `count(C over submissions|workloads)` in the steps and the score,
    /// `count(trials|studies where C)` or `count(C)` in the aggregate slots.
    Count,
    /// `pick(trials, by = K, then = K2 …)`.
    Pick,
    /// `reference('NAME')`.
    Reference,
    /// `column('NAME')`: another column of the trial file, at this row.
    Column,
    /// `linspace(a, b, n)` / `logspace(a, b, n)`.
    Grid { log: bool },
    /// `fraction(C)`: ρ's weighted fraction of base workloads.
    Fraction,
    /// `trapezoid(rho[, x = X])`.
    Trapezoid,
    /// `rho_at(t)`.
    RhoAt,
}

/// One built-in function.
pub struct FnDef {
    pub name: &'static str,
    pub form: Form,
    pub slots: &'static [Slot],
    pub about: &'static str,
    pub example: &'static str,
}

/// Every slot (the places of a spec that hold formulas).
pub const ALL: &[Slot] = &[
    Slot::Trial,
    Slot::Study,
    Slot::Workload,
    Slot::Step,
    Slot::Tau,
    Slot::Ratio,
    Slot::Rho,
    Slot::Score,
    Slot::Missed,
];
const SETS: &[Slot] = &[Slot::Study, Slot::Workload, Slot::Step, Slot::Score];
/// `median` and its kin have no form over ρ, but one over the score's
/// `X over workloads`.
const SETS_NO_PROFILE: &[Slot] = SETS;

/// Every built-in function. A name may have several forms (`min(a, b)`,
/// `min(trials)`, `min(X where C)`): the checker picks the form by the slot
/// and the arguments.
pub const FUNCTIONS: &[FnDef] = &[
    FnDef { name: "abs", form: Form::Math(f64::abs), slots: ALL, about: "absolute value", example: "abs(time - budget)" },
    FnDef { name: "sqrt", form: Form::Math(f64::sqrt), slots: ALL, about: "square root", example: "sqrt(time)" },
    FnDef { name: "exp", form: Form::Math(f64::exp), slots: ALL, about: "e to the power x", example: "exp(1)" },
    FnDef { name: "log", form: Form::Math(f64::ln), slots: ALL, about: "natural logarithm", example: "log(time / best)" },
    FnDef { name: "log2", form: Form::Math(f64::log2), slots: ALL, about: "base-2 logarithm", example: "log2(time / best)" },
    FnDef { name: "log10", form: Form::Math(f64::log10), slots: ALL, about: "base-10 logarithm", example: "log10(tau)" },
    FnDef { name: "min", form: Form::Extreme { max: false }, slots: ALL, about: "the smallest of two or more numbers (NaN if any is NaN)", example: "min(time, budget)" },
    FnDef { name: "max", form: Form::Extreme { max: true }, slots: ALL, about: "the largest of two or more numbers (NaN if any is NaN)", example: "max(time, 1)" },
    FnDef { name: "finite", form: Form::Finite, slots: ALL, about: "the number is neither ±inf nor NaN (a condition)", example: "not finite(base)" },
    FnDef { name: "if", form: Form::If, slots: ALL, about: "a when the condition holds, else b", example: "if(finite(time), time, budget)" },
    FnDef { name: "first", form: Form::Rows(RowPick::First), slots: &[Slot::Trial], about: "X at the first row where C holds; inf when none does", example: "first(time where reached)" },
    FnDef { name: "last", form: Form::Rows(RowPick::Last), slots: &[Slot::Trial], about: "X at the last row where C holds; inf when none does", example: "last(time where reached)" },
    FnDef { name: "min", form: Form::Rows(RowPick::Min), slots: &[Slot::Trial], about: "the smallest X (NaN skipped) over rows where C holds, at its first row; inf when none", example: "min(time where reached)" },
    FnDef { name: "max", form: Form::Rows(RowPick::Max), slots: &[Slot::Trial], about: "the largest X (NaN skipped) over rows where C holds, at its first row; inf when none", example: "max(metric where time <= budget)" },
    FnDef { name: "min", form: Form::Reduce { f: eval::red_min, param: None, weighted: Some(eval::weighted_min) }, slots: SETS, about: "the smallest value of the set", example: "min(trials)" },
    FnDef { name: "max", form: Form::Reduce { f: eval::red_max, param: None, weighted: Some(eval::weighted_max) }, slots: SETS, about: "the largest value of the set", example: "max(studies)" },
    FnDef { name: "mean", form: Form::Reduce { f: eval::red_mean, param: None, weighted: Some(eval::weighted_mean) }, slots: SETS, about: "the arithmetic mean; inf when any value is inf; over the score's workloads, weighted: Σ weight·x / Σ weight", example: "mean(studies)" },
    FnDef { name: "median", form: Form::Reduce { f: eval::red_median, param: None, weighted: None }, slots: SETS_NO_PROFILE, about: "the middle value; the mean of the two middle ones for an even count", example: "median(studies)" },
    FnDef { name: "geomean", form: Form::Reduce { f: eval::red_geomean, param: None, weighted: Some(eval::weighted_geomean) }, slots: SETS_NO_PROFILE, about: "the geometric mean; inf when any value is inf; an error for a value ≤ 0; over the score's workloads, weighted: exp(Σ weight·ln x / Σ weight)", example: "geomean(studies)" },
    FnDef { name: "quantile", form: Form::Reduce { f: eval::red_quantile, param: Some("q"), weighted: None }, slots: SETS_NO_PROFILE, about: "numpy's linear quantile q (0 ≤ q ≤ 1)", example: "quantile(studies, 0.25)" },
    FnDef { name: "trimmed_mean", form: Form::Reduce { f: eval::red_trimmed_mean, param: Some("k"), weighted: None }, slots: SETS_NO_PROFILE, about: "the mean after dropping the k smallest and the k largest values", example: "trimmed_mean(studies, 1)" },
    FnDef { name: "count", form: Form::Count, slots: &[Slot::Study, Slot::Workload, Slot::Step, Slot::Score], about: "how many members the condition holds for: trials or studies (`count(studies where C)`, `count(C)`; `count(studies)` counts them all), cells of a column or row in the steps, base workloads (unweighted) in the score", example: "if(count(studies where finite(time)) >= 4, median(studies), inf)" },
    FnDef { name: "pick", form: Form::Pick, slots: &[Slot::Study], about: "the time of the trial (among those whose trial slot chose a row) with the smallest key (for `best` and `final`, the better metric value), ties broken by the next keys, then time, then name", example: "pick(trials, by = eval_index, then = best)" },
    FnDef { name: "column", form: Form::Column, slots: &[Slot::Trial], about: "the trial file's column NAME at this row (NaN where it is missing or not a number)", example: "first(time where reached and column('train/loss') < 3)" },
    FnDef { name: "reference", form: Form::Reference, slots: &[Slot::Step, Slot::Ratio], about: "the named submission's time on this workload (an error when it is not scored)", example: "time / reference('baseline')" },
    FnDef { name: "linspace", form: Form::Grid { log: false }, slots: &[Slot::Tau], about: "n τ values evenly spaced from a to b (numpy's linspace)", example: "linspace(1, 4, 100)" },
    FnDef { name: "logspace", form: Form::Grid { log: true }, slots: &[Slot::Tau], about: "n τ values from a to b evenly spaced in log10 (values, not exponents)", example: "logspace(1, 4, 100)" },
    FnDef { name: "fraction", form: Form::Fraction, slots: &[Slot::Rho], about: "the weighted fraction of base workloads whose condition holds; of a number in [0, 1] per workload (partial credit), its weighted mean (an error naming the cell outside [0, 1]); a ratio of inf or NaN counts 0", example: "fraction(min(1, tau / ratio))" },
    FnDef { name: "trapezoid", form: Form::Trapezoid, slots: &[Slot::Score], about: "the trapezoid integral of ρ over the grid's axis (τ; log10 τ for logspace) or over x", example: "trapezoid(rho, x = log2(tau))" },
    FnDef { name: "rho_at", form: Form::RhoAt, slots: &[Slot::Score], about: "ρ at the last grid point ≤ t (0 when t is below the grid)", example: "rho_at(2)" },
];

/// The function a reduction form is, for explain texts.
pub fn describe_function(name: &str) -> Vec<&'static FnDef> {
    FUNCTIONS.iter().filter(|f| f.name == name).collect()
}

/// A condition's truth as the evaluator carries it.
#[inline]
pub fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// The compiled form of a formula: a tree of resolved operations.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Const(f64),
    Var(Var),
    Neg(Box<Node>),
    Not(Box<Node>),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// Index into [`FUNCTIONS`] of a [`Form::Math`].
    Math(usize, Box<Node>),
    Extreme(bool, Vec<Node>),
    Finite(Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    /// A reduction of `arg` over a set; `id` numbers the matrix reductions
    /// of one formula (their per-column or per-row cache).
    Reduce {
        /// Index into [`FUNCTIONS`] of a [`Form::Reduce`].
        f: usize,
        set: Set,
        arg: Box<Node>,
        param: Option<Box<Node>>,
        id: usize,
    },
    Count {
        set: Set,
        cond: Box<Node>,
        id: usize,
    },
    /// `pick(trials, by = …)`: the keys in order.
    Pick(Vec<PickKey>),
    /// A constant of the checker: a framework's index in `[workloads]
    /// frameworks` (`framework == 'jax'`).
    Framework(usize),
    /// Index into the spec's list of referenced submissions.
    Reference(usize),
    /// Index into the spec's list of `column('…')` columns.
    Column(usize),
    /// `trapezoid(rho)` over the grid's axis, or over a precomputed x.
    Trapezoid(Option<Vec<f64>>),
    RhoAt(Box<Node>),
}

/// A key of `pick`.
#[derive(Debug, Clone, PartialEq)]
pub enum PickKey {
    Name,
    Number(Node),
    /// `best` or `final`: ordered by the workload's goal, better first.
    Metric(Var),
}

impl Node {
    /// Whether any node of the tree satisfies `f`.
    pub fn any(&self, f: &dyn Fn(&Node) -> bool) -> bool {
        if f(self) {
            return true;
        }
        match self {
            Node::Const(_)
            | Node::Var(_)
            | Node::Reference(_)
            | Node::Column(_)
            | Node::Framework(_)
            | Node::Trapezoid(_) => false,
            Node::Neg(a) | Node::Not(a) | Node::Math(_, a) | Node::Finite(a) | Node::RhoAt(a) => {
                a.any(f)
            }
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Cmp(_, a, b)
            | Node::And(a, b)
            | Node::Or(a, b) => a.any(f) || b.any(f),
            Node::Extreme(_, v) => v.iter().any(|n| n.any(f)),
            Node::If(a, b, c) => a.any(f) || b.any(f) || c.any(f),
            Node::Reduce { arg, param, .. } => {
                arg.any(f) || param.as_ref().is_some_and(|p| p.any(f))
            }
            Node::Count { cond, .. } => cond.any(f),
            Node::Pick(keys) => keys.iter().any(|k| match k {
                PickKey::Name => false,
                PickKey::Number(n) => n.any(f),
                PickKey::Metric(v) => f(&Node::Var(*v)),
            }),
        }
    }

    /// Whether the tree reads `var`.
    pub fn uses(&self, var: Var) -> bool {
        self.any(&|n| matches!(n, Node::Var(v) if *v == var))
    }
}

/// The registry entry of a function form, by its variant.
fn def_of(pred: impl Fn(&Form) -> bool) -> Option<&'static FnDef> {
    FUNCTIONS.iter().find(|f| pred(&f.form))
}

/// The built-ins a compiled formula uses, each once with its description
/// from the registry: what `spec explain` prints under each formula.
pub fn builtins(node: &Node) -> Vec<(&'static str, &'static str)> {
    let found = std::cell::RefCell::new(Vec::<(&'static str, &'static str)>::new());
    node.any(&|n| {
        let entry: Option<(&'static str, &'static str)> = match n {
            Node::Var(v) => NAMES
                .iter()
                .find(|d| d.var == *v)
                .map(|d| (d.name, d.about)),
            Node::Math(i, _) | Node::Reduce { f: i, .. } => {
                Some((FUNCTIONS[*i].name, FUNCTIONS[*i].about))
            }
            Node::Extreme(max, _) => def_of(|f| matches!(f, Form::Extreme { max: m } if m == max))
                .map(|d| (d.name, d.about)),
            Node::Finite(_) => def_of(|f| matches!(f, Form::Finite)).map(|d| (d.name, d.about)),
            Node::If(..) => def_of(|f| matches!(f, Form::If)).map(|d| (d.name, d.about)),
            Node::Count { .. } => def_of(|f| matches!(f, Form::Count)).map(|d| (d.name, d.about)),
            Node::Pick(_) => def_of(|f| matches!(f, Form::Pick)).map(|d| (d.name, d.about)),
            Node::Reference(_) => {
                def_of(|f| matches!(f, Form::Reference)).map(|d| (d.name, d.about))
            }
            Node::Column(_) => def_of(|f| matches!(f, Form::Column)).map(|d| (d.name, d.about)),
            Node::Trapezoid(_) => {
                def_of(|f| matches!(f, Form::Trapezoid)).map(|d| (d.name, d.about))
            }
            Node::RhoAt(_) => def_of(|f| matches!(f, Form::RhoAt)).map(|d| (d.name, d.about)),
            _ => None,
        };
        if let Some(e) = entry {
            let mut v = found.borrow_mut();
            if !v.contains(&e) {
                v.push(e);
            }
        }
        false
    });
    found.into_inner()
}

/// The registry entry of a row selector, for explain texts.
pub fn row_pick_def(pick: RowPick) -> Option<&'static FnDef> {
    def_of(|f| matches!(f, Form::Rows(p) if *p == pick))
}

/// The registry entry of a τ grid function.
pub fn grid_def(log: bool) -> Option<&'static FnDef> {
    def_of(|f| matches!(f, Form::Grid { log: l } if *l == log))
}

/// The built-ins as Markdown tables, from the registry: the generated part
/// of docs/language.md (a test keeps the two equal).
pub fn reference_tables() -> String {
    let mut s = String::from("| name | stands for | in |\n|---|---|---|\n");
    for n in NAMES {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            n.name,
            n.about.replace('|', "\\|"),
            n.scope.describe()
        ));
    }
    s.push_str("\n| function | does | slots | example |\n|---|---|---|---|\n");
    for f in FUNCTIONS {
        s.push_str(&format!(
            "| `{}(…)` | {} | {} | `{}` |\n",
            f.name,
            f.about.replace('|', "\\|"),
            f.slots_text(),
            f.example
        ));
    }
    s
}

/// The built-ins in plain words, one a line (a function's slots and example
/// on the line below it): what `spec reference` prints without
/// `--markdown`.
pub fn reference_text() -> String {
    let width = NAMES
        .iter()
        .map(|n| n.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = String::from("Names (what each stands for, and where):\n");
    for n in NAMES {
        s.push_str(&format!(
            "  {:width$}  {} (in {})\n",
            n.name,
            n.about,
            n.scope.describe()
        ));
    }
    s.push_str("\nFunctions (what each does; the slots it is allowed in; an example):\n");
    for f in FUNCTIONS {
        s.push_str(&format!(
            "  {}(…)  {}\n      in: {}; e.g. {}\n",
            f.name,
            f.about,
            f.slots_text(),
            f.example
        ));
    }
    s
}

impl FnDef {
    /// The slots a function is allowed in, as the reference writes them
    /// (`all` when it is allowed in every slot).
    fn slots_text(&self) -> String {
        if self.slots == ALL {
            return "all".to_string();
        }
        let keys: Vec<&str> = self.slots.iter().map(|s| s.key()).collect();
        keys.join(", ")
    }
}
