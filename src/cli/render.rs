//! `svodka render`: the exact lines the reading pane shows, in the pane's
//! settings from config.toml (language, date format, `max_width`, justify,
//! hyphenate); the flags can only add justification or take hyphenation away.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::Args;

use super::Edge;
use crate::config::Config;
use crate::text::Document;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Article id, or `-` to read a plain-text article from stdin (first line
    /// the title, then paragraphs separated by blank lines).
    pub id: String,
    /// Pane width in terminal columns (the text is at most `max_width` wide,
    /// as in the reader).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: u16,
    /// Justify full lines (never a paragraph's last line).
    #[arg(long)]
    pub justify: bool,
    /// Do not hyphenate words.
    #[arg(long)]
    pub no_hyphenate: bool,
}

pub fn run(edge: &Edge, a: &RenderArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let cfg = Config {
        justify: edge.cfg.justify || a.justify,
        hyphenate: edge.cfg.hyphenate && !a.no_hyphenate,
        ..edge.cfg.clone()
    };
    let doc = document(edge, &a.id, &cfg)?;
    for line in crate::reader::document::pane_lines(&doc, a.width, &cfg) {
        writeln!(out, "{}", line.text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The archived article `id` as the pane shows it, or a plain-text one on stdin.
fn document(edge: &Edge, id: &str, cfg: &Config) -> Result<Document> {
    if id == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).context("reading stdin")?;
        let text = crate::text::decode::decode(&buf, None).map_err(|e| anyhow!("stdin: {e}"))?.text;
        return Ok(crate::reader::document::document_from_text(&text));
    }
    let id: i64 = id.parse().map_err(|_| anyhow!("{id:?} is not an article id (or - for stdin)"))?;
    let article = edge.open_store_for_reading()?.article(id)?;
    Ok(crate::reader::document::pane_document(&article, cfg))
}
