//! `svodka sync` against a real Fever server: coldsweat, started per test
//! on 127.0.0.1 with its own database and port, fed by feeds this test
//! serves (tests/common's Server), so every item id and answer is the
//! server's own.
//!
//! The coldsweat tests are ignored by a plain `cargo test` (they need
//! Python and coldsweat); `.ci/run` installs coldsweat and runs them with
//! `SVODKA_COLDSWEAT` set. Run with `--ignored` and without it, they fail
//! saying so: they never pass without a server.

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Reply, Server};
use svodka::store::Store;
use svodka::sync::Backend;
use svodka::sync::fever::Fever;

const USER: &str = "reader@example.org";
const PASSWORD: &str = "correct-horse-battery";
const NEEDS: &str = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT";

/// A coldsweat server of one test; killed when dropped.
struct Coldsweat {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Coldsweat {
    /// A server with one user, subscribed (by OPML) to `opml`'s feeds,
    /// fetched once, running.
    fn new(opml: &str) -> Coldsweat {
        let bin = std::env::var_os("SVODKA_COLDSWEAT").map(PathBuf::from).unwrap_or_else(|| {
            panic!("{NEEDS}: SVODKA_COLDSWEAT (the path of the coldsweat binary) is not set; `bash .ci/run` installs coldsweat 0.10.2 into target/coldsweat-venv and sets it")
        });
        assert!(bin.is_file(), "{NEEDS}: SVODKA_COLDSWEAT={} is not a file", bin.display());
        // Its commands run in the test's directory.
        let bin = std::path::absolute(&bin).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut cs = Coldsweat { bin, dir, port: free_port(), child: None };
        cs.admin(&["setup", USER, "-p", PASSWORD, "-n", "Reader"]);
        let opml_path = cs.dir.path().join("subs.opml");
        std::fs::write(&opml_path, opml).unwrap();
        cs.admin(&["import", opml_path.to_str().unwrap(), USER]);
        cs.admin(&["fetch"]);
        cs.start();
        cs
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.bin);
        let db = self.dir.path().join("coldsweat.db");
        c.env("FLASK_DATABASE_URL", format!("sqlite:///{}", db.display()))
            .env("FLASK_SECRET_KEY", "svodka-test")
            .env_remove("FLASK_DEBUG")
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("https_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .current_dir(self.dir.path());
        c
    }

