//! The raw training log reader: any text as a log must give trials and
//! warnings, never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let name = Path::new("fastmri_jax_04-18-2024-13-11-22.log");
    if let Ok(read) = algoperf_engine::ingest::rawlog::parse_log(name, &text) {
        for w in &read.warnings {
            let _ = w.to_string();
        }
    }
});
