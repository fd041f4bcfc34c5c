//! `reprint scan` end to end: the seeds, formats, determinism, accuracy on planted pairs.

use crate::util::{filler, reprint, s, write};
use std::collections::HashSet;

#[test]
fn seeds_say_plainly_that_nothing_is_duplicated() {
    let r = reprint(&["scan", "seeds"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Scanned 5 documents"), "{}", r.stdout);
    assert!(r.stdout.contains("No near-duplicates: no two of the 5 documents reach Jaccard >= 0.50"), "{}", r.stdout);
    assert!(r.stderr.contains("5 documents"), "timing goes to stderr: {}", r.stderr);
}

#[test]
fn seeds_jsonl_summary_and_ids() {
    let r = reprint(&["scan", "seeds", "--format", "jsonl", "--quiet"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.is_empty(), "--quiet: {}", r.stderr);
    let s = r.summary();
    assert_eq!(s["documents"], 5);
    assert_eq!(s["clusters"], 0, "no near-duplicates");
    assert_eq!(s["pairs"], 2, "two pairs share passages");
    assert_eq!(s["passages"], 3);
    assert_eq!((s["bands"].as_u64(), s["rows"].as_u64()), (Some(26), Some(3)), "recall-weighted banding for J >= 0.5");
}

/// The `pair` records of a synthetic corpus's truth.
fn truth_pairs(dir: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|t| t["type"] == "pair")
        .collect()
}

fn synth(dir: &std::path::Path, docs: &str, extra: &[&str]) {
    crate::util::synth(dir, docs, "3", extra);
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    // More pairs than `emit_scan` encodes in one parallel batch (1,024), so batches meet.
    synth(dir.path(), "2500", &["--words", "300", "--near-duplicates", "0.3"]);
    let corpus = dir.path().join("corpus.jsonl");
    let pairs = reprint(&["scan", s(&corpus), "--containment", "0.7", "--format", "jsonl", "-q"]).pairs().len();
    assert!(pairs > 1100, "{pairs} pairs");
    for format in ["jsonl", "table", "csv", "json"] {
        let one = reprint(&["scan", s(&corpus), "--threads", "1", "--containment", "0.7", "--format", format, "-q"]);
        let two = reprint(&["scan", s(&corpus), "--threads", "2", "--containment", "0.7", "--format", format, "-q"]);
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert!(one.stdout.len() > 1000, "{format}: something to compare");
        assert_eq!(one.stdout, two.stdout, "{format} differs between 1 and 2 threads");
    }
}

#[test]
fn texts_kept_in_a_temporary_file_give_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "1200", &["--words", "300", "--near-duplicates", "0.2"]);
    let corpus = dir.path().join("corpus.jsonl");
    for format in ["jsonl", "csv", "table"] {
        let memory = reprint(&["scan", s(&corpus), "--containment", "0.7", "--format", format, "-q"]);
        let spilled =
            reprint(&["scan", s(&corpus), "--containment", "0.7", "--format", format, "-q", "--spill-over", "0"]);
        assert_eq!(spilled.code, 0, "{}", spilled.stderr);
        assert_eq!(memory.stdout, spilled.stdout, "{format} differs when texts are on disk");
    }
    let r = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q", "--spill-over", "0"]);
    assert!(r.summary()["passages"].as_u64().unwrap() > 50, "passages carry text read back: {}", r.summary());
    let texts: Vec<String> = r
        .pairs()
        .iter()
        .flat_map(|p| p["passages"].as_array().unwrap().iter().map(|x| x["a_text"].as_str().unwrap().to_string()))
        .collect();
    assert!(!texts.is_empty() && texts.iter().all(|t| t.split_whitespace().count() >= 8), "{texts:?}");
}

