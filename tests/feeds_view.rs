//! The feeds view, bulk marking and the prompt end to end: whole screens on
//! ratatui's TestBackend driven by the real `update`, the real store and the
//! real worker function (`effects::perform`).

use std::collections::VecDeque;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use svodka::i18n::Lang;
use svodka::model::{NewArticle, Stamp};
use svodka::reader::{Effect, Msg, Saved, Settings, State, update};
use svodka::store::Store;
use svodka::store::feeds::FetchedFeed;
use time::OffsetDateTime;
use time::macros::{date, datetime};

mod common;

struct Harness {
    _dir: tempfile::TempDir,
    store: Store,
    state: State,
    term: Terminal<TestBackend>,
}

fn item(feed: &str, n: usize) -> NewArticle {
    NewArticle {
        title: format!("{feed}: новость {n}"),
        url: Some(format!("https://{feed}.example.kz/{n}")),
        guid: Some(format!("{feed}-{n}")),
        published: Stamp::parse_iso(&format!("2026-03-1{n}T08:00:00Z")),
        ..NewArticle::default()
    }
}

/// Караван (#кз, fetched now, one of three read), Tengri (#кз #новости,
/// last success long ago, then a 404) and Курсив (untagged, never fetched).
fn archive(store: &mut Store) {
    let now = OffsetDateTime::now_utc();
    let long_ago = datetime!(2020-01-01 0:00 UTC);
    let (k, _) = store.add_feed("https://caravan.kz/rss", Some("Караван"), &["кз".into()]).unwrap();
    let (t, _) =
        store.add_feed("https://tengrinews.kz/rss", Some("Tengri News"), &["кз".into(), "новости".into()]).unwrap();
    store.add_feed("https://kursiv.media/feed", None, &[]).unwrap();
    let fetched = |feed: &str| FetchedFeed { items: (1..=3).map(|n| item(feed, n)).collect(), ..Default::default() };
    let ids = store.store_fetched(k, &fetched("caravan"), now).unwrap();
    store.set_read(ids[0].id(), true).unwrap();
    store.store_fetched(t, &fetched("tengri"), long_ago).unwrap();
    store.record_fetch_error(t, "HTTP 404", false, long_ago).unwrap();
}

