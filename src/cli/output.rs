//! Standard output and error: every command prints through these.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::report::error::ReportError;

/// Writes to standard output and flushes, so that a failed write is seen
/// here: a reader that closed the pipe early (`| head`) ends the run quietly
/// ([`Error::StdoutClosed`]); any other failure (a full disk) is one error line.
pub(super) fn write_out(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// [`write_out`] for text.
pub(super) fn print_out(text: &str) -> Result<()> {
    write_out(text.as_bytes())
}

/// Writes warnings and notes to standard error. A closed or full standard
/// error has nobody left to tell, so its failure is ignored rather than
/// ending a run whose outputs are fine.
pub(super) fn print_err(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// A failed write to standard output: quiet when its reader left.
pub(super) fn stdout_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::StdoutClosed;
    }
    ReportError::Write {
        path: PathBuf::from("<stdout>"),
        source: e,
    }
    .into()
}

/// A JSON document on standard output, pretty-printed, with a final newline.
pub(super) fn print_json<T: serde::Serialize>(doc: &T) -> Result<()> {
    print_out(&crate::report::json::to_text(doc)?)
}
