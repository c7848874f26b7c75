//! The rule grammar (`grammar/rules.pest`) on its own, in the style of
//! tera's parser tests: each valid form parses to the expected tree, and each
//! malformed formula fails at the expected position with the expected
//! message.

use algoperf_engine::spec::formula::{parse, BinOp, CmpOp, Expr, Formula, UnOp};

fn expr(text: &str) -> Expr {
    match parse(text) {
        Ok(Formula::Expr(e)) => e,
        other => panic!("{text}: {other:?}"),
    }
}

fn call_name(e: &Expr) -> &str {
    match e {
        Expr::Call(c) => &c.name,
        other => panic!("not a call: {other:?}"),
    }
}

#[test]
fn valid_calls() {
    for (text, name, args) in [
        ("median(studies)", "median", 1),
        ("mean( studies )", "mean", 1),
        ("linspace(1, 4, 100)", "linspace", 3),
        ("logspace(1.5, 1e1, 7)", "logspace", 3),
        ("f()", "f", 0),
        ("pick(trials, by = eval_index, then = time)", "pick", 3),
    ] {
        let e = expr(text);
        assert_eq!(call_name(&e), name, "{text}");
        let Expr::Call(c) = e else { unreachable!() };
        assert_eq!(c.args.len(), args, "{text}");
    }
}

#[test]
fn named_arguments_keep_their_order() {
    let Expr::Call(c) = expr("pick(trials, by = time, then = eval_index)") else {
        panic!()
    };
    let names: Vec<&str> = c
        .args
        .iter()
        .filter_map(|a| a.name.as_ref().map(|(n, _)| n.as_str()))
        .collect();
    assert_eq!(names, ["by", "then"]);
}

#[test]
fn where_inside_an_argument() {
    let Expr::Call(c) = expr("first(time where reached)") else {
        panic!()
    };
    let a = &c.args[0];
    assert!(matches!(&a.value, Expr::Ident(n, _) if n == "time"));
    assert!(matches!(&a.filter, Some(Expr::Ident(n, _)) if n == "reached"));
    assert!(a.name.is_none() && a.over.is_none());
}

#[test]
fn over_and_logic_inside_arguments() {
    let Expr::Call(c) = expr("count(not finite(time) and time > 1 over workloads)") else {
        panic!()
    };
    let a = &c.args[0];
    assert!(
        matches!(&a.value, Expr::Binary(BinOp::And, l, _, _) if matches!(l.as_ref(), Expr::Unary(UnOp::Not, ..)))
    );
    assert_eq!(a.over.as_ref().map(|(o, _)| o.as_str()), Some("workloads"));
    // `or` binds looser than `and`, `and` looser than `not`.
    match expr("a or b and not c") {
        Expr::Binary(BinOp::Or, _, r, _) => {
            assert!(
                matches!(r.as_ref(), Expr::Binary(BinOp::And, _, n, _) if matches!(n.as_ref(), Expr::Unary(UnOp::Not, ..)))
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(expr("[1, 1.5, 2]"), Expr::List(v, _) if v.len() == 3));
}

#[test]
fn arithmetic_precedence_and_grouping() {
    // trapezoid(rho) / (tau_max - tau_min): a division whose right side is a
    // parenthesised subtraction.
    match expr("trapezoid(rho) / (tau_max - tau_min)") {
        Expr::Binary(BinOp::Div, l, r, _) => {
            assert_eq!(call_name(&l), "trapezoid");
            assert!(matches!(*r, Expr::Binary(BinOp::Sub, _, _, _)));
        }
        other => panic!("{other:?}"),
    }
    // 1 + 2 * 3 is 1 + (2 * 3).
    match expr("1 + 2 * 3") {
        Expr::Binary(BinOp::Add, _, r, _) => {
            assert!(matches!(*r, Expr::Binary(BinOp::Mul, _, _, _)))
        }
        other => panic!("{other:?}"),
    }
    // Negative numbers.
    assert!(matches!(expr("-2"), Expr::Unary(UnOp::Neg, ..)));
}

#[test]
fn strings_in_both_quotes() {
    for text in [
        "time / reference('baseline')",
        "time / reference(\"baseline\")",
    ] {
        match expr(text) {
            Expr::Binary(BinOp::Div, _, r, _) => match *r {
                Expr::Call(c) => {
                    assert!(matches!(&c.args[0].value, Expr::Str(s, _) if s == "baseline"))
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn assignments_with_every_condition_form() {
    for (text, target) in [
        ("held_out := inf where not finite(base)", "held_out"),
        ("base := inf where not finite(held_out)", "base"),
        ("all := inf where time > 4 * best", "all"),
        ("all := inf where not not time >= 2.5 * best", "all"),
    ] {
        match parse(text) {
            Ok(Formula::Assign { target: t, .. }) => assert_eq!(t, target, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    match parse("all := inf where time > 4 * best") {
        Ok(Formula::Assign { cond, .. }) => match cond {
            Expr::Binary(BinOp::Cmp(CmpOp::Gt), l, r, _) => {
                assert!(matches!(*l, Expr::Ident(ref n, _) if n == "time"));
                assert!(matches!(*r, Expr::Binary(BinOp::Mul, _, _, _)));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn spans_point_into_the_formula() {
    let Expr::Call(c) = expr("  median(studies)") else {
        panic!()
    };
    assert_eq!((c.name_span.start, c.name_span.end), (2, 8));
}

/// (formula, byte offset of the error, message)
const ERRORS: &[(&str, usize, &str)] = &[
    (
        "",
        0,
        "expected an expression or a rule step, found the end of the formula",
    ),
    (
        "median(studies",
        14,
        "expected `)`, found the end of the formula",
    ),
    (
        "median(studies))",
        15,
        "expected an operator or end of formula, found `)`",
    ),
    ("first(time where)", 16, "expected an expression, found `)`"),
    (
        "all := inf",
        10,
        "expected `where` or an operator, found the end of the formula",
    ),
    (
        "all := inf where",
        16,
        "expected an expression, found the end of the formula",
    ),
    (
        "where",
        0,
        "expected an expression or a rule step, found `where`",
    ),
    (
        "linspace(1, 4,, 100)",
        14,
        "expected an argument, found `,`",
    ),
    ("time / reference('base)", 17, "unterminated string"),
    ("1 ++ 2", 3, "expected an expression, found `+`"),
];

#[test]
fn errors_have_their_exact_position_and_message() {
    for (text, at, message) in ERRORS {
        let e = parse(text).expect_err(text);
        assert_eq!(
            (e.span.start, e.message.as_str()),
            (*at, *message),
            "{text:?}"
        );
    }
}
