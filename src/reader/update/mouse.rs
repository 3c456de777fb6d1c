//! The mouse: clicks focus and select, the wheel scrolls.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::reader::msg::Effect;
use crate::reader::state::{Focus, Mode, State};

use super::article::scroll;
use super::list::{select, step_list};
use super::topics::clamp_topics;

/// Lines the mouse wheel scrolls.
const WHEEL: usize = 3;

fn inside(r: Option<Rect>, col: u16, row: u16) -> Option<Rect> {
    r.filter(|r| col >= r.x && col < r.x + r.width && row >= r.y && row < r.y + r.height)
}

pub(super) fn mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
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
