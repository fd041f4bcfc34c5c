//! Files, directories and stdin.

use super::html::html_to_text;
use super::jsonl::{read_jsonl, InputLines, UTF8_BOM};
use super::reader::Reader;
use super::{decode_lossy, Doc, Origin, ReadError, ReadOptions};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// How a file's content is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    JsonLines,
    Html,
    Text,
}

/// How a file is compressed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Compression {
    None,
    Gzip,
    Zstd,
    /// A compression reprint does not read (its name, and the command that undoes it).
    Unsupported(&'static str, &'static str),
}

/// Compressions recognised by name or by their first bytes but not read, with the command that
/// decompresses to stdout.
const UNSUPPORTED: [(&str, &[u8], &str, &str); 6] = [
    (".bz2", b"BZh", "bzip2", "bzip2 -dc"),
    (".xz", b"\xFD7zXZ\x00", "xz", "xz -dc"),
    (".lz4", b"\x04\x22\x4D\x18", "lz4", "lz4 -dc"),
    (".lzma", b"\x5D\x00\x00", "lzma", "xz -dc"),
    (".zip", b"PK\x03\x04", "zip", "unzip -p"),
    (".7z", b"7z\xBC\xAF\x27\x1C", "7z", "7z e -so"),
];

/// The compression whose magic number `head` (a file's first bytes) starts with.
fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(b"\x1F\x8B") {
        return Compression::Gzip;
    }
    if head.starts_with(b"\x28\xB5\x2F\xFD") {
        return Compression::Zstd;
    }
    UNSUPPORTED
        .iter()
        .find(|(_, magic, _, _)| head.starts_with(magic))
        .map_or(Compression::None, |&(_, _, name, cmd)| Compression::Unsupported(name, cmd))
}

/// Kind and compression from a file name; `None` for extensions a directory walk should skip.
fn classify(name: &str) -> (Option<Kind>, Compression) {
    let lower = name.to_ascii_lowercase();
    let unsupported = UNSUPPORTED.iter().find(|(ext, ..)| lower.ends_with(ext));
    let (stem, comp) = if let Some(s) = lower.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = lower.strip_suffix(".zst") {
        (s, Compression::Zstd)
    } else if let Some(&(ext, _, name, cmd)) = unsupported {
        (&lower[..lower.len() - ext.len()], Compression::Unsupported(name, cmd))
    } else {
        (lower.as_str(), Compression::None)
    };
    let ext = stem.rsplit_once('.').map(|x| x.1).unwrap_or("");
    let kind = match ext {
        "jsonl" | "ndjson" | "json" => Some(Kind::JsonLines),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "txt" | "md" | "text" | "markdown" => Some(Kind::Text),
        _ => None,
    };
    (kind, comp)
}

impl Compression {
    /// The compression's name and the command that decompresses it to stdout (`None`: plain).
    fn undo(self) -> Option<(&'static str, &'static str)> {
        match self {
            Compression::None => None,
            Compression::Gzip => Some(("gzip", "gzip -dc")),
            Compression::Zstd => Some(("zstd", "zstd -dc")),
            Compression::Unsupported(name, cmd) => Some((name, cmd)),
        }
    }
}

/// A reader of `file`'s content, decompressed as `comp` says.
fn decode(file: BufReader<File>, comp: Compression) -> std::io::Result<Box<dyn Read>> {
    Ok(match comp {
        Compression::None | Compression::Unsupported(..) => Box::new(file),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(file)),
        Compression::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(file)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?,
        ),
    })
}

/// First non-empty line, trimmed, as a title (at most 200 characters).
fn first_line_title(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.chars().take(200).collect())
}

/// Plain JSON Lines inputs kept open at most, to read texts back from (past it, texts that move
/// out of memory go to the temporary file): well under the usual limit of 1,024 open files.
const MAX_INPUT_LINE_FILES: usize = 256;

