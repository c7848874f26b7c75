//! The crate's layers, held by a test rather than by convention: every
//! `crate::…` (and `super::…`) path in `src/**/*.rs` is resolved to the
//! file it names, and an import from a lower layer to a higher one fails,
//! as does any cycle of imports between files. The layer table below is
//! the one place the order is written down.
//!
//! What counts as an import: a `use` tree starting with `crate`, `super` or
//! `self`; any other `crate::a::b` or `super::a` path in code (not in
//! comments); a string literal that is a whole `crate::…` path (serde's
//! `with = "crate::…"`). A path names the deepest module file it reaches
//! (`crate::ingest::Series` names `src/ingest/mod.rs`). `mod x;`
//! declarations are not imports. Test modules inside a file count: a
//! bottom module's unit test that reaches up is an upward import too.
//!
//! `cargo test --release --test it -- layers:: --nocapture` prints the
//! counts (files, imports, cycles); with `LAYERS_ROOT=DIR` it reads
//! `DIR/src` instead (another checkout, e.g. an older commit's `git
//! archive`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first: a file may import its own layer and the ones
/// before it. A top-level module of `src/` that is not listed fails the
/// test (place it). `src/lib.rs` is above all of them; `src/main.rs` is its
/// own crate and not read.
const LAYERS: &[(&str, &[&str])] = &[
    // Shared by the stages: errors and warnings (each area's error kinds
    // live in `error::<area>`, re-exported where the area lives), paths and
    // writes, input bounds, arithmetic.
    (
        "shared",
        &[
            "diagnostics",
            "error",
            "fs",
            "limits",
            "numeric",
            "colour",
            "version",
        ],
    ),
    ("spec", &["spec"]),
    ("ingest", &["ingest"]),
    ("score", &["score"]),
    ("report", &["report"]),
    ("check", &["check"]),
    ("run", &["run", "app", "synth", "compat", "spec_test"]),
    ("cli", &["cli"]),
];

/// One import: where it is written and the file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    file: String,
    line: usize,
    path: String,
    target: String,
}

#[test]
fn no_module_imports_a_higher_layer() {
    let files = source_files();
    let imports = imports(&files);
    let unplaced = unplaced_modules(&files);
    assert!(
        unplaced.is_empty(),
        "modules of src/ missing from the layer table of tests/it/layers.rs: {}",
        unplaced.join(", ")
    );
    let upward = upward(&imports);
    println!(
        "layers: {} files, {} imports between files, {} upward",
        files.len(),
        imports.len(),
        upward.len()
    );
    assert!(
        upward.is_empty(),
        "{} import(s) from a lower layer to a higher one (the table is in tests/it/layers.rs):\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn no_import_cycles_between_files() {
    let files = source_files();
    let cycles = cycles(&imports(&files));
    println!("layers: {} import cycle(s) between files", cycles.len());
    let text: Vec<String> = cycles
        .iter()
        .map(|c| format!("  {} files: {}", c.len(), c.join(", ")))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", text.join("\n"));
}

/// The checker itself: it finds an upward `use`, a path in code and a
/// serde path in a string, skips comments, and finds a cycle.
#[test]
fn the_checker_finds_what_it_should() {
    let files: Vec<(String, String)> = [
        ("src/lib.rs", ""),
        ("src/numeric.rs", "pub fn f() {}"),
        ("src/ingest/mod.rs", "use crate::report::X;"),
        ("src/report/mod.rs", "pub use crate::ingest::Y;"),
        ("src/run.rs", ""),
        ("src/spec/mod.rs", "pub mod x;"),
        (
            "src/spec/x.rs",
            "use crate::{numeric, ingest::{self, Series as S}};\n\
             fn f() { let _ = crate::report::g(); super::h(); }\n\
             // crate::run::in_a_comment\n\
             #[serde(with = \"crate::run\")] struct T;\n\
             mod tests { use super::super::super::run::Z; }\n",
        ),
    ]
    .iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect();
    let found: Vec<String> = upward(&imports(&files));
    assert_eq!(
        found,
        [
            "src/ingest/mod.rs:1: `crate::report::X` (ingest imports report)",
            "src/spec/x.rs:1: `crate::ingest::Series` (spec imports ingest)",
            "src/spec/x.rs:1: `crate::ingest` (spec imports ingest)",
            "src/spec/x.rs:2: `crate::report::g` (spec imports report)",
            "src/spec/x.rs:4: `crate::run` (spec imports run)",
            "src/spec/x.rs:5: `crate::run::Z` (spec imports run)",
        ]
    );
    let cycles = cycles(&imports(&files));
    assert_eq!(cycles, [vec!["src/ingest/mod.rs", "src/report/mod.rs"]]);
}

/// Every `src/**/*.rs` but `src/main.rs`, with its text, in path order.
fn source_files() -> Vec<(String, String)> {
    let root = std::env::var_os("LAYERS_ROOT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        Into::into,
    );
    let root = root.as_path();
    let mut files = Vec::new();
    let mut folders = vec![root.join("src")];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).expect("list src/") {
            let path = entry.expect("read src/").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel != "src/main.rs" {
                    let text = std::fs::read_to_string(&path).expect("read a source file");
                    files.push((rel, text));
                }
            }
        }
    }
    files.sort();
    files
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `src/lib.rs` the root.
fn module_of(file: &str) -> Vec<String> {
    let rel = file.strip_prefix("src/").unwrap_or(file);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut segs: Vec<String> = rel.split('/').map(str::to_string).collect();
    if segs.last().is_some_and(|s| s == "mod") || segs == ["lib"] {
        segs.pop();
    }
    segs
}

