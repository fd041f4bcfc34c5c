//! The archive: a persistent index of every article printed so far, to ask each day which new
//! articles copy, syndicate or quote something already in it, without scanning it all again.
//!
//! Adding a batch stores, in one transaction, each document (its text compressed), its LSH band
//! keys, passage anchors and (with containment search) containment samples as postings (see
//! [`postings`]), and per source how many documents hold each anchor (for boilerplate). A query
//! fingerprints the new documents, looks their band keys, anchors and samples up, loads the
//! archived documents that share one, and scans those with the new ones
//! ([`crate::scan::scan_part`]), in parts of bounded size (`parts`), taking what only the whole
//! archive knows (how many documents hold an anchor or a sample, each source's boilerplate)
//! from the archive's postings and counts. Its pairs are then the pairs a full scan of archive and new documents gives those
//! documents (tested).
//!
//! The scan options that shape fingerprints are fixed when the archive is created and stored
//! in it; every later add and query uses them.

mod parts;
pub mod postings;
mod query;
mod quotes;
mod runs;
pub mod store;

pub use parts::QUERY_PART_BYTES;
pub use query::QueryResult;
pub use quotes::{QuotesFound, EARLIEST_HOLDERS};

use crate::config::ScanConfig;
use crate::corpus::{Doc, Texts};
use crate::error::{Error, Result};
use crate::fingerprint::signature::MinHasher;
use crate::fingerprint::winnow::{anchors_of, Anchor};
use crate::fingerprint::{fingerprint_all, Fingerprints};
use crate::neardup::band::band_keys;
use crate::neardup::containment;
use ahash::AHashMap;
use postings::Kind;
use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::path::{Path, PathBuf};
use store::{archive_error, store_error};

/// Documents added per transaction by default: a crash loses at most the batch being written.
pub const DEFAULT_BATCH: usize = 5000;

/// What `add` does with a document whose id the archive already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Stop before writing anything, naming the id.
    Refuse,
    /// Replace the archived document (a correction, an updated story): the old one is removed
    /// in the transaction that adds the new one.
    Replace,
    /// Leave the archived document and skip the new one (resuming an interrupted add).
    Skip,
}

/// What an `add` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AddStats {
    /// Documents added (replacements included).
    pub added: usize,
    /// Archived documents replaced.
    pub replaced: usize,
    /// New documents skipped for an id already archived.
    pub skipped: usize,
    /// Transactions committed.
    pub batches: usize,
}

/// What the archive holds (`reprint index stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArchiveStats {
    /// Archive format.
    pub format: i64,
    /// Documents held.
    pub documents: u64,
    /// Distinct sources.
    pub sources: u64,
    /// Bytes of text as read.
    pub text_bytes: u64,
    /// Bytes of text as stored (compressed).
    pub stored_text_bytes: u64,
    /// Bytes of postings (band and anchor).
    pub posting_bytes: u64,
    /// (source, anchor) count entries kept for boilerplate (summed over segments by `compact`).
    pub source_anchors: u64,
    /// Posting segments (one per batch since the last compaction).
    pub segments: u64,
    /// Removed documents still named in postings (until `compact`).
    pub removed_pending: u64,
    /// Size of the archive file and its write-ahead log.
    pub file_bytes: u64,
    /// File bytes per document.
    pub bytes_per_document: f64,
}

/// An open archive.
pub struct Archive {
    conn: Connection,
    path: PathBuf,
    cfg: ScanConfig,
    /// How its posting blobs are laid out (by its format).
    layout: postings::Layout,
    /// Bytes of archived text a query holds in memory before the rest goes to a temporary file
    /// (`None`: all held; see [`Archive::hold_texts_up_to`]).
    spill_over: Option<u64>,
    /// Text bytes of archived documents sharing only anchors with the new ones that a query
    /// scans in one part (see [`Archive::scan_in_parts_of`]).
    part_bytes: u64,
}

