//! Fingerprint stage: every document's shingle set and MinHash signature, computed in parallel.

pub mod shingle;
pub mod signature;
pub mod winnow;

use crate::corpus::Texts;
use crate::fingerprint::shingle::{shingle_set_of, shingle_set_of_words, shingles_in_order};
use crate::fingerprint::signature::MinHasher;
use crate::text::TokenUnit;
use rayon::prelude::*;
use winnow::{winnow, winnow_into, Anchor, SeenTwice};

/// Fingerprints of a corpus, indexed like its documents.
#[derive(Debug, Default)]
pub struct Fingerprints {
    /// Values per signature.
    pub perms: usize,
    /// Tokens per shingle.
    pub shingle: usize,
    /// What a token is (words, or letters for OCR text).
    pub unit: TokenUnit,
    /// Shingle positions of each document (a phrase repeated counts each time); 0 for a document
    /// without words.
    pub counts: Vec<u32>,
    /// Sorted, deduplicated shingle hashes of each document, empty until
    /// [`Fingerprints::make_sets`] has been called for it. Exact verification needs sets, the
    /// signature does not, and most documents are never verified: their sets are computed again
    /// from the text on demand rather than kept for every document (at a million articles they
    /// would be 5 GB).
    pub shingles: Vec<Box<[u64]>>,
    /// Whether document `i`'s set has been made.
    pub is_set: Vec<bool>,
    /// Signatures back to back: document `i` is `signatures[i * perms..(i + 1) * perms]`. The
    /// scan frees them once candidates are found, before the passage stage.
    pub signatures: Vec<u32>,
    /// How passage anchors were chosen, when they were asked for.
    pub anchor_spec: AnchorSpec,
    /// The anchor hashes marked while fingerprinting: which may be held by two documents.
    pub seen: Option<SeenTwice>,
    /// Token hashes of each document, cut to 32 bits, for aligning passages without tokenizing
    /// again (empty when anchors were not asked for). Two different words agree by chance with
    /// probability 2^-32 per comparison.
    pub words: Vec<Box<[u32]>>,
}

/// Which anchors to compute beside the fingerprints: `(words per anchor shingle, window)`.
pub type AnchorSpec = Option<(usize, usize)>;

impl Fingerprints {
    /// Signature of document `i`.
    pub fn signature(&self, i: usize) -> &[u32] {
        &self.signatures[i * self.perms..(i + 1) * self.perms]
    }

    /// Makes, in parallel, the shingle set of every document in `docs` that has none yet: from its
    /// word hashes while they are kept (no tokenizing), otherwise from `texts` (the texts that
    /// were fingerprinted). Returns which documents were asked for.
    pub fn make_sets<X: Texts + ?Sized>(&mut self, texts: &X, docs: impl IntoIterator<Item = u32>) -> Vec<bool> {
        self.sets_of(texts, docs, false)
    }

    /// [`Fingerprints::make_sets`], then frees every document's word hashes: each wanted
    /// document's as soon as its set is made, so the two are never all held at once.
    pub fn make_sets_and_drop_words<X: Texts + ?Sized>(
        &mut self,
        texts: &X,
        docs: impl IntoIterator<Item = u32>,
    ) -> Vec<bool> {
        let want = self.sets_of(texts, docs, true);
        self.words = Vec::new();
        want
    }

    fn sets_of<X: Texts + ?Sized>(
        &mut self,
        texts: &X,
        docs: impl IntoIterator<Item = u32>,
        drop_words: bool,
    ) -> Vec<bool> {
        let mut want = vec![false; self.shingles.len()];
        for d in docs {
            if let Some(w) = want.get_mut(d as usize) {
                *w = true;
            }
        }
        if drop_words {
            // The others' words first: they are not needed for anything more.
            for (words, w) in self.words.iter_mut().zip(&want) {
                if !w {
                    *words = Box::default();
                }
            }
        }
        let (k, unit) = (self.shingle, self.unit);
        // Without word hashes (freed, or never kept), every set comes from its text.
        self.words.resize_with(self.shingles.len(), Box::default);
        self.shingles
            .par_iter_mut()
            .zip(self.is_set.par_iter_mut())
            .zip(want.par_iter())
            .zip(self.words.par_iter_mut())
            .enumerate()
            .filter(|(_, (((_, done), w), _))| **w && !**done)
            .for_each_init(
                || (Vec::new(), String::new()),
                |(scratch, buf), (i, (((s, done), _), words))| {
                    *s = if words.is_empty() {
                        shingle_set_of(unit, texts.text(i, buf), k, scratch)
                    } else {
                        let set = shingle_set_of_words(words, k);
                        if drop_words {
                            *words = Box::default();
                        }
                        set
                    };
                    *done = true;
                },
            );
        want
    }

