//! New documents against the archive: look their band keys, anchors and (with containment
//! search) containment samples up, load the archived documents that share one, and scan them
//! together as part of the whole (see [`crate::scan::Whole`]).

use super::parts::{NewCounts, Wanted};
use super::postings::{self, Kind};
use super::store::{self, archive_error, store_error};
use super::{doc_keys, fingerprint, runs, Archive, DocKeys};
use crate::config::ScanConfig;
use crate::corpus::{Corpus, CorpusBuilder, Doc, Origin, Texts};
use crate::error::Result;
use crate::fingerprint::Fingerprints;
use crate::progress::{Progress, Unit};
use crate::report::Summary;
use crate::scan::ScanResult;
use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

/// What a query found.
pub struct QueryResult {
    /// The archived documents that a pair or cluster names (in archive order), then the new
    /// documents (in input order): the pairs' `a` and `b` number these.
    pub corpus: Corpus,
    /// The pairs that involve a new document, as a full scan gives them (cluster numbers are
    /// the query's own).
    pub result: ScanResult,
    /// Index of the first new document in `corpus`.
    pub first_new: usize,
    /// Archived documents scanned with the new ones: those sharing a band key, an anchor or
    /// (with containment search) a sample with one.
    pub loaded: usize,
    /// Text bytes scanned, archived and new.
    pub bytes: u64,
    /// Distinct sources among the documents scanned.
    pub sources: usize,
    /// Parts the documents were scanned in (see [`Archive::scan_in_parts_of`]).
    pub parts: usize,
    /// Documents in the archive.
    pub archived: usize,
    /// Ids of new documents the archive holds already: their archived versions were left out,
    /// as if the new ones replaced them (the boilerplate counts still hold the old versions).
    pub already_archived: Vec<String>,
}

impl QueryResult {
    /// The summary of the query as `scan` writes it, its documents, sources and bytes those
    /// scanned (not only those `corpus` holds), with the archive's options `cfg`.
    pub fn summary(&self, cfg: &ScanConfig) -> Summary {
        let mut summary = Summary::new(&self.corpus, cfg, &self.result);
        summary.documents = self.loaded + (self.corpus.docs.len() - self.first_new);
        summary.sources = self.sources;
        summary.bytes = self.bytes;
        summary
    }
}

impl Archive {
    /// The new `docs` (texts from `texts`) against the archive and each other, without adding
    /// them.
    pub fn query<X: Texts + ?Sized>(&self, docs: &[Doc], texts: &X, progress: &dyn Progress) -> Result<QueryResult> {
        let cfg = self.cfg.in_tokens();
        progress.start("fingerprint", None, Unit::Docs);
        let (new_texts, keys, new_fp) = new_keys(docs, texts, &cfg);
        progress.finish();
        progress.start("look up", None, Unit::Docs);
        let snapshot = self.snapshot()?;
        let (dead, already_archived, archived) = self.left_out(docs)?;

        // Archived documents sharing a band bucket with a new one: all of them, so that each
        // bucket is the whole corpus's.
        let mut wanted: AHashSet<u32> = AHashSet::new();
        let bands = keys.iter().flat_map(|k| k.bands.iter().copied());
        for held in self.held(Kind::Band, bands, &dead, usize::MAX)? {
            wanted.extend(held.archived);
        }
        // Those that may pair with a new one through LSH or containment need a signature.
        let mut signed: AHashSet<u32> = wanted.clone();
        // Anchors: held by how many documents of the whole; the holders of those held by at
        // most `max_df` may seed a pair with a new document.
        let documents = archived + docs.len();
        let max_df = cfg.max_df_docs(documents);
        let mut frequent = AHashSet::new();
        let anchors = keys.iter().flat_map(|k| k.anchors.iter().map(|&h| h as u64));
        for held in self.held(Kind::Anchor, anchors, &dead, max_df + 1)? {
            if held.documents() > max_df {
                frequent.insert(held.key as u32);
            } else {
                wanted.extend(held.archived);
            }
        }
        // Containment samples, the same way: those held by more than `containment_max_df`
        // documents of the whole are skipped by the scan, the holders of the others loaded.
        let mut frequent_samples = AHashSet::new();
        if cfg.containment.is_some() {
            let samples = keys.iter().flat_map(|k| k.samples.iter().copied());
            for held in self.held(Kind::Sample, samples, &dead, cfg.containment_max_df + 1)? {
                if held.documents() > cfg.containment_max_df {
                    frequent_samples.insert(held.key);
                } else {
                    signed.extend(&held.archived);
                    wanted.extend(held.archived);
                }
            }
        }
        progress.finish();
        let mut docs_wanted: Vec<u32> = wanted.into_iter().collect();
        docs_wanted.sort_unstable();
        let wanted = Wanted { docs: docs_wanted, signed, documents, frequent, frequent_samples };
        let scanned = self.scan_parts(docs, &new_texts, &keys, new_fp, &wanted, progress)?;
        drop(wanted);
        // The documents the pairs name, read again (few, beside those scanned).
        progress.start("load", None, Unit::Docs);
        let named = scanned.archived_named();
        let (corpus, _) = self.part_corpus(&named, None, docs, new_texts)?;
        progress.finish();
        // Everything is read: the snapshot is let go (holding it keeps an add's checkpoints
        // from copying past it).
        drop(snapshot);
        let (loaded, bytes, sources, parts) = (scanned.loaded, scanned.bytes, scanned.sources, scanned.parts);
        let result = scanned.result(&named);
        let first_new = named.len();
        Ok(QueryResult { corpus, result, first_new, loaded, bytes, sources, parts, archived, already_archived })
    }

