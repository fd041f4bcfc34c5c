//! Bad input: a clear message naming file, line or byte; never a panic; nothing lost silently.

use crate::util::{filler, reprint, reprint_stdin, s, write};
use std::io::Write;

fn no_panic(r: &crate::util::Run) {
    assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
}

#[test]
fn invalid_utf8_in_a_text_file_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Some words before ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b" and after the bad bytes here");
    write(dir.path(), "bad.txt", bytes);
    write(dir.path(), "good.txt", "Some words before and after the bad bytes here");
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("bad.txt (byte 18): invalid UTF-8 (2 sequence(s) replaced"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 2);
}

#[test]
fn invalid_utf8_in_a_json_line_names_line_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"{\"id\":\"a\",\"text\":\"fine text\"}\n{\"id\":\"b\",\"text\":\"bad ".to_vec();
    bytes.push(0xC3);
    bytes.extend_from_slice(b" byte\"}\n");
    let f = write(dir.path(), "c.jsonl", bytes);
    let r = reprint(&["scan", s(&f), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("c.jsonl:2 (byte 52): invalid UTF-8"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 2);
}

#[test]
fn empty_and_whitespace_documents_are_counted_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"\"}\n{\"id\":\"b\",\"text\":\" \\n\\t \"}\n{\"id\":\"c\",\"text\":\"real words here\"}\n{\"id\":\"d\",\"text\":\"!!! ...\"}\n\n",
    );
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sm = r.summary();
    assert_eq!(sm["documents"], 2);
    assert_eq!(sm["empty_skipped"], 2);
    assert_eq!(sm["documents_without_words"], 1);
    let table = reprint(&["scan", s(&f), "-q"]);
    assert!(table.stdout.contains("3 documents were empty or without words, left out."), "{}", table.stdout);
}

#[test]
fn documents_shorter_than_one_shingle_still_compare() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "c.jsonl", "{\"id\":\"a\",\"text\":\"Breaking news!\"}\n{\"id\":\"b\",\"text\":\"BREAKING NEWS\"}\n{\"id\":\"c\",\"text\":\"other\"}\n");
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0);
    let pairs = r.pairs();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (pairs[0]["a"].as_str(), pairs[0]["b"].as_str(), pairs[0]["jaccard"].as_f64()),
        (Some("a"), Some("b"), Some(1.0))
    );
}

#[test]
fn a_100_mb_document_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let chunk = filler(4, 20_000);
    let mut written = 0;
    while written < 100 << 20 {
        f.write_all(chunk.as_bytes()).unwrap();
        f.write_all(b"\n").unwrap();
        written += chunk.len() + 1;
    }
    drop(f);
    write(dir.path(), "short.txt", &chunk[..2000]);
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q", "--containment", "0.9"]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 2);
    let pairs = r.pairs();
    assert_eq!(pairs.len(), 1, "the short text is inside the huge one");
    assert!(pairs[0]["containment"].as_f64().unwrap() > 0.99);
    let passages = pairs[0]["passages"].as_array().unwrap();
    assert!(!passages.is_empty(), "and it is found as a passage of the 100 MB document");
    assert!(passages.iter().all(|p| p["words"].as_u64().unwrap() >= 8));
}

#[test]
fn nul_bytes_are_just_separators() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", format!("{}\0\0{}", filler(5, 100), filler(6, 100)));
    write(dir.path(), "b.txt", format!("{} {}", filler(5, 100), filler(6, 100)));
    let f = write(
        dir.path(),
        "n/c.jsonl",
        format!("{{\"id\":\"c\",\"text\":\"{}\\u0000{}\"}}\n", filler(5, 100), filler(6, 100)),
    );
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.pairs().len(), 3, "all three are the same words");
    assert!(f.exists());
}

