//! The Fever API client (Miniflux, FreshRSS, Tiny Tiny RSS with a plugin,
//! coldsweat…), over `net`, the crate's one HTTP client.
//!
//! Fever is one endpoint: commands go in the query (`?api&items&since_id=N`)
//! and the key in a POST form (`api_key = md5("user:password")`, lower-case
//! hex); marks go in the form too (coldsweat reads them only there). Servers
//! differ in small ways the parsing here absorbs: ids as numbers or strings,
//! flags as 0/1 or booleans, id lists as "1,2,3" or arrays. A wrong key is
//! not an HTTP error but `"auth": 0`.

use md5::{Digest, Md5};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};

use super::{Backend, Flag, Item, Marked, Result, ServerFeed, SyncError};
use crate::net::{self, FetchOptions, HttpFailure};

/// Items per page: Fever's fixed size.
const PAGE: usize = 50;

pub struct Fever {
    agent: ureq::Agent,
    opts: FetchOptions,
    /// The endpoint with `api` in its query, ready for `&command`.
    endpoint: String,
    shown: String,
    api_key: String,
    bytes: u64,
    requests: u64,
}

impl std::fmt::Debug for Fever {
    // By hand so the key never reaches a `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fever").field("server", &self.shown).finish_non_exhaustive()
    }
}

/// The Fever key for a user and password.
pub fn api_key(user: &str, password: &str) -> String {
    let digest = Md5::digest(format!("{user}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Fever {
    pub fn new(url: &str, user: &str, password: &str) -> Fever {
        let opts = FetchOptions { max_bytes: 64 * 1024 * 1024, ..FetchOptions::default() };
        let sep = if url.contains('?') { '&' } else { '?' };
        Fever {
            agent: net::agent(&opts),
            endpoint: format!("{url}{sep}api"),
            shown: super::shown_url(url),
            api_key: api_key(user, password),
            opts,
            bytes: 0,
            requests: 0,
        }
    }

    /// One command: `query` is appended to the endpoint, `form` sent beside
    /// the key. Returns the parsed answer once `auth` says the key is good.
    fn call<T: DeserializeOwned>(&mut self, query: &str, form: &[(&str, &str)], what: &str) -> Result<T> {
        let body = self.post(query, form)?;
        parse(&body, &self.shown, what)
    }

    fn post(&mut self, query: &str, form: &[(&str, &str)]) -> std::result::Result<Vec<u8>, SyncError> {
        let url = format!("{}{query}", self.endpoint);
        let mut fields = vec![("api_key", self.api_key.as_str())];
        fields.extend_from_slice(form);
        self.requests += 1;
        let body = net::post_form(&self.agent, &url, &fields, &self.opts).map_err(|e| self.http_error(e))?;
        self.bytes += body.len() as u64;
        Ok(body)
    }

    fn http_error(&self, e: HttpFailure) -> SyncError {
        let server = self.shown.clone();
        match e {
            HttpFailure::Status(401 | 403) => SyncError::Auth { server },
            HttpFailure::Status(status) => SyncError::Status { server, status },
            other => SyncError::Down { server, reason: other.to_string() },
        }
    }
}

/// Parses one answer: checks `auth`, then reads `T` from it.
pub fn parse<T: DeserializeOwned>(body: &[u8], server: &str, what: &str) -> Result<T> {
    let bad = |reason: String| SyncError::BadJson { server: server.to_string(), what: what.to_string(), reason };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    let auth: Auth = Auth::deserialize(&value).map_err(|e| bad(e.to_string()))?;
    if auth.auth != 1 {
        return Err(SyncError::Auth { server: server.to_string() });
    }
    T::deserialize(&value).map_err(|e| bad(e.to_string()))
}

#[derive(Deserialize)]
struct Auth {
    #[serde(deserialize_with = "int")]
    auth: i64,
}

#[derive(Deserialize)]
struct GroupsAnswer {
    #[serde(default)]
    groups: Vec<WireGroup>,
    #[serde(default)]
    feeds: Vec<WireFeed>,
    #[serde(default)]
    feeds_groups: Vec<WireFeedsGroup>,
}

#[derive(Deserialize)]
struct WireGroup {
    #[serde(deserialize_with = "int")]
    id: i64,
    #[serde(default)]
    title: String,
}

#[derive(Deserialize)]
struct WireFeed {
    #[serde(deserialize_with = "int")]
    id: i64,
    #[serde(default)]
    title: String,
    url: String,
    #[serde(default)]
    site_url: Option<String>,
}

#[derive(Deserialize)]
struct WireFeedsGroup {
    #[serde(deserialize_with = "int")]
    group_id: i64,
    #[serde(deserialize_with = "ids")]
    feed_ids: Vec<i64>,
}

#[derive(Deserialize)]
struct ItemsAnswer {
    #[serde(default)]
    items: Vec<WireItem>,
}

#[derive(Deserialize)]
struct WireItem {
    #[serde(deserialize_with = "int")]
    id: i64,
    #[serde(deserialize_with = "int")]
    feed_id: i64,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    is_read: bool,
    #[serde(default, deserialize_with = "flag")]
    is_saved: bool,
    #[serde(default, deserialize_with = "opt_int")]
    created_on_time: i64,
}

#[derive(Debug, Deserialize)]
struct UnreadAnswer {
    #[serde(deserialize_with = "ids")]
    unread_item_ids: Vec<i64>,
}

#[derive(Deserialize)]
struct SavedAnswer {
    #[serde(deserialize_with = "ids")]
    saved_item_ids: Vec<i64>,
}

/// A number, or a string holding one (FreshRSS sends ids as strings).
fn int<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom(format!("{n} is not an id"))),
        serde_json::Value::String(s) => {
            s.trim().parse().map_err(|_| D::Error::custom(format!("{s:?} is not a number")))
        }
        other => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// Like [`int`], with null as 0.
fn opt_int<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    use serde::de::IntoDeserializer;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(0),
        v => int(v.into_deserializer()).map_err(serde::de::Error::custom),
    }
}

