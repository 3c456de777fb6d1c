//! `svodka search` and `svodka reindex`: the full-text index, queried and
//! rebuilt.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::Edge;
use crate::text::sanitize;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces; quote it, or put it
    /// after `--`, when it starts with a -exclusion).
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Print a JSON array of {id, title, site, published, score, snippet}.
    #[arg(long)]
    pub json: bool,
    /// At most N results.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Do not rebuild: check the index thoroughly against the articles (FTS5
    /// integrity check, every article probed); exit 1 if they differ.
    #[arg(long)]
    pub check: bool,
}

pub fn search(edge: &Edge, a: &SearchArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = edge.open_store_for_reading()?;
    let hits = crate::search::search(&store, &a.query.join(" "), a.limit)?;
    if hits.is_empty() {
        edge.say_if_empty(&store)?;
    }
    if a.json {
        super::print_json(out, &hits)?;
    } else {
        print_hits(edge, out, &hits)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Exits 1 when the index and the articles differ.
pub fn reindex(edge: &Edge, a: &ReindexArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let mut store = edge.open_store()?;
    if !a.check {
        let n = store.reindex().context("reindexing")?;
        writeln!(out, "indexed {n} articles")?;
    }
    let c = store.check_index(a.check).context("checking the index")?;
    write!(
        out,
        "articles {}, indexed {}, missing {}, orphans {}",
        c.articles,
        c.indexed,
        c.missing.len(),
        c.orphans.len()
    )?;
    if a.check {
        write!(out, ", stale {}", c.stale.len())?;
    }
    writeln!(out)?;
    Ok(if c.is_consistent() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Id, date, title and site; the snippet under it.
fn print_hits(edge: &Edge, out: &mut dyn Write, hits: &[crate::search::Hit]) -> Result<()> {
    let id_w = hits.iter().map(|h| h.id.to_string().len()).max().unwrap_or(1);
    for h in hits {
        let site = h.site.as_deref().map(sanitize).unwrap_or_default();
        writeln!(out, "{:>id_w$} {} {}  {}", h.id, edge.column_date(h.published.as_ref()), sanitize(&h.title), site)?;
        if !h.snippet.is_empty() {
            writeln!(out, "{:id_w$} {}", "", sanitize(&h.snippet))?;
        }
    }
    Ok(())
}
