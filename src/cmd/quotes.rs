//! `reprint quotes PATH...`: quotations shared across sources, their speakers and variants.

use super::input::{write_failure, InputArgs, OutputArgs, WorkArgs};
use super::progress::Bars;
use super::{fail, set_threads, EXIT_OK, EXIT_PARTIAL};
use reprint::quote::{find_quotes, QuoteConfig};
use reprint::report::{emit_quotes, for_format, QuoteSummary};
use std::process::ExitCode;
use std::time::Instant;

/// Options of `reprint quotes`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub(super) input: InputArgs,
    #[command(flatten)]
    pub(super) options: QuoteOptions,
    #[command(flatten)]
    pub(super) work: WorkArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

/// What makes a quote: the options of `reprint quotes` and `reprint index quotes`.
#[derive(clap::Args, Debug)]
pub struct QuoteOptions {
    /// Report quotes carried by at least this many sources (a document without a source is its
    /// own source).
    #[arg(long, default_value_t = QuoteConfig::default().min_sources, value_name = "N")]
    min_sources: usize,
    /// Shortest quotation, in words.
    #[arg(long, default_value_t = QuoteConfig::default().min_words, value_name = "N")]
    min_words: usize,
    /// Shared run of words that makes two quotations variants of one quote (when their shared
    /// 3-word-grams also cover more than half of the shorter one).
    #[arg(long, default_value_t = QuoteConfig::default().link_words, value_name = "N")]
    link_words: usize,
    /// Every extracted quotation, shared or not (same as --min-sources 1).
    #[arg(long)]
    all: bool,
}

impl QuoteOptions {
    /// The configuration these options ask for.
    pub fn config(&self) -> QuoteConfig {
        QuoteConfig {
            min_words: self.min_words,
            min_sources: if self.all { 1 } else { self.min_sources },
            link_words: self.link_words,
            ..QuoteConfig::default()
        }
    }
}

/// Writes the quotes `result` of `docs` in the format `out` asks for; the exit code when that
/// failed.
pub fn write_quotes(
    out: &OutputArgs,
    title: &str,
    docs: &[reprint::corpus::Doc],
    summary: &QuoteSummary,
    result: &reprint::quote::QuoteResult,
) -> Option<ExitCode> {
    let writer = match out.open() {
        Ok(w) => w,
        Err(e) => return Some(fail(e)),
    };
    let mut report = for_format(out.format, writer, title, docs);
    write_failure(emit_quotes(report.as_mut(), docs, summary, result).and_then(|()| report.finish()))
}

pub fn run(args: Args) -> ExitCode {
    let cfg = args.options.config();
    if let Err(e) = cfg.validate() {
        return fail(e);
    }
    if let Err(e) = set_threads(args.work.threads, args.out.quiet) {
        return fail(e);
    }
    let started = Instant::now();
    let bars = Bars::new(args.out.quiet);
    let spill_over = args.work.spill_over_bytes(args.out.format);
    let corpus = match args.input.read(&bars, args.out.quiet, spill_over) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let result = find_quotes(&corpus.docs, &corpus, &cfg, &bars);
    if let Some(e) = corpus.spill_failure() {
        return fail(e);
    }
    let summary = QuoteSummary::new(&corpus.docs, &cfg, &result);
    if let Some(code) = write_quotes(&args.out, "reprint: quotes", &corpus.docs, &summary, &result) {
        return code;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `reprint ARGS` as `quotes` options.
    fn parse(args: &[&str]) -> Args {
        let crate::Command::Quotes(quotes) = crate::parse(args) else { panic!("not quotes: {args:?}") };
        quotes
    }

    #[test]
    fn no_options_give_the_config_defaults() {
        assert_eq!(parse(&["reprint", "quotes", "seeds"]).options.config(), QuoteConfig::default());
        let all = parse(&["reprint", "quotes", "seeds", "--all"]).options.config();
        assert_eq!(all, QuoteConfig { min_sources: 1, ..QuoteConfig::default() });
    }
}
