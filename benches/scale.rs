//! Scale: an archive of `ARTICLES` (default 1 000 000) articles in `FEEDS`
//! (default 1 000) subscriptions, written through svodka's own bulk writer
//! (`Store::bulk_load` + `store_fetched`, index terms computed on two
//! generator threads, as `fetch` does), then the figures of issue 13:
//! first frame and peak memory of the real binary (tmux), search p50/p99
//! in process, `svodka list --limit 50`, `svodka trending`, and the CPU of a
//! `svodka fetch` of every feed answered 304 by a local server.
//!
//! Articles have gen_feeds.py's shape (5–11 word titles, 3–7 paragraphs of
//! 2–5 sentences of 6–16 words of the seed page's vocabulary), generated
//! in memory: writing and re-parsing 3 GB of RSS would measure the parser
//! (the import and fetch benches do that), not the archive's scale.
//!
//! Run: `cargo build --release && cargo bench --bench scale` (env
//! `ARTICLES`, `FEEDS`, `SKIP_TRENDING`; the archive is kept in
//! `target/bench-scale-N/`, 4.5 GB for 1 000 000: delete it afterwards).

use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use svodka::model::{Block, NewArticle, Stamp};
use svodka::store::Store;
use svodka::store::feeds::FetchedFeed;
use svodka::store::fts::IndexForm;

const SEED: &str = include_str!("../tests/fixtures/seed/caravan-trafficking-2001.txt");
const BASE_TS: i64 = 1_764_000_000;
/// Feeds live on 8 loopback hosts at this port (fixed: the URLs are stored).
const PORT: u16 = 18_913;
const HOSTS: usize = 8;
const ETAG: &str = "\"v1\"";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[path = "shared/cpu.rs"]
mod cpu;
use cpu::thread_cpu;
#[path = "shared/rng.rs"]
mod rng;
use rng::Rng;

fn words() -> Vec<String> {
    SEED.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect()
}

