//! The author's bio box after the article: «Jane Roe is a reporter who
//! covers…», often under «About the author» and the name on its own line.
//!
//! A box named `author` or `bio` cannot go (Readability's expected text
//! keeps some, BENCHMARKS.md, issue 11), and its words differ per
//! language. What holds on any site: the page states its author (JSON-LD,
//! `<meta name=author>`, read by `meta`), and a bio is the one paragraph
//! near the end that opens with that very name. So a paragraph that opens
//! with a stated author's full name, in the trailing part of the text and
//! after enough body, goes, with the short label lines right above it
//! (the heading, the name again, a job title); so does one whose label
//! is inline («About the author: Jane Roe is…»). Above the body, a short
//! line that is the name and a word («By Jane Roe,») is the byline.

use crate::model::{Block, BlockKind};

/// The article must hold at least this much text before the bio.
const MIN_BODY: usize = 500;

/// A bio is at most this long.
const MAX_BIO: usize = 800;

/// What may follow the bio: a line or two («View all articles»).
const MAX_AFTER: usize = 200;

/// At most this many label lines above the bio go with it.
const MAX_LABELS: usize = 3;

/// A label line above the bio is at most this long.
const MAX_LABEL: usize = 60;

/// Removes the stated author's bio from the trailing edge of `blocks`.
pub(crate) fn drop_author_bio(blocks: &mut Vec<Block>, byline: Option<&str>) {
    let names = names(byline.unwrap_or(""));
    // A word that opens other lines too («The», «Our») is no one's name.
    let opening = |g: &String| blocks.iter().filter(|b| b.text.trim_start().starts_with(g.as_str())).count();
    let given: Vec<String> = given_names(byline.unwrap_or("")).into_iter().filter(|g| opening(g) <= 1).collect();
    if names.is_empty() && given.is_empty() {
        return;
    }
    let len = |b: &Block| if b.kind == BlockKind::Image { 0 } else { b.text.chars().count() };
    let total: usize = blocks.iter().map(len).sum();
    let mut after = 0usize;
    let mut at = None;
    for (i, b) in blocks.iter().enumerate().rev() {
        let n = len(b);
        if b.kind == BlockKind::Paragraph && n <= MAX_BIO {
            // By the given name alone («Lauren has written…») only under a
            // box, as every bio without its label inline.
            if names.iter().any(|name| opens_with(&b.text, name)) || given.iter().any(|g| opens_sentence(&b.text, g)) {
                at = Some((i, false));
                break;
            }
            if names.iter().any(|name| labelled(&b.text, name)) {
                at = Some((i, true));
                break;
            }
        }
        after += n;
        if after > MAX_AFTER {
            return;
        }
    }
    let Some((i, inline)) = at else { return };
    if total.saturating_sub(after + len(&blocks[i])) < MIN_BODY {
        return;
    }
    // A box: a label line or the author's photo right above the bio.
    // A paragraph about the author straight after the body is the
    // article's own (a guest author's note), as the corpora keep it.
    let mut from = i;
    let mut labels = 0;
    // A bio with its label inline is the box on its own.
    while !inline && from > 0 && labels < MAX_LABELS {
        let b = &blocks[from - 1];
        if b.kind != BlockKind::Image && !is_label(b) {
            break;
        }
        labels += usize::from(b.kind != BlockKind::Image);
        from -= 1;
    }
    if from == i && !inline {
        return;
    }
    blocks.drain(from..=i);
}

/// The bio under its own label: «About the author: Jane Roe is…», the
/// name after at most [`MAX_LABEL_WORDS`] words that end no sentence.
fn labelled(text: &str, name: &str) -> bool {
    let Some(at) = text.find(name) else { return false };
    let label = &text[..at];
    let words = label.split_whitespace().count();
    (1..=MAX_LABEL_WORDS).contains(&words)
        && !label.trim_end().ends_with(['.', '!', '?', '…', '。'])
        && opens_with(&text[at..], name)
        && text[at + name.len()..].split_whitespace().count() >= MIN_BIO_WORDS
}

