//! Shared passages end to end: the seeds, exact offsets, boilerplate, hostile documents.

use crate::util::{filler, reprint, s, synth, write};
use serde_json::Value;

/// Code-point slice of `text`, as Python's `text[start:end]`.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn passages(r: &crate::util::Run) -> Vec<(String, String, Value)> {
    r.pairs()
        .iter()
        .flat_map(|p| {
            let (a, b) = (p["a"].as_str().unwrap().to_string(), p["b"].as_str().unwrap().to_string());
            p["passages"].as_array().unwrap().iter().map(move |x| (a.clone(), b.clone(), x.clone())).collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn seeds_share_the_three_known_passages_and_no_stock_phrases() {
    let r = reprint(&["scan", "seeds", "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    let has = |a: &str, b: &str, needle_a: &str, needle_b: &str| {
        found.iter().any(|(x, y, p)| {
            x.starts_with(a)
                && y.starts_with(b)
                && p["a_text"].as_str().unwrap().contains(needle_a)
                && p["b_text"].as_str().unwrap().contains(needle_b)
        })
    };
    assert!(has(
        "003",
        "004",
        "would effectively be supporting the ratification of Russian conquest",
        "ratification of Russian conquest"
    ));
    assert!(has(
        "001",
        "004",
        "journey of friendship, cooperation and peace",
        "journey of friendship, cooperation and peace"
    ));
    // One passage across the differing word, not two fragments.
    assert!(
        has("001", "004", "colossal leap forward in its development", "colossal leap ahead in its development"),
        "{found:?}"
    );
    let putin: Vec<_> = found.iter().filter(|(_, _, p)| p["a_text"].as_str().unwrap().contains("colossal")).collect();
    assert_eq!(putin.len(), 1);
    assert!(putin[0].2["score"].as_f64().unwrap() < 1.0);
    for (_, _, p) in &found {
        assert!(!p["a_text"].as_str().unwrap().eq_ignore_ascii_case("US Secretary of State Antony Blinken"));
        assert!(p["words"].as_u64().unwrap() >= 8);
    }
    // Offsets slice the original files to the reported text.
    for (a, b, p) in &found {
        let ta = std::fs::read_to_string(format!("seeds/{a}")).unwrap();
        let tb = std::fs::read_to_string(format!("seeds/{b}")).unwrap();
        let u = |k: &str| p[k].as_u64().unwrap() as usize;
        assert_eq!(slice(&ta, u("a_start"), u("a_end")), p["a_text"].as_str().unwrap());
        assert_eq!(slice(&tb, u("b_start"), u("b_end")), p["b_text"].as_str().unwrap());
    }
}

#[test]
fn offsets_are_code_points_through_combining_marks_and_emoji() {
    let dir = tempfile::tempdir().unwrap();
    let shared = "Le président a déclaré 🎉 que la coope\u{301}ration 👩‍👩‍👧 économique restera forte malgré les tensions, 北京 a répondu";
    let a = format!("Préambule 😀😀 sans rapport, e\u{301}crit ailleurs. {shared} et puis autre chose.");
    let b = format!("Autre début 🇫🇷 différent. {shared}. Fin.");
    let f = write(
        dir.path(),
        "c.jsonl",
        format!("{}\n{}\n", serde_json::json!({"id": "a", "text": a}), serde_json::json!({"id": "b", "text": b})),
    );
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    let p = &found[0].2;
    let u = |k: &str| p[k].as_u64().unwrap() as usize;
    assert_eq!(slice(&a, u("a_start"), u("a_end")), p["a_text"].as_str().unwrap());
    assert_eq!(slice(&b, u("b_start"), u("b_end")), p["b_text"].as_str().unwrap());
    assert!(p["a_text"].as_str().unwrap().starts_with("Le président"));
    assert!(p["a_text"].as_str().unwrap().ends_with("répondu"));
    assert_eq!(p["score"], 1.0);
}

#[test]
fn site_menus_are_boilerplate_and_never_relate_articles() {
    let dir = tempfile::tempdir().unwrap();
    let menu =
        "Home World Business Markets Technology Sports Opinion Subscribe to our newsletter for the latest headlines \
                Leave a Reply Your email address will not be published Required fields are marked";
    for i in 0..6 {
        write(dir.path(), &format!("daily/p{i}.txt"), format!("{menu}\n\n{}\n\n{menu}", filler(100 + i, 200)));
    }
    // A real story shared with another outlet, inside one of those pages.
    let story = filler(7, 60);
    write(dir.path(), "daily/p6.txt", format!("{menu}\n\n{story}\n\n{menu}"));
    write(dir.path(), "herald/x.txt", format!("Unrelated intro words here. {story} The end."));
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    assert_eq!(found.len(), 1, "only the real story: {found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("daily/p6.txt", "herald/x.txt"));
    assert_eq!(found[0].2["words"], 60);
    assert!(r.summary()["boilerplate_anchors"].as_u64().unwrap() > 0);

    let shown = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q", "--show-boilerplate"]);
    let all = passages(&shown);
    assert!(all.iter().any(|(a, b, p)| a.starts_with("daily/") && b.starts_with("daily/") && p["boilerplate"] == true));
    assert!(all.iter().all(|(a, _, p)| p["boilerplate"] == true || a == "daily/p6.txt"));
}

#[test]
fn a_story_two_pages_of_one_site_share_stops_at_their_footer() {
    let dir = tempfile::tempdir().unwrap();
    let footer = "Leave a Reply Your email address will not be published Required fields are marked \
                  Copyright Daily Planet Media Group all rights reserved Terms of Service Privacy Policy";
    for i in 0..6 {
        write(dir.path(), &format!("daily/p{i}.txt"), format!("{}\n\n{footer}", filler(300 + i, 200)));
    }
    let story = filler(8, 60);
    let last = story.split_whitespace().last().unwrap().to_string();
    write(dir.path(), "daily/p6.txt", format!("{}\n\n{story}\n\n{footer}", filler(20, 80)));
    write(dir.path(), "daily/p7.txt", format!("{}\n\n{story}\n\n{footer}", filler(21, 90)));
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.summary()["boilerplate_anchors"].as_u64().unwrap() > 0, "the footer is the site's boilerplate");
    let found = passages(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    let (a, b, p) = &found[0];
    assert_eq!((a.as_str(), b.as_str()), ("daily/p6.txt", "daily/p7.txt"));
    // Before trimming, the passage ran on through all 27 footer words. A footer's first word or
    // few can stay when winnowing never chose the footer's first shingle in enough pages for it
    // to count as boilerplate: at most k - 1 = 4 words.
    let words = p["words"].as_u64().unwrap();
    assert!((60..=64).contains(&words), "the story, not the footer after it: {p}");
    for side in ["a_text", "b_text"] {
        let text = p[side].as_str().unwrap();
        let after = text.strip_prefix(&story).unwrap_or_else(|| panic!("{side} starts with the story: {text}"));
        assert!(after.split_whitespace().count() <= 4 && !after.contains("Copyright"), "{side}: {after:?}");
    }
    assert!(story.ends_with(&last));
}

#[test]
fn a_sentence_repeated_thousands_of_times_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "The committee will meet again next week to discuss the budget proposal in detail. ";
    write(dir.path(), "spam.txt", sentence.repeat(5000));
    write(dir.path(), "story.txt", format!("{} {} {}", filler(1, 50), sentence, filler(2, 50)));
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2["words"], 14);
}

#[test]
fn a_huge_document_aligned_against_a_short_one() {
    let dir = tempfile::tempdir().unwrap();
    let chunk = filler(3, 10_000);
    let mut big = String::with_capacity(60 << 20);
    let mut i = 0;
    while big.len() < 50 << 20 {
        big.push_str(&filler(1000 + i, 2000));
        big.push('\n');
        i += 1;
    }
    let copied = &chunk[..chunk.len() / 2];
    let at = big.len() / 2;
    let at = (at..big.len()).find(|&j| big.as_bytes()[j] == b' ').unwrap();
    big.insert_str(at, &format!(" {copied} "));
    write(dir.path(), "big.txt", &big);
    write(dir.path(), "short.txt", format!("Intro. {copied} Outro."));
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    assert_eq!(found.len(), 1);
    let p = &found[0].2;
    assert_eq!(p["a_text"].as_str().unwrap().len(), copied.trim().len());
    assert!(copied.trim_end().ends_with(p["a_text"].as_str().unwrap().rsplit(' ').next().unwrap()));
}

#[test]
fn csv_has_one_row_per_passage_and_no_passages_turns_them_off() {
    let csv = reprint(&["scan", "seeds", "--format", "csv", "-q"]).stdout;
    assert_eq!(csv.lines().filter(|l| l.starts_with("0")).count(), 3, "{csv}");
    let off = reprint(&["scan", "seeds", "--format", "jsonl", "-q", "--no-passages"]);
    assert_eq!(off.summary()["passages"], 0);
    assert_eq!(off.summary()["pairs"], 0);
    let short = reprint(&["scan", "seeds", "--format", "jsonl", "-q", "--min-words", "6"]);
    assert!(short.summary()["passages"].as_u64().unwrap() > 3, "6-word stock phrases appear below the default");
}

#[test]
fn planted_passages_recall_and_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    synth(
        dir.path(),
        "1500",
        "11",
        &["--words", "400", "--passages", "0.4", "--near-duplicates", "0", "--containment", "0"],
    );
    let found = reprint(&["scan", s(&dir.path().join("corpus.jsonl")), "--format", "jsonl", "-q"]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    let mut by_pair: std::collections::HashMap<(String, String), Vec<Value>> = std::collections::HashMap::new();
    for p in found.pairs() {
        let k = (p["a"].as_str().unwrap().to_string(), p["b"].as_str().unwrap().to_string());
        by_pair.entry(k).or_default().extend(p["passages"].as_array().unwrap().iter().cloned());
    }
    let truth: Vec<Value> = std::fs::read_to_string(dir.path().join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|t| t["type"] == "passage")
        .collect();
    assert!(truth.len() > 300, "{}", truth.len());
    let u = |v: &Value, k: &str| v[k].as_i64().unwrap();
    let (mut hit, mut errors, mut edited) = (0, Vec::new(), 0);
    for t in &truth {
        edited += (t["edits"].as_u64().unwrap() > 0) as usize;
        let k = (t["a"].as_str().unwrap().to_string(), t["b"].as_str().unwrap().to_string());
        let overlaps = |p: &&Value| u(p, "a_start") < u(t, "a_end") && u(t, "a_start") < u(p, "a_end");
        if let Some(p) = by_pair.get(&k).and_then(|ps| ps.iter().find(overlaps)) {
            hit += 1;
            for (x, y) in [("a_start", "a_start"), ("a_end", "a_end"), ("b_start", "b_start"), ("b_end", "b_end")] {
                errors.push((u(p, x) - u(t, y)).abs());
            }
        }
    }
    let recall = hit as f64 / truth.len() as f64;
    errors.sort_unstable();
    let median = errors[errors.len() / 2];
    assert!(edited > truth.len() / 2, "most copies carry 1-3 changed words");
    assert!(recall >= 0.98, "recall {recall}");
    assert!(median <= 10, "median boundary error {median} characters");
}

#[test]
fn earlier_side_comes_from_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    let shared = filler(21, 40);
    let line = |id: &str, date: Option<&str>, seed: u64| {
        serde_json::json!({"id": id, "date": date, "text": format!("{} {shared} {}", filler(seed, 30), filler(seed + 1, 30))})
            .to_string()
    };
    let f = write(
        dir.path(),
        "c.jsonl",
        [line("x", Some("2023-03-22"), 1), line("y", Some("2023-03-21"), 3), line("z", None, 5)].join("\n"),
    );
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let earlier: std::collections::HashMap<(String, String), Value> =
        passages(&r).into_iter().map(|(a, b, p)| ((a, b), p["earlier"].clone())).collect();
    assert_eq!(earlier[&("x".to_string(), "y".to_string())], "b");
    assert_eq!(earlier[&("x".to_string(), "z".to_string())], Value::Null);
    assert_eq!(earlier[&("y".to_string(), "z".to_string())], Value::Null);
}

#[test]
fn pairs_sharing_thousands_of_anchors_give_one_passage() {
    let dir = tempfile::tempdir().unwrap();
    let long = filler(33, 50_000);
    write(dir.path(), "a.txt", format!("Intro one. {long}"));
    write(dir.path(), "b.txt", format!("Another start entirely. {long} Signed off."));
    let r = reprint(&["scan", s(dir.path()), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = passages(&r);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2["words"], 50_000);
    assert_eq!(found[0].2["score"], 1.0);
    assert_eq!(r.pairs()[0]["cluster"], 0, "and they are near-duplicates");
}

#[test]
fn short_passages_are_reported_when_quoted_and_stock_phrases_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let stock = "filed a registration statement with the Securities and Exchange Commission";
    let quote = "we will not accept a settlement imposed from outside";
    let sentence = "the mill will close in March and its four hundred workers will be offered jobs elsewhere";
    // The quotation is between marks in A only: B reprints the line without them.
    let a = format!(
        "{}. The company {stock} on Monday. {} “Frankly, {quote},” the minister said. {} Officials said {sentence}. {}",
        filler(1, 60),
        filler(2, 60),
        filler(3, 60),
        filler(4, 60)
    );
    let b = format!(
        "{}. Its parent {stock} last week. {} The minister said {quote} and left. {} As expected {sentence}. {}",
        filler(5, 60),
        filler(6, 60),
        filler(7, 60),
        filler(8, 60)
    );
    let f = write(
        dir.path(),
        "c.jsonl",
        format!("{}\n{}\n", serde_json::json!({"id": "a", "text": a}), serde_json::json!({"id": "b", "text": b})),
    );
    let texts = |r: &crate::util::Run| -> Vec<String> {
        passages(r).iter().map(|(_, _, p)| p["a_text"].as_str().unwrap().to_string()).collect()
    };
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = texts(&r);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains(quote), "{found:?}");
    assert!(found[1].contains(sentence), "{found:?}");
    assert_eq!(r.summary()["unquoted_dropped"], 1);
    assert_eq!(r.summary()["min_unquoted_words"], 12);
    // Treating quoted and unquoted passages alike brings the stock phrase back.
    let r = reprint(&["scan", s(&f), "--format", "jsonl", "-q", "--min-unquoted-words", "8"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = texts(&r);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("registration statement with the Securities and Exchange Commission"));
    assert_eq!(r.summary()["unquoted_dropped"], 0);
}

/// Planted passages of a synthetic corpus found in a scan: (PAN character recall over planted
/// passages, granularity, median boundary error in characters, planted passages found).
fn planted_passage_scores(dir: &std::path::Path, r: &crate::util::Run) -> (f64, f64, usize, usize) {
    let found = passages(r);
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).unwrap();
    let (mut recall, mut detections, mut hits, mut errors, mut cases) = (0.0, 0, 0, Vec::new(), 0);
    for t in truth.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|t| t["type"] == "passage") {
        cases += 1;
        let n = |k: &str| t[k].as_u64().unwrap() as usize;
        let mine: Vec<&Value> = found
            .iter()
            .filter(|(a, b, _)| *a == t["a"].as_str().unwrap() && *b == t["b"].as_str().unwrap())
            .map(|(_, _, p)| p)
            .collect();
        let covered = |lo: usize, hi: usize, side: &str| {
            (lo..hi)
                .filter(|&c| {
                    mine.iter().any(|p| {
                        p[format!("{side}_start")].as_u64().unwrap() as usize <= c
                            && c < p[format!("{side}_end")].as_u64().unwrap() as usize
                    })
                })
                .count()
        };
        let got = covered(n("a_start"), n("a_end"), "a") + covered(n("b_start"), n("b_end"), "b");
        recall += got as f64 / (n("a_end") - n("a_start") + n("b_end") - n("b_start")) as f64;
        let over: Vec<&&Value> = mine
            .iter()
            .filter(|p| {
                p["a_start"].as_u64().unwrap() < t["a_end"].as_u64().unwrap()
                    && t["a_start"].as_u64().unwrap() < p["a_end"].as_u64().unwrap()
            })
            .collect();
        if let Some(best) = over.iter().max_by_key(|p| p["words"].as_u64().unwrap()) {
            hits += 1;
            detections += over.len();
            for k in ["a_start", "a_end", "b_start", "b_end"] {
                errors.push(best[k].as_u64().unwrap().abs_diff(t[k].as_u64().unwrap()) as usize);
            }
        }
    }
    errors.sort_unstable();
    let median = errors.get(errors.len() / 2).copied().unwrap_or(usize::MAX);
    (recall / cases.max(1) as f64, detections as f64 / hits.max(1) as f64, median, hits)
}

