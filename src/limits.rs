//! Bounds on what the engine reads, so that a hostile or broken input ends
//! in a message instead of exhausting memory or blocking: only regular files
//! are read (a FIFO would block forever, `/dev/zero` never ends), each at
//! most `--max-file-size` bytes, and a trial file's lines are bounded (the
//! reader's memory per line grows with the line).

use std::io::Read;
use std::path::Path;

/// Default `--max-file-size`: far above any real trial file (kilobytes) or
/// training log (megabytes), far below what would exhaust memory when every
/// core reads one such file at once.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Longest line of an `eval_measurements.csv` (bytes). The logger writes
/// rows of a few hundred bytes; the bound keeps a line of millions of
/// fields from costing gigabytes in the quoted-file reader.
pub const MAX_CSV_LINE: usize = 1024 * 1024;

/// Longest raw-log line parsed as an evaluation or `Metrics:` line (bytes);
/// longer ones are skipped with a warning. A real `Metrics:` line of a long
/// run is tens of kilobytes.
pub const MAX_LOG_LINE: usize = 16 * 1024 * 1024;

/// Largest spec, `extends` or targets file (bytes); real ones are a few
/// kilobytes. `/dev/zero` or a huge file given as a spec ends here, not in
/// memory exhaustion.
pub const MAX_SPEC_FILE: u64 = 4 * 1024 * 1024;

/// Largest results cache (`--load-results`, bytes): the v0.5 trees cache
/// in tens of megabytes; the bound keeps a wrong file from filling memory.
pub const MAX_CACHE_FILE: u64 = 4 * 1024 * 1024 * 1024;

/// Largest README that `leaderboard --update` reads (bytes).
pub const MAX_UPDATED_FILE: u64 = 64 * 1024 * 1024;

/// Largest `submission_info.yml` (bytes); real ones are under 2 KB.
pub const MAX_INFO_FILE: u64 = 64 * 1024;

/// Deepest nesting of `[`/`{` in a `submission_info.yml` (the YAML parser
/// takes seconds per level-heavy kilobyte before its own recursion limit).
pub const MAX_INFO_NESTING: usize = 32;

/// Reads `path` whole if it is a regular file (after following symlinks) of
/// at most `max` bytes. The errors say which rule failed; `limit` names the
/// limit in the message (`--max-file-size`, the flag that raises it).
///
/// The file is opened first and judged by the open file's metadata: one
/// `stat` per file on the hot path of reading thousands of trials, and no
/// gap between the check and the read. It is opened without blocking, so
/// that a FIFO (which would wait for a writer) is refused rather than
/// hanging the run. A folder is let through to fail on reading, with the
/// system's own message ("Is a directory").
pub fn read_regular(path: &Path, max: u64, limit: &str) -> std::io::Result<Vec<u8>> {
    // A path that cannot be opened (a socket, say) is named by what it is.
    let file = open_without_blocking(path).map_err(|e| not_regular(path).unwrap_or(e))?;
    let meta = file.metadata()?;
    if let Some(refused) = refusal(&meta) {
        return Err(refused);
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max, limit));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    (&file)
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max, limit));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text (an `InvalidData` error if it is not).
pub fn read_text(path: &Path, max: u64, limit: &str) -> std::io::Result<String> {
    String::from_utf8(read_regular(path, max, limit)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Opens `path` for reading; on Unix with `O_NONBLOCK`, which changes
/// nothing for a regular file and keeps a FIFO from blocking the open.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// [`refusal`] of what `path` is, when it exists.
fn not_regular(path: &Path) -> Option<std::io::Error> {
    refusal(&std::fs::metadata(path).ok()?)
}

/// "not a regular file (KIND)" for what is neither a file nor a folder.
fn refusal(meta: &std::fs::Metadata) -> Option<std::io::Error> {
    (!meta.is_file() && !meta.is_dir())
        .then(|| std::io::Error::other(format!("not a regular file ({})", kind_of(meta))))
}

fn too_large(len: u64, max: u64, limit: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is more than {limit} {}",
        size_text(len),
        size_text(max)
    ))
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// `n` bytes as the largest whole unit that divides it (`256 MiB`), else
/// in bytes.
pub fn size_text(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

/// A `--max-file-size` value that is not a size (clap shows it after the
/// option's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}`: expected a size like 256M, 2G or 1000000")]
pub struct SizeError(pub String);

/// Parses a size: a number of bytes, or with a `K`, `M` or `G` suffix
/// (powers of 1024; `KiB`, `MB` … are read the same way).
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(SizeError(text.to_string())),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1u64 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| SizeError(text.to_string()))
}

