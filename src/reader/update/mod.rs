//! The pure state transition: `update(&mut State, Msg) -> Vec<Effect>`.

use std::sync::Arc;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use crate::i18n::{Text, tr};
use crate::reader::keymap::Action;
use crate::reader::msg::{Cursor, Effect, Msg, PageQuery};
use crate::reader::state::{Focus, ListView, Mode, PAGE, Reader, Search, State, StatusKind, Topic, WINDOW_MAX};

/// Lines the mouse wheel scrolls.
const WHEEL: usize = 3;

/// The effects that start a session: the first page (around the last
/// selection), counts and trending topics.
pub fn init(state: &mut State, selected: Option<i64>) -> Vec<Effect> {
    let cursor = selected.map(Cursor::Around).unwrap_or(Cursor::First);
    let mut fx = vec![load(state, cursor)];
    state.list.loading_fwd = true;
    fx.push(Effect::LoadCounts);
    fx.push(Effect::LoadTrending);
    fx.push(Effect::LoadFeedStatus);
    fx
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => key(state, k),
        Msg::Mouse(m) => mouse(state, m),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            relayout(state);
            clamp_list(state);
            clamp_topics(state);
            more_rows(state)
        }
        Msg::Page { generation, cursor, limit, rows, anchor } => page(state, generation, cursor, limit, rows, anchor),
        Msg::PageFailed { generation, error } => {
            if generation == state.generations.list {
                state.list.loading_fwd = false;
                state.list.loading_back = false;
                state.list.loaded = true;
                state.status = Some((StatusKind::Error, error));
            }
            vec![]
        }
        Msg::Article { generation, article } => {
            if generation != state.generations.article {
                return vec![];
            }
            let width = state.reader_width();
            let lines = state.cache.get(&article, width, &state.cfg);
            let old = state.reader.as_ref().filter(|r| r.id == article.summary.id);
            let (scroll, fresh) = old.map(|r| (r.scroll, r.article.is_none())).unwrap_or((0, true));
            state.reader = Some(Reader {
                id: article.summary.id,
                article: Some(article),
                lines,
                width,
                scroll,
                current_match: None,
            });
            clamp_scroll(state);
            if fresh && scroll == 0 {
                first_match_into_view(state);
            }
            vec![]
        }
        Msg::FullText { id, error } => {
            if let Some(e) = error {
                state.status = Some((StatusKind::Error, crate::text::sanitize(&e)));
                return vec![];
            }
            state.status = Some((StatusKind::Info, tr(Text::FullTextSaved, state.cfg.lang).to_string()));
            state.cache.forget(id);
            if state.reader.as_ref().is_none_or(|r| r.id != id) {
                return vec![];
            }
            // Reload the open article in place (its scroll is kept).
            state.generations.article += 1;
            vec![Effect::LoadArticle { generation: state.generations.article, id }]
        }
        Msg::ArticleFailed { generation, error } => {
            if generation == state.generations.article {
                state.status = Some((StatusKind::Error, error));
            }
            vec![]
        }
        Msg::Counts(c) => {
            state.counts = c;
            vec![]
        }
        Msg::Trending(entries) => {
            // One row per topic, newest capture first (entries come sorted);
            // computed topics stay after the site's.
            let mut topics: Vec<Topic> = Vec::new();
            for e in entries {
                let topic = crate::text::sanitize(&e.topic);
                if !topic.trim().is_empty() && !topics.iter().any(|t| t.topic == topic) {
                    topics.push(Topic { topic, headline: crate::text::sanitize(&e.headline), computed: None });
                }
            }
            topics.extend(state.topics.items.drain(..).filter(|t| t.computed.is_some()));
            state.topics.items = topics;
            // The section may appear and take lines from the list.
            clamp_list(state);
            clamp_topics(state);
            if state.focus == Focus::Trending && state.topics.items.is_empty() {
                state.focus = Focus::List;
            }
            vec![]
        }
        Msg::WriteFailed(e) => {
            state.status = Some((StatusKind::Error, e));
            vec![Effect::LoadCounts]
        }
        Msg::Error(e) => {
            state.status = Some((StatusKind::Error, e));
            vec![]
        }
        Msg::ComputedTrending(list) => {
            state.topics.items.retain(|t| t.computed.is_none());
            for t in list {
                let topic = crate::text::sanitize(&t.topic);
                if !topic.trim().is_empty() {
                    state.topics.items.push(Topic {
                        topic,
                        headline: crate::text::sanitize(&t.headline),
                        computed: Some((t.query, t.articles)),
                    });
                }
            }
            clamp_list(state);
            clamp_topics(state);
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
        Msg::FetchFeed { generation, changed, error } => {
            if generation != state.generations.fetch || state.fetch.progress.is_none() {
                return vec![];
            }
            if let Some(e) = error {
                state.fetch.failed += 1;
                state.status = Some((StatusKind::Error, e));
            }
            if !changed {
                return vec![];
            }
            let mut fx = refresh_list(state);
            fx.push(Effect::LoadCounts);
            fx
        }
        Msg::FetchFinished { generation, ok, error } => {
            if generation != state.generations.fetch || state.fetch.progress.is_none() {
                return vec![];
            }
            let total = state.fetch.progress.take().map(|p| p.1).unwrap_or(0);
            state.fetch.online |= ok;
            let lang = state.cfg.lang;
            if let Some(e) = error {
                state.status = Some((StatusKind::Error, e));
            } else if total == 0 {
                let why = if state.fetch.one { Text::NothingToRefresh } else { Text::NoFeeds };
                state.status = Some((StatusKind::Error, tr(why, lang).to_string()));
            } else if state.fetch.failed == 0 {
                state.status = Some((StatusKind::Info, tr(Text::Updated, lang).to_string()));
            } else if state.status.is_none() {
                let msg = format!("{}: {}", tr(Text::FetchFailures, lang), state.fetch.failed);
                state.status = Some((StatusKind::Error, msg));
            }
            if ok { vec![Effect::LoadTrending, Effect::LoadFeedStatus] } else { vec![] }
        }
        Msg::SearchResults { generation, rows } => {
            let Some(s) = state.search.as_mut().filter(|s| s.generation == generation && s.is_active()) else {
                return vec![];
            };
            s.loaded = true;
            let before = state.list.selected_row().map(|r| r.id);
            state.list = ListView { rows, at_start: true, at_end: true, loaded: true, ..ListView::default() };
            clamp_list(state);
            if state.list.selected_row().map(|r| r.id) != before { selection_changed(state) } else { vec![] }
        }
        Msg::SearchFailed { generation, error } => {
            if state.search.as_ref().is_some_and(|s| s.generation == generation) {
                if let Some(s) = state.search.as_mut() {
                    s.loaded = true;
                }
                state.status = Some((StatusKind::Error, error));
            }
            vec![]
        }
    }
}