    /// Frees every shingle set made so far.
    pub fn drop_sets(&mut self) {
        self.shingles.iter_mut().for_each(|s| *s = Box::default());
        self.is_set.iter_mut().for_each(|s| *s = false);
    }

    /// Makes every document's shingle set.
    pub fn make_all_sets<X: Texts + ?Sized>(&mut self, texts: &X) {
        let n = self.shingles.len() as u32;
        self.make_sets(texts, 0..n);
    }

    /// Number of fingerprinted documents.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when there are no documents.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Fingerprints `texts` with shingles of `shingle` tokens (`unit`: words or letters) and `hasher`, and their passage anchors when
/// `anchors` says how. Each text is tokenized once. `total_bytes` (the texts' length, summed) sizes
/// the anchor bitsets. Documents `unsigned` marks (none when it is empty) get no signature: theirs
/// is left zero, for callers that never ask for it. `on_done(bytes)` is called as documents
/// finish (for progress display).
#[allow(clippy::too_many_arguments)]
pub fn fingerprint_all<X: Texts + ?Sized>(
    texts: &X,
    unit: TokenUnit,
    shingle: usize,
    hasher: &MinHasher,
    anchors: AnchorSpec,
    total_bytes: u64,
    unsigned: &[bool],
    on_done: &(dyn Fn(u64) + Sync),
) -> Fingerprints {
    let perms = hasher.perms();
    // About one anchor per token for small windows; one word per 6 bytes of text, a letter
    // per 1.25.
    let tokens = match unit {
        TokenUnit::Words => total_bytes / 6,
        TokenUnit::Letters => total_bytes * 4 / 5,
    };
    let seen = anchors.map(|(_, w)| SeenTwice::new(tokens * 2 / (w as u64 + 1)));
    let n = texts.count();
    let mut signatures = vec![0u32; n * perms];
    let per_doc: Vec<(u32, Box<[u32]>)> = (0..n)
        .into_par_iter()
        .zip(signatures.par_chunks_mut(perms))
        .map_init(
            || (Vec::new(), Vec::new(), Vec::new(), String::new()),
            |(words, in_order, found, buf): &mut (Vec<u32>, Vec<u64>, Vec<Anchor>, String), (i, sig)| {
                let text = texts.text(i, buf);
                words.clear();
                unit.hashes(text, words);
                in_order.clear();
                shingles_in_order(words, shingle, in_order);
                let kept = match (anchors, &seen) {
                    (Some((k, w)), Some(seen)) => {
                        // Only marked here: the anchors are found again from the word hashes once
                        // every document is marked, and only those another document holds kept
                        // (`Fingerprints::anchor_index`).
                        found.clear();
                        if k == shingle {
                            winnow_into(in_order, w, found);
                        } else {
                            found.extend(winnow(words, k, w));
                        }
                        const AHEAD: usize = 8;
                        found.iter().take(AHEAD).for_each(|a| seen.prefetch(a.hash));
                        for (i, a) in found.iter().enumerate() {
                            if let Some(next) = found.get(i + AHEAD) {
                                seen.prefetch(next.hash);
                            }
                            seen.mark(a.hash);
                        }
                        words.as_slice().into()
                    }
                    _ => Box::default(),
                };
                // The signature does not need a set (a minimum ignores order and repeats); sets
                // are made later, for the documents verified (`make_sets`).
                if !unsigned.get(i).copied().unwrap_or(false) {
                    hasher.signature_into(in_order, sig);
                }
                on_done(text.len() as u64);
                (in_order.len().min(u32::MAX as usize) as u32, kept)
            },
        )
        .collect();
    let (counts, words): (Vec<u32>, Vec<Box<[u32]>>) = per_doc.into_iter().unzip();
    let shingles = vec![Box::default(); counts.len()];
    let is_set = vec![false; counts.len()];
    Fingerprints { perms, shingle, unit, counts, shingles, is_set, signatures, anchor_spec: anchors, seen, words }
}

/// Documents fingerprinted once for several scans: an archive query's new documents, scanned
/// with each part of the archived documents it loads (tokenizing them again for each part was
/// most of a part's fixed cost). Their shingle counts and token hashes, and the hashes of their
/// anchors, to mark in each scan's bitsets; no signatures (see [`Fingerprinted::append_to`]).
#[derive(Debug, Default)]
pub struct Fingerprinted {
    counts: Vec<u32>,
    words: Vec<Box<[u32]>>,
    anchors: Vec<Box<[u32]>>,
    bytes: u64,
}

impl Fingerprinted {
    /// The documents `fp` holds, their texts `bytes` long (summed), kept for several scans with
    /// the options `fp` was made with: its signatures and sets are let go.
    pub fn of(fp: Fingerprints, bytes: u64) -> Self {
        let hashes = match fp.anchor_spec {
            Some((k, w)) => fp
                .words
                .par_iter()
                .map_init(
                    || (Vec::new(), Vec::new()),
                    |(in_order, found), words| {
                        found.clear();
                        winnow::anchors_of(words, k, w, in_order, found);
                        found.iter().map(|a| a.hash).collect()
                    },
                )
                .collect(),
            None => Vec::new(),
        };
        Fingerprinted { counts: fp.counts, words: fp.words, anchors: hashes, bytes }
    }

