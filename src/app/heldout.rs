//! `heldout sample`: the held-out variants drawn as numpy's
//! `default_rng(seed)` draws them.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Result;
use crate::report::json::Engine;
use crate::run::error::RunError;

/// The spec, and a seed (none: the spec's own).
#[derive(Debug, Clone, Default)]
pub struct HeldoutRequest {
    pub spec: PathBuf,
    pub seed: Option<u128>,
}

/// The draw: one variant per group (`heldout sample --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HeldoutSample {
    pub engine: Engine,
    /// The spec file.
    pub spec: String,
    /// The seed used (a string when it is too large for a JSON number).
    pub seed: crate::spec::heldout::Seed,
    pub held_out: Vec<HeldoutGroup>,
}

/// One group's pool and the variant drawn from it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HeldoutGroup {
    pub group: String,
    #[schemars(length(min = 1))]
    pub pool: Vec<String>,
    pub drawn: String,
}

impl HeldoutSample {
    /// The variants drawn, one per group, in the spec's order.
    pub fn drawn(&self) -> Vec<String> {
        self.held_out.iter().map(|g| g.drawn.clone()).collect()
    }
}

/// Draws one variant per group of the spec's `[held_out_sampling]`.
pub fn sample(request: &HeldoutRequest) -> Result<HeldoutSample> {
    let s = crate::spec::load(&request.spec)?;
    let Some(sampling) = &s.sampling else {
        return Err(RunError::NoHeldoutSampling {
            spec: request.spec.clone(),
        }
        .into());
    };
    let seed = request.seed.unwrap_or(sampling.seed);
    let sizes: Vec<usize> = sampling.groups.iter().map(|(_, pool)| pool.len()).collect();
    let drawn = crate::spec::heldout::draw_indices(seed, &sizes);
    let held_out = (sampling.groups.iter().zip(drawn))
        .map(|((group, pool), i)| HeldoutGroup {
            group: group.clone(),
            pool: pool.clone(),
            drawn: pool[i].clone(),
        })
        .collect();
    Ok(HeldoutSample {
        engine: Engine::default(),
        spec: request.spec.display().to_string(),
        seed: crate::spec::heldout::Seed(seed),
        held_out,
    })
}
