//! Postings in segments: each committed batch writes its band, anchor and sample postings once,
//! sorted and cut into buckets by the key, as one blob per (kind, bucket, segment). Adding is
//! then a few thousand large writes per batch rather than one B-tree insert per posting, and a
//! lookup reads, for each bucket it needs, that bucket's blob in every segment (in the manner of
//! a search engine's segments). `index compact` merges every segment into one.
//!
//! A blob (archive format 2) is packed: a header of the smallest document number (`u32`, little
//! endian) and the number of entries (`u32`), then per posting the key's difference from the
//! previous key and the document's difference from the smallest, both as LEB128 varints: about
//! 4 bytes a posting where format 1 spent 12 (a `u64` key and a `u32` document). Count blobs are
//! the number of entries, then per anchor the hash's difference from the previous one and the
//! count change (zigzag), both varints. Format 1 blobs are still read (see [`Layout`]).

use ahash::AHashSet;

/// Bits of a key that choose its bucket.
pub const BUCKET_BITS: u32 = 12;

/// What a posting indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An LSH band key (a band number hashed with its signature values): the documents in one
    /// bucket of one band.
    Band = 0,
    /// A passage anchor (winnowed shingle hash): the documents holding it.
    Anchor = 1,
    /// How many documents of one source hold an anchor (for boilerplate): one blob per
    /// (source, hash's top byte, segment) (see [`count_bucket`]); a count change in each entry.
    SourceCounts = 2,
    /// A containment sample (a shingle hash kept by FracMinHash sampling, see
    /// [`crate::neardup::containment`]): the documents holding it.
    Sample = 3,
    /// A source's counts that had reached its mark when the archive was compacted (format 3),
    /// kept apart from the others: while the source's boilerplate threshold stays above the
    /// mark plus the documents added since, a query needs only these (see the `runs` module).
    HeavyCounts = 4,
}

impl Kind {
    /// The kind stored as `number`, for kinds that hold postings (not counts).
    pub fn of_postings(number: i64) -> Option<Kind> {
        [Kind::Band, Kind::Anchor, Kind::Sample].into_iter().find(|k| *k as i64 == number)
    }
}

/// How an archive's blobs are laid out, by its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Format 1: fixed 12-byte entries (`u64` key or hash, `u32` document or `i32` count).
    Fixed,
    /// Format 2: packed varints (see the module's documentation), blobs by bucket.
    Packed,
    /// Format 3: packed as format 2, blobs are runs in key order (see [`into_runs`]), each
    /// found by its first key.
    Runs,
}

impl Layout {
    /// The layout of archive format `format`.
    pub fn of_format(format: i64) -> Layout {
        match format {
            ..2 => Layout::Fixed,
            2 => Layout::Packed,
            _ => Layout::Runs,
        }
    }

    /// The postings of `blob` in order, or `None` when it is damaged (cut short, out of order).
    pub fn postings(self, blob: &[u8]) -> Option<Vec<Posting>> {
        let mut out = Vec::new();
        self.each_posting(blob, |k, d| out.push((k, d)))?;
        out.windows(2).all(|w| w[0] < w[1]).then_some(out)
    }

    /// Calls `f(key, document)` for the postings of `blob` in order, without collecting them;
    /// `None` when it is damaged (cut short, keys out of order).
    pub fn each_posting(self, blob: &[u8], mut f: impl FnMut(u64, u32)) -> Option<()> {
        match self {
            Layout::Fixed => {
                let mut previous = 0;
                for (key, doc) in fixed(blob)? {
                    if key < previous {
                        return None;
                    }
                    previous = key;
                    f(key, doc);
                }
                Some(())
            }
            Layout::Packed | Layout::Runs => unpack(blob, f),
        }
    }

    /// Calls `found(key, document)` for the postings of `blob` whose key is one of `keys`
    /// (ascending), documents in `dead` left out, walking both in order; gives back the blob's
    /// last key (`None` inside when it is empty), or `None` when the blob is damaged.
    pub fn holders(
        self,
        blob: &[u8],
        keys: &[u64],
        dead: &AHashSet<u32>,
        mut found: impl FnMut(u64, u32),
    ) -> Option<Option<u64>> {
        let (mut i, mut last) = (0, None);
        self.each_posting(blob, |key, doc| {
            while i < keys.len() && keys[i] < key {
                i += 1;
            }
            if i < keys.len() && keys[i] == key && !dead.contains(&doc) {
                found(key, doc);
            }
            last = Some(key);
        })?;
        Some(last)
    }