#[test]
fn malformed_json_line_stops_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"one two\"}\n{\"id\":\"b\",\"text\":\"unterminated}\n{\"id\":\"c\",\"text\":\"x\"}\n",
    );
    let out = dir.path().join("out.jsonl");
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-o", s(&out)]);
    no_panic(&r);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(!out.exists(), "no output file on bad input");
    assert!(r.stderr.contains("c.jsonl:2: malformed JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("--skip-bad-lines"), "says how to go on: {}", r.stderr);

    let r = reprint(&["scan", s(&f), "--format", "jsonl", "--skip-bad-lines"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("c.jsonl:2 (byte 28): malformed JSON at column 31: EOF while parsing a string"),
        "{}",
        r.stderr
    );
    assert_eq!(r.summary()["bad_lines_skipped"], 1);
    assert_eq!(r.summary()["documents"], 2);
}

#[test]
fn missing_text_field_is_named_and_another_field_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "c.jsonl", "{\"id\":\"a\",\"body\":\"one two\",\"outlet\":\"x\"}\n");
    let r = reprint(&["scan", s(&f)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("c.jsonl:1: missing text field `text`"), "{}", r.stderr);
    let r = reprint(&["scan", s(&f), "--text-field", "body", "--source-field", "outlet", "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 1);
    assert_eq!(r.summary()["sources"], 1);
}

#[test]
fn an_unusable_temporary_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\":\"a\",\"text\":\"first text\"}\n";
    let f = write(dir.path(), "c.jsonl", line);
    // A compressed input cannot be read again by position: its texts need the temporary file.
    let gz = dir.path().join("c.jsonl.gz");
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut z, line.as_bytes()).unwrap();
    std::fs::write(&gz, z.finish().unwrap()).unwrap();
    let missing = dir.path().join("no-such-dir");
    let r = crate::util::reprint_env(&["scan", s(&f), "--spill-over", "0", "-q"], &[("TMPDIR", s(&missing))]);
    assert_eq!(r.code, 0, "a plain .jsonl file's texts are read again from it: {}", r.stderr);
    let r = crate::util::reprint_env(&["scan", s(&gz), "--spill-over", "0"], &[("TMPDIR", s(&missing))]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot keep texts in a temporary file") && r.stderr.contains("no-such-dir"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "nothing reported over lost texts");
    let r = crate::util::reprint_env(&["scan", s(&gz)], &[("TMPDIR", s(&missing))]);
    assert_eq!(r.code, 0, "small corpora stay in memory: {}", r.stderr);
}

#[test]
fn duplicate_ids_stop_or_keep_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "c.jsonl", "{\"id\":\"a\",\"text\":\"first text\"}\n{\"id\":\"b\",\"text\":\"b\"}\n{\"id\":\"a\",\"text\":\"second text\"}\n");
    let r = reprint(&["scan", s(&f)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("duplicate document id \"a\" at")
            && r.stderr.contains("c.jsonl:3")
            && r.stderr.contains("c.jsonl:1"),
        "{}",
        r.stderr
    );
    let r = reprint(&["scan", s(&f), "--dedupe-ids", "--format", "jsonl"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.summary()["documents"], 2);
    assert_eq!(r.summary()["duplicate_ids_dropped"], 1);
    assert!(r.stderr.contains("duplicate id \"a\""), "{}", r.stderr);
}

#[test]
fn unreadable_entries_are_reported_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.txt", filler(1, 50));
    // Dangling links fail to open even for root, unlike permission bits.
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("broken.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone_dir"), dir.path().join("broken_dir")).unwrap();
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 1, "results, but exit 1: some input was left out");
    assert!(r.stderr.contains("broken.txt: cannot read"), "{}", r.stderr);
    assert!(r.stderr.contains("broken_dir: cannot read"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 1);

    let r = reprint(&["scan", s(&dir.path().join("does-not-exist"))]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does-not-exist: No such file"), "{}", r.stderr);
}

#[test]
fn symlink_loops_are_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site/a.txt", filler(1, 50));
    std::os::unix::fs::symlink(dir.path().join("site"), dir.path().join("site/loop")).unwrap();
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link loop"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 1);
}

#[test]
fn an_empty_corpus_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = reprint(&["scan", s(dir.path())]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no documents found in"), "{}", r.stderr);
    write(dir.path(), "blank.txt", "   \n");
    write(dir.path(), "image.png", [0u8, 1, 2]);
    let r = reprint(&["scan", s(dir.path())]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("1 empty or whitespace-only documents skipped"), "{}", r.stderr);
    let r = reprint_stdin(&["scan", "-"], b"");
    assert_eq!(r.code, 2);
}

