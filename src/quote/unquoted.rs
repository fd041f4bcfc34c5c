//! The fourth step of the quotes stage: every document is searched once more, through a k-gram
//! index of the clusters' wordings, for the same words printed *without* quotation marks, which
//! also count as carrying the quote.

use super::extract::RawQuote;
use super::group::{self, KgramIndex};
use super::keys::{words, Word};
use super::{speaker, Found, QuoteConfig, Span, MAX_VARIANT_DF};
use crate::corpus::Texts;
use crate::progress::Progress;
use rayon::prelude::*;

/// Occurrences of the clusters' wordings printed without quotation marks, outside every
/// quotation, of at least `min_unquoted_words` words: the wording with at most `max_edit` of its
/// words changed, dropped or added (a full copy), or a run of `unquoted_share` of its words (a
/// partial copy, marked so, which its document must confirm).
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
            for &(_, v, j) in post {
                hits.push((v, i as i64 - j as i64, i as u32));
            }
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_unstable();
    // Each diagonal of a wording that k-grams hit: a run of consecutive k-grams covering the
    // whole wording is a full copy; otherwise, where two k-grams or more hit the diagonal (one
    // alone is mostly chance, and aligning every chance hit costs more than the rest of the
    // search), the wording aligned there with at most `max_edit` of its words changed, dropped
    // or added is a full copy. Failing that, a run covering `unquoted_share` of the wording is a
    // partial copy, which its document must confirm (see `clusters_of`).
    // (root, variant, first word, last word, full)
    let mut runs: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
    let mut s = 0;
    while s < hits.len() {
        let (v, diagonal) = (hits[s].0 as usize, hits[s].1);
        let end = s + hits[s..].partition_point(|h| (h.0, h.1) == (hits[s].0, diagonal));
        let pattern = variants[v];
        // Runs of consecutive k-grams on the diagonal: (first hit, last hit).
        let mut on_diagonal: Vec<(usize, usize)> = Vec::new();
        for h in s..end {
            match on_diagonal.last_mut() {
                Some(r) if hits[h].2 == hits[r.1].2 + 1 => r.1 = h,
                _ => on_diagonal.push((h, h)),
            }
        }
        let span = |r: &(usize, usize)| (hits[r.0].2 as usize, hits[r.1].2 as usize + K - 1);
        let whole = on_diagonal.iter().find(|r| r.1 - r.0 + K >= pattern.len());
        let fit = match whole {
            Some(r) => Some(span(r)),
            None if end - s >= 2 && pattern.len() >= min => {
                let limit = (cfg.max_edit * pattern.len() as f64).floor() as usize;
                let from = (diagonal - limit as i64).max(0) as usize;
                let to = ((diagonal + (pattern.len() + limit) as i64).max(0) as usize).min(keys.len());
                (from < to)
                    .then(|| group::fitting(pattern, &keys[from..to], limit))
                    .flatten()
                    .map(|(a, b)| (from + a, from + b - 1))
                    .filter(|&(a, b)| b + 1 - a >= min && !(a..=b).any(|w| inside(&ws[w])))
            }
            None => None,
        };
        if let Some((a, b)) = fit {
            runs.push((roots[v], v, a, b, true));
        } else {
            let needed = min.max((cfg.unquoted_share * pattern.len() as f64).ceil() as usize);
            for r in on_diagonal.iter().filter(|r| r.1 - r.0 + K >= needed) {
                let (a, b) = span(r);
                runs.push((roots[v], v, a, b, false));
            }
        }
        s = end;
    }
    // One occurrence per cluster and stretch of text: overlapping runs merge (full if any is).
    runs.sort_unstable_by_key(|r| (r.0, r.2, r.3));
    let mut merged: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
    for r in runs {
        match merged.last_mut() {
            Some(m) if m.0 == r.0 && r.2 <= m.3 + 1 => {
                if r.3 - r.2 > m.3 - m.2 {
                    m.1 = r.1;
                }
                m.3 = m.3.max(r.3);
                m.4 |= r.4;
            }
            _ => merged.push(r),
        }
    }
    merged.sort_unstable_by_key(|m| (m.2, m.0));
    let raws: Vec<RawQuote> = merged
        .iter()
        .map(|&(_, _, a, b, _)| RawQuote {
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
        .map(|((&(_, v, a, b, full), raw), speaker)| {
            let raw = Span::of(raw);
            (Found { doc: d, raw, speaker, keys: keys[a..=b].into(), quoted: false, partial: !full }, v)
        })
        .collect()
}
