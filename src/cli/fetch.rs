//! `svodka fetch`: refresh subscriptions over HTTP, then the full text of
//! new items of full-text feeds, then optional retention.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Args;

use super::Edge;
use crate::ingest::fetch::{FetchEvent, FetchOptions, FetchOutcome};
use crate::text::sanitize;

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Feed URLs or ids; all subscriptions when none is given.
    #[arg(value_name = "URL|ID")]
    pub feeds: Vec<String>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Whole-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Print one JSON object per feed, then the summary.
    #[arg(long)]
    pub json: bool,
    /// Afterwards drop read, unstarred feed articles older than N days.
    #[arg(long, value_name = "N")]
    pub keep_days: Option<u32>,
    /// Afterwards keep at most N articles per feed (never starred or unread ones).
    #[arg(long, value_name = "N")]
    pub keep_per_feed: Option<u32>,
    /// Only the feeds that are due: never fetched, or fetched longer ago than
    /// their RSS <ttl> / Cache-Control max-age asks (at most a day).
    #[arg(long)]
    pub due: bool,
}

/// Exits 1 if any feed failed.
pub fn run(edge: &Edge, a: &FetchArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = edge.open_store()?;
    let mut ids = a.feeds.iter().map(|k| store.find_feed(k).map(|f| f.id)).collect::<Result<Vec<_>, _>>()?;
    if a.due {
        let due = crate::ingest::fetch::due_feeds(&store, time::OffsetDateTime::now_utc(), 0)?;
        ids = if ids.is_empty() { due } else { ids.into_iter().filter(|id| due.contains(id)).collect() };
        if ids.is_empty() {
            // An empty list would mean every subscription to the fetcher.
            if a.json {
                super::print_json_line(out, &crate::ingest::fetch::FetchSummary::default())?;
            } else {
                writeln!(out, "nothing due: every feed was fetched within its ttl / max-age")?;
            }
            return Ok(ExitCode::SUCCESS);
        }
    }
    let path = store.path().to_path_buf();
    drop(store);
    let opts = FetchOptions {
        concurrency: a.concurrency.into(),
        timeout: std::time::Duration::from_secs(a.timeout),
        ..Default::default()
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = {
        let opts = opts.clone();
        std::thread::spawn(move || crate::ingest::fetch::fetch_all(&path, &ids, &opts, tx))
    };
    for ev in rx {
        print_event(out, &ev, a.json)?;
    }
    let summary = worker.join().map_err(|_| anyhow!("the fetcher thread panicked"))??;
    full_text(edge, &opts, a.json, out)?;
    if a.keep_days.is_some() || a.keep_per_feed.is_some() {
        let mut store = edge.open_store()?;
        let n = store.apply_retention(a.keep_days, a.keep_per_feed, time::OffsetDateTime::now_utc())?;
        if !a.json {
            writeln!(out, "retention: {n} read articles dropped")?;
        }
    }
    Ok(if summary.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Then the pages of new items of full-text feeds.
fn full_text(edge: &Edge, opts: &FetchOptions, json: bool, out: &mut dyn Write) -> Result<()> {
    let rules = crate::extract::Rules::load_beside(edge.config_path())?;
    let full = crate::extract::page::fill_full_text(&edge.db_path()?, opts, &rules)?;
    if full.extracted + full.failed > 0 {
        if json {
            super::print_json_line(out, &serde_json::json!({ "full_text": full }))?;
        } else {
            writeln!(out, "full text: {} extracted, {} failed (teaser kept)", full.extracted, full.failed)?;
            for (id, why) in &full.errors {
                writeln!(out, "  #{id}: {}", sanitize(why))?;
            }
        }
    }
    Ok(())
}

fn print_event(out: &mut dyn Write, ev: &FetchEvent, json: bool) -> Result<()> {
    let clean = sanitize;
    match ev {
        FetchEvent::Finished { feed_id, url, outcome } if json => {
            let mut v = serde_json::to_value(outcome)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("feed_id".into(), (*feed_id).into());
                o.insert("url".into(), url.clone().into());
            }
            super::print_json_line(out, &v)?;
        }
        FetchEvent::Finished { feed_id, url, outcome } => match outcome {
            // Redirect targets and error texts come from servers: sanitised.
            FetchOutcome::Updated { added, updated, moved_to } => {
                let moved = moved_to.as_ref().map(|m| format!(" (moved to {})", clean(m))).unwrap_or_default();
                writeln!(out, "#{feed_id} {}: {added} new, {updated} updated{moved}", clean(url))?;
            }
            FetchOutcome::NotModified => writeln!(out, "#{feed_id} {}: not modified", clean(url))?,
            FetchOutcome::Failed { error, .. } => writeln!(out, "#{feed_id} {}: FAILED: {}", clean(url), clean(error))?,
        },
        FetchEvent::Done(s) if json => super::print_json_line(out, s)?,
        FetchEvent::Done(s) => writeln!(
            out,
            "{} feeds: {} updated, {} not modified, {} failed; {} new articles, {} updated",
            s.feeds, s.updated, s.not_modified, s.failed, s.articles_added, s.articles_updated
        )?,
        FetchEvent::Planned { .. } | FetchEvent::Started { .. } => {}
    }
    Ok(())
}
