//! Computed trends: the names and noun phrases whose share of articles in
//! the recent window rises most against the archive's own baseline, told
//! by the most sites.
//!
//! What a candidate is (and how «Росатома» becomes «Росатом») is
//! `lang::topics`; the store keeps per-day counts of them as articles
//! arrive (`store::topic_counts`), so a window of any length is a read of
//! counts. The window is whole UTC days ending with the newest article's
//! (or now, if that is earlier: an offline archive last synced a week ago
//! still has a "today"); a first day less than half inside the window is
//! left out. The baseline is everything else the archive has counted.

use std::collections::HashMap;

use serde::Serialize;

use super::SearchError;
use crate::lang::everyday;
use crate::lang::topics::Kind;
use crate::store::Store;
use crate::store::topic_counts::{Bests, DAY, KeyCount, WindowArticle};

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

/// What to compute: `svodka trending`'s flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options<'a> {
    /// Seconds.
    pub window: i64,
    /// The window ends at the newest article not after this.
    pub now: i64,
    pub limit: usize,
    /// Only these sites' articles (matched as `list --site`).
    pub site: Option<&'a str>,
}

/// Computed topics for `window` seconds ending at `min(now, newest article)`.
pub fn computed_at(store: &Store, window: i64, now: i64, limit: usize) -> Result<Vec<Topic>, SearchError> {
    computed_with(store, &Options { window, now, limit, site: None })
}

/// A window resolved to days, and its articles' count.
struct Days {
    from: i64,
    to: i64,
    articles: i64,
    /// Articles older than the window: the baseline.
    older: i64,
    /// Each key's mentions after the window (undated articles count on
    /// the day they were seen; future dates): not part of the baseline.
    after: HashMap<i64, i64>,
}

fn days(store: &Store, window: i64, now: i64) -> Result<Option<Days>, SearchError> {
    let Some(end) = store.newest_sort_key(now)? else { return Ok(None) };
    let to = end.div_euclid(DAY);
    let from = (end - window + DAY / 2).div_euclid(DAY).min(to);
    let articles = store.topic_article_count(from, to)?;
    let older = store.topic_article_count(i64::MIN, from - 1)?;
    let after = store.topic_window(to + 1, i64::MAX, 1)?.into_iter().map(|k| (k.id, k.window)).collect();
    Ok(Some(Days { from, to, articles, older, after }))
}

/// A baseline share above this marks one of the archive's commonest words.
const COMMON_SHARE: f64 = 0.2;
/// A baseline of fewer articles says nothing: support alone counts.
const MIN_BASELINE: i64 = 20;
/// A common noun the window uses no more than everyday Russian does
/// (`lang::everyday`) is not news, whatever the archive's baseline; without
/// a baseline it needs twice that: «дом» in 4 of 78 articles is not news.
const EVERYDAY_RISE: f64 = 2.0;
/// The everyday share weighs as this many older articles in a baseline,
/// so a young archive's few older days do not make «вопрос» news.
const EVERYDAY_WEIGHT: f64 = 20.0;

/// Burst score: support times the log rise of the share against the
/// baseline, by the candidate's kind. `None` for no rise, or a word too
/// common to say anything.
fn burst(k: &KeyCount, d: &Days, site_articles: i64) -> Option<f64> {
    let n_base = d.older;
    let after = k.also.iter().chain([&k.id]).map(|i| d.after.get(i).copied().unwrap_or(0)).sum::<i64>();
    let base = (k.total - k.window - after).max(0) as f64;
    if n_base >= 50 && base / n_base as f64 > COMMON_SHARE {
        return None;
    }
    let everyday = if k.kind == Kind::Word { everyday::share(&k.key).unwrap_or(0.0) } else { 0.0 };
    let p_recent = (k.window as f64 + 0.5) / (site_articles as f64 + 1.0);
    let thin = n_base < MIN_BASELINE;
    if p_recent < everyday * if thin { EVERYDAY_RISE } else { 1.0 } {
        return None;
    }
    let lift = if thin {
        // Nothing to compare with yet: support alone, and common nouns
        // (the ones most likely to be everyday words) count half.
        if k.kind == Kind::Word { 0.5 } else { 1.0 }
    } else {
        let p_base = (base + 0.5 + EVERYDAY_WEIGHT * everyday) / (n_base as f64 + 1.0 + EVERYDAY_WEIGHT);
        (p_recent / p_base).ln()
    };
    (lift > 0.0).then(|| k.window as f64 * lift * k.kind.weight())
}

