//! Corpus stage: reading documents from directories, JSON Lines files and stdin.
//!
//! A [`Doc`] keeps its text exactly as read (after lossy UTF-8 decoding, and for HTML after
//! reduction to the main text): every offset reported later points into [`Doc::text`].
//!
//! Bad input never panics. What can be skipped safely is skipped and reported as a
//! [`Diagnostic`] naming the file, line and byte; what would silently lose or mix up data (a
//! malformed JSON line, a line without text, a duplicate id) is a [`ReadError`] unless the caller
//! opted to skip it.

mod files;
mod html;
mod jsonl;
mod reader;
mod spill;

use ahash::AHashMap;
use serde::Serialize;
use std::fmt;

pub use html::html_to_text;
pub use jsonl::Fields;
pub use jsonl::{read_job_line, JobLine};

/// Texts read past this many MB leave memory by default (`--spill-over`; see
/// [`ReadOptions::spill_over`]).
pub const DEFAULT_SPILL_OVER_MB: u64 = 1024;
pub use jsonl::InputLines;
pub use reader::read_paths;
pub(crate) use spill::read_exact_at;
pub use spill::{InputLine, LineRef, SpillFile, Spilled, Stored};
use std::sync::Arc;

/// One article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// Unique id: the JSON id field, or the file's path relative to the directory given.
    pub id: String,
    /// Outlet or series (JSON `series`/`source`; for files, the top-level sub-directory).
    pub source: Option<String>,
    /// Publication date as given (ISO 8601 sorts correctly as text).
    pub date: Option<String>,
    /// Headline (JSON `title`; first line of a text file; `<title>` of an HTML page).
    pub title: Option<String>,
    /// The text every offset points into; empty when the text was moved out of memory
    /// (`stored`): read texts through [`Texts`] to get them wherever they are.
    pub text: String,
    /// Where the text is read back from, when it was moved out of memory: the corpus's
    /// temporary file, or its own line of a plain JSON Lines input.
    #[serde(skip)]
    pub stored: Option<Stored>,
    /// Where the document was read from.
    #[serde(skip)]
    pub origin: Origin,
}

impl Doc {
    /// A document whose text is in memory.
    pub fn new(
        id: String,
        source: Option<String>,
        date: Option<String>,
        title: Option<String>,
        text: String,
        origin: Origin,
    ) -> Self {
        Doc { id, source, date, title, text, stored: None, origin }
    }

    /// Length of the text in bytes, wherever it is kept.
    pub fn byte_len(&self) -> u64 {
        self.stored.map_or(self.text.len() as u64, |s| s.len())
    }
}

/// Random access to the texts of a corpus, wherever they are kept (memory or a temporary file):
/// what the scan stages read.
pub trait Texts: Sync {
    /// Number of texts.
    fn count(&self) -> usize;
    /// Text `i`, borrowed from memory or read into `buf`.
    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str;
    /// Length of text `i` in bytes, without reading it.
    fn text_len(&self, i: usize) -> u64 {
        self.text(i, &mut String::new()).len() as u64
    }
}

impl<T: AsRef<str> + Sync> Texts for [T] {
    fn count(&self) -> usize {
        self.len()
    }
    fn text<'a>(&'a self, i: usize, _: &'a mut String) -> &'a str {
        self[i].as_ref()
    }
}

/// So that `&vec` can be passed where texts are asked for, as `&[T]` could before.
impl<T: AsRef<str> + Sync> Texts for Vec<T> {
    fn count(&self) -> usize {
        self.as_slice().count()
    }
    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str {
        self.as_slice().text(i, buf)
    }
}

impl Texts for Corpus {
    fn count(&self) -> usize {
        self.docs.len()
    }
    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str {
        let doc = &self.docs[i];
        match doc.stored {
            Some(Stored::Spill(span)) => match &self.spill_file {
                Some(file) => file.read(span, buf),
                None => &doc.text,
            },
            Some(Stored::Line(line)) => match self.input_lines.get(line.line.file as usize) {
                Some(file) => file.read(line, buf),
                None => &doc.text,
            },
            None => &doc.text,
        }
    }
    fn text_len(&self, i: usize) -> u64 {
        self.docs[i].byte_len()
    }
}

