//! The ranked search walked newest-first in rowid chunks, scored in Rust.
//!
//! Why: `ORDER BY rowid DESC LIMIT n` makes FTS5 walk the whole match
//! backwards when fewer than `n` articles match (a phrase of two common
//! words, or a common word on one site), and FTS5 walks backwards at about
//! half its forward speed; then bm25's first call walks the phrase once more
//! forwards to count it. Here the newest chunk is walked backwards (most
//! searches end there, as before), older ones forwards in chunks sized from
//! the density seen so far, a selective filter's chunks cover only its
//! articles' rowids, and a lone phrase's frequency is counted from the walk.
//! Candidates, frequencies and scores are exactly those of the single
//! query in `fts::ranked_sql` (the tests compare the two), so the hits and
//! their order do not change.

use std::cmp::Ordering;

use rusqlite::{Connection, OptionalExtension, params_from_iter, types::Value};

use super::super::rank::{self, QueryData};
use super::{FtsHit, FtsQuery, RANK_CANDIDATES, TITLE_WEIGHT, filters, has_filters};

/// How far the first (backwards) chunk reaches: as far back as most
/// searches need for their candidates.
#[derive(Debug, Clone, Copy)]
struct Spans {
    /// Rowids, walking the whole index.
    rows: i64,
    /// Articles, walking a selective filter's.
    set: usize,
}

const SPANS: Spans = Spans { rows: 16_384, set: 4_096 };

/// A filter passing up to this many times `fts::FILTER_SET_MAX` articles
/// is walked as a set: reading 200 000 ids from an index (~10 ms) costs less
/// than a lookup per match (a word on a tenth of a million articles' sites:
/// 80 ms), and chunks of the set's rowids keep the walk short.
const SET_WALK_FACTOR: usize = 4;

/// A matching row and what it is scored from.
struct Row {
    id: i64,
    len: i32,
    freq: Vec<f64>,
}

/// Statistics every row reports alike: the table's rows and tokens.
#[derive(Default, Clone, Copy)]
struct Totals {
    rows: i64,
    tokens: i64,
}

/// One chunk: rowids `lo..=hi`, only those of `ids` when a filter chose them.
struct Chunk<'a> {
    lo: i64,
    hi: i64,
    ids: Option<&'a [i64]>,
    /// Backwards, at most this many.
    newest: Option<usize>,
}

struct Walk<'c> {
    conn: &'c Connection,
    expr: String,
    totals: Totals,
}

impl Walk<'_> {
    /// The chunk's matches, newest first.
    fn chunk(&mut self, c: &Chunk<'_>) -> rusqlite::Result<Vec<Row>> {
        let mut sql = format!(
            "SELECT rowid, {}(search_fts, {TITLE_WEIGHT}, 1.0) FROM search_fts
             WHERE search_fts MATCH ? AND rowid >= ? AND rowid <= ?",
            rank::ROW_STATS
        );
        let mut args: Vec<Value> = vec![self.expr.clone().into(), c.lo.into(), c.hi.into()];
        if let Some(ids) = c.ids {
            // `+`: a set test after the match, not a lookup per id (see ranked_sql).
            sql.push_str(" AND +search_fts.rowid IN (SELECT value FROM json_each(?))");
            args.push(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()).into());
        }
        if let Some(n) = c.newest {
            sql.push_str(" ORDER BY rowid DESC LIMIT ?");
            args.push(super::sql_limit(n));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let bad = || rusqlite::Error::InvalidColumnType(1, rank::ROW_STATS.into(), rusqlite::types::Type::Blob);
            let (rows, tokens, len, freq) = rank::read_row_stats(r.get_ref(1)?.as_blob()?).ok_or_else(bad)?;
            self.totals = Totals { rows, tokens };
            out.push(Row { id, len, freq });
        }
        if c.newest.is_none() {
            out.reverse();
        }
        Ok(out)
    }
}

/// What a walk found: the newest matches (newest first) and whether they
/// are all of them.
struct Found {
    rows: Vec<Row>,
    /// Every match at or above this rowid is in `rows`.
    complete_from: i64,
    all: bool,
}

/// Span of the next chunk: enough, at the density seen so far, for the
/// candidates still missing (a quarter more), at most four times what was
/// covered.
fn next_span(have: usize, want: usize, covered: usize) -> usize {
    if have == 0 {
        return covered.saturating_mul(4);
    }
    let need = (want - have) as f64 * covered as f64 / have as f64 * 1.25;
    (need.ceil() as usize).clamp(1, covered.saturating_mul(4))
}

