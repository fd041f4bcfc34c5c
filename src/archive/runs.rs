//! Sorted runs (archive format 3): each segment holds, per kind, its postings (or its sources'
//! anchor counts) in key order, cut into blobs of about [`postings::RUN_BYTES`] bytes; a
//! blob's `bucket` is its first key, and an index on (kind, segment, bucket) finds the blob
//! that may hold a key with one seek (the last blob starting at or before it), in the manner of
//! an LSM tree's sorted runs and their block index. A lookup then reads a few KB per key and
//! segment whatever the archive's size; format 2's fixed buckets grew with the archive (about
//! 250 KB each at a million articles once compacted, read whole for each key).
//!
//! [`Merger`] rewrites every segment as one (`index compact`), a slice of the key space at a
//! time, so that its memory is a slice's, not the archive's.

use super::postings::{self, Kind, Layout, Posting};
use super::store::{archive_error, store_error};
use crate::error::Result;
use ahash::AHashSet;
use rusqlite::Connection;
use std::path::Path;

/// The segments holding blobs of `kind`, ascending (one index seek each).
pub(super) fn segments(conn: &Connection, path: &Path, kind: Kind) -> Result<Vec<i64>> {
    let read = store_error(path, "cannot read postings");
    let mut q =
        conn.prepare_cached("SELECT MIN(segment) FROM postings WHERE kind = ?1 AND segment > ?2").map_err(&read)?;
    let mut out = Vec::new();
    let mut after = -1i64;
    while let Some(s) = q.query_row((kind as i64, after), |r| r.get::<_, Option<i64>>(0)).map_err(&read)? {
        out.push(s);
        after = s;
    }
    Ok(out)
}

/// Keys a lookup seeks one by one; past it, it counts the runs its keys span and walks them in
/// order when that reads fewer (a query of thousands of articles). The library's own tests walk
/// past 4, so that both ways are taken.
const SEEK_UP_TO: usize = if cfg!(test) { 4 } else { 64 };

/// Calls `f(first, blob, keys)` once for each run of `kind` in `segment` that may hold one of
/// `keys` (ascending, distinct; counts' keys as [`postings::count_key`] makes them), with its
/// first key and the keys from its first on; `f` reads the whole run and gives back its last key
/// (`None`: empty), which tells where the next run's keys begin (each run is decoded once). A
/// run may belong to another source than the keys' (counts: the last run before a source's
/// first), which only its first key tells.
pub(super) fn each_run(
    conn: &Connection,
    path: &Path,
    kind: Kind,
    segment: i64,
    keys: &[u64],
    mut f: impl FnMut(u64, &[u8], &[u64]) -> Result<Option<u64>>,
) -> Result<()> {
    let (Some(&lo), Some(&hi)) = (keys.first(), keys.last()) else { return Ok(()) };
    let read = store_error(path, "cannot read postings");
    let damaged = || archive_error(path, "damaged postings: run `reprint index add` into a new archive");
    let mut seek = conn
        .prepare_cached(
            "SELECT bucket, entries FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket <= ?3 ORDER BY bucket DESC LIMIT 1",
        )
        .map_err(&read)?;
    // Where the runs that may hold `keys` begin: the last run starting at or before the first.
    let floor: i64 = seek
        .query_row((kind as i64, segment, postings::run_bucket(lo)), |r| r.get(0))
        .or_else(
            |e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(postings::run_bucket(lo)) } else { Err(e) },
        )
        .map_err(&read)?;
    let range = (kind as i64, segment, floor, postings::run_bucket(hi));
    // A seek costs about two runs read in order: walk when the keys span fewer than twice as
    // many runs as there are keys (counted no further than that).
    let walk = keys.len() > SEEK_UP_TO
        && {
            let mut count = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM (SELECT 1 FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket >= ?3 AND bucket <= ?4 LIMIT ?5)",
            )
            .map_err(&read)?;
            let limit = keys.len() as i64 * 2;
            let (kind, segment, from, to) = range;
            let runs: i64 = count.query_row((kind, segment, from, to, limit), |r| r.get(0)).map_err(&read)?;
            runs < limit
        };
    let mut i = 0;
    if walk {
        let mut q = conn
            .prepare_cached(
                "SELECT bucket, entries FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket >= ?3 AND bucket <= ?4 ORDER BY bucket",
            )
            .map_err(&read)?;
        let mut rows = q.query(range).map_err(&read)?;
        while let Some(row) = rows.next().map_err(&read)? {
            let first = postings::run_key(row.get(0).map_err(&read)?);
            while i < keys.len() && keys[i] < first {
                i += 1;
            }
            if i == keys.len() {
                break;
            }
            let blob = row.get_ref(1).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?;
            let end = f(first, blob, &keys[i..])?.ok_or_else(damaged)?;
            i += keys[i..].partition_point(|&k| k <= end);
        }
        return Ok(());
    }
    let mut previous: Option<u64> = None;
    while i < keys.len() {
        let mut rows = seek.query((kind as i64, segment, postings::run_bucket(keys[i]))).map_err(&read)?;
        let Some(row) = rows.next().map_err(&read)? else {
            i += 1;
            continue;
        };
        let first = postings::run_key(row.get(0).map_err(&read)?);
        if previous == Some(first) {
            // The run read last: the key falls past its end, before the next run.
            i += 1;
            continue;
        }
        let blob = row.get_ref(1).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?;
        let end = f(first, blob, &keys[i..])?.ok_or_else(damaged)?;
        let j = i + keys[i..].partition_point(|&k| k <= end);
        previous = Some(first);
        i = j.max(i + 1);
    }
    Ok(())
}