/// New articles arrived (a refresh): reload the list around the selected
/// article, on the same screen line. A search shows a snapshot; its saved
/// list is reloaded when the search ends.
fn refresh_list(state: &mut State) -> Vec<Effect> {
    if let Some(s) = state.search.as_mut() {
        s.saved_list.loaded = false;
        return vec![];
    }
    match state.list.selected_row().map(|r| r.id) {
        Some(id) => {
            state.pending.keep_row = Some(state.list.selected.saturating_sub(state.list.offset));
            reload_at(state, Cursor::Around(id))
        }
        None => reload(state),
    }
}

fn start_fetch(state: &mut State, article: Option<i64>) -> Vec<Effect> {
    if state.fetch.progress.is_some() {
        state.status = Some((StatusKind::Info, tr(Text::AlreadyUpdating, state.cfg.lang).to_string()));
        return vec![];
    }
    state.generations.fetch += 1;
    state.fetch.progress = Some((0, 0));
    state.fetch.failed = 0;
    state.fetch.one = article.is_some();
    vec![Effect::Fetch { generation: state.generations.fetch, article }]
}

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

fn refresh_list_now(state: &mut State) -> Vec<Effect> {
    match state.list.selected_row().map(|r| r.id) {
        Some(id) => {
            state.pending.keep_row = Some(state.list.selected.saturating_sub(state.list.offset));
            reload_at(state, Cursor::Around(id))
        }
        None => reload_at(state, Cursor::First),
    }
}

