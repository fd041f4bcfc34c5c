//! LSH banding: which documents become candidate near-duplicate pairs.
//!
//! A signature of `bands × rows` values is cut into `bands` bands of `rows` values; two documents
//! whose signatures agree on a whole band land in the same bucket. For Jaccard `s` that happens
//! with probability `1 - (1 - s^rows)^bands`, an S-curve whose step sits near the threshold.
//! [`LshParams::optimal`] picks `bands` and `rows` the way datasketch does: minimise the weighted
//! false-positive area below the threshold plus the false-negative area above it. Unlike
//! datasketch we verify every candidate with exact Jaccard, so a false positive costs a few
//! microseconds and a false negative is a lost pair: the default weights favour recall (see
//! [`crate::config::ScanConfig::lsh_fn_weight`]).
//!
//! A bucket holding thousands of documents (templated pages, one story syndicated everywhere)
//! would expand into millions of pairs. Buckets above a size cap are returned whole as
//! [`OversizedBucket`]s instead, for the caller to cluster through a representative.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// How a signature is cut into bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const STEPS: usize = 200;
    let h = (b - a) / STEPS as f64;
    (0..STEPS).map(|i| f(a + (i as f64 + 0.5) * h)).sum::<f64>() * h
}

impl LshParams {
    /// Probability that two documents of Jaccard `s` share at least one bucket.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The `bands × rows ≤ perms` minimising `fp_weight · ∫₀ᵗ P(s) ds + fn_weight · ∫ₜ¹ (1 - P(s)) ds`.
    pub fn optimal(threshold: f64, perms: usize, fp_weight: f64, fn_weight: f64) -> Self {
        let t = threshold.clamp(0.0, 1.0);
        let mut best = (f64::INFINITY, LshParams { bands: 1, rows: perms.max(1) });
        for bands in 1..=perms.max(1) {
            for rows in 1..=perms / bands {
                let p = LshParams { bands, rows };
                let fp = integrate(|s| p.probability(s), 0.0, t);
                let fneg = integrate(|s| 1.0 - p.probability(s), t, 1.0);
                let err = fp_weight * fp + fn_weight * fneg;
                if err < best.0 - 1e-12 {
                    best = (err, p);
                }
            }
        }
        best.1
    }
}

/// The bucket key of every band of `signature` (`perms` values) under `params`, in band order:
/// what [`candidate_pairs`] groups documents by.
pub fn band_keys(signature: &[u32], perms: usize, params: LshParams) -> impl Iterator<Item = u64> + '_ {
    let bands = params.bands.min(perms / params.rows.max(1));
    let rows = params.rows;
    (0..bands).map(move |band| band_key(&signature[band * rows..band * rows + rows], band))
}

/// Bucket key of one band of a signature: xxh3 of its values, seeded with the band number.
fn band_key(row: &[u32], band: usize) -> u64 {
    let mut buf = [0u8; 256];
    if row.len() * 4 <= buf.len() {
        for (i, v) in row.iter().enumerate() {
            buf[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        xxh3_64_with_seed(&buf[..row.len() * 4], band as u64)
    } else {
        let bytes: Vec<u8> = row.iter().flat_map(|v| v.to_le_bytes()).collect();
        xxh3_64_with_seed(&bytes, band as u64)
    }
}

/// A bucket too large to expand into pairs: `members` are document indices, ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversizedBucket {
    /// The band that produced the bucket (the first, when several bands give the same members).
    pub band: usize,
    /// Document indices in the bucket, ascending.
    pub members: Vec<u32>,
}

/// Result of banding: candidate pairs plus the buckets that were too large to expand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidates {
    /// Distinct document pairs `(a, b)` with `a < b`, sorted.
    pub pairs: Vec<(u32, u32)>,
    /// Buckets larger than the cap, deduplicated, sorted by their first member.
    pub oversized: Vec<OversizedBucket>,
}

