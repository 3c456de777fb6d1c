//! The full-text index: an FTS5 table in the archive itself, written in the
//! same transaction as the article it indexes.
//!
//! Normalisation happens in Rust ([`crate::lang`]): the table receives
//! space-separated terms and FTS5's `ascii` tokenizer just splits them, so
//! SQLite's own case folding (ASCII only) never gets a say. The table is
//! contentless (`content=''`, the text is already in `articles`/`bodies`)
//! with `contentless_delete=1` so re-imports replace rows in place; its rowid
//! is the article id. A trigger drops the row when an article is deleted.

use rusqlite::{Connection, OptionalExtension, params, params_from_iter, types::Value};

use super::body::{self, Packed};
use super::{Result, Store, Upsert, map_err};
use crate::lang;
use crate::model::NewArticle;
use crate::model::{Stamp, fold_key};

mod exclude;
mod walk;

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

/// An article's index terms, and its body packed for storage, computed
/// where the article is parsed (a worker thread) so the single archive
/// writer only inserts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexForm {
    pub title: String,
    pub body: String,
    /// Trending's topic candidates (see `store::topic_counts`).
    pub topics: Vec<crate::lang::topics::Candidate>,
    /// The article's blocks as stored (see `store::body`); `None`: the
    /// writer packs them.
    pub packed: Option<Packed>,
}

impl IndexForm {
    pub fn of(a: &NewArticle) -> IndexForm {
        IndexForm { packed: Some(Packed::of(&a.blocks)), ..IndexForm::terms(a) }
    }

    /// The terms only (on the writer, which packs the body itself).
    fn terms(a: &NewArticle) -> IndexForm {
        let (title, body) = index_form(&a.title, a.blocks.iter().map(|b| b.text.as_str()));
        let topics = crate::lang::topics::candidates(&a.title, a.blocks.iter().map(|b| b.text.as_str()));
        IndexForm { title, body, topics, packed: None }
    }
}

/// The indexed form of an article: (title terms, body terms).
pub fn index_form<'a>(title: &str, blocks: impl IntoIterator<Item = &'a str>) -> (String, String) {
    let mut t = String::new();
    lang::index_text(title, &mut t);
    let mut b = String::new();
    for text in blocks {
        lang::index_text(text, &mut b);
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
pub(crate) fn index_article(conn: &Connection, upsert: Upsert, a: &NewArticle) -> rusqlite::Result<()> {
    index_terms(conn, upsert, &IndexForm::terms(a))
}

/// Writes terms computed beforehand (see [`IndexForm`]), and trending's
/// per-day counts with them, in the same transaction.
pub(crate) fn index_terms(conn: &Connection, upsert: Upsert, form: &IndexForm) -> rusqlite::Result<()> {
    write_terms(conn, upsert, form)?;
    super::topic_counts::count(conn, upsert, &form.topics)
}

/// [`index_terms`] without the topic counts (the caller batches them).
pub(crate) fn write_terms(conn: &Connection, upsert: Upsert, form: &IndexForm) -> rusqlite::Result<()> {
    write_row(conn, upsert.id(), matches!(upsert, Upsert::Updated(_)), &form.title, &form.body)
}

/// Rebuilds the whole index from `articles` and `bodies` inside the caller's
/// transaction. Returns the number of articles indexed.
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute("INSERT INTO search_fts(search_fts) VALUES('delete-all')", [])?;
    let mut arts = conn.prepare(
        "SELECT a.id, a.title, b.data FROM articles a LEFT JOIN bodies b ON b.article_id = a.id ORDER BY a.id",
    )?;
    let mut n = 0;
    let mut rows = arts.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let title: String = r.get(1)?;
        let blocks = r.get_ref(2)?.as_blob_or_null()?.map(body::unpack).transpose()?.unwrap_or_default();
        let (t, b) = index_form(&title, blocks.iter().map(|b| b.text.as_str()));
        write_row(conn, id, false, &t, &b)?;
        n += 1;
    }
    Ok(n)
}

