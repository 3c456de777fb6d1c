//! Carrying out the reader's [`Effect`]s: the worker pool (list, article
//! and search workers, fetch and full-text threads), the browser launch and
//! the clipboard. Workers own their own archive connections, send [`Msg`]s
//! back into the UI's channel and never touch UI state.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::msg::{Effect, Mark, Msg, PageQuery};

mod feeds;
pub mod pipe;
mod sync;
use crate::extract::Rules;
use crate::i18n::Lang;
use crate::store::paging::Page;
use crate::store::{Store, StoreError};

/// «офлайн» unless a fetch succeeded in this session or the feeds table
/// records a success within this many seconds (an hour: feeds are usually
/// refreshed more often than that by whoever keeps them current).
pub const ONLINE_WITHIN: i64 = 3600;
/// Most search hits the list shows (ranked; the best come first).
pub const SEARCH_LIMIT: usize = 500;
/// Most articles a computed topic filters the list to.
const TOPIC_LIMIT: usize = 5000;
/// Computed trends: how many topics, and the window (24 h, as `svodka
/// trending` defaults to, unless config `trending_window` says otherwise).
/// A process-wide setting rather than a field of the effect: the reader
/// sets it once at start, and the effect stays a plain value.
const TRENDING_TOPICS: usize = 12;
static TRENDING_WINDOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(24 * 3600);

/// Sets the computed topics' window (seconds; ignored unless positive).
pub fn set_trending_window(secs: i64) {
    if secs > 0 {
        TRENDING_WINDOW.store(secs, std::sync::atomic::Ordering::Relaxed);
    }
}
/// The search worker waits this long for more keystrokes before searching.
pub const SEARCH_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

/// Carries out one database effect on `store` and returns the messages it
/// produces. The workers run this; tests call it directly.
pub fn perform(store: &mut Store, effect: &Effect) -> Vec<Msg> {
    match effect {
        Effect::LoadPage { generation, query } => vec![match load_page(store, query) {
            Ok(Page { cursor, rows, anchor }) => {
                Msg::Page { generation: *generation, cursor, limit: query.limit, rows, anchor }
            }
            Err(e) => Msg::PageFailed { generation: *generation, error: e.to_string() },
        }],
        Effect::LoadArticle { generation, id } => vec![match store.article(*id) {
            Ok(a) => Msg::Article { generation: *generation, article: Arc::new(a) },
            Err(e) => Msg::ArticleFailed { generation: *generation, error: e.to_string() },
        }],
        Effect::LoadCounts => store.counts().map(Msg::Counts).into_iter().collect(),
        Effect::LoadTrending => load_trending(store),
        Effect::LoadSyncError => match store.sync_state("last_error") {
            Ok(Some(e)) if !e.is_empty() => vec![Msg::LastSyncError(e)],
            Ok(_) => vec![],
            Err(e) => vec![Msg::Error(e.to_string())],
        },
        Effect::LoadFeedStatus => match store.feed_status(now() - ONLINE_WITHIN) {
            Ok((recent_success, feeds)) => vec![Msg::FeedStatus { recent_success, feeds }],
            Err(e) => vec![Msg::Error(e.to_string())],
        },
        Effect::Fetch { .. } | Effect::Sync { .. } | Effect::FetchFeeds { .. } | Effect::FetchDue { .. } => {
            refresh_in_place(store, effect)
        }
        Effect::Search { generation, query } => vec![match search(store, query) {
            Ok(rows) => Msg::SearchResults { generation: *generation, rows },
            Err(error) => Msg::SearchFailed { generation: *generation, error },
        }],
        Effect::SetRead { .. } | Effect::SetStarred { .. } => match effect.mark() {
            Some(mark) => mark_once(store, mark),
            None => vec![],
        },
        Effect::Pipe { command, input } => vec![pipe::run(command, input)],
        Effect::LoadFeeds
        | Effect::MarkRead(_)
        | Effect::MarkUnread(_)
        | Effect::AddFeed(..)
        | Effect::ExportOpml(_)
        | Effect::RemoveFeed(_)
        | Effect::RenameFeed { .. } => feeds::perform(store, effect),
        Effect::SaveState(pairs) => {
            for (k, v) in pairs {
                if let Err(e) = store.state_set(k, v) {
                    tracing::warn!("saving UI state: {e}");
                    return vec![Msg::WriteFailed(e.to_string())];
                }
            }
            vec![]
        }
        // Tests run it in place, without the user's site rules.
        Effect::FullText { id, lang } => vec![full_text(store.path(), *id, &Rules::default(), *lang)],
        Effect::OpenUrl(_) | Effect::CopyUrl(_) | Effect::Quit => vec![],
    }
}

