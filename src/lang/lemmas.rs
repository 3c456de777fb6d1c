//! Dictionary lemmas for Russian words the Snowball stemmer gets wrong.
//!
//! Why a table and not a morphology crate: `rsmorphy` (+ `rsmorphy-dict-ru`,
//! last released 2016/2017) builds, but loads its 7 MB gzipped OpenCorpora
//! dictionary at run time from an absolute path into the cargo registry
//! (`DICT_PATH`, written by its build script, `unwrap` on every file), takes
//! about 6 s to load in a debug build, and has no way to embed the data. So
//! the data is cut down at dev time instead (`tests/fixtures/morph/gen.py
//! lexicon` from pymorphy3's OpenCorpora dictionary, then the ignored test
//! `build_lemma_table` in tests/morph.rs): only nouns (common and proper)
//! and adjectives (143 000 lemmas), and of those only the forms whose term
//! differs from their own Snowball stem. A form maps to its lemma's stem; a
//! lemma whose stem collides with another's (Иванов / Иван, мировой / мир)
//! keeps its whole lemma as its term unless it is the stem's owner (a proper
//! name first, then the shortest), so derived words stay apart. Homographs
//! are resolved once, at build time (rules in tests/morph.rs). The result
//! is an `fst` map (form → index into `lemmas.txt`: 460 KB + 680 KB, about
//! 1.1 MB of binary), embedded with `include_bytes!`: no files at run time,
//! nothing to load but one `Map::new` check and a split of the term list.
//! An fst over all 2.6 million noun/adjective forms would be several times
//! larger, and the skipped forms are exactly those Snowball already gets.

use std::sync::OnceLock;

use fst::Map;

static FST: &[u8] = include_bytes!("lemmas.fst");
static TERMS: &str = include_str!("lemmas.txt");

struct Table {
    map: Map<&'static [u8]>,
    terms: Vec<&'static str>,
}

fn table() -> Option<&'static Table> {
    static T: OnceLock<Option<Table>> = OnceLock::new();
    T.get_or_init(|| {
        let map = Map::new(FST).ok()?;
        Some(Table { map, terms: TERMS.lines().collect() })
    })
    .as_ref()
}

/// The term of a folded Russian word form, if the table overrides its stem.
pub fn lookup(folded: &str) -> Option<&'static str> {
    let t = table()?;
    let i = t.map.get(folded)?;
    t.terms.get(usize::try_from(i).ok()?).copied()
}
