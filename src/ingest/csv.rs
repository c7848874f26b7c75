//! Reading one `eval_measurements.csv`: only the columns the spec needs,
//! numbers parsed as pandas reads them.

use crate::error::TrialProblem;
use crate::spec::Columns;

/// The header labels one trial file is searched for: the spec's
/// [`Columns`] with the workload's metric column, borrowed for the readers
/// below ([`read_trial`] makes it; nothing else does).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted<'a> {
    time: &'a str,
    summary_time: &'a str,
    step: &'a str,
    metric: &'a str,
    /// Further columns the spec's formulas read (`column('NAME')`): kept
    /// leniently, a missing column or a cell that is not a number is NaN.
    extra: &'a [String],
}

/// A trial's evaluations, one value per row, in file order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    pub time: Vec<f64>,
    pub summary_time: Vec<f64>,
    pub step: Vec<f64>,
    pub metric: Vec<f64>,
    /// One series per extra (`column('NAME')`) column, in its order.
    pub extra: Vec<Vec<f64>>,
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
    // Numbers first: they are nearly every cell. Rust also accepts "inf",
    // "infinity" and "nan" in any case, and a leading '+'.
    if let Some(v) = std::str::from_utf8(trimmed)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        return Some(v);
    }
    if NA_VALUES.contains(&trimmed) {
        return Some(f64::NAN);
    }
    None
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
///
/// Files without a quote character (every file the AlgoPerf logger writes)
/// take a fast path that splits lines and fields with memchr and parses only
/// the wanted cells; a file with quotes goes through the `csv` crate. Both
/// paths give the same values and the same errors (a test checks it). So
/// does a file with a line ending in a lone `\r` (old Mac line ends), which
/// the fast path would read as one line.
///
/// The values are not judged here (a time going backwards, a negative
/// time): see `ingest::check_times`, which uses [`read_trial`]'s row
/// positions to name the line.
///
/// A line longer than [`crate::limits::MAX_CSV_LINE`] is refused before
/// either path reads it; the plain path's memory does not grow with the
/// number of fields on a line.
pub fn read_series(
    bytes: &[u8],
    columns: &Columns,
    metric: &str,
    extra: &[String],
) -> Result<Series, (Option<u64>, TrialProblem)> {
    read_trial(bytes, columns, metric, extra).map(|(series, _)| series)
}

/// [`read_series`], plus where each row starts (a byte offset, for
/// [`line_of_row`]): blank lines and quoted line breaks make the row index
/// differ from the line.
pub fn read_trial(
    bytes: &[u8],
    columns: &Columns,
    metric: &str,
    extra: &[String],
) -> Result<(Series, Vec<usize>), (Option<u64>, TrialProblem)> {
    let wanted = &Wanted {
        time: &columns.time,
        summary_time: &columns.summary_time,
        step: &columns.step,
        metric,
        extra,
    };
    let bytes = without_bom(bytes);
    if let Some(line) = overlong_line(bytes) {
        return Err((
            Some(line),
            TrialProblem::Unreadable(format!(
                "line longer than {}",
                crate::limits::size_text(crate::limits::MAX_CSV_LINE as u64)
            )),
        ));
    }
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
    if lone_cr || memchr::memchr(b'"', bytes).is_some() {
        read_series_quoted(bytes, wanted)
    } else {
        read_series_plain(bytes, wanted)
    }
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The 1-based line of row `row` of a file read by [`read_trial`].
pub fn line_of_row(bytes: &[u8], starts: &[usize], row: usize) -> Option<u64> {
    starts
        .get(row)
        .map(|&start| line_at_byte(without_bom(bytes), start))
}

/// Lines of a file with their 1-based numbers, `\r\n` or `\n` terminated,
/// empty lines skipped (as pandas skips blank lines).
fn lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut start = 0;
    let mut number = 0u64;
    std::iter::from_fn(move || loop {
        if start >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let mut line = &bytes[start..end];
        start = end + 1;
        number += 1;
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if !line.is_empty() {
            return Some((number, line));
        }
    })
}

