//! What sync with a feed server keeps in the archive: the server's item id
//! beside each article it sent, the server's feed id beside each
//! subscription, where paging stopped, and the queue of flag changes made
//! here that the server has not heard of yet.
//!
//! Why a queue and not "compare at sync time": a mark made offline must
//! survive until the server takes it, and its time decides a conflict (the
//! newest change wins). A mark is queued in the same transaction that
//! writes it ([`enqueue`], called from `Store::set_flag`), only for
//! articles that have a server id; sync drains the queue first and applies
//! the server's state to every flag that is not queued.
//!
//! An item the server deleted keeps its article (nothing a user saw is
//! lost): only the link to the server goes, so it stops syncing.

use rusqlite::{OptionalExtension, Transaction, params};
use time::OffsetDateTime;

use super::{Result, Store, Upsert, map_err, upsert_article};
use crate::model::NewArticle;

/// Migration: the tables above. `sync_items.server_id` is unique: one
/// server, the one in `sync_state.server` (another server resets them).
/// Safe to run again (`feeds.server_id` is added by [`add_feed_server_id`]
/// only where missing).
pub const MIGRATION: &str = r#"
    CREATE TABLE IF NOT EXISTS sync_items (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        server_id  INTEGER NOT NULL UNIQUE
    );
    CREATE TABLE IF NOT EXISTS sync_queue (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        flag       TEXT NOT NULL,
        value      INTEGER NOT NULL,
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (article_id, flag)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
"#;

/// The server's feed id beside each subscription; run right after
/// [`MIGRATION`], in its transaction.
pub(crate) fn add_feed_server_id(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let has: bool =
        tx.query_row("SELECT count(*) FROM pragma_table_info('feeds') WHERE name = 'server_id'", [], |r| r.get(0))?;
    if !has {
        tx.execute_batch("ALTER TABLE feeds ADD COLUMN server_id INTEGER;")?;
    }
    tx.execute_batch(
        "CREATE UNIQUE INDEX IF NOT EXISTS feeds_server_id ON feeds(server_id) WHERE server_id IS NOT NULL;",
    )
}

/// The schema version that adds [`MIGRATION`] (the lead renumbers on merge:
/// this is the one place the number is written).
pub const SYNC_VERSION: usize = 11;

/// A flag change waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedFlag {
    pub article_id: i64,
    pub server_id: i64,
    /// `"read"` or `"starred"`.
    pub flag: String,
    pub value: bool,
    /// Unix milliseconds.
    pub changed_at: i64,
}

/// An item of the server, ready to store.
#[derive(Debug, Clone)]
pub struct SyncedItem {
    pub server_id: i64,
    pub feed_id: Option<i64>,
    pub article: NewArticle,
    pub read: bool,
    pub starred: bool,
}

/// What storing a page of items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredItems {
    pub added: usize,
    /// Items that matched an article already here (the same link in the
    /// same feed, fetched directly before).
    pub merged: usize,
}

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Queues a flag change of `article_id` if it came from the server; called
/// in the transaction that writes the flag.
pub(crate) fn enqueue(tx: &Transaction<'_>, article_id: i64, flag: &str, value: bool) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sync_queue(article_id, flag, value, changed_at)
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM sync_items WHERE article_id = ?1)
         ON CONFLICT(article_id, flag) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
        params![article_id, flag, value, now_ms()],
    )
    .map(|_| ())
}

/// [`enqueue`] for many articles at once (bulk marks and their undo): one
/// statement, so marking 100 000 articles read does not run 100 000.
pub(crate) fn enqueue_many(tx: &Transaction<'_>, ids_json: &str, flag: &str, value: bool) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sync_queue(article_id, flag, value, changed_at)
         SELECT s.article_id, ?2, ?3, ?4 FROM sync_items s
         WHERE s.article_id IN (SELECT value FROM json_each(?1))
         ON CONFLICT(article_id, flag) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
        params![ids_json, flag, value, now_ms()],
    )
    .map(|_| ())
}

impl Store {
    /// A value of the sync state (`since_id`, `last_sync`, `last_error`…).
    pub fn sync_state(&self, key: &str) -> Result<Option<String>> {
        self.kv_get("sync_state", key)
    }

    pub fn set_sync_state(&mut self, key: &str, value: &str) -> Result<()> {
        self.kv_set("sync_state", key, value)
    }

