//! Splitting text into words, the first step of every normalisation.
//!
//! Why its own scanner: an import splits every article twice (index terms
//! and trending's candidates), and decoding each char with `char_indices`
//! was most of that work; news text is ASCII and basic Cyrillic, whose
//! classes show in their bytes.

use std::ops::Range;

use super::{is_alnum, is_combining, is_invisible};

/// Byte ranges of the words of `text`, in order.
pub fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip to a letter or digit (a word never starts with a mark).
        let start = loop {
            let (word, n) = class_at(text, at)?;
            at += n;
            if word == Class::Alnum {
                break at - n;
            }
        };
        while let Some((Class::Alnum | Class::Mark, n)) = class_at(text, at) {
            at += n;
        }
        Some(start..at)
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Starts a word ([`is_alnum`]).
    Alnum,
    /// Continues one (combining or invisible).
    Mark,
    Other,
}

/// The class of the char starting at byte `at` of `text` and its length in
/// bytes; `None` at the end. ASCII and the two-byte basic Cyrillic block
/// (U+0400–U+047F, letters all) are read off their bytes: decoding chars
/// took most of the time of splitting words.
#[inline]
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    let b = text.as_bytes();
    let lead = *b.get(at)?;
    if lead < 0x80 {
        let alnum = lead.is_ascii_alphanumeric();
        return Some((if alnum { Class::Alnum } else { Class::Other }, 1));
    }
    if lead & 0xFE == 0xD0 {
        return Some((Class::Alnum, 2));
    }
    let c = text.get(at..)?.chars().next()?;
    let class = if is_alnum(c) {
        Class::Alnum
    } else if is_combining(c) || is_invisible(c) {
        Class::Mark
    } else {
        Class::Other
    };
    Some((class, c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_ranges() {
        let t = "«Аbai.kz»: жéнщины, 2026-й";
        let words: Vec<&str> = word_ranges(t).map(|r| &t[r]).collect();
        assert_eq!(words, ["Аbai", "kz", "жéнщины", "2026", "й"]);
    }

    /// The char-by-char scan the byte classes replaced, kept as the reference.
    fn char_scan(text: &str) -> Vec<Range<usize>> {
        let mut it = text.char_indices().peekable();
        let mut out = Vec::new();
        while let Some((start, _)) = it.by_ref().find(|&(_, c)| is_alnum(c)) {
            let mut end = text.len();
            while let Some(&(i, c)) = it.peek() {
                if !(is_alnum(c) || is_combining(c) || is_invisible(c)) {
                    end = i;
                    break;
                }
                it.next();
            }
            out.push(start..end);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_split_as_a_char_scan(t in "([a-zA-Z0-9\u{400}-\u{489}әқ\u{300}-\u{36f}\u{483}-\u{489}\u{ad}\u{200b}-\u{200d}\u{feff} ,.«»-]|\\PC){0,40}") {
            proptest::prop_assert_eq!(word_ranges(&t).collect::<Vec<_>>(), char_scan(&t));
        }
    }
}
