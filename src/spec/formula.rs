//! The rule language's parser: `grammar/rules.pest` → one expression AST.
//!
//! Parsing knows nothing of what a slot of the spec accepts; that is the
//! checker's job (`spec::lang`). Every node carries its byte span inside the
//! formula so errors can point at the offending text, and every node prints
//! back as canonical text (its `Display`), which is what `--format json` and
//! `spec explain` show.

use std::fmt;

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use crate::limits::{Brackets, Quotes};

#[derive(Parser)]
#[grammar = "../grammar/rules.pest"]
struct RuleParser;

/// Byte range of a node inside its formula string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Binary operators of the rule language, arithmetic and logical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    And,
    Or,
    Cmp(CmpOp),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    /// The operator as written in a formula.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    /// IEEE comparison: false whenever NaN is involved (`!=` included, so
    /// that "every comparison with NaN is false" holds without exception).
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => !a.is_nan() && !b.is_nan() && a != b,
        }
    }
}

impl BinOp {
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Cmp(c) => c.symbol(),
        }
    }

    /// Binding strength, loosest first (for printing parentheses).
    fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Cmp(_) => 4,
            BinOp::Add | BinOp::Sub => 5,
            BinOp::Mul | BinOp::Div => 6,
        }
    }
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64, Span),
    Str(String, Span),
    Ident(String, Span),
    Unary(UnOp, Box<Expr>, Span),
    Binary(BinOp, Box<Expr>, Box<Expr>, Span),
    Call(Call),
    /// `[1, 1.5, 2]`.
    List(Vec<Expr>, Span),
}

/// A function call with its arguments in written order.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    pub span: Span,
}

/// One call argument: `by = time`, `time where reached`,
/// `time over submissions`, or a plain expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// `by` of `by = time`.
    pub name: Option<(String, Span)>,
    pub value: Expr,
    /// The condition after `where`.
    pub filter: Option<Expr>,
    /// `submissions` or `workloads` after `over`.
    pub over: Option<(String, Span)>,
    pub span: Span,
}

/// A whole formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Expr(Expr),
    /// `target := value where condition`.
    Assign {
        target: String,
        target_span: Span,
        value: Expr,
        cond: Expr,
    },
}

/// A syntax error: where, and what the parser expected there.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

impl Expr {
    /// Where this node stands in its formula.
    pub fn span(&self) -> Span {
        match self {
            Expr::Number(_, s)
            | Expr::Str(_, s)
            | Expr::Ident(_, s)
            | Expr::Unary(_, _, s)
            | Expr::Binary(_, _, _, s)
            | Expr::List(_, s) => *s,
            Expr::Call(c) => c.span,
        }
    }

    /// The name, when this node is a bare name.
    pub fn ident(&self) -> Option<&str> {
        match self {
            Expr::Ident(s, _) => Some(s),
            _ => None,
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary(op, ..) => op.precedence(),
            Expr::Unary(UnOp::Not, ..) => 3,
            Expr::Unary(UnOp::Neg, ..) => 7,
            _ => 8,
        }
    }
}

/// How a printed formula writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// As Python prints a float (`4.0`, `0.75`, `1e+308`): the canonical
    /// text the published JSON reports have always shown (`Display`).
    Python,
    /// As a person writes them (`4`, `100`, `0.75`, `1e-8`): `spec fmt`
    /// rewrites spec files, and `4 * best` should stay `4 * best`.
    Written,
}

impl Numbers {
    fn text(self, v: f64) -> String {
        match self {
            Numbers::Python => crate::numeric::py_repr(v),
            Numbers::Written => written_number(v),
        }
    }
}

/// A finite integer-valued float below 1e16 as an integer (`4`, `100`,
/// `9007199254740992`); any other finite one in Rust's shortest round-trip
/// form (`0.5`, `0.001`, `1e-8`, `1e20`). Literals are never negative, NaN
/// or infinite; `-0`, `nan` and `inf` print as Python would, which does not
/// parse back to the same tree, so `spec fmt` keeps such a formula as written.
fn written_number(v: f64) -> String {
    if !v.is_finite() || (v == 0.0 && v.is_sign_negative()) {
        return crate::numeric::py_repr(v);
    }
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v}")
    } else {
        format!("{v:?}")
    }
}

/// A node printed with a number style: `Display` is [`Numbers::Python`].
pub struct Printed<'a, T>(pub &'a T, pub Numbers);

