//! Typed blocks end to end: a feed's HTML into the archive, `show --json`
//! (`paragraphs` clean, `blocks` typed), `show` and `render` wording images
//! and links as the reading pane does, and `get` of an archived URL or of
//! what is not an article.

mod common;

use common::{Reply, Server, svodka};

/// An RSS feed with one item whose description is `body` (HTML, escaped).
fn rss(link: &str, body: &str) -> String {
    let body = body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Лента</title>\
         <link>http://f.kz/</link><item><guid>{link}</guid><title>Мост открыли</title><link>{link}</link>\
         <pubDate>Tue, 3 Jan 2006 19:57:00 +0300</pubDate><description>{body}</description></item></channel></rss>"
    )
}

const BODY: &str = r#"<p>Мост через <a href="https://f.kz/irtysh">Иртыш</a> открыли.</p>
    <figure><img src="/m.jpg" alt="Новый мост"><figcaption>Фото: Иванов</figcaption></figure>
    <h3>Подробности</h3><ol><li>первый</li><li>второй</li></ol><p>Конец.</p>"#;

/// An archive holding the feed's one item; returns (dir, db, item id, server, item URL).
fn archive() -> (tempfile::TempDir, std::path::PathBuf, i64, Server, String) {
    let srv = Server::start();
    let link = format!("{}/news/most", srv.base);
    let feed = srv.route("/f.xml", Reply::ok(rss(&link, BODY), "application/rss+xml"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    svodka(&db).args(["add", &feed]).assert().success();
    svodka(&db).args(["fetch"]).assert().success();
    let list = svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout.clone();
    let list: serde_json::Value = serde_json::from_slice(&list).unwrap();
    let id = list[0]["id"].as_i64().unwrap();
    (dir, db, id, srv, link)
}

fn show_json(db: &std::path::Path, id: i64) -> serde_json::Value {
    let out = svodka(db).args(["show", &id.to_string(), "--json"]).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn show_json_has_clean_paragraphs_and_typed_blocks() {
    let (_dir, db, id, srv, _) = archive();
    let v = show_json(&db, id);
    let paras: Vec<&str> = v["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(paras, ["Мост через Иртыш открыли.", "Подробности", "1. первый", "2. второй", "Конец."]);
    let want = serde_json::json!([
        {"type": "paragraph", "text": "Мост через Иртыш открыли.", "links": [{"start": 11, "end": 16, "link": 1}]},
        {"type": "image", "src": format!("{}/m.jpg", srv.base), "alt": "Новый мост", "caption": "Фото: Иванов",
         "link": null},
        {"type": "heading", "text": "Подробности", "links": [], "level": 3},
        {"type": "list", "ordered": true, "items": [{"text": "1. первый", "links": []}, {"text": "2. второй", "links": []}]},
        {"type": "paragraph", "text": "Конец.", "links": []},
    ]);
    assert_eq!(v["blocks"], want);
    assert_eq!(v["links"][0]["url"], "https://f.kz/irtysh");
    for key in ["id", "title", "site", "url", "published", "captured", "author", "trending", "links", "extracted"] {
        assert!(v.get(key).is_some(), "key {key} kept");
    }
}

#[test]
fn render_and_show_word_images_in_the_interface_language_and_number_links() {
    let (_dir, db, id, _srv, _) = archive();
    let id = id.to_string();
    let en = svodka(&db).args(["render", &id, "--width", "80"]).assert().success().get_output().stdout.clone();
    let en = String::from_utf8(en).unwrap();
    assert!(en.contains("Мост через Иртыш[1] открыли."), "{en}");
    assert!(en.contains("[image: Новый мост — Фото: Иванов]"), "{en}");
    assert!(en.contains("[1]: https://f.kz/irtysh"), "{en}");
    let ru = svodka(&db)
        .args(["render", &id, "--width", "80"])
        .env("LANG", "ru_RU.UTF-8")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ru = String::from_utf8(ru).unwrap();
    assert!(ru.contains("[изображение: Новый мост — Фото: Иванов]"), "{ru}");
    let shown = svodka(&db).args(["show", &id]).assert().success().get_output().stdout.clone();
    let shown = String::from_utf8(shown).unwrap();
    assert!(shown.contains("Мост через Иртыш[1] открыли.") && shown.contains("[image: Новый мост"), "{shown}");
}

/// A page the extractor takes as an article.
fn article_page() -> String {
    let para = "Мост через Иртыш строили четыре года, и теперь дорога из центра города до аэропорта \
                займёт вдвое меньше времени, обещают в акимате.";
    let body: String = (1..=4).map(|i| format!("<p>{i}. {para}</p>")).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Мост открыли | Вести</title>\
         <meta property=\"article:published_time\" content=\"2026-03-01T10:00:00+05:00\"></head>\
         <body><article><h1>Мост открыли</h1><p class=\"byline\">Автор: А. Иванов</p>{body}</article></body></html>"
    )
}

#[test]
fn get_of_an_archived_url_fills_that_article_and_never_copies_it() {
    let (_dir, db, id, srv, link) = archive();
    srv.route("/news/most", Reply::ok(article_page(), "text/html; charset=utf-8"));
    let out = svodka(&db).args(["get", &link, "--json"]).assert().success().get_output().stdout.clone();
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!((r["status"].as_str(), r["id"].as_i64()), (Some("updated"), Some(id)));
    let list = svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout.clone();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&list).unwrap().as_array().unwrap().len(), 1);
    let v = show_json(&db, id);
    assert!(v["extracted"].is_string(), "{v}");
    assert_eq!(v["title"], "Мост открыли", "the feed's title stays");
    let paras = v["paragraphs"].as_array().unwrap();
    assert!(paras.iter().any(|p| p.as_str().unwrap().starts_with("1. Мост через Иртыш строили")), "{paras:?}");
}

#[test]
fn get_of_a_new_page_keeps_what_the_page_states() {
    let srv = Server::start();
    let page = article_page().replace(
        "</head>",
        r#"<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Дана Ким"}}</script></head>"#,
    );
    let url = srv.route("/news/new", Reply::ok(page, "text/html; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = svodka(&db).args(["get", &url, "--json"]).assert().success().get_output().stdout.clone();
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["status"], "added");
    let v = show_json(&db, r["id"].as_i64().unwrap());
    assert_eq!(v["title"], "Мост открыли");
    assert_eq!(v["site"], "Вести", "from the title's «| Site»");
    assert_eq!(v["published"], "2026-03-01T10:00:00+05:00");
    assert_eq!(v["author"], "Дана Ким", "the stated author, not the byline line's text");
}

#[test]
fn get_of_a_feed_or_a_non_article_says_so_and_stores_nothing() {
    let (_dir, db, id, srv, _) = archive();
    let before = show_json(&db, id);
    let feed = format!("{}/f.xml", srv.base);
    let front = srv.route("/", Reply::ok("<html><body><a href='/a'>Новости</a></body></html>", "text/html"));
    for (url, why) in [(feed.as_str(), "is a feed, not an article"), (front.as_str(), "not an article")] {
        let out = svodka(&db).args(["get", url]).assert().failure().get_output().clone();
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{url}: {err}");
    }
    let list = svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout.clone();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&list).unwrap().as_array().unwrap().len(), 1);
    assert_eq!(show_json(&db, id), before, "the archived item is untouched");
}
