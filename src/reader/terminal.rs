//! The terminal side of the reader: setup and restore (also on error and
//! panic), the input thread and the event loop.
//!
//! One UI thread owns the terminal. The input thread and the workers send
//! [`Msg`]s into one channel; the loop feeds them to the pure
//! [`update`](super::update()), hands the effects to the [`Workers`] and
//! draws with [`render`](super::render()).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor, event,
    event::{DisableMouseCapture, EnableMouseCapture, Event},
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};

use super::effects::Workers;
use super::msg::Msg;
use super::settings::Settings;
use super::state::{Saved, State};
use super::update::{first_launch, init, update};
use crate::extract::Rules;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Runs the reader on the archive at `db` until the user quits; logs go to
/// `svodka.log` in `log_dir` (none without one).
pub fn run(db: &Path, settings: Settings, rules: Rules, log_dir: Option<&Path>) -> Result<(), ReaderError> {
    run_with(db, settings, rules, log_dir, &mut |_| {})
}

/// [`run`], calling `after_draw` after every frame. Only tests pass a hook
/// (tests/tui.rs panics from it to prove the terminal is restored), so the
/// binary holds no test-only branch.
#[doc(hidden)]
pub fn run_with(
    db: &Path,
    settings: Settings,
    rules: Rules,
    log_dir: Option<&Path>,
    after_draw: &mut dyn FnMut(&State),
) -> Result<(), ReaderError> {
    let log = log_dir.and_then(init_logging);
    tracing::info!("svodka reader starting on {}", db.display());
    let today = time::OffsetDateTime::now_utc().to_offset(settings.timezone).date();
    let Opened { saved, path: store_path, read_only, seed } = open_archive(db)?;
    if !std::io::stdout().is_terminal() {
        return Err(ReaderError::Terminal(std::io::Error::other(
            "standard output is not a terminal (use `svodka list` in scripts)",
        )));
    }

    let (tx, rx) = mpsc::channel::<Msg>();
    super::effects::set_trending_window(settings.trending_window);
    let workers = Workers::start(store_path.clone(), rules, tx.clone())?;

    install_panic_hook();
    terminal::enable_raw_mode()?;
    let guard = TerminalGuard;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    term.clear()?;
    let size = term.size()?;
    if let Some(every) = settings.refresh_every {
        spawn_timer(every, tx.clone())?;
    }
    spawn_input(tx)?;

    let mut state = State::new(settings, (size.width, size.height), today, hint(&store_path), &saved);
    if let Some(p) = &log {
        tracing::info!("log file {}", p.display());
    }
    let fx = match seed {
        Some(id) => first_launch(&mut state, id),
        None => init(&mut state, saved.selected),
    };
    workers.dispatch(fx, state.cfg.lang)?;
    if let Some(why) = read_only {
        tracing::warn!("archive opened read-only: {why}");
        let said = crate::i18n::read_only(why, state.cfg.lang);
        let fx = super::update::update(&mut state, Msg::Error(said));
        workers.dispatch(fx, state.cfg.lang)?;
    }
    event_loop(&mut term, &mut state, &rx, &workers, after_draw)?;
    // The terminal comes back first: flushing marks may take a while.
    drop(guard);
    // Said only when the archive was already refusing them.
    let pending = state.marks.waiting_count();
    if pending > 0 {
        eprintln!("svodka: writing {pending} marks to the archive…");
    }
    let lost = workers.finish();
    if !lost.is_empty() {
        eprintln!("{}", unwritten(&lost, &store_path));
    }
    tracing::info!("svodka reader quit");
    Ok(())
}

/// What the user is told about marks that never landed: how many, and
/// the `svodka mark` commands that make them again.
fn unwritten(lost: &[super::msg::Mark], db: &Path) -> String {
    use super::msg::Flag;
    // Single-quoted for the shell, so the lines can be pasted as they are.
    let db = format!("'{}'", crate::text::sanitize(&db.display().to_string()).replace('\'', r"'\''"));
    let mut s =
        format!("svodka: {} marks could not be written (the archive stayed busy); to make them again:", lost.len());
    for m in lost {
        let flag = match (m.flag, m.value) {
            (Flag::Read, true) => "--read",
            (Flag::Read, false) => "--unread",
            (Flag::Starred, true) => "--star",
            (Flag::Starred, false) => "--unstar",
        };
        s.push_str(&format!("\n  svodka --db {db} mark {} {flag}", m.id));
    }
    s
}

