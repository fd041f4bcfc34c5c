//! Synthetic news corpora with planted reuse and the truth to score against.
//!
//! Articles are paragraphs of sentences drawn from a Zipfian vocabulary (word `r` has weight
//! `1/r`, as in real text), with names, numbers and quotations mixed in, so that shingle
//! statistics look like news rather than uniform noise. Planted:
//! - near-duplicates: a copy of an earlier article with a share of its words replaced, dropped or
//!   inserted (2-30%), paragraphs sometimes dropped or added;
//! - contained stories: a short article later printed whole inside a longer roundup;
//! - passages copied from an earlier article (50-300 words, verbatim or with 1-3 words changed);
//! - travelling quotes: a statement by a named person, first printed by one article and carried
//!   by later ones, sometimes with a word or two changed, attributed by surname only, or printed
//!   without quotation marks;
//! - syndicated wire copy: a story carried by several outlets, nearly verbatim;
//! - per-outlet boilerplate: a footer (menu, sign-off, legal line) under many of an outlet's
//!   articles.
//!
//! Generation streams: memory does not grow with the number of documents (only a window of
//! recent articles is kept to copy from). The same seed gives the same bytes.

pub mod ocr;
mod plant;
mod words;

use self::plant::{footer, plant_quote, plant_stock_phrase, Planted, Statement, StockPhrases};
use self::words::{render_with_offsets, Body, Generator, Rng, Vocabulary};

use crate::error::Error;
use crate::eval::truth::{self, PlantedFooter, PlantedPair, PlantedPassage, TruthRecord};
use crate::fingerprint::shingle::{overlap, shingle_set};
use serde::Serialize;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Number of documents.
    pub docs: usize,
    /// Random seed.
    pub seed: u64,
    /// Mean words per original article (600 words is about 4 KB).
    pub words: usize,
    /// Share of documents that are near-duplicates of an earlier one.
    pub near_duplicate_rate: f64,
    /// Smallest share of words edited in a near-duplicate.
    pub min_edit: f64,
    /// Largest share of words edited in a near-duplicate.
    pub max_edit: f64,
    /// Share of documents that are roundups containing an earlier short story whole.
    pub containment_rate: f64,
    /// Number of outlets.
    pub sources: usize,
    /// Share of original articles that carry a passage copied from an earlier article
    /// (50-300 words, verbatim or with 1-3 words changed), written to the truth with offsets.
    pub passage_rate: f64,
    /// Share of articles that carry a travelling quote (a new one or one printed before),
    /// written to the truth as `quote` records with offsets.
    pub quote_rate: f64,
    /// Share of articles that are wire stories, each then carried by 2-7 other outlets with at
    /// most 2% of words edited (every pair among them is in the truth as `syndicated`).
    pub syndication_rate: f64,
    /// Share of each outlet's articles that end with the outlet's footer (menu, sign-off, legal
    /// line), written to the truth as `boilerplate` spans.
    pub boilerplate_rate: f64,
    /// Words per shingle used to compute the truth's exact scores.
    pub shingle: usize,
    /// Character error rate of the OCR noise laid over every document once it is written
    /// (0: clean text). See [`ocr`]; the truth's spans follow the noise, its pair scores stay
    /// those of the clean texts.
    pub ocr_cer: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            docs: 1000,
            seed: 1,
            words: 600,
            near_duplicate_rate: 0.1,
            min_edit: 0.02,
            max_edit: 0.30,
            containment_rate: 0.02,
            sources: 20,
            passage_rate: 0.05,
            quote_rate: 0.05,
            syndication_rate: 0.01,
            boilerplate_rate: 0.3,
            shingle: 5,
            ocr_cer: 0.0,
        }
    }
}

