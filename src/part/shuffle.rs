//! The job's shuffle in bytes. Grouping keys is where a cluster job spends its time when every
//! band key and anchor is a record of its own (a Python tuple per posting, pickled into Spark's
//! shuffle): hundreds of records per document. Here each task cuts its documents' postings into
//! one packed blob per reducer ([`postings_blobs`]), Spark moves the blobs, and each reducer
//! groups its share in one call ([`group`]): the anchors held by more than `max_df` documents, each
//! source's boilerplate, the oversized buckets, and which documents each block needs.
//!
//! Tasks talk to the driver in [frames](write_frame): a tag, a key and a payload, so that binary
//! blobs travel through the pipes as they are.

use super::{PartDoc, PartKeys};
use crate::archive::postings::{put_varint, varint};
use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// What a frame holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Tag {
    /// Postings for the reducer named by the key ([`postings_blobs`]).
    Postings = 0,
    /// A JSON [`KeysCounts`] of a batch of documents.
    Counts = 1,
    /// A reducer's JSON [`GroupFacts`].
    Facts = 2,
    /// `(member, want)` pairs as little-endian u64s, for the route named by the key: the blocks
    /// that need each document, and what for ([`Want`]).
    Wanted = 3,
}

/// Writes one frame: tag (1 byte), key (u64), payload length (u32), all little-endian, then the
/// payload.
pub fn write_frame(out: &mut impl Write, tag: Tag, key: u64, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| io::Error::other("a frame over 4 GiB"))?;
    out.write_all(&[tag as u8])?;
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(payload)
}

/// Reads one blob as the driver hands it to [`group`]: a u32 little-endian length, then the blob;
/// `None` at the end of the input, an error when it ends inside a blob.
pub fn read_blob(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len[..1]) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    input.read_exact(&mut len[1..])?;
    let mut blob = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut blob)?;
    Ok(Some(blob))
}

/// A source as postings name it: the xxh3 of its name (the driver checks that no two names
/// share one).
pub fn source_hash(name: &str) -> u64 {
    xxh3_64(name.as_bytes())
}

/// Counts of a batch of documents, for the summary and the boilerplate rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeysCounts {
    /// Documents without a shingle.
    pub wordless: usize,
    /// Bytes of text.
    pub bytes: u64,
    /// `(name, hash, documents)` of each source in the batch.
    pub sources: Vec<(String, u64, usize)>,
    /// Bytes of the batch's postings blobs (what the job shuffles).
    pub postings_bytes: u64,
}

/// The reducer a band bucket or an anchor goes to.
fn reducer_of(key: u64, reducers: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize % reducers
}

fn band_reducer(band: usize, key: u64, reducers: usize) -> usize {
    reducer_of(key ^ (band as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F), reducers)
}

