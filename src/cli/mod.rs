//! The command line: every subcommand, its flags and its JSON.
//!
//! Names, flags and JSON keys here are a contract scripts rely on: add
//! freely, never rename. Human output is aligned by display width so
//! Cyrillic, Kazakh and CJK titles line up.
//!
//! This file is the edge: it parses, reads the config once (a bad one is the
//! same error for every command) and hands each command an [`Edge`]. Each
//! command, with its flags and its output, lives in its own file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{Parser, Subcommand};

use crate::config::{Config, DateFormat};
use crate::model::Stamp;
use crate::store::Store;

mod feeds;
mod fetch;
mod get;
mod import;
mod list;
mod mark;
mod reader;
mod render;
mod search;
mod show;
mod sync;
mod trending;

pub use feeds::{AddArgs, ExportArgs, FeedsArgs, RemoveArgs};
pub use fetch::FetchArgs;
pub use get::GetArgs;
pub use import::ImportArgs;
pub use list::ListArgs;
pub use mark::MarkArgs;
pub use render::RenderArgs;
pub use search::{ReindexArgs, SearchArgs};
pub use show::ShowArgs;
pub use sync::SyncArgs;
pub use trending::TrendingArgs;

#[derive(Debug, Parser)]
#[command(name = "svodka", version, about = "A terminal news reader with an offline archive")]
pub struct Cli {
    /// The archive file (default: the user's data directory).
    #[arg(long, global = true, env = "SVODKA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file (default: config.toml in the user's config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import page dumps, feed files (RSS, Atom, JSON Feed), OPML and newsboat urls files (or directories, recursively).
    Import(ImportArgs),
    /// List archived headlines, newest first.
    List(ListArgs),
    /// Show one article.
    Show(ShowArgs),
    /// Trending topics across the archive, newest capture first.
    Trending(TrendingArgs),
    /// Mark an article read, unread, starred or unstarred.
    Mark(MarkArgs),
    /// Print the lines the reading pane shows for an article.
    Render(RenderArgs),
    /// Subscribe to a feed.
    Add(AddArgs),
    /// Unsubscribe (the feed's articles stay in the archive).
    Remove(RemoveArgs),
    /// List subscriptions with their fetch state and counts.
    Feeds(FeedsArgs),
    /// Refresh subscriptions over HTTP (all of them, or the ones named).
    Fetch(FetchArgs),
    /// Write subscriptions out (OPML).
    Export(ExportArgs),
    /// Fetch one web page into the archive without subscribing (read it
    /// later): the article is extracted from the page and kept offline.
    Get(GetArgs),
    /// Search the archive: words (any form), "phrases", -exclusions, site:, tag:,
    /// after:/before:YYYY-MM-DD, is:unread, is:starred.
    Search(SearchArgs),
    /// Rebuild the full-text search index.
    Reindex(ReindexArgs),
    /// Sync subscriptions, items and read/star flags with the feed server of
    /// config.toml's [sync] (Fever API).
    Sync(SyncArgs),
}

/// What every command gets from the edge: where the archive is, where the
/// config came from, and the config itself, read once.
#[derive(Debug)]
pub struct Edge {
    db: Option<PathBuf>,
    config_path: Option<PathBuf>,
    pub cfg: Config,
}

impl Edge {
    /// Reads the config: `--config` must exist; any mistake in the file is
    /// an error here, before any command runs.
    pub fn new(db: Option<PathBuf>, config_path: Option<PathBuf>) -> Result<Edge> {
        let cfg = Config::load(config_path.as_deref())?;
        Ok(Edge { db, config_path, cfg })
    }

