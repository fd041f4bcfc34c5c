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

use ahash::AHashMap;
use serde::Serialize;
use std::fmt;
use std::path::Path;

pub use html::html_to_text;
pub use jsonl::Fields;

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
    /// The text every offset points into.
    pub text: String,
    /// Where the document was read from.
    #[serde(skip)]
    pub origin: Origin,
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
    BadLine { origin: Origin, message: String },
    /// Two documents with one id (use `--dedupe-ids` to keep the first).
    DuplicateId { id: String, first: Origin, second: Origin },
    /// A path given on the command line that does not exist or cannot be opened.
    Input { path: String, message: String },
    /// Nothing to scan.
    NoDocuments { paths: Vec<String>, empty_skipped: usize },
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
            ReadError::NoDocuments { paths, empty_skipped } => {
                write!(f, "no documents found in {}", paths.join(", "))?;
                if *empty_skipped > 0 {
                    write!(f, " ({empty_skipped} empty or whitespace-only documents skipped)")?;
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
    /// Files in walked directories with an extension reprint does not read.
    pub unsupported_files: usize,
}

/// A read corpus: its documents in input order, plus what went wrong on the way.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Documents in the order read (paths in the order given, directories sorted by name).
    pub docs: Vec<Doc>,
    /// Warnings and errors, in the order met.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub stats: ReadStats,
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

    fn warn(&mut self, origin: Origin, byte: Option<u64>, message: String) {
        self.diagnostics.push(Diagnostic { severity: Severity::Warning, origin, byte, message });
    }

    fn error(&mut self, origin: Origin, message: String) {
        self.diagnostics.push(Diagnostic { severity: Severity::Error, origin, byte: None, message });
    }

    fn push_doc(&mut self, doc: Doc) {
        if doc.text.trim().is_empty() {
            self.stats.empty_skipped += 1;
        } else {
            self.docs.push(doc);
        }
    }
}

/// Reads every path in order: `-` is stdin, a directory is walked recursively, a file is read by
/// its extension (`.jsonl`/`.ndjson`/`.json`, optionally `.gz`/`.zst`, as JSON Lines; `.html`/
/// `.htm` reduced to main text; anything else as plain text). `on_bytes` is told how many bytes
/// were read as reading proceeds.
pub fn read_paths(paths: &[String], opts: &ReadOptions, on_bytes: &dyn Fn(u64)) -> Result<Corpus, ReadError> {
    let mut corpus = Corpus::default();
    for p in paths {
        if p == "-" {
            files::read_stdin(&mut corpus, opts, on_bytes)?;
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| ReadError::Input { path: p.clone(), message: e.to_string() })?;
        if meta.is_dir() {
            files::read_dir(&mut corpus, path, opts, on_bytes)?;
        } else {
            let id = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.clone());
            files::read_file(&mut corpus, path, &id, None, opts, on_bytes, true)?;
        }
    }
    check_ids(&mut corpus, opts)?;
    if corpus.docs.is_empty() {
        return Err(ReadError::NoDocuments { paths: paths.to_vec(), empty_skipped: corpus.stats.empty_skipped });
    }
    Ok(corpus)
}

fn check_ids(corpus: &mut Corpus, opts: &ReadOptions) -> Result<(), ReadError> {
    let mut seen: AHashMap<&str, usize> = AHashMap::with_capacity(corpus.docs.len());
    let mut drop = Vec::new();
    for (i, d) in corpus.docs.iter().enumerate() {
        if let Some(&first) = seen.get(d.id.as_str()) {
            if !opts.dedupe_ids {
                return Err(ReadError::DuplicateId {
                    id: d.id.clone(),
                    first: corpus.docs[first].origin.clone(),
                    second: d.origin.clone(),
                });
            }
            drop.push((i, first));
        } else {
            seen.insert(&d.id, i);
        }
    }
    if drop.is_empty() {
        return Ok(());
    }
    let messages: Vec<(Origin, String)> = drop
        .iter()
        .map(|&(i, first)| {
            let d = &corpus.docs[i];
            (d.origin.clone(), format!("duplicate id {:?} (first at {}): dropped", d.id, corpus.docs[first].origin))
        })
        .collect();
    let dropped: ahash::AHashSet<usize> = drop.iter().map(|x| x.0).collect();
    let mut i = 0;
    corpus.docs.retain(|_| {
        i += 1;
        !dropped.contains(&(i - 1))
    });
    corpus.stats.duplicate_ids_dropped = dropped.len();
    for (o, m) in messages {
        corpus.warn(o, None, m);
    }
    Ok(())
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

impl AsRef<str> for Doc {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_decoding_reports_first_bad_byte() {
        let (t, bad) = decode_lossy(b"ok \xff\xfe then".to_vec());
        assert_eq!(t, "ok \u{FFFD}\u{FFFD} then");
        assert_eq!(bad, Some((3, 2)));
        assert_eq!(decode_lossy(b"fine".to_vec()), ("fine".to_string(), None));
    }
}
