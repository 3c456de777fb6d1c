//! The trending section: site topics and topics computed from the archive.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fg, header, selection};
use crate::i18n::{Text, tr};
use crate::reader::state::{Focus, State};
use crate::text::width::{display_width, pad};

pub(super) fn trending(state: &State, frame: &mut Frame, r: Rect) {
    let t = &state.cfg.theme;
    let lang = state.cfg.lang;
    header(state, frame, r, tr(Text::Trending, lang), state.focus == Focus::Trending);
    let body = Rect { y: r.y + 1, height: r.height.saturating_sub(1), ..r };
    if state.topics.items.is_empty() {
        frame.render_widget(Paragraph::new(format!(" {}", tr(Text::NoTrending, lang))).style(fg(t.meta)), body);
        return;
    }
    let w = r.width as usize;
    let topic_w = state.topics.items.iter().map(|t| display_width(&t.topic)).max().unwrap_or(0).min(w / 3).max(1);
    let mut lines = Vec::new();
    for (i, topic) in state.topics.items.iter().enumerate().skip(state.topics.offset).take(body.height as usize) {
        let active = state.filter.topic.as_deref() == Some(topic.topic.as_str());
        let mark = if active { "▸" } else { " " };
        // Computed topics: «↗» and the unread colour, with their article
        // count; site topics: the accent colour.
        let (sign, colour) = match topic.computed {
            Some(_) => ("↗", t.unread),
            None => (" ", t.accent),
        };
        let mut spans = vec![
            Span::styled(mark, fg(t.accent)),
            Span::styled(sign, fg(colour)),
            Span::styled(pad(&topic.topic, topic_w), fg(colour).add_modifier(Modifier::BOLD)),
        ];
        let rest = w.saturating_sub(topic_w + 2);
        if rest > 2 {
            let headline = match topic.computed {
                Some((_, n)) => format!("({n}) {}", topic.headline),
                None => topic.headline.clone(),
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(pad(&headline, rest - 1), fg(t.meta)));
        }
        let mut line = Line::from(spans);
        if i == state.topics.selected && state.focus == Focus::Trending {
            for sp in &mut line.spans {
                sp.style = sp.style.patch(selection(t));
            }
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), body);
}
