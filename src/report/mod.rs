//! Report stage: turns scan and quote results into output records and pushes them into a
//! [`Report`], one implementation per format (HTML included), in the manner of ripgrep's `Sink`:
//! the pipeline never knows how results are shown, and a new format touches one file.
//!
//! The records' field names are a public interface (documented in the README): JSON Lines and
//! JSON carry them as they are, CSV as column names.

mod csv;
pub mod html;
mod json;
pub mod quotes;
mod table;

use crate::config::ScanConfig;
use crate::corpus::{Corpus, Doc, Texts};
use crate::passage::Passage;
use crate::{neardup::FoundBy, scan::ScanResult};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::{self, Write};

pub use self::csv::CsvReport;
pub use self::html::HtmlReport;
pub use self::json::{JsonLinesReport, JsonReport};
pub use self::quotes::{emit_quotes, QuoteRecord, QuoteSummary};
pub use self::table::TableReport;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON record per line, each with a `type`.
    Jsonl,
    /// One JSON document: the summary and every record (scan: pairs and clusters; quotes:
    /// quotes).
    Json,
    /// Rows under a header (scan: one per passage, or per pair without passages; quotes: one per
    /// occurrence).
    Csv,
    /// One self-contained HTML page to read the reuse side by side (README: "HTML report").
    Html,
}

impl Format {
    /// Whether the format shows every text whole (HTML), so the texts must stay in memory
    /// rather than spill to disk.
    pub fn keeps_texts(self) -> bool {
        self == Format::Html
    }
}

/// Rounds a score to 4 decimals so outputs stay readable and stable.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A `pair` record.
#[derive(Debug, Clone, Serialize)]
pub struct PairRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Id of the earlier document (input order).
    pub a: &'a str,
    /// Index of `a` in the corpus (not written: for formats that show the texts).
    #[serde(skip)]
    pub a_doc: u32,
    /// Index of `b` in the corpus.
    #[serde(skip)]
    pub b_doc: u32,
    /// Id of the later document.
    pub b: &'a str,
    /// Source of `a`.
    pub source_a: Option<&'a str>,
    /// Source of `b`.
    pub source_b: Option<&'a str>,
    /// Title of `a`.
    pub title_a: Option<&'a str>,
    /// Title of `b`.
    pub title_b: Option<&'a str>,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// Exact containment of the smaller document in the larger.
    pub containment: f64,
    /// MinHash estimate of the Jaccard similarity.
    pub minhash: f64,
    /// Shingles the documents share.
    pub shared_shingles: usize,
    /// Cluster id when the pair is a near-duplicate, else null.
    pub cluster: Option<u32>,
    /// `lsh`, `containment`, `bucket` or `passage`.
    pub found_by: FoundBy,
    /// Shared passages, in order along `a`.
    pub passages: Vec<PassageRecord<'a>>,
}

/// One shared passage of a pair: where it is in both documents and what it says there.
#[derive(Debug, Clone, Serialize)]
pub struct PassageRecord<'a> {
    /// Start in `a`, in Unicode code points, inclusive.
    pub a_start: usize,
    /// End in `a`, exclusive.
    pub a_end: usize,
    /// Start in `b`.
    pub b_start: usize,
    /// End in `b`, exclusive.
    pub b_end: usize,
    /// Aligned equal words.
    pub words: usize,
    /// Share of the alignment that is equal words (1.0: verbatim).
    pub score: f64,
    /// The passage as printed in `a`.
    pub a_text: &'a str,
    /// The passage as printed in `b`.
    pub b_text: &'a str,
    /// True for one source's repeated boilerplate (only shown with `--show-boilerplate`).
    pub boilerplate: bool,
    /// Which side printed it first, by date: `a`, `b`, or null when unknown or the same day.
    pub earlier: Option<&'static str>,
}

/// One distinct wording of a quote.
#[derive(Debug, Clone, Serialize)]
pub struct VariantRecord<'a> {
    /// The words as first printed.
    pub text: &'a str,
    /// Occurrences with this wording.
    pub occurrences: usize,
}

