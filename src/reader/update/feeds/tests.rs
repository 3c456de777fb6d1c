//! `update` for the feeds view, bulk marks, undo, the starred view and the
//! prompt: every new key and message, without a terminal or an archive.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use time::macros::date;

use crate::i18n::Lang;
use crate::model::{ArticleSummary, Stamp};
use crate::reader::msg::{Cursor, Effect, MarkTarget, Msg, PageQuery};
use crate::reader::state::{FeedLine, FeedRow, Focus, PAGE, Prompt, Saved, State, StatusKind};
use crate::reader::{Settings, update};
use crate::store::feeds::Feed;

fn feed(id: i64, title: &str, tags: &[&str], unread: i64) -> FeedRow {
    FeedRow {
        feed: Feed {
            id,
            url: format!("https://f{id}.kz/rss"),
            title: Some(title.into()),
            site_url: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            etag: None,
            last_modified: None,
            last_fetch: Some("2026-03-14T08:00:00Z".into()),
            last_success: Some("2026-03-14T08:00:00Z".into()),
            last_error: None,
            gone: false,
            article_count: 10,
            unread_count: unread,
            fresh_for: None,
        },
        offline: false,
    }
}

/// Караван and Tengri under #кз, Курсив untagged.
fn rows() -> Vec<FeedRow> {
    vec![feed(1, "Караван", &["кз"], 3), feed(2, "Курсив", &[], 0), feed(3, "Tengri", &["кз", "новости"], 5)]
}

fn row(id: i64) -> ArticleSummary {
    ArticleSummary {
        id,
        title: format!("Заголовок {id}"),
        site: None,
        url: None,
        published: Some(Stamp::Date(date!(2026 - 03 - 14))),
        views: None,
        read: false,
        starred: false,
        sort_key: 1000 - id,
    }
}

fn state() -> State {
    let cfg = Settings { lang: Lang::Ru, ..Settings::default() };
    let mut s = State::new(cfg, (100, 30), date!(2026 - 03 - 14), "~/a.db".into(), &Saved::default());
    let fx = crate::reader::update::init(&mut s, None);
    let generation = page(&fx).unwrap().0;
    let rows = (1..=5).map(row).collect();
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows, anchor: None });
    s
}

fn with_view() -> State {
    let mut s = state();
    assert_eq!(update(&mut s, ch('L')), vec![Effect::LoadFeeds]);
    update(&mut s, Msg::Feeds(rows()));
    s
}

fn key_mod(code: KeyCode, m: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, m))
}

fn key(code: KeyCode) -> Msg {
    key_mod(code, KeyModifiers::NONE)
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        assert!(update(s, ch(c)).is_empty());
    }
}

fn page(fx: &[Effect]) -> Option<(u64, PageQuery)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadPage { generation, query } => Some((*generation, query.clone())),
        _ => None,
    })
}

fn status(s: &State) -> &str {
    s.status.as_ref().map(|(_, m)| m.as_str()).unwrap_or("")
}

#[test]
fn l_opens_the_view_and_esc_or_l_closes_it() {
    let mut s = with_view();
    assert!(s.feeds.open && s.feeds.loaded);
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert!(!s.feeds.open);
    update(&mut s, ch('L'));
    assert!(update(&mut s, ch('L')).is_empty());
    assert!(!s.feeds.open);
}

#[test]
fn feeds_are_grouped_under_their_first_tag_untagged_last() {
    let s = with_view();
    let tag = |t: &str| FeedLine::Tag(t.into());
    assert_eq!(s.feeds.lines, vec![tag("кз"), FeedLine::Feed(0), FeedLine::Feed(2), tag(""), FeedLine::Feed(1)]);
    // Without tags, no tag lines.
    let plain: Vec<FeedRow> = vec![feed(1, "А", &[], 0), feed(2, "Б", &[], 0)];
    assert_eq!(super::build_lines(&plain), vec![FeedLine::Feed(0), FeedLine::Feed(1)]);
}

