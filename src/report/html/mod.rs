//! `--html FILE`: the leaderboard as one self-contained HTML page — the
//! ranked table with the submitters' metadata, the performance-profile plot
//! (inline SVG), the submissions × workloads table of times and ratios with
//! each cell's explanation, the warnings and the provenance.
//!
//! Nothing is computed here: every number comes from the [`Leaderboard`],
//! every explanation from [`super::explain::explain`] (the `explain`
//! command's text). The page loads nothing: style and script are inline
//! (`style.css`, `script.js` beside this file), the plot is inline SVG, and
//! everything but the hover highlight works with scripts off. Every text
//! from a user's file (folder names, `submission_info.yml` fields, warning
//! locations) goes through [`esc`]. The markup is also well-formed XML
//! (void elements self-closed, the script in a CDATA section), which the
//! tests check with an XML parser.

mod cells;
pub mod packed;
mod svg;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::error::ReportError;
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Source;
use crate::report::files::SpecFiles;
use crate::report::info::SubmissionInfo;
use crate::score::Leaderboard;
use crate::spec::Spec;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

pub use super::escape::esc;

pub use super::links::http_link;

/// Where the page's numbers came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The spec and its targets file, hashed (as the manifest records them).
    pub files: SpecFiles,
    /// `submissions folder <path>` or `results cache <path>`.
    pub input: String,
    /// Which files the trials were read from.
    pub source: String,
    pub engine_version: String,
}

