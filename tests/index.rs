//! `reprint index`: the archive gives a full scan's answers, keeps every committed batch through
//! kills, and refuses what it cannot use.

use crate::util::{reprint, s, synth, write, Run};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// The lines of a JSON Lines file.
fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}

/// The pair records of `run` whose later document is in `new` (all when `None`), cluster
/// numbers replaced by whether the pair is in a cluster (a query numbers its own clusters).
fn pairs_of(run: &Run, new: Option<&HashSet<String>>) -> Vec<Value> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.pairs()
        .into_iter()
        .filter(|p| new.is_none_or(|n| n.contains(p["b"].as_str().unwrap())))
        .map(|mut p| {
            let near = !p["cluster"].is_null();
            p["cluster"] = Value::Bool(near);
            p
        })
        .collect()
}

fn ids(lines: &[String]) -> HashSet<String> {
    lines.iter().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string()).collect()
}

/// Archives `corpus[..at]` (in batches of `batch`), queries `corpus[at..]`, and checks the
/// query's pairs are the full scan's pairs that involve a new document. Returns how many.
fn check_split(dir: &Path, corpus: &[String], at: usize, batch: &str, scan_opts: &[&str]) -> usize {
    let (old, new) = corpus.split_at(at);
    let old_path = write(dir, &format!("old{at}.jsonl"), old.join("\n"));
    let new_path = write(dir, &format!("new{at}.jsonl"), new.join("\n"));
    let all_path = write(dir, &format!("all{at}.jsonl"), corpus.join("\n"));
    let archive = dir.join(format!("a{at}.db"));
    let mut add = vec!["index", "add", s(&archive), s(&old_path), "-q", "--batch", batch];
    add.extend_from_slice(scan_opts);
    let r = reprint(&add);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let query = reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl"]);
    // Every archived text loaded moved out of memory at once: the same records.
    let spilled =
        reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl", "--spill-over", "0"]);
    assert_eq!((spilled.code, &spilled.stdout), (0, &query.stdout), "split at {at}, texts in a temporary file");
    // The smallest parts asked for: the same records, summary included (a query of at most
    // 2,000 articles, archived and new, is one part whatever the size; the library's tests
    // cut small queries into parts).
    let parts = reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl", "--query-part", "0"]);
    assert_eq!((parts.code, &parts.stdout), (0, &query.stdout), "split at {at}, in parts");
    let mut scan = vec!["scan", s(&all_path), "-q", "--format", "jsonl"];
    scan.extend_from_slice(scan_opts);
    let full = pairs_of(&reprint(&scan), Some(&ids(new)));
    let got = pairs_of(&query, None);
    assert_eq!(got.len(), full.len(), "split at {at}");
    for (g, f) in got.iter().zip(&full) {
        assert_eq!(g, f, "split at {at}");
    }
    full.len()
}

