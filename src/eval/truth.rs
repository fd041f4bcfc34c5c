//! The truth and results files `reprint eval` and `reprint bench` score: one typed record per
//! kind of planted reuse ([`TruthRecord`], which `reprint synth` writes), and the readers for
//! every truth and results file eval accepts.
//!
//! Truth lines are recognised by their fields: a `type` of [`TruthRecord`] (what `reprint synth`
//! writes), `{"cluster": [ids]}` (exact-duplicate clusters), `{"a","a_start","a_end","b",
//! "b_start","b_end"}` (passages, as PAN's truth), and `{"a","b",…}` (pairs: positive when `reuse`
//! is true, when `jaccard` ≥ the threshold, or, with neither field, always, as in PAN's
//! truth_pairs). Results lines are reprint's JSON Lines or a peer's `{"a","b","score"}`.

use super::quotes::QuoteOccurrence;
use super::{pair_key, PairKey, Spans, TruthPair};
use crate::error::{Error, Result};
use crate::neardup::cluster::clusters;
use ahash::{AHashMap, AHashSet};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One line of a truth file as `reprint synth` writes it: a `type` field names the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum TruthRecord {
    /// Two related documents.
    Pair(PlantedPair),
    /// A passage copied from one document into another.
    Passage(PlantedPassage),
    /// One occurrence of a travelling quote.
    Quote(PlantedQuote),
    /// A source's footer: what must not be reported as reuse.
    Boilerplate(PlantedFooter),
}

/// A planted pair, as `reprint synth` writes it to `truth.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedPair {
    /// The earlier document.
    pub a: String,
    /// The copy.
    pub b: String,
    /// `near_duplicate`, `contained` or `passage` (a planted passage; see [`PlantedPassage`]).
    #[serde(default)]
    pub relation: String,
    /// Share of words edited (near-duplicates).
    #[serde(default)]
    pub edit: f64,
    /// Exact Jaccard of the shingle sets (synth always writes it; a hand-written pair may not).
    pub jaccard: Option<f64>,
    /// Exact containment of the smaller in the larger.
    #[serde(default)]
    pub containment: f64,
    /// Whether the pair is reuse, when a hand-written truth says so (synth never writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<bool>,
}

/// A planted passage, as `reprint synth` writes it to `truth.jsonl`: character offsets (code points, end
/// exclusive) of the copied words in the earlier document `a` and in the copy `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedPassage {
    /// The earlier document.
    pub a: String,
    /// Start in `a`.
    pub a_start: usize,
    /// End in `a`.
    pub a_end: usize,
    /// The document the passage was copied into.
    pub b: String,
    /// Start in `b`.
    pub b_start: usize,
    /// End in `b`.
    pub b_end: usize,
    /// Words copied.
    #[serde(default)]
    pub words: usize,
    /// Words changed in the copy.
    #[serde(default)]
    pub edits: usize,
}

/// One occurrence of a travelling quote, as `reprint synth` writes it to `truth.jsonl`: the quoted words' span
/// (code points, end exclusive) in document `doc`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedQuote {
    /// The quote's number: occurrences with the same number are one quote.
    pub quote: usize,
    /// The document carrying it.
    pub doc: String,
    /// Start of the quoted words.
    pub start: usize,
    /// End of the quoted words.
    pub end: usize,
    /// Whether it is printed between quotation marks.
    #[serde(default)]
    pub quoted: bool,
    /// Who said it (the text may name only the surname; synth always names someone).
    pub speaker: Option<String>,
    /// Words changed from the quote's first printing.
    #[serde(default)]
    pub edits: usize,
    /// Whether an attribution stands between two pieces of the quotation (the span covers both
    /// and the attribution between them).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub split: bool,
}

/// An outlet's footer under one of its articles, as `reprint synth` writes it to `truth.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedFooter {
    /// The document.
    #[serde(default)]
    pub doc: String,
    /// Its outlet.
    #[serde(default)]
    pub source: String,
    /// Start of the footer (code points).
    #[serde(default)]
    pub start: usize,
    /// End of the footer.
    #[serde(default)]
    pub end: usize,
}