    /// The (anchor hash, change) entries of a counts blob, or `None` when it is damaged.
    pub fn counts(self, blob: &[u8]) -> Option<Vec<(u32, i32)>> {
        let mut out = Vec::new();
        self.each_count(blob, |h, n| out.push((h, n)))?;
        Some(out)
    }

    /// Calls `f(anchor hash, change)` for the entries of a counts blob in order; `None` when it
    /// is damaged.
    pub fn each_count(self, blob: &[u8], mut f: impl FnMut(u32, i32)) -> Option<()> {
        match self {
            Layout::Fixed => {
                fixed(blob)?.for_each(|(k, n)| f(k as u32, n as i32));
                Some(())
            }
            Layout::Packed | Layout::Runs => unpack_counts(blob, f),
        }
    }

    /// Entries of a counts blob, from its header alone (`None` when it has none).
    pub fn count_of(self, blob: &[u8]) -> Option<u32> {
        match self {
            Layout::Fixed => Some((blob.len() / FIXED_ENTRY) as u32),
            Layout::Packed | Layout::Runs => Some(u32::from_le_bytes(blob.get(..4)?.try_into().ok()?)),
        }
    }
}

/// The bucket of a source's counts for anchor `hash`: the source's number, then the hash's top
/// byte, so that a query reads only the part of a source's counts its hashes fall in.
pub fn count_bucket(source: i64, hash: u32) -> i64 {
    (source << 8) | (hash >> 24) as i64
}

/// One source's count changes cut by [`count_bucket`], a packed blob each (see [`counts_blob`]).
pub fn count_blobs(source: i64, mut changes: Vec<(u32, i32)>) -> Vec<(i64, Vec<u8>)> {
    changes.sort_unstable_by_key(|c| c.0);
    changes
        .chunk_by(|x, y| x.0 >> 24 == y.0 >> 24)
        .map(|run| (count_bucket(source, run[0].0), counts_blob(run.iter().copied())))
        .filter(|(_, blob)| !blob.is_empty())
        .collect()
}

/// One posting: a key and the document (archive number) that has it.
pub type Posting = (u64, u32);

/// Bytes of one entry in a format 1 blob.
const FIXED_ENTRY: usize = 12;

/// Bytes of a packed postings blob's header (smallest document, entries).
const HEADER: usize = 8;

/// The bucket of `key` for postings of `kind` (anchors are 32-bit hashes, bands 64-bit keys).
pub fn bucket(kind: Kind, key: u64) -> u32 {
    match kind {
        Kind::Band => (key >> (64 - BUCKET_BITS)) as u32,
        Kind::Anchor | Kind::SourceCounts | Kind::HeavyCounts => (key >> (32 - BUCKET_BITS)) as u32,
        // Samples are the hashes below a cut (their top bits are zero): spread them by a mix.
        Kind::Sample => (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKET_BITS)) as u32,
    }
}

/// One source's count changes as a packed blob: (anchor hash, change) summed per hash, sorted,
/// zero changes left out; empty when nothing is left.
pub fn counts_blob(changes: impl IntoIterator<Item = (u32, i32)>) -> Vec<u8> {
    pack_counts(&summed_counts(changes.into_iter().collect()))
}

/// Count changes summed per hash, sorted by hash, zero sums left out.
pub fn summed_counts(mut all: Vec<(u32, i32)>) -> Vec<(u32, i32)> {
    all.sort_unstable_by_key(|c| c.0);
    let mut summed: Vec<(u32, i32)> = Vec::with_capacity(all.len());
    for run in all.chunk_by(|x, y| x.0 == y.0) {
        let n: i32 = run.iter().map(|c| c.1).sum();
        if n != 0 {
            summed.push((run[0].0, n));
        }
    }
    summed
}

/// Bytes of a run (archive format 3), about: a run of postings closes at the first new key once
/// its entries reach this size (a key's holders stay in one run); a run of counts once its
/// entries do. Such a blob fills one 4 KB page of SQLite's table (runs of 512 entries, about
/// 2 KB, took a page each and left the rest empty: 450 against 349 MB for 50,000 articles
/// compacted), and a batch of 5,000 articles writes about as many blobs as format 2 did, while
/// a lookup in a compacted archive reads a few KB whatever its size. The library's own tests
/// cut runs of 24 bytes, so that their small archives have many runs.
pub const RUN_BYTES: usize = if cfg!(test) { 24 } else { 3800 };

/// Bytes of `value` as an LEB128 varint.
fn varint_len(value: u64) -> usize {
    (64 - value.max(1).leading_zeros() as usize).div_ceil(7)
}

