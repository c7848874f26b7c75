//! Reading one `eval_measurements.csv`: only the columns the spec needs,
//! numbers parsed as pandas reads them.

use crate::error::TrialProblem;
use crate::spec::Columns;

/// The header labels one trial file is searched for: the spec's
/// [`Columns`] with the workload's metric column, borrowed for the readers
/// below ([`read_series`] makes it; nothing else does).
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

pub use crate::spec::series::Series;

impl Series {
    /// Room for `rows` evaluations and `extra` further columns.
    fn with_capacity(rows: usize, extra: usize) -> Series {
        Series {
            time: Vec::with_capacity(rows),
            summary_time: Vec::with_capacity(rows),
            step: Vec::with_capacity(rows),
            metric: Vec::with_capacity(rows),
            extra: (0..extra).map(|_| Vec::with_capacity(rows)).collect(),
        }
    }

    /// Room for `rows` more evaluations.
    fn reserve(&mut self, rows: usize) {
        self.time.reserve(rows);
        self.summary_time.reserve(rows);
        self.step.reserve(rows);
        self.metric.reserve(rows);
        self.extra.iter_mut().for_each(|c| c.reserve(rows));
    }

    /// Appends one evaluation's time, summary time, step and metric.
    fn push(&mut self, [time, summary_time, step, metric]: [f64; 4]) {
        self.time.push(time);
        self.summary_time.push(summary_time);
        self.step.push(step);
        self.metric.push(metric);
    }

