//! How sure is the ranking: the leaderboard re-scored on resampled study
//! times (bootstrap) or with one study left out at a time (jackknife).
//!
//! Every resample starts from the study times scoring already computed (the
//! study slot of [`Leaderboard::outcomes`]): nothing is read again. A
//! resampled leaderboard aggregates its studies with the spec's workload
//! formula ([`super::workload_time`]) and then runs the spec's rule steps,
//! profile and score unchanged ([`super::Rules::scores`], the rules laid
//! out once for every resample, their steps and ratio in column-wise
//! form where the formulas allow).
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
//!   leaderboards, and the interval is their min–max range;
//! - the profile's bands ([`stability_with_bands`]) are pointwise: at each
//!   τ of the grid, the same percentile interval of the resampled ρ(τ)
//!   values as a score's (the jackknife: min–max), so a band is no
//!   simultaneous confidence region for the whole curve.
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
use super::{apply_rules_framed, Leaderboard, Ruled, Rules, WorkloadTimes};
use crate::diagnostics::Warnings;
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

    /// The spec's rules laid out once for these rows, columns and cells'
    /// frameworks: what every resample is scored with.
    pub fn rules(&self, spec: &Spec) -> Result<Rules<'_>> {
        Rules::new(
            spec,
            &self.submissions,
            &self.workloads,
            Some(&self.frameworks),
        )
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

/// Every cell's study times in folder order, in one buffer, laid out once
/// for all resamples (they were copied out of the cells' (folder, time)
/// pairs at every resample).
struct FlatTimes {
    times: Vec<f64>,
    /// Cell (r, c)'s times are `times[start[k]..start[k + 1]]`,
    /// k = r · columns + c.
    start: Vec<usize>,
    columns: usize,
}

impl FlatTimes {
    fn new(t: &StudyTimes) -> Self {
        let mut start = vec![0];
        let mut times = Vec::new();
        for row in &t.cells {
            for cell in row {
                times.extend(cell.iter().map(|s| s.1));
                start.push(times.len());
            }
        }
        FlatTimes {
            times,
            start,
            columns: t.workloads.len(),
        }
    }

    fn cell(&self, r: usize, c: usize) -> &[f64] {
        let k = r * self.columns + c;
        &self.times[self.start[k]..self.start[k + 1]]
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
    let rules = times.rules(spec)?;
    let flat = FlatTimes::new(times);
    rules.scores(spec, picked_times(spec, (times, &flat), pick, scratch)?)
}

/// The workload-time matrix whose cell (r, c) has the study times `pick`
/// puts in its buffer; NaN where it puts none.
fn picked_times(
    spec: &Spec,
    (times, flat): (&StudyTimes, &FlatTimes),
    pick: &mut Pick,
    scratch: &mut Vec<f64>,
) -> Result<DMatrix<f64>> {
    let (n, m) = (times.submissions.len(), times.workloads.len());
    let mut matrix = DMatrix::from_element(n, m, f64::NAN);
    let mut workload_times = WorkloadTimes::new(spec, scratch);
    let mut drawn = Vec::new();
    for r in 0..n {
        for c in 0..m {
            let all = flat.cell(r, c);
            if all.is_empty() {
                continue;
            }
            drawn.clear();
            pick(r, c, all, &mut drawn);
            if drawn.is_empty() {
                continue;
            }
            let name = || format!("{}/{}", times.submissions[r], times.workloads[c]);
            let framework = times.frameworks[(r, c)];
            matrix[(r, c)] = workload_times.time(name, &drawn, framework)?;
        }
    }
    Ok(matrix)
}

/// The scores of every resampled (or leave-one-out) leaderboard, in
/// resample order: one `Vec` of per-submission scores each.
pub fn resampled_scores(
    spec: &Spec,
    times: &StudyTimes,
    options: &Options,
) -> Result<Vec<Vec<f64>>> {
    Ok(resample(spec, times, options, false)?.0)
}

/// Resampled leaderboards handled at once: each keeps its profile until
/// it is counted, so this many profiles are held at a time, not B.
const CHUNK: usize = 256;

/// The scores of every resampled leaderboard (as [`resampled_scores`])
/// and, when `bands`, the count of every ρ(τ) value over them. The rules
/// are laid out once for every resample.
fn resample(
    spec: &Spec,
    times: &StudyTimes,
    options: &Options,
    bands: bool,
) -> Result<(Vec<Vec<f64>>, Option<RhoCounts>)> {
    check_options(options)?;
    let rules = times.rules(spec)?;
    let flat = FlatTimes::new(times);
    let total = match options.method {
        Method::Jackknife => jackknife_count(times),
        Method::Bootstrap => options.resamples,
    };
    let mut counts = bands.then(|| RhoCounts::new(times.submissions.len(), spec.tau.values.len()));
    let mut scores = Vec::with_capacity(total);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        let chunk: Vec<(Vec<f64>, Option<DMatrix<f64>>)> = (start..end)
            .into_par_iter()
            .map_init(
                // A copy of the spec only where resamples weigh workloads.
                || (None, Vec::new()),
                |(own, scratch), i| {
                    let (weighed, matrix) =
                        resampled_times(spec, own, (times, &flat), options, i, scratch)?;
                    // A profile is kept only for the bands.
                    let (row_scores, profile) = rules.scored(weighed, matrix)?;
                    Ok((row_scores, bands.then_some(profile)))
                },
            )
            .collect::<Result<_>>()?;
        for (row_scores, profile) in chunk {
            if let (Some(c), Some(profile)) = (counts.as_mut(), profile) {
                c.add(&profile);
            }
            scores.push(row_scores);
        }
        start = end;
    }
    Ok((scores, counts))
}

