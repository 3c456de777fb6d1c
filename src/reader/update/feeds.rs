//! The feeds view (`L`), bulk marking with one undo, the starred view and
//! the one-line prompt (add, rename, remove a subscription).
//!
//! newsboat users live in a feed list and mark whole feeds read; here the
//! headline list stays the first screen and the feeds view is a key away,
//! drawn instead of the panes. Everything that touches the archive is an
//! effect; the view only keeps the rows the worker sent.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use crate::reader::keymap::Action;
use crate::reader::msg::{Effect, MarkTarget};
use crate::reader::state::{FeedFilter, FeedLine, FeedRow, Filter, Focus, Prompt, State, StatusKind};
use crate::reader::texts::{T, t};

use super::fetch::start_fetch_feeds;
use super::list::{refresh_list_now, reload};
use super::search::end_search;

fn say(state: &mut State, kind: StatusKind, text: String) {
    state.status = Some((kind, text));
}

fn info(state: &mut State, what: T) {
    let text = t(what, state.cfg.lang).to_string();
    say(state, StatusKind::Info, text);
}

/// The new actions where the headline list (or the reading pane) has the
/// keys.
pub(super) fn list_action(state: &mut State, a: Action) -> Vec<Effect> {
    match a {
        Action::Feeds => open_view(state),
        Action::StarredOnly => {
            state.filter.starred_only = !state.filter.starred_only;
            reload(state)
        }
        Action::NextUnreadFeed => {
            // Counts change as one reads: ask for fresh ones, continue then.
            state.feeds.next_unread = true;
            vec![Effect::LoadFeeds]
        }
        Action::MarkFeedRead => match (&state.filter.feed, state.current_id()) {
            (Some(f), _) => vec![Effect::MarkRead(MarkTarget::Feeds(f.feeds.clone()))],
            (None, Some(id)) => vec![Effect::MarkRead(MarkTarget::FeedOf(id))],
            (None, None) => vec![],
        },
        Action::MarkListRead if state.search_query().is_some() => {
            vec![Effect::MarkRead(MarkTarget::Ids(state.list.rows.iter().map(|r| r.id).collect()))]
        }
        // Nothing filtered: the list is the whole archive.
        Action::MarkListRead if !state.filter.is_active() => vec![Effect::MarkRead(MarkTarget::All)],
        Action::MarkListRead => vec![Effect::MarkRead(MarkTarget::Filter(state.filter.clone()))],
        Action::MarkAllRead => vec![Effect::MarkRead(MarkTarget::All)],
        Action::UndoMark => undo(state),
        Action::AddFeed => {
            state.prompt = Some(Prompt::AddFeed(String::new()));
            vec![]
        }
        Action::RenameFeed | Action::RemoveFeed => {
            info(state, T::OpenFeedsFirst);
            vec![]
        }
        _ => vec![],
    }
}

fn open_view(state: &mut State) -> Vec<Effect> {
    state.feeds.open = true;
    if let Some(id) = single_feed(&state.filter) {
        select_feed(state, id);
    }
    vec![Effect::LoadFeeds]
}

fn single_feed(f: &Filter) -> Option<i64> {
    f.feed.as_ref().filter(|f| f.feeds.len() == 1).map(|f| f.feeds[0])
}

/// Keys while the feeds view is open.
pub(super) fn view_action(state: &mut State, a: Action) -> Vec<Effect> {
    let rows = state.feeds_rows() as isize;
    match a {
        Action::Down => step(state, 1),
        Action::Up => step(state, -1),
        Action::PageDown | Action::ScrollDown => step(state, rows),
        Action::PageUp | Action::ScrollUp => step(state, -rows),
        Action::First => step(state, isize::MIN / 2),
        Action::Last => step(state, isize::MAX / 2),
        Action::Open => open_line(state, state.feeds.selected),
        Action::Back | Action::Feeds => {
            state.feeds.open = false;
            vec![]
        }
        Action::Quit | Action::Help | Action::RefreshAll | Action::Command => super::keys::action(state, a),
        Action::NextUnread | Action::NextUnreadFeed => {
            next_unread_line(state);
            vec![]
        }
        Action::Refresh => match line_target(state, state.feeds.selected) {
            Some((feeds, _)) => start_fetch_feeds(state, feeds),
            None => vec![],
        },
        Action::MarkFeedRead => match line_target(state, state.feeds.selected) {
            Some((feeds, _)) => vec![Effect::MarkRead(MarkTarget::Feeds(feeds))],
            None => vec![],
        },
        Action::MarkListRead | Action::MarkAllRead => vec![Effect::MarkRead(MarkTarget::All)],
        Action::UndoMark | Action::AddFeed => list_action(state, a),
        Action::RenameFeed | Action::RemoveFeed => edit_feed(state, a),
        // The other views: leave this one for the list they show.
        Action::StarredOnly | Action::UnreadOnly | Action::Search | Action::Filter => {
            state.feeds.open = false;
            super::keys::action(state, a)
        }
        _ => vec![],
    }
}

