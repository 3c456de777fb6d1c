//! The reads computed trending makes: the window's bounds, even samples of
//! articles, their text, and phrase counts through the index. Kept here so
//! the SQL and the schema it depends on stay in one room.

use super::{Result, Store, map_err};

/// What trending reads of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub title: String,
    pub views: i64,
    pub sort_key: i64,
    pub blocks: Vec<String>,
}

impl Store {
    /// The newest `sort_key` not after `at_most`.
    pub fn newest_sort_key(&self, at_most: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT max(sort_key) FROM articles WHERE sort_key <= ?", [at_most], |r| r.get(0))
            .map_err(|e| map_err(&self.path, e))
    }

    /// Every `step`-th id of the articles with `sort_key` in `(lo, hi]`, up
    /// to `max` of them, and how many there are in all.
    pub fn sample_ids(&self, lo: i64, hi: i64, max: usize) -> Result<(Vec<i64>, i64)> {
        let run = || -> rusqlite::Result<(Vec<i64>, i64)> {
            let n: i64 = self.conn.query_row(
                "SELECT count(*) FROM articles WHERE sort_key > ? AND sort_key <= ?",
                [lo, hi],
                |r| r.get(0),
            )?;
            let step = (n as usize).div_ceil(max.max(1)).max(1);
            let mut stmt =
                self.conn.prepare_cached("SELECT id FROM articles WHERE sort_key > ? AND sort_key <= ? ORDER BY id")?;
            let ids: Vec<i64> = stmt.query_map([lo, hi], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok((ids.into_iter().step_by(step).collect(), n))
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// An article's title, views, sort key and block texts.
    pub fn article_text(&self, id: i64) -> Result<ArticleText> {
        let run = || -> rusqlite::Result<ArticleText> {
            let mut meta =
                self.conn.prepare_cached("SELECT title, coalesce(views, 0), sort_key FROM articles WHERE id = ?")?;
            let (title, views, sort_key) = meta.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let mut stmt = self.conn.prepare_cached("SELECT text FROM blocks WHERE article_id = ? ORDER BY seq")?;
            let blocks = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(ArticleText { title, views, sort_key, blocks })
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// Articles with `sort_key` in `(lo, hi]` matching an FTS5 expression.
    pub fn count_matching(&self, expr: &str, lo: i64, hi: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "SELECT count(*) FROM search_fts JOIN articles a ON a.id = search_fts.rowid
                 WHERE search_fts MATCH ? AND a.sort_key > ? AND a.sort_key <= ?",
            )
            .and_then(|mut s| s.query_row(rusqlite::params![expr, lo, hi], |r| r.get(0)))
            .map_err(|e| map_err(&self.path, e))
    }
}