impl Formula {
    /// The formula with numbers as a person writes them (`spec fmt`).
    pub fn written(&self) -> String {
        Printed(self, Numbers::Written).to_string()
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Printed(self, Numbers::Python).fmt(f)
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Printed(self, Numbers::Python).fmt(f)
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Printed(self, Numbers::Python).fmt(f)
    }
}

impl fmt::Display for Printed<'_, Expr> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.1;
        let p = |e: &Expr| Printed(e, n).to_string();
        match self.0 {
            Expr::Number(v, _) => f.write_str(&n.text(*v)),
            Expr::Str(s, _) => write!(f, "'{s}'"),
            Expr::Ident(s, _) => f.write_str(s),
            Expr::Unary(UnOp::Neg, e, _) => {
                let w = e.precedence() < 7;
                write!(
                    f,
                    "-{}{}{}",
                    if w { "(" } else { "" },
                    p(e),
                    if w { ")" } else { "" }
                )
            }
            Expr::Unary(UnOp::Not, e, _) => {
                let w = e.precedence() < 3;
                write!(
                    f,
                    "not {}{}{}",
                    if w { "(" } else { "" },
                    p(e),
                    if w { ")" } else { "" }
                )
            }
            Expr::Binary(op, l, r, _) => {
                let me = op.precedence();
                // Comparisons do not chain; the right side of - and / binds
                // tighter than the operator itself.
                let lp = l.precedence() < me || (l.precedence() == me && me == 4);
                let rp = r.precedence() <= me
                    && !(matches!(op, BinOp::Add | BinOp::Mul | BinOp::And | BinOp::Or)
                        && r.precedence() == me);
                let wrap = |w: bool, e: &Expr| if w { format!("({})", p(e)) } else { p(e) };
                write!(f, "{} {} {}", wrap(lp, l), op.symbol(), wrap(rp, r))
            }
            Expr::Call(c) => {
                write!(f, "{}(", c.name)?;
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Printed(a, n))?;
                }
                f.write_str(")")
            }
            Expr::List(items, _) => {
                f.write_str("[")?;
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", p(e))?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for Printed<'_, Arg> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, n) = (self.0, self.1);
        if let Some((name, _)) = &a.name {
            write!(f, "{name} = ")?;
        }
        write!(f, "{}", Printed(&a.value, n))?;
        if let Some(c) = &a.filter {
            write!(f, " where {}", Printed(c, n))?;
        }
        if let Some((o, _)) = &a.over {
            write!(f, " over {o}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Printed<'_, Formula> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.1;
        match self.0 {
            Formula::Expr(e) => write!(f, "{}", Printed(e, n)),
            Formula::Assign {
                target,
                value,
                cond,
                ..
            } => write!(
                f,
                "{target} := {} where {}",
                Printed(value, n),
                Printed(cond, n)
            ),
        }
    }
}

fn span_of(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span {
        start: s.start(),
        end: s.end(),
    }
}

/// The longest formula accepted, in bytes. Real ones are a few dozen; the
/// bound keeps every recursion over the syntax tree (building, checking,
/// dropping it) shallow, whatever the spec holds.
pub const MAX_LEN: usize = 1000;

/// The deepest nesting of parentheses, brackets and `not` accepted: the
/// parser recurses on them, and a few thousand levels overflow the stack.
pub const MAX_DEPTH: usize = 32;

/// Refuses formulas too long or too deeply nested to parse safely.
fn check_size(text: &str) -> Result<(), SyntaxError> {
    if text.len() > MAX_LEN {
        return Err(SyntaxError {
            span: Span {
                start: MAX_LEN,
                end: text.len(),
            },
            message: format!("formula too long: {} bytes, at most {MAX_LEN}", text.len()),
        });
    }
    const BRACKETS: Brackets = Brackets {
        open: b"([",
        close: b")]",
        quotes: Quotes::Plain,
    };
    let bytes = text.as_bytes();
    let mut nots = 0usize;
    for (i, depth) in BRACKETS.depths(text) {
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let not_word = word_start
            && bytes[i..].starts_with(b"not")
            && bytes
                .get(i + 3)
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
        if not_word {
            nots += 1;
        }
        if depth + nots > MAX_DEPTH {
            return Err(SyntaxError {
                span: Span {
                    start: i,
                    end: i + 1,
                },
                message: format!("formula nested too deeply: more than {MAX_DEPTH} levels"),
            });
        }
    }
    Ok(())
}

/// Parses one formula string.
pub fn parse(text: &str) -> Result<Formula, SyntaxError> {
    check_size(text)?;
    let mut pairs = RuleParser::parse(Rule::formula, text).map_err(|e| syntax_error(text, e))?;
    let formula = pairs.next().ok_or_else(malformed)?;
    let inner = formula
        .into_inner()
        .find(|p| p.as_rule() != Rule::EOI)
        .ok_or_else(malformed)?;
    Ok(match inner.as_rule() {
        Rule::assignment => {
            let mut it = inner.into_inner();
            let target = next(&mut it)?;
            let target_span = span_of(&target);
            let _op = next(&mut it)?;
            let value = build_expr(next(&mut it)?)?;
            let _kw = next(&mut it)?;
            let cond = build_expr(next(&mut it)?)?;
            Formula::Assign {
                target: target.as_str().to_string(),
                target_span,
                value,
                cond,
            }
        }
        _ => Formula::Expr(build_expr(inner)?),
    })
}

// The grammar guarantees the shape of every pair below; iterators are not
// typed by rule, so a missing pair is reported as an internal error rather
// than trusted away with `unwrap`.
fn next<'a>(it: &mut pest::iterators::Pairs<'a, Rule>) -> Result<Pair<'a, Rule>, SyntaxError> {
    it.next().ok_or_else(malformed)
}

