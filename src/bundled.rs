//! The sample archive shipped inside the binary (`data/`, embedded by
//! `build.rs`), imported on the first run of the reader on an empty archive.
//! Page dumps and feed files (`data/feeds/`) both go through
//! `ingest::import_sources`, which tells them apart by content.

use crate::ingest::{self, ImportReport, Source};
use crate::store::{Store, StoreError};

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Whether a bundled file is something the importer reads (licence notes and
/// READMEs beside the data are not).
fn importable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(lower.ends_with(".md") || lower.contains("licen") || lower.starts_with('.'))
}

/// Imports the bundled sample archive.
pub fn import(store: &mut Store) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let mut sources = FILES
        .iter()
        .filter(|(name, _)| importable(name))
        .map(|(name, bytes)| Ok(Source { name: format!("data/{name}"), bytes: (*bytes).into() }));
    ingest::import_sources(store, &mut sources, &mut report, &crate::extract::Rules::default())?;
    Ok(report)
}

/// The site of the seed article, the caravan.kz page the project started
/// from: the first launch opens on it, its «В тренде» block beside it.
pub const SEED_SITE: &str = "Караван";

/// The seed article's id in an archive that holds the bundled sample.
pub fn seed_article(store: &Store) -> Result<Option<i64>, StoreError> {
    let q = crate::store::ListQuery { site: Some(SEED_SITE.into()), limit: 1, ..Default::default() };
    Ok(store.list(&q)?.first().map(|r| r.id))
}

/// Imports the bundled archive if the store holds no article yet.
pub fn seed_if_empty(store: &mut Store) -> Result<Option<ImportReport>, StoreError> {
    if !store.is_empty()? {
        return Ok(None);
    }
    import(store).map(Some)
}
