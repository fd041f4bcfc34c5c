//! Alignment: turning the shared anchors of two documents into passages with exact boundaries.
//!
//! 1. **Chain**: seeds (shared anchors, as token positions in both documents) are taken in order
//!    along document A; a seed joins the chain whose end it follows within `max_gap` tokens on both
//!    sides and whose diagonal (`b - a`) is closest, otherwise it starts a chain. Chains follow
//!    reuse through edits, while unrelated stretches longer than `max_gap` break them.
//! 2. **Bridge**: between consecutive seeds of a chain, the gap is aligned word by word with a
//!    global (Needleman-Wunsch) alignment: +1 match, -1 mismatch or gap. A gap that aligns poorly
//!    (fewer than `split_identity` of its columns match, a third for words, over more than
//!    `split_gap` tokens) splits the passage.
//! 3. **Extend**: each end is extended word by word without gaps while the running score stays
//!    within `x_drop` of its best (x-drop, as in BLAST), and cut back to the best point, so a
//!    passage always starts and ends on matching words.
//!
//! Everything here works on token hashes (any type with equality) and token indices; [`crate::passage`] turns the spans
//! into character offsets and text.

use crate::passage::seed::Seed;

/// How alignment behaves. Defaults are in [`crate::config::ScanConfig`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignParams {
    /// Words per anchor shingle (the length of a seed).
    pub anchor_k: usize,
    /// Longest gap (in words, on either side) bridged inside one passage.
    pub max_gap: usize,
    /// How far the extension score may fall below its best before extension stops.
    pub x_drop: i32,
    /// Gaps longer than this (tokens, on the longer side) split the passage when they align
    /// poorly; shorter ones are always bridged.
    pub split_gap: usize,
    /// A gap aligns poorly when fewer than this share of its columns match, as a fraction
    /// `(numerator, denominator)`: a third for words.
    pub split_identity: (usize, usize),
    /// Gaps are aligned only this far (tokens) either side of the straight line through them
    /// (`None`: the whole matrix). Letter gaps run to hundreds of letters, where the whole
    /// matrix is most of a scan's time, and OCR drifts a few letters, not dozens.
    pub bridge_band: Option<usize>,
}

impl AlignParams {
    /// True when a bridged gap of `long` tokens (its longer side) with `matches` over `columns`
    /// splits the passage.
    fn splits(&self, long: usize, matches: usize, columns: usize) -> bool {
        let (num, den) = self.split_identity;
        long > self.split_gap && matches * den < columns * num
    }
}

/// An aligned stretch of two token sequences; token indices, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First token in A.
    pub a_start: usize,
    /// One past the last token in A.
    pub a_end: usize,
    /// First token in B.
    pub b_start: usize,
    /// One past the last token in B.
    pub b_end: usize,
    /// Aligned pairs of equal words.
    pub matches: usize,
    /// Alignment columns (matches, mismatches and gaps).
    pub columns: usize,
}

impl Span {
    /// The span of one seed's `k` words (cut at the end of either document), before any
    /// bridging or extension.
    fn of_seed<W: Eq>(a: &[W], b: &[W], (sa, sb): Seed, k: usize) -> Self {
        let (pa, pb) = (sa as usize, sb as usize);
        let (ea, eb) = ((pa + k).min(a.len()), (pb + k).min(b.len()));
        let matches = (pa..ea).zip(pb..eb).filter(|&(i, j)| a[i] == b[j]).count();
        Span { a_start: pa, a_end: ea, b_start: pb, b_end: eb, matches, columns: ea - pa }
    }

    /// Share of alignment columns that are matching words.
    pub fn identity(&self) -> f64 {
        if self.columns == 0 {
            0.0
        } else {
            self.matches as f64 / self.columns as f64
        }
    }
}

/// One cell of a gap's alignment: score, matches, columns.
type Cell = (i32, u32, u32);

/// The cell reached from its three neighbours: the diagonal step (+1 for equal tokens, -1
/// otherwise) or a gap step from above or the left (-1), the best score winning and, between
/// equal scores, more matches.
#[inline(always)]
fn cell(diag: Cell, up: Cell, left: Cell, eq: bool) -> Cell {
    let d = (diag.0 + if eq { 1 } else { -1 }, diag.1 + eq as u32, diag.2 + 1);
    let up = (up.0 - 1, up.1, up.2 + 1);
    let left = (left.0 - 1, left.1, left.2 + 1);
    [d, up, left].into_iter().max_by_key(|c| (c.0, c.1)).unwrap_or(d)
}