/// The `bucket` column of a run whose first key is `key`: SQLite's integers are signed, so the
/// top bit is flipped to keep `u64` order.
pub fn run_bucket(key: u64) -> i64 {
    (key ^ (1 << 63)) as i64
}

/// The first key of the run whose `bucket` column is `bucket` (see [`run_bucket`]).
pub fn run_key(bucket: i64) -> u64 {
    (bucket as u64) ^ (1 << 63)
}

/// The key of source `source`'s count of anchor `hash` in archive format 3: runs of counts are
/// ordered by source, then hash.
pub fn count_key(source: i64, hash: u32) -> u64 {
    ((source as u64) << 32) | hash as u64
}

/// Cuts `postings` (any order) into runs (archive format 3): sorted by (key, document), each of
/// whole keys and about [`RUN_BYTES`] bytes, as (first key, packed blob).
pub fn into_runs(mut postings: Vec<Posting>) -> Vec<(u64, Vec<u8>)> {
    postings.sort_unstable();
    postings.dedup();
    cut_runs(&postings)
}

/// Sorted, distinct `postings` cut into runs of whole keys (see [`into_runs`]).
pub fn cut_runs(postings: &[Posting]) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    let mut start = 0;
    // The run's size so far, at most what it packs to (a document's difference from the run's
    // smallest is at most the document).
    let mut bytes = HEADER;
    let mut previous = 0u64;
    for i in 0..=postings.len() {
        let close = i == postings.len() || (bytes >= RUN_BYTES && postings[i].0 != postings[i - 1].0);
        if close && i > start {
            out.push((postings[start].0, pack(&postings[start..i])));
            start = i;
            bytes = HEADER;
            previous = 0;
        }
        if let Some(&(key, doc)) = postings.get(i) {
            bytes += varint_len(key - previous) + varint_len(doc as u64);
            previous = key;
        }
    }
    out
}

/// One source's count changes as runs (archive format 3): summed per hash, zero sums left out,
/// about [`RUN_BYTES`] bytes a run, as (first hash, packed counts blob).
pub fn count_runs(changes: Vec<(u32, i32)>) -> Vec<(u32, Vec<u8>)> {
    let summed = summed_counts(changes);
    let mut out = Vec::new();
    let (mut start, mut bytes, mut previous) = (0, 4, 0u32);
    for (i, &(hash, n)) in summed.iter().enumerate() {
        bytes += varint_len((hash - previous) as u64) + varint_len(((n << 1) ^ (n >> 31)) as u32 as u64);
        previous = hash;
        if bytes >= RUN_BYTES || i + 1 == summed.len() {
            out.push((summed[start].0, pack_counts(&summed[start..=i])));
            (start, bytes, previous) = (i + 1, 4, 0);
        }
    }
    out
}

/// Summed, sorted count entries as a packed counts blob (empty when there are none).
fn pack_counts(summed: &[(u32, i32)]) -> Vec<u8> {
    if summed.is_empty() {
        return Vec::new();
    }
    let mut blob = Vec::with_capacity(4 + summed.len() * 4);
    blob.extend_from_slice(&(summed.len() as u32).to_le_bytes());
    let mut previous = 0u32;
    for &(hash, n) in summed {
        put_varint(&mut blob, (hash - previous) as u64);
        put_varint(&mut blob, ((n << 1) ^ (n >> 31)) as u32 as u64);
        previous = hash;
    }
    blob
}

/// Cuts `postings` (any order) into per-bucket packed blobs, each sorted by (key, document).
pub fn into_blobs(kind: Kind, mut postings: Vec<Posting>) -> Vec<(u32, Vec<u8>)> {
    postings.sort_unstable_by_key(|&(key, doc)| (bucket(kind, key), key, doc));
    postings.dedup();
    postings
        .chunk_by(|x, y| bucket(kind, x.0) == bucket(kind, y.0))
        .map(|run| (bucket(kind, run[0].0), pack(run)))
        .collect()
}

/// `postings` (sorted, distinct) as a packed blob.
fn pack(postings: &[Posting]) -> Vec<u8> {
    let base = postings.iter().map(|p| p.1).min().unwrap_or(0);
    let mut blob = Vec::with_capacity(HEADER + postings.len() * 5);
    blob.extend_from_slice(&base.to_le_bytes());
    blob.extend_from_slice(&(postings.len() as u32).to_le_bytes());
    let mut previous = 0u64;
    for &(key, doc) in postings {
        put_varint(&mut blob, key - previous);
        put_varint(&mut blob, (doc - base) as u64);
        previous = key;
    }
    blob
}

