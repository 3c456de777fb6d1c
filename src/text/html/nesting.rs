//! A linear pre-pass that caps how deeply tags nest before html5ever sees
//! the markup.
//!
//! Why before the parser and not in the walk: html5ever's tree builder scans
//! its stack of open elements on every start tag ("close a p in button
//! scope", the active formatting list), so 100 000 nested `<div>`s or
//! `<b><i>`s cost quadratic time inside the parser itself, long before the
//! walk. Beyond [`MAX_NESTING`] open tags this pass drops start tags and
//! their end tags (the text stays, the structure goes; the walk flattens
//! far shallower anyway) and skips elements the walk would drop whole.
//! Markup that never nests that deep comes back unchanged (borrowed).
//!
//! The scan is a simplified HTML tokenizer: comments, raw-text elements
//! (script, style, textarea…) and quoted attribute values are stepped over
//! so a `<` inside them is not a tag. Elements that close themselves when
//! repeated (p, li, td…) and void elements are not counted: they cannot
//! build depth without a counted element between them.

use std::borrow::Cow;

/// Open counted tags kept; deeper ones are dropped. Well above the walk's
/// own flattening depth so that no structure the walk uses is lost.
pub(crate) const MAX_NESTING: usize = 256;

/// Never pushed: void elements and the ones html5ever closes on repeat.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
    "colgroup", "rb", "rt", "rtc", "rp", "html", "head", "body",
];

/// Their content is text up to the matching end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// Beyond the cap these are skipped with everything in them (the walk drops
/// them whole; dropping only their tags would turn their insides into text).
const SKIPPED: &[&str] = &["svg", "math", "template", "object", "form", "button", "select"];

/// `html` with nesting deeper than [`MAX_NESTING`] flattened.
pub fn cap_nesting(html: &str) -> Cow<'_, str> {
    // Fewer tags than the cap cannot nest past it (a memchr search: a
    // filtered count of bytes reads each one).
    if memchr::memchr_iter(b'<', html.as_bytes()).nth(MAX_NESTING).is_none() {
        return Cow::Borrowed(html);
    }
    let mut c = Capper { src: html, kept: 0, out: None, open: Vec::new(), dropped: 0, skip: None, foreign: 0 };
    c.run();
    match c.out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[c.kept..]);
            Cow::Owned(out)
        }
    }
}

/// A tag as the scan read it: lowercase ASCII name, byte range in the source.
struct Tag {
    name: String,
    end_tag: bool,
    self_closing: bool,
    from: usize,
    to: usize,
}

struct Capper<'a> {
    src: &'a str,
    /// Source up to here is decided (copied into `out` or dropped).
    kept: usize,
    /// Built only once something is dropped.
    out: Option<String>,
    /// Names of the counted open elements, innermost last.
    open: Vec<String>,
    /// Start tags dropped beyond the cap whose end tags are still to come.
    dropped: usize,
    /// Inside a skipped element: its name and how many of it are open.
    skip: Option<(String, usize)>,
    /// Open svg and math elements among `open`.
    foreign: usize,
}

fn is_foreign(name: &str) -> bool {
    matches!(name, "svg" | "math")
}

