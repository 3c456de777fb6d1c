//! The article model shared by every layer.
//!
//! Ingest produces these types, the store persists them and the UI and the
//! text engine read them. Keeping them free of I/O and of SQL lets each layer
//! be tested on its own.

use serde::Serialize;
use time::{Date, OffsetDateTime, format_description::well_known::Rfc3339};

/// A point in time as precisely as the source gave it: a bare date when only
/// the day is known, a full timestamp with offset when a time is.
///
/// JSON and the database store it as ISO 8601 (`2001-08-14` or RFC 3339);
/// nothing is invented to fill missing precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    Date(Date),
    DateTime(OffsetDateTime),
}

impl Stamp {
    /// ISO 8601 text: `YYYY-MM-DD` for a date, RFC 3339 for a timestamp.
    pub fn to_iso(&self) -> String {
        match self {
            Stamp::Date(d) => format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
            Stamp::DateTime(t) => t.format(&Rfc3339).unwrap_or_else(|_| t.to_string()),
        }
    }

    /// Parses what [`Stamp::to_iso`] wrote.
    pub fn parse_iso(s: &str) -> Option<Stamp> {
        if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
            return Some(Stamp::DateTime(t));
        }
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(s, &fmt).ok().map(Stamp::Date)
    }

    /// Seconds since the epoch used for ordering; a bare date counts as its
    /// midnight UTC.
    pub fn sort_key(&self) -> i64 {
        match self {
            Stamp::Date(d) => d.midnight().assume_utc().unix_timestamp(),
            Stamp::DateTime(t) => t.unix_timestamp(),
        }
    }

    /// The calendar date, in the timestamp's own offset.
    pub fn date(&self) -> Date {
        match self {
            Stamp::Date(d) => *d,
            Stamp::DateTime(t) => t.date(),
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

/// What kind of block a piece of body text is. Page dumps only produce
/// paragraphs; feed and web content adds the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    #[default]
    Paragraph,
    Heading,
    ListItem,
    Quote,
    Preformatted,
    Image,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading => "heading",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Preformatted => "preformatted",
            BlockKind::Image => "image",
        }
    }

    pub fn parse(s: &str) -> BlockKind {
        match s {
            "heading" => BlockKind::Heading,
            "list_item" => BlockKind::ListItem,
            "quote" => BlockKind::Quote,
            "preformatted" => BlockKind::Preformatted,
            "image" => BlockKind::Image,
            _ => BlockKind::Paragraph,
        }
    }
}

/// One block of an article body, in reading order.
///
/// Images, captions and links are structure, not text: `text` is what a
/// reader reads (no `[n]` link markers, no image placeholders; empty for an
/// image), `links` says which of its ranges are links, `image` carries the
/// picture. The reading pane puts the markers and placeholders back in the
/// interface language (`reader::document`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// Links inside `text`, in order of their ends.
    pub links: Vec<LinkSpan>,
    /// A heading's level, 1 (`<h1>`) to 6; 0 when not known or not a heading.
    pub level: u8,
    /// A list item's list (see [`ListMark`]); `None` for other kinds.
    pub list: Option<ListMark>,
    /// An image's source, alt text and caption; `None` for other kinds.
    pub image: Option<Image>,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::new(BlockKind::Paragraph, text)
    }

    /// A block of `kind` with plain text and no links.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Block {
        Block { kind, text: text.into(), ..Block::default() }
    }
}

/// A link inside a block's text: byte range `start..end` of `text` (on
/// char boundaries) and `link`, its 1-based number in the article's links.
/// An empty range at 0 on an image means the image itself is the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpan {
    pub start: usize,
    pub end: usize,
    pub link: usize,
}

/// Which list a list item belongs to: consecutive items with the same `id`
/// form one list (ids count the article's lists from 1). An ordered item's
/// number stays in its text («3. три»), as it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListMark {
    pub id: u32,
    pub ordered: bool,
}

