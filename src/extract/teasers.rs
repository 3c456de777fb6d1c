//! Repeated structure inside the article Readability kept. Teaser runs after the article: «also in the news», «related», «more
//! from this author» lists that Readability keeps when they share the
//! article's container.
//!
//! They are found by repetition, not by words: at least [`MIN_RUN`]
//! consecutive siblings of the same DOM shape (element names of their
//! block skeleton), each a small card of several lines (section, author,
//! date, excerpt) with a thumbnail (or an excerpt cut short by «…») and a link, standing after the article's body with nothing but more
//! such runs after them. A list of plain items (a table of contents, the
//! steps of a recipe, footnotes) is one line per item and does not match;
//! a run in the middle of the text is part of the article. The short label
//! right before a run («ALSO IN THE NEWS») goes with it. Also here:
//! sibling blocks repeating one line or counting 1, 2, 3… (a gallery's
//! title per slide, its pager), see [`repeated_siblings`].

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

/// A run has at least this many cards.
const MIN_RUN: usize = 3;

/// A card holds at most this many characters of text (an excerpt, not a section).
const MAX_CARD: usize = 400;

/// A card holds at least this many lines (title or section, date, excerpt…).
const MIN_LINES: usize = 2;

/// The article must hold at least this much text before a run.
const MIN_BODY: usize = 500;

/// What may follow the last run: a footer line or two.
const MAX_AFTER: usize = 150;

/// A label before a run is at most this long and this many words.
const MAX_LABEL: usize = 40;
const MAX_LABEL_WORDS: usize = 6;

/// Where each node's text starts in the article and how long it is
/// (non-whitespace characters, document order).
pub(crate) struct Spans(HashMap<NodeId, (usize, usize)>);

impl Spans {
    pub(crate) fn of(root: NodeRef<'_, Node>) -> Self {
        let mut out = HashMap::new();
        let mut at = 0usize;
        let mut open: Vec<(NodeId, usize)> = Vec::new();
        for edge in root.traverse() {
            match edge {
                ego_tree::iter::Edge::Open(n) => {
                    open.push((n.id(), at));
                    if let Node::Text(t) = n.value() {
                        at += t.chars().filter(|c| !c.is_whitespace()).count();
                    }
                }
                ego_tree::iter::Edge::Close(_) => {
                    if let Some((id, start)) = open.pop() {
                        out.insert(id, (start, at - start));
                    }
                }
            }
        }
        Spans(out)
    }
    pub(crate) fn get(&self, n: NodeRef<'_, Node>) -> (usize, usize) {
        self.0.get(&n.id()).copied().unwrap_or_default()
    }
}

/// The teaser runs (and their labels) under `root` to remove.
pub(crate) fn teaser_runs(doc: &Html, root: NodeId) -> Vec<NodeId> {
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    let spans = Spans::of(root);
    let total = spans.get(root).1;
    let mut runs: Vec<Vec<NodeRef<'_, Node>>> = Vec::new();
    for n in root.descendants().filter(|n| n.value().is_element()) {
        runs.extend(runs_among(n, &spans));
    }
    // Latest first: a run counts as trailing when what follows it is
    // other trailing runs and at most a footer line.
    runs.sort_by_key(|r| std::cmp::Reverse(r.first().map_or(0, |k| spans.get(*k).0)));
    let mut out = Vec::new();
    let mut removed_after = 0usize;
    for run in runs {
        let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
        let start = spans.get(*first).0;
        let (ls, ll) = spans.get(*last);
        let end = ls + ll;
        let after = total.saturating_sub(end).saturating_sub(removed_after);
        // The article comes first and outweighs what trails it.
        if start < MIN_BODY.max(end - start) || after > MAX_AFTER {
            continue;
        }
        removed_after += end - start;
        if let Some(label) = label_before(root, *first, &spans) {
            removed_after += spans.get(label).1;
            out.push(label.id());
        }
        out.extend(run.iter().map(|k| k.id()));
    }
    out
}