impl Capper<'_> {
    fn run(&mut self) {
        let bytes = self.src.as_bytes();
        let mut i = 0;
        while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
            let at = i + off;
            i = match self.markup(at) {
                Markup::Tag(tag) => self.tag(tag),
                Markup::Other(to) => {
                    if self.skip.is_some() {
                        self.drop_range(self.kept, to);
                    }
                    to
                }
            };
        }
        if self.skip.is_some() {
            self.drop_range(self.kept, self.src.len());
        }
    }

    /// Handles one tag; returns where scanning goes on.
    fn tag(&mut self, tag: Tag) -> usize {
        if let Some((name, n)) = &mut self.skip {
            if tag.name == *name && !tag.self_closing {
                if tag.end_tag {
                    *n -= 1;
                } else {
                    *n += 1;
                }
            }
            let done = *n == 0;
            let to = self.raw_text_end(&tag);
            // Everything since the skip began goes, text included.
            self.drop_range(self.kept, to);
            if done {
                self.skip = None;
            }
            return to;
        }
        if tag.end_tag {
            self.end_tag(&tag);
            return tag.to;
        }
        // HTML ignores `/>` on a non-void element (`<div/>` opens a div); SVG and MathML honour it.
        let closed = tag.self_closing && self.foreign > 0;
        if RAW_TEXT.contains(&tag.name.as_str()) || UNCOUNTED.contains(&tag.name.as_str()) || closed {
            return self.raw_text_end(&tag);
        }
        if self.open.len() < MAX_NESTING {
            self.foreign += usize::from(is_foreign(&tag.name));
            self.open.push(tag.name);
            return tag.to;
        }
        if SKIPPED.contains(&tag.name.as_str()) {
            self.skip = Some((tag.name.clone(), 1));
        } else {
            self.dropped += 1;
        }
        self.drop_range(tag.from, tag.to);
        tag.to
    }

    fn end_tag(&mut self, tag: &Tag) {
        if let Some(k) = self.open.iter().rposition(|n| *n == tag.name) {
            self.foreign -= self.open[k..].iter().filter(|n| is_foreign(n)).count();
            self.open.truncate(k);
        } else if self.dropped > 0 && !UNCOUNTED.contains(&tag.name.as_str()) {
            self.dropped -= 1;
            self.drop_range(tag.from, tag.to);
        }
    }

    /// Where the content of a raw-text element ends (after its end tag), or
    /// just `tag.to` for any other tag.
    fn raw_text_end(&self, tag: &Tag) -> usize {
        if tag.end_tag || tag.self_closing || !RAW_TEXT.contains(&tag.name.as_str()) {
            return tag.to;
        }
        let rest = &self.src.as_bytes()[tag.to..];
        let close = format!("</{}", tag.name);
        let found = rest.windows(close.len()).position(|w| w.eq_ignore_ascii_case(close.as_bytes()));
        match found {
            None => self.src.len(),
            Some(p) => {
                let after = tag.to + p + close.len();
                self.src.as_bytes()[after..].iter().position(|&b| b == b'>').map_or(self.src.len(), |q| after + q + 1)
            }
        }
    }

    /// Drops `from..to` from the output.
    fn drop_range(&mut self, from: usize, to: usize) {
        let from = from.max(self.kept);
        let out = self.out.get_or_insert_with(|| String::with_capacity(self.src.len()));
        out.push_str(&self.src[self.kept..from]);
        self.kept = to.max(from);
    }

    /// Reads the markup that starts with `<` at `at`.
    fn markup(&self, at: usize) -> Markup {
        let b = self.src.as_bytes();
        let rest = &b[at..];
        if rest.starts_with(b"<!--") {
            let body = at + 4;
            if b[body..].starts_with(b">") || b[body..].starts_with(b"->") {
                return Markup::Other(body + if b[body] == b'>' { 1 } else { 2 });
            }
            return Markup::Other(find(b, body, b"-->").map_or(b.len(), |p| p + 3));
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            return Markup::Other(find(b, at, b">").map_or(b.len(), |p| p + 1));
        }
        let end_tag = rest.get(1) == Some(&b'/');
        let name_at = at + 1 + usize::from(end_tag);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            return Markup::Other(name_at.min(b.len()));
        }
        let mut j = name_at;
        while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            j += 1;
        }
        let name = self.src[name_at..j].to_ascii_lowercase();
        let (to, self_closing) = attributes_end(b, j);
        Markup::Tag(Tag { name, end_tag, self_closing, from: at, to })
    }
}

enum Markup {
    Tag(Tag),
    /// A comment, doctype or stray `<`: scanning goes on here.
    Other(usize),
}

/// After a tag name at `j`: the end of the tag (past `>`) and whether it
/// ends in `/>`. Quotes count only as attribute values, as in HTML.
fn attributes_end(b: &[u8], mut j: usize) -> (usize, bool) {
    let mut after_eq = false;
    while j < b.len() {
        match b[j] {
            b'>' => return (j + 1, j > 0 && b[j - 1] == b'/'),
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => {
                j = b[j + 1..].iter().position(|&c| c == q).map_or(b.len(), |p| j + 1 + p);
                after_eq = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_eq = false,
        }
        j += 1;
    }
    (b.len(), false)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_markup_is_borrowed_unchanged() {
        // Many tags, none deep: unclosed <p>/<li>, void elements, `>` in quotes, tags in scripts and comments
        // (`<div/>` would not do: HTML opens a div there).
        let mut html = String::new();
        for _ in 0..400 {
            html.push_str("<p>абзац<br><img src='a>b'><li>пункт<!-- <div> --><script>'<div>'</script><hr/>");
        }
        assert!(matches!(cap_nesting(&html), Cow::Borrowed(_)));
        let nested = format!("{}x{}", "<span title=\"<i>\">".repeat(200), "</span>".repeat(200));
        assert!(matches!(cap_nesting(&nested), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_markup_loses_tags_beyond_the_cap_only() {
        let n = MAX_NESTING + 10;
        let html = format!("{}x<svg><text>y</text></svg>{}z", "<div>".repeat(n), "</div>".repeat(n));
        let want = format!("{}x{}z", "<div>".repeat(MAX_NESTING), "</div>".repeat(MAX_NESTING));
        assert_eq!(cap_nesting(&html), want);
    }
}
