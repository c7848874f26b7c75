//! Spec loading: any bytes as a ruleset spec file, with the repository's
//! valid targets files beside it (`../targets/*.toml`, as the rulesets name
//! them), so that a spec that gets past TOML has its rule strings parsed and
//! checked. Loading must return a spec or errors, never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const TARGETS: &[(&str, &str)] = &[
    (
        "algoperf_v05.toml",
        include_str!("../../targets/algoperf_v05.toml"),
    ),
    (
        "algoperf_v06.toml",
        include_str!("../../targets/algoperf_v06.toml"),
    ),
];

/// `<tmp>/rulesets/fuzz.toml`, with `<tmp>/targets/` filled once.
fn spec_path() -> &'static PathBuf {
    static PATH: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &PATH
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let targets = dir.path().join("targets");
            std::fs::create_dir_all(&targets).expect("mkdir");
            for (name, text) in TARGETS {
                std::fs::write(targets.join(name), text).expect("write targets");
            }
            // A targets file next to the spec too, for `targets = "t.toml"`.
            let rulesets = dir.path().join("rulesets");
            std::fs::create_dir_all(&rulesets).expect("mkdir");
            std::fs::write(rulesets.join("t.toml"), TARGETS[0].1).expect("write targets");
            let path = rulesets.join("fuzz.toml");
            (dir, path)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let path = spec_path();
    if std::fs::write(path, data).is_err() {
        return;
    }
    match algoperf_engine::spec::load(path) {
        Ok(spec) => {
            // A loaded spec must also explain itself and give its τ grid.
            let _ = algoperf_engine::spec::explain(&spec);
            let _ = spec.tau_points();
            let _ = spec.tau_axis();
        }
        // Rendering an error (a caret under the offending text) must not panic.
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