    /// Frees room reserved beyond the evaluations read: thousands of trials
    /// are held at once.
    fn shrink_to_fit(&mut self) {
        self.time.shrink_to_fit();
        self.summary_time.shrink_to_fit();
        self.step.shrink_to_fit();
        self.metric.shrink_to_fit();
        self.extra.iter_mut().for_each(Vec::shrink_to_fit);
    }

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
    // Numbers first: they are nearly every cell, and most are plain decimals
    // that need neither a UTF-8 check nor the general parser.
    if let Some(v) = plain_decimal(trimmed) {
        return Some(v);
    }
    // Rust also accepts "inf", "infinity" and "nan" in any case, and a
    // leading '+'.
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

/// Exact powers of ten as f64 (10^22 is the largest one a double holds exactly).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal `[+-]digits[.digits][(e|E)[+-]digits]` whose digits fit in 53
/// bits and whose power of ten is at most 22 either way, else `None` (then
/// [`parse_cell`] asks `f64::from_str`). In that range both the digits and
/// the power of ten are exact doubles, so one multiplication or division
/// rounds once, correctly: the same value as `f64::from_str` (Clinger's fast
/// path, which the standard parser takes too).
fn plain_decimal(b: &[u8]) -> Option<f64> {
    let (negative, b) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    let mut digits: u64 = 0;
    let mut count = 0usize;
    let mut i = 0;
    let scan = |i: &mut usize, digits: &mut u64| {
        let from = *i;
        while let Some(d) = b.get(*i).map(|c| c.wrapping_sub(b'0')).filter(|d| *d < 10) {
            *digits = digits.wrapping_mul(10).wrapping_add(u64::from(d));
            *i += 1;
        }
        *i - from
    };
    let int_digits = scan(&mut i, &mut digits);
    count += int_digits;
    let mut exponent: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_digits = scan(&mut i, &mut digits);
        if frac_digits == 0 {
            return None;
        }
        count += frac_digits;
        exponent -= frac_digits as i64;
    }
    // At most 19 digits cannot have wrapped; the 53-bit check follows.
    if int_digits == 0 || count > 19 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let minus = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut e: u64 = 0;
        let n = scan(&mut i, &mut e);
        if n == 0 || n > 4 {
            return None;
        }
        exponent += if minus { -(e as i64) } else { e as i64 };
    }
    if i != b.len() || digits > 1 << 53 {
        return None;
    }
    let magnitude = if digits == 0 {
        0.0
    } else if (0..=22).contains(&exponent) {
        digits as f64 * POW10[exponent as usize]
    } else if (-22..0).contains(&exponent) {
        digits as f64 / POW10[(-exponent) as usize]
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
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
/// One reader for every file: it reads CSV as the `csv` crate does
/// (double-quoted fields with `""` for a quote and line breaks inside,
/// `\r\n`, `\n` and a lone `\r` each ending a record, blank lines skipped),
/// finds separators with memchr, and parses only the wanted cells, without
/// copying any field that has no quotes (a test compares it with the `csv`
/// crate on generated files).
///
/// The values are not judged here (a time going backwards, a negative
/// time): see `ingest::check_times`, which names a row's line with
/// [`line_of_row`].
///
/// A line longer than [`crate::limits::MAX_CSV_LINE`] is refused before
/// anything else is read; memory does not grow with the number of fields on
/// a line.
pub fn read_series(
    bytes: &[u8],
    columns: &Columns,
    metric: &str,
    extra: &[String],
) -> Result<Series, (Option<u64>, TrialProblem)> {
    let wanted = Wanted {
        time: &columns.time,
        summary_time: &columns.summary_time,
        step: &columns.step,
        metric,
        extra,
    };
    read_wanted(bytes, &wanted)
}

/// [`read_series`] for the labels it looks for.
fn read_wanted(bytes: &[u8], wanted: &Wanted) -> Result<Series, (Option<u64>, TrialProblem)> {
    let bytes = without_bom(bytes);
    let mut records = Records::new(bytes);
    let header = match Header::read(&mut records, wanted) {
        Ok(header) => header,
        Err(problem) => return Err(long_line(bytes).unwrap_or(problem)),
    };
    if records.pos > crate::limits::MAX_CSV_LINE {
        if let Some(problem) = long_line(&bytes[..records.pos]) {
            return Err(problem);
        }
    }
    match read_rows(&mut records, &header, wanted) {
        Ok(series) => Ok(series),
        // A line beyond the limit is the file's problem, whatever else a
        // row has: it is what the reader reports, as it did when it
        // measured every line before reading.
        Err(problem) => Err(long_line(bytes).unwrap_or(problem)),
    }
}

/// The rows after the header, one record at a time, only the picked
/// fields' spans taken.
fn read_rows(
    records: &mut Records,
    header: &Header,
    wanted: &Wanted,
) -> Result<Series, (Option<u64>, TrialProblem)> {
    let names = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
    let mut series = Series::with_capacity(0, wanted.extra.len());
    let mut cells = vec![Span::default(); 4 + wanted.extra.len()];
    while let Some((start, found)) = records.next_picked(&header.picks, &mut cells) {
        let end = records.pos;
        if series.is_empty() {
            // The first row's length sizes the series for the rest: rows of
            // a trial file are of nearly one length.
            let rows = (records.bytes.len() - end) / (end - start).max(1) + 1;
            series.reserve(rows);
        }
        let line = || Some(line_at_byte(records.bytes, start));
        if end - start > crate::limits::MAX_CSV_LINE {
            // A record this long may be a line beyond the limit (or many
            // quoted lines within it): measure its lines.
            if let Some(problem) = long_line(&records.bytes[..end]) {
                return Err(problem);
            }
        }
        if found != header.fields {
            let expected = header.fields;
            return Err((line(), TrialProblem::WrongFieldCount { expected, found }));
        }
        let mut values = [0.0; 4];
        for (k, value) in values.iter_mut().enumerate() {
            let raw = records.text(cells[k]);
            *value = parse_cell(raw).ok_or_else(|| (line(), not_a_number(names[k], raw)))?;
        }
        series.push(values);
        for (column, &span) in series.extra.iter_mut().zip(&cells[4..]) {
            column.push(lenient_cell(records.text(span)));
        }
    }
    series.shrink_to_fit();
    Ok(series)
}

/// The problem of a file with a line longer than
/// [`crate::limits::MAX_CSV_LINE`], naming the first such line.
fn long_line(bytes: &[u8]) -> Option<(Option<u64>, TrialProblem)> {
    let line = count_lines(bytes).err()?;
    let limit = crate::limits::size_text(crate::limits::MAX_CSV_LINE as u64);
    Some((
        Some(line),
        TrialProblem::Unreadable(format!("line longer than {limit}")),
    ))
}

/// The 1-based line of row `row` (0 is the first row after the header) of a
/// file [`read_series`] read: blank lines and quoted line breaks make the
/// row index differ from the line.
pub fn line_of_row(bytes: &[u8], row: usize) -> Option<u64> {
    let bytes = without_bom(bytes);
    let mut records = Records::new(bytes);
    records.next(|_, _, _| {})?;
    for _ in 0..row {
        records.next(|_, _, _| {})?;
    }
    records
        .next(|_, _, _| {})
        .map(|(start, _)| line_at_byte(bytes, start))
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// What the header says: how many fields each record must have, and which
/// fields to keep, as (field index, cell slot) sorted by field (slots 0–3
/// are time, summary time, step and metric, 4… the extra columns; one field
/// may fill several slots). Extra columns not in the header have no pick:
/// their cell stays empty, which reads as NaN.
struct Header {
    fields: usize,
    picks: Vec<(usize, usize)>,
}

impl Header {
    fn read(records: &mut Records, wanted: &Wanted) -> Result<Header, (Option<u64>, TrialProblem)> {
        let labels = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
        let names = labels
            .iter()
            .copied()
            .chain(wanted.extra.iter().map(String::as_str));
        // Only the first field of each name counts; nothing else of the header
        // is kept.
        let mut slots: Vec<Option<usize>> = vec![None; 4 + wanted.extra.len()];
        let mut first_empty = false;
        let Some((start, fields)) = records.next(|i, _, text| {
            first_empty = i == 0 && text.is_empty();
            for (slot, name) in slots.iter_mut().zip(names.clone()) {
                if slot.is_none() && text == name.as_bytes() {
                    *slot = Some(i);
                }
            }
        }) else {
            return Err((None, TrialProblem::Empty));
        };
        // A header of one empty field is an empty file (the `csv` crate's
        // reading of `""`).
        if fields == 1 && first_empty {
            return Err((None, TrialProblem::Empty));
        }
        if let Some(k) = slots[..4].iter().position(Option::is_none) {
            let line = line_at_byte(records.bytes, start);
            return Err((
                Some(line),
                TrialProblem::MissingColumn(labels[k].to_string()),
            ));
        }
        let mut picks: Vec<(usize, usize)> = slots
            .iter()
            .enumerate()
            .filter_map(|(slot, field)| Some(((*field)?, slot)))
            .collect();
        picks.sort_unstable();
        Ok(Header { fields, picks })
    }
}

/// Where a field's text is: in the file, or (a quoted field, without its
/// quotes) in the reader's buffer of unquoted text.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    quoted: bool,
    start: usize,
    end: usize,
}

/// Records of a CSV file, read by the `csv` crate's rules (see
/// [`read_series`]).
struct Records<'b> {
    bytes: &'b [u8],
    pos: usize,
    /// The current record's quoted fields, quotes removed and `""` made `"`.
    unquoted: Vec<u8>,
}

