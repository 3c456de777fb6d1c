//! The reader's sync: `sync::run_configured` on a thread of its own (its
//! own archive connection), its progress as `FetchProgress` messages and
//! its end as `SyncFinished`, like a refresh's.

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use crate::reader::msg::Msg;
use crate::store::Store;
use crate::sync::{Progress, SyncConfig};

/// Runs one sync on `store`, telling `sink` as it goes (`sink` returns
/// false when nobody listens any more; the sync still finishes).
pub fn run(store: &mut Store, generation: u64, config: &SyncConfig, sink: &mut dyn FnMut(Msg) -> bool) {
    let mut progress = |p: Progress| {
        let (done, total) = match p {
            Progress::Pushing { done, total } => (done, total),
            Progress::Items { received } => (received, 0),
            Progress::Feeds | Progress::Flags => return,
        };
        sink(Msg::FetchProgress { generation, done, total });
    };
    let result = crate::sync::run_configured(store, config, &mut progress)
        .map(|r| r.items_added)
        .map_err(|e| crate::text::sanitize(&e.to_string()));
    sink(Msg::SyncFinished { generation, result });
}

/// Starts [`run`] on its own thread.
pub fn spawn(path: PathBuf, generation: u64, config: SyncConfig, out: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new().name("sync".into()).spawn(move || match Store::open(&path) {
        Ok(mut store) => run(&mut store, generation, &config, &mut |m| out.send(m).is_ok()),
        Err(e) => {
            let _ = out.send(Msg::SyncFinished { generation, result: Err(e.to_string()) });
        }
    })?;
    Ok(())
}
