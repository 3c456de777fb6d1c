//! Pages into the archive: a saved page file (`svodka import page.html`),
//! one URL fetched on its own (`svodka get URL`, read-it-later), and the
//! full text of feed items (`full_text` feeds, the reader's `F`).
//!
//! HTTP goes through `net` (same agent, size cap, redirects,
//! timeouts, decompression as feed fetching); the archive is written by the
//! calling thread only, one transaction per article.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Mutex;

use time::OffsetDateTime;
use url::Url;

use super::{ExtractError, Extracted, Rules};
use crate::model::{NewArticle, Stamp};
use crate::net::{self as fetch, FetchOptions, Fetched, HttpFailure};
use crate::store::{Store, StoreError, Upsert};

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("{url}: {source}")]
    Http { url: String, source: HttpFailure },
    #[error("{url}: {source}")]
    Extract { url: String, source: ExtractError },
    #[error("{0} is a feed, not an article; subscribe with `svodka add {0}`")]
    IsFeed(String),
    #[error("{0:?} is not an http(s) URL")]
    BadUrl(String),
    #[error("article {0} has no URL to fetch")]
    NoUrl(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// True when `bytes` look like an HTML page (not a feed, not a dump).
pub fn looks_like_page(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |n: &[u8]| lower.windows(n.len()).any(|w| w == n);
    has(b"<!doctype html") || has(b"<html") || (has(b"<head") && has(b"<body"))
}

/// The canonical URL a saved page names (`<link rel=canonical>`, `og:url`).
fn canonical(page: &str) -> Option<Url> {
    let doc = scraper::Html::parse_document(page);
    let pick = |sel: &str, attr: &str| {
        let s = scraper::Selector::parse(sel).ok()?;
        doc.select(&s).find_map(|e| e.value().attr(attr).and_then(|u| Url::parse(u.trim()).ok()))
    };
    pick("link[rel='canonical']", "href")
        .or_else(|| pick("meta[property='og:url']", "content"))
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// The article as the archive keeps it.
pub fn to_article(ex: Extracted, url: Option<&Url>, captured: Option<Stamp>) -> NewArticle {
    let site =
        ex.site_name.clone().or_else(|| url.and_then(|u| u.host_str()).map(|h| h.trim_start_matches("www.").into()));
    NewArticle {
        title: if ex.title.is_empty() { url.map(|u| u.to_string()).unwrap_or_default() } else { ex.title },
        site,
        url: url.map(|u| u.to_string()),
        published: ex.published,
        captured,
        author: ex.byline,
        photo_credit: None,
        blocks: ex.blocks,
        links: ex.links,
        ..NewArticle::default()
    }
}

/// A saved page file: decoded (BOM, `<meta charset>`, detection), its
/// canonical URL used for links and identity, then extracted.
pub fn parse_saved_page(bytes: &[u8], rules: &Rules) -> Result<NewArticle, ExtractError> {
    let text = super::decode_page(bytes, None)?;
    let url = canonical(&text);
    let ex = super::check_article(super::extract(&text, url.as_ref(), rules)?)?;
    Ok(to_article(ex, url.as_ref(), None))
}

/// Fetches and extracts one page (no archive access: runs on any thread).
pub fn fetch_page(
    agent: &ureq::Agent,
    url: &str,
    opts: &FetchOptions,
    rules: &Rules,
) -> Result<(Url, Extracted), PageError> {
    let http = |source| PageError::Http { url: url.to_string(), source };
    let (bytes, charset, final_url) = match fetch::fetch_url(agent, url, None, None, opts).map_err(http)? {
        Fetched::Body { bytes, charset, final_url, .. } => (bytes, charset, final_url),
        // No validators were sent, so a 304 is the server's mistake.
        Fetched::NotModified => return Err(http(HttpFailure::Other("unexpected 304 Not Modified".into()))),
    };
    // A feed's XML would extract as one long "article" of markup.
    if crate::text::sniff::sniff(&bytes) == crate::text::sniff::Sniffed::Feed {
        return Err(PageError::IsFeed(url.to_string()));
    }
    let final_url = Url::parse(&final_url).map_err(|_| PageError::BadUrl(final_url.clone()))?;
    let ex = super::extract_bytes(&bytes, charset.as_deref(), Some(&final_url), rules)
        .and_then(super::check_article)
        .map_err(|source| PageError::Extract { url: url.to_string(), source })?;
    Ok((final_url, ex))
}

fn parse_url(url: &str) -> Result<Url, PageError> {
    Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| PageError::BadUrl(url.into()))
}

/// `svodka get URL`: fetches one page into the archive without subscribing.
/// Nothing is written unless the page is an article. A URL the archive
/// already has (as a feed's item, a dump, a page saved under another
/// spelling of the URL) gets the page's text attached, as the reader's `F`
/// does, and is kept from retention, instead of becoming a second copy.
pub fn get(store: &mut Store, url: &str, opts: &FetchOptions, rules: &Rules) -> Result<Upsert, PageError> {
    let url = parse_url(url)?;
    let agent = fetch::agent(opts);
    let (final_url, ex) = fetch_page(&agent, url.as_str(), opts, rules)?;
    let now = OffsetDateTime::now_utc();
    let known = match store.article_by_url(url.as_str())? {
        Some(found) => Some(found),
        None => store.article_by_url(final_url.as_str())?,
    };
    match known {
        // The page saved under exactly this URL: updated in place, title and all.
        Some(found) if found.page && found.url == url.as_str() => {}
        Some(found) => {
            store.store_extracted(found.id, &ex, now)?;
            store.mark_saved(found.id)?;
            return Ok(Upsert::Updated(found.id));
        }
        None => {}
    }
    // Identity is the URL asked for, so getting it again updates in place.
    let article = to_article(ex, Some(&url), Some(Stamp::DateTime(now)));
    Ok(store.store_page(&article, now)?)
}

/// Fetches article `article_id`'s page and replaces its body with the
/// extracted text. On failure the body (the feed's teaser) stays and the
/// reason is recorded on the article and returned. Opens the archive
/// itself, so the reader can call it from a worker thread (key `F`).
pub fn fetch_full_text(db_path: &Path, article_id: i64, opts: &FetchOptions, rules: &Rules) -> Result<(), PageError> {
    let url = {
        let store = Store::open(db_path)?;
        store.extract_state(article_id)?.0.ok_or(PageError::NoUrl(article_id))?
    };
    let agent = fetch::agent(opts);
    let result = fetch_page(&agent, &url, opts, rules);
    let mut store = Store::open(db_path)?;
    match result {
        Ok((_, ex)) => Ok(store.store_extracted(article_id, &ex, OffsetDateTime::now_utc())?),
        Err(e) => {
            store.record_extract_error(article_id, &e.to_string())?;
            Err(e)
        }
    }
}

/// What a full-text pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FullTextReport {
    pub extracted: usize,
    pub failed: usize,
    /// `(article id, reason)` of each failure.
    pub errors: Vec<(i64, String)>,
}