    /// The keys of `kind` the new documents hold (`keys`: each document's distinct keys, one
    /// document after another), each with how many new documents hold it, how many archived
    /// ones, and the `keep` earliest of those (removed ones, `dead`, left out): a key held by
    /// more documents than a query loads needs only its count.
    pub(super) fn held(
        &self,
        kind: Kind,
        keys: impl Iterator<Item = u64>,
        dead: &AHashSet<u32>,
        keep: usize,
    ) -> Result<Vec<Held>> {
        let mut new_df: AHashMap<u64, usize> = AHashMap::new();
        for key in keys {
            *new_df.entry(key).or_default() += 1;
        }
        let wanted: AHashSet<u64> = new_df.keys().copied().collect();
        let mut holders = lookup(&self.conn, &self.path, self.layout, kind, &wanted, dead, keep)?;
        Ok(new_df
            .into_iter()
            .map(|(key, new)| {
                let (count, archived) = holders.remove(&key).unwrap_or_default();
                Held { key, new, count, archived }
            })
            .collect())
    }

    /// A read transaction: the reads that follow, until it is dropped, see one committed state
    /// of the archive (the last batch committed when the first of them runs), whatever an `add`
    /// or `remove` commits meanwhile. A query's counts, postings and documents then agree.
    pub(super) fn snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        self.conn.unchecked_transaction().map_err(store_error(&self.path, "cannot read"))
    }

    /// The part a query scans: archived documents from `wanted` (ascending archive numbers), all
    /// of them or, given a `budget`, those read until their texts reach it; then the new `docs`
    /// with their texts. Gives the part and how many of `wanted` it holds.
    pub(super) fn part_corpus(
        &self,
        wanted: &[u32],
        budget: Option<u64>,
        docs: &[Doc],
        new_texts: Vec<String>,
    ) -> Result<(Corpus, usize)> {
        #[cfg(test)]
        BEFORE_LOADING.with(|hook| {
            if let Some(f) = hook.borrow_mut().as_mut() {
                f()
            }
        });
        let mut part = CorpusBuilder::new(self.spill_over);
        let spill =
            |e: std::io::Error| archive_error(&self.path, format!("cannot hold the texts in a temporary file: {e}"));
        let mut bytes = 0;
        let taken = load_docs(&self.conn, &self.path, wanted, |doc| {
            bytes += doc.byte_len();
            part.push(doc).map_err(spill)?;
            Ok(budget.is_none_or(|b| bytes < b))
        })?;
        for (d, text) in docs.iter().zip(new_texts) {
            let doc = Doc::new(d.id.clone(), d.source.clone(), d.date.clone(), d.title.clone(), text, d.origin.clone());
            part.push(doc).map_err(spill)?;
        }
        Ok((part.finish().map_err(spill)?, taken))
    }

    /// Documents archived: kept in `meta` (format 2), counted in older archives (a count of a
    /// million rows reads every page of the documents' table).
    fn documents(&self) -> Result<usize> {
        let read = store_error(&self.path, "cannot read");
        let kept: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'documents'", [], |r| r.get(0))
            .optional()
            .map_err(&read)?;
        let count = match kept.and_then(|v| v.parse::<i64>().ok()) {
            Some(n) => n,
            None => self.conn.query_row("SELECT COUNT(*) FROM docs", [], |r| r.get(0)).map_err(&read)?,
        };
        Ok(count.max(0) as usize)
    }

    /// The archived documents a query leaves out: removed ones, and those whose id a new
    /// document has (the new one stands in for it, which would otherwise match it word for
    /// word); then those ids, and how many archived documents are left.
    pub(super) fn left_out(&self, docs: &[Doc]) -> Result<(AHashSet<u32>, Vec<String>, usize)> {
        let (conn, path) = (&self.conn, self.path.as_path());
        let mut dead = store::removed(conn, path)?;
        let mut already_archived = Vec::new();
        for d in docs {
            if let Some(num) = store::archived_num(conn, path, &d.id)? {
                dead.insert(num as u32);
                already_archived.push(d.id.clone());
            }
        }
        let count = self.documents()?;
        let archived = count - already_archived.len();
        Ok((dead, already_archived, archived))
    }

    /// The boilerplate of the whole corpus (archive and new documents, whose share of each
    /// source's counts is `new`) for the sources `named` (number and name): (source, anchor)
    /// entries. `needed`, when given, holds each source's shingle anchor hashes in the part
    /// scanned: only those can be asked about, so only their counts are read.
    pub(super) fn boilerplate(
        &self,
        named: &[(u32, &str)],
        new: &NewCounts,
        needed: Option<&AHashMap<u32, Vec<u32>>>,
    ) -> Result<AHashSet<(u32, u32)>> {
        let cfg = &self.cfg;
        let path = self.path.as_path();
        let read = store_error(path, "cannot read");
        let mut set = AHashSet::new();
        for &(s, name) in named {
            let row: Option<(i64, i64)> = self
                .conn
                .query_row("SELECT num, docs FROM sources WHERE name = ?1", [name], |r| Ok((r.get(0)?, r.get(1)?)))
                .map(Some)
                .or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })
                .map_err(&read)?;
            let fresh = new.docs.get(&s).copied().unwrap_or(0);
            let total_docs = row.map_or(0, |r| r.1 as usize) + fresh;
            if total_docs < cfg.boilerplate_min_docs {
                continue;
            }
            let is_bp =
                |n: usize| n >= cfg.boilerplate_min_docs && n as f64 >= cfg.boilerplate_share * total_docs as f64;
            let mut counts: AHashMap<u32, usize> =
                new.anchors.get(&s).map_or_else(AHashMap::new, |a| a.iter().copied().collect());
            if let Some((num, _)) = row {
                // The source's counts, summed over segments; only anchors that may reach the
                // threshold with every new document counted are kept.
                let threshold = (cfg.boilerplate_share * total_docs as f64).ceil() as usize;
                let floor = cfg.boilerplate_min_docs.max(threshold).saturating_sub(fresh).max(1) as i64;
                // All of the source's counts, or only the parts its needed hashes fall in.
                let wanted: Option<&[u32]> = needed.map(|n| n.get(&s).map_or(&[][..], Vec::as_slice));
                let mut archived: Vec<(u32, i32)> = Vec::new();
                let segments = match self.layout {
                    postings::Layout::Runs => self.read_count_runs(num, wanted, floor, &mut archived)?,
                    _ => self.read_count_buckets(num, wanted, &mut archived)?,
                };
                // Each blob is sorted by hash, and blobs come in bucket order: one segment needs no
                // sort, several are summed hash by hash.
                if segments > 1 {
                    archived.sort_unstable_by_key(|e| e.0);
                }
                for run in archived.chunk_by(|x, y| x.0 == y.0) {
                    let n: i64 = run.iter().map(|e| e.1 as i64).sum();
                    if n >= floor {
                        *counts.entry(run[0].0).or_default() += n as usize;
                    }
                }
            }
            set.extend(counts.into_iter().filter(|&(_, n)| is_bp(n)).map(|(h, _)| (s, h)));
        }
        Ok(set)
    }

    /// Source `num`'s count changes in an archive of fixed buckets (formats 1 and 2), of the
    /// anchors `wanted` (ascending) or all: appended to `archived` (blobs in bucket order);
    /// gives the number of blobs read.
    fn read_count_buckets(&self, num: i64, wanted: Option<&[u32]>, archived: &mut Vec<(u32, i32)>) -> Result<usize> {
        let path = self.path.as_path();
        let read = store_error(path, "cannot read");
        let ranges: Vec<(i64, i64)> = match wanted {
            None => vec![(postings::count_bucket(num, 0), postings::count_bucket(num, u32::MAX))],
            Some(hashes) => {
                let mut tops: Vec<u32> = hashes.iter().map(|h| h >> 24).collect();
                tops.dedup();
                tops.iter().map(|&t| postings::count_bucket(num, t << 24)).map(|b| (b, b)).collect()
            }
        };
        let mut q = self
            .conn
            .prepare_cached("SELECT entries FROM postings WHERE kind = ?1 AND bucket >= ?2 AND bucket <= ?3")
            .map_err(&read)?;
        let mut segments = 0;
        for (lo, hi) in ranges {
            let mut rows = q.query((Kind::SourceCounts as i64, lo, hi)).map_err(&read)?;
            while let Some(row) = rows.next().map_err(&read)? {
                let blob = row.get_ref(0).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?;
                let read_all = match wanted {
                    None => self.layout.each_count(blob, |h, n| archived.push((h, n))),
                    // Both in hash order: a walk, not a lookup per entry.
                    Some(hashes) => {
                        let mut i = 0;
                        self.layout.each_count(blob, |h, n| {
                            while i < hashes.len() && hashes[i] < h {
                                i += 1;
                            }
                            if i < hashes.len() && hashes[i] == h {
                                archived.push((h, n));
                            }
                        })
                    }
                };
                read_all.ok_or_else(|| archive_error(path, "damaged counts"))?;
                segments += 1;
            }
        }
        Ok(segments)
    }

    /// [`Self::read_count_buckets`] in an archive of sorted runs (format 3), where only counts
    /// of at least `floor` matter: when the source's mark at the last compaction, plus the
    /// documents it gained since, stays below `floor`, only its heavy counts can reach it, and
    /// only they (with their changes since) are read; otherwise each segment's runs that may
    /// hold the anchors `wanted` (found by seeks, or walked, for many), or all the source's.
    /// Gives the number of (kind, segment) lists read.
    fn read_count_runs(
        &self,
        num: i64,
        wanted: Option<&[u32]>,
        floor: i64,
        archived: &mut Vec<(u32, i32)>,
    ) -> Result<usize> {
        let path = self.path.as_path();
        let read = store_error(path, "cannot read");
        let damaged = || archive_error(path, "damaged counts");
        let (lo, hi) = (postings::count_key(num, 0), postings::count_key(num, u32::MAX));
        let heavy: Option<(i64, i64, i64)> = self
            .conn
            .prepare_cached("SELECT segment, mark, added FROM heavy WHERE source = ?1")
            .and_then(|mut q| q.query_row([num], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional())
            .map_err(&read)?;
        let mut lists = 0;
        let mut keys: Option<Vec<u64>> =
            wanted.map(|hashes| hashes.iter().map(|&h| postings::count_key(num, h)).collect());
        let mut only_later_than = None;
        if let Some((segment, mark, added)) = heavy {
            if mark - 1 + added < floor {
                // A count below the mark at compaction is at most mark - 1 + added now.
                #[cfg(test)]
                HEAVY_ONLY.with(|n| n.set(n.get() + 1));
                let mut heavy: Vec<(u32, i32)> = Vec::new();
                runs::each_run_between(&self.conn, path, Kind::HeavyCounts, segment, lo, hi, |blob| {
                    self.layout.each_count(blob, |h, n| heavy.push((h, n))).ok_or_else(damaged)
                })?;
                // Only those asked about (when a few articles are), as the other path reads them.
                if let Some(hashes) = wanted {
                    heavy.retain(|&(h, _)| hashes.binary_search(&h).is_ok());
                }
                keys = Some(heavy.iter().map(|&(h, _)| postings::count_key(num, h)).collect());
                archived.extend(heavy);
                lists += 1;
                only_later_than = Some(segment);
            }
        }
        let kinds: &[Kind] = match only_later_than {
            Some(_) => &[Kind::SourceCounts],
            None => &[Kind::SourceCounts, Kind::HeavyCounts],
        };
        let mut read: Vec<(Kind, i64)> = Vec::new();
        for &kind in kinds {
            for segment in runs::segments(&self.conn, path, kind)? {
                if only_later_than.is_none_or(|s| segment > s) {
                    read.push((kind, segment));
                }
            }
        }
        if keys.is_none() && read.len() > 1 {
            // All of a source's counts, in several lists: a total of at least `floor` has a part
            // of at least floor / lists in one of them (the parts of removals are negative, the
            // others must make up for them). Only anchors with such a part are summed, each read
            // again from every list; a sort of every count of every list is not needed.
            let part = (floor.max(1) as u64).div_ceil(read.len() as u64) as i32;
            let mut candidates: Vec<u64> = Vec::new();
            for &(kind, segment) in &read {
                runs::each_run_between(&self.conn, path, kind, segment, lo, hi, |blob| {
                    let found = |h: u32, n: i32| {
                        if n >= part {
                            candidates.push(postings::count_key(num, h));
                        }
                    };
                    self.layout.each_count(blob, found).ok_or_else(damaged)
                })?;
            }
            candidates.sort_unstable();
            candidates.dedup();
            keys = Some(candidates);
        }
        for (kind, segment) in read {
            lists += 1;
            match &keys {
                Some(keys) => {
                    runs::each_run(&self.conn, path, kind, segment, keys, |first, blob, keys| {
                        // Both in key order: a walk, not a lookup per entry. The run's
                        // source is its first key's (the run before this source's first
                        // may be asked about: it ends before the keys).
                        let source = first & !0xffff_ffff;
                        let (mut i, mut last) = (0, None);
                        self.layout
                            .each_count(blob, |h, n| {
                                let key = source | h as u64;
                                while i < keys.len() && keys[i] < key {
                                    i += 1;
                                }
                                if i < keys.len() && keys[i] == key {
                                    archived.push((h, n));
                                }
                                last = Some(key);
                            })
                            .ok_or_else(damaged)?;
                        Ok(last)
                    })?;
                }
                None => runs::each_run_between(&self.conn, path, kind, segment, lo, hi, |blob| {
                    self.layout.each_count(blob, |h, n| archived.push((h, n))).ok_or_else(damaged)
                })?,
            }
        }
        Ok(lists)
    }
}

