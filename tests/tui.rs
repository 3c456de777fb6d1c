//! The reader end to end: whole screens on ratatui's TestBackend driven by
//! the real `update`, the real store and the real worker function, and the
//! real binary in tmux from launch to quit.

use std::collections::VecDeque;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use svodka::i18n::Lang;
use svodka::model::{Block, NewArticle};
use svodka::reader::{Effect, Msg, Saved, Settings, State, update};
use svodka::store::Store;
use time::OffsetDateTime;
use time::macros::date;

mod common;
use common::{Reply, Server};

struct Harness {
    _dir: tempfile::TempDir,
    store: Store,
    state: State,
    term: Terminal<TestBackend>,
}

impl Harness {
    fn new(w: u16, h: u16, seed: bool) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("archive.db")).unwrap();
        if seed {
            // The seed page alone, so screens do not change when data/ grows.
            let seed = std::path::PathBuf::from("tests/fixtures/seed/caravan-trafficking-2001.txt");
            let r = svodka::ingest::import_paths(&mut store, &[seed]).unwrap();
            assert!(r.added == 1 && r.refused.is_empty(), "{r:?}");
        }
        let cfg = Settings { lang: Lang::Ru, ..Settings::default() };
        let state = State::new(cfg, (w, h), date!(2026 - 03 - 14), "~/archive.db".into(), &Saved::default());
        let mut h = Harness { _dir: dir, store, state, term: Terminal::new(TestBackend::new(w, h)).unwrap() };
        let fx = svodka::reader::update::init(&mut h.state, None);
        h.settle(fx);
        h
    }

    /// The first launch: the bundled sample, opened on its seed article.
    fn first_launch(w: u16, h: u16) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("archive.db")).unwrap();
        svodka::bundled::import(&mut store).unwrap();
        let seed = svodka::bundled::seed_article(&store).unwrap();
        assert!(seed.is_some());
        let cfg = Settings { lang: Lang::Ru, ..Settings::default() };
        let state = State::new(cfg, (w, h), date!(2026 - 03 - 14), "~/archive.db".into(), &Saved::default());
        let mut h = Harness { _dir: dir, store, state, term: Terminal::new(TestBackend::new(w, h)).unwrap() };
        let fx = svodka::reader::update::first_launch(&mut h.state, seed.unwrap());
        h.settle(fx);
        h
    }

    /// Runs effects the way the workers do, until nothing is pending.
    fn settle(&mut self, fx: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = fx.into();
        while let Some(e) = queue.pop_front() {
            for m in svodka::reader::effects::perform(&mut self.store, &e) {
                queue.extend(update(&mut self.state, m));
            }
        }
    }

    fn send(&mut self, m: Msg) -> &mut Harness {
        let fx = update(&mut self.state, m);
        self.settle(fx);
        self
    }

    fn key(&mut self, code: KeyCode) -> &mut Harness {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn keys(&mut self, s: &str) -> &mut Harness {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    fn resize(&mut self, w: u16, h: u16) -> &mut Harness {
        self.term.backend_mut().resize(w, h);
        self.send(Msg::Resize(w, h))
    }

    fn screen(&mut self) -> String {
        let state = &self.state;
        self.term.draw(|f| svodka::reader::render(state, f)).unwrap();
        common::screen_text(self.term.backend().buffer())
    }
}

#[test]
fn wide_list_and_article() {
    let mut h = Harness::new(120, 30, true);
    let s = h.screen();
    assert!(s.contains("МЕСТНЫЕ ВЛАСТИ"), "{s}");
    assert!(s.contains("Караван · 14 августа 2001 · 954 просмотра"), "{s}");
    assert!(s.contains("В тренде"), "{s}");
    assert!(s.contains("офлайн"), "{s}");
    insta::assert_snapshot!("wide", s);
}

#[test]
fn first_launch_opens_the_seed_article_among_dated_news() {
    let mut h = Harness::first_launch(120, 30);
    let s = h.screen();
    let sel = h.state.list.selected_row().unwrap();
    assert_eq!(sel.site.as_deref(), Some("Караван"), "{s}");
    assert!(s.contains("Караван · 14 августа 2001 · 954 просмотра"), "the seed is open: {s}");
    assert!(s.contains("В тренде"), "{s}");
    // Dated news around it on screen; every undated row after every dated one.
    let rows = &h.state.list.rows;
    let (dated, undated): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.published.is_some());
    assert!(dated.len() > 10 && !undated.is_empty());
    let first_undated = rows.iter().position(|r| r.published.is_none()).unwrap();
    assert!(rows[first_undated..].iter().all(|r| r.published.is_none()), "undated rows sort last");
    assert!(s.contains("Музыка с нами") && s.contains("декабря 2003"), "dated news above the seed: {s}");
    insta::assert_snapshot!("first_launch", s);
}