/// 0/1, a boolean, or either as a string.
fn flag<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0) != 0,
        serde_json::Value::String(s) => matches!(s.trim(), "1" | "true"),
        _ => false,
    })
}

/// "1,2,3" (Fever's own), or an array of ids.
fn ids<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<i64>, D::Error> {
    use serde::de::Error;
    let parse = |s: &str| s.trim().parse::<i64>().map_err(|_| D::Error::custom(format!("{s:?} is not an id")));
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s.split(',').filter(|p| !p.trim().is_empty()).map(parse).collect(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|v| match v {
                serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom("bad id")),
                serde_json::Value::String(s) => parse(s),
                _ => Err(D::Error::custom("bad id")),
            })
            .collect(),
        serde_json::Value::Null => Ok(Vec::new()),
        other => Err(D::Error::custom(format!("expected a list of ids, got {other}"))),
    }
}

fn item(w: WireItem) -> Item {
    Item {
        id: w.id,
        feed_id: w.feed_id,
        title: w.title.unwrap_or_default(),
        author: w.author.filter(|a| !a.trim().is_empty()),
        html: w.html.unwrap_or_default(),
        url: w.url.filter(|u| !u.trim().is_empty()),
        is_read: w.is_read,
        is_saved: w.is_saved,
        created_on_time: w.created_on_time,
    }
}

fn feeds(answer: GroupsAnswer) -> Vec<ServerFeed> {
    let title = |gid: i64| answer.groups.iter().find(|g| g.id == gid).map(|g| g.title.trim().to_string());
    answer
        .feeds
        .iter()
        .map(|f| {
            let mut tags: Vec<String> = answer
                .feeds_groups
                .iter()
                .filter(|fg| fg.feed_ids.contains(&f.id))
                .filter_map(|fg| title(fg.group_id))
                .filter(|t| !t.is_empty())
                .collect();
            tags.dedup();
            ServerFeed {
                id: f.id,
                title: f.title.clone(),
                url: f.url.clone(),
                site_url: f.site_url.clone().filter(|s| !s.is_empty()),
                tags,
            }
        })
        .collect()
}