impl<'b> Records<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Records {
            bytes,
            pos: 0,
            unquoted: Vec::new(),
        }
    }

    /// A field's text (valid until the next record is read).
    fn text(&self, span: Span) -> &[u8] {
        let from = if span.quoted {
            &self.unquoted
        } else {
            self.bytes
        };
        &from[span.start..span.end]
    }

    /// Reads the next record, calling `field` with each field's index,
    /// place and text; returns the byte where the record starts and its number of
    /// fields, or `None` past the last record.
    fn next(&mut self, mut field: impl FnMut(usize, Span, &[u8])) -> Option<(usize, usize)> {
        let bytes = self.bytes;
        while matches!(bytes.get(self.pos), Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        self.unquoted.clear();
        let mut count = 0;
        loop {
            let span = if bytes.get(self.pos) == Some(&b'"') {
                self.quoted_field()
            } else {
                let from = self.pos;
                self.pos = self.field_end(from);
                Span {
                    quoted: false,
                    start: from,
                    end: self.pos,
                }
            };
            field(count, span, self.text(span));
            count += 1;
            // A comma starts another field (an empty one at the end of the
            // file); a line end or the end of the file ends the record.
            match bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(_) => {
                    self.pos += 1;
                    return Some((start, count));
                }
                None => return Some((start, count)),
            }
        }
    }

    /// [`Self::next`] for rows: the spans of the fields `picks` names (as
    /// (field, cell slot), sorted by field) put into `cells`, no call per
    /// field. A record without a quote is split by 64-byte blocks: one
    /// pass marks commas, line ends and quotes as bits, a population count
    /// steps over every block that holds no wanted field, and trailing
    /// zeros find the commas of those that do. A record with a quote is
    /// read by [`Self::next`].
    fn next_picked(
        &mut self,
        picks: &[(usize, usize)],
        cells: &mut [Span],
    ) -> Option<(usize, usize)> {
        let bytes = self.bytes;
        while matches!(bytes.get(self.pos), Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        if let Some(fields) = self.plain_record(start, picks, cells) {
            return Some((start, fields));
        }
        self.pos = start;
        let mut next = 0;
        self.next(|i, span, _| {
            while let Some(&(_, slot)) = picks.get(next).filter(|(c, _)| *c == i) {
                cells[slot] = span;
                next += 1;
            }
        })
    }

    /// The record from `start` if it has no quote: its number of fields,
    /// with the picked spans set and the position past its line end;
    /// `None` (nothing to be trusted set) at a quote.
    fn plain_record(
        &mut self,
        start: usize,
        picks: &[(usize, usize)],
        cells: &mut [Span],
    ) -> Option<usize> {
        let bytes = self.bytes;
        let mut field = 0;
        let mut field_start = start;
        let mut next = 0;
        let mut put = |field: usize, from: usize, to: usize, next: &mut usize| {
            while let Some(&(_, slot)) = picks.get(*next).filter(|(c, _)| *c == field) {
                cells[slot] = Span {
                    quoted: false,
                    start: from,
                    end: to,
                };
                *next += 1;
            }
        };
        let mut block = start;
        loop {
            let chunk = &bytes[block..bytes.len().min(block + 64)];
            let marks = Marks::of(chunk);
            // Bits before the record's end (or the chunk's).
            let end = marks.ends.trailing_zeros() as usize;
            let before = if end >= 64 { !0 } else { (1u64 << end) - 1 };
            if marks.quotes & before != 0 {
                return None;
            }
            let mut commas = marks.commas & before;
            let count = commas.count_ones() as usize;
            let wanted_here = picks.get(next).is_some_and(|(c, _)| *c <= field + count);
            if wanted_here {
                while commas != 0 {
                    let at = block + commas.trailing_zeros() as usize;
                    put(field, field_start, at, &mut next);
                    field += 1;
                    field_start = at + 1;
                    commas &= commas - 1;
                }
            } else if count > 0 {
                field += count;
                field_start = block + (63 - commas.leading_zeros() as usize) + 1;
            }
            if end < chunk.len() {
                // The line end: the last field, and the end byte consumed.
                put(field, field_start, block + end, &mut next);
                self.pos = block + end + 1;
                return Some(field + 1);
            }
            if chunk.len() < 64 {
                put(field, field_start, bytes.len(), &mut next);
                self.pos = bytes.len();
                return Some(field + 1);
            }
            block += 64;
        }
    }

    /// Where the unquoted text from `from` ends: the next comma or line end.
    fn field_end(&self, from: usize) -> usize {
        memchr::memchr3(b',', b'\n', b'\r', &self.bytes[from..])
            .map_or(self.bytes.len(), |i| from + i)
    }

    /// A field starting with a quote: the text up to the closing quote, `""`
    /// read as `"`, line breaks kept; text after the closing quote is kept as
    /// it is (`"ab"c` is `abc`), and a missing closing quote ends the field
    /// at the end of the file.
    fn quoted_field(&mut self) -> Span {
        let bytes = self.bytes;
        let start = self.unquoted.len();
        self.pos += 1;
        loop {
            let rest = &bytes[self.pos..];
            let Some(i) = memchr::memchr(b'"', rest) else {
                self.unquoted.extend_from_slice(rest);
                self.pos = bytes.len();
                break;
            };
            self.unquoted.extend_from_slice(&rest[..i]);
            self.pos += i + 1;
            if bytes.get(self.pos) != Some(&b'"') {
                let end = self.field_end(self.pos);
                self.unquoted.extend_from_slice(&bytes[self.pos..end]);
                self.pos = end;
                break;
            }
            self.unquoted.push(b'"');
            self.pos += 1;
        }
        Span {
            quoted: true,
            start,
            end: self.unquoted.len(),
        }
    }
}

