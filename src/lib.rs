//! svodka: a terminal news reader with an offline archive.
//!
//! `main.rs` is a thin shell over these modules; see each module's docs for
//! why it exists.

pub mod bundled;
pub mod cli;
pub mod config;
pub mod dates;
pub mod extract;
pub mod i18n;
pub mod ingest;
pub mod lang;
pub mod model;
pub mod net;
pub mod paths;
pub mod reader;
pub mod search;
pub mod store;
pub mod sync;
pub mod text;
