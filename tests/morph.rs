//! Russian morphology through the real index and query: a table of inflected
//! forms generated from the OpenCorpora dictionary over real nouns of the
//! news corpus (tests/fixtures/morph, see its README), not hand-picked.
//! Every form of a noun must find the article holding any other form of it;
//! derivationally related words with another lemma (мир / мировой,
//! Иван / Иванов) must not.

use std::collections::{BTreeMap, HashMap, HashSet};

use svodka::model::{NewArticle, Stamp};
use svodka::search;
use svodka::store::Store;
use time::macros::datetime;

const FORMS: &str = include_str!("fixtures/morph/forms.tsv");

/// Split of the table: tuned against, or held out (chosen by hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Split {
    Dev,
    Held,
}

struct Table {
    /// (split, lemma) → its forms.
    nouns: BTreeMap<(Split, String), Vec<String>>,
    /// (split, noun lemma, near lemma) → the near lemma's forms.
    near: BTreeMap<(Split, String, String), Vec<String>>,
}

fn table() -> Table {
    let mut t = Table { nouns: BTreeMap::new(), near: BTreeMap::new() };
    for line in FORMS.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let split = if f[0] == "held" { Split::Held } else { Split::Dev };
        match f[1].strip_prefix("near:") {
            Some(noun) => {
                t.near.entry((split, noun.into(), f[2].into())).or_default().push(f[3].into());
            }
            None => t.nouns.entry((split, f[2].into())).or_default().push(f[3].into()),
        }
    }
    t
}

/// One article per (lemma, form), the form as its whole title.
/// Article id → the (split, lemma) whose form it holds, in upsert order.
type Owners = Vec<(i64, (Split, String))>;

fn archive(t: &Table) -> (tempfile::TempDir, Store, Owners) {
    let now = datetime!(2026-03-14 12:00 UTC);
    let mut keys = Vec::new();
    let mut arts = Vec::new();
    for ((split, lemma), forms) in &t.nouns {
        for form in forms {
            keys.push((*split, lemma.clone()));
            arts.push(NewArticle {
                title: form.clone(),
                site: Some("Тест".into()),
                url: Some(format!("https://example.kz/{}", arts.len())),
                published: Some(Stamp::DateTime(now)),
                ..NewArticle::default()
            });
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let ups = store.upsert_articles(&arts, now).unwrap();
    let owner = ups.iter().map(|u| u.id()).zip(keys).collect();
    (dir, store, owner)
}

fn found(store: &Store, q: &str) -> HashSet<i64> {
    search::search(store, q, 10_000).unwrap().into_iter().map(|h| h.id).collect()
}

#[derive(Default)]
struct Score {
    pairs: usize,
    hits: usize,
    missed: Vec<String>,
}

impl Score {
    fn rate(&self) -> f64 {
        100.0 * self.hits as f64 / self.pairs.max(1) as f64
    }
}

#[test]
fn forms_find_each_other_and_near_misses_stay_apart() {
    let t = table();
    let (_dir, store, owner) = archive(&t);
    let mut recall: BTreeMap<Split, Score> = BTreeMap::new();
    let mut near: BTreeMap<Split, Score> = BTreeMap::new();
    // Recall: each query form against every article of the lemma holding another form.
    let mut ids_of: HashMap<(Split, &str), Vec<i64>> = HashMap::new();
    // In upsert order, which is the order of each lemma's forms.
    for (id, (split, lemma)) in &owner {
        ids_of.entry((*split, lemma.as_str())).or_default().push(*id);
    }
    for ((split, lemma), forms) in &t.nouns {
        let ids = &ids_of[&(*split, lemma.as_str())];
        for (qi, q) in forms.iter().enumerate() {
            let got = found(&store, q);
            let s = recall.entry(*split).or_default();
            for (ai, id) in ids.iter().enumerate() {
                if ai != qi {
                    s.pairs += 1;
                    if got.contains(id) {
                        s.hits += 1;
                    } else {
                        s.missed.push(format!("{q}→{}", forms[ai]));
                    }
                }
            }
        }
    }
    // Near misses: a form of the related word must find no article of the noun.
    for ((split, noun, other), forms) in &t.near {
        let Some(ids) = ids_of.get(&(*split, noun.as_str())) else { continue };
        let own: HashSet<String> =
            t.nouns[&(*split, noun.clone())].iter().map(|f| f.to_lowercase().replace('ё', "е")).collect();
        for q in forms.iter().filter(|f| !own.contains(&f.replace('ё', "е"))) {
            let got = found(&store, q);
            let s = near.entry(*split).or_default();
            s.pairs += 1;
            if ids.iter().any(|id| got.contains(id)) {
                s.hits += 1;
                s.missed.push(format!("{q}~{noun} ({other})"));
            }
        }
    }
    for split in [Split::Dev, Split::Held] {
        let (r, n) = (&recall[&split], &near[&split]);
        let nouns = t.nouns.keys().filter(|k| k.0 == split).count();
        println!(
            "{split:?}: {nouns} nouns, recall {:.2} % of {} pairs; near-miss hits {:.2} % of {} queries",
            r.rate(),
            r.pairs,
            n.rate(),
            n.pairs
        );
        println!("  missed: {}", r.missed.iter().take(400).cloned().collect::<Vec<_>>().join(" "));
        println!("  near hits: {}", n.missed.iter().take(40).cloned().collect::<Vec<_>>().join(" "));
    }
    for split in [Split::Dev, Split::Held] {
        assert!(recall[&split].rate() >= 98.0, "{split:?} recall {:.2} %", recall[&split].rate());
        assert!(near[&split].rate() <= 5.0, "{split:?} near-miss hits {:.2} %", near[&split].rate());
    }
}

#[derive(Default)]
struct Lemma {
    noun: bool,
    proper: bool,
    surname: bool,
    forms: Vec<String>,
}

/// One lemma a form can belong to.
struct Reading<'a> {
    lemma: &'a str,
    owns: bool,
    l: &'a Lemma,
}

/// The lemma of a homograph: the lemma owning its stem over a derived one
/// (Вячеслава is Вячеслав's genitive before it is a name), nouns over
/// adjectives, the shorter lemma. Preferring proper names for every form
/// (Тур, Городов, Боев) or a surname in its nominative (Марков over Марк's
/// genitive plural) was tried and lost more than it won on the dev set.
fn best_reading<'a>(rs: &[Reading<'a>]) -> &'a str {
    let best = rs.iter().min_by_key(|r| (!r.owns, !r.l.noun, r.lemma.len(), r.lemma));
    best.map(|r| r.lemma).unwrap_or_default()
}