#[test]
fn moving_and_reloading_keep_the_selected_feed() {
    let mut s = with_view();
    update(&mut s, ch('j'));
    update(&mut s, ch('j'));
    assert_eq!(s.feeds.selected, 2);
    // Tengri moves first in the next answer: it stays selected.
    let mut r = rows();
    r.swap(0, 2);
    update(&mut s, Msg::Feeds(r));
    assert_eq!(s.feeds.lines[s.feeds.selected], FeedLine::Feed(0));
    update(&mut s, ch('G'));
    assert_eq!(s.feeds.selected, 4);
    update(&mut s, ch('g'));
    assert_eq!(s.feeds.selected, 0);
    let wheel = MouseEvent { kind: MouseEventKind::ScrollDown, column: 5, row: 5, modifiers: KeyModifiers::NONE };
    update(&mut s, Msg::Mouse(wheel));
    assert_eq!(s.feeds.selected, 3, "the wheel moves the selection, not the hidden list");
}

#[test]
fn enter_opens_the_feed_and_esc_shows_everything_again() {
    let mut s = with_view();
    update(&mut s, ch('j'));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(!s.feeds.open && s.focus == Focus::List);
    let f = page(&fx).unwrap().1.filter.feed.unwrap();
    assert_eq!((f.feeds, f.label.as_str()), (vec![1], "Караван"));
    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(page(&fx).unwrap().1.filter.feed, None);
    // Back in the view, the open feed is selected.
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('L'));
    assert_eq!(s.feeds.lines[s.feeds.selected], FeedLine::Feed(0));
}

#[test]
fn enter_on_a_tag_opens_all_its_feeds() {
    let mut s = with_view();
    let fx = update(&mut s, key(KeyCode::Enter));
    let f = page(&fx).unwrap().1.filter.feed.unwrap();
    assert_eq!((f.feeds, f.label.as_str()), (vec![1, 3], "#кз"));
}

#[test]
fn a_marks_the_feed_m_the_shown_list_c_everything() {
    let mut s = with_view();
    update(&mut s, ch('j'));
    assert_eq!(update(&mut s, ch('A')), vec![Effect::MarkRead(MarkTarget::Feeds(vec![1]))]);
    assert_eq!(update(&mut s, ch('C')), vec![Effect::MarkRead(MarkTarget::All)]);
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(update(&mut s, ch('A')), vec![Effect::MarkRead(MarkTarget::Feeds(vec![1]))]);
    let filter = s.filter.clone();
    assert_eq!(update(&mut s, ch('M')), vec![Effect::MarkRead(MarkTarget::Filter(filter))]);
    assert_eq!(update(&mut s, ch('C')), vec![Effect::MarkRead(MarkTarget::All)]);
    // The whole list: `A` is the selected article's feed, `M` everything.
    update(&mut s, key(KeyCode::Esc));
    let generation = s.generations.list;
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: vec![row(7)], anchor: None });
    assert_eq!(update(&mut s, ch('A')), vec![Effect::MarkRead(MarkTarget::FeedOf(7))]);
    assert_eq!(update(&mut s, ch('M')), vec![Effect::MarkRead(MarkTarget::All)]);
}

#[test]
fn m_during_a_search_marks_its_hits() {
    let mut s = state();
    update(&mut s, ch('/'));
    update(&mut s, ch('к'));
    let generation = s.generations.search;
    update(&mut s, Msg::SearchResults { generation, rows: vec![row(4), row(2)] });
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(update(&mut s, ch('M')), vec![Effect::MarkRead(MarkTarget::Ids(vec![4, 2]))]);
}