/// Adds `first` to every document of a packed `blob` (made with documents numbered from 0 in
/// their batch): only the header's smallest document changes.
pub fn number_from(blob: &mut [u8], first: u32) {
    if let Some(head) = blob.get_mut(..4) {
        let base = u32::from_le_bytes(head.try_into().unwrap_or_default());
        head.copy_from_slice(&(base + first).to_le_bytes());
    }
}

/// Calls `f` for each posting of a packed blob; `None` when it is cut short or its count is
/// wrong.
fn unpack(blob: &[u8], mut f: impl FnMut(u64, u32)) -> Option<()> {
    let base = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?);
    let n = u32::from_le_bytes(blob.get(4..HEADER)?.try_into().ok()?) as usize;
    let mut at = HEADER;
    let mut key = 0u64;
    let mut seen = 0;
    while at < blob.len() {
        key = key.checked_add(varint(blob, &mut at)?)?;
        let doc = base.checked_add(u32::try_from(varint(blob, &mut at)?).ok()?)?;
        f(key, doc);
        seen += 1;
    }
    (seen == n).then_some(())
}

/// Calls `f` for each entry of a packed counts blob; `None` when it is damaged.
fn unpack_counts(blob: &[u8], mut f: impl FnMut(u32, i32)) -> Option<()> {
    let n = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let mut at = 4;
    let mut hash = 0u32;
    let mut seen = 0;
    while at < blob.len() {
        hash = hash.checked_add(u32::try_from(varint(blob, &mut at)?).ok()?)?;
        let z = u32::try_from(varint(blob, &mut at)?).ok()?;
        f(hash, ((z >> 1) as i32) ^ -((z & 1) as i32));
        seen += 1;
    }
    (seen == n).then_some(())
}

/// The (key, document or count) entries of a format 1 blob, or `None` when its length is not a
/// whole number of entries.
fn fixed(blob: &[u8]) -> Option<impl Iterator<Item = (u64, u32)> + '_> {
    (blob.len() % FIXED_ENTRY == 0).then(|| {
        blob.chunks_exact(FIXED_ENTRY).map(|e| {
            let key = u64::from_le_bytes(e[..8].try_into().unwrap_or_default());
            (key, u32::from_le_bytes(e[8..].try_into().unwrap_or_default()))
        })
    })
}