fn edit_feed(state: &mut State, a: Action) -> Vec<Effect> {
    let Some(FeedLine::Feed(i)) = state.feeds.lines.get(state.feeds.selected) else { return vec![] };
    let row = &state.feeds.rows[*i];
    let id = row.feed.id;
    state.prompt = Some(if a == Action::RenameFeed {
        Prompt::Rename { id, text: row.feed.title.clone().unwrap_or_default() }
    } else {
        Prompt::Remove { id, name: row.name() }
    });
    vec![]
}

fn step(state: &mut State, n: isize) -> Vec<Effect> {
    let last = state.feeds.lines.len().saturating_sub(1) as isize;
    state.feeds.selected = (state.feeds.selected as isize).saturating_add(n).clamp(0, last) as usize;
    clamp_view(state);
    vec![]
}

fn clamp_view(state: &mut State) {
    let rows = state.feeds_rows();
    let v = &mut state.feeds;
    v.selected = v.selected.min(v.lines.len().saturating_sub(1));
    if v.selected < v.offset {
        v.offset = v.selected;
    }
    if v.selected >= v.offset + rows {
        v.offset = v.selected + 1 - rows;
    }
}

fn select_feed(state: &mut State, id: i64) {
    let v = &state.feeds;
    if let Some(l) = v.lines.iter().position(|l| matches!(l, FeedLine::Feed(i) if v.rows[*i].feed.id == id)) {
        state.feeds.selected = l;
        clamp_view(state);
    }
}

/// The feeds a line stands for and the label the list shows: one feed, or
/// every feed filed under a tag.
fn line_target(state: &State, line: usize) -> Option<(Vec<i64>, String)> {
    let v = &state.feeds;
    match v.lines.get(line)? {
        FeedLine::Feed(i) => Some((vec![v.rows[*i].feed.id], v.rows[*i].name())),
        FeedLine::Tag(tag) => {
            let feeds: Vec<i64> = v.rows.iter().filter(|r| first_tag(r) == tag.as_str()).map(|r| r.feed.id).collect();
            let label = if tag.is_empty() { t(T::NoTag, state.cfg.lang).to_string() } else { format!("#{tag}") };
            Some((feeds, label))
        }
    }
}

fn first_tag(r: &FeedRow) -> &str {
    r.feed.tags.first().map(String::as_str).unwrap_or("")
}

/// Enter: the list narrowed to the line's feeds (Esc there shows all again).
fn open_line(state: &mut State, line: usize) -> Vec<Effect> {
    let Some((feeds, label)) = line_target(state, line) else { return vec![] };
    narrow_to(state, feeds, label)
}

/// The list narrowed to these feeds, the feeds view closed.
fn narrow_to(state: &mut State, feeds: Vec<i64>, label: String) -> Vec<Effect> {
    state.feeds.open = false;
    let mut fx = end_search(state);
    state.filter = Filter {
        feed: Some(FeedFilter { feeds, label }),
        unread_only: state.filter.unread_only,
        starred_only: state.filter.starred_only,
        ..Filter::default()
    };
    state.focus = Focus::List;
    fx.extend(reload(state));
    fx
}

