//! A job's input files read by the tasks themselves: when every executor sees the inputs at the
//! same path (one machine, or a shared file system, as Spark's own `file://` paths require), the
//! read tasks split each file into byte ranges and name each document by where its line is
//! ([`LineAt`]); the keys and scan tasks read the lines again there. Only those places cross the
//! cluster, never the texts.

use super::PartDoc;
use crate::corpus::{decode_lossy, read_exact_at, read_job_line, JobLine};
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
        let len = line_len(&buf);
        let (text, _) = decode_lossy(buf[..len].to_vec());
        each(RangeLine { offset: at, len: len as u64, line: read_job_line(&text, at == 0) })?;
        at += read as u64;
    }
    Ok(())
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
        let mut moved = PartDoc { n: 1, id: "a".into(), at: Some((0, 3, 9)), ..PartDoc::default() };
        assert!(inputs.fill(&mut moved).unwrap_err().contains("no longer starts document"));
        let mut elsewhere = PartDoc { n: 1, id: "a".into(), at: Some((1, 0, 9)), ..PartDoc::default() };
        assert!(inputs.fill(&mut elsewhere).is_err());
    }
}