/// The postings of `docs` (with their `keys`, in the same order) cut into one blob per reducer
/// that gets any, as `(reducer, blob)`, and the batch's counts.
///
/// A blob: the smallest document number `n0`; the source hashes it names; a line per document
/// (`n - n0`, source index + 1 or 0); band postings (band, key as 8 bytes, `n - n0`) sorted; anchor
/// postings (anchor as a difference from the one before, `n - n0`) sorted; containment sample
/// postings (sample as a difference from the one before, `n - n0`) sorted. Numbers are LEB128
/// varints.
pub fn postings_blobs(docs: &[PartDoc], keys: &[PartKeys], reducers: usize) -> (Vec<(usize, Vec<u8>)>, KeysCounts) {
    let reducers = reducers.max(1);
    let n0 = docs.iter().map(|d| d.n).min().unwrap_or(0);
    let mut counts = KeysCounts::default();
    let mut index: AHashMap<&str, usize> = AHashMap::new();
    let mut hashes = Vec::new();
    let mut doc_source = Vec::with_capacity(docs.len());
    for (d, k) in docs.iter().zip(keys) {
        counts.bytes += d.text.len() as u64;
        counts.wordless += k.bands.is_empty() as usize;
        doc_source.push(d.source.as_deref().map(|name| {
            *index.entry(name).or_insert_with(|| {
                hashes.push(source_hash(name));
                counts.sources.push((name.to_string(), source_hash(name), 0));
                hashes.len() - 1
            })
        }));
        if let Some(&i) = d.source.as_deref().and_then(|name| index.get(name)) {
            counts.sources[i].2 += 1;
        }
    }
    let mut bands: Vec<Vec<(usize, u64, u64)>> = vec![Vec::new(); reducers];
    let mut anchors: Vec<Vec<(u32, u64)>> = vec![Vec::new(); reducers];
    let mut samples: Vec<Vec<(u64, u64)>> = vec![Vec::new(); reducers];
    for k in keys {
        for &h in &k.samples {
            samples[reducer_of(h, reducers)].push((h, k.n - n0));
        }
        for (band, &key) in k.bands.iter().enumerate() {
            bands[band_reducer(band, key, reducers)].push((band, key, k.n - n0));
        }
        for &h in &k.anchors {
            anchors[reducer_of(h as u64, reducers)].push((h, k.n - n0));
        }
    }
    let blobs = bands
        .into_par_iter()
        .zip(anchors)
        .zip(samples)
        .enumerate()
        .filter(|(_, ((b, a), s))| !b.is_empty() || !a.is_empty() || !s.is_empty())
        .map(|(r, ((mut b, mut a), mut s))| {
            b.sort_unstable();
            sort_postings(&mut a);
            s.sort_unstable();
            let mut out = Vec::new();
            put_varint(&mut out, n0);
            put_varint(&mut out, hashes.len() as u64);
            for h in &hashes {
                out.extend_from_slice(&h.to_le_bytes());
            }
            put_varint(&mut out, docs.len() as u64);
            for (d, s) in docs.iter().zip(&doc_source) {
                put_varint(&mut out, d.n - n0);
                put_varint(&mut out, s.map_or(0, |s| s as u64 + 1));
            }
            put_varint(&mut out, b.len() as u64);
            for (band, key, n) in b {
                put_varint(&mut out, band as u64);
                out.extend_from_slice(&key.to_le_bytes());
                put_varint(&mut out, n);
            }
            put_keyed_postings(&mut out, a.len(), a.into_iter().map(|(h, n)| (h as u64, n)));
            put_keyed_postings(&mut out, s.len(), s.into_iter());
            (r, out)
        })
        .collect::<Vec<_>>();
    counts.postings_bytes = blobs.iter().map(|(_, b)| b.len() as u64).sum();
    (blobs, counts)
}

/// Writes `count` postings `(key, n - n0)` sorted by key: the count, then each key as a
/// difference from the one before and its document.
fn put_keyed_postings(out: &mut Vec<u8>, count: usize, postings: impl Iterator<Item = (u64, u64)>) {
    put_varint(out, count as u64);
    let mut last = 0;
    for (key, n) in postings {
        put_varint(out, key - last);
        put_varint(out, n);
        last = key;
    }
}

/// Sorts anchor postings `(anchor, n)`: as one 64-bit number each where the numbers fit in 32
/// bits (a batch's always do), which sorts about twice as fast as the pairs.
fn sort_postings(postings: &mut [(u32, u64)]) {
    if postings.iter().all(|&(_, n)| n <= u32::MAX as u64) {
        let mut packed: Vec<u64> = postings.iter().map(|&(h, n)| (h as u64) << 32 | n).collect();
        packed.sort_unstable();
        for (p, &x) in postings.iter_mut().zip(&packed) {
            *p = ((x >> 32) as u32, x & u32::MAX as u64);
        }
    } else {
        postings.sort_unstable();
    }
}

