//! The edges of the article's text, after it became blocks.
//!
//! Readability keeps what sits around the article inside its container:
//! a dateline, a breadcrumb, "printer-friendly version" above it; below
//! it the «follow us» lines, bare addresses of the site's profiles, a
//! label whose list was dropped («See more photos:», «Related»), the
//! «© 2025 Site» line. These
//! are lines, not boxes with names, so they are judged by shape, from
//! each edge inwards, stopping at the first line of the article.
//! Also here, as it is judged by shape like them: a bare photo credit
//! line («© Alamy»), wherever it stands.

use crate::model::{Block, BlockKind, Link};

/// Paragraphs at either edge that are mostly link text, a bare date/time
/// line, or a breadcrumb ending in the title ("Home › News › <title>") go;
/// at the trailing edge also lines that only point elsewhere (see
/// [`points_away`]), a label left dangling by a colon, a «©» rights
/// line, a «Tags:» list, and a short label above lines already cut.
pub(crate) fn trim_edges(blocks: &mut Vec<Block>, links: &[Link], title: &str) {
    while let Some(i) = blocks.iter().position(|b| b.kind != BlockKind::Image) {
        if !noise(&blocks[i], links, title) {
            break;
        }
        blocks.remove(i);
    }
    // The label above the lines cut (a list: two at least) goes with them
    // and ends the cut: it heads their list, the article is above it (a listing of links and
    // blurbs, CJK lines without spaces, must not read as label after label).
    let mut cut = 0;
    while let Some(i) = blocks.iter().rposition(|b| b.kind != BlockKind::Image) {
        let b = &blocks[i];
        let line = noise(b, links, title) || points_away(b) || dangling(b) || rights(b) || label_list(b);
        let label = !line && cut >= 2 && is_label(b);
        if !line && !label {
            break;
        }
        blocks.remove(i);
        if label {
            break;
        }
        cut += 1;
    }
}

fn noise(b: &Block, links: &[Link], title: &str) -> bool {
    if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem) {
        return false;
    }
    let plain = &b.text;
    let n = plain.chars().filter(|c| !c.is_whitespace()).count();
    let linked: usize = links
        .iter()
        .enumerate()
        .filter(|(i, _)| b.links.iter().any(|s| s.link == i + 1))
        .map(|(_, l)| l.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    let words = plain.split_whitespace().count();
    let dateline = b.kind == BlockKind::Paragraph
        && n <= 50
        && words <= 10
        && plain.chars().any(|c| c.is_ascii_digit())
        && plain.contains(':');
    let crumb = b.kind == BlockKind::Paragraph
        && linked > 0
        && title.chars().count() >= 10
        && plain.trim_end().ends_with(title);
    n == 0 || linked * 10 >= n * 6 || dateline || crumb
}

/// At most this many characters besides the addresses: a site's name, «Twitter».
const MAX_BESIDE: usize = 40;

/// A line that is an address and a word or two, the address the longer:
/// «Facebook https://fb.me/site», «LINE ID = @site», a bare URL (not «By
/// Jane Roe, follow @jroe»: a byline with a handle).
fn points_away(b: &Block) -> bool {
    if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem) {
        return false;
    }
    let (mut address, mut rest) = (0usize, 0usize);
    for w in b.text.split_whitespace() {
        let n = w.chars().count();
        let handle = w.strip_prefix('@').is_some_and(|h| h.chars().next().is_some_and(char::is_alphanumeric));
        if handle || w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.") {
            address += n;
        } else {
            rest += n;
        }
    }
    address > 0 && rest <= MAX_BESIDE && rest <= address
}

/// A short label is at most this long and this many words.
const MAX_LABEL: usize = 40;
const MAX_LABEL_WORDS: usize = 6;

/// A short line with no sentence end, or a heading: «Related», «More from us».
fn is_label(b: &Block) -> bool {
    let t = b.text.trim();
    let short = t.chars().count() <= MAX_LABEL && t.split_whitespace().count() <= MAX_LABEL_WORDS;
    let sentence = t.ends_with(['.', '!', '?', '…', '»', '"', '”', '。']);
    b.kind == BlockKind::Heading || (b.kind == BlockKind::Paragraph && short && !sentence)
}

/// A short label ending in a colon with nothing after it: what it
/// introduced (a gallery, a list of profiles) is not there.
fn dangling(b: &Block) -> bool {
    b.kind == BlockKind::Paragraph && b.text.trim_end().ends_with([':', '：']) && is_label(b)
}

/// A rights line: «Copyright © 2025 Station. All Rights Reserved.»
fn rights(b: &Block) -> bool {
    b.kind == BlockKind::Paragraph && b.text.contains('©') && b.text.chars().count() <= MAX_RIGHTS
}

/// A rights line is at most this long.
const MAX_RIGHTS: usize = 120;

/// «Tags: Employment, Health & Fitness, Mid-sized Businesses»: a label of
/// one or two words, then at least three short items and nothing else.
fn label_list(b: &Block) -> bool {
    let Some((label, rest)) = b.text.split_once([':', '：']) else { return false };
    let items: Vec<&str> = rest.split([',', '，', '、', '|', '·']).map(str::trim).collect();
    b.kind == BlockKind::Paragraph
        && (1..=2).contains(&label.split_whitespace().count())
        && items.len() >= 3
        && items.iter().all(|i| (1..=4).contains(&i.split_whitespace().count()) && !i.ends_with('.'))
}

/// A photo credit standing as its own line, wherever it is: «©» and a
/// holder of at most [`MAX_CREDIT_WORDS`] words, no year («© Alamy», «©
/// UC Global»). A rights line with a year («© 2002, 2003 Jamie
/// Zawinski») or a longer notice («© A.M. Best Company, Inc. — used by
/// permission») is the article's.
pub(crate) fn is_credit_line(b: &Block) -> bool {
    let t = b.text.trim();
    let Some(holder) = t.strip_prefix('©') else { return false };
    b.kind == BlockKind::Paragraph
        && (1..=MAX_CREDIT_WORDS).contains(&holder.split_whitespace().count())
        && !holder.chars().any(|c| c.is_ascii_digit())
}

/// A credit's holder is at most this many words.
const MAX_CREDIT_WORDS: usize = 4;
