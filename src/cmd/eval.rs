//! `reprint eval --truth T --found F`: score results against truth.
//!
//! What each kind of truth and results line means: [`reprint::eval::truth`].

use super::{fail, EXIT_OK};
use ahash::AHashSet;
use reprint::eval::quotes::score_quotes;
use reprint::eval::truth::{read_found, read_truth};
use reprint::eval::{adjusted_rand_index, score_pairs, score_passages, PairKey};
use std::fmt::Write as _;
use std::process::ExitCode;

/// Options of `reprint eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Truth file(s), JSON Lines (several kinds may be given).
    #[arg(long, required = true, value_name = "FILE")]
    truth: Vec<String>,
    /// Results to score: reprint's JSON Lines, or a peer's {"a","b","score"} lines.
    #[arg(long, value_name = "FILE")]
    found: String,
    /// Truth pairs with a `jaccard` at or above this are positives.
    #[arg(long, default_value_t = 0.5)]
    threshold: f64,
    /// Count every reported pair, including those that only share passages (default: the
    /// near-duplicate and containment pairs).
    #[arg(long)]
    all_pairs: bool,
    /// Score passages only between the truth's pairs (PAN's setting).
    #[arg(long)]
    only_truth_pairs: bool,
    /// Score passages only between pairs that hold a truth passage: for `reprint synth`'s truth,
    /// which labels the planted passages but not the text near-duplicates, wire copies, quotes
    /// and footers also share.
    #[arg(long, conflicts_with = "only_truth_pairs")]
    only_passage_pairs: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `reprint eval`.
pub fn run(args: Args) -> ExitCode {
    let truth = match read_truth(&args.truth, args.threshold) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut found = match read_found(&args.found, args.all_pairs) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    if truth.pairs.is_empty() && truth.clusters.is_empty() && truth.passages.is_empty() && truth.quotes.is_empty() {
        return fail(format!("{}: no truth records (pairs, clusters, passages or quotes)", args.truth.join(", ")));
    }
    if args.only_truth_pairs {
        let keep: AHashSet<&PairKey> = truth.pairs.iter().map(|t| &t.key).chain(truth.passages.keys()).collect();
        found.passages.retain(|k, _| keep.contains(k));
    }
    if args.only_passage_pairs {
        found.passages.retain(|k, _| truth.passages.contains_key(k));
    }
    let known: AHashSet<&str> = truth
        .pairs
        .iter()
        .flat_map(|t| [t.key.0.as_str(), t.key.1.as_str()])
        .chain(truth.passages.keys().flat_map(|k| [k.0.as_str(), k.1.as_str()]))
        .collect();
    let unknown =
        found.pairs.iter().filter(|(a, b)| !known.contains(a.as_str()) || !known.contains(b.as_str())).count();
    // A `reprint quotes` output has quotes only: its pairs are not scored.
    let scan_results = found.quotes.is_empty() || !found.pairs.is_empty() || !found.passages.is_empty();
    let pairs = (scan_results && !truth.pairs.is_empty()).then(|| score_pairs(&truth.pairs, &found.pairs));
    let ari =
        (scan_results && !truth.clusters.is_empty()).then(|| adjusted_rand_index(&truth.clusters, &found.clusters));
    let passages =
        (scan_results && !truth.passages.is_empty()).then(|| score_passages(&truth.passages, &found.passages));
    // Quotes are scored when the results hold quote records (`reprint quotes --format jsonl`).
    let quotes =
        (!truth.quotes.is_empty() && !found.quotes.is_empty()).then(|| score_quotes(&truth.quotes, &found.quotes));
    let mut text = String::new();
    if args.json {
        let out = serde_json::json!({
            "pairs": pairs, "clusters": ari.map(|a| serde_json::json!({"ari": a, "truth": truth.clusters.len(), "found": found.clusters.len()})),
            "passages": passages, "quotes": quotes, "found_pairs_naming_ids_outside_the_truth": unknown,
        });
        let _ = writeln!(text, "{out}");
        return print(&text);
    }
    if found.lines == 0 {
        let _ = writeln!(text, "{}: no results (every score below is 0)", args.found);
    }
    if let Some(p) = &pairs {
        let _ = writeln!(
            text,
            "pairs     found {}  positives {}  precision {:.4}  recall {:.4}  F1 {:.4}",
            p.found, p.positives, p.precision, p.recall, p.f1
        );
        if !p.recall_by_jaccard.is_empty() {
            let bands: Vec<String> = p
                .recall_by_jaccard
                .iter()
                .map(|(lo, n, r)| format!("{lo:.1}-{:.1}: {r}/{n}", (lo + 0.1).min(1.0)))
                .collect();
            let _ = writeln!(text, "          recall by Jaccard  {}", bands.join("  "));
        }
        if unknown > 0 {
            let _ = writeln!(
                text,
                "          {unknown} found pairs name documents the truth does not mention (counted as wrong)"
            );
        }
    }
    if let Some(a) = ari {
        let _ = writeln!(
            text,
            "clusters  ARI {a:.4}  (truth {} clusters, found {})",
            truth.clusters.len(),
            found.clusters.len()
        );
    }
    if let Some(s) = &passages {
        let _ = writeln!(
            text,
            "passages  cases {}  detections {}  recall {:.4}  precision {:.4}  granularity {:.4}  plagdet {:.4}",
            s.cases, s.detections, s.recall, s.precision, s.granularity, s.plagdet
        );
        if s.precision < 0.5 && !args.only_truth_pairs && !args.only_passage_pairs {
            let _ = writeln!(
                text,
                "          precision counts every reported passage, and the truth may label only some shared text \
                 (reprint synth labels its planted passages, not what near-duplicates, wire copies, quotes and \
                 footers also share): --only-passage-pairs scores the pairs holding a truth passage"
            );
        }
    }
    if let Some(q) = &quotes {
        let _ = writeln!(text,
            "quotes    occurrences {}/{} found ({:.4})  clusters precision {:.4}  recall {:.4}  F1 {:.4}  speakers precision {:.4}  recall {:.4}",
            q.found_occurrences, q.truth_occurrences, q.occurrence_recall, q.cluster_precision, q.cluster_recall,
            q.cluster_f1, q.speaker_precision, q.speaker_recall
        );
        let _ = writeln!(
            text,
            "          first appearance right for {}/{} reported quotes ({:.4})",
            q.first_right, q.quotes_reported, q.first_appearance
        );
        for f in &q.by_form {
            let _ = writeln!(
                text,
                "          {} with {} word(s) changed: {}/{} found ({:.4})",
                if f.quoted { "quoted  " } else { "unmarked" },
                f.edits,
                f.found,
                f.truth,
                if f.truth == 0 { 0.0 } else { f.found as f64 / f.truth as f64 }
            );
        }
    }
    print(&text)
}

/// Writes the report on stdout; a closed pipe (`| head`) is a normal end.
fn print(text: &str) -> ExitCode {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(format!("writing results: {e}")),
        _ => ExitCode::from(EXIT_OK),
    }
}
