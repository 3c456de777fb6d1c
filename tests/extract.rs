//! Full text end to end: the extractor on real pages (Readability's test
//! pages, copied with their licence), Russian pages with every kind of
//! boilerplate, site rules, and `svodka get` / `import page.html` / feed
//! `full_text` against a real HTTP server on 127.0.0.1 started here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use svodka::extract::{self, ExtractError, Rules, page, score};
use svodka::ingest::fetch::FetchOptions;
use svodka::model::BlockKind;
use svodka::store::Store;
use url::Url;

mod common;
use common::{Reply, Server};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract").join(p)
}

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

/// The seed article's body paragraphs (the long lines of the dump).
fn seed_paragraphs() -> Vec<&'static str> {
    SEED.lines().filter(|l| l.chars().count() > 150).collect()
}

/// A Russian news page with everything an extractor must drop around the
/// article: navigation, share buttons, a related rail, comments, a cookie
/// banner, a footer.
fn russian_page(charset: &str) -> String {
    let body: String = seed_paragraphs().iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html lang="ru"><head><meta charset="{charset}">
<title>Местные власти признали проблему трафика - Караван</title>
<meta property="og:title" content="Местные власти признали проблему трафика">
<meta property="og:site_name" content="Караван">
<meta name="author" content="Гульдан Тлегенова">
<meta property="article:published_time" content="2001-08-14T14:05:00+06:00">
<meta property="og:image" content="https://caravan.kz/img/lead.jpg">
</head><body>
<div class="cookie-banner">Мы используем куки-файлы. Продолжая пользоваться сайтом, вы соглашаетесь.</div>
<nav class="menu"><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/sport">Спорт</a></li></ul></nav>
<main><article class="article">
<h1>Местные власти признали проблему трафика</h1>
<figure><img src="/img/lead.jpg" alt="Пресс-конференция в Алматы"></figure>
{body}<p>Подробнее читайте в <a href="/news/2001/08/report">докладе центра</a>.</p>
</article>
<div class="share">Поделиться: <a href="https://vk.com/share">ВКонтакте</a> <a href="https://t.me/share">Telegram</a></div>
<aside class="related"><h3>Читайте также</h3><ul>
<li><a href="/n/1">В Алматы открылся новый центр помощи</a></li>
<li><a href="/n/2">Парламент обсудил поправки к закону о миграции</a></li>
<li><a href="/n/3">Курс тенге на сегодня</a></li></ul></aside>
<section class="comments" id="comments"><h3>Комментарии</h3>
<div class="comment">Ерлан: Спасибо за статью!</div></section>
</main><footer class="footer">© 2001 Караван. Все права защищены.</footer></body></html>"#
    )
}

fn texts(ex: &extract::Extracted) -> Vec<&str> {
    ex.blocks.iter().map(|b| b.text.as_str()).collect()
}

// ---------------------------------------------------------------- extractor

#[test]
fn readability_fixtures_score_like_readability() {
    for (name, min_f1) in [("ars-1", 0.95), ("simplyfound-1", 0.95)] {
        let source = std::fs::read(fixture(&format!("{name}/source.html"))).unwrap();
        let expected = std::fs::read_to_string(fixture(&format!("{name}/expected.html"))).unwrap();
        let expected = scraper::Html::parse_fragment(&expected).root_element().text().collect::<Vec<_>>().join(" ");
        let url = Url::parse("http://fakehost/test/page.html").unwrap();
        let ex = extract::extract_bytes(&source, None, Some(&url), &Rules::default()).unwrap();
        let s = score::score(&ex.plain_text(), &expected);
        assert!(s.f1 >= min_f1, "{name}: F1 {:.3} (P {:.3} R {:.3})", s.f1, s.precision, s.recall);
    }
    let ars = std::fs::read(fixture("ars-1/source.html")).unwrap();
    let ex = extract::extract_bytes(&ars, None, None, &Rules::default()).unwrap();
    assert_eq!(ex.title, "Just-released Minecraft exploit makes it easy to crash game servers");
    assert_eq!(ex.byline.as_deref(), Some("Dan Goodin"));
    assert_eq!(ex.site_name.as_deref(), Some("Ars Technica"));
}

