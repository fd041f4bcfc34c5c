//! Scoring quote clusters against planted truth: are the occurrences found, are they grouped as
//! the truth groups them, and is the speaker right.

use ahash::AHashMap;
use serde::Serialize;

pub use crate::quote::names::same_person;

/// One occurrence of a quote: where it is and which quote (cluster) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteOccurrence {
    /// Document id.
    pub doc: String,
    /// Code-point span `[start, end)`.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// Cluster label: occurrences with the same label are one quote.
    pub quote: String,
    /// The speaker named, if any.
    pub speaker: Option<String>,
    /// Whether it stands between quotation marks (truth; found occurrences say `true` when the
    /// output does not tell).
    pub quoted: bool,
    /// Words changed from the quote's first printing (truth; 0 for found occurrences).
    pub edits: usize,
    /// Whether it is its quote's first appearance: in the truth, the first occurrence listed;
    /// in the results, the occurrence the cluster names as first seen.
    pub first: bool,
}

/// Occurrence recall for one way of printing a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormRecall {
    /// Between quotation marks or not.
    pub quoted: bool,
    /// Words changed from the first printing.
    pub edits: usize,
    /// Truth occurrences printed so.
    pub truth: usize,
    /// Of those, found.
    pub found: usize,
}

/// Quote scores. Pairwise cluster precision and recall: over pairs of truth occurrences, found
/// in the same cluster (precision: of the pairs found together, the share that is together in the
/// truth; recall: of the pairs together in the truth, the share found together).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteScores {
    /// Truth occurrences.
    pub truth_occurrences: usize,
    /// Truth occurrences overlapped by a found occurrence in the same document.
    pub found_occurrences: usize,
    /// `found_occurrences / truth_occurrences` (0 when the truth has none).
    pub occurrence_recall: f64,
    /// Pairwise cluster precision (0 when no two truth occurrences were found together).
    pub cluster_precision: f64,
    /// Pairwise cluster recall (0 when no truth quote occurs twice).
    pub cluster_recall: f64,
    /// Harmonic mean of the two.
    pub cluster_f1: f64,
    /// Found occurrences that name a speaker.
    pub speakers_named: usize,
    /// Of those, the share naming the truth's speaker (the surname alone counts).
    pub speaker_precision: f64,
    /// Found occurrences naming the right speaker, as a share of the found truth occurrences.
    pub speaker_recall: f64,
    /// Truth quotes of which some occurrence was found (so reported).
    pub quotes_reported: usize,
    /// Of those, the quotes whose first appearance the results name: the truth's first
    /// occurrence is found and is its cluster's first seen.
    pub first_right: usize,
    /// `first_right / quotes_reported`.
    pub first_appearance: f64,
    /// Occurrence recall by way of printing (quoted or not, words changed).
    pub by_form: Vec<FormRecall>,
}

