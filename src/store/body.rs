//! How the archive keeps an article's body: all its blocks in one row,
//! serialized and compressed.
//!
//! Why: the body is only ever read whole (opening an article, search
//! snippets, rebuilding the index and the topic counts) and never searched
//! by SQL (the FTS5 index is its own table), while its text is most of the
//! archive. Deflate takes it to about 2/5 of its size, and one row per
//! article instead of one per block saves the per-row keys and the overflow
//! pages that 4 KiB pages gave paragraph rows. Packing costs about 0.15 ms
//! per article, so the import and fetch workers do it ([`Packed::of`],
//! carried to the writer in `fts::IndexForm`) and the writer only inserts.
//!
//! `bodies.data` is one byte saying how the rest is stored, then the blocks
//! as a JSON array of `[kind, text, structure]` (the structure as in
//! `store::blocks`, null when none): [`DEFLATE`] is that JSON raw-deflated,
//! [`PLAIN`] the JSON itself (short bodies, where deflate does not pay). An
//! article without blocks has no row.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;

use flate2::{Compress, Compression, FlushCompress, Status, read::DeflateDecoder};
use rusqlite::{Connection, OptionalExtension, Transaction, params, types::Type};

use super::blocks::{self, Data};
use crate::model::Block;

/// The schema version [`MIGRATION`] brings an archive to (its place in
/// `schema::MIGRATIONS`, counted from 1).
pub(crate) const BODIES_VERSION: usize = 13;

/// Migration: the table (already there when the version was set back by
/// hand); [`pack_old_blocks`] fills it from the per-block rows and drops
/// those.
pub const MIGRATION: &str = r#"
    CREATE TABLE IF NOT EXISTS bodies (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data       BLOB NOT NULL
    );
"#;

/// The JSON as it is.
const PLAIN: u8 = 0;
/// The JSON raw-deflated (no zlib header: the format byte says it).
const DEFLATE: u8 = 1;

/// An article's blocks as stored (see the module docs); empty for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed(Vec<u8>);

thread_local! {
    /// One compressor per thread, reset for each body: a new one allocates
    /// and clears its tables (hundreds of KB) for bodies of a few KB, which
    /// cost as much as compressing them. Level 2 (zlib-rs's fast matcher):
    /// against level 6 it saves ~6 % of an import's CPU for ~2 % more
    /// archive; level 1 saves more but leaves the archive 13–22 % larger.
    static DEFLATER: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(2), false));
}

/// `json` raw-deflated behind the [`DEFLATE`] byte; `None` when that would
/// be longer than `json` itself (or compressing failed): stored plain then.
fn deflate(json: &[u8]) -> Option<Vec<u8>> {
    DEFLATER.with(|z| {
        let mut z = z.borrow_mut();
        z.reset();
        let mut out = Vec::with_capacity(json.len() / 2 + 64);
        out.push(DEFLATE);
        // Each round makes progress or doubles the room: a few rounds end it.
        for _ in 0..32 {
            let read = usize::try_from(z.total_in()).ok()?;
            let status = z.compress_vec(json.get(read..)?, &mut out, FlushCompress::Finish).ok()?;
            if out.len() > json.len() {
                return None;
            }
            match status {
                Status::StreamEnd => return Some(out),
                Status::Ok | Status::BufError => out.reserve(out.capacity()),
            }
        }
        None
    })
}

impl Packed {
    /// Serializes and compresses `blocks`.
    pub fn of(blocks: &[Block]) -> Packed {
        if blocks.is_empty() {
            return Packed(Vec::new());
        }
        let rows: Vec<(&str, &str, Option<Data>)> =
            blocks.iter().map(|b| (b.kind.as_str(), b.text.as_str(), blocks::data(b))).collect();
        // Strings and small structs only: serializing cannot fail.
        let json = serde_json::to_vec(&rows).unwrap_or_default();
        match deflate(&json) {
            Some(packed) => Packed(packed),
            None => {
                let mut plain = Vec::with_capacity(json.len() + 1);
                plain.push(PLAIN);
                plain.extend_from_slice(&json);
                Packed(plain)
            }
        }
    }

