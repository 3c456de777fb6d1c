//! `svodka trending`: computed trends and the sites' «В тренде» topics.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;
use crate::model::TrendingEntry;
use crate::search::trending::{Options, Topic};
use crate::text::sanitize;
use crate::text::width::{display_width, pad};

#[derive(Debug, Args)]
pub struct TrendingArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    /// At most N entries (of each kind: computed and site).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    /// The recent window for computed trends: 24h, 7d, 2w... It ends at the
    /// newest article (or now, if that is earlier).
    #[arg(long, value_name = "WINDOW", default_value = "24h", value_parser = crate::search::trending::parse_window)]
    pub window: i64,
    /// Only what these sites tell (case-insensitive, anywhere in the site's
    /// name, as `list --site`): computed trends from their articles and
    /// their own «В тренде» topics.
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
}

pub fn run(edge: &Edge, a: &TrendingArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = edge.open_store_for_reading()?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let opts = Options { window: a.window, now, limit: a.limit, site: a.site.as_deref() };
    let computed = crate::search::trending::computed_with(&store, &opts)?;
    let mut rows = store.trending(if a.site.is_some() { 100_000 } else { a.limit })?;
    if let Some(site) = a.site.as_deref().map(crate::model::fold_key) {
        rows.retain(|r| r.site.as_deref().is_some_and(|s| crate::model::fold_key(s).contains(&site)));
        rows.truncate(a.limit);
    }
    if rows.is_empty() && computed.is_empty() {
        edge.say_if_empty(&store)?;
    }
    if a.json {
        print_json(out, &computed, &rows)?;
    } else {
        print_human(out, &computed, &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One array, each entry tagged with its `source`.
fn print_json(out: &mut dyn Write, computed: &[Topic], rows: &[TrendingEntry]) -> Result<()> {
    let mut all: Vec<serde_json::Value> = Vec::with_capacity(computed.len() + rows.len());
    for t in computed {
        let mut v = serde_json::to_value(t)?;
        v["source"] = "computed".into();
        all.push(v);
    }
    for r in rows {
        let mut v = serde_json::to_value(r)?;
        v["source"] = "site".into();
        all.push(v);
    }
    super::print_json(out, &all)
}

fn print_human(out: &mut dyn Write, computed: &[Topic], rows: &[TrendingEntry]) -> Result<()> {
    let w = computed
        .iter()
        .map(|t| display_width(&t.topic))
        .chain(rows.iter().map(|r| display_width(&r.topic)))
        .max()
        .unwrap_or(0)
        .min(30);
    for t in computed {
        let n = t.articles;
        writeln!(out, "{}  {n:>4}  {}  #{}", pad(&sanitize(&t.topic), w), sanitize(&t.headline), t.article_id)?;
    }
    if !computed.is_empty() && !rows.is_empty() {
        writeln!(out)?;
    }
    for r in rows {
        let id = r.article_id.map(|i| format!("#{i}")).unwrap_or_default();
        writeln!(out, "{}  {}  {}", pad(&sanitize(&r.topic), w), sanitize(&r.headline), id)?;
    }
    Ok(())
}
