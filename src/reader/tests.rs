//! `update` for every key and message, without a terminal or an archive.

use std::sync::Arc;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use time::macros::{date, datetime};

use super::settings::Settings;
use super::state::{Filter, Focus, Mode, PAGE, StatusKind, WINDOW_MAX};
use super::update::init;
use super::*;
use crate::i18n::Lang;
use crate::model::{Article, ArticleSummary, Block, Stamp, TrendingEntry};
use crate::store::Counts;

mod command;
mod marks;
mod new_above;
mod sync;

fn row(id: i64) -> ArticleSummary {
    ArticleSummary {
        id,
        title: format!("Заголовок номер {id}"),
        site: Some("Караван".into()),
        url: Some(format!("https://example.kz/{id}")),
        published: Some(Stamp::Date(date!(2001 - 08 - 14))),
        views: None,
        read: false,
        starred: false,
        sort_key: 1_000_000 - id,
    }
}

fn rows(from: i64, n: usize) -> Vec<ArticleSummary> {
    (from..from + n as i64).map(row).collect()
}

fn article(id: i64, paragraphs: usize) -> Arc<Article> {
    Arc::new(Article {
        summary: row(id),
        captured: None,
        photo_credit: None,
        author: None,
        added: datetime!(2026-01-01 0:00 UTC),
        blocks: (0..paragraphs)
            .map(|i| Block::paragraph(format!("Абзац {i}: местные власти признали проблему и намерены работать.")))
            .collect(),
        links: vec![],
        trending: vec![],
        extracted: None,
    })
}

fn cfg() -> Settings {
    Settings { lang: Lang::Ru, ..Settings::default() }
}

fn new_state(w: u16, h: u16) -> State {
    State::new(cfg(), (w, h), date!(2026 - 03 - 14), "~/a.db".into(), &Saved::default())
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn page_effect(fx: &[Effect]) -> Option<(u64, PageQuery)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadPage { generation, query } => Some((*generation, query.clone())),
        _ => None,
    })
}

fn article_effect(fx: &[Effect]) -> Option<(u64, i64)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadArticle { generation, id } => Some((*generation, *id)),
        _ => None,
    })
}

/// A state with a first page of `n` rows (more to come when `n == PAGE`).
fn loaded(w: u16, h: u16, n: usize) -> State {
    let mut s = new_state(w, h);
    let fx = init(&mut s, None);
    let (generation, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::First);
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: rows(1, n), anchor: None });
    s.counts = Counts { total: n as i64, unread: n as i64 };
    s
}

/// Answers the pending article request, as the worker would.
fn deliver_article(s: &mut State, paragraphs: usize) {
    let id = s.reader.as_ref().expect("an article was requested").id;
    let generation = s.generations.article;
    update(s, Msg::Article { generation, article: article(id, paragraphs) });
}

#[test]
fn init_asks_for_first_page_counts_and_trending() {
    let mut s = new_state(120, 30);
    let fx = init(&mut s, None);
    assert_eq!(page_effect(&fx).unwrap().1.cursor, Cursor::First);
    assert!(fx.contains(&Effect::LoadCounts) && fx.contains(&Effect::LoadTrending));
    let fx = init(&mut new_state(120, 30), Some(42));
    assert_eq!(page_effect(&fx).unwrap().1.cursor, Cursor::Around(42));
}

#[test]
fn first_page_selects_and_previews_in_wide_mode_only() {
    let mut s = new_state(120, 30);
    let fx = init(&mut s, None);
    let (generation, _) = page_effect(&fx).unwrap();
    let fx =
        update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: rows(1, 5), anchor: None });
    assert_eq!(s.list.rows.len(), 5);
    assert!(s.list.at_start && s.list.at_end && s.list.loaded);
    assert_eq!(article_effect(&fx).map(|a| a.1), Some(1));

    let mut s = new_state(60, 20);
    let fx = init(&mut s, None);
    let (generation, _) = page_effect(&fx).unwrap();
    let fx =
        update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: rows(1, 5), anchor: None });
    assert_eq!(article_effect(&fx), None, "narrow mode opens on Enter only");
}

#[test]
fn around_page_restores_selection() {
    let mut s = new_state(120, 30);
    let fx = init(&mut s, Some(150));
    let (generation, _) = page_effect(&fx).unwrap();
    // The worker found all the `PAGE / 2` newer rows it asked for: more may be above.
    let around = Cursor::Around(150);
    update(&mut s, Msg::Page { generation, cursor: around, limit: PAGE, rows: rows(50, PAGE), anchor: Some(PAGE / 2) });
    assert_eq!(s.list.selected_row().unwrap().id, 150);
    assert!(!s.list.at_start);
    // Fewer than it asked for: the window starts at the top.
    let mut s = new_state(120, 30);
    let fx = init(&mut s, Some(50));
    let (generation, _) = page_effect(&fx).unwrap();
    let around = Cursor::Around(50);
    update(&mut s, Msg::Page { generation, cursor: around, limit: PAGE, rows: rows(40, 30), anchor: Some(10) });
    assert_eq!(s.list.selected_row().unwrap().id, 50);
    assert!(s.list.at_start);
}

