//! The headline list: keyset pages in and out of a window of rows (never
//! the whole archive), the selection, and reloads when the filter changes.

use crate::model::ArticleSummary;
use crate::reader::msg::{Cursor, Effect, PageQuery};
use crate::reader::state::{Focus, ListView, PAGE, State, StatusKind, WINDOW_MAX};

use super::article::{relayout, scroll, set_read, show_article};
use super::topics::clamp_topics;

pub(super) fn load(state: &mut State, cursor: Cursor) -> Effect {
    Effect::LoadPage {
        generation: state.generations.list,
        query: PageQuery { filter: state.filter.clone(), cursor, limit: PAGE },
    }
}

/// The filter changed: a new generation, a fresh first page; results of the
/// old filter still in flight are dropped when they arrive.
pub(super) fn reload(state: &mut State) -> Vec<Effect> {
    reload_at(state, Cursor::First)
}

pub(super) fn reload_at(state: &mut State, cursor: Cursor) -> Vec<Effect> {
    if let Some(s) = state.search.as_mut().filter(|s| s.is_active()) {
        // The list shows search hits: the normal list reloads when the search ends.
        s.saved_list.loaded = false;
        return vec![];
    }
    state.generations.list += 1;
    state.list.loading_fwd = true;
    state.list.loading_back = false;
    state.pending.next_unread = false;
    vec![load(state, cursor)]
}

/// Asks for the next or previous page when the selection nears the edge of
/// the window.
pub(super) fn more_rows(state: &mut State) -> Vec<Effect> {
    let margin = state.geometry().list_rows().max(10);
    let mut fx = Vec::new();
    let l = &state.list;
    if !l.loaded {
        return fx;
    }
    if !l.at_end
        && !l.loading_fwd
        && l.selected + margin >= l.rows.len()
        && let Some(last) = l.rows.last()
    {
        let c = Cursor::After((last.sort_key, last.id));
        state.list.loading_fwd = true;
        fx.push(load(state, c));
    }
    let l = &state.list;
    if !l.at_start
        && !l.loading_back
        && l.selected < margin
        && let Some(first) = l.rows.first()
    {
        let c = Cursor::Before((first.sort_key, first.id));
        state.list.loading_back = true;
        fx.push(load(state, c));
    }
    fx
}

/// In wide mode the reading pane previews the selected headline (without
/// marking it read: only opening does).
pub(super) fn selection_changed(state: &mut State) -> Vec<Effect> {
    if !state.wide() {
        return vec![];
    }
    match state.list.selected_row().map(|r| r.id) {
        Some(id) => show_article(state, id),
        None => {
            state.reader = None;
            vec![]
        }
    }
}

pub(super) fn clamp_list(state: &mut State) {
    let rows = state.geometry().list_rows().max(1);
    let l = &mut state.list;
    l.selected = l.selected.min(l.rows.len().saturating_sub(1));
    if l.selected < l.offset {
        l.offset = l.selected;
    }
    if l.selected >= l.offset + rows {
        l.offset = l.selected + 1 - rows;
    }
    l.offset = l.offset.min(l.rows.len().saturating_sub(1));
    // Day headers take lines too: scroll on until the selection shows (or
    // it is the first row, shown whatever the height).
    while state.list.offset < state.list.selected && !state.list_lines(rows).contains(&Some(state.list.selected)) {
        state.list.offset += 1;
    }
    // Scrolled up to the new rows: the hint has done its job.
    state.list.new_above = state.list.new_above.min(state.list.offset);
}

/// New articles arrived (a refresh): reload the list around the selected
/// article, on the same screen line. A search shows a snapshot; its saved
/// list is reloaded when the search ends.
pub(super) fn refresh_list(state: &mut State) -> Vec<Effect> {
    if let Some(s) = state.search.as_mut() {
        s.saved_list.loaded = false;
        return vec![];
    }
    match state.list.selected_row().map(|r| r.id) {
        Some(id) => {
            state.pending.keep_row = Some(state.list.selected.saturating_sub(state.list.offset));
            let fx = reload_at(state, Cursor::Around(id));
            state.pending.count_new = true;
            fx
        }
        None => reload(state),
    }
}

