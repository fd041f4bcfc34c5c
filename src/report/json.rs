//! JSON Lines (one record a line, each with a `type`) and one-document JSON.

use super::{ClusterRecord, PairEncoder, PairRecord, QuoteRecord, QuoteSummary, Report, Summary};
use std::io::{self, Write};

/// Keeps the kind of an I/O error inside a serde error (a closed pipe must stay a `BrokenPipe`).
pub(crate) fn io_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

/// One record and its newline. Generic over the writer: encoding a pair into a `Vec<u8>` then
/// writes straight into it, not through a `dyn Write` call for every piece of every string.
fn line<W: Write + ?Sized, T: serde::Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io_error)?;
    out.write_all(b"\n")
}

/// `summary`, `pair`, `cluster`, `quote_summary` and `quote` records, one per line.
pub struct JsonLinesReport<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> JsonLinesReport<'w> {
    /// Writes into `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonLinesReport { out }
    }
}

impl Report for JsonLinesReport<'_> {
    fn summary(&mut self, s: &Summary) -> io::Result<()> {
        line(&mut self.out, s)
    }
    fn pair(&mut self, p: &PairRecord) -> io::Result<()> {
        line(&mut self.out, p)
    }
    fn encoder(&self) -> Option<PairEncoder> {
        Some(|p, out| line(out, p))
    }
    fn encoded_pair(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
    fn cluster(&mut self, c: &ClusterRecord) -> io::Result<()> {
        line(&mut self.out, c)
    }
    fn quote_summary(&mut self, s: &QuoteSummary) -> io::Result<()> {
        line(&mut self.out, s)
    }
    fn quote(&mut self, q: &QuoteRecord) -> io::Result<()> {
        line(&mut self.out, q)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A scan as `{"summary": {…}, "pairs": […], "clusters": […]}`, one pair or cluster a line,
/// written as records arrive; quotes as `{"summary": {…}, "quotes": […]}`, indented for reading
/// (a quote holds its occurrences).
pub struct JsonReport<'w> {
    out: Box<dyn Write + 'w>,
    scan_open: bool,
    pairs: usize,
    clusters: usize,
    /// Quotes written so far, once the quotes document is open.
    quotes: Option<usize>,
}

impl<'w> JsonReport<'w> {
    /// Writes into `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonReport { out, scan_open: false, pairs: 0, clusters: 0, quotes: None }
    }

    fn close_scan(&mut self) -> io::Result<()> {
        if !std::mem::take(&mut self.scan_open) {
            return Ok(());
        }
        if self.clusters == 0 {
            self.out.write_all(b"],\n\"clusters\":[")?;
        }
        self.out.write_all(b"]}\n")
    }

    fn close_quotes(&mut self) -> io::Result<()> {
        match self.quotes.take() {
            None => Ok(()),
            Some(0) => self.out.write_all(b",\n  \"quotes\": []\n}\n"),
            Some(_) => self.out.write_all(b"\n  ]\n}\n"),
        }
    }
}

/// `value` as indented JSON whose every line after the first starts with `indent`, to stand
/// inside a document indented the same way.
fn pretty_at<T: serde::Serialize>(value: &T, indent: &str) -> io::Result<Vec<u8>> {
    let json = serde_json::to_string_pretty(value).map_err(io_error)?;
    // Strings in JSON hold no raw line breaks, so every break is the layout's.
    Ok(json.replace('\n', &format!("\n{indent}")).into_bytes())
}

impl Report for JsonReport<'_> {
    fn summary(&mut self, s: &Summary) -> io::Result<()> {
        self.close_quotes()?;
        self.close_scan()?;
        (self.scan_open, self.pairs, self.clusters) = (true, 0, 0);
        self.out.write_all(b"{\"summary\":")?;
        serde_json::to_writer(&mut self.out, s).map_err(io_error)?;
        self.out.write_all(b",\n\"pairs\":[")
    }
    fn pair(&mut self, p: &PairRecord) -> io::Result<()> {
        let mut bytes = Vec::new();
        serde_json::to_writer(&mut bytes, p).map_err(io_error)?;
        self.encoded_pair(&bytes)
    }
    fn encoder(&self) -> Option<PairEncoder> {
        Some(|p, out| serde_json::to_writer(out, p).map_err(io_error))
    }
    fn encoded_pair(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(if self.pairs == 0 { b"\n" } else { b",\n" })?;
        self.pairs += 1;
        self.out.write_all(bytes)
    }
    fn cluster(&mut self, c: &ClusterRecord) -> io::Result<()> {
        if self.clusters == 0 {
            self.out.write_all(b"],\n\"clusters\":[\n")?;
        } else {
            self.out.write_all(b",\n")?;
        }
        self.clusters += 1;
        serde_json::to_writer(&mut self.out, c).map_err(io_error)
    }
    fn quote_summary(&mut self, s: &QuoteSummary) -> io::Result<()> {
        self.close_scan()?;
        self.close_quotes()?;
        self.quotes = Some(0);
        self.out.write_all(b"{\n  \"summary\": ")?;
        self.out.write_all(&pretty_at(s, "  ")?)
    }
    fn quote(&mut self, q: &QuoteRecord) -> io::Result<()> {
        let written = self.quotes.get_or_insert(0);
        let lead: &[u8] = if *written == 0 { b",\n  \"quotes\": [\n    " } else { b",\n    " };
        *written += 1;
        self.out.write_all(lead)?;
        self.out.write_all(&pretty_at(q, "    ")?)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.close_scan()?;
        self.close_quotes()?;
        self.out.flush()
    }
}