/// Where a document or a problem is: a file (or `-` for stdin) and, for JSON Lines, a line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The path as given or found while walking, `-` for stdin.
    pub path: String,
    /// 1-based line number in a JSON Lines file.
    pub line: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path, l),
            None => write!(f, "{}", self.path),
        }
    }
}

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Input was repaired or an unsupported file ignored; nothing of the corpus was lost.
    Warning,
    /// Input could not be read and was left out (an unreadable file or directory).
    Error,
}

/// A problem met while reading, and what was done about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// File and line.
    pub origin: Origin,
    /// Byte offset in the file (or the decompressed stream), where known.
    pub byte: Option<u64>,
    /// What was wrong and what was done.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.origin)?;
        if let Some(b) = self.byte {
            write!(f, " (byte {b})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A problem that stops reading: nothing should be reported from a corpus read this way.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// A JSON line that does not parse or lacks its text (use `--skip-bad-lines` to go on).
    BadLine {
        /// The file and line.
        origin: Origin,
        /// What is wrong with it.
        message: String,
    },
    /// Two documents with one id (use `--dedupe-ids` to keep the first).
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first met.
        first: Origin,
        /// Where it came again.
        second: Origin,
    },
    /// A path given on the command line that does not exist or cannot be opened.
    Input {
        /// The path as given.
        path: String,
        /// Why it cannot be read.
        message: String,
    },
    /// Nothing to scan.
    NoDocuments {
        /// The paths given.
        paths: Vec<String>,
        /// Documents left out for being empty.
        empty_skipped: usize,
        /// The errors met while reading (the first few), which are often why nothing was read.
        problems: Vec<String>,
    },
    /// Texts could not be moved to the temporary file (see [`ReadOptions::spill_over`]).
    Spill {
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::BadLine { origin, message } => {
                write!(f, "{origin}: {message} (use --skip-bad-lines to skip such lines)")
            }
            ReadError::DuplicateId { id, first, second } => write!(
                f,
                "duplicate document id {id:?} at {second}, first seen at {first} (use --dedupe-ids to keep the first)"
            ),
            ReadError::Input { path, message } => write!(f, "{path}: {message}"),
            ReadError::Spill { message } => write!(
                f,
                "cannot keep texts in a temporary file in {}: {message} (set TMPDIR to a directory with room, or raise --spill-over)",
                std::env::temp_dir().display()
            ),
            ReadError::NoDocuments { paths, empty_skipped, problems } => {
                write!(f, "no documents found in {}", paths.join(", "))?;
                if *empty_skipped > 0 {
                    write!(f, " ({empty_skipped} empty or whitespace-only documents skipped)")?;
                }
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// How to read a corpus.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Field names in JSON Lines.
    pub fields: Fields,
    /// Skip malformed JSON lines (with a warning each) instead of stopping.
    pub skip_bad_lines: bool,
    /// Keep the first of several documents with one id (with a warning) instead of stopping.
    pub dedupe_ids: bool,
    /// Once the texts read pass this many bytes, move them all to a temporary file and keep
    /// reading into it (see [`SpillFile`]); `None` keeps every text in memory.
    pub spill_over: Option<u64>,
}

/// Counts of what reading did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Files opened (stdin counts as one).
    pub files: usize,
    /// Bytes read (decompressed).
    pub bytes: u64,
    /// Empty or whitespace-only documents left out.
    pub empty_skipped: usize,
    /// Malformed JSON lines skipped (with `skip_bad_lines`).
    pub bad_lines_skipped: usize,
    /// Later documents dropped for repeating an id (with `dedupe_ids`).
    pub duplicate_ids_dropped: usize,
    /// Files in walked directories with an extension reprint does not read, or that are not
    /// regular files (FIFOs, sockets, devices).
    pub unsupported_files: usize,
    /// JSON lines without an id field, named `file:line` instead.
    pub missing_ids: usize,
}

/// A read corpus: its documents in input order, plus what went wrong on the way.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Documents in the order read (paths in the order given, directories sorted by name).
    pub docs: Vec<Doc>,
    /// Warnings and errors, in the order met.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub stats: ReadStats,
    /// The temporary file holding the texts moved out of memory, if any were.
    pub spill_file: Option<Arc<SpillFile>>,
    /// Plain JSON Lines inputs kept open: texts moved out of memory are read again from their
    /// lines (see [`Stored::Line`]), and only other texts go to the temporary file.
    pub input_lines: Vec<InputLines>,
}