    /// Makes `server` the one the sync tables are about. Ids of another
    /// server mean nothing here, so a change forgets them (and its queue:
    /// the new server cannot take marks of items it never sent). The
    /// articles and their flags stay. Returns whether it reset.
    pub fn sync_begin(&mut self, server: &str) -> Result<bool> {
        if self.sync_state("server")?.as_deref() == Some(server) {
            return Ok(false);
        }
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        tx.execute_batch(
            "DELETE FROM sync_queue; DELETE FROM sync_items; UPDATE feeds SET server_id = NULL;
             DELETE FROM sync_state;",
        )
        .map_err(map)?;
        tx.execute("INSERT INTO sync_state(key, value) VALUES('server', ?)", [server]).map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(true)
    }

    /// Every queued change, oldest first.
    pub fn sync_queue(&self) -> Result<Vec<QueuedFlag>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT q.article_id, s.server_id, q.flag, q.value, q.changed_at
                 FROM sync_queue q JOIN sync_items s ON s.article_id = q.article_id
                 ORDER BY q.changed_at, q.article_id, q.flag",
            )
            .map_err(map)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(QueuedFlag {
                    article_id: r.get(0)?,
                    server_id: r.get(1)?,
                    flag: r.get(2)?,
                    value: r.get(3)?,
                    changed_at: r.get(4)?,
                })
            })
            .map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    /// Drops a queued change the server took, unless a newer one of the
    /// same flag replaced it meanwhile.
    pub fn sync_unqueue(&mut self, q: &QueuedFlag) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM sync_queue WHERE article_id = ? AND flag = ? AND changed_at = ?",
                params![q.article_id, q.flag, q.changed_at],
            )
            .map(|_| ())
            .map_err(|e| map_err(&self.path, e))
    }

    /// The server deleted this item: the article stays, with its flags, but
    /// no longer syncs (its server id and queued changes go).
    pub fn sync_forget_items(&mut self, server_ids: &[i64]) -> Result<usize> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let json = serde_json::to_string(server_ids).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "DELETE FROM sync_queue WHERE article_id IN
               (SELECT article_id FROM sync_items WHERE server_id IN (SELECT value FROM json_each(?)))",
            [&json],
        )
        .map_err(map)?;
        let n = tx
            .execute("DELETE FROM sync_items WHERE server_id IN (SELECT value FROM json_each(?))", [&json])
            .map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(n)
    }

    /// Subscribes to (or updates) a server's feed, found by its server id,
    /// else by URL; the server's groups are added as tags (local tags stay).
    /// Returns the local feed id and whether it is new.
    pub fn sync_feed(
        &mut self,
        server_id: i64,
        url: &str,
        title: &str,
        site_url: Option<&str>,
        tags: &[String],
    ) -> Result<(i64, bool)> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let found: Option<i64> = tx
            .query_row(
                "SELECT id FROM feeds WHERE server_id = ?1 UNION ALL SELECT id FROM feeds WHERE url = ?2 LIMIT 1",
                params![server_id, url],
                |r| r.get(0),
            )
            .optional()
            .map_err(map)?;
        let title = Some(title.trim()).filter(|t| !t.is_empty());
        let (id, new) = match found {
            Some(id) => {
                tx.execute(
                    "UPDATE feeds SET server_id = ?, title = coalesce(?, title), site_url = coalesce(?, site_url)
                     WHERE id = ?",
                    params![server_id, title, site_url, id],
                )
                .map_err(map)?;
                (id, false)
            }
            None => {
                tx.execute(
                    "INSERT INTO feeds(url, title, site_url, server_id, added) VALUES(?, ?, ?, ?, ?)",
                    params![
                        url,
                        title,
                        site_url,
                        server_id,
                        crate::model::Stamp::DateTime(OffsetDateTime::now_utc()).to_iso()
                    ],
                )
                .map_err(map)?;
                (tx.last_insert_rowid(), true)
            }
        };
        for tag in tags {
            tx.execute(
                "INSERT INTO feed_tags(feed_id, seq, tag)
                 VALUES(?1, (SELECT count(*) FROM feed_tags WHERE feed_id = ?1), ?2) ON CONFLICT DO NOTHING",
                params![id, tag],
            )
            .map_err(map)?;
        }
        tx.commit().map_err(map)?;
        Ok((id, new))
    }

    /// Writes one page of server items and where paging got to, in one
    /// transaction. An item already here (by server id) is left as it is.
    /// One that matches an article fetched directly keeps that article's
    /// true flags, queued so the server hears of them.
    pub fn sync_store_items(
        &mut self,
        items: &[SyncedItem],
        since_id: i64,
        now: OffsetDateTime,
    ) -> Result<StoredItems> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let mut out = StoredItems::default();
        for item in items {
            store_item(&tx, item, now, &mut out).map_err(map)?;
        }
        tx.execute(
            "INSERT INTO sync_state(key, value) VALUES('since_id', ?)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [since_id.to_string()],
        )
        .map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(out)
    }

    /// Server ids of synced articles whose local flag disagrees with the
    /// server's lists and has no queued change: either the server changed
    /// it, or the server no longer has the item (the caller asks which).
    pub fn sync_disagreeing(&self, unread: &[i64], saved: &[i64]) -> Result<Vec<i64>> {
        let map = |e| map_err(&self.path, e);
        let (u, s) = (json(unread), json(saved));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.server_id FROM sync_items s JOIN articles a ON a.id = s.article_id
                 WHERE (a.read = 0 AND s.server_id NOT IN (SELECT value FROM json_each(?1))
                        AND NOT EXISTS (SELECT 1 FROM sync_queue q WHERE q.article_id = a.id AND q.flag = 'read'))
                    OR (a.starred = 1 AND s.server_id NOT IN (SELECT value FROM json_each(?2))
                        AND NOT EXISTS (SELECT 1 FROM sync_queue q WHERE q.article_id = a.id AND q.flag = 'starred'))
                 ORDER BY s.server_id",
            )
            .map_err(map)?;
        let rows = stmt.query_map(params![u, s], |r| r.get(0)).map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    /// Sets `flag` ("read" or "starred") of every synced article from a
    /// server list: ids in it get `list_means`, the others its opposite
    /// ("read" comes as the unread list, so false), skipping queued changes.
    /// Returns (turned on, turned off).
    pub fn sync_apply_flags(&mut self, flag: &str, list: &[i64], list_means: bool) -> Result<(usize, usize)> {
        let column = if flag == "read" { "read" } else { "starred" };
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let ids = json(list);
        let (mut on, mut off) = (0, 0);
        for in_list in [true, false] {
            let value = in_list == list_means;
            let membership = if in_list { "IN" } else { "NOT IN" };
            let sql = format!(
                "UPDATE articles SET {column} = ?1 WHERE {column} != ?1
                   AND id IN (SELECT article_id FROM sync_items WHERE server_id {membership}
                              (SELECT value FROM json_each(?2)))
                   AND id NOT IN (SELECT article_id FROM sync_queue WHERE flag = ?3)"
            );
            let n = tx.execute(&sql, params![value, ids, column]).map_err(map)?;
            if value { on += n } else { off += n }
        }
        tx.commit().map_err(map)?;
        Ok((on, off))
    }

    /// Server feed id → (local feed id, title) of the synced subscriptions.
    pub fn sync_feed_map(&self) -> Result<std::collections::HashMap<i64, (i64, Option<String>)>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT server_id, id, title FROM feeds WHERE server_id IS NOT NULL")
            .map_err(map)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))).map_err(map)?;
        rows.collect::<rusqlite::Result<_>>().map_err(map)
    }

    /// How many articles have a server id, and how many changes wait.
    pub fn sync_counts(&self) -> Result<(i64, i64)> {
        let map = |e| map_err(&self.path, e);
        let items = self.conn.query_row("SELECT count(*) FROM sync_items", [], |r| r.get(0)).map_err(map)?;
        let queued = self.conn.query_row("SELECT count(*) FROM sync_queue", [], |r| r.get(0)).map_err(map)?;
        Ok((items, queued))
    }

    /// The server id of an article, if it came from the server.
    pub fn server_id_of(&self, article_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT server_id FROM sync_items WHERE article_id = ?", [article_id], |r| r.get(0))
            .optional()
            .map_err(|e| map_err(&self.path, e))
    }

    /// The article holding a server item, if any.
    pub fn article_of_server_id(&self, server_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT article_id FROM sync_items WHERE server_id = ?", [server_id], |r| r.get(0))
            .optional()
            .map_err(|e| map_err(&self.path, e))
    }
}

