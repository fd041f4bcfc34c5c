//! Reading input: the bytes become a file whose name the first byte picks (JSON Lines, gzip or
//! zstd JSON Lines, plain text, HTML, or a compressed name reprint refuses), read through the
//! public reader as `reprint scan` reads it. Reading may fail with an error, never panic; every
//! document read must hold text and an id.

use reprint::corpus::{read_paths, ReadOptions};
use std::io::Write;

const NAMES: [&str; 8] =
    ["in.jsonl", "in.jsonl.gz", "in.jsonl.zst", "in.txt", "in.html", "in.jsonl.bz2", "in.ndjson", "in.unknown"];

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    afl::fuzz!(|data: &[u8]| {
        let Some((&pick, body)) = data.split_first() else { return };
        let path = dir.path().join(NAMES[pick as usize % NAMES.len()]);
        let mut f = std::fs::File::create(&path).expect("create");
        f.write_all(body).expect("write");
        drop(f);
        let opts = ReadOptions { skip_bad_lines: pick & 0x80 != 0, dedupe_ids: pick & 0x40 != 0, ..ReadOptions::default() };
        if let Ok(corpus) = read_paths(&[path.display().to_string()], &opts, &|_| {}) {
            for d in &corpus.docs {
                assert!(!d.id.is_empty());
            }
        }
        let _ = std::fs::remove_file(&path);
    });
}
