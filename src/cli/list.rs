//! `svodka list`: headlines, newest first (also what `svodka` prints when
//! stdout is not a terminal).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;
use crate::model::ArticleSummary;
use crate::store::ListQuery;
use crate::text::sanitize;
use crate::text::width::{display_width, pad};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    /// At most N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only unread articles.
    #[arg(long)]
    pub unread: bool,
    /// Only starred articles.
    #[arg(long)]
    pub starred: bool,
    /// Only articles from this site.
    #[arg(long, value_name = "S")]
    pub site: Option<String>,
}

pub fn run(edge: &Edge, a: ListArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let q = ListQuery {
        limit: a.limit.unwrap_or(usize::MAX),
        unread_only: a.unread,
        starred_only: a.starred,
        site: a.site,
        ..ListQuery::default()
    };
    let store = edge.open_store_for_reading()?;
    let rows = store.list(&q)?;
    if rows.is_empty() {
        edge.say_if_empty(&store)?;
    }
    if a.json {
        super::print_json(out, &rows)?;
    } else {
        print_list(edge, out, &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per headline: id, flags (`N` unread, `*` starred), date, site, title.
pub(super) fn print_list(edge: &Edge, out: &mut dyn Write, rows: &[ArticleSummary]) -> Result<()> {
    let id_w = rows.iter().map(|r| r.id.to_string().len()).max().unwrap_or(1);
    let site_w = rows.iter().map(|r| r.site.as_deref().map(display_width).unwrap_or(0)).max().unwrap_or(0).min(20);
    for r in rows {
        let flags = format!("{}{}", if r.read { ' ' } else { 'N' }, if r.starred { '*' } else { ' ' });
        writeln!(
            out,
            "{:>id_w$} {} {} {} {}",
            r.id,
            flags,
            edge.column_date(r.published.as_ref()),
            pad(&sanitize(r.site.as_deref().unwrap_or("")), site_w),
            sanitize(&r.title)
        )?;
    }
    Ok(())
}
