//! The rule language's parser: `grammar/rules.pest` → a small expression AST.
//!
//! Parsing knows nothing of what a slot of the spec accepts; that is
//! `interpret`'s job. Every node carries its byte span inside the formula so
//! errors can point at the offending text.

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/rules.pest"]
struct RuleParser;

/// Byte range of a node inside its formula string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Binary operators of the rule language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Comparison operators of a condition.
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
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64, Span),
    Str(String, Span),
    Ident(String, Span),
    Neg(Box<Expr>, Span),
    Binary(BinOp, Box<Expr>, Box<Expr>, Span),
    Call(Call),
    /// `value where condition`, only inside call arguments.
    Where(Box<Expr>, Box<Cond>, Span),
}

/// A function call with positional and named arguments in written order.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    pub span: Span,
}

/// One call argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Positional(Expr),
    Named(String, Span, Expr),
}

/// A condition after `where`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Not(Box<Cond>, Span),
    Compare(CmpOp, Expr, Expr, Span),
    /// A bare expression used as a condition: `reached`, `finite(base)`.
    Truth(Expr),
}

/// A whole formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Expr(Expr),
    /// `target := value where condition`.
    Assign {
        target: String,
        target_span: Span,
        value: Box<Expr>,
        cond: Box<Cond>,
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
            | Expr::Neg(_, s)
            | Expr::Binary(_, _, _, s)
            | Expr::Where(_, _, s) => *s,
            Expr::Call(c) => c.span,
        }
    }
}