/// The site-given and the computed «В тренде» topics.
fn load_trending(store: &Store) -> Vec<Msg> {
    let mut out = match store.trending(500) {
        Ok(t) => vec![Msg::Trending(t)],
        Err(e) => vec![Msg::Error(e.to_string())],
    };
    let window = TRENDING_WINDOW.load(std::sync::atomic::Ordering::Relaxed);
    match crate::search::trending::computed(store, window, TRENDING_TOPICS) {
        Ok(t) => out.push(Msg::ComputedTrending(t)),
        Err(e) => tracing::warn!("computed trending: {e}"),
    }
    out
}

/// A refresh or a sync carried out in place (tests), its messages collected.
fn refresh_in_place(store: &mut Store, effect: &Effect) -> Vec<Msg> {
    let mut out = Vec::new();
    let mut send = |m| {
        out.push(m);
        true
    };
    match effect {
        Effect::Fetch { generation, article } => fetch(store, *generation, *article, &mut send),
        Effect::Sync { generation, config } => sync::run(store, *generation, config, &mut send),
        Effect::FetchFeeds { generation, feeds } => fetch_feeds(store, *generation, feeds.clone(), &mut send),
        Effect::FetchDue { generation, every } => fetch_due(store, *generation, *every, &mut send),
        _ => {}
    }
    out
}

