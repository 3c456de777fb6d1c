//! Piping the open article to a command (newsboat's `pipe-to`): `|` sends
//! its text, `P` its URL, to `pipe_to` from the config; `:pipe CMD` and
//! `:pipe-url CMD` to a command given once.
//!
//! The command runs with `sh -c` off the UI thread, its stdin the text and
//! its stdout/stderr captured (it never draws over the screen); the status
//! bar says how it ended. Interactive programs are not supported: one that
//! needs the terminal should open a window of its own (`mpv`, a GUI
//! translator).

use crate::model::{Article, BlockKind};
use crate::reader::msg::Effect;
use crate::reader::state::{Prompt, State, StatusKind};
use crate::reader::texts::{T, t};
use crate::text::sanitize;

/// `|` / `P` / `:pipe`: `command` (else `pipe_to`) gets the article's text,
/// or its URL when `url`. Without a command, the command line opens with
/// `pipe ` typed, to give one.
pub(super) fn pipe(state: &mut State, command: Option<&str>, url: bool) -> Vec<Effect> {
    let lang = state.cfg.lang;
    let Some(command) = command.map(str::to_string).or_else(|| state.cfg.pipe_to.clone()) else {
        let name = if url { "pipe-url " } else { "pipe " };
        state.prompt = Some(Prompt::Command(name.to_string()));
        return vec![];
    };
    let Some(article) = state.reader.as_ref().and_then(|r| r.article.clone()) else {
        state.status = Some((StatusKind::Error, t(T::NoArticleOpen, lang).to_string()));
        return vec![];
    };
    let input = if url {
        match &article.summary.url {
            Some(u) => format!("{}\n", sanitize(u)),
            None => {
                state.status = Some((StatusKind::Error, crate::i18n::tr(crate::i18n::Text::NoUrl, lang).to_string()));
                return vec![];
            }
        }
    } else {
        plain_text(&article)
    };
    state.status = Some((StatusKind::Info, format!("{} {}…", t(T::Piping, lang), sanitize(&command))));
    vec![Effect::Pipe { command, input }]
}

/// The article as plain text: the title first, then one block per line
/// (a preformatted block keeps its lines; images are left out). Control
/// characters from the source are dropped, as on screen.
pub fn plain_text(a: &Article) -> String {
    let mut out = sanitize(a.summary.title.trim());
    out.push('\n');
    for b in &a.blocks {
        let text = match b.kind {
            BlockKind::Image => continue,
            BlockKind::Preformatted => b.text.lines().map(sanitize).collect::<Vec<_>>().join("\n"),
            _ => b.text.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        let text = sanitize(&text);
        if !text.trim().is_empty() {
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The command ended: its exit status and the first line it printed.
pub(super) fn piped(state: &mut State, command: &str, code: Option<i32>, output: &str) -> Vec<Effect> {
    let lang = state.cfg.lang;
    let name = sanitize(command.split_whitespace().next().unwrap_or(command));
    let line = sanitize(output.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim());
    let (kind, head) = match code {
        Some(0) => (StatusKind::Info, format!("{name}: {}", t(T::PipeDone, lang))),
        Some(n) => (StatusKind::Error, format!("{name}: {} {n}", t(T::PipeExit, lang))),
        None => (StatusKind::Error, format!("{name}: {}", t(T::PipeFailed, lang))),
    };
    let text = if line.is_empty() { head } else { format!("{head} · {line}") };
    state.status = Some((kind, text));
    vec![]
}
