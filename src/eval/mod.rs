//! Scoring found results against truth: pairs (precision, recall, F1, recall by Jaccard band),
//! clusters (adjusted Rand index), passages (PAN's character-level measures: macro precision and
//! recall over both documents, granularity, plagdet; Potthast et al., COLING 2010).
//!
//! Pure computation over parsed records; `reprint eval` reads the files.

pub mod quotes;
pub mod truth;

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

/// An unordered document pair.
pub type PairKey = (String, String);

/// The key of `a` and `b` in either order.
pub fn pair_key(a: &str, b: &str) -> PairKey {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// A pair in the truth: related, and whether it counts as a positive (e.g. Jaccard ≥ threshold).
#[derive(Debug, Clone, PartialEq)]
pub struct TruthPair {
    /// The two documents.
    pub key: PairKey,
    /// Exact Jaccard, when the truth gives it.
    pub jaccard: Option<f64>,
    /// Whether a detector should report this pair.
    pub positive: bool,
}

/// Pair-level scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairScores {
    /// Pairs found.
    pub found: usize,
    /// Truth pairs that should be found.
    pub positives: usize,
    /// Found pairs that are in the truth at all (planted or labelled related).
    pub correct: usize,
    /// Positive truth pairs found.
    pub recalled: usize,
    /// correct / found (0 when nothing was found).
    pub precision: f64,
    /// recalled / positives (0 when there are no positives).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Recall of positives by Jaccard band `[lo, lo + 0.1)`: `(lo, positives, recalled)`.
    pub recall_by_jaccard: Vec<(f64, usize, usize)>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Scores `found` pairs against `truth`.
pub fn score_pairs(truth: &[TruthPair], found: &AHashSet<PairKey>) -> PairScores {
    let related: AHashSet<&PairKey> = truth.iter().map(|t| &t.key).collect();
    let positives: Vec<&TruthPair> = truth.iter().filter(|t| t.positive).collect();
    let recalled = positives.iter().filter(|t| found.contains(&t.key)).count();
    let correct = found.iter().filter(|k| related.contains(k)).count();
    let mut bands: Vec<(f64, usize, usize)> = Vec::new();
    for lo in (0..10).map(|i| i as f64 / 10.0) {
        let in_band: Vec<&&TruthPair> =
            positives.iter().filter(|t| t.jaccard.is_some_and(|j| j >= lo && (j < lo + 0.1 || lo >= 0.9))).collect();
        if !in_band.is_empty() {
            bands.push((lo, in_band.len(), in_band.iter().filter(|t| found.contains(&t.key)).count()));
        }
    }
    let (precision, recall) = (ratio(correct, found.len()), ratio(recalled, positives.len()));
    PairScores {
        found: found.len(),
        positives: positives.len(),
        correct,
        recalled,
        precision,
        recall,
        f1: f1(precision, recall),
        recall_by_jaccard: bands,
    }
}

/// Adjusted Rand index (Hubert & Arabie) of two clusterings of the same documents. Clusters are
/// lists of ids; documents in neither are singletons in both and are left out, so `n` is the
/// number of documents in some cluster of either side. 1.0 for identical clusterings (and when
/// both are empty).
pub fn adjusted_rand_index(truth: &[Vec<String>], found: &[Vec<String>]) -> f64 {
    let label = |clusters: &[Vec<String>]| -> AHashMap<String, usize> {
        clusters.iter().enumerate().flat_map(|(i, c)| c.iter().map(move |d| (d.clone(), i))).collect()
    };
    let (lt, lf) = (label(truth), label(found));
    let docs: AHashSet<&String> = lt.keys().chain(lf.keys()).collect();
    let n = docs.len();
    if n < 2 {
        return 1.0;
    }
    // Singletons get labels past the real clusters.
    let mut cells: AHashMap<(usize, usize), u64> = AHashMap::new();
    let (mut rows, mut cols): (AHashMap<usize, u64>, AHashMap<usize, u64>) = (AHashMap::new(), AHashMap::new());
    for (i, d) in docs.iter().enumerate() {
        let t = lt.get(*d).copied().unwrap_or(truth.len() + i);
        let f = lf.get(*d).copied().unwrap_or(found.len() + i);
        *cells.entry((t, f)).or_default() += 1;
        *rows.entry(t).or_default() += 1;
        *cols.entry(f).or_default() += 1;
    }
    let c2 = |x: u64| (x * x.saturating_sub(1)) as f64 / 2.0;
    let index: f64 = cells.values().map(|&x| c2(x)).sum();
    let (a, b): (f64, f64) = (rows.values().map(|&x| c2(x)).sum(), cols.values().map(|&x| c2(x)).sum());
    let expected = a * b / c2(n as u64);
    let max = (a + b) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return if (index - expected).abs() < 1e-12 { 1.0 } else { 0.0 };
    }
    (index - expected) / (max - expected)
}

