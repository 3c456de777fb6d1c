//! Refreshing subscriptions over HTTP.
//!
//! Workers fetch and parse in parallel (bounded, at most `per_host` requests
//! to one host at a time, one parse per core, a few megabytes of parsed
//! feeds waiting); the calling thread is the archive's only writer and
//! stores the results that have arrived in one transaction (one per feed
//! again if that fails, so a feed's failure stays its own), reporting
//! progress as [`FetchEvent`]s so the TUI can update while a refresh runs.
//!
//! HTTP itself is [`crate::net`]'s.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use url::Url;

use super::feed::{self, FeedError};
use super::pipeline::Budget;
pub use crate::net::{FetchOptions, Fetched, HttpFailure, agent, charset_of, fetch_url};
use crate::store::bulk::{BulkLoad, FeedWrite};
use crate::store::feeds::{Feed, FetchedFeed};
use crate::store::fts::IndexForm;
use crate::store::{Store, StoreError, Upsert};

/// Progress of a refresh, in the order things happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchEvent {
    /// How many feeds this refresh will fetch.
    Planned {
        feeds: usize,
    },
    Started {
        feed_id: i64,
        url: String,
    },
    Finished {
        feed_id: i64,
        url: String,
        outcome: FetchOutcome,
    },
    Done(FetchSummary),
}

/// What happened to one feed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FetchOutcome {
    Updated {
        added: usize,
        updated: usize,
        /// Set when a permanent redirect moved the subscription.
        moved_to: Option<String>,
    },
    NotModified,
    Failed {
        error: String,
        /// The server said 410 Gone.
        gone: bool,
    },
}

/// Totals of a refresh.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FetchSummary {
    pub feeds: usize,
    pub updated: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub articles_added: usize,
    pub articles_updated: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parses a fetched feed and computes its items' index terms (no archive
/// access: runs on a worker). The raw body is dropped once parsed: only the
/// parsed feed waits for the writer.
fn parse_fetched(f: &Feed, mut fetched: Fetched) -> Result<(Fetched, FetchedFeed), HttpFailure> {
    let Fetched::Body { bytes, charset, etag, last_modified, final_url, max_age, .. } = &mut fetched else {
        return Ok((fetched, FetchedFeed::default()));
    };
    let parsed =
        feed::parse_feed(bytes, charset.as_deref(), Some(final_url)).map_err(|e| HttpFailure::Feed(not_a_feed(e)))?;
    *bytes = Vec::new();
    let site = f.title.clone().or(parsed.title.clone());
    let mut items = parsed.items;
    for it in &mut items {
        it.site = site.clone();
    }
    // Index terms here, on the worker: the writer only inserts them.
    let index = items.iter().map(IndexForm::of).collect();
    let out = FetchedFeed {
        title: parsed.title,
        site_url: parsed.site_url,
        etag: etag.clone(),
        last_modified: last_modified.clone(),
        fresh_for: fresh_for(parsed.ttl, *max_age),
        items,
        index,
    };
    Ok((fetched, out))
}

/// Longest a feed's own freshness keeps it from being refreshed: a feed
/// that claims a week is still looked at daily.
pub const MAX_FRESH: i64 = 24 * 3600;

/// How long a fetch stays fresh: the longer of the feed's `<ttl>` (minutes)
/// and the response's `max-age` (seconds), at most [`MAX_FRESH`].
fn fresh_for(ttl_minutes: Option<u32>, max_age: Option<u64>) -> Option<i64> {
    let ttl = ttl_minutes.map(|m| i64::from(m) * 60);
    let age = max_age.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    ttl.max(age).filter(|&s| s > 0).map(|s| s.min(MAX_FRESH))
}

/// Whether a feed should be fetched by the refresh policy (the reader's
/// `refresh_on_start`/`refresh_every`, `svodka fetch --due`): never
/// fetched, or its last fetch (successful or not) older than both `every`
/// seconds and the freshness its server asked for. Gone feeds never are.
pub fn is_due(f: &Feed, now: OffsetDateTime, every: u64) -> bool {
    if f.gone {
        return false;
    }
    let Some(last) = f.last_fetch.as_deref().and_then(crate::model::Stamp::parse_iso) else { return true };
    let wait = f.fresh_for.unwrap_or(0).clamp(0, MAX_FRESH).max(i64::try_from(every).unwrap_or(i64::MAX));
    now.unix_timestamp() >= last.sort_key().saturating_add(wait)
}