/// The lines of the view: feeds under their first tag (tags in alphabetical
/// order, untagged last); no tag lines when no feed has a tag.
pub(super) fn build_lines(rows: &[FeedRow]) -> Vec<FeedLine> {
    if rows.iter().all(|r| r.feed.tags.is_empty()) {
        return (0..rows.len()).map(FeedLine::Feed).collect();
    }
    let mut tags: Vec<&str> = rows.iter().map(first_tag).collect();
    tags.sort_by_key(|t| (t.is_empty(), crate::model::fold_key(t)));
    tags.dedup();
    let mut out = Vec::new();
    for tag in tags {
        out.push(FeedLine::Tag(tag.to_string()));
        out.extend(rows.iter().enumerate().filter(|(_, r)| first_tag(r) == tag).map(|(i, _)| FeedLine::Feed(i)));
    }
    out
}

fn unread_at(state: &State, line: usize) -> bool {
    matches!(state.feeds.lines.get(line), Some(FeedLine::Feed(i)) if state.feeds.rows[*i].feed.unread_count > 0)
}

/// `n` / `Ctrl-n` in the view: the next feed line with unread articles,
/// wrapping around.
fn next_unread_line(state: &mut State) -> bool {
    let n = state.feeds.lines.len();
    let from = state.feeds.selected;
    match (1..=n).map(|k| (from + k) % n).find(|&l| unread_at(state, l)) {
        Some(l) => {
            state.feeds.selected = l;
            clamp_view(state);
            true
        }
        None => {
            info(state, T::NoUnreadFeed);
            false
        }
    }
}

/// `Ctrl-n` in the list: the next feed (after the one the list shows) with
/// unread articles, opened.
fn next_unread_feed(state: &mut State) -> Vec<Effect> {
    let current = single_feed(&state.filter);
    match current {
        Some(id) => select_feed(state, id),
        // From the whole list: start before the first line.
        None => state.feeds.selected = state.feeds.lines.len().saturating_sub(1),
    }
    if next_unread_line(state) { open_line(state, state.feeds.selected) } else { vec![] }
}

/// The rows arrived: keep the selected feed selected.
pub(super) fn feeds_arrived(state: &mut State, rows: Vec<FeedRow>) -> Vec<Effect> {
    let v = &state.feeds;
    // The selected feed by id (a tag line is itself).
    let keep = match v.lines.get(v.selected) {
        Some(FeedLine::Feed(i)) => Err(v.rows[*i].feed.id),
        Some(tag) => Ok(Some(tag.clone())),
        None => Ok(None),
    };
    state.feeds.lines = build_lines(&rows);
    state.feeds.rows = rows;
    state.feeds.loaded = true;
    match keep {
        Err(id) => select_feed(state, id),
        Ok(Some(tag)) => {
            if let Some(l) = state.feeds.lines.iter().position(|l| *l == tag) {
                state.feeds.selected = l;
            }
        }
        Ok(None) => {}
    }
    clamp_view(state);
    if let Some(tag) = state.feeds.want_tag.take() {
        return narrow_to_tag(state, &tag);
    }
    if std::mem::take(&mut state.feeds.next_unread) {
        return next_unread_feed(state);
    }
    vec![]
}

/// `:tag TAG`: the list narrowed to every feed carrying TAG (any of its
/// tags, case-insensitively).
fn narrow_to_tag(state: &mut State, tag: &str) -> Vec<Effect> {
    let key = crate::model::fold_key(tag);
    let feeds: Vec<i64> = state
        .feeds
        .rows
        .iter()
        .filter(|r| r.feed.tags.iter().any(|t| crate::model::fold_key(t) == key))
        .map(|r| r.feed.id)
        .collect();
    if feeds.is_empty() {
        let text = format!("{} #{}", t(T::NoSuchTag, state.cfg.lang), crate::text::sanitize(tag));
        say(state, StatusKind::Error, text);
        return vec![];
    }
    narrow_to(state, feeds, format!("#{tag}"))
}

/// What the list, the counts and the view reload after marks changed.
fn reload_after_marks(state: &mut State) -> Vec<Effect> {
    let mut fx = refresh_list_now(state);
    fx.push(Effect::LoadCounts);
    if state.feeds.loaded {
        fx.push(Effect::LoadFeeds);
    }
    fx
}