/// A bio says something after the name: a credit «(Jane Roe)» does not.
const MIN_BIO_WORDS: usize = 5;

/// Words of a label before the name.
const MAX_LABEL_WORDS: usize = 3;

/// The text before the body's first this many characters is where a
/// byline stands.
const LEAD: usize = 300;

/// Removes byline lines above the body: a short line that is the stated
/// author's name and at most one more word («By Jane Roe,»).
pub(crate) fn drop_leading_byline(blocks: &mut Vec<Block>, byline: Option<&str>) {
    let names = names(byline.unwrap_or(""));
    let mut seen = 0usize;
    let mut i = 0;
    while i < blocks.len() && seen < LEAD && !names.is_empty() {
        let b = &blocks[i];
        let t = b.text.trim();
        let byline = b.kind == BlockKind::Paragraph
            && t.chars().count() <= MAX_LABEL
            && names.iter().any(|n| {
                t.contains(n.as_str())
                    && t.replacen(n.as_str(), " ", 1)
                        .split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphanumeric))
                        .count()
                        <= 1
            });
        if byline {
            blocks.remove(i);
            continue;
        }
        if b.kind != BlockKind::Image {
            seen += t.chars().count();
        }
        i += 1;
    }
}

/// The full names in a stated byline: «Ann Lee, Bo Chen» → both; a single
/// word is no name to go by (a site, a handle).
fn names(byline: &str) -> Vec<String> {
    byline
        .split([',', '&', ';'])
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| (2..=5).contains(&n.split_whitespace().count()))
        .collect()
}

/// The given names in a stated byline: the first word of a name of two
/// words, or a name stated as one word («Lauren»), capitalised and at
/// least three letters long (not «By», not a handle, not «The
/// Investopedia Team»).
fn given_names(byline: &str) -> Vec<String> {
    byline
        .split([',', '&', ';'])
        .filter(|n| (1..=2).contains(&n.split_whitespace().count()))
        .filter_map(|n| n.split_whitespace().next())
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_string)
        .collect()
}

/// `text` opens with `name` and then a lowercase word: the name is the
/// subject of a sentence about that person («Lauren has written…»).
fn opens_sentence(text: &str, name: &str) -> bool {
    let t = text.trim_start();
    t.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(' '))
        .is_some_and(|rest| rest.chars().next().is_some_and(char::is_lowercase))
}

/// `text` opens with `name` as whole words.
fn opens_with(text: &str, name: &str) -> bool {
    let t = text.trim_start();
    t.strip_prefix(name).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// A heading or a short line that is no sentence: «About the author», the
/// name, «Executive Editor».
fn is_label(b: &Block) -> bool {
    let t = b.text.trim();
    let short = t.chars().count() <= MAX_LABEL;
    b.kind == BlockKind::Heading && short
        || b.kind == BlockKind::Paragraph && short && !t.ends_with(['.', '!', '?', '…', '。'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_a_byline() {
        assert_eq!(names("Ann Lee, Bo Chen"), ["Ann Lee", "Bo Chen"]);
        assert!(names("Staff").is_empty());
        assert!(opens_with("Ann Lee is a reporter.", "Ann Lee"));
        assert!(!opens_with("Ann Leeway said", "Ann Lee"));
    }

    #[test]
    fn given_names_of_a_byline() {
        assert_eq!(given_names("Ann Lee, Bo Chen"), ["Ann"]);
        assert_eq!(given_names("Lauren"), ["Lauren"]);
        assert!(given_names("The Investopedia Team").is_empty());
        assert!(given_names("@jroe").is_empty());
        assert!(opens_sentence("Lauren has written for us since 2018.", "Lauren"));
        assert!(!opens_sentence("Lauren Smith has written", "Lauren"));
    }
}
