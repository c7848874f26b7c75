//! algoperf-engine: scores AlgoPerf leaderboards from training logs, driven
//! by ruleset specs.
//!
//! Data flows one way: [`spec`] (what a benchmark version decides) →
//! [`ingest`] (trials read from a submissions tree) → [`score`] (trial →
//! study → workload → matrix → rules → profile → score) → [`report`] (files).

pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod error;
pub mod fs;
pub mod ingest;
pub mod limits;
pub mod numeric;
pub mod report;
pub mod run;
pub mod score;
pub mod spec;
pub mod synth;
