//! Topic candidates of an article: the names and noun phrases trending
//! counts, each under one key for all its inflections and with the form it
//! is shown in.
//!
//! Why here and not in `search::trending`: the counts are kept as articles
//! arrive (`store::topic_counts`, in the insert's transaction), so the store
//! needs the candidates, and the store sits below search. What is a
//! candidate follows the dictionary (`lang::pos`): proper names (any word
//! capitalised inside a sentence; runs of them such as «Северная Корея»,
//! «Касым-Жомарт Токаев»; a capitalised common word followed by nouns such
//! as «Министерство финансов»), nouns, and adjective + noun pairs of the
//! headline. Verbs, adverbs, pronouns, numerals, function words, dates and
//! stop words never are. Words the dictionary does not know count with a
//! low weight (Snowball's stem is all there is to go on).
//!
//! A homograph reads as it is written (`pos::Case`): «газа» in lower case
//! is the gas, «Газа» inside a sentence the Gaza Strip, and each is keyed
//! by its lemma, so the two never meet in one topic. Capitals that say
//! nothing (a shouted headline, the first word after an opening quote or
//! a colon) make a dictionary word a name only if it has a name reading.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::pos::{self, Case, Pos};
use super::{fold_word, is_stop_word, term_of_folded, word_ranges};

/// What a candidate is; decides its weight in scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A common noun.
    Word,
    /// A proper name: in the dictionary as one, or capitalised inside a sentence.
    Name,
    /// Adjective + noun from a headline («ядерная программа»).
    Phrase,
    /// A run of names, or a capitalised word with its nouns.
    Names,
    /// A word the dictionary does not know, written in lower case or at a
    /// sentence's start.
    Unknown,
    /// A word the dictionary does not know, capitalised inside a sentence.
    Entity,
}

impl Kind {
    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(c: i64) -> Kind {
        match c {
            0 => Kind::Word,
            1 => Kind::Name,
            2 => Kind::Phrase,
            3 => Kind::Names,
            5 => Kind::Entity,
            _ => Kind::Unknown,
        }
    }

    /// News trends are mostly about who and where; unknown words are a guess.
    /// Snowball alone decides its key, so one word may have two keys
    /// («Росатом» → росат, «Росатома» → росатом): trending merges them.
    pub fn stem_only(self) -> bool {
        matches!(self, Kind::Unknown | Kind::Entity)
    }

    pub fn weight(self) -> f64 {
        match self {
            Kind::Word => 1.0,
            Kind::Name | Kind::Entity => 1.3,
            Kind::Phrase => 1.1,
            Kind::Names => 1.4,
            Kind::Unknown => 0.3,
        }
    }
}

/// One topic candidate of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index terms joined by spaces: every inflection meets here.
    pub key: String,
    pub kind: Kind,
    /// How it is shown: the dictionary form, capitalised as the text writes it.
    pub form: String,
    /// Lower is a better `form`: 0 = a dictionary form, higher = a guess.
    pub rank: i64,
    /// Occurrences capitalised inside a sentence / written in lower case.
    pub upper: i64,
    pub lower: i64,
    pub in_title: bool,
}

/// Most candidates kept per article (the headline's first).
pub const MAX_PER_ARTICLE: usize = 120;
/// Body blocks read: the lead says what the article is about.
pub const LEAD_BLOCKS: usize = 3;

/// What [`words`] learns of a word as written without its context: news
/// repeats its words, so each is folded, stemmed and looked up once per
/// thread (that was a sixth of an import's work).
struct Info {
    folded: String,
    term: String,
    /// Not a stop word, a number or a calendar word; long enough (2 letters
    /// for an entity, else 3).
    plain: bool,
    short: bool,
    digits: bool,
    /// Its reading per [`Case`], as asked.
    readings: [OnceCell<Option<pos::Reading>>; 3],
}

/// Words kept per thread before the memo starts again.
const INFO_CACHE: usize = 100_000;