/// A bulk mark was written: keep its ids for `U`, say how many.
pub(super) fn marked(state: &mut State, ids: Vec<i64>) -> Vec<Effect> {
    if ids.is_empty() {
        info(state, T::NothingToMark);
        return vec![];
    }
    for r in state.list.rows.iter_mut().filter(|r| ids.binary_search(&r.id).is_ok()) {
        r.read = true;
    }
    let lang = state.cfg.lang;
    let key = state.cfg.keymap.keys(Action::UndoMark).first().map(|k| k.to_string()).unwrap_or_default();
    let text = format!("{}: {} · {key} — {}", t(T::Marked, lang), ids.len(), t(T::UndoHint, lang));
    say(state, StatusKind::Info, text);
    state.undo = Some(ids);
    reload_after_marks(state)
}

fn undo(state: &mut State) -> Vec<Effect> {
    let Some(ids) = state.undo.take() else {
        info(state, T::NothingToUndo);
        return vec![];
    };
    vec![Effect::MarkUnread(ids)]
}

pub(super) fn unmarked(state: &mut State, n: usize) -> Vec<Effect> {
    let text = format!("{}: {n}", t(T::Unmarked, state.cfg.lang));
    say(state, StatusKind::Info, text);
    reload_after_marks(state)
}

pub(super) fn not_from_feed(state: &mut State) -> Vec<Effect> {
    info(state, T::NotFromFeed);
    vec![]
}

/// Keys while the prompt is open: text for a URL or a name, y/n for a removal.
pub(super) fn prompt_key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    if matches!(state.prompt, Some(Prompt::Command(_))) {
        return super::command::key(state, k);
    }
    let Some(prompt) = state.prompt.as_mut() else { return vec![] };
    let text = match prompt {
        Prompt::Remove { id, .. } => {
            let id = *id;
            state.prompt = None;
            if matches!(k.code, KeyCode::Char('y' | 'Y' | 'д' | 'Д')) {
                return vec![Effect::RemoveFeed(id)];
            }
            info(state, T::No);
            return vec![];
        }
        Prompt::AddFeed(text) | Prompt::Rename { text, .. } | Prompt::Command(text) => text,
    };
    match k.code {
        KeyCode::Esc => state.prompt = None,
        KeyCode::Enter => return submit(state),
        _ => edit_line(text, k),
    }
    vec![]
}

/// Editing in a one-line prompt (the feeds view's and the `:` line):
/// Backspace, Ctrl-u clears, printable characters are typed.
pub(super) fn edit_line(text: &mut String, k: KeyEvent) {
    let plain = !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match k.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if !plain => text.clear(),
        KeyCode::Char(c) if plain && !c.is_control() => text.push(c),
        _ => {}
    }
}

fn submit(state: &mut State) -> Vec<Effect> {
    match state.prompt.take() {
        Some(Prompt::AddFeed(text)) => {
            let url = url::Url::parse(text.trim()).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
            match url {
                Some(u) => vec![Effect::AddFeed(u.to_string(), Vec::new())],
                None => {
                    let msg = format!("{}: {}", t(T::NotUrl, state.cfg.lang), text.trim());
                    say(state, StatusKind::Error, msg);
                    vec![]
                }
            }
        }
        Some(Prompt::Rename { id, text }) => vec![Effect::RenameFeed { id, title: text.trim().to_string() }],
        Some(Prompt::Remove { .. } | Prompt::Command(_)) | None => vec![],
    }
}

/// A subscription was added: show it in the view and fetch it.
pub(super) fn feed_added(state: &mut State, id: i64, new: bool) -> Vec<Effect> {
    info(state, if new { T::Added } else { T::AlreadyAdded });
    let mut fx = vec![Effect::LoadFeeds, Effect::LoadFeedStatus];
    if new {
        fx.extend(start_fetch_feeds(state, vec![id]));
    }
    state.feeds.selected = usize::MAX;
    fx
}

pub(super) fn feed_changed(state: &mut State, removed: bool) -> Vec<Effect> {
    info(state, if removed { T::Removed } else { T::Renamed });
    let mut fx = vec![Effect::LoadFeeds];
    if removed {
        fx.push(Effect::LoadFeedStatus);
    }
    fx
}

/// The mouse in the feeds view: the wheel moves, a click selects.
pub(super) fn mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    match m.kind {
        MouseEventKind::ScrollDown => step(state, 3),
        MouseEventKind::ScrollUp => step(state, -3),
        MouseEventKind::Down(_) if m.row >= 1 => {
            let line = state.feeds.offset + m.row as usize - 1;
            if line < state.feeds.lines.len() {
                state.feeds.selected = line;
            }
            vec![]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests;