/// Walks the whole index newest first until `want` matches are found.
fn walk_all(w: &mut Walk<'_>, want: usize, top: i64, bottom: i64, first: i64) -> rusqlite::Result<Found> {
    let lo = top.saturating_sub(first - 1);
    let lo = if lo <= bottom { i64::MIN } else { lo };
    let mut rows = w.chunk(&Chunk { lo, hi: i64::MAX, ids: None, newest: Some(want) })?;
    if rows.len() >= want {
        let complete_from = rows.last().map_or(i64::MIN, |r| r.id);
        return Ok(Found { rows, complete_from, all: false });
    }
    let mut lo = lo;
    while lo != i64::MIN {
        let hi = lo - 1;
        let covered = (top - lo + 1).max(1) as usize;
        let span = next_span(rows.len(), want, covered) as i64;
        lo = hi.saturating_sub(span - 1);
        if lo <= bottom {
            lo = i64::MIN;
        }
        rows.extend(w.chunk(&Chunk { lo, hi, ids: None, newest: None })?);
        if rows.len() >= want {
            break;
        }
    }
    Ok(Found { rows, complete_from: lo, all: lo == i64::MIN })
}

/// Walks the articles of a selective filter (`ids`, ascending) newest first.
fn walk_set(w: &mut Walk<'_>, want: usize, ids: &[i64], first: usize) -> rusqlite::Result<Found> {
    let mut end = ids.len();
    let mut rows: Vec<Row> = Vec::new();
    let mut start = end.saturating_sub(first);
    let mut newest = Some(want);
    while end > 0 {
        let part = &ids[start..end];
        let chunk = Chunk { lo: part[0], hi: part[part.len() - 1], ids: Some(part), newest };
        rows.extend(w.chunk(&chunk)?);
        if rows.len() >= want {
            let complete_from = if newest.is_some() { rows.last().map_or(i64::MIN, |r| r.id) } else { part[0] };
            return Ok(Found { rows, complete_from, all: false });
        }
        newest = None;
        let covered = ids.len() - start;
        end = start;
        start = end.saturating_sub(next_span(rows.len(), want, covered));
    }
    Ok(Found { rows, complete_from: i64::MIN, all: true })
}

/// The first `n` (at most the cap) matches of the query's one phrase in
/// rowid order, as bm25 counts them: those below the walk, then the walk's.
fn lone_phrase_hits(w: &Walk<'_>, found: &Found) -> rusqlite::Result<f64> {
    let cap = rank::COUNT_CAP as usize;
    // Below the walk: how many (up to the cap), the first and the last.
    let (mut n, mut first, mut last) = (0usize, None, None);
    if !found.all {
        let sql = "SELECT count(*), min(rowid), max(rowid) FROM (SELECT rowid FROM search_fts
                   WHERE search_fts MATCH ? AND rowid < ? ORDER BY rowid LIMIT ?)";
        let args: [Value; 3] = [w.expr.clone().into(), found.complete_from.into(), super::sql_limit(cap)];
        let below: (i64, Option<i64>, Option<i64>) =
            w.conn.prepare_cached(sql)?.query_row(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        (n, first, last) = (below.0 as usize, below.1, below.2);
    }
    for r in found.rows.iter().rev().filter(|r| r.id >= found.complete_from).take(cap.saturating_sub(n)) {
        first = first.or(Some(r.id));
        last = Some(r.id);
        n += 1;
    }
    Ok(rank::hits_from(n as i64, first.unwrap_or(0), last.unwrap_or(0), w.totals.rows))
}

/// Each phrase's frequency, as bm25 in `ranked_sql` counts it.
fn phrase_hits(w: &Walk<'_>, q: &FtsQuery<'_>, found: &Found, phrases: usize) -> rusqlite::Result<Vec<f64>> {
    if phrases == 1 && q.must_not.is_none() && !has_filters(q) {
        // The walk matched exactly the phrase bm25 counts.
        return Ok(vec![lone_phrase_hits(w, found)?]);
    }
    let sql =
        format!("SELECT {}(search_fts) FROM search_fts WHERE search_fts MATCH ? AND rowid = ?", rank::PHRASE_HITS);
    let any = found.rows.first().map_or(0, |r| r.id);
    let blob: Vec<u8> = w.conn.prepare_cached(&sql)?.query_row(rusqlite::params![w.expr, any], |r| r.get(0))?;
    Ok(rank::read_hits(&blob))
}

