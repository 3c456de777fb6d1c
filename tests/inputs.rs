//! Inputs that used to succeed silently or work without bound: feeds whose
//! items were lost without an error, junk imported as an article, feeds
//! stored as pages, subscriptions that were never checked, timeouts per hop,
//! unbounded dumps and symlink loops. Servers run on 127.0.0.1 only.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use svodka::ingest::feed;
use svodka::ingest::fetch::{self, FetchEvent, FetchOptions, FetchOutcome};
use svodka::store::Store;

mod common;
use common::{Reply, Server, svodka};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A port nothing listens on (bound, read, released).
fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}/feed.xml")
}

fn quick() -> FetchOptions {
    FetchOptions { timeout: Duration::from_secs(5), connect_timeout: Duration::from_secs(2), ..Default::default() }
}

fn fetch_one(db: &Path, url: &str) -> FetchOutcome {
    let id = Store::open(db).unwrap().add_feed(url, None, &[]).unwrap().0;
    let (tx, rx) = std::sync::mpsc::channel();
    fetch::fetch_all(db, &[id], &quick(), tx).unwrap();
    rx.into_iter()
        .find_map(|e| match e {
            FetchEvent::Finished { outcome, .. } => Some(outcome),
            _ => None,
        })
        .unwrap()
}

fn rss(items: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Лента</title>");
    for i in 0..items {
        s.push_str(&format!("<item><title>Новость {i}</title><link>http://site.kz/{i}</link></item>"));
    }
    s + "</channel></rss>"
}

// ------------------------------------------------ silent success, feeds

#[test]
fn rss_091_items_beside_the_channel_are_read() {
    let bytes = std::fs::read(fixtures().join("feeds/chardet/windows-1251-russian/greek.ru.xml")).unwrap();
    let f = feed::parse_feed(&bytes, None, None).unwrap();
    assert_eq!(f.items.len(), 3, "the fourth item is cut off mid-way");
    assert!(f.items[0].title.starts_with("Греция сегодня"), "{}", f.items[0].title);
    assert_eq!(f.title.as_deref(), Some("Greek.Ru"));
}

#[test]
fn a_feed_after_8_kib_of_whitespace_is_read_and_lost_items_are_an_error() {
    let srv = Server::start();
    let padded = format!("{}{}", "\n ".repeat(5000), rss(3));
    let url = srv.route("/padded.xml", Reply::ok(padded, "application/rss+xml"));
    let lost = srv.route(
        "/lost.xml",
        Reply::ok("<rss version=\"2.0\"><item><title>a</title></item></rss>", "application/rss+xml"),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert_eq!(fetch_one(&db, &url), FetchOutcome::Updated { added: 3, updated: 0, moved_to: None });
    assert!(matches!(fetch_one(&db, &lost), FetchOutcome::Failed { .. }));
    let feeds = Store::open(&db).unwrap().feeds().unwrap();
    let err = feeds.iter().find(|f| f.url == lost).and_then(|f| f.last_error.clone());
    assert!(err.is_some_and(|e| e.contains("none could be read")));
    // and a file import says the same.
    let p = write(dir.path(), "lost.xml", "<rss version=\"2.0\"><item><title>a</title></item></rss>");
    svodka(&db).arg("import").arg(&p).assert().failure().stderr(predicates::str::contains("none could be read"));
}

// ------------------------------------------------------ bounded work

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let top = dir.path().join("in");
    std::fs::create_dir_all(top.join("sub")).unwrap();
    write(&top, "page.txt", SEED);
    // A link back to the top and a pair of directories linking each other.
    symlink(&top, top.join("sub/back")).unwrap();
    std::fs::create_dir_all(dir.path().join("x")).unwrap();
    std::fs::create_dir_all(dir.path().join("y")).unwrap();
    symlink(dir.path().join("y"), dir.path().join("x/to-y")).unwrap();
    symlink(dir.path().join("x"), dir.path().join("y/to-x")).unwrap();
    write(&dir.path().join("x"), "other.txt", SEED.replacen("МЕСТНЫЕ", "ДРУГИЕ", 1));
    let (tx, rx) = std::sync::mpsc::channel();
    let (d, t, x) = (db.clone(), top.clone(), dir.path().join("x"));
    std::thread::spawn(move || {
        let out = svodka(&d).arg("import").arg(&t).arg(&x).output().unwrap();
        let _ = tx.send(out);
    });
    let out = rx.recv_timeout(Duration::from_secs(60)).expect("import returns");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 2, updated 0, refused 0\n");
}

// ------------------------------------------------ silent success, import

#[test]
fn junk_is_refused_with_the_file_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    for (name, body, why) in [
        ("broken.xml", "not really feed", "broken.xml: not a feed"),
        ("other.xml", "<?xml version=\"1.0\"?><config><a>1</a></config>", "other.xml: not a feed"),
        ("note.txt", "not really feed\n", "note.txt: not a page dump: no article text after the title line"),
    ] {
        let p = write(dir.path(), name, body);
        let out = svodka(&db).arg("import").arg(&p).assert().failure().get_output().clone();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "added 0, updated 0, refused 1\n", "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{name}: {err}");
    }
    let list = svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8_lossy(&list).trim(), "[]");
}

