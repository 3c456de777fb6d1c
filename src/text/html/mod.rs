//! HTML fragments (feed item content, later whole extracted pages) → the
//! article model's blocks and numbered links.
//!
//! Why by hand over scraper's DOM: no crate maps HTML to *our* block kinds
//! (paragraph, heading, list item, quote, preformatted, image) with
//! newsboat-style numbered links; html5ever (through scraper) does the hard
//! part, parsing tag soup and decoding entities, and this module only walks
//! the tree. Everything that comes out has been through `text::sanitize`.
//!
//! Links become ranges of the block's text ([`LinkSpan`]), images typed
//! blocks with their `<figcaption>`: the text stays clean. While a block is
//! collected, link edges are private-use sentinels in its buffer (see
//! [`spans`]) so that whitespace collapsing and sanitising, which change
//! offsets, run exactly as on link-free text.

use std::borrow::Cow;

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use url::Url;

use crate::model::{Block, BlockKind, Image, Link, LinkSpan, ListMark};

mod nesting;
mod spans;
pub use nesting::cap_nesting;
use spans::{CANCEL, OPEN, close_marker, strip_sentinels};

/// Blocks and links of one HTML fragment or document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

/// Parses an HTML fragment and converts it. Relative links and image
/// sources resolve against `base` when given.
pub fn html_to_blocks(html: &str, base: Option<&Url>) -> Converted {
    let html: Cow<'_, str> = nesting::cap_nesting(html);
    let doc = Html::parse_fragment(&html);
    element_to_blocks(doc.root_element(), base)
}

/// Converts an already parsed element and everything under it (the full-text
/// extractor calls this on the node it picked as the article).
pub fn element_to_blocks(el: ElementRef<'_>, base: Option<&Url>) -> Converted {
    let mut w = Walker {
        base,
        out: Converted::default(),
        buf: String::new(),
        quote: 0,
        pre: 0,
        depth: 0,
        figure: None,
        lists: 0,
        list: None,
        captions: Vec::new(),
    };
    w.children(*el);
    w.flush(BlockKind::Paragraph);
    w.out
}

/// Plain text (an item whose content is `text/plain`): paragraphs are
/// separated by blank lines, lines inside one are joined.
pub fn text_to_blocks(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n").map(clean).filter(|p| !p.is_empty()).map(Block::paragraph).collect()
}

/// True when `s` looks like HTML rather than plain text (feeds often send
/// HTML in RSS `<description>` without saying so).
pub fn looks_like_html(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ["<p", "<br", "<a ", "<div", "<img", "<b>", "<i>", "<ul", "<ol", "<li", "<em", "<strong", "<span", "<h", "<table"]
        .iter()
        .any(|t| lower.contains(t))
        || (lower.contains('&') && lower.contains(';'))
}

struct Walker<'b> {
    base: Option<&'b Url>,
    out: Converted,
    buf: String,
    quote: usize,
    pre: usize,
    depth: usize,
    /// Inside a `<figure>`: the index of its first block.
    figure: Option<usize>,
    /// Lists seen so far (the next list's id is one more).
    lists: u32,
    /// The list whose items are being collected.
    list: Option<ListMark>,
    /// Captions of the figure being walked.
    captions: Vec<String>,
}

/// Nesting deeper than this is flattened to its text: hostile markup must
/// not overflow a worker thread's stack through the recursive walk.
const MAX_DEPTH: usize = 128;

const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "math", "form",
    "button", "select", "textarea", "input", "meta", "link",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "hr",
    "address",
    "center",
    "details",
    "summary",
    "body",
    "html",
];

