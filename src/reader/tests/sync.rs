//! `r`/`R` with a `[sync]` server: a sync instead of a fetch, its progress
//! and its error in the status bar.

use super::marks::status_line;
use super::*;

fn sync_config(port: u16) -> crate::sync::SyncConfig {
    crate::sync::SyncConfig {
        url: format!("http://127.0.0.1:{port}/fever/"),
        user: "u".into(),
        password_env: Some("SVODKA_TEST_NO_SUCH_VARIABLE".into()),
        password_file: None,
    }
}

#[test]
fn r_syncs_when_a_server_is_configured_showing_progress_then_the_error() {
    let mut s = loaded(120, 30, 3);
    s.cfg.sync = Some(sync_config(9));
    let fx = update(&mut s, ch('r'));
    let Some(Effect::Sync { generation, config }) = fx.first().cloned() else { panic!("{fx:?}") };
    assert_eq!(config, sync_config(9));
    assert!(s.fetch.sync);
    assert!(update(&mut s, ch('R')).is_empty(), "one at a time");
    update(&mut s, Msg::FetchProgress { generation, done: 150, total: 0 });
    assert!(status_line(&s).contains("синхронизация 150…"), "{}", status_line(&s));

    // Carried out: the password variable is unset, which is the error shown.
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::store::Store::open(&dir.path().join("a.db")).unwrap();
    let msgs = super::super::effects::perform(&mut store, &Effect::Sync { generation, config });
    let Some(Msg::SyncFinished { result: Err(e), .. }) = msgs.last().cloned() else { panic!("{msgs:?}") };
    assert!(e.contains("SVODKA_TEST_NO_SUCH_VARIABLE"), "{e}");
    update(&mut s, msgs.last().cloned().unwrap());
    assert!(s.fetch.progress.is_none() && !s.fetch.sync);
    assert_eq!(s.status.as_ref().map(|(k, _)| *k), Some(StatusKind::Error));
    assert!(status_line(&s).contains("SVODKA_TEST_NO_SUCH_VARIABLE"), "{}", status_line(&s));
    assert_eq!(store.sync_state("last_error").unwrap().as_deref(), Some(e.as_str()));

    // A sync that worked reloads the list and says how many came.
    let fx = update(&mut s, ch('R'));
    let Some(Effect::Sync { generation, .. }) = fx.first().cloned() else { panic!("{fx:?}") };
    let fx = update(&mut s, Msg::SyncFinished { generation, result: Ok(7) });
    assert!(fx.contains(&Effect::LoadCounts), "{fx:?}");
    assert_eq!(s.status, Some((StatusKind::Info, "синхронизировано, новых: 7".into())));
    // Stale ends are dropped.
    assert!(update(&mut s, Msg::SyncFinished { generation: generation - 1, result: Ok(1) }).is_empty());
}

#[test]
fn the_refresh_policy_syncs_when_a_server_is_configured_and_is_quiet_when_nothing_came() {
    let mut s = loaded(120, 30, 3);
    s.cfg.sync = Some(sync_config(9));
    let fx = update(&mut s, Msg::RefreshTimer);
    let Some(Effect::Sync { generation, .. }) = fx.first().cloned() else {
        panic!("no feed is fetched directly: {fx:?}")
    };
    s.status = None;
    update(&mut s, Msg::SyncFinished { generation, result: Ok(0) });
    assert_eq!(s.status, None);
    let fx = update(&mut s, Msg::RefreshTimer);
    let Some(Effect::Sync { generation, .. }) = fx.first().cloned() else { panic!("{fx:?}") };
    update(&mut s, Msg::SyncFinished { generation, result: Ok(2) });
    assert_eq!(s.status, Some((StatusKind::Info, "синхронизировано, новых: 2".into())));
}

#[test]
fn the_last_sync_error_of_an_earlier_session_shows_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::store::Store::open(&dir.path().join("a.db")).unwrap();
    let mut s = new_state(120, 30);
    s.cfg.sync = Some(sync_config(9));
    let fx = init(&mut s, None);
    assert!(fx.contains(&Effect::LoadSyncError), "{fx:?}");
    assert!(super::super::effects::perform(&mut store, &Effect::LoadSyncError).is_empty(), "no sync yet: nothing");
    store.set_sync_state("last_error", "http://127.0.0.1:9/fever/: сервер недоступен").unwrap();
    let msgs = super::super::effects::perform(&mut store, &Effect::LoadSyncError);
    assert_eq!(msgs.len(), 1);
    update(&mut s, msgs[0].clone());
    assert!(status_line(&s).contains("последняя синхронизация не удалась"), "{}", status_line(&s));
    assert!(status_line(&s).contains("сервер недоступен"), "{}", status_line(&s));
    // Without a server configured, nothing is asked.
    assert!(!init(&mut new_state(120, 30), None).contains(&Effect::LoadSyncError));
}
