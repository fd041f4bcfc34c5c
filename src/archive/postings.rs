//! Postings in segments: each committed batch writes its band and anchor postings once, sorted
//! and cut into buckets by the key's top bits, as one blob per (kind, bucket, segment). Adding is
//! then a few thousand large writes per batch rather than one B-tree insert per posting, and a
//! lookup reads, for each bucket it needs, that bucket's blob in every segment (in the manner of
//! a search engine's segments). `index compact` merges every segment into one.

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
}

impl Kind {
    /// The kind stored as `number`, for kinds that hold postings (not counts).
    pub fn of_postings(number: i64) -> Option<Kind> {
        [Kind::Band, Kind::Anchor, Kind::Sample].into_iter().find(|k| *k as i64 == number)
    }
}

/// The bucket of a source's counts for anchor `hash`: the source's number, then the hash's top
/// byte, so that a query reads only the part of a source's counts its hashes fall in.
pub fn count_bucket(source: i64, hash: u32) -> i64 {
    (source << 8) | (hash >> 24) as i64
}

/// One source's count changes cut by [`count_bucket`], a blob each (see [`counts_blob`]).
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

/// Bytes of one posting in a blob.
const ENTRY: usize = 12;

/// The bucket of `key` for postings of `kind` (anchors are 32-bit hashes, bands 64-bit keys).
pub fn bucket(kind: Kind, key: u64) -> u32 {
    match kind {
        Kind::Band => (key >> (64 - BUCKET_BITS)) as u32,
        Kind::Anchor | Kind::SourceCounts => (key >> (32 - BUCKET_BITS)) as u32,
        // Samples are the hashes below a cut (their top bits are zero): spread them by a mix.
        Kind::Sample => (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKET_BITS)) as u32,
    }
}

/// One source's count changes as a blob: (anchor hash, change) summed per hash, sorted, zero
/// changes left out.
pub fn counts_blob(changes: impl IntoIterator<Item = (u32, i32)>) -> Vec<u8> {
    let mut all: Vec<(u32, i32)> = changes.into_iter().collect();
    all.sort_unstable_by_key(|c| c.0);
    let mut blob = Vec::with_capacity(all.len() * ENTRY);
    for run in all.chunk_by(|x, y| x.0 == y.0) {
        let n: i32 = run.iter().map(|c| c.1).sum();
        if n != 0 {
            blob.extend_from_slice(&(run[0].0 as u64).to_le_bytes());
            blob.extend_from_slice(&n.to_le_bytes());
        }
    }
    blob
}

/// The (anchor hash, change) entries of a counts blob.
pub fn count_entries(blob: &[u8]) -> impl Iterator<Item = (u32, i32)> + '_ {
    entries(blob).map(|(k, n)| (k as u32, n as i32))
}

/// Cuts `postings` (any order) into per-bucket blobs, each sorted by (key, document).
pub fn into_blobs(kind: Kind, mut postings: Vec<Posting>) -> Vec<(u32, Vec<u8>)> {
    postings.sort_unstable_by_key(|&(key, doc)| (bucket(kind, key), key, doc));
    postings.dedup();
    let mut out = Vec::new();
    for run in postings.chunk_by(|x, y| bucket(kind, x.0) == bucket(kind, y.0)) {
        let mut blob = Vec::with_capacity(run.len() * ENTRY);
        for &(key, doc) in run {
            blob.extend_from_slice(&key.to_le_bytes());
            blob.extend_from_slice(&doc.to_le_bytes());
        }
        out.push((bucket(kind, run[0].0), blob));
    }
    out
}

/// Adds `first` to the document of every posting of `blob` (made with documents numbered from 0
/// in their batch): the order stays, as every document moves by the same amount.
pub fn number_from(blob: &mut [u8], first: u32) {
    for e in blob.chunks_exact_mut(ENTRY) {
        let doc = u32::from_le_bytes(e[8..].try_into().unwrap_or_default());
        e[8..].copy_from_slice(&(doc + first).to_le_bytes());
    }
}

/// The postings of one blob, in order.
pub fn entries(blob: &[u8]) -> impl Iterator<Item = Posting> + '_ {
    blob.chunks_exact(ENTRY).map(|e| {
        let key = u64::from_le_bytes(e[..8].try_into().unwrap_or_default());
        let doc = u32::from_le_bytes(e[8..].try_into().unwrap_or_default());
        (key, doc)
    })
}

/// Whether `blob` has a whole number of postings in order: a check that it was not damaged.
pub fn well_formed(blob: &[u8]) -> bool {
    blob.len() % ENTRY == 0 && entries(blob).zip(entries(blob).skip(1)).all(|(a, b)| a < b)
}

/// The documents of `blob` holding `key`, by binary search; documents in `dead` are left out.
pub fn holders(blob: &[u8], key: u64, dead: &AHashSet<u32>, out: &mut Vec<u32>) {
    let n = blob.len() / ENTRY;
    let key_at = |i: usize| u64::from_le_bytes(blob[i * ENTRY..i * ENTRY + 8].try_into().unwrap_or_default());
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if key_at(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let mut i = lo;
    while i < n && key_at(i) == key {
        let doc = u32::from_le_bytes(blob[i * ENTRY + 8..i * ENTRY + 12].try_into().unwrap_or_default());
        if !dead.contains(&doc) {
            out.push(doc);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_hold_every_posting_once_and_find_them_by_key() {
        let postings: Vec<Posting> = vec![(7, 1), (u64::MAX, 2), (7, 0), (7, 1), (1 << 63, 5), (3, 9)];
        let blobs = into_blobs(Kind::Band, postings);
        assert_eq!(blobs.len(), 3, "keys 3 and 7 share bucket 0");
        assert!(blobs.iter().all(|(_, b)| well_formed(b)));
        let (_, first) = &blobs[0];
        assert_eq!(entries(first).collect::<Vec<_>>(), vec![(3, 9), (7, 0), (7, 1)]);
        let mut out = Vec::new();
        holders(first, 7, &AHashSet::new(), &mut out);
        assert_eq!(out, vec![0, 1]);
        out.clear();
        holders(first, 7, &[0].into_iter().collect(), &mut out);
        assert_eq!(out, vec![1], "removed documents are left out");
        out.clear();
        holders(first, 8, &AHashSet::new(), &mut out);
        assert!(out.is_empty());
        assert!(!well_formed(&first[..13]));
    }

    #[test]
    fn count_blobs_sum_changes_per_anchor() {
        let blob = counts_blob([(5, 1), (3, 2), (5, 1), (9, 1), (9, -1)]);
        assert_eq!(count_entries(&blob).collect::<Vec<_>>(), vec![(3, 2), (5, 2)]);
        let back = counts_blob([(5, -2), (3, 1)]);
        assert_eq!(count_entries(&back).collect::<Vec<_>>(), vec![(3, 1), (5, -2)]);
    }

    #[test]
    fn anchors_bucket_by_their_32_bit_hash() {
        assert_eq!(bucket(Kind::Anchor, 0xFFF0_0000), 0xFFF);
        assert_eq!(bucket(Kind::Band, 0xFFF0_0000), 0);
    }
}
