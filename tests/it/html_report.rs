//! The HTML leaderboard page (`--html`, `report --load-results … --html`):
//! well-formed markup, hostile names and metadata escaped, each cell's
//! class and explanation as the leaderboard and `explain` give them, the
//! v0.5 page's size and content. The browser tests are in html_browser.rs.

use crate::common;
use crate::fixtures;

use std::collections::BTreeMap;
use std::path::Path;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::{explain, html};
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;
use fixtures::{cli, csv_text, Tree};
use roxmltree::{Document, Node, ParsingOptions};
use sha2::{Digest, Sha256};

/// Parses the page as XML (the page is written to be well-formed XHTML).
fn parse(text: &str) -> Document<'_> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

fn class_has(n: &Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// All text under a node, as a reader sees it.
fn text(n: &Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

fn elements<'a, 'i>(doc: &'a Document<'i>, tag: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants().filter(|n| n.has_tag_name(tag)).collect()
}

/// The matrix cells: (submission, workload) → (class, summary text,
/// tooltip, explanation text).
type Cells = BTreeMap<(String, String), (String, String, String, String)>;

/// Standard base64 back to bytes (the page's `atob`), written here
/// independently of the engine's encoder.
fn from_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &d)| n | u32::from(d) << (18 - 6 * k));
        for k in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    out
}

/// The page's packed explanations, unpacked as the page's script does:
/// `[row][column]` texts, rows as the leaderboard's.
fn explanations(doc: &Document) -> Vec<Vec<String>> {
    let block = doc
        .descendants()
        .find(|n| n.has_tag_name("script") && n.attribute("id") == Some("explanations"))
        .expect("the explanations block");
    assert_eq!(block.attribute("type"), Some("application/json"));
    let meta: serde_json::Value = serde_json::from_str(&text(&block)).expect("JSON block");
    let packed = from_base64(meta["data"].as_str().expect("data"));
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::ZlibDecoder::new(&packed[..]), &mut json)
        .expect("zlib");
    serde_json::from_str(&json).expect("JSON texts")
}

fn matrix_cells(doc: &Document) -> Cells {
    let whys = explanations(doc);
    let table = doc
        .descendants()
        .find(|n| n.has_tag_name("table") && class_has(n, "m"))
        .expect("the workloads table");
    let head: Vec<String> = table
        .descendants()
        .filter(|n| n.has_tag_name("thead"))
        .flat_map(|h| h.descendants().filter(|n| n.has_tag_name("th")))
        .map(|th| {
            th.children()
                .filter(|c| !c.has_tag_name("small"))
                .map(|c| text(&c))
                .collect::<String>()
        })
        .collect();
    let mut out = BTreeMap::new();
    for tr in table
        .descendants()
        .filter(|n| n.has_tag_name("tbody"))
        .flat_map(|b| b.children().filter(|n| n.has_tag_name("tr")))
    {
        let cells: Vec<Node> = tr.children().filter(|n| n.is_element()).collect();
        let sub = text(&cells[0]);
        for (c, td) in cells.iter().enumerate().skip(1) {
            let summary = td
                .descendants()
                .find(|n| n.has_tag_name("summary"))
                .expect("summary");
            let pre = td
                .descendants()
                .find(|n| n.has_tag_name("pre"))
                .expect("explanation");
            assert_eq!(text(&pre), "", "filled in when opened");
            let id = td.attribute("id").expect("cell id");
            let at: Vec<usize> = id
                .strip_prefix("cell-")
                .expect("cell-<row>-<column>")
                .split('-')
                .map(|x| x.parse().expect("index"))
                .collect();
            out.insert(
                (sub.clone(), head[c].clone()),
                (
                    td.attribute("class").unwrap_or("").to_string(),
                    text(&summary),
                    td.attribute("title").unwrap_or("").to_string(),
                    whys[at[0]][at[1]].clone(),
                ),
            );
        }
    }
    out
}