impl Provenance {
    /// Hashes the spec and its targets file (read again, as they are now).
    pub fn new(spec: &Spec, input: String, source: String) -> Result<Self> {
        let files = SpecFiles::hash(spec, |path, source| ReportError::Provenance {
            path,
            source,
        })?;
        Ok(Provenance {
            files,
            input,
            source,
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}

/// A closed interval of the stability analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// Stability results (`stability`, `--html-stability N`): per submission,
/// the score interval and the rank interval at `level`, P(rank 1) and
/// whether it is tied with #1; when a [`Page`] carries them the
/// leaderboard shows four more columns, and the profile its bands.
#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    /// E.g. `95% bootstrap over studies`.
    pub level: String,
    pub score: BTreeMap<String, Interval>,
    pub rank: BTreeMap<String, (usize, usize)>,
    /// Fraction of the resampled leaderboards where it ranks 1.
    pub p_first: BTreeMap<String, f64>,
    /// The group statistically tied with #1, #1 included.
    pub tied: std::collections::BTreeSet<String>,
    /// Whose tied-with-#1 verdict more resamples may turn.
    pub unsettled: std::collections::BTreeSet<String>,
    /// Per submission the pointwise band of ρ(τ) on the spec's τ grid.
    pub bands: Bands,
}

/// Submission → (lower, upper) bounds of its ρ(τ) band on the τ grid.
pub type Bands = BTreeMap<String, (Vec<f64>, Vec<f64>)>;

impl Stability {
    /// The page's view of a stability analysis (its intervals, as computed).
    pub fn of(result: &crate::score::stability::Stability) -> Stability {
        use crate::score::stability::{Method, Over};
        let o = &result.options;
        let what = match (o.method, o.over) {
            (Method::Jackknife, _) => "jackknife over studies (min–max)".to_string(),
            (Method::Bootstrap, over) => format!(
                "bootstrap over {}, {} resamples, seed {}",
                match over {
                    Over::Studies => "studies",
                    Over::Workloads => "workloads",
                    Over::Both => "studies and workloads",
                },
                o.resamples,
                o.seed
            ),
        };
        let rows = &result.rows;
        let names = |which: &[usize]| which.iter().map(|&i| rows[i].name.clone()).collect();
        let bands = result.bands.as_ref().map_or_else(BTreeMap::new, |b| {
            (rows.iter().zip(b.lo.iter().zip(&b.hi)))
                .map(|(r, (lo, hi))| (r.name.clone(), (lo.clone(), hi.clone())))
                .collect()
        });
        Stability {
            level: format!("{}% {what}", o.level * 100.0),
            p_first: rows.iter().map(|r| (r.name.clone(), r.p_first)).collect(),
            tied: names(&result.tied_with_first),
            unsettled: names(&result.unsettled),
            bands,
            score: rows
                .iter()
                .map(|r| {
                    let (lo, hi) = r.score_interval;
                    (r.name.clone(), Interval { lo, hi })
                })
                .collect(),
            rank: rows
                .iter()
                .map(|r| (r.name.clone(), r.rank_interval))
                .collect(),
        }
    }
}

/// Everything the page shows.
pub struct Page<'a> {
    pub spec: &'a Spec,
    pub leaderboard: &'a Leaderboard,
    pub warnings: &'a Warnings,
    /// `submission_info.yml` per submission (empty without `--info-dir`).
    pub info: &'a BTreeMap<String, SubmissionInfo>,
    /// Per submission its logs link: the info's http(s) `logs`, else its
    /// folder relative to the page ([`logs_links`]); none for neither.
    pub logs: &'a BTreeMap<String, String>,
    pub provenance: &'a Provenance,
    pub stability: Option<&'a Stability>,
    /// `--curves`: the training curves and ECDFs, as small multiples.
    pub curves: Option<&'a crate::report::curves::Curves>,
}

/// `submission_info.yml` of every scored submission that has one under
/// `info_dir` (none without `--info-dir`).
pub fn load_info(
    info_dir: Option<&Path>,
    lb: &Leaderboard,
) -> Result<BTreeMap<String, SubmissionInfo>> {
    let mut out = BTreeMap::new();
    let Some(dir) = info_dir else {
        return Ok(out);
    };
    if !dir.is_dir() {
        return Err(ReportError::NoInfoFolder {
            path: dir.to_path_buf(),
        }
        .into());
    }
    for name in &lb.submissions {
        if let Some(info) = crate::report::info::load(dir, name)? {
            out.insert(name.clone(), info);
        }
    }
    Ok(out)
}

/// Each submission's logs link as the Markdown leaderboard makes it
/// ([`crate::report::markdown::Row::new`]): the info's http(s) `logs`,
/// else, when the trials came from a folder, the submission's folder
/// relative to where the page goes.
pub fn logs_links(
    info: &BTreeMap<String, SubmissionInfo>,
    lb: &Leaderboard,
    origin: &Origin,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for name in &lb.submissions {
        let row = crate::report::markdown::Row::new(info.get(name).cloned(), || {
            let tree = origin.tree.as_ref()?;
            Some(crate::report::markdown::relative_link(
                &origin.link_base,
                &tree.join(name),
            ))
        });
        if !row.logs.is_empty() {
            out.insert(name.clone(), row.logs);
        }
    }
    out
}

/// The folder and file name of `--html FILE`, checked before any log is
/// read so that a bad path fails early.
pub fn check_target(path: &Path) -> Result<()> {
    let (dir, _) = split(path)?;
    super::files::check_output_target(dir)
}

/// Refuses a page that would go into the output folder `output` (at any
/// depth, symlinks resolved): written after the folder's files and their
/// manifest, it would replace one of them (`--html o/scores.csv`) or be a
/// file the manifest does not know. Checked before any log is read.
pub fn check_outside_output(page: &Path, output: &Path) -> Result<()> {
    let (dir, _) = split(page)?;
    if crate::fs::resolve(dir).starts_with(crate::fs::resolve(output)) {
        return Err(ReportError::PageInOutputFolder {
            page: page.to_path_buf(),
            output: output.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

fn split(path: &Path) -> Result<(&Path, String)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name =
        path.file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| ReportError::NotAFileName {
                path: path.to_path_buf(),
            })?;
    Ok((dir, name.to_string()))
}

/// Where the page's trials came from: its provenance's input and source;
/// the submissions folder, if any, and the folder its links start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub input: String,
    pub source: String,
    /// The submissions folder (none for a results cache, which does not
    /// record it).
    pub tree: Option<std::path::PathBuf>,
    /// Where the page goes: relative links start here (`.` by default).
    pub link_base: std::path::PathBuf,
}

impl Origin {
    /// Trials read from a submissions folder.
    pub fn folder(submissions: Option<&Path>, source: Source) -> Self {
        let source = match source {
            Source::Csv => "eval_measurements.csv of each trial (--source csv)",
            Source::Logs => "raw training logs (--source logs)",
            Source::Auto => {
                "eval_measurements.csv where a trial has one, else its raw training logs (--source auto)"
            }
        };
        Origin {
            input: format!(
                "submissions folder {}",
                submissions.unwrap_or(Path::new("?")).display()
            ),
            source: source.to_string(),
            tree: submissions.map(Path::to_path_buf),
            link_base: ".".into(),
        }
    }

    /// Links from the page written to `page` (start in its folder).
    pub fn linked_from(mut self, page: &Path) -> Self {
        if let Ok((dir, _)) = split(page) {
            self.link_base = dir.to_path_buf();
        }
        self
    }

    /// Trials from a results cache, which does not record where they were
    /// read from.
    pub fn cache(path: &Path) -> Self {
        Origin {
            input: format!("results cache {}", path.display()),
            source: "the series saved in the results cache (it does not record the folder or source it was read from)".into(),
            tree: None,
            link_base: ".".into(),
        }
    }
}

/// A scored run: spec, leaderboard, its warnings.
pub type Scored<'a> = (&'a Spec, &'a Leaderboard, &'a Warnings);

/// `--html FILE`: reads the metadata under `info_dir`, hashes the spec,
/// renders the page and writes it.
pub fn publish(
    path: &Path,
    scored: Scored,
    info_dir: Option<&Path>,
    origin: Origin,
    stability: Option<&Stability>,
) -> Result<()> {
    let origin = origin.linked_from(path);
    write_page(path, &page(scored, info_dir, origin, stability, None)?)
}

/// The page of `publish`, rendered, not written.
pub fn page(
    scored: Scored,
    info_dir: Option<&Path>,
    origin: Origin,
    stability: Option<&Stability>,
    curves: Option<&crate::report::curves::Curves>,
) -> Result<String> {
    let (spec, leaderboard, warnings) = scored;
    let info = load_info(info_dir, leaderboard)?;
    let logs = logs_links(&info, leaderboard, &origin);
    let provenance = Provenance::new(spec, origin.input, origin.source)?;
    let page = Page {
        spec,
        leaderboard,
        warnings,
        info: &info,
        logs: &logs,
        provenance: &provenance,
        stability,
        curves,
    };
    Ok(render(&page))
}

/// Writes a rendered page and says so.
pub fn write_page(path: &Path, page: &str) -> Result<()> {
    write(path, page)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Writes the page whole or not at all (see [`super::files::write_all`]).
pub fn write(path: &Path, html: &str) -> Result<()> {
    let (dir, name) = split(path)?;
    super::files::write_all(dir, &[(name, html.as_bytes().to_vec())])
}

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut s = String::with_capacity(512 * 1024);
    head(&mut s, page);
    leaderboard_section(&mut s, page);
    profile_section(&mut s, page);
    curves_section(&mut s, page);
    cells::matrix_section(&mut s, page);
    warnings_section(&mut s, page.warnings);
    provenance_section(&mut s, page);
    s.push_str("</main>\n<script>//<![CDATA[\n");
    s.push_str(SCRIPT);
    s.push_str("//]]></script>\n</body>\n</html>\n");
    s
}

/// `--curves`: one panel per workload of the training curves, then of the
/// time-to-target ECDFs; pointing at a submission in the legend or the
/// tables brings out its lines here too.
fn curves_section(s: &mut String, page: &Page) {
    use crate::report::curves::svg::{curves_svg, ecdf_svg, Size};
    let Some(curves) = page.curves else {
        return;
    };
    let log = curves.log_time;
    s.push_str(
        "<section id=\"curves\">\n<h2>Training curves</h2>\n<p class=\"rules\">Per workload, \
         the validation metric against time of each study's picked trial (the \
         <code>curves_&lt;workload&gt;.svg</code> files of <code>--curves</code> draw every \
         trial); the target as a horizontal line, the budget as a vertical one. Colours and \
         dashes as in the profile.</p>\n<div class=\"panels\">\n",
    );
    for w in &curves.workloads {
        s.push_str(&curves_svg(w, log, &Size::PANEL));
        s.push('\n');
    }
    s.push_str(
        "</div>\n<h2>Time to target</h2>\n<p class=\"rules\">Per workload, the empirical \
         distribution (ECDF) of each submission's time to target over all its trials and \
         studies: the fraction of trials that had reached the target by each time. Trials \
         that missed are counted at the right edge, past the budget.</p>\n\
         <div class=\"panels\">\n",
    );
    for w in &curves.workloads {
        s.push_str(&ecdf_svg(w, log, &Size::PANEL));
        s.push('\n');
    }
    s.push_str("</div>\n</section>\n");
}

fn page_title(spec: &Spec) -> String {
    format!(
        "{} {} {} leaderboard",
        spec.name, spec.version, spec.ruleset
    )
}

fn head(s: &mut String, page: &Page) {
    let title = esc(&page_title(page.spec));
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"algoperf-engine {}\"/>\n<title>{title}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n",
        esc(&page.provenance.engine_version)
    );
    if let Some(d) = &page.spec.description {
        let _ = writeln!(s, "<p class=\"lead\">{}</p>", esc(d));
    }
    s.push_str(
        "<nav aria-label=\"Sections\"><ul><li><a href=\"#leaderboard\">Leaderboard</a></li>\
         <li><a href=\"#profile\">Performance profiles</a></li>\
         <li><a href=\"#workloads\">Times and ratios</a></li>\
         <li><a href=\"#warnings\">Warnings</a></li>\
         <li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n</header>\n<main>\n",
    );
}