impl Harness {
    fn new(w: u16, h: u16) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("archive.db")).unwrap();
        archive(&mut store);
        let cfg = Settings { lang: Lang::Ru, ..Settings::default() };
        let state = State::new(cfg, (w, h), date!(2026 - 03 - 14), "~/archive.db".into(), &Saved::default());
        let mut h = Harness { _dir: dir, store, state, term: Terminal::new(TestBackend::new(w, h)).unwrap() };
        let fx = svodka::reader::update::init(&mut h.state, None);
        h.settle(fx);
        h
    }

    fn settle(&mut self, fx: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = fx.into();
        while let Some(e) = queue.pop_front() {
            for m in svodka::reader::effects::perform(&mut self.store, &e) {
                queue.extend(update(&mut self.state, m));
            }
        }
    }

    fn key(&mut self, code: KeyCode) -> &mut Harness {
        let fx = update(&mut self.state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle(fx);
        self
    }

    fn keys(&mut self, s: &str) -> &mut Harness {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    fn screen(&mut self) -> String {
        let state = &self.state;
        self.term.draw(|f| svodka::reader::render(state, f)).unwrap();
        common::screen_text(self.term.backend().buffer())
    }

    fn unread(&self) -> i64 {
        self.store.counts().unwrap().unread
    }
}

#[test]
fn feeds_view_wide_and_narrow() {
    let mut h = Harness::new(120, 14);
    h.keys("L");
    let s = h.screen();
    assert!(s.contains("Ленты · 3 · 5 непрочитанных"), "{s}");
    assert!(s.contains("Караван") && s.contains("2/3") && s.contains("#кз"), "{s}");
    assert!(s.contains("офлайн · HTTP 404"), "{s}");
    assert!(s.contains("https://kursiv.media/feed") && s.contains("ещё не обновлялась"), "{s}");
    insta::assert_snapshot!("feeds_wide", s);
    let mut h = Harness::new(60, 12);
    h.keys("Lj");
    insta::assert_snapshot!("feeds_narrow", h.screen());
}

#[test]
fn enter_shows_the_feed_and_esc_everything() {
    let mut h = Harness::new(120, 20);
    assert_eq!(h.state.list.rows.len(), 6);
    h.keys("Ljj").key(KeyCode::Enter);
    assert!(h.state.list.rows.iter().all(|r| r.title.starts_with("tengri")), "{:?}", h.state.list.rows);
    assert_eq!(h.state.list.rows.len(), 3);
    assert!(h.screen().contains("Новости · Tengri News"));
    h.key(KeyCode::Esc);
    assert_eq!(h.state.list.rows.len(), 6);
    // A tag line: every feed under it.
    h.keys("Lg").key(KeyCode::Enter);
    assert_eq!(h.state.list.rows.len(), 6);
    assert!(h.screen().contains("Новости · #кз"));
}

#[test]
fn bulk_marks_go_through_the_store_and_undo_restores_exactly_them() {
    let mut h = Harness::new(120, 20);
    assert_eq!(h.unread(), 5);
    // The feed of the selected article (Tengri's newest comes first).
    h.keys("A");
    assert_eq!(h.unread(), 2);
    assert!(h.screen().contains("отмечено прочитанными: 3 · U — отменить"));
    h.keys("U");
    assert_eq!(h.unread(), 5);
    // The shown (filtered) list: only what the title filter matches.
    h.keys("fcaravan").key(KeyCode::Enter).keys("M");
    assert_eq!(h.unread(), 3);
    assert!(h.state.list.rows.iter().all(|r| r.read));
    h.key(KeyCode::Esc).keys("C");
    assert_eq!(h.unread(), 0);
    h.keys("U");
    assert_eq!(h.unread(), 3, "undo restores the last mark only; Караван's stay read");
    assert!(h.store.article(h.state.list.rows[0].id).unwrap().summary.read == h.state.list.rows[0].read);
    // The feeds view follows.
    h.keys("L");
    assert!(h.screen().contains("0/3"));
}

#[test]
fn starred_view_and_next_unread_feed() {
    let mut h = Harness::new(120, 20);
    h.keys("ss").keys("j").keys("s");
    h.keys("S");
    assert_eq!(h.state.list.rows.len(), 1);
    assert!(h.screen().contains("со звёздами"));
    h.keys("S");
    let ctrl_n = Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    let fx = update(&mut h.state, ctrl_n.clone());
    h.settle(fx);
    assert!(h.state.list.rows.iter().all(|r| r.title.starts_with("caravan")));
    let fx = update(&mut h.state, ctrl_n);
    h.settle(fx);
    assert!(h.state.list.rows.iter().all(|r| r.title.starts_with("tengri")));
}

#[test]
fn remove_asks_first_and_add_and_rename_prompt_at_the_bottom() {
    let mut h = Harness::new(100, 12);
    h.keys("Lj").keys("d");
    let s = h.screen();
    assert!(s.contains("Удалить подписку «Караван»? y/n"), "{s}");
    insta::assert_snapshot!("feeds_remove_prompt", s);
    h.keys("n");
    assert_eq!(h.store.feeds().unwrap().len(), 3);
    h.keys("dy");
    let feeds = h.store.feeds().unwrap();
    assert_eq!(feeds.len(), 2);
    assert!(h.screen().contains("подписка удалена"));
    assert_eq!(h.store.counts().unwrap().total, 6, "its articles stay");
    // Rename the selected feed (now Tengri).
    h.keys("e");
    for _ in 0.."Tengri News".len() {
        h.key(KeyCode::Backspace);
    }
    h.keys("Тенгри").key(KeyCode::Enter);
    assert!(h.store.feeds().unwrap().iter().any(|f| f.title.as_deref() == Some("Тенгри")));
    // Add: a closed local port, so the refresh that follows fails at once
    // and the view shows why.
    h.keys("a").keys("http://127.0.0.1:9/rss");
    assert!(h.screen().contains("Адрес ленты: http://127.0.0.1:9/rss▏"));
    h.key(KeyCode::Enter);
    let f = h.store.feeds().unwrap();
    assert!(f.iter().any(|f| f.url == "http://127.0.0.1:9/rss" && f.last_error.is_some()), "{f:?}");
    assert!(h.screen().contains("http://127.0.0.1:9/rss"));
}

#[test]
fn the_worker_resolves_mark_targets() {
    use svodka::reader::MarkTarget;
    use svodka::reader::effects::perform;
    let mut h = Harness::new(100, 12);
    let dump = h.store.upsert_articles(&[item("dump", 4)], OffsetDateTime::now_utc()).unwrap()[0].id();
    assert_eq!(perform(&mut h.store, &Effect::MarkRead(MarkTarget::FeedOf(dump))), vec![Msg::NotFromFeed]);
    // A feed filter with a title filter: only what both match, unread only.
    h.keys("Lj").key(KeyCode::Enter);
    let mut filter = h.state.filter.clone();
    filter.title = "новость 3".into();
    let out = perform(&mut h.store, &Effect::MarkRead(MarkTarget::Filter(filter)));
    let ids = match out.as_slice() {
        [Msg::Marked(ids)] => ids.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids.len(), 1);
    assert_eq!(h.store.article(ids[0]).unwrap().summary.title, "caravan: новость 3");
    assert_eq!(perform(&mut h.store, &Effect::MarkUnread(ids)), vec![Msg::Unmarked(1)]);
}