/// Nothing is loaded from elsewhere, the one script is ours, and no
/// attribute runs code.
fn assert_self_contained(doc: &Document) {
    let scripts = elements(doc, "script");
    let code: Vec<&Node> = scripts
        .iter()
        .filter(|n| n.attribute("type") != Some("application/json"))
        .collect();
    assert_eq!(code.len(), 1, "one inline script");
    assert_eq!(scripts.len(), 2, "and the packed explanations");
    assert!(scripts.iter().all(|n| n.attribute("src").is_none()));
    assert!(elements(doc, "link").is_empty(), "no stylesheet link");
    assert!(elements(doc, "img").is_empty(), "no image element");
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            assert!(
                !a.name().to_ascii_lowercase().starts_with("on"),
                "event attribute {}={:?} on <{}>",
                a.name(),
                a.value(),
                n.tag_name().name()
            );
            assert!(a.name() != "src", "src on <{}>", n.tag_name().name());
        }
    }
}

// --- a small tree with hostile names ---------------------------------------

/// A folder name cannot hold `/`; everything else HTML fears, it can.
const HOSTILE: &str = "<b>\"bold\" & 'x' <script>alert(1)";
const LOGS_URL: &str = "https://example.org/logs?a=1&b=\"2\"";
/// Markdown links in a description: only the http(s) one becomes a link.
const FAST_DESCRIPTION: &str =
    "See [the <paper>](https://arxiv.org/abs/1?a=1&b=2) and [x](javascript:alert(3)) [y](ftp://z).";

/// (time, metric) rows of a trial file.
type Rows = Vec<(f64, f64)>;

/// Three submissions over alpha (base), its held-out variant alpha_v and
/// beta, one study of one trial each: the hostile one solves everything;
/// `fast` is best on alpha but cut off on beta (100 s > 4 × 20 s); `slow`
/// misses alpha and never ran alpha_v.
fn hostile_tree() -> (Tree, std::path::PathBuf) {
    let tree = Tree::new();
    let rows = |t: f64, good: f64, bad: f64| vec![(t / 2.0, bad), (t, good)];
    let loss = |t: f64| rows(t, 0.9, 3.0);
    let runs: [(&str, &str, Rows); 8] = [
        (HOSTILE, "alpha_jax", loss(10.0)),
        (HOSTILE, "alpha_v_jax", rows(12.0, 1.5, 3.0)),
        (HOSTILE, "beta_jax", rows(20.0, 0.6, 0.1)),
        ("fast", "alpha_jax", loss(5.0)),
        ("fast", "alpha_v_jax", rows(6.0, 1.5, 3.0)),
        ("fast", "beta_jax", rows(100.0, 0.6, 0.1)),
        ("slow", "alpha_jax", vec![(1.0, 3.0), (2.0, 2.0)]),
        ("slow", "beta_jax", rows(30.0, 0.6, 0.1)),
    ];
    for (sub, folder, r) in &runs {
        tree.write(
            &format!("{sub}/study_0/{folder}/trial_1/eval_measurements.csv"),
            csv_text(fixtures::metric_of(folder), r),
        );
    }
    let spec_dir = tree.dir.path().join("spec_h");
    std::fs::create_dir_all(&spec_dir).expect("mkdir");
    std::fs::write(spec_dir.join("targets.toml"), fixtures::TARGETS).expect("targets");
    let spec = spec_dir.join("test.toml");
    std::fs::write(
        &spec,
        fixtures::ruleset_with(fixtures::COMPATIBLE, true, 1, 1),
    )
    .expect("spec");
    let info = tree.dir.path().join("info");
    let write_info = |sub: &str, yaml: &str| {
        std::fs::create_dir_all(info.join(sub)).expect("mkdir info");
        std::fs::write(info.join(sub).join("submission_info.yml"), yaml).expect("info");
    };
    write_info(
        HOSTILE,
        "authors: '<img src=x onerror=alert(1)>'\naffiliations: A & B\nframework: JAX\n\
         logs: 'javascript:alert(1)'\ndescription: '</details><script>alert(2)</script>'\n",
    );
    write_info(
        "fast",
        &format!("logs: '{LOGS_URL}'\nframework: PyTorch\ndescription: '{FAST_DESCRIPTION}'\n"),
    );
    (tree, spec)
}

