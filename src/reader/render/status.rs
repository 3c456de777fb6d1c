//! The status bar: counts, the filter, what is being typed, messages, and
//! online state and the archive on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::list::list_title;
use super::{fg, status_style};
use crate::i18n::{self, Text, tr};
use crate::reader::state::{Mode, State, StatusKind};
use crate::text::width::{display_width, pad, truncate};

pub(super) fn status(state: &State, frame: &mut Frame, r: Rect) {
    let lang = state.cfg.lang;
    let t = &state.cfg.theme;
    let base = status_style(t);
    let w = r.width as usize;
    let typing = match state.mode {
        Mode::Filter => Some(format!("{}: {}▏", tr(Text::Filter, lang), crate::text::sanitize(&state.filter.title))),
        Mode::Search => state.search.as_ref().map(|s| format!("/{}▏", crate::text::sanitize(&s.query))),
        _ => None,
    };
    if let Some(text) = typing {
        // Keep the end of what is typed visible.
        let shown = if display_width(&text) > w { tail(&text, w) } else { text };
        frame.render_widget(Paragraph::new(pad(&shown, w)).style(base), r);
        return;
    }
    let mut left =
        format!(" {} · {}", i18n::articles(state.counts.total, lang), i18n::unread(state.counts.unread, lang));
    if state.filter.is_active() {
        left.push_str(&format!(
            " · {}: {}",
            tr(Text::Filter, lang),
            list_title(state).split(" · ").skip(1).collect::<Vec<_>>().join(", ")
        ));
    }
    if state.list.new_above > 0 {
        left.push_str(&format!(" · {}", i18n::new_above(state.list.new_above, lang)));
    }
    let mut right = String::new();
    if let Some((done, _)) = state.fetch.progress.filter(|_| state.fetch.sync) {
        right.push_str(&format!("{} {done}… ", tr(Text::Syncing, lang)));
    } else if let Some((done, total)) = state.fetch.progress {
        right.push_str(&format!("{} {done}/{total}… ", tr(Text::Updating, lang)));
    } else if !state.fetch.online {
        right.push_str(tr(Text::Offline, lang));
        right.push(' ');
    }
    let waiting = state.marks.waiting_count();
    if waiting > 0 {
        if !right.is_empty() {
            right.push_str("· ");
        }
        right.push_str(&format!("{} ", i18n::marks_waiting(waiting as i64, lang)));
    }
    // The archive's path only whole, and a separator only between items.
    let sep = if right.is_empty() { "" } else { "· " };
    let with_hint = format!("{right}{sep}{} ", state.db_hint);
    if display_width(&left) + display_width(&with_hint) + 1 < w {
        right = with_hint;
    }
    let mut spans = vec![Span::raw(left.clone())];
    let mut used = display_width(&left);
    if let Some((kind, msg)) = &state.status {
        let s = match kind {
            StatusKind::Error => fg(t.error).add_modifier(Modifier::BOLD),
            StatusKind::Info => Style::new().add_modifier(Modifier::BOLD),
        };
        let m = format!(" │ {}", crate::text::sanitize(msg));
        used += display_width(&m);
        spans.push(Span::styled(m, s));
    }
    let rw = display_width(&right);
    if used + rw < w {
        spans.push(Span::raw(" ".repeat(w - used - rw)));
        spans.push(Span::raw(right));
    }
    // Cut the whole line at a grapheme boundary, keeping spans' styles.
    let line = cut_line(spans, w);
    frame.render_widget(Paragraph::new(line).style(base), r);
}

fn tail(s: &str, w: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let gs: Vec<&str> = s.graphemes(true).collect();
    let mut used = 0;
    let mut start = gs.len();
    while start > 0 && used + display_width(gs[start - 1]) < w {
        start -= 1;
        used += display_width(gs[start]);
    }
    format!("…{}", gs[start..].concat())
}

fn cut_line(spans: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let sw = display_width(&s.content);
        if used + sw <= w {
            used += sw;
            out.push(s);
        } else {
            let c = truncate(&s.content, w - used);
            out.push(Span::styled(c, s.style));
            break;
        }
    }
    Line::from(out)
}