/// Why a block wants a document, packed in one u64 beside it: the kind in the low 2 bits, the
/// block in the next 32, and for [`Want::own_in_cell`] the cell's range in the 30 above.
///
/// A document that shares a band bucket or a containment sample with one of the block's goes to
/// the block's own part ([`Want::part`]). One that shares only anchors with them can only be in
/// a passage pair with one of them: it goes to one of the block's *passage cells*
/// ([`Want::cell`]): the earlier documents of one range of [`GroupRules::cell`] numbers, with
/// the block's documents that share an anchor with them ([`Want::own_in_cell`]), scanned for the
/// pairs between the two alone. A document wanted both ways by one block (by different
/// reducers) goes to its own part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Want(pub u64);

/// The most blocks that [`Want`] can name.
pub const MAX_BLOCKS: u64 = 1 << 32;
/// The most cell ranges that [`Want`] can name.
pub const MAX_CELL_RANGES: u64 = 1 << 30;

impl Want {
    /// Wanted by `block`'s own part (a shared bucket or sample, or a member of the block).
    pub fn part(block: u64) -> Want {
        Want(block << 2)
    }
    /// An earlier document wanted by one of `block`'s passage cells (it shares only anchors):
    /// the cell of its own range.
    pub fn cell(block: u64) -> Want {
        Want(block << 2 | 1)
    }
    /// One of `block`'s documents wanted by its passage cell of `range` (it shares an anchor
    /// with an earlier document of that range).
    pub fn own_in_cell(block: u64, range: u64) -> Want {
        Want(range << 34 | block << 2 | 2)
    }
    /// The block that wants it.
    pub fn block(self) -> u64 {
        (self.0 >> 2) & (MAX_BLOCKS - 1)
    }
    /// Whether a cell wants it (an earlier document, or one of the block's).
    pub fn in_cell(self) -> bool {
        self.0 & 3 != 0
    }
    /// Whether a cell wants it as an earlier document ([`Want::cell`]).
    pub fn earlier_in_cell(self) -> bool {
        self.0 & 3 == 1
    }
    /// The cell that wants it (`cell` numbers per range): (block, range).
    pub fn cell_key(self, member: u64, cell: u64) -> Option<(u64, u64)> {
        match self.0 & 3 {
            1 => Some((self.block(), cell_of(member, cell))),
            2 => Some((self.block(), self.0 >> 34)),
            _ => None,
        }
    }
}

/// The range of `cell` numbers (0: one range) that document `member` is in: which of a block's
/// passage cells it goes to.
pub fn cell_of(member: u64, cell: u64) -> u64 {
    member.checked_div(cell).unwrap_or(0)
}

/// The rules a reducer groups by: a scan's, for the whole corpus.
#[derive(Debug, Clone)]
pub struct GroupRules {
    /// Documents per block.
    pub block: u64,
    /// Earlier documents per passage cell: a block's documents that share only anchors with it
    /// are cut by number into ranges this wide, each scanned with the block in a cell of its own
    /// (0: one range).
    pub cell: u64,
    /// Routes the wanted lists are cut into (a document's route: its number modulo this).
    pub routes: u64,
    /// Buckets with more members than this are oversized.
    pub max_bucket: usize,
    /// Anchors held by more documents than this are frequent.
    pub max_df: usize,
    /// Containment samples held by more documents than this are frequent.
    pub sample_max_df: usize,
    /// The boilerplate rule: fewest documents of a source holding an anchor...
    pub boilerplate_min_docs: usize,
    /// ... and the share of the source's documents they must be.
    pub boilerplate_share: f64,
    /// Documents of each source (by [`source_hash`]) in the whole corpus.
    pub source_docs: AHashMap<u64, usize>,
}

/// What one reducer found about the whole corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupFacts {
    /// Anchors held by more than `max_df` documents.
    pub frequent: Vec<u32>,
    /// Boilerplate as (source hash, anchor).
    pub boilerplate: Vec<(u64, u32)>,
    /// Oversized buckets as (xxh3-128 of the member list, as two u64s, and its length): the
    /// driver counts distinct member lists, as the scan does.
    pub oversized: Vec<(u64, u64, usize)>,
    /// Containment samples held by more than `sample_max_df` documents.
    pub frequent_samples: Vec<u64>,
    /// The keys of the oversized buckets (one for each band of a member list).
    pub oversized_keys: Vec<u64>,
    /// The passage cells some document is wanted by, as (block, range of [`GroupRules::cell`]
    /// numbers), sorted: the job's parts. (A cell whose every earlier document is wanted by the
    /// block's own part through another reducer has no pair to find, and is not scanned.)
    pub cells: Vec<(u64, u64)>,
}

