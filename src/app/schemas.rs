//! The JSON Schema of every command's `--format json` document, generated
//! from the document types: `schema/<name>.schema.json` is the output of
//! [`text`], and a test (`tests/it/schemas.rs`) fails when a committed
//! file differs from it. Regenerate them after changing a document type:
//! `UPDATE_SCHEMAS=1 cargo test --release --test it -- schemas::`.

use schemars::{JsonSchema, Schema};

use crate::report;

/// Every document: (name, what it is).
pub const DOCUMENTS: &[(&str, &str)] = &[
    ("leaderboard", "the main job's --format json"),
    ("explain", "explain --format json"),
    ("speedup", "speedup --format json"),
    ("leaderboard-table", "leaderboard --format json"),
    ("stability", "stability --format json"),
    ("compare", "compare --format json"),
    ("check", "check --format json"),
    ("heldout", "heldout sample --format json"),
    ("spec-explain", "spec explain --format json"),
    ("spec-diff", "spec diff --format json"),
    ("targets-derive", "targets derive --format json"),
    ("spec-check", "spec check --format json"),
];

/// Every input file format with a schema: (name, what it is). Its schema
/// is `schema/<name>.schema.json` too, named by a `#:schema` directive at
/// the top of the shipped rulesets (taplo, Even Better TOML).
pub const INPUTS: &[(&str, &str)] = &[("spec", "a ruleset spec file (TOML)")];

/// The schema of `T` as it is written (the serialize contract: every field
/// is always present, so an `Option` field is required and may be null).
fn of<T: JsonSchema>(id: &str) -> Schema {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    if let Some(object) = schema.as_object_mut() {
        unwrap_object(object);
    }
    // The title says which command writes it (the type's name is no title).
    if let Some((_, what)) = DOCUMENTS.iter().find(|(name, _)| *name == id) {
        schema.insert("title".into(), format!("algoperf-engine: {what}").into());
    }
    schema.insert(
        "$id".into(),
        format!("https://github.com/algoperf-engine/schema/{id}.schema.json").into(),
    );
    schema
}

/// An input's schema with its `$id` and its descriptions unwrapped (its
/// title is the spec type's own).
fn input(mut schema: Schema, id: &str) -> Schema {
    if let Some(object) = schema.as_object_mut() {
        unwrap_object(object);
    }
    schema.insert(
        "$id".into(),
        format!("https://github.com/algoperf-engine/schema/{id}.schema.json").into(),
    );
    schema
}

/// Titles and descriptions come from doc comments, wrapped at 80 columns:
/// each paragraph becomes one line.
fn unwrap_object(object: &mut serde_json::Map<String, serde_json::Value>) {
    for (key, v) in object.iter_mut() {
        match v {
            serde_json::Value::String(text) if key == "description" || key == "title" => {
                let paragraphs: Vec<String> = (text.split("\n\n"))
                    .map(|p| p.split('\n').collect::<Vec<_>>().join(" "))
                    .collect();
                *text = paragraphs.join("\n\n");
            }
            _ => unwrap_lines(v),
        }
    }
}

fn unwrap_lines(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => unwrap_object(object),
        serde_json::Value::Array(items) => items.iter_mut().for_each(unwrap_lines),
        _ => {}
    }
}

/// The schema of document `name` (one of [`DOCUMENTS`]).
pub fn schema(name: &str) -> Option<Schema> {
    Some(match name {
        "leaderboard" => of::<report::json::LeaderboardDoc>(name),
        "explain" => of::<report::explain::ExplainDoc>(name),
        "speedup" => of::<report::speedup::SpeedupDoc>(name),
        "leaderboard-table" => of::<report::markdown::LeaderboardTableDoc>(name),
        "stability" => of::<report::stability::StabilityDoc>(name),
        "compare" => of::<report::compare::CompareDoc>(name),
        "check" => of::<crate::check::CheckDoc>(name),
        "heldout" => of::<super::heldout::HeldoutSample>(name),
        "spec-explain" => of::<crate::spec::SpecDoc>(name),
        "spec-diff" => of::<super::spec::SpecDiffDoc>(name),
        "spec" => input(crate::spec::schema::json_schema(), name),
        "targets-derive" => of::<super::targets::DerivedTargets>(name),
        "spec-check" => of::<super::spec::SpecCheckDoc>(name),
        _ => return None,
    })
}

/// The schema as the committed file holds it: pretty JSON, final newline.
pub fn text(name: &str) -> Option<String> {
    let schema = schema(name)?;
    report::json::to_text(&schema).ok()
}