/// A batch ready to be written: which documents, their compressed texts, and their postings and
/// source counts already cut into blobs (with the documents numbered from 0 in the batch: the
/// writer adds the first number, known only when the batch before is written).
struct Prepared {
    /// The batch's first document (input order).
    start: usize,
    /// One past the batch's last document (input order).
    end: usize,
    /// The batch's documents to add (those skipped as archived left out).
    chosen: Vec<usize>,
    /// Their texts' lengths in bytes (the texts themselves are not kept past compression).
    bytes: Vec<i64>,
    /// Their texts compressed.
    compressed: Vec<Vec<u8>>,
    /// Band, anchor and sample postings: (kind, bucket, blob), documents numbered in the batch.
    blobs: Vec<Blob>,
    /// Per source, in the order the batch first names them.
    counts: Vec<SourceBatch>,
}

/// One source's part of a batch.
struct SourceBatch {
    /// The source's name.
    name: String,
    /// Its documents in the batch.
    docs: usize,
    /// Its anchor counts as runs ([`postings::count_runs`]): (first hash, blob).
    blobs: Vec<(u32, Vec<u8>)>,
}

impl Prepared {
    /// Cuts the `keys` of the documents `chosen` (of `docs`) into posting and count blobs.
    fn blobs(docs: &[Doc], chosen: &[usize], keys: Vec<DocKeys>) -> (Vec<Blob>, Vec<SourceBatch>) {
        // Sources in the order the batch first names them (the order they are numbered in):
        // name, documents, count changes.
        let mut by_source: Vec<(&str, usize, CountChanges)> = Vec::new();
        let mut place: AHashMap<&str, usize> = AHashMap::new();
        for (&i, k) in chosen.iter().zip(&keys) {
            if let Some(name) = docs[i].source.as_deref() {
                let at = *place.entry(name).or_insert_with(|| {
                    by_source.push((name, 0, Vec::new()));
                    by_source.len() - 1
                });
                by_source[at].1 += 1;
                by_source[at].2.extend(k.anchors.iter().map(|&h| (h, 1)));
            }
        }
        let in_batch = |f: &dyn Fn(&DocKeys) -> Vec<u64>| -> Vec<postings::Posting> {
            keys.iter().enumerate().flat_map(|(j, k)| f(k).into_iter().map(move |key| (key, j as u32))).collect()
        };
        let lists = [
            (Kind::Band, in_batch(&|k| k.bands.clone())),
            (Kind::Anchor, in_batch(&|k| k.anchors.iter().map(|&h| h as u64).collect())),
            (Kind::Sample, in_batch(&|k| k.samples.clone())),
        ];
        let (blobs, counts) = rayon::join(
            || {
                lists
                    .into_par_iter()
                    .flat_map_iter(|(kind, list)| {
                        postings::into_runs(list)
                            .into_iter()
                            .map(move |(first, blob)| (kind, postings::run_bucket(first), blob))
                    })
                    .collect()
            },
            || {
                by_source
                    .into_iter()
                    .map(|(name, docs, changes)| SourceBatch {
                        name: name.to_string(),
                        docs,
                        blobs: postings::count_runs(changes),
                    })
                    .collect()
            },
        );
        (blobs, counts)
    }
}

/// A run of postings: (kind, bucket column (its first key, see [`postings::run_bucket`]),
/// entries).
type Blob = (Kind, i64, Vec<u8>);

/// Count changes: (anchor hash, documents more or fewer).
type CountChanges = Vec<(u32, i32)>;

/// The keys of one document: its band keys and its distinct anchors.
pub(crate) struct DocKeys {
    /// Bucket keys of its LSH bands (none for a document without shingles).
    pub(crate) bands: Vec<u64>,
    /// Its distinct anchor hashes, ascending.
    pub(crate) anchors: Vec<u32>,
    /// Its containment samples, ascending (none when containment search is off).
    pub(crate) samples: Vec<u64>,
}

/// The options an archive fixes, as they differ between `asked` and `stored` (only options
/// `asked` sets away from their default are compared: the others were not asked for).
pub fn differing_options(asked: &ScanConfig, stored: &ScanConfig) -> Vec<String> {
    let base = if asked.ocr.is_some() { ScanConfig::ocr_default() } else { ScanConfig::default() };
    let (a, s, b) = (to_map(asked), to_map(stored), to_map(&base));
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(v) && s.get(*k) != Some(v))
        .map(|(k, v)| format!("{k} {v} (archive: {})", s.get(k).map(|x| x.to_string()).unwrap_or_default()))
        .collect()
}