fn pairs(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores `found` occurrences against `truth` occurrences.
pub fn score_quotes(truth: &[QuoteOccurrence], found: &[QuoteOccurrence]) -> QuoteScores {
    let mut by_doc: AHashMap<&str, Vec<&QuoteOccurrence>> = AHashMap::new();
    for f in found {
        by_doc.entry(f.doc.as_str()).or_default().push(f);
    }
    // Each truth occurrence's best match: the found occurrence overlapping it most.
    let matched: Vec<Option<&QuoteOccurrence>> = truth
        .iter()
        .map(|t| {
            by_doc
                .get(t.doc.as_str())
                .into_iter()
                .flatten()
                .filter(|f| f.start < t.end && t.start < f.end)
                .max_by_key(|f| {
                    (f.end.min(t.end) - f.start.max(t.start), std::cmp::Reverse((f.start, f.quote.clone())))
                })
                .copied()
        })
        .collect();
    let mut per_truth: AHashMap<&str, usize> = AHashMap::new();
    let mut per_found: AHashMap<&str, usize> = AHashMap::new();
    let mut per_cell: AHashMap<(&str, &str), usize> = AHashMap::new();
    let (mut hits, mut named, mut right) = (0, 0, 0);
    for (t, m) in truth.iter().zip(&matched) {
        *per_truth.entry(t.quote.as_str()).or_default() += 1;
        let Some(f) = m else { continue };
        hits += 1;
        *per_found.entry(f.quote.as_str()).or_default() += 1;
        *per_cell.entry((t.quote.as_str(), f.quote.as_str())).or_default() += 1;
        if let Some(s) = &f.speaker {
            named += 1;
            if t.speaker.as_deref().is_some_and(|ts| same_person(s, ts)) {
                right += 1;
            }
        }
    }
    let mut reported: AHashMap<&str, bool> = AHashMap::new();
    let mut forms: std::collections::BTreeMap<(bool, usize), (usize, usize)> = Default::default();
    for (t, m) in truth.iter().zip(&matched) {
        let cell = forms.entry((t.quoted, t.edits)).or_default();
        cell.0 += 1;
        cell.1 += usize::from(m.is_some());
        if m.is_some() {
            reported.entry(t.quote.as_str()).or_insert(false);
        }
    }
    for (t, m) in truth.iter().zip(&matched) {
        if t.first && m.is_some_and(|f| f.first) {
            if let Some(r) = reported.get_mut(t.quote.as_str()) {
                *r = true;
            }
        }
    }
    let first_right = reported.values().filter(|&&r| r).count();
    let together: u64 = per_cell.values().map(|&n| pairs(n)).sum();
    let precision = ratio(together, per_found.values().map(|&n| pairs(n)).sum());
    let recall = ratio(together, per_truth.values().map(|&n| pairs(n)).sum());
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    QuoteScores {
        truth_occurrences: truth.len(),
        found_occurrences: hits,
        occurrence_recall: ratio(hits as u64, truth.len() as u64),
        cluster_precision: precision,
        cluster_recall: recall,
        cluster_f1: f1,
        speakers_named: named,
        speaker_precision: ratio(right, named as u64),
        speaker_recall: ratio(right, hits as u64),
        quotes_reported: reported.len(),
        first_right,
        first_appearance: ratio(first_right as u64, reported.len() as u64),
        by_form: forms
            .into_iter()
            .map(|((quoted, edits), (truth, found))| FormRecall { quoted, edits, truth, found })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(doc: &str, start: usize, end: usize, quote: &str, speaker: Option<&str>) -> QuoteOccurrence {
        QuoteOccurrence {
            doc: doc.into(),
            start,
            end,
            quote: quote.into(),
            speaker: speaker.map(str::to_string),
            quoted: true,
            edits: 0,
            first: false,
        }
    }

    #[test]
    fn first_appearance_and_forms() {
        let first = |mut o: QuoteOccurrence| {
            o.first = true;
            o
        };
        let unmarked = |mut o: QuoteOccurrence, edits| {
            o.quoted = false;
            o.edits = edits;
            o
        };
        // Truth: A first in d1, then d2 (unmarked, 2 words changed); B first in d3, then d4;
        // C first in d5, never found.
        let truth = [
            first(occ("d1", 0, 10, "A", None)),
            unmarked(occ("d2", 0, 10, "A", None), 2),
            first(occ("d3", 0, 10, "B", None)),
            occ("d4", 0, 10, "B", None),
            first(occ("d5", 0, 10, "C", None)),
        ];
        // Found: A's cluster names d1 first (right); B's names an unrelated d0 first (wrong).
        let found = [
            first(occ("d1", 0, 10, "1", None)),
            occ("d2", 2, 8, "1", None),
            first(occ("d0", 0, 10, "2", None)),
            occ("d3", 0, 10, "2", None),
            occ("d4", 0, 10, "2", None),
        ];
        let s = score_quotes(&truth, &found);
        assert_eq!((s.quotes_reported, s.first_right), (2, 1));
        assert!((s.first_appearance - 0.5).abs() < 1e-12);
        let form = |quoted, edits| s.by_form.iter().find(|f| f.quoted == quoted && f.edits == edits).cloned();
        assert_eq!(form(false, 2), Some(FormRecall { quoted: false, edits: 2, truth: 1, found: 1 }));
        assert_eq!(form(true, 0), Some(FormRecall { quoted: true, edits: 0, truth: 4, found: 3 }));
    }

    #[test]
    fn hand_computed_example() {
        // Truth: quote A in d1, d2, d3; quote B in d4, d5.
        let truth = [
            occ("d1", 10, 50, "A", Some("Kenji Silva")),
            occ("d2", 0, 40, "A", Some("Kenji Silva")),
            occ("d3", 5, 45, "A", Some("Kenji Silva")),
            occ("d4", 0, 30, "B", Some("Ana Kim")),
            occ("d5", 0, 30, "B", Some("Ana Kim")),
        ];
        // Found: d1, d2 together (1), d3 with d4 (2: wrongly joined), d5 missed.
        let found = [
            occ("d1", 12, 50, "1", Some("Silva")),
            occ("d2", 0, 40, "1", Some("Kenji Silva")),
            occ("d3", 5, 45, "2", None),
            occ("d4", 0, 30, "2", Some("Kenji Silva")),
            occ("d9", 0, 30, "3", None),
        ];
        let s = score_quotes(&truth, &found);
        assert_eq!((s.truth_occurrences, s.found_occurrences), (5, 4));
        assert!((s.occurrence_recall - 0.8).abs() < 1e-12);
        // Found together: (d1,d2) right, (d3,d4) wrong → precision 1/2.
        assert!((s.cluster_precision - 0.5).abs() < 1e-12);
        // Together in the truth: 3 pairs of A + 1 of B = 4; found together: 1 → recall 1/4.
        assert!((s.cluster_recall - 0.25).abs() < 1e-12);
        // Speakers: 3 named, 2 right (Silva, Kenji Silva), d4 wrong.
        assert_eq!(s.speakers_named, 3);
        assert!((s.speaker_precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.speaker_recall - 0.5).abs() < 1e-12);
    }

    #[test]
    fn empty_inputs_give_zeros() {
        let s = score_quotes(&[], &[]);
        assert_eq!(s, QuoteScores::default());
        assert_eq!(s.first_appearance, 0.0);
        let s = score_quotes(&[occ("d1", 0, 5, "A", None)], &[]);
        assert_eq!((s.occurrence_recall, s.cluster_recall), (0.0, 0.0));
    }
}