/// Esc: the search ends and the normal list comes back.
fn end_search(state: &mut State) -> Vec<Effect> {
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

fn search_key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
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
fn first_match_into_view(state: &mut State) {
    let rows = state.reader_rows();
    if let Some(&m) = match_lines(state).first()
        && m >= rows
    {
        goto_match(state, m);
    }
}

/// `n` / `N` with a search and an open article: the next / previous match,
/// wrapping around.
fn jump_match(state: &mut State, forward: bool) -> Vec<Effect> {
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
fn matching(state: &State) -> bool {
    state.search_query().is_some()
        && state.focus == Focus::Reader
        && state.reader.as_ref().is_some_and(|r| r.article.is_some())
}

fn load(state: &mut State, cursor: Cursor) -> Effect {
    Effect::LoadPage {
        generation: state.generations.list,
        query: PageQuery { filter: state.filter.clone(), cursor, limit: PAGE },
    }
}

/// The filter changed: a new generation, a fresh first page; results of the
/// old filter still in flight are dropped when they arrive.
fn reload(state: &mut State) -> Vec<Effect> {
    reload_at(state, Cursor::First)
}

fn reload_at(state: &mut State, cursor: Cursor) -> Vec<Effect> {
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

fn page(
    state: &mut State,
    generation: u64,
    cursor: Cursor,
    limit: usize,
    rows: Vec<crate::model::ArticleSummary>,
    anchor: Option<usize>,
) -> Vec<Effect> {
    if generation != state.generations.list {
        return vec![];
    }
    let full = rows.len() >= limit;
    let before_id = state.list.selected_row().map(|r| r.id);
    let l = &mut state.list;
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
            l.at_start = anchor.is_none() || a == 0;
            // The worker fetched `limit` rows from the anchor on.
            l.at_end = rows.len().saturating_sub(a) < limit;
            l.rows = rows;
            l.selected = a.min(l.rows.len().saturating_sub(1));
            l.offset = l.selected.saturating_sub(state.pending.keep_row.take().unwrap_or(0));
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
    // Only the page that answers a keeping reload uses it.
    state.pending.keep_row = None;
    clamp_list(state);
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

/// Asks for the next or previous page when the selection nears the edge of
/// the window.
fn more_rows(state: &mut State) -> Vec<Effect> {
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
fn selection_changed(state: &mut State) -> Vec<Effect> {
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

fn show_article(state: &mut State, id: i64) -> Vec<Effect> {
    if state.reader.as_ref().is_some_and(|r| r.id == id) {
        return vec![];
    }
    state.generations.article += 1;
    state.reader =
        Some(Reader { id, article: None, lines: Arc::from(Vec::new()), width: 0, scroll: 0, current_match: None });
    vec![Effect::LoadArticle { generation: state.generations.article, id }]
}

fn relayout(state: &mut State) {
    let width = state.reader_width();
    if let Some(r) = &mut state.reader
        && r.width != width
        && let Some(a) = &r.article
    {
        // Keep the reader near the same text: scale the scroll position.
        let old_len = r.lines.len().max(1);
        let lines = state.cache.get(a, width, &state.cfg);
        r.scroll = r.scroll * lines.len() / old_len;
        r.lines = lines;
        r.width = width;
        // Line numbers changed: the next `n` starts from the screen's top.
        r.current_match = None;
    }
    clamp_scroll(state);
}

fn clamp_scroll(state: &mut State) {
    let rows = state.reader_rows();
    if let Some(r) = &mut state.reader {
        r.scroll = r.scroll.min(r.lines.len().saturating_sub(rows));
    }
}

fn clamp_list(state: &mut State) {
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
}

fn clamp_topics(state: &mut State) {
    let rows = state.geometry().trending_rows().max(1);
    state.topics.selected = state.topics.selected.min(state.topics.items.len().saturating_sub(1));
    if state.topics.selected < state.topics.offset {
        state.topics.offset = state.topics.selected;
    }
    if state.topics.selected >= state.topics.offset + rows {
        state.topics.offset = state.topics.selected + 1 - rows;
    }
}

fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return vec![];
    }
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    match state.mode {
        Mode::Help => {
            state.mode = Mode::Normal;
            vec![]
        }
        Mode::Filter => filter_key(state, k),
        Mode::Search => search_key(state, k),
        Mode::Normal => match state.cfg.keymap.action(k.code, k.modifiers) {
            Some(a) => {
                state.status = None;
                action(state, a)
            }
            None => vec![],
        },
    }
}

fn filter_key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    match k.code {
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            vec![]
        }
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            if state.filter.title == state.filter_before {
                return vec![];
            }
            state.filter.title = std::mem::take(&mut state.filter_before);
            reload(state)
        }
        KeyCode::Backspace => {
            if state.filter.title.pop().is_some() {
                reload(state)
            } else {
                vec![]
            }
        }
        KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
            state.filter.title.clear();
            reload(state)
        }
        KeyCode::Char(c) if !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) && !c.is_control() => {
            state.filter.title.push(c);
            reload(state)
        }
        _ => vec![],
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::SaveState(state.saved()), Effect::Quit]
}

