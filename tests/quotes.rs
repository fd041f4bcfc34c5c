//! `reprint quotes` end to end: the seeds' shared quotes, offsets, hand-labelled speakers, bad input.

use crate::util::{eval_json, reprint, reprint_stdin, s, synth};
use reprint::eval::quotes::same_person;
use serde_json::Value;

fn quotes(r: &crate::util::Run) -> Vec<Value> {
    r.records().into_iter().filter(|x| x["type"] == "quote").collect()
}

fn docs_of(q: &Value) -> Vec<String> {
    let mut d: Vec<String> =
        q["occurrences"].as_array().unwrap().iter().map(|o| o["doc"].as_str().unwrap()[..3].to_string()).collect();
    d.sort();
    d.dedup();
    d
}

#[test]
fn seeds_share_the_known_quotes() {
    let r = reprint(&["quotes", "seeds", "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let qs = quotes(&r);
    let find = |needle: &str| {
        qs.iter()
            .find(|q| q["occurrences"].as_array().unwrap().iter().any(|o| o["text"].as_str().unwrap().contains(needle)))
            .unwrap_or_else(|| panic!("no shared quote with {needle:?}"))
    };
    // Blinken's “marriage of convenience” (000) and Kirby's longer “This is a marriage of
    // convenience, not of affection…” (004) share a phrase, not a statement: neither document
    // confirms the other's (speakers differ), so no shared quote holds both.
    assert!(!qs.iter().any(|q| {
        let texts: Vec<&str> =
            q["occurrences"].as_array().unwrap().iter().map(|o| o["text"].as_str().unwrap()).collect();
        texts.iter().any(|t| t.contains("marriage of convenience"))
    }));
    // A fragment joins the statement it comes from when its document confirms it: 001 quotes
    // “Journey of friendship…” beside the whole statement, 004 names Xi Jinping.
    let journey = find("journey of friendship");
    assert_eq!(docs_of(journey), ["001", "004"]);
    assert_eq!(journey["occurrences"].as_array().unwrap().len(), 3);
    assert_eq!(journey["speaker"], "Xi Jinping");
    let conquest = find("ratification of Russian conquest");
    assert_eq!(docs_of(conquest), ["003", "004"]);
    assert_eq!(conquest["speaker"], "Antony Blinken");
    assert_eq!(conquest["text"], "would effectively be supporting the ratification of Russian conquest");
    // 002 paraphrases Putin in fragments (“many of the terms”, “be accepted as the basis”), each a
    // word away from the statement 003 prints whole, and names him: one quote.
    let plan = find("provisions of the peace plan");
    assert_eq!(docs_of(plan), ["002", "003"]);
    assert_eq!(plan["speaker"], "Vladimir Putin");
    // Every reported quote is carried by two sources; most widely shared first.
    for q in &qs {
        assert!(q["sources"].as_u64().unwrap() >= 2);
    }
}

#[test]
fn offsets_slice_the_original_text() {
    let r = reprint(&["quotes", "seeds", "--all", "--format", "jsonl", "-q"]);
    let qs = quotes(&r);
    assert!(qs.len() > 50);
    for q in &qs {
        for o in q["occurrences"].as_array().unwrap() {
            let doc = o["doc"].as_str().unwrap();
            let text = std::fs::read_to_string(format!("seeds/{doc}")).unwrap();
            let chars: Vec<char> = text.chars().collect();
            let (s, e) = (o["start"].as_u64().unwrap() as usize, o["end"].as_u64().unwrap() as usize);
            let slice: String = chars[s..e].iter().collect();
            assert_eq!(slice, o["text"].as_str().unwrap());
            let (bs, be) = (o["byte_start"].as_u64().unwrap() as usize, o["byte_end"].as_u64().unwrap() as usize);
            assert_eq!(&text[bs..be], slice);
        }
    }
}

#[test]
fn unmarked_copies_count_as_carrying_the_quote() {
    let corpus = concat!(
        r#"{"id":"a","source":"wire","date":"2024-01-02","text":"The minister said: \"We will not raise taxes on working families this year or next.\" Then he left."}"#,
        "\n",
        r#"{"id":"b","source":"paper","date":"2024-01-01","text":"Officials insist they will not raise taxes on working families this year or next, a promise critics doubt."}"#,
        "\n",
    );
    let r = reprint_stdin(&["quotes", "-", "--format", "jsonl", "-q"], corpus.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let qs = quotes(&r);
    assert_eq!(qs.len(), 1, "{}", r.stdout);
    let occ = qs[0]["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 2);
    // Earliest first, and the unmarked copy says so.
    assert_eq!(occ[0]["doc"], "b");
    assert_eq!(occ[0]["quoted"], false);
    assert_eq!(occ[1]["quoted"], true);
    assert_eq!(qs[0]["first_seen"]["doc"], "b");
}

#[test]
fn quotes_in_every_format() {
    for format in ["table", "jsonl", "json", "csv"] {
        let r = reprint(&["quotes", "seeds", "--format", format, "-q"]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(r.stdout.contains("ratification of Russian conquest"), "{format}");
    }
    let csv = reprint(&["quotes", "seeds", "--format", "csv", "-q"]).stdout;
    assert!(csv.starts_with("quote,quote_text,quote_speaker,sources,doc,source,date,start,end,quoted,speaker,text\n"));
}

/// Attribution precision and recall of `reprint quotes --all` over `corpus` against the labels in
/// `labels` (JSON Lines: doc id prefix, quote prefix, acceptable speakers with null for "none").
fn speaker_scores(corpus: &str, labels: &str) -> (f64, f64, usize) {
    let r = reprint(&["quotes", corpus, "--all", "--min-words", "1", "--format", "jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let occ: Vec<Value> = quotes(&r)
        .iter()
        .flat_map(|q| q["occurrences"].as_array().unwrap().clone())
        .filter(|o| o["quoted"] == true)
        .collect();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // A quotation broken by its attribution (`“…,” he said. “…”`) is one occurrence: a label
    // names either piece.
    let pieces = |o: &Value| -> Vec<String> {
        let text: Vec<char> = o["text"].as_str().unwrap().chars().collect();
        let start = o["start"].as_u64().unwrap() as usize;
        let mut out = vec![text.iter().collect::<String>()];
        for f in o["fragments"].as_array().into_iter().flatten() {
            let (a, b) = (f[0].as_u64().unwrap() as usize - start, f[1].as_u64().unwrap() as usize - start);
            out.push(text[a..b].iter().collect());
        }
        out
    };
    let (mut predicted, mut correct, mut named, mut found) = (0, 0, 0, 0);
    let text = std::fs::read_to_string(labels).unwrap();
    let labels: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for l in &labels {
        let (doc, prefix) = (l["doc"].as_str().unwrap(), l["quote"].as_str().unwrap());
        let mut hits: Vec<&Value> = occ
            .iter()
            .filter(|o| {
                o["doc"].as_str().unwrap().starts_with(doc) && pieces(o).iter().any(|p| norm(p).starts_with(prefix))
            })
            .collect();
        hits.sort_by_key(|o| o["start"].as_u64());
        let pred = hits.first().and_then(|o| o["speaker"].as_str());
        let ok: Vec<Option<&str>> = l["speakers"].as_array().unwrap().iter().map(|s| s.as_str()).collect();
        let none_ok = ok.contains(&None);
        if !none_ok {
            named += 1;
        }
        if let Some(p) = pred {
            predicted += 1;
            if ok.iter().flatten().any(|n| same_person(p, n)) {
                correct += 1;
                if !none_ok {
                    found += 1;
                }
            } else {
                eprintln!("  wrong: {doc} {prefix:?}: {p:?}, label {ok:?}");
            }
        } else if !none_ok {
            eprintln!("  missed: {doc} {prefix:?}: label {ok:?}");
        }
    }
    let precision = correct as f64 / predicted.max(1) as f64;
    let recall = found as f64 / named.max(1) as f64;
    eprintln!("{labels_n} labelled quotes: precision {precision:.3} ({correct}/{predicted}), recall {recall:.3} ({found}/{named})", labels_n = labels.len());
    (precision, recall, labels.len())
}

/// French, German, Spanish, Chinese and Japanese: the sets the rules were written against (the
/// second was labelled blind, scored precision 0.667 and recall 0.50 before the rules it showed
/// missing were added; see BENCHMARKS.md).
#[test]
fn speakers_in_other_languages_hand_labelled() {
    let (p, r, n) = speaker_scores("tests/data/quotes_languages.jsonl", "tests/data/speakers_languages.jsonl");
    assert!(n >= 30);
    assert!(p >= 0.95 && r >= 0.9, "precision {p:.3}, recall {r:.3}");
    let (p, r, n) = speaker_scores("tests/data/quotes_languages_b.jsonl", "tests/data/speakers_languages_b.jsonl");
    assert!(n >= 20);
    assert!(p >= 0.95 && r >= 0.9, "precision {p:.3}, recall {r:.3}");
}

/// Labelled blind in the same five languages and scored once before any rule changed: precision
/// 0.846, recall 0.786. One rule was changed after (a place after `de`, which gave "Nice"), so the
/// floor here is the blind score.
#[test]
fn speakers_in_other_languages_held_out() {
    let (p, r, n) = speaker_scores("tests/data/quotes_languages_c.jsonl", "tests/data/speakers_languages_c.jsonl");
    assert!(n >= 19);
    assert!(p >= 0.84 && r >= 0.78, "precision {p:.3}, recall {r:.3}");
}

/// Never a place, a weekday or a month as a speaker, in any of the labelled languages.
#[test]
fn places_days_and_months_never_speak() {
    let not_speakers = [
        "Paris",
        "Madrid",
        "Berlin",
        "Bogotá",
        "Bruxelles",
        "Frankfurt",
        "München",
        "Köln",
        "Barcelona",
        "Nice",
        "Lille",
        "Sevilla",
        "Valencia",
        "Hamburg",
        "März",
        "Montag",
        "Dienstag",
        "Donnerstag",
        "Juli",
        "Luego",
        "Später",
        "Transportes",
    ];
    for corpus in ["quotes_languages", "quotes_languages_b", "quotes_languages_c"] {
        let r = reprint(&[
            "quotes",
            &format!("tests/data/{corpus}.jsonl"),
            "--all",
            "--min-words",
            "1",
            "--format",
            "jsonl",
            "-q",
        ]);
        for q in quotes(&r) {
            for o in q["occurrences"].as_array().unwrap() {
                let speaker = o["speaker"].as_str().unwrap_or("");
                assert!(!not_speakers.contains(&speaker), "{corpus} {}: {speaker}", o["doc"]);
            }
        }
    }
}

#[test]
fn speakers_of_the_seeds_hand_labelled() {
    let (p, r, n) = speaker_scores("seeds", "tests/data/speakers_seeds.jsonl");
    assert!(n >= 100);
    assert!(p >= 0.9, "precision {p:.3}");
    assert!(r >= 0.8, "recall {r:.3}");
}

#[test]
fn speakers_of_reuters_articles_hand_labelled() {
    let (p, r, n) = speaker_scores("tests/data/reuters_quotes_a.jsonl", "tests/data/speakers_reuters_a.jsonl");
    assert!(n >= 25);
    assert!(p >= 0.8, "precision {p:.3}");
    assert!(r >= 0.8, "recall {r:.3}");
}

/// Labelled blind: the speakers were written down before the tool's answers were looked at, and
/// nothing was tuned on this set afterwards.
#[test]
fn speakers_of_held_out_reuters_articles() {
    let (p, r, n) = speaker_scores("tests/data/reuters_quotes_b.jsonl", "tests/data/speakers_reuters_b.jsonl");
    assert!(n >= 35);
    assert!(p >= 0.9, "precision {p:.3}");
    assert!(r >= 0.8, "recall {r:.3}");
}

#[test]
fn hostile_quotation_marks_give_clear_results() {
    let many_open = "“a ".repeat(20_000);
    let long_quote = format!("He said: “{}” and left.", "word ".repeat(10_000).trim_end());
    let lines = [
        serde_json::json!({"id": "marks", "source": "x", "text": many_open}),
        serde_json::json!({"id": "long1", "source": "y", "text": long_quote}),
        serde_json::json!({"id": "long2", "source": "z", "text": long_quote}),
        serde_json::json!({"id": "punct", "source": "x", "text": "He said “...” and “!?” and “—” then “ ” left."}),
        serde_json::json!({"id": "ru", "source": "ru1", "text": "Он сказал: «Мы продолжим переговоры с партнёрами» вчера."}),
        serde_json::json!({"id": "ru2", "source": "ru2", "text": "Министр заявил: «Мы продолжим переговоры с партнёрами»."}),
        serde_json::json!({"id": "zh", "source": "zh1", "text": "他说「我们会继续努力」然后离开。"}),
        serde_json::json!({"id": "zh2", "source": "zh2", "text": "部长表示「我们会继续努力」。"}),
    ];
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let r = reprint_stdin(&["quotes", "-", "--format", "jsonl", "-q"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let qs = quotes(&r);
    let texts: Vec<&str> = qs.iter().map(|q| q["text"].as_str().unwrap()).collect();
    // The 50,000-character quotation, the Russian and the Chinese ones are shared; nothing made of
    // punctuation or of the unclosed marks is.
    assert_eq!(qs.len(), 3, "{texts:?}");
    assert!(texts.iter().any(|t| t.len() == "word ".repeat(10_000).trim_end().len()));
    assert!(texts.contains(&"Мы продолжим переговоры с партнёрами"));
    assert!(texts.contains(&"我们会继续努力"));
}

#[test]
fn bad_input_stops_with_file_and_line() {
    let input = "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\n";
    let r = reprint_stdin(&["quotes", "-", "-q"], input.as_bytes());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-:2"), "{}", r.stderr);
    let r = reprint(&["quotes", "seeds", "--min-words", "0"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--min-words"), "{}", r.stderr);
}

#[test]
fn same_output_whatever_the_thread_count() {
    for corpus in ["seeds", "tests/data/reuters_quotes_b.jsonl"] {
        let one = reprint(&["quotes", corpus, "--all", "--format", "jsonl", "-q", "--threads", "1"]);
        let two = reprint(&["quotes", corpus, "--all", "--format", "jsonl", "-q", "--threads", "2"]);
        assert_eq!(one.code, 0);
        assert_eq!(one.stdout, two.stdout, "{corpus}");
    }
}

#[test]
fn texts_read_back_from_disk_give_identical_quotes() {
    // Past `--spill-over` the texts leave memory: read again from a plain .jsonl input's own
    // lines, or from a temporary file for compressed input and directories.
    let dir = tempfile::tempdir().unwrap();
    crate::util::synth(dir.path(), "600", "5", &["--words", "300"]);
    let plain = dir.path().join("corpus.jsonl");
    let gz = dir.path().join("corpus.jsonl.gz");
    let mut z = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    std::io::Write::write_all(&mut z, &std::fs::read(&plain).unwrap()).unwrap();
    z.finish().unwrap();
    for corpus in [&plain, &gz, &std::path::PathBuf::from("seeds")] {
        let c = corpus.to_str().unwrap();
        for format in ["jsonl", "csv", "table"] {
            let memory = reprint(&["quotes", c, "--format", format, "-q"]);
            let disk = reprint(&["quotes", c, "--format", format, "-q", "--spill-over", "0"]);
            assert_eq!(disk.code, 0, "{}", disk.stderr);
            assert_eq!(memory.stdout, disk.stdout, "{c} {format}: texts on disk change the quotes");
        }
    }
    let r = reprint(&["quotes", plain.to_str().unwrap(), "--format", "jsonl", "-q", "--spill-over", "0"]);
    let qs = quotes(&r);
    assert!(qs.len() > 20, "{} shared quotes to compare", qs.len());
    // Occurrence texts come from the texts read back, not from memory.
    assert!(qs.iter().all(|q| q["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| !o["text"].as_str().unwrap().is_empty())));
}

/// At a few thousand articles with many travelling quotes, stock phrases quoted or printed on
/// their own in unrelated articles, split quotations, fragments and unmarked copies with words
/// changed (what `reprint synth` plants), clusters stay pure and the first appearance is right:
/// grouping that follows short shared runs chains unrelated articles in and names one of them
/// first (this corpus gave 0.71, cluster precision 0.62, before fragments had to be confirmed).
#[test]
fn first_appearance_holds_where_chaining_shows() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "3000", "11", &["--words", "200", "--quotes", "0.2"]);
    let found = dir.path().join("quotes.jsonl");
    let r = reprint(&["quotes", s(&dir.path().join("corpus.jsonl")), "--format", "jsonl", "-q", "-o", s(&found)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = eval_json(&dir.path().join("truth.jsonl"), &found);
    let q = &v["quotes"];
    assert!(q["quotes_reported"].as_u64().unwrap() > 100, "{q}");
    assert!(q["first_appearance"].as_f64().unwrap() >= 0.99, "{q}");
    assert!(q["cluster_precision"].as_f64().unwrap() >= 0.99, "{q}");
    // Unmarked copies with one or two words changed are found.
    for f in q["by_form"].as_array().unwrap() {
        if f["quoted"] == false {
            let (t, n) = (f["truth"].as_u64().unwrap(), f["found"].as_u64().unwrap());
            assert!(t > 0 && n as f64 >= 0.95 * t as f64, "{f}");
        }
    }
}
