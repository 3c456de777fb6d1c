//! Where svodka keeps its files: the archive, config.toml (and sites.toml
//! beside it), the logs. A room of its own because every layer needs a
//! default path and none of them should need the config parser for it.

use std::path::PathBuf;

/// The archive path: `--db`, else `$SVODKA_DB` (clap reads both), else the
/// user's data directory.
pub fn default_db_path() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("archive.db"))
}

/// `config.toml` in the user's config directory.
pub fn default_config_path() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The state directory (logs); the local data directory where the platform
/// has no state directory.
pub fn state_dir() -> Option<PathBuf> {
    dirs().map(|d| d.state_dir().unwrap_or_else(|| d.data_local_dir()).to_path_buf())
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "svodka")
}