/// Groups documents by band keys. `signatures` holds `n` signatures of `perms` values back to
/// back; `skip[i]` excludes document `i` (empty documents). Buckets with more than `max_bucket`
/// members, or whose keys are in `oversized_in_whole` (a part of a corpus whose whole has more
/// members in them), are returned in [`Candidates::oversized`] instead of being expanded.
pub fn candidate_pairs(
    signatures: &[u32],
    perms: usize,
    params: LshParams,
    max_bucket: usize,
    oversized_in_whole: Option<&ahash::AHashSet<u64>>,
    skip: &[bool],
) -> Candidates {
    let oversized_key =
        |key: u64, members: usize| members > max_bucket || oversized_in_whole.is_some_and(|whole| whole.contains(&key));
    let n = signatures.len().checked_div(perms).unwrap_or(0);
    let bands = params.bands.min(perms / params.rows.max(1));
    let rows = params.rows;
    let row = |d: u32, band: usize| {
        let lo = d as usize * perms + band * rows;
        &signatures[lo..lo + rows]
    };
    // Each band's (bucket key, document), sorted by key.
    let sorted_keys = |band: usize| {
        // Sized up front (the filter hides the length from `collect`, which would grow it by doubling).
        let mut keys: Vec<(u64, u32)> = Vec::with_capacity(n);
        keys.extend(
            (0..n as u32)
                .filter(|&d| !skip.get(d as usize).copied().unwrap_or(false))
                .map(|d| (band_key(row(d, band), band), d)),
        );
        keys.sort_unstable();
        keys
    };
    // A pair is emitted by the first band that puts it in a bucket small enough to expand, not by
    // every band that does: two copies of one text share every band, and the copies of a pair
    // from 26 bands were most of the memory of this stage (a million one-word documents: 10.6
    // million pairs). So first the buckets too large to expand, band by band (each band's keys
    // are made and sorted again below rather than held: bands x documents keys at once).
    let oversized_keys: Vec<ahash::AHashSet<u64>> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let keys = sorted_keys(band);
            keys.chunk_by(|x, y| x.0 == y.0).filter(|g| oversized_key(g[0].0, g.len())).map(|g| g[0].0).collect()
        })
        .collect();
    // Whether an earlier band than `band` expands the pair: equal rows there (so one bucket) that
    // is not too large.
    let expanded_before = |x: u32, y: u32, band: usize| {
        (0..band).any(|j| {
            let rx = row(x, j);
            rx == row(y, j) && (oversized_keys[j].is_empty() || !oversized_keys[j].contains(&band_key(rx, j)))
        })
    };
    let per_band: Vec<(Vec<u64>, Vec<OversizedBucket>)> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let keys = sorted_keys(band);
            let mut pairs = Vec::new();
            let mut oversized = Vec::new();
            for group in keys.chunk_by(|x, y| x.0 == y.0) {
                if group.len() < 2 {
                    continue;
                }
                if oversized_key(group[0].0, group.len()) {
                    oversized.push(OversizedBucket { band, members: group.iter().map(|g| g.1).collect() });
                    continue;
                }
                for (i, x) in group.iter().enumerate() {
                    for y in &group[i + 1..] {
                        if !expanded_before(x.1, y.1, band) {
                            pairs.push(((x.1 as u64) << 32) | y.1 as u64);
                        }
                    }
                }
            }
            (pairs, oversized)
        })
        .collect();
    let mut packed: Vec<u64> = Vec::with_capacity(per_band.iter().map(|p| p.0.len()).sum());
    let mut oversized = Vec::new();
    for (p, o) in per_band {
        packed.extend(p);
        oversized.extend(o);
    }
    packed.par_sort_unstable();
    packed.dedup();
    oversized.sort_by(|a, b| a.members.cmp(&b.members).then(a.band.cmp(&b.band)));
    oversized.dedup_by(|a, b| a.members == b.members);
    oversized.sort_by_key(|b| b.members[0]);
    Candidates { pairs: packed.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect(), oversized }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every band's pairs, then deduplicated: what [`candidate_pairs`] must equal.
    fn all_bands(signatures: &[u32], perms: usize, params: LshParams, max_bucket: usize) -> Vec<(u32, u32)> {
        let n = signatures.len() / perms;
        let mut pairs = Vec::new();
        for band in 0..params.bands {
            let mut keys: Vec<(u64, u32)> = (0..n)
                .map(|d| {
                    let lo = d * perms + band * params.rows;
                    (band_key(&signatures[lo..lo + params.rows], band), d as u32)
                })
                .collect();
            keys.sort_unstable();
            for g in keys.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() > 1 && g.len() <= max_bucket) {
                for (i, x) in g.iter().enumerate() {
                    pairs.extend(g[i + 1..].iter().map(|y| (x.1, y.1)));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    #[test]
    fn each_pair_comes_once_from_its_first_expanded_band_and_none_is_lost() {
        let mut next = crate::test_rng::lcg(5);
        let (perms, params) = (12, LshParams { bands: 4, rows: 3 });
        for trial in 0..200 {
            // Few values, so rows collide by chance; some documents copy another's rows in some
            // bands, some are copied whole, making buckets too large for a small `max_bucket`.
            let n = 5 + next(40) as usize;
            let mut sig: Vec<u32> = (0..n * perms).map(|_| next(3) as u32).collect();
            for d in 1..n {
                if next(3) == 0 {
                    let from = next(d as u64) as usize;
                    for v in 0..perms {
                        if next(2) == 0 || trial % 2 == 0 {
                            sig[d * perms + v] = sig[from * perms + v];
                        }
                    }
                }
            }
            let max_bucket = 2 + next(6) as usize;
            let got = candidate_pairs(&sig, perms, params, max_bucket, None, &[]);
            assert_eq!(got.pairs, all_bands(&sig, perms, params, max_bucket), "trial {trial}");
        }
    }

    #[test]
    fn equal_weights_reproduce_datasketch() {
        // datasketch's MinHashLSH(threshold=0.5, num_perm=128) uses 25 bands of 5 rows.
        assert_eq!(LshParams::optimal(0.5, 128, 0.5, 0.5), LshParams { bands: 25, rows: 5 });
    }

    #[test]
    fn recall_weighted_params_catch_pairs_at_the_threshold() {
        let p = LshParams::optimal(0.5, 128, 0.05, 0.95);
        assert!(p.bands * p.rows <= 128);
        assert!(p.probability(0.5) > 0.95, "{p:?} gives {}", p.probability(0.5));
        assert!(p.probability(0.1) < 0.1);
    }

    #[test]
    fn identical_signatures_become_a_pair_and_different_ones_do_not() {
        let perms = 8;
        let mut sigs = vec![1u32; perms]; // doc 0
        sigs.extend(vec![1u32; perms]); // doc 1 == doc 0
        sigs.extend((0..perms as u32).map(|v| v + 100)); // doc 2
        let c = candidate_pairs(&sigs, perms, LshParams { bands: 4, rows: 2 }, 100, None, &[false; 3]);
        assert_eq!(c.pairs, vec![(0, 1)]);
        assert!(c.oversized.is_empty());
    }

    #[test]
    fn large_buckets_are_not_expanded() {
        let perms = 4;
        let n = 50;
        let sigs = vec![7u32; perms * n];
        let c = candidate_pairs(&sigs, perms, LshParams { bands: 2, rows: 2 }, 10, None, &vec![false; n]);
        assert!(c.pairs.is_empty());
        assert_eq!(c.oversized.len(), 1, "both bands give the same members: reported once");
        assert_eq!(c.oversized[0].members.len(), n);
    }

    #[test]
    fn a_bucket_oversized_in_the_whole_is_not_expanded_in_a_part() {
        // Three documents alike in band 0 (rows 7, 7) only: a bucket of three, which a part
        // expands unless told the whole's bucket is larger than the cap.
        let perms = 4;
        let sigs: Vec<u32> = (0..3).flat_map(|d| [7, 7, d, d]).collect();
        let params = LshParams { bands: 2, rows: 2 };
        assert_eq!(candidate_pairs(&sigs, perms, params, 10, None, &[]).pairs, vec![(0, 1), (0, 2), (1, 2)]);
        let whole: ahash::AHashSet<u64> = band_keys(&sigs[..perms], perms, params).take(1).collect();
        let c = candidate_pairs(&sigs, perms, params, 10, Some(&whole), &[]);
        assert!(c.pairs.is_empty());
        assert_eq!(c.oversized.len(), 1);
        assert_eq!(c.oversized[0].members, vec![0, 1, 2]);
    }

    #[test]
    fn skipped_documents_never_pair() {
        let perms = 4;
        let sigs = vec![7u32; perms * 3];
        let c = candidate_pairs(&sigs, perms, LshParams { bands: 2, rows: 2 }, 10, None, &[false, true, false]);
        assert_eq!(c.pairs, vec![(0, 2)]);
    }
}