/// Opens the archive (importing the bundled one into an empty archive) and
/// reads what the last session left; the seed article on the first launch.
fn open_archive(db: &Path) -> Result<Opened, ReaderError> {
    let (mut store, read_only) = Store::open_or_read_only(db)?;
    // `is_empty` rather than `seed_if_empty`'s count: no scan of a big archive.
    let mut first = None;
    if read_only.is_none() && store.is_empty()? {
        let r = crate::bundled::import(&mut store)?;
        tracing::info!("imported the bundled archive: {} added", r.added);
        // The first screen is the seed article, open, not the newest row.
        first = crate::bundled::seed_article(&store)?;
    }
    let get = |k: &str| store.state_get(k).ok().flatten();
    Ok(Opened { saved: Saved::from_pairs(get), path: store.path().to_path_buf(), read_only, seed: first })
}

/// What opening the archive found.
struct Opened {
    saved: Saved,
    path: PathBuf,
    /// Why it could only be opened for reading.
    read_only: Option<&'static str>,
    /// The bundled seed article, on the first launch.
    seed: Option<i64>,
}

/// Draws, then takes every message already queued before drawing again,
/// until the user quits or every sender is gone.
fn event_loop(
    term: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    state: &mut State,
    rx: &Receiver<Msg>,
    workers: &Workers,
    after_draw: &mut dyn FnMut(&State),
) -> std::io::Result<()> {
    loop {
        term.draw(|f| super::render(state, f))?;
        after_draw(state);
        let Ok(msg) = rx.recv() else { break };
        let fx = update(state, msg);
        workers.dispatch(fx, state.cfg.lang)?;
        while let Ok(msg) = rx.try_recv() {
            let fx = update(state, msg);
            workers.dispatch(fx, state.cfg.lang)?;
        }
        if state.quit {
            break;
        }
    }
    Ok(())
}

/// The refresh policy's clock: a [`Msg::RefreshTimer`] every `every`
/// (the update decides what is due; a refresh still running is not doubled).
fn spawn_timer(every: std::time::Duration, tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new().name("refresh-timer".into()).spawn(move || {
        loop {
            std::thread::sleep(every);
            if tx.send(Msg::RefreshTimer).is_err() {
                break;
            }
        }
    })?;
    Ok(())
}

/// The input thread: terminal events as messages.
fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new().name("input".into()).spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Mouse(m)) => Msg::Mouse(m),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(e) => {
                    // The terminal is gone: say so once and stop reading.
                    tracing::error!("terminal input: {e}");
                    let _ = tx.send(Msg::Error(format!("terminal input: {e}")));
                    break;
                }
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    })?;
    Ok(())
}

/// Puts the terminal back: leaves the alternate screen, shows the cursor,
/// stops mouse reporting, leaves raw mode. Safe to call twice.
pub fn restore_terminal() {
    let mut out = std::io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn install_panic_hook() {
    let default = std::panic::take_hook();
    let ui = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        // A worker's panic is one job failing (third-party parsers run under
        // catch_unwind): the reader goes on, so the terminal stays as it is
        // and nothing is printed over the screen. Found by fuzzing feeds.
        if std::thread::current().id() != ui {
            let name = std::thread::current().name().unwrap_or("worker").to_string();
            tracing::error!("panic in the {name} thread: {info}");
            return;
        }
        restore_terminal();
        tracing::error!("panic: {info}");
        default(info);
    }));
}

fn init_logging(dir: &Path) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join("svodka.log");
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&path).ok()?;
    let _ = tracing_subscriber::fmt().with_writer(std::sync::Mutex::new(file)).with_ansi(false).try_init();
    Some(path)
}

/// `~/…` for paths under the home directory (the status bar's archive hint).
fn hint(path: &Path) -> String {
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::msg::{Flag, Mark};

    #[test]
    fn unwritten_marks_are_listed_as_commands_that_make_them_again() {
        let lost = [Mark { id: 7, flag: Flag::Starred, value: true }, Mark { id: 9, flag: Flag::Read, value: false }];
        assert_eq!(
            unwritten(&lost, Path::new("/home/a/it's.db")),
            "svodka: 2 marks could not be written (the archive stayed busy); to make them again:\n  \
             svodka --db '/home/a/it'\\''s.db' mark 7 --star\n  svodka --db '/home/a/it'\\''s.db' mark 9 --unread"
        );
    }
}
