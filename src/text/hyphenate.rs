//! Russian hyphenation points, from the `hyphenation` crate's TeX patterns
//! (hyph-ru, with its hand-made exception list).
//!
//! Only the Russian dictionary is compiled in: `hyph-ru.standard.bincode` is
//! the crate's own prebuilt file (hyphenation 0.8.4, `dictionaries/`), copied
//! here because the crate's `embed_all` feature would carry every language
//! (3 MB) and it has no per-language feature except English. A crate update
//! that changed the format would fail loading, and the hyphenation tests.
//!
//! The dictionary is loaded once per process. Words are hyphenated on their
//! base letters: a stress mark (U+0301) or a decomposed «й» would otherwise
//! stop the patterns from matching, so each grapheme is reduced to its first
//! letter, lowercased, and the points are mapped back to grapheme boundaries
//! of the original word.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_segmentation::UnicodeSegmentation;

static RUSSIAN: OnceLock<Option<Standard>> = OnceLock::new();

/// The hyph-ru dictionary as the `hyphenation` crate serialises it.
const RUSSIAN_BINCODE: &[u8] = include_bytes!("hyph-ru.standard.bincode");

/// A fresh copy of the Russian dictionary (tests take one to edit it).
pub fn load_russian() -> Result<Standard, hyphenation::load::Error> {
    Standard::from_reader(Language::Russian, &mut &RUSSIAN_BINCODE[..])
}

/// Points already found, by lowercase word (letter indices). Pattern matching
/// costs microseconds per word and a resize asks for the same words again.
static MEMO: OnceLock<Mutex<HashMap<String, Box<[u8]>>>> = OnceLock::new();
const MEMO_MAX: usize = 100_000;

/// Letter indices where the lowercase Russian `key` may break.
fn key_points(dict: &Standard, key: &str) -> Box<[u8]> {
    let memo = MEMO.get_or_init(Default::default);
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(key).cloned()) {
        return hit;
    }
    // Russian letters are all two bytes in UTF-8, so byte / 2 = letter index.
    let found: Box<[u8]> = dict.hyphenate(key).breaks.into_iter().filter_map(|b| u8::try_from(b / 2).ok()).collect();
    if let Ok(mut m) = memo.lock() {
        if m.len() >= MEMO_MAX {
            m.clear();
        }
        m.insert(key.to_string(), found.clone());
    }
    found
}

fn russian() -> Option<&'static Standard> {
    RUSSIAN
        .get_or_init(|| match load_russian() {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::warn!("Russian hyphenation patterns failed to load, hyphenation is off: {e}");
                None
            }
        })
        .as_ref()
}

/// Forgets memoised points (benchmarks use it to measure a cold first layout).
pub fn clear_memo() {
    if let Some(Ok(mut m)) = MEMO.get().map(Mutex::lock) {
        m.clear();
    }
}

/// Whether `c` is a letter of the Russian alphabet (the patterns know no other).
pub fn is_russian_letter(c: char) -> bool {
    matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')
}

/// Byte offsets inside `word` where it may be hyphenated, in increasing
/// order, always at grapheme boundaries. Empty for words that are not
/// entirely Russian letters (with their combining marks), for all-capital
/// words of up to five letters (abbreviations) and for words too short to
/// split (2 letters stay on each side).
pub fn points(word: &str) -> Vec<usize> {
    let Some(dict) = russian() else { return Vec::new() };
    let mut key = String::with_capacity(word.len());
    // For each key char: the byte offset of its grapheme in `word`.
    let mut starts = Vec::with_capacity(word.len() / 2);
    let mut upper = 0;
    for (off, g) in word.grapheme_indices(true) {
        let mut c = g.chars().next().unwrap_or(' ');
        // Decomposed «й» and «ё» are different letters to the patterns.
        if g.contains('\u{306}') && matches!(c, 'и' | 'И') {
            c = if c == 'и' { 'й' } else { 'Й' };
        } else if g.contains('\u{308}') && matches!(c, 'е' | 'Е') {
            c = if c == 'е' { 'ё' } else { 'Ё' };
        }
        if !is_russian_letter(c) {
            return Vec::new();
        }
        if c.is_uppercase() {
            upper += 1;
        }
        key.extend(c.to_lowercase());
        starts.push(off);
    }
    // Short all-capital words are abbreviations (НАТО, ВЦИОМ); long ones are headline caps.
    if starts.len() < 4 || (upper == starts.len() && upper <= 5) {
        return Vec::new();
    }
    key_points(dict, &key).iter().filter_map(|&i| starts.get(i as usize).copied()).collect()
}

/// `word` with «-» at every hyphenation point (for tests and eyeballing).
pub fn hyphenated(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 8);
    let mut last = 0;
    for p in points(word) {
        out.push_str(&word[last..p]);
        out.push('-');
        last = p;
    }
    out.push_str(&word[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_words() {
        assert_eq!(hyphenated("государство"), "го-су-дар-ство");
        assert_eq!(hyphenated("Государство"), "Го-су-дар-ство");
        // stress mark kept and skipped over
        assert_eq!(hyphenated("госуда\u{301}рство"), "го-су-да\u{301}р-ство");
        assert_eq!(hyphenated("ООН"), "ООН");
        assert_eq!(hyphenated("ВЦИОМ"), "ВЦИОМ");
        assert_eq!(hyphenated("МИНИСТЕРСТВО").to_lowercase(), hyphenated("министерство"));
        assert_eq!(hyphenated("дом"), "дом");
        assert_eq!(hyphenated("Қазақстан"), "Қазақстан");
        assert_eq!(hyphenated("hyphen"), "hyphen");
    }
}
