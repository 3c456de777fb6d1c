//! A search of exclusions only (`-word`, or `после -признали` once the
//! stop word is dropped): the newest articles without the word.
//!
//! Why: as one query, SQLite first collects every article with the
//! excluded word (most of a million for a common one: 190 ms) to test the
//! newest against. Here the newest articles passing the operators are taken
//! a batch at a time and only the index rows within the batch's rowids are
//! read; the batch grows until enough articles are left. When a batch's
//! rowids spread too far for that to pay, the single query runs instead.

use std::collections::HashSet;

use rusqlite::{Connection, params_from_iter, types::Value};

use super::{FtsHit, FtsQuery, filters, sql_limit};

/// The first batch, in articles per hit wanted.
const BATCH_PER_HIT: usize = 4;

/// The last batch tried; a larger one is the single query's work.
const MAX_BATCH: usize = 1 << 16;

/// Rowids a batch may spread over, per article in it.
const SPREAD_PER_ARTICLE: i64 = 16;

/// The newest `q.limit` articles passing the operators that do not match
/// `not`, as `fts::filtered_sql` orders them; None when the batches would
/// not pay (the caller runs that query).
pub(super) fn newest_without(conn: &Connection, q: &FtsQuery<'_>, not: &str) -> rusqlite::Result<Option<Vec<FtsHit>>> {
    let (mut cond, mut args) = (String::new(), Vec::<Value>::new());
    filters(conn, q, &mut cond, &mut args)?;
    let sql = format!("SELECT a.id FROM articles a WHERE 1 = 1{cond} ORDER BY a.sort_key DESC, a.id DESC LIMIT ?");
    let mut batch = q.limit.saturating_mul(BATCH_PER_HIT).max(64);
    while batch <= MAX_BATCH {
        let mut stmt = conn.prepare_cached(&sql)?;
        let batch_args = args.iter().cloned().chain([sql_limit(batch)]);
        let ids: Vec<i64> =
            stmt.query_map(params_from_iter(batch_args), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let (Some(&lo), Some(&hi)) = (ids.iter().min(), ids.iter().max()) else { return Ok(Some(Vec::new())) };
        if hi - lo > SPREAD_PER_ARTICLE.saturating_mul(ids.len() as i64) {
            return Ok(None);
        }
        let excluded: HashSet<i64> = conn
            .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid >= ? AND rowid <= ?")?
            .query_map(rusqlite::params![not, lo, hi], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let kept: Vec<i64> = ids.iter().copied().filter(|id| !excluded.contains(id)).take(q.limit).collect();
        if kept.len() >= q.limit || ids.len() < batch {
            return kept
                .into_iter()
                .map(|id| super::walk::hit(conn, id, 0.0))
                .collect::<rusqlite::Result<_>>()
                .map(Some);
        }
        batch = batch.saturating_mul(4);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::super::walk::tests::{archive, phrase};
    use super::*;

    /// The batches find what the single query finds, in its order.
    #[test]
    fn batches_agree_with_the_single_query() {
        let (_dir, store) = archive();
        let site = ["site1".to_string()];
        for not in ["паводок", "новости", "нетакогослова", "ледяной затор"] {
            for (sites, limit) in
                [(&[][..], 20), (&[][..], 1_000), (&[][..], 6_000), (&site[..], 20), (&site[..], 2_000)]
            {
                let q = FtsQuery { must_not: Some(phrase(not)), sites, limit, ..FtsQuery::default() };
                let one = super::super::one_query(&store.conn, &q, super::super::FILTER_SET_MAX).unwrap();
                // Dates follow ids loosely here, as in feeds: batches pay.
                let batched = newest_without(&store.conn, &q, &phrase(not)).unwrap().expect("batches pay here");
                assert_eq!(batched, one, "{not} {sites:?} {limit}");
                assert!(!one.is_empty());
            }
        }
    }
}
