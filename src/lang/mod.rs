//! Text → search terms: the one normalisation shared by the index, the
//! query parser, snippets, highlighting and trending, so they always agree.
//!
//! A word is a run of letters and digits. Each word is folded (Unicode lower
//! case for every script, ё → е, stress and other combining marks dropped,
//! Latin/Cyrillic look-alikes unified inside mixed-script words) and then
//! stemmed: Snowball Russian for Cyrillic, Snowball English for Latin.
//! Russian nouns and adjectives the dictionary knows get their lemma's
//! stem instead (see [`lemmas`]), so Андрея, Павла, друзья and Газпромом
//! meet their nominatives; Snowball is the fallback for the rest.
//! Words with Kazakh letters (ә ғ қ ң ө ұ ү һ і) are not stemmed: the
//! Russian stemmer would cut Kazakh suffixes wrongly, so they match exactly.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

pub mod everyday;
mod lemmas;
pub mod pos;
pub mod topics;
mod words;

pub use words::word_ranges;

/// One word of a text: where it is and the term it indexes as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the original text.
    pub range: Range<usize>,
    /// The folded, stemmed term.
    pub term: String,
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}')
}

/// Soft hyphens and zero-width joiners hide inside words in web text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Letters and digits, with a fast path for ASCII and basic Cyrillic
/// (`char::is_alphanumeric` takes a slow table lookup for Cyrillic).
fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'А'..='я' | 'ё' | 'Ё') || (!c.is_ascii() && c.is_alphanumeric())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Other,
}

fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => Script::Latin,
        '\u{0400}'..='\u{052F}' => Script::Cyrillic,
        _ => Script::Other,
    }
}

/// Cyrillic letters that look like a Latin letter, paired with it. Kazakh ү
/// and һ are left out: in Kazakh words they are letters in their own right,
/// and only mixed-script words are ever folded anyway.
const LOOKALIKES: &[(char, char)] = &[
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('х', 'x'),
    ('у', 'y'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
];

fn cyr_to_lat(c: char) -> Option<char> {
    LOOKALIKES.iter().find(|p| p.0 == c).map(|p| p.1)
}

/// Accented Latin vowels standing for stressed Cyrillic ones (web text
/// often marks stress as «жéнщина» with a Latin é).
const STRESSED: &[(char, char)] = &[
    ('а', 'á'),
    ('е', 'é'),
    ('о', 'ó'),
    ('у', 'ý'),
    ('а', 'à'),
    ('е', 'è'),
    ('о', 'ò'),
    ('А', 'Á'),
    ('Е', 'É'),
    ('О', 'Ó'),
];

fn lat_to_cyr(c: char) -> Option<char> {
    LOOKALIKES.iter().chain(STRESSED).find(|p| p.1 == c).map(|p| p.0)
}

/// Rewrites the look-alike letters of a mixed Latin/Cyrillic word into the
/// word's dominant script, decided by the letters that have no look-alike
/// (then by all letters; Latin on a tie), so «Аbai» with a Cyrillic А and
/// «Abai» fold the same, as do «Kазахстан» and «Казахстан».
fn unify_script(word: &str) -> Cow<'_, str> {
    let (mut has_lat, mut has_cyr) = (false, false);
    for c in word.chars() {
        match script(c) {
            Script::Latin => has_lat = true,
            Script::Cyrillic => has_cyr = true,
            Script::Other => {}
        }
    }
    if !(has_lat && has_cyr) {
        return Cow::Borrowed(word);
    }
    let (mut lat, mut cyr, mut lat_plain, mut cyr_plain) = (0, 0, 0, 0);
    for c in word.chars() {
        match script(c) {
            Script::Latin => {
                lat += 1;
                lat_plain += usize::from(lat_to_cyr(c).is_none());
            }
            Script::Cyrillic => {
                cyr += 1;
                cyr_plain += usize::from(cyr_to_lat(c).is_none());
            }
            Script::Other => {}
        }
    }
    if lat == 0 || cyr == 0 {
        return Cow::Borrowed(word);
    }
    let to_latin = if lat_plain != cyr_plain { lat_plain > cyr_plain } else { lat >= cyr };
    let map = |c: char| {
        if to_latin {
            if script(c) == Script::Cyrillic { cyr_to_lat(c).unwrap_or(c) } else { c }
        } else if script(c) == Script::Latin {
            lat_to_cyr(c).unwrap_or(c)
        } else {
            c
        }
    };
    Cow::Owned(word.chars().map(map).collect())
}