fn action(state: &mut State, a: Action) -> Vec<Effect> {
    let page = |s: &State| match s.focus {
        Focus::List => s.geometry().list_rows().max(1),
        Focus::Trending => s.geometry().trending_rows().max(1),
        Focus::Reader => s.reader_rows().saturating_sub(2).max(1),
    };
    match a {
        Action::Quit => quit(state),
        Action::Help => {
            state.mode = Mode::Help;
            vec![]
        }
        Action::Down => step(state, 1),
        Action::Up => step(state, -1),
        Action::PageDown => {
            let n = page(state) as isize;
            step(state, n)
        }
        Action::PageUp => {
            let n = page(state) as isize;
            step(state, -n)
        }
        Action::ScrollDown => {
            let n = state.reader_rows().saturating_sub(2).max(1) as isize;
            scroll(state, n);
            vec![]
        }
        Action::ScrollUp => {
            let n = state.reader_rows().saturating_sub(2).max(1) as isize;
            scroll(state, -n);
            vec![]
        }
        Action::First => match state.focus {
            Focus::Reader => {
                scroll(state, isize::MIN / 2);
                vec![]
            }
            Focus::Trending => {
                state.topics.selected = 0;
                clamp_topics(state);
                vec![]
            }
            Focus::List if !state.list.at_start => reload_at(state, Cursor::First),
            Focus::List => select(state, 0),
        },
        Action::Last => match state.focus {
            Focus::Reader => {
                scroll(state, isize::MAX / 2);
                vec![]
            }
            Focus::Trending => {
                state.topics.selected = state.topics.items.len().saturating_sub(1);
                clamp_topics(state);
                vec![]
            }
            Focus::List if !state.list.at_end => reload_at(state, Cursor::Last),
            Focus::List => select(state, state.list.rows.len().saturating_sub(1)),
        },
        Action::Open => match state.focus {
            Focus::List => open_selected(state),
            Focus::Trending => match state.topics.items.get(state.topics.selected).cloned() {
                Some(t) => {
                    let mut fx = end_search(state);
                    state.filter.topic = Some(t.topic.clone());
                    state.filter.topic_query = t.computed.map(|c| c.0);
                    state.focus = Focus::List;
                    fx.extend(reload(state));
                    fx
                }
                None => vec![],
            },
            Focus::Reader => vec![],
        },
        Action::Back => match state.focus {
            Focus::Reader | Focus::Trending => {
                state.focus = Focus::List;
                clamp_list(state);
                vec![]
            }
            Focus::List if state.search.is_some() => end_search(state),
            Focus::List if state.filter.is_active() => {
                state.filter = Default::default();
                reload(state)
            }
            Focus::List => vec![],
        },
        Action::SwitchPane => {
            state.focus = match state.focus {
                Focus::List if !state.topics.items.is_empty() => Focus::Trending,
                Focus::List | Focus::Trending if state.reader.is_some() => Focus::Reader,
                _ => Focus::List,
            };
            clamp_list(state);
            clamp_topics(state);
            vec![]
        }
        Action::Trending => {
            state.focus = if state.focus == Focus::Trending || state.topics.items.is_empty() {
                Focus::List
            } else {
                Focus::Trending
            };
            // The focused section grows: keep the selected headline in view.
            clamp_list(state);
            clamp_topics(state);
            vec![]
        }
        Action::NextUnread if matching(state) => jump_match(state, true),
        Action::NextUnread => next_unread(state),
        Action::PrevMatch if matching(state) => jump_match(state, false),
        Action::PrevMatch => vec![],
        Action::Refresh => match state.current_id() {
            Some(id) => start_fetch(state, Some(id)),
            None => {
                state.status = Some((StatusKind::Error, tr(Text::NothingToRefresh, state.cfg.lang).to_string()));
                vec![]
            }
        },
        Action::RefreshAll => start_fetch(state, None),
        Action::FullText => match state.current_id() {
            Some(id) => {
                state.status = Some((StatusKind::Info, tr(Text::FullTextLoading, state.cfg.lang).to_string()));
                vec![Effect::FullText { id }]
            }
            None => vec![],
        },
        Action::Search => {
            state.mode = Mode::Search;
            state.focus = Focus::List;
            if state.search.is_none() {
                let saved_list = state.list.clone();
                state.search = Some(Search { query: String::new(), generation: 0, loaded: false, saved_list });
            }
            vec![]
        }
        Action::ToggleRead => {
            let Some(id) = state.current_id() else { return vec![] };
            let read = !flags(state, id).0;
            set_read(state, id, read)
        }
        Action::ToggleStar => {
            let Some(id) = state.current_id() else { return vec![] };
            let starred = !flags(state, id).1;
            for r in state.list.rows.iter_mut().filter(|r| r.id == id) {
                r.starred = starred;
            }
            if let Some(a) = state.reader.as_mut().and_then(|r| r.article.as_mut()).filter(|a| a.summary.id == id) {
                Arc::make_mut(a).summary.starred = starred;
            }
            vec![Effect::SetStarred { id, starred }]
        }
        Action::UnreadOnly => {
            state.filter.unread_only = !state.filter.unread_only;
            reload(state)
        }
        Action::Filter => {
            let fx = end_search(state);
            state.mode = Mode::Filter;
            state.focus = Focus::List;
            state.filter_before = state.filter.title.clone();
            fx
        }
        Action::OpenBrowser | Action::CopyUrl => {
            let url = current_url(state);
            match url {
                Some(u) if a == Action::OpenBrowser => {
                    state.status = Some((StatusKind::Info, tr(Text::Opening, state.cfg.lang).to_string()));
                    vec![Effect::OpenUrl(u)]
                }
                Some(u) => {
                    state.status = Some((StatusKind::Info, tr(Text::Copied, state.cfg.lang).to_string()));
                    vec![Effect::CopyUrl(u)]
                }
                None => {
                    state.status = Some((StatusKind::Error, tr(Text::NoUrl, state.cfg.lang).to_string()));
                    vec![]
                }
            }
        }
        Action::WiderList | Action::NarrowerList => {
            let d: i16 = if a == Action::WiderList { 5 } else { -5 };
            state.split = (state.split as i16 + d).clamp(20, 70) as u16;
            relayout(state);
            clamp_list(state);
            vec![]
        }
    }
}

