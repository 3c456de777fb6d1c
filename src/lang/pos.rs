//! Coarse parts of speech from the dictionary, for trending: a topic is a
//! name or a noun phrase, never a verb, adverb, pronoun or numeral, and it
//! is shown in its dictionary form («Уральск», not «Уральска»).
//!
//! Why this shape: the data is cut down from pymorphy3's OpenCorpora
//! dictionary at dev time (`tests/fixtures/morph/gen.py pos`, then the
//! ignored test `build_pos_table` in tests/morph.rs) into one embedded `fst`
//! map with two kinds of key:
//! - `\x01` + an index term (see [`super::term`]) of noun and adjective
//!   forms → the reading most of the term's forms have: its class and the
//!   ending that turns the term back into the lemma (term «уральск» + "" =
//!   «уральск», term «росат» + «ом»). Keying by term, not by form, covers
//!   every case form of an unambiguous lemma with one entry.
//! - a folded word form whose reading differs from its term's: verbs,
//!   adverbs, pronouns, numerals, function words, and the homographs.
//!   A homograph has up to three readings, by how it is written (see
//!   [`Case`]): pymorphy3's most probable parse (its `score`s summed per
//!   lemma, ties by how often the corpus sees each lemma), the most
//!   probable one that is not a name (lower case: «газа» is газ, not the
//!   Gaza Strip; «городов» is город, not the surname), and the most
//!   probable name (capitalised inside a sentence: «Газа», «Городов»).
//!   Participles are left out (1.8 million forms).
//!
//! A word found under neither is one the dictionary does not know.

use std::sync::OnceLock;

use fst::Map;

static FST: &[u8] = include_bytes!("pos.fst");
static ENDINGS: &str = include_str!("pos_endings.txt");

/// The class of a word, as trending needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    Noun,
    Adj,
    /// A name the dictionary knows (person, place, organisation, acronym).
    Proper,
    Verb,
    Adverb,
    Pronoun,
    Numeral,
    /// Prepositions, conjunctions, particles, short adjectives...
    Other,
}

impl Pos {
    /// The code stored in the table (three bits).
    pub fn code(self) -> u64 {
        self as u64
    }

    pub fn from_code(c: u64) -> Pos {
        match c & 7 {
            0 => Pos::Noun,
            1 => Pos::Adj,
            2 => Pos::Proper,
            3 => Pos::Verb,
            4 => Pos::Adverb,
            5 => Pos::Pronoun,
            6 => Pos::Numeral,
            _ => Pos::Other,
        }
    }

    /// Nouns, adjectives and names: what a topic can be made of.
    pub fn is_nominal(self) -> bool {
        matches!(self, Pos::Noun | Pos::Adj | Pos::Proper)
    }
}

/// Marks a term key in the table (forms never start with it).
pub const TERM_KEY: char = '\u{1}';

struct Table {
    map: Map<&'static [u8]>,
    endings: Vec<&'static str>,
}

fn table() -> Option<&'static Table> {
    static T: OnceLock<Option<Table>> = OnceLock::new();
    T.get_or_init(|| Some(Table { map: Map::new(FST).ok()?, endings: ENDINGS.lines().collect() })).as_ref()
}

/// What the dictionary says of one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub pos: Pos,
    /// The dictionary form (folded, lower case), for nouns and adjectives.
    pub lemma: Option<String>,
}

/// How a word is written, which decides between a homograph's readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// In lower case: not a name if the dictionary has another reading.
    Lower,
    /// Capitalised inside a sentence: a name if the dictionary has one.
    Upper,
    /// Starting a sentence, or in capitals: the most probable reading.
    Unknown,
}

/// Form entries: one 16-bit slot per reading (best, lower, upper); a slot
/// is the class (3 bits) and a lemma code (12 bits: 0 none, 1 the form
/// itself, k the term + ending k - 2); bit 15 marks a lower/upper slot
/// that differs from the best.
const SLOT: u64 = 0xffff;
const PRESENT: u64 = 0x8000;

fn decode(t: &Table, r: u64, folded: &str, term: &str) -> Reading {
    let lemma = match (r >> 3) & 0xfff {
        0 => None,
        1 => Some(folded.to_string()),
        k => t.endings.get(k as usize - 2).map(|e| format!("{term}{e}")),
    };
    Reading { pos: Pos::from_code(r), lemma }
}

/// The most probable reading of a folded word whose index term is `term`,
/// if the dictionary knows it.
pub fn reading(folded: &str, term: &str) -> Option<Reading> {
    reading_as(folded, term, Case::Unknown)
}

/// The reading of a folded word written as `case` (see [`Case`]). Not
/// memoised here: trending's candidates keep each word's readings with the
/// word (`topics::Info`), the one caller on a hot path.
pub fn reading_as(folded: &str, term: &str, case: Case) -> Option<Reading> {
    lookup(folded, term, case)
}