/// The layer of a module path (the root is above every layer).
fn layer_of(module: &[String]) -> Option<usize> {
    match module.first() {
        None => Some(LAYERS.len()),
        Some(top) => LAYERS.iter().position(|(_, ms)| ms.contains(&top.as_str())),
    }
}

fn layer_name(i: usize) -> &'static str {
    LAYERS.get(i).map_or("the crate root", |(name, _)| name)
}

fn unplaced_modules(files: &[(String, String)]) -> Vec<String> {
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| module_of(f).first().cloned())
        .collect();
    tops.into_iter()
        .filter(|t| layer_of(std::slice::from_ref(t)).is_none())
        .collect()
}

/// `file:line: `path` (A imports B)` for each import whose target is in a
/// higher layer than its file.
fn upward(imports: &[Import]) -> Vec<String> {
    let mut out = Vec::new();
    for i in imports {
        let (Some(from), Some(to)) = (
            layer_of(&module_of(&i.file)),
            layer_of(&module_of(&i.target)),
        ) else {
            continue;
        };
        if to > from {
            out.push(format!(
                "{}:{}: `{}` ({} imports {})",
                i.file,
                i.line,
                i.path,
                layer_name(from),
                layer_name(to)
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every import between two different files of `files`.
fn imports(files: &[(String, String)]) -> Vec<Import> {
    let modules: BTreeMap<Vec<String>, &str> = files
        .iter()
        .map(|(f, _)| (module_of(f), f.as_str()))
        .collect();
    let mut out = Vec::new();
    for (file, text) in files {
        let module = module_of(file);
        for (line, inner, path) in paths(text) {
            let Some((full, target)) = resolve(&modules, &module, &inner, &path) else {
                continue;
            };
            if target != file {
                out.push(Import {
                    file: file.clone(),
                    line,
                    path: format!("crate::{}", full.join("::")),
                    target: target.to_string(),
                });
            }
        }
    }
    out
}

/// The absolute module path of `path` (written in `module`, inside the
/// inline modules `inner`) and the deepest module file it reaches.
fn resolve<'a>(
    modules: &BTreeMap<Vec<String>, &'a str>,
    module: &[String],
    inner: &[String],
    path: &[String],
) -> Option<(Vec<String>, &'a str)> {
    let (first, rest) = path.split_first()?;
    let mut full: Vec<String> = match first.as_str() {
        "crate" | "$crate" => Vec::new(),
        "self" | "super" => module.iter().chain(inner).cloned().collect(),
        _ => return None,
    };
    let mut rest = rest;
    if first == "super" {
        full.pop();
        while rest.first().is_some_and(|s| s == "super") {
            full.pop();
            rest = &rest[1..];
        }
    }
    full.extend(rest.iter().filter(|s| *s != "self" && *s != "*").cloned());
    (0..=full.len())
        .rev()
        .find_map(|k| modules.get(&full[..k]).map(|f| (full.clone(), *f)))
}

/// Every path of `text` that may name a module: (line, the inline modules
/// it is written in, its segments).
fn paths(text: &str) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let (code, strings) = strip(text);
    let mut out = Vec::new();
    for (line, s) in strings {
        let segs: Vec<String> = s.split("::").map(str::to_string).collect();
        let is_path = segs.len() > 1
            && segs[0] == "crate"
            && segs
                .iter()
                .all(|s| !s.is_empty() && s.chars().all(is_ident));
        if is_path {
            out.push((line, Vec::new(), segs));
        }
    }
    let tokens = tokens(&code);
    let mut inner: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let (line, t) = (tokens[i].0, tokens[i].1.as_str());
        let names: Vec<String> = inner.iter().map(|(n, _)| n.clone()).collect();
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inner.last().is_some_and(|(_, d)| *d > depth) {
                    inner.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t.1 == "{") => {
                inner.push((tokens[i + 1].1.clone(), depth + 1));
            }
            "use" => {
                let end = (i..tokens.len())
                    .find(|&j| tokens[j].1 == ";")
                    .unwrap_or(tokens.len());
                let mut trees = Vec::new();
                use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut trees);
                out.extend(trees.into_iter().map(|p| (line, names.clone(), p)));
                i = end;
                continue;
            }
            "crate" | "$crate" | "super" if tokens.get(i + 1).is_some_and(|t| t.1 == "::") => {
                let mut segs = vec![t.to_string()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|t| t.1 == "::")
                    && tokens.get(j + 1).is_some_and(|t| t.1.chars().all(is_ident))
                {
                    segs.push(tokens[j + 1].1.clone());
                    j += 2;
                }
                out.push((line, names, segs));
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The paths of one `use` tree (`a::{b, c::{d as e, *}}`), each whole.
fn use_tree(tokens: &[(usize, String)], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut i = 0;
    let start = prefix.len();
    while i < tokens.len() {
        match tokens[i].1.as_str() {
            "::" => {}
            "{" => {
                let close = matching(tokens, i);
                let mut begin = i + 1;
                let mut nest = 0;
                for j in i + 1..close {
                    match tokens[j].1.as_str() {
                        "{" => nest += 1,
                        "}" => nest -= 1,
                        "," if nest == 0 => {
                            use_tree(&tokens[begin..j], prefix, out);
                            begin = j + 1;
                        }
                        _ => {}
                    }
                }
                use_tree(&tokens[begin..close], prefix, out);
                prefix.truncate(start);
                return;
            }
            "as" => break,
            name => prefix.push(name.to_string()),
        }
        i += 1;
    }
    if prefix.len() > start {
        out.push(prefix.clone());
    }
    prefix.truncate(start);
}

/// The index of the `}` closing the `{` at `open`.
fn matching(tokens: &[(usize, String)], open: usize) -> usize {
    let mut nest = 0;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        match t.1.as_str() {
            "{" => nest += 1,
            "}" => {
                nest -= 1;
                if nest == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Identifiers (with `$crate`), `::`, and single punctuation, each with its
/// line.
fn tokens(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if is_ident(c) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            out.push((line, chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((line, "::".to_string()));
            i += 2;
        } else {
            out.push((line, c.to_string()));
            i += 1;
        }
    }
    out
}

/// `text` with comments and the insides of string and character literals
/// blanked (lines kept), and the string literals' contents with their
/// lines.
fn strip(text: &str) -> (String, Vec<(usize, String)>) {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut strings = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Copies the newlines of chars[from..to] (so lines stay where they were).
    let blank = |code: &mut String, line: &mut usize, from: usize, to: usize| {
        for c in &chars[from..to.min(chars.len())] {
            if *c == '\n' {
                code.push('\n');
                *line += 1;
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        // `r"…"` and `br"…"` are raw strings; `for"` is not.
        let prev_ident = i > 0
            && is_ident(chars[i - 1])
            && !(chars[i - 1] == 'b' && (i < 2 || !is_ident(chars[i - 2])));
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let (start, mut nest) = (i, 0);
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    nest += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            blank(&mut code, &mut line, start, i);
        } else if c == 'r' && !prev_ident && matches!(next, Some('"') | Some('#')) {
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            let body = i + 2 + hashes;
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let end = (body..chars.len())
                .find(|&j| {
                    chars[j..]
                        .iter()
                        .take(close.len())
                        .copied()
                        .eq(close.chars())
                })
                .unwrap_or(chars.len());
            strings.push((line, chars[body..end].iter().collect()));
            code.push_str("\"\"");
            blank(&mut code, &mut line, i, end);
            i = end + close.len();
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            strings.push((line, chars[i + 1..j.min(chars.len())].iter().collect()));
            code.push_str("\"\"");
            blank(&mut code, &mut line, i, j);
            i = j + 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            code.push_str("' '");
            i = j + 1;
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    (code, strings)
}

/// The import cycles between files (strongly connected sets of two or more
/// files), each sorted, in order.
fn cycles(imports: &[Import]) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for i in imports {
        graph.entry(&i.file).or_default().insert(&i.target);
        graph.entry(&i.target).or_default();
    }
    // Two files are in one cycle when each reaches the other.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(f) = todo.pop() {
            for t in &graph[f] {
                if seen.insert(t.to_string()) {
                    todo.push(*t);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<String>> = graph.keys().map(|f| (*f, reach(f))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut placed = BTreeSet::new();
    for f in graph.keys() {
        if placed.contains(*f) || !reaches[f].contains(*f) {
            continue;
        }
        let cycle: Vec<String> = reaches[f]
            .iter()
            .filter(|g| reaches[g.as_str()].contains(*f))
            .cloned()
            .collect();
        placed.extend(cycle.iter().cloned());
        out.push(cycle);
    }
    out
}
