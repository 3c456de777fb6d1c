//! The help overlay: every action with the keys bound to it now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::fg;
use crate::i18n::{Text, tr};
use crate::reader::keymap::Action;
use crate::reader::state::State;
use crate::text::width::{display_width, pad, truncate};

/// The interface table's text for an action; `None` for the feeds view's
/// and bulk marking's actions, whose words are in [`texts`](crate::reader::texts).
fn action_text(a: Action) -> Option<Text> {
    Some(match a {
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
        _ => return None,
    })
}

fn describe(a: Action, lang: crate::i18n::Lang) -> &'static str {
    match action_text(a) {
        Some(t) => tr(t, lang),
        None => crate::reader::texts::action(a, lang).unwrap_or(""),
    }
}

/// The help overlay: every action with the keys bound to it now.
pub(super) fn help(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.cfg.lang;
    let t = &state.cfg.theme;
    let rows: Vec<(String, &str)> = if state.help_commands {
        crate::reader::texts::commands(lang).into_iter().map(|(c, d)| (c.to_string(), d)).collect()
    } else {
        Action::ALL
            .iter()
            .map(|&a| {
                let keys = state.cfg.keymap.keys(a).iter().map(|k| k.to_string()).collect::<Vec<_>>().join(" ");
                (keys, describe(a, lang))
            })
            .chain(std::iter::once((tr(Text::Mouse, lang).to_string(), tr(Text::KeyMouse, lang))))
            .collect()
    };
    let heading = if state.help_commands {
        crate::reader::texts::t(crate::reader::texts::T::Commands, lang)
    } else {
        tr(Text::Help, lang)
    };
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
    let title = truncate(&format!(" {heading} "), w.saturating_sub(2) as usize);
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
