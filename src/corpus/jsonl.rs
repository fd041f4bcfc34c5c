//! JSON Lines records: one article per line, field names configurable, passim's names by default.

use super::reader::Reader;
use super::spill::{read_exact_at, FirstFailure, InputLine, LineRef};
use super::{decode_lossy, Doc, Origin, ReadError, ReadOptions};
use rayon::prelude::*;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::io::Read;

/// Which JSON fields hold what. Defaults follow passim: `id`, `text`, `series` (or `source`),
/// `date`, `title`.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document id field (`id`). A line without it gets `FILE:LINE` as its id.
    pub id: String,
    /// Text field (`text`); a line without it is a bad line.
    pub text: String,
    /// Source field; `None` tries `series`, then `source`.
    pub source: Option<String>,
    /// Date field (`date`).
    pub date: String,
    /// Title field (`title`).
    pub title: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields { id: "id".into(), text: "text".into(), source: None, date: "date".into(), title: "title".into() }
    }
}

/// Bytes read per block; the lines of a block are parsed in parallel.
const BLOCK_BYTES: usize = 8 << 20;

/// A parsed line with where it was, its first invalid UTF-8 byte (and count), and the result.
type ParsedLine = (Origin, u64, u64, Option<(usize, usize)>, Parsed);

/// What one line gave.
enum Parsed {
    /// A document, and whether the line named its id (else the id is `file:line`).
    Doc(Doc, bool),
    Blank,
    Bad(String),
}

/// A JSON value where a scalar is expected.
enum Scalar {
    Text(String),
    /// A number or boolean, printed.
    Other(String),
    Null,
    /// An array or object.
    Nested,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Scalar, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Scalar, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
        d.deserialize_any(V)
    }
}

/// Which configured field a JSON key is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Id,
    Text,
    Source,
    Series,
    SourceFallback,
    Date,
    Title,
    Other,
}

/// Matches keys against the field names without allocating.
struct KeySeed<'f>(&'f Fields);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Slot;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Slot, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Slot;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E>(self, k: &str) -> Result<Slot, E> {
        let f = self.0;
        Ok(if k == f.text {
            Slot::Text
        } else if k == f.id {
            Slot::Id
        } else if f.source.as_deref() == Some(k) {
            Slot::Source
        } else if f.source.is_none() && k == "series" {
            Slot::Series
        } else if f.source.is_none() && k == "source" {
            Slot::SourceFallback
        } else if k == f.date {
            Slot::Date
        } else if k == f.title {
            Slot::Title
        } else {
            Slot::Other
        })
    }
}

/// The configured fields of one record, as found.
#[derive(Default)]
struct Record {
    id: Option<Scalar>,
    text: Option<Scalar>,
    source: Option<Scalar>,
    series: Option<Scalar>,
    source_fallback: Option<Scalar>,
    date: Option<Scalar>,
    title: Option<Scalar>,
}

struct RecordSeed<'f>(&'f Fields);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        // Anything but an object is refused by serde with "invalid type: …, expected a JSON object".
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Record;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let mut r = Record::default();
        while let Some(slot) = map.next_key_seed(KeySeed(self.0))? {
            let target = match slot {
                Slot::Id => &mut r.id,
                Slot::Text => &mut r.text,
                Slot::Source => &mut r.source,
                Slot::Series => &mut r.series,
                Slot::SourceFallback => &mut r.source_fallback,
                Slot::Date => &mut r.date,
                Slot::Title => &mut r.title,
                Slot::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *target = Some(map.next_value::<Scalar>()?);
        }
        Ok(r)
    }
}

/// A scalar field as optional text; arrays and objects are an error naming the field.
fn scalar(v: Option<Scalar>, name: &str) -> Result<Option<String>, String> {
    match v {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Text(s) | Scalar::Other(s)) => Ok(Some(s)),
        Some(Scalar::Nested) => Err(format!("field `{name}` is an array or object, not a string")),
    }
}

