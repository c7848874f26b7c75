//! The rule language's parser: any text as a formula must parse to an AST
//! or a syntax error, never panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = algoperf_engine::spec::formula::parse(text) {
            // The error's span must lie inside the text.
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
        }
    }
});