/// (read, starred) of an article, from the list or the reader.
fn flags(state: &State, id: i64) -> (bool, bool) {
    if let Some(r) = state.list.rows.iter().find(|r| r.id == id) {
        return (r.read, r.starred);
    }
    state
        .reader
        .as_ref()
        .and_then(|r| r.article.as_ref())
        .filter(|a| a.summary.id == id)
        .map(|a| (a.summary.read, a.summary.starred))
        .unwrap_or((false, false))
}

fn set_read(state: &mut State, id: i64, read: bool) -> Vec<Effect> {
    let was = flags(state, id).0;
    for r in state.list.rows.iter_mut().filter(|r| r.id == id) {
        r.read = read;
    }
    if let Some(a) = state.reader.as_mut().and_then(|r| r.article.as_mut()).filter(|a| a.summary.id == id) {
        Arc::make_mut(a).summary.read = read;
    }
    if was != read {
        state.counts.unread += if read { -1 } else { 1 };
        state.counts.unread = state.counts.unread.clamp(0, state.counts.total.max(0));
    }
    vec![Effect::SetRead { id, read }]
}

fn current_url(state: &State) -> Option<String> {
    let id = state.current_id()?;
    let from_reader = state
        .reader
        .as_ref()
        .and_then(|r| r.article.as_ref())
        .filter(|a| a.summary.id == id)
        .and_then(|a| a.summary.url.clone());
    from_reader
        .or_else(|| state.list.rows.iter().find(|r| r.id == id).and_then(|r| r.url.clone()))
        .filter(|u| !u.trim().is_empty())
}