/// Rebuilds the index in one transaction (`svodka reindex`), and
/// trending's topic counts with it: both are derived from the same text
/// (and the same lemma tables, which a new version may change).
fn reindex(conn: &mut Connection) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let n = rebuild(&tx)?;
    super::topic_counts::recount(&tx)?;
    tx.execute("DELETE FROM search_meta WHERE key = 'topics_pending'", [])?;
    // One merged segment: the fastest index to query (and to look terms up in).
    tx.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')", [])?;
    tx.execute("DELETE FROM search_meta WHERE key = 'reindex_pending'", [])?;
    tx.commit()?;
    Ok(n)
}

/// Indexes the archive's existing articles once after the migration that
/// created the index. The marker is cleared in the same transaction as the
/// rebuild, so a kill mid-way simply redoes it on the next open.
pub(crate) fn catch_up(conn: &mut Connection) -> rusqlite::Result<()> {
    run_pending(conn, "reindex_pending", |tx| rebuild(tx).map(|_| ()))
}

/// Runs `work` once if the `search_meta` marker `key` is set, clearing it
/// in the same transaction (a kill mid-way redoes it on the next open).
pub(crate) fn run_pending(
    conn: &mut Connection,
    key: &str,
    work: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let pending = |c: &Connection| c.query_row("SELECT 1 FROM search_meta WHERE key = ?", [key], |_| Ok(())).optional();
    if pending(conn)?.is_none() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have done it while we waited for the lock.
    if pending(&tx)?.is_some() {
        work(&tx)?;
        tx.execute("DELETE FROM search_meta WHERE key = ?", [key])?;
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
pub(crate) fn check(conn: &Connection, thorough: bool) -> rusqlite::Result<Consistency> {
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
    let titles: Vec<(i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
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

/// Title weight against body in bm25: a word in the headline says far more
/// about a news article than the same word deep in the text.
pub const TITLE_WEIGHT: f64 = 5.0;

/// How many of the newest matching articles bm25 ranks. Scoring costs
/// 2–5 µs per candidate, so ranking every article that contains a common
/// word (80 000 of 100 000) would take 200 ms; news search wants the best
/// recent matches, so only the newest-added 2 000 matches (after the operators'
/// filters) are ranked, or `limit` of them if that is more. Rarer words are
/// ranked over the whole archive.
pub const RANK_CANDIDATES: usize = 2_000;

/// A search as the store runs it: FTS5 expressions already built from
/// normalised terms by `search`, and the operators' filters.
#[derive(Debug, Clone, Default)]
pub struct FtsQuery<'a> {
    pub must: Option<String>,
    pub must_not: Option<String>,
    pub unread: bool,
    pub read: bool,
    pub starred: bool,
    /// `sort_key` bounds: `after` inclusive, `before` exclusive.
    pub after: Option<i64>,
    pub before: Option<i64>,
    /// Folded substrings of site names; any may match.
    pub sites: &'a [String],
    /// Folded feed tags; all must match.
    pub tags: &'a [String],
    pub limit: usize,
}

/// One matching article, with its body for the snippet.
#[derive(Debug, Clone, PartialEq)]
pub struct FtsHit {
    pub id: i64,
    pub title: String,
    pub site: Option<String>,
    pub published: Option<Stamp>,
    /// Higher is better (negated bm25; 0 for filter-only queries).
    pub score: f64,
    pub blocks: Vec<String>,
}

/// JSON array of the ids whose folded name passes `keep`: site names and
/// tags are few, and SQLite's lower() folds only ASCII, so they are folded here.
pub(super) fn folded_ids(conn: &Connection, sql: &str, keep: impl Fn(&str) -> bool) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows: Vec<(i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let ids: Vec<i64> = rows.into_iter().filter(|(_, name)| keep(&fold_key(name))).map(|(id, _)| id).collect();
    Ok(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
}

/// Whether a folded site name matches a folded `site:` value: anywhere in
/// the name, so `site:aif` finds «www.AIF.ru». `list --site` and the
/// reader's filters use the same rule.
pub(super) fn site_matches(name: &str, value: &str) -> bool {
    name.contains(value)
}

/// Every dated article's `sort_key` is above this and every undated one's
/// below it: a timestamp is within ±2^39 s (the `time` crate stops at year
/// ±9999), so an undated key (first sight − 2^40) is always under −2^39.
const UNDATED_BELOW: i64 = -(1 << 39);

/// SQL: an article was published (or, undated, first seen) at or after `t`
/// (`after:`). Written as two ranges of `sort_key` rather than one
/// expression over it, so the `(site_id, sort_key)` and `sort_key` indexes
/// serve it (a `CASE` made SQLite read every row of a site: 120 ms).
pub(crate) fn seen_at_least(t: i64, args: &mut Vec<rusqlite::types::Value>) -> String {
    args.extend([t.into(), t.saturating_sub(super::UNDATED_SHIFT).into(), (UNDATED_BELOW - 1).into()]);
    "(a.sort_key >= ? OR a.sort_key BETWEEN ? AND ?)".to_string()
}

/// SQL: an article was published (or, undated, first seen) before `t`
/// (`before:`, retention); see [`seen_at_least`].
pub(crate) fn seen_before(t: i64, args: &mut Vec<rusqlite::types::Value>) -> String {
    args.extend([UNDATED_BELOW.into(), t.saturating_sub(1).into(), t.saturating_sub(super::UNDATED_SHIFT).into()]);
    "(a.sort_key BETWEEN ? AND ? OR a.sort_key < ?)".to_string()
}

/// SQL conditions on `a` (articles) for the query's operators.
fn filters(conn: &Connection, q: &FtsQuery<'_>, sql: &mut String, args: &mut Vec<Value>) -> rusqlite::Result<()> {
    for (on, cond) in [(q.unread, " AND a.read = 0"), (q.read, " AND a.read = 1"), (q.starred, " AND a.starred = 1")] {
        if on {
            sql.push_str(cond);
        }
    }
    if let Some(t) = q.after {
        sql.push_str(" AND ");
        sql.push_str(&seen_at_least(t, args));
    }
    if let Some(t) = q.before {
        sql.push_str(" AND ");
        sql.push_str(&seen_before(t, args));
    }
    if !q.sites.is_empty() {
        let ids = folded_ids(conn, "SELECT id, name FROM sites", |n| q.sites.iter().any(|s| site_matches(n, s)))?;
        sql.push_str(" AND a.site_id IN (SELECT value FROM json_each(?))");
        args.push(ids.into());
    }
    // Tags belong to feeds; an article has its feed's tags.
    for t in q.tags {
        let ids = folded_ids(conn, "SELECT feed_id, tag FROM feed_tags", |n| n == t)?;
        sql.push_str(" AND a.feed_id IN (SELECT value FROM json_each(?))");
        args.push(ids.into());
    }
    Ok(())
}

/// Up to this many articles passing the operators, a ranked search tests
/// each match against that set (one pass over the match's doclist, no
/// per-match row lookup); above it the filters pass so many articles that
/// walking the matches newest first and looking each one up finds the
/// candidates sooner.
const FILTER_SET_MAX: usize = 50_000;

/// Whether at most `set_max` ([`FILTER_SET_MAX`]) articles pass the
/// operators (an index read, capped).
fn filter_is_selective(conn: &Connection, q: &FtsQuery<'_>, set_max: usize) -> rusqlite::Result<bool> {
    let (mut cond, mut args) = (String::new(), Vec::new());
    filters(conn, q, &mut cond, &mut args)?;
    args.push(sql_limit(set_max.saturating_add(1)));
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM articles a WHERE 1 = 1{cond} LIMIT ?)");
    let n: i64 = conn.prepare_cached(&sql)?.query_row(params_from_iter(args), |r| r.get(0))?;
    Ok(n as usize <= set_max)
}

fn sql_limit(n: usize) -> Value {
    Value::from(n.min(i64::MAX as usize) as i64)
}

/// The ranked query: bm25 over the newest [`RANK_CANDIDATES`] matches, in
/// one pass: FTS5 walks the match newest-added first and stops at the
/// candidate count, so bm25 (a few µs a row) runs for those rows only.
/// Run as it is when the filters are not selective; otherwise [`walk`]
/// finds the same hits in chunks (its tests compare the two).
fn ranked_sql(
    conn: &Connection,
    q: &FtsQuery<'_>,
    must: &str,
    set_max: usize,
    args: &mut Vec<Value>,
) -> rusqlite::Result<String> {
    let expr = match &q.must_not {
        Some(not) => format!("({must}) NOT ({not})"),
        None => must.to_string(),
    };
    let mut matching = String::from("FROM search_fts");
    let mut cond = String::new();
    let mut cond_args = Vec::new();
    if has_filters(q) {
        filters(conn, q, &mut cond, &mut cond_args)?;
        if filter_is_selective(conn, q, set_max)? {
            // `+` keeps the set test out of FTS5's plan: offered `rowid IN`,
            // it would run the whole MATCH again for every id.
            cond = format!(" AND +search_fts.rowid IN (SELECT a.id FROM articles a WHERE 1 = 1{cond})");
        } else {
            matching.push_str(" JOIN articles a ON a.id = search_fts.rowid");
        }
    }
    matching.push_str(" WHERE search_fts MATCH ?");
    args.push(expr.into());
    matching.push_str(&cond);
    args.extend(cond_args);
    args.push(sql_limit(RANK_CANDIDATES.max(q.limit)));
    // Rank in an inner query; titles and sites only for the rows kept.
    args.push(sql_limit(q.limit));
    Ok(format!(
        "SELECT a.id, a.title, s.name, a.published, r.score FROM (
            SELECT c.id, c.score, a.sort_key AS sk FROM (
                SELECT search_fts.rowid AS id, -{rank}(search_fts, {TITLE_WEIGHT}, 1.0) AS score
                {matching} ORDER BY search_fts.rowid DESC LIMIT ?
            ) c JOIN articles a ON a.id = c.id ORDER BY c.score DESC, sk DESC, c.id DESC LIMIT ?
         ) r JOIN articles a ON a.id = r.id LEFT JOIN sites s ON s.id = a.site_id
         ORDER BY r.score DESC, r.sk DESC, r.id DESC",
        rank = super::rank::FUNCTION
    ))
}

/// A filter-only query: the newest articles that pass the operators (an
/// exclusion is first tried in batches by [`exclude`]).
fn filtered_sql(conn: &Connection, q: &FtsQuery<'_>, args: &mut Vec<Value>) -> rusqlite::Result<String> {
    let mut sql = "SELECT a.id, a.title, s.name, a.published, 0.0 AS score
         FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE 1 = 1"
        .to_string();
    if let Some(not) = &q.must_not {
        sql.push_str(" AND a.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)");
        args.push(not.clone().into());
    }
    filters(conn, q, &mut sql, args)?;
    sql.push_str(" ORDER BY a.sort_key DESC, a.id DESC LIMIT ?");
    args.push(sql_limit(q.limit));
    Ok(sql)
}

fn run_search(conn: &Connection, q: &FtsQuery<'_>, set_max: usize) -> rusqlite::Result<Vec<FtsHit>> {
    let walked = match (&q.must, &q.must_not) {
        (Some(must), _) => walk::ranked(conn, q, must, set_max)?,
        (None, Some(not)) => exclude::newest_without(conn, q, not)?,
        (None, None) => None,
    };
    let mut hits = match walked {
        Some(hits) => hits,
        None => one_query(conn, q, set_max)?,
    };
    for h in &mut hits {
        h.blocks = body::texts(conn, h.id)?;
    }
    Ok(hits)
}

/// The search as one SQL query (without the snippets' bodies).
fn one_query(conn: &Connection, q: &FtsQuery<'_>, set_max: usize) -> rusqlite::Result<Vec<FtsHit>> {
    let mut args: Vec<Value> = Vec::new();
    let sql = match &q.must {
        Some(must) => ranked_sql(conn, q, must, set_max, &mut args)?,
        None => filtered_sql(conn, q, &mut args)?,
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok(FtsHit {
            id: r.get(0)?,
            title: r.get(1)?,
            site: r.get(2)?,
            published: r.get::<_, Option<String>>(3)?.as_deref().and_then(Stamp::parse_iso),
            score: r.get(4)?,
            blocks: Vec::new(),
        })
    })?;
    rows.collect()
}

impl Store {
    /// Runs a search; an empty query or a zero limit finds nothing.
    pub fn search(&self, q: &FtsQuery<'_>) -> Result<Vec<FtsHit>> {
        if q.limit == 0 || (q.must.is_none() && q.must_not.is_none() && !has_filters(q)) {
            return Ok(Vec::new());
        }
        run_search(&self.conn, q, FILTER_SET_MAX).map_err(|e| map_err(&self.path, e))
    }

    /// Rebuilds the whole index in one transaction (`svodka reindex`).
    pub fn reindex(&mut self) -> Result<usize> {
        reindex(&mut self.conn).map_err(|e| map_err(&self.path, e))
    }

    /// Compares the index with the articles (see [`check`]).
    pub fn check_index(&self, thorough: bool) -> Result<Consistency> {
        check(&self.conn, thorough).map_err(|e| map_err(&self.path, e))
    }
}

fn has_filters(q: &FtsQuery<'_>) -> bool {
    q.unread
        || q.read
        || q.starred
        || q.after.is_some()
        || q.before.is_some()
        || !q.sites.is_empty()
        || !q.tags.is_empty()
}

/// FTS5 settings for a load of many articles, or the usual ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tuning {
    BulkLoad,
    Normal,
}