#[test]
fn stale_page_is_dropped() {
    let mut s = loaded(120, 30, 5);
    let old = s.generations.list;
    // The filter changes: a new generation; the old page arrives late.
    let fx = update(&mut s, ch('u'));
    let (new, q) = page_effect(&fx).unwrap();
    assert!(new > old && q.filter.unread_only);
    update(&mut s, Msg::Page { generation: old, cursor: Cursor::First, limit: PAGE, rows: rows(100, 3), anchor: None });
    assert_eq!(s.list.rows[0].id, 1, "stale rows must not replace the list");
    update(&mut s, Msg::PageFailed { generation: old, error: "old".into() });
    assert_eq!(s.status, None);
    update(&mut s, Msg::Page { generation: new, cursor: Cursor::First, limit: PAGE, rows: rows(100, 3), anchor: None });
    assert_eq!(s.list.rows[0].id, 100);
}

#[test]
fn stale_article_is_dropped() {
    let mut s = loaded(120, 30, 5);
    let first = s.generations.article;
    let fx = update(&mut s, ch('j'));
    let (second, id) = article_effect(&fx).unwrap();
    assert_eq!(id, 2);
    update(&mut s, Msg::Article { generation: first, article: article(1, 3) });
    assert!(s.reader.as_ref().unwrap().article.is_none(), "article 1 arrived after 2 was chosen");
    update(&mut s, Msg::ArticleFailed { generation: first, error: "old".into() });
    assert_eq!(s.status, None);
    update(&mut s, Msg::Article { generation: second, article: article(2, 3) });
    assert_eq!(s.reader.as_ref().unwrap().article.as_ref().unwrap().summary.id, 2);
    assert!(!s.reader.as_ref().unwrap().lines.is_empty());
}

#[test]
fn moving_down_and_up() {
    let mut s = loaded(120, 30, 5);
    for (m, want) in [(ch('j'), 1), (key(KeyCode::Down), 2), (ch('k'), 1), (key(KeyCode::Up), 0), (ch('k'), 0)] {
        update(&mut s, m);
        assert_eq!(s.list.selected, want);
    }
    for _ in 0..10 {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.list.selected, 4, "stops at the last row");
}

#[test]
fn paging_forward_and_backward_keeps_a_bounded_window() {
    let mut s = loaded(120, 30, PAGE);
    assert!(!s.list.at_end);
    let fx = update(&mut s, key(KeyCode::Char('G')));
    // Not at the end: G asks for the last page under a new generation.
    let (generation, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::Last);
    update(&mut s, Msg::Page { generation, cursor: Cursor::Last, limit: PAGE, rows: rows(99_801, PAGE), anchor: None });
    assert_eq!(s.list.selected_row().unwrap().id, 100_000);
    assert!(s.list.at_end && !s.list.at_start);

    // g goes back to the first page.
    let fx = update(&mut s, ch('g'));
    let (generation, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::First);
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: rows(1, PAGE), anchor: None });
    assert_eq!(s.list.selected, 0);

    // Walking down asks for the next page near the end of the window.
    for i in 0..4 {
        let mut next = None;
        for _ in 0..PAGE {
            let fx = update(&mut s, key(KeyCode::PageDown));
            if let Some(p) = page_effect(&fx) {
                next = Some(p);
                break;
            }
        }
        let (generation, q) = next.expect("a next-page request");
        let last = s.list.rows.last().unwrap();
        assert_eq!(q.cursor, Cursor::After((last.sort_key, last.id)));
        let from = last.id + 1;
        assert_eq!(from, 1 + (PAGE * (i + 1)) as i64);
        let page =
            Msg::Page { generation, cursor: q.cursor.clone(), limit: PAGE, rows: rows(from, PAGE), anchor: None };
        update(&mut s, page);
    }
    assert!(s.list.rows.len() <= WINDOW_MAX, "window bounded: {}", s.list.rows.len());
    assert!(!s.list.at_start);
    let sel = s.list.selected_row().unwrap().id;

    // Going back to the top of the window asks for the rows before it.
    let first = s.list.rows[0].clone();
    let mut prev = None;
    for _ in 0..WINDOW_MAX {
        let fx = update(&mut s, key(KeyCode::PageUp));
        if let Some(p) = page_effect(&fx) {
            prev = Some(p);
            break;
        }
    }
    let (generation, q) = prev.expect("a previous-page request");
    assert_eq!(q.cursor, Cursor::Before((first.sort_key, first.id)));
    let sel_before = s.list.selected_row().unwrap().id;
    update(
        &mut s,
        Msg::Page { generation, cursor: q.cursor, limit: PAGE, rows: rows(first.id - PAGE as i64, PAGE), anchor: None },
    );
    assert_eq!(s.list.selected_row().unwrap().id, sel_before, "prepending keeps the selection");
    assert!(s.list.rows.len() <= WINDOW_MAX);
    assert!(sel > 0);
}

#[test]
fn enter_opens_and_marks_read_esc_goes_back() {
    let mut s = loaded(120, 30, 5);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.focus, Focus::Reader);
    assert!(fx.contains(&Effect::SetRead { id: 1, read: true }));
    assert!(s.list.rows[0].read);
    assert_eq!(s.counts.unread, 4);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::List);
    // Opening a read article writes nothing.
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(!fx.iter().any(|e| matches!(e, Effect::SetRead { .. })));
}

#[test]
fn narrow_mode_is_one_pane_at_a_time() {
    let mut s = loaded(60, 20, 5);
    assert!(s.geometry().list.is_some() && s.geometry().reader.is_none());
    update(&mut s, key(KeyCode::Enter));
    deliver_article(&mut s, 20);
    let g = s.geometry();
    assert!(g.list.is_none() && g.reader.is_some());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.geometry().list.is_some());
}

