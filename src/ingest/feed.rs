//! Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) → articles.
//!
//! feed-rs does the parsing; this module owns what feed-rs cannot know:
//! the encoding decision (BOM → HTTP charset → XML declaration → detection,
//! through `text::decode`), dates exactly as precise as the feed gave them
//! (a bare date stays a date, an offset stays an offset, Russian month names
//! parse), article identity (GUID, else link, else title + date) and turning
//! item HTML into blocks with `text::html`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use time::OffsetDateTime;

use crate::dates::parse_date;
use url::Url;

use crate::model::{Block, NewArticle, Stamp};
use crate::text::decode::{self, DecodeError};
pub use crate::text::sniff::{Sniffed, sniff};
use crate::text::sniff::{root_name, root_start, skip_leading_space};
use crate::text::{html, sanitize};

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("not a feed (no RSS, Atom or JSON Feed root)")]
    NotAFeed,
    #[error("malformed feed: {0}")]
    Malformed(String),
    /// The decode produced text no language has (Cyrillic read in the
    /// wrong code page, UTF-8 read as a legacy one): nothing is stored, so
    /// the archive keeps the last good copy of every item.
    #[error("the feed decoded as {0} reads as garbled text (mojibake); nothing was stored")]
    Mojibake(&'static str),
}

/// A parsed feed: its own metadata and its items as articles.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// The site the feed belongs to (its alternate link).
    pub site_url: Option<String>,
    pub kind: &'static str,
    pub encoding: &'static str,
    pub items: Vec<NewArticle>,
    /// Set when the document was broken and only part of it was read: the
    /// parser's complaint about the original.
    pub recovered: Option<String>,
    /// RSS `<ttl>`: minutes the feed may be cached before a refresh.
    pub ttl: Option<u32>,
}

const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";

/// feed-rs reads RSS 0.91/0.92/2.0 and Atom 1.0; older dialects are mapped
/// onto those before parsing. An `<rss>` root of any other version, or none,
/// is read as 2.0 (0.93/0.94 were drafts of it); Atom 0.3's namespace and
/// its `issued`/`modified` dates become Atom 1.0's.
fn normalize_dialect(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = root_start(text) else { return text.into() };
    let Some(tag_len) = text[start..].find('>') else { return text.into() };
    let tag = &text[start..start + tag_len];
    if tag.starts_with("<rss") && (tag.len() == 4 || tag[4..].starts_with(|c: char| c.is_whitespace() || c == '/')) {
        let version = tag.find("version=").and_then(|i| {
            let v = &tag[i + 8..];
            let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = v[1..].find(q)?;
            Some((i, i + 8 + end + 2, v[1..=end].trim().to_string()))
        });
        let fixed = match version {
            Some((_, _, v)) if matches!(v.as_str(), "0.91" | "0.92" | "2.0") => return items_into_channel(text),
            Some((a, b, _)) => format!("{}version=\"2.0\"{}", &tag[..a], &tag[b..]),
            None => format!("<rss version=\"2.0\"{}", &tag[4..]),
        };
        let out = format!("{}{fixed}{}", &text[..start], &text[start + tag_len..]);
        return items_into_channel(&out).into_owned().into();
    }
    if tag.contains(RSS090_NS) {
        // RSS 0.9 is RSS 1.0's shape under its own namespace.
        return text.replacen(RSS090_NS, "http://purl.org/rss/1.0/", 1).into();
    }
    if !tag.starts_with("<feed") {
        return text.into();
    }
    // feed-rs rejects the XHTML MIME type where Atom means "xhtml".
    let mut out = text.replace(" type=\"application/xhtml+xml\"", " type=\"xhtml\"");
    if tag.contains("http://purl.org/atom/ns#") {
        // Atom 0.3 text constructs carry MIME types; 1.0 has names.
        out = out
            .replace(" type=\"text/html\"", " type=\"html\"")
            .replace(" type=\"text/plain\"", " type=\"text\"")
            .replace("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom")
            .replace("<issued>", "<published>")
            .replace("</issued>", "</published>")
            .replace("<modified>", "<updated>")
            .replace("</modified>", "</updated>");
    }
    out.into()
}

