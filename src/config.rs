//! Where svodka keeps its files, and the user's settings (`config.toml`).
//!
//! The config is read whole and strictly (serde with `deny_unknown_fields`):
//! a typo is an error naming the file, line and key, and svodka refuses to
//! start rather than run with half a config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::reader::keymap::{Action, KeyList};
pub use crate::reader::{DateFormat, Settings, Theme};

/// The settings `config.toml` holds: the reader defines them (imports run
/// from here to the reader, never back); this module reads them from disk.
pub type Config = Settings;

pub use crate::paths::{default_config_path, default_db_path, state_dir};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not a `source`: the message already says it, and anyhow's chain
    /// would say it twice.
    #[error("{path}: cannot read the config file: {error}")]
    Read { path: PathBuf, error: std::io::Error },
    /// toml's message names the line, column and key, with the line quoted.
    #[error("{path}: bad config: {message}")]
    Parse { path: PathBuf, message: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: Option<Lang>,
    date_format: Option<DateFormat>,
    timezone: Option<String>,
    refresh_on_start: Option<bool>,
    refresh_every: Option<String>,
    pipe_to: Option<String>,
    #[serde(default)]
    reader: ReaderFile,
    #[serde(default)]
    colors: ColorsFile,
    #[serde(default)]
    keys: BTreeMap<Action, KeyList>,
    sync: Option<crate::sync::SyncConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReaderFile {
    max_width: Option<u16>,
    justify: Option<bool>,
    hyphenate: Option<bool>,
    trending_window: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColorsFile {
    accent: Option<ColorSpec>,
    unread: Option<ColorSpec>,
    meta: Option<ColorSpec>,
    star: Option<ColorSpec>,
    selection_fg: Option<ColorSpec>,
    selection_bg: Option<ColorSpec>,
    status_fg: Option<ColorSpec>,
    status_bg: Option<ColorSpec>,
    error: Option<ColorSpec>,
}

/// A colour name (`red`, `lightblue`, `reset`), `#rrggbb` or an ANSI index.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "String")]
struct ColorSpec(Option<Color>);

impl TryFrom<String> for ColorSpec {
    type Error = String;
    fn try_from(s: String) -> Result<ColorSpec, String> {
        if s.eq_ignore_ascii_case("default") || s.eq_ignore_ascii_case("reset") || s.eq_ignore_ascii_case("none") {
            return Ok(ColorSpec(None));
        }
        s.parse::<Color>().map(|c| ColorSpec(Some(c))).map_err(|_| {
            format!("{s:?} is not a colour (use a name such as \"red\" or \"lightblue\", \"#rrggbb\", or 0-255)")
        })
    }
}

impl Config {
    /// Reads the config: `explicit` (from `--config`) must exist; the default
    /// path may be absent, which means the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_config_path() {
                Some(p) if p.exists() => p,
                _ => return Ok(Config::default().with_no_color(no_color)),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|error| ConfigError::Read { path: path.clone(), error })?;
        Ok(Config::parse(&text, &path)?.with_no_color(no_color))
    }

    /// Parses config text; `path` is only for the error message.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: one_line(&e, text) })?;
        let mut c = Config::default();
        if let Some(l) = file.language {
            c.lang = l;
        }
        if let Some(d) = file.date_format {
            c.date_format = d;
        }
        if let Some(z) = &file.timezone {
            c.timezone = crate::i18n::parse_zone(z).ok_or_else(|| ConfigError::Parse {
                path: path.to_path_buf(),
                message: format!(
                    "timezone = {z:?}: use \"local\", \"UTC\" or an offset such as \"+05:00\" (zone names need a tz database, which svodka does not bundle)"
                ),
            })?;
        }
        c.refresh_on_start = file.refresh_on_start.unwrap_or(c.refresh_on_start);
        if let Some(every) = &file.refresh_every {
            c.refresh_every = parse_every(every).map_err(|message| ConfigError::Parse {
                path: path.to_path_buf(),
                message: format!("refresh_every = {every:?}: {message}"),
            })?;
        }
        c.pipe_to = file.pipe_to.filter(|p| !p.trim().is_empty());
        c.max_width = file.reader.max_width.unwrap_or(c.max_width);
        c.justify = file.reader.justify.unwrap_or(c.justify);
        c.hyphenate = file.reader.hyphenate.unwrap_or(c.hyphenate);
        if let Some(w) = &file.reader.trending_window {
            c.trending_window = crate::search::trending::parse_window(w).map_err(|e| ConfigError::Parse {
                path: path.to_path_buf(),
                message: format!("trending_window: {e}"),
            })?;
        }
        let col = &file.colors;
        let t = &mut c.theme;
        for (slot, spec) in [
            (&mut t.accent, col.accent),
            (&mut t.unread, col.unread),
            (&mut t.meta, col.meta),
            (&mut t.star, col.star),
            (&mut t.selection_fg, col.selection_fg),
            (&mut t.selection_bg, col.selection_bg),
            (&mut t.status_fg, col.status_fg),
            (&mut t.status_bg, col.status_bg),
            (&mut t.error, col.error),
        ] {
            if let Some(ColorSpec(v)) = spec {
                *slot = v;
            }
        }
        if let Some(sync) = &file.sync
            && sync.password_env.is_some() == sync.password_file.is_some()
        {
            return Err(ConfigError::Parse {
                path: path.to_path_buf(),
                message: "[sync] needs exactly one of password_env = \"NAME\" or password_file = \"PATH\" (the password is never written in config.toml)".into(),
            });
        }
        c.sync = file.sync;
        for (action, KeyList(keys)) in file.keys {
            c.keymap.rebind(action, keys);
        }
        Ok(c)
    }

    fn with_no_color(mut self, no_color: bool) -> Config {
        if no_color {
            self.theme = Theme::monochrome();
        }
        self
    }
}

