//! One diagnostic model (ruff's): a [`Diagnostic`] has a code from the one
//! registry ([`super::codes`]), a severity, a location, a message and
//! perhaps a help line, whatever found it — a spec error or warning, a
//! run's warning, a `check` finding — and is rendered by format: the
//! terminal ([`Diagnostic::terminal`], one at a time, as a spec's problems
//! are printed; grouped by code, [`terminal_grouped`], as `check` prints
//! its findings; or grouped by wording, [`terminal_summary`], as a run
//! sums up its warnings on stderr, and [`Diagnostic::strict_line`], as
//! `--strict` lists them), JSON (its `Serialize`: `check` and `spec
//! check`; a run's document and HTML page list [`Diagnostic::summary`]
//! and [`Diagnostic::example`]), GitHub Actions annotations
//! ([`Diagnostic::github`], [`github_all`]).
//!
//! The types below this module convert into it here (a run's [`Warning`],
//! the readers' [`TrialError`] and [`LogWarning`]); a spec error converts
//! on its own side (`error::spec`, which this module does not import), and
//! `check` builds its own findings as diagnostics.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Serialize;

/// Whether a diagnostic fails what found it (the registry's).
pub use super::codes::Severity;
use super::codes::{Code, ALL as CODES};
use super::{escape_controls, Warning};
use crate::error::ingest::{LogWarning, TrialError, TrialProblem};

/// One problem, however it was found. Its JSON is flat: `code`,
/// `severity`, `file`, `line` (null when unknown), `column`, `place` and
/// `help` (left out when unknown), `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file or folder, as the path given joined with the rest; null
    /// when the diagnostic has none.
    #[serde(serialize_with = "lossy_path_opt")]
    #[schemars(with = "Option<String>")]
    pub file: Option<PathBuf>,
    /// 1-based line in file, where the problem is on one line.
    #[schemars(range(min = 1))]
    pub line: Option<u64>,
    /// 1-based column in the line, in characters (spec errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub column: Option<u64>,
    /// Where, when it is not one file (`submission/workload`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// What is wrong, on one line.
    pub message: String,
    /// What would fix it, when there is something useful to say
    /// (`expected a whole number`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The wording every diagnostic of this kind shares, when the message
    /// is not it: a trial's problem (`` `score` value `x` is not a
    /// number``) groups under its kind (`eval_measurements.csv with a
    /// non-numeric `score` value, trial skipped`). What a run's summary
    /// groups by ([`Diagnostic::summary`]); the message either starts
    /// with it and `: ` (the rest is this one's own) or is all this one's
    /// own.
    #[serde(skip)]
    #[schemars(skip)]
    pub group: Option<String>,
    /// The line the problem is on, for the terminal's excerpt (spec
    /// errors); the JSON has its line and column instead.
    #[serde(skip)]
    #[schemars(skip)]
    pub snippet: Option<Snippet>,
}

/// The text of the line a diagnostic points at, and how many characters
/// from its column on the caret underlines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Snippet {
    pub source_line: String,
    pub width: usize,
}

fn lossy_path_opt<S: serde::Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => super::lossy_path::serialize(p, s),
        None => s.serialize_none(),
    }
}

