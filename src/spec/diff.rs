//! `spec diff A B`: two specs as they score, compared key by key.
//!
//! Each spec is merged through its `extends` chain (`unset` applied) into
//! the text the loader reads, and loaded (so both are valid specs). Every
//! key of the merged text is compared in canonical form ([`super::fmt`]):
//! tables and inline tables key by key (`workloads.held_out.wmt_glu_tanh`),
//! formulas as the rule language prints them and `[rules] steps` step by
//! step, aligned on their longest common subsequence (`rules.steps[2]`),
//! other values whole. The targets the two specs
//! read are compared per workload of either (`targets.wmt`), since a spec
//! that only points at another targets file changes every score.

use std::path::Path;

use serde::Serialize;
use toml_edit::{DocumentMut, Item, Table, Value};

use super::diagnostic::{SpecError, SpecErrors};
use super::fmt::{self, rank};
use super::Spec;

/// What a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    /// A value of the spec (canonical TOML).
    Value,
    /// A formula (as the rule language prints it).
    Formula,
    /// A workload's target, from the targets file the spec names.
    Target,
}

/// One key whose value differs, or that only one spec has.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct KeyChange {
    /// `table.key`, `rules.steps[0]`, `targets.WORKLOAD`.
    pub key: String,
    pub kind: KeyKind,
    /// The value in spec A; null where A has no such key.
    pub a: Option<String>,
    /// The value in spec B; null where B has no such key.
    pub b: Option<String>,
}

/// Every key that differs between two loaded specs, in the reference's
/// order (A's keys first, then those only B has). A formula list
/// (`[rules] steps`) is aligned step by step on its longest common
/// subsequence, so that a step inserted or dropped shows as that one step,
/// not as every later step changed: a dropped or changed step carries A's
/// index, an added one B's.
pub fn diff(a: &Path, b: &Path) -> Result<(Spec, Spec, Vec<KeyChange>), SpecErrors> {
    let (spec_a, keys_a) = keys_of(a)?;
    let (spec_b, keys_b) = keys_of(b)?;
    let mut changes = Vec::new();
    let mut lists_done = Vec::new();
    for (key, kind, va) in &keys_a {
        if let Some(list) = list_of(key) {
            if !lists_done.contains(&list) {
                lists_done.push(list);
                changes.extend(list_changes(list, &keys_a, &keys_b));
            }
            continue;
        }
        let vb = (keys_b.iter()).find(|(k, ..)| k == key).map(|(.., v)| v);
        if vb != Some(va) {
            changes.push(KeyChange {
                key: key.clone(),
                kind: *kind,
                a: Some(va.clone()),
                b: vb.cloned(),
            });
        }
    }
    for (key, kind, vb) in &keys_b {
        if let Some(list) = list_of(key) {
            if !lists_done.contains(&list) {
                lists_done.push(list);
                changes.extend(list_changes(list, &keys_a, &keys_b));
            }
            continue;
        }
        if !keys_a.iter().any(|(k, ..)| k == key) {
            changes.push(KeyChange {
                key: key.clone(),
                kind: *kind,
                a: None,
                b: Some(vb.clone()),
            });
        }
    }
    Ok((spec_a, spec_b, changes))
}

/// The list a formula-list item's key belongs to: `rules.steps` of
/// `rules.steps[2]`.
fn list_of(key: &str) -> Option<&str> {
    let (list, index) = key.strip_suffix(']')?.rsplit_once('[')?;
    index.parse::<usize>().ok().map(|_| list)
}

/// The items of formula list `list` in order.
fn items<'k>(list: &str, keys: &'k Keys) -> Vec<&'k str> {
    keys.iter()
        .filter(|(k, ..)| list_of(k) == Some(list))
        .map(|(.., v)| v.as_str())
        .collect()
}

/// The changes between A's and B's items of formula list `list`, aligned
/// on their longest common subsequence: between two kept items, A's
/// dropped items pair with B's added ones in order (a changed step), the
/// rest are dropped or added.
fn list_changes(list: &str, keys_a: &Keys, keys_b: &Keys) -> Vec<KeyChange> {
    let (a, b) = (items(list, keys_a), items(list, keys_b));
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = match a[i] == b[j] {
                true => lcs[i + 1][j + 1] + 1,
                false => lcs[i + 1][j].max(lcs[i][j + 1]),
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut dropped, mut added) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(list, (&a, &b), (&mut dropped, &mut added), &mut out);
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            dropped.push(i);
            i += 1;
        } else {
            added.push(j);
            j += 1;
        }
    }
    flush(list, (&a, &b), (&mut dropped, &mut added), &mut out);
    out
}

