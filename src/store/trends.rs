//! The reads computed trending makes outside its counts: where the window
//! ends. (The counts themselves are `store::topic_counts`; this room held
//! the text-scanning reads before them.)

use super::{Result, Store, map_err};

impl Store {
    /// The newest `sort_key` not after `at_most`.
    pub fn newest_sort_key(&self, at_most: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT max(sort_key) FROM articles WHERE sort_key <= ?", [at_most], |r| r.get(0))
            .map_err(|e| map_err(&self.path, e))
    }
}
