//! `spec fmt`: one canonical text for a spec file, its comments kept.
//!
//! The file is read with `toml_edit`, which keeps every comment and blank
//! line beside the key, table or array item it stands before or after, and
//! written anew from that tree (docs/spec-tools.md says the form):
//!
//! - the comments at the top of the file stay first, as written;
//! - top-level keys, then tables, each in the order of the spec reference
//!   (the order the loader's types declare: [`super::loader::key_order`]);
//!   keys and tables the reference does not know follow, as written (a
//!   file that is no spec — a spec's tests, a targets file — keeps its
//!   order);
//! - `key = value`, keys bare where TOML allows; one blank line before a
//!   table, none after its header; at most one between entries;
//! - a comment above an entry moves with it; a comment after a value or a
//!   header is written two spaces after it;
//! - an array on one line when it fits in [`WIDTH`] columns and holds no
//!   comment, else one item a line, indented two spaces, with a trailing
//!   comma; inline tables `{ k = v, … }`;
//! - formulas printed by the rule language's printer (the text `spec
//!   explain` and the reports show, but numbers as written by hand: `4`,
//!   `0.5`, not `4.0`), when parsing the print gives the same tree
//!   ([`canonical_formula`]); any other value as written.
//!
//! The result is a fixed point: formatting it again gives it unchanged.

use std::path::Path;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Key, RawString, Table, Value};

use super::diagnostic::SpecError;
use super::formula;

/// The widest line an array is kept on.
pub const WIDTH: usize = 100;

/// The canonical text of a spec (or any TOML file the engine reads: spec
/// tests, targets files); a TOML error at its file, line and column.
pub fn format(path: &Path, text: &str) -> Result<String, SpecError> {
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let message = super::diagnostic::plain_toml_message(e.message());
        match e.span() {
            Some(r) => SpecError::at(path, text, r.start, r.end, message),
            None => SpecError::whole_file(path, message),
        }
    })?;
    // A spec (it extends another or has a [benchmark]) is written in the
    // reference's order, its formulas canonical; any other file (spec
    // tests, targets files) keeps its order and its strings.
    let spec = ["extends", "benchmark"].iter().any(|k| doc.contains_key(k));
    let mut w = Writer {
        out: String::new(),
        blank: false,
        order: if spec {
            super::loader::key_order()
        } else {
            Vec::new()
        },
        spec,
        header: first_prefix(doc.as_table()),
    };
    if let Some(header) = w.header {
        w.comments(header, false);
    }
    w.table_body(doc.as_table(), &[]);
    w.comments(doc.trailing(), true);
    Ok(w.out)
}

/// The formula as the rule language prints it, numbers as a person writes
/// them (`4`, not `4.0`: [`formula::Numbers::Written`]), when parsing the print gives
/// the same tree (spans aside) and printing that gives the same text;
/// `None` for a formula that does not parse or would not survive.
pub fn canonical_formula(text: &str) -> Option<String> {
    let tree = formula::parse(text).ok()?;
    let printed = tree.written();
    let again = formula::parse(&printed).ok()?;
    (shape(&tree) == shape(&again) && again.written() == printed).then_some(printed)
}

