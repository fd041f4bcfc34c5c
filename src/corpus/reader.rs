//! Reading a corpus: the documents so far, and what only reading needs (each document's line
//! while texts stay in memory, whether texts are moving out and where, the first line without
//! an id). What it gives back is the [`Corpus`].

use super::spill::SpillWriter;
use super::{files, Corpus, Diagnostic, Doc, InputLine, LineRef, Origin, ReadError, ReadOptions, Severity, Stored};
use ahash::AHashMap;
use std::path::Path;
use std::sync::Arc;

/// A corpus being read.
#[derive(Default)]
pub(super) struct Reader {
    /// The documents, diagnostics and counts so far.
    pub(super) corpus: Corpus,
    /// Until texts start moving out: each document's line, if it has one.
    lines: Vec<Option<InputLine>>,
    /// The first JSON line without an id, for the warning.
    first_missing_id: Option<Origin>,
    /// True once texts move out of memory.
    moving_out: bool,
    /// Where texts without a line to be read from go once moving out.
    spilling: Option<SpillWriter>,
    /// Bytes of text held in memory.
    held: u64,
}

impl Reader {
    /// Records a warning about `origin` (at `byte`, when known).
    pub(super) fn warn(&mut self, origin: Origin, byte: Option<u64>, message: String) {
        self.corpus.diagnostics.push(Diagnostic { severity: Severity::Warning, origin, byte, message });
    }

    /// Records an error about `origin`: something was left out.
    pub(super) fn error(&mut self, origin: Origin, message: String) {
        self.corpus.diagnostics.push(Diagnostic { severity: Severity::Error, origin, byte: None, message });
    }

    /// Counts a JSON line without an id (its document is named after its place); the first
    /// is remembered for the one warning [`read_paths`] gives.
    pub(super) fn note_missing_id(&mut self, origin: &Origin) {
        self.corpus.stats.missing_ids += 1;
        if self.first_missing_id.is_none() {
            self.first_missing_id = Some(origin.clone());
        }
    }

    /// Adds a document read from `line` of a plain JSON Lines input (if it was). Once the texts
    /// held pass `opts.spill_over`, every text moves out of memory: to be read again from its
    /// line where it has one, to the temporary file otherwise.
    pub(super) fn push_doc(
        &mut self,
        mut doc: Doc,
        line: Option<InputLine>,
        opts: &ReadOptions,
    ) -> Result<(), ReadError> {
        if doc.text.trim().is_empty() {
            self.corpus.stats.empty_skipped += 1;
            return Ok(());
        }
        self.held += doc.text.len() as u64;
        if !self.moving_out && opts.spill_over.is_some_and(|limit| self.held > limit) {
            self.moving_out = true;
            let lines = std::mem::take(&mut self.lines);
            let mut docs = std::mem::take(&mut self.corpus.docs);
            for (d, line) in docs.iter_mut().zip(lines) {
                self.move_out(d, line)?;
            }
            self.corpus.docs = docs;
        }
        if self.moving_out {
            self.move_out(&mut doc, line)?;
        } else {
            self.lines.push(line);
        }
        self.corpus.docs.push(doc);
        Ok(())
    }

    /// Moves `doc`'s text out of memory (see [`Reader::push_doc`]).
    fn move_out(&mut self, doc: &mut Doc, line: Option<InputLine>) -> Result<(), ReadError> {
        if let Some(line) = line {
            // Hashed only now: texts that stay in memory never need it.
            doc.stored = Some(Stored::Line(LineRef::new(line, &doc.text)));
            doc.text = String::new();
            return Ok(());
        }
        let spill_error = |e: std::io::Error| ReadError::Spill { message: e.to_string() };
        if self.spilling.is_none() {
            self.spilling = Some(SpillWriter::create().map_err(spill_error)?);
        }
        if let Some(w) = &mut self.spilling {
            doc.stored = Some(Stored::Spill(w.push(&mut doc.text).map_err(spill_error)?));
        }
        Ok(())
    }

    /// Ends reading: the spilled texts become readable.
    fn finish_spill(&mut self) -> Result<(), ReadError> {
        self.lines = Vec::new();
        if let Some(w) = self.spilling.take() {
            let file = w.finish().map_err(|e| ReadError::Spill { message: e.to_string() })?;
            self.corpus.spill_file = Some(Arc::new(file));
        }
        Ok(())
    }
}

/// Reads every path in order: `-` is stdin, a directory is walked recursively, a file is read by
/// its extension (`.jsonl`/`.ndjson`/`.json`, optionally `.gz`/`.zst`, as JSON Lines; `.html`/
/// `.htm` reduced to main text; anything else as plain text). `on_bytes` is told how many bytes
/// were read as reading proceeds.
pub fn read_paths(paths: &[String], opts: &ReadOptions, on_bytes: &dyn Fn(u64)) -> Result<Corpus, ReadError> {
    let mut reading = Reader::default();
    for p in paths {
        if p == "-" {
            files::read_stdin(&mut reading, opts, on_bytes)?;
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| ReadError::Input { path: p.clone(), message: e.to_string() })?;
        if meta.is_dir() {
            files::read_dir(&mut reading, path, opts, on_bytes)?;
        } else {
            let id = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.clone());
            files::read_file(&mut reading, path, &id, None, opts, on_bytes, true)?;
        }
    }
    reading.finish_spill()?;
    if let Some(first) = reading.first_missing_id.take() {
        let n = reading.corpus.stats.missing_ids;
        let message = format!(
            "{n} JSON line{} had no {:?} field (or an empty one): {} named after {} place (file:line), the first at {first}",
            if n == 1 { "" } else { "s" },
            opts.fields.id,
            if n == 1 { "its document is" } else { "their documents are" },
            if n == 1 { "its" } else { "their" },
        );
        reading.warn(first, None, message);
    }
    check_ids(&mut reading, opts)?;
    let corpus = reading.corpus;
    if corpus.docs.is_empty() {
        const SHOWN: usize = 3;
        let errors: Vec<&Diagnostic> = corpus.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let mut problems: Vec<String> = errors.iter().take(SHOWN).map(|d| d.to_string()).collect();
        if errors.len() > SHOWN {
            problems.push(format!("… and {} more errors", errors.len() - SHOWN));
        }
        return Err(ReadError::NoDocuments {
            paths: paths.to_vec(),
            empty_skipped: corpus.stats.empty_skipped,
            problems,
        });
    }
    Ok(corpus)
}

/// Refuses a repeated id, or with `opts.dedupe_ids` keeps the first document of each id.
fn check_ids(reading: &mut Reader, opts: &ReadOptions) -> Result<(), ReadError> {
    let corpus = &mut reading.corpus;
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
        reading.warn(o, None, m);
    }
    Ok(())
}