impl Walker<'_> {
    fn children(&mut self, node: NodeRef<'_, Node>) {
        if self.depth >= MAX_DEPTH {
            for child in node.children() {
                self.flatten(child);
            }
            return;
        }
        self.depth += 1;
        for child in node.children() {
            self.node(child);
        }
        self.depth -= 1;
    }

    /// The text of `node` and all under it without the structure, in one
    /// pass over the subtree (the walk stops recursing here). Dropped
    /// elements stay dropped.
    fn flatten(&mut self, node: NodeRef<'_, Node>) {
        let mut skipping = 0usize;
        for edge in node.traverse() {
            match edge {
                Edge::Open(n) => match n.value() {
                    Node::Element(e) if DROPPED.contains(&e.name()) => skipping += 1,
                    Node::Text(t) if skipping == 0 => self.buf.push_str(&strip_sentinels(t)),
                    _ => {}
                },
                Edge::Close(n) => {
                    if matches!(n.value(), Node::Element(e) if DROPPED.contains(&e.name())) {
                        skipping -= 1;
                    }
                }
            }
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => self.buf.push_str(&strip_sentinels(t)),
            Node::Element(e) => self.element(node, e),
            Node::Document | Node::Fragment => self.children(node),
            _ => {}
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, e: &Element) {
        let name = e.name();
        if DROPPED.contains(&name) {
            return;
        }
        match name {
            "br" => {
                if self.pre > 0 {
                    self.buf.push('\n');
                } else {
                    self.flush(self.para_kind());
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let at = self.block(node, BlockKind::Heading);
                if let Some(b) = at.and_then(|i| self.out.blocks.get_mut(i)) {
                    b.level = name[1..].parse().unwrap_or(0);
                }
            }
            "li" => {
                self.block(node, BlockKind::ListItem);
            }
            "figure" => self.figure(node),
            "figcaption" if self.figure.is_some() => self.figcaption(node),
            "ul" | "ol" | "menu" => self.list(node, e),
            "blockquote" => {
                self.flush(self.para_kind());
                self.quote += 1;
                self.children(node);
                self.flush(BlockKind::Quote);
                self.quote -= 1;
            }
            "pre" => {
                self.flush(self.para_kind());
                self.pre += 1;
                self.children(node);
                self.pre -= 1;
                self.flush_pre();
            }
            "img" => self.image(e),
            "a" => self.link(node, e),
            "td" | "th" => {
                self.buf.push(' ');
                self.children(node);
                self.buf.push(' ');
            }
            _ if BLOCKS.contains(&name) => {
                self.flush(self.para_kind());
                self.children(node);
                self.flush(self.para_kind());
            }
            _ => self.children(node),
        }
    }

    /// A block whose text becomes one block of `kind` (heading, list item);
    /// its index when it had text.
    fn block(&mut self, node: NodeRef<'_, Node>, kind: BlockKind) -> Option<usize> {
        self.flush(self.para_kind());
        self.children(node);
        self.flush(kind)
    }

    /// The last image of the figure being walked.
    fn figure_image(&self) -> Option<usize> {
        let from = self.figure?;
        (from..self.out.blocks.len()).rev().find(|&i| self.out.blocks[i].kind == BlockKind::Image)
    }

    /// A `<figure>`: its captions go onto its last image; one with no
    /// image keeps them as paragraphs.
    fn figure(&mut self, node: NodeRef<'_, Node>) {
        self.flush(self.para_kind());
        let outer = self.figure.replace(self.out.blocks.len());
        let captions = std::mem::take(&mut self.captions);
        self.children(node);
        self.flush(self.para_kind());
        let mine = std::mem::replace(&mut self.captions, captions);
        match self.figure_image().and_then(|i| self.out.blocks[i].image.as_mut()) {
            Some(img) if !mine.is_empty() => {
                let all = img.caption.take().into_iter().chain(mine).collect::<Vec<_>>();
                img.caption = Some(all.join(" "));
            }
            Some(_) => {}
            None => self.out.blocks.extend(mine.into_iter().map(Block::paragraph)),
        }
        self.figure = outer;
    }

    /// A figure's caption is kept for its image, not put into the text.
    fn figcaption(&mut self, node: NodeRef<'_, Node>) {
        self.flush(self.para_kind());
        self.flatten(node);
        let text = clean(&strip_sentinels(&std::mem::take(&mut self.buf)));
        if !text.is_empty() {
            self.captions.push(text);
        }
    }

    /// Each `<li>` a list item, numbered in an `<ol>` (from its `start`).
    fn list(&mut self, node: NodeRef<'_, Node>, e: &Element) {
        self.flush(self.para_kind());
        let ordered = e.name() == "ol";
        self.lists += 1;
        let outer = self.list.replace(ListMark { id: self.lists, ordered });
        let mut n = e.attr("start").and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(1);
        for child in node.children() {
            let is_li = matches!(child.value(), Node::Element(c) if c.name() == "li");
            if is_li {
                if ordered {
                    self.buf.push_str(&format!("{n}. "));
                    n += 1;
                }
                self.children(child);
                self.flush(BlockKind::ListItem);
            } else if self.depth >= MAX_DEPTH {
                self.flatten(child);
            } else {
                // One level deeper, as through `children`: directly nested lists must reach the cap too.
                self.depth += 1;
                self.node(child);
                self.depth -= 1;
            }
        }
        self.flush(self.para_kind());
        self.list = outer;
    }

    fn image(&mut self, e: &Element) {
        let alt = e.attr("alt").map(|a| clean(&strip_sentinels(a))).filter(|a| !a.is_empty());
        let src = e.attr("src").map(str::trim).filter(|s| !s.is_empty()).and_then(|s| self.resolve(s));
        self.flush(self.para_kind());
        let image = Image { src, alt, caption: None };
        self.out.blocks.push(Block { kind: BlockKind::Image, image: Some(image), ..Block::default() });
    }

    /// The link's text in place, its edges marked for [`spans`].
    fn link(&mut self, node: NodeRef<'_, Node>, e: &Element) {
        self.buf.push(OPEN);
        let start = self.buf.len();
        let blocks = self.out.blocks.len();
        self.children(node);
        let href = e.attr("href").map(str::trim).filter(|h| !h.is_empty() && !h.starts_with('#'));
        match href.and_then(|h| self.resolve(h)) {
            Some(url) => {
                // A block inside the link flushed the buffer: its text is what is left.
                let from = if self.out.blocks.len() == blocks { start } else { 0 };
                let text = clean(&strip_sentinels(self.buf.get(from..).unwrap_or(&self.buf)));
                let n = self.link_number(text, url);
                self.buf.push_str(&close_marker(n));
            }
            None => self.buf.push(CANCEL),
        }
    }

    fn para_kind(&self) -> BlockKind {
        if self.quote > 0 { BlockKind::Quote } else { BlockKind::Paragraph }
    }

    /// Ends the block being collected; its index when it had text. A link
    /// with no text right after an image (`<a><img></a>`) is that image's.
    fn flush(&mut self, kind: BlockKind) -> Option<usize> {
        let (text, links) = spans::spans(&clean(&self.buf), true);
        let buf = std::mem::take(&mut self.buf);
        if text.is_empty() {
            let img = self.out.blocks.last_mut().filter(|b| b.kind == BlockKind::Image && b.links.is_empty());
            if let (Some(img), Some(link)) = (img, spans::first_closed(&buf)) {
                img.links.push(LinkSpan { start: 0, end: 0, link });
            }
            return None;
        }
        let list = if kind == BlockKind::ListItem { self.list } else { None };
        self.out.blocks.push(Block { kind, text, links, list, ..Block::default() });
        Some(self.out.blocks.len() - 1)
    }

    /// Preformatted text keeps its lines and indentation; only trailing
    /// space and the blank lines around it go.
    fn flush_pre(&mut self) {
        let raw = std::mem::take(&mut self.buf).replace("\r\n", "\n").replace('\t', "    ");
        let lines: Vec<String> =
            raw.split('\n').map(|l| crate::text::sanitize(l).trim_end().to_string()).collect::<Vec<_>>();
        let (text, links) = spans::spans(&lines.join("\n"), false);
        if !text.trim().is_empty() {
            self.out.blocks.push(Block { kind: BlockKind::Preformatted, text, links, ..Block::default() });
        }
    }

    fn resolve(&self, href: &str) -> Option<String> {
        let url = match Url::parse(href) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => self.base?.join(href).ok()?,
            Err(_) => return None,
        };
        if matches!(url.scheme(), "javascript" | "data" | "vbscript") {
            return None;
        }
        Some(crate::text::sanitize(url.as_str()))
    }

    /// Numbers links in order of first appearance; the same URL twice keeps
    /// its first number, as newsboat does.
    fn link_number(&mut self, text: String, url: String) -> usize {
        if let Some(i) = self.out.links.iter().position(|l| l.url == url) {
            return i + 1;
        }
        self.out.links.push(Link { text, url });
        self.out.links.len()
    }
}

