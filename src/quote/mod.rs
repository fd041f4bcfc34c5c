//! Quotes stage: quotations that travel between outlets, who said them, who printed them first.
//!
//! The data flows through four steps, one module each:
//! 1. [`extract`]: the quotations of every document (one pass over its characters);
//! 2. [`speaker`]: the attribution of each (`X said`, `said X`, `according to X`, …);
//! 3. [`group`]: quotations with the same words are one variant; variants sharing a long run of
//!    words or a small edit distance are one cluster, found through a k-gram index; a variant
//!    lying whole inside others joins one of their clusters only where its document confirms it;
//! 4. [`unquoted`]: every document is searched once more (k-gram index of the clusters' variants) for
//!    the same words printed *without* quotation marks, which also count as carrying the quote.
//!
//! Words are the [`crate::text`] tokens, with hyphenated words joined (`co-operation` =
//! `cooperation`), so punctuation, case and quote shapes never make two copies differ.

pub mod cjk;
pub mod extract;
pub mod group;
mod keys;
pub mod lexicon;
pub mod names;
pub mod speaker;
pub mod unquoted;
pub mod words;

use crate::corpus::{Doc, Texts};
use crate::error::Error;
use crate::progress::{Progress, Unit};
use ahash::{AHashMap, AHashSet};
use extract::RawQuote;
use keys::{words, words_in};
use rayon::prelude::*;
use unquoted::find_unquoted;

/// Options of the quotes stage; [`Default`] gives the documented defaults.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuoteConfig {
    /// Shortest quotation kept, in words.
    pub min_words: usize,
    /// Fewest sources (outlets; a document without a source is its own) a cluster needs to be
    /// reported. 1 reports every quotation.
    pub min_sources: usize,
    /// Shared run of words that makes two quotations variants of one quote, when their shared
    /// 3-word-grams also cover more than half of the shorter one.
    pub link_words: usize,
    /// Word edit distance, as a share of the longer quotation, under which two quotations of
    /// similar length are variants of one quote; as a share of a shorter one, how far it may
    /// differ from the part of a longer one it fits in (a fragment), and as a share of a
    /// quotation, how far an unmarked copy of it may differ.
    pub max_edit: f64,
    /// Shortest quotation searched for where it is printed without quotation marks.
    pub min_unquoted_words: usize,
    /// Share of a quotation's words a partial unmarked copy must repeat in one run (a partial
    /// copy counts only where its document carries the quote or names its speaker).
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

/// A quotation ready for grouping.
struct Found {
    doc: u32,
    raw: Span,
    speaker: Option<String>,
    keys: Box<[u64]>,
    quoted: bool,
    /// An unmarked copy of only part of its wording: it needs its document's confirmation.
    partial: bool,
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
        .filter_map(|(raw, mut speaker)| {
            let keys: Vec<u64> =
                raw.fragments.iter().flat_map(|&(s, e)| ws[words_in(&ws, s, e)].iter().map(|w| w.key)).collect();
            if keys.len() < min_words {
                return None;
            }
            // Millions of these are held until the end: no spare capacity (a vector grown by
            // doubling keeps up to half of its buffer unused), no capacity field.
            let keys = keys.into_boxed_slice();
            if let Some(s) = speaker.as_mut() {
                s.shrink_to_fit();
            }
            Some(Found { doc, raw: Span::of(raw), speaker, keys, quoted: true, partial: false })
        })
        .collect()
}

/// Where a quotation stands: as much of its [`RawQuote`] as the steps after extraction need,
/// without spare capacity (six million of them at a million articles).
struct Span {
    /// The quoted pieces, as byte ranges.
    fragments: Box<[(usize, usize)]>,
    /// Byte offset of the opening mark.
    open: usize,
    /// Byte offset just after the closing mark.
    close: usize,
}

impl Span {
    fn of(raw: RawQuote) -> Self {
        Span { fragments: raw.fragments.into_boxed_slice(), open: raw.open, close: raw.close }
    }

    /// Byte offset where the quoted text starts.
    fn start(&self) -> usize {
        self.fragments[0].0
    }