/// Opens the selected headline: reading pane, marked read.
fn open_selected(state: &mut State) -> Vec<Effect> {
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

fn next_unread(state: &mut State) -> Vec<Effect> {
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

fn select(state: &mut State, i: usize) -> Vec<Effect> {
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

fn step(state: &mut State, n: isize) -> Vec<Effect> {
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

fn scroll(state: &mut State, n: isize) {
    if let Some(r) = &mut state.reader {
        r.scroll = (r.scroll as isize).saturating_add(n).max(0) as usize;
    }
    clamp_scroll(state);
}

fn inside(r: Option<Rect>, col: u16, row: u16) -> Option<Rect> {
    r.filter(|r| col >= r.x && col < r.x + r.width && row >= r.y && row < r.y + r.height)
}

fn mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    if state.mode != Mode::Normal {
        return vec![];
    }
    let g = state.geometry();
    let (c, r) = (m.column, m.row);
    let wheel = match m.kind {
        MouseEventKind::ScrollDown => WHEEL as isize,
        MouseEventKind::ScrollUp => -(WHEEL as isize),
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return vec![],
    };
    if let Some(rect) = inside(g.reader, c, r) {
        let _ = rect;
        if wheel != 0 {
            scroll(state, wheel);
        } else {
            state.focus = Focus::Reader;
        }
        return vec![];
    }
    if let Some(rect) = inside(g.trending, c, r) {
        if wheel != 0 {
            state.topics.offset = (state.topics.offset as isize + wheel)
                .clamp(0, state.topics.items.len().saturating_sub(1) as isize)
                as usize;
            state.topics.selected =
                state.topics.selected.clamp(state.topics.offset, state.topics.offset + g.trending_rows().max(1) - 1);
            clamp_topics(state);
        } else if r > rect.y {
            let i = state.topics.offset + (r - rect.y - 1) as usize;
            if i < state.topics.items.len() {
                state.topics.selected = i;
                state.focus = Focus::Trending;
            }
        }
        return vec![];
    }
    if let Some(rect) = inside(g.list, c, r) {
        if wheel != 0 {
            return step_list(state, wheel);
        }
        if r > rect.y
            && let Some(Some(i)) = state.list_lines(g.list_rows()).get((r - rect.y - 1) as usize).copied()
        {
            state.focus = Focus::List;
            return select(state, i);
        }
    }
    vec![]
}

fn step_list(state: &mut State, n: isize) -> Vec<Effect> {
    let focus = state.focus;
    state.focus = Focus::List;
    let fx = step(state, n);
    state.focus = focus;
    fx
}
