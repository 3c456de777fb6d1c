//! The reading-pane text engine: pure functions from article text to lines of
//! a given display width. No terminal, no I/O, so `svodka render`, the TUI and
//! the tests all see exactly the same lines.
//!
//! [`decode`] sits here too: bytes of any Cyrillic code page to text, the
//! step before everything else in this room.

pub mod cap;
pub mod decode;
pub mod html;
pub mod hyphenate;
pub mod layout;
pub mod sanitize;
pub mod sniff;
pub mod width;
pub mod wrap;

pub use layout::{CacheKey, Document, LayoutCache, LayoutOptions, Line, LineStyle, PreparedDocument, layout_document};
pub use sanitize::sanitize;