pub(super) fn refresh_list_now(state: &mut State) -> Vec<Effect> {
    match state.list.selected_row().map(|r| r.id) {
        Some(id) => {
            state.pending.keep_row = Some(state.list.selected.saturating_sub(state.list.offset));
            let fx = reload_at(state, Cursor::Around(id));
            state.pending.count_new = true;
            fx
        }
        None => reload_at(state, Cursor::First),
    }
}

pub(super) fn select(state: &mut State, i: usize) -> Vec<Effect> {
    let before = state.list.selected_row().map(|r| r.id);
    state.list.selected = i;
    clamp_list(state);
    let mut fx = Vec::new();
    if state.list.selected_row().map(|r| r.id) != before {
        fx.extend(selection_changed(state));
    }
    fx.extend(more_rows(state));
    fx
}

pub(super) fn step(state: &mut State, n: isize) -> Vec<Effect> {
    match state.focus {
        Focus::List => {
            let i = (state.list.selected as isize + n).clamp(0, state.list.rows.len().saturating_sub(1) as isize);
            select(state, i as usize)
        }
        Focus::Trending => {
            let i = (state.topics.selected as isize + n).clamp(0, state.topics.items.len().saturating_sub(1) as isize);
            state.topics.selected = i as usize;
            clamp_topics(state);
            vec![]
        }
        Focus::Reader => {
            scroll(state, n);
            vec![]
        }
    }
}

pub(super) fn step_list(state: &mut State, n: isize) -> Vec<Effect> {
    let focus = state.focus;
    state.focus = Focus::List;
    let fx = step(state, n);
    state.focus = focus;
    fx
}

pub(super) fn next_unread(state: &mut State) -> Vec<Effect> {
    let from = if state.list.selected_row().is_some_and(|r| !r.read) && state.focus != Focus::Reader {
        state.list.selected
    } else {
        state.list.selected + 1
    };
    if let Some(i) = state.list.rows.iter().skip(from).position(|r| !r.read).map(|p| p + from) {
        let mut fx = select(state, i);
        fx.extend(open_selected(state));
        return fx;
    }
    if !state.list.at_end {
        // Page on; `page` continues the search.
        state.list.selected = state.list.rows.len().saturating_sub(1);
        clamp_list(state);
        state.pending.next_unread = true;
        let mut fx = more_rows(state);
        if fx.is_empty() && state.list.loading_fwd {
            return fx;
        }
        fx.retain(|e| matches!(e, Effect::LoadPage { query: PageQuery { cursor: Cursor::After(_), .. }, .. }));
        return fx;
    }
    vec![]
}

/// Opens the selected headline: reading pane, marked read.
pub(super) fn open_selected(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.list.selected_row() else { return vec![] };
    let (id, read) = (row.id, row.read);
    let mut fx = show_article(state, id);
    state.focus = Focus::Reader;
    if !read {
        fx.extend(set_read(state, id, true));
    }
    relayout(state);
    fx
}

pub(super) fn page_failed(state: &mut State, generation: u64, error: String) -> Vec<Effect> {
    if generation == state.generations.list {
        state.list.loading_fwd = false;
        state.list.loading_back = false;
        state.list.loaded = true;
        state.status = Some((StatusKind::Error, error));
    }
    vec![]
}

