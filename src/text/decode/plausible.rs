//! Does decoded text read like text? Detection can be wrong and a declared
//! charset can lie; the archive must never take mojibake for news. Two
//! kinds of evidence: the text re-encoded in a likely wrong charset turns
//! back into UTF-8 or Cyrillic text (the bytes were misread), and its words
//! look impossible (scripts mixed inside a word, symbols glued between
//! letters, case flipping mid-word, Cyrillic letter pairs no Slavic
//! language has).

use std::sync::OnceLock;

use encoding_rs::Encoding;

use super::codepages::{CP1125, Charset, IBM855, KOI8_RU};

/// The single-byte charsets Cyrillic text has been published in, the
/// common ones first so that a tie goes to them: CP1125 reads Russian text
/// exactly as IBM866 does, KOI8-U and KOI8-RU as KOI8-R; they win only on
/// Ukrainian letters or on KOI8-RU's quotes and dashes.
pub(super) const CYRILLIC: [Charset; 9] = [
    Charset::Whatwg(encoding_rs::WINDOWS_1251),
    Charset::Whatwg(encoding_rs::KOI8_R),
    Charset::Whatwg(encoding_rs::IBM866),
    Charset::Whatwg(encoding_rs::ISO_8859_5),
    Charset::Whatwg(encoding_rs::X_MAC_CYRILLIC),
    Charset::Whatwg(encoding_rs::KOI8_U),
    Charset::Extra(&CP1125),
    Charset::Extra(&IBM855),
    Charset::Extra(&KOI8_RU),
];

/// How much non-ASCII text the check reads: some 4000 letters, plenty of
/// evidence, and it keeps the check cheap on any document.
const SAMPLE: usize = 8 * 1024;

/// Counts over bytes read as UTF-8.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Utf8Stats {
    /// Well-formed multi-byte sequences.
    pub multi: usize,
    /// Maximal invalid subsequences (each becomes one U+FFFD).
    pub invalid: usize,
}

impl Utf8Stats {
    pub fn of(bytes: &[u8]) -> Self {
        // Almost every document is valid UTF-8: a SIMD validation and a
        // count of lead bytes (each starts one multi-byte sequence), which
        // the compiler vectorises, instead of a decode (a tenth of parsing).
        if simdutf8::basic::from_utf8(bytes).is_ok() {
            return Utf8Stats { multi: count_bytes(bytes, |b| b >= 0xC0), invalid: 0 };
        }
        Self::of_chunks(bytes)
    }

    /// Read chunk by chunk, for bytes with invalid sequences.
    fn of_chunks(bytes: &[u8]) -> Self {
        let mut s = Utf8Stats::default();
        for chunk in bytes.utf8_chunks() {
            s.multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            s.invalid += usize::from(!chunk.invalid().is_empty());
        }
        s
    }

    pub fn is_valid(self) -> bool {
        self.invalid == 0
    }

    /// UTF-8 apart from a few invalid sequences. Legacy Cyrillic or CJK
    /// bytes almost never form a well-formed sequence, so a handful of bad
    /// bytes among many good sequences is damage, not another encoding.
    /// A UTF-8 declaration needs less: more good sequences than bad.
    pub fn looks_utf8(self, declared: bool) -> bool {
        if declared {
            self.invalid == 0 || self.multi > self.invalid * 2
        } else {
            self.invalid == 0 || (self.multi >= 8 && self.multi >= self.invalid * 8)
        }
    }
}

/// How many of `bytes` are `pred`: counted in `u8`s a chunk at a time,
/// which the compiler vectorises (a plain `filter().count()` it does not:
/// 6–10 instructions a byte against under 2).
pub(super) fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(u8::MAX.into())
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n.wrapping_add(u8::from(pred(b))))))
        .sum()
}

/// True when `text` reads like a misdecoding: Cyrillic read in the wrong
/// code page, UTF-8 read as a legacy charset (`РџСЂРёРІРµС‚`, `Ã©`), legacy
/// bytes read as CJK (`袧芯胁芯褋褌懈`). Plain ASCII never is. The ingest
/// layer uses it to keep the previous good copy of an item.
pub fn looks_like_mojibake(text: &str) -> bool {
    let sample = sample(text);
    if sample.is_empty() {
        return false;
    }
    reencodes_to_other_text(&sample) || implausible_words(&sample)
}