/// Index of each scored row in score order: the plot's colour index.
pub(crate) fn order(lb: &Leaderboard) -> Vec<(usize, usize, usize)> {
    lb.ranking()
        .into_iter()
        .enumerate()
        .map(|(i, (rank, row))| (i, rank, row))
        .collect()
}

fn submission_cell(name: &str, info: Option<&SubmissionInfo>, i: usize) -> String {
    let shown = info
        .map(|x| x.name.as_str())
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    // A break opportunity after each `_`, so that a long folder name
    // wraps at its words on a phone rather than anywhere.
    let mut c = format!(
        "{}<span class=\"name\">{}</span>",
        svg::swatch(i),
        esc(shown).replace('_', "_<wbr/>")
    );
    if shown != name {
        let _ = write!(c, " <code class=\"folder\">{}</code>", esc(name));
    }
    if let Some(d) = info
        .map(|x| x.description.as_str())
        .filter(|d| !d.is_empty())
    {
        let _ = write!(
            c,
            "<details class=\"desc\"><summary>description</summary><p>{}</p></details>",
            with_links(d)
        );
    }
    c
}

/// A metadata text, escaped, its Markdown links to http(s) URLs made links
/// (the Markdown table's rule, [`crate::report::markdown::http_markdown_link`]);
/// any other `[…](…)` stays text.
pub fn with_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&esc(&rest[..i]));
        rest = &rest[i..];
        match crate::report::markdown::http_markdown_link(rest) {
            Some(link) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                    esc(link.url),
                    esc(link.label)
                );
                rest = &rest[link.len..];
            }
            None => {
                out.push('[');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(&esc(rest));
    out
}

