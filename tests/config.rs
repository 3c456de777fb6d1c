//! config.toml at the command line: one reading at the edge, so a bad file is
//! the same one-line error for every command, and `render`/`show` print in
//! the reader's settings.

use std::path::{Path, PathBuf};

use svodka::text::width::display_width;

mod common;
use common::svodka;

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

/// An archive holding the seed page (id 1, published 14 August 2001).
fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("a.db");
    let page = write(dir, "seed.txt", SEED);
    svodka(&db).arg("import").arg(page).assert().success();
    db
}

/// stdout of a successful run with `config`.
fn stdout(db: &Path, config: &Path, args: &[&str]) -> String {
    let out = svodka(db).arg("--config").arg(config).args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("UTF-8")
}

/// Commands that each touch the config differently (or not at all before).
const COMMANDS: &[&[&str]] = &[
    &[],
    &["list"],
    &["show", "1"],
    &["render", "1", "--width", "40"],
    &["trending"],
    &["search", "трафик"],
    &["mark", "1", "--read"],
    &["feeds"],
    &["export", "--opml"],
    &["reindex"],
];

/// Runs every command with `config`; each must fail with one line on stderr,
/// and all with the same line. Returns it.
fn same_error_everywhere(db: &Path, config: &Path) -> String {
    let mut seen: Option<String> = None;
    for args in COMMANDS {
        let out = svodka(db).arg("--config").arg(config).args(*args).assert().failure().get_output().clone();
        assert!(out.stdout.is_empty(), "{args:?}: printed {:?}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("svodka: "), "{args:?}: {err}");
        match &seen {
            Some(first) => assert_eq!(&err, first, "{args:?}"),
            None => seen = Some(err),
        }
    }
    seen.expect("commands ran")
}

#[test]
fn missing_explicit_config_is_an_error_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let missing = dir.path().join("nonexistent.toml");
    let err = same_error_everywhere(&db, &missing);
    assert!(err.contains("nonexistent.toml") && err.contains("cannot read"), "{err}");
    // Import too (it needs a path argument), and none of them made an archive.
    let page = write(dir.path(), "seed.txt", SEED);
    svodka(&db).arg("--config").arg(&missing).arg("import").arg(page).assert().failure();
    assert!(!db.exists(), "a config error stops before the archive is opened");
}

#[test]
fn unknown_key_is_the_same_error_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let cfg = write(dir.path(), "config.toml", "language = \"ru\"\n[reader]\nmax_widht = 80\n");
    let err = same_error_everywhere(&db, &cfg);
    assert!(err.contains(&cfg.display().to_string()), "names the file: {err}");
    assert!(err.contains("line 3"), "names the line: {err}");
    assert!(err.contains("max_widht"), "names the key: {err}");
}

#[test]
fn bad_value_is_the_same_error_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    for (text, key, line) in [
        ("language = \"de\"\n", "language", "line 1"),
        ("\n[reader]\nmax_width = -1\n", "max_width", "line 3"),
        ("date_format = \"long\"\n", "date_format", "line 1"),
    ] {
        let cfg = write(dir.path(), "config.toml", text);
        let err = same_error_everywhere(&db, &cfg);
        assert!(err.contains("config.toml") && err.contains(line) && err.contains(key), "{text:?}: {err}");
    }
}

#[test]
fn render_and_show_speak_the_configured_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    // The locale says English; the config says Russian, and wins.
    let ru = write(dir.path(), "ru.toml", "language = \"ru\"\n");
    let en = write(dir.path(), "en.toml", "language = \"en\"\n");
    let render_ru = stdout(&db, &ru, &["render", "1", "--width", "60"]);
    let render_en = stdout(&db, &en, &["render", "1", "--width", "60"]);
    assert!(render_ru.contains("14 августа 2001") && render_ru.contains("954 просмотра"), "{render_ru}");
    assert!(render_en.contains("14 August 2001") && render_en.contains("954 views"), "{render_en}");
    let show_ru = stdout(&db, &ru, &["show", "1"]);
    let show_en = stdout(&db, &en, &["show", "1"]);
    assert!(show_ru.contains("14 августа 2001") && show_ru.contains("\nВ тренде:\n"), "{show_ru}");
    assert!(show_en.contains("14 August 2001") && show_en.contains("\nTrending:\n"), "{show_en}");
}

