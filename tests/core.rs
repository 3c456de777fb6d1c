//! The core: page-dump parsing, the archive, and the CLI end to end.
//!
//! Organised by intent: what a seed page yields, what damaged pages still
//! yield, what is refused, what the archive guarantees, what scripts see.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;
use svodka::ingest::dump::parse_dump;
use svodka::model::{NewArticle, Stamp};
use svodka::store::{ListQuery, Store, StoreError};
use time::macros::date;

mod common;
use common::svodka;

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

fn seed() -> NewArticle {
    parse_dump(SEED).expect("seed parses")
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("valid JSON")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

// ---------------------------------------------------------------- the seed

#[test]
fn seed_title_and_site() {
    let a = seed();
    assert_eq!(
        a.title,
        "МЕСТНЫЕ ВЛАСТИ В РК ПРИЗНАЛИ СУЩЕСТВОВАНИЕ ПРОБЛЕМЫ НЕЗАКОННОГО ТРАФИКА ЖЕНЩИН ЗА РУБЕЖ – КРИЗИСНЫЙ ЦЕНТР ДЛЯ ЖЕНЩИН И ДЕТЕЙ"
    );
    assert_eq!(a.site.as_deref(), Some("Караван"));
    assert_eq!(a.url, None);
}

#[test]
fn seed_meta() {
    let a = seed();
    assert_eq!(a.published, Some(Stamp::Date(date!(2001 - 08 - 14))));
    assert_eq!(a.captured, Some(Stamp::Date(date!(2026 - 03 - 14))));
    assert_eq!(a.views, Some(954));
    assert_eq!(a.photo_credit.as_deref(), Some("Caravan.kz"));
    assert_eq!(a.author, None);
}

#[test]
fn seed_body_is_exact_and_chrome_free() {
    let a = seed();
    let paras: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(paras.len(), 7);
    assert!(paras[0].starts_with("Местные власти в Казахстане признали проблему существования незаконного трафика"));
    assert!(paras[0].ends_with("на пресс-конференции 14 августа в Алматы."));
    assert_eq!(
        paras[6],
        "По информации Г. Тлегеновой, с 1991 года жертвами трафика в РК, по неофициальным данным, стали около 70 тыс. \
         женщин. При этом учитывались только женщины, уже вернувшиеся на родину. Сколько женщин находятся за границей \
         в настоящее время — неизвестно."
    );
    // Every body paragraph is a line of the dump, verbatim and in order.
    let dump_lines: Vec<&str> = SEED.lines().collect();
    let mut last = 0;
    for p in &paras {
        let at = dump_lines.iter().position(|l| l == p).expect("paragraph is a dump line");
        assert!(at > last, "paragraphs keep their order");
        last = at;
    }
    for chrome in ["491.29", "562.92", "°C", "2026 Год", "14 Марта", "954", "Фото", "В тренде", "Алматы\n"]
    {
        assert!(paras.iter().all(|p| !p.contains(chrome) || chrome == "Алматы\n"), "chrome {chrome:?} in body");
    }
    assert!(paras.iter().all(|p| *p != "Алматы" && *p != "A" && !p.starts_with('•')));
    assert!(paras.iter().all(|p| !p.starts_with("МЕСТНЫЕ ВЛАСТИ")), "the repeated title is not body");
}

#[test]
fn seed_trending_pairs() {
    let a = seed();
    assert_eq!(a.trending.len(), 18);
    assert_eq!(a.trending[0].topic, "Олимпийские Игры 2026");
    assert_eq!(a.trending[1].topic, "Пенсия 2026");
    assert_eq!(a.trending[1].headline, "Где и как казахстанцы смогут посмотреть свои пенсионные отчисления");
    let last = a.trending.last().expect("18 pairs");
    assert_eq!(last.topic, "Медицина");
    assert_eq!(last.headline, "В Костанайской области прокуратура выявила долги по пенсионным взносам");
    assert!(a.trending.iter().all(|t| !t.topic.is_empty() && t.headline.chars().count() > t.topic.chars().count()));
}

// ------------------------------------------------------- degraded dumps

fn without(pred: impl Fn(&str) -> bool) -> String {
    SEED.lines().filter(|l| !pred(l)).collect::<Vec<_>>().join("\n")
}

#[test]
fn dump_without_date_views_credit() {
    let a =
        parse_dump(&without(|l| l.contains("Августа 2001") || l.trim() == "• 954" || l.starts_with("Фото"))).unwrap();
    assert_eq!(a.published, None);
    assert_eq!(a.views, None);
    assert_eq!(a.photo_credit, None);
    assert_eq!(a.blocks.len(), 7);
    assert_eq!(a.trending.len(), 18);
}

#[test]
fn dump_without_trending_block() {
    let cut = SEED.find("В тренде:").unwrap();
    let a = parse_dump(&SEED[..cut]).unwrap();
    assert!(a.trending.is_empty());
    assert_eq!(a.blocks.len(), 7);
    assert_eq!(a.views, Some(954));
}

#[test]
fn dump_from_another_site_and_without_site() {
    let other = SEED.replacen(" - Караван\n", " - Tengrinews\n", 1);
    assert_eq!(parse_dump(&other).unwrap().site.as_deref(), Some("Tengrinews"));
    let none = SEED.replacen(" - Караван\n", "\n", 1);
    let a = parse_dump(&none).unwrap();
    assert_eq!(a.site, None);
    assert!(a.title.ends_with("ДЛЯ ЖЕНЩИН И ДЕТЕЙ"));
    assert_eq!(a.blocks.len(), 7, "the repeated title is still recognised");
}

#[test]
fn dump_with_crlf_bom_and_windows_1251() {
    let crlf = SEED.replace('\n', "\r\n");
    let bom = format!("\u{FEFF}{SEED}");
    let (cp1251, _, unmappable) = encoding_rs::WINDOWS_1251.encode(SEED);
    assert!(!unmappable);
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in
        [("crlf.txt", crlf.into_bytes()), ("bom.txt", bom.into_bytes()), ("cp1251.txt", cp1251.into_owned())]
    {
        let src = svodka::ingest::Source { name: name.into(), bytes: bytes.into() };
        let a = svodka::ingest::parse_source(&src).unwrap();
        assert_eq!(a, seed(), "{name} parses like the seed");
    }
    // and through the CLI: all three are the same page, so one article.
    let db = dir.path().join("a.db");
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    write(&d, "crlf.txt", SEED.replace('\n', "\r\n"));
    write(&d, "cp1251.txt", encoding_rs::WINDOWS_1251.encode(SEED).0);
    svodka(&db).arg("import").arg(&d).assert().success().stdout("added 1, updated 1, refused 0\n");
}

#[test]
fn dump_with_relative_date_and_time() {
    let text = SEED.replace("• 14 Августа 2001", "• Вчера, 18:40");
    let a = parse_dump(&text).unwrap();
    assert_eq!(a.published.map(|p| p.to_iso()).as_deref(), Some("2026-03-13T18:40:00+05:00"));
    let text = SEED.replace("• 14 Августа 2001", "• 2 мая 2024 14:05");
    assert_eq!(parse_dump(&text).unwrap().published.map(|p| p.to_iso()).as_deref(), Some("2024-05-02T14:05:00+05:00"));
}

#[test]
fn minimal_dump_imports_with_what_it_has() {
    let a = parse_dump("Короткая заметка\n\nВ Алматы прошёл снег, и это было красиво.\n").unwrap();
    assert_eq!(a.title, "Короткая заметка");
    assert_eq!(a.blocks.len(), 1);
    assert_eq!((a.site, a.published, a.views, a.captured), (None, None, None, None));
}

// -------------------------------------------------------------- refusals

#[test]
fn bad_files_are_refused_and_the_rest_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    write(&d, "a-empty.txt", "");
    write(&d, "b-binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00>\x00");
    write(&d, "c-page.txt", SEED);
    write(&d, "d-markup.txt", "<html><body>hi</body></html>");
    write(&d, "notes.md", "# not imported: not a dump extension\n");
    let out = svodka(&db).arg("import").arg(&d).assert().failure().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 1, updated 0, refused 3\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a-empty.txt: empty file"), "{err}");
    assert!(err.contains("b-binary.txt: binary data, not text"), "{err}");
    assert!(err.contains("d-markup.txt: not a page dump"), "{err}");
    let list = json(&svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn missing_path_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    svodka(&dir.path().join("a.db"))
        .args(["import", "/nonexistent/page.txt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/nonexistent/page.txt"));
}

// ----------------------------------------------------------- the archive

#[test]
fn reimport_updates_in_place_and_keeps_flags() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let p = write(dir.path(), "seed.txt", SEED);
    svodka(&db).arg("import").arg(&p).assert().success().stdout("added 1, updated 0, refused 0\n");
    svodka(&db).args(["mark", "1", "--read", "--star"]).assert().success();
    write(dir.path(), "seed.txt", SEED.replace("• 954", "• 1200"));
    svodka(&db).arg("import").arg(&p).assert().success().stdout("added 0, updated 1, refused 0\n");
    let list = json(&svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["views"], 1200);
    assert_eq!(rows[0]["read"], true);
    assert_eq!(rows[0]["starred"], true);
    let show = json(&svodka(&db).args(["show", "1", "--json"]).assert().success().get_output().stdout);
    assert_eq!(show["trending"].as_array().unwrap().len(), 18, "trending replaced, not doubled");
    assert_eq!(show["paragraphs"].as_array().unwrap().len(), 7);
}

