//! Display width of text in terminal columns, measured per grapheme cluster.
//!
//! unicode-width gives per-character widths; summing those over a cluster
//! would count «й» written as и + U+0306 or an emoji ZWJ sequence wrongly, so
//! each cluster is measured as a whole.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Stands for a grapheme wider than the whole pane (a wide character at width 1).
pub const PLACEHOLDER: &str = "\u{fffd}";

/// Columns one grapheme cluster occupies (0, 1 or 2).
pub fn grapheme_width(g: &str) -> usize {
    let mut cs = g.chars();
    match (cs.next(), cs.next()) {
        // One code point (most text): printable ASCII and Cyrillic letters are
        // one column (checked against the tables in a test); others per char.
        (Some(c), None) => match c {
            ' '..='~' | '\u{400}'..='\u{482}' | '\u{48a}'..='\u{52f}' => 1,
            c => c.width().unwrap_or(1).min(2),
        },
        _ => g.width().min(2),
    }
}

/// Columns a string occupies.
pub fn display_width(s: &str) -> usize {
    grapheme_indices(s).map(|(_, g)| grapheme_width(g)).sum()
}

/// Code points that are a whole grapheme cluster by themselves when followed
/// by another such code point: not Control, Extend, ZWJ, SpacingMark,
/// Prepend, Hangul, Regional Indicator or Extended_Pictographic (so © and ®
/// are out). ASCII, Latin-1 and Latin Extended, Cyrillic letters (Kazakh
/// included), dashes, quotes and the ellipsis.
fn simple(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{a8}' | '\u{aa}'..='\u{ac}' | '\u{af}'..='\u{2ff}'
        | '\u{400}'..='\u{482}' | '\u{48a}'..='\u{52f}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{203a}')
}

/// Grapheme clusters of `s` with their byte offsets, exactly as
/// `unicode-segmentation` finds them (extended clusters).
///
/// A pair of [`simple`] code points always has a boundary between them
/// (UAX #29 GB999), so such runs, which are nearly all of Russian and Kazakh
/// text, skip the general state machine; everything else is handed to the
/// crate, starting from a known boundary. Checked against GraphemeBreakTest
/// and random text in tests/text.rs. Hand-written because the crate has this
/// shortcut only for ASCII and segmentation dominated layout time.
pub fn grapheme_indices(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut p = 0;
    std::iter::from_fn(move || {
        let c = s[p..].chars().next()?;
        let q = p + c.len_utf8();
        let end = if simple(c) && s[q..].chars().next().is_none_or(simple) {
            q
        } else {
            p + s[p..].graphemes(true).next().map_or(s.len() - p, str::len)
        };
        let start = p;
        p = end;
        Some((start, &s[start..end]))
    })
}

/// Cuts `s` to at most `width` columns at a grapheme boundary, ending with
/// «…» when anything was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > width - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to `width` columns (cutting it first if longer).
pub fn pad(s: &str, width: usize) -> String {
    let mut out = truncate(s, width);
    let w = display_width(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(display_width("Казахстан"), 9);
        assert_eq!(display_width("и\u{306}"), 1);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("әғқңөұүһі"), 9);
    }

    #[test]
    fn fast_paths_agree_with_the_crates() {
        for c in (' '..='~').chain('\u{400}'..='\u{52f}').chain('\u{a0}'..='\u{2ff}') {
            let s = c.to_string();
            assert_eq!(grapheme_width(&s), s.width().min(2), "{c:?}");
        }
    }

    #[test]
    fn truncate_at_grapheme() {
        assert_eq!(truncate("Казахстан", 5), "Каза…");
        assert_eq!(truncate("и\u{306}и\u{306}и\u{306}", 2), "и\u{306}…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(pad("日本", 5), "日本 ");
    }
}