/// Truth records read from files.
#[derive(Default)]
pub struct Truth {
    /// Labelled pairs (positive or not).
    pub pairs: Vec<TruthPair>,
    /// Clusters of exact duplicates, as ids.
    pub clusters: Vec<Vec<String>>,
    /// Passages, by pair.
    pub passages: AHashMap<PairKey, Vec<Spans>>,
    /// Quote occurrences.
    pub quotes: Vec<QuoteOccurrence>,
    /// Quote numbers seen so far (to mark each quote's first occurrence).
    quote_ids: ahash::AHashSet<usize>,
}

impl Truth {
    /// Adds one typed record (a pair's label: [`is_positive`]).
    fn add(&mut self, record: TruthRecord, threshold: f64) {
        match record {
            TruthRecord::Pair(p) => {
                let positive = is_positive(p.reuse, p.jaccard, threshold);
                self.pairs.push(TruthPair { key: pair_key(&p.a, &p.b), jaccard: p.jaccard, positive });
            }
            TruthRecord::Passage(p) => self
                .passages
                .entry(pair_key(&p.a, &p.b))
                .or_default()
                .push(vec![(p.a.clone(), p.a_start, p.a_end), (p.b.clone(), p.b_start, p.b_end)]),
            TruthRecord::Quote(q) => {
                // A quote's occurrences are listed in order of publication: the first is its
                // first appearance.
                let first = self.quote_ids.insert(q.quote);
                self.quotes.push(QuoteOccurrence {
                    doc: q.doc,
                    start: q.start,
                    end: q.end,
                    quote: q.quote.to_string(),
                    speaker: q.speaker,
                    quoted: q.quoted,
                    edits: q.edits,
                    first,
                })
            }
            // Footers are what reprint must not report as reuse, not a pair.
            TruthRecord::Boilerplate(_) => {}
        }
    }
}

/// Results read from a file.
#[derive(Default)]
pub struct Found {
    /// Pairs reported.
    pub pairs: AHashSet<PairKey>,
    /// Clusters reported (a peer's: the connected components of its pairs).
    pub clusters: Vec<Vec<String>>,
    /// Passages reported, by pair (boilerplate left out).
    pub passages: AHashMap<PairKey, Vec<Spans>>,
    /// Quote occurrences reported.
    pub quotes: Vec<QuoteOccurrence>,
    /// Lines read.
    pub lines: usize,
}

/// The JSON lines of `path` (blank lines skipped), with their line numbers.
fn lines(path: &str) -> Result<Vec<(usize, Value)>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("cannot read {path}"), e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| Error::line(path, i + 1, format!("malformed JSON: {e}")))?;
        out.push((i + 1, v));
    }
    Ok(out)
}

/// Field `k` of line `line` as a string.
fn str_field<'a>(v: &'a Value, k: &str, path: &str, line: usize) -> Result<&'a str> {
    v[k].as_str().ok_or_else(|| Error::line(path, line, format!("field `{k}` missing or not a string")))
}

/// Field `k` of line `line` as a count.
fn num_field(v: &Value, k: &str, path: &str, line: usize) -> Result<usize> {
    v[k].as_u64()
        .map(|x| x as usize)
        .ok_or_else(|| Error::line(path, line, format!("field `{k}` missing or not a number")))
}

/// The two spans of a passage record whose documents are `a` and `b`.
fn spans(v: &Value, a: &str, b: &str, path: &str, line: usize) -> Result<Spans> {
    Ok(vec![
        (a.to_string(), num_field(v, "a_start", path, line)?, num_field(v, "a_end", path, line)?),
        (b.to_string(), num_field(v, "b_start", path, line)?, num_field(v, "b_end", path, line)?),
    ])
}

