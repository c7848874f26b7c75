//! The leaderboard maintainers' reports on the real v0.5 external-tuning
//! logs: the performance-profile plot, speedups (SCORING.md §9), the
//! Markdown leaderboard and its README update; and the CLI's completions,
//! man page and help examples.

use crate::common;

use std::path::{Path, PathBuf};

use algoperf_engine::cli::{self, Cli};
use algoperf_engine::ingest::Silent;
use algoperf_engine::report::{markdown, plot, speedup as speedup_report};
use algoperf_engine::run::{self, Options, Outcome};
use algoperf_engine::score::speedup;
use algoperf_engine::spec::{self, Spec};
use clap::{CommandFactory, Parser};
use common::close;

fn v05_spec() -> Spec {
    spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec")
}

fn logs(data: &Path) -> PathBuf {
    data.join("logs/v05/external_tuning")
}

fn score_v05(spec: &Spec, data: &Path) -> Outcome {
    let ingested = run::read(&logs(data), spec, &Options::default(), &Silent).expect("ingest");
    run::score(&ingested, spec, &Options::default()).expect("score")
}

fn run_cli(args: &[&str]) -> algoperf_engine::error::Result<()> {
    let mut argv = vec!["algoperf-engine"];
    argv.extend_from_slice(args);
    cli::main_with(Cli::try_parse_from(argv).expect("arguments parse"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

// --- the performance-profile plot ---------------------------------------

#[test]
fn plot_svg_and_png_on_v05() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = v05_spec();
    let outcome = score_v05(&spec, &data);
    let lb = &outcome.leaderboard;
    let files = plot::files(lb, &spec, Path::new("out")).expect("plot renders");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["performance_profile.svg", "performance_profile.png"]
    );
    let height = plot::height_for(lb.submissions.len());
    assert_eq!((plot::WIDTH, height), (1200, 700), "11 submissions fit");

    // SVG: well-formed XML, an <svg> root of the plot's size, every legend
    // entry in descending score order, the axis labels.
    let svg = std::str::from_utf8(&files[0].1).expect("SVG is UTF-8");
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    let doc = roxmltree::Document::parse(svg).expect("SVG parses as XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1200"));
    assert_eq!(root.attribute("height"), Some("700"));
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    for label in [
        "Ratio of time to best submission (τ)",
        "Fraction of workloads",
        "0.0",
        "1.0",
    ] {
        assert!(texts.iter().any(|t| t == label), "no text `{label}`");
    }
    let ranking = lb.ranking();
    let mut last = 0;
    for (_, row) in &ranking {
        let label = format!("{} ({:.4})", lb.submissions[*row], lb.rules.scores[*row]);
        let at = texts
            .iter()
            .position(|t| *t == label)
            .unwrap_or_else(|| panic!("no legend entry `{label}`"));
        assert!(at >= last, "legend out of score order at `{label}`");
        last = at;
    }
    assert!(texts.iter().any(|t| t == "shampoo_submission (0.7784)"));

    // PNG: signature, size, decodes whole, and shows the leader's colour
    // (Okabe-Ito blue, solid) and black (text).
    let png_bytes = &files[1].1;
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let decoder = png::Decoder::new(png_bytes.as_slice());
    let mut reader = decoder.read_info().expect("PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("PNG decodes");
    assert_eq!((frame.width, frame.height), (1200, 700));
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    let count = |rgb: [u8; 3]| pixels.chunks(3).filter(|p| *p == rgb).count();
    assert!(count([0x00, 0x72, 0xb2]) > 1000, "leader's curve missing");
    assert!(count([0, 0, 0]) > 500, "black (text) missing");
    assert!(count([0xff, 0xff, 0xff]) > 1200 * 700 / 2, "background");
}

#[test]
fn score_run_writes_the_plot_with_the_other_outputs() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().join("out");
    run_cli(&[
        "--spec",
        s(&common::repo("rulesets/v05_external.toml")),
        "--submissions",
        s(&logs(&data)),
        "--output-dir",
        s(&dir),
    ])
    .expect("scoring run");
    let spec = v05_spec();
    let expected = plot::files(&score_v05(&spec, &data).leaderboard, &spec, &dir).expect("plot");
    for (name, bytes) in expected {
        let written = std::fs::read(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(written == bytes, "{name} differs from a fresh rendering");
    }
    assert!(dir.join("scores.csv").is_file());
}

// --- speedups -------------------------------------------------------------

const TOL: f64 = 1e-12;

#[test]
fn speedups_reproduce_the_golden_values() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("golden/v05_external/speedups.json"))
            .expect("speedups.json"),
    )
    .expect("JSON");
    let base = golden["base"].as_str().expect("base");
    let comparisons = golden["comparisons"].as_object().expect("comparisons");
    assert_eq!(comparisons.len(), 2);
    let spec = v05_spec();
    let lb = score_v05(&spec, &data).leaderboard;
    for (name, g) in comparisons {
        let got = speedup::speedup(&lb, &spec, base, name).expect("speedup");
        let ratios = g["ratio"].as_object().expect("ratio");
        let workloads: Vec<&str> = got.workloads.iter().map(|w| w.workload.as_str()).collect();
        let expected: Vec<&str> = ratios.keys().map(String::as_str).collect();
        assert_eq!(workloads, expected, "{name}: workloads");
        for w in &got.workloads {
            let e = ratios[&w.workload].as_f64().expect("number");
            let ratio = w.ratio.expect("both ran every base workload");
            assert!(
                close(ratio, e, TOL),
                "{name}/{}: ratio {} vs golden {e}",
                w.workload,
                ratio
            );
        }
        let e = g["geomean_ratio"].as_f64().expect("geomean");
        assert!(
            close(got.geomean, e, TOL),
            "{name}: geomean {} vs golden {e}",
            got.geomean
        );
        let table = speedup_report::speedup_table(&got);
        // Issue 15: both ways round, not the ambiguous "27.87% faster".
        let faster = format!(
            "{:.2}× faster ({:.1}% less time)",
            1.0 / e,
            (1.0 - e) * 100.0
        );
        assert!(table.contains(&faster), "{name}: no `{faster}` in\n{table}");
        assert!(table.contains("imagenet_resnet"), "{table}");
    }
    // Both missed imagenet_resnet: budget × factor + 1 s on both sides.
    let s = speedup::speedup(&lb, &spec, base, "shampoo_submission").expect("speedup");
    let w = s
        .workloads
        .iter()
        .find(|w| w.workload == "imagenet_resnet")
        .expect("imagenet_resnet");
    assert!(w.base_missed && w.comparison_missed);
    let budget = spec.targets["imagenet_resnet"].budget.expect("budget");
    assert_eq!(
        w.base_time,
        Some(budget * spec.budget_factor + spec.missed_extra_seconds.expect("[budget]"))
    );
}

