//! A cell formula (a rule step's condition or value, the ratio) compiled
//! once into a form that evaluates a whole matrix column at a time.
//!
//! The interpreter ([`eval`](crate::spec::lang::eval)) evaluates a formula
//! cell by cell: a context, a tree walk and a `Result` per node per cell.
//! `stability` re-scores thousands of resampled matrices, so the rule steps
//! and the ratio of the published specs (`time > 4 * best`,
//! `not finite(base)`, `time / best`) are compiled here into column-wise
//! operations: each node fills a buffer with its value on every row of the
//! column, by the same IEEE operation the interpreter applies to each cell,
//! so every value is the same to the bit. Only formulas that cannot fail
//! at run time and read nothing but the cell's own column are compiled
//! (arithmetic, comparisons, `and`/`or`/`not`, `finite`, `if`, `min`/`max`
//! of numbers, math functions, `time`, `best`, `base`, `held_out`,
//! `budget`, `step_hint`, `target`, `reference(…)`); anything else
//! (reductions over a set, `count`, `framework`, which may be an error)
//! stays with the interpreter.

use nalgebra::DMatrix;

use crate::spec::formula::CmpOp;
use crate::spec::lang::{truth, Form, Node, Var, FUNCTIONS};

/// A cell formula in column-wise form.
#[derive(Debug, Clone)]
pub(super) enum Cellwise {
    Const(f64),
    /// `time`: the cell's own time.
    Time,
    /// `base`: the time of the cell's base workload (its own for a base).
    Base,
    /// `held_out`: a variant's own time, or the time of the variant a base
    /// cell is evaluated with (NaN without one).
    HeldOut,
    /// A number of the column: `best`, `budget`, `step_hint`, `target`.
    PerColumn(PerColumn),
    /// `reference(i)`: the i-th referenced submission's time here.
    Reference(usize),
    Neg(Box<Cellwise>),
    Not(Box<Cellwise>),
    Finite(Box<Cellwise>),
    Math(fn(f64) -> f64, Box<Cellwise>),
    Bin(Bin, Box<Cellwise>, Box<Cellwise>),
    If(Box<[Cellwise; 3]>),
    Extreme(bool, Vec<Cellwise>),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum PerColumn {
    Best,
    Budget,
    StepHint,
    Target,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Cmp(CmpOp),
    And,
    Or,
}

/// What a column-wise formula reads: the matrix, its column bests, and
/// the per-column layout of [`super::Shape`].
pub(super) struct Column<'a> {
    pub m: &'a DMatrix<f64>,
    pub best: &'a [f64],
    pub base_of: &'a [Option<usize>],
    pub budget: &'a [f64],
    pub step_hint: &'a [f64],
    pub target: &'a [f64],
    pub references: &'a [usize],
    /// The column evaluated, and the held-out variant `held_out` reads
    /// there (as the interpreter's context has it).
    pub c: usize,
    pub variant: Option<usize>,
}

impl<'a> Column<'a> {
    fn of(&self, col: usize) -> &'a [f64] {
        let n = self.m.nrows();
        &self.m.as_slice()[col * n..(col + 1) * n]
    }
}