fn to_map(cfg: &ScanConfig) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(cfg) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

impl Archive {
    /// Creates an archive at `path` fixed to `cfg`.
    pub fn create(path: &Path, cfg: &ScanConfig) -> Result<Self> {
        cfg.validate()?;
        let config = serde_json::to_string(cfg).map_err(|e| archive_error(path, e.to_string()))?;
        let meta = [
            ("format", store::FORMAT.to_string()),
            ("reprint", env!("CARGO_PKG_VERSION").to_string()),
            ("config", config),
            ("next_doc", "0".to_string()),
            ("documents", "0".to_string()),
            ("next_segment", "0".to_string()),
        ];
        let conn = store::create(path, &meta)?;
        Ok(Archive {
            conn,
            path: path.to_path_buf(),
            cfg: cfg.clone(),
            layout: postings::Layout::Runs,
            spill_over: None,
            part_bytes: QUERY_PART_BYTES,
        })
    }

    /// Opens the archive at `path`; `write` for add, remove and compact.
    pub fn open(path: &Path, write: bool) -> Result<Self> {
        let conn = store::open(path, write)?;
        let config = store::meta(&conn, path, "config")?;
        let cfg: ScanConfig =
            serde_json::from_str(&config).map_err(|e| archive_error(path, format!("damaged options: {e}")))?;
        cfg.validate().map_err(|e| archive_error(path, format!("damaged options: {e}")))?;
        let layout = postings::Layout::of_format(store::meta_number(&conn, path, "format")?);
        Ok(Archive { conn, path: path.to_path_buf(), cfg, layout, spill_over: None, part_bytes: QUERY_PART_BYTES })
    }

    /// Opens the archive at `path` for adding, or creates it fixed to `cfg`. Options `cfg` sets
    /// away from their defaults that differ from the archive's are an error naming them.
    pub fn open_for_add(path: &Path, cfg: &ScanConfig) -> Result<Self> {
        if !path.exists() {
            return Archive::create(path, cfg);
        }
        let archive = Archive::open(path, true)?;
        let differ = differing_options(cfg, archive.config());
        if !differ.is_empty() {
            return Err(archive_error(
                path,
                format!(
                    "made with other scan options; asked for {}. An archive keeps the options it was made with: leave them out, or start a new archive",
                    differ.join(", ")
                ),
            ));
        }
        Ok(archive)
    }