/// A site's window: its articles' keys counted here (few articles), the
/// baseline from the whole archive's counts.
fn site_window(store: &Store, arts: &[WindowArticle], min: i64) -> Result<Vec<KeyCount>, SearchError> {
    let mut n: HashMap<i64, i64> = HashMap::new();
    for a in arts {
        for k in a.ids(usize::MAX) {
            *n.entry(k).or_default() += 1;
        }
    }
    let ids: Vec<i64> = n.iter().filter(|(_, c)| **c >= min).map(|(k, _)| *k).collect();
    let mut keys = store.topic_keys(&ids)?;
    for k in &mut keys {
        k.window = n.get(&k.id).copied().unwrap_or(0);
        // The site's own mentions stay in the baseline's total.
        k.total = k.total.max(k.window);
    }
    Ok(keys)
}

/// Merges keys of words the dictionary does not know whose stems differ by
/// a case ending at most (Snowball cuts «-ом» off «Росатом» but not off
/// «Росатома»): one topic, its counts summed (an article naming both forms
/// counts twice, a small overcount), shown in the best form.
fn merge_stems(mut keys: Vec<KeyCount>) -> Vec<KeyCount> {
    keys.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out: Vec<KeyCount> = Vec::with_capacity(keys.len());
    for k in keys {
        let mergeable = |k: &KeyCount| k.kind.stem_only() && !k.key.contains(' ') && k.key.chars().count() >= 4;
        if let Some(prev) = out.last_mut()
            && mergeable(prev)
            && mergeable(&k)
            && k.key.starts_with(prev.key.as_str())
            && k.key.chars().count() - prev.key.chars().count() <= 2
        {
            prev.window += k.window;
            prev.total += k.total;
            prev.also.push(k.id);
            if k.rank < prev.rank {
                (prev.form, prev.rank) = (k.form, k.rank);
            }
            if k.kind == Kind::Entity {
                prev.kind = Kind::Entity;
            }
            continue;
        }
        out.push(k);
    }
    out
}

/// Computed topics for `o.window` seconds ending at `min(o.now, newest article)`.
pub fn computed_with(store: &Store, o: &Options<'_>) -> Result<Vec<Topic>, SearchError> {
    let Some(d) = days(store, o.window, o.now)? else { return Ok(Vec::new()) };
    let sites = o.site.map(|s| store.matching_sites(s)).transpose()?;
    let site_arts = match &sites {
        Some(ids) => Some(store.topic_window_articles(d.from, d.to, Some(ids), false)?),
        None => None,
    };
    let n_window = site_arts.as_ref().map_or(d.articles, |a| a.len() as i64);
    if n_window == 0 {
        return Ok(Vec::new());
    }
    // A topic needs a few articles; a single story repeating a word is not a trend.
    let min = 2.max(n_window / 500);
    let keys = match &site_arts {
        Some(arts) => site_window(store, arts, min)?,
        None => store.topic_window(d.from, d.to, min)?,
    };
    let keys = merge_stems(keys);
    let mut scored: Vec<(f64, KeyCount)> =
        keys.into_iter().filter_map(|k| burst(&k, &d, n_window).map(|s| (s, k))).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    // The number of sites telling it, for the best few: more sites, more news.
    scored.truncate(o.limit.saturating_mul(4).max(40));
    let ids: Vec<i64> = scored.iter().flat_map(|(_, k)| std::iter::once(k.id).chain(k.also.iter().copied())).collect();
    let masks = store.topic_sites(&ids, d.from, d.to)?;
    let mut ranked: Vec<(f64, u32, KeyCount)> = Vec::with_capacity(scored.len());
    for (s, k) in scored {
        let mask = std::iter::once(&k.id).chain(&k.also).fold(0i64, |m, id| m | masks.get(id).copied().unwrap_or(0));
        let n = mask.count_ones().max(1);
        ranked.push((s * (1.0 + f64::from(n).ln()), n, k));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.key.cmp(&b.2.key)));
    let chosen = pick(ranked, o.limit);
    let picks = match &site_arts {
        Some(arts) => scanned_headlines(store, &chosen, arts, &d)?,
        None => stored_headlines(store, &chosen, &d)?,
    };
    topics_with_headlines(store, chosen, &picks)
}

