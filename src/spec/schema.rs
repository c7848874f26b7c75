//! The JSON Schema of a spec file (`schema/spec.schema.json`), generated
//! from the loader's own serde types: editors that read a `#:schema`
//! directive (taplo, Even Better TOML) complete and check spec keys with it,
//! and a test validates every shipped spec against it.
//!
//! A spec that `extends` another may leave out any table and any key (it
//! changes the spec it extends key by key), so the schema requires tables
//! and keys only of a spec without `extends`: the properties are those of
//! the serde types with nothing required, and an `if`/`then` adds back what
//! the loader requires when `extends` is absent. Values (a group of
//! `[held_out_sampling] groups`, …) are replaced whole, so what they require
//! holds in both.

use serde_json::{Map, Value};

/// The spec file's schema (draft-07).
pub fn json_schema() -> schemars::Schema {
    let mut schema = super::loader::json_schema();
    let Some(root) = schema.as_object_mut() else {
        return schema;
    };
    let mut required = Map::new();
    if let Some(own) = root.remove("required") {
        required.insert("required".into(), own);
    }
    let mut tables = Map::new();
    if let Some(Value::Object(properties)) = root.get_mut("properties") {
        for (name, table) in properties.iter_mut() {
            if let Some(keys) = take_required(table) {
                tables.insert(name.clone(), serde_json::json!({ "required": keys }));
            }
        }
    }
    if !tables.is_empty() {
        required.insert("properties".into(), Value::Object(tables));
    }
    root.insert(
        "if".into(),
        serde_json::json!({ "not": { "required": ["extends"] } }),
    );
    root.insert("then".into(), Value::Object(required));
    schema
}

/// Removes and returns what a table's schema requires (the table itself,
/// or its object branch when it may also be absent: `anyOf [T, null]`).
fn take_required(table: &mut Value) -> Option<Value> {
    let object = table.as_object_mut()?;
    if let Some(keys) = object.remove("required") {
        return Some(keys);
    }
    let key = ["anyOf", "oneOf"]
        .into_iter()
        .find(|k| object.contains_key(*k))?;
    let branches = object.get_mut(key)?.as_array_mut()?;
    branches.iter_mut().find_map(take_required)
}
