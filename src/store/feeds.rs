//! Subscriptions in the archive: the `feeds` table, its tags, the fetch
//! state that makes conditional GET work (ETag, Last-Modified), and writing
//! a fetched feed's items in one transaction.
//!
//! Rules from the feeds issue kept here: a failure is recorded on the feed
//! and never touches its articles; items that vanish from a feed stay;
//! removing a subscription keeps its articles (their `feed_id` goes NULL).

use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use super::{Result, Store, StoreError, Upsert, map_err, upsert_article_with};
use crate::model::{NewArticle, Stamp};

/// A subscription as `svodka feeds` and the fetcher see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Feed {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    pub last_fetch: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub gone: bool,
    pub article_count: i64,
    pub unread_count: i64,
    /// Seconds the last successful fetch stays fresh: the feed's RSS
    /// `<ttl>` or the response's `Cache-Control: max-age`, whichever is
    /// longer (`None`: it named neither). See `ingest::fetch::is_due`.
    #[serde(skip)]
    pub fresh_for: Option<i64>,
}

/// What a successful fetch carries to the archive.
#[derive(Debug, Clone, Default)]
pub struct FetchedFeed {
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// See [`Feed::fresh_for`].
    pub fresh_for: Option<i64>,
    pub items: Vec<NewArticle>,
    /// The items' index terms when computed beforehand (by the fetch
    /// workers), else empty and computed while writing.
    pub index: Vec<super::fts::IndexForm>,
}

/// The version the freshness migration takes the archive to. Defined once,
/// here: branches append migrations and the merge renumbers them.
pub(crate) const FRESHNESS_VERSION: usize = 9;

/// A feed's freshness (RSS `<ttl>`, `Cache-Control: max-age`), so the
/// refresh policy skips feeds that asked not to be fetched yet. The SQL
/// step is empty: [`add_fresh_for`] adds the column in Rust, only where it
/// is missing, so an archive carried through this version twice (tests
/// rewind `user_version`) is not refused.
pub(crate) const FRESHNESS_MIGRATION: &str = "";

/// Runs as [`FRESHNESS_VERSION`]'s step (see `schema::after`).
pub(crate) fn add_fresh_for(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let has: bool =
        tx.query_row("SELECT count(*) > 0 FROM pragma_table_info('feeds') WHERE name = 'fresh_for'", [], |r| r.get(0))?;
    if !has {
        tx.execute_batch("ALTER TABLE feeds ADD COLUMN fresh_for INTEGER;")?;
    }
    Ok(())
}

fn now_iso(now: OffsetDateTime) -> String {
    Stamp::DateTime(now).to_iso()
}

