//! The `:` command line (newsboat's and vim's): the less common actions by
//! name, so they need no key of their own. Typing, Tab completion of the
//! command's name and Esc are here; what a command does is an [`Effect`] or
//! an action the keys already have.
//!
//! `:tag TAG` narrows the list to the feeds filed under TAG (as Enter on a
//! tag line of the feeds view does); tagging a feed is `:add URL TAG…`,
//! which adds tags to a feed already subscribed.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::reader::keymap::Action;
use crate::reader::msg::Effect;
use crate::reader::state::{Mode, Prompt, State, StatusKind};
use crate::reader::texts::{T, t};

/// The command names, as Tab completes them (`q` is `quit` too).
pub const COMMANDS: [&str; 11] =
    ["add", "export", "feeds", "help", "pipe", "pipe-url", "quit", "refresh", "starred", "tag", "unread"];

/// `:` opens the command line.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.prompt = Some(Prompt::Command(String::new()));
    vec![]
}

/// A key while the command line is open.
pub(super) fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    let Some(Prompt::Command(text)) = state.prompt.as_mut() else { return vec![] };
    match k.code {
        KeyCode::Esc => state.prompt = None,
        KeyCode::Enter => {
            let line = std::mem::take(text);
            state.prompt = None;
            return run(state, &line);
        }
        KeyCode::Tab => *text = complete(text),
        // Backspace on an empty line leaves it, as in vim.
        KeyCode::Backspace if text.is_empty() => state.prompt = None,
        _ => super::feeds::edit_line(text, k),
    }
    vec![]
}

/// Tab: the command name completed as far as it is unambiguous; when it
/// already is a name and others share its start, the next of them.
pub fn complete(text: &str) -> String {
    let word = text.trim_start();
    if word.contains(' ') {
        return text.to_string();
    }
    let matches: Vec<&str> = COMMANDS.iter().copied().filter(|c| c.starts_with(word)).collect();
    match matches.as_slice() {
        [] => text.to_string(),
        [one] => format!("{one} "),
        many => {
            let lcp = common_prefix(many);
            if lcp.len() > word.len() {
                return lcp.to_string();
            }
            // Cycle: after the typed name comes the next one sharing its start.
            let at = many.iter().position(|c| *c == word).map(|i| (i + 1) % many.len()).unwrap_or(0);
            many[at].to_string()
        }
    }
}

fn common_prefix<'a>(words: &[&'a str]) -> &'a str {
    let first = words[0];
    let n = words.iter().map(|w| first.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count()).min();
    &first[..n.unwrap_or(0)]
}

/// Runs one command line.
pub(super) fn run(state: &mut State, line: &str) -> Vec<Effect> {
    let line = line.trim().trim_start_matches(':').trim();
    let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let args: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
    let action = |state: &mut State, a: Action| super::keys::action(state, a);
    match name {
        "" => vec![],
        "q" | "quit" => action(state, Action::Quit),
        "help" => {
            state.mode = Mode::Help;
            state.help_commands = true;
            vec![]
        }
        "add" => add(state, &args),
        "tag" => tag(state, args.first()),
        "export" => vec![Effect::ExportOpml(Some(rest.to_string()).filter(|p| !p.is_empty()))],
        "pipe" => super::pipe::pipe(state, Some(rest).filter(|c| !c.is_empty()), false),
        "pipe-url" => super::pipe::pipe(state, Some(rest).filter(|c| !c.is_empty()), true),
        "feeds" => action(state, Action::Feeds),
        "unread" => action(state, Action::UnreadOnly),
        "starred" => action(state, Action::StarredOnly),
        "refresh" => action(state, Action::RefreshAll),
        other => {
            let lang = state.cfg.lang;
            let text = format!(
                "{} «:{}» — {}",
                t(T::UnknownCommand, lang),
                crate::text::sanitize(other),
                t(T::CommandsHint, lang)
            );
            state.status = Some((StatusKind::Error, text));
            vec![]
        }
    }
}

/// `:add URL [TAG…]`: subscribe (or add the tags to a subscription).
fn add(state: &mut State, args: &[String]) -> Vec<Effect> {
    let lang = state.cfg.lang;
    let Some(first) = args.first() else {
        state.status = Some((StatusKind::Error, t(T::AddUsage, lang).to_string()));
        return vec![];
    };
    match url::Url::parse(first).ok().filter(|u| matches!(u.scheme(), "http" | "https")) {
        Some(u) => vec![Effect::AddFeed(u.to_string(), args[1..].to_vec())],
        None => {
            let msg = format!("{}: {}", t(T::NotUrl, lang), crate::text::sanitize(first));
            state.status = Some((StatusKind::Error, msg));
            vec![]
        }
    }
}

/// `:tag TAG`: the list narrowed to TAG's feeds once the feeds arrive;
/// `:tag` alone shows every feed again.
fn tag(state: &mut State, tag: Option<&String>) -> Vec<Effect> {
    match tag {
        Some(tag) => {
            state.feeds.want_tag = Some(tag.trim_start_matches('#').to_string());
            vec![Effect::LoadFeeds]
        }
        None if state.filter.feed.is_some() => {
            state.filter.feed = None;
            super::list::reload(state)
        }
        None => vec![],
    }
}