/// Runs of look-alike cards among `parent`'s children.
fn runs_among<'a>(parent: NodeRef<'a, Node>, spans: &Spans) -> Vec<Vec<NodeRef<'a, Node>>> {
    let mut out = Vec::new();
    let mut cur: Vec<NodeRef<'a, Node>> = Vec::new();
    let mut cur_shape: Option<Vec<&str>> = None;
    let mut flush = |cur: &mut Vec<NodeRef<'a, Node>>| {
        if cur.len() >= MIN_RUN {
            out.push(std::mem::take(cur));
        }
        cur.clear();
    };
    for k in parent.children() {
        match k.value() {
            Node::Text(t) if t.trim().is_empty() => continue,
            Node::Comment(_) => continue,
            Node::Element(_) if is_card(k, spans) => {
                let shape = shape(k);
                if cur_shape.as_ref() != Some(&shape) {
                    flush(&mut cur);
                    cur_shape = Some(shape);
                }
                cur.push(k);
            }
            _ => {
                flush(&mut cur);
                cur_shape = None;
            }
        }
    }
    flush(&mut cur);
    // A teaser shows a thumbnail and links to its article (or, when the
    // page draws its links with script, repeats a section or date line).
    // Steps, questions and glossary entries (no thumbnail, no link) stay.
    // Excerpts cut short mark teasers too, a card without its thumbnail among them.
    out.retain(|run| {
        (run.iter().all(|k| has_image(*k)) || run.iter().all(|k| truncated(*k)))
            && (run.iter().all(|k| links_away(*k) || image_link(*k)) || shared_line(run))
    });
    out
}

fn has_image(n: NodeRef<'_, Node>) -> bool {
    n.descendants().any(|d| d.value().as_element().is_some_and(|e| e.name() == "img"))
}

/// A teaser links to its article; a step, a question or a glossary entry
/// does not.
fn links_away(n: NodeRef<'_, Node>) -> bool {
    n.descendants().any(|d| {
        d.value().as_element().is_some_and(|e| e.name() == "a" && e.attr("href").is_some())
            && d.descendants().any(|t| t.value().as_text().is_some_and(|t| !t.trim().is_empty()))
    })
}

/// A card whose title is plain text may still link its thumbnail (or
/// the author's picture) to an article or profile page.
fn image_link(n: NodeRef<'_, Node>) -> bool {
    n.descendants().any(|d| {
        d.value().as_element().is_some_and(|e| e.name() == "a" && e.attr("href").is_some_and(|h| !h.starts_with('#')))
            && d.descendants().any(|i| i.value().as_element().is_some_and(|e| e.name() == "img"))
    })
}

/// Cards whose links the page draws with script still share a line: the
/// section, the author or the date.
fn shared_line(run: &[NodeRef<'_, Node>]) -> bool {
    let lines_of = |n: NodeRef<'_, Node>| -> Vec<String> {
        n.descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let Some(first) = run.first() else { return false };
    let rest: Vec<Vec<String>> = run[1..].iter().map(|k| lines_of(*k)).collect();
    lines_of(*first).iter().any(|l| rest.iter().all(|r| r.contains(l)))
}

/// A small block of a few short lines (not a table's row: rows of data
/// are the article's).
fn is_card(n: NodeRef<'_, Node>, spans: &Spans) -> bool {
    let chars = spans.get(n).1;
    let cell = n.value().as_element().is_some_and(|e| is_cell(e.name()));
    !cell && chars > 0 && chars <= MAX_CARD && lines(n) >= MIN_LINES
}

/// Block elements that hold text directly: the card's lines.
fn lines(n: NodeRef<'_, Node>) -> usize {
    n.descendants()
        .filter(|d| d.value().as_element().is_some_and(|e| is_block(e.name())))
        .filter(|d| d.children().any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty())))
        .count()
}

