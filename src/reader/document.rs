//! What the reading pane shows for an article, shared by `svodka render`,
//! `svodka show` and the TUI so they print exactly the same lines in the same
//! settings (language, date format, width cap, justification, hyphenation).

use super::settings::{DateFormat, Settings};
use crate::i18n::{self, Lang};
use crate::model::{Article, Block, BlockKind, Stamp};
use crate::text::{Document, LayoutOptions, Line};

/// The meta line: site · date · views · photo credit · author, and «полный
/// текст с сайта · time» for extracted text (parts that are unknown are left
/// out, never invented). Times are shown in `tz`, the user's zone.
pub fn meta_line(a: &Article, lang: Lang, dates: DateFormat, tz: time::UtcOffset) -> String {
    let mut parts = Vec::new();
    if let Some(site) = &a.summary.site {
        parts.push(site.clone());
    }
    if let Some(p) = &a.summary.published {
        parts.push(date(p, lang, dates, tz));
    }
    if let Some(v) = a.summary.views {
        parts.push(i18n::views(v, lang));
    }
    if let Some(c) = &a.photo_credit {
        parts.push(i18n::photo(c, lang));
    }
    if let Some(au) = &a.author {
        parts.push(au.clone());
    }
    // Text fetched from the article's page, not the feed's teaser: say so.
    if let Some(mark) = crate::extract::marker(a, lang) {
        parts.push(mark);
    }
    parts.join(" · ")
}

/// An article's date in the pane: `14 августа 2001, 14:05`, or with
/// `date_format = "iso"` `2001-08-14 14:05`.
fn date(p: &Stamp, lang: Lang, dates: DateFormat, tz: time::UtcOffset) -> String {
    let p = &i18n::in_zone(*p, tz);
    match (dates, p) {
        (DateFormat::Short, _) => i18n::date_long(p, lang),
        (DateFormat::Iso, Stamp::Date(d)) => d.to_string(),
        (DateFormat::Iso, Stamp::DateTime(t)) => format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute()),
    }
}

/// The document the reading pane lays out for an archived article.
pub fn pane_document(a: &Article, cfg: &Settings) -> Document {
    build(a, cfg.lang, cfg.date_format, cfg.timezone)
}

/// [`pane_document`] in `lang` with the default date format.
pub fn document(a: &Article, lang: Lang) -> Document {
    build(a, lang, DateFormat::Short, i18n::local_offset())
}

fn build(a: &Article, lang: Lang, dates: DateFormat, tz: time::UtcOffset) -> Document {
    Document {
        title: a.summary.title.clone(),
        meta: meta_line(a, lang, dates, tz),
        blocks: pane_blocks(&a.blocks, lang),
        links: a.links.clone(),
    }
}

/// The blocks as the pane shows them: each link's number «[n]» right after
/// its text (newsboat style, the list of addresses below the article) and
/// each image as a placeholder in the interface language. The archive keeps
/// neither in the text.
pub fn pane_blocks(blocks: &[Block], lang: Lang) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| {
            let mut text = match (&b.image, b.kind) {
                (Some(img), BlockKind::Image) => i18n::image(img.alt.as_deref(), img.caption.as_deref(), lang),
                (None, BlockKind::Image) => i18n::image(None, None, lang),
                _ => String::with_capacity(b.text.len() + 4 * b.links.len()),
            };
            let mut ends: Vec<(usize, usize)> = b.links.iter().map(|l| (l.end, l.link)).collect();
            ends.sort_by_key(|&(end, _)| end);
            let mut from = 0;
            for (end, n) in ends {
                if b.kind != BlockKind::Image {
                    let end = end.clamp(from, b.text.len());
                    text.push_str(b.text.get(from..end).unwrap_or(""));
                    from = end;
                }
                text.push_str(&format!("[{n}]"));
            }
            if b.kind != BlockKind::Image {
                text.push_str(b.text.get(from..).unwrap_or(""));
            }
            Block::new(b.kind, text)
        })
        .collect()
}

/// The text column for `available` columns: capped at `max_width` (0: no cap).
pub fn text_width(available: u16, max_width: u16) -> u16 {
    if max_width > 0 { available.min(max_width) } else { available }
}

/// How the pane lays out text `width` columns wide.
pub fn layout_options(width: u16, cfg: &Settings) -> LayoutOptions {
    LayoutOptions { width: width.max(1) as usize, justify: cfg.justify, hyphenate: cfg.hyphenate }
}

/// The lines the pane shows for `doc` when `available` columns are free for
/// text (what `svodka render` prints; the TUI caches the same layout).
pub fn pane_lines(doc: &Document, available: u16, cfg: &Settings) -> Vec<Line> {
    crate::text::layout_document(doc, &layout_options(text_width(available, cfg.max_width), cfg))
}

/// A plain-text article (`svodka render -`): the first line is the title,
/// then paragraphs separated by blank lines.
pub fn document_from_text(text: &str) -> Document {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text).replace("\r\n", "\n");
    let mut lines = text.split('\n');
    let title = lines.next().unwrap_or("").trim().to_string();
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    for line in lines.chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !para.is_empty() {
                blocks.push(crate::model::Block::paragraph(para.join(" ")));
                para.clear();
            }
        } else {
            para.push(line.trim());
        }
    }
    Document { title, meta: String::new(), blocks, links: Vec::new() }
}