/// A `cluster` record.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Stable id (input order of the first member).
    pub id: u32,
    /// Number of documents.
    pub size: usize,
    /// Member ids, in input order.
    pub members: Vec<&'a str>,
    /// Their indices in the corpus (not written: for formats that show the texts).
    #[serde(skip)]
    pub member_docs: &'a [u32],
}

/// The `summary` record: what was scanned, with which settings, and what was found.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Documents scanned.
    pub documents: usize,
    /// Distinct sources among them.
    pub sources: usize,
    /// Bytes of text scanned.
    pub bytes: u64,
    /// Tokens per shingle (words; letters when `tokens` is `letters`).
    pub shingle: usize,
    /// What a token is: absent for words, `letters` for OCR text (`--ocr`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<crate::text::TokenUnit>,
    /// MinHash values per signature.
    pub perms: usize,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold, if containment search was on.
    pub containment: Option<f64>,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Pairs reported.
    pub pairs: usize,
    /// Clusters reported.
    pub clusters: usize,
    /// Documents in some cluster.
    pub clustered_documents: usize,
    /// Candidate pairs checked exactly.
    pub candidates: usize,
    /// Buckets too large to expand, clustered through their first document.
    pub oversized_buckets: usize,
    /// Documents in the largest oversized bucket.
    pub largest_bucket: usize,
    /// Documents with no words (only symbols): they match nothing.
    pub documents_without_words: usize,
    /// Empty or whitespace-only documents skipped while reading.
    pub empty_skipped: usize,
    /// Malformed JSON lines skipped (`--skip-bad-lines`).
    pub bad_lines_skipped: usize,
    /// Documents dropped for repeating an id (`--dedupe-ids`).
    pub duplicate_ids_dropped: usize,
    /// Warnings and errors met while reading (printed on stderr).
    pub input_problems: usize,
    /// Whether passages were searched.
    pub passages_searched: bool,
    /// Shortest passage reported, in words.
    pub min_words: usize,
    /// Shortest passage reported outside quotation marks, in words.
    pub min_unquoted_words: usize,
    /// Passages reported.
    pub passages: usize,
    /// Passages left out for being shorter than `min_unquoted_words` outside quotation marks.
    pub unquoted_dropped: usize,
    /// Pairs with at least one passage.
    pub pairs_with_passages: usize,
    /// Document pairs sharing anchors that were aligned.
    pub aligned_pairs: usize,
    /// Anchors ignored for being in more than `--max-df` documents.
    pub frequent_anchors: usize,
    /// (source, anchor) entries recognised as boilerplate.
    pub boilerplate_anchors: usize,
}

impl Summary {
    /// The summary of a scan with `cfg` that found nothing in no documents: the settings, every
    /// count zero (a cluster job fills the counts in from its stages).
    pub fn for_config(cfg: &ScanConfig) -> Self {
        Summary::new(&Corpus::default(), cfg, &ScanResult::default())
    }

    /// Builds the summary of a scan of `corpus` with `cfg`.
    pub fn new(corpus: &Corpus, cfg: &ScanConfig, result: &ScanResult) -> Self {
        let sources: BTreeSet<&str> = corpus.docs.iter().filter_map(|d| d.source.as_deref()).collect();
        let lsh = result.stats.lsh.unwrap_or_else(|| cfg.lsh_params());
        let s = &result.stats;
        Summary {
            kind: "summary",
            documents: corpus.docs.len(),
            sources: sources.len(),
            bytes: corpus.text_bytes(),
            shingle: cfg.shingle,
            tokens: cfg.ocr.is_some().then_some(crate::text::TokenUnit::Letters),
            perms: cfg.perms,
            threshold: cfg.threshold,
            containment: cfg.containment,
            bands: lsh.bands,
            rows: lsh.rows,
            pairs: result.pairs.len(),
            clusters: result.clusters.len(),
            clustered_documents: result.clusters.iter().map(|c| c.members.len()).sum(),
            candidates: s.lsh_candidates + s.containment_candidates,
            oversized_buckets: s.oversized_buckets,
            largest_bucket: s.largest_bucket,
            documents_without_words: s.documents_without_words,
            empty_skipped: corpus.stats.empty_skipped,
            bad_lines_skipped: corpus.stats.bad_lines_skipped,
            duplicate_ids_dropped: corpus.stats.duplicate_ids_dropped,
            input_problems: corpus.diagnostics.len(),
            passages_searched: cfg.passages,
            min_words: cfg.min_words,
            min_unquoted_words: cfg.unquoted_floor().unwrap_or(cfg.min_words),
            passages: s.passages,
            unquoted_dropped: s.unquoted_dropped,
            pairs_with_passages: result.pairs.iter().filter(|p| !p.passages.is_empty()).count(),
            aligned_pairs: s.aligned_pairs,
            frequent_anchors: s.frequent_anchors,
            boilerplate_anchors: s.boilerplate_anchors,
        }
    }
}