#[test]
fn reading_pane_shows_exactly_the_render_lines() {
    let mut h = Harness::new(120, 60, true);
    h.key(KeyCode::Enter);
    let id = h.state.reader.as_ref().unwrap().id;
    let width = h.state.reader_width();
    let article = h.store.article(id).unwrap();
    let lines = svodka::text::layout_document(
        &svodka::reader::document::document(&article, Lang::Ru),
        &svodka::text::LayoutOptions::new(width as usize),
    );
    let screen = h.screen();
    let pane = h.state.geometry().reader_text(h.state.cfg.max_width).unwrap();
    let shown: Vec<String> = screen
        .lines()
        .skip(pane.y as usize)
        .take(pane.height as usize)
        .map(|l| {
            let cells: String = l.chars().skip(pane.x as usize).collect();
            cells.trim_end().to_string()
        })
        .collect();
    for (i, l) in lines.iter().take(pane.height as usize).enumerate() {
        assert_eq!(shown[i], l.text.trim_end(), "line {i}");
    }
    // Opening marked it read in the archive.
    assert!(h.store.article(id).unwrap().summary.read);
}

#[test]
fn narrow_list_then_article_then_back() {
    let mut h = Harness::new(60, 20, true);
    let list = h.screen();
    assert!(!list.contains('│'), "one pane: {list}");
    insta::assert_snapshot!("narrow_list", list);
    h.key(KeyCode::Enter);
    let article = h.screen();
    assert!(article.contains("Караван · 14 августа 2001"), "{article}");
    insta::assert_snapshot!("narrow_article", article);
    h.key(KeyCode::Char(' '));
    assert!(h.state.reader.as_ref().unwrap().scroll > 0);
    h.key(KeyCode::Esc);
    assert_eq!(h.screen().lines().next(), list.lines().next());
}

#[test]
fn tiny_and_too_small() {
    let mut h = Harness::new(20, 5, true);
    let s = h.screen();
    assert!(!s.contains("окно слишком мало"), "{s}");
    insta::assert_snapshot!("tiny", s);
    h.key(KeyCode::Enter);
    insta::assert_snapshot!("tiny_article", h.screen());
    h.resize(19, 5);
    let s = h.screen();
    assert!(s.contains("окно слишком мал"), "{s}");
    insta::assert_snapshot!("too_small", s);
    // Every size down to 1×1 draws without panicking.
    for w in 1..=30 {
        for ht in 1..=8 {
            h.resize(w, ht);
            h.keys("jkJK?");
            h.key(KeyCode::Esc);
            h.screen();
        }
    }
}

#[test]
fn help_lists_every_key() {
    let mut h = Harness::new(100, 35, true);
    h.keys("?");
    let s = h.screen();
    for k in ["j ↓", "J Space", "PgDn", "g Home", "Enter", "Esc", "Tab", "/", "q", "выход", "мышь"] {
        assert!(s.contains(k), "{k}: {s}");
    }
    insta::assert_snapshot!("help", s);
    h.keys("x");
    assert!(!h.screen().contains("Клавиши"));
    // 80×24: two columns, every action still listed.
    h.resize(80, 24).keys("?");
    let s = h.screen();
    for k in ["вниз по списку", "выход", "эта справка", "мышь"] {
        assert!(s.contains(k), "{k}: {s}");
    }
    insta::assert_snapshot!("help_80x24", s);
}

#[test]
fn trending_topic_filters_the_list() {
    let mut h = Harness::new(120, 30, true);
    h.keys("t");
    insta::assert_snapshot!("trending", h.screen());
    // The first topics point at headlines not in the archive: choosing one
    // empties the list; Esc clears the filter.
    h.key(KeyCode::Enter);
    let s = h.screen();
    assert!(s.contains("тема: Олимпийские Игры 2026"), "{s}");
    assert!(s.contains("Нет статей"), "{s}");
    insta::assert_snapshot!("trending_chosen", s);
    h.key(KeyCode::Esc);
    assert!(h.screen().contains("МЕСТНЫЕ ВЛАСТИ"));
}

#[test]
fn title_filter_is_live_and_cyrillic_case_insensitive() {
    let mut h = Harness::new(120, 30, true);
    h.keys("f").keys("местные власти");
    let s = h.screen();
    assert!(s.contains("МЕСТНЫЕ ВЛАСТИ"), "{s}");
    assert!(s.contains("фильтр: местные власти"), "{s}");
    h.keys("ж");
    assert!(h.screen().contains("Нет статей"));
    h.key(KeyCode::Backspace).key(KeyCode::Enter);
    assert!(h.screen().contains("«местные власти»"));
}