    /// The scan options fixed at creation.
    pub fn config(&self) -> &ScanConfig {
        &self.cfg
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error unless the archive is in this reprint's format (an older one is read, not
    /// written to: `compact` rewrites it).
    fn check_writable(&self) -> Result<()> {
        let format = match self.layout {
            postings::Layout::Runs => return Ok(()),
            postings::Layout::Fixed => 1,
            postings::Layout::Packed => 2,
        };
        Err(archive_error(
            &self.path,
            format!(
                "made by an earlier reprint in archive format {format}, which this reprint reads but does not add to or remove from: `reprint index compact {}` rewrites it in format {}",
                self.path.display(),
                store::FORMAT
            ),
        ))
    }

    fn err(&self, doing: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
        store_error(&self.path, doing)
    }

    /// The band keys and anchors of `texts`, with the archive's options.
    fn keys(&self, texts: &[String]) -> Vec<DocKeys> {
        let cfg = self.cfg.in_tokens();
        let fp = fingerprint(texts, &cfg);
        doc_keys(&fp, &cfg)
    }

    /// Adds `docs` (their texts from `texts`) in transactions of `batch` documents, calling
    /// `on_batch(documents done)` after each commit.
    pub fn add<X: Texts + ?Sized>(
        &mut self,
        docs: &[Doc],
        texts: &X,
        on_existing: OnExisting,
        batch: usize,
        on_batch: &dyn Fn(usize),
    ) -> Result<AddStats> {
        self.check_writable()?;
        let mut stats = AddStats::default();
        // Ids already archived, found before anything is written.
        let mut existing: AHashMap<usize, i64> = AHashMap::new();
        for (i, d) in docs.iter().enumerate() {
            if let Some(num) = store::archived_num(&self.conn, &self.path, &d.id)? {
                existing.insert(i, num);
            }
        }
        if on_existing == OnExisting::Refuse && !existing.is_empty() {
            let mut first: Vec<usize> = existing.keys().copied().collect();
            first.sort_unstable();
            let shown: Vec<String> =
                first.iter().take(3).map(|&i| format!("{:?} ({})", docs[i].id, docs[i].origin)).collect();
            return Err(archive_error(
                &self.path,
                format!(
                    "{} of the documents to add are archived already, e.g. {}: nothing was added (--replace replaces them, --skip-existing skips them)",
                    existing.len(),
                    shown.join(", ")
                ),
            ));
        }
        let cfg = self.cfg.in_tokens();
        let batch = batch.max(1);
        let path = self.path.clone();
        let path = path.as_path();
        // Each batch is read, fingerprinted and compressed while the one before it is written
        // (SQLite writes on one thread; the rest of the machine would wait for it).
        let prepare = |start: usize| {
            let end = (start + batch).min(docs.len());
            let chosen: Vec<usize> =
                (start..end).filter(|i| on_existing != OnExisting::Skip || !existing.contains_key(i)).collect();
            let mut buf = String::new();
            let texts: Vec<String> = chosen.iter().map(|&i| texts.text(i, &mut buf).to_string()).collect();
            let keys = doc_keys(&fingerprint(&texts, &cfg), &cfg);
            let ((blobs, counts), compressed) = rayon::join(
                || Prepared::blobs(docs, &chosen, keys),
                || {
                    texts
                        .par_iter()
                        .map_init(
                            || store::Compressor::new(path),
                            |zstd, t| match zstd {
                                Ok(zstd) => zstd.compress(t),
                                // No context: one per text, which gives the error.
                                Err(_) => store::compress(path, t),
                            },
                        )
                        .collect::<Result<Vec<_>>>()
                },
            );
            let bytes = texts.iter().map(|t| t.len() as i64).collect();
            compressed.map(|compressed| Prepared { start, end, chosen, bytes, compressed, blobs, counts })
        };
        let starts: Vec<usize> = (0..docs.len()).step_by(batch).collect();
        let mut next = starts.first().map(|&s| prepare(s)).transpose()?;
        // Committed batches are copied from the log into the file on a thread of its own.
        let checkpoints = store::Checkpointer::start(&self.path, &self.conn)?;
        let mut batches = || -> Result<()> {
            for (b, following) in starts.iter().skip(1).map(Some).chain([None]).enumerate() {
                let Some(current) = next.take() else { break };
                let (start, end, chosen) = (current.start, current.end, current.chosen.len());
                // Every few batches the log is let empty itself, so that it starts over.
                if b % store::Checkpointer::BATCHES_PER_RESTART == 0 {
                    checkpoints.wait()?;
                }
                let (prepared, written) =
                    rayon::join(|| following.map(|&s| prepare(s)), || self.write_batch(docs, current, &existing));
                let (added, replaced) = written?;
                checkpoints.committed();
                stats.skipped += (end - start) - chosen;
                stats.added += added;
                stats.replaced += replaced;
                stats.batches += usize::from(added > 0);
                on_batch(end);
                next = prepared.transpose()?;
            }
            Ok(())
        };
        let added = batches();
        let finished = checkpoints.finish(&self.conn, &self.path);
        added.and(finished).map(|()| stats)
    }

    /// Writes one prepared batch in one transaction; returns (documents added, archived ones
    /// they replaced).
    fn write_batch(
        &mut self,
        docs: &[Doc],
        batch: Prepared,
        existing: &AHashMap<usize, i64>,
    ) -> Result<(usize, usize)> {
        let Prepared { chosen, bytes, compressed, mut blobs, counts, .. } = batch;
        if chosen.is_empty() {
            return Ok((0, 0));
        }
        let replaced: Vec<i64> = chosen.iter().filter_map(|i| existing.get(i).copied()).collect();
        let old = self.load_for_removal(&replaced)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(store_error(&self.path, "cannot write"))?;
        let path = &self.path;
        let w = store_error(path, "cannot add");
        // Count changes per source: the replaced documents' anchors out, the new ones' in.
        let mut source_counts = take_out(&tx, &old).map_err(&w)?;
        let first = store::meta_number(&tx, path, "next_doc")?;
        let segment = store::meta_number(&tx, path, "next_segment")?;
        let mut numbers: AHashMap<String, i64> = AHashMap::new();
        for c in &counts {
            let num = source_num(&tx, &c.name).map_err(&w)?;
            tx.execute("UPDATE sources SET docs = docs + ?2 WHERE num = ?1", (num, c.docs as i64)).map_err(&w)?;
            tx.execute("UPDATE heavy SET added = added + ?2 WHERE source = ?1", (num, c.docs as i64)).map_err(&w)?;
            numbers.insert(c.name.clone(), num);
        }
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO docs (num, id, source, date, title, bytes, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&w)?;
            for (j, &i) in chosen.iter().enumerate() {
                let d = &docs[i];
                let source = d.source.as_deref().and_then(|name| numbers.get(name).copied());
                insert
                    .execute((first + j as i64, &d.id, source, &d.date, &d.title, bytes[j], &compressed[j]))
                    .map_err(|e| match &e {
                        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                            archive_error(
                                path,
                                format!(
                                "id {:?} ({}) is archived already (added meanwhile?): nothing of this batch was kept",
                                d.id, d.origin
                            ),
                            )
                        }
                        _ => w(e),
                    })?;
            }
            let mut put = tx
                .prepare("INSERT INTO postings (kind, bucket, segment, entries) VALUES (?1, ?2, ?3, ?4)")
                .map_err(&w)?;
            for (kind, bucket, blob) in &mut blobs {
                postings::number_from(blob, first as u32);
                put.execute((*kind as i64, *bucket, segment, &*blob)).map_err(&w)?;
            }
        }
        for SourceBatch { name, blobs, .. } in counts {
            let num = numbers[&name];
            match source_counts.remove(&num) {
                // A replaced document of this source: its counts out, in the same blobs.
                Some(mut changes) => {
                    for (_, b) in &blobs {
                        changes.extend(postings::Layout::Runs.counts(b).unwrap_or_default());
                    }
                    source_counts.insert(num, changes);
                }
                None => put_count_blobs(&tx, segment, num, blobs).map_err(&w)?,
            }
        }
        put_counts(&tx, segment, source_counts).map_err(&w)?;
        let next = first + chosen.len() as i64;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'next_doc'", [next.to_string()]).map_err(&w)?;
        tx.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + ?1 WHERE key = 'documents'",
            [chosen.len() as i64],
        )
        .map_err(&w)?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'next_segment'", [(segment + 1).to_string()]).map_err(&w)?;
        tx.commit().map_err(&w)?;
        Ok((chosen.len(), old.len()))
    }

    /// Number, source and keys of the archived documents `nums`, for removing them.
    fn load_for_removal(&self, nums: &[i64]) -> Result<Vec<(i64, Option<i64>, DocKeys)>> {
        if nums.is_empty() {
            return Ok(Vec::new());
        }
        let mut get =
            self.conn.prepare("SELECT source, text FROM docs WHERE num = ?1").map_err(self.err("cannot read"))?;
        let mut meta = Vec::new();
        let mut texts = Vec::new();
        let mut zstd = store::Decompressor::default();
        for &num in nums {
            let (source, blob): (Option<i64>, Vec<u8>) =
                get.query_row([num], |r| Ok((r.get(0)?, r.get(1)?))).map_err(store_error(&self.path, "cannot read"))?;
            texts.push(zstd.decompress(&self.path, &blob)?);
            meta.push((num, source));
        }
        let keys = self.keys(&texts);
        Ok(meta.into_iter().zip(keys).map(|((n, s), k)| (n, s, k)).collect())
    }

    /// Removes the documents with these ids (retractions, takedowns) in one transaction; ids not
    /// archived are returned, and nothing is removed if any is unknown.
    pub fn remove(&mut self, ids: &[String]) -> Result<usize> {
        self.check_writable()?;
        let mut nums = Vec::new();
        let mut unknown = Vec::new();
        for id in ids {
            match store::archived_num(&self.conn, &self.path, id)? {
                Some(n) => nums.push(n),
                None => unknown.push(id.clone()),
            }
        }
        if !unknown.is_empty() {
            return Err(archive_error(
                &self.path,
                format!(
                    "not archived: {}; nothing was removed",
                    unknown.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        nums.sort_unstable();
        nums.dedup();
        let old = self.load_for_removal(&nums)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(store_error(&self.path, "cannot write"))?;
        let w = store_error(&self.path, "cannot remove");
        let source_counts = take_out(&tx, &old).map_err(&w)?;
        let segment = store::meta_number(&tx, &self.path, "next_segment")?;
        put_counts(&tx, segment, source_counts).map_err(&w)?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'next_segment'", [(segment + 1).to_string()]).map_err(&w)?;
        tx.commit().map_err(&w)?;
        Ok(old.len())
    }

    /// Lets a query (or quotes query) hold at most `bytes` of the archived texts it loads in
    /// memory, the rest in an unlinked temporary file read back as needed, as `scan` does past
    /// `--spill-over` (`None`, the default: all held). A query of 10,000 new articles against a
    /// million loads half a million archived ones, 2.7 GB of text.
    pub fn hold_texts_up_to(&mut self, bytes: Option<u64>) {
        self.spill_over = bytes;
    }

    /// Lets a query scan the archived documents that share only anchors with the new ones (on a
    /// large archive, most of those it loads) in parts of about `bytes` of text each, with the
    /// new documents, instead of [`QUERY_PART_BYTES`]: its memory follows the part, not the
    /// archive. The answer is the same whatever the size.
    pub fn scan_in_parts_of(&mut self, bytes: u64) {
        self.part_bytes = bytes.max(1);
    }

    /// Posting segments a query reads: one per batch added since the last compaction (a seek
    /// per segment for each band key; cheap, unlike [`Archive::stats`]).
    pub fn segments(&self) -> Result<usize> {
        Ok(runs::segments(&self.conn, &self.path, Kind::Band)?.len())
    }

    /// What the archive holds.
    pub fn stats(&self) -> Result<ArchiveStats> {
        let one = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
                .map(|v| v.unwrap_or(0) as u64)
                .map_err(store_error(&self.path, "cannot read"))
        };
        let documents = one("SELECT COUNT(*) FROM docs")?;
        let file_bytes = [self.path.clone(), wal_path(&self.path)]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        Ok(ArchiveStats {
            format: store::meta_number(&self.conn, &self.path, "format")?,
            documents,
            sources: one("SELECT COUNT(*) FROM sources WHERE docs > 0")?,
            text_bytes: one("SELECT SUM(bytes) FROM docs")?,
            stored_text_bytes: one("SELECT SUM(length(text)) FROM docs")?,
            posting_bytes: one("SELECT SUM(length(entries)) FROM postings")?,
            source_anchors: self.source_anchors()?,
            segments: one("SELECT COUNT(DISTINCT segment) FROM postings")?,
            removed_pending: one("SELECT COUNT(*) FROM deleted")?,
            file_bytes,
            bytes_per_document: if documents > 0 { file_bytes as f64 / documents as f64 } else { 0.0 },
        })
    }

    /// Entries of the source counts, from their blobs' headers.
    fn source_anchors(&self) -> Result<u64> {
        let read = store_error(&self.path, "cannot read");
        let mut q = self.conn.prepare("SELECT entries FROM postings WHERE kind = ?1 OR kind = ?2").map_err(&read)?;
        let mut rows = q.query([Kind::SourceCounts as i64, Kind::HeavyCounts as i64]).map_err(&read)?;
        let mut total = 0;
        while let Some(row) = rows.next().map_err(&read)? {
            let blob = row.get_ref(0).map_err(&read)?.as_blob().unwrap_or_default();
            total += self.layout.count_of(blob).unwrap_or(0) as u64;
        }
        Ok(total)
    }

    /// Merges every posting segment into one, drops removed documents from the postings and
    /// counts, and gives the freed space back to the file system; an archive of an earlier
    /// format is rewritten in this one's.
    pub fn compact(&mut self) -> Result<()> {
        let path = self.path.clone();
        let w = store_error(&path, "cannot compact");
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&w)?;
        let dead = store::removed(&tx, &path)?;
        // Every segment is merged into a new one, numbered past them, then they are deleted.
        let segment = store::meta_number(&tx, &path, "next_segment")?;
        let segments = match self.layout {
            postings::Layout::Runs => {
                let mut all = Vec::new();
                for kind in [Kind::Band, Kind::Anchor, Kind::Sample, Kind::SourceCounts, Kind::HeavyCounts] {
                    all.extend(runs::segments(&tx, &path, kind)?);
                }
                all.sort_unstable();
                all.dedup();
                all
            }
            _ => Vec::new(),
        };
        // Each source's mark: a quarter of its boilerplate threshold now.
        tx.execute_batch(store::HEAVY_TABLE).map_err(&w)?;
        tx.execute("DELETE FROM heavy", []).map_err(&w)?;
        let marks: AHashMap<i64, i64> = {
            let mut q = tx.prepare("SELECT num, docs FROM sources WHERE docs > 0").map_err(&w)?;
            let rows = q.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))).map_err(&w)?;
            let rows: Vec<(i64, i64)> = rows.collect::<rusqlite::Result<_>>().map_err(&w)?;
            rows.into_iter().map(|(num, docs)| (num, runs::mark(&self.cfg, docs as usize))).collect()
        };
        for (&num, &mark) in &marks {
            tx.execute("INSERT INTO heavy (source, segment, mark, added) VALUES (?1, ?2, ?3, 0)", (num, segment, mark))
                .map_err(&w)?;
        }
        runs::Merger { tx: &tx, path: &path, layout: self.layout, segment, dead: &dead, segments, marks }
            .merge_all()?;
        tx.execute("DELETE FROM postings WHERE segment < ?1", [segment]).map_err(&w)?;
        if self.layout != postings::Layout::Runs {
            // An earlier format's index (by bucket, then segment) gives way to format 3's.
            tx.execute_batch(
                "DROP INDEX IF EXISTS postings_by_key; CREATE UNIQUE INDEX postings_by_run ON postings (kind, segment, bucket);",
            )
            .map_err(&w)?;
        }
        tx.execute("DELETE FROM deleted", []).map_err(&w)?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'next_segment'", [(segment + 1).to_string()]).map_err(&w)?;
        // Every blob is rewritten as runs: an archive of an earlier format is now this one's.
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'format'", [store::FORMAT.to_string()]).map_err(&w)?;
        tx.commit().map_err(&w)?;
        self.layout = postings::Layout::Runs;
        // The merge is committed: a failure past here (VACUUM writes a copy of the file, so it
        // needs about the file's size free) leaves a whole archive that only takes more room.
        self.conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);").map_err(|e| {
            archive_error(
                &path,
                format!(
                    "compacted, but the file could not be shrunk ({e}): the archive is whole and usable; with about its size free on disk, `reprint index compact` gives the space back"
                ),
            )
        })?;
        Ok(())
    }
}