/// What [`group`] gives: the facts, and per route the `(member, want)` pairs, sorted.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// The facts.
    pub facts: GroupFacts,
    /// `(route, pairs)` for each route with any.
    pub wanted: Vec<(u64, Vec<(u64, Want)>)>,
}

/// A damaged blob.
fn damaged() -> String {
    "a postings blob is damaged (cut short or not one of reprint's)".to_string()
}

/// Groups one reducer's `blobs` (from [`postings_blobs`]): a bucket's members are wanted by every
/// block that holds one of them, up to the block's end; an oversized bucket's first member alone
/// (the part is told which buckets are oversized, and pairs their members with the first); a
/// containment sample or anchor that is not frequent is wanted by every block that holds one of
/// its documents, which gets its holders up to the block's end (a block keeps the pairs whose
/// later document it holds, so a later holder is never one of them): an anchor's earlier holders
/// in its passage cells ([`Want`]).
pub fn group(blobs: &[Vec<u8>], rules: &GroupRules) -> Result<Grouped, String> {
    // Anchor postings as one number each: the anchor, then the document's number less the
    // smallest any blob names (`base`), which must fit in 32 bits; each document's source
    // (numbered here; u32::MAX: none) apart, by number less `base`.
    let base = blobs.iter().filter_map(|b| varint(b, &mut 0)).min().unwrap_or(0);
    let mut postings = Postings { base, ..Postings::default() };
    for blob in blobs {
        read_postings(blob, &mut postings).ok_or_else(damaged)?;
    }
    let Postings { mut bands, mut anchors, mut samples, doc_source, sources, .. } = postings;
    bands.sort_unstable();
    bands.dedup();
    anchors.sort_unstable();
    anchors.dedup();
    let block = rules.block.max(1);
    let mut wanted: Vec<(u64, Want)> = Vec::new();
    let mut facts = GroupFacts::default();
    let mut members: Vec<u64> = Vec::new();
    let mut scratch: (Vec<u64>, Vec<u64>) = Default::default();
    for run in bands.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)).filter(|r| r.len() > 1) {
        members.clear();
        members.extend(run.iter().map(|x| x.2));
        if members.len() > rules.max_bucket {
            let bytes: Vec<u8> = members.iter().flat_map(|m| m.to_le_bytes()).collect();
            let h = xxh3_128(&bytes);
            facts.oversized.push(((h >> 64) as u64, h as u64, members.len()));
            facts.oversized_keys.push(run[0].1);
            // Its pairs are its members with its first: every block holding one gets the first.
            blocks_of(&members, block, &mut scratch.0);
            wanted.extend(scratch.0.iter().map(|&b| (members[0], Want::part(b))));
        } else {
            want_earlier_holders(&members, block, None, &mut scratch, &mut wanted);
        }
    }
    let mut per_source: Vec<u32> = Vec::new();
    let low = u32::MAX as u64;
    for run in anchors.chunk_by(|x, y| x >> 32 == y >> 32) {
        let hash = (run[0] >> 32) as u32;
        if run.len() >= rules.boilerplate_min_docs {
            per_source.clear();
            per_source.extend(run.iter().map(|x| doc_source[(x & low) as usize]).filter(|&s| s != u32::MAX));
            per_source.sort_unstable();
            for s in per_source.chunk_by(|x, y| x == y) {
                let source = sources.hashes[s[0] as usize];
                let docs = rules.source_docs.get(&source).copied().unwrap_or(0);
                if s.len() >= rules.boilerplate_min_docs && s.len() as f64 >= rules.boilerplate_share * docs as f64 {
                    facts.boilerplate.push((source, hash));
                }
            }
        }
        if run.len() > rules.max_df {
            facts.frequent.push(hash);
        } else if run.len() > 1 {
            members.clear();
            members.extend(run.iter().map(|x| base + (x & low)));
            want_earlier_holders(&members, block, Some(rules.cell), &mut scratch, &mut wanted);
        }
    }
    // A containment sample is wanted as an anchor is: by every block holding one of its
    // documents, up to the block's end, unless it is frequent.
    samples.sort_unstable();
    samples.dedup();
    for run in samples.chunk_by(|x, y| x.0 == y.0) {
        if run.len() > rules.sample_max_df {
            facts.frequent_samples.push(run[0].0);
        } else if run.len() > 1 {
            members.clear();
            members.extend(run.iter().map(|x| base + x.1));
            want_earlier_holders(&members, block, None, &mut scratch, &mut wanted);
        }
    }
    wanted.sort_unstable_by_key(|&(m, w)| (m % rules.routes.max(1), m, w));
    wanted.dedup();
    // A document wanted by a block's own part is not wanted by its cells too (its pairs with the
    // block would be found twice): the part's want sorts just before the cell's.
    wanted.dedup_by(|later, earlier| {
        later.0 == earlier.0 && !earlier.1.in_cell() && later.1 == Want::cell(earlier.1.block())
    });
    facts.cells = wanted.iter().filter_map(|&(m, w)| w.cell_key(m, rules.cell)).collect();
    facts.cells.sort_unstable();
    facts.cells.dedup();
    let routes = rules.routes.max(1);
    let wanted = wanted.chunk_by(|x, y| x.0 % routes == y.0 % routes).map(|r| (r[0].0 % routes, r.to_vec())).collect();
    Ok(Grouped { facts, wanted })
}

