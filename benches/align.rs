//! Criterion benchmark of the passage aligner: `align` on document pairs that share a 200-word
//! passage with a changed word every 20 (seeds from the anchor index, as in a scan), and on pairs
//! that share only one stock phrase (the common case the aligner must reject quickly).
//! Run: `cargo bench --bench align`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reprint::fingerprint::shingle::word_hash;
use reprint::fingerprint::winnow::winnow;
use reprint::passage::align::{align, AlignParams};
use reprint::passage::anchor::seed_pairs;
use reprint::passage::seed::Seed;
use reprint::text::tokens;
use std::hint::black_box;

fn words(seed: u64, n: usize) -> Vec<String> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % 30_000)
        })
        .collect()
}

/// (hashes a, hashes b, seeds) for a pair of ~700-word documents.
fn pair(i: u64, shared: usize) -> (Vec<u32>, Vec<u32>, Vec<Seed>) {
    let mut passage = words(1000 + i, shared);
    let copy: Vec<String> =
        passage.iter().enumerate().map(|(j, w)| if j % 20 == 10 { "changed".to_string() } else { w.clone() }).collect();
    let mut a = words(i * 2, 250);
    a.append(&mut passage);
    a.extend(words(i * 2 + 7, 250));
    let mut b = words(i * 2 + 1, 300);
    b.extend(copy);
    b.extend(words(i * 2 + 9, 200));
    let ha: Vec<u32> = tokens(&a.join(" ")).map(|t| word_hash(t.hash)).collect();
    let hb: Vec<u32> = tokens(&b.join(" ")).map(|t| word_hash(t.hash)).collect();
    let seeds = seed_pairs(&[winnow(&ha, 5, 2), winnow(&hb, 5, 2)], 10, &|_, _| false);
    let s = seeds.pairs.into_iter().next().map(|p| p.2).unwrap_or_default();
    (ha, hb, s)
}

fn benches(c: &mut Criterion) {
    let p =
        AlignParams { anchor_k: 5, max_gap: 30, x_drop: 4, split_gap: 8, split_identity: (1, 3), bridge_band: None };
    let mut g = c.benchmark_group("align");
    g.sample_size(30);
    let long: Vec<_> = (0..100).map(|i| pair(i, 200)).collect();
    g.throughput(Throughput::Elements(long.len() as u64));
    g.bench_function("passage_200_words", |b| {
        b.iter(|| long.iter().map(|(a, bb, s)| align(a, bb, s, &p, 8).len()).sum::<usize>())
    });
    let stock: Vec<_> = (0..100).map(|i| pair(i, 6)).collect();
    g.bench_function("stock_phrase_only", |b| {
        b.iter(|| black_box(stock.iter().map(|(a, bb, s)| align(a, bb, s, &p, 8).len()).sum::<usize>()))
    });
    g.finish();
}

criterion_group!(align_benches, benches);
criterion_main!(align_benches);
