//! A job's input files read by the tasks themselves: when every executor sees the inputs at the
//! same path (one machine, or a shared file system, as Spark's own `file://` paths require), the
//! read tasks split each file into byte ranges and name each document by where its line is
//! ([`LineAt`]); the keys and scan tasks read the lines again there. Only those places cross the
//! cluster, never the texts.

use super::PartDoc;
use crate::corpus::{decode_lossy, read_exact_at, read_job_line, JobLine};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Where a document's line is: the input's number among the job's inputs, the line's first byte
/// and its length in bytes (without its line end).
pub type LineAt = (u32, u64, u64);

/// One line of a byte range: where it starts, its length without the line end, and the line
/// read as the job reads lines.
pub struct RangeLine {
    /// Byte offset of the line in its file.
    pub offset: u64,
    /// Its length in bytes, without `\n` or `\r\n`.
    pub len: u64,
    /// The line as a document, an empty text, a blank or a malformed line.
    pub line: JobLine,
}

/// Calls `each` on every line of `path` that starts at a byte in `start..end`, in order. A
/// range that starts inside a line leaves that line to the range before, so that ranges cut
/// anywhere read every line once. Invalid UTF-8 is replaced (U+FFFD), as the scan does.
pub fn read_range(
    path: &Path,
    start: u64,
    end: u64,
    mut each: impl FnMut(RangeLine) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut at = start;
    let mut buf = Vec::new();
    if start > 0 {
        file.seek(SeekFrom::Start(start - 1))?;
        // The byte before the range: a line starts at `start` only after a line end.
        let mut before = [0u8; 1];
        io::Read::read_exact(&mut file, &mut before)?;
        if before[0] != b'\n' {
            at += file.read_until(b'\n', &mut buf)? as u64;
        }
    }
    while at < end {
        buf.clear();
        let read = file.read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        // A file's byte order mark is not part of its first line (a line read again by place
        // must parse alone, as the scan's do).
        let bom = if at == 0 && buf.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let len = line_len(&buf).max(bom);
        let (text, _) = decode_lossy(buf[bom..len].to_vec());
        let line = read_job_line(&text, false);
        each(RangeLine { offset: at + bom as u64, len: (len - bom) as u64, line })?;
        at += read as u64;
    }
    Ok(())
}

/// Where a task reads documents itself: a byte range of an input, the number of its first
/// document and of its first line, and the input's name as the job shows it (a document without
/// an id is named `NAME:LINE`, as the CLI names it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeDocs {
    /// The input's number among the task's inputs.
    pub input: u32,
    /// First byte of the range.
    pub start: u64,
    /// End of the range (exclusive): the lines that start before it.
    pub end: u64,
    /// Number of the range's first document in the whole corpus.
    pub first_doc: u64,
    /// Line number (from 1) of the range's first line in its file.
    pub first_line: u64,
    /// The input's name in messages and document names.
    pub name: String,
}

impl RangeDocs {
    /// The documents of the range, numbered in order, their texts read (and where their lines
    /// are, in `at`). Malformed lines and blank texts are skipped, as the job skips them.
    pub fn read(&self, inputs: &JobInputs) -> Result<Vec<PartDoc>, String> {
        let (path, _) = inputs
            .files
            .get(self.input as usize)
            .ok_or_else(|| format!("a range of input {} asked, but the task has {}", self.input, inputs.files.len()))?;
        let (mut docs, mut line) = (Vec::new(), self.first_line);
        read_range(path, self.start, self.end, |l| {
            if let JobLine::Doc(id, d) = l.line {
                docs.push(PartDoc {
                    n: self.first_doc + docs.len() as u64,
                    id: id.unwrap_or_else(|| format!("{}:{line}", self.name)),
                    text: d.text,
                    at: Some((self.input, l.offset, l.len)),
                    source: d.source,
                    date: d.date,
                    title: d.title,
                });
            }
            line += 1;
            Ok(())
        })
        .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(docs)
    }
}

/// The length of `line` without its `\n` or `\r\n`.
fn line_len(line: &[u8]) -> usize {
    let mut len = line.len();
    if line.ends_with(b"\n") {
        len -= 1;
        if line[..len].ends_with(b"\r") {
            len -= 1;
        }
    }
    len
}

/// The job's input files, open, to read documents' lines again by place.
pub struct JobInputs {
    files: Vec<(PathBuf, File)>,
}

impl JobInputs {
    /// Opens `paths`, numbered in order as [`LineAt`] numbers them.
    pub fn open(paths: &[PathBuf]) -> Result<Self, String> {
        let files = paths
            .iter()
            .map(|p| File::open(p).map(|f| (p.clone(), f)).map_err(|e| format!("{}: {e}", p.display())))
            .collect::<Result<_, _>>()?;
        Ok(JobInputs { files })
    }