fn malformed() -> SyntaxError {
    SyntaxError {
        span: Span { start: 0, end: 0 },
        message: "internal error: malformed parse tree".into(),
    }
}

/// The operator between two operands of a chain. The grammar admits no
/// other text, so anything else is an internal error at the operator, never
/// a silently different operator.
fn binary_op(op: &Pair<Rule>) -> Result<BinOp, SyntaxError> {
    Ok(match op.as_str() {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "and" => BinOp::And,
        "or" => BinOp::Or,
        "<=" => BinOp::Cmp(CmpOp::Le),
        ">=" => BinOp::Cmp(CmpOp::Ge),
        "==" => BinOp::Cmp(CmpOp::Eq),
        "!=" => BinOp::Cmp(CmpOp::Ne),
        "<" => BinOp::Cmp(CmpOp::Lt),
        ">" => BinOp::Cmp(CmpOp::Gt),
        other => {
            return Err(SyntaxError {
                span: span_of(op),
                message: format!("internal error: unknown operator `{other}`"),
            })
        }
    })
}

/// A left-associative chain `a op b op c …`.
fn build_chain(pair: Pair<Rule>) -> Result<Expr, SyntaxError> {
    let mut it = pair.into_inner();
    let mut left = build_expr(next(&mut it)?)?;
    while let Some(op) = it.next() {
        let right = build_expr(next(&mut it)?)?;
        let s = Span {
            start: left.span().start,
            end: right.span().end,
        };
        left = Expr::Binary(binary_op(&op)?, Box::new(left), Box::new(right), s);
    }
    Ok(left)
}

fn build_expr(pair: Pair<Rule>) -> Result<Expr, SyntaxError> {
    // Descend through single-child levels without recursing: a formula's
    // nesting depth, not the grammar's, bounds the stack.
    let mut pair = pair;
    loop {
        match pair.as_rule() {
            Rule::expr
            | Rule::conjunction
            | Rule::comparison
            | Rule::sum
            | Rule::term
            | Rule::condition
            | Rule::primary => {
                let mut inner = pair.clone().into_inner();
                let first = next(&mut inner)?;
                if inner.next().is_some() {
                    return build_chain(pair);
                }
                pair = first;
            }
            Rule::negation => {
                let span = span_of(&pair);
                let mut it = pair.into_inner();
                let first = next(&mut it)?;
                if first.as_rule() != Rule::kw_not {
                    pair = first;
                    continue;
                }
                let inner = build_expr(next(&mut it)?)?;
                return Ok(Expr::Unary(UnOp::Not, Box::new(inner), span));
            }
            _ => return build_leaf(pair),
        }
    }
}

