//! The cells' explanations, packed: one JSON array (per leaderboard row,
//! per workload column, the text `explain` prints), zlib-compressed and
//! base64-encoded into one `<script type="application/json">` block that
//! the page's script unpacks (the browser's `DecompressionStream`) the
//! first time a cell is opened. Inlined in every cell the texts made a
//! 100-submission page 4 MB; they repeat themselves (trial lines, study
//! lines, rule steps), so packed they take about a fifth of that.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::report::explain::explain;

use super::Page;

/// The `id` of the block.
pub const BLOCK_ID: &str = "explanations";

/// The block: `{"encoding": …, "rows": R, "columns": C, "data": …}`;
/// `data` is base64 of the zlib stream of the JSON `[[text, …], …]`,
/// indexed `[row][column]` as the cells' ids `cell-<row>-<column>` are.
pub fn block(page: &Page) -> String {
    let lb = page.leaderboard;
    let texts: Vec<Vec<String>> = (lb.submissions.iter())
        .map(|name| {
            (lb.workloads.iter())
                .map(|w| explain(page.spec, lb, name, w).unwrap_or_else(|e| e.to_string()))
                .collect()
        })
        .collect();
    let json = serde_json::to_vec(&texts).unwrap_or_default();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let packed = z
        .write_all(&json)
        .and_then(|()| z.finish())
        .unwrap_or_default();
    let mut s = String::with_capacity(packed.len() * 4 / 3 + 200);
    let _ = writeln!(
        s,
        "<script type=\"application/json\" id=\"{BLOCK_ID}\">{{\"encoding\":\"base64 of zlib of \
         JSON\",\"rows\":{},\"columns\":{},\"data\":\"{}\"}}</script>",
        lb.submissions.len(),
        lb.workloads.len(),
        base64(&packed)
    );
    s
}

/// Standard base64 (RFC 4648, `=` padded): what the page's `atob` reads.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_as_rfc_4648() {
        // RFC 4648 §10's test vectors.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }
}
