//! `reprint eval --truth T --found F`: score results against truth.
//!
//! Truth lines are recognised by their fields: `{"cluster": [ids]}` (exact-duplicate clusters),
//! `{"a","a_start","a_end","b","b_start","b_end"}` or `"type":"passage"` (passages), and
//! `{"a","b",…}` (pairs: positive when `reuse` is true, when `jaccard` ≥ `--threshold`, or, with
//! neither field, always, as in PAN's truth_pairs). Found lines are reprint's JSON Lines or a peer's
//! `{"a","b","score"}`.

use super::{fail, EXIT_OK};
use ahash::{AHashMap, AHashSet};
use reprint::eval::quotes::{score_quotes, QuoteOccurrence};
use reprint::eval::{adjusted_rand_index, pair_key, score_pairs, score_passages, PairKey, Spans, TruthPair};
use reprint::neardup::cluster::clusters;
use serde_json::Value;
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

/// Truth records read from files.
#[derive(Default)]
pub(crate) struct Truth {
    pub(crate) pairs: Vec<TruthPair>,
    pub(crate) clusters: Vec<Vec<String>>,
    pub(crate) passages: AHashMap<PairKey, Vec<Spans>>,
    pub(crate) quotes: Vec<QuoteOccurrence>,
}

/// Results read from a file.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) pairs: AHashSet<PairKey>,
    pub(crate) clusters: Vec<Vec<String>>,
    pub(crate) passages: AHashMap<PairKey, Vec<Spans>>,
    pub(crate) quotes: Vec<QuoteOccurrence>,
    lines: usize,
}

fn lines(path: &str) -> Result<Vec<(usize, Value)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{path}:{}: malformed JSON: {e}", i + 1))?;
        out.push((i + 1, v));
    }
    Ok(out)
}

fn str_field<'a>(v: &'a Value, k: &str, path: &str, line: usize) -> Result<&'a str, String> {
    v[k].as_str().ok_or_else(|| format!("{path}:{line}: field `{k}` missing or not a string"))
}

fn num_field(v: &Value, k: &str, path: &str, line: usize) -> Result<usize, String> {
    v[k].as_u64().map(|x| x as usize).ok_or_else(|| format!("{path}:{line}: field `{k}` missing or not a number"))
}

fn spans(v: &Value, a: &str, b: &str, path: &str, line: usize) -> Result<Spans, String> {
    Ok(vec![
        (a.to_string(), num_field(v, "a_start", path, line)?, num_field(v, "a_end", path, line)?),
        (b.to_string(), num_field(v, "b_start", path, line)?, num_field(v, "b_end", path, line)?),
    ])
}

/// Reads truth files (see the module documentation for the kinds of records).
pub(crate) fn read_truth(paths: &[String], threshold: f64) -> Result<Truth, String> {
    let mut t = Truth::default();
    for path in paths {
        for (line, v) in lines(path)? {
            if let Some(members) = v["cluster"].as_array() {
                let ids: Vec<String> = members.iter().filter_map(|m| m.as_str().map(str::to_string)).collect();
                for (i, x) in ids.iter().enumerate() {
                    for y in &ids[i + 1..] {
                        t.pairs.push(TruthPair { key: pair_key(x, y), jaccard: None, positive: true });
                    }
                }
                t.clusters.push(ids);
                continue;
            }
            if v["type"] == "boilerplate" {
                continue; // synth's footers: what reprint must not report as reuse, not a pair
            }
            if v["type"] == "quote" {
                t.quotes.push(QuoteOccurrence {
                    doc: str_field(&v, "doc", path, line)?.to_string(),
                    start: num_field(&v, "start", path, line)?,
                    end: num_field(&v, "end", path, line)?,
                    quote: v["quote"].to_string(),
                    speaker: v["speaker"].as_str().map(str::to_string),
                });
                continue;
            }
            let (a, b) = (str_field(&v, "a", path, line)?, str_field(&v, "b", path, line)?);
            if v["type"] == "passage" || v.get("a_start").is_some() {
                t.passages.entry(pair_key(a, b)).or_default().push(spans(&v, a, b, path, line)?);
                continue;
            }
            let jaccard = v["jaccard"].as_f64();
            let positive = match (v["reuse"].as_bool(), jaccard) {
                (Some(r), _) => r,
                (None, Some(j)) => j >= threshold,
                (None, None) => true,
            };
            t.pairs.push(TruthPair { key: pair_key(a, b), jaccard, positive });
        }
    }
    Ok(t)
}

/// Reads results: reprint's JSON Lines or a peer's pairs.
pub(crate) fn read_found(path: &str, all_pairs: bool) -> Result<Found, String> {
    let mut f = Found::default();
    let mut had_clusters = false;
    for (line, v) in lines(path)? {
        f.lines += 1;
        match v["type"].as_str() {
            Some("summary") | Some("quote_summary") => {}
            Some("quote") => {
                let id = v["id"].to_string();
                let occ =
                    v["occurrences"].as_array().ok_or_else(|| format!("{path}:{line}: quote without occurrences"))?;
                for o in occ {
                    f.quotes.push(QuoteOccurrence {
                        doc: str_field(o, "doc", path, line)?.to_string(),
                        start: num_field(o, "start", path, line)?,
                        end: num_field(o, "end", path, line)?,
                        quote: id.clone(),
                        speaker: o["speaker"].as_str().map(str::to_string),
                    });
                }
            }
            Some("cluster") => {
                had_clusters = true;
                let ids = v["members"].as_array().ok_or_else(|| format!("{path}:{line}: cluster without members"))?;
                f.clusters.push(ids.iter().filter_map(|m| m.as_str().map(str::to_string)).collect());
            }
            _ => {
                let (a, b) = (str_field(&v, "a", path, line)?, str_field(&v, "b", path, line)?);
                let key = pair_key(a, b);
                let passage_only = v["found_by"] == "passage";
                if all_pairs || !passage_only {
                    f.pairs.insert(key.clone());
                }
                for p in v["passages"].as_array().into_iter().flatten() {
                    if p["boilerplate"] != true {
                        f.passages.entry(key.clone()).or_default().push(spans(p, a, b, path, line)?);
                    }
                }
            }
        }
    }
    if !had_clusters {
        // A peer's pairs: clusters are their connected components.
        let ids: Vec<&String> = f.pairs.iter().flat_map(|(a, b)| [a, b]).collect::<AHashSet<_>>().into_iter().collect();
        let mut sorted = ids;
        sorted.sort();
        let index: AHashMap<&String, u32> = sorted.iter().enumerate().map(|(i, d)| (*d, i as u32)).collect();
        let edges: Vec<(u32, u32)> = f.pairs.iter().map(|(a, b)| (index[a], index[b])).collect();
        f.clusters = clusters(sorted.len(), edges)
            .into_iter()
            .map(|c| c.members.iter().map(|&m| sorted[m as usize].clone()).collect())
            .collect();
    }
    Ok(f)
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
