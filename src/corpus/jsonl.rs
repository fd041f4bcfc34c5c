//! JSON Lines records: one article per line, field names configurable, passim's names by default.

use super::{decode_lossy, Corpus, Doc, Origin, ReadError, ReadOptions};
use rayon::prelude::*;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::BufRead;

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

/// Lines parsed in parallel per batch; big enough to keep both cores busy, small enough to stream.
const BATCH_BYTES: usize = 8 << 20;

/// What one line gave.
enum Parsed {
    Doc(Doc),
    Blank,
    Bad(String),
}

/// A scalar field as text: strings as they are, numbers and booleans printed, null or absent as `None`.
fn scalar(raw: Option<&&RawValue>) -> Result<Option<String>, String> {
    let Some(raw) = raw else { return Ok(None) };
    match serde_json::from_str::<serde_json::Value>(raw.get()) {
        Ok(serde_json::Value::Null) => Ok(None),
        Ok(serde_json::Value::String(s)) => Ok(Some(s)),
        Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Ok(Some(v.to_string())),
        Ok(_) => Err("is an array or object, not a string".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_line(line: &str, origin: Origin, fields: &Fields) -> Parsed {
    if line.trim().is_empty() {
        return Parsed::Blank;
    }
    let map: HashMap<&str, &RawValue> = match serde_json::from_str(line) {
        Ok(m) => m,
        Err(e) => return Parsed::Bad(format!("malformed JSON: {e}")),
    };
    let field = |name: &str| scalar(map.get(name)).map_err(|e| format!("field `{name}` {e}"));
    let text = match map.get(fields.text.as_str()) {
        None => return Parsed::Bad(format!("missing text field `{}`", fields.text)),
        Some(raw) => match serde_json::from_str::<String>(raw.get()) {
            Ok(t) => t,
            Err(_) => return Parsed::Bad(format!("text field `{}` is not a string", fields.text)),
        },
    };
    let get = field;
    let id = match get(&fields.id) {
        Ok(Some(id)) => id,
        Ok(None) => origin.to_string(),
        Err(e) => return Parsed::Bad(e),
    };
    let source = match &fields.source {
        Some(name) => get(name),
        None => get("series").and_then(|s| if s.is_some() { Ok(s) } else { get("source") }),
    };
    let (source, date, title) = match (source, get(&fields.date), get(&fields.title)) {
        (Ok(s), Ok(d), Ok(t)) => (s, d, t),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Parsed::Bad(e),
    };
    Parsed::Doc(Doc { id, source, date, title, text, origin })
}

/// Reads JSON Lines from `reader` into `corpus`. `path` names the input in messages.
pub(super) fn read_jsonl(
    corpus: &mut Corpus,
    mut reader: impl BufRead,
    path: &str,
    opts: &ReadOptions,
    on_bytes: &dyn Fn(u64),
) -> Result<(), ReadError> {
    let mut line_no = 0u64;
    let mut offset = 0u64;
    loop {
        // Gather a batch of raw lines: (line number, byte offset, bytes).
        let mut batch: Vec<(u64, u64, Vec<u8>)> = Vec::new();
        let mut batch_bytes = 0;
        let mut eof = false;
        while batch_bytes < BATCH_BYTES {
            let mut buf = Vec::new();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    line_no += 1;
                    batch.push((line_no, offset, buf));
                    offset += n as u64;
                    batch_bytes += n;
                }
                Err(e) => {
                    let origin = Origin { path: path.to_string(), line: Some(line_no + 1) };
                    corpus.error(origin, format!("read failed after byte {offset}: {e}; the rest of this file is left out"));
                    eof = true;
                    break;
                }
            }
        }
        on_bytes(batch_bytes as u64);
        corpus.stats.bytes += batch_bytes as u64;
        let parsed: Vec<(Origin, u64, Option<(usize, usize)>, Parsed)> = batch
            .into_par_iter()
            .map(|(line, start, bytes)| {
                let origin = Origin { path: path.to_string(), line: Some(line) };
                let (text, bad_utf8) = decode_lossy(bytes);
                let parsed = parse_line(&text, origin.clone(), &opts.fields);
                (origin, start, bad_utf8, parsed)
            })
            .collect();
        for (origin, start, bad_utf8, parsed) in parsed {
            if let Some((first, count)) = bad_utf8 {
                corpus.warn(
                    origin.clone(),
                    Some(start + first as u64),
                    format!("invalid UTF-8 ({count} sequence(s) replaced with U+FFFD)"),
                );
            }
            match parsed {
                Parsed::Blank => {}
                Parsed::Doc(d) => corpus.push_doc(d),
                Parsed::Bad(message) if opts.skip_bad_lines => {
                    corpus.stats.bad_lines_skipped += 1;
                    corpus.warn(origin, Some(start), format!("{message}; line skipped"));
                }
                Parsed::Bad(message) => return Err(ReadError::BadLine { origin, message }),
            }
        }
        if eof {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Parsed {
        parse_line(line, Origin { path: "f.jsonl".into(), line: Some(3) }, &Fields::default())
    }

    #[test]
    fn passim_fields_and_numbers() {
        let Parsed::Doc(d) = parse(r#"{"id": 7, "series": "cdt", "date": "2023-03-22", "text": "hi", "extra": [1]}"#) else {
            panic!("should parse")
        };
        assert_eq!((d.id.as_str(), d.source.as_deref(), d.date.as_deref(), d.title), ("7", Some("cdt"), Some("2023-03-22"), None));
    }

    #[test]
    fn source_falls_back_to_source_field() {
        let Parsed::Doc(d) = parse(r#"{"id":"a","source":"ap","text":"x"}"#) else { panic!() };
        assert_eq!(d.source.as_deref(), Some("ap"));
    }

    #[test]
    fn missing_id_uses_location() {
        let Parsed::Doc(d) = parse(r#"{"text":"x"}"#) else { panic!() };
        assert_eq!(d.id, "f.jsonl:3");
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
        assert!(matches!(parse("   \r\n"), Parsed::Blank));
    }
}