/// Builds src/lang/lemmas.{fst,txt} from `gen.py lexicon` output (path in
/// `SVODKA_LEXICON`): dev-time only, so it is ignored by default. See the
/// doc of `svodka::lang` (lemmas) for the rules.
#[test]
#[ignore]
fn build_lemma_table() {
    use svodka::lang::{fold_word, russian_stem};
    let path = std::env::var("SVODKA_LEXICON").expect("SVODKA_LEXICON=lexicon.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lemmas: BTreeMap<String, Lemma> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let (form, lemma) = (fold_word(f[0]), fold_word(f[1]));
        if !form.chars().all(|c| matches!(c, 'а'..='я')) || !lemma.chars().all(|c| matches!(c, 'а'..='я')) {
            continue;
        }
        let e = lemmas.entry(lemma).or_default();
        e.noun |= f[2] != "ADJF";
        e.proper |= f[2] == "SURN" || f[2] == "PROP";
        e.surname |= f[2] == "SURN";
        e.forms.push(form);
    }
    // One lemma of each stem owns the stem, the others keep their lemma: a
    // proper name first (Астана over the rare астан, whose forms it shares),
    // then the shortest (Иван over Иванов, мир over мировой).
    let mut owner: HashMap<String, &str> = HashMap::new();
    for lemma in lemmas.keys() {
        let o = owner.entry(russian_stem(lemma)).or_insert(lemma);
        let key = |x: &str| (!lemmas[x].proper, x.len(), x.to_string());
        if key(lemma) < key(o) {
            *o = lemma;
        }
    }
    let mut term_of: HashMap<&str, String> = HashMap::new();
    let mut readings: BTreeMap<&str, Vec<Reading>> = BTreeMap::new();
    for (lemma, l) in &lemmas {
        let s = russian_stem(lemma);
        let owns = owner[&s] == lemma.as_str();
        term_of.insert(lemma, if owns { s } else { lemma.clone() });
        for f in &l.forms {
            readings.entry(f).or_default().push(Reading { lemma, owns, l });
        }
    }
    let best: BTreeMap<&str, &str> = readings.iter().map(|(f, rs)| (*f, best_reading(rs))).collect();
    // A lemma whose own dictionary form reads as another lemma (астана as
    // астан's genitive) joins that lemma, or its forms would split in two;
    // not surnames, which would join first names (Иванов as Иван's genitive plural).
    for (lemma, l) in &lemmas {
        if let Some(&other) = best.get(lemma.as_str())
            && other != lemma.as_str()
            && !l.surname
        {
            let t = term_of[other].clone();
            term_of.insert(lemma, t);
        }
    }
    let mut terms: Vec<String> = Vec::new();
    let mut index: HashMap<String, u64> = HashMap::new();
    let mut b = fst::MapBuilder::memory();
    for (form, lemma) in best {
        let term = term_of[lemma].clone();
        if term == russian_stem(form) {
            continue;
        }
        let n = index.len() as u64;
        let i = *index.entry(term.clone()).or_insert_with(|| {
            terms.push(term);
            n
        });
        b.insert(form, i).unwrap();
    }
    let bytes = b.into_inner().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lang");
    std::fs::write(dir.join("lemmas.fst"), &bytes).unwrap();
    std::fs::write(dir.join("lemmas.txt"), terms.join("\n") + "\n").unwrap();
    println!("{} lemmas, {} terms, fst {} bytes", lemmas.len(), terms.len(), bytes.len());
}

