//! Tables for papers: the ranked leaderboard and the time-to-target matrix
//! as LaTeX `tabular`s in the `booktabs` style (`\toprule`, `\midrule`,
//! `\bottomrule`; the document needs `\usepackage{booktabs}`). Every text
//! from a user's file (folder names, `submission_info.yml` names) goes
//! through [`escape`]. Nothing is computed here.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::score::stability::Stability;
use crate::score::Leaderboard;

/// Text for LaTeX's text mode: the ten special characters (`\ { } _ % & #
/// $ ~ ^`) as the commands that print them, `< > |` as their text-mode
/// commands (the OT1 encoding prints other glyphs for them), whitespace
/// runs and control characters as one space.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '\\' => out.push_str(r"\textbackslash{}"),
            '{' => out.push_str(r"\{"),
            '}' => out.push_str(r"\}"),
            '_' => out.push_str(r"\_"),
            '%' => out.push_str(r"\%"),
            '&' => out.push_str(r"\&"),
            '#' => out.push_str(r"\#"),
            '$' => out.push_str(r"\$"),
            '~' => out.push_str(r"\textasciitilde{}"),
            '^' => out.push_str(r"\textasciicircum{}"),
            '<' => out.push_str(r"\textless{}"),
            '>' => out.push_str(r"\textgreater{}"),
            '|' => out.push_str(r"\textbar{}"),
            c => out.push(c),
        }
    }
    out
}

/// The ranked leaderboard: rank, submission (its `submission_info.yml`
/// name when `names` has one), score to 4 decimals, base workloads solved;
/// with `intervals`, each score's percentile interval.
pub fn leaderboard(
    lb: &Leaderboard,
    names: &BTreeMap<String, String>,
    tau_max: f64,
    intervals: Option<&Stability>,
) -> String {
    let bases = lb.rules.base.len();
    let mut s = String::new();
    let (cols, extra) = match intervals {
        Some(st) => ("rlrcr", format!(" & {}\\% interval", level(st))),
        None => ("rlrr", String::new()),
    };
    let _ = writeln!(s, "\\begin{{tabular}}{{{cols}}}\n\\toprule");
    let _ = writeln!(
        s,
        "Rank & Submission & Score{extra} & Solved \\\\\n\\midrule"
    );
    for (rank, r) in lb.ranking() {
        let folder = &lb.submissions[r];
        let name = names.get(folder).unwrap_or(folder);
        let interval = intervals
            .and_then(|st| st.rows.iter().find(|x| &x.name == folder))
            .map(|x| {
                let (lo, hi) = x.score_interval;
                format!(" & [{}, {}]", number(lo), number(hi))
            })
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{rank} & {} & {}{interval} & {}/{bases} \\\\",
            escape(name),
            number(lb.rules.scores[r]),
            lb.solved(r, tau_max)
        );
    }
    s.push_str("\\bottomrule\n\\end{tabular}\n");
    s
}

/// The time-to-target matrix before any rule (`time_to_targets.csv`):
/// submissions (rank order) × workloads, seconds rounded to whole ones;
/// `$\infty$` for a missed target, `--` for a workload not run.
pub fn time_matrix(lb: &Leaderboard) -> String {
    let mut s = String::new();
    let cols = "r".repeat(lb.workloads.len());
    let _ = writeln!(s, "\\begin{{tabular}}{{l{cols}}}\n\\toprule");
    let heads: Vec<String> = lb.workloads.iter().map(|w| escape(w)).collect();
    let _ = writeln!(s, "Submission & {} \\\\\n\\midrule", heads.join(" & "));
    for (_, r) in lb.ranking() {
        let cells: Vec<String> = (0..lb.workloads.len())
            .map(|c| seconds(lb.time_to_targets[(r, c)]))
            .collect();
        let _ = writeln!(
            s,
            "{} & {} \\\\",
            escape(&lb.submissions[r]),
            cells.join(" & ")
        );
    }
    s.push_str("\\bottomrule\n\\end{tabular}\n");
    s
}

fn level(st: &Stability) -> String {
    let p = st.options.level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round())
    } else {
        format!("{p}")
    }
}

/// A score: 4 decimals; `--` for NaN.
fn number(v: f64) -> String {
    if v.is_nan() {
        "--".into()
    } else {
        format!("{v:.4}")
    }
}

/// A time in whole seconds; `$\infty$` when missed, `--` when not run.
fn seconds(v: f64) -> String {
    if v.is_nan() {
        "--".into()
    } else if v.is_infinite() {
        r"$\infty$".into()
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        let cases = [
            ("_", r"\_"),
            ("%", r"\%"),
            ("&", r"\&"),
            ("#", r"\#"),
            ("$", r"\$"),
            ("{", r"\{"),
            ("}", r"\}"),
            ("~", r"\textasciitilde{}"),
            ("^", r"\textasciicircum{}"),
            ("\\", r"\textbackslash{}"),
            ("<", r"\textless{}"),
            (">", r"\textgreater{}"),
            ("|", r"\textbar{}"),
            ("a\tb\n c", "a b c"),
            ("x\u{7}y", "x y"),
            ("schedule_free_adamw", r"schedule\_free\_adamw"),
            ("Ünïcödé", "Ünïcödé"),
        ];
        for (raw, want) in cases {
            assert_eq!(escape(raw), want, "{raw:?}");
        }
        // All at once: what is left once the text commands are taken out
        // is the backslash-escaped rest, in order.
        let all = r"\{}_%&#$~^<>|";
        let out = escape(all);
        let stripped = out
            .replace(r"\textbackslash{}", "")
            .replace(r"\textasciitilde{}", "")
            .replace(r"\textasciicircum{}", "")
            .replace(r"\textless{}", "")
            .replace(r"\textgreater{}", "")
            .replace(r"\textbar{}", "");
        assert_eq!(stripped, r"\{\}\_\%\&\#\$");
    }

    #[test]
    fn times_and_scores_are_printed_for_tex() {
        assert_eq!(seconds(f64::INFINITY), r"$\infty$");
        assert_eq!(seconds(f64::NAN), "--");
        assert_eq!(seconds(1234.56), "1235");
        assert_eq!(number(0.78436), "0.7844");
    }
}
