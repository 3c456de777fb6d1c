//! Search and computed trending: morphology, folding, the query language,
//! ranking, the index staying in step with the articles, and the CLI.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use svodka::model::{Block, NewArticle, Stamp};
use svodka::search;
use svodka::store::Store;
use time::OffsetDateTime;
use time::macros::datetime;

mod common;
use common::svodka;

static NEXT_URL: AtomicUsize = AtomicUsize::new(0);

const SEED: &str = include_str!("fixtures/seed/caravan-trafficking-2001.txt");

fn now() -> OffsetDateTime {
    datetime!(2026-03-14 12:00 UTC)
}

fn article(title: &str, body: &[&str]) -> NewArticle {
    NewArticle {
        title: title.to_string(),
        site: Some("Тест".into()),
        url: Some(format!("https://example.kz/{}", NEXT_URL.fetch_add(1, Ordering::Relaxed))),
        published: Some(Stamp::DateTime(now())),
        blocks: body.iter().map(|b| Block::paragraph(*b)).collect(),
        ..NewArticle::default()
    }
}

/// A temporary archive holding `articles`; returns it and their ids.
fn archive(articles: &[NewArticle]) -> (tempfile::TempDir, Store, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let ids = store.upsert_articles(articles, now()).unwrap().into_iter().map(|u| u.id()).collect();
    (dir, store, ids)
}

/// A second connection to the archive, for setting up states the API
/// cannot produce (a moved feed, an injected failure).
fn raw(store: &Store) -> rusqlite::Connection {
    rusqlite::Connection::open(store.path()).unwrap()
}

fn ids(store: &Store, q: &str) -> Vec<i64> {
    search::search(store, q, 100).unwrap().into_iter().map(|h| h.id).collect()
}

fn assert_consistent(store: &Store) {
    let c = store.check_index(true).unwrap();
    assert!(c.is_consistent(), "index out of step: {c:?}");
}

// ------------------------------------------------------------- morphology

/// Each row: a word form in an article, and query forms that must find it.
const MUST_MATCH: &[(&str, &[&str])] = &[
    ("женщин", &["женщина", "Женщины", "женщинам", "ЖЕНЩИНАМИ"]),
    ("Казахстане", &["Казахстан", "казахстана", "Казахстаном", "казахстану"]),
    ("Токаева", &["Токаев", "токаеву", "Токаевым"]),
    ("Астаной", &["Астана", "Астане", "астану"]),
    ("Ирана", &["Иран", "иране"]),
    ("пенсионные", &["пенсионный", "пенсионных", "Пенсионного"]),
    ("выборов", &["выборы", "выборам", "Выборах"]),
    ("городами", &["город", "города", "городов"]),
    ("нефти", &["нефть", "нефтью"]),
    ("президентом", &["президент", "президента"]),
    ("отчислений", &["отчисления", "отчислениям"]),
    ("elections", &["election", "Elected"]),
];

/// Each row: a word in an article and near misses that must not find it.
const MUST_NOT_MATCH: &[(&str, &[&str])] = &[
    ("женщина", &["жена", "жены"]),
    ("пенсия", &["пенсионный"]),
    ("Казахстан", &["казах", "казахи", "Қазақстан"]),
    ("выборы", &["выборный"]),
    ("президент", &["президентский"]),
    ("мир", &["мирный"]),
    ("школа", &["школьник"]),
];

#[test]
fn morphology_table() {
    let rows: Vec<NewArticle> = MUST_MATCH
        .iter()
        .chain(MUST_NOT_MATCH)
        .enumerate()
        .map(|(i, (word, _))| article(&format!("Новость {i}"), &[&format!("Сегодня слово {word} в тексте.")]))
        .collect();
    let (_d, store, ids_) = archive(&rows);
    for (i, (word, forms)) in MUST_MATCH.iter().enumerate() {
        for f in *forms {
            assert!(ids(&store, f).contains(&ids_[i]), "{f:?} must find {word:?}");
        }
    }
    for (j, (word, forms)) in MUST_NOT_MATCH.iter().enumerate() {
        let id = ids_[MUST_MATCH.len() + j];
        assert!(ids(&store, word).contains(&id), "{word:?} finds itself");
        for f in *forms {
            assert!(!ids(&store, f).contains(&id), "{f:?} must not find {word:?}");
        }
    }
}

