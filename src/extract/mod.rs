//! Full text: from a web page to the article it carries.
//!
//! Most Russian news feeds send a headline and a sentence; the article lives
//! on the site. This module turns a page (bytes and the URL it came from)
//! into the article model: title, byline, date, site name, lead image alt
//! and body blocks with numbered links, dropping navigation, comments,
//! share buttons and the like.
//!
//! Two layers: per-site rules (CSS selectors the user keeps in the config
//! dir, see [`rules`]) go first; otherwise the generic extractor is
//! dom_smoothie, a close port of Mozilla's Readability.js, chosen by
//! measurement (BENCHMARKS.md, "Full-text extraction"). Its cleaned HTML
//! then goes through `text::html`, so extracted pages and feed content end
//! up in exactly the same block model and are sanitised the same way.

mod bio;
mod candidate;
mod edges;
mod fallback;
pub mod meta;
pub mod page;
mod prune;
pub mod rules;
pub mod score;
mod tail;
mod teasers;

use scraper::Html;
use url::Url;

pub use crate::model::Extracted;
use crate::model::{Block, BlockKind, Stamp};
use crate::text::decode::{self, DecodeError};
use crate::text::html;

pub use rules::{Rule, Rules, RulesError};

/// Below this many characters of body text a page is not an article (a
/// front page, a listing, an error page dressed as 200 OK).
pub const MIN_ARTICLE_CHARS: usize = 200;

impl Extracted {
    /// The body as plain text (for scoring and excerpts): one block a line,
    /// without images (block text carries no link markers).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for b in self.blocks.iter().filter(|b| b.kind != BlockKind::Image) {
            out.push_str(&b.text);
            out.push('\n');
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("cannot decode the page: {0}")]
    Decode(#[from] DecodeError),
    #[error("not an article: {0}")]
    NotAnArticle(String),
}

/// Decodes a page in the order the issue sets: BOM, the HTTP charset, the
/// page's `<meta charset>` (or `http-equiv` Content-Type), then detection.
/// A label the bytes contradict is passed over: non-ASCII bytes that are
/// valid UTF-8 are UTF-8 whatever the page claims (pages re-saved as UTF-8
/// keep their old `<meta charset=gb2312>`; real GBK or windows-1251 text
/// is practically never valid UTF-8), and a UTF-8 label over bytes that
/// are not UTF-8 is no evidence at all.
pub fn decode_page(bytes: &[u8], http_charset: Option<&str>) -> Result<String, DecodeError> {
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(decode::decode_document(bytes, Some("utf-8"))?.text);
    }
    let meta = meta_charset(bytes);
    let label = [http_charset, meta.as_deref()].into_iter().flatten().find(|l| {
        decode::encoding_for_label(l)
            .is_some_and(|e| e != encoding_rs::UTF_8 && e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE)
    });
    Ok(decode::decode_document(bytes, label)?.text)
}