#[test]
fn planted_near_duplicates_recall_and_precision() {
    let dir = tempfile::tempdir().unwrap();
    synth(
        dir.path(),
        "3000",
        &["--words", "400", "--near-duplicates", "0.25", "--max-edit", "0.12", "--containment", "0"],
    );
    let r = reprint(&["scan", s(&dir.path().join("corpus.jsonl")), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let truth = truth_pairs(dir.path());
    let key = |v: &serde_json::Value| (v["a"].as_str().unwrap().to_string(), v["b"].as_str().unwrap().to_string());
    let planted: HashSet<_> = truth.iter().map(key).collect();
    let positives: Vec<_> = truth.iter().filter(|t| t["jaccard"].as_f64().unwrap() >= 0.5).map(key).collect();
    // Near-duplicate pairs are the clustered ones; the others share passages only.
    let near: Vec<serde_json::Value> = r.pairs().into_iter().filter(|p| !p["cluster"].is_null()).collect();
    let found: HashSet<_> = near.iter().map(key).collect();
    assert!(positives.len() > 150, "enough planted pairs above the threshold: {}", positives.len());
    let recall = positives.iter().filter(|p| found.contains(*p)).count() as f64 / positives.len() as f64;
    let precision = found.iter().filter(|p| planted.contains(*p)).count() as f64 / found.len() as f64;
    assert!(recall >= 0.98, "recall {recall}");
    assert!(precision >= 0.99, "precision {precision}");
    // Reported scores are exact: they equal the truth's Jaccard, computed independently.
    let exact: std::collections::HashMap<_, f64> =
        truth.iter().map(|t| (key(t), t["jaccard"].as_f64().unwrap())).collect();
    let mut minhash_error = 0.0;
    for p in &near {
        let j = p["jaccard"].as_f64().unwrap();
        assert!((j - exact[&key(p)]).abs() < 1e-4, "{p}");
        minhash_error += (p["minhash"].as_f64().unwrap() - j).abs();
    }
    assert!(minhash_error / (found.len() as f64) < 0.05, "MinHash estimates within 0.05 on average");
}

#[test]
fn contained_stories_are_found_with_containment() {
    let dir = tempfile::tempdir().unwrap();
    synth(
        dir.path(),
        "1200",
        &["--words", "300", "--near-duplicates", "0", "--containment", "0.1", "--syndication", "0"],
    );
    let corpus = dir.path().join("corpus.jsonl");
    let truth = truth_pairs(dir.path());
    let plain = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q", "--no-passages"]);
    let with = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q", "--containment", "0.8", "--no-passages"]);
    let found: HashSet<(String, String)> =
        with.pairs().iter().map(|p| (p["a"].as_str().unwrap().into(), p["b"].as_str().unwrap().into())).collect();
    let contained: Vec<_> = truth.iter().filter(|t| t["containment"].as_f64().unwrap() >= 0.8).collect();
    assert!(contained.len() > 50);
    let hits = contained
        .iter()
        .filter(|t| found.contains(&(t["a"].as_str().unwrap().into(), t["b"].as_str().unwrap().into())))
        .count();
    assert_eq!(hits, contained.len(), "every contained story found");
    assert!(plain.pairs().len() < contained.len() / 4, "Jaccard alone misses most of them");
    assert!(with.pairs().iter().all(|p| p["containment"].as_f64().unwrap() >= 0.8));
}

#[test]
fn templated_pages_cluster_without_enumerating_all_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let page = filler(9, 150);
    let mut lines = String::new();
    for i in 0..400 {
        lines.push_str(&serde_json::json!({"id": format!("p{i}"), "text": page}).to_string());
        lines.push('\n');
    }
    let f = write(dir.path(), "pages.jsonl", lines);
    let r = reprint(&["scan", s(&f), "--max-bucket", "100", "-q"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("clustered through its first document"), "{}", r.stdout);
    let j = reprint(&["scan", s(&f), "--max-bucket", "100", "-q", "--format", "jsonl"]);
    assert_eq!(j.pairs().len(), 399, "a star, not 79,800 pairs");
    assert_eq!(j.summary()["clusters"], 1);
    assert_eq!(j.summary()["clustered_documents"], 400);
}

#[test]
fn formats_carry_the_same_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let base = filler(1, 300);
    let mut edited: Vec<&str> = base.split(' ').collect();
    edited[100] = "changed";
    let edited = edited.join(" ");
    write(dir.path(), "a/one.txt", format!("Title, with comma\n{base}"));
    write(dir.path(), "b/two.txt", format!("Other \"title\"\n{edited}"));
    write(dir.path(), "b/three.md", filler(2, 300));
    let d = s(dir.path());
    let jl = reprint(&["scan", d, "--format", "jsonl", "-q"]);
    let p = &jl.pairs()[0];
    assert_eq!((p["a"].as_str(), p["b"].as_str()), (Some("a/one.txt"), Some("b/two.txt")));
    assert_eq!((p["source_a"].as_str(), p["source_b"].as_str()), (Some("a"), Some("b")));
    assert_eq!(p["title_a"], "Title, with comma");
    let json: serde_json::Value =
        serde_json::from_str(&reprint(&["scan", d, "--format", "json", "-q"]).stdout).unwrap();
    assert_eq!(json["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(json["clusters"][0]["members"], serde_json::json!(["a/one.txt", "b/two.txt"]));
    let csv = reprint(&["scan", d, "--format", "csv", "-q"]).stdout;
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].starts_with("a,b,source_a,source_b"));
    assert!(
        rows[1].starts_with("a/one.txt,b/two.txt,a,b,\"Title, with comma\",\"Other \"\"title\"\"\","),
        "{}",
        rows[1]
    );
    let table = reprint(&["scan", d, "-q"]).stdout;
    assert!(table.contains("Found 1 near-duplicate pair in 1 cluster (2 documents)."), "{table}");
    assert!(
        table.contains("1 passage of at least 8 words (12 outside quotation marks) shared by 1 pair of documents."),
        "{table}"
    );
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let r = reprint(&["scan", "seeds", "--format", "jsonl", "-q", "-o", s(&out)]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"type\":\"summary\""));
}

