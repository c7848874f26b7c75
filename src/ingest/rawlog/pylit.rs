//! Python literals as they appear in AlgoPerf training logs.
//!
//! The logs are `repr()` text, not JSON: single-quoted strings, tuples,
//! `nan`/`inf`, `True`/`None`, and array scalars printed through their
//! constructor (`DeviceArray(0.5, dtype=float32)`). Parsing them with a pest
//! grammar (`grammar/pylit.pest`) instead of string surgery means a value is
//! either read completely or rejected with a position, never half-read; and,
//! unlike the public reference (which replaced `nan` by `0` so that Python's
//! `ast.literal_eval` would accept the text), `nan` stays NaN.

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use crate::limits::{Brackets, Quotes};

/// The generated pest parser for `grammar/pylit.pest`.
#[derive(Parser)]
#[grammar = "../grammar/pylit.pest"]
pub struct PyLitParser;

/// Deepest bracket nesting accepted. The logs need 4 (dict → list → tuple →
/// dict); the limit keeps both pest's and our recursion far from the end of
/// the stack on hostile input such as ten thousand `[`.
pub const MAX_NESTING: usize = 64;

/// A Python literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer literal that fits in an `i64` (larger ones become
    /// [`PyValue::Float`], the nearest `f64`, since the engine only needs
    /// them as numbers).
    Int(i64),
    /// A float literal, `nan`, `inf` or `-inf`.
    Float(f64),
    /// A string, escapes decoded.
    Str(String),
    /// `[…]`.
    List(Vec<PyValue>),
    /// `(…,)`.
    Tuple(Vec<PyValue>),
    /// `{…}`, in the order written (Python dicts keep insertion order).
    Dict(Vec<(PyValue, PyValue)>),
    /// An array scalar printed through a constructor, e.g.
    /// `DeviceArray(0.5, dtype=float32)`: `wrapper` is the constructor's name
    /// (`DeviceArray`), `value` its first argument. Keyword arguments
    /// (`dtype=…`) carry no value and are dropped.
    Wrapped {
        /// The constructor's name as written, e.g. `DeviceArray`, `np.float32`.
        wrapper: String,
        /// The wrapped value.
        value: Box<PyValue>,
    },
}

