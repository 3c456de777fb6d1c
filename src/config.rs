//! Where svodka keeps its files, and (later) the user's settings.

use std::path::PathBuf;

/// The archive path: `--db`, else `$SVODKA_DB` (clap reads both), else the
/// user's data directory.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "svodka").map(|d| d.data_dir().join("archive.db"))
}