impl Cond {
    /// Where this condition stands in its formula.
    pub fn span(&self) -> Span {
        match self {
            Cond::Not(_, s) | Cond::Compare(_, _, _, s) => *s,
            Cond::Truth(e) => e.span(),
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

/// The deepest nesting of parentheses and `not` accepted: the parser
/// recurses on both, and a few thousand levels overflow the stack.
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
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            continue;
        }
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let not_word = word_start
            && bytes[i..].starts_with(b"not")
            && bytes
                .get(i + 3)
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
        match b {
            b'\'' | b'"' => quote = Some(b),
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ if not_word => nots += 1,
            _ => {}
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
    let formula = pairs.next().ok_or_else(|| SyntaxError {
        span: Span { start: 0, end: 0 },
        message: "empty formula".into(),
    })?;
    let inner = formula
        .into_inner()
        .find(|p| p.as_rule() != Rule::EOI)
        .ok_or_else(|| SyntaxError {
            span: Span { start: 0, end: 0 },
            message: "empty formula".into(),
        })?;
    Ok(match inner.as_rule() {
        Rule::assignment => {
            let mut it = inner.into_inner();
            let target = next(&mut it)?;
            let target_span = span_of(&target);
            let _op = next(&mut it)?;
            let value = build_expr(next(&mut it)?)?;
            let _kw = next(&mut it)?;
            let cond = build_cond(next(&mut it)?)?;
            Formula::Assign {
                target: target.as_str().to_string(),
                target_span,
                value: Box::new(value),
                cond: Box::new(cond),
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

fn build_expr(pair: Pair<Rule>) -> Result<Expr, SyntaxError> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::expr | Rule::term => {
            let mut it = pair.into_inner();
            let mut left = build_expr(next(&mut it)?)?;
            while let Some(op) = it.next() {
                let right = build_expr(next(&mut it)?)?;
                let op = match op.as_str() {
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    _ => BinOp::Div,
                };
                let s = Span {
                    start: left.span().start,
                    end: right.span().end,
                };
                left = Expr::Binary(op, Box::new(left), Box::new(right), s);
            }
            Ok(left)
        }
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
            let mut e = match primary {
                Some(e) => e,
                None => return Err(malformed()),
            };
            for _ in 0..negs {
                e = Expr::Neg(Box::new(e), span);
            }
            Ok(e)
        }
        Rule::primary => build_expr(next(&mut pair.into_inner())?),
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
    let inner = next(&mut pair.into_inner())?;
    Ok(match inner.as_rule() {
        Rule::named => {
            let mut it = inner.into_inner();
            let name = next(&mut it)?;
            let name_span = span_of(&name);
            Arg::Named(
                name.as_str().to_string(),
                name_span,
                build_expr(next(&mut it)?)?,
            )
        }
        _ => {
            // filtered: expr (where condition)?
            let span = span_of(&inner);
            let mut it = inner.into_inner();
            let value = build_expr(next(&mut it)?)?;
            match it.next() {
                Some(_kw) => {
                    let cond = build_cond(next(&mut it)?)?;
                    Arg::Positional(Expr::Where(Box::new(value), Box::new(cond), span))
                }
                None => Arg::Positional(value),
            }
        }
    })
}

fn build_cond(pair: Pair<Rule>) -> Result<Cond, SyntaxError> {
    let span = span_of(&pair);
    Ok(match pair.as_rule() {
        Rule::condition => build_cond(next(&mut pair.into_inner())?)?,
        Rule::negation => {
            let mut it = pair.into_inner();
            let _kw = next(&mut it)?;
            Cond::Not(Box::new(build_cond(next(&mut it)?)?), span)
        }
        _ => {
            // comparison
            let mut it = pair.into_inner();
            let left = build_expr(next(&mut it)?)?;
            match it.next() {
                Some(op) => {
                    let op = match op.as_str() {
                        "<=" => CmpOp::Le,
                        ">=" => CmpOp::Ge,
                        "==" => CmpOp::Eq,
                        "!=" => CmpOp::Ne,
                        "<" => CmpOp::Lt,
                        _ => CmpOp::Gt,
                    };
                    let right = build_expr(next(&mut it)?)?;
                    Cond::Compare(op, left, right, span)
                }
                None => Cond::Truth(left),
            }
        }
    })
}

/// Human names for the grammar's rules, used in "expected …" messages.
fn rule_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of formula",
        Rule::assign_op => "`:=`",
        Rule::kw_where => "`where`",
        Rule::kw_not => "`not`",
        Rule::cmp_op => "a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`)",
        Rule::add_op => "`+` or `-`",
        Rule::mul_op => "`*` or `/`",
        Rule::neg_op => "`-`",
        Rule::number => "a number",
        Rule::string => "a string",
        Rule::ident => "a name",
        Rule::call => "a function call",
        Rule::expr | Rule::term | Rule::unary | Rule::primary => "an expression",
        Rule::condition | Rule::comparison | Rule::negation => "a condition",
        Rule::argument | Rule::named | Rule::filtered => "an argument",
        Rule::assignment => "an assignment",
        Rule::formula => "an expression or a rule step",
        _ => "something else",
    }
}

fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let mut message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().map(rule_name).collect();
            names.sort_unstable();
            names.dedup();
            match names.len() {
                0 => "unexpected input".to_string(),
                1 => format!("expected {}", names[0]),
                _ => {
                    let last = names.pop().unwrap_or_default();
                    format!("expected {} or {}", names.join(", "), last)
                }
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
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
        span: Span {
            start,
            end: end.max(start),
        },
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_assignment_step() {
        let f = parse("held_out := inf where not finite(base)").expect("valid");
        match f {
            Formula::Assign { target, cond, .. } => {
                assert_eq!(target, "held_out");
                assert!(matches!(*cond, Cond::Not(..)));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parses_named_arguments_and_where() {
        let f = parse("pick(trials, by = eval_index, then = time)").expect("valid");
        let Formula::Expr(Expr::Call(c)) = f else {
            panic!("not a call")
        };
        assert_eq!(c.name, "pick");
        assert_eq!(c.args.len(), 3);
        let f = parse("first(time where reached)").expect("valid");
        let Formula::Expr(Expr::Call(c)) = f else {
            panic!("not a call")
        };
        assert!(matches!(c.args[0], Arg::Positional(Expr::Where(..))));
    }

    #[test]
    fn keywords_are_not_names() {
        let e = parse("where").expect_err("keyword");
        assert_eq!(e.span.start, 0);
    }
}
