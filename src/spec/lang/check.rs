//! The checker: types a parsed formula in its slot and compiles it to a
//! [`Node`] tree, or says what is wrong and where.

use super::{Form, NameDef, Node, PickKey, RowPick, Scope, Set, Slot, Type, Var, FUNCTIONS, NAMES};
use crate::diagnostics::did_you_mean;
use crate::spec::formula::{BinOp, Call, Expr, Formula, Span, UnOp};

/// An error inside one formula, before it is placed in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub expected: Option<String>,
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

/// What the checker needs to know of the spec around the formula.
#[derive(Default)]
pub struct Context<'a> {
    /// The matrix's workloads (targets of a step).
    pub workloads: &'a [String],
    /// The τ grid, once known (for `trapezoid(rho, x = …)`).
    pub taus: Option<&'a [f64]>,
    /// Submissions named by `reference('…')` so far, shared by all formulas.
    pub references: Vec<String>,
    /// Columns named by `column('…')` so far, shared by all formulas.
    pub columns: Vec<String>,
    /// `[workloads] frameworks`: the names `framework == '…'` may compare with.
    pub frameworks: &'a [String],
    /// Whether `[workloads] weights` gives a weight other than 1: the
    /// score's `R(X over workloads)` must then have a weighted form.
    pub weighted: bool,
}

/// What a step assigns to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    All,
    Base,
    HeldOut,
    Workload(String),
}

/// A compiled formula of any slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Compiled {
    /// One number per item (study, workload, ratio, score, missed).
    Value(Node),
    /// `first(X where C)` and its kin.
    Trial {
        pick: RowPick,
        value: Node,
        cond: Option<Node>,
    },
    Step {
        target: Target,
        value: Node,
        cond: Node,
    },
    /// The τ values, and the axis the score integrates over.
    Tau {
        log: bool,
        /// The grid's ends as written (a list's first and last value).
        bounds: (f64, f64),
        values: Vec<f64>,
        axis: Vec<f64>,
    },
    /// ρ's condition per (ratio, τ), or with `credit` its number in
    /// [0, 1] (partial credit).
    Rho { node: Node, credit: bool },
}

/// Parses nothing: checks and compiles one parsed formula for `slot`.
pub fn compile(f: &Formula, slot: Slot, cx: &mut Context) -> Result<Compiled, Problem> {
    let mut ck = Checker {
        slot,
        cx,
        next_id: 0,
    };
    match (slot, f) {
        (Slot::Step, Formula::Assign { .. }) => ck.step(f),
        (Slot::Step, Formula::Expr(e)) => Err(problem(e.span(), "a rule step is an assignment")
            .expected(
                "`TARGET := VALUE where CONDITION`, e.g. `all := inf where time > 4 * best`",
            )),
        (_, Formula::Assign { target_span, .. }) => Err(problem(
            *target_span,
            "an assignment is only allowed in [rules] steps",
        )),
        (Slot::Trial, Formula::Expr(e)) => ck.trial(e),
        (Slot::Tau, Formula::Expr(e)) => ck.tau(e),
        (Slot::Rho, Formula::Expr(e)) => ck.rho(e),
        (_, Formula::Expr(e)) => {
            let scope = match slot {
                Slot::Ratio => Scope::Cell,
                Slot::Score => Scope::Profile,
                Slot::Missed => Scope::Missed,
                _ => Scope::Outer,
            };
            ck.typed(e, scope, Type::Number).map(Compiled::Value)
        }
    }
}

struct Checker<'c, 'a> {
    slot: Slot,
    cx: &'c mut Context<'a>,
    next_id: usize,
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The set tokens a slot's own level accepts as a reduction's argument.
fn set_token(slot: Slot) -> Option<(&'static str, Set, Scope)> {
    match slot {
        Slot::Study => Some(("trials", Set::Trials, Scope::Trial)),
        Slot::Workload => Some(("studies", Set::Studies, Scope::Study)),
        Slot::Score => Some(("rho", Set::Profile, Scope::Profile)),
        _ => None,
    }
}

fn arity(c: &Call, n: usize) -> Result<(), Problem> {
    if c.args.len() != n {
        return Err(problem(
            c.span,
            format!(
                "`{}` takes {n} argument{}, found {}",
                c.name,
                if n == 1 { "" } else { "s" },
                c.args.len()
            ),
        ));
    }
    plain_args(c)
}

/// Refuses `name = …`, `where` and `over` on a function that has none.
fn plain_args(c: &Call) -> Result<(), Problem> {
    for a in &c.args {
        if let Some((n, span)) = &a.name {
            return Err(problem(
                *span,
                format!("`{}` takes no named argument `{n}`", c.name),
            ));
        }
        if let Some(f) = &a.filter {
            return Err(
                problem(f.span(), format!("`where` is not allowed in `{}`", c.name))
                    .expected("`where` in the trial slot's `first`, `last`, `min` or `max`"),
            );
        }
        if let Some((_, span)) = &a.over {
            return Err(over_misplaced(*span));
        }
    }
    Ok(())
}

fn over_misplaced(span: Span) -> Problem {
    problem(
        span,
        "a reduction `over submissions` or `over workloads` is only allowed in [rules] steps",
    )
}

impl Checker<'_, '_> {
    /// `R(X over SET)` outside the steps: when SET is the slot's own set
    /// (`over studies` in the workload slot), says that it already is.
    fn over_here(&self, function: &str, over: &str, span: Span) -> Problem {
        if self.slot == Slot::Score {
            return problem(
                span,
                format!(
                    "cannot reduce over `{over}` in [profile] score{}",
                    did_you_mean(over, ["workloads"].into_iter())
                ),
            )
            .expected(format!(
                "`{function}(X over workloads)` (X of each base workload, e.g. `ratio`) or `{function}(rho)`"
            ));
        }
        match set_token(self.slot) {
            Some((token, _, _)) if token == over => problem(
                span,
                format!(
                    "`over {over}` is not needed: in {} a reduction already runs over the {over}",
                    self.slot.key()
                ),
            )
            .expected(format!(
                "`{function}({over})`, or `{function}(X)` of a per-item X"
            )),
            Some((token, _, _)) => over_misplaced(span).expected(format!(
                "in {} a reduction runs over `{token}`: `{function}({token})`",
                self.slot.key()
            )),
            None => over_misplaced(span),
        }
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id - 1
    }

