//! The archive file itself: only an empty file or svodka's own archive is
//! adopted (anything else is refused untouched), and an archive that cannot
//! be written (read-only directory, full disk) can still be read.

use std::path::{Path, PathBuf};
use std::process::Output;

use svodka::store::file::APPLICATION_ID;
use svodka::store::{Store, StoreError};

mod common;
use common::svodka;

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("a.db");
    let page = dir.join("seed.txt");
    std::fs::write(&page, SEED).unwrap();
    svodka(&db).arg("import").arg(page).assert().success();
    db
}

fn application_id(db: &Path) -> i32 {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap()
}

fn side_files(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("places.sqlite");
    {
        // A browser's history, as it is on disk: WAL mode, its own tables.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places(url) VALUES ('https://a.kz/');")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [&["list"][..], &["import", "seed.txt"], &["mark", "1", "--star"], &["add", "https://x.kz/rss"]] {
        std::fs::write(dir.path().join("seed.txt"), SEED).unwrap();
        let out = svodka(&db).current_dir(dir.path()).args(args).assert().failure().get_output().clone();
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains("places.sqlite") && err.contains("not an svodka archive"), "{err}");
    }
    assert!(matches!(Store::open(&db), Err(StoreError::Foreign { .. })));
    assert!(matches!(Store::open_read_only(&db), Err(StoreError::Foreign { .. })));
    assert_eq!(std::fs::read(&db).unwrap(), before, "byte-identical");
    assert_eq!(side_files(&db), Vec::<PathBuf>::new(), "no -wal/-shm left");
}

#[test]
fn another_programs_tables_still_only_in_its_wal_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("places.sqlite");
    // The browser is running: its tables are in the WAL, not yet in the file.
    let browser = rusqlite::Connection::open(&db).unwrap();
    browser.pragma_update(None, "journal_mode", "WAL").unwrap();
    browser.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    browser.execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)").unwrap();
    assert!(matches!(Store::open(&db), Err(StoreError::Foreign { .. })));
    let tables: i64 = browser.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "nothing of svodka's was added");
}

#[test]
fn a_database_with_another_application_id_is_refused_even_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "application_id", 0x0f055112).unwrap();
    let before = std::fs::read(&db).unwrap();
    assert!(matches!(Store::open(&db), Err(StoreError::Foreign { .. })));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn new_and_empty_files_become_stamped_archives() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.db");
    drop(Store::open(&new).unwrap());
    assert_eq!(application_id(&new), APPLICATION_ID);
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    drop(Store::open(&empty).unwrap());
    assert_eq!(application_id(&empty), APPLICATION_ID);
    // An SQLite file with nothing in it holds nothing to lose either.
    let blank = dir.path().join("blank.db");
    rusqlite::Connection::open(&blank).unwrap().execute_batch("VACUUM").unwrap();
    drop(Store::open(&blank).unwrap());
    assert_eq!(application_id(&blank), APPLICATION_ID);
}

#[test]
fn an_archive_from_before_the_stamp_is_adopted_with_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "application_id", 0).unwrap();
    assert_eq!(application_id(&db), 0);
    svodka(&db).args(["mark", "1", "--star"]).assert().success();
    assert_eq!(application_id(&db), APPLICATION_ID);
    assert_eq!(Store::open(&db).unwrap().counts().unwrap().total, 1);
}

/// `svodka args` on `db` with writes beyond the current end of any file
/// failing, as on a full disk (RLIMIT_FSIZE binds root too; SIGXFSZ, 25 on
/// Linux, is ignored so the write fails instead of killing the process).
fn on_a_full_disk(db: &Path, args: &str) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("svodka");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' 25; ulimit -f 0; exec \"$0\" --db \"$1\" {args}"))
        .arg(bin)
        .arg(db)
        .env("LANG", "C")
        .env_remove("SVODKA_DB")
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_still_lists_and_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    for args in ["list", "show 1", "render 1 --width 40", "search трафик", "feeds", "trending"] {
        let out = on_a_full_disk(&db, args);
        let err = stderr(&out);
        assert!(out.status.success(), "{args}: {err}");
        assert_eq!(err.lines().count(), 1, "{args}: one line: {err}");
        assert!(err.contains("opened read-only") && err.contains("a.db"), "{args}: {err}");
    }
    assert!(String::from_utf8_lossy(&on_a_full_disk(&db, "list").stdout).contains("Караван"));
    let mark = on_a_full_disk(&db, "mark 1 --star");
    assert!(!mark.status.success(), "a write is refused, not pretended");
    assert!(!svodka(&db).args(["show", "1", "--json"]).output().unwrap().stdout.is_empty());
}

/// Makes `dir` read-only for this process, also as root: mode 0555 stops
/// other users; for root (who passes mode bits) the immutable attribute.
/// `None` when neither holds here (no chattr, a file system without it).
struct ReadOnlyDir<'a>(&'a Path, bool);

impl<'a> ReadOnlyDir<'a> {
    fn make(dir: &'a Path) -> Option<ReadOnlyDir<'a>> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = dir.join(".probe");
        if std::fs::write(&probe, "").is_err() {
            return Some(ReadOnlyDir(dir, false));
        }
        std::fs::remove_file(&probe).unwrap();
        let chattr = std::process::Command::new("chattr").arg("+i").arg(dir).output();
        let immutable = chattr.is_ok_and(|o| o.status.success());
        let guard = ReadOnlyDir(dir, immutable);
        (immutable && std::fs::write(&probe, "").is_err()).then_some(guard)
    }
}

impl Drop for ReadOnlyDir<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.1 {
            let _ = std::process::Command::new("chattr").arg("-i").arg(self.0).status();
        }
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn a_read_only_directory_still_lists_and_shows() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    std::fs::create_dir(&sub).unwrap();
    let db = seeded(&sub);
    std::fs::remove_file(sub.join("seed.txt")).unwrap();
    let before = std::fs::read(&db).unwrap();
    let Some(_ro) = ReadOnlyDir::make(&sub) else {
        eprintln!(
            "cannot make a read-only directory here (no chattr +i as root); the full-disk test covers the fallback"
        );
        return;
    };
    for args in [&["list"][..], &["show", "1"], &["search", "трафик"], &["export", "--opml"]] {
        let out = svodka(&db).args(args).output().unwrap();
        let err = stderr(&out);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains("opened read-only (the file or its directory is read-only)"), "{err}");
    }
    assert!(!svodka(&db).args(["mark", "1", "--star"]).output().unwrap().status.success());
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
}

#[test]
fn read_only_store_reads_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let mut store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.counts().unwrap().total, 1);
    assert!(store.article(1).is_ok());
    assert!(store.set_starred(1, true).is_err(), "writes fail");
    drop(store);
    // An archive that needs a migration cannot be read without writing it.
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 2).unwrap();
    assert!(matches!(Store::open_read_only(&db), Err(StoreError::NeedsUpgrade { found: 2, .. })));
}
