//! A second candidate for when Readability keeps only a piece of the article.
//!
//! Readability scores paragraphs and takes the best container plus similar
//! siblings; an article split into many sibling sections (documentation
//! pages, long guides, AsciiDoc or Gatsby output) loses all but one
//! section. The remedy is trafilatura's in spirit: a second candidate,
//! kept only when it agrees with Readability's and is clearly longer. The
//! second candidate starts from Readability's own article, found in the
//! page, and climbs while each parent adds only look-alike siblings (same
//! element, mostly the same classes, running text rather than short
//! items: the other sections) and plain paragraphs; it is cleaned of
//! navigation, headers, footers, asides, forms, hidden and
//! boilerplate-named containers. Teaser cards and comment lists are also
//! look-alike siblings, which is why the climb insists on several long
//! sections of running text (the thresholds below). When Readability
//! finds nothing, the page's prose container (the deepest element with
//! most of the text outside links and noise) is the article; it also
//! replaces Readability's pick when that holds a third or less of the
//! prose and the container reads as running prose (long lines, few
//! links), which comments, listings and forums do not; against a sliver
//! (a tenth or less: a notice, a disclosure dialog) shorter lines do.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};

use super::prune;

/// The candidate must hold this share of the page's prose.
const COVER: f64 = 0.8;

/// Structural noise: never prose, whatever is inside.
const NOISE: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select",
    "textarea", "iframe", "svg", "math", "a",
];

/// Readability's "unlikely candidate" words, as markup words.
const UNLIKELY: &[&str] = &[
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "comments",
    "community",
    "disqus",
    "footer",
    "header",
    "menu",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "popup",
    "modal",
    "pagination",
    "pager",
];

/// Readability's article (`readability`, HTML) or, when it stopped short,
/// the grown candidate (see [`grow`]) when it has at least `RATIO` times
/// the prose. When Readability found nothing, the page's prose container.
/// Failing that, the page's prose container when it holds [`PROSE_RATIO`]
/// times Readability's prose and reads as an article (see [`reads_as_prose`]).
pub fn choose(doc: &Html, readability: Option<String>) -> Option<String> {
    let Some(ours) = readability else { return candidate(doc).map(|(html, _)| html) };
    let own = super::own_text(&ours) as f64;
    if let Some((grown, chars)) = grow(doc, &ours)
        && chars as f64 >= RATIO * own
    {
        return Some(grown);
    }
    match candidate(doc) {
        Some((page, chars)) if chars as f64 >= PROSE_RATIO * own && reads_as_prose(&page, line_floor(chars, own)) => {
            Some(page)
        }
        _ => Some(ours),
    }
}

const RATIO: f64 = 1.3;

/// Readability kept a third or less of the page's prose: it took one
/// block of a long article (columns of a page builder, rows whose
/// sections differ in class) or something beside it.
const PROSE_RATIO: f64 = 3.0;

/// Running prose, not comments, listings or a forum: long lines (at
/// least [`PROSE_LINE`] characters on average) and few links.
fn reads_as_prose(html: &str, line: usize) -> bool {
    let frag = Html::parse_fragment(html);
    let (lines, total, linked) = line_stats(*frag.root_element(), false);
    total >= line * lines.max(1) && (linked as f64) <= PROSE_LINKS * total as f64
}

/// The mean line the prose container needs: [`PROSE_LINE`], or
/// [`FAR_LINE`] when Readability kept a sliver ([`FAR_RATIO`] times less:
/// a notice or a dialog, not a piece of the article), so that a guide of
/// short paragraphs and lists can still replace it.
fn line_floor(chars: usize, own: f64) -> usize {
    if chars as f64 >= FAR_RATIO * own { FAR_LINE } else { PROSE_LINE }
}

const PROSE_LINE: usize = 150;
const FAR_RATIO: f64 = 10.0;
const FAR_LINE: usize = 60;
const PROSE_LINKS: f64 = 0.1;