// ---------------------------------------------------------------- folding

#[test]
fn case_and_yo_folding() {
    let (_d, store, id) = archive(&[
        article("ЁЛКА на площади", &["Главная ёлка страны."]),
        article("Kazakhstan NEWS", &["ҚАЗАҚСТАН ЖАҢАЛЫҚТАРЫ"]),
    ]);
    for q in ["елка", "Ёлка", "ЕЛКИ", "ёлкой"] {
        assert_eq!(ids(&store, q), [id[0]], "{q}");
    }
    assert_eq!(ids(&store, "news"), [id[1]]);
    // Kazakh letters match themselves, in any case, and only themselves.
    assert_eq!(ids(&store, "қазақстан"), [id[1]]);
    assert_eq!(ids(&store, "Жаңалықтары"), [id[1]]);
    assert!(ids(&store, "казакстан").is_empty());
    assert!(ids(&store, "жаналыктары").is_empty());
}

#[test]
fn homoglyphs_are_folded_inside_mixed_words() {
    let (_d, store, id) = archive(&[
        // Cyrillic А in a Latin word.
        article("Новость с \u{0410}bai.kz", &["Текст."]),
        // Latin K and o in a Cyrillic word.
        article("K\u{0430}з\u{0430}xстан сегодня", &["Текст."]),
        article("Abai.kz пишет", &["Текст."]),
    ]);
    let abai: Vec<i64> = vec![id[0], id[2]];
    let mut found = ids(&store, "Abai.kz");
    found.sort();
    assert_eq!(found, abai, "Latin query finds both spellings");
    let mut found = ids(&store, "\u{0410}bai.kz");
    found.sort();
    assert_eq!(found, abai, "Cyrillic-А query finds both spellings");
    assert_eq!(ids(&store, "Казахстан"), [id[1]]);
    // A pure-Cyrillic word is not folded to Latin: «Аbai» ≠ «Абай».
    assert!(ids(&store, "Абай").is_empty());
}

// ----------------------------------------------------------- query syntax