impl PyValue {
    /// The value as a number, looking through wrappers: ints, floats
    /// (NaN and ±inf included) and `Wrapped` numbers give `Some`; `None`
    /// gives NaN (what pandas reads from an empty CSV cell); anything else
    /// (strings, bools, containers) gives `None`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PyValue::Int(i) => Some(*i as f64),
            PyValue::Float(x) => Some(*x),
            PyValue::None => Some(f64::NAN),
            PyValue::Wrapped { value, .. } => value.as_f64(),
            _ => None,
        }
    }

    /// The value as an integer (looking through wrappers), for step numbers.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            PyValue::Int(i) => Some(*i),
            PyValue::Wrapped { value, .. } => value.as_i64(),
            _ => None,
        }
    }

    /// The value of `key` if this is a dict with a string key `key`
    /// (the last one, as Python keeps the last of duplicated keys).
    pub fn get(&self, key: &str) -> Option<&PyValue> {
        match self {
            PyValue::Dict(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| matches!(k, PyValue::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Why a text is not the literal expected: a 1-based column (in characters)
/// and a message. Lines are parsed one at a time, so the caller knows the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct PyLitError {
    /// 1-based character column in the text given to the parser.
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

impl PyLitError {
    fn at(column: usize, message: impl Into<String>) -> Self {
        PyLitError {
            column,
            message: message.into(),
        }
    }
}

/// Parse a text that is exactly one Python literal (surrounding blanks allowed).
pub fn parse_literal(text: &str) -> Result<PyValue, PyLitError> {
    parse_one(Rule::literal, text, "empty literal")
}

/// The last (only) value `rule` reads from `text`; `missing` when it reads
/// none.
fn parse_one(rule: Rule, text: &str, missing: &str) -> Result<PyValue, PyLitError> {
    check_nesting(text)?;
    let pair = parse_rule(rule, text)?;
    let mut values = Vec::with_capacity(1);
    for p in pair.into_inner() {
        if p.as_rule() != Rule::EOI {
            values.push(to_value(p)?);
        }
    }
    values.pop().ok_or_else(|| PyLitError::at(1, missing))
}

/// The parts of a per-evaluation line's tail (`Time since start: …s, Step:
/// N, {…}`): the `Step:` value and the evaluation dict, both unchecked.
pub fn parse_eval_tail(text: &str) -> Result<(PyValue, PyValue), PyLitError> {
    check_nesting(text)?;
    let pair = parse_rule(Rule::eval_tail, text)?;
    let mut values = Vec::with_capacity(2);
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::EOI | Rule::seconds | Rule::comma => {}
            _ => values.push(to_value(p)?),
        }
    }
    let dict = values.pop();
    let step = values.pop();
    match (step, dict) {
        (Some(s), Some(d)) => Ok((s, d)),
        _ => Err(PyLitError::at(1, "evaluation line without step or dict")),
    }
}

/// The value of a summary line's tail (`Metrics: {…}`), unchecked.
pub fn parse_metrics_tail(text: &str) -> Result<PyValue, PyLitError> {
    parse_one(Rule::metrics_tail, text, "Metrics line without a value")
}

fn parse_rule(rule: Rule, text: &str) -> Result<Pair<'_, Rule>, PyLitError> {
    match PyLitParser::parse(rule, text) {
        Ok(mut pairs) => pairs
            .next()
            .ok_or_else(|| PyLitError::at(1, "nothing parsed")),
        Err(e) => Err(convert_error(text, e)),
    }
}

/// Human names for the rules pest reports as "expected". The alternatives
/// of a value all start at the same place, so they are reported together
/// as "a value".
fn rule_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::eval_tail => "an evaluation line",
        Rule::metrics_tail => "a Metrics line",
        Rule::literal
        | Rule::value
        | Rule::dict
        | Rule::list
        | Rule::paren
        | Rule::wrapped
        | Rule::keyword
        | Rule::number
        | Rule::special
        | Rule::float
        | Rule::int
        | Rule::bad_number
        | Rule::string
        | Rule::dotted_name => "a value",
        Rule::pair => "a key: value pair",
        Rule::kwarg => "a keyword argument",
        Rule::comma => "','",
        Rule::colon => "':'",
        Rule::equals => "'='",
        Rule::rbrace => "'}'",
        Rule::rbracket => "']'",
        Rule::rparen => "')'",
        Rule::sign | Rule::digits | Rule::mantissa | Rule::exponent => "a number",
        Rule::sq_inner | Rule::dq_inner => "string text",
        Rule::name | Rule::name_char => "a name",
        Rule::seconds => "seconds such as 277.60s",
        Rule::EOI => "end of line",
        Rule::WHITESPACE => "a blank",
    }
}

fn convert_error(text: &str, e: pest::error::Error<Rule>) -> PyLitError {
    use crate::spec::diagnostic::{alternatives, PestComplaint, PestFailure};
    let failure = PestFailure::of(&e, |positives| positives.iter().map(rule_name).collect());
    let byte = failure.start;
    let message = match failure.complaint {
        PestComplaint::Expected(names) if names.is_empty() => {
            format!("unexpected {}", describe_at(text, byte))
        }
        PestComplaint::Expected(names) => format!(
            "expected {}, found {}",
            alternatives(&names, " or "),
            describe_at(text, byte)
        ),
        PestComplaint::Message(message) => message,
    };
    PyLitError::at(column_of(text, byte), message)
}

/// 1-based character column of byte offset `byte` (clamped to the text).
fn column_of(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count() + 1
}