/// Sorted by file, line, code and message (`check`'s order).
impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> Ordering {
        fn key(d: &Diagnostic) -> (&Option<PathBuf>, Option<u64>, Code, &String) {
            (&d.file, d.line, d.code, &d.message)
        }
        type Rest<'a> = (
            Option<u64>,
            &'a Option<String>,
            &'a Option<String>,
            Severity,
            &'a Option<Snippet>,
        );
        fn rest(d: &Diagnostic) -> Rest<'_> {
            (d.column, &d.place, &d.help, d.severity, &d.snippet)
        }
        key(self)
            .cmp(&key(other))
            .then_with(|| rest(self).cmp(&rest(other)))
            .then_with(|| self.group.cmp(&other.group))
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Diagnostic {
    /// A diagnostic at a file (and line), with its code's severity.
    pub fn new(code: Code, file: impl Into<PathBuf>, line: Option<u64>, message: String) -> Self {
        Diagnostic {
            file: Some(file.into()),
            line,
            ..Diagnostic::at_place(code, None, message)
        }
    }

    /// A diagnostic at a place that is not one file (or nowhere).
    pub fn at_place(code: Code, place: Option<String>, message: String) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: None,
            line: None,
            column: None,
            place,
            message,
            help: None,
            group: None,
            snippet: None,
        }
    }

    /// What diagnostics of this kind share: its group, or its message.
    pub fn summary(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.message)
    }

    /// Where this one is, and what is its own beyond its
    /// [`Diagnostic::summary`]: its location (`s/a/notes.txt`), followed by
    /// the rest of its message where that is more than the summary
    /// (`…/eval_measurements.csv:3: `score` value `x` is not a number`).
    /// The examples a run's summary lists under its wording.
    pub fn example(&self) -> String {
        let own = match &self.group {
            None => "",
            Some(group) => (self.message.strip_prefix(group.as_str()))
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&self.message),
        };
        match (self.location(), own) {
            (at, "") => at,
            (at, own) if at.is_empty() => own.to_string(),
            (at, own) => format!("{at}: {own}"),
        }
    }

    /// Whether `--strict` turns this (a run's warning) into an error: its
    /// code's ([`Code::fatal_under_strict`]).
    pub fn fatal_under_strict(&self) -> bool {
        self.code.fatal_under_strict()
    }

    /// `example: summary`, as `--strict` lists the warnings it fails on
    /// (not escaped here: the error printer escapes each line).
    pub fn strict_line(&self) -> String {
        format!("{}: {}", self.example(), self.summary())
    }

    /// `file:line:column` (as far as known), the place, or empty.
    pub fn location(&self) -> String {
        let Some(file) = &self.file else {
            return self.place.clone().unwrap_or_default();
        };
        let mut s = file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(column) = self.column {
                let _ = write!(s, ":{column}");
            }
        }
        s
    }

    /// `location: message` (or the message alone), escaped for a
    /// terminal: one line whatever a folder's name holds.
    fn located_message(&self) -> String {
        let message = escape_controls(&self.message);
        match escape_controls(&self.location()).as_ref() {
            "" => message.into_owned(),
            at => format!("{at}: {message}"),
        }
    }

    /// `severity: location: message`, the line it points at with a caret
    /// under the place (where there is one), and `  = help` below: how a
    /// spec's errors and warnings reach the terminal. Not escaped here:
    /// the error printer escapes each line.
    pub fn terminal(&self) -> String {
        format!("{}: {}", self.severity.name(), self.body())
    }

    /// [`Diagnostic::terminal`] without the severity (a spec error's own
    /// text, which the error it is part of leads with `error: `).
    pub fn body(&self) -> String {
        let mut s = match self.location().as_str() {
            "" => self.message.clone(),
            at => format!("{at}: {}", self.message),
        };
        if let (Some(snippet), Some(line)) = (&self.snippet, self.line) {
            let column = self.column.unwrap_or(1) as usize;
            let gutter = line.to_string().len();
            let _ = write!(s, "\n{:gutter$} |", "");
            let _ = write!(s, "\n{line} | {}", snippet.source_line);
            let pad: String = (snippet.source_line.chars())
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(snippet.width);
            let _ = write!(s, "\n{:gutter$} | {pad}{carets}", "");
        }
        if let Some(help) = &self.help {
            let _ = write!(s, "\n  = {help}");
        }
        s
    }

    /// One GitHub Actions workflow command:
    /// `::error file=F,line=L,col=C,title=CODE::message` (`::warning` for
    /// warnings; `file`, `line` and `col` only where known; a place that is
    /// not a file leads the message).
    pub fn github(&self) -> String {
        let mut props = Vec::new();
        if let Some(file) = &self.file {
            props.push(format!(
                "file={}",
                escape_property(&file.display().to_string())
            ));
        }
        if let Some(line) = self.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = self.column {
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", escape_property(self.code.name())));
        let message = match (&self.file, &self.place) {
            (None, Some(place)) => format!("{place}: {}", self.message),
            _ => self.message.clone(),
        };
        format!(
            "::{} {}::{}",
            self.severity.name(),
            props.join(","),
            escape_data(&message)
        )
    }
}

/// Diagnostics grouped by code (errors first), each group headed
/// `severity[code] N× title` and listing its diagnostics one a line
/// (`  location: message`): `check`'s terminal output.
pub fn terminal_grouped<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
    let mut groups: BTreeMap<(Severity, Code), Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        groups.entry((d.severity, d.code)).or_default().push(d);
    }
    let mut out = String::new();
    for ((severity, code), members) in &groups {
        let _ = writeln!(
            out,
            "{}[{}] {}× {}",
            severity.name(),
            code.name(),
            members.len(),
            code.entry().title
        );
        for d in members {
            let _ = writeln!(out, "  {}", d.located_message());
        }
    }
    out
}