/// The ids of the subscriptions [`is_due`] now.
pub fn due_feeds(store: &Store, now: OffsetDateTime, every: u64) -> Result<Vec<i64>, StoreError> {
    let synced = synced_feeds(store)?;
    Ok(store.feeds()?.into_iter().filter(|f| !synced.contains(&f.id) && is_due(f, now, every)).map(|f| f.id).collect())
}

/// Subscriptions a sync server owns: the server fetches them and `svodka
/// sync` brings their items, so a refresh of "every feed" leaves them out
/// (fetching them here as well would add second copies of the server's
/// items whose GUID differs from their link). Named explicitly, they are
/// fetched.
fn synced_feeds(store: &Store) -> Result<std::collections::HashSet<i64>, StoreError> {
    Ok(store.sync_feed_map()?.into_values().map(|(id, _)| id).collect())
}

/// What checking a URL before subscribing to it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The feed's URL: the one given, or the feed an HTML page advertised.
    pub url: String,
    pub title: Option<String>,
    pub items: usize,
}

/// Fetches `url` once and reads it as a feed, so `svodka add` never says
/// «subscribed» to a 404, a closed port or a web page. A page that
/// advertises its feed (`<link rel="alternate" type="application/rss+xml">`)
/// leads to that feed, one step only.
pub fn check_feed(url: &str, opts: &FetchOptions) -> Result<Checked, HttpFailure> {
    let agent = agent(opts);
    let mut current = url.to_string();
    for first in [true, false] {
        let Fetched::Body { bytes, charset, final_url, .. } = fetch_url(&agent, &current, None, None, opts)? else {
            return Err(HttpFailure::Other("unexpected 304 Not Modified".into()));
        };
        match feed::parse_feed(&bytes, charset.as_deref(), Some(&final_url)) {
            Ok(parsed) => return Ok(Checked { url: current, title: parsed.title, items: parsed.items.len() }),
            Err(e) => match advertised_feed(&bytes, &final_url).filter(|_| first) {
                Some(next) => current = next,
                None if crate::extract::page::looks_like_page(&bytes) => {
                    return Err(HttpFailure::Feed("an HTML page that names no feed, not a feed".into()));
                }
                None => return Err(HttpFailure::Feed(not_a_feed(e))),
            },
        }
    }
    Err(HttpFailure::Feed("the page's advertised feed is not a feed either".into()))
}

/// The first feed an HTML page advertises, resolved against its URL.
fn advertised_feed(bytes: &[u8], page_url: &str) -> Option<String> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(256 * 1024)]);
    let doc = scraper::Html::parse_document(&text);
    let sel = scraper::Selector::parse("link[rel~='alternate'][href]").ok()?;
    let kinds = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"];
    let href = doc.select(&sel).find_map(|l| {
        let t = l.value().attr("type")?.trim().to_ascii_lowercase();
        kinds.contains(&t.as_str()).then(|| l.value().attr("href")).flatten()
    })?;
    let next = Url::parse(page_url).ok()?.join(href.trim()).ok()?;
    matches!(next.scheme(), "http" | "https").then(|| next.to_string())
}

fn not_a_feed(e: FeedError) -> String {
    match e {
        FeedError::NotAFeed => "not a feed (no RSS, Atom or JSON Feed in the response)".into(),
        other => other.to_string(),
    }
}

struct Queue {
    jobs: VecDeque<Feed>,
    busy: HashMap<String, usize>,
}

fn host_key(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0))))
        .unwrap_or_default()
}

