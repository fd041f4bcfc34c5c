//! Passages: the shared spans of two documents, with character offsets into both original texts.
//!
//! For each pair of documents that share anchors, both texts are tokenized again (tokens carry
//! their character and byte spans), [`crate::align::align`] finds the aligned spans, and each span
//! becomes a [`Passage`] whose boundaries are the first and last aligned words.

use crate::align::{align, AlignParams};
use crate::anchor::Seed;
use crate::text::tokens;
use rayon::prelude::*;
use serde::Serialize;

/// A passage shared by documents A and B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// First code point in A (Unicode scalar values, as Python's `str` counts).
    pub a_start: usize,
    /// One past the last code point in A.
    pub a_end: usize,
    /// First code point in B.
    pub b_start: usize,
    /// One past the last code point in B.
    pub b_end: usize,
    /// The same spans in UTF-8 bytes, for slicing a Rust `&str`.
    #[serde(skip)]
    pub a_bytes: (usize, usize),
    /// Byte span in B.
    #[serde(skip)]
    pub b_bytes: (usize, usize),
    /// Aligned pairs of equal words.
    pub words: usize,
    /// Share of alignment columns that are equal words (1.0: a verbatim copy).
    pub score: f64,
    /// True when the passage is mostly one source's boilerplate.
    pub boilerplate: bool,
}

/// What [`find_passages`] needs besides the texts.
pub struct PassageInput<'a> {
    /// Positions of each document's boilerplate anchors, sorted (see
    /// [`crate::boilerplate::Boilerplate::positions`]).
    pub boilerplate_at: &'a [Vec<u32>],
    /// Token hashes of every document (see [`crate::fingerprint::Fingerprints::words`]).
    pub words: &'a [Box<[u32]>],
    /// Byte offset of every token (see [`crate::fingerprint::Fingerprints::word_starts`]).
    pub word_starts: &'a [Box<[u32]>],
    /// Alignment settings.
    pub params: AlignParams,
    /// Shortest passage, in matching words.
    pub min_words: usize,
    /// Keep boilerplate passages (flagged) instead of dropping them.
    pub keep_boilerplate: bool,
}

/// Words of tokens `from..to` covered by boilerplate anchors starting at `positions` (sorted),
/// each covering `k` words.
fn boilerplate_words(positions: &[u32], from: usize, to: usize, k: usize) -> usize {
    let first = positions.partition_point(|&p| (p as usize + k) <= from);
    let mut covered = 0;
    let mut reach = from;
    for &p in &positions[first..] {
        let p = p as usize;
        if p >= to {
            break;
        }
        let (start, end) = (p.max(reach), (p + k).min(to));
        covered += end.saturating_sub(start);
        reach = reach.max(end);
    }
    covered
}

/// Byte span of tokens `from..to` of `text`, given each token's starting byte.
fn byte_span(text: &str, starts: &[u32], from: usize, to: usize) -> (usize, usize) {
    let start = starts[from] as usize;
    let last = starts[to - 1] as usize;
    let end = text.get(last..).and_then(|rest| tokens(rest).next()).map_or(text.len(), |t| last + t.byte_end);
    (start, end)
}

/// Code points before byte `b` of `text`, plus the code points up to byte `e`, counting from `b`.
fn char_span(text: &str, (b, e): (usize, usize)) -> (usize, usize) {
    let start = text.get(..b).map_or(0, |t| t.chars().count());
    (start, start + text.get(b..e).map_or(0, |t| t.chars().count()))
}

fn to_passage(ta: &str, sa: &[u32], tb: &str, sb: &[u32], s: &crate::align::Span) -> Passage {
    let a_bytes = byte_span(ta, sa, s.a_start, s.a_end);
    let b_bytes = byte_span(tb, sb, s.b_start, s.b_end);
    let (a_start, a_end) = char_span(ta, a_bytes);
    let (b_start, b_end) = char_span(tb, b_bytes);
    Passage {
        a_start,
        a_end,
        b_start,
        b_end,
        a_bytes,
        b_bytes,
        words: s.matches,
        score: s.identity(),
        boilerplate: false,
    }
}

/// Aligns every pair in `seeds` (from [`crate::anchor::seed_pairs`]) and returns the pairs that
/// share at least one passage, in the order given. `on_pair` is called after each pair.
pub fn find_passages<T: AsRef<str> + Sync>(
    texts: &[T],
    seeds: &[(u32, u32, Vec<Seed>)],
    input: &PassageInput,
    on_pair: &(dyn Fn() + Sync),
) -> Vec<(u32, u32, Vec<Passage>)> {
    seeds
        .par_iter()
        .filter_map(|(a, b, seeds)| {
            let (a, b) = (*a, *b);
            let (wa, wb) = (&input.words[a as usize], &input.words[b as usize]);
            let spans = align(wa, wb, seeds, &input.params, input.min_words);
            if spans.is_empty() {
                on_pair();
                return None;
            }
            let k = input.params.anchor_k;
            let passages: Vec<Passage> = spans
                .iter()
                .map(|s| {
                    let (ta, tb) = (texts[a as usize].as_ref(), texts[b as usize].as_ref());
                    let (sa, sb) = (&input.word_starts[a as usize], &input.word_starts[b as usize]);
                    let mut p = to_passage(ta, sa, tb, sb, s);
                    // Boilerplate when its anchors cover half of the passage's words on one side.
                    let bp = |d: u32, from: usize, to: usize| {
                        2 * boilerplate_words(&input.boilerplate_at[d as usize], from, to, k) >= to - from
                    };
                    p.boilerplate = bp(a, s.a_start, s.a_end) || bp(b, s.b_start, s.b_end);
                    p
                })
                .filter(|p| input.keep_boilerplate || !p.boilerplate)
                .collect();
            on_pair();
            (!passages.is_empty()).then_some((a, b, passages))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::boilerplate_words;

    #[test]
    fn boilerplate_coverage_counts_each_word_once() {
        assert_eq!(boilerplate_words(&[], 0, 10, 5), 0);
        assert_eq!(boilerplate_words(&[0, 2, 20], 0, 10, 5), 7);
        assert_eq!(boilerplate_words(&[8], 0, 10, 5), 2);
        assert_eq!(boilerplate_words(&[0], 3, 10, 5), 2);
    }
}
