//! The table for people: a header line saying what was scanned, pairs strongest first in aligned
//! columns, the clusters, and a closing line that says plainly what was found. Quotes: a header
//! line, each quote with its occurrences, and a closing count.

use super::{ClusterRecord, PairRecord, QuoteRecord, QuoteSummary, Report, Summary};
use std::io::{self, Write};

/// Width of each document column.
const DOC_WIDTH: usize = 44;

/// Cuts `s` to at most `width` characters, marking the cut with `…`.
fn fit(s: &str, width: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= width {
        return format!("{s:<width$}");
    }
    let mut cut: String = s.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

fn label(id: &str, title: Option<&str>) -> String {
    match title {
        Some(t) if !t.is_empty() && t != id => format!("{id}  {t}"),
        _ => id.to_string(),
    }
}

fn human_bytes(b: u64) -> String {
    match b {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

struct Row {
    cells: [String; 6],
    passages: Vec<String>,
}

/// Width of passage text shown in the table.
const PASSAGE_WIDTH: usize = 110;

fn passage_lines(p: &super::PassageRecord) -> String {
    let first = match p.earlier {
        Some("a") => ", A first",
        Some("b") => ", B first",
        _ => "",
    };
    let bp = if p.boilerplate { " [boilerplate]" } else { "" };
    let mut s = format!(
        "      passage A {}-{} / B {}-{}: {} words, score {:.2}{first}{bp}\n        A: {}",
        p.a_start,
        p.a_end,
        p.b_start,
        p.b_end,
        p.words,
        p.score,
        fit(p.a_text, PASSAGE_WIDTH).trim_end()
    );
    if p.a_text.split_whitespace().ne(p.b_text.split_whitespace()) {
        s.push_str(&format!("\n        B: {}", fit(p.b_text, PASSAGE_WIDTH).trim_end()));
    }
    s
}

/// Width of quoted text in the table.
const QUOTE_WIDTH: usize = 100;

/// Buffers a scan's records and writes its table at `finish` (the columns are sized to fit);
/// writes quotes as they come.
pub struct TableReport<'w> {
    out: Box<dyn Write + 'w>,
    summary: Option<Summary>,
    quote_summary: Option<QuoteSummary>,
    rows: Vec<Row>,
    not_near: usize,
    containment: usize,
    clusters: Vec<(u32, usize, Vec<String>)>,
}

impl<'w> TableReport<'w> {
    /// Writes into `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        TableReport {
            out,
            summary: None,
            quote_summary: None,
            rows: Vec::new(),
            not_near: 0,
            containment: 0,
            clusters: Vec::new(),
        }
    }
}

impl Report for TableReport<'_> {
    fn summary(&mut self, s: &Summary) -> io::Result<()> {
        self.write_scan()?;
        self.close_quotes()?;
        (self.rows, self.not_near, self.containment, self.clusters) = (Vec::new(), 0, 0, Vec::new());
        self.summary = Some(s.clone());
        Ok(())
    }

    fn pair(&mut self, p: &PairRecord) -> io::Result<()> {
        if p.cluster.is_none() {
            self.not_near += 1;
        }
        if p.found_by == crate::neardup::FoundBy::Containment {
            self.containment += 1;
        }
        self.rows.push(Row {
            cells: [
                format!("{:.3}", p.jaccard),
                format!("{:.3}", p.containment),
                format!("{:.3}", p.minhash),
                p.cluster.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                fit(&label(p.a, p.title_a), DOC_WIDTH),
                fit(&label(p.b, p.title_b), DOC_WIDTH),
            ],
            passages: p.passages.iter().map(passage_lines).collect(),
        });
        Ok(())
    }

    fn cluster(&mut self, c: &ClusterRecord) -> io::Result<()> {
        self.clusters.push((c.id, c.size, c.members.iter().take(6).map(|m| m.to_string()).collect()));
        Ok(())
    }

    fn quote_summary(&mut self, s: &QuoteSummary) -> io::Result<()> {
        self.write_scan()?;
        self.close_quotes()?;
        writeln!(
            self.out,
            "{} documents from {} sources: {} quotations of {}+ words, {} found again without quotation marks",
            s.documents, s.sources, s.quotations, s.min_words, s.unquoted
        )?;
        writeln!(self.out)?;
        self.quote_summary = Some(s.clone());
        Ok(())
    }

    fn quote(&mut self, r: &QuoteRecord) -> io::Result<()> {
        let out = &mut self.out;
        let speaker = r.speaker.unwrap_or("speaker unknown");
        let first = match &r.first_seen {
            Some(f) => format!(", first {} ({})", f.doc, f.date.unwrap_or("?")),
            None => String::new(),
        };
        writeln!(out, "#{} {speaker}: {} sources, {} documents{first}", r.id, r.sources, r.documents)?;
        writeln!(out, "   “{}”", fit(r.text, QUOTE_WIDTH).trim_end())?;
        for o in &r.occurrences {
            let marks = if o.quoted { "quoted" } else { "unmarked" };
            let who = o.speaker.map(|s| format!(", {s}")).unwrap_or_default();
            writeln!(out, "     {} {}-{} {marks}{who}", o.doc, o.start, o.end)?;
            if r.variants.len() > 1 {
                writeln!(out, "       {}", fit(o.text, QUOTE_WIDTH).trim_end())?;
            }
        }
        writeln!(out)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.write_scan()?;
        self.close_quotes()?;
        self.out.flush()
    }
}

