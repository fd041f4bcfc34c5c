//! Winnowing (Schleimer, Wilkerson & Aiken 2003): the shingles kept as *anchors* of a document,
//! chosen while fingerprinting so that shingles are hashed once for both. In every window of `w`
//! consecutive shingle hashes the smallest is an anchor, so two documents sharing a run of
//! `w + k - 1` tokens share an anchor. [`SeenTwice`] marks, over the whole corpus, which anchors
//! more than one document may hold; [`crate::passage::anchor`] indexes only those.

use crate::fingerprint::shingle::shingles_in_order;
use crate::memory::{advise_huge_pages, prefetch};

/// An anchor of one document: the shingle hash (its top 32 bits: a chance collision only makes
/// a seed that alignment, which compares the words themselves, rejects) and the index of its
/// first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Anchor {
    /// Top 32 bits of the shingle hash.
    pub hash: u32,
    /// Token index where the shingle starts.
    pub pos: u32,
}

/// The anchor hash of a shingle hash: its top 32 bits (see [`Anchor::hash`]).
pub fn anchor_hash(shingle: u64) -> u32 {
    (shingle >> 32) as u32
}

/// Appends to `out` the winnowed anchors of a document's token hashes `words` (`k`-token
/// shingles, windows of `w`), in position order; `shingles` is scratch space.
pub fn anchors_of(words: &[u32], k: usize, w: usize, shingles: &mut Vec<u64>, out: &mut Vec<Anchor>) {
    shingles.clear();
    shingles_in_order(words, k, shingles);
    winnow_into(shingles, w, out);
}

/// Winnowed anchors of a word-hash sequence ([`crate::fingerprint::shingle::word_hash`]): shingles of `k` tokens, windows of `w` shingles.
/// In each window the rightmost smallest hash is taken; consecutive windows picking the same
/// shingle give one anchor. Returned in position order.
pub fn winnow(token_hashes: &[u32], k: usize, w: usize) -> Vec<Anchor> {
    let mut shingles = Vec::with_capacity(token_hashes.len());
    shingles_in_order(token_hashes, k, &mut shingles);
    winnow_shingles(&shingles, w)
}

/// Winnowed anchors of shingle hashes already in document order (see [`winnow`]).
pub fn winnow_shingles(shingles: &[u64], w: usize) -> Vec<Anchor> {
    let mut out: Vec<Anchor> = Vec::with_capacity(shingles.len() * 2 / (w.max(1) + 1) + 1);
    winnow_into(shingles, w, &mut out);
    out
}

/// Appends the winnowed anchors of `shingles` to `out` (see [`winnow`]). Windows of 2 (the
/// default) take a branch-free path: each window's pick is the later shingle unless the earlier
/// is strictly smaller, and it is written whether or not it repeats the last pick, the write
/// position only moving on when it does not (about one window in three repeats, at random, which
/// the processor cannot predict).
pub fn winnow_into(shingles: &[u64], w: usize, out: &mut Vec<Anchor>) {
    if w != 2 || shingles.len() <= 2 {
        winnow_each(shingles, w, |a| out.push(a));
        return;
    }
    let start = out.len();
    // At most one anchor per window; one slot more for the write past the last kept one.
    out.resize(start + shingles.len(), Anchor { hash: 0, pos: 0 });
    let slots = &mut out[start..];
    let mut kept = 0;
    let mut last = usize::MAX;
    for i in 1..shingles.len() {
        let j = i - usize::from(shingles[i - 1] < shingles[i]);
        slots[kept] = Anchor { hash: anchor_hash(shingles[j]), pos: j as u32 };
        kept += usize::from(j != last);
        last = j;
    }
    out.truncate(start + kept);
}

/// Calls `found` with each winnowed anchor of `shingles` in position order (see [`winnow`]),
/// without collecting them.
pub fn winnow_each(shingles: &[u64], w: usize, mut found: impl FnMut(Anchor)) {
    let w = w.max(1);
    if shingles.len() <= w {
        if let Some((pos, &hash)) = shingles.iter().enumerate().rev().min_by_key(|(_, h)| **h) {
            found(Anchor { hash: anchor_hash(hash), pos: pos as u32 });
        }
        return;
    }
    // Monotone deque of candidate positions: hashes increasing from front to back.
    let mut deque: std::collections::VecDeque<usize> = std::collections::VecDeque::with_capacity(w);
    let mut last: Option<usize> = None;
    for (i, &h) in shingles.iter().enumerate() {
        while deque.back().is_some_and(|&j| shingles[j] >= h) {
            deque.pop_back();
        }
        deque.push_back(i);
        if deque.front().is_some_and(|&j| j + w <= i) {
            deque.pop_front();
        }
        if i + 1 >= w {
            let j = deque[0];
            if last != Some(j) {
                last = Some(j);
                found(Anchor { hash: anchor_hash(shingles[j]), pos: j as u32 });
            }
        }
    }
}

