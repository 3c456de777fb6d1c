//! Lays an article out into lines for a pane width.
//!
//! PLACEHOLDER: a naive wrapper so the rest of the app can be built against
//! the interface; the text-engine issue replaces the algorithm.

use crate::model::{Block, Link};

/// What the engine lays out: the article as the reading pane shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    /// The meta line (site · date · views · photo credit), already composed.
    pub meta: String,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Pane width in terminal columns (≥ 1).
    pub width: usize,
    pub justify: bool,
    pub hyphenate: bool,
}

impl LayoutOptions {
    pub fn new(width: usize) -> LayoutOptions {
        LayoutOptions { width: width.max(1), justify: false, hyphenate: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    Title,
    Meta,
    Body,
    Heading,
    Quote,
    ListItem,
    Preformatted,
    Link,
    Blank,
}

/// One laid-out line: plain text no wider than the width, plus its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub style: LineStyle,
}

/// Lays out a whole document.
pub fn layout_document(doc: &Document, opts: &LayoutOptions) -> Vec<Line> {
    let mut out = Vec::new();
    let push_para = |text: &str, style: LineStyle, out: &mut Vec<Line>| {
        for l in naive_wrap(&super::sanitize(text), opts.width) {
            out.push(Line { text: l, style });
        }
    };
    push_para(&doc.title, LineStyle::Title, &mut out);
    if !doc.meta.is_empty() {
        push_para(&doc.meta, LineStyle::Meta, &mut out);
    }
    for b in &doc.blocks {
        out.push(Line { text: String::new(), style: LineStyle::Blank });
        push_para(&b.text, LineStyle::Body, &mut out);
    }
    out
}

fn naive_wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cur_w = cur.chars().count();
        let w = word.chars().count();
        if cur_w > 0 && cur_w + 1 + w > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}