/// `refresh_every`: `"off"`, or a number with `s`, `m`, `h` or `d`
/// (`"15m"`); a bare number is minutes. Less than a minute is refused: a
/// feed checked more often than that only costs its server.
fn parse_every(s: &str) -> Result<Option<std::time::Duration>, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("off") || s == "0" {
        return Ok(None);
    }
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let scale = match unit.trim() {
        "" | "m" | "min" => 60,
        "s" => 1,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err("use \"off\" or a duration such as \"15m\", \"2h\", \"1d\"".into()),
    };
    let secs = num.parse::<u64>().map_err(|_| "use a duration such as \"15m\"".to_string())?.saturating_mul(scale);
    if secs < 60 {
        return Err("at least one minute (\"1m\")".into());
    }
    Ok(Some(std::time::Duration::from_secs(secs)))
}

/// toml's error on one line (errors are one line on stderr): line, column,
/// the message, and the offending line quoted, which names the key.
fn one_line(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(span) = e.span() else { return message };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let quoted: String =
        text.lines().nth(line - 1).unwrap_or("").trim().chars().filter(|c| !c.is_control()).take(80).collect();
    format!("line {line}, column {column}: {message} (in `{quoted}`)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::keymap::Action;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn parse(s: &str) -> Result<Config, ConfigError> {
        Config::parse(s, Path::new("/etc/svodka.toml"))
    }

    #[test]
    fn empty_is_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.max_width, 100);
        assert!(c.hyphenate);
        assert_eq!(c.keymap.action(KeyCode::Char('j'), KeyModifiers::NONE), Some(Action::Down));
    }

    #[test]
    fn full_config() {
        let c = parse(
            r##"
language = "en"
date_format = "iso"
[reader]
max_width = 72
justify = true
hyphenate = false
[colors]
accent = "#ff8800"
unread = "lightblue"
status_bg = "default"
[keys]
down = ["x", "Down"]
quit = "ctrl-q"
"##,
        )
        .unwrap();
        assert_eq!(c.lang, Lang::En);
        assert_eq!(c.date_format, DateFormat::Iso);
        assert_eq!((c.max_width, c.justify, c.hyphenate), (72, true, false));
        assert_eq!(c.theme.accent, Some(Color::Rgb(0xff, 0x88, 0)));
        assert_eq!(c.theme.unread, Some(Color::LightBlue));
        assert_eq!(c.theme.status_bg, None);
        assert_eq!(c.keymap.action(KeyCode::Char('x'), KeyModifiers::NONE), Some(Action::Down));
        // Rebinding replaces the defaults of that action.
        assert_eq!(c.keymap.action(KeyCode::Char('j'), KeyModifiers::NONE), None);
        assert_eq!(c.keymap.action(KeyCode::Char('q'), KeyModifiers::CONTROL), Some(Action::Quit));
        assert_eq!(c.keymap.action(KeyCode::Char('q'), KeyModifiers::NONE), None);
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = parse("language = \"ru\"\n[reader]\nmax_widht = 80\n").unwrap_err().to_string();
        assert!(e.contains("/etc/svodka.toml"), "{e}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("max_widht"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        for (text, needle) in [
            ("[colors]\naccent = \"blurple\"\n", "blurple"),
            ("[keys]\ndown = \"ctrl-\"\n", "ctrl-"),
            ("[keys]\nfly = \"f\"\n", "fly"),
            ("language = \"de\"\n", "de"),
            ("date_format = 3\n", "date_format"),
            ("[reader]\nmax_width = -1\n", "max_width"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains("line "), "{text}: {e}");
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn errors_are_one_line() {
        for text in ["[reader]\nmax_widht = 80\n", "x = \"\n\n", "[keys]\ndown = [\"j\",\n"] {
            let e = parse(text).unwrap_err().to_string();
            assert_eq!(e.lines().count(), 1, "{text:?}: {e}");
        }
    }

    #[test]
    fn refresh_and_pipe_settings() {
        let c = parse("").unwrap();
        assert_eq!((c.refresh_on_start, c.refresh_every, c.pipe_to), (false, None, None));
        let c = parse("refresh_on_start = true\nrefresh_every = \"15m\"\npipe_to = \"trans -b\"\n").unwrap();
        assert!(c.refresh_on_start);
        assert_eq!(c.refresh_every, Some(std::time::Duration::from_secs(900)));
        assert_eq!(c.pipe_to.as_deref(), Some("trans -b"));
        for (text, secs) in
            [("\"2h\"", Some(7200)), ("\"1d\"", Some(86_400)), ("\"30\"", Some(1800)), ("\"off\"", None)]
        {
            let c = parse(&format!("refresh_every = {text}\n")).unwrap();
            assert_eq!(c.refresh_every, secs.map(std::time::Duration::from_secs), "{text}");
        }
        for bad in ["\"10s\"", "\"soon\"", "\"5 weeks\""] {
            let e = parse(&format!("refresh_every = {bad}\n")).unwrap_err().to_string();
            assert!(e.contains("refresh_every"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_sync_section_takes_a_password_source_never_a_password() {
        let c = parse("[sync]\nurl = \"https://r.example/fever/\"\nuser = \"me\"\npassword_env = \"PW\"\n").unwrap();
        let s = c.sync.unwrap();
        assert_eq!(
            (s.url.as_str(), s.user.as_str(), s.password_env.as_deref()),
            ("https://r.example/fever/", "me", Some("PW"))
        );
        for text in [
            "[sync]\nurl = \"u\"\nuser = \"me\"\n",
            "[sync]\nurl = \"u\"\nuser = \"me\"\npassword_env = \"PW\"\npassword_file = \"/p\"\n",
            "[sync]\nurl = \"u\"\nuser = \"me\"\npassword = \"hunter2\"\n",
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains("password"), "{text}: {e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
        assert!(parse("").unwrap().sync.is_none());
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/svodka.toml"))).unwrap_err().to_string();
        assert!(e.contains("/nonexistent/svodka.toml"), "{e}");
    }
}
