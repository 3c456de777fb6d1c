//! Sync with a feed server (Fever API today; the Google Reader API can be
//! added beside it as another [`Backend`]).
//!
//! Why a layer of its own: the server becomes the source of subscriptions
//! and of read/star state, while the reader stays local-first: it reads
//! only the archive, and a sync is one more way of filling it, like
//! `fetch`. This module sits above `store`, `net` and `text::html` (items
//! go through the same sanitising HTML → blocks path as feed items) and
//! below `reader` and `cli`.
//!
//! The protocol-neutral part lives here (configuration, the trait, the
//! items and errors), the algorithm in [`engine`], the Fever client in
//! [`fever`].

pub mod engine;
pub mod fever;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use engine::{Progress, SyncReport, sync};

/// The `[sync]` section of config.toml. The password is never in the file:
/// it comes from an environment variable or from a file only its owner can
/// read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// The server's Fever endpoint, e.g. `https://rss.example.org/fever/`.
    pub url: String,
    /// The user name (an e-mail for some servers).
    pub user: String,
    /// Name of the environment variable that holds the password.
    pub password_env: Option<String>,
    /// A file that holds the password (its first line); must be 0600.
    pub password_file: Option<PathBuf>,
}

impl SyncConfig {
    /// The password from `password_env` or `password_file` (exactly one).
    pub fn password(&self) -> Result<String> {
        match (&self.password_env, &self.password_file) {
            (Some(var), None) => match std::env::var(var) {
                Ok(p) if !p.is_empty() => Ok(p),
                _ => Err(SyncError::Password(format!("the environment variable {var} (password_env) is not set"))),
            },
            (None, Some(file)) => read_password_file(file),
            _ => Err(SyncError::Password(
                "[sync] needs exactly one of password_env = \"NAME\" or password_file = \"PATH\"".into(),
            )),
        }
    }

    /// The URL as it may be shown: without any user or password in it.
    pub fn shown_url(&self) -> String {
        shown_url(&self.url)
    }
}

/// `url` without its userinfo (errors and logs show this).
pub fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// Reads a password file, refusing one that others may read or write.
fn read_password_file(path: &Path) -> Result<String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| SyncError::Password(format!("{shown}: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(SyncError::Password(format!(
                "{shown}: permissions {mode:04o} are too open for a password file; run `chmod 600 {shown}`"
            )));
        }
    }
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| SyncError::Password(format!("{shown}: {e}")))?;
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(SyncError::Password(format!("{shown}: the password file is empty")));
    }
    Ok(first.to_string())
}

/// Why a sync failed. Every variant that comes from the server names it;
/// none ever carries the password or the API key.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("sync server {server} is unreachable: {reason}")]
    Down { server: String, reason: String },
    #[error("sync server {server} refused the credentials (wrong user or password)")]
    Auth { server: String },
    #[error("sync server {server} answered HTTP {status}")]
    Status { server: String, status: u16 },
    #[error("sync server {server} sent a bad answer to {what}: {reason}")]
    BadJson { server: String, what: String, reason: String },
    #[error("sync password: {0}")]
    Password(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub type Result<T> = std::result::Result<T, SyncError>;

/// A folder of feeds on the server; its title becomes a feed tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub title: String,
}

/// A subscription on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFeed {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub site_url: Option<String>,
    /// Titles of the groups it is in.
    pub tags: Vec<String>,
}

/// One item (article) as the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub feed_id: i64,
    pub title: String,
    pub author: Option<String>,
    pub html: String,
    pub url: Option<String>,
    pub is_read: bool,
    pub is_saved: bool,
    /// Unix seconds; 0 or absent when the server does not know.
    pub created_on_time: i64,
}

/// The two flags that sync both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Read,
    Starred,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Read => "read",
            Flag::Starred => "starred",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        match s {
            "read" => Some(Flag::Read),
            "starred" => Some(Flag::Starred),
            _ => None,
        }
    }
}

/// What the server did with a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    Done,
    /// The server no longer has the item (deleted there).
    NoSuchItem,
}

/// A sync protocol. Paging is by server item id, which every protocol of
/// this family has in some form; a backend that pages otherwise maps it.
pub trait Backend {
    /// The server as errors name it (no credentials in it).
    fn server(&self) -> &str;
    /// Checks the credentials (one cheap request).
    fn login(&mut self) -> Result<()>;
    /// Subscriptions with their groups as tags.
    fn feeds(&mut self) -> Result<Vec<ServerFeed>>;
    /// Up to one page of items with an id above `since_id`, oldest first.
    fn items_since(&mut self, since_id: i64) -> Result<Vec<Item>>;
    /// Up to one page of items with an id below `max_id`, newest first.
    fn items_before(&mut self, max_id: i64) -> Result<Vec<Item>>;
    /// The items of these ids the server still has (at most one page).
    fn items_with_ids(&mut self, ids: &[i64]) -> Result<Vec<Item>>;
    /// The largest number of ids `items_with_ids` takes at once.
    fn page_size(&self) -> usize;
    fn unread_ids(&mut self) -> Result<Vec<i64>>;
    fn saved_ids(&mut self) -> Result<Vec<i64>>;
    fn mark(&mut self, item: i64, flag: Flag, value: bool) -> Result<Marked>;
    /// Response bytes received so far (bodies, after decompression).
    fn bytes_received(&self) -> u64;
    /// Requests made so far.
    fn requests(&self) -> u64;
}

/// One sync with the configured server: the password is read now (never
/// kept), the outcome recorded in the archive (`last_error` for the
/// reader's status bar). The CLI and the reader both come through here.
pub fn run_configured(
    store: &mut crate::store::Store,
    cfg: &SyncConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let outcome = cfg.password().and_then(|password| {
        let mut backend = fever::Fever::new(&cfg.url, &cfg.user, &password);
        drop(password);
        let account = format!("fever {} {}", cfg.shown_url(), cfg.user);
        sync(store, &mut backend, &account, progress)
    });
    // Recording is best effort: the sync's own error is the one to report.
    let _ = match &outcome {
        Ok(_) => store.set_sync_state("last_error", ""),
        Err(e) => store.set_sync_state("last_error", &e.to_string()),
    };
    outcome
}
