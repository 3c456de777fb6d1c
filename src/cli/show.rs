//! `svodka show`: one article, as JSON or as text with the reading pane's
//! meta line (same language and date format as the pane).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;
use crate::i18n::Lang;
use crate::model::{Article, Block, BlockKind};
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
        "paragraphs": a.blocks.iter().filter(|b| b.kind != BlockKind::Image && !b.text.is_empty())
            .map(|b| b.text.as_str()).collect::<Vec<_>>(),
        "blocks": blocks_json(&a.blocks),
        "trending": a.trending,
        "links": a.links,
        "extracted": a.extracted.map(|t| crate::model::Stamp::DateTime(t).to_iso()),
    })
}

/// The typed body (README, "show --json"): one object per block, the
/// consecutive items of one list as one `list`. Link ranges are counted in
/// characters (code points), which every JSON reader can slice by.
pub fn blocks_json(blocks: &[Block]) -> serde_json::Value {
    let mut out: Vec<serde_json::Value> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        let v = match b.kind {
            BlockKind::ListItem => {
                let n = blocks[i..].iter().take_while(|x| x.kind == BlockKind::ListItem && x.list == b.list).count();
                let items: Vec<_> = blocks[i..i + n].iter().map(inline).collect();
                i += n;
                let ordered = b.list.is_some_and(|l| l.ordered);
                out.push(serde_json::json!({"type": "list", "ordered": ordered, "items": items}));
                continue;
            }
            BlockKind::Image => {
                let img = b.image.clone().unwrap_or_default();
                serde_json::json!({
                    "type": "image", "src": img.src, "alt": img.alt, "caption": img.caption,
                    "link": b.links.first().map(|l| l.link),
                })
            }
            BlockKind::Heading => {
                let mut v = inline(b);
                v["level"] = serde_json::json!((b.level > 0).then_some(b.level));
                tagged("heading", v)
            }
            kind => tagged(kind.as_str(), inline(b)),
        };
        out.push(v);
        i += 1;
    }
    serde_json::Value::Array(out)
}

/// `{"text", "links": [{"start", "end", "link"}]}` with character offsets.
fn inline(b: &Block) -> serde_json::Value {
    let chars = |byte: usize| b.text.get(..byte).map_or(0, |s| s.chars().count());
    let links: Vec<_> = b
        .links
        .iter()
        .map(|l| serde_json::json!({"start": chars(l.start), "end": chars(l.end), "link": l.link}))
        .collect();
    serde_json::json!({"text": b.text, "links": links})
}

/// `{"type": kind, ...v}` with the type first.
fn tagged(kind: &str, v: serde_json::Value) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("type".into(), kind.into());
    if let serde_json::Value::Object(rest) = v {
        m.extend(rest);
    }
    serde_json::Value::Object(m)
}

/// Title, meta line, one line per block as the reading pane words it (link
/// numbers, image placeholders; scripts grep these), then the page's «В
/// тренде» block.
fn print_article(edge: &Edge, out: &mut dyn Write, a: &Article) -> Result<()> {
    let lang = edge.cfg.lang;
    writeln!(out, "{}", sanitize(&a.summary.title))?;
    let meta = crate::reader::document::meta_line(a, lang, edge.cfg.date_format, edge.cfg.timezone);
    if !meta.is_empty() {
        writeln!(out, "{}", sanitize(&meta))?;
    }
    for b in crate::reader::document::pane_blocks(&a.blocks, lang) {
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