/// Reads one file. `explicit` files (named on the command line) with an unknown extension are
/// read as plain text; in a directory walk they are counted and skipped.
pub(super) fn read_file(
    reading: &mut Reader,
    path: &Path,
    id: &str,
    source: Option<String>,
    opts: &ReadOptions,
    on_bytes: &dyn Fn(u64),
    explicit: bool,
) -> Result<(), ReadError> {
    let shown = path.display().to_string();
    let (kind, comp) = classify(&path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let origin = Origin { path: shown.clone(), line: None };
    let refuse = |message: String, reading: &mut Reader| {
        if explicit {
            return Err(ReadError::Input { path: shown.clone(), message });
        }
        reading.error(origin.clone(), format!("{message}; left out"));
        Ok(())
    };
    let not_read = |(name, cmd): (&str, &str), how: &str| {
        format!("{how} it is {name}-compressed, which reprint does not read: decompress it first (`{cmd} {shown} | reprint scan -`)")
    };
    if let (Compression::Unsupported(name, cmd), true) = (comp, explicit || kind.is_some()) {
        return refuse(not_read((name, cmd), "its name says"), reading);
    }
    let kind = match kind {
        Some(k) => k,
        None if explicit => Kind::Text,
        None => {
            reading.corpus.stats.unsupported_files += 1;
            return Ok(());
        }
    };
    let mut file = match File::open(path) {
        Ok(f) => BufReader::with_capacity(1 << 16, f),
        Err(e) => {
            reading.error(origin, format!("cannot open: {e}; left out"));
            return Ok(());
        }
    };
    if comp == Compression::None {
        // What the first bytes say, when the name says plain: a compressed file is never read as
        // text.
        if let Some(found) = sniff(file.fill_buf().unwrap_or_default()).undo() {
            return refuse(not_read(found, "its first bytes say"), reading);
        }
    }
    let reader = match decode(file, comp) {
        Ok(r) => r,
        Err(e) => {
            reading.error(origin, format!("cannot open: {e}; left out"));
            return Ok(());
        }
    };
    reading.corpus.stats.files += 1;
    if kind == Kind::JsonLines {
        // A plain file's lines can be read again by position, so its texts need no temporary
        // file when they move out of memory.
        let lines = match (comp, opts.spill_over) {
            (Compression::None, Some(_)) if reading.corpus.input_lines.len() < MAX_INPUT_LINE_FILES => {
                InputLines::open(path, &shown, &opts.fields).ok().map(|l| {
                    reading.corpus.input_lines.push(l);
                    (reading.corpus.input_lines.len() - 1) as u32
                })
            }
            _ => None,
        };
        let compressed = comp != Compression::None;
        return read_jsonl(
            reading,
            BufReader::with_capacity(1 << 20, reader),
            &shown,
            compressed,
            lines,
            opts,
            on_bytes,
        );
    }
    let mut bytes = Vec::new();
    if let Err(e) = BufReader::new(reader).read_to_end(&mut bytes) {
        reading.error(origin, format!("read failed: {e}; left out"));
        return Ok(());
    }
    on_bytes(bytes.len() as u64);
    reading.corpus.stats.bytes += bytes.len() as u64;
    push_text_doc(reading, bytes, kind, id.to_string(), source, origin, opts)
}

fn push_text_doc(
    reading: &mut Reader,
    bytes: Vec<u8>,
    kind: Kind,
    id: String,
    source: Option<String>,
    origin: Origin,
    opts: &ReadOptions,
) -> Result<(), ReadError> {
    let mut bytes = bytes;
    if bytes.starts_with(UTF8_BOM) {
        // A byte-order mark is not text: offsets count from the first character after it.
        bytes.drain(..UTF8_BOM.len());
    }
    let (raw, bad) = decode_lossy(bytes);
    if let Some((first, count)) = bad {
        reading.warn(
            origin.clone(),
            Some(first as u64),
            format!("invalid UTF-8 ({count} sequence(s) replaced with U+FFFD)"),
        );
    }
    let (text, title) = match kind {
        Kind::Html => {
            let (text, title) = html_to_text(&raw);
            let title = title.or_else(|| first_line_title(&text));
            (text, title)
        }
        _ => {
            let title = first_line_title(&raw);
            (raw, title)
        }
    };
    reading.push_doc(Doc::new(id, source, None, title, text, origin), None, opts)
}

/// Walks `root` recursively in name order, following symbolic links (loops are detected and
/// reported, never followed forever). Ids are paths relative to `root` with `/` separators; the
/// first directory of that path, if any, is the document's source.
pub(super) fn read_dir(
    reading: &mut Reader,
    root: &Path,
    opts: &ReadOptions,
    on_bytes: &dyn Fn(u64),
) -> Result<(), ReadError> {
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                let origin = Origin { path, line: None };
                if e.loop_ancestor().is_some() {
                    reading.warn(origin, None, "symbolic link loop; not followed".into());
                } else {
                    let why = e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string());
                    reading.error(origin, format!("cannot read: {why}; left out"));
                }
                continue;
            }
        };
        let kind = entry.file_type();
        if !kind.is_file() {
            if !kind.is_dir() {
                // A FIFO, socket or device (perhaps behind a link): reading it could block or
                // never end.
                let origin = Origin { path: entry.path().display().to_string(), line: None };
                reading.warn(origin, None, "not a regular file (a FIFO, socket or device); left out".into());
                reading.corpus.stats.unsupported_files += 1;
            }
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let id = parts.join("/");
        let source = if parts.len() > 1 { Some(parts[0].clone()) } else { None };
        read_file(reading, entry.path(), &id, source, opts, on_bytes, false)?;
    }
    Ok(())
}

/// Reads stdin: JSON Lines when its first non-blank byte is `{`, otherwise one plain-text
/// document with id `-`.
pub(super) fn read_stdin(reading: &mut Reader, opts: &ReadOptions, on_bytes: &dyn Fn(u64)) -> Result<(), ReadError> {
    let stdin = std::io::stdin();
    let mut reader = BufReader::with_capacity(1 << 20, stdin.lock());
    reading.corpus.stats.files += 1;
    if reader.fill_buf().is_ok_and(|b| b.starts_with(UTF8_BOM)) {
        reader.consume(UTF8_BOM.len());
    }
    let first = loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) => return Err(ReadError::Input { path: "-".into(), message: e.to_string() }),
        };
        if buf.is_empty() {
            break None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    match first {
        None => Ok(()),
        Some(b'{') => read_jsonl(reading, reader, "-", false, None, opts, on_bytes),
        Some(_) => {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| ReadError::Input { path: "-".into(), message: e.to_string() })?;
            on_bytes(bytes.len() as u64);
            reading.corpus.stats.bytes += bytes.len() as u64;
            push_text_doc(reading, bytes, Kind::Text, "-".into(), None, Origin { path: "-".into(), line: None }, opts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_extension() {
        assert_eq!(classify("a.jsonl.gz"), (Some(Kind::JsonLines), Compression::Gzip));
        assert_eq!(classify("a.NDJSON.zst"), (Some(Kind::JsonLines), Compression::Zstd));
        assert_eq!(classify("x/y.htm"), (Some(Kind::Html), Compression::None));
        assert_eq!(classify("notes.md"), (Some(Kind::Text), Compression::None));
        assert_eq!(classify("image.png"), (None, Compression::None));
        assert_eq!(classify("README"), (None, Compression::None));
    }

    #[test]
    fn title_is_first_nonblank_line() {
        assert_eq!(first_line_title("\n\n  Headline here \nbody").as_deref(), Some("Headline here"));
        assert_eq!(first_line_title("   \n "), None);
    }
}