/// The articles of a selective filter, ascending; None when the filter is
/// absent or lets through more than `set_max`.
fn filter_set(conn: &Connection, q: &FtsQuery<'_>, set_max: usize) -> rusqlite::Result<Option<Vec<i64>>> {
    let (mut cond, mut args) = (String::new(), Vec::new());
    filters(conn, q, &mut cond, &mut args)?;
    args.push(super::sql_limit(set_max.saturating_add(1)));
    let sql = format!("SELECT a.id FROM articles a WHERE 1 = 1{cond} LIMIT ?");
    let mut ids: Vec<i64> =
        conn.prepare_cached(&sql)?.query_map(params_from_iter(args), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if ids.len() > set_max {
        return Ok(None);
    }
    ids.sort_unstable();
    Ok(Some(ids))
}

/// The ranked search of `fts::ranked_sql`, walked in chunks; None when the
/// filters are not selective (that query does it as well as a walk would).
pub(super) fn ranked(
    conn: &Connection,
    q: &FtsQuery<'_>,
    must: &str,
    set_max: usize,
) -> rusqlite::Result<Option<Vec<FtsHit>>> {
    ranked_with(conn, q, must, set_max, SPANS)
}

fn ranked_with(
    conn: &Connection,
    q: &FtsQuery<'_>,
    must: &str,
    set_max: usize,
    spans: Spans,
) -> rusqlite::Result<Option<Vec<FtsHit>>> {
    let set = if has_filters(q) {
        match filter_set(conn, q, set_max.saturating_mul(SET_WALK_FACTOR))? {
            Some(ids) => Some(ids),
            None => return Ok(None),
        }
    } else {
        None
    };
    let expr = match &q.must_not {
        Some(not) => format!("({must}) NOT ({not})"),
        None => must.to_string(),
    };
    let want = RANK_CANDIDATES.max(q.limit);
    let mut w = Walk { conn, expr, totals: Totals::default() };
    let found = match &set {
        Some(ids) => walk_set(&mut w, want, ids, spans.set)?,
        None => {
            let (top, bottom): (Option<i64>, Option<i64>) =
                conn.query_row("SELECT (SELECT max(id) FROM articles), (SELECT min(id) FROM articles)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            walk_all(&mut w, want, top.unwrap_or(0), bottom.unwrap_or(0), spans.rows)?
        }
    };
    let Some(phrases) = found.rows.first().map(|r| r.freq.len()) else { return Ok(Some(Vec::new())) };
    let hits = phrase_hits(&w, q, &found, phrases)?;
    let data = QueryData::new(w.totals.rows, w.totals.tokens, &hits);
    let mut found = found;
    found.rows.truncate(want);
    let scored: Vec<(i64, f64)> = found.rows.iter().map(|r| (r.id, -data.score(&r.freq, r.len))).collect();
    top_hits(conn, &scored, q.limit).map(Some)
}

/// The best `limit` of the scored candidates, as `ranked_sql` orders them
/// (score, then newer, then higher id), with their titles and sites. Only
/// the best-scored candidates' articles are read: down the score order until
/// `limit` of them exist, and the rest of the last score's ties.
fn top_hits(conn: &Connection, scored: &[(i64, f64)], limit: usize) -> rusqlite::Result<Vec<FtsHit>> {
    let mut by_score: Vec<(i64, f64)> = scored.to_vec();
    by_score.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal));
    let mut key = conn.prepare_cached("SELECT sort_key FROM articles WHERE id = ?")?;
    let mut ranked: Vec<(f64, i64, i64)> = Vec::new();
    for &(id, score) in &by_score {
        let tie = ranked.last().is_some_and(|l| l.0.partial_cmp(&score) == Some(Ordering::Equal));
        if ranked.len() >= limit && !tie {
            break;
        }
        // Candidates without an article drop out, as in the query's join.
        if let Some(sk) = key.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
            ranked.push((score, sk, id));
        }
    }
    // SQL's order: equal scores (0.0 and -0.0 too) fall to the next key.
    ranked.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    ranked.truncate(limit);
    ranked.into_iter().map(|(score, _, id)| hit(conn, id, score)).collect()
}