/// The first [`SAMPLE`] bytes of the text's words that are not plain
/// ASCII: markup, URLs and English carry no evidence either way.
fn sample(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace().filter(|w| !w.is_ascii()) {
        if out.len() + word.len() > SAMPLE {
            // Text without spaces (Chinese, Japanese) comes as one word.
            let mut end = SAMPLE.saturating_sub(out.len()).min(word.len());
            while !word.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&word[..end]);
            break;
        }
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// Charsets whose misreading of UTF-8 or of Cyrillic bytes is common.
const MISREAD_AS: [&Encoding; 12] = [
    encoding_rs::WINDOWS_1252,
    encoding_rs::WINDOWS_1250,
    encoding_rs::WINDOWS_1251,
    encoding_rs::KOI8_U,
    encoding_rs::IBM866,
    encoding_rs::ISO_8859_5,
    encoding_rs::X_MAC_CYRILLIC,
    encoding_rs::ISO_8859_2,
    encoding_rs::GBK,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
];

/// The text's bytes under a wrong charset are really UTF-8, or really
/// Cyrillic in another code page.
fn reencodes_to_other_text(text: &str) -> bool {
    let cleaned: String = text.chars().filter(|c| *c != '\u{FFFD}').collect();
    let has = |script: Script| cleaned.chars().any(|c| !c.is_ascii() && self::script(c) == script);
    let (cyrillic, cjk) = (has(Script::Cyrillic), has(Script::Cjk));
    let cyrillic_words = cleaned
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 3 && w.chars().all(|c| script(c) == Script::Cyrillic));
    // UTF-8 lead bytes read as windows-1252 or -1250 are Latin letters.
    let latin = cleaned.chars().any(|c| ('\u{C0}'..='\u{24F}').contains(&c));
    let own = std::cell::LazyCell::new(|| cyrillic_score(&cleaned));
    MISREAD_AS.iter().any(|enc| {
        // Only a charset whose letters the text has can have misread it;
        // the rest cannot encode it anyway, and trying costs time.
        let plausible = match enc.name() {
            // Cyrillic and UTF-8 bytes read as CJK come out as Han with
            // stray Cyrillic at most; whole Cyrillic words beside the Han
            // say the CJK reading is real.
            "GBK" | "Big5" | "Shift_JIS" | "EUC-KR" => cjk && !cyrillic_words,
            "windows-1252" | "windows-1250" | "ISO-8859-2" => latin,
            _ => cyrillic,
        };
        if !plausible {
            return false;
        }
        let Some(bytes) = Charset::Whatwg(enc).encode(&cleaned) else { return false };
        // UTF-8 read as something else: long enough not to be chance
        // (three CJK characters can happen to be valid UTF-8), or short
        // and plainly Cyrillic once read right.
        let utf8 = Utf8Stats::of(&bytes);
        if utf8.multi >= 3 && utf8.looks_utf8(false) {
            let right = String::from_utf8_lossy(&bytes);
            let cyrillic = cyrillic_score(&right) * 2 > utf8.multi as i64 * 3;
            if utf8.multi >= 8 || cyrillic {
                return true;
            }
        }
        // Another code page reads these bytes as clearly better Cyrillic
        // (KOI8-R and KOI8-U differ in a few letters; that is no evidence).
        let high = count_bytes(&bytes, |b| b >= 0x80) as i64;
        cyrillic_best(&bytes).is_some_and(|(_, alt)| alt > *own + high / 8)
    })
}

/// Which script a letter belongs to, for the one-script-per-word rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Cjk,
    Other,
}

fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => Script::Latin,
        '\u{400}'..='\u{52F}' => Script::Cyrillic,
        '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' => {
            Script::Cjk
        }
        _ => Script::Other,
    }
}

/// Symbols that single-byte code pages put beside their letters, so that a
/// misreading glues them between letters (`п÷п╦`, `Ã©t`, `Рµ`): Latin-1
/// signs, math, box drawing, `†‡•…‰‹›€™`. Dashes, quotes and CJK or Thai
/// marks are not among them; real text has those inside words.
fn mojibake_symbol(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{AC}' | '\u{AE}'..='\u{B6}' | '\u{B8}'..='\u{BF}' | '×' | '÷' | 'ƒ')
        || matches!(c, '‚' | '„' | '†' | '‡' | '•' | '…' | '‰' | '‹' | '›' | '€' | '™' | '№')
        || ('\u{2200}'..='\u{22FF}').contains(&c)
        || ('\u{2320}'..='\u{2321}').contains(&c)
        || ('\u{2500}'..='\u{25FF}').contains(&c)
}