    /// Bytes as stored.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a stored body could not be read (damaged, or a format this svodka
/// does not know).
#[derive(Debug, thiserror::Error)]
enum Damaged {
    #[error("unknown body format {0}")]
    Format(u8),
    #[error("body does not inflate: {0}")]
    Inflate(#[from] std::io::Error),
    #[error("body is not a block list: {0}")]
    Json(#[from] serde_json::Error),
}

/// The blocks of a stored body.
pub(crate) fn unpack(data: &[u8]) -> rusqlite::Result<Vec<Block>> {
    unpack_inner(data).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Blob, Box::new(e)))
}

fn unpack_inner(data: &[u8]) -> Result<Vec<Block>, Damaged> {
    let json: Cow<'_, [u8]> = match data.split_first() {
        None => return Ok(Vec::new()),
        Some((&PLAIN, rest)) => Cow::Borrowed(rest),
        Some((&DEFLATE, rest)) => {
            let mut out = Vec::with_capacity(rest.len() * 3);
            DeflateDecoder::new(rest).read_to_end(&mut out)?;
            Cow::Owned(out)
        }
        Some((&other, _)) => return Err(Damaged::Format(other)),
    };
    let rows: Vec<(String, String, Option<Data>)> = serde_json::from_slice(&json)?;
    Ok(rows.into_iter().map(|(kind, text, data)| blocks::from_parts(&kind, text, data)).collect())
}

/// Writes article `id`'s body (its old row already deleted).
pub(crate) fn write(conn: &Connection, id: i64, body: &Packed) -> rusqlite::Result<()> {
    if !body.is_empty() {
        conn.prepare_cached("INSERT INTO bodies(article_id, data) VALUES(?, ?)")?.execute(params![id, body.0])?;
    }
    Ok(())
}

/// Article `id`'s blocks in reading order.
pub(crate) fn read(conn: &Connection, id: i64) -> rusqlite::Result<Vec<Block>> {
    let mut stmt = conn.prepare_cached("SELECT data FROM bodies WHERE article_id = ?")?;
    let blocks = stmt.query_row([id], |r| unpack(r.get_ref(0)?.as_blob()?)).optional()?;
    Ok(blocks.unwrap_or_default())
}

/// The text of article `id`'s blocks, in reading order.
pub(crate) fn texts(conn: &Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    Ok(read(conn, id)?.into_iter().map(|b| b.text).collect())
}

/// Articles packed per step of [`pack_old_blocks`].
const PACK_CHUNK: i64 = 1024;

/// Packs every article's rows of the old `blocks` table into `bodies` and
/// drops the table; run right after [`MIGRATION`], in its transaction.
/// [`PACK_CHUNK`] articles at a time: read, packed on every core (packing
/// is most of the time), written, and their rows deleted so the new pages
/// reuse theirs. A large archive never sits in memory whole.
pub(crate) fn pack_old_blocks(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    pack_in_chunks(tx, PACK_CHUNK)
}

fn pack_in_chunks(tx: &Transaction<'_>, chunk: i64) -> rusqlite::Result<()> {
    let old: bool =
        tx.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'blocks'", [], |r| {
            r.get(0)
        })?;
    if !old {
        return Ok(());
    }
    let mut after = i64::MIN;
    loop {
        let articles = old_chunk(tx, after, chunk)?;
        let Some(last) = articles.last().map(|(id, _)| *id) else { break };
        // Rows of articles gone (should foreign keys ever have been off) are dropped.
        let mut ins = tx.prepare_cached(
            "INSERT INTO bodies(article_id, data) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?1)",
        )?;
        for ((id, _), packed) in articles.iter().zip(pack_all(&articles)) {
            if !packed.is_empty() {
                ins.execute(params![id, packed.0])?;
            }
        }
        tx.execute("DELETE FROM blocks WHERE article_id > ? AND article_id <= ?", params![after, last])?;
        after = last;
    }
    tx.execute_batch("DROP TABLE blocks")
}