/// A formula tree without its spans, to compare two parses: its debug text
/// with every `Span { … }` cut out (so a node kind added to the language
/// is compared without a change here).
fn shape(tree: &formula::Formula) -> String {
    let text = format!("{tree:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('}').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Whether values under `path` (`aggregate.trial`, `rules.steps`) are
/// formulas: the places of [`super::lang::Slot`].
pub fn is_formula(path: &str) -> bool {
    super::lang::ALL
        .iter()
        .any(|slot| slot_path(slot.key()) == path)
}

/// `[aggregate] trial` → `aggregate.trial`.
fn slot_path(key: &str) -> String {
    key.trim_start_matches('[').replacen("] ", ".", 1)
}

/// A value on one line, in canonical form (`spec diff` compares these).
pub fn inline_value(value: &Value, path: &str) -> String {
    let order = super::loader::key_order();
    let w = Writer {
        out: String::new(),
        blank: false,
        order,
        spec: true,
        header: None,
    };
    w.value(value, path, 0, 0, true)
}

/// The known key order of a table, by its path.
pub(super) fn rank(order: &[(&str, &[&str])], path: &str, key: &str) -> usize {
    (order.iter())
        .find(|(p, _)| *p == path)
        .and_then(|(_, keys)| keys.iter().position(|k| *k == key))
        .unwrap_or(usize::MAX)
}

fn join(path: &[&str]) -> String {
    path.join(".")
}

/// A key as TOML writes it by default: bare when it can be.
fn key_text(name: &str) -> String {
    Key::new(name).display_repr().into_owned()
}

/// The decor prefix of the file's first entry or header: the comments at
/// the top of the file.
fn first_prefix(root: &Table) -> Option<&RawString> {
    if let Some((name, _)) = root.iter().find(|(_, item)| item.is_value()) {
        return root.key(name).and_then(|k| k.leaf_decor().prefix());
    }
    let mut tables = Vec::new();
    collect_tables(root, &mut tables);
    tables
        .into_iter()
        .filter(|t| !t.is_implicit() && !t.is_dotted())
        .min_by_key(|t| t.position().unwrap_or(usize::MAX))
        .and_then(|t| t.decor().prefix())
}

/// Where a table's header stands in the file; for a table only named in
/// its sub-tables' headers (`[workloads.wmt]`), the first of them.
fn first_position(table: &Table) -> usize {
    if !table.is_implicit() {
        if let Some(p) = table.position() {
            return p;
        }
    }
    let mut tables = Vec::new();
    collect_tables(table, &mut tables);
    (tables.into_iter())
        .filter_map(|t| (!t.is_implicit()).then(|| t.position()).flatten())
        .min()
        .unwrap_or(usize::MAX)
}

fn collect_tables<'a>(table: &'a Table, out: &mut Vec<&'a Table>) {
    for (_, item) in table.iter() {
        match item {
            Item::Table(t) => {
                out.push(t);
                collect_tables(t, out);
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    out.push(t);
                    collect_tables(t, out);
                }
            }
            _ => {}
        }
    }
}

/// The comment lines of a decor prefix (`None` for a blank line), the
/// indentation before the entry left out.
fn prefix_lines(raw: Option<&RawString>) -> Vec<Option<String>> {
    let text = raw.and_then(|r| r.as_str()).unwrap_or("");
    let mut lines: Vec<Option<String>> = Vec::new();
    let mut parts: Vec<&str> = text.split('\n').collect();
    parts.pop(); // what follows the last line break: the entry's indentation
    for part in parts {
        let line = part.trim();
        let item = line.starts_with('#').then(|| line.to_string());
        if item.is_none() && lines.last().is_some_and(Option::is_none) {
            continue;
        }
        lines.push(item);
    }
    lines
}

/// The comment after a value or header, as written after it.
fn trailing(raw: Option<&RawString>) -> String {
    let text = raw.and_then(|r| r.as_str()).unwrap_or("").trim();
    if text.starts_with('#') {
        format!("  {text}")
    } else {
        String::new()
    }
}

