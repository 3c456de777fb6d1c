//! Computed trends: the terms and short phrases whose share of articles in
//! the recent window rises most against the rest of the archive.
//!
//! Terms are the index's own (folded, stemmed), so «Токаев», «Токаева» and
//! «Токаеву» are one topic, shown in the form the articles use most. Stop
//! words never form a topic. Named entities (capitalised words inside a
//! sentence, such as «Алматы», «Токаев») are kept whole: displayed as
//! written, never dropped for being short, and runs of them («Касым-Жомарт
//! Токаев») form phrases. Phrases (two adjacent words) come from headlines.
//!
//! The window ends at the newest article (or now, if that is earlier): an
//! offline archive last synced a week ago still has a "today". The baseline
//! is everything older, read from an even sample of older articles through
//! the same code as the window, so words and phrases are counted alike.
//! (fts5vocab looked cheaper, but a per-term lookup measured 30–40 ms on an
//! unoptimised 100 000-article index, and it cannot count phrases.)

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::SearchError;
use crate::lang;
use crate::store::Store;

/// A computed topic (`svodka trending`, `source: "computed"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub topic: String,
    pub score: f64,
    /// Articles in the window that mention it.
    pub articles: i64,
    /// The most telling headline: one that names the topic, most viewed, newest.
    pub headline: String,
    pub article_id: i64,
    /// The topic's terms, for filtering the list (`search::search` on them).
    #[serde(skip)]
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}: not a window (use a number and h, d or w, as in 24h or 7d)")]
pub struct BadWindow(pub String);

/// Parses `24h`, `7d`, `2w`, `90m` into seconds.
pub fn parse_window(s: &str) -> Result<i64, BadWindow> {
    let s = s.trim();
    let bad = || BadWindow(s.to_string());
    let unit = s.chars().last().ok_or_else(bad)?;
    let n: i64 = s[..s.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
    let secs = match unit {
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return Err(bad()),
    };
    n.checked_mul(secs).filter(|&v| v > 0).ok_or_else(bad)
}

/// Computed topics for the window (seconds) ending at the newest article.
pub fn computed(store: &Store, window: i64, limit: usize) -> Result<Vec<Topic>, SearchError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    computed_at(store, window, now, limit)
}

/// A candidate topic while scanning the window.
#[derive(Default)]
struct Cand {
    /// Articles in the window that contain it.
    df: i64,
    /// Surface forms and how often each was seen.
    forms: HashMap<String, u32>,
    entity: u32,
    /// Occurrences written in lower case: a word that is ever written so
    /// is not a name.
    lower: u32,
    /// Best headline so far: (named in title, views, sort_key, id).
    best: Option<(bool, i64, i64, i64)>,
    terms: Vec<String>,
}

#[derive(Clone)]
struct Word<'a> {
    range: std::ops::Range<usize>,
    term: String,
    text: &'a str,
    stop: bool,
    entity: bool,
    /// Starts a sentence (or the text), so its capital says nothing.
    first: bool,
    /// Joined to the previous word by only spaces or a hyphen.
    joined: bool,
    /// Joined to the previous word by a hyphen («Касым-Жомарт»).
    hyphen: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    let mut prev_end = 0;
    for range in lang::word_ranges(text) {
        let raw = &text[range.clone()];
        let folded = lang::fold_word(raw);
        let stop = lang::is_stop_word(&folded);
        let term = lang::term_of_folded(folded);
        if term.is_empty() {
            continue;
        }
        let gap = &text[prev_end..range.start];
        // After a colon or an opening quote a capital still marks a name.
        let first = out.is_empty() || gap.contains(['.', '!', '?', '…', '\n']);
        let joined = !out.is_empty() && gap.chars().all(|c| c == ' ' || c == '-' || c == '\u{a0}');
        let mut chars = raw.chars();
        let upper = chars.next().is_some_and(char::is_uppercase);
        // ALL-CAPS headlines are not names; acronyms (ЕАЭС, НАТО) are.
        let entity = upper && !first && (chars.clone().any(char::is_lowercase) || raw.chars().count() <= 5);
        out.push(Word {
            stop,
            term,
            range: range.clone(),
            text: raw,
            entity,
            first,
            joined,
            hyphen: joined && gap.contains('-'),
        });
        prev_end = range.end;
    }
    out
}

