//! What the reading pane shows for an article, shared by `svodka render` and
//! the TUI so both print exactly the same lines.

use crate::i18n::{self, Lang};
use crate::model::Article;
use crate::text::Document;

/// The meta line: site · date · views · photo credit · author, and «полный
/// текст с сайта · time» for extracted text (parts that are unknown are left
/// out, never invented).
pub fn meta_line(a: &Article, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(site) = &a.summary.site {
        parts.push(site.clone());
    }
    if let Some(p) = &a.summary.published {
        parts.push(i18n::date_long(p, lang));
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

/// The document the text engine lays out for an archived article.
pub fn document(a: &Article, lang: Lang) -> Document {
    Document {
        title: a.summary.title.clone(),
        meta: meta_line(a, lang),
        blocks: a.blocks.clone(),
        links: a.links.clone(),
    }
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
