//! Reads of the per-day topic counts (`store::topic_counts` writes them):
//! what computed trending (`search::trending`) asks of the archive. Apart
//! from the writer so that the counting rules and the window reads each
//! stay one file.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::topic_counts::{Bests, HeadlineRank, json_ids, parse_ids};
use super::{Result, Store, map_err};
use crate::lang::topics::{self, Kind};

/// One candidate's counts for a window.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCount {
    pub id: i64,
    pub key: String,
    pub kind: Kind,
    /// How it is shown (see `lang::topics::display`).
    pub form: String,
    /// Articles of the window that mention it.
    pub window: i64,
    /// Articles of the whole archive that mention it.
    pub total: i64,
    /// How good `form` is (see `lang::topics::Candidate::rank`).
    pub rank: i64,
    /// Keys merged into this one (one word Snowball stems two ways).
    pub also: Vec<i64>,
}

/// One article of a window: what a headline is chosen by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowArticle {
    pub id: i64,
    pub site_id: Option<i64>,
    pub views: i64,
    pub sort_key: i64,
    /// The article's keys as stored (`[1,2,3]`), its headline's first:
    /// parsed on demand, since a headline is found in the first few.
    pub keys: String,
    pub title_keys: usize,
}

impl WindowArticle {
    /// The first `n` keys (all: `usize::MAX`). A list read cut short
    /// (see [`Store::topic_window_articles`]) drops its cut last id.
    pub fn ids(&self, n: usize) -> impl Iterator<Item = i64> + '_ {
        let whole = self.keys.ends_with(']');
        let body = self.keys.trim_start_matches('[').trim_end_matches(']');
        let body = if whole { body } else { body.rsplit_once(',').map_or("", |(head, _)| head) };
        body.split(',').take(n).filter_map(|x| x.trim().parse().ok())
    }
}