/// Scripts that a misreading mixes inside one word. Latin beside CJK,
/// Thai or Greek is everyday text ("iPhone手机", "Σtoken"), and so is one
/// look-alike letter of the other alphabet ("Сlick" with a Cyrillic С).
fn mixed_scripts(letters: &[char]) -> bool {
    let count = |s: Script| letters.iter().filter(|c| script(**c) == s).count();
    let (latin, cyrillic) = (count(Script::Latin), count(Script::Cyrillic));
    let (greek, cjk) = (count(Script::Greek), count(Script::Cjk));
    latin.min(cyrillic) >= 2 || (cyrillic > 0 && (greek > 0 || cjk > 0))
}

const VOWELS: &str = "аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ";

/// One token (a run between spaces and ASCII punctuation) is impossible.
fn bad_word(token: &str) -> Option<bool> {
    if token.is_ascii() {
        return None;
    }
    let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().all(char::is_ascii) {
        return None;
    }
    if mixed_scripts(&letters) {
        return Some(true);
    }
    let chars: Vec<char> = token.chars().collect();
    let glued = chars.windows(3).any(|w| w[0].is_alphabetic() && w[2].is_alphabetic() && mojibake_symbol(w[1]));
    if glued {
        return Some(true);
    }
    if !letters.iter().all(|c| script(*c) == Script::Cyrillic) {
        return Some(false);
    }
    // Names are written `МинЧС`, `ЛогоВАЗу`: one flip to capitals is fine.
    let flips = letters.windows(2).filter(|w| w[0].is_lowercase() && w[1].is_uppercase()).count();
    let case_flip = flips >= 2;
    let vowel = |c: &char| VOWELS.contains(*c);
    let no_vowel = letters.len() >= 5 && !letters.iter().any(vowel);
    let l: Vec<char> = letters.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let bad_start = matches!(l[0], 'ь' | 'ы');
    // A soft or hard sign never follows a vowel or another sign.
    let bad_pair = l.windows(2).any(|w| matches!(w[1], 'ь' | 'ъ') && (vowel(&w[0]) || matches!(w[0], 'ь' | 'ъ' | 'й')));
    Some(case_flip || no_vowel || bad_start || bad_pair)
}

/// A quarter or more of the words with non-ASCII letters are impossible.
fn implausible_words(text: &str) -> bool {
    let (mut words, mut bad) = (0usize, 0usize);
    let tokens = text.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''));
    for verdict in tokens.filter_map(bad_word) {
        words += 1;
        bad += usize::from(verdict);
    }
    bad >= 2 && bad * 4 >= words
}

/// Picks among [`CYRILLIC`] by how Slavic the decoded text looks. Written
/// by hand because chardetng has no MacCyrillic, IBM855 or CP1125 and may
/// take KOI8-R for KOI8-U: the right decoding yields mostly lowercase
/// Cyrillic letters, a wrong one capitals, symbols and other alphabets.
/// `None` unless one candidate is clearly Cyrillic text.
pub(super) fn cyrillic_guess(bytes: &[u8]) -> Option<Charset> {
    cyrillic_best(bytes).map(|(cs, _)| cs)
}

/// The best candidate and its score, when it is clearly Cyrillic.
fn cyrillic_best(bytes: &[u8]) -> Option<(Charset, i64)> {
    let high = count_bytes(bytes, |b| b >= 0x80) as i64;
    if high < 8 {
        return None;
    }
    let mut best: Option<(Charset, i64)> = None;
    for (i, cs) in CYRILLIC.iter().enumerate() {
        let s = score_bytes(bytes, byte_scores(i));
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((*cs, s));
        }
    }
    // Mostly lowercase letters: an average above 1.5 per non-ASCII byte.
    best.filter(|(_, s)| s * 2 > high * 3)
}

/// Each candidate's 256 characters, built once: scoring is then a table
/// look-up per byte, cheap enough to run on every document.
fn byte_table(i: usize) -> &'static [char; 256] {
    static TABLES: [OnceLock<[char; 256]>; CYRILLIC.len()] = [const { OnceLock::new() }; CYRILLIC.len()];
    TABLES[i].get_or_init(|| {
        let mut t = ['\u{FFFD}'; 256];
        for (b, slot) in (0u8..=255).zip(t.iter_mut()) {
            *slot = CYRILLIC[i].decode(&[b]).chars().next().unwrap_or('\u{FFFD}');
        }
        t
    })
}