#[cfg(test)]
thread_local! {
    /// Sources whose counts a query read from their heavy counts alone.
    pub(super) static HEAVY_ONLY: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };

    /// Called when a query has looked its keys up and is about to load documents: a test
    /// commits a change from another connection there.
    pub(super) static BEFORE_LOADING: std::cell::RefCell<Option<Box<dyn FnMut()>>> =
        const { std::cell::RefCell::new(None) };
}

/// A key the new documents of a query hold: how many of them, and its archived holders.
pub(super) struct Held {
    /// The key (band key, anchor or sample hash).
    pub(super) key: u64,
    /// New documents holding it.
    pub(super) new: usize,
    /// Archived documents holding it.
    pub(super) count: usize,
    /// The earliest of them, in archive order (as many as asked for).
    pub(super) archived: Vec<u32>,
}

impl Held {
    /// Documents of the whole (archive and new) holding the key.
    pub(super) fn documents(&self) -> usize {
        self.count + self.new
    }
}

/// The new documents' texts (from `texts`), keys and fingerprints, with the archive's options
/// `cfg` (in tokens).
pub(super) fn new_keys<X: Texts + ?Sized>(
    docs: &[Doc],
    texts: &X,
    cfg: &ScanConfig,
) -> (Vec<String>, Vec<DocKeys>, Fingerprints) {
    let mut buf = String::new();
    let new_texts: Vec<String> = (0..docs.len()).map(|i| texts.text(i, &mut buf).to_string()).collect();
    let fp = fingerprint(&new_texts, cfg);
    (new_texts, doc_keys(&fp, cfg), fp)
}