#[test]
fn compressed_and_stdin_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let text = filler(8, 200);
    let line = |id: &str| format!("{{\"id\":\"{id}\",\"series\":\"s{id}\",\"text\":\"{text}\"}}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(line("g").as_bytes()).unwrap();
    write(dir.path(), "a.jsonl.gz", gz.finish().unwrap());
    let zst = ruzstd::encoding::compress_to_vec(line("z").as_bytes(), ruzstd::encoding::CompressionLevel::Fastest);
    write(dir.path(), "b.jsonl.zst", zst);
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.pairs().len(), 1);
    assert_eq!(r.pairs()[0]["source_a"], "sg");

    let r = reprint_stdin(&["scan", "-", "--format", "jsonl", "-q"], format!("{}{}", line("x"), line("y")).as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.pairs().len(), 1);
    let r =
        reprint_stdin(&["scan", "-", s(&dir.path().join("a.jsonl.gz")), "--format", "jsonl", "-q"], text.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!((r.pairs()[0]["a"].as_str(), r.pairs()[0]["b"].as_str()), (Some("-"), Some("g")));

    write(dir.path(), "bad.jsonl.gz", b"not gzip at all");
    let r = reprint(&["scan", s(&dir.path().join("bad.jsonl.gz"))]);
    no_panic(&r);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("bad.jsonl.gz"), "{}", r.stderr);
}

#[test]
fn html_pages_are_reduced_to_their_article() {
    let dir = tempfile::tempdir().unwrap();
    let body = filler(3, 300);
    for (i, site) in ["one", "two"].iter().enumerate() {
        let nav: String = (0..40).map(|k| format!("<li><a href='/s{k}'>Section {k} {site}</a></li>")).collect();
        let html = format!(
            "<html><head><title>Story {i}</title></head><body><nav><ul>{nav}</ul></nav>\
             <article><h1>Story</h1><p>{body}</p></article><footer>Leave a Reply</footer></body></html>"
        );
        write(dir.path(), &format!("{site}/story.html"), html);
    }
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = &r.pairs()[0];
    assert_eq!(p["title_a"], "Story 0");
    assert!(p["jaccard"].as_f64().unwrap() > 0.95, "menus left out: {p}");
}

#[test]
fn nonsense_options_are_refused() {
    for args in [
        vec!["scan", "seeds", "--threshold", "1.5"],
        vec!["scan", "seeds", "--shingle", "0"],
        vec!["scan", "seeds", "--perms", "0"],
        vec!["scan", "seeds", "--containment", "0"],
        vec!["scan", "seeds", "--bands", "100", "--rows", "100"],
        vec!["scan", "seeds", "--format", "xml"],
        vec!["synth", "--out", "/tmp/x", "--near-duplicates", "2"],
        vec!["synth", "--out", "/tmp/x", "--ocr-cer", "0.9"],
        vec!["scan", "seeds", "--min-unquoted-words", "0"],
        vec!["quotes", "seeds", "--link-words", "0"],
    ] {
        let r = reprint(&args);
        no_panic(&r);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty());
    }
}

/// Two JSON lines sharing a 20-word sentence, so that a scan of them finds a pair.
fn two_lines() -> String {
    let shared = filler(5, 20);
    format!(
        "{{\"id\":\"a\",\"text\":\"{} {shared}\"}}\n{{\"id\":\"b\",\"text\":\"{shared} {}\"}}\n",
        filler(1, 30),
        filler(2, 30)
    )
}