/// The next `n` articles after `after` with their old rows, in id order.
fn old_chunk(tx: &Transaction<'_>, after: i64, n: i64) -> rusqlite::Result<Vec<(i64, Vec<Block>)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT article_id, kind, text, data FROM blocks
         WHERE article_id > ?1 AND article_id <= (
             SELECT max(article_id) FROM (
                 SELECT DISTINCT article_id FROM blocks WHERE article_id > ?1 ORDER BY article_id LIMIT ?2))
         ORDER BY article_id, seq",
    )?;
    let mut rows = stmt.query(params![after, n])?;
    let mut out: Vec<(i64, Vec<Block>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let block = blocks::from_row(r.get_ref(1)?.as_str()?, r.get(2)?, r.get_ref(3)?.as_str_or_null()?);
        match out.last_mut() {
            Some((cur, list)) if *cur == id => list.push(block),
            _ => out.push((id, vec![block])),
        }
    }
    Ok(out)
}

/// Gives the space of the dropped per-block rows back after an upgrade
/// (most of an old archive): `VACUUM`, then the WAL the copy went through
/// truncated. Best effort: an archive another process is reading, or a
/// disk too full for the copy, stays as large (later writes reuse its free
/// pages).
pub(crate) fn reclaim(conn: &Connection) {
    let vacuum =
        conn.execute_batch("VACUUM").and_then(|()| conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())));
    if let Err(e) = vacuum {
        tracing::warn!("the archive keeps the space of its old blocks table: {e}");
    }
}