/// Folds one word: look-alikes unified, lower case (every script), ё → е,
/// и + combining breve → й, other combining marks (stress accents) and
/// invisible characters dropped.
pub fn fold_word(word: &str) -> String {
    let word = unify_script(word);
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        // The letters news is written in first: none is invisible or
        // combining, and the two tables below cost more than the rest.
        match c {
            'а'..='я' | 'a'..='z' | '0'..='9' => out.push(c),
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'ё' | 'Ё' => out.push('е'),
            c if is_invisible(c) => {}
            c if is_combining(c) => {
                if c == '\u{0306}' && out.ends_with('и') {
                    out.pop();
                    out.push('й');
                }
            }
            _ => {
                for l in c.to_lowercase() {
                    out.push(if l == 'ё' { 'е' } else { l });
                }
            }
        }
    }
    out
}

fn russian() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

fn english() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// True for words with a letter of the Kazakh alphabet that Russian lacks.
pub fn is_kazakh(folded: &str) -> bool {
    folded.chars().any(|c| matches!(c, 'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'і'))
}

/// Stems a folded word by its script; Kazakh and other scripts as they are.
pub fn stem(folded: &str) -> Cow<'_, str> {
    if is_kazakh(folded) {
        return Cow::Borrowed(folded);
    }
    let mut cyr = false;
    let mut lat = false;
    for c in folded.chars() {
        match script(c) {
            Script::Cyrillic => cyr = true,
            Script::Latin => lat = true,
            Script::Other => {}
        }
    }
    match (cyr, lat) {
        (true, _) => Cow::Owned(match lemmas::lookup(folded) {
            Some(t) => t.to_string(),
            None => russian_stem(folded),
        }),
        (false, true) => english().stem(folded),
        _ => Cow::Borrowed(folded),
    }
}

/// Snowball Russian plus two corrections for names, which news is full of.
/// Snowball reads a final «-ан»/«-ян» as a verb form and cuts the «н»
/// (Казахстан → казахста, but Казахстане → казахстан): the «н» is kept. It
/// cuts surname «-ов»/«-ев» in the nominative only (Токаев → тока, Токаева
/// → токаев): a stem ending so loses it, so every case form shares a stem.
/// Public for the lemma table's builder, which must stem exactly as here.
pub fn russian_stem(word: &str) -> String {
    let stem = russian().stem(word);
    let mut stem = stem.into_owned();
    if let Some(removed) = word.strip_prefix(stem.as_str())
        && removed.starts_with('н')
        && matches!(removed, "н" | "на" | "ны" | "но" | "нно")
        && (stem.ends_with('а') || stem.ends_with('я'))
    {
        stem.push('н');
    }
    if (stem.ends_with("ов") || stem.ends_with("ев")) && stem.chars().count() >= 5 {
        stem.truncate(stem.len() - "ов".len());
    }
    stem
}

/// Distinct words kept per thread in the stem cache before it is emptied.
const STEM_CACHE_WORDS: usize = 100_000;

/// The search term of one word: folded then stemmed. News repeats its
/// vocabulary, so stems are memoised per thread (stemming is most of the
/// cost of indexing).
pub fn term(word: &str) -> String {
    with_term(word, str::to_string)
}

thread_local! {
    // foldhash: SipHash was a twentieth of an import's CPU here; the
    // caches are capped, so a slower DoS-proof hash buys nothing.
    /// Folded word → term.
    static TERMS: RefCell<HashMap<String, String, foldhash::fast::RandomState>> = Default::default();
    /// Word as written → term: news repeats its words as written, so most
    /// words are neither folded nor copied.
    static WRITTEN: RefCell<HashMap<String, String, foldhash::fast::RandomState>> = Default::default();
}

/// [`term`] for a word already folded with [`fold_word`].
pub fn term_of_folded(folded: &str) -> String {
    cached(&TERMS, folded, |w| stem(w).into_owned(), str::to_string)
}

/// Calls `f` with the term of `word` ([`term`] without its allocations).
fn with_term<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    cached(&WRITTEN, word, |w| stem(&fold_word(w)).into_owned(), f)
}

/// Calls `f` with `make(key)`, memoised in the per-thread `cache`: a key
/// seen before costs a lookup and no allocation.
fn cached<R>(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, String, foldhash::fast::RandomState>>>,
    key: &str,
    make: impl FnOnce(&str) -> String,
    f: impl FnOnce(&str) -> R,
) -> R {
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(t) = c.get(key) {
            return f(t);
        }
        let t = make(key);
        if c.len() >= STEM_CACHE_WORDS {
            c.clear();
        }
        let r = f(&t);
        c.insert(key.to_string(), t);
        r
    })
}

/// Every word of `text` with its byte range and term.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    word_ranges(text).map(|r| Token { term: term(&text[r.clone()]), range: r }).filter(|t| !t.term.is_empty())
}