fn read_series_plain(
    bytes: &[u8],
    wanted: &Wanted,
) -> Result<(Series, Vec<usize>), (Option<u64>, TrialProblem)> {
    let mut it = lines(bytes);
    let Some((header_line, header)) = it.next() else {
        return Err((None, TrialProblem::Empty));
    };
    let labels = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
    // The wanted columns' positions and the field count, without keeping
    // every header name: memory does not grow with the number of fields.
    let mut cols = [usize::MAX; 4];
    let mut n_fields = 0;
    for (i, h) in header.split(|&b| b == b',').enumerate() {
        for (c, label) in cols.iter_mut().zip(labels) {
            if *c == usize::MAX && h == label.as_bytes() {
                *c = i;
            }
        }
        n_fields = i + 1;
    }
    if let Some(k) = cols.iter().position(|&c| c == usize::MAX) {
        return Err((
            Some(header_line),
            TrialProblem::MissingColumn(labels[k].to_string()),
        ));
    }
    let extra_cols = extra_positions(header.split(|&b| b == b','), wanted.extra);
    let mut extra_raw: Vec<&[u8]> = vec![b""; extra_cols.len()];
    let mut series = Series {
        extra: vec![Vec::new(); extra_cols.len()],
        ..Series::default()
    };
    let mut starts = Vec::new();
    for (line_no, line) in it {
        let mut raw: [&[u8]; 4] = [b""; 4];
        let mut found = 0;
        extra_raw.fill(b"");
        for (i, field) in line.split(|&b| b == b',').enumerate() {
            for (r, &c) in raw.iter_mut().zip(&cols) {
                if c == i {
                    *r = field;
                }
            }
            for (r, &c) in extra_raw.iter_mut().zip(&extra_cols) {
                if c == Some(i) {
                    *r = field;
                }
            }
            found = i + 1;
        }
        if found != n_fields {
            return Err((
                Some(line_no),
                TrialProblem::WrongFieldCount {
                    expected: n_fields,
                    found,
                },
            ));
        }
        let mut values = [0.0; 4];
        for k in 0..4 {
            values[k] =
                parse_cell(raw[k]).ok_or_else(|| not_a_number(line_no, labels[k], raw[k]))?;
        }
        starts.push(line.as_ptr() as usize - bytes.as_ptr() as usize);
        series.time.push(values[0]);
        series.summary_time.push(values[1]);
        series.step.push(values[2]);
        series.metric.push(values[3]);
        for (column, raw) in series.extra.iter_mut().zip(&extra_raw) {
            column.push(lenient_cell(raw));
        }
    }
    Ok((series, starts))
}

/// The first line longer than [`crate::limits::MAX_CSV_LINE`], if any (its
/// 1-based number; `\r\n`, `\r` and `\n` each end a line).
fn overlong_line(bytes: &[u8]) -> Option<u64> {
    let max = crate::limits::MAX_CSV_LINE;
    let mut start = 0;
    let mut line = 1u64;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        if i - start > max {
            return Some(line);
        }
        start = i + 1;
        line += 1;
    }
    (bytes.len() - start.min(bytes.len()) > max).then_some(line)
}

fn not_a_number(line: u64, column: &str, raw: &[u8]) -> (Option<u64>, TrialProblem) {
    (
        Some(line),
        TrialProblem::NotANumber {
            column: column.to_string(),
            value: String::from_utf8_lossy(raw).chars().take(40).collect(),
        },
    )
}

/// The 1-based line on which the record read from `pos` starts.
///
/// The csv crate's own `Position::line` is not that line: a record's position
/// is taken before the blank lines the reader skips and before the `\n` of
/// the previous record's `\r\n` ending, so blank lines and CRLF files (and
/// files ending lines with a lone `\r`) would get a wrong line. The position's
/// byte offset is right; the line is counted from the bytes, past any line
/// ends, with `\r\n`, `\r` and `\n` each one line end.
fn line_at(bytes: &[u8], pos: Option<&csv::Position>) -> Option<u64> {
    Some(line_at_byte(bytes, usize::try_from(pos?.byte()).ok()?))
}

/// The 1-based line of the first character at or after byte `start` that
/// is not a line end.
fn line_at_byte(bytes: &[u8], start: usize) -> u64 {
    let mut start = start.min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    let before = &bytes[..start];
    let mut line = 1u64;
    for (i, &b) in before.iter().enumerate() {
        match b {
            b'\n' => line += 1,
            b'\r' if before.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
    }
    line
}

fn read_series_quoted(
    bytes: &[u8],
    wanted: &Wanted,
) -> Result<(Series, Vec<usize>), (Option<u64>, TrialProblem)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_problem(bytes, e)),
    };
    let header_line = line_at(bytes, headers.position());
    if headers.is_empty() || (headers.len() == 1 && headers.get(0).is_some_and(|h| h.is_empty())) {
        return Err((None, TrialProblem::Empty));
    }
    let find = |name: &str| -> Result<usize, (Option<u64>, TrialProblem)> {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| (header_line, TrialProblem::MissingColumn(name.to_string())))
    };
    let cols = [
        find(wanted.time)?,
        find(wanted.summary_time)?,
        find(wanted.step)?,
        find(wanted.metric)?,
    ];
    let names = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
    let extra_cols = extra_positions(headers.iter(), wanted.extra);
    let mut series = Series {
        extra: vec![Vec::new(); extra_cols.len()],
        ..Series::default()
    };
    let mut record = csv::ByteRecord::new();
    let mut starts = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_problem(bytes, e)),
        }
        // Only needed on an error: counting lines is not free.
        let line = || line_at(bytes, record.position());
        let mut values = [0.0; 4];
        for (k, &c) in cols.iter().enumerate() {
            let raw = record.get(c).unwrap_or(b"");
            values[k] = parse_cell(raw).ok_or_else(|| {
                (
                    line(),
                    TrialProblem::NotANumber {
                        column: names[k].to_string(),
                        value: String::from_utf8_lossy(raw).chars().take(40).collect(),
                    },
                )
            })?;
        }
        let start = record.position().map_or(0, |p| p.byte());
        starts.push(usize::try_from(start).unwrap_or(usize::MAX));
        series.time.push(values[0]);
        series.summary_time.push(values[1]);
        series.step.push(values[2]);
        series.metric.push(values[3]);
        for (column, c) in series.extra.iter_mut().zip(&extra_cols) {
            column.push(c.and_then(|c| record.get(c)).map_or(f64::NAN, lenient_cell));
        }
    }
    Ok((series, starts))
}

