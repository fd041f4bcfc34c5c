//! Quotes stage: quotations that travel between outlets, who said them, who printed them first.
//!
//! The data flows through four steps, one module each:
//! 1. [`extract`]: the quotations of every document (one pass over its characters);
//! 2. [`speaker`]: the attribution of each (`X said`, `said X`, `according to X`, …);
//! 3. [`group`]: quotations with the same words are one variant; variants sharing a long run of
//!    words or a small edit distance are one cluster, found through a k-gram index;
//! 4. here: every document is searched once more (k-gram index of the clusters' variants) for
//!    the same words printed *without* quotation marks, which also count as carrying the quote.
//!
//! Words are the [`crate::text`] tokens, with hyphenated words joined (`co-operation` =
//! `cooperation`), so punctuation, case and quote shapes never make two copies differ.

pub mod extract;
pub mod group;
pub mod lexicon;
pub mod speaker;
pub mod words;

use crate::corpus::{Doc, Texts};
use crate::error::Error;
use crate::progress::{Progress, Unit};
use crate::text;
use ahash::{AHashMap, AHashSet};
use extract::RawQuote;
use group::KgramIndex;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// Options of the quotes stage; [`Default`] gives the documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteConfig {
    /// Shortest quotation kept, in words.
    pub min_words: usize,
    /// Fewest sources (outlets; a document without a source is its own) a cluster needs to be
    /// reported. 1 reports every quotation.
    pub min_sources: usize,
    /// Shared run of words that makes two quotations variants of one quote.
    pub link_words: usize,
    /// Word edit distance, as a share of the longer quotation, under which two quotations of
    /// similar length are variants of one quote.
    pub max_edit: f64,
    /// Shortest quotation searched for where it is printed without quotation marks.
    pub min_unquoted_words: usize,
    /// Share of a quotation's words an unmarked copy must repeat in one run.
    pub unquoted_share: f64,
}

impl Default for QuoteConfig {
    fn default() -> Self {
        QuoteConfig {
            min_words: 3,
            min_sources: 2,
            link_words: 6,
            max_edit: 0.3,
            min_unquoted_words: 6,
            unquoted_share: 0.5,
        }
    }
}

impl QuoteConfig {
    /// Checks that the options make sense; the message names the bad option.
    pub fn validate(&self) -> Result<(), Error> {
        if self.min_words == 0 {
            return Err(Error::Option("--min-words must be at least 1".into()));
        }
        if self.min_sources == 0 {
            return Err(Error::Option("--min-sources must be at least 1".into()));
        }
        if self.link_words == 0 {
            return Err(Error::Option("--link-words must be at least 1".into()));
        }
        if !(0.0..1.0).contains(&self.max_edit) {
            return Err(Error::Option(format!("--max-edit must be in [0, 1), not {}", self.max_edit)));
        }
        if !(0.0..=1.0).contains(&self.unquoted_share) || self.unquoted_share == 0.0 {
            return Err(Error::Option(format!("unquoted share must be in (0, 1], not {}", self.unquoted_share)));
        }
        Ok(())
    }
}

/// One place a quote appears.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// Index of the document in the corpus.
    pub doc: u32,
    /// Code-point offset of the first quoted character (end exclusive below).
    pub start: usize,
    /// Code-point offset one past the last quoted character.
    pub end: usize,
    /// The same span in UTF-8 bytes.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
    /// Code-point spans of the quoted fragments when an attribution breaks the quotation
    /// (`“…,” he said, “…”`); empty when it is one piece.
    pub fragments: Vec<(usize, usize)>,
    /// The original text from `byte_start` to `byte_end` (with the attribution between
    /// fragments, when there is one), kept so that reports need no document text.
    pub text: String,
    /// Whether the words stand between quotation marks here.
    pub quoted: bool,
    /// Who this document says spoke the words.
    pub speaker: Option<String>,
    /// Index of the variant (distinct wording) this occurrence has, in [`QuoteCluster::variants`].
    pub variant: usize,
}

