//! Schema migrations, applied in order and recorded in `PRAGMA user_version`.
//!
//! Each entry upgrades the archive from version `i` to `i + 1`. Entries are
//! never edited once released: a later change is a new entry, so any archive
//! a user has on disk can be carried forward.

/// Forward migrations; `MIGRATIONS[i]` takes `user_version` from `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: sites, articles with ordered body blocks and links, trending snapshots.
    r#"
    CREATE TABLE sites (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE articles (
        id           INTEGER PRIMARY KEY,
        identity     TEXT NOT NULL UNIQUE,
        site_id      INTEGER REFERENCES sites(id),
        title        TEXT NOT NULL,
        title_key    TEXT NOT NULL,
        url          TEXT,
        published    TEXT,
        captured     TEXT,
        views        INTEGER,
        photo_credit TEXT,
        author       TEXT,
        read         INTEGER NOT NULL DEFAULT 0,
        starred      INTEGER NOT NULL DEFAULT 0,
        added        TEXT NOT NULL,
        sort_key     INTEGER NOT NULL
    );
    CREATE INDEX articles_order ON articles(sort_key DESC, id DESC);
    CREATE INDEX articles_title_key ON articles(title_key);
    CREATE INDEX articles_site ON articles(site_id, sort_key DESC, id DESC);
    CREATE TABLE blocks (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        text       TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE links (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        url        TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE trending (
        id           INTEGER PRIMARY KEY,
        article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        site_id      INTEGER REFERENCES sites(id),
        captured     TEXT,
        captured_key INTEGER NOT NULL,
        seq          INTEGER NOT NULL,
        topic        TEXT NOT NULL,
        headline     TEXT NOT NULL,
        headline_key TEXT NOT NULL
    );
    CREATE INDEX trending_article ON trending(article_id, seq);
    CREATE INDEX trending_order ON trending(captured_key DESC);
    CREATE TABLE ui_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2: feed subscriptions (feeds, tags) and the link from an article to
    // the feed it came from. Removing a feed keeps its articles.
    r#"
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT,
        site_url      TEXT,
        etag          TEXT,
        last_modified TEXT,
        last_fetch    TEXT,
        last_success  TEXT,
        last_error    TEXT,
        gone          INTEGER NOT NULL DEFAULT 0,
        added         TEXT NOT NULL
    );
    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        tag     TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag)
    ) WITHOUT ROWID;
    ALTER TABLE articles ADD COLUMN feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL;
    ALTER TABLE articles ADD COLUMN guid TEXT;
    CREATE INDEX articles_feed ON articles(feed_id, read);
    "#,
    // 3: the unread count without a table scan (the reader shows it on a
    // 100 000-article archive at every start and after every mark).
    r#"
    CREATE INDEX articles_unread ON articles(id) WHERE read = 0;
    "#,
    // 4: full-text search index (see store::fts).
    super::fts::MIGRATION,
    // 5: full text from the article's page (see store::fulltext).
    super::fulltext::MIGRATION,
    // 6: identity scoped to the source, rows of the same page linked by
    // `url_key` (see store::identity).
    super::identity::MIGRATION,
    // 7: undated articles sort after every dated one (see
    // `store::UNDATED_SHIFT`); rows written before keep their first-seen key.
    r#"
    UPDATE articles SET sort_key = sort_key - 1099511627776
    WHERE published IS NULL AND sort_key > -549755813888;
    "#,
    // 8: terms now come from the dictionary lemma table (see lang::lemmas):
    // existing archives are re-indexed once by store::fts::catch_up.
    "INSERT OR REPLACE INTO search_meta(key, value) VALUES('reindex_pending', '1');",
    // 9 (`feeds::FRESHNESS_VERSION`): a feed's ttl / max-age.
    super::feeds::FRESHNESS_MIGRATION,
    // 10 (`blocks::TYPED_BLOCKS_VERSION`): typed blocks: link ranges, images
    // and the rest of the structure beside clean text (see store::blocks).
    super::blocks::MIGRATION,
    // 11 (`sync::SYNC_VERSION`): a feed server's ids, the queue of
    // flag changes for it, and where paging stopped (see store::sync).
    super::sync::MIGRATION,
    // 12 (`TOPICS_VERSION`): per-day topic candidate counts for trending (see
    // store::topic_counts); existing articles are counted by its catch_up.
    super::topic_counts::MIGRATION,
    // 13 (`body::BODIES_VERSION`): an article's blocks in one compressed
    // row (see store::body); the per-block rows are packed and dropped.
    super::body::MIGRATION,
    // 14 (`topic_counts::RECOUNT_VERSION`): topics keyed by the lemma of
    // the reading as written, recounted.
    super::topic_counts::RECOUNT_MIGRATION,
    // 15 (`topic_counts::BESTS_VERSION`): each day's article count and each
    // (day, topic)'s best headline candidates, filled from the counts.
    super::topic_counts::BESTS_MIGRATION,
];

/// The version that adds trending's topic counts (the lead renumbers on
/// merge). Only tests read it: the migration needs no Rust step.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const TOPICS_VERSION: usize = 12;

/// Work a migration needs done in Rust, run right after `MIGRATIONS[version
/// - 1]` in the same transaction.
pub(crate) fn after(tx: &rusqlite::Transaction<'_>, version: usize) -> rusqlite::Result<()> {
    if version == 6 {
        super::identity::backfill_url_keys(tx)?;
    }
    if version == super::feeds::FRESHNESS_VERSION {
        super::feeds::add_fresh_for(tx)?;
    }
    if version == super::blocks::TYPED_BLOCKS_VERSION {
        super::blocks::convert_old_blocks(tx)?;
    }
    if version == super::sync::SYNC_VERSION {
        super::sync::add_feed_server_id(tx)?;
    }
    if version == super::body::BODIES_VERSION {
        super::body::pack_old_blocks(tx)?;
    }
    if version == super::topic_counts::BESTS_VERSION {
        super::topic_counts::add_bests(tx)?;
    }
    Ok(())
}