#[test]
fn migrates_an_empty_file_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let db = write(dir.path(), "empty.db", "");
    let store = Store::open(&db).unwrap();
    let v = store.schema_version().unwrap();
    assert_eq!(v, svodka::store::schema::MIGRATIONS.len() as i64);
    let mode = store.pragma("journal_mode").unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.pragma("foreign_keys").unwrap(), "1");
    drop(store);
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), v);
    store.upsert_articles(&[seed()], time::OffsetDateTime::now_utc()).unwrap();
    drop(store);
    assert_eq!(Store::open(&db).unwrap().counts().unwrap().total, 1);
}

#[test]
fn newer_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    drop(Store::open(&db).unwrap());
    let c = rusqlite::Connection::open(&db).unwrap();
    c.pragma_update(None, "user_version", 999).unwrap();
    drop(c);
    assert!(matches!(Store::open(&db), Err(StoreError::TooNew { found: 999, .. })));
}

#[test]
fn non_sqlite_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = write(dir.path(), "notes.txt", "my precious notes, not a database\n");
    let before = std::fs::read(&db).unwrap();
    let out = svodka(&db).args(["list"]).assert().failure().get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("notes.txt") && err.contains("not an svodka archive"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.path().join("notes.txt-wal").exists());
}

#[test]
fn corrupt_database_is_reported_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    svodka(&db).arg("import").arg(write(dir.path(), "s.txt", SEED)).assert().success();
    // Checkpoint the WAL into the main file, then damage the schema page.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[100..600] {
        *b = 0xAB;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = svodka(&db).args(["list"]).assert().failure().get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.db"), "{err}");
    assert!(err.contains("corrupt") || err.contains("not an svodka archive"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "never overwritten");
}

