//! The feeds view's effects: reading the subscriptions with their counts,
//! the bulk marks and their undo, and adding, removing and renaming a
//! subscription. Run on the list worker like every other archive job.

use super::ONLINE_WITHIN;
use crate::reader::msg::{Effect, Msg};
use crate::store::{Store, StoreError};

/// The feeds view's reads and the bulk and subscription writes.
pub(super) fn perform(store: &mut Store, effect: &Effect) -> Vec<Msg> {
    let r = match effect {
        Effect::LoadFeeds => {
            return match feed_rows(store) {
                Ok(rows) => vec![Msg::Feeds(rows)],
                Err(e) => vec![Msg::Error(e.to_string())],
            };
        }
        Effect::MarkRead(target) => match mark_target(store, target) {
            Ok(Some(ids)) => Ok(Msg::Marked(ids)),
            Ok(None) => Ok(Msg::NotFromFeed),
            Err(e) => Err(e),
        },
        Effect::MarkUnread(ids) => store.mark_unread_ids(ids).map(Msg::Unmarked),
        Effect::AddFeed(url, tags) => store.add_feed(url, None, tags).map(|(id, new)| Msg::FeedAdded { id, new }),
        Effect::ExportOpml(path) => return vec![export(store, path.as_deref())],
        Effect::RemoveFeed(id) => store.remove_feed(*id).map(|_| Msg::FeedRemoved(*id)),
        Effect::RenameFeed { id, title } => store.rename_feed(*id, title).map(|_| Msg::FeedRenamed(*id)),
        _ => return vec![],
    };
    vec![r.unwrap_or_else(|e| Msg::WriteFailed(e.to_string()))]
}

/// Subscriptions with counts; «офлайн» without a success within [`ONLINE_WITHIN`].
fn feed_rows(store: &Store) -> Result<Vec<crate::reader::state::FeedRow>, StoreError> {
    let since = super::now() - ONLINE_WITHIN;
    let recent = |t: &Option<String>| {
        t.as_deref().and_then(crate::model::Stamp::parse_iso).is_some_and(|t| t.sort_key() >= since)
    };
    Ok(store
        .feeds()?
        .into_iter()
        .map(|feed| crate::reader::state::FeedRow { offline: !recent(&feed.last_success), feed })
        .collect())
}

/// The ids a bulk mark changed; `None` for the feed of an article that came
/// from no feed.
fn mark_target(store: &mut Store, target: &crate::reader::msg::MarkTarget) -> Result<Option<Vec<i64>>, StoreError> {
    use crate::reader::msg::MarkTarget as M;
    use crate::store::bulk::MarkScope;
    let scope = match target {
        M::Feeds(f) => MarkScope::Feeds(f.clone()),
        M::FeedOf(id) => match store.article_feed(*id)? {
            Some(f) => MarkScope::Feeds(vec![f]),
            None => return Ok(None),
        },
        M::Filter(f) => {
            let q = crate::store::ListQuery { unread_only: true, ..super::resolve(store, f, usize::MAX)? };
            MarkScope::Ids(store.list(&q)?.into_iter().map(|r| r.id).collect())
        }
        M::Ids(ids) => MarkScope::Ids(ids.clone()),
        M::All => MarkScope::All,
    };
    store.mark_read_bulk(&scope).map(Some)
}

/// `:export`: the subscriptions as OPML at `path` (`svodka.opml` in the
/// working directory by default; `~/` is the home directory).
fn export(store: &Store, path: Option<&str>) -> Msg {
    let path = export_path(path.unwrap_or("svodka.opml"));
    let shown = crate::text::sanitize(&path.display().to_string());
    let feeds = match store.feeds() {
        Ok(f) => f,
        Err(e) => return Msg::Error(e.to_string()),
    };
    let subs = crate::ingest::opml::from_feeds(&feeds);
    match std::fs::write(&path, crate::ingest::opml::write_opml(&subs)) {
        Ok(()) => Msg::Exported { path: shown, feeds: subs.len() },
        Err(e) => Msg::ExportFailed { path: shown, kind: e.kind(), detail: crate::text::sanitize(&e.to_string()) },
    }
}

fn export_path(typed: &str) -> std::path::PathBuf {
    let typed = typed.trim();
    let p = match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(typed),
    };
    std::path::absolute(&p).unwrap_or(p)
}
