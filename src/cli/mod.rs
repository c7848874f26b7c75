//! The command line: clap definitions mapped onto spec → ingest → score →
//! report. No scoring logic lives here.

mod args;
mod check;
mod compare;
mod compat;
mod explain;
mod leaderboard;
mod man;
mod options;
mod output;
mod report;
mod score;
mod spec;
mod speedup;
mod stability;
mod synth;
mod targets;

use clap::{Parser, Subcommand};

pub use args::{Format, ScoreArgs, SourceArg};
pub use check::{CheckArgs, CheckFormat};
pub use compare::CompareArgs;
pub use compat::CompatArgs;
pub use explain::ExplainArgs;
pub use leaderboard::LeaderboardArgs;
pub use report::ReportArgs;
pub use spec::{HeldoutCommand, SpecCommand};
pub use speedup::SpeedupArgs;
pub use stability::{MethodArg, OverArg, StabilityArgs};
pub use synth::SynthArgs;
pub use targets::{DeriveArgs, TargetsCommand};

use crate::error::{exit, Result};
use output::{stdout_error, write_out};

/// Scores AlgoPerf leaderboards from training logs, driven by ruleset specs.
#[derive(Debug, Parser)]
#[command(
    name = "algoperf-engine",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = main_after_help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scoring a submissions tree (the main job): the options when no
    /// command is given.
    #[command(flatten)]
    pub score: ScoreArgs,
    /// Colour on standard error: on a terminal unless NO_COLOR is set (auto), always, or never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: crate::colour::When,
}