/// Receives the records of a listing in order and writes them in one format. A scan sends its
/// summary, then pairs (strongest first), then clusters; a quotes listing sends its summary, then
/// quotes (most widely shared first); the HTML page of a scan gets the scan, then the corpus's
/// quotes. `finish` ends the output. A format given both listings writes one after the other.
pub trait Report {
    /// The scan summary, before any pair.
    fn summary(&mut self, summary: &Summary) -> io::Result<()>;
    /// One pair.
    fn pair(&mut self, pair: &PairRecord) -> io::Result<()>;
    /// How this format turns one pair into bytes on its own, for formats that write each pair
    /// as it comes: [`emit_scan`] then encodes many pairs at once, in parallel, and hands their
    /// bytes to [`Report::encoded_pair`] in order. `None` (the default): every pair goes to
    /// [`Report::pair`].
    fn encoder(&self) -> Option<PairEncoder> {
        None
    }
    /// One pair, as bytes from this report's [`Report::encoder`].
    fn encoded_pair(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Err(io::Error::other("this report encodes no pairs on their own"))
    }
    /// One cluster.
    fn cluster(&mut self, cluster: &ClusterRecord) -> io::Result<()>;
    /// The quotes summary, before any quote.
    fn quote_summary(&mut self, summary: &QuoteSummary) -> io::Result<()>;
    /// One quote and its occurrences.
    fn quote(&mut self, quote: &QuoteRecord) -> io::Result<()>;
    /// No more records.
    fn finish(&mut self) -> io::Result<()>;
}

/// Encodes one pair record into a buffer (see [`Report::encoder`]).
pub type PairEncoder = fn(&PairRecord, &mut Vec<u8>) -> io::Result<()>;

/// Pairs encoded at once by [`emit_scan`] (a bound on the bytes held).
const ENCODE_BATCH: usize = 1024;

/// Makes the report for `format`, writing into `out`. `title` and `docs` (the corpus, texts
/// kept: [`Format::keeps_texts`]) are for the HTML page, which shows the texts; the other formats
/// take what they show from the records.
pub fn for_format<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    title: &'w str,
    docs: &'w [Doc],
) -> Box<dyn Report + 'w> {
    match format {
        Format::Table => Box::new(TableReport::new(out)),
        Format::Jsonl => Box::new(JsonLinesReport::new(out)),
        Format::Json => Box::new(JsonReport::new(out)),
        Format::Csv => Box::new(CsvReport::new(out)),
        Format::Html => Box::new(HtmlReport::new(out, title, docs)),
    }
}

/// Writes the scan `result` of `corpus` in `format` into `out`, and finishes: the records of
/// [`emit_scan`], and on the HTML page also the quotes the corpus shares (default quote options).
pub fn write_scan<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    title: &'w str,
    corpus: &'w Corpus,
    summary: &Summary,
    result: &ScanResult,
    progress: &dyn crate::progress::Progress,
) -> io::Result<()> {
    let mut report = for_format(format, out, title, &corpus.docs);
    emit_scan(report.as_mut(), corpus, summary, result)?;
    if format == Format::Html {
        let cfg = crate::quote::QuoteConfig::default();
        let quotes = crate::quote::find_quotes(&corpus.docs, corpus, &cfg, progress);
        emit_quotes(report.as_mut(), &corpus.docs, &QuoteSummary::new(&corpus.docs, &cfg, &quotes), &quotes)?;
    }
    report.finish()
}

