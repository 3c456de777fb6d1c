//! The archive: one SQLite file that keeps every article svodka has seen.
//!
//! Why SQLite: offline reading means the archive *is* the product, so it must
//! survive crashes (WAL, one transaction per batch: an article is wholly
//! present or absent), be shared safely by two processes (busy timeout, then a
//! clear "busy" error), and page through 100 000 articles without loading
//! them (keyset pagination on `(sort_key, id)`).

pub mod blocks;
pub mod body;
pub mod bulk;
pub mod feeds;
pub mod file;
pub mod fts;
pub mod fulltext;
pub mod identity;
pub mod paging;
mod rank;
pub mod schema;
pub mod sync;
pub mod topic_counts;
pub mod topic_window;
pub mod trends;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, params};
use time::OffsetDateTime;

pub use crate::model::fold_key;
use crate::model::{Article, ArticleSummary, Link, NewArticle, Stamp, TrendingEntry, TrendingPair};

/// How long a writer waits for another process before reporting "busy";
/// `SVODKA_BUSY_TIMEOUT_MS` overrides it (scripts that prefer failing fast).
fn busy_timeout() -> Duration {
    std::env::var("SVODKA_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(5))
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not an svodka archive (not an SQLite database); refusing to open or overwrite it")]
    NotSqlite { path: PathBuf },
    #[error("{path}: not an svodka archive (an SQLite database of another program); refusing to open or change it")]
    Foreign { path: PathBuf },
    #[error("{path}: the archive is corrupt (SQLite reports a malformed database); it was left untouched")]
    Corrupt { path: PathBuf },
    #[error("{path}: the archive is busy (another svodka is using it); try again in a moment")]
    Busy { path: PathBuf },
    #[error("{path}: archive version {found} is newer than this svodka understands ({supported})")]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: archive version {found} needs upgrading to {supported}, which needs it writable")]
    NeedsUpgrade { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: cannot create the archive: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// SQLite's message is the whole story: `error` is not a `source`, so a printed chain does not say it twice.
    #[error("{path}: {}", sqlite_message(.error, .path))]
    Sqlite { path: PathBuf, error: rusqlite::Error },
    #[error("no article with id {0}")]
    NoSuchArticle(i64),
    #[error("no subscription {0} (see `svodka feeds`)")]
    NoSuchFeed(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// Why the archive could not be opened for writing, when the reason is
    /// where it lives (read-only directory or medium, no space) rather than
    /// what it is: opening it read-only may still work.
    pub fn write_blocked(&self) -> Option<&'static str> {
        let code = match self {
            StoreError::Io { .. } => return Some("its directory cannot be created"),
            StoreError::Sqlite { error, .. } => error.sqlite_error_code()?,
            _ => return None,
        };
        match code {
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                Some("the file or its directory is read-only")
            }
            ErrorCode::DiskFull => Some("the disk is full"),
            ErrorCode::SystemIoFailure => Some("writing failed: disk full or I/O error"),
            _ => None,
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added(i64),
    Updated(i64),
}

impl Upsert {
    pub fn id(self) -> i64 {
        match self {
            Upsert::Added(id) | Upsert::Updated(id) => id,
        }
    }
}

/// Filters for the headline list. `after` is the keyset cursor: the
/// `(sort_key, id)` of the last row of the previous page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: usize,
    pub unread_only: bool,
    pub starred_only: bool,
    pub site: Option<String>,
    /// Case-insensitive substring of the title (any script).
    pub title_contains: Option<String>,
    /// Only articles whose title matches one of these headline keys.
    pub ids: Option<Vec<i64>>,
    pub after: Option<(i64, i64)>,
}

/// Totals for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub unread: i64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if absent) the archive at `path` and brings its schema up
    /// to date. A file that is not an svodka archive (or empty) is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        let found = file::check(&path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: path.clone(), source })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| map_err(&path, e))?;
        if found != file::Found::Ours {
            conn.busy_timeout(busy_timeout()).map_err(|e| map_err(&path, e))?;
            file::recheck(&conn, &path)?;
        }
        let mut store = Store { conn, path };
        store.setup().map_err(|e| map_err(&store.path, e))?;
        store.migrate()?;
        rank::register(&store.conn).map_err(|e| map_err(&store.path, e))?;
        // The header on disk lags the WAL: a stamp written moments ago may
        // only be visible through the connection. Stamping again would need
        // the write lock, which a running refresh may hold.
        if found != file::Found::Ours && store.application_id()? != i64::from(file::APPLICATION_ID) {
            store
                .conn
                .pragma_update(None, "application_id", file::APPLICATION_ID)
                .map_err(|e| map_err(&store.path, e))?;
        }
        fts::catch_up(&mut store.conn).map_err(|e| map_err(&store.path, e))?;
        topic_counts::catch_up(&mut store.conn).map_err(|e| map_err(&store.path, e))?;
        Ok(store)
    }

    /// Whether this connection can only read (see [`Store::open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// Opens for writing, else, where writing is impossible (read-only
    /// medium or directory, full disk), for reading only with the reason:
    /// offline reading must survive what stops writes.
    pub fn open_or_read_only(path: &Path) -> Result<(Store, Option<&'static str>)> {
        match Store::open(path) {
            Err(e) if e.write_blocked().is_some() => match Store::open_read_only(path) {
                Ok(store) => Ok((store, e.write_blocked())),
                Err(_) => Err(e),
            },
            other => other.map(|s| (s, None)),
        }
    }

    /// Opens an existing, up-to-date archive for reading only, for when it
    /// cannot be written (read-only directory or medium, full disk): browsing
    /// keeps working offline. Writes through it fail with SQLite's "readonly".
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        file::check(&path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let probe = |c: &Connection| c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
        // A WAL archive needs its -shm file; where it cannot be created (a
        // read-only directory) the file is read as immutable instead, which
        // is sound because nobody can be writing there either.
        let conn = match Connection::open_with_flags(&path, flags) {
            Ok(c) if probe(&c).is_ok() => c,
            Ok(_) | Err(_) => file::open_immutable(&path)?,
        };
        probe(&conn).map_err(|e| map_err(&path, e))?;
        conn.busy_timeout(busy_timeout()).map_err(|e| map_err(&path, e))?;
        let store = Store { conn, path };
        let supported = schema::MIGRATIONS.len() as i64;
        let found = store.schema_version()?;
        if found > supported {
            return Err(StoreError::TooNew { path: store.path, found, supported });
        }
        if found < supported {
            return Err(StoreError::NeedsUpgrade { path: store.path, found, supported });
        }
        rank::register(&store.conn).map_err(|e| map_err(&store.path, e))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long this connection waits for another writer before "busy"
    /// (the reader's mark writer waits briefly and retries instead).
    fn application_id(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| map_err(&self.path, e))
    }

    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        self.conn.busy_timeout(wait).map_err(|e| map_err(&self.path, e))
    }

    fn setup(&mut self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(busy_timeout())?;
        // Reading any page proves the file really is a database before we
        // change a byte of it (the header check only sees the first 16).
        self.conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        // WAL + NORMAL: a crash of svodka never loses a committed transaction.
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    /// Current schema version of the open archive.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| map_err(&self.path, e))
    }

    fn migrate(&mut self) -> Result<()> {
        let supported = schema::MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > supported {
            return Err(StoreError::TooNew { path: self.path.clone(), found, supported });
        }
        if found == supported {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| map_err(&path, e))?;
        // Re-read under the write lock: another process may have migrated.
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| map_err(&path, e))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql).map_err(|e| map_err(&path, e))?;
            schema::after(&tx, i + 1).map_err(|e| map_err(&path, e))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(|e| map_err(&path, e))?;
        }
        tx.commit().map_err(|e| map_err(&path, e))?;
        if (1..body::BODIES_VERSION as i64).contains(&found) {
            body::reclaim(&self.conn);
        }
        Ok(())
    }

    /// Writes a batch of articles in one transaction: either all of them
    /// land or none does. Re-imports update in place and keep read/starred.
    pub fn upsert_articles(&mut self, articles: &[NewArticle], now: OffsetDateTime) -> Result<Vec<Upsert>> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let forms: Vec<fts::IndexForm> = articles.iter().map(fts::IndexForm::of).collect();
        let mut topics = topic_counts::TopicBatch::default();
        let mut out = Vec::with_capacity(articles.len());
        for (a, form) in articles.iter().zip(&forms) {
            out.push(upsert_article_with(&tx, a, None, now, Some(form), Some(&mut topics)).map_err(map)?);
        }
        topics.flush(&tx).map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(out)
    }

    /// One page of headlines, newest first, after the keyset cursor `q.after`.
    pub fn list(&self, q: &ListQuery) -> Result<Vec<ArticleSummary>> {
        self.page(q, q.after, false)
    }

    /// Rows past `cursor` in list order (`newer`: towards the newest, returned
    /// oldest first). The cursor is a row value so SQLite seeks the
    /// `(sort_key, id)` index instead of scanning: a page deep in a 100 000
    /// article archive costs the same as the first.
    pub(crate) fn page(&self, q: &ListQuery, cursor: Option<(i64, i64)>, newer: bool) -> Result<Vec<ArticleSummary>> {
        let mut sql = String::from(
            "SELECT a.id, a.title, s.name, a.url, a.published, a.views, a.read, a.starred, a.sort_key
             FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE 1=1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if q.unread_only {
            sql.push_str(" AND a.read = 0");
        }
        if q.starred_only {
            sql.push_str(" AND a.starred = 1");
        }
        if let Some(site) = &q.site {
            // Case-insensitive, like `search site:` (see fts::site_matches).
            let site = fold_key(site);
            let ids = fts::folded_ids(&self.conn, "SELECT id, name FROM sites", |n| fts::site_matches(n, &site))
                .map_err(|e| map_err(&self.path, e))?;
            sql.push_str(" AND a.site_id IN (SELECT value FROM json_each(?))");
            args.push(ids.into());
        }
        if let Some(text) = q.title_contains.as_deref().map(fold_key).filter(|t| !t.is_empty()) {
            sql.push_str(" AND instr(a.title_key, ?) > 0");
            args.push(text.into());
        }
        if let Some(ids) = &q.ids {
            sql.push_str(" AND a.id IN (SELECT value FROM json_each(?))");
            args.push(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()).into());
        }
        if let Some((key, id)) = cursor {
            sql.push_str(if newer { " AND (a.sort_key, a.id) > (?, ?)" } else { " AND (a.sort_key, a.id) < (?, ?)" });
            args.push(key.into());
            args.push(id.into());
        }
        sql.push_str(if newer {
            " ORDER BY a.sort_key ASC, a.id ASC LIMIT ?"
        } else {
            " ORDER BY a.sort_key DESC, a.id DESC LIMIT ?"
        });
        args.push((q.limit.min(i64::MAX as usize) as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| map_err(&self.path, e))?;
        let rows =
            stmt.query_map(rusqlite::params_from_iter(args), summary_from_row).map_err(|e| map_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| map_err(&self.path, e))
    }

    /// A whole article, or `NoSuchArticle`.
    pub fn article(&self, id: i64) -> Result<Article> {
        let map = |e| map_err(&self.path, e);
        let row = self
            .conn
            .query_row(
                "SELECT a.id, a.title, s.name, a.url, a.published, a.views, a.read, a.starred, a.sort_key,
                        a.captured, a.photo_credit, a.author, a.added
                 FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE a.id = ?",
                [id],
                |r| {
                    Ok((
                        summary_from_row(r)?,
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, String>(12)?,
                    ))
                },
            )
            .optional()
            .map_err(map)?;
        let Some((summary, captured, photo_credit, author, added)) = row else {
            return Err(StoreError::NoSuchArticle(id));
        };
        let blocks = body::read(&self.conn, id).map_err(map)?;
        let mut stmt =
            self.conn.prepare_cached("SELECT text, url FROM links WHERE article_id = ? ORDER BY seq").map_err(map)?;
        let links = stmt
            .query_map([id], |r| Ok(Link { text: r.get(0)?, url: r.get(1)? }))
            .map_err(map)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(map)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT topic, headline FROM trending WHERE article_id = ? ORDER BY seq")
            .map_err(map)?;
        let trending = stmt
            .query_map([id], |r| Ok(TrendingPair { topic: r.get(0)?, headline: r.get(1)? }))
            .map_err(map)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(map)?;
        Ok(Article {
            summary,
            captured: captured.as_deref().and_then(Stamp::parse_iso),
            photo_credit,
            author,
            added: time::OffsetDateTime::parse(&added, &time::format_description::well_known::Rfc3339)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
            blocks,
            links,
            trending,
            extracted: fulltext::extracted_at(&self.conn, id).map_err(map)?,
        })
    }

    /// Site trending topics across the archive, newest capture first; one
    /// entry per (site, capture date, topic, headline) however many saved
    /// pages carried it.
    pub fn trending(&self, limit: usize) -> Result<Vec<TrendingEntry>> {
        let map = |e| map_err(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT t.topic, t.headline, s.name, t.captured,
                        (SELECT a.id FROM articles a WHERE a.title_key = t.headline_key ORDER BY a.id LIMIT 1)
                 FROM trending t LEFT JOIN sites s ON s.id = t.site_id
                 GROUP BY t.site_id, t.captured, t.topic, t.headline
                 ORDER BY max(t.captured_key) DESC, min(t.id) ASC
                 LIMIT ?",
            )
            .map_err(map)?;
        let rows = stmt
            .query_map([limit.min(i64::MAX as usize) as i64], |r| {
                Ok(TrendingEntry {
                    topic: r.get(0)?,
                    headline: r.get(1)?,
                    site: r.get(2)?,
                    captured: r.get::<_, Option<String>>(3)?.as_deref().and_then(Stamp::parse_iso),
                    article_id: r.get(4)?,
                })
            })
            .map_err(map)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(map)
    }

    pub fn set_read(&mut self, id: i64, read: bool) -> Result<()> {
        self.set_flag(id, "read", read)
    }

    pub fn set_starred(&mut self, id: i64, starred: bool) -> Result<()> {
        self.set_flag(id, "starred", starred)
    }

    /// Writes a flag; a change of an article from a sync server is queued
    /// for it in the same transaction (see [`sync`]).
    fn set_flag(&mut self, id: i64, column: &'static str, value: bool) -> Result<()> {
        let path = self.path.clone();
        let map = |e| map_err(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(map)?;
        let old: Option<bool> = tx
            .query_row(&format!("SELECT {column} FROM articles WHERE id = ?"), [id], |r| r.get(0))
            .optional()
            .map_err(map)?;
        match old {
            None => return Err(StoreError::NoSuchArticle(id)),
            Some(old) if old == value => return Ok(()),
            Some(_) => {}
        }
        tx.execute(&format!("UPDATE articles SET {column} = ? WHERE id = ?"), params![value, id]).map_err(map)?;
        sync::enqueue(&tx, id, column, value).map_err(map)?;
        tx.commit().map_err(map)
    }

    /// Article and unread counts from indexes (the total from the smallest
    /// covering index, unread from the partial `read = 0` index), so they do
    /// not scan the articles table on a large archive.
    pub fn counts(&self) -> Result<Counts> {
        let map = |e| map_err(&self.path, e);
        let total = self.conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)).map_err(map)?;
        let unread =
            self.conn.query_row("SELECT count(*) FROM articles WHERE read = 0", [], |r| r.get(0)).map_err(map)?;
        Ok(Counts { total, unread })
    }

    /// Key/value UI state (last selection, filter, pane sizes).
    pub fn state_get(&self, key: &str) -> Result<Option<String>> {
        self.kv_get("ui_state", key)
    }

    pub fn state_set(&mut self, key: &str, value: &str) -> Result<()> {
        self.kv_set("ui_state", key, value)
    }

    /// A value of a `(key PRIMARY KEY, value)` table (`ui_state`,
    /// `sync_state`); `table` is always one of this crate's names.
    pub(crate) fn kv_get(&self, table: &'static str, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row(&format!("SELECT value FROM {table} WHERE key = ?"), [key], |r| r.get(0))
            .optional()
            .map_err(|e| map_err(&self.path, e))
    }

    pub(crate) fn kv_set(&mut self, table: &'static str, key: &str, value: &str) -> Result<()> {
        let sql = format!(
            "INSERT INTO {table}(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        );
        self.conn.execute(&sql, params![key, value]).map(|_| ()).map_err(|e| map_err(&self.path, e))
    }

    /// A pragma's value as text (`journal_mode`, `foreign_keys`…), for
    /// diagnostics: the connection itself never leaves the store.
    pub fn pragma(&self, name: &str) -> Result<String> {
        self.conn
            .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .map_err(|e| map_err(&self.path, e))
    }
}

fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        site: r.get(2)?,
        url: r.get(3)?,
        published: r.get::<_, Option<String>>(4)?.as_deref().and_then(Stamp::parse_iso),
        views: r.get(5)?,
        read: r.get(6)?,
        starred: r.get(7)?,
        sort_key: r.get(8)?,
    })
}

fn site_id(tx: &Transaction<'_>, site: Option<&str>) -> rusqlite::Result<Option<i64>> {
    let Some(name) = site else { return Ok(None) };
    tx.prepare_cached("INSERT INTO sites(name) VALUES(?) ON CONFLICT(name) DO NOTHING")?.execute([name])?;
    tx.prepare_cached("SELECT id FROM sites WHERE name = ?")?.query_row([name], |r| r.get(0)).map(Some)
}

/// How far below every dated article an undated one sorts (2^40 seconds,
/// some 35 000 years): the list shows dated news first and a «Без даты»
/// group after it, newest capture (or first sight) first, so a feed of
/// undated items never crowds dated news off the first screen. The shift
/// keeps one integer key, so keyset paging is unchanged.
pub const UNDATED_SHIFT: i64 = 1 << 40;

/// Inserts or updates one article under its scoped identity: `feed_id` is
/// the subscription it came from, `None` for everything else (see
/// [`crate::model::scoped_identity`]).
pub(crate) fn upsert_article(
    tx: &Transaction<'_>,
    a: &NewArticle,
    feed_id: Option<i64>,
    now: OffsetDateTime,
) -> rusqlite::Result<Upsert> {
    upsert_article_with(tx, a, feed_id, now, None, None)
}

