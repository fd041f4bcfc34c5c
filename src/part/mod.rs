//! A scan split across machines (the Spark job in `spark/`): what one task does. The job reads
//! the corpus and numbers its documents, then:
//!
//! 1. [`keys`]: each partition's documents' LSH band keys and anchors, cut into one postings
//!    blob per reducer ([`shuffle::postings_blobs`]);
//! 2. each reducer groups its share ([`shuffle::group`]): how many documents hold each anchor
//!    (the frequent ones are left out, as a scan leaves them out), each source's anchors (its
//!    boilerplate), and, with the documents cut into blocks of consecutive numbers, each block's
//!    *own part*: its documents, every earlier member of their band buckets (of an oversized one,
//!    the first: parts are told which are oversized) and every earlier holder of their
//!    containment samples; and its *passage cells*: the earlier holders of their other
//!    anchors, which share nothing else with the block and so can only be in passage pairs with
//!    it, cut by number into ranges, each scanned with the block's documents ([`shuffle::Want`]);
//! 3. [`scan_block`]: a part scanned as [`crate::scan::scan_part`] does it, keeping the pairs
//!    whose later document is in the block (in a cell, whose earlier one is in the cell's range):
//!    together, exactly the pairs of a scan of the whole corpus, each found once. A cell holds
//!    at most a block and a range of documents, however many earlier ones anchors link to the
//!    block;
//! 4. the job joins near-duplicate pairs into clusters and sorts the records as a scan does.
//!
//! Documents travel as [`PartDoc`] lines, keys as packed postings blobs grouped by reducers
//! ([`shuffle`]), and the facts about the whole corpus as one [`WholeFacts`] file.

use crate::archive::{doc_keys, fingerprint};
use crate::config::ScanConfig;
use crate::corpus::{Corpus, Doc, Origin};
use crate::error::{Error, Result};
use crate::passage::boilerplate::Boilerplate;
use crate::progress::NoProgress;
use crate::report::{encode_pairs, for_format, Format, Summary};
use crate::scan::{scan_part, ScanResult, Whole};
use serde::{Deserialize, Serialize};

pub mod inputs;
pub mod shuffle;

/// One document as the job hands it to a task: its number in the whole corpus (input order) and
/// its fields as the reader gives them, or where its line is in the job's inputs
/// ([`inputs::JobInputs::fill`] reads them there).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartDoc {
    /// Position in the whole corpus, from 0 in input order.
    pub n: u64,
    /// Document id.
    pub id: String,
    /// The text (empty when `at` names where to read it).
    #[serde(default)]
    pub text: String,
    /// Where the document's line is, when its fields were not sent: (input, byte offset, bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<inputs::LineAt>,
    /// Outlet or series.
    #[serde(default)]
    pub source: Option<String>,
    /// Publication date.
    #[serde(default)]
    pub date: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
}

/// A document's keys: where the job groups it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartKeys {
    /// The document's number.
    pub n: u64,
    /// Its LSH bucket keys, one per band (none when it has no shingle: it matches nothing).
    pub bands: Vec<u64>,
    /// Its distinct anchor hashes (none when passages are off).
    pub anchors: Vec<u32>,
    /// Its containment samples (sorted; none without `--containment`).
    #[serde(default)]
    pub samples: Vec<u64>,
}

/// What a part must know about the whole corpus (see [`Whole`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WholeFacts {
    /// Documents in the whole corpus.
    pub documents: usize,
    /// Anchors held by more than `max_df` documents.
    pub frequent: Vec<u32>,
    /// Boilerplate: (source, anchor hash).
    pub boilerplate: Vec<(String, u32)>,
    /// Containment samples held by more than the scan's containment cap of documents.
    pub frequent_samples: Vec<u64>,
    /// Band bucket keys with more than `max_bucket` members: a block gets the first member of
    /// such a bucket, not all of them.
    pub oversized: Vec<u64>,
}

/// The options a job may use: a scan's.
pub fn check_config(cfg: &ScanConfig) -> Result<()> {
    cfg.validate()
}