#[test]
fn a_leading_byte_order_mark_is_skipped_in_files_stdin_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = format!("\u{feff}{}", two_lines());
    let f = write(dir.path(), "bom.jsonl", &with_bom);
    let plain = reprint(&["scan", s(&write(dir.path(), "plain.jsonl", two_lines())), "--format", "jsonl", "-q"]);
    for r in [
        reprint(&["scan", s(&f), "--format", "jsonl", "-q"]),
        reprint_stdin(&["scan", "-", "--format", "jsonl", "-q"], with_bom.as_bytes()),
    ] {
        no_panic(&r);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.summary()["documents"], 2, "JSON Lines, not one plain-text document");
        assert_eq!(r.pairs(), plain.pairs(), "offsets as without the mark");
    }
    let body = filler(3, 40);
    write(dir.path(), "d/t1.txt", format!("\u{feff}A title\n{body}"));
    write(dir.path(), "d/t2.txt", format!("\u{feff}Another title\n{body}"));
    let r = reprint(&["scan", s(&dir.path().join("d")), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pairs = r.pairs();
    assert_eq!(pairs.len(), 1, "{}", r.stdout);
    assert_eq!((pairs[0]["title_a"].as_str(), pairs[0]["title_b"].as_str()), (Some("A title"), Some("Another title")));
    let p = &pairs[0]["passages"][0];
    // The passage opens on the shared word "title": offsets count from after the mark.
    assert_eq!((p["a_start"].as_u64(), p["b_start"].as_u64()), (Some(2), Some(8)), "{p}");
}

#[test]
fn compressions_reprint_does_not_read_are_refused_never_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    // A real bzip2 stream's magic, a plain file named .bz2, an xz stream's magic, and a gzip
    // stream named .jsonl.
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("real.jsonl.bz2", b"BZh91AY&SY\x00\x00".to_vec(), "bzip2"),
        ("plain.jsonl.bz2", two_lines().into_bytes(), "bzip2"),
        ("real.jsonl.xz", b"\xFD7zXZ\x00\x00\x04".to_vec(), "xz"),
        (
            "gz-inside.jsonl",
            {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(two_lines().as_bytes()).unwrap();
                gz.finish().unwrap()
            },
            "gzip",
        ),
    ];
    for (name, bytes, kind) in &cases {
        let f = write(dir.path(), name, bytes);
        let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
        no_panic(&r);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("{kind}-compressed")) && r.stderr.contains(name), "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // In a directory, the others are still read and the refused ones named.
    let sub = dir.path().join("walk");
    write(&sub, "ok.jsonl", two_lines().replace("\"a\"", "\"c\"").replace("\"b\"", "\"d\""));
    write(&sub, "x.jsonl.bz2", b"BZh91AY&SY");
    let r = reprint(&["scan", s(&sub), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 1, "partial: {}", r.stderr);
    assert!(r.stderr.contains("x.jsonl.bz2") && r.stderr.contains("bzip2-compressed"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 2);
}

#[test]
fn a_broken_compressed_input_names_its_real_error() {
    let dir = tempfile::tempdir().unwrap();
    // Plain text named .gz: the gzip error, not "no documents found" alone.
    let fake = write(dir.path(), "fake.jsonl.gz", two_lines());
    let r = reprint(&["scan", s(&fake)]);
    no_panic(&r);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no documents found") && r.stderr.contains("invalid gzip header"), "{}", r.stderr);
    // Truncated: the lines before the break are read, the break is named at its line, and no
    // JSON error is made up from the piece of line it left.
    let lines: String = (0..400).map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"{}\"}}\n", filler(i, 60))).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines.as_bytes()).unwrap();
    let full = gz.finish().unwrap();
    let cut = write(dir.path(), "cut.jsonl.gz", &full[..full.len() / 2]);
    for extra in [&[][..], &["--skip-bad-lines"][..]] {
        let mut args = vec!["scan", s(&cut), "--format", "jsonl"];
        args.extend_from_slice(extra);
        let r = reprint(&args);
        no_panic(&r);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("truncated or corrupt compressed stream"), "{}", r.stderr);
        assert!(!r.stderr.contains("malformed JSON"), "{}", r.stderr);
        let read = r.summary()["documents"].as_u64().unwrap();
        assert!(read > 50 && read < 400, "{read}");
        assert!(r.stderr.contains(&format!("cut.jsonl.gz:{}:", read + 1)), "the line it broke in: {}", r.stderr);
    }
}

#[test]
fn json_lines_without_an_id_are_named_by_place_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "noid.jsonl",
        format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"{}\"}}\n{{\"id\":\"x\",\"text\":\"y z\"}}\n",
            filler(1, 20),
            filler(2, 20)
        ),
    );
    let r = reprint(&["scan", s(&f), "--format", "jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("had no \"id\" field").count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("2 JSON lines had no \"id\" field") && r.stderr.contains("noid.jsonl:1"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_scanned_directory_is_named_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", filler(1, 50));
    let fifo = dir.path().join("pipe.txt");
    let path = std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(fifo.as_os_str())).unwrap();
    // SAFETY: `path` is a valid NUL-terminated path; mkfifo only creates a file there.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "mkfifo {}", fifo.display());
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl"]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("pipe.txt: not a regular file"), "{}", r.stderr);
    assert_eq!(r.summary()["documents"], 1);
}

#[test]
fn runaway_thread_counts_are_clamped_with_a_warning() {
    let r = reprint(&["scan", "seeds", "--threads", "100000", "--no-passages"]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("--threads 100000 is more than 4 per core"), "{}", r.stderr);
}
