//! One sync, protocol-neutral: push what was changed here, pull what is
//! new there, then make the flags agree.
//!
//! Order matters for "the newest change wins, none is lost":
//! 1. Queued local changes go first. Each was made after the server state
//!    this archive last saw, so it is the newer one; once the server has
//!    it, the server's lists already include it. If the server is down the
//!    sync stops here with the queue intact.
//! 2. Subscriptions (groups become tags) on the first sync, when an item
//!    names a feed not seen yet, and at most daily otherwise, so a sync
//!    with nothing new costs only the id lists and one empty items page.
//! 3. Items page by `since_id`, one transaction per page (paging position
//!    included), so 100 000 items never sit in memory and an interrupted
//!    sync resumes where it stopped. Their HTML goes through `text::html`
//!    like any feed item's.
//! 4. The unread and saved id lists set every synced flag that has no
//!    change queued (a mark made during the sync waits for the next one);
//!    what was queued meanwhile is pushed last.
//!    An article whose flag disagrees is first looked up on the server: if
//!    the server no longer has it, it was deleted there and the article
//!    stays here, unlinked, with its flags.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use time::OffsetDateTime;

use super::{Backend, Flag, Item, Marked, Result};
use crate::ingest::feed::clean_line;
use crate::model::{NewArticle, Stamp};
use crate::store::Store;
use crate::store::sync::SyncedItem;
use crate::text::{html, sanitize};

/// How often subscriptions are pulled when nothing asks for it sooner.
const FEEDS_EVERY_SECS: i64 = 24 * 3600;

/// Where a running sync is (the reader's status bar shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Pushing { done: usize, total: usize },
    Feeds,
    Items { received: usize },
    Flags,
}

/// What a sync changed (`svodka sync --json` prints it).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SyncReport {
    pub server: String,
    /// Local changes the server took.
    pub pushed: usize,
    pub feeds_added: usize,
    pub items_added: usize,
    /// Server items that matched an article fetched here before.
    pub items_merged: usize,
    pub marked_read: usize,
    pub marked_unread: usize,
    pub starred: usize,
    pub unstarred: usize,
    /// Items the server no longer has: kept here, no longer synced.
    pub deleted_on_server: usize,
    pub requests: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Runs one sync of `store` with `backend`. `account` (server and user)
