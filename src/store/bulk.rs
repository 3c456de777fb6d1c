//! Writes of many rows at once: marking many articles read (a feed, a
//! filtered list, the whole archive) and undoing it, the small subscription
//! edits the reader's feeds view makes (rename), and bulk loads
//! ([`BulkLoad`], `svodka import` and `fetch`).
//!
//! Why a file of its own: a bulk mark must be undoable exactly, so it returns
//! the ids it changed (articles already read stay out of the undo), and each
//! one is a single short IMMEDIATE transaction so another svodka waits for
//! milliseconds, not for a loop of single-row writes.

use rusqlite::{TransactionBehavior, params};
use time::OffsetDateTime;

use super::feeds::{self, FetchedFeed};
use super::fts::{self, IndexForm};
use super::{Result, Store, StoreError, Upsert, map_err};
use crate::model::NewArticle;

/// Which articles a bulk mark covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkScope {
    /// Every article of these subscriptions.
    Feeds(Vec<i64>),
    /// These articles (a filtered list resolved to its ids).
    Ids(Vec<i64>),
    /// The whole archive.
    All,
}

fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Marks the unread articles of `scope` read in one transaction; returns
    /// the ids it changed (ascending), for an exact undo.
    pub fn mark_read_bulk(&mut self, scope: &MarkScope) -> Result<Vec<i64>> {
        let (sql, arg) = match scope {
            MarkScope::Feeds(f) => (
                "UPDATE articles SET read = 1
                 WHERE read = 0 AND feed_id IN (SELECT value FROM json_each(?1)) RETURNING id",
                Some(json_ids(f)),
            ),
            MarkScope::Ids(ids) => (
                "UPDATE articles SET read = 1
                 WHERE read = 0 AND id IN (SELECT value FROM json_each(?1)) RETURNING id",
                Some(json_ids(ids)),
            ),
            MarkScope::All => ("UPDATE articles SET read = 1 WHERE read = 0 RETURNING id", None),
        };
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map)?;
        let mut ids = {
            let mut stmt = tx.prepare(sql).map_err(map)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(arg.iter()), |r| r.get(0)).map_err(map)?;
            rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(map)?
        };
        // A synced article's change goes to the server on the next sync,
        // as a single mark's does.
        super::sync::enqueue_many(&tx, &json_ids(&ids), "read", true).map_err(map)?;
        tx.commit().map_err(map)?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Undoes a bulk mark: exactly these articles become unread again (one
    /// transaction). Returns how many still exist.
    pub fn mark_unread_ids(&mut self, ids: &[i64]) -> Result<usize> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map)?;
        let changed: Vec<i64> = {
            let mut stmt = tx
                .prepare(
                    "UPDATE articles SET read = 0
                     WHERE read = 1 AND id IN (SELECT value FROM json_each(?)) RETURNING id",
                )
                .map_err(map)?;
            let rows = stmt.query_map([json_ids(ids)], |r| r.get(0)).map_err(map)?;
            rows.collect::<rusqlite::Result<_>>().map_err(map)?
        };
        super::sync::enqueue_many(&tx, &json_ids(&changed), "read", false).map_err(map)?;
        let present: i64 = tx
            .query_row(
                "SELECT count(*) FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                [json_ids(ids)],
                |r| r.get(0),
            )
            .map_err(map)?;
        tx.commit().map_err(map)?;
        let n = usize::try_from(present).unwrap_or(0);
        Ok(n)
    }

    /// The articles of these subscriptions (the reader's feed filter).
    pub fn feed_article_ids(&self, feeds: &[i64]) -> Result<Vec<i64>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE feed_id IN (SELECT value FROM json_each(?)) ORDER BY id")
            .map_err(map)?;
        let rows = stmt.query_map([json_ids(feeds)], |r| r.get(0)).map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(map)
    }

    /// Renames a subscription (an empty title goes back to the feed's own,
    /// filled in by the next fetch).
    pub fn rename_feed(&mut self, id: i64, title: &str) -> Result<()> {
        let title = Some(title.trim()).filter(|t| !t.is_empty());
        let n = self
            .conn
            .execute("UPDATE feeds SET title = ? WHERE id = ?", params![title, id])
            .map_err(|e| map_err(&self.path, e))?;
        if n == 0 {
            return Err(StoreError::NoSuchFeed(id.to_string()));
        }
        Ok(())
    }
}

/// One feed's part of [`BulkLoad::write_feeds`].
#[derive(Debug, Clone, Copy)]
pub enum FeedWrite<'a> {
    /// A body parsed into items (see [`Store::store_fetched`]), after a
    /// permanent redirect to `moved_to` (see [`Store::move_feed`]).
    Fetched { feed_id: i64, fetched: &'a FetchedFeed, moved_to: Option<&'a str> },
    /// See [`Store::record_not_modified`].
    NotModified { feed_id: i64 },
    /// See [`Store::record_fetch_error`].
    Failed { feed_id: i64, error: &'a str, gone: bool },
}

