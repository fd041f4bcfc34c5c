//! Grouping quotations into clusters of variants, through an index of word k-grams (never all
//! pairs).
//!
//! Quotations with the same words (after normalisation) are one *variant*. Two variants are
//! linked when they share a run of at least `link_words` words and their shared k-grams cover
//! more than half of the shorter one, or when they are of similar length and differ by a word-level edit distance of
//! at most `max_edit` of the longer one (or the shorter fits in the longer within `max_edit` of
//! its own words). Linked variants form clusters (union-find). A variant
//! that lies whole inside a longer one (`“marriage of convenience”` inside `“This is a marriage
//! of convenience, not of affection”`) is not linked: it may be a fragment of that quote, or a
//! stock phrase quoted on its own in unrelated articles, and linking it would chain every quote
//! containing the phrase together. Its possible containers are listed, and each of its
//! quotations joins one only where its own document confirms it (the quotes stage decides).

use crate::neardup::cluster::UnionFind;
use ahash::AHashMap;
use rayon::prelude::*;

/// How variants are linked.
#[derive(Debug, Clone, Copy)]
pub struct LinkParams {
    /// Words per indexed k-gram (the shortest variant that can be linked at all).
    pub k: usize,
    /// Shared run of words that links two variants.
    pub link_words: usize,
    /// Largest word edit distance, as a share of the longer variant, that links two variants.
    pub max_edit: f64,
    /// k-grams carried by more variants than this are stock phrases and not followed.
    pub max_df: usize,
}

/// Hash of the k words starting at `i`.
pub fn kgram(keys: &[u64], i: usize, k: usize) -> u64 {
    keys[i..i + k]
        .iter()
        .fold(0x9e37_79b9_7f4a_7c15u64, |h, &w| (h.rotate_left(23) ^ w).wrapping_mul(0x2545_f491_4f6c_dd1d))
}

/// The k-grams of a list of wordings: for each k-gram, the `(k-gram, variant, position)` entries
/// holding it, in variant then position order. One flat array sorted by k-gram and a directory of
/// where each range of k-gram hashes starts in it (a k-gram's top bits pick its range, a binary
/// search within the few entries there finds it): at a million articles a hash map from each
/// k-gram to its run held twice the array again, and a map to a vector per k-gram several GB more.
pub struct KgramIndex {
    entries: Vec<(u64, u32, u32)>,
    directory: Vec<u32>,
    bits: u32,
}

impl KgramIndex {
    /// Indexes the k-grams of the variants with at least `min_len` words (and at least `k`). With
    /// `shared_only`, only the k-grams that two variants or more hold: a k-gram of one wording
    /// can link it to nothing, and most k-grams are such.
    pub fn build<V: AsRef<[u64]>>(variants: &[V], k: usize, min_len: usize, shared_only: bool) -> Self {
        let k = k.max(1);
        let wanted = |keys: &[u64]| keys.len() >= min_len.max(k);
        let total: usize =
            variants.iter().map(AsRef::as_ref).filter(|keys| wanted(keys)).map(|keys| keys.len() + 1 - k).sum();
        // With `shared_only`, the shared k-grams are found first from their hashes alone (half
        // the size of the entries, and most k-grams are held by one wording), so that entries
        // are made for those only.
        let shared: Option<ahash::AHashSet<u64>> = shared_only.then(|| {
            let mut hashes: Vec<u64> = Vec::with_capacity(total);
            let mut own: Vec<u64> = Vec::new();
            for keys in variants.iter().map(AsRef::as_ref).filter(|keys| wanted(keys)) {
                own.clear();
                own.extend((0..=keys.len() - k).map(|i| kgram(keys, i, k)));
                own.sort_unstable();
                own.dedup();
                hashes.extend_from_slice(&own);
            }
            hashes.par_sort_unstable();
            hashes.chunk_by(|a, b| a == b).filter(|run| run.len() > 1).map(|run| run[0]).collect()
        });
        let keep = |h: u64| shared.as_ref().is_none_or(|s| s.contains(&h));
        let mut entries: Vec<(u64, u32, u32)> = Vec::with_capacity(if shared.is_some() { 0 } else { total });
        for (v, keys) in variants.iter().map(AsRef::as_ref).enumerate() {
            if wanted(keys) {
                entries.extend(
                    (0..=keys.len() - k).map(|i| (kgram(keys, i, k), v as u32, i as u32)).filter(|&(h, _, _)| keep(h)),
                );
            }
        }
        entries.shrink_to_fit();
        entries.par_sort_unstable();
        // About one directory slot per entry, at most 2^24 (64 MB).
        let bits = (usize::BITS - entries.len().leading_zeros()).clamp(1, 24);
        let mut directory = vec![0u32; (1usize << bits) + 1];
        // More than 4 billion entries would not fit in memory first.
        for (i, e) in entries.iter().enumerate().rev() {
            directory[(e.0 >> (64 - bits)) as usize] = i as u32;
        }
        directory[1usize << bits] = entries.len() as u32;
        // Empty slots start where the next non-empty one does.
        for slot in (0..1usize << bits).rev() {
            let here = directory[slot] as usize;
            let next = directory[slot + 1];
            if here >= entries.len() || (entries[here].0 >> (64 - bits)) as usize != slot {
                directory[slot] = next;
            }
        }
        KgramIndex { entries, directory, bits }
    }

