//! How sure is the ranking: the leaderboard re-scored on resampled study
//! times (bootstrap) or with one study left out at a time (jackknife).
//!
//! Every resample starts from the study times scoring already computed (the
//! study slot of [`Leaderboard::outcomes`]): nothing is read again. A
//! resampled leaderboard aggregates its studies with the spec's workload
//! formula ([`super::workload_time`]) and then runs the spec's rule steps,
//! profile and score unchanged ([`super::Rules::scores`], the rules laid
//! out once for every resample).
//!
//! Statistics (the rules where the issue left a choice):
//! - intervals are percentile intervals with the inverted-CDF quantile
//!   (the ⌈q·B⌉-th of the B sorted values, q = (1 − level)/2 and
//!   (1 + level)/2), so every bound is a value some resample gave and rank
//!   bounds are whole ranks;
//! - a rank is the competition rank (1 + the number of submissions scoring
//!   strictly higher), so submissions tied at the top all have rank 1;
//! - P(A above B) counts strictly higher scores;
//! - the group tied with #1 holds #1 (the point leaderboard's first, ties by
//!   name) and every submission whose P(above #1) ≥ (1 − level)/2: the
//!   leader cannot be told apart from it by a one-sided test at that level.
//!   For the jackknife the fractions are over the S leave-one-out
//!   leaderboards, and the interval is their min–max range.
//!
//! Monte-Carlo error (a bootstrap's numbers move with B and the seed):
//! - a fraction P̂ over B resamples has the binomial standard error
//!   √(P̂(1 − P̂)/B);
//! - a percentile bound, the k-th of the B sorted values, has the standard
//!   error of an order statistic: half the spread between the values
//!   d = ⌈√(B·q(1 − q))⌉ places either side of it (the ±1 standard
//!   deviation of how many resamples fall below the true quantile);
//! - the "tied with #1" verdict is unsettled when P̂(above #1) lies within
//!   two standard errors of its cut-off c, the standard error taken as the
//!   larger of P̂'s and c's (a P̂ of 0 has a binomial error of 0, yet at
//!   B = 100 cannot tell 0 from 0.025);
//! - the jackknife has none: its S leaderboards are all there are.

use std::collections::BTreeSet;

use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::error::ScoreError;
use super::{workload_time, Leaderboard, Rules};
use crate::error::Result;
use crate::spec::Spec;

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Bootstrap,
    Jackknife,
}

/// `--over`: what a bootstrap resample draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Over {
    /// Per submission and workload, its studies (same count).
    Studies,
    /// The base workloads, each with its held-out variants.
    Workloads,
    /// Both at once.
    Both,
}

/// What to resample and how to summarise it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub method: Method,
    pub over: Over,
    /// Bootstrap resamples (ignored by the jackknife).
    pub resamples: usize,
    pub seed: u64,
    /// Interval level, in (0, 1).
    pub level: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: Method::Bootstrap,
            over: Over::Studies,
            resamples: 10_000,
            seed: 0,
            level: 0.95,
        }
    }
}

/// The study times of a scored leaderboard: per submission (row) and
/// matrix workload (column), (study folder, time) sorted by folder name;
/// empty where the submission did not run the workload.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyTimes {
    pub submissions: Vec<String>,
    pub workloads: Vec<String>,
    pub cells: Vec<Vec<Vec<(String, f64)>>>,
    /// Per cell: its framework as the formulas read it
    /// ([`super::WorkloadOutcome::framework`]).
    pub frameworks: DMatrix<f64>,
}

impl StudyTimes {
    /// The study slot of every (submission, workload) the leaderboard scored.
    pub fn from_leaderboard(lb: &Leaderboard) -> Self {
        let cells = lb
            .outcomes
            .iter()
            .map(|per| {
                lb.workloads
                    .iter()
                    .map(|w| {
                        let mut v: Vec<(String, f64)> = per.get(w).map_or_else(Vec::new, |o| {
                            o.studies
                                .iter()
                                .map(|s| (s.study.clone(), s.time))
                                .collect()
                        });
                        v.sort_by(|a, b| a.0.cmp(&b.0));
                        v
                    })
                    .collect()
            })
            .collect();
        let frameworks = DMatrix::from_fn(lb.submissions.len(), lb.workloads.len(), |r, c| {
            lb.outcomes[r]
                .get(&lb.workloads[c])
                .map_or(f64::NAN, |o| o.framework)
        });
        StudyTimes {
            submissions: lb.submissions.clone(),
            workloads: lb.workloads.clone(),
            cells,
            frameworks,
        }
    }

