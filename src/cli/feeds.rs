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
    /// Subscribe without fetching the feed once to check it.
    #[arg(long)]
    pub no_check: bool,
    /// Whole-request timeout of the check, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
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
    let checked = if a.no_check { None } else { Some(check(url.as_str(), a.timeout)?) };
    let url = checked.as_ref().map_or(url.to_string(), |c| c.url.clone());
    let (id, new) = store.add_feed(&url, a.title.as_deref(), &a.tags)?;
    if a.full_text {
        store.set_full_text(id, true, time::OffsetDateTime::now_utc())?;
    }
    let verb = if new { "subscribed" } else { "already subscribed" };
    let full = if a.full_text { " (full text)" } else { "" };
    let found = match &checked {
        Some(c) if c.url != a.url.trim() => format!(", {} items (the feed {} names)", c.items, sanitize(a.url.trim())),
        Some(c) => format!(", {} items", c.items),
        None => String::new(),
    };
    writeln!(out, "{verb}: #{id} {}{full}{found}", sanitize(&url))?;
    Ok(ExitCode::SUCCESS)
}

/// One fetch of the feed before subscribing; the reason when it is no feed.
fn check(url: &str, timeout: u64) -> Result<crate::ingest::fetch::Checked> {
    let opts =
        crate::ingest::fetch::FetchOptions { timeout: std::time::Duration::from_secs(timeout), ..Default::default() };
    crate::ingest::fetch::check_feed(url, &opts).map_err(|why| {
        anyhow!("{}: {}; not subscribed (--no-check subscribes anyway)", sanitize(url), sanitize(&why.to_string()))
    })
}

pub fn remove(edge: &Edge, a: &RemoveArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let mut store = edge.open_store()?;
    let feed = store.find_feed(&a.feed)?;
    store.remove_feed(feed.id)?;
    writeln!(out, "unsubscribed: #{} {} ({} articles kept)", feed.id, sanitize(&feed.url), feed.article_count)?;
    Ok(ExitCode::SUCCESS)
}

pub fn list(edge: &Edge, a: &FeedsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = edge.open_store_for_reading()?;
    let feeds = store.feeds()?;
    if feeds.is_empty() {
        edge.say_if_empty(&store)?;
    }
    if a.json {
        super::print_json(out, &feeds)?;
    } else {
        print_feeds(out, &feeds, edge.cfg.lang, edge.cfg.timezone)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn export(edge: &Edge, _: &ExportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let subs = crate::ingest::opml::from_feeds(&edge.open_store_for_reading()?.feeds()?);
    out.write_all(crate::ingest::opml::write_opml(&subs).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn print_feeds(
    out: &mut dyn Write,
    feeds: &[crate::store::feeds::Feed],
    lang: crate::i18n::Lang,
    tz: time::UtcOffset,
) -> Result<()> {
    let id_w = feeds.iter().map(|f| f.id.to_string().len()).max().unwrap_or(1);
    for f in feeds {
        let title = sanitize(f.title.as_deref().unwrap_or(""));
        let counts = crate::i18n::unread_of(f.unread_count, f.article_count, lang);
        let tags = if f.tags.is_empty() { String::new() } else { format!(" [{}]", f.tags.join(", ")) };
        // URLs and tags come from OPML files and servers: untrusted too.
        let (url, tags) = (sanitize(&f.url), sanitize(&tags));
        let state = match (&f.last_error, f.gone, &f.last_fetch) {
            (_, true, _) => "gone".to_string(),
            (Some(e), _, _) => format!("error: {}", sanitize(e)),
            (None, _, Some(t)) => format!("fetched {}", human_time(t, tz)),
            (None, _, None) => "never fetched".to_string(),
        };
        writeln!(out, "{:>id_w$} {} {} {}{}  ({})", f.id, pad(&counts, 26), pad(&title, 30), url, tags, state)?;
    }
    Ok(())
}

/// A stored fetch time as `2026-03-14 12:05 +05:00` in the user's zone (to
/// the minute, not the nanosecond); unparseable text as it is.
fn human_time(iso: &str, tz: time::UtcOffset) -> String {
    match crate::model::Stamp::parse_iso(iso) {
        Some(crate::model::Stamp::DateTime(t)) => {
            let t = t.to_offset(tz);
            let (h, m, _) = tz.as_hms();
            let zone = if tz.is_utc() { "UTC".to_string() } else { format!("{:+03}:{:02}", h, m.abs()) };
            format!("{} {:02}:{:02} {zone}", t.date(), t.hour(), t.minute())
        }
        _ => sanitize(iso),
    }
}