fn useful(w: &Word<'_>) -> bool {
    let n = w.term.chars().count();
    !w.stop
        && !w.term.chars().all(|c| c.is_ascii_digit())
        && n >= 2
        && (w.entity || n >= 3)
        && !is_calendar_word(&lang::fold_word(w.text))
}

/// Month and weekday names: every news day has them, they are never a topic
/// (searching for them still works; only trending skips them).
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

/// Phrase candidates of a text: runs of 2–4 joined names anywhere
/// («Касым-Жомарт Токаев»), and adjacent useful word pairs in a headline.
fn phrases<'w, 'a>(ws: &'w [Word<'a>], headline: bool) -> Vec<&'w [Word<'a>]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let mut j = i + 1;
        // A sentence's first word starts a run only when hyphenated to a name.
        let starts = ws[i].entity || (ws[i].first && ws.get(i + 1).is_some_and(|w| w.hyphen && w.entity));
        while starts && j < ws.len() && j - i < 4 && ws[j].joined && ws[j].entity {
            j += 1;
        }
        if j - i >= 2 && ws[i..j].iter().all(useful) {
            out.push(&ws[i..j]);
        }
        i = if j - i >= 2 { j } else { i + 1 };
    }
    if headline {
        for k in 1..ws.len() {
            let pair = &ws[k - 1..=k];
            let names = pair.iter().all(|w| w.entity || w.first);
            if ws[k].joined && !names && pair.iter().all(useful) {
                out.push(pair);
            }
        }
    }
    out
}

fn note(c: &mut Cand, form: String, entity: bool, best: (bool, i64, i64, i64)) {
    c.lower += u32::from(form.chars().next().is_some_and(char::is_lowercase));
    *c.forms.entry(form).or_default() += 1;
    c.entity += u32::from(entity);
    if c.best.is_none_or(|b| best > b) {
        c.best = Some(best);
    }
}

/// Articles of the window processed at most; a busier window is sampled
/// evenly and its topics' article counts are then taken from the index.
const WINDOW_ARTICLES: usize = 5_000;

/// Older articles sampled, evenly by id, for the baseline.
const BASELINE_ARTICLES: usize = 1_000;

/// One topic key found in an article.
struct Key<'w> {
    key: String,
    span: &'w [Word<'w>],
    /// The text as written.
    text: &'w str,
    names: bool,
    in_title: bool,
}

