//! Drawing: pure functions from [`State`] to a ratatui frame. No I/O, no
//! state changes; everything comes from `State` and its [`Geometry`].

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keymap::Action;
use super::settings::{DateFormat, Theme};
use super::state::{Focus, Geometry, Mode, State, StatusKind};
use crate::i18n::{self, Text, tr};
use crate::text::LineStyle;
use crate::text::width::{display_width, pad, truncate};

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
    if let Some(r) = g.list {
        list(state, frame, r);
    }
    if let Some(r) = g.trending {
        trending(state, frame, r);
    }
    if let Some(r) = g.divider {
        let s = fg(state.cfg.theme.meta);
        let text: Vec<Line> = (0..r.height).map(|_| Line::styled("│", s)).collect();
        frame.render_widget(Paragraph::new(text), r);
    }
    if g.reader.is_some() {
        reader(state, frame, &g);
    }
    status(state, frame, g.status);
    if state.mode == Mode::Help {
        help(state, frame, area);
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

fn list_title(state: &State) -> String {
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
    if let Some(topic) = &state.filter.topic {
        parts.push(format!("{}: {topic}", tr(Text::Topic, lang)));
    }
    if !state.filter.title.is_empty() || state.mode == Mode::Filter {
        parts.push(format!("«{}»", crate::text::sanitize(&state.filter.title)));
    }
    if state.filter.unread_only {
        parts.push(tr(Text::UnreadOnly, lang).to_string());
    }
    parts.join(" · ")
}

fn list(state: &State, frame: &mut Frame, r: Rect) {
    let lang = state.cfg.lang;
    let t = &state.cfg.theme;
    header(state, frame, r, &list_title(state), state.focus == Focus::List);
    let body = Rect { y: r.y + 1, height: r.height.saturating_sub(1), ..r };
    let l = &state.list;
    if l.rows.is_empty() {
        let msg = if l.loaded { tr(Text::NoArticles, lang) } else { tr(Text::Loading, lang) };
        frame.render_widget(Paragraph::new(truncate(&format!(" {msg}"), r.width as usize)).style(fg(t.meta)), body);
        return;
    }
    let w = r.width as usize;
    // Columns: marker(1) star(1) space date space site space title; site and
    // then date give way on narrow panes.
    let date_w = match state.cfg.date_format {
        DateFormat::Short => 11,
        DateFormat::Iso => 10,
    };
    let show_date = w >= 36;
    let site_w = if w >= 56 { 10 } else { 0 };
    let mut lines = Vec::with_capacity(body.height as usize);
    let shown = state.list_lines(body.height as usize);
    let query = state.search_query().and_then(|q| crate::search::parse(q).ok());
    for (n, slot) in shown.iter().enumerate() {
        let Some(i) = *slot else {
            // A day header: the day of the row below it.
            let day = shown.get(n + 1).copied().flatten().and_then(|i| l.rows[i].published);
            let label = match day {
                Some(p) if p.date() == state.today => tr(Text::TodayHeader, lang).to_string(),
                Some(p) => i18n::date_long(&crate::model::Stamp::Date(p.date()), lang),
                None => tr(Text::NoDate, lang).to_string(),
            };
            let text = truncate(&format!(" {label}"), w);
            lines.push(Line::styled(text, fg(t.meta).add_modifier(Modifier::BOLD | Modifier::DIM)));
            continue;
        };
        let row = &l.rows[i];
        let mut spans = Vec::new();
        let selected = i == l.selected;
        spans.push(Span::styled(if row.read { " " } else { "●" }, fg(t.unread)));
        spans.push(Span::styled(if row.starred { "★" } else { " " }, fg(t.star)));
        let mut used = 2;
        if show_date {
            let d = row
                .published
                .map(|p| match state.cfg.date_format {
                    DateFormat::Short => i18n::date_list(&p, state.today, lang),
                    DateFormat::Iso => p.date().to_string(),
                })
                .unwrap_or_default();
            spans.push(Span::styled(format!(" {} ", pad(&d, date_w)), fg(t.meta)));
            used += date_w + 2;
        } else {
            spans.push(Span::raw(" "));
            used += 1;
        }
        if site_w > 0 {
            let site = crate::text::sanitize(row.site.as_deref().unwrap_or(""));
            spans.push(Span::styled(format!("{} ", pad(&site, site_w)), fg(t.accent)));
            used += site_w + 1;
        }
        let title = truncate(&crate::text::sanitize(&row.title), w.saturating_sub(used));
        let tw = display_width(&title);
        let mut ts = Style::new();
        if !row.read {
            ts = ts.add_modifier(Modifier::BOLD);
        }
        let first_title_span = spans.len();
        match &query {
            Some(q) => spans.extend(highlighted(&title, &q.highlight(&title), ts, mark_style(t))),
            None => spans.push(Span::styled(title, ts)),
        }
        let title_spans = first_title_span..spans.len();
        spans.push(Span::raw(" ".repeat(w.saturating_sub(used + tw))));
        let mut line = Line::from(spans);
        if selected {
            let s = if state.focus == Focus::List || !state.wide() {
                selection(t)
            } else {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM)
            };
            let mark = mark_style(t);
            for (k, sp) in line.spans.iter_mut().enumerate() {
                // Matches stay marked on the selected row too.
                let was_mark = title_spans.contains(&k) && sp.style.bg == mark.bg && mark.bg.is_some();
                sp.style = sp.style.patch(s);
                if was_mark {
                    sp.style = sp.style.patch(mark);
                }
            }
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), body);
}

