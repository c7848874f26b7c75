//! Which program wrote a document: every JSON document's `engine` key.
//! Shared by the stages that write documents (spec explain, report), so
//! below all of them.

use schemars::JsonSchema;
use serde::Serialize;

/// Which program wrote a document (every document's `engine` key).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Engine {
    pub name: String,
    pub version: String,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}