fn stability_cells(page: &Page, name: &str) -> String {
    let Some(st) = page.stability else {
        return String::new();
    };
    let score = st
        .score
        .get(name)
        .map(|iv| format!("{:.4} – {:.4}", iv.lo, iv.hi))
        .unwrap_or_else(|| "—".into());
    let rank = st
        .rank
        .get(name)
        .map(|(a, b)| format!("{a} – {b}"))
        .unwrap_or_else(|| "—".into());
    let p = st
        .p_first
        .get(name)
        .map(|p| format!("{p:.3}"))
        .unwrap_or_else(|| "—".into());
    let tied = match (st.tied.contains(name), st.unsettled.contains(name)) {
        (true, false) => "= #1",
        (true, true) => "= #1 (unsettled)",
        (false, true) => "(unsettled)",
        (false, false) => "",
    };
    format!(
        "<td class=\"num\">{score}</td><td class=\"num\">{rank}</td>\
         <td class=\"num\">{p}</td><td>{tied}</td>"
    )
}

fn leaderboard_head(s: &mut String, page: &Page) {
    // The spec's own score formula: any the language allows.
    let score = format!("<code>{}</code>", esc(&page.spec.score.text));
    // `has-info`: columns 3–6 are the metadata, which a phone hides.
    let class = if page.info.is_empty() {
        "lb"
    } else {
        "lb has-info"
    };
    let _ = write!(
        s,
        "<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n<div class=\"scroll\">\
         <table class=\"{class}\">\n<caption>Submissions by benchmark score ({score}); \
         solved = base workloads within τ max.</caption>\n<thead><tr><th scope=\"col\">Rank</th>\
         <th scope=\"col\">Submission</th>"
    );
    if !page.info.is_empty() {
        s.push_str(
            "<th scope=\"col\">Authors</th><th scope=\"col\">Affiliation</th>\
             <th scope=\"col\">Framework</th><th scope=\"col\">Logs</th>",
        );
    }
    s.push_str("<th scope=\"col\">Score</th><th scope=\"col\">Solved</th>");
    if let Some(st) = page.stability {
        let _ = write!(
            s,
            "<th scope=\"col\">Score interval ({0})</th><th scope=\"col\">Rank interval ({0})</th>\
             <th scope=\"col\">P(rank 1)</th><th scope=\"col\">Tied with #1</th>",
            esc(&st.level)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
}

/// Authors, affiliation, framework and logs link; nothing when the page
/// has no metadata at all (no `--info-dir`).
fn info_cells(page: &Page, name: &str, info: Option<&SubmissionInfo>) -> String {
    if page.info.is_empty() {
        return String::new();
    }
    let field = |f: fn(&SubmissionInfo) -> &str| esc(info.map(f).unwrap_or(""));
    let logs = page
        .logs
        .get(name)
        .map(|u| {
            format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">logs</a>",
                esc(&crate::report::markdown::link_target(u))
            )
        })
        .unwrap_or_default();
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{logs}</td>",
        field(|x| &x.authors),
        field(|x| &x.affiliations),
        field(|x| &x.framework)
    )
}