/// Global alignment of two short token slices: `(matches, columns)` of an optimal alignment.
fn bridge<W: Eq>(a: &[W], b: &[W]) -> (usize, usize) {
    if a.is_empty() || b.is_empty() {
        return (0, a.len() + b.len());
    }
    // One row at a time.
    let m = b.len();
    let mut prev: Vec<Cell> = (0..=m).map(|j| (-(j as i32), 0, j as u32)).collect();
    let mut cur = vec![(0i32, 0u32, 0u32); m + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = (-(i as i32) - 1, 0, i as u32 + 1);
        for j in 1..=m {
            cur[j] = cell(prev[j - 1], prev[j], cur[j - 1], *x == b[j - 1]);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m].1 as usize, prev[m].2 as usize)
}

/// [`bridge`] over the cells at most `band` columns from the straight line joining the corners
/// of the matrix (more when `b` is so much longer than `a` that rows would not meet): an optimal
/// alignment among those staying that close to it.
fn bridge_banded<W: Eq>(a: &[W], b: &[W], band: usize) -> (usize, usize) {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return (0, n + m);
    }
    const NONE: Cell = (i32::MIN / 2, 0, 0);
    // Wide enough that each row's cells reach the last row's: a path exists.
    let band = band.max(m.div_ceil(n));
    let range = |i: usize| {
        let c = i * m / n;
        (c.saturating_sub(band), (c + band).min(m))
    };
    let mut prev = vec![NONE; m + 1];
    let mut cur = vec![NONE; m + 1];
    // The cells each row buffer holds, to be cleared before it is written again.
    let (lo, hi) = range(0);
    for (j, cell) in prev.iter_mut().enumerate().take(hi + 1).skip(lo) {
        *cell = (-(j as i32), 0, j as u32);
    }
    let mut held = (0, 0);
    let mut prev_held = (lo, hi);
    for (i, x) in a.iter().enumerate() {
        let i = i + 1;
        cur[held.0..=held.1].fill(NONE);
        let (lo, hi) = range(i);
        for j in lo..=hi {
            cur[j] = if j == 0 {
                (-(i as i32), 0, i as u32)
            } else {
                cell(prev[j - 1], prev[j], cur[j - 1], *x == b[j - 1])
            };
        }
        held = prev_held;
        prev_held = (lo, hi);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m].1 as usize, prev[m].2 as usize)
}

/// The stretch of both documents a span may take: token ranges in A and in B, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    a: (usize, usize),
    b: (usize, usize),
}

impl Window {
    /// The whole of both documents.
    fn whole(a_len: usize, b_len: usize) -> Self {
        Window { a: (0, a_len), b: (0, b_len) }
    }

    /// True when the `k` words of `seed` lie inside the window on both sides.
    fn holds(&self, &(sa, sb): &Seed, k: usize) -> bool {
        let (pa, pb) = (sa as usize, sb as usize);
        pa >= self.a.0 && pa + k <= self.a.1 && pb >= self.b.0 && pb + k <= self.b.1
    }

    /// What `span` may still take once the spans in `kept` are taken: on each side the longest
    /// stretch of the span's own range that no kept span covers. `None` when one side has none.
    fn left_of(span: &Span, kept: &[Span]) -> Option<Self> {
        let a = free_stretch((span.a_start, span.a_end), kept.iter().map(|k| (k.a_start, k.a_end)))?;
        let b = free_stretch((span.b_start, span.b_end), kept.iter().map(|k| (k.b_start, k.b_end)))?;
        Some(Window { a, b })
    }
}

