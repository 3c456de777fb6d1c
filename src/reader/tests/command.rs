//! The `:` command line, piping the article, and the refresh policy's
//! messages: `update` alone, and the screen through a TestBackend.

use super::*;
use crate::reader::render;
use crate::reader::state::{FeedRow, Prompt};
use crate::store::feeds::Feed;

fn screen(s: &State) -> String {
    let (w, h) = s.size;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(s, f)).unwrap();
    let buf = term.backend().buffer();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect()
}

fn last_line(s: &State) -> String {
    screen(s).lines().last().unwrap_or("").to_string()
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    let mut fx = update(s, ch(':'));
    for c in text.chars() {
        fx.extend(update(s, ch(c)));
    }
    fx
}

fn run(s: &mut State, text: &str) -> Vec<Effect> {
    typed(s, text);
    update(s, key(KeyCode::Enter))
}

fn command_text(s: &State) -> &str {
    match &s.prompt {
        Some(Prompt::Command(t)) => t,
        other => panic!("no command line: {other:?}"),
    }
}

fn status(s: &State) -> &str {
    s.status.as_ref().map(|(_, m)| m.as_str()).unwrap_or("")
}

#[test]
fn colon_opens_a_command_line_on_the_bottom_line_and_esc_cancels() {
    let mut s = loaded(100, 20, 3);
    typed(&mut s, "add https://kursiv.media/feed");
    assert_eq!(command_text(&s), "add https://kursiv.media/feed");
    let line = last_line(&s);
    assert!(line.starts_with(":add https://kursiv.media/feed▏"), "{line}");
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert_eq!(s.prompt, None);
    assert!(!last_line(&s).contains(':'), "{}", last_line(&s));
    // Backspace on an empty line leaves it, as in vim.
    update(&mut s, ch(':'));
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.prompt, None);
}

#[test]
fn tab_completes_command_names() {
    use super::super::update::command::complete;
    assert_eq!(complete("ad"), "add ");
    assert_eq!(complete("e"), "export ");
    assert_eq!(complete("p"), "pipe", "as far as unambiguous");
    assert_eq!(complete("pipe"), "pipe-url", "then the next sharing its start");
    assert_eq!(complete("pipe-url"), "pipe-url ");
    assert_eq!(complete("zz"), "zz");
    assert_eq!(complete("add htt"), "add htt", "only the name is completed");
    let mut s = loaded(100, 20, 3);
    typed(&mut s, "ex");
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(command_text(&s), "export ");
}

#[test]
fn add_subscribes_with_tags_and_refuses_what_is_not_a_url() {
    let mut s = loaded(100, 20, 3);
    let fx = run(&mut s, "add https://kursiv.media/feed деньги кз");
    assert_eq!(fx, vec![Effect::AddFeed("https://kursiv.media/feed".into(), vec!["деньги".into(), "кз".into()])]);
    assert!(run(&mut s, "add kursiv").is_empty());
    assert_eq!(s.status.as_ref().unwrap().0, StatusKind::Error);
    assert!(status(&s).contains("http(s)://"), "{}", status(&s));
    assert!(run(&mut s, "add").is_empty());
    assert!(status(&s).contains(":add АДРЕС"), "{}", status(&s));
}

#[test]
fn unknown_commands_are_named_in_the_interface_language() {
    let mut s = loaded(100, 20, 3);
    assert!(run(&mut s, "frobnicate now").is_empty());
    assert_eq!(status(&s), "неизвестная команда «:frobnicate» — Tab дополняет, :help — все команды");
    assert!(last_line(&s).contains("неизвестная команда «:frobnicate»"), "{}", last_line(&s));
}