#[test]
fn tab_cycles_panes_and_t_toggles_trending() {
    let mut s = loaded(120, 30, 5);
    update(&mut s, Msg::Trending(vec![entry("Пенсия 2026", "Заголовок номер 3"), entry("АЭС", "нет")]));
    let fx = update(&mut s, key(KeyCode::Tab));
    assert!(fx.is_empty());
    assert_eq!(s.focus, Focus::Trending);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Focus::Reader);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Focus::List);
    update(&mut s, ch('t'));
    assert_eq!(s.focus, Focus::Trending);
    update(&mut s, ch('t'));
    assert_eq!(s.focus, Focus::List);
}

fn entry(topic: &str, headline: &str) -> TrendingEntry {
    TrendingEntry { topic: topic.into(), headline: headline.into(), site: None, captured: None, article_id: None }
}

#[test]
fn choosing_a_topic_filters_and_esc_clears() {
    let mut s = loaded(120, 30, 5);
    update(
        &mut s,
        Msg::Trending(vec![entry("Пенсия", "a"), entry("Пенсия", "b"), entry("АЭС\u{1b}[31m", "c"), entry(" ", "d")]),
    );
    assert_eq!(s.topics.items.len(), 2, "deduplicated, blank dropped");
    assert_eq!(s.topics.items[1].topic, "АЭС", "sanitised: the whole escape sequence goes");
    update(&mut s, ch('t'));
    update(&mut s, ch('j'));
    assert_eq!(s.topics.selected, 1);
    update(&mut s, ch('k'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (_, q) = page_effect(&fx).unwrap();
    assert_eq!(q.filter.topic.as_deref(), Some("Пенсия"));
    assert_eq!(s.focus, Focus::List);
    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(page_effect(&fx).unwrap().1.filter, Filter::default());
    // Esc with no filter does nothing.
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
}

#[test]
fn next_unread_skips_read_and_pages_on() {
    let mut s = loaded(120, 30, PAGE);
    for r in s.list.rows.iter_mut().take(PAGE - 1) {
        r.read = true;
    }
    let fx = update(&mut s, ch('n'));
    assert_eq!(s.list.selected, PAGE - 1);
    assert!(fx.contains(&Effect::SetRead { id: PAGE as i64, read: true }));
    // Near the end of the window the next page was asked for already.
    let (generation, q) = page_effect(&fx).expect("next page");
    // Nothing unread left in the window, but more rows exist: wait for it.
    assert!(update(&mut s, ch('n')).is_empty());
    assert!(matches!(q.cursor, Cursor::After(_)));
    assert!(s.pending.next_unread);
    let mut more = rows(PAGE as i64 + 1, 3);
    more[0].read = true;
    let fx = update(&mut s, Msg::Page { generation, cursor: q.cursor, limit: PAGE, rows: more, anchor: None });
    assert_eq!(s.list.selected_row().unwrap().id, PAGE as i64 + 2);
    assert!(fx.contains(&Effect::SetRead { id: PAGE as i64 + 2, read: true }));
    // At the very end: nothing.
    s.list.rows.iter_mut().for_each(|r| r.read = true);
    assert!(update(&mut s, ch('n')).is_empty());
}

#[test]
fn m_and_s_toggle_read_and_star() {
    let mut s = loaded(120, 30, 3);
    let fx = update(&mut s, ch('m'));
    assert_eq!(fx, vec![Effect::SetRead { id: 1, read: true }]);
    assert_eq!(s.counts.unread, 2);
    let fx = update(&mut s, ch('m'));
    assert_eq!(fx, vec![Effect::SetRead { id: 1, read: false }]);
    assert_eq!(s.counts.unread, 3);
    let fx = update(&mut s, ch('s'));
    assert_eq!(fx, vec![Effect::SetStarred { id: 1, starred: true }]);
    assert!(s.list.rows[0].starred);
    let fx = update(&mut s, ch('s'));
    assert_eq!(fx, vec![Effect::SetStarred { id: 1, starred: false }]);
}

#[test]
fn u_toggles_unread_only() {
    let mut s = loaded(120, 30, 3);
    assert!(page_effect(&update(&mut s, ch('u'))).unwrap().1.filter.unread_only);
    assert!(!page_effect(&update(&mut s, ch('u'))).unwrap().1.filter.unread_only);
}

#[test]
fn f_filters_titles_live_and_esc_restores() {
    let mut s = loaded(120, 30, 3);
    assert!(update(&mut s, ch('f')).is_empty());
    assert_eq!(s.mode, Mode::Filter);
    let mut gens = vec![];
    for c in "Мор".chars() {
        let fx = update(&mut s, ch(c));
        gens.push(page_effect(&fx).unwrap().0);
    }
    assert!(gens.windows(2).all(|w| w[1] > w[0]), "each keystroke a new generation");
    assert_eq!(s.filter.title, "Мор");
    // 'q' and 'j' are text here, not keys.
    update(&mut s, ch('q'));
    assert!(!s.quit);
    let fx = update(&mut s, key(KeyCode::Backspace));
    assert_eq!(page_effect(&fx).unwrap().1.filter.title, "Мор");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!((s.mode, s.filter.title.as_str()), (Mode::Normal, "Мор"));
    update(&mut s, ch('f'));
    update(&mut s, ch('x'));
    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(page_effect(&fx).unwrap().1.filter.title, "Мор");
    assert_eq!(s.mode, Mode::Normal);
    update(&mut s, ch('f'));
    let fx = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    assert_eq!(page_effect(&fx).unwrap().1.filter.title, "");
}

#[test]
fn o_and_y_use_the_url() {
    let mut s = loaded(120, 30, 3);
    assert_eq!(update(&mut s, ch('o')), vec![Effect::OpenUrl("https://example.kz/1".into())]);
    assert_eq!(update(&mut s, ch('y')), vec![Effect::CopyUrl("https://example.kz/1".into())]);
    s.list.rows[0].url = None;
    assert!(update(&mut s, ch('o')).is_empty());
    assert_eq!(s.status.as_ref().unwrap().0, StatusKind::Error);
    assert!(update(&mut s, ch('y')).is_empty());
}

#[test]
fn help_opens_and_any_key_closes() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, ch('?'));
    assert_eq!(s.mode, Mode::Help);
    assert!(update(&mut s, ch('q')).is_empty(), "q closes help, does not quit");
    assert_eq!(s.mode, Mode::Normal);
    assert!(!s.quit);
    update(&mut s, key(KeyCode::F(1)));
    assert_eq!(s.mode, Mode::Help);
}