impl TableReport<'_> {
    /// The closing line of the quotes, if a quotes listing is open.
    fn close_quotes(&mut self) -> io::Result<()> {
        let Some(s) = self.quote_summary.take() else { return Ok(()) };
        let shared = if s.min_sources > 1 { format!(" shared by {}+ sources", s.min_sources) } else { String::new() };
        writeln!(self.out, "{} quotes{shared} (of {} distinct quotes)", s.quotes, s.clusters_total)
    }

    /// The scan's table, if a scan was received and not written yet.
    fn write_scan(&mut self) -> io::Result<()> {
        let Some(s) = self.summary.take() else { return Ok(()) };
        let out = &mut self.out;
        let sources =
            if s.sources > 0 { format!(" from {}", plural(s.sources, "source", "sources")) } else { String::new() };
        writeln!(
            out,
            "Scanned {} ({}){sources}: {}-{} shingles, Jaccard >= {:.2}{} ({} bands x {} rows of {} MinHash values).",
            plural(s.documents, "document", "documents"),
            human_bytes(s.bytes),
            s.shingle,
            if s.tokens.is_some() { "letter" } else { "word" },
            s.threshold,
            s.containment.map(|c| format!(" or containment >= {c:.2}")).unwrap_or_default(),
            s.bands,
            s.rows,
            s.perms
        )?;
        if !self.rows.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{:>7}  {:>7}  {:>7}  {:>7}  {:<DOC_WIDTH$}  {:<DOC_WIDTH$}",
                "jaccard", "contain", "minhash", "cluster", "document A", "document B"
            )?;
            for r in &self.rows {
                let c = &r.cells;
                writeln!(out, "{:>7}  {:>7}  {:>7}  {:>7}  {}  {}", c[0], c[1], c[2], c[3], c[4], c[5].trim_end())?;
                for p in &r.passages {
                    writeln!(out, "{p}")?;
                }
            }
        }
        if !self.clusters.is_empty() {
            writeln!(out)?;
            writeln!(out, "{:>7}  {:>5}  members", "cluster", "docs")?;
            for (id, size, members) in &self.clusters {
                let more =
                    if *size > members.len() { format!(" … (+{})", size - members.len()) } else { String::new() };
                writeln!(out, "{id:>7}  {size:>5}  {}{more}", members.join(", "))?;
            }
        }
        writeln!(out)?;
        let near = s.pairs - self.not_near;
        if near == 0 {
            let what = match s.containment {
                Some(c) => format!("Jaccard >= {:.2} or containment >= {c:.2}", s.threshold),
                None => format!("Jaccard >= {:.2}", s.threshold),
            };
            writeln!(out, "No near-duplicates: no two of the {} documents reach {what}.", s.documents)?;
        } else {
            writeln!(
                out,
                "Found {} in {} ({} documents).",
                plural(near, "near-duplicate pair", "near-duplicate pairs"),
                plural(s.clusters, "cluster", "clusters"),
                s.clustered_documents
            )?;
        }
        if s.passages_searched {
            writeln!(
                out,
                "{} of at least {} words{} shared by {}.",
                plural(s.passages, "passage", "passages"),
                s.min_words,
                match s.min_unquoted_words > s.min_words {
                    true => format!(" ({} outside quotation marks)", s.min_unquoted_words),
                    false => String::new(),
                },
                plural(s.pairs_with_passages, "pair of documents", "pairs of documents")
            )?;
            if s.unquoted_dropped > 0 {
                writeln!(
                    out,
                    "{} outside quotation marks left out as stock phrases (--min-unquoted-words).",
                    plural(s.unquoted_dropped, "shorter passage", "shorter passages"),
                )?;
            }
        }
        if self.containment > 0 {
            writeln!(out, "{} found by containment only.", plural(self.containment, "pair was", "pairs were"))?;
        }
        if s.oversized_buckets > 0 {
            writeln!(
                out,
                "{} held more documents than --max-bucket (largest: {}); each was clustered through its first document instead of expanded into all pairs.",
                plural(s.oversized_buckets, "LSH bucket", "LSH buckets"),
                s.largest_bucket
            )?;
        }
        let skipped = s.empty_skipped + s.documents_without_words;
        if skipped > 0 {
            writeln!(out, "{} empty or without words, left out.", plural(skipped, "document was", "documents were"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("a\n  b", 5), "a b  ");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(50_547), "49.4 KB");
    }
}
