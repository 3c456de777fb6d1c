//! Keys → actions. Every action has default vim and arrow bindings; the
//! config's `[keys]` table replaces an action's bindings.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use serde::Deserialize;

/// What a key does. Names (snake_case) are the config's `[keys]` table keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    First,
    Last,
    Open,
    Back,
    SwitchPane,
    Trending,
    NextUnread,
    PrevMatch,
    ToggleRead,
    ToggleStar,
    UnreadOnly,
    StarredOnly,
    Feeds,
    NextUnreadFeed,
    MarkFeedRead,
    MarkListRead,
    MarkAllRead,
    UndoMark,
    AddFeed,
    RenameFeed,
    RemoveFeed,
    Search,
    Filter,
    Refresh,
    RefreshAll,
    FullText,
    OpenBrowser,
    CopyUrl,
    PipeArticle,
    PipeUrl,
    Command,
    Help,
    Quit,
    WiderList,
    NarrowerList,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: [Action; 41] = [
        Action::Down,
        Action::Up,
        Action::ScrollDown,
        Action::ScrollUp,
        Action::PageDown,
        Action::PageUp,
        Action::First,
        Action::Last,
        Action::Open,
        Action::Back,
        Action::SwitchPane,
        Action::Trending,
        Action::NextUnread,
        Action::PrevMatch,
        Action::ToggleRead,
        Action::ToggleStar,
        Action::UnreadOnly,
        Action::StarredOnly,
        Action::Feeds,
        Action::NextUnreadFeed,
        Action::MarkFeedRead,
        Action::MarkListRead,
        Action::MarkAllRead,
        Action::UndoMark,
        Action::AddFeed,
        Action::RenameFeed,
        Action::RemoveFeed,
        Action::Search,
        Action::Filter,
        Action::Refresh,
        Action::RefreshAll,
        Action::FullText,
        Action::OpenBrowser,
        Action::CopyUrl,
        Action::PipeArticle,
        Action::PipeUrl,
        Action::Command,
        Action::WiderList,
        Action::NarrowerList,
        Action::Help,
        Action::Quit,
    ];

    fn defaults(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::ScrollDown => &["J", "Space"],
            Action::ScrollUp => &["K", "b"],
            Action::PageDown => &["PageDown"],
            Action::PageUp => &["PageUp"],
            Action::First => &["g", "Home"],
            Action::Last => &["G", "End"],
            Action::Open => &["Enter"],
            Action::Back => &["Esc"],
            Action::SwitchPane => &["Tab"],
            Action::Trending => &["t"],
            Action::NextUnread => &["n"],
            Action::PrevMatch => &["N"],
            Action::ToggleRead => &["m"],
            Action::ToggleStar => &["s"],
            Action::UnreadOnly => &["u"],
            Action::StarredOnly => &["S"],
            // newsboat's feed list is `q` away; `L` for «ленты», free here.
            Action::Feeds => &["L"],
            // newsboat: next-unread-feed is ^N, mark-feed-read `A`, mark-all `C`.
            Action::NextUnreadFeed => &["ctrl-n"],
            Action::MarkFeedRead => &["A"],
            Action::MarkListRead => &["M"],
            Action::MarkAllRead => &["C"],
            Action::UndoMark => &["U"],
            Action::AddFeed => &["a"],
            Action::RenameFeed => &["e"],
            Action::RemoveFeed => &["d"],
            Action::Search => &["/"],
            Action::Filter => &["f"],
            Action::Refresh => &["r"],
            Action::RefreshAll => &["R"],
            Action::FullText => &["F"],
            Action::OpenBrowser => &["o"],
            Action::CopyUrl => &["y"],
            // newsboat: `|` pipe-to, `:` its command line.
            Action::PipeArticle => &["|"],
            Action::PipeUrl => &["P"],
            Action::Command => &[":"],
            Action::WiderList => &[">"],
            Action::NarrowerList => &["<"],
            Action::Help => &["?", "F1"],
            Action::Quit => &["q"],
        }
    }
}

/// One key with modifiers, written `j`, `J`, `Space`, `PageDown`, `ctrl-d`,
/// `alt-Enter`, `F1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeySpec {
    /// Normalises what the terminal reports: a shifted letter arrives as
    /// `J` with SHIFT on some terminals and without on others.
    fn normal(code: KeyCode, mods: KeyModifiers) -> KeySpec {
        // `shift-j` means `J`.
        let code = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            }
            other => other,
        };
        let mods = match code {
            KeyCode::Char(_) | KeyCode::BackTab => mods - KeyModifiers::SHIFT,
            _ => mods,
        };
        KeySpec { code, mods: mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT) }
    }
}

