//! Which links from a metadata file the reports follow: the HTML page's
//! and the Markdown leaderboard's one rule, below both.

/// A logs link is shown only when it is an http(s) URL: a `javascript:`
/// or relative link from a metadata file is not followed from the page.
pub fn http_link(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links() {
        assert_eq!(http_link(" https://x.org/a "), Some("https://x.org/a"));
        assert_eq!(http_link("HTTP://x.org"), Some("HTTP://x.org"));
        assert_eq!(http_link("javascript:alert(1)"), None);
        assert_eq!(http_link("../logs/x"), None);
        assert_eq!(http_link("https://x.org/a b"), None);
    }
}