#[test]
fn phrases_exclusions_and_operators() {
    let mut a = article("Местные власти признали проблему", &["В Алматы прошла конференция."]);
    a.site = Some("Караван".into());
    a.published = Some(Stamp::DateTime(datetime!(2001-08-14 10:00 UTC)));
    let mut b = article("Власти местные отчитались", &["В Шымкенте открыли школу."]);
    b.site = Some("Tengrinews.kz".into());
    b.published = Some(Stamp::DateTime(datetime!(2026-03-01 10:00 UTC)));
    let (_d, mut store, id) = archive(&[a, b]);
    let mut both = ids(&store, "власти");
    both.sort();
    assert_eq!(both, id);
    assert_eq!(ids(&store, "\"местные власти\""), [id[0]], "phrase order matters");
    assert_eq!(ids(&store, "\"местных властей\""), [id[0]], "phrases are stemmed too");
    assert_eq!(ids(&store, "власти -алматы"), [id[1]]);
    // `word*`: a prefix, as the TUI sends while the word is being typed.
    assert_eq!(ids(&store, "Шымк*"), [id[1]]);
    assert!(ids(&store, "Шымк").is_empty(), "without the star a word is whole");
    let text = "В Шымкенте";
    let hl: Vec<&str> = search::highlight("Шымк*", text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(hl, ["Шымкенте"]);
    assert_eq!(ids(&store, "власти -\"прошла конференция\""), [id[1]]);
    assert_eq!(ids(&store, "-школа"), [id[0]], "an exclusion alone");
    assert_eq!(ids(&store, "власти site:караван"), [id[0]]);
    assert_eq!(ids(&store, "site:TENGRINEWS"), [id[1]]);
    assert_eq!(ids(&store, "власти after:2026-01-01"), [id[1]]);
    assert_eq!(ids(&store, "власти before:2026-01-01"), [id[0]]);
    assert_eq!(ids(&store, "власти after:2001-08-14 before:2001-08-15"), [id[0]]);
    store.set_read(id[0], true).unwrap();
    store.set_starred(id[1], true).unwrap();
    assert_eq!(ids(&store, "власти is:unread"), [id[1]]);
    assert_eq!(ids(&store, "is:read"), [id[0]]);
    assert_eq!(ids(&store, "власти is:starred"), [id[1]]);
    // tag: matches the tags of the feed an article came from, in any case.
    assert!(ids(&store, "власти tag:политика").is_empty(), "no feed has that tag yet");
    let (feed, _) = store.add_feed("http://127.0.0.1:1/feed.xml", None, &["Политика".to_string()]).unwrap();
    raw(&store).execute("UPDATE articles SET feed_id = ? WHERE id = ?", [feed, id[1]]).unwrap();
    assert_eq!(ids(&store, "власти tag:политика"), [id[1]]);
    assert_eq!(ids(&store, "tag:ПОЛИТИКА"), [id[1]]);
    assert!(ids(&store, "власти tag:спорт").is_empty());
    // Bad operators are errors naming the piece.
    let e = search::search(&store, "after:вчера", 10).unwrap_err().to_string();
    assert!(e.contains("bad query"), "{e}");
    assert!(ids(&store, "").is_empty());
}

#[test]
fn ranking_title_over_body_then_newer_first() {
    let mut body_old = article("Новости дня", &["Сегодня в Алматы выпал снег."]);
    body_old.published = Some(Stamp::DateTime(datetime!(2026-01-01 10:00 UTC)));
    let mut title = article("Снег в Алматы", &["Сегодня выпало много осадков."]);
    title.published = Some(Stamp::DateTime(datetime!(2025-01-01 10:00 UTC)));
    let mut body_new = article("Новости дня", &["Сегодня в Алматы выпал снег."]);
    body_new.published = Some(Stamp::DateTime(datetime!(2026-02-01 10:00 UTC)));
    let (_d, store, id) = archive(&[body_old, title, body_new]);
    let hits = search::search(&store, "снег", 10).unwrap();
    let order: Vec<i64> = hits.iter().map(|h| h.id).collect();
    assert_eq!(order, [id[1], id[2], id[0]], "title match first; equal bodies newest first");
    assert!(hits[0].score > hits[1].score);
    assert_eq!(hits[1].score, hits[2].score);
    assert_eq!(hits[1].snippet, "Сегодня в Алматы выпал снег.");
    assert_eq!(hits[0].terms, ["снег"]);
}

#[test]
fn highlight_ranges_match_the_search() {
    let text = "В Казахстане — «казахстанцы»; КАЗАХСТАНА нет, а Қазақстан есть.";
    let got: Vec<&str> =
        search::highlight("Казахстан \"пенсионные отчисления\"", text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(got, ["Казахстане", "КАЗАХСТАНА"]);
    let text = "женщин и жён";
    let got: Vec<&str> = search::highlight("женщина -жена", text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(got, ["женщин"]);
    assert!(search::highlight("is:bogus", text).is_empty());
}

// ------------------------------------------------------ index consistency

#[test]
fn index_follows_updates_and_deletes() {
    let a = article("Старый заголовок про погоду", &["Текст про дождь."]);
    let (_d, mut store, id) = archive(std::slice::from_ref(&a));
    assert_eq!(ids(&store, "дождь"), id);
    let mut changed = a.clone();
    changed.title = "Новый заголовок про экономику".into();
    changed.blocks = vec![Block::paragraph("Текст про инфляцию.")];
    store.upsert_articles(&[changed], now()).unwrap();
    assert!(ids(&store, "дождь").is_empty(), "old body gone from the index");
    assert!(ids(&store, "погода").is_empty(), "old title gone from the index");
    assert_eq!(ids(&store, "инфляция"), id);
    assert_eq!(ids(&store, "экономика"), id);
    assert_consistent(&store);
    raw(&store).execute("DELETE FROM articles WHERE id = ?", [id[0]]).unwrap();
    assert!(ids(&store, "инфляция").is_empty());
    assert_consistent(&store);
}

#[test]
fn failed_batch_leaves_no_index_rows() {
    let (_d, mut store, _) = archive(&[article("Первая", &["Один."])]);
    raw(&store)
        .execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON bodies
             WHEN (SELECT title FROM articles WHERE id = NEW.article_id) = 'Третья'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    let batch = [article("Вторая статья", &["Уникальное слово."]), article("Третья", &["Взрыв."])];
    assert!(store.upsert_articles(&batch, now()).is_err());
    assert!(ids(&store, "уникальное").is_empty(), "rolled back with its article");
    assert_consistent(&store);
}

fn count(c: &rusqlite::Connection) -> Option<i64> {
    c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)).ok()
}

#[test]
fn killed_import_keeps_index_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    for i in 0..3000 {
        let body = format!("Статья номер{i} о том, как в Алматы прошёл снег.\nВторой абзац статьи {i}.");
        std::fs::write(d.join(format!("p{i:05}.txt")), format!("Статья {i} - Караван\n\n{body}\n")).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("svodka");
    for (round, delay_ms) in [0u64, 150].into_iter().enumerate() {
        let before = rusqlite::Connection::open(&db).ok().and_then(|c| count(&c)).unwrap_or(0);
        let mut child = std::process::Command::new(&bin)
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&d)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill once the first batch has committed (plus a delay): mid-import.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let n = rusqlite::Connection::open(&db).ok().and_then(|c| count(&c)).unwrap_or(0);
            if n > before || round > 0 || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let store = Store::open(&db).unwrap();
        let n = store.counts().unwrap().total;
        eprintln!("killed after {delay_ms} ms: {n} articles");
        assert!(n < 3000, "killed before the import finished");
        assert_consistent(&store);
        let hits = search::search(&store, "снег", 10_000).unwrap();
        assert_eq!(hits.len() as i64, n, "every present article, and only those, is found");
    }
    // `svodka reindex` rebuilds to the same state and reports it consistent.
    svodka(&db).arg("reindex").assert().success().stdout(predicates::str::contains("missing 0, orphans 0"));
    svodka(&db).args(["reindex", "--check"]).assert().success().stdout(predicates::str::contains("stale 0"));
}

