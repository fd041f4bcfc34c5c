//! Texts moved out of memory into an unnamed temporary file while reading, for corpora too large
//! to hold comfortably: a million 4 KB articles are 4.4 GB of text that the scan needs only in
//! passes (fingerprinting reads each text once, alignment and reporting a few). Texts are read
//! back by position; the operating system's page cache keeps what fits in memory without it
//! counting against the process, and gives it back under pressure.
//!
//! The file is created with [`tempfile::tempfile`] in the temporary directory (`TMPDIR`) and
//! already unlinked: nothing is left behind, even if the process is killed.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Mutex;

/// Where a spilled text is in the temporary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    /// First byte.
    pub offset: u64,
    /// Length in bytes (the text is valid UTF-8).
    pub len: u64,
}

/// Where a text moved out of memory is read back from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The corpus's temporary file.
    Spill(Spilled),
    /// Its own line of a plain (uncompressed) JSON Lines input file, parsed again when the text is
    /// needed: nothing is written for it.
    Line(LineRef),
}

impl Stored {
    /// Length of the text in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Stored::Spill(s) => s.len,
            Stored::Line(l) => l.text_len,
        }
    }

    /// True for an empty text (never stored: empty documents are left out).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where a document's line is in a JSON Lines input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLine {
    /// Which input file, in [`crate::corpus::Corpus::input_lines`].
    pub file: u32,
    /// First byte of the line.
    pub offset: u64,
    /// Bytes of the line, newline included.
    pub len: u64,
}

/// A text moved out of memory that its input line holds: where the line is, and what the text
/// was, so that a line changed since it was read is never taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    /// The line.
    pub line: InputLine,
    /// Bytes of the text.
    pub text_len: u64,
    /// xxh3 of the text.
    pub text_hash: u64,
}

impl LineRef {
    /// The reference to `text`, read from `line`.
    pub fn new(line: InputLine, text: &str) -> Self {
        LineRef { line, text_len: text.len() as u64, text_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()) }
    }

    /// Whether `text` is the text first read from the line.
    pub fn holds(&self, text: &str) -> bool {
        text.len() as u64 == self.text_len && xxhash_rust::xxh3::xxh3_64(text.as_bytes()) == self.text_hash
    }
}

/// The file being written while reading. Writing to the page cache costs about as much as
/// parsing the JSON (2 s a GB on this project's machine), so a thread of its own does it while
/// reading goes on: texts are handed over in batches of about [`BATCH`] bytes.
pub(super) struct SpillWriter {
    /// Texts not yet handed to the writer.
    batch: Vec<String>,
    batch_bytes: usize,
    /// To the writing thread; `None` once it has stopped.
    send: Option<std::sync::mpsc::SyncSender<Vec<String>>>,
    writer: Option<std::thread::JoinHandle<io::Result<File>>>,
    at: u64,
}

/// The error of a writing thread that ended without saying why (it panicked, or was joined
/// already).
fn stopped() -> io::Error {
    io::Error::other("the thread writing the temporary file stopped")
}

/// Bytes handed to the writing thread at once.
const BATCH: usize = 4 << 20;

impl std::fmt::Debug for SpillWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpillWriter({} bytes)", self.at)
    }
}

impl SpillWriter {
    /// A new, unlinked temporary file, and the thread that writes it.
    pub(super) fn create() -> io::Result<Self> {
        let file = tempfile::tempfile()?;
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<String>>(4);
        let writer = std::thread::Builder::new().name("spill".into()).spawn(move || {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            for batch in receive {
                for text in batch {
                    out.write_all(text.as_bytes())?;
                }
            }
            out.into_inner().map_err(|e| e.into_error())
        })?;
        Ok(SpillWriter { batch: Vec::new(), batch_bytes: 0, send: Some(send), writer: Some(writer), at: 0 })
    }

    /// Moves `text` to the file (it is left empty); returns where it will be.
    pub(super) fn push(&mut self, text: &mut String) -> io::Result<Spilled> {
        let span = Spilled { offset: self.at, len: text.len() as u64 };
        self.at += span.len;
        self.batch_bytes += text.len();
        self.batch.push(std::mem::take(text));
        if self.batch_bytes >= BATCH {
            self.hand_over()?;
        }
        Ok(span)
    }

    /// Sends the batch to the writing thread; if it has stopped, its error.
    fn hand_over(&mut self) -> io::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        if self.send.as_ref().is_some_and(|s| s.send(batch).is_ok()) {
            return Ok(());
        }
        Err(self.join().err().unwrap_or_else(stopped))
    }

    /// Closes the channel and waits for the writing thread: the written file, or its error.
    fn join(&mut self) -> io::Result<File> {
        self.send = None;
        match self.writer.take().map(|w| w.join()) {
            Some(Ok(file)) => file,
            _ => Err(stopped()),
        }
    }

    /// Ends writing (every text is in the file); the file can then be read.
    pub(super) fn finish(mut self) -> io::Result<SpillFile> {
        self.hand_over()?;
        Ok(SpillFile { file: self.join()?, failed: FirstFailure::default() })
    }
}

/// The first failure of reads made from any thread: the texts stores keep it for callers to
/// check before reporting anything, since results over missing texts would be wrong.
#[derive(Debug, Default)]
pub(super) struct FirstFailure(Mutex<Option<String>>);

impl FirstFailure {
    /// Keeps `message` unless a failure is already kept.
    pub(super) fn record(&self, message: String) {
        if let Ok(mut failed) = self.0.lock() {
            failed.get_or_insert(message);
        }
    }

    /// The failure kept, if any.
    pub(super) fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|f| f.clone())
    }
}

/// The finished file, read from any thread.
#[derive(Debug)]
pub struct SpillFile {
    file: File,
    failed: FirstFailure,
}

impl SpillFile {
    /// The text at `span`, read into `buf`. A failed read (the temporary directory's disk gone
    /// bad) gives an empty text and is kept for [`SpillFile::failure`]: callers check it before
    /// reporting anything, since results over missing texts would be wrong.
    pub fn read<'a>(&self, span: Spilled, buf: &'a mut String) -> &'a str {
        buf.clear();
        let mut bytes = std::mem::take(buf).into_bytes();
        bytes.resize(span.len as usize, 0);
        let read = read_exact_at(&self.file, &mut bytes, span.offset).map_err(|e| e.to_string()).and_then(|()| {
            String::from_utf8(bytes).map_err(|e| format!("text at byte {} is not UTF-8: {e}", span.offset))
        });
        match read {
            Ok(text) => *buf = text,
            Err(e) => self.failed.record(format!("reading texts back from the temporary file failed: {e}")),
        }
        buf.as_str()
    }

    /// The first read that failed, if any.
    pub fn failure(&self) -> Option<String> {
        self.failed.get()
    }
}

#[cfg(unix)]
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_exactly_in_any_order() {
        let texts = ["first text", "", "ünïcödé 東京 👍🏽", "last"];
        let mut w = SpillWriter::create().unwrap();
        let spans: Vec<Spilled> = texts.iter().map(|t| w.push(&mut t.to_string()).unwrap()).collect();
        let file = w.finish().unwrap();
        let mut buf = String::new();
        for i in [2, 0, 3, 1, 2] {
            assert_eq!(file.read(spans[i], &mut buf), texts[i]);
        }
        assert_eq!(file.failure(), None);
        let past_end = Spilled { offset: 1000, len: 4 };
        assert_eq!(file.read(past_end, &mut buf), "");
        assert!(file.failure().unwrap().contains("temporary file"), "{:?}", file.failure());
    }
}
