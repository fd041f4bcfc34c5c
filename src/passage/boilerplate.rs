//! Boilerplate: text that one source repeats across many of its own documents (navigation menus,
//! "Leave a Reply", sign-offs, subscription pitches). It is found per source from the anchors: an
//! anchor that appears in at least `min_docs` documents of one source, and in at least `share` of
//! that source's documents, is that source's boilerplate. A wire story carried by many *different*
//! sources is reuse, not boilerplate, and is never flagged by this rule.

use crate::fingerprint::winnow::{anchors_of, Anchor};
use crate::passage::anchor::{AnchorIndex, MAX_REPEATS_PER_DOC};
use crate::passage::seed::Posting;
use ahash::AHashSet;
use rayon::prelude::*;

/// The boilerplate anchors of every source.
#[derive(Debug, Clone, Default)]
pub struct Boilerplate {
    anchors: AHashSet<(u32, u32)>,
    /// The sources with any boilerplate.
    sources: AHashSet<u32>,
}

impl Boilerplate {
    /// Finds the boilerplate anchors in `index`. `sources[d]` is document `d`'s source number
    /// (or `None`, for which nothing is boilerplate).
    pub fn find(index: &AnchorIndex, sources: &[Option<u32>], min_docs: usize, share: f64) -> Self {
        let mut per_source_docs: ahash::AHashMap<u32, usize> = ahash::AHashMap::new();
        for s in sources.iter().flatten() {
            *per_source_docs.entry(*s).or_default() += 1;
        }
        if per_source_docs.values().all(|&n| n < min_docs) {
            return Boilerplate::default();
        }
        // Bucket by bucket, in parallel; a set does not depend on the order it is filled in.
        let found = index.par_shared(|groups| {
            let mut found = Vec::new();
            let mut docs: Vec<(u32, u32)> = Vec::new();
            for group in groups.filter(|g| g.len() >= min_docs) {
                docs.clear();
                docs.extend(
                    group.iter().filter_map(|p| sources.get(p.doc as usize).copied().flatten().map(|s| (s, p.doc))),
                );
                docs.sort_unstable();
                docs.dedup();
                for run in docs.chunk_by(|x, y| x.0 == y.0) {
                    let source = run[0].0;
                    if run.len() >= min_docs && run.len() as f64 >= share * per_source_docs[&source] as f64 {
                        found.push((source, group[0].hash));
                    }
                }
            }
            found
        });
        let set: AHashSet<(u32, u32)> = found.into_iter().flatten().collect();
        let sources = set.iter().map(|&(s, _)| s).collect();
        Boilerplate { anchors: set, sources }
    }

    /// The boilerplate `anchors` (source number, anchor hash), decided elsewhere: by an archive,
    /// from its counts over every document it holds.
    pub fn from_anchors(anchors: AHashSet<(u32, u32)>) -> Self {
        let sources = anchors.iter().map(|&(s, _)| s).collect();
        Boilerplate { anchors, sources }
    }

    /// Positions of boilerplate anchors in each document, from its own word hashes (`words[d]`)
    /// rather than from an index: winnowed `k`-word anchors (window `w`), at most
    /// [`MAX_REPEATS_PER_DOC`] positions of one anchor, as the index keeps them. Gives what
    /// [`Boilerplate::positions`] gives when every document holding an anchor is indexed, for a
    /// scan that holds only some of them.
    pub fn positions_from_words(
        &self,
        words: &[Box<[u32]>],
        sources: &[Option<u32>],
        k: usize,
        w: usize,
    ) -> Vec<Vec<u32>> {
        if self.is_empty() {
            return vec![Vec::new(); words.len()];
        }
        words
            .par_iter()
            .enumerate()
            .map_init(
                || (Vec::new(), Vec::new()),
                |(in_order, anchors): &mut (Vec<u64>, Vec<Anchor>), (d, ws)| {
                    let Some(source) = sources.get(d).copied().flatten().filter(|s| self.sources.contains(s)) else {
                        return Vec::new();
                    };
                    anchors.clear();
                    anchors_of(ws, k, w, in_order, anchors);
                    let mut kept: Vec<(u32, u32)> = anchors
                        .iter()
                        .filter(|a| self.anchors.contains(&(source, a.hash)))
                        .map(|a| (a.hash, a.pos))
                        .collect();
                    kept.sort_unstable();
                    let mut out: Vec<u32> = kept
                        .chunk_by(|x, y| x.0 == y.0)
                        .flat_map(|run| run.iter().take(MAX_REPEATS_PER_DOC).map(|p| p.1))
                        .collect();
                    out.sort_unstable();
                    out
                },
            )
            .collect()
    }

    /// True when `source` has any boilerplate: passages of a document from another source have
    /// no boilerplate to trim.
    pub fn has_any(&self, source: Option<u32>) -> bool {
        source.is_some_and(|s| self.sources.contains(&s))
    }

    /// True when `hash` is boilerplate of `source`.
    pub fn contains(&self, source: Option<u32>, hash: u32) -> bool {
        source.is_some_and(|s| self.anchors.contains(&(s, hash)))
    }

    /// Positions of boilerplate anchors in each of `n` documents, sorted: where a document's
    /// boilerplate is, for judging passages without keeping every anchor.
    pub fn positions(&self, index: &AnchorIndex, sources: &[Option<u32>], n: usize) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); n];
        if self.is_empty() {
            return out;
        }
        // The lookups bucket by bucket in parallel; then each document's positions, sorted.
        let found = index.par_shared(|groups| {
            let mut found = Vec::new();
            for group in groups {
                for &Posting { hash, doc, pos } in group {
                    if self.contains(sources.get(doc as usize).copied().flatten(), hash) {
                        found.push((doc, pos));
                    }
                }
            }
            found
        });
        for (doc, pos) in found.into_iter().flatten() {
            if let Some(list) = out.get_mut(doc as usize) {
                list.push(pos);
            }
        }
        out.par_iter_mut().for_each(|list| list.sort_unstable());
        out
    }

    /// Number of (source, anchor) boilerplate entries.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when no source has boilerplate.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::winnow::Anchor;

    fn a(hashes: &[u32]) -> Vec<Anchor> {
        hashes.iter().enumerate().map(|(i, &hash)| Anchor { hash, pos: i as u32 }).collect()
    }

    #[test]
    fn repeated_within_a_source_is_boilerplate_across_sources_is_not() {
        // Source 0: four pages sharing menu anchor 7. Anchor 9 is shared by one page of each of
        // three sources: syndication, not boilerplate.
        let anchors = vec![a(&[7, 1]), a(&[7, 2]), a(&[7, 3, 9]), a(&[7, 4]), a(&[9, 5]), a(&[9, 6])];
        let sources = vec![Some(0), Some(0), Some(0), Some(0), Some(1), Some(2)];
        let b = Boilerplate::find(&AnchorIndex::build(anchors.clone()), &sources, 3, 0.2);
        assert!(b.contains(Some(0), 7));
        assert!(!b.contains(Some(0), 9) && !b.contains(Some(1), 9));
        assert!(!b.contains(None, 7));
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn a_rare_phrase_in_a_big_source_is_not_boilerplate() {
        let mut anchors: Vec<Vec<Anchor>> = (0..100).map(|i| a(&[1000 + i])).collect();
        for list in anchors.iter_mut().take(3) {
            list.push(Anchor { hash: 5, pos: 9 });
        }
        let b = Boilerplate::find(&AnchorIndex::build(anchors), &vec![Some(0); 100], 3, 0.2);
        assert!(b.is_empty(), "3 of 100 pages is a follow-up story, not a menu");
    }
}
