//! Passages: the shared spans of two documents, with character offsets into both original texts.
//!
//! For each pair of documents that share anchors, [`crate::passage::align::align`] finds the aligned spans
//! over the documents' word hashes; for the few pairs with spans, the texts are read again to
//! turn token indices into character and byte offsets (a first document once for all its pairs;
//! tokens in stretches of ASCII are counted, the rest tokenized) and each span becomes a
//! [`Passage`] whose boundaries are the first and last aligned words.

pub mod align;
pub mod anchor;
pub mod boilerplate;
pub mod seed;

use crate::corpus::Texts;
use crate::fingerprint::shingle::shingle_hash;
use crate::fingerprint::winnow::anchor_hash;
use crate::memory::prefetch;
use crate::passage::align::{align, AlignParams, Span};
use crate::passage::seed::{PairSeed, Seed, SeedIndex};
use crate::text::letters::letter_positions;
use crate::text::quoted::QuotedSpans;
use crate::text::TokenUnit;
use crate::text::{
    ascii_prefix, skip_ascii_tokens, token_spans as token_spans_only, token_spans_from, AsciiSkip, Token,
};
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
    /// Only pairs whose later document is in this range are aligned (`0..u32::MAX`: every pair;
    /// a scan of part of a corpus sets it to its new documents).
    pub new: std::ops::Range<u32>,
    /// Only pairs whose earlier document is in this range are aligned (`0..u32::MAX`: every
    /// pair; a chunk of archived documents scanned with new ones sets it to the chunk).
    pub earlier: std::ops::Range<u32>,
    /// Positions of each document's boilerplate anchors, sorted (see
    /// [`crate::passage::boilerplate::Boilerplate::positions`]).
    pub boilerplate_at: &'a [Vec<u32>],
    /// Whether an anchor hash is the boilerplate of document `d`'s source (trims passage ends).
    pub is_boilerplate: &'a (dyn Fn(u32, u32) -> bool + Sync),
    /// Whether document `d`'s source has any boilerplate at all (when neither document's has,
    /// there is nothing to trim).
    pub has_boilerplate: &'a (dyn Fn(u32) -> bool + Sync),
    /// Token hashes of every document (see [`crate::fingerprint::Fingerprints::words`]).
    pub words: &'a [Box<[u32]>],
    /// Alignment settings.
    pub params: AlignParams,
    /// What the token hashes in `words` are hashes of: words, or letters for OCR text.
    pub unit: TokenUnit,
    /// Shortest passage, in matching tokens.
    pub min_tokens: usize,
    /// Shortest passage, in words (for letter tokens, counted in the first document's text once
    /// the passage is placed).
    pub min_words: usize,
    /// Shortest passage that lies outside quotation marks in both documents, in matching words:
    /// shorter ones are dropped and counted (`None`: quoted and unquoted passages are treated
    /// alike; see [`crate::config::ScanConfig::unquoted_floor`]).
    pub unquoted_floor: Option<usize>,
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

/// True when word `i` of `words` lies in a `k`-word shingle that `is_boilerplate` (given the
/// shingle's anchor hash) says is its source's boilerplate. Every shingle is checked, not only the
/// anchors winnowing kept in this document, so a footer is covered to its first and last word.
fn in_boilerplate(words: &[u32], i: usize, k: usize, is_boilerplate: &dyn Fn(u32) -> bool) -> bool {
    let k = k.max(1);
    (i.saturating_sub(k - 1)..=i)
        .filter(|&start| start + k <= words.len())
        .any(|start| is_boilerplate(anchor_hash(shingle_hash(&words[start..start + k]))))
}