fn describe_at(text: &str, byte: usize) -> String {
    match text.get(byte..) {
        Some(rest) if !rest.is_empty() => {
            let snippet: String = rest.chars().take(12).collect();
            format!("{snippet:?}")
        }
        _ => "end of line".to_string(),
    }
}

/// Reject texts nested deeper than [`MAX_NESTING`] before handing them to
/// the recursive parser. Brackets inside strings do not count.
fn check_nesting(text: &str) -> Result<(), PyLitError> {
    const BRACKETS: Brackets = Brackets {
        open: b"([{",
        close: b")]}",
        quotes: Quotes::Escaped,
    };
    match BRACKETS.first_beyond(text, MAX_NESTING) {
        Some(byte) => Err(PyLitError::at(
            column_of(text, byte),
            format!("nested deeper than {MAX_NESTING} brackets"),
        )),
        None => Ok(()),
    }
}

/// Tokens kept in the tree only for error reporting.
fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::comma | Rule::colon | Rule::equals | Rule::rbrace | Rule::rbracket | Rule::rparen
    )
}

/// Where a value starts in its line, kept so that an error can name the
/// column. The column is computed only when reporting an error: counting
/// characters from the start of the line for every value would make
/// parsing quadratic in the line length.
#[derive(Clone, Copy)]
struct ValueStart<'i> {
    line: &'i str,
    byte: usize,
}

impl<'i> ValueStart<'i> {
    fn of(p: &Pair<'i, Rule>) -> Self {
        ValueStart {
            line: p.get_input(),
            byte: p.as_span().start(),
        }
    }

    /// An error at this value's column.
    fn error(self, message: impl Into<String>) -> PyLitError {
        PyLitError::at(column_of(self.line, self.byte), message)
    }
}

fn to_value(p: Pair<'_, Rule>) -> Result<PyValue, PyLitError> {
    let start = ValueStart::of(&p);
    match p.as_rule() {
        Rule::dict => dict_value(p, start),
        Rule::list => Ok(PyValue::List(
            p.into_inner()
                .filter(|q| !is_punctuation(q.as_rule()))
                .map(to_value)
                .collect::<Result<_, _>>()?,
        )),
        Rule::paren => paren_value(p),
        Rule::wrapped => wrapped_value(p, start),
        Rule::keyword => match p.as_str() {
            "True" => Ok(PyValue::Bool(true)),
            "False" => Ok(PyValue::Bool(false)),
            _ => Ok(PyValue::None),
        },
        Rule::special | Rule::bad_number | Rule::float | Rule::int => number_value(&p, start),
        Rule::string => {
            let raw = p.into_inner().next().map(|q| q.as_str()).unwrap_or("");
            unescape(raw)
                .map(PyValue::Str)
                .map_err(|e| start.error(e.to_string()))
        }
        other => Err(start.error(format!("unexpected {}", rule_name(&other)))),
    }
}

/// A `{key: value, ...}` dict, entries kept in file order (a Python dict
/// keeps insertion order, and the log's order is what the user wrote).
fn dict_value(p: Pair<'_, Rule>, start: ValueStart<'_>) -> Result<PyValue, PyLitError> {
    let mut pairs = Vec::new();
    for kv in p.into_inner().filter(|q| q.as_rule() == Rule::pair) {
        let mut it = kv.into_inner().filter(|q| q.as_rule() != Rule::colon);
        match (it.next(), it.next()) {
            (Some(k), Some(v)) => pairs.push((to_value(k)?, to_value(v)?)),
            _ => return Err(start.error("dict entry without a value")),
        }
    }
    Ok(PyValue::Dict(pairs))
}

/// A parenthesised value: as in Python, `(x)` is just `x`, while `(x,)`,
/// `(x, y)` and `()` are tuples — so the trailing comma must be tracked.
fn paren_value(p: Pair<'_, Rule>) -> Result<PyValue, PyLitError> {
    let mut items = Vec::new();
    let mut comma = false;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::comma => comma = true,
            r if is_punctuation(r) => {}
            _ => items.push(to_value(q)?),
        }
    }
    match items.pop() {
        Some(only) if items.is_empty() && !comma => Ok(only),
        Some(last) => {
            items.push(last);
            Ok(PyValue::Tuple(items))
        }
        None => Ok(PyValue::Tuple(items)),
    }
}