impl SynthConfig {
    /// Refuses settings that make no sense, naming the option.
    pub fn validate(&self) -> Result<(), Error> {
        let rate = |name: &str, x: f64| {
            if (0.0..=1.0).contains(&x) {
                Ok(())
            } else {
                Err(Error::Option(format!("{name} must be between 0 and 1, got {x}")))
            }
        };
        rate("--near-duplicates", self.near_duplicate_rate)?;
        rate("--containment", self.containment_rate)?;
        rate("--passages", self.passage_rate)?;
        rate("--quotes", self.quote_rate)?;
        rate("--syndication", self.syndication_rate)?;
        rate("--boilerplate", self.boilerplate_rate)?;
        rate("--min-edit", self.min_edit)?;
        rate("--max-edit", self.max_edit)?;
        if !(0.0..=0.5).contains(&self.ocr_cer) {
            return Err(Error::Option(format!("--ocr-cer must be between 0 and 0.5, got {}", self.ocr_cer)));
        }
        if self.near_duplicate_rate + self.containment_rate > 0.9 {
            return Err(Error::Option(
                "--near-duplicates plus --containment must leave at least 10% original articles".into(),
            ));
        }
        if self.min_edit > self.max_edit {
            return Err(Error::Option(format!(
                "--min-edit ({}) is above --max-edit ({})",
                self.min_edit, self.max_edit
            )));
        }
        if self.words < 20 {
            return Err(Error::Option(format!("--words must be at least 20, got {}", self.words)));
        }
        if self.sources == 0 {
            return Err(Error::Option("--sources must be at least 1".into()));
        }
        Ok(())
    }
}

/// One generated article, as written to `corpus.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct SynthDoc {
    /// `d000001`, …
    pub id: String,
    /// Outlet.
    pub source: String,
    /// Publication date; later documents are never earlier.
    pub date: String,
    /// Headline.
    pub title: String,
    /// Body.
    pub text: String,
}

/// The wire story being carried: its body, its outlet, copies still to come, and the members so
/// far (id and final text, to score every pair among them).
struct Wire {
    body: Body,
    source: usize,
    remaining: usize,
    members: Vec<(String, String)>,
}

/// Counts of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SynthStats {
    /// Documents written.
    pub docs: usize,
    /// Bytes of text written.
    pub bytes: u64,
    /// Planted near-duplicate pairs.
    pub near_duplicates: usize,
    /// Planted contained stories.
    pub contained: usize,
    /// Planted passages.
    pub passages: usize,
    /// Travelling quotes started.
    pub quotes: usize,
    /// Quote occurrences planted (first printings included).
    pub quote_occurrences: usize,
    /// Wire stories planted.
    pub wire_stories: usize,
    /// Copies of wire stories carried by other outlets.
    pub wire_copies: usize,
    /// Articles ending with their outlet's footer.
    pub boilerplate: usize,
}

/// The publication date of document `i` of `n`: a year of 12 months of 28 days, spread evenly, so
/// that a later document is never earlier (several share a day; the corpus order breaks ties).
fn date_of(i: usize, n: usize) -> String {
    let day = i * 336 / n.max(1);
    format!("2024-{:02}-{:02}", 1 + day / 28, 1 + day % 28)
}

/// How many recent originals are kept to copy from.
const WINDOW: usize = 256;

/// Writes `cfg.docs` documents as JSON Lines to `corpus` and the planted pairs to `truth`. With
/// OCR noise the clean corpus is made in memory first, then noised document by document.
pub fn generate(cfg: &SynthConfig, corpus: &mut dyn Write, truth: &mut dyn Write) -> io::Result<SynthStats> {
    if cfg.ocr_cer <= 0.0 {
        return generate_clean(cfg, corpus, truth);
    }
    let (mut clean, mut clean_truth) = (Vec::new(), Vec::new());
    let mut stats = generate_clean(cfg, &mut clean, &mut clean_truth)?;
    stats.bytes = ocr::noise_corpus(&clean, &clean_truth, cfg.ocr_cer, cfg.seed, corpus, truth)?;
    Ok(stats)
}

