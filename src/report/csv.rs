//! CSV. A scan: one row per passage (the pair's columns repeated), or one row for a pair without
//! passages (its passage columns empty); clusters appear as the `cluster` column; every row has
//! the header's 22 columns. Quotes: one row per occurrence, the quote's columns repeated.

use super::{ClusterRecord, PairEncoder, PairRecord, QuoteRecord, QuoteSummary, Report, Summary};
use std::io::{self, Write};

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Pairs or quote occurrences as CSV rows.
pub struct CsvReport<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> CsvReport<'w> {
    /// Writes into `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        CsvReport { out }
    }
}

impl Report for CsvReport<'_> {
    fn summary(&mut self, _: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "a,b,source_a,source_b,title_a,title_b,jaccard,containment,minhash,shared_shingles,cluster,found_by,\
             a_start,a_end,b_start,b_end,words,score,boilerplate,earlier,a_text,b_text"
        )
    }
    fn pair(&mut self, p: &PairRecord) -> io::Result<()> {
        let mut bytes = Vec::new();
        pair_rows(p, &mut bytes)?;
        self.out.write_all(&bytes)
    }
    fn encoder(&self) -> Option<PairEncoder> {
        Some(pair_rows)
    }
    fn encoded_pair(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
    fn cluster(&mut self, _: &ClusterRecord) -> io::Result<()> {
        Ok(())
    }
    fn quote_summary(&mut self, _: &QuoteSummary) -> io::Result<()> {
        writeln!(self.out, "quote,quote_text,quote_speaker,sources,doc,source,date,start,end,quoted,speaker,text")
    }
    fn quote(&mut self, r: &QuoteRecord) -> io::Result<()> {
        for o in &r.occurrences {
            writeln!(
                self.out,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                r.id,
                field(r.text),
                field(r.speaker.unwrap_or("")),
                r.sources,
                field(o.doc),
                field(o.source.unwrap_or("")),
                field(o.date.unwrap_or("")),
                o.start,
                o.end,
                o.quoted,
                field(o.speaker.unwrap_or("")),
                field(o.text)
            )?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One pair's CSV rows.
fn pair_rows(p: &PairRecord, out: &mut Vec<u8>) -> io::Result<()> {
    let opt = |s: Option<&str>| field(s.unwrap_or(""));
    let found_by =
        serde_json::to_value(p.found_by).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let pair = format!(
        "{},{},{},{},{},{},{},{},{},{},{},{}",
        field(p.a),
        field(p.b),
        opt(p.source_a),
        opt(p.source_b),
        opt(p.title_a),
        opt(p.title_b),
        p.jaccard,
        p.containment,
        p.minhash,
        p.shared_shingles,
        p.cluster.map(|c| c.to_string()).unwrap_or_default(),
        found_by
    );
    if p.passages.is_empty() {
        return writeln!(out, "{pair},,,,,,,,,,");
    }
    for x in &p.passages {
        writeln!(
            out,
            "{pair},{},{},{},{},{},{},{},{},{},{}",
            x.a_start,
            x.a_end,
            x.b_start,
            x.b_end,
            x.words,
            x.score,
            x.boilerplate,
            x.earlier.unwrap_or(""),
            field(x.a_text),
            field(x.b_text)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