fn parse_line(line: &str, origin: Origin, fields: &Fields) -> Parsed {
    if line.trim().is_empty() {
        return Parsed::Blank;
    }
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut de = serde_json::Deserializer::from_str(line);
    let r = match RecordSeed(fields).deserialize(&mut de).and_then(|r| de.end().map(|_| r)) {
        Ok(r) => r,
        Err(e) => {
            // serde_json counts lines inside this one line; only the column means anything here.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            return Parsed::Bad(format!("malformed JSON at column {}: {msg}", e.column()));
        }
    };
    let text = match r.text {
        None => return Parsed::Bad(format!("missing text field `{}`", fields.text)),
        Some(Scalar::Text(t)) => t,
        Some(_) => return Parsed::Bad(format!("text field `{}` is not a string", fields.text)),
    };
    let source_name = fields.source.as_deref().unwrap_or("series");
    let source = match (fields.source.is_some(), r.source, r.series, r.source_fallback) {
        (true, s, _, _) => scalar(s, source_name),
        (false, _, series, fallback) => match scalar(series, "series") {
            Ok(Some(s)) => Ok(Some(s)),
            Ok(None) => scalar(fallback, "source"),
            Err(e) => Err(e),
        },
    };
    let fields_ok = (scalar(r.id, &fields.id), source, scalar(r.date, &fields.date), scalar(r.title, &fields.title));
    let (id, source, date, title) = match fields_ok {
        (Ok(i), Ok(s), Ok(d), Ok(t)) => (i, s, d, t),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return Parsed::Bad(e),
    };
    // An empty id names nothing: such a line is named after its place, as one without an id.
    let id = id.filter(|i| !i.trim().is_empty());
    let named = id.is_some();
    let id = id.unwrap_or_else(|| origin.to_string());
    Parsed::Doc(Doc::new(id, source, date, title, text, origin), named)
}

/// One JSON Lines line as a cluster job reads it (`reprint part read`): by the CLI's rules, with
/// the default fields.
#[derive(Debug, Clone, PartialEq)]
pub enum JobLine {
    /// A document; its id is `None` when the line names none (the job names it `FILE:LINE`).
    Doc(Option<String>, Box<Doc>),
    /// A document whose text is empty or white space, skipped as the CLI skips it; whether the
    /// line named an id.
    Empty(bool),
    /// A blank line.
    Blank,
    /// A malformed line: what is wrong with it.
    Bad(String),
}

/// Reads one line of a JSON Lines file as [`JobLine`]; `first_of_file` strips a byte order mark.
pub fn read_job_line(line: &str, first_of_file: bool) -> JobLine {
    let line = if first_of_file { line.strip_prefix('\u{feff}').unwrap_or(line) } else { line };
    match parse_line(line, Origin::default(), &Fields::default()) {
        Parsed::Blank => JobLine::Blank,
        Parsed::Bad(message) => JobLine::Bad(message),
        Parsed::Doc(d, named) if d.text.trim().is_empty() => JobLine::Empty(named),
        Parsed::Doc(d, named) => JobLine::Doc(named.then(|| d.id.clone()), Box::new(d)),
    }
}

/// A plain JSON Lines input file kept open, so that texts moved out of memory are read again
/// from their own lines (and parsed again) instead of being written to a temporary file.
#[derive(Debug)]
pub struct InputLines {
    file: std::fs::File,
    path: String,
    fields: Fields,
    failed: FirstFailure,
}

impl InputLines {
    /// Opens `path` (shown as `shown`) a second time, to read lines back by position.
    pub(super) fn open(path: &std::path::Path, shown: &str, fields: &Fields) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        Ok(InputLines { file, path: shown.to_string(), fields: fields.clone(), failed: Default::default() })
    }

    /// The text of the document on line `at`, read into `buf`. A line that cannot be read, or
    /// no longer holds a text of the same length (the file changed since it was read), gives an
    /// empty text and is kept for [`InputLines::failure`].
    pub fn read<'a>(&self, at: LineRef, buf: &'a mut String) -> &'a str {
        let mut bytes = vec![0u8; at.line.len as usize];
        let read = read_exact_at(&self.file, &mut bytes, at.line.offset).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                "the file is shorter than when it was read: was it changed?".to_string()
            }
            _ => e.to_string(),
        });
        let text = read.and_then(|()| {
            let line = String::from_utf8(bytes).unwrap_or_else(|e| decode_lossy(e.into_bytes()).0);
            match parse_line(&line, Origin { path: self.path.clone(), line: None }, &self.fields) {
                Parsed::Doc(d, _) if at.holds(&d.text) => Ok(d.text),
                _ => Err(format!(
                    "byte {} no longer starts the same document: was the file changed while reading?",
                    at.line.offset
                )),
            }
        });
        match text {
            Ok(t) => *buf = t,
            Err(e) => {
                buf.clear();
                self.failed.record(format!("reading a text back from {} failed: {e}", self.path));
            }
        }
        buf.as_str()
    }

    /// The first failed read, if any.
    pub fn failure(&self) -> Option<String> {
        self.failed.get()
    }
}