/// Documents (new and archived together) up to which a query reads only the counts of their own
/// shingles: past it, reading each source's counts whole is cheaper than finding the shingles.
/// The library's own tests read counts whole past 50, so that their small archives take both ways.
pub(super) const SMALL_PART: usize = if cfg!(test) { 50 } else { 2000 };

/// Each source's shingle anchor hashes in `corpus`'s texts, ascending (what boilerplate can be
/// asked about: a document's shingles, with its source); sources numbered as `sources` numbers
/// them.
pub(super) fn shingle_anchor_hashes(
    corpus: &Corpus,
    sources: &[Option<u32>],
    cfg: &crate::config::ScanConfig,
) -> AHashMap<u32, Vec<u32>> {
    let mut buf = String::new();
    let texts: Vec<String> = (0..corpus.docs.len()).map(|i| corpus.text(i, &mut buf).to_string()).collect();
    let fp = fingerprint(&texts, cfg);
    let k = fp.anchor_spec.map_or(cfg.anchor_k, |(k, _)| k);
    let mut out: AHashMap<u32, Vec<u32>> = AHashMap::new();
    let mut shingles = Vec::new();
    for (words, source) in fp.words.iter().zip(sources) {
        let Some(s) = source else { continue };
        shingles.clear();
        crate::fingerprint::shingle::shingles_in_order(words, k, &mut shingles);
        out.entry(*s).or_default().extend(shingles.iter().map(|&h| crate::fingerprint::winnow::anchor_hash(h)));
    }
    for hashes in out.values_mut() {
        hashes.sort_unstable();
        hashes.dedup();
    }
    out
}

/// How many archived documents hold each of `keys` (postings of `kind`, blobs laid out as
/// `layout`), and the `keep` earliest of them in archive order; removed ones (`dead`) left out.
fn lookup(
    conn: &Connection,
    path: &Path,
    layout: postings::Layout,
    kind: Kind,
    keys: &AHashSet<u64>,
    dead: &AHashSet<u32>,
    keep: usize,
) -> Result<AHashMap<u64, (usize, Vec<u32>)>> {
    if layout == postings::Layout::Runs {
        return lookup_runs(conn, path, kind, keys, dead, keep);
    }
    let read = store_error(path, "cannot read postings");
    let mut by_bucket: AHashMap<u32, Vec<u64>> = AHashMap::new();
    for &k in keys {
        by_bucket.entry(postings::bucket(kind, k)).or_default().push(k);
    }
    let mut buckets: Vec<(u32, Vec<u64>)> = by_bucket.into_iter().collect();
    buckets.sort_unstable();
    // Segments come in order and documents in order within one, so the first holders seen are
    // the earliest.
    let mut q = conn
        .prepare_cached("SELECT entries FROM postings WHERE kind = ?1 AND bucket = ?2 ORDER BY segment")
        .map_err(&read)?;
    let mut out: AHashMap<u64, (usize, Vec<u32>)> = AHashMap::new();
    for (bucket, mut wanted) in buckets {
        wanted.sort_unstable();
        let mut rows = q.query((kind as i64, bucket as i64)).map_err(&read)?;
        while let Some(row) = rows.next().map_err(&read)? {
            let blob = row.get_ref(0).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?;
            layout
                .holders(blob, &wanted, dead, |k, doc| {
                    let (count, list) = out.entry(k).or_default();
                    *count += 1;
                    if list.len() < keep {
                        list.push(doc);
                    }
                })
                .ok_or_else(|| archive_error(path, "damaged postings"))?;
        }
    }
    Ok(out)
}

