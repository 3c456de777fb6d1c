//! The reader's settings: language, dates, the reading pane's layout,
//! colours and keys. The reader defines them; `config.toml` is parsed into
//! them at the edge (the `config` module), so the reader never reads files
//! or knows where they are.

use ratatui::style::Color;
use serde::Deserialize;

use super::keymap::Keymap;
use crate::i18n::Lang;

/// How dates are shown in the list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    /// `14 авг 2001`, or the time for today.
    #[default]
    Short,
    /// `2001-08-14`.
    Iso,
}

/// The settings, as the reader uses them (the CLI reads `lang` and the layout ones too).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lang: Lang,
    pub date_format: DateFormat,
    /// Widest the reading-pane text gets, in columns (0: no cap).
    pub max_width: u16,
    pub justify: bool,
    pub hyphenate: bool,
    pub theme: Theme,
    pub keymap: Keymap,
    /// The zone every time is shown in (config `timezone`; the system's
    /// offset by default).
    pub timezone: time::UtcOffset,
    /// Refresh the subscriptions that are due when the reader starts
    /// (config `refresh_on_start`).
    pub refresh_on_start: bool,
    /// Refresh the due subscriptions this often while the reader runs
    /// (config `refresh_every`; `None`: only by hand).
    pub refresh_every: Option<std::time::Duration>,
    /// The command (`sh -c`) `|` pipes the open article to (config
    /// `pipe_to`; `None`: `|` asks for one).
    pub pipe_to: Option<String>,
    /// The `[sync]` section: a feed server to sync with, if any.
    pub sync: Option<crate::sync::SyncConfig>,
    /// Seconds of news the computed «В тренде» topics cover (config
    /// `[reader] trending_window`, as `svodka trending --window`).
    pub trending_window: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: Lang::from_env(),
            date_format: DateFormat::Short,
            max_width: 100,
            justify: false,
            hyphenate: true,
            theme: Theme::default(),
            keymap: Keymap::default(),
            timezone: crate::i18n::local_offset(),
            refresh_on_start: false,
            refresh_every: None,
            pipe_to: None,
            sync: None,
            trending_window: 24 * 3600,
        }
    }
}

/// Colours; `None` means the terminal's default. With `NO_COLOR` set every
/// colour is `None` and only bold/reverse/dim mark things.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub accent: Option<Color>,
    pub unread: Option<Color>,
    pub meta: Option<Color>,
    pub star: Option<Color>,
    pub selection_fg: Option<Color>,
    pub selection_bg: Option<Color>,
    pub status_fg: Option<Color>,
    pub status_bg: Option<Color>,
    pub error: Option<Color>,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            accent: Some(Color::Cyan),
            unread: Some(Color::Yellow),
            meta: Some(Color::Gray),
            star: Some(Color::Yellow),
            selection_fg: Some(Color::Black),
            selection_bg: Some(Color::Cyan),
            status_fg: Some(Color::Black),
            status_bg: Some(Color::Gray),
            error: Some(Color::Red),
        }
    }
}

impl Theme {
    /// No colours at all (`NO_COLOR`).
    pub fn monochrome() -> Theme {
        Theme {
            accent: None,
            unread: None,
            meta: None,
            star: None,
            selection_fg: None,
            selection_bg: None,
            status_fg: None,
            status_bg: None,
            error: None,
        }
    }
}