    pub fn db_path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(p) => {
                check_db_dir(p)?;
                Ok(p.clone())
            }
            None => crate::config::default_db_path()
                .ok_or_else(|| anyhow!("cannot find the user's data directory; pass --db PATH or set SVODKA_DB")),
        }
    }

    pub fn open_store(&self) -> Result<Store> {
        Ok(Store::open(&self.db_path()?)?)
    }

    /// The archive for a command that only reads: where it cannot be written
    /// (read-only directory, full disk) it is opened read-only, with one line
    /// on stderr saying why, because reading offline is the point.
    pub fn open_store_for_reading(&self) -> Result<Store> {
        let path = self.db_path()?;
        Ok(read_only_fallback(Store::open(&path), || Store::open_read_only(&path), |why| eprintln!("{why}"))?)
    }

    /// On an archive with no article, one line on stderr saying so and how to
    /// fill it: a command that prints nothing must not look broken.
    pub fn say_if_empty(&self, store: &Store) -> Result<bool> {
        let empty = store.is_empty()?;
        if empty {
            eprintln!("svodka: {}", crate::i18n::tr(crate::i18n::Text::EmptyArchive, self.cfg.lang));
        }
        Ok(empty)
    }

    /// `--config`, when given (site rules are looked for beside it).
    pub fn config_path(&self) -> Option<&Path> {
        self.config_path.as_deref()
    }

    /// A date in the list and search columns: `14 авг 2001` (padded to 11),
    /// or `2001-08-14` (10) with `date_format = "iso"`.
    fn column_date(&self, p: Option<&Stamp>) -> String {
        let shown = p.map(|p| crate::i18n::in_zone(*p, self.cfg.timezone));
        let p = shown.as_ref();
        let (date, w) = match self.cfg.date_format {
            DateFormat::Short => (p.map(|p| crate::i18n::date_short(p, self.cfg.lang)), 11),
            DateFormat::Iso => (p.map(|p| p.date().to_string()), 10),
        };
        crate::text::width::pad(&date.unwrap_or_default(), w)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let edge = Edge::new(cli.db, cli.config)?;
    let Some(command) = cli.command else {
        return reader::run(edge);
    };
    let mut out = std::io::stdout().lock();
    let out: &mut dyn Write = &mut out;
    match command {
        Command::Import(a) => import::run(&edge, &a, out),
        Command::Add(a) => feeds::add(&edge, &a, out),
        Command::Remove(a) => feeds::remove(&edge, &a, out),
        Command::Feeds(a) => feeds::list(&edge, &a, out),
        Command::Export(a) => feeds::export(&edge, &a, out),
        Command::Fetch(a) => fetch::run(&edge, &a, out),
        Command::Get(a) => get::run(&edge, &a, out),
        Command::List(a) => list::run(&edge, a, out),
        Command::Show(a) => show::run(&edge, &a, out),
        Command::Trending(a) => trending::run(&edge, &a, out),
        Command::Mark(a) => mark::run(&edge, &a),
        Command::Search(a) => search::search(&edge, &a, out),
        Command::Reindex(a) => search::reindex(&edge, &a, out),
        Command::Render(a) => render::run(&edge, &a, out),
        Command::Sync(a) => sync::run(&edge, &a, out),
    }
}

/// Refuses an archive path whose directory does not exist: a mistyped
/// `--db /typo/dir/a.db` must not create directories. Only the default
/// data directory is created (by [`Store::open`]).
fn check_db_dir(p: &Path) -> Result<()> {
    let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) else { return Ok(()) };
    let default_dir = crate::config::default_db_path().and_then(|d| d.parent().map(Path::to_path_buf));
    if dir.is_dir() || default_dir.as_deref() == Some(dir) {
        return Ok(());
    }
    Err(anyhow!("{}: the directory {} does not exist; create it or pass another --db", p.display(), dir.display()))
}

/// `opened`, or where it failed for want of write access the read-only
/// store, announcing why in one line. When the read-only open fails too, the
/// first error is the one worth reporting.
fn read_only_fallback(
    opened: crate::store::Result<Store>,
    read_only: impl FnOnce() -> crate::store::Result<Store>,
    announce: impl FnOnce(&str),
) -> crate::store::Result<Store> {
    match opened {
        Err(e) if e.write_blocked().is_some() => match read_only() {
            Ok(store) => {
                let why = e.write_blocked().unwrap_or_default();
                let path = store.path().display();
                announce(&format!("svodka: {path}: opened read-only ({why}): reading works, nothing is saved"));
                Ok(store)
            }
            Err(_) => Err(e),
        },
        other => other,
    }
}

/// An error as the one line `svodka:` prints: the message and each cause
/// not already in it (svodka's own errors carry their cause in the message,
/// so `{e:#}` said it twice), sanitised (paths, URLs and server texts are
/// untrusted).
pub fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for link in e.chain() {
        let m = link.to_string();
        if line.contains(&m) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&m);
    }
    crate::text::sanitize(&line)
}

/// `value` as pretty JSON and a newline.
fn print_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    write_json(out, value, true)
}