#[test]
fn russian_page_keeps_the_article_and_drops_the_boilerplate() {
    let html = russian_page("utf-8");
    let url = Url::parse("https://caravan.kz/news/trafik-2001").unwrap();
    let ex = extract::check_article(extract::extract(&html, Some(&url), &Rules::default()).unwrap()).unwrap();
    let all = texts(&ex).join("\n");
    for p in seed_paragraphs() {
        assert!(all.contains(p), "missing paragraph: {p}");
    }
    for junk in ["куки", "Поделиться", "Читайте также", "Комментарии", "Спасибо за статью", "Главная", "права защищены"]
    {
        assert!(!all.contains(junk), "kept boilerplate {junk:?}:\n{all}");
    }
    assert_eq!(ex.title, "Местные власти признали проблему трафика");
    assert_eq!(ex.byline.as_deref(), Some("Гульдан Тлегенова"));
    assert_eq!(ex.site_name.as_deref(), Some("Караван"));
    assert_eq!(ex.published.map(|p| p.to_iso()).as_deref(), Some("2001-08-14T14:05:00+06:00"));
    assert_eq!(ex.image_alt.as_deref(), Some("Пресс-конференция в Алматы"));
    // Links are numbered and resolved against the page URL.
    assert!(ex.links.iter().any(|l| l.url == "https://caravan.kz/news/2001/08/report" && l.text == "докладе центра"));
    // Link text stays clean; the pane puts the number after it.
    assert!(all.contains("докладе центра") && !all.contains("докладе центра[1]"));
    let pane = svodka::reader::document::pane_blocks(&ex.blocks, svodka::i18n::Lang::Ru);
    assert!(pane.iter().any(|b| b.text.contains("докладе центра[1]")));
    assert!(ex.blocks.iter().all(|b| b.kind != BlockKind::Heading || b.text != ex.title));
}

#[test]
fn windows_1251_page_decodes_from_its_meta_charset() {
    let html = russian_page("windows-1251");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    assert_eq!(extract::meta_charset(&bytes).as_deref(), Some("windows-1251"));
    let ex = extract::extract_bytes(&bytes, None, None, &Rules::default()).unwrap();
    assert!(texts(&ex).contains(&seed_paragraphs()[0]));
    // A wrong HTTP charset does not win over bytes it cannot describe.
    let ex = extract::extract_bytes(&bytes, Some("utf-8"), None, &Rules::default()).unwrap();
    assert_eq!(ex.title, "Местные власти признали проблему трафика");
    // http-equiv form.
    let old = html.replace(
        r#"<meta charset="windows-1251">"#,
        r#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">"#,
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&old);
    assert_eq!(extract::meta_charset(&bytes).as_deref(), Some("windows-1251"));
}

#[test]
fn valid_utf8_wins_over_a_stale_meta_charset() {
    // Saved pages are often re-encoded to UTF-8 and keep their old meta.
    let page = "<html><head><meta charset=\"gb2312\"></head><body><p>腾讯新闻 Новости</p></body></html>";
    assert_eq!(extract::meta_charset(page.as_bytes()).as_deref(), Some("gb2312"));
    assert!(extract::decode_page(page.as_bytes(), Some("windows-1251")).unwrap().contains("腾讯新闻 Новости"));
    // Real GBK bytes with that meta decode as GBK.
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    assert!(extract::decode_page(&gbk, None).unwrap().contains("腾讯新闻"));
}

#[test]
fn datelines_and_link_rails_at_the_edges_are_trimmed() {
    let body: String = seed_paragraphs().iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        "<html><head><title>Местные власти признали проблему</title></head><body><div id='content'>\
         <p><a href='/'>Главная</a> › <a href='/n'>Новости</a> › Местные власти признали проблему</p>\
         <p>Сегодня, 17:40</p><p><a href='/'>Главная</a> <a href='/n'>Новости</a></p>\
         {body}<p><a href='/print'>Версия для печати</a></p></div></body></html>"
    );
    let url = Url::parse("https://caravan.kz/x").unwrap();
    let ex = extract::extract(&html, Some(&url), &Rules::default()).unwrap();
    assert_eq!(ex.blocks.first().map(|b| b.text.as_str()), Some(seed_paragraphs()[0]));
    assert_eq!(ex.blocks.last().map(|b| b.text.as_str()), seed_paragraphs().last().copied());
}