#[test]
fn q_and_ctrl_c_quit_saving_state() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, ch('j'));
    let fx = update(&mut s, ch('q'));
    assert!(s.quit);
    assert_eq!(fx.last(), Some(&Effect::Quit));
    let Effect::SaveState(pairs) = &fx[0] else { panic!("{fx:?}") };
    assert!(pairs.contains(&("tui.selected".into(), "2".into())));
    let saved = Saved::from_pairs(|k| pairs.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone()));
    assert_eq!(saved.selected, Some(2));

    let mut s = loaded(120, 30, 3);
    update(&mut s, ch('/'));
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(s.quit, "ctrl-c quits even while typing a filter");
}

#[test]
fn scrolling_the_article() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, key(KeyCode::Enter));
    deliver_article(&mut s, 60);
    let rows = s.reader_rows();
    let page = rows - 2;
    for (m, want) in [
        (ch('J'), page),
        (key(KeyCode::Char(' ')), 2 * page),
        (ch('K'), page),
        (ch('b'), 0),
        (ch('j'), 1),
        (key(KeyCode::Down), 2),
        (ch('k'), 1),
        (key(KeyCode::PageDown), 1 + page),
        (key(KeyCode::PageUp), 1),
        (ch('g'), 0),
    ] {
        update(&mut s, m.clone());
        assert_eq!(s.reader.as_ref().unwrap().scroll, want, "{m:?}");
    }
    update(&mut s, ch('G'));
    let r = s.reader.clone().unwrap();
    assert_eq!(r.scroll, r.lines.len() - rows);
    assert_eq!(s.scroll_percent(), Some(100));
    // Scrolling from the list pane works too.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('b'));
    assert!(s.reader.as_ref().unwrap().scroll < r.lines.len() - rows);
}

#[test]
fn resize_relays_text_and_small_sizes_do_not_panic() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, key(KeyCode::Enter));
    deliver_article(&mut s, 10);
    let wide = s.reader.as_ref().unwrap().lines.clone();
    update(&mut s, Msg::Resize(40, 12));
    let narrow = s.reader.as_ref().unwrap();
    assert!(narrow.lines.len() > wide.len(), "narrower pane, more lines");
    assert!(narrow.lines.iter().all(|l| crate::text::width::display_width(&l.text) <= 38));
    assert_eq!(s.cache.len(), 2);
    for (w, h) in [(20, 5), (19, 5), (20, 4), (1, 1), (0, 0), (200, 60)] {
        update(&mut s, Msg::Resize(w, h));
        for k in ['j', 'k', 'J', 'G', 'g'] {
            update(&mut s, ch(k));
        }
    }
    assert!(s.geometry().reader.is_some() || s.geometry().list.is_some());
}

#[test]
fn split_keys_resize_the_list() {
    let mut s = loaded(120, 30, 3);
    let w = s.geometry().list.unwrap().width;
    update(&mut s, ch('>'));
    assert_eq!(s.split, 45);
    assert!(s.geometry().list.unwrap().width > w);
    for _ in 0..20 {
        update(&mut s, ch('<'));
    }
    assert_eq!(s.split, 20);
}

#[test]
fn mouse_wheel_and_click() {
    let mut s = loaded(120, 30, 20);
    update(&mut s, key(KeyCode::Enter));
    deliver_article(&mut s, 60);
    update(&mut s, key(KeyCode::Esc));
    let g = s.geometry();
    let reader = g.reader.unwrap();
    let list = g.list.unwrap();
    let m = |kind, column, row| Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE });
    update(&mut s, m(MouseEventKind::ScrollDown, reader.x + 5, reader.y + 3));
    assert_eq!(s.reader.as_ref().unwrap().scroll, 3);
    assert_eq!(s.list.selected, 0, "the wheel scrolls the pane under the pointer");
    update(&mut s, m(MouseEventKind::ScrollDown, list.x + 5, list.y + 3));
    assert_eq!(s.list.selected, 3);
    // The first body line is the day header: clicking it selects nothing.
    assert!(update(&mut s, m(MouseEventKind::Down(MouseButton::Left), list.x + 5, list.y + 1)).is_empty());
    assert_eq!(s.list.selected, 3);
    let fx = update(&mut s, m(MouseEventKind::Down(MouseButton::Left), list.x + 5, list.y + 1 + 8));
    assert_eq!(s.list.selected, 7);
    assert_eq!(article_effect(&fx).map(|a| a.1), Some(8));
    update(&mut s, m(MouseEventKind::Down(MouseButton::Left), reader.x + 5, reader.y + 1));
    assert_eq!(s.focus, Focus::Reader);
}