#[test]
fn marked_keeps_the_ids_for_one_undo() {
    let mut s = with_view();
    let fx = update(&mut s, Msg::Marked(vec![2, 3]));
    assert_eq!(s.undo, Some(vec![2, 3]));
    assert_eq!(status(&s), "отмечено прочитанными: 2 · U — отменить");
    assert!(s.list.rows.iter().filter(|r| r.read).map(|r| r.id).eq([2, 3]));
    assert!(page(&fx).is_some() && fx.contains(&Effect::LoadCounts) && fx.contains(&Effect::LoadFeeds));
    assert_eq!(update(&mut s, ch('U')), vec![Effect::MarkUnread(vec![2, 3])]);
    assert_eq!(s.undo, None);
    let fx = update(&mut s, Msg::Unmarked(2));
    assert_eq!(status(&s), "снова непрочитанные: 2");
    assert!(page(&fx).is_some() && fx.contains(&Effect::LoadCounts));
    assert!(update(&mut s, ch('U')).is_empty());
    assert_eq!(status(&s), "нечего отменять");
    assert!(update(&mut s, Msg::Marked(vec![])).is_empty());
    assert_eq!((status(&s), &s.undo), ("всё уже прочитано", &None));
    update(&mut s, Msg::NotFromFeed);
    assert_eq!(status(&s), "статья не из подписки");
}

#[test]
fn capital_s_is_the_starred_view() {
    let mut s = state();
    let fx = update(&mut s, ch('S'));
    let q = page(&fx).unwrap().1;
    assert!(q.filter.starred_only && q.filter.query(10).starred_only);
    assert!(s.saved().contains(&("tui.filter.starred".into(), "1".into())));
    let fx = update(&mut s, ch('S'));
    assert!(!page(&fx).unwrap().1.filter.starred_only);
    // From the feeds view it shows the list.
    let mut s = with_view();
    update(&mut s, ch('S'));
    assert!(!s.feeds.open && s.filter.starred_only);
    update(&mut s, ch('L'));
    update(&mut s, ch('u'));
    assert!(!s.feeds.open && s.filter.unread_only);
}

#[test]
fn ctrl_n_opens_the_next_feed_with_unread_articles() {
    let ctrl_n = || key_mod(KeyCode::Char('n'), KeyModifiers::CONTROL);
    let mut s = state();
    assert_eq!(update(&mut s, ctrl_n()), vec![Effect::LoadFeeds]);
    let fx = update(&mut s, Msg::Feeds(rows()));
    assert_eq!(page(&fx).unwrap().1.filter.feed.unwrap().feeds, vec![1]);
    update(&mut s, ctrl_n());
    let fx = update(&mut s, Msg::Feeds(rows()));
    assert_eq!(page(&fx).unwrap().1.filter.feed.unwrap().feeds, vec![3], "Курсив has nothing unread");
    update(&mut s, ctrl_n());
    let fx = update(&mut s, Msg::Feeds(rows()));
    assert_eq!(page(&fx).unwrap().1.filter.feed.unwrap().feeds, vec![1], "it wraps around");
    update(&mut s, ctrl_n());
    let none = vec![feed(1, "Караван", &[], 0)];
    assert!(page(&update(&mut s, Msg::Feeds(none))).is_none());
    assert_eq!(status(&s), "непрочитанных лент нет");
}

#[test]
fn n_in_the_view_moves_to_the_next_unread_feed() {
    let mut s = with_view();
    update(&mut s, ch('n'));
    assert_eq!(s.feeds.lines[s.feeds.selected], FeedLine::Feed(0));
    update(&mut s, ch('n'));
    assert_eq!(s.feeds.lines[s.feeds.selected], FeedLine::Feed(2));
    update(&mut s, ch('n'));
    assert_eq!(s.feeds.lines[s.feeds.selected], FeedLine::Feed(0));
}

#[test]
fn a_prompts_for_a_url_and_subscribes() {
    let mut s = state();
    update(&mut s, ch('a'));
    assert_eq!(s.prompt, Some(Prompt::AddFeed(String::new())));
    typed(&mut s, "https://kursiv.media/feedx");
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(update(&mut s, key(KeyCode::Enter)), vec![Effect::AddFeed("https://kursiv.media/feed".into(), vec![])]);
    assert_eq!(s.prompt, None);
    update(&mut s, ch('a'));
    typed(&mut s, "kursiv.media");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(s.status.as_ref().unwrap().0, StatusKind::Error);
    update(&mut s, ch('a'));
    typed(&mut s, "x");
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert_eq!(s.prompt, None);
}

