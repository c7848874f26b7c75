//! The one registry of diagnostic codes: each code's name, severity, one-line
//! title, `--explain` text and what reports it. A spec error, a run's
//! warning and a `check` finding about the same thing share one code here
//! (a hidden file is `stray-entry` in a run's warnings, in `check`'s
//! output and in Python's `StrayEntryWarning`). The outputs, `check
//! --explain`, the code table of `docs/check.md` ([`markdown_table`]) and
//! the schemas all read it from here.

use serde::Serialize;

/// Whether a diagnostic fails what found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the check (or loading the spec).
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

/// A stable code. Its name (`stray-entry`) never changes once published:
/// CI configurations, Python warning filters and people's notes refer to
/// it. The order is `check`'s sort order and the table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    NotAFolder,
    NoSubmission,
    EmptySubmission,
    StrayEntry,
    UnreadableEntry,
    EmptyStudy,
    UnknownFramework,
    UnknownWorkload,
    ExtraWorkload,
    MissingWorkload,
    TooFewStudies,
    TooManyStudies,
    TooFewTrials,
    TooManyTrials,
    MeasurementsMissing,
    LogsMissing,
    MeasurementsUnreadable,
    ColumnMissing,
    RowLength,
    NotANumber,
    TimeBackwards,
    TimeNegative,
    LogLineMalformed,
    BudgetOvershoot,
    BudgetExceeded,
    TargetNeverReached,
    DuplicateTrial,
    InfoMissing,
    InfoUnreadable,
    InfoFieldMissing,
    InfoRuleset,
    InfoFolder,
    Degenerate,
    WorkloadNobodyRan,
    ReferenceMissed,
    ZeroTime,
    LongSummaryName,
    SpecError,
    SpecWarning,
}

/// What reports a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporter {
    /// `check` only (what only a checker asks).
    Check,
    /// A run's warning (reading and scoring), which `check` reports too:
    /// it reads the tree with the run's own walk and readers.
    RunAndCheck,
    /// A run's warning only (found while scoring, after `check` stops).
    Run,
    /// Loading a spec (`spec check` and every command).
    Spec,
}

impl Reporter {
    /// The table's words.
    pub fn text(self) -> &'static str {
        match self {
            Reporter::Check => "check",
            Reporter::RunAndCheck => "runs, check",
            Reporter::Run => "runs",
            Reporter::Spec => "specs",
        }
    }

    /// Whether `check` can report the code.
    pub fn check(self) -> bool {
        matches!(self, Reporter::Check | Reporter::RunAndCheck)
    }
}

/// What the registry says about one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    /// In `check` (and for a spec), whether it fails; a run's warnings
    /// fail the run only under `--strict`, as [`Code::fatal_under_strict`]
    /// says.
    pub severity: Severity,
    pub reporter: Reporter,
    /// One line: what the finding means.
    pub title: &'static str,
    /// Why the check exists and how to fix what it found.
    pub explain: &'static str,
}

/// Every code, in the order `docs/check.md` lists them.
pub const ALL: [Code; 39] = [
    Code::NotAFolder,
    Code::NoSubmission,
    Code::EmptySubmission,
    Code::StrayEntry,
    Code::UnreadableEntry,
    Code::EmptyStudy,
    Code::UnknownFramework,
    Code::UnknownWorkload,
    Code::ExtraWorkload,
    Code::MissingWorkload,
    Code::TooFewStudies,
    Code::TooManyStudies,
    Code::TooFewTrials,
    Code::TooManyTrials,
    Code::MeasurementsMissing,
    Code::LogsMissing,
    Code::MeasurementsUnreadable,
    Code::ColumnMissing,
    Code::RowLength,
    Code::NotANumber,
    Code::TimeBackwards,
    Code::TimeNegative,
    Code::LogLineMalformed,
    Code::BudgetOvershoot,
    Code::BudgetExceeded,
    Code::TargetNeverReached,
    Code::DuplicateTrial,
    Code::InfoMissing,
    Code::InfoUnreadable,
    Code::InfoFieldMissing,
    Code::InfoRuleset,
    Code::InfoFolder,
    Code::Degenerate,
    Code::WorkloadNobodyRan,
    Code::ReferenceMissed,
    Code::ZeroTime,
    Code::LongSummaryName,
    Code::SpecError,
    Code::SpecWarning,
];

const fn e(
    name: &'static str,
    severity: Severity,
    title: &'static str,
    explain: &'static str,
) -> Entry {
    Entry {
        name,
        severity,
        reporter: Reporter::Check,
        title,
        explain,
    }
}

