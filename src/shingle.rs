//! Word k-shingles hashed with xxh3, and the set operations the exact verification needs.
//!
//! A shingle is a run of `k` consecutive tokens; its hash is xxh3-64 over the little-endian bytes
//! of the `k` token hashes cut to 32 bits ("word hashes", which the aligner compares as well), so
//! it depends only on the normalised words, never on punctuation, spacing or case. Two different
//! words share a 32-bit hash with probability 2^-32 per pair of words. A document with fewer than `k` tokens (but at least one) has one shingle made
//! of all its tokens, as datasketch-based pipelines do, so very short documents still compare.

use crate::text::tokens;
use xxhash_rust::xxh3::xxh3_64;

/// The 32-bit word hash of a token hash: what shingles and alignment are computed from.
#[inline]
pub fn word_hash(token_hash: u64) -> u32 {
    token_hash as u32
}

/// Hash of the shingle formed by `token_hashes` (word hashes; any length from 1 to `k`).
#[inline]
pub fn shingle_hash(token_hashes: &[u32]) -> u64 {
    let mut buf = [0u8; 4 * 16];
    if token_hashes.len() <= 16 {
        for (i, h) in token_hashes.iter().enumerate() {
            buf[i * 4..i * 4 + 4].copy_from_slice(&h.to_le_bytes());
        }
        xxh3_64(&buf[..token_hashes.len() * 4])
    } else {
        let bytes: Vec<u8> = token_hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        xxh3_64(&bytes)
    }
}

/// Appends to `out` the hash of every shingle of `token_hashes`, in document order (shingle `i`
/// starts at token `i`), duplicates kept.
pub fn shingles_in_order(token_hashes: &[u32], k: usize, out: &mut Vec<u64>) {
    let k = k.max(1);
    if token_hashes.is_empty() {
        return;
    }
    if token_hashes.len() < k {
        out.push(shingle_hash(token_hashes));
        return;
    }
    out.extend(token_hashes.windows(k).map(shingle_hash));
}

/// The set of distinct shingle hashes of `text`, sorted ascending: what Jaccard and containment
/// are computed on. `scratch` is reused between calls to avoid allocation.
pub fn shingle_set(text: &str, k: usize, scratch: &mut Vec<u32>) -> Box<[u64]> {
    scratch.clear();
    scratch.extend(tokens(text).map(|t| word_hash(t.hash)));
    let n_tokens = scratch.len();
    let mut set = Vec::with_capacity(n_tokens.saturating_sub(k.max(1)) + 1);
    shingles_in_order(&scratch[..n_tokens], k, &mut set);
    into_set(set)
}

/// Shingle hashes in any order → the sorted, duplicate-free set that similarity is measured on.
pub fn into_set(mut shingles: Vec<u64>) -> Box<[u64]> {
    shingles.sort_unstable();
    shingles.dedup();
    shingles.into_boxed_slice()
}

/// Size of the intersection of two sorted, duplicate-free hash sets. Gallops through the larger
/// set when the sizes differ by much (a short wire story against a long roundup).
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0;
    }
    if large.len() / small.len() >= 16 {
        let mut rest = large;
        let mut n = 0;
        for x in small {
            match rest.binary_search(x) {
                Ok(i) => {
                    n += 1;
                    rest = &rest[i + 1..];
                }
                Err(i) => rest = &rest[i..],
            }
        }
        return n;
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < small.len() && j < large.len() {
        let (x, y) = (small[i], large[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    n
}

/// Exact similarity of two shingle sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Shingles in both sets.
    pub shared: usize,
    /// |A ∩ B| / |A ∪ B|.
    pub jaccard: f64,
    /// |A ∩ B| / min(|A|, |B|): how much of the smaller document is inside the larger.
    pub containment: f64,
}

/// Computes the exact [`Overlap`] of two sorted shingle sets.
pub fn overlap(a: &[u64], b: &[u64]) -> Overlap {
    let shared = intersection_size(a, b);
    let union = a.len() + b.len() - shared;
    let smaller = a.len().min(b.len());
    Overlap {
        shared,
        jaccard: if union == 0 { 0.0 } else { shared as f64 / union as f64 },
        containment: if smaller == 0 { 0.0 } else { shared as f64 / smaller as f64 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case_do_not_change_shingles() {
        let mut s = Vec::new();
        let a = shingle_set("The cat sat on the mat, today.", 3, &mut s);
        let b = shingle_set("the CAT — sat on “the” mat today", 3, &mut s);
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
    }

    #[test]
    fn short_documents_get_one_shingle() {
        let mut s = Vec::new();
        assert_eq!(shingle_set("two words", 5, &mut s).len(), 1);
        assert_eq!(shingle_set("  ...  ", 5, &mut s).len(), 0);
        assert_ne!(shingle_set("two words", 5, &mut s), shingle_set("two other", 5, &mut s));
    }

    #[test]
    fn repeated_text_is_deduplicated() {
        let mut s = Vec::new();
        let once = shingle_set("a b c d e f", 5, &mut s);
        let twice = shingle_set("a b c d e f a b c d e f", 5, &mut s);
        assert_eq!(once.len(), 2);
        // wrap-around shingles (e f a b c, ...) are new; the originals are not duplicated
        assert_eq!(twice.len(), 6);
    }

    #[test]
    fn intersection_matches_naive_for_both_strategies() {
        let a: Vec<u64> = (0..1000).map(|x| x * 3).collect();
        let b: Vec<u64> = (0..1000).map(|x| x * 5).collect();
        let naive = a.iter().filter(|x| b.contains(x)).count();
        assert_eq!(intersection_size(&a, &b), naive);
        let small: Vec<u64> = vec![0, 15, 16, 2985, 100000];
        let naive = small.iter().filter(|x| b.contains(x)).count();
        assert_eq!(intersection_size(&small, &b), naive);
        assert_eq!(intersection_size(&b, &small), naive);
    }

    #[test]
    fn overlap_scores() {
        let o = overlap(&[1, 2, 3, 4], &[3, 4, 5, 6, 7, 8]);
        assert_eq!(o.shared, 2);
        assert!((o.jaccard - 0.25).abs() < 1e-12);
        assert!((o.containment - 0.5).abs() < 1e-12);
        assert_eq!(overlap(&[], &[]).jaccard, 0.0);
    }
}
