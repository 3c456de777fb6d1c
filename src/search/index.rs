//! The full-text index: an FTS5 table in the archive itself, written in the
//! same transaction as the article it indexes.
//!
//! Normalisation happens in Rust ([`super::normalize`]): the table receives
//! space-separated terms and FTS5's `ascii` tokenizer just splits them, so
//! SQLite's own case folding (ASCII only) never gets a say. The table is
//! contentless (`content=''`, the text is already in `articles`/`blocks`)
//! with `contentless_delete=1` so re-imports replace rows in place; its rowid
//! is the article id. A trigger drops the row when an article is deleted.

use rusqlite::{Connection, OptionalExtension, params};

use super::normalize;
use crate::model::NewArticle;
use crate::store::Upsert;

/// Migration SQL (appended to `store::schema::MIGRATIONS`). The marker row
/// makes the next [`catch_up`] index the articles already in the archive.
pub const MIGRATION: &str = r#"
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, content = '', contentless_delete = 1, tokenize = 'ascii'
    );
    CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
    CREATE TABLE search_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO search_meta(key, value) VALUES('reindex_pending', '1');
    CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
    END;
"#;

/// The indexed form of an article: (title terms, body terms).
pub fn index_form<'a>(title: &str, blocks: impl IntoIterator<Item = &'a str>) -> (String, String) {
    let mut t = String::new();
    normalize::index_text(title, &mut t);
    let mut b = String::new();
    for text in blocks {
        normalize::index_text(text, &mut b);
    }
    (t, b)
}

fn write_row(conn: &Connection, id: i64, replace: bool, title: &str, body: &str) -> rusqlite::Result<()> {
    if replace {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?")?.execute([id])?;
    }
    conn.prepare_cached("INSERT INTO search_fts(rowid, title, body) VALUES(?, ?, ?)")?
        .execute(params![id, title, body])?;
    Ok(())
}

/// Indexes (or re-indexes) one article; called by `store::upsert_article`
/// inside its transaction, after the article's rows are written.
pub fn index_article(conn: &Connection, upsert: Upsert, a: &NewArticle) -> rusqlite::Result<()> {
    let (title, body) = index_form(&a.title, a.blocks.iter().map(|b| b.text.as_str()));
    write_row(conn, upsert.id(), matches!(upsert, Upsert::Updated(_)), &title, &body)
}

/// Rebuilds the whole index from `articles` and `blocks` inside the caller's
/// transaction. Returns the number of articles indexed.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute("INSERT INTO search_fts(search_fts) VALUES('delete-all')", [])?;
    let mut arts = conn.prepare("SELECT id, title FROM articles ORDER BY id")?;
    let mut blocks = conn.prepare("SELECT article_id, text FROM blocks ORDER BY article_id, seq")?;
    let mut blocks = blocks.query([])?;
    let mut pending: Option<(i64, String)> = None;
    let mut n = 0;
    let mut rows = arts.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let title: String = r.get(1)?;
        let mut body_text: Vec<String> = Vec::new();
        // Both cursors walk in article id order: merge them.
        loop {
            if pending.is_none() {
                pending = match blocks.next()? {
                    Some(b) => Some((b.get(0)?, b.get(1)?)),
                    None => break,
                };
            }
            match pending.take() {
                Some((aid, text)) if aid == id => body_text.push(text),
                Some((aid, text)) if aid < id => drop(text),
                other => {
                    pending = other;
                    break;
                }
            }
        }
        let (t, b) = index_form(&title, body_text.iter().map(String::as_str));
        write_row(conn, id, false, &t, &b)?;
        n += 1;
    }
    Ok(n)
}

/// Rebuilds the index in one transaction (`svodka reindex`).
pub fn reindex(conn: &mut Connection) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let n = rebuild(&tx)?;
    // One merged segment: the fastest index to query (and to look terms up in).
    tx.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')", [])?;
    tx.execute("DELETE FROM search_meta WHERE key = 'reindex_pending'", [])?;
    tx.commit()?;
    Ok(n)
}

/// Indexes the archive's existing articles once after the migration that
/// created the index. The marker is cleared in the same transaction as the
/// rebuild, so a kill mid-way simply redoes it on the next open.
pub fn catch_up(conn: &mut Connection) -> rusqlite::Result<()> {
    let pending = |c: &Connection| {
        c.query_row("SELECT 1 FROM search_meta WHERE key = 'reindex_pending'", [], |_| Ok(())).optional()
    };
    if pending(conn)?.is_none() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have done it while we waited for the lock.
    if pending(&tx)?.is_some() {
        rebuild(&tx)?;
        tx.execute("DELETE FROM search_meta WHERE key = 'reindex_pending'", [])?;
    }
    tx.commit()
}

/// How the index compares with the articles table.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Consistency {
    pub articles: i64,
    pub indexed: i64,
    /// Articles with no index row.
    pub missing: Vec<i64>,
    /// Index rows with no article.
    pub orphans: Vec<i64>,
    /// Articles whose index row differs from what indexing them now gives.
    pub stale: Vec<i64>,
}

impl Consistency {
    pub fn is_consistent(&self) -> bool {
        self.missing.is_empty() && self.orphans.is_empty() && self.stale.is_empty() && self.articles == self.indexed
    }
}

/// Compares the index with the articles: every article has an index row
/// and no row lacks its article. `thorough` adds FTS5's own integrity check
/// and a staleness probe through the index itself: each article must match
/// a phrase query made of its title terms (a contentless table cannot return
/// its text). That costs about 2 ms per article, so `svodka reindex` runs it
/// only with `--check`.
pub fn check(conn: &Connection, thorough: bool) -> rusqlite::Result<Consistency> {
    if thorough {
        conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 0)", [])?;
    }
    let mut c = Consistency {
        articles: conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?,
        indexed: conn.query_row("SELECT count(*) FROM search_fts", [], |r| r.get(0))?,
        ..Consistency::default()
    };
    let ids = |sql: &str| -> rusqlite::Result<Vec<i64>> { conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect() };
    c.missing = ids("SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM search_fts) ORDER BY id")?;
    c.orphans = ids("SELECT rowid FROM search_fts WHERE rowid NOT IN (SELECT id FROM articles) ORDER BY rowid")?;
    if !thorough {
        return Ok(c);
    }
    let mut stmt = conn.prepare("SELECT id, title FROM articles ORDER BY id")?;
    let titles: Vec<(i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut probe = conn.prepare("SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND rowid = ?")?;
    for (id, title) in titles {
        let (terms, _) = index_form(&title, []);
        if terms.is_empty() {
            continue;
        }
        let expr = format!("title : \"{}\"", terms.replace('"', "\"\""));
        if probe.query_row(params![expr, id], |_| Ok(())).optional()?.is_none() {
            c.stale.push(id);
        }
    }
    Ok(c)
}
