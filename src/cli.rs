//! The command line: clap definitions mapped onto spec → ingest → score →
//! report. No scoring logic lives here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::{exit, Error, Result};
use crate::ingest::{Progress, Selection, Silent, Source};
use crate::{report, run, spec, synth};

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
    #[command(flatten)]
    pub score: ScoreArgs,
}

/// Scoring a submissions tree (the main job).
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE", required = true)]
    pub spec: Option<PathBuf>,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR", required_unless_present = "load_results")]
    pub submissions: Option<PathBuf>,
    /// Save the ingested series to a results cache, to rescore without reading the logs.
    #[arg(long, value_name = "FILE")]
    pub save_results: Option<PathBuf>,
    /// Score a results cache made by --save-results instead of a submissions folder.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub load_results: Option<PathBuf>,
    /// Where to write scores.csv, time_to_targets.csv,
    /// performance_profile_score.csv, <submission>_summary.csv and the
    /// performance_profile.svg/.png plot.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Only these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub include: Vec<String>,
    /// Leave out these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub exclude: Vec<String>,
    /// Where trials' evaluations come from: eval_measurements.csv, raw training
    /// logs, or the CSV where a trial has one and the logs otherwise.
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Fail on any count mismatch or skipped input instead of warning.
    #[arg(long)]
    pub strict: bool,
    /// Score even when nothing is selected or read (an empty submissions
    /// folder, --include/--exclude names that match nothing, a spec column
    /// or framework found nowhere): warnings instead of errors.
    #[arg(long)]
    pub allow_empty: bool,
    /// Largest trial file or log read, e.g. 256M or 2G (default 256M); a
    /// larger one, or one that is not a regular file, is skipped with a warning.
    #[arg(long, value_name = "SIZE", value_parser = crate::limits::parse_size)]
    pub max_file_size: Option<u64>,
    /// What to print on stdout: the ranked table, or one JSON document with
    /// every intermediate result (schema/leaderboard.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Worker threads for reading logs (default: all cores; more are capped
    /// at the cores available).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Also write the leaderboard as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Folder of <submission>/submission_info.yml files, for the HTML page's
    /// authors, affiliation, framework and logs link.
    #[arg(long, value_name = "DIR", requires = "html")]
    pub info_dir: Option<PathBuf>,
    /// Show on the HTML page each score's and rank's 95% interval from N
    /// bootstrap resamples over studies (seed 0; `stability` has every option).
    #[arg(long, value_name = "N", requires = "html")]
    pub html_stability: Option<usize>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// `--source` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceArg {
    Csv,
    Logs,
    Auto,
}

