//! `svodka show`: one article, as JSON or as text with the reading pane's
//! meta line (same language and date format as the pane).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;
use crate::i18n::Lang;
use crate::model::Article;
use crate::text::sanitize;
use crate::text::width::{display_width, pad};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (see `svodka list`).
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(edge: &Edge, a: &ShowArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let article = edge.open_store_for_reading()?.article(a.id)?;
    if a.json {
        super::print_json(out, &show_json(&article))?;
    } else {
        print_article(edge, out, &article)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show_json(a: &Article) -> serde_json::Value {
    let s = &a.summary;
    serde_json::json!({
        "id": s.id,
        "title": s.title,
        "site": s.site,
        "url": s.url,
        "published": s.published,
        "views": s.views,
        "read": s.read,
        "starred": s.starred,
        "captured": a.captured,
        "photo_credit": a.photo_credit,
        "author": a.author,
        "paragraphs": a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
        "trending": a.trending,
        "links": a.links,
        "extracted": a.extracted.map(|t| crate::model::Stamp::DateTime(t).to_iso()),
    })
}

/// Title, meta line, one line per paragraph (scripts grep these), then the
/// page's «В тренде» block.
fn print_article(edge: &Edge, out: &mut dyn Write, a: &Article) -> Result<()> {
    let lang = edge.cfg.lang;
    writeln!(out, "{}", sanitize(&a.summary.title))?;
    let meta = crate::reader::document::meta_line(a, lang, edge.cfg.date_format, edge.cfg.timezone);
    if !meta.is_empty() {
        writeln!(out, "{}", sanitize(&meta))?;
    }
    for b in &a.blocks {
        writeln!(out)?;
        writeln!(out, "{}", sanitize(&b.text))?;
    }
    if !a.trending.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", if lang == Lang::Ru { "В тренде:" } else { "Trending:" })?;
        let w = a.trending.iter().map(|t| display_width(&t.topic)).max().unwrap_or(0).min(30);
        for t in &a.trending {
            writeln!(out, "  {}  {}", pad(&sanitize(&t.topic), w), sanitize(&t.headline))?;
        }
    }
    Ok(())
}
