//! The v0.5 HTML leaderboard page in a real browser: headless Chromium,
//! driven over the DevTools protocol by tests/browser/cdp_driver.py
//! (Python 3 standard library). The page holds every submission and
//! workload; pointing at a legend entry or a table row brings out that
//! submission's line; clicking a cell opens its explanation; the
//! screenshot is not blank; the page requests nothing but itself; no
//! script error; with scripts disabled the tables still work and the page
//! says how to get the (packed) explanations.
//!
//! Without Chromium the test is skipped, except under `CI`, where it fails
//! (`.ci/run` installs Debian's `chromium` package).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The published v0.5 external-tuning ranking.
const RANKED: [&str; 11] = [
    "shampoo_submission",
    "schedule_free_adamw",
    "generalized_adam",
    "cyclic_lr",
    "nadamp",
    "baseline",
    "amos",
    "caspr_adaptive",
    "lawa_queue",
    "lawa_ema",
    "schedule_free_prodigy",
];

/// `$CHROMIUM`, else the first of the usual names on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn chromium_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium not found: the browser tests cannot be skipped in CI (.ci/run installs it)");
        }
        eprintln!("skipping: chromium not found (apt-get install chromium)");
    }
    found
}

/// Runs the driver, killing it after `limit`; its JSON report.
fn drive(args: &[&std::ffi::OsStr], limit: Duration) -> Value {
    let mut child = Command::new("python3")
        .arg(common::repo("tests/browser/cdp_driver.py"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the browser driver took more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("driver prints JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// The pointed-at line is marked and drawn wider; the others fade.
fn assert_highlighted(v: &Value, what: &str) {
    assert_eq!(v["found"], true, "{what}: element not found");
    let (before, after) = (&v["before"], &v["after"]);
    assert_eq!(before["line"]["hl"], false, "{what}: {v}");
    assert_eq!(after["line"]["hl"], true, "{what}: {v}");
    let width = |s: &Value| s["width"].as_f64().expect("width");
    let opacity = |s: &Value| s["opacity"].as_f64().expect("opacity");
    assert!(
        width(&after["line"]) > width(&before["line"]),
        "{what}: {v}"
    );
    assert_eq!(opacity(&after["line"]), 1.0, "{what}: {v}");
    assert_eq!(opacity(&before["other"]), 1.0, "{what}: {v}");
    assert!(opacity(&after["other"]) < 0.5, "{what}: others fade: {v}");
}

/// Decodes the screenshot; (width, height, distinct colours, share of
/// pixels that are not white).
fn screenshot_stats(path: &Path) -> (u32, u32, usize, f64) {
    let file = std::fs::File::open(path).expect("screenshot");
    let mut reader = png::Decoder::new(file).read_info().expect("PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let pixels = &buf[..info.buffer_size()];
    let mut colours = std::collections::BTreeSet::new();
    let mut inked = 0usize;
    for px in pixels.chunks(channels) {
        let rgb = (px[0], px[1], px[2]);
        colours.insert(rgb);
        if rgb != (255, 255, 255) {
            inked += 1;
        }
    }
    let total = (info.width * info.height) as f64;
    (info.width, info.height, colours.len(), inked as f64 / total)
}

/// The v0.5 page (with its submission info) written into `dir` by the
/// engine's own CLI with `extra` flags; its path.
fn v05_page(data: &std::path::Path, dir: &std::path::Path, extra: &[&str]) -> std::path::PathBuf {
    let page = dir.join("leaderboard.html");
    let spec = common::repo("rulesets/v05_external.toml");
    let logs = data.join("logs/v05/external_tuning");
    let info = data.join("submission_info/algoperf_v05/external_tuning");
    let mut argv: Vec<&std::ffi::OsStr> = vec![
        "algoperf-engine".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--submissions".as_ref(),
        logs.as_os_str(),
        "--html".as_ref(),
        page.as_os_str(),
        "--info-dir".as_ref(),
        info.as_os_str(),
    ];
    argv.extend(extra.iter().map(std::ffi::OsStr::new));
    let cli = <algoperf_engine::cli::Cli as clap::Parser>::try_parse_from(argv).expect("args");
    algoperf_engine::cli::main_with(cli).expect("scoring with --html");
    page
}

#[test]
fn v05_page_in_chromium() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = v05_page(&data, dir.path(), &[]);
    let shot = dir.path().join("screenshot.png");

    let report = drive(
        &[
            browser.as_os_str(),
            page.as_os_str(),
            shot.as_os_str(),
            "nadamp".as_ref(),
            "lawa_ema".as_ref(),
            "baseline".as_ref(),
            "imagenet_resnet_large_bn_init".as_ref(),
        ],
        Duration::from_secs(360),
    );

    // Every submission and workload, in rank order where ranked.
    let dom = &report["dom"];
    assert_eq!(strings(&dom["matrix_rows"]), RANKED);
    assert_eq!(strings(&dom["legend"]), RANKED);
    let v05 =
        algoperf_engine::spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    assert_eq!(strings(&dom["workloads"]), v05.matrix_workloads());
    assert_eq!(dom["leaderboard_rows"], 11);
    assert_eq!(dom["curves"], 11);
    assert_eq!(dom["cells"], 11 * 14);
    assert_eq!(dom["open_cells"], 0, "explanations start closed");
    assert_eq!(dom["external"], Value::Array(vec![]), "nothing loaded");
    assert_eq!(
        dom["title"], "AlgoPerf 0.5 external_tuning leaderboard",
        "{dom}"
    );

    assert_highlighted(&report["hover_legend"], "legend entry nadamp");
    assert_highlighted(&report["hover_row"], "table row lawa_ema");

    let click = &report["click"];
    assert_eq!(click["found"], true);
    assert_eq!(click["was_open"], false);
    assert_eq!(
        click["open"], true,
        "a click opens the explanation: {click}"
    );
    let why = click["text"].as_str().expect("text");
    assert!(
        why.starts_with(
            "baseline on imagenet_resnet_large_bn_init (held-out variant of imagenet_resnet)"
        ),
        "{why}"
    );
    assert!(why.contains("Score of baseline: "), "{why}");
    assert!(click["height"].as_f64().expect("height") > 100.0, "{click}");

    // With scripts off the tables are whole and a click still opens a
    // cell; its explanation stays packed, and the page says how to get it.
    let off = &report["scripts_off"];
    assert_eq!(off["script_ran"], false, "scripts were disabled: {off}");
    assert_eq!(strings(&off["dom"]["matrix_rows"]), RANKED);
    assert_eq!(off["dom"]["cells"], 11 * 14);
    assert_eq!(off["click"]["open"], true, "{off}");
    assert_eq!(off["click"]["text"], "", "{off}");
    let note = off["note"].as_str().expect("note");
    assert!(note.contains("algoperf-engine explain"), "{off}");

    // Only the page itself was requested; no script error.
    let requests = strings(&report["requests"]);
    assert!(!requests.is_empty(), "the page load is seen");
    for url in &requests {
        assert!(
            url.starts_with("file:") || url.starts_with("data:"),
            "network request {url}"
        );
    }
    assert_eq!(report["exceptions"], Value::Array(vec![]), "script errors");

    let (w, h, colours, inked) = screenshot_stats(&shot);
    assert_eq!((w, h), (1280, 1000));
    assert!(colours >= 50, "{colours} colours: blank?");
    assert!((0.02..0.9).contains(&inked), "{inked} of the pixels inked");
}

/// The v0.5 page with `--curves` at a phone's 390 × 844 and a laptop's
/// 1280 × 800: the page never scrolls sideways (its scroll width is the
/// viewport's), every leaderboard row shows its rank, name and score
/// inside the viewport, and the 28 small multiples (14 workloads × curves
/// and ECDF) are there.
#[test]
fn v05_page_fits_a_phone_and_a_laptop() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = v05_page(&data, dir.path(), &["--curves"]);
    for (width, height) in [(390u32, 844u32), (1280, 800)] {
        let shot = dir.path().join(format!("layout-{width}.png"));
        let (w, h) = (width.to_string(), height.to_string());
        let report = drive(
            &[
                "--layout".as_ref(),
                browser.as_os_str(),
                page.as_os_str(),
                w.as_ref(),
                h.as_ref(),
                shot.as_os_str(),
            ],
            Duration::from_secs(240),
        );
        let num = |k: &str| {
            report[k]
                .as_u64()
                .unwrap_or_else(|| panic!("{k}: {report}"))
        };
        assert_eq!(num("inner_width"), u64::from(width), "{report}");
        assert!(
            num("scroll_width") <= num("inner_width"),
            "sideways: {report}"
        );
        assert_eq!(num("rows"), 11, "{report}");
        for k in ["rank_inside", "name_inside", "score_inside"] {
            assert_eq!(num(k), 11, "{k} at {width} px: {report}");
        }
        assert_eq!(num("panels"), 28, "{report}");
        let (sw, _, colours, inked) = screenshot_stats(&shot);
        assert_eq!(sw, width);
        assert!(
            colours > 20 && inked > 0.05,
            "blank screenshot at {width} px"
        );
    }
}