/// One run of A's dropped and B's added items between two kept ones.
fn flush(
    list: &str,
    (a, b): (&[&str], &[&str]),
    (dropped, added): (&mut Vec<usize>, &mut Vec<usize>),
    out: &mut Vec<KeyChange>,
) {
    let change = |index: usize, va: Option<&str>, vb: Option<&str>| KeyChange {
        key: format!("{list}[{index}]"),
        kind: KeyKind::Formula,
        a: va.map(str::to_string),
        b: vb.map(str::to_string),
    };
    let paired = dropped.len().min(added.len());
    for (&i, &j) in dropped.iter().zip(added.iter()) {
        out.push(change(i, Some(a[i]), Some(b[j])));
    }
    for &i in &dropped[paired..] {
        out.push(change(i, Some(a[i]), None));
    }
    for &j in &added[paired..] {
        out.push(change(j, None, Some(b[j])));
    }
    dropped.clear();
    added.clear();
}

type Keys = Vec<(String, KeyKind, String)>;

/// A spec loaded, and its merged keys with their canonical values.
fn keys_of(path: &Path) -> Result<(Spec, Keys), SpecErrors> {
    let spec = super::load(path)?;
    let resolved = super::shipped::resolve(path)?;
    let source = super::extends::resolve(&resolved)?;
    let doc: DocumentMut = (source.text.parse()).map_err(|e: toml_edit::TomlError| {
        SpecErrors::from(SpecError::whole_file(path, e.message().to_string()))
    })?;
    let mut keys = Vec::new();
    let order = super::loader::key_order();
    flatten(doc.as_table(), "", &order, &mut keys);
    for (name, t) in &spec.targets {
        if spec.matrix_workloads().contains(name) {
            keys.push((format!("targets.{name}"), KeyKind::Target, target_text(t)));
        }
    }
    Ok((spec, keys))
}

/// `validation/loss <= 0.123735, budget 7703 s, step hint 8000`.
fn target_text(t: &super::WorkloadTarget) -> String {
    let op = match t.goal {
        super::Goal::Minimize => "<=",
        super::Goal::Maximize => ">=",
    };
    let budget = t
        .budget
        .map(|b| format!(", budget {} s", crate::numeric::py_repr(b)))
        .unwrap_or_default();
    format!(
        "{} {op} {}{budget}, step hint {}",
        t.column,
        crate::numeric::py_repr(t.target),
        t.step_hint
    )
}

fn flatten(table: &Table, path: &str, order: &[(&str, &[&str])], out: &mut Keys) {
    let mut items: Vec<(&str, &Item)> = table.iter().collect();
    items.sort_by_key(|(k, _)| rank(order, path, k));
    for (name, item) in items {
        let key = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        match item {
            Item::Table(t) => flatten(t, &key, order, out),
            Item::Value(v) => value(v, &key, order, out),
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    flatten(t, &format!("{key}[{i}]"), order, out);
                }
            }
            Item::None => {}
        }
    }
}

fn value(v: &Value, key: &str, order: &[(&str, &[&str])], out: &mut Keys) {
    match v {
        Value::InlineTable(t) => {
            let mut items: Vec<(&str, &Value)> = t.iter().collect();
            items.sort_by_key(|(k, _)| rank(order, key, k));
            for (name, inner) in items {
                value(inner, &format!("{key}.{name}"), order, out);
            }
        }
        Value::Array(a) if fmt::is_formula(key) => {
            for (i, item) in a.iter().enumerate() {
                let text = fmt::inline_value(item, key);
                out.push((format!("{key}[{i}]"), KeyKind::Formula, unquote(item, text)));
            }
        }
        _ => {
            let text = fmt::inline_value(v, key);
            if fmt::is_formula(key) {
                out.push((key.to_string(), KeyKind::Formula, unquote(v, text)));
            } else {
                out.push((key.to_string(), KeyKind::Value, text));
            }
        }
    }
}

/// A formula is shown as its text, not as a TOML string.
fn unquote(v: &Value, text: String) -> String {
    match v.as_str() {
        Some(raw) => fmt::canonical_formula(raw).unwrap_or_else(|| raw.to_string()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(steps: &[&str]) -> Keys {
        (steps.iter().enumerate())
            .map(|(i, s)| (format!("rules.steps[{i}]"), KeyKind::Formula, s.to_string()))
            .collect()
    }

    fn shown(a: &[&str], b: &[&str]) -> Vec<(String, Option<String>, Option<String>)> {
        (list_changes("rules.steps", &keys(a), &keys(b)).into_iter())
            .map(|c| (c.key, c.a, c.b))
            .collect()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn an_inserted_step_is_one_change() {
        let got = shown(&["x", "y", "z"], &["x", "new", "y", "z"]);
        assert_eq!(got, vec![("rules.steps[1]".into(), None, some("new"))]);
    }

    #[test]
    fn a_changed_step_pairs_with_its_replacement() {
        let got = shown(&["x", "y", "z"], &["x", "Y", "z", "w"]);
        assert_eq!(
            got,
            vec![
                ("rules.steps[1]".into(), some("y"), some("Y")),
                ("rules.steps[3]".into(), None, some("w")),
            ]
        );
    }

    #[test]
    fn equal_lists_have_no_change_and_lists_are_recognised() {
        assert!(shown(&["x", "y"], &["x", "y"]).is_empty());
        assert_eq!(list_of("rules.steps[12]"), Some("rules.steps"));
        assert_eq!(list_of("expect.studies"), None);
        assert_eq!(list_of("a[b]"), None);
    }
}
