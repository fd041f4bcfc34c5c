//! A query's scan, part by part: the archived documents it loaded scanned with the new ones in
//! parts of bounded size, so that its memory follows the part, not the archive.
//!
//! The archived documents that share an LSH band bucket or a containment sample with a new one
//! are scanned in one part with the new documents: their candidate pairs, and the clusters
//! those make, need them together. The others (on a large archive, the bulk: 570,000 of a
//! million for 10,000 new articles) share only anchors with a new document, and such a document
//! can only be in a passage pair with a new one, found from the anchors the two share and
//! nothing else. They are scanned in chunks of at most [`Archive::scan_in_parts_of`] bytes of
//! text, each with the new documents, asked only for the pairs whose earlier document is in the
//! chunk ([`Whole::earlier_only`]). Sources are numbered once for every part, so that each
//! source's boilerplate is read from the archive once. A small query (at most `SMALL_PART`
//! documents, archived and new) is one part, which reads only the counts of its own shingles.

use super::query::{shingle_anchor_hashes, SMALL_PART};
use super::store::archive_error;
use super::{Archive, DocKeys};
use crate::corpus::Doc;
use crate::error::Result;
use crate::fingerprint::{Fingerprinted, Fingerprints};
use crate::neardup::cluster::Cluster;
use crate::neardup::{sort_pairs, Pair};
use crate::passage::boilerplate::Boilerplate;
use crate::progress::{Progress, Unit};
use crate::scan::{scan_part, scan_part_with, ScanResult, ScanStats, Whole};
use ahash::{AHashMap, AHashSet};

/// Text bytes of the archived documents that only share anchors with new ones scanned in one
/// part by default. Each part costs a fingerprint of the new documents again, and holds about
/// 2.7 bytes per byte of text loaded (BENCHMARKS.md, "An archive query in parts": 10,000 new
/// articles against a million held 5.3 GB in one part; in parts of 400 MB, 1.8 GB and 15% more
/// time; of 1 GB, the default, about 3.3 GB and 5% more).
pub const QUERY_PART_BYTES: u64 = 1_000_000_000;

/// What the archive's lookups found for a query: which archived documents to load, and what
/// only the whole archive knows.
pub(super) struct Wanted {
    /// The archived documents that may pair with a new one, ascending.
    pub(super) docs: Vec<u32>,
    /// Those of them that share a band bucket or a containment sample with a new one.
    pub(super) signed: AHashSet<u32>,
    /// Documents of the whole (archive and new).
    pub(super) documents: usize,
    /// The new documents' anchors held by more than `max_df` documents of the whole.
    pub(super) frequent: AHashSet<u32>,
    /// The new documents' containment samples held by more than `containment_max_df`.
    pub(super) frequent_samples: AHashSet<u64>,
}

/// Where a document of a part is in the whole query: an archived document by its number, or a
/// new one by its position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Archived(u32),
    New(u32),
}

/// What the parts found together, documents by [`Place`].
#[derive(Default)]
pub(super) struct Scanned {
    /// The pairs, `a` and `b` to be read through `places`.
    pairs: Vec<Pair>,
    /// Pair ends and cluster members by place: index `i` of `pairs` and `clusters` is `places[i]`.
    places: Vec<(Place, Place)>,
    /// The near-duplicate clusters (all from the first part), members by place.
    clusters: Vec<(u32, Vec<Place>)>,
    /// The parts' counts, summed.
    stats: ScanStats,
    /// Archived documents scanned.
    pub(super) loaded: usize,
    /// Text bytes scanned (archived and new).
    pub(super) bytes: u64,
    /// Distinct sources among the documents scanned.
    pub(super) sources: usize,
    /// Parts scanned.
    pub(super) parts: usize,
}

/// Sources numbered once for every part of a query (boilerplate is kept by source number).
#[derive(Default)]
struct SourceNumbers {
    numbers: AHashMap<String, u32>,
}

impl SourceNumbers {
    /// The number of source `name`, given on first sight.
    fn number(&mut self, name: Option<&str>) -> Option<u32> {
        let name = name?;
        if let Some(&n) = self.numbers.get(name) {
            return Some(n);
        }
        let n = self.numbers.len() as u32;
        self.numbers.insert(name.to_string(), n);
        Some(n)
    }
}