impl Entry {
    /// The same entry, reported by `reporter`.
    const fn by(self, reporter: Reporter) -> Entry {
        Entry { reporter, ..self }
    }
}

use Reporter::{Run, RunAndCheck as Both, Spec};
use Severity::{Error as E, Warning as W};

impl Code {
    /// The code's registry entry.
    pub fn entry(self) -> Entry {
        match self {
            Code::NotAFolder => e("not-a-folder", E,
                "a path given to `check` does not exist or is not a folder",
                "`check` takes submission folders, or folders of submission folders. \
                 Fix: pass the folder that holds the submission's study folders (or its parent)."),
            Code::NoSubmission => e("no-submission", E,
                "a submissions tree without any submission folder",
                "The folder holds no visible sub-folder, so there is nothing to check or score. \
                 Fix: pass the submission folder itself, or the folder its logs were copied into."),
            Code::EmptySubmission => e("empty-submission", E,
                "a submission from which no trial of any workload could be found",
                "No study folder of the submission holds a workload folder with a trial folder the \
                 spec would score: the submission would score 0 everywhere. \
                 Fix: the layout is <submission>/<study>/<workload>_<framework>/trial_<k>/eval_measurements.csv."),
            Code::StrayEntry => e("stray-entry", W,
                "a file or folder where the layout has no place for it; it is ignored",
                "Scoring reads <submission>/<study>/<workload>_<framework>/trial_<k>/eval_measurements.csv \
                 and ignores anything else: a trial_<k> folder directly in a study folder, a file where a \
                 folder belongs, a hidden file. Its data is not scored. \
                 Fix: move it where it belongs (a trial folder goes into its workload folder) or delete it. \
                 Training logs beside trial folders and submission_info.yml in the submission folder are expected.").by(Both),
            Code::UnreadableEntry => e("unreadable-entry", E,
                "a file or folder that cannot be read (permissions, a name that is not UTF-8, a symlink loop or a dangling link)",
                "The folder or entry is skipped, so whatever it holds is not scored. \
                 Fix: make it readable, rename it in UTF-8, or replace the link by the folder it points to.").by(Both),
            Code::EmptyStudy => e("empty-study", E,
                "a study folder without any workload folder",
                "An empty study folder is usually a failed copy. It is skipped. \
                 Fix: copy the study's workload folders into it, or remove it.").by(Both),
            Code::UnknownFramework => e("unknown-framework", E,
                "a workload folder whose framework suffix is not one of the spec's",
                "Workload folders are named <workload>_<framework> with a framework the spec lists \
                 (`[workloads] frameworks`, e.g. jax, pytorch). A folder with another suffix is not scored. \
                 Fix: rename the folder with the framework the run used.").by(Both),
            Code::UnknownWorkload => e("unknown-workload", W,
                "a workload folder whose workload the spec's targets file does not know; it is ignored",
                "The workload has no target in this benchmark version, so it cannot be scored. \
                 Fix: check the workload name's spelling, or that the right spec is used.").by(Both),
            Code::ExtraWorkload => e("extra-workload", W,
                "a workload the targets know but the spec does not score (neither base nor drawn held-out)",
                "Legal (a baseline may run extra variants), but the folder does not count towards the score. \
                 Fix: nothing, if intended; otherwise check the held-out variants the spec drew.").by(Both),
            Code::MissingWorkload => e("missing-workload", W,
                "a study without a base workload or drawn held-out variant of the spec",
                "A workload that was not run counts as its target missed (an infinite time), which lowers \
                 the score and, through the held-out rules, can also void the paired workload. Legal, \
                 hence a warning. Fix: run the workload in every study, or copy its folder if it was left out.").by(Both),
            Code::TooFewStudies => e("too-few-studies", W,
                "fewer studies than the spec's [expect] studies",
                "Each workload's time is an aggregate (median in published versions) over the studies; \
                 with fewer studies it is taken over fewer. Legal but weaker, hence a warning. \
                 Fix: add the missing study folders.").by(Both),
            Code::TooManyStudies => e("too-many-studies", E,
                "more studies than the spec's [expect] studies",
                "More studies than the ruleset allows change the aggregate in the submission's favour. \
                 Fix: submit exactly the studies the ruleset asks for.").by(Both),
            Code::TooFewTrials => e("too-few-trials", W,
                "a study has fewer trials of a workload than the spec's [expect] trials_per_study",
                "A study picks one of its trials; fewer trials only lower the submission's chances. \
                 Legal, hence a warning. Fix: add the missing trial folders if they exist.").by(Both),
            Code::TooManyTrials => e("too-many-trials", E,
                "a study has more trials of a workload than the spec's [expect] trials_per_study",
                "More tuning trials than the ruleset allows are an unfair advantage (the study picks the best). \
                 Fix: keep exactly the trials that were run under the ruleset's tuning budget.").by(Both),
            Code::MeasurementsMissing => e("measurements-missing", E,
                "a trial folder without eval_measurements.csv (or, reading logs, a trial no log supplies)",
                "The trial cannot be scored and is skipped. \
                 Fix: copy the trial's eval_measurements.csv, or check with --source logs / auto if only raw logs exist.").by(Both),
            Code::LogsMissing => e("logs-missing", E,
                "reading raw logs (--source logs), a workload folder without any *.log file",
                "No trial of the workload folder can be read. \
                 Fix: copy the training logs beside the trial folders, or check with --source csv.").by(Both),
            Code::MeasurementsUnreadable => e("measurements-unreadable", E,
                "a measurements file (or a folder's logs) that cannot be read, is empty, or whose header is not text",
                "The trial is skipped. Fix: copy the file again from the run's output.").by(Both),
            Code::ColumnMissing => e("column-missing", E,
                "a measurements file without a column the spec reads (time, step, summary time or the workload's metric)",
                "The spec's [columns] and the targets file's metric name the columns scoring reads; without \
                 one the trial is skipped. Fix: use the logger's unmodified output, or the spec of the \
                 benchmark version the runs were made for.").by(Both),
            Code::RowLength => e("row-length", E,
                "a row with another number of fields than the header",
                "Usually a file cut while it was written, or two files pasted together. The trial is skipped. \
                 Fix: copy the file again from the run's output.").by(Both),
            Code::NotANumber => e("not-a-number", E,
                "a value of a column the spec reads that is not a number",
                "Empty cells and NaN are read as NaN (as pandas reads them); other text is an error and the \
                 trial is skipped. Fix: copy the file again from the run's output.").by(Both),
            Code::TimeBackwards => e("time-backwards", E,
                "the time column goes backwards",
                "Time never decreases within one run: a file whose time goes backwards is two runs pasted \
                 together or a corrupted file, and its time to target means nothing. The trial is skipped. \
                 Fix: keep the one run the trial was.").by(Both),
            Code::TimeNegative => e("time-negative", E,
                "a negative time",
                "Times are seconds since the run started; a negative one is a corrupted file and would rank \
                 the trial ahead of every real one. Fix: copy the file again from the run's output.").by(Both),
            Code::LogLineMalformed => e("log-line-malformed", W,
                "reading raw logs, a line that looks like an evaluation but cannot be read; it is skipped",
                "The evaluation on that line is not scored. Fix: check the log; if it was cut, copy it again.").by(Both),
            Code::BudgetOvershoot => e("budget-overshoot", W,
                "a trial's last time passes the workload's budget × the spec's factor, within the spec's tolerance",
                "Runs stop at the first evaluation past the budget, so a last time a little over the budget \
                 is normal. The tolerance is the spec's [budget] overshoot_tolerance. A held-out variant has its base workload's budget. \
                 Fix: nothing, if the run stopped by itself."),
            Code::BudgetExceeded => e("budget-exceeded", E,
                "a trial's last time passes the workload's budget × the spec's factor by more than the spec's tolerance",
                "The run went on well past its runtime budget, which the rules forbid. \
                 Fix: rerun the trial with the budget enforced (cutting rows from its file by hand is not a fix)."),
            Code::TargetNeverReached => e("target-never-reached", W,
                "no trial of a workload reaches its target",
                "Legal, but the workload scores as missed for the submission; worth a look in case the wrong \
                 metric column or a diverged run is the cause. Fix: nothing, if the algorithm did not reach it."),
            Code::DuplicateTrial => e("duplicate-trial", E,
                "two trials whose measurements files are byte for byte the same",
                "Two independent runs never log the same bytes: one folder is a copy of the other, which \
                 counts one run twice. Files without any evaluation row are not compared. \
                 Fix: replace the copy by the run that belongs there, or remove it."),
            Code::InfoMissing => e("info-missing", E,
                "no submission_info.yml where one was asked for",
                "Looked for in <info-dir>/<submission>/ with --info-dir, else in the submission folder; a \
                 missing file is a finding only with --info-dir or --require-info. \
                 Fix: add submission_info.yml as the leaderboard's pull-request template describes."),
            Code::InfoUnreadable => e("info-unreadable", E,
                "submission_info.yml cannot be read, is not YAML, or is not a mapping of keys",
                "Fix: write it as `key: value` lines (submission_name, submission_folder, authors, \
                 affiliations, version, ruleset, framework, description)."),
            Code::InfoFieldMissing => e("info-field-missing", E,
                "submission_info.yml without a field the pull-request template requires, or with it empty",
                "Required: submission_name, submission_folder, authors, ruleset, framework. \
                 Fix: add the field."),
            Code::InfoRuleset => e("info-ruleset", E,
                "submission_info.yml's ruleset is not the spec's",
                "Compared ignoring case, `-` versus `_`, and a trailing `_tuning` (`external` and \
                 `external_tuning` match; `self-tuning` and `self_tuning` match). \
                 Fix: correct the field, or check the submission against the spec of its ruleset."),
            Code::InfoFolder => e("info-folder", E,
                "submission_info.yml's submission_folder is not the submission's folder",
                "The last part of submission_folder (`submissions/external_tuning/shampoo` → `shampoo`) must \
                 be the submission folder's name. Fix: correct the field or rename the folder."),
            Code::Degenerate => e("degenerate", W,
                "a degenerate result let through (--allow-empty, and always in `check`): no submission, workload or trial left to score",
                "Without --allow-empty a run stops at it; `check` lists it with the rest. \
                 Fix: as the message says (a misspelt --include, a tree whose trials could not be read).").by(Both),
            Code::WorkloadNobodyRan => e("workload-nobody-ran", W,
                "a base or held-out workload of the spec that no submission ran",
                "It counts as unsolved for everyone, so it changes nobody's rank but lowers every score. \
                 Fix: check that the tree holds every workload folder, or that the right spec is used.").by(Run),
            Code::ReferenceMissed => e("reference-missed", W,
                "the reference submission of a ratio did not run a workload",
                "Nobody is solved on that workload in the ratio's step. \
                 Fix: choose a reference that ran every workload.").by(Run),
            Code::ZeroTime => e("zero-time", W,
                "a workload time to target of 0 s",
                "No real run reaches a target at once: a clock that never started or a wrong time column. \
                 Scored as the rules say (ratio 1 for it, ∞ for every positive time). \
                 Fix: check the trial's time column.").by(Run),
            Code::LongSummaryName => e("long-summary-name", W,
                "a submission name too long for its summary file's name",
                "The summary is written under a shortened name with a hash, which the message gives. \
                 Fix: nothing, or a shorter folder name.").by(Run),
            Code::SpecError => e("spec-error", E,
                "a spec or targets file that cannot be used: unreadable, not TOML, a bad formula, a wrong value",
                "Every command loads its spec first and stops at it, with the file, line and column. \
                 Fix: as the message and its `expected` line say; `algoperf-engine spec check FILE` lists them all.").by(Spec),
            Code::SpecWarning => e("spec-warning", W,
                "a spec that loads but has a part that can never act (a step of the rules that never applies)",
                "Legal, but usually a mistake; `spec check --strict` fails on it. \
                 Fix: remove the part or correct the condition that keeps it idle.").by(Spec),
        }
    }