/// A corpus built one document at a time (a cluster job's part): once `limit` bytes of text are
/// held, later texts go to an unlinked temporary file, as reading files does past
/// `--spill-over`.
#[derive(Debug)]
pub struct CorpusBuilder {
    corpus: Corpus,
    held: u64,
    limit: Option<u64>,
    spilling: Option<spill::SpillWriter>,
}

impl CorpusBuilder {
    /// An empty corpus that holds at most `limit` bytes of text in memory (`None`: all).
    pub fn new(limit: Option<u64>) -> Self {
        CorpusBuilder { corpus: Corpus::default(), held: 0, limit, spilling: None }
    }

    /// Adds `doc`, moving its text out of memory once the limit is passed.
    pub fn push(&mut self, mut doc: Doc) -> std::io::Result<()> {
        self.held += doc.text.len() as u64;
        if self.limit.is_some_and(|limit| self.held > limit) {
            if self.spilling.is_none() {
                self.spilling = Some(spill::SpillWriter::create()?);
            }
            if let Some(w) = &mut self.spilling {
                doc.stored = Some(Stored::Spill(w.push(&mut doc.text)?));
            }
        }
        self.corpus.docs.push(doc);
        Ok(())
    }

    /// The same, with `paths` kept open as the corpus's input files (numbered in order), so that
    /// documents pushed with [`CorpusBuilder::push_at`] are read again from their lines past the
    /// limit instead of going to the temporary file.
    pub fn with_inputs(mut self, paths: &[std::path::PathBuf]) -> std::io::Result<Self> {
        for path in paths {
            let shown = path.display().to_string();
            self.corpus.input_lines.push(InputLines::open(path, &shown, &Fields::default())?);
        }
        Ok(self)
    }

    /// Adds `doc`, whose text is the JSON line `line` of an input given to
    /// [`CorpusBuilder::with_inputs`]: once the limit is passed, the text is read there again
    /// when needed.
    pub fn push_at(&mut self, mut doc: Doc, line: InputLine) -> std::io::Result<()> {
        self.held += doc.text.len() as u64;
        if self.limit.is_some_and(|limit| self.held > limit) && (line.file as usize) < self.corpus.input_lines.len() {
            doc.stored = Some(Stored::Line(LineRef::new(line, &doc.text)));
            doc.text = String::new();
            self.corpus.docs.push(doc);
            return Ok(());
        }
        self.held -= doc.text.len() as u64;
        self.push(doc)
    }

    /// The documents pushed so far.
    pub fn docs(&self) -> &[Doc] {
        &self.corpus.docs
    }

    /// The corpus, its moved texts readable.
    pub fn finish(mut self) -> std::io::Result<Corpus> {
        if let Some(w) = self.spilling.take() {
            self.corpus.spill_file = Some(Arc::new(w.finish()?));
        }
        Ok(self.corpus)
    }
}

impl Corpus {
    /// True if some input could not be read (the CLI then exits with status 1 after reporting).
    pub fn had_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// Each document's source as a number (in order of first appearance), for stages that only
    /// need to tell sources apart.
    pub fn source_ids(&self) -> Vec<Option<u32>> {
        let mut ids: AHashMap<&str, u32> = AHashMap::new();
        self.docs
            .iter()
            .map(|d| {
                d.source.as_deref().map(|s| {
                    let next = ids.len() as u32;
                    *ids.entry(s).or_insert(next)
                })
            })
            .collect()
    }

    /// Text bytes of every document (in memory or spilled).
    pub fn text_bytes(&self) -> u64 {
        self.docs.iter().map(Doc::byte_len).sum()
    }

    /// Whether some text could not be read back from the temporary file (the message says why):
    /// results computed since then must not be reported.
    pub fn spill_failure(&self) -> Option<String> {
        let spill = self.spill_file.as_ref().and_then(|f| f.failure());
        spill.or_else(|| self.input_lines.iter().find_map(InputLines::failure))
    }
}

