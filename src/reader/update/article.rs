//! The reading pane: the article shown, its layout at the pane's width,
//! scrolling, and the read/star marks.

use std::sync::Arc;

use crate::i18n::{Text, tr};
use crate::model::Article;
use crate::reader::keymap::Action;
use crate::reader::msg::{Effect, Flag, Mark};
use crate::reader::state::{Reader, State, StatusKind};

use super::search::first_match_into_view;

pub(super) fn show_article(state: &mut State, id: i64) -> Vec<Effect> {
    if state.reader.as_ref().is_some_and(|r| r.id == id) {
        return vec![];
    }
    state.generations.article += 1;
    state.reader =
        Some(Reader { id, article: None, lines: Arc::from(Vec::new()), width: 0, scroll: 0, current_match: None });
    vec![Effect::LoadArticle { generation: state.generations.article, id }]
}

pub(super) fn relayout(state: &mut State) {
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

pub(super) fn clamp_scroll(state: &mut State) {
    let rows = state.reader_rows();
    if let Some(r) = &mut state.reader {
        r.scroll = r.scroll.min(r.lines.len().saturating_sub(rows));
    }
}

pub(super) fn scroll(state: &mut State, n: isize) {
    if let Some(r) = &mut state.reader {
        r.scroll = (r.scroll as isize).saturating_add(n).max(0) as usize;
    }
    clamp_scroll(state);
}

/// (read, starred) of an article, from the list or the reader.
pub(super) fn flags(state: &State, id: i64) -> (bool, bool) {
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

pub(super) fn set_read(state: &mut State, id: i64, read: bool) -> Vec<Effect> {
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
    state.marks.note(Mark { id, flag: Flag::Read, value: read });
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

/// An article arrived: lay it out for the pane (keeping the scroll of a
/// reload in place).
pub(super) fn article_arrived(state: &mut State, generation: u64, mut article: Arc<Article>) -> Vec<Effect> {
    if generation != state.generations.article {
        return vec![];
    }
    if state.marks.pending.iter().any(|m| m.id == article.summary.id) {
        state.marks.overlay(&mut Arc::make_mut(&mut article).summary);
    }
    let width = state.reader_width();
    let lines = state.cache.get(&article, width, &state.cfg);
    let old = state.reader.as_ref().filter(|r| r.id == article.summary.id);
    let (scroll, fresh) = old.map(|r| (r.scroll, r.article.is_none())).unwrap_or((0, true));
    state.reader =
        Some(Reader { id: article.summary.id, article: Some(article), lines, width, scroll, current_match: None });
    clamp_scroll(state);
    if fresh && scroll == 0 {
        first_match_into_view(state);
    }
    vec![]
}

/// The full text of an article was stored (or not): the open article reloads.
pub(super) fn full_text_stored(state: &mut State, id: i64, error: Option<String>) -> Vec<Effect> {
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

pub(super) fn toggle_star(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.current_id() else { return vec![] };
    let starred = !flags(state, id).1;
    for r in state.list.rows.iter_mut().filter(|r| r.id == id) {
        r.starred = starred;
    }
    if let Some(a) = state.reader.as_mut().and_then(|r| r.article.as_mut()).filter(|a| a.summary.id == id) {
        Arc::make_mut(a).summary.starred = starred;
    }
    state.marks.note(Mark { id, flag: Flag::Starred, value: starred });
    vec![Effect::SetStarred { id, starred }]
}

/// `o` and `y`: open the current article's address in the browser, or copy it.
pub(super) fn url_action(state: &mut State, a: Action) -> Vec<Effect> {
    let url = current_url(state);
    match url {
        Some(u) if a == Action::OpenBrowser => {
            state.status = Some((StatusKind::Info, tr(Text::Opening, state.cfg.lang).to_string()));
            vec![Effect::OpenUrl(u)]
        }
        // «Copied» only for an address the clipboard sequence will carry.
        Some(u) if crate::reader::effects::safe_url(&u).is_none() => {
            let what = tr(Text::NotWebAddress, state.cfg.lang);
            state.status = Some((StatusKind::Error, format!("{what}: {}", crate::text::sanitize(&u))));
            vec![]
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