/// Calls `f` with every topic key of an article: headline phrases, name runs
/// and useful words. The window and the baseline both go through here, so
/// they count the same things.
fn visit_keys(title: &str, body: &[String], mut f: impl FnMut(Key<'_>)) {
    let title_words = words(title);
    let title_terms: HashSet<&str> = title_words.iter().map(|w| w.term.as_str()).collect();
    for (i, text) in std::iter::once(title).chain(body.iter().map(String::as_str)).enumerate() {
        let owned;
        let ws: &[Word<'_>] = if i == 0 {
            &title_words
        } else {
            owned = words(text);
            &owned
        };
        for span in phrases(ws, i == 0) {
            f(Key {
                key: span.iter().map(|w| w.term.as_str()).collect::<Vec<_>>().join(" "),
                span,
                text: &text[span[0].range.start..span[span.len() - 1].range.end],
                names: span.iter().all(|w| w.entity || w.first),
                in_title: span.iter().all(|w| title_terms.contains(w.term.as_str())),
            });
        }
        for (k, w) in ws.iter().enumerate().filter(|(_, w)| useful(w)) {
            f(Key {
                key: w.term.clone(),
                span: &ws[k..=k],
                text: w.text,
                names: w.entity,
                in_title: title_terms.contains(w.term.as_str()),
            });
        }
    }
}

/// What the window's articles say: candidate keys and the headlines that
/// may stand for them.
struct Window {
    cands: HashMap<String, Cand>,
    titles: HashMap<i64, String>,
    n_recent: i64,
    sampled: bool,
    start: i64,
    end: i64,
}

/// Reads the window `(end - window, end]`, sampled to [`WINDOW_ARTICLES`].
fn scan_window(store: &Store, window: i64, now: i64) -> Result<Option<Window>, SearchError> {
    let Some(end) = store.newest_sort_key(now)? else { return Ok(None) };
    let start = end - window;
    let (recent, n_window) = store.sample_ids(start, end, WINDOW_ARTICLES)?;
    if recent.is_empty() {
        return Ok(None);
    }
    let mut cands: HashMap<String, Cand> = HashMap::new();
    let mut titles: HashMap<i64, String> = HashMap::new();
    for &id in &recent {
        let a = store.article_text(id)?;
        let mut seen: HashSet<String> = HashSet::new();
        visit_keys(&a.title, &a.blocks, |k| {
            let form = if k.names || k.span.len() == 1 && k.span[0].first {
                k.text.to_string()
            } else {
                k.text.to_lowercase()
            };
            let c = cands.entry(k.key.clone()).or_default();
            if c.terms.is_empty() {
                c.terms = k.span.iter().map(|w| w.term.clone()).collect();
            }
            note(c, form, k.names, (k.in_title, a.views, a.sort_key, id));
            if seen.insert(k.key) {
                c.df += 1;
            }
        });
        titles.insert(id, a.title);
    }
    let n_recent = recent.len() as i64;
    Ok(Some(Window { cands, titles, n_recent, sampled: n_recent < n_window, start, end }))
}

/// How many articles of an even sample of the older archive contain each
/// candidate key: the baseline a rise is measured against. Returns the
/// counts and the sample's size.
fn baseline(store: &Store, w: &Window) -> Result<(HashMap<String, i64>, i64), SearchError> {
    let (base_ids, _) = store.sample_ids(i64::MIN, w.start, BASELINE_ARTICLES)?;
    let mut base_df: HashMap<String, i64> = HashMap::new();
    for &id in &base_ids {
        let a = store.article_text(id)?;
        let mut seen: HashSet<String> = HashSet::new();
        visit_keys(&a.title, &a.blocks, |k| {
            if w.cands.contains_key(&k.key) && seen.insert(k.key.clone()) {
                *base_df.entry(k.key).or_default() += 1;
            }
        });
    }
    Ok((base_df, base_ids.len() as i64))
}

/// Candidates scored by support times lift, best first.
fn score(
    cands: HashMap<String, Cand>,
    base_df: &HashMap<String, i64>,
    n_recent: i64,
    n_base: i64,
) -> Vec<(f64, String, Cand)> {
    let mut scored: Vec<(f64, String, Cand)> = Vec::new();
    for (key, c) in cands {
        let base = base_df.get(&key).copied().unwrap_or(0) as f64;
        let p_recent = (c.df as f64 + 0.5) / (n_recent as f64 + 1.0);
        let p_base = (base + 0.5) / (n_base as f64 + 1.0);
        let lift = (p_recent / p_base).ln();
        if lift <= 0.0 {
            continue;
        }
        // Support times lift: a rise seen in many articles beats a spike in two.
        let mut score = c.df as f64 * lift;
        if c.entity > 0 && c.lower == 0 {
            score *= 1.25; // news trends are mostly about who and where
        }
        if c.terms.len() > 1 {
            score *= 1.1; // with the same support, a phrase says more
        }
        scored.push((score, key, c));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored
}

/// The best `limit` topics, dropping a word or phrase that a better topic
/// already covers (same terms, much the same articles), so «Токаев» and
/// «Касым-Жомарт Токаев» do not both appear.
fn pick(store: &Store, w: &Window, scored: Vec<(f64, String, Cand)>, limit: usize) -> Result<Vec<Topic>, SearchError> {
    let mut out: Vec<Topic> = Vec::new();
    let mut taken: Vec<(Vec<String>, i64)> = Vec::new();
    for (score, key, c) in scored {
        if out.len() >= limit {
            break;
        }
        let covered = taken.iter().any(|(terms, df)| {
            let overlap = c.terms.iter().any(|t| terms.contains(t));
            overlap && (c.df as f64) <= (*df as f64) * 1.5 && (*df as f64) <= (c.df as f64) * 1.5
        });
        if covered {
            continue;
        }
        let Some((_, _, _, id)) = c.best else { continue };
        let form = c
            .forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(f, _)| if c.lower > 0 { f.to_lowercase() } else { f.clone() })
            .unwrap_or_default();
        let articles = if w.sampled {
            store.count_matching(&format!("\"{}\"", key.replace('"', "\"\"")), w.start, w.end)?
        } else {
            c.df
        };
        taken.push((c.terms.clone(), c.df));
        out.push(Topic {
            topic: crate::text::sanitize(&form),
            score: (score * 1000.0).round() / 1000.0,
            articles,
            headline: w.titles.get(&id).cloned().unwrap_or_default(),
            article_id: id,
            query: if c.terms.len() > 1 { format!("\"{}\"", form) } else { form.clone() },
        });
    }
    Ok(out)
}

/// Computed topics for `window` seconds ending at `min(now, newest article)`.
pub fn computed_at(store: &Store, window: i64, now: i64, limit: usize) -> Result<Vec<Topic>, SearchError> {
    let Some(mut w) = scan_window(store, window, now)? else { return Ok(Vec::new()) };
    // A topic needs a few articles; a single story repeating a word is not a trend.
    let min_df = 2.max(w.n_recent / 200);
    w.cands.retain(|_, c| c.df >= min_df);
    let (base_df, n_base) = baseline(store, &w)?;
    let cands = std::mem::take(&mut w.cands);
    let scored = score(cands, &base_df, w.n_recent, n_base);
    pick(store, &w, scored, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(parse_window("24h"), Ok(86_400));
        assert_eq!(parse_window("7d"), Ok(604_800));
        assert_eq!(parse_window("2w"), Ok(1_209_600));
        assert!(parse_window("7").is_err());
        assert!(parse_window("0h").is_err());
        assert!(parse_window("сутки").is_err());
        assert!(parse_window("").is_err());
    }

    #[test]
    fn calendar_words_and_single_letters_are_not_topics() {
        let ws = words("Закон вступает в силу 1 января, а с 3 мая — N 1080 в Алматы по средам и среди недели");
        let kept: Vec<&str> = ws.iter().filter(|w| useful(w)).map(|w| w.text).collect();
        assert!(kept.contains(&"Алматы") && kept.contains(&"недели") && kept.contains(&"среди"), "{kept:?}");
        for gone in ["января", "мая", "N", "1080"] {
            assert!(!kept.contains(&gone), "{gone} kept: {kept:?}");
        }
    }

    #[test]
    fn entities_and_stop_words() {
        let w = words("Вчера в Алматы президент Токаев встретился с ЕАЭС. Снег выпал.");
        let ent: Vec<&str> = w.iter().filter(|w| w.entity).map(|w| w.text).collect();
        assert_eq!(ent, ["Алматы", "Токаев", "ЕАЭС"]);
        assert!(w.iter().find(|w| w.text == "в").is_some_and(|w| w.stop));
        assert!(w.iter().find(|w| w.text == "Снег").is_some_and(|w| w.first && !w.entity));
    }
}