#[test]
fn speedup_needs_a_budget_for_every_base_workload() {
    // The current targets file has no budget for finewebedu_lm.
    let (_dir, path) = common::spec_variant(
        "rulesets/v05_external.toml",
        "targets = \"../targets/algoperf_v05.toml\"",
        "targets = \"../targets/algoperf_v06.toml\"",
    );
    let text = std::fs::read_to_string(&path).expect("spec");
    let text = text.replace(
        "base = [\n  \"criteo1tb\",",
        "base = [\n  \"finewebedu_lm\",\n  \"criteo1tb\",",
    );
    std::fs::write(&path, text).expect("write spec");
    let spec = spec::load(&path).expect("the variant spec loads");
    assert!(spec.is_base("finewebedu_lm"));

    let check = |message: String| {
        assert!(message.contains("`finewebedu_lm`"), "{message}");
        assert!(message.contains("algoperf_v06.toml"), "{message}");
        assert!(message.contains("budget"), "{message}");
    };
    let e = speedup::missed_target_time(&spec, "finewebedu_lm").expect_err("no budget");
    check(e.to_string());
    assert!(speedup::missed_target_time(&spec, "criteo1tb").is_ok());

    // The command fails before reading any log.
    let e = run_cli(&[
        "speedup",
        "--spec",
        s(&path),
        "--submissions",
        "/nonexistent/submissions",
        "--base",
        "baseline",
        "--comparison",
        "shampoo_submission",
    ])
    .expect_err("no budget");
    check(e.to_string());
}

#[test]
fn speedup_of_an_unknown_submission_names_the_folder() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let (spec_path, logs_dir) = (common::repo("rulesets/v05_external.toml"), logs(&data));
    let e = run_cli(&[
        "speedup",
        "--spec",
        s(&spec_path),
        "--submissions",
        s(&logs_dir),
        "--base",
        "baseline",
        "--comparison",
        "no_such_submission",
    ])
    .expect_err("unknown submission");
    // Checked before any log is read, with the names there are (issue 11).
    let message = e.to_string();
    assert!(
        message.starts_with(&format!(
            "--comparison no_such_submission: no submission `no_such_submission` in {} (found: amos, ",
            s(&logs_dir)
        )),
        "{message}"
    );
}

