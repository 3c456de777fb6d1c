//! Refreshing subscriptions over HTTP.
//!
//! Workers fetch and parse in parallel (bounded, at most `per_host` requests
//! to one host at a time); the calling thread is the archive's only writer
//! and stores each feed in one transaction as its result arrives, reporting
//! progress as [`FetchEvent`]s so the TUI can update while a refresh runs.
//!
//! HTTP is ureq with its own redirect following and decompression turned off:
//! redirects are followed here so a permanent one (301/308) can move the
//! subscription, and bodies are decompressed here (gzip, deflate, brotli)
//! so the size cap applies to what is finally parsed, not only to the wire.

use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use url::Url;

use super::feed::{self, FeedError};
use crate::store::feeds::{Feed, FetchedFeed};
use crate::store::{Store, StoreError, Upsert};

/// Knobs for a refresh; `Default` is what `svodka fetch` uses.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight to one host at once (politeness).
    pub per_host: usize,
    pub connect_timeout: Duration,
    /// Whole request, from connect to the last byte of the body.
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_bytes: u64,
    pub max_redirects: u32,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            concurrency: 8,
            per_host: 2,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("svodka/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

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

/// Why one request failed (recorded on the feed, shown to the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpFailure {
    #[error("host not found (DNS)")]
    Dns,
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("timed out")]
    Timeout,
    #[error("HTTP {0}")]
    Status(u16),
    #[error("gone (HTTP 410)")]
    Gone,
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    #[error("redirect without a usable Location")]
    BadRedirect,
    #[error("response larger than {0} bytes")]
    TooLarge(u64),
    #[error("cannot decompress the {0} body: {1}")]
    Decompress(&'static str, String),
    #[error("{0}")]
    Other(String),
    #[error("{0}")]
    Feed(String),
}

/// A response worth parsing, or "not modified".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        charset: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// The URL the body came from (after redirects).
        final_url: String,
        /// Where a chain of only permanent redirects led, if it moved.
        moved_to: Option<String>,
    },
}

