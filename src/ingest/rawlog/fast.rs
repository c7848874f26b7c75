//! The fast path for the two kinds of evaluation line: a byte scanner that
//! reads the common shape (a flat dict of string keys and numbers, plain or
//! in an array-scalar wrapper such as `Array(0.5, dtype=float32)` or
//! `np.float64(0.5)`, as jax runs log them) without building a tree,
//! allocating nothing per value.
//!
//! The pest grammar (`grammar/pylit.pest`, read by [`super::pylit`]) stays the
//! definition of the format and the only source of error messages: this
//! scanner accepts a strict subset of what the grammar accepts, giving the
//! same values, and *declines* (returns `None`) on anything else — a
//! backslash in a key, a wrapper around something else than a number or
//! with an unusual keyword argument, a nested value, a malformed number, an
//! unexpected character — so that the caller hands the
//! line to the grammar, which reads it or reports it exactly as before.
//! `tests/it/rawlog_fast.rs` checks the agreement on every line of the real
//! logs and on generated literals.
//!
//! Rules mirrored from the grammar: blanks are `' '` and `'\t'` only; a
//! number is `special | float | int` and must not run into a letter, digit,
//! `_` or `.`; an int beyond `i64` is the nearest `f64`; `None` is NaN (as
//! `PyValue::as_f64` reads it); trailing commas are allowed; a wrapper is
//! `dotted.name(value, name=arg, …)` with its value's number (the grammar's
//! `wrapped`), blanks allowed around its punctuation, its name not starting
//! with a keyword (`True`, `False`, `None`: the grammar reads those as the
//! keyword, then fails), its keyword arguments numbers, keywords, plain
//! strings or dotted names not followed by `(`.

/// A (column name, value) entry of an evaluation dict, name borrowed from
/// the line.
pub type Entry<'a> = (&'a str, f64);

/// Reads the tail of a per-evaluation line (`Time since start: 277.60s,
/// \tStep: 1, \t{'k': v, …}`, from `Time since start:` on): the step, with
/// the dict's entries appended to `entries` in the order written. `None`
/// when the line is not of the simple shape (then `entries` is as it was).
pub fn parse_eval_tail<'a>(text: &'a str, entries: &mut Vec<Entry<'a>>) -> Option<i64> {
    let mark = entries.len();
    let step = eval_tail(&mut Cursor::new(text), entries);
    if step.is_none() {
        entries.truncate(mark);
    }
    step
}

fn eval_tail<'a>(c: &mut Cursor<'a>, entries: &mut Vec<Entry<'a>>) -> Option<i64> {
    c.literal(b"Time since start:")?;
    c.blanks();
    c.seconds()?;
    c.blanks();
    c.byte(b',')?;
    c.blanks();
    c.literal(b"Step:")?;
    c.blanks();
    let step = c.step_and_dict(entries)?;
    c.at_end().then_some(step)
}

/// Reads the tail of a summary line (`Metrics: {'eval_results': [(1, {…}),
/// …], 'global_step': 5428}`, from `Metrics:` on): the entries of every
/// evaluation appended to `entries`, and per evaluation its step and the end
/// of its entries in `entries` appended to `evals`. The last `eval_results`
/// key counts, as in Python. `None` when the line is not of the simple shape
/// (other top-level values must be plain numbers); both vectors are then as
/// they were.
pub fn parse_metrics_tail<'a>(
    text: &'a str,
    entries: &mut Vec<Entry<'a>>,
    evals: &mut Vec<(i64, usize)>,
) -> Option<()> {
    let marks = (entries.len(), evals.len());
    let done = metrics_tail(&mut Cursor::new(text), entries, evals);
    if done.is_none() {
        entries.truncate(marks.0);
        evals.truncate(marks.1);
    }
    done
}

