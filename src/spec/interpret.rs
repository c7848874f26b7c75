//! What each formula slot of a spec accepts: parsed formulas (AST) become the
//! typed rules of [`Spec`](super::Spec), or errors pointing at the offending
//! text with what was expected there.

use std::path::Path;

use toml::Spanned;

use super::diagnostic::SpecError;
use super::formula::{self, Arg, Call, CmpOp, Cond, Expr, Formula, Span};
use super::{
    Aggregate, Denominator, PickKey, Scope, ScoreRule, Step, TauGrid, TauScale, TrialRule,
};

/// The formula slots of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Trial,
    Study,
    Workload,
    Step,
    Tau,
    Ratio,
    Score,
}

/// An interpreted formula.
pub enum Value {
    Trial(TrialRule),
    Study(Vec<PickKey>),
    Workload(Aggregate),
    Step(Step),
    Tau(TauGrid),
    Ratio(Denominator),
    Score(ScoreRule),
}

impl Value {
    pub fn trial(self) -> Option<TrialRule> {
        match self {
            Value::Trial(t) => Some(t),
            _ => None,
        }
    }
    pub fn study(self) -> Option<Vec<PickKey>> {
        match self {
            Value::Study(t) => Some(t),
            _ => None,
        }
    }
    pub fn workload(self) -> Option<Aggregate> {
        match self {
            Value::Workload(t) => Some(t),
            _ => None,
        }
    }
    pub fn step(self) -> Option<Step> {
        match self {
            Value::Step(t) => Some(t),
            _ => None,
        }
    }
    pub fn tau(self) -> Option<TauGrid> {
        match self {
            Value::Tau(t) => Some(t),
            _ => None,
        }
    }
    pub fn ratio(self) -> Option<Denominator> {
        match self {
            Value::Ratio(t) => Some(t),
            _ => None,
        }
    }
    pub fn score(self) -> Option<ScoreRule> {
        match self {
            Value::Score(t) => Some(t),
            _ => None,
        }
    }
}

/// The spec file a formula lives in, to turn formula spans into file positions.
pub struct Context<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

/// An error inside one formula, before it is placed in the file.
struct Problem {
    span: Span,
    message: String,
    expected: Option<String>,
}

fn problem(span: Span, message: impl Into<String>) -> Problem {
    Problem {
        span,
        message: message.into(),
        expected: None,
    }
}

impl Problem {
    fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
}

impl Context<'_> {
    /// Parses and interprets one formula; on failure pushes an error and
    /// returns `None`.
    pub fn slot(
        &self,
        s: &Spanned<String>,
        slot: Slot,
        errors: &mut Vec<SpecError>,
    ) -> Option<Value> {
        let formula_text = s.get_ref();
        let result = formula::parse(formula_text)
            .map_err(|e| Problem {
                span: e.span,
                message: format!("syntax error: {}", e.message),
                expected: None,
            })
            .and_then(|f| interpret(&f, slot));
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                let span = s.span();
                let raw = &self.text[span.clone()];
                // Map the formula's byte offsets to the file when the TOML
                // string holds the formula verbatim; otherwise point at the
                // whole value.
                let verbatim =
                    (raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\'))
                        || (raw.starts_with('\'') && !raw.starts_with("'''"));
                let mut e = if verbatim {
                    let base = span.start + 1;
                    let end = if p.span.end > p.span.start {
                        p.span.end
                    } else {
                        p.span.start + 1
                    };
                    SpecError::at(
                        self.path,
                        self.text,
                        base + p.span.start,
                        base + end.min(formula_text.len().max(1)),
                        p.message,
                    )
                } else {
                    SpecError::at(self.path, self.text, span.start, span.end, p.message)
                };
                e.expected = p.expected;
                errors.push(e);
                None
            }
        }
    }
}

fn interpret(f: &Formula, slot: Slot) -> Result<Value, Problem> {
    match (slot, f) {
        (
            Slot::Step,
            Formula::Assign {
                target,
                target_span,
                value,
                cond,
            },
        ) => step(target, *target_span, value, cond).map(Value::Step),
        (Slot::Step, Formula::Expr(e)) => {
            Err(problem(e.span(), "a rule step must be an assignment")
                .expected("`<base|held_out|all> := inf where <condition>`"))
        }
        (_, Formula::Assign { target_span, .. }) => Err(problem(
            *target_span,
            "an assignment is only allowed in [rules] steps",
        )
        .expected(expected_for(slot))),
        (Slot::Trial, Formula::Expr(e)) => trial(e).map(Value::Trial),
        (Slot::Study, Formula::Expr(e)) => study(e).map(Value::Study),
        (Slot::Workload, Formula::Expr(e)) => workload(e).map(Value::Workload),
        (Slot::Tau, Formula::Expr(e)) => tau(e).map(Value::Tau),
        (Slot::Ratio, Formula::Expr(e)) => ratio(e).map(Value::Ratio),
        (Slot::Score, Formula::Expr(e)) => score(e).map(Value::Score),
    }
}