/// The search worker: its own connection; a search waits [`SEARCH_DEBOUNCE`]
/// and is replaced by a newer one typed meanwhile. Also computes trending
/// topics (slow on a big archive, so off the list worker).
fn spawn_search_worker(path: PathBuf, jobs: Receiver<Effect>, out: Sender<Msg>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name("search".into()).spawn(move || {
        // Reading workers: a read-only archive still browses.
        let mut store = match Store::open_or_read_only(&path) {
            Ok((s, _)) => s,
            Err(e) => {
                let _ = out.send(Msg::Error(e.to_string()));
                return;
            }
        };
        let mut next: Option<Effect> = None;
        loop {
            let job = match next.take() {
                Some(j) => j,
                None => match jobs.recv() {
                    Ok(j) => j,
                    Err(_) => return,
                },
            };
            let mut job = job;
            if matches!(job, Effect::Search { .. }) {
                // Debounce: keep taking newer searches until typing pauses.
                loop {
                    match jobs.recv_timeout(SEARCH_DEBOUNCE) {
                        Ok(newer @ Effect::Search { .. }) => job = newer,
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            }
            for m in perform(&mut store, &job) {
                if out.send(m).is_err() {
                    return;
                }
            }
        }
    })
}

/// Fetches an article's page and stores the extracted text (the `F` key).
/// Opens the archive itself, so it runs on any thread.
pub fn full_text(db: &Path, id: i64, rules: &Rules, lang: Lang) -> Msg {
    let opts = crate::ingest::fetch::FetchOptions::default();
    let error = crate::extract::page::fetch_full_text(db, id, &opts, rules)
        .err()
        .map(|e| super::messages::page_error(&e, lang));
    Msg::FullText { id, error }
}

/// What one refresh fetches.
enum Which {
    /// The feed of this article, or every subscription.
    Article(Option<i64>),
    Feeds(Vec<i64>),
    /// The subscriptions due (not fetched within this many seconds nor
    /// their own freshness).
    Due(u64),
}

/// Runs one refresh on its own thread (its own archive connection), sending
/// progress as it comes.
fn spawn_fetch(path: PathBuf, generation: u64, which: Which, out: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new().name("fetch".into()).spawn(move || match Store::open(&path) {
        Ok(store) => {
            let sink = &mut |m| out.send(m).is_ok();
            match which {
                Which::Feeds(f) => fetch_feeds(&store, generation, f, sink),
                Which::Article(article) => fetch(&store, generation, article, sink),
                Which::Due(every) => fetch_due(&store, generation, every, sink),
            }
        }
        Err(e) => {
            let _ = out.send(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
        }
    })?;
    Ok(())
}

/// The workers of one reader session and the channels to them: effects go
/// to the worker that owns their kind of job, results come back on `out`.
pub struct Workers {
    db: PathBuf,
    rules: Rules,
    out: Sender<Msg>,
    list: Sender<Effect>,
    article: Sender<Effect>,
    search: Sender<Effect>,
    marks: Sender<Mark>,
    list_worker: JoinHandle<()>,
    mark_writer: JoinHandle<Vec<Mark>>,
}

impl Workers {
    /// Starts the list, article and search workers on the archive at `db`.
    pub fn start(db: PathBuf, rules: Rules, out: Sender<Msg>) -> std::io::Result<Workers> {
        let (list, list_rx) = mpsc::channel::<Effect>();
        let (article, article_rx) = mpsc::channel::<Effect>();
        let (search, search_rx) = mpsc::channel::<Effect>();
        let list_worker = spawn_worker("list", db.clone(), list_rx, out.clone())?;
        spawn_worker("article", db.clone(), article_rx, out.clone())?;
        spawn_search_worker(db.clone(), search_rx, out.clone())?;
        let (marks, marks_rx) = mpsc::channel::<Mark>();
        let mark_writer = super::writer::spawn(db.clone(), marks_rx, out.clone())?;
        Ok(Workers { db, rules, out, list, article, search, marks, list_worker, mark_writer })
    }

    /// Hands each effect to the thread that carries it out; copying a URL
    /// writes to the terminal here, on the UI thread that owns it.
    pub fn dispatch(&self, fx: Vec<Effect>, lang: Lang) -> std::io::Result<()> {
        for e in fx {
            match e {
                Effect::LoadArticle { .. } => {
                    let _ = self.article.send(e);
                }
                Effect::Search { .. } | Effect::LoadTrending => {
                    let _ = self.search.send(e);
                }
                Effect::FullText { id, lang } => {
                    let (path, rules, out) = (self.db.clone(), self.rules.clone(), self.out.clone());
                    let spawned = std::thread::Builder::new()
                        .name("full-text".into())
                        .spawn(move || out.send(full_text(&path, id, &rules, lang)).is_ok());
                    if let Err(err) = spawned {
                        let _ = self.out.send(Msg::FullText { id, error: Some(err.to_string()) });
                    }
                }
                Effect::Fetch { generation, article } => self.fetch(generation, Which::Article(article)),
                Effect::FetchFeeds { generation, feeds } => self.fetch(generation, Which::Feeds(feeds)),
                Effect::FetchDue { generation, every } => self.fetch(generation, Which::Due(every)),
                Effect::Pipe { command, input } => {
                    let out = self.out.clone();
                    let spawned = std::thread::Builder::new()
                        .name("pipe".into())
                        .spawn(move || out.send(pipe::run(&command, &input)).is_ok());
                    if let Err(err) = spawned {
                        let _ = self.out.send(Msg::Error(err.to_string()));
                    }
                }
                Effect::Sync { generation, config } => {
                    if let Err(err) = sync::spawn(self.db.clone(), generation, config, self.out.clone()) {
                        let _ = self.out.send(Msg::SyncFinished { generation, result: Err(err.to_string()) });
                    }
                }
                Effect::OpenUrl(u) => open_url(&u, &self.out, lang),
                Effect::CopyUrl(u) => {
                    let sent = match safe_url(&u) {
                        Some(u) => copy(&u),
                        None => Err(std::io::Error::other(crate::i18n::tr(crate::i18n::Text::NotWebAddress, lang))),
                    };
                    if let Err(e) = sent {
                        let _ = self.out.send(Msg::Error(e.to_string()));
                    }
                }
                Effect::SetRead { .. } | Effect::SetStarred { .. } => {
                    if let Some(mark) = e.mark()
                        && self.marks.send(mark).is_err()
                    {
                        let error = "the mark writer stopped".to_string();
                        let _ = self.out.send(Msg::MarkFailed { mark, error });
                    }
                }
                Effect::Quit => {}
                other => {
                    let _ = self.list.send(other);
                }
            }
        }
        Ok(())
    }

    fn fetch(&self, generation: u64, which: Which) {
        if let Err(err) = spawn_fetch(self.db.clone(), generation, which, self.out.clone()) {
            let error = Some(err.to_string());
            let _ = self.out.send(Msg::FetchFinished { generation, ok: false, error });
        }
    }

    /// Stops the workers; waits for the list worker, which holds the
    /// SaveState write, and for the mark writer to flush (at most
    /// [`FLUSH_WAIT`](super::writer::FLUSH_WAIT)). Returns the marks that
    /// could not be written.
    pub fn finish(self) -> Vec<Mark> {
        let Workers { list, article, marks, list_worker, mark_writer, .. } = self;
        drop(list);
        drop(article);
        drop(marks);
        let _ = list_worker.join();
        mark_writer.join().unwrap_or_default()
    }
}

/// Refreshes the feed of `article` (all subscriptions for `None`) with the
/// fetcher, turning its progress events into messages for `sink` as they
/// happen (`sink` returns false when nobody listens any more). Runs on its
/// own thread in the reader; tests call it through [`perform`].
pub fn fetch(store: &Store, generation: u64, article: Option<i64>, sink: &mut dyn FnMut(Msg) -> bool) {
    let ids = match article {
        None => Vec::new(),
        Some(id) => {
            match store.article_feed(id) {
                Ok(Some(f)) => vec![f],
                // Not from a feed (a page dump): nothing to refresh.
                Ok(None) => {
                    sink(Msg::FetchFinished { generation, ok: false, error: None });
                    return;
                }
                Err(e) => {
                    sink(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
                    return;
                }
            }
        }
    };
    fetch_feeds(store, generation, ids, sink);
}

/// Refreshes the subscriptions that are due (see
/// [`is_due`](crate::ingest::fetch::is_due)), as [`fetch`]; when none is,
/// the refresh ends at once with nothing fetched.
pub fn fetch_due(store: &Store, generation: u64, every: u64, sink: &mut dyn FnMut(Msg) -> bool) {
    match crate::ingest::fetch::due_feeds(store, time::OffsetDateTime::now_utc(), every) {
        // An empty list would mean every subscription to the fetcher.
        Ok(ids) if ids.is_empty() => {
            sink(Msg::FetchFinished { generation, ok: false, error: None });
        }
        Ok(ids) => fetch_feeds(store, generation, ids, sink),
        Err(e) => {
            sink(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
        }
    }
}

/// Refreshes these subscriptions (every one for an empty list), as [`fetch`].
pub fn fetch_feeds(store: &Store, generation: u64, ids: Vec<i64>, sink: &mut dyn FnMut(Msg) -> bool) {
    use crate::ingest::fetch::{FetchEvent, FetchOptions, FetchOutcome, fetch_all};
    let (tx, rx) = mpsc::channel();
    let path = store.path().to_path_buf();
    let opts = FetchOptions::default();
    let runner = std::thread::Builder::new().name("fetch-all".into()).spawn(move || fetch_all(&path, &ids, &opts, tx));
    let runner = match runner {
        Ok(r) => r,
        Err(e) => {
            sink(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
            return;
        }
    };
    let (mut done, mut total, mut ok) = (0, 0, false);
    for ev in rx {
        let msgs = match ev {
            FetchEvent::Planned { feeds } => {
                total = feeds;
                vec![Msg::FetchProgress { generation, done, total }]
            }
            FetchEvent::Started { .. } => vec![],
            FetchEvent::Finished { url, outcome, .. } => {
                done += 1;
                let (changed, error) = match outcome {
                    FetchOutcome::Updated { added, updated, .. } => (added + updated > 0, None),
                    FetchOutcome::NotModified => (false, None),
                    FetchOutcome::Failed { error, .. } => (false, Some(format!("{url}: {error}"))),
                };
                ok |= error.is_none();
                vec![Msg::FetchProgress { generation, done, total }, Msg::FetchFeed { generation, changed, error }]
            }
            FetchEvent::Done(_) => vec![],
        };
        for m in msgs {
            if !sink(m) {
                return;
            }
        }
    }
    let error = match runner.join() {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some("the fetcher stopped unexpectedly".to_string()),
    };
    sink(Msg::FetchFinished { generation, ok, error });
}

/// The ids of the best `limit` hits for `query`, best first.
fn search_ids(store: &Store, query: &str, limit: usize) -> Result<Vec<i64>, crate::search::SearchError> {
    Ok(crate::search::search(store, query, limit)?.iter().map(|h| h.id).collect())
}

/// Ranked search hits as list rows (with read/star state), best first.
fn search(store: &Store, query: &str) -> Result<Vec<crate::model::ArticleSummary>, String> {
    let ids = search_ids(store, query, SEARCH_LIMIT).map_err(search_error)?;
    let q = crate::store::ListQuery { limit: ids.len(), ids: Some(ids.clone()), ..Default::default() };
    let mut rows = store.list(&q).map_err(|e| e.to_string())?;
    let rank: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| rank.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

fn search_error(e: crate::search::SearchError) -> String {
    match e {
        crate::search::SearchError::Query(q) => q.to_string(),
        other => format!("{other}: {}", std::error::Error::source(&other).map(|s| s.to_string()).unwrap_or_default()),
    }
}

/// One attempt at a mark, as the mark writer makes it (tests; the reader
/// itself hands marks to [`writer`](super::writer), which retries).
fn mark_once(store: &mut Store, mark: Mark) -> Vec<Msg> {
    let (tx, rx) = mpsc::channel();
    let mut q = super::writer::Queue::default();
    q.push(mark);
    q.write(store, &tx);
    drop(tx);
    rx.into_iter().collect()
}

/// A list page: the filter resolved to a store query (a topic to its
/// articles), paged by the store.
fn load_page(store: &Store, query: &PageQuery) -> Result<Page, StoreError> {
    let q = resolve(store, &query.filter, query.limit)?;
    store.list_page(&q, &query.cursor)
}

/// The store query for a filter: its topic and its feeds resolved to the
/// articles they cover.
fn resolve(store: &Store, filter: &super::state::Filter, limit: usize) -> Result<crate::store::ListQuery, StoreError> {
    let mut q = filter.query(limit);
    if let Some(tq) = &filter.topic_query {
        // A computed topic: the articles its terms find, in date order.
        q.ids = Some(search_ids(store, tq, TOPIC_LIMIT).unwrap_or_else(|e| {
            tracing::warn!("topic {tq:?}: {e}");
            Vec::new()
        }));
    } else if let Some(topic) = &filter.topic {
        // A site's topic: the headlines it listed under it, and whatever
        // the same (lemmatised) search finds in the archive about it.
        let mut ids = store.topic_article_ids(topic)?;
        ids.extend(search_ids(store, topic, TOPIC_LIMIT).unwrap_or_else(|e| {
            tracing::warn!("topic {topic:?}: {e}");
            Vec::new()
        }));
        ids.sort_unstable();
        ids.dedup();
        q.ids = Some(ids);
    }
    if let Some(f) = &filter.feed {
        let mut ids = store.feed_article_ids(&f.feeds)?;
        if let Some(topic) = q.ids.take() {
            let topic: std::collections::HashSet<i64> = topic.into_iter().collect();
            ids.retain(|id| topic.contains(id));
        }
        q.ids = Some(ids);
    }
    Ok(q)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A worker: its own archive connection, jobs in, messages out. Page and
/// article requests superseded by a newer one in the queue are skipped.
fn spawn_worker(
    name: &str,
    path: PathBuf,
    jobs: Receiver<Effect>,
    out: Sender<Msg>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name(name.to_string()).spawn(move || {
        // Reading workers: a read-only archive still browses.
        let mut store = match Store::open_or_read_only(&path) {
            Ok((s, _)) => s,
            Err(e) => {
                let _ = out.send(Msg::Error(e.to_string()));
                return;
            }
        };
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            batch.extend(jobs.try_iter());
            let last_page = batch.iter().rposition(|e| matches!(e, Effect::LoadPage { .. }));
            let last_article = batch.iter().rposition(|e| matches!(e, Effect::LoadArticle { .. }));
            for (i, job) in batch.iter().enumerate() {
                let superseded = match job {
                    // Only a page of an older filter is dropped; paging of
                    // the current one must still arrive.
                    Effect::LoadPage { generation, .. } => last_page.is_some_and(|l| {
                        l != i && matches!(&batch[l], Effect::LoadPage { generation: g, .. } if g > generation)
                    }),
                    Effect::LoadArticle { .. } => last_article.is_some_and(|l| l != i),
                    _ => false,
                };
                if superseded {
                    continue;
                }
                for m in perform(&mut store, job) {
                    if out.send(m).is_err() {
                        return;
                    }
                }
            }
        }
    })
}

/// A URL safe to hand to a browser or put in OSC 52: sanitised, and only
/// web and mail schemes (never something a browser would take as a flag).
pub fn safe_url(url: &str) -> Option<String> {
    let u: String = crate::text::sanitize(url).chars().filter(|c| !c.is_whitespace()).collect();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        return Some(mailto_subject_only(&u));
    }
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

/// A `mailto:` link keeps its address and `subject`: `cc`, `bcc`, `body`
/// and the rest could copy mail to a stranger or fill in a message the
/// reader did not write, and a mail client may send it as given.
fn mailto_subject_only(u: &str) -> String {
    let (to, query) = u.split_once('?').unwrap_or((u, ""));
    let subject = query.split('&').find(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case("subject")));
    match subject {
        Some(s) => format!("{to}?{s}"),
        None => to.to_string(),
    }
}

/// Puts `url` on the clipboard through the terminal.
fn copy(url: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(osc52(url).as_bytes())?;
    out.flush()
}

/// OSC 52: the terminal (or tmux) puts the text on the clipboard.
pub fn osc52(url: &str) -> String {
    use base64::Engine;
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(url))
}

fn open_url(url: &str, out: &Sender<Msg>, lang: Lang) {
    let Some(url) = safe_url(url) else {
        let what = crate::i18n::tr(crate::i18n::Text::NotWebAddress, lang);
        let _ = out.send(Msg::Error(format!("{what}: {}", crate::text::sanitize(url))));
        return;
    };
    // $BROWSER may list several commands separated by ':'; each is a program
    // and its arguments, run directly (never through a shell).
    let browser = std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty());
    let cmd = browser.as_deref().and_then(|b| b.split(':').find(|c| !c.trim().is_empty())).unwrap_or("xdg-open");
    let mut parts = cmd.split_whitespace();
    let Some(prog) = parts.next() else { return };
    let res = std::process::Command::new(prog)
        .args(parts)
        .arg(&url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match res {
        Ok(mut child) => {
            // Reap it in the background so no zombie is left.
            let _ = std::thread::Builder::new().name("browser".into()).spawn(move || child.wait());
        }
        Err(e) => {
            tracing::warn!("{prog}: {e}");
            let _ = out.send(Msg::Error(super::messages::browser_failed(prog, &e, lang)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_sanitised_and_only_web() {
        assert_eq!(safe_url("https://caravan.kz/a?b=1").as_deref(), Some("https://caravan.kz/a?b=1"));
        assert_eq!(safe_url("https://x.kz/\u{1b}]52;c;ZXZpbA==\u{7}a").as_deref(), Some("https://x.kz/a"));
        assert_eq!(safe_url(" http://x.kz/a b ").as_deref(), Some("http://x.kz/ab"));
        assert_eq!(safe_url("--new-window=file:///etc/passwd"), None);
        assert_eq!(safe_url("file:///etc/passwd"), None);
        assert_eq!(safe_url("javascript:alert(1)"), None);
    }

    #[test]
    fn mailto_keeps_only_the_address_and_subject() {
        let evil = "mailto:editor@caravan.kz?cc=spy@x.kz&subject=%D0%9F%D1%80%D0%B8&BCC=a@b&body=wire%20money";
        assert_eq!(safe_url(evil).as_deref(), Some("mailto:editor@caravan.kz?subject=%D0%9F%D1%80%D0%B8"));
        assert_eq!(safe_url("MAILTO:a@b.kz?body=x&Cc=y").as_deref(), Some("MAILTO:a@b.kz"));
        assert_eq!(safe_url("mailto:a@b.kz").as_deref(), Some("mailto:a@b.kz"));
    }

    #[test]
    fn osc52_is_one_escape_sequence() {
        assert_eq!(osc52("https://x.kz/"), "\u{1b}]52;c;aHR0cHM6Ly94Lmt6Lw==\u{7}");
    }

    #[test]
    fn search_worker_debounces_to_the_last_query() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        crate::bundled::import(&mut store).unwrap();
        let (jobs, rx) = mpsc::channel();
        let (tx, out) = mpsc::channel();
        let worker = spawn_search_worker(path, rx, tx).unwrap();
        for (generation, q) in [(1, "мест"), (2, "местн"), (3, "местные")] {
            jobs.send(Effect::Search { generation, query: q.into() }).unwrap();
        }
        let wait = std::time::Duration::from_secs(10);
        match out.recv_timeout(wait).unwrap() {
            Msg::SearchResults { generation, rows } => {
                assert_eq!(generation, 3, "typing in one burst searches once, for the last query");
                assert!(rows.iter().any(|r| r.title.contains("МЕСТНЫЕ ВЛАСТИ")), "{rows:?}");
            }
            other => panic!("{other:?}"),
        }
        // Other jobs are not held back by the debounce.
        jobs.send(Effect::LoadTrending).unwrap();
        assert!(matches!(out.recv_timeout(wait).unwrap(), Msg::Trending(_)));
        assert!(matches!(out.recv_timeout(wait).unwrap(), Msg::ComputedTrending(_)));
        assert!(out.recv_timeout(SEARCH_DEBOUNCE * 3).is_err(), "nothing else was sent");
        drop(jobs);
        worker.join().unwrap();
    }
}