impl Store {
    /// Subscribes to `url` (or, if already subscribed, adds the new tags and
    /// fills a missing title). Returns the feed id and whether it is new.
    pub fn add_feed(&mut self, url: &str, title: Option<&str>, tags: &[String]) -> Result<(i64, bool)> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let existing: Option<i64> =
            tx.query_row("SELECT id FROM feeds WHERE url = ?", [url], |r| r.get(0)).optional().map_err(map)?;
        let (id, new) = match existing {
            Some(id) => {
                tx.execute("UPDATE feeds SET title = coalesce(title, ?) WHERE id = ?", params![title, id])
                    .map_err(map)?;
                (id, false)
            }
            None => {
                tx.execute(
                    "INSERT INTO feeds(url, title, added) VALUES(?, ?, ?)",
                    params![url, title, now_iso(OffsetDateTime::now_utc())],
                )
                .map_err(map)?;
                (tx.last_insert_rowid(), true)
            }
        };
        for tag in tags {
            tx.execute(
                "INSERT INTO feed_tags(feed_id, seq, tag)
                 VALUES(?1, (SELECT count(*) FROM feed_tags WHERE feed_id = ?1), ?2)
                 ON CONFLICT DO NOTHING",
                params![id, tag],
            )
            .map_err(map)?;
        }
        tx.commit().map_err(map)?;
        Ok((id, new))
    }

    /// Unsubscribes. The feed's articles stay in the archive, under keys of
    /// their own (a later subscription may get the same id).
    pub fn remove_feed(&mut self, id: i64) -> Result<()> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        super::identity::orphan_feed_rows(&tx, id).map_err(map)?;
        let n = tx.execute("DELETE FROM feeds WHERE id = ?", [id]).map_err(map)?;
        if n == 0 {
            return Err(StoreError::NoSuchFeed(id.to_string()));
        }
        tx.commit().map_err(map)
    }

    /// Finds a feed by id (all digits) or by its exact URL.
    pub fn find_feed(&self, key: &str) -> Result<Feed> {
        let id: Option<i64> = match key.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => self
                .conn
                .query_row("SELECT id FROM feeds WHERE url = ?", [key], |r| r.get(0))
                .optional()
                .map_err(|e| map_err(&self.path, e))?,
        };
        id.and_then(|id| self.feeds().ok()?.into_iter().find(|f| f.id == id))
            .ok_or_else(|| StoreError::NoSuchFeed(key.to_string()))
    }

    /// Every subscription with its counts, in the order they were added.
    pub fn feeds(&self) -> Result<Vec<Feed>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.id, f.url, f.title, f.site_url, f.etag, f.last_modified, f.last_fetch, f.last_success,
                        f.last_error, f.gone,
                        (SELECT count(*) FROM articles a WHERE a.feed_id = f.id),
                        (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0),
                        (SELECT json_group_array(tag) FROM (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id
                                                            ORDER BY seq)),
                        f.fresh_for
                 FROM feeds f ORDER BY f.id",
            )
            .map_err(map)?;
        let rows = stmt
            .query_map([], |r| {
                let tags: String = r.get(12)?;
                Ok(Feed {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    title: r.get(2)?,
                    site_url: r.get(3)?,
                    etag: r.get(4)?,
                    last_modified: r.get(5)?,
                    last_fetch: r.get(6)?,
                    last_success: r.get(7)?,
                    last_error: r.get(8)?,
                    gone: r.get(9)?,
                    article_count: r.get(10)?,
                    unread_count: r.get(11)?,
                    tags: serde_json::from_str(&tags).unwrap_or_default(),
                    fresh_for: r.get(13)?,
                })
            })
            .map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    /// Writes a fetched feed: its items (GUID, else link, else title + date
    /// identity; existing ones update in place and keep read/starred) and its
    /// new fetch state, all in one transaction.
    pub fn store_fetched(&mut self, feed_id: i64, fetched: &FetchedFeed, now: OffsetDateTime) -> Result<Vec<Upsert>> {
        self.store_fetched_with(feed_id, fetched, now, &mut Default::default())
    }

    /// [`Store::store_fetched`] with the topic key ids a bulk load keeps.
    pub(crate) fn store_fetched_with(
        &mut self,
        feed_id: i64,
        fetched: &FetchedFeed,
        now: OffsetDateTime,
        key_ids: &mut super::topic_counts::KeyIds,
    ) -> Result<Vec<Upsert>> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let out = write_fetched(&tx, feed_id, fetched, now, key_ids).map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(out)
    }

    /// A 304: nothing changed; only the time of the check is kept.
    pub fn record_not_modified(&mut self, feed_id: i64, now: OffsetDateTime) -> Result<()> {
        write_not_modified(&self.conn, feed_id, now).map_err(|e| map_err(&self.path, e))
    }

    /// A failed fetch: the reason is kept on the feed; articles are untouched.
    /// `gone` marks a feed the server says is permanently gone (410).
    pub fn record_fetch_error(&mut self, feed_id: i64, error: &str, gone: bool, now: OffsetDateTime) -> Result<()> {
        write_fetch_error(&self.conn, feed_id, error, gone, now).map_err(|e| map_err(&self.path, e))
    }

    /// A permanent redirect (301/308): the subscription follows it. If the
    /// new URL is already another subscription, the old one is kept as is.
    pub fn move_feed(&mut self, feed_id: i64, new_url: &str) -> Result<bool> {
        write_move(&self.conn, feed_id, new_url).map_err(|e| map_err(&self.path, e))
    }

    /// The optional retention rule: drops feed articles older than
    /// `keep_days` (by publication, else addition) and those beyond the
    /// newest `keep_per_feed` of their feed. Starred and unread articles are
    /// never dropped, nor anything that did not come from a feed (page
    /// dumps, imported files, saved pages), nor a feed's item the user saved
    /// with `svodka get`. Returns how many were deleted.
    pub fn apply_retention(
        &mut self,
        keep_days: Option<u32>,
        keep_per_feed: Option<u32>,
        now: OffsetDateTime,
    ) -> Result<usize> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let mut n = 0;
        if let Some(days) = keep_days {
            let cutoff = now.unix_timestamp() - i64::from(days) * 86_400;
            let mut args = Vec::new();
            let older = super::fts::seen_before(cutoff, &mut args);
            n += tx
                .execute(
                    &format!(
                        "DELETE FROM articles AS a WHERE feed_id IS NOT NULL AND read = 1 AND starred = 0
                         AND saved = 0 AND {older}"
                    ),
                    rusqlite::params_from_iter(args),
                )
                .map_err(map)?;
        }
        if let Some(keep) = keep_per_feed {
            n += tx
                .execute(
                    "DELETE FROM articles WHERE id IN (
                        SELECT id FROM (
                            SELECT id, read, starred, saved,
                                   row_number() OVER (PARTITION BY feed_id ORDER BY sort_key DESC, id DESC) AS rank
                            FROM articles WHERE feed_id IS NOT NULL)
                        WHERE rank > ? AND read = 1 AND starred = 0 AND saved = 0)",
                    [i64::from(keep)],
                )
                .map_err(map)?;
        }
        tx.commit().map_err(map)?;
        Ok(n)
    }
}

