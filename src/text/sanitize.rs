//! Untrusted text (feeds, pages, dumps) must never drive the terminal.
//!
//! PLACEHOLDER: the text-engine issue replaces this with the full rule set.

/// Removes control characters; tabs become spaces.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}