#[test]
fn quit_export_views_and_help() {
    let mut s = loaded(100, 20, 3);
    let fx = run(&mut s, "q");
    assert!(s.quit && fx.contains(&Effect::Quit), "{fx:?}");
    let mut s = loaded(100, 20, 3);
    assert!(run(&mut s, "quit").contains(&Effect::Quit));

    let mut s = loaded(100, 20, 3);
    assert_eq!(run(&mut s, "export ~/feeds.opml"), vec![Effect::ExportOpml(Some("~/feeds.opml".into()))]);
    assert_eq!(run(&mut s, "export"), vec![Effect::ExportOpml(None)]);
    update(&mut s, Msg::Exported { path: "/home/a/svodka.opml".into(), feeds: 3 });
    assert_eq!(status(&s), "подписки выгружены в OPML: 3 → /home/a/svodka.opml");
    let failed = |kind| Msg::ExportFailed { path: "/nope/a.opml".into(), kind, detail: "os error".into() };
    update(&mut s, failed(std::io::ErrorKind::NotFound));
    assert_eq!(status(&s), "/nope/a.opml: нет такой папки");
    update(&mut s, failed(std::io::ErrorKind::PermissionDenied));
    assert_eq!(status(&s), "/nope/a.opml: нет прав на запись");

    let fx = run(&mut s, "unread");
    assert!(page_effect(&fx).unwrap().1.filter.unread_only);
    let fx = run(&mut s, "starred");
    assert!(page_effect(&fx).unwrap().1.filter.starred_only);
    assert_eq!(run(&mut s, "feeds"), vec![Effect::LoadFeeds]);
    assert!(s.feeds.open);
    // The command line works in the feeds view too.
    run(&mut s, "help");
    assert_eq!(s.mode, Mode::Help);
    assert!(s.help_commands);
    update(&mut s, ch('x'));
    assert_eq!(s.mode, Mode::Normal);
    assert!(!s.help_commands);
}