/// The subcommands; without one, the main job runs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The reference's score_submissions.py, flag for flag: writes the files it writes.
    #[command(
        after_help = "Example:\n  algoperf-engine compat --workload_targets scoring/workload_targets_v05.json \\\n      --submission_directory previous_leaderboards/algoperf_v05/logs/external_tuning \\\n      --compute_performance_profiles --output_dir scoring_results"
    )]
    Compat(compat::CompatArgs),
    /// Check or explain ruleset specs.
    #[command(
        subcommand,
        after_help = "Example:\n  algoperf-engine spec check rulesets/*.toml\n  algoperf-engine spec explain rulesets/v05_external.toml"
    )]
    Spec(SpecCommand),
    /// Held-out workload sampling.
    #[command(
        subcommand,
        after_help = "Example:\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml"
    )]
    Heldout(HeldoutCommand),
    /// Why a submission got what it got on one workload: per study the trial
    /// picked and why, the aggregate, each rule step that changed the time,
    /// and the final ratio.
    #[command(
        after_help = "Example:\n  algoperf-engine explain --spec rulesets/v05_external.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning \\\n      --submission lawa_ema --workload imagenet_resnet"
    )]
    Explain(ExplainArgs),
    /// Set targets and budgets from target-setting runs (`targets derive`).
    #[command(
        subcommand,
        after_help = "Example:\n  algoperf-engine targets derive --spec v06_external --submissions runs --toml derived.toml"
    )]
    Targets(TargetsCommand),
    /// Write a synthetic submissions tree (realistic curves, ties, NaN, missing trials).
    #[command(
        after_help = "Example:\n  algoperf-engine synth --submissions 10 --seed 7 --out /tmp/synth"
    )]
    Synth(SynthArgs),
    // --- Leaderboard-maintainer commands (one file each under src/cli/) ---
    /// Speedup of one submission over another: per-workload time ratios and their geometric mean.
    #[command(
        after_help = "Example:\n  algoperf-engine speedup --spec rulesets/v05_external.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning \\\n      --base baseline --comparison shampoo_submission"
    )]
    Speedup(SpeedupArgs),
    /// The ranked leaderboard as a Markdown table (AlgoPerf README style), printed or put into a README.
    #[command(
        after_help = "Example:\n  algoperf-engine leaderboard --spec rulesets/v05_external.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning \\\n      --info-dir path/to/submission_info \\\n      --update README.md --marker \"EXTERNAL TUNING LEADERBOARD\""
    )]
    Leaderboard(LeaderboardArgs),
    /// Check submission folders against a spec without scoring: every problem, with its file, line, severity and code.
    #[command(
        after_help = "Example:\n  algoperf-engine check --spec rulesets/v05_external.toml \\\n      submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning/baseline --format github\n  algoperf-engine check --explain stray-entry"
    )]
    Check(CheckArgs),
    /// The HTML leaderboard page of a results cache, without reading any log.
    #[command(
        after_help = "Example:\n  algoperf-engine report --spec rulesets/v05_external.toml \\\n      --load-results v05.cache --html leaderboard.html"
    )]
    Report(ReportArgs),
    /// How sure the ranking is: the leaderboard re-scored on bootstrap
    /// resamples of the studies and/or workloads, or with one study left out
    /// at a time (jackknife); score and rank intervals, P(rank 1), pairwise
    /// P(A above B) and the group tied with #1.
    #[command(
        after_help = "Example:\n  algoperf-engine stability --spec rulesets/v05_external.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning --resamples 10000 --seed 1"
    )]
    Stability(StabilityArgs),
    /// Two leaderboards side by side (two specs, or two submissions trees):
    /// score and rank per submission, and every (submission, workload) whose
    /// time or ratio differs with the first stage where they diverge.
    #[command(
        after_help = "Example:\n  algoperf-engine compare --spec rulesets/v05_external.toml \\\n      --spec examples/v05_external_fastest.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning"
    )]
    Compare(CompareArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  algoperf-engine completions bash > ~/.local/share/bash-completion/completions/algoperf-engine"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of the program or of one command, or write
    /// every page (one per command) to a folder.
    #[command(
        after_help = "Example:\n  algoperf-engine man > algoperf-engine.1 && man ./algoperf-engine.1\n  algoperf-engine man spec explain > algoperf-engine-spec-explain.1\n  algoperf-engine man --all /usr/local/share/man/man1"
    )]
    Man(man::ManArgs),
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> Result<()> {
    crate::colour::set(cli.color);
    match cli.command {
        Some(Command::Compat(args)) => compat::compat_command(args),
        Some(Command::Spec(command)) => spec::spec_command(command),
        Some(Command::Heldout(command)) => spec::heldout_command(command),
        Some(Command::Synth(args)) => synth::synth_command(args),
        Some(Command::Targets(command)) => targets::targets_command(command),
        Some(Command::Explain(args)) => explain::explain_command(args),
        Some(Command::Check(args)) => check::check_command(args),
        Some(Command::Speedup(args)) => speedup::speedup_command(args),
        Some(Command::Leaderboard(args)) => leaderboard::leaderboard_command(args),
        Some(Command::Report(args)) => report::report_command(args),
        Some(Command::Stability(args)) => stability::stability_command(args),
        Some(Command::Compare(args)) => compare::compare_command(args),
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            write_completions(shell, &mut buf).map_err(stdout_error)?;
            write_out(&buf)
        }
        Some(Command::Man(args)) => man::man_command(args),
        None => score::score_command(cli.score),
    }
}

/// Ends a command: prints its error (one `error:` prefix, control characters
/// escaped so names from the tree cannot reach the terminal raw; nothing when
/// stdout's reader left) and returns the exit status of
/// [`crate::error::exit`]. The binary and the Python package's command both
/// end here.
pub fn finish(result: Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            if !e.is_quiet() {
                let text = e.lines().join("\n");
                // A closed stderr has nobody to tell (ignored there).
                crate::colour::eprint(&format!("error: {text}\n"));
            }
            e.exit_code()
        }
    }
}

/// The main command's `--help` epilogue (also the man page's): an example
/// and the exit status table.
fn main_after_help() -> String {
    format!(
        "Example:\n  algoperf-engine --spec rulesets/v05_external.toml \\\n      --submissions submissions_algorithms/previous_leaderboards/algoperf_v05/logs/external_tuning --output-dir out/\n\n{}",
        exit::TABLE
    )
}

/// Writes the completion script for `shell`.
pub fn write_completions(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "algoperf-engine", &mut buf);
    out.write_all(&buf)
}

/// Writes the program's man page (roff).
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    man::write_page(&[], out).map_err(std::io::Error::other)
}
