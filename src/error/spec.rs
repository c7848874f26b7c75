//! Spec errors that point at the spec file: `file:line:column`, the offending
//! line with a caret under the offending text, and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::codes::Code;
use crate::diagnostics::model::{Diagnostic, Snippet};

/// One problem in a spec or targets file.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no position (e.g. unreadable file).
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The text of the offending line (empty without a position).
    pub source_line: String,
    /// Width of the caret underline, in characters.
    pub width: usize,
    pub message: String,
    /// What would have been accepted, when there is something useful to say.
    pub expected: Option<String>,
}

impl SpecError {
    /// An error without a position in the file.
    pub fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        SpecError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            source_line: String::new(),
            width: 0,
            message: message.into(),
            expected: None,
        }
    }

    /// An error at byte range `start..end` of `text`, the file's contents.
    pub fn at(
        file: &Path,
        text: &str,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(text.len());
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let source_line = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let width = text[start..end.min(line_end)].chars().count().max(1);
        SpecError {
            file: file.to_path_buf(),
            line,
            column,
            source_line,
            width,
            message: message.into(),
            expected: None,
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
}

/// A TOML reader's message in plain words: serde's `invalid type: string
/// "five", expected i64` becomes `expected a whole number, found the text
/// "five"`; an unknown key gets a did-you-mean from the keys it lists.
pub fn plain_toml_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            return format!(
                "expected {}, found {}",
                plain_type(expected),
                plain_found(found)
            );
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((name, list)) = rest.split_once("`, expected one of ") {
            let known: Vec<&str> = list.split(", ").map(|k| k.trim_matches('`')).collect();
            let hint = crate::diagnostics::did_you_mean(name, known.iter().copied());
            return format!("unknown key `{name}`{hint}, expected one of {list}");
        }
        if let Some((name, only)) = rest.split_once("`, expected ") {
            return format!("unknown key `{name}`, expected {only}");
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some(name) = rest.strip_suffix('`') {
            return format!("missing key `{name}`");
        }
    }
    message.to_string()
}

/// What serde expected, in a spec author's words.
fn plain_type(expected: &str) -> String {
    match expected {
        "i64" | "i32" | "usize" | "u64" | "u32" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a sequence" => "a list `[…]`".into(),
        "a string" => "text in quotes".into(),
        "a boolean" => "`true` or `false`".into(),
        "a map" => "a table".into(),
        other if other.starts_with("struct ") => "a table".into(),
        other => other.to_string(),
    }
}

/// What serde found, in a spec author's words.
fn plain_found(found: &str) -> String {
    let (kind, value) = match found.split_once(' ') {
        Some((k, v)) => (k, v.trim_matches('`')),
        None => (found, ""),
    };
    match kind {
        "string" => format!("the text {value}"),
        "integer" => format!("the whole number {value}"),
        "floating" => format!(
            "the number {}",
            value.trim_start_matches("point ").trim_matches('`')
        ),
        "boolean" => format!("`{value}`"),
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        _ => found.to_string(),
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A spec error in the one diagnostic model (`spec-error`): at its file,
/// line and column, with its line as the excerpt and what was expected as
/// help.
impl From<&SpecError> for Diagnostic {
    fn from(e: &SpecError) -> Self {
        let at = |n: usize| (e.line > 0).then_some(n as u64);
        Diagnostic {
            line: at(e.line),
            column: at(e.column),
            help: e.expected.as_ref().map(|x| format!("expected {x}")),
            snippet: (e.line > 0).then(|| Snippet {
                source_line: e.source_line.clone(),
                width: e.width,
            }),
            ..Diagnostic::new(Code::SpecError, &e.file, None, e.message.clone())
        }
    }
}

impl SpecError {
    /// The same problem as a spec's warning (`spec-warning`): a part of
    /// the spec that loads but can never act.
    pub fn as_warning(&self) -> Diagnostic {
        Diagnostic {
            code: Code::SpecWarning,
            severity: Code::SpecWarning.severity(),
            ..Diagnostic::from(self)
        }
    }
}

/// `file:line:column: message`, the line with a caret under the offending
/// text, and `  = expected …`: the one model's terminal text, without the
/// severity.
impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Diagnostic::from(self).body())
    }
}

/// Every problem found in a spec, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            f.write_str(&Diagnostic::from(e).terminal())?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

impl From<SpecError> for SpecErrors {
    fn from(e: SpecError) -> Self {
        SpecErrors(vec![e])
    }
}

