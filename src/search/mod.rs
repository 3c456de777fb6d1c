//! Russian-aware full-text search over the archive, and computed trends.
//!
//! newsboat-style `LIKE` search folds only ASCII case, so «казахстан» misses
//! «Казахстане». Here every word is folded and stemmed in Rust
//! ([`normalize`]), stored in an FTS5 index kept in step with every article
//! write ([`index`]), queried with a small language ([`query`]) and ranked by
//! bm25 (title over body, newer first on ties). [`trending`] finds the terms
//! whose frequency rises most in the recent window.
//!
//! [`search`] takes a plain `Connection` so the TUI can run it on a worker
//! thread with its own connection.

pub mod index;
pub mod normalize;
pub mod query;
pub mod trending;
use std::ops::Range;

use rusqlite::{Connection, OptionalExtension, params_from_iter, types::Value};
use serde::Serialize;

use crate::model::Stamp;
pub use query::{Query, QueryError, parse};

/// Title weight against body in bm25: a word in the headline says far more
/// about a news article than the same word deep in the text.
pub const TITLE_WEIGHT: f64 = 5.0;

/// Snippet length in characters, before the ellipses.
const SNIPPET_CHARS: usize = 180;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("bad query")]
    Query(#[from] QueryError),
    #[error("search failed")]
    Sqlite(#[from] rusqlite::Error),
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub site: Option<String>,
    pub published: Option<Stamp>,
    /// Higher is better (negated bm25; 0 for filter-only queries).
    pub score: f64,
    /// Sanitised text around the first match (or the start of the body).
    pub snippet: String,
    /// The query's terms, for highlighting with [`highlight`].
    #[serde(skip)]
    pub terms: Vec<String>,
}

/// Byte ranges of `text` to highlight for `query` (empty for a bad query).
pub fn highlight(query: &str, text: &str) -> Vec<Range<usize>> {
    parse(query).map(|q| q.highlight(text)).unwrap_or_default()
}

/// Searches the archive; see [`query`] for the syntax.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
    let q = parse(query)?;
    search_parsed(conn, &q, limit)
}