/// The UTF-8 byte-order mark, stripped where a file or stdin starts with it.
pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads JSON Lines from `reader` into the corpus being read (`reading`). `path` names the input
/// in messages and `compressed` says whether `reader` decompresses (a failed read is then named a
/// truncated or corrupt stream); `lines_file` is `path`'s number in
/// [`Corpus::input_lines`](super::Corpus::input_lines) when it is a plain file whose lines can be
/// read again by position. A leading byte-order mark is skipped.
pub(super) fn read_jsonl(
    reading: &mut Reader,
    mut reader: impl Read,
    path: &str,
    compressed: bool,
    lines_file: Option<u32>,
    opts: &ReadOptions,
    on_bytes: &dyn Fn(u64),
) -> Result<(), ReadError> {
    let mut line_no = 0u64;
    let mut offset = 0u64; // file offset of buf[0]
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK_BYTES + (1 << 16));
    let mut eof = false;
    let mut read_failed = false;
    while !eof {
        // Fill the block: everything after the last newline is carried to the next one.
        let want = BLOCK_BYTES.max(buf.len() * 2);
        let start = buf.len();
        buf.resize(want, 0);
        let mut filled = start;
        while filled < want {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // The line the stream broke in: those complete before it, plus one.
                    let whole = memchr::memchr_iter(b'\n', &buf[..filled]).count() as u64;
                    let origin = Origin { path: path.to_string(), line: Some(line_no + whole + 1) };
                    reading.error(
                        origin,
                        format!(
                            "read failed after byte {} ({}): {e}; this line and the rest of the file are left out",
                            offset + filled as u64,
                            if compressed { "a truncated or corrupt compressed stream" } else { "an input error" }
                        ),
                    );
                    eof = true;
                    read_failed = true;
                    break;
                }
            }
        }
        buf.truncate(filled);
        on_bytes((filled - start) as u64);
        reading.corpus.stats.bytes += (filled - start) as u64;
        if offset == 0 && start == 0 && buf.starts_with(UTF8_BOM) {
            // A byte-order mark before the first line (Windows tools write one): not content.
            buf.drain(..UTF8_BOM.len());
            offset = UTF8_BOM.len() as u64;
        }
        // After a failed read (a truncated or corrupt compressed stream), what follows the last
        // newline is a piece of a line: left out with the rest, never parsed as JSON.
        let complete = if eof && !read_failed { buf.len() } else { memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1) };
        if read_failed {
            buf.truncate(complete);
        }
        if complete == 0 && !eof {
            continue; // one line longer than the block: read on
        }
        let mut lines: Vec<(u64, u64, &[u8])> = Vec::new();
        let mut at = 0;
        while at < complete {
            let end = memchr::memchr(b'\n', &buf[at..complete]).map_or(complete, |i| at + i + 1);
            line_no += 1;
            lines.push((line_no, offset + at as u64, &buf[at..end]));
            at = end;
        }
        let parsed: Vec<ParsedLine> = lines
            .into_par_iter()
            .map(|(line, start, bytes)| {
                let origin = Origin { path: path.to_string(), line: Some(line) };
                let (text, bad_utf8) = match std::str::from_utf8(bytes) {
                    Ok(t) => (std::borrow::Cow::Borrowed(t), None),
                    Err(_) => {
                        let (t, bad) = decode_lossy(bytes.to_vec());
                        (std::borrow::Cow::Owned(t), bad)
                    }
                };
                let parsed = parse_line(&text, origin.clone(), &opts.fields);
                (origin, start, bytes.len() as u64, bad_utf8, parsed)
            })
            .collect();
        for (origin, start, line_len, bad_utf8, parsed) in parsed {
            if let Some((first, count)) = bad_utf8 {
                reading.warn(
                    origin.clone(),
                    Some(start + first as u64),
                    format!("invalid UTF-8 ({count} sequence(s) replaced with U+FFFD)"),
                );
            }
            match parsed {
                Parsed::Blank => {}
                Parsed::Doc(d, named) => {
                    if !named {
                        reading.note_missing_id(&origin);
                    }
                    let line = lines_file.map(|file| InputLine { file, offset: start, len: line_len });
                    reading.push_doc(d, line, opts)?
                }
                Parsed::Bad(message) if opts.skip_bad_lines => {
                    reading.corpus.stats.bad_lines_skipped += 1;
                    reading.warn(origin, Some(start), format!("{message}; line skipped"));
                }
                Parsed::Bad(message) => return Err(ReadError::BadLine { origin, message }),
            }
        }
        buf.drain(..complete);
        offset += complete as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Parsed {
        parse_line(line, Origin { path: "f.jsonl".into(), line: Some(3) }, &Fields::default())
    }

    #[test]
    fn a_job_reads_lines_as_the_cli_does() {
        let doc = read_job_line("\u{feff}{\"id\": \"a\", \"series\": \"s\", \"text\": \"hi there\"}", true);
        let JobLine::Doc(Some(id), d) = doc else { panic!("a named document: {doc:?}") };
        assert_eq!((id.as_str(), d.source.as_deref(), d.text.as_str()), ("a", Some("s"), "hi there"));
        // A byte order mark is the file's first line's only.
        assert!(matches!(read_job_line("\u{feff}{\"text\": \"x\"}", false), JobLine::Bad(_)));
        assert!(matches!(read_job_line("{\"id\": \"\", \"text\": \"x\"}", false), JobLine::Doc(None, _)));
        assert_eq!(read_job_line("{\"id\": \"b\", \"text\": \" \\n\"}", false), JobLine::Empty(true));
        assert_eq!(read_job_line("{\"text\": \"\"}", false), JobLine::Empty(false));
        assert_eq!(read_job_line("   ", false), JobLine::Blank);
        let JobLine::Bad(message) = read_job_line("{\"id\": 1}", false) else { panic!("no text") };
        assert_eq!(message, "missing text field `text`");
        let JobLine::Bad(message) = read_job_line("{\"text\": ", false) else { panic!("cut short") };
        assert!(message.starts_with("malformed JSON at column"), "{message}");
    }

    #[test]
    fn passim_fields_and_numbers() {
        let Parsed::Doc(d, _) =
            parse(r#"{"id": 7, "series": "cdt", "date": "2023-03-22", "text": "hi", "extra": [1]}"#)
        else {
            panic!("should parse")
        };
        assert_eq!(
            (d.id.as_str(), d.source.as_deref(), d.date.as_deref(), d.title),
            ("7", Some("cdt"), Some("2023-03-22"), None)
        );
    }

    #[test]
    fn source_falls_back_to_source_field() {
        let Parsed::Doc(d, _) = parse(r#"{"id":"a","source":"ap","text":"x"}"#) else { panic!() };
        assert_eq!(d.source.as_deref(), Some("ap"));
    }

    #[test]
    fn missing_id_uses_location() {
        let Parsed::Doc(d, _) = parse(r#"{"text":"x"}"#) else { panic!() };
        assert_eq!(d.id, "f.jsonl:3");
        // Found by fuzzing: an empty id was taken as an id.
        for empty in [r#"{"id":"","text":"x"}"#, r#"{"id":"  ","text":"x"}"#] {
            let Parsed::Doc(d, named) = parse(empty) else { panic!() };
            assert_eq!((d.id.as_str(), named), ("f.jsonl:3", false));
        }
    }

    #[test]
    fn bad_lines_say_why() {
        let Parsed::Bad(m) = parse(r#"{"id":"a","text":"x""#) else { panic!() };
        assert!(m.contains("malformed JSON"), "{m}");
        let Parsed::Bad(m) = parse(r#"{"id":"a","body":"x"}"#) else { panic!() };
        assert!(m.contains("missing text field `text`"), "{m}");
        let Parsed::Bad(m) = parse(r#"{"id":"a","text":5}"#) else { panic!() };
        assert!(m.contains("not a string"), "{m}");
        let Parsed::Bad(m) = parse(r#"[1,2]"#) else { panic!() };
        assert!(m.contains("malformed JSON"), "{m}");
        let Parsed::Bad(m) = parse(r#"{"text":"a"} {"text":"b"}"#) else { panic!() };
        assert!(m.contains("malformed JSON"), "trailing data: {m}");
        let Parsed::Bad(m) = parse(r#"{"text":"a","title":{"x":1}}"#) else { panic!() };
        assert!(m.contains("`title` is an array or object"), "{m}");
        assert!(matches!(parse("   \r\n"), Parsed::Blank));
    }
}
