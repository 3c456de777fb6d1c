//! Subscription lists in and out: OPML (every feed reader's export format)
//! and newsboat's `urls` file, so a newsboat user switches in one command.
//!
//! OPML is read with quick-xml (already in the tree through feed-rs): its
//! structure is a handful of nested `<outline>` elements, and folders become
//! tags. The `urls` format is line-based and parsed by hand; no crate reads it.

use quick_xml::Reader;

pub use crate::text::sniff::looks_like_urls_file;
use quick_xml::events::{BytesStart, Event};

/// One subscription read from a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
}

/// What a subscription list held: feeds, and entries svodka cannot use
/// (`exec:`/`filter:` commands, query feeds), each with why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionList {
    pub feeds: Vec<Subscription>,
    pub ignored: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpmlError {
    #[error("malformed OPML: {0}")]
    Malformed(String),
    #[error("OPML without a <body> of outlines")]
    NoBody,
}

/// Only fetchable URLs become subscriptions: a real http(s) URL with a
/// host, nothing hidden in it.
fn fetchable(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        if crate::text::sanitize(url) != url || url.chars().any(char::is_whitespace) {
            return Err("contains spaces or control characters".into());
        }
        match url::Url::parse(url) {
            Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
            Ok(_) => Err("an http(s) URL without a host".into()),
            Err(e) => Err(format!("not a valid URL ({e})")),
        }
    } else if lower.starts_with("file:") {
        Err("a local file; svodka fetches only http(s) feeds".into())
    } else if lower.starts_with("exec:") || lower.starts_with("filter:") || lower.starts_with('|') {
        Err("runs a command; svodka fetches only http(s) feeds".into())
    } else if lower.starts_with("query:") {
        Err("a newsboat query feed, not a subscription".into())
    } else {
        Err("not an http(s) URL".into())
    }
}

fn push(list: &mut SubscriptionList, url: String, title: Option<String>, tags: Vec<String>) {
    match fetchable(&url) {
        Ok(()) => {
            if let Some(existing) = list.feeds.iter_mut().find(|f| f.url == url) {
                for t in tags {
                    if !existing.tags.contains(&t) {
                        existing.tags.push(t);
                    }
                }
            } else {
                list.feeds.push(Subscription { url, title, tags });
            }
        }
        Err(why) => list.ignored.push((url, why)),
    }
}

fn is(name: impl AsRef<str>, want: &str) -> bool {
    name.as_ref().eq_ignore_ascii_case(want)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| is(a.key, name)).and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| crate::text::sanitize(v.trim()))
            .filter(|v| !v.is_empty())
    })
}

/// Reads OPML text. Feeds are outlines with `xmlUrl`; the titles of the
/// outlines around them, and their `category` attribute, become tags.
pub fn parse_opml(text: &str) -> Result<SubscriptionList, OpmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut list = SubscriptionList::default();
    // Folder titles of the open outlines (None for an outline that is a feed).
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut in_body = false;
    let mut saw_body = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| OpmlError::Malformed(format!("{e} at byte {}", reader.error_position())))?;
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if is(e.local_name(), "outline") {
                    stack.pop();
                } else if is(e.local_name(), "body") {
                    in_body = false;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = e.local_name();
        if is(name, "body") {
            in_body = !empty;
            saw_body = true;
            continue;
        }
        if !in_body || !is(name, "outline") {
            continue;
        }
        let title = attr(e, "title").or_else(|| attr(e, "text"));
        match attr(e, "xmlUrl") {
            Some(url) => {
                let mut tags: Vec<String> = stack.iter().flatten().cloned().collect();
                for c in attr(e, "category").iter().flat_map(|c| c.split(',')) {
                    let c = c.trim().trim_start_matches('/');
                    if !c.is_empty() && !tags.iter().any(|t| t == c) {
                        tags.push(c.to_string());
                    }
                }
                push(&mut list, url, title, tags);
                if !empty {
                    stack.push(None);
                }
            }
            None if !empty => stack.push(title),
            None => {}
        }
    }
    if !saw_body {
        return Err(OpmlError::NoBody);
    }
    Ok(list)
}

/// The archive's subscriptions as an OPML export carries them. Titles and
/// URLs came from servers and files: no escape sequence or control goes
/// out (most are not even valid XML 1.0).
pub fn from_feeds(feeds: &[crate::store::feeds::Feed]) -> Vec<Subscription> {
    use crate::text::sanitize;
    feeds
        .iter()
        .map(|f| Subscription {
            url: sanitize(&f.url),
            title: f.title.as_deref().map(sanitize),
            tags: f.tags.iter().map(|t| sanitize(t)).collect(),
        })
        .collect()
}