/// The best `limit` candidates, dropping one that a better topic already
/// covers (a shared term, much the same articles), so «Токаев» and
/// «Касым-Жомарт Токаев» do not both appear.
fn pick(ranked: Vec<(f64, u32, KeyCount)>, limit: usize) -> Vec<(f64, u32, KeyCount)> {
    let mut out: Vec<(f64, u32, KeyCount)> = Vec::new();
    for r in ranked {
        if out.len() >= limit {
            break;
        }
        let terms: Vec<&str> = r.2.key.split(' ').collect();
        let covered = out.iter().any(|(_, _, t)| {
            let overlap = t.key.split(' ').any(|x| terms.contains(&x));
            let (a, b) = (r.2.window as f64, t.window as f64);
            overlap && a <= b * 1.5 && b <= a * 1.5
        });
        if !covered {
            out.push(r);
        }
    }
    out
}

/// For each topic (keys mapped to their topic by `owner`), its most viewed,
/// newest article among those naming it in the headline (`titles`) or in
/// the text: (views, sort key, id).
fn best_articles(arts: &[WindowArticle], owner: &HashMap<i64, i64>, titles: bool) -> HashMap<i64, (i64, i64, i64)> {
    let mut best: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for a in arts {
        let n = if titles { a.title_keys } else { usize::MAX };
        for k in a.ids(n) {
            if let Some(o) = owner.get(&k) {
                let cand = (a.views, a.sort_key, a.id);
                let b = best.entry(*o).or_insert(cand);
                if cand > *b {
                    *b = cand;
                }
            }
        }
    }
    best
}

/// A topic's keys: its own and those merged into it.
fn keys_of(k: &KeyCount) -> Vec<i64> {
    std::iter::once(k.id).chain(k.also.iter().copied()).collect()
}

/// Each topic's most telling article (one whose headline names it, most
/// viewed, newest; else the same among all that mention it) from the
/// per-day bests the counts keep: a read of the chosen topics' rows. A
/// best that no longer holds (its article deleted, or updated to drop the
/// word or lower its views) sends that topic to the scan of the window.
fn stored_headlines(
    store: &Store,
    chosen: &[(f64, u32, KeyCount)],
    d: &Days,
) -> Result<HashMap<i64, i64>, SearchError> {
    let ids: Vec<i64> = chosen.iter().flat_map(|c| keys_of(&c.2)).collect();
    let bests = store.topic_bests(&ids, d.from, d.to)?;
    let mut picks = HashMap::new();
    let mut stale = Vec::new();
    for c in chosen {
        let keys = keys_of(&c.2);
        let mut b = Bests::default();
        keys.iter().filter_map(|k| bests.get(k)).for_each(|x| b.merge(*x));
        let (cand, title) = match (b.title, b.any) {
            (Some(t), _) => (Some(t), true),
            (None, a) => (a, false),
        };
        match cand {
            Some(r) if store.topic_best_holds(r, &keys, title, d.from, d.to)? => {
                picks.insert(c.2.id, r.2);
            }
            _ => stale.push(c.clone()),
        }
    }
    if !stale.is_empty() {
        let arts = store.topic_window_articles(d.from, d.to, None, true)?;
        picks.extend(scanned_headlines(store, &stale, &arts, d)?);
    }
    Ok(picks)
}