impl TryFrom<&str> for KeySpec {
    type Error = String;
    fn try_from(s: &str) -> Result<KeySpec, String> {
        let bad =
            || format!("{s:?} is not a key (examples: \"j\", \"J\", \"Space\", \"PageDown\", \"ctrl-d\", \"F1\")");
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, n) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.chars().count() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[n..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(bad()),
            (Some(c), None) => {
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=24) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
        };
        Ok(KeySpec::normal(code, mods))
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("BackTab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One key or a list of keys, as the config writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyList(pub Vec<KeySpec>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeyList, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key such as \"j\" or a list of keys such as [\"j\", \"Down\"]")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<KeyList, E> {
                KeySpec::try_from(s).map(|k| KeyList(vec![k])).map_err(E::custom)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(KeySpec::try_from(s.as_str()).map_err(serde::de::Error::custom)?);
                }
                Ok(KeyList(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The bindings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_action: Vec<(Action, Vec<KeySpec>)>,
    by_key: HashMap<KeySpec, Action>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let by_action = Action::ALL
            .iter()
            .map(|&a| (a, a.defaults().iter().filter_map(|s| KeySpec::try_from(*s).ok()).collect()))
            .collect();
        let mut k = Keymap { by_action, by_key: HashMap::new() };
        k.reindex();
        k
    }
}

impl Keymap {
    /// Replaces `action`'s keys. A key given to two actions goes to the one
    /// rebound last.
    pub fn rebind(&mut self, action: Action, keys: Vec<KeySpec>) {
        for (a, ks) in &mut self.by_action {
            if *a == action {
                *ks = keys.clone();
            } else {
                ks.retain(|k| !keys.contains(k));
            }
        }
        self.reindex();
    }

    fn reindex(&mut self) {
        self.by_key = self.by_action.iter().flat_map(|(a, ks)| ks.iter().map(move |k| (*k, *a))).collect();
    }

    pub fn action(&self, code: KeyCode, mods: KeyModifiers) -> Option<Action> {
        self.by_key.get(&KeySpec::normal(code, mods)).copied()
    }

    /// The keys bound to `action`, for the help overlay.
    pub fn keys(&self, action: Action) -> &[KeySpec] {
        self.by_action.iter().find(|(a, _)| *a == action).map(|(_, k)| k.as_slice()).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_keys() {
        for (s, code, mods, shown) in [
            ("j", KeyCode::Char('j'), KeyModifiers::NONE, "j"),
            ("J", KeyCode::Char('J'), KeyModifiers::NONE, "J"),
            ("Space", KeyCode::Char(' '), KeyModifiers::NONE, "Space"),
            ("ctrl-D", KeyCode::Char('d'), KeyModifiers::CONTROL, "Ctrl-d"),
            ("PageDown", KeyCode::PageDown, KeyModifiers::NONE, "PgDn"),
            ("F1", KeyCode::F(1), KeyModifiers::NONE, "F1"),
            ("alt-Enter", KeyCode::Enter, KeyModifiers::ALT, "Alt-Enter"),
            ("ж", KeyCode::Char('ж'), KeyModifiers::NONE, "ж"),
            ("shift-j", KeyCode::Char('J'), KeyModifiers::NONE, "J"),
        ] {
            let k = KeySpec::try_from(s).unwrap();
            assert_eq!((k.code, k.mods), (code, mods), "{s}");
            assert_eq!(k.to_string(), shown);
        }
        for bad in ["", "ctrl-", "F99", "Hyper"] {
            assert!(KeySpec::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_action_has_a_default_key_and_shift_is_normalised() {
        let k = Keymap::default();
        for a in Action::ALL {
            assert!(!k.keys(a).is_empty(), "{a:?}");
        }
        assert_eq!(k.action(KeyCode::Char('J'), KeyModifiers::SHIFT), Some(Action::ScrollDown));
        assert_eq!(k.action(KeyCode::Char('J'), KeyModifiers::NONE), Some(Action::ScrollDown));
        assert_eq!(k.action(KeyCode::Down, KeyModifiers::NONE), Some(Action::Down));
    }

    #[test]
    fn rebinding_moves_a_key() {
        let mut k = Keymap::default();
        k.rebind(Action::Quit, vec![KeySpec::try_from("j").unwrap()]);
        assert_eq!(k.action(KeyCode::Char('j'), KeyModifiers::NONE), Some(Action::Quit));
        assert_eq!(k.keys(Action::Down), &[KeySpec::try_from("Down").unwrap()]);
    }
}