#[test]
fn failure_mid_import_leaves_archive_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    svodka(&db).arg("import").arg(write(dir.path(), "s.txt", SEED)).assert().success();
    for i in 0..20 {
        let page = SEED.replacen(" - Караван", &format!(" НОМЕР {i} - Караван"), 1);
        write(&d, &format!("p{i:02}.txt"), page);
    }
    let snapshot = |db: &Path| -> Vec<(i64, String, i64)> {
        let c = rusqlite::Connection::open(db).unwrap();
        let mut s = c
            .prepare(
                "SELECT a.id, a.title, coalesce((SELECT length(b.data) FROM bodies b WHERE b.article_id = a.id), 0)
                 FROM articles a ORDER BY id",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let before = snapshot(&db);
    // Inject a failure in the middle of the batch: the 11th article's body.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON bodies
             WHEN (SELECT title FROM articles WHERE id = NEW.article_id) LIKE '%НОМЕР 10'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    }
    svodka(&db).arg("import").arg(&d).assert().failure().stderr(predicate::str::contains("injected failure"));
    assert_eq!(snapshot(&db), before, "nothing of the failed import is visible");
}

/// Articles visible to another reader right now (0 while the archive is
/// still being created).
fn committed(db: &Path) -> usize {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(c) = rusqlite::Connection::open_with_flags(db, flags) else { return 0 };
    c.query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0)).map_or(0, |n| n as usize)
}