#[test]
fn render_show_and_list_use_the_configured_date_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let iso = write(dir.path(), "iso.toml", "language = \"ru\"\ndate_format = \"iso\"\n");
    let short = write(dir.path(), "short.toml", "language = \"ru\"\ndate_format = \"short\"\n");
    for args in [&["render", "1", "--width", "60"][..], &["show", "1"]] {
        let text = stdout(&db, &iso, args);
        assert!(text.contains("Караван · 2001-08-14 · 954 просмотра"), "{args:?}: {text}");
        assert!(!text.contains("14 августа 2001"), "{args:?}: {text}");
        let text = stdout(&db, &short, args);
        assert!(text.contains("Караван · 14 августа 2001 · 954 просмотра"), "{args:?}: {text}");
    }
    let list = stdout(&db, &iso, &["list"]);
    assert!(list.starts_with("1 N  2001-08-14 Караван МЕСТНЫЕ ВЛАСТИ"), "{list}");
    let list = stdout(&db, &short, &["list"]);
    assert!(list.starts_with("1 N  14 авг 2001 Караван МЕСТНЫЕ ВЛАСТИ"), "{list}");
}

#[test]
fn render_text_is_at_most_max_width_like_the_pane() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let capped = write(dir.path(), "capped.toml", "[reader]\nmax_width = 40\n");
    let uncapped = write(dir.path(), "uncapped.toml", "[reader]\nmax_width = 0\n");
    let wide = stdout(&db, &capped, &["render", "1", "--width", "120"]);
    assert!(wide.lines().all(|l| display_width(l) <= 40), "{wide}");
    // A pane 120 wide with the text capped at 40 shows what a 40-wide pane does.
    assert_eq!(wide, stdout(&db, &uncapped, &["render", "1", "--width", "40"]));
    let free = stdout(&db, &uncapped, &["render", "1", "--width", "120"]);
    assert!(free.lines().any(|l| display_width(l) > 100), "no cap: {free}");
    // The default cap is 100.
    let default = write(dir.path(), "default.toml", "");
    let text = stdout(&db, &default, &["render", "1", "--width", "120"]);
    assert!(text.lines().all(|l| display_width(l) <= 100), "{text}");
    assert!(text.lines().any(|l| display_width(l) > 90), "{text}");
}

#[test]
fn render_justifies_and_hyphenates_as_configured() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let plain = write(dir.path(), "plain.toml", "");
    let set = write(dir.path(), "set.toml", "[reader]\njustify = true\nhyphenate = false\n");
    let by_config = stdout(&db, &set, &["render", "1", "--width", "40"]);
    let by_flags = stdout(&db, &plain, &["render", "1", "--width", "40", "--justify", "--no-hyphenate"]);
    assert_eq!(by_config, by_flags);
    assert_ne!(by_config, stdout(&db, &plain, &["render", "1", "--width", "40"]));
}

#[test]
fn times_show_in_the_configured_timezone_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Лента</title><link>https://x.kz/</link>
        <item><title>Поздно в UTC</title><link>https://x.kz/1</link><pubDate>Sat, 14 Mar 2026 22:00:00 +0000</pubDate></item>
        <item><title>Утром в Алматы</title><link>https://x.kz/2</link><pubDate>Sun, 15 Mar 2026 02:00:00 +0500</pubDate></item>
        </channel></rss>"#;
    svodka(&db).arg("import").arg(write(dir.path(), "f.xml", rss)).assert().success();
    let plus5 = write(dir.path(), "z.toml", "language = \"ru\"\ndate_format = \"iso\"\ntimezone = \"+05:00\"\n");
    let utc = write(dir.path(), "u.toml", "language = \"ru\"\ndate_format = \"iso\"\ntimezone = \"UTC\"\n");
    // 22:00 UTC is 03:00 the next day on a +05 clock, after 02:00 +05.
    let list = stdout(&db, &plus5, &["list"]);
    assert!(list.lines().all(|l| l.contains("2026-03-15")), "{list}");
    assert!(stdout(&db, &plus5, &["show", "1"]).contains("2026-03-15 03:00"));
    assert!(stdout(&db, &utc, &["show", "1"]).contains("2026-03-14 22:00"));
    assert!(stdout(&db, &utc, &["show", "2"]).contains("2026-03-14 21:00"));
    let bad = write(dir.path(), "bad.toml", "timezone = \"Asia/Almaty\"\n");
    let err = svodka(&db).arg("--config").arg(&bad).arg("list").assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("+05:00"));
}
