//! The pure state transition: `update(&mut State, Msg) -> Vec<Effect>`,
//! split by the part of the state a message or key works on: the headline
//! list and its paging (`list`), the reading pane (`article`), `/`
//! search (`search`), refreshes (`fetch`), the trending section
//! (`topics`), the feeds view and bulk marks (`feeds`), keys (`keys`) and
//! the mouse (`mouse`).

use crate::reader::msg::{Cursor, Effect, Msg};
use crate::reader::state::{State, StatusKind};

mod article;
pub mod command;
mod feeds;
mod fetch;
mod keys;
mod list;
mod mouse;
pub mod pipe;
mod search;
mod topics;

use article::{article_arrived, full_text_stored, relayout};
use fetch::{feed_fetched, fetch_finished};
use keys::key;
use list::{clamp_list, load, more_rows, page, page_failed};
use mouse::mouse;
use search::{search_failed, search_results};
use topics::{clamp_topics, computed_topics, site_topics};

/// The effects that start a session: the first page (around the last
/// selection), counts and trending topics.
pub fn init(state: &mut State, selected: Option<i64>) -> Vec<Effect> {
    let cursor = selected.map(Cursor::Around).unwrap_or(Cursor::First);
    let mut fx = vec![load(state, cursor)];
    state.list.loading_fwd = true;
    fx.push(Effect::LoadCounts);
    fx.push(Effect::LoadTrending);
    fx.push(Effect::LoadFeedStatus);
    if state.cfg.sync.is_some() {
        fx.push(Effect::LoadSyncError);
    }
    if state.cfg.refresh_on_start {
        fx.extend(fetch::start_auto_fetch(state));
    }
    fx
}

/// [`init`] on the first launch: the seed article selected and open, half
/// way down the list pane so the news around it shows too.
pub fn first_launch(state: &mut State, seed: i64) -> Vec<Effect> {
    state.pending.keep_row = Some(state.geometry().list_rows() / 2);
    init(state, Some(seed))
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => key(state, k),
        Msg::Mouse(m) if state.feeds.open => feeds::mouse(state, m),
        Msg::Mouse(m) => mouse(state, m),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            relayout(state);
            clamp_list(state);
            clamp_topics(state);
            more_rows(state)
        }
        Msg::Page { generation, cursor, limit, rows, anchor } => page(state, generation, cursor, limit, rows, anchor),
        Msg::PageFailed { generation, error } => page_failed(state, generation, error),
        Msg::Article { generation, article } => article_arrived(state, generation, article),
        Msg::ArticleFailed { generation, error } => {
            if generation == state.generations.article {
                state.status = Some((StatusKind::Error, error));
            }
            vec![]
        }
        Msg::FullText { id, error } => full_text_stored(state, id, error),
        Msg::Counts(c) => {
            state.counts = c;
            vec![]
        }
        Msg::Trending(entries) => site_topics(state, entries),
        Msg::ComputedTrending(list) => computed_topics(state, list),
        Msg::WriteFailed(e) => {
            state.status = Some((StatusKind::Error, e));
            vec![Effect::LoadCounts]
        }
        Msg::MarkWritten(_) | Msg::MarkFailed { .. } | Msg::MarkDropped { .. } => mark_reported(state, msg),
        Msg::Error(e) => {
            state.status = Some((StatusKind::Error, e));
            vec![]
        }
        Msg::FeedStatus { recent_success, feeds } => {
            state.fetch.feeds = feeds;
            state.fetch.online |= recent_success;
            vec![]
        }
        Msg::FetchProgress { generation, done, total } => {
            if generation == state.generations.fetch && state.fetch.progress.is_some() {
                state.fetch.progress = Some((done, total));
            }
            vec![]
        }
        Msg::FetchFeed { generation, changed, error } => feed_fetched(state, generation, changed, error),
        Msg::FetchFinished { generation, ok, error } => fetch_finished(state, generation, ok, error),
        Msg::LastSyncError(e) => fetch::last_sync_error(state, e),
        Msg::SyncFinished { generation, result } => fetch::sync_finished(state, generation, result),
        Msg::SearchResults { generation, rows } => search_results(state, generation, rows),
        Msg::SearchFailed { generation, error } => search_failed(state, generation, error),
        Msg::Feeds(rows) => feeds::feeds_arrived(state, rows),
        Msg::Marked(ids) => feeds::marked(state, ids),
        Msg::Unmarked(n) => feeds::unmarked(state, n),
        Msg::FeedAdded { id, new } => feeds::feed_added(state, id, new),
        Msg::FeedRemoved(_) => feeds::feed_changed(state, true),
        Msg::FeedRenamed(_) => feeds::feed_changed(state, false),
        Msg::NotFromFeed => feeds::not_from_feed(state),
        Msg::RefreshTimer => fetch::start_auto_fetch(state),
        Msg::Exported { path, feeds } => exported(state, &path, feeds),
        Msg::ExportFailed { path, kind, detail } => {
            let text = crate::reader::messages::write_failed(&path, kind, &detail, state.cfg.lang);
            state.status = Some((StatusKind::Error, text));
            vec![]
        }
        Msg::Piped { command, code, output } => pipe::piped(state, &command, code, &output),
    }
}

/// The marks thread reported on a mark.
fn mark_reported(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::MarkWritten(m) => {
            state.marks.landed(m);
            vec![]
        }
        Msg::MarkFailed { mark, error } => {
            // Still pending: the writer retries; the status bar counts it.
            if !state.marks.waiting {
                tracing::warn!("mark {mark:?} not written yet: {error}");
            }
            state.marks.waiting = true;
            vec![]
        }
        Msg::MarkDropped { mark, error } => {
            state.marks.drop_target(mark);
            state.status = Some((StatusKind::Error, error));
            vec![Effect::LoadCounts]
        }
        _ => vec![],
    }
}

/// `:export` wrote the subscriptions.
fn exported(state: &mut State, path: &str, feeds: usize) -> Vec<Effect> {
    let text =
        format!("{}: {feeds} → {path}", crate::reader::texts::t(crate::reader::texts::T::Exported, state.cfg.lang));
    state.status = Some((StatusKind::Info, text));
    vec![]
}