/// Whitespace collapsed first (so a newline between words stays a space),
/// then sanitised.
fn clean(s: &str) -> String {
    // Most text is already collapsed (one pass tells, and the sanitiser's
    // check with it) and has nothing to sanitise (nor C1 characters to
    // demoronise, which the check counts too): skip two copies (collapsed
    // text is already trimmed).
    let (collapsed, needs) = match collapsed_needs_sanitizing(s) {
        Some(needs) => (s.to_string(), needs),
        None => {
            let c = collapse(s);
            let needs = crate::text::sanitize::needs_sanitizing(&c);
            (c, needs)
        }
    };
    if !needs {
        return collapsed;
    }
    crate::text::sanitize(&demoronize(&collapsed)).trim().to_string()
}

/// For text [`collapse`] leaves as it is (trimmed, words apart by one
/// space), whether it needs sanitizing; `None` for any other text.
fn collapsed_needs_sanitizing(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    let mut needs = false;
    // After a space, or at the start: a space here is not collapsed.
    let mut after_space = true;
    let mut at = 0;
    while let Some(&lead) = b.get(at) {
        // Printable ASCII and U+00C0–U+05FF (leads C3–D7) undecoded: no
        // space among them, nothing to sanitise.
        let n = match lead {
            b' ' if after_space => return None,
            b' ' => 1,
            0x21..=0x7e => 1,
            0xc3..=0xd7 => 2,
            _ => {
                let c = s.get(at..)?.chars().next()?;
                if c.is_whitespace() {
                    return None;
                }
                needs = needs || crate::text::sanitize::touches(c);
                c.len_utf8()
            }
        };
        after_space = lead == b' ';
        at += n;
    }
    (!after_space || s.is_empty()).then_some(needs)
}