/// A passage on both sides: document id → character span `[start, end)`.
pub type Spans = Vec<(String, usize, usize)>;

/// PAN's passage-level scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PassageScores {
    /// Truth cases.
    pub cases: usize,
    /// Detections.
    pub detections: usize,
    /// Macro recall over cases, in characters of both documents.
    pub recall: f64,
    /// Macro precision over detections.
    pub precision: f64,
    /// Detections per detected case (1.0 when none is detected).
    pub granularity: f64,
    /// F1 / log2(1 + granularity).
    pub plagdet: f64,
}

/// Characters of `x` (summed over its documents) covered by the union of `ys`.
fn covered(x: &Spans, ys: &[&Spans]) -> usize {
    x.iter()
        .map(|(doc, s, e)| {
            let mut parts: Vec<(usize, usize)> = ys
                .iter()
                .flat_map(|y| y.iter())
                .filter(|(d, ys, ye)| d == doc && ys < e && s < ye)
                .map(|(_, ys, ye)| ((*ys).max(*s), (*ye).min(*e)))
                .collect();
            parts.sort_unstable();
            let (mut total, mut reach) = (0, *s);
            for (a, b) in parts {
                let a = a.max(reach);
                if b > a {
                    total += b - a;
                    reach = b;
                }
            }
            total
        })
        .sum()
}

fn size(x: &Spans) -> usize {
    x.iter().map(|(_, s, e)| e.saturating_sub(*s)).sum()
}

/// `r` detects `s` when they overlap in every document of `s`.
fn detects(r: &Spans, s: &Spans) -> bool {
    s.iter().all(|(d, ss, se)| r.iter().any(|(rd, rs, re)| rd == d && rs < se && ss < re))
}

/// For every passage in `xs` (pairs visited in sorted order, so sums are reproducible): the share
/// of it covered by the passages of the same pair in `ys` that `hit` it, summed, and how many
/// passages hit each one.
fn macro_cover(
    xs: &AHashMap<PairKey, Vec<Spans>>,
    ys: &AHashMap<PairKey, Vec<Spans>>,
    hit: impl Fn(&Spans, &Spans) -> bool,
) -> (f64, Vec<usize>) {
    let none: Vec<Spans> = Vec::new();
    let mut keys: Vec<&PairKey> = xs.keys().collect();
    keys.sort();
    let (mut sum, mut hits_per_x) = (0.0, Vec::new());
    for k in keys {
        let others = ys.get(k).unwrap_or(&none);
        for x in &xs[k] {
            let hits: Vec<&Spans> = others.iter().filter(|y| hit(x, y)).collect();
            if size(x) > 0 {
                sum += covered(x, &hits) as f64 / size(x) as f64;
            }
            hits_per_x.push(hits.len());
        }
    }
    (sum, hits_per_x)
}