/// An array scalar printed through a constructor, e.g.
/// `DeviceArray(0.5, dtype=float32)`: the name is kept so that callers can
/// tell which framework printed it; only the first argument is the value.
fn wrapped_value(p: Pair<'_, Rule>, start: ValueStart<'_>) -> Result<PyValue, PyLitError> {
    let mut it = p.into_inner();
    let wrapper = match it.next() {
        Some(n) => n.as_str().to_string(),
        None => return Err(start.error("wrapper without a name")),
    };
    let value = match it.next() {
        Some(v) => to_value(v)?,
        None => return Err(start.error("wrapper without a value")),
    };
    Ok(PyValue::Wrapped {
        wrapper,
        value: Box::new(value),
    })
}

/// A number token: `nan`/`inf` spellings, floats and ints. An int too
/// large for `i64` is still a number in Python, so it is read as a float
/// rather than rejected. A token the grammar flags as a bad number is an
/// error naming it.
fn number_value(p: &Pair<'_, Rule>, start: ValueStart<'_>) -> Result<PyValue, PyLitError> {
    let s = p.as_str();
    match p.as_rule() {
        Rule::special => {
            if s.ends_with("nan") {
                Ok(PyValue::Float(f64::NAN))
            } else if s.starts_with('-') {
                Ok(PyValue::Float(f64::NEG_INFINITY))
            } else {
                Ok(PyValue::Float(f64::INFINITY))
            }
        }
        Rule::float => s
            .parse::<f64>()
            .map(PyValue::Float)
            .map_err(|e| start.error(format!("bad number {s:?}: {e}"))),
        Rule::int => match s.parse::<i64>() {
            Ok(i) => Ok(PyValue::Int(i)),
            Err(_) => s
                .parse::<f64>()
                .map(PyValue::Float)
                .map_err(|e| start.error(format!("bad number {s:?}: {e}"))),
        },
        _ => Err(start.error(format!("bad number {s:?}"))),
    }
}

/// A Python string escape that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum EscapeError {
    #[error("string ends in a lone backslash")]
    LoneBackslash,
    #[error("bad octal escape")]
    Octal,
    /// `\x`, `\u` or `\U` without its `digits` hex digits.
    #[error("bad \\{escape} escape: expected {digits} hex digits")]
    Hex { escape: char, digits: usize },
    #[error("\\{escape}{hex} is not a character")]
    NotACharacter { escape: char, hex: String },
}

/// Decode Python string escapes. Unknown escapes keep their backslash, as
/// Python does (`'\d'` is backslash-d).
fn unescape(raw: &str) -> Result<String, EscapeError> {
    if !raw.contains('\\') {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            return Err(EscapeError::LoneBackslash);
        };
        match e {
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                // Up to three octal digits.
                let mut code = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.clone().next().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            code = code * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(code).ok_or(EscapeError::Octal)?);
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(n).collect();
                let bad = EscapeError::Hex {
                    escape: e,
                    digits: n,
                };
                if hex.chars().count() != n || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    return Err(bad);
                }
                let code = u32::from_str_radix(&hex, 16).map_err(|_| bad)?;
                out.push(
                    char::from_u32(code).ok_or(EscapeError::NotACharacter { escape: e, hex })?,
                );
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_unicode_escapes() {
        assert_eq!(
            parse_literal(r"'\101\x41\u0041'"),
            Ok(PyValue::Str("AAA".into()))
        );
        assert_eq!(parse_literal(r"'\0'"), Ok(PyValue::Str("\0".into())));
        assert_eq!(parse_literal(r"'\d'"), Ok(PyValue::Str("\\d".into())));
        assert!(parse_literal(r"'\U00110000'").is_err());
    }
}
