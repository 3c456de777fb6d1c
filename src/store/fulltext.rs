//! Full text in the archive: which feeds want it, which articles carry text
//! extracted from their page (and since when), and why an extraction
//! failed. The teaser stays until an extraction succeeds; once it has, a
//! re-fetched feed item updates the article's metadata but never puts the
//! teaser back (see `upsert_article`).

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Result, Store, StoreError, Upsert, map_err, upsert_article};
use crate::model::{NewArticle, Stamp};

/// Migration: the per-feed flag (and since when, so only items that arrive
/// after it was set are fetched), and per article the time its text was
/// extracted or the reason the last attempt failed.
pub const MIGRATION: &str = r#"
    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN full_text_since TEXT;
    ALTER TABLE articles ADD COLUMN extracted TEXT;
    ALTER TABLE articles ADD COLUMN extract_error TEXT;
    CREATE INDEX articles_extract_pending ON articles(feed_id) WHERE extracted IS NULL AND extract_error IS NULL;
"#;

/// An article whose page is to be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: i64,
    pub url: String,
}

/// Whether article `id` carries extracted text (its body is not the feed's).
pub(crate) fn has_extracted(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT extracted IS NOT NULL FROM articles WHERE id = ?")?.query_row([id], |r| r.get(0))
}

/// When article `id`'s text was extracted, if it was.
pub(crate) fn extracted_at(conn: &Connection, id: i64) -> rusqlite::Result<Option<OffsetDateTime>> {
    let s: Option<String> = conn
        .prepare_cached("SELECT extracted FROM articles WHERE id = ?")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(s.and_then(|s| OffsetDateTime::parse(&s, &Rfc3339).ok()))
}

fn iso(t: OffsetDateTime) -> String {
    Stamp::DateTime(t).to_iso()
}

impl Store {
    /// Turns full-text fetching on or off for a feed.
    pub fn set_full_text(&mut self, feed_id: i64, on: bool, now: OffsetDateTime) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE feeds SET full_text = ?1,
                     full_text_since = CASE WHEN ?1 THEN coalesce(full_text_since, ?2) ELSE NULL END
                 WHERE id = ?3",
                params![on, iso(now), feed_id],
            )
            .map_err(|e| map_err(&self.path, e))?;
        if n == 0 {
            return Err(StoreError::NoSuchFeed(feed_id.to_string()));
        }
        Ok(())
    }

    /// Whether a feed has full text on.
    pub fn full_text(&self, feed_id: i64) -> Result<bool> {
        self.conn
            .query_row("SELECT full_text FROM feeds WHERE id = ?", [feed_id], |r| r.get(0))
            .optional()
            .map_err(|e| map_err(&self.path, e))?
            .ok_or_else(|| StoreError::NoSuchFeed(feed_id.to_string()))
    }

    /// Articles of full-text feeds that arrived since the flag was set and
    /// were never tried, oldest first.
    pub fn pending_full_text(&self, limit: usize) -> Result<Vec<Pending>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.url FROM articles a JOIN feeds f ON f.id = a.feed_id
                 WHERE f.full_text = 1 AND a.extracted IS NULL AND a.extract_error IS NULL AND a.url IS NOT NULL
                   AND julianday(a.added) >= julianday(f.full_text_since)
                 ORDER BY a.id LIMIT ?",
            )
            .map_err(map)?;
        let rows = stmt
            .query_map([limit.min(i64::MAX as usize) as i64], |r| Ok(Pending { id: r.get(0)?, url: r.get(1)? }))
            .map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    /// The URL of article `id` and the reason its last extraction failed.
    pub fn extract_state(&self, id: i64) -> Result<(Option<String>, Option<OffsetDateTime>, Option<String>)> {
        self.conn
            .query_row("SELECT url, extracted, extract_error FROM articles WHERE id = ?", [id], |r| {
                let t: Option<String> = r.get(1)?;
                Ok((r.get(0)?, t.and_then(|s| OffsetDateTime::parse(&s, &Rfc3339).ok()), r.get(2)?))
            })
            .optional()
            .map_err(|e| map_err(&self.path, e))?
            .ok_or(StoreError::NoSuchArticle(id))
    }

    /// Replaces article `id`'s body with extracted text (one transaction),
    /// filling author and date where the feed had none, and marks it
    /// extracted at `now`. Read/starred state and the title stay.
    pub fn store_extracted(&mut self, id: i64, ex: &crate::model::Extracted, now: OffsetDateTime) -> Result<()> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let title: Option<String> =
            tx.query_row("SELECT title FROM articles WHERE id = ?", [id], |r| r.get(0)).optional().map_err(map)?;
        let Some(title) = title else { return Err(StoreError::NoSuchArticle(id)) };
        tx.execute(
            "UPDATE articles SET author = coalesce(author, ?), published = coalesce(published, ?),
                 extracted = ?, extract_error = NULL WHERE id = ?",
            params![ex.byline, ex.published.map(|p| p.to_iso()), iso(now), id],
        )
        .map_err(map)?;
        for table in ["bodies", "links"] {
            tx.execute(&format!("DELETE FROM {table} WHERE article_id = ?"), [id]).map_err(map)?;
        }
        super::body::write(&tx, id, &super::body::Packed::of(&ex.blocks)).map_err(map)?;
        for (i, l) in ex.links.iter().enumerate() {
            tx.execute(
                "INSERT INTO links(article_id, seq, text, url) VALUES(?, ?, ?, ?)",
                params![id, i as i64, l.text, l.url],
            )
            .map_err(map)?;
        }
        let indexed = NewArticle { title, blocks: ex.blocks.clone(), ..NewArticle::default() };
        super::fts::index_article(&tx, Upsert::Updated(id), &indexed).map_err(map)?;
        tx.commit().map_err(map)
    }

    /// Records why extracting article `id` failed; its text stays as it was.
    pub fn record_extract_error(&mut self, id: i64, error: &str) -> Result<()> {
        let n = self
            .conn
            .execute("UPDATE articles SET extract_error = ? WHERE id = ?", params![error, id])
            .map_err(|e| map_err(&self.path, e))?;
        if n == 0 {
            return Err(StoreError::NoSuchArticle(id));
        }
        Ok(())
    }

    /// Writes an article extracted from a page fetched on its own
    /// (`svodka get`): a new article, or an update of the same URL, marked
    /// extracted at `now`.
    pub fn store_page(&mut self, a: &NewArticle, now: OffsetDateTime) -> Result<Upsert> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        // Clear the mark first so the upsert replaces the body.
        tx.execute("UPDATE articles SET extracted = NULL WHERE identity = ?", [crate::model::scoped_identity(a, None)])
            .map_err(map)?;
        let r = upsert_article(&tx, a, None, now).map_err(map)?;
        tx.execute("UPDATE articles SET extracted = ?, extract_error = NULL WHERE id = ?", params![iso(now), r.id()])
            .map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(r)
    }
}
