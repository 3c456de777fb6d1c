//! The feeds view (`L`): one line per subscription under its tag, with
//! unread/total counts, tags, «офлайн» and the last error; and the one-line
//! prompt drawn over the status bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fg, header, selection, status_style};
use crate::i18n::{self, Text, tr};
use crate::reader::state::{FeedLine, FeedRow, Prompt, State};
use crate::reader::texts::{T, t};
use crate::text::sanitize;
use crate::text::width::{display_width, pad, truncate};

/// Column widths: marker, title, counts, tags (wide only), state.
struct Columns {
    title: usize,
    counts: usize,
    tags: usize,
}

impl Columns {
    fn new(w: usize) -> Columns {
        if w >= 80 {
            Columns { title: (w * 2 / 5).max(20), counts: 12, tags: 18 }
        } else {
            // Narrow: no tags column (the tag lines group them); the state keeps room.
            Columns { title: (w * 9 / 20).max(8), counts: 10, tags: 0 }
        }
    }
}

pub(super) fn feeds(state: &State, frame: &mut Frame, r: Rect) {
    let lang = state.cfg.lang;
    let v = &state.feeds;
    let unread: i64 = v.rows.iter().map(|r| r.feed.unread_count).sum();
    let mut title = format!("{} · {} · {}", t(T::Feeds, lang), v.rows.len(), i18n::unread(unread, lang));
    if !state.fetch.online {
        title.push_str(&format!(" · {}", t(T::Offline, lang)));
    }
    header(state, frame, r, &title, true);
    let body = Rect { y: r.y + 1, height: r.height.saturating_sub(1), ..r };
    if v.lines.is_empty() {
        let msg = if v.loaded { t(T::NoFeedsYet, lang) } else { tr(Text::Loading, lang) };
        let text = truncate(&format!(" {msg}"), r.width as usize);
        frame.render_widget(Paragraph::new(text).style(fg(state.cfg.theme.meta)), body);
        return;
    }
    let w = r.width as usize;
    let cols = Columns::new(w);
    let lines: Vec<Line> = (v.offset..v.lines.len())
        .take(state.feeds_rows().min(body.height as usize))
        .map(|i| {
            let mut line = match &v.lines[i] {
                FeedLine::Tag(tag) => tag_line(state, tag, w),
                FeedLine::Feed(k) => feed_line(state, &v.rows[*k], &cols, w),
            };
            if i == v.selected {
                for sp in &mut line.spans {
                    sp.style = sp.style.patch(selection(&state.cfg.theme));
                }
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

fn tag_line(state: &State, tag: &str, w: usize) -> Line<'static> {
    let label = if tag.is_empty() { t(T::NoTag, state.cfg.lang).to_string() } else { format!("#{}", sanitize(tag)) };
    Line::styled(pad(&truncate(&format!(" {label}"), w), w), fg(state.cfg.theme.meta).add_modifier(Modifier::BOLD))
}

/// What a feed's last fetch left: gone, «офлайн», never fetched, the error.
fn feed_state(state: &State, row: &FeedRow) -> String {
    let lang = state.cfg.lang;
    let f = &row.feed;
    let mut parts: Vec<String> = Vec::new();
    if f.gone {
        parts.push(t(T::Gone, lang).to_string());
    }
    if f.last_fetch.is_none() {
        parts.push(t(T::Never, lang).to_string());
    } else if row.offline {
        parts.push(t(T::Offline, lang).to_string());
    }
    if let Some(e) = &f.last_error {
        parts.push(crate::reader::messages::feed_error(e, lang));
    }
    parts.join(" · ")
}

fn feed_line(state: &State, row: &FeedRow, cols: &Columns, w: usize) -> Line<'static> {
    let th = &state.cfg.theme;
    let f = &row.feed;
    let has_unread = f.unread_count > 0;
    let title_style = if has_unread { Style::new().add_modifier(Modifier::BOLD) } else { Style::new() };
    let counts = format!("{}/{}", f.unread_count, f.article_count);
    let mut spans = vec![
        Span::styled(if has_unread { " ●" } else { "  " }, fg(th.unread)),
        Span::raw(" "),
        Span::styled(pad(&truncate(&sanitize(&row.name()), cols.title), cols.title), title_style),
        Span::styled(format!("{:>width$}  ", counts, width = cols.counts - 2), fg(th.meta)),
    ];
    let mut used = 3 + cols.title + cols.counts;
    if cols.tags > 0 {
        let tags = sanitize(&f.tags.join(", "));
        spans.push(Span::styled(pad(&truncate(&tags, cols.tags - 1), cols.tags), fg(th.accent)));
        used += cols.tags;
    }
    let st = truncate(&feed_state(state, row), w.saturating_sub(used));
    let st_style = if f.last_error.is_some() || f.gone { fg(th.error) } else { fg(th.meta) };
    used += display_width(&st);
    spans.push(Span::styled(st, st_style));
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}

/// The prompt over the status bar: what is asked, what is typed (its end
/// kept in view), or the y/n question.
pub(super) fn prompt(state: &State, frame: &mut Frame, r: Rect) {
    let Some(p) = &state.prompt else { return };
    let lang = state.cfg.lang;
    let w = r.width as usize;
    let text = match p {
        Prompt::AddFeed(text) => typed(t(T::FeedUrl, lang), text, w),
        Prompt::Rename { text, .. } => typed(t(T::NewName, lang), text, w),
        Prompt::Command(text) => typed_after(":", text, w),
        Prompt::Remove { name, .. } => {
            format!(" {} «{}»? y/n — {}", t(T::RemoveAsk, lang), sanitize(name), t(T::Yes, lang))
        }
    };
    let style = status_style(&state.cfg.theme).add_modifier(Modifier::BOLD);
    frame.render_widget(Paragraph::new(pad(&truncate(&text, w), w)).style(style), r);
}

fn typed(label: &str, text: &str, w: usize) -> String {
    typed_after(&format!(" {label}: "), text, w)
}

fn typed_after(head: &str, text: &str, w: usize) -> String {
    let room = w.saturating_sub(display_width(head) + 2);
    let mut shown: Vec<char> = Vec::new();
    let mut used = 0;
    let text = sanitize(text);
    for c in text.chars().rev() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if used + cw > room {
            shown.push('…');
            break;
        }
        used += cw;
        shown.push(c);
    }
    let tail: String = shown.into_iter().rev().collect();
    format!("{head}{tail}▏")
}
