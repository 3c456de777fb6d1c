//! Queries only the reader needs: paging backwards (the list pane scrolls both
//! ways through a window of rows, never the whole archive) and the articles
//! of a trending topic.

use super::{ListQuery, Result, Store, map_err};
use crate::model::ArticleSummary;

impl Store {
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
        use rusqlite::OptionalExtension;
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
}