/// The new documents' share of each source's boilerplate counts: per source number, the new
/// documents it has and how many of them hold each anchor.
pub(super) struct NewCounts {
    /// New documents per source.
    pub(super) docs: AHashMap<u32, usize>,
    /// Per source, (anchor, new documents holding it).
    pub(super) anchors: AHashMap<u32, Vec<(u32, usize)>>,
}

impl NewCounts {
    /// The counts of the new documents whose sources are `sources` and anchors `keys`.
    fn of(sources: &[Option<u32>], keys: &[DocKeys]) -> Self {
        let mut docs: AHashMap<u32, usize> = AHashMap::new();
        let mut counts: AHashMap<(u32, u32), usize> = AHashMap::new();
        for (s, k) in sources.iter().zip(keys) {
            let Some(s) = *s else { continue };
            *docs.entry(s).or_default() += 1;
            for &h in &k.anchors {
                *counts.entry((s, h)).or_default() += 1;
            }
        }
        let mut anchors: AHashMap<u32, Vec<(u32, usize)>> = AHashMap::new();
        for ((s, h), n) in counts {
            anchors.entry(s).or_default().push((h, n));
        }
        NewCounts { docs, anchors }
    }
}

impl Archive {
    /// Scans the archived documents `wanted` with the new `docs` (their texts `new_texts`,
    /// keys `keys`, fingerprints `new_fp`), part by part (see the module's doc), under the read
    /// transaction the caller holds.
    pub(super) fn scan_parts(
        &self,
        docs: &[Doc],
        new_texts: &[String],
        keys: &[DocKeys],
        new_fp: Fingerprints,
        wanted: &Wanted,
        progress: &dyn Progress,
    ) -> Result<Scanned> {
        // A small query is one part, all its archived documents with the new ones: it then reads
        // only the counts of its own shingles.
        let small = wanted.docs.len() + docs.len() <= SMALL_PART;
        let (signed, rest): (Vec<u32>, Vec<u32>) = match small {
            true => (wanted.docs.clone(), Vec::new()),
            false => wanted.docs.iter().partition(|n| wanted.signed.contains(n)),
        };
        let mut names = SourceNumbers::default();
        let new_sources: Vec<Option<u32>> = docs.iter().map(|d| names.number(d.source.as_deref())).collect();
        let new_counts = NewCounts::of(&new_sources, keys);
        let mut boilerplate: AHashSet<(u32, u32)> = AHashSet::new();
        let mut read_sources: AHashSet<u32> = AHashSet::new();
        // Chunks find no candidate pairs (none of their documents has a signature), and need no
        // containment samples.
        let chunk_cfg = crate::config::ScanConfig { containment: None, ..self.cfg.clone() };
        // The new documents, fingerprinted once (for their keys) for every chunk.
        let bytes = new_texts.iter().map(|t| t.len() as u64).sum();
        let known = (!rest.is_empty()).then(|| Fingerprinted::of(new_fp, bytes));
        let mut out = Scanned { bytes: docs.iter().map(|d| d.byte_len()).sum(), ..Scanned::default() };
        let mut next = 0;
        let mut first = true;
        while first || next < rest.len() {
            progress.start("load", None, Unit::Docs);
            let (nums, budget) = match first {
                true => (&signed[..], None),
                false => (&rest[next..], Some(self.part_bytes)),
            };
            let (corpus, taken) = self.part_corpus(nums, budget, docs, new_texts.to_vec())?;
            progress.finish();
            let nums = &nums[..taken];
            let sources: Vec<Option<u32>> = corpus.docs.iter().map(|d| names.number(d.source.as_deref())).collect();
            // Each source's boilerplate, read once: for the sources first seen in this part.
            let mut fresh: Vec<(u32, &str)> = Vec::new();
            for (d, s) in corpus.docs.iter().zip(&sources) {
                if let (Some(s), Some(name)) = (*s, d.source.as_deref()) {
                    if read_sources.insert(s) {
                        fresh.push((s, name));
                    }
                }
            }
            let needed = small.then(|| shingle_anchor_hashes(&corpus, &sources, &self.cfg.in_tokens()));
            progress.start("counts", None, Unit::Docs);
            boilerplate.extend(self.boilerplate(&fresh, &new_counts, needed.as_ref())?);
            progress.finish();
            let whole = Whole {
                first_new: taken as u32,
                end_new: corpus.docs.len() as u32,
                documents: wanted.documents,
                frequent: wanted.frequent.clone(),
                // The first part holds every member of the new documents' buckets.
                oversized: AHashSet::new(),
                boilerplate: Boilerplate::from_anchors(boilerplate.clone()),
                frequent_samples: wanted.frequent_samples.clone(),
                anchors_only: match first {
                    // Those sharing no bucket or sample with a new one need no signature.
                    true => nums.iter().map(|n| !wanted.signed.contains(n)).chain(docs.iter().map(|_| false)).collect(),
                    false => vec![true; corpus.docs.len()],
                },
                earlier_only: !first,
            };
            let result = match first {
                true => scan_part(&corpus, &sources, &self.cfg, Some(&whole), progress),
                false => scan_part_with(&corpus, &sources, &chunk_cfg, Some(&whole), known.as_ref(), progress),
            };
            // A text that could not be read back from the temporary file was scanned empty.
            if let Some(e) = corpus.spill_failure() {
                return Err(archive_error(&self.path, e));
            }
            out.loaded += taken;
            out.bytes += corpus.docs[..taken].iter().map(|d| d.byte_len()).sum::<u64>();
            out.absorb(result, nums, first);
            out.parts += 1;
            next += if first { 0 } else { taken };
            first = false;
        }
        out.stats.boilerplate_anchors = boilerplate.len();
        out.sources = names.numbers.len();
        Ok(out)
    }
}