/// Resampled (or leave-one-out) leaderboard `index`, whole: what
/// [`stability`] summarises, for a caller that wants its profile. It goes
/// through [`apply_rules_framed`], the point leaderboard's path, not the
/// rules laid out once that [`resample`] uses: each checks the other.
pub fn resampled_leaderboard(
    spec: &Spec,
    times: &StudyTimes,
    options: &Options,
    index: usize,
) -> Result<Ruled> {
    check_options(options)?;
    let mut own = None;
    let flat = FlatTimes::new(times);
    let (weighed, matrix) = resampled_times(
        spec,
        &mut own,
        (times, &flat),
        options,
        index,
        &mut Vec::new(),
    )?;
    // Warnings were given once, for the point leaderboard.
    let mut quiet = Warnings::default();
    apply_rules_framed(
        weighed,
        &times.submissions,
        &times.workloads,
        matrix,
        Some(&times.frameworks),
        &mut quiet,
    )
}

/// Resample `index`'s spec (its workload weights, where resamples weigh
/// workloads: a copy in `own`) and workload-time matrix.
fn resampled_times<'s>(
    spec: &'s Spec,
    own: &'s mut Option<Spec>,
    times: (&StudyTimes, &FlatTimes),
    options: &Options,
    index: usize,
    scratch: &mut Vec<f64>,
) -> Result<(&'s Spec, DMatrix<f64>)> {
    match options.method {
        Method::Jackknife => Ok((spec, jackknife_one(spec, times, index, scratch)?)),
        Method::Bootstrap => bootstrap_one(spec, own, (times, index as u64), options, scratch),
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

/// S, the number of leave-one-out leaderboards: the most study folders
/// any submission has.
fn jackknife_count(times: &StudyTimes) -> usize {
    (0..times.submissions.len())
        .map(|r| times.study_names(r).len())
        .max()
        .unwrap_or(0)
}

/// Leaderboard k (k = 0 … S−1) leaves out every submission's k-th study
/// folder (sorted by name) on every workload; a submission with fewer than
/// k + 1 studies keeps all it has.
fn jackknife_one(
    spec: &Spec,
    (times, flat): (&StudyTimes, &FlatTimes),
    k: usize,
    scratch: &mut Vec<f64>,
) -> Result<DMatrix<f64>> {
    let names: Vec<Vec<&str>> = (0..times.submissions.len())
        .map(|r| times.study_names(r))
        .collect();
    let mut pick = |r: usize, c: usize, _: &[f64], out: &mut Vec<f64>| {
        let left_out = names[r].get(k).copied();
        out.extend(
            times.cells[r][c]
                .iter()
                .filter(|(study, _)| Some(study.as_str()) != left_out)
                .map(|x| x.1),
        );
    };
    picked_times(spec, (times, flat), &mut pick, scratch)
}

/// Bootstrap resample `index`: its own ChaCha stream of the seed, so the
/// draws do not depend on which thread runs it. Workloads are drawn first
/// (their multiplicities become profile weights in `own`, a copy of the
/// spec), then each cell's studies in (submission, workload) order.
fn bootstrap_one<'s>(
    spec: &'s Spec,
    own: &'s mut Option<Spec>,
    (times, index): ((&StudyTimes, &FlatTimes), u64),
    options: &Options,
    scratch: &mut Vec<f64>,
) -> Result<(&'s Spec, DMatrix<f64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(index);
    let weighed: &Spec = match options.over {
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
            draw_studies(&mut rng, all, out);
        } else {
            out.extend_from_slice(all);
        }
    };
    Ok((weighed, picked_times(weighed, times, &mut pick, scratch)?))
}

/// Draws as many study times from `all` as it holds, with replacement.
/// A function of its own, so that the generator's state is known not to
/// alias `out` and stays in registers through the loop (as a closure's
/// capture it went through memory at every draw).
#[inline(never)]
fn draw_studies(rng: &mut ChaCha8Rng, all: &[f64], out: &mut Vec<f64>) {
    let n = all.len() as u32;
    out.reserve(all.len());
    for _ in 0..n {
        out.push(all[rng.gen_range(0..n) as usize]);
    }
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
    /// The profile's bands, when asked for ([`stability_with_bands`]).
    pub bands: Option<ProfileBands>,
}