/// Refreshes the feeds with these ids (all subscriptions that are not gone
/// when empty) into the archive at `db_path`, reporting through `events`.
/// A feed's failure is recorded on it and never touches its articles; the
/// error returned is only for the archive itself failing to open.
pub fn fetch_all(
    db_path: &Path,
    feed_ids: &[i64],
    opts: &FetchOptions,
    events: Sender<FetchEvent>,
) -> Result<FetchSummary, FetchError> {
    let mut store = Store::open(db_path)?;
    let synced = synced_feeds(&store)?;
    let feeds: Vec<Feed> = store
        .feeds()?
        .into_iter()
        .filter(|f| if feed_ids.is_empty() { !f.gone && !synced.contains(&f.id) } else { feed_ids.contains(&f.id) })
        .collect();
    let mut summary = FetchSummary { feeds: feeds.len(), ..FetchSummary::default() };
    let _ = events.send(FetchEvent::Planned { feeds: feeds.len() });
    let fetchers = opts.concurrency.max(1).min(feeds.len());
    let shared = Shared {
        queue: Mutex::new(Queue { jobs: feeds.into(), busy: HashMap::new() }),
        ready: Condvar::new(),
        agent: agent(opts),
        per_host: opts.per_host.max(1),
        queued: Budget::new(QUEUED_BYTES),
    };
    let (raw_tx, raw_rx) = mpsc::channel::<Body>();
    let raw_rx = Mutex::new(raw_rx);
    let (tx, rx) = mpsc::channel::<Done>();
    // This thread is the only writer. Started first: once the fetchers run,
    // only the writer's storing returns their budget.
    let mut load = store.bulk_load()?;
    std::thread::scope(|s| {
        for _ in 0..fetchers {
            let (tx, raw_tx, events, shared) = (tx.clone(), raw_tx.clone(), events.clone(), &shared);
            s.spawn(move || fetcher(shared, opts, &events, &raw_tx, &tx));
        }
        for _ in 0..super::pipeline::workers(fetchers) {
            let (tx, raw_rx) = (tx.clone(), &raw_rx);
            s.spawn(move || parser(raw_rx, &tx));
        }
        drop((tx, raw_tx));
        // What has arrived is written together: one transaction (and one
        // new index segment) for many small feeds instead of one each.
        while let Ok(first) = rx.recv() {
            let mut items = items_of(&first);
            let mut batch = vec![first];
            while items < super::BATCH_ARTICLES
                && let Ok(next) = rx.try_recv()
            {
                items += items_of(&next);
                batch.push(next);
            }
            let outcomes = store_batch(&mut load, &batch)
                .unwrap_or_else(|| batch.iter().map(|(job, result, _)| store_result(&mut load, job, result)).collect());
            for ((job, _, size), outcome) in batch.into_iter().zip(outcomes) {
                tally(&mut summary, &outcome);
                shared.queued.give(size);
                let _ = events.send(FetchEvent::Finished { feed_id: job.id, url: job.url, outcome });
            }
        }
        // The articles are committed; a busy archive at the end only
        // leaves the index unmerged (automerge carries on with it).
        let _ = load.finish();
    });
    let _ = events.send(FetchEvent::Done(summary.clone()));
    Ok(summary)
}

/// Bytes of fetched bodies that may wait for a parser or the writer at
/// once (a 500-item feed of 1.5 MB parses to several times that): enough
/// that the writer never waits for a parse, small enough that a refresh of
/// many large feeds stays in tens of megabytes.
const QUEUED_BYTES: usize = 6 << 20;

/// What a body is charged beyond its bytes: a small feed parses to ~10×
/// its size (blocks, index terms, topic candidates), so counting bytes
/// alone let a refresh of a thousand 60 KB feeds queue a hundred of them
/// (peak 114 MB; 128 KiB: 84 MB at the same speed; 384 KiB: 72 MB but
/// 12 % slower, the writer's batches too small).
const FEED_COST: usize = 128 << 10;

/// What the fetchers share.
struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
    agent: ureq::Agent,
    per_host: usize,
    /// Bytes of bodies (see [`QUEUED_BYTES`]) from the end of their request
    /// until the writer has stored them.
    queued: Budget,
}

/// A feed's result on its way to the writer, with the bytes it holds of
/// [`Shared::queued`].
type Done = (Feed, Result<(Fetched, FetchedFeed), HttpFailure>, usize);

/// A fetched body on its way to a parser, with its size.
type Body = (Feed, Fetched, usize);

/// A fetcher thread: takes feeds whose host has a free slot and requests
/// them. Bodies go to the parsers; 304s and failures straight to the writer.
fn fetcher(
    shared: &Shared,
    opts: &FetchOptions,
    events: &Sender<FetchEvent>,
    parse: &Sender<Body>,
    write: &Sender<Done>,
) {
    while let Some((job, host)) = next_job(&shared.queue, &shared.ready, shared.per_host) {
        let _ = events.send(FetchEvent::Started { feed_id: job.id, url: job.url.clone() });
        let fetched = fetch_url(&shared.agent, &job.url, job.etag.as_deref(), job.last_modified.as_deref(), opts);
        // The request is over: the host may take the next one meanwhile.
        if let Ok(mut q) = shared.queue.lock()
            && let Some(n) = q.busy.get_mut(&host)
        {
            *n = n.saturating_sub(1);
        }
        shared.ready.notify_all();
        let sent = match fetched {
            Ok(Fetched::NotModified) => {
                write.send((job, Ok((Fetched::NotModified, FetchedFeed::default())), 0)).map_err(|_| ())
            }
            Ok(body) => {
                let size = if let Fetched::Body { bytes, .. } = &body { bytes.len() } else { 0 } + FEED_COST;
                shared.queued.take(size);
                parse.send((job, body, size)).map_err(|_| ())
            }
            Err(e) => write.send((job, Err(e), 0)).map_err(|_| ()),
        };
        if sent.is_err() {
            break;
        }
    }
}