// --- the Markdown leaderboard ---------------------------------------------

const MARKER: &str = "EXTERNAL TUNING LEADERBOARD";
const BEFORE: &str = "# My leaderboard\n\nSome text — with non-ASCII ✓ and trailing spaces   \n\n<!-- BEGIN EXTERNAL TUNING LEADERBOARD -->";
const AFTER: &str = "<!-- END EXTERNAL TUNING LEADERBOARD -->\n\n## Self-tuning\n\n<!-- BEGIN SELF-TUNING LEADERBOARD -->\nuntouched\n<!-- END SELF-TUNING LEADERBOARD -->\nno final newline";

#[test]
fn leaderboard_readme_round_trip_on_v05() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let info_dir = data.join("submission_info/algoperf_v05/external_tuning");
    let dir = tempfile::tempdir().expect("tempdir");
    let readme = dir.path().join("docs/README.md");
    std::fs::create_dir_all(readme.parent().expect("parent")).expect("mkdir");
    std::fs::write(&readme, format!("{BEFORE}\nold table\n{AFTER}")).expect("write");
    let (spec_path, logs_dir) = (common::repo("rulesets/v05_external.toml"), logs(&data));
    let args = [
        "leaderboard",
        "--spec",
        s(&spec_path),
        "--submissions",
        s(&logs_dir),
        "--info-dir",
        s(&info_dir),
        "--update",
        s(&readme),
        "--marker",
        MARKER,
    ];
    run_cli(&args).expect("update");
    let once = std::fs::read(&readme).expect("read");
    assert!(
        once.starts_with(BEFORE.as_bytes()),
        "bytes before the markers"
    );
    assert!(once.ends_with(AFTER.as_bytes()), "bytes after the markers");
    let text = String::from_utf8(once.clone()).expect("UTF-8");
    let table = &text[BEFORE.len()..text.len() - AFTER.len()];
    assert!(!table.contains("old table"));
    assert!(table.starts_with("\n\n| **Rank** |"), "{table}");
    assert!(table.ends_with("|\n\n"), "{table}");

    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 2 + 11, "header, rule, 11 submissions");
    let cells = |row: &str| -> Vec<String> {
        row.trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect()
    };
    let header = cells(rows[0]);
    assert_eq!(
        header,
        [
            "**Rank**",
            "**Submission**",
            "**Authors**",
            "**Affiliation**",
            "**Framework**",
            "**Logs**",
            "**Score**"
        ]
    );
    // The published ranking and scores, to 4 decimals.
    let published = [
        ("shampoo_submission", "0.7784"),
        ("schedule_free_adamw", "0.7077"),
        ("generalized_adam", "0.6383"),
        ("cyclic_lr", "0.6301"),
        ("nadamp", "0.5909"),
        ("baseline", "0.5707"),
        ("amos", "0.4918"),
        ("caspr_adaptive", "0.4722"),
        ("lawa_queue", "0.3699"),
        ("lawa_ema", "0.3384"),
        ("schedule_free_prodigy", "0.0000"),
    ];
    for (i, (row, (folder, score))) in rows[2..].iter().zip(published).enumerate() {
        let c = cells(row);
        assert_eq!(c.len(), 7, "{row}");
        assert_eq!(c[0], format!("{}.", i + 1));
        assert_eq!(c[6], format!("**{score}**"));
        // Logs: a relative link from the README's folder to the submission's.
        let link = c[5]
            .strip_prefix("[💾](")
            .and_then(|l| l.strip_suffix(')'))
            .unwrap_or_else(|| panic!("logs cell {}", c[5]));
        assert!(!link.starts_with('/'), "{link}");
        let target = readme.parent().expect("parent").join(link);
        assert_eq!(
            target.canonicalize().expect("link resolves"),
            logs(&data).join(folder).canonicalize().expect("folder"),
        );
        if folder == "baseline" {
            // From baseline's submission_info.yml.
            assert!(
                c[1].starts_with(
                    "<details><summary>**Baseline**</summary>Baseline using NadamW ([Dozat, 2016]("
                ),
                "{}",
                c[1]
            );
            assert!(c[1].ends_with("</details>"), "{}", c[1]);
            assert_eq!(&c[2..5], ["Algorithms Working Group", "MLCommons", "JAX"]);
        } else {
            // No info file: the folder name, no metadata.
            assert_eq!(c[1], format!("**{folder}**"));
            assert_eq!(&c[2..5], ["", "", ""]);
        }
    }

    // Running again changes nothing.
    run_cli(&args).expect("second update");
    assert!(
        std::fs::read(&readme).expect("read") == once,
        "not idempotent"
    );
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(readme.parent().expect("parent"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("README.md")]);
}

