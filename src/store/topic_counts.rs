//! Per-day counts of topic candidates (see `lang::topics`), kept as articles
//! arrive, so computed trending for any window is a read of counts rather
//! than a scan of texts.
//!
//! Why three tables: `topic_keys` holds each candidate once (its shown form
//! and how many articles ever mention it: the baseline); `topic_days` how
//! many articles of a UTC day mention it, with a 64-bit mask of the sites
//! that did (site id mod 63; bit 63 for no site) for "how many sites tell
//! it"; `topic_articles` each article's keys, so a delete (a trigger) or an
//! update takes exactly that article's counts back, and a site's window can
//! be read without the texts. The counts are written in the article's own
//! transaction ([`count`], called where the article is indexed). A delete
//! leaves a site's bit in the mask (masks cannot be decremented; clearing
//! a bit exactly means reading every other article of that day, which made
//! a delete ten times slower); the counts themselves stay exact.

/// foldhash: these maps take every candidate of a batch (SipHash showed in the import's profile).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use rusqlite::{Connection, OptionalExtension, params};

use super::{UNDATED_SHIFT, Upsert};
use crate::lang::topics::{self, Candidate};

pub use super::topic_window::{KeyCount, WindowArticle};

/// Migration SQL (appended to `store::schema::MIGRATIONS`); the marker row
/// makes [`catch_up`] count the articles already in the archive. `IF NOT
/// EXISTS`: an archive whose version was wound back (tests do) re-runs it.
pub const MIGRATION: &str = r#"
    CREATE TABLE IF NOT EXISTS topic_keys (
        id    INTEGER PRIMARY KEY,
        key   TEXT NOT NULL UNIQUE,
        kind  INTEGER NOT NULL,
        form  TEXT NOT NULL,
        rank  INTEGER NOT NULL,
        upper INTEGER NOT NULL DEFAULT 0,
        lower INTEGER NOT NULL DEFAULT 0,
        df    INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS topic_days (
        day    INTEGER NOT NULL,
        key_id INTEGER NOT NULL,
        n      INTEGER NOT NULL,
        sites  INTEGER NOT NULL,
        PRIMARY KEY (day, key_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS topic_articles (
        article_id INTEGER PRIMARY KEY,
        day        INTEGER NOT NULL,
        title_keys INTEGER NOT NULL,
        keys       TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS topic_articles_day ON topic_articles(day);
    CREATE TRIGGER IF NOT EXISTS articles_topics_delete AFTER DELETE ON articles BEGIN
        UPDATE topic_days SET n = n - 1
         WHERE day = (SELECT day FROM topic_articles WHERE article_id = old.id)
           AND key_id IN (SELECT value FROM json_each((SELECT keys FROM topic_articles WHERE article_id = old.id)));
        UPDATE topic_keys SET df = df - 1
         WHERE id IN (SELECT value FROM json_each((SELECT keys FROM topic_articles WHERE article_id = old.id)));
        DELETE FROM topic_articles WHERE article_id = old.id;
    END;
    INSERT OR REPLACE INTO search_meta(key, value) VALUES('topics_pending', '1');
"#;

/// Migration SQL (appended to `store::schema::MIGRATIONS` as
/// [`RECOUNT_VERSION`]): candidates are now keyed by the lemma of the
/// reading as written (see `lang::pos::Case`), so existing counts are
/// recounted (the `topics_pending` marker).
pub const RECOUNT_MIGRATION: &str = "INSERT OR REPLACE INTO search_meta(key, value) VALUES('topics_pending', '1');";

/// The version [`RECOUNT_MIGRATION`] brings an archive to (the lead
/// renumbers on merge). Only tests read it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const RECOUNT_VERSION: usize = 14;

/// Migration SQL (appended as [`BESTS_VERSION`]): each day's article count
/// (`topic_day_articles`: a window's and the baseline's sizes are then a sum
/// of a few rows, not a count of a million) and, per (day, key), the best
/// headline candidates, so a window's headlines are a read of the chosen
/// topics' rows rather than of every article of the window: `title_*`
/// among articles whose headline names the key, `any_*` among all; each
/// the (views, sort key, id) that is largest. The columns are added by
/// [`add_bests`] (only where missing: tests rewind `user_version`).
pub const BESTS_MIGRATION: &str = r#"
    CREATE TABLE IF NOT EXISTS topic_day_articles (day INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    DROP TRIGGER IF EXISTS articles_topics_delete;
    CREATE TRIGGER articles_topics_delete AFTER DELETE ON articles BEGIN
        UPDATE topic_days SET n = n - 1
         WHERE day = (SELECT day FROM topic_articles WHERE article_id = old.id)
           AND key_id IN (SELECT value FROM json_each((SELECT keys FROM topic_articles WHERE article_id = old.id)));
        UPDATE topic_keys SET df = df - 1
         WHERE id IN (SELECT value FROM json_each((SELECT keys FROM topic_articles WHERE article_id = old.id)));
        UPDATE topic_day_articles SET n = n - 1
         WHERE day = (SELECT day FROM topic_articles WHERE article_id = old.id);
        DELETE FROM topic_articles WHERE article_id = old.id;
    END;
"#;

/// The version [`BESTS_MIGRATION`] brings an archive to (the lead renumbers
/// on merge).
pub(crate) const BESTS_VERSION: usize = 15;

const BEST_COLUMNS: [&str; 6] = ["title_views", "title_sort", "title_id", "any_views", "any_sort", "any_id"];

/// [`BESTS_VERSION`]'s step: adds the best-headline columns and fills them
/// and the day counts from the articles already counted, one day at a time.
pub(crate) fn add_bests(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    for col in BEST_COLUMNS {
        let has: bool =
            tx.query_row("SELECT count(*) > 0 FROM pragma_table_info('topic_days') WHERE name = ?", [col], |r| {
                r.get(0)
            })?;
        if !has {
            tx.execute_batch(&format!("ALTER TABLE topic_days ADD COLUMN {col} INTEGER;"))?;
        }
    }
    tx.execute_batch(
        "DELETE FROM topic_day_articles;
         INSERT INTO topic_day_articles(day, n) SELECT day, count(*) FROM topic_articles GROUP BY day;",
    )?;
    let days: Vec<i64> = tx
        .prepare("SELECT day FROM topic_day_articles")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut read = tx.prepare(
        "SELECT t.article_id, coalesce(a.views, 0), a.sort_key, t.title_keys, t.keys
         FROM topic_articles t JOIN articles a ON a.id = t.article_id WHERE t.day = ?",
    )?;
    let mut write = tx.prepare(
        "UPDATE topic_days SET title_views = ?3, title_sort = ?4, title_id = ?5, any_views = ?6, any_sort = ?7, any_id = ?8
         WHERE day = ?1 AND key_id = ?2",
    )?;
    for day in days {
        let mut best: HashMap<i64, Bests> = HashMap::default();
        let rows = read.query_map([day], |r| {
            Ok(((r.get(1)?, r.get(2)?, r.get(0)?), r.get::<_, i64>(3)?.max(0) as usize, r.get::<_, String>(4)?))
        })?;
        for row in rows {
            let (rank, title_keys, keys) = row?;
            for (i, k) in parse_ids(&keys).into_iter().enumerate() {
                best.entry(k).or_default().offer(rank, i < title_keys);
            }
        }
        for (k, b) in best {
            write.execute(rusqlite::params_from_iter([Some(day), Some(k)].into_iter().chain(b.columns())))?;
        }
    }
    Ok(())
}

/// An article's place among headline candidates: (views, sort key, id),
/// the largest best.
pub type HeadlineRank = (i64, i64, i64);

/// The best headline candidates of one (day, key), or of a topic over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bests {
    /// Among articles whose headline names the key.
    pub title: Option<HeadlineRank>,
    /// Among all that mention it.
    pub any: Option<HeadlineRank>,
}

impl Bests {
    pub fn offer(&mut self, rank: HeadlineRank, in_title: bool) {
        if in_title && self.title.is_none_or(|t| rank > t) {
            self.title = Some(rank);
        }
        if self.any.is_none_or(|a| rank > a) {
            self.any = Some(rank);
        }
    }

    /// As [`BEST_COLUMNS`] store them.
    fn columns(&self) -> [Option<i64>; 6] {
        let (t, a) = (self.title, self.any);
        [t.map(|t| t.0), t.map(|t| t.1), t.map(|t| t.2), a.map(|a| a.0), a.map(|a| a.1), a.map(|a| a.2)]
    }

    pub fn merge(&mut self, other: Bests) {
        if let Some(t) = other.title {
            self.offer(t, true);
        }
        if let Some(a) = other.any {
            self.offer(a, false);
        }
    }
}

/// Seconds in a counting bucket.
pub const DAY: i64 = 86_400;

/// Takes an article's counts back (an update recounts it).
fn forget(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let row: Option<(i64, String)> = conn
        .prepare_cached("SELECT day, keys FROM topic_articles WHERE article_id = ?")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((day, keys)) = row else { return Ok(()) };
    conn.prepare_cached(
        "UPDATE topic_days SET n = n - 1 WHERE day = ? AND key_id IN (SELECT value FROM json_each(?))",
    )?
    .execute(params![day, keys])?;
    conn.prepare_cached("UPDATE topic_keys SET df = df - 1 WHERE id IN (SELECT value FROM json_each(?))")?
        .execute([&keys])?;
    conn.prepare_cached("UPDATE topic_day_articles SET n = n - 1 WHERE day = ?")?.execute([day])?;
    conn.prepare_cached("DELETE FROM topic_articles WHERE article_id = ?")?.execute([id])?;
    Ok(())
}

/// Where an article is counted: its UTC day, its site's bit in the mask,
/// and its rank among headline candidates.
#[derive(Debug, Clone, Copy)]
struct Place {
    day: i64,
    bit: i64,
    rank: HeadlineRank,
}

fn place(conn: &Connection, id: i64) -> rusqlite::Result<Place> {
    let (sort_key, undated, site, views): (i64, bool, Option<i64>, i64) = conn
        .prepare_cached("SELECT sort_key, published IS NULL, site_id, coalesce(views, 0) FROM articles WHERE id = ?")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let seen = if undated { sort_key + UNDATED_SHIFT } else { sort_key };
    let bit = site.map_or(i64::MIN, |s| 1 << s.rem_euclid(63));
    Ok(Place { day: seen.div_euclid(DAY), bit, rank: (views, sort_key, id) })
}

/// Counts (or recounts) one article's topic candidates; called inside the
/// transaction that writes the article, after its row is written.
pub(crate) fn count(conn: &Connection, upsert: Upsert, cands: &[Candidate]) -> rusqlite::Result<()> {
    let mut one = TopicBatch::default();
    one.push(conn, upsert, cands)?;
    one.flush(conn)
}

/// One key's counts over a batch, as the upserts one by one would leave
/// them: the first kind, the first form of the lowest rank, sums.
struct KeyAgg<'a> {
    c: &'a Candidate,
    df: i64,
    upper: i64,
    lower: i64,
}

/// The candidates of the articles one transaction writes, counted together
/// before it commits ([`TopicBatch::flush`]): a bulk load's articles share
/// most keys and days, so one upsert per distinct key and per (day, key)
/// replaces two per candidate (~1.7 ms an article at 120 candidates).
/// New keys get their ids in first-seen order, as one-by-one upserts
/// give them, so the tables are the same either way.
#[derive(Default)]
pub(crate) struct TopicBatch<'a> {
    /// Each article with its day and site bit as it was written.
    items: Vec<(Upsert, Place, &'a [Candidate])>,
    ids: KeyIds,
}

/// Topic keys' row ids as a bulk load wrote or found them, kept across its
/// transactions (`store::bulk::BulkLoad` holds it), so a key already
/// stored has its counts updated by id rather than upserted by text
/// through the unique index: that upsert was a fifth of a bulk load's
/// writer time. Only a hint: the update also matches the key, and a miss
/// (the row went with a rolled-back transaction or another process's
/// recount) upserts.
#[derive(Default)]
pub(crate) struct KeyIds {
    /// By the key's hash, not the key: a tenth of the memory (a load meets
    /// a key per article or so), and a collision is only a wrong hint.
    ids: HashMap<u64, i64>,
    hasher: foldhash::fast::RandomState,
}

/// At ~30 bytes a key, 32 MB at most; keys past it take the upsert.
const KEY_IDS_MAX: usize = 1 << 20;

impl KeyIds {
    fn get(&self, key: &str) -> Option<i64> {
        self.ids.get(&std::hash::BuildHasher::hash_one(&self.hasher, key)).copied()
    }

    fn remember(&mut self, key: &str, id: i64) {
        let h = std::hash::BuildHasher::hash_one(&self.hasher, key);
        if let Some(known) = self.ids.get_mut(&h) {
            *known = id;
        } else if self.ids.len() < KEY_IDS_MAX {
            self.ids.insert(h, id);
        }
    }
}

impl<'a> TopicBatch<'a> {
    /// A batch that starts from (and [`TopicBatch::into_ids`] hands back)
    /// the ids a bulk load knows.
    pub(crate) fn with_ids(ids: KeyIds) -> Self {
        TopicBatch { items: Vec::new(), ids }
    }

    pub(crate) fn into_ids(self) -> KeyIds {
        self.ids
    }

    /// Adds an article just written (its row as it is now says its day).
    pub(crate) fn push(&mut self, conn: &Connection, upsert: Upsert, cands: &'a [Candidate]) -> rusqlite::Result<()> {
        self.items.push((upsert, place(conn, upsert.id())?, cands));
        Ok(())
    }

    /// Writes the batch's counts (inside the caller's transaction).
    pub(crate) fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let items = std::mem::take(&mut self.items);
        let mut ids = std::collections::HashSet::new();
        if !items.iter().all(|(u, _, _)| ids.insert(u.id())) {
            // An article written twice in one batch: its second write must
            // take back what the first counted, so count them in order.
            for item in items {
                self.items.push(item);
                self.flush(conn)?;
            }
            return Ok(());
        }
        for (u, _, _) in &items {
            if matches!(u, Upsert::Updated(_)) {
                forget(conn, u.id())?;
            }
        }
        let mut keys: Vec<KeyAgg<'a>> = Vec::new();
        let mut key_at: HashMap<&'a str, usize> = HashMap::default();
        let mut articles = Vec::with_capacity(items.len());
        for &(_, at_place, cands) in &items {
            let mut cands: Vec<&'a Candidate> = cands.iter().collect();
            cands.sort_by_key(|c| !c.in_title);
            let mut at = Vec::with_capacity(cands.len());
            for c in &cands {
                let i = *key_at.entry(c.key.as_str()).or_insert_with(|| {
                    keys.push(KeyAgg { c, df: 0, upper: 0, lower: 0 });
                    keys.len() - 1
                });
                let k = &mut keys[i];
                (k.df, k.upper, k.lower) = (k.df + 1, k.upper + c.upper, k.lower + c.lower);
                if c.rank < k.c.rank {
                    k.c = c;
                }
                at.push(i);
            }
            let title_keys = cands.iter().filter(|c| c.in_title).count() as i64;
            articles.push((at_place, title_keys, at));
        }
        let kid = write_keys(conn, &keys, &mut self.ids)?;
        write_days_and_articles(conn, &kid, &articles)
    }
}

/// Upserts each key once (first-seen order); returns their ids.
fn write_keys(conn: &Connection, keys: &[KeyAgg<'_>], ids: &mut KeyIds) -> rusqlite::Result<Vec<i64>> {
    // Both say what `ON CONFLICT` leaves: sums, and the form of the lowest rank.
    let mut upsert = conn.prepare_cached(
        "INSERT INTO topic_keys(key, kind, form, rank, upper, lower, df) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(key) DO UPDATE SET df = df + excluded.df, upper = upper + excluded.upper,
             lower = lower + excluded.lower,
             form = CASE WHEN excluded.rank < rank THEN excluded.form ELSE form END,
             rank = min(rank, excluded.rank)
         RETURNING id",
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE topic_keys SET df = df + ?3, upper = upper + ?4, lower = lower + ?5,
             form = CASE WHEN ?6 < rank THEN ?7 ELSE form END, rank = min(rank, ?6)
         WHERE id = ?1 AND key = ?2",
    )?;
    keys.iter()
        .map(|k| {
            let c = k.c;
            if let Some(id) = ids.get(&c.key)
                && update.execute(params![id, c.key, k.df, k.upper, k.lower, c.rank, c.form])? == 1
            {
                return Ok(id);
            }
            let id = upsert
                .query_row(params![c.key, c.kind.code(), c.form, c.rank, k.upper, k.lower, k.df], |r| r.get(0))?;
            ids.remember(&c.key, id);
            Ok(id)
        })
        .collect()
}

/// The (day, key) upsert: counts add up, and a candidate replaces a stored
/// best only when larger (row values compare left to right: views, then
/// sort key, then id).
static DAY_UPSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let title = "(excluded.title_id IS NOT NULL AND (title_id IS NULL OR \
        (excluded.title_views, excluded.title_sort, excluded.title_id) > (title_views, title_sort, title_id)))";
    let any =
        "(any_id IS NULL OR (excluded.any_views, excluded.any_sort, excluded.any_id) > (any_views, any_sort, any_id))";
    let set = |cond: &str, cols: &[&str]| -> String {
        cols.iter().map(|c| format!("{c} = iif({cond}, excluded.{c}, {c})")).collect::<Vec<_>>().join(", ")
    };
    format!(
        "INSERT INTO topic_days(day, key_id, n, sites, {cols}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, sites = sites | excluded.sites, {t}, {a}",
        cols = BEST_COLUMNS.join(", "),
        t = set(title, &BEST_COLUMNS[..3]),
        a = set(any, &BEST_COLUMNS[3..]),
    )
});

/// The (day, key) counts and best headlines, summed over the batch; each
/// day's article count; each article's keys.
fn write_days_and_articles(
    conn: &Connection,
    kid: &[i64],
    articles: &[(Place, i64, Vec<usize>)],
) -> rusqlite::Result<()> {
    let mut days: HashMap<(i64, i64), (i64, i64, Bests)> = HashMap::default();
    let mut per_day: HashMap<i64, i64> = HashMap::default();
    for (p, title_keys, at) in articles {
        *per_day.entry(p.day).or_default() += 1;
        for (j, &i) in at.iter().enumerate() {
            let e = days.entry((p.day, kid[i])).or_default();
            (e.0, e.1) = (e.0 + 1, e.1 | p.bit);
            e.2.offer(p.rank, (j as i64) < *title_keys);
        }
    }
    let mut day_stmt = conn.prepare_cached(&DAY_UPSERT)?;
    for ((day, key), (n, sites, b)) in days {
        let head = [Some(day), Some(key), Some(n), Some(sites)];
        day_stmt.execute(rusqlite::params_from_iter(head.into_iter().chain(b.columns())))?;
    }
    let mut day_count = conn.prepare_cached(
        "INSERT INTO topic_day_articles(day, n) VALUES(?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
    )?;
    for (day, n) in per_day {
        day_count.execute([day, n])?;
    }
    let mut art_stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO topic_articles(article_id, day, title_keys, keys) VALUES(?, ?, ?, ?)",
    )?;
    for (p, title_keys, at) in articles {
        let ids: Vec<i64> = at.iter().map(|&i| kid[i]).collect();
        art_stmt.execute(params![p.rank.2, p.day, title_keys, json_ids(&ids)])?;
    }
    Ok(())
}

