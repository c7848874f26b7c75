//! The one integration-test binary: every test module, grouped by what it
//! tests, shares one link of the engine (33 binaries took most of a clean
//! test build). Shared fixtures: [`common`] (the real AlgoPerf data) and
//! [`fixtures`] (small trees built in a temporary folder).

mod common;
mod fixtures;

mod atomic_outputs;
mod battery;
mod bounded_reads;
mod broken_inputs;
mod cache;
mod cache_checks;
mod check;
mod check_copies;
mod column;
mod compare;
mod compat_cli;
mod curves;
mod degenerate;
mod design_traps;
mod determinism;
mod diagnostics;
mod docs_links;
mod escaping;
mod examples;
mod fuzz_regressions;
mod grammar;
mod heldout_numpy;
mod hostile_inputs;
mod html_browser;
mod html_report;
mod json_output;
mod lang_expressiveness;
mod latex;
mod layers;
mod markdown_escaping;
mod numeric_repr;
mod output_folder;
mod parity_v05;
mod properties;
mod rawlog;
mod rawlog_fast;
mod rawlog_scoring;
mod reports;
mod rule_language;
mod rules_cellwise;
mod schemas;
mod scoring_rules;
mod shipped_specs;
mod spec_language;
mod spec_tools;
mod stability;
mod streaming;
mod streams;
mod subcommands;
mod synth_rawlogs;
mod targets_derive;
mod tutorial;
mod workbench;
mod write_guard;
mod zero_times;