/// [`upsert_article`] with the index terms computed beforehand (off the
/// writer thread, see `store::bulk`); `None` computes them here. With
/// `topics`, the topic counts wait in it for the caller to flush before
/// committing (a batch counts its articles together).
pub(crate) fn upsert_article_with<'a>(
    tx: &Transaction<'_>,
    a: &NewArticle,
    feed_id: Option<i64>,
    now: OffsetDateTime,
    index: Option<&'a fts::IndexForm>,
    topics: Option<&mut topic_counts::TopicBatch<'a>>,
) -> rusqlite::Result<Upsert> {
    let key = crate::model::scoped_identity(a, feed_id);
    let site_id = site_id(tx, a.site.as_deref())?;
    let now_iso = Stamp::DateTime(now).to_iso();
    // When the item was published, else when it was captured or first seen.
    let seen = a.published.or(a.captured).map(|s| s.sort_key()).unwrap_or(now.unix_timestamp());
    let sort_key = if a.published.is_some() { seen } else { seen - UNDATED_SHIFT };
    let existing = identity::existing_row(tx, a, &key, feed_id)?;
    let values = params![
        key,
        site_id,
        a.title,
        fold_key(&a.title),
        a.url,
        a.published.map(|p| p.to_iso()),
        a.captured.map(|p| p.to_iso()),
        a.views,
        a.photo_credit,
        a.author,
        sort_key,
        a.url.as_deref().map(crate::model::url_key),
        feed_id,
    ];
    // Text extracted from the article's page outlives the feed's teaser.
    let keep_body = match existing {
        Some(id) => fulltext::has_extracted(tx, id)?,
        None => false,
    };
    let result = match existing {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE articles SET identity = ?1, site_id = ?2, title = ?3, title_key = ?4, url = ?5,
                    published = ?6, captured = ?7, views = ?8, photo_credit = ?9, author = ?10,
                    -- An undated item keeps its place in the list when re-fetched.
                    sort_key = CASE WHEN ?6 IS NULL THEN sort_key ELSE ?11 END, url_key = ?12
                 WHERE id = ?14",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
            ))?;
            let tables: &[&str] = if keep_body { &["trending"] } else { &["bodies", "links", "trending"] };
            for table in tables {
                tx.prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?"))?.execute([id])?;
            }
            Upsert::Updated(id)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO articles(identity, site_id, title, title_key, url, published, captured, views,
                    photo_credit, author, sort_key, url_key, feed_id, added)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain(std::iter::once(&now_iso as &dyn rusqlite::ToSql)),
            ))?;
            Upsert::Added(tx.last_insert_rowid())
        }
    };
    let body = index.and_then(|f| f.packed.as_ref());
    write_parts(tx, result.id(), a, site_id, seen, keep_body, body)?;
    if !keep_body {
        match (index, topics) {
            (Some(form), Some(batch)) => {
                fts::write_terms(tx, result, form)?;
                batch.push(tx, result, &form.topics)?;
            }
            (Some(form), None) => fts::index_terms(tx, result, form)?,
            (None, batch) => {
                // Counted now: what waits in the batch goes first, in order.
                if let Some(batch) = batch {
                    batch.flush(tx)?;
                }
                fts::index_article(tx, result, a)?
            }
        }
    }
    Ok(result)
}