fn info(raw: &str) -> Rc<Info> {
    thread_local! {
        static MEMO: RefCell<HashMap<String, Rc<Info>, foldhash::fast::RandomState>> = Default::default();
    }
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(i) = m.get(raw) {
            return Rc::clone(i);
        }
        let folded = fold_word(raw);
        let term = term_of_folded(&folded);
        let n = folded.chars().count();
        let digits = folded.chars().all(|c| c.is_ascii_digit());
        let plain = !is_stop_word(&folded) && !digits && n >= 2 && !is_calendar_word(&folded);
        let i = Rc::new(Info { short: n < 3, folded, term, plain, digits, readings: Default::default() });
        if m.len() >= INFO_CACHE {
            m.clear();
        }
        m.insert(raw.to_string(), Rc::clone(&i));
        i
    })
}

impl Info {
    fn reading(&self, case: Case) -> Option<&pos::Reading> {
        let slot = match case {
            Case::Lower => 0,
            Case::Upper => 1,
            Case::Unknown => 2,
        };
        self.readings[slot].get_or_init(|| pos::reading_as(&self.folded, &self.term, case)).as_ref()
    }
}

struct W<'a> {
    raw: &'a str,
    info: Rc<Info>,
    /// How it is written: which of `info`'s readings is the word's.
    case: Case,
    pos: Option<Pos>,
    first: bool,
    joined: bool,
    hyphen: bool,
    entity: bool,
    /// Right after a number written in digits («14 человек», «5 лет»): a
    /// measure of a count, not what the article is about.
    counted: bool,
    /// Usable in a candidate at all.
    ok: bool,
}

impl W<'_> {
    fn lemma(&self) -> Option<&str> {
        self.info.reading(self.case).and_then(|r| r.lemma.as_deref())
    }

    /// What candidates are keyed by: the lemma of the word's reading (so
    /// газ and the name Газа, which share a term, stay apart), else the term.
    /// Borrowed from the memo: words are many, their candidates few.
    fn key(&self) -> &str {
        self.lemma().unwrap_or(&self.info.term)
    }
}

/// What the text between two words says.
struct Gap {
    /// A sentence ends.
    ends: bool,
    /// After an opening quote or a colon a capital may start a quote or a
    /// title: it marks a name only if the dictionary has one.
    opens: bool,
    /// Only spaces and hyphens: the words may be one name or phrase.
    joins: bool,
    hyphen: bool,
}

impl Gap {
    fn of(gap: &str) -> Gap {
        // Most gaps are one space.
        if gap == " " {
            return Gap { ends: false, opens: false, joins: true, hyphen: false };
        }
        Gap {
            ends: gap.contains(['.', '!', '?', '…', '\n']),
            opens: gap.ends_with(['"', '«', '“', '„', '(']) || gap.trim_end().ends_with(':'),
            joins: gap.chars().all(|c| c == ' ' || c == '-' || c == '\u{a0}'),
            hyphen: gap.contains('-'),
        }
    }
}