fn lookup(folded: &str, term: &str, case: Case) -> Option<Reading> {
    let t = table()?;
    if let Some(v) = t.map.get(folded) {
        let slot = match case {
            Case::Lower => (v >> 16) & SLOT,
            Case::Upper => (v >> 32) & SLOT,
            Case::Unknown => 0,
        };
        let r = if slot & PRESENT != 0 { slot & !PRESENT } else { v & SLOT };
        return Some(decode(t, r, folded, term));
    }
    let mut key = String::with_capacity(term.len() + 1);
    key.push(TERM_KEY);
    key.push_str(term);
    let v = t.map.get(&key)?;
    let ending = usize::try_from(v >> 3).ok().and_then(|i| i.checked_sub(1)).and_then(|i| t.endings.get(i));
    Some(Reading { pos: Pos::from_code(v), lemma: ending.map(|e| format!("{term}{e}")) })
}

/// Encodes one reading as a form entry's slot (for the table's builder):
/// `lemma_code` 0 for none, 1 for the form itself, k for the term + ending
/// k - 2.
pub fn slot(pos: Pos, lemma_code: u64) -> u64 {
    pos.code() | (lemma_code & 0xfff) << 3
}

/// A form entry's value from its slots (for the table's builder); `None`
/// for a reading equal to the best.
pub fn form_value(best: u64, lower: Option<u64>, upper: Option<u64>) -> u64 {
    let opt = |s: Option<u64>| s.map_or(0, |s| s | PRESENT);
    best | opt(lower) << 16 | opt(upper) << 32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(w: &str) -> Option<Reading> {
        let f = crate::lang::fold_word(w);
        let t = crate::lang::term_of_folded(&f);
        reading(&f, &t)
    }

    #[test]
    fn classes_and_lemmas() {
        for (w, pos, lemma) in [
            ("Уральска", Pos::Proper, Some("уральск")),
            ("Алматы", Pos::Proper, Some("алматы")),
            ("Газпромом", Pos::Proper, Some("газпром")),
            ("министерства", Pos::Noun, Some("министерство")),
            ("проводить", Pos::Verb, None),
            ("поручило", Pos::Verb, None),
            ("особенно", Pos::Adverb, None),
            ("какие", Pos::Pronoun, None),
        ] {
            let r = of(w).unwrap_or_else(|| panic!("{w} unknown"));
            assert_eq!((r.pos, r.lemma.as_deref()), (pos, lemma), "{w}");
        }
        assert_eq!(of("Шмырбдыщ"), None);
    }

    fn as_written(w: &str, case: Case) -> (Pos, Option<String>) {
        let f = crate::lang::fold_word(w);
        let t = crate::lang::term_of_folded(&f);
        let r = reading_as(&f, &t, case).unwrap_or_else(|| panic!("{w} unknown"));
        (r.pos, r.lemma)
    }

    /// pymorphy3's most probable parse, then the most probable one that
    /// fits how the word is written.
    #[test]
    fn a_homograph_reads_as_its_commonest_parse_that_fits_the_capitals() {
        let is = |pos, lemma: &str| (pos, Some(lemma.to_string()));
        for (w, unknown, lower, upper) in [
            // The gas's genitive (0.94), the Gaza Strip (0.06).
            ("газа", is(Pos::Noun, "газ"), is(Pos::Noun, "газ"), is(Pos::Proper, "газа")),
            // The towns' genitive plural (0.99), a surname (0.01).
            ("городов", is(Pos::Noun, "город"), is(Pos::Noun, "город"), is(Pos::Proper, "городов")),
            // Two names share the stem: the city (0.67) over the man's name.
            ("Астана", is(Pos::Proper, "астана"), is(Pos::Proper, "астана"), is(Pos::Proper, "астана")),
            ("Астане", is(Pos::Proper, "астана"), is(Pos::Proper, "астана"), is(Pos::Proper, "астана")),
            // No corpus estimate (0.5 each): the lemma the corpus sees more of.
            ("Астану", is(Pos::Proper, "астана"), is(Pos::Proper, "астана"), is(Pos::Proper, "астана")),
            ("Уральска", is(Pos::Proper, "уральск"), is(Pos::Proper, "уральск"), is(Pos::Proper, "уральск")),
            ("центр", is(Pos::Noun, "центр"), is(Pos::Noun, "центр"), is(Pos::Noun, "центр")),
        ] {
            assert_eq!(as_written(w, Case::Unknown), unknown, "{w}");
            assert_eq!(as_written(w, Case::Lower), lower, "{w} in lower case");
            assert_eq!(as_written(w, Case::Upper), upper, "{w} capitalised");
        }
        // A verb first, whatever the capitals; its name reading when capitalised.
        assert_eq!(as_written("стали", Case::Lower), (Pos::Verb, None));
        assert_eq!(as_written("Дали", Case::Upper), is(Pos::Proper, "дали"));
    }
}