/// How many examples a line of [`terminal_summary`] shows.
const EXAMPLES: usize = 3;

/// A run's warnings on stderr, grouped by wording: one line per
/// [`Diagnostic::summary`], `warning: <summary> (N×: a, b, c, …)` with the
/// first three [`Diagnostic::example`]s (in the order given), then `N
/// warnings of K kinds`. Escaped for a terminal: one line per group
/// whatever a folder's name holds. Empty for no diagnostics.
pub fn terminal_summary(diagnostics: &[Diagnostic]) -> String {
    let escaped: Vec<(String, String)> = (diagnostics.iter())
        .map(|d| {
            (
                escape_controls(d.summary()).into_owned(),
                escape_controls(&d.example()).into_owned(),
            )
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (summary, example) in &escaped {
        groups.entry(summary).or_default().push(example);
    }
    let mut out = String::new();
    for (summary, examples) in &groups {
        let n = examples.len();
        let shown = examples[..n.min(EXAMPLES)].join(", ");
        if n == 1 {
            let _ = writeln!(out, "warning: {summary} ({shown})");
        } else {
            let more = if n > EXAMPLES { ", …" } else { "" };
            let _ = writeln!(out, "warning: {summary} ({n}×: {shown}{more})");
        }
    }
    if !groups.is_empty() {
        let _ = writeln!(
            out,
            "{} warning{} of {} kind{}",
            diagnostics.len(),
            if diagnostics.len() == 1 { "" } else { "s" },
            groups.len(),
            if groups.len() == 1 { "" } else { "s" }
        );
    }
    out
}

/// One workflow command a line.
pub fn github_all<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.github());
        out.push('\n');
    }
    out
}

/// A workflow command's message: `%`, `\r` and `\n` escaped (GitHub's
/// `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,`
/// too (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A code is its stable name (`stray-entry`).
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = CODES.iter().map(|c| c.name()).collect();
        schemars::json_schema!({
            "description": "A stable code; `algoperf-engine check --explain CODE` says what it means.",
            "enum": names
        })
    }
}

impl JsonSchema for Severity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Severity".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names = [Severity::Error.name(), Severity::Warning.name()];
        schemars::json_schema!({
            "description": "An error fails the check; a warning only with --deny-warnings.",
            "enum": names
        })
    }
}

/// The code of a trial file that cannot be scored (or, going backwards, is
/// scored in file order).
pub fn trial_code(problem: &TrialProblem) -> Code {
    match problem {
        TrialProblem::Missing => Code::MeasurementsMissing,
        TrialProblem::Unreadable(_) | TrialProblem::Empty | TrialProblem::NotUtf8 => {
            Code::MeasurementsUnreadable
        }
        TrialProblem::MissingColumn(_) | TrialProblem::MissingLogKey { .. } => Code::ColumnMissing,
        TrialProblem::WrongFieldCount { .. } => Code::RowLength,
        TrialProblem::NotANumber { .. } | TrialProblem::NoTimeAtTarget { .. } => Code::NotANumber,
        TrialProblem::TimeBackwards { .. } => Code::TimeBackwards,
        TrialProblem::NegativeTime { .. } => Code::TimeNegative,
    }
}

impl From<&TrialError> for Diagnostic {
    /// At the trial's file and line, the problem as the message.
    fn from(e: &TrialError) -> Self {
        Diagnostic::new(
            trial_code(&e.problem),
            &e.path,
            e.line,
            e.problem.to_string(),
        )
    }
}

impl From<&LogWarning> for Diagnostic {
    /// At the log's file and line.
    fn from(w: &LogWarning) -> Self {
        Diagnostic::new(
            Code::LogLineMalformed,
            &w.file,
            Some(w.line as u64),
            w.message.clone(),
        )
    }
}