#[test]
fn empty_archive() {
    let mut h = Harness::new(100, 20, false);
    let s = h.screen();
    assert!(s.contains("Нет статей") && s.contains("0 статей"), "{s}");
    insta::assert_snapshot!("empty", s);
    // Keys on an empty list do nothing harmful.
    h.keys("jkgGnmsoy").key(KeyCode::Enter).key(KeyCode::Tab);
    h.screen();
}

#[test]
fn marks_go_through_the_store() {
    let mut h = Harness::new(120, 30, true);
    let id = h.state.list.rows[0].id;
    h.keys("s");
    assert!(h.store.article(id).unwrap().summary.starred);
    h.keys("m");
    assert!(h.store.article(id).unwrap().summary.read);
    assert_eq!(h.state.counts, h.store.counts().unwrap());
    h.keys("m");
    assert!(!h.store.article(id).unwrap().summary.read);
    assert_eq!(h.state.counts, h.store.counts().unwrap());
}

#[test]
fn paging_through_a_large_archive() {
    use svodka::model::{NewArticle, Stamp};
    let mut h = Harness::new(100, 20, false);
    let arts: Vec<NewArticle> = (0..1000)
        .map(|i| NewArticle {
            title: format!("Новость номер {i:04}"),
            url: Some(format!("https://example.kz/{i}")),
            published: Some(Stamp::Date(date!(2001 - 01 - 01) + time::Duration::days(i / 3))),
            ..NewArticle::default()
        })
        .collect();
    h.store.upsert_articles(&arts, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap();
    let fx = svodka::reader::update::init(&mut h.state, None);
    h.settle(fx);
    assert!(h.state.list.rows.len() <= svodka::reader::state::PAGE * 2);
    // Walk the whole archive down with j: every article once, in order.
    let mut seen = vec![h.state.list.selected_row().unwrap().id];
    for _ in 0..1100 {
        h.keys("j");
        let id = h.state.list.selected_row().unwrap().id;
        if seen.last() != Some(&id) {
            seen.push(id);
        }
        assert!(h.state.list.rows.len() <= svodka::reader::state::WINDOW_MAX);
    }
    let all: Vec<i64> = h
        .store
        .list(&svodka::store::ListQuery { limit: 2000, ..Default::default() })
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(seen, all);
    // And back up to the top.
    for _ in 0..1100 {
        h.keys("k");
    }
    assert_eq!(h.state.list.selected_row().unwrap().id, all[0]);
    h.keys("G");
    assert_eq!(h.state.list.selected_row().unwrap().id, *all.last().unwrap());
    h.keys("g");
    assert_eq!(h.state.list.selected_row().unwrap().id, all[0]);
    // The selection survives a restart.
    h.keys("jjj");
    let fx = update(&mut h.state, Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)));
    h.settle(fx);
    let saved = Saved::from_pairs(|k| h.store.state_get(k).unwrap());
    assert_eq!(saved.selected, Some(all[3]));
    let cfg = Settings { lang: Lang::Ru, ..Settings::default() };
    h.state = State::new(cfg, (100, 20), date!(2026 - 03 - 14), String::new(), &saved);
    let fx = svodka::reader::update::init(&mut h.state, saved.selected);
    h.settle(fx);
    assert_eq!(h.state.list.selected_row().unwrap().id, all[3]);
    h.keys("kkk");
    assert_eq!(h.state.list.selected_row().unwrap().id, all[0]);
}

