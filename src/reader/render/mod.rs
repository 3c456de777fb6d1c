//! Drawing: pure functions from [`State`] to a ratatui frame. No I/O, no
//! state changes; everything comes from `State` and its
//! [`Geometry`](super::state::Geometry). One file per part of the screen;
//! the styles they share are here.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::settings::Theme;
use super::state::{Mode, State};
use crate::i18n::{Text, tr};
use crate::text::width::truncate;

mod article;
mod feeds;
mod help;
mod list;
mod status;
mod trending;

fn fg(c: Option<Color>) -> Style {
    c.map(|c| Style::new().fg(c)).unwrap_or_default()
}

fn selection(t: &Theme) -> Style {
    pair_style(t.selection_fg, t.selection_bg)
}

fn status_style(t: &Theme) -> Style {
    pair_style(t.status_fg, t.status_bg)
}

/// Foreground and background from the theme; reverse video when neither is
/// set (NO_COLOR), so the selection and the status bar still stand out.
fn pair_style(fg: Option<Color>, bg: Option<Color>) -> Style {
    match (fg, bg) {
        (None, None) => Style::new().add_modifier(Modifier::REVERSED),
        (f, b) => {
            let mut s = Style::new();
            if let Some(f) = f {
                s = s.fg(f);
            }
            if let Some(b) = b {
                s = s.bg(b);
            }
            s
        }
    }
}

/// Draws the whole screen.
pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let g = state.geometry();
    if g.too_small {
        let msg = truncate(tr(Text::TooSmall, state.cfg.lang), area.width as usize);
        let y = area.height / 2;
        frame.render_widget(
            Paragraph::new(msg).alignment(Alignment::Center),
            Rect { x: 0, y, width: area.width, height: 1.min(area.height) },
        );
        return;
    }
    if state.feeds.open {
        // The feeds view takes the panes' place.
        feeds::feeds(state, frame, Rect { height: area.height.saturating_sub(1), ..area });
        status::status(state, frame, g.status);
        feeds::prompt(state, frame, g.status);
        if state.mode == Mode::Help {
            help::help(state, frame, area);
        }
        return;
    }
    if let Some(r) = g.list {
        list::list(state, frame, r);
    }
    if let Some(r) = g.trending {
        trending::trending(state, frame, r);
    }
    if let Some(r) = g.divider {
        let s = fg(state.cfg.theme.meta);
        let text: Vec<Line> = (0..r.height).map(|_| Line::styled("│", s)).collect();
        frame.render_widget(Paragraph::new(text), r);
    }
    if g.reader.is_some() {
        article::article(state, frame, &g);
    }
    status::status(state, frame, g.status);
    feeds::prompt(state, frame, g.status);
    if state.mode == Mode::Help {
        help::help(state, frame, area);
    }
}

/// How a search match is marked: reversed in the star colour, bold (still
/// visible with `NO_COLOR`, where it is reverse video alone).
fn mark_style(t: &Theme) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    match t.star {
        Some(c) => s.fg(Color::Black).bg(c),
        None => s.add_modifier(Modifier::REVERSED),
    }
}

/// `text` as spans with the byte `ranges` (sorted, on char boundaries)
/// marked.
fn highlighted(text: &str, ranges: &[std::ops::Range<usize>], base: Style, mark: Style) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        if r.start > at {
            out.push(Span::styled(text[at..r.start].to_string(), base));
        }
        out.push(Span::styled(text[r.clone()].to_string(), base.patch(mark)));
        at = r.end;
    }
    if at < text.len() {
        out.push(Span::styled(text[at..].to_string(), base));
    }
    out
}

/// A pane's header row: bold accent when the pane has focus.
fn header(state: &State, frame: &mut Frame, r: Rect, text: &str, focused: bool) {
    let t = &state.cfg.theme;
    let style = if focused {
        fg(t.accent).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        fg(t.meta).add_modifier(Modifier::BOLD)
    };
    let line = truncate(&format!(" {text}"), r.width as usize);
    frame.render_widget(Paragraph::new(Line::styled(line, style)), Rect { height: 1, ..r });
}
