//! The archive's file: one SQLite database (write-ahead log, so queries read the last committed
//! batch while an `add` writes the next), tagged as reprint's with its application id and format
//! number so that a foreign or newer file is refused, never misread.
//!
//! Tables:
//! - `meta`: the format, the reprint that made it, the scan options (JSON), counters;
//! - `docs`: every document by number (input order): id, source, date, title, its text
//!   compressed (zstd) so the archive stands alone;
//! - `sources`: each source's number and live document count;
//! - `postings`: band and anchor postings, and each source's anchor counts (for boilerplate),
//!   in segments of sorted runs (see the `runs` module); a rowid table, so that a batch's blobs
//!   are appended (a table keyed by bucket took each batch's rows into the middle of the tree
//!   and left half-empty pages: 536 against 423 MB for 50,000 articles), found by an index on
//!   (kind, segment, first key) (formats 1 and 2: (kind, bucket, segment));
//! - `deleted`: removed documents still named in postings, until `compact`;
//! - `heavy`: per source, when the archive was last compacted: the segment written, the mark
//!   (counts at or above it went to [`super::postings::Kind::HeavyCounts`]) and the documents
//!   added since (see the `runs` module).

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Read;
use std::path::Path;

/// `RPRT`: marks the SQLite file as a reprint archive.
pub const APPLICATION_ID: i64 = 0x5250_5254;

/// The layout this reprint writes (it reads every earlier one too): 3 keeps each segment's
/// postings as sorted runs found by their first key (see the `runs` module), 2 packed them as
/// varints in fixed buckets (see [`super::postings`]), 1 stored them as 12-byte entries.
pub const FORMAT: i64 = 3;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source INTEGER,
    date TEXT,
    title TEXT,
    bytes INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE sources (num INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, docs INTEGER NOT NULL);
CREATE TABLE postings (
    kind INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    segment INTEGER NOT NULL,
    entries BLOB NOT NULL
);
CREATE UNIQUE INDEX postings_by_run ON postings (kind, segment, bucket);
CREATE TABLE deleted (num INTEGER PRIMARY KEY);
CREATE TABLE heavy (source INTEGER PRIMARY KEY, segment INTEGER NOT NULL, mark INTEGER NOT NULL, added INTEGER NOT NULL);
";

/// The table of each source's heavy mark (format 3; made by `compact` in an upgraded archive).
pub const HEAVY_TABLE: &str = "CREATE TABLE IF NOT EXISTS heavy (source INTEGER PRIMARY KEY, segment INTEGER NOT NULL, mark INTEGER NOT NULL, added INTEGER NOT NULL);";

/// An [`Error::Archive`] for `path`.
pub fn archive_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Archive { path: path.display().to_string(), message: message.into() }
}

/// Wraps a store error with what was being done.
pub fn store_error<'a>(path: &'a Path, doing: &str) -> impl Fn(rusqlite::Error) -> Error + 'a {
    let doing = doing.to_string();
    move |e| {
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
            _ => None,
        };
        let hint = match code {
            Some(rusqlite::ErrorCode::DiskFull) => " (the disk is full; nothing of this batch was kept)",
            Some(rusqlite::ErrorCode::SystemIoFailure) => {
                " (a write failed: the disk may be full or the file too large; nothing of this batch was kept)"
            }
            _ => "",
        };
        archive_error(path, format!("{doing}: {e}{hint}"))
    }
}

/// Page cache of a connection, in KiB (pages are allocated as they are used).
const CACHE_KIB: i64 = 256 * 1024;

/// Sets the connection up: write-ahead log, foreign writers waited for rather than refused.
fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(60)).map_err(store_error(path, "cannot configure"))?;
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(store_error(path, "cannot configure"))?;
    // A batch writes about 100 MB: with SQLite's default 2 MB page cache, pages spill to the log
    // in the middle of the transaction and are read back (a third of `add` went there).
    conn.pragma_update(None, "cache_size", -CACHE_KIB).map_err(store_error(path, "cannot configure"))?;
    Ok(())
}

/// Creates a new archive file at `path` with `meta` entries.
pub fn create(path: &Path, meta: &[(&str, String)]) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
    let mut conn = Connection::open_with_flags(path, flags).map_err(store_error(path, "cannot create the archive"))?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(store_error(path, "cannot create the archive"))?;
    configure(&conn, path)?;
    let tx = conn.transaction().map_err(store_error(path, "cannot create the archive"))?;
    tx.execute_batch(SCHEMA).map_err(store_error(path, "cannot create the archive"))?;
    tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(store_error(path, "cannot create the archive"))?;
    for (k, v) in meta {
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", (k, v))
            .map_err(store_error(path, "cannot create the archive"))?;
    }
    tx.commit().map_err(store_error(path, "cannot create the archive"))?;
    Ok(conn)
}

