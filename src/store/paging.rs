//! Keyset paging for the reader's list pane (it scrolls both ways through a
//! window of rows, never the whole archive, and never with OFFSET), and the
//! other small queries the reader asks of the archive: the articles of a
//! trending topic, feed health, an article's feed.

use rusqlite::OptionalExtension;

use super::{ListQuery, Result, Store, map_err};
use crate::model::ArticleSummary;

/// Where a list page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// The newest rows.
    First,
    /// Rows older than this `(sort_key, id)`.
    After((i64, i64)),
    /// Rows newer than this `(sort_key, id)`.
    Before((i64, i64)),
    /// The oldest rows.
    Last,
    /// A window around this article (restoring the last selection); the
    /// first page when it is gone or filtered out.
    Around(i64),
}

/// One page of list rows, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Where the page really starts: [`Cursor::First`] when an `Around`
    /// article was not found.
    pub cursor: Cursor,
    pub rows: Vec<ArticleSummary>,
    /// The index of the `Around` article in `rows`.
    pub anchor: Option<usize>,
}

impl Store {
    /// Up to `q.limit` rows from `cursor` on (`q.after` is replaced by the
    /// cursor). `Around` gives up to `q.limit / 2` rows newer than the
    /// article, then the article and up to `q.limit - 1` older ones.
    pub fn list_page(&self, q: &ListQuery, cursor: &Cursor) -> Result<Page> {
        let page = |cursor: Cursor, rows| Ok(Page { cursor, rows, anchor: None });
        match cursor {
            Cursor::First => page(Cursor::First, self.list(&ListQuery { after: None, ..q.clone() })?),
            Cursor::After(k) => page(cursor.clone(), self.list(&ListQuery { after: Some(*k), ..q.clone() })?),
            Cursor::Before(k) => page(cursor.clone(), self.list_before(q, Some(*k))?),
            Cursor::Last => page(Cursor::Last, self.list_before(q, None)?),
            Cursor::Around(id) => match self.list_around(q, *id)? {
                Some((rows, anchor)) => Ok(Page { cursor: cursor.clone(), rows, anchor: Some(anchor) }),
                None => page(Cursor::First, self.list(&ListQuery { after: None, ..q.clone() })?),
            },
        }
    }

    /// Rows around article `id` and its index in them; `None` when it is gone
    /// or `q` filters it out.
    fn list_around(&self, q: &ListQuery, id: i64) -> Result<Option<(Vec<ArticleSummary>, usize)>> {
        let Some((key, id)) = self.list_position(id)? else { return Ok(None) };
        // `after` is exclusive: start just past the article itself.
        let from = self.list(&ListQuery { after: Some((key, id + 1)), ..q.clone() })?;
        if from.first().is_none_or(|r| r.id != id) {
            return Ok(None);
        }
        let before_q = ListQuery { limit: q.limit / 2, ..q.clone() };
        let mut rows = self.list_before(&before_q, Some((key, id)))?;
        let anchor = rows.len();
        rows.extend(from);
        Ok(Some((rows, anchor)))
    }

    /// Whether a feed records a successful fetch at or after `since` (unix
    /// seconds), and how many subscriptions there are.
    pub fn feed_status(&self, since: i64) -> Result<(bool, usize)> {
        let e = |e| map_err(&self.path, e);
        let mut stmt = self.conn.prepare_cached("SELECT last_success FROM feeds").map_err(e)?;
        let times: Vec<Option<String>> =
            stmt.query_map([], |r| r.get(0)).map_err(e)?.collect::<rusqlite::Result<_>>().map_err(e)?;
        let recent =
            times.iter().flatten().filter_map(|t| crate::model::Stamp::parse_iso(t)).any(|t| t.sort_key() >= since);
        Ok((recent, times.len()))
    }

    /// The feed article `id` came from; `None` for a page dump or no such
    /// article.
    pub fn article_feed(&self, id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT feed_id FROM articles WHERE id = ?", [id], |r| r.get::<_, Option<i64>>(0))
            .optional()
            .map(Option::flatten)
            .map_err(|e| map_err(&self.path, e))
    }

    /// Up to `q.limit` rows just *newer* than `before` (or the oldest rows
    /// when `before` is `None`), newest first like [`Store::list`]. `q.after`
    /// is ignored.
    pub fn list_before(&self, q: &ListQuery, before: Option<(i64, i64)>) -> Result<Vec<ArticleSummary>> {
        let mut rows = self.page(q, before, true)?;
        rows.reverse();
        Ok(rows)
    }