/// [`Store::store_fetched`] in a transaction the caller holds (a bulk load
/// writes several feeds in one).
pub(crate) fn write_fetched(
    tx: &rusqlite::Transaction<'_>,
    feed_id: i64,
    fetched: &FetchedFeed,
    now: OffsetDateTime,
    key_ids: &mut super::topic_counts::KeyIds,
) -> rusqlite::Result<Vec<Upsert>> {
    let mut out = Vec::with_capacity(fetched.items.len());
    let mut topics = super::topic_counts::TopicBatch::with_ids(std::mem::take(key_ids));
    for (i, a) in fetched.items.iter().enumerate() {
        let r = upsert_article_with(tx, a, Some(feed_id), now, fetched.index.get(i), Some(&mut topics))?;
        tx.prepare_cached("UPDATE articles SET guid = ? WHERE id = ?")?.execute(params![a.guid, r.id()])?;
        out.push(r);
    }
    topics.flush(tx)?;
    *key_ids = topics.into_ids();
    let now = now_iso(now);
    tx.execute(
        "UPDATE feeds SET title = coalesce(title, ?), site_url = coalesce(?, site_url), etag = ?, last_modified = ?,
             last_fetch = ?, last_success = ?, last_error = NULL, gone = 0, fresh_for = ?
         WHERE id = ?",
        params![
            fetched.title,
            fetched.site_url,
            fetched.etag,
            fetched.last_modified,
            now,
            now,
            fetched.fresh_for,
            feed_id
        ],
    )?;
    Ok(out)
}

/// [`Store::record_not_modified`] on any connection or transaction.
pub(crate) fn write_not_modified(
    conn: &rusqlite::Connection,
    feed_id: i64,
    now: OffsetDateTime,
) -> rusqlite::Result<()> {
    let now = now_iso(now);
    conn.prepare_cached("UPDATE feeds SET last_fetch = ?, last_success = ?, last_error = NULL WHERE id = ?")?
        .execute(params![now, now, feed_id])
        .map(|_| ())
}

/// [`Store::record_fetch_error`] on any connection or transaction.
pub(crate) fn write_fetch_error(
    conn: &rusqlite::Connection,
    feed_id: i64,
    error: &str,
    gone: bool,
    now: OffsetDateTime,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE feeds SET last_fetch = ?, last_error = ?, gone = (gone OR ?) WHERE id = ?")?
        .execute(params![now_iso(now), error, gone, feed_id])
        .map(|_| ())
}

/// [`Store::move_feed`] on any connection or transaction.
pub(crate) fn write_move(conn: &rusqlite::Connection, feed_id: i64, new_url: &str) -> rusqlite::Result<bool> {
    let taken: bool =
        conn.query_row("SELECT count(*) FROM feeds WHERE url = ? AND id != ?", params![new_url, feed_id], |r| {
            r.get(0)
        })?;
    if taken {
        return Ok(false);
    }
    conn.execute("UPDATE feeds SET url = ? WHERE id = ?", params![new_url, feed_id]).map(|n| n > 0)
}