/// Opens the archive at `path` (read-only for queries), refusing anything that is not a
/// reprint archive of a format this reprint reads.
pub fn open(path: &Path, write: bool) -> Result<Connection> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            archive_error(path, "no archive here (`reprint index add ARCHIVE INPUT` creates one)")
        }
        _ => archive_error(path, format!("cannot open: {e}")),
    })?;
    if meta.is_dir() {
        return Err(archive_error(path, "is a directory, not an archive file"));
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    match read {
        Ok(16) if &head == b"SQLite format 3\0" => {}
        Ok(_) => return Err(archive_error(path, "not a reprint archive (not even a database file)")),
        Err(e) => return Err(archive_error(path, format!("cannot read: {e}"))),
    }
    let flags = match write {
        true => OpenFlags::SQLITE_OPEN_READ_WRITE,
        false => OpenFlags::SQLITE_OPEN_READ_ONLY,
    };
    let conn = Connection::open_with_flags(path, flags).map_err(store_error(path, "cannot open the archive"))?;
    let damaged = |e: rusqlite::Error| archive_error(path, format!("damaged or not a reprint archive: {e}"));
    configure(&conn, path).map_err(|e| archive_error(path, format!("damaged or not a reprint archive ({e})")))?;
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(damaged)?;
    if app != APPLICATION_ID {
        return Err(archive_error(path, "a database, but not a reprint archive"));
    }
    let format: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0)).optional().map_err(damaged)?;
    let format: i64 = format.and_then(|f| f.parse().ok()).ok_or_else(|| archive_error(path, "damaged: no format"))?;
    if format > FORMAT {
        let by: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'reprint'", [], |r| r.get(0)).optional().ok().flatten();
        return Err(archive_error(
            path,
            format!(
                "made by a newer reprint ({}, archive format {format}); this reprint ({}) reads formats up to {FORMAT}: upgrade reprint",
                by.unwrap_or_else(|| "unknown".into()),
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    Ok(conn)
}

/// One `meta` value.
pub fn meta(conn: &Connection, path: &Path, key: &str) -> Result<String> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(store_error(path, "cannot read the archive"))?
        .ok_or_else(|| archive_error(path, format!("damaged: no `{key}` in meta")))
}

/// A `meta` counter.
pub fn meta_number(conn: &Connection, path: &Path, key: &str) -> Result<i64> {
    meta(conn, path, key)?.parse().map_err(|_| archive_error(path, format!("damaged: `{key}` in meta is not a number")))
}

/// The number of the archived document with this id, if there is one.
pub fn archived_num(conn: &Connection, path: &Path, id: &str) -> Result<Option<i64>> {
    let read = store_error(path, "cannot read");
    let mut find = conn.prepare_cached("SELECT num FROM docs WHERE id = ?1").map_err(&read)?;
    find.query_row([id], |r| r.get::<_, i64>(0)).optional().map_err(read)
}

/// The removed documents still named in postings (until `compact`).
pub fn removed(conn: &Connection, path: &Path) -> Result<ahash::AHashSet<u32>> {
    let read = store_error(path, "cannot read");
    let mut q = conn.prepare_cached("SELECT num FROM deleted").map_err(&read)?;
    let rows = q.query_map([], |r| r.get::<_, i64>(0)).map_err(&read)?;
    rows.map(|r| r.map(|n| n as u32)).collect::<rusqlite::Result<_>>().map_err(read)
}

/// Copies committed batches from the write-ahead log into the database file on a thread of its
/// own (with its own connection), while the writer goes on with the next batch: SQLite's
/// automatic checkpoint would do it inside the writer's commit, with two flushes to disk, and
/// hold the writer meanwhile. The log starts over only when it was copied whole before a write
/// begins, so every [`Checkpointer::BATCHES_PER_RESTART`] batches the writer waits for the copy
/// ([`Checkpointer::wait`]): the log holds at most that many batches.
pub struct Checkpointer {
    /// Asks for a checkpoint; dropped to stop the thread.
    ask: Option<std::sync::mpsc::Sender<()>>,
    /// One answer per checkpoint asked for.
    done: std::sync::mpsc::Receiver<Result<()>>,
    /// Checkpoints asked for and not answered.
    pending: std::cell::Cell<usize>,
    /// The thread.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Batches written between two waits for the log to be copied whole.
    pub const BATCHES_PER_RESTART: usize = 4;

    /// Starts the thread for the archive at `path` and turns the writer's automatic checkpoints
    /// off (on `writer`, the connection that adds).
    pub fn start(path: &Path, writer: &Connection) -> Result<Self> {
        writer.pragma_update(None, "wal_autocheckpoint", 0).map_err(store_error(path, "cannot configure"))?;
        let conn = open(path, true)?;
        let (ask, asked) = std::sync::mpsc::channel::<()>();
        let (answer, done) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        let thread = std::thread::spawn(move || {
            for () in asked {
                // PASSIVE: copies what no reader still needs, waiting for nobody.
                let copied = conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    .map_err(store_error(&path, "cannot copy the log into the archive"));
                if answer.send(copied).is_err() {
                    return;
                }
            }
        });
        Ok(Checkpointer { ask: Some(ask), done, pending: 0.into(), thread: Some(thread) })
    }

    /// A batch was committed: copy it.
    pub fn committed(&self) {
        if let Some(ask) = &self.ask {
            if ask.send(()).is_ok() {
                self.pending.set(self.pending.get() + 1);
            }
        }
    }

    /// Waits until every batch committed so far was copied (the next write starts the log over).
    pub fn wait(&self) -> Result<()> {
        while self.pending.get() > 0 {
            self.pending.set(self.pending.get() - 1);
            if let Ok(copied) = self.done.recv() {
                copied?;
            }
        }
        Ok(())
    }

    /// Waits for the last copies, stops the thread and gives `writer` its automatic
    /// checkpoints back.
    pub fn finish(self, writer: &Connection, path: &Path) -> Result<()> {
        let waited = self.wait();
        // The thread stops when `self` is dropped (see `Drop`), here.
        drop(self);
        writer.pragma_update(None, "wal_autocheckpoint", 1000).map_err(store_error(path, "cannot configure"))?;
        waited
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.ask = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Compresses a text for the `docs` table: one zstd frame (level 1), its size in the header.
pub fn compress(path: &Path, text: &str) -> Result<Vec<u8>> {
    Compressor::new(path)?.compress(text)
}

/// Compresses texts for the `docs` table as [`compress`] does, keeping one zstd context for many
/// texts (making one per text was 4% of an `add`).
pub struct Compressor<'a> {
    /// The archive, for errors.
    path: &'a Path,
    /// libzstd's context, level 1.
    zstd: zstd::bulk::Compressor<'static>,
}

impl<'a> Compressor<'a> {
    /// A compressor for texts of the archive at `path`.
    pub fn new(path: &'a Path) -> Result<Self> {
        let zstd =
            zstd::bulk::Compressor::new(1).map_err(|e| archive_error(path, format!("cannot compress a text: {e}")))?;
        Ok(Compressor { path, zstd })
    }

    /// One text as one zstd frame, its size in the header.
    pub fn compress(&mut self, text: &str) -> Result<Vec<u8>> {
        self.zstd
            .compress(text.as_bytes())
            .map_err(|e| archive_error(self.path, format!("cannot compress a text: {e}")))
    }
}

/// Reads texts of the `docs` table as [`decompress`] does, keeping one zstd context for many
/// texts (making one per text was 3.5% of a large query's time).
#[derive(Default)]
pub struct Decompressor {
    /// libzstd's context.
    zstd: zstd::zstd_safe::DCtx<'static>,
}

impl Decompressor {
    /// Frames past this size are read by [`decompress`]'s stream decoder, a piece at a time,
    /// rather than into a buffer of the size the frame's header claims.
    const ONE_CALL_MAX: u64 = 1 << 28;

    /// One text. A frame that gives its size (every frame reprint writes) is read in one call
    /// into a buffer of that size; any other, or any failure, goes to [`decompress`], which
    /// also says what is wrong.
    pub fn decompress(&mut self, path: &Path, blob: &[u8]) -> Result<String> {
        if let Ok(Some(size)) = zstd::zstd_safe::get_frame_content_size(blob) {
            if size <= Self::ONE_CALL_MAX {
                let mut out = Vec::with_capacity(size as usize);
                if self.zstd.decompress(&mut out, blob).is_ok() && out.len() as u64 == size {
                    return String::from_utf8(out).map_err(|_| archive_error(path, "damaged text: not UTF-8"));
                }
            }
        }
        decompress(path, blob)
    }
}

/// A text from the `docs` table.
pub fn decompress(path: &Path, blob: &[u8]) -> Result<String> {
    let out = zstd::stream::decode_all(blob).map_err(|e| archive_error(path, format!("damaged text: {e}")))?;
    String::from_utf8(out).map_err(|_| archive_error(path, "damaged text: not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_they_went_in() {
        for t in ["", "plain", "ünïcödé 東京 “quoted”", &"long text ".repeat(10_000)] {
            assert_eq!(decompress(Path::new("a"), &compress(Path::new("a"), t).unwrap()).unwrap(), t);
        }
        assert!(decompress(Path::new("a"), b"not zstd").is_err());
        // The same through one context kept for many texts, damaged frames included.
        let mut d = Decompressor::default();
        for t in ["", "plain", "ünïcödé 東京 “quoted”", &"long text ".repeat(10_000)] {
            let blob = compress(Path::new("a"), t).unwrap();
            assert_eq!(d.decompress(Path::new("a"), &blob).unwrap(), t);
            assert!(d.decompress(Path::new("a"), &blob[..blob.len() / 2]).is_err());
            let two_frames = [&blob[..], &blob[..]].concat();
            assert_eq!(d.decompress(Path::new("a"), &two_frames).unwrap(), t.repeat(2));
        }
        assert!(d.decompress(Path::new("a"), b"not zstd").is_err());
        // Archives written before libzstd compressed with ruzstd: the same format.
        let old =
            ruzstd::encoding::compress_to_vec("older text".as_bytes(), ruzstd::encoding::CompressionLevel::Fastest);
        assert_eq!(decompress(Path::new("a"), &old).unwrap(), "older text");
    }
}
