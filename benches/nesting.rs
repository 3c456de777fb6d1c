//! HTML → blocks on absurdly nested markup (issue 10, "bounded work"):
//! `cargo bench --bench nesting`. Prints seconds per depth for nested
//! `<div>`s, `<b><i>` pairs and `<ul>`s, through the feed path
//! (`text::html::html_to_blocks`) and the page path (`extract::extract`,
//! which runs dom_smoothie first). Before the nesting cap both were
//! quadratic inside html5ever (100 000 divs: 89 s).

use std::time::Instant;

fn nested(open: &str, close: &str, depth: usize) -> String {
    let para = "Текст статьи о погоде в Алматы, достаточно длинный, чтобы его сочли статьёй. ".repeat(4);
    format!(
        "<html><body>{}<article><p>{para}</p><p>{para}</p></article>{}</body></html>",
        open.repeat(depth),
        close.repeat(depth)
    )
}

fn main() {
    let rules = svodka::extract::Rules::default();
    println!("{:<8} {:>8} {:>12} {:>12}", "markup", "depth", "feed path s", "page path s");
    for (name, open, close) in
        [("div", "<div>", "</div>"), ("b+i", "<b><i>", "</i></b>"), ("ul", "<ul><li>", "</li></ul>")]
    {
        for depth in [5_000, 10_000, 20_000, 100_000] {
            let html = nested(open, close, depth);
            let t = Instant::now();
            let blocks = svodka::text::html::html_to_blocks(&html, None);
            let feed = t.elapsed().as_secs_f64();
            assert!(!blocks.blocks.is_empty(), "the text survives");
            let t = Instant::now();
            let _ = svodka::extract::extract(&html, None, &rules);
            let page = t.elapsed().as_secs_f64();
            println!("{name:<8} {depth:>8} {feed:>12.3} {page:>12.3}");
        }
    }
}