/// What [`BulkLoad::write_feeds`] did with a fetched feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedWritten {
    pub upserts: Vec<Upsert>,
    /// The subscription followed the permanent redirect (the URL was no
    /// other subscription's).
    pub moved: bool,
}

/// An article ready for the archive's writer: parsed, with its index terms
/// computed beforehand (on a worker thread).
pub type Prepared = (NewArticle, IndexForm);

/// A bulk load in progress (`svodka import`, `fetch`): the archive's writer
/// only inserts, each write one committed transaction, with FTS5 merging
/// less often meanwhile (set at the first write, so a load that writes no
/// article writes nothing else either) and a bigger page cache. Dropping it
/// unfinished puts the usual settings back; so does [`BulkLoad::finish`],
/// which also merges the index when the load was a large part of it.
pub struct BulkLoad<'s> {
    store: &'s mut Store,
    added: usize,
    cache_size: i64,
    tuned: bool,
    done: bool,
    /// The topic keys' ids the load has written or found (see
    /// `topic_counts::KeyIds`); dropped with the load, so a long-lived
    /// connection (the reader's) does not grow with every key it meets.
    pub(super) key_ids: super::topic_counts::KeyIds,
}

/// The page cache while loading (KiB): index b-trees and FTS5 segment
/// merges stay in memory. Connection-local; put back afterwards.
const BULK_CACHE_KIB: i64 = 32 * 1024;

impl Store {
    /// Starts a bulk load (see [`BulkLoad`]).
    pub fn bulk_load(&mut self) -> Result<BulkLoad<'_>> {
        let map = |e| map_err(&self.path, e);
        let cache_size: i64 = self.conn.pragma_query_value(None, "cache_size", |r| r.get(0)).map_err(map)?;
        self.conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB).map_err(map)?;
        // The insert path's statements all stay prepared.
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(BulkLoad { store: self, added: 0, cache_size, tuned: false, done: false, key_ids: Default::default() })
    }
}

impl BulkLoad<'_> {
    /// The archive, for the writes a load makes besides articles
    /// (subscriptions found in OPML files).
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// Writes a batch in one transaction: all of it lands or none does.
    pub fn write(&mut self, batch: &[Prepared], now: OffsetDateTime) -> Result<Vec<Upsert>> {
        self.tune()?;
        let path = self.store.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.store.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map)?;
        let mut out = Vec::with_capacity(batch.len());
        let mut topics = super::topic_counts::TopicBatch::with_ids(std::mem::take(&mut self.key_ids));
        for (a, index) in batch {
            out.push(super::upsert_article_with(&tx, a, None, now, Some(index), Some(&mut topics)).map_err(map)?);
        }
        topics.flush(&tx).map_err(map)?;
        tx.commit().map_err(map)?;
        self.key_ids = topics.into_ids();
        self.added += out.iter().filter(|u| matches!(u, Upsert::Added(_))).count();
        Ok(out)
    }

    /// Writes a fetched feed (see [`Store::store_fetched`]).
    pub fn store_fetched(
        &mut self,
        feed_id: i64,
        fetched: &super::feeds::FetchedFeed,
        now: OffsetDateTime,
    ) -> Result<Vec<Upsert>> {
        if !fetched.items.is_empty() {
            self.tune()?;
        }
        let out = self.store.store_fetched_with(feed_id, fetched, now, &mut self.key_ids)?;
        self.added += out.iter().filter(|u| matches!(u, Upsert::Added(_))).count();
        Ok(out)
    }

    /// Writes several feeds' fetch results in one transaction: all land or
    /// none does (the caller then writes them one by one, so one feed's
    /// failure stays its own). Per feed: what its items did and whether it
    /// moved, or `None` for a 304 or a failure, which only record the check.
    pub fn write_feeds(&mut self, feeds: &[FeedWrite<'_>], now: OffsetDateTime) -> Result<Vec<Option<FeedWritten>>> {
        if feeds.iter().any(|f| matches!(f, FeedWrite::Fetched { fetched, .. } if !fetched.items.is_empty())) {
            self.tune()?;
        }
        let path = self.store.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.store.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map)?;
        let mut out = Vec::with_capacity(feeds.len());
        for f in feeds {
            out.push(match *f {
                FeedWrite::Fetched { feed_id, fetched, moved_to } => {
                    let moved = match moved_to {
                        Some(url) => feeds::write_move(&tx, feed_id, url).map_err(map)?,
                        None => false,
                    };
                    let upserts = feeds::write_fetched(&tx, feed_id, fetched, now, &mut self.key_ids).map_err(map)?;
                    Some(FeedWritten { upserts, moved })
                }
                FeedWrite::NotModified { feed_id } => {
                    feeds::write_not_modified(&tx, feed_id, now).map_err(map)?;
                    None
                }
                FeedWrite::Failed { feed_id, error, gone } => {
                    feeds::write_fetch_error(&tx, feed_id, error, gone, now).map_err(map)?;
                    None
                }
            });
        }
        tx.commit().map_err(map)?;
        let upserts = out.iter().flatten().flat_map(|w| &w.upserts);
        self.added += upserts.filter(|u| matches!(u, Upsert::Added(_))).count();
        Ok(out)
    }

    /// Ends the load: the usual settings back and, when the load added at
    /// least a quarter of the archive, the index merged into one segment
    /// (the fastest to search; merging a small load into a large index
    /// would rewrite all of it for little gain, so automerge does that).
    pub fn finish(mut self) -> Result<()> {
        self.done = true;
        let path = self.store.path.clone();
        self.restore().map_err(|e| map_err(&path, e))?;
        let total = self.store.counts()?.total.max(0) as usize;
        if self.added > 0 && self.added * 4 >= total {
            fts::optimize(&self.store.conn).map_err(|e| map_err(&path, e))?;
        }
        Ok(())
    }

    fn tune(&mut self) -> Result<()> {
        if !self.tuned {
            fts::tune(&self.store.conn, fts::Tuning::BulkLoad).map_err(|e| map_err(&self.store.path, e))?;
            self.tuned = true;
        }
        Ok(())
    }

    fn restore(&mut self) -> rusqlite::Result<()> {
        if self.tuned {
            fts::tune(&self.store.conn, fts::Tuning::Normal)?;
            self.tuned = false;
        }
        self.store.conn.pragma_update(None, "cache_size", self.cache_size)
    }
}

