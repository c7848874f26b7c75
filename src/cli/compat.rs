//! `compat`: the reference scoring command's flags (see `crate::compat`),
//! run as the main job; only the files the reference writes are written.

use std::path::PathBuf;

use clap::Args;

use super::options::Bar;
use super::output::{print_err, print_out};
use crate::app;
use crate::error::Result;
use crate::run::error::CommandLineError;

/// The reference's flags, spelled as it spells them.
#[derive(Debug, Args)]
pub struct CompatArgs {
    /// Folder of submissions, one sub-folder each.
    #[arg(long = "submission_directory", value_name = "DIR")]
    pub submission_directory: Option<PathBuf>,
    /// A workload_targets*.json: picks the shipped spec with its workloads
    /// (default: the latest targets, as the reference's).
    #[arg(long = "workload_targets", value_name = "FILE")]
    pub workload_targets: Option<PathBuf>,
    #[arg(
        long = "output_dir",
        value_name = "DIR",
        default_value = "scoring_results"
    )]
    pub output_dir: PathBuf,
    /// Also write scores.csv, time_to_targets.csv and performance_profile_score.csv.
    #[arg(long = "compute_performance_profiles")]
    pub compute_performance_profiles: bool,
    /// Count mismatches are errors.
    #[arg(long)]
    pub strict: bool,
    /// Score on the self-tuning ruleset.
    #[arg(long = "self_tuning_ruleset")]
    pub self_tuning_ruleset: bool,
    /// Only these submissions (comma-separated).
    #[arg(long = "include_submissions", value_name = "NAMES", default_value = "")]
    pub include_submissions: String,
    /// Leave out these submissions (comma-separated).
    #[arg(long = "exclude_submissions", value_name = "NAMES", default_value = "")]
    pub exclude_submissions: String,
    /// Python package only (a pandas pickle): `python -m algoperf_engine.score_submissions`.
    #[arg(long = "save_results_to_filename", value_name = "FILE")]
    pub save_results_to_filename: Option<String>,
    /// Python package only (a pandas pickle): `python -m algoperf_engine.score_submissions`.
    #[arg(long = "load_results_from_filename", value_name = "FILE")]
    pub load_results_from_filename: Option<String>,
    /// Relax targets, e.g. `all=0.05,imagenet_resnet=0.10` (a base workload
    /// selects its held-out variants too; fractions in [0, 1)).
    #[arg(long = "target_relaxations", value_name = "SPEC")]
    pub target_relaxations: Option<String>,
}

/// Runs `compat`.
pub fn compat_command(args: CompatArgs) -> Result<()> {
    refuse_python_only(&args)?;
    let Some(dir) = &args.submission_directory else {
        return Err(CommandLineError::Compat {
            message: "--submission_directory is required".into(),
        }
        .into());
    };
    let request = app::compat::CompatRequest {
        submission_directory: dir.clone(),
        workload_targets: args.workload_targets.clone(),
        output_dir: args.output_dir.clone(),
        compute_performance_profiles: args.compute_performance_profiles,
        strict: args.strict,
        self_tuning_ruleset: args.self_tuning_ruleset,
        include_submissions: args.include_submissions.clone(),
        exclude_submissions: args.exclude_submissions.clone(),
        target_relaxations: args.target_relaxations.clone(),
    };
    let c = app::compat::compat(&request, &Bar::new())?;
    print_err(&c.warnings.render());
    if args.compute_performance_profiles {
        let table = crate::report::leaderboard_table(&c.leaderboard, c.spec.tau.max);
        print_out(&table)?;
        print_err("note: performance_profile_by_score.pdf needs matplotlib: the Python package's `algoperf-engine compat` writes it\n");
    }
    print_err(&format!(
        "wrote {} files to {}\n",
        c.written.len(),
        args.output_dir.display()
    ));
    Ok(())
}

fn refuse_python_only(args: &CompatArgs) -> Result<()> {
    let python_only = [
        (
            "--save_results_to_filename",
            args.save_results_to_filename.is_some(),
        ),
        (
            "--load_results_from_filename",
            args.load_results_from_filename.is_some(),
        ),
    ];
    if let Some((flag, _)) = python_only.iter().find(|(_, given)| *given) {
        return Err(CommandLineError::Compat {
            message: format!(
                "{flag}: the results pickle is a pandas object: use the Python package's \
                 `algoperf-engine compat` or `python -m algoperf_engine.score_submissions`"
            ),
        }
        .into());
    }
    Ok(())
}