/// Calls `f(blob)` for each run of `kind` in `segment` whose first key is in `lo..=hi`, in
/// order (a source's counts: its runs never hold another source's).
pub(super) fn each_run_between(
    conn: &Connection,
    path: &Path,
    kind: Kind,
    segment: i64,
    lo: u64,
    hi: u64,
    mut f: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let read = store_error(path, "cannot read postings");
    let mut q = conn
        .prepare_cached(
            "SELECT entries FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket >= ?3 AND bucket <= ?4 ORDER BY bucket",
        )
        .map_err(&read)?;
    let mut rows =
        q.query((kind as i64, segment, postings::run_bucket(lo), postings::run_bucket(hi))).map_err(&read)?;
    while let Some(row) = rows.next().map_err(&read)? {
        f(row.get_ref(0).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?)?;
    }
    Ok(())
}

/// Rewrites every segment of postings and counts as one new segment (`index compact`): removed
/// documents (`dead`) dropped from postings, counts summed and those down to zero dropped.
pub(super) struct Merger<'a> {
    /// The transaction it writes in.
    pub(super) tx: &'a Connection,
    /// The archive (for messages).
    pub(super) path: &'a Path,
    /// How the blobs read are laid out.
    pub(super) layout: Layout,
    /// The segment written: every one below it is read.
    pub(super) segment: i64,
    /// Removed documents.
    pub(super) dead: &'a AHashSet<u32>,
    /// The segments read (format 3: see [`segments`]).
    pub(super) segments: Vec<i64>,
    /// Each source's mark (see [`mark`]): its counts at or above it are written apart.
    pub(super) marks: ahash::AHashMap<i64, i64>,
}

/// The mark of a source of `docs` documents when the archive is compacted: a quarter of its
/// boilerplate threshold (at least 1). A query of that source reads only the counts at or
/// above it (and their changes since) while `mark - 1 + documents added since` stays below
/// the count it needs for boilerplate (its threshold less the query's own articles of that
/// source): with the default share (0.2), until the source's articles added since and queried
/// reach about 19% of its size at compaction.
pub(super) fn mark(cfg: &crate::config::ScanConfig, docs: usize) -> i64 {
    let threshold = cfg.boilerplate_min_docs.max((cfg.boilerplate_share * docs as f64).ceil() as usize);
    (threshold / 4).max(1) as i64
}

