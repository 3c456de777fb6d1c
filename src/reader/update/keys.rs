//! Keys: the modes (help, filter and search typing) and the actions the
//! keymap binds.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::i18n::{Text, tr};
use crate::reader::keymap::Action;
use crate::reader::msg::{Cursor, Effect};
use crate::reader::state::{Focus, Mode, State, StatusKind};

use super::article::{flags, relayout, scroll, set_read, toggle_star, url_action};
use super::fetch::start_fetch;
use super::list::{clamp_list, next_unread, open_selected, reload, reload_at, select, step};
use super::search::{begin_search, end_search, jump_match, matching, search_key};
use super::topics::{clamp_topics, open_topic};

pub(super) fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return vec![];
    }
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    if state.prompt.is_some() {
        return super::feeds::prompt_key(state, k);
    }
    match state.mode {
        Mode::Help => {
            state.mode = Mode::Normal;
            state.help_commands = false;
            vec![]
        }
        Mode::Filter => filter_key(state, k),
        Mode::Search => search_key(state, k),
        Mode::Normal => match state.cfg.keymap.action(k.code, k.modifiers) {
            Some(a) => {
                state.status = None;
                if state.feeds.open { super::feeds::view_action(state, a) } else { action(state, a) }
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

pub(super) fn action(state: &mut State, a: Action) -> Vec<Effect> {
    match a {
        Action::Quit => quit(state),
        Action::Help => {
            state.mode = Mode::Help;
            vec![]
        }
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::ScrollDown
        | Action::ScrollUp
        | Action::First
        | Action::Last => motion(state, a),
        Action::Open | Action::Back | Action::SwitchPane | Action::Trending => pane(state, a),
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
                vec![Effect::FullText { id, lang: state.cfg.lang }]
            }
            None => vec![],
        },
        Action::Search => begin_search(state),
        Action::ToggleRead => {
            let Some(id) = state.current_id() else { return vec![] };
            let read = !flags(state, id).0;
            set_read(state, id, read)
        }
        Action::ToggleStar => toggle_star(state),
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
        Action::OpenBrowser | Action::CopyUrl => url_action(state, a),
        Action::PipeArticle => super::pipe::pipe(state, None, false),
        Action::PipeUrl => super::pipe::pipe(state, None, true),
        Action::Command => super::command::open(state),
        Action::StarredOnly
        | Action::Feeds
        | Action::NextUnreadFeed
        | Action::MarkFeedRead
        | Action::MarkListRead
        | Action::MarkAllRead
        | Action::UndoMark
        | Action::AddFeed
        | Action::RenameFeed
        | Action::RemoveFeed => super::feeds::list_action(state, a),
        Action::WiderList | Action::NarrowerList => {
            let d: i16 = if a == Action::WiderList { 5 } else { -5 };
            state.split = (state.split as i16 + d).clamp(20, 70) as u16;
            relayout(state);
            clamp_list(state);
            vec![]
        }
    }
}

/// Moving the selection or scrolling the reading pane.
fn motion(state: &mut State, a: Action) -> Vec<Effect> {
    let page = |s: &State| match s.focus {
        Focus::List => s.geometry().list_rows().max(1),
        Focus::Trending => s.geometry().trending_rows().max(1),
        Focus::Reader => s.reader_rows().saturating_sub(2).max(1),
    };
    let screen = |s: &State| s.reader_rows().saturating_sub(2).max(1) as isize;
    match a {
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
            scroll(state, screen(state));
            vec![]
        }
        Action::ScrollUp => {
            scroll(state, -screen(state));
            vec![]
        }
        Action::First => go_first(state),
        Action::Last => go_last(state),
        _ => vec![],
    }
}

fn go_first(state: &mut State) -> Vec<Effect> {
    match state.focus {
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
    }
}

fn go_last(state: &mut State) -> Vec<Effect> {
    match state.focus {
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
    }
}

/// Opening, going back, and moving the focus between panes.
pub(super) fn pane(state: &mut State, a: Action) -> Vec<Effect> {
    match a {
        Action::Open => match state.focus {
            Focus::List => open_selected(state),
            Focus::Trending => open_topic(state),
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
                // Back to the article the topic was chosen from.
                match state.pending.back_to.take() {
                    Some((id, line)) => {
                        let fx = reload_at(state, Cursor::Around(id));
                        state.pending.keep_row = Some(line);
                        fx
                    }
                    None => reload(state),
                }
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
        _ => vec![],
    }
}
