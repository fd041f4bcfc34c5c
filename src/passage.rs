//! Passages: the shared spans of two documents, with character offsets into both original texts.
//!
//! For each pair of documents that share anchors, both texts are tokenized again (tokens carry
//! their character and byte spans), [`crate::align::align`] finds the aligned spans, and each span
//! becomes a [`Passage`] whose boundaries are the first and last aligned words.

use crate::align::{align, AlignParams};
use crate::anchor::{Anchor, Seed};
use crate::boilerplate::Boilerplate;
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
    /// Anchors of every document, in position order.
    pub anchors: &'a [Vec<Anchor>],
    /// Token hashes of every document (see [`crate::fingerprint::Fingerprints::words`]).
    pub words: &'a [Box<[u32]>],
    /// Byte offset of every token (see [`crate::fingerprint::Fingerprints::word_starts`]).
    pub word_starts: &'a [Box<[u32]>],
    /// Source number of every document (may be empty: no sources).
    pub sources: &'a [Option<u32>],
    /// Boilerplate anchors per source.
    pub boilerplate: &'a Boilerplate,
    /// Alignment settings.
    pub params: AlignParams,
    /// Shortest passage, in matching words.
    pub min_words: usize,
    /// Keep boilerplate passages (flagged) instead of dropping them.
    pub keep_boilerplate: bool,
}

/// Share of a span's anchors that are boilerplate: `(boilerplate, all)`.
fn boilerplate_anchors(
    anchors: &[Anchor],
    from: usize,
    to: usize,
    k: usize,
    source: Option<u32>,
    b: &Boilerplate,
) -> (usize, usize) {
    if b.is_empty() {
        return (0, 0);
    }
    let first = anchors.partition_point(|a| (a.pos as usize) < from);
    let inside = anchors[first..].iter().take_while(|a| a.pos as usize + k <= to);
    inside.fold((0, 0), |(bp, all), a| (bp + b.contains(source, a.hash) as usize, all + 1))
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
            let source = |d: u32| input.sources.get(d as usize).copied().flatten();
            let k = input.params.anchor_k;
            let passages: Vec<Passage> = spans
                .iter()
                .map(|s| {
                    let (ta, tb) = (texts[a as usize].as_ref(), texts[b as usize].as_ref());
                    let (sa, sb) = (&input.word_starts[a as usize], &input.word_starts[b as usize]);
                    let mut p = to_passage(ta, sa, tb, sb, s);
                    let anchors = |d: u32| &input.anchors[d as usize];
                    let bp = |d, from, to| boilerplate_anchors(anchors(d), from, to, k, source(d), input.boilerplate);
                    let ((ba, na), (bb, nb)) = (bp(a, s.a_start, s.a_end), bp(b, s.b_start, s.b_end));
                    p.boilerplate = (na > 0 && ba * 2 >= na) || (nb > 0 && bb * 2 >= nb);
                    p
                })
                .filter(|p| input.keep_boilerplate || !p.boilerplate)
                .collect();
            on_pair();
            (!passages.is_empty()).then_some((a, b, passages))
        })
        .collect()
}
