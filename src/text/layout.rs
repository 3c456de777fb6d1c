//! Lays an article out into lines for a pane width.
//!
//! Layout happens in two steps so that a resize is cheap: [`PreparedDocument`]
//! sanitises the text and finds graphemes, widths and break opportunities once
//! (independent of the width); [`PreparedDocument::layout`] then only fills
//! lines. [`LayoutCache`] keeps both for recently shown articles.

use std::collections::VecDeque;
use std::sync::Arc;

use unicode_segmentation::UnicodeSegmentation;

use super::sanitize::{Keep, clean};
use super::width::{PLACEHOLDER, display_width, grapheme_width};
use super::wrap::{LineEnd, Paragraph, WrapLine};
use crate::model::{Block, BlockKind, Link};

/// What the engine lays out: the article as the reading pane shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    /// The meta line (site · date · views · photo credit), already composed.
    pub meta: String,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// Pane width in terminal columns (≥ 1).
    pub width: usize,
    pub justify: bool,
    /// Dictionary hyphenation of Russian words. Soft hyphens in the text are
    /// the author's own break points and are honoured either way.
    pub hyphenate: bool,
}

impl LayoutOptions {
    pub fn new(width: usize) -> LayoutOptions {
        LayoutOptions { width: width.max(1), justify: false, hyphenate: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    PreparedDocument::new(doc).layout(opts)
}

/// Bullet and hanging indent of list items; bar of quotes.
const BULLET: &str = "• ";
const HANG: &str = "  ";
const QUOTE_BAR: &str = "│ ";
const TAB_STOP: usize = 8;

#[derive(Debug, Clone)]
enum Item {
    Blank,
    Flow {
        style: LineStyle,
        /// Prefix of the first line and of the others (same width).
        first: &'static str,
        rest: &'static str,
        justify: bool,
        hyphenate: bool,
        /// Hard line breaks inside the block separate these.
        paras: Vec<Paragraph>,
    },
    Pre(Vec<String>),
}

/// A document with all width-independent work done.
#[derive(Debug, Clone, Default)]
pub struct PreparedDocument {
    items: Vec<Item>,
}

const LAYOUT_KEEP: Keep = Keep { hints: true, newlines: true, tabs: false };

fn paras(text: &str) -> Vec<Paragraph> {
    clean(text, LAYOUT_KEEP).split('\n').map(Paragraph::new).filter(|p| !p.is_empty()).collect()
}

fn flow(style: LineStyle, text: &str, justify: bool) -> Option<Item> {
    let (first, rest) = match style {
        LineStyle::ListItem => (BULLET, HANG),
        LineStyle::Quote => (QUOTE_BAR, QUOTE_BAR),
        _ => ("", ""),
    };
    let hyphenate = style != LineStyle::Link;
    let paras = paras(text);
    (!paras.is_empty()).then_some(Item::Flow { style, first, rest, justify, hyphenate, paras })
}

/// Preformatted text: sanitised, tabs expanded to 8-column stops, trailing
/// blanks and surrounding empty lines dropped.
fn pre_lines(text: &str) -> Vec<String> {
    let cleaned = clean(text, Keep { hints: false, newlines: true, tabs: true });
    let mut lines: Vec<String> = cleaned
        .split('\n')
        .map(|l| {
            let mut out = String::with_capacity(l.len());
            let mut col = 0;
            for g in l.graphemes(true) {
                if g == "\t" {
                    let n = TAB_STOP - col % TAB_STOP;
                    out.extend(std::iter::repeat_n(' ', n));
                    col += n;
                } else {
                    out.push_str(g);
                    col += grapheme_width(g);
                }
            }
            out.truncate(out.trim_end().len());
            out
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let lead = lines.iter().take_while(|l| l.is_empty()).count();
    lines.drain(..lead);
    lines
}

impl PreparedDocument {
    pub fn new(doc: &Document) -> PreparedDocument {
        let mut items = Vec::new();
        items.extend(flow(LineStyle::Title, &doc.title, false));
        items.extend(flow(LineStyle::Meta, &doc.meta, false));
        let mut prev_list = false;
        for b in &doc.blocks {
            let item = match b.kind {
                BlockKind::Paragraph | BlockKind::Image => flow(LineStyle::Body, &b.text, true),
                BlockKind::Heading => flow(LineStyle::Heading, &b.text, false),
                BlockKind::Quote => flow(LineStyle::Quote, &b.text, true),
                BlockKind::ListItem => flow(LineStyle::ListItem, &b.text, true),
                BlockKind::Preformatted => Some(pre_lines(&b.text)).filter(|l| !l.is_empty()).map(Item::Pre),
            };
            let Some(item) = item else { continue };
            let list = b.kind == BlockKind::ListItem;
            // Consecutive list items form one list: no blank line between them.
            let same_list = list && prev_list;
            if !items.is_empty() && !same_list {
                items.push(Item::Blank);
            }
            prev_list = list;
            items.push(item);
        }
        let mut first_link = true;
        for (n, l) in doc.links.iter().enumerate() {
            let Some(item) = flow(LineStyle::Link, &format!("[{}]: {}", n + 1, l.url), false) else { continue };
            if first_link && !items.is_empty() {
                items.push(Item::Blank);
            }
            first_link = false;
            items.push(item);
        }
        PreparedDocument { items }
    }

    /// Fills every block at `opts.width`.
    pub fn layout(&self, opts: &LayoutOptions) -> Vec<Line> {
        let width = opts.width.max(1);
        let mut out = Vec::new();
        for item in &self.items {
            match item {
                Item::Blank => out.push(Line { text: String::new(), style: LineStyle::Blank }),
                Item::Pre(lines) => {
                    for l in lines {
                        cut_pre(l, width, &mut out);
                    }
                }
                Item::Flow { style, first, rest, justify, hyphenate, paras } => {
                    let pw = display_width(first);
                    // Too narrow for a prefix and a wide character: the text gets the whole pane.
                    let (first, rest, inner) =
                        if width >= pw + 2 { (*first, *rest, width - pw) } else { ("", "", width) };
                    let mut is_first = true;
                    for p in paras {
                        for wl in p.wrap(inner, opts.hyphenate && *hyphenate) {
                            let text = if opts.justify && *justify { justify_line(&wl, inner) } else { wl.text };
                            let prefix = if is_first { first } else { rest };
                            is_first = false;
                            let text = if prefix.is_empty() { text } else { format!("{prefix}{text}") };
                            out.push(Line { text, style: *style });
                        }
                    }
                }
            }
        }
        out
    }
}

/// A preformatted line is never re-wrapped; a line wider than the pane
/// continues on the next one, cut at a grapheme boundary.
fn cut_pre(line: &str, width: usize, out: &mut Vec<Line>) {
    let mut cur = String::new();
    let mut w = 0;
    for g in line.graphemes(true) {
        let gw = grapheme_width(g);
        if w + gw > width && w > 0 {
            out.push(Line { text: std::mem::take(&mut cur), style: LineStyle::Preformatted });
            w = 0;
        }
        if gw > width {
            out.push(Line { text: PLACEHOLDER.to_string(), style: LineStyle::Preformatted });
            continue;
        }
        cur.push_str(g);
        w += gw;
    }
    if w > 0 || !cur.is_empty() || line.is_empty() {
        out.push(Line { text: cur, style: LineStyle::Preformatted });
    }
}

/// Widens the inter-word spaces of a line to fill `width`. A paragraph's last
/// line (and one without spaces) stays as it is.
fn justify_line(l: &WrapLine, width: usize) -> String {
    let gaps = l.text.matches(' ').count();
    if l.end == LineEnd::End || gaps == 0 || l.width >= width {
        return l.text.clone();
    }
    let extra = width - l.width;
    let (each, rem) = (extra / gaps, extra % gaps);
    let mut out = String::with_capacity(l.text.len() + extra);
    let mut k = 0;
    for c in l.text.chars() {
        out.push(c);
        if c == ' ' {
            // The remainder goes to the rightmost gaps.
            let n = each + usize::from(k >= gaps - rem);
            out.extend(std::iter::repeat_n(' ', n));
            k += 1;
        }
    }
    out
}

/// Key of a cached layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub article: i64,
    pub opts: LayoutOptions,
}

/// Recently laid-out articles, keyed by (article id, width, options).
///
/// Holds the width-independent preparation of the last few articles too, so
/// that a resize re-fills lines without re-segmenting the text. The caller
/// identifies content by article id: call [`LayoutCache::invalidate`] when an
/// article's text changes.
#[derive(Debug, Clone)]
pub struct LayoutCache {
    capacity: usize,
    /// Most recently used last.
    layouts: VecDeque<(CacheKey, Arc<[Line]>)>,
    prepared: VecDeque<(i64, Arc<PreparedDocument>)>,
}

/// Two caches are equal when they hold the same layouts (the prepared
/// documents are derived from the same articles).
impl PartialEq for LayoutCache {
    fn eq(&self, other: &LayoutCache) -> bool {
        self.capacity == other.capacity && self.layouts == other.layouts
    }
}

impl Default for LayoutCache {
    fn default() -> Self {
        LayoutCache::new(16)
    }
}

impl LayoutCache {
    /// A cache holding at most `capacity` layouts (and as many prepared articles).
    pub fn new(capacity: usize) -> LayoutCache {
        LayoutCache { capacity: capacity.max(1), layouts: VecDeque::new(), prepared: VecDeque::new() }
    }

    /// The lines of `doc` (article `article`) at `opts`, laid out now or reused.
    pub fn get_or_layout(&mut self, article: i64, doc: &Document, opts: &LayoutOptions) -> Arc<[Line]> {
        let key = CacheKey { article, opts: LayoutOptions { width: opts.width.max(1), ..*opts } };
        if let Some(pos) = self.layouts.iter().position(|(k, _)| *k == key) {
            let hit = self.layouts.remove(pos).map(|(_, v)| v).unwrap_or_default();
            self.layouts.push_back((key, hit.clone()));
            return hit;
        }
        let prepared = match self.prepared.iter().position(|(id, _)| *id == article) {
            Some(pos) => self.prepared.remove(pos).map(|(_, p)| p).unwrap_or_default(),
            None => Arc::new(PreparedDocument::new(doc)),
        };
        let lines: Arc<[Line]> = prepared.layout(&key.opts).into();
        self.prepared.push_back((article, prepared));
        self.layouts.push_back((key, lines.clone()));
        while self.prepared.len() > self.capacity {
            self.prepared.pop_front();
        }
        while self.layouts.len() > self.capacity {
            self.layouts.pop_front();
        }
        lines
    }

    /// Forgets everything cached for `article`.
    pub fn invalidate(&mut self, article: i64) {
        self.layouts.retain(|(k, _)| k.article != article);
        self.prepared.retain(|(id, _)| *id != article);
    }

    pub fn clear(&mut self) {
        self.layouts.clear();
        self.prepared.clear();
    }

    /// Number of cached layouts.
    pub fn len(&self) -> usize {
        self.layouts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layouts.is_empty()
    }
}