impl Backend for Fever {
    fn server(&self) -> &str {
        &self.shown
    }

    fn login(&mut self) -> Result<()> {
        self.call::<serde_json::Value>("", &[], "the login").map(|_| ())
    }

    fn feeds(&mut self) -> Result<Vec<ServerFeed>> {
        self.call("&groups&feeds", &[], "groups and feeds").map(feeds)
    }

    fn items_since(&mut self, since_id: i64) -> Result<Vec<Item>> {
        let a: ItemsAnswer = self.call(&format!("&items&since_id={since_id}"), &[], "items")?;
        let mut items: Vec<Item> = a.items.into_iter().map(item).collect();
        items.sort_by_key(|i| i.id);
        Ok(items)
    }

    fn items_before(&mut self, max_id: i64) -> Result<Vec<Item>> {
        let a: ItemsAnswer = self.call(&format!("&items&max_id={max_id}"), &[], "items")?;
        let mut items: Vec<Item> = a.items.into_iter().map(item).collect();
        items.sort_by_key(|i| std::cmp::Reverse(i.id));
        Ok(items)
    }

    fn items_with_ids(&mut self, ids: &[i64]) -> Result<Vec<Item>> {
        let list = ids.iter().take(PAGE).map(i64::to_string).collect::<Vec<_>>().join(",");
        let a: ItemsAnswer = self.call(&format!("&items&with_ids={list}"), &[], "items")?;
        Ok(a.items.into_iter().map(item).collect())
    }

    fn page_size(&self) -> usize {
        PAGE
    }

    fn unread_ids(&mut self) -> Result<Vec<i64>> {
        self.call::<UnreadAnswer>("&unread_item_ids", &[], "unread_item_ids").map(|a| a.unread_item_ids)
    }

    fn saved_ids(&mut self) -> Result<Vec<i64>> {
        self.call::<SavedAnswer>("&saved_item_ids", &[], "saved_item_ids").map(|a| a.saved_item_ids)
    }

    fn mark(&mut self, item: i64, flag: Flag, value: bool) -> Result<Marked> {
        let how = match (flag, value) {
            (Flag::Read, true) => "read",
            (Flag::Read, false) => "unread",
            (Flag::Starred, true) => "saved",
            (Flag::Starred, false) => "unsaved",
        };
        let id = item.to_string();
        match self.call::<serde_json::Value>("", &[("mark", "item"), ("as", how), ("id", &id)], "a mark") {
            Ok(_) => Ok(Marked::Done),
            // coldsweat answers a mark of an item it no longer has with 404.
            Err(SyncError::Status { status: 404, .. }) => Ok(Marked::NoSuchItem),
            Err(e) => Err(e),
        }
    }

    fn bytes_received(&self) -> u64 {
        self.bytes
    }

