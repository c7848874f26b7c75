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
    let mut v = values.to_vec();
    let n = v.len();
    // Selection, not a full sort: the median of thousands of step-time
    // ratios is on the summary's path.
    let (_, &mut upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half is the other middle value. numpy's
        // float median is `mean([a, b])` = (a + b) / 2.
        let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
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
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
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
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int_digits = int_part.trim_start_matches('0');
    let (digits, exp): (String, i32) = if !int_digits.is_empty() {
        (
            format!("{int_digits}{frac_part}"),
            int_digits.len() as i32 - 1 + e,
        )
    } else {
        let frac_digits = frac_part.trim_start_matches('0');
        let zeros = (frac_part.len() - frac_digits.len()) as i32;
        (frac_digits.to_string(), -(zeros + 1) + e)
    };
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        let s = if exp >= 0 {
            let int_len = exp + 1;
            if n <= int_len {
                format!("{}{}.0", digits, "0".repeat((int_len - n) as usize))
            } else {
                format!(
                    "{}.{}",
                    &digits[..int_len as usize],
                    &digits[int_len as usize..]
                )
            }
        } else {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        };
        format!("{sign}{s}")
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.to_string()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

/// A value as pandas writes it in a CSV cell: NaN is an empty cell.
pub fn csv_cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        py_repr(x)
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

    #[test]
    fn pairwise_matches_naive_on_small_and_large() {
        let v: Vec<f64> = (0..300).map(|i| i as f64 * 0.5).collect();
        assert_eq!(pairwise_sum(&v), v.iter().sum::<f64>());
    }
}