pub(super) fn json_ids(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 6 + 2);
    s.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s.push(']');
    s
}

/// Reads `[1,2,3]` as written by [`json_ids`] (faster than a JSON parser on
/// thousands of rows).
pub(super) fn parse_ids(s: &str) -> Vec<i64> {
    s.trim_matches(['[', ']']).split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

/// Counts the archive's existing articles once after the migration that
/// added the tables; the marker is cleared in the same transaction.
pub(crate) fn catch_up(conn: &mut Connection) -> rusqlite::Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Ok(());
    }
    super::fts::run_pending(conn, "topics_pending", |tx| recount(tx).map(|_| ()))
}

/// Counts every article afresh (inside the caller's transaction).
pub(crate) fn recount(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute_batch(
        "DELETE FROM topic_days; DELETE FROM topic_articles; DELETE FROM topic_keys; DELETE FROM topic_day_articles;",
    )?;
    let ids: Vec<(i64, String)> = conn
        .prepare("SELECT id, title FROM articles")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for chunk in ids.chunks(1_024) {
        let mut cands = Vec::with_capacity(chunk.len());
        for (id, title) in chunk {
            let texts = super::body::texts(conn, *id)?;
            let lead = texts.iter().take(topics::LEAD_BLOCKS).map(String::as_str);
            cands.push((*id, topics::candidates(title, lead)));
        }
        let mut batch = TopicBatch::default();
        for (id, c) in &cands {
            batch.push(conn, Upsert::Added(*id), c)?;
        }
        batch.flush(conn)?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind, NewArticle, Stamp};
    use crate::store::Store;

    fn art(n: usize, title: &str, body: &str, site: &str) -> NewArticle {
        NewArticle {
            title: title.into(),
            site: Some(site.into()),
            url: Some(format!("https://example.kz/{n}")),
            published: Some(Stamp::parse_iso("2026-03-14T08:00:00Z").unwrap()),
            blocks: vec![Block::new(BlockKind::Paragraph, body)],
            ..NewArticle::default()
        }
    }

    /// Every (day, key, n) with n > 0, and each key's total.
    type Snapshot = (Vec<(i64, String, i64)>, Vec<(String, i64)>);

    fn snapshot(s: &Store) -> Snapshot {
        let days = s
            .conn
            .prepare("SELECT d.day, k.key, d.n FROM topic_days d JOIN topic_keys k ON k.id = d.key_id WHERE d.n > 0 ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let keys = s
            .conn
            .prepare("SELECT key, df FROM topic_keys WHERE df > 0 ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (days, keys)
    }

    fn recounted(s: &mut Store) -> Snapshot {
        let tx = s.conn.transaction().unwrap();
        recount(&tx).unwrap();
        tx.commit().unwrap();
        snapshot(s)
    }

    /// Every column of the three tables, ids included.
    fn full_dump(s: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT id, key, kind, form, rank, upper, lower, df FROM topic_keys ORDER BY id",
            "SELECT day, key_id, n, sites, 0, 0, 0, 0 FROM topic_days ORDER BY 1, 2",
            "SELECT article_id, day, title_keys, keys, 0, 0, 0, 0 FROM topic_articles ORDER BY 1",
        ] {
            let mut stmt = s.conn.prepare(sql).unwrap();
            let rows = stmt
                .query_map([], |r| {
                    (0..8).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect()
                })
                .unwrap();
            out.extend(rows.map(|r: rusqlite::Result<Vec<String>>| r.unwrap().join("|")));
        }
        out
    }

    #[test]
    fn a_batch_counts_exactly_what_one_by_one_counts() {
        let names = ["Атырау", "Росатом", "Алматы", "Токаев", "Уральск", "Газпром"];
        let mut arts: Vec<NewArticle> = (0..40)
            .map(|i| {
                let (a, b) = (names[i % 6], names[(i * 5 + 1) % 6]);
                let mut x = art(i % 33, &format!("{a} и {b}: новости"), &format!("В городе {b} снова {a}."), "a.kz");
                x.site = Some(format!("site{}.kz", i % 3));
                x.published =
                    Stamp::parse_iso(if i % 2 == 0 { "2026-03-14T08:00:00Z" } else { "2026-03-15T09:00:00Z" });
                x
            })
            .collect();
        // The same URLs again in the batch: updates of articles written in it.
        let again: Vec<NewArticle> = arts[..5]
            .iter()
            .cloned()
            .map(|mut x| {
                x.title = format!("{} (обновлено)", x.title);
                x
            })
            .collect();
        arts.extend(again);
        let now = time::OffsetDateTime::now_utc();
        let dir = tempfile::tempdir().unwrap();
        let mut one = Store::open(&dir.path().join("one.db")).unwrap();
        for a in &arts {
            one.upsert_articles(std::slice::from_ref(a), now).unwrap();
        }
        let mut bulk = Store::open(&dir.path().join("bulk.db")).unwrap();
        let prepared: Vec<_> = arts.iter().map(|a| (a.clone(), crate::store::fts::IndexForm::of(a))).collect();
        let mut load = bulk.bulk_load().unwrap();
        // The second batch updates articles of the first, and some of its
        // own (URLs 0–4 come three times).
        load.write(&prepared[..10], now).unwrap();
        load.write(&prepared[10..], now).unwrap();
        load.finish().unwrap();
        assert_eq!(full_dump(&one), full_dump(&bulk));
        assert!(full_dump(&one).len() > 50);
    }

    /// The ids a connection remembers are only hints: wrong ones (another
    /// key's row, a row that is gone) still leave exactly the counts of a
    /// connection that never had them.
    #[test]
    fn wrong_key_id_hints_change_nothing() {
        let names = ["Атырау", "Росатом", "Алматы", "Токаев"];
        let arts: Vec<NewArticle> = (0..24)
            .map(|i| art(i, &format!("{} и {}", names[i % 4], names[(i + 1) % 4]), "Снова новости дня.", "a.kz"))
            .collect();
        let prepared: Vec<_> = arts.iter().map(|a| (a.clone(), crate::store::fts::IndexForm::of(a))).collect();
        let now = time::OffsetDateTime::now_utc();
        let dir = tempfile::tempdir().unwrap();
        let mut plain = Store::open(&dir.path().join("plain.db")).unwrap();
        let mut hinted = Store::open(&dir.path().join("hinted.db")).unwrap();
        let mut plain_load = plain.bulk_load().unwrap();
        let mut load = hinted.bulk_load().unwrap();
        plain_load.write(&prepared[..12], now).unwrap();
        load.write(&prepared[..12], now).unwrap();
        plain_load.key_ids = KeyIds::default();
        let known: Vec<(String, i64)> = {
            let mut stmt = load.store().conn.prepare("SELECT key, id FROM topic_keys ORDER BY id").unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        assert!(known.len() >= 4 && known.iter().all(|(k, id)| load.key_ids.get(k) == Some(*id)));
        // Each key points at the next one's row; one at a row that never was.
        for (i, (k, _)) in known.iter().enumerate() {
            load.key_ids.remember(k, known[(i + 1) % known.len()].1);
        }
        load.key_ids.remember(&known[0].0, 1_000_000);
        plain_load.write(&prepared[12..], now).unwrap();
        load.write(&prepared[12..], now).unwrap();
        // The wrong hints were replaced by the rows' real ids.
        let fixed = load.key_ids.get(&known[0].0);
        plain_load.finish().unwrap();
        load.finish().unwrap();
        assert_eq!(full_dump(&plain), full_dump(&hinted));
        let real: i64 =
            hinted.conn.query_row("SELECT id FROM topic_keys WHERE key = ?", [&known[0].0], |r| r.get(0)).unwrap();
        assert_eq!(fixed, Some(real));
    }

    #[test]
    fn reindex_recounts_topics() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let now = time::OffsetDateTime::now_utc();
        s.upsert_articles(&[art(1, "Паводок в Атырау", "Жители Атырау эвакуированы.", "a.kz")], now).unwrap();
        let before = snapshot(&s);
        // Counts gone astray (an older version's tables, a bug): reindex rebuilds them.
        s.conn.execute_batch("DELETE FROM topic_days; UPDATE topic_keys SET df = 99;").unwrap();
        assert_ne!(snapshot(&s), before);
        s.reindex().unwrap();
        assert_eq!(snapshot(&s), before);
    }

    #[test]
    fn counts_follow_inserts_updates_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let v: i64 = s.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert!(v >= crate::store::schema::TOPICS_VERSION as i64);
        let now = time::OffsetDateTime::now_utc();
        s.upsert_articles(
            &[
                art(1, "Паводок в Атырау", "Жители Атырау эвакуированы.", "a.kz"),
                art(2, "Росатом построит станцию", "Глава Росатома прибыл в Атырау.", "b.kz"),
            ],
            now,
        )
        .unwrap();
        let (_, keys) = snapshot(&s);
        let df = |keys: &[(String, i64)], w: &str| keys.iter().find(|k| k.0 == key_of(w)).map_or(0, |k| k.1);
        assert_eq!(df(&keys, "Атырау"), 2);
        assert_eq!(df(&keys, "Росатома"), 1);
        // An update recounts the article: Атырау leaves it.
        s.upsert_articles(&[art(2, "Росатом построит станцию", "Глава Росатома прибыл в Уральск.", "b.kz")], now)
            .unwrap();
        let after = snapshot(&s);
        assert_eq!(df(&after.1, "Атырау"), 1);
        assert_eq!(df(&after.1, "Уральск"), 1);
        assert_eq!(after, recounted(&mut s), "incremental counts equal a recount");
        // A delete takes the article's counts back (the trigger).
        let id: i64 = s.conn.query_row("SELECT min(id) FROM articles", [], |r| r.get(0)).unwrap();
        s.conn.execute("DELETE FROM articles WHERE id = ?", [id]).unwrap();
        let after = snapshot(&s);
        assert_eq!(df(&after.1, "Атырау"), 0);
        assert_eq!(after, recounted(&mut s));
        let n: i64 = s.conn.query_row("SELECT count(*) FROM topic_articles", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        assert_eq!(day_counts(&s), vec![(day_of(&s), 1)], "each day's article count follows too");
    }

    fn day_counts(s: &Store) -> Vec<(i64, i64)> {
        let mut st = s.conn.prepare("SELECT day, n FROM topic_day_articles WHERE n != 0 ORDER BY day").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    }

    fn day_of(s: &Store) -> i64 {
        s.conn.query_row("SELECT min(day) FROM topic_articles", [], |r| r.get(0)).unwrap()
    }

    fn bests(s: &Store) -> Vec<Vec<Option<i64>>> {
        let sql = format!("SELECT day, key_id, {} FROM topic_days ORDER BY day, key_id", BEST_COLUMNS.join(", "));
        let mut st = s.conn.prepare(&sql).unwrap();
        st.query_map([], |r| (0..8).map(|i| r.get(i)).collect()).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn an_archive_counted_before_the_bests_gets_them_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let now = time::OffsetDateTime::now_utc();
        let (want, want_days) = {
            let mut s = Store::open(&db).unwrap();
            let mut arts: Vec<NewArticle> = (0..12)
                .map(|i| art(i, ["Паводок в Атырау", "Росатом в Атырау", "Уральск"][i % 3], "Жители Атырау.", "a.kz"))
                .collect();
            for (i, a) in arts.iter_mut().enumerate() {
                a.views = Some(((i * 5) % 7) as i64);
            }
            s.upsert_articles(&arts, now).unwrap();
            let (want, want_days) = (bests(&s), day_counts(&s));
            assert!(want.iter().all(|r| r[7].is_some()), "every row has a best");
            assert!(want.iter().any(|r| r[4].is_some()) && want.iter().any(|r| r[4].is_none()));
            // As an archive of the previous version: no bests, no day counts.
            let clear: Vec<String> = BEST_COLUMNS.iter().map(|c| format!("{c} = NULL")).collect();
            s.conn
                .execute_batch(&format!(
                    "UPDATE topic_days SET {}; DELETE FROM topic_day_articles; PRAGMA user_version = {};",
                    clear.join(", "),
                    BESTS_VERSION - 1
                ))
                .unwrap();
            (want, want_days)
        };
        let s = Store::open(&db).unwrap();
        assert_eq!(bests(&s), want, "the migration fills what counting kept");
        assert_eq!(day_counts(&s), want_days);
        assert_eq!(want_days, vec![(day_of(&s), 12)]);
    }

    /// A word's candidate key (the lemma of a dictionary word).
    fn key_of(w: &str) -> String {
        topics::candidates(w, std::iter::empty::<&str>())[0].key.clone()
    }

    fn sites_of(s: &Store, w: &str) -> u32 {
        s.conn
            .query_row(
                "SELECT coalesce(sum(d.sites), 0) FROM topic_days d JOIN topic_keys k ON k.id = d.key_id WHERE k.key = ?",
                [key_of(w)],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
            .count_ones()
    }

    #[test]
    fn a_delete_takes_its_counts_back_and_leaves_its_site_bit() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let v: i64 = s.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert!(v >= RECOUNT_VERSION as i64);
        assert_eq!(crate::store::schema::MIGRATIONS[RECOUNT_VERSION - 1], RECOUNT_MIGRATION);
        let now = time::OffsetDateTime::now_utc();
        let arts = [
            art(1, "Паводок в Атырау", "Жители Атырау эвакуированы.", "a.kz"),
            art(2, "Атырау готовится к паводку", "В Атырау укрепляют дамбы.", "b.kz"),
            art(3, "Паводок в Атырау", "Вода прибывает в Атырау.", "c.kz"),
        ];
        s.upsert_articles(&arts, now).unwrap();
        assert_eq!(sites_of(&s, "Атырау"), 3);
        let id: i64 = s.conn.query_row("SELECT min(id) FROM articles", [], |r| r.get(0)).unwrap();
        s.conn.execute("DELETE FROM articles WHERE id = ?", [id]).unwrap();
        let n: i64 = s
            .conn
            .query_row(
                "SELECT sum(d.n) FROM topic_days d JOIN topic_keys k ON k.id = d.key_id WHERE k.key = ?",
                [key_of("Атырау")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2, "the count is exact");
        // The mask is not (see the module doc): a.kz's bit stays.
        assert_eq!(sites_of(&s, "Атырау"), 3);
    }

    #[test]
    fn an_archive_from_before_the_counts_is_counted_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let now = time::OffsetDateTime::now_utc();
        let want = {
            let mut s = Store::open(&db).unwrap();
            s.upsert_articles(&[art(1, "Паводок в Атырау", "Жители Атырау эвакуированы.", "a.kz")], now).unwrap();
            let want = snapshot(&s);
            // As the migration leaves an existing archive: empty tables and the marker.
            s.conn
                .execute_batch(
                    "DELETE FROM topic_days; DELETE FROM topic_articles; DELETE FROM topic_keys;
                     INSERT INTO search_meta(key, value) VALUES('topics_pending', '1');",
                )
                .unwrap();
            assert!(snapshot(&s).1.is_empty());
            want
        };
        let s = Store::open(&db).unwrap();
        assert_eq!(snapshot(&s), want);
        let pending: i64 = s
            .conn
            .query_row("SELECT count(*) FROM search_meta WHERE key = 'topics_pending'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pending, 0);
    }
}
