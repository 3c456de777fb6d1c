//! `svodka import`: files and directories into the archive.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Edge;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or directories to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prints the summary on stdout and each refusal on stderr; exits 1 if
/// anything was refused.
pub fn run(edge: &Edge, a: &ImportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let rules = crate::extract::Rules::load_beside(edge.config_path())?;
    let mut store = edge.open_store()?;
    let report = crate::ingest::import_paths_with(&mut store, &a.paths, &rules)?;
    if a.json {
        super::print_json(out, &report)?;
    } else {
        write!(out, "added {}, updated {}, refused {}", report.added, report.updated, report.refused.len())?;
        if report.subscribed > 0 {
            write!(out, ", subscribed {}", report.subscribed)?;
        }
        writeln!(out)?;
    }
    // Paths, URLs and reasons come from the files: sanitised like any text.
    let clean = crate::text::sanitize;
    for r in &report.refused {
        eprintln!("svodka: refused {}: {}", clean(&r.path), clean(&r.reason));
    }
    for r in &report.ignored {
        eprintln!("svodka: ignored {}: {}", clean(&r.path), clean(&r.reason));
    }
    Ok(if report.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
