//! Fingerprint stage: every document's shingle set and MinHash signature, computed in parallel.

use crate::shingle::shingle_set;
use crate::signature::MinHasher;
use rayon::prelude::*;

/// Fingerprints of a corpus, indexed like its documents.
#[derive(Debug, Clone, Default)]
pub struct Fingerprints {
    /// Values per signature.
    pub perms: usize,
    /// Sorted distinct shingle hashes of each document.
    pub shingles: Vec<Box<[u64]>>,
    /// Signatures back to back: document `i` is `signatures[i * perms..(i + 1) * perms]`.
    pub signatures: Vec<u32>,
}

impl Fingerprints {
    /// Signature of document `i`.
    pub fn signature(&self, i: usize) -> &[u32] {
        &self.signatures[i * self.perms..(i + 1) * self.perms]
    }

    /// Number of fingerprinted documents.
    pub fn len(&self) -> usize {
        self.shingles.len()
    }

    /// True when there are no documents.
    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }
}

/// Fingerprints `texts` with `shingle`-word shingles and `hasher`. `on_done(bytes)` is called as
/// documents finish (for progress display).
pub fn fingerprint_all<T: AsRef<str> + Sync>(
    texts: &[T],
    shingle: usize,
    hasher: &MinHasher,
    on_done: &(dyn Fn(u64) + Sync),
) -> Fingerprints {
    let perms = hasher.perms();
    let mut signatures = vec![0u32; texts.len() * perms];
    let shingles: Vec<Box<[u64]>> = texts
        .par_iter()
        .zip(signatures.par_chunks_mut(perms))
        .map_init(Vec::new, |scratch, (text, sig)| {
            let text = text.as_ref();
            let set = shingle_set(text, shingle, scratch);
            hasher.signature_into(&set, sig);
            on_done(text.len() as u64);
            set
        })
        .collect();
    Fingerprints { perms, shingles, signatures }
}
