//! The raw-log fast path (`rawlog::fast`) agrees with the pest grammar
//! (`rawlog::pylit`), which defines the format: whatever the fast path
//! accepts, the grammar parses to the same step, keys and values (bit for
//! bit, NaN included); whatever the grammar rejects, the fast path declines.
//! Checked on every line of the real logs and on generated literals.

use crate::common;

use std::path::Path;

use algoperf_engine::ingest::rawlog::fast;
use algoperf_engine::ingest::rawlog::pylit::{self, PyValue};
use proptest::prelude::*;

/// One evaluation: step and (key, value bits) in the order written.
type Eval = (i64, Vec<(String, u64)>);

/// Bits of a value, every NaN the same (the engine never looks at NaN bits).
fn bits(x: f64) -> u64 {
    if x.is_nan() {
        f64::NAN.to_bits()
    } else {
        x.to_bits()
    }
}

fn owned(entries: &[fast::Entry<'_>]) -> Vec<(String, u64)> {
    entries
        .iter()
        .map(|(k, x)| (k.to_string(), bits(*x)))
        .collect()
}

/// The grammar's reading of a dict of string keys and numbers (plain, or
/// in array-scalar wrappers such as `Array(0.5, dtype=float32)`), `None`
/// for any other value (the reader warns on those; the fast path must
/// decline).
fn plain_dict(dict: &PyValue) -> Option<Vec<(String, u64)>> {
    let PyValue::Dict(pairs) = dict else {
        return None;
    };
    pairs
        .iter()
        .map(|(k, v)| match (k, v) {
            (
                PyValue::Str(k),
                PyValue::Int(_) | PyValue::Float(_) | PyValue::None | PyValue::Wrapped { .. },
            ) => Some((k.clone(), bits(v.as_f64()?))),
            _ => None,
        })
        .collect()
}

fn plain_step(step: &PyValue) -> Option<i64> {
    match step {
        PyValue::Int(i) => Some(*i),
        _ => None,
    }
}

/// `Err` when the grammar rejects the text, `Ok(None)` when it parses but
/// is not of the plain shape.
fn grammar_eval(tail: &str) -> Result<Option<Eval>, pylit::PyLitError> {
    let (step, dict) = pylit::parse_eval_tail(tail)?;
    Ok(plain_step(&step).zip(plain_dict(&dict)))
}

fn fast_eval(tail: &str) -> Option<Eval> {
    let mut entries = Vec::new();
    let step = fast::parse_eval_tail(tail, &mut entries)?;
    Some((step, owned(&entries)))
}

fn grammar_metrics(tail: &str) -> Result<Option<Vec<Eval>>, pylit::PyLitError> {
    let value = pylit::parse_metrics_tail(tail)?;
    let Some(PyValue::List(items)) = value.get("eval_results") else {
        return Ok(None);
    };
    Ok(items
        .iter()
        .map(|item| match item {
            PyValue::Tuple(pair) if pair.len() == 2 => {
                plain_step(&pair[0]).zip(plain_dict(&pair[1]))
            }
            _ => None,
        })
        .collect())
}

fn fast_metrics(tail: &str) -> Option<Vec<Eval>> {
    let (mut entries, mut ends) = (Vec::new(), Vec::new());
    fast::parse_metrics_tail(tail, &mut entries, &mut ends)?;
    let mut start = 0;
    Some(
        ends.into_iter()
            .map(|(step, end)| {
                let e = (step, owned(&entries[start..end]));
                start = end;
                e
            })
            .collect(),
    )
}

/// The fast path's answer is the grammar's, or a decline; returns whether
/// the fast path accepted.
fn agree<T: PartialEq + std::fmt::Debug>(
    tail: &str,
    fast: Option<T>,
    grammar: Result<Option<T>, pylit::PyLitError>,
) -> bool {
    match (fast, grammar) {
        (None, _) => false,
        (Some(f), Ok(Some(g))) => {
            assert_eq!(f, g, "{tail:?}");
            true
        }
        (Some(f), other) => panic!("fast path read {tail:?} as {f:?}, grammar: {other:?}"),
    }
}

const EVAL_MARK: &str = "Time since start:";
const METRICS_MARK: &str = "Metrics:";

/// Both readings of one line, from every marker in it; returns (lines the
/// grammar reads as plain, lines the fast path took).
fn check_line(line: &str) -> (usize, usize) {
    let (mut plain, mut fast) = (0, 0);
    for (pos, _) in line.match_indices(EVAL_MARK) {
        let tail = &line[pos..];
        plain += usize::from(matches!(grammar_eval(tail), Ok(Some(_))));
        fast += usize::from(agree(tail, fast_eval(tail), grammar_eval(tail)));
    }
    for (pos, _) in line.match_indices(METRICS_MARK) {
        let tail = &line[pos..];
        plain += usize::from(matches!(grammar_metrics(tail), Ok(Some(_))));
        fast += usize::from(agree(tail, fast_metrics(tail), grammar_metrics(tail)));
    }
    (plain, fast)
}

fn logs_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("list rawlogs") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            logs_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "log") {
            out.push(path);
        }
    }
}

