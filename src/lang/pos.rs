//! Coarse parts of speech from the dictionary, for trending: a topic is a
//! name or a noun phrase, never a verb, adverb, pronoun or numeral, and it
//! is shown in its dictionary form («Уральск», not «Уральска»).
//!
//! Why this shape: the data is cut down from pymorphy3's OpenCorpora
//! dictionary at dev time (`tests/fixtures/morph/gen.py pos`, then the
//! ignored test `build_pos_table` in tests/morph.rs) into one embedded `fst`
//! map with two kinds of key:
//! - `\x01` + an index term (see [`super::term`]) of a noun or adjective
//!   lemma → its class and the ending that turns the term back into the
//!   lemma (term «уральск» + "" = «уральск», term «росат» + «ом»). Keying by
//!   term, not by form, covers every case form with one entry per lemma.
//! - a folded word form whose best reading is a verb, adverb, pronoun,
//!   numeral or function word → that class. Only those forms are listed
//!   (participles are left out: 1.8 million forms). Also listed, with bit
//!   3 set, noun lemmas whose term another lemma owns (Алматы, whose term
//!   is the name Алмат's): the word is its own dictionary form.
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

/// The reading of a folded word whose index term is `term`, if the
/// dictionary knows it.
pub fn reading(folded: &str, term: &str) -> Option<Reading> {
    let t = table()?;
    if let Some(v) = t.map.get(folded) {
        let lemma = (v & 8 != 0).then(|| folded.to_string());
        return Some(Reading { pos: Pos::from_code(v), lemma });
    }
    let mut key = String::with_capacity(term.len() + 1);
    key.push(TERM_KEY);
    key.push_str(term);
    let v = t.map.get(&key)?;
    let ending = usize::try_from(v >> 3).ok().and_then(|i| i.checked_sub(1)).and_then(|i| t.endings.get(i));
    Some(Reading { pos: Pos::from_code(v), lemma: ending.map(|e| format!("{term}{e}")) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(w: &str) -> Option<Reading> {
        let f = crate::lang::fold_word(w);
        let t = crate::lang::term_of_folded(f.clone());
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
}
