//! Import rate of page dumps: articles per second from a directory of
//! dumps into an empty archive (read + decode + parse + write), and the
//! parse step alone; and a parser worker's share of a feed import (parse a
//! `gen_feeds.py` feed, then each item's index terms, topic candidates and
//! packed body), the CPU that decides `import`'s speed on two cores.
//!
//! `cargo bench --bench import` (`-- feed_worker` for the last alone)

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use svodka::store::Store;

const SEED: &str = include_str!("../tests/fixtures/seed/caravan-trafficking-2001.txt");
const FILES: usize = 5_000;

/// Distinct pages of the seed's shape: numbered titles, shuffled dates and
/// paragraph counts, every third one in windows-1251.
fn make_dumps(dir: &Path) {
    let lines: Vec<&str> = SEED.lines().collect();
    for i in 0..FILES {
        let mut page = SEED.replacen(" - Караван", &format!(" (выпуск {i}) - Караван"), 1);
        page = page.replace("14 Августа 2001", &format!("{} Августа {}", i % 28 + 1, 2001 + i % 25));
        if i % 2 == 0 {
            // Drop a body paragraph so pages differ in size.
            let para = lines.iter().find(|l| l.starts_with("Также, проблему")).copied().unwrap_or("");
            page = page.replace(para, "");
        }
        let bytes = if i % 3 == 0 { encoding_rs::WINDOWS_1251.encode(&page).0.into_owned() } else { page.into_bytes() };
        std::fs::write(dir.join(format!("page{i:05}.txt")), bytes).expect("write dump");
    }
}

fn bench(c: &mut Criterion) {
    let input = tempfile::tempdir().expect("tempdir");
    make_dumps(input.path());
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.throughput(Throughput::Elements(FILES as u64));
    g.bench_function("dumps_into_empty_archive", |b| {
        b.iter_with_setup(
            || tempfile::tempdir().expect("tempdir"),
            |out| {
                let mut store = Store::open(&out.path().join("a.db")).expect("open");
                let r = svodka::ingest::import_paths(&mut store, &[input.path().to_path_buf()]).expect("import");
                assert_eq!(r.added, FILES);
            },
        )
    });
    g.bench_function("parse_only", |b| {
        let files: Vec<Vec<u8>> =
            (0..FILES).map(|i| std::fs::read(input.path().join(format!("page{i:05}.txt"))).expect("read")).collect();
        b.iter(|| {
            for (i, f) in files.iter().enumerate() {
                let src = svodka::ingest::Source { name: format!("{i}"), bytes: f.as_slice().into() };
                std::hint::black_box(svodka::ingest::parse_source(&src).expect("parse"));
            }
        })
    });
    g.finish();
    feed_worker(c);
}

/// The feeds `gen_feeds.py DIR 2 500` writes (1 000 items, 3 MB), made
/// once under `target/`; `None` when the script or python3 is missing.
fn generated_feeds() -> Option<Vec<Vec<u8>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("target/bench-feeds-2x500");
    if !data.join("paths").exists() {
        let script = root.join("../shared/bench/gen_feeds.py");
        let ok = std::process::Command::new("python3").arg(&script).arg(&data).args(["2", "500"]).status();
        if !ok.is_ok_and(|s| s.success()) {
            println!("feed_worker: {} could not run: MISSING, not measured", script.display());
            return None;
        }
    }
    let paths = std::fs::read_to_string(data.join("paths")).ok()?;
    Some(paths.lines().map(|p| std::fs::read(p).expect("generated feed")).collect())
}

fn feed_worker(c: &mut Criterion) {
    let Some(feeds) = generated_feeds() else { return };
    let items: usize =
        feeds.iter().map(|f| svodka::ingest::feed::parse_feed(f, None, None).expect("parse").items.len()).sum();
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.throughput(Throughput::Elements(items as u64));
    g.bench_function("feed_worker", |b| {
        b.iter(|| {
            for f in &feeds {
                let parsed = svodka::ingest::feed::parse_feed(f, None, None).expect("parse");
                for a in &parsed.items {
                    std::hint::black_box(svodka::store::fts::IndexForm::of(a));
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