/// Builds the HTTP agent for `opts` (proxy from `http_proxy`/`https_proxy`/
/// `ALL_PROXY`, as ureq reads them).
pub fn agent(opts: &FetchOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_global(Some(opts.timeout))
        .user_agent(opts.user_agent.as_str())
        .accept_encoding("gzip, deflate, br")
        .accept("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
        .build()
        .into()
}

/// One conditional GET with redirects followed by hand.
pub fn fetch_url(
    agent: &ureq::Agent,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    opts: &FetchOptions,
) -> Result<Fetched, HttpFailure> {
    let mut current = url.to_string();
    let mut permanent = true;
    let mut moved_to = None;
    for _ in 0..=opts.max_redirects {
        let mut req = agent.get(&current);
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(lm) = last_modified {
            req = req.header("If-Modified-Since", lm);
        }
        let resp = req.call().map_err(failure)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        match status {
            200..=299 => {
                let charset = header("content-type").and_then(|ct| charset_of(&ct));
                let encoding = header("content-encoding").map(|e| e.to_ascii_lowercase());
                let etag = header("etag");
                let last_modified = header("last-modified");
                let raw = resp.into_body().with_config().limit(opts.max_bytes).read_to_vec().map_err(failure)?;
                let bytes = decompress(raw, encoding.as_deref(), opts.max_bytes)?;
                return Ok(Fetched::Body { bytes, charset, etag, last_modified, final_url: current, moved_to });
            }
            304 => return Ok(Fetched::NotModified),
            301 | 302 | 303 | 307 | 308 => {
                let loc = header("location").ok_or(HttpFailure::BadRedirect)?;
                let next = Url::parse(&current)
                    .and_then(|base| base.join(&loc))
                    .map_err(|_| HttpFailure::BadRedirect)?
                    .to_string();
                permanent &= matches!(status, 301 | 308);
                if permanent {
                    moved_to = Some(next.clone());
                }
                current = next;
            }
            410 => return Err(HttpFailure::Gone),
            s => return Err(HttpFailure::Status(s)),
        }
    }
    Err(HttpFailure::TooManyRedirects(opts.max_redirects))
}

fn failure(e: ureq::Error) -> HttpFailure {
    match e {
        ureq::Error::HostNotFound => HttpFailure::Dns,
        ureq::Error::ConnectionFailed => HttpFailure::Connect("refused or unreachable".into()),
        ureq::Error::Timeout(_) => HttpFailure::Timeout,
        ureq::Error::BodyExceedsLimit(n) => HttpFailure::TooLarge(n),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => HttpFailure::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            HttpFailure::Connect(io.to_string())
        }
        other => HttpFailure::Other(other.to_string()),
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Decodes a `Content-Encoding`, never producing more than `max` bytes.
fn decompress(raw: Vec<u8>, encoding: Option<&str>, max: u64) -> Result<Vec<u8>, HttpFailure> {
    let (name, reader): (&'static str, Box<dyn Read + '_>) = match encoding {
        None | Some("identity") => return Ok(raw),
        Some("gzip" | "x-gzip") => ("gzip", Box::new(flate2::read::MultiGzDecoder::new(&raw[..]))),
        // "deflate" is zlib-wrapped per the RFC, raw deflate in practice
        // from some servers: look at the zlib header to tell.
        Some("deflate") if raw.len() >= 2 && (u16::from(raw[0]) << 8 | u16::from(raw[1])) % 31 == 0 => {
            ("deflate", Box::new(flate2::read::ZlibDecoder::new(&raw[..])))
        }
        Some("deflate") => ("deflate", Box::new(flate2::read::DeflateDecoder::new(&raw[..]))),
        Some("br") => ("brotli", Box::new(brotli::Decompressor::new(&raw[..], 4096))),
        Some(other) => return Err(HttpFailure::Other(format!("unsupported Content-Encoding {other}"))),
    };
    let mut out = Vec::new();
    reader.take(max + 1).read_to_end(&mut out).map_err(|e| HttpFailure::Decompress(name, e.to_string()))?;
    if out.len() as u64 > max {
        return Err(HttpFailure::TooLarge(max));
    }
    Ok(out)
}

/// Fetches and parses one feed (no archive access: runs on a worker).
fn fetch_and_parse(agent: &ureq::Agent, f: &Feed, opts: &FetchOptions) -> Result<(Fetched, FetchedFeed), HttpFailure> {
    let fetched = fetch_url(agent, &f.url, f.etag.as_deref(), f.last_modified.as_deref(), opts)?;
    let Fetched::Body { bytes, charset, etag, last_modified, final_url, .. } = &fetched else {
        return Ok((fetched, FetchedFeed::default()));
    };
    let parsed = feed::parse_feed(bytes, charset.as_deref(), Some(final_url)).map_err(|e| match e {
        FeedError::NotAFeed => HttpFailure::Feed("not a feed (no RSS, Atom or JSON Feed in the response)".into()),
        other => HttpFailure::Feed(other.to_string()),
    })?;
    let site = f.title.clone().or(parsed.title.clone());
    let mut items = parsed.items;
    for it in &mut items {
        it.site = site.clone();
    }
    let out = FetchedFeed {
        title: parsed.title,
        site_url: parsed.site_url,
        etag: etag.clone(),
        last_modified: last_modified.clone(),
        items,
    };
    Ok((fetched, out))
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
    let feeds: Vec<Feed> = store
        .feeds()?
        .into_iter()
        .filter(|f| if feed_ids.is_empty() { !f.gone } else { feed_ids.contains(&f.id) })
        .collect();
    let mut summary = FetchSummary { feeds: feeds.len(), ..FetchSummary::default() };
    let _ = events.send(FetchEvent::Planned { feeds: feeds.len() });
    let workers = opts.concurrency.max(1).min(feeds.len());
    let per_host = opts.per_host.max(1);
    let queue = Mutex::new(Queue { jobs: feeds.into(), busy: HashMap::new() });
    let ready = Condvar::new();
    let agent = agent(opts);
    let (tx, rx) = mpsc::channel::<(Feed, Result<(Fetched, FetchedFeed), HttpFailure>)>();

    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let events = events.clone();
            let (queue, ready, agent) = (&queue, &ready, &agent);
            s.spawn(move || {
                while let Some((job, host)) = next_job(queue, ready, per_host) {
                    let _ = events.send(FetchEvent::Started { feed_id: job.id, url: job.url.clone() });
                    let result = fetch_and_parse(agent, &job, opts);
                    if let Ok(mut q) = queue.lock()
                        && let Some(n) = q.busy.get_mut(&host)
                    {
                        *n = n.saturating_sub(1);
                    }
                    ready.notify_all();
                    if tx.send((job, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // This thread is the only writer.
        for (job, result) in rx {
            let outcome = store_result(&mut store, &job, result, &mut summary);
            let _ = events.send(FetchEvent::Finished { feed_id: job.id, url: job.url.clone(), outcome });
        }
    });
    let _ = events.send(FetchEvent::Done(summary.clone()));
    Ok(summary)
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

fn store_result(
    store: &mut Store,
    job: &Feed,
    result: Result<(Fetched, FetchedFeed), HttpFailure>,
    summary: &mut FetchSummary,
) -> FetchOutcome {
    let now = OffsetDateTime::now_utc();
    let outcome = match result {
        Ok((Fetched::NotModified, _)) => store.record_not_modified(job.id, now).map(|_| FetchOutcome::NotModified),
        Ok((Fetched::Body { moved_to, .. }, parsed)) => (|| {
            let moved_to = match moved_to {
                Some(url) if url != job.url && store.move_feed(job.id, &url)? => Some(url),
                _ => None,
            };
            let written = store.store_fetched(job.id, &parsed, now)?;
            let added = written.iter().filter(|w| matches!(w, Upsert::Added(_))).count();
            Ok(FetchOutcome::Updated { added, updated: written.len() - added, moved_to })
        })(),
        Err(fail) => {
            let gone = fail == HttpFailure::Gone;
            store
                .record_fetch_error(job.id, &fail.to_string(), gone, now)
                .map(|_| FetchOutcome::Failed { error: fail.to_string(), gone })
        }
    };
    let outcome = outcome.unwrap_or_else(|e: StoreError| {
        let _ = store.record_fetch_error(job.id, &e.to_string(), false, now);
        FetchOutcome::Failed { error: e.to_string(), gone: false }
    });
    match &outcome {
        FetchOutcome::Updated { added, updated, .. } => {
            summary.updated += 1;
            summary.articles_added += added;
            summary.articles_updated += updated;
        }
        FetchOutcome::NotModified => summary.not_modified += 1,
        FetchOutcome::Failed { .. } => summary.failed += 1,
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_and_decompression() {
        assert_eq!(charset_of("text/xml; charset=\"KOI8-R\"").as_deref(), Some("KOI8-R"));
        assert_eq!(charset_of("text/xml"), None);
        let data = "Новости ".repeat(100).into_bytes();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &data).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(decompress(gz.clone(), Some("gzip"), 1 << 20).unwrap(), data);
        assert_eq!(decompress(gz, Some("gzip"), 100), Err(HttpFailure::TooLarge(100)));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, &data).unwrap();
        assert_eq!(decompress(z.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(), data);
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut d, &data).unwrap();
        assert_eq!(decompress(d.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(), data);
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut &data[..], &mut br, &Default::default()).unwrap();
        assert_eq!(decompress(br, Some("br"), 1 << 20).unwrap(), data);
        assert!(decompress(b"junk".to_vec(), Some("gzip"), 100).is_err());
    }
}
