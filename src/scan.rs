//! The near-duplicate scan, stage by stage: fingerprint → candidates (LSH bands, and the sampled
//! containment index when asked) → exact verification → clusters. Pure computation over texts:
//! reading and printing happen elsewhere.

use crate::config::ScanConfig;
use crate::corpus::Texts;
use crate::fingerprint::shingle::{overlap, Overlap};
use crate::fingerprint::signature::{estimate_jaccard, MinHasher};
use crate::fingerprint::{fingerprint_all, Fingerprinted, Fingerprints};
use crate::neardup::band::{self, LshParams};
use crate::neardup::cluster::{clusters, Cluster};
use crate::neardup::containment;
use crate::neardup::{sort_pairs, FoundBy, Pair};
use crate::passage::anchor::AnchorIndex;
use crate::passage::boilerplate::Boilerplate;
use crate::passage::{find_passages, PassageInput};
use crate::progress::{Progress, Unit};
use rayon::prelude::*;
use serde::Serialize;

/// Counts describing a scan, for summaries and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanStats {
    /// Documents scanned.
    pub documents: usize,
    /// Documents with no word at all (only punctuation or symbols): they can match nothing.
    pub documents_without_words: usize,
    /// Shingles summed over documents (positions: a phrase repeated in one document counts
    /// each time).
    pub shingles: u64,
    /// Bands and rows used.
    pub lsh: Option<LshParams>,
    /// Candidate pairs from LSH buckets.
    pub lsh_candidates: usize,
    /// Candidate pairs from the containment index.
    pub containment_candidates: usize,
    /// Sampled shingles too frequent for the containment index.
    pub containment_skipped_postings: usize,
    /// Buckets too large to expand into pairs; clustered through their first document instead.
    pub oversized_buckets: usize,
    /// Documents in the largest such bucket.
    pub largest_bucket: usize,
    /// Document pairs sharing at least one anchor, aligned for passages.
    pub aligned_pairs: usize,
    /// Anchors dropped for being in more than `max_df` documents.
    pub frequent_anchors: usize,
    /// (source, anchor) entries found to be boilerplate.
    pub boilerplate_anchors: usize,
    /// Passages reported (boilerplate ones only with `show_boilerplate`).
    pub passages: usize,
    /// Passages dropped for being shorter than `min_unquoted_words` outside quotation marks.
    pub unquoted_dropped: usize,
}

/// Everything a scan found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanResult {
    /// Verified pairs, strongest first (Jaccard, then containment, then input order).
    pub pairs: Vec<Pair>,
    /// Near-duplicate clusters, in input order of their first member.
    pub clusters: Vec<Cluster>,
    /// Counts.
    pub stats: ScanStats,
}

/// What a scan of part of a corpus must know about the whole of it for its pairs to be the whole
/// corpus's: an archive query scans today's documents with only those archived documents that
/// may match them, and takes the rest from the archive's counts.
#[derive(Debug, Clone)]
pub struct Whole {
    /// The part's documents before this one are context (archived): only pairs whose later
    /// document is this one or after are found.
    pub first_new: u32,
    /// The part's documents from this one on are context too (a cluster job's part holds every
    /// member of its documents' LSH buckets, later ones included): only pairs whose later
    /// document is in `first_new..end_new` are found. An archive query's part ends with its new
    /// documents: `end_new` is its length.
    pub end_new: u32,
    /// Documents in the whole corpus (for a `max_df` given as a share).
    pub documents: usize,
    /// Anchors held by more than `max_df` documents of the whole corpus (only those the new
    /// documents hold need be here).
    pub frequent: ahash::AHashSet<u32>,
    /// The whole corpus's boilerplate, its sources numbered as in the part.
    pub boilerplate: Boilerplate,
    /// Band bucket keys with more than `max_bucket` members in the whole (only those the new
    /// documents have need be here): the part does not expand them, and pairs their members with
    /// the bucket's first document, which it must hold. Empty: the part holds every member of its
    /// buckets, and counts them itself.
    pub oversized: ahash::AHashSet<u64>,
    /// Containment samples held by more than `containment_max_df` documents of the whole (only
    /// those the new documents hold need be here; empty without containment search).
    pub frequent_samples: ahash::AHashSet<u64>,
    /// Documents of the part that share no LSH band bucket and no containment sample with one
    /// asked about, only anchors (empty: none). They can be in no LSH or containment candidate
    /// pair of a document asked about, so they get no MinHash signature, the most costly part of
    /// fingerprinting; a pair of one found through passages has its `minhash` from a signature
    /// made then, the same values.
    pub anchors_only: Vec<bool>,
    /// Only pairs whose earlier document is before `first_new` are found, and the part's counts
    /// (documents, shingles) are of those documents alone: a chunk of the archived documents an
    /// archive query loads, scanned with the new documents, whose pairs among themselves another
    /// part finds.
    pub earlier_only: bool,
}