/// Sets FTS5's merge and flush settings. They persist in the archive (in
/// `search_fts_config`), so a load sets them back to `Normal`, which are
/// FTS5's defaults. While loading: terms of up to 16 MiB of text are kept
/// in memory before a segment is written, and segments are merged 16 at a
/// time instead of 4, so each term's postings are rewritten far fewer times.
pub(crate) fn tune(conn: &Connection, how: Tuning) -> rusqlite::Result<()> {
    let settings: [(&str, i64); 3] = match how {
        Tuning::BulkLoad => [("automerge", 16), ("crisismerge", 64), ("hashsize", 16 << 20)],
        Tuning::Normal => [("automerge", 4), ("crisismerge", 16), ("hashsize", 1 << 20)],
    };
    for (key, value) in settings {
        conn.prepare_cached("INSERT INTO search_fts(search_fts, rank) VALUES(?, ?)")?.execute(params![key, value])?;
    }
    Ok(())
}

/// Merges the index into one segment (after a bulk load), in its own
/// transaction.
pub(crate) fn optimize(conn: &Connection) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')", [])?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Stamp};

    /// The two ways of filtering a ranked search (a set of passing ids, or
    /// a lookup per match) find the same articles in the same order.
    #[test]
    fn filter_set_and_per_match_lookup_agree() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let arts: Vec<NewArticle> = (0..60)
            .map(|i| NewArticle {
                title: format!("Паводок номер {i}"),
                site: Some(format!("site{}", i % 3)),
                published: Some(Stamp::Date(time::Date::from_ordinal_date(2026, 1 + i as u16).unwrap())),
                blocks: vec![Block::paragraph("вода ".repeat(1 + i % 7))],
                ..NewArticle::default()
            })
            .collect();
        store.upsert_articles(&arts, time::OffsetDateTime::UNIX_EPOCH).unwrap();
        let sites = ["site1".to_string()];
        let q = FtsQuery {
            must: Some(format!("\"{}\"", lang::term("вода"))),
            after: Some(1_768_000_000),
            sites: &sites,
            limit: 10,
            ..FtsQuery::default()
        };
        let ids = |set_max| -> Vec<(i64, String)> {
            run_search(&store.conn, &q, set_max).unwrap().into_iter().map(|h| (h.id, h.title)).collect()
        };
        let (by_set, by_lookup) = (ids(FILTER_SET_MAX), ids(0));
        assert_eq!(by_set, by_lookup);
        assert!(by_set.len() >= 5, "{by_set:?}");
        assert!(by_set.iter().all(|(id, _)| (id - 1) % 3 == 1), "{by_set:?}");
    }
}