/// A parser thread (one per core): parses the bodies the fetchers bring and
/// hands them to the writer. Parsing, the allocation-heavy part, stays on
/// these few threads, so the allocator's per-thread arenas stay few too
/// (with all eight fetchers parsing, the refresh's peak memory was 1.6×).
fn parser(bodies: &Mutex<mpsc::Receiver<Body>>, write: &Sender<Done>) {
    loop {
        let next = match bodies.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((job, body, size)) = next else { return };
        let result = parse_fetched(&job, body);
        if write.send((job, result, size)).is_err() {
            return;
        }
    }
}

/// Takes the next feed whose host has a free slot, waiting if every queued
/// feed's host is busy; `None` when the queue is empty.
fn next_job(queue: &Mutex<Queue>, ready: &Condvar, per_host: usize) -> Option<(Feed, String)> {
    let mut q = queue.lock().ok()?;
    loop {
        if q.jobs.is_empty() {
            return None;
        }
        let pos = q.jobs.iter().position(|f| q.busy.get(&host_key(&f.url)).copied().unwrap_or(0) < per_host);
        if let Some(pos) = pos {
            let job = q.jobs.remove(pos)?;
            let host = host_key(&job.url);
            *q.busy.entry(host.clone()).or_default() += 1;
            return Some((job, host));
        }
        q = ready.wait_timeout(q, Duration::from_millis(200)).ok()?.0;
    }
}

fn items_of(done: &Done) -> usize {
    done.1.as_ref().map(|(_, parsed)| parsed.items.len()).unwrap_or(0)
}

/// Writes a batch of results in one transaction; `None` when that failed
/// (nothing of it was written).
fn store_batch(load: &mut BulkLoad<'_>, batch: &[Done]) -> Option<Vec<FetchOutcome>> {
    let errors: Vec<String> =
        batch.iter().map(|(_, r, _)| r.as_ref().err().map(|f| f.to_string()).unwrap_or_default()).collect();
    let writes: Vec<FeedWrite<'_>> = batch
        .iter()
        .zip(&errors)
        .map(|((job, result, _), error)| match result {
            Ok((Fetched::NotModified, _)) => FeedWrite::NotModified { feed_id: job.id },
            Ok((Fetched::Body { moved_to, .. }, parsed)) => FeedWrite::Fetched {
                feed_id: job.id,
                fetched: parsed,
                moved_to: moved_to.as_deref().filter(|url| *url != job.url),
            },
            Err(fail) => FeedWrite::Failed { feed_id: job.id, error, gone: *fail == HttpFailure::Gone },
        })
        .collect();
    let written = load.write_feeds(&writes, OffsetDateTime::now_utc()).ok()?;
    let outcomes = batch.iter().zip(written).map(|((_, result, _), w)| match (result, w) {
        (Ok((Fetched::Body { moved_to, .. }, _)), Some(w)) => {
            let added = w.upserts.iter().filter(|u| matches!(u, Upsert::Added(_))).count();
            let updated = w.upserts.len() - added;
            FetchOutcome::Updated { added, updated, moved_to: moved_to.clone().filter(|_| w.moved) }
        }
        (Err(fail), _) => FetchOutcome::Failed { error: fail.to_string(), gone: *fail == HttpFailure::Gone },
        _ => FetchOutcome::NotModified,
    });
    Some(outcomes.collect())
}

/// Writes one result on its own (after its batch failed), so its failure
/// is recorded on it alone.
fn store_result(
    load: &mut BulkLoad<'_>,
    job: &Feed,
    result: &Result<(Fetched, FetchedFeed), HttpFailure>,
) -> FetchOutcome {
    let now = OffsetDateTime::now_utc();
    let outcome = match result {
        Ok((Fetched::NotModified, _)) => {
            load.store().record_not_modified(job.id, now).map(|_| FetchOutcome::NotModified)
        }
        Ok((Fetched::Body { moved_to, .. }, parsed)) => (|| {
            let moved_to = match moved_to {
                Some(url) if *url != job.url && load.store().move_feed(job.id, url)? => Some(url.clone()),
                _ => None,
            };
            let written = load.store_fetched(job.id, parsed, now)?;
            let added = written.iter().filter(|w| matches!(w, Upsert::Added(_))).count();
            Ok(FetchOutcome::Updated { added, updated: written.len() - added, moved_to })
        })(),
        Err(fail) => {
            let gone = *fail == HttpFailure::Gone;
            load.store()
                .record_fetch_error(job.id, &fail.to_string(), gone, now)
                .map(|_| FetchOutcome::Failed { error: fail.to_string(), gone })
        }
    };
    outcome.unwrap_or_else(|e: StoreError| {
        let _ = load.store().record_fetch_error(job.id, &e.to_string(), false, now);
        FetchOutcome::Failed { error: e.to_string(), gone: false }
    })
}

