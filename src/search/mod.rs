//! Russian-aware full-text search over the archive, and computed trends.
//!
//! newsboat-style `LIKE` search folds only ASCII case, so «казахстан» misses
//! «Казахстане». Here every word is folded and stemmed in Rust
//! ([`crate::lang`]), stored in an FTS5 index kept in step with every article
//! write ([`crate::store::fts`]), queried with a small language ([`query`]) and ranked by
//! bm25 (title over body, newer first on ties). [`trending`] finds the terms
//! whose frequency rises most in the recent window.
//!
//! The SQL lives in the store ([`crate::store::fts`]); this module owns the
//! language: parsing, what a term is, snippets and highlights.

pub mod query;
pub mod trending;
use std::ops::Range;

use serde::Serialize;

use crate::model::Stamp;
use crate::store::fts::FtsQuery;
pub use crate::store::fts::{RANK_CANDIDATES, TITLE_WEIGHT};
use crate::store::{Store, StoreError};
pub use query::{Query, QueryError, parse};

/// Snippet length in characters, before the ellipses.
const SNIPPET_CHARS: usize = 180;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("bad query")]
    Query(#[from] QueryError),
    #[error("search failed")]
    Store(#[from] StoreError),
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
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
    let q = parse(query)?;
    search_parsed(store, &q, limit)
}

/// Searches with an already parsed query.
pub fn search_parsed(store: &Store, q: &Query, limit: usize) -> Result<Vec<Hit>, SearchError> {
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let fq = FtsQuery {
        must: q.fts_must(),
        must_not: q.fts_must_not(),
        unread: q.unread,
        read: q.read,
        starred: q.starred,
        after: q.after,
        before: q.before,
        sites: &q.sites,
        tags: &q.tags,
        limit,
    };
    let terms = q.terms();
    let hits = store.search(&fq)?;
    Ok(hits
        .into_iter()
        .map(|h| Hit {
            id: h.id,
            title: h.title,
            site: h.site,
            published: h.published,
            score: h.score,
            snippet: snippet(q, &h.blocks),
            terms: terms.clone(),
        })
        .collect())
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