/// Every line of every real log: the fast path agrees with the grammar and
/// takes every evaluation and summary line that the grammar reads as plain
/// (so that the real logs never fall back to the slow path).
#[test]
fn fast_path_agrees_on_every_real_log_line() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let mut files = Vec::new();
    logs_under(&data.join("rawlogs"), &mut files);
    assert!(files.len() >= 19, "{files:?}");
    let (mut plain, mut fast, mut lines) = (0, 0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read log");
        for line in text.split('\n') {
            let (p, f) = check_line(line.strip_suffix('\r').unwrap_or(line));
            plain += p;
            fast += f;
            lines += 1;
        }
    }
    assert!(lines > 10_000, "{lines}");
    assert!(plain > 250, "{plain} evaluation lines");
    assert_eq!(fast, plain, "lines the fast path declined");
}

/// Every line of a synthetic tree of jax logs (`synth --raw-logs jax`:
/// per-evaluation and `Metrics:` lines whose values are
/// `Array(x, dtype=float32)` and `np.float64(x)`, which the shared data's
/// real logs lack): the fast path takes every evaluation and summary line.
#[test]
fn fast_path_takes_every_jax_log_line() {
    let spec =
        algoperf_engine::spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let mut opts = algoperf_engine::synth::Options::for_spec(&spec, 1, 3);
    opts.raw_logs = Some(algoperf_engine::synth::LogFormat::Jax);
    opts.csv = false;
    let (mut plain, mut fast, mut wrapped) = (0, 0, 0);
    for (_, text) in algoperf_engine::synth::generate(&spec, &opts) {
        for line in text.lines() {
            let (p, f) = check_line(line);
            plain += p;
            fast += f;
            wrapped +=
                usize::from(p > 0 && (line.contains("Array(") || line.contains("np.float64(")));
        }
    }
    assert!(wrapped > 1000, "{wrapped} lines with wrapped values");
    assert_eq!(plain, wrapped, "lines without a wrapper");
    assert_eq!(fast, plain, "lines the fast path declined");
}

// ---------------------------------------------------------------------------
// Generated literals

fn blank() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just(""), 4 => Just(" "), 1 => Just("\t"), 1 => Just(" \t ")]
}

/// Number texts as Python and hand-written logs print them.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        (0u32..1000).prop_map(|i| format!("+{i}")),
        Just("123456789012345678901234567890".to_string()),
        Just("-99999999999999999999".to_string()),
        (prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO)
            .prop_map(|x| format!("{x:?}")),
        (-1e6f64..1e6).prop_map(|x| format!("{x}")),
        (1u32..99, -330i32..330, prop::bool::ANY).prop_map(|(m, e, big)| {
            format!("{}.{m}{}{e:+}", m % 10, if big { "E" } else { "e" })
        }),
        (0u32..1000).prop_map(|i| format!(".{i}")),
        (0u32..1000).prop_map(|i| format!("{i}.")),
        (0u32..1000, 0i32..30).prop_map(|(i, e)| format!("{i}e{e}")),
        prop::sample::select(vec!["nan", "-nan", "+nan", "inf", "-inf", "+inf", "None"])
            .prop_map(str::to_string),
    ]
}

/// A number in an array-scalar wrapper, as jax, numpy and torch print
/// them (the fast path reads these).
fn wrapped_number() -> impl Strategy<Value = String> {
    let wrapper = prop::sample::select(vec![
        ("Array(", ", dtype=float32)"),
        ("Array(", ", dtype=float32, weak_type=True)"),
        ("np.float64(", ")"),
        ("np.float32(", ")"),
        ("DeviceArray(", ", dtype=float32)"),
        ("array(", ", dtype=float64,)"),
        ("tensor(", ", device='cuda:0')"),
        ("jnp.asarray(", ", dtype=jnp.bfloat16)"),
        ("x(", ", a=None, b=-1.5e3, c=\"s\", d=nan)"),
        ("np.float64(Array(", ", dtype=float32))"),
    ]);
    (wrapper, number(), blank()).prop_map(|((open, close), n, b)| {
        let open = open.replace('(', &format!("{b}({b}"));
        format!("{open}{n}{b}{close}")
    })
}

/// Values the fast path declines but the grammar reads (nested, wrapped
/// non-numbers, non-numeric) or rejects (keywords and numbers as wrapper
/// names, wrappers as keyword arguments).
fn other_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("True".to_string()),
        Just("'text'".to_string()),
        Just("[1, 2.5, nan]".to_string()),
        Just("{'a': {'b': (1, 2)}}".to_string()),
        Just("(0.5,)".to_string()),
        Just("(0.5)".to_string()),
        Just("Array('0.5', dtype=float32)".to_string()),
        Just("Array([0.5], dtype=float32)".to_string()),
        Just("Array(0.5, dtype=float32(1))".to_string()),
        Just("Array(0.5, dtype=True.x)".to_string()),
        Just("Array(0.5, 1)".to_string()),
        Just("True(0.5)".to_string()),
        Just("None(0.5)".to_string()),
        Just("nan(0.5)".to_string()),
        Just("np..float64(0.5)".to_string()),
        Just("a(b(c(d(e(1)))))".to_string()),
        Just("Array(0.5, dtype='\\x41')".to_string()),
    ]
}

