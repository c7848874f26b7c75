//! Text made safe for HTML and SVG (XML): one escaper for the page, the
//! plots and the Markdown leaderboard's cells, below all three.

/// Escapes text for HTML element content and attribute values. Control
/// characters that HTML and XML forbid (a folder name may hold them)
/// become U+FFFD. Runs of plain text are copied whole: the page escapes
/// half a megabyte of explanations.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut plain = 0;
    for (i, ch) in s.char_indices() {
        let replacement = match ch {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\t' | '\n' | '\r' => continue,
            c if c.is_control() => "\u{fffd}",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(replacement);
        plain = i + ch.len_utf8();
    }
    out.push_str(&s[plain..]);
    out
}