fn key_count(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyCount> {
    let (upper, lower): (i64, i64) = (r.get(4)?, r.get(5)?);
    // An unknown word first seen starting a sentence, but mostly
    // capitalised inside one, is a name; a word first seen capitalised but
    // mostly written in lower case is not (as `topics::display` shows it).
    let kind = match Kind::from_code(r.get(2)?) {
        Kind::Unknown if upper > lower => Kind::Entity,
        Kind::Name if lower > upper => Kind::Word,
        k => k,
    };
    let form: String = r.get(3)?;
    Ok(KeyCount {
        id: r.get(0)?,
        key: r.get(1)?,
        kind,
        form: topics::display(kind, &form, upper, lower),
        window: r.get(6)?,
        total: r.get(7)?,
        rank: r.get(8)?,
        also: Vec::new(),
    })
}

impl Store {
    /// Candidates mentioned by at least `min` articles of days `from..=to`.
    pub fn topic_window(&self, from: i64, to: i64, min: i64) -> Result<Vec<KeyCount>> {
        // Summed here rather than by GROUP BY: the rows come in key order
        // per day, so SQLite would sort every (day, key) row of the window.
        type Sums = HashMap<i64, i64, foldhash::fast::RandomState>;
        let run = || -> rusqlite::Result<Sums> {
            let mut stmt = self.conn.prepare_cached("SELECT key_id, n FROM topic_days WHERE day BETWEEN ?1 AND ?2")?;
            let mut n = Sums::with_capacity_and_hasher(1 << 14, Default::default());
            for row in stmt.query_map(params![from, to], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (k, c) = row?;
                *n.entry(k).or_default() += c;
            }
            Ok(n)
        };
        let n = run().map_err(|e| map_err(&self.path, e))?;
        let ids: Vec<i64> = n.iter().filter(|(_, c)| **c >= min).map(|(k, _)| *k).collect();
        let mut keys = self.topic_keys(&ids)?;
        for k in &mut keys {
            k.window = n.get(&k.id).copied().unwrap_or(0);
        }
        Ok(keys)
    }

    /// These candidates, with `window` = 0 (the caller counts a site's window).
    pub fn topic_keys(&self, ids: &[i64]) -> Result<Vec<KeyCount>> {
        let run = || -> rusqlite::Result<Vec<KeyCount>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, key, kind, form, upper, lower, 0, df, rank FROM topic_keys
                 WHERE id IN (SELECT value FROM json_each(?))",
            )?;
            stmt.query_map([json_ids(ids)], key_count)?.collect()
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// Articles counted on days `from..=to` (all days: `i64::MIN..=i64::MAX`).
    pub fn topic_article_count(&self, from: i64, to: i64) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM topic_day_articles WHERE day BETWEEN ? AND ?")
            .and_then(|mut s| s.query_row([from, to], |r| r.get(0)))
            .map_err(|e| map_err(&self.path, e))
    }

    /// The sites mask (see the module doc) of each of these candidates over
    /// days `from..=to`: one pass over the window's rows, which is cheaper
    /// than a lookup per candidate and day.
    pub fn topic_sites(&self, key_ids: &[i64], from: i64, to: i64) -> Result<std::collections::HashMap<i64, i64>> {
        let run = || -> rusqlite::Result<std::collections::HashMap<i64, i64>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT key_id, sites FROM topic_days
                 WHERE day BETWEEN ? AND ? AND key_id IN (SELECT value FROM json_each(?))",
            )?;
            let mut out = std::collections::HashMap::new();
            let rows = stmt
                .query_map(params![from, to, json_ids(key_ids)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (k, m) = row?;
                *out.entry(k).or_insert(0) |= m;
            }
            Ok(out)
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// The articles of days `from..=to` with their keys, optionally only
    /// those of some sites. `head`: only the first characters of each key
    /// list (the headline's keys come first), for a cheaper read.
    pub fn topic_window_articles(
        &self,
        from: i64,
        to: i64,
        sites: Option<&[i64]>,
        head: bool,
    ) -> Result<Vec<WindowArticle>> {
        let run = || -> rusqlite::Result<Vec<WindowArticle>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT t.article_id, a.site_id, coalesce(a.views, 0), a.sort_key,
                        CASE WHEN ?4 THEN substr(t.keys, 1, 240) ELSE t.keys END, t.title_keys
                 FROM topic_articles t JOIN articles a ON a.id = t.article_id
                 WHERE t.day BETWEEN ?1 AND ?2
                   AND (?3 IS NULL OR a.site_id IN (SELECT value FROM json_each(?3)))",
            )?;
            let sites = sites.map(json_ids);
            stmt.query_map(params![from, to, sites, head], |r| {
                Ok(WindowArticle {
                    id: r.get(0)?,
                    site_id: r.get(1)?,
                    views: r.get(2)?,
                    sort_key: r.get(3)?,
                    keys: r.get(4)?,
                    title_keys: r.get::<_, i64>(5)?.max(0) as usize,
                })
            })?
            .collect()
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// The best headline candidates (see `topic_counts::BESTS_MIGRATION`)
    /// of each of these keys over days `from..=to`.
    pub fn topic_bests(&self, key_ids: &[i64], from: i64, to: i64) -> Result<HashMap<i64, Bests>> {
        let run = || -> rusqlite::Result<HashMap<i64, Bests>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT key_id, title_views, title_sort, title_id, any_views, any_sort, any_id FROM topic_days
                 WHERE day BETWEEN ? AND ? AND key_id IN (SELECT value FROM json_each(?))",
            )?;
            let mut out: HashMap<i64, Bests> = HashMap::new();
            let rank = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Option<HeadlineRank>> {
                let id: Option<i64> = r.get(i + 2)?;
                Ok(match id {
                    Some(id) => Some((
                        r.get::<_, Option<i64>>(i)?.unwrap_or(0),
                        r.get::<_, Option<i64>>(i + 1)?.unwrap_or(0),
                        id,
                    )),
                    None => None,
                })
            };
            let rows = stmt.query_map(params![from, to, json_ids(key_ids)], |r| {
                Ok((r.get::<_, i64>(0)?, Bests { title: rank(r, 1)?, any: rank(r, 4)? }))
            })?;
            for row in rows {
                let (k, b) = row?;
                out.entry(k).or_default().merge(b);
            }
            Ok(out)
        };
        run().map_err(|e| map_err(&self.path, e))
    }

    /// Whether a stored best is still true: its article, counted on days
    /// `from..=to` with this rank (views, sort key) now, names one of `keys`
    /// (in its headline, with `title`). A best outlives a delete, an update
    /// that dropped the word and one that lowered the views; then the
    /// caller reads the window instead.
    pub fn topic_best_holds(&self, rank: HeadlineRank, keys: &[i64], title: bool, from: i64, to: i64) -> Result<bool> {
        let row: Option<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT t.title_keys, t.keys FROM topic_articles t JOIN articles a ON a.id = t.article_id
                 WHERE t.article_id = ?1 AND t.day BETWEEN ?2 AND ?3 AND coalesce(a.views, 0) = ?4 AND a.sort_key = ?5",
            )
            .and_then(|mut s| {
                s.query_row(params![rank.2, from, to, rank.0, rank.1], |r| Ok((r.get(0)?, r.get(1)?))).optional()
            })
            .map_err(|e| map_err(&self.path, e))?;
        Ok(row.is_some_and(|(title_keys, ids)| {
            let n = if title { title_keys.max(0) as usize } else { usize::MAX };
            parse_ids(&ids).into_iter().take(n).any(|k| keys.contains(&k))
        }))
    }

    /// Ids of the sites whose name matches `value` as `list --site` does.
    pub fn matching_sites(&self, value: &str) -> Result<Vec<i64>> {
        let value = crate::model::fold_key(value);
        let json =
            super::fts::folded_ids(&self.conn, "SELECT id, name FROM sites", |n| super::fts::site_matches(n, &value))
                .map_err(|e| map_err(&self.path, e))?;
        Ok(parse_ids(&json))
    }

    /// An article's title.
    pub fn article_title(&self, id: i64) -> Result<String> {
        self.conn
            .prepare_cached("SELECT title FROM articles WHERE id = ?")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .map_err(|e| map_err(&self.path, e))
    }
}