/// A quoted key, sometimes with quotes of the other kind, escapes, brackets
/// and non-ASCII characters inside.
fn key() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => "[a-z_/]{1,8}",
        1 => Just("{[( ,:)]}".to_string()),
        1 => Just("é€".to_string()),
        1 => Just("\\'".to_string()),
        1 => Just("\\\\".to_string()),
        1 => Just("\\n\\x41\\u00e9".to_string()),
    ];
    (prop::collection::vec(piece, 1..4), prop::bool::ANY).prop_map(|(pieces, double)| {
        let inner = pieces.concat();
        if double {
            format!("\"{}\"", inner.replace('"', "\\\""))
        } else {
            format!("'{inner}'")
        }
    })
}

fn dict(values: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let entry =
        (key(), blank(), blank(), values).prop_map(|(k, b1, b2, v)| format!("{k}{b1}:{b2}{v}"));
    (prop::collection::vec(entry, 0..6), blank(), prop::bool::ANY).prop_map(
        |(entries, b, comma)| {
            let trailing = if comma && !entries.is_empty() {
                ","
            } else {
                ""
            };
            format!("{{{b}{}{trailing}{b}}}", entries.join(&format!(",{b}")))
        },
    )
}

fn plain_values() -> BoxedStrategy<String> {
    prop_oneof![4 => number(), 1 => wrapped_number()].boxed()
}

fn any_values() -> BoxedStrategy<String> {
    prop_oneof![6 => number(), 2 => wrapped_number(), 2 => other_value()].boxed()
}

fn eval_tail(values: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (
        0u32..100_000,
        0u32..100,
        blank(),
        -5i64..1_000_000,
        dict(values),
    )
        .prop_map(|(secs, frac, b, step, d)| {
            format!("Time since start:{b}{secs}.{frac}s,{b}\tStep:{b}{step},{b}\t{d}{b}")
        })
}

fn metrics_tail(values: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let item = (0i64..100_000, dict(values), blank(), prop::bool::ANY)
        .prop_map(|(s, d, b, comma)| format!("({s},{b}{d}{})", if comma { "," } else { "" }));
    (prop::collection::vec(item, 0..4), blank(), number()).prop_map(|(items, b, last)| {
        format!(
            "Metrics:{b}{{'eval_results':{b}[{}], 'global_step': {last}}}",
            items.join(&format!(",{b}"))
        )
    })
}

/// Damage a text: delete, replace or insert one character, or cut it.
fn damaged(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let alphabet = "{}[]()'\",:.-+eE0123456789 \tnaifNDx\\s_=TAp";
    (
        text,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..4u8,
    )
        .prop_map(move |(text, at, with, how)| {
            let mut chars: Vec<char> = text.chars().collect();
            let at = at.index(chars.len() + 1);
            let c = alphabet
                .chars()
                .nth(with.index(alphabet.chars().count()))
                .unwrap_or('x');
            match how {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars[at] = c,
                2 => chars.insert(at, c),
                _ => chars.truncate(at),
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Plain lines: the fast path takes every one, with the grammar's values.
    #[test]
    fn plain_eval_lines_take_the_fast_path(tail in eval_tail(plain_values())) {
        let plain_keys = !tail.contains('\\');
        let took = agree(&tail, fast_eval(&tail), grammar_eval(&tail));
        prop_assert!(took || !plain_keys, "declined {:?}", tail);
    }

    #[test]
    fn plain_metrics_lines_take_the_fast_path(tail in metrics_tail(plain_values())) {
        let plain_keys = !tail.contains('\\');
        let took = agree(&tail, fast_metrics(&tail), grammar_metrics(&tail));
        prop_assert!(took || !plain_keys, "declined {:?}", tail);
    }

    /// Any values (wrappers, nesting, strings): agreement or decline.
    #[test]
    fn other_lines_agree_or_decline(
        eval in eval_tail(any_values()),
        metrics in metrics_tail(any_values()),
    ) {
        agree(&eval, fast_eval(&eval), grammar_eval(&eval));
        agree(&metrics, fast_metrics(&metrics), grammar_metrics(&metrics));
    }

    /// Damaged lines: what the grammar rejects, the fast path declines; what
    /// it accepts, the fast path reads the same or declines.
    #[test]
    fn damaged_lines_agree_or_decline(
        eval in damaged(eval_tail(any_values())),
        metrics in damaged(metrics_tail(any_values())),
    ) {
        agree(&eval, fast_eval(&eval), grammar_eval(&eval));
        agree(&metrics, fast_metrics(&metrics), grammar_metrics(&metrics));
    }
}