/// The keys of `docs`, in their order.
pub fn keys(docs: &[PartDoc], cfg: &ScanConfig) -> Vec<PartKeys> {
    let cfg = cfg.in_tokens();
    let texts: Vec<String> = docs.iter().map(|d| d.text.clone()).collect();
    let found = doc_keys(&fingerprint(&texts, &cfg), &cfg);
    docs.iter()
        .zip(found)
        .map(|(d, k)| PartKeys { n: d.n, bands: k.bands, anchors: k.anchors, samples: k.samples })
        .collect()
}

/// One pair a block found, with what the job sorts and clusters by.
#[derive(Debug, Clone, PartialEq)]
pub struct PartPair {
    /// Number of the earlier document.
    pub a: u64,
    /// Number of the later document.
    pub b: u64,
    /// Exact Jaccard (unrounded: the first sort key).
    pub jaccard: f64,
    /// Exact containment (the second).
    pub containment: f64,
    /// Words in its passages (the third; then `a`, `b`).
    pub words: usize,
    /// Whether it joins its documents' cluster (a near-duplicate pair found by its fingerprints:
    /// Jaccard at the threshold or above).
    pub near: bool,
    /// The JSON Lines `pair` record, its `cluster` null (the job fills it in).
    pub record: Vec<u8>,
}

/// Counts of a block, summed by the job into the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BlockStats {
    /// Candidate pairs whose later document is in the block.
    pub candidates: usize,
    /// Document pairs aligned.
    pub aligned_pairs: usize,
    /// Passages reported.
    pub passages: usize,
    /// Passages dropped for being short outside quotation marks.
    pub unquoted_dropped: usize,
    /// Documents in the part (the block's own and those it was sent for its pairs).
    pub part_documents: usize,
    /// The block's documents in the part (all of them in its own part; in a cell, those that
    /// share an anchor with the cell's earlier ones).
    pub block_documents: usize,
}

/// Where a block's documents are in a part (indices into the part, in ascending number), and
/// what the part is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockAt {
    /// The block's first document.
    pub first: usize,
    /// One past its last.
    pub end: usize,
    /// The part is one of the block's passage cells ([`shuffle::Want`]): earlier documents that
    /// share only anchors with the block's, and the block's documents that share one with them,
    /// asked only for the pairs of an earlier one with one of the block's. No document needs a
    /// MinHash signature there.
    pub cell: bool,
}

/// Scans one part: `docs` in ascending number, of which `docs[at.first..at.end]` are the block.
/// The pairs are those of a whole scan whose later document is in the block (in a cell, those
/// whose earlier document is before the block).
pub fn scan_block(
    docs: Vec<PartDoc>,
    at: BlockAt,
    facts: &WholeFacts,
    frequent: &ahash::AHashSet<u32>,
    cfg: &ScanConfig,
) -> Result<(Vec<PartPair>, BlockStats)> {
    let numbers: Vec<u64> = docs.iter().map(|d| d.n).collect();
    let corpus = Corpus { docs: docs.into_iter().map(PartDoc::into_doc).collect(), ..Corpus::default() };
    scan_corpus(corpus, &numbers, at, facts, frequent, cfg)
}

impl PartDoc {
    /// The document as a corpus holds it.
    pub fn into_doc(self) -> Doc {
        Doc::new(self.id, self.source, self.date, self.title, self.text, Origin { path: "part".into(), line: None })
    }
}

