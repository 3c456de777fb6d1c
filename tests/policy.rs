//! The refresh policy (issue 15): a feed's `<ttl>` and `Cache-Control:
//! max-age` are kept, `svodka fetch --due` skips feeds that are still
//! fresh (plain `fetch` still fetches everything), and the reader's
//! `:export` and due refresh do the same through its effects.

mod common;

use common::{Archive, Reply, Server, svodka};
use svodka::reader::{Effect, Msg};

fn rss(ttl: Option<u32>) -> String {
    let ttl = ttl.map(|t| format!("<ttl>{t}</ttl>")).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Лента</title>{ttl}\
         <item><guid>1</guid><title>Новость</title><link>http://a.kz/1</link></item></channel></rss>"
    )
}

#[test]
fn fetch_due_honours_ttl_and_max_age_and_plain_fetch_is_unchanged() {
    let srv = Server::start();
    let ttl = srv.route("/ttl.rss", Reply::ok(rss(Some(60)), "application/rss+xml"));
    let aged =
        srv.route("/aged.rss", Reply::ok(rss(None), "application/rss+xml").header("Cache-Control", "max-age=1800"));
    let plain = srv.route("/plain.rss", Reply::ok(rss(None), "application/rss+xml"));
    let a = Archive::new();
    for u in [&ttl, &aged, &plain] {
        a.add(u);
    }
    // Never fetched: all three are due.
    svodka(&a.path).args(["fetch", "--due"]).assert().success();
    assert_eq!([srv.hits("/ttl.rss"), srv.hits("/aged.rss"), srv.hits("/plain.rss")], [1, 1, 1]);
    let fresh: Vec<Option<i64>> = a.store().feeds().unwrap().iter().map(|f| f.fresh_for).collect();
    assert_eq!(fresh, [Some(3600), Some(1800), None]);
    // Fresh ones are skipped; the one that named no freshness is fetched.
    let out = svodka(&a.path).args(["fetch", "--due"]).assert().success().get_output().stdout.clone();
    assert_eq!([srv.hits("/ttl.rss"), srv.hits("/aged.rss"), srv.hits("/plain.rss")], [1, 1, 2]);
    assert!(String::from_utf8_lossy(&out).contains("1 feeds"), "{}", String::from_utf8_lossy(&out));
    // Given feeds: only those of them that are due.
    let out = svodka(&a.path).args(["fetch", "--due", &ttl]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).starts_with("nothing due"), "{}", String::from_utf8_lossy(&out));
    assert_eq!(srv.hits("/ttl.rss"), 1);
    // Without --due, every feed as before.
    svodka(&a.path).arg("fetch").assert().success();
    assert_eq!([srv.hits("/ttl.rss"), srv.hits("/aged.rss"), srv.hits("/plain.rss")], [2, 2, 3]);
}

#[test]
fn the_readers_due_refresh_and_export_run_through_its_effects() {
    let srv = Server::start();
    let ttl = srv.route("/ttl.rss", Reply::ok(rss(Some(60)), "application/rss+xml"));
    let a = Archive::new();
    a.add(&ttl);
    let mut store = a.store();
    store.add_feed(&ttl, None, &["новости".into()]).unwrap();
    let finished = |msgs: &[Msg]| msgs.iter().any(|m| matches!(m, Msg::FetchFinished { .. }));
    let msgs = svodka::reader::effects::perform(&mut store, &Effect::FetchDue { generation: 1, every: 0 });
    assert!(finished(&msgs) && srv.hits("/ttl.rss") == 1, "{msgs:?}");
    // Within its ttl: nothing fetched, the refresh ends at once.
    let msgs = svodka::reader::effects::perform(&mut store, &Effect::FetchDue { generation: 2, every: 0 });
    assert_eq!(msgs, vec![Msg::FetchFinished { generation: 2, ok: false, error: None }]);
    assert_eq!(srv.hits("/ttl.rss"), 1);

    let path = a.path.with_file_name("out.opml");
    let msgs = svodka::reader::effects::perform(&mut store, &Effect::ExportOpml(Some(path.display().to_string())));
    assert_eq!(msgs, vec![Msg::Exported { path: path.display().to_string(), feeds: 1 }]);
    let opml = std::fs::read_to_string(&path).unwrap();
    assert!(opml.contains(&format!("xmlUrl=\"{ttl}\"")) && opml.contains("category=\"новости\""), "{opml}");
    // Read back, it is the same subscription list.
    let back = svodka::ingest::opml::parse_opml(&opml).unwrap();
    assert_eq!(back.feeds.len(), 1);
    assert_eq!(back.feeds[0].tags, ["новости"]);
    let bad = svodka::reader::effects::perform(&mut store, &Effect::ExportOpml(Some("/nonexistent/dir/x.opml".into())));
    assert!(
        matches!(&bad[..], [Msg::ExportFailed { path, kind: std::io::ErrorKind::NotFound, .. }]
            if path.contains("/nonexistent/dir/x.opml")),
        "{bad:?}"
    );
}
