//! Word k-shingles hashed with xxh3, and the set operations the exact verification needs.
//!
//! A shingle is a run of `k` consecutive tokens; its hash is xxh3-64 over the little-endian bytes
//! of the `k` token hashes cut to 32 bits ("word hashes", which the aligner compares as well), so
//! it depends only on the normalised words, never on punctuation, spacing or case. Two different
//! words share a 32-bit hash with probability 2^-32 per pair of words. A document with fewer than `k` tokens (but at least one) has one shingle made
//! of all its tokens, as datasketch-based pipelines do, so very short documents still compare.

use crate::text::TokenUnit;
use xxhash_rust::xxh3::xxh3_64;

/// The 32-bit word hash of a token hash: what shingles and alignment are computed from.
#[inline]
pub fn word_hash(token_hash: u64) -> u32 {
    token_hash as u32
}

/// Hash of the shingle formed by `token_hashes` (word hashes; any length from 1 to `k`).
#[inline]
pub fn shingle_hash(token_hashes: &[u32]) -> u64 {
    match token_hashes.len() {
        5 => return xxh3_of_words::<5>(token_hashes),
        6 => return xxh3_of_words::<6>(token_hashes),
        7 => return xxh3_of_words::<7>(token_hashes),
        8 => return xxh3_of_words::<8>(token_hashes),
        _ => {}
    }
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
    // One loop per length, so the length is known inside it.
    match k {
        5 => out.extend(token_hashes.windows(5).map(xxh3_of_words::<5>)),
        6 => out.extend(token_hashes.windows(6).map(xxh3_of_words::<6>)),
        7 => out.extend(token_hashes.windows(7).map(xxh3_of_words::<7>)),
        8 => out.extend(token_hashes.windows(8).map(xxh3_of_words::<8>)),
        _ => out.extend(token_hashes.windows(k).map(shingle_hash)),
    }
}

/// xxh3-64 (seed 0, default secret) of the little-endian bytes of `K` word hashes, for `K` from
/// 5 to 8 (17 to 32 bytes), read straight from the words. Copying the words into a buffer for
/// `xxh3_64`, which picks its code by the length at run time, cost 12 ns a shingle; this is
/// xxh3's own 17-to-128-byte path with the length known (about 2 ns).
#[inline(always)]
fn xxh3_of_words<const K: usize>(w: &[u32]) -> u64 {
    const PRIME64_1: u64 = 0x9E37_79B1_85EB_CA87;
    // The first 32 bytes of xxh3's default secret, as little-endian words.
    const S: [u64; 4] = [0xbe4b_a423_396c_feb8, 0x1cad_21f7_2c81_017c, 0xdb97_9083_e96d_d4de, 0x1f67_b3b7_a4a4_4072];
    let w: &[u32; K] = w.try_into().expect("a window of K words");
    let pair = |i: usize| u64::from(w[i]) | u64::from(w[i + 1]) << 32;
    let fold = |lo: u64, hi: u64| {
        let m = u128::from(lo).wrapping_mul(u128::from(hi));
        (m as u64) ^ ((m >> 64) as u64)
    };
    // Bytes 0..16, then the last 16 bytes (from word K - 4).
    let mut acc = (4 * K as u64).wrapping_mul(PRIME64_1);
    acc = acc.wrapping_add(fold(pair(0) ^ S[0], pair(2) ^ S[1]));
    acc = acc.wrapping_add(fold(pair(K - 4) ^ S[2], pair(K - 2) ^ S[3]));
    // xxh3's avalanche.
    acc ^= acc >> 37;
    acc = acc.wrapping_mul(0x1656_6791_9E37_79F9);
    acc ^ (acc >> 32)
}

/// The set of distinct shingle hashes of `text`, sorted ascending: what Jaccard and containment
/// are computed on. `scratch` is reused between calls to avoid allocation.
pub fn shingle_set(text: &str, k: usize, scratch: &mut Vec<u32>) -> Box<[u64]> {
    shingle_set_of(TokenUnit::Words, text, k, scratch)
}

/// [`shingle_set`] over the tokens `unit` names (words, or letters for OCR text).
pub fn shingle_set_of(unit: TokenUnit, text: &str, k: usize, scratch: &mut Vec<u32>) -> Box<[u64]> {
    scratch.clear();
    unit.hashes(text, scratch);
    shingle_set_of_words(scratch, k)
}

/// The set of distinct shingle hashes of a text whose word hashes ([`word_hash`] of each token)
/// are `words`: the same as [`shingle_set`] of that text, without tokenizing it again.
pub fn shingle_set_of_words(words: &[u32], k: usize) -> Box<[u64]> {
    let mut set = Vec::with_capacity(words.len().saturating_sub(k.max(1)) + 1);
    shingles_in_order(words, k, &mut set);
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
    Overlap::of_counts(intersection_size(a, b), a.len(), b.len())
}

impl Overlap {
    /// The overlap of two sets of `a_len` and `b_len` shingles sharing `shared`.
    pub fn of_counts(shared: usize, a_len: usize, b_len: usize) -> Overlap {
        let union = a_len + b_len - shared;
        let smaller = a_len.min(b_len);
        Overlap {
            shared,
            jaccard: if union == 0 { 0.0 } else { shared as f64 / union as f64 },
            containment: if smaller == 0 { 0.0 } else { shared as f64 / smaller as f64 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_read_from_the_words_equal_xxh3_of_their_bytes() {
        let mut next = crate::test_rng::lcg_states(11);
        let words: Vec<u32> =
            (0..400).map(|_| (next() >> 29) as u32).chain([0, u32::MAX, 0, u32::MAX, 1, 0, 0, 0, 0]).collect();
        for k in 1..=10 {
            let mut fast = Vec::new();
            shingles_in_order(&words, k, &mut fast);
            let slow: Vec<u64> = words
                .windows(k)
                .map(|w| xxh3_64(&w.iter().flat_map(|h| h.to_le_bytes()).collect::<Vec<u8>>()))
                .collect();
            assert_eq!(fast, slow, "k = {k}");
            assert_eq!(fast[0], shingle_hash(&words[..k]), "k = {k}");
        }
    }

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