/// Appends `value` as an LEB128 varint (7 bits a byte, low bits first).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads an LEB128 varint at `*at`, moving past it; `None` when cut short or too long.
pub(crate) fn varint(blob: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *blob.get(*at)?;
        *at += 1;
        value |= ((byte & 0x7f) as u64) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_hold_whole_keys_in_order_and_counts_summed() {
        // Keys held by 1 to 20 documents: some longer than a run.
        let mut list: Vec<Posting> = Vec::new();
        for key in 0..60u64 {
            for doc in 0..(key * 7 % 20 + 1) as u32 {
                list.push((key * 1_000_003 + (1 << 63), 1000 + doc * 3));
            }
        }
        let mut shuffled = list.clone();
        shuffled.reverse();
        shuffled.extend_from_slice(&list[..50]);
        let runs = into_runs(shuffled);
        assert!(runs.len() > 10);
        let mut back = Vec::new();
        for (first, blob) in &runs {
            let run = Layout::Runs.postings(blob).unwrap();
            assert_eq!(run[0].0, *first);
            // A run closes at a new key once full: without its last key, it is not full.
            let last_key = run.iter().filter(|p| p.0 == run.last().unwrap().0).count();
            assert!(pack(&run[..run.len() - last_key]).len() < RUN_BYTES, "{}", blob.len());
            back.extend(run);
        }
        list.sort_unstable();
        assert_eq!(back, list, "every posting once, in order");
        assert!(runs.windows(2).all(|w| run_bucket(w[0].0) < run_bucket(w[1].0)), "buckets keep key order");
        // Counts: summed per hash, zero sums dropped, runs of about RUN_BYTES.
        let mut changes: Vec<(u32, i32)> = (0..100u32).flat_map(|h| [(h * 3, 1), (h * 3, 1)]).collect();
        changes.push((150, -2));
        let runs = count_runs(changes);
        let all: Vec<(u32, i32)> = runs.iter().flat_map(|(_, b)| Layout::Runs.counts(b).unwrap()).collect();
        let want: Vec<(u32, i32)> = (0..100u32).filter(|&h| h != 50).map(|h| (h * 3, 2)).collect();
        assert_eq!(all, want, "summed, the one down to zero dropped");
        assert!(runs.iter().all(|(first, b)| Layout::Runs.counts(b).unwrap()[0].0 == *first));
        assert!(runs.len() > 5);
        for (i, (_, blob)) in runs.iter().enumerate() {
            assert!(blob.len() < RUN_BYTES + 10, "{}", blob.len());
            assert!(i + 1 == runs.len() || blob.len() >= RUN_BYTES, "only the last run is short");
        }
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u64::MAX), 10);
    }

    #[test]
    fn blobs_hold_every_posting_once_and_find_them_by_key() {
        let postings: Vec<Posting> = vec![(7, 1), (u64::MAX, 2), (7, 0), (7, 1), (1 << 63, 5), (3, 9)];
        let blobs = into_blobs(Kind::Band, postings);
        assert_eq!(blobs.len(), 3, "keys 3 and 7 share bucket 0");
        let (_, first) = &blobs[0];
        assert_eq!(Layout::Packed.postings(first).unwrap(), vec![(3, 9), (7, 0), (7, 1)]);
        let (_, last) = &blobs[2];
        assert_eq!(Layout::Packed.postings(last).unwrap(), vec![(u64::MAX, 2)]);
        let mut out = Vec::new();
        Layout::Packed.holders(first, &[3, 7, 8], &AHashSet::new(), |k, d| out.push((k, d))).unwrap();
        assert_eq!(out, vec![(3, 9), (7, 0), (7, 1)]);
        out.clear();
        Layout::Packed.holders(first, &[2, 7], &[0].into_iter().collect(), |k, d| out.push((k, d))).unwrap();
        assert_eq!(out, vec![(7, 1)], "removed documents are left out");
    }

    #[test]
    fn documents_are_numbered_from_the_batchs_first() {
        let mut blobs = into_blobs(Kind::Anchor, vec![(5, 0), (5, 3), (9, 1)]);
        number_from(&mut blobs[0].1, 1000);
        assert_eq!(Layout::Packed.postings(&blobs[0].1).unwrap(), vec![(5, 1000), (5, 1003), (9, 1001)]);
    }

    #[test]
    fn damaged_blobs_are_told_apart() {
        let (_, blob) = into_blobs(Kind::Anchor, vec![(5, 0), (6, 3), (900, 1)]).remove(0);
        assert!(Layout::Packed.postings(&blob).is_some());
        for cut in 0..blob.len() {
            assert!(Layout::Packed.postings(&blob[..cut]).is_none(), "cut at {cut}");
        }
        let mut wrong_count = blob.clone();
        wrong_count[4] = 2;
        assert!(Layout::Packed.postings(&wrong_count).is_none());
        assert!(Layout::Packed.postings(&[0xff; 30]).is_none(), "a varint too long");
        // Format 1: 12-byte entries, in order.
        let mut v1 = Vec::new();
        for (k, d) in [(3u64, 1u32), (3, 2), (8, 0)] {
            v1.extend_from_slice(&k.to_le_bytes());
            v1.extend_from_slice(&d.to_le_bytes());
        }
        assert_eq!(Layout::Fixed.postings(&v1).unwrap(), vec![(3, 1), (3, 2), (8, 0)]);
        assert!(Layout::Fixed.postings(&v1[..13]).is_none());
        let mut swapped = v1[12..24].to_vec();
        swapped.extend_from_slice(&v1[..12]);
        assert!(Layout::Fixed.postings(&swapped).is_none(), "out of order");
    }

    #[test]
    fn count_blobs_sum_changes_per_anchor() {
        let blob = counts_blob([(5, 1), (3, 2), (5, 1), (9, 1), (9, -1), (u32::MAX, -7)]);
        assert_eq!(Layout::Packed.counts(&blob).unwrap(), vec![(3, 2), (5, 2), (u32::MAX, -7)]);
        assert_eq!(Layout::Packed.count_of(&blob), Some(3));
        let back = counts_blob([(5, -2), (3, 1)]);
        assert_eq!(Layout::Packed.counts(&back).unwrap(), vec![(3, 1), (5, -2)]);
        assert!(counts_blob([(1, 1), (1, -1)]).is_empty());
        assert!(Layout::Packed.counts(&blob[..blob.len() - 1]).is_none());
    }

    #[test]
    fn anchors_bucket_by_their_32_bit_hash() {
        assert_eq!(bucket(Kind::Anchor, 0xFFF0_0000), 0xFFF);
        assert_eq!(bucket(Kind::Band, 0xFFF0_0000), 0);
    }
}