fn json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn store_item(
    tx: &Transaction<'_>,
    item: &SyncedItem,
    now: OffsetDateTime,
    out: &mut StoredItems,
) -> rusqlite::Result<()> {
    let known: Option<i64> = tx
        .prepare_cached("SELECT article_id FROM sync_items WHERE server_id = ?")?
        .query_row([item.server_id], |r| r.get(0))
        .optional()?;
    if known.is_some() {
        return Ok(());
    }
    // The same page fetched here before from the same feed (a feed's own
    // GUID keys it otherwise): that article becomes the server's item.
    let fetched: Option<i64> = match (&item.article.url, item.feed_id) {
        (Some(url), Some(feed)) => tx
            .prepare_cached(
                "SELECT id FROM articles WHERE feed_id = ? AND url_key = ?
                 AND id NOT IN (SELECT article_id FROM sync_items) ORDER BY id LIMIT 1",
            )?
            .query_row(params![feed, crate::model::url_key(url)], |r| r.get(0))
            .optional()?,
        _ => None,
    };
    let written = match fetched {
        Some(id) => Upsert::Updated(id),
        None => upsert_article(tx, &item.article, item.feed_id, now)?,
    };
    let id = written.id();
    // Two server items of one page (same link in one feed) share a row;
    // the first keeps it.
    let linked = tx
        .prepare_cached("INSERT INTO sync_items(article_id, server_id) VALUES(?, ?) ON CONFLICT DO NOTHING")?
        .execute(params![id, item.server_id])?;
    if linked == 0 {
        return Ok(());
    }
    match written {
        Upsert::Added(_) => {
            tx.prepare_cached("UPDATE articles SET read = ?, starred = ? WHERE id = ?")?.execute(params![
                item.read,
                item.starred,
                id
            ])?;
            out.added += 1;
        }
        Upsert::Updated(_) => {
            let (read, starred): (bool, bool) =
                tx.query_row("SELECT read, starred FROM articles WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for (flag, local, server) in [("read", read, item.read), ("starred", starred, item.starred)] {
                if local && !server {
                    enqueue(tx, id, flag, true)?;
                }
            }
            tx.prepare_cached("UPDATE articles SET read = (read OR ?), starred = (starred OR ?) WHERE id = ?")?
                .execute(params![item.read, item.starred, id])?;
            out.merged += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(server_id: i64, title: &str) -> SyncedItem {
        let article =
            NewArticle { title: title.into(), url: Some(format!("http://x/{server_id}")), ..Default::default() };
        SyncedItem { server_id, feed_id: None, article, read: false, starred: false }
    }

    #[test]
    fn marks_of_synced_articles_queue_and_the_server_does_not_override_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        store.sync_begin("fever s u").unwrap();
        let got = store.sync_store_items(&[item(10, "Один"), item(11, "Два")], 11, OffsetDateTime::now_utc()).unwrap();
        assert_eq!(got.added, 2);
        let local = crate::model::NewArticle { title: "Своя".into(), ..Default::default() };
        let own = store.upsert_articles(&[local], OffsetDateTime::now_utc()).unwrap()[0].id();
        let a = store.article_of_server_id(10).unwrap().unwrap();
        store.set_read(a, true).unwrap();
        store.set_read(a, true).unwrap();
        store.set_starred(own, true).unwrap();
        let q = store.sync_queue().unwrap();
        assert_eq!(q.len(), 1, "one change of a synced article; none for a local one: {q:?}");
        assert_eq!((q[0].server_id, q[0].flag.as_str(), q[0].value), (10, "read", true));
        // The server still lists it unread: the queued change wins.
        assert_eq!(store.sync_apply_flags("read", &[10, 11], false).unwrap(), (0, 0));
        assert!(store.article(a).unwrap().summary.read);
        store.sync_unqueue(&q[0]).unwrap();
        assert_eq!(store.sync_apply_flags("read", &[10, 11], false).unwrap(), (0, 1));
        assert_eq!(store.sync_state("since_id").unwrap().as_deref(), Some("11"));
        // Another account forgets the ids, keeps the articles.
        assert!(store.sync_begin("fever other u").unwrap());
        assert_eq!(store.sync_counts().unwrap(), (0, 0));
        assert_eq!(store.counts().unwrap().total, 3);
    }

    #[test]
    fn bulk_marks_and_their_undo_queue_like_single_marks() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        store.sync_begin("fever s u").unwrap();
        store.sync_store_items(&[item(10, "Один"), item(11, "Два")], 11, OffsetDateTime::now_utc()).unwrap();
        let local = crate::model::NewArticle { title: "Своя".into(), ..Default::default() };
        store.upsert_articles(&[local], OffsetDateTime::now_utc()).unwrap();
        let marked = store.mark_read_bulk(&crate::store::bulk::MarkScope::All).unwrap();
        assert_eq!(marked.len(), 3);
        let q = store.sync_queue().unwrap();
        let mut sent: Vec<_> = q.iter().map(|q| (q.server_id, q.flag.as_str(), q.value)).collect();
        sent.sort();
        assert_eq!(sent, [(10, "read", true), (11, "read", true)], "the local article is not queued");
        // Undo: the newest change (unread again) replaces the queued one.
        assert_eq!(store.mark_unread_ids(&marked).unwrap(), 3);
        let q = store.sync_queue().unwrap();
        assert_eq!(q.len(), 2);
        assert!(q.iter().all(|q| q.flag == "read" && !q.value), "{q:?}");
    }

    #[test]
    fn the_migration_is_at_its_version() {
        assert_eq!(super::super::schema::MIGRATIONS[SYNC_VERSION - 1], MIGRATION);
    }
}