/// SQL conditions on `a` (articles) for the query's operators.
fn filters(conn: &Connection, q: &Query, sql: &mut String, args: &mut Vec<Value>) -> rusqlite::Result<()> {
    if q.unread {
        sql.push_str(" AND a.read = 0");
    }
    if q.read {
        sql.push_str(" AND a.read = 1");
    }
    if q.starred {
        sql.push_str(" AND a.starred = 1");
    }
    if let Some(t) = q.after {
        sql.push_str(" AND a.sort_key >= ?");
        args.push(t.into());
    }
    if let Some(t) = q.before {
        sql.push_str(" AND a.sort_key < ?");
        args.push(t.into());
    }
    if !q.sites.is_empty() {
        // Site names are few: fold them here, since SQLite's lower() is ASCII-only.
        let mut stmt = conn.prepare_cached("SELECT id, name FROM sites")?;
        let sites: Vec<(i64, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let ids: Vec<i64> = sites
            .into_iter()
            .filter(|(_, name)| {
                let name = crate::store::fold_key(name);
                q.sites.iter().any(|s| name.contains(s.as_str()))
            })
            .map(|(id, _)| id)
            .collect();
        sql.push_str(" AND a.site_id IN (SELECT value FROM json_each(?))");
        args.push(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()).into());
    }
    // Tags belong to feeds; an article has its feed's tags. Folded in Rust
    // like site names, since SQLite's lower() is ASCII-only.
    for t in &q.tags {
        let mut stmt = conn.prepare_cached("SELECT feed_id, tag FROM feed_tags")?;
        let rows: Vec<(i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let feeds: Vec<i64> =
            rows.into_iter().filter(|(_, tag)| crate::store::fold_key(tag) == *t).map(|(id, _)| id).collect();
        sql.push_str(" AND a.feed_id IN (SELECT value FROM json_each(?))");
        args.push(serde_json::to_string(&feeds).unwrap_or_else(|_| "[]".into()).into());
    }
    Ok(())
}

/// How many of the newest matching articles bm25 ranks. Scoring costs
/// 2–5 µs per candidate, so ranking every article that contains a common
/// word (80 000 of 100 000) would take 200 ms; news search wants the best
/// recent matches, so only the newest-added 2 000 matches (after the operators'
/// filters) are ranked, or `limit` of them if that is more. Rarer words are
/// ranked over the whole archive.
pub const RANK_CANDIDATES: usize = 2_000;

/// Searches with an already parsed query.
pub fn search_parsed(conn: &Connection, q: &Query, limit: usize) -> Result<Vec<Hit>, SearchError> {
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut args: Vec<Value> = Vec::new();
    let sql = match q.fts_must() {
        Some(must) => {
            let expr = match q.fts_must_not() {
                Some(not) => format!("({must}) NOT ({not})"),
                None => must,
            };
            let mut matching =
                String::from("FROM search_fts JOIN articles a ON a.id = search_fts.rowid WHERE search_fts MATCH ?");
            let mut margs: Vec<Value> = vec![expr.into()];
            filters(conn, q, &mut matching, &mut margs)?;
            let cut_sql = format!("SELECT search_fts.rowid {matching} ORDER BY search_fts.rowid DESC LIMIT 1 OFFSET ?");
            let candidates = RANK_CANDIDATES.max(limit).min(i64::MAX as usize) as i64;
            let cut: Option<i64> = conn
                .prepare_cached(&cut_sql)?
                .query_row(params_from_iter(margs.iter().cloned().chain([Value::from(candidates)])), |r| r.get(0))
                .optional()?;
            args = margs;
            if let Some(cut) = cut {
                matching.push_str(" AND search_fts.rowid > ?");
                args.push(cut.into());
            }
            // Rank in an inner query; titles and sites only for the rows kept.
            args.push((limit.min(i64::MAX as usize) as i64).into());
            format!(
                "SELECT a.id, a.title, s.name, a.published, r.score FROM (
                    SELECT search_fts.rowid AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score, a.sort_key AS sk
                    {matching} ORDER BY score DESC, sk DESC, id DESC LIMIT ?
                 ) r JOIN articles a ON a.id = r.id LEFT JOIN sites s ON s.id = a.site_id
                 ORDER BY r.score DESC, r.sk DESC, r.id DESC"
            )
        }
        None => {
            let mut sql = "SELECT a.id, a.title, s.name, a.published, 0.0 AS score
                 FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE 1 = 1"
                .to_string();
            if let Some(not) = q.fts_must_not() {
                sql.push_str(" AND a.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)");
                args.push(not.into());
            }
            filters(conn, q, &mut sql, &mut args)?;
            sql.push_str(" ORDER BY a.sort_key DESC, a.id DESC LIMIT ?");
            args.push((limit.min(i64::MAX as usize) as i64).into());
            sql
        }
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok(Hit {
            id: r.get(0)?,
            title: r.get(1)?,
            site: r.get(2)?,
            published: r.get::<_, Option<String>>(3)?.as_deref().and_then(Stamp::parse_iso),
            score: r.get(4)?,
            snippet: String::new(),
            terms: Vec::new(),
        })
    })?;
    let mut hits = rows.collect::<Result<Vec<_>, _>>()?;
    let terms = q.terms();
    let mut blocks = conn.prepare_cached("SELECT text FROM blocks WHERE article_id = ? ORDER BY seq")?;
    for h in &mut hits {
        let texts: Vec<String> = blocks.query_map([h.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        h.snippet = snippet(q, &texts);
        h.terms = terms.clone();
    }
    Ok(hits)
}

/// Text around the first match in the body, cut at word boundaries; the
/// body's start when only the title matched.
pub fn snippet(q: &Query, blocks: &[String]) -> String {
    let found = blocks.iter().find_map(|b| q.first_match(b).map(|r| (b.as_str(), r.start)));
    let (text, at) = match found {
        Some(f) => f,
        None => match blocks.iter().find(|b| !b.trim().is_empty()) {
            Some(b) => (b.as_str(), 0),
            None => return String::new(),
        },
    };
    // Start about a third of the window before the match, on a word start.
    let lead = SNIPPET_CHARS / 3;
    let mut start = at;
    for (n, (i, _)) in text[..at].char_indices().rev().enumerate() {
        if n >= lead {
            break;
        }
        start = i;
    }
    if start > 0 {
        start = text[start..at]
            .char_indices()
            .find(|&(i, c)| c.is_whitespace() && i + start < at)
            .map(|(i, c)| start + i + c.len_utf8())
            .filter(|&s| s <= at)
            .unwrap_or(start);
    }
    let mut end = text.len();
    if let Some((i, _)) = text[start..].char_indices().nth(SNIPPET_CHARS) {
        let cut = start + i;
        end = text[..cut].rfind(char::is_whitespace).filter(|&e| e > at).unwrap_or(cut);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end].split_whitespace().collect::<Vec<_>>().join(" "));
    if end < text.len() {
        out.push('…');
    }
    crate::text::sanitize(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_around_the_first_match() {
        let q = parse("Казахстан").unwrap();
        let long = format!("{} В Казахстане открыли школу. {}", "слово ".repeat(60), "хвост ".repeat(60));
        let s = snippet(&q, &["Первый абзац без совпадений.".into(), long]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("В Казахстане открыли школу."), "{s}");
        assert!(s.chars().count() <= SNIPPET_CHARS + 2, "{s}");
        // Title-only match: the body's start.
        let s = snippet(&q, &["Короткий абзац.".into()]);
        assert_eq!(s, "Короткий абзац.");
    }
}
