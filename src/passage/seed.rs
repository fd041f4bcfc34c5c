//! Seeds: the shared anchors of two documents, gathered document by document from the anchor
//! index.
//!
//! Every anchor held by two or more documents (and at most `max_df`) makes a seed for each pair
//! of the documents holding it. A corpus of a million articles has tens of millions of such
//! pairs, nearly all of them sharing one coincidental five-word phrase. Their seeds are never
//! gathered all at once: the index is boiled down to a [`SeedIndex`] (the postings of the anchors
//! that can seed a pair, group after group, and for each document where its own postings are),
//! and [`SeedIndex::pairs_of`] walks one document's anchors to the later documents holding them.
//! The work of a document is its own seeds; no pass over the whole index is repeated, and no
//! sort bigger than one document's seeds is needed.

/// A shared anchor of two documents: `(position in a, position in b)`, token indices.
pub type Seed = (u32, u32);

/// Postings kept at most: they are numbered with `u32` (a corpus would need tens of millions of
/// articles to reach this; buckets past it are left out of passages with a warning).
const MAX_POSTINGS: usize = u32::MAX as usize;

/// One entry of the anchor index: an anchor held by a document at a position. Ordered by hash,
/// then document, then position, the order of the index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    /// The anchor's hash.
    pub hash: u32,
    /// The document holding it.
    pub doc: u32,
    /// Its token index in the document.
    pub pos: u32,
}

/// A seed of document `a` (the one asked about) with a later document `b`: where `a` and `b`
/// hold one anchor. Ordered by `b`, then position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PairSeed {
    /// The later document.
    pub b: u32,
    /// Token index of the anchor in `a`.
    pub a_pos: u32,
    /// Token index of the anchor in `b`.
    pub b_pos: u32,
}

/// The anchors that can seed a pair, and each document's place among them. Built by
/// [`crate::passage::anchor::AnchorIndex::into_seed_index`].
#[derive(Debug, Clone, Default)]
pub struct SeedIndex {
    /// Postings in buckets (the anchor index's own, filtered in place): within a bucket, one
    /// group (anchor) after another, each sorted by document.
    buckets: Vec<Vec<Posting>>,
    /// Number of the first posting of each bucket, then the total.
    bases: Vec<u32>,
    /// For each document in turn, the numbers of its postings.
    by_doc: Vec<u32>,
    /// Where each document's numbers start in `by_doc`, then the end.
    doc_starts: Vec<u32>,
}

impl SeedIndex {
    /// The index of `docs` documents over `buckets` of postings sorted by `(hash, document)`,
    /// holding only anchors that seed pairs: lists each document's postings, by a counting sort.
    pub fn new(mut buckets: Vec<Vec<Posting>>, docs: usize) -> Self {
        let mut bases = vec![0u32];
        let mut total = 0usize;
        for (i, b) in buckets.iter().enumerate() {
            if total + b.len() > MAX_POSTINGS {
                eprintln!("reprint: warning: more than {MAX_POSTINGS} anchor postings; some anchors are not used for passages");
                buckets.truncate(i);
                break;
            }
            total += b.len();
            bases.push(total as u32);
        }
        let mut doc_starts = vec![0u32; docs + 1];
        for &Posting { doc: d, .. } in buckets.iter().flatten() {
            if let Some(c) = doc_starts.get_mut(d as usize + 1) {
                *c += 1;
            }
        }
        for d in 0..docs {
            doc_starts[d + 1] += doc_starts[d];
        }
        let mut next: Vec<u32> = doc_starts[..docs].to_vec();
        let mut by_doc = vec![0u32; doc_starts[docs] as usize];
        for (p, &Posting { doc: d, .. }) in buckets.iter().flatten().enumerate() {
            if let Some(slot) = next.get_mut(d as usize) {
                by_doc[*slot as usize] = p as u32;
                *slot += 1;
            }
        }
        SeedIndex { buckets, bases, by_doc, doc_starts }
    }