/// `%XX` escapes back to bytes (the engine's link targets encode spaces,
/// parentheses, `<`, `>`, `|` and controls).
fn percent_decode(link: &str) -> String {
    let bytes = link.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn hostile_names_are_escaped_and_cells_say_why() {
    let (tree, spec) = hostile_tree();
    let page = tree.dir.path().join("out/page.html");
    let info = tree.dir.path().join("info");
    cli(&[
        "--spec",
        s(&spec),
        "--submissions",
        s(&tree.subs()),
        "--html",
        s(&page),
        "--info-dir",
        s(&info),
    ])
    .expect("scoring with --html");
    let html_text = std::fs::read_to_string(&page).expect("page written");
    assert!(html_text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let doc = parse(&html_text);
    assert_self_contained(&doc);

    // The hostile name and metadata are text, shown as written.
    let lb_rows: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.attribute("data-sub").is_some())
        .filter(|n| n.ancestors().any(|a| class_has(&a, "lb")))
        .collect();
    let names: Vec<String> = lb_rows
        .iter()
        .map(|r| {
            let name = r
                .descendants()
                .find(|n| class_has(n, "name"))
                .expect("name");
            text(&name)
        })
        .collect();
    assert_eq!(names, [HOSTILE, "fast", "slow"], "by score");
    let hostile_row: Vec<String> = lb_rows[0]
        .children()
        .filter(|n| n.has_tag_name("td"))
        .map(|n| text(&n))
        .collect();
    assert_eq!(
        hostile_row[1..4],
        ["<img src=x onerror=alert(1)>", "A & B", "JAX"]
    );
    // A javascript: logs link is not followed: the cell links the
    // submission's folder instead, as the Markdown leaderboard does; so
    // does the row of `slow`, which has no info file.
    assert_eq!(hostile_row[4], "logs");
    let desc = lb_rows[0]
        .descendants()
        .find(|n| n.has_tag_name("p"))
        .expect("description");
    assert_eq!(text(&desc), "</details><script>alert(2)</script>");
    let links: Vec<&str> = elements(&doc, "a")
        .iter()
        .filter_map(|a| a.attribute("href"))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert_eq!(links.len(), 4, "{links:?}");
    assert_eq!(
        links[1], "https://arxiv.org/abs/1?a=1&b=2",
        "the description's link"
    );
    assert_eq!(links[2], LOGS_URL, "the http(s) logs link");
    let page_dir = page.parent().expect("page folder");
    for (link, sub) in [(links[0], HOSTILE), (links[3], "slow")] {
        let decoded = percent_decode(link);
        assert!(decoded.starts_with("../"), "relative to the page: {link}");
        assert_eq!(
            page_dir
                .join(&decoded)
                .canonicalize()
                .unwrap_or_else(|e| panic!("the link resolves: {link} ({decoded}): {e}")),
            tree.subs().join(sub).canonicalize().expect("folder"),
            "{link}"
        );
    }
    let fast_desc = lb_rows[1]
        .descendants()
        .find(|n| n.has_tag_name("p"))
        .expect("description");
    assert_eq!(
        text(&fast_desc),
        FAST_DESCRIPTION.replace(
            "[the <paper>](https://arxiv.org/abs/1?a=1&b=2)",
            "the <paper>"
        )
    );
    let anchor = fast_desc
        .children()
        .find(|n| n.has_tag_name("a"))
        .expect("a link in the description");
    assert_eq!(text(&anchor), "the <paper>");
    assert_eq!(anchor.attribute("rel"), Some("noopener noreferrer"));

    // Cells: class, what the summary says, the rule named.
    let cells = matrix_cells(&doc);
    let cell = |sub: &str, w: &str| cells[&(sub.to_string(), w.to_string())].clone();
    let expect = [
        (HOSTILE, "alpha", "q2", "◑ 2.00", "10 s"),
        (HOSTILE, "alpha_v", "ho", "✓ kept", "12 s"),
        (HOSTILE, "beta", "q0", "★ 1.00", "20 s"),
        ("fast", "alpha", "q0", "★ 1.00", "5 s"),
        ("fast", "beta", "cut", "✂ rule 2", "100 s"),
        ("slow", "alpha", "miss", "✗ missed", "target"),
        ("slow", "alpha_v", "nrun", "— not run", ""),
        ("slow", "beta", "q1", "◕ 1.50", "30 s"),
    ];
    for (sub, w, class, first, second) in expect {
        let (c, summary, _, why) = cell(sub, w);
        assert_eq!(
            (c.as_str(), summary.as_str()),
            (class, format!("{first}{second}").as_str()),
            "{sub} on {w}"
        );
        assert!(
            why.starts_with(&format!("{sub} on {w} (")),
            "{sub} on {w}: {why}"
        );
    }
    let (_, _, title, why) = cell("fast", "beta");
    assert_eq!(
        title,
        "cut off by rule 2: all := inf where time > 4.0 * best"
    );
    assert!(
        why.contains("100.0 s → ∞: time 100.0 s, best 20.0 s"),
        "{why}"
    );
    assert!(html_text.contains("&lt;b&gt;&quot;bold&quot; &amp; &#39;x&#39; &lt;script&gt;"));
}

#[test]
fn report_from_a_cache_is_the_page_of_the_logs() {
    let (tree, spec) = hostile_tree();
    let dir = tree.dir.path();
    let (from_logs, from_cache, cache) = (
        dir.join("logs.html"),
        dir.join("cache.html"),
        dir.join("r.cache"),
    );
    cli(&[
        "--spec",
        s(&spec),
        "--submissions",
        s(&tree.subs()),
        "--save-results",
        s(&cache),
        "--output-dir",
        s(&dir.join("out")),
        "--html",
        s(&from_logs),
    ])
    .expect("scoring with --html and --output-dir");
    assert!(dir.join("out/scores.csv").is_file(), "outputs written too");
    cli(&[
        "report",
        "--spec",
        s(&spec),
        "--load-results",
        s(&cache),
        "--html",
        s(&from_cache),
    ])
    .expect("report from the cache");
    let a = std::fs::read_to_string(&from_logs).expect("page");
    let b = std::fs::read_to_string(&from_cache).expect("page");
    // Everything but the provenance's input and source lines is the same.
    let cut = |t: &str| t[..t.find("<dt>Input</dt>").expect("provenance")].to_string();
    assert_eq!(cut(&a), cut(&b));
    assert!(a.contains(&format!(
        "<dt>Input</dt><dd>submissions folder {}</dd>",
        tree.subs().display()
    )));
    assert!(b.contains(&format!(
        "<dt>Input</dt><dd>results cache {}</dd>",
        cache.display()
    )));
    // Rendering is deterministic.
    cli(&[
        "report",
        "--spec",
        s(&spec),
        "--load-results",
        s(&cache),
        "--html",
        s(&from_logs),
    ])
    .expect("again");
    assert_eq!(std::fs::read_to_string(&from_logs).expect("page"), b);
}

#[test]
fn a_bad_html_path_fails_before_reading() {
    let (tree, spec) = hostile_tree();
    let file = tree.dir.path().join("a_file");
    std::fs::write(&file, "x").expect("write");
    let target = file.join("page.html");
    let e = cli(&[
        "--spec",
        s(&spec),
        "--submissions",
        "/nonexistent/submissions",
        "--html",
        s(&target),
    ])
    .expect_err("a file where the page's folder should be");
    assert!(e.contains("a_file is a file, not a folder"), "{e}");
}

#[test]
fn stability_columns_only_when_given() {
    let (tree, spec_path) = hostile_tree();
    let spec = spec::load(&spec_path).expect("spec");
    let ingested = run::read(&tree.subs(), &spec, &Options::default(), &Silent).expect("read");
    let (lb, warnings) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let provenance = html::Provenance::new(&spec, "in".into(), "src".into()).expect("hashes");
    let info = BTreeMap::new();
    let mut page = html::Page {
        spec: &spec,
        leaderboard: &lb,
        warnings: &warnings,
        info: &info,
        logs: &BTreeMap::new(),
        provenance: &provenance,
        stability: None,
        curves: None,
    };
    let without = html::render(&page);
    assert!(!without.contains("interval"));
    assert!(
        !without.contains("<th scope=\"col\">Authors</th>"),
        "no --info-dir"
    );
    let stability = html::Stability {
        level: "90%".into(),
        score: BTreeMap::from([("fast".to_string(), html::Interval { lo: 0.25, hi: 0.5 })]),
        rank: BTreeMap::from([("fast".to_string(), (1, 3))]),
        p_first: BTreeMap::from([("fast".to_string(), 0.125)]),
        tied: ["fast".to_string()].into(),
        unsettled: ["fast".to_string()].into(),
        bands: BTreeMap::new(),
    };
    page.stability = Some(&stability);
    let with = html::render(&page);
    parse(&with);
    assert!(with.contains("<th scope=\"col\">Score interval (90%)</th>"));
    assert!(with.contains(
        "<td class=\"num\">0.2500 – 0.5000</td><td class=\"num\">1 – 3</td>\
         <td class=\"num\">0.125</td><td>= #1 (unsettled)</td>"
    ));
    assert_eq!(
        with.matches("<td class=\"num\">—</td>").count(),
        6,
        "two rows without"
    );
    assert!(!with.contains("class=\"band\""), "no bands given");
}

/// `--html-stability N` from the logs and `report --html-stability N` from
/// a cache make the same page: the intervals, P(rank 1), the group tied
/// with #1 and one band per submission under the profile's lines.
#[test]
fn stability_on_the_page_from_logs_and_from_a_cache() {
    let (tree, spec) = hostile_tree();
    let dir = tree.dir.path();
    let (from_logs, from_cache, cache) = (
        dir.join("logs.html"),
        dir.join("cache.html"),
        dir.join("r.cache"),
    );
    cli(&[
        "--spec",
        s(&spec),
        "--submissions",
        s(&tree.subs()),
        "--save-results",
        s(&cache),
        "--html",
        s(&from_logs),
        "--html-stability",
        "200",
    ])
    .expect("scoring with --html-stability");
    cli(&[
        "report",
        "--spec",
        s(&spec),
        "--load-results",
        s(&cache),
        "--html",
        s(&from_cache),
        "--html-stability",
        "200",
    ])
    .expect("report --html-stability");
    let a = std::fs::read_to_string(&from_logs).expect("page");
    let b = std::fs::read_to_string(&from_cache).expect("page");
    let cut = |t: &str| t[..t.find("<dt>Input</dt>").expect("provenance")].to_string();
    assert_eq!(cut(&a), cut(&b));
    let doc = parse(&a);
    assert_self_contained(&doc);
    assert!(a.contains("<th scope=\"col\">P(rank 1)</th><th scope=\"col\">Tied with #1</th>"));
    // One study per cell: every resample is the point leaderboard, so the
    // leader ranks 1 in all of them, alone.
    assert!(
        a.contains("<td class=\"num\">1.000</td><td>= #1</td>"),
        "{a}"
    );
    assert_eq!(
        a.matches("<td class=\"num\">0.000</td><td></td>").count(),
        2
    );
    let bands: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && class_has(n, "band"))
        .collect();
    assert_eq!(bands.len(), 3, "one band per submission");
    assert!(bands
        .iter()
        .all(|n| n.attribute("id").is_some_and(|i| i.starts_with("band-"))));
    assert!(
        a.contains("pointwise percentile band (95% bootstrap over studies, 200 resamples, seed 0)")
    );
}

