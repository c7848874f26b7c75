//! docs/design-traps.md quotes commands and their output: each ```console
//! block is `$ algoperf-engine ARGS` and the standard output that follows.
//! Every block is run from the repository root and compared (trailing
//! spaces aside), so the page cannot drift from what the engine prints.

use std::process::Command;

use crate::common;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");

/// (command arguments, expected output) of each console block of `page`.
fn console_blocks(page: &str) -> Vec<(Vec<String>, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in page.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```console") => current = Some(Vec::new()),
            (Some(lines), "```") => {
                let (command, output) = lines.split_first().expect("a command line");
                let args = command
                    .strip_prefix("$ algoperf-engine ")
                    .expect("a block starts with `$ algoperf-engine `")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                blocks.push((args, trimmed(&output.join("\n"))));
                current = None;
            }
            (Some(lines), _) => lines.push(line),
            (None, _) => {}
        }
    }
    blocks
}

/// Each line without trailing spaces, without trailing empty lines.
fn trimmed(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

#[test]
fn every_command_of_the_design_traps_page_prints_what_the_page_quotes() {
    let page = std::fs::read_to_string(common::repo("docs/design-traps.md")).expect("page");
    let blocks = console_blocks(&page);
    assert_eq!(blocks.len(), 7, "the page's console blocks");
    for (args, expected) in blocks {
        let o = Command::new(EXE)
            .args(&args)
            .current_dir(common::repo("."))
            .output()
            .expect("run the engine");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{args:?}: {err}");
        let out = trimmed(&String::from_utf8_lossy(&o.stdout));
        assert_eq!(out, expected, "{args:?}");
    }
}

#[test]
fn each_trap_spec_passes_spec_check() {
    // The traps are silent: every spec of the page checks clean.
    for name in [
        "base",
        "finite_penalty",
        "reference_ratio",
        "reference_ratio_fixed",
        "pick_then_index",
        "pick_index_first",
    ] {
        let path = common::repo(&format!("examples/traps/{name}.toml"));
        let o = Command::new(EXE)
            .args(["spec", "check", "--strict"])
            .arg(&path)
            .output()
            .expect("run");
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
