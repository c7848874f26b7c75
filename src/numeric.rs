//! numpy-compatible numerics: the arithmetic the reference scoring does with
//! numpy, done the same way so results agree to the last bits where possible.

/// `numpy.linspace(start, stop, num)`: `start + i * step`, the last point set
/// to exactly `stop`.
pub fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    match num {
        0 => Vec::new(),
        1 => vec![start],
        _ => {
            let step = (stop - start) / (num - 1) as f64;
            let mut v: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
            v[num - 1] = stop;
            v
        }
    }
}

/// numpy's pairwise summation (`pairwise_sum` in numpy's loops): blocks of up
/// to 128 summed with eight accumulators, larger ranges split in halves.
pub fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &x in a {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let mut i = 8;
        while i < n - (n % 8) {
            for (k, rk) in r.iter_mut().enumerate() {
                *rk += a[i + k];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// `numpy.trapezoid(y, x)`: `sum(diff(x) * (y[1:] + y[:-1]) / 2)`.
pub fn trapezoid(y: &[f64], x: &[f64]) -> f64 {
    let n = y.len().min(x.len());
    if n < 2 {
        return 0.0;
    }
    let parts: Vec<f64> = (1..n)
        .map(|i| (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0)
        .collect();
    pairwise_sum(&parts)
}

/// `numpy.median`: NaN if any value is NaN; the mean of the two middle values
/// for an even count; ∞ takes part like any number. NaN for no values.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    median_in_place(&mut values.to_vec())
}

/// [`median`] of values the caller lets it reorder (a reduction's own
/// buffer: `stability` takes a workload's median in every cell of every
/// resample), without a copy, and the same result to the bit.
pub fn median_in_place(v: &mut [f64]) -> f64 {
    if v.is_empty() || v.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let n = v.len();
    let upper = if n <= SMALL_MEDIAN && n % 2 == 1 {
        // A few values (a cell's studies, which `stability` reduces for
        // every cell of every resample): a sorting network without the
        // selection's branches.
        small_select(v, n / 2)
    } else {
        // Selection, not a full sort: the median of thousands of step-time
        // ratios is on the summary's path.
        *v.select_nth_unstable_by(n / 2, f64::total_cmp).1
    };
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half is the other middle value. numpy's
        // float median is `mean([a, b])` = (a + b) / 2.
        let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// Up to this many values (an odd count), [`median_in_place`] sorts by a
/// network instead of selecting.
const SMALL_MEDIAN: usize = 9;

/// `x`'s place in `f64::total_cmp`'s order, as an integer (the key
/// `total_cmp` itself compares). The map flips the low 63 bits of a
/// negative: it is its own inverse.
fn total_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The value at position `pos` of `v` (at most [`SMALL_MEDIAN`] values)
/// sorted by `f64::total_cmp`. Values equal in that order have the same
/// bits, so this is the value a selection puts at `pos`.
fn small_select(v: &[f64], pos: usize) -> f64 {
    match v.len() {
        1 => v[0],
        3 => network_select::<3>(v, pos),
        5 => network_select::<5>(v, pos),
        7 => network_select::<7>(v, pos),
        _ => network_select::<SMALL_MEDIAN>(v, pos),
    }
}

/// [`small_select`] of N values: their order keys sorted by an odd–even
/// transposition network, which the compiler unrolls into compare-exchanges
/// in registers, without branches; the key at `pos` turned back into its
/// value. Fewer than N values are padded with the largest key.
fn network_select<const N: usize>(v: &[f64], pos: usize) -> f64 {
    let mut keys = [i64::MAX; N];
    for (k, &x) in keys.iter_mut().zip(v) {
        *k = total_key(x);
    }
    for round in 0..N {
        let mut i = round % 2;
        while i + 1 < N {
            let (a, b) = (keys[i], keys[i + 1]);
            keys[i] = a.min(b);
            keys[i + 1] = a.max(b);
            i += 2;
        }
    }
    f64::from_bits(total_key(f64::from_bits(keys[pos.min(N - 1)] as u64)) as u64)
}

/// `numpy.mean` (pairwise sum / n); NaN for no values.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    pairwise_sum(values) / values.len() as f64
}

/// `numpy.nanmedian`: the median of the non-NaN values (∞ kept).
pub fn nanmedian(values: &[f64]) -> f64 {
    let kept: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    median(&kept)
}

/// Minimum skipping NaN (pandas `min`); NaN when every value is NaN.
pub fn nanmin(values: impl IntoIterator<Item = f64>) -> f64 {
    values
        .into_iter()
        .filter(|v| !v.is_nan())
        .fold(
            f64::NAN,
            |acc, v| if acc.is_nan() || v < acc { v } else { acc },
        )
}

/// Formats a float as Python's `repr` does (what pandas writes into CSVs):
/// shortest round-trip digits, `1.0` rather than `1`, exponent form outside
/// 1e-4 ≤ |x| < 1e16, `inf`, `-inf`, and `nan`.
pub fn py_repr(x: f64) -> String {
    let mut out = String::new();
    push_py_repr(&mut out, x);
    out
}

/// [`py_repr`], appended to `out` without a `String` of its own: reports
/// write thousands of numbers into one buffer.
pub fn push_py_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        return out.push_str("nan");
    }
    if x.is_infinite() {
        return out.push_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    if x == 0.0 {
        return out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    // ryu gives the shortest round-trip digits (as Python's repr does), in
    // either "123.45", "0.00012" or "1.2e-7" form: reduce to digits and the
    // decimal exponent of the first digit, then lay out as Python does.
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(x.abs());
    let (mantissa, e) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let int_len = mantissa.find('.').unwrap_or(mantissa.len()) as i32;
    // At most 17 significant digits, plus the zeros ryu writes before or
    // after them (below 1e16 and above 1e-5, so fewer than 24).
    let mut digits = [0u8; 48];
    let mut n = 0;
    let mut leading_zeros = 0;
    for &c in mantissa.as_bytes().iter().filter(|c| c.is_ascii_digit()) {
        if n == 0 && c == b'0' {
            leading_zeros += 1;
        } else if n < digits.len() {
            digits[n] = c;
            n += 1;
        }
    }
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    if n == 0 {
        digits[0] = b'0';
        n = 1;
    }
    let digits = std::str::from_utf8(&digits[..n]).unwrap_or("0");
    let exp = int_len - 1 - leading_zeros + e;
    if x < 0.0 {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        let n = n as i32;
        if exp >= 0 {
            let int_len = exp + 1;
            if n <= int_len {
                out.push_str(digits);
                push_zeros(out, int_len - n);
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len as usize]);
                out.push('.');
                out.push_str(&digits[int_len as usize..]);
            }
        } else {
            out.push_str("0.");
            push_zeros(out, -exp - 1);
            out.push_str(digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(if exp < 0 { "e-" } else { "e+" });
        if exp.abs() < 10 {
            out.push('0');
        }
        // An exponent has at most three digits: no allocation.
        let _ = std::fmt::Write::write_fmt(out, format_args!("{}", exp.abs()));
    }
}

fn push_zeros(out: &mut String, count: i32) {
    out.extend(std::iter::repeat_n('0', count.max(0) as usize));
}

/// A value as pandas writes it in a CSV cell: NaN is an empty cell.
pub fn csv_cell(x: f64) -> String {
    let mut out = String::new();
    push_csv_cell(&mut out, x);
    out
}

/// [`csv_cell`], appended to `out`.
pub fn push_csv_cell(out: &mut String, x: f64) {
    if !x.is_nan() {
        push_py_repr(out, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_python() {
        assert_eq!(py_repr(1.0), "1.0");
        assert_eq!(py_repr(0.125), "0.125");
        assert_eq!(py_repr(1.0303030303030303), "1.0303030303030303");
        assert_eq!(py_repr(5302.864716053009), "5302.864716053009");
        assert_eq!(py_repr(1e-5), "1e-05");
        assert_eq!(py_repr(0.0001), "0.0001");
        assert_eq!(py_repr(1e16), "1e+16");
        assert_eq!(py_repr(123456789012345.0), "123456789012345.0");
        assert_eq!(py_repr(-2.5e-7), "-2.5e-07");
        assert_eq!(py_repr(1.5e300), "1.5e+300");
        assert_eq!(py_repr(f64::INFINITY), "inf");
        assert_eq!(py_repr(10666.0), "10666.0");
    }

    #[test]
    fn linspace_is_numpy() {
        let v = linspace(1.0, 4.0, 100);
        assert_eq!(v[1], 1.0303030303030303);
        assert_eq!(v[4], 1.121212121212121);
        assert_eq!(v[99], 4.0);
    }

    #[test]
    fn median_even_and_inf() {
        assert_eq!(median(&[1.0, 3.0]), 2.0);
        assert_eq!(median(&[1.0, f64::INFINITY]), f64::INFINITY);
        assert_eq!(median(&[3.0, 1.0, f64::INFINITY]), 3.0);
        assert!(median(&[1.0, f64::NAN]).is_nan());
    }

    /// The median of a few values by a sorting network is the selection's, bit for
    /// bit, with ±0, ±∞ and ties.
    #[test]
    fn small_medians_by_network_are_the_selections() {
        use rand::{Rng, SeedableRng};
        let odd = [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 1.0, -1.0, 2.5];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..20_000 {
            let n = rng.gen_range(1..=SMALL_MEDIAN + 3);
            let v: Vec<f64> = (0..n)
                .map(|_| match rng.gen_range(0..3) {
                    0 => odd[rng.gen_range(0..odd.len())],
                    _ => f64::from(rng.gen_range(-20..20)) * 0.5,
                })
                .collect();
            let mut selected = v.clone();
            let expected = *selected.select_nth_unstable_by(n / 2, f64::total_cmp).1;
            let networked = small_select(&v, n / 2);
            if n <= SMALL_MEDIAN {
                assert_eq!(networked.to_bits(), expected.to_bits(), "{v:?}");
                let other = network_select::<SMALL_MEDIAN>(&v, n / 2);
                assert_eq!(other.to_bits(), expected.to_bits(), "{v:?}");
            }
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let by_sort = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[..n / 2]
                    .iter()
                    .copied()
                    .fold(f64::NEG_INFINITY, f64::max)
                    + sorted[n / 2])
                    / 2.0
            };
            let mut w = v.clone();
            assert_eq!(
                median_in_place(&mut w).to_bits(),
                by_sort.to_bits(),
                "{v:?}"
            );
        }
    }

    #[test]
    fn pairwise_matches_naive_on_small_and_large() {
        let v: Vec<f64> = (0..300).map(|i| i as f64 * 0.5).collect();
        assert_eq!(pairwise_sum(&v), v.iter().sum::<f64>());
    }
}