/// A key's holders `members` (ascending) wanted by every block that holds one of them, each
/// block getting the holders up to its end (a block keeps the pairs whose later document it
/// holds): by its own part; or where they are the holders of an anchor (with `cell` numbers per
/// cell range), the earlier ones by the block's passage cells, and the block's own by the cells
/// of those earlier ones' ranges ([`Want`]). `scratch` is scratch.
fn want_earlier_holders(
    members: &[u64],
    block: u64,
    anchor: Option<u64>,
    scratch: &mut (Vec<u64>, Vec<u64>),
    wanted: &mut Vec<(u64, Want)>,
) {
    let (blocks, ranges) = scratch;
    blocks_of(members, block, blocks);
    for &b in blocks.iter() {
        let (start, end) = (b.saturating_mul(block), (b + 1).saturating_mul(block));
        let upto = members.partition_point(|&m| m < end);
        let Some(cell) = anchor else {
            wanted.extend(members[..upto].iter().map(|&m| (m, Want::part(b))));
            continue;
        };
        let earlier = members.partition_point(|&m| m < start);
        wanted.extend(members[..earlier].iter().map(|&m| (m, Want::cell(b))));
        ranges.clear();
        ranges.extend(members[..earlier].iter().map(|&m| cell_of(m, cell)));
        ranges.dedup();
        for &m in &members[earlier..upto] {
            wanted.extend(ranges.iter().map(|&k| (m, Want::own_in_cell(b, k))));
        }
    }
}

/// The distinct blocks of `members` (ascending), into `out`.
fn blocks_of(members: &[u64], block: u64, out: &mut Vec<u64>) {
    out.clear();
    out.extend(members.iter().map(|m| m / block));
    out.sort_unstable();
    out.dedup();
}

/// The sources a reducer meets, numbered in the order met.
#[derive(Default)]
struct Sources {
    hashes: Vec<u64>,
    numbers: AHashMap<u64, u32>,
}

impl Sources {
    fn number(&mut self, hash: u64) -> u32 {
        *self.numbers.entry(hash).or_insert_with(|| {
            self.hashes.push(hash);
            self.hashes.len() as u32 - 1
        })
    }
}