#[test]
fn killed_import_leaves_only_whole_articles() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    // Article i has i % 9 + 1 paragraphs, which the check below recomputes.
    // Enough files for many batches, so the kill lands mid-import.
    let total = 4000;
    for i in 0..total {
        let n = i % 9 + 1;
        let body: Vec<String> = (0..n).map(|k| format!("Абзац {k} статьи {i}: в Алматы прошёл снег.")).collect();
        write(&d, &format!("p{i:05}.txt"), format!("Статья {i} - Караван\n\n{}\n", body.join("\n")));
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("svodka"))
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as the first batch is committed: the import is then
    // certainly under way and far from done.
    let started = std::time::Instant::now();
    while committed(&db) == 0 {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before its first batch was seen");
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "no batch committed in 20 s");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the import was still running when killed: {status:?}");

    let store = Store::open(&db).unwrap();
    let rows = store.list(&ListQuery { limit: usize::MAX, ..Default::default() }).unwrap();
    eprintln!("killed after {:?}: {} of {total} articles present", started.elapsed(), rows.len());
    assert!(!rows.is_empty() && rows.len() < total, "interrupted mid-import: {} of {total}", rows.len());
    for r in rows {
        let i: usize = r.title.trim_start_matches("Статья ").parse().unwrap();
        let a = store.article(r.id).unwrap();
        assert_eq!(a.blocks.len(), i % 9 + 1, "article {i} is whole");
    }
}

#[test]
fn a_second_process_waits_then_reports_busy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    svodka(&db).arg("import").arg(write(dir.path(), "s.txt", SEED)).assert().success();
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE; UPDATE articles SET views = 1;").unwrap();
    let out = svodka(&db)
        .env("SVODKA_BUSY_TIMEOUT_MS", "200")
        .args(["mark", "1", "--star"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("busy"), "{err}");
    // Released within the timeout: the second process simply waits.
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        holder.execute_batch("COMMIT").unwrap();
    });
    svodka(&db).env("SVODKA_BUSY_TIMEOUT_MS", "5000").args(["mark", "1", "--star"]).assert().success();
    release.join().unwrap();
    let show = json(&svodka(&db).args(["show", "1", "--json"]).assert().success().get_output().stdout);
    assert_eq!((show["starred"].as_bool(), show["views"].as_i64()), (Some(true), Some(1)));
}

#[test]
fn keyset_pages_cover_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let mut batch = Vec::new();
    for i in 0..95 {
        let mut a = seed();
        a.title = format!("Статья {i}");
        // Many share a date so the id tie-break matters.
        a.published = Some(Stamp::Date(date!(2024 - 01 - 01).saturating_add(time::Duration::days(i / 10))));
        batch.push(a);
    }
    store.upsert_articles(&batch, time::OffsetDateTime::now_utc()).unwrap();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.list(&ListQuery { limit: 10, after, ..Default::default() }).unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| (r.sort_key, r.id));
        seen.extend(page);
    }
    assert_eq!(seen.len(), 95);
    assert!(seen.windows(2).all(|w| (w[0].sort_key, w[0].id) > (w[1].sort_key, w[1].id)), "strictly newest first");
    let filtered =
        store.list(&ListQuery { limit: 100, title_contains: Some("СТАТЬЯ 9".into()), ..Default::default() });
    assert_eq!(filtered.unwrap().len(), 6, "9 and 90..94, case-insensitive in Cyrillic");
}

// ------------------------------------------------------------------ CLI