/// The write-ahead log beside an archive.
fn wal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

/// The number of source `name`, made on first use.
fn source_num(tx: &Connection, name: &str) -> rusqlite::Result<i64> {
    if let Some(n) = tx.query_row("SELECT num FROM sources WHERE name = ?1", [name], |r| r.get(0)).optional()? {
        return Ok(n);
    }
    tx.execute("INSERT INTO sources (name, docs) VALUES (?1, 0)", [name])?;
    Ok(tx.last_insert_rowid())
}

/// Count changes per source, one blob list each.
type SourceCounts = AHashMap<i64, CountChanges>;

/// Removes the archived documents `old` (number, source, keys) and gives their sources' count
/// changes: each anchor they held, one document fewer.
fn take_out(tx: &Connection, old: &[(i64, Option<i64>, DocKeys)]) -> rusqlite::Result<SourceCounts> {
    let mut changes = SourceCounts::new();
    for (num, source, k) in old {
        remove_doc(tx, *num, *source)?;
        if let Some(s) = source {
            changes.entry(*s).or_default().extend(k.anchors.iter().map(|&h| (h, -1)));
        }
    }
    Ok(changes)
}

/// Writes the count changes `changes` as segment `segment`'s count blobs.
fn put_counts(tx: &Connection, segment: i64, changes: SourceCounts) -> rusqlite::Result<()> {
    for (source, changes) in changes {
        put_count_blobs(tx, segment, source, postings::count_runs(changes))?;
    }
    Ok(())
}