    /// Compiles `e` in `scope` and requires type `want`.
    fn typed(&mut self, e: &Expr, scope: Scope, want: Type) -> Result<Node, Problem> {
        let (node, ty) = self.expr(e, scope)?;
        if ty != want {
            if ty == Type::Metric {
                return Err(problem(
                    e.span(),
                    format!("`{}` is a metric value: it stands only as a whole key of `pick`", e),
                )
                .expected(format!("e.g. `pick(trials, by = eval_index, then = {e})`, where the better value (by the workload's goal) comes first")));
            }
            if ty == Type::Framework {
                return Err(problem(
                    e.span(),
                    format!("expected {}, found a framework", want.describe()),
                )
                .expected(self.framework_example()));
            }
            let hint = match want {
                Type::Condition => "e.g. `finite(x)`, `x > 0` or `reached`",
                Type::Number => "a number, e.g. `time` or `if(c, a, b)`",
                Type::Text | Type::Metric | Type::Framework => "`name`",
            };
            return Err(problem(
                e.span(),
                format!("expected {}, found {}", want.describe(), ty.describe()),
            )
            .expected(hint));
        }
        Ok(node)
    }

    fn expr(&mut self, e: &Expr, scope: Scope) -> Result<(Node, Type), Problem> {
        use Type::{Condition as C, Number as N};
        let b = Box::new;
        Ok(match e {
            Expr::Number(v, _) => (Node::Const(*v), N),
            Expr::Str(s, span) => {
                return Err(problem(*span, format!("unexpected text '{s}'"))
                    .expected("text only as the argument of `reference('NAME')`"))
            }
            Expr::List(_, span) => {
                return Err(problem(*span, "a list is only allowed as [profile] tau"))
            }
            Expr::Ident(name, span) => return self.name(name, *span, scope),
            Expr::Unary(UnOp::Neg, a, _) => (Node::Neg(b(self.typed(a, scope, N)?)), N),
            Expr::Unary(UnOp::Not, a, _) => (Node::Not(b(self.typed(a, scope, C)?)), C),
            Expr::Binary(BinOp::Cmp(op), l, r, span) if is_framework_cmp(l, r) => {
                self.framework_cmp(*op, l, r, *span, scope)?
            }
            Expr::Binary(op, l, r, _) => {
                let (want, out) = match op {
                    BinOp::And | BinOp::Or => (C, C),
                    BinOp::Cmp(_) => (N, C),
                    _ => (N, N),
                };
                let (l, r) = (
                    b(self.typed(l, scope, want)?),
                    b(self.typed(r, scope, want)?),
                );
                let node = match op {
                    BinOp::Add => Node::Add(l, r),
                    BinOp::Sub => Node::Sub(l, r),
                    BinOp::Mul => Node::Mul(l, r),
                    BinOp::Div => Node::Div(l, r),
                    BinOp::And => Node::And(l, r),
                    BinOp::Or => Node::Or(l, r),
                    BinOp::Cmp(c) => Node::Cmp(*c, l, r),
                };
                (node, out)
            }
            Expr::Call(c) => self.call(c, scope)?,
        })
    }

    fn names_in(&self, scope: Scope) -> Vec<&'static str> {
        let mut v: Vec<&str> = NAMES
            .iter()
            .filter(|n| {
                n.scope == scope || (scope == Scope::ScoreWorkload && n.scope == Scope::Profile)
            })
            .map(|n| n.name)
            .collect();
        if let Some((token, _, _)) = set_token(self.slot) {
            if scope == Scope::Outer || scope == Scope::Profile {
                v.push(token);
            }
        }
        v.push("inf");
        v.sort_unstable();
        v.dedup();
        v
    }

    fn name(&mut self, name: &str, span: Span, scope: Scope) -> Result<(Node, Type), Problem> {
        if name == "inf" {
            return Ok((Node::Const(f64::INFINITY), Type::Number));
        }
        if let Some(def) = NAMES.iter().find(|n| n.name == name && n.scope == scope) {
            return Ok((Node::Var(def.var), def.ty));
        }
        // Inside the score's `over workloads`, the profile's names too.
        if scope == Scope::ScoreWorkload {
            if let Some(def) = NAMES
                .iter()
                .find(|n| n.name == name && n.scope == Scope::Profile)
            {
                return Ok((Node::Var(def.var), def.ty));
            }
        }
        if let Some(p) = self.misplaced_name(name, span, scope) {
            return Err(p);
        }
        if set_token(self.slot).is_some_and(|(t, _, _)| t == name) {
            return Err(
                problem(span, format!("`{name}` is a set: reduce it to a number"))
                    .expected(format!("e.g. `median({name})`")),
            );
        }
        let known = self.names_in(scope);
        let mut message = format!(
            "unknown name `{name}` in {}{}",
            self.slot.key(),
            did_you_mean(name, known.iter().copied())
        );
        if scope == Scope::Outer && self.slot == Slot::Study {
            message.push_str(": per-trial names stand inside a reduction, e.g. `min(time)`");
        }
        Err(problem(span, message).expected(format!("one of: {}", quoted(&known))))
    }

