//! `extends = "FILE"`: a spec built on another spec.
//!
//! Each file is read into a tree of keys whose values keep their byte spans;
//! the trees are merged (tables key by key, the extending file's keys win,
//! anything else — numbers, strings, arrays — replaced whole; `unset = […]`
//! removes inherited keys), and the merged spec is written back as TOML text
//! made of the values exactly as they were written. That text is what
//! `load` reads; every span in it maps back to the file and position the
//! value came from, so errors still point into the right file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{SpecError, SpecErrors};
use super::KeySource;

/// The longest `extends` chain followed.
const MAX_CHAIN: usize = 16;

/// A TOML value with the spans of everything in it.
enum Node {
    Table(Vec<(Spanned<String>, Spanned<Node>)>),
    /// A leaf: the value's span is all we need (it is copied verbatim).
    Leaf,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<Spanned<String>>()? {
            let v = map.next_value::<Spanned<Node>>()?;
            out.push((k, v));
        }
        Ok(Node::Table(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Node::Leaf)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_string<E>(self, _: String) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
}

/// A merged value: a table of merged values, or a leaf's text in a file.
enum Merged {
    Table(BTreeMap<String, (Merged, Origin)>),
    Leaf,
}

/// Where a key and its value were written.
#[derive(Clone, Copy)]
struct Origin {
    file: usize,
    key: (usize, usize),
    value: (usize, usize),
}

/// A piece of the merged text copied from a file.
struct Piece {
    at: usize,
    len: usize,
    file: usize,
    from: usize,
}

/// The text `load` reads, and how to place a position of it in a file.
pub struct Source {
    /// The spec the user named.
    pub path: PathBuf,
    pub text: String,
    /// Every file read, the spec first, with its text.
    files: Vec<(PathBuf, String)>,
    /// Empty when `text` is the spec file itself.
    pieces: Vec<Piece>,
    /// For each key path (`profile.tau`), the file it came from.
    key_files: BTreeMap<String, usize>,
    /// Where each key came from, when the spec extends another.
    pub sources: Vec<KeySource>,
}

impl Source {
    /// An error at `start..end` of the merged text, placed in its file.
    pub fn at(&self, start: usize, end: usize, message: impl Into<String>) -> SpecError {
        if self.pieces.is_empty() {
            return SpecError::at(&self.path, &self.text, start, end, message);
        }
        match self
            .pieces
            .iter()
            .find(|p| start >= p.at && start < p.at + p.len.max(1))
        {
            Some(p) => {
                let (file, text) = &self.files[p.file];
                let offset = start - p.at;
                let len = end.saturating_sub(start);
                SpecError::at(file, text, p.from + offset, p.from + offset + len, message)
            }
            None => SpecError::whole_file(&self.path, message),
        }
    }