/// A synthetic 100-submission tree: its page stays under 1.5 MB (the
/// explanations, packed, are a fraction of what inlined they were), and
/// every cell's explanation is in the packed block.
#[test]
fn a_100_submission_page_stays_small() {
    use algoperf_engine::synth;
    let spec_path = common::repo("rulesets/v05_external.toml");
    let v05 = spec::load(&spec_path).expect("spec");
    let tmp = tempfile::tempdir().expect("tempdir");
    let subs = tmp.path().join("subs");
    let files = synth::generate(&v05, &synth::Options::for_spec(&v05, 100, 0));
    synth::write(&subs, &files).expect("synth");
    let page = tmp.path().join("page.html");
    cli(&[
        "--spec",
        s(&spec_path),
        "--submissions",
        s(&subs),
        "--html",
        s(&page),
    ])
    .expect("scoring 100 submissions");
    let text = std::fs::read_to_string(&page).expect("page");
    assert!(text.len() < 1_500_000, "{} bytes", text.len());
    let doc = parse(&text);
    let cells = matrix_cells(&doc);
    assert_eq!(cells.len(), 100 * v05.matrix_workloads().len());
    let ingested = run::read(&subs, &v05, &Options::default(), &Silent).expect("read");
    let (lb, _) = run::score_only(&ingested, &v05, &Options::default()).expect("score");
    for (sub, w) in [("synthetic_0000", "ogbg"), ("synthetic_0099", "criteo1tb")] {
        let want = explain::explain(&v05, &lb, sub, w).expect("explains");
        let (_, _, _, why) = &cells[&(sub.to_string(), w.to_string())];
        assert_eq!(why, &want, "{sub} on {w}");
        assert!(why.contains("Studies ("), "{why}");
    }
}