/// Each topic's most telling article, found by reading the window's
/// articles (a site's few, or when a stored best went stale).
fn scanned_headlines(
    store: &Store,
    chosen: &[(f64, u32, KeyCount)],
    arts: &[WindowArticle],
    d: &Days,
) -> Result<HashMap<i64, i64>, SearchError> {
    // Every key of a topic, to the topic's first.
    let owner: HashMap<i64, i64> =
        chosen.iter().flat_map(|c| keys_of(&c.2).into_iter().map(move |i| (i, c.2.id))).collect();
    // Headlines that name the topic first (their keys come first and are
    // few), then the whole text for topics no headline names.
    let mut best = best_articles(arts, &owner, true);
    if chosen.iter().any(|c| !best.contains_key(&c.2.id)) {
        let missing: HashMap<i64, i64> =
            owner.iter().filter(|(_, o)| !best.contains_key(o)).map(|(k, o)| (*k, *o)).collect();
        let whole = if arts.iter().all(|a| a.keys.ends_with(']')) {
            None
        } else {
            Some(store.topic_window_articles(d.from, d.to, None, false)?)
        };
        best.extend(best_articles(whole.as_deref().unwrap_or(arts), &missing, false));
    }
    Ok(best.into_iter().map(|(topic, (_, _, id))| (topic, id)).collect())
}