/// A private tmux server for one test (its own socket, no user config).
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Fails the test when tmux is missing: a skipped test would pass
    /// without proving anything (CI installs tmux).
    fn require() {
        let ok = std::process::Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
        assert!(ok, "tmux is required for this test and was not found: install it (apt-get install tmux)");
    }

    fn cmd(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("tmux")
            // UTF-8 whatever the locale of the test run (CI may have none).
            .args(["-u", "-L", &self.socket, "-f", "/dev/null"])
            .env("LC_CTYPE", "C.UTF-8")
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "t"])
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(start.elapsed().as_secs() < 30, "{needle:?} never appeared; screen:\n{s}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    fn flag(&self, name: &str) -> String {
        self.cmd(&["display-message", "-p", "-t", "t", &format!("#{{{name}}}")]).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

/// Starts `program` (the real binary, or this test binary as the panic
/// probe) in a 100×30 tmux pane with `dir` as its home; after it exits the
/// shell prints its exit code and the tty settings, and keeps the pane open.
fn launch(dir: &std::path::Path, name: &str, program: &str) -> Tmux {
    Tmux::require();
    let d = dir.display();
    let cmd = format!(
        "env HOME={d} XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data XDG_STATE_HOME={d}/state LANG=ru_RU.UTF-8 \
         {program} 2>{d}/stderr; echo SVODKA_EXIT=$?; stty -a; echo STTY_DONE; sleep 60"
    );
    let t = Tmux { socket: format!("svodka-test-{}-{name}", std::process::id()) };
    t.cmd(&["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", &cmd]);
    t
}

fn assert_restored(t: &Tmux) {
    let s = t.wait_for("STTY_DONE");
    assert_eq!(t.flag("alternate_on"), "0", "left the alternate screen");
    assert_eq!(t.flag("cursor_flag"), "1", "cursor shown");
    assert_eq!(t.flag("mouse_any_flag"), "0", "mouse reporting off");
    assert_eq!(t.flag("mouse_standard_flag"), "0", "mouse reporting off");
    let stty = s.split("SVODKA_EXIT=").nth(1).unwrap();
    assert!(stty.contains(" icanon") && !stty.contains("-icanon"), "cooked mode: {stty}");
    assert!(stty.contains(" echo ") && !stty.contains("-echo "), "echo on: {stty}");
}

#[test]
fn binary_in_tmux_from_launch_to_quit_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_svodka");
    let t = launch(dir.path(), "quit", &format!("{bin} --db {}/archive.db", dir.path().display()));
    // Empty archive: the bundled one is imported, then shown (its trending
    // block comes from the seed page).
    t.wait_for("В тренде");
    t.wait_for("Олимпийские");
    t.wait_for("офлайн");
    assert_eq!(t.flag("alternate_on"), "1");
    t.cmd(&["send-keys", "-t", "t", "?"]);
    t.wait_for("Клавиши");
    t.cmd(&["send-keys", "-t", "t", "x", "Enter", "J", "q"]);
    assert_restored(&t);
    assert!(t.screen().contains("SVODKA_EXIT=0"));
    // Enter marked the article read in the archive; the selection was saved.
    let store = Store::open(&dir.path().join("archive.db")).unwrap();
    let counts = store.counts().unwrap();
    assert!(counts.total > 1, "the bundled archive was imported");
    assert_eq!(counts.unread, counts.total - 1, "exactly the opened article is read");
    assert!(store.state_get("tui.selected").unwrap().is_some());
    let log = std::fs::read_to_string(dir.path().join("state/svodka/svodka.log")).unwrap();
    assert!(log.contains("svodka reader quit"), "{log}");
    assert_eq!(std::fs::read_to_string(dir.path().join("stderr")).unwrap(), "");
}

/// What the panic probe panics with.
const PROBE_PANIC: &str = "panic probe: panicking after the first frame";

/// Not a test of its own: `binary_in_tmux_panic_restores_then_reports` runs
/// this test binary with `--ignored --exact panic_probe` in a tmux pane. The
/// reader runs as the binary does and panics after its first frame, so the
/// panic exists only in test builds, never in the release binary.
#[test]
#[ignore = "run inside tmux by binary_in_tmux_panic_restores_then_reports"]
fn panic_probe() {
    let home = std::path::PathBuf::from(std::env::var_os("HOME").expect("HOME"));
    let rules = svodka::extract::Rules::default();
    let log_dir = home.join("state/svodka");
    let settings = Settings::default();
    let mut hook = |_: &State| panic!("{PROBE_PANIC}");
    let r = svodka::reader::terminal::run_with(&home.join("archive.db"), settings, rules, Some(&log_dir), &mut hook);
    panic!("the reader returned without panicking: {r:?}");
}

#[test]
fn binary_in_tmux_panic_restores_then_reports() {
    let dir = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    let probe = format!("{} --ignored --exact panic_probe --nocapture --test-threads=1", me.display());
    let t = launch(dir.path(), "panic", &probe);
    assert_restored(&t);
    assert!(t.screen().contains("SVODKA_EXIT=101"), "{}", t.screen());
    let stderr = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(stderr.contains(PROBE_PANIC), "panic message printed: {stderr}");
    let log = std::fs::read_to_string(dir.path().join("state/svodka/svodka.log")).unwrap();
    assert!(log.contains("panic") && log.contains(PROBE_PANIC), "and logged: {log}");
}