fn metrics_tail<'a>(
    c: &mut Cursor<'a>,
    entries: &mut Vec<Entry<'a>>,
    evals: &mut Vec<(i64, usize)>,
) -> Option<()> {
    let marks = (entries.len(), evals.len());
    c.literal(b"Metrics:")?;
    c.blanks();
    c.byte(b'{')?;
    let mut found = false;
    c.items(b'}', |c| {
        let key = c.key()?;
        c.blanks();
        c.byte(b':')?;
        c.blanks();
        if key == "eval_results" {
            // A repeated key replaces the earlier value.
            entries.truncate(marks.0);
            evals.truncate(marks.1);
            found = true;
            c.byte(b'[')?;
            c.items(b']', |c| c.step_dict(entries, evals))
        } else {
            c.value().map(drop)
        }
    })?;
    c.blanks();
    (found && c.at_end()).then_some(())
}

/// A position in the text being read.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

/// Letters, digits and `_`: what may not follow a number or a keyword.
fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// What may start a name.
fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Deepest wrapper in a wrapper (`np.float64(Array(…))` is 2) the fast path
/// reads: real logs have one; the bound keeps the recursion short and the
/// line far below the grammar's bracket limit, which it must not accept
/// beyond.
const MAX_WRAPPERS: usize = 4;

