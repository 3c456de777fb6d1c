//! Per-word cost of normalisation (fold + dictionary lemma or Snowball stem),
//! uncached, on the generated morphology table: the search benchmark's
//! p99 budget (20 ms over 100 000 articles) needs it to stay small.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FORMS: &str = include_str!("../tests/fixtures/morph/forms.tsv");

fn words(c: &mut Criterion) {
    let words: Vec<String> = FORMS.lines().filter_map(|l| l.split('\t').nth(3)).map(svodka::lang::fold_word).collect();
    let mut g = c.benchmark_group("lang");
    g.throughput(Throughput::Elements(words.len() as u64));
    g.bench_function("stem_per_word", |b| {
        b.iter(|| {
            for w in &words {
                black_box(svodka::lang::stem(black_box(w)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, words);
criterion_main!(benches);