/// Which of two documents is dated earlier.
fn earlier(a: &Doc, b: &Doc) -> Option<&'static str> {
    match (a.date.as_deref(), b.date.as_deref()) {
        (Some(x), Some(y)) if x < y => Some("a"),
        (Some(x), Some(y)) if x > y => Some("b"),
        _ => None,
    }
}

fn passage_record<'a>(a: &'a Doc, b: &'a Doc, ta: &'a str, tb: &'a str, p: &Passage) -> PassageRecord<'a> {
    PassageRecord {
        a_start: p.a_start,
        a_end: p.a_end,
        b_start: p.b_start,
        b_end: p.b_end,
        words: p.words,
        score: round4(p.score),
        a_text: ta.get(p.a_bytes.0..p.a_bytes.1).unwrap_or(""),
        b_text: tb.get(p.b_bytes.0..p.b_bytes.1).unwrap_or(""),
        boilerplate: p.boilerplate,
        earlier: earlier(a, b),
    }
}

/// The record of pair `p`; `ta` and `tb` are the two texts (read only when it has passages).
fn pair_record<'a>(docs: &'a [Doc], p: &'a crate::neardup::Pair, ta: &'a str, tb: &'a str) -> PairRecord<'a> {
    let (a, b) = (&docs[p.a as usize], &docs[p.b as usize]);
    PairRecord {
        kind: "pair",
        a: &a.id,
        b: &b.id,
        a_doc: p.a,
        b_doc: p.b,
        source_a: a.source.as_deref(),
        source_b: b.source.as_deref(),
        title_a: a.title.as_deref(),
        title_b: b.title.as_deref(),
        jaccard: round4(p.jaccard),
        containment: round4(p.containment),
        minhash: round4(p.minhash),
        shared_shingles: p.shared,
        cluster: p.cluster,
        found_by: p.found_by,
        passages: p.passages.iter().map(|x| passage_record(a, b, ta, tb, x)).collect(),
    }
}

/// The two texts of pair `p`, read only when it has passages (they may be in the corpus's
/// temporary file); empty otherwise.
fn pair_texts<'b>(
    corpus: &'b Corpus,
    p: &crate::neardup::Pair,
    (buf_a, buf_b): &'b mut (String, String),
) -> (&'b str, &'b str) {
    match p.passages.is_empty() {
        true => ("", ""),
        false => (corpus.text(p.a as usize, buf_a), corpus.text(p.b as usize, buf_b)),
    }
}

/// The records of `pairs` (of documents of `corpus`) encoded by `encode`, in parallel, in order.
pub fn encode_pairs(corpus: &Corpus, pairs: &[crate::neardup::Pair], encode: PairEncoder) -> io::Result<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    pairs
        .par_iter()
        .map_init(
            || (String::new(), String::new()),
            |bufs, p| {
                let (ta, tb) = pair_texts(corpus, p, bufs);
                let mut out = Vec::new();
                encode(&pair_record(&corpus.docs, p, ta, tb), &mut out).map(|()| out)
            },
        )
        .collect()
}