    pub fn name(self) -> &'static str {
        self.entry().name
    }

    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    pub fn reporter(self) -> Reporter {
        self.entry().reporter
    }

    /// Whether `--strict` turns a run's warning of this code into an
    /// error. The codes that stay notes are about what this spec does not
    /// score (a hidden or stray entry, a workload without a target, a
    /// framework it does not know, a workload it does not score) or how a
    /// file is named, never about data that was dropped.
    pub fn fatal_under_strict(self) -> bool {
        !matches!(
            self,
            Code::StrayEntry
                | Code::UnknownFramework
                | Code::UnknownWorkload
                | Code::ExtraWorkload
                | Code::LongSummaryName
        )
    }

    /// The code of this name, if there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        ALL.into_iter().find(|c| c.name() == name)
    }

    /// The `--explain` text.
    pub fn explain_text(self) -> String {
        let e = self.entry();
        format!(
            "{} ({}): {}\n\n{}\n",
            e.name,
            e.severity.name(),
            e.title,
            e.explain
        )
    }
}

/// The code table of `docs/check.md`: every code, its severity, what
/// reports it and its title, in registry order (a test holds the page to it).
pub fn markdown_table() -> String {
    let mut out =
        String::from("| code | severity | reported by | meaning |\n| --- | --- | --- | --- |\n");
    for code in ALL {
        let e = code.entry();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            e.name,
            e.severity.name(),
            e.reporter.text(),
            e.title.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for c in ALL {
            assert_eq!(Code::from_name(c.name()), Some(c));
        }
    }
}