impl From<&Warning> for Diagnostic {
    /// A run's warning: at its file (a trial's, a log line's, a walked
    /// entry's) or its place (`submission/workload`), its kind as the
    /// message (a trial's or log line's problem, for those, grouped under
    /// the kind; a folder that cannot be listed adds why after it).
    fn from(w: &Warning) -> Self {
        use Warning::*;
        let grouped = |d: Diagnostic| Diagnostic {
            group: Some(w.kind()),
            ..d
        };
        match w {
            Trial(e) => grouped(Diagnostic::from(e)),
            MalformedLogLine(l) => grouped(Diagnostic::from(l)),
            HiddenEntry { path }
            | NonUtf8Name { path }
            | SymlinkLoop { path }
            | UnreadableEntry { path, .. }
            | StrayFile { path, .. }
            | StudyWithoutWorkloads { path }
            | NotATrialFolder { path }
            | NoRawLogs { path } => Diagnostic::new(w.code(), path, None, w.kind()),
            UnreadableFolder { path, reason } => grouped(Diagnostic::new(
                w.code(),
                path,
                None,
                format!("{}: {reason}", w.kind()),
            )),
            _ => Diagnostic::at_place(w.code(), Some(w.location()), w.kind()),
        }
    }
}

impl Warning {
    /// The warning's code in the one registry (Python's warning category
    /// is named after it: `too-few-studies` → `TooFewStudiesWarning`).
    pub fn code(&self) -> Code {
        use Warning::*;
        match self {
            HiddenEntry { .. }
            | StrayFile { .. }
            | NotATrialFolder { .. }
            | NotAWorkloadFolder { .. } => Code::StrayEntry,
            NonUtf8Name { .. }
            | SymlinkLoop { .. }
            | UnreadableEntry { .. }
            | UnreadableFolder { .. } => Code::UnreadableEntry,
            StudyWithoutWorkloads { .. } => Code::EmptyStudy,
            UnknownFramework { .. } => Code::UnknownFramework,
            NoTarget { .. } => Code::UnknownWorkload,
            NoRawLogs { .. } => Code::LogsMissing,
            Trial(e) => trial_code(&e.problem),
            MalformedLogLine(_) => Code::LogLineMalformed,
            Degenerate(_) => Code::Degenerate,
            MissingWorkloads { .. } => Code::MissingWorkload,
            UnscoredWorkload { .. } => Code::ExtraWorkload,
            StudyCount {
                expected, found, ..
            } => {
                if found < expected {
                    Code::TooFewStudies
                } else {
                    Code::TooManyStudies
                }
            }
            TrialCount {
                expected, found, ..
            } => {
                if found < expected {
                    Code::TooFewTrials
                } else {
                    Code::TooManyTrials
                }
            }
            WorkloadNobodyRan { .. } => Code::WorkloadNobodyRan,
            ReferenceMissed { .. } => Code::ReferenceMissed,
            LongSummaryName { .. } => Code::LongSummaryName,
            ZeroTime { .. } => Code::ZeroTime,
        }
    }

    /// The diagnostic, with a folder named relative to the walked tree
    /// (`submission/study/folder`) given as its path under `root`.
    pub fn diagnostic_in(&self, root: &Path) -> Diagnostic {
        use Warning::*;
        let d = Diagnostic::from(self);
        match self {
            NotAWorkloadFolder { .. } | UnknownFramework { .. } | NoTarget { .. } => Diagnostic {
                file: Some(root.join(self.location())),
                place: None,
                ..d
            },
            _ => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_points_at_its_file_or_place() {
        let d = Diagnostic::from(&Warning::HiddenEntry {
            path: "s/.git".into(),
        });
        assert_eq!(
            d.terminal(),
            "warning: s/.git: hidden file or folder ignored"
        );
        let d = Diagnostic::from(&Warning::ReferenceMissed {
            workload: "ogbg".into(),
        });
        assert_eq!(d.place.as_deref(), Some("ogbg"));
        assert_eq!(
            d.github(),
            format!("::warning title=reference-missed::ogbg: {}", d.message)
        );
        let json = serde_json::to_value(&d).expect("json");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["place"], "ogbg");
        assert_eq!(json["file"], serde_json::Value::Null);
        assert!(json.get("column").is_none() && json.get("help").is_none());
    }

    #[test]
    fn a_folder_of_the_tree_is_named_under_its_root() {
        let w = Warning::NoTarget {
            workload: "mnist".into(),
            submission: "a".into(),
            study: "study_0".into(),
            folder: "mnist_jax".into(),
        };
        let d = w.diagnostic_in(Path::new("subs"));
        assert_eq!(d.file, Some(PathBuf::from("subs/a/study_0/mnist_jax")));
        assert_eq!((d.code, d.place), (Code::UnknownWorkload, None));
    }
}