impl Cellwise {
    /// The column-wise form of `node`, `None` when it holds anything the
    /// interpreter must evaluate.
    pub fn compile(node: &Node) -> Option<Cellwise> {
        let one = |a: &Node| Cellwise::compile(a).map(Box::new);
        let two = |op: Bin, a: &Node, b: &Node| Some(Cellwise::Bin(op, one(a)?, one(b)?));
        Some(match node {
            Node::Const(v) => Cellwise::Const(*v),
            Node::Framework(i) => Cellwise::Const(*i as f64),
            Node::Var(v) => match v {
                Var::CellTime => Cellwise::Time,
                Var::CellBase => Cellwise::Base,
                Var::CellHeldOut => Cellwise::HeldOut,
                Var::CellBest => Cellwise::PerColumn(PerColumn::Best),
                Var::CellBudget => Cellwise::PerColumn(PerColumn::Budget),
                Var::CellStepHint => Cellwise::PerColumn(PerColumn::StepHint),
                Var::CellTarget => Cellwise::PerColumn(PerColumn::Target),
                _ => return None,
            },
            Node::Reference(i) => Cellwise::Reference(*i),
            Node::Neg(a) => Cellwise::Neg(one(a)?),
            Node::Not(a) => Cellwise::Not(one(a)?),
            Node::Finite(a) => Cellwise::Finite(one(a)?),
            Node::Math(f, a) => match FUNCTIONS.get(*f)?.form {
                Form::Math(g) => Cellwise::Math(g, one(a)?),
                _ => return None,
            },
            Node::Add(a, b) => two(Bin::Add, a, b)?,
            Node::Sub(a, b) => two(Bin::Sub, a, b)?,
            Node::Mul(a, b) => two(Bin::Mul, a, b)?,
            Node::Div(a, b) => two(Bin::Div, a, b)?,
            Node::Cmp(op, a, b) => two(Bin::Cmp(*op), a, b)?,
            Node::And(a, b) => two(Bin::And, a, b)?,
            Node::Or(a, b) => two(Bin::Or, a, b)?,
            Node::If(k, a, b) => Cellwise::If(Box::new([
                Cellwise::compile(k)?,
                Cellwise::compile(a)?,
                Cellwise::compile(b)?,
            ])),
            Node::Extreme(max, args) => Cellwise::Extreme(
                *max,
                args.iter().map(Cellwise::compile).collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    /// Fills `out` (one value per row) with the formula on every row of
    /// the column `at` names. `spare` lends buffers for subformulas and
    /// gets them back.
    pub fn fill(&self, at: &Column, out: &mut [f64], spare: &mut Vec<Vec<f64>>) {
        match self {
            Cellwise::Const(v) => out.fill(*v),
            Cellwise::Time => out.copy_from_slice(at.of(at.c)),
            Cellwise::Base => out.copy_from_slice(at.of(at.base_of[at.c].unwrap_or(at.c))),
            Cellwise::HeldOut => match (at.base_of[at.c], at.variant) {
                (Some(_), _) => out.copy_from_slice(at.of(at.c)),
                (None, Some(v)) => out.copy_from_slice(at.of(v)),
                (None, None) => out.fill(f64::NAN),
            },
            Cellwise::PerColumn(p) => out.fill(match p {
                PerColumn::Best => at.best[at.c],
                PerColumn::Budget => at.budget[at.c],
                PerColumn::StepHint => at.step_hint[at.c],
                PerColumn::Target => at.target[at.c],
            }),
            Cellwise::Reference(i) => out.fill(at.m[(at.references[*i], at.c)]),
            Cellwise::Neg(a) => map(a, at, out, spare, |x| -x),
            Cellwise::Not(a) => map(a, at, out, spare, |x| truth(x == 0.0)),
            Cellwise::Finite(a) => map(a, at, out, spare, |x| truth(x.is_finite())),
            Cellwise::Math(g, a) => map(a, at, out, spare, *g),
            Cellwise::Bin(op, a, b) => {
                a.fill(at, out, spare);
                let right = filled(b, at, out.len(), spare);
                for (x, &y) in out.iter_mut().zip(&right) {
                    *x = op.apply(*x, y);
                }
                spare.push(right);
            }
            Cellwise::If(kab) => {
                let [k, a, b] = kab.as_ref();
                k.fill(at, out, spare);
                let then = filled(a, at, out.len(), spare);
                let other = filled(b, at, out.len(), spare);
                for (i, x) in out.iter_mut().enumerate() {
                    *x = if *x != 0.0 { then[i] } else { other[i] };
                }
                spare.push(then);
                spare.push(other);
            }
            Cellwise::Extreme(max, args) => {
                // The interpreter's fold, row by row: NaN as soon as an
                // argument is NaN, else the running min or max in order.
                out.fill(if *max {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                });
                for a in args {
                    let values = filled(a, at, out.len(), spare);
                    for (acc, &v) in out.iter_mut().zip(&values) {
                        if acc.is_nan() {
                            continue;
                        }
                        *acc = if v.is_nan() {
                            f64::NAN
                        } else if *max {
                            acc.max(v)
                        } else {
                            acc.min(v)
                        };
                    }
                    spare.push(values);
                }
            }
        }
    }
}

impl Bin {
    /// The interpreter's operation on one cell's two values.
    #[inline]
    fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Bin::Add => a + b,
            Bin::Sub => a - b,
            Bin::Mul => a * b,
            Bin::Div => a / b,
            Bin::Cmp(op) => truth(op.apply(a, b)),
            Bin::And => truth(a != 0.0 && b != 0.0),
            Bin::Or => truth(a != 0.0 || b != 0.0),
        }
    }
}

/// `out` = `f` of `a`, row by row.
fn map(
    a: &Cellwise,
    at: &Column,
    out: &mut [f64],
    spare: &mut Vec<Vec<f64>>,
    f: impl Fn(f64) -> f64,
) {
    a.fill(at, out, spare);
    for x in out.iter_mut() {
        *x = f(*x);
    }
}

/// `node` filled into a buffer of `n` rows lent by `spare` (the caller
/// gives it back).
fn filled(node: &Cellwise, at: &Column, n: usize, spare: &mut Vec<Vec<f64>>) -> Vec<f64> {
    let mut buf = spare.pop().unwrap_or_default();
    buf.clear();
    buf.resize(n, 0.0);
    node.fill(at, &mut buf, spare);
    buf
}
