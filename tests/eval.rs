//! `reprint eval` end to end: synth → scan → eval agree, and bad inputs give clear messages.

use crate::util::{eval_json, reprint, s, synth, write};

#[test]
fn synth_scan_eval_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "800", "5", &["--words", "300", "--near-duplicates", "0.3"]);
    let found = dir.path().join("found.jsonl");
    let r = reprint(&["scan", s(&dir.path().join("corpus.jsonl")), "--format", "jsonl", "-q", "-o", s(&found)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = eval_json(&dir.path().join("truth.jsonl"), &found);
    // The same numbers computed independently from the two files.
    let read = |p: &std::path::Path| -> Vec<serde_json::Value> {
        std::fs::read_to_string(p).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let key = |x: &serde_json::Value| {
        let (a, b) = (x["a"].as_str().unwrap().to_string(), x["b"].as_str().unwrap().to_string());
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    };
    let truth = read(&dir.path().join("truth.jsonl"));
    let planted: std::collections::HashSet<_> = truth.iter().filter(|t| t["type"] == "pair").map(key).collect();
    let positives: Vec<_> =
        truth.iter().filter(|t| t["type"] == "pair" && t["jaccard"].as_f64().unwrap() >= 0.5).map(key).collect();
    let reported: std::collections::HashSet<_> =
        read(&found).iter().filter(|r| r["type"] == "pair" && r["found_by"] != "passage").map(key).collect();
    let recall = positives.iter().filter(|p| reported.contains(*p)).count() as f64 / positives.len() as f64;
    let precision = reported.iter().filter(|p| planted.contains(*p)).count() as f64 / reported.len() as f64;
    assert!(positives.len() > 20 && !reported.is_empty());
    assert!((v["pairs"]["recall"].as_f64().unwrap() - recall).abs() < 1e-12, "{v}");
    assert!((v["pairs"]["precision"].as_f64().unwrap() - precision).abs() < 1e-12, "{v}");
    assert_eq!(v["pairs"]["positives"], positives.len());
    assert!(v["passages"]["recall"].as_f64().unwrap() >= 0.98, "planted passages found: {v}");
    let table = reprint(&["eval", "--truth", s(&dir.path().join("truth.jsonl")), "--found", s(&found)]);
    assert!(table.stdout.starts_with("pairs     found"), "{}", table.stdout);
    assert!(table.stdout.contains("recall by Jaccard"));
    // Near-duplicates share whole texts that synth's truth does not list as passages: the table
    // says so, and scoring only the pairs holding a planted passage measures what was planted.
    assert!(v["passages"]["precision"].as_f64().unwrap() < 0.5, "{v}");
    assert!(table.stdout.contains("--only-passage-pairs"), "{}", table.stdout);
    let only = reprint(&[
        "eval",
        "--truth",
        s(&dir.path().join("truth.jsonl")),
        "--found",
        s(&found),
        "--only-passage-pairs",
        "--json",
    ]);
    let o: serde_json::Value = serde_json::from_str(&only.stdout).unwrap();
    assert!(o["passages"]["precision"].as_f64().unwrap() >= 0.95, "{o}");
    assert_eq!(o["passages"]["recall"], v["passages"]["recall"]);
    // A reader that stops early (`| head -1`) ends the report quietly.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["eval", "--truth", s(&dir.path().join("truth.jsonl")), "--found", s(&found)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn peers_pairs_and_clusters_are_scored() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(dir.path(), "clusters.jsonl", "{\"cluster\": [\"a\", \"b\"]}\n{\"cluster\": [\"c\", \"d\"]}\n");
    let found = write(
        dir.path(),
        "peer.jsonl",
        "{\"a\":\"b\",\"b\":\"a\",\"score\":0.9}\n{\"a\":\"c\",\"b\":\"x\",\"score\":0.6}\n",
    );
    let v = eval_json(&truth, &found);
    assert_eq!(v["pairs"]["recall"], 0.5);
    assert_eq!(v["pairs"]["precision"], 0.5);
    assert_eq!(v["found_pairs_naming_ids_outside_the_truth"], 1);
    assert!(v["clusters"]["ari"].as_f64().unwrap() < 1.0);
}

#[test]
fn bad_inputs_give_clear_messages_and_sensible_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(dir.path(), "t.jsonl", "{\"a\":\"x\",\"b\":\"y\",\"jaccard\":0.8}\n");
    let empty = write(dir.path(), "empty.jsonl", "");
    let e = reprint(&["eval", "--truth", s(&truth), "--found", s(&empty)]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    assert!(e.stdout.contains("no results"), "{}", e.stdout);
    assert!(e.stdout.contains("precision 0.0000  recall 0.0000  F1 0.0000"), "{}", e.stdout);
    assert!(!e.stdout.contains("NaN"));

    let bad = write(dir.path(), "bad.jsonl", "{\"a\":\"x\",\"b\":\"y\"}\n{oops\n");
    let e = reprint(&["eval", "--truth", s(&bad), "--found", s(&empty)]);
    assert_eq!(e.code, 2);
    assert!(e.stderr.contains("bad.jsonl:2: malformed JSON"), "{}", e.stderr);

    let e = reprint(&["eval", "--truth", s(&empty), "--found", s(&empty)]);
    assert_eq!(e.code, 2);
    assert!(e.stderr.contains("no truth records"), "{}", e.stderr);

    let e = reprint(&["eval", "--truth", s(&dir.path().join("missing.jsonl")), "--found", s(&empty)]);
    assert_eq!(e.code, 2);
    assert!(e.stderr.contains("missing.jsonl"), "{}", e.stderr);
}

#[test]
fn synth_quotes_eval_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "1500", "9", &["--words", "300", "--quotes", "0.2"]);
    let found = dir.path().join("quotes.jsonl");
    let r = reprint(&[
        "quotes",
        s(&dir.path().join("corpus.jsonl")),
        "--min-sources",
        "1",
        "--format",
        "jsonl",
        "-q",
        "-o",
        s(&found),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = eval_json(&dir.path().join("truth.jsonl"), &found);
    let q = &v["quotes"];
    assert!(q["truth_occurrences"].as_u64().unwrap() > 100, "{q}");
    assert!(q["occurrence_recall"].as_f64().unwrap() >= 0.95, "{q}");
    assert!(q["cluster_precision"].as_f64().unwrap() >= 0.95, "{q}");
    assert!(q["cluster_recall"].as_f64().unwrap() >= 0.9, "{q}");
    assert!(q["speaker_precision"].as_f64().unwrap() >= 0.9, "{q}");
    // A quotes file is not scored as pairs.
    assert!(v["pairs"].is_null());
}