#[test]
fn the_timeout_covers_the_whole_redirect_chain() {
    let srv = Server::start();
    let slow = Duration::from_millis(900);
    let url = srv.route("/r0", Reply::redirect(302, "/r1").after(slow));
    for i in 1..5 {
        srv.route(&format!("/r{i}"), Reply::redirect(302, &format!("/r{}", i + 1)).after(slow));
    }
    srv.route("/r5", Reply::ok(rss(1), "application/rss+xml").after(slow));
    let opts = FetchOptions { timeout: Duration::from_secs(2), ..quick() };
    let agent = svodka::net::agent(&opts);
    let t = Instant::now();
    let r = svodka::net::fetch_url(&agent, &url, None, None, &opts);
    assert_eq!(r, Err(svodka::net::HttpFailure::Timeout));
    assert!(t.elapsed() < Duration::from_millis(3000), "took {:?}", t.elapsed());
    // and `get --timeout` is the same deadline.
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    svodka(&dir.path().join("a.db")).args(["get", "--timeout", "2", &url]).assert().failure();
    assert!(t.elapsed() < Duration::from_millis(3500), "get took {:?}", t.elapsed());
}

// ------------------------------------------------ silent success, get/add

#[test]
fn get_of_a_feed_or_a_non_article_stores_nothing_and_says_why() {
    let srv = Server::start();
    let feed_url = srv.route("/rss.xml", Reply::ok(rss(40), "text/xml"));
    let front = srv.route("/", Reply::ok("<html><body><a href='/a'>Новости</a></body></html>", "text/html"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = svodka(&db).args(["get", &feed_url]).assert().failure().get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{feed_url} is a feed")) && err.contains(&format!("svodka add {feed_url}")), "{err}");
    let out = svodka(&db).args(["get", &front]).assert().failure().get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an article"));
    let list = svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8_lossy(&list).trim(), "[]");
}

#[test]
fn add_checks_the_feed_once_and_refuses_what_is_no_feed() {
    let srv = Server::start();
    let good = srv.route("/feed.xml", Reply::ok(rss(3), "application/rss+xml"));
    let page = srv.route("/page", Reply::ok("<html><body><p>Просто страница</p></body></html>", "text/html"));
    let advertising = srv.route(
        "/site",
        Reply::ok(
            "<html><head><link rel=alternate type='application/rss+xml' href='/feed.xml'></head></html>",
            "text/html",
        ),
    );
    let missing = format!("{}/missing", srv.base);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    svodka(&db).args(["add", &good]).assert().success().stdout(format!("subscribed: #1 {good}, 3 items\n"));
    for (url, why) in
        [(&missing, "HTTP 404"), (&page, "an HTML page that names no feed"), (&closed_port(), "connection failed")]
    {
        let out = svodka(&db).args(["add", "--timeout", "5", url]).assert().failure().get_output().clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why) && err.contains("not subscribed"), "{url}: {err}");
    }
    // A page naming its feed leads to it (already subscribed here).
    svodka(&db).args(["add", &advertising]).assert().success().stdout(predicates::str::contains(format!(
        "already subscribed: #1 {good}, 3 items (the feed {advertising} names)"
    )));
    svodka(&db).args(["add", "--no-check", &missing]).assert().success();
    let feeds = Store::open(&db).unwrap().feeds().unwrap();
    assert_eq!(feeds.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(), [good.as_str(), missing.as_str()]);
}

#[test]
fn dumps_over_the_text_cap_are_refused_and_feed_bodies_are_cut() {
    use svodka::text::cap::{MAX_TEXT_BYTES, TRUNCATED};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let para = "В Алматы прошёл снег, и это было красиво.\n\n".repeat(100);
    let big = format!("Огромная страница - Караван\n\n{}", para.repeat(MAX_TEXT_BYTES / para.len() + 1));
    assert!(big.len() > MAX_TEXT_BYTES && big.len() < MAX_TEXT_BYTES + 2 * para.len());
    let p = write(dir.path(), "big.txt", &big);
    let out = svodka(&db).arg("import").arg(&p).assert().failure().get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.txt: ") && err.contains("more than a page dump holds"), "{err}");
    // A feed item as big is kept, cut at the cap with a mark.
    let body = "Абзац текста новости.\n\n".repeat(MAX_TEXT_BYTES / 30);
    let xml = format!(
        "<rss version=\"2.0\"><channel><item><title>Длинная</title><description>{body}</description></item></channel></rss>"
    );
    let f = feed::parse_feed(xml.as_bytes(), None, None).unwrap();
    let blocks = &f.items[0].blocks;
    assert!(blocks.len() >= 2 && blocks.last().is_some_and(|b| b.text == TRUNCATED), "{} blocks", blocks.len());
    assert!(blocks.iter().map(|b| b.text.len()).sum::<usize>() <= MAX_TEXT_BYTES + TRUNCATED.len());
}
