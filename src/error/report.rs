//! Errors of writing a run's outputs and of reading what the reports add to
//! them (a `submission_info.yml`, a Markdown file to update, the spec for
//! the provenance), each saying which it is.

use std::path::PathBuf;

/// Errors of the report stage.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: cannot write output: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An input of a report (the Markdown file `--update` rewrites, a spec
    /// file hashed for the provenance) that cannot be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot read for the report's provenance: {source}", path.display())]
    Provenance {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A page (`--html`) inside the `--output-dir` folder, whose files are
    /// the run's, listed in its manifest.
    #[error("--html {}: the page cannot go into the --output-dir folder {} (its files are the run's, as its manifest lists them); write the page outside it", page.display(), output.display())]
    PageInOutputFolder { page: PathBuf, output: PathBuf },
    #[error("{}: cannot draw the plot: {source}", path.display())]
    Plot { path: PathBuf, source: PlotError },
    #[error("output folder {} is inside the submissions folder {}: outputs would be read as logs next time", output.display(), submissions.display())]
    OutputInsideSubmissions {
        output: PathBuf,
        submissions: PathBuf,
    },
    #[error("results cache {} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time", cache.display(), submissions.display())]
    CacheInsideSubmissions {
        cache: PathBuf,
        submissions: PathBuf,
    },
    #[error("{} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time", path.display(), submissions.display())]
    FileInsideSubmissions { path: PathBuf, submissions: PathBuf },
    #[error("{}: not a file name", path.display())]
    NotAFileName { path: PathBuf },
    #[error("{}: info folder does not exist", path.display())]
    NoInfoFolder { path: PathBuf },
    #[error("{}: {problem}", path.display())]
    Info { path: PathBuf, problem: InfoProblem },
    /// The markers `--update` replaces the table between are missing or
    /// repeated.
    #[error("{}: {} (the table goes between `{begin}` and `{end}`)", file.display(), problem.describe(begin, end))]
    Markers {
        file: PathBuf,
        problem: MarkerProblem,
        begin: String,
        end: String,
    },
    #[error("cannot render JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What is wrong with a `submission_info.yml` (without its path).
#[derive(Debug, thiserror::Error)]
pub enum InfoProblem {
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("nested {depth} levels deep, more than {max}")]
    TooDeep { depth: usize, max: usize },
    #[error("not valid YAML: {0}")]
    Yaml(serde_norway::Error),
    #[error("expected a mapping of keys (submission_name, authors, …) at the top")]
    NotAMapping,
}

/// How the table markers of a Markdown file are wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerProblem {
    NoBegin,
    BeginTwice,
    EndBeforeBegin,
    NoEnd,
    EndTwice,
}

impl MarkerProblem {
    /// The problem, naming the `begin` and `end` markers.
    fn describe(&self, begin: &str, end: &str) -> String {
        match self {
            MarkerProblem::NoBegin => format!("no `{begin}` marker"),
            MarkerProblem::BeginTwice => format!("the `{begin}` marker appears twice"),
            MarkerProblem::EndBeforeBegin => format!("`{end}` comes before `{begin}`"),
            MarkerProblem::NoEnd => format!("no `{end}` marker"),
            MarkerProblem::EndTwice => format!("the `{end}` marker appears twice"),
        }
    }
}

/// Why a plot could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("the bundled font assets/DejaVuSans.ttf cannot be read")]
    Font,
    #[error("{0}")]
    Glyphs(ab_glyph::InvalidFont),
    /// The drawing backend's own message (its error type is generic over
    /// the backend).
    #[error("{0}")]
    Draw(String),
    #[error("{0}")]
    Png(#[from] png::EncodingError),
}