/// Where the commas, line ends (`\n`, `\r`) and quotes of up to 64 bytes
/// are, one bit per byte (bit i for byte i).
struct Marks {
    commas: u64,
    ends: u64,
    quotes: u64,
}

impl Marks {
    fn of(chunk: &[u8]) -> Marks {
        match <&[u8; 64]>::try_from(chunk) {
            Ok(full) => Marks::of_block(full),
            Err(_) => {
                let mut block = [0u8; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                Marks::of_block(&block)
            }
        }
    }

    /// A fixed-size block: on x86-64, four 16-byte SSE2 compares per mark
    /// and a mask move each (SSE2 is part of every x86-64 processor);
    /// elsewhere, one byte at a time.
    #[cfg(target_arch = "x86_64")]
    fn of_block(block: &[u8; 64]) -> Marks {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        let mut marks = Marks {
            commas: 0,
            ends: 0,
            quotes: 0,
        };
        for k in 0..4 {
            // SAFETY: SSE2 is enabled on every x86-64 target (the intrinsics
            // need no run-time check), and the unaligned load reads bytes
            // 16k..16k+16 of the 64-byte `block`.
            let [commas, ends, quotes] = unsafe {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
                let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
                [
                    _mm_movemask_epi8(is(b',')),
                    _mm_movemask_epi8(_mm_or_si128(is(b'\n'), is(b'\r'))),
                    _mm_movemask_epi8(is(b'"')),
                ]
            };
            let shift = 16 * k;
            marks.commas |= u64::from(commas as u16) << shift;
            marks.ends |= u64::from(ends as u16) << shift;
            marks.quotes |= u64::from(quotes as u16) << shift;
        }
        marks
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of_block(block: &[u8; 64]) -> Marks {
        let mut marks = Marks {
            commas: 0,
            ends: 0,
            quotes: 0,
        };
        for (i, &b) in block.iter().enumerate() {
            marks.commas |= u64::from(b == b',') << i;
            marks.ends |= u64::from(b == b'\n' || b == b'\r') << i;
            marks.quotes |= u64::from(b == b'"') << i;
        }
        marks
    }
}

/// The number of lines (`\r\n`, `\r` and `\n` each end one; nothing after
/// the last line end is not a line), or the 1-based number of the first line
/// longer than [`crate::limits::MAX_CSV_LINE`].
fn count_lines(bytes: &[u8]) -> Result<usize, u64> {
    let max = crate::limits::MAX_CSV_LINE;
    let mut start = 0;
    let mut line = 1u64;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        if i - start > max {
            return Err(line);
        }
        start = i + 1;
        line += 1;
    }
    let last = bytes.len() - start.min(bytes.len());
    if last > max {
        return Err(line);
    }
    Ok(line as usize - usize::from(last == 0))
}

fn not_a_number(column: &str, raw: &[u8]) -> TrialProblem {
    TrialProblem::NotANumber {
        column: column.to_string(),
        value: String::from_utf8_lossy(raw).chars().take(40).collect(),
    }
}

/// The 1-based line of the first character at or after byte `start` that
/// is not a line end (`\r\n`, `\r` and `\n` each end a line).
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

/// A `column('NAME')` cell: a number as [`parse_cell`] reads it, else NaN
/// (RULES.md: a row where the column is missing or not a number is NaN).
fn lenient_cell(raw: &[u8]) -> f64 {
    parse_cell(raw).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Wanted = Wanted {
        extra: &[],
        time: "score",
        summary_time: "accumulated_submission_time",
        step: "global_step",
        metric: "validation/loss",
    };

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

    /// The `csv` crate's reading of a file (what the reader before this one
    /// used for quoted files), as the reference [`read_series`] must agree
    /// with on values, errors and lines.
    fn by_csv_crate(bytes: &[u8], wanted: &Wanted) -> Result<Series, (Option<u64>, TrialProblem)> {
        let bytes = without_bom(bytes);
        let line = |p: Option<&csv::Position>| p.map(|p| line_at_byte(bytes, p.byte() as usize));
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
        let headers = reader.byte_headers().expect("in memory").clone();
        if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
            return Err((None, TrialProblem::Empty));
        }
        let names = [wanted.time, wanted.summary_time, wanted.step, wanted.metric];
        let mut cols = [0; 4];
        for (c, name) in cols.iter_mut().zip(names) {
            *c = headers
                .iter()
                .position(|h| h == name.as_bytes())
                .ok_or_else(|| {
                    let problem = TrialProblem::MissingColumn(name.to_string());
                    (line(headers.position()), problem)
                })?;
        }
        let extra: Vec<Option<usize>> = (wanted.extra.iter())
            .map(|x| headers.iter().position(|h| h == x.as_bytes()))
            .collect();
        let mut series = Series::with_capacity(0, extra.len());
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len,
                        len,
                        pos,
                    } => {
                        let problem = TrialProblem::WrongFieldCount {
                            expected: *expected_len as usize,
                            found: *len as usize,
                        };
                        return Err((line(pos.as_ref()), problem));
                    }
                    other => panic!("{other:?}"),
                },
            }
            let mut values = [0.0; 4];
            for (k, &c) in cols.iter().enumerate() {
                let raw = &record[c];
                values[k] = parse_cell(raw)
                    .ok_or_else(|| (line(record.position()), not_a_number(names[k], raw)))?;
            }
            series.push(values);
            for (column, c) in series.extra.iter_mut().zip(&extra) {
                column.push(c.and_then(|c| record.get(c)).map_or(f64::NAN, lenient_cell));
            }
        }
        Ok(series)
    }

    #[test]
    fn agrees_with_the_csv_crate() {
        let cases = [
            "global_step,score,accumulated_submission_time,validation/loss\n1,2.5,2.5,nan\n2,5,5,0.1\n",
            "global_step,score,accumulated_submission_time,validation/loss\r\n1,2.5,2.5,\r\n\r\n2,inf,5,-inf\r\n",
            "\u{feff}global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3,x\n",
            "global_step,score,accumulated_submission_time\n1,2,2\n",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,0.1\n2,3,3,0.2",
            "global_step,\"score\",accumulated_submission_time,validation/loss\r1,2,2,0.1\r2,3,3,0.2\r",
            "\n\nglobal_step,score,accumulated_submission_time,validation/loss\n1,\"2\",2,\"0.\"\"1\"\n",
            "global_step,score,\"accumulated_submission\n_time\",validation/loss,\"accumulated_submission_time\"\n1,2,2,\"0\"1,3\n2,3,\"3\n\",x,4\n",
            "\"\"\n1\n",
            "\"\n",
            "",
            "\r\n\n",
            "global_step,score,accumulated_submission_time,validation/loss,\n1,2,2,0.1,",
            "global_step,score,accumulated_submission_time,validation/loss\n1,2,2,\"0.1",
        ];
        for text in cases {
            let ours = read_wanted(text.as_bytes(), &W);
            let theirs = by_csv_crate(text.as_bytes(), &W);
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{text:?}");
        }
        let s = read_wanted(cases[1].as_bytes(), &W).expect("valid");
        assert_eq!(s.time, vec![2.5, f64::INFINITY]);
        assert!(s.metric[0].is_nan());
    }

    proptest::proptest! {
        /// Files made of commas, quotes, line ends and cells, under a
        /// header that has the wanted columns (some quoted, one twice).
        #[test]
        fn agrees_with_the_csv_crate_on_generated_files(
            header in proptest::sample::select(vec![
                "global_step,score,accumulated_submission_time,validation/loss",
                "\"score\",global_step,x,\"validation/loss\",accumulated_submission_time",
                "score,global_step,accumulated_submission_time,validation/loss,score",
            ]),
            ending in proptest::sample::select(vec!["\n", "\r\n", "\r", ""]),
            body in proptest::collection::vec(proptest::sample::select(vec![
                ",", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", "1", "2.5", "-0", " 3 ",
                "nan", "", "x", "1e3", "\"4\"", "\"5,6\"",
            ]), 0..60),
        ) {
            let text = format!("{header}{ending}{}", body.concat());
            let extra = ["x".to_string(), "y".to_string()];
            let wanted = Wanted { extra: &extra, ..W };
            let ours = read_wanted(text.as_bytes(), &wanted);
            let theirs = by_csv_crate(text.as_bytes(), &wanted);
            proptest::prop_assert_eq!(format!("{:?}", ours), format!("{:?}", theirs), "{:?}", text);
        }

        /// The fast decimal path gives `f64::from_str`'s value, bit for
        /// bit, wherever it answers.
        #[test]
        fn plain_decimals_are_from_str(
            bits in proptest::prelude::any::<u64>(),
            digits in "[+-]?[0-9]{0,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{0,5})?",
        ) {
            let x = f64::from_bits(bits);
            for text in [digits, format!("{x}"), format!("{x:e}"), crate::numeric::py_repr(x)] {
                if let Some(v) = plain_decimal(text.as_bytes()) {
                    let expected = text.parse::<f64>().map(f64::to_bits);
                    proptest::prop_assert_eq!(Ok(v.to_bits()), expected, "{}", text);
                }
            }
        }
    }

    /// Rows wider than the 64-byte blocks the plain-record path splits, the
    /// wanted fields in different blocks, some rows quoted: the `csv`
    /// crate's reading.
    #[test]
    fn wide_rows_agree_with_the_csv_crate() {
        let mut names: Vec<String> = (0..40).map(|i| format!("column_{i}")).collect();
        names[3] = "score".into();
        names[17] = "global_step".into();
        names[18] = "accumulated_submission_time".into();
        names[39] = "validation/loss".into();
        let mut text = names.join(",") + "\n";
        for row in 0..30 {
            let cells: Vec<String> = (0..40)
                .map(|i| match (row % 7, i) {
                    (3, 5) => "\"quoted, cell\"".to_string(),
                    _ => format!("{}.{}", row * 1000 + i, 123456789 + row * i),
                })
                .collect();
            text += &cells.join(",");
            text += ["\n", "\r\n", "\r"][row % 3];
        }
        let extra = ["column_0".to_string(), "column_30".to_string()];
        let wanted = Wanted { extra: &extra, ..W };
        let ours = read_wanted(text.as_bytes(), &wanted);
        let theirs = by_csv_crate(text.as_bytes(), &wanted);
        assert!(ours.as_ref().is_ok_and(|s| s.len() == 30), "{ours:?}");
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        // A short row among them, and no line end after the last one.
        let short = format!("{text}1,2,3\n{}", names.join(","));
        let ours = read_wanted(short.as_bytes(), &wanted);
        let theirs = by_csv_crate(short.as_bytes(), &wanted);
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    }

    /// A line beyond the limit is what is reported, wherever it is and
    /// whatever else is wrong.
    #[test]
    fn long_lines_are_refused_first() {
        let max = crate::limits::MAX_CSV_LINE;
        let head = "global_step,score,accumulated_submission_time,validation/loss\n";
        let long = "1,".repeat(max / 2 + 1);
        for text in [
            format!("{head}1,2,2,0.1\n{long}\n"),
            format!("{head}1,2,2,oops\n2,2,2,0.1\n{long}"),
            format!("{long}\n{head}"),
        ] {
            let (line, p) = read(text.as_bytes()).expect_err("long line");
            assert!(matches!(p, TrialProblem::Unreadable(_)), "{p:?}");
            let expected = text
                .lines()
                .position(|l| l.len() > max)
                .map(|i| i as u64 + 1);
            assert_eq!(line, expected);
        }
    }

    #[test]
    fn rows_have_lines() {
        let text = b"\n\"score\"\n1\n\n\"2\n\"\n3\r4";
        let lines: Vec<_> = (0..5).map(|row| line_of_row(text, row)).collect();
        assert_eq!(lines, [Some(3), Some(5), Some(7), Some(8), None]);
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