/// Lines (text between block edges), their characters and the characters
/// inside links; with `skip_noise`, text inside noise containers (other
/// than links) is left out.
fn line_stats(n: NodeRef<'_, Node>, skip_noise: bool) -> (usize, usize, usize) {
    let (mut lines, mut total, mut linked) = (0usize, 0usize, 0usize);
    let noise = |e: &scraper::node::Element| skip_noise && e.name() != "a" && is_noise(e);
    each_line(n, noise, |chars, in_links| {
        lines += 1;
        total += chars;
        linked += in_links;
    });
    (lines, total, linked)
}

/// Calls `line` with each line's non-space characters and those of them
/// inside links (text between block edges, empty lines left out), skipping
/// the text of elements `skip` names. `candidate` measures shapes with it too.
pub(super) fn each_line(
    n: NodeRef<'_, Node>,
    skip: impl Fn(&scraper::node::Element) -> bool,
    mut line: impl FnMut(usize, usize),
) {
    let (mut cur, mut linked, mut skipping) = (0usize, 0usize, 0usize);
    let mut end = |cur: &mut usize, linked: &mut usize| {
        let (c, l) = (std::mem::take(cur), std::mem::take(linked));
        if c > 0 {
            line(c, l);
        }
    };
    for edge in n.traverse() {
        match edge {
            Edge::Open(d) => match d.value() {
                Node::Text(t) if skipping == 0 => {
                    let c = t.chars().filter(|c| !c.is_whitespace()).count();
                    cur += c;
                    if d.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "a")) {
                        linked += c;
                    }
                }
                Node::Element(e) if skip(e) => skipping += 1,
                Node::Element(e) if breaks_line(e.name()) => end(&mut cur, &mut linked),
                _ => {}
            },
            Edge::Close(d) => match d.value() {
                Node::Element(e) if skip(e) => skipping = skipping.saturating_sub(1),
                Node::Element(e) if breaks_line(e.name()) => end(&mut cur, &mut linked),
                _ => {}
            },
        }
    }
    end(&mut cur, &mut linked);
}

/// The sections of a split article are longer than teasers or comments:
/// at least this much prose each on average.
const MIN_TWIN: usize = 300;

/// Siblings unlike the article may add at most this share of a parent's prose.
const UNLIKE: f64 = 0.1;

/// Finds Readability's article in the page (the lowest element holding its
/// first and last text) and climbs while each parent adds only siblings
/// like the article's own container (same element and class: the other
/// sections of a split article) or plain text blocks.
fn grow(doc: &Html, ours: &str) -> Option<(String, usize)> {
    let body = *doc.select(&scraper::Selector::parse("body").ok()?).next()?;
    let start = anchor(body, ours)?;
    let prose = prose_counts(body);
    let p = |n: NodeRef<'_, Node>| prose.get(&n.id()).copied().unwrap_or(0);
    let mut at = start;
    // Prose added by siblings like the article's container: a split article.
    let (mut same, mut n_twins, mut added) = (0usize, 0usize, 0usize);
    while let Some(parent) = at.parent() {
        if parent.id() == body.id() || !parent.value().is_element() {
            break;
        }
        let sig = signature(at);
        let others = parent.children().filter(|k| k.id() != at.id());
        let (mut like, mut unlike, mut twin) = (0, 0, 0);
        for k in others {
            if twins(&signature(k), &sig) && is_running_text(k) {
                twin += p(k);
                n_twins += usize::from(p(k) > 0);
            } else if is_text_block(k) {
                like += p(k);
            } else {
                unlike += p(k);
            }
        }
        if unlike as f64 > UNLIKE * p(parent) as f64 {
            break;
        }
        same += twin;
        added += twin + like;
        at = parent;
    }
    // Teaser cards and comments are twins too, but short ones.
    // A split article has several sections; one look-alike is a teaser.
    if at.id() == start.id() || n_twins < 2 || same * 2 < added || same < MIN_TWIN * n_twins {
        return None;
    }
    let html = clean(&ElementRef::wrap(at)?.html());
    let chars = super::own_text(&html);
    Some((html, chars))
}