fn words(text: &str) -> Vec<W<'_>> {
    // About a word per 10 bytes of Cyrillic: one allocation, not a doubling.
    let mut out: Vec<W<'_>> = Vec::with_capacity(text.len() / 10 + 1);
    let mut prev_end = 0;
    for range in word_ranges(text) {
        let raw = &text[range.clone()];
        let info = info(raw);
        let gap = &text[prev_end..range.start];
        prev_end = range.end;
        if info.term.is_empty() {
            continue;
        }
        let g = Gap::of(gap);
        let first = out.is_empty() || g.ends;
        let opens = g.opens;
        let joined = !out.is_empty() && g.joins;
        let mut chars = raw.chars();
        let upper = chars.next().is_some_and(is_upper);
        let mixed = chars.clone().any(is_lower);
        // A homograph reads as written (see `pos::Case`); capitals and a
        // sentence's start say nothing, so the most probable reading.
        let case = match (upper, first || opens || !mixed) {
            (false, _) => Case::Lower,
            (true, true) => Case::Unknown,
            (true, false) => Case::Upper,
        };
        let pos = info.reading(case).map(|r| r.pos);
        let named = pos.is_none_or(|p| p == Pos::Proper);
        // ALL-CAPS headlines are not names; acronyms (ЕАЭС, НАТО) are, but
        // not a shouted common word («ЦЕНТР», «ГАЗА»: the gas).
        let entity = upper && !first && (mixed || raw.chars().count() <= 5) && (case == Case::Upper || named);
        let ok = info.plain && (entity || !info.short) && pos.is_none_or(Pos::is_nominal);
        // «в результате», «по словам»: the noun is part of a preposition.
        let ok = ok
            && !(joined && out.last().is_some_and(|p: &W<'_>| is_compound_preposition(&p.info.folded, &info.folded)));
        let hyphen = joined && g.hyphen;
        let counted = joined && !hyphen && out.last().is_some_and(|p: &W<'_>| p.info.digits);
        out.push(W { raw, info, case, pos, first, joined, hyphen, entity, counted, ok });
    }
    out
}

/// `char::is_uppercase`, the letters news is written in decided first
/// (Unicode's table look-up cost more than a word's other checks).
fn is_upper(c: char) -> bool {
    match c {
        'А'..='Я' | 'Ё' | 'A'..='Z' => true,
        'а'..='я' | 'ё' | 'a'..='z' | '0'..='9' => false,
        _ => c.is_uppercase(),
    }
}

/// `char::is_lowercase`, as [`is_upper`].
fn is_lower(c: char) -> bool {
    match c {
        'а'..='я' | 'ё' | 'a'..='z' => true,
        'А'..='Я' | 'Ё' | 'A'..='Z' | '0'..='9' => false,
        _ => c.is_lowercase(),
    }
}

/// Compound prepositions (производные предлоги), a closed class of the
/// grammar: a preposition and a noun form that together mean «because
/// of», «during», «according to» — never what an article is about.
fn is_compound_preposition(prep: &str, noun: &str) -> bool {
    const PAIRS: &[(&str, &[&str])] = &[
        (
            "в",
            &[
                "результате",
                "течение",
                "ходе",
                "связи",
                "рамках",
                "качестве",
                "целях",
                "случае",
                "отношении",
                "силу",
                "виде",
                "адрес",
                "пользу",
                "честь",
                "итоге",
                "условиях",
                "период",
                "сфере",
                "области",
                "размере",
                "сторону",
                "продолжение",
                "заключение",
                "отличие",
                "зависимости",
                "интересах",
            ],
        ),
        ("во", &["время", "избежание", "имя"]),
        (
            "по",
            &["словам", "данным", "мнению", "причине", "мере", "поводу", "отношению", "сравнению", "итогам", "сути"],
        ),
        ("на", &["фоне", "основе", "основании", "протяжении", "пути", "случай", "имя", "счет"]),
        ("за", &["счет", "исключением"]),
        ("с", &["помощью", "целью", "учетом", "точки"]),
        ("со", &["стороны"]),
        ("при", &["помощи", "поддержке", "участии", "условии"]),
        ("под", &["руководством", "видом", "предлогом"]),
    ];
    PAIRS.iter().any(|(p, nouns)| *p == prep && nouns.contains(&noun))
}

/// Month and weekday names and relative days: every news day has them.
fn is_calendar_word(folded: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "январ",
        "феврал",
        "март",
        "апрел",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
        "понедельник",
        "вторник",
        "четверг",
        "пятниц",
        "суббот",
        "воскресен",
    ];
    const WORDS: &[&str] = &["май", "мая", "мае", "среда", "среду", "среды", "среде", "сегодня", "вчера", "завтра"];
    PREFIXES.iter().any(|p| folded.starts_with(p)) || WORDS.contains(&folded)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    let Some(first) = c.next() else { return String::new() };
    // The rest copied whole, not char by char.
    let mut out = String::with_capacity(s.len() + 4);
    out.extend(first.to_uppercase());
    out.push_str(c.as_str());
    out
}

/// A word's display form and its rank (the form borrowed where it is
/// written or memoised: most occurrences only count).
fn word_form<'w>(w: &'w W<'_>) -> (Cow<'w, str>, i64) {
    let caps = w.raw.chars().nth(1).is_some() && !w.raw.chars().any(is_lower);
    let named = w.entity || w.pos == Some(Pos::Proper);
    match w.lemma() {
        // Written in its dictionary form inside a sentence: exactly as written.
        Some(l) if l == w.info.folded && w.entity => (Cow::Borrowed(w.raw), 0),
        // A lemma read off the term may be a homograph's: a form written
        // as its own dictionary form (rank 0) wins over it (rank 1).
        Some(l) => {
            let rank = i64::from(l != w.info.folded);
            if caps && named {
                // An acronym (НАТО, МАГАТЭ), or a shouted headline
                // («ГАЗПРОМ»): a form written in lower case beats the latter.
                (Cow::Owned(l.to_uppercase()), if l.chars().count() <= 6 { rank } else { 2 })
            } else if named {
                (Cow::Owned(capitalise(l)), rank)
            } else {
                (Cow::Borrowed(l), rank)
            }
        }
        // Not in the dictionary: the shortest form seen is most likely the
        // nominative; one only seen starting a sentence is a weaker guess.
        None => {
            let len = 100 + 2 * w.raw.chars().count() as i64;
            if w.entity {
                (Cow::Borrowed(w.raw), len)
            } else if w.first {
                (Cow::Owned(capitalise(&w.info.folded)), len + 1)
            } else {
                (Cow::Borrowed(w.info.folded.as_str()), len)
            }
        }
    }
}

