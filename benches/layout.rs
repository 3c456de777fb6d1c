//! Layout throughput of the reading-pane text engine on real Russian news.
//!
//! The article is ~100 KB of body text from the corus-ru-news samples
//! (`../shared/corpus/corus-ru-news/data/ods/*.csv.gz`, read here, never
//! bundled: the texts keep their source datasets' research-use terms). When
//! the corpus is missing the bench says so and falls back to the bundled seed
//! article repeated to 100 KB, under a different benchmark name, so the two
//! figures are never confused.
//!
//! Run: `cargo bench --bench layout`

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use svodka::model::Block;
use svodka::text::{Document, LayoutOptions, PreparedDocument, hyphenate, layout_document};

const TARGET: usize = 100 * 1024;

/// Fields of one CSV record set (RFC 4180 quoting), enough for the corpus files.
fn csv_records(s: &str) -> Vec<Vec<String>> {
    let mut recs = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match (quoted, c) {
            (true, '"') if it.peek() == Some(&'"') => {
                it.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => rec.push(std::mem::take(&mut field)),
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                recs.push(std::mem::take(&mut rec));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        recs.push(rec);
    }
    recs
}

/// The corpus lost the backslash of its `\n` paragraph breaks («онnвступил»):
/// a Latin «n» between two Cyrillic letters is one of those.
fn paragraphs(text: &str) -> Vec<String> {
    let cyr = |c: char| ('а'..='я').contains(&c) || ('А'..='Я').contains(&c) || c == 'ё' || c == '.' || c == ',';
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        let split = c == 'n' && i > 0 && i + 1 < chars.len() && cyr(chars[i - 1]) && cyr(chars[i + 1]);
        if split {
            out.push(String::new());
        } else if let Some(p) = out.last_mut() {
            p.push(c);
        }
    }
    out.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

fn corpus_article() -> Option<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/corus-ru-news/data/ods");
    let mut files: Vec<_> = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let mut blocks = Vec::new();
    let mut size = 0;
    for f in files.iter().filter(|f| f.to_string_lossy().ends_with(".csv.gz")) {
        let out = Command::new("gzip").arg("-dc").arg(f).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let recs = csv_records(&text);
        let col = recs.first()?.iter().position(|h| h == "text")?;
        for r in &recs[1..] {
            for p in paragraphs(r.get(col).map_or("", |s| s.as_str())) {
                if size >= TARGET {
                    break;
                }
                size += p.len();
                blocks.push(Block::paragraph(p));
            }
        }
    }
    (size >= TARGET).then(|| Document {
        title: "Сводка: 100 КБ новостей".into(),
        meta: "corus-ru-news · ods".into(),
        blocks,
        links: vec![],
    })
}

fn seed_article() -> Document {
    let seed = include_str!("../data/caravan-trafficking-2001.txt");
    let paras: Vec<&str> = seed.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut blocks = Vec::new();
    let mut size = 0;
    while size < TARGET {
        for p in &paras {
            size += p.len();
            blocks.push(Block::paragraph(*p));
        }
    }
    Document { title: "seed ×N".into(), meta: String::new(), blocks, links: vec![] }
}

fn doc_bytes(d: &Document) -> u64 {
    d.blocks.iter().map(|b| b.text.len() as u64).sum::<u64>() + d.title.len() as u64 + d.meta.len() as u64
}

fn bench(c: &mut Criterion) {
    let (name, doc) = match corpus_article() {
        Some(d) => ("corus-ru-news", d),
        None => {
            eprintln!(
                "layout bench: ../shared/corpus/corus-ru-news is MISSING (or gzip is); \
                 measuring the bundled seed article repeated to 100 KB instead (`seed-fallback`)"
            );
            ("seed-fallback", seed_article())
        }
    };
    let bytes = doc_bytes(&doc);
    eprintln!("layout bench: {name}, {} blocks, {bytes} bytes", doc.blocks.len());

    // Full layout: sanitise + segment + break + fill, what opening a never-seen
    // article costs: the hyphenation memo is emptied before every run.
    let mut g = c.benchmark_group(format!("layout/{name}"));
    g.throughput(Throughput::Bytes(bytes));
    for width in [40usize, 100] {
        for justify in [false, true] {
            let opts = LayoutOptions { width, justify, hyphenate: true };
            let id = BenchmarkId::new(if justify { "justify" } else { "plain" }, width);
            g.bench_with_input(id, &opts, |b, o| {
                b.iter(|| {
                    hyphenate::clear_memo();
                    layout_document(black_box(&doc), o)
                })
            });
        }
        let opts = LayoutOptions { width, justify: false, hyphenate: false };
        g.bench_with_input(BenchmarkId::new("no-hyphenate", width), &opts, |b, o| {
            b.iter(|| layout_document(black_box(&doc), o))
        });
    }
    g.finish();

    // Resize: the article is already prepared (LayoutCache keeps it) and its
    // words' hyphenation points memoised; only lines are re-filled.
    let prepared = PreparedDocument::new(&doc);
    let mut g = c.benchmark_group(format!("relayout/{name}"));
    g.throughput(Throughput::Bytes(bytes));
    for width in [40usize, 100] {
        let opts = LayoutOptions::new(width);
        g.bench_with_input(BenchmarkId::new("resize", width), &opts, |b, o| b.iter(|| prepared.layout(black_box(o))));
    }
    g.finish();

    let mut g = c.benchmark_group(format!("prepare/{name}"));
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("prepare", |b| b.iter(|| PreparedDocument::new(black_box(&doc))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