/// [`generate`] without OCR noise.
fn generate_clean(cfg: &SynthConfig, corpus: &mut dyn Write, truth: &mut dyn Write) -> io::Result<SynthStats> {
    let mut rng = Rng(cfg.seed ^ 0xC0FF_EE00_D15E_A5E5);
    let vocab = Vocabulary::new(&mut rng);
    let mut g = Generator { rng, vocab };
    // Recent originals: id, body, whether copied already, final text (footer included).
    let mut recent: std::collections::VecDeque<(String, Body, bool, String)> = std::collections::VecDeque::new();
    let footers: Vec<String> = (0..cfg.sources).map(|s| footer(&mut g, s)).collect();
    let mut wire: Option<Wire> = None;
    let mut stats = SynthStats::default();
    let mut scratch = Vec::new();
    let mut statements: std::collections::VecDeque<Statement> = std::collections::VecDeque::new();
    let stock = StockPhrases::new(&g, cfg.seed);
    for i in 0..cfg.docs {
        let id = format!("d{i:07}");
        let roll = g.rng.unit();
        // Each original is copied at most once, so every true pair is planted and in the truth.
        let base = if recent.is_empty() { None } else { Some(g.rng.below(recent.len())) };
        let carried = wire.as_ref().is_some_and(|w| w.remaining > 0);
        let starts_wire = !carried && g.rng.chance(cfg.syndication_rate);
        let (body, planted) = match base {
            _ if carried => {
                let w = wire.as_mut().expect("carried");
                w.remaining -= 1;
                let body = w.body.clone();
                let edit = g.rng.unit() * 0.02;
                (g.edit(&body, edit), None)
            }
            _ if starts_wire => {
                let words = cfg.words / 2 + g.rng.below(cfg.words + 1);
                (g.body(words), None)
            }
            Some(k) if roll < cfg.near_duplicate_rate && !recent[k].2 => {
                let edit = cfg.min_edit + g.rng.unit() * (cfg.max_edit - cfg.min_edit);
                recent[k].2 = true;
                (g.edit(&recent[k].1.clone(), edit), Some((k, "near_duplicate", edit)))
            }
            Some(k) if roll < cfg.near_duplicate_rate + cfg.containment_rate && !recent[k].2 => {
                recent[k].2 = true;
                let story = recent[k].1.clone();
                let mut body = g.body(cfg.words * 2);
                let at = g.rng.below(body.len() + 1);
                body.splice(at..at, story);
                (body, Some((k, "contained", 0.0)))
            }
            _ => {
                let words = cfg.words / 2 + g.rng.below(cfg.words + 1);
                (g.body(words), None)
            }
        };
        let mut body = body;
        let is_wire = carried || starts_wire;
        if cfg.quote_rate > 0.0 && !is_wire && g.rng.chance(cfg.quote_rate) {
            plant_stock_phrase(&mut g, &stock, &mut body);
        }
        let mut passage: Option<Planted> = None;
        if planted.is_none() && !is_wire && !recent.is_empty() && g.rng.chance(cfg.passage_rate) {
            let from = g.rng.below(recent.len());
            let flat: Vec<String> = recent[from].1.iter().flatten().cloned().collect();
            if flat.len() >= 60 {
                let n = (50 + g.rng.below(251)).min(flat.len() - 5);
                let first = g.rng.below(flat.len() - n + 1);
                let mut words: Vec<String> = flat[first..first + n].to_vec();
                let edits = g.rng.below(4);
                for _ in 0..edits {
                    // Interior words only, so the true boundaries stay on copied words.
                    let at = 3 + g.rng.below(n - 6);
                    words[at] = g.vocab.word(&mut g.rng).to_string();
                }
                let paragraph = g.rng.below(body.len() + 1);
                body.insert(paragraph, words.clone());
                passage = Some(Planted { from, first, words, edits, paragraph });
            }
        }
        let quote = if g.rng.chance(cfg.quote_rate) {
            let q = plant_quote(&mut g, &mut statements, &stock, &mut body, &mut stats);
            if let (Some(p), Some(q)) = (passage.as_mut(), q.as_ref()) {
                if q.paragraph <= p.paragraph {
                    p.paragraph += 1;
                }
            }
            q
        } else {
            None
        };
        let (mut text, offsets) = render_with_offsets(&body);
        let source = match &wire {
            // Each outlet carries a wire story once.
            Some(w) if carried => (w.source + w.members.len()) % cfg.sources.max(1),
            _ => g.rng.below(cfg.sources),
        };
        if g.rng.chance(cfg.boilerplate_rate) {
            let start = text.chars().count() + 2;
            text.push_str("\n\n");
            text.push_str(&footers[source]);
            let t = TruthRecord::Boilerplate(PlantedFooter {
                doc: id.clone(),
                source: format!("outlet{source:02}"),
                start,
                end: start + footers[source].chars().count(),
            });
            write_line(&mut *truth, &t)?;
            stats.boilerplate += 1;
        }
        if starts_wire {
            let remaining = 2 + g.rng.below(6).min(cfg.sources.saturating_sub(3));
            wire = Some(Wire { body: body.clone(), source, remaining, members: Vec::new() });
            stats.wire_stories += 1;
        } else if carried {
            stats.wire_copies += 1;
        }
        if is_wire {
            // Every earlier member of the story and this one: a true pair.
            let members = &wire.as_ref().expect("wire").members;
            let mine = shingle_set(&text, cfg.shingle, &mut scratch);
            for (other, other_text) in members {
                let o = overlap(&shingle_set(other_text, cfg.shingle, &mut scratch), &mine);
                let t = TruthRecord::Pair(PlantedPair {
                    a: other.clone(),
                    b: id.clone(),
                    relation: "syndicated".into(),
                    edit: 0.0,
                    jaccard: Some(o.jaccard),
                    containment: o.containment,
                    reuse: None,
                });
                write_line(&mut *truth, &t)?;
            }
            wire.as_mut().expect("wire").members.push((id.clone(), text.clone()));
        }
        if let Some(q) = &quote {
            let span = &offsets[q.paragraph];
            let (start, end) = (span[q.tokens.0].0 + q.trim.0, span[q.tokens.1].1 - q.trim.1);
            let t = TruthRecord::Quote(truth::PlantedQuote {
                quote: q.id,
                doc: id.clone(),
                start,
                end,
                quoted: q.quoted,
                speaker: Some(q.speaker.clone()),
                edits: q.edits,
                split: q.split,
            });
            write_line(&mut *truth, &t)?;
        }
        if let Some(p) = &passage {
            let (_, source_offsets) = render_with_offsets(&recent[p.from].1);
            let flat: Vec<(usize, usize)> = source_offsets.into_iter().flatten().collect();
            let span = &offsets[p.paragraph];
            let t = TruthRecord::Passage(PlantedPassage {
                a: recent[p.from].0.clone(),
                a_start: flat[p.first].0,
                a_end: flat[p.first + p.words.len() - 1].1,
                b: id.clone(),
                b_start: span[0].0,
                b_end: span[span.len() - 1].1,
                words: p.words.len(),
                edits: p.edits,
            });
            write_line(&mut *truth, &t)?;
            stats.passages += 1;
            // The two documents as a pair too, so that the truth holds every related pair.
            let base_text = recent[p.from].3.clone();
            let o = overlap(
                &shingle_set(&base_text, cfg.shingle, &mut scratch),
                &shingle_set(&text, cfg.shingle, &mut scratch),
            );
            let pair = TruthRecord::Pair(PlantedPair {
                a: recent[p.from].0.clone(),
                b: id.clone(),
                relation: "passage".into(),
                edit: 0.0,
                jaccard: Some(o.jaccard),
                containment: o.containment,
                reuse: None,
            });
            write_line(&mut *truth, &pair)?;
        }
        if let Some((k, relation, edit)) = planted {
            let base_text = recent[k].3.clone();
            let o = overlap(
                &shingle_set(&base_text, cfg.shingle, &mut scratch),
                &shingle_set(&text, cfg.shingle, &mut scratch),
            );
            let t = TruthRecord::Pair(PlantedPair {
                a: recent[k].0.clone(),
                b: id.clone(),
                relation: relation.into(),
                edit: (edit * 1000.0).round() / 1000.0,
                jaccard: Some(o.jaccard),
                containment: o.containment,
                reuse: None,
            });
            write_line(&mut *truth, &t)?;
            if relation == "contained" {
                stats.contained += 1;
            } else {
                stats.near_duplicates += 1;
            }
        }
        let title: Vec<String> = body[0].iter().take(6).cloned().collect();
        let doc = SynthDoc {
            id: id.clone(),
            source: format!("outlet{source:02}"),
            date: date_of(i, cfg.docs),
            title: title.join(" "),
            text: text.clone(),
        };
        stats.docs += 1;
        stats.bytes += doc.text.len() as u64;
        write_line(&mut *corpus, &doc)?;
        if planted.is_none() && !is_wire {
            recent.push_back((id, body, false, text));
            if recent.len() > WINDOW {
                recent.pop_front();
            }
        }
    }
    corpus.flush()?;
    truth.flush()?;
    Ok(stats)
}