    /// The input files, in order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Fills in `doc`'s text, source, date and title from its line when it names where that is
    /// (`doc.at`); a document sent whole is left as it is. A line that no longer holds a
    /// document (the file changed since it was read) is an error.
    pub fn fill(&self, doc: &mut PartDoc) -> Result<(), String> {
        let Some((input, offset, len)) = doc.at else { return Ok(()) };
        let (path, file) = self
            .files
            .get(input as usize)
            .ok_or_else(|| format!("document {} is in input {input}, but the task has {}", doc.n, self.files.len()))?;
        let mut bytes = vec![0u8; len as usize];
        read_exact_at(file, &mut bytes, offset).map_err(|e| format!("{}: byte {offset}: {e}", path.display()))?;
        match read_job_line(&decode_lossy(bytes).0, offset == 0) {
            JobLine::Doc(_, d) => {
                doc.text = d.text;
                doc.source = d.source;
                doc.date = d.date;
                doc.title = d.title;
                Ok(())
            }
            _ => Err(format!(
                "{}: byte {offset} no longer starts document {:?}: was the file changed during the job?",
                path.display(),
                doc.id
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(path: &Path, start: u64, end: u64) -> Vec<(u64, u64, String)> {
        let mut found = Vec::new();
        read_range(path, start, end, |l| {
            let what = match l.line {
                JobLine::Doc(id, d) => format!("{id:?} {}", d.text),
                JobLine::Empty(named) => format!("empty {named}"),
                JobLine::Blank => "blank".into(),
                JobLine::Bad(m) => format!("bad {m}"),
            };
            found.push((l.offset, l.len, what));
            Ok(())
        })
        .unwrap();
        found
    }

    #[test]
    fn ranges_cut_anywhere_read_every_line_once_and_lines_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        let content = "\u{feff}{\"id\":\"a\",\"text\":\"één twee\"}\r\n\n{\"id\":\"b\",\"text\":\"drie vier\"}\nnot json\n{\"id\":\"c\",\"text\":\" \"}\n{\"text\":\"no id\",\"source\":\"S\"}";
        let mut bytes = content.as_bytes().to_vec();
        let bad = bytes.iter().position(|&b| b == 0xc3).unwrap(); // 'é' as UTF-8: break one of its bytes
        bytes[bad + 1] = 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let size = bytes.len() as u64;
        let whole = lines(&path, 0, size);
        assert_eq!(whole.len(), 6, "{whole:?}");
        assert!(whole[0].2.starts_with("Some(\"a\") \u{FFFD}"), "{whole:?}");
        assert_eq!(whole[1].2, "blank");
        assert!(whole[3].2.starts_with("bad "), "{whole:?}");
        assert_eq!(whole[4].2, "empty true");
        assert_eq!(whole[5].2, "None no id");
        for cut in 0..=size {
            for cut2 in cut..=size {
                let mut pieces = lines(&path, 0, cut);
                pieces.extend(lines(&path, cut, cut2));
                pieces.extend(lines(&path, cut2, size));
                assert_eq!(pieces, whole, "cut at {cut} and {cut2}");
            }
        }
        let inputs = JobInputs::open(std::slice::from_ref(&path)).unwrap();
        for (offset, len, what) in &whole {
            let mut doc = PartDoc { n: 7, id: "x".into(), at: Some((0, *offset, *len)), ..PartDoc::default() };
            match inputs.fill(&mut doc) {
                Ok(()) => assert!(what.ends_with(&doc.text) && doc.text.len() > 1, "{what} {doc:?}"),
                Err(e) => assert!(!what.starts_with("Some") && !what.starts_with("None"), "{what}: {e}"),
            }
        }
        // A range read by the task names its documents as the job does and reads them whole.
        let cut = whole[3].0;
        let mut docs = RangeDocs { input: 0, start: 0, end: cut, first_doc: 10, first_line: 1, name: "in".into() }
            .read(&inputs)
            .unwrap();
        docs.extend(
            RangeDocs {
                input: 0,
                start: cut,
                end: size,
                first_doc: 10 + docs.len() as u64,
                first_line: 4,
                name: "in".into(),
            }
            .read(&inputs)
            .unwrap(),
        );
        let named: Vec<(u64, &str, &str)> = docs.iter().map(|d| (d.n, d.id.as_str(), d.text.as_str())).collect();
        assert_eq!(named.len(), 3);
        assert_eq!((named[0].0, named[0].1), (10, "a"));
        assert_eq!((named[1].0, named[1].1, named[1].2), (11, "b", "drie vier"));
        assert_eq!((named[2].0, named[2].1, named[2].2), (12, "in:6", "no id"));
        assert_eq!(docs[2].source.as_deref(), Some("S"));
        // A part built from them holds, past its limit, only where each line is, and reads the
        // texts back from the input (as a part scan does with `#read` lines).
        for limit in [0, 12] {
            let mut part = crate::corpus::CorpusBuilder::new(Some(limit)).with_inputs(&inputs.paths()).unwrap();
            for d in docs.iter().cloned() {
                let (file, offset, len) = d.at.unwrap();
                part.push_at(d.into_doc(), crate::corpus::InputLine { file, offset, len }).unwrap();
            }
            let corpus = part.finish().unwrap();
            assert!(corpus.spill_file.is_none(), "no temporary file: the texts wait in the input");
            assert!(corpus.docs.iter().skip(1).all(|d| d.text.is_empty() && d.stored.is_some()), "limit {limit}");
            let mut buf = String::new();
            for (i, d) in docs.iter().enumerate() {
                assert_eq!(crate::corpus::Texts::text(&corpus, i, &mut buf), d.text, "limit {limit}");
            }
            assert_eq!(corpus.spill_failure(), None);
        }
        let mut moved = PartDoc { n: 1, id: "a".into(), at: Some((0, 3, 9)), ..PartDoc::default() };
        assert!(inputs.fill(&mut moved).unwrap_err().contains("no longer starts document"));
        let mut elsewhere = PartDoc { n: 1, id: "a".into(), at: Some((1, 0, 9)), ..PartDoc::default() };
        assert!(inputs.fill(&mut elsewhere).is_err());
    }
}