#[test]
fn key_release_is_ignored() {
    let mut s = loaded(120, 30, 3);
    let release =
        KeyEvent { kind: KeyEventKind::Release, state: KeyEventState::NONE, ..KeyEvent::from(KeyCode::Char('j')) };
    update(&mut s, Msg::Key(release));
    assert_eq!(s.list.selected, 0);
}

#[test]
fn worker_messages() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, Msg::Counts(Counts { total: 10, unread: 4 }));
    assert_eq!(s.counts, Counts { total: 10, unread: 4 });
    let fx = update(&mut s, Msg::WriteFailed("disk full".into()));
    assert_eq!(fx, vec![Effect::LoadCounts]);
    assert_eq!(s.status, Some((StatusKind::Error, "disk full".into())));
    update(&mut s, Msg::Error("xdg-open: not found".into()));
    assert_eq!(s.status.as_ref().unwrap().1, "xdg-open: not found");
    // A key clears the message.
    update(&mut s, ch('j'));
    assert_eq!(s.status, None);
    let generation = s.generations.list;
    update(&mut s, Msg::PageFailed { generation, error: "busy".into() });
    assert_eq!(s.status.as_ref().unwrap().1, "busy");
    let generation = s.generations.article;
    update(&mut s, Msg::ArticleFailed { generation, error: "gone".into() });
    assert_eq!(s.status.as_ref().unwrap().1, "gone");

    // Fetch messages with no refresh running are ignored.
    update(&mut s, Msg::FetchProgress { generation: 0, done: 2, total: 5 });
    assert_eq!(s.fetch.progress, None);
}

fn fetch_effect(fx: &[Effect]) -> Option<(u64, Option<i64>)> {
    fx.iter().find_map(|e| match e {
        Effect::Fetch { generation, article } => Some((*generation, *article)),
        _ => None,
    })
}

#[test]
fn feed_status_decides_offline() {
    let mut s = loaded(120, 30, 3);
    assert!(init(&mut new_state(120, 30), None).contains(&Effect::LoadFeedStatus));
    assert!(!s.fetch.online);
    update(&mut s, Msg::FeedStatus { recent_success: false, feeds: 4 });
    assert!(!s.fetch.online);
    assert_eq!(s.fetch.feeds, 4);
    update(&mut s, Msg::FeedStatus { recent_success: true, feeds: 4 });
    assert!(s.fetch.online);
}

#[test]
fn r_refreshes_the_selected_articles_feed_and_capital_r_all() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, ch('j'));
    let fx = update(&mut s, ch('r'));
    assert_eq!(fetch_effect(&fx), Some((1, Some(2))));
    assert_eq!(s.fetch.progress, Some((0, 0)));
    // A second refresh while one runs is refused.
    assert!(update(&mut s, ch('R')).is_empty());
    assert_eq!(s.status.as_ref().unwrap().0, StatusKind::Info);
    update(&mut s, Msg::FetchFinished { generation: 1, ok: true, error: None });
    assert!(s.fetch.online && s.fetch.progress.is_none());
    assert_eq!(s.status, Some((StatusKind::Error, "у статьи нет ленты: обновлять нечего".into())));
    let fx = update(&mut s, ch('R'));
    assert_eq!(fetch_effect(&fx), Some((2, None)));
    update(&mut s, Msg::FetchFinished { generation: 2, ok: false, error: None });
    assert_eq!(s.status, Some((StatusKind::Error, "нет подписок (svodka add URL)".into())));
    // Nothing selected: `r` has nothing to refresh.
    let mut e = loaded(120, 30, 0);
    assert!(update(&mut e, ch('r')).is_empty());
    assert_eq!(e.status.as_ref().unwrap().0, StatusKind::Error);
}