#[test]
fn bad_config_stops_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[reader]\njustify = true\ncolour = \"red\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_svodka"))
        .args(["--db", &dir.path().join("a.db").display().to_string(), "--config", &cfg.display().to_string()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml") && err.contains("line 3") && err.contains("colour"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

/// The runs of cells drawn as search matches (the highlight's background),
/// in screen order.
fn marked(h: &Harness) -> Vec<String> {
    let buf = h.term.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let mut run = String::new();
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.bg == ratatui::style::Color::Yellow {
                run.push_str(c.symbol());
            } else if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    out
}

#[test]
fn search_results_with_highlights_in_list_and_reader() {
    let mut h = Harness::new(120, 30, true);
    // «женщина» finds «ЖЕНЩИН» (stemmed, any case) across the archive.
    h.keys("/").keys("женщина");
    let s = h.screen();
    assert!(s.contains("поиск «женщина» · найдено 1"), "{s}");
    assert!(s.contains("/женщина▏"), "{s}");
    let m = marked(&h);
    assert!(m.iter().any(|r| r == "ЖЕНЩИН"), "the title marked in the reader: {m:?}");
    assert!(m.iter().filter(|r| r.to_lowercase().starts_with("женщин")).count() >= 3, "and the body: {m:?}");
    insta::assert_snapshot!("search", s);
    // In the list too, on the selected row: «власти» is in the visible part of the title.
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))).keys("власть");
    h.screen();
    let list_w = h.state.geometry().list.unwrap().width;
    let buf = h.term.backend().buffer().clone();
    let row: String = (0..list_w)
        .map(|x| &buf[(x, 2)])
        .filter(|c| c.bg == ratatui::style::Color::Yellow)
        .map(|c| c.symbol().to_string())
        .collect();
    assert_eq!(row, "ВЛАСТИ");
    // Enter keeps the results, Enter opens, n jumps to the next match.
    h.key(KeyCode::Enter).key(KeyCode::Enter);
    assert_eq!(h.state.focus, svodka::reader::Focus::Reader);
    h.keys("n");
    let first = h.state.reader.as_ref().unwrap().current_match.unwrap();
    h.keys("n");
    let second = h.state.reader.as_ref().unwrap().current_match.unwrap();
    assert!(second > first);
    // A word not in the archive: no hits; Esc restores the normal list.
    h.key(KeyCode::Esc).keys("/");
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))).keys("щщщ");
    assert!(h.screen().contains("найдено 0"));
    h.key(KeyCode::Esc);
    let s = h.screen();
    assert!(s.contains(" Новости") && s.contains("МЕСТНЫЕ ВЛАСТИ") && marked(&h).is_empty(), "{s}");
}

#[test]
fn computed_topics_show_beside_site_topics_and_filter_the_list() {
    use svodka::model::{Block, NewArticle, Stamp};
    let mut h = Harness::new(120, 30, true);
    let end = time::macros::datetime!(2026-03-14 12:00 UTC);
    let mut arts = Vec::new();
    for k in 0..40i64 {
        arts.push(NewArticle {
            title: format!("Обзор новостей выпуск {k}"),
            url: Some(format!("https://example.kz/o{k}")),
            published: Some(Stamp::DateTime(end - time::Duration::hours(8 * k + 1))),
            blocks: vec![Block::paragraph("Погода в регионе остаётся переменчивой, синоптики обещают дожди.")],
            ..NewArticle::default()
        });
    }
    for k in 0..8i64 {
        arts.push(NewArticle {
            title: format!("Паводок в Атырау: жителям помогают (обновление {k})"),
            url: Some(format!("https://example.kz/p{k}")),
            published: Some(Stamp::DateTime(end - time::Duration::minutes(30 * k + 5))),
            blocks: vec![Block::paragraph("Паводок затопил дома в Атырау.")],
            ..NewArticle::default()
        });
    }
    h.store.upsert_articles(&arts, end).unwrap();
    let fx = svodka::reader::update::init(&mut h.state, None);
    h.settle(fx);
    let computed: Vec<_> = h.state.topics.items.iter().filter(|t| t.computed.is_some()).collect();
    assert!(computed.iter().any(|t| t.topic.contains("Атырау")), "{:?}", h.state.topics.items);
    let i = h.state.topics.items.iter().position(|t| t.computed.is_some() && t.topic.contains("Атырау")).unwrap();
    h.keys("t");
    for _ in 0..i {
        h.keys("j");
    }
    let s = h.screen();
    assert!(s.contains("↗Атырау") || s.contains("↗Паводок в Атырау"), "{s}");
    h.key(KeyCode::Enter);
    assert_eq!(h.state.list.rows.len(), 8, "{:?}", h.state.list.rows);
    assert!(h.state.list.rows.iter().all(|r| r.title.contains("Атырау")));
}