#[test]
fn cli_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let p = write(dir.path(), "seed.txt", SEED);
    let later = SEED.replace("14 Августа 2001", "2 мая 2024 14:05").replacen(" - Караван", " (2) - Караван", 1);
    let p2 = write(dir.path(), "later.txt", later);
    svodka(&db).arg("import").arg(&p).arg(&p2).assert().success().stdout("added 2, updated 0, refused 0\n");

    let list = json(&svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "title", "site", "url", "published", "views", "read", "starred"]);
    assert_eq!(rows[0]["published"], "2024-05-02T14:05:00+05:00", "newest first");
    assert_eq!(rows[1]["published"], "2001-08-14");
    assert_eq!(rows[1]["url"], Value::Null);
    assert_eq!(rows[1]["site"], "Караван");

    let limited = json(&svodka(&db).args(["list", "--json", "--limit", "1"]).assert().success().get_output().stdout);
    assert_eq!(limited.as_array().unwrap().len(), 1);
    let other = json(&svodka(&db).args(["list", "--json", "--site", "Другой"]).assert().success().get_output().stdout);
    assert_eq!(other.as_array().unwrap().len(), 0);

    let id = rows[1]["id"].as_i64().unwrap().to_string();
    let show = json(&svodka(&db).args(["show", &id, "--json"]).assert().success().get_output().stdout);
    for k in ["captured", "photo_credit", "author", "paragraphs", "trending"] {
        assert!(show.get(k).is_some(), "show has {k}");
    }
    assert_eq!(show["captured"], "2026-03-14");
    assert_eq!(show["photo_credit"], "Caravan.kz");
    assert_eq!(show["author"], Value::Null);
    assert_eq!(show["paragraphs"].as_array().unwrap().len(), 7);
    assert_eq!(
        show["trending"][1],
        serde_json::json!({"topic": "Пенсия 2026", "headline": "Где и как казахстанцы смогут посмотреть свои пенсионные отчисления"})
    );

    svodka(&db).args(["mark", &id, "--read"]).assert().success();
    let unread = json(&svodka(&db).args(["list", "--json", "--unread"]).assert().success().get_output().stdout);
    assert_eq!(unread.as_array().unwrap().len(), 1);
    assert_ne!(unread[0]["id"].to_string(), id);
    svodka(&db).args(["mark", &id, "--unread"]).assert().success();
    let unread = json(&svodka(&db).args(["list", "--json", "--unread"]).assert().success().get_output().stdout);
    assert_eq!(unread.as_array().unwrap().len(), 2);

    let trending = json(&svodka(&db).args(["trending", "--json"]).assert().success().get_output().stdout);
    // Site topics (computed ones are tested in tests/search.rs).
    let t: Vec<&Value> = trending.as_array().unwrap().iter().filter(|e| e["source"] == "site").collect();
    assert_eq!(t.len(), 18, "two pages, one capture date: one set of pairs");
    let keys: Vec<&str> = t[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["topic", "headline", "site", "captured", "article_id", "source"]);
    assert_eq!(t[0]["topic"], "Олимпийские Игры 2026");
    assert_eq!(t[0]["captured"], "2026-03-14");
    assert_eq!(t[0]["article_id"], Value::Null);

    // A trending headline that is archived links to its article, case-insensitively.
    let headline_page =
        format!("ГДЕ И КАК КАЗАХСТАНЦЫ СМОГУТ ПОСМОТРЕТЬ СВОИ ПЕНСИОННЫЕ ОТЧИСЛЕНИЯ - Караван\n\n{}\n", "Текст.");
    svodka(&db).arg("import").arg(write(dir.path(), "h.txt", headline_page)).assert().success();
    let trending = json(&svodka(&db).args(["trending", "--json"]).assert().success().get_output().stdout);
    let pension = trending.as_array().unwrap().iter().find(|e| e["topic"] == "Пенсия 2026").unwrap();
    assert_eq!(pension["article_id"], 3);

    // Human output is aligned by display width.
    let human = String::from_utf8(svodka(&db).arg("list").assert().success().get_output().stdout.clone()).unwrap();
    let starts: Vec<usize> = human
        .lines()
        .map(|l| {
            let site_at = l.find("Караван").unwrap();
            svodka::text::width::display_width(&l[..site_at])
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{human}");
}

#[test]
fn cli_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    for args in [&["show", "42"][..], &["mark", "42", "--read"], &["render", "42", "--width", "40"]] {
        let out = svodka(&db).args(args).assert().failure().get_output().clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("svodka: ") && err.contains("42"), "{err}");
    }
    svodka(&db).args(["mark", "1"]).assert().failure();
    svodka(&db).args(["mark", "1", "--read", "--unread"]).assert().failure();
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let cli = <svodka::cli::Cli as clap::CommandFactory>::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    assert!(names.contains(&"get") && names.len() >= 14, "{names:?}");
    for cmd in names {
        svodka(&db).args([cmd, "--help"]).assert().success().stdout(predicate::str::contains("Usage: svodka"));
    }
    assert!(!db.exists(), "--help touches no archive");
}