/// The charset a page declares in its first 4 KiB, read as ASCII.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let n = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                    .count();
                if n > 0 {
                    return Some(String::from_utf8_lossy(&rest[..n]).into_owned());
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Extracts the article from raw page bytes (see [`decode_page`]).
pub fn extract_bytes(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&Url>,
    rules: &Rules,
) -> Result<Extracted, ExtractError> {
    let text = decode_page(bytes, http_charset)?;
    extract(&text, url, rules)
}

/// The reading pane's mark for extracted text: «полный текст с сайта ·
/// 29 ноября 2026, 04:50» (English: "full text from the site · ..."), or
/// `None` for an article whose body is what its feed or dump carried.
pub fn marker(a: &crate::model::Article, lang: crate::i18n::Lang) -> Option<String> {
    let when = crate::i18n::date_long(&Stamp::DateTime(a.extracted?), lang);
    let what =
        if lang == crate::i18n::Lang::Ru { "полный текст с сайта" } else { "full text from the site" };
    Some(format!("{what} · {when}"))
}

/// Refuses what is not an article: less than [`MIN_ARTICLE_CHARS`] of
/// body text (a front page, a listing, an error page served as 200 OK).
/// Separate from [`extract`] as Readability's `isProbablyReaderable` is:
/// the benchmark scores the extractor on every page, the archive only
/// takes articles.
pub fn check_article(ex: Extracted) -> Result<Extracted, ExtractError> {
    let chars = ex.own_text;
    if chars < MIN_ARTICLE_CHARS {
        return Err(ExtractError::NotAnArticle(format!(
            "only {chars} characters of text outside links found (at least {MIN_ARTICLE_CHARS} expected)"
        )));
    }
    Ok(ex)
}

/// Extracts the article from a decoded page. `url` is where the page came
/// from: relative links resolve against it and site rules match its host.
/// Whatever the page is, this returns the best body it found; see
/// [`check_article`] for deciding whether that is an article.
pub fn extract(page: &str, url: Option<&Url>, rules: &Rules) -> Result<Extracted, ExtractError> {
    // Both parsers below are html5ever, quadratic in nesting depth.
    let page = &*html::cap_nesting(page);
    let doc = Html::parse_document(page);
    let meta = meta::read(&doc, url);
    let rule = url.and_then(|u| rules.for_url(u));
    let mut out = match rule.and_then(|r| rules::apply(r, page, url)) {
        Some(from_rule) => from_rule,
        None => generic(page, &doc, url)?,
    };
    out.title = pick(&[out.title.as_str(), meta.title.as_str()]);
    // Readability keeps a short `<title>` whole, «| Site» and all.
    let suffixed =
        |site: &String| out.title.strip_prefix(&meta.title).is_some_and(|r| r.trim_end().ends_with(site.as_str()));
    if !meta.title.is_empty() && meta.site_name.as_ref().is_some_and(suffixed) {
        out.title = meta.title.clone();
    }
    // The author's bio and byline lines: text about the article, not of it.
    // Only the stated author: Readability's guess cost its own corpus.
    if out.method == "generic" {
        let author = meta.byline.as_deref();
        bio::drop_author_bio(&mut out.blocks, author);
        bio::drop_leading_byline(&mut out.blocks, author);
    }
    // An author the page states (JSON-LD, meta) beats Readability's guess
    // from the text («By X, Updated 5:27 am»); a site rule's selector beats both.
    let byline = if out.method == "rule" { out.byline.or(meta.byline) } else { meta.byline.or(out.byline) };
    out.byline = byline.map(|b| crate::text::sanitize(&b).trim().to_string()).filter(|b| !b.is_empty());
    out.published = out.published.or(meta.published);
    out.site_name = out.site_name.or(meta.site_name);
    out.image_alt = meta.image_alt.or_else(|| first_image_alt(&out.blocks));
    // A title repeated as the first heading is noise in the reading pane.
    if out.blocks.first().is_some_and(|b| b.kind == BlockKind::Heading && b.text == out.title) {
        out.blocks.remove(0);
    }
    crate::text::cap::cap_blocks(&mut out.blocks);
    Ok(out)
}

/// The generic layer: Readability's algorithm (dom_smoothie), then our own
/// HTML → blocks walk over the article it kept.
fn generic(page: &str, doc: &Html, url: Option<&Url>) -> Result<Extracted, ExtractError> {
    // Classes stay for the boilerplate pass (`prune`), which reads them.
    let cfg = dom_smoothie::Config { max_elements_to_parse: 0, keep_classes: true, ..Default::default() };
    // Page HTML is untrusted and the crate is not ours: a panic inside it
    // is one page failing, never the fetcher or the reader going down.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut r = dom_smoothie::Readability::new(page, url.map(Url::as_str), Some(cfg))?;
        r.parse()
    }));
    let (a, failed) = match run {
        Ok(Ok(a)) => (Some(a), String::new()),
        Ok(Err(e)) => (None, e.to_string()),
        Err(_) => (None, "the extractor failed on this page".to_string()),
    };
    let kept = a.as_ref().map(|a| prune::prune(&a.content));
    // When Readability failed or stopped short, the fallback candidate.
    let content = fallback::choose(doc, kept).ok_or(ExtractError::NotAnArticle(failed))?;
    // A pile of short lines (a data table of `<p>`s) gives way to the prose around it.
    let content = candidate::prose_over_pile(doc, content);
    let mut converted = html::html_to_blocks(&content, url);
    converted.blocks.retain(|b| b.kind == BlockKind::Image || !b.text.trim().is_empty());
    let title = a.as_ref().map(|a| crate::text::sanitize(&a.title).trim().to_string()).unwrap_or_default();
    edges::trim_edges(&mut converted.blocks, &converted.links, &title);
    converted.blocks.retain(|b| !edges::is_credit_line(b));
    Ok(Extracted {
        own_text: own_text(&content),
        title,
        byline: a.as_ref().and_then(|a| a.byline.clone()),
        published: a.as_ref().and_then(|a| a.published_time.as_deref()).and_then(crate::dates::parse_date),
        site_name: a
            .and_then(|a| a.site_name)
            .map(|s| crate::text::sanitize(&s).trim().to_string())
            .filter(|s| !s.is_empty()),
        image_alt: None,
        blocks: converted.blocks,
        links: converted.links,
        method: "generic",
    })
}

/// Non-whitespace characters of an HTML fragment's text outside `<a>`,
/// scripts and styles.
pub fn own_text(fragment: &str) -> usize {
    let doc = Html::parse_fragment(fragment);
    doc.root_element()
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors().any(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "a" | "script" | "style")))
        })
        .map(|(_, t)| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

fn first_image_alt(blocks: &[Block]) -> Option<String> {
    blocks.iter().find(|b| b.kind == BlockKind::Image).and_then(|b| b.image.as_ref()?.alt.clone())
}

/// The first non-empty candidate.
fn pick(candidates: &[&str]) -> String {
    candidates.iter().map(|c| c.trim()).find(|c| !c.is_empty()).unwrap_or_default().to_string()
}

/// Removes `[n]` markers from text (as `text::html` wrote them before
/// links became ranges; benches still compare against such text).
pub fn strip_link_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(']') {
            rest = &after[digits + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The elements that hold a block of text (paragraphs, lists, headings,
/// sections, quotes, figures, tables): the shared part of what the
/// extraction passes treat as a block; each pass adds its own few.
pub(crate) fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "table"
            | "tr"
            | "td"
    )
}