/// Readability's article (`ours`) found in the page under `body`: the
/// lowest element holding its first and last text.
pub(crate) fn anchor<'a>(body: NodeRef<'a, Node>, ours: &str) -> Option<NodeRef<'a, Node>> {
    // Anchors are texts the page holds once: a title repeated in the
    // header would anchor the article in the header.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for t in body.descendants().filter_map(|n| n.value().as_text()) {
        *seen.entry(norm(t)).or_insert(0) += 1;
    }
    let frag = Html::parse_fragment(ours);
    let texts: Vec<String> =
        frag.root_element().text().map(norm).filter(|t| t.chars().count() >= 20 && seen.get(t) == Some(&1)).collect();
    let (first, last) = (texts.first()?, texts.last()?);
    let is = |n: &NodeRef<'_, Node>, want: &str| n.value().as_text().is_some_and(|t| norm(t) == want);
    let a = body.descendants().find(|n| is(n, first))?;
    let b = body.descendants().find(|n| is(n, last))?;
    let above_a: Vec<NodeId> = a.ancestors().map(|n| n.id()).collect();
    b.ancestors().find(|n| above_a.contains(&n.id()))
}

/// Running text, not a list of short items (comments, menus, teasers):
/// its lines (text between block edges, links included) hold at least
/// [`MIN_RUN`] characters on average.
fn is_running_text(n: NodeRef<'_, Node>) -> bool {
    let (lines, total, _) = line_stats(n, true);
    total >= MIN_RUN * lines.max(1)
}

fn breaks_line(name: &str) -> bool {
    super::is_block_element(name) || matches!(name, "br" | "th" | "pre")
}

/// See [`is_running_text`].
const MIN_RUN: usize = 40;

fn norm(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Element name and classes: sections of one article share the element
/// and most classes (`row margin-large` and `row margin-medium` are twins).
fn signature(n: NodeRef<'_, Node>) -> Option<(String, Vec<String>)> {
    let e = n.value().as_element()?;
    Some((e.name().to_string(), e.classes().map(String::from).collect()))
}

fn twins(a: &Option<(String, Vec<String>)>, b: &Option<(String, Vec<String>)>) -> bool {
    let (Some((ta, ca)), Some((tb, cb))) = (a, b) else { return false };
    if ta != tb {
        return false;
    }
    let shared = ca.iter().filter(|c| cb.contains(c)).count();
    2 * shared >= ca.len().max(cb.len())
}

/// Text nodes and the elements that carry running text.
fn is_text_block(n: NodeRef<'_, Node>) -> bool {
    match n.value() {
        Node::Text(_) => true,
        Node::Element(e) => {
            matches!(e.name(), "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "figure")
        }
        _ => false,
    }
}

/// The fallback article as HTML and its prose length (non-whitespace
/// characters outside links), or `None` when the page has no body.
pub fn candidate(doc: &Html) -> Option<(String, usize)> {
    let body = doc.select(&scraper::Selector::parse("body").ok()?).next()?;
    let prose = prose_counts(*body);
    let total = prose.get(&body.id()).copied().unwrap_or(0);
    if total == 0 {
        return None;
    }
    let mut at = *body;
    'down: loop {
        for k in at.children() {
            if prose.get(&k.id()).copied().unwrap_or(0) as f64 >= COVER * total as f64 && k.value().is_element() {
                at = k;
                continue 'down;
            }
        }
        break;
    }
    let el = ElementRef::wrap(at)?;
    let html = clean(&el.html());
    let chars = super::own_text(&html);
    Some((html, chars))
}

/// Drops the noise and the boilerplate from a candidate's HTML.
pub(crate) fn clean(html: &str) -> String {
    let mut doc = Html::parse_fragment(html);
    let root = doc.root_element().id();
    let mut drop: Vec<NodeId> = doc
        .root_element()
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| is_noise(e) && e.name() != "a"))
        .map(|n| n.id())
        .collect();
    drop.extend(prune::boilerplate(&doc, root));
    for id in drop {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
    doc.root_element().inner_html()
}