#[test]
fn cli_definition_is_consistent() {
    <svodka::cli::Cli as clap::CommandFactory>::command().debug_assert();
}

#[test]
fn first_run_imports_the_bundled_archive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    svodka(&db).assert().success(); // stdout is a pipe: the reader prints the list
    let list = json(&svodka(&db).args(["list", "--json"]).assert().success().get_output().stdout);
    let titles: Vec<&str> = list.as_array().unwrap().iter().filter_map(|r| r["title"].as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("МЕСТНЫЕ ВЛАСТИ В РК")), "{titles:?}");
}

// ------------------------------------------------------------- robustness

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// No content makes the importer panic: arbitrary bytes either parse or
    /// are refused with a reason.
    #[test]
    fn any_bytes_parse_or_are_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
        let src = svodka::ingest::Source { name: "x.txt".into(), bytes: bytes.into() };
        if let Err(e) = svodka::ingest::parse_source(&src) {
            proptest::prop_assert!(e.to_string().starts_with("x.txt: "));
        }
    }

    /// Mangled seed pages (lines dropped, duplicated, shuffled locally) never
    /// panic; the body is made of whole input lines, never the title.
    #[test]
    fn mangled_seed_never_panics(ops in proptest::collection::vec((0usize..102, 0u8..3), 0..40)) {
        let mut lines: Vec<String> = SEED.lines().map(String::from).collect();
        for (i, op) in ops {
            if lines.is_empty() { break; }
            let i = i % lines.len();
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                _ => { let j = (i + 1).min(lines.len() - 1); lines.swap(i, j); }
            }
        }
        if let Ok(a) = parse_dump(&lines.join("\n")) {
            for b in &a.blocks {
                proptest::prop_assert!(!b.text.is_empty() && lines.iter().any(|l| l.trim() == b.text));
                proptest::prop_assert!(svodka::store::fold_key(&b.text) != svodka::store::fold_key(&a.title));
            }
        }
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let evil = "Заголовок \u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{202e}перевёрнуто - Сайт\u{1b}[31m\n\n\
                Текст \u{1b}[1;31mкрасный\u{9b}2J абзаца.\n";
    // A page of ordinary prose around the hostile bits, as a real dump would have.
    let evil = format!("{evil}{}", "Обычный абзац новости о погоде в Алматы и Астане.\n".repeat(20));
    svodka(&db).arg("import").arg(write(dir.path(), "evil.txt", evil)).assert().success();
    for args in [&["list"][..], &["show", "1"], &["render", "1", "--width", "30"], &["search", "текст"]] {
        let out = svodka(&db).args(args).assert().success().get_output().stdout.clone();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("Заголовок") || args[0] == "search", "{args:?}: {text}");
    }
}

