//! `svodka mark`: read/unread and star flags.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)))]
pub struct MarkArgs {
    /// Article id.
    pub id: i64,
    /// Mark it read.
    #[arg(long, group = "what", conflicts_with = "unread")]
    pub read: bool,
    /// Mark it unread.
    #[arg(long, group = "what")]
    pub unread: bool,
    /// Star it.
    #[arg(long, group = "what", conflicts_with = "unstar")]
    pub star: bool,
    /// Remove its star.
    #[arg(long, group = "what")]
    pub unstar: bool,
}

pub fn run(edge: &Edge, a: &MarkArgs) -> Result<ExitCode> {
    let mut store = edge.open_store()?;
    if a.read || a.unread {
        store.set_read(a.id, a.read)?;
    }
    if a.star || a.unstar {
        store.set_starred(a.id, a.star)?;
    }
    Ok(ExitCode::SUCCESS)
}
