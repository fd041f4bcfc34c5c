//! Candidates for *containment*: a short article that sits mostly inside a longer one (a wire
//! story inside a roundup) has a low Jaccard similarity, so LSH on Jaccard misses it.
//!
//! Each document keeps a fixed fraction of its shingles, those whose hash falls below
//! `u64::MAX / scale` (scaled or "FracMinHash" sampling, as sourmash uses for containment). The
//! rule is the same in every document, so the shared samples of two documents are exactly the
//! samples of their shared shingles, and `shared samples / samples of the smaller` estimates
//! containment without bias. An inverted index over the samples gives the pairs; postings held by
//! more than `max_df` documents (boilerplate, stock phrases) are skipped and counted.

use ahash::AHashSet;
use rayon::prelude::*;

/// The sampled shingles of one document: those whose hash is below `u64::MAX / scale`.
pub fn sample(shingles: &[u64], scale: u64) -> Vec<u64> {
    let cut = u64::MAX / scale.max(1);
    shingles.iter().copied().filter(|&h| h <= cut).collect()
}

/// Pairs found through the sampled index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainmentCandidates {
    /// `(a, b)` with `a < b`, sorted, whose estimated containment reaches the cut.
    pub pairs: Vec<(u32, u32)>,
    /// Sampled shingles held by more than `max_df` documents, which were not expanded.
    pub skipped_postings: usize,
}

/// Finds pairs whose estimated containment is at least `min_estimate`. `samples[i]` are the
/// (sorted) sampled shingles of document `i`. `frequent_in_whole`, for part of a larger corpus
/// (an archive query), holds the samples more than `max_df` documents of the whole hold: skipped
/// as the whole's scan skips them, though fewer of the part's documents hold them.
pub fn candidate_pairs(
    samples: &[Vec<u64>],
    min_estimate: f64,
    max_df: usize,
    frequent_in_whole: Option<&AHashSet<u64>>,
) -> ContainmentCandidates {
    let mut postings: Vec<(u64, u32)> =
        samples.iter().enumerate().flat_map(|(d, s)| s.iter().map(move |&h| (h, d as u32))).collect();
    postings.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> = postings.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() > 1).collect();
    let skip = |g: &[(u64, u32)]| g.len() > max_df || frequent_in_whole.is_some_and(|f| f.contains(&g[0].0));
    let skipped_postings = groups.iter().filter(|g| skip(g)).count();
    let mut packed: Vec<u64> = groups
        .par_iter()
        .filter(|g| !skip(g))
        .flat_map_iter(|g| {
            g.iter()
                .enumerate()
                .flat_map(move |(i, x)| g[i + 1..].iter().map(move |y| ((x.1 as u64) << 32) | y.1 as u64))
        })
        .collect();
    packed.par_sort_unstable();
    let mut pairs = Vec::new();
    for run in packed.chunk_by(|x, y| x == y) {
        let (a, b) = ((run[0] >> 32) as u32, run[0] as u32);
        let smaller = samples[a as usize].len().min(samples[b as usize].len()).max(1);
        if run.len() as f64 / smaller as f64 >= min_estimate {
            pairs.push((a, b));
        }
    }
    ContainmentCandidates { pairs, skipped_postings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_is_consistent_across_documents() {
        let all: Vec<u64> = (0..10_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        let s = sample(&all, 4);
        assert!(s.len() > 2000 && s.len() < 3000, "{}", s.len());
        let part = sample(&all[..5000], 4);
        assert!(part.iter().all(|h| s.contains(h)));
    }

    #[test]
    fn contained_document_is_found_and_unrelated_is_not() {
        let long: Vec<u64> = (0..100).collect();
        let inside: Vec<u64> = (10..30).collect();
        let other: Vec<u64> = (1000..1020).collect();
        let c = candidate_pairs(&[long, inside, other], 0.5, 10, None);
        assert_eq!(c.pairs, vec![(0, 1)]);
    }

    #[test]
    fn frequent_postings_are_skipped() {
        let docs: Vec<Vec<u64>> = (0..20).map(|i| vec![1, 100 + i]).collect();
        let c = candidate_pairs(&docs, 0.4, 5, None);
        assert!(c.pairs.is_empty());
        assert_eq!(c.skipped_postings, 1);
        // Two documents of a part that share a sample the whole holds in many more.
        let part = vec![vec![1, 7], vec![1, 8]];
        assert_eq!(candidate_pairs(&part, 0.4, 5, None).pairs, vec![(0, 1)]);
        let whole_frequent: AHashSet<u64> = [1].into_iter().collect();
        assert!(candidate_pairs(&part, 0.4, 5, Some(&whole_frequent)).pairs.is_empty());
    }
}