    /// A submission's study folders over all its workloads, sorted.
    pub fn study_names(&self, row: usize) -> Vec<&str> {
        let names: BTreeSet<&str> = self.cells[row]
            .iter()
            .flatten()
            .map(|(s, _)| s.as_str())
            .collect();
        names.into_iter().collect()
    }
}

/// Chooses a cell's study times: (row, column, the cell's times in folder
/// order, the buffer to fill).
pub type Pick<'a> = dyn FnMut(usize, usize, &[f64], &mut Vec<f64>) + 'a;

/// Scores of the leaderboard whose cell (r, c) has the study times `pick`
/// puts in its buffer (given the cell's times in folder order). A cell left
/// with no study is not run (NaN), as when its folders are absent.
pub fn rescore(
    spec: &Spec,
    times: &StudyTimes,
    pick: &mut Pick,
    scratch: &mut Vec<f64>,
) -> Result<Vec<f64>> {
    let rules = Rules::new(
        spec,
        &times.submissions,
        &times.workloads,
        Some(&times.frameworks),
    )?;
    rescore_with(spec, &rules, times, pick, scratch)
}

/// [`rescore`] with the rules laid out already (once for every resample).
fn rescore_with(
    spec: &Spec,
    rules: &Rules,
    times: &StudyTimes,
    pick: &mut Pick,
    scratch: &mut Vec<f64>,
) -> Result<Vec<f64>> {
    let (n, m) = (times.submissions.len(), times.workloads.len());
    let mut matrix = DMatrix::from_element(n, m, f64::NAN);
    let mut all = Vec::new();
    let mut drawn = Vec::new();
    for r in 0..n {
        for c in 0..m {
            let cell = &times.cells[r][c];
            if cell.is_empty() {
                continue;
            }
            all.clear();
            all.extend(cell.iter().map(|s| s.1));
            drawn.clear();
            pick(r, c, &all, &mut drawn);
            if drawn.is_empty() {
                continue;
            }
            let name = || format!("{}/{}", times.submissions[r], times.workloads[c]);
            let framework = times.frameworks[(r, c)];
            matrix[(r, c)] = workload_time(spec, name, &drawn, framework, scratch)?;
        }
    }
    // Warnings were given once, for the point leaderboard.
    rules.scores(spec, matrix)
}

/// The scores of every resampled (or leave-one-out) leaderboard, in
/// resample order: one `Vec` of per-submission scores each.
pub fn resampled_scores(
    spec: &Spec,
    times: &StudyTimes,
    options: &Options,
) -> Result<Vec<Vec<f64>>> {
    check_options(options)?;
    let rules = Rules::new(
        spec,
        &times.submissions,
        &times.workloads,
        Some(&times.frameworks),
    )?;
    match options.method {
        Method::Jackknife => jackknife(spec, &rules, times),
        Method::Bootstrap => (0..options.resamples)
            .into_par_iter()
            .map_init(
                // A copy of the spec only where resamples weigh workloads.
                || (None, Vec::new()),
                |(own, scratch), i| {
                    let at = (times, i as u64);
                    bootstrap_one(spec, own, &rules, at, options, scratch)
                },
            )
            .collect(),
    }
}

fn check_options(o: &Options) -> Result<()> {
    if !(o.level > 0.0 && o.level < 1.0) {
        return Err(ScoreError::Level(o.level).into());
    }
    if o.method == Method::Bootstrap && o.resamples == 0 {
        return Err(ScoreError::NoResamples.into());
    }
    if o.method == Method::Jackknife && o.over != Over::Studies {
        return Err(ScoreError::JackknifeOverTrials.into());
    }
    Ok(())
}

/// Leaderboard k (k = 0 … S−1) leaves out every submission's k-th study
/// folder (sorted by name) on every workload; a submission with fewer than
/// k + 1 studies keeps all it has.
fn jackknife(spec: &Spec, rules: &Rules, times: &StudyTimes) -> Result<Vec<Vec<f64>>> {
    let names: Vec<Vec<&str>> = (0..times.submissions.len())
        .map(|r| times.study_names(r))
        .collect();
    let s = names.iter().map(Vec::len).max().unwrap_or(0);
    let mut scratch = Vec::new();
    (0..s)
        .map(|k| {
            let mut pick = |r: usize, c: usize, _: &[f64], out: &mut Vec<f64>| {
                let left_out = names[r].get(k).copied();
                out.extend(
                    times.cells[r][c]
                        .iter()
                        .filter(|(study, _)| Some(study.as_str()) != left_out)
                        .map(|x| x.1),
                );
            };
            rescore_with(spec, rules, times, &mut pick, &mut scratch)
        })
        .collect()
}

