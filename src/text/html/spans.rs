//! Link edges inside a block's buffer, and their removal into
//! [`LinkSpan`]s once the block's text is final.
//!
//! Why sentinels: the buffer is collapsed, sanitised and trimmed as a whole
//! (whitespace at a link's edge belongs to the text around it), which moves
//! every offset; characters that survive all of that and that no page text
//! carries (they are stripped from it) mark where links start and end.

use crate::model::LinkSpan;

/// A link starts here.
pub(super) const OPEN: char = '\u{e000}';
/// The link opened last had no usable address: forget its start.
pub(super) const CANCEL: char = '\u{e001}';
/// A link ends: `CLOSE`, its number in decimal, `END`.
const CLOSE: char = '\u{e002}';
const END: char = '\u{e003}';

fn is_sentinel(c: char) -> bool {
    matches!(c, OPEN | CANCEL | CLOSE | END)
}

/// The number of the first link `s` closes (a buffer with no text left,
/// as after `<a><img></a>`).
pub(super) fn first_closed(s: &str) -> Option<usize> {
    let at = s.find(CLOSE)? + CLOSE.len_utf8();
    s[at..].split(END).next()?.parse().ok()
}

/// The marker that ends link number `n`.
pub(super) fn close_marker(n: usize) -> String {
    format!("{CLOSE}{n}{END}")
}

/// `s` without sentinels (page text, link text, alt text).
pub(super) fn strip_sentinels(s: &str) -> std::borrow::Cow<'_, str> {
    // Every sentinel's UTF-8 starts with 0xEE: a byte search (memchr)
    // clears almost every text node without decoding it.
    if s.as_bytes().contains(&0xEE) && s.chars().any(is_sentinel) {
        s.chars().filter(|c| !is_sentinel(*c)).collect::<String>().into()
    } else {
        s.into()
    }
}

/// Takes the sentinels out of `s`: the text and its links. With `flow`,
/// `s` is collapsed text: a space doubled by a removed sentinel goes and
/// the edges are trimmed of spaces; otherwise (preformatted) only blank
/// lines at the edges go. A link closed without a start here (a block
/// inside the link ended the buffer) starts at 0; spans never cover
/// whitespace at their edges, and an empty one is dropped.
pub(super) fn spans(s: &str, flow: bool) -> (String, Vec<LinkSpan>) {
    let edge = |c: char| if flow { c == ' ' } else { c == '\n' };
    // Every sentinel's UTF-8 starts with 0xEE: a block without one (most
    // have no link) is just trimmed, not rebuilt char by char.
    if !s.as_bytes().contains(&0xEE) {
        return (s.trim_matches(edge).to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len());
    let mut links = Vec::new();
    let mut opens: Vec<usize> = Vec::new();
    let mut it = s.chars();
    // A sentinel was removed since the last character kept.
    let mut removed = false;
    while let Some(c) = it.next() {
        match c {
            OPEN => opens.push(out.len()),
            CANCEL => {
                opens.pop();
            }
            CLOSE => {
                let n: String = it.by_ref().take_while(|&c| c != END).collect();
                let start = opens.pop().unwrap_or(0);
                if let Ok(link) = n.parse() {
                    links.push(LinkSpan { start, end: out.len(), link });
                }
            }
            END => {}
            ' ' if flow && removed && (out.is_empty() || out.ends_with(' ')) => continue,
            c => {
                out.push(c);
                removed = false;
                continue;
            }
        }
        removed = true;
    }
    let lead = out.len() - out.trim_start_matches(edge).len();
    out.drain(..lead);
    out.truncate(out.trim_end_matches(edge).len());
    let text = out;
    let links = links
        .into_iter()
        .filter_map(|l| {
            let start = l.start.saturating_sub(lead).min(text.len());
            let end = l.end.saturating_sub(lead).min(text.len());
            let inner = text.get(start..end.max(start))?;
            let start = start + (inner.len() - inner.trim_start().len());
            let end = start + inner.trim().len();
            (end > start).then_some(LinkSpan { start, end, link: l.link })
        })
        .collect();
    (text, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> (String, Vec<(usize, usize, usize)>) {
        let s = s.replace('(', &OPEN.to_string()).replace('!', &CANCEL.to_string());
        let mut t = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ')' {
                let n: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
                t.push_str(&close_marker(n.parse().unwrap()));
            } else {
                t.push(c);
            }
        }
        let (text, links) = spans(&t, true);
        (text, links.into_iter().map(|l| (l.start, l.end, l.link)).collect())
    }

    #[test]
    fn sentinels_become_spans_and_spaces_stay_single() {
        assert_eq!(run("с (ссылкой)1 и"), ("с ссылкой и".into(), vec![(3, 17, 1)]));
        assert_eq!(run("a ( b )2 c"), ("a b c".into(), vec![(2, 3, 2)]));
        assert_eq!(run("( x)1"), ("x".into(), vec![(0, 1, 1)]));
        assert_eq!(run("без (адреса! и"), ("без адреса и".into(), vec![]));
        assert_eq!(run("(внешняя (внутр! )3"), ("внешняя внутр".into(), vec![(0, 25, 3)]));
        assert_eq!(run("хвост)4 после"), ("хвост после".into(), vec![(0, 10, 4)]));
        assert_eq!(run("a  b"), ("a  b".into(), vec![]), "spaces no sentinel doubled stay");
        assert_eq!(run("()5"), (String::new(), vec![]));
        assert_eq!(first_closed(&format!("{OPEN} {}", close_marker(12))), Some(12));
        // Without a link, as with one: the edges trimmed, the rest as it was
        // (U+E004 and ѐ share the sentinels' first byte or none of it).
        for s in [" a  b ", "\u{e004} x", "ѐ ", "  "] {
            assert_eq!(spans(s, true), (s.trim_matches(' ').to_string(), vec![]), "{s:?}");
            assert_eq!(spans(&format!("{s}{OPEN}{CANCEL}"), true).0, s.trim_matches(' '), "{s:?}");
        }
        assert_eq!(spans("\n\npre\n  x\n", false).0, "pre\n  x");
    }
}