#[test]
#[cfg_attr(not(has_reuters), ignore = "needs ../shared/data/reuters21578 (then touch build.rs)")]
fn reuters_exact_duplicate_clusters_are_all_found() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/reuters21578");
    let r = reprint(&["scan", s(&data.join("articles.jsonl.gz")), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut cluster_of = std::collections::HashMap::new();
    for rec in r.records().iter().filter(|r| r["type"] == "cluster") {
        for m in rec["members"].as_array().unwrap() {
            cluster_of.insert(m.as_str().unwrap().to_string(), rec["id"].as_u64().unwrap());
        }
    }
    let truth = std::fs::read_to_string(data.join("exact_duplicate_clusters.jsonl")).unwrap();
    let mut n = 0;
    for line in truth.lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        let ids: HashSet<Option<&u64>> =
            c["cluster"].as_array().unwrap().iter().map(|m| cluster_of.get(m.as_str().unwrap())).collect();
        assert!(ids.len() == 1 && !ids.contains(&None), "{line} not found whole");
        n += 1;
    }
    assert_eq!(n, 326);
}

#[test]
fn the_readme_shows_the_seeds_scan_as_it_really_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```\nScanned 5 documents").expect("the seeds example in README.md") + 4;
    let end = start + readme[start..].find("```").unwrap();
    let r = reprint(&["scan", "seeds", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let trimmed = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(trimmed(&readme[start..end]), trimmed(&r.stdout), "update README.md's seeds example");
}

/// `--option` → its default as `reprint SUBCOMMAND --help` states it: `[default: V]`, or
/// `[default: V; ...` in the text of an option whose default depends on another.
fn help_defaults(subcommand: &str) -> std::collections::HashMap<String, String> {
    let r = reprint(&[subcommand, "--help"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut found = std::collections::HashMap::new();
    let mut option: Option<String> = None;
    for line in r.stdout.lines().map(str::trim) {
        if line.starts_with("--") || line.starts_with("-o,") || line.starts_with("-q,") {
            option = line.split_whitespace().find(|w| w.starts_with("--")).map(|w| w.trim_end_matches(',').to_string());
        }
        if let (Some(o), Some(at)) = (&option, line.find("[default: ")) {
            let value = line[at + 10..].split([']', ';']).next().unwrap().trim().to_string();
            found.entry(o.clone()).or_insert(value);
        }
    }
    found
}

#[test]
fn every_default_the_readme_documents_is_the_one_the_cli_uses() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let scan = help_defaults("scan");
    let quotes = help_defaults("quotes");
    let mut checked = 0;
    // The table of `scan` options: | `--option ARG` | default | meaning |
    let table = &readme[readme.find("### Options of `scan`").expect("README: Options of `scan`")..];
    for row in table.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(option), Some(default)) = (cells.get(1), cells.get(2)) else { continue };
        let name = option.trim_matches('`').split_whitespace().next().unwrap_or("");
        let value = default.split_whitespace().next().unwrap_or("");
        if !value.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        assert_eq!(scan.get(name), Some(&value.to_string()), "README's default of scan {name}");
        checked += 1;
    }
    // The quotes options, in prose: `--option N` (default V...
    for (at, _) in readme.match_indices("` (default ") {
        let name = readme[..at].rsplit('`').next().unwrap().split_whitespace().next().unwrap();
        let value: String = readme[at + 11..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        assert_eq!(quotes.get(name), Some(&value), "README's default of quotes {name}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} defaults found in README.md");
}