impl Scanned {
    /// Takes in a part's result, its archived documents being `nums` (the first `nums.len()` of
    /// the part), the new ones after them.
    fn absorb(&mut self, result: ScanResult, nums: &[u32], first: bool) {
        let place = |d: u32| match nums.get(d as usize) {
            Some(&n) => Place::Archived(n),
            None => Place::New(d - nums.len() as u32),
        };
        self.places.extend(result.pairs.iter().map(|p| (place(p.a), place(p.b))));
        self.pairs.extend(result.pairs);
        self.clusters.extend(result.clusters.into_iter().map(|c| (c.id, c.members.into_iter().map(place).collect())));
        let (s, part) = (&mut self.stats, result.stats);
        if first {
            *s = part;
            return;
        }
        s.documents += part.documents;
        s.documents_without_words += part.documents_without_words;
        s.shingles += part.shingles;
        s.lsh_candidates += part.lsh_candidates;
        s.containment_candidates += part.containment_candidates;
        s.aligned_pairs += part.aligned_pairs;
        s.passages += part.passages;
        s.unquoted_dropped += part.unquoted_dropped;
    }

    /// The archived documents a pair or cluster names, ascending: what the query's corpus holds
    /// before the new documents.
    pub(super) fn archived_named(&self) -> Vec<u32> {
        let ends = self.places.iter().flat_map(|&(a, b)| [a, b]);
        let members = self.clusters.iter().flat_map(|(_, m)| m.iter().copied());
        let mut nums: Vec<u32> = ends
            .chain(members)
            .filter_map(|p| match p {
                Place::Archived(n) => Some(n),
                Place::New(_) => None,
            })
            .collect();
        nums.sort_unstable();
        nums.dedup();
        nums
    }

    /// The result, documents numbered as in a corpus of the archived documents `named` (see
    /// [`Scanned::archived_named`]) followed by the new ones; pairs sorted as a scan sorts
    /// them.
    pub(super) fn result(self, named: &[u32]) -> ScanResult {
        let index = |p: Place| match p {
            Place::Archived(n) => named.binary_search(&n).expect("every archived document named is kept") as u32,
            Place::New(i) => named.len() as u32 + i,
        };
        let mut pairs = self.pairs;
        for (p, &(a, b)) in pairs.iter_mut().zip(&self.places) {
            (p.a, p.b) = (index(a), index(b));
        }
        sort_pairs(&mut pairs);
        let clusters = self
            .clusters
            .into_iter()
            .map(|(id, members)| Cluster { id, members: members.into_iter().map(index).collect() })
            .collect();
        ScanResult { pairs, clusters, stats: self.stats }
    }
}