/// Trims from both ends of `s` the words that are boilerplate on either side, as long as they
/// match word for word: the extension at a passage's ends can otherwise run on into a footer both
/// articles carry. Up to `k - 1` uncovered words are passed over (the last words of a text are in
/// fewer shingles, and winnowing may have kept none of them as an anchor anywhere); the cut is at
/// the boilerplate word nearest the passage's middle. Only trimmed when the new end is a pair of
/// equal words, so a passage still starts and ends on aligned words.
fn trim_boilerplate(
    s: &mut Span,
    wa: &[u32],
    wb: &[u32],
    k: usize,
    bp_a: &dyn Fn(u32) -> bool,
    bp_b: &dyn Fn(u32) -> bool,
) {
    let covered = |i: usize, j: usize| in_boilerplate(wa, i, k, bp_a) || in_boilerplate(wb, j, k, bp_b);
    // Words to cut from one end: `at(t)` is the t-th word pair from that end.
    let cut = |len: usize, at: &dyn Fn(usize) -> (usize, usize)| {
        let (mut cut, mut gap) = (0, 0);
        for t in 0..len {
            let (i, j) = at(t);
            if wa[i] != wb[j] {
                break;
            }
            if covered(i, j) {
                (cut, gap) = (t + 1, 0);
            } else {
                gap += 1;
                if gap >= k.max(1) {
                    break;
                }
            }
        }
        cut
    };
    let len = (s.a_end - s.a_start).min(s.b_end - s.b_start);
    let (ae, be) = (s.a_end, s.b_end);
    let tail = cut(len, &|t| (ae - 1 - t, be - 1 - t));
    if tail < len && wa[ae - 1 - tail] == wb[be - 1 - tail] {
        s.a_end -= tail;
        s.b_end -= tail;
        s.matches -= tail;
        s.columns -= tail;
    }
    let len = (s.a_end - s.a_start).min(s.b_end - s.b_start);
    let (a0, b0) = (s.a_start, s.b_start);
    let head = cut(len, &|t| (a0 + t, b0 + t));
    if head < len && wa[a0 + head] == wb[b0 + head] {
        s.a_start += head;
        s.b_start += head;
        s.matches -= head;
        s.columns -= head;
    }
}

/// Character and byte spans of the tokens of `text` at the indices `wanted` (any order; repeats
/// allowed), found in one pass over the tokens up to the last index wanted. An index past the
/// last token gets the end of the text.
///
/// Over stretches of ASCII the tokens between two wanted ones are counted, not tokenized
/// ([`skip_ascii_tokens`]); the rest is tokenized.
fn token_spans(text: &str, wanted: &[usize]) -> Vec<TokenSpan> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_unstable_by_key(|&i| wanted[i]);
    let mut out = vec![TokenSpan::default(); wanted.len()];
    // The next token's index, where the last one ended (bytes, code points), and the tokens
    // from there on.
    let mut index = 0;
    let (mut from, mut from_chr) = (0, 0);
    // Where the stretch of ASCII holding `from` ends, once found: found once per stretch, not
    // again for every wanted token in it (a long ASCII text would be scanned to its end each
    // time).
    let mut stretch_end = 0;
    let mut tokens = token_spans_only(text);
    for (k, &o) in order.iter().enumerate() {
        let want = wanted[o];
        if k > 0 && want == wanted[order[k - 1]] {
            out[o] = out[order[k - 1]];
            continue;
        }
        let found = loop {
            if want > index && text.as_bytes().get(from).is_some_and(|&b| b < 0x80) {
                if from >= stretch_end {
                    stretch_end = from + ascii_prefix(&text[from..]);
                }
                let (skip_to, skipped) = match skip_ascii_tokens(text, from, stretch_end, want - index) {
                    AsciiSkip::Found(start) => (Some(start), want - index),
                    // On to the stretch's last token, which tokenizing finishes.
                    AsciiSkip::Passed(starts, Some(last)) if starts > 1 => (Some(last), starts - 1),
                    AsciiSkip::Passed(..) => (None, 0),
                };
                if let Some(start) = skip_to {
                    tokens = token_spans_from(text, start, from_chr + (start - from));
                    index += skipped;
                }
            }
            let Some(t) = tokens.next() else { break None };
            index += 1;
            (from, from_chr) = (t.byte_end, t.char_end);
            if index > want {
                break Some(t);
            }
        };
        match found {
            Some(t) => out[o] = TokenSpan::of(&t),
            None => {
                // Past the last token: the end of the text, for this one and every later one.
                let chars = text.chars().count();
                let end = TokenSpan { chars: (chars, chars), bytes: (text.len(), text.len()) };
                order[k..].iter().for_each(|&o| out[o] = end);
                return out;
            }
        }
    }
    out
}

/// [`token_spans`] for tokens of `unit`: words, or letters ([`letter_spans`]).
fn unit_spans(unit: TokenUnit, text: &str, wanted: &[usize]) -> Vec<TokenSpan> {
    match unit {
        TokenUnit::Words => token_spans(text, wanted),
        TokenUnit::Letters => letter_spans(text, wanted),
    }
}

