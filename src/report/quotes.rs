//! The records of `reprint quotes`: `quote` records (one per cluster, its occurrences inside) and
//! a `quote_summary`, pushed into a [`Report`] like a scan's.

use super::{Report, VariantRecord};
use crate::corpus::Doc;
use crate::quote::{QuoteCluster, QuoteConfig, QuoteResult};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io;

/// Where a quote was printed first.
#[derive(Debug, Clone, Serialize)]
pub struct FirstSeen<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Its source.
    pub source: Option<&'a str>,
    /// Its date.
    pub date: Option<&'a str>,
}

/// One place a quote appears.
#[derive(Debug, Clone, Serialize)]
pub struct OccurrenceRecord<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Index of the document in the corpus (not written: for formats that show the texts).
    #[serde(skip)]
    pub doc_index: u32,
    /// Its source.
    pub source: Option<&'a str>,
    /// Its date.
    pub date: Option<&'a str>,
    /// Code-point offset of the first quoted character.
    pub start: usize,
    /// Code-point offset one past the last (end exclusive).
    pub end: usize,
    /// The same span in UTF-8 bytes.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
    /// The original text of `start..end` (attribution included when the quotation is broken by
    /// one: see `fragments`).
    pub text: &'a str,
    /// Whether the words stand between quotation marks in this document.
    pub quoted: bool,
    /// Who this document says spoke them.
    pub speaker: Option<&'a str>,
    /// Index into `variants`.
    pub variant: usize,
    /// `[start, end]` of each quoted piece when an attribution breaks the quotation.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_lists")]
    pub fragments: Vec<[usize; 2]>,
}

/// `[start, end]` pairs as sequences, not tuples: the same JSON, and lists (as `json.loads`
/// gives) where a serializer tells the two apart (the Python binding's).
fn as_lists<S: serde::Serializer>(spans: &[[usize; 2]], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(spans.iter().map(|span| span.as_slice()))
}

/// A `quote` record: a cluster of variants of one quotation.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    /// 1-based rank, most widely shared first.
    pub id: usize,
    /// Canonical wording.
    pub text: &'a str,
    /// The speaker most occurrences name.
    pub speaker: Option<&'a str>,
    /// Distinct sources carrying it.
    pub sources: usize,
    /// Distinct documents carrying it.
    pub documents: usize,
    /// First appearance, when dates are known.
    pub first_seen: Option<FirstSeen<'a>>,
    /// Which of `occurrences` is the first appearance (not written: `first_seen` says it).
    #[serde(skip)]
    pub first: Option<usize>,
    /// Distinct wordings, most common first.
    pub variants: Vec<VariantRecord<'a>>,
    /// Every occurrence, earliest first.
    pub occurrences: Vec<OccurrenceRecord<'a>>,
}

/// The `quote_summary` record.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteSummary {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Documents read.
    pub documents: usize,
    /// Distinct sources.
    pub sources: usize,
    /// Quotations extracted (of at least `min_words` words).
    pub quotations: usize,
    /// Occurrences found printed without quotation marks.
    pub unquoted: usize,
    /// Clusters before the `min_sources` filter.
    pub clusters_total: usize,
    /// Clusters reported.
    pub quotes: usize,
    /// The `--min-sources` used.
    pub min_sources: usize,
    /// The `--min-words` used.
    pub min_words: usize,
}

impl QuoteSummary {
    /// The summary of `result` over `docs`.
    pub fn new(docs: &[Doc], cfg: &QuoteConfig, result: &QuoteResult) -> Self {
        let sources: BTreeSet<&str> = docs.iter().map(|d| d.source.as_deref().unwrap_or(&d.id)).collect();
        QuoteSummary {
            kind: "quote_summary",
            documents: docs.len(),
            sources: sources.len(),
            quotations: result.extracted,
            unquoted: result.unquoted,
            clusters_total: result.clusters_total,
            quotes: result.clusters.len(),
            min_sources: cfg.min_sources,
            min_words: cfg.min_words,
        }
    }
}

/// The record of one cluster.
pub fn quote_record<'a>(docs: &'a [Doc], c: &'a QuoteCluster) -> QuoteRecord<'a> {
    let occurrences = c
        .occurrences
        .iter()
        .map(|o| {
            let d = &docs[o.doc as usize];
            OccurrenceRecord {
                doc: &d.id,
                doc_index: o.doc,
                source: d.source.as_deref(),
                date: d.date.as_deref(),
                start: o.start,
                end: o.end,
                byte_start: o.byte_start,
                byte_end: o.byte_end,
                text: &o.text,
                quoted: o.quoted,
                speaker: o.speaker.as_deref(),
                variant: o.variant,
                fragments: o.fragments.iter().map(|&(s, e)| [s, e]).collect(),
            }
        })
        .collect();
    let first_seen = c.first.map(|i| {
        let d = &docs[c.occurrences[i].doc as usize];
        FirstSeen { doc: &d.id, source: d.source.as_deref(), date: d.date.as_deref() }
    });
    QuoteRecord {
        kind: "quote",
        id: c.id,
        text: &c.text,
        speaker: c.speaker.as_deref(),
        sources: c.sources,
        documents: c.documents,
        first_seen,
        first: c.first,
        variants: c.variants.iter().map(|v| VariantRecord { text: &v.text, occurrences: v.occurrences }).collect(),
        occurrences,
    }
}

/// Pushes the summary and every quote of `result` (found in `docs`) into `report`, leaving it
/// open for more (call [`Report::finish`] after).
pub fn emit_quotes(
    report: &mut dyn Report,
    docs: &[Doc],
    summary: &QuoteSummary,
    result: &QuoteResult,
) -> io::Result<()> {
    report.quote_summary(summary)?;
    for c in &result.clusters {
        report.quote(&quote_record(docs, c))?;
    }
    Ok(())
}