/// How a nesting pre-check reads quoted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quotes {
    /// Quotes are ordinary characters: a bound, not a parser.
    Ignored,
    /// `'…'` and `"…"` hide brackets; no escapes.
    Plain,
    /// `'…'` and `"…"` hide brackets; a backslash escapes the next character.
    Escaped,
}

/// The one nesting pre-check run before each recursive parser — a
/// `submission_info.yml`, a training-log value, a spec formula — so that
/// hostile input such as ten thousand `[` ends in a message rather than at
/// the end of the stack: which brackets nest and how quotes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brackets {
    pub open: &'static [u8],
    pub close: &'static [u8],
    pub quotes: Quotes,
}

impl Brackets {
    /// `[` and `{` of a `submission_info.yml`, quotes not considered.
    pub const YAML: Brackets = Brackets {
        open: b"[{",
        close: b"]}",
        quotes: Quotes::Ignored,
    };

    /// For each byte of `text` outside quoted strings (an opening quote
    /// included), its offset and the bracket depth after it. Brackets and
    /// quotes are ASCII, so a byte scan reads UTF-8 text correctly.
    pub fn depths<'a>(&self, text: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let Brackets {
            open,
            close,
            quotes,
        } = *self;
        let (mut depth, mut quote, mut escaped) = (0usize, None::<u8>, false);
        text.bytes().enumerate().filter_map(move |(i, b)| {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if b == b'\\' && quotes == Quotes::Escaped {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
                return None;
            }
            if quotes != Quotes::Ignored && (b == b'\'' || b == b'"') {
                quote = Some(b);
            } else if open.contains(&b) {
                depth += 1;
            } else if close.contains(&b) {
                depth = depth.saturating_sub(1);
            }
            Some((i, depth))
        })
    }

    /// The deepest nesting in `text`.
    pub fn deepest(&self, text: &str) -> usize {
        self.depths(text).map(|(_, d)| d).max().unwrap_or(0)
    }

    /// The byte offset where `text` first nests deeper than `max`, if it does.
    pub fn first_beyond(&self, text: &str, max: usize) -> Option<usize> {
        self.depths(text).find(|&(_, d)| d > max).map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What cannot be opened at all (a socket) or must not be read (a FIFO,
    /// a device) is named by what it is; a missing file keeps its NotFound.
    #[cfg(unix)]
    #[test]
    fn read_regular_names_what_is_not_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("s");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let fifo = dir.path().join("f");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success());
        let message = |p: &Path| {
            read_regular(p, 1 << 20, "--max-file-size")
                .map(|_| ())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(message(&socket), "not a regular file (a socket)");
        assert_eq!(message(&fifo), "not a regular file (a FIFO)");
        assert_eq!(
            message(Path::new("/dev/zero")),
            "not a regular file (a device)"
        );
        let missing = read_regular(&dir.path().join("none"), 1, "x").unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        let file = dir.path().join("ok.csv");
        std::fs::write(&file, "ab").expect("write");
        assert_eq!(read_regular(&file, 2, "x").expect("read"), b"ab");
        assert!(read_regular(&file, 1, "--max-file-size").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64 KiB"), Ok(64 << 10));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12X").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }

    #[test]
    fn nesting() {
        assert_eq!(Brackets::YAML.deepest("a: [1, [2, {b: 3}]]"), 3);
        assert_eq!(Brackets::YAML.deepest("]]]"), 0);
        assert_eq!(Brackets::YAML.deepest("a: '[['"), 2);
        let escaped = Brackets {
            open: b"([{",
            close: b")]}",
            quotes: Quotes::Escaped,
        };
        assert_eq!(escaped.deepest(r"['[[', '\'[[', (1,)]"), 2);
        assert_eq!(escaped.first_beyond("[[é[", 2), Some(4));
        let plain = Brackets {
            quotes: Quotes::Plain,
            ..escaped
        };
        assert_eq!(plain.deepest(r"['\'[', 1]"), 2);
    }
}
