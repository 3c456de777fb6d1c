//! Marks that the archive has not taken yet, and `y` saying «copied» only
//! when it copies.

use super::*;
use crate::reader::render;

pub(super) fn status_line(s: &State) -> String {
    let (w, h) = s.size;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(s, f)).unwrap();
    let buf = term.backend().buffer();
    (0..w).map(|x| buf[(x, h - 1)].symbol().to_string()).collect()
}

#[test]
fn a_failed_mark_stays_pending_shown_and_counted_until_it_lands() {
    let mut s = loaded(120, 30, 3);
    let fx = update(&mut s, ch('s'));
    assert_eq!(fx, vec![Effect::SetStarred { id: 1, starred: true }]);
    let star = Mark { id: 1, flag: Flag::Starred, value: true };
    assert_eq!(s.marks.pending, vec![star]);
    assert!(!status_line(&s).contains("ждут"), "a mark on its way is not reported: {}", status_line(&s));

    // The archive is busy: the mark stays pending and the screen keeps it.
    let fx = update(&mut s, Msg::MarkFailed { mark: star, error: "busy".into() });
    assert!(fx.is_empty(), "the writer retries by itself");
    assert_eq!(s.marks.pending, vec![star]);
    assert!(s.list.rows[0].starred);
    update(&mut s, key(KeyCode::Enter));
    let read = Mark { id: 1, flag: Flag::Read, value: true };
    assert_eq!(s.marks.pending, vec![star, read]);
    assert!(status_line(&s).contains("2 отметки ждут записи"), "{}", status_line(&s));

    // A reload from the archive (a refresh brought news) still shows them.
    let generation = s.generations.list;
    let stale = rows(1, 3);
    update(&mut s, Msg::Page { generation, cursor: Cursor::First, limit: PAGE, rows: stale, anchor: None });
    assert!(s.list.rows[0].starred && s.list.rows[0].read, "{:?}", s.list.rows[0]);
    let generation = s.generations.article;
    update(&mut s, Msg::Article { generation, article: article(1, 3) });
    let shown = s.reader.as_ref().and_then(|r| r.article.as_ref()).unwrap();
    assert!(shown.summary.starred && shown.summary.read);

    // Toggling again replaces the pending value; the older write landing
    // does not clear it.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('s'));
    let unstar = Mark { value: false, ..star };
    assert_eq!(s.marks.pending, vec![unstar, read]);
    update(&mut s, Msg::MarkWritten(star));
    assert_eq!(s.marks.pending, vec![unstar, read]);
    update(&mut s, Msg::MarkWritten(unstar));
    update(&mut s, Msg::MarkWritten(read));
    assert!(s.marks.pending.is_empty() && !s.marks.waiting);
    assert!(!status_line(&s).contains("ждут"), "{}", status_line(&s));
}

#[test]
fn marks_waiting_in_english() {
    let mut s = loaded(120, 30, 3);
    s.cfg.lang = Lang::En;
    update(&mut s, ch('s'));
    update(&mut s, Msg::MarkFailed { mark: Mark { id: 1, flag: Flag::Starred, value: true }, error: "busy".into() });
    assert!(status_line(&s).contains("1 mark waiting to be saved"), "{}", status_line(&s));
}

#[test]
fn a_mark_for_a_vanished_article_is_given_up() {
    let mut s = loaded(120, 30, 3);
    update(&mut s, ch('m'));
    let mark = Mark { id: 1, flag: Flag::Read, value: true };
    let fx = update(&mut s, Msg::MarkDropped { mark, error: "no article with id 1".into() });
    assert_eq!(fx, vec![Effect::LoadCounts]);
    assert!(s.marks.pending.is_empty());
    assert_eq!(s.status, Some((StatusKind::Error, "no article with id 1".into())));
}

#[test]
fn y_says_copied_only_for_an_address_it_copies() {
    let mut s = loaded(120, 30, 3);
    assert_eq!(update(&mut s, ch('y')), vec![Effect::CopyUrl("https://example.kz/1".into())]);
    assert_eq!(s.status, Some((StatusKind::Info, "адрес скопирован".into())));
    s.list.rows[0].url = Some("javascript:alert(1)".into());
    assert!(update(&mut s, ch('y')).is_empty());
    let (kind, msg) = s.status.clone().unwrap();
    assert_eq!(kind, StatusKind::Error);
    assert!(!msg.contains("скопирован") && msg.contains("javascript:alert(1)"), "{msg}");
    s.list.rows[0].url = None;
    assert!(update(&mut s, ch('y')).is_empty());
    assert_eq!(s.status, Some((StatusKind::Error, "у статьи нет адреса".into())));
}
