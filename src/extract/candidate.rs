//! The candidate's shape: whether the container chosen reads as prose.
//!
//! Readability scores paragraphs one by one, so a ranking table or a data
//! grid written as hundreds of short `<p>`s («97%», «Online Enrollment»,
//! «$15,000») can outscore the prose beside it, and the article becomes
//! the table. A language-independent shape tells them apart: text between
//! block edges is a line; a pile is a container whose lines are almost
//! all short and which holds next to no long, unlinked line. Against a
//! pile, the page element that holds it and reads as prose (several times
//! its long-line text) is the article: the lowest such ancestor, cleaned
//! as the fallback candidates are. Anything else keeps the choice made.
//!
//! Measured and left out (BENCHMARKS.md, session 22): narrowing a chosen
//! container to a child that holds all its long lines, and widening it to
//! an ancestor that adds prose-shaped text, both by shape alone.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use super::{fallback, prune};

/// Text counts of a candidate, by line (text between block edges).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub lines: usize,
    pub chars: usize,
    /// Characters in lines of at least [`LONG`] characters, mostly unlinked.
    pub long: usize,
    /// Lines shorter than [`SHORT`] characters.
    pub short_lines: usize,
}

/// A line this long (non-whitespace characters) is a sentence or more.
const LONG: usize = 80;
/// A line this short is a label, a figure, a name.
const SHORT: usize = 40;

/// A pile: at least this share of its lines short…
const PILE_SHORT: f64 = 0.8;
/// …and at most this share of its text in long lines.
const PILE_LONG: f64 = 0.2;
/// The ancestor taken instead holds this many times the pile's long-line
/// text, and at least [`MIN_PROSE`] characters of it.
const GAIN: usize = 3;
const MIN_PROSE: usize = 500;

fn is_hidden_text(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template")
}

/// The shape of a subtree (scripts and styles left out).
pub(crate) fn shape(n: NodeRef<'_, Node>) -> Shape {
    let mut s = Shape::default();
    fallback::each_line(
        n,
        |e| is_hidden_text(e.name()),
        |c, linked| {
            s.lines += 1;
            s.chars += c;
            if c >= LONG && 2 * linked <= c {
                s.long += c;
            }
            if c < SHORT {
                s.short_lines += 1;
            }
        },
    );
    s
}

/// The shape of an HTML fragment.
pub(crate) fn shape_of(html: &str) -> Shape {
    let frag = Html::parse_fragment(html);
    shape(*frag.root_element())
}

fn is_pile(s: Shape) -> bool {
    s.lines > 0 && s.short_lines as f64 >= PILE_SHORT * s.lines as f64 && s.long as f64 <= PILE_LONG * s.chars as f64
}

/// The article for the chosen `content`: itself, or, when it is a pile of
/// short lines, the lowest page element holding it that reads as prose.
pub(crate) fn prose_over_pile(doc: &Html, content: String) -> String {
    let s = shape_of(&content);
    if !is_pile(s) {
        return content;
    }
    let Some(body) = scraper::Selector::parse("body").ok().and_then(|sel| doc.select(&sel).next()) else {
        return content;
    };
    let Some(at) = fallback::anchor(*body, &content) else { return content };
    for n in std::iter::once(at).chain(at.ancestors()) {
        let Some(el) = ElementRef::wrap(n) else { break };
        let html = prune::prune(&fallback::clean(&el.html()));
        let wide = shape_of(&html);
        if wide.long >= GAIN * s.long.max(1) && wide.long >= MIN_PROSE {
            return html;
        }
        if n.id() == body.id() {
            break;
        }
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_block_edges_and_breaks() {
        let long = "word ".repeat(30);
        let s = shape_of(&format!("<div><p>{long}</p><p>97%</p>Label<br>$1,000<p><a href=\"/x\">{long}</a></p></div>"));
        assert_eq!(s.lines, 5);
        // The linked long line is not prose.
        assert_eq!(s.long, long.replace(' ', "").len());
        assert_eq!(s.short_lines, 3);
    }

    #[test]
    fn a_pile_is_short_lines_without_prose() {
        let cells: String = (0..30).map(|i| format!("<p>{i}%</p><p>Retention rate</p>")).collect();
        assert!(is_pile(shape_of(&cells)));
        let prose = format!("<p>{}</p>{cells}", "A sentence of running prose here. ".repeat(40));
        assert!(!is_pile(shape_of(&prose)));
    }

    fn grid(rows: usize) -> String {
        (1..=rows).map(|i| format!("<p>#{i} Northern State College {i}</p><p>{i}%</p><p>Retention rate</p>")).collect()
    }

    /// A pile whose page holds prose around it gives way to that prose; a
    /// pile alone (a listing, a price table) stays what was chosen.
    #[test]
    fn a_pile_widens_only_to_prose() {
        let prose = "A sentence of the article's running prose, long enough to be a line. ".repeat(8);
        let page = format!(
            "<html><body><nav><a href=\"/\">Home</a></nav><div class=\"story\"><p>{prose}</p><p>{prose}</p>\
             <div class=\"grid\">{}</div></div></body></html>",
            grid(20)
        );
        let got = prose_over_pile(&Html::parse_document(&page), format!("<div>{}</div>", grid(20)));
        assert!(got.contains(prose.as_str()) && got.contains("Northern State College 20"), "{got}");
        assert!(!got.contains("Home"), "{got}");

        let alone = format!("<html><body><div class=\"grid\">{}</div><p>Short note.</p></body></html>", grid(20));
        let pick = format!("<div>{}</div>", grid(20));
        assert_eq!(prose_over_pile(&Html::parse_document(&alone), pick.clone()), pick);
    }
}