/// The longest part of `range` that none of `taken` overlaps (the first of equal ones).
fn free_stretch(range: (usize, usize), taken: impl Iterator<Item = (usize, usize)>) -> Option<(usize, usize)> {
    let mut cuts: Vec<(usize, usize)> = taken.filter(|&(s, e)| s < range.1 && range.0 < e).collect();
    cuts.sort_unstable();
    let (mut best, mut from) = (None::<(usize, usize)>, range.0);
    for (s, e) in cuts.into_iter().chain([(range.1, range.1)]) {
        if s > from && best.is_none_or(|(bs, be)| s - from > be - bs) {
            best = Some((from, s));
        }
        from = from.max(e);
    }
    best
}

/// Extends `span` outwards without gaps, x-drop, staying inside `w`.
fn extend<W: Eq>(a: &[W], b: &[W], span: &mut Span, x_drop: i32, w: &Window) {
    // Left.
    let (mut score, mut best, mut best_i, mut m, mut best_m) = (0i32, 0i32, 0usize, 0usize, 0usize);
    let mut i = 1;
    while i <= span.a_start - w.a.0 && i <= span.b_start - w.b.0 {
        let eq = a[span.a_start - i] == b[span.b_start - i];
        score += if eq { 1 } else { -1 };
        m += eq as usize;
        if score > best {
            (best, best_i, best_m) = (score, i, m);
        } else if best - score > x_drop {
            break;
        }
        i += 1;
    }
    span.a_start -= best_i;
    span.b_start -= best_i;
    span.matches += best_m;
    span.columns += best_i;
    // Right.
    let (mut score, mut best, mut best_i, mut m, mut best_m) = (0i32, 0i32, 0usize, 0usize, 0usize);
    let mut i = 0;
    while span.a_end + i < w.a.1 && span.b_end + i < w.b.1 {
        let eq = a[span.a_end + i] == b[span.b_end + i];
        score += if eq { 1 } else { -1 };
        m += eq as usize;
        if score > best {
            (best, best_i, best_m) = (score, i + 1, m);
        } else if best - score > x_drop {
            break;
        }
        i += 1;
    }
    span.a_end += best_i;
    span.b_end += best_i;
    span.matches += best_m;
    span.columns += best_i;
}

/// A chain of seeds along roughly one diagonal.
struct Chain {
    seeds: Vec<Seed>,
    end_a: usize,
    end_b: usize,
}