#[test]
fn help_command_lists_the_commands() {
    let mut s = loaded(100, 24, 3);
    run(&mut s, "help");
    let text = screen(&s);
    for want in ["Команды", ":add URL [tag…]", ":tag TAG", ":export [PATH]", ":pipe CMD", ":q :quit"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    insta::assert_snapshot!("help_commands", text);
}

fn tagged(id: i64, tags: &[&str]) -> FeedRow {
    FeedRow {
        feed: Feed {
            id,
            url: format!("https://f{id}.kz/rss"),
            title: Some(format!("Лента {id}")),
            site_url: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            etag: None,
            last_modified: None,
            last_fetch: None,
            last_success: None,
            last_error: None,
            gone: false,
            article_count: 1,
            unread_count: 1,
            fresh_for: None,
        },
        offline: false,
    }
}

#[test]
fn tag_narrows_the_list_to_the_feeds_of_a_tag() {
    let mut s = loaded(100, 20, 3);
    assert_eq!(run(&mut s, "tag #Новости"), vec![Effect::LoadFeeds]);
    let rows = vec![tagged(1, &["кз", "новости"]), tagged(2, &[]), tagged(3, &["новости"])];
    let fx = update(&mut s, Msg::Feeds(rows.clone()));
    let q = page_effect(&fx).unwrap().1;
    let f = q.filter.feed.expect("narrowed to feeds");
    assert_eq!((f.feeds, f.label.as_str()), (vec![1, 3], "#Новости"));
    assert!(!s.feeds.open, "the list shows, not the feeds view");
    // `:tag` alone: every feed again.
    let fx = run(&mut s, "tag");
    assert_eq!(page_effect(&fx).unwrap().1.filter.feed, None);
    run(&mut s, "tag спорт");
    assert!(page_effect(&update(&mut s, Msg::Feeds(rows))).is_none());
    assert_eq!(status(&s), "нет лент с тегом #спорт");
}

#[test]
fn pipe_sends_the_open_article_as_plain_text_or_its_url() {
    let mut s = loaded(100, 20, 3);
    deliver_article(&mut s, 2);
    // No pipe_to: `|` opens the command line at `pipe `.
    assert!(update(&mut s, ch('|')).is_empty());
    assert_eq!(command_text(&s), "pipe ");
    for c in "wc -l".chars() {
        update(&mut s, ch(c));
    }
    let fx = update(&mut s, key(KeyCode::Enter));
    let text = "Заголовок номер 1\nАбзац 0: местные власти признали проблему и намерены работать.\n\
                Абзац 1: местные власти признали проблему и намерены работать.\n";
    assert_eq!(fx, vec![Effect::Pipe { command: "wc -l".into(), input: text.into() }]);
    assert_eq!(status(&s), "передаю статью: wc -l…");

    s.cfg.pipe_to = Some("trans -b :ru".into());
    assert_eq!(update(&mut s, ch('|')), vec![Effect::Pipe { command: "trans -b :ru".into(), input: text.into() }]);
    assert_eq!(
        update(&mut s, ch('P')),
        vec![Effect::Pipe { command: "trans -b :ru".into(), input: "https://example.kz/1\n".into() }]
    );
    assert_eq!(
        run(&mut s, "pipe-url mpv --no-video"),
        vec![Effect::Pipe { command: "mpv --no-video".into(), input: "https://example.kz/1\n".into() }]
    );

    update(&mut s, Msg::Piped { command: "trans -b :ru".into(), code: Some(0), output: "\nHeadline\nmore".into() });
    assert_eq!(status(&s), "trans: готово · Headline");
    update(&mut s, Msg::Piped { command: "trans".into(), code: Some(2), output: "no key".into() });
    assert_eq!(s.status, Some((StatusKind::Error, "trans: завершилась с кодом 2 · no key".into())));
    update(&mut s, Msg::Piped { command: "x".into(), code: None, output: "No such file".into() });
    assert_eq!(status(&s), "x: не удалось запустить · No such file");
}

#[test]
fn pipe_without_an_open_article_says_so() {
    let mut s = loaded(60, 20, 3);
    s.cfg.pipe_to = Some("cat".into());
    assert!(update(&mut s, ch('|')).is_empty());
    assert_eq!(status(&s), "сначала откройте статью (Enter)");
}

#[test]
fn the_refresh_policy_fetches_what_is_due_quietly() {
    let mut s = new_state(100, 20);
    s.cfg.refresh_on_start = true;
    s.cfg.refresh_every = Some(std::time::Duration::from_secs(900));
    let fx = init(&mut s, None);
    let generation = s.generations.fetch;
    assert!(fx.contains(&Effect::FetchDue { generation, every: 900 }), "{fx:?}");
    // The timer while that refresh runs: nothing doubled, nothing said.
    assert!(update(&mut s, Msg::RefreshTimer).is_empty());
    assert_eq!(s.status, None);
    // Nothing was due: the refresh ends without a word.
    update(&mut s, Msg::FetchFinished { generation, ok: false, error: None });
    assert_eq!((s.fetch.progress, s.status.clone()), (None, None));
    let fx = update(&mut s, Msg::RefreshTimer);
    assert_eq!(fx, vec![Effect::FetchDue { generation: generation + 1, every: 900 }]);
    // A refresh by key after it is not quiet.
    update(&mut s, Msg::FetchFinished { generation: generation + 1, ok: false, error: None });
    update(&mut s, ch('R'));
    update(&mut s, Msg::FetchFinished { generation: generation + 2, ok: false, error: None });
    assert!(s.status.is_some());
    // Off by default.
    let fx = init(&mut new_state(100, 20), None);
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchDue { .. })));
}

#[test]
fn refresh_failures_are_told_in_the_interface_language() {
    let mut s = loaded(120, 20, 3);
    update(&mut s, ch('R'));
    let generation = s.generations.fetch;
    let error = Some("http://x.kz/rss: io: failed to lookup address information".to_string());
    update(&mut s, Msg::FetchFeed { generation, changed: false, error });
    let line = last_line(&s);
    assert!(line.contains("│ http://x.kz/rss: нет сети (failed to lookup address information)"), "{line}");
}