/// Which anchor hashes were seen more than once, over a whole corpus, in two bitsets filled from
/// any number of threads. An anchor held by one document only can never seed a pair, and about
/// four anchors in five are such: dropping them before the index is built makes the index a
/// fraction of the size. Two different hashes sharing a bit only keep an anchor that could have
/// been dropped (never the reverse), and the bits end the same whatever order documents are
/// marked in, so output does not depend on the thread count.
#[derive(Debug)]
pub struct SeenTwice {
    /// Word `2i` holds the "seen once" bits of slots `64i..64i + 64`, word `2i + 1` their "seen
    /// twice" bits: both words of a slot share a cache line, so a mark costs one miss, not two.
    bits: Vec<std::sync::atomic::AtomicU64>,
    mask: u32,
}

impl SeenTwice {
    /// Bitsets sized for about `expected` anchor marks: 8 bits per mark (rounded up to a power of
    /// two, between 2^12 and 2^32), so that about one lone anchor in eight shares a bit by chance.
    /// Marks land at random, so the memory is asked for in huge pages where the OS offers them
    /// (fewer TLB misses).
    pub fn new(expected: u64) -> Self {
        let bits = (expected.saturating_mul(8)).next_power_of_two().clamp(1 << 12, 1 << 32);
        let words = (bits / 64) as usize * 2;
        let mut v: Vec<std::sync::atomic::AtomicU64> = Vec::with_capacity(words);
        advise_huge_pages(v.as_ptr() as usize, words * 8);
        v.extend((0..words).map(|_| std::sync::atomic::AtomicU64::new(0)));
        SeenTwice { bits: v, mask: (bits - 1) as u32 }
    }

    fn slot(&self, hash: u32) -> (usize, u64) {
        let bit = hash & self.mask;
        ((bit >> 6) as usize * 2, 1u64 << (bit & 63))
    }

    /// Asks for the cache line `hash` will be marked in, ahead of [`SeenTwice::mark`]: marks are
    /// atomic read-modify-writes at random places, which the processor cannot overlap by itself.
    pub fn prefetch(&self, hash: u32) {
        let (i, _) = self.slot(hash);
        prefetch(&self.bits[i]);
    }

    /// Records one occurrence of `hash`.
    pub fn mark(&self, hash: u32) {
        use std::sync::atomic::Ordering::Relaxed;
        let (i, bit) = self.slot(hash);
        if self.bits[i + 1].load(Relaxed) & bit != 0 {
            return;
        }
        if self.bits[i].fetch_or(bit, Relaxed) & bit != 0 {
            self.bits[i + 1].fetch_or(bit, Relaxed);
        }
    }

    /// Only the "seen twice" bits, once marking is over: half the memory, freed before the index
    /// that reads them is built.
    pub fn into_repeated(self) -> Repeated {
        // Looked up at random too: huge pages where offered.
        let mut bits = Vec::with_capacity(self.bits.len() / 2);
        advise_huge_pages(bits.as_ptr() as usize, self.bits.len() / 2 * 8);
        bits.extend(self.bits.chunks_exact(2).map(|w| w[1].load(std::sync::atomic::Ordering::Relaxed)));
        Repeated { bits, mask: self.mask }
    }
}

/// The anchor hashes marked at least twice in a [`SeenTwice`], read-only.
#[derive(Debug)]
pub struct Repeated {
    bits: Vec<u64>,
    mask: u32,
}

impl Repeated {
    /// Asks for the cache line holding `hash`'s bit, ahead of [`Repeated::contains`].
    pub fn prefetch(&self, hash: u32) {
        let bit = hash & self.mask;
        prefetch(&self.bits[(bit >> 6) as usize]);
    }

    /// True when `hash` (or a hash sharing its bit) was marked at least twice.
    pub fn contains(&self, hash: u32) -> bool {
        let bit = hash & self.mask;
        self.bits[(bit >> 6) as usize] & (1u64 << (bit & 63)) != 0
    }
}