impl From<SourceArg> for Source {
    fn from(s: SourceArg) -> Self {
        match s {
            SourceArg::Csv => Source::Csv,
            SourceArg::Logs => Source::Logs,
            SourceArg::Auto => Source::Auto,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or explain ruleset specs.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Held-out workload sampling.
    #[command(subcommand)]
    Heldout(HeldoutCommand),
    /// Why a submission got what it got on one workload: per study the trial
    /// picked and why, the aggregate, each rule step that changed the time,
    /// and the final ratio.
    #[command(
        after_help = "Example:\n  algoperf-engine explain --spec rulesets/v05_external.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning \\\n      --submission lawa_ema --workload imagenet_resnet"
    )]
    Explain(ExplainArgs),
    /// Write a synthetic submissions tree (realistic curves, ties, NaN, missing trials).
    #[command(
        after_help = "Example:\n  algoperf-engine synth --submissions 10 --seed 7 --out /tmp/synth"
    )]
    Synth {
        /// Spec whose workloads and targets the curves are made for.
        #[arg(
            long,
            value_name = "FILE",
            default_value = "rulesets/v05_external.toml"
        )]
        spec: PathBuf,
        /// Number of submissions.
        #[arg(long, value_name = "N")]
        submissions: usize,
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Studies per workload (default: the spec's expected count).
        #[arg(long, value_name = "N")]
        studies: Option<usize>,
        /// Trials per study (default: the spec's expected count).
        #[arg(long, value_name = "N")]
        trials: Option<usize>,
        /// Output folder (must be empty or absent).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    // --- Leaderboard-maintainer commands (see the end of this file) ---
    /// Speedup of one submission over another: per-workload time ratios and their geometric mean.
    #[command(
        after_help = "Example:\n  algoperf-engine speedup --spec rulesets/v05_external.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning \\\n      --base baseline --comparison shampoo_submission"
    )]
    Speedup(SpeedupArgs),
    /// The ranked leaderboard as a Markdown table (AlgoPerf README style), printed or put into a README.
    #[command(
        after_help = "Example:\n  algoperf-engine leaderboard --spec rulesets/v05_external.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning \\\n      --info-dir ../shared/algoperf/submission_info/algoperf_v05/external_tuning \\\n      --update README.md --marker \"EXTERNAL TUNING LEADERBOARD\""
    )]
    Leaderboard(LeaderboardArgs),
    /// Check submission folders against a spec without scoring: every problem, with its file, line, severity and code.
    #[command(
        after_help = "Example:\n  algoperf-engine check --spec rulesets/v05_external.toml \\\n      ../shared/algoperf/logs/v05/external_tuning/baseline --format github\n  algoperf-engine check --explain stray-entry"
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
        after_help = "Example:\n  algoperf-engine stability --spec rulesets/v05_external.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning --resamples 10000 --seed 1"
    )]
    Stability(StabilityArgs),
    /// Two leaderboards side by side (two specs, or two submissions trees):
    /// score and rank per submission, and every (submission, workload) whose
    /// time or ratio differs with the first stage where they diverge.
    #[command(
        after_help = "Example:\n  algoperf-engine compare --spec rulesets/v05_external.toml \\\n      --spec examples/v05_external_fastest.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning"
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
    /// Print the man page (roff) to stdout.
    #[command(
        after_help = "Example:\n  algoperf-engine man > algoperf-engine.1 && man ./algoperf-engine.1"
    )]
    Man,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// The submission to explain (its folder name).
    #[arg(long, value_name = "NAME")]
    pub submission: String,
    /// The workload (name without framework suffix).
    #[arg(long, value_name = "NAME")]
    pub workload: String,
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
}

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Validate specs; errors show file:line:column, the text and what was expected.
    #[command(after_help = "Example:\n  algoperf-engine spec check rulesets/*.toml")]
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the scoring pipeline a spec defines, in plain words.
    #[command(after_help = "Example:\n  algoperf-engine spec explain rulesets/v05_external.toml")]
    Explain {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HeldoutCommand {
    /// Draw the held-out workloads as numpy's default_rng(seed) does.
    #[command(
        after_help = "Example:\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml"
    )]
    Sample {
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// Seed (default: the spec's).
        #[arg(long, value_name = "N")]
        seed: Option<u128>,
    },
}