/// Groups `seeds` (sorted by position in A) into chains.
fn chains(seeds: &[Seed], p: &AlignParams) -> Vec<Chain> {
    let k = p.anchor_k;
    let mut done: Vec<Chain> = Vec::new();
    let mut active: Vec<Chain> = Vec::new();
    for &(sa, sb) in seeds {
        let (pa, pb) = (sa as usize, sb as usize);
        // Close chains that can no longer be continued.
        let mut i = 0;
        while i < active.len() {
            if active[i].end_a + p.max_gap < pa {
                done.push(active.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let diag = pb as i64 - pa as i64;
        let best = active
            .iter_mut()
            .filter(|c| {
                let (la, lb) = *c.seeds.last().unwrap_or(&(0, 0));
                pa > la as usize && pb > lb as usize && pb <= c.end_b + p.max_gap
            })
            .min_by_key(|c| {
                let (la, lb) = *c.seeds.last().unwrap_or(&(0, 0));
                ((lb as i64 - la as i64) - diag).abs()
            });
        match best {
            Some(c) => {
                c.seeds.push((sa, sb));
                c.end_a = c.end_a.max(pa + k);
                c.end_b = c.end_b.max(pb + k);
            }
            None => active.push(Chain { seeds: vec![(sa, sb)], end_a: pa + k, end_b: pb + k }),
        }
    }
    done.extend(active);
    done
}

/// Walks one chain, bridging gaps; returns the spans it splits into (not yet extended).
fn walk<W: Eq>(a: &[W], b: &[W], chain: &Chain, p: &AlignParams, out: &mut Vec<Span>) {
    let k = p.anchor_k;
    let mut cur: Option<Span> = None;
    for &(sa, sb) in &chain.seeds {
        let (pa, pb) = (sa as usize, sb as usize);
        let (ea, eb) = ((pa + k).min(a.len()), (pb + k).min(b.len()));
        let Some(span) = cur.as_mut() else {
            cur = Some(Span::of_seed(a, b, (sa, sb), k));
            continue;
        };
        if pa < span.a_end || pb < span.b_end {
            // Overlaps what is aligned: only a seed on the same diagonal can lengthen it.
            if pb as i64 - pa as i64 == span.b_end as i64 - span.a_end as i64 && ea > span.a_end {
                let from = span.a_end;
                let shift = span.b_end as i64 - span.a_end as i64;
                for (i, x) in a.iter().enumerate().take(ea).skip(from) {
                    let j = (i as i64 + shift) as usize;
                    if j >= b.len() {
                        break;
                    }
                    span.matches += (*x == b[j]) as usize;
                    span.columns += 1;
                    span.a_end = i + 1;
                    span.b_end = j + 1;
                }
            }
            continue;
        }
        let (ga, gb) = (&a[span.a_end..pa], &b[span.b_end..pb]);
        let (short, long) = (ga.len().min(gb.len()), ga.len().max(gb.len()));
        // At most `short` matches over at least `long` columns: when that splits, so does the
        // gap whatever its alignment, which is then not computed.
        let (m, cols) = match p.bridge_band {
            _ if p.splits(long, short, long) => (0, long),
            Some(band) if long > 2 * band + 1 => bridge_banded(ga, gb, band),
            _ => bridge(ga, gb),
        };
        if p.splits(long, m, cols) {
            out.push(*span);
            cur = Some(Span::of_seed(a, b, (sa, sb), k));
            continue;
        }
        span.matches += m + (pa..ea).zip(pb..eb).filter(|&(i, j)| a[i] == b[j]).count();
        span.columns += cols + (ea - pa);
        span.a_end = ea;
        span.b_end = eb;
    }
    out.extend(cur);
}

/// Aligns documents A and B (token hashes) from their shared `seeds` (sorted by position in A).
/// Returns non-overlapping spans with at least `min_words` matching words, in order along A.
pub fn align<W: Eq>(a: &[W], b: &[W], seeds: &[Seed], p: &AlignParams, min_words: usize) -> Vec<Span> {
    if let &[seed] = seeds {
        // One seed (most pairs of a large corpus: a coincidental phrase): its one chain, walked
        // and extended, without the chaining's lists.
        let mut span = Span::of_seed(a, b, seed, p.anchor_k);
        extend(a, b, &mut span, p.x_drop, &Window::whole(a.len(), b.len()));
        return if span.matches >= min_words { vec![span] } else { Vec::new() };
    }
    align_chained(a, b, seeds, p, min_words)
}

/// [`align`] through chains, whatever the number of seeds.
fn align_chained<W: Eq>(a: &[W], b: &[W], seeds: &[Seed], p: &AlignParams, min_words: usize) -> Vec<Span> {
    // Longest first; a span overlapping a kept one on either side is aligned again in what the
    // kept ones leave of it. Two reused stretches that meet often share the word where they meet
    // ("... devastating. He" and "He proposes ..."): the shorter passage loses that word, not
    // its place in the report.
    let mut kept: Vec<Span> = Vec::new();
    for s in spans_in(a, b, seeds, p, &Window::whole(a.len(), b.len())) {
        if s.matches < min_words {
            continue;
        }
        if !overlaps_any(&s, &kept) {
            kept.push(s);
            continue;
        }
        let Some(w) = Window::left_of(&s, &kept) else { continue };
        let inside: Vec<Seed> = seeds.iter().filter(|seed| w.holds(seed, p.anchor_k)).copied().collect();
        for t in spans_in(a, b, &inside, p, &w) {
            if t.matches >= min_words && !overlaps_any(&t, &kept) {
                kept.push(t);
            }
        }
    }
    kept.sort_by_key(|s| (s.a_start, s.b_start));
    kept
}

/// The chained, walked and extended spans of `seeds` inside `w`, longest (most matches) first.
fn spans_in<W: Eq>(a: &[W], b: &[W], seeds: &[Seed], p: &AlignParams, w: &Window) -> Vec<Span> {
    let mut spans = Vec::new();
    for chain in chains(seeds, p) {
        walk(a, b, &chain, p, &mut spans);
    }
    for s in &mut spans {
        extend(a, b, s, p.x_drop, w);
    }
    spans.sort_by(|x, y| y.matches.cmp(&x.matches).then((x.a_start, x.b_start).cmp(&(y.a_start, y.b_start))));
    spans
}

/// True when `s` overlaps one of `kept` on either side.
fn overlaps_any(s: &Span, kept: &[Span]) -> bool {
    kept.iter().any(|k| (s.a_start < k.a_end && k.a_start < s.a_end) || (s.b_start < k.b_end && k.b_start < s.b_end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::winnow::winnow;
    use crate::passage::anchor::seed_pairs;

    fn h(text: &str) -> Vec<u32> {
        crate::text::tokens(text).map(|t| crate::fingerprint::shingle::word_hash(t.hash)).collect()
    }

    const P: AlignParams =
        AlignParams { anchor_k: 5, max_gap: 30, x_drop: 4, split_gap: 8, split_identity: (1, 3), bridge_band: None };

    /// `n` distinct words: `{prefix}0`, `{prefix}1`, ...
    fn seq(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    fn run(a: &str, b: &str) -> Vec<Span> {
        let (ha, hb) = (h(a), h(b));
        let s = seed_pairs(&[winnow(&ha, 5, 2), winnow(&hb, 5, 2)], 10, &|_, _| false);
        let seeds = s.pairs.first().map(|p| p.2.clone()).unwrap_or_default();
        align(&ha, &hb, &seeds, &P, 8)
    }

    fn words(text: &str, from: usize, to: usize) -> String {
        crate::text::tokens(text)
            .skip(from)
            .take(to - from)
            .map(|t| text[t.byte_start..t.byte_end].to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn one_passage_across_a_changed_word() {
        let a =
            "He said China has made a colossal leap forward in its development this causes genuine interest all over";
        let b = "Putin said that China has made a colossal leap ahead in its development in recent years adding more";
        let spans = run(a, b);
        assert_eq!(spans.len(), 1, "{spans:?}");
        let s = spans[0];
        assert_eq!(words(a, s.a_start, s.a_end), "China has made a colossal leap forward in its development");
        assert_eq!(words(b, s.b_start, s.b_end), "China has made a colossal leap ahead in its development");
        assert_eq!((s.matches, s.columns), (9, 10));
    }

    #[test]
    fn edited_copy_is_one_passage_and_unrelated_text_is_not_swallowed() {
        let base: Vec<String> = (0..200).map(|i| format!("w{}", (i * 37) % 997)).collect();
        let mut copy = base.clone();
        for i in (10..200).step_by(15) {
            copy[i] = format!("x{i}");
        }
        copy.remove(50);
        copy.insert(120, "inserted".into());
        let noise_a = seq("na", 60);
        let noise_b = seq("nb", 60);
        let a = [noise_a.clone(), base.clone(), noise_a].concat().join(" ");
        let b = [noise_b.clone(), copy, noise_b].concat().join(" ");
        let spans = run(&a, &b);
        assert_eq!(spans.len(), 1, "{spans:?}");
        let s = spans[0];
        assert_eq!((s.a_start, s.a_end), (60, 260));
        assert_eq!((s.b_start, s.b_end), (60, 260));
        assert!(s.identity() > 0.85 && s.identity() < 1.0, "{}", s.identity());
    }

    #[test]
    fn two_separate_passages_stay_apart() {
        let p1 = seq("p", 30);
        let p2 = seq("q", 30);
        let fa = seq("fa", 100);
        let fb = seq("fb", 100);
        let a = [p1.clone(), fa, p2.clone()].concat().join(" ");
        let b = [p2, fb, p1].concat().join(" ");
        let spans = run(&a, &b);
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert_eq!((spans[0].a_start, spans[0].a_end, spans[0].b_start), (0, 30, 130));
        assert_eq!((spans[1].a_start, spans[1].a_end, spans[1].b_start), (130, 160, 0));
    }

    #[test]
    fn passages_that_meet_on_a_shared_word_are_both_kept() {
        // B copies P then Q, and the word "he" ends P's copy in A and starts Q's: both spans
        // claim B's "he". The shorter (P) gives it up instead of being dropped.
        let p = seq("p", 30);
        let q = seq("q", 40);
        let fa = seq("fa", 50);
        let fb = seq("fb", 50);
        let he = vec!["he".to_string()];
        let a = [p.clone(), he.clone(), fa.clone(), he.clone(), q.clone(), fa].concat().join(" ");
        let b = [fb.clone(), p, he, q, fb].concat().join(" ");
        let spans = run(&a, &b);
        assert_eq!(spans.len(), 2, "{spans:?}");
        // P: A 0..30, B 50..80, without the "he" that Q (A 81..122, B 80..121) keeps.
        assert_eq!((spans[0].a_start, spans[0].a_end, spans[0].b_start, spans[0].b_end), (0, 30, 50, 80));
        assert_eq!((spans[0].matches, spans[0].columns), (30, 30));
        assert_eq!((spans[1].a_start, spans[1].a_end, spans[1].b_start, spans[1].b_end), (81, 122, 80, 121));
    }

    #[test]
    fn free_stretch_is_the_longest_untaken_part() {
        assert_eq!(free_stretch((0, 10), [(8, 12)].into_iter()), Some((0, 8)));
        assert_eq!(free_stretch((0, 10), [(0, 2), (6, 7)].into_iter()), Some((2, 6)));
        assert_eq!(free_stretch((0, 10), [(0, 2), (4, 5)].into_iter()), Some((5, 10)));
        assert_eq!(free_stretch((3, 10), [(0, 4), (20, 30)].into_iter()), Some((4, 10)));
        assert_eq!(free_stretch((3, 10), [(0, 12)].into_iter()), None);
    }

    #[test]
    fn short_shared_phrases_are_not_passages() {
        assert!(run(
            "the US Secretary of State Antony Blinken said today",
            "according to US Secretary of State Antony Blinken in"
        )
        .is_empty());
    }

    #[test]
    fn banded_bridge_equals_the_whole_matrix_when_the_band_holds_the_alignment() {
        let mut next = crate::test_rng::lcg(3);
        for _ in 0..300 {
            let a: Vec<u64> = (0..next(120)).map(|_| next(20)).collect();
            // A copy with a few substitutions, insertions and deletions: it stays near the line.
            let mut b = a.clone();
            for _ in 0..next(6) {
                let at = next(b.len() as u64 + 1) as usize;
                match next(3) {
                    0 if at < b.len() => b[at] = 99,
                    1 => b.insert(at, 98),
                    _ if at < b.len() => {
                        b.remove(at);
                    }
                    _ => {}
                }
            }
            assert_eq!(bridge_banded(&a, &b, 16), bridge(&a, &b), "{a:?} {b:?}");
            // Unrelated gaps: the band's best alignment never scores above the whole matrix's
            // (score: matches less the other columns).
            let c: Vec<u64> = (0..next(120)).map(|_| next(20)).collect();
            let score = |(m, cols): (usize, usize)| 2 * m as i64 - cols as i64;
            assert!(
                score(bridge_banded(&a, &c, 8)) <= score(bridge(&a, &c)),
                "{a:?} {c:?} {:?} {:?}",
                bridge_banded(&a, &c, 8),
                bridge(&a, &c)
            );
        }
    }

    #[test]
    fn bridge_counts_an_optimal_alignment() {
        assert_eq!(bridge(&[1, 2, 3], &[1, 2, 3]), (3, 3));
        assert_eq!(bridge(&[1, 9, 3], &[1, 2, 3]), (2, 3));
        assert_eq!(bridge(&[1, 2, 3], &[1, 3]), (2, 3));
        assert_eq!(bridge(&[], &[1, 2]), (0, 2));
    }

    #[test]
    fn one_seed_aligns_as_a_chain_of_one_would() {
        let mut next = crate::test_rng::lcg(7);
        for _ in 0..500 {
            // Few distinct words, so runs around the seed match by chance.
            let a: Vec<u64> = (0..40).map(|_| next(3)).collect();
            let mut b: Vec<u64> = (0..40).map(|_| next(3)).collect();
            let (sa, sb) = (next(30) as usize, next(30) as usize);
            b[sb..sb + 5].copy_from_slice(&a[sa..sa + 5]);
            let seeds = [(sa as u32, sb as u32)];
            for min_words in [5, 8, 12] {
                assert_eq!(align(&a, &b, &seeds, &P, min_words), align_chained(&a, &b, &seeds, &P, min_words));
            }
        }
    }
}