impl Drop for BulkLoad<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.restore();
        }
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::OptionalExtension;

    use super::*;
    use crate::model::Stamp;
    use crate::store::fts::FtsQuery;

    fn item(n: usize) -> NewArticle {
        NewArticle {
            title: format!("Новость {n}"),
            url: Some(format!("https://example.kz/{n}")),
            guid: Some(format!("g{n}")),
            published: Some(Stamp::parse_iso("2026-03-14T08:00:00Z").unwrap()),
            ..NewArticle::default()
        }
    }

    /// Two feeds of three items each and one page dump (no feed).
    fn archive() -> (tempfile::TempDir, Store, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let (a, _) = s.add_feed("https://a.kz/rss", Some("А"), &[]).unwrap();
        let (b, _) = s.add_feed("https://b.kz/rss", Some("Б"), &["новости".into()]).unwrap();
        for (feed, from) in [(a, 0), (b, 3)] {
            let f =
                crate::store::feeds::FetchedFeed { items: (from..from + 3).map(item).collect(), ..Default::default() };
            s.store_fetched(feed, &f, now).unwrap();
        }
        s.upsert_articles(&[item(9)], now).unwrap();
        (dir, s, a, b)
    }

    fn unread(s: &Store) -> i64 {
        s.counts().unwrap().unread
    }

    #[test]
    fn bulk_mark_returns_exactly_what_it_changed_and_undo_restores_it() {
        let (_d, mut s, a, b) = archive();
        assert_eq!(unread(&s), 7);
        let in_a = s.feed_article_ids(&[a]).unwrap();
        assert_eq!(in_a.len(), 3);
        // One of feed A's articles was read before: the bulk mark leaves it out.
        s.set_read(in_a[0], true).unwrap();
        let changed = s.mark_read_bulk(&MarkScope::Feeds(vec![a])).unwrap();
        assert_eq!(changed, in_a[1..].to_vec());
        assert_eq!(unread(&s), 4);
        assert_eq!(s.mark_unread_ids(&changed).unwrap(), 2);
        assert_eq!(unread(&s), 6, "the article read before stays read");
        assert!(s.article(in_a[0]).unwrap().summary.read);

        let in_b = s.feed_article_ids(&[b]).unwrap();
        let changed = s.mark_read_bulk(&MarkScope::Ids(vec![in_b[0], in_b[2], 999])).unwrap();
        assert_eq!(changed, vec![in_b[0], in_b[2]]);
        s.mark_unread_ids(&changed).unwrap();

        let all = s.mark_read_bulk(&MarkScope::All).unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(unread(&s), 0);
        assert!(s.mark_read_bulk(&MarkScope::All).unwrap().is_empty(), "nothing left to change");
        s.mark_unread_ids(&all).unwrap();
        assert_eq!(unread(&s), 6);
    }

    #[test]
    fn rename_sets_and_clears_the_title() {
        let (_d, mut s, a, _) = archive();
        s.rename_feed(a, "  Моя лента ").unwrap();
        assert_eq!(s.find_feed(&a.to_string()).unwrap().title.as_deref(), Some("Моя лента"));
        s.rename_feed(a, "").unwrap();
        assert_eq!(s.find_feed(&a.to_string()).unwrap().title, None);
        assert!(matches!(s.rename_feed(999, "x"), Err(StoreError::NoSuchFeed(_))));
    }

    fn fts_setting(s: &Store, key: &str) -> Option<i64> {
        s.conn.query_row("SELECT v FROM search_fts_config WHERE k = ?", [key], |r| r.get(0)).optional().unwrap()
    }

    #[test]
    fn a_bulk_load_writes_what_upserts_write_and_puts_the_index_settings_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let items: Vec<Prepared> = (0..40)
            .map(|n| {
                let mut a = item(n);
                a.blocks = vec![crate::model::Block::paragraph(format!("Снег в Алматы, выпуск {n}"))];
                let index = IndexForm::of(&a);
                (a, index)
            })
            .collect();
        let mut load = s.bulk_load().unwrap();
        assert_eq!(fts_setting(load.store(), "automerge"), None, "nothing written before the first batch");
        let first = load.write(&items[..25], now).unwrap();
        assert!(first.iter().all(|u| matches!(u, Upsert::Added(_))));
        assert_eq!(fts_setting(load.store(), "automerge"), Some(16));
        // The same article again updates it in place.
        assert!(matches!(load.write(&items[..1], now).unwrap()[..], [Upsert::Updated(_)]));
        load.write(&items[25..], now).unwrap();
        load.finish().unwrap();
        assert_eq!(fts_setting(&s, "automerge"), Some(4));
        assert_eq!(fts_setting(&s, "crisismerge"), Some(16));
        assert_eq!(s.counts().unwrap().total, 40);
        assert!(s.check_index(true).unwrap().is_consistent());
        let q = FtsQuery { must: Some("алмат".into()), limit: 100, ..Default::default() };
        assert_eq!(s.search(&q).unwrap().len(), 40);

        // An unfinished load puts the settings back when dropped.
        let mut load = s.bulk_load().unwrap();
        load.write(&items[..2], now).unwrap();
        drop(load);
        assert_eq!(fts_setting(&s, "automerge"), Some(4));
    }

    #[test]
    fn feeds_written_together_end_as_feeds_written_one_by_one() {
        let now = time::OffsetDateTime::now_utc();
        let fetched =
            FetchedFeed { etag: Some("\"v1\"".into()), items: (0..3).map(item).collect(), ..Default::default() };
        let feed_state = |s: &Store| {
            let mut f = s.feeds().unwrap();
            f.sort_by_key(|f| f.id);
            f.into_iter().map(|f| (f.url, f.etag, f.last_error, f.gone, f.article_count)).collect::<Vec<_>>()
        };
        let mut archives = Vec::new();
        for together in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let mut s = Store::open(&dir.path().join("a.db")).unwrap();
            let ids: Vec<i64> = ["https://a.kz/rss", "https://b.kz/rss", "https://c.kz/rss"]
                .iter()
                .map(|u| s.add_feed(u, None, &[]).unwrap().0)
                .collect();
            if together {
                let mut load = s.bulk_load().unwrap();
                let writes = [
                    FeedWrite::Fetched { feed_id: ids[0], fetched: &fetched, moved_to: Some("https://a.kz/new") },
                    FeedWrite::NotModified { feed_id: ids[1] },
                    FeedWrite::Failed { feed_id: ids[2], error: "gone (HTTP 410)", gone: true },
                ];
                let out = load.write_feeds(&writes, now).unwrap();
                assert!(matches!(&out[0], Some(w) if w.moved && w.upserts.len() == 3));
                assert_eq!(out[1..], [None, None]);
                load.finish().unwrap();
            } else {
                assert!(s.move_feed(ids[0], "https://a.kz/new").unwrap());
                s.store_fetched(ids[0], &fetched, now).unwrap();
                s.record_not_modified(ids[1], now).unwrap();
                s.record_fetch_error(ids[2], "gone (HTTP 410)", true, now).unwrap();
            }
            archives.push((feed_state(&s), s.counts().unwrap().total, dir));
        }
        assert_eq!(archives[0].0, archives[1].0);
        assert_eq!(archives[0].1, archives[1].1);
        assert_eq!(archives[1].0[0].0, "https://a.kz/new");
    }
}