#[test]
fn fetch_against_a_local_server_with_progress_errors_and_offline() {
    // A real HTTP server on 127.0.0.1: /a.rss is a feed, /b.rss is 404.
    let rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Лента А</title>\
               <item><guid>1</guid><title>Свежая новость про паводок</title><link>http://a.kz/1</link>\
               <pubDate>Sat, 14 Mar 2026 10:00:00 +0500</pubDate><description>Текст первой</description></item>\
               <item><guid>2</guid><title>Вторая свежая новость</title><link>http://a.kz/2</link>\
               <pubDate>Sat, 14 Mar 2026 09:00:00 +0500</pubDate><description>Текст второй</description></item>\
               </channel></rss>";
    let srv = Server::start();
    let base = srv.base.clone();
    srv.route("/a.rss", Reply::ok(rss, "application/rss+xml; charset=utf-8"));
    let hits = || srv.seen.lock().unwrap().iter().map(|(p, _)| p.clone()).collect::<Vec<String>>();
    let mut h = Harness::new(120, 30, true);
    h.store.add_feed(&format!("{base}/a.rss"), None, &[]).unwrap();
    h.store.add_feed(&format!("{base}/b.rss"), None, &[]).unwrap();
    let fx = svodka::reader::update::init(&mut h.state, None);
    h.settle(fx);
    assert!(!h.state.fetch.online, "no fetch recorded: offline");
    assert_eq!(h.state.fetch.feeds, 2);

    // R: the worker function runs the fetcher; feed its messages one by one.
    let fx = update(&mut h.state, Msg::Key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::NONE)));
    let fetch = fx.iter().find(|e| matches!(e, Effect::Fetch { article: None, .. })).unwrap().clone();
    let msgs = svodka::reader::effects::perform(&mut h.store, &fetch);
    assert!(matches!(msgs.last(), Some(Msg::FetchFinished { ok: true, error: None, .. })), "{msgs:?}");
    let mut shown_progress = false;
    for m in msgs {
        let is_progress = matches!(m, Msg::FetchProgress { done: 1, total: 2, .. });
        h.send(m);
        if is_progress && !shown_progress {
            shown_progress = true;
            let s = h.screen();
            assert!(s.contains("обновление 1/2…"), "{s}");
            let port = base.rsplit(':').next().unwrap();
            insta::assert_snapshot!("fetch_progress", s.replace(port, &"N".repeat(port.len())));
        }
    }
    assert!(shown_progress);
    // The list reloaded with the new articles above, the selection kept on
    // its line; the failure is the last error; one feed answered, so no «офлайн».
    let titles: Vec<&str> = h.state.list.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles[..2], ["Свежая новость про паводок", "Вторая свежая новость"], "{titles:?}");
    assert!(h.state.list.selected_row().unwrap().title.contains("МЕСТНЫЕ"));
    let s = h.screen();
    assert!(s.contains("/b.rss: HTTP 404"), "{s}");
    assert!(!s.contains("офлайн") && h.state.fetch.online, "{s}");
    assert_eq!(h.state.counts, h.store.counts().unwrap());

    // r on an article of feed A refreshes only that feed.
    let before = hits().len();
    let i = h.state.list.rows.iter().position(|r| r.title == "Вторая свежая новость").unwrap();
    let fx = update(&mut h.state, Msg::Key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)));
    h.settle(fx);
    for _ in 0..i {
        h.keys("j");
    }
    assert_eq!(h.state.list.selected_row().unwrap().title, "Вторая свежая новость");
    h.keys("r");
    let after: Vec<String> = hits()[before..].to_vec();
    assert_eq!(after, ["/a.rss"]);
    assert!(h.screen().contains("ленты обновлены"));
    // r on the seed article (a page dump, no feed): nothing to refresh.
    let seed = h.state.list.rows.iter().position(|r| r.title.contains("МЕСТНЫЕ")).unwrap();
    let fx = update(&mut h.state, Msg::Key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)));
    h.settle(fx);
    for _ in 0..seed {
        h.keys("j");
    }
    h.keys("r");
    assert!(h.screen().contains("у статьи нет ленты"));
    assert_eq!(hits().len(), before + 1);
}

#[test]
fn offline_when_every_feed_fails() {
    // A port nobody listens on: connection refused, quickly.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed.rss", dead.local_addr().unwrap());
    drop(dead);
    let mut h = Harness::new(60, 20, true);
    h.store.add_feed(&url, None, &[]).unwrap();
    h.keys("R");
    assert!(!h.state.fetch.online && h.state.fetch.progress.is_none());
    let s = h.screen();
    assert!(s.contains("│ http://127.0.0.1:"), "the failure is shown: {s}");
    // Any key clears the message; «офлайн» stays.
    h.keys("j");
    let s = h.screen();
    assert!(s.contains("офлайн"), "{s}");
    insta::assert_snapshot!("offline", s);
}