#[test]
fn a_query_gives_the_full_scans_pairs_on_several_splits() {
    let dir = tempfile::tempdir().unwrap();
    // Twenty outlets with footers (boilerplate), wire copy, near-duplicates, passages, quotes.
    synth(dir.path(), "1200", "11", &["--words", "250"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let mut total = 0;
    for (at, batch) in [(200, "50"), (700, "1000"), (1150, "300")] {
        total += check_split(dir.path(), &corpus, at, batch, &[]);
    }
    assert!(total > 100, "the splits must cut through real pairs: {total}");
    // A share as --max-df (depends on the whole corpus's size), and boilerplate shown.
    check_split(dir.path(), &corpus, 600, "500", &["--max-df", "0.02", "--show-boilerplate"]);
    // Containment kept by the archive: stories inside roundups, found across the split too.
    let n = check_split(dir.path(), &corpus, 900, "400", &["--containment", "0.7"]);
    assert!(n > 0);
}

#[test]
fn a_compacted_archive_that_grew_since_gives_the_full_scans_pairs() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "1200", "15", &["--words", "250"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let all_path = write(dir.path(), "all.jsonl", corpus.join("\n"));
    // Compacted, then grown a little (a query may read each source's heavy counts alone) or
    // much (it must read them all): either way the full scan's pairs.
    for (compacted, at) in [(1100, 1150), (300, 1100)] {
        let archive = dir.path().join(format!("c{compacted}.db"));
        let first = write(dir.path(), "first.jsonl", corpus[..compacted].join("\n"));
        let then = write(dir.path(), "then.jsonl", corpus[compacted..at].join("\n"));
        let new_path = write(dir.path(), "new.jsonl", corpus[at..].join("\n"));
        for args in [
            vec!["index", "add", s(&archive), s(&first), "-q", "--batch", "200"],
            vec!["index", "compact", s(&archive)],
            vec!["index", "add", s(&archive), s(&then), "-q", "--batch", "100"],
        ] {
            let r = reprint(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        }
        let query = reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl"]);
        let full = pairs_of(&reprint(&["scan", s(&all_path), "-q", "--format", "jsonl"]), Some(&ids(&corpus[at..])));
        assert!(full.len() > 10, "{}", full.len());
        assert_eq!(pairs_of(&query, None), full, "compacted at {compacted}, queried at {at}");
    }
}

#[test]
fn add_suggests_compacting_once_segments_pile_up() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "60", "3", &[]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let archive = dir.path().join("a.db");
    let few = write(dir.path(), "few.jsonl", corpus[..10].join("\n"));
    let many = write(dir.path(), "many.jsonl", corpus[10..56].join("\n"));
    let more = write(dir.path(), "more.jsonl", corpus[56..].join("\n"));
    let add = |path: &Path| reprint(&["index", "add", s(&archive), s(path), "--batch", "2"]);
    let hint = "posting segments (one per batch since the last compaction)";
    let r = add(&few);
    assert!(r.code == 0 && !r.stderr.contains(hint), "5 segments: {}", r.stderr);
    let r = add(&many);
    assert!(r.code == 0 && r.stderr.contains("28 posting segments"), "28 segments: {}", r.stderr);
    assert_eq!(reprint(&["index", "compact", s(&archive)]).code, 0);
    let r = add(&more);
    assert!(r.code == 0 && !r.stderr.contains(hint), "compacted, then 2 more: {}", r.stderr);
}

#[test]
fn an_ocr_archive_gives_the_full_scans_pairs() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "400", "12", &["--words", "200", "--ocr-cer", "0.05"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let n = check_split(dir.path(), &corpus, 300, "100", &["--ocr"]);
    assert!(n > 0);
}

#[test]
fn removed_and_replaced_documents_are_gone_from_answers() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "600", "13", &["--words", "200"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let (old, new) = corpus.split_at(500);
    let archive = dir.path().join("a.db");
    let old_path = write(dir.path(), "old.jsonl", old.join("\n"));
    let new_path = write(dir.path(), "new.jsonl", new.join("\n"));
    let r = reprint(&["index", "add", s(&archive), s(&old_path), "-q", "--batch", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The archived documents the new ones match most: remove every other one.
    let before = pairs_of(&reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl"]), None);
    let new_ids = ids(new);
    let mut matched: Vec<String> =
        before.iter().map(|p| p["a"].as_str().unwrap().to_string()).filter(|a| !new_ids.contains(a)).collect();
    matched.sort();
    matched.dedup();
    assert!(matched.len() >= 4, "{matched:?}");
    let removed: Vec<String> = matched.iter().step_by(2).cloned().collect();
    let mut args = vec!["index", "remove", s(&archive)];
    args.extend(removed.iter().map(String::as_str));
    let r = reprint(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The full scan without them.
    let kept: Vec<String> = old
        .iter()
        .filter(|l| !removed.contains(&serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string()))
        .cloned()
        .chain(new.iter().cloned())
        .collect();
    let all = write(dir.path(), "kept.jsonl", kept.join("\n"));
    let full = pairs_of(&reprint(&["scan", s(&all), "-q", "--format", "jsonl"]), Some(&new_ids));
    let query = || pairs_of(&reprint(&["index", "query", s(&archive), s(&new_path), "-q", "--format", "jsonl"]), None);
    assert_eq!(query(), full);
    // Compaction drops their postings and changes no answer.
    let r = reprint(&["index", "compact", s(&archive), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let stats: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((stats["segments"].as_u64(), stats["removed_pending"].as_u64()), (Some(1), Some(0)));
    assert_eq!(stats["documents"].as_u64(), Some((500 - removed.len()) as u64));
    assert_eq!(query(), full);
    // Removing an id the archive does not hold removes nothing.
    let r = reprint(&["index", "remove", s(&archive), &matched[1], "no-such-id"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("\"no-such-id\"") && r.stderr.contains("nothing was removed"), "{}", r.stderr);
}

#[test]
fn replaced_documents_count_as_their_new_versions() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "600", "14", &["--words", "200"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let (old, new) = corpus.split_at(500);
    let archive = dir.path().join("a.db");
    let old_path = write(dir.path(), "old.jsonl", old.join("\n"));
    let r = reprint(&["index", "add", s(&archive), s(&old_path), "-q", "--batch", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Corrections of every fifth archived story, each cut to its first paragraphs (footers and
    // shared passages gone), added with ten unseen stories in one batch: the replaced versions'
    // anchors leave their sources' counts in the batch that adds the new versions'.
    let mut corrected = Vec::new();
    for line in old.iter().step_by(5) {
        let mut doc: Value = serde_json::from_str(line).unwrap();
        let text = doc["text"].as_str().unwrap();
        let cut: Vec<&str> = text.split("\n\n").collect();
        doc["text"] = Value::String(cut[..cut.len().div_ceil(3)].join("\n\n"));
        corrected.push(doc.to_string());
    }
    let fresh = &new[..10];
    let again = write(dir.path(), "again.jsonl", corrected.iter().chain(fresh).cloned().collect::<Vec<_>>().join("\n"));
    let r = reprint(&["index", "add", s(&archive), s(&again), "-q", "--replace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The full scan: the archive's order (replaced versions after the others), then the query.
    let id = |l: &String| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string();
    let replaced = ids(&corrected);
    let kept: Vec<String> = old.iter().filter(|l| !replaced.contains(&id(l))).cloned().collect();
    let query_docs = &new[10..];
    let query_path = write(dir.path(), "query.jsonl", query_docs.join("\n"));
    let all: Vec<String> =
        kept.into_iter().chain(corrected).chain(fresh.iter().cloned()).chain(query_docs.to_vec()).collect();
    let all_path = write(dir.path(), "all.jsonl", all.join("\n"));
    let full = pairs_of(&reprint(&["scan", s(&all_path), "-q", "--format", "jsonl"]), Some(&ids(query_docs)));
    let run = reprint(&["index", "query", s(&archive), s(&query_path), "--format", "jsonl"]);
    assert!(run.stderr.contains("against 510 archived"), "replacements are not counted twice: {}", run.stderr);
    let query = pairs_of(&run, None);
    assert!(!full.is_empty());
    assert_eq!(query, full);
}

#[test]
fn an_archived_id_is_refused_replaced_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a.db");
    let text = crate::util::filler(1, 300);
    let first = write(
        dir.path(),
        "1.jsonl",
        format!("{{\"id\":\"x\",\"text\":\"{text}\"}}\n{{\"id\":\"y\",\"text\":\"other\"}}"),
    );
    let again = write(
        dir.path(),
        "2.jsonl",
        format!("{{\"id\":\"z\",\"text\":\"{text}\"}}\n{{\"id\":\"x\",\"text\":\"corrected {text}\"}}"),
    );
    assert_eq!(reprint(&["index", "add", s(&archive), s(&first), "-q"]).code, 0);
    let refused = reprint(&["index", "add", s(&archive), s(&again), "-q"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("\"x\"") && refused.stderr.contains("nothing was added"), "{}", refused.stderr);
    let stats =
        |a: &Path| -> Value { serde_json::from_str(&reprint(&["index", "stats", s(a), "--json"]).stdout).unwrap() };
    assert_eq!(stats(&archive)["documents"], 2, "a refused add writes nothing");
    let skipped = reprint(&["index", "add", s(&archive), s(&again), "--skip-existing"]);
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(skipped.stderr.contains("1 skipped"), "{}", skipped.stderr);
    assert_eq!(stats(&archive)["documents"], 3);
    let replaced = reprint(&["index", "add", s(&archive), s(&again), "--replace"]);
    assert_eq!(replaced.code, 0, "{}", replaced.stderr);
    assert!(replaced.stderr.contains("2 replaced"), "{}", replaced.stderr);
    assert_eq!(stats(&archive)["documents"], 3);
    // Querying an archived id leaves its archived version out instead of matching it.
    let r = reprint(&["index", "query", s(&archive), s(&again), "--format", "jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("archived already under the same id"), "{}", r.stderr);
    assert!(pairs_of(&r, None).iter().all(|p| p["a"] != p["b"]), "no document matches itself");
    // The corrected x is what a query now finds.
    let probe = write(dir.path(), "3.jsonl", format!("{{\"id\":\"p\",\"text\":\"corrected {text}\"}}"));
    let r = reprint(&["index", "query", s(&archive), s(&probe), "-q", "--format", "jsonl"]);
    let pairs = pairs_of(&r, None);
    let x = pairs.iter().find(|p| p["a"] == "x").expect("x matched");
    assert_eq!(x["jaccard"], 1.0, "the replacement, not the original");
}

#[test]
fn what_is_not_a_usable_archive_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "d.jsonl", format!("{{\"id\":\"a\",\"text\":\"{}\"}}", crate::util::filler(2, 100)));
    let refuse = |archive: &Path, args: &[&str], want: &str| {
        let mut all = vec!["index"];
        all.extend_from_slice(args);
        all.insert(2, s(archive));
        let r = reprint(&all);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: want {want:?} in {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    };
    refuse(&dir.path().join("none.db"), &["query", s(&doc)], "no archive here");
    refuse(
        &write(dir.path(), "text.db", "just some text, not a database"),
        &["query", s(&doc)],
        "not a reprint archive",
    );
    refuse(dir.path(), &["stats"], "is a directory");
    // A SQLite database of another program.
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    refuse(&foreign, &["add", s(&doc)], "not a reprint archive");
    // A real archive, then made by a newer reprint, then asked for other options, then damaged.
    let archive = dir.path().join("a.db");
    assert_eq!(reprint(&["index", "add", s(&archive), s(&doc), "-q"]).code, 0);
    refuse(&archive, &["add", s(&doc), "--shingle", "3"], "other scan options");
    let conn = rusqlite::Connection::open(&archive).unwrap();
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'format'", []).unwrap();
    drop(conn);
    refuse(&archive, &["query", s(&doc)], "newer reprint");
    // Postings whose packed entries are cut short.
    let conn = rusqlite::Connection::open(&archive).unwrap();
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'format'", []).unwrap();
    conn.execute("UPDATE postings SET entries = substr(entries, 1, length(entries) - 1)", []).unwrap();
    drop(conn);
    refuse(&archive, &["query", s(&doc)], "damaged postings");
    let bytes = std::fs::read(&archive).unwrap();
    let cut = write(dir.path(), "cut.db", &bytes[..bytes.len().min(4096) / 2]);
    refuse(&cut, &["query", s(&doc)], "damaged");
}

/// `reprint index add` with the file size limited to `limit` bytes (a full disk, without
/// mounting one).
#[cfg(unix)]
fn add_with_file_limit(args: &[&str], limit: u64) -> Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"));
    cmd.args(args);
    // SAFETY: setrlimit and signal are async-signal-safe; nothing else runs in the child.
    unsafe {
        cmd.pre_exec(move || {
            let rl = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            libc::setrlimit(libc::RLIMIT_FSIZE, &rl);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_stops_the_add_and_keeps_the_committed_batches() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "600", "14", &["--words", "300"]);
    let corpus = dir.path().join("corpus.jsonl");
    let archive = dir.path().join("a.db");
    let r = add_with_file_limit(&["index", "add", s(&archive), s(&corpus), "-q", "--batch", "50"], 1 << 20);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("full") || r.stderr.contains("too large"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let stats = reprint(&["index", "stats", s(&archive), "--json"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let docs = serde_json::from_str::<Value>(&stats.stdout).unwrap()["documents"].as_u64().unwrap();
    assert!(docs % 50 == 0 && docs < 600, "whole batches only: {docs}");
    // With room again, the add resumes where it stopped.
    let r = reprint(&["index", "add", s(&archive), s(&corpus), "-q", "--skip-existing", "--batch", "50"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn kill_9_during_add_loses_only_the_batch_being_written() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "3000", "15", &["--words", "200"]);
    let corpus = dir.path().join("corpus.jsonl");
    let lines = lines(&corpus);
    let probe = write(dir.path(), "probe.jsonl", lines[..200].join("\n"));
    let rest = write(dir.path(), "rest.jsonl", lines[200..].join("\n"));
    let (batch, total) = (40u64, (lines.len() - 200) as u64);
    // The archive built without interruption.
    let clean = dir.path().join("clean.db");
    assert_eq!(reprint(&["index", "add", s(&clean), s(&rest), "-q", "--batch", "40"]).code, 0);
    let query = |a: &Path| reprint(&["index", "query", s(a), s(&probe), "-q", "--format", "jsonl"]);
    let want = query(&clean);
    assert_eq!(want.code, 0, "{}", want.stderr);
    assert!(!want.pairs().is_empty());

    let archive = dir.path().join("a.db");
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let (mut kills, mut last) = (0, 0);
    let started = Instant::now();
    while kills < 50 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
            .args(["index", "add", s(&archive), s(&rest), "-q", "--skip-existing", "--batch", "40"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(20 + seed % 400));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let stats = reprint(&["index", "stats", s(&archive), "--json"]);
        if !archive.exists() {
            continue;
        }
        assert_eq!(stats.code, 0, "after {kills} kills: {}", stats.stderr);
        let docs = serde_json::from_str::<Value>(&stats.stdout).unwrap()["documents"].as_u64().unwrap();
        assert!(docs % batch == 0 || docs == total, "after {kills} kills: {docs} documents, not whole batches");
        assert!(docs >= last, "a committed batch was lost: {last} -> {docs}");
        last = docs;
        if docs == total {
            // Start over, so that every kill lands in an add with work left.
            std::fs::remove_file(&archive).unwrap();
            let _ = std::fs::remove_file(dir.path().join("a.db-wal"));
            let _ = std::fs::remove_file(dir.path().join("a.db-shm"));
            last = 0;
        }
        assert!(started.elapsed() < Duration::from_secs(900), "the loop must end");
    }
    // Finished, the archive answers as the one built in one go.
    let r = reprint(&["index", "add", s(&archive), s(&rest), "-q", "--skip-existing", "--batch", "40"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = query(&archive);
    assert_eq!(got.stdout, want.stdout);
}

#[test]
fn queries_run_while_an_add_writes() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "2000", "16", &["--words", "200"]);
    let corpus = dir.path().join("corpus.jsonl");
    let lines = lines(&corpus);
    let probe = write(dir.path(), "probe.jsonl", lines[..50].join("\n"));
    let rest = write(dir.path(), "rest.jsonl", lines[50..].join("\n"));
    let archive = dir.path().join("a.db");
    assert_eq!(reprint(&["index", "add", s(&archive), s(&probe), "-q"]).code, 0, "the archive exists");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["index", "add", s(&archive), s(&rest), "-q", "--batch", "20"])
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        let r = reprint(&["index", "stats", s(&archive), "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        seen.push(serde_json::from_str::<Value>(&r.stdout).unwrap()["documents"].as_u64().unwrap());
        let q = reprint(&["index", "query", s(&archive), s(&probe), "-q", "--format", "jsonl"]);
        assert_eq!(q.code, 0, "{}", q.stderr);
    }
    assert!(child.wait().unwrap().success());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    // Whole batches of 20; the last of the 1,950 holds 10, seen when a probe lands between its
    // commit and the writer's exit.
    let total = lines.len() as u64;
    assert!(seen.iter().all(|&n| (n - 50) % 20 == 0 || n == total), "readers see whole batches: {seen:?}");
}

/// Each quotation printed in `new` documents (doc, start, end), with the document that first
/// printed its quote and its length in words.
fn new_occurrences(run: &Run, new: &HashSet<String>) -> std::collections::HashMap<(String, u64, u64), (String, usize)> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut out = std::collections::HashMap::new();
    for q in run.records().into_iter().filter(|r| r["type"] == "quote") {
        let first = q["first_seen"]["doc"].as_str().unwrap_or("").to_string();
        for o in q["occurrences"].as_array().unwrap() {
            let doc = o["doc"].as_str().unwrap().to_string();
            if new.contains(&doc) {
                let words = o["text"].as_str().unwrap().split_whitespace().count();
                out.insert((doc, o["start"].as_u64().unwrap(), o["end"].as_u64().unwrap()), (first.clone(), words));
            }
        }
    }
    out
}

#[test]
fn quotes_against_the_archive_find_the_full_runs_quotes_and_first_printings() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "1500", "13", &["--words", "250", "--quotes", "0.3"]);
    let corpus = lines(&dir.path().join("corpus.jsonl"));
    let (old, new) = corpus.split_at(1000);
    let old_path = write(dir.path(), "old.jsonl", old.join("\n"));
    let new_path = write(dir.path(), "new.jsonl", new.join("\n"));
    let archive = dir.path().join("a.db");
    assert_eq!(reprint(&["index", "add", s(&archive), s(&old_path), "-q"]).code, 0);
    let got = reprint(&["index", "quotes", s(&archive), s(&new_path), "-q", "--format", "jsonl"]);
    let full = reprint(&["quotes", s(&dir.path().join("corpus.jsonl")), "-q", "--format", "jsonl"]);
    let new_ids = ids(new);
    let (got, full) = (new_occurrences(&got, &new_ids), new_occurrences(&full, &new_ids));
    let found = full.keys().filter(|k| got.contains_key(*k)).count();
    assert!(found as f64 >= 0.99 * full.len() as f64, "{found} of {} occurrences", full.len());
    assert!(got.keys().all(|k| full.contains_key(k)), "every occurrence reported is the full run's");
    let from_archive = full.values().filter(|(d, _)| !new_ids.contains(d)).count();
    assert!(from_archive > 20, "quotes first printed in the archive: {from_archive}");
    // Quotations of 6 words or more share an anchor with every archived article printing them
    // (winnowing's guarantee), so their first printing is found; shorter ones only when their
    // articles share some other anchor (README, "Quotes against the archive").
    let long: Vec<_> = full.iter().filter(|(_, (_, words))| *words >= 6).collect();
    let same_first = long.iter().filter(|(k, v)| got.get(*k) == Some(*v)).count();
    assert!(long.len() > 100 && same_first == long.len(), "first printing agrees for {same_first} of {}", long.len());
}

#[test]
fn quotes_against_an_archive_without_anchors_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "60", "5", &[]);
    let corpus = dir.path().join("corpus.jsonl");
    let archive = dir.path().join("np.db");
    assert_eq!(reprint(&["index", "add", s(&archive), s(&corpus), "-q", "--no-passages"]).code, 0);
    let r = reprint(&["index", "quotes", s(&archive), s(&corpus), "-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("keeps no passage anchors (made with --no-passages)"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}