struct Writer<'a> {
    out: String,
    /// A blank line is due before the next line written.
    blank: bool,
    order: Vec<(&'static str, &'static [&'static str])>,
    /// Whether the file is a spec (its formulas are re-printed).
    spec: bool,
    /// The file's top comments, written first and not again.
    header: Option<&'a RawString>,
}

/// One `key = value` of a table, or a sub-table, in the order written.
enum Entry<'t> {
    /// The whole key, the comments above it, the value.
    Value(Vec<&'t str>, Option<&'t RawString>, &'t Value),
    Table(&'t str, &'t Table),
    Tables(&'t str, &'t toml_edit::ArrayOfTables),
}

impl<'a> Writer<'a> {
    fn line(&mut self, text: &str) {
        if self.blank && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.blank = false;
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Comment lines of a prefix; `blank_first`: a blank line written before
    /// them stays (between entries, at the end of the file).
    fn comments(&mut self, raw: &RawString, blank_first: bool) {
        self.prefix(Some(raw), blank_first);
    }

    fn prefix(&mut self, raw: Option<&RawString>, blank_first: bool) {
        if let (Some(r), Some(h)) = (raw, self.header) {
            if std::ptr::eq(r, h) && !self.out.is_empty() {
                return; // the file's top comments, already written
            }
        }
        let lines = prefix_lines(raw);
        for (i, line) in lines.iter().enumerate() {
            match line {
                Some(c) => self.line(c),
                None if i > 0 || blank_first => self.blank = true,
                None => {}
            }
        }
    }

    /// A table's entries: its values (and dotted keys) in reference order,
    /// then its sub-tables, each a section.
    fn table_body(&mut self, table: &Table, path: &[&str]) {
        let mut values = Vec::new();
        let mut tables = Vec::new();
        entries(table, &mut Vec::new(), &mut values, &mut tables);
        let here = join(path);
        values.sort_by_key(|e| match e {
            Entry::Value(keys, ..) => rank(&self.order, &here, keys[0]),
            _ => usize::MAX,
        });
        tables.sort_by_key(|e| match e {
            Entry::Table(name, t) => (rank(&self.order, &here, name), first_position(t)),
            Entry::Tables(name, a) => (
                rank(&self.order, &here, name),
                a.iter().map(first_position).min().unwrap_or(usize::MAX),
            ),
            Entry::Value(..) => (usize::MAX, usize::MAX),
        });
        for (i, e) in values.iter().enumerate() {
            if let Entry::Value(keys, above, value) = e {
                self.key_value(&here, keys, *above, value, i > 0 || path.is_empty());
            }
        }
        for e in tables {
            match e {
                Entry::Table(name, t) => self.section(t, path, name, false),
                Entry::Tables(name, array) => {
                    for t in array.iter() {
                        self.section(t, path, name, true);
                    }
                }
                Entry::Value(..) => {}
            }
        }
    }

    fn section(&mut self, table: &Table, parent: &[&str], name: &str, array: bool) {
        let mut path = parent.to_vec();
        path.push(name);
        if !table.is_implicit() || array {
            self.blank = true;
            self.prefix(table.decor().prefix(), true);
            self.blank = true;
            let keys: Vec<String> = path.iter().map(|k| key_text(k)).collect();
            let (open, close) = if array { ("[[", "]]") } else { ("[", "]") };
            let header = format!("{open}{}{close}", keys.join("."));
            self.line(&format!("{header}{}", trailing(table.decor().suffix())));
        }
        self.table_body(table, &path);
    }

    fn key_value(
        &mut self,
        table: &str,
        keys: &[&str],
        above: Option<&RawString>,
        value: &Value,
        spaced: bool,
    ) {
        self.prefix(above, spaced);
        let mut path = table.to_string();
        for k in keys {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
        }
        let left: Vec<String> = keys.iter().map(|k| key_text(k)).collect();
        let left = format!("{} = ", left.join("."));
        let text = self.value(value, &path, 0, left.chars().count(), false);
        let after = trailing(value.decor().suffix());
        self.line(&format!("{left}{text}{after}"));
    }

    /// A value's canonical text: `lead` columns stand before it on its
    /// line; `inline` forces one line (inside inline tables, for diffs).
    fn value(&self, value: &Value, path: &str, indent: usize, lead: usize, inline: bool) -> String {
        match value {
            Value::String(s) if self.spec && is_formula(path) => match canonical_formula(s.value())
            {
                Some(text) => toml_edit::Formatted::new(text).display_repr().into_owned(),
                None => s.display_repr().into_owned(),
            },
            Value::String(s) => s.display_repr().into_owned(),
            Value::Integer(v) => v.display_repr().into_owned(),
            Value::Float(v) => v.display_repr().into_owned(),
            Value::Boolean(v) => v.display_repr().into_owned(),
            Value::Datetime(v) => v.display_repr().into_owned(),
            Value::Array(a) => self.array(a, path, indent, lead, inline),
            Value::InlineTable(t) => self.inline_table(t, path),
        }
    }

    fn inline_table(&self, table: &InlineTable, path: &str) -> String {
        let mut items: Vec<(&str, &Value)> = table.iter().collect();
        items.sort_by_key(|(k, _)| rank(&self.order, path, k));
        if items.is_empty() {
            return "{}".into();
        }
        let parts: Vec<String> = (items.into_iter())
            .map(|(k, v)| {
                let inner = format!("{path}.{k}");
                format!("{} = {}", key_text(k), self.value(v, &inner, 0, 0, true))
            })
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    fn array(&self, array: &Array, path: &str, indent: usize, lead: usize, inline: bool) -> String {
        let (items, end) = array_comments(array);
        let texts: Vec<String> = (array.iter())
            .map(|v| self.value(v, path, indent + 2, indent + 2, inline))
            .collect();
        let one_line = format!("[{}]", texts.join(", "));
        let commented = items
            .iter()
            .any(|(above, after)| !above.is_empty() || !after.is_empty())
            || !end.is_empty();
        let fits = lead + one_line.chars().count() <= WIDTH && !one_line.contains('\n');
        if inline || (fits && !commented) || texts.is_empty() && !commented {
            return one_line;
        }
        let pad = " ".repeat(indent + 2);
        let mut out = String::from("[\n");
        for ((above, after), text) in items.iter().zip(&texts) {
            for c in above {
                out.push_str(&format!("{pad}{c}\n"));
            }
            out.push_str(&format!("{pad}{text},{after}\n"));
        }
        for c in &end {
            out.push_str(&format!("{pad}{c}\n"));
        }
        out.push_str(&" ".repeat(indent));
        out.push(']');
        out
    }
}

/// The values and sub-tables of a table; dotted keys (`a.b = 1`) are
/// values under their whole key, the comments above `a` with the first.
fn entries<'t>(
    table: &'t Table,
    keys: &mut Vec<&'t str>,
    values: &mut Vec<Entry<'t>>,
    tables: &mut Vec<Entry<'t>>,
) {
    for (name, item) in table.iter() {
        let above = table.key(name).and_then(|k| k.leaf_decor().prefix());
        match item {
            Item::Value(v) => {
                let mut all = keys.clone();
                all.push(name);
                values.push(Entry::Value(all, above, v));
            }
            Item::Table(t) if t.is_dotted() => {
                keys.push(name);
                let first = values.len();
                entries(t, keys, values, &mut Vec::new());
                keys.pop();
                if let Some(Entry::Value(_, own, _)) = values.get_mut(first) {
                    if above.is_some_and(|a| !a.as_str().unwrap_or("").is_empty()) {
                        *own = above;
                    }
                }
            }
            Item::Table(t) => tables.push(Entry::Table(name, t)),
            Item::ArrayOfTables(a) => tables.push(Entry::Tables(name, a)),
            Item::None => {}
        }
    }
}

/// Each array item's comments (the lines above it, the comment after it
/// on its line), and the comment lines after the last item, before `]`.
fn array_comments(array: &Array) -> (Vec<(Vec<String>, String)>, Vec<String>) {
    let values: Vec<&Value> = array.iter().collect();
    let mut items: Vec<(Vec<String>, String)> = vec![(Vec::new(), String::new()); values.len()];
    let mut end = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let (first, rest) = split_first_line(v.decor().prefix());
        // What follows `[` or the previous item's comma on its line.
        if let Some(c) = first {
            match i.checked_sub(1) {
                Some(p) => items[p].1 = format!("  {c}"),
                None => items[i].0.push(c),
            }
        }
        items[i].0.extend(rest);
        // Between the item and its comma (or `]` after the last item).
        let (first, rest) = split_first_line(v.decor().suffix());
        if let Some(c) = first {
            items[i].1 = format!("  {c}");
        }
        match items.get_mut(i + 1) {
            Some(next) => next.0.extend(rest),
            None => end.extend(rest),
        }
    }
    let (first, rest) = split_first_line(Some(array.trailing()));
    match (items.last_mut(), first) {
        (Some(last), Some(c)) => last.1 = format!("  {c}"),
        (None, Some(c)) => end.push(c),
        _ => {}
    }
    end.extend(rest);
    (items, end)
}

/// A raw text's comment on its first line (the rest of the line something
/// else started), and the comment lines after it.
fn split_first_line(raw: Option<&RawString>) -> (Option<String>, Vec<String>) {
    let text = raw.and_then(|r| r.as_str()).unwrap_or("");
    let mut lines = text.split('\n');
    let first = lines.next().map(str::trim).filter(|l| l.starts_with('#'));
    let rest = lines
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .map(String::from)
        .collect();
    (first.map(String::from), rest)
}