/// [`lookup`] in an archive of sorted runs (format 3): each segment in order, its runs that may
/// hold the keys found by seeks (or walked in order, for many keys).
fn lookup_runs(
    conn: &Connection,
    path: &Path,
    kind: Kind,
    keys: &AHashSet<u64>,
    dead: &AHashSet<u32>,
    keep: usize,
) -> Result<AHashMap<u64, (usize, Vec<u32>)>> {
    let mut wanted: Vec<u64> = keys.iter().copied().collect();
    wanted.sort_unstable();
    let mut out: AHashMap<u64, (usize, Vec<u32>)> = AHashMap::new();
    // Segments come in order and documents in order within one, so the first holders seen are
    // the earliest.
    for segment in runs::segments(conn, path, kind)? {
        runs::each_run(conn, path, kind, segment, &wanted, |_, blob, keys| {
            postings::Layout::Runs
                .holders(blob, keys, dead, |k, doc| {
                    let (count, list) = out.entry(k).or_default();
                    *count += 1;
                    if list.len() < keep {
                        list.push(doc);
                    }
                })
                .ok_or_else(|| archive_error(path, "damaged postings"))
        })?;
    }
    Ok(out)
}

/// The archived documents `nums` (ascending), texts decompressed, each given to `keep` in turn:
/// read a chunk at a time (SQLite on one thread), each chunk's texts decompressed in parallel.
/// Stops after the first document of which `keep` says it wants no more; gives how many it kept.
fn load_docs(conn: &Connection, path: &Path, nums: &[u32], mut keep: impl FnMut(Doc) -> Result<bool>) -> Result<usize> {
    /// Documents read before their texts are decompressed.
    const CHUNK: usize = 1024;
    let read = store_error(path, "cannot read documents");
    let mut q = conn
        .prepare_cached(
            "SELECT d.id, s.name, d.date, d.title, d.text FROM docs d LEFT JOIN sources s ON s.num = d.source WHERE d.num = ?1",
        )
        .map_err(&read)?;
    let origin = Origin { path: path.display().to_string(), line: None };
    type Row = (String, Option<String>, Option<String>, Option<String>, Vec<u8>);
    let mut rows_of = |chunk: &[u32]| -> Result<Vec<Row>> {
        chunk
            .iter()
            .map(|&n| q.query_row([n as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))
            .collect::<rusqlite::Result<_>>()
            .map_err(&read)
    };
    let docs_of = |rows: Vec<Row>| -> Vec<Result<Doc>> {
        rows.into_par_iter()
            .map_init(store::Decompressor::default, |zstd, (id, source, date, title, blob)| {
                let text = zstd.decompress(path, &blob)?;
                Ok(Doc::new(id, source, date, title, text, origin.clone()))
            })
            .collect()
    };
    let mut chunks = nums.chunks(CHUNK);
    let mut pending = chunks.next().map(&mut rows_of).transpose()?;
    let mut taken = 0;
    while let Some(rows) = pending.take() {
        // SQLite reads the next chunk on this thread while the others decompress this one (in
        // turn, one core waited for the other).
        let next = chunks.next();
        let (docs, next_rows) = std::thread::scope(|s| {
            let docs = s.spawn(|| docs_of(rows));
            let next_rows = next.map(&mut rows_of).transpose();
            (docs.join(), next_rows)
        });
        let docs = docs.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for d in docs {
            taken += 1;
            if !keep(d?)? {
                return Ok(taken);
            }
        }
        pending = next_rows?;
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::OnExisting;
    use crate::config::ScanConfig;
    use crate::neardup::{FoundBy, Pair};
    use crate::progress::NoProgress;

    /// A synthetic corpus (outlets with footers, wire copy, contained stories) as documents.
    fn corpus(docs: usize, seed: u64) -> Vec<Doc> {
        crate::synth::test_docs(docs, seed)
    }

    /// A pair by its documents' ids (not their numbers in the corpus scanned), cluster replaced
    /// by whether it has one.
    fn named(p: &Pair, docs: &[Doc]) -> String {
        let (a, b) = (&docs[p.a as usize].id, &docs[p.b as usize].id);
        let near = p.cluster.is_some();
        let p = Pair { a: 0, b: 0, cluster: None, ..p.clone() };
        format!("{a} {b} {near} {p:?}")
    }

    /// A query's pairs, [`named`].
    fn named_pairs(found: &QueryResult) -> Vec<String> {
        found.result.pairs.iter().map(|p| named(p, &found.corpus.docs)).collect()
    }

    /// `docs` cut at `at`: the archived part and the new one, each a corpus.
    /// The documents `range` of `docs` as a corpus of their own.
    fn part(docs: &[Doc], range: std::ops::Range<usize>) -> Corpus {
        Corpus { docs: docs[range].to_vec(), ..Corpus::default() }
    }

    /// `docs` as one corpus, and its full scan with `cfg`: what a query must agree with.
    fn scanned(docs: &[Doc], cfg: &ScanConfig) -> (Corpus, ScanResult) {
        let whole = Corpus { docs: docs.to_vec(), ..Corpus::default() };
        let full = crate::scan::scan(&whole, &whole.source_ids(), cfg, &NoProgress);
        (whole, full)
    }

    fn split(docs: &[Doc], at: usize) -> (Corpus, Corpus) {
        let part = |d: &[Doc]| Corpus { docs: d.to_vec(), ..Corpus::default() };
        (part(&docs[..at]), part(&docs[at..]))
    }

    /// An archive at `dir`/a.db made with `cfg` from `docs[..at]`, added in batches of `batch`;
    /// and the rest, `docs[at..]`, as the new documents.
    fn archived(dir: &Path, docs: &[Doc], at: usize, cfg: &ScanConfig, batch: usize) -> (Archive, Corpus) {
        let mut archive = Archive::create(&dir.join("a.db"), cfg).unwrap();
        let (old, new) = split(docs, at);
        archive.add(&old.docs, &old, OnExisting::Refuse, batch, &|_| {}).unwrap();
        (archive, new)
    }

    /// The pairs of a full scan of `docs` whose later document is `from` or after, [`named`]:
    /// what a query of those documents must give.
    fn pairs_from(full: &ScanResult, docs: &[Doc], from: usize) -> Vec<String> {
        full.pairs.iter().filter(|p| p.b as usize >= from).map(|p| named(p, docs)).collect()
    }

    #[test]
    fn boilerplate_spread_thin_over_many_batches_is_found_as_a_full_scan_finds_it() {
        // Batches of 20 articles from 20 outlets: a footer's count is one or two in each of 30
        // segments, and only their sum reaches the threshold.
        let docs = corpus(800, 17);
        let cfg = ScanConfig::default();
        let (whole, full) = scanned(&docs, &cfg);
        assert!(full.stats.boilerplate_anchors > 0, "the corpus must have boilerplate");
        let dir = tempfile::tempdir().unwrap();
        let (archive, new) = archived(dir.path(), &docs, 600, &cfg, 20);
        assert!(archive.segments().unwrap() >= 30);
        let found = archive.query(&new.docs, &new, &NoProgress).unwrap();
        assert!(found.loaded + new.docs.len() > SMALL_PART, "every count of each source is read");
        assert_eq!(found.result.stats.boilerplate_anchors, full.stats.boilerplate_anchors);
        let want = pairs_from(&full, &whole.docs, 600);
        assert_eq!(named_pairs(&found), want);
    }

    #[test]
    fn a_query_scanned_in_small_parts_gives_the_same_answer_as_in_one() {
        let docs = corpus(900, 23);
        // Words, and letters (OCR; at the default threshold, so that most documents loaded share
        // only anchors): the parts' options in tokens as the whole's.
        let letters = ScanConfig { threshold: 0.5, ..ScanConfig::ocr_default() };
        for cfg in [ScanConfig::default(), letters] {
            let (whole, full) = scanned(&docs, &cfg);
            let dir = tempfile::tempdir().unwrap();
            let (mut archive, new) = archived(dir.path(), &docs, 700, &cfg, 100);
            let want = pairs_from(&full, &whole.docs, 700);
            let one = archive.query(&new.docs, &new, &NoProgress).unwrap();
            assert_eq!(one.parts, 2, "the signed documents, then the others in one part");
            assert_eq!(named_pairs(&one), want);
            let passages_only = one.result.pairs.iter().filter(|p| p.found_by == FoundBy::Passage).count();
            assert!(passages_only > 0 && one.loaded > 200, "{passages_only} {}", one.loaded);
            let summary = serde_json::to_string(&one.summary(&cfg)).unwrap();
            // One article a part, and a few; letters are slower to scan: a few a part only.
            let sizes: &[u64] = if cfg.ocr.is_some() { &[100_000] } else { &[1, 20_000, 150_000] };
            for &bytes in sizes {
                archive.scan_in_parts_of(bytes);
                let parts = archive.query(&new.docs, &new, &NoProgress).unwrap();
                assert!(parts.parts > 2, "{bytes} bytes a part: {} parts", parts.parts);
                assert_eq!(named_pairs(&parts), want, "{bytes} bytes a part");
                assert_eq!(parts.result.stats, one.result.stats, "{bytes} bytes a part");
                assert_eq!(serde_json::to_string(&parts.summary(&cfg)).unwrap(), summary);
                let clusters = |q: &QueryResult| -> Vec<Vec<String>> {
                    let ids = |c: &crate::neardup::cluster::Cluster| {
                        c.members.iter().map(|&m| q.corpus.docs[m as usize].id.clone()).collect()
                    };
                    q.result.clusters.iter().map(ids).collect()
                };
                assert_eq!(clusters(&parts), clusters(&one));
            }
            // The corpus holds the archived documents the pairs name, and the new ones.
            let named_docs: AHashSet<u32> = one.result.pairs.iter().flat_map(|p| [p.a, p.b]).collect();
            assert!((0..one.first_new as u32).all(|d| named_docs.contains(&d)));
            assert_eq!(one.corpus.docs.len() - one.first_new, new.docs.len());
        }
    }

    #[test]
    fn containment_queries_give_the_full_scans_pairs() {
        let docs = corpus(900, 31);
        // A small containment_max_df: footers' samples are frequent in the whole, not in a part.
        let cfg = ScanConfig { containment: Some(0.7), containment_max_df: 8, ..ScanConfig::default() };
        let (whole, full) = scanned(&docs, &cfg);
        assert!(full.stats.containment_skipped_postings > 0, "some samples must be frequent");
        let mut contained = 0;
        for at in [300, 650] {
            let dir = tempfile::tempdir().unwrap();
            let (mut archive, new) = archived(dir.path(), &docs, at, &cfg, 200);
            let found = archive.query(&new.docs, &new, &NoProgress).unwrap();
            let got = named_pairs(&found);
            let want = pairs_from(&full, &whole.docs, at);
            assert_eq!(got, want, "split at {at}");
            // The archived texts loaded held in a temporary file instead: the same pairs.
            archive.hold_texts_up_to(Some(0));
            let spilled = archive.query(&new.docs, &new, &NoProgress).unwrap();
            assert!(spilled.corpus.spill_file.is_some() && spilled.corpus.docs.iter().all(|d| d.text.is_empty()));
            assert_eq!(named_pairs(&spilled), want, "split at {at}, texts in a temporary file");
            contained += full.pairs.iter().filter(|p| p.b as usize >= at && p.found_by == FoundBy::Containment).count();
        }
        assert!(contained > 0, "the splits must cut through containment pairs");
    }

    /// Rewrites the archive at `path` (format 3) as format `format` (1 or 2) stored it: postings
    /// and counts in fixed buckets by key, packed (2) or as 12-byte entries (1), the index by
    /// (kind, bucket, segment), the format in meta.
    fn downgrade(path: &Path, format: i64) {
        let conn = rusqlite::Connection::open(path).unwrap();
        let rows: Vec<(i64, i64, i64, Vec<u8>)> = {
            let mut q = conn.prepare("SELECT kind, bucket, segment, entries FROM postings").unwrap();
            let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        // Per (kind, segment, source): the entries of its runs.
        let mut all: std::collections::BTreeMap<(i64, i64, i64), Vec<(u64, u32)>> = Default::default();
        for (kind, bucket, segment, blob) in rows {
            let layout = postings::Layout::Runs;
            match kind == Kind::SourceCounts as i64 {
                true => {
                    let source = (postings::run_key(bucket) >> 32) as i64;
                    let entries = layout.counts(&blob).unwrap().into_iter().map(|(h, n)| (h as u64, n as u32));
                    all.entry((kind, segment, source)).or_default().extend(entries);
                }
                false => all.entry((kind, segment, 0)).or_default().extend(layout.postings(&blob).unwrap()),
            }
        }
        conn.execute_batch(
            "DELETE FROM postings; DROP INDEX postings_by_run; CREATE UNIQUE INDEX postings_by_key ON postings (kind, bucket, segment);",
        )
        .unwrap();
        for ((kind, segment, source), entries) in all {
            let blobs: Vec<(i64, Vec<u8>)> = match Kind::of_postings(kind) {
                Some(k) => postings::into_blobs(k, entries).into_iter().map(|(b, blob)| (b as i64, blob)).collect(),
                None => postings::count_blobs(source, entries.iter().map(|&(h, n)| (h as u32, n as i32)).collect()),
            };
            for (bucket, blob) in blobs {
                let blob = match (format, Kind::of_postings(kind)) {
                    (2, _) => blob,
                    (_, Some(_)) => fixed(postings::Layout::Packed.postings(&blob).unwrap()),
                    (_, None) => fixed(
                        postings::Layout::Packed.counts(&blob).unwrap().into_iter().map(|(h, n)| (h as u64, n as u32)),
                    ),
                };
                conn.execute(
                    "INSERT INTO postings (kind, bucket, segment, entries) VALUES (?1, ?2, ?3, ?4)",
                    (kind, bucket, segment, blob),
                )
                .unwrap();
            }
        }
        conn.execute("UPDATE meta SET value = ?1 WHERE key = 'format'", [format.to_string()]).unwrap();
    }

    /// Entries as format 1 stored them: a `u64` key and a `u32` each.
    fn fixed(entries: impl IntoIterator<Item = (u64, u32)>) -> Vec<u8> {
        entries.into_iter().flat_map(|(k, d)| k.to_le_bytes().into_iter().chain(d.to_le_bytes())).collect()
    }

    #[test]
    fn earlier_formats_are_read_refused_writes_and_every_format_compacted() {
        let docs = corpus(400, 37);
        let cfg = ScanConfig::default();
        let (old, new) = split(&docs, 300);
        let answers = |archive: &Archive| named_pairs(&archive.query(&new.docs, &new, &NoProgress).unwrap());
        for format in [1, 2, store::FORMAT] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.db");
            let mut archive = Archive::create(&path, &cfg).unwrap();
            // Three segments, one with a removal.
            for batch in [part(&old.docs, 0..150), part(&old.docs, 150..300)] {
                archive.add(&batch.docs, &batch, OnExisting::Refuse, 100, &|_| {}).unwrap();
            }
            archive.remove(&[old.docs[7].id.clone()]).unwrap();
            let want = answers(&archive);
            assert!(want.len() > 10);
            drop(archive);
            if format < store::FORMAT {
                downgrade(&path, format);
            }
            let mut archive = Archive::open(&path, true).unwrap();
            assert_eq!(archive.stats().unwrap().format, format);
            assert_eq!(answers(&archive), want, "format {format} is read");
            if format < store::FORMAT {
                let refused = archive.add(&new.docs, &new, OnExisting::Refuse, 100, &|_| {}).unwrap_err().to_string();
                assert!(refused.contains(&format!("format {format}")) && refused.contains("compact"), "{refused}");
                assert!(archive.remove(&[old.docs[0].id.clone()]).is_err());
            }
            archive.compact().unwrap();
            assert_eq!(archive.stats().unwrap().format, store::FORMAT);
            assert_eq!(archive.stats().unwrap().segments, 1);
            assert_eq!(answers(&archive), want, "compact rewrites format {format} in this one");
            archive.add(&new.docs[..10], &new, OnExisting::Refuse, 100, &|_| {}).unwrap();
        }
    }

    #[test]
    fn after_compact_a_few_articles_read_only_heavy_counts_and_get_the_full_scans_pairs() {
        let docs = corpus(800, 43);
        let cfg = ScanConfig::default();
        let (_, full) = scanned(&docs, &cfg);
        assert!(full.stats.boilerplate_anchors > 0, "the outlets' footers must be boilerplate");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut archive = Archive::create(&path, &cfg).unwrap();
        // Compacted at 730, then 30 more added: the query of the last 40 may read heavy counts
        // alone (its sources grew by a few documents since).
        let first = part(&docs, 0..400);
        archive.add(&first.docs, &first, OnExisting::Refuse, 100, &|_| {}).unwrap();
        archive.remove(&[docs[3].id.clone()]).unwrap();
        let second = part(&docs, 400..730);
        archive.add(&second.docs, &second, OnExisting::Refuse, 100, &|_| {}).unwrap();
        archive.compact().unwrap();
        let third = part(&docs, 730..760);
        archive.add(&third.docs, &third, OnExisting::Refuse, 10, &|_| {}).unwrap();
        let kept: Vec<Doc> = docs.iter().enumerate().filter(|&(i, _)| i != 3).map(|(_, d)| d.clone()).collect();
        let whole = Corpus { docs: kept.clone(), ..Corpus::default() };
        let full = crate::scan::scan(&whole, &whole.source_ids(), &cfg, &NoProgress);
        let (_, new) = split(&kept, 759);
        HEAVY_ONLY.with(|n| n.set(0));
        let found = archive.query(&new.docs, &new, &NoProgress).unwrap();
        assert!(HEAVY_ONLY.with(|n| n.get()) > 5, "most sources read their heavy counts alone");
        let want = pairs_from(&full, &kept, 759);
        assert!(want.len() > 3, "{}", want.len());
        assert_eq!(named_pairs(&found), want);
        assert!(found.result.stats.boilerplate_anchors > 0, "the query's part knows the footers");
    }

    #[test]
    fn boilerplate_that_appears_after_compact_is_found_as_a_full_scan_finds_it() {
        // One outlet: 200 articles archived and compacted, then 100 more that all carry a new
        // footer (a third of the whole: boilerplate), the last 20 of them queried.
        let footer = " Subscribe to the Valley Courier for the full story and local weather, sports and obituaries delivered every single morning to your door.";
        let docs: Vec<Doc> = corpus(300, 47)
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let text = if i >= 200 { format!("{}{footer}", d.text) } else { d.text.clone() };
                Doc::new(d.id.clone(), Some("courier".into()), d.date.clone(), None, text, d.origin.clone())
            })
            .collect();
        let cfg = ScanConfig::default();
        let (_, full) = scanned(&docs, &cfg);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut archive = Archive::create(&path, &cfg).unwrap();
        let first = part(&docs, 0..200);
        archive.add(&first.docs, &first, OnExisting::Refuse, 100, &|_| {}).unwrap();
        archive.compact().unwrap();
        let then = part(&docs, 200..280);
        archive.add(&then.docs, &then, OnExisting::Refuse, 100, &|_| {}).unwrap();
        let new = part(&docs, 280..300);
        let found = archive.query(&new.docs, &new, &NoProgress).unwrap();
        let want = pairs_from(&full, &docs, 280);
        assert_eq!(named_pairs(&found), want);
        // Without the footer as boilerplate, every new article would pair with the 80 before.
        assert!(want.len() < 100, "{}", want.len());
    }

    #[test]
    fn a_query_reads_one_committed_state_while_another_connection_writes() {
        let docs = corpus(400, 41);
        let cfg = ScanConfig::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let (old, new) = split(&docs, 300);
        Archive::create(&path, &cfg).unwrap().add(&old.docs[..250], &old, OnExisting::Refuse, 100, &|_| {}).unwrap();
        let reader = Archive::open(&path, false).unwrap();
        let before = reader.query(&new.docs, &new, &NoProgress).unwrap();
        let loaded: Vec<String> = before.corpus.docs[..before.first_new].iter().map(|d| d.id.clone()).collect();
        assert!(!loaded.is_empty() && !before.result.pairs.is_empty());
        // Between the lookups and the loading, another connection removes every archived
        // document the query wants and adds fifty more: the query still reads the state it began in.
        let mut writer = Some(Archive::open(&path, true).unwrap());
        let (gone, more) = (loaded.clone(), split(&old.docs, 250).1);
        BEFORE_LOADING.with(|hook| {
            *hook.borrow_mut() = Some(Box::new(move || {
                if let Some(mut w) = writer.take() {
                    w.remove(&gone).unwrap();
                    w.add(&more.docs, &more, OnExisting::Refuse, 100, &|_| {}).unwrap();
                }
            }))
        });
        let during = reader.query(&new.docs, &new, &NoProgress);
        BEFORE_LOADING.with(|hook| *hook.borrow_mut() = None);
        let during = during.unwrap();
        assert_eq!(named_pairs(&during), named_pairs(&before));
        assert_eq!(during.archived, 250);
        // The next query sees the changes.
        let after = reader.query(&new.docs, &new, &NoProgress).unwrap();
        assert_eq!(after.archived, 250 - loaded.len() + 50);
        assert!(after.corpus.docs[..after.first_new].iter().all(|d| !loaded.contains(&d.id)));
    }

    /// `n` made-up words from `from` on, distinct for distinct numbers.
    fn words(from: usize, n: usize) -> String {
        let word = |mut i: usize| {
            let mut w = String::from("q");
            loop {
                w.push((b'a' + (i % 26) as u8) as char);
                i /= 26;
                if i == 0 {
                    return w;
                }
            }
        };
        (from..from + n).map(word).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn samples_frequent_in_the_whole_are_skipped_in_the_part() {
        // Twelve archived articles of one outlet end with the same footer; one of them also
        // prints a passage. The new article is the footer, that passage and a few words: inside
        // every archived one by containment, but only through the footer, whose samples more
        // than `containment_max_df` documents of the whole hold (and whose anchors more than
        // `max_df`). The full scan finds the pair with the passage's article by its passage
        // alone; the query loads that article (for the passage) and must skip the footer's
        // samples as the whole does, though the part holds only a few documents with them.
        let footer = words(0, 60);
        let passage = words(100, 14);
        let doc = |id: String, text: String| Doc::new(id, Some("outlet".into()), None, None, text, Origin::default());
        let mut archived: Vec<Doc> =
            (0..12).map(|i| doc(format!("old{i}"), format!("{}. {footer}", words(1000 + 300 * i, 200)))).collect();
        archived[5].text = format!("{} {passage} {}. {footer}", words(5000, 100), words(6000, 100));
        let new = vec![doc("new".into(), format!("{passage} {}. {footer}", words(9000, 5)))];
        let cfg = ScanConfig { containment: Some(0.7), containment_max_df: 8, max_df: 5.0, ..ScanConfig::default() };
        let all: Vec<Doc> = archived.iter().chain(&new).cloned().collect();
        let whole = Corpus { docs: all, ..Corpus::default() };
        let full = crate::scan::scan(&whole, &whole.source_ids(), &cfg, &NoProgress);
        let want: Vec<String> = full.pairs.iter().filter(|p| p.b == 12).map(|p| named(p, &whole.docs)).collect();
        let by_passage = want.iter().find(|p| p.starts_with("old5 new")).expect("the passage's pair");
        assert!(by_passage.contains("found_by: Passage"), "{by_passage}");

        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::create(&dir.path().join("a.db"), &cfg).unwrap();
        let old = Corpus { docs: archived, ..Corpus::default() };
        archive.add(&old.docs, &old, OnExisting::Refuse, 5, &|_| {}).unwrap();
        let new = Corpus { docs: new, ..Corpus::default() };
        let found = archive.query(&new.docs, &new, &NoProgress).unwrap();
        let got = named_pairs(&found);
        assert_eq!(got, want);
    }
}