fn build_leaf(pair: Pair<Rule>) -> Result<Expr, SyntaxError> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::unary => {
            let mut negs = 0;
            let mut primary = None;
            for p in pair.into_inner() {
                if p.as_rule() == Rule::neg_op {
                    negs += 1;
                } else {
                    primary = Some(build_expr(p)?);
                }
            }
            let mut e = primary.ok_or_else(malformed)?;
            for _ in 0..negs {
                e = Expr::Unary(UnOp::Neg, Box::new(e), span);
            }
            Ok(e)
        }
        Rule::number => Ok(Expr::Number(
            pair.as_str().parse().unwrap_or(f64::NAN),
            span,
        )),
        Rule::string => {
            let body = pair
                .into_inner()
                .next()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            Ok(Expr::Str(body, span))
        }
        Rule::ident => Ok(Expr::Ident(pair.as_str().to_string(), span)),
        Rule::list => Ok(Expr::List(
            pair.into_inner()
                .map(build_expr)
                .collect::<Result<_, _>>()?,
            span,
        )),
        Rule::call => {
            let mut it = pair.into_inner();
            let name = next(&mut it)?;
            let name_span = span_of(&name);
            let args = it.map(build_arg).collect::<Result<_, _>>()?;
            Ok(Expr::Call(Call {
                name: name.as_str().to_string(),
                name_span,
                args,
                span,
            }))
        }
        _ => Err(malformed()),
    }
}

fn build_arg(pair: Pair<Rule>) -> Result<Arg, SyntaxError> {
    let span = span_of(&pair);
    let inner = next(&mut pair.into_inner())?;
    let mut arg = Arg {
        name: None,
        value: Expr::Number(0.0, span),
        filter: None,
        over: None,
        span,
    };
    let named = inner.as_rule() == Rule::named;
    let mut it = inner.into_inner();
    let first = next(&mut it)?;
    if named {
        arg.name = Some((first.as_str().to_string(), span_of(&first)));
        arg.value = build_expr(next(&mut it)?)?;
        return Ok(arg);
    }
    arg.value = build_expr(first)?;
    while let Some(kw) = it.next() {
        let operand = next(&mut it)?;
        if kw.as_rule() == Rule::kw_where {
            arg.filter = Some(build_expr(operand)?);
        } else {
            arg.over = Some((operand.as_str().to_string(), span_of(&operand)));
        }
    }
    Ok(arg)
}

/// Human names for the grammar's rules, used in "expected …" messages.
fn rule_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of formula",
        Rule::assign_op => "`:=`",
        Rule::kw_where => "`where`",
        Rule::kw_not => "`not`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_over => "`over`",
        Rule::cmp_op => "a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`)",
        Rule::add_op => "`+` or `-`",
        Rule::mul_op => "`*` or `/`",
        Rule::neg_op => "`-`",
        Rule::number => "a number",
        Rule::string => "a string",
        Rule::ident => "a name",
        Rule::call => "a function call",
        Rule::list => "a list",
        Rule::expr
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::sum
        | Rule::term
        | Rule::unary
        | Rule::primary => "an expression",
        Rule::condition => "a condition",
        Rule::argument | Rule::named | Rule::filtered => "an argument",
        Rule::assignment => "an assignment",
        Rule::formula => "an expression or a rule step",
        _ => "something else",
    }
}

fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> SyntaxError {
    use super::diagnostic::{alternatives, PestComplaint, PestFailure};
    let failure = PestFailure::of(&e, |positives| {
        let mut names: Vec<&str> = positives.iter().map(rule_name).collect();
        // After a complete operand every binary operator fits: one name.
        let operators = [
            Rule::add_op,
            Rule::mul_op,
            Rule::cmp_op,
            Rule::kw_and,
            Rule::kw_or,
        ];
        if operators.iter().all(|r| positives.contains(r)) {
            let op_names: Vec<&str> = operators.iter().map(rule_name).collect();
            names.retain(|n| !op_names.contains(n));
            names.push("an operator");
        }
        names
    });
    let (start, end) = (failure.start, failure.end);
    let mut message = match failure.complaint {
        PestComplaint::Expected(names) if names.is_empty() => "unexpected input".to_string(),
        PestComplaint::Expected(names) => format!("expected {}", alternatives(&names, ", ")),
        PestComplaint::Message(message) => message,
    };
    let before = &text[..start.min(text.len())];
    let (open, closed) = (before.matches('(').count(), before.matches(')').count());
    let rest = &text[start.min(text.len())..];
    if rest.starts_with('\'') || rest.starts_with('"') {
        message = "unterminated string".into();
    } else if start >= text.len() && open > closed {
        message = "expected `)`, found the end of the formula".into();
    } else if start >= text.len() {
        message.push_str(", found the end of the formula");
    } else {
        let found: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(12)
            .collect();
        message.push_str(&format!(", found `{found}`"));
    }
    SyntaxError {
        span: Span { start, end },
        message,
    }
}