#[test]
fn fetch_progress_reloads_the_list_keeping_the_selection_and_drops_stale_results() {
    let mut s = loaded(120, 30, 10);
    for _ in 0..4 {
        update(&mut s, ch('j'));
    }
    let (row_on_screen, id) = (s.list.selected - s.list.offset, s.list.selected_row().unwrap().id);
    let (generation, _) = fetch_effect(&update(&mut s, ch('R'))).unwrap();
    update(&mut s, Msg::FetchProgress { generation, done: 0, total: 3 });
    assert_eq!(s.fetch.progress, Some((0, 3)));
    // A stale generation changes nothing.
    update(&mut s, Msg::FetchProgress { generation: generation - 1, done: 2, total: 9 });
    assert!(update(&mut s, Msg::FetchFeed { generation: generation - 1, changed: true, error: None }).is_empty());
    assert!(update(&mut s, Msg::FetchFinished { generation: generation - 1, ok: true, error: None }).is_empty());
    assert_eq!(s.fetch.progress, Some((0, 3)));
    assert!(!s.fetch.online);
    // A feed with new articles: the list reloads around the selection.
    update(&mut s, Msg::FetchProgress { generation, done: 1, total: 3 });
    let fx = update(&mut s, Msg::FetchFeed { generation, changed: true, error: None });
    let (pg, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::Around(id));
    assert!(fx.contains(&Effect::LoadCounts));
    // Two new articles on top: the selected one stays on its screen line.
    let mut new_rows = vec![row(100), row(101)];
    new_rows.extend(rows(1, 10));
    update(
        &mut s,
        Msg::Page { generation: pg, cursor: Cursor::Around(id), limit: PAGE, rows: new_rows, anchor: Some(6) },
    );
    assert_eq!(s.list.selected_row().unwrap().id, id);
    assert_eq!(s.list.selected - s.list.offset, row_on_screen);
    // A feed that did not change: no reload; one that failed: the error shows.
    assert!(update(&mut s, Msg::FetchFeed { generation, changed: false, error: None }).is_empty());
    update(&mut s, Msg::FetchFeed { generation, changed: false, error: Some("http://x.kz/rss: HTTP 404".into()) });
    assert_eq!(s.status, Some((StatusKind::Error, "http://x.kz/rss: HTTP 404".into())));
    let fx = update(&mut s, Msg::FetchFinished { generation, ok: true, error: None });
    assert!(s.fetch.online && s.fetch.progress.is_none());
    assert!(fx.contains(&Effect::LoadTrending), "topics follow new articles");
    assert_eq!(s.status.as_ref().unwrap().1, "http://x.kz/rss: HTTP 404", "the last error stays");
    // A refresh where every feed failed: still offline.
    let mut o = loaded(120, 30, 3);
    let (g, _) = fetch_effect(&update(&mut o, ch('R'))).unwrap();
    update(&mut o, Msg::FetchProgress { generation: g, done: 1, total: 1 });
    update(&mut o, Msg::FetchFeed { generation: g, changed: false, error: Some("timed out".into()) });
    assert!(update(&mut o, Msg::FetchFinished { generation: g, ok: false, error: None }).is_empty());
    assert!(!o.fetch.online);
    // In the interface's language (issue 15).
    assert_eq!(o.status.as_ref().unwrap().1, "сайт не ответил вовремя");
}

fn search_effect(fx: &[Effect]) -> Option<(u64, String)> {
    fx.iter().find_map(|e| match e {
        Effect::Search { generation, query } => Some((*generation, query.clone())),
        _ => None,
    })
}

#[test]
fn slash_searches_live_drops_stale_results_enter_keeps_esc_restores() {
    let mut s = loaded(120, 30, 10);
    update(&mut s, ch('j'));
    let before = s.list.clone();
    assert!(update(&mut s, ch('/')).is_empty());
    assert_eq!(s.mode, Mode::Search);
    let mut gens = vec![];
    for c in "Мор".chars() {
        let (g, q) = search_effect(&update(&mut s, ch(c))).unwrap();
        gens.push(g);
        assert!("Мор".starts_with(&q));
    }
    assert!(gens.windows(2).all(|w| w[1] > w[0]), "each keystroke a new generation");
    // 'q' and 'j' are text here.
    update(&mut s, ch('q'));
    assert!(!s.quit);
    let (g, q) = search_effect(&update(&mut s, key(KeyCode::Backspace))).unwrap();
    assert_eq!(q, "Мор");
    // A result of an older query is dropped; the current one fills the list.
    assert!(update(&mut s, Msg::SearchResults { generation: gens[0], rows: rows(7, 1) }).is_empty());
    assert_eq!(s.list, before);
    let fx = update(&mut s, Msg::SearchResults { generation: g, rows: vec![row(9), row(3)] });
    assert_eq!(s.list.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [9, 3], "ranked order kept");
    assert_eq!(article_effect(&fx).map(|a| a.1), Some(9), "the best hit previews");
    assert!(s.list.at_start && s.list.at_end, "no paging in results");
    // Enter keeps the results; keys work on them.
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Normal);
    update(&mut s, ch('j'));
    assert_eq!(s.list.selected_row().unwrap().id, 3);
    // `/` again edits the same query.
    update(&mut s, ch('/'));
    assert_eq!(s.search.as_ref().unwrap().query, "Мор");
    update(&mut s, key(KeyCode::Enter));
    // `u` while results show does not replace them.
    assert!(update(&mut s, ch('u')).is_empty());
    assert_eq!(s.list.rows.len(), 2);
    // Esc restores the normal list (reloaded: the filter changed meanwhile).
    let fx = update(&mut s, key(KeyCode::Esc));
    assert!(s.search.is_none());
    assert_eq!(s.list.rows, before.rows);
    assert_eq!(page_effect(&fx).unwrap().1.cursor, Cursor::Around(before.selected_row().unwrap().id));
    // Results arriving after the search ended are dropped.
    assert!(update(&mut s, Msg::SearchResults { generation: g, rows: rows(50, 2) }).is_empty());
    assert_eq!(s.list.rows, before.rows);
    // Esc while typing also ends it; an empty query shows the normal list.
    update(&mut s, ch('/'));
    update(&mut s, ch('x'));
    let fx = update(&mut s, key(KeyCode::Backspace));
    assert!(search_effect(&fx).is_none());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.search.is_none() && s.mode == Mode::Normal);
    // A failed search says why.
    update(&mut s, ch('/'));
    let (g, _) = search_effect(&update(&mut s, ch('x'))).unwrap();
    update(&mut s, Msg::SearchFailed { generation: g, error: "bad query".into() });
    assert_eq!(s.status, Some((StatusKind::Error, "bad query".into())));
}