/// Migration 7: an archive indexed with the old terms is re-indexed once.
#[test]
fn migration_reindexes_with_dictionary_terms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let now = datetime!(2026-03-14 12:00 UTC);
    {
        let mut store = Store::open(&db).unwrap();
        let a = NewArticle { title: "Сделка с Газпромом".into(), ..NewArticle::default() };
        store.upsert_articles(&[a], now).unwrap();
    }
    {
        // As version 6 left it: an index row holding terms of the past.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "DELETE FROM search_fts; INSERT INTO search_fts(rowid, title, body) VALUES(1, 'сделк с газпромом', '');
             PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    let hits: Vec<i64> = search::search(&store, "Газпром", 10).unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(hits, [1]);
    assert!(store.check_index(true).unwrap().is_consistent());
}

/// Dev aid: prints the term of each word in `SVODKA_WORDS`.
#[test]
#[ignore]
fn show_terms() {
    for w in std::env::var("SVODKA_WORDS").unwrap_or_default().split_whitespace() {
        println!("{w} → {}", svodka::lang::term(w));
    }
}

/// Builds `src/lang/pos.{fst,txt}` (coarse parts of speech, see
/// `lang::pos`) from `gen.py pos` output:
/// `SVODKA_POS=/tmp/pos.tsv cargo test --test morph build_pos_table -- --ignored`.
#[test]
#[ignore = "writes src/lang/pos.fst; needs SVODKA_POS"]
fn build_pos_table() {
    use svodka::lang::pos::{self, Pos};
    use svodka::lang::{fold_word, term};
    let path = std::env::var("SVODKA_POS").expect("SVODKA_POS=pos.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let russian = |w: &str| !w.is_empty() && w.chars().all(|c| matches!(c, 'а'..='я' | '-'));
    type R = (Pos, Option<String>);
    let read = |s: &str| -> R {
        let (cls, lemma) = s.split_once(':').map_or((s, None), |(c, l)| (c, Some(fold_word(l))));
        let pos = match cls {
            "noun" => Pos::Noun,
            "adj" => Pos::Adj,
            "proper" => Pos::Proper,
            "verb" => Pos::Verb,
            "adverb" => Pos::Adverb,
            "pronoun" => Pos::Pronoun,
            "numeral" => Pos::Numeral,
            _ => Pos::Other,
        };
        (pos, lemma)
    };
    // form → (term, best, lower, upper); lower/upper None when equal to best.
    let mut forms: BTreeMap<String, (String, R, Option<R>, Option<R>)> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let word = fold_word(f[1]);
        if f[0] != "R" || f.len() < 5 || !russian(&word) || forms.contains_key(&word) {
            continue;
        }
        let opt = |s: &str| (!s.is_empty()).then(|| read(s));
        forms.insert(word.clone(), (term(&word), read(f[2]), opt(f[3]), opt(f[4])));
    }
    // Each term's default: the reading most of its forms have in every
    // case; then names over nouns over adjectives, the shorter lemma.
    let mut votes: HashMap<&str, HashMap<&R, usize>> = HashMap::new();
    for (t, best, lower, upper) in forms.values() {
        let expressible = best.1.as_deref().is_some_and(|l| l.starts_with(t.as_str()));
        if best.0.is_nominal() && expressible && lower.is_none() && upper.is_none() {
            *votes.entry(t).or_default().entry(best).or_default() += 1;
        }
    }
    let rank = |p: Pos| match p {
        Pos::Proper => 0,
        Pos::Noun => 1,
        _ => 2,
    };
    let defaults: BTreeMap<&str, &R> = votes
        .iter()
        .map(|(t, v)| {
            let best = v
                .iter()
                .min_by_key(|(r, n)| (std::cmp::Reverse(**n), rank(r.0), r.1.as_ref().map(String::len), r.1.clone()));
            (*t, best.unwrap().0 as &R)
        })
        .collect();
    let mut endings: Vec<String> = Vec::new();
    let mut ending_ix: HashMap<String, u64> = HashMap::new();
    let mut ending = |end: &str| -> u64 {
        let n = ending_ix.len() as u64;
        *ending_ix.entry(end.to_string()).or_insert_with(|| {
            endings.push(end.to_string());
            n
        })
    };
    let mut entries: BTreeMap<String, u64> = BTreeMap::new();
    for (t, (p, lemma)) in &defaults {
        let code = lemma.as_deref().and_then(|l| l.strip_prefix(*t)).map_or(0, |end| (ending(end) + 1) << 3);
        entries.insert(format!("{}{t}", pos::TERM_KEY), code | p.code());
    }
    let (mut other, mut homographs, mut lost) = (0, 0, Vec::new());
    for (form, (t, best, lower, upper)) in &forms {
        if lower.is_none() && upper.is_none() && defaults.get(t.as_str()).is_some_and(|d| *d == best) {
            continue;
        }
        let mut slot = |r: &R| {
            let code = match r.1.as_deref() {
                None => 0,
                Some(l) if l == form => 1,
                Some(l) => match l.strip_prefix(t.as_str()) {
                    Some(end) => ending(end) + 2,
                    None => {
                        lost.push(format!("{form}→{l}"));
                        0
                    }
                },
            };
            assert!(code < 0xfff, "too many endings");
            pos::slot(r.0, code)
        };
        let v = pos::form_value(slot(best), lower.as_ref().map(&mut slot), upper.as_ref().map(&mut slot));
        if best.0.is_nominal() || lower.is_some() || upper.is_some() {
            homographs += 1;
        } else {
            other += 1;
        }
        entries.insert(form.clone(), v);
    }
    let mut b = fst::MapBuilder::memory();
    for (k, v) in &entries {
        b.insert(k, *v).unwrap();
    }
    let bytes = b.into_inner().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lang");
    std::fs::write(dir.join("pos.fst"), &bytes).unwrap();
    std::fs::write(dir.join("pos_endings.txt"), endings.join("\n") + "\n").unwrap();
    println!(
        "{} forms, {} terms, {other} other forms, {homographs} nominal forms apart from their term, \
         {} lemmas not expressible ({:?}...), {} endings, fst {} bytes",
        forms.len(),
        defaults.len(),
        lost.len(),
        &lost[..lost.len().min(12)],
        endings.len(),
        bytes.len()
    );
}