    /// The file a key (`benchmark.targets`) was written in.
    pub fn file_of(&self, key: &str) -> &Path {
        let i = self.key_files.get(key).copied().unwrap_or(0);
        &self.files[i].0
    }
}

/// A spec or targets file's text, only from a regular file of at most
/// [`crate::limits::MAX_SPEC_FILE`] bytes; an error names the file.
pub(super) fn read(path: &Path) -> Result<String, SpecError> {
    super::shipped::read(path).map_err(|e| SpecError::whole_file(path, format!("cannot read: {e}")))
}

/// A TOML error at its place in `path`.
pub(super) fn toml_error(path: &Path, text: &str, e: toml::de::Error) -> SpecError {
    let message = super::diagnostic::plain_toml_message(e.message());
    match e.span() {
        Some(r) => SpecError::at(path, text, r.start, r.end, message),
        None => SpecError::whole_file(path, message),
    }
}

/// Reads a spec and every spec it extends.
pub fn resolve(path: &Path) -> Result<Source, SpecErrors> {
    let text = read(path)?;
    let root: Node = toml::from_str(&text).map_err(|e| toml_error(path, &text, e))?;
    if extends_of(&root, &text).is_none() {
        if let Some(span) = key_span(&root, "unset") {
            return Err(SpecError::at(
                path,
                &text,
                span.0,
                span.1,
                "`unset` removes inherited keys, but this spec `extends` none",
            )
            .expected("`extends = \"BASE.toml\"` beside `unset`, or no `unset`")
            .into());
        }
        return Ok(Source {
            path: path.to_path_buf(),
            text,
            files: vec![(path.to_path_buf(), String::new())],
            pieces: Vec::new(),
            key_files: BTreeMap::new(),
            sources: Vec::new(),
        });
    }
    // The chain, the spec first.
    let mut files = vec![(path.to_path_buf(), text)];
    let mut trees = vec![root];
    while let Some((name, span)) = extends_of(&trees[trees.len() - 1], &files[files.len() - 1].1) {
        let (from, from_text) = &files[files.len() - 1];
        let next = resolve_path(from, &name);
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if files.iter().any(|(p, _)| canonical(p) == canonical(&next)) {
            let chain: Vec<String> = files
                .iter()
                .map(|(p, _)| p.display().to_string())
                .chain(std::iter::once(next.display().to_string()))
                .collect();
            return Err(SpecError::at(
                from,
                from_text,
                span.0,
                span.1,
                format!("`extends` cycle: {}", chain.join(" → ")),
            )
            .into());
        }
        if files.len() >= MAX_CHAIN {
            return Err(SpecError::at(
                from,
                from_text,
                span.0,
                span.1,
                format!("`extends` chain longer than {MAX_CHAIN} files"),
            )
            .into());
        }
        let next_text = read(&next).map_err(|e| {
            let mut first = SpecError::at(
                from,
                from_text,
                span.0,
                span.1,
                format!(
                    "extended spec `{name}` cannot be used (looked for {})",
                    next.display()
                ),
            );
            first.expected = Some(format!(
                "a readable spec, relative to the folder of {}; it says: {}",
                from.display(),
                e.message
            ));
            first
        })?;
        let tree: Node =
            toml::from_str(&next_text).map_err(|e| toml_error(&next, &next_text, e))?;
        files.push((next, next_text));
        trees.push(tree);
    }
    // Merge from the most basic file up.
    let mut merged = BTreeMap::new();
    let mut errors = Vec::new();
    for (i, tree) in trees.iter().enumerate().rev() {
        if let Node::Table(entries) = tree {
            let file = FileRef {
                path: &files[i].0,
                text: &files[i].1,
                index: i,
            };
            apply(&mut merged, entries, &file, "", &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    Ok(render(path, files, merged))
}

/// `extends = "…"` of a file, with the value's span.
fn extends_of(tree: &Node, text: &str) -> Option<(String, (usize, usize))> {
    let Node::Table(entries) = tree else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.get_ref() == "extends")
        .map(|(_, v)| {
            let s = v.span();
            let raw = &text[s.clone()];
            let name = toml::from_str::<BTreeMap<String, String>>(&format!("x = {raw}"))
                .ok()
                .and_then(|m| m.get("x").cloned())
                .unwrap_or_else(|| raw.trim_matches('"').to_string());
            (name, (s.start, s.end))
        })
}

/// A path written in a spec: relative to that spec's folder, or absolute.
pub fn resolve_path(spec: &Path, name: &str) -> PathBuf {
    super::shipped::clean(&spec.parent().unwrap_or(Path::new(".")).join(name))
}

/// One file of an `extends` chain, as `apply` needs it.
struct FileRef<'a> {
    path: &'a Path,
    text: &'a str,
    index: usize,
}

/// The span of a top-level key's value.
fn key_span(tree: &Node, key: &str) -> Option<(usize, usize)> {
    let Node::Table(entries) = tree else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| (v.span().start, v.span().end))
}

/// Merges one file's entries into `into`: tables key by key, the rest whole.
/// `unset = ["table.key", "table"]` first removes inherited keys; a path
/// that names no inherited key is an error (a typo would otherwise leave
/// the key in place without a word).
fn apply(
    into: &mut BTreeMap<String, (Merged, Origin)>,
    entries: &[(Spanned<String>, Spanned<Node>)],
    file: &FileRef,
    prefix: &str,
    errors: &mut Vec<SpecError>,
) {
    for (k, v) in entries {
        if k.get_ref() == "unset" {
            unset_all(into, v.span(), file, prefix, errors);
        }
    }
    for (k, v) in entries {
        if matches!(k.get_ref().as_str(), "extends" | "unset") {
            continue;
        }
        let origin = Origin {
            file: file.index,
            key: (k.span().start, k.span().end),
            value: (v.span().start, v.span().end),
        };
        match v.get_ref() {
            Node::Table(children) => {
                let slot = into
                    .entry(k.get_ref().clone())
                    .or_insert_with(|| (Merged::Table(BTreeMap::new()), origin));
                if !matches!(slot.0, Merged::Table(_)) {
                    *slot = (Merged::Table(BTreeMap::new()), origin);
                }
                if let Merged::Table(t) = &mut slot.0 {
                    let inner = format!("{prefix}{}.", k.get_ref());
                    apply(t, children, file, &inner, errors);
                }
            }
            Node::Leaf => {
                into.insert(k.get_ref().clone(), (Merged::Leaf, origin));
            }
        }
    }
}

/// Applies one `unset = [...]` value (at `span` of the file): each path
/// must name an inherited key.
fn unset_all(
    into: &mut BTreeMap<String, (Merged, Origin)>,
    span: std::ops::Range<usize>,
    file: &FileRef,
    prefix: &str,
    errors: &mut Vec<SpecError>,
) {
    // The value re-read with spans: `x = ` shifts them by 4.
    const SHIFT: usize = 4;
    let raw = &file.text[span.clone()];
    let parsed = toml::from_str::<BTreeMap<String, Vec<Spanned<String>>>>(&format!("x = {raw}"));
    let Some(paths) = parsed.ok().and_then(|mut m| m.remove("x")) else {
        errors.push(
            SpecError::at(
                file.path,
                file.text,
                span.start,
                span.end,
                "`unset` must be a list of inherited key paths",
            )
            .expected("e.g. `unset = [\"workloads.held_out\", \"held_out_sampling\"]`"),
        );
        return;
    };
    for p in paths {
        if unset(into, p.get_ref()) {
            continue;
        }
        let mut known = Vec::new();
        key_paths(into, "", &mut known);
        let start = span.start + p.span().start - SHIFT;
        let end = span.start + p.span().end - SHIFT;
        errors.push(
            SpecError::at(
                file.path,
                file.text,
                start,
                end,
                format!(
                    "`unset` names `{prefix}{}`, which no extended spec sets{}",
                    p.get_ref(),
                    crate::diagnostics::did_you_mean(p.get_ref(), known.iter().map(String::as_str))
                ),
            )
            .expected("a `table` or `table.key` path of the merged spec"),
        );
    }
}

/// Every key path of a merged tree (`workloads`, `workloads.held_out`, …).
fn key_paths(tree: &BTreeMap<String, (Merged, Origin)>, prefix: &str, out: &mut Vec<String>) {
    for (k, (m, _)) in tree {
        let path = format!("{prefix}{k}");
        if let Merged::Table(t) = m {
            key_paths(t, &format!("{path}."), out);
        }
        out.push(path);
    }
}

/// Removes the key at `path`; whether it was there.
fn unset(into: &mut BTreeMap<String, (Merged, Origin)>, path: &str) -> bool {
    if into.remove(path).is_some() {
        return true;
    }
    match path.split_once('.') {
        None => false,
        Some((head, rest)) => match into.get_mut(head) {
            Some((Merged::Table(t), _)) => unset(t, rest),
            _ => false,
        },
    }
}

/// Writes the merged tree as TOML, values copied verbatim.
fn render(
    path: &Path,
    files: Vec<(PathBuf, String)>,
    merged: BTreeMap<String, (Merged, Origin)>,
) -> Source {
    let mut w = Writer {
        text: String::new(),
        pieces: Vec::new(),
        key_files: BTreeMap::new(),
        sources: Vec::new(),
        files: &files,
    };
    // Top-level leaves first, then one [table] per table.
    for (k, (m, o)) in &merged {
        if let Merged::Leaf = m {
            w.leaf(k, o);
        }
    }
    for (k, (m, o)) in &merged {
        if let Merged::Table(t) = m {
            w.table("", k, o, t);
        }
    }
    let Writer {
        text,
        pieces,
        key_files,
        sources,
        ..
    } = w;
    Source {
        path: path.to_path_buf(),
        text,
        files,
        pieces,
        key_files,
        sources,
    }
}

struct Writer<'a> {
    text: String,
    pieces: Vec<Piece>,
    key_files: BTreeMap<String, usize>,
    sources: Vec<KeySource>,
    files: &'a [(PathBuf, String)],
}