/// Writes one source's count runs ((first hash, blob), see [`postings::count_runs`]) as segment
/// `segment`'s.
fn put_count_blobs(tx: &Connection, segment: i64, source: i64, blobs: Vec<(u32, Vec<u8>)>) -> rusqlite::Result<()> {
    let mut put = tx.prepare_cached("INSERT INTO postings (kind, bucket, segment, entries) VALUES (?1, ?2, ?3, ?4)")?;
    for (first, blob) in blobs {
        let bucket = postings::run_bucket(postings::count_key(source, first));
        put.execute((Kind::SourceCounts as i64, bucket, segment, blob))?;
    }
    Ok(())
}

/// Removes document `num` (of `source`) and takes it out of its source's count; its postings
/// stay until `compact`, named in `deleted` so lookups pass over them (its anchor counts are
/// taken back by [`take_out`]).
fn remove_doc(tx: &Connection, num: i64, source: Option<i64>) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM docs WHERE num = ?1", [num])?;
    tx.execute("UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'documents'", [])?;
    tx.execute("INSERT OR IGNORE INTO deleted (num) VALUES (?1)", [num])?;
    if let Some(s) = source {
        tx.execute("UPDATE sources SET docs = docs - 1 WHERE num = ?1", [s])?;
    }
    Ok(())
}