/// Article `id` as a hit (it exists), without the body.
pub(super) fn hit(conn: &Connection, id: i64, score: f64) -> rusqlite::Result<FtsHit> {
    let mut one = conn.prepare_cached(
        "SELECT a.title, s.name, a.published FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE a.id = ?",
    )?;
    one.query_row([id], |r| {
        Ok(FtsHit {
            id,
            title: r.get(0)?,
            site: r.get(1)?,
            published: r.get::<_, Option<String>>(2)?.as_deref().and_then(crate::model::Stamp::parse_iso),
            score,
            blocks: Vec::new(),
        })
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Block, NewArticle, Stamp};
    use crate::store::Store;

    const WORDS: [&str; 12] = [
        "паводок",
        "река",
        "вода",
        "город",
        "власти",
        "жители",
        "дамба",
        "уровень",
        "спасатели",
        "область",
        "мост",
        "дожди",
    ];

    /// 5 000 articles on three sites, each of a dozen common words in
    /// random order (and «новости» in 2 143: more than are ranked, fewer
    /// than half), so every word is in most articles and a given pair of
    /// words stands side by side in few. Article 7 (among the oldest) has the
    /// phrase «ледяной затор», whose words are in every fifth article.
    pub(in crate::store::fts) fn archive() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let arts: Vec<NewArticle> = (0..5_000).map(|i| nth_article(i, &mut next)).collect();
        store.upsert_articles(&arts, time::OffsetDateTime::UNIX_EPOCH).unwrap();
        (dir, store)
    }

    /// Article `i` of [`archive`].
    fn nth_article(i: i32, next: &mut impl FnMut(usize) -> usize) -> NewArticle {
        let mut words: Vec<&str> = (0..8).map(|_| WORDS[next(WORDS.len())]).collect();
        if i % 2 == 0 && i % 7 != 0 {
            words.push("новости");
        }
        let pair: &[&str] = match i {
            7 => &["ледяной", "затор"],
            _ if i % 5 == 0 => &["затор", "ледяной"],
            _ => &[],
        };
        words.extend(pair);
        NewArticle {
            title: format!("{} номер {i}", WORDS[next(WORDS.len())]),
            site: Some(format!("site{}", i % 3)),
            url: Some(format!("http://x/{i}")),
            published: Some(Stamp::Date(
                time::Date::from_ordinal_date(2020, 1).unwrap() + time::Duration::days(i64::from(i / 2 + (i * 7) % 5)),
            )),
            blocks: vec![Block::paragraph(words.join(" "))],
            ..NewArticle::default()
        }
    }

    fn key(hits: &[FtsHit]) -> Vec<(i64, String, u64)> {
        hits.iter().map(|h| (h.id, h.title.clone(), h.score.to_bits())).collect()
    }

    pub(in crate::store::fts) fn phrase(words: &str) -> String {
        format!("\"{}\"", words.split(' ').map(crate::lang::term).collect::<Vec<_>>().join(" "))
    }

    /// The walk, in chunks of every size, finds what the single query
    /// finds: the same articles, in the same order, with the same scores.
    #[test]
    fn walk_agrees_with_the_single_query() {
        let (_dir, store) = archive();
        let sites = ["site1".to_string()];
        let cases: Vec<(Option<String>, Option<String>, bool, usize)> = vec![
            (Some(phrase("паводок")), None, false, 20),
            (Some(phrase("паводок")), None, false, 2_500),
            (Some(phrase("новости")), None, false, 20),
            (Some(phrase("новости")), None, false, 2_100),
            (Some(format!("{} AND {}", phrase("река"), phrase("мост"))), None, false, 20),
            (Some(phrase("река мост")), None, false, 20),
            (Some(phrase("ледяной затор")), None, false, 20),
            (Some(phrase("затор ледяной")), None, false, 20),
            (Some(phrase("паводок")), Some(phrase("вода")), false, 20),
            (Some(phrase("река мост")), None, true, 20),
            (Some(phrase("паводок")), None, true, 20),
            (Some(format!("{} *", phrase("спас"))), None, false, 20),
            (Some(phrase("нетакогослова")), None, false, 20),
        ];
        for (must, must_not, on_site, limit) in cases {
            let q = FtsQuery {
                must: must.clone(),
                must_not,
                sites: if on_site { &sites } else { &[] },
                limit,
                ..FtsQuery::default()
            };
            let one = super::super::one_query(&store.conn, &q, super::super::FILTER_SET_MAX).unwrap();
            for spans in [SPANS, Spans { rows: 1, set: 1 }, Spans { rows: 50, set: 7 }, Spans { rows: 700, set: 300 }] {
                let walked =
                    ranked_with(&store.conn, &q, must.as_deref().unwrap(), super::super::FILTER_SET_MAX, spans)
                        .unwrap()
                        .unwrap();
                assert_eq!(key(&walked), key(&one), "{q:?} {spans:?}");
            }
        }
    }

    /// A phrase of two common words that stand together in few articles
    /// finds those, the oldest too, and only those.
    #[test]
    fn rare_phrase_of_common_words_finds_old_articles() {
        let (_dir, store) = archive();
        let q = FtsQuery { must: Some(phrase("ледяной затор")), limit: 50, ..FtsQuery::default() };
        let hits = store.search(&q).unwrap();
        assert_eq!(hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>().len(), 1, "{hits:?}");
        assert!(hits[0].title.ends_with("номер 7"), "{hits:?}");
        let q = FtsQuery { must: Some(phrase("затор ледяной")), limit: 1_000, ..FtsQuery::default() };
        assert_eq!(store.search(&q).unwrap().len(), 1_000);
    }
}