/// Scores `detections` against `cases` (both grouped by document pair) with PAN's measures.
pub fn score_passages(
    cases: &AHashMap<PairKey, Vec<Spans>>,
    detections: &AHashMap<PairKey, Vec<Spans>>,
) -> PassageScores {
    let (rec, per_case) = macro_cover(cases, detections, |s, r| detects(r, s));
    let (prec, per_detection) = macro_cover(detections, cases, detects);
    let detected: Vec<usize> = per_case.iter().copied().filter(|&n| n > 0).collect();
    let recall = if per_case.is_empty() { 0.0 } else { rec / per_case.len() as f64 };
    let precision = if per_detection.is_empty() { 0.0 } else { prec / per_detection.len() as f64 };
    let granularity =
        if detected.is_empty() { 1.0 } else { detected.iter().sum::<usize>() as f64 / detected.len() as f64 };
    PassageScores {
        cases: per_case.len(),
        detections: per_detection.len(),
        recall,
        precision,
        granularity,
        plagdet: f1(precision, recall) / (1.0 + granularity).log2(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> AHashSet<PairKey> {
        pairs.iter().map(|(a, b)| pair_key(a, b)).collect()
    }

    #[test]
    fn pair_scores_by_hand() {
        let truth = vec![
            TruthPair { key: pair_key("a", "b"), jaccard: Some(0.9), positive: true },
            TruthPair { key: pair_key("c", "d"), jaccard: Some(0.55), positive: true },
            TruthPair { key: pair_key("e", "f"), jaccard: Some(0.3), positive: false },
        ];
        // Found: a-b (right), f-e (related though below threshold: correct), x-y (wrong).
        let s = score_pairs(&truth, &found(&[("b", "a"), ("f", "e"), ("x", "y")]));
        assert_eq!((s.found, s.positives, s.correct, s.recalled), (3, 2, 2, 1));
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.recall - 0.5).abs() < 1e-12);
        assert!((s.f1 - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(s.recall_by_jaccard, vec![(0.5, 1, 0), (0.9, 1, 1)]);
    }

    #[test]
    fn empty_inputs_give_zeros_not_nan() {
        let s = score_pairs(&[], &AHashSet::new());
        assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
        let p = score_passages(&AHashMap::new(), &AHashMap::new());
        assert_eq!((p.recall, p.precision, p.granularity, p.plagdet), (0.0, 0.0, 1.0, 0.0));
    }

    #[test]
    fn ari_by_hand() {
        let c =
            |v: &[&[&str]]| v.iter().map(|c| c.iter().map(|s| s.to_string()).collect()).collect::<Vec<Vec<String>>>();
        assert_eq!(adjusted_rand_index(&c(&[&["a", "b"], &["c", "d"]]), &c(&[&["c", "d"], &["b", "a"]])), 1.0);
        // Truth {a,b},{c,d}; found {a,b,c},{d}: contingency [[2,0],[1,1]]; index = 1;
        // rows 1+1 = 2, cols 3+0 = 3; expected = 2*3/6 = 1; max = 2.5 -> ARI = 0.
        assert!(adjusted_rand_index(&c(&[&["a", "b"], &["c", "d"]]), &c(&[&["a", "b", "c"]])).abs() < 1e-12);
        assert_eq!(adjusted_rand_index(&[], &[]), 1.0);
    }

    #[test]
    fn pan_measures_by_hand() {
        let k = pair_key("s", "r");
        let case: Spans = vec![("s".into(), 0, 10), ("r".into(), 100, 110)];
        let half: Spans = vec![("s".into(), 0, 5), ("r".into(), 100, 105)];
        let other_half: Spans = vec![("s".into(), 5, 10), ("r".into(), 105, 110)];
        let cases: AHashMap<PairKey, Vec<Spans>> = [(k.clone(), vec![case.clone()])].into_iter().collect();
        // One detection covering half of the case on both sides: recall 0.5, precision 1.
        let d1: AHashMap<PairKey, Vec<Spans>> = [(k.clone(), vec![half.clone()])].into_iter().collect();
        let s = score_passages(&cases, &d1);
        assert_eq!((s.recall, s.precision, s.granularity), (0.5, 1.0, 1.0));
        assert!((s.plagdet - 2.0 / 3.0).abs() < 1e-12);
        // Two halves: recall 1, precision 1, granularity 2: plagdet = 1 / log2(3).
        let d2: AHashMap<PairKey, Vec<Spans>> = [(k, vec![half, other_half])].into_iter().collect();
        let s = score_passages(&cases, &d2);
        assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 2.0));
        assert!((s.plagdet - 1.0 / 3f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn overlapping_truth_passages_are_counted_once() {
        let k = pair_key("s", "r");
        let a: Spans = vec![("s".into(), 0, 10), ("r".into(), 0, 10)];
        let b: Spans = vec![("s".into(), 5, 15), ("r".into(), 5, 15)];
        let det: Spans = vec![("s".into(), 0, 15), ("r".into(), 0, 15)];
        let cases: AHashMap<PairKey, Vec<Spans>> = [(k.clone(), vec![a, b])].into_iter().collect();
        let dets: AHashMap<PairKey, Vec<Spans>> = [(k, vec![det])].into_iter().collect();
        let s = score_passages(&cases, &dets);
        assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 1.0));
    }
}
