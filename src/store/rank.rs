//! `svodka_bm25()`: FTS5's bm25 with the document frequencies counted only
//! as far as they matter, registered on every connection.
//!
//! Why by hand: FTS5's own `bm25()` counts, on its first call in a query,
//! every row that matches each phrase (`xQueryPhrase` to the end), so a
//! word in most of a million articles costs ~40 ms per 100 000 before one
//! row is scored, whatever the candidate cut (measured: the 2 000 newest
//! matches of such a word, 1.2 ms without bm25, 44.6 ms with it). No crate
//! offers FTS5 auxiliary functions (rusqlite does not wrap `fts5_api`), so
//! this is the one FFI module. The score is bm25's formula as fts5_aux.c
//! computes it (k1 = 1.2, b = 0.75, per-column weights, IDF floored at
//! 1e-6); a phrase's frequency is counted exactly up to [`COUNT_CAP`] rows
//! and beyond that estimated from how densely the first rows match: for
//! rarer words the score is bm25's (equal to 1e-12 in the tests; the
//! arithmetic is grouped differently, so not bit for bit).

use std::ffi::{c_int, c_void};
use std::ptr;

use rusqlite::Connection;
use rusqlite::ffi;

/// The name queries call it by.
pub const FUNCTION: &str = "svodka_bm25";

/// Matching rows counted per phrase before the count is estimated.
pub(super) const COUNT_CAP: i64 = 4_096;

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// What one query computes once: the average row length and each
/// phrase's IDF.
pub(super) struct QueryData {
    avg_len: f64,
    idf: Vec<f64>,
}

/// Rows seen by the capped count of one phrase.
struct Count {
    n: i64,
    first: i64,
    last: i64,
}

unsafe extern "C" fn count_row(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    data: *mut c_void,
) -> c_int {
    // SAFETY: `data` is the `Count` that `phrase_hits` passed, alive for the call.
    let count = unsafe { &mut *(data as *mut Count) };
    // SAFETY: FTS5 hands a valid API table and context to the callback.
    let rowid = unsafe { (*api).xRowid.map_or(0, |f| f(fts)) };
    if count.n == 0 {
        count.first = rowid;
    }
    count.last = rowid;
    count.n += 1;
    if count.n >= COUNT_CAP { ffi::SQLITE_DONE } else { ffi::SQLITE_OK }
}

/// How many rows match phrase `i`: exact below the cap, else the share of
/// rowids the first matches cover times the rows.
///
/// # Safety
/// `api` and `fts` as FTS5 passes them to an auxiliary function.
unsafe fn phrase_hits(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context, i: c_int, rows: i64) -> Option<f64> {
    let mut count = Count { n: 0, first: 0, last: 0 };
    // SAFETY: the callback only touches `count`, which outlives the call.
    let rc = unsafe { api.xQueryPhrase?(fts, i, &mut count as *mut Count as *mut c_void, Some(count_row)) };
    if rc != ffi::SQLITE_OK {
        return None;
    }
    Some(hits_from(count.n, count.first, count.last, rows))
}

/// A phrase's frequency from its first `n` matches in rowid order (`n` at
/// most [`COUNT_CAP`]; `first` and `last` their rowids): exact below the cap.
pub(super) fn hits_from(n: i64, first: i64, last: i64, rows: i64) -> f64 {
    if n < COUNT_CAP {
        return n as f64;
    }
    let span = (last - first).unsigned_abs() as f64 + 1.0;
    (n as f64 / span).min(1.0) * rows as f64
}

/// # Safety
/// `api` and `fts` as FTS5 passes them to an auxiliary function.
unsafe fn query_data(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context) -> Option<QueryData> {
    let (mut rows, mut tokens): (i64, i64) = (0, 0);
    // SAFETY: out-pointers to locals.
    unsafe {
        if api.xRowCount?(fts, &mut rows) != ffi::SQLITE_OK
            || api.xColumnTotalSize?(fts, -1, &mut tokens) != ffi::SQLITE_OK
        {
            return None;
        }
    }
    let hits = unsafe { all_phrase_hits(api, fts, rows)? };
    Some(QueryData::new(rows, tokens, &hits))
}