#[test]
fn ocr_noise_keeps_planted_passages_and_near_duplicates_with_ocr() {
    let tmp = tempfile::tempdir().unwrap();
    for (cer, min_recall) in [("0.05", 0.97), ("0.1", 0.9)] {
        let dir = tmp.path().join(cer);
        synth(&dir, "500", "5", &["--passages", "0.2", "--near-duplicates", "0.15", "--ocr-cer", cer]);
        let corpus = dir.join("corpus.jsonl");
        let words = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q"]);
        let ocr = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q", "--ocr"]);
        assert_eq!(ocr.code, 0, "{}", ocr.stderr);
        let (recall, granularity, boundary, hits) = planted_passage_scores(&dir, &ocr);
        assert!(hits > 40, "{hits} planted passages found");
        assert!(recall >= min_recall, "CER {cer}: recall {recall}");
        assert!(granularity <= 1.05, "CER {cer}: granularity {granularity}");
        assert!(boundary <= 10, "CER {cer}: median boundary error {boundary}");
        // Words fall apart under the same noise: what --ocr is for.
        let (word_recall, ..) = planted_passage_scores(&dir, &words);
        assert!(word_recall < recall - 0.2, "CER {cer}: words {word_recall}, letters {recall}");
        // Offsets slice the noisy originals to the reported text.
        let texts: std::collections::HashMap<String, String> = std::fs::read_to_string(&corpus)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .map(|v| (v["id"].as_str().unwrap().to_string(), v["text"].as_str().unwrap().to_string()))
            .collect();
        for (a, b, p) in passages(&ocr) {
            let n = |k: &str| p[k].as_u64().unwrap() as usize;
            assert_eq!(slice(&texts[&a], n("a_start"), n("a_end")), p["a_text"].as_str().unwrap());
            assert_eq!(slice(&texts[&b], n("b_start"), n("b_end")), p["b_text"].as_str().unwrap());
        }
        if cer == "0.05" {
            let one = reprint(&["scan", s(&corpus), "--format", "jsonl", "-q", "--ocr", "--threads", "1"]);
            assert_eq!(one.stdout, ocr.stdout, "the same bytes whatever the thread count");
            // Planted near-duplicates (clean Jaccard 0.5 or more) are still near-duplicates.
            let truth = std::fs::read_to_string(dir.join("truth.jsonl")).unwrap();
            let planted: std::collections::HashSet<(String, String)> = truth
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .filter(|t| t["type"] == "pair")
                .map(|t| (t["a"].as_str().unwrap().to_string(), t["b"].as_str().unwrap().to_string()))
                .collect();
            let strong: Vec<(String, String)> = truth
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .filter(|t| t["type"] == "pair" && t["jaccard"].as_f64().unwrap() >= 0.5)
                .map(|t| (t["a"].as_str().unwrap().to_string(), t["b"].as_str().unwrap().to_string()))
                .collect();
            let near: Vec<(String, String)> = ocr
                .pairs()
                .iter()
                .filter(|p| !p["cluster"].is_null())
                .map(|p| (p["a"].as_str().unwrap().to_string(), p["b"].as_str().unwrap().to_string()))
                .collect();
            let found = strong.iter().filter(|k| near.contains(k)).count();
            assert!(found * 100 >= strong.len() * 98, "{found} of {} planted near-duplicates", strong.len());
            let wrong = near.iter().filter(|k| !planted.contains(*k)).count();
            assert!(wrong * 100 <= near.len(), "{wrong} of {} near-duplicate pairs unplanted", near.len());
        }
    }
}

