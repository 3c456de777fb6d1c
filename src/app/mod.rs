//! The reader's state machine, in the Elm Architecture ratatui's docs
//! describe: [`Msg`]s (keys, mouse, resize, worker results) go through a pure
//! [`update`] that changes [`State`] and returns [`Effect`]s (database reads
//! and writes, opening a URL) for `tui.rs` to carry out. Nothing here does
//! I/O, so every key and message is unit-tested without a terminal.

pub mod keymap;
pub mod msg;
pub mod state;
pub mod update;

pub use msg::{Cursor, Effect, Msg, PageQuery};
pub use state::{Focus, Geometry, Mode, Saved, State};
pub use update::update;

#[cfg(test)]
mod tests;