/// A progress bar on stderr when it is a terminal.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new() -> Self {
        if std::io::stderr().is_terminal() {
            Bar(Some(indicatif::ProgressBar::hidden()))
        } else {
            Bar(None)
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(b) = &self.0 {
            b.set_length(total);
            b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            b.set_style(
                indicatif::ProgressStyle::with_template("reading logs {bar:40} {pos}/{len} files")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
    }
    fn advance(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Spec(SpecCommand::Check { files })) => spec_check(&files),
        Some(Command::Spec(SpecCommand::Explain { file })) => {
            let s = spec::load(&file)?;
            print_out(&spec::explain(&s))
        }
        Some(Command::Heldout(HeldoutCommand::Sample { spec: path, seed })) => {
            let s = spec::load(&path)?;
            let Some(sampling) = &s.sampling else {
                return Err(Error::Usage(format!(
                    "{}: no [held_out_sampling] table: nothing to draw",
                    path.display()
                )));
            };
            let seed = seed.unwrap_or(sampling.seed);
            let sizes: Vec<usize> = sampling.groups.iter().map(|(_, pool)| pool.len()).collect();
            let drawn = crate::spec::heldout::draw_indices(seed, &sizes);
            let mut text = String::new();
            for ((_, pool), i) in sampling.groups.iter().zip(drawn) {
                text.push_str(&pool[i]);
                text.push('\n');
            }
            print_out(&text)
        }
        Some(Command::Synth {
            spec: path,
            submissions,
            seed,
            studies,
            trials,
            out,
        }) => {
            let s = spec::load(&path)?;
            let mut opts = synth::Options::for_spec(&s, submissions, seed);
            opts.studies = studies.unwrap_or(opts.studies);
            opts.trials = trials.unwrap_or(opts.trials);
            if out.exists()
                && std::fs::read_dir(&out)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(true)
            {
                return Err(Error::Usage(format!(
                    "{}: output folder exists and is not empty",
                    out.display()
                )));
            }
            let files = synth::generate(&s, &opts);
            synth::write(&out, &files)?;
            print_err(&format!(
                "wrote {} trial files under {}\n",
                files.len(),
                out.display()
            ));
            Ok(())
        }
        Some(Command::Explain(a)) => {
            let s = spec::load(&a.spec)?;
            let options = run::Options {
                selection: Selection {
                    source: a.source.into(),
                    ..Selection::default()
                },
                strict: false,
            };
            let ingested = run::read(&a.submissions, &s, &options, &Silent)?;
            let (leaderboard, _) = run::score_only(&ingested, &s, &options)?;
            let submission = ingested
                .submissions
                .iter()
                .find(|x| x.name == a.submission)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: no submission `{}` (there are: {})",
                        a.submissions.display(),
                        a.submission,
                        leaderboard.submissions.join(", ")
                    ))
                })?;
            let text = report::explain::explain(&s, &leaderboard, submission, &a.workload)
                .map_err(Error::Usage)?;
            print_out(&text)
        }
        Some(Command::Check(args)) => check_command(args),
        Some(Command::Speedup(args)) => speedup_command(args),
        Some(Command::Leaderboard(args)) => leaderboard_command(args),
        Some(Command::Report(args)) => report_command(args),
        Some(Command::Stability(args)) => stability_command(args),
        Some(Command::Compare(args)) => compare_command(args),
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            write_completions(shell, &mut buf).map_err(stdout_error)?;
            write_out(&buf)
        }
        Some(Command::Man) => {
            let mut buf = Vec::new();
            write_man(&mut buf).map_err(stdout_error)?;
            write_out(&buf)
        }
        None => score_command(cli.score),
    }
}

fn print_result(
    format: Format,
    spec: &spec::Spec,
    leaderboard: &crate::score::Leaderboard,
    warnings: &crate::diagnostics::Warnings,
) -> Result<()> {
    match format {
        Format::Table => print_out(&report::leaderboard_table(leaderboard, spec.tau.max)),
        Format::Json => {
            let doc = report::json::document(spec, leaderboard, warnings);
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&(text + "\n"))
        }
    }
}