/// The documents whose pairs are asked about: a part's `first_new..end_new`, or all.
fn asked(whole: Option<&Whole>) -> std::ops::Range<u32> {
    whole.map_or(0..u32::MAX, |w| w.first_new..w.end_new)
}

/// The documents whose pairs with one asked about are asked about: a chunk's archived ones
/// ([`Whole::earlier_only`]), or all.
fn earlier(whole: Option<&Whole>) -> std::ops::Range<u32> {
    match whole {
        Some(w) if w.earlier_only => 0..w.first_new,
        _ => 0..u32::MAX,
    }
}

/// Which documents get no signature ([`Whole::anchors_only`]; empty: none).
fn unsigned(whole: Option<&Whole>) -> &[bool] {
    whole.map_or(&[][..], |w| &w.anchors_only[..])
}

/// Fingerprints `texts` and finds their near-duplicate (and, if configured, containment) pairs
/// and shared passages. `sources[i]` numbers the source of text `i` (for boilerplate; may be
/// empty). `cfg` must have passed [`ScanConfig::validate`].
pub fn scan<X: Texts + ?Sized>(
    texts: &X,
    sources: &[Option<u32>],
    cfg: &ScanConfig,
    progress: &dyn Progress,
) -> ScanResult {
    scan_part(texts, sources, cfg, None, progress)
}

/// [`scan`] of part of a larger corpus described by `whole` (`None`: `texts` are the whole): the
/// pairs of the whole corpus that involve a document from `whole.first_new` on, with the same
/// scores and passages a scan of the whole corpus gives them, when the part holds every document
/// that shares an LSH bucket or a seeding anchor with those documents. Cluster numbers are the
/// part's own.
pub fn scan_part<X: Texts + ?Sized>(
    texts: &X,
    sources: &[Option<u32>],
    cfg: &ScanConfig,
    whole: Option<&Whole>,
    progress: &dyn Progress,
) -> ScanResult {
    scan_part_with(texts, sources, cfg, whole, None, progress)
}

/// [`scan_part`] where the part's last `known.len()` documents come fingerprinted already, with
/// the same options (see [`Fingerprinted::of`]; they must be [`Whole::anchors_only`]).
pub fn scan_part_with<X: Texts + ?Sized>(
    texts: &X,
    sources: &[Option<u32>],
    cfg: &ScanConfig,
    whole: Option<&Whole>,
    known: Option<&Fingerprinted>,
    progress: &dyn Progress,
) -> ScanResult {
    let cfg = &cfg.in_tokens();
    let hasher = MinHasher::new(cfg.perms, cfg.seed);
    let own = First { texts, count: texts.count() - known.map_or(0, Fingerprinted::len) };
    let own_bytes: u64 = (0..own.count).map(|i| texts.text_len(i)).sum();
    let total_bytes = own_bytes + known.map_or(0, Fingerprinted::bytes);
    progress.start("fingerprinting", Some(total_bytes), Unit::Bytes);
    let anchors = cfg.passages.then_some((cfg.anchor_k, cfg.winnow));
    let mut fp = fingerprint_all(&own, cfg.unit(), cfg.shingle, &hasher, anchors, total_bytes, unsigned(whole), &|n| {
        progress.advance(n)
    });
    if let Some(known) = known {
        known.append_to(&mut fp);
        progress.advance(known.bytes());
    }
    progress.finish();
    let mut result = find_pairs_from(texts, &mut fp, cfg, whole, progress);
    if cfg.passages {
        let keep = KEEP_SIGNATURES_BYTES;
        add_passages(texts, sources, &mut fp, &hasher, cfg, whole, progress, &mut result, keep);
    }
    result
}