    /// Documents held.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Bytes of their texts.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Appends these documents to `fp`, made with the same options and its anchor bitsets sized
    /// for these documents' text too: their anchors are marked, their counts and token hashes
    /// copied; their signatures are left zero (ask for none: the documents must be
    /// [`crate::scan::Whole::anchors_only`]). `fp` is then what [`fingerprint_all`] gives for
    /// its texts and these after them.
    pub fn append_to(&self, fp: &mut Fingerprints) {
        if let Some(seen) = &fp.seen {
            self.anchors.par_iter().for_each(|hashes| hashes.iter().for_each(|&h| seen.mark(h)));
        }
        let n = self.len();
        fp.counts.extend(&self.counts);
        fp.shingles.extend(std::iter::repeat_with(Box::default).take(n));
        fp.is_set.extend(std::iter::repeat_n(false, n));
        fp.signatures.resize(fp.signatures.len() + n * fp.perms, 0);
        fp.words.extend(self.words.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::shingle::shingle_set;

    #[test]
    fn anchor_index_keeps_shared_anchors_and_frees_the_words_of_documents_in_no_pair() {
        let shared = "the minister said the summit would open a new chapter of cooperation";
        let texts = [
            format!("alpha beta gamma delta epsilon {shared} zeta eta theta"),
            "a completely different story about markets and growth in the third quarter".to_string(),
            format!("{shared} and then something else entirely about weather"),
        ];
        let hasher = MinHasher::new(64, 7);
        let mut fp = fingerprint_all(&texts[..], TokenUnit::Words, 5, &hasher, Some((5, 2)), 300, &[], &|_| {});
        assert!(fp.words.iter().all(|w| !w.is_empty()), "every document's words kept until indexing");
        let index = crate::passage::anchor::AnchorIndex::of_fingerprints(&mut fp, 0..u32::MAX);
        assert!(fp.seen.is_none(), "marks freed");
        assert_eq!(index.indexed_docs(3), vec![true, false, true]);
        assert!(fp.words[1].is_empty() && !fp.words[0].is_empty() && !fp.words[2].is_empty());
        let seeds = index.seed_pairs(10, &|_, _| false).pairs;
        assert_eq!(seeds.len(), 1);
        assert_eq!((seeds[0].0, seeds[0].1), (0, 2));
        assert!(seeds[0].2.iter().all(|&(a, b)| a == b + 5), "seeds lie on the copy's diagonal: {:?}", seeds[0].2);
    }

    #[test]
    fn documents_fingerprinted_once_and_appended_index_as_if_fingerprinted_with_the_rest() {
        let docs = crate::synth::test_docs(60, 5);
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        let (first, last) = texts.split_at(40);
        let spec = Some((5, 2));
        let hasher = MinHasher::new(64, 7);
        let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
        let all = vec![true; texts.len()];
        let mut whole = fingerprint_all(&texts, TokenUnit::Words, 5, &hasher, spec, bytes, &all, &|_| {});
        let last_bytes = last.iter().map(|t| t.len() as u64).sum();
        let last_fp = fingerprint_all(last, TokenUnit::Words, 5, &hasher, spec, last_bytes, &[], &|_| {});
        let once = Fingerprinted::of(last_fp, last_bytes);
        for (words, hashes) in once.words.iter().zip(&once.anchors) {
            let (mut in_order, mut found) = (Vec::new(), Vec::new());
            winnow::anchors_of(words, 5, 2, &mut in_order, &mut found);
            assert_eq!(
                found.iter().map(|a| a.hash).collect::<Vec<_>>(),
                hashes.to_vec(),
                "each document's own anchors"
            );
        }
        let mut parts = fingerprint_all(first, TokenUnit::Words, 5, &hasher, spec, bytes, &all, &|_| {});
        once.append_to(&mut parts);
        assert_eq!((&parts.counts, &parts.words), (&whole.counts, &whole.words));
        assert_eq!(parts.signatures.len(), whole.signatures.len());
        let seeds = |fp: &mut Fingerprints| {
            let index = crate::passage::anchor::AnchorIndex::of_fingerprints(fp, 0..u32::MAX);
            index.seed_pairs(10, &|_, _| false).pairs
        };
        let want = seeds(&mut whole);
        assert!(want.iter().any(|p| p.0 < 40 && p.1 >= 40), "pairs across the two sets");
        assert_eq!(seeds(&mut parts), want);
    }

    #[test]
    fn a_parts_anchor_index_keeps_only_anchors_the_documents_asked_about_hold() {
        let (p, q) = (
            "the minister said the summit would open a new chapter",
            "markets fell sharply in the third quarter as growth slowed",
        );
        let texts = [
            format!("alpha beta gamma delta {p} epsilon zeta"),
            format!("{p} then {q} and more"),
            format!("eta theta iota {q} kappa lambda"),
            "a story of its own with no words in common with any other story here at all".to_string(),
        ];
        let hasher = MinHasher::new(64, 7);
        let index = |asked: std::ops::Range<u32>, unsigned: &[bool]| {
            let mut fp =
                fingerprint_all(&texts[..], TokenUnit::Words, 5, &hasher, Some((5, 2)), 400, unsigned, &|_| {});
            let index = crate::passage::anchor::AnchorIndex::of_fingerprints(&mut fp, asked);
            let docs = index.indexed_docs(4);
            let pairs: Vec<(u32, u32)> = index.seed_pairs(10, &|_, _| false).pairs.iter().map(|s| (s.0, s.1)).collect();
            (fp, docs, pairs)
        };
        let (_, docs, pairs) = index(0..u32::MAX, &[]);
        assert_eq!((docs, pairs), (vec![true, true, true, false], vec![(0, 1), (1, 2)]));
        // Asked about the third only: the first's phrase, held by no document asked about, is
        // not indexed, and the first drops out.
        let (fp, docs, pairs) = index(2..3, &[true, false, false, false]);
        assert_eq!((docs, pairs), (vec![false, true, true, false], vec![(1, 2)]));
        assert!(fp.signature(0).iter().all(|&v| v == 0), "left unsigned");
        assert_eq!(fp.signature(1), hasher.signature(&shingle_set(&texts[1], 5, &mut Vec::new())).as_slice());
    }

    #[test]
    fn signatures_of_shingles_in_order_equal_signatures_of_sets_and_sets_come_on_demand() {
        let texts = [
            "the minister said the minister said the minister said it again and again and again today",
            "a completely different story about markets and growth in the third quarter of the year",
            "",
        ];
        let hasher = MinHasher::new(128, 7);
        let mut fp = fingerprint_all(&texts[..], TokenUnit::Words, 5, &hasher, None, 0, &[], &|_| {});
        let mut scratch = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let set = shingle_set(t, 5, &mut scratch);
            assert_eq!(fp.signature(i), hasher.signature(&set).as_slice(), "{t}");
        }
        assert!(!fp.is_set[0] && fp.shingles[0].is_empty());
        assert_eq!(fp.counts, vec![12, 11, 0], "positions, repeats included");
        fp.make_sets(&texts[..], [0]);
        assert!(fp.is_set[0] && !fp.is_set[1] && fp.shingles[1].is_empty());
        assert_eq!(fp.shingles[0], shingle_set(texts[0], 5, &mut scratch));
        fp.make_all_sets(&texts[..]);
        assert_eq!(fp.shingles[1], shingle_set(texts[1], 5, &mut scratch));
        assert!(fp.shingles[2].is_empty());
    }
}
