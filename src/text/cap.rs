//! One bound on an article's text, wherever it comes from (a dump, a feed
//! item, an extracted page): everything after import — storing, search
//! indexing, the reading pane's layout — is then bounded too. A 200 MB dump
//! once imported and then took 26 s and 5 GB to open.

use crate::model::Block;

/// The most text one article keeps: 5 MiB of UTF-8 (about 2.5 million
/// Cyrillic letters, a hundred times a long read).
pub const MAX_TEXT_BYTES: usize = 5 * 1024 * 1024;

/// The paragraph that ends an article cut at the cap.
pub const TRUNCATED: &str = "[…] (текст длиннее 5 МБ и обрезан здесь)";

/// Cuts `blocks` to [`MAX_TEXT_BYTES`] of text (the block that crosses the
/// cap is cut at a character boundary) and ends them with the
/// [`TRUNCATED`] mark; true when something was cut.
pub fn cap_blocks(blocks: &mut Vec<Block>) -> bool {
    let mut left = MAX_TEXT_BYTES;
    let Some(over) = blocks.iter().position(|b| match left.checked_sub(b.text.len()) {
        Some(l) => {
            left = l;
            false
        }
        None => true,
    }) else {
        return false;
    };
    blocks.truncate(over + 1);
    let b = &mut blocks[over];
    let cut = (0..=left).rev().find(|i| b.text.is_char_boundary(*i)).unwrap_or(0);
    b.text.truncate(cut);
    b.links.retain(|l| l.end <= cut);
    if b.text.is_empty() {
        blocks.pop();
    }
    blocks.push(Block::paragraph(TRUNCATED));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_with_a_mark() {
        let para = "Текст. ".repeat(1000);
        let mut blocks = vec![Block::paragraph(para.clone()); MAX_TEXT_BYTES / para.len() + 2];
        assert!(cap_blocks(&mut blocks));
        assert_eq!(blocks.last().map(|b| b.text.as_str()), Some(TRUNCATED));
        assert!(blocks.iter().map(|b| b.text.len()).sum::<usize>() <= MAX_TEXT_BYTES + TRUNCATED.len());
        let mut one = vec![Block::paragraph("aж".repeat(MAX_TEXT_BYTES / 2))];
        assert!(cap_blocks(&mut one));
        assert_eq!((one.len(), one[0].text.len()), (2, MAX_TEXT_BYTES - 1), "cut at a char boundary");
        let mut short = vec![Block::paragraph(para)];
        assert!(!cap_blocks(&mut short));
        assert_eq!(short.len(), 1);
    }
}