// --- the v0.5 page ----------------------------------------------------------

#[test]
fn v05_page_is_complete_and_small() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let logs = data.join("logs/v05/external_tuning");
    let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
    let (lb, warnings) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let info_dir = data.join("submission_info/algoperf_v05/external_tuning");
    let info = html::load_info(Some(&info_dir), &lb).expect("info");
    let provenance = html::Provenance::new(
        &spec,
        format!("submissions folder {}", logs.display()),
        "csv".into(),
    )
    .expect("hashes");
    let page = html::Page {
        spec: &spec,
        leaderboard: &lb,
        warnings: &warnings,
        info: &info,
        logs: &BTreeMap::new(),
        provenance: &provenance,
        stability: None,
        curves: None,
    };
    let page_text = html::render(&page);
    assert!(page_text.len() <= 1 << 20, "{} bytes", page_text.len());
    assert_eq!(html::render(&page), page_text, "deterministic");
    let doc = parse(&page_text);
    assert_self_contained(&doc);

    // Scores in rank order, as published.
    let scores: Vec<String> = doc
        .descendants()
        .filter(|n| class_has(n, "score"))
        .map(|n| text(&n))
        .collect();
    assert_eq!(
        scores,
        [
            "0.7784", "0.7077", "0.6383", "0.6301", "0.5909", "0.5707", "0.4918", "0.4722",
            "0.3699", "0.3384", "0.0000"
        ]
    );
    assert!(page_text.contains("<td>Algorithms Working Group</td><td>MLCommons</td><td>JAX</td>"));

    // Every cell: its explanation is `explain`'s text, its class follows
    // the leaderboard's matrices.
    let cells = matrix_cells(&doc);
    assert_eq!(cells.len(), 11 * 14);
    let last = &lb.rules.steps.last().expect("steps").matrix;
    for (r, sub) in lb.submissions.iter().enumerate() {
        for (c, w) in lb.workloads.iter().enumerate() {
            let (class, _, _, why) = &cells[&(sub.clone(), w.clone())];
            let expected = explain::explain(&spec, &lb, sub, w).expect("explains");
            assert_eq!(why, &expected, "{sub} on {w}");
            let (raw, after) = (lb.time_to_targets[(r, c)], last[(r, c)]);
            let want = if raw.is_nan() {
                "nrun"
            } else if raw.is_infinite() {
                "miss"
            } else if after.is_infinite() {
                "cut"
            } else if spec.is_base(w) {
                "q"
            } else {
                "ho"
            };
            assert!(
                class.starts_with(want),
                "{sub} on {w}: {class}, want {want}"
            );
        }
    }
    let cell = |sub: &str, w: &str| cells[&(sub.to_string(), w.to_string())].clone();
    assert_eq!(cell("caspr_adaptive", "criteo1tb").1, "— not run");
    assert_eq!(
        cell("shampoo_submission", "imagenet_resnet").1,
        "✗ missedtarget"
    );
    assert_eq!(cell("schedule_free_adamw", "wmt").1, "★ 1.0016013 s");
    let (class, summary, title, _) = cell("shampoo_submission", "imagenet_resnet_large_bn_init");
    assert_eq!(
        (class.as_str(), summary.as_str()),
        ("cut", "✂ rule 158546 s")
    );
    assert_eq!(
        title,
        "cut off by rule 1: held_out := inf where not finite(base)"
    );

    // Warnings grouped: one entry per kind, its count.
    let groups: Vec<String> = doc
        .descendants()
        .filter(|n| class_has(n, "warn"))
        .flat_map(|u| u.children().filter(|n| n.has_tag_name("li")))
        .map(|li| text(&li.first_element_child().expect("details")))
        .collect();
    assert_eq!(groups.len(), 9, "{groups:?}");
    assert!(groups
        .iter()
        .any(|g| g.starts_with("warning expected 5 trials per study, found 1 (12×)")));

    // Provenance: the hashes of the files as they are.
    let sha = |p: &Path| {
        Sha256::digest(std::fs::read(p).expect("read"))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert!(page_text.contains(&sha(&spec.path)));
    assert!(page_text.contains(&sha(&spec.targets_path)));
    assert!(page_text.contains(concat!("algoperf-engine ", env!("CARGO_PKG_VERSION"))));
}