/// The element names of a card's skeleton: blocks, links and times that
/// hold text, in order (a card without its thumbnail has the same lines).
fn shape<'a>(n: NodeRef<'a, Node>) -> Vec<&'a str> {
    n.descendants()
        .filter(|d| d.descendants().any(|t| t.value().as_text().is_some_and(|t| !t.trim().is_empty())))
        .filter_map(|d| d.value().as_element().map(|e| e.name()))
        .filter(|name| is_block(name) || matches!(*name, "a" | "time"))
        .collect()
}

/// The card's last line is an excerpt cut short: «…», «...».
fn truncated(n: NodeRef<'_, Node>) -> bool {
    let last = n.descendants().filter_map(|d| d.value().as_text()).map(|t| t.trim()).filter(|t| !t.is_empty()).last();
    last.is_some_and(|t| t.ends_with("...") || t.ends_with('…'))
}

/// A block for the teaser runs: the shared blocks and the page sections
/// `<header>` and `<footer>`.
fn is_block(name: &str) -> bool {
    super::is_block_element(name) || matches!(name, "header" | "footer")
}

/// The block holding only the short line that precedes `first`, if any.
fn label_before<'a>(root: NodeRef<'a, Node>, first: NodeRef<'a, Node>, spans: &Spans) -> Option<NodeRef<'a, Node>> {
    let start = spans.get(first).0;
    let text = root
        .descendants()
        .filter(|d| d.value().as_text().is_some_and(|t| !t.trim().is_empty()))
        .take_while(|d| spans.get(*d).0 < start)
        .last()?;
    let words = text.value().as_text()?.split_whitespace().count();
    let block = text.ancestors().find(|a| a.value().as_element().is_some_and(|e| is_block(e.name())))?;
    let (_, chars) = spans.get(block);
    let own = spans.get(text).1;
    (chars == own && chars <= MAX_LABEL && words <= MAX_LABEL_WORDS).then_some(block)
}

/// Sibling blocks that repeat: at least [`MIN_RUN`] in a row with the same
/// text (a gallery's title once per slide) or numbered 1, 2, 3… (its
/// pager). An article does not say the same line three times running.
/// Table cells («Yes Yes Yes») and links (different targets) are left alone.
pub(crate) fn repeated_siblings(doc: &Html, root: NodeId) -> Vec<NodeId> {
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    let mut out = Vec::new();
    for n in root.descendants().filter(|n| n.value().is_element()) {
        let kids: Vec<(NodeRef<'_, Node>, String)> = n
            .children()
            .filter(|k| k.value().as_element().is_some_and(|e| is_block(e.name()) && !is_cell(e.name())))
            .map(|k| (k, if links_away(k) { String::new() } else { k.text_string() }))
            .collect();
        let mut i = 0;
        while i < kids.len() {
            let same = kids[i..].iter().take_while(|(_, t)| *t == kids[i].1).count();
            let counted =
                kids[i..].iter().enumerate().take_while(|(j, (_, t))| t.parse::<usize>().ok() == Some(j + 1)).count();
            let len = if kids[i].1.is_empty() { 1 } else { same.max(counted) };
            if len >= MIN_RUN && kids[i].1.chars().count() <= MAX_LABEL * 4 {
                out.extend(kids[i..i + len].iter().map(|(k, _)| k.id()));
            }
            i += len;
        }
    }
    out
}

/// Table parts: a row of «Yes Yes Yes» is data.
fn is_cell(name: &str) -> bool {
    matches!(name, "tr" | "td" | "th" | "tbody" | "thead" | "dt" | "dd")
}

trait TextString {
    fn text_string(&self) -> String;
}

impl TextString for NodeRef<'_, Node> {
    /// The node's text, whitespace collapsed.
    fn text_string(&self) -> String {
        let mut s = String::new();
        for t in self.descendants().filter_map(|d| d.value().as_text()) {
            s.push_str(t);
            s.push(' ');
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