#[test]
fn an_undated_article_keeps_its_place_when_updated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let undated =
        NewArticle { title: "Без даты".into(), url: Some("https://x.kz/1".into()), ..NewArticle::default() };
    let t0 = time::macros::datetime!(2026-03-14 10:00 UTC);
    store.upsert_articles(std::slice::from_ref(&undated), t0).unwrap();
    let key = |s: &Store| s.list(&ListQuery { limit: 1, ..Default::default() }).unwrap()[0].sort_key;
    let seen = t0.unix_timestamp() - svodka::store::UNDATED_SHIFT;
    assert_eq!(key(&store), seen, "ordered by when it was added, after every dated article");
    store.upsert_articles(std::slice::from_ref(&undated), t0 + time::Duration::days(3)).unwrap();
    assert_eq!(key(&store), seen, "a re-fetch does not move it to the top");
    // A dated article, however old, lists above it: the «Без даты» group is last.
    let old = NewArticle {
        title: "Старая".into(),
        published: Some(svodka::model::Stamp::Date(time::macros::date!(1990 - 01 - 01))),
        ..NewArticle::default()
    };
    store.upsert_articles(&[old], t0).unwrap();
    let rows = store.list(&ListQuery { limit: 10, ..Default::default() }).unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Старая", "Без даты"]);
    // `after:` still sees the undated article at the time it was first seen.
    assert_eq!(svodka::search::search(&store, "after:2026-03-01", 10).unwrap().len(), 1);
    // Both bounds, dated and undated, filter-only and ranked.
    let found = |q: &str| -> Vec<String> {
        svodka::search::search(&store, q, 10).unwrap().into_iter().map(|h| h.title).collect()
    };
    assert_eq!(found("before:2026-03-01"), ["Старая"]);
    assert_eq!(found("after:1990-01-01 before:2026-03-15").len(), 2);
    assert!(found("before:1990-01-01").is_empty() && found("after:2026-03-15").is_empty());
    assert_eq!(found("даты after:2026-03-14"), ["Без даты"]);
    assert!(found("даты before:2026-03-14").is_empty());
    assert_eq!(found("старая before:2026-03-14"), ["Старая"]);
    assert!(found("старая after:1990-01-02").is_empty());
}

#[test]
fn reading_commands_on_an_empty_archive_say_how_to_fill_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    for args in [&["list"][..], &["feeds"], &["trending"], &["search", "газ"]] {
        svodka(&db)
            .env("LC_ALL", "ru_RU.UTF-8")
            .args(args)
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::str::contains("архив пуст").and(predicate::str::contains("svodka add URL")));
    }
    // English interface, and silence once there is something to list.
    svodka(&db).env("LC_ALL", "C").arg("list").assert().success().stderr(predicate::str::contains("`svodka` opens"));
    svodka(&db).arg("import").arg("tests/fixtures/seed/caravan-trafficking-2001.txt").assert().success();
    svodka(&db).arg("list").assert().success().stderr("");
}

#[test]
fn list_site_matches_case_insensitively_like_search_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    svodka(&db).arg("import").arg("tests/fixtures/seed/caravan-trafficking-2001.txt").assert().success();
    for site in ["Караван", "караван", "КАРА"] {
        let out = svodka(&db).args(["list", "--site", site]).assert().success().get_output().stdout.clone();
        assert!(String::from_utf8(out).unwrap().contains("МЕСТНЫЕ ВЛАСТИ"), "{site}");
    }
    svodka(&db).args(["list", "--site", "нет"]).assert().success().stdout("");
}

#[test]
fn a_db_in_a_missing_directory_is_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo/dir/a.db");
    svodka(&db).arg("list").assert().failure().stderr(predicate::str::contains("does not exist"));
    assert!(!dir.path().join("typo").exists(), "no directory made");
}

#[test]
fn migration_moves_old_undated_rows_after_the_dated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let migrations = svodka::store::schema::MIGRATIONS;
    // The archive as it was before migration 7 (undated rows last).
    const BEFORE_UNDATED: usize = 6;
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        for m in &migrations[..BEFORE_UNDATED] {
            c.execute_batch(m).unwrap();
        }
        // Undated, first seen in 2026 (it listed on top); dated 2001.
        c.execute_batch(
            "INSERT INTO articles(id, identity, title, title_key, added, sort_key, published)
             VALUES(1, 'a', 'Без даты', 'без даты', '2026-01-01T00:00:00Z', 1767225600, NULL),
                   (2, 'b', 'Старая', 'старая', '2026-01-01T00:00:00Z', 997747200, '2001-08-14');",
        )
        .unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {BEFORE_UNDATED};")).unwrap();
    }
    let store = Store::open(&db).unwrap();
    let rows = store.list(&ListQuery { limit: 10, ..Default::default() }).unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [2, 1]);
    assert_eq!(rows[1].sort_key, 1767225600 - svodka::store::UNDATED_SHIFT);
    drop(store);
    // Opening again changes nothing more.
    let rows = Store::open(&db).unwrap().list(&ListQuery { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(rows[1].sort_key, 1767225600 - svodka::store::UNDATED_SHIFT);
}