    fn functions_of_slot(&self) -> Vec<&'static str> {
        let mut v: Vec<&str> = FUNCTIONS
            .iter()
            .filter(|f| f.slots.contains(&self.slot))
            .map(|f| f.name)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Picks the form of `c.name` that fits the slot and the arguments.
    fn call(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        // `R(X over …)` outside the steps says so, whatever R is.
        if self.slot != Slot::Step {
            if let Some((over, span)) = c.args.first().and_then(|a| a.over.as_ref()) {
                let score_over_workloads = self.slot == Slot::Score
                    && scope == Scope::Profile
                    && over == "workloads"
                    && FUNCTIONS.iter().any(|f| {
                        f.name == c.name && matches!(f.form, Form::Reduce { .. } | Form::Count)
                    });
                if !score_over_workloads {
                    return Err(self.over_here(&c.name, over, *span));
                }
            }
        }
        let (index, def) = self.form_of(c, scope)?;
        match def.form {
            Form::Math(_) | Form::Extreme { .. } | Form::Finite | Form::If => {
                self.scalar(c, scope, index, def.form)
            }
            Form::Reduce {
                param, weighted, ..
            } => {
                let (node, ty) = self.reduce(c, scope, index, param)?;
                self.weights_apply(&node, weighted, c)?;
                Ok((node, ty))
            }
            Form::Count => self.count(c, scope),
            Form::Pick => self.pick(c, scope),
            Form::Reference => self.reference(c, scope),
            Form::Column => self.column(c, scope),
            Form::RhoAt => {
                arity(c, 1)?;
                let t = self.typed(&c.args[0].value, scope, Type::Number)?;
                Ok((Node::RhoAt(Box::new(t)), Type::Number))
            }
            Form::Trapezoid => self.trapezoid(c, scope),
            Form::Rows(_) => Err(problem(
                c.span,
                format!("`{}(X where C)` must be the whole trial formula", c.name),
            )
            .expected("e.g. `first(time where reached)`")),
            Form::Grid { .. } => Err(problem(
                c.span,
                format!("`{}` must be the whole τ formula", c.name),
            )),
            Form::Fraction => Err(problem(c.span, "`fraction(C)` must be the whole ρ formula")),
        }
    }