/// Writes to standard output and flushes, so that a failed write is seen
/// here: a reader that closed the pipe early (`| head`) ends the run quietly
/// ([`Error::StdoutClosed`]); any other failure (a full disk) is one error line.
fn write_out(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// [`write_out`] for text.
fn print_out(text: &str) -> Result<()> {
    write_out(text.as_bytes())
}

/// Writes warnings and notes to standard error. A closed or full standard
/// error has nobody left to tell, so its failure is ignored rather than
/// ending a run whose outputs are fine.
fn print_err(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

fn spec_check(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match spec::load(f) {
            Ok(_) => print_out(&format!("{}: ok\n", f.display()))?,
            Err(e) => {
                failed += 1;
                print_err(&format!("{e}\n"));
            }
        }
    }
    if failed > 0 {
        return Err(Error::Usage(format!(
            "{failed} of {} spec{} failed the check",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// `--threads`, capped at the cores available: more threads than cores only
/// add contention (100,000 threads ran for minutes at a load of 4,500).
/// 0 or none is rayon's default, one per core.
fn capped_threads(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match asked {
        Some(n) if n > cores => {
            print_err(&format!(
                "note: --threads {n} is more than the {cores} cores available; using {cores}\n"
            ));
            cores
        }
        other => other.unwrap_or(0),
    }
}

fn score_command(args: ScoreArgs) -> Result<()> {
    let Some(spec_path) = args.spec.clone() else {
        return Err(Error::CommandLine("--spec is required".into()));
    };
    let spec = spec::load(&spec_path)?;
    if let (Some(cache), Some(subs)) = (&args.save_results, &args.submissions) {
        report::files::check_cache_path(cache, subs)?;
    }
    if let Some(out) = &args.output_dir {
        report::files::check_output_target(out)?;
    }
    if let (Some(out), Some(subs)) = (&args.output_dir, &args.submissions) {
        report::files::check_output_dir(out, subs)?;
    }
    if let Some(page) = &args.html {
        report::html::check_target(page)?;
    }
    let origin = match (&args.load_results, &args.submissions) {
        (Some(cache), _) => report::html::Origin::cache(cache),
        (None, subs) => report::html::Origin::folder(subs.as_deref(), args.source.into()),
    };
    let options = run::Options {
        selection: Selection {
            include: args.include,
            exclude: args.exclude,
            source: args.source.into(),
            allow_empty: args.allow_empty,
            max_file_size: args.max_file_size,
        },
        strict: args.strict,
    };
    let ingested = match (&args.load_results, &args.submissions) {
        (Some(cache), _) => {
            let mut ingested = crate::ingest::cache::load(cache, &spec)?;
            crate::ingest::degenerate::select_loaded(&mut ingested, &options.selection, cache)?;
            ingested
        }
        (None, Some(submissions)) => {
            let bar = Bar::new();
            let progress: &dyn Progress = if bar.0.is_some() { &bar } else { &Silent };
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(capped_threads(args.threads))
                .build()
                .map_err(|e| {
                    Error::CommandLine(format!(
                        "cannot start {} threads: {e}",
                        args.threads.unwrap_or(0)
                    ))
                })?;
            pool.install(|| run::read(submissions, &spec, &options, progress))?
        }
        (None, None) => {
            return Err(Error::CommandLine(
                "--submissions or --load-results is required".into(),
            ))
        }
    };
    if let Some(cache) = &args.save_results {
        crate::ingest::cache::save(cache, &ingested, &spec)?;
    }
    let Some(out) = &args.output_dir else {
        // Nothing to write: no file is rendered.
        let (leaderboard, warnings) = run::score_only(&ingested, &spec, &options)?;
        if let Some(page) = &args.html {
            let stability = page_stability(args.html_stability, &spec, &leaderboard)?;
            let scored = (&spec, &leaderboard, &ingested, &warnings);
            let info = args.info_dir.as_deref();
            report::html::publish(page, scored, info, origin, stability.as_ref())?;
        }
        print_err(&warnings.render());
        return print_result(args.format, &spec, &leaderboard, &warnings);
    };
    let mut outcome = run::score(&ingested, &spec, &options)?;
    // The performance-profile plot goes with the other outputs.
    let plots = report::plot::files(&outcome.leaderboard, &spec, out)?;
    outcome.files.extend(plots);
    // What the run read: the cache when there is one, else the tree.
    let input = args
        .load_results
        .as_ref()
        .map(|c| ("results_cache", c))
        .or(args.submissions.as_ref().map(|s| ("submissions", s)))
        .ok_or_else(|| Error::Usage("--submissions or --load-results is required".into()))?;
    let provenance = report::files::Provenance::of(&spec, input.0, input.1)?;
    let manifest = report::files::manifest(&provenance, &outcome.files);
    outcome
        .files
        .push((report::files::MANIFEST.to_string(), manifest));
    report::files::write_run(out, &outcome.files)?;
    if let Some(page) = &args.html {
        let stability = page_stability(args.html_stability, &spec, &outcome.leaderboard)?;
        let scored = (&spec, &outcome.leaderboard, &ingested, &outcome.warnings);
        let info = args.info_dir.as_deref();
        report::html::publish(page, scored, info, origin, stability.as_ref())?;
    }
    print_err(&outcome.warnings.render());
    print_result(args.format, &spec, &outcome.leaderboard, &outcome.warnings)?;
    print_err(&format!(
        "wrote {} files to {}\n",
        outcome.files.len(),
        out.display()
    ));
    Ok(())
}

// ---------------------------------------------------------------------------
// Leaderboard-maintainer commands.
// ---------------------------------------------------------------------------

/// `speedup`: SCORING.md §9.
#[derive(Debug, Args)]
pub struct SpeedupArgs {
    /// Ruleset spec (rulesets/*.toml); its targets file must give every base workload a budget.
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// The submission compared against (the denominator of the ratios).
    #[arg(long, value_name = "NAME")]
    pub base: String,
    /// The submission whose speedup is measured.
    #[arg(long, value_name = "NAME")]
    pub comparison: String,
}

/// `leaderboard`: the Markdown table.
#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// Folder of <submission>/submission_info.yml files; a submission without one shows its folder name.
    #[arg(long, value_name = "DIR")]
    pub info_dir: PathBuf,
    /// Put the table into FILE between <!-- BEGIN M --> and <!-- END M --> (in place, atomically) instead of printing it.
    #[arg(long, value_name = "FILE", requires = "marker")]
    pub update: Option<PathBuf>,
    /// The marker name M of --update.
    #[arg(long, value_name = "M", requires = "update")]
    pub marker: Option<String>,
}

/// `report`: the HTML page of a results cache.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// A results cache made by --save-results.
    #[arg(long, value_name = "FILE")]
    pub load_results: PathBuf,
    /// Where to write the page.
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// Folder of <submission>/submission_info.yml files.
    #[arg(long, value_name = "DIR")]
    pub info_dir: Option<PathBuf>,
}

fn report_command(args: ReportArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    report::html::check_target(&args.html)?;
    let ingested = crate::ingest::cache::load(&args.load_results, &spec)?;
    let (leaderboard, warnings) = run::score_only(&ingested, &spec, &run::Options::default())?;
    print_err(&warnings.render());
    let origin = report::html::Origin::cache(&args.load_results);
    let scored = (&spec, &leaderboard, &ingested, &warnings);
    report::html::publish(&args.html, scored, args.info_dir.as_deref(), origin, None)
}

/// Ends a command: prints its error (one `error:` prefix, control characters
/// escaped so names from the tree cannot reach the terminal raw; nothing when
/// stdout's reader left) and returns the exit status of
/// [`crate::error::exit`]. The binary and the Python package's command both
/// end here.
pub fn finish(result: Result<()>) -> i32 {
    use std::io::Write;
    match result {
        Ok(()) => 0,
        Err(e) => {
            if !e.is_quiet() {
                let text = e.to_string();
                let text = crate::diagnostics::escape_controls_but(&text, &['\n']);
                // A closed stderr has nobody to tell: ignore the failure.
                let _ = writeln!(std::io::stderr(), "error: {text}");
            }
            e.exit_code()
        }
    }
}

/// A failed write to standard output: quiet when its reader left.
fn stdout_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::StdoutClosed;
    }
    Error::Write {
        path: PathBuf::from("<stdout>"),
        source: e,
    }
}

/// The main command's `--help` epilogue (also the man page's): an example
/// and the exit status table.
fn main_after_help() -> String {
    format!(
        "Example:\n  algoperf-engine --spec rulesets/v05_external.toml \\\n      --submissions ../shared/algoperf/logs/v05/external_tuning --output-dir out/\n\n{}",
        exit::TABLE
    )
}

/// Reads and scores a submissions tree without writing anything; the
/// warnings go to stderr.
fn score_tree(
    spec: &spec::Spec,
    submissions: &std::path::Path,
    selection: Selection,
) -> Result<run::Outcome> {
    let options = run::Options {
        selection,
        strict: false,
    };
    let bar = Bar::new();
    let progress: &dyn Progress = if bar.0.is_some() { &bar } else { &Silent };
    let ingested = run::read(submissions, spec, &options, progress)?;
    let outcome = run::score(&ingested, spec, &options)?;
    print_err(&outcome.warnings.render());
    Ok(outcome)
}

fn speedup_command(args: SpeedupArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    // A missing budget is an error before any log is read.
    for w in &spec.base {
        crate::score::speedup::missed_target_time(&spec, w)?;
    }
    // Unknown names are an error before any log is read.
    let available = crate::ingest::degenerate::submission_names(&args.submissions)?;
    let problems: Vec<_> = [("--base", &args.base), ("--comparison", &args.comparison)]
        .into_iter()
        .filter_map(|(option, name)| {
            crate::ingest::degenerate::unknown_name(&available, option, name, &args.submissions)
        })
        .collect();
    crate::ingest::degenerate::report(problems, false, &mut Default::default())?;
    // Times before any rule depend on the submission alone: read just the two.
    let selection = Selection {
        include: vec![args.base.clone(), args.comparison.clone()],
        ..Selection::default()
    };
    let outcome = score_tree(&spec, &args.submissions, selection)?;
    // After reading, so that a submission made only of re-run folders counts.
    for name in [&args.base, &args.comparison] {
        if outcome.leaderboard.row(name).is_none() {
            return Err(Error::Usage(format!(
                "{}: no submission `{name}` (no folder `{name}` or `{name}-<date>`)",
                args.submissions.display()
            )));
        }
    }
    let s =
        crate::score::speedup::speedup(&outcome.leaderboard, &spec, &args.base, &args.comparison)?;
    print_out(&report::speedup::speedup_table(&s))
}

fn leaderboard_command(args: LeaderboardArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    if !args.info_dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: info folder does not exist",
            args.info_dir.display()
        )));
    }
    if let (Some(file), Some(marker)) = (&args.update, &args.marker) {
        // Missing markers are an error before any log is read.
        let text = std::fs::read_to_string(file).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
        report::markdown::replace_between_markers(&text, marker, "", file)?;
    }
    let outcome = score_tree(&spec, &args.submissions, Selection::default())?;
    // Logs links are relative to the updated file's folder, or to the
    // current folder when the table is printed.
    let link_base = match &args.update {
        Some(file) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf(),
        None => PathBuf::from("."),
    };
    let mut rows = std::collections::BTreeMap::new();
    for name in &outcome.leaderboard.submissions {
        let info = crate::report::info::load(&args.info_dir, name)?;
        let logs = info
            .as_ref()
            .and_then(|i| i.logs.clone())
            .unwrap_or_else(|| {
                report::markdown::relative_link(&link_base, &args.submissions.join(name))
            });
        rows.insert(name.clone(), report::markdown::Row { info, logs });
    }
    let table = report::markdown::leaderboard_markdown(&outcome.leaderboard, &rows);
    match (&args.update, &args.marker) {
        (Some(file), Some(marker)) => {
            let changed = report::markdown::update_file(file, marker, &table)?;
            print_err(&format!(
                "{}: leaderboard between the `{marker}` markers {}\n",
                file.display(),
                if changed {
                    "updated"
                } else {
                    "already up to date"
                }
            ));
        }
        _ => print_out(&table)?,
    }
    Ok(())
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

