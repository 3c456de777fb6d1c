//! Everything that brings articles into the archive.
//!
//! Import is two-phase on purpose: every file is read, decoded and parsed
//! first, and only articles that parsed are written, in batched
//! transactions. A bad file is refused with its reason and costs nothing;
//! the good files beside it still land.

pub use crate::text::decode;
pub mod dump;
pub mod feed;
pub mod fetch;
pub mod opml;
mod pipeline;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::extract::Rules;
use crate::model::NewArticle;
use crate::store::bulk::{BulkLoad, Prepared};
use crate::store::fts::IndexForm;
use crate::store::{Store, StoreError, Upsert};

/// Text (bytes of titles, blocks and index terms) written per transaction:
/// large enough that commits are not the bottleneck, small enough that a
/// crash mid-import loses little work and a batch's memory stays small.
const BATCH_BYTES: usize = 4 << 20;

/// And at most this many articles: short ones (page dumps of a few lines)
/// would otherwise make a batch of many thousands.
const BATCH_ARTICLES: usize = 1024;

/// Extensions imported when walking a directory; files named on the command
/// line are always tried, whatever their name.
const DUMP_EXTENSIONS: &[&str] = &["txt", "text", "dump"];

/// Saved web pages picked up by a directory walk (the article is extracted).
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];

/// Feed and subscription-list files picked up by a directory walk (besides
/// files named `urls`, newsboat's); what they are is decided by content.
const FEED_EXTENSIONS: &[&str] = &["xml", "rss", "rdf", "atom", "json", "opml"];

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Decode { path: PathBuf, source: decode::DecodeError },
    #[error("{path}: {source}")]
    Dump { path: PathBuf, source: dump::DumpError },
    #[error("{path}: {source}")]
    Feed { path: PathBuf, source: feed::FeedError },
    #[error("{path}: {source}")]
    Opml { path: PathBuf, source: opml::OpmlError },
    #[error("{path}: {source}")]
    Page { path: PathBuf, source: crate::extract::ExtractError },
}

/// One refused input and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refused {
    pub path: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub refused: Vec<Refused>,
    /// Files skipped while walking directories (not an importable type).
    pub skipped: usize,
    /// Feeds subscribed from OPML or newsboat `urls` files.
    pub subscribed: usize,
    /// Entries of subscription lists that svodka cannot use, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Refused>,
}

/// What one input turned out to hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A page dump or the items of a feed file.
    Articles(Vec<NewArticle>),
    /// An OPML or newsboat `urls` subscription list.
    Subscriptions(opml::SubscriptionList),
}

/// A named input: a path on disk or an embedded file.
pub struct Source<'a> {
    pub name: String,
    pub bytes: std::borrow::Cow<'a, [u8]>,
}

/// Reads and parses one input, recognising feeds, OPML and newsboat `urls`
/// files by content; anything else is a page dump. Errors name the input
/// and the reason.
pub fn parse_any(src: &Source<'_>, rules: &Rules) -> Result<Parsed, ImportError> {
    let path = || PathBuf::from(&src.name);
    match feed::sniff(&src.bytes) {
        feed::Sniffed::Feed => feed::parse_feed(&src.bytes, None, None)
            .map(|f| Parsed::Articles(f.items))
            .map_err(|source| ImportError::Feed { path: path(), source }),
        feed::Sniffed::Opml => {
            let text = decode::decode_document(&src.bytes, None)
                .map_err(|source| ImportError::Decode { path: path(), source })?;
            opml::parse_opml(&text.text)
                .map(Parsed::Subscriptions)
                .map_err(|source| ImportError::Opml { path: path(), source })
        }
        feed::Sniffed::NewsboatUrls => {
            let text =
                decode::decode(&src.bytes, None).map_err(|source| ImportError::Decode { path: path(), source })?;
            Ok(Parsed::Subscriptions(opml::parse_urls(&text.text)))
        }
        // HTML in a file named as a dump stays a (refused) dump.
        feed::Sniffed::Other
            if !has_extension(Path::new(&src.name), &["txt", "text", "dump"])
                && crate::extract::page::looks_like_page(&src.bytes) =>
        {
            crate::extract::page::parse_saved_page(&src.bytes, rules)
                .map(|a| Parsed::Articles(vec![a]))
                .map_err(|source| ImportError::Page { path: path(), source })
        }
        // A file named as a feed that is none is refused as a feed, not read
        // as a one-line dump titled with its junk.
        feed::Sniffed::Other if has_extension(Path::new(&src.name), FEED_EXTENSIONS) => {
            Err(ImportError::Feed { path: path(), source: feed::FeedError::NotAFeed })
        }
        feed::Sniffed::Other => parse_source(src).map(|a| Parsed::Articles(vec![a])),
    }
}

