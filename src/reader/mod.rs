//! The reader: the interactive two-pane terminal UI, in the Elm
//! Architecture ratatui's docs describe.
//!
//! - One UI thread owns the terminal ([`terminal`]). The input thread and
//!   the workers ([`effects`]) send [`Msg`]s (keys, mouse, resize, worker
//!   results) into one channel.
//! - A pure [`update`](update())`(&mut State, Msg) -> Vec<Effect>` changes the
//!   [`State`] and returns [`Effect`]s (database reads and writes, fetches,
//!   opening a URL) for [`effects`] to carry out; nothing in [`update`](mod@update) does
//!   I/O, so every key and message is unit-tested without a terminal.
//! - Rendering ([`render`](mod@render)) draws from `State` alone and does no I/O.
//! - Read/star marks go to one [`writer`] thread that retries until the
//!   archive takes them (a refresh may hold its write lock); until then the
//!   state shows them as made and the status bar counts them.
//! - Worker results carry the generation of the request that caused them;
//!   a result whose generation is no longer current (the filter changed,
//!   another article was chosen) is dropped.
//!
//! The reader takes its [`Settings`] from the caller and reads no config
//! file itself.

pub mod document;
pub mod effects;
pub mod keymap;
pub mod messages;
pub mod msg;
pub mod render;
pub mod settings;
pub mod state;
pub mod terminal;
pub mod texts;
pub mod update;
pub mod writer;

pub use msg::{Cursor, Effect, Flag, Mark, MarkTarget, Msg, PageQuery};
pub use render::render;
pub use settings::{DateFormat, Settings, Theme};
pub use state::{Focus, Geometry, Mode, Saved, State};
pub use terminal::{ReaderError, run};
pub use update::update;

#[cfg(test)]
mod tests;
