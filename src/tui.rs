//! The terminal side of the reader: terminal setup and restore (also on
//! error and panic), the event loop, the input thread and the workers.
//!
//! One UI thread owns the terminal. The input thread and the workers send
//! [`Msg`]s into one channel; the loop feeds them to the pure
//! [`update`](crate::app::update) and draws with [`render`](crate::ui::render).
//! Workers own their own archive connections and never touch UI state.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor, event,
    event::{DisableMouseCapture, EnableMouseCapture, Event},
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};

use crate::app::{Cursor, Effect, Msg, PageQuery, Saved, State, update};
use crate::config::Config;
use crate::store::{Store, StoreError};

/// «офлайн» unless a fetch succeeded in this session or the feeds table
/// records a success within this many seconds (an hour: feeds are usually
/// refreshed more often than that by whoever keeps them current).
pub const ONLINE_WITHIN: i64 = 3600;
/// Most search hits the list shows (ranked; the best come first).
pub const SEARCH_LIMIT: usize = 500;
/// Most articles a computed topic filters the list to.
const TOPIC_LIMIT: usize = 5000;
/// Computed trends: the window (24 h, as `svodka trending` defaults to) and
/// how many topics.
const TRENDING_WINDOW: i64 = 24 * 3600;
const TRENDING_TOPICS: usize = 12;
/// The search worker waits this long for more keystrokes before searching.
pub const SEARCH_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Carries out one database effect on `store` and returns the messages it
/// produces. The workers run this; tests call it directly.
pub fn perform(store: &mut Store, effect: &Effect) -> Vec<Msg> {
    match effect {
        Effect::LoadPage { generation, query } => vec![match load_page(store, query) {
            Ok((cursor, rows, anchor)) => {
                Msg::Page { generation: *generation, cursor, limit: query.limit, rows, anchor }
            }
            Err(e) => Msg::PageFailed { generation: *generation, error: e.to_string() },
        }],
        Effect::LoadArticle { generation, id } => vec![match store.article(*id) {
            Ok(a) => Msg::Article { generation: *generation, article: Arc::new(a) },
            Err(e) => Msg::ArticleFailed { generation: *generation, error: e.to_string() },
        }],
        Effect::LoadCounts => store.counts().map(Msg::Counts).into_iter().collect(),
        Effect::LoadTrending => {
            let mut out = match store.trending(500) {
                Ok(t) => vec![Msg::Trending(t)],
                Err(e) => vec![Msg::Error(e.to_string())],
            };
            match crate::search::trending::computed(store, TRENDING_WINDOW, TRENDING_TOPICS) {
                Ok(t) => out.push(Msg::ComputedTrending(t)),
                Err(e) => tracing::warn!("computed trending: {e}"),
            }
            out
        }
        Effect::LoadFeedStatus => match feed_status(store) {
            Ok((recent_success, feeds)) => vec![Msg::FeedStatus { recent_success, feeds }],
            Err(e) => vec![Msg::Error(e.to_string())],
        },
        Effect::Fetch { generation, article } => {
            let mut out = Vec::new();
            fetch(store, *generation, *article, &mut |m| {
                out.push(m);
                true
            });
            out
        }
        Effect::Search { generation, query } => vec![match search(store, query) {
            Ok(rows) => Msg::SearchResults { generation: *generation, rows },
            Err(error) => Msg::SearchFailed { generation: *generation, error },
        }],
        Effect::SetRead { id, read } => {
            let r = store.set_read(*id, *read);
            written(store, r)
        }
        Effect::SetStarred { id, starred } => {
            let r = store.set_starred(*id, *starred);
            written(store, r)
        }
        Effect::SaveState(pairs) => {
            for (k, v) in pairs {
                if let Err(e) = store.state_set(k, v) {
                    tracing::warn!("saving UI state: {e}");
                    return vec![Msg::WriteFailed(e.to_string())];
                }
            }
            vec![]
        }
        // Tests run it in place, without the user's site rules.
        Effect::FullText { id } => vec![full_text(store.path(), *id, &crate::extract::Rules::default())],
        Effect::OpenUrl(_) | Effect::CopyUrl(_) | Effect::Quit => vec![],
    }
}

