//! «N новых ↑» when a refresh adds rows above the pane, also when the list
//! opened around an article in the middle of the archive (the first launch
//! opens on the seed article, not at the top).

use super::marks::status_line;
use super::*;

/// A state opened around `id`: the worker's answer is `rows` with `id` at `anchor`.
fn opened_around(id: i64, rows: Vec<ArticleSummary>, anchor: usize) -> State {
    let mut s = new_state(120, 30);
    let (generation, _) = page_effect(&init(&mut s, Some(id))).unwrap();
    update(&mut s, Msg::Page { generation, cursor: Cursor::Around(id), limit: PAGE, rows, anchor: Some(anchor) });
    assert_eq!(s.list.selected_row().unwrap().id, id);
    s
}

/// `R`, one feed brings news, and the reload around the selection answers `rows`.
fn refresh_brings(s: &mut State, rows: Vec<ArticleSummary>, anchor: usize) {
    let id = s.list.selected_row().unwrap().id;
    let (generation, _) = fetch_effect(&update(s, ch('R'))).unwrap();
    let fx = update(s, Msg::FetchFeed { generation, changed: true, error: None });
    let (pg, q) = page_effect(&fx).unwrap();
    assert_eq!(q.cursor, Cursor::Around(id));
    update(s, Msg::Page { generation: pg, cursor: Cursor::Around(id), limit: PAGE, rows, anchor: Some(anchor) });
    assert_eq!(s.list.selected_row().unwrap().id, id, "the selection stays");
}

#[test]
fn new_rows_above_a_list_opened_in_the_middle_of_the_archive_are_hinted() {
    // 40 newer rows than the selected article: fewer than the worker asked
    // for, so the window holds the top of the list, above the pane.
    let mut s = opened_around(41, rows(1, 90), 40);
    assert!(s.list.at_start && s.list.offset > 0);
    assert!(!status_line(&s).contains("новых"));
    let mut fresh = vec![row(500), row(501), row(502)];
    fresh.extend(rows(1, 90));
    refresh_brings(&mut s, fresh, 43);
    assert_eq!(s.list.new_above, 3);
    assert!(status_line(&s).contains("3 новых ↑"), "{}", status_line(&s));
    // `g` goes up to them: the hint has done its job.
    update(&mut s, ch('g'));
    assert_eq!(s.list.new_above, 0);
    assert!(!status_line(&s).contains("новых"));
}

#[test]
fn a_window_below_the_top_counts_only_rows_it_can_tell_are_new() {
    // The window starts 100 rows above the selection; the archive goes on above it.
    let mut s = opened_around(150, rows(50, PAGE), PAGE / 2);
    assert!(!s.list.at_start);
    // Three new rows land between rows the window had; row 800 lands above
    // every row it still has, where it cannot tell new from old.
    let mut fresh = vec![row(800)];
    fresh.extend(rows(54, 46));
    fresh.extend([row(900), row(901), row(902)]);
    fresh.extend(rows(100, 150));
    refresh_brings(&mut s, fresh, PAGE / 2);
    assert_eq!(s.list.new_above, 3);
    assert!(status_line(&s).contains("3 новых ↑"), "{}", status_line(&s));
}