fn trending(state: &State, frame: &mut Frame, r: Rect) {
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

fn reader(state: &State, frame: &mut Frame, g: &Geometry) {
    let (Some(pane), Some(text)) = (g.reader, g.reader_text(state.cfg.max_width)) else { return };
    let t = &state.cfg.theme;
    let lang = state.cfg.lang;
    let footer = Rect { y: pane.y + pane.height.saturating_sub(1), height: 1, ..pane };
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

fn status(state: &State, frame: &mut Frame, r: Rect) {
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
    let mut right = String::new();
    if let Some((done, total)) = state.fetch.progress {
        right.push_str(&format!("{} {done}/{total}… ", tr(Text::Updating, lang)));
    } else if !state.fetch.online {
        right.push_str(tr(Text::Offline, lang));
        right.push(' ');
    }
    right.push_str(&format!("· {} ", state.db_hint));
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

fn action_text(a: Action) -> Text {
    match a {
        Action::Down => Text::KeyDown,
        Action::Up => Text::KeyUp,
        Action::ScrollDown => Text::KeyScrollDown,
        Action::ScrollUp => Text::KeyScrollUp,
        Action::PageDown => Text::KeyPageDown,
        Action::PageUp => Text::KeyPageUp,
        Action::First => Text::KeyFirst,
        Action::Last => Text::KeyLast,
        Action::Open => Text::KeyOpen,
        Action::Back => Text::KeyBack,
        Action::SwitchPane => Text::KeySwitchPane,
        Action::Trending => Text::KeyTrending,
        Action::NextUnread => Text::KeyNextUnread,
        Action::PrevMatch => Text::KeyPrevMatch,
        Action::Search => Text::KeySearch,
        Action::Refresh => Text::KeyRefresh,
        Action::RefreshAll => Text::KeyRefreshAll,
        Action::FullText => Text::KeyFullText,
        Action::ToggleRead => Text::KeyToggleRead,
        Action::ToggleStar => Text::KeyToggleStar,
        Action::UnreadOnly => Text::KeyUnreadOnly,
        Action::Filter => Text::KeyFilter,
        Action::OpenBrowser => Text::KeyOpenBrowser,
        Action::CopyUrl => Text::KeyCopyUrl,
        Action::WiderList => Text::KeyWiderList,
        Action::NarrowerList => Text::KeyNarrowerList,
        Action::Help => Text::KeyHelp,
        Action::Quit => Text::KeyQuit,
    }
}

/// The help overlay: every action with the keys bound to it now.
fn help(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.cfg.lang;
    let t = &state.cfg.theme;
    let rows: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|&a| {
            let keys = state.cfg.keymap.keys(a).iter().map(|k| k.to_string()).collect::<Vec<_>>().join(" ");
            (keys, tr(action_text(a), lang))
        })
        .chain(std::iter::once((tr(Text::Mouse, lang).to_string(), tr(Text::KeyMouse, lang))))
        .collect();
    let key_w = rows.iter().map(|(k, _)| display_width(k)).max().unwrap_or(0);
    let desc_w = rows.iter().map(|(_, d)| display_width(d)).max().unwrap_or(0);
    // As many columns as the height needs (a 24-row terminal cannot show
    // every key in one), at most three.
    let fit = (area.height.saturating_sub(2) as usize).max(1);
    let ncols = rows.len().div_ceil(fit).clamp(1, 3);
    let per_col = rows.len().div_ceil(ncols);
    let col_w = key_w + desc_w + 2;
    let w = ((ncols * col_w + (ncols - 1) * 3 + 2) as u16).min(area.width);
    let h = ((per_col + 2) as u16).min(area.height);
    let r = Rect { x: (area.width - w) / 2, y: (area.height - h) / 2, width: w, height: h };
    frame.render_widget(Clear, r);
    let title = truncate(&format!(" {} ", tr(Text::Help, lang)), w.saturating_sub(2) as usize);
    let bottom = truncate(&format!(" {} ", tr(Text::HelpClose, lang)), w.saturating_sub(2) as usize);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(fg(t.accent))
        .title(Line::styled(title, fg(t.accent).add_modifier(Modifier::BOLD)))
        .title_bottom(Line::styled(bottom, fg(t.meta)).right_aligned());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let gap = if ncols > 1 { 3 } else { 0 };
    let cw = (inner.width as usize).saturating_sub(gap * (ncols - 1)) / ncols;
    for (c, chunk) in rows.chunks(per_col).enumerate() {
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(k, d)| {
                let kw = key_w.min(cw);
                Line::from(vec![
                    Span::styled(pad(k, kw), fg(t.accent).add_modifier(Modifier::BOLD)),
                    Span::raw(truncate(&format!("  {d}"), cw.saturating_sub(kw))),
                ])
            })
            .collect();
        let x = inner.x + (c * (cw + gap)) as u16;
        if x >= inner.x + inner.width {
            break;
        }
        let width = (cw as u16).min(inner.x + inner.width - x);
        frame.render_widget(Paragraph::new(lines), Rect { x, width, ..inner });
    }
}
