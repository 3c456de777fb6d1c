//! `svodka sync`: one sync with the feed server of config.toml's `[sync]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Args;

use super::Edge;
use crate::sync::SyncReport;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print what changed as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(edge: &Edge, a: &SyncArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let cfg = edge.cfg.sync.as_ref().ok_or_else(|| {
        anyhow!(
            "no sync server configured: add a [sync] section (url, user, password_env or password_file) to config.toml"
        )
    })?;
    let mut store = edge.open_store()?;
    let report = crate::sync::run_configured(&mut store, cfg, &mut |_| {})?;
    if a.json {
        super::print_json(out, &report)?;
    } else {
        print_human(out, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(out: &mut dyn Write, r: &SyncReport) -> Result<()> {
    writeln!(
        out,
        "synced with {}: {} new items ({} matched here), {} new feeds, {} changes sent; \
         read {}, unread {}, starred {}, unstarred {}; {} deleted on the server (kept here)",
        crate::text::sanitize(&r.server),
        r.items_added,
        r.items_merged,
        r.feeds_added,
        r.pushed,
        r.marked_read,
        r.marked_unread,
        r.starred,
        r.unstarred,
        r.deleted_on_server
    )?;
    writeln!(out, "{} requests, {} bytes, {:.2} s", r.requests, r.bytes, r.seconds)?;
    Ok(())
}