/// Reads truth files (see the module documentation for the kinds of records).
pub fn read_truth(paths: &[String], threshold: f64) -> Result<Truth> {
    let mut t = Truth::default();
    for path in paths {
        for (line, v) in lines(path)? {
            if let Some(members) = v["cluster"].as_array() {
                let ids: Vec<String> = members.iter().filter_map(|m| m.as_str().map(str::to_string)).collect();
                for (i, x) in ids.iter().enumerate() {
                    for y in &ids[i + 1..] {
                        t.pairs.push(TruthPair { key: pair_key(x, y), jaccard: None, positive: true });
                    }
                }
                t.clusters.push(ids);
                continue;
            }
            if matches!(v["type"].as_str(), Some("pair" | "passage" | "quote" | "boilerplate")) {
                let record: TruthRecord =
                    serde_json::from_value(v).map_err(|e| Error::line(path, line, e.to_string()))?;
                t.add(record, threshold);
                continue;
            }
            let (a, b) = (str_field(&v, "a", path, line)?, str_field(&v, "b", path, line)?);
            if v.get("a_start").is_some() {
                t.passages.entry(pair_key(a, b)).or_default().push(spans(&v, a, b, path, line)?);
                continue;
            }
            let jaccard = v["jaccard"].as_f64();
            let positive = is_positive(v["reuse"].as_bool(), jaccard, threshold);
            t.pairs.push(TruthPair { key: pair_key(a, b), jaccard, positive });
        }
    }
    Ok(t)
}

/// Whether a truth pair is reuse: as its `reuse` says; else when its `jaccard` reaches
/// `threshold`; with neither, always (PAN's truth_pairs list only reuse).
fn is_positive(reuse: Option<bool>, jaccard: Option<f64>, threshold: f64) -> bool {
    match (reuse, jaccard) {
        (Some(r), _) => r,
        (None, Some(j)) => j >= threshold,
        (None, None) => true,
    }
}

/// Reads results: reprint's JSON Lines or a peer's pairs.
pub fn read_found(path: &str, all_pairs: bool) -> Result<Found> {
    let mut f = Found::default();
    let mut had_clusters = false;
    for (line, v) in lines(path)? {
        f.lines += 1;
        match v["type"].as_str() {
            Some("summary") | Some("quote_summary") => {}
            Some("quote") => {
                let id = v["id"].to_string();
                let occ =
                    v["occurrences"].as_array().ok_or_else(|| Error::line(path, line, "quote without occurrences"))?;
                // The occurrence named as first seen: the first one listed in that document.
                let first_doc = v["first_seen"]["doc"].as_str();
                let first_seen = first_doc.and_then(|d| occ.iter().position(|o| o["doc"].as_str() == Some(d)));
                for (i, o) in occ.iter().enumerate() {
                    f.quotes.push(QuoteOccurrence {
                        doc: str_field(o, "doc", path, line)?.to_string(),
                        start: num_field(o, "start", path, line)?,
                        end: num_field(o, "end", path, line)?,
                        quote: id.clone(),
                        speaker: o["speaker"].as_str().map(str::to_string),
                        quoted: o["quoted"].as_bool().unwrap_or(true),
                        edits: 0,
                        first: first_seen == Some(i),
                    });
                }
            }
            Some("cluster") => {
                had_clusters = true;
                let ids = v["members"].as_array().ok_or_else(|| Error::line(path, line, "cluster without members"))?;
                f.clusters.push(ids.iter().filter_map(|m| m.as_str().map(str::to_string)).collect());
            }
            _ => {
                let (a, b) = (str_field(&v, "a", path, line)?, str_field(&v, "b", path, line)?);
                let key = pair_key(a, b);
                let passage_only = v["found_by"] == "passage";
                if all_pairs || !passage_only {
                    f.pairs.insert(key.clone());
                }
                for p in v["passages"].as_array().into_iter().flatten() {
                    if p["boilerplate"] != true {
                        f.passages.entry(key.clone()).or_default().push(spans(p, a, b, path, line)?);
                    }
                }
            }
        }
    }
    if !had_clusters {
        // A peer's pairs: clusters are their connected components.
        let ids: Vec<&String> = f.pairs.iter().flat_map(|(a, b)| [a, b]).collect::<AHashSet<_>>().into_iter().collect();
        let mut sorted = ids;
        sorted.sort();
        let index: AHashMap<&String, u32> = sorted.iter().enumerate().map(|(i, d)| (*d, i as u32)).collect();
        let edges: Vec<(u32, u32)> = f.pairs.iter().map(|(a, b)| (index[a], index[b])).collect();
        f.clusters = clusters(sorted.len(), edges)
            .into_iter()
            .map(|c| c.members.iter().map(|&m| sorted[m as usize].clone()).collect())
            .collect();
    }
    Ok(f)
}