#[test]
fn leaderboard_update_without_markers_fails_and_leaves_the_file() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let readme = dir.path().join("README.md");
    let original = "# No markers here\n<!-- BEGIN OTHER -->\n<!-- END OTHER -->\n";
    std::fs::write(&readme, original).expect("write");
    let e = run_cli(&[
        "leaderboard",
        "--spec",
        s(&common::repo("rulesets/v05_external.toml")),
        "--submissions",
        s(&logs(&data)),
        "--info-dir",
        s(&data.join("submission_info/algoperf_v05/external_tuning")),
        "--update",
        s(&readme),
        "--marker",
        MARKER,
    ])
    .expect_err("no markers");
    let message = e.to_string();
    assert!(message.contains(s(&readme)), "{message}");
    assert!(
        message.contains("<!-- BEGIN EXTERNAL TUNING LEADERBOARD -->"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&readme).expect("read"), original);
}

#[test]
fn leaderboard_table_uses_a_logs_field() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = v05_spec();
    let lb = score_v05(&spec, &data).leaderboard;
    let dir = tempfile::tempdir().expect("tempdir");
    let info_dir = dir.path();
    std::fs::create_dir_all(info_dir.join("amos")).expect("mkdir");
    std::fs::write(
        info_dir.join("amos/submission_info.yml"),
        "submission_name: AMOS | v1\nauthors:\n  - A. Author\n  - B. Author\nframework: JAX\nlogs: https://example.org/amos logs/\n",
    )
    .expect("write");
    let mut rows = std::collections::BTreeMap::new();
    for name in &lb.submissions {
        let info = algoperf_engine::report::info::load(info_dir, name).expect("info");
        let logs = info
            .as_ref()
            .and_then(|i| i.logs.clone())
            .unwrap_or_else(|| format!("logs/{name}/"));
        rows.insert(name.clone(), markdown::Row { info, logs });
    }
    let table = markdown::leaderboard_markdown(&lb, &rows);
    let amos = table
        .lines()
        .find(|l| l.contains("AMOS"))
        .expect("amos row");
    assert!(amos.contains("| **AMOS \\| v1** "), "{amos}");
    assert!(amos.contains("| A. Author, B. Author "), "{amos}");
    assert!(
        amos.contains("[💾](https://example.org/amos%20logs/)"),
        "{amos}"
    );
    assert!(amos.contains("**0.4918**"), "{amos}");
}

// --- CLI polish -----------------------------------------------------------

#[test]
fn completions_and_man_page_are_produced() {
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
        clap_complete::Shell::PowerShell,
        clap_complete::Shell::Elvish,
    ] {
        let mut out = Vec::new();
        cli::write_completions(shell, &mut out).expect("completions");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(!text.trim().is_empty(), "{shell}: empty");
        for word in ["algoperf-engine", "speedup", "leaderboard", "info-dir"] {
            assert!(text.contains(word), "{shell}: no `{word}`");
        }
    }
    let mut out = Vec::new();
    cli::write_man(&mut out).expect("man");
    let man = String::from_utf8(out).expect("UTF-8");
    assert!(man.starts_with(".ie") || man.contains(".TH"), "not roff");
    assert!(man.contains("algoperf\\-engine"), "no name in the man page");
    assert!(man.contains("speedup") && man.contains("leaderboard"));
}

#[test]
fn every_subcommand_help_has_an_example() {
    fn walk(cmd: &mut clap::Command, path: String, missing: &mut Vec<String>) {
        // Every command, groups (`spec`, `heldout`) included (issue 15).
        let help = cmd.render_long_help().to_string();
        if !help.contains("Example:\n  algoperf-engine") {
            missing.push(path.clone());
        }
        for sub in cmd.get_subcommands_mut() {
            if sub.get_name() == "help" {
                continue;
            }
            let p = format!("{path} {}", sub.get_name());
            walk(sub, p, missing);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&mut cmd, "algoperf-engine".into(), &mut missing);
    assert!(missing.is_empty(), "help without an example: {missing:?}");
    // And the new commands are there.
    for name in ["speedup", "leaderboard", "completions", "man"] {
        assert!(cmd.find_subcommand(name).is_some(), "no `{name}` command");
    }
}
