//! How common a common noun is in everyday Russian: the share of news-length
//! texts that use it. Trending ranks common nouns by how much more often the
//! recent window uses them than the archive did before; an archive with few
//! older days has no such baseline, and then «дом», «страна», «вопрос»
//! looked like topics on the bundled sample. This table is the baseline an
//! archive has before its own.
//!
//! Why this shape: wordfreq's Russian frequencies (per word of running text,
//! over subtitles, news, books and the web; CC BY-SA 4.0, see
//! `everyday.NOTICE.md`) summed per lemma with pymorphy3 at dev time
//! (`tests/fixtures/morph/gen.py everyday`, then the ignored test
//! `build_everyday_table` in tests/morph.rs), keyed by folded lemma (as
//! `lang::topics` keys a common noun), embedded
//! as an `fst` map of shares in parts per million. Names are not in it: a
//! name is news by itself.

use std::sync::OnceLock;

use fst::Map;

static FST: &[u8] = include_bytes!("everyday.fst");

/// Words in a typical news text: turns a frequency per word into the share
/// of texts that use the word at least once (Poisson: 1 − e^(−f·n)).
pub const TEXT_WORDS: f64 = 300.0;

/// Shares below this (parts per million of texts) are left out of the table:
/// too rare to hold back a topic a window needs two articles for.
pub const MIN_PPM: u64 = 300;

/// The share of news-length texts using a word of frequency `f` per word.
pub fn article_share(f: f64) -> f64 {
    1.0 - (-f * TEXT_WORDS).exp()
}

/// A share as the table stores it.
pub fn to_ppm(share: f64) -> u64 {
    (share * 1e6).round() as u64
}

fn table() -> Option<&'static Map<&'static [u8]>> {
    static MAP: OnceLock<Option<Map<&'static [u8]>>> = OnceLock::new();
    MAP.get_or_init(|| Map::new(FST).ok()).as_ref()
}

/// The everyday share of texts using the common noun with this folded
/// lemma (a topic key of one word), or `None` for a word the table does
/// not hold (a rarer one).
pub fn share(lemma: &str) -> Option<f64> {
    table()?.get(lemma).map(|ppm| ppm as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_nouns_are_common_and_news_words_are_rarer() {
        let s = share;
        let home = s("дом").expect("дом is everyday Russian");
        let question = s("вопрос").expect("вопрос is everyday Russian");
        assert!(home > 0.1 && question > 0.1, "{home} {question}");
        let collapse = s("обрушение").unwrap_or(0.0);
        assert!(collapse < home / 20.0, "{collapse}");
        assert_eq!(s("газпром"), None, "names are not everyday nouns");
    }
}