/// [`phrase_hits`] of every phrase of the query.
///
/// # Safety
/// `api` and `fts` as FTS5 passes them to an auxiliary function.
unsafe fn all_phrase_hits(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context, rows: i64) -> Option<Vec<f64>> {
    let phrases = unsafe { api.xPhraseCount?(fts) };
    // SAFETY: as this function's.
    (0..phrases).map(|i| unsafe { phrase_hits(api, fts, i, rows) }).collect()
}

impl QueryData {
    /// From the table's row and token counts and each phrase's frequency.
    pub(super) fn new(rows: i64, tokens: i64, hits: &[f64]) -> QueryData {
        let idf = hits
            .iter()
            .map(|&hits| {
                let v = ((rows as f64 - hits + 0.5) / (hits + 0.5)).ln();
                if v <= 0.0 { 1e-6 } else { v }
            })
            .collect();
        let avg_len = if rows > 0 { tokens as f64 / rows as f64 } else { 0.0 };
        QueryData { avg_len, idf }
    }

    /// bm25 of a row (negative: lower is better, as FTS5's) from its
    /// weighted phrase frequencies and its length in tokens.
    pub(super) fn score(&self, freq: &[f64], len: c_int) -> f64 {
        let norm = K1 * (1.0 - B + B * f64::from(len) / self.avg_len.max(f64::MIN_POSITIVE));
        let s: f64 = freq.iter().zip(&self.idf).map(|(f, idf)| idf * (f * (K1 + 1.0)) / (f + norm)).sum();
        -s
    }
}

unsafe extern "C" fn drop_query_data(p: *mut c_void) {
    // SAFETY: `p` came from `Box::into_raw` in `score` and FTS5 frees it once.
    drop(unsafe { Box::from_raw(p as *mut QueryData) });
}

/// # Safety
/// As FTS5 calls an auxiliary function.
unsafe fn score(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context, weights: &[f64]) -> Option<f64> {
    // SAFETY: the aux data slot holds only what this function stored.
    let mut data = unsafe { api.xGetAuxdata?(fts, 0) } as *const QueryData;
    if data.is_null() {
        let fresh = Box::into_raw(Box::new(unsafe { query_data(api, fts)? }));
        // SAFETY: FTS5 owns `fresh` from here and frees it with `drop_query_data`.
        if unsafe { api.xSetAuxdata?(fts, fresh as *mut c_void, Some(drop_query_data)) } != ffi::SQLITE_OK {
            return None;
        }
        data = fresh;
    }
    // SAFETY: alive until the query ends.
    let data = unsafe { &*data };
    let (freq, len) = unsafe { row_freq(api, fts, weights, data.idf.len())? };
    Some(data.score(&freq, len))
}

/// The row's weighted frequency of each of the first `phrases` phrases,
/// and its length in tokens.
///
/// # Safety
/// As FTS5 calls an auxiliary function.
unsafe fn row_freq(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    weights: &[f64],
    phrases: usize,
) -> Option<(Vec<f64>, c_int)> {
    let mut freq = vec![0.0f64; phrases];
    let mut n: c_int = 0;
    unsafe {
        if api.xInstCount?(fts, &mut n) != ffi::SQLITE_OK {
            return None;
        }
    }
    for i in 0..n {
        let (mut phrase, mut col, mut off) = (0, 0, 0);
        // SAFETY: out-pointers to locals; `i` below the instance count.
        if unsafe { api.xInst?(fts, i, &mut phrase, &mut col, &mut off) } != ffi::SQLITE_OK {
            return None;
        }
        if let Some(f) = freq.get_mut(phrase as usize) {
            *f += weights.get(col as usize).copied().unwrap_or(1.0);
        }
    }
    let mut len: c_int = 0;
    // SAFETY: out-pointer to a local.
    if unsafe { api.xColumnSize?(fts, -1, &mut len) } != ffi::SQLITE_OK {
        return None;
    }
    Some((freq, len))
}