    /// The `(k-gram, variant, position)` entries holding k-gram `h`.
    pub fn get(&self, h: u64) -> Option<&[(u64, u32, u32)]> {
        let slot = (h >> (64 - self.bits)) as usize;
        let range = &self.entries[self.directory[slot] as usize..self.directory[slot + 1] as usize];
        let start = range.partition_point(|e| e.0 < h);
        let len = range[start..].partition_point(|e| e.0 == h);
        (len > 0).then(|| &range[start..start + len])
    }

    /// True when no k-gram is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The longest run of words two variants share, from their common k-grams: (`run`, whether the
/// shorter one lies whole in the longer).
fn longest_run(hits: &mut [(i64, u32)], k: usize) -> usize {
    hits.sort_unstable();
    let mut best = 0;
    let mut run = 0;
    for w in 0..hits.len() {
        if w > 0 && hits[w].0 == hits[w - 1].0 && hits[w].1 == hits[w - 1].1 + 1 {
            run += 1;
        } else {
            run = 1;
        }
        best = best.max(run);
    }
    if best == 0 {
        0
    } else {
        best + k - 1
    }
}

/// How many words of the shorter of two variants their shared k-grams cover: `hits` are the
/// shared k-grams as (diagonal, position in the first variant); `other_is_shorter` says which
/// side to count (a position in the other is diagonal + position).
fn covered(hits: &[(i64, u32)], other_is_shorter: bool, short: usize, k: usize) -> usize {
    let mut words = vec![false; short];
    for &(d, i) in hits {
        let at = if other_is_shorter { (d + i as i64) as usize } else { i as usize };
        for w in words.iter_mut().skip(at).take(k) {
            *w = true;
        }
    }
    words.iter().filter(|&&w| w).count()
}

/// Word-level Levenshtein distance, or `None` when it exceeds `limit` (banded, O(n·limit)).
pub fn edit_distance(a: &[u64], b: &[u64], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let inf = usize::MAX / 2;
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![inf; b.len() + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        cur.fill(inf);
        if i <= limit {
            cur[0] = i;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// Where `pattern` fits in `text` with the fewest word edits (substitutions, insertions,
/// deletions), `text` free at both ends: the span `[start, end)` of `text`, when at most
/// `limit` edits (banded by giving up once every column is over the limit).
pub fn fitting(pattern: &[u64], text: &[u64], limit: usize) -> Option<(usize, usize)> {
    // cost[j], start[j]: the best alignment of the pattern so far ending before text word j.
    let n = text.len();
    let mut cost: Vec<usize> = vec![0; n + 1];
    let mut start: Vec<usize> = (0..=n).collect();
    let (mut next_cost, mut next_start) = (vec![0; n + 1], vec![0; n + 1]);
    for (i, &p) in pattern.iter().enumerate() {
        next_cost[0] = i + 1;
        next_start[0] = 0;
        for j in 1..=n {
            let diagonal = cost[j - 1] + usize::from(p != text[j - 1]);
            let (up, left) = (cost[j] + 1, next_cost[j - 1] + 1);
            (next_cost[j], next_start[j]) = if diagonal <= up && diagonal <= left {
                (diagonal, start[j - 1])
            } else if up <= left {
                (up, start[j])
            } else {
                (left, next_start[j - 1])
            };
        }
        std::mem::swap(&mut cost, &mut next_cost);
        std::mem::swap(&mut start, &mut next_start);
        if cost.iter().all(|&c| c > limit) {
            return None;
        }
    }
    let end = (1..=n).min_by_key(|&j| (cost[j], j))?;
    (cost[end] <= limit && start[end] < end).then_some((start[end], end))
}

/// Clusters of variants: each variant's own cluster, and the clusters it may be a fragment of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// The cluster root of each variant: a variant index that is the same for all members of a
    /// cluster, linked by strong evidence (a long shared run, a small edit distance).
    pub root: Vec<usize>,
    /// For a variant that lies inside much longer variants of other clusters, the roots of those
    /// clusters (largest first, then by root): a quotation of it *may* be a fragment of one of
    /// them, which its document must confirm (see [`super::find_quotes`]). Empty for every other
    /// variant.
    pub containers: Vec<Vec<usize>>,
}

/// Groups variants (their word keys, in a fixed order) into clusters. Two variants are one quote
/// when they are of similar length and either a small word edit distance apart or the shorter
/// lies in the longer with few words changed, or when they share a run of at least `link_words`
/// words and their shared k-grams cover more than half of the shorter one (two translations of
/// one remark share several runs). Two statements that both contain a six-word stock phrase
/// share a run of six words, a small part of each, and stay apart; a quotation made mostly of
/// the phrase does not. A variant that
/// lies in a much longer one (a fragment, a cut quotation, or a stock phrase quoted on its own)
/// is never linked to it: it only lists its [`Grouping::containers`].
pub fn group<V: AsRef<[u64]> + Sync>(variants: &[V], p: LinkParams) -> Grouping {
    let k = p.k.max(1);
    let index = KgramIndex::build(variants, k, k, true);
    // Links, found in parallel and applied in a fixed order.
    let links: Vec<Vec<(usize, usize, bool)>> = (0..variants.len())
        .into_par_iter()
        .map(|v| {
            let keys = variants[v].as_ref();
            let mut hits: AHashMap<u32, Vec<(i64, u32)>> = AHashMap::new();
            for i in 0..keys.len().saturating_sub(k - 1) {
                let Some(post) = index.get(kgram(keys, i, k)) else { continue };
                if post.len() > p.max_df {
                    continue;
                }
                for &(_, w, j) in post {
                    if w as usize > v {
                        hits.entry(w).or_default().push((j as i64 - i as i64, i as u32));
                    }
                }
            }
            let mut out = Vec::new();
            let mut ws: Vec<u32> = hits.keys().copied().collect();
            ws.sort_unstable();
            for w in ws {
                let other = variants[w as usize].as_ref();
                let mut h = hits.remove(&w).unwrap_or_default();
                let run = longest_run(&mut h, k);
                let short = keys.len().min(other.len());
                let long = keys.len().max(other.len());
                let (shorter, longer) = if keys.len() <= other.len() { (keys, other) } else { (other, keys) };
                // The shorter lies in the longer, whole or with a few words changed. Aligning is
                // tried where two k-grams are shared, or one by a short variant: most pairs share
                // one k-gram by chance, and aligning each of them doubled the grouping time at 1M.
                let fits = || {
                    run >= short
                        || (long <= 400
                            && (h.len() >= 2 || short <= 2 * k)
                            && fitting(shorter, longer, (p.max_edit * short as f64).floor() as usize).is_some())
                };
                let similar = short * 10 >= long * 7 && long <= 400;
                if similar
                    && (edit_distance(keys, other, (p.max_edit * long as f64).floor() as usize).is_some() || fits())
                {
                    out.push((v, w as usize, true));
                } else if !similar && fits() {
                    out.push((v, w as usize, false));
                } else if run >= p.link_words && 2 * covered(&h, keys.len() > other.len(), short, k) > short {
                    out.push((v, w as usize, true));
                }
            }
            out
        })
        .collect();
    let mut uf = UnionFind::new(variants.len());
    for &(a, b, strong) in links.iter().flatten() {
        if strong {
            uf.union(a as u32, b as u32);
        }
    }
    let root: Vec<usize> = (0..variants.len()).map(|v| uf.find(v as u32) as usize).collect();
    let mut size = vec![0usize; variants.len()];
    for &r in &root {
        size[r] += 1;
    }
    // A variant alone in its cluster that lies whole inside longer ones lists their clusters.
    let mut containers: Vec<Vec<usize>> = vec![Vec::new(); variants.len()];
    for &(a, b, strong) in links.iter().flatten() {
        if strong {
            continue;
        }
        let (short, long) = if variants[a].as_ref().len() <= variants[b].as_ref().len() { (a, b) } else { (b, a) };
        if root[short] != root[long] && !containers[short].contains(&root[long]) {
            containers[short].push(root[long]);
        }
    }
    for c in &mut containers {
        c.sort_unstable_by_key(|&r| (std::cmp::Reverse(size[r]), r));
    }
    Grouping { root, containers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::xxh3_64;

    fn keys(s: &str) -> Vec<u64> {
        s.split_whitespace().map(|w| xxh3_64(w.as_bytes())).collect()
    }

    #[test]
    fn kgram_index_lists_every_holder_in_variant_then_position_order() {
        let holders = |index: &KgramIndex, h: u64| -> Option<Vec<(u32, u32)>> {
            index.get(h).map(|p| {
                p.iter()
                    .map(|&(g, v, i)| {
                        assert_eq!(g, h);
                        (v, i)
                    })
                    .collect()
            })
        };
        let variants = [keys("a b c a b c"), keys("x a b c"), keys("a b"), keys("q r s t u")];
        let index = KgramIndex::build(&variants, 3, 4, false);
        let abc = kgram(&variants[0], 0, 3);
        assert_eq!(holders(&index, abc), Some(vec![(0, 0), (0, 3), (1, 1)]));
        assert_eq!(holders(&index, kgram(&variants[3], 2, 3)), Some(vec![(3, 2)]));
        assert_eq!(holders(&index, kgram(&keys("b c x"), 0, 3)), None);
        // "a b" is shorter than k; with min_len 5 only the first and last variants count.
        let long = KgramIndex::build(&variants, 3, 5, false);
        assert_eq!(holders(&long, abc), Some(vec![(0, 0), (0, 3)]));
        assert!(KgramIndex::build(&variants[2..3], 3, 1, false).is_empty());
        // Shared only: "a b c" (variants 0 and 1) stays; "r s t" (variant 3 alone) goes, and so
        // does "z y x", which variant 4 alone holds twice.
        let mut more = variants.to_vec();
        more.push(keys("z y x z y x"));
        let shared = KgramIndex::build(&more, 3, 1, true);
        assert_eq!(holders(&shared, abc), Some(vec![(0, 0), (0, 3), (1, 1)]));
        assert_eq!(holders(&shared, kgram(&more[3], 2, 3)), None);
        assert_eq!(holders(&shared, kgram(&more[4], 0, 3)), None);
        assert!(KgramIndex::build(&more, 3, 1, false).get(kgram(&more[4], 0, 3)).is_some());
    }

    #[test]
    fn kgram_index_finds_every_kgram_of_many_variants() {
        // Enough entries for a directory of many slots, empty ones among them.
        let variants: Vec<Vec<u64>> = (0..3000u64).map(|v| (0..8).map(|i| v * 7 + i).collect()).collect();
        let index = KgramIndex::build(&variants, 3, 1, false);
        for (v, keys) in variants.iter().enumerate() {
            for i in 0..=keys.len() - 3 {
                let found = index.get(kgram(keys, i, 3)).unwrap();
                assert!(found.iter().any(|&(_, w, j)| (w as usize, j as usize) == (v, i)));
            }
        }
        assert!(index.get(0xdead_beef).is_none());
    }

    fn params() -> LinkParams {
        LinkParams { k: 3, link_words: 6, max_edit: 0.3, max_df: 1000 }
    }

    #[test]
    fn edit_distance_is_exact_within_the_limit() {
        let a = keys("a b c d e f");
        assert_eq!(edit_distance(&a, &keys("a b x d e f"), 3), Some(1));
        assert_eq!(edit_distance(&a, &keys("a b d e f"), 3), Some(1));
        assert_eq!(edit_distance(&a, &keys("x y z w v u"), 3), None);
        assert_eq!(edit_distance(&a, &a, 0), Some(0));
    }

    #[test]
    fn shared_runs_link_and_fragments_only_list_their_containers() {
        let v = vec![
            keys("china has made a colossal leap forward in its development"),
            keys("china has made a colossal leap ahead in its development in recent years"),
            keys("marriage of convenience"),
            keys("this is a marriage of convenience not of affection not of love"),
            keys("it was a marriage of convenience for both sides said the minister"),
            keys("something else entirely that nobody repeated anywhere"),
        ];
        let g = group(&v, params());
        assert_eq!(g.root[0], g.root[1]);
        // The short quote is linked to neither container; it lists both, which stay apart.
        assert_ne!(g.root[3], g.root[4]);
        assert_eq!(g.root[2], 2);
        assert_eq!(g.containers[2], vec![g.root[3], g.root[4]]);
        assert!(g.containers[3].is_empty() && g.containers[0].is_empty());
        assert_ne!(g.root[5], g.root[0]);
        assert_ne!(g.root[5], g.root[3]);
    }

    #[test]
    fn a_stock_phrase_does_not_chain_the_quotes_that_contain_it() {
        let stock = "slammed washington for turning ukraine into";
        let v = vec![
            keys(&format!("the minister {stock} the battlefield and said the talks were over for now")),
            keys(&format!("our leaders have always {stock} an arena of conflict with no end in sight at all")),
            keys(stock),
            // A cut quotation (the first twelve words of the first) is a fragment.
            keys(&format!("the minister {stock} the battlefield and said")),
            // Another printing of the second with three words changed: the same quote.
            keys(&format!("our leaders have often {stock} a place of conflict with no end in sight at all")),
        ];
        let g = group(&v, params());
        assert_ne!(g.root[0], g.root[1]);
        assert_eq!(g.root[1], g.root[4]);
        assert_eq!((g.root[2], g.root[3]), (2, 3));
        assert_eq!(g.containers[2], vec![g.root[1], g.root[0], g.root[3]]);
        assert_eq!(g.containers[3], vec![g.root[0]]);
        // A short quotation that is mostly the phrase fits in a quote containing it with two
        // words changed: a fragment of it at most. One that shares more than half its words in
        // a run of six without fitting links (the limit of the rule).
        let short = [v[1].clone(), keys(&format!("they {stock} ruins"))];
        let g = group(&short, params());
        assert_eq!((g.root.clone(), g.containers[1].clone()), (vec![0, 1], vec![0]));
        let mostly = [v[1].clone(), keys(&format!("they all {stock} total ruins"))];
        assert_eq!(group(&mostly, params()).root, vec![0, 0]);
    }

    #[test]
    fn small_edits_link_similar_quotes() {
        let v = vec![
            keys("we will never promise to renounce the use of force at all"),
            keys("we shall never pledge to renounce the use of force at all"),
            keys("we will never agree to anything of the kind ever again"),
        ];
        let g = group(&v, params());
        assert_eq!(g.root[0], g.root[1]);
        assert_ne!(g.root[0], g.root[2]);
    }

    #[test]
    fn fitting_finds_the_copy_with_words_changed_dropped_or_added() {
        let q = keys("we will never promise to renounce the use of force at all");
        let t = keys("yesterday he said we will always promise to renounce the use of violence at all and left");
        assert_eq!(fitting(&q, &t, 3), Some((3, 15)));
        // A word dropped and one added.
        let t = keys("so we will never ever promise renounce the use of force at all costs");
        assert_eq!(fitting(&q, &t, 3), Some((1, 13)));
        // Too many changes, or only a stock phrase in common: no fit.
        let t = keys("we shall not ever promise to give up the use of arms at all");
        assert_eq!(fitting(&q, &t, 3), None);
        let t = keys("critics said the use of force at all was wrong today");
        assert_eq!(fitting(&q, &t, 3), None);
    }
}