fn is_noise(e: &scraper::node::Element) -> bool {
    if NOISE.contains(&e.name()) || e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    let style = e.attr("style").unwrap_or("").replace(' ', "").to_ascii_lowercase();
    if style.contains("display:none") || style.contains("visibility:hidden") {
        return true;
    }
    let words = prune::markup_words(e);
    if words.iter().any(|w| matches!(w.as_str(), "hide" | "hidden" | "invisible")) {
        return true;
    }
    // Readability's own exception: a container that names itself content,
    // by a word or by its element (`<article class="…-with-sidebar">`).
    let maybe = matches!(e.name(), "article" | "main")
        || words.iter().any(|w| matches!(w.as_str(), "article" | "body" | "content" | "main" | "post" | "entry"));
    !maybe && words.iter().any(|w| UNLIKELY.contains(&w.as_str()))
}

/// Prose characters under every node, children before parents.
fn prose_counts(root: NodeRef<'_, Node>) -> HashMap<NodeId, usize> {
    let nodes: Vec<NodeRef<'_, Node>> = root.descendants().collect();
    let mut out: HashMap<NodeId, usize> = HashMap::with_capacity(nodes.len());
    for n in nodes.iter().rev() {
        let c = match n.value() {
            Node::Text(t) => t.chars().filter(|ch| !ch.is_whitespace()).count(),
            Node::Element(e) if is_noise(e) => 0,
            _ => n.children().map(|k| out.get(&k.id()).copied().unwrap_or(0)).sum(),
        };
        out.insert(n.id(), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(paragraphs: &[String]) -> Html {
        let body: String = paragraphs.iter().map(|p| format!("<div><p>{p}</p></div>")).collect();
        Html::parse_document(&format!("<html><body><nav><a href=\"/\">Home</a></nav><div>{body}</div></body></html>"))
    }

    /// Readability kept one column of four: the page's prose container
    /// (four times the text, long lines, no links) is the article.
    #[test]
    fn a_piece_gives_way_to_the_prose_container() {
        let paras: Vec<String> = (0..4).map(|i| format!("Column {i} sentence of running prose. ").repeat(8)).collect();
        let ours = format!("<div><p>{}</p></div>", paras[0]);
        let got = choose(&page(&paras), Some(ours)).unwrap_or_default();
        assert!(paras.iter().all(|p| got.contains(p.as_str())), "{got}");
    }

    /// `<article class="…-with-sidebar">` names its layout, not a sidebar:
    /// the element says it is the article, so it is not noise.
    #[test]
    fn an_article_element_is_never_unlikely_by_class() {
        let prose = "A sentence of the article's running prose. ".repeat(10);
        let html = format!(
            "<html><body><nav><a href=\"/\">Home</a></nav><main><article class=\"template-with-sidebar\">\
             <p>{prose}</p><p>{prose}</p></article></main></body></html>"
        );
        let (got, chars) = candidate(&Html::parse_document(&html)).unwrap_or_default();
        assert!(got.contains(prose.as_str()) && chars > 500, "{got}");
    }

    /// Readability kept a notice a twentieth the size of the page's prose:
    /// a guide of 80-character lines (short paragraphs, list items) is
    /// still the article.
    #[test]
    fn a_sliver_gives_way_to_a_guide_of_short_lines() {
        let paras: Vec<String> =
            (0..40).map(|i| format!("Step {i}: a short line of the guide, still prose. ").repeat(2)).collect();
        let ours = "<div><p>Advertiser disclosure: we may be paid for links on this page.</p></div>".to_string();
        let got = choose(&page(&paras), Some(ours)).unwrap_or_default();
        assert!(paras.iter().all(|p| got.contains(p.as_str())), "{got}");
        // The same lines against a pick a fifth their size: Readability's stays.
        let ours = format!("<div><p>{}</p></div>", paras[..8].concat());
        assert_eq!(choose(&page(&paras), Some(ours.clone())), Some(ours));
    }

    /// Short lines (comments, a listing) are not an article however long.
    #[test]
    fn short_lines_keep_readabilitys_pick() {
        let mut paras: Vec<String> = vec!["A long paragraph of the article itself. ".repeat(8)];
        paras.extend((0..60).map(|i| format!("Comment number {i}, short")));
        let ours = format!("<div><p>{}</p></div>", paras[0]);
        let got = choose(&page(&paras), Some(ours.clone())).unwrap_or_default();
        assert_eq!(got, ours);
    }
}