#[test]
fn migration_indexes_an_existing_archive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        // An archive as the first release left it: schema 1, no index.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(svodka::store::schema::MIGRATIONS[0]).unwrap();
        c.execute_batch(
            "INSERT INTO articles(identity, title, title_key, added, sort_key)
                 VALUES('a', 'Выборы в Казахстане', 'выборы в казахстане', '2026-03-14T00:00:00Z', 0);
             INSERT INTO blocks VALUES(1, 0, 'paragraph', 'Токаев подписал указ.');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap() as usize, svodka::store::schema::MIGRATIONS.len());
    assert_eq!(ids(&store, "казахстан"), [1]);
    assert_eq!(ids(&store, "Токаева"), [1]);
    assert_consistent(&store);
    let pending: i64 = raw(&store).query_row("SELECT count(*) FROM search_meta", [], |r| r.get(0)).unwrap();
    assert_eq!(pending, 0, "catch-up ran once and cleared its marker");
}

// -------------------------------------------------------------------- CLI

#[test]
fn cli_search_json_and_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let page = dir.path().join("seed.txt");
    std::fs::write(&page, SEED).unwrap();
    svodka(&db).arg("import").arg(&page).assert().success();
    let out = svodka(&db).args(["search", "--json", "--limit", "5", "женщина"]).assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let hits = v.as_array().unwrap();
    assert_eq!(hits.len(), 1);
    let keys: Vec<&str> = hits[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "title", "site", "published", "score", "snippet"]);
    assert_eq!(hits[0]["site"], "Караван");
    assert_eq!(hits[0]["published"], "2001-08-14");
    assert!(hits[0]["snippet"].as_str().unwrap().to_lowercase().contains("женщин"));
    // Exclusions after `--`, and the human output.
    let out = svodka(&db).args(["search", "--", "трафик", "-Шымкент"]).assert().success();
    assert!(out.get_output().stdout.is_empty());
    svodka(&db).args(["search", "КАЗАХСТАН"]).assert().success().stdout(predicates::str::contains("Караван"));
    svodka(&db).args(["search", "after:someday"]).assert().failure().stderr(predicates::str::contains("after:someday"));
    svodka(&db).arg("reindex").assert().success().stdout(predicates::str::contains("indexed 1 articles"));
}