/// [`scan_block`] of a part already made a corpus (its texts may be out of memory), `numbers[i]`
/// being document `i`'s number.
pub fn scan_corpus(
    corpus: Corpus,
    numbers: &[u64],
    at: BlockAt,
    facts: &WholeFacts,
    frequent: &ahash::AHashSet<u32>,
    cfg: &ScanConfig,
) -> Result<(Vec<PartPair>, BlockStats)> {
    let BlockAt { first: first_new, end: end_new, cell } = at;
    if first_new > end_new
        || end_new > corpus.docs.len()
        || numbers.len() != corpus.docs.len()
        || numbers.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(Error::Option(format!(
            "a block needs documents in ascending number and its range inside them (got {first_new}..{end_new} of {})",
            corpus.docs.len()
        )));
    }
    let part_documents = corpus.docs.len();
    let sources = corpus.source_ids();
    // A cell with no earlier document has no pair to find.
    let mut result = match cell && first_new == 0 {
        true => ScanResult::default(),
        false => {
            let whole = part_whole(&corpus, &sources, at, facts, frequent);
            scan_part(&corpus, &sources, cfg, Some(&whole), &NoProgress)
        }
    };
    // The part's cluster numbers are its own: which pairs join clusters is kept, the numbers
    // are the job's to give.
    let near: Vec<bool> = result.pairs.iter_mut().map(|p| p.cluster.take().is_some()).collect();
    let encode = for_format(Format::Jsonl, Box::new(std::io::sink()), "", &[])
        .encoder()
        .ok_or_else(|| Error::Option("JSON Lines has no pair encoder".into()))?;
    let records = encode_pairs(&corpus, &result.pairs, encode).map_err(|e| Error::io("encoding pairs", e))?;
    let s = &result.stats;
    let stats = BlockStats {
        candidates: s.lsh_candidates + s.containment_candidates,
        aligned_pairs: s.aligned_pairs,
        passages: s.passages,
        unquoted_dropped: s.unquoted_dropped,
        part_documents,
        block_documents: end_new - first_new,
    };
    let pairs = result
        .pairs
        .iter()
        .zip(records)
        .zip(near)
        .map(|((p, mut record), near)| {
            while record.last() == Some(&b'\n') {
                record.pop();
            }
            PartPair {
                a: numbers[p.a as usize],
                b: numbers[p.b as usize],
                jaccard: p.jaccard,
                containment: p.containment,
                words: p.passages.iter().map(|x| x.words).sum(),
                near,
                record,
            }
        })
        .collect();
    Ok((pairs, stats))
}

/// What a part at `at` must know about the whole corpus, its sources numbered as `sources`
/// numbers the part's documents.
fn part_whole(
    corpus: &Corpus,
    sources: &[Option<u32>],
    at: BlockAt,
    facts: &WholeFacts,
    frequent: &ahash::AHashSet<u32>,
) -> Whole {
    let mut local: ahash::AHashMap<&str, u32> = ahash::AHashMap::new();
    for (d, s) in corpus.docs.iter().zip(sources) {
        if let (Some(name), Some(s)) = (d.source.as_deref(), s) {
            local.insert(name, *s);
        }
    }
    let boilerplate = Boilerplate::from_anchors(
        facts.boilerplate.iter().filter_map(|(name, h)| local.get(name.as_str()).map(|&s| (s, *h))).collect(),
    );
    Whole {
        first_new: at.first as u32,
        end_new: at.end as u32,
        documents: facts.documents,
        frequent: frequent.clone(),
        oversized: facts.oversized.iter().copied().collect(),
        boilerplate,
        frequent_samples: facts.frequent_samples.iter().copied().collect(),
        anchors_only: if at.cell { vec![true; corpus.docs.len()] } else { Vec::new() },
        earlier_only: at.cell,
    }
}

/// The counts a cluster job gathers from its stages for the summary record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryCounts {
    /// Documents scanned.
    pub documents: usize,
    /// Distinct sources.
    pub sources: usize,
    /// Bytes of text.
    pub bytes: u64,
    /// Pairs reported.
    pub pairs: usize,
    /// Clusters reported.
    pub clusters: usize,
    /// Documents in some cluster.
    pub clustered_documents: usize,
    /// Oversized buckets (distinct member lists) and the largest one's size.
    pub oversized_buckets: usize,
    /// Documents in the largest oversized bucket.
    pub largest_bucket: usize,
    /// Documents without words.
    pub documents_without_words: usize,
    /// Blank documents skipped while reading.
    pub empty_skipped: usize,
    /// Malformed lines skipped (`--skip-bad-lines`).
    pub bad_lines_skipped: usize,
    /// Documents dropped for repeating an id (`--dedupe-ids`).
    pub duplicate_ids_dropped: usize,
    /// Warnings and errors met while reading.
    pub input_problems: usize,
    /// Pairs with at least one passage.
    pub pairs_with_passages: usize,
    /// Anchors held by more than `max_df` documents.
    pub frequent_anchors: usize,
    /// (source, anchor) boilerplate entries.
    pub boilerplate_anchors: usize,
    /// The blocks' counts, summed.
    pub blocks: BlockStats,
}