/// The search worker: its own connection; a search waits [`SEARCH_DEBOUNCE`]
/// and is replaced by a newer one typed meanwhile. Also computes trending
/// topics (slow on a big archive, so off the list worker).
fn spawn_search_worker(path: PathBuf, jobs: Receiver<Effect>, out: Sender<Msg>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name("search".into()).spawn(move || {
        let mut store = match Store::open(&path) {
            Ok(s) => s,
            Err(e) => {
                let _ = out.send(Msg::Error(e.to_string()));
                return;
            }
        };
        let mut next: Option<Effect> = None;
        loop {
            let job = match next.take() {
                Some(j) => j,
                None => match jobs.recv() {
                    Ok(j) => j,
                    Err(_) => return,
                },
            };
            let mut job = job;
            if matches!(job, Effect::Search { .. }) {
                // Debounce: keep taking newer searches until typing pauses.
                loop {
                    match jobs.recv_timeout(SEARCH_DEBOUNCE) {
                        Ok(newer @ Effect::Search { .. }) => job = newer,
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            }
            for m in perform(&mut store, &job) {
                if out.send(m).is_err() {
                    return;
                }
            }
        }
    })
}

/// Runs one refresh on its own thread (its own archive connection), sending
/// progress as it comes.
/// Fetches an article's page and stores the extracted text (the `F` key).
/// Opens the archive itself, so it runs on any thread.
pub fn full_text(db: &Path, id: i64, rules: &crate::extract::Rules) -> Msg {
    let opts = crate::ingest::fetch::FetchOptions::default();
    let error = crate::extract::page::fetch_full_text(db, id, &opts, rules).err().map(|e| e.to_string());
    Msg::FullText { id, error }
}

fn spawn_fetch(path: PathBuf, generation: u64, article: Option<i64>, out: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new().name("fetch".into()).spawn(move || match Store::open(&path) {
        Ok(store) => fetch(&store, generation, article, &mut |m| out.send(m).is_ok()),
        Err(e) => {
            let _ = out.send(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
        }
    })?;
    Ok(())
}

/// Whether the feeds table records a successful fetch within
/// [`ONLINE_WITHIN`], and how many subscriptions there are.
fn feed_status(store: &Store) -> rusqlite::Result<(bool, usize)> {
    let mut stmt = store.conn().prepare_cached("SELECT last_success FROM feeds")?;
    let times: Vec<Option<String>> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let since = time::OffsetDateTime::now_utc().unix_timestamp() - ONLINE_WITHIN;
    let recent =
        times.iter().flatten().filter_map(|t| crate::model::Stamp::parse_iso(t)).any(|t| t.sort_key() >= since);
    Ok((recent, times.len()))
}

/// Refreshes the feed of `article` (all subscriptions for `None`) with the
/// fetcher, turning its progress events into messages for `sink` as they
/// happen (`sink` returns false when nobody listens any more). Runs on its
/// own thread in the reader; tests call it through [`perform`].
pub fn fetch(store: &Store, generation: u64, article: Option<i64>, sink: &mut dyn FnMut(Msg) -> bool) {
    use crate::ingest::fetch::{FetchEvent, FetchOptions, FetchOutcome, fetch_all};
    let ids = match article {
        None => Vec::new(),
        Some(id) => {
            let feed: rusqlite::Result<Option<i64>> =
                store.conn().query_row("SELECT feed_id FROM articles WHERE id = ?", [id], |r| r.get(0));
            match feed {
                Ok(Some(f)) => vec![f],
                // Not from a feed (a page dump): nothing to refresh.
                Ok(None) | Err(rusqlite::Error::QueryReturnedNoRows) => {
                    sink(Msg::FetchFinished { generation, ok: false, error: None });
                    return;
                }
                Err(e) => {
                    sink(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
                    return;
                }
            }
        }
    };
    let (tx, rx) = mpsc::channel();
    let path = store.path().to_path_buf();
    let opts = FetchOptions::default();
    let runner = std::thread::Builder::new().name("fetch-all".into()).spawn(move || fetch_all(&path, &ids, &opts, tx));
    let runner = match runner {
        Ok(r) => r,
        Err(e) => {
            sink(Msg::FetchFinished { generation, ok: false, error: Some(e.to_string()) });
            return;
        }
    };
    let (mut done, mut total, mut ok) = (0, 0, false);
    for ev in rx {
        let msgs = match ev {
            FetchEvent::Planned { feeds } => {
                total = feeds;
                vec![Msg::FetchProgress { generation, done, total }]
            }
            FetchEvent::Started { .. } => vec![],
            FetchEvent::Finished { url, outcome, .. } => {
                done += 1;
                let (changed, error) = match outcome {
                    FetchOutcome::Updated { added, updated, .. } => (added + updated > 0, None),
                    FetchOutcome::NotModified => (false, None),
                    FetchOutcome::Failed { error, .. } => (false, Some(format!("{url}: {error}"))),
                };
                ok |= error.is_none();
                vec![Msg::FetchProgress { generation, done, total }, Msg::FetchFeed { generation, changed, error }]
            }
            FetchEvent::Done(_) => vec![],
        };
        for m in msgs {
            if !sink(m) {
                return;
            }
        }
    }
    let error = match runner.join() {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some("the fetcher stopped unexpectedly".to_string()),
    };
    sink(Msg::FetchFinished { generation, ok, error });
}

/// Ranked search hits as list rows (with read/star state), best first.
fn search(store: &Store, query: &str) -> Result<Vec<crate::model::ArticleSummary>, String> {
    let hits = crate::search::search(store, query, SEARCH_LIMIT).map_err(search_error)?;
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let q = crate::store::ListQuery { limit: ids.len(), ids: Some(ids.clone()), ..Default::default() };
    let mut rows = store.list(&q).map_err(|e| e.to_string())?;
    let rank: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| rank.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

fn search_error(e: crate::search::SearchError) -> String {
    match e {
        crate::search::SearchError::Query(q) => q.to_string(),
        other => format!("{other}: {}", std::error::Error::source(&other).map(|s| s.to_string()).unwrap_or_default()),
    }
}

fn written(store: &Store, r: Result<(), StoreError>) -> Vec<Msg> {
    match r {
        Ok(()) => store.counts().map(Msg::Counts).into_iter().collect(),
        Err(e) => vec![Msg::WriteFailed(e.to_string())],
    }
}

type Page = (Cursor, Vec<crate::model::ArticleSummary>, Option<usize>);

fn load_page(store: &Store, query: &PageQuery) -> Result<Page, StoreError> {
    let mut q = query.filter.query(query.limit);
    if let Some(tq) = &query.filter.topic_query {
        // A computed topic: the articles its terms find, in date order.
        let hits = crate::search::search(store, tq, TOPIC_LIMIT).unwrap_or_else(|e| {
            tracing::warn!("topic {tq:?}: {e}");
            Vec::new()
        });
        q.ids = Some(hits.iter().map(|h| h.id).collect());
    } else if let Some(topic) = &query.filter.topic {
        q.ids = Some(store.topic_article_ids(topic)?);
    }
    match &query.cursor {
        Cursor::First => Ok((Cursor::First, store.list(&q)?, None)),
        Cursor::After(k) => {
            q.after = Some(*k);
            Ok((query.cursor.clone(), store.list(&q)?, None))
        }
        Cursor::Before(k) => Ok((query.cursor.clone(), store.list_before(&q, Some(*k))?, None)),
        Cursor::Last => Ok((Cursor::Last, store.list_before(&q, None)?, None)),
        Cursor::Around(id) => {
            if let Some((key, id)) = store.list_position(*id)? {
                // `after` is exclusive: start just past the article itself.
                let mut from_q = q.clone();
                from_q.after = Some((key, id + 1));
                let from = store.list(&from_q)?;
                if from.first().is_some_and(|r| r.id == id) {
                    let before_q = crate::store::ListQuery { limit: query.limit / 2, ..q };
                    let mut rows = store.list_before(&before_q, Some((key, id)))?;
                    let anchor = rows.len();
                    rows.extend(from);
                    return Ok((query.cursor.clone(), rows, Some(anchor)));
                }
            }
            Ok((Cursor::First, store.list(&q)?, None))
        }
    }
}

/// A worker: its own archive connection, jobs in, messages out. Page and
/// article requests superseded by a newer one in the queue are skipped.
fn spawn_worker(
    name: &str,
    path: PathBuf,
    jobs: Receiver<Effect>,
    out: Sender<Msg>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name(name.to_string()).spawn(move || {
        let mut store = match Store::open(&path) {
            Ok(s) => s,
            Err(e) => {
                let _ = out.send(Msg::Error(e.to_string()));
                return;
            }
        };
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            batch.extend(jobs.try_iter());
            let last_page = batch.iter().rposition(|e| matches!(e, Effect::LoadPage { .. }));
            let last_article = batch.iter().rposition(|e| matches!(e, Effect::LoadArticle { .. }));
            for (i, job) in batch.iter().enumerate() {
                let superseded = match job {
                    // Only a page of an older filter is dropped; paging of
                    // the current one must still arrive.
                    Effect::LoadPage { generation, .. } => last_page.is_some_and(|l| {
                        l != i && matches!(&batch[l], Effect::LoadPage { generation: g, .. } if g > generation)
                    }),
                    Effect::LoadArticle { .. } => last_article.is_some_and(|l| l != i),
                    _ => false,
                };
                if superseded {
                    continue;
                }
                for m in perform(&mut store, job) {
                    if out.send(m).is_err() {
                        return;
                    }
                }
            }
        }
    })
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
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        tracing::error!("panic: {info}");
        default(info);
    }));
}

fn init_logging() -> Option<PathBuf> {
    let dir = crate::config::state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
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

/// A URL safe to hand to a browser or put in OSC 52: sanitised, and only
/// web and mail schemes (never something a browser would take as a flag).
pub fn safe_url(url: &str) -> Option<String> {
    let u: String = crate::text::sanitize(url).chars().filter(|c| !c.is_whitespace()).collect();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")).then_some(u)
}

/// OSC 52: the terminal (or tmux) puts the text on the clipboard.
pub fn osc52(url: &str) -> String {
    use base64::Engine;
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(url))
}

fn open_url(url: &str, out: &Sender<Msg>, lang: crate::i18n::Lang) {
    let Some(url) = safe_url(url) else {
        let what = crate::i18n::tr(crate::i18n::Text::NotWebAddress, lang);
        let _ = out.send(Msg::Error(format!("{what}: {}", crate::text::sanitize(url))));
        return;
    };
    // $BROWSER may list several commands separated by ':'; each is a program
    // and its arguments, run directly (never through a shell).
    let browser = std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty());
    let cmd = browser.as_deref().and_then(|b| b.split(':').find(|c| !c.trim().is_empty())).unwrap_or("xdg-open");
    let mut parts = cmd.split_whitespace();
    let Some(prog) = parts.next() else { return };
    let res = std::process::Command::new(prog)
        .args(parts)
        .arg(&url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match res {
        Ok(mut child) => {
            // Reap it in the background so no zombie is left.
            let _ = std::thread::Builder::new().name("browser".into()).spawn(move || child.wait());
        }
        Err(e) => {
            tracing::warn!("{prog}: {e}");
            let _ = out.send(Msg::Error(format!("{prog}: {e}")));
        }
    }
}

/// Runs the reader on the archive at `db` until the user quits.
pub fn run(db: &Path, cfg: Config, rules: crate::extract::Rules) -> Result<(), TuiError> {
    let log = init_logging();
    tracing::info!("svodka reader starting on {}", db.display());
    let today = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc()).date();
    let (saved, store_path) = {
        let mut store = Store::open(db)?;
        // `is_empty` rather than `seed_if_empty`'s count: no scan of a big archive.
        if store.is_empty()? {
            let r = crate::bundled::import(&mut store)?;
            tracing::info!("imported the bundled archive: {} added", r.added);
        }
        let get = |k: &str| store.state_get(k).ok().flatten();
        (Saved::from_pairs(get), store.path().to_path_buf())
    };
    if !std::io::stdout().is_terminal() {
        return Err(TuiError::Terminal(std::io::Error::other(
            "standard output is not a terminal (use `svodka list` in scripts)",
        )));
    }

    let (tx, rx) = mpsc::channel::<Msg>();
    let (list_tx, list_rx) = mpsc::channel::<Effect>();
    let (article_tx, article_rx) = mpsc::channel::<Effect>();
    let list_worker = spawn_worker("list", store_path.clone(), list_rx, tx.clone())?;
    let _article_worker = spawn_worker("article", store_path.clone(), article_rx, tx.clone())?;
    let (search_tx, search_rx) = mpsc::channel::<Effect>();
    let _search_worker = spawn_search_worker(store_path.clone(), search_rx, tx.clone())?;

    install_panic_hook();
    terminal::enable_raw_mode()?;
    let guard = TerminalGuard;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    term.clear()?;
    let size = term.size()?;

    {
        let tx = tx.clone();
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
    }

    let mut state = State::new(cfg, (size.width, size.height), today, hint(&store_path), &saved);
    if let Some(p) = &log {
        tracing::info!("log file {}", p.display());
    }
    let dispatch = |fx: Vec<Effect>, state: &State| -> std::io::Result<()> {
        for e in fx {
            match e {
                Effect::LoadArticle { .. } => {
                    let _ = article_tx.send(e);
                }
                Effect::Search { .. } | Effect::LoadTrending => {
                    let _ = search_tx.send(e);
                }
                Effect::FullText { id } => {
                    let (path, rules, out) = (store_path.clone(), rules.clone(), tx.clone());
                    let spawned = std::thread::Builder::new()
                        .name("full-text".into())
                        .spawn(move || out.send(full_text(&path, id, &rules)).is_ok());
                    if let Err(err) = spawned {
                        let _ = tx.send(Msg::FullText { id, error: Some(err.to_string()) });
                    }
                }
                Effect::Fetch { generation, article } => {
                    if let Err(err) = spawn_fetch(store_path.clone(), generation, article, tx.clone()) {
                        let _ = tx.send(Msg::FetchFinished { generation, ok: false, error: Some(err.to_string()) });
                    }
                }
                Effect::OpenUrl(u) => open_url(&u, &tx, state.cfg.lang),
                Effect::CopyUrl(u) => {
                    if let Some(u) = safe_url(&u) {
                        let mut out = std::io::stdout();
                        out.write_all(osc52(&u).as_bytes())?;
                        out.flush()?;
                    }
                }
                Effect::Quit => {}
                other => {
                    let _ = list_tx.send(other);
                }
            }
        }
        Ok(())
    };
    let fx = crate::app::update::init(&mut state, saved.selected);
    dispatch(fx, &state)?;
    // Test hook: the pty test checks the terminal comes back after a panic.
    let test_panic = std::env::var_os("SVODKA_TEST_PANIC").is_some();
    loop {
        term.draw(|f| crate::ui::render(&state, f))?;
        if test_panic {
            panic!("SVODKA_TEST_PANIC is set: panicking after the first frame");
        }
        let Ok(msg) = rx.recv() else { break };
        let fx = update(&mut state, msg);
        dispatch(fx, &state)?;
        // Take everything already queued before drawing again.
        while let Ok(msg) = rx.try_recv() {
            let fx = update(&mut state, msg);
            dispatch(fx, &state)?;
        }
        if state.quit {
            break;
        }
    }
    drop(list_tx);
    drop(article_tx);
    // The list worker holds the SaveState write; let it finish.
    let _ = list_worker.join();
    drop(guard);
    tracing::info!("svodka reader quit");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_sanitised_and_only_web() {
        assert_eq!(safe_url("https://caravan.kz/a?b=1").as_deref(), Some("https://caravan.kz/a?b=1"));
        assert_eq!(safe_url("https://x.kz/\u{1b}]52;c;ZXZpbA==\u{7}a").as_deref(), Some("https://x.kz/a"));
        assert_eq!(safe_url(" http://x.kz/a b ").as_deref(), Some("http://x.kz/ab"));
        assert_eq!(safe_url("--new-window=file:///etc/passwd"), None);
        assert_eq!(safe_url("file:///etc/passwd"), None);
        assert_eq!(safe_url("javascript:alert(1)"), None);
    }

    #[test]
    fn osc52_is_one_escape_sequence() {
        assert_eq!(osc52("https://x.kz/"), "\u{1b}]52;c;aHR0cHM6Ly94Lmt6Lw==\u{7}");
    }

    #[test]
    fn search_worker_debounces_to_the_last_query() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        crate::bundled::import(&mut store).unwrap();
        let (jobs, rx) = mpsc::channel();
        let (tx, out) = mpsc::channel();
        let worker = spawn_search_worker(path, rx, tx).unwrap();
        for (generation, q) in [(1, "мест"), (2, "местн"), (3, "местные")] {
            jobs.send(Effect::Search { generation, query: q.into() }).unwrap();
        }
        let wait = std::time::Duration::from_secs(10);
        match out.recv_timeout(wait).unwrap() {
            Msg::SearchResults { generation, rows } => {
                assert_eq!(generation, 3, "typing in one burst searches once, for the last query");
                assert!(rows.iter().any(|r| r.title.contains("МЕСТНЫЕ ВЛАСТИ")), "{rows:?}");
            }
            other => panic!("{other:?}"),
        }
        // Other jobs are not held back by the debounce.
        jobs.send(Effect::LoadTrending).unwrap();
        assert!(matches!(out.recv_timeout(wait).unwrap(), Msg::Trending(_)));
        assert!(matches!(out.recv_timeout(wait).unwrap(), Msg::ComputedTrending(_)));
        assert!(out.recv_timeout(SEARCH_DEBOUNCE * 3).is_err(), "nothing else was sent");
        drop(jobs);
        worker.join().unwrap();
    }

    #[test]
    fn around_page_falls_back_to_the_first_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        crate::bundled::import(&mut store).unwrap();
        let filter = crate::app::state::Filter::default();
        let q = |cursor| PageQuery { filter: filter.clone(), cursor, limit: 10 };
        let (cursor, rows, anchor) = load_page(&store, &q(Cursor::Around(999_999))).unwrap();
        assert_eq!((cursor, anchor), (Cursor::First, None));
        let id = rows[0].id;
        let (cursor, rows, anchor) = load_page(&store, &q(Cursor::Around(id))).unwrap();
        assert_eq!(cursor, Cursor::Around(id));
        assert_eq!(rows[anchor.unwrap()].id, id);
    }
}