/// The terms of `text` joined by spaces: the form stored in the index.
pub fn index_text(text: &str, out: &mut String) {
    // Terms are about as long as their words: one growth per text at most.
    out.reserve(text.len());
    for r in word_ranges(text) {
        with_term(&text[r], |t| {
            if t.is_empty() {
                return;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        });
    }
}

/// Whether a folded (not stemmed) word is a stop word: function words that
/// carry no topic. Written out here because the stop-word crates ship dozens
/// of languages' lists while svodka needs these two short ones.
pub fn is_stop_word(folded: &str) -> bool {
    // foldhash: asked for every word of every headline and lead.
    static SET: OnceLock<std::collections::HashSet<&'static str, foldhash::fast::FixedState>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect()).contains(folded)
}

const STOP_WORDS: &[&str] = &[
    // Russian (ё already folded to е).
    "а",
    "без",
    "более",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "весь",
    "во",
    "вот",
    "все",
    "всего",
    "всех",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "если",
    "есть",
    "еще",
    "же",
    "за",
    "здесь",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "когда",
    "кто",
    "ли",
    "либо",
    "мне",
    "может",
    "мы",
    "на",
    "над",
    "надо",
    "наш",
    "не",
    "него",
    "нее",
    "нет",
    "ни",
    "них",
    "но",
    "ну",
    "о",
    "об",
    "однако",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "очень",
    "по",
    "под",
    "после",
    "при",
    "с",
    "со",
    "так",
    "также",
    "такой",
    "там",
    "те",
    "тем",
    "то",
    "того",
    "тоже",
    "той",
    "только",
    "том",
    "ты",
    "у",
    "уже",
    "хотя",
    "чего",
    "чей",
    "чем",
    "что",
    "чтобы",
    "эта",
    "эти",
    "это",
    "этого",
    "этой",
    "этом",
    "этот",
    "я",
    "который",
    "которая",
    "которые",
    "которых",
    "которого",
    "котором",
    "которой",
    "будет",
    "будут",
    "этих",
    "сам",
    "свой",
    "своих",
    "своей",
    "свои",
    "себя",
    "между",
    "через",
    "против",
    "перед",
    "является",
    "года",
    "году",
    "год",
    "лет",
    "также",
    "ранее",
    "словам",
    "сообщает",
    "сообщил",
    "сообщила",
    "заявил",
    "заявила",
    "время",
    "раз",
    "два",
    "три",
    "один",
    "одна",
    "где",
    "него",
    "нему",
    "ним",
    "ней",
    "нам",
    "нас",
    "всем",
    "всё",
    "том",
    "вы",
    "ваш",
    "мой",
    "твой",
    "сегодня",
    "вчера",
    "завтра",
    "теперь",
    "тогда",
    "которое",
    "которую",
    "которым",
    "которыми",
    "можно",
    "нужно",
    "меня",
    "тебя",
    "ему",
    "ей",
    "сами",
    "самих",
    "этим",
    "этими",
    "такие",
    "такая",
    "такое",
    "таких",
    "затем",
    "потом",
    "куда",
    "почему",
    "зачем",
    "числе",
    "рамках",
    "т",
    "д",
    "др",
    "г",
    "тыс",
    "млн",
    "млрд",
    "руб",
    // English.
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "he",
    "in",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "she",
    "that",
    "the",
    "their",
    "they",
    "this",
    "to",
    "was",
    "were",
    "will",
    "with",
    "not",
    "but",
    "we",
    "you",
    "i",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_word("ЁЛКА"), "елка");
        assert_eq!(fold_word("ҚАЗАҚСТАН"), "қазақстан");
        assert_eq!(fold_word("Аbai"), "abai"); // Cyrillic А
        assert_eq!(fold_word("Kазахстан"), "казахстан"); // Latin K
        assert_eq!(fold_word("жéнщина"), "женщина"); // stress mark
        assert_eq!(fold_word("и\u{0306}од"), "йод");
        assert_eq!(fold_word("СССР"), "ссср"); // all Cyrillic: untouched
    }

    #[test]
    fn stems() {
        assert_eq!(term("Казахстана"), term("казахстан"));
        assert_eq!(term("женщин"), term("Женщина"));
        assert_eq!(term("running"), term("runs"));
        assert_eq!(term("Қазақстанның"), "қазақстанның");
    }

    #[test]
    fn dictionary_lemmas() {
        for (a, b) in [("Газпромом", "Газпром"), ("Андрея", "Андрей"), ("Павла", "Павел"), ("друзья", "друг")]
        {
            assert_eq!(term(a), term(b), "{a} ~ {b}");
        }
        // «Иванов» itself is also Иван's genitive plural, and reads as that.
        for (a, b) in [("мировой", "мир"), ("Ивановым", "Иваном"), ("Иванова", "Ивана")]
        {
            assert_ne!(term(a), term(b), "{a} ≁ {b}");
        }
        // Unknown words fall back to Snowball.
        assert_eq!(term("Тенгизшевройлом"), term("Тенгизшевройл"));
    }
}
