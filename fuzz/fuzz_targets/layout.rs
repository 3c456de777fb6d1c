//! The reading pane's layout: any text at any width must give lines no wider
//! than the pane (checked here, not only "no panic").
#![no_main]
use libfuzzer_sys::fuzz_target;
use svodka::model::{Block, BlockKind};
use svodka::text::layout::{Document, LayoutOptions, layout_document};

fuzz_target!(|data: &[u8]| {
    let Some((&w, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\n');
    let title = parts.next().unwrap_or("").to_string();
    let body: Vec<Block> = parts
        .flat_map(|p| p.split("\n\n"))
        .map(|t| Block::new(if t.starts_with('#') { BlockKind::Heading } else { BlockKind::Paragraph }, t))
        .collect();
    let doc = Document { title, meta: String::new(), blocks: body, links: Vec::new() };
    let width = usize::from(w % 120) + 1;
    for (justify, hyphenate) in [(false, true), (true, false)] {
        let opts = LayoutOptions { width, justify, hyphenate };
        for line in layout_document(&doc, &opts) {
            let got = svodka::text::width::display_width(&line.text);
            assert!(got <= width, "line {:?} is {got} columns in a {width}-column pane", line.text);
        }
    }
});