// --------------------------------------------------------------- trending

const FILLER: &[&str] = &[
    "Погода в регионе остаётся переменчивой, синоптики обещают дожди.",
    "Курс тенге на бирже изменился незначительно за неделю торгов.",
    "В школах города прошли родительские собрания и открытые уроки.",
    "Цены на продукты в магазинах выросли за последний месяц.",
    "Спортсмены готовятся к чемпионату и проводят сборы в горах.",
    "Жители района жалуются на ремонт дорог и пробки в центре.",
];

/// An archive of `days` days of ordinary news, three articles a day, plus
/// `burst` articles about a flood in Атырау and Токаев's visit in the last
/// 24 hours before `end`, and one older burst about a football final.
fn trending_archive(end: OffsetDateTime, burst: usize) -> (tempfile::TempDir, Store, Vec<i64>) {
    let mut rows = Vec::new();
    let mut seed = 7u64;
    let mut pick = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for k in 0..90 {
        let at = end - time::Duration::hours(8 * k as i64 + 1);
        let body = [FILLER[pick(6)], FILLER[pick(6)], FILLER[pick(6)]];
        let mut a = article(&format!("Обзор новостей выпуск {k}"), &body);
        a.published = Some(Stamp::DateTime(at));
        rows.push(a);
    }
    // An older burst (3 days ago): in a 7-day window, not in 24 hours.
    for k in 0..6 {
        let mut a = article(&format!("Финал кубка: болельщики встретили команду {k}"), &[FILLER[pick(6)]]);
        a.published = Some(Stamp::DateTime(end - time::Duration::hours(70 + k)));
        rows.push(a);
    }
    let first_burst = rows.len();
    for k in 0..burst {
        let mut a = article(
            &format!("Паводок в Атырау: Токаев поручил помочь жителям (обновление {k})"),
            &["Президент Касым-Жомарт Токаев прибыл в Атырау, где паводок затопил дома.", FILLER[pick(6)]],
        );
        a.published = Some(Stamp::DateTime(end - time::Duration::minutes(30 * k as i64 + 5)));
        a.views = Some(100 + k as i64);
        rows.push(a);
    }
    let (d, store, ids) = archive(&rows);
    let burst_ids = ids[first_burst..].to_vec();
    (d, store, burst_ids)
}

#[test]
fn computed_trending_finds_the_burst() {
    let end = datetime!(2026-03-14 12:00 UTC);
    let (_d, store, burst) = trending_archive(end, 12);
    let topics = search::trending::computed_at(&store, 86_400, end.unix_timestamp(), 10).unwrap();
    assert!(!topics.is_empty());
    let names: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).collect();
    eprintln!("{names:?}");
    // The burst's words lead, whole and as written.
    let top3 = &names[..3.min(names.len())];
    assert!(top3.iter().any(|t| t.contains("Атырау")), "{names:?}");
    assert!(top3.iter().any(|t| t.contains("Токаев")), "{names:?}");
    let t = topics.iter().find(|t| t.topic.contains("Атырау")).unwrap();
    assert_eq!(t.articles, 12);
    assert!(burst.contains(&t.article_id));
    // The most viewed burst article is the headline.
    assert_eq!(t.article_id, *burst.last().unwrap());
    assert!(t.headline.contains("обновление 11"), "{}", t.headline);
    // Everyday words that are as common before as now are not trends.
    for dull in ["погода", "курс", "обзор", "новостей", "в"] {
        assert!(!names.iter().any(|n| n.to_lowercase() == dull), "{dull} in {names:?}");
    }
    // The older burst shows only in the wider window.
    assert!(!names.iter().any(|n| n.contains("кубк") || n.contains("финал")), "{names:?}");
    let week = search::trending::computed_at(&store, 7 * 86_400, end.unix_timestamp(), 20).unwrap();
    assert!(week.iter().any(|t| t.topic.to_lowercase().contains("финал") || t.topic.contains("кубк")));
    // A topic's query filters the list to its articles.
    let filtered: Vec<i64> = ids(&store, &t.query);
    assert_eq!(filtered.len(), 12);
    assert!(filtered.iter().all(|id| burst.contains(id)));
}