/// A reducer's postings as read from its blobs.
#[derive(Default)]
struct Postings {
    /// The smallest document number any blob names.
    base: u64,
    /// Band postings `(band, key, n)`.
    bands: Vec<(usize, u64, u64)>,
    /// Anchor postings: the anchor in the high 32 bits, `n - base` in the low.
    anchors: Vec<u64>,
    /// Containment sample postings `(sample, n - base)`.
    samples: Vec<(u64, u64)>,
    /// Each document's source number in `sources` (u32::MAX: none), by `n - base`.
    doc_source: Vec<u32>,
    sources: Sources,
}

/// Appends a blob's postings; `None` when it is damaged, or names a document more than 2^32
/// numbers past `postings.base` (a job holds at most that many documents).
fn read_postings(blob: &[u8], postings: &mut Postings) -> Option<()> {
    let at = &mut 0;
    let n0 = varint(blob, at)?;
    let named = varint(blob, at)? as usize;
    let mut hashes = Vec::with_capacity(named.min(blob.len() / 8));
    for _ in 0..named {
        hashes.push(u64::from_le_bytes(blob.get(*at..*at + 8)?.try_into().ok()?));
        *at += 8;
    }
    let from = n0.checked_sub(postings.base)?;
    let docs = varint(blob, at)? as usize;
    // The documents the blob lists, as numbers less n0: 0, 1, 2, ... for a batch of consecutive
    // documents (then a posting's document is listed when it is below their count).
    let mut listed = Vec::with_capacity(docs.min(blob.len()));
    for _ in 0..docs {
        let local = varint(blob, at)?;
        listed.push(local);
        let n = from.checked_add(local)?;
        let n = usize::try_from(n).ok().filter(|&n| n <= u32::MAX as usize)?;
        let number = match varint(blob, at)? as usize {
            0 => u32::MAX,
            s => postings.sources.number(*hashes.get(s - 1)?),
        };
        if postings.doc_source.len() <= n {
            postings.doc_source.resize(n + 1, u32::MAX);
        }
        postings.doc_source[n] = number;
    }
    let consecutive = listed.iter().enumerate().all(|(i, &l)| l == i as u64);
    if !consecutive {
        listed.sort_unstable();
    }
    let count = varint(blob, at)? as usize;
    postings.bands.reserve(count.min(blob.len()));
    for _ in 0..count {
        let band = varint(blob, at)? as usize;
        let key = u64::from_le_bytes(blob.get(*at..*at + 8)?.try_into().ok()?);
        *at += 8;
        postings.bands.push((band, key, n0.checked_add(varint(blob, at)?)?));
    }
    // A posting of a document the blob does not list is damage.
    let known =
        |local: u64| if consecutive { local < listed.len() as u64 } else { listed.binary_search(&local).is_ok() };
    read_keyed_postings(blob, at, u32::MAX as u64, &known, &mut postings.anchors, |hash, local| {
        Some(hash << 32 | from.checked_add(local)?)
    })?;
    read_keyed_postings(blob, at, u64::MAX, &known, &mut postings.samples, |sample, local| {
        Some((sample, from.checked_add(local)?))
    })?;
    (*at == blob.len()).then_some(())
}