/// Early RSS 0.91 feeds (greek.ru) close `<channel>` before their `<item>`s,
/// RSS 0.9 style; feed-rs reads only items inside the channel, so the
/// channel's end moves to just before `</rss>` (or is left for [`salvage`]
/// to add when the document is truncated).
fn items_into_channel(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(close) = text.find("</channel>") else { return text.into() };
    let after = &text[close..];
    let item_after =
        after.match_indices("<item").any(|(i, _)| after[i + 5..].starts_with(['>', ' ', '\t', '\r', '\n']));
    if !item_after {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..close]);
    let rest = &text[close + "</channel>".len()..];
    match rest.rfind("</rss>") {
        Some(end) => {
            out.push_str(&rest[..end]);
            out.push_str("</channel>");
            out.push_str(&rest[end..]);
        }
        None => out.push_str(rest),
    }
    out.into()
}

/// Parses a feed from raw bytes. `http_charset` is the `Content-Type`
/// charset when fetched; `base` the feed URL (relative links resolve
/// against xml:base, then it).
pub fn parse_feed(bytes: &[u8], http_charset: Option<&str>, base: Option<&str>) -> Result<ParsedFeed, FeedError> {
    // Untrusted input through two third-party parsers: a panic anywhere is
    // this feed's error, never the end of an import or a fetch.
    let parsed = std::panic::catch_unwind(|| parse_feed_inner(bytes, http_charset, base))
        .unwrap_or_else(|_| Err(FeedError::Malformed("the parser failed on this document".into())))?;
    let mut parsed = parsed;
    for item in &mut parsed.items {
        crate::text::cap::cap_blocks(&mut item.blocks);
    }
    if reads_as_mojibake(&parsed) {
        return Err(FeedError::Mojibake(parsed.encoding));
    }
    // Items in the document and none read is a failure to report, never an
    // empty feed (that is how 0.9-style feeds were silently lost).
    if parsed.items.is_empty() {
        let n = item_elements(bytes);
        if n > 0 {
            return Err(FeedError::Malformed(format!("{n} items in the document, none could be read")));
        }
    }
    Ok(parsed)
}

/// Judged on the feed's own words (title, item titles, the start of each
/// body): enough text for the check to be sure, little enough to be cheap.
fn reads_as_mojibake(f: &ParsedFeed) -> bool {
    let mut text = f.title.clone().unwrap_or_default();
    for it in &f.items {
        text.push('\n');
        text.push_str(&it.title);
        if let Some(b) = it.blocks.first() {
            text.push(' ');
            // The first 200 chars, copied as one slice.
            let end = b.text.char_indices().nth(200).map_or(b.text.len(), |(i, _)| i);
            text.push_str(&b.text[..end]);
        }
    }
    crate::text::decode::looks_like_mojibake(&text)
}

/// How many `<item>`/`<entry>` start tags (any prefix) the raw document has;
/// the tag names are ASCII in every encoding a feed uses but UTF-16, which
/// is decoded first.
fn item_elements(bytes: &[u8]) -> usize {
    let text = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, n)) if enc != encoding_rs::UTF_8 => enc.decode_without_bom_handling(&bytes[n..]).0,
        _ => String::from_utf8_lossy(bytes),
    };
    let is_item = |name: &str| {
        let local = name.rsplit(':').next().unwrap_or(name);
        local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry")
    };
    text.split('<')
        .skip(1)
        .filter(|t| is_item(t.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("")))
        .count()
}