/// `--html-stability N` puts `stability`'s own intervals on the page: the
/// same numbers the library computes for that leaderboard.
#[test]
fn html_stability_shows_the_bootstrap_intervals() {
    use algoperf_engine::score::stability;
    let (tree, spec_path) = hostile_tree();
    let dir = tree.dir.path();
    let page = dir.join("page.html");
    let subs = tree.subs();
    let args = [
        "--spec",
        s(&spec_path),
        "--submissions",
        s(&subs),
        "--html",
        s(&page),
    ];
    let with_stability: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--html-stability", "50"])
        .collect();
    cli(&with_stability).expect("scoring with --html-stability");
    let text = std::fs::read_to_string(&page).expect("page written");
    parse(&text);
    assert!(
        text.contains("95% bootstrap over studies, 50 resamples, seed 0"),
        "the analysis is named"
    );
    let spec = spec::load(&spec_path).expect("spec");
    let ingested = run::read(&tree.subs(), &spec, &Options::default(), &Silent).expect("read");
    let (lb, _) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let options = stability::Options {
        resamples: 50,
        ..stability::Options::default()
    };
    let result = stability::stability(&spec, &lb, &options).expect("stability");
    for row in &result.rows {
        let (lo, hi) = row.score_interval;
        let (a, b) = row.rank_interval;
        let cells =
            format!("<td class=\"num\">{lo:.4} – {hi:.4}</td><td class=\"num\">{a} – {b}</td>");
        assert!(text.contains(&cells), "{}: {cells}", row.name);
    }
    let zero: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--html-stability", "0"])
        .collect();
    assert_eq!(
        cli(&zero),
        Err("--html-stability must be at least 1".to_string())
    );
}
