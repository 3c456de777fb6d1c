//! Subscriptions: `add`, `remove`, `feeds` and `export --opml`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Args;

use super::Edge;
use crate::text::sanitize;
use crate::text::width::pad;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Feed URL (http or https).
    pub url: String,
    /// Tag the feed (repeatable).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// A title to show instead of the feed's own.
    #[arg(long)]
    pub title: Option<String>,
    /// Fetch each new item's web page and keep the article's full text
    /// (the feed's teaser stays when extraction fails).
    #[arg(long)]
    pub full_text: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Feed URL or id (see `svodka feeds`).
    #[arg(value_name = "URL|ID")]
    pub feed: String,
}

#[derive(Debug, Args)]
pub struct FeedsArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write OPML 2.0 to stdout (the only format for now).
    #[arg(long, required = true)]
    pub opml: bool,
}

pub fn add(edge: &Edge, a: &AddArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let url = url::Url::parse(a.url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| anyhow!("{:?} is not an http(s) URL", a.url))?;
    let mut store = edge.open_store()?;
    let (id, new) = store.add_feed(url.as_str(), a.title.as_deref(), &a.tags)?;
    if a.full_text {
        store.set_full_text(id, true, time::OffsetDateTime::now_utc())?;
    }
    let verb = if new { "subscribed" } else { "already subscribed" };
    let full = if a.full_text { " (full text)" } else { "" };
    writeln!(out, "{verb}: #{id} {url}{full}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn remove(edge: &Edge, a: &RemoveArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let mut store = edge.open_store()?;
    let feed = store.find_feed(&a.feed)?;
    store.remove_feed(feed.id)?;
    writeln!(out, "unsubscribed: #{} {} ({} articles kept)", feed.id, sanitize(&feed.url), feed.article_count)?;
    Ok(ExitCode::SUCCESS)
}

pub fn list(edge: &Edge, a: &FeedsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let feeds = edge.open_store()?.feeds()?;
    if a.json {
        super::print_json(out, &feeds)?;
    } else {
        print_feeds(out, &feeds)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn export(edge: &Edge, _: &ExportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let subs: Vec<_> = edge
        .open_store()?
        .feeds()?
        .into_iter()
        // Titles and URLs came from servers and files: the OPML carries no
        // escape sequence or control (most are not even valid XML 1.0).
        .map(|f| crate::ingest::opml::Subscription {
            url: sanitize(&f.url),
            title: f.title.as_deref().map(sanitize),
            tags: f.tags.iter().map(|t| sanitize(t)).collect(),
        })
        .collect();
    out.write_all(crate::ingest::opml::write_opml(&subs).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn print_feeds(out: &mut dyn Write, feeds: &[crate::store::feeds::Feed]) -> Result<()> {
    let id_w = feeds.iter().map(|f| f.id.to_string().len()).max().unwrap_or(1);
    for f in feeds {
        let title = sanitize(f.title.as_deref().unwrap_or(""));
        let counts = format!("{}/{}", f.unread_count, f.article_count);
        let tags = if f.tags.is_empty() { String::new() } else { format!(" [{}]", f.tags.join(", ")) };
        // URLs and tags come from OPML files and servers: untrusted too.
        let (url, tags) = (sanitize(&f.url), sanitize(&tags));
        let state = match (&f.last_error, f.gone, &f.last_fetch) {
            (_, true, _) => "gone".to_string(),
            (Some(e), _, _) => format!("error: {}", sanitize(e)),
            (None, _, Some(t)) => format!("fetched {t}"),
            (None, _, None) => "never fetched".to_string(),
        };
        writeln!(out, "{:>id_w$} {:>9} {} {}{}  ({})", f.id, counts, pad(&title, 30), url, tags, state)?;
    }
    Ok(())
}