fn parse_feed_inner(bytes: &[u8], http_charset: Option<&str>, base: Option<&str>) -> Result<ParsedFeed, FeedError> {
    let decoded = decode::decode_document(skip_leading_space(bytes), http_charset)?;
    let text = decode::relabel_xml_utf8(&decoded.text);
    let text = normalize_dialect(text.trim_start_matches('\u{FEFF}').trim_start());
    let text = text.as_ref();
    let stamps: Arc<Mutex<HashMap<i64, Stamp>>> = Arc::default();
    let base_url = base.and_then(|b| Url::parse(b).ok());
    // A fresh parser per attempt: feed-rs keeps per-parse state.
    let parse = |doc: &str| {
        let seen = Arc::clone(&stamps);
        let parser = feed_rs::parser::Builder::new()
            .base_uri(base)
            // Keep missing ids empty: identity falls back to link, then title + date.
            .id_generator(|_, _, _| String::new())
            .timestamp_parser(move |raw| {
                let stamp = parse_date(raw)?;
                let utc = DateTime::<Utc>::from_timestamp(stamp.sort_key(), 0)?;
                if let Ok(mut m) = seen.lock() {
                    m.insert(stamp.sort_key(), stamp);
                }
                Some(utc)
            })
            .build();
        // feed-rs asserts on some inputs; a panic there is a malformed feed
        // to report, never a crash of svodka.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(doc.as_bytes()))).unwrap_or_else(|_| {
            Err(feed_rs::parser::ParseFeedError::ParseError(feed_rs::parser::ParseErrorKind::IllegalState {
                position: 0,
                reference: "parser panic".into(),
            }))
        })
    };
    let mut recovered = None;
    let feed = match parse(text) {
        Ok(f) => f,
        Err(feed_rs::parser::ParseFeedError::ParseError(feed_rs::parser::ParseErrorKind::NoFeedRoot)) => {
            // A feed root with nothing feed-rs recognises inside (`<rss
            // version="2.0"></rss>`) is an empty feed, not "not a feed".
            let root = root_name(text).map(|n| n.rsplit(':').next().unwrap_or(n).to_ascii_lowercase());
            return match root.as_deref() {
                Some("rss" | "rdf" | "feed") => Ok(ParsedFeed {
                    title: None,
                    site_url: None,
                    kind: "empty",
                    encoding: decoded.encoding.name(),
                    items: Vec::new(),
                    recovered: None,
                    ttl: None,
                }),
                _ => Err(FeedError::NotAFeed),
            };
        }
        Err(e) => {
            let salvaged = salvage(text).ok_or_else(|| FeedError::Malformed(e.to_string()))?;
            let f = parse(&salvaged).map_err(|_| FeedError::Malformed(e.to_string()))?;
            recovered = Some(e.to_string());
            f
        }
    };
    let stamps = stamps.lock().map(|m| m.clone()).unwrap_or_default();
    let to_stamp = |d: &DateTime<Utc>| {
        stamps
            .get(&d.timestamp())
            .copied()
            .or_else(|| OffsetDateTime::from_unix_timestamp(d.timestamp()).ok().map(Stamp::DateTime))
    };

    let title = feed.title.as_ref().map(|t| clean_line(&t.content)).filter(|t| !t.is_empty());
    let site_link = pick_link(&feed.links, base_url.as_ref());
    let site = title.clone().or_else(|| site_link.as_deref().and_then(host_of));
    let scope = site_link.clone().or_else(|| title.clone()).or_else(|| base.map(str::to_string)).unwrap_or_default();

    // The feed's own date says when this copy was made: the capture date of
    // its items, which orders undated ones (their publication date stays
    // unknown, never invented).
    let feed_date = feed.published.as_ref().or(feed.updated.as_ref()).and_then(to_stamp);
    let mut items = Vec::with_capacity(feed.entries.len());
    let mut identities: HashSet<String> = HashSet::new();
    for e in &feed.entries {
        let link = pick_link(&e.links, base_url.as_ref());
        let entry_base = e.base.as_deref().and_then(|b| Url::parse(b).ok()).or_else(|| base_url.clone());
        let item_base = link.as_deref().and_then(|l| Url::parse(l).ok()).or(entry_base);
        let mut conv = html::Converted::default();
        if let Some(body) = e.content.as_ref().and_then(|c| c.body.as_deref()).filter(|b| !b.trim().is_empty()) {
            conv = convert(body, true, item_base.as_ref());
        }
        if conv.blocks.is_empty()
            && let Some(s) = &e.summary
        {
            let is_html = s.content_type.to_string().contains("html") || html::looks_like_html(&s.content);
            conv = convert(&s.content, is_html, item_base.as_ref());
        }
        let published = e.published.as_ref().or(e.updated.as_ref()).and_then(to_stamp);
        let mut title = e.title.as_ref().map(|t| clean_line(&t.content)).unwrap_or_default();
        if title.is_empty() {
            title = untitled(&conv.blocks);
        }
        let author = e
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref().map(clean_line).filter(|n| !n.is_empty()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut article = NewArticle {
            title,
            site: site.clone(),
            url: link.clone(),
            published,
            captured: feed_date,
            author: Some(author).filter(|a| !a.is_empty()),
            blocks: conv.blocks,
            links: conv.links,
            // Read from a file, the items live in this feed's scope; a
            // subscription's fetch puts them in its own instead.
            feed_scope: Some(scope.clone()),
            ..NewArticle::default()
        };
        let guid = e.id.trim();
        if !guid.is_empty() {
            // URL- and URN-shaped GUIDs are global; bare ones ("1", "42") only
            // mean something inside their feed.
            let global = guid.contains("://") || guid.starts_with("urn:") || guid.starts_with("tag:");
            article.guid = Some(if global { guid.to_string() } else { format!("{scope}\u{1f}{guid}") });
        }
        // A GUID repeated for a different item falls back to the next rule
        // rather than merging two stories.
        let mut id = crate::model::identity(&article);
        if identities.contains(&id) && article.guid.is_some() {
            article.guid = None;
            id = crate::model::identity(&article);
        }
        if !identities.insert(id) {
            continue;
        }
        items.push(article);
    }
    Ok(ParsedFeed {
        title,
        site_url: site_link,
        kind: feed_kind(&feed.feed_type),
        encoding: decoded.encoding.name(),
        items,
        recovered,
        ttl: feed.ttl,
    })
}

