//! The boilerplate pass over the article Readability kept.
//!
//! Readability picks the right container but keeps what sits inside it:
//! photo credits, gallery counters, share bars, «Tags:» lists, cookie and
//! comment-policy notices, breadcrumbs. This pass removes them from the
//! article's HTML before it becomes blocks. Only language-independent
//! signals are used: the markup's own names for things (class, id, role,
//! itemprop) and shape (counters, label-and-links lines, rows of share
//! links, in `teasers` runs of look-alike cards, in `tail` the boxes
//! trailing the body). Every rule is
//! bounded by size, so a mislabelled wrapper around the whole article can
//! never take the article with it. Each rule was
//! kept only if it did not cost any corpus (BENCHMARKS.md, issue 11).

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

/// Markup words that name boilerplate wherever they appear in a class or
/// id (split into words: `photo-credit`, `TagList`, `cookie_notice`,
/// `ad-slot`: whole words only, so `head` or `shadow` never match).
///
/// Measured and left out (BENCHMARKS.md, issue 11): `caption`/`figcaption`,
/// `byline`/author boxes, `gallery`, `share`/`social` and `related`
/// containers all cost the Readability corpus more than they gained on
/// the other two: Readability's expected text (and much of wceb-2026's)
/// keeps captions, bylines and author notes inside the article. So does
/// a `comments` container inside the article (Readability keeps one).
const BOILERPLATE_WORDS: &[&str] = &[
    "credit",
    "credits",
    "copyright",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "ad",
    "ads",
    "advertisement",
    "sponsored",
    "tags",
    "tagcloud",
    // What a page adds inside its articles: buttons and forms, its own
    // navigation, lists of other posts, teasers' excerpts,
    // legal disclaimers.
    "button",
    "btn",
    "form",
    "nav",
    "posts",
    "excerpt",
    "disclaimer",
];

/// Pairs of words that name boilerplate together but not alone
/// (`off-screen`: a label for screen readers, «Image copyright»).
const BOILERPLATE_PAIRS: &[(&str, &str)] = &[
    ("off", "screen"),
    ("sr", "only"),
    ("screen", "reader"),
    ("post", "tags"),
    ("entry", "tags"),
    ("comment", "policy"),
];

/// A class- or id-named container is removed only when it holds at most
/// this share of the article's text: a wrapper named `post-meta` around
/// the whole body is a mislabel, not boilerplate.
const MAX_SHARE: f64 = 0.25;

/// Text counts of one subtree.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    /// Non-whitespace characters.
    chars: usize,
    /// Of those, inside `<a>`.
    link_chars: usize,
    links: usize,
}

/// Removes boilerplate from an article's HTML and returns the rest.
pub fn prune(html: &str) -> String {
    let mut doc = Html::parse_fragment(html);
    let root = doc.root_element().id();
    let drop = boilerplate(&doc, root);
    if drop.is_empty() {
        return html.to_string();
    }
    for id in drop {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
    doc.root_element().inner_html()
}

/// The nodes under `root` to remove (outermost only).
pub(crate) fn boilerplate(doc: &Html, root: NodeId) -> Vec<NodeId> {
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    let counts = count(root);
    let total = counts.get(&root.id()).map_or(0, |c| c.chars).max(1);
    let mut out = Vec::new();
    let mut stack: Vec<NodeRef<'_, Node>> = root.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        let Some(e) = n.value().as_element() else { continue };
        let c = counts.get(&n.id()).copied().unwrap_or_default();
        if is_boilerplate(n, e, c, total) {
            out.push(n.id());
            continue;
        }
        let mut kids: Vec<_> = n.children().collect();
        kids.reverse();
        stack.extend(kids);
    }
    out.extend(super::teasers::teaser_runs(doc, root.id()));
    out.extend(super::teasers::repeated_siblings(doc, root.id()));
    out.extend(super::tail::trailing_boxes(doc, root.id()));
    out
}

fn is_boilerplate(n: NodeRef<'_, Node>, e: &scraper::node::Element, c: Counts, total: usize) -> bool {
    // What a player shows where it cannot play («Your browser does not
    // support the video tag»), never the article's words.
    if matches!(e.name(), "video" | "audio") {
        return true;
    }
    let small = (c.chars as f64) <= MAX_SHARE * total as f64;
    if small && (named_boilerplate(e) || role_boilerplate(e)) {
        return true;
    }
    let text = || normalized_text(n);
    let block = is_blockish(e.name());
    if block && c.chars > 0 && c.chars <= 12 && is_counter(&text()) {
        return true;
    }
    // A share bar or a row of tags: several short links and next to no other text.
    if block && c.links >= 3 && c.chars <= 30 * c.links && c.chars - c.link_chars <= 2 + c.links && share_links(n) >= 2
    {
        return true;
    }
    // «Tags: a, b, c»: a short label, a colon, then only links.
    if block && c.links >= 2 && c.chars < 300 && is_label_then_links(&text(), c) {
        return true;
    }
    small && e.name() == "a" && c.chars <= MAX_LINKED_BLOCK && is_linked_block(n, e)
}

/// A link around whole blocks of text is at most this long: a card.
const MAX_LINKED_BLOCK: usize = 400;

