//! Every user file is read bounded and only when it is a regular file
//! (issue 26, item 16): `/dev/zero` as a spec, an `extends` or a targets
//! file is a clean error naming the file, not memory exhaustion.

use algoperf_engine::spec;

fn load_error(spec_text: Option<&str>, path: &str) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let file = match spec_text {
        Some(text) => {
            let p = dir.path().join("s.toml");
            std::fs::write(&p, text).expect("write");
            p
        }
        None => path.into(),
    };
    spec::load(&file).expect_err("refused").to_string()
}

#[test]
fn dev_zero_as_spec_extends_or_targets_is_a_clean_error() {
    assert_eq!(
        load_error(None, "/dev/zero"),
        "error: /dev/zero: cannot read: not a regular file (a device)"
    );
    let e = load_error(Some("extends = \"/dev/zero\"\n"), "");
    assert!(
        e.contains("/dev/zero") && e.contains("not a regular file (a device)"),
        "{e}"
    );
    let e = load_error(
        Some(&crate::fixtures::ruleset(1, 1).replace("targets.toml", "/dev/zero")),
        "",
    );
    assert!(
        e.contains("/dev/zero: cannot read: not a regular file (a device)"),
        "{e}"
    );
}

#[test]
fn a_huge_spec_is_refused_by_its_size() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("big.toml");
    let f = std::fs::File::create(&p).expect("create");
    f.set_len(5 * 1024 * 1024).expect("sparse file");
    let e = spec::load(&p).expect_err("refused").to_string();
    assert!(
        e.ends_with("big.toml: cannot read: 5 MiB is more than the spec file limit of 4 MiB"),
        "{e}"
    );
}
