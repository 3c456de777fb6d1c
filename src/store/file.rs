//! Which file at the archive path svodka may take as its archive.
//!
//! `Store::open` migrates what it opens, so opening the wrong file would
//! graft svodka's tables onto someone else's database (a browser's
//! places.sqlite once gained 17 tables and a WAL). Before anything writes,
//! the file is checked here without changing a byte of it: the header is
//! read directly, and the schema, when needed, through an `immutable`
//! read-only connection, which takes no locks and creates no -wal/-shm files.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Result, StoreError, map_err};

/// `PRAGMA application_id` of every svodka archive ("svdk"): what marks a
/// file as ours. Stamped on creation and on adopting an archive made before
/// the stamp existed.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"svdk");

/// Tables that only an svodka archive (an unstamped one, made before
/// [`APPLICATION_ID`]) has together; the bodies are in `blocks` or, since
/// `body::BODIES_VERSION`, in `bodies`.
const OWN_TABLES: [&str; 3] = ["articles", "blocks", "sites"];
const BODIES_TABLE: &str = "bodies";

/// What a file at the archive path turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// No file, an empty one, or an SQLite database with nothing in it.
    Empty,
    /// Stamped with [`APPLICATION_ID`].
    Ours,
    /// An svodka archive from before the stamp: to be stamped.
    Unstamped,
}

/// Checks the file at `path` is one svodka may open, touching nothing.
/// Anything other than an empty file or an svodka archive is refused.
pub(super) fn check(path: &Path) -> Result<Found> {
    let Some(head) = header(path)? else { return Ok(Found::Empty) };
    if head.len() < 16 || &head[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite { path: path.to_path_buf() });
    }
    let app_id = head.get(68..72).map_or(0, |b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    if app_id == APPLICATION_ID {
        return Ok(Found::Ours);
    }
    let foreign = || StoreError::Foreign { path: path.to_path_buf() };
    if app_id != 0 {
        return Err(foreign());
    }
    let conn = open_immutable(path)?;
    classify(&conn).map_err(|e| map_err(path, e))?.ok_or_else(foreign)
}

/// The same check on the connection `Store::open` writes through: it also
/// sees a WAL the immutable look above ignores (another program's tables
/// that were never checkpointed), so those are refused before any write.
pub(super) fn recheck(conn: &Connection, path: &Path) -> Result<()> {
    match classify(conn).map_err(|e| map_err(path, e))? {
        Some(_) => Ok(()),
        None => Err(StoreError::Foreign { path: path.to_path_buf() }),
    }
}

/// `None` for a database that is neither empty nor an svodka archive.
fn classify(conn: &Connection) -> rusqlite::Result<Option<Found>> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    let own: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?1, ?2, ?3, ?4)",
        [OWN_TABLES[0], OWN_TABLES[1], OWN_TABLES[2], BODIES_TABLE],
        |r| r.get(0),
    )?;
    Ok(match (version, objects) {
        (0, 0) => Some(Found::Empty),
        (v, _) if v > 0 && own == OWN_TABLES.len() as i64 => Some(Found::Unstamped),
        _ => None,
    })
}

/// The first 100 bytes (the SQLite header), `None` for a missing or empty file.
fn header(path: &Path) -> Result<Option<Vec<u8>>> {
    let Ok(f) = std::fs::File::open(path) else { return Ok(None) };
    let mut head = Vec::with_capacity(100);
    f.take(100).read_to_end(&mut head).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    Ok((!head.is_empty()).then_some(head))
}

/// A read-only connection that assumes nobody changes the file while it is
/// open: no locks, no -wal/-shm files, so it works in a read-only directory
/// and leaves no trace. (It also does not see a WAL that was never
/// checkpointed, which for the checks above only errs towards "empty".)
pub(super) fn open_immutable(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri(path, "immutable=1"), flags).map_err(|e| map_err(path, e))
}

/// `path` as an SQLite `file:` URI with `query`: every byte outside the
/// unreserved set is percent-encoded, so `?`, `#` and `%` in a name are safe.
fn uri(path: &Path, query: &str) -> String {
    let mut s = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.push('?');
    s.push_str(query);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_what_sqlite_would_read_as_syntax() {
        assert_eq!(uri(Path::new("/tmp/a b?#%.db"), "mode=ro"), "file:/tmp/a%20b%3F%23%25.db?mode=ro");
        assert_eq!(uri(Path::new("архив.db"), "x"), "file:%D0%B0%D1%80%D1%85%D0%B8%D0%B2.db?x");
    }

    #[test]
    fn the_stamp_reads_svdk() {
        assert_eq!(APPLICATION_ID.to_be_bytes(), *b"svdk");
    }
}