/// Bootstrap resample `index`: its own ChaCha stream of the seed, so the
/// draws do not depend on which thread runs it. Workloads are drawn first
/// (their multiplicities become profile weights in `own`, a copy of the
/// spec), then each cell's studies in (submission, workload) order.
fn bootstrap_one(
    spec: &Spec,
    own: &mut Option<Spec>,
    rules: &Rules,
    (times, index): (&StudyTimes, u64),
    options: &Options,
    scratch: &mut Vec<f64>,
) -> Result<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(index);
    let weighed = match options.over {
        Over::Studies => spec,
        _ => {
            let own = own.get_or_insert_with(|| spec.clone());
            draw_workloads(spec, own, &mut rng);
            own
        }
    };
    let studies = options.over != Over::Workloads;
    let mut pick = |_: usize, _: usize, all: &[f64], out: &mut Vec<f64>| {
        if studies {
            let n = all.len() as u32;
            out.extend((0..n).map(|_| all[rng.gen_range(0..n) as usize]));
        } else {
            out.extend_from_slice(all);
        }
    };
    rescore_with(weighed, rules, times, &mut pick, scratch)
}

/// Draws the base workloads with replacement: a workload drawn m times
/// weighs m times its spec weight in ρ (0 when not drawn). Its held-out
/// variants go with it through the rule steps. A workload drawn twice has
/// one study draw per submission, counted twice.
fn draw_workloads(spec: &Spec, own: &mut Spec, rng: &mut ChaCha8Rng) {
    let mut base = spec.base.clone();
    base.sort();
    let n = base.len() as u32;
    let mut drawn = vec![0u32; base.len()];
    for _ in 0..n {
        drawn[rng.gen_range(0..n) as usize] += 1;
    }
    for (w, m) in base.iter().zip(drawn) {
        let weight = spec.weights.get(w).copied().unwrap_or(1.0);
        own.weights.insert(w.clone(), weight * f64::from(m));
    }
}

/// One submission's summary over the resampled leaderboards.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionStability {
    pub name: String,
    /// The point leaderboard's score and rank.
    pub score: f64,
    pub rank: usize,
    /// Percentile interval (jackknife: min–max) of the score and the rank.
    pub score_interval: (f64, f64),
    pub rank_interval: (usize, usize),
    /// Fraction of the leaderboards where it ranks 1.
    pub p_first: f64,
    /// Smallest and largest score and rank over all leaderboards.
    pub score_range: (f64, f64),
    pub rank_range: (usize, usize),
    /// Monte-Carlo standard errors (0 for the jackknife) of `p_first` and
    /// of each bound of `score_interval` and `rank_interval`.
    pub p_first_se: f64,
    pub score_interval_se: (f64, f64),
    pub rank_interval_se: (f64, f64),
}

/// The stability of a leaderboard's ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    pub options: Options,
    /// How many leaderboards were scored (B, or S for the jackknife).
    pub leaderboards: usize,
    /// Rows in the point leaderboard's order (by score, ties by name).
    pub rows: Vec<SubmissionStability>,
    /// above[a][b]: fraction of leaderboards where row a scores strictly
    /// above row b (rows as in `rows`).
    pub above: Vec<Vec<f64>>,
    /// Monte-Carlo standard error of each `above` fraction.
    pub above_se: Vec<Vec<f64>>,
    /// Rows (as in `rows`) statistically tied with #1, #1 included.
    pub tied_with_first: Vec<usize>,
    /// Rows (as in `rows`) whose "tied with #1" verdict, either way, is
    /// within two standard errors of its cut-off: more resamples may turn
    /// it.
    pub unsettled: Vec<usize>,
}

/// Binomial standard error of a fraction `p` of `b` draws (0 when there is
/// no Monte-Carlo error: the jackknife).
pub fn fraction_se(p: f64, b: usize, exact: bool) -> f64 {
    if exact || b == 0 {
        return 0.0;
    }
    (p * (1.0 - p) / b as f64).sqrt()
}

/// Standard error of the percentile bound at `q` of sorted values: half
/// the spread of the order statistics d = ⌈√(B·q(1 − q))⌉ places either
/// side of it.
pub fn quantile_se<T: Copy + Into<f64>>(sorted: &[T], q: f64) -> f64 {
    let b = sorted.len();
    if b < 2 {
        return 0.0;
    }
    let k = ((q * b as f64 - 1e-9).ceil() as usize).clamp(1, b) - 1;
    let d = (b as f64 * q * (1.0 - q)).sqrt().ceil() as usize;
    let lo = sorted[k.saturating_sub(d)].into();
    let hi = sorted[(k + d).min(b - 1)].into();
    (hi - lo) / 2.0
}

