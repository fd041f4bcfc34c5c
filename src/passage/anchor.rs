//! Anchors: the shingles through which shared passages are found, and the inverted index over them.
//!
//! Anchors are chosen by *winnowing* (Schleimer, Wilkerson & Aiken 2003) over the document's
//! `k`-word shingle hashes in order: in every window of `w` consecutive shingles the smallest hash
//! is an anchor. Two documents that share a run of at least `w + k - 1` words share a whole window,
//! hence an anchor; with the defaults (the fingerprint's own 5-word shingles, windows of 2) any
//! shared run of 6 words is found, while about two shingles in three are kept. 5-word anchors
//! rather than 4-word ones: a 4-word phrase is shared by chance so often that aligning those pairs
//! tripled the cost of a scan.
//!
//! The index keeps, for each anchor hash, the documents and positions holding it. An anchor held by
//! more than `max_df` documents (site boilerplate, stock phrases) is dropped; an anchor repeated
//! within one document (a sentence printed a thousand times) keeps at most
//! [`MAX_REPEATS_PER_DOC`] positions in the index, so no document can make it blow up.

use crate::fingerprint::winnow::{anchors_of, Anchor};
use crate::fingerprint::Fingerprints;
use crate::passage::seed::{Posting, Seed, SeedIndex};
use rayon::prelude::*;

/// Positions of one anchor kept per document.
pub const MAX_REPEATS_PER_DOC: usize = 4;

/// Seeds of every document pair that shares at least one indexed anchor, one list per pair.
#[derive(Debug, Clone, Default)]
pub struct SeedPairs {
    /// `(a, b, seeds)` with `a < b`, sorted by `(a, b)`; seeds sorted.
    pub pairs: Vec<(u32, u32, Vec<Seed>)>,
    /// Anchor hashes dropped for being in more than `max_df` documents.
    pub frequent_anchors: usize,
}

/// The inverted index: every `(hash, document, position)`, sorted, so that each anchor's postings
/// are one run.
#[derive(Debug, Clone, Default)]
pub struct AnchorIndex {
    /// Postings sorted within each bucket; a bucket holds the hashes with one top byte, so one
    /// anchor's postings never straddle two buckets.
    buckets: Vec<Vec<Posting>>,
}

impl AnchorIndex {
    /// Indexes `anchors[d]` for every document `d` (see [`AnchorIndex::build_with`]).
    pub fn build(anchors: Vec<Vec<Anchor>>) -> Self {
        Self::build_with(anchors.len(), |d, _: &mut (), out| out.extend_from_slice(&anchors[d]))
    }

