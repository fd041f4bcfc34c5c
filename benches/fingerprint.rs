//! Criterion benchmarks of the hot loops, named after the loop they time:
//! `tokenize`, `shingle_set` (tokenize + 5-word shingles hashed with xxh3, sorted and deduplicated),
//! `minhash` (one-permutation signature of a shingle set), `banding` (LSH buckets of 20,000
//! signatures), `overlap` (exact Jaccard of two shingle sets), `fingerprint` (what the fingerprint
//! stage does per document: tokenize, shingle hashes in order, signature), and `baseline_split_xxh3`, the raw
//! speed of splitting ASCII text on non-alphanumerics and hashing each word with xxh3, which the
//! others are compared against. Run: `cargo bench --bench fingerprint`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reprint::fingerprint::shingle::{overlap, shingle_set, shingles_in_order, word_hash};
use reprint::fingerprint::signature::{MinHasher, DEFAULT_SEED};
use reprint::neardup::band::{candidate_pairs, LshParams};
use reprint::synth::{generate, SynthConfig};
use reprint::text::tokens;
use std::hint::black_box;

/// About 4 MB of synthetic news text (1,000 articles).
fn texts() -> Vec<String> {
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generate(&SynthConfig { docs: 1000, seed: 5, ..SynthConfig::default() }, &mut corpus, &mut truth).expect("synth");
    String::from_utf8(corpus)
        .expect("utf-8")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["text"].as_str().expect("text").to_string()
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let texts = texts();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let mut g = c.benchmark_group("fingerprint");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(20);

    g.bench_function("baseline_split_xxh3", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for t in &texts {
                for w in t.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
                    acc ^= xxhash_rust::xxh3::xxh3_64(w.as_bytes());
                }
            }
            black_box(acc)
        })
    });
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for t in &texts {
                for tok in tokens(t) {
                    acc ^= tok.hash;
                }
            }
            black_box(acc)
        })
    });
    g.bench_function("shingle_set", |b| {
        let mut scratch = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                n += shingle_set(t, 5, &mut scratch).len();
            }
            black_box(n)
        })
    });
    // What the fingerprint stage does per document (without passage anchors): tokenize, hash the
    // 5-word shingles in order, sign them. Sets are only sorted later, for verified documents.
    let fp_hasher = MinHasher::new(128, DEFAULT_SEED);
    g.bench_function("fingerprint", |b| {
        let (mut hashes, mut in_order, mut sig) = (Vec::new(), Vec::new(), vec![0u32; 128]);
        b.iter(|| {
            for t in &texts {
                hashes.clear();
                hashes.extend(tokens(t).map(|tok| word_hash(tok.hash)));
                in_order.clear();
                shingles_in_order(&hashes, 5, &mut in_order);
                fp_hasher.signature_into(&in_order, &mut sig);
            }
            black_box(sig[0])
        })
    });
    let words: Vec<Vec<u32>> = texts.iter().map(|t| tokens(t).map(|tok| word_hash(tok.hash)).collect()).collect();
    g.bench_function("shingles_in_order", |b| {
        let mut in_order = Vec::new();
        b.iter(|| {
            for w in &words {
                in_order.clear();
                shingles_in_order(w, 5, &mut in_order);
            }
            black_box(in_order.len())
        })
    });
    let mut scratch = Vec::new();
    let sets: Vec<Box<[u64]>> = texts.iter().map(|t| shingle_set(t, 5, &mut scratch)).collect();
    let hasher = MinHasher::new(128, DEFAULT_SEED);
    g.bench_function("minhash", |b| {
        let mut sig = vec![0u32; 128];
        b.iter(|| {
            for s in &sets {
                hasher.signature_into(s, &mut sig);
            }
            black_box(sig[0])
        })
    });
    g.finish();

    let mut g = c.benchmark_group("candidates");
    g.sample_size(20);
    // 20,000 signatures of distinct documents (the articles' shingles re-hashed per copy), one in
    // ten an exact copy of an earlier one: mostly singleton buckets, some pairs, as in a corpus.
    let mut sigs = Vec::with_capacity(20_000 * 128);
    for i in 0..20_000usize {
        let salt = if i % 10 == 9 { 0 } else { (i / sets.len()) as u64 };
        let set: Vec<u64> = sets[i % sets.len()].iter().map(|h| h ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        sigs.extend(hasher.signature(&set));
    }
    let skip = vec![false; 20_000];
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("banding", |b| {
        b.iter(|| {
            black_box(candidate_pairs(&sigs, 128, LshParams { bands: 26, rows: 3 }, 200, None, &skip).pairs.len())
        })
    });
    g.throughput(Throughput::Elements(sets.len() as u64 - 1));
    g.bench_function("overlap", |b| {
        b.iter(|| {
            let mut j = 0.0;
            for w in sets.windows(2) {
                j += overlap(&w[0], &w[1]).jaccard;
            }
            black_box(j)
        })
    });
    g.finish();
}

criterion_group!(fingerprint, benches);
criterion_main!(fingerprint);