/// Character and byte spans of the letter tokens ([`crate::text::letters`]) of `text` at the
/// indices `wanted` (any order; repeats allowed), in one pass up to the last one wanted. An
/// index past the last letter gets the end of the text.
fn letter_spans(text: &str, wanted: &[usize]) -> Vec<TokenSpan> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_unstable_by_key(|&i| wanted[i]);
    let chars = text.chars().count();
    let mut out = vec![TokenSpan { chars: (chars, chars), bytes: (text.len(), text.len()) }; wanted.len()];
    let mut letters = letter_positions(text).enumerate();
    let mut next = letters.next();
    for o in order {
        while next.is_some_and(|(i, _)| i < wanted[o]) {
            next = letters.next();
        }
        let Some((_, (chr, byte, c))) = next else { break };
        out[o] = TokenSpan { chars: (chr, chr + 1), bytes: (byte, byte + c.len_utf8()) };
    }
    out
}

/// Where one token is in its text: code points and bytes, end exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TokenSpan {
    chars: (usize, usize),
    bytes: (usize, usize),
}

impl TokenSpan {
    fn of(t: &Token) -> Self {
        TokenSpan { chars: (t.char_start, t.char_end), bytes: (t.byte_start, t.byte_end) }
    }
}

/// The token indices whose spans make the offsets of `spans` on one side (`side` gives a span's
/// token range there): the first and last token of each, appended to `out`.
fn ends_of(spans: &[Span], side: fn(&Span) -> (usize, usize), out: &mut Vec<usize>) {
    out.extend(spans.iter().flat_map(|s| {
        let (from, to) = side(s);
        [from, to - 1]
    }));
}

/// The passages of aligned `spans` (token ranges), given the spans of their end tokens in A (`a`,
/// as [`ends_of`] lists them) and in text `tb`, which is tokenized once more, up to its last
/// aligned token.
fn to_passages(unit: TokenUnit, a: &[TokenSpan], tb: &str, spans: &[Span], flags: &[bool]) -> Vec<Passage> {
    let mut wanted = Vec::with_capacity(2 * spans.len());
    ends_of(spans, |s| (s.b_start, s.b_end), &mut wanted);
    let b = unit_spans(unit, tb, &wanted);
    spans
        .iter()
        .zip(flags)
        .enumerate()
        .map(|(i, (s, &boilerplate))| {
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
                boilerplate,
            }
        })
        .collect()
}

/// What [`find_passages`] found.
#[derive(Debug, Default)]
pub struct Found {
    /// The pairs `(a, b)` that share at least one passage, sorted, with their passages in order
    /// along `a`.
    pub pairs: Vec<(u32, u32, Vec<Passage>)>,
    /// Document pairs aligned (they shared seeds).
    pub aligned: usize,
    /// Passages dropped for being shorter than `min_unquoted_words` outside quotation marks.
    pub unquoted_dropped: usize,
}

/// Aligns every pair of documents that shares seeds (walking [`SeedIndex::pairs_of`] one first
/// document at a time, in parallel) and returns the pairs that share at least one passage.
/// `on_doc` is called after each first document.
pub fn find_passages<X: Texts + ?Sized>(
    texts: &X,
    seeds: &SeedIndex,
    input: &PassageInput,
    on_doc: &(dyn Fn() + Sync),
) -> Found {
    let aligned = std::sync::atomic::AtomicUsize::new(0);
    let unquoted_dropped = std::sync::atomic::AtomicUsize::new(0);
    let quoted = QuotedSpans::new(if input.unquoted_floor.is_some() { seeds.docs() } else { 0 });
    let found = (0..seeds.docs() as u32)
        .into_par_iter()
        .map_init(PairScratch::default, |scratch, a| {
            if !input.earlier.contains(&a) {
                on_doc();
                return Vec::new();
            }
            seeds.pairs_of(a, &mut scratch.seeds);
            if input.new.start > a + 1 || input.new.end < u32::MAX {
                scratch.seeds.retain(|s| input.new.contains(&s.b));
            }
            let mut found = Vec::new();
            let all = std::mem::take(&mut scratch.seeds);
            let runs: Vec<&[PairSeed]> = all.chunk_by(|x, y| x.b == y.b).collect();
            for (i, run) in runs.iter().enumerate() {
                // The other document's words are a cache miss or two per pair (most pairs are a
                // phrase shared by chance, aligned in a few steps): ask for them ahead.
                if let Some(ahead) = runs.get(i + 8) {
                    prefetch(&input.words[ahead[0].b as usize]);
                }
                if let Some(ahead) = runs.get(i + 4) {
                    let (words, at) = (&input.words[ahead[0].b as usize], ahead[0].b_pos as usize);
                    if let Some(w) = words.get(at.saturating_sub(4)) {
                        prefetch(w);
                    }
                    if let Some(w) = words.get(at + 12) {
                        prefetch(w);
                    }
                }
                scratch.pair.clear();
                scratch.pair.extend(run.iter().map(|s| (s.a_pos, s.b_pos)));
                let (spans, flags) = pair_spans(a, run[0].b, &scratch.pair, input);
                if !spans.is_empty() {
                    found.push((run[0].b, spans, flags));
                }
            }
            aligned.fetch_add(runs.len(), std::sync::atomic::Ordering::Relaxed);
            drop(runs);
            scratch.seeds = all;
            let (placed, dropped) = place(texts, a, found, &mut scratch.texts, input, &quoted);
            if dropped > 0 {
                unquoted_dropped.fetch_add(dropped, std::sync::atomic::Ordering::Relaxed);
            }
            on_doc();
            placed
        })
        .flatten_iter()
        .collect();
    Found { pairs: found, aligned: aligned.into_inner(), unquoted_dropped: unquoted_dropped.into_inner() }
}