fn single(w: &W<'_>) -> Option<Kind> {
    if !w.ok {
        return None;
    }
    match w.pos {
        Some(Pos::Proper) => Some(Kind::Name),
        Some(Pos::Adj) => None,
        Some(_) if w.entity => Some(Kind::Name),
        Some(Pos::Noun) if w.counted => None,
        Some(Pos::Noun) => Some(Kind::Word),
        None if w.entity => Some(Kind::Entity),
        None => Some(Kind::Unknown),
        _ => None,
    }
}

/// The end of a run of names starting at `i` (exclusive; `i + 1` if none):
/// capitalised words («Северная Корея»), or a capitalised common word with
/// the nouns after it («Министерство финансов»). At most four words.
fn run_end(ws: &[W<'_>], i: usize) -> usize {
    let w = &ws[i];
    // A sentence's first word starts a run when hyphenated to a name
    // («Касым-Жомарт»), or when a name or an adjective precedes one
    // («Северная Корея испытала...»).
    let next_name = ws.get(i + 1).is_some_and(|n| n.entity && n.joined);
    let upper = w.raw.starts_with(is_upper);
    let starts = w.entity
        || (w.first && ws.get(i + 1).is_some_and(|n| n.hyphen && n.entity))
        || (w.first && upper && next_name && matches!(w.pos, Some(Pos::Adj | Pos::Proper)));
    if !starts || !w.ok {
        return i + 1;
    }
    let common = w.entity && matches!(w.pos, Some(Pos::Noun | Pos::Adj));
    let mut j = i + 1;
    while j < ws.len() && j - i < 4 && ws[j].joined && ws[j].ok {
        let n = &ws[j];
        let lower_noun = common && !n.raw.starts_with(is_upper) && n.pos == Some(Pos::Noun);
        if !(n.entity || lower_noun) {
            break;
        }
        j += 1;
    }
    j
}

/// Rank of a phrase's form: 0 when its head noun is in the dictionary form.
fn head_rank(head: &W<'_>) -> i64 {
    match head.lemma() {
        Some(l) if l == head.info.folded => 0,
        Some(_) => 1,
        None => 10,
    }
}

fn phrase(text: &str, span: &[W<'_>], kind: Kind, head: &W<'_>) -> (String, Kind, String, i64) {
    let key = span.iter().map(W::key).collect::<Vec<_>>().join(" ");
    let start = span[0].raw.as_ptr() as usize - text.as_ptr() as usize;
    let last = &span[span.len() - 1];
    let end = last.raw.as_ptr() as usize - text.as_ptr() as usize + last.raw.len();
    let mut form = text[start..end].to_string();
    let name_follows = span.get(1).is_some_and(|w| w.entity);
    if span[0].first && !span[0].entity && span[0].pos != Some(Pos::Proper) && !name_follows {
        form = span[0].raw.to_lowercase() + &text[start + span[0].raw.len()..end];
    }
    (key, kind, form, head_rank(head))
}

/// Every candidate occurrence of one text: (key, kind, form, rank, word).
fn visit(text: &str, headline: bool, mut f: impl FnMut(Cow<'_, str>, Kind, Cow<'_, str>, i64, Option<&W<'_>>)) {
    let ws = words(text);
    let mut i = 0;
    while i < ws.len() {
        let j = run_end(&ws, i);
        if j - i >= 2 {
            let common = matches!(ws[i].pos, Some(Pos::Noun | Pos::Adj)) && !ws[i + 1].entity;
            let head = if common { &ws[i] } else { &ws[j - 1] };
            let (k, kind, form, rank) = phrase(text, &ws[i..j], Kind::Names, head);
            f(Cow::Owned(k), kind, Cow::Owned(form), rank, None);
        }
        i = if j - i >= 2 { j } else { i + 1 };
    }
    if headline {
        for k in 1..ws.len() {
            let (a, n) = (&ws[k - 1], &ws[k]);
            let names = a.entity && n.entity;
            if n.joined
                && a.ok
                && n.ok
                && !names
                && a.pos == Some(Pos::Adj)
                && matches!(n.pos, Some(Pos::Noun | Pos::Proper))
            {
                let (k, kind, form, rank) = phrase(text, &ws[k - 1..=k], Kind::Phrase, n);
                f(Cow::Owned(k), kind, Cow::Owned(form), rank, None);
            }
        }
    }
    for w in &ws {
        if let Some(kind) = single(w) {
            let (form, rank) = word_form(w);
            f(Cow::Borrowed(w.key()), kind, form, rank, Some(w));
        }
    }
}

/// The candidates of an article (headline and lead), one per key.
pub fn candidates<'a>(title: &str, blocks: impl IntoIterator<Item = &'a str>) -> Vec<Candidate> {
    // Sized for a typical article's candidates: no growing and rehashing.
    let mut out: Vec<Candidate> = Vec::with_capacity(64);
    let mut index: HashMap<String, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(64, Default::default());
    let lead: Vec<&str> = blocks.into_iter().take(LEAD_BLOCKS).collect();
    for (t, text) in std::iter::once(title).chain(lead).enumerate() {
        visit(text, t == 0, |key, kind, form, rank, w| {
            let upper = i64::from(w.is_some_and(|w| w.entity));
            let lower = i64::from(w.is_some_and(|w| w.raw.starts_with(is_lower)));
            match index.get(key.as_ref()) {
                Some(&i) => {
                    let c = &mut out[i];
                    if rank < c.rank {
                        (c.form, c.rank) = (form.into_owned(), rank);
                    }
                    c.upper += upper;
                    c.lower += lower;
                }
                None if out.len() < MAX_PER_ARTICLE => {
                    // The key is the index's until the end: no copy.
                    index.insert(key.into_owned(), out.len());
                    let key = String::new();
                    out.push(Candidate { key, kind, form: form.into_owned(), rank, upper, lower, in_title: t == 0 });
                }
                None => {}
            }
        });
    }
    for (key, i) in index {
        out[i].key = key;
    }
    out
}

/// How a candidate is shown given all its occurrences: a word written in
/// lower case more often than capitalised inside a sentence is not a name.
pub fn display(kind: Kind, form: &str, upper: i64, lower: i64) -> String {
    if matches!(kind, Kind::Word | Kind::Unknown | Kind::Name | Kind::Entity) && lower > upper {
        form.to_lowercase()
    } else {
        form.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(title: &str, body: &str) -> Vec<(String, String)> {
        candidates(title, [body]).into_iter().map(|c| (c.form, c.key)).collect()
    }

    fn forms(title: &str, body: &str) -> Vec<String> {
        keys(title, body).into_iter().map(|k| k.0).collect()
    }

    #[test]
    fn inflections_merge_into_the_dictionary_form_capitalised_as_written() {
        let a = candidates("Пожар под Уральском", ["В Уральске горел склад. Жители Уральска эвакуированы."]);
        let b = candidates("Росатом построит станцию", ["Глава Росатома заявил, что Росатому нужны кадры."]);
        let ural: Vec<&Candidate> = a.iter().filter(|c| c.form == "Уральск").collect();
        assert_eq!(ural.len(), 1, "{a:?}");
        assert!(a.iter().all(|c| !c.form.contains("Уральска")), "{a:?}");
        // Росатом is not in the dictionary: Snowball gives the nominative
        // another stem (росат), so trending merges the two keys; the
        // inflected ones meet here, capitalised as written.
        let ros: Vec<&Candidate> = b.iter().filter(|c| c.key == crate::lang::term("Росатома")).collect();
        assert_eq!(ros.len(), 1);
        assert_eq!((ros[0].kind, ros[0].upper), (Kind::Entity, 1), "capitalised inside a sentence");
        let nom = b.iter().find(|c| c.key == crate::lang::term("Росатом")).unwrap();
        assert_eq!((nom.form.as_str(), nom.kind), ("Росатом", Kind::Unknown));
        assert!(nom.rank < ros[0].rank, "the shortest form is the better guess");
    }

    #[test]
    fn common_nouns_are_lower_case_names_keep_capitals_acronyms_stay_upper() {
        let f = forms("Станции проверят", "Эксперты МАГАТЭ и НАТО приехали в Алматы. Станции работают.");
        assert!(f.contains(&"станция".to_string()), "{f:?}");
        for want in ["МАГАТЭ", "НАТО", "Алматы"] {
            assert!(f.contains(&want.to_string()), "{want}: {f:?}");
        }
    }

    #[test]
    fn verbs_adverbs_pronouns_numerals_and_dates_are_never_candidates() {
        let f = forms(
            "Наверное, особенно важно помочь",
            "Скажите, какие люди будут проводить три встречи 5 мая? Министерство поручило это сделать.",
        );
        for gone in ["наверное", "особенно", "помочь", "скажите", "какие", "проводить", "поручить", "три", "май", "5"]
        {
            assert!(!f.iter().any(|x| x.to_lowercase() == gone), "{gone}: {f:?}");
        }
        assert!(f.contains(&"встреча".to_string()), "{f:?}");
    }

    #[test]
    fn a_noun_counted_in_digits_is_a_measure_not_a_topic() {
        let f = forms("Пострадали 14 человек", "Эвакуировали 300 жителей. За 5 лет построили три школы.");
        for gone in ["человек", "житель", "год"] {
            assert!(!f.iter().any(|x| x == gone), "{gone}: {f:?}");
        }
        // The same nouns uncounted stay, and so do names after a number.
        let f = forms("Жители недовольны", "Человек вышел к жителям. В 2026 Казахстан открыл три школы.");
        for kept in ["житель", "человек", "Казахстан", "школа"] {
            assert!(f.iter().any(|x| x == kept), "{kept}: {f:?}");
        }
    }

    #[test]
    fn nouns_of_compound_prepositions_are_not_topics() {
        let f = forms("В результате обвала", "По словам спасателей, в течение дня работы шли на фоне дождя.");
        for gone in ["результат", "слово", "течение", "фон"] {
            assert!(!f.iter().any(|x| x == gone), "{gone}: {f:?}");
        }
        // The same nouns on their own stay.
        let f = forms("Результат выборов", "Спасатели назвали слово дня.");
        assert!(f.iter().any(|x| x == "результат") && f.iter().any(|x| x == "слово"), "{f:?}");
    }

    #[test]
    fn name_runs_and_headline_phrases() {
        let f = forms(
            "Северная Корея испытала новую ракету",
            "Об этом сообщило Министерство финансов. Президент Касым-Жомарт Токаев прибыл в Северную Корею.",
        );
        for want in ["Северная Корея", "Министерство финансов", "Касым-Жомарт Токаев", "новую ракету"]
        {
            assert!(f.contains(&want.to_string()), "{want}: {f:?}");
        }
        assert!(!f.contains(&"Северную Корею".to_string()), "one key for both cases: {f:?}");
    }

    #[test]
    fn homographs_read_as_written_and_capitals_alone_do_not_make_a_name() {
        let kind = |title: &str, body: &str, form: &str| {
            let c = candidates(title, [body]);
            c.iter()
                .find(|c| c.form == form)
                .map(|c| (c.kind, c.key.clone()))
                .unwrap_or_else(|| panic!("{form}: {c:?}"))
        };
        // The gas in lower case, the Gaza Strip capitalised: two topics.
        let body = "Поставки газа сокращены. Израиль обстрелял сектор Газа.";
        let (gas, gaza) = (kind("Цены на газ", body, "газ"), kind("Цены на газ", body, "Газа"));
        assert_eq!((gas.0, gaza.0), (Kind::Word, Kind::Name));
        assert_ne!(gas.1, gaza.1);
        // A shouted headline, a quoted title's first word: common nouns.
        assert_eq!(kind("«ГАЗПРОМ» ПРЕКРАТИЛ ПОСТАВКИ ГАЗА", "", "газ").0, Kind::Word);
        assert_eq!(kind("КРИЗИСНЫЙ ЦЕНТР ДЛЯ ЖЕНЩИН", "", "центр").0, Kind::Word);
        assert_eq!(kind("Дело", "Возбуждено дело по статье \"Изготовление, хранение\".", "изготовление").0, Kind::Word);
        assert_eq!(kind("«Газпром» и Украина", "", "Газпром").0, Kind::Name);
        // The commonest parse: towns, not the surname; Астана, not Астан.
        assert_eq!(kind("Жители городов", "", "город").0, Kind::Word);
        let f = forms("Глава Росатома прибыл в Астану", "Соглашение подписано в Астане.");
        assert!(f.contains(&"Астана".to_string()) && !f.iter().any(|x| x == "Астан"), "{f:?}");
    }

    #[test]
    fn capitalise_upper_cases_the_first_letter_only() {
        for (s, want) in [("", ""), ("астана", "Астана"), ("ǆemal", "Ǆemal"), ("ßa", "SSa"), ("iPhone", "IPhone")]
        {
            assert_eq!(capitalise(s), want);
        }
    }

    #[test]
    fn case_checks_agree_with_unicode() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            assert_eq!((is_upper(c), is_lower(c)), (c.is_uppercase(), c.is_lowercase()), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn display_follows_how_the_archive_writes_a_word() {
        assert_eq!(display(Kind::Name, "Мир", 1, 5), "мир");
        assert_eq!(display(Kind::Name, "Газпром", 9, 0), "Газпром");
        assert_eq!(display(Kind::Names, "Северная Корея", 0, 0), "Северная Корея");
    }
}