/// The grammar's keywords, which it reads before trying a wrapper's name.
const KEYWORDS: [&[u8]; 3] = [b"True", b"False", b"None"];

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn byte(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.at += 1)
    }

    fn literal(&mut self, s: &[u8]) -> Option<()> {
        self.bytes[self.at..]
            .starts_with(s)
            .then(|| self.at += s.len())
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// `277.60s`.
    fn seconds(&mut self) -> Option<()> {
        if self.digits() == 0 {
            return None;
        }
        if self.byte(b'.').is_some() {
            self.digits();
        }
        self.byte(b's')
    }

    /// Comma-separated items up to `close` (the opening bracket already
    /// read), blanks around them, a trailing comma allowed.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.blanks();
        if self.byte(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.blanks();
            if self.byte(close).is_some() {
                return Some(());
            }
            self.byte(b',')?;
            self.blanks();
            if self.byte(close).is_some() {
                return Some(());
            }
        }
    }

    /// `{'k': number, …}`, entries appended to `entries`.
    fn flat_dict(&mut self, entries: &mut Vec<Entry<'a>>) -> Option<()> {
        self.byte(b'{')?;
        self.items(b'}', |c| {
            let key = c.key()?;
            c.blanks();
            c.byte(b':')?;
            c.blanks();
            entries.push((key, c.value()?));
            Some(())
        })
    }

    /// `step, {…}` and the blanks after: what an evaluation line and a
    /// summary's `(step, {…})` share.
    fn step_and_dict(&mut self, entries: &mut Vec<Entry<'a>>) -> Option<i64> {
        let step = self.int()?;
        self.blanks();
        self.byte(b',')?;
        self.blanks();
        self.flat_dict(entries)?;
        self.blanks();
        Some(step)
    }

    /// `(step, {…})` of a summary's `eval_results`.
    fn step_dict(
        &mut self,
        entries: &mut Vec<Entry<'a>>,
        evals: &mut Vec<(i64, usize)>,
    ) -> Option<()> {
        self.byte(b'(')?;
        self.blanks();
        let step = self.step_and_dict(entries)?;
        if self.byte(b',').is_some() {
            self.blanks();
        }
        self.byte(b')')?;
        evals.push((step, entries.len()));
        Some(())
    }

    /// A quoted string without escapes or line breaks (others are declined).
    fn key(&mut self) -> Option<&'a str> {
        let quote = self.peek().filter(|q| matches!(q, b'\'' | b'"'))?;
        let start = self.at + 1;
        let len = memchr::memchr(quote, &self.bytes[start..])?;
        let end = start + len;
        if memchr::memchr3(b'\\', b'\n', b'\r', &self.bytes[start..end]).is_some() {
            return None;
        }
        self.at = end + 1;
        Some(&self.text[start..end])
    }

    /// An integer literal that fits in an `i64` (the grammar's `int`).
    fn int(&mut self) -> Option<i64> {
        let start = self.at;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.at += 1;
        }
        if self.digits() == 0 || self.peek().is_some_and(|b| is_name_char(b) || b == b'.') {
            return None;
        }
        self.text[start..self.at].parse().ok()
    }

    /// A value `PyValue::as_f64` reads as a number: [`Self::number`], or
    /// one in array-scalar wrappers.
    fn value(&mut self) -> Option<f64> {
        self.value_within(MAX_WRAPPERS)
    }

    fn value_within(&mut self, wrappers: usize) -> Option<f64> {
        if self.peek().is_some_and(is_name_start) {
            // `nan`, `inf`, `None` are numbers; any other name a wrapper's.
            let start = self.at;
            if let Some(x) = self.number() {
                return Some(x);
            }
            self.at = start;
            return self.wrapped(wrappers.checked_sub(1)?);
        }
        self.number()
    }

    /// `dotted.name(value, name=arg, …)`, the name already seen to start
    /// here: the value's number.
    fn wrapped(&mut self, wrappers: usize) -> Option<f64> {
        let first = self.name()?;
        if KEYWORDS.contains(&first.as_bytes()) {
            return None;
        }
        self.rest_of_dotted_name()?;
        self.blanks();
        self.byte(b'(')?;
        self.blanks();
        let x = self.value_within(wrappers)?;
        self.blanks();
        loop {
            if self.byte(b')').is_some() {
                return Some(x);
            }
            self.byte(b',')?;
            self.blanks();
            if self.byte(b')').is_some() {
                return Some(x);
            }
            self.kwarg()?;
            self.blanks();
        }
    }

    /// `name=arg` of a wrapper, the argument read and dropped: a number, a
    /// keyword, a plain string or a dotted name (`dtype=float32`). A name
    /// followed by `(` would be a wrapper: declined.
    fn kwarg(&mut self) -> Option<()> {
        self.name()?;
        self.blanks();
        self.byte(b'=')?;
        self.blanks();
        match self.peek()? {
            b'\'' | b'"' => self.key().map(drop),
            b if is_name_start(b) => {
                let start = self.at;
                if self.number().is_some() {
                    return Some(());
                }
                self.at = start;
                let first = self.name()?;
                // `True.x` is the keyword, then a stray `.`.
                if !(KEYWORDS.contains(&first.as_bytes()) && self.peek() == Some(b'.')) {
                    self.rest_of_dotted_name()?;
                }
                self.blanks();
                (self.peek() != Some(b'(')).then_some(())
            }
            _ => self.number().map(drop),
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    fn name(&mut self) -> Option<&'a str> {
        let start = self.at;
        if !self.peek().is_some_and(is_name_start) {
            return None;
        }
        while self.peek().is_some_and(is_name_char) {
            self.at += 1;
        }
        Some(&self.text[start..self.at])
    }

    /// `(.name)*` after a name. A `.` not followed by a name ends the
    /// grammar's dotted name, and the `.` is then an error: declined.
    fn rest_of_dotted_name(&mut self) -> Option<()> {
        while self.byte(b'.').is_some() {
            self.name()?;
        }
        Some(())
    }

    /// A value `PyValue::as_f64` reads as a number without a wrapper:
    /// `nan`, `inf`, floats, ints, `None`.
    fn number(&mut self) -> Option<f64> {
        if self.literal(b"None").is_some() {
            return (!self.peek().is_some_and(is_name_char)).then_some(f64::NAN);
        }
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.at += 1;
        }
        let special = if self.literal(b"nan").is_some() {
            Some(f64::NAN)
        } else if self.literal(b"inf").is_some() {
            Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        } else {
            None
        };
        if let Some(x) = special {
            return (!self.peek().is_some_and(is_name_char)).then_some(x);
        }
        let whole = self.digits();
        let mut float = false;
        if self.byte(b'.').is_some() {
            float = true;
            if self.digits() == 0 && whole == 0 {
                return None;
            }
        } else if whole == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            float = true;
            self.at += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        if self.peek().is_some_and(|b| is_name_char(b) || b == b'.') {
            return None;
        }
        let s = &self.text[start..self.at];
        if float {
            s.parse().ok()
        } else {
            match s.parse::<i64>() {
                Ok(i) => Some(i as f64),
                Err(_) => s.parse().ok(),
            }
        }
    }
}