/// names whose ids the archive holds: another account starts afresh.
pub fn sync(
    store: &mut Store,
    backend: &mut dyn Backend,
    account: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let started = Instant::now();
    let mut report = SyncReport { server: backend.server().to_string(), ..SyncReport::default() };
    backend.login()?;
    let fresh = store.sync_begin(account)?;
    push(store, backend, &mut report, progress)?;
    let now = OffsetDateTime::now_utc();
    let feeds_at: i64 = store.sync_state("feeds_at")?.and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut feeds = store.sync_feed_map()?;
    if fresh || feeds.is_empty() || now.unix_timestamp() - feeds_at > FEEDS_EVERY_SECS {
        pull_feeds(store, backend, &mut report, progress)?;
        feeds = store.sync_feed_map()?;
    }
    pull_items(store, backend, &mut feeds, &mut report, progress)?;
    progress(Progress::Flags);
    let unread = backend.unread_ids()?;
    let saved = backend.saved_ids()?;
    drop_deleted(store, backend, &unread, &saved, &mut report)?;
    (report.marked_read, report.marked_unread) = store.sync_apply_flags("read", &unread, false)?;
    (report.starred, report.unstarred) = store.sync_apply_flags("starred", &saved, true)?;
    // Flags of articles fetched here before that the server's copies took
    // over were queued while storing them: sent now, not a sync later.
    push(store, backend, &mut report, progress)?;
    store.set_sync_state("last_sync", &Stamp::DateTime(OffsetDateTime::now_utc()).to_iso())?;
    report.requests = backend.requests();
    report.bytes = backend.bytes_received();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Sends every queued change; stops at the first failure with the rest
/// still queued.
fn push(
    store: &mut Store,
    backend: &mut dyn Backend,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let queue = store.sync_queue()?;
    let total = queue.len();
    for (done, q) in queue.iter().enumerate() {
        progress(Progress::Pushing { done, total });
        let Some(flag) = Flag::parse(&q.flag) else {
            store.sync_unqueue(q)?;
            continue;
        };
        match backend.mark(q.server_id, flag, q.value)? {
            Marked::Done => {
                store.sync_unqueue(q)?;
                report.pushed += 1;
            }
            Marked::NoSuchItem => report.deleted_on_server += store.sync_forget_items(&[q.server_id])?,
        }
    }
    Ok(())
}

fn pull_feeds(
    store: &mut Store,
    backend: &mut dyn Backend,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    progress(Progress::Feeds);
    for f in backend.feeds()? {
        let title = clean_line(&f.title);
        let (_, new) = store.sync_feed(f.id, &f.url, &title, f.site_url.as_deref(), &f.tags)?;
        report.feeds_added += usize::from(new);
    }
    Ok(store.set_sync_state("feeds_at", &OffsetDateTime::now_utc().unix_timestamp().to_string())?)
}

fn pull_items(
    store: &mut Store,
    backend: &mut dyn Backend,
    feeds: &mut HashMap<i64, (i64, Option<String>)>,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let mut since: i64 = store.sync_state("since_id")?.and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut received = 0;
    // Items of a feed the server does not list (unsubscribed since) must
    // not pull the list again for every page.
    let mut pulled = false;
    loop {
        let page = backend.items_since(since)?;
        let Some(last) = page.iter().map(|i| i.id).max().filter(|&m| m > since) else { break };
        if !pulled && page.iter().any(|i| !feeds.contains_key(&i.feed_id)) {
            pulled = true;
            pull_feeds(store, backend, report, progress)?;
            *feeds = store.sync_feed_map()?;
        }
        let items: Vec<SyncedItem> = page.iter().filter(|i| i.id > since).map(|i| synced_item(i, feeds)).collect();
        let stored = store.sync_store_items(&items, last, OffsetDateTime::now_utc())?;
        report.items_added += stored.added;
        report.items_merged += stored.merged;
        received += page.len();
        since = last;
        progress(Progress::Items { received });
    }
    Ok(())
}

/// Looks up, a page at a time, the synced articles whose flags disagree
/// with the lists: the ones the server does not return were deleted there.
fn drop_deleted(
    store: &mut Store,
    backend: &mut dyn Backend,
    unread: &[i64],
    saved: &[i64],
    report: &mut SyncReport,
) -> Result<()> {
    let disagreeing = store.sync_disagreeing(unread, saved)?;
    for chunk in disagreeing.chunks(backend.page_size().max(1)) {
        let there: HashSet<i64> = backend.items_with_ids(chunk)?.iter().map(|i| i.id).collect();
        let gone: Vec<i64> = chunk.iter().copied().filter(|id| !there.contains(id)).collect();
        if !gone.is_empty() {
            report.deleted_on_server += store.sync_forget_items(&gone)?;
        }
    }
    Ok(())
}

/// A server item as an article of its local feed.
fn synced_item(i: &Item, feeds: &HashMap<i64, (i64, Option<String>)>) -> SyncedItem {
    let (feed_id, site) = match feeds.get(&i.feed_id) {
        Some((id, title)) => (Some(*id), title.clone()),
        None => (None, None),
    };
    let base = i.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    let conv = html::html_to_blocks(&i.html, base.as_ref());
    let mut title = clean_line(&i.title);
    if title.is_empty() {
        title = crate::ingest::feed::untitled(&conv.blocks);
    }
    let published = (i.created_on_time > 0)
        .then(|| OffsetDateTime::from_unix_timestamp(i.created_on_time).ok())
        .flatten()
        .map(Stamp::DateTime);
    let article = NewArticle {
        title,
        site: site.or_else(|| base.as_ref().and_then(|u| u.host_str().map(str::to_string))),
        url: i.url.as_deref().map(sanitize),
        published,
        author: i.author.as_deref().map(clean_line).filter(|a| !a.is_empty()),
        blocks: conv.blocks,
        links: conv.links,
        ..NewArticle::default()
    };
    SyncedItem { server_id: i.id, feed_id, article, read: i.is_read, starred: i.is_saved }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{ServerFeed, SyncError};

    /// A server in memory: items 1..=n of one feed, 50 a page.
    struct Fake {
        n: i64,
        unread: Vec<i64>,
        saved: Vec<i64>,
        /// Pages served before the server "goes down".
        pages_left: Option<usize>,
        marks: Vec<(i64, Flag, bool)>,
        requests: u64,
    }

    impl Fake {
        fn new(n: i64) -> Fake {
            Fake { n, unread: (1..=n).collect(), saved: vec![], pages_left: None, marks: vec![], requests: 0 }
        }
        fn item(&self, id: i64) -> Item {
            Item {
                id,
                feed_id: 7,
                title: format!("Новость {id}"),
                author: None,
                html: format!("<p>Текст {id}</p>"),
                url: Some(format!("http://x.ru/{id}")),
                is_read: !self.unread.contains(&id),
                is_saved: self.saved.contains(&id),
                created_on_time: 1_700_000_000 + id,
            }
        }
    }

    impl Backend for Fake {
        fn server(&self) -> &str {
            "fake"
        }
        fn login(&mut self) -> Result<()> {
            self.requests += 1;
            Ok(())
        }
        fn feeds(&mut self) -> Result<Vec<ServerFeed>> {
            self.requests += 1;
            let url = "http://x.ru/rss".to_string();
            Ok(vec![ServerFeed {
                id: 7, title: "Лента".into(), url, site_url: None, tags: vec!["Новости".into()]
            }])
        }
        fn items_since(&mut self, since_id: i64) -> Result<Vec<Item>> {
            self.requests += 1;
            if let Some(left) = self.pages_left.as_mut() {
                if *left == 0 {
                    return Err(SyncError::Down { server: "fake".into(), reason: "gone".into() });
                }
                *left -= 1;
            }
            Ok((since_id + 1..=self.n.min(since_id + 50)).map(|id| self.item(id)).collect())
        }
        fn items_before(&mut self, max_id: i64) -> Result<Vec<Item>> {
            Ok((1.max(max_id - 50)..max_id).rev().map(|id| self.item(id)).collect())
        }
        fn items_with_ids(&mut self, ids: &[i64]) -> Result<Vec<Item>> {
            self.requests += 1;
            Ok(ids.iter().filter(|&&id| id <= self.n).map(|&id| self.item(id)).collect())
        }
        fn page_size(&self) -> usize {
            50
        }
        fn unread_ids(&mut self) -> Result<Vec<i64>> {
            self.requests += 1;
            Ok(self.unread.clone())
        }
        fn saved_ids(&mut self) -> Result<Vec<i64>> {
            self.requests += 1;
            Ok(self.saved.clone())
        }
        fn mark(&mut self, item: i64, flag: Flag, value: bool) -> Result<Marked> {
            self.requests += 1;
            self.marks.push((item, flag, value));
            Ok(Marked::Done)
        }
        fn bytes_received(&self) -> u64 {
            0
        }
        fn requests(&self) -> u64 {
            self.requests
        }
    }

    #[test]
    fn paging_resumes_after_an_interrupted_sync_without_copies() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let mut server = Fake::new(1234);
        server.pages_left = Some(10);
        let mut seen = Vec::new();
        let e = sync(&mut store, &mut server, "fake u", &mut |p| seen.push(p)).unwrap_err();
        assert!(matches!(e, SyncError::Down { .. }), "{e}");
        assert_eq!(store.counts().unwrap().total, 500, "ten whole pages landed");
        assert!(seen.contains(&Progress::Items { received: 500 }));
        server.pages_left = None;
        server.unread.retain(|id| id % 2 == 0);
        server.saved = vec![3, 1000];
        let r = sync(&mut store, &mut server, "fake u", &mut |_| {}).unwrap();
        assert_eq!(r.items_added, 734);
        assert_eq!(store.counts().unwrap(), crate::store::Counts { total: 1234, unread: 617 });
        assert_eq!((r.marked_read, r.starred), (250, 1), "the first 500 took the lists: {r:?}");
        let feeds = store.feeds().unwrap();
        assert_eq!((feeds.len(), feeds[0].tags.as_slice()), (1, &["Новости".to_string()][..]));
        // Nothing new: login, one empty page, two lists.
        let before = server.requests;
        let r = sync(&mut store, &mut server, "fake u", &mut |_| {}).unwrap();
        assert_eq!((r.items_added, server.requests - before), (0, 4));
    }
}