/// Runs of one kind read per slice of the key space when merging: about this many blobs (the
/// library's own tests: 4, so that runs straddle slices).
const SLICE_RUNS: usize = if cfg!(test) { 4 } else { 2048 };

impl Merger<'_> {
    /// Merges every kind; the old segments are deleted afterwards by the caller.
    pub(super) fn merge_all(&self) -> Result<()> {
        for kind in [Kind::Band, Kind::Anchor, Kind::Sample] {
            for (lo, hi) in self.slices(&[kind])? {
                let entries = self.read_slice(kind, lo, hi)?;
                self.write(kind, entries)?;
            }
        }
        // Counts: those below their source's mark and those at or above it, merged together.
        for (lo, hi) in self.slices(&[Kind::SourceCounts, Kind::HeavyCounts])? {
            let mut entries = self.read_slice(Kind::SourceCounts, lo, hi)?;
            entries.extend(self.read_slice(Kind::HeavyCounts, lo, hi)?);
            self.write(Kind::SourceCounts, entries)?;
        }
        Ok(())
    }

    /// The slices of `kind`'s keys to merge one at a time, as `bucket` column ranges: format 3
    /// cuts them at every [`SLICE_RUNS`]th run's first key; older formats give one slice per
    /// bucket of theirs (their buckets are in key order, samples' aside, which come whole).
    fn slices(&self, kinds: &[Kind]) -> Result<Vec<(i64, i64)>> {
        let read = store_error(self.path, "cannot compact");
        let mut q = self
            .tx
            .prepare("SELECT DISTINCT bucket FROM postings WHERE kind = ?1 AND segment < ?2 ORDER BY bucket")
            .map_err(&read)?;
        let mut buckets: Vec<i64> = Vec::new();
        for &kind in kinds {
            let rows = q.query_map((kind as i64, self.segment), |r| r.get(0)).map_err(&read)?;
            buckets.extend(rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(&read)?);
        }
        buckets.sort_unstable();
        buckets.dedup();
        if buckets.is_empty() {
            return Ok(Vec::new());
        }
        if self.layout != Layout::Runs {
            if kinds == [Kind::Sample] {
                return Ok(vec![(i64::MIN, i64::MAX)]);
            }
            return Ok(buckets.iter().map(|&b| (b, b)).collect());
        }
        let mut cuts: Vec<i64> = buckets.iter().copied().step_by(SLICE_RUNS).skip(1).collect();
        cuts.insert(0, i64::MIN);
        let mut out: Vec<(i64, i64)> = cuts.windows(2).map(|w| (w[0], w[1] - 1)).collect();
        out.push((*cuts.last().unwrap_or(&i64::MIN), i64::MAX));
        Ok(out)
    }

    /// The entries of `kind` whose run starts in `lo..=hi` (format 3: whose key does), from
    /// every segment below the one written: postings as (key, document), counts as (source's
    /// count key, change).
    fn read_slice(&self, kind: Kind, lo: i64, hi: i64) -> Result<Vec<(u64, i64)>> {
        let read = store_error(self.path, "cannot compact");
        let damaged = || archive_error(self.path, "damaged postings: run `reprint index add` into a new archive");
        let mut out: Vec<(u64, i64)> = Vec::new();
        // Format 3: a run starting before `lo` may hold keys from `lo` on; such keys are taken
        // from it, and keys past `hi` left to the next slice. Each segment is read on its own
        // (the index is by segment, then first key).
        let (keys, ranges) = match self.layout {
            Layout::Runs => {
                let mut seek = self
                    .tx
                    .prepare_cached(
                        "SELECT MAX(bucket) FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket <= ?3",
                    )
                    .map_err(&read)?;
                let mut ranges = Vec::new();
                for &s in &self.segments {
                    let floor: Option<i64> = seek.query_row((kind as i64, s, lo), |r| r.get(0)).map_err(&read)?;
                    ranges.push((s, floor.unwrap_or(lo), hi));
                }
                (Some((postings::run_key(lo), postings::run_key(hi))), ranges)
            }
            _ => (None, vec![(self.segment, lo, hi)]),
        };
        let in_slice = |k: u64| keys.is_none_or(|(a, b)| k >= a && k <= b);
        // Format 3 by (kind, segment, first key); older formats by (kind, bucket), every segment
        // below the one written.
        let sql = match self.layout {
            Layout::Runs => "SELECT bucket, entries FROM postings WHERE kind = ?1 AND segment = ?2 AND bucket >= ?3 AND bucket <= ?4",
            _ => "SELECT bucket, entries FROM postings WHERE kind = ?1 AND bucket >= ?3 AND bucket <= ?4 AND segment < ?2",
        };
        let mut q = self.tx.prepare_cached(sql).map_err(&read)?;
        for (segment, from, to) in ranges {
            let mut rows = q.query((kind as i64, segment, from, to)).map_err(&read)?;
            while let Some(row) = rows.next().map_err(&read)? {
                let bucket: i64 = row.get(0).map_err(&read)?;
                let blob = row.get_ref(1).map_err(&read)?.as_blob().map_err(|e| read(e.into()))?;
                if matches!(kind, Kind::SourceCounts | Kind::HeavyCounts) {
                    let source = match self.layout {
                        Layout::Runs => (postings::run_key(bucket) >> 32) as i64,
                        _ => bucket >> 8,
                    };
                    self.layout
                        .each_count(blob, |h, n| {
                            let key = postings::count_key(source, h);
                            if in_slice(key) {
                                out.push((key, n as i64));
                            }
                        })
                        .ok_or_else(damaged)?;
                } else {
                    self.layout
                        .each_posting(blob, |k, d| {
                            if in_slice(k) && !self.dead.contains(&d) {
                                out.push((k, d as i64));
                            }
                        })
                        .ok_or_else(damaged)?;
                }
            }
        }
        Ok(out)
    }

    /// Writes a slice's entries (any order) as runs of the new segment.
    fn write(&self, kind: Kind, mut entries: Vec<(u64, i64)>) -> Result<()> {
        let w = store_error(self.path, "cannot compact");
        let mut put = self
            .tx
            .prepare_cached("INSERT INTO postings (kind, bucket, segment, entries) VALUES (?1, ?2, ?3, ?4)")
            .map_err(&w)?;
        entries.sort_unstable();
        if kind == Kind::SourceCounts {
            for run in entries.chunk_by(|x, y| x.0 >> 32 == y.0 >> 32) {
                let source = (run[0].0 >> 32) as i64;
                let changes = run.iter().map(|&(k, n)| (k as u32, n as i32)).collect();
                let summed = postings::summed_counts(changes);
                // A source no longer holding documents has no mark: all its counts are light.
                let mark = self.marks.get(&source).copied().unwrap_or(i64::MAX);
                let (heavy, light): (Vec<_>, Vec<_>) = summed.into_iter().partition(|&(_, n)| n as i64 >= mark);
                for (kind, list) in [(Kind::SourceCounts, light), (Kind::HeavyCounts, heavy)] {
                    for (first, blob) in postings::count_runs(list) {
                        let bucket = postings::run_bucket(postings::count_key(source, first));
                        put.execute((kind as i64, bucket, self.segment, blob)).map_err(&w)?;
                    }
                }
            }
            return Ok(());
        }
        entries.dedup();
        let list: Vec<Posting> = entries.into_iter().map(|(k, d)| (k, d as u32)).collect();
        for (first, blob) in postings::cut_runs(&list) {
            put.execute((kind as i64, postings::run_bucket(first), self.segment, blob)).map_err(&w)?;
        }
        Ok(())
    }
}
