//! JSON Lines (one record a line, each with a `type`) and one-document JSON.

use super::{ClusterRecord, PairEncoder, PairRecord, Report, Summary};
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

/// `summary`, `pair` and `cluster` records, one per line.
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
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `{"summary": {…}, "pairs": […], "clusters": […]}`, written as records arrive.
pub struct JsonReport<'w> {
    out: Box<dyn Write + 'w>,
    pairs: usize,
    clusters: usize,
}

impl<'w> JsonReport<'w> {
    /// Writes into `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonReport { out, pairs: 0, clusters: 0 }
    }
}

impl Report for JsonReport<'_> {
    fn summary(&mut self, s: &Summary) -> io::Result<()> {
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
    fn finish(&mut self) -> io::Result<()> {
        if self.clusters == 0 {
            self.out.write_all(b"],\n\"clusters\":[")?;
        }
        self.out.write_all(b"]}\n")?;
        self.out.flush()
    }
}
