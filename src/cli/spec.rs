//! `spec check`, `spec explain`, `spec reference` and `heldout sample`:
//! commands on a spec (or the rule language) alone.

use std::path::PathBuf;

use clap::Subcommand;

use super::args::Format;
use super::check::CheckFormat;
use super::output::{print_err, print_json, print_out};
use crate::diagnostics::model::github_all;
use crate::error::Result;
use crate::{app, spec};

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Validate specs; errors show file:line:column, the text and what was expected.
    #[command(after_help = "Example:\n  algoperf-engine spec check rulesets/*.toml")]
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Warnings (steps that can never act) fail the check.
        #[arg(long)]
        strict: bool,
        /// `ok` lines and the problems as text, one JSON document
        /// (schema/spec-check.schema.json), or GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Terminal)]
        format: CheckFormat,
    },
    /// Run a spec's own tests (NAME.test.toml beside NAME.toml): small
    /// trees and the scores, times, warnings or errors they must give.
    #[command(after_help = "Example:\n  algoperf-engine spec test rulesets/*.toml")]
    Test {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Rewrite spec files in canonical form, comments kept (docs/spec-tools.md).
    #[command(
        after_help = "Example:\n  algoperf-engine spec fmt my_version.toml\n  algoperf-engine spec fmt --check rulesets/*.toml"
    )]
    Fmt {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write nothing: list the files that are not in canonical form,
        /// and fail (exit status 1) if any is not.
        #[arg(long)]
        check: bool,
    },
    /// Compare two specs key by key and formula by formula, after
    /// `extends`; exit status 1 when they differ (docs/spec-tools.md).
    #[command(
        after_help = "Example:\n  algoperf-engine spec diff v06_external my_version.toml\n  algoperf-engine spec diff v05_external examples/v05_external_fastest.toml --scores LOGS --format json"
    )]
    Diff {
        #[arg(value_name = "A")]
        a: PathBuf,
        #[arg(value_name = "B")]
        b: PathBuf,
        /// Also score both specs on this submissions folder and show what
        /// `compare` shows.
        #[arg(long, value_name = "DIR", visible_alias = "submissions")]
        scores: Option<PathBuf>,
        #[command(flatten)]
        read: super::args::ReadArgs,
        /// One line a key, or one JSON document (schema/spec-diff.schema.json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the specs shipped inside the program, with their descriptions.
    #[command(
        after_help = "Example:\n  algoperf-engine spec list\n  algoperf-engine --spec v05_external --submissions LOGS"
    )]
    List,
    /// Print a shipped spec's text (a ruleset name, or targets/NAME), to start a new one from.
    #[command(
        after_help = "Example:\n  algoperf-engine spec show v05_external > my_ruleset.toml\n  algoperf-engine spec show targets/algoperf_v05"
    )]
    Show {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Print the scoring pipeline a spec defines, in plain words.
    #[command(
        after_help = "Example:\n  algoperf-engine spec explain rulesets/v05_external.toml\n  algoperf-engine spec explain rulesets/v06_self.toml --format json"
    )]
    Explain {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Plain words, or one JSON document (schema/spec-explain.schema.json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the rule language's built-in names and functions (the registry).
    #[command(after_help = "Example:\n  algoperf-engine spec reference --markdown")]
    Reference {
        /// The Markdown tables of docs/language.md's generated section.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum HeldoutCommand {
    /// Draw the held-out workloads as numpy's default_rng(seed) does.
    #[command(
        after_help = "Example:\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml --seed 7 --format json"
    )]
    Sample {
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// Seed (default: the spec's).
        #[arg(long, value_name = "N")]
        seed: Option<u128>,
        /// One workload a line, or one JSON document
        /// (schema/heldout.schema.json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Runs `spec check` or `spec explain`.
pub fn spec_command(command: SpecCommand) -> Result<()> {
    match command {
        SpecCommand::Check {
            files,
            strict,
            format,
        } => spec_check(&files, strict, format),
        SpecCommand::Test { files } => spec_test(&files),
        SpecCommand::Fmt { files, check } => spec_fmt(files, check),
        SpecCommand::Diff {
            a,
            b,
            scores,
            read,
            format,
        } => spec_diff(a, b, scores, &read, format),
        SpecCommand::List => print_out(&catalogue_text()?),
        SpecCommand::Show { name } => print_out(app::spec::show(&name)?),
        SpecCommand::Explain { file, format } => {
            let s = app::spec::explain(&file)?;
            match format {
                Format::Table => print_out(&spec::explain(&s)),
                Format::Json => print_json(&spec::explain_document(&s)),
            }
        }
        SpecCommand::Reference { markdown: true } => print_out(&spec::lang::reference_tables()),
        SpecCommand::Reference { markdown: false } => print_out(&spec::lang::reference_text()),
    }
}

pub fn heldout_command(command: HeldoutCommand) -> Result<()> {
    let HeldoutCommand::Sample { spec, seed, format } = command;
    let drawn = app::heldout::sample(&app::heldout::HeldoutRequest { spec, seed })?;
    match format {
        Format::Json => print_json(&drawn),
        Format::Table => print_out(
            &drawn
                .drawn()
                .iter()
                .map(|d| format!("{d}\n"))
                .collect::<String>(),
        ),
    }
}

/// `spec list`: one shipped spec a line, then the targets files.
fn catalogue_text() -> Result<String> {
    let specs = app::spec::list()?;
    let width = specs.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (name, description) in specs {
        text.push_str(&format!("{name:width$}  {description}\n"));
    }
    let targets = spec::shipped::targets_names().join(", ");
    text.push_str(&format!(
        "\nTargets files: {targets}\n`algoperf-engine spec show NAME` prints one; `--spec NAME` uses one.\n"
    ));
    Ok(text)
}

/// `ok` per good file on stdout (its warnings on stderr), every problem of
/// a bad one on stderr; or every problem as one JSON document, or as
/// GitHub annotations (and a summary on stderr).
fn spec_check(files: &[PathBuf], strict: bool, format: CheckFormat) -> Result<()> {
    let verdicts = app::spec::check(files, strict);
    match format {
        CheckFormat::Terminal => {
            for v in &verdicts {
                match &v.outcome {
                    Ok(s) => {
                        print_err(&spec::render_warnings(s));
                        print_out(&format!("{}: ok\n", v.file.display()))?
                    }
                    Err(e) => print_err(&format!("{e}\n")),
                }
            }
        }
        CheckFormat::Json => print_json(&app::spec::check_document(&verdicts))?,
        CheckFormat::Github => {
            let doc = app::spec::check_document(&verdicts);
            print_out(&github_all(&doc.diagnostics))?;
            let failed = doc.files.iter().filter(|f| !f.ok).count();
            print_err(&format!(
                "checked {} spec file(s): {failed} failed, {} error(s), {} warning(s)\n",
                doc.files.len(),
                doc.errors,
                doc.warnings
            ));
        }
    }
    app::spec::failed(&verdicts)
}

/// Each file's test report on stdout; a file that cannot run on stderr.
fn spec_test(files: &[PathBuf]) -> Result<()> {
    let runs = app::spec::test(files);
    for (_, outcome) in &runs {
        match outcome {
            Ok(r) => print_out(&r.render())?,
            Err(e) => print_err(&format!("error: {e}\n")),
        }
    }
    app::spec::tests_failed(&runs)
}

/// Each file's outcome on stdout (`FILE: formatted`, `FILE: ok`, `FILE:
/// would be reformatted`), a file that cannot be formatted on stderr.
fn spec_fmt(files: Vec<PathBuf>, check: bool) -> Result<()> {
    let done = app::spec::fmt(&app::spec::FmtRequest { files, check });
    for f in &done {
        let said = match &f.outcome {
            app::spec::FmtOutcome::Unchanged => "ok",
            app::spec::FmtOutcome::Formatted => "formatted",
            app::spec::FmtOutcome::WouldChange => "would be reformatted",
            app::spec::FmtOutcome::Failed(e) => {
                print_err(&format!("error: {e}\n"));
                continue;
            }
        };
        print_out(&format!("{}: {said}\n", f.file.display()))?;
    }
    app::spec::fmt_failed(&done)
}

/// The differing keys (and with --scores the comparison) on stdout.
fn spec_diff(
    a: PathBuf,
    b: PathBuf,
    scores: Option<PathBuf>,
    read: &super::args::ReadArgs,
    format: Format,
) -> Result<()> {
    let request = app::spec::DiffRequest {
        a,
        b,
        scores,
        read: read.request(),
    };
    let d = app::spec::diff(&request, &super::options::Bar::new())?;
    if let Some(c) = &d.compared {
        print_err(&format!(
            "{}{}",
            c.warnings.0.render(),
            c.warnings.1.render()
        ));
    }
    match format {
        Format::Json => print_json(&d.doc)?,
        Format::Table => {
            let mut text = app::spec::diff_text(&d.doc);
            if let Some(c) = &d.compared {
                text.push('\n');
                text.push_str(&crate::report::compare::table(&c.comparison));
            }
            print_out(&text)?
        }
    }
    app::spec::differ(&d.doc)
}