    /// The definition of `c.name` that fits the slot and the arguments
    /// (a reduction's form when the arguments read as one), with its index
    /// in [`FUNCTIONS`]; an unknown or misplaced name says which are allowed.
    fn form_of(&self, c: &Call, scope: Scope) -> Result<(usize, &'static super::FnDef), Problem> {
        let defs: Vec<(usize, &super::FnDef)> = FUNCTIONS
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name == c.name && f.slots.contains(&self.slot))
            .collect();
        if defs.is_empty() {
            let known = self.functions_of_slot();
            let anywhere = FUNCTIONS.iter().any(|f| f.name == c.name);
            let message = if anywhere {
                format!("`{}` is not allowed in {}", c.name, self.slot.key())
            } else {
                format!(
                    "unknown function `{}`{}",
                    c.name,
                    did_you_mean(&c.name, known.iter().copied())
                )
            };
            return Err(
                problem(c.name_span, message).expected(format!("one of: {}", quoted(&known)))
            );
        }
        let reduce_arity = defs.iter().find_map(|(_, d)| match d.form {
            Form::Reduce { param, .. } => Some(if param.is_some() { 2 } else { 1 }),
            _ => None,
        });
        let reduce_like = self.is_reduction_call(c, scope, reduce_arity);
        let pick = defs
            .iter()
            .find(|(_, d)| matches!(d.form, Form::Reduce { .. }) == reduce_like)
            .or_else(|| defs.first())
            .copied();
        let Some((index, def)) = pick else {
            return Err(problem(c.name_span, "internal error: no form"));
        };
        Ok((index, def))
    }

    /// The forms of one number: `f(x)`, `min`/`max` of several numbers,
    /// `finite(x)`, `if(c, a, b)`.
    fn scalar(
        &mut self,
        c: &Call,
        scope: Scope,
        index: usize,
        form: Form,
    ) -> Result<(Node, Type), Problem> {
        match form {
            Form::Math(_) => {
                arity(c, 1)?;
                let a = self.typed(&c.args[0].value, scope, Type::Number)?;
                Ok((Node::Math(index, Box::new(a)), Type::Number))
            }
            Form::Extreme { max } => {
                plain_args(c)?;
                if c.args.len() < 2 {
                    return Err(problem(
                        c.span,
                        format!(
                            "`{}` of one number takes at least 2 arguments, found {}",
                            c.name,
                            c.args.len()
                        ),
                    )
                    .expected(self.reduction_hint(&c.name)));
                }
                let args = c
                    .args
                    .iter()
                    .map(|a| self.typed(&a.value, scope, Type::Number))
                    .collect::<Result<_, _>>()?;
                Ok((Node::Extreme(max, args), Type::Number))
            }
            Form::Finite => {
                arity(c, 1)?;
                let a = self.typed(&c.args[0].value, scope, Type::Number)?;
                Ok((Node::Finite(Box::new(a)), Type::Condition))
            }
            Form::If => {
                arity(c, 3)?;
                let k = self.typed(&c.args[0].value, scope, Type::Condition)?;
                let a = self.typed(&c.args[1].value, scope, Type::Number)?;
                let b = self.typed(&c.args[2].value, scope, Type::Number)?;
                Ok((
                    Node::If(Box::new(k), Box::new(a), Box::new(b)),
                    Type::Number,
                ))
            }
            _ => Err(problem(c.span, "internal error: not a form of one number")),
        }
    }

    fn reduction_hint(&self, name: &str) -> String {
        match self.slot {
            Slot::Study => format!("`{name}(trials)` or `{name}(a, b)`"),
            Slot::Workload => format!("`{name}(studies)` or `{name}(a, b)`"),
            Slot::Step => format!("`{name}(time over submissions)` or `{name}(a, b)`"),
            Slot::Score => format!("`{name}(rho)` or `{name}(a, b)`"),
            _ => format!("`{name}(a, b)`"),
        }
    }

    /// Whether a call reads as a reduction: over a set token, `over …`, or
    /// a per-item expression at a study or workload slot's own level.
    fn is_reduction_call(&self, c: &Call, scope: Scope, arity: Option<usize>) -> bool {
        let Some(first) = c.args.first() else {
            return false;
        };
        if first.over.is_some() {
            return true;
        }
        if let Some((token, _, _)) = set_token(self.slot) {
            if first.value.ident() == Some(token) {
                return true;
            }
        }
        scope == Scope::Outer
            && matches!(self.slot, Slot::Study | Slot::Workload)
            && arity == Some(c.args.len())
    }

    fn reduce(
        &mut self,
        c: &Call,
        scope: Scope,
        index: usize,
        param: Option<&'static str>,
    ) -> Result<(Node, Type), Problem> {
        let want = if param.is_some() { 2 } else { 1 };
        if c.args.len() != want {
            return Err(problem(
                c.span,
                format!(
                    "`{}` takes {want} argument{}, found {}",
                    c.name,
                    if want == 1 { "" } else { "s" },
                    c.args.len()
                ),
            )
            .expected(self.reduction_hint(&c.name)));
        }
        let first = &c.args[0];
        if let Some((n, span)) = &first.name {
            return Err(problem(
                *span,
                format!("`{}` takes no named argument `{n}`", c.name),
            ));
        }
        if let Some(f) = &first.filter {
            return Err(problem(
                f.span(),
                format!("`where` is not allowed in `{}`", c.name),
            ));
        }
        let (set, arg) = self.reduced_set(c, scope)?;
        let param = match c.args.get(1) {
            Some(a) => {
                if a.name.is_some() || a.filter.is_some() || a.over.is_some() {
                    return Err(problem(a.span, "expected a plain number"));
                }
                let node = self.typed(&a.value, scope, Type::Number)?;
                literal_param(&node, index).map_err(|message| {
                    problem(a.value.span(), format!("`{}`: {message}", c.name))
                })?;
                Some(Box::new(node))
            }
            None => None,
        };
        let id = self.id();
        Ok((
            Node::Reduce {
                f: index,
                set,
                arg: Box::new(arg),
                param,
                id,
            },
            Type::Number,
        ))
    }

    /// The set a one-argument reduction reduces and the value it reads of
    /// each member: `X over submissions|workloads` in the steps, else the
    /// slot's own set (`trials`, `studies`, `rho`).
    fn reduced_set(&mut self, c: &Call, scope: Scope) -> Result<(Set, Node), Problem> {
        let first = &c.args[0];
        if self.slot == Slot::Score && first.over.is_some() {
            return Ok((
                Set::Ratios,
                self.typed(&first.value, Scope::ScoreWorkload, Type::Number)?,
            ));
        }
        match (&first.over, set_token(self.slot)) {
            (Some((over, span)), _) => {
                // RULES.md §4: a matrix reduction outside the steps is an
                // error (the ratio reads the steps' result: `best`, `time`).
                if self.slot != Slot::Step || scope != Scope::Cell {
                    return Err(over_misplaced(*span));
                }
                let set = match over.as_str() {
                    "submissions" => Set::Submissions,
                    "workloads" => Set::Workloads,
                    other => {
                        return Err(problem(*span, format!("cannot reduce over `{other}`"))
                            .expected("`submissions` or `workloads`"))
                    }
                };
                Ok((set, self.typed(&first.value, Scope::Cell, Type::Number)?))
            }
            (None, Some((token, set, inner)))
                if scope == Scope::Outer || scope == Scope::Profile =>
            {
                if first.value.ident() == Some(token) {
                    let var = match set {
                        Set::Trials => Node::Var(Var::TrialTime),
                        Set::Studies => Node::Var(Var::StudyTime),
                        _ => Node::Const(0.0),
                    };
                    Ok((set, var))
                } else if set == Set::Profile {
                    Err(problem(first.value.span(), "the profile's set is `rho`")
                        .expected(format!("`{}(rho)`", c.name)))
                } else {
                    Ok((set, self.typed(&first.value, inner, Type::Number)?))
                }
            }
            _ => Err(problem(
                c.span,
                format!(
                    "`{}` of one argument reduces a set, and {} has none here",
                    c.name,
                    self.slot.key()
                ),
            )
            .expected(self.reduction_hint(&c.name))),
        }
    }

    fn count(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        match self.slot {
            Slot::Study | Slot::Workload => return self.count_members(c, scope),
            _ => {}
        }
        let usage = if self.slot == Slot::Score {
            "`count(CONDITION over workloads)`, e.g. `count(ratio <= 2 over workloads)`"
        } else {
            "`count(CONDITION over submissions)` or `… over workloads)`"
        };
        if c.args.len() != 1 {
            return Err(problem(
                c.span,
                format!("`count` takes 1 argument, found {}", c.args.len()),
            )
            .expected(usage));
        }
        let a = &c.args[0];
        if let Some(f) = &a.filter {
            return Err(problem(
                f.span(),
                format!("`where` is not allowed in `count` in {}", self.slot.key()),
            )
            .expected(usage));
        }
        let (set, inner) = match (&a.over, self.slot) {
            (Some((o, _)), Slot::Score) if o == "workloads" && scope == Scope::Profile => {
                (Set::Ratios, Scope::ScoreWorkload)
            }
            (Some((o, _)), Slot::Step) if o == "submissions" => (Set::Submissions, Scope::Cell),
            (Some((o, _)), Slot::Step) if o == "workloads" => (Set::Workloads, Scope::Cell),
            (Some((o, span)), Slot::Step) => {
                return Err(problem(
                    *span,
                    format!(
                        "cannot count over `{o}`{}",
                        did_you_mean(o, ["submissions", "workloads"].into_iter())
                    ),
                )
                .expected("`submissions` or `workloads`"))
            }
            (Some((o, span)), _) => return Err(self.over_here("count", o, *span)),
            (None, Slot::Score) => {
                return Err(
                    problem(a.span, "`count` in the score runs over the base workloads")
                        .expected(usage),
                )
            }
            (None, _) => {
                return Err(problem(a.span, "`count` runs over a column or a row").expected(usage))
            }
        };
        let expected_scope = if set == Set::Ratios {
            Scope::Profile
        } else {
            Scope::Cell
        };
        if scope != expected_scope {
            return Err(over_misplaced(a.span));
        }
        let cond = self.typed(&a.value, inner, Type::Condition)?;
        let id = self.id();
        Ok((
            Node::Count {
                set,
                cond: Box::new(cond),
                id,
            },
            Type::Number,
        ))
    }

    /// `count(studies where C)`, `count(studies)` or `count(C)` in the
    /// workload slot (`trials` in the study slot): how many members hold.
    fn count_members(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        let Some((token, set, inner)) = set_token(self.slot) else {
            return Err(problem(c.span, "internal error: no set"));
        };
        let usage =
            format!("`count({token} where CONDITION)`, e.g. `count({token} where finite(time))`");
        if c.args.len() != 1 {
            return Err(problem(
                c.span,
                format!("`count` takes 1 argument, found {}", c.args.len()),
            )
            .expected(usage));
        }
        if scope != Scope::Outer {
            return Err(problem(
                c.span,
                format!(
                    "`count` counts the {token} of the slot: it cannot stand inside a reduction"
                ),
            )
            .expected(usage));
        }
        let a = &c.args[0];
        if let Some((n, span)) = &a.name {
            return Err(problem(
                *span,
                format!("`count` takes no named argument `{n}`"),
            ));
        }
        let cond = match (a.value.ident(), &a.filter) {
            (Some(t), Some(f)) if t == token => self.typed(f, inner, Type::Condition)?,
            (Some(t), None) if t == token => Node::Const(1.0),
            (Some(other), Some(_)) => {
                let known = ["trials", "studies"];
                let message = if known.contains(&other) {
                    format!(
                        "in {} `count` counts the {token}, not the {other}",
                        self.slot.key()
                    )
                } else {
                    format!(
                        "unknown set `{other}`{}",
                        did_you_mean(other, [token].into_iter())
                    )
                };
                return Err(problem(a.value.span(), message).expected(usage));
            }
            (_, Some(f)) => {
                return Err(problem(
                    a.value.span(),
                    format!("`count(… where …)` counts the {token}"),
                )
                .expected(format!("`count({token} where {f})`")))
            }
            (_, None) => self.typed(&a.value, inner, Type::Condition)?,
        };
        Ok((
            Node::Count {
                set,
                cond: Box::new(cond),
                id: self.id(),
            },
            Type::Number,
        ))
    }

    fn pick(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        let usage = "`pick(trials, by = KEY, then = KEY …)`";
        if scope != Scope::Outer {
            return Err(problem(c.span, "`pick` chooses one trial of the study").expected(usage));
        }
        match c.args.first() {
            Some(a) if a.name.is_none() && a.value.ident() == Some("trials") => {}
            _ => {
                return Err(
                    problem(c.span, "`pick` needs `trials` as its first argument").expected(usage),
                )
            }
        }
        let mut keys = Vec::new();
        for a in &c.args[1..] {
            let wanted = if keys.is_empty() { "by" } else { "then" };
            let Some((name, span)) = &a.name else {
                return Err(problem(a.span, "unexpected argument").expected(usage));
            };
            if name != wanted {
                return Err(problem(*span, format!("unknown argument `{name}`"))
                    .expected(format!("`{wanted}`")));
            }
            let (node, ty) = self.expr(&a.value, Scope::Trial)?;
            keys.push(match (ty, node) {
                (Type::Text, _) => PickKey::Name,
                (Type::Number, node) => PickKey::Number(node),
                (Type::Metric, Node::Var(v)) => PickKey::Metric(v),
                (Type::Condition | Type::Framework | Type::Metric, _) => {
                    return Err(problem(
                        a.value.span(),
                        format!("expected a key, found {}", ty.describe()),
                    )
                    .expected(
                        "a key such as `time`, `eval_index`, `step`, `best`, `final` or `name`",
                    ))
                }
            });
        }
        if keys.is_empty() {
            return Err(
                problem(c.span, "`pick` needs a key").expected("`by = eval_index` or `by = time`")
            );
        }
        Ok((Node::Pick(keys), Type::Number))
    }

    fn reference(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        arity(c, 1)?;
        let Expr::Str(name, span) = &c.args[0].value else {
            return Err(problem(
                c.args[0].value.span(),
                "expected the submission's name as a string",
            )
            .expected("`reference('baseline')`"));
        };
        if scope != Scope::Cell {
            return Err(problem(c.span, "`reference` is a cell's value"));
        }
        if name.is_empty() {
            return Err(problem(*span, "the reference submission's name is empty"));
        }
        let index = match self.cx.references.iter().position(|r| r == name) {
            Some(i) => i,
            None => {
                self.cx.references.push(name.clone());
                self.cx.references.len() - 1
            }
        };
        Ok((Node::Reference(index), Type::Number))
    }

    fn column(&mut self, c: &Call, scope: Scope) -> Result<(Node, Type), Problem> {
        arity(c, 1)?;
        let Expr::Str(name, span) = &c.args[0].value else {
            return Err(problem(
                c.args[0].value.span(),
                "expected the column's name as a string",
            )
            .expected("`column('train/loss')`"));
        };
        if scope != Scope::Row {
            return Err(problem(c.span, "`column` is a value of an evaluation row")
                .expected("`column('NAME')` inside the trial slot's `first(… where …)`"));
        }
        if name.is_empty() {
            return Err(problem(*span, "the column's name is empty"));
        }
        let index = match self.cx.columns.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.cx.columns.push(name.clone());
                self.cx.columns.len() - 1
            }
        };
        Ok((Node::Column(index), Type::Number))
    }

    fn trapezoid(&mut self, c: &Call, _scope: Scope) -> Result<(Node, Type), Problem> {
        let usage = "`trapezoid(rho)` or `trapezoid(rho, x = log2(tau))`";
        match c.args.first() {
            Some(a) if a.name.is_none() && a.value.ident() == Some("rho") => {}
            _ => return Err(problem(c.span, "`trapezoid` integrates `rho`").expected(usage)),
        }
        let x = match c.args.get(1) {
            None => None,
            Some(a) => {
                if a.name.as_ref().map(|(n, _)| n.as_str()) != Some("x") || c.args.len() > 2 {
                    return Err(problem(a.span, "unexpected argument").expected(usage));
                }
                let node = self.typed(&a.value, Scope::TauPoint, Type::Number)?;
                let taus = self.cx.taus.unwrap_or(&[]);
                let mut xs = Vec::with_capacity(taus.len());
                for &t in taus {
                    let ctx = super::Ctx {
                        tau: t,
                        ..Default::default()
                    };
                    let v = super::eval(&node, &ctx, &mut Vec::new())
                        .map_err(|e| problem(a.value.span(), e.0))?;
                    if !v.is_finite() {
                        return Err(problem(
                            a.value.span(),
                            format!(
                                "x is {} at τ = {}: the axis must be finite",
                                crate::numeric::py_repr(v),
                                crate::numeric::py_repr(t)
                            ),
                        ));
                    }
                    xs.push(v);
                }
                Some(xs)
            }
        };
        Ok((Node::Trapezoid(x), Type::Number))
    }

    fn trial(&mut self, e: &Expr) -> Result<Compiled, Problem> {
        let usage =
            "`first(X where C)`, `last(…)`, `min(…)` or `max(…)`, e.g. `first(time where reached)`";
        let Expr::Call(c) = e else {
            return Err(problem(e.span(), "a trial's result is one row's value").expected(usage));
        };
        let def = FUNCTIONS
            .iter()
            .find(|f| f.name == c.name && matches!(f.form, Form::Rows(_)));
        let Some(super::FnDef {
            form: Form::Rows(pick),
            ..
        }) = def
        else {
            let known: Vec<&str> = FUNCTIONS
                .iter()
                .filter(|f| matches!(f.form, Form::Rows(_)))
                .map(|f| f.name)
                .collect();
            return Err(problem(
                c.name_span,
                format!(
                    "unknown function `{}`{}",
                    c.name,
                    did_you_mean(&c.name, known.iter().copied())
                ),
            )
            .expected(format!("one of: {}", quoted(&known))));
        };
        if c.args.len() != 1 {
            return Err(problem(
                c.span,
                format!("`{}` takes 1 argument, found {}", c.name, c.args.len()),
            )
            .expected(usage));
        }
        let a = &c.args[0];
        if let Some((_, span)) = &a.over {
            return Err(over_misplaced(*span));
        }
        if let Some((n, span)) = &a.name {
            return Err(problem(
                *span,
                format!("`{}` takes no named argument `{n}`", c.name),
            ));
        }
        let value = self.typed(&a.value, Scope::Row, Type::Number)?;
        let cond = match &a.filter {
            Some(f) => Some(self.typed(f, Scope::Row, Type::Condition)?),
            None => None,
        };
        Ok(Compiled::Trial {
            pick: *pick,
            value,
            cond,
        })
    }

    fn step(&mut self, f: &Formula) -> Result<Compiled, Problem> {
        let Formula::Assign {
            target,
            target_span,
            value,
            cond,
        } = f
        else {
            return Err(problem(Span::default(), "a rule step is an assignment"));
        };
        let target = match target.as_str() {
            "all" => Target::All,
            "base" => Target::Base,
            "held_out" => Target::HeldOut,
            w if self.cx.workloads.iter().any(|x| x == w) => Target::Workload(w.to_string()),
            w => {
                let mut known = vec!["all", "base", "held_out"];
                known.extend(self.cx.workloads.iter().map(String::as_str));
                return Err(problem(
                    *target_span,
                    format!(
                        "unknown step target `{w}`{}",
                        did_you_mean(w, known.iter().copied())
                    ),
                )
                .expected("`all`, `base`, `held_out` or a workload of the matrix"));
            }
        };
        let value = self.typed(value, Scope::Cell, Type::Number)?;
        let cond = self.typed(cond, Scope::Cell, Type::Condition)?;
        Ok(Compiled::Step {
            target,
            value,
            cond,
        })
    }

    /// A constant number: evaluated now.
    fn constant(&mut self, e: &Expr) -> Result<f64, Problem> {
        let node = self.typed(e, Scope::Outer, Type::Number)?;
        super::eval(&node, &super::Ctx::default(), &mut Vec::new())
            .map_err(|err| problem(e.span(), err.0))
    }

    fn tau(&mut self, e: &Expr) -> Result<Compiled, Problem> {
        let (log, bounds, values) = match e {
            Expr::List(items, span) => {
                if items.is_empty() {
                    return Err(problem(*span, "an empty τ list").expected("at least one τ value"));
                }
                let mut v = Vec::with_capacity(items.len());
                for item in items {
                    let x = self.constant(item)?;
                    if !x.is_finite() {
                        return Err(problem(
                            item.span(),
                            format!("τ must be finite, found {}", crate::numeric::py_repr(x)),
                        ));
                    }
                    if v.last().is_some_and(|&p| x <= p) {
                        return Err(problem(item.span(), "τ values must be strictly ascending"));
                    }
                    v.push(x);
                }
                (false, (v[0], v[v.len() - 1]), v)
            }
            Expr::Call(c) => self.grid(c)?,
            other => {
                return Err(problem(other.span(), "expected a τ grid")
                    .expected("`linspace(a, b, n)`, `logspace(a, b, n)` or a list `[1, 1.5, 2]`"))
            }
        };
        let axis: Vec<f64> = if log {
            let (a, b) = (values[0], values[values.len() - 1]);
            crate::numeric::linspace(a.log10(), b.log10(), values.len())
        } else {
            values.clone()
        };
        let span = e.span();
        let width = axis[axis.len() - 1] - axis[0];
        let ones = vec![1.0; axis.len()];
        if !width.is_finite() || !crate::numeric::trapezoid(&ones, &axis).is_finite() {
            return Err(problem(
                span,
                "the τ range is too wide: integrating ρ over it overflows to inf",
            )
            .expected("a τ range whose width is a finite number well below 1.8e308"));
        }
        Ok(Compiled::Tau {
            log,
            bounds,
            values,
            axis,
        })
    }

    #[allow(clippy::type_complexity)]
    fn grid(&mut self, c: &Call) -> Result<(bool, (f64, f64), Vec<f64>), Problem> {
        let def = FUNCTIONS
            .iter()
            .find(|f| f.name == c.name && matches!(f.form, Form::Grid { .. }));
        let Some(super::FnDef {
            form: Form::Grid { log },
            ..
        }) = def
        else {
            return Err(problem(
                c.name_span,
                format!(
                    "unknown function `{}`{}",
                    c.name,
                    did_you_mean(&c.name, ["linspace", "logspace"].into_iter())
                ),
            )
            .expected("`linspace`, `logspace`, or a list `[1, 1.5, 2]`"));
        };
        arity(c, 3)?;
        let min = self.constant(&c.args[0].value)?;
        let max = self.constant(&c.args[1].value)?;
        let points = self.constant(&c.args[2].value)?;
        let py = crate::numeric::py_repr;
        if !(min.is_finite() && max.is_finite()) || min >= max {
            return Err(problem(
                c.span,
                format!(
                    "empty τ range: min {} must be below max {}",
                    fmt_num(min),
                    fmt_num(max)
                ),
            ));
        }
        if *log && min <= 0.0 {
            return Err(problem(
                c.args[0].span,
                format!("a log grid needs τ min > 0, found {}", py(min)),
            ));
        }
        if points.fract() != 0.0 || !(2.0..=1e6).contains(&points) {
            return Err(problem(
                c.args[2].span,
                format!(
                    "the number of points must be a whole number from 2 to 1000000, found {}",
                    fmt_num(points)
                ),
            ));
        }
        let n = points as usize;
        let values = if *log {
            crate::numeric::linspace(min.log10(), max.log10(), n)
                .into_iter()
                .map(|e| 10f64.powf(e))
                .collect()
        } else {
            crate::numeric::linspace(min, max, n)
        };
        Ok((*log, (min, max), values))
    }

    fn rho(&mut self, e: &Expr) -> Result<Compiled, Problem> {
        let usage = "`fraction(CONDITION)`, e.g. `fraction(ratio <= tau)`, or `fraction(NUMBER)` of a number in [0, 1], e.g. `fraction(min(1, tau / ratio))`";
        let Expr::Call(c) = e else {
            return Err(problem(e.span(), "ρ is a fraction of base workloads").expected(usage));
        };
        if c.name != "fraction" {
            let message = if FUNCTIONS.iter().any(|f| f.name == c.name) {
                format!(
                    "`{}` is not allowed in [profile] rho: ρ is the fraction of base workloads whose condition holds (or the mean of their credit in [0, 1])",
                    c.name
                )
            } else {
                format!(
                    "unknown function `{}`{}",
                    c.name,
                    did_you_mean(&c.name, ["fraction"].into_iter())
                )
            };
            return Err(problem(c.name_span, message).expected(usage));
        }
        arity(c, 1)?;
        let arg = &c.args[0].value;
        let (node, ty) = self.expr(arg, Scope::RhoCell)?;
        match ty {
            Type::Condition => Ok(Compiled::Rho {
                node,
                credit: false,
            }),
            Type::Number => {
                credit_in_range(&node, self.cx.taus.unwrap_or(&[]))
                    .map_err(|m| problem(arg.span(), m).expected(usage))?;
                Ok(Compiled::Rho { node, credit: true })
            }
            other => Err(problem(
                arg.span(),
                format!(
                    "expected a condition or a number, found {}",
                    other.describe()
                ),
            )
            .expected(usage)),
        }
    }

    /// An example of a framework comparison with the spec's own names.
    fn framework_example(&self) -> String {
        let name = self.cx.frameworks.first().map_or("jax", String::as_str);
        format!("a comparison with a quoted name of [workloads] frameworks, e.g. `framework == '{name}'`")
    }

    /// `framework == 'jax'` (or `!=`, either side): the name is checked
    /// against `[workloads] frameworks` now.
    fn framework_cmp(
        &mut self,
        op: crate::spec::formula::CmpOp,
        l: &Expr,
        r: &Expr,
        span: Span,
        scope: Scope,
    ) -> Result<(Node, Type), Problem> {
        use crate::spec::formula::CmpOp;
        let (side, other) = if matches!(l, Expr::Str(..)) {
            (r, l)
        } else {
            (l, r)
        };
        let (node, ty) = self.expr(side, scope)?;
        if ty != Type::Framework {
            return Err(problem(
                other.span(),
                "a quoted name is compared only with `framework`",
            )
            .expected(self.framework_example()));
        }
        let Expr::Str(name, name_span) = other else {
            return Err(problem(
                other.span(),
                "`framework` is compared with a framework's name in quotes",
            )
            .expected(self.framework_example()));
        };
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return Err(problem(
                span,
                format!(
                    "a framework is compared only by `==` or `!=`, not `{}`",
                    op.symbol()
                ),
            )
            .expected(self.framework_example()));
        }
        let Some(index) = self.cx.frameworks.iter().position(|f| f == name) else {
            let known: Vec<&str> = self.cx.frameworks.iter().map(String::as_str).collect();
            return Err(problem(
                *name_span,
                format!(
                    "unknown framework '{name}'{}",
                    did_you_mean(name, known.iter().copied())
                ),
            )
            .expected(format!("one of [workloads] frameworks: {}", quoted(&known))));
        };
        Ok((
            Node::Cmp(op, Box::new(node), Box::new(Node::Framework(index))),
            Type::Condition,
        ))
    }

    /// A per-item name used where the slot has none of that name, with
    /// what to write instead (`ratio` in the score outside `over
    /// workloads`; `framework` at the workload slot's own level).
    fn misplaced_name(&self, name: &str, span: Span, scope: Scope) -> Option<Problem> {
        match (self.slot, scope, name) {
            (Slot::Score, Scope::Profile, "ratio" | "weight") => Some(
                problem(
                    span,
                    format!("`{name}` is a value of each base workload: reduce it over them"),
                )
                .expected(format!("e.g. `geomean({name} over workloads)`")),
            ),
            (Slot::Study | Slot::Workload, Scope::Outer, _)
                if NAMES.iter().any(|n| {
                    n.name == name
                        && set_token(self.slot).is_some_and(|(_, _, inner)| inner == n.scope)
                }) =>
            {
                let (token, _, _) = set_token(self.slot)?;
                Some(
                    problem(
                        span,
                        format!(
                            "`{name}` is a value of each of the {token}: it stands inside a reduction or `count`"
                        ),
                    )
                    .expected(format!("e.g. `count({token} where {name} …)` or `min({name})`")),
                )
            }
            _ => None,
        }
    }

    /// The score's `R(X over workloads)` with `[workloads] weights` other
    /// than 1 needs a weighted form of R (mean, geomean; min and max are
    /// unchanged by weights).
    fn weights_apply(
        &self,
        node: &Node,
        weighted: Option<super::WeightedFn>,
        c: &Call,
    ) -> Result<(), Problem> {
        let over_ratios = matches!(
            node,
            Node::Reduce {
                set: Set::Ratios,
                ..
            }
        );
        if over_ratios && weighted.is_none() && self.cx.weighted {
            return Err(problem(
                c.name_span,
                format!(
                    "`{}` over workloads has no weighted form, and [workloads] weights gives weights other than 1",
                    c.name
                ),
            )
            .expected("`mean`, `geomean`, `min` or `max` over workloads (weighted), or no weights"));
        }
        Ok(())
    }
}

