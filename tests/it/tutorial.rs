//! docs/tutorial-new-version.md is run as it is written (issue 23 item 7):
//! each ```` ```toml FILE ```` block is written to FILE, each `$ COMMAND`
//! of a ```` ```console ```` block is run with bash in one fresh folder
//! (the engine first on PATH), and what it prints (stdout then stderr
//! merged as a terminal shows them, `[exit status N]` after a failure)
//! must be the lines the page shows under it. A command or an output that
//! drifts from the page fails here.

use std::path::Path;
use std::process::Command;

use crate::common;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");
const PAGE: &str = "docs/tutorial-new-version.md";

/// One step of the page.
#[derive(Debug)]
enum Step {
    /// A file the reader writes.
    File { path: String, text: String },
    /// A command and what it prints.
    Command { line: String, output: String },
}

/// The page's steps, in order.
fn steps(page: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        if let Some(path) = info.strip_prefix("toml ") {
            let mut text = body.join("\n");
            text.push('\n');
            steps.push(Step::File {
                path: path.trim().to_string(),
                text,
            });
        } else if info == "console" {
            for chunk in body
                .join("\n")
                .split("\n$ ")
                .map(|c| c.trim_start_matches("$ "))
            {
                let (line, output) = chunk.split_once('\n').unwrap_or((chunk, ""));
                steps.push(Step::Command {
                    line: line.to_string(),
                    output: output.to_string(),
                });
            }
        }
    }
    steps
}

/// What a command prints, as the page shows it.
fn output_of(dir: &Path, line: &str) -> String {
    let bin = Path::new(EXE).parent().expect("the engine's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .args(["-c", &format!("{line} 2>&1")])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run bash");
    let mut out = String::from_utf8_lossy(&o.stdout).into_owned();
    if !o.status.success() {
        out.push_str(&format!(
            "[exit status {}]\n",
            o.status.code().unwrap_or(-1)
        ));
    }
    out.trim_end().to_string()
}

#[test]
fn every_command_of_the_tutorial_prints_what_the_page_shows() {
    let page = std::fs::read_to_string(common::repo(PAGE)).expect("the tutorial");
    let steps = steps(&page);
    let commands = steps
        .iter()
        .filter(|s| matches!(s, Step::Command { .. }))
        .count();
    assert!(commands >= 10, "{steps:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    for step in steps {
        match step {
            Step::File { path, text } => {
                let path = dir.path().join(path);
                std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
                std::fs::write(path, text).expect("write");
            }
            Step::Command { line, output } => {
                assert_eq!(
                    output_of(dir.path(), &line),
                    output.trim_end(),
                    "`{line}` prints otherwise than {PAGE} shows"
                );
            }
        }
    }
}