/// Buffers one thread reuses from document to document.
#[derive(Default)]
struct PairScratch {
    /// The seeds of the current first document with every later one.
    seeds: Vec<PairSeed>,
    /// One pair's seeds.
    pair: Vec<Seed>,
    /// The two texts, when read.
    texts: (String, String),
}

/// The spans of documents `a` and `b` from their `seeds`, with their boilerplate flags: aligned,
/// boilerplate flagged (and dropped unless kept) and trimmed. No text is read.
fn pair_spans(a: u32, b: u32, seeds: &[Seed], input: &PassageInput) -> (Vec<Span>, Vec<bool>) {
    let (wa, wb) = (&input.words[a as usize], &input.words[b as usize]);
    let spans = align(wa, wb, seeds, &input.params, input.min_tokens);
    if spans.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let k = input.params.anchor_k;
    // Boilerplate when its anchors cover half of the passage's words on one side.
    let bp = |d: u32, from: usize, to: usize| {
        2 * boilerplate_words(&input.boilerplate_at[d as usize], from, to, k) >= to - from
    };
    // Flagged and dropped before the texts are read: most spans of same-source pairs are their
    // shared menus and footers.
    let bp_a = |h: u32| (input.is_boilerplate)(a, h);
    let bp_b = |h: u32| (input.is_boilerplate)(b, h);
    let trims = (input.has_boilerplate)(a) || (input.has_boilerplate)(b);
    spans
        .into_iter()
        .map(|mut s| {
            let flag = bp(a, s.a_start, s.a_end) || bp(b, s.b_start, s.b_end);
            if !flag && trims {
                trim_boilerplate(&mut s, wa, wb, k, &bp_a, &bp_b);
            }
            (s, flag)
        })
        .filter(|&(ref s, flag)| (input.keep_boilerplate || !flag) && s.matches >= input.min_tokens)
        .unzip()
}

/// Places the spans `found` between first document `a` and each later document in both texts:
/// `a`'s text is read and tokenized once for all its pairs, up to the last token any of them
/// needs; each other text once for its pair. Passages of fewer than `min_unquoted` words that lie
/// outside quotation marks in both texts are dropped; returns the pairs left with passages and
/// the number dropped.
fn place<X: Texts + ?Sized>(
    texts: &X,
    a: u32,
    found: Vec<(u32, Vec<Span>, Vec<bool>)>,
    (buf_a, buf_b): &mut (String, String),
    input: &PassageInput,
    quoted: &QuotedSpans,
) -> (Vec<(u32, u32, Vec<Passage>)>, usize) {
    let (unit, min_unquoted) = (input.unit, input.unquoted_floor.unwrap_or(0));
    if found.is_empty() {
        return (Vec::new(), 0);
    }
    let mut wanted = Vec::new();
    for (_, spans, _) in &found {
        ends_of(spans, |s| (s.a_start, s.a_end), &mut wanted);
    }
    let text_a = texts.text(a as usize, buf_a);
    let a_spans = unit_spans(unit, text_a, &wanted);
    let mut at = 0;
    let mut dropped = 0;
    let placed = found
        .into_iter()
        .filter_map(|(b, spans, flags)| {
            let a_ends = &a_spans[at..at + 2 * spans.len()];
            at += 2 * spans.len();
            let text_b = texts.text(b as usize, buf_b);
            let mut passages = to_passages(unit, a_ends, text_b, &spans, &flags);
            if unit == TokenUnit::Letters {
                // Letters matched; words are what the options and the report count.
                for p in &mut passages {
                    p.words = token_spans_only(&text_a[p.a_bytes.0..p.a_bytes.1]).count();
                }
                passages.retain(|p| p.words >= input.min_words);
            }
            if passages.iter().any(|p| p.words < min_unquoted) {
                // Read for quotation marks only when a passage is short enough to need it.
                let before = passages.len();
                passages.retain(|p| {
                    p.words >= min_unquoted || quoted.holds(a, text_a, p.a_bytes) || quoted.holds(b, text_b, p.b_bytes)
                });
                dropped += before - passages.len();
            }
            (!passages.is_empty()).then_some((a, b, passages))
        })
        .collect();
    (placed, dropped)
}