/// A link wrapping blocks of text (a heading, a paragraph, a box) rather
/// than words inside a sentence: a promotion's card or a button («Book a
/// demo» over its pitch, «View author page»). Article prose links words;
/// a link to a place in the page (`#faq-1`, a collapsible question) is the
/// page's own structure.
fn is_linked_block(n: NodeRef<'_, Node>, e: &scraper::node::Element) -> bool {
    let away = e.attr("href").is_some_and(|h| !h.trim_start().starts_with('#'));
    away && n.descendants().skip(1).any(|d| {
        d.value().as_element().is_some_and(|e| {
            matches!(e.name(), "p" | "div" | "section" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        }) && d.children().any(|t| t.value().as_text().is_some_and(|t| !t.trim().is_empty()))
    })
}

/// Elements whose edges separate blocks of text.
fn is_blockish(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "ul" | "ol" | "li" | "section" | "aside" | "footer" | "header" | "nav" | "dl" | "table"
    )
}

/// The words of the element's class and id, lowercased: split on
/// anything that is not a letter or digit, and at lower→upper case.
pub(crate) fn markup_words(e: &scraper::node::Element) -> Vec<String> {
    let mut words = Vec::new();
    for v in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        let mut cur = String::new();
        let mut prev_lower = false;
        for ch in v.chars() {
            if !ch.is_ascii_alphanumeric() {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
                continue;
            }
            if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = ch.is_ascii_lowercase();
            cur.push(ch.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            words.push(cur);
        }
    }
    words
}

fn named_boilerplate(e: &scraper::node::Element) -> bool {
    if INLINE.contains(&e.name()) {
        return false;
    }
    let words = markup_words(e);
    let has = |w: &str| words.iter().any(|x| x == w);
    // `long-form` names the article's own sections, not a lead form.
    let named = |w: &String| BOILERPLATE_WORDS.contains(&w.as_str()) && !(w == "form" && has("long"));
    words.iter().any(named) || BOILERPLATE_PAIRS.iter().any(|(a, b)| has(a) && has(b))
}

/// Inline elements: naming one boilerplate would cut a sentence.
const INLINE: &[&str] =
    &["a", "em", "strong", "b", "i", "u", "s", "q", "sup", "sub", "abbr", "code", "time", "cite", "mark", "small"];

fn role_boilerplate(e: &scraper::node::Element) -> bool {
    let role = e.attr("role").unwrap_or("");
    matches!(role, "navigation" | "complementary" | "contentinfo" | "banner")
        || e.attr("itemprop").is_some_and(|p| matches!(p, "author" | "keywords"))
}

/// «1 of 8», «2of4», «3 / 12»: a position in a gallery.
fn is_counter(text: &str) -> bool {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lead = t.iter().take_while(|c| c.is_ascii_digit()).count();
    let tail = t.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if lead == 0 || tail == 0 || lead + tail >= t.len() {
        return false;
    }
    let mid = &t[lead..t.len() - tail];
    mid.len() <= 4 && mid.iter().all(|c| c.is_alphabetic() || *c == '/')
}

/// Links to the sharing endpoints of social sites and mail: what a share
/// bar is made of (a table of contents or a list of sources is not).
fn share_links(n: NodeRef<'_, Node>) -> usize {
    const SHARE: &[&str] = &[
        "sharer",
        "/share",
        "share?",
        "intent/tweet",
        "intent/post",
        "wa.me/",
        "whatsapp:",
        "mailto:",
        "pin/create",
        "reddit.com/submit",
        "t.me/share",
        "shareArticle",
        "sharing",
    ];
    n.descendants()
        .filter_map(|d| d.value().as_element().filter(|e| e.name() == "a").and_then(|e| e.attr("href")))
        .filter(|h| SHARE.iter().any(|s| h.contains(s)))
        .count()
}

/// A short label ending in a colon, then nothing but links (and commas).
fn is_label_then_links(text: &str, c: Counts) -> bool {
    let Some((label, _)) = text.split_once(':') else { return false };
    let label_chars = label.chars().filter(|c| !c.is_whitespace()).count();
    let words = label.split_whitespace().count();
    (1..=2).contains(&words) && label_chars <= 20 && c.chars - c.link_chars <= label_chars + 1 + 2 * c.links
}

fn normalized_text(n: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in n.descendants() {
        if let Some(t) = d.value().as_text() {
            s.push_str(t);
            s.push(' ');
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Counts for every node, children before parents.
fn count(root: NodeRef<'_, Node>) -> HashMap<NodeId, Counts> {
    let nodes: Vec<NodeRef<'_, Node>> = root.descendants().collect();
    let mut out: HashMap<NodeId, Counts> = HashMap::with_capacity(nodes.len());
    for n in nodes.iter().rev() {
        let mut c = Counts::default();
        match n.value() {
            Node::Text(t) => c.chars = t.chars().filter(|ch| !ch.is_whitespace()).count(),
            Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript" | "template") => {}
            _ => {
                for k in n.children() {
                    let kc = out.get(&k.id()).copied().unwrap_or_default();
                    c.chars += kc.chars;
                    c.link_chars += kc.link_chars;
                    c.links += kc.links;
                }
                if n.value().as_element().is_some_and(|e| e.name() == "a") {
                    c.link_chars = c.chars;
                    c.links += 1;
                }
            }
        }
        out.insert(n.id(), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_words_split_on_case_and_punctuation() {
        let doc = Html::parse_fragment(r#"<div class="ArticleByline post-share_bar" id="tagList"></div>"#);
        let e = doc.root_element().first_child().and_then(|n| n.value().as_element().cloned());
        let words = e.map(|e| markup_words(&e)).unwrap_or_default();
        assert_eq!(words, ["article", "byline", "post", "share", "bar", "tag", "list"]);
    }

    #[test]
    fn counters() {
        for yes in ["1 of 8", "2of4", "3 / 12", "1из5"] {
            assert!(is_counter(yes), "{yes}");
        }
        for no in ["2024", "of 8", "1 of", "10 people of 20", "5:27"] {
            assert!(!is_counter(no), "{no}");
        }
    }
}