fn article_with(id: i64, texts: &[&str]) -> Arc<Article> {
    let mut a = (*article(id, 0)).clone();
    a.blocks = texts.iter().map(|t| Block::paragraph(t.to_string())).collect();
    Arc::new(a)
}

#[test]
fn n_jumps_between_matches_when_searching_else_next_unread() {
    let mut s = loaded(120, 20, 3);
    update(&mut s, ch('/'));
    for c in "казахстан".chars() {
        update(&mut s, ch(c));
    }
    let g = s.search.as_ref().unwrap().generation;
    update(&mut s, Msg::SearchResults { generation: g, rows: vec![row(2)] });
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter)); // open the hit
    assert_eq!(s.focus, Focus::Reader);
    let filler = "Абзац без совпадений, достаточно длинный, чтобы занять строку.";
    let mut texts = vec![filler; 30];
    texts[3] = "В Казахстане открыли школу.";
    texts[20] = "Казахстан и соседи.";
    texts[27] = "Снова о Казахстане.";
    let generation = s.generations.article;
    update(&mut s, Msg::Article { generation, article: article_with(2, &texts) });
    let lines: Vec<usize> = {
        let r = s.reader.as_ref().unwrap();
        let q = crate::search::parse("казахстан").unwrap();
        r.lines.iter().enumerate().filter(|(_, l)| !q.highlight(&l.text).is_empty()).map(|(i, _)| i).collect()
    };
    assert_eq!(lines.len(), 3, "{lines:?}");
    let cur = |s: &State| s.reader.as_ref().unwrap().current_match;
    update(&mut s, ch('n'));
    assert_eq!(cur(&s), Some(lines[0]));
    update(&mut s, ch('n'));
    assert_eq!(cur(&s), Some(lines[1]));
    assert_eq!(s.reader.as_ref().unwrap().scroll, lines[1] - 2);
    update(&mut s, ch('N'));
    assert_eq!(cur(&s), Some(lines[0]));
    update(&mut s, ch('N'));
    assert_eq!(cur(&s), Some(lines[2]), "wraps around");
    assert_eq!(s.status.as_ref().unwrap().0, StatusKind::Info);
    // From the list, `n` is next unread again.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::List);
    let scroll = s.reader.as_ref().unwrap().scroll;
    // The only hit is read now: next unread finds nothing, the reader stays.
    assert!(update(&mut s, ch('n')).is_empty());
    assert_eq!((s.focus, s.reader.as_ref().unwrap().scroll), (Focus::List, scroll));
    assert!(s.search.is_some());
    // Without a search, `N` does nothing and `n` is next unread.
    let mut p = loaded(120, 30, 3);
    assert!(update(&mut p, ch('N')).is_empty());
    let fx = update(&mut p, ch('n'));
    assert_eq!(article_effect(&fx).map(|a| a.1), None, "already previewed");
    assert_eq!(p.focus, Focus::Reader);
}

#[test]
fn topics_arriving_late_keep_the_selection_visible() {
    let mut s = loaded(120, 30, 60);
    update(&mut s, ch('G'));
    let visible = |s: &State| s.list_lines(s.geometry().list_rows()).contains(&Some(s.list.selected));
    assert!(visible(&s));
    let entries: Vec<TrendingEntry> = (0..20).map(|i| entry(&format!("Тема {i}"), "Заголовок")).collect();
    update(&mut s, Msg::Trending(entries));
    assert!(s.geometry().trending.is_some());
    assert!(visible(&s), "the section took lines from the list; the selection still shows");
    update(&mut s, ch('t'));
    assert_eq!(s.focus, Focus::Trending);
    assert!(visible(&s), "focused, the section grows; the selection still shows");
}