/// Whether a comparison is of a framework with a quoted name.
fn is_framework_cmp(l: &Expr, r: &Expr) -> bool {
    let named = |e: &Expr| e.ident() == Some("framework");
    matches!(l, Expr::Str(..)) || matches!(r, Expr::Str(..)) || named(l) || named(r)
}

/// A ρ credit known at check time must lie in [0, 1]: a constant
/// (`fraction(1.5)`), or one that reads τ but not the ratio, at every
/// point of the grid (`fraction(tau / 2)` on a grid up to 4).
fn credit_in_range(node: &Node, taus: &[f64]) -> Result<(), String> {
    if node.uses(Var::RhoRatio) {
        return Ok(());
    }
    let py = crate::numeric::py_repr;
    let out_of_range = |v: f64| !(0.0..=1.0).contains(&v);
    if !node.uses(Var::RhoTau) {
        return match super::eval(node, &super::Ctx::default(), &mut Vec::new()) {
            Ok(v) if out_of_range(v) => Err(format!(
                "ρ's credit must be a number from 0 to 1, found {}",
                py(v)
            )),
            _ => Ok(()),
        };
    }
    for &tau in taus {
        let cx = super::Ctx {
            tau,
            ..Default::default()
        };
        if let Ok(v) = super::eval(node, &cx, &mut Vec::new()) {
            if out_of_range(v) {
                return Err(format!(
                    "ρ's credit must be a number from 0 to 1, found {} at τ = {}",
                    py(v),
                    py(tau)
                ));
            }
        }
    }
    Ok(())
}

/// A reduction's parameter known at check time (`quantile(studies, 1.5)`)
/// is checked now, by the reduction itself on an empty set, rather than
/// when the first cell is scored.
fn literal_param(node: &Node, index: usize) -> Result<(), String> {
    let varies = node.any(&|n| {
        !matches!(
            n,
            Node::Const(_)
                | Node::Neg(_)
                | Node::Add(..)
                | Node::Sub(..)
                | Node::Mul(..)
                | Node::Div(..)
                | Node::Math(..)
                | Node::Extreme(..)
        )
    });
    let Form::Reduce { f, .. } = FUNCTIONS[index].form else {
        return Ok(());
    };
    if varies {
        return Ok(());
    }
    let Ok(value) = super::eval(node, &super::Ctx::default(), &mut Vec::new()) else {
        return Ok(());
    };
    f(&mut [], value).map(|_| ()).map_err(|e| e.to_string())
}

/// A number as the old messages printed it (`4`, `2.5`).
fn fmt_num(v: f64) -> String {
    format!("{v}")
}

/// The built-in names of a scope, for the language reference.
pub fn names_of(scope: Scope) -> impl Iterator<Item = &'static NameDef> {
    NAMES.iter().filter(move |n| n.scope == scope)
}