/// Packs each article's blocks, on one thread per core.
fn pack_all(articles: &[(i64, Vec<Block>)]) -> Vec<Packed> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = articles.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = articles
            .chunks(per)
            .map(|part| s.spawn(move || part.iter().map(|(_, b)| Packed::of(b)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Image, LinkSpan, ListMark};
    use crate::store::{Store, schema::MIGRATIONS};

    fn sample() -> Vec<Block> {
        let para = "Токаев подписал указ о «новых» правилах: \"кавычки\", \\ и\nперевод строки. ".repeat(8);
        vec![
            Block { kind: BlockKind::Heading, level: 2, ..Block::new(BlockKind::Heading, "Заголовок") },
            Block { links: vec![LinkSpan { start: 0, end: 12, link: 1 }], ..Block::paragraph(para) },
            Block {
                kind: BlockKind::Image,
                links: vec![LinkSpan { start: 0, end: 0, link: 2 }],
                image: Some(Image {
                    src: Some("https://a.kz/1.jpg".into()), alt: Some("Мост".into()), caption: None
                }),
                ..Block::default()
            },
            Block { list: Some(ListMark { id: 1, ordered: true }), ..Block::new(BlockKind::ListItem, "1. один") },
            Block::new(BlockKind::Quote, "Цитата"),
        ]
    }

    #[test]
    fn blocks_come_back_as_they_went_in() {
        let blocks = sample();
        let packed = Packed::of(&blocks);
        assert_eq!(packed.0[0], DEFLATE);
        let text: usize = blocks.iter().map(|b| b.text.len()).sum();
        assert!(packed.len() < text / 2, "{} bytes for {text} of text", packed.len());
        assert_eq!(unpack(&packed.0).unwrap(), blocks);
        // Too short for deflate to pay: kept as JSON.
        let short = vec![Block::paragraph("Да.")];
        let packed = Packed::of(&short);
        assert_eq!(packed.0[0], PLAIN);
        assert_eq!(unpack(&packed.0).unwrap(), short);
        // The thread's compressor starts afresh each time.
        assert_eq!(Packed::of(&blocks), Packed::of(&blocks));
        assert!(Packed::of(&[]).is_empty());
        assert_eq!(unpack(&[]).unwrap(), Vec::<Block>::new());
    }

    #[test]
    fn a_bulk_load_stores_the_body_packed_beforehand() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let a = crate::model::NewArticle {
            title: "Новость".into(),
            blocks: vec![Block::paragraph("Текст ленты.")],
            ..Default::default()
        };
        let mut index = crate::store::fts::IndexForm::of(&a);
        assert_eq!(index.packed, Some(Packed::of(&a.blocks)), "packed where the terms are computed");
        // The writer takes what the worker packed, as it is.
        index.packed = Some(Packed::of(&sample()));
        let mut load = store.bulk_load().unwrap();
        let id = load.write(&[(a, index)], time::OffsetDateTime::now_utc()).unwrap()[0].id();
        load.finish().unwrap();
        assert_eq!(store.article(id).unwrap().blocks, sample());
    }

    #[test]
    fn a_damaged_body_is_an_error_not_a_panic() {
        let mut packed = Packed::of(&sample()).0;
        packed.truncate(packed.len() / 2);
        assert!(unpack(&packed).is_err());
        assert!(unpack(&[7, 1, 2]).is_err(), "unknown format");
        assert!(unpack(b"\0[1, 2]").is_err(), "not blocks");
    }

    /// An archive of the version before [`BODIES_VERSION`] with `rows`.
    fn old_archive(db: &std::path::Path, rows: &str) {
        let mut c = Connection::open(db).unwrap();
        // As an archive damaged by hand could be (svodka turns them on).
        c.pragma_update(None, "foreign_keys", false).unwrap();
        let tx = c.transaction().unwrap();
        for (i, m) in MIGRATIONS[..BODIES_VERSION - 1].iter().enumerate() {
            tx.execute_batch(m).unwrap();
            crate::store::schema::after(&tx, i + 1).unwrap();
        }
        tx.execute_batch(rows).unwrap();
        tx.pragma_update(None, "user_version", (BODIES_VERSION - 1) as i64).unwrap();
        tx.commit().unwrap();
    }

    #[test]
    fn archive_of_the_previous_version_is_packed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        old_archive(
            &db,
            r#"INSERT INTO articles(id, identity, title, title_key, added, sort_key) VALUES
                     (1, 'page:x', 'Старое', 'старое', '2026-01-01T00:00:00Z', 1),
                     (2, 'page:y', 'Пустое', 'пустое', '2026-01-01T00:00:00Z', 2),
                     (3, 'page:z', 'Третье', 'третье', '2026-01-01T00:00:00Z', 3);
                 INSERT INTO blocks(article_id, seq, kind, text, data) VALUES
                     (1, 1, 'paragraph', 'Читайте на сайте подробнее.', '{"links":[[15,30,1]]}'),
                     (1, 0, 'heading', 'Мост открыт', '{"level":2}'),
                     (1, 2, 'image', '', '{"image":{"alt":"Мост"}}'),
                     (3, 0, 'paragraph', 'Снег в Алматы.', NULL);"#,
        );
        let mut store = Store::open(&db).unwrap();
        assert!(store.schema_version().unwrap() as usize >= BODIES_VERSION);
        let a = store.article(1).unwrap();
        let texts: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Мост открыт", "Читайте на сайте подробнее.", ""], "in seq order");
        assert_eq!(a.blocks[0].level, 2);
        assert_eq!(a.blocks[1].links, [LinkSpan { start: 15, end: 30, link: 1 }]);
        assert_eq!(a.blocks[2].image.as_ref().and_then(|i| i.alt.as_deref()), Some("Мост"));
        assert!(store.article(2).unwrap().blocks.is_empty());
        assert_eq!(store.article(3).unwrap().blocks, [Block::paragraph("Снег в Алматы.")]);
        let c = Connection::open(&db).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE name IN ('blocks', 'bodies')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(tables, ["bodies"], "the per-block rows are gone");
        let free: i64 = c.pragma_query_value(None, "freelist_count", |r| r.get(0)).unwrap();
        assert_eq!(free, 0, "and so is their space");
        let rows: i64 = c.query_row("SELECT count(*) FROM bodies", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 2, "no row for an article without blocks");
        // The index is rebuilt from the packed bodies.
        store.reindex().unwrap();
        let q = crate::store::fts::FtsQuery { must: Some("алмат".into()), limit: 10, ..Default::default() };
        let hits = store.search(&q).unwrap();
        assert_eq!(
            hits.iter().map(|h| (h.id, h.blocks.clone())).collect::<Vec<_>>(),
            [(3, vec!["Снег в Алматы.".into()])]
        );
        // Deleting an article takes its body with it.
        c.pragma_update(None, "foreign_keys", true).unwrap();
        c.execute("DELETE FROM articles WHERE id = 1", []).unwrap();
        assert_eq!(c.query_row("SELECT count(*) FROM bodies", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    }

    #[test]
    fn packing_goes_chunk_by_chunk_and_leaves_orphan_rows_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        let mut rows = String::new();
        for id in 1..=7 {
            rows += &format!(
                "INSERT INTO articles(id, identity, title, title_key, added, sort_key)
                     VALUES({id}, 'page:{id}', 'Т{id}', 'т{id}', '2026-01-01T00:00:00Z', {id});
                 INSERT INTO blocks(article_id, seq, kind, text) VALUES({id}, 0, 'paragraph', 'Один {id}.'),
                     ({id}, 1, 'paragraph', 'Два {id}.');"
            );
        }
        // Rows of articles that are gone.
        rows += "INSERT INTO blocks(article_id, seq, kind, text) VALUES(5, 2, 'quote', 'Три 5.'), (40, 0, 'paragraph', 'Сирота.');
                 DELETE FROM articles WHERE id = 4;";
        old_archive(&db, &rows);
        let mut c = Connection::open(&db).unwrap();
        let tx = c.transaction().unwrap();
        tx.execute_batch(MIGRATION).unwrap();
        pack_in_chunks(&tx, 2).unwrap();
        let got: Vec<(i64, Vec<String>)> = {
            let mut stmt = tx.prepare("SELECT article_id FROM bodies ORDER BY article_id").unwrap();
            let ids: Vec<i64> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            ids.into_iter().map(|id| (id, texts(&tx, id).unwrap())).collect()
        };
        let want: Vec<(i64, Vec<String>)> = [1, 2, 3, 5, 6, 7]
            .into_iter()
            .map(|id| {
                let mut t = vec![format!("Один {id}."), format!("Два {id}.")];
                if id == 5 {
                    t.push("Три 5.".into());
                }
                (id, t)
            })
            .collect();
        assert_eq!(got, want);
        let left: i64 =
            tx.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'blocks'", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }
}

/// What packing and opening cost on a real archive (release build):
/// `SVODKA_BODY_COSTS=DB cargo test --release --lib body_costs -- --ignored --nocapture`.
#[cfg(test)]
mod costs {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::store::Store;

    fn report(what: &str, mut t: Vec<Duration>) {
        t.sort_unstable();
        let at = |q: f64| t[((t.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
        eprintln!(
            "{what}: median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs ({} articles)",
            at(0.5),
            at(0.9),
            at(0.99),
            t.len()
        );
    }

    #[test]
    #[ignore]
    fn body_costs() {
        let Some(db) = std::env::var_os("SVODKA_BODY_COSTS") else { return };
        let store = Store::open_read_only(std::path::Path::new(&db)).unwrap();
        let mut stmt = store.conn.prepare("SELECT article_id, data FROM bodies ORDER BY random() LIMIT 2000").unwrap();
        let rows: Vec<(i64, Vec<u8>)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        let (mut open, mut inflate, mut pack) = (Vec::new(), Vec::new(), Vec::new());
        let (mut stored, mut text) = (0, 0);
        for (id, data) in &rows {
            let t = Instant::now();
            let article = store.article(*id).unwrap();
            open.push(t.elapsed());
            let t = Instant::now();
            let blocks = unpack(data).unwrap();
            inflate.push(t.elapsed());
            let t = Instant::now();
            let packed = Packed::of(&blocks);
            pack.push(t.elapsed());
            assert_eq!(article.blocks, blocks);
            stored += packed.len();
            text += blocks.iter().map(|b| b.text.len()).sum::<usize>();
        }
        report("Store::article (SQL + unpack)", open);
        report("unpack only", inflate);
        report("Packed::of", pack);
        eprintln!("{text} bytes of text stored in {stored} ({:.2}×)", text as f64 / stored as f64);
    }
}
