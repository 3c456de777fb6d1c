//! Refreshes: starting one (`r`, `R`) and following its progress.

use crate::i18n::{Text, tr};
use crate::reader::msg::Effect;
use crate::reader::state::{State, StatusKind};

use super::list::refresh_list;

/// `r`/`R`: with a `[sync]` server configured, a sync (the server fetches
/// the feeds); else a refresh of the article's feed or of all.
pub(super) fn start_fetch(state: &mut State, article: Option<i64>) -> Vec<Effect> {
    if let Some(config) = state.cfg.sync.clone() {
        let Some(generation) = begin(state, false) else { return vec![] };
        state.fetch.sync = true;
        return vec![Effect::Sync { generation, config }];
    }
    match begin(state, article.is_some()) {
        Some(generation) => vec![Effect::Fetch { generation, article }],
        None => vec![],
    }
}

/// Refreshes these subscriptions (`r` in the feeds view, a feed just added).
pub(super) fn start_fetch_feeds(state: &mut State, feeds: Vec<i64>) -> Vec<Effect> {
    // An empty list would mean every subscription to the fetcher.
    if feeds.is_empty() {
        return vec![];
    }
    match begin(state, true) {
        Some(generation) => vec![Effect::FetchFeeds { generation, feeds }],
        None => vec![],
    }
}

/// The refresh policy's refresh (on start, every `refresh_every`): the
/// subscriptions that are due, quietly skipped while another refresh runs.
pub(super) fn start_auto_fetch(state: &mut State) -> Vec<Effect> {
    if state.fetch.progress.is_some() {
        return vec![];
    }
    if let Some(config) = state.cfg.sync.clone() {
        // The server refreshes the feeds; the policy's refresh is a sync.
        let Some(generation) = begin(state, false) else { return vec![] };
        state.fetch.sync = true;
        state.fetch.auto = true;
        return vec![Effect::Sync { generation, config }];
    }
    let every = state.cfg.refresh_every.map(|d| d.as_secs()).unwrap_or(0);
    match begin(state, false) {
        Some(generation) => {
            state.fetch.auto = true;
            vec![Effect::FetchDue { generation, every }]
        }
        None => vec![],
    }
}

/// A new refresh's generation, unless one is running.
fn begin(state: &mut State, one: bool) -> Option<u64> {
    if state.fetch.progress.is_some() {
        state.status = Some((StatusKind::Info, tr(Text::AlreadyUpdating, state.cfg.lang).to_string()));
        return None;
    }
    state.generations.fetch += 1;
    state.fetch.progress = Some((0, 0));
    state.fetch.failed = 0;
    state.fetch.one = one;
    state.fetch.auto = false;
    state.fetch.sync = false;
    Some(state.generations.fetch)
}

/// One feed of the refresh finished: the list reloads when it brought news.
pub(super) fn feed_fetched(state: &mut State, generation: u64, changed: bool, error: Option<String>) -> Vec<Effect> {
    if generation != state.generations.fetch || state.fetch.progress.is_none() {
        return vec![];
    }
    if let Some(e) = error {
        state.fetch.failed += 1;
        state.status = Some((StatusKind::Error, crate::reader::messages::refresh_failure(&e, state.cfg.lang)));
    }
    if !changed {
        return vec![];
    }
    let mut fx = refresh_list(state);
    fx.push(Effect::LoadCounts);
    fx
}

/// The refresh ended: say how it went.
pub(super) fn fetch_finished(state: &mut State, generation: u64, ok: bool, error: Option<String>) -> Vec<Effect> {
    if generation != state.generations.fetch || state.fetch.progress.is_none() {
        return vec![];
    }
    let total = state.fetch.progress.take().map(|p| p.1).unwrap_or(0);
    state.fetch.online |= ok;
    let lang = state.cfg.lang;
    if let Some(e) = error {
        state.status = Some((StatusKind::Error, e));
    } else if total == 0 && state.fetch.auto {
        // Nothing was due: nothing to say.
    } else if total == 0 {
        let why = if state.fetch.one { Text::NothingToRefresh } else { Text::NoFeeds };
        state.status = Some((StatusKind::Error, tr(why, lang).to_string()));
    } else if state.fetch.failed == 0 {
        state.status = Some((StatusKind::Info, tr(Text::Updated, lang).to_string()));
    } else if state.status.is_none() {
        let msg = format!("{}: {}", tr(Text::FetchFailures, lang), state.fetch.failed);
        state.status = Some((StatusKind::Error, msg));
    }
    let mut fx = if ok { vec![Effect::LoadTrending, Effect::LoadFeedStatus] } else { vec![] };
    // The feeds view shows each feed's counts and last error.
    if state.feeds.loaded {
        fx.push(Effect::LoadFeeds);
    }
    fx
}

/// At start: the last sync failed (maybe in an earlier session); said
/// unless something more recent is already in the status bar.
pub(super) fn last_sync_error(state: &mut State, error: String) -> Vec<Effect> {
    if state.status.is_none() && state.fetch.progress.is_none() {
        let text = format!("{}: {error}", tr(Text::LastSyncFailed, state.cfg.lang));
        state.status = Some((StatusKind::Error, text));
    }
    vec![]
}

/// A sync ended: the list reloads when it brought anything, the status bar
/// says how many new items came, or the error.
pub(super) fn sync_finished(state: &mut State, generation: u64, result: Result<usize, String>) -> Vec<Effect> {
    if generation != state.generations.fetch || state.fetch.progress.is_none() {
        return vec![];
    }
    state.fetch.progress = None;
    state.fetch.sync = false;
    let lang = state.cfg.lang;
    let mut fx = match result {
        Ok(new) => {
            state.fetch.online = true;
            // The policy's quiet sync says nothing when nothing came.
            if new > 0 || !state.fetch.auto {
                state.status = Some((StatusKind::Info, format!("{}: {new}", tr(Text::Synced, lang))));
            }
            let mut fx = refresh_list(state);
            fx.extend([Effect::LoadCounts, Effect::LoadTrending, Effect::LoadFeedStatus]);
            fx
        }
        Err(e) => {
            state.status = Some((StatusKind::Error, e));
            vec![]
        }
    };
    if state.feeds.loaded {
        fx.push(Effect::LoadFeeds);
    }
    fx
}