/// Reads a section of postings written by [`put_keyed_postings`] at `at` into `out`, each
/// `(key, n - n0)` as `posting` makes it; `None` when it is damaged: a key past `max_key`, or a
/// document that is not `known`.
fn read_keyed_postings<T>(
    blob: &[u8],
    at: &mut usize,
    max_key: u64,
    known: &impl Fn(u64) -> bool,
    out: &mut Vec<T>,
    posting: impl Fn(u64, u64) -> Option<T>,
) -> Option<()> {
    let count = varint(blob, at)? as usize;
    out.reserve(count.min(blob.len()));
    let mut key = 0u64;
    for _ in 0..count {
        key = key.checked_add(varint(blob, at)?).filter(|&k| k <= max_key)?;
        let local = varint(blob, at)?;
        known(local).then_some(())?;
        out.push(posting(key, local)?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: u64, source: Option<&str>) -> PartDoc {
        PartDoc { n, id: format!("d{n}"), text: "x".into(), source: source.map(String::from), ..PartDoc::default() }
    }

    fn rules(block: u64) -> GroupRules {
        GroupRules {
            block,
            cell: 4,
            routes: 2,
            max_bucket: 2,
            max_df: 3,
            sample_max_df: 3,
            boilerplate_min_docs: 2,
            boilerplate_share: 0.5,
            source_docs: [(source_hash("a"), 3), (source_hash("b"), 10)].into_iter().collect(),
        }
    }

    /// Documents 10-15: anchor 7 in 10, 11, 12 (two of source a's three: its boilerplate; one of
    /// b's ten is not), anchor 9 in every one (frequent; a's boilerplate too), a bucket of 13,
    /// 14, 15 (oversized); containment sample 3 in every one (frequent), sample 5 in 10 and 12,
    /// the largest sample in 10 and 15.
    fn postings(reducers: usize) -> Vec<Vec<Vec<u8>>> {
        let docs: Vec<PartDoc> = [Some("a"), Some("a"), Some("b"), Some("b"), None, Some("a")]
            .into_iter()
            .enumerate()
            .map(|(n, s)| doc(n as u64 + 10, s))
            .collect();
        let keys: Vec<PartKeys> = (0..6u64)
            .map(|i| PartKeys {
                n: i + 10,
                bands: if i >= 3 { vec![42, i] } else { vec![i, 1000 + i] },
                anchors: if i < 3 { vec![7, 9] } else { vec![9] },
                samples: match i {
                    0 => vec![3, 5, u64::MAX],
                    2 => vec![3, 5],
                    5 => vec![3, u64::MAX],
                    _ => vec![3],
                },
            })
            .collect();
        let mut shares = vec![Vec::new(); reducers];
        for (from, to) in [(0, 4), (4, 6)] {
            let (blobs, counts) = postings_blobs(&docs[from..to], &keys[from..to], reducers);
            assert!(counts.sources.iter().all(|(name, hash, _)| *hash == source_hash(name)));
            for (r, blob) in blobs {
                shares[r].push(blob);
            }
        }
        shares
    }

    #[test]
    fn grouping_finds_frequent_anchors_boilerplate_oversized_buckets_and_parts() {
        for reducers in [1, 3] {
            let mut facts = GroupFacts::default();
            let mut wanted = Vec::new();
            for share in postings(reducers) {
                let g = group(&share, &rules(2)).unwrap();
                facts.frequent.extend(g.facts.frequent);
                facts.boilerplate.extend(g.facts.boilerplate);
                facts.oversized.extend(g.facts.oversized);
                facts.frequent_samples.extend(g.facts.frequent_samples);
                facts.cells.extend(g.facts.cells);
                facts.oversized_keys.extend(g.facts.oversized_keys);
                for (route, pairs) in g.wanted {
                    assert!(pairs.iter().all(|&(m, _)| m % 2 == route));
                    wanted.extend(pairs);
                }
            }
            // A member may be wanted by a block for several keys (on several reducers), and by
            // its own part and a cell: the part wins.
            wanted.sort_unstable();
            wanted.dedup();
            let parts: Vec<(u64, Want)> = wanted.iter().filter(|w| !w.1.in_cell()).copied().collect();
            wanted.retain(|&(m, w)| !w.earlier_in_cell() || !parts.contains(&(m, Want::part(w.block()))));
            facts.boilerplate.sort_unstable();
            facts.cells.sort_unstable();
            facts.cells.dedup();
            assert_eq!(facts.frequent, vec![9]);
            assert_eq!(facts.boilerplate, vec![(source_hash("a"), 7), (source_hash("a"), 9)]);
            assert_eq!(facts.oversized.iter().map(|o| o.2).collect::<Vec<_>>(), vec![3]);
            assert_eq!(facts.frequent_samples, vec![3]);
            // Blocks of two: 10-11 (block 5), 12-13 (6), 14-15 (7). Anchor 7 (10, 11, 12): block 5
            // holds two and needs none; block 6's cell of numbers 8-11 (cells of 4) gets the
            // earlier two, and 12, which shares the anchor with them; but 10 shares sample 5 with
            // 12: block 6's own part gets it. The oversized bucket (13, 14, 15): blocks 6 and 7
            // get its first, 13; the largest sample (10, 15): block 5 gets 10, block 7 both.
            let (p, c) = (Want::part, Want::cell);
            let mut want = vec![(10, p(5)), (10, p(6)), (11, c(6)), (12, p(6)), (12, Want::own_in_cell(6, 2))];
            want.extend([(13, p(6)), (10, p(7)), (13, p(7)), (15, p(7))]);
            want.sort_unstable();
            assert_eq!(wanted, want, "{reducers} reducers");
            assert_eq!(facts.cells, vec![(6, 2)], "{reducers} reducers");
            assert_eq!(facts.oversized_keys, vec![42], "{reducers} reducers");
        }
    }

    #[test]
    fn a_want_names_its_block_and_cell() {
        for b in [0, 1, 6, MAX_BLOCKS - 1] {
            assert_eq!((Want::part(b).block(), Want::part(b).cell_key(9, 4)), (b, None));
            assert_eq!(Want::cell(b).cell_key(9, 4), Some((b, 2)));
            assert_eq!(Want::cell(b).cell_key(9, 0), Some((b, 0)));
            for k in [0, 3, MAX_CELL_RANGES - 1] {
                let w = Want::own_in_cell(b, k);
                assert_eq!((w.block(), w.cell_key(9, 4), w.earlier_in_cell()), (b, Some((b, k)), false));
            }
            // The part's want sorts just before the cell's, for `group`'s part-wins dedup.
            assert_eq!(Want::part(b).0 + 1, Want::cell(b).0);
        }
    }

    #[test]
    fn a_damaged_blob_is_an_error() {
        let blob = postings(1).remove(0).remove(0);
        for cut in [1, blob.len() / 2, blob.len() - 1] {
            assert!(group(&[blob[..cut].to_vec()], &rules(2)).is_err(), "cut at {cut}");
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert!(group(&[longer], &rules(2)).is_err());
        assert!(group(&[vec![0xff; 12]], &rules(2)).is_err());
        // An anchor posting of a document the blob does not list, listed documents consecutive
        // (10, 11) or not (10, 12), and the same blobs whole.
        for (listed, holder, ok) in [([10, 11], 12, false), ([10, 12], 11, false), ([10, 12], 12, true)] {
            let docs: Vec<PartDoc> = listed.iter().map(|&n| doc(n, Some("a"))).collect();
            let keys = vec![
                PartKeys { n: listed[0], bands: Vec::new(), anchors: Vec::new(), samples: Vec::new() },
                PartKeys { n: holder, bands: Vec::new(), anchors: vec![7], samples: Vec::new() },
            ];
            let (blobs, _) = postings_blobs(&docs, &keys, 1);
            assert_eq!(group(&[blobs[0].1.clone()], &rules(2)).is_ok(), ok, "{listed:?} {holder}");
        }
    }

    #[test]
    fn frames_and_blobs_read_back() {
        let mut out = Vec::new();
        write_frame(&mut out, Tag::Wanted, 7, b"abc").unwrap();
        assert_eq!(out[0], Tag::Wanted as u8);
        assert_eq!(u64::from_le_bytes(out[1..9].try_into().unwrap()), 7);
        assert_eq!(&out[9..13], &3u32.to_le_bytes());
        assert_eq!(&out[13..], b"abc");
        let mut input: Vec<u8> = [2u32.to_le_bytes().as_slice(), b"hi", 0u32.to_le_bytes().as_slice()].concat();
        let reader = &mut input.as_slice();
        assert_eq!(read_blob(reader).unwrap(), Some(b"hi".to_vec()));
        assert_eq!(read_blob(reader).unwrap(), Some(Vec::new()));
        assert_eq!(read_blob(reader).unwrap(), None);
        input.truncate(5);
        assert!(read_blob(&mut input.as_slice()).is_err());
    }
}