/// Keeps what a broken XML feed got right: everything up to the last
/// complete item, entities HTML has and XML lacks written as characters,
/// then the root closed again. Covers the usual breakage (truncated
/// downloads, junk after the root, `&nbsp;` in text).
fn salvage(text: &str) -> Option<String> {
    let root = root_name(text)?.to_string();
    let cut = ["</item>", "</entry>", "</ITEM>"].iter().filter_map(|t| text.rfind(t).map(|i| i + t.len())).max()?;
    let mut out = fix_entities(&text[..cut]);
    if root.eq_ignore_ascii_case("rss") {
        out.push_str("</channel>");
    }
    out.push_str(&format!("</{root}>"));
    Some(out)
}

/// Replaces HTML named entities that XML does not define by the characters.
fn fix_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric()).map(|e| e + 1);
        match end.filter(|e| *e > 1 && rest[*e..].starts_with(';')) {
            Some(e) => {
                let name = &rest[1..e];
                if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
                    out.push_str(&rest[..=e]);
                } else {
                    match html_entity(name) {
                        Some(c) => out.push_str(&format!("&#{};", c as u32)),
                        None => out.push_str(&format!("&amp;{name};")),
                    }
                }
                rest = &rest[e + 1..];
            }
            None => {
                // A bare ampersand.
                out.push_str("&amp;");
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML entities seen in real Russian feeds.
fn html_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "euro" => '€',
        "sect" => '§',
        "shy" => '\u{ad}',
        "numero" => '№',
        _ => return None,
    })
}

fn feed_kind(t: &feed_rs::model::FeedType) -> &'static str {
    use feed_rs::model::FeedType;
    match t {
        FeedType::Atom => "atom",
        FeedType::JSON => "json",
        FeedType::RSS0 => "rss0",
        FeedType::RSS1 => "rss1",
        FeedType::RSS2 => "rss2",
    }
}

fn convert(body: &str, is_html: bool, base: Option<&Url>) -> html::Converted {
    if is_html {
        html::html_to_blocks(body, base)
    } else {
        html::Converted { blocks: html::text_to_blocks(body), links: Vec::new() }
    }
}

/// An item without a title is shown by the start of its text (an image's
/// alt when that is all it has).
pub(crate) fn untitled(blocks: &[Block]) -> String {
    let first = blocks
        .iter()
        .find_map(|b| Some(b.text.as_str()).filter(|t| !t.is_empty()).or_else(|| b.image.as_ref()?.alt.as_deref()));
    let first = first.unwrap_or("");
    let mut out: String = first.chars().take(80).collect();
    if first.chars().count() > 80 {
        out.push('…');
    }
    if out.is_empty() { "(без заголовка)".to_string() } else { out }
}

/// Titles may carry markup and entities (`&amp;`, `<b>`); one clean line.
pub(crate) fn clean_line(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        html::html_to_blocks(s, None).blocks.into_iter().map(|b| b.text).collect::<Vec<_>>().join(" ")
    } else {
        sanitize(s)
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The item's own page: the alternate link, else the first one, resolved
/// against the base when relative (feed-rs resolves xml:base already).
fn pick_link(links: &[feed_rs::model::Link], base: Option<&Url>) -> Option<String> {
    let l = links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| links.iter().find(|l| l.rel.as_deref() != Some("self")))?;
    let href = l.href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match Url::parse(href) {
        Ok(u) => Some(u),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.and_then(|b| b.join(href).ok()),
        Err(_) => None,
    };
    // A link nothing can resolve (a file imported without its URL) is kept
    // as written rather than lost.
    Some(sanitize(url.as_ref().map_or(href, Url::as_str)))
}