/// A picture in the body. Nothing of it is body text: the pane shows a
/// placeholder, plain text leaves it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Image {
    /// Absolute URL when the page gave one that resolves.
    pub src: Option<String>,
    pub alt: Option<String>,
    /// Its `<figcaption>`, the credit included.
    pub caption: Option<String>,
}

/// A (topic, headline) pair from a site's «В тренде» block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendingPair {
    pub topic: String,
    pub headline: String,
}

/// An article as ingest produced it, before it has an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewArticle {
    pub title: String,
    pub site: Option<String>,
    pub url: Option<String>,
    pub published: Option<Stamp>,
    pub captured: Option<Stamp>,
    pub views: Option<i64>,
    pub photo_credit: Option<String>,
    pub author: Option<String>,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    /// Trending pairs seen on this page, in page order.
    pub trending: Vec<TrendingPair>,
    /// A feed item's GUID (already scoped to its feed when it is not a
    /// global URI): the strongest identity, ahead of the URL.
    pub guid: Option<String>,
    /// Set on the items of a feed read from a file (`svodka import
    /// feed.xml`): the feed they belong to (its site link, else its title).
    /// Their identity lives inside that scope, so a file never changes a
    /// subscription's articles or a saved page. `None` for pages and dumps.
    pub feed_scope: Option<String>,
}

/// A link found in an article body, numbered in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// A row of the headline list: everything the list pane and `svodka list`
/// need, nothing of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub site: Option<String>,
    pub url: Option<String>,
    pub published: Option<Stamp>,
    pub views: Option<i64>,
    pub read: bool,
    pub starred: bool,
    /// Ordering key (published, else captured, else added), for keyset paging.
    #[serde(skip)]
    pub sort_key: i64,
}

/// A whole archived article.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub summary: ArticleSummary,
    pub captured: Option<Stamp>,
    pub photo_credit: Option<String>,
    pub author: Option<String>,
    pub added: OffsetDateTime,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub trending: Vec<TrendingPair>,
    /// When the body was extracted from the article's web page (full text),
    /// `None` when it is what the feed or dump carried.
    pub extracted: Option<OffsetDateTime>,
}

/// A trending entry across the archive (`svodka trending`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendingEntry {
    pub topic: String,
    pub headline: String,
    pub site: Option<String>,
    pub captured: Option<Stamp>,
    pub article_id: Option<i64>,
}

/// An article as extracted from a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: String,
    pub byline: Option<String>,
    pub published: Option<Stamp>,
    pub site_name: Option<String>,
    /// The alt text of the page's lead image, when it has one.
    pub image_alt: Option<String>,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    /// Which layer produced the body: `"rule"` (a site rule) or `"generic"`.
    pub method: &'static str,
    /// Characters of body text outside links (whitespace not counted): a
    /// page of headlines has almost none.
    pub own_text: usize,
}

/// Normalises text for case-insensitive matching in every script: Unicode
/// lower case, ё → е, whitespace collapsed. SQLite's own `lower()` only
/// folds ASCII, so the key is computed here and stored.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            // Fast paths for ASCII and the Russian alphabet: folding runs on
            // every title and headline of every import.
            match c {
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
                'ё' | 'Ё' => out.push('е'),
                c if c.is_ascii() || ('а'..='я').contains(&c) => out.push(c),
                c => out.extend(c.to_lowercase().map(|l| if l == 'ё' { 'е' } else { l })),
            }
        }
    }
    out
}

/// The identity of an article inside its source, which makes a re-import an
/// update: a feed item's GUID, else the URL when known, else site + title +
/// publication date. Feed parsing de-duplicates a feed's items with it; the
/// archive's key is [`scoped_identity`].
pub fn identity(a: &NewArticle) -> String {
    if let Some(guid) = &a.guid {
        return format!("guid:{guid}");
    }
    match &a.url {
        Some(url) => format!("url:{url}"),
        None => format!(
            "page:{}\u{1f}{}\u{1f}{}",
            a.site.as_deref().unwrap_or(""),
            fold_key(&a.title),
            a.published.map(|p| p.to_iso()).unwrap_or_default()
        ),
    }
}

