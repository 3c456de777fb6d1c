//! Article identity is scoped to its source: no feed, feed file or page can
//! take over another source's articles, whichever order things are fetched
//! in; rows holding the same page know each other; retention never drops a
//! saved page because a feed names it; `get` of an archived URL fills that
//! article; old archives migrate with ids and flags intact. Everything runs
//! against a real HTTP server on 127.0.0.1 started here.

use std::time::Duration;

use svodka::extract::{Rules, page};
use svodka::ingest::fetch::{self, FetchEvent, FetchOptions, FetchOutcome};
use svodka::store::{ListQuery, Store, Upsert};
use time::OffsetDateTime;

mod common;
use common::{Archive, Reply, Server};

// ------------------------------------------------------------------ helpers

/// One feed item: (guid, title, link, body).
type Item<'a> = (Option<&'a str>, &'a str, &'a str, &'a str);

fn rss(title: &str, site: &str, items: &[Item<'_>]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{title}</title><link>{site}</link>"
    );
    for (guid, title, link, body) in items {
        s.push_str("<item>");
        if let Some(g) = guid {
            s.push_str(&format!("<guid>{g}</guid>"));
        }
        s.push_str(&format!(
            "<title>{title}</title><link>{link}</link><author>{title} (автор)</author>\
             <pubDate>Tue, 3 Jan 2006 19:57:00 +0300</pubDate><description>{body}</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// An article page the extractor accepts, titled `title`.
fn article_page(title: &str) -> String {
    let para = "Местные власти впервые признали, что проблема торговли людьми существует, и пообещали \
                создать рабочую группу, которая до конца года подготовит программу помощи пострадавшим.";
    let body: String = (1..=5).map(|i| format!("<p>{i}. {para}</p>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:title\" content=\"{title}\"><meta property=\"og:site_name\" content=\"Караван\">\
         </head><body><nav><a href=\"/\">Главная</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )
}

fn quick() -> FetchOptions {
    FetchOptions { timeout: Duration::from_secs(5), connect_timeout: Duration::from_secs(2), ..Default::default() }
}

impl Archive {
    /// Fetches these feeds (all when empty); every fetch must succeed.
    fn fetch(&self, ids: &[i64]) {
        let (tx, rx) = std::sync::mpsc::channel();
        fetch::fetch_all(&self.path, ids, &quick(), tx).unwrap();
        for e in rx {
            if let FetchEvent::Finished { outcome, url, .. } = e {
                assert!(matches!(outcome, FetchOutcome::Updated { .. }), "{url}: {outcome:?}");
            }
        }
    }
    fn ids_of_feed(&self, feed_id: i64) -> Vec<i64> {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        let mut s = c.prepare("SELECT id FROM articles WHERE feed_id = ? ORDER BY id").unwrap();
        s.query_map([feed_id], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }
    fn article_count(&self, feed_id: i64) -> i64 {
        self.store().feeds().unwrap().iter().find(|f| f.id == feed_id).unwrap().article_count
    }
    /// What a reader sees of these articles.
    fn snapshot(&self, ids: &[i64]) -> Vec<Seen> {
        let store = self.store();
        ids.iter()
            .map(|&id| {
                let a = store.article(id).unwrap();
                Seen {
                    id,
                    title: a.summary.title,
                    url: a.summary.url,
                    site: a.summary.site,
                    author: a.author,
                    published: a.summary.published.map(|p| p.to_iso()),
                    body: a.blocks.into_iter().map(|b| b.text).collect(),
                }
            })
            .collect()
    }
    fn total(&self) -> i64 {
        self.store().counts().unwrap().total
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    id: i64,
    title: String,
    url: Option<String>,
    site: Option<String>,
    author: Option<String>,
    published: Option<String>,
    body: Vec<String>,
}

/// The page's paragraphs among `blocks` (the teaser has none).
fn paragraphs(blocks: &[svodka::model::Block]) -> usize {
    blocks.iter().filter(|b| b.text.contains("Местные власти впервые")).count()
}

fn also_in(store: &Store, id: i64) -> Vec<i64> {
    store.also_in(id).unwrap().into_iter().map(|a| a.id).collect()
}

// ------------------------------------------------------------------ takeovers

/// Feed B reuses feed A's items (by GUID, or by link when there is none):
/// both keep their own rows in every fetch order.
fn feed_cannot_take_over_another(with_guid: bool) {
    let srv = Server::start();
    let (a1, a2) = (format!("{}/a/1", srv.base), format!("{}/a/2", srv.base));
    let g = |u: &str| if with_guid { Some(u.to_string()) } else { None };
    let (g1, g2) = (g(&a1), g(&a2));
    let a_items: Vec<Item<'_>> = vec![
        (g1.as_deref(), "А: первая", &a1, "Текст первой новости А."),
        (g2.as_deref(), "А: вторая", &a2, "Текст второй новости А."),
    ];
    let a_url = srv.route("/a.xml", Reply::ok(rss("Лента А", "http://a.kz/", &a_items), "application/rss+xml"));
    // B: the same first item (same GUID and link), and with a GUID, the
    // second GUID on a page of B's own.
    let b_own = format!("{}/b/own", srv.base);
    let mut b_items: Vec<Item<'_>> = vec![(g1.as_deref(), "Б: подмена", &a1, "Подменённый текст.")];
    if with_guid {
        b_items.push((g2.as_deref(), "Б: своя", &b_own, "Своя новость Б."));
    }
    let b_url = srv.route("/b.xml", Reply::ok(rss("Лента Б", "http://b.kz/", &b_items), "application/rss+xml"));
    let ar = Archive::new();
    let (fa, fb) = (ar.add(&a_url), ar.add(&b_url));

    ar.fetch(&[fa]);
    let a_ids = ar.ids_of_feed(fa);
    let a_seen = ar.snapshot(&a_ids);
    assert_eq!(a_seen.len(), 2);
    assert_eq!(a_seen[0].title, "А: первая");
    assert_eq!(a_seen[0].site.as_deref(), Some("Лента А"));
    assert_eq!(a_seen[0].body, ["Текст первой новости А."]);
    let mut b_seen = None;
    for order in [vec![fb], vec![fa], vec![fb], vec![fa, fb], vec![fb, fa], vec![]] {
        for id in &order {
            ar.fetch(&[*id]);
        }
        if order.is_empty() {
            ar.fetch(&[]);
        }
        assert_eq!(ar.snapshot(&a_ids), a_seen, "A changed after fetching {order:?}");
        assert_eq!(ar.article_count(fa), 2);
        let b_ids = ar.ids_of_feed(fb);
        assert_eq!(b_ids.len(), b_items.len());
        let now = ar.snapshot(&b_ids);
        assert_eq!(now[0].title, "Б: подмена");
        assert_eq!(now[0].site.as_deref(), Some("Лента Б"));
        assert_eq!(*b_seen.get_or_insert_with(|| now.clone()), now, "B changed after fetching {order:?}");
        assert_eq!(ar.total(), 2 + b_items.len() as i64);
    }
    // The same page from both feeds: two rows that know each other.
    let b_ids = ar.ids_of_feed(fb);
    let store = ar.store();
    assert_eq!(also_in(&store, a_ids[0]), [b_ids[0]]);
    assert_eq!(also_in(&store, b_ids[0]), [a_ids[0]]);
    let other = &store.also_in(a_ids[0]).unwrap()[0];
    assert_eq!((other.feed_id, other.feed.as_deref()), (Some(fb), Some("Лента Б")));
    assert!(also_in(&store, a_ids[1]).is_empty(), "a reused GUID on another page is not the same page");
}

#[test]
fn a_feed_reusing_another_feeds_guid_gets_its_own_row() {
    feed_cannot_take_over_another(true);
}

#[test]
fn a_feed_reusing_another_feeds_link_gets_its_own_row() {
    feed_cannot_take_over_another(false);
}

/// A saved page, then a feed item whose link is the page's URL.
fn feed_cannot_take_over_a_page(saved_by_get: bool) {
    let srv = Server::start();
    let page_url = srv.route("/news/trafik", Reply::ok(article_page("Сохранённая статья"), "text/html; charset=utf-8"));
    let ar = Archive::new();
    let page_id = if saved_by_get {
        page::get(&mut ar.store(), &page_url, &quick(), &Rules::default()).unwrap().id()
    } else {
        let file = ar._dir.path().join("page.html");
        let html = article_page("Сохранённая статья")
            .replace("</head>", &format!("<link rel=\"canonical\" href=\"{page_url}\"></head>"));
        std::fs::write(&file, html).unwrap();
        let r = svodka::ingest::import_paths(&mut ar.store(), &[file]).unwrap();
        assert_eq!(r.added, 1, "{r:?}");
        ar.store().list(&ListQuery { limit: 10, ..Default::default() }).unwrap()[0].id
    };
    let page_seen = ar.snapshot(&[page_id]);
    assert_eq!(page_seen[0].title, "Сохранённая статья");
    assert_eq!(page_seen[0].url.as_deref(), Some(page_url.as_str()));
    // No GUID: the item is known by its link, the page's URL.
    let item = (None, "Чужой заголовок", page_url.as_str(), "Тизер из ленты.");
    let feed = ar.add(&srv.route("/f.xml", Reply::ok(rss("Лента", "http://f.kz/", &[item]), "application/rss+xml")));
    for _ in 0..2 {
        ar.fetch(&[feed]);
        assert_eq!(ar.snapshot(&[page_id]), page_seen);
        assert_eq!(ar.total(), 2);
        assert_eq!(ar.article_count(feed), 1);
        let feed_row = ar.ids_of_feed(feed)[0];
        assert_ne!(feed_row, page_id);
        assert_eq!(ar.snapshot(&[feed_row])[0].title, "Чужой заголовок");
        let store = ar.store();
        assert_eq!(also_in(&store, page_id), [feed_row]);
        assert_eq!(also_in(&store, feed_row), [page_id]);
        assert_eq!(store.also_in(feed_row).unwrap()[0].feed_id, None, "the other one is the saved page");
    }
    // The same page saved again is still the one saved page.
    if saved_by_get {
        let r = page::get(&mut ar.store(), &page_url, &quick(), &Rules::default()).unwrap();
        assert_eq!(r, Upsert::Updated(page_id));
        assert_eq!(ar.snapshot(&[page_id]), page_seen);
        assert_eq!(ar.total(), 2);
    }
}

#[test]
fn a_feed_reusing_a_page_saved_by_get_gets_its_own_row() {
    feed_cannot_take_over_a_page(true);
}

#[test]
fn a_feed_reusing_an_imported_pages_url_gets_its_own_row() {
    feed_cannot_take_over_a_page(false);
}

#[test]
fn an_imported_feed_file_never_changes_a_subscription() {
    let srv = Server::start();
    let link = format!("{}/a/1", srv.base);
    let item = (Some(link.as_str()), "Подписка", link.as_str(), "Текст подписки.");
    let ar = Archive::new();
    let feed = ar.add(&srv.route("/a.xml", Reply::ok(rss("Лента А", "http://a.kz/", &[item]), "application/rss+xml")));
    ar.fetch(&[feed]);
    let ids = ar.ids_of_feed(feed);
    let seen = ar.snapshot(&ids);
    // A file claiming the same site, GUID and link.
    let file = ar._dir.path().join("feed.xml");
    let fake = (Some(link.as_str()), "Из файла", link.as_str(), "Текст файла.");
    std::fs::write(&file, rss("Лента А", "http://a.kz/", &[fake])).unwrap();
    for expect in [(1, 0), (0, 1)] {
        let r = svodka::ingest::import_paths(&mut ar.store(), std::slice::from_ref(&file)).unwrap();
        assert_eq!((r.added, r.updated), expect, "re-importing the file updates its own row");
        assert_eq!(ar.snapshot(&ids), seen);
    }
    ar.fetch(&[feed]);
    assert_eq!(ar.snapshot(&ids), seen);
    assert_eq!(ar.total(), 2);
    assert_eq!(ar.store().also_in(ids[0]).unwrap()[0].title, "Из файла");
}

#[test]
fn a_removed_subscriptions_articles_are_not_taken_by_the_next_one() {
    let srv = Server::start();
    let link = format!("{}/a/1", srv.base);
    let ar = Archive::new();
    let old = ar.add(&srv.route(
        "/old.xml",
        Reply::ok(
            rss("Старая", "http://a.kz/", &[(Some("1"), "Старая новость", &link, "Старый текст.")]),
            "application/rss+xml",
        ),
    ));
    ar.fetch(&[old]);
    let kept = ar.ids_of_feed(old);
    let seen = ar.snapshot(&kept);
    ar.store().remove_feed(old).unwrap();
    let new = ar.add(&srv.route(
        "/new.xml",
        Reply::ok(
            rss("Старая", "http://a.kz/", &[(Some("1"), "Новая новость", &link, "Новый текст.")]),
            "application/rss+xml",
        ),
    ));
    assert_eq!(new, old, "SQLite reuses the id; the point of this test");
    ar.fetch(&[new]);
    assert_eq!(ar.snapshot(&kept), seen);
    assert_eq!(ar.total(), 2);
}

// ------------------------------------------------------------------ retention

#[test]
fn retention_never_deletes_a_saved_page_a_feed_names() {
    let srv = Server::start();
    let page_url = srv.route("/p", Reply::ok(article_page("Сохранённая статья"), "text/html; charset=utf-8"));
    let other_url = srv.route("/q", Reply::ok(article_page("Статья из ленты"), "text/html; charset=utf-8"));
    let ar = Archive::new();
    let page_id = page::get(&mut ar.store(), &page_url, &quick(), &Rules::default()).unwrap().id();
    let items = [
        (None, "Та же страница", page_url.as_str(), "Тизер."),
        (None, "Другая", other_url.as_str(), "Тизер другой."),
        (None, "Третья", "http://f.kz/3", "Тизер третьей."),
    ];
    let feed = ar.add(&srv.route("/f.xml", Reply::ok(rss("Лента", "http://f.kz/", &items), "application/rss+xml")));
    ar.fetch(&[feed]);
    // The user saves the feed's second item with `get`: it is kept too.
    let saved = page::get(&mut ar.store(), &other_url, &quick(), &Rules::default()).unwrap().id();
    assert!(ar.ids_of_feed(feed).contains(&saved));
    let mut store = ar.store();
    for r in store.list(&ListQuery { limit: 100, ..Default::default() }).unwrap() {
        store.set_read(r.id, true).unwrap();
    }
    let now = OffsetDateTime::now_utc();
    assert_eq!(store.apply_retention(Some(1), None, now).unwrap(), 2, "the feed's copy of the page and the third");
    assert_eq!(store.apply_retention(None, Some(0), now).unwrap(), 0);
    drop(store);
    let left: Vec<i64> = ar.snapshot(&[page_id, saved]).iter().map(|s| s.id).collect();
    assert_eq!(left, [page_id, saved]);
    assert_eq!(ar.total(), 2);
    assert_eq!(ar.snapshot(&[page_id])[0].title, "Сохранённая статья");
}

// ------------------------------------------------------------------ get

#[test]
fn get_of_an_archived_url_fills_that_article() {
    let srv = Server::start();
    let url = srv.route("/news/1", Reply::ok(article_page("Заголовок страницы"), "text/html; charset=utf-8"));
    srv.route("/news/1/?utm_source=tg", Reply::ok(article_page("Заголовок страницы"), "text/html; charset=utf-8"));
    let ar = Archive::new();
    let item = (None, "Заголовок ленты", url.as_str(), "Короткий тизер.");
    let feed = ar.add(&srv.route("/f.xml", Reply::ok(rss("Лента", "http://f.kz/", &[item]), "application/rss+xml")));
    ar.fetch(&[feed]);
    let id = ar.ids_of_feed(feed)[0];
    ar.store().set_starred(id, true).unwrap();
    // Another spelling of the same URL finds it too.
    for asked in [url.clone(), format!("{url}/?utm_source=tg#comments")] {
        let r = page::get(&mut ar.store(), &asked, &quick(), &Rules::default()).unwrap();
        assert_eq!(r, Upsert::Updated(id), "{asked}");
        assert_eq!(ar.total(), 1, "no second copy");
        let a = ar.store().article(id).unwrap();
        assert!(a.extracted.is_some());
        assert_eq!(a.summary.title, "Заголовок ленты", "as `F` does: the title stays");
        assert!(a.summary.starred);
        assert_eq!(paragraphs(&a.blocks), 5, "{:?}", a.blocks);
    }
    // A refresh keeps the full text.
    ar.fetch(&[feed]);
    assert_eq!(paragraphs(&ar.store().article(id).unwrap().blocks), 5);
}

// ------------------------------------------------------------------ encodings

#[test]
fn two_feeds_in_different_encodings_each_keep_their_own_text() {
    let srv = Server::start();
    let link = format!("{}/n/1", srv.base);
    let title = "Ёлки в Алматы: праздник начинается";
    let body = "Городские власти установили двенадцать ёлок на площадях.";
    let doc = |enc: &str| {
        rss("Новости", "http://n.kz/", &[(Some(link.as_str()), title, link.as_str(), body)])
            .replace("encoding=\"UTF-8\"", &format!("encoding=\"{enc}\""))
    };
    let cp1251 = encoding_rs::WINDOWS_1251.encode(&doc("windows-1251")).0.into_owned();
    let koi8 = encoding_rs::KOI8_R.encode(&doc("koi8-r")).0.into_owned();
    let ar = Archive::new();
    let a = ar.add(&srv.route("/cp1251.xml", Reply::ok(cp1251, "text/xml")));
    let b = ar.add(&srv.route("/koi8.xml", Reply::ok(koi8, "text/xml")));
    for order in [[a, b], [b, a]] {
        for id in order {
            ar.fetch(&[id]);
        }
        for feed in [a, b] {
            let seen = ar.snapshot(&ar.ids_of_feed(feed));
            assert_eq!(seen.len(), 1);
            assert_eq!((seen[0].title.as_str(), seen[0].body.as_slice()), (title, [body.to_string()].as_slice()));
        }
    }
    assert_eq!(ar.total(), 2);
    let ids = ar.ids_of_feed(a);
    assert_eq!(also_in(&ar.store(), ids[0]), ar.ids_of_feed(b));
}

// ------------------------------------------------------------------ migration

/// Schema versions before the identity migration (later ones run too).
const BEFORE_IDENTITY: usize = 5;

#[test]
fn migration_scopes_existing_rows_and_keeps_ids_and_flags() {
    let srv = Server::start();
    let link = format!("{}/a/1", srv.base);
    let feed_url = srv.route(
        "/a.xml",
        Reply::ok(
            rss("Лента А", "http://a.kz/", &[(Some(link.as_str()), "Новость А", link.as_str(), "Новый текст А.")]),
            "application/rss+xml",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let migrations = svodka::store::schema::MIGRATIONS;
    {
        // The archive as the release before scoped identity left it (the
        // migrations before identity's, the sixth): a subscription's item, a
        // saved page with the same URL, a dump.
        let c = rusqlite::Connection::open(&db).unwrap();
        for m in &migrations[..BEFORE_IDENTITY] {
            c.execute_batch(m).unwrap();
        }
        let page_identity = format!("url:{link}");
        let feed_identity = format!("guid:{link}");
        c.execute(
            "INSERT INTO feeds(id, url, title, added) VALUES(1, ?, 'Лента А', '2026-01-01T00:00:00Z')",
            [&feed_url],
        )
        .unwrap();
        c.execute(
            "INSERT INTO articles(id, identity, title, title_key, url, added, sort_key, read, starred, feed_id, guid)
             VALUES(10, ?1, 'Новость А', 'новость а', ?2, '2026-01-01T00:00:00Z', 1, 1, 1, 1, ?2),
                   (11, ?3, 'Страница', 'страница', ?2, '2026-01-01T00:00:00Z', 2, 1, 0, NULL, NULL),
                   (12, 'page:Караван\x1fдамп\x1f', 'Дамп', 'дамп', NULL, '2026-01-01T00:00:00Z', 3, 0, 1, NULL, NULL),
                   (13, 'guid:http://file.kz/1', 'Из файла', 'из файла', 'http://file.kz/1', '2026-01-01T00:00:00Z',
                    0, 1, 0, NULL, NULL)",
            rusqlite::params![feed_identity, link, page_identity],
        )
        .unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {BEFORE_IDENTITY};")).unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap() as usize, migrations.len());
    let rows = store.list(&ListQuery { limit: 10, ..Default::default() }).unwrap();
    let flags: Vec<(i64, bool, bool)> = rows.iter().map(|r| (r.id, r.read, r.starred)).collect();
    assert_eq!(flags, [(12, false, true), (11, true, false), (10, true, true), (13, true, false)]);
    assert_eq!(also_in(&store, 10), [11]);
    assert_eq!(also_in(&store, 11), [10]);
    assert!(also_in(&store, 12).is_empty());
    drop(store);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        let ident: String = c.query_row("SELECT identity FROM articles WHERE id = 10", [], |r| r.get(0)).unwrap();
        assert_eq!(ident, format!("feed:1\u{1f}guid:{link}"));
    }
    // The subscription's next fetch updates its own row in place; the page
    // stays as it was.
    let ar = Archive { _dir: dir, path: db };
    ar.fetch(&[1]);
    assert_eq!(ar.total(), 4);
    assert_eq!(ar.ids_of_feed(1), [10]);
    let seen = ar.snapshot(&[10, 11]);
    assert_eq!(seen[0].body, ["Новый текст А."]);
    assert_eq!(seen[1].title, "Страница");
    let a = ar.store().article(10).unwrap();
    assert!(a.summary.read && a.summary.starred, "flags survive the migration and the fetch");
    // A feed file imported before the migration: importing it again updates
    // its old row (adopted by GUID) rather than adding a copy.
    let file = ar._dir.path().join("feed.xml");
    let item = (Some("http://file.kz/1"), "Из файла, снова", "http://file.kz/1", "Текст.");
    std::fs::write(&file, rss("Файл", "http://file.kz/", &[item])).unwrap();
    for _ in 0..2 {
        let r = svodka::ingest::import_paths(&mut ar.store(), std::slice::from_ref(&file)).unwrap();
        assert_eq!((r.added, r.updated), (0, 1));
        let a = ar.store().article(13).unwrap();
        assert_eq!((a.summary.title.as_str(), a.summary.read), ("Из файла, снова", true));
    }
}