/// One distinct wording of a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The words as first printed (fragments joined by a space).
    pub text: String,
    /// How many occurrences have this wording.
    pub occurrences: usize,
}

/// A quote: its variants and every occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteCluster {
    /// 1-based rank: most sources first.
    pub id: usize,
    /// Canonical text: the variant found inside the occurrences of the most sources (then the
    /// longest).
    pub text: String,
    /// The speaker most occurrences name (ties: the earliest occurrence's).
    pub speaker: Option<String>,
    /// Distinct sources carrying it.
    pub sources: usize,
    /// Distinct documents carrying it.
    pub documents: usize,
    /// Index into `occurrences` of the first appearance, when some occurrence has a date.
    pub first: Option<usize>,
    /// Distinct wordings, most common first.
    pub variants: Vec<Variant>,
    /// Every occurrence: by date (undated last), then document order, then position.
    pub occurrences: Vec<Occurrence>,
}

/// What the quotes stage found.
#[derive(Debug, Clone, Default)]
pub struct QuoteResult {
    /// Quotations extracted (with at least `min_words` words).
    pub extracted: usize,
    /// Clusters of all sizes before the `min_sources` filter.
    pub clusters_total: usize,
    /// Occurrences found without quotation marks.
    pub unquoted: usize,
    /// Reported clusters, most widely shared first.
    pub clusters: Vec<QuoteCluster>,
}

/// A word k-gram found in more distinct wordings than this is a stock phrase ("said in a
/// statement that the"), not evidence that two quotations are one: it is not followed, neither
/// for grouping nor for unmarked copies. Distinct wordings, not occurrences: a quote reprinted
/// 10,000 times word for word is one wording. A higher cap spends most of the time following
/// stock phrases (BENCHMARKS.md, "Measurements behind design choices").
const MAX_VARIANT_DF: usize = 64;

/// A word for quote matching: byte span and key.
#[derive(Debug, Clone, Copy)]
struct Word {
    byte_start: usize,
    byte_end: usize,
    key: u64,
}

/// The words of `text`: its tokens, with `a-b` joined into one word whose key is that of `ab`.
fn words(text: &str) -> Vec<Word> {
    let toks: Vec<text::Token> = text::tokens(text).collect();
    let bytes = text.as_bytes();
    let mut out: Vec<Word> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        while j + 1 < toks.len()
            && toks[j].byte_end + 1 == toks[j + 1].byte_start
            && bytes[toks[j].byte_end] == b'-'
            && !text[toks[j].byte_start..toks[j].byte_end].bytes().all(|b| b.is_ascii_digit())
        {
            j += 1;
        }
        if j == i {
            out.push(Word { byte_start: toks[i].byte_start, byte_end: toks[i].byte_end, key: toks[i].hash });
        } else {
            let joined: String =
                (i..=j).map(|t| text::normalize(&text[toks[t].byte_start..toks[t].byte_end])).collect();
            out.push(Word {
                byte_start: toks[i].byte_start,
                byte_end: toks[j].byte_end,
                key: xxh3_64(joined.as_bytes()),
            });
        }
        i = j + 1;
    }
    out
}

/// Indices of the words inside `[start, end)` bytes.
fn words_in(ws: &[Word], start: usize, end: usize) -> std::ops::Range<usize> {
    let a = ws.partition_point(|w| w.byte_start < start);
    let b = ws.partition_point(|w| w.byte_start < end);
    a..b.max(a)
}

/// A quotation ready for grouping.
struct Found {
    doc: u32,
    raw: RawQuote,
    speaker: Option<String>,
    keys: Vec<u64>,
    quoted: bool,
}