/// Rebuilds `src/lang/everyday.fst`, the everyday shares of common nouns
/// (see `svodka::lang::everyday`), from `gen.py everyday`:
/// `SVODKA_EVERYDAY=/tmp/everyday.tsv cargo test --test morph build_everyday_table -- --ignored`.
#[test]
#[ignore = "writes src/lang/everyday.fst; needs SVODKA_EVERYDAY"]
fn build_everyday_table() {
    use svodka::lang::everyday;
    let path = std::env::var("SVODKA_EVERYDAY").expect("SVODKA_EVERYDAY=everyday.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    // Keyed as trending keys a common noun: its folded lemma.
    let mut per_lemma: BTreeMap<String, f64> = BTreeMap::new();
    for line in text.lines() {
        let Some((lemma, f)) = line.split_once('\t') else { continue };
        *per_lemma.entry(svodka::lang::fold_word(lemma)).or_default() += f.parse::<f64>().unwrap();
    }
    let mut b = fst::MapBuilder::memory();
    let mut kept = 0;
    for (t, f) in &per_lemma {
        let ppm = everyday::to_ppm(everyday::article_share(*f));
        if ppm >= everyday::MIN_PPM {
            b.insert(t, ppm).unwrap();
            kept += 1;
        }
    }
    let bytes = b.into_inner().unwrap();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lang/everyday.fst");
    std::fs::write(out, &bytes).unwrap();
    eprintln!("{kept} of {} lemmas, {} bytes", text.lines().count(), bytes.len());
}
