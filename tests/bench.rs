//! `reprint bench` end to end, on small sizes.

use crate::util::{reprint, s};

#[test]
fn bench_measures_each_size_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("curve.svg");
    let r =
        reprint(&["bench", "--sizes", "400,200", "--json", "--dir", s(&dir.path().join("work")), "--plot", s(&plot)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["docs"].as_u64(), rows[1]["docs"].as_u64()), (Some(200), Some(400)), "sizes ascending");
    for row in &rows {
        assert!(row["wall_s"].as_f64().unwrap() > 0.0);
        assert!(row["peak_mib"].as_f64().unwrap() > 1.0, "the child's own peak memory: {row}");
        assert!(row["pair_precision"].as_f64().unwrap() >= 0.99, "{row}");
        assert!(row["passage_recall"].as_f64().unwrap() >= 0.9, "{row}");
    }
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline") && svg.contains(">400<"));
    assert!(dir.path().join("work/n200/corpus.jsonl").exists(), "--dir keeps the corpora");
}

#[test]
fn bench_refuses_nonsense_sizes() {
    let r = reprint(&["bench", "--sizes", "0"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--sizes"), "{}", r.stderr);
}

#[test]
fn bench_measures_ocr_noise_with_letters() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let r = reprint(&["bench", "--sizes", "300", "--json", "--ocr-cer", "0.05", "--ocr", "--dir", s(&work)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert!(row["pair_recall"].as_f64().unwrap() >= 0.95, "{row}");
    assert!(row["passage_recall"].as_f64().unwrap() >= 0.9, "{row}");
    let corpus = std::fs::read_to_string(work.join("n300/corpus.jsonl")).unwrap();
    assert!(corpus.contains("-\\n"), "the noisy corpus has hyphenated line ends");
    let r = reprint(&["bench", "--sizes", "100", "--ocr-cer", "2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--ocr-cer"), "{}", r.stderr);
}