/// `value` as one line of JSON (a stream of events, one per line).
fn print_json_line(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    write_json(out, value, false)
}

/// Every `--json` output goes through here: serde_json leaves C1 controls,
/// bidi overrides and other invisible characters raw, which a terminal or a
/// careless viewer then obeys; they are written as `\uXXXX` instead.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize, pretty: bool) -> Result<()> {
    let text = if pretty { serde_json::to_string_pretty(value)? } else { serde_json::to_string(value)? };
    writeln!(out, "{}", escape_invisible(&text))?;
    Ok(())
}

/// Escapes invisible characters in serialised JSON. They can only occur
/// inside strings (JSON's own syntax is ASCII), where `\uXXXX` means the
/// same character, so the value read back is unchanged.
fn escape_invisible(json: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // Raw C0 characters here are JSON's own whitespace (serde escapes them in strings).
        if c >= ' ' && crate::text::sanitize::is_invisible(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use clap::CommandFactory;

    fn edge(date_format: DateFormat) -> Edge {
        let cfg = Config { lang: Lang::Ru, date_format, ..Config::default() };
        Edge { db: None, config_path: None, cfg }
    }

    #[test]
    fn column_dates_follow_the_date_format() {
        let d = Stamp::Date(time::macros::date!(2001 - 08 - 14));
        assert_eq!(edge(DateFormat::Short).column_date(Some(&d)), "14 авг 2001");
        assert_eq!(edge(DateFormat::Iso).column_date(Some(&d)), "2001-08-14");
        // An unknown date keeps the column: blanks of the same width.
        assert_eq!(edge(DateFormat::Short).column_date(None), " ".repeat(11));
        assert_eq!(edge(DateFormat::Iso).column_date(None), " ".repeat(10));
    }

    fn sqlite_error(code: std::ffi::c_int) -> crate::store::StoreError {
        let source = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        crate::store::StoreError::Sqlite { path: "a.db".into(), error: source }
    }

    #[test]
    fn only_a_write_failure_falls_back_to_reading_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        drop(Store::open(&db).unwrap());
        let mut said = Vec::new();
        let store = read_only_fallback(
            Err(sqlite_error(rusqlite::ffi::SQLITE_READONLY)),
            || Store::open_read_only(&db),
            |s| said.push(s.to_string()),
        );
        assert!(store.is_ok());
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("opened read-only (the file or its directory is read-only)"), "{said:?}");
        for code in [rusqlite::ffi::SQLITE_FULL, rusqlite::ffi::SQLITE_CANTOPEN, rusqlite::ffi::SQLITE_IOERR] {
            assert!(read_only_fallback(Err(sqlite_error(code)), || Store::open_read_only(&db), |_| ()).is_ok());
        }
        // Busy or not an archive: reported as they are, never read past.
        let busy = read_only_fallback(Err(sqlite_error(rusqlite::ffi::SQLITE_BUSY)), || unreachable!(), |_| ());
        assert!(busy.is_err());
        // The read-only open failing too: the first error is the one shown.
        let missing = dir.path().join("missing.db");
        let err = read_only_fallback(
            Err(sqlite_error(rusqlite::ffi::SQLITE_FULL)),
            || Store::open_read_only(&missing),
            |_| (),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("database or disk is full"), "{err}");
    }

    #[test]
    fn json_escapes_invisible_characters_and_reads_back_the_same() {
        let v = serde_json::json!({ "t": "a\u{85}b\u{9b}31m\u{202e}c\u{2066}d\u{200b}e\u{e0001}f\u{feff}Ж" });
        let mut out = Vec::new();
        print_json_line(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "{\"t\":\"a\\u0085b\\u009b31m\\u202ec\\u2066d\\u200be\\udb40\\udc01f\\ufeffЖ\"}\n");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
        let mut out = Vec::new();
        print_json(&mut out, &serde_json::json!({ "a": ["\u{202e}\n"] })).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"a\": [\n    \"\\u202e\\n\"\n  ]\n}\n");
    }

    #[test]
    fn every_command_is_reachable() {
        Cli::command().debug_assert();
        let parsed = Cli::try_parse_from(["svodka", "--config", "/x.toml", "get", "https://example.kz/a"]).unwrap();
        assert_eq!(parsed.config.as_deref(), Some(Path::new("/x.toml")));
        assert!(matches!(parsed.command, Some(Command::Get(_))));
    }
}