/// Pointwise bands of ρ(τ) over the same resampled leaderboards as the
/// intervals: at every τ of the spec's grid, the percentile interval of
/// the B resampled ρ(τ) values at the intervals' level (the jackknife:
/// their min–max), computed as the score intervals are. Rows as in
/// [`Stability::rows`] (by point score).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileBands {
    /// The spec's τ grid.
    pub tau: Vec<f64>,
    /// The point leaderboard's ρ(τ).
    pub point: Vec<Vec<f64>>,
    pub lo: Vec<Vec<f64>>,
    pub hi: Vec<Vec<f64>>,
}

/// Per (submission, τ) the distinct ρ(τ) values of the resampled
/// leaderboards and how many gave each. ρ is a sum of workload weights
/// over their total, so it takes few values, and a percentile needs no
/// more than their counts: B profiles need not be kept. Counts do not
/// depend on the order the leaderboards come in.
#[derive(Debug, Clone)]
struct RhoCounts {
    taus: usize,
    /// Index `row * taus + j`: (value, count), values compared by bits.
    cells: Vec<Vec<(f64, usize)>>,
    total: usize,
}

impl RhoCounts {
    fn new(rows: usize, taus: usize) -> Self {
        RhoCounts {
            taus,
            cells: vec![Vec::new(); rows * taus],
            total: 0,
        }
    }

    fn add(&mut self, profile: &DMatrix<f64>) {
        for r in 0..profile.nrows() {
            for j in 0..self.taus {
                let v = profile[(r, j)];
                let cell = &mut self.cells[r * self.taus + j];
                match cell.iter_mut().find(|(x, _)| x.to_bits() == v.to_bits()) {
                    Some((_, n)) => *n += 1,
                    None => cell.push((v, 1)),
                }
            }
        }
        self.total += 1;
    }

    /// The `k`-th smallest (1-based) ρ value of cell (row, j).
    fn kth(&self, row: usize, j: usize, k: usize) -> f64 {
        let mut cell = self.cells[row * self.taus + j].clone();
        cell.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut seen = 0;
        for (v, n) in &cell {
            seen += n;
            if seen >= k {
                return *v;
            }
        }
        cell.last().map_or(f64::NAN, |x| x.0)
    }

    /// The bands of the leaderboard rows `order` (point-score order).
    fn bands(&self, lb: &Leaderboard, order: &[usize], options: &Options) -> ProfileBands {
        let b = self.total;
        let alpha = (1.0 - options.level) / 2.0;
        let (k_lo, k_hi) = match options.method {
            Method::Jackknife => (1, b),
            Method::Bootstrap => (quantile_rank(alpha, b), quantile_rank(1.0 - alpha, b)),
        };
        let row_of = |r: usize, k: usize| (0..self.taus).map(|j| self.kth(r, j, k)).collect();
        ProfileBands {
            tau: lb.rules.tau.values.clone(),
            point: order
                .iter()
                .map(|&r| lb.rules.profile.row(r).iter().copied().collect())
                .collect(),
            lo: order.iter().map(|&r| row_of(r, k_lo)).collect(),
            hi: order.iter().map(|&r| row_of(r, k_hi)).collect(),
        }
    }
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
    let k = quantile_rank(q, b) - 1;
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

/// [`stability`] with the profile's bands over the same resamples (the
/// same seed gives the same intervals, bands or not).
pub fn stability_with_bands(spec: &Spec, lb: &Leaderboard, options: &Options) -> Result<Stability> {
    let times = StudyTimes::from_leaderboard(lb);
    let (samples, counts) = resample(spec, &times, options, true)?;
    let mut s = summarize(lb, &samples, options);
    if let Some(counts) = counts.filter(|c| c.total > 0) {
        let order: Vec<usize> = lb.ranking().into_iter().map(|(_, r)| r).collect();
        s.bands = Some(counts.bands(lb, &order, options));
    }
    Ok(s)
}

/// Competition ranks of one leaderboard's scores.
fn ranks(scores: &[f64]) -> Vec<usize> {
    scores
        .iter()
        .map(|s| 1 + scores.iter().filter(|o| *o > s).count())
        .collect()
}

/// The ⌈q·B⌉-th smallest (1-based; the first when q·B ≤ 1) of sorted values.
fn quantile<T: Copy>(sorted: &[T], q: f64) -> T {
    sorted[quantile_rank(q, sorted.len()) - 1]
}

/// ⌈q·B⌉, within 1 … B: which of B sorted values is the q-quantile. The
/// 1e-9 keeps q = (1 − 0.95)/2 = 0.025000000000000022 at ⌈250⌉ for B =
/// 10,000 instead of rounding up to 251.
pub fn quantile_rank(q: f64, b: usize) -> usize {
    let k = (q * b as f64 - 1e-9).ceil() as usize;
    k.clamp(1, b.max(1))
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
        bands: None,
    }
}