    /// Byte offset where the quoted text ends.
    fn end(&self) -> usize {
        self.fragments[self.fragments.len() - 1].1
    }
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
    let grouping = group::group(&variants, params);
    progress.finish();

    progress.start("unquoted", Some(docs.len() as u64), Unit::Docs);
    let unquoted = find_unquoted(docs.len(), texts, &found, &variants, &grouping.root, cfg, progress);
    drop(variants);
    progress.finish();
    let mut variant_of = variant_of;
    found.reserve_exact(unquoted.len());
    variant_of.reserve_exact(unquoted.len());
    for (f, v) in unquoted {
        found.push(f);
        variant_of.push(v);
    }
    // Members of each cluster, by root; unconfirmed partial copies belong to none.
    let mut members: AHashMap<usize, Vec<usize>> = AHashMap::new();
    for (i, c) in clusters_of(&found, &variant_of, &grouping).into_iter().enumerate() {
        if let Some(c) = c {
            members.entry(c).or_default().push(i);
        }
    }
    let n_unquoted = members.values().flatten().filter(|&&i| !found[i].quoted).count();
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

/// The cluster (root) of each quotation: its variant's, or for a variant that lies inside other
/// quotes (a fragment, a cut quotation, a stock phrase quoted on its own), the first of their
/// clusters that the quotation's own document confirms: it carries a full quotation or copy of
/// that cluster too, or names the speaker that cluster's quotations name most (the surname
/// alone will do, another given name will not). An
/// unconfirmed fragment stays a quote of its own: thirty articles that quote only "of economic
/// partnership" are not thirty printings of a statement that ends with those words. A partial
/// unmarked copy needs the same confirmation of its own cluster, or belongs to none.
fn clusters_of(found: &[Found], variant_of: &[usize], g: &group::Grouping) -> Vec<Option<usize>> {
    let mut wanted: AHashSet<usize> = g.containers.iter().flatten().copied().collect();
    wanted.extend(found.iter().zip(variant_of).filter(|(f, _)| f.partial).map(|(_, &v)| g.root[v]));
    if wanted.is_empty() {
        return variant_of.iter().map(|&v| Some(g.root[v])).collect();
    }
    let mut held: AHashSet<(u32, usize)> = AHashSet::new();
    let mut votes: AHashMap<usize, AHashMap<&str, usize>> = AHashMap::new();
    for (f, &v) in found.iter().zip(variant_of) {
        let r = g.root[v];
        if wanted.contains(&r) && !f.partial {
            held.insert((f.doc, r));
            if let Some(name) = f.speaker.as_deref() {
                *votes.entry(r).or_default().entry(name).or_default() += 1;
            }
        }
    }
    // The name each cluster's quotations give most (ties: the first in order of names).
    let speaker_of: AHashMap<usize, &str> = votes
        .into_iter()
        .filter_map(|(r, names)| {
            let best = names.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
            Some((r, best.0))
        })
        .collect();
    found
        .iter()
        .zip(variant_of)
        .map(|(f, &v)| {
            let confirms = |c: usize| {
                held.contains(&(f.doc, c))
                    || f.speaker.as_deref().zip(speaker_of.get(&c)).is_some_and(|(a, b)| names::same_person(a, b))
            };
            if f.partial {
                return Some(g.root[v]).filter(|&c| confirms(c));
            }
            Some(g.containers[v].iter().copied().find(|&c| confirms(c)).unwrap_or(g.root[v]))
        })
        .collect()
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

fn quote_text(text: &str, raw: &Span) -> String {
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

fn locate(text: &str, raw: &Span) -> Located {
    let mut offs: Vec<usize> = vec![raw.start(), raw.end()];
    for &(s, e) in raw.fragments.iter() {
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
    fn char_offsets_follow_multibyte_text() {
        let t = "é “ü” x";
        let b = [t.find('ü').unwrap(), t.find('x').unwrap()];
        assert_eq!(char_offsets(t, &b), vec![3, 6]);
    }
}
