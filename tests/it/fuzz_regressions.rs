//! Inputs found while fuzzing (see fuzz/README.md), each kept as a test of
//! the fix. They run on the test harness's threads, whose stacks (2 MiB)
//! are smaller than the fuzzer's main thread: a stricter check.

use crate::fixtures;

use algoperf_engine::spec::formula::{self, MAX_DEPTH, MAX_LEN};

/// Parses on a thread with a small stack (256 KiB), so that a recursion
/// that still grows with the input fails here before it fails anywhere.
fn parse_small_stack(text: String) -> Result<(), String> {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || formula::parse(&text).map(|_| ()).map_err(|e| e.message))
        .expect("spawn")
        .join()
        .expect("the parser must not crash")
}

#[test]
fn deeply_nested_parentheses_are_an_error_not_a_stack_overflow() {
    // Found by reasoning about the recursive grammar, confirmed by hand:
    // 5000 nested parentheses overflowed an 8 MiB stack (abort, no panic).
    let text = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = formula::parse(&text).expect_err("too long");
    assert_eq!(e.message, "formula too long: 200001 bytes, at most 1000");
    let text = format!("{}1{}", "(".repeat(400), ")".repeat(400));
    let e = formula::parse(&text).expect_err("too deep");
    assert_eq!(
        e.message,
        format!("formula nested too deeply: more than {MAX_DEPTH} levels")
    );
    assert_eq!(e.span.start, MAX_DEPTH);
    // Just inside the limit parses.
    let ok = format!("{}time{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(formula::parse(&ok).is_ok());
}

#[test]
fn deeply_nested_not_is_an_error_not_a_stack_overflow() {
    let text = format!("base := inf where {}finite(x)", "not ".repeat(200));
    let e = formula::parse(&text).expect_err("too deep");
    assert_eq!(
        e.message,
        format!("formula nested too deeply: more than {MAX_DEPTH} levels")
    );
    // `not` inside a name or a string does not count.
    let text = format!(
        "pick(trials, by = nothing, then = 'not {}')",
        "not ".repeat(40)
    );
    assert!(formula::parse(&text).is_ok(), "{text}");
}

#[test]
fn the_worst_formulas_within_the_limits_parse_on_a_small_stack() {
    let worst = [
        // Deepest parentheses, then a long chain of binary operators.
        format!(
            "{}1{}{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH),
            "+1".repeat((MAX_LEN - 2 * MAX_DEPTH - 1) / 2)
        ),
        // The longest run of unary minus.
        format!("{}1", "-".repeat(MAX_LEN - 1)),
        // Nested calls.
        format!("{}1{}", "f(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH)),
        // `not`s up to the limit.
        format!("a := inf where {}x", "not ".repeat(MAX_DEPTH)),
    ];
    for text in worst {
        assert!(text.len() <= MAX_LEN, "{}", text.len());
        let r = parse_small_stack(text.clone());
        assert!(r.is_ok(), "{r:?}: {}…", &text[..40]);
    }
}

#[test]
fn a_spec_with_a_too_deep_formula_points_at_it() {
    let t = fixtures::Tree::new();
    let (path, _) = t.spec();
    let text = std::fs::read_to_string(&path).expect("read");
    let deep = format!(
        "workload = \"median({}studies{})\"",
        "(".repeat(40),
        ")".repeat(40)
    );
    let text = text.replace("workload = \"median(studies)\"", &deep);
    std::fs::write(&path, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l.starts_with("workload = \"median(("))
        .expect("line")
        + 1;
    let e = algoperf_engine::spec::load(&path)
        .expect_err("too deep")
        .to_string();
    // The caret is on the 33rd parenthesis: the formula starts at column 13,
    // `median(` is the first.
    let head = format!(
        "error: {}:{line}:{}: syntax error: formula nested too deeply: more than 32 levels",
        path.display(),
        13 + 6 + 32
    );
    assert!(e.starts_with(&head), "{e}\n--- expected ---\n{head}");
}