#[test]
fn a_listing_is_not_an_article() {
    let links: String = (0..40).map(|i| format!("<li><a href='/n/{i}'>Новость номер {i}</a></li>")).collect();
    let html = format!("<html><head><title>Главная</title></head><body><nav><ul>{links}</ul></nav></body></html>");
    let got = extract::extract(&html, None, &Rules::default()).and_then(extract::check_article);
    assert!(matches!(got, Err(ExtractError::NotAnArticle(_))), "{got:?}");
}

#[test]
fn site_rules_override_the_generic_extractor() {
    let rules = Rules::parse(
        r#"
        [[site]]
        host = "caravan.kz"
        body = "aside.related"
        title = "aside.related h3"
        date = "time"
        strip = ["li:last-child"]
        "#,
    )
    .unwrap();
    let html = russian_page("utf-8").replace("<main>", "<main><time datetime='2020-01-02'>2 января</time>");
    let url = Url::parse("https://www.news.caravan.kz/x").unwrap();
    let ex = extract::extract(&html, Some(&url), &rules).unwrap();
    assert_eq!(ex.method, "rule");
    assert_eq!(ex.title, "Читайте также");
    assert_eq!(ex.published.map(|p| p.to_iso()).as_deref(), Some("2020-01-02"));
    let all = texts(&ex).join("\n");
    assert!(all.contains("Парламент обсудил") && !all.contains("Курс тенге"), "{all}");
    // Another host, or a body selector that matches nothing: the generic one.
    let other = Url::parse("https://caravan.kz.evil.example/x").unwrap();
    assert_eq!(extract::extract(&html, Some(&other), &rules).unwrap().method, "generic");
    let stale = Rules::parse("[[site]]\nhost = \"caravan.kz\"\nbody = \".gone\"").unwrap();
    assert_eq!(extract::extract(&html, Some(&url), &stale).unwrap().method, "generic");
    // Bad data is an error naming the rule and the selector.
    let err = Rules::parse("[[site]]\nhost = \"a.kz\"\nbody = \"div[\"").unwrap_err();
    assert!(err.contains("a.kz") && err.contains("body selector"), "{err}");
    assert!(Rules::parse("[[site]]\nhost = \"a.kz\"\nbodyy = \"p\"").is_err());
    // The file lives beside config.toml; none is no rules.
    let dir = tempfile::tempdir().unwrap();
    assert!(Rules::load_beside(Some(&dir.path().join("config.toml"))).unwrap().is_empty());
    std::fs::write(dir.path().join("sites.toml"), "[[site]]\nhost = \"a.kz\"\nbody = \"main\"\n").unwrap();
    assert!(!Rules::load_beside(Some(&dir.path().join("config.toml"))).unwrap().is_empty());
    std::fs::write(dir.path().join("sites.toml"), "[[site]]\nhost = 1\n").unwrap();
    let err = Rules::load_beside(Some(&dir.path().join("config.toml"))).unwrap_err().to_string();
    assert!(err.contains("sites.toml"), "{err}");
}

// ---------------------------------------------------------------- HTTP

/// svodka with `dir/config.toml` as its config (sites.toml is looked for
/// beside it); an explicit --config must exist, so an empty one is written.
fn svodka(db: &Path, dir: &Path) -> Command {
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    let mut c = common::svodka(db);
    c.arg("--config").arg(config);
    c
}