#[test]
fn cli_trending_has_both_sources() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let now = OffsetDateTime::now_utc();
    {
        let mut store = Store::open(&db).unwrap();
        let mut rows = Vec::new();
        for k in 0..4 {
            let mut a = article(&format!("Землетрясение в Алматы: толчки {k}"), &["Жители вышли на улицы."]);
            a.published = Some(Stamp::DateTime(now - time::Duration::hours(k + 1)));
            rows.push(a);
        }
        store.upsert_articles(&rows, now).unwrap();
    }
    let page = dir.path().join("seed.txt");
    std::fs::write(&page, SEED).unwrap();
    svodka(&db).arg("import").arg(&page).assert().success();
    let out = svodka(&db).args(["trending", "--json", "--window", "7d"]).assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let all = v.as_array().unwrap();
    let computed: Vec<&Value> = all.iter().filter(|e| e["source"] == "computed").collect();
    let site: Vec<&Value> = all.iter().filter(|e| e["source"] == "site").collect();
    assert_eq!(site.len(), 18);
    assert!(!computed.is_empty());
    let keys: Vec<&str> = computed[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["topic", "score", "articles", "headline", "article_id", "source"]);
    let keys: Vec<&str> = site[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["topic", "headline", "site", "captured", "article_id", "source"]);
    assert!(computed.iter().any(|t| t["topic"] == "Алматы" && t["articles"] == 4), "{computed:?}");
    svodka(&db).args(["trending", "--window", "soon"]).assert().failure();
}

#[test]
fn odd_queries_never_reach_fts5_syntax() {
    let (_d, store, id) = archive(&[article("AND OR NOT NEAR в Алматы", &["Текст (скобки) и \"кавычки\"."])]);
    for q in [
        "\"unclosed",
        "AND OR NOT",
        "NEAR(алматы текст)",
        "*",
        "**",
        "а*б",
        "^алматы",
        "title:алматы",
        "{title}:алматы",
        "(((",
        "-",
        "- -\"\" -",
        "\"\"",
        "🙂 алматы",
        "\u{0}\u{7}алматы",
        "site:\"unclosed",
        "алматы -алматы",
    ] {
        match search::search(&store, q, 10) {
            Ok(_) => {}
            Err(search::SearchError::Query(_)) => {}
            Err(e) => panic!("{q:?}: {e:?}"),
        }
    }
    assert_eq!(ids(&store, "AND"), id, "operator words are ordinary words");
    assert_eq!(ids(&store, "NEAR(в алматы)"), id, "a word glued to a bracket is still a word");
    assert!(ids(&store, "алматы -алматы").is_empty());
    assert!(matches!(search::search(&store, "after:2026-13-01", 5), Err(search::SearchError::Query(_))));
}

#[test]
fn retention_deletes_leave_the_index_in_step() {
    let (_d, mut store, id) =
        archive(&[article("Старая новость о Казахстане", &["Текст."]), article("Свежая новость", &["Текст."])]);
    let (feed, _) = store.add_feed("http://127.0.0.1:1/feed.xml", None, &[]).unwrap();
    raw(&store).execute("UPDATE articles SET feed_id = ?, sort_key = 0 WHERE id = ?", [feed, id[0]]).unwrap();
    store.set_read(id[0], true).unwrap();
    assert_eq!(ids(&store, "казахстан"), [id[0]]);
    let dropped = store.apply_retention(Some(1), None, now()).unwrap();
    assert_eq!(dropped, 1);
    assert!(ids(&store, "казахстан").is_empty(), "the deleted article is gone from the index");
    assert_eq!(ids(&store, "новость"), [id[1]]);
    assert_consistent(&store);
}