/// Writes the man page (roff).
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)
}

// ---------------------------------------------------------------------------
// `check`: a submission checker for leaderboard pull requests.
// ---------------------------------------------------------------------------

/// `check`'s arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Ruleset spec (rulesets/*.toml) the submissions are checked against.
    #[arg(long, value_name = "FILE", required_unless_present = "explain")]
    pub spec: Option<PathBuf>,
    /// Submission folders, or folders of submission folders.
    #[arg(value_name = "SUBMISSION_DIR", required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,
    /// Terminal text grouped by code, one JSON document
    /// (schema/check.schema.json), or GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = CheckFormat::Terminal)]
    pub format: CheckFormat,
    /// Where trials' evaluations come from, as for scoring.
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Folder of <submission>/submission_info.yml files (as `leaderboard`
    /// takes); a submission without one is then an error.
    #[arg(long, value_name = "DIR")]
    pub info_dir: Option<PathBuf>,
    /// A submission folder without its own submission_info.yml is an error.
    #[arg(long)]
    pub require_info: bool,
    /// Warnings fail the check too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print what a code means and how to fix it, and nothing else.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["spec", "paths"])]
    pub explain: Option<String>,
}

/// `--format` values of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Terminal,
    Json,
    Github,
}

fn check_command(args: CheckArgs) -> Result<()> {
    use crate::check;
    if let Some(name) = &args.explain {
        let code = check::Code::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = check::CODES.iter().map(|c| c.name()).collect();
            let close = names
                .iter()
                .map(|n| (strsim::jaro_winkler(n, name), *n))
                .filter(|(d, _)| *d > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            Error::Usage(format!(
                "no check code `{name}`{close}; the codes are: {}",
                names.join(", ")
            ))
        })?;
        print_out(&code.explain_text())?;
        return Ok(());
    }
    let Some(spec_path) = &args.spec else {
        return Err(Error::Usage("--spec is required".into()));
    };
    let spec = spec::load(spec_path)?;
    if let Some(dir) = &args.info_dir {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "{}: info folder does not exist",
                dir.display()
            )));
        }
    }
    let options = check::Options {
        source: args.source.into(),
        info_dir: args.info_dir.clone(),
        require_info: args.require_info,
    };
    let report = check::check(&spec, &args.paths, &options);
    match args.format {
        CheckFormat::Terminal => print_out(&check::terminal(&report))?,
        CheckFormat::Json => {
            let doc = check::json(&report, &spec, &args.paths);
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&format!("{text}\n"))?;
        }
        CheckFormat::Github => {
            print_out(&check::github(&report))?;
            print_err(&format!("{}\n", check::output_summary(&report)));
        }
    }
    if report.fails(args.deny_warnings) {
        let (e, w) = (
            report.count(check::Severity::Error),
            report.count(check::Severity::Warning),
        );
        return Err(Error::CheckFailed(format!(
            "check failed: {e} error{}, {w} warning{}{}",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" },
            if args.deny_warnings && e == 0 {
                " (--deny-warnings)"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

/// `--html-stability N`: the page's intervals, from N bootstrap resamples
/// over studies with `stability`'s defaults otherwise.
fn page_stability(
    resamples: Option<usize>,
    spec: &spec::Spec,
    leaderboard: &crate::score::Leaderboard,
) -> Result<Option<report::html::Stability>> {
    use crate::score::stability;
    let Some(resamples) = resamples else {
        return Ok(None);
    };
    if resamples == 0 {
        return Err(Error::CommandLine(
            "--html-stability must be at least 1".into(),
        ));
    }
    let options = stability::Options {
        resamples,
        ..stability::Options::default()
    };
    let result = stability::stability(spec, leaderboard, &options)?;
    Ok(Some(report::html::Stability::of(&result)))
}

/// `stability`: see `score::stability`.
#[derive(Debug, Args)]
pub struct StabilityArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Only these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub include: Vec<String>,
    /// Leave out these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub exclude: Vec<String>,
    /// Bootstrap (random resamples) or jackknife (leave one study out).
    #[arg(long, value_enum, default_value_t = MethodArg::Bootstrap)]
    pub method: MethodArg,
    /// What a bootstrap resample draws with replacement.
    #[arg(long, value_enum, default_value_t = OverArg::Studies)]
    pub over: OverArg,
    /// Number of bootstrap resamples.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub resamples: usize,
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Interval level.
    #[arg(long, value_name = "P", default_value_t = 0.95)]
    pub level: f64,
    /// The table, or one JSON document (schema/stability.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the plot (each score with its interval, ordered by score)
    /// to FILE: PNG when FILE ends in .png, else SVG.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Worker threads for reading and resampling (default: all cores); the
    /// output does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `--method` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    Bootstrap,
    Jackknife,
}

/// `--over` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OverArg {
    Studies,
    Workloads,
    Both,
}

fn stability_command(args: StabilityArgs) -> Result<()> {
    use crate::score::stability::{self, Method, Over};
    let spec = spec::load(&args.spec)?;
    let options = stability::Options {
        method: match args.method {
            MethodArg::Bootstrap => Method::Bootstrap,
            MethodArg::Jackknife => Method::Jackknife,
        },
        over: match args.over {
            OverArg::Studies => Over::Studies,
            OverArg::Workloads => Over::Workloads,
            OverArg::Both => Over::Both,
        },
        resamples: args.resamples,
        seed: args.seed,
        level: args.level,
    };
    let selection = Selection {
        include: args.include,
        exclude: args.exclude,
        source: args.source.into(),
        ..Selection::default()
    };
    let threads = capped_threads(args.threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let result = pool.install(|| {
        let outcome = score_tree(&spec, &args.submissions, selection)?;
        stability::stability(&spec, &outcome.leaderboard, &options)
    })?;
    if let Some(file) = &args.plot {
        let is_png = file
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("png"));
        let drawn = if is_png {
            report::stability::png(&spec, &result)
        } else {
            report::stability::svg(&spec, &result).map(String::into_bytes)
        };
        let bytes = drawn.map_err(|e| Error::Write {
            path: file.clone(),
            source: std::io::Error::other(format!("cannot draw the plot: {e}")),
        })?;
        crate::fs::write_file(file, &bytes)?;
    }
    match args.format {
        Format::Table => print_out(&report::stability::table(&result))?,
        Format::Json => {
            let doc = report::stability::document(&spec, &result);
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&format!("{text}\n"))?;
        }
    }
    Ok(())
}

/// `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Spec A, and optionally spec B (default: A again).
    #[arg(long, value_name = "FILE", num_args = 1, action = clap::ArgAction::Append, required = true)]
    pub spec: Vec<PathBuf>,
    /// Submissions folder (leaderboard A, and B unless --submissions-b).
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// Submissions folder of leaderboard B.
    #[arg(long, value_name = "DIR")]
    pub submissions_b: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn compare_command(args: CompareArgs) -> Result<()> {
    if args.spec.len() > 2 {
        return Err(Error::Usage("compare takes one or two --spec".into()));
    }
    let spec_a = spec::load(&args.spec[0])?;
    let spec_b = match args.spec.get(1) {
        Some(p) => spec::load(p)?,
        None => spec_a.clone(),
    };
    let options = run::Options {
        selection: Selection {
            source: args.source.into(),
            ..Selection::default()
        },
        strict: false,
    };
    let tree_b = args.submissions_b.as_ref().unwrap_or(&args.submissions);
    let ia = run::read(&args.submissions, &spec_a, &options, &Silent)?;
    let ib = run::read(tree_b, &spec_b, &options, &Silent)?;
    let (a, wa) = run::score_only(&ia, &spec_a, &options)?;
    let (b, wb) = run::score_only(&ib, &spec_b, &options)?;
    print_err(&format!("{}{}", wa.render(), wb.render()));
    let c = crate::score::compare::compare(&ia, &a, &ib, &b);
    match args.format {
        Format::Table => print_out(&report::compare::table(&c))?,
        Format::Json => {
            let text = serde_json::to_string_pretty(&report::compare::document(&c))
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&format!("{text}\n"))?;
        }
    }
    Ok(())
}