fn show(db: &Path, dir: &Path, id: i64) -> serde_json::Value {
    let out = svodka(db, dir).args(["show", &id.to_string(), "--json"]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn get_fetches_one_page_into_the_archive() {
    let server = Server::start();
    let page = russian_page("windows-1251");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    // No charset in the header: the page's meta says windows-1251.
    let url = server.route("/news/trafik", Reply::ok(cp1251.into_owned(), "text/html"));
    let links: String = (0..40).map(|i| format!("<li><a href='/n/{i}'>Новость {i}</a></li>")).collect();
    let front =
        server.route("/", Reply::ok(format!("<html><body><ul>{links}</ul></body></html>"), "text/html; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");

    let out = svodka(&db, dir.path()).args(["get", &url, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "added");
    let a = show(&db, dir.path(), v["id"].as_i64().unwrap());
    assert_eq!(a["title"], "Местные власти признали проблему трафика");
    assert_eq!(a["site"], "Караван");
    assert_eq!(a["url"], url.as_str());
    assert_eq!(a["author"], "Гульдан Тлегенова");
    assert!(a["extracted"].as_str().unwrap().starts_with("20"), "{a}");
    let shown =
        svodka(&db, dir.path()).args(["show", &v["id"].to_string()]).env("LANG", "ru_RU.UTF-8").output().unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("полный текст с сайта · ") || shown.contains("full text from the site · "), "{shown}");
    let paras: Vec<&str> = a["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(paras.contains(&seed_paragraphs()[1]), "{paras:?}");
    // Again: the same article, updated in place.
    let out = svodka(&db, dir.path()).args(["get", &url, "--json"]).output().unwrap();
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((again["status"].as_str(), again["id"].as_i64()), (Some("updated"), v["id"].as_i64()));

    // Not an article, a 404, not a URL: a clear error, nothing written.
    for (target, why) in [
        (front.as_str(), "not an article"),
        (&format!("{}/missing", server.base), "HTTP 404"),
        ("ftp://x/", "not an http(s) URL"),
    ] {
        let out = svodka(&db, dir.path()).args(["get", target]).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{target}: {err}");
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.counts().unwrap().total, 1);
}

#[test]
fn oversize_page_is_refused_and_nothing_is_written() {
    let server = Server::start();
    let big = format!("<html><body><article>{}</article></body></html>", "<p>Абзац текста статьи.</p>".repeat(5000));
    let url = server.route("/big", Reply::ok(big, "text/html; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let opts = FetchOptions { max_bytes: 64 * 1024, ..FetchOptions::default() };
    let err = page::get(&mut store, &url, &opts, &Rules::default()).unwrap_err().to_string();
    assert!(err.contains("larger than 65536 bytes") && err.contains("/big"), "{err}");
    assert_eq!(store.counts().unwrap().total, 0);
}

#[test]
fn import_takes_saved_pages() {
    let dir = tempfile::tempdir().unwrap();
    let page = russian_page("windows-1251")
        .replace("</head>", "<link rel=\"canonical\" href=\"https://caravan.kz/news/trafik-2001\"></head>");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    std::fs::write(dir.path().join("page.html"), &cp1251).unwrap();
    std::fs::write(dir.path().join("front.html"), "<!DOCTYPE html><html><body><a href='/'>Главная</a></body></html>")
        .unwrap();
    let db = dir.path().join("a.db");
    let out = svodka(&db, dir.path()).args(["import", "--json"]).arg(dir.path()).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["added"], 1, "{report}");
    let refused = report["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1);
    assert!(refused[0]["path"].as_str().unwrap().ends_with("front.html"));
    assert!(refused[0]["reason"].as_str().unwrap().contains("not an article"));
    let a = show(&db, dir.path(), 1);
    assert_eq!(a["url"], "https://caravan.kz/news/trafik-2001");
    assert!(a["links"].as_array().unwrap().iter().any(|l| l["url"] == "https://caravan.kz/news/2001/08/report"));
}

#[test]
fn full_text_feeds_fetch_each_new_items_page_and_keep_the_teaser_on_failure() {
    let server = Server::start();
    server.route("/a1", Reply::ok(russian_page("utf-8"), "text/html; charset=utf-8"));
    let links: String = (0..40).map(|i| format!("<li><a href='/n/{i}'>Новость {i}</a></li>")).collect();
    server.route("/a3", Reply::ok(format!("<html><body><ul>{links}</ul></body></html>"), "text/html"));
    let items: String = ["a1", "a2", "a3"]
        .iter()
        .map(|g| {
            format!("<item><guid>{g}</guid><title>Заголовок {g}</title><link>{}/{g}</link><description>Тизер {g}.</description></item>", server.base)
        })
        .collect();
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Лента</title>{items}</channel></rss>"
    );
    let feed = server.route("/rss", Reply::ok(rss.clone(), "application/rss+xml"));
    let plain = server.route(
        "/plain",
        Reply::ok(rss.replace("<guid>a", "<guid>p").replace("Заголовок", "Без флага"), "application/rss+xml"),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert!(svodka(&db, dir.path()).args(["add", "--full-text", &feed]).output().unwrap().status.success());
    assert!(svodka(&db, dir.path()).args(["add", &plain]).output().unwrap().status.success());

    let out = svodka(&db, dir.path()).arg("fetch").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("full text: 1 extracted, 2 failed"), "{stdout}");
    assert!(stdout.contains("HTTP 404") && stdout.contains("not an article"), "{stdout}");

    let store = Store::open(&db).unwrap();
    let rows = store.list(&svodka::store::ListQuery { limit: 100, ..Default::default() }).unwrap();
    let id_of = |guid: &str| rows.iter().find(|r| r.title == format!("Заголовок {guid}")).map(|r| r.id).unwrap();
    let a1 = store.article(id_of("a1")).unwrap();
    assert!(a1.extracted.is_some());
    assert!(a1.blocks.iter().any(|b| b.text == seed_paragraphs()[0]));
    assert_eq!(a1.author.as_deref(), Some("Гульдан Тлегенова"));
    // Failures keep the teaser and say why.
    let a2 = id_of("a2");
    assert_eq!(store.article(a2).unwrap().blocks[0].text, "Тизер a2.");
    assert!(store.extract_state(a2).unwrap().2.unwrap().contains("HTTP 404"));
    assert!(store.article(id_of("a3")).unwrap().extracted.is_none());
    drop(store);
    // The feed without the flag had no page fetched; 3 page requests in all.
    assert_eq!(server.hits("/a1") + server.hits("/a2") + server.hits("/a3"), 3);

    // A second refresh neither refetches nor puts the teaser back.
    server.route("/rss", Reply::ok(rss.replace("Тизер a1.", "Новый тизер a1."), "application/rss+xml"));
    assert!(svodka(&db, dir.path()).arg("fetch").output().unwrap().status.success());
    assert_eq!(server.hits("/a1"), 1);
    let a1_again = Store::open(&db).unwrap().article(a1.summary.id).unwrap();
    assert_eq!(a1_again.blocks, a1.blocks);

    // The reader's `F`: any article, on demand, from a worker thread.
    let store = Store::open(&db).unwrap();
    let p1 = store
        .list(&svodka::store::ListQuery { limit: 100, ..Default::default() })
        .unwrap()
        .into_iter()
        .find(|r| r.url.as_deref().is_some_and(|u| u.ends_with("/a1")) && r.id != a1.summary.id)
        .unwrap()
        .id;
    assert!(store.article(p1).unwrap().extracted.is_none());
    drop(store);
    let path = db.clone();
    std::thread::spawn(move || page::fetch_full_text(&path, p1, &FetchOptions::default(), &Rules::default()))
        .join()
        .unwrap()
        .unwrap();
    let store = Store::open(&db).unwrap();
    assert!(store.article(p1).unwrap().extracted.is_some());
    assert!(page::fetch_full_text(&db, a2, &FetchOptions::default(), &Rules::default()).is_err());
    assert_eq!(store.article(a2).unwrap().blocks[0].text, "Тизер a2.");
}

/// 100 000 nested divs cost minutes in html5ever (quadratic); the page is
/// capped before either parser sees it, so extraction keeps the article.
#[test]
fn absurdly_nested_page_extracts_its_article() {
    let para = "Это абзац статьи о погоде в Алматы, в нём достаточно слов, чтобы его сочли текстом. ".repeat(4);
    let depth = 20_000;
    let page = format!(
        "<html><head><title>Погода</title></head><body>{}<article><p>{para}</p><p>{para}</p></article>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let ex = extract::extract(&page, None, &Rules::default()).unwrap();
    assert!(ex.plain_text().contains("о погоде в Алматы"), "{:?}", ex.plain_text());
}
