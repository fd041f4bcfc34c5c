//! `reprint quotes PATH...`: quotations shared across sources, their speakers and variants.

use super::input::{write_failure, InputArgs, OutputArgs};
use super::progress::Bars;
use super::{fail, set_threads, EXIT_OK, EXIT_PARTIAL};
use reprint::quote::{find_quotes, QuoteConfig};
use reprint::report::quotes::{write_quotes, QuoteSummary};
use reprint::report::Format;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `reprint quotes`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Report quotes carried by at least this many sources (a document without a source is its
    /// own source).
    #[arg(long, default_value_t = 2, value_name = "N")]
    min_sources: usize,
    /// Shortest quotation, in words.
    #[arg(long, default_value_t = 3, value_name = "N")]
    min_words: usize,
    /// Shared run of words that makes two quotations variants of one quote.
    #[arg(long, default_value_t = 6, value_name = "N")]
    link_words: usize,
    /// Every extracted quotation, shared or not (same as --min-sources 1).
    #[arg(long)]
    all: bool,
    /// Once the texts read pass this many MB, stop holding them in memory: a plain .jsonl
    /// input's texts are read again from their lines when needed, others go to an unlinked
    /// temporary file in TMPDIR (0: always; not with --format html, which keeps every text).
    #[arg(long, default_value_t = 1024, value_name = "MB")]
    spill_over: u64,
    #[command(flatten)]
    out: OutputArgs,
}

/// Runs `reprint quotes`.
pub fn run(args: Args) -> ExitCode {
    let cfg = QuoteConfig {
        min_words: args.min_words,
        min_sources: if args.all { 1 } else { args.min_sources },
        link_words: args.link_words,
        ..QuoteConfig::default()
    };
    if let Err(e) = cfg.validate() {
        return fail(e);
    }
    if let Err(e) = set_threads(args.out.threads, args.out.quiet) {
        return fail(e);
    }
    let started = Instant::now();
    let bars = Bars::new(args.out.quiet);
    let spill_over = (args.out.format != Format::Html).then_some(args.spill_over.saturating_mul(1_000_000));
    let corpus = match args.input.read(&bars, args.out.quiet, spill_over) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let result = find_quotes(&corpus.docs, &corpus, &cfg, &bars);
    if let Some(e) = corpus.spill_failure() {
        return fail(e);
    }
    let summary = QuoteSummary::new(&corpus.docs, &cfg, &result);
    let mut out = match args.out.open() {
        Ok(out) => out,
        Err(e) => return fail(e),
    };
    if let Some(code) = write_failure(write_quotes(out.as_mut(), args.out.format, &corpus.docs, &summary, &result)) {
        return code;
    }
    drop(out);
    if !args.out.quiet {
        eprintln!(
            "reprint: {} documents, {} quotations, {} shared quotes in {:.2} s ({})",
            summary.documents,
            summary.quotations,
            summary.quotes,
            started.elapsed().as_secs_f64(),
            bars.timings()
        );
    }
    ExitCode::from(if corpus.had_errors() { EXIT_PARTIAL } else { EXIT_OK })
}