/// Decodes `bytes` as UTF-8, replacing invalid sequences with U+FFFD. Returns the text and, when
/// something was replaced, the offset of the first invalid byte and the number of replacements.
pub fn decode_lossy(bytes: Vec<u8>) -> (String, Option<(usize, usize)>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let first = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count()
                - std::str::from_utf8(&bytes[..first]).map(|s| s.matches('\u{FFFD}').count()).unwrap_or(0);
            (text, Some((first, replaced.max(1))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The test corpus: a blank text, a repeated id, non-ASCII text and an invalid UTF-8 byte.
    fn write_corpus(dir: &Path, gzip: bool) -> String {
        let lines: [&[u8]; 5] = [
            b"{\"id\":\"a\",\"text\":\"alpha text\"}",
            b"{\"id\":\"b\",\"text\":\"  \"}",
            b"{\"id\":\"a\",\"text\":\"repeated id\"}",
            "{\"id\":\"c\",\"text\":\"gamma ünï 東京\"}".as_bytes(),
            b"{\"id\":\"d\",\"text\":\"bad \xff byte\"}\r",
        ];
        let bytes = lines.join(&b"\n"[..]);
        let path = dir.join(if gzip { "c.jsonl.gz" } else { "c.jsonl" });
        if gzip {
            use std::io::Write;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&bytes).unwrap();
            std::fs::write(&path, z.finish().unwrap()).unwrap();
        } else {
            std::fs::write(&path, bytes).unwrap();
        }
        path.to_string_lossy().into_owned()
    }

    fn read_with(path: &str, spill_over: Option<u64>) -> Corpus {
        let opts = ReadOptions { dedupe_ids: true, spill_over, ..ReadOptions::default() };
        read_paths(&[path.to_string()], &opts, &|_| {}).unwrap()
    }

    #[test]
    fn texts_moved_out_read_back_through_texts_and_dedupe_keeps_them_aligned() {
        let dir = tempfile::tempdir().unwrap();
        let (plain, gzip) = (write_corpus(dir.path(), false), write_corpus(dir.path(), true));
        let memory = read_with(&plain, None);
        assert!(memory.spill_file.is_none() && memory.input_lines.is_empty());
        let want = ["alpha text", "gamma ünï 東京", "bad \u{FFFD} byte"];
        for (path, from_lines) in [(&plain, true), (&gzip, false)] {
            let (moved, late) = (read_with(path, Some(0)), read_with(path, Some(12)));
            for c in [&moved, &late] {
                // A plain file's texts are read again from its lines; a compressed one's spill.
                assert_eq!(c.spill_file.is_some(), !from_lines, "{path}");
                assert_eq!(c.input_lines.len(), from_lines as usize);
                let stored = |d: &Doc| matches!(d.stored, Some(Stored::Line(_))) == from_lines && d.stored.is_some();
                assert!(c.docs.iter().all(|d| d.text.is_empty() && stored(d)), "texts read before the limit move too");
            }
            for c in [&memory, &moved, &late] {
                let ids: Vec<&str> = c.docs.iter().map(|d| d.id.as_str()).collect();
                assert_eq!(ids, ["a", "c", "d"]);
                let mut buf = String::new();
                for (i, w) in want.iter().enumerate() {
                    assert_eq!(c.text(i, &mut buf), *w);
                    assert_eq!(c.text_len(i), w.len() as u64);
                }
                assert_eq!(c.text_bytes(), want.iter().map(|w| w.len() as u64).sum::<u64>());
                assert_eq!(c.spill_failure(), None);
            }
        }
    }

    #[test]
    fn a_plain_input_changed_after_reading_is_a_failure_not_wrong_text() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write_corpus(dir.path(), false);
        // Rewritten longer (another text at the same place), then cut short.
        let same_length = "{\"id\":\"a\",\"text\":\"alpha TEXT\"}\n".to_string();
        let longer = "{\"id\":\"a\",\"text\":\"other text, longer than the first one\"}\n".repeat(9);
        for rewrite in [same_length, longer, String::new()] {
            let c = read_with(&plain, Some(0));
            std::fs::write(&plain, &rewrite).unwrap();
            let mut buf = String::new();
            assert_eq!(c.text(0, &mut buf), "", "another text in its place is not taken for it");
            let failure = c.spill_failure().expect("the failure is kept");
            assert!(failure.contains("c.jsonl") && failure.contains("changed"), "{failure}");
            write_corpus(dir.path(), false);
        }
    }

    #[test]
    fn lossy_decoding_reports_first_bad_byte() {
        let (t, bad) = decode_lossy(b"ok \xff\xfe then".to_vec());
        assert_eq!(t, "ok \u{FFFD}\u{FFFD} then");
        assert_eq!(bad, Some((3, 2)));
        assert_eq!(decode_lossy(b"fine".to_vec()), ("fine".to_string(), None));
    }
}