fn tally(summary: &mut FetchSummary, outcome: &FetchOutcome) {
    match outcome {
        FetchOutcome::Updated { added, updated, .. } => {
            summary.updated += 1;
            summary.articles_added += added;
            summary.articles_updated += updated;
        }
        FetchOutcome::NotModified => summary.not_modified += 1,
        FetchOutcome::Failed { .. } => summary.failed += 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::feeds::{FRESHNESS_MIGRATION, FRESHNESS_VERSION};

    #[test]
    fn freshness_is_the_longer_of_ttl_and_max_age_capped_at_a_day() {
        assert_eq!(fresh_for(Some(60), Some(600)), Some(3600));
        assert_eq!(fresh_for(None, Some(600)), Some(600));
        assert_eq!(fresh_for(Some(0), None), None);
        assert_eq!(fresh_for(Some(10_000), None), Some(MAX_FRESH));
        assert_eq!(fresh_for(None, None), None);
        let rss =
            b"<rss version=\"2.0\"><channel><title>x</title><ttl>30</ttl><item><title>a</title></item></channel></rss>";
        assert_eq!(feed::parse_feed(rss, None, None).unwrap().ttl, Some(30));
    }

    #[test]
    fn a_refresh_of_every_feed_leaves_the_sync_servers_feeds_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let mut store = Store::open(&db).unwrap();
        let (own, _) = store.add_feed("http://127.0.0.1:1/own", None, &[]).unwrap();
        let (served, _) = store.sync_feed(7, "http://127.0.0.1:1/served", "С сервера", None, &[]).unwrap();
        let now = OffsetDateTime::now_utc();
        assert_eq!(due_feeds(&store, now, 0).unwrap(), [own]);
        drop(store);
        let (tx, _rx) = mpsc::channel();
        let opts = FetchOptions { timeout: std::time::Duration::from_millis(200), ..FetchOptions::default() };
        assert_eq!(fetch_all(&db, &[], &opts, tx.clone()).unwrap().feeds, 1);
        assert_eq!(fetch_all(&db, &[served], &opts, tx).unwrap().feeds, 1, "named, it is fetched");
    }

    #[test]
    fn a_feed_is_due_after_its_freshness_and_the_interval_and_is_stored_with_it() {
        assert_eq!(crate::store::schema::MIGRATIONS[FRESHNESS_VERSION - 1], FRESHNESS_MIGRATION);
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let (id, _) = store.add_feed("http://127.0.0.1:1/rss", None, &[]).unwrap();
        let now = OffsetDateTime::now_utc();
        let feed = |s: &Store| s.feeds().unwrap().into_iter().find(|f| f.id == id).unwrap();
        assert!(is_due(&feed(&store), now, 900), "never fetched");
        let fetched = FetchedFeed { fresh_for: Some(3600), ..FetchedFeed::default() };
        store.store_fetched(id, &fetched, now).unwrap();
        let f = feed(&store);
        assert_eq!(f.fresh_for, Some(3600));
        let later = |secs: i64| now + time::Duration::seconds(secs);
        assert!(!is_due(&f, later(1800), 0), "within its ttl");
        assert!(is_due(&f, later(3601), 0));
        assert!(!is_due(&f, later(3601), 7200), "within the reader's interval");
        assert_eq!(due_feeds(&store, later(10), 0).unwrap(), Vec::<i64>::new());
        assert_eq!(due_feeds(&store, later(4000), 0).unwrap(), vec![id]);
        // A failed fetch counts as a fetch: not retried at once.
        store.record_fetch_error(id, "timed out", false, later(4000)).unwrap();
        assert!(!is_due(&feed(&store), later(4100), 0));
        store.record_fetch_error(id, "gone (HTTP 410)", true, later(9000)).unwrap();
        assert!(!is_due(&feed(&store), later(100_000), 0), "gone feeds never are");
    }
}