/// Records of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks), each
/// as its fields.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && record.is_empty(), "CSV ends inside a record");
    records
}

#[test]
fn every_csv_output_has_as_many_columns_in_each_row_as_in_its_header() {
    let tmp = tempfile::tempdir().unwrap();
    synth(tmp.path(), "300", "3", &["--passages", "0.3"]);
    let corpus = tmp.path().join("corpus.jsonl");
    let runs = [
        reprint(&["scan", "seeds", "--format", "csv", "-q"]),
        reprint(&["scan", s(&corpus), "--format", "csv", "-q"]),
        reprint(&["scan", s(&corpus), "--format", "csv", "-q", "--no-passages"]),
        reprint(&["scan", s(&corpus), "--format", "csv", "-q", "--ocr"]),
        reprint(&["quotes", "seeds", "--format", "csv", "-q"]),
        reprint(&["quotes", s(&corpus), "--format", "csv", "-q", "--all"]),
    ];
    for r in &runs {
        assert_eq!(r.code, 0, "{}", r.stderr);
        let records = csv_records(&r.stdout);
        assert!(records.len() > 1, "a header and rows: {}", r.stdout);
        let width = records[0].len();
        for (i, rec) in records.iter().enumerate() {
            assert_eq!(rec.len(), width, "row {i} of {:?}: {rec:?}", records[0]);
        }
    }
    let header = &csv_records(&runs[0].stdout)[0];
    assert!(header.iter().any(|h| h == "a_text") && header.iter().any(|h| h == "a_start"), "{header:?}");
}