/// C1 control characters in HTML text are windows-1252 punctuation that
/// went through a Latin-1 decoder (`&#146;` for ’): browsers show them as
/// windows-1252, and so does svodka instead of dropping them.
fn demoronize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return s.into();
    }
    s.chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(b @ 0x80..=0x9f) => {
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(&[b]).0.chars().next().unwrap_or(c)
            }
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// Collapses runs of whitespace (HTML's rendering rule outside `<pre>`):
/// the words of `split_whitespace` joined by one space, found on the bytes
/// (no two-byte char but U+0085 and U+00A0 is a space) since every block
/// of every article goes through here.
fn collapse(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    let mut at = 0;
    while let Some(&lead) = b.get(at) {
        let (space, n) = match lead {
            0..0x80 => (matches!(lead, b'\t'..=b'\r' | b' '), 1),
            0xc3..=0xdf => (false, 2),
            _ => s.get(at..).and_then(|t| t.chars().next()).map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        match (space, word) {
            (true, Some(start)) => {
                push_word(&mut out, &s[start..at]);
                word = None;
            }
            (false, None) => word = Some(at),
            _ => {}
        }
        at += n;
    }
    if let Some(start) = word {
        push_word(&mut out, &s[start..]);
    }
    out
}

fn push_word(out: &mut String, w: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn collapsed_text_is_told_in_one_pass(s in "([  \t\n\u{85}\u{a0}\u{ad}\u{200b}\u{2028}\u{3000}\u{1b}жЖaё«»\u{600}-\u{610}]|\\PC){0,20}") {
            let want = (collapse(&s) == s).then(|| crate::text::sanitize::needs_sanitizing(&s));
            proptest::prop_assert_eq!(collapsed_needs_sanitizing(&s), want);
        }

        #[test]
        fn collapse_joins_the_words_split_whitespace_finds(s in "([ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}жЖaё«»]|\\PC){0,40}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse(&s), words.join(" "));
        }
    }

    fn kinds(c: &Converted) -> Vec<(BlockKind, &str)> {
        c.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect()
    }

    fn linked(b: &Block) -> Vec<(&str, usize)> {
        b.links.iter().map(|l| (&b.text[l.start..l.end], l.link)).collect()
    }

    #[test]
    fn figures_keep_captions_on_their_image_and_linked_images_their_link() {
        let html = r#"<figure><a href="/big.jpg"><img src="s.jpg" alt="Мост"></a>
            <figcaption>Мост через Иртыш. <a href="/ph">Фото: Иванов</a></figcaption></figure>
            <p>Текст <a href=" /a "> ссылка </a>.</p><figure><figcaption>Подпись без картинки</figcaption></figure>
            <figure><figcaption>Сначала подпись</figcaption><img src="b.png"></figure>"#;
        let c = html_to_blocks(html, Some(&Url::parse("https://a.kz/n/").unwrap()));
        assert_eq!(
            kinds(&c),
            [
                (BlockKind::Image, ""),
                (BlockKind::Paragraph, "Текст ссылка ."),
                (BlockKind::Paragraph, "Подпись без картинки"),
                (BlockKind::Image, "")
            ]
        );
        let img = c.blocks[0].image.clone().unwrap();
        assert_eq!(img.caption.as_deref(), Some("Мост через Иртыш. Фото: Иванов"));
        assert_eq!(c.blocks[0].links, [LinkSpan { start: 0, end: 0, link: 1 }]);
        assert_eq!(c.blocks[3].image.as_ref().and_then(|i| i.caption.as_deref()), Some("Сначала подпись"));
        assert_eq!(linked(&c.blocks[1]), [("ссылка", 2)]);
        assert_eq!(
            c.links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(),
            ["https://a.kz/big.jpg", "https://a.kz/a"]
        );
    }

    #[test]
    fn blocks_links_images_and_entities() {
        let base = Url::parse("https://example.ru/news/").unwrap();
        let html = r#"<h2>Заголовок</h2><p>Первый &laquo;абзац&raquo; с <a href="/a">ссылкой</a>
            и <a href="https://x.ru/b">второй</a>.<script>alert(1)</script></p>
            <style>p{}</style><ul><li>один</li><li>два <a href="/a">снова</a></li></ul>
            <ol start="3"><li>три</li></ol><blockquote><p>цитата</p></blockquote>
            <pre>  код
    отступ</pre><img src="x.jpg" alt="Фото  Караван"><img src="y.jpg">текст&nbsp;после"#;
        let c = html_to_blocks(html, Some(&base));
        assert_eq!(
            kinds(&c),
            vec![
                (BlockKind::Heading, "Заголовок"),
                (BlockKind::Paragraph, "Первый «абзац» с ссылкой и второй."),
                (BlockKind::ListItem, "один"),
                (BlockKind::ListItem, "два снова"),
                (BlockKind::ListItem, "3. три"),
                (BlockKind::Quote, "цитата"),
                (BlockKind::Preformatted, "  код\n    отступ"),
                (BlockKind::Image, ""),
                (BlockKind::Image, ""),
                (BlockKind::Paragraph, "текст после"),
            ]
        );
        assert_eq!(c.blocks[0].level, 2);
        assert_eq!(linked(&c.blocks[1]), [("ссылкой", 1), ("второй", 2)]);
        assert_eq!(linked(&c.blocks[3]), [("снова", 1)]);
        let lists: Vec<_> = c.blocks[2..5].iter().map(|b| b.list.map(|l| (l.id, l.ordered))).collect();
        assert_eq!(lists, [Some((1, false)), Some((1, false)), Some((2, true))]);
        let img = |i: usize| c.blocks[i].image.clone().unwrap();
        assert_eq!(
            img(7),
            Image {
                src: Some("https://example.ru/news/x.jpg".into()),
                alt: Some("Фото Караван".into()),
                caption: None
            }
        );
        assert_eq!(img(8).alt, None);
        assert_eq!(
            c.links,
            vec![
                Link { text: "ссылкой".into(), url: "https://example.ru/a".into() },
                Link { text: "второй".into(), url: "https://x.ru/b".into() },
            ]
        );
    }

    #[test]
    fn control_characters_and_hostile_links_are_dropped() {
        assert_eq!(html_to_blocks("don&#146;t", None).blocks[0].text, "don’t");
        let c = html_to_blocks("<p>a\u{1b}[31mb<a href=\"javascript:alert(1)\">x</a></p>", None);
        // The whole escape sequence goes, not just ESC.
        assert_eq!(kinds(&c), vec![(BlockKind::Paragraph, "abx")]);
        assert!(c.links.is_empty());
    }

    #[test]
    fn page_text_cannot_forge_link_edges() {
        // The sentinels are private-use characters; a page that carries them gets them dropped.
        let c = html_to_blocks("<p>a\u{e000}b\u{e002}1\u{e003} <a href='http://x/'>c\u{e001}</a></p>", None);
        assert_eq!(kinds(&c), [(BlockKind::Paragraph, "ab1 c")]);
        assert_eq!(linked(&c.blocks[0]), [("c", 1)]);
        let c = html_to_blocks("<pre>код <a href='http://x/'>ссылка</a>\n  ещё</pre>", None);
        assert_eq!(kinds(&c), [(BlockKind::Preformatted, "код ссылка\n  ещё")]);
        assert_eq!(linked(&c.blocks[0]), [("ссылка", 1)]);
    }

    #[test]
    fn blocks_inside_links_do_not_break_link_text() {
        let c = html_to_blocks("<div>до <a href='http://a/'><div>раз</div>два</a> после</div>", None);
        assert_eq!(c.links, vec![Link { text: "два".into(), url: "http://a/".into() }]);
        let texts: Vec<&str> = c.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["до", "раз", "два после"]);
        assert_eq!(linked(&c.blocks[2]), [("два", 1)]);
    }

    #[test]
    fn deep_nesting_is_flattened_not_a_stack_overflow() {
        let html = format!("{}глубоко{}", "<div><blockquote>".repeat(1_500), "</blockquote></div>".repeat(1_500));
        let c = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || html_to_blocks(&html, None))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(c.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["глубоко"]);
    }

    #[test]
    fn br_splits_paragraphs_and_plain_text_splits_on_blank_lines() {
        let c = html_to_blocks("раз<br>два<br/><br/>три", None);
        assert_eq!(c.blocks.len(), 3);
        assert_eq!(text_to_blocks("a\nb\n\n\nc").iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["a b", "c"]);
    }
}
