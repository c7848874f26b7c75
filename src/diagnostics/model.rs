//! One diagnostic model (ruff's): a [`Diagnostic`] has a code, a severity, a
//! location, a message and perhaps a help line, whatever found it — a spec
//! error, a run's warning or a `check` finding — and is rendered by format
//! (the terminal, JSON, GitHub Actions annotations).
//!
//! Additive so far: spec errors, warnings and findings convert into it
//! (`From`), `check`'s GitHub annotations are rendered through it, and the
//! [`Severity`] is `check`'s own. The terminal and JSON outputs of the
//! commands still render their own types (their exact texts are tested).

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::Warning;
use crate::error::ingest::TrialError;
use crate::error::spec::SpecError;

/// Whether a diagnostic fails what found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the check (or the run).
    Error,
    /// Legal but worth a look; fails only with `--deny-warnings` (or, for
    /// a run's fatal kinds, `--strict`).
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a diagnostic points: a file (with a line and column where known),
/// or a place that is not one file (`submission/study/workload`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(serialize_with = "lossy_path_opt")]
    pub file: Option<PathBuf>,
    /// 1-based.
    pub line: Option<u64>,
    /// 1-based, in characters.
    pub column: Option<u64>,
    /// A place that is not a file.
    pub place: Option<String>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>, line: Option<u64>) -> Self {
        Location {
            file: Some(path.into()),
            line,
            ..Location::default()
        }
    }

    pub fn place(place: impl Into<String>) -> Self {
        Location {
            place: Some(place.into()),
            ..Location::default()
        }
    }

    /// `file:line:column` (as far as known), the place, or empty.
    pub fn text(&self) -> String {
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
}

fn lossy_path_opt<S: serde::Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => super::lossy_path::serialize(p, s),
        None => s.serialize_none(),
    }
}

/// One problem, however it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable name (`stray-entry`, `spec-error`, `hidden-entry`).
    pub code: &'static str,
    pub severity: Severity,
    pub location: Location,
    /// What is wrong, on one line.
    pub message: String,
    /// What would fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// `severity[code] location: message`, and `  = help: …` below it.
    pub fn terminal(&self) -> String {
        let mut s = format!("{}[{}] ", self.severity.name(), self.code);
        match self.location.text().as_str() {
            "" => {}
            at => _ = write!(s, "{at}: "),
        }
        s.push_str(&self.message);
        if let Some(help) = &self.help {
            let _ = write!(s, "\n  = help: {help}");
        }
        s
    }

    /// One GitHub Actions workflow command:
    /// `::error file=F,line=L,col=C,title=CODE::message` (`::warning` for
    /// warnings; `file`, `line` and `col` only where known).
    pub fn github(&self) -> String {
        let mut props = Vec::new();
        if let Some(file) = &self.location.file {
            props.push(format!(
                "file={}",
                escape_property(&file.display().to_string())
            ));
        }
        if let Some(line) = self.location.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = self.location.column {
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", escape_property(self.code)));
        format!(
            "::{} {}::{}",
            self.severity.name(),
            props.join(","),
            escape_data(&self.message)
        )
    }
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

impl From<&SpecError> for Diagnostic {
    fn from(e: &SpecError) -> Self {
        let at = |n: usize| (e.line > 0).then_some(n as u64);
        Diagnostic {
            code: "spec-error",
            severity: Severity::Error,
            location: Location {
                line: at(e.line),
                column: at(e.column),
                ..Location::file(&e.file, None)
            },
            message: e.message.clone(),
            help: e.expected.as_ref().map(|x| format!("expected {x}")),
        }
    }
}

impl From<&Warning> for Diagnostic {
    fn from(w: &Warning) -> Self {
        use Warning::*;
        let location = match w {
            Trial(TrialError { path, line, .. }) => Location::file(path, *line),
            MalformedLogLine(l) => Location::file(&l.file, Some(l.line as u64)),
            HiddenEntry { path }
            | NonUtf8Name { path }
            | SymlinkLoop { path }
            | UnreadableEntry { path, .. }
            | UnreadableFolder { path, .. }
            | StrayFile { path, .. }
            | StudyWithoutWorkloads { path }
            | NotATrialFolder { path }
            | NoRawLogs { path } => Location::file(path, None),
            _ => Location::place(w.location()),
        };
        Diagnostic {
            code: w.code(),
            severity: Severity::Warning,
            location,
            message: w.kind(),
            help: None,
        }
    }
}

impl Warning {
    /// The warning's code in the one diagnostic model: its kind's name.
    /// Not yet printed by any command (`check` maps warnings to its own
    /// codes), so not yet a published name.
    pub fn code(&self) -> &'static str {
        use Warning::*;
        match self {
            HiddenEntry { .. } => "hidden-entry",
            NonUtf8Name { .. } => "non-utf8-name",
            SymlinkLoop { .. } => "symlink-loop",
            UnreadableEntry { .. } => "unreadable-entry",
            UnreadableFolder { .. } => "unreadable-folder",
            StrayFile { .. } => "stray-file",
            StudyWithoutWorkloads { .. } => "study-without-workloads",
            NotAWorkloadFolder { .. } => "not-a-workload-folder",
            NoTarget { .. } => "no-target",
            NotATrialFolder { .. } => "not-a-trial-folder",
            NoRawLogs { .. } => "no-raw-logs",
            Trial(_) => "trial-file",
            MalformedLogLine(_) => "malformed-log-line",
            Degenerate(_) => "degenerate",
            MissingWorkloads { .. } => "missing-workloads",
            UnscoredWorkload { .. } => "unscored-workload",
            StudyCount { .. } => "study-count",
            TrialCount { .. } => "trial-count",
            WorkloadNobodyRan { .. } => "workload-nobody-ran",
            ReferenceMissed { .. } => "reference-missed",
            LongSummaryName { .. } => "long-summary-name",
            ZeroTime { .. } => "zero-time",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_spec_error_keeps_its_position_and_expectation() {
        let text = "[profile]\ntau = \"linspace(1, 4)\"\n";
        let mut e = SpecError::at(Path::new("s.toml"), text, 16, 30, "`linspace` takes 3");
        e.expected = Some("`linspace(a, b, n)`".into());
        let d = Diagnostic::from(&e);
        assert_eq!(
            d.terminal(),
            "error[spec-error] s.toml:2:7: `linspace` takes 3\n  = help: expected `linspace(a, b, n)`"
        );
        assert_eq!(
            d.github(),
            "::error file=s.toml,line=2,col=7,title=spec-error::`linspace` takes 3"
        );
        let whole = Diagnostic::from(&SpecError::whole_file(Path::new("s.toml"), "unreadable"));
        assert_eq!(whole.terminal(), "error[spec-error] s.toml: unreadable");
    }

    #[test]
    fn a_warning_points_at_its_file_or_place() {
        let d = Diagnostic::from(&Warning::HiddenEntry {
            path: "s/.git".into(),
        });
        assert_eq!(
            d.terminal(),
            "warning[hidden-entry] s/.git: hidden file or folder ignored"
        );
        let d = Diagnostic::from(&Warning::ReferenceMissed {
            workload: "ogbg".into(),
        });
        assert_eq!(d.location, Location::place("ogbg"));
        assert_eq!(
            d.github(),
            format!("::warning title=reference-missed::{}", d.message)
        );
        let json = serde_json::to_value(&d).expect("json");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["location"]["place"], "ogbg");
    }
}
