//! algoperf-engine: scores AlgoPerf leaderboards from training logs, driven
//! by ruleset specs.
//!
//! Data flows one way: [`spec`] (what a benchmark version decides) →
//! [`ingest`] (trials read from a submissions tree) → [`score`] (trial →
//! study → workload → matrix → rules → profile → score) → [`report`] (files).
//!
//! Beside the four stages: [`check`] (a submission's review, built on
//! spec and ingest), [`cli`] and [`run`] (the commands that drive the
//! stages), [`synth`] (synthetic trees for tests). Shared by several
//! stages, so in none of them: [`error`] and [`diagnostics`] (errors and
//! warnings), [`fs`] (all-or-nothing writes and path resolution),
//! [`limits`] (bounds on input: sizes, lines, nesting), [`numeric`]
//! (numpy-compatible arithmetic and number formatting).

pub mod app;
pub mod check;
pub mod cli;
pub mod colour;
pub mod compat;
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
pub mod spec_test;
pub mod synth;
pub mod version;
