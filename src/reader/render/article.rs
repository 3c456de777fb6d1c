//! The reading pane: the laid-out article with its search matches, and a
//! footer with the star and the scroll position.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{fg, highlighted, mark_style};
use crate::i18n::{Text, tr};
use crate::reader::state::{Focus, Geometry, State, Topic};
use crate::text::LineStyle;
use crate::text::width::truncate;

pub(super) fn article(state: &State, frame: &mut Frame, g: &Geometry) {
    let (Some(pane), Some(text)) = (g.reader, g.reader_text(state.cfg.max_width)) else { return };
    let t = &state.cfg.theme;
    let lang = state.cfg.lang;
    let footer = Rect { y: pane.y + pane.height.saturating_sub(1), height: 1, ..pane };
    if state.focus == Focus::Trending
        && let Some(topic) = state.topics.items.get(state.topics.selected)
    {
        return topic_preview(state, topic, frame, text);
    }
    let Some(rd) = &state.reader else {
        frame.render_widget(
            Paragraph::new(truncate(tr(Text::Empty, lang), text.width as usize)).style(fg(t.meta)),
            text,
        );
        return;
    };
    if rd.article.is_none() {
        frame.render_widget(
            Paragraph::new(truncate(tr(Text::Loading, lang), text.width as usize)).style(fg(t.meta)),
            text,
        );
        return;
    }
    let query = state.search_query().and_then(|q| crate::search::parse(q).ok());
    let lines: Vec<Line> = rd
        .lines
        .iter()
        .enumerate()
        .skip(rd.scroll)
        .take(text.height as usize)
        .map(|(i, l)| {
            let s = match l.style {
                LineStyle::Title => fg(t.accent).add_modifier(Modifier::BOLD),
                LineStyle::Meta => fg(t.meta).add_modifier(Modifier::ITALIC),
                LineStyle::Heading => Style::new().add_modifier(Modifier::BOLD),
                LineStyle::Quote => fg(t.meta),
                LineStyle::Link => fg(t.accent).add_modifier(Modifier::UNDERLINED),
                _ => Style::new(),
            };
            match &query {
                Some(q) => {
                    let ranges = q.highlight(&l.text);
                    let mut mark = mark_style(t);
                    if rd.current_match == Some(i) {
                        // The match `n`/`N` jumped to.
                        mark = mark.add_modifier(Modifier::UNDERLINED);
                    }
                    Line::from(highlighted(&l.text, &ranges, s, mark))
                }
                None => Line::styled(l.text.clone(), s),
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text);
    // Footer: read/star state and the scroll position («37%»).
    let mut right = String::new();
    if rd.article.as_ref().is_some_and(|a| a.summary.starred) {
        right.push_str("★ ");
    }
    if let Some(p) = state.scroll_percent() {
        right.push_str(&format!("{p}%"));
    }
    let footer_style = if state.focus == Focus::Reader { fg(t.accent) } else { fg(t.meta) };
    frame.render_widget(
        Paragraph::new(truncate(&right, footer.width as usize)).alignment(Alignment::Right).style(footer_style),
        Rect { width: footer.width.saturating_sub(1).max(1), ..footer },
    );
}

/// A topic selected in «В тренде»: its headline in full (the list cuts it),
/// how many articles a computed topic has, and what Enter does.
fn topic_preview(state: &State, topic: &Topic, frame: &mut Frame, text: Rect) {
    use crate::reader::texts::{T, t as say};
    let (th, lang, width) = (&state.cfg.theme, state.cfg.lang, text.width as usize);
    let hyphenate = state.cfg.hyphenate;
    let mut lines: Vec<Line> = Vec::new();
    let bold = fg(th.accent).add_modifier(Modifier::BOLD);
    for l in crate::text::wrap::wrap(&topic.topic, width, hyphenate) {
        lines.push(Line::styled(l.text, bold));
    }
    lines.push(Line::default());
    for l in crate::text::wrap::wrap(&topic.headline, width, hyphenate) {
        lines.push(Line::raw(l.text));
    }
    lines.push(Line::default());
    if let Some((_, n)) = &topic.computed {
        lines.push(Line::styled(truncate(&format!("{}: {n}", say(T::TopicCount, lang)), width), fg(th.meta)));
    }
    lines.push(Line::styled(truncate(say(T::TopicHint, lang), width), fg(th.meta)));
    frame.render_widget(Paragraph::new(lines), text);
}