/// Extracts, attributes and keys the quotations of one document.
fn doc_quotes(doc: u32, text: &str, min_words: usize) -> Vec<Found> {
    let raws = extract::quotations(text);
    if raws.is_empty() {
        return Vec::new();
    }
    let speakers = speaker::speakers(text, &raws);
    let ws = words(text);
    raws.into_iter()
        .zip(speakers)
        .filter_map(|(raw, speaker)| {
            let keys: Vec<u64> =
                raw.fragments.iter().flat_map(|&(s, e)| ws[words_in(&ws, s, e)].iter().map(|w| w.key)).collect();
            (keys.len() >= min_words).then_some(Found { doc, raw, speaker, keys, quoted: true })
        })
        .collect()
}

/// Finds the quotes of `docs` shared by at least `cfg.min_sources` sources. `texts` gives
/// document `i`'s text (from memory, or read back where the corpus moved it out): each text is
/// read twice, once for its quotations and once for their unmarked copies, and the documents
/// holding reported quotations once more, to place them. No text is held longer.
pub fn find_quotes<X: Texts + ?Sized>(
    docs: &[Doc],
    texts: &X,
    cfg: &QuoteConfig,
    progress: &dyn Progress,
) -> QuoteResult {
    progress.start("quotations", Some(docs.len() as u64), Unit::Docs);
    let mut found: Vec<Found> = (0..docs.len())
        .into_par_iter()
        .map_init(String::new, |buf, d| {
            let f = doc_quotes(d as u32, texts.text(d, buf), cfg.min_words);
            progress.advance(1);
            f
        })
        .flatten()
        .collect();
    progress.finish();
    let extracted = found.len();

    progress.start("grouping", None, Unit::Docs);
    let (variant_of, first) = variants_of(&found);
    let variants = wordings(&found, &first);
    let params = group::LinkParams {
        k: cfg.min_words.min(3),
        link_words: cfg.link_words,
        max_edit: cfg.max_edit,
        max_df: MAX_VARIANT_DF,
    };
    let roots = group::group(&variants, params);
    progress.finish();

    progress.start("unquoted", Some(docs.len() as u64), Unit::Docs);
    let unquoted = find_unquoted(docs.len(), texts, &found, &variants, &roots, cfg, progress);
    drop(variants);
    progress.finish();
    let n_unquoted = unquoted.len();
    let mut variant_of = variant_of;
    for (f, v) in unquoted {
        found.push(f);
        variant_of.push(v);
    }
    // Members of each cluster, by root.
    let mut members: AHashMap<usize, Vec<usize>> = AHashMap::new();
    for (i, &v) in variant_of.iter().enumerate() {
        members.entry(roots[v]).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    groups.sort_unstable_by_key(|g| g.iter().min().copied());
    let clusters_total = groups.len();
    // Each cluster's sources, counted once: for the filter and for its record.
    let (groups, sources): (Vec<Vec<usize>>, Vec<usize>) = groups
        .into_iter()
        .map(|g| {
            let n = source_count(docs, &found, &g);
            (g, n)
        })
        .filter(|&(_, n)| n >= cfg.min_sources)
        .unzip();
    let located = locate_all(texts, &found, &groups);
    let variants = wordings(&found, &first);
    let mut clusters: Vec<QuoteCluster> = groups
        .par_iter()
        .zip(&sources)
        .map(|(g, &n)| build_cluster(docs, &found, &variant_of, &variants, g, n, &located))
        .collect();
    clusters.sort_by(|a, b| {
        (b.sources, b.documents, b.occurrences.len()).cmp(&(a.sources, a.documents, a.occurrences.len())).then_with(
            || {
                let key = |c: &QuoteCluster| c.occurrences.iter().map(|o| (o.doc, o.start)).min();
                key(a).cmp(&key(b))
            },
        )
    });
    for (i, c) in clusters.iter_mut().enumerate() {
        c.id = i + 1;
    }
    QuoteResult { extracted, clusters_total, unquoted: n_unquoted, clusters }
}

/// Each wording's words: those of its first quotation, looked at through `found`, not copied.
fn wordings<'a>(found: &'a [Found], first: &[u32]) -> Vec<&'a [u64]> {
    first.iter().map(|&i| &found[i as usize].keys[..]).collect()
}