/// Writes `record` as one JSON line.
fn write_line(out: &mut dyn Write, record: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// The documents of a corpus generated with `cfg`'s defaults, `docs` articles and `seed` (for
/// the library's own tests: archive splits, cluster parts).
#[cfg(test)]
pub(crate) fn test_docs(docs: usize, seed: u64) -> Vec<crate::corpus::Doc> {
    let cfg = SynthConfig { docs, seed, ..Default::default() };
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generate(&cfg, &mut corpus, &mut truth).unwrap();
    String::from_utf8(corpus)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v[k].as_str().map(str::to_string);
            let origin = crate::corpus::Origin::default();
            crate::corpus::Doc::new(s("id").unwrap(), s("source"), s("date"), s("title"), s("text").unwrap(), origin)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated corpus as id → (source, text).
    fn documents(corpus: &[u8]) -> std::collections::HashMap<String, (String, String)> {
        std::str::from_utf8(corpus)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let id = v["id"].as_str().unwrap().to_string();
                (id, (v["source"].as_str().unwrap().to_string(), v["text"].as_str().unwrap().to_string()))
            })
            .collect()
    }

    fn run(cfg: &SynthConfig) -> (Vec<u8>, Vec<u8>, SynthStats) {
        let (mut c, mut t) = (Vec::new(), Vec::new());
        let s = generate(cfg, &mut c, &mut t).unwrap();
        (c, t, s)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let cfg = SynthConfig { docs: 60, ..SynthConfig::default() };
        let (a, ta, _) = run(&cfg);
        let (b, tb, _) = run(&cfg);
        assert_eq!((a.clone(), ta), (b, tb));
        let (c, _, _) = run(&SynthConfig { seed: 2, ..cfg });
        assert_ne!(a, c);
    }

    #[test]
    fn syndication_and_boilerplate_truth() {
        let cfg = SynthConfig { docs: 400, syndication_rate: 0.05, boilerplate_rate: 0.5, ..SynthConfig::default() };
        let (c, t, s) = run(&cfg);
        assert!(s.wire_stories >= 5 && s.wire_copies >= 2 * s.wire_stories - 2, "{s:?}");
        let docs = documents(&c);
        let (mut syndicated, mut footers) = (0, 0);
        for line in String::from_utf8(t).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["relation"] == "syndicated" {
                syndicated += 1;
                let (sa, sb) = (&docs[v["a"].as_str().unwrap()].0, &docs[v["b"].as_str().unwrap()].0);
                assert_ne!(sa, sb, "a wire story is carried by different outlets: {line}");
                // Near-verbatim, but each outlet may add its own footer and drop or add a paragraph.
                assert!(v["containment"].as_f64().unwrap() > 0.5, "{line}");
            }
            if v["type"] == "boilerplate" {
                footers += 1;
                let (source, text) = &docs[v["doc"].as_str().unwrap()];
                let chars: Vec<char> = text.chars().collect();
                let span: String =
                    chars[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize].iter().collect();
                assert!(span.starts_with("Home | World") && span.ends_with("Terms of use."), "{span:?}");
                assert_eq!(v["end"].as_u64().unwrap() as usize, chars.len());
                assert_eq!(&v["source"], source.as_str());
            }
        }
        assert!(syndicated >= s.wire_copies);
        assert_eq!(footers, s.boilerplate);
    }

    #[test]
    fn planted_quotes_have_exact_offsets() {
        let cfg = SynthConfig { docs: 300, quote_rate: 0.5, ..SynthConfig::default() };
        let (c, t, s) = run(&cfg);
        assert!(s.quotes > 20 && s.quote_occurrences > s.quotes, "{s:?}");
        let texts: std::collections::HashMap<String, String> =
            documents(&c).into_iter().map(|(id, (_, text))| (id, text)).collect();
        let mut first: std::collections::HashMap<u64, Vec<String>> = std::collections::HashMap::new();
        for line in String::from_utf8(t).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["type"] != "quote" {
                continue;
            }
            let text = &texts[v["doc"].as_str().unwrap()];
            let (a, b) = (v["start"].as_u64().unwrap() as usize, v["end"].as_u64().unwrap() as usize);
            let chars: Vec<char> = text.chars().collect();
            let q: String = chars[a..b].iter().collect();
            // The span is the quoted words: marks and punctuation stay outside.
            assert!(
                q.chars().next().unwrap().is_alphanumeric() && q.chars().last().unwrap().is_alphanumeric(),
                "{q:?}"
            );
            if v["quoted"] == true {
                assert_eq!(chars[a - 1], '\u{201C}', "{line}");
                assert!(matches!((chars[b], chars[b + 1]), (',' | '.', '\u{201D}')), "{line}");
            }
            let mut words: Vec<String> = q
                .split(' ')
                .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
                .collect();
            if v["split"] == true {
                // Leave the attribution out: “…,” said First Last. “…”
                let at = q.split(' ').position(|w| w.ends_with('\u{201D}')).unwrap();
                words.drain(at + 1..at + 4);
            }
            let id = v["quote"].as_u64().unwrap();
            let orig = first.entry(id).or_insert_with(|| words.clone());
            assert_eq!(orig.len(), words.len(), "{line}");
            let changed = orig.iter().zip(&words).filter(|(x, y)| x != y).count();
            assert_eq!(changed, v["edits"].as_u64().unwrap() as usize, "{line}");
        }
    }

    #[test]
    fn planted_passages_have_exact_offsets() {
        let cfg = SynthConfig { docs: 200, passage_rate: 0.5, ..SynthConfig::default() };
        let (c, t, s) = run(&cfg);
        assert!(s.passages > 50, "{s:?}");
        let texts: std::collections::HashMap<String, String> =
            documents(&c).into_iter().map(|(id, (_, text))| (id, text)).collect();
        let slice = |id: &str, a: u64, b: u64| -> String {
            texts[id].chars().skip(a as usize).take((b - a) as usize).collect()
        };
        for line in String::from_utf8(t).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["type"] != "passage" {
                continue;
            }
            let a = slice(v["a"].as_str().unwrap(), v["a_start"].as_u64().unwrap(), v["a_end"].as_u64().unwrap());
            let b = slice(v["b"].as_str().unwrap(), v["b_start"].as_u64().unwrap(), v["b_end"].as_u64().unwrap());
            // Edits are interior: both spans start and end on the same copied words.
            assert_eq!(a.split_whitespace().next(), b.split_whitespace().next(), "{line}");
            assert_eq!(a.split_whitespace().last(), b.split_whitespace().last(), "{line}");
            let (na, nb) = (a.split_whitespace().count(), b.split_whitespace().count());
            assert!(na >= v["words"].as_u64().unwrap() as usize);
            assert!(na.abs_diff(nb) <= 3 * 4, "{line}");
            if v["edits"] == 0 {
                assert!(a.split_whitespace().eq(b.split_whitespace()), "{line}");
            }
        }
    }

    #[test]
    fn ocr_noise_moves_every_truth_span_with_its_text() {
        let clean = SynthConfig { docs: 150, passage_rate: 0.4, quote_rate: 0.3, ..SynthConfig::default() };
        let (cc, ct, _) = run(&clean);
        let letters = |s: &str| -> Vec<u32> {
            let mut out = Vec::new();
            crate::text::letters::letter_hashes(s, &mut out);
            out
        };
        // Each truth span's letters, in a corpus and its truth.
        let spans = |c: &[u8], t: &[u8]| -> Vec<Vec<u32>> {
            let texts: std::collections::HashMap<String, String> =
                documents(c).into_iter().map(|(id, (_, text))| (id, text)).collect();
            let cut = |id: &serde_json::Value, a: &serde_json::Value, b: &serde_json::Value| {
                let (a, b) = (a.as_u64().unwrap() as usize, b.as_u64().unwrap() as usize);
                letters(&texts[id.as_str().unwrap()].chars().skip(a).take(b - a).collect::<String>())
            };
            let mut out = Vec::new();
            for line in std::str::from_utf8(t).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                match v["type"].as_str().unwrap() {
                    "passage" => {
                        out.push(cut(&v["a"], &v["a_start"], &v["a_end"]));
                        out.push(cut(&v["b"], &v["b_start"], &v["b_end"]));
                    }
                    "quote" | "boilerplate" => out.push(cut(&v["doc"], &v["start"], &v["end"])),
                    _ => {}
                }
            }
            out
        };
        let want = spans(&cc, &ct);
        assert!(want.len() > 60, "{}", want.len());
        // Layout alone (a rate too small to misread anything) moves spans and changes no letter.
        let (lc, lt, _) = run(&SynthConfig { ocr_cer: 1e-12, ..clean.clone() });
        assert_ne!(lc, cc, "the column layout changes the texts");
        assert_eq!(spans(&lc, &lt), want);
        // With misreadings, each span keeps its letters but for about the error rate.
        let (nc, nt, _) = run(&SynthConfig { ocr_cer: 0.05, ..clean });
        let mut checked = 0;
        for (got, want) in spans(&nc, &nt).iter().zip(&want).filter(|(_, w)| w.len() <= 400) {
            // A span moved off its text would differ in most letters.
            assert!(ocr::edit_distance(got, want) * 5 <= want.len() + 10, "{got:?} vs {want:?}");
            checked += 1;
        }
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn plants_pairs_with_exact_scores() {
        let cfg = SynthConfig { docs: 300, near_duplicate_rate: 0.2, containment_rate: 0.05, ..SynthConfig::default() };
        let (c, t, s) = run(&cfg);
        assert_eq!(String::from_utf8(c).unwrap().lines().count(), 300);
        assert!(s.near_duplicates > 30 && s.contained > 3, "{s:?}");
        for line in String::from_utf8(t).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["type"] != "pair" {
                continue;
            }
            let j = v["jaccard"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&j));
            if v["relation"] == "contained" {
                // The story's own outlet footer does not travel with it into the roundup.
                assert!(v["containment"].as_f64().unwrap() > 0.8, "{line}");
            }
        }
    }

    #[test]
    fn nonsense_rates_are_refused() {
        assert!(SynthConfig { near_duplicate_rate: 1.5, ..SynthConfig::default() }.validate().is_err());
        assert!(SynthConfig { min_edit: 0.5, max_edit: 0.1, ..SynthConfig::default() }.validate().is_err());
        assert!(SynthConfig::default().validate().is_ok());
    }
}
