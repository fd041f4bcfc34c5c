//! Near-duplicate documents: the candidate stages ([`band`]: LSH over MinHash signatures,
//! [`containment`]: a sampled index for articles inside others), the verified [`Pair`] they lead
//! to, and [`cluster`]s of near-duplicates. [`crate::scan`] runs them in order.

pub mod band;
pub mod cluster;
pub mod containment;

use crate::passage::Passage;
use serde::Serialize;

/// How a pair was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FoundBy {
    /// A shared LSH bucket.
    Lsh,
    /// The sampled containment index.
    Containment,
    /// An oversized bucket, checked against the bucket's first document.
    Bucket,
    /// Shared passages only (the documents are not near-duplicates).
    Passage,
}

/// A verified pair of documents; `a < b` in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Index of the earlier document.
    pub a: u32,
    /// Index of the later document.
    pub b: u32,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// Exact containment of the smaller shingle set in the larger.
    pub containment: f64,
    /// MinHash estimate of the Jaccard similarity.
    pub minhash: f64,
    /// Shingles the two documents share.
    pub shared: usize,
    /// The cluster both documents belong to, if they are near-duplicates.
    pub cluster: Option<u32>,
    /// How the pair was found.
    pub found_by: FoundBy,
    /// Shared passages, in order along `a` (empty when passages are off or none reach
    /// `min_words`).
    pub passages: Vec<Passage>,
}

/// Strongest first: Jaccard, then containment, then words in passages, then input order.
/// Pairs are distinct, so the order is total and an unstable sort gives the one answer (without
/// the stable sort's buffer of half the pairs: 400 MB at ten million pairs).
pub fn sort_pairs(pairs: &mut [Pair]) {
    use rayon::prelude::*;
    let words = |p: &Pair| p.passages.iter().map(|x| x.words).sum::<usize>();
    pairs.par_sort_unstable_by(|x, y| {
        y.jaccard
            .total_cmp(&x.jaccard)
            .then(y.containment.total_cmp(&x.containment))
            .then(words(y).cmp(&words(x)))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
}