/// Reads and parses one page dump. Errors name the input and the reason.
pub fn parse_source(src: &Source<'_>) -> Result<NewArticle, ImportError> {
    let path = PathBuf::from(&src.name);
    // Checked before decoding too (any encoding takes at least a byte a
    // character), so a huge file costs no decode.
    if src.bytes.len() > 4 * crate::text::cap::MAX_TEXT_BYTES {
        return Err(ImportError::Dump { path, source: dump::DumpError::TooLarge(src.bytes.len()) });
    }
    let decoded =
        decode::decode(&src.bytes, None).map_err(|source| ImportError::Decode { path: path.clone(), source })?;
    dump::parse_dump(&decoded.text).map_err(|source| ImportError::Dump { path, source })
}

/// Expands directories (recursively, in name order) into files. Each real
/// directory is walked once, however many symlinks lead to it: a link
/// back to a parent would otherwise loop until the path is too long.
fn collect(paths: &[PathBuf], report: &mut ImportReport) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut visited = HashSet::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out, &mut visited, report);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, visited: &mut HashSet<PathBuf>, report: &mut ImportReport) {
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !visited.insert(real) {
                return;
            }
        }
        Err(e) => {
            report.refused.push(Refused { path: dir.display().to_string(), reason: e.to_string() });
            return;
        }
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            report.refused.push(Refused { path: dir.display().to_string(), reason: e.to_string() });
            return;
        }
    };
    entries.sort();
    for p in entries {
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, visited, report);
        } else if has_extension(&p, DUMP_EXTENSIONS)
            || has_extension(&p, FEED_EXTENSIONS)
            || has_extension(&p, PAGE_EXTENSIONS)
            || p.file_name().is_some_and(|n| n == "urls")
        {
            out.push(p);
        } else {
            report.skipped += 1;
        }
    }
}

fn has_extension(p: &Path, exts: &[&str]) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Imports files and directories into the store, with no site rules.
pub fn import_paths(store: &mut Store, paths: &[PathBuf]) -> Result<ImportReport, StoreError> {
    import_paths_with(store, paths, &Rules::default())
}

/// Imports files and directories; saved pages are extracted with `rules`.
/// Files are read and parsed on worker threads (see [`pipeline`]); this
/// thread only writes.
pub fn import_paths_with(store: &mut Store, paths: &[PathBuf], rules: &Rules) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let files = collect(paths, &mut report);
    let job = |i: usize| {
        let p = &files[i];
        let parsed = match std::fs::read(p) {
            Ok(bytes) => prepare(&Source { name: p.display().to_string(), bytes: bytes.into() }, rules),
            Err(source) => Err(ImportError::Read { path: p.clone(), source }),
        };
        (p.display().to_string(), parsed)
    };
    let mut load = store.bulk_load()?;
    let mut batch = Batch::default();
    pipeline::ordered_map(files.len(), pipeline::workers(files.len()), job, |(name, parsed)| {
        take(&mut load, &mut batch, &name, parsed, &mut report)
    })?;
    batch.flush(&mut load, &mut report)?;
    load.finish()?;
    Ok(report)
}

