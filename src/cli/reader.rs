//! `svodka` with no command: the reader, or the headlines when stdout is not
//! a terminal. The one place the CLI starts the TUI.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;

use super::Edge;
use crate::store::ListQuery;

pub fn run(edge: Edge) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        // Not a terminal (a pipe, a script): print the headlines.
        let mut store = edge.open_store_for_reading()?;
        if !store.is_read_only() {
            crate::bundled::seed_if_empty(&mut store)?;
        }
        let rows = store.list(&ListQuery { limit: 50, ..ListQuery::default() })?;
        super::list::print_list(&edge, &mut std::io::stdout().lock(), &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Site rules for `F` (full text): a bad file stops here, before the
    // terminal is touched.
    let rules = crate::extract::Rules::load_beside(edge.config_path())?;
    let db = edge.db_path()?;
    crate::reader::run(&db, edge.cfg, rules, crate::paths::state_dir().as_deref())?;
    Ok(ExitCode::SUCCESS)
}
