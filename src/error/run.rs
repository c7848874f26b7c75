//! Errors of running a command: what the command line asks is wrong
//! ([`CommandLineError`], exit status 2) or cannot be done with these inputs
//! ([`RunError`], exit status 1).

use std::path::PathBuf;

use crate::diagnostics::model::Diagnostic;

/// The command cannot do what was asked with these inputs: exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `--strict` and warnings it makes fatal: each listed as
    /// `  <location>: <kind>` ([`Diagnostic::strict_line`]).
    #[error("--strict: {} problem{}:\n{}", warnings.len(), if warnings.len() == 1 { "" } else { "s" }, strict_list(warnings))]
    Strict { warnings: Vec<Diagnostic> },
    #[error("{}: no [held_out_sampling] table: nothing to draw", spec.display())]
    NoHeldoutSampling { spec: PathBuf },
    #[error("{}: output folder exists and is not empty", path.display())]
    OutputNotEmpty { path: PathBuf },
    /// A submission `explain` was asked about that the tree does not have.
    #[error("{}: no submission `{name}` (there are: {})", submissions.display(), scored.join(", "))]
    UnknownSubmission {
        submissions: PathBuf,
        name: String,
        scored: Vec<String>,
    },
    /// A submission `speedup` was asked about that has no folder.
    #[error("{}: no submission `{name}` (no folder `{name}` or `{name}-<date>`)", submissions.display())]
    NoSubmissionFolder { submissions: PathBuf, name: String },
    /// `speedup --base B` where B is the only submission read.
    #[error("no submission besides the base `{base}` to compare (read: {})", read.join(", "))]
    NothingToCompare { base: String, read: Vec<String> },
    #[error("{failed} of {total} spec{} failed the check", if *total == 1 { "" } else { "s" })]
    SpecsFailed { failed: usize, total: usize },
    /// `spec fmt`: files that are not in canonical form (`--check`) or
    /// could not be formatted.
    #[error("{}{}", if *unformatted > 0 { format!("{unformatted} of {total} file{} would be reformatted (`spec fmt` without --check rewrites them)", if *total == 1 { "" } else { "s" }) } else { String::new() }, if *broken > 0 { format!("{}{broken} of {total} file{} could not be formatted", if *unformatted > 0 { "; " } else { "" }, if *total == 1 { "" } else { "s" }) } else { String::new() })]
    SpecsUnformatted {
        unformatted: usize,
        broken: usize,
        total: usize,
    },
    /// `spec diff`: the two specs differ (the differences are the output).
    #[error("the specs differ in {keys} key{}", if *keys == 1 { "" } else { "s" })]
    SpecsDiffer { keys: usize },
    /// `compat`: what the reference's flags ask cannot be done here.
    #[error("{message}")]
    Compat { message: String },
    /// `spec show NAME` of a name that is not shipped.
    #[error("{message}")]
    NotShipped { message: String },
    /// `check --explain NAME` of a code that does not exist.
    #[error("no check code `{name}`{}; the codes are: {}", suggestion.as_ref().map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default(), codes.join(", "))]
    UnknownCheckCode {
        name: String,
        suggestion: Option<String>,
        codes: Vec<String>,
    },
    /// `check` found errors (or warnings, with `--deny-warnings`); the
    /// findings are already printed.
    #[error("check failed: {errors} error{}, {warnings} warning{}{}", if *errors == 1 { "" } else { "s" }, if *warnings == 1 { "" } else { "s" }, if *deny_warnings && *errors == 0 { " (--deny-warnings)" } else { "" })]
    CheckFailed {
        errors: usize,
        warnings: usize,
        deny_warnings: bool,
    },
    /// A command-line problem that these commands have always reported with
    /// status 1 rather than 2 (`check` without `--spec`, `stability`'s
    /// thread pool, `compare` with three specs).
    #[error(transparent)]
    Option(CommandLineError),
}

/// `  <location>: <kind>` per warning, one a line.
fn strict_list(warnings: &[Diagnostic]) -> String {
    warnings
        .iter()
        .map(|d| format!("  {}", d.strict_line()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The command line itself is wrong: exit status 2, like clap's own usage
/// errors.
#[derive(Debug, thiserror::Error)]
pub enum CommandLineError {
    #[error("--spec is required")]
    SpecRequired,
    #[error("--submissions or --load-results is required")]
    InputRequired,
    #[error("cannot start {threads} threads: {source}")]
    Threads {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
    /// `compat`: a reference flag this command cannot honour.
    #[error("{message}")]
    Compat { message: String },
    #[error("--html-stability must be at least 1")]
    HtmlStabilityZero,
    #[error("--intervals must be at least 1")]
    IntervalsZero,
    #[error("compare takes one or two --spec")]
    CompareSpecs,
    /// `man NAME…` naming a command that does not exist.
    #[error("no command `{name}` under `{under}` (there are: {})", commands.join(", "))]
    UnknownCommand {
        name: String,
        under: String,
        commands: Vec<String>,
    },
    /// A source name other than csv, logs, auto (the Python module's
    /// `source=`; the command line's is checked by clap).
    #[error("source `{0}`: expected one of csv, logs, auto")]
    UnknownSource(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Warning;

    /// `--strict`'s error lists each fatal warning as `  <location>: <kind>`
    /// (which warnings are fatal: `diagnostics`' own tests).
    #[test]
    fn strict_lists_each_fatal_warning() {
        let e = RunError::Strict {
            warnings: [
                Warning::ReferenceMissed {
                    workload: "ogbg".into(),
                },
                Warning::NoRawLogs {
                    path: "s/a/st/wmt_jax".into(),
                },
            ]
            .iter()
            .map(Diagnostic::from)
            .collect(),
        };
        assert_eq!(
            e.to_string(),
            "--strict: 2 problems:\n  \
             ogbg: the reference submission did not run this workload: nobody is solved on it\n  \
             s/a/st/wmt_jax: workload folder without raw logs (*.log), skipped"
        );
    }
}