/// Imports already-read inputs (also used for the bundled sample archive),
/// parsing them on this thread.
pub fn import_sources<'a>(
    store: &mut Store,
    sources: &mut dyn Iterator<Item = Result<Source<'a>, ImportError>>,
    report: &mut ImportReport,
    rules: &Rules,
) -> Result<(), StoreError> {
    let mut load = store.bulk_load()?;
    let mut batch = Batch::default();
    for src in sources {
        let name = src.as_ref().map(|s| s.name.clone()).unwrap_or_default();
        take(&mut load, &mut batch, &name, src.and_then(|s| prepare(&s, rules)), report)?;
    }
    batch.flush(&mut load, report)?;
    load.finish()
}

/// What one input holds, ready for the writer.
enum Ready {
    Articles(Vec<Prepared>),
    Subscriptions(opml::SubscriptionList),
}

/// Parses an input and computes its articles' index terms (worker side).
fn prepare(src: &Source<'_>, rules: &Rules) -> Result<Ready, ImportError> {
    Ok(match parse_any(src, rules)? {
        Parsed::Articles(a) => Ready::Articles(
            a.into_iter()
                .map(|a| {
                    let index = IndexForm::of(&a);
                    (a, index)
                })
                .collect(),
        ),
        Parsed::Subscriptions(list) => Ready::Subscriptions(list),
    })
}

/// Writer side: queues an input's articles (written once a batch is full)
/// or subscribes to its feeds; a refused input is reported.
fn take(
    load: &mut BulkLoad<'_>,
    batch: &mut Batch,
    name: &str,
    parsed: Result<Ready, ImportError>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    match parsed {
        Ok(Ready::Articles(a)) => {
            for p in a {
                batch.push(p);
            }
        }
        Ok(Ready::Subscriptions(list)) => {
            for f in &list.feeds {
                if load.store().add_feed(&f.url, f.title.as_deref(), &f.tags)?.1 {
                    report.subscribed += 1;
                }
            }
            for (url, why) in list.ignored {
                report.ignored.push(Refused { path: format!("{name}: {url}"), reason: why });
            }
        }
        Err(e) => report.refused.push(refusal(e)),
    }
    if batch.bytes >= BATCH_BYTES || batch.items.len() >= BATCH_ARTICLES {
        batch.flush(load, report)?;
    }
    Ok(())
}

/// Articles waiting for the next transaction, and their size.
#[derive(Default)]
struct Batch {
    items: Vec<Prepared>,
    bytes: usize,
}

impl Batch {
    fn push(&mut self, p: Prepared) {
        let (a, index) = &p;
        self.bytes += a.title.len() + index.title.len() + index.body.len();
        self.bytes += a.blocks.iter().map(|b| b.text.len()).sum::<usize>();
        self.items.push(p);
    }

    fn flush(&mut self, load: &mut BulkLoad<'_>, report: &mut ImportReport) -> Result<(), StoreError> {
        if self.items.is_empty() {
            return Ok(());
        }
        for r in load.write(&self.items, OffsetDateTime::now_utc())? {
            match r {
                Upsert::Added(_) => report.added += 1,
                Upsert::Updated(_) => report.updated += 1,
            }
        }
        self.items.clear();
        self.bytes = 0;
        Ok(())
    }
}

fn refusal(e: ImportError) -> Refused {
    let (path, reason) = match &e {
        ImportError::Read { path, source } => (path, source.to_string()),
        ImportError::Decode { path, source } => (path, source.to_string()),
        ImportError::Dump { path, source } => (path, source.to_string()),
        ImportError::Feed { path, source } => (path, source.to_string()),
        ImportError::Opml { path, source } => (path, source.to_string()),
        ImportError::Page { path, source } => (path, source.to_string()),
    };
    Refused { path: path.display().to_string(), reason }
}