    fn requests(&self) -> u64 {
        self.requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded from coldsweat 0.10.2 (ids as numbers, flags 0/1, titles
    // \u-escaped Cyrillic).
    const GROUPS: &str = r#"{"api_version":3,"auth":1,"feeds":[{"favicon_id":1,"id":1,"is_spark":0,"last_updated_on_time":1796200915,"site_url":"http://127.0.0.1:18081/","title":"\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f","url":"http://127.0.0.1:18081/feed.xml"}],"feeds_groups":[{"feed_ids":"1","group_id":10}],"groups":[{"id":10,"title":"\u041f\u043e\u043b\u0438\u0442\u0438\u043a\u0430"}],"last_refreshed_on_time":1796200915}"#;
    const ITEMS: &str = r#"{"api_version":3,"auth":1,"items":[{"author":"","created_on_time":1796032800,"feed_id":1,"html":"<p>\u0422\u0435\u043a\u0441\u0442 <b>\u043f\u0435\u0440\u0432\u043e\u0439</b> \u043d\u043e\u0432\u043e\u0441\u0442\u0438</p>","id":1,"is_read":0,"is_saved":1,"title":"\u041f\u0435\u0440\u0432\u0430\u044f \u043d\u043e\u0432\u043e\u0441\u0442\u044c","url":"http://127.0.0.1:18081/1"}],"last_refreshed_on_time":1796200915,"total_items":2}"#;

    #[test]
    fn the_key_is_the_md5_of_user_and_password() {
        assert_eq!(api_key("a@b.c", "secretsecret1"), "0abffce119e81d8f4e2545321c3965dc");
        assert_eq!(api_key("", "").len(), 32);
    }

    #[test]
    fn groups_become_tags_of_their_feeds() {
        let f = feeds(parse(GROUPS.as_bytes(), "s", "groups").unwrap());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].title, "Новости дня");
        assert_eq!(f[0].tags, ["Политика"]);
        assert_eq!(f[0].url, "http://127.0.0.1:18081/feed.xml");
    }

    #[test]
    fn items_parse_with_cyrillic_and_flags() {
        let a: ItemsAnswer = parse(ITEMS.as_bytes(), "s", "items").unwrap();
        let i = item(a.items.into_iter().next().unwrap());
        assert_eq!(i.title, "Первая новость");
        assert!(i.html.contains("<b>первой</b>"));
        assert_eq!((i.id, i.feed_id, i.is_read, i.is_saved), (1, 1, false, true));
        assert_eq!(i.author, None, "an empty author is none");
        assert_eq!(i.created_on_time, 1796032800);
    }

    #[test]
    fn other_servers_shapes_parse_too() {
        // FreshRSS-style: ids as strings, booleans, arrays of ids.
        let body = br#"{"auth":"1","items":[{"id":"7","feed_id":"2","title":"T","html":"","is_read":true,"is_saved":"0","created_on_time":null}]}"#;
        let a: ItemsAnswer = parse(body, "s", "items").unwrap();
        let i = item(a.items.into_iter().next().unwrap());
        assert_eq!((i.id, i.feed_id, i.is_read, i.is_saved, i.created_on_time), (7, 2, true, false, 0));
        let u: UnreadAnswer = parse(br#"{"auth":1,"unread_item_ids":"1,2, 30"}"#, "s", "u").unwrap();
        assert_eq!(u.unread_item_ids, [1, 2, 30]);
        let u: UnreadAnswer = parse(br#"{"auth":1,"unread_item_ids":""}"#, "s", "u").unwrap();
        assert!(u.unread_item_ids.is_empty());
        let s: SavedAnswer = parse(br#"{"auth":1,"saved_item_ids":[3,"4"]}"#, "s", "s").unwrap();
        assert_eq!(s.saved_item_ids, [3, 4]);
    }

    #[test]
    fn wrong_key_and_bad_json_are_named() {
        let e = parse::<UnreadAnswer>(br#"{"api_version":3,"auth":0}"#, "http://x/fever/", "u").unwrap_err();
        assert!(matches!(e, SyncError::Auth { .. }), "{e}");
        assert!(e.to_string().contains("http://x/fever/"), "{e}");
        let e = parse::<UnreadAnswer>(b"<html>oops</html>", "http://x/fever/", "unread_item_ids").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("http://x/fever/") && m.contains("unread_item_ids"), "{m}");
        let e = parse::<UnreadAnswer>(br#"{"auth":1,"unread_item_ids":"1,x"}"#, "s", "u").unwrap_err();
        assert!(matches!(e, SyncError::BadJson { .. }), "{e}");
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let f = Fever::new("http://u:pw@127.0.0.1:9/fever/", "u", "hunter2hunter2");
        let shown = format!("{f:?}");
        assert!(!shown.contains(&api_key("u", "hunter2hunter2")) && !shown.contains("pw"), "{shown}");
    }
}
