//! Which row an article is, and which other rows hold the same page.
//!
//! An article's key is scoped to its source (see
//! [`crate::model::scoped_identity`]): a subscription's items can only be
//! written by that subscription, so a feed that reuses another feed's GUID
//! or link, or a saved page's URL, gets a row of its own instead of taking
//! the other one over. Rows holding the same page know each other through
//! `url_key` (indexed), which the reader uses for "also in: …" and
//! `svodka get` uses to fill the article the archive already has.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, map_err};
use crate::model::NewArticle;

/// Migration: the same-page key, the "saved by the user" mark that retention
/// honours, and every subscription's rows moved into their feed's scope.
/// Rows without a feed (saved pages, dumps, feed files, items of removed
/// subscriptions) keep their key. Ids, read and starred flags stay.
/// `url_key` is filled by [`backfill_url_keys`] (it is computed in Rust).
pub const MIGRATION: &str = r#"
    ALTER TABLE articles ADD COLUMN url_key TEXT;
    ALTER TABLE articles ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
    UPDATE articles SET identity = 'feed:' || feed_id || char(31) || identity WHERE feed_id IS NOT NULL;
    -- A page fetched with `get` that a feed had taken over: extracted text on
    -- an item of a feed that does not fetch full text. Kept from retention.
    UPDATE articles SET saved = 1
     WHERE feed_id IS NOT NULL AND extracted IS NOT NULL
       AND feed_id NOT IN (SELECT id FROM feeds WHERE full_text = 1);
    CREATE INDEX articles_url_key ON articles(url_key) WHERE url_key IS NOT NULL;
"#;

/// Fills `url_key` for rows that have a URL and no key yet; run right after
/// [`MIGRATION`], in its transaction.
pub(crate) fn backfill_url_keys(tx: &Transaction<'_>) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, url FROM articles WHERE url IS NOT NULL AND url_key IS NULL")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let mut upd = tx.prepare("UPDATE articles SET url_key = ? WHERE id = ?")?;
    for (id, url) in &rows {
        upd.execute(params![crate::model::url_key(url), id])?;
    }
    Ok(rows.len())
}

/// The row an article being written updates, if any: the one with its
/// scoped identity. An item of a feed file may also adopt a row an older
/// svodka keyed by its bare GUID (a feed file's or a removed subscription's,
/// never a page: pages have no GUID), so re-importing a file after the
/// migration does not add copies.
pub(crate) fn existing_row(
    tx: &Transaction<'_>,
    a: &NewArticle,
    identity: &str,
    feed_id: Option<i64>,
) -> rusqlite::Result<Option<i64>> {
    let mut find = tx.prepare_cached("SELECT id FROM articles WHERE identity = ? AND feed_id IS ?")?;
    if let Some(id) = find.query_row(params![identity, feed_id], |r| r.get(0)).optional()? {
        return Ok(Some(id));
    }
    let legacy = crate::model::identity(a);
    if feed_id.is_some() || a.feed_scope.is_none() || !legacy.starts_with("guid:") {
        return Ok(None);
    }
    find.query_row(params![legacy, None::<i64>], |r| r.get(0)).optional()
}

/// Gives the rows of a subscription being removed keys of their own, so a
/// later subscription that reuses the id never writes over them.
pub(crate) fn orphan_feed_rows(conn: &Connection, feed_id: i64) -> rusqlite::Result<usize> {
    conn.execute("UPDATE articles SET identity = 'orphan:' || id || char(31) || identity WHERE feed_id = ?", [feed_id])
}

/// Another row holding the same page as an article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlsoIn {
    pub id: i64,
    pub title: String,
    pub site: Option<String>,
    pub url: Option<String>,
    /// The subscription the row came from; `None` for a saved page, a dump
    /// or a feed file.
    pub feed_id: Option<i64>,
    /// That subscription's title, else its URL.
    pub feed: Option<String>,
}

/// An archived article found by its page's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByUrl {
    pub id: i64,
    /// The URL as that row has it.
    pub url: String,
    /// Whether it is a saved page or dump (not a feed's item).
    pub page: bool,
}

impl Store {
    /// The other articles holding the same page as article `id` (same URL up
    /// to [`crate::model::url_key`]), oldest first: "also in: …".
    pub fn also_in(&self, id: i64) -> Result<Vec<AlsoIn>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT b.id, b.title, s.name, b.url, b.feed_id, coalesce(f.title, f.url)
                 FROM articles a JOIN articles b ON b.url_key = a.url_key AND b.id != a.id
                 LEFT JOIN sites s ON s.id = b.site_id LEFT JOIN feeds f ON f.id = b.feed_id
                 WHERE a.id = ? AND a.url_key IS NOT NULL ORDER BY b.id",
            )
            .map_err(map)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(AlsoIn {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    site: r.get(2)?,
                    url: r.get(3)?,
                    feed_id: r.get(4)?,
                    feed: r.get(5)?,
                })
            })
            .map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    /// The article the archive already has for `url`: a saved page first,
    /// else the oldest row (a subscription's, a feed file's, a dump's).
    pub fn article_by_url(&self, url: &str) -> Result<Option<ByUrl>> {
        let key = crate::model::url_key(url);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, url, feed_id IS NULL AND (identity LIKE 'url:%' OR identity LIKE 'page:%')
                 FROM articles WHERE url_key = ? ORDER BY id",
            )
            .map_err(|e| map_err(&self.path, e))?;
        let mut rows = stmt
            .query_map([key], |r| Ok(ByUrl { id: r.get(0)?, url: r.get(1)?, page: r.get(2)? }))
            .map_err(|e| map_err(&self.path, e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| map_err(&self.path, e))?;
        let pick = rows.iter().position(|r| r.page).unwrap_or(0);
        Ok(if rows.is_empty() { None } else { Some(rows.swap_remove(pick)) })
    }

    /// Marks article `id` as saved by the user (`svodka get`): retention
    /// never drops it, whichever feed it came from.
    pub fn mark_saved(&mut self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("UPDATE articles SET saved = 1 WHERE id = ?", [id])
            .map_err(|e| map_err(&self.path, e))?;
        if n == 0 {
            return Err(super::StoreError::NoSuchArticle(id));
        }
        Ok(())
    }
}