#[cfg(test)]
mod tests {
    use super::{boilerplate_words, token_spans, token_spans_only, TokenSpan};

    #[test]
    fn boilerplate_words_at_either_end_are_trimmed_off_the_story_between() {
        use super::{anchor_hash, shingle_hash, trim_boilerplate, Span};
        // A 6-word menu, a 12-word story, the 6-word menu again, in both documents.
        let menu: Vec<u32> = (100..106).collect();
        let words: Vec<u32> = menu.iter().copied().chain(1..13).chain(menu.iter().copied()).collect();
        let menu_shingles: Vec<u32> = menu.windows(5).map(|w| anchor_hash(shingle_hash(w))).collect();
        let is_menu = |h: u32| menu_shingles.contains(&h);
        let mut s = Span { a_start: 0, a_end: 24, b_start: 0, b_end: 24, matches: 24, columns: 24 };
        trim_boilerplate(&mut s, &words, &words, 5, &is_menu, &|_| false);
        assert_eq!((s.a_start, s.a_end, s.b_start, s.b_end, s.matches, s.columns), (6, 18, 6, 18, 12, 12));
        // Words that differ are never trimmed across.
        let mut other = words.clone();
        other[22] = 999;
        let mut s = Span { a_start: 0, a_end: 24, b_start: 0, b_end: 24, matches: 23, columns: 24 };
        trim_boilerplate(&mut s, &words, &other, 5, &is_menu, &|_| false);
        assert_eq!((s.a_start, s.a_end), (6, 24), "the tail holds a changed word: left as aligned");
    }

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
    fn token_spans_counted_over_ascii_equal_those_of_tokenizing() {
        // Long ASCII runs (skipped 64 bytes at a time) around words with accents, curly quotes,
        // CJK and a token running from ASCII on into non-ASCII letters.
        let pieces = ["the minister said", "it_was 2,500 dlrs", "café", "’quoted’", "東京", "naïve", "x"];
        let mut next = crate::test_rng::lcg_states(11);
        for trial in 0..300 {
            let mut text = String::new();
            for _ in 0..(trial % 60) {
                let x = next();
                // Mostly ASCII, as news is.
                let piece =
                    if (x >> 60) < 13 { pieces[(x >> 33) as usize % 2] } else { pieces[(x >> 33) as usize % 7] };
                text.push_str(piece);
                text.push_str(if (x >> 20) % 3 == 0 { "\n" } else { " " });
            }
            let all: Vec<TokenSpan> = token_spans_only(&text).map(|t| TokenSpan::of(&t)).collect();
            let n = text.chars().count();
            let end = TokenSpan { chars: (n, n), bytes: (text.len(), text.len()) };
            let wanted: Vec<usize> = (0..8).map(|i| (i * 7 + trial * 3) % (all.len() + 3)).collect();
            let got = token_spans(&text, &wanted);
            for (&w, g) in wanted.iter().zip(&got) {
                assert_eq!(*g, all.get(w).copied().unwrap_or(end), "token {w} of {text:?}");
            }
        }
    }

    #[test]
    fn boilerplate_coverage_counts_each_word_once() {
        assert_eq!(boilerplate_words(&[], 0, 10, 5), 0);
        assert_eq!(boilerplate_words(&[0, 2, 20], 0, 10, 5), 7);
        assert_eq!(boilerplate_words(&[8], 0, 10, 5), 2);
        assert_eq!(boilerplate_words(&[0], 3, 10, 5), 2);
    }
}