    /// Whether the archive holds no article (without counting them).
    pub fn is_empty(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM articles)", [], |r| r.get(0))
            .map_err(|e| map_err(&self.path, e))
    }

    /// The keyset position `(sort_key, id)` of an article, if it exists.
    pub fn list_position(&self, id: i64) -> Result<Option<(i64, i64)>> {
        self.conn
            .query_row("SELECT sort_key, id FROM articles WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| map_err(&self.path, e))
    }

    /// Archived articles whose headline appears under `topic` in a «В тренде»
    /// block (matched on the folded headline, like [`Store::trending`]).
    pub fn topic_article_ids(&self, topic: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT a.id FROM trending t JOIN articles a ON a.title_key = t.headline_key
                 WHERE t.topic = ? ORDER BY a.id",
            )
            .map_err(|e| map_err(&self.path, e))?;
        let rows = stmt.query_map([topic], |r| r.get(0)).map_err(|e| map_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(|e| map_err(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewArticle, Stamp, TrendingPair};
    use crate::store::Counts;
    use time::macros::{date, datetime};

    fn store_with(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let arts: Vec<NewArticle> = (0..n)
            .map(|i| NewArticle {
                title: format!("Новость {i}"),
                url: Some(format!("https://example.kz/{i}")),
                published: Some(Stamp::Date(date!(2001 - 01 - 01) + time::Duration::days(i as i64 / 2))),
                ..NewArticle::default()
            })
            .collect();
        s.upsert_articles(&arts, datetime!(2026-01-01 0:00 UTC)).unwrap();
        (dir, s)
    }

    #[test]
    fn before_pages_mirror_after_pages() {
        let (_d, s) = store_with(25);
        let all = s.list(&ListQuery { limit: 100, ..ListQuery::default() }).unwrap();
        let last = s.list_before(&ListQuery { limit: 7, ..ListQuery::default() }, None).unwrap();
        assert_eq!(last, all[18..]);
        let pos = (all[10].sort_key, all[10].id);
        let prev = s.list_before(&ListQuery { limit: 4, ..ListQuery::default() }, Some(pos)).unwrap();
        assert_eq!(prev, all[6..10]);
        for i in [0, 3, 10, 23] {
            let q = ListQuery { limit: 5, after: Some((all[i].sort_key, all[i].id)), ..ListQuery::default() };
            let end = (i + 6).min(all.len());
            assert_eq!(s.list(&q).unwrap(), all[i + 1..end], "after row {i}");
        }
        let q = ListQuery { limit: 100, unread_only: true, ..ListQuery::default() };
        assert_eq!(s.list(&q).unwrap(), all);
        let filtered = s.list_before(
            &ListQuery { limit: 100, title_contains: Some("НОВОСТЬ 1".into()), ..Default::default() },
            None,
        );
        assert_eq!(filtered.unwrap().len(), 11); // 1, 10..19
        assert_eq!(s.list_position(all[3].id).unwrap(), Some((all[3].sort_key, all[3].id)));
        assert_eq!(s.list_position(9999).unwrap(), None);
        assert_eq!(s.counts().unwrap(), Counts { total: 25, unread: 25 });
        let mut s = s;
        s.set_read(all[0].id, true).unwrap();
        assert_eq!(s.counts().unwrap(), Counts { total: 25, unread: 24 });
        assert!(!s.is_empty().unwrap());
    }

    #[test]
    fn topic_ids_match_headlines() {
        let (_d, mut s) = store_with(3);
        let page = NewArticle {
            title: "Страница".into(),
            trending: vec![
                TrendingPair { topic: "Тема".into(), headline: "новость  1".into() },
                TrendingPair { topic: "Другая".into(), headline: "Нет такой".into() },
            ],
            ..NewArticle::default()
        };
        s.upsert_articles(&[page], datetime!(2026-01-01 0:00 UTC)).unwrap();
        let ids = s.topic_article_ids("Тема").unwrap();
        let hit =
            s.list(&ListQuery { limit: 10, title_contains: Some("Новость 1".into()), ..Default::default() });
        assert_eq!(ids, vec![hit.unwrap()[0].id]);
        assert!(s.topic_article_ids("Другая").unwrap().is_empty());
    }

    #[test]
    fn around_page_falls_back_to_the_first_page() {
        let (_d, s) = store_with(25);
        let q = ListQuery { limit: 10, ..ListQuery::default() };
        let p = s.list_page(&q, &Cursor::Around(999_999)).unwrap();
        assert_eq!((&p.cursor, p.anchor, p.rows.len()), (&Cursor::First, None, 10));
        let all = s.list(&ListQuery { limit: 100, ..ListQuery::default() }).unwrap();
        let id = all[12].id;
        let p = s.list_page(&q, &Cursor::Around(id)).unwrap();
        assert_eq!((&p.cursor, p.anchor), (&Cursor::Around(id), Some(5)));
        assert_eq!(p.rows, all[7..22], "five newer rows, then the article and nine older");
        let last = s.list_page(&q, &Cursor::Last).unwrap();
        assert_eq!(last.rows, all[15..]);
        let after = s.list_page(&q, &Cursor::After((all[2].sort_key, all[2].id))).unwrap();
        assert_eq!(after.rows, all[3..13]);
        // Filtered out: the first page of the filter.
        let unread = ListQuery { unread_only: true, ..q.clone() };
        let mut s = s;
        s.set_read(id, true).unwrap();
        assert_eq!(s.list_page(&unread, &Cursor::Around(id)).unwrap().cursor, Cursor::First);
    }

    #[test]
    fn feed_status_and_article_feed() {
        let (_d, s) = store_with(2);
        assert_eq!(s.feed_status(0).unwrap(), (false, 0));
        let id = s.list(&ListQuery { limit: 1, ..ListQuery::default() }).unwrap()[0].id;
        assert_eq!(s.article_feed(id).unwrap(), None, "not from a feed");
        assert_eq!(s.article_feed(9999).unwrap(), None, "no such article");
        let mut s = s;
        let (feed, _) = s.add_feed("https://example.kz/rss", None, &[]).unwrap();
        let when = datetime!(2026-01-01 12:00 UTC);
        s.record_not_modified(feed, when).unwrap();
        let t = when.unix_timestamp();
        assert_eq!(s.feed_status(t - 60).unwrap(), (true, 1));
        assert_eq!(s.feed_status(t + 60).unwrap(), (false, 1));
    }
}