fn host_of(url: &str) -> Option<String> {
    Url::parse(url).ok()?.host_str().map(|h| h.trim_start_matches("www.").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn old_dialects_are_read() {
        let rss =
            parse_feed(b"<rss><channel><title>T</title><item><title>a</title></item></channel></rss>", None, None);
        assert_eq!(rss.unwrap().items[0].title, "a");
        let rss094 =
            parse_feed(b"<rss version='0.94'><channel><item><title>b</title></item></channel></rss>", None, None);
        assert_eq!(rss094.unwrap().items[0].title, "b");
        let atom03 = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>A</title>
            <entry><title>c</title><issued>2003-12-31T10:14:55Z</issued></entry></feed>"#;
        let f = parse_feed(atom03, None, None).unwrap();
        assert_eq!(f.title.as_deref(), Some("A"));
        assert_eq!(f.items[0].published.map(|p| p.to_iso()).as_deref(), Some("2003-12-31T10:14:55Z"));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"<?xml version='1.0'?>\n<!-- c --><rss version='2.0'>"), Sniffed::Feed);
        assert_eq!(sniff(b"\xEF\xBB\xBF<rdf:RDF xmlns:rdf='x'>"), Sniffed::Feed);
        assert_eq!(sniff(b"<feed xmlns='http://www.w3.org/2005/Atom'>"), Sniffed::Feed);
        assert_eq!(sniff(b"<opml version='2.0'>"), Sniffed::Opml);
        assert_eq!(sniff(br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#), Sniffed::Feed);
        assert_eq!(sniff(b"<html><body>"), Sniffed::Other);
        assert_eq!(sniff("Заголовок - Караван\n".as_bytes()), Sniffed::Other);
        assert_eq!(sniff(b"# mine\nhttps://a.ru/rss \"news\"\n\nhttp://b.kz/feed\n"), Sniffed::NewsboatUrls);
    }

    #[test]
    fn identity_rules_and_relative_links() {
        let xml = r#"<rss version="2.0"><channel><title>T</title><link>https://site.ru/</link>
            <item><guid>1</guid><title>a</title><link>/a</link></item>
            <item><guid>1</guid><title>b</title><link>/b</link></item>
            <item><title>c</title><link>/c</link></item>
            <item><title>c</title><link>/c</link></item>
            <item><description>Только текст без заголовка</description><pubDate>14 Aug 2001</pubDate></item>
            </channel></rss>"#;
        let f = parse_feed(xml.as_bytes(), None, Some("https://site.ru/rss.xml")).unwrap();
        let ids: Vec<String> = f.items.iter().map(crate::model::identity).collect();
        assert_eq!(
            ids[..3],
            [
                "guid:https://site.ru/\u{1f}1".to_string(),
                "url:https://site.ru/b".into(),
                "url:https://site.ru/c".into()
            ]
        );
        assert_eq!(f.items.len(), 4, "the exact duplicate of item c is dropped");
        assert_eq!(f.items[3].title, "Только текст без заголовка");
        assert_eq!(f.items[3].published, Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert!(ids[3].starts_with("page:T\u{1f}"));
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn items_beside_the_channel_are_read() {
        let rss =
            b"<?xml version='1.0'?><rss version='0.91'><channel><title>G</title><link>http://g.ru</link></channel>
            <image><url>http://g.ru/i.gif</url></image>
            <item><title>a</title><link>http://g.ru/a</link></item>
            <item><title>b</title><link>http://g.ru/b</link></item></rss>";
        let f = parse_feed(rss, None, None).unwrap();
        assert_eq!(f.items.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(f.title.as_deref(), Some("G"));
        // Truncated after the last complete item, as greek.ru is.
        let cut = b"<rss version='0.91'><channel><title>G</title></channel><item><title>a</title></item><item><ti";
        assert_eq!(parse_feed(cut, None, None).unwrap().items.len(), 1);
        let rdf = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
            <channel><title>R</title><link>http://r.ru</link></channel>
            <item><title>x</title><link>http://r.ru/x</link></item></rdf:RDF>"#;
        assert_eq!(parse_feed(rdf, None, None).unwrap().items.len(), 1);
    }

    #[test]
    fn leading_whitespace_is_not_the_end_of_a_feed() {
        let mut doc = " \n\t".repeat(4000).into_bytes();
        doc.extend_from_slice(b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><item><title>a</title></item></channel></rss>");
        assert_eq!(sniff(&doc), Sniffed::Feed);
        assert_eq!(parse_feed(&doc, None, None).unwrap().items.len(), 1);
    }

    #[test]
    fn items_that_cannot_be_read_are_an_error_not_an_empty_feed() {
        let lost = b"<rss version='2.0'><item><title>a</title></item><item><title>b</title></item></rss>";
        let err = parse_feed(lost, None, None).unwrap_err().to_string();
        assert!(err.contains("2 items in the document, none could be read"), "{err}");
        // A feed with no items at all is just empty.
        let empty = b"<rss version='2.0'><channel><title>New blog</title></channel></rss>";
        assert!(parse_feed(empty, None, None).unwrap().items.is_empty());
    }
}