#[test]
fn capital_f_replaces_a_teaser_with_the_full_text_from_a_local_server() {
    let srv = Server::start();
    let base = srv.base.clone();
    let page = std::fs::read("tests/fixtures/extract/ars-1/source.html").unwrap();
    srv.route("/minecraft", Reply::ok(page, "text/html; charset=utf-8"));
    let mut h = Harness::new(120, 40, false);
    let teaser = |title: &str, path: &str| NewArticle {
        title: title.into(),
        url: Some(format!("{base}{path}")),
        blocks: vec![Block::paragraph("Только анонс.")],
        ..NewArticle::default()
    };
    h.store
        .upsert_articles(
            &[teaser("Minecraft bug", "/minecraft"), teaser("Пропавшая", "/gone")],
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    let fx = svodka::reader::update::init(&mut h.state, None);
    h.settle(fx);
    // The newest first: «Пропавшая» (id 2). Its page is a 404: the teaser stays, the reason shows.
    h.key(KeyCode::Enter).keys("F");
    let s = h.screen();
    assert!(s.contains("Только анонс.") && s.contains("404"), "{s}");
    // The other one: its full text replaces the teaser, marked with the time.
    h.key(KeyCode::Esc).keys("j").key(KeyCode::Enter).keys("F");
    let s = h.screen();
    assert!(s.contains("полный текст с сайта"), "{s}");
    assert!(s.contains("Minecraft makes it easy") && !s.contains("Только анонс."), "{s}");
    assert!(s.contains("полный текст сохранён"), "{s}");
}

/// A refresh (here: another connection) holds the archive's write lock
/// while marks are made: they wait, the screen and the status bar say so,
/// and they land, in order, once the lock goes; on quit the rest is flushed.
#[test]
fn marks_made_while_the_archive_is_locked_land_when_it_frees() {
    use std::time::{Duration, Instant};
    use svodka::reader::effects::Workers;
    let mut h = Harness::new(120, 30, true);
    let id = h.state.list.rows[0].id;
    let path = h.store.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    let workers = Workers::start(path.clone(), svodka::extract::Rules::default(), tx).unwrap();
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();

    // s, s, s (coalesced to starred) and Enter (read), as the event loop runs them.
    for k in [KeyCode::Char('s'), KeyCode::Char('s'), KeyCode::Char('s'), KeyCode::Enter] {
        let fx = update(&mut h.state, Msg::Key(KeyEvent::new(k, KeyModifiers::NONE)));
        workers.dispatch(fx, Lang::Ru).unwrap();
    }
    let pump = |h: &mut Harness, until: &dyn Fn(&State) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !until(&h.state) {
            assert!(Instant::now() < deadline, "timed out: {:?}", h.state.marks);
            if let Ok(m) = rx.recv_timeout(Duration::from_millis(100)) {
                let fx = update(&mut h.state, m);
                workers.dispatch(fx, Lang::Ru).unwrap();
            }
        }
    };
    pump(&mut h, &|s| s.marks.waiting);
    assert!(h.state.list.rows[0].starred && h.state.list.rows[0].read, "the screen keeps the marks");
    assert!(h.screen().contains("2 отметки ждут записи"), "{}", h.screen());
    let now = h.store.article(id).unwrap().summary;
    assert!(!now.starred && !now.read, "nothing is written while the lock is held");

    lock.execute_batch("COMMIT").unwrap();
    pump(&mut h, &|s| s.marks.pending.is_empty());
    let now = h.store.article(id).unwrap().summary;
    assert!(now.starred && now.read, "{now:?}");
    assert!(!h.screen().contains("ждут записи"));

    // Quit with marks still waiting: the flush lands them once the lock goes.
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let fx = update(&mut h.state, Msg::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE)));
    workers.dispatch(fx, Lang::Ru).unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        lock.execute_batch("COMMIT").unwrap();
    });
    let lost = workers.finish();
    release.join().unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    assert!(!h.store.article(id).unwrap().summary.read, "the unread mark landed on quit");
}

/// Offline reading survives what stops writes: in a directory the reader
/// cannot write (immutable, so also for root), it opens the archive
/// read-only, shows the articles and says why marks will not be saved.
#[test]
fn binary_in_tmux_reads_an_archive_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("archive.db");
    {
        let mut store = Store::open(&db).unwrap();
        svodka::bundled::import(&mut store).unwrap();
    }
    let immutable = std::process::Command::new("chattr").arg("+i").arg(&ro).status().is_ok_and(|s| s.success());
    assert!(immutable, "chattr +i is needed to make a directory read-only for root; this file system lacks it");
    struct Undo<'a>(&'a std::path::Path);
    impl Drop for Undo<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr").arg("-i").arg(self.0).status();
        }
    }
    let _undo = Undo(&ro);
    assert!(std::fs::write(ro.join("probe"), "").is_err(), "the directory is read-only");
    let bin = env!("CARGO_BIN_EXE_svodka");
    let t = launch(dir.path(), "readonly", &format!("{bin} --db {}", db.display()));
    t.wait_for("только для чтения");
    t.wait_for("В тренде");
    t.cmd(&["send-keys", "-t", "t", "q"]);
    assert_restored(&t);
    assert!(t.screen().contains("SVODKA_EXIT=0"), "{}", t.screen());
}