/// The column weights an auxiliary function was called with.
///
/// # Safety
/// `values` holds `n_val` valid values, as FTS5 passes them.
unsafe fn weights(n_val: c_int, values: *mut *mut ffi::sqlite3_value) -> Vec<f64> {
    // SAFETY: the caller's promise.
    (0..n_val.max(0) as usize).map(|i| unsafe { ffi::sqlite3_value_double(*values.add(i)) }).collect()
}

unsafe extern "C" fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes `n_val` valid values and a valid API table.
    let weights = unsafe { weights(n_val, values) };
    match unsafe { api.as_ref().and_then(|api| score(api, fts, &weights)) } {
        Some(s) => unsafe { ffi::sqlite3_result_double(ctx, s) },
        None => unsafe { ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_ERROR) },
    }
}

/// `svodka_row_stats(t, weights…)`: what [`FUNCTION`] scores a row from,
/// for a search that computes the query's statistics itself (see
/// `store::fts::walk`): a blob of little-endian 8-byte words, the table's
/// rows and tokens, the row's length (integers), then each phrase's
/// weighted frequency (doubles).
pub const ROW_STATS: &str = "svodka_row_stats";

/// `svodka_phrase_hits(t)`: each phrase's frequency as [`FUNCTION`] counts
/// it (little-endian doubles), from any row of the match.
pub const PHRASE_HITS: &str = "svodka_phrase_hits";

unsafe extern "C" fn row_stats(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes `n_val` valid values and a valid API table.
    let weights = unsafe { weights(n_val, values) };
    let stats = unsafe { api.as_ref().and_then(|api| row_stats_blob(api, fts, &weights)) };
    // SAFETY: SQLITE_TRANSIENT makes SQLite copy the bytes.
    unsafe { result_blob(ctx, stats) }
}

/// # Safety
/// As FTS5 calls an auxiliary function.
unsafe fn row_stats_blob(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context, weights: &[f64]) -> Option<Vec<u8>> {
    let (mut rows, mut tokens): (i64, i64) = (0, 0);
    // SAFETY: out-pointers to locals.
    unsafe {
        if api.xRowCount?(fts, &mut rows) != ffi::SQLITE_OK
            || api.xColumnTotalSize?(fts, -1, &mut tokens) != ffi::SQLITE_OK
        {
            return None;
        }
    }
    let phrases = unsafe { api.xPhraseCount?(fts) }.max(0) as usize;
    let (freq, len) = unsafe { row_freq(api, fts, weights, phrases)? };
    let mut out = Vec::with_capacity(8 * (3 + phrases));
    for v in [rows, tokens, i64::from(len)] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for f in freq {
        out.extend_from_slice(&f.to_le_bytes());
    }
    Some(out)
}

unsafe extern "C" fn phrase_hits_fn(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _n_val: c_int,
    _values: *mut *mut ffi::sqlite3_value,
) {
    let hits = unsafe {
        api.as_ref().and_then(|api| {
            let mut rows = 0;
            if api.xRowCount?(fts, &mut rows) != ffi::SQLITE_OK {
                return None;
            }
            all_phrase_hits(api, fts, rows)
        })
    };
    let blob = hits.map(|h| h.iter().flat_map(|v| v.to_le_bytes()).collect());
    // SAFETY: as `row_stats`.
    unsafe { result_blob(ctx, blob) }
}

/// # Safety
/// `ctx` as SQLite passes it to a function.
unsafe fn result_blob(ctx: *mut ffi::sqlite3_context, blob: Option<Vec<u8>>) {
    match blob {
        Some(b) => unsafe {
            ffi::sqlite3_result_blob(ctx, b.as_ptr() as *const c_void, b.len() as c_int, ffi::SQLITE_TRANSIENT())
        },
        None => unsafe { ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_ERROR) },
    }
}

/// Reads [`ROW_STATS`]' blob: (rows, tokens, length, frequencies).
pub(super) fn read_row_stats(blob: &[u8]) -> Option<(i64, i64, c_int, Vec<f64>)> {
    let words: Vec<[u8; 8]> = blob.chunks_exact(8).map(|c| c.try_into().unwrap_or_default()).collect();
    let [rows, tokens, len, freq @ ..] = words.as_slice() else { return None };
    let len = c_int::try_from(i64::from_le_bytes(*len)).ok()?;
    Some((
        i64::from_le_bytes(*rows),
        i64::from_le_bytes(*tokens),
        len,
        freq.iter().map(|w| f64::from_le_bytes(*w)).collect(),
    ))
}