/// Where each `column('NAME')` column is in a header (`None`: not there).
fn extra_positions<'h>(
    header: impl Iterator<Item = &'h [u8]>,
    extra: &[String],
) -> Vec<Option<usize>> {
    let mut positions = vec![None; extra.len()];
    for (i, h) in header.enumerate() {
        for (p, name) in positions.iter_mut().zip(extra) {
            if p.is_none() && h == name.as_bytes() {
                *p = Some(i);
            }
        }
    }
    positions
}

/// A `column('NAME')` cell: a number as [`parse_cell`] reads it, else NaN
/// (RULES.md: a row where the column is missing or not a number is NaN).
fn lenient_cell(raw: &[u8]) -> f64 {
    parse_cell(raw).unwrap_or(f64::NAN)
}

fn csv_problem(bytes: &[u8], e: csv::Error) -> (Option<u64>, TrialProblem) {
    let line = line_at(bytes, e.position());
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len,
            len,
            pos,
        } => (
            line_at(bytes, pos.as_ref()).or(line),
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

    /// A trial file read for v0.5's columns, comparing `validation/loss`.
    fn read(bytes: &[u8]) -> Result<Series, (Option<u64>, TrialProblem)> {
        let columns = Columns {
            time: "score".into(),
            summary_time: "accumulated_submission_time".into(),
            step: "global_step".into(),
            metric_prefix: "validation/".into(),
        };
        read_series(bytes, &columns, "validation/loss", &[])
    }

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
        let s = read(text).expect("valid");
        assert_eq!(s.step, vec![1.0, 2.0]);
        assert_eq!(s.time, vec![2.5, 5.0]);
        assert!(s.metric[0].is_nan());
    }

    /// The same file with a quoted header cell goes through the `csv` crate:
    /// both paths must agree on values and on errors.
    fn both_paths(text: &str) -> [Result<Series, (Option<u64>, TrialProblem)>; 2] {
        let quoted = text.replacen("score", "\"score\"", 1);
        assert_ne!(text, quoted);
        [read(text.as_bytes()), read(quoted.as_bytes())]
    }

    #[test]
    fn fast_and_quoted_paths_agree() {
        let cases = [
            "global_step,score,accumulated_submission_time,validation/loss\n1,2.5,2.5,nan\n2,5,5,0.1\n",
            "global_step,score,accumulated_submission_time,validation/loss\r\n1,2.5,2.5,\r\n\r\n2,inf,5,-inf\r\n",
            "\u{feff}global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3,x\n",
            "global_step,score,accumulated_submission_time\n1,2,2\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3,0.2",
        ];
        for text in cases {
            let [a, b] = both_paths(text);
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}");
        }
        let [a, _] = both_paths(cases[1]);
        let s = a.expect("valid");
        assert_eq!(s.time, vec![2.5, f64::INFINITY]);
        assert!(s.metric[0].is_nan());
    }

    #[test]
    fn errors_carry_lines() {
        let text =
            b"global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3\n";
        let (line, p) = read(text).expect_err("short row");
        assert_eq!(line, Some(3));
        assert_eq!(
            p,
            TrialProblem::WrongFieldCount {
                expected: 4,
                found: 3
            }
        );
        let text = b"global_step,score,accumulated_submission_time,validation/loss\n1,2,2,oops\n";
        let (line, p) = read(text).expect_err("text");
        assert_eq!(line, Some(2));
        assert!(matches!(p, TrialProblem::NotANumber { .. }));
        let (_, p) = read(b"").expect_err("empty");
        assert_eq!(p, TrialProblem::Empty);
        let (line, p) = read(b"global_step,score\n").expect_err("missing column");
        assert_eq!(line, Some(1));
        assert!(matches!(p, TrialProblem::MissingColumn(_)));
    }
}