#[test]
fn feed_added_refreshes_it_and_shows_it() {
    let mut s = with_view();
    let fx = update(&mut s, Msg::FeedAdded { id: 9, new: true });
    assert!(fx.contains(&Effect::LoadFeeds));
    assert!(fx.iter().any(|e| matches!(e, Effect::FetchFeeds { feeds, .. } if feeds == &vec![9])));
    assert_eq!(status(&s), "подписка добавлена, обновляю");
    let fx = update(&mut s, Msg::FeedAdded { id: 9, new: false });
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchFeeds { .. })));
}

#[test]
fn e_renames_and_d_removes_after_a_yes() {
    let mut s = with_view();
    update(&mut s, ch('j'));
    update(&mut s, ch('e'));
    assert_eq!(s.prompt, Some(Prompt::Rename { id: 1, text: "Караван".into() }));
    typed(&mut s, ".кз");
    assert_eq!(update(&mut s, key(KeyCode::Enter)), vec![Effect::RenameFeed { id: 1, title: "Караван.кз".into() }]);
    assert_eq!(update(&mut s, Msg::FeedRenamed(1)), vec![Effect::LoadFeeds]);
    update(&mut s, ch('d'));
    assert_eq!(s.prompt, Some(Prompt::Remove { id: 1, name: "Караван".into() }));
    assert!(update(&mut s, ch('n')).is_empty());
    assert_eq!((s.prompt.as_ref(), status(&s)), (None, "отменено"));
    update(&mut s, ch('d'));
    assert_eq!(update(&mut s, ch('y')), vec![Effect::RemoveFeed(1)]);
    assert!(update(&mut s, Msg::FeedRemoved(1)).contains(&Effect::LoadFeeds));
    // On a tag line there is no one feed to edit.
    update(&mut s, ch('g'));
    update(&mut s, ch('d'));
    assert_eq!(s.prompt, None);
    // Outside the view they say where they work.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('d'));
    assert_eq!((s.prompt.as_ref(), status(&s)), (None, "это действие в списке лент"));
}

#[test]
fn r_in_the_view_refreshes_that_feed_and_the_view_follows_refreshes() {
    let mut s = with_view();
    update(&mut s, ch('j'));
    let fx = update(&mut s, ch('r'));
    let generation = match fx.as_slice() {
        [Effect::FetchFeeds { generation, feeds }] if feeds == &vec![1] => *generation,
        other => panic!("{other:?}"),
    };
    let fx = update(&mut s, Msg::FetchFinished { generation, ok: true, error: None });
    assert!(fx.contains(&Effect::LoadFeeds));
}

#[test]
fn other_views_and_help_from_the_feeds_view() {
    use crate::reader::state::Mode;
    let mut s = with_view();
    update(&mut s, ch('?'));
    assert!(s.mode == Mode::Help && s.feeds.open, "help over the view");
    update(&mut s, ch('x'));
    assert!(matches!(update(&mut s, ch('R')).as_slice(), [Effect::Fetch { article: None, .. }]));
    update(&mut s, ch('/'));
    assert!(s.mode == Mode::Search && !s.feeds.open);
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('L'));
    update(&mut s, ch('f'));
    assert!(s.mode == Mode::Filter && !s.feeds.open);
}

#[test]
fn ctrl_u_clears_the_prompt_and_other_keys_are_ignored() {
    let mut s = state();
    update(&mut s, ch('a'));
    typed(&mut s, "http://x");
    update(&mut s, key_mod(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(s.prompt, Some(Prompt::AddFeed(String::new())));
    assert!(update(&mut s, key(KeyCode::Down)).is_empty());
    assert!(update(&mut s, ch('q')).is_empty() && !s.quit, "q is typed, not quit");
    assert_eq!(s.prompt, Some(Prompt::AddFeed("q".into())));
}