fn expected_for(slot: Slot) -> &'static str {
    match slot {
        Slot::Trial => "`first(time where reached)`",
        Slot::Study => {
            "`pick(trials, by = eval_index, then = time)`, `pick(trials, by = time)` or `min(time)`"
        }
        Slot::Workload => "`median(studies)`, `mean(studies)`, `min(studies)` or `max(studies)`",
        Slot::Step => "`<base|held_out|all> := inf where <condition>`",
        Slot::Tau => "`linspace(min, max, points)` or `logspace(min, max, points)`",
        Slot::Ratio => "`time / best` or `time / reference('<submission>')`",
        Slot::Score => "`trapezoid(rho) / (tau_max - tau_min)` or `trapezoid(rho)`",
    }
}

fn as_call(e: &Expr, slot: Slot) -> Result<&Call, Problem> {
    match e {
        Expr::Call(c) => Ok(c),
        other => {
            Err(problem(other.span(), "expected a function call").expected(expected_for(slot)))
        }
    }
}

fn ident(e: &Expr) -> Option<&str> {
    match e {
        Expr::Ident(s, _) => Some(s.as_str()),
        _ => None,
    }
}

fn unknown_function(c: &Call, known: &[&str]) -> Problem {
    problem(c.name_span, format!("unknown function `{}`", c.name)).expected(format!(
        "one of: {}",
        known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn positional(c: &Call) -> Vec<&Expr> {
    c.args
        .iter()
        .filter_map(|a| match a {
            Arg::Positional(e) => Some(e),
            Arg::Named(..) => None,
        })
        .collect()
}

fn arity(c: &Call, n: usize, what: &str) -> Result<(), Problem> {
    if c.args.len() != n {
        return Err(problem(
            c.span,
            format!(
                "`{}` takes {n} argument{}, found {}",
                c.name,
                if n == 1 { "" } else { "s" },
                c.args.len()
            ),
        )
        .expected(what.to_string()));
    }
    if let Some(Arg::Named(name, span, _)) = c.args.iter().find(|a| matches!(a, Arg::Named(..))) {
        return Err(problem(
            *span,
            format!("`{}` takes no named argument `{name}`", c.name),
        )
        .expected(what.to_string()));
    }
    Ok(())
}

fn trial(e: &Expr) -> Result<TrialRule, Problem> {
    let c = as_call(e, Slot::Trial)?;
    if c.name != "first" {
        return Err(unknown_function(c, &["first"]));
    }
    arity(c, 1, "`first(time where reached)`")?;
    let arg = positional(c)[0];
    match arg {
        Expr::Where(value, cond, _) => {
            if ident(value) != Some("time") {
                return Err(
                    problem(value.span(), "a trial's result is its `time`").expected("`time`")
                );
            }
            match cond.as_ref() {
                Cond::Truth(Expr::Ident(s, _)) if s == "reached" => Ok(TrialRule::FirstReached),
                other => Err(problem(other.span(), "unknown condition").expected("`reached`")),
            }
        }
        other => Err(problem(other.span(), "expected `time where reached`")
            .expected("`first(time where reached)`")),
    }
}

fn pick_key(e: &Expr) -> Result<PickKey, Problem> {
    match ident(e) {
        Some("eval_index") => Ok(PickKey::EvalIndex),
        Some("time") => Ok(PickKey::Time),
        _ => {
            Err(problem(e.span(), "unknown key to pick a trial by")
                .expected("`eval_index` or `time`"))
        }
    }
}

fn study(e: &Expr) -> Result<Vec<PickKey>, Problem> {
    let c = as_call(e, Slot::Study)?;
    match c.name.as_str() {
        "min" => {
            arity(c, 1, "`min(time)`")?;
            let arg = positional(c)[0];
            if ident(arg) != Some("time") {
                return Err(problem(
                    arg.span(),
                    "a study can only take the minimum of its trials' `time`",
                )
                .expected("`min(time)`"));
            }
            Ok(vec![PickKey::Time])
        }
        "pick" => {
            let mut keys = Vec::new();
            let mut saw_trials = false;
            for a in &c.args {
                match a {
                    Arg::Positional(e)
                        if !saw_trials && keys.is_empty() && ident(e) == Some("trials") =>
                    {
                        saw_trials = true
                    }
                    Arg::Positional(e) => {
                        return Err(problem(e.span(), "unexpected argument")
                            .expected("`trials`, then `by = …` and `then = …`"))
                    }
                    Arg::Named(name, span, value) => {
                        let wanted = if keys.is_empty() { "by" } else { "then" };
                        if name != wanted {
                            return Err(problem(*span, format!("unknown argument `{name}`"))
                                .expected(format!("`{wanted}`")));
                        }
                        let k = pick_key(value)?;
                        if keys.contains(&k) {
                            return Err(problem(value.span(), "key used twice"));
                        }
                        keys.push(k);
                    }
                }
            }
            if !saw_trials {
                return Err(
                    problem(c.span, "`pick` needs `trials` as its first argument")
                        .expected("`pick(trials, by = eval_index, then = time)`"),
                );
            }
            if keys.is_empty() {
                return Err(problem(c.span, "`pick` needs a key")
                    .expected("`by = eval_index` or `by = time`"));
            }
            Ok(keys)
        }
        _ => Err(unknown_function(c, &["pick", "min"])),
    }
}

fn workload(e: &Expr) -> Result<Aggregate, Problem> {
    let c = as_call(e, Slot::Workload)?;
    let agg = match c.name.as_str() {
        "median" => Aggregate::Median,
        "mean" => Aggregate::Mean,
        "min" => Aggregate::Min,
        "max" => Aggregate::Max,
        _ => return Err(unknown_function(c, &["median", "mean", "min", "max"])),
    };
    arity(c, 1, "`studies`")?;
    let arg = positional(c)[0];
    if ident(arg) != Some("studies") {
        return Err(problem(arg.span(), "a workload aggregates its `studies`")
            .expected(format!("`{}(studies)`", c.name)));
    }
    Ok(agg)
}

fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Number(v, _) => Some(*v),
        Expr::Neg(inner, _) => number(inner).map(|v| -v),
        _ => None,
    }
}

fn scope(name: &str, span: Span) -> Result<Scope, Problem> {
    match name {
        "base" => Ok(Scope::Base),
        "held_out" => Ok(Scope::HeldOut),
        "all" => Ok(Scope::All),
        _ => Err(problem(span, format!("unknown workload set `{name}`"))
            .expected("`base`, `held_out` or `all`")),
    }
}

fn step(target: &str, target_span: Span, value: &Expr, cond: &Cond) -> Result<Step, Problem> {
    let scope = scope(target, target_span)?;
    if ident(value) != Some("inf") {
        return Err(
            problem(value.span(), "a rule step can only set times to `inf`").expected("`inf`"),
        );
    }
    match cond {
        Cond::Not(inner, _) => {
            let arg = match inner.as_ref() {
                Cond::Truth(Expr::Call(c)) if c.name == "finite" => {
                    arity(c, 1, "`finite(base)` or `finite(held_out)`")?;
                    positional(c)[0]
                }
                Cond::Truth(Expr::Call(c)) => return Err(unknown_function(c, &["finite"])),
                other => {
                    return Err(problem(other.span(), "unknown condition")
                        .expected("`finite(base)` or `finite(held_out)`"))
                }
            };
            match (scope, ident(arg)) {
                (Scope::HeldOut, Some("base")) => Ok(Step::HeldOutNeedsBase),
                (Scope::Base, Some("held_out")) => Ok(Step::BaseNeedsHeldOut),
                (Scope::HeldOut, _) => {
                    Err(problem(arg.span(), "a held-out workload can only depend on its base").expected("`finite(base)`"))
                }
                (Scope::Base, _) => Err(problem(arg.span(), "a base workload can only depend on its held-out variant")
                    .expected("`finite(held_out)`")),
                (Scope::All, _) => Err(problem(target_span, "`all` cannot depend on another workload")
                    .expected("`held_out := inf where not finite(base)` or `base := inf where not finite(held_out)`")),
            }
        }
        Cond::Compare(op, left, right, span) => {
            if ident(left) != Some("time") {
                return Err(problem(left.span(), "the cut-off compares `time`")
                    .expected("`time > <factor> * best`"));
            }
            if *op != CmpOp::Gt {
                return Err(problem(
                    *span,
                    format!("the cut-off uses `>`, found `{}`", op.symbol()),
                )
                .expected("`time > <factor> * best`"));
            }
            let factor = match right {
                Expr::Binary(formula::BinOp::Mul, a, b, _) if ident(b) == Some("best") => number(a),
                Expr::Ident(s, _) if s == "best" => Some(1.0),
                _ => None,
            };
            match factor {
                Some(f) if f.is_finite() && f >= 1.0 => Ok(Step::CutOff { scope, factor: f }),
                Some(f) => Err(problem(
                    right.span(),
                    format!("the cut-off factor must be a finite number ≥ 1, found {f}"),
                )),
                None => {
                    Err(problem(right.span(), "expected `<factor> * best`")
                        .expected("e.g. `4 * best`"))
                }
            }
        }
        Cond::Truth(e) => Err(problem(e.span(), "unknown condition")
            .expected("`not finite(base)`, `not finite(held_out)` or `time > <factor> * best`")),
    }
}

fn tau(e: &Expr) -> Result<TauGrid, Problem> {
    let c = as_call(e, Slot::Tau)?;
    let scale = match c.name.as_str() {
        "linspace" => TauScale::Linear,
        "logspace" => TauScale::Log,
        _ => return Err(unknown_function(c, &["linspace", "logspace"])),
    };
    arity(c, 3, "`(min, max, points)`")?;
    let args = positional(c);
    let min = number(args[0]).ok_or_else(|| problem(args[0].span(), "expected a number"))?;
    let max = number(args[1]).ok_or_else(|| problem(args[1].span(), "expected a number"))?;
    let points =
        number(args[2]).ok_or_else(|| problem(args[2].span(), "expected a number of points"))?;
    if !(min.is_finite() && max.is_finite()) || min >= max {
        return Err(problem(
            c.span,
            format!("empty τ range: min {min} must be below max {max}"),
        ));
    }
    if scale == TauScale::Log && min <= 0.0 {
        return Err(problem(args[0].span(), "a log grid needs τ min > 0"));
    }
    if min < 1.0 {
        return Err(problem(
            args[0].span(),
            format!("τ below 1 means faster than the best, found min {min}"),
        )
        .expected("a τ min of at least 1"));
    }
    if points.fract() != 0.0 || !(2.0..=1e6).contains(&points) {
        return Err(problem(
            args[2].span(),
            format!(
                "the number of points must be a whole number from 2 to 1000000, found {points}"
            ),
        ));
    }
    Ok(TauGrid {
        scale,
        min,
        max,
        points: points as usize,
    })
}

fn ratio(e: &Expr) -> Result<Denominator, Problem> {
    match e {
        Expr::Binary(formula::BinOp::Div, a, b, _) => {
            if ident(a) != Some("time") {
                return Err(
                    problem(a.span(), "a ratio divides `time`").expected(expected_for(Slot::Ratio))
                );
            }
            match b.as_ref() {
                Expr::Ident(s, _) if s == "best" => Ok(Denominator::Best),
                Expr::Call(c) if c.name == "reference" => {
                    arity(c, 1, "`reference('<submission>')`")?;
                    match positional(c)[0] {
                        Expr::Str(s, _) => Ok(Denominator::Reference(s.clone())),
                        other => Err(problem(
                            other.span(),
                            "expected the submission's name as a string",
                        )
                        .expected("`reference('baseline')`")),
                    }
                }
                Expr::Call(c) => Err(unknown_function(c, &["reference"])),
                other => Err(problem(other.span(), "unknown denominator")
                    .expected("`best` or `reference('<submission>')`")),
            }
        }
        other => Err(problem(other.span(), "unknown ratio").expected(expected_for(Slot::Ratio))),
    }
}

fn score(e: &Expr) -> Result<ScoreRule, Problem> {
    let (integral, normalized) = match e {
        Expr::Binary(formula::BinOp::Div, a, b, _) => {
            let ok = matches!(b.as_ref(), Expr::Binary(formula::BinOp::Sub, x, y, _)
                if ident(x) == Some("tau_max") && ident(y) == Some("tau_min"));
            if !ok {
                return Err(
                    problem(b.span(), "the score can only be normalised by the τ range")
                        .expected("`(tau_max - tau_min)`"),
                );
            }
            (a.as_ref(), true)
        }
        other => (other, false),
    };
    let c = as_call(integral, Slot::Score)?;
    if c.name != "trapezoid" {
        return Err(unknown_function(c, &["trapezoid"]));
    }
    arity(c, 1, "`trapezoid(rho)`")?;
    if ident(positional(c)[0]) != Some("rho") {
        return Err(problem(
            positional(c)[0].span(),
            "the score integrates the profile `rho`",
        )
        .expected("`trapezoid(rho)`"));
    }
    Ok(ScoreRule { normalized })
}
