//! What trails the article inside the container Readability kept: the
//! author's bio, «Related» and «Read next» boxes, the newsletter sign-up,
//! the «follow us» and share boxes, the comment policy.
//!
//! Named containers of this kind (`author-bio`, `related-posts`,
//! `newsletter-signup`, `more-stories`, `taboola`) cannot go wherever they stand: inside the body a
//! `related` aside or a byline box is, by Readability's expected text,
//! part of the article (BENCHMARKS.md, issue 11). After the body they are
//! what the page adds below every article. So a container goes only when
//! it stands at the trailing edge (nothing but other such boxes and a
//! footer line after it), after enough body, and is small beside the
//! article. Besides the names, one signal that needs no words: a short
//! box linking the site's legal pages (privacy, terms, community
//! guidelines) is a policy notice in any language.

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::teasers::Spans;

/// Markup words of boxes the page adds after every article. Measured and
/// left out: `author`/`bio` (Readability's expected text keeps the
/// author's note after the body) and `cta` (cost the Readability corpus).
const TAIL_WORDS: &[&str] = &[
    "related",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "promo",
    "share",
    "sharing",
    "social",
    "follow",
    "recommended",
    "donate",
    "outbrain",
    "taboola",
    "recirc",
    "recirculation",
    "trending",
    "popular",
    "next",
    "more",
];

/// Path words of a site's legal pages.
const LEGAL: &[&str] = &["privacy", "terms", "guidelines", "policy", "legal", "disclaimer"];

/// The article must hold at least this much text before a trailing box.
const MIN_BODY: usize = 500;

/// What may follow the last box: a footer line or two.
const MAX_AFTER: usize = 150;

/// A trailing box holds at most this share of the article's text.
const MAX_SHARE: f64 = 0.25;

/// A policy notice (found by its legal links) is at most this long.
const MAX_NOTICE: usize = 600;

/// The trailing boxes under `root` to remove (outermost only).
pub(crate) fn trailing_boxes(doc: &Html, root: NodeId) -> Vec<NodeId> {
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    let spans = Spans::of(root);
    let total = spans.get(root).1;
    let mut found: Vec<NodeRef<'_, Node>> = Vec::new();
    let mut stack: Vec<NodeRef<'_, Node>> = root.children().collect();
    while let Some(n) = stack.pop() {
        if n.value().is_element() && is_box(n, spans.get(n).1, total) {
            found.push(n);
        } else {
            stack.extend(n.children());
        }
    }
    // Latest first: a box is trailing when what follows it is other
    // trailing boxes and at most a footer line.
    found.sort_by_key(|n| std::cmp::Reverse(spans.get(*n).0));
    let mut out = Vec::new();
    let mut removed_after = 0usize;
    for n in found {
        let (start, len) = spans.get(n);
        let after = total.saturating_sub(start + len).saturating_sub(removed_after);
        if start < MIN_BODY || after > MAX_AFTER {
            continue;
        }
        removed_after += len;
        out.push(n.id());
    }
    out
}

fn is_box(n: NodeRef<'_, Node>, chars: usize, total: usize) -> bool {
    let Some(e) = n.value().as_element() else { return false };
    if chars == 0 || !is_container(e.name()) || chars as f64 > MAX_SHARE * total as f64 {
        return false;
    }
    let words = super::prune::markup_words(e);
    words.iter().any(|w| TAIL_WORDS.contains(&w.as_str())) || (chars <= MAX_NOTICE && links_legal_pages(n))
}

fn is_container(name: &str) -> bool {
    matches!(name, "div" | "section" | "aside" | "footer" | "p" | "ul" | "ol" | "dl" | "figure" | "nav" | "form")
}

/// Links a legal page of the site: `/privacy.html`, `/terms-of-use`,
/// `/community_guidelines`.
fn links_legal_pages(n: NodeRef<'_, Node>) -> bool {
    n.descendants().filter_map(|d| d.value().as_element().filter(|e| e.name() == "a").and_then(|e| e.attr("href"))).any(
        |h| {
            let path = h.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
            let path = path.rsplit_once("//").map_or(path.as_str(), |(_, rest)| rest);
            let path = path.split_once('/').map_or("", |(_, p)| p);
            path.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| LEGAL.contains(&w))
        },
    )
}