/// The first `count` of `texts`.
struct First<'a, X: ?Sized> {
    texts: &'a X,
    count: usize,
}

impl<X: Texts + ?Sized> Texts for First<'_, X> {
    fn count(&self) -> usize {
        self.count
    }
    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str {
        self.texts.text(i, buf)
    }
    fn text_len(&self, i: usize) -> u64 {
        self.texts.text_len(i)
    }
}

/// Signatures up to this size (bytes) are kept through the passage stage rather than made again
/// for the pairs found through passages.
const KEEP_SIGNATURES_BYTES: usize = 256 << 20;

/// Finds the shared passages of every pair of documents sharing anchors, attaches them to the
/// near-duplicate pairs and adds the other pairs that share passages.
#[allow(clippy::too_many_arguments)]
fn add_passages<X: Texts + ?Sized>(
    texts: &X,
    sources: &[Option<u32>],
    fp: &mut Fingerprints,
    hasher: &MinHasher,
    cfg: &ScanConfig,
    whole: Option<&Whole>,
    progress: &dyn Progress,
    result: &mut ScanResult,
    keep_signatures_bytes: usize,
) {
    // Signatures are done with (candidates are found), but for the `minhash` of the pairs found
    // through passages. They are kept while small; past that they are freed now and those pairs
    // get theirs again from their sets, at the end (a million documents' take 512 MB).
    if fp.signatures.len() * 4 > keep_signatures_bytes {
        fp.signatures = Vec::new();
    }
    progress.start("indexing", None, Unit::Pairs);
    let n = fp.len();
    // Part of a corpus: boilerplate is the whole's, found in each document's own anchors (the
    // part may not hold the other documents that make them boilerplate).
    let boilerplate_at_part = whole.map(|w| {
        let (k, win) = fp.anchor_spec.unwrap_or((cfg.anchor_k, cfg.winnow));
        w.boilerplate.positions_from_words(&fp.words, sources, k, win)
    });
    let index = AnchorIndex::of_fingerprints(fp, asked(whole));
    let found_here;
    let boilerplate = match whole {
        Some(w) => &w.boilerplate,
        None => {
            found_here = Boilerplate::find(&index, sources, cfg.boilerplate_min_docs, cfg.boilerplate_share);
            &found_here
        }
    };
    let source = |d: usize| sources.get(d).copied().flatten();
    // Hidden boilerplate must not relate documents, so its anchors are not even indexed.
    let is_boilerplate = |d: u32, h: u32| boilerplate.contains(source(d as usize), h);
    let frequent_in_whole = |h: u32| whole.is_some_and(|w| w.frequent.contains(&h));
    let ignore = |d: usize, h: u32| (!cfg.show_boilerplate && is_boilerplate(d as u32, h)) || frequent_in_whole(h);
    let max_df = cfg.max_df_docs(whole.map_or(n, |w| w.documents));
    // A part counts the anchors its documents asked about hold that are too common in the whole
    // (its index holds only anchors those hold, and the others' holders are not loaded).
    result.stats.frequent_anchors = whole.map_or_else(|| index.frequent(max_df), |w| w.frequent.len());
    let boilerplate_at = match boilerplate_at_part {
        Some(at) => at,
        None => boilerplate.positions(&index, sources, n),
    };
    // Tens of millions of coincidental pairs at a million documents: they are seeded one
    // document at a time, never all held at once.
    let seeds = index.into_seed_index(n, max_df, &ignore);
    progress.finish();
    result.stats.boilerplate_anchors = boilerplate.len();
    progress.start("aligning", Some(n as u64), Unit::Docs);
    let input = PassageInput {
        new: asked(whole),
        earlier: earlier(whole),
        boilerplate_at: &boilerplate_at,
        is_boilerplate: &is_boilerplate,
        has_boilerplate: &|d: u32| boilerplate.has_any(source(d as usize)),
        words: &fp.words,
        params: cfg.align_params(),
        unit: cfg.unit(),
        min_tokens: cfg.min_tokens(),
        min_words: cfg.min_words,
        unquoted_floor: cfg.unquoted_floor(),
        keep_boilerplate: cfg.show_boilerplate,
    };
    let passages = find_passages(texts, &seeds, &input, &|| progress.advance(1));
    let found = passages.pairs;
    result.stats.aligned_pairs += passages.aligned;
    result.stats.unquoted_dropped += passages.unquoted_dropped;
    drop(seeds);
    progress.finish();
    progress.start("pairing", None, Unit::Pairs);
    // The near-duplicate pairs by (a, b), as positions into them: 4 bytes a pair where a hash
    // map took 30.
    let mut by_ends: Vec<u32> = (0..result.pairs.len() as u32).collect();
    let ends = |i: u32| (result.pairs[i as usize].a, result.pairs[i as usize].b);
    by_ends.par_sort_unstable_by_key(|&i| ends(i));
    let position = |a: u32, b: u32| by_ends.binary_search_by_key(&(a, b), |&i| ends(i)).ok();
    result.stats.passages += found.iter().map(|f| f.2.len()).sum::<usize>();
    // Each pair comes once, from its first document: near-duplicates get their passages, the
    // others become new pairs.
    let mut new = Vec::new();
    let mut attach = Vec::new();
    for (a, b, passages) in found {
        match position(a, b) {
            Some(i) => attach.push((by_ends[i], passages)),
            None => new.push((a, b, passages)),
        }
    }
    drop(by_ends);
    for (i, passages) in attach {
        result.pairs[i as usize].passages = passages;
    }
    // Sets are needed for the pairs that only share passages: made from the word hashes, which
    // are then done with.
    let wanted = fp.make_sets_and_drop_words(texts, new.iter().flat_map(|(a, b, _)| [*a, *b]));
    let fp = &*fp;
    // Freed signatures are made again, one per document (a document is often in many such
    // pairs), from its set: the same values (a minimum ignores order and repeats).
    // So are those of documents that never had one (`Whole::anchors_only`).
    let unsigned = unsigned(whole);
    let remake = |d: usize| fp.signatures.is_empty() || unsigned.get(d).copied().unwrap_or(false);
    let remade: Vec<Box<[u32]>> = match fp.signatures.is_empty() || unsigned.contains(&true) {
        true => (0..fp.len())
            .into_par_iter()
            .zip(wanted)
            .map(|(d, w)| if w && remake(d) { hasher.signature(&fp.shingles[d]).into() } else { Box::default() })
            .collect(),
        false => Vec::new(),
    };
    let signature = |d: u32| match remake(d as usize) {
        true => &remade[d as usize][..],
        false => fp.signature(d as usize),
    };
    let new_pairs: Vec<Pair> = new
        .into_par_iter()
        .map(|(a, b, passages)| {
            let (sa, sb) = (&fp.shingles[a as usize], &fp.shingles[b as usize]);
            let o = overlap(sa, sb);
            Pair {
                a,
                b,
                jaccard: o.jaccard,
                containment: o.containment,
                minhash: estimate_jaccard(signature(a), signature(b)),
                shared: o.shared,
                cluster: None,
                found_by: FoundBy::Passage,
                passages,
            }
        })
        .collect();
    result.pairs.extend(new_pairs);
    sort_pairs(&mut result.pairs);
    progress.finish();
}

