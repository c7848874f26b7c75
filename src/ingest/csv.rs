//! Reading one `eval_measurements.csv`: only the columns the spec needs,
//! numbers parsed as pandas reads them.

use crate::error::TrialProblem;

/// The columns to keep from a trial file, by header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted<'a> {
    pub time: &'a str,
    pub summary_time: &'a str,
    pub step: &'a str,
    pub metric: &'a str,
}

/// A trial's evaluations, one value per row, in file order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    pub time: Vec<f64>,
    pub summary_time: Vec<f64>,
    pub step: Vec<f64>,
    pub metric: Vec<f64>,
}

impl Series {
    /// Number of evaluations.
    pub fn len(&self) -> usize {
        self.metric.len()
    }

    pub fn is_empty(&self) -> bool {
        self.metric.is_empty()
    }
}

/// pandas' default missing-value markers (`read_csv` `na_values`).
const NA_VALUES: &[&[u8]] = &[
    b"",
    b"#N/A",
    b"#N/A N/A",
    b"#NA",
    b"-1.#IND",
    b"-1.#QNAN",
    b"-NaN",
    b"-nan",
    b"1.#IND",
    b"1.#QNAN",
    b"<NA>",
    b"N/A",
    b"NA",
    b"NULL",
    b"NaN",
    b"None",
    b"n/a",
    b"nan",
    b"null",
];

/// Parses one cell as pandas does: NA markers are NaN, `inf`/`-inf`/`Infinity`
/// in any case are infinities, surrounding spaces are ignored.
pub fn parse_cell(raw: &[u8]) -> Option<f64> {
    let trimmed = trim(raw);
    if NA_VALUES.contains(&trimmed) {
        return Some(f64::NAN);
    }
    let s = std::str::from_utf8(trimmed).ok()?;
    // Rust accepts "inf", "infinity", "nan" in any case and a leading '+'.
    s.parse::<f64>().ok()
}

fn trim(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Reads the wanted columns of a trial file's bytes. Errors carry the
/// 1-based line they are on, when there is one.
pub fn read_series(bytes: &[u8], wanted: &Wanted) -> Result<Series, (Option<u64>, TrialProblem)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_problem(e)),
    };
    if headers.is_empty() || (headers.len() == 1 && headers.get(0).is_some_and(|h| h.is_empty())) {
        return Err((None, TrialProblem::Empty));
    }
    let find = |name: &str| -> Result<usize, (Option<u64>, TrialProblem)> {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| (Some(1), TrialProblem::MissingColumn(name.to_string())))
    };
    let cols = [
        find(wanted.time)?,
        find(wanted.summary_time)?,
        find(wanted.step)?,
        find(wanted.metric)?,
    ];
    let names = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
    let mut series = Series::default();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_problem(e)),
        }
        let line = record.position().map(|p| p.line());
        let mut values = [0.0; 4];
        for (k, &c) in cols.iter().enumerate() {
            let raw = record.get(c).unwrap_or(b"");
            values[k] = parse_cell(raw).ok_or_else(|| {
                (
                    line,
                    TrialProblem::NotANumber {
                        column: names[k].to_string(),
                        value: String::from_utf8_lossy(raw).chars().take(40).collect(),
                    },
                )
            })?;
        }
        series.time.push(values[0]);
        series.summary_time.push(values[1]);
        series.step.push(values[2]);
        series.metric.push(values[3]);
    }
    Ok(series)
}

fn csv_problem(e: csv::Error) -> (Option<u64>, TrialProblem) {
    let line = e.position().map(|p| p.line());
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len,
            len,
            pos,
        } => (
            pos.as_ref().map(|p| p.line()).or(line),
            TrialProblem::WrongFieldCount {
                expected: *expected_len as usize,
                found: *len as usize,
            },
        ),
        csv::ErrorKind::Utf8 { .. } => (line, TrialProblem::NotUtf8),
        csv::ErrorKind::Io(io) => (None, TrialProblem::Unreadable(io.to_string())),
        _ => (line, TrialProblem::Unreadable(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Wanted = Wanted {
        time: "score",
        summary_time: "accumulated_submission_time",
        step: "global_step",
        metric: "validation/loss",
    };

    #[test]
    fn pandas_numbers() {
        assert!(parse_cell(b"").is_some_and(f64::is_nan));
        assert!(parse_cell(b"nan").is_some_and(f64::is_nan));
        assert!(parse_cell(b"NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_cell(b"inf"), Some(f64::INFINITY));
        assert_eq!(parse_cell(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_cell(b"Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_cell(b" 1.5 "), Some(1.5));
        assert_eq!(parse_cell(b"1e3"), Some(1000.0));
        assert_eq!(parse_cell(b"abc"), None);
    }

    #[test]
    fn reads_wanted_columns_only() {
        let text = b"global_step,score,x,accumulated_submission_time,validation/loss\n1,2.5,zz,2.5,nan\n2,5,zz,5,0.1\n";
        let s = read_series(text, &W).expect("valid");
        assert_eq!(s.step, vec![1.0, 2.0]);
        assert_eq!(s.time, vec![2.5, 5.0]);
        assert!(s.metric[0].is_nan());
    }

    #[test]
    fn errors_carry_lines() {
        let text =
            b"global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3\n";
        let (line, p) = read_series(text, &W).expect_err("short row");
        assert_eq!(line, Some(3));
        assert_eq!(
            p,
            TrialProblem::WrongFieldCount {
                expected: 4,
                found: 3
            }
        );
        let text = b"global_step,score,accumulated_submission_time,validation/loss\n1,2,2,oops\n";
        let (line, p) = read_series(text, &W).expect_err("text");
        assert_eq!(line, Some(2));
        assert!(matches!(p, TrialProblem::NotANumber { .. }));
        let (_, p) = read_series(b"", &W).expect_err("empty");
        assert_eq!(p, TrialProblem::Empty);
        let (line, p) = read_series(b"global_step,score\n", &W).expect_err("missing column");
        assert_eq!(line, Some(1));
        assert!(matches!(p, TrialProblem::MissingColumn(_)));
    }
}