/// Whether P̂ is within two standard errors of the cut-off `c`.
pub fn near_cutoff(p: f64, c: f64, b: usize, exact: bool) -> bool {
    let se = fraction_se(p, b, exact).max(fraction_se(c, b, exact));
    (p - c).abs() < 2.0 * se
}

/// Resamples the leaderboard and summarises the scores and ranks.
pub fn stability(spec: &Spec, lb: &Leaderboard, options: &Options) -> Result<Stability> {
    let times = StudyTimes::from_leaderboard(lb);
    let samples = resampled_scores(spec, &times, options)?;
    Ok(summarize(lb, &samples, options))
}

/// Competition ranks of one leaderboard's scores.
fn ranks(scores: &[f64]) -> Vec<usize> {
    scores
        .iter()
        .map(|s| 1 + scores.iter().filter(|o| *o > s).count())
        .collect()
}

/// The ⌈q·B⌉-th smallest (1-based; the first when q·B ≤ 1) of sorted values.
/// The 1e-9 keeps q = (1 − 0.95)/2 = 0.025000000000000022 at ⌈250⌉ for B =
/// 10,000 instead of rounding up to 251.
fn quantile<T: Copy>(sorted: &[T], q: f64) -> T {
    let k = (q * sorted.len() as f64 - 1e-9).ceil() as usize;
    sorted[k.clamp(1, sorted.len()) - 1]
}

/// The summary of resampled scores (`samples[i][row]`, rows by name as in
/// the leaderboard) around the point leaderboard.
pub fn summarize(lb: &Leaderboard, samples: &[Vec<f64>], options: &Options) -> Stability {
    let order: Vec<(usize, usize)> = lb.ranking();
    let n = lb.submissions.len();
    let b = samples.len().max(1) as f64;
    let sample_ranks: Vec<Vec<usize>> = samples.iter().map(|s| ranks(s)).collect();
    let alpha = (1.0 - options.level) / 2.0;
    let jack = options.method == Method::Jackknife;
    let rows: Vec<SubmissionStability> = order
        .iter()
        .map(|&(rank, r)| {
            let mut sc: Vec<f64> = samples.iter().map(|s| s[r]).collect();
            sc.sort_by(f64::total_cmp);
            let mut rk: Vec<usize> = sample_ranks.iter().map(|x| x[r]).collect();
            rk.sort_unstable();
            let (score_range, rank_range) = if sc.is_empty() {
                ((lb.rules.scores[r], lb.rules.scores[r]), (rank, rank))
            } else {
                ((sc[0], sc[sc.len() - 1]), (rk[0], rk[rk.len() - 1]))
            };
            let (score_interval, rank_interval) = if jack || sc.is_empty() {
                (score_range, rank_range)
            } else {
                (
                    (quantile(&sc, alpha), quantile(&sc, 1.0 - alpha)),
                    (quantile(&rk, alpha), quantile(&rk, 1.0 - alpha)),
                )
            };
            let rk_f: Vec<f64> = rk.iter().map(|&x| x as f64).collect();
            let se = |v: &[f64], q: f64| if jack { 0.0 } else { quantile_se(v, q) };
            let p_first = rk.iter().filter(|&&x| x == 1).count() as f64 / b;
            SubmissionStability {
                name: lb.submissions[r].clone(),
                score: lb.rules.scores[r],
                rank,
                score_interval,
                rank_interval,
                p_first,
                score_range,
                rank_range,
                p_first_se: fraction_se(p_first, samples.len(), jack),
                score_interval_se: (se(&sc, alpha), se(&sc, 1.0 - alpha)),
                rank_interval_se: (se(&rk_f, alpha), se(&rk_f, 1.0 - alpha)),
            }
        })
        .collect();
    let above: Vec<Vec<f64>> = order
        .iter()
        .map(|&(_, a)| {
            order
                .iter()
                .map(|&(_, c)| samples.iter().filter(|s| s[a] > s[c]).count() as f64 / b)
                .collect()
        })
        .collect();
    let tied_with_first = (0..n).filter(|&i| i == 0 || above[i][0] >= alpha).collect();
    let count = samples.len();
    let above_se = above
        .iter()
        .map(|row| row.iter().map(|&p| fraction_se(p, count, jack)).collect())
        .collect();
    let unsettled = (1..n)
        .filter(|&i| near_cutoff(above[i][0], alpha, count, jack))
        .collect();
    Stability {
        options: *options,
        leaderboards: count,
        rows,
        above,
        above_se,
        tied_with_first,
        unsettled,
    }
}