/// The stages after fingerprinting, for callers that fingerprint `texts` on their own.
pub fn find_pairs<X: Texts + ?Sized>(
    texts: &X,
    fp: &mut Fingerprints,
    cfg: &ScanConfig,
    progress: &dyn Progress,
) -> ScanResult {
    find_pairs_from(texts, fp, cfg, None, progress)
}

/// [`find_pairs`] of part of a larger corpus (see [`scan_part`]): only the pairs whose later
/// document is in `whole.first_new..whole.end_new`.
fn find_pairs_from<X: Texts + ?Sized>(
    texts: &X,
    fp: &mut Fingerprints,
    cfg: &ScanConfig,
    whole: Option<&Whole>,
    progress: &dyn Progress,
) -> ScanResult {
    let (new, earlier) = (asked(whole), earlier(whole));
    let n = fp.len();
    let mut skip: Vec<bool> = fp.counts.iter().map(|&c| c == 0).collect();
    let params = cfg.lsh_params();
    // The documents this part answers for: its earlier ones alone when they are a chunk.
    let counted = n.min(earlier.end as usize);
    let mut stats = ScanStats {
        documents: counted,
        documents_without_words: skip[..counted].iter().filter(|&&s| s).count(),
        shingles: fp.counts[..counted].iter().map(|&c| c as u64).sum(),
        lsh: Some(params),
        ..ScanStats::default()
    };

    progress.start("candidates", None, Unit::Pairs);
    // Documents without a signature are in no bucket.
    for (s, &unsigned) in skip.iter_mut().zip(unsigned(whole)) {
        *s |= unsigned;
    }
    let oversized_in_whole = whole.map(|w| &w.oversized).filter(|o| !o.is_empty());
    let lsh = band::candidate_pairs(&fp.signatures, fp.perms, params, cfg.max_bucket, oversized_in_whole, &skip);
    // A part counts the candidates it is asked about: summed over parts, the whole's.
    let whole_part = new == (0..u32::MAX) && earlier == (0..u32::MAX);
    let asked_pair = |a: u32, b: u32| new.contains(&b) && earlier.contains(&a);
    stats.lsh_candidates =
        if whole_part { lsh.pairs.len() } else { lsh.pairs.iter().filter(|p| asked_pair(p.0, p.1)).count() };
    stats.oversized_buckets = lsh.oversized.len();
    stats.largest_bucket = lsh.oversized.iter().map(|b| b.members.len()).max().unwrap_or(0);
    let mut candidates: Vec<(u32, u32, FoundBy)> = lsh.pairs.iter().map(|&(a, b)| (a, b, FoundBy::Lsh)).collect();
    let lsh = lsh.oversized;
    if let Some(c) = cfg.containment {
        // The sampled index counts distinct shingles: every document needs its set.
        fp.make_all_sets(texts);
        let samples: Vec<Vec<u64>> =
            fp.shingles.par_iter().map(|s| containment::sample(s, cfg.containment_scale)).collect();
        // The estimate is noisy for short documents; verification below is exact.
        let frequent = whole.map(|w| &w.frequent_samples);
        let found = containment::candidate_pairs(&samples, c * 0.6, cfg.containment_max_df, frequent);
        stats.containment_candidates = found.pairs.iter().filter(|p| whole_part || asked_pair(p.0, p.1)).count();
        stats.containment_skipped_postings = found.skipped_postings;
        candidates.extend(found.pairs.iter().map(|&(a, b)| (a, b, FoundBy::Containment)));
    }
    for bucket in &lsh {
        let rep = bucket.members[0];
        candidates.extend(bucket.members[1..].iter().map(|&m| (rep, m, FoundBy::Bucket)));
    }
    if !whole_part {
        candidates.retain(|c| asked_pair(c.0, c.1));
    }
    candidates.par_sort_unstable();
    candidates.dedup_by_key(|c| (c.0, c.1));
    if let (Some(floor), None) = (cfg.estimate_floor(), cfg.containment) {
        // Low thresholds (OCR text) make LSH hand on many pairs far below them: those whose
        // MinHash estimate is four standard errors under the threshold are not verified.
        candidates.retain(|&(a, b, by)| {
            by != FoundBy::Lsh || estimate_jaccard(fp.signature(a as usize), fp.signature(b as usize)) >= floor
        });
    }
    fp.make_sets(texts, candidates.iter().flat_map(|&(a, b, _)| [a, b]));
    progress.finish();

    progress.start("verifying", Some(candidates.len() as u64), Unit::Pairs);
    let keep = |o: &crate::fingerprint::shingle::Overlap| {
        o.jaccard >= cfg.threshold || cfg.containment.is_some_and(|c| o.containment >= c)
    };
    // Which candidates hold, as a flag each, collected straight into place (a filtered parallel
    // collect gathers pieces and copies them: twice the pairs at once, and a million one-word
    // documents make ten million pairs); then the pairs, made again from their sets.
    let shared: Vec<Option<u32>> = candidates
        .par_iter()
        .map(|&(a, b, _)| {
            progress.advance(1);
            let o = overlap(&fp.shingles[a as usize], &fp.shingles[b as usize]);
            keep(&o).then_some(o.shared as u32)
        })
        .collect();
    let mut verified: Vec<(u32, u32, FoundBy, u32)> =
        candidates.iter().zip(shared).filter_map(|(&(a, b, by), s)| Some((a, b, by, s?))).collect();
    drop(candidates);
    verified.shrink_to_fit();
    let mut pairs: Vec<Pair> = verified
        .par_iter()
        .map(|&(a, b, found_by, shared)| {
            let o = Overlap::of_counts(shared as usize, fp.shingles[a as usize].len(), fp.shingles[b as usize].len());
            Pair {
                a,
                b,
                jaccard: o.jaccard,
                containment: o.containment,
                minhash: estimate_jaccard(fp.signature(a as usize), fp.signature(b as usize)),
                shared: o.shared,
                cluster: None,
                found_by,
                passages: Vec::new(),
            }
        })
        .collect();
    drop(verified);
    progress.finish();
    // The sets are made again later for the few documents that need them, rather than held
    // through the passage stage.
    fp.drop_sets();

    let clusters = clusters(n, pairs.iter().filter(|p| p.jaccard >= cfg.threshold).map(|p| (p.a, p.b)));
    let mut cluster_of = vec![None; n];
    for c in &clusters {
        for &m in &c.members {
            cluster_of[m as usize] = Some(c.id);
        }
    }
    for p in &mut pairs {
        if p.jaccard >= cfg.threshold {
            p.cluster = cluster_of[p.a as usize];
        }
    }
    sort_pairs(&mut pairs);
    ScanResult { pairs, clusters, stats }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    fn words(seed: u64, n: usize) -> Vec<String> {
        let mut next = crate::test_rng::lcg(seed);
        (0..n).map(|_| format!("w{}", next(5000))).collect()
    }

    #[test]
    fn finds_an_edited_copy_and_nothing_else() {
        let base = words(1, 400);
        let mut edited = base.clone();
        for i in (0..400).step_by(40) {
            edited[i] = "changed".into();
        }
        let texts = vec![base.join(" "), words(2, 400).join(" "), edited.join(" "), words(3, 300).join(" ")];
        let r = scan(&texts, &[], &ScanConfig::default(), &NoProgress);
        assert_eq!(r.pairs.len(), 1, "{:?}", r.pairs);
        let p = &r.pairs[0];
        assert_eq!((p.a, p.b, p.cluster), (0, 2, Some(0)));
        assert!(p.jaccard > 0.6 && p.jaccard < 0.9, "{}", p.jaccard);
        assert_eq!(r.clusters, vec![Cluster { id: 0, members: vec![0, 2] }]);
    }

    #[test]
    fn containment_finds_a_story_inside_a_roundup() {
        let story = words(10, 120);
        let mut roundup = words(11, 600);
        roundup.extend(story.iter().cloned());
        roundup.extend(words(12, 600));
        let texts = vec![story.join(" "), roundup.join(" ")];
        let plain = scan(&texts, &[], &ScanConfig { passages: false, ..ScanConfig::default() }, &NoProgress);
        assert!(plain.pairs.is_empty(), "Jaccard alone misses it");
        let with_passages = scan(&texts, &[], &ScanConfig::default(), &NoProgress);
        assert_eq!(with_passages.pairs.len(), 1, "the story is one shared passage");
        let p = &with_passages.pairs[0];
        assert_eq!((p.found_by, p.passages.len(), p.passages[0].words), (FoundBy::Passage, 1, 120));
        let cfg = ScanConfig { containment: Some(0.8), passages: false, ..ScanConfig::default() };
        let r = scan(&texts, &[], &cfg, &NoProgress);
        assert_eq!(r.pairs.len(), 1);
        assert_eq!(r.pairs[0].containment, 1.0);
        assert_eq!(r.pairs[0].cluster, None, "containment pairs do not make clusters");
        assert!(r.clusters.is_empty());
    }

    #[test]
    fn pairs_found_through_passages_get_the_same_minhash_from_kept_or_remade_signatures() {
        let story = words(20, 150);
        let texts: Vec<String> = (0..6u64)
            .map(|i| {
                let mut t = words(30 + i, 300);
                t.splice(100..100, story[(i as usize * 10)..].iter().cloned());
                t.join(" ")
            })
            .collect();
        let cfg = ScanConfig::default();
        let hasher = MinHasher::new(cfg.perms, cfg.seed);
        let run = |keep: usize| {
            let total = texts.iter().map(|t| t.len() as u64).sum();
            let anchors = Some((cfg.anchor_k, cfg.winnow));
            let mut fp = fingerprint_all(&texts, cfg.unit(), cfg.shingle, &hasher, anchors, total, &[], &|_| {});
            let mut r = find_pairs(&texts, &mut fp, &cfg, &NoProgress);
            add_passages(&texts, &[], &mut fp, &hasher, &cfg, None, &NoProgress, &mut r, keep);
            r
        };
        let (kept, remade) = (run(usize::MAX), run(0));
        assert_eq!(kept.pairs.len(), 15, "every two of the six share the story");
        assert!(kept.pairs.iter().all(|p| p.found_by == FoundBy::Passage && p.minhash > 0.0));
        assert_eq!(kept, remade);
    }

    #[test]
    fn huge_buckets_cluster_without_all_pairs() {
        let text = words(5, 200).join(" ");
        let texts: Vec<String> = (0..300).map(|_| text.clone()).collect();
        let r =
            scan(&texts, &[], &ScanConfig { max_bucket: 50, passages: false, ..ScanConfig::default() }, &NoProgress);
        assert_eq!(r.stats.oversized_buckets, 1);
        assert_eq!(r.pairs.len(), 299, "a star through the first document, not 44,850 pairs");
        assert!(r.pairs.iter().all(|p| p.found_by == FoundBy::Bucket && p.a == 0));
        assert_eq!(r.clusters.len(), 1);
        assert_eq!(r.clusters[0].members.len(), 300);
    }

    #[test]
    fn wordless_documents_match_nothing() {
        let texts = vec!["!!! ...", "!!! ...", "— — —"];
        let r = scan(&texts, &[], &ScanConfig::default(), &NoProgress);
        assert!(r.pairs.is_empty());
        assert_eq!(r.stats.documents_without_words, 3);
    }
}