/// A list page arrived: merge it into the window, then follow up (a pending
/// `n`, the preview of a new selection, the next page).
pub(super) fn page(
    state: &mut State,
    generation: u64,
    cursor: Cursor,
    limit: usize,
    mut rows: Vec<ArticleSummary>,
    anchor: Option<usize>,
) -> Vec<Effect> {
    if generation != state.generations.list {
        return vec![];
    }
    // The archive may not have the newest marks yet: show them as made.
    rows.iter_mut().for_each(|r| state.marks.overlay(r));
    let before_id = state.list.selected_row().map(|r| r.id);
    // Only the page that answers a keeping reload uses it.
    let keep_row = state.pending.keep_row.take();
    let rows = in_zone(rows, state.cfg.timezone);
    // Rows a refresh put above the pane, counted against the old window:
    // with the window at the top every unknown row is new; else only those
    // below its first row (rows above it were never seen, new or not).
    let known: Option<(std::collections::HashSet<i64>, bool)> = std::mem::take(&mut state.pending.count_new)
        .then(|| (state.list.rows.iter().map(|r| r.id).collect(), state.list.at_start));
    // Paging on keeps the hint; a list loaded afresh has none.
    let before_new = if matches!(cursor, Cursor::After(_) | Cursor::Before(_)) || known.is_some() {
        state.list.new_above
    } else {
        0
    };
    merge_page(&mut state.list, cursor, limit, rows, anchor, keep_row);
    clamp_list(state);
    let l = &mut state.list;
    l.new_above = match known {
        Some((known, whole)) => {
            let above = &l.rows[..l.offset];
            let from = if whole { 0 } else { above.iter().position(|r| known.contains(&r.id)).unwrap_or(above.len()) };
            before_new + above[from..].iter().filter(|r| !known.contains(&r.id)).count()
        }
        None => before_new,
    };
    l.new_above = l.new_above.min(l.offset);
    let mut fx = Vec::new();
    if state.pending.next_unread {
        state.pending.next_unread = false;
        fx.extend(next_unread(state));
    }
    if state.list.selected_row().map(|r| r.id) != before_id {
        fx.extend(selection_changed(state));
    }
    fx.extend(more_rows(state));
    fx
}

/// Rows with their times on the user's clock: the day headers, the list's
/// times and «сегодня» all follow from it.
pub(super) fn in_zone(mut rows: Vec<ArticleSummary>, tz: time::UtcOffset) -> Vec<ArticleSummary> {
    for r in &mut rows {
        r.published = r.published.map(|p| crate::i18n::in_zone(p, tz));
    }
    rows
}

/// Puts a page's rows into the window: replacing it (first, last, around)
/// or at either end, dropping the far end beyond [`WINDOW_MAX`].
fn merge_page(
    l: &mut ListView,
    cursor: Cursor,
    limit: usize,
    rows: Vec<ArticleSummary>,
    anchor: Option<usize>,
    keep_row: Option<usize>,
) {
    let full = rows.len() >= limit;
    l.loaded = true;
    match cursor {
        Cursor::First => {
            l.loading_fwd = false;
            l.rows = rows;
            l.selected = 0;
            l.offset = 0;
            l.at_start = true;
            l.at_end = !full;
        }
        Cursor::Around(_) => {
            l.loading_fwd = false;
            let a = anchor.unwrap_or(0);
            // The worker asked for `limit / 2` newer rows: fewer is the top.
            l.at_start = anchor.is_none() || a < limit / 2;
            // The worker fetched `limit` rows from the anchor on.
            l.at_end = rows.len().saturating_sub(a) < limit;
            l.rows = rows;
            l.selected = a.min(l.rows.len().saturating_sub(1));
            l.offset = l.selected.saturating_sub(keep_row.unwrap_or(0));
        }
        Cursor::Last => {
            l.loading_fwd = false;
            l.loading_back = false;
            l.rows = rows;
            l.selected = l.rows.len().saturating_sub(1);
            l.offset = l.selected;
            l.at_end = true;
            l.at_start = !full;
        }
        Cursor::After(_) => {
            l.loading_fwd = false;
            l.rows.extend(rows);
            l.at_end = !full;
            if l.rows.len() > WINDOW_MAX {
                let drop = l.rows.len() - WINDOW_MAX;
                l.rows.drain(..drop);
                l.selected = l.selected.saturating_sub(drop);
                l.offset = l.offset.saturating_sub(drop);
                l.at_start = false;
            }
        }
        Cursor::Before(_) => {
            l.loading_back = false;
            let n = rows.len();
            l.rows.splice(0..0, rows);
            l.selected += n;
            l.offset += n;
            l.at_start = !full;
            if l.rows.len() > WINDOW_MAX {
                l.rows.truncate(WINDOW_MAX);
                l.at_end = false;
            }
        }
    }
}