fn leaderboard_section(s: &mut String, page: &Page) {
    let lb = page.leaderboard;
    leaderboard_head(s, page);
    for (i, rank, row) in order(lb) {
        let name = &lb.submissions[row];
        let info = page.info.get(name);
        let _ = writeln!(
            s,
            "<tr data-sub=\"{row}\"><td class=\"num\">{rank}</td><th scope=\"row\">{}</th>{}\
             <td class=\"num score\">{:.4}</td><td class=\"num\">{}/{}</td>{}</tr>",
            submission_cell(name, info, i),
            info_cells(page, name, info),
            lb.rules.scores[row],
            lb.solved(row, page.spec.tau.max),
            lb.rules.base.len(),
            stability_cells(page, name)
        );
    }
    s.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn profile_section(s: &mut String, page: &Page) {
    let lb = page.leaderboard;
    s.push_str(
        "<section id=\"profile\">\n<h2>Performance profiles</h2>\n<figure>\n\
         <div class=\"plot\">",
    );
    let bands = page.stability.map(|st| &st.bands);
    s.push_str(&svg::profile_svg(lb, page.spec, bands));
    s.push_str("</div>\n<ol class=\"legend\" aria-label=\"Legend, by score\">\n");
    for (i, _, row) in order(lb) {
        let _ = writeln!(
            s,
            "<li data-sub=\"{row}\" tabindex=\"0\">{}<span class=\"name\">{}</span> \
             <span class=\"num\">({:.4})</span></li>",
            svg::swatch(i),
            esc(&lb.submissions[row]),
            lb.rules.scores[row]
        );
    }
    let band = match page.stability {
        Some(st) if !st.bands.is_empty() => format!(
            " Shaded around each line: its pointwise percentile band ({}): at every τ, the \
             interval of ρ(τ) over the same resampled leaderboards as the leaderboard's \
             intervals (a band per τ, not a region for the whole curve).",
            esc(&st.level)
        ),
        _ => String::new(),
    };
    let _ = write!(
        s,
        "</ol>\n<figcaption>ρ(τ): the fraction of the {} base workloads a submission \
         solved within τ times the best time.{band} Point at a legend entry or a table row \
         to bring out its line.</figcaption>\n</figure>\n</section>\n",
        lb.rules.base.len()
    );
}

/// The run's warnings, grouped by wording (a diagnostic's summary) and by
/// whether `--strict` fails on them, each group listing its examples.
fn warnings_section(s: &mut String, warnings: &Warnings) {
    s.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
    let diagnostics = warnings.diagnostics();
    let mut groups: BTreeMap<(&str, bool), Vec<String>> = BTreeMap::new();
    for d in &diagnostics {
        groups
            .entry((d.summary(), d.fatal_under_strict()))
            .or_default()
            .push(d.example());
    }
    if groups.is_empty() {
        s.push_str("<p>None.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        s,
        "<p>{} warnings of {} kinds. <em>warning</em>: an error under \
         <code>--strict</code>; <em>note</em>: nothing scored was lost.</p>\n<ul class=\"warn\">",
        diagnostics.len(),
        groups.len()
    );
    for ((summary, fatal), locations) in &groups {
        let kind = if *fatal { "warning" } else { "note" };
        let _ = write!(
            s,
            "<li><details><summary><strong>{kind}</strong> {} <span class=\"count\">({}×)</span>\
             </summary><ul>",
            esc(summary),
            locations.len()
        );
        for l in locations {
            let _ = write!(s, "<li><code>{}</code></li>", esc(l));
        }
        s.push_str("</ul></details></li>\n");
    }
    s.push_str("</ul>\n</section>\n");
}

fn provenance_section(s: &mut String, page: &Page) {
    let p = page.provenance;
    let spec = page.spec;
    let _ = write!(
        s,
        "<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl>\n\
         <dt>Spec</dt><dd>{} {} {} — <code>{}</code><br/>SHA-256 <code class=\"hash\">{}</code></dd>\n\
         <dt>Targets</dt><dd><code>{}</code><br/>SHA-256 <code class=\"hash\">{}</code></dd>\n\
         <dt>Input</dt><dd>{}</dd>\n<dt>Source</dt><dd>{}</dd>\n\
         <dt>Engine</dt><dd>algoperf-engine {}</dd>\n</dl>\n</section>\n",
        esc(&spec.name),
        esc(&spec.version),
        esc(&spec.ruleset),
        esc(&p.files.spec.display().to_string()),
        esc(&p.files.spec_sha256),
        esc(&p.files.targets.display().to_string()),
        esc(&p.files.targets_sha256),
        esc(&p.input),
        esc(&p.source),
        esc(&p.engine_version)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            esc("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{fffd}"
        );
    }
}