/// Fuzzing found a feed that makes feed-rs panic inside quick-xml (svodka
/// catches it: one feed failing). The reader's panic hook used to restore
/// the terminal for every panic, so a refresh left the running reader
/// without its alternate screen and raw mode. Now only the UI thread's own
/// panics touch the terminal.
#[test]
fn binary_in_tmux_survives_a_feed_that_panics_the_parser() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let srv = Server::start();
    let body = std::fs::read("tests/fixtures/fuzz/feed-rs-set-encoding-panic.xml").unwrap();
    assert!(svodka::ingest::feed::parse_feed(&body, None, None).is_err(), "the parser's panic is this feed's error");
    let url = srv.route("/panic.xml", Reply::ok(body, "application/rss+xml"));
    {
        let mut store = Store::open(&db).unwrap();
        svodka::bundled::import(&mut store).unwrap();
        store.add_feed(&url, None, &[]).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_svodka");
    let t = launch(dir.path(), "parserpanic", &format!("{bin} --db {}", db.display()));
    t.wait_for("В тренде");
    t.cmd(&["send-keys", "-t", "t", "R"]);
    let start = std::time::Instant::now();
    while srv.hits("/panic.xml") == 0 {
        assert!(start.elapsed().as_secs() < 30, "the refresh never asked for the feed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(t.flag("alternate_on"), "1", "still in the reader's screen:\n{}", t.screen());
    assert!(t.screen().contains("В тренде"), "{}", t.screen());
    t.cmd(&["send-keys", "-t", "t", "q"]);
    assert_restored(&t);
    assert!(t.screen().contains("SVODKA_EXIT=0"), "{}", t.screen());
}

#[test]
fn binary_in_tmux_refreshes_on_start_pipes_the_article_and_quits_by_command() {
    let rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Лента Б</title><ttl>30</ttl>\
               <item><guid>1</guid><title>Паводок отступает</title><link>http://b.kz/1</link>\
               <pubDate>Sat, 14 Mar 2026 10:00:00 +0500</pubDate><description>Вода ушла за ночь.</description></item>\
               </channel></rss>";
    let srv = Server::start();
    let feed = srv.route("/b.rss", Reply::ok(rss, "application/rss+xml; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    Store::open(&d.join("archive.db")).unwrap().add_feed(&feed, None, &[]).unwrap();
    std::fs::create_dir_all(d.join("config/svodka")).unwrap();
    let config = format!("refresh_on_start = true\npipe_to = \"cat > '{}/piped.txt'\"\n", d.display());
    std::fs::write(d.join("config/svodka/config.toml"), config).unwrap();
    let bin = env!("CARGO_BIN_EXE_svodka");
    let t = launch(d, "policy", &format!("{bin} --db {}/archive.db", d.display()));
    // Refreshed on start, with no key pressed.
    t.wait_for("ленты обновлены");
    assert_eq!(srv.hits("/b.rss"), 1);
    // The feed's article, open, piped to pipe_to.
    t.cmd(&["send-keys", "-t", "t", "L"]);
    t.wait_for("Лента Б");
    t.cmd(&["send-keys", "-t", "t", "Enter"]);
    t.wait_for("Вода ушла за ночь.");
    t.cmd(&["send-keys", "-t", "t", "|"]);
    let s = t.wait_for("cat: готово");
    assert!(s.contains("Паводок отступает"), "the screen is intact: {s}");
    let piped = std::fs::read_to_string(d.join("piped.txt")).unwrap();
    assert_eq!(piped, "Паводок отступает\nВода ушла за ночь.\n");
    // An unknown command is named; `:q` quits.
    t.cmd(&["send-keys", "-t", "t", ":"]);
    t.cmd(&["send-keys", "-t", "t", "-l", "frob"]);
    t.cmd(&["send-keys", "-t", "t", "Enter"]);
    t.wait_for("неизвестная команда «:frob»");
    t.cmd(&["send-keys", "-t", "t", ":", "q", "Enter"]);
    assert_restored(&t);
    assert!(t.screen().contains("SVODKA_EXIT=0"));
}