/// An article's body, links and trending pairs (the body and links only
/// when `keep_body` is false: extracted text stays). `body` is `a.blocks`
/// packed beforehand (off the writer), `None` to pack them here.
fn write_parts(
    tx: &Transaction<'_>,
    id: i64,
    a: &NewArticle,
    site_id: Option<i64>,
    seen: i64,
    keep_body: bool,
    body: Option<&body::Packed>,
) -> rusqlite::Result<()> {
    let links = if keep_body { &[][..] } else { &a.links[..] };
    if !keep_body {
        match body {
            Some(packed) => body::write(tx, id, packed)?,
            None => body::write(tx, id, &body::Packed::of(&a.blocks))?,
        }
    }
    let mut ins = tx.prepare_cached("INSERT INTO links(article_id, seq, text, url) VALUES(?, ?, ?, ?)")?;
    for (i, l) in links.iter().enumerate() {
        ins.execute(params![id, i as i64, l.text, l.url])?;
    }
    let captured = a.captured.map(|c| c.to_iso());
    let captured_key = a.captured.map(|c| c.sort_key()).unwrap_or(seen);
    let mut ins = tx.prepare_cached(
        "INSERT INTO trending(article_id, site_id, captured, captured_key, seq, topic, headline, headline_key)
         VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (i, t) in a.trending.iter().enumerate() {
        ins.execute(params![
            id,
            site_id,
            captured,
            captured_key,
            i as i64,
            t.topic,
            t.headline,
            fold_key(&t.headline)
        ])?;
    }
    Ok(())
}

/// Refuses files that exist, are non-empty and do not start with the SQLite
/// magic, so a mistyped `--db` never turns someone's file into an archive.
pub(crate) fn map_err(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path },
        _ => StoreError::Sqlite { path, error: e },
    }
}

/// SQLite's message without the path rusqlite appends to open errors (the
/// error already starts with it).
fn sqlite_message(e: &rusqlite::Error, path: &Path) -> String {
    let m = e.to_string();
    m.strip_suffix(&format!(": {}", path.display())).map(str::to_string).unwrap_or(m)
}
