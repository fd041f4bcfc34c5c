//! The fourth step of the quotes stage: every document is searched once more, through a k-gram
//! index of the clusters' wordings, for the same words printed *without* quotation marks, which
//! also count as carrying the quote.

use super::extract::RawQuote;
use super::group::{self, KgramIndex};
use super::keys::{words, Word};
use super::{speaker, Found, QuoteConfig, MAX_VARIANT_DF};
use crate::corpus::Texts;
use crate::progress::Progress;
use rayon::prelude::*;

/// Occurrences of the clusters' wordings printed without quotation marks: runs of at least
/// `min_unquoted_words` words (and `unquoted_share` of the wording) outside every quotation.
pub(super) fn find_unquoted<X: Texts + ?Sized>(
    n: usize,
    texts: &X,
    found: &[Found],
    variants: &[&[u64]],
    roots: &[usize],
    cfg: &QuoteConfig,
    progress: &dyn Progress,
) -> Vec<(Found, usize)> {
    const K: usize = 4;
    let min = cfg.min_unquoted_words.max(K);
    let index = KgramIndex::build(variants, K, min, false);
    if index.is_empty() {
        return Vec::new();
    }
    let mut spans: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for f in found {
        spans[f.doc as usize].push((f.raw.open, f.raw.close));
    }
    let per_doc: Vec<Vec<(Found, usize)>> = (0..n)
        .into_par_iter()
        .map_init(String::new, |buf, d| {
            let r = unquoted_in_doc(d as u32, texts.text(d, buf), &spans[d], &index, variants, roots, cfg, min);
            progress.advance(1);
            r
        })
        .collect();
    per_doc.into_iter().flatten().collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn unquoted_in_doc(
    d: u32,
    text: &str,
    quoted: &[(usize, usize)],
    index: &KgramIndex,
    variants: &[&[u64]],
    roots: &[usize],
    cfg: &QuoteConfig,
    min: usize,
) -> Vec<(Found, usize)> {
    const K: usize = 4;
    let ws = words(text);
    if ws.len() < K {
        return Vec::new();
    }
    let keys: Vec<u64> = ws.iter().map(|w| w.key).collect();
    // Whether a word lies inside a quotation: the quotations starting at or before it, by
    // binary search, and the furthest any of them reaches (a walk over every quotation for
    // every word was quadratic in a long document).
    let mut starts: Vec<(usize, usize)> = quoted.to_vec();
    starts.sort_unstable();
    let reach: Vec<usize> = starts
        .iter()
        .scan(0, |m, &(_, e)| {
            *m = e.max(*m);
            Some(*m)
        })
        .collect();
    let inside = |w: &Word| {
        let before = starts.partition_point(|&(s, _)| s <= w.byte_start);
        before > 0 && reach[before - 1] >= w.byte_end
    };
    // (variant, diagonal, doc position)
    let mut hits: Vec<(u32, i64, u32)> = Vec::new();
    for i in 0..=keys.len() - K {
        if let Some(post) = index.get(group::kgram(&keys, i, K)) {
            if post.len() > MAX_VARIANT_DF || inside(&ws[i]) || inside(&ws[i + K - 1]) {
                continue;
            }
            for &(v, j) in post {
                hits.push((v, i as i64 - j as i64, i as u32));
            }
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_unstable();
    // Runs of consecutive k-grams on one diagonal: (root, variant, first word, last word).
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut s = 0;
    while s < hits.len() {
        let mut e = s;
        while e + 1 < hits.len()
            && hits[e + 1].0 == hits[s].0
            && hits[e + 1].1 == hits[s].1
            && hits[e + 1].2 == hits[e].2 + 1
        {
            e += 1;
        }
        let v = hits[s].0 as usize;
        let len = (e - s) + K;
        let needed = min.max((cfg.unquoted_share * variants[v].len() as f64).ceil() as usize);
        if len >= needed {
            runs.push((roots[v], v, hits[s].2 as usize, hits[e].2 as usize + K - 1));
        }
        s = e + 1;
    }
    // One occurrence per cluster and stretch of text: overlapping runs merge.
    runs.sort_unstable_by_key(|r| (r.0, r.2, r.3));
    let mut merged: Vec<(usize, usize, usize, usize)> = Vec::new();
    for r in runs {
        match merged.last_mut() {
            Some(m) if m.0 == r.0 && r.2 <= m.3 + 1 => {
                if r.3 - r.2 > m.3 - m.2 {
                    m.1 = r.1;
                }
                m.3 = m.3.max(r.3);
            }
            _ => merged.push(r),
        }
    }
    merged.sort_unstable_by_key(|m| (m.2, m.0));
    let raws: Vec<RawQuote> = merged
        .iter()
        .map(|&(_, _, a, b)| RawQuote {
            fragments: vec![(ws[a].byte_start, ws[b].byte_end)],
            open: ws[a].byte_start,
            close: ws[b].byte_end,
            closed: true,
            breaks: Vec::new(),
        })
        .collect();
    let speakers = speaker::speakers(text, &raws);
    merged
        .iter()
        .zip(raws)
        .zip(speakers)
        .map(|((&(_, v, a, b), raw), speaker)| {
            (Found { doc: d, raw, speaker, keys: keys[a..=b].to_vec(), quoted: false }, v)
        })
        .collect()
}
