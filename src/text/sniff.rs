//! What a document is, decided from its content, never from its name or
//! Content-Type: a feed, an OPML or newsboat subscription list, or other
//! (a page, a dump). Import, fetch and `get` all ask here, so a feed is
//! recognised the same way wherever it turns up.

/// What a byte stream looks like, decided from content, never from a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Feed,
    Opml,
    NewsboatUrls,
    Other,
}

/// Looks at the first element (or JSON key) of a document.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    // UTF-16 feeds carry a BOM; decode a prefix so the scan below sees ASCII.
    let bytes = skip_leading_space(bytes);
    let head: String = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, n)) => enc.decode_without_bom_handling(&bytes[n..bytes.len().min(SNIFF_BYTES)]).0.into_owned(),
        None => String::from_utf8_lossy(&bytes[..bytes.len().min(SNIFF_BYTES)]).into_owned(),
    };
    let t = head.trim_start_matches('\u{FEFF}').trim_start();
    if t.starts_with('{') {
        return if t.contains("jsonfeed.org/version") { Sniffed::Feed } else { Sniffed::Other };
    }
    if t.starts_with('<') {
        return match root_name(t).map(|n| n.rsplit(':').next().unwrap_or(n).to_ascii_lowercase()).as_deref() {
            Some("rss" | "rdf" | "feed" | "channel") => Sniffed::Feed,
            Some("opml") => Sniffed::Opml,
            _ => Sniffed::Other,
        };
    }
    // Only whole lines decide: the prefix may end inside a URL («ht»).
    let whole = if bytes.len() > SNIFF_BYTES { t.rsplit_once('\n').map_or(t, |(lines, _)| lines) } else { t };
    if looks_like_urls_file(whole) { Sniffed::NewsboatUrls } else { Sniffed::Other }
}

/// How much of a document [`sniff`] reads.
const SNIFF_BYTES: usize = 8192;

/// The first element name, skipping the declaration, comments, PIs and DOCTYPE.
pub fn root_name(t: &str) -> Option<&str> {
    let start = root_start(t)?;
    let rest = &t[start + 1..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    Some(&rest[..end])
}

/// Byte offset of the root element's `<`.
pub fn root_start(text: &str) -> Option<usize> {
    let mut t = text;
    loop {
        t = t.trim_start();
        if let Some(rest) = t.strip_prefix("<?") {
            t = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = t.strip_prefix("<!--") {
            t = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = t.strip_prefix("<!") {
            t = &rest[rest.find('>')? + 1..];
        } else if t.starts_with('<') {
            return Some(text.len() - t.len());
        } else {
            return None;
        }
    }
}

/// The document without the whitespace some servers send before it (an XML
/// declaration must come first, and [`sniff`] looks at a bounded prefix).
pub fn skip_leading_space(bytes: &[u8]) -> &[u8] {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some(_) => bytes,
        None => bytes.trim_ascii_start(),
    }
}

/// A newsboat `urls` file: every non-blank line that is not a `#` comment
/// starts with a URL (or one of newsboat's `exec:`/`filter:`/`query:` forms).
pub fn looks_like_urls_file(text: &str) -> bool {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let first = line.trim_start_matches('"').to_ascii_lowercase();
        let ok = ["http://", "https://", "exec:", "filter:", "query:", "file://"].iter().any(|p| first.starts_with(p));
        if !ok {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_urls_file_is_one_whatever_line_the_prefix_ends_in() {
        // Every cut of the prefix inside a line: at its start, in «ht», mid-URL.
        for pad in 0..40 {
            let mut s = "#".repeat(pad) + "\n";
            let mut i = 0;
            while s.len() < SNIFF_BYTES * 2 {
                s.push_str(&format!("https://news{i}.kz/rss.xml \"~Лента {i}\"\n"));
                i += 1;
            }
            assert_eq!(sniff(s.as_bytes()), Sniffed::NewsboatUrls, "pad {pad}");
        }
        // A page whose first 8 KiB are URLs and then prose is still not one
        // when the prose begins within them.
        let mut page = "https://a.kz/1\n".repeat(500);
        page.push_str("Жители Атырау эвакуированы.\n");
        page.push_str(&"https://a.kz/2\n".repeat(500));
        assert_eq!(sniff(page.as_bytes()), Sniffed::Other);
    }
}
