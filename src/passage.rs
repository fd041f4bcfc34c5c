//! Passages: the shared spans of two documents, with character offsets into both original texts.
//!
//! For each pair of documents that share anchors, [`crate::align::align`] finds the aligned spans
//! over the documents' word hashes; for the few pairs with spans, both texts are tokenized again
//! (tokens carry their character and byte spans) and each span becomes a [`Passage`] whose
//! boundaries are the first and last aligned words.

use crate::align::{align, AlignParams};
use crate::anchor::Seed;
use crate::corpus::Texts;
use crate::text::token_spans as token_spans_only;
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

/// Character and byte spans of the tokens of `text` at the indices `wanted` (any order; repeats
/// allowed), found in one pass over the tokens up to the last index wanted. An index past the
/// last token gets the end of the text.
fn token_spans(text: &str, wanted: &[usize]) -> Vec<TokenSpan> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_unstable_by_key(|&i| wanted[i]);
    let chars = || text.chars().count();
    let mut out = vec![TokenSpan::default(); wanted.len()];
    let mut next = order.iter().peekable();
    for (i, t) in token_spans_only(text).enumerate() {
        while let Some(&&o) = next.peek().filter(|&&&o| wanted[o] == i) {
            out[o] = TokenSpan { chars: (t.char_start, t.char_end), bytes: (t.byte_start, t.byte_end) };
            next.next();
        }
        if next.peek().is_none() {
            return out;
        }
    }
    let end = TokenSpan { chars: (chars(), chars()), bytes: (text.len(), text.len()) };
    next.for_each(|&o| out[o] = end);
    out
}

/// Where one token is in its text: code points and bytes, end exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TokenSpan {
    chars: (usize, usize),
    bytes: (usize, usize),
}

/// The passages of aligned `spans` (token ranges) of texts `ta` and `tb`: each text is tokenized
/// once more, up to its last aligned token, to turn token ranges into offsets.
fn to_passages(ta: &str, tb: &str, spans: &[crate::align::Span]) -> Vec<Passage> {
    let ends = |f: fn(&crate::align::Span) -> (usize, usize)| -> Vec<usize> {
        spans
            .iter()
            .flat_map(|s| {
                let (from, to) = f(s);
                [from, to - 1]
            })
            .collect()
    };
    let a = token_spans(ta, &ends(|s| (s.a_start, s.a_end)));
    let b = token_spans(tb, &ends(|s| (s.b_start, s.b_end)));
    spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (a0, a1, b0, b1) = (a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
            Passage {
                a_start: a0.chars.0,
                a_end: a1.chars.1,
                b_start: b0.chars.0,
                b_end: b1.chars.1,
                a_bytes: (a0.bytes.0, a1.bytes.1),
                b_bytes: (b0.bytes.0, b1.bytes.1),
                words: s.matches,
                score: s.identity(),
                boilerplate: false,
            }
        })
        .collect()
}

/// Aligns every pair in `seeds` (from [`crate::anchor::seed_pairs`]) and returns the pairs that
/// share at least one passage, in the order given. `on_pair` is called after each pair.
pub fn find_passages<X: Texts + ?Sized>(
    texts: &X,
    seeds: &[(u32, u32, Vec<Seed>)],
    input: &PassageInput,
    on_pair: &(dyn Fn() + Sync),
) -> Vec<(u32, u32, Vec<Passage>)> {
    seeds
        .par_iter()
        .map_init(
            || (String::new(), String::new()),
            |(buf_a, buf_b), (a, b, seeds)| {
                let (a, b) = (*a, *b);
                let (wa, wb) = (&input.words[a as usize], &input.words[b as usize]);
                let spans = align(wa, wb, seeds, &input.params, input.min_words);
                if spans.is_empty() {
                    on_pair();
                    return None;
                }
                let k = input.params.anchor_k;
                // Boilerplate when its anchors cover half of the passage's words on one side.
                let bp = |d: u32, from: usize, to: usize| {
                    2 * boilerplate_words(&input.boilerplate_at[d as usize], from, to, k) >= to - from
                };
                // Flagged and dropped before the texts are read: most spans of same-source pairs
                // are their shared menus and footers.
                let (spans, flags): (Vec<_>, Vec<bool>) = spans
                    .into_iter()
                    .map(|s| {
                        let flag = bp(a, s.a_start, s.a_end) || bp(b, s.b_start, s.b_end);
                        (s, flag)
                    })
                    .filter(|&(_, flag)| input.keep_boilerplate || !flag)
                    .unzip();
                let passages: Vec<Passage> = match spans.is_empty() {
                    true => Vec::new(),
                    false => {
                        let (ta, tb) = (texts.text(a as usize, buf_a), texts.text(b as usize, buf_b));
                        let mut passages = to_passages(ta, tb, &spans);
                        passages.iter_mut().zip(flags).for_each(|(p, f)| p.boilerplate = f);
                        passages
                    }
                };
                on_pair();
                (!passages.is_empty()).then_some((a, b, passages))
            },
        )
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{boilerplate_words, token_spans, TokenSpan};

    #[test]
    fn token_spans_in_any_order_with_repeats_and_past_the_end() {
        let text = "Ça va, très bien — 東京";
        let got = token_spans(text, &[2, 0, 2, 9]);
        let span = |c0, c1, b0, b1| TokenSpan { chars: (c0, c1), bytes: (b0, b1) };
        let n = text.chars().count();
        assert_eq!(got[0], span(7, 11, 8, 13), "très");
        assert_eq!(got[1], span(0, 2, 0, 3), "Ça");
        assert_eq!(got[2], got[0]);
        assert_eq!(got[3], span(n, n, text.len(), text.len()));
        assert_eq!(&text[8..13], "très");
    }

    #[test]
    fn boilerplate_coverage_counts_each_word_once() {
        assert_eq!(boilerplate_words(&[], 0, 10, 5), 0);
        assert_eq!(boilerplate_words(&[0, 2, 20], 0, 10, 5), 7);
        assert_eq!(boilerplate_words(&[8], 0, 10, 5), 2);
        assert_eq!(boilerplate_words(&[0], 3, 10, 5), 2);
    }
}