/// The `summary` record of a cluster job with `cfg` that counted `c`.
pub fn summary(cfg: &ScanConfig, c: &SummaryCounts) -> Summary {
    let mut s = Summary::for_config(cfg);
    s.documents = c.documents;
    s.sources = c.sources;
    s.bytes = c.bytes;
    s.pairs = c.pairs;
    s.clusters = c.clusters;
    s.clustered_documents = c.clustered_documents;
    s.candidates = c.blocks.candidates;
    s.oversized_buckets = c.oversized_buckets;
    s.largest_bucket = c.largest_bucket;
    s.documents_without_words = c.documents_without_words;
    s.empty_skipped = c.empty_skipped;
    s.bad_lines_skipped = c.bad_lines_skipped;
    s.duplicate_ids_dropped = c.duplicate_ids_dropped;
    s.input_problems = c.input_problems;
    s.passages = c.blocks.passages;
    s.unquoted_dropped = c.blocks.unquoted_dropped;
    s.pairs_with_passages = c.pairs_with_passages;
    s.aligned_pairs = c.blocks.aligned_pairs;
    s.frequent_anchors = c.frequent_anchors;
    s.boilerplate_anchors = c.boilerplate_anchors;
    s
}

/// The settings a cluster job's driver needs to group keys as a scan of `documents` documents
/// with `cfg` does.
#[derive(Debug, Clone, Serialize)]
pub struct JobSettings {
    /// Buckets with more members than this are not expanded.
    pub max_bucket: usize,
    /// Anchors held by more documents than this are frequent.
    pub max_df_docs: usize,
    /// Fewest documents of a source for its boilerplate, and of an anchor in them.
    pub boilerplate_min_docs: usize,
    /// Share of a source's documents an anchor must be in to be its boilerplate.
    pub boilerplate_share: f64,
    /// Whether passages are searched (else there are no anchors).
    pub passages: bool,
}