/// A pest parse failure read once for both grammars (`grammar/rules.pest`
/// behind spec formulas, `grammar/pylit.pest` behind training-log values):
/// where it happened, and what would have fit in the grammar's own words.
/// Each parser words its message from this (a formula says "found `x`", a
/// log value quotes the text), so pest's own wording — rule identifiers —
/// never reaches a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PestFailure {
    /// Byte offset of the failure in the parsed text.
    pub start: usize,
    /// End of the failing span (`start` at a single position).
    pub end: usize,
    pub complaint: PestComplaint,
}

/// What a [`PestFailure`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PestComplaint {
    /// Human names of what would have fit, sorted and without repeats;
    /// empty when pest names nothing.
    Expected(Vec<&'static str>),
    /// A message the grammar's parser raised itself.
    Message(String),
}

impl PestFailure {
    /// Reads `e`; `names` turns the rules pest expected into human names
    /// (several rules may share a name, and a parser may group some).
    pub fn of<R: pest::RuleType>(
        e: &pest::error::Error<R>,
        names: impl FnOnce(&[R]) -> Vec<&'static str>,
    ) -> Self {
        use pest::error::{ErrorVariant, InputLocation};
        let (start, end) = match e.location {
            InputLocation::Pos(p) => (p, p),
            InputLocation::Span((s, e)) => (s, e),
        };
        let complaint = match &e.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                let mut names = names(positives);
                names.sort_unstable();
                names.dedup();
                PestComplaint::Expected(names)
            }
            ErrorVariant::CustomError { message } => PestComplaint::Message(message.clone()),
        };
        PestFailure {
            start,
            end: end.max(start),
            complaint,
        }
    }
}

/// `names` as alternatives: separated by `separator`, the last two by
/// `or` (`a, b or c` with `", "`; `a or b or c` with `" or "`).
pub fn alternatives(names: &[&str], separator: &str) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(separator)),
    }
}

#[cfg(test)]
mod tests {
    /// A spec error's text is the one model's terminal text: position,
    /// excerpt, caret, expectation; its annotation has the column too.
    #[test]
    fn a_spec_error_in_the_one_model() {
        let text = "[profile]\ntau = \"linspace(1, 4)\"\n";
        let e = SpecError::at(Path::new("s.toml"), text, 16, 30, "`linspace` takes 3")
            .expected("`linspace(a, b, n)`");
        let d = Diagnostic::from(&e);
        assert_eq!(
            SpecErrors(vec![e.clone()]).to_string(),
            "error: s.toml:2:7: `linspace` takes 3\n  |\n2 | tau = \"linspace(1, 4)\"\n  |       ^^^^^^^^^^^^^^\n  = expected `linspace(a, b, n)`"
        );
        assert_eq!(d.terminal(), format!("error: {e}"));
        assert_eq!(
            d.github(),
            "::error file=s.toml,line=2,col=7,title=spec-error::`linspace` takes 3"
        );
        assert_eq!(
            e.as_warning().terminal(),
            format!("warning: {e}"),
            "a spec warning reads as `spec check` has always printed it"
        );
        let whole = SpecError::whole_file(Path::new("s.toml"), "unreadable");
        assert_eq!(
            Diagnostic::from(&whole).terminal(),
            "error: s.toml: unreadable"
        );
        let json = serde_json::to_value(Diagnostic::from(&e)).expect("JSON");
        assert_eq!(json["column"], 7);
        assert_eq!(json["help"], "expected `linspace(a, b, n)`");
        assert!(json.get("snippet").is_none());
    }

    use super::*;

    /// serde's wording of a TOML mistake, in a spec author's words.
    #[test]
    fn toml_messages_in_plain_words() {
        let cases = [
            (
                "invalid type: string \"five\", expected i64",
                "expected a whole number, found the text \"five\"",
            ),
            (
                "invalid type: string \"jax\", expected a sequence",
                "expected a list `[…]`, found the text \"jax\"",
            ),
            (
                "invalid type: integer `3`, expected a string",
                "expected text in quotes, found the whole number 3",
            ),
            (
                "invalid type: floating point `1.5`, expected i64",
                "expected a whole number, found the number 1.5",
            ),
            (
                "unknown field `bse`, expected one of `base`, `held_out`",
                "unknown key `bse` (did you mean `base`?), expected one of `base`, `held_out`",
            ),
            ("missing field `base`", "missing key `base`"),
            ("something else", "something else"),
        ];
        for (serde, plain) in cases {
            assert_eq!(plain_toml_message(serde), plain, "{serde}");
        }
    }
}
