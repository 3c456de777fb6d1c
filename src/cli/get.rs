//! `svodka get`: read it later — one web page into the archive, extracted,
//! without subscribing.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Page URL (http or https).
    pub url: String,
    /// Whole-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Print {id, status, title, site, url} as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(edge: &Edge, a: &GetArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let rules = crate::extract::Rules::load_beside(edge.config_path())?;
    let mut store = edge.open_store()?;
    let opts =
        crate::ingest::fetch::FetchOptions { timeout: std::time::Duration::from_secs(a.timeout), ..Default::default() };
    let r = crate::extract::page::get(&mut store, &a.url, &opts, &rules)?;
    let article = store.article(r.id())?;
    let status = if matches!(r, crate::store::Upsert::Added(_)) { "added" } else { "updated" };
    if a.json {
        let v = serde_json::json!({
            "id": r.id(), "status": status, "title": article.summary.title,
            "site": article.summary.site, "url": article.summary.url,
        });
        super::print_json(out, &v)?;
    } else {
        let title = crate::text::sanitize(&article.summary.title);
        writeln!(out, "{status}: #{} {title} ({} blocks)", r.id(), article.blocks.len())?;
    }
    Ok(ExitCode::SUCCESS)
}
