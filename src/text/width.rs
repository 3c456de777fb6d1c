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
        // One code point (most text): the per-char table is the same answer, faster.
        (Some(c), None) => c.width().unwrap_or(1).min(2),
        _ => g.width().min(2),
    }
}

/// Columns a string occupies.
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
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
    fn truncate_at_grapheme() {
        assert_eq!(truncate("Казахстан", 5), "Каза…");
        assert_eq!(truncate("и\u{306}и\u{306}и\u{306}", 2), "и\u{306}…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(pad("日本", 5), "日本 ");
    }
}
