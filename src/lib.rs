//! algoperf-engine: scores AlgoPerf leaderboards from training logs, driven by ruleset specs.
pub mod rawlog;