fn cyrillic_score(text: &str) -> i64 {
    score_chars(text.chars())
}

fn score_chars(chars: impl Iterator<Item = char>) -> i64 {
    let mut total = 0;
    let mut prev = 0;
    for c in chars {
        let f = char_flags(c);
        total += pair_score(prev, f) + char_score(c);
        prev = f;
    }
    total
}

/// [`score_chars`] of `bytes` read through charset `scores`: a table
/// look-up a byte (it runs for 9 charsets on each re-encoded sample).
fn score_bytes(bytes: &[u8], scores: &ByteScores) -> i64 {
    let mut total = 0;
    let mut prev = 0;
    for &b in bytes {
        let f = scores.flags[usize::from(b)];
        total += pair_score(prev, f) + i64::from(scores.score[usize::from(b)]);
        prev = f;
    }
    total
}

/// A Cyrillic letter of [`score_chars`]'s alphabet.
const CYR: u8 = 1;
const ASCII_ALPHA: u8 = 2;
/// а–я (no ё).
const LOWER: u8 = 4;

fn char_flags(c: char) -> u8 {
    let cyr = matches!(c, 'а'..='я' | 'ё' | 'А'..='Я' | 'Ё' | 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ');
    let flag = |on: bool, f: u8| if on { f } else { 0 };
    flag(cyr, CYR) | flag(c.is_ascii_alphabetic(), ASCII_ALPHA) | flag(('а'..='я').contains(&c), LOWER)
}

/// Slavic words are wholly Cyrillic; a Latin accented letter read as
/// Cyrillic sits inside a Latin word ("йtй" for "été").
fn pair_score(prev: u8, f: u8) -> i64 {
    if (f & CYR != 0 && prev & ASCII_ALPHA != 0) || (f & ASCII_ALPHA != 0 && prev & LOWER != 0) { -4 } else { 0 }
}

fn char_score(c: char) -> i64 {
    if c.is_ascii() {
        return 0;
    }
    match c {
        'а'..='я' | 'ё' | 'і' | 'ї' | 'є' | 'ґ' => 2,
        'А'..='Я' | 'Ё' | 'І' | 'Ї' | 'Є' | 'Ґ' | 'ў' => 1,
        '«' | '»' | '—' | '–' | '№' | '\u{a0}' | '\u{2019}' | '„' | '“' | '”' | 'Ў' => 0,
        _ => -3,
    }
}

/// A charset's bytes as [`score_bytes`] reads them.
struct ByteScores {
    flags: [u8; 256],
    score: [i8; 256],
}

fn byte_scores(i: usize) -> &'static ByteScores {
    static SCORES: [OnceLock<ByteScores>; CYRILLIC.len()] = [const { OnceLock::new() }; CYRILLIC.len()];
    SCORES[i].get_or_init(|| {
        let table = byte_table(i);
        let mut s = ByteScores { flags: [0; 256], score: [0; 256] };
        for (b, &c) in table.iter().enumerate() {
            s.flags[b] = char_flags(c);
            // Scores are -3..=2.
            s.score[b] = i8::try_from(char_score(c)).unwrap_or(-3);
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn byte_scores_are_the_chars_scores(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            for i in 0..CYRILLIC.len() {
                let table = byte_table(i);
                let chars = score_chars(bytes.iter().map(|b| table[usize::from(*b)]));
                proptest::prop_assert_eq!(score_bytes(&bytes, byte_scores(i)), chars);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn valid_utf8_counts_as_read_chunk_by_chunk(t in "\\PC{0,40}", junk in proptest::collection::vec(0x80u8.., 0..3)) {
            let stats = |b: &[u8]| { let s = Utf8Stats::of(b); (s.multi, s.invalid) };
            let chunks = |b: &[u8]| { let s = Utf8Stats::of_chunks(b); (s.multi, s.invalid) };
            proptest::prop_assert_eq!(stats(t.as_bytes()), chunks(t.as_bytes()));
            let damaged = [t.as_bytes(), &junk, t.as_bytes()].concat();
            proptest::prop_assert_eq!(stats(&damaged), chunks(&damaged));
        }
    }

    const RUSSIAN: &str = "Местные власти в Казахстане признали существование проблемы незаконного трафика. \
                           Новости мира: «МегаФон» и iPhone, Wi-Fi-роутер, ТВ-шоу, СНГ и МВД.";
    const BULGARIAN: &str = "Всички хора се раждат свободни и равни по достойнство и права. \
                             Те са надарени с разум и съвест и следва да се отнасят помежду си в дух на братство.";

    #[test]
    fn real_text_is_not_mojibake() {
        for t in [
            RUSSIAN,
            BULGARIAN,
            "L'été a été très chaud à Genève.",
            "中华人民共和国国务院新闻办公室今天举行发布会",
            "plain ascii",
        ] {
            assert!(!looks_like_mojibake(t), "{t}");
        }
        assert!(!looks_like_mojibake("Їжак і ґанок: українська мова, м’яко й п’ять"));
        assert!(!looks_like_mojibake("Ελληνικά νέα από την Αθήνα σήμερα"));
        assert!(!looks_like_mojibake("新款iPhone手机在日本发售，价格、配置一览。日本語のテキストです。"));
        assert!(!looks_like_mojibake("ภาษาไทยเป็นภาษาที่สวยงาม และมีวรรณยุกต์ที่ไม่ใช่ตัวอักษร"));
        // Maths, a look-alike letter, an IRI with three Han characters.
        assert!(!looks_like_mojibake("Σtoken_count θPT θBolmo; Сlick Сontrol; http://www.詹姆斯.com/feed"));
        assert!(!looks_like_mojibake("<p>腾讯新闻 Новости</p>"));
    }

    /// Russian and Bulgarian in letters every Cyrillic code page has.
    const PLAIN_RU: &str = "Местные власти в Казахстане признали существование проблемы незаконного трафика.";

    #[test]
    fn misreadings_are_mojibake() {
        for text in [PLAIN_RU, BULGARIAN] {
            let utf8 = text.as_bytes();
            for enc in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R, encoding_rs::GBK, encoding_rs::WINDOWS_1252] {
                let wrong = enc.decode_without_bom_handling(utf8).0;
                assert!(looks_like_mojibake(&wrong), "UTF-8 as {}: {wrong}", enc.name());
            }
            for (from, to) in [
                (Charset::Whatwg(encoding_rs::WINDOWS_1251), Charset::Whatwg(encoding_rs::KOI8_R)),
                (Charset::Whatwg(encoding_rs::KOI8_R), Charset::Whatwg(encoding_rs::WINDOWS_1251)),
                (Charset::Whatwg(encoding_rs::IBM866), Charset::Whatwg(encoding_rs::WINDOWS_1251)),
                (Charset::Whatwg(encoding_rs::WINDOWS_1251), Charset::Extra(&IBM855)),
                (Charset::Extra(&IBM855), Charset::Whatwg(encoding_rs::WINDOWS_1251)),
                (Charset::Whatwg(encoding_rs::KOI8_R), Charset::Whatwg(encoding_rs::GBK)),
            ] {
                let wrong = to.decode(&from.encode(text).unwrap());
                assert!(looks_like_mojibake(&wrong), "{from} as {to}: {wrong}");
            }
        }
        assert!(looks_like_mojibake("袧芯胁芯褋褌懈 泻邪蟹邪褏褋褌邪薪邪"));
        // Long runs without spaces are sampled too.
        let utf8_run = PLAIN_RU.replace(' ', "").repeat(200);
        let run = encoding_rs::GBK.decode_without_bom_handling(utf8_run.as_bytes()).0;
        assert!(looks_like_mojibake(&run));
        assert!(!looks_like_mojibake(&"中华人民共和国国务院新闻办公室今天举行发布会".repeat(500)));
    }

    #[test]
    fn utf8_stats_tell_damage_from_another_encoding() {
        let mut damaged = RUSSIAN.as_bytes().to_vec();
        damaged[20] = 0xFF;
        assert!(Utf8Stats::of(&damaged).looks_utf8(false));
        let cp1251 = encoding_rs::WINDOWS_1251.encode(RUSSIAN).0;
        assert!(!Utf8Stats::of(&cp1251).looks_utf8(false));
        assert!(!Utf8Stats::of(&cp1251).looks_utf8(true));
    }
}