#[test]
fn computed_topics_follow_site_topics_and_filter_by_their_query() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, Msg::Trending(vec![entry("Спорт", "Матч")]));
    let computed = crate::search::trending::Topic {
        topic: "Токаев".into(),
        score: 3.0,
        articles: 7,
        headline: "Токаев встретился".into(),
        article_id: 2,
        query: "Токаев".into(),
    };
    update(&mut s, Msg::ComputedTrending(vec![computed]));
    assert_eq!(s.topics.items.len(), 2);
    assert_eq!(s.topics.items[1].computed, Some(("Токаев".into(), 7)));
    // New site topics keep the computed ones.
    update(&mut s, Msg::Trending(vec![entry("Погода", "Снег")]));
    assert_eq!(s.topics.items.iter().map(|t| t.topic.as_str()).collect::<Vec<_>>(), ["Погода", "Токаев"]);
    update(&mut s, ch('t'));
    update(&mut s, ch('j'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let q = page_effect(&fx).unwrap().1;
    assert_eq!(q.filter.topic.as_deref(), Some("Токаев"));
    assert_eq!(q.filter.topic_query.as_deref(), Some("Токаев"));
    assert!(s.saved().contains(&("tui.filter.topic_query".to_string(), "Токаев".to_string())));
    // A site topic has no query.
    update(&mut s, ch('t'));
    update(&mut s, ch('k'));
    let q = page_effect(&update(&mut s, key(KeyCode::Enter))).unwrap().1;
    assert_eq!((q.filter.topic.as_deref(), q.filter.topic_query), (Some("Погода"), None));
}

#[test]
fn day_headers_take_lines_and_the_selection_stays_visible() {
    let mut s = new_state(120, 12);
    let fx = init(&mut s, None);
    let (generation, _) = page_effect(&fx).unwrap();
    // Three days, three articles each.
    let mut r = rows(1, 9);
    for (i, row) in r.iter_mut().enumerate() {
        row.published = Some(Stamp::Date(date!(2001 - 08 - 14) - time::Duration::days(i as i64 / 3)));
    }
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: r, anchor: None });
    let h = s.geometry().list_rows();
    assert_eq!(h, 10);
    assert_eq!(s.list_lines(h), vec![None, Some(0), Some(1), Some(2), None, Some(3), Some(4), Some(5), None, Some(6)]);
    for _ in 0..8 {
        update(&mut s, ch('j'));
        assert!(s.list_lines(h).contains(&Some(s.list.selected)), "selected {} hidden", s.list.selected);
    }
    assert_eq!(s.list.selected, 8);
    assert_eq!(s.list_lines(h).first(), Some(&None), "a header on top");
    // Too low for headers: rows only.
    assert_eq!(s.list_lines(2), vec![Some(s.list.offset), Some(s.list.offset + 1)]);
}

#[test]
fn capital_f_fetches_the_full_text_and_reloads_the_open_article() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, key(KeyCode::Enter));
    deliver_article(&mut s, 2);
    let id = s.reader.as_ref().unwrap().id;
    assert_eq!(s.cache.len(), 1);
    let fx = update(&mut s, ch('F'));
    assert_eq!(fx, [Effect::FullText { id, lang: Lang::Ru }]);
    assert_eq!(s.status, Some((StatusKind::Info, "загрузка полного текста…".into())));
    // Stored: the cached layout goes and the open article reloads in place.
    let before = s.generations.article;
    let fx = update(&mut s, Msg::FullText { id, error: None });
    assert_eq!(article_effect(&fx), Some((before + 1, id)));
    assert!(s.cache.is_empty(), "the old layout is forgotten");
    assert_eq!(s.status, Some((StatusKind::Info, "полный текст сохранён".into())));
    // Failed: the reason is shown (sanitised), nothing reloads.
    let fx = update(&mut s, Msg::FullText { id, error: Some("http://x.kz/: HTTP 404\u{1b}[2J".into()) });
    assert!(fx.is_empty());
    assert_eq!(s.status, Some((StatusKind::Error, "http://x.kz/: HTTP 404".into())));
    // Another article's text arriving does not disturb the open one.
    assert!(update(&mut s, Msg::FullText { id: id + 100, error: None }).is_empty());
    // Nothing selected: nothing to fetch.
    let mut e = loaded(120, 30, 0);
    assert!(update(&mut e, ch('F')).is_empty());
}

#[test]
fn a_refresh_that_adds_rows_above_the_pane_says_so_until_they_show() {
    let mut s = loaded(120, 30, 10);
    for _ in 0..4 {
        update(&mut s, ch('j'));
    }
    let id = s.list.selected_row().unwrap().id;
    let (generation, _) = fetch_effect(&update(&mut s, ch('R'))).unwrap();
    let fx = update(&mut s, Msg::FetchFeed { generation, changed: true, error: None });
    let (pg, _) = page_effect(&fx).unwrap();
    let mut new_rows = vec![row(100), row(101)];
    new_rows.extend(rows(1, 10));
    update(
        &mut s,
        Msg::Page { generation: pg, cursor: Cursor::Around(id), limit: PAGE, rows: new_rows, anchor: Some(6) },
    );
    assert_eq!(s.list.new_above, 2, "two new rows above the pane");
    assert_eq!(crate::i18n::new_above(2, Lang::Ru), "2 новых ↑");
    // Scrolling up to them retires the hint.
    for _ in 0..6 {
        update(&mut s, ch('k'));
    }
    assert_eq!(s.list.new_above, 0);
}

#[test]
fn esc_after_a_topic_goes_back_to_the_article_it_was_chosen_from() {
    let mut s = loaded(120, 30, 20);
    update(&mut s, Msg::Trending(vec![entry("Тема", "Заголовок")]));
    for _ in 0..7 {
        update(&mut s, ch('j'));
    }
    let (id, line) = (s.list.selected_row().unwrap().id, s.list.selected - s.list.offset);
    update(&mut s, ch('t'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (g, _) = page_effect(&fx).unwrap();
    update(&mut s, Msg::Page { generation: g, cursor: Cursor::First, limit: PAGE, rows: rows(3, 1), anchor: None });
    assert_eq!(s.filter.topic.as_deref(), Some("Тема"));
    let fx = update(&mut s, key(KeyCode::Esc));
    let (g, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::Around(id), "back to the article, not the top");
    update(
        &mut s,
        Msg::Page { generation: g, cursor: Cursor::Around(id), limit: PAGE, rows: rows(1, 20), anchor: Some(7) },
    );
    assert_eq!(s.list.selected_row().unwrap().id, id);
    assert_eq!(s.list.selected - s.list.offset, line, "on the same screen line");
}