    /// Indexes, for every document `d < docs`, the anchors `anchors_of(d, scratch, out)` appends
    /// to `out` (called once per document, from any thread, with a per-thread `scratch`),
    /// keeping at most [`MAX_REPEATS_PER_DOC`] positions of one anchor per document.
    ///
    /// Memory: no document's anchor list outlives its call. Documents are taken in small chunks;
    /// a chunk's postings are gathered in a per-thread buffer, counted by bucket (the hash's top
    /// byte) and copied into pieces of exactly the right size, so the postings never sit in
    /// vectors grown by doubling (whose slack and cast-off buffers made the index take about 2.5
    /// times its size at a million documents). The 256 buckets are then sorted in parallel: each
    /// fits in cache, unlike one sort of everything.
    pub fn build_with<S: Default + Send>(
        docs: usize,
        anchors_of: impl Fn(usize, &mut S, &mut Vec<Anchor>) + Sync,
    ) -> Self {
        const BUCKETS: usize = 256;
        let chunk = docs.div_ceil(rayon::current_num_threads() * 64).max(1);
        let partial: Vec<Vec<Vec<Posting>>> = (0..docs.div_ceil(chunk))
            .into_par_iter()
            .map_init(
                || (S::default(), Vec::new(), Vec::new()),
                |(scratch, list, flat): &mut (S, Vec<Anchor>, Vec<Posting>), c| {
                    flat.clear();
                    for d in c * chunk..((c + 1) * chunk).min(docs) {
                        list.clear();
                        anchors_of(d, scratch, list);
                        flat.extend(list.iter().map(|a| Posting { hash: a.hash, doc: d as u32, pos: a.pos }));
                    }
                    let mut counts = [0usize; BUCKETS];
                    for p in flat.iter() {
                        counts[(p.hash >> 24) as usize] += 1;
                    }
                    let mut buckets: Vec<Vec<Posting>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
                    for &p in flat.iter() {
                        buckets[(p.hash >> 24) as usize].push(p);
                    }
                    buckets
                },
            )
            .collect();
        // Move (not copy) the pieces of each bucket together, then merge and sort bucket by bucket.
        let mut by_bucket: Vec<Vec<Vec<Posting>>> = (0..BUCKETS).map(|_| Vec::new()).collect();
        for chunk_buckets in partial {
            for (b, piece) in chunk_buckets.into_iter().enumerate() {
                by_bucket[b].push(piece);
            }
        }
        let buckets: Vec<Vec<Posting>> = by_bucket
            .into_par_iter()
            .map_init(Vec::new, |scratch, pieces| {
                let mut bucket = pieces.concat();
                drop(pieces);
                // The pieces came in document order, each document's anchors in position order.
                sort_by_hash(&mut bucket, scratch);
                // Cap repeats of one anchor within one document.
                let mut kept = 0;
                let mut run = 0;
                for i in 0..bucket.len() {
                    run = if i > 0 && bucket[i].hash == bucket[i - 1].hash && bucket[i].doc == bucket[i - 1].doc {
                        run + 1
                    } else {
                        0
                    };
                    if run < MAX_REPEATS_PER_DOC {
                        bucket[kept] = bucket[i];
                        kept += 1;
                    }
                }
                bucket.truncate(kept);
                bucket.shrink_to_fit();
                bucket
            })
            .collect();
        AnchorIndex { buckets }
    }

    /// The postings of each anchor held by at least two documents: [`Posting`] runs, one per anchor.
    pub fn shared(&self) -> impl Iterator<Item = &[Posting]> {
        self.buckets.iter().flat_map(|b| shared_groups(b))
    }

    /// [`AnchorIndex::shared`] in parallel: the runs of each of the 256 buckets, bucket by
    /// bucket (no anchor straddles two), as `in_bucket(runs)` folds them; the results in bucket
    /// order.
    pub fn par_shared<T: Send>(&self, in_bucket: impl Fn(&mut dyn Iterator<Item = &[Posting]>) -> T + Sync) -> Vec<T> {
        self.buckets.par_iter().map(|b| in_bucket(&mut shared_groups(b))).collect()
    }

    /// Number of anchors held by more than `max_df` documents (skipped when seeding).
    pub fn frequent(&self, max_df: usize) -> usize {
        self.par_shared(|groups| groups.filter(|g| doc_count(g) > max_df).count()).into_iter().sum()
    }

    /// Which of `docs` documents hold at least one indexed anchor.
    pub fn indexed_docs(&self, docs: usize) -> Vec<bool> {
        let mut held = vec![false; docs];
        for &Posting { doc: d, .. } in self.buckets.iter().flatten() {
            if let Some(h) = held.get_mut(d as usize) {
                *h = true;
            }
        }
        held
    }

