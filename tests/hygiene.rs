//! Output hygiene: what svodka prints from files, servers and the archive
//! (paths, URLs, titles, error texts, JSON) never drives the terminal and
//! never says the same thing twice.

use std::path::{Path, PathBuf};

use svodka::store::Store;

mod common;
use common::svodka;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

/// Terminal controls, bidi overrides/isolates and C1 controls.
fn hostile(c: char) -> bool {
    matches!(c, '\u{1b}' | '\u{7}' | '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    assert!(!text.chars().any(hostile), "{what} carries a control: {text:?}");
}

/// A subscription whose title, URL and tag a hostile list or server chose.
fn hostile_feed(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let tags = vec!["t\u{1b}[2Jag".to_string()];
    store.add_feed("https://evil.kz/rss\u{1b}]0;pwned\u{7}", Some("Злой\u{202e}\u{85} канал\u{2066}"), &tags).unwrap();
}

#[test]
fn export_opml_is_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    hostile_feed(&db);
    let out = svodka(&db).args(["export", "--opml"]).assert().success().get_output().stdout.clone();
    assert_clean("export --opml", &out);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("title=\"Злой  канал\"") && text.contains("xmlUrl=\"https://evil.kz/rss\""), "{text}");
    assert!(text.contains("category=\"tag\""), "{text}");
}

#[test]
fn json_escapes_c1_bidi_and_invisible_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    hostile_feed(&db);
    let out = svodka(&db).args(["feeds", "--json"]).assert().success().get_output().stdout.clone();
    assert_clean("feeds --json", &out);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(r"Злой\u202e\u0085 канал\u2066"), "{text}");
    // The JSON still means the same text.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[0]["title"], "Злой\u{202e}\u{85} канал\u{2066}");
}

#[test]
fn import_reports_are_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    // A file whose very name is an escape sequence, and a urls file with
    // one hidden in a line it ignores.
    let junk = write(dir.path(), "evil\u{1b}]0;pwned\u{7}\u{202e}.bin", b"\0\0\0\xff\xfe\0");
    let urls = write(dir.path(), "urls", "https://ok.kz/rss\n\"exec:rm -rf ~\u{1b}[2J\u{202e}\"\n");
    let out = svodka(&db).arg("import").arg(&junk).arg(&urls).assert().failure().get_output().clone();
    assert_clean("import stdout", &out.stdout);
    assert_clean("import stderr", &out.stderr);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("refused") && err.contains("/evil.bin") && !err.contains("pwned"), "{err}");
    assert!(err.contains("ignored") && err.contains("exec:rm -rf ~"), "{err}");
}

#[test]
fn urls_file_entries_must_be_real_urls() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let urls = write(
        dir.path(),
        "urls",
        "https://ok.kz/rss news\nhttp://\n\"https://bad host.kz/rss\"\nfile:///etc/passwd\nhttps://[::1/rss\n",
    );
    let out = svodka(&db).arg("import").arg(&urls).assert().success().get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("subscribed 1"), "{stdout}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().filter(|l| l.contains("ignored")).count(), 4, "{err}");
    assert!(err.contains("http://: not a valid URL"), "{err}");
    assert!(err.contains("file:///etc/passwd: a local file"), "{err}");
    let feeds = Store::open(&db).unwrap().feeds().unwrap();
    assert_eq!(feeds.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(), ["https://ok.kz/rss"]);
}

/// `svodka: X: X: …`: a cause printed again after the message that already
/// carries it.
fn assert_said_once(err: &str, part: &str) {
    assert_eq!(err.matches(part).count(), 1, "{part:?} said more than once: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn error_messages_do_not_repeat_themselves() {
    let dir = tempfile::tempdir().unwrap();
    // The archive path is a directory.
    let out = svodka(dir.path()).arg("list").assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert_said_once(&err, "Is a directory");
    // SQLite cannot open the file at all.
    let out = svodka(Path::new("/proc/svodka-test.db")).arg("list").assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert_said_once(&err, "/proc/svodka-test.db");
    assert_said_once(&err, "unable to open database file");
    // A file that cannot be read.
    let missing = dir.path().join("missing.opml");
    let out = svodka(&dir.path().join("a.db")).arg("import").arg(&missing).assert().failure().get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_said_once(&err, "No such file or directory");
}

#[test]
fn error_messages_are_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil\u{1b}]0;pwned\u{7}\u{202e}");
    std::fs::create_dir(&evil).unwrap();
    let out = svodka(&evil).arg("list").assert().failure().get_output().stderr.clone();
    assert_clean("the error", &out);
    let err = String::from_utf8(out).unwrap();
    // The whole escape sequence goes, not just its ESC.
    assert!(err.contains("/evil") && !err.contains("pwned"), "{err}");
}
