//! The headline list: day headers and one row per article.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fg, header, highlighted, mark_style, selection};
use crate::i18n::{self, Text, tr};
use crate::reader::settings::DateFormat;
use crate::reader::state::{Focus, Mode, State};
use crate::search::Query;
use crate::text::width::{display_width, pad, truncate};

pub(super) fn list_title(state: &State) -> String {
    let lang = state.cfg.lang;
    if let Some(s) = state.search.as_ref().filter(|s| s.is_active()) {
        let mut t = format!("{} «{}»", tr(Text::Search, lang), crate::text::sanitize(&s.query));
        if s.loaded {
            t.push_str(&format!(" · {} {}", tr(Text::Hits, lang), state.list.rows.len()));
        } else {
            t.push_str(&format!(" · {}", tr(Text::Searching, lang)));
        }
        return t;
    }
    let mut parts = vec![tr(Text::Headlines, lang).to_string()];
    if let Some(f) = &state.filter.feed {
        parts.push(crate::text::sanitize(&f.label));
    }
    if let Some(topic) = &state.filter.topic {
        parts.push(format!("{}: {topic}", tr(Text::Topic, lang)));
    }
    if !state.filter.title.is_empty() || state.mode == Mode::Filter {
        parts.push(format!("«{}»", crate::text::sanitize(&state.filter.title)));
    }
    if state.filter.unread_only {
        parts.push(tr(Text::UnreadOnly, lang).to_string());
    }
    if state.filter.starred_only {
        parts.push(crate::reader::texts::t(crate::reader::texts::T::Starred, lang).to_string());
    }
    parts.join(" · ")
}

/// Column widths of the list pane: marker(1) star(1) space date space site
/// space title; site and then date give way on narrow panes.
struct Columns {
    width: usize,
    date: usize,
    show_date: bool,
    site: usize,
}

impl Columns {
    fn new(state: &State, width: usize) -> Columns {
        let date = match state.cfg.date_format {
            DateFormat::Short => 11,
            DateFormat::Iso => 10,
        };
        Columns { width, date, show_date: width >= 36, site: if width >= 56 { 10 } else { 0 } }
    }
}

pub(super) fn list(state: &State, frame: &mut Frame, r: Rect) {
    let lang = state.cfg.lang;
    header(state, frame, r, &list_title(state), state.focus == Focus::List);
    let body = Rect { y: r.y + 1, height: r.height.saturating_sub(1), ..r };
    let l = &state.list;
    if l.rows.is_empty() {
        let msg = if l.loaded { tr(Text::NoArticles, lang) } else { tr(Text::Loading, lang) };
        let text = truncate(&format!(" {msg}"), r.width as usize);
        frame.render_widget(Paragraph::new(text).style(fg(state.cfg.theme.meta)), body);
        return;
    }
    let cols = Columns::new(state, r.width as usize);
    let shown = state.list_lines(body.height as usize);
    let query = state.search_query().and_then(|q| crate::search::parse(q).ok());
    let lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .map(|(n, slot)| match *slot {
            // A day header: the day of the row below it.
            None => day_header(state, shown.get(n + 1).copied().flatten(), cols.width),
            Some(i) => row_line(state, i, &cols, query.as_ref()),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// The header above the rows of one day (`below`: the row after it).
fn day_header(state: &State, below: Option<usize>, w: usize) -> Line<'static> {
    let lang = state.cfg.lang;
    let day = below.and_then(|i| state.list.rows[i].published);
    let label = match day {
        Some(p) if p.date() == state.today => tr(Text::TodayHeader, lang).to_string(),
        Some(p) => i18n::date_long(&crate::model::Stamp::Date(p.date()), lang),
        None => tr(Text::NoDate, lang).to_string(),
    };
    let text = truncate(&format!(" {label}"), w);
    Line::styled(text, fg(state.cfg.theme.meta).add_modifier(Modifier::BOLD | Modifier::DIM))
}

/// One headline row: read and star marks, date, site, the title with its
/// search matches marked, padded to the pane's width.
fn row_line(state: &State, i: usize, cols: &Columns, query: Option<&Query>) -> Line<'static> {
    let t = &state.cfg.theme;
    let row = &state.list.rows[i];
    let mut spans = vec![
        Span::styled(if row.read { " " } else { "●" }, fg(t.unread)),
        Span::styled(if row.starred { "★" } else { " " }, fg(t.star)),
    ];
    let mut used = 2;
    if cols.show_date {
        let d = row
            .published
            .map(|p| match state.cfg.date_format {
                DateFormat::Short => i18n::date_list(&p, state.today, state.cfg.lang),
                DateFormat::Iso => p.date().to_string(),
            })
            .unwrap_or_default();
        spans.push(Span::styled(format!(" {} ", pad(&d, cols.date)), fg(t.meta)));
        used += cols.date + 2;
    } else {
        spans.push(Span::raw(" "));
        used += 1;
    }
    if cols.site > 0 {
        let site = crate::text::sanitize(row.site.as_deref().unwrap_or(""));
        spans.push(Span::styled(format!("{} ", pad(&site, cols.site)), fg(t.accent)));
        used += cols.site + 1;
    }
    let title = truncate(&crate::text::sanitize(&row.title), cols.width.saturating_sub(used));
    let tw = display_width(&title);
    let ts = if row.read { Style::new() } else { Style::new().add_modifier(Modifier::BOLD) };
    let first_title_span = spans.len();
    match query {
        Some(q) => spans.extend(highlighted(&title, &q.highlight(&title), ts, mark_style(t))),
        None => spans.push(Span::styled(title, ts)),
    }
    let title_spans = first_title_span..spans.len();
    spans.push(Span::raw(" ".repeat(cols.width.saturating_sub(used + tw))));
    let mut line = Line::from(spans);
    if i == state.list.selected {
        mark_selected(state, &mut line, title_spans);
    }
    line
}

/// The selected row in the selection colours (dimmed while another pane has
/// the focus); matches in its title stay marked.
fn mark_selected(state: &State, line: &mut Line<'static>, title_spans: std::ops::Range<usize>) {
    let t = &state.cfg.theme;
    let s = if state.focus == Focus::List || !state.wide() {
        selection(t)
    } else {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM)
    };
    let mark = mark_style(t);
    for (k, sp) in line.spans.iter_mut().enumerate() {
        let was_mark = title_spans.contains(&k) && sp.style.bg == mark.bg && mark.bg.is_some();
        sp.style = sp.style.patch(s);
        if was_mark {
            sp.style = sp.style.patch(mark);
        }
    }
}