    /// Number of documents.
    pub fn docs(&self) -> usize {
        self.doc_starts.len().saturating_sub(1)
    }

    /// Number of postings (of anchors that seed at least one pair).
    pub fn len(&self) -> usize {
        self.bases.last().map_or(0, |&n| n as usize)
    }

    /// True when no anchor seeds a pair.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The seeds document `a` shares with each later document: `out` is cleared and filled with
    /// a [`PairSeed`] for every seed with a `b > a`, sorted.
    pub fn pairs_of(&self, a: u32, out: &mut Vec<PairSeed>) {
        out.clear();
        let Some(range) = self.doc_starts.get(a as usize..a as usize + 2) else { return };
        let own = &self.by_doc[range[0] as usize..range[1] as usize];
        for (i, &p) in own.iter().enumerate() {
            // Each posting is a cache miss: ask for the one 4 ahead.
            if let Some(&ahead) = own.get(i + 4) {
                let (bucket, at) = self.locate(ahead);
                crate::memory::prefetch(&bucket[at]);
            }
            let (bucket, at) = self.locate(p);
            let Posting { hash, pos: a_pos, .. } = bucket[at];
            for &Posting { hash: h, doc, pos: b_pos } in &bucket[at + 1..] {
                if h != hash {
                    break;
                }
                if doc != a {
                    out.push(PairSeed { b: doc, a_pos, b_pos });
                }
            }
        }
        out.sort_unstable();
    }

    /// The bucket holding posting number `p`, and its place there.
    fn locate(&self, p: u32) -> (&[Posting], usize) {
        let b = self.bases.partition_point(|&base| base <= p) - 1;
        (&self.buckets[b], (p - self.bases[b]) as usize)
    }

    /// Every pair with its seeds, `(a, b, seeds)` sorted by `(a, b)` (for small inputs and
    /// tests: a scan walks [`SeedIndex::pairs_of`] one document at a time).
    pub fn all_pairs(&self) -> Vec<(u32, u32, Vec<Seed>)> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        for a in 0..self.docs() as u32 {
            self.pairs_of(a, &mut buf);
            for run in buf.chunk_by(|x, y| x.b == y.b) {
                out.push((a, run[0].b, run.iter().map(|s| (s.a_pos, s.b_pos)).collect()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: usize, list: &[&[(u32, u32)]]) -> SeedIndex {
        // Groups in two buckets, to cross a bucket boundary.
        let mut buckets = vec![Vec::new(), Vec::new()];
        for (h, g) in list.iter().enumerate() {
            buckets[h % 2].extend(g.iter().map(|&(doc, pos)| Posting { hash: h as u32, doc, pos }));
        }
        SeedIndex::new(buckets, docs)
    }

    #[test]
    fn each_pair_gets_its_seeds_once_from_its_first_document() {
        // Document 0 holds one anchor twice; documents 1 and 3 share two anchors.
        let s = index(6, &[&[(0, 5), (0, 9), (1, 2), (3, 4)], &[(1, 7), (3, 8)], &[(2, 1), (4, 1), (5, 3)]]);
        assert_eq!(s.len(), 9);
        let want: Vec<(u32, u32, Vec<Seed>)> = vec![
            (0, 1, vec![(5, 2), (9, 2)]),
            (0, 3, vec![(5, 4), (9, 4)]),
            (1, 3, vec![(2, 4), (7, 8)]),
            (2, 4, vec![(1, 1)]),
            (2, 5, vec![(1, 3)]),
            (4, 5, vec![(1, 3)]),
        ];
        assert_eq!(s.all_pairs(), want);
        let mut buf = vec![PairSeed { b: 9, a_pos: 9, b_pos: 9 }];
        s.pairs_of(5, &mut buf);
        assert!(buf.is_empty(), "the last document starts no pair");
        s.pairs_of(99, &mut buf);
        assert!(buf.is_empty(), "an unknown document has no pairs");
        assert!(SeedIndex::default().all_pairs().is_empty());
        assert!(index(3, &[]).all_pairs().is_empty());
    }
}
