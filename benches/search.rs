//! Search latency (p50/p99) over a 100 000-article archive, and the index
//! build rate.
//!
//! `cargo bench --bench search`
//!
//! Articles follow `../shared/bench/gen_feeds.py`: words drawn with their
//! frequencies in real Russian news from `../shared/corpus/corus-ru-news/`
//! (read directly, never bundled), sentences of 6–16 words, 3–7 paragraphs
//! of 2–5 sentences, titles of 5–11 words; written through
//! `Store::upsert_articles` (so the index is built exactly as imports build
//! it). Without the corpus the bench says so loudly and falls back to the
//! seed page's words: those figures are not the headline ones.
//!
//! The archive is cached in `target/svodka-bench/` between runs. Set
//! `SVODKA_BENCH_RSS=DIR` to also write the same articles as RSS feeds plus a
//! newsboat `urls` file, for the newsboat comparison in BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use svodka::model::{Block, NewArticle, Stamp};
use svodka::store::Store;

const ARTICLES: usize = 100_000;
const BUILD_SUBSET: usize = 5_000;
const SITES: usize = 20;
const BASE_TS: i64 = 1_764_000_000;

#[path = "shared/cpu.rs"]
mod cpu;
use cpu::thread_cpu;
#[path = "shared/rng.rs"]
mod rng;
use rng::Rng;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/corus-ru-news/data")
}

fn gunzip(path: &Path) -> Option<String> {
    let out = std::process::Command::new("gzip").arg("-dc").arg(path).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Words as `../shared/bench/gen_feeds.py` takes them: runs of Cyrillic
/// (Kazakh included) letters, digits and hyphens, at least two long.
fn words_of(text: &str, out: &mut Vec<String>) {
    let is_word = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c) || c.is_ascii_digit() || c == '-';
    for w in text.split(|c: char| !is_word(c)) {
        if w.chars().count() >= 2 && w.chars().any(char::is_alphabetic) {
            out.push(w.to_string());
        }
    }
}

/// The corpus words with their frequencies (a word appears as often as the
/// corpus has it), and whether they came from the real corpus.
fn corpus() -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut files = Vec::new();
    let dir = corpus_dir();
    for sub in ["", "ods"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            files.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "gz") && !p.to_string_lossy().ends_with(".tar.gz")),
            );
        }
    }
    files.sort();
    for f in &files {
        if let Some(text) = gunzip(f) {
            words_of(&text, &mut out);
        }
    }
    if out.len() >= 10_000 {
        return (out, true);
    }
    eprintln!(
        "\n*** {} is missing or unreadable: falling back to the seed page's words.\n\
         *** These figures are NOT the headline figures; do not report them as such.\n",
        dir.display()
    );
    let mut out = Vec::new();
    words_of(include_str!("../tests/fixtures/seed/caravan-trafficking-2001.txt"), &mut out);
    (out, false)
}

/// A sentence of `lo..=hi` corpus words, capitalised, with an end mark
/// (gen_feeds.py's recipe).
fn sentence(words: &[String], rng: &mut Rng, lo: usize, hi: usize, end: bool) -> String {
    let n = rng.range(lo, hi);
    let mut s = (0..n).map(|_| words[rng.below(words.len())].as_str()).collect::<Vec<_>>().join(" ");
    if let Some(c) = s.chars().next() {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
    if end {
        s.push(['.', '.', '.', '!', '?'][rng.below(5)]);
    }
    s
}

fn article(i: usize, words: &[String], rng: &mut Rng) -> NewArticle {
    let title = sentence(words, rng, 5, 11, false);
    let paras = (0..rng.range(3, 7))
        .map(|_| {
            let p: Vec<String> = (0..rng.range(2, 5)).map(|_| sentence(words, rng, 6, 16, true)).collect();
            Block::paragraph(p.join(" "))
        })
        .collect();
    let site = i % SITES;
    let ts = BASE_TS - i as i64 * 37;
    NewArticle {
        title,
        site: Some(format!("Лента {site}")),
        url: Some(format!("http://127.0.0.1:1/site{site}/news/{i}")),
        published: time::OffsetDateTime::from_unix_timestamp(ts).ok().map(Stamp::DateTime),
        blocks: paras,
        ..NewArticle::default()
    }
}

/// Writes `n` articles in batches of 1 000; returns the time taken.
fn build(path: &Path, n: usize, words: &[String]) -> Duration {
    let _ = std::fs::remove_file(path);
    let mut store = Store::open(path).expect("open bench archive");
    let mut rng = Rng(74);
    let now = time::OffsetDateTime::from_unix_timestamp(BASE_TS).expect("timestamp");
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let batch: Vec<NewArticle> = (i..(i + 1000).min(n)).map(|k| article(k, words, &mut rng)).collect();
        store.upsert_articles(&batch, now).expect("upsert");
        i += batch.len();
    }
    start.elapsed()
}

