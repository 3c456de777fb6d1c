//! `/` search: typing a query, its ranked hits in place of the list, the
//! matches in the open article (`n`/`N`), and Esc back to the list.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::{Text, tr};
use crate::model::ArticleSummary;
use crate::reader::msg::Effect;
use crate::reader::state::{Focus, ListView, Mode, Search, State, StatusKind};

use super::article::clamp_scroll;
use super::list::{clamp_list, refresh_list_now, selection_changed};

/// The query changed: ask for results (the worker debounces), or show the
/// normal list again for an empty query.
fn search_changed(state: &mut State) -> Vec<Effect> {
    state.generations.search += 1;
    let generation = state.generations.search;
    let Some(s) = state.search.as_mut() else { return vec![] };
    s.generation = generation;
    s.loaded = false;
    if s.is_active() {
        let query = s.query.clone();
        return vec![Effect::Search { generation, query }];
    }
    restore_list(state)
}

/// Puts back the list the search replaced (reloading it if a refresh or a
/// filter change happened meanwhile).
fn restore_list(state: &mut State) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else { return vec![] };
    let saved = s.saved_list.clone();
    let stale = !saved.loaded;
    s.saved_list.loaded = true;
    let before = state.list.selected_row().map(|r| r.id);
    state.list = saved;
    state.list.loaded = true;
    clamp_list(state);
    let mut fx = Vec::new();
    if state.list.selected_row().map(|r| r.id) != before {
        fx.extend(selection_changed(state));
    }
    if stale {
        // Reload with the search out of the way (reload_at defers while one shows).
        let search = state.search.take();
        fx.extend(refresh_list_now(state));
        state.search = search;
    }
    fx
}

/// Esc: the search ends and the normal list comes back.
pub(super) fn end_search(state: &mut State) -> Vec<Effect> {
    state.mode = Mode::Normal;
    if state.search.is_none() {
        return vec![];
    }
    state.generations.search += 1;
    let fx = restore_list(state);
    state.search = None;
    if let Some(r) = state.reader.as_mut() {
        r.current_match = None;
    }
    fx
}

pub(super) fn search_key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else {
        state.mode = Mode::Normal;
        return vec![];
    };
    match k.code {
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            if !s.is_active() {
                state.search = None;
            }
            vec![]
        }
        KeyCode::Esc => end_search(state),
        KeyCode::Backspace => {
            if s.query.pop().is_some() {
                search_changed(state)
            } else {
                vec![]
            }
        }
        KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
            s.query.clear();
            search_changed(state)
        }
        KeyCode::Char(c) if !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) && !c.is_control() => {
            s.query.push(c);
            search_changed(state)
        }
        _ => vec![],
    }
}

/// Lines of the open article that hold a match of the search.
fn match_lines(state: &State) -> Vec<usize> {
    let (Some(q), Some(r)) = (state.search_query(), state.reader.as_ref()) else { return vec![] };
    let Ok(q) = crate::search::parse(q) else { return vec![] };
    r.lines.iter().enumerate().filter(|(_, l)| !q.highlight(&l.text).is_empty()).map(|(i, _)| i).collect()
}

/// Lines kept above a match jumped to.
const MATCH_CONTEXT: usize = 2;

fn goto_match(state: &mut State, line: usize) {
    if let Some(r) = state.reader.as_mut() {
        r.current_match = Some(line);
        r.scroll = line.saturating_sub(MATCH_CONTEXT);
    }
    clamp_scroll(state);
}

/// A freshly opened article during a search: the first match is brought
/// into view when it is below the first screen.
pub(super) fn first_match_into_view(state: &mut State) {
    let rows = state.reader_rows();
    if let Some(&m) = match_lines(state).first()
        && m >= rows
    {
        goto_match(state, m);
    }
}

/// `n` / `N` with a search and an open article: the next / previous match,
/// wrapping around.
pub(super) fn jump_match(state: &mut State, forward: bool) -> Vec<Effect> {
    let lines = match_lines(state);
    let lang = state.cfg.lang;
    let Some(r) = state.reader.as_ref() else { return vec![] };
    if lines.is_empty() {
        state.status = Some((StatusKind::Info, tr(Text::NoMatches, lang).to_string()));
        return vec![];
    }
    // Without a current match, the one at or below the top of the screen.
    let next = if forward {
        match r.current_match {
            Some(c) => lines.iter().copied().find(|&m| m > c),
            None => lines.iter().copied().find(|&m| m >= r.scroll),
        }
    } else {
        match r.current_match {
            Some(c) => lines.iter().rev().copied().find(|&m| m < c),
            None => lines.iter().rev().copied().find(|&m| m < r.scroll + MATCH_CONTEXT),
        }
    };
    let target = match next {
        Some(m) => m,
        None => {
            state.status = Some((StatusKind::Info, tr(Text::Wrapped, lang).to_string()));
            if forward { lines[0] } else { lines[lines.len() - 1] }
        }
    };
    goto_match(state, target);
    vec![]
}

/// `n`/`N` act on matches when a search is active and the article has the
/// focus (in narrow mode: is shown).
pub(super) fn matching(state: &State) -> bool {
    state.search_query().is_some()
        && state.focus == Focus::Reader
        && state.reader.as_ref().is_some_and(|r| r.article.is_some())
}

/// Ranked hits for the current query replace the list.
pub(super) fn search_results(state: &mut State, generation: u64, mut rows: Vec<ArticleSummary>) -> Vec<Effect> {
    let Some(s) = state.search.as_mut().filter(|s| s.generation == generation && s.is_active()) else {
        return vec![];
    };
    rows.iter_mut().for_each(|r| state.marks.overlay(r));
    s.loaded = true;
    let before = state.list.selected_row().map(|r| r.id);
    let rows = super::list::in_zone(rows, state.cfg.timezone);
    state.list = ListView { rows, at_start: true, at_end: true, loaded: true, ..ListView::default() };
    clamp_list(state);
    if state.list.selected_row().map(|r| r.id) != before { selection_changed(state) } else { vec![] }
}

pub(super) fn search_failed(state: &mut State, generation: u64, error: String) -> Vec<Effect> {
    if state.search.as_ref().is_some_and(|s| s.generation == generation) {
        if let Some(s) = state.search.as_mut() {
            s.loaded = true;
        }
        state.status = Some((StatusKind::Error, error));
    }
    vec![]
}

/// `/`: typing a search; the list as it is now comes back with Esc.
pub(super) fn begin_search(state: &mut State) -> Vec<Effect> {
    state.mode = Mode::Search;
    state.focus = Focus::List;
    if state.search.is_none() {
        let saved_list = state.list.clone();
        state.search = Some(Search { query: String::new(), generation: 0, loaded: false, saved_list });
    }
    vec![]
}