    /// Number of postings.
    pub fn len(&self) -> usize {
        self.buckets.iter().map(Vec::len).sum()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For each pair of documents, their shared anchors, all at once (see
    /// [`AnchorIndex::into_seed_index`]; a scan goes one document at a time instead).
    pub fn seed_pairs(self, max_df: usize, ignore: &(dyn Fn(usize, u32) -> bool + Sync)) -> SeedPairs {
        let frequent_anchors = self.frequent(max_df);
        let docs = self.buckets.iter().flatten().map(|p| p.doc as usize + 1).max().unwrap_or(0);
        SeedPairs { pairs: self.into_seed_index(docs, max_df, ignore).all_pairs(), frequent_anchors }
    }

    /// Boils the index of `docs` documents down to what seeds pairs, in place: the postings of
    /// each anchor held by at most `max_df` documents, less those `ignore(d, hash)` leaves out
    /// of document `d` (boilerplate must not relate documents), when two documents or more
    /// still hold it.
    pub fn into_seed_index(
        mut self,
        docs: usize,
        max_df: usize,
        ignore: &(dyn Fn(usize, u32) -> bool + Sync),
    ) -> SeedIndex {
        self.buckets.par_iter_mut().for_each(|bucket| retain_seeding(bucket, max_df, ignore));
        SeedIndex::new(self.buckets, docs)
    }
}

/// Sorts one bucket's postings by `(hash, document, position)`, as `sort_unstable` would. When
/// they come in `(document, position)` order (as the index build makes them), a stable radix
/// sort on the hash's low 24 bits (a bucket's postings share the top 8) does it, in two passes
/// of 12 bits through `scratch`; the comparison sort it replaces took about a sixth of the index
/// build's time.
fn sort_by_hash(bucket: &mut [Posting], scratch: &mut Vec<Posting>) {
    const BITS: u32 = 12;
    const DIGITS: usize = 1 << BITS;
    // Small buckets, and any not in (document, position) order (anchors given out of order),
    // take the comparison sort.
    if bucket.len() < DIGITS / 2 || !bucket.windows(2).all(|w| (w[0].doc, w[0].pos) < (w[1].doc, w[1].pos)) {
        bucket.sort_unstable();
        return;
    }
    // Digit `d` (0: low, 1: high) of a hash's low 24 bits.
    let digit = |hash: u32, d: usize| (hash >> (BITS as usize * d)) as usize & (DIGITS - 1);
    let mut counts = vec![[0u32; 2]; DIGITS];
    for p in bucket.iter() {
        counts[digit(p.hash, 0)][0] += 1;
        counts[digit(p.hash, 1)][1] += 1;
    }
    let mut starts = [0u32; 2];
    for c in counts.iter_mut() {
        for (d, start) in starts.iter_mut().enumerate() {
            let n = c[d];
            c[d] = *start;
            *start += n;
        }
    }
    scratch.clear();
    scratch.resize(bucket.len(), Posting::default());
    for &p in bucket.iter() {
        let slot = &mut counts[digit(p.hash, 0)][0];
        scratch[*slot as usize] = p;
        *slot += 1;
    }
    for &p in scratch.iter() {
        let slot = &mut counts[digit(p.hash, 1)][1];
        bucket[*slot as usize] = p;
        *slot += 1;
    }
}

/// Keeps, in place, the postings of `bucket` that seed pairs (see
/// [`AnchorIndex::into_seed_index`]).
fn retain_seeding(bucket: &mut Vec<Posting>, max_df: usize, ignore: &(dyn Fn(usize, u32) -> bool + Sync)) {
    let (mut kept, mut at) = (0, 0);
    while at < bucket.len() {
        let hash = bucket[at].hash;
        let end = at + bucket[at..].iter().position(|p| p.hash != hash).unwrap_or(bucket.len() - at);
        let group = &bucket[at..end];
        if spans_two_docs(group) && doc_count(group) <= max_df {
            // Written behind the group being read: `kept <= at` always.
            let from = kept;
            for i in at..end {
                if !ignore(bucket[i].doc as usize, hash) {
                    bucket[kept] = bucket[i];
                    kept += 1;
                }
            }
            if !spans_two_docs(&bucket[from..kept]) {
                kept = from;
            }
        }
        at = end;
    }
    bucket.truncate(kept);
}

/// The postings runs of one bucket whose anchor at least two documents hold.
fn shared_groups(bucket: &[Posting]) -> impl Iterator<Item = &[Posting]> {
    bucket.chunk_by(|x, y| x.hash == y.hash).filter(|g| spans_two_docs(g))
}

/// Whether postings sorted by document (one anchor's) belong to two documents or more.
fn spans_two_docs(postings: &[Posting]) -> bool {
    postings.first().map(|p| p.doc) != postings.last().map(|p| p.doc)
}

/// Documents holding one anchor (its postings, sorted by document).
fn doc_count(g: &[Posting]) -> usize {
    g.chunk_by(|x, y| x.doc == y.doc).count()
}

/// The anchor hashes some documents hold, as a bitset of about 16 bits per anchor: a hash they
/// hold is always found, one they do not about one time in sixteen (the index then keeps an
/// anchor no pair asked about needs, which costs only room).
struct AnchorBits {
    bits: Vec<u64>,
    mask: u32,
}

impl AnchorBits {
    /// The bits of the anchors (`k`, `w` as the scan's) of the documents with word hashes `docs`.
    fn of(docs: &[Box<[u32]>], k: usize, w: usize) -> Self {
        let tokens: usize = docs.iter().map(|d| d.len()).sum();
        let size = (tokens as u64 * 16).next_power_of_two().clamp(1 << 12, 1 << 32);
        let mask = (size - 1) as u32;
        let bits: Vec<std::sync::atomic::AtomicU64> =
            (0..size / 64).map(|_| std::sync::atomic::AtomicU64::new(0)).collect();
        // Winnowing ten thousand articles takes a tenth of a second: in parallel, the bits set
        // with atomic ORs (a bit set twice is the same bit).
        docs.par_iter().for_each_init(
            || (Vec::new(), Vec::new()),
            |(in_order, anchors), words| {
                anchors.clear();
                anchors_of(words, k, w, in_order, anchors);
                for a in anchors.iter() {
                    let b = a.hash & mask;
                    bits[(b >> 6) as usize].fetch_or(1 << (b & 63), std::sync::atomic::Ordering::Relaxed);
                }
            },
        );
        AnchorBits { bits: bits.into_iter().map(|b| b.into_inner()).collect(), mask }
    }

    /// Whether `hash` may be one of them.
    fn contains(&self, hash: u32) -> bool {
        let b = hash & self.mask;
        self.bits[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }
}

/// Builds the index over `anchors` and returns the seeds of every document pair (see
/// [`AnchorIndex::seed_pairs`]).
pub fn seed_pairs(anchors: &[Vec<Anchor>], max_df: usize, ignore: &(dyn Fn(usize, u32) -> bool + Sync)) -> SeedPairs {
    AnchorIndex::build(anchors.to_vec()).seed_pairs(max_df, ignore)
}

impl AnchorIndex {
    /// The inverted index of passage anchors of `fp`: each document's winnowed anchors (found again
    /// from its word hashes) that another document may hold, and, when only pairs whose later
    /// document is in `asked` are wanted (part of a corpus: `0..u32::MAX` for all), that one of
    /// those holds. Frees the marks, and the word hashes of the documents left without anchors
    /// (they are in no pair). Empty when anchors were not asked for.
    pub fn of_fingerprints(fp: &mut Fingerprints, asked: std::ops::Range<u32>) -> AnchorIndex {
        let (Some((k, w)), Some(seen)) = (fp.anchor_spec, fp.seen.take()) else {
            return AnchorIndex::default();
        };
        let seen = seen.into_repeated();
        let words = &fp.words;
        // A part of an archive query holds half a million archived articles that share an anchor
        // with its ten thousand new ones: their other anchors would make most of the index.
        let asked_hold = (asked.start > 0 || (asked.end as usize) < words.len())
            .then(|| AnchorBits::of(&words[asked.start as usize..words.len().min(asked.end as usize)], k, w));
        let index = AnchorIndex::build_with(words.len(), |d, in_order: &mut Vec<u64>, out| {
            anchors_of(&words[d], k, w, in_order, out);
            if let Some(bits) = &asked_hold {
                out.retain(|a| bits.contains(a.hash));
            }
            // Branch-free: the lookups miss the caches at scale, and with no branch on their
            // results the processor keeps several of them in flight.
            let mut kept = 0;
            const AHEAD: usize = 16;
            out.iter().take(AHEAD).for_each(|a| seen.prefetch(a.hash));
            for i in 0..out.len() {
                if let Some(next) = out.get(i + AHEAD) {
                    seen.prefetch(next.hash);
                }
                let a = out[i];
                out[kept] = a;
                kept += usize::from(seen.contains(a.hash));
            }
            out.truncate(kept);
        });
        drop(seen);
        let held = index.indexed_docs(fp.words.len());
        for (words, held) in fp.words.iter_mut().zip(held) {
            if !held {
                *words = Box::default();
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::shingle::word_hash;
    use crate::fingerprint::winnow::{winnow, winnow_each, winnow_into, SeenTwice};

    fn hashes(words: &str) -> Vec<u32> {
        crate::text::tokens(words).map(|t| word_hash(t.hash)).collect()
    }

    #[test]
    fn index_built_in_chunks_holds_every_posting_once_and_caps_repeats() {
        // Enough documents for many chunks; hashes spread over all 256 buckets.
        let docs: Vec<Vec<Anchor>> = (0..1000u32)
            .map(|d| {
                (0..(d % 7))
                    .map(|i| Anchor { hash: ((d % 50) * 97 + i).wrapping_mul(2_654_435_761), pos: i })
                    .chain((0..6).map(|i| Anchor { hash: 12345, pos: 100 + i }).filter(|_| d % 100 == 0))
                    .collect()
            })
            .collect();
        let index = AnchorIndex::build(docs.clone());
        let mut want: Vec<Posting> = Vec::new();
        for (d, list) in docs.iter().enumerate() {
            let repeats = list.iter().filter(|a| a.hash == 12345).count().min(MAX_REPEATS_PER_DOC);
            want.extend(list.iter().filter(|a| a.hash != 12345).map(|a| Posting {
                hash: a.hash,
                doc: d as u32,
                pos: a.pos,
            }));
            want.extend(list.iter().filter(|a| a.hash == 12345).take(repeats).map(|a| Posting {
                hash: a.hash,
                doc: d as u32,
                pos: a.pos,
            }));
        }
        want.sort_unstable_by_key(|p| (p.hash >> 24, *p));
        let got: Vec<Posting> = index.buckets.iter().flatten().copied().collect();
        assert_eq!(got, want);
        let held = index.indexed_docs(1001);
        assert!(held.iter().enumerate().all(|(d, &h)| h == (d < 1000 && (d % 7 != 0 || d % 100 == 0))));
    }

    #[test]
    fn any_shared_run_of_w_plus_k_minus_1_words_shares_an_anchor() {
        let (k, w) = (5, 2);
        let mut next = crate::test_rng::lcg_states(99);
        let mut word = || format!("w{}", next() >> 40);
        for trial in 0..200 {
            let run: Vec<String> = (0..w + k - 1).map(|_| word()).collect();
            let mut a: Vec<String> = (0..trial % 17).map(|_| word()).collect();
            a.extend(run.iter().cloned());
            a.extend((0..5).map(|_| word()));
            let mut b: Vec<String> = (0..trial % 5).map(|_| word()).collect();
            b.extend(run.iter().cloned());
            b.extend((0..9).map(|_| word()));
            let ha: Vec<u32> = winnow(&hashes(&a.join(" ")), k, w).iter().map(|a| a.hash).collect();
            let hb: Vec<u32> = winnow(&hashes(&b.join(" ")), k, w).iter().map(|a| a.hash).collect();
            assert!(ha.iter().any(|h| hb.contains(h)), "trial {trial}");
        }
    }

    #[test]
    fn winnowing_keeps_about_two_in_w_plus_one() {
        let text: Vec<String> = (0..2000).map(|i| format!("t{}", (i * 7919) % 1009)).collect();
        let n = winnow(&hashes(&text.join(" ")), 4, 3).len();
        assert!(n > 800 && n < 1200, "{n} anchors for ~2000 shingles");
    }

    #[test]
    fn seen_twice_keeps_every_repeated_hash_and_drops_most_lone_ones() {
        let seen = SeenTwice::new(10_000);
        for h in 0..10_000u32 {
            seen.mark(h.wrapping_mul(2_654_435_761));
        }
        for h in (0..10_000u32).step_by(10) {
            seen.mark(h.wrapping_mul(2_654_435_761));
        }
        let seen = seen.into_repeated();
        let repeated = (0..10_000u32).step_by(10).all(|h| seen.contains(h.wrapping_mul(2_654_435_761)));
        assert!(repeated, "a hash marked twice is never dropped");
        let lone_kept = (0..10_000u32).filter(|h| h % 10 != 0 && seen.contains(h.wrapping_mul(2_654_435_761))).count();
        assert!(lone_kept < 9_000 / 4, "{lone_kept} of 9,000 lone hashes kept");
        assert!(!SeenTwice::new(0).into_repeated().contains(7));
    }

    #[test]
    fn windows_of_two_pick_what_the_general_winnowing_picks() {
        let mut next = crate::test_rng::lcg_states(7);
        for len in 0..200 {
            // Few distinct values, so that ties (the rightmost smallest wins) are common.
            let shingles: Vec<u64> = (0..len).map(|_| (next() >> 61) << 40).collect();
            let mut general = Vec::new();
            winnow_each(&shingles, 2, |a| general.push(a));
            let mut fast = vec![Anchor { hash: 9, pos: 9 }];
            winnow_into(&shingles, 2, &mut fast);
            assert_eq!(fast[0], Anchor { hash: 9, pos: 9 }, "appended, not overwritten");
            assert_eq!(fast[1..], general[..], "{shingles:?}");
        }
    }

    #[test]
    fn radix_sort_by_hash_sorts_like_a_comparison_sort() {
        let mut next = crate::test_rng::lcg_states(3);
        for len in [0, 5, 2047, 2048, 8192, 20_000] {
            // Postings in (document, position) order, hashes sharing a top byte, many repeated.
            let mut postings: Vec<Posting> = (0..len as u32)
                .map(|i| {
                    let hash = 0x7700_0000 | (((next() >> 40) as u32 & 0x00ff_ffff) % (len as u32 / 3 + 1));
                    Posting { hash, doc: i / 7, pos: i % 7 }
                })
                .collect();
            let mut want = postings.clone();
            want.sort_unstable();
            let mut shuffled = postings.clone();
            shuffled.reverse();
            sort_by_hash(&mut postings, &mut Vec::new());
            assert_eq!(postings, want, "{len} postings");
            sort_by_hash(&mut shuffled, &mut Vec::new());
            assert_eq!(shuffled, want, "{len} postings out of order");
        }
    }

    #[test]
    fn short_texts_get_one_anchor() {
        assert_eq!(winnow(&hashes("one two"), 4, 3).len(), 1);
        assert!(winnow(&[], 4, 3).is_empty());
    }

    #[test]
    fn repeats_are_capped_and_frequent_anchors_dropped() {
        let same = "the same sentence again and again ".repeat(1000);
        let raw = winnow(&hashes(&same), 5, 2);
        assert!(raw.len() > 1000);
        let index = AnchorIndex::build(vec![raw]);
        assert!(index.len() <= 6 * MAX_REPEATS_PER_DOC, "{}", index.len());
        let docs: Vec<Vec<Anchor>> = (0..10).map(|_| vec![Anchor { hash: 1, pos: 0 }]).collect();
        let s = seed_pairs(&docs, 5, &|_, _| false);
        assert!(s.pairs.is_empty());
        assert_eq!(s.frequent_anchors, 1);
        let s = seed_pairs(&docs[..3], 5, &|_, _| false);
        assert_eq!(s.pairs.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), vec![(0, 1), (0, 2), (1, 2)]);
        let seeds = AnchorIndex::build(docs[..3].to_vec()).into_seed_index(3, 5, &|_, _| false);
        assert_eq!(seeds.len(), 3);
        let s = seed_pairs(&docs[..3], 5, &|d, _| d == 1);
        assert_eq!(s.pairs.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), vec![(0, 2)]);
    }
}