/// Fingerprints `texts` as a scan with `cfg` (in tokens) does, anchors included, and with every
/// document's shingle set when containment search is on (its samples are drawn from the sets).
pub(crate) fn fingerprint(texts: &[String], cfg: &ScanConfig) -> Fingerprints {
    let hasher = MinHasher::new(cfg.perms, cfg.seed);
    let total: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let anchors = cfg.passages.then_some((cfg.anchor_k, cfg.winnow));
    let mut fp = fingerprint_all(texts, cfg.unit(), cfg.shingle, &hasher, anchors, total, &[], &|_| {});
    if cfg.containment.is_some() {
        fp.make_all_sets(texts);
    }
    fp
}

/// Each document's band keys (none for a document without shingles, as the scan skips it),
/// distinct anchors (as the scan's anchor index holds them) and containment samples (as the
/// scan's sampled index holds them; `fp` must hold every set when containment is on).
pub(crate) fn doc_keys(fp: &Fingerprints, cfg: &ScanConfig) -> Vec<DocKeys> {
    let params = cfg.lsh_params();
    (0..fp.len())
        .into_par_iter()
        .map_init(
            || (Vec::new(), Vec::new()),
            |(in_order, anchors), d| {
                let bands = match fp.counts[d] {
                    0 => Vec::new(),
                    _ => band_keys(fp.signature(d), fp.perms, params).collect(),
                };
                let mut hashes: Vec<u32> = Vec::new();
                if let (Some((k, w)), Some(words)) = (fp.anchor_spec, fp.words.get(d)) {
                    anchors.clear();
                    anchors_of(words, k, w, in_order, anchors);
                    hashes.extend(anchors.iter().map(|a: &Anchor| a.hash));
                    hashes.sort_unstable();
                    hashes.dedup();
                }
                let samples = match cfg.containment {
                    Some(_) => containment::sample(&fp.shingles[d], cfg.containment_scale),
                    None => Vec::new(),
                };
                DocKeys { bands, anchors: hashes, samples }
            },
        )
        .collect()
}