/// Writes subscriptions as OPML 2.0; a feed's first tag is its folder and
/// all of its tags go in `category`, so svodka and newsboat read them back.
pub fn write_opml(feeds: &[Subscription]) -> String {
    use std::collections::BTreeMap;
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>svodka subscriptions</title>\n  </head>\n  <body>\n",
    );
    let outline = |f: &Subscription, indent: &str| {
        let title = f.title.as_deref().unwrap_or(&f.url);
        let cat = if f.tags.is_empty() { String::new() } else { format!(" category=\"{}\"", esc(&f.tags.join(","))) };
        format!(
            "{indent}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{u}\"{cat}/>\n",
            t = esc(title),
            u = esc(&f.url)
        )
    };
    let mut folders: BTreeMap<&str, Vec<&Subscription>> = BTreeMap::new();
    for f in feeds {
        match f.tags.first() {
            Some(t) => folders.entry(t.as_str()).or_default().push(f),
            None => out.push_str(&outline(f, "    ")),
        }
    }
    for (tag, fs) in folders {
        out.push_str(&format!("    <outline text=\"{t}\" title=\"{t}\">\n", t = esc(tag)));
        for f in fs {
            out.push_str(&outline(f, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Parses a newsboat `urls` file: `URL tag "tag with spaces" "~Title" !hidden`.
pub fn parse_urls(text: &str) -> SubscriptionList {
    let mut list = SubscriptionList::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let words = split_quoted(line);
        let Some((url, rest)) = words.split_first() else { continue };
        let mut title = None;
        let mut tags = Vec::new();
        for w in rest {
            if let Some(t) = w.strip_prefix('~') {
                title = Some(crate::text::sanitize(t)).filter(|t| !t.is_empty());
            } else if w.starts_with('!') || w.is_empty() {
                // "!" hides a feed in newsboat's list; svodka shows everything.
            } else {
                let t = crate::text::sanitize(w);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        push(&mut list, url.clone(), title, tags);
    }
    list
}

/// Splits on whitespace, keeping `"quoted words"` together (`\"` escapes).
fn split_quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut started = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_folders_and_categories_become_tags() {
        let text = r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
            <outline text="Новости"><outline text="Казахстан">
              <outline type="rss" text="Караван" xmlUrl="https://caravan.kz/rss" category="kz,/local"/>
            </outline></outline>
            <outline type="rss" title="Birdsite" xmlUrl="|~/fetch.py"/>
            <outline type="rss" title="Top" xmlUrl="http://top.ru/rss"/>
            </body></opml>"#;
        let l = parse_opml(text).unwrap();
        assert_eq!(
            l.feeds,
            vec![
                Subscription {
                    url: "https://caravan.kz/rss".into(),
                    title: Some("Караван".into()),
                    tags: vec!["Новости".into(), "Казахстан".into(), "kz".into(), "local".into()],
                },
                Subscription { url: "http://top.ru/rss".into(), title: Some("Top".into()), tags: vec![] },
            ]
        );
        assert_eq!(l.ignored.len(), 1);
        let back = parse_opml(&write_opml(&l.feeds)).unwrap();
        assert_eq!(back.feeds.len(), 2);
        let caravan = back.feeds.iter().find(|f| f.url == "https://caravan.kz/rss").unwrap();
        assert_eq!(caravan.tags[0], "Новости");
        assert!(caravan.tags.contains(&"local".to_string()));
        assert!(back.feeds.contains(&l.feeds[1]));
        assert_eq!(parse_opml("<opml><head/></opml>"), Err(OpmlError::NoBody));
        assert!(parse_opml("<opml><body><outline xmlUrl='http://a'></body>").is_ok(), "unclosed outline recovers");
    }

    #[test]
    fn newsboat_urls() {
        let text = "# comment\nhttps://a.ru/rss news \"Мир и люди\" \"~Свой заголовок\" !hidden\n\n\
                    \"query:Unread:unread = \\\"yes\\\"\"\nexec:~/x.sh\nhttp://b.kz/feed\n";
        assert!(looks_like_urls_file(text));
        let l = parse_urls(text);
        assert_eq!(
            l.feeds,
            vec![
                Subscription {
                    url: "https://a.ru/rss".into(),
                    title: Some("Свой заголовок".into()),
                    tags: vec!["news".into(), "Мир и люди".into()],
                },
                Subscription { url: "http://b.kz/feed".into(), title: None, tags: vec![] },
            ]
        );
        assert_eq!(l.ignored.len(), 2);
        assert!(!looks_like_urls_file("Заголовок\nhttps://a.ru\n"));
    }

    #[test]
    fn urls_file_entries_must_be_real_urls() {
        let text = "https://ok.kz/rss\nhttp://\n\"https://bad host.kz/rss\"\nhttps://x.kz/\u{1b}]0;pwn\u{7}\n\
                    file:///etc/passwd\nhttps://[::1/rss\nhttp://a.kz:99999/\n";
        let l = parse_urls(text);
        assert_eq!(l.feeds.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(), ["https://ok.kz/rss"]);
        let why: Vec<&str> = l.ignored.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(l.ignored.len(), 6, "{why:?}");
        assert!(why.iter().any(|w| w.contains("local file")), "{why:?}");
        assert!(why.iter().any(|w| w.contains("control characters")), "{why:?}");
        assert!(why.iter().filter(|w| w.contains("not a valid URL")).count() >= 2, "{why:?}");
    }
}