fn sentence(words: &[String], rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut s = (0..n).map(|_| words[rng.below(words.len())].as_str()).collect::<Vec<_>>().join(" ");
    if let Some(c) = s.chars().next() {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
    s
}

fn feed(f: usize, items: usize, words: &[String]) -> FetchedFeed {
    let mut rng = Rng(f as u64 * 7919 + 1);
    let items: Vec<NewArticle> = (0..items)
        .map(|i| {
            let blocks = (0..rng.range(3, 7))
                .map(|_| {
                    let p: Vec<String> = (0..rng.range(2, 5)).map(|_| sentence(words, &mut rng, 6, 16) + ".").collect();
                    Block::paragraph(p.join(" "))
                })
                .collect();
            let ts = BASE_TS - ((f * items + i) as i64) * 37 / 10;
            NewArticle {
                title: sentence(words, &mut rng, 5, 11),
                site: Some(format!("Лента {f}")),
                url: Some(format!("http://127.0.0.1:1/site{f}/news/{i}")),
                guid: Some(format!("site{f}-{i}")),
                published: time::OffsetDateTime::from_unix_timestamp(ts).ok().map(Stamp::DateTime),
                blocks,
                ..NewArticle::default()
            }
        })
        .collect();
    let index = items.iter().map(IndexForm::of).collect();
    FetchedFeed { title: Some(format!("Лента {f}")), etag: Some(ETAG.into()), items, index, ..Default::default() }
}

fn url(f: usize) -> String {
    format!("http://127.0.0.{}:{PORT}/feed{f:04}.xml", f % HOSTS + 1)
}

/// Builds the archive: two generator threads, this thread the only writer.
fn build(db: &Path, feeds: usize, items: usize) -> Duration {
    let words = words();
    let mut store = Store::open(db).expect("open");
    let ids: Vec<i64> = (0..feeds).map(|f| store.add_feed(&url(f), None, &[]).expect("add").0).collect();
    let t = Instant::now();
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..2).map(|_| mpsc::sync_channel::<FetchedFeed>(2)).unzip();
    std::thread::scope(|s| {
        for (w, tx) in txs.into_iter().enumerate() {
            let words = &words;
            s.spawn(move || {
                for f in (w..feeds).step_by(2) {
                    if tx.send(feed(f, items, words)).is_err() {
                        break;
                    }
                }
            });
        }
        let mut load = store.bulk_load().expect("bulk load");
        for (f, id) in ids.iter().enumerate() {
            let fetched = rxs[f % 2].recv().expect("generated");
            load.store_fetched(*id, &fetched, time::OffsetDateTime::now_utc()).expect("write");
            if f % 100 == 99 {
                eprintln!("  {} articles, {:.0} s", (f + 1) * items, t.elapsed().as_secs_f64());
            }
        }
        load.finish().expect("finish");
    });
    t.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn search_figures(db: &Path) {
    let store = Store::open(db).expect("open");
    let mut rng = Rng(2026);
    let words: Vec<String> = words().into_iter().filter(|w| w.chars().count() >= 4).map(|w| w.to_lowercase()).collect();
    let queries: Vec<String> = (0..300)
        .map(|_| {
            let (a, b) = (&words[rng.below(words.len())], &words[rng.below(words.len())]);
            match rng.below(10) {
                0..=4 => a.clone(),
                5..=6 => format!("{a} {b}"),
                7 => format!("\"{a} {b}\""),
                8 => format!("{a} -{b}"),
                _ => format!("{a} site:\"Лента {}\"", rng.below(1000)),
            }
        })
        .collect();
    for q in queries.iter().take(20) {
        svodka::search::search(&store, q, 20).expect("warm-up");
    }
    let (mut times, mut cpu): (Vec<Duration>, Vec<Duration>) = queries
        .iter()
        .map(|q| {
            let (t, c) = (Instant::now(), thread_cpu());
            svodka::search::search(&store, q, 20).expect("search");
            (t.elapsed(), thread_cpu().saturating_sub(c))
        })
        .unzip();
    let mut slowest: Vec<(Duration, &String)> = cpu.iter().copied().zip(&queries).collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (c, q) in slowest.iter().take(6) {
        println!("  slow: {:.1} ms own CPU: {q}", c.as_secs_f64() * 1e3);
    }
    times.sort();
    cpu.sort();
    println!(
        "search (300 mixed queries, limit 20): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; own CPU p50 {:.1} ms, p99 {:.1} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        percentile(&cpu, 0.5).as_secs_f64() * 1e3,
        percentile(&cpu, 0.99).as_secs_f64() * 1e3,
    );
}

/// Median wall time of a command over `runs`.
fn timed(cmd: &mut dyn FnMut() -> Command, runs: usize) -> f64 {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let out = cmd().output().expect("run");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            t.elapsed().as_secs_f64()
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Serves 304 to a request carrying the archive's ETag (all of them).
fn serve_not_modified() {
    for h in 0..HOSTS {
        let server = tiny_http::Server::http(format!("127.0.0.{}:{PORT}", h + 1)).expect("bind loopback port");
        std::thread::spawn(move || {
            while let Ok(req) = server.recv() {
                let hit = req.headers().iter().any(|x| x.field.equiv("If-None-Match") && x.value.as_str() == ETAG);
                let code = if hit { 304 } else { 500 };
                let _ = req.respond(tiny_http::Response::from_data(Vec::new()).with_status_code(code));
            }
        });
    }
}

fn main() {
    let articles = env_or("ARTICLES", 1_000_000);
    let feeds = env_or("FEEDS", 1_000);
    let items = articles / feeds;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_svodka");
    let dir = root.join(format!("target/bench-scale-{}", feeds * items));
    let db = dir.join("a.db");
    if !dir.join("done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let took = build(&db, feeds, items);
        std::fs::write(dir.join("done"), "").expect("mark");
        println!("built {} articles in {feeds} feeds: {:.1} s", feeds * items, took.as_secs_f64());
    }
    let size: u64 =
        std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    println!("archive: {:.0} MB", size as f64 / 1e6);
    search_figures(&db);
    let home = dir.join("home");
    let svodka = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.env("HOME", &home).env("XDG_CONFIG_HOME", home.join("c")).env("XDG_STATE_HOME", home.join("s"));
        c.arg("--db").arg(&db).args(args);
        c
    };
    let list = timed(&mut || svodka(&["list", "--limit", "50"]), 11);
    println!("svodka list --limit 50: median {:.1} ms (process start included)", list * 1e3);
    // Trending reads per-day counts; `SKIP_TRENDING=1` leaves it out.
    if std::env::var_os("SKIP_TRENDING").is_none() {
        for window in ["24h", "7d"] {
            let trending = timed(&mut || svodka(&["trending", "--window", window]), 5);
            println!("svodka trending --window {window}: median {:.1} ms (process start included)", trending * 1e3);
        }
    }
    let script = root.join("../shared/bench/tui_first_frame.sh");
    let h = home.display();
    let out = Command::new("bash")
        .env("LC_CTYPE", "C.UTF-8")
        .arg(&script)
        .args(["●", "60", "env", &format!("HOME={h}"), &format!("XDG_CONFIG_HOME={h}/c")])
        .args([&format!("XDG_STATE_HOME={h}/s"), "LANG=ru_RU.UTF-8", bin, "--db", &db.display().to_string()])
        .output();
    match out {
        Ok(o) => println!("first frame (tmux 120x40): {}", String::from_utf8_lossy(&o.stdout).trim()),
        Err(e) => println!("first frame: NOT RUN ({e})"),
    }
    serve_not_modified();
    let time_out = dir.join("fetch.time");
    let st = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&time_out)
        .arg(bin)
        .args(["--db", &db.display().to_string(), "fetch"])
        .env("HOME", &home)
        .output()
        .expect("fetch runs");
    let t = std::fs::read_to_string(&time_out).unwrap_or_default();
    let field = |k: &str| t.lines().find_map(|l| l.trim().strip_prefix(k).map(|v| v.trim().to_string()));
    let cpu = field("User time (seconds):").and_then(|u| u.parse::<f64>().ok()).unwrap_or(f64::NAN)
        + field("System time (seconds):").and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN);
    println!(
        "svodka fetch of {feeds} unchanged feeds (all 304): {:.2} s CPU, wall {}, exit {}: {}",
        cpu,
        field("Elapsed (wall clock) time (h:mm:ss or m:ss):").unwrap_or_default(),
        st.status,
        String::from_utf8_lossy(&st.stdout).lines().last().unwrap_or("")
    );
}