/// Fetches the pages of every new item of the `full_text` feeds (items that
/// arrived since the flag was set and were never tried), politely: at most
/// `opts.concurrency` requests at once and one at a time per host. Run
/// after a feed refresh; `svodka fetch` does.
pub fn fill_full_text(db_path: &Path, opts: &FetchOptions, rules: &Rules) -> Result<FullTextReport, PageError> {
    let mut store = Store::open(db_path)?;
    let pending = store.pending_full_text(usize::MAX)?;
    let mut report = FullTextReport::default();
    if pending.is_empty() {
        return Ok(report);
    }
    // One queue per host; a worker takes a whole host so requests to it
    // never overlap.
    let mut by_host: HashMap<String, VecDeque<crate::store::fulltext::Pending>> = HashMap::new();
    for p in pending {
        let host = Url::parse(&p.url).ok().and_then(|u| u.host_str().map(String::from)).unwrap_or_default();
        by_host.entry(host).or_default().push_back(p);
    }
    let hosts: Mutex<Vec<VecDeque<_>>> = Mutex::new(by_host.into_values().collect());
    let workers = opts.concurrency.max(1).min(hosts.lock().map(|h| h.len()).unwrap_or(1));
    let agent = fetch::agent(opts);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let (tx, hosts, agent) = (tx.clone(), &hosts, &agent);
            s.spawn(move || {
                while let Some(mut queue) = hosts.lock().ok().and_then(|mut h| h.pop()) {
                    while let Some(p) = queue.pop_front() {
                        let r = fetch_page(agent, &p.url, opts, rules).map(|(_, ex)| ex);
                        if tx.send((p.id, r)).is_err() {
                            return;
                        }
                    }
                }
            });
        }
        drop(tx);
        for (id, r) in rx {
            let written = match r {
                Ok(ex) => store.store_extracted(id, &ex, OffsetDateTime::now_utc()).map(|_| None),
                Err(e) => store.record_extract_error(id, &e.to_string()).map(|_| Some(e.to_string())),
            };
            match written {
                Ok(None) => report.extracted += 1,
                Ok(Some(why)) => {
                    report.failed += 1;
                    report.errors.push((id, why));
                }
                Err(e) => {
                    report.failed += 1;
                    report.errors.push((id, e.to_string()));
                }
            }
        }
    });
    Ok(report)
}