/// The [`JobSettings`] of `cfg` for `documents` documents.
pub fn settings(cfg: &ScanConfig, documents: usize) -> JobSettings {
    JobSettings {
        max_bucket: cfg.max_bucket,
        max_df_docs: cfg.max_df_docs(documents),
        boilerplate_min_docs: cfg.boilerplate_min_docs,
        boilerplate_share: cfg.boilerplate_share,
        passages: cfg.passages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ahash::{AHashMap, AHashSet};
    use std::collections::{BTreeMap, BTreeSet};

    /// A synthetic corpus (planted copies, passages, boilerplate) as the job would number it.
    fn corpus(docs: usize, seed: u64) -> Vec<PartDoc> {
        crate::synth::test_docs(docs, seed)
            .into_iter()
            .enumerate()
            .map(|(n, d)| PartDoc {
                n: n as u64,
                id: d.id,
                text: d.text,
                source: d.source,
                date: d.date,
                title: d.title,
                at: None,
            })
            .collect()
    }

    /// Each block's parts: (block, its cell's range of numbers or none for its own part, the
    /// part's documents).
    type Parts = Vec<(u64, Option<u64>, Vec<u64>)>;

    /// The job's grouping as the driver runs it: keys cut into postings blobs per batch of
    /// `batch` documents for `reducers` reducers, each reducer's share grouped, the facts merged
    /// (oversized buckets counted once per member list) and each block's parts gathered: its
    /// own, and its passage cells of `cell` numbers each.
    fn blocks(
        docs: &[PartDoc],
        cfg: &ScanConfig,
        (block, cell): (u64, u64),
        batch: usize,
        reducers: usize,
    ) -> (WholeFacts, Parts, (usize, usize)) {
        let mut shares: Vec<Vec<Vec<u8>>> = vec![Vec::new(); reducers];
        let mut names: AHashMap<u64, String> = AHashMap::new();
        let mut source_docs: AHashMap<u64, usize> = AHashMap::new();
        for chunk in docs.chunks(batch) {
            let (blobs, counts) = shuffle::postings_blobs(chunk, &keys(chunk, cfg), reducers);
            for (r, blob) in blobs {
                shares[r].push(blob);
            }
            for (name, hash, n) in counts.sources {
                names.insert(hash, name);
                *source_docs.entry(hash).or_default() += n;
            }
        }
        let rules = shuffle::GroupRules {
            block,
            cell,
            routes: 3,
            max_bucket: cfg.max_bucket,
            max_df: cfg.max_df_docs(docs.len()),
            sample_max_df: cfg.containment_max_df,
            boilerplate_min_docs: cfg.boilerplate_min_docs,
            boilerplate_share: cfg.boilerplate_share,
            source_docs,
        };
        let mut facts = WholeFacts { documents: docs.len(), ..WholeFacts::default() };
        let mut wanted: BTreeMap<(u64, Option<u64>), BTreeSet<u64>> = BTreeMap::new();
        let mut cells = BTreeSet::new();
        let mut oversized = BTreeSet::new();
        for share in &shares {
            let g = shuffle::group(share, &rules).unwrap();
            facts.frequent.extend(g.facts.frequent);
            facts.frequent_samples.extend(g.facts.frequent_samples);
            facts.boilerplate.extend(g.facts.boilerplate.iter().map(|&(s, h)| (names[&s].clone(), h)));
            oversized.extend(g.facts.oversized);
            facts.oversized.extend(g.facts.oversized_keys);
            cells.extend(g.facts.cells);
            for (route, pairs) in g.wanted {
                for (m, w) in pairs {
                    assert_eq!(m % 3, route);
                    wanted.entry((w.block(), w.cell_key(m, cell).map(|c| c.1))).or_default().insert(m);
                }
            }
        }
        // Every own part gets its block; an earlier document its own part wants leaves the
        // block's cells. Every cell is in the facts.
        for d in docs {
            wanted.entry((d.n / block, None)).or_default().insert(d.n);
        }
        let keys: Vec<(u64, Option<u64>)> = wanted.keys().copied().collect();
        for (b, k) in keys.into_iter().filter(|k| k.1.is_some()) {
            assert!(cells.contains(&(b, k.unwrap())), "cell {k:?} of block {b}");
            let own = wanted[&(b, None)].clone();
            wanted.get_mut(&(b, k)).unwrap().retain(|&m| m >= b * block || !own.contains(&m));
        }
        let largest = oversized.iter().map(|o| o.2).max().unwrap_or(0);
        let parts = wanted.into_iter().map(|((b, k), m)| (b, k, m.into_iter().collect())).collect();
        (facts, parts, (oversized.len(), largest))
    }

    #[test]
    fn blocks_together_find_the_whole_scans_pairs_once_each() {
        let docs = corpus(400, 21);
        // Defaults, rules that make stock phrases frequent and near-duplicate buckets oversized,
        // and containment (with samples in more than 3 documents frequent).
        let tight = ScanConfig { max_df: 3.0, max_bucket: 2, ..ScanConfig::default() };
        let contained = ScanConfig { containment: Some(0.5), ..ScanConfig::default() };
        let contained_tight = ScanConfig { containment: Some(0.3), containment_max_df: 3, ..ScanConfig::default() };
        for cfg in [ScanConfig::default(), tight, contained, contained_tight] {
            blocks_find_the_scans_pairs(&docs, &cfg);
        }
    }

    fn blocks_find_the_scans_pairs(docs: &[PartDoc], cfg: &ScanConfig) {
        let whole_corpus = Corpus {
            docs: docs
                .iter()
                .map(|d| {
                    Doc::new(
                        d.id.clone(),
                        d.source.clone(),
                        d.date.clone(),
                        d.title.clone(),
                        d.text.clone(),
                        Origin::default(),
                    )
                })
                .collect(),
            ..Corpus::default()
        };
        let scan = crate::scan::scan(&whole_corpus, &whole_corpus.source_ids(), cfg, &NoProgress);
        let mut want: Vec<(u64, u64, usize, f64)> = scan
            .pairs
            .iter()
            .map(|p| (p.a as u64, p.b as u64, p.passages.iter().map(|x| x.words).sum(), p.jaccard))
            .collect();
        want.sort_by_key(|x| (x.0, x.1));
        assert!(want.len() > 100, "the corpus shares text: {}", want.len());
        if cfg.containment.is_some() {
            assert!(scan.stats.containment_candidates > 0, "containment finds candidates");
        }
        if cfg.max_bucket == 2 {
            assert!(scan.stats.oversized_buckets > 10, "{} oversized buckets", scan.stats.oversized_buckets);
        }
        // Blocks of 7 in cells of 5 (a cell's range across blocks), of 64 in cells of 64, 100
        // and none, and one block.
        for (block, cell, batch, reducers) in
            [(7, 5, 1000, 1), (64, 64, 150, 4), (64, 100, 60, 2), (64, 0, 150, 4), (1000, 0, 33, 7)]
        {
            let (facts, parts, (oversized, largest)) = blocks(docs, cfg, (block, cell), batch, reducers);
            assert_eq!(facts.frequent.len(), scan.stats.frequent_anchors, "block {block}");
            assert_eq!(facts.boilerplate.len(), scan.stats.boilerplate_anchors, "block {block}");
            assert_eq!((oversized, largest), (scan.stats.oversized_buckets, scan.stats.largest_bucket));
            let frequent: AHashSet<u32> = facts.frequent.iter().copied().collect();
            let mut got = Vec::new();
            let (mut candidates, mut aligned, mut cells, mut block_docs_in_cells) = (0, 0, 0, 0);
            for (b, k, members) in parts {
                let part: Vec<PartDoc> = members.iter().map(|&n| docs[n as usize].clone()).collect();
                let first = members.iter().position(|&n| n >= b * block).unwrap();
                let end = members.iter().position(|&n| n >= (b + 1) * block).unwrap_or(members.len());
                // No part holds a later document than its block's (an oversized bucket's first
                // member stands for it).
                assert_eq!(end, members.len(), "block {block}");
                if let Some(k) = k {
                    // A cell holds earlier documents of its range alone, and block documents.
                    cells += 1;
                    block_docs_in_cells += end - first;
                    assert!(
                        members[..first].iter().all(|&n| shuffle::cell_of(n, cell) == k),
                        "block {block}, cell {k}"
                    );
                }
                let at = BlockAt { first, end, cell: k.is_some() };
                let (pairs, stats) = scan_block(part, at, &facts, &frequent, cfg).unwrap();
                candidates += stats.candidates;
                aligned += stats.aligned_pairs;
                got.extend(pairs.into_iter().map(|p| (p.a, p.b, p.words, p.jaccard)));
            }
            got.sort_by_key(|x| (x.0, x.1));
            assert_eq!(got, want, "block {block}, cell {cell}");
            assert_eq!(candidates, scan.stats.lsh_candidates + scan.stats.containment_candidates, "block {block}");
            assert_eq!(aligned, scan.stats.aligned_pairs, "block {block}, cell {cell}");
            assert_eq!(cells > 0, block < docs.len() as u64, "block {block}, cell {cell}: {cells} cells");
            // A cell gets the block's documents that share an anchor with its earlier ones only.
            assert!(
                cells == 0 || block_docs_in_cells < cells * block as usize,
                "block {block}, cell {cell}: {block_docs_in_cells}"
            );
        }
    }

    #[test]
    fn a_part_whose_texts_wait_on_disk_gives_the_same_pairs() {
        let docs = corpus(150, 5);
        let numbers: Vec<u64> = docs.iter().map(|d| d.n).collect();
        let cfg = ScanConfig::default();
        let facts = WholeFacts { documents: docs.len(), ..WholeFacts::default() };
        let at = BlockAt { first: 40, end: 150, cell: false };
        let (held, _) = scan_block(docs.clone(), at, &facts, &AHashSet::new(), &cfg).unwrap();
        let mut part = crate::corpus::CorpusBuilder::new(Some(10_000));
        for d in docs {
            part.push(d.into_doc()).unwrap();
        }
        assert!(part.docs().iter().filter(|d| d.stored.is_some()).count() > 100, "most texts moved out");
        let corpus = part.finish().unwrap();
        let (spilled, _) = scan_corpus(corpus, &numbers, at, &facts, &AHashSet::new(), &cfg).unwrap();
        assert!(held.len() > 10, "{} pairs", held.len());
        assert_eq!(held, spilled);
    }

    #[test]
    fn a_block_out_of_order_is_an_error() {
        let mut docs = corpus(3, 1);
        docs.swap(0, 1);
        let at = BlockAt { first: 0, end: 3, cell: false };
        assert!(scan_block(docs, at, &WholeFacts::default(), &AHashSet::new(), &ScanConfig::default()).is_err());
    }
}