/// The topics as shown, each with its article's headline.
fn topics_with_headlines(
    store: &Store,
    chosen: Vec<(f64, u32, KeyCount)>,
    picks: &HashMap<i64, i64>,
) -> Result<Vec<Topic>, SearchError> {
    let mut out = Vec::with_capacity(chosen.len());
    for (score, _sites, k) in chosen {
        let Some(&id) = picks.get(&k.id) else { continue };
        let topic = crate::text::sanitize(&k.form);
        let multi = k.key.contains(' ');
        out.push(Topic {
            query: if multi { format!("\"{}\"", topic.replace('"', "")) } else { topic.clone() },
            topic,
            score: (score * 1000.0).round() / 1000.0,
            articles: k.window,
            headline: store.article_title(id)?,
            article_id: id,
        });
    }
    Ok(out)
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

    fn key(id: i64, key: &str, kind: Kind, form: &str, rank: i64, window: i64) -> KeyCount {
        KeyCount { id, key: key.into(), kind, form: form.into(), window, total: window, rank, also: vec![] }
    }

    fn days(older: i64) -> Days {
        Days { from: 0, to: 0, articles: 0, older, after: HashMap::new() }
    }

    #[test]
    fn everyday_nouns_need_more_than_their_everyday_share() {
        // No baseline yet (10 older articles), 30 in the window.
        let thin = days(10);
        let question = key(1, "вопрос", Kind::Word, "вопрос", 0, 4);
        let quake = key(2, "землетрясение", Kind::Word, "землетрясение", 0, 2);
        assert_eq!(burst(&question, &thin, 30), None, "«вопрос» in 4 of 30 is everyday Russian");
        assert!(burst(&quake, &thin, 30).is_some(), "«землетрясение» in 2 of 30 is news");
        // A name is news by itself, however common.
        let name = key(3, "россия", Kind::Entity, "Россия", 0, 4);
        assert!(burst(&name, &thin, 30).is_some());
        // With a baseline: «год» rose from 1 in 20 to 1 in 5 older
        // articles, still below its everyday share; «землетрясение» rose as much.
        let base = days(200);
        let mut year = key(4, "год", Kind::Word, "год", 0, 20);
        year.total = 30;
        let mut quake = key(5, "землетрясение", Kind::Word, "землетрясение", 0, 20);
        quake.total = 30;
        assert_eq!(burst(&year, &base, 100), None);
        assert!(burst(&quake, &base, 100).is_some_and(|s| s > 20.0), "{:?}", burst(&quake, &base, 100));
    }

    fn news(i: usize, title: &str, views: i64, hours: i64) -> crate::model::NewArticle {
        use crate::model::{Block, NewArticle, Stamp};
        let at = time::macros::datetime!(2026-03-14 20:00 UTC) - time::Duration::hours(hours);
        let cities = ["Алматы", "Астана", "Шымкент", "Караганда"];
        let body = format!("Жители города {} обсуждают, как {} сообщил акимат.", cities[i % 4], title);
        NewArticle {
            title: title.into(),
            site: Some(["a.kz", "b.kz", "c.kz"][i % 3].into()),
            url: Some(format!("https://news.kz/{i}")),
            published: Some(Stamp::DateTime(at)),
            views: Some(views),
            blocks: vec![Block::paragraph(body)],
            ..NewArticle::default()
        }
    }

    /// The stored per-day bests pick what reading every article of the
    /// window picks, also after updates (views, words) and deletes.
    #[test]
    fn stored_headlines_are_the_scanned_ones() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let mut store = Store::open(&db).unwrap();
        let titles = ["Паводок в Атырау", "Росатом строит станцию", "Токаев посетил Алматы", "Дамба на Урале"];
        let now = time::macros::datetime!(2026-03-15 00:00 UTC);
        let arts: Vec<_> = (0..40).map(|i| news(i, titles[i % 4], ((i * 7) % 13) as i64, (i % 30) as i64)).collect();
        store.upsert_articles(&arts, now).unwrap();
        let check = |store: &Store, what: &str| {
            let d = super::days(store, 86_400, now.unix_timestamp()).unwrap().unwrap();
            let chosen: Vec<(f64, u32, KeyCount)> =
                store.topic_window(d.from, d.to, 1).unwrap().into_iter().map(|k| (0.0, 1, k)).collect();
            assert!(chosen.len() > 10, "{what}: {}", chosen.len());
            let arts = store.topic_window_articles(d.from, d.to, None, true).unwrap();
            let scanned = scanned_headlines(store, &chosen, &arts, &d).unwrap();
            assert_eq!(stored_headlines(store, &chosen, &d).unwrap(), scanned, "{what}");
        };
        check(&store, "inserted");
        // Updates: some change headline and views, the most viewed keep
        // their headline and lose their views.
        let updated: Vec<_> = (0..40)
            .filter_map(|i| match i % 13 {
                _ if i % 5 == 0 => Some(news(i, titles[(i + 1) % 4], if i % 2 == 0 { 0 } else { 50 }, (i % 30) as i64)),
                12 | 11 => Some(news(i, titles[i % 4], 1, (i % 30) as i64)),
                _ => None,
            })
            .collect();
        store.upsert_articles(&updated, now).unwrap();
        check(&store, "updated");
        drop(store);
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("DELETE FROM articles WHERE id % 7 = 3", []).unwrap();
        drop(c);
        check(&Store::open(&db).unwrap(), "deleted");
    }

    #[test]
    fn one_unknown_word_stemmed_two_ways_is_one_topic() {
        let merged = merge_stems(vec![
            key(1, "росатом", Kind::Entity, "Росатома", 116, 5),
            key(2, "росат", Kind::Unknown, "Росатом", 115, 3),
            // Dictionary words stay apart (Иван / Иванов are two people).
            key(3, "иван", Kind::Name, "Иван", 0, 4),
            key(4, "иванов", Kind::Name, "Иванов", 0, 4),
        ]);
        let ros = merged.iter().find(|k| k.id == 2).unwrap();
        assert_eq!(
            (ros.form.as_str(), ros.window, ros.kind, ros.also.as_slice()),
            ("Росатом", 8, Kind::Entity, &[1][..])
        );
        assert_eq!(merged.len(), 3);
    }
}