impl Writer<'_> {
    fn copy(&mut self, file: usize, span: (usize, usize)) {
        let raw = &self.files[file].1[span.0..span.1];
        self.pieces.push(Piece {
            at: self.text.len(),
            len: raw.len(),
            file,
            from: span.0,
        });
        self.text.push_str(raw);
    }

    fn leaf(&mut self, path: &str, o: &Origin) {
        self.copy(o.file, o.key);
        self.text.push_str(" = ");
        self.copy(o.file, o.value);
        self.text.push('\n');
        self.key_files.insert(path.to_string(), o.file);
        let raw = &self.files[o.file].1[o.value.0..o.value.1];
        self.sources.push(KeySource {
            key: path.to_string(),
            value: raw.to_string(),
            file: self.files[o.file].0.clone(),
        });
    }

    /// `[path]`, its leaves, then its sub-tables (so each key stays in its
    /// table). The header's last key is copied from the file that wrote it,
    /// so an error about the table (an unknown one) points there.
    fn table(
        &mut self,
        parent: &str,
        key: &str,
        o: &Origin,
        t: &BTreeMap<String, (Merged, Origin)>,
    ) {
        let path = format!("{parent}{key}");
        self.text.push_str(&format!("\n[{parent}"));
        let raw = &self.files[o.file].1[o.key.0..o.key.1];
        if raw == key {
            self.copy(o.file, o.key);
        } else {
            self.text.push_str(&toml_key(key));
        }
        self.text.push_str("]\n");
        for (k, (m, o)) in t {
            if let Merged::Leaf = m {
                self.leaf(&format!("{path}.{k}"), o);
            }
        }
        for (k, (m, o)) in t {
            if let Merged::Table(inner) = m {
                self.table(&format!("{path}."), k, o, inner);
            }
        }
    }
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}