/// The archive's key for an article: [`identity`] inside the source it came
/// from, so two sources never share a row however they name their items.
///
/// - an item of subscription `feed_id`: `feed:{id}␟{identity}`;
/// - an item of a feed file: `file:{scope}␟{identity}`;
/// - a saved page (`get`, an imported HTML file) or a page dump: the bare
///   identity (`url:…` or `page:…`): a page is its own source, the same page
///   saved again updates it.
///
/// Subscriptions are keyed by id rather than URL so that a feed that moves
/// (301) keeps its articles.
pub fn scoped_identity(a: &NewArticle, feed_id: Option<i64>) -> String {
    let key = identity(a);
    match (feed_id, &a.feed_scope) {
        (Some(id), _) => format!("feed:{id}\u{1f}{key}"),
        (None, Some(scope)) => format!("file:{scope}\u{1f}{key}"),
        (None, None) => key,
    }
}

/// The key that tells two rows they hold the same page: the URL with what
/// does not change the page dropped (scheme http/https, `www.`, fragment,
/// `utm_*` and click-id parameters, a trailing slash). Never an identity:
/// rows with the same key stay separate and only *know* each other.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let Ok(u) = url::Url::parse(url) else { return url.to_string() };
    if !matches!(u.scheme(), "http" | "https") {
        return u.to_string();
    }
    let host = u.host_str().unwrap_or("").trim_start_matches("www.");
    let mut out = String::from(host);
    if let Some(port) = u.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(u.path().trim_end_matches('/'));
    let query: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !(k.starts_with("utm_") || matches!(k.as_ref(), "fbclid" | "gclid" | "yclid")))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !query.is_empty() {
        let q: Vec<String> =
            query.iter().map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k}={v}") }).collect();
        out.push('?');
        out.push_str(&q.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn stamp_iso_round_trip() {
        let d = Stamp::Date(date!(2001 - 08 - 14));
        assert_eq!(d.to_iso(), "2001-08-14");
        assert_eq!(Stamp::parse_iso("2001-08-14"), Some(d));
        let t = Stamp::DateTime(datetime!(2001-08-14 14:05 +06:00));
        assert_eq!(t.to_iso(), "2001-08-14T14:05:00+06:00");
        assert_eq!(Stamp::parse_iso(&t.to_iso()), Some(t));
        assert_eq!(Stamp::parse_iso("14.08.2001"), None);
    }

    #[test]
    fn scopes_and_url_keys() {
        let a = NewArticle { url: Some("https://a.kz/1".into()), ..NewArticle::default() };
        assert_eq!(scoped_identity(&a, None), "url:https://a.kz/1");
        assert_eq!(scoped_identity(&a, Some(7)), "feed:7\u{1f}url:https://a.kz/1");
        let f = NewArticle { feed_scope: Some("https://a.kz/".into()), ..a };
        assert_eq!(scoped_identity(&f, None), "file:https://a.kz/\u{1f}url:https://a.kz/1");
        assert_eq!(scoped_identity(&f, Some(7)), "feed:7\u{1f}url:https://a.kz/1");
        let same = ["https://www.A.kz/news/1/?utm_source=x#top", "http://a.kz/news/1", "https://a.kz/news/1/"];
        for u in same {
            assert_eq!(url_key(u), "a.kz/news/1", "{u}");
        }
        assert_eq!(url_key("https://a.kz/n?id=2&utm_medium=rss"), "a.kz/n?id=2");
        assert_ne!(url_key("https://a.kz/n?id=2"), url_key("https://a.kz/n?id=3"));
        assert_eq!(url_key(" not a url "), "not a url");
    }

    #[test]
    fn fold_key_folds_every_script() {
        assert_eq!(fold_key("  ЁЛКА  Ёж\tКАЗАХСТАН "), "елка еж казахстан");
        assert_eq!(fold_key("ҚАЗАҚСТАН ӘҒҚҢӨҰҮҺІ"), "қазақстан әғқңөұүһі");
        assert_eq!(fold_key("Straße ΑΒΓ Abai.KZ"), "straße αβγ abai.kz");
    }
}