fn cached_archive(words: &[String], real: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/svodka-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("search-{ARTICLES}-{}-v3.db", if real { "corus" } else { "seed" }));
    let ok = path.exists()
        && Store::open(&path).ok().and_then(|s| s.counts().ok()).is_some_and(|c| c.total == ARTICLES as i64);
    if !ok {
        eprintln!("building the {ARTICLES}-article archive at {} ...", path.display());
        let t = build(&path, ARTICLES, words);
        eprintln!(
            "built {ARTICLES} articles (upsert incl. index) in {:.1} s: {:.0} articles/s",
            t.as_secs_f64(),
            ARTICLES as f64 / t.as_secs_f64()
        );
    }
    if let Ok(dir) = std::env::var("SVODKA_BENCH_RSS") {
        write_rss(Path::new(&dir), words);
    }
    path
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The same articles as 200 RSS feeds of 500 items and a newsboat urls file.
fn write_rss(dir: &Path, words: &[String]) {
    use std::io::Write;
    std::fs::create_dir_all(dir).expect("rss dir");
    let mut rng = Rng(74);
    let mut urls = String::new();
    let per_feed = ARTICLES / 200;
    for f in 0..200 {
        let path = dir.join(format!("feed{f:04}.xml"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("feed"));
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>").expect("w");
        writeln!(out, "<title>Лента {f}</title><link>http://127.0.0.1:1/feed{f}/</link><description>-</description>")
            .expect("w");
        for k in 0..per_feed {
            let i = f * per_feed + k;
            let a = article(i, words, &mut rng);
            let body: String = a.blocks.iter().map(|b| format!("<p>{}</p>", b.text)).collect();
            let date = a.published.map(|p| p.sort_key()).unwrap_or(BASE_TS);
            let date = time::OffsetDateTime::from_unix_timestamp(date)
                .ok()
                .and_then(|d| d.format(&time::format_description::well_known::Rfc2822).ok())
                .unwrap_or_default();
            writeln!(
                out,
                "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>{date}</pubDate><description>{}</description></item>",
                xml(&a.title),
                xml(a.url.as_deref().unwrap_or("")),
                i,
                xml(&body)
            )
            .expect("w");
        }
        writeln!(out, "</channel></rss>").expect("w");
        urls.push_str(&format!("\"exec:cat {}\"\n", path.display()));
    }
    std::fs::write(dir.join("urls"), urls).expect("urls");
    eprintln!("wrote the same articles as RSS to {}", dir.display());
}

/// A mixed workload: half the words drawn by corpus frequency (common),
/// half uniformly from the distinct words (rarer), in the forms the corpus
/// has them; single words, two-word queries, phrases, exclusions, filters.
fn workload(words: &[String], n: usize) -> Vec<String> {
    let mut distinct: Vec<String> = words.iter().filter(|w| w.chars().count() >= 4).map(|w| w.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    let mut rng = Rng(2026);
    let pick = |rng: &mut Rng| {
        if rng.below(2) == 0 {
            loop {
                let w = &words[rng.below(words.len())];
                if w.chars().count() >= 4 {
                    break w.to_lowercase();
                }
            }
        } else {
            distinct[rng.below(distinct.len())].clone()
        }
    };
    (0..n)
        .map(|_| {
            let (a, b) = (pick(&mut rng), pick(&mut rng));
            match rng.below(10) {
                0..=4 => a,
                5..=6 => format!("{a} {b}"),
                7 => format!("\"{a} {b}\""),
                8 => format!("{a} -{b}"),
                _ => format!("{a} site:\"Лента {}\" after:2025-11-20", rng.below(SITES)),
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn bench(c: &mut Criterion) {
    let (words, real) = corpus();
    eprintln!("{} corpus words ({})", words.len(), if real { "corus-ru-news" } else { "SEED FALLBACK" });
    let path = cached_archive(&words, real);
    let store = Store::open(&path).expect("open");
    let conn = &store;

    // p50/p99 over a mixed workload, limit 20 as the TUI asks.
    let queries = workload(&words, 1_100);
    for q in &queries[..100] {
        svodka::search::search(conn, q, 20).expect("warm-up");
    }
    let mut times = Vec::with_capacity(1_000);
    let mut cpu = Vec::with_capacity(1_000);
    let mut slow: Vec<(Duration, &str)> = Vec::with_capacity(1_000);
    let mut hits = 0usize;
    for q in &queries[100..] {
        let (t, c) = (Instant::now(), thread_cpu());
        hits += svodka::search::search(conn, q, 20).expect("search").len();
        times.push(t.elapsed());
        cpu.push(thread_cpu().saturating_sub(c));
        slow.push((t.elapsed(), q));
    }
    times.sort();
    cpu.sort();
    // The slowest queries say which class sets the p99.
    slow.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, q) in &slow[..15] {
        // Split: the store's SQL against the whole search (snippets).
        let pq = svodka::search::parse(q).expect("parse");
        let fq = svodka::store::fts::FtsQuery {
            must: pq.fts_must(),
            must_not: pq.fts_must_not(),
            sites: &pq.sites,
            tags: &pq.tags,
            after: pq.after,
            before: pq.before,
            limit: 20,
            ..Default::default()
        };
        let t = Instant::now();
        store.search(&fq).expect("sql");
        let sql = t.elapsed();
        let t = Instant::now();
        svodka::search::search(conn, q, 20).expect("search");
        eprintln!(
            "  slow: {:7.2} ms (again {:6.2}, sql {:6.2})  {q}",
            d.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            sql.as_secs_f64() * 1e3
        );
    }
    eprintln!(
        "search over {ARTICLES} articles, {} queries, limit 20: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.1} hits/query",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.90).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        hits as f64 / times.len() as f64
    );
    eprintln!(
        "  the same queries' own CPU time (this thread's, so other processes on the machine do not count): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms",
        percentile(&cpu, 0.50).as_secs_f64() * 1e3,
        percentile(&cpu, 0.90).as_secs_f64() * 1e3,
        percentile(&cpu, 0.99).as_secs_f64() * 1e3,
    );

    let mut g = c.benchmark_group("search_100k");
    for (name, q) in [
        ("common_word", "Россия"),
        ("inflected_name", "Казахстана"),
        ("two_words", "правительство России"),
        ("phrase", "\"по данным\""),
        ("exclusion", "президент -Путин"),
        ("filters_only", "site:\"Лента 3\" after:2025-11-20 is:unread"),
    ] {
        g.bench_function(name, |b| b.iter(|| svodka::search::search(conn, q, 20).expect("search")));
    }
    let mut i = 0;
    g.bench_function("mixed_workload", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            svodka::search::search(conn, &queries[i], 20).expect("search")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("trending_100k");
    g.sample_size(10);
    for (name, window) in [("computed_24h", 86_400), ("computed_7d", 7 * 86_400)] {
        g.bench_function(name, |b| {
            b.iter(|| svodka::search::trending::computed_at(conn, window, BASE_TS, 20).expect("trending"))
        });
    }
    g.finish();

    // Index build rate: a full rebuild of a 5 000-article archive.
    let small = path.with_file_name("search-build-subset.db");
    build(&small, BUILD_SUBSET, &words);
    let mut small = Store::open(&small).expect("open subset");
    let mut g = c.benchmark_group("index_build");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BUILD_SUBSET as u64));
    g.bench_function("reindex_5k", |b| b.iter(|| small.reindex().expect("reindex")));
    g.bench_function("normalise_only_5k", |b| {
        let mut rng = Rng(74);
        let arts: Vec<NewArticle> = (0..BUILD_SUBSET).map(|k| article(k, &words, &mut rng)).collect();
        b.iter(|| {
            for a in &arts {
                std::hint::black_box(svodka::store::fts::index_form(
                    &a.title,
                    a.blocks.iter().map(|b| b.text.as_str()),
                ));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