/// The comparison operators, longest first (so `<=` is not read as `<`).
const CMP_OPS: [&str; 6] = ["<=", ">=", "==", "!=", "<", ">"];

/// A hint for a syntax error at a second comparison in a row
/// (`1 <= ratio <= tau`): the language has one comparison per operand, so
/// the hint spells the chain out with `and` (`1 <= ratio and ratio <= tau`).
pub fn chain_hint(text: &str, e: &SyntaxError) -> Option<String> {
    let start = e.span.start.min(text.len());
    let (before, rest) = text.split_at(start);
    let op2 = CMP_OPS.iter().find(|op| rest.starts_with(**op))?;
    let (p, op1) = last_comparison(before)?;
    let a = operand_tail(&before[..p]);
    let b = before[p + op1.len()..].trim();
    let c = operand_head(&rest[op2.len()..]);
    if a.is_empty() || b.is_empty() || c.is_empty() {
        return None;
    }
    Some(format!(
        "one comparison at a time, joined by `and`: `{a} {op1} {b} and {b} {op2} {c}`"
    ))
}

/// The last comparison operator in `s`, at depth 0 of its last group.
fn last_comparison(s: &str) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    let mut i = s.len();
    while i > 0 {
        i -= 1;
        if matches!(bytes[i], b'(' | b',') {
            return None;
        }
        for op in CMP_OPS {
            if s[i..].starts_with(op) && (op.len() == 2 || !s[i + 1..].starts_with('=')) {
                let two = i > 0
                    && CMP_OPS
                        .iter()
                        .any(|o| o.len() == 2 && s[i - 1..].starts_with(o));
                if !two {
                    return Some((i, op));
                }
            }
        }
    }
    None
}

/// The operand that ends `s`: after its last `(`, `,` or keyword.
fn operand_tail(s: &str) -> &str {
    let mut from = s.rfind(['(', ',']).map_or(0, |i| i + 1);
    for kw in [" where ", " and ", " or ", "not "] {
        if let Some(i) = s.rfind(kw) {
            from = from.max(i + kw.len());
        }
    }
    s[from..].trim()
}

/// The operand that starts `s`: up to a `)` or `,` of its group, or a keyword.
fn operand_head(s: &str) -> &str {
    let mut depth = 0i32;
    let mut end = s.len();
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' | ',' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let mut head = &s[..end];
    for kw in [" where ", " and ", " or "] {
        if let Some(i) = head.find(kw) {
            head = &head[..i];
        }
    }
    head.trim()
}

#[cfg(test)]
mod tests {
    /// A chain of comparisons gets the `and` form of what was written,
    /// inside a call or after `where`; other syntax errors get no hint.
    #[test]
    fn chained_comparisons_get_the_and_form() {
        let hint = |text: &str| parse(text).err().and_then(|e| chain_hint(text, &e));
        assert_eq!(
            hint("fraction(1 <= ratio <= tau)").as_deref(),
            Some("one comparison at a time, joined by `and`: `1 <= ratio and ratio <= tau`")
        );
        assert_eq!(
            hint("first(time where 0 < time < budget)").as_deref(),
            Some("one comparison at a time, joined by `and`: `0 < time and time < budget`")
        );
        assert_eq!(hint("first(time where)"), None);
        assert_eq!(hint("1 + "), None);
    }

    use super::*;

    #[test]
    fn parses_an_assignment_step() {
        let f = parse("held_out := inf where not finite(base)").expect("valid");
        match f {
            Formula::Assign { target, cond, .. } => {
                assert_eq!(target, "held_out");
                assert!(matches!(cond, Expr::Unary(UnOp::Not, ..)));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "held_out := inf where not finite(base)",
            "all := inf where time > 4.0 * best",
            "all := inf where time > 2.0 * median(time over submissions)",
            "pick(trials, by = eval_index, then = time)",
            "first(time where reached and step <= step_hint)",
            "trapezoid(rho) / (tau_max - tau_min)",
            "a - (b - c)",
            "-(a + b) * c",
            "not (a or b) and c",
            "[1.0, 1.25, 1.5]",
            "0.75 * budget",
            "count(not finite(time) over workloads) > 4.0",
        ] {
            let f = parse(text).expect(text);
            assert_eq!(f.to_string(), text);
        }
    }

    #[test]
    fn keywords_are_not_names() {
        let e = parse("where").expect_err("keyword");
        assert_eq!(e.span.start, 0);
    }
}
