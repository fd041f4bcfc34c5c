//! `reprint synth`: write a synthetic corpus with planted reuse and its truth.

use super::{fail, EXIT_OK};
use reprint::synth::{generate, SynthConfig};
use std::fs::{create_dir_all, File};
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `reprint synth`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of documents.
    #[arg(long, default_value_t = 1000)]
    docs: usize,
    /// Random seed (same seed, same bytes).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory: corpus.jsonl and truth.jsonl are written there.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Mean words per original article (600 is about 4 KB).
    #[arg(long, default_value_t = 600)]
    words: usize,
    /// Share of documents that are near-duplicates of an earlier one.
    #[arg(long, default_value_t = 0.1)]
    near_duplicates: f64,
    /// Smallest share of words edited in a near-duplicate.
    #[arg(long, default_value_t = 0.02)]
    min_edit: f64,
    /// Largest share of words edited in a near-duplicate.
    #[arg(long, default_value_t = 0.30)]
    max_edit: f64,
    /// Share of documents that are roundups containing an earlier short story.
    #[arg(long, default_value_t = 0.02)]
    containment: f64,
    /// Number of outlets.
    #[arg(long, default_value_t = 20)]
    sources: usize,
    /// Share of original articles carrying a 50-300-word passage copied from an earlier one.
    #[arg(long, default_value_t = 0.05)]
    passages: f64,
    /// Share of articles carrying a travelling quote (new or reprinted, sometimes edited,
    /// re-attributed or without quotation marks).
    #[arg(long, default_value_t = 0.05)]
    quotes: f64,
    /// Share of articles that are wire stories, then carried by 2-7 other outlets nearly verbatim.
    #[arg(long, default_value_t = 0.01)]
    syndication: f64,
    /// Share of each outlet's articles ending with the outlet's footer (menu, sign-off, legal line).
    #[arg(long, default_value_t = 0.3)]
    boilerplate: f64,
    /// Character error rate of OCR noise laid over every document (0: clean; 0.05 is a poor
    /// 19th-century scan): column layout with hyphenated line ends, confusable letters, split
    /// and joined words, dropped and stray characters. Truth offsets follow the noise.
    #[arg(long, default_value_t = 0.0)]
    ocr_cer: f64,
}

/// Runs `reprint synth`.
pub fn run(args: Args) -> ExitCode {
    let cfg = SynthConfig {
        docs: args.docs,
        seed: args.seed,
        words: args.words,
        near_duplicate_rate: args.near_duplicates,
        min_edit: args.min_edit,
        max_edit: args.max_edit,
        containment_rate: args.containment,
        sources: args.sources,
        passage_rate: args.passages,
        quote_rate: args.quotes,
        syndication_rate: args.syndication,
        boilerplate_rate: args.boilerplate,
        ocr_cer: args.ocr_cer,
        ..SynthConfig::default()
    };
    if let Err(e) = cfg.validate() {
        return fail(e);
    }
    if let Err(e) = create_dir_all(&args.out) {
        return fail(format!("cannot create {}: {e}", args.out.display()));
    }
    let open = |name: &str| File::create(args.out.join(name)).map(|f| BufWriter::with_capacity(1 << 20, f));
    let (mut corpus, mut truth) = match (open("corpus.jsonl"), open("truth.jsonl")) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return fail(format!("cannot write in {}: {e}", args.out.display())),
    };
    match generate(&cfg, &mut corpus, &mut truth) {
        Ok(s) => {
            eprintln!(
                "reprint synth: {} documents ({:.1} MB), {} near-duplicate pairs, {} contained stories, {} passages, {} quotes in {} places, {} wire stories carried {} times, {} footers -> {}",
                s.docs,
                s.bytes as f64 / 1e6,
                s.near_duplicates,
                s.contained,
                s.passages,
                s.quotes,
                s.quote_occurrences,
                s.wire_stories,
                s.wire_copies,
                s.boilerplate,
                args.out.display()
            );
            ExitCode::from(EXIT_OK)
        }
        Err(e) => fail(format!("writing {}: {e}", args.out.display())),
    }
}