/// The distinct wordings: each quotation's variant index, and for each variant (in order of first
/// appearance) the quotation that first has it.
fn variants_of(found: &[Found]) -> (Vec<usize>, Vec<u32>) {
    let mut ids: AHashMap<&[u64], usize> = AHashMap::new();
    let mut first: Vec<u32> = Vec::new();
    let of = found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            *ids.entry(&f.keys).or_insert_with(|| {
                first.push(i as u32);
                first.len() - 1
            })
        })
        .collect();
    (of, first)
}

/// Occurrences of the clusters' wordings printed without quotation marks: runs of at least
/// `min_unquoted_words` words (and `unquoted_share` of the wording) outside every quotation.
fn find_unquoted<X: Texts + ?Sized>(
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
fn unquoted_in_doc(
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

/// Byte offset → code-point offset, for offsets in ascending order.
fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_unstable_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    let (mut b, mut c) = (0usize, 0usize);
    for i in order {
        let target = bytes[i].min(text.len());
        c += text[b..target].chars().count();
        b = target;
        out[i] = c;
    }
    out
}

fn source_key(docs: &[Doc], d: u32) -> &str {
    let doc = &docs[d as usize];
    doc.source.as_deref().unwrap_or(&doc.id)
}

/// Sources (outlets; a document without one is its own) among the quotations `members`.
fn source_count(docs: &[Doc], found: &[Found], members: &[usize]) -> usize {
    members.iter().map(|&m| source_key(docs, found[m].doc)).collect::<AHashSet<_>>().len()
}

fn quote_text(text: &str, raw: &RawQuote) -> String {
    raw.fragments.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>().join(" ")
}

/// What a reported quotation needs from its document's text.
struct Located {
    /// Code-point offsets of the quotation's start and end, then of each fragment's.
    chars: Vec<usize>,
    /// The quoted words, fragments joined by a space.
    words: String,
    /// The original text from start to end.
    printed: String,
}

fn locate(text: &str, raw: &RawQuote) -> Located {
    let mut offs: Vec<usize> = vec![raw.start(), raw.end()];
    for &(s, e) in &raw.fragments {
        offs.push(s);
        offs.push(e);
    }
    Located {
        chars: char_offsets(text, &offs),
        words: quote_text(text, raw),
        printed: text.get(raw.start()..raw.end()).unwrap_or("").to_string(),
    }
}

/// Places every quotation of `groups` in its document's text: each document holding one is
/// read once, documents in parallel.
fn locate_all<X: Texts + ?Sized>(texts: &X, found: &[Found], groups: &[Vec<usize>]) -> AHashMap<usize, Located> {
    let mut wanted: Vec<usize> = groups.iter().flatten().copied().collect();
    wanted.sort_unstable_by_key(|&m| (found[m].doc, m));
    let by_doc: Vec<&[usize]> = wanted.chunk_by(|&a, &b| found[a].doc == found[b].doc).collect();
    by_doc
        .par_iter()
        .map_init(String::new, |buf, run| {
            let text = texts.text(found[run[0]].doc as usize, buf);
            run.iter().map(|&m| (m, locate(text, &found[m].raw))).collect::<Vec<_>>()
        })
        .flatten()
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Whether `needle` occurs as a contiguous run in `hay`.
fn contains_run(hay: &[u64], needle: &[u64]) -> bool {
    needle.is_empty() || (needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle))
}

/// The cluster of quotations `members` (indices into `found`), held by `sources` sources.
fn build_cluster(
    docs: &[Doc],
    found: &[Found],
    variant_of: &[usize],
    variants: &[&[u64]],
    members: &[usize],
    sources: usize,
    located: &AHashMap<usize, Located>,
) -> QuoteCluster {
    let mut members = members.to_vec();
    members.sort_by(|&a, &b| {
        let (fa, fb) = (&found[a], &found[b]);
        let da = docs[fa.doc as usize].date.as_deref();
        let db = docs[fb.doc as usize].date.as_deref();
        (da.is_none(), da, fa.doc, fa.raw.start()).cmp(&(db.is_none(), db, fb.doc, fb.raw.start()))
    });
    // Distinct wordings of this cluster, most common first (then first seen).
    let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (variant, count, first member rank)
    for (rank, &m) in members.iter().enumerate() {
        let v = variant_of[m];
        match counts.iter_mut().find(|c| c.0 == v) {
            Some(c) => c.1 += 1,
            None => counts.push((v, 1, rank)),
        }
    }
    counts.sort_by_key(|c| (std::cmp::Reverse(c.1), c.2));
    let local: AHashMap<usize, usize> = counts.iter().enumerate().map(|(i, c)| (c.0, i)).collect();

    // Canonical wording: found inside the occurrences of the most sources, then the longest.
    let candidates = &counts[..counts.len().min(64)];
    let mut best: Option<(usize, usize, usize)> = None; // (sources, words, index in counts)
    for (ci, c) in candidates.iter().enumerate() {
        let keys = &variants[c.0];
        let mut srcs: AHashSet<&str> = AHashSet::new();
        for &m in &members {
            let hay = &found[m].keys;
            if hay.len() <= 4000 && contains_run(hay, keys) {
                srcs.insert(source_key(docs, found[m].doc));
            }
        }
        let cand = (srcs.len(), keys.len(), ci);
        if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
            best = Some(cand);
        }
    }
    let canon_variant = counts[best.map_or(0, |b| b.2)].0;

    let mut occurrences = Vec::with_capacity(members.len());
    let mut speaker_votes: Vec<(String, usize, usize)> = Vec::new();
    let mut texts: AHashMap<usize, String> = AHashMap::new();
    for (rank, &m) in members.iter().enumerate() {
        let f = &found[m];
        let at = &located[&m];
        let chars = &at.chars;
        let fragments =
            if f.raw.fragments.len() > 1 { chars[2..].chunks(2).map(|p| (p[0], p[1])).collect() } else { Vec::new() };
        texts.entry(variant_of[m]).or_insert_with(|| at.words.clone());
        if let Some(s) = &f.speaker {
            match speaker_votes.iter_mut().find(|v| &v.0 == s) {
                Some(v) => v.1 += 1,
                None => speaker_votes.push((s.clone(), 1, rank)),
            }
        }
        occurrences.push(Occurrence {
            doc: f.doc,
            start: chars[0],
            end: chars[1],
            byte_start: f.raw.start(),
            byte_end: f.raw.end(),
            fragments,
            text: at.printed.clone(),
            quoted: f.quoted,
            speaker: f.speaker.clone(),
            variant: local[&variant_of[m]],
        });
    }
    speaker_votes.sort_by_key(|v| (std::cmp::Reverse(v.1), v.2));
    let documents: AHashSet<u32> = members.iter().map(|&m| found[m].doc).collect();
    let first = docs[occurrences[0].doc as usize].date.as_ref().map(|_| 0);
    QuoteCluster {
        id: 0,
        text: texts[&canon_variant].clone(),
        speaker: speaker_votes.first().map(|v| v.0.clone()),
        sources,
        documents: documents.len(),
        first,
        variants: counts.iter().map(|c| Variant { text: texts[&c.0].clone(), occurrences: c.1 }).collect(),
        occurrences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_match_their_joined_form() {
        let a = words("co-operation and peace");
        let b = words("cooperation and peace");
        assert_eq!(a.iter().map(|w| w.key).collect::<Vec<_>>(), b.iter().map(|w| w.key).collect::<Vec<_>>());
        assert_eq!(a[0].byte_end, "co-operation".len());
        // Number ranges stay apart.
        assert_eq!(words("1987-88 season").len(), 3);
    }

    #[test]
    fn char_offsets_follow_multibyte_text() {
        let t = "é “ü” x";
        let b = [t.find('ü').unwrap(), t.find('x').unwrap()];
        assert_eq!(char_offsets(t, &b), vec![3, 6]);
    }
}