    fn admin(&self, args: &[&str]) {
        let out = self.command().args(args).output().unwrap_or_else(|e| panic!("{NEEDS}: cannot run coldsweat: {e}"));
        assert!(
            out.status.success(),
            "coldsweat {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("run.log")).unwrap();
        let child = self
            .command()
            .args(["run", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{NEEDS}: cannot start coldsweat: {e}"));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.path().join("run.log")).unwrap_or_default();
                panic!("coldsweat run did not start on port {}: {log}", self.port);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever/", self.port)
    }

    /// A Fever client of our own, to look at and change the server's side.
    fn client(&self) -> Fever {
        Fever::new(&self.url(), USER, PASSWORD)
    }

    /// Deletes an item the way the server's own cleanup would: the entry row
    /// and its read/saved marks go.
    fn delete_item(&self, id: i64) {
        let db = rusqlite::Connection::open(self.dir.path().join("coldsweat.db")).unwrap();
        db.execute_batch(&format!(
            "DELETE FROM read WHERE entry_id = {id}; DELETE FROM saved WHERE entry_id = {id};
             DELETE FROM entries WHERE id = {id};"
        ))
        .unwrap();
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn rss(base: &str, title: &str, items: &[(&str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>{base}/</link>"
    );
    for (i, (t, body)) in items.iter().enumerate() {
        let day = 10 + i;
        out.push_str(&format!(
            "<item><title>{t}</title><link>{base}/{title}/{i}</link><guid>{base}/{title}/{i}</guid>\
             <description><![CDATA[{body}]]></description><pubDate>Mon, {day} Nov 2026 10:00:00 +0000</pubDate></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// Two feeds in two groups, served locally, and a coldsweat subscribed.
fn world() -> (Server, Coldsweat) {
    let server = Server::start();
    let b = server.base.clone();
    let politics = rss(
        &b,
        "politics",
        &[
            ("Выборы в Думу", "<p>Итоги <b>голосования</b></p><script>alert(1)</script>"),
            ("Новый закон", "<p>Закон о связи принят</p>"),
            ("Отставка министра", "<p>Министр ушёл</p>"),
        ],
    );
    let sport = rss(&b, "sport", &[("Победа «Зенита»", "<p>Счёт 2:1</p>"), ("Лыжные гонки", "<p>Старт сезона</p>")]);
    let p = server.route("/politics.xml", Reply::ok(politics, "application/rss+xml; charset=utf-8"));
    let s = server.route("/sport.xml", Reply::ok(sport, "application/rss+xml; charset=utf-8"));
    let opml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><opml version="1.0"><head><title>s</title></head><body>
<outline text="Политика" title="Политика"><outline type="rss" text="Политика дня" title="Политика дня" xmlUrl="{p}" htmlUrl="{b}/"/></outline>
<outline text="Спорт" title="Спорт"><outline type="rss" text="Спорт сегодня" title="Спорт сегодня" xmlUrl="{s}" htmlUrl="{b}/"/></outline>
</body></opml>"#
    );
    let cs = Coldsweat::new(&opml);
    (server, cs)
}

/// An archive and a config pointing at `url` with a 0600 password file.
struct Local {
    dir: tempfile::TempDir,
}

impl Local {
    fn new(url: &str, password: &str) -> Local {
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("password");
        std::fs::write(&pw, format!("{password}\n")).unwrap();
        set_mode(&pw, 0o600);
        let cfg = format!("[sync]\nurl = \"{url}\"\nuser = \"{USER}\"\npassword_file = \"{}\"\n", pw.display());
        std::fs::write(dir.path().join("config.toml"), cfg).unwrap();
        Local { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("a.db")
    }

    fn svodka(&self) -> assert_cmd::Command {
        let mut c = common::svodka(&self.db());
        c.arg("--config").arg(self.dir.path().join("config.toml"));
        c
    }

    /// `svodka sync --json`, which must succeed; its report.
    fn sync(&self) -> serde_json::Value {
        let out = self.svodka().args(["sync", "--json"]).output().unwrap();
        assert!(out.status.success(), "sync failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// `svodka sync`, which must fail; its stderr.
    fn sync_fails(&self) -> String {
        let out = self.svodka().arg("sync").output().unwrap();
        assert!(!out.status.success(), "sync should fail: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn store(&self) -> Store {
        Store::open(&self.db()).unwrap()
    }

    /// The local article of a server item.
    fn article(&self, server_id: i64) -> svodka::model::Article {
        let store = self.store();
        let id = store.article_of_server_id(server_id).unwrap().expect("the item is here");
        store.article(id).unwrap()
    }

    fn mark(&self, server_id: i64, flag: &str) {
        let id = self.store().article_of_server_id(server_id).unwrap().unwrap();
        self.svodka().args(["mark", &id.to_string(), flag]).assert().success();
    }
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The server's item ids by title.
fn server_items(cs: &Coldsweat) -> Vec<(i64, String)> {
    let mut c = cs.client();
    let mut out: Vec<(i64, String)> = c.items_since(0).unwrap().into_iter().map(|i| (i.id, i.title)).collect();
    out.sort();
    out
}

fn id_of(items: &[(i64, String)], title: &str) -> i64 {
    items.iter().find(|(_, t)| t == title).unwrap_or_else(|| panic!("no item {title}: {items:?}")).0
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn first_sync_brings_feeds_groups_and_items_and_a_second_only_the_id_lists() {
    let (_feeds, cs) = world();
    let local = Local::new(&cs.url(), PASSWORD);
    let r = local.sync();
    assert_eq!(r["feeds_added"], 2, "{r}");
    assert_eq!(r["items_added"], 5, "{r}");
    let store = local.store();
    let feeds = store.feeds().unwrap();
    let politics = feeds.iter().find(|f| f.url.ends_with("/politics.xml")).expect("subscribed");
    assert_eq!(politics.tags, ["Политика"]);
    assert_eq!(politics.article_count, 3);
    let sport = feeds.iter().find(|f| f.url.ends_with("/sport.xml")).unwrap();
    assert_eq!(sport.tags, ["Спорт"]);
    let items = server_items(&cs);
    let a = local.article(id_of(&items, "Выборы в Думу"));
    assert_eq!(a.summary.title, "Выборы в Думу");
    let body: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(body, ["Итоги голосования"], "the HTML went through the blocks path, script gone");
    assert!(!a.summary.read && !a.summary.starred);
    let list = local.svodka().args(["list"]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("Победа «Зенита»") && list.contains("Лыжные гонки"), "{list}");

    // Nothing new: only the login, an empty items page and the two id lists.
    let again = local.sync();
    assert_eq!(again["items_added"], 0, "{again}");
    assert_eq!(again["feeds_added"], 0, "{again}");
    assert_eq!(again["requests"], 4, "{again}");
    assert_eq!(local.store().counts().unwrap().total, 5);
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn read_and_star_go_both_ways() {
    let (_feeds, cs) = world();
    let local = Local::new(&cs.url(), PASSWORD);
    local.sync();
    let items = server_items(&cs);
    let (law, win) = (id_of(&items, "Новый закон"), id_of(&items, "Победа «Зенита»"));
    // Server → here.
    let mut c = cs.client();
    c.mark(law, svodka::sync::Flag::Read, true).unwrap();
    c.mark(win, svodka::sync::Flag::Starred, true).unwrap();
    let r = local.sync();
    assert_eq!((r["marked_read"].as_i64(), r["starred"].as_i64()), (Some(1), Some(1)), "{r}");
    assert!(local.article(law).summary.read);
    assert!(local.article(win).summary.starred);
    // Here → server.
    local.mark(law, "--unread");
    local.mark(win, "--unstar");
    let minister = id_of(&items, "Отставка министра");
    local.mark(minister, "--read");
    local.mark(minister, "--star");
    let r = local.sync();
    assert_eq!(r["pushed"], 4, "{r}");
    let unread = c.unread_ids().unwrap();
    let saved = c.saved_ids().unwrap();
    assert!(unread.contains(&law) && !unread.contains(&minister), "{unread:?}");
    assert_eq!(saved, [minister]);
    // The server agreeing now, nothing flips back.
    assert!(!local.article(law).summary.read);
    assert!(local.article(minister).summary.starred);
    assert_eq!(local.store().sync_counts().unwrap().1, 0, "the queue is drained");
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn an_offline_mark_is_queued_kept_while_the_server_is_down_then_sent() {
    let (_feeds, mut cs) = world();
    let local = Local::new(&cs.url(), PASSWORD);
    local.sync();
    let items = server_items(&cs);
    let ski = id_of(&items, "Лыжные гонки");
    cs.stop();
    local.mark(ski, "--read");
    local.mark(ski, "--star");
    let err = local.sync_fails();
    assert!(err.contains(&cs.url()) && err.contains("unreachable"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    // Nothing lost: the marks stand here and wait in the queue.
    let a = local.article(ski);
    assert!(a.summary.read && a.summary.starred);
    assert_eq!(local.store().sync_counts().unwrap(), (5, 2));
    assert_eq!(local.store().counts().unwrap().total, 5);
    cs.start();
    let r = local.sync();
    assert_eq!(r["pushed"], 2, "{r}");
    let mut c = cs.client();
    assert!(!c.unread_ids().unwrap().contains(&ski));
    assert_eq!(c.saved_ids().unwrap(), [ski]);
    assert!(local.article(ski).summary.read, "the server's lists agree now");
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn wrong_credentials_are_a_clear_error_that_shows_no_secret() {
    let (_feeds, cs) = world();
    let local = Local::new(&cs.url(), "not-the-password");
    let err = local.sync_fails();
    assert!(err.contains("refused the credentials") && err.contains(&cs.url()), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    assert!(!err.contains(&svodka::sync::fever::api_key(USER, "not-the-password")), "{err}");
    assert_eq!(local.store().counts().unwrap().total, 0);
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn a_feed_fetched_here_before_is_taken_over_without_copies_or_lost_marks() {
    let (feeds, cs) = world();
    let local = Local::new(&cs.url(), PASSWORD);
    let url = format!("{}/politics.xml", feeds.base);
    local.svodka().args(["add", &url]).assert().success();
    local.svodka().args(["fetch"]).assert().success();
    let store = local.store();
    let rows = store.list(&svodka::store::ListQuery { limit: 10, ..Default::default() }).unwrap();
    let law = rows.iter().find(|r| r.title == "Новый закон").unwrap().id;
    local.svodka().args(["mark", &law.to_string(), "--read"]).assert().success();
    let r = local.sync();
    assert_eq!((r["items_added"].as_i64(), r["items_merged"].as_i64()), (Some(2), Some(3)), "{r}");
    assert_eq!(r["pushed"], 1, "the read mark made here reached the server: {r}");
    assert_eq!(local.store().counts().unwrap().total, 5, "no second copies");
    assert!(local.store().article(law).unwrap().summary.read);
    let server_law = id_of(&server_items(&cs), "Новый закон");
    assert_eq!(local.store().server_id_of(law).unwrap(), Some(server_law));
    assert!(!cs.client().unread_ids().unwrap().contains(&server_law));
}

#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn an_item_deleted_on_the_server_stays_here_unlinked() {
    let (_feeds, cs) = world();
    let local = Local::new(&cs.url(), PASSWORD);
    local.sync();
    let items = server_items(&cs);
    let (duma, law) = (id_of(&items, "Выборы в Думу"), id_of(&items, "Новый закон"));
    let (duma_local, law_local) = (local.article(duma).summary.id, local.article(law).summary.id);
    // One deleted while unread here (its id leaves the unread list), one
    // marked here before the server deleted it (the mark meets a 404).
    local.mark(law, "--star");
    cs.delete_item(duma);
    cs.delete_item(law);
    let r = local.sync();
    assert_eq!(r["deleted_on_server"], 2, "{r}");
    let store = local.store();
    for id in [duma_local, law_local] {
        assert_eq!(store.server_id_of(id).unwrap(), None, "unlinked");
    }
    assert_eq!(store.article(duma_local).unwrap().summary.title, "Выборы в Думу", "kept");
    assert!(!store.article(duma_local).unwrap().summary.read, "flags kept");
    assert!(store.article(law_local).unwrap().summary.starred, "the local mark is kept");
    assert_eq!(store.sync_counts().unwrap(), (3, 0));
    let again = local.sync();
    assert_eq!(again["deleted_on_server"], 0, "{again}");
}

/// The figures for BENCHMARKS.md: a first and a second sync of 10 000
/// items (10 feeds of 1 000) against coldsweat. Not run by .ci/run (it
/// skips `bench_`); run it with
/// `SVODKA_COLDSWEAT=target/coldsweat-venv/bin/coldsweat cargo test --test sync -- --ignored bench_ --nocapture`.
#[test]
#[ignore = "needs coldsweat: run .ci/run or set SVODKA_COLDSWEAT"]
fn bench_first_and_second_sync_of_10000_items() {
    let server = Server::start();
    let b = server.base.clone();
    let mut outlines = String::new();
    let bodies: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                "<p>Сообщение номер {i}: {}</p><p>Подробности <a href=\"/x/{i}\">здесь</a>.</p>",
                "текст новости ".repeat(12)
            )
        })
        .collect();
    for f in 0..10 {
        let name = format!("lenta{f}");
        let titles: Vec<String> = (0..1000).map(|i| format!("Новость {i} ленты {f}")).collect();
        let items: Vec<(&str, &str)> = titles.iter().zip(&bodies).map(|(t, b)| (t.as_str(), b.as_str())).collect();
        let url = server.route(&format!("/{name}.xml"), Reply::ok(rss(&b, &name, &items), "application/rss+xml"));
        outlines.push_str(&format!(r#"<outline type="rss" text="Лента {f}" xmlUrl="{url}"/>"#));
    }
    let opml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><opml version="1.0"><head><title>s</title></head><body><outline text="Все">{outlines}</outline></body></opml>"#
    );
    let t = Instant::now();
    let cs = Coldsweat::new(&opml);
    println!("coldsweat setup + import + fetch of 10 000 items: {:.1} s", t.elapsed().as_secs_f64());
    let local = Local::new(&cs.url(), PASSWORD);
    for run in ["first", "second"] {
        let t = Instant::now();
        let r = local.sync();
        println!(
            "{run} sync: {:.2} s wall ({} s in sync), {} requests, {} response bytes, {} items added",
            t.elapsed().as_secs_f64(),
            r["seconds"],
            r["requests"],
            r["bytes"],
            r["items_added"]
        );
    }
    // The server's share: the same 200 pages and two lists, nothing stored.
    let t = Instant::now();
    let (mut c, mut since, mut n) = (cs.client(), 0, 0);
    while let Some(last) = c.items_since(since).unwrap().iter().map(|i| i.id).max() {
        (since, n) = (last, n + 1);
    }
    c.unread_ids().unwrap();
    c.saved_ids().unwrap();
    println!("the same {n} pages and the id lists, nothing stored: {:.2} s", t.elapsed().as_secs_f64());
    assert_eq!(local.store().counts().unwrap().total, 10_000);
}

#[test]
fn a_password_file_others_can_read_is_refused_naming_it() {
    let local = Local::new("http://127.0.0.1:9/fever/", PASSWORD);
    let pw = local.dir.path().join("password");
    set_mode(&pw, 0o644);
    let err = local.sync_fails();
    assert!(err.contains(&pw.display().to_string()) && err.contains("0644") && err.contains("chmod 600"), "{err}");
    assert!(!err.contains(PASSWORD), "{err}");
}

#[test]
fn a_server_that_is_down_is_one_clear_line_and_no_sync_section_too() {
    let port = free_port();
    let local = Local::new(&format!("http://127.0.0.1:{port}/fever/"), PASSWORD);
    let err = local.sync_fails();
    assert!(err.contains(&format!("127.0.0.1:{port}")) && err.contains("unreachable"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let out = common::svodka(&dir.path().join("a.db")).arg("sync").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("[sync]"), "{err}");
}

#[test]
fn a_password_in_config_toml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[sync]\nurl = \"http://x/fever/\"\nuser = \"u\"\npassword = \"p\"\n").unwrap();
    let out = common::svodka(&dir.path().join("a.db")).arg("--config").arg(&cfg).arg("sync").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("password"), "{err}");
}
