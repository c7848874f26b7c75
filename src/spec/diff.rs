//! `spec diff A B`: two specs as they score, compared key by key.
//!
//! Each spec is merged through its `extends` chain (`unset` applied) into
//! the text the loader reads, and loaded (so both are valid specs). Every
//! key of the merged text is compared in canonical form ([`super::fmt`]):
//! tables and inline tables key by key (`workloads.held_out.wmt_glu_tanh`),
//! formulas as the rule language prints them and `[rules] steps` step by
//! step (`rules.steps[2]`), other values whole. The targets the two specs
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
/// order (A's keys first, then those only B has).
pub fn diff(a: &Path, b: &Path) -> Result<(Spec, Spec, Vec<KeyChange>), SpecErrors> {
    let (spec_a, keys_a) = keys_of(a)?;
    let (spec_b, keys_b) = keys_of(b)?;
    let mut changes = Vec::new();
    for (key, kind, va) in &keys_a {
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