/// Pushes every record of `result` (a scan of `corpus`) into `report`, leaving it open for more
/// (call [`Report::finish`] after). Where the report encodes pairs on their own, batches of
/// pairs are read and encoded in parallel and written in order, so the output is the same
/// whatever the thread count.
pub fn emit_scan(report: &mut dyn Report, corpus: &Corpus, summary: &Summary, result: &ScanResult) -> io::Result<()> {
    report.summary(summary)?;
    let docs = &corpus.docs;
    match report.encoder() {
        Some(encode) => {
            for batch in result.pairs.chunks(ENCODE_BATCH) {
                for bytes in encode_pairs(corpus, batch, encode)? {
                    report.encoded_pair(&bytes)?;
                }
            }
        }
        None => {
            let mut bufs = (String::new(), String::new());
            for p in &result.pairs {
                let (ta, tb) = pair_texts(corpus, p, &mut bufs);
                report.pair(&pair_record(docs, p, ta, tb))?;
            }
        }
    }
    for c in &result.clusters {
        report.cluster(&ClusterRecord {
            kind: "cluster",
            id: c.id,
            size: c.members.len(),
            members: c.members.iter().map(|&m| docs[m as usize].id.as_str()).collect(),
            member_docs: &c.members,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_paths, ReadOptions};
    use crate::progress::NoProgress;
    use crate::quote::{find_quotes, QuoteConfig};

    /// The seeds scanned and their quotes, both listings pushed into one report of `format`.
    fn both_listings(format: Format) -> (String, ScanResult, crate::quote::QuoteResult) {
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds").to_string();
        let corpus = read_paths(&[seeds], &ReadOptions::default(), &|_| ()).unwrap();
        let cfg = ScanConfig::default();
        let scan = crate::scan::scan(&corpus, &corpus.source_ids(), &cfg, &NoProgress);
        let qcfg = QuoteConfig::default();
        let quotes = find_quotes(&corpus.docs, &corpus, &qcfg, &NoProgress);
        let mut bytes = Vec::new();
        {
            let mut report = for_format(format, Box::new(&mut bytes), "t", &corpus.docs);
            emit_scan(report.as_mut(), &corpus, &Summary::new(&corpus, &cfg, &scan), &scan).unwrap();
            let summary = QuoteSummary::new(&corpus.docs, &qcfg, &quotes);
            emit_quotes(report.as_mut(), &corpus.docs, &summary, &quotes).unwrap();
            report.finish().unwrap();
        }
        (String::from_utf8(bytes).unwrap(), scan, quotes)
    }

    #[test]
    fn every_format_writes_a_scan_then_quotes() {
        let (json, scan, quotes) = both_listings(Format::Json);
        assert!(!scan.pairs.is_empty() && !quotes.clusters.is_empty(), "the seeds share text and quotes");
        let docs: Vec<serde_json::Value> =
            serde_json::Deserializer::from_str(&json).into_iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(docs.len(), 2, "{json}");
        assert_eq!(docs[0]["pairs"].as_array().unwrap().len(), scan.pairs.len());
        assert_eq!(docs[1]["quotes"].as_array().unwrap().len(), quotes.clusters.len());

        let (jsonl, ..) = both_listings(Format::Jsonl);
        let kinds: Vec<String> =
            jsonl.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["type"].to_string()).collect();
        let summaries = kinds.iter().position(|k| k == "\"quote_summary\"").unwrap();
        assert!(kinds[..summaries].iter().all(|k| k != "\"quote\""));
        assert_eq!(kinds[summaries + 1..].len(), quotes.clusters.len());

        let (table, ..) = both_listings(Format::Table);
        let found = table.find("passages of at least").unwrap();
        let quoted = table.find("quotations of").unwrap();
        assert!(found < quoted && table.trim_end().ends_with("distinct quotes)"), "{table}");

        let (csv, ..) = both_listings(Format::Csv);
        let headers: Vec<&str> = csv.lines().filter(|l| l.starts_with("a,b,") || l.starts_with("quote,")).collect();
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn html_points_at_the_documents_it_carries() {
        let (page, scan, quotes) = both_listings(Format::Html);
        let start = page.find("application/json").unwrap();
        let data = &page[page[start..].find('>').unwrap() + start + 1..];
        let data: serde_json::Value = serde_json::from_str(&data[..data.find("</script>").unwrap()]).unwrap();
        let shown = data["docs"].as_array().unwrap().len();
        let pairs = data["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), scan.pairs.len());
        assert_eq!(data["quotes"].as_array().unwrap().len(), quotes.clusters.len());
        for p in pairs {
            assert!(p["a"].as_u64().unwrap() < shown as u64 && p["b"].as_u64().unwrap() < shown as u64);
        }
        for o in data["quotes"].as_array().unwrap().iter().flat_map(|q| q["occurrences"].as_array().unwrap()) {
            assert!(o["doc"].as_u64().unwrap() < shown as u64);
        }
    }
}