/// Reads [`PHRASE_HITS`]' blob.
pub(super) fn read_hits(blob: &[u8]) -> Vec<f64> {
    blob.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap_or_default())).collect()
}

/// Registers [`FUNCTION`] on this connection (every connection the store
/// opens, before any search; after its schema is known good, since this
/// prepares a statement).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let fail = |msg: &str| {
        rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_ERROR), Some(format!("{FUNCTION}: {msg}")))
    };
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    // SAFETY: the documented way to reach fts5_api: bind a pointer to
    // `SELECT fts5(?1)` under the type "fts5_api_ptr" and step once; the
    // statement is finalised before `api` is used.
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        if ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, ptr::null_mut()) != ffi::SQLITE_OK {
            return Err(fail("no FTS5"));
        }
        ffi::sqlite3_bind_pointer(stmt, 1, &mut api as *mut _ as *mut c_void, c"fts5_api_ptr".as_ptr(), None);
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        let Some(create) = api.as_ref().and_then(|a| a.xCreateFunction) else { return Err(fail("no fts5_api")) };
        let functions: [(&std::ffi::CStr, ffi::fts5_extension_function); 3] = [
            (c"svodka_bm25", Some(bm25)),
            (c"svodka_row_stats", Some(row_stats)),
            (c"svodka_phrase_hits", Some(phrase_hits_fn)),
        ];
        for (name, f) in functions {
            if create(api, name.as_ptr(), ptr::null_mut(), f, None) != ffi::SQLITE_OK {
                return Err(fail("not registered"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize, every: usize) -> Connection {
        let c = Connection::open_in_memory().unwrap();
        register(&c).unwrap();
        c.execute_batch("CREATE VIRTUAL TABLE t USING fts5(title, body, content='', contentless_delete=1);").unwrap();
        let tx = c.unchecked_transaction().unwrap();
        {
            let mut ins = tx.prepare("INSERT INTO t(rowid, title, body) VALUES(?, ?, ?)").unwrap();
            for i in 1..=rows {
                let title = if i % every == 0 { "паводок атырау" } else { "новости дня" };
                let body = if i % 3 == 0 {
                    "атырау река вода вода паводок"
                } else {
                    "город жители новости"
                };
                ins.execute(rusqlite::params![i as i64, title, body]).unwrap();
            }
        }
        tx.commit().unwrap();
        c
    }

    fn scores(c: &Connection, f: &str, q: &str) -> Vec<(i64, f64)> {
        let sql = format!("SELECT rowid, {f}(t, 5.0, 1.0) FROM t WHERE t MATCH ? ORDER BY rowid DESC LIMIT 300");
        let mut st = c.prepare(&sql).unwrap();
        st.query_map([q], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn below_the_cap_it_is_bm25() {
        let c = table(2_000, 7);
        for q in ["паводок", "атырау", "паводок атырау", "вода OR новости", "\"атырау река\""]
        {
            let (ours, theirs) = (scores(&c, FUNCTION, q), scores(&c, "bm25", q));
            assert!(!ours.is_empty(), "{q}");
            assert_eq!(ours.len(), theirs.len());
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a.0, b.0);
                assert!((a.1 - b.1).abs() <= 1e-12 * b.1.abs().max(1.0), "{q}: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn above_the_cap_the_frequency_is_estimated_closely() {
        // «паводок» in every 5th title and every 3rd body: ~46 % of rows,
        // past the cap; «атырау» likewise.
        let c = table(12_000, 5);
        for q in ["паводок", "паводок атырау", "новости"] {
            let (ours, theirs) = (scores(&c, FUNCTION, q), scores(&c, "bm25", q));
            assert_eq!(ours.len(), theirs.len());
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a.0, b.0);
                assert!((a.1 - b.1).abs() <= 0.02 * b.1.abs(), "{q}: {a:?} {b:?}");
            }
        }
    }
}
