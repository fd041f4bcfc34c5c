//! `reprint scan PATH...`: read a corpus, find near-duplicate pairs and clusters, report them.

use super::input::{write_failure, InputArgs, OutputArgs, WorkArgs};
use super::progress::Bars;
use super::{fail, set_threads, EXIT_OK, EXIT_PARTIAL};
use reprint::config::ScanConfig;
use reprint::report::{write_scan, Summary};
use std::process::ExitCode;
use std::time::Instant;

/// Options of `reprint scan`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    scan: ScanOptions,
    #[command(flatten)]
    work: WorkArgs,
    #[command(flatten)]
    out: OutputArgs,
}

impl Args {
    fn config(&self) -> ScanConfig {
        self.scan.config()
    }
}

/// The options that set up a scan (shared with `reprint index add`, which fixes them in a new
/// archive).
#[derive(clap::Args, Debug)]
pub struct ScanOptions {
    /// Words per shingle, letters with --ocr [default: 5; 6 with --ocr].
    #[arg(long, value_name = "K")]
    shingle: Option<usize>,
    /// MinHash values per signature.
    #[arg(long, default_value_t = ScanConfig::default().perms, value_name = "N")]
    perms: usize,
    /// Jaccard similarity from which two articles are near-duplicates [default: 0.5; 0.2 with
    /// --ocr, where shingles are letters and OCR noise lowers the Jaccard of two copies].
    #[arg(long, value_name = "J")]
    threshold: Option<f64>,
    /// Also report pairs where at least this share of the smaller article is inside the larger.
    #[arg(long, value_name = "C")]
    containment: Option<f64>,
    /// LSH bands (with --rows; default: chosen from --threshold).
    #[arg(long, requires = "rows", value_name = "B")]
    bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands", value_name = "R")]
    rows: Option<usize>,
    /// Buckets with more documents than this are clustered through one document, not expanded.
    #[arg(long, default_value_t = ScanConfig::default().max_bucket, value_name = "N")]
    max_bucket: usize,
    /// Shortest shared passage reported, in matching words (see README: 8 keeps titles plus names
    /// and other stock phrases out).
    #[arg(long, default_value_t = ScanConfig::default().min_words, value_name = "N")]
    min_words: usize,
    /// Shortest passage reported when it is outside quotation marks in both articles (see
    /// README: short unquoted overlaps in news are stock phrases; set it to --min-words to treat
    /// quoted and unquoted passages alike).
    #[arg(long, default_value_t = ScanConfig::default().min_unquoted_words, value_name = "N")]
    min_unquoted_words: usize,
    /// Anchors in more documents than this are ignored as boilerplate or stock phrases (a count,
    /// or a share of the corpus when at most 1).
    #[arg(long, default_value_t = ScanConfig::default().max_df, value_name = "F")]
    max_df: f64,
    /// Find shared passages (the default).
    #[arg(long, overrides_with = "no_passages")]
    passages: bool,
    /// Near-duplicate documents only, no passages.
    #[arg(long, overrides_with = "passages")]
    no_passages: bool,
    /// Also report passages recognised as one source's boilerplate (flagged).
    #[arg(long)]
    show_boilerplate: bool,
    /// The texts come from OCR (digitised print): compare letters instead of words, so that
    /// misread letters, split, joined and hyphenated words and stray marks do not hide reuse
    /// (see README: "OCR text").
    #[arg(long)]
    ocr: bool,
}

impl ScanOptions {
    /// The configuration these options ask for.
    pub fn config(&self) -> ScanConfig {
        let base = if self.ocr { ScanConfig::ocr_default() } else { ScanConfig::default() };
        ScanConfig {
            shingle: self.shingle.unwrap_or(base.shingle),
            perms: self.perms,
            threshold: self.threshold.unwrap_or(base.threshold),
            containment: self.containment,
            lsh_bands: self.bands.zip(self.rows),
            max_bucket: self.max_bucket,
            passages: !self.no_passages || self.passages,
            min_words: self.min_words,
            min_unquoted_words: self.min_unquoted_words,
            max_df: self.max_df,
            show_boilerplate: self.show_boilerplate,
            ..base
        }
    }
}

/// Runs `reprint scan`.
pub fn run(args: Args) -> ExitCode {
    let cfg = args.config();
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

    let result = reprint::scan::scan(&corpus, &corpus.source_ids(), &cfg, &bars);
    if let Some(e) = corpus.spill_failure() {
        return fail(e);
    }
    let summary = Summary::new(&corpus, &cfg, &result);

    let written = Instant::now();
    let out = match args.out.open() {
        Ok(out) => out,
        Err(e) => return fail(e),
    };
    let written_ok = write_scan(args.out.format, out, "reprint: scan", &corpus, &summary, &result, &bars);
    if let Some(code) = write_failure(written_ok) {
        return code;
    }
    if let Some(e) = corpus.spill_failure() {
        return fail(e);
    }
    // The process ends here: handing every text and shingle set back to the allocator one by
    // one would only add to the wall time.
    std::mem::forget(result);
    let had_errors = corpus.had_errors();
    std::mem::forget(corpus);
    let secs = started.elapsed().as_secs_f64();
    if !args.out.quiet {
        let mb = summary.bytes as f64 / 1e6;
        eprintln!(
            "reprint: {} documents ({mb:.1} MB) in {secs:.2} s ({}, writing {:.2} s; {:.1} MB/s)",
            summary.documents,
            bars.timings(),
            written.elapsed().as_secs_f64(),
            mb / secs.max(1e-9)
        );
    }
    ExitCode::from(if had_errors { EXIT_PARTIAL } else { EXIT_OK })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `reprint ARGS` as `scan` options.
    fn parse(args: &[&str]) -> Args {
        let crate::Command::Scan(scan) = crate::parse(args) else { panic!("not a scan: {args:?}") };
        scan
    }

    #[test]
    fn no_options_give_the_config_defaults() {
        assert_eq!(parse(&["reprint", "scan", "seeds"]).config(), ScanConfig::default());
        assert_eq!(parse(&["reprint", "scan", "seeds", "--ocr"]).config(), ScanConfig::ocr_default());
    }

    #[test]
    fn help_states_the_defaults_that_depend_on_ocr() {
        let (words, ocr) = (ScanConfig::default(), ScanConfig::ocr_default());
        let cli = crate::Cli::command();
        let cmd = cli.find_subcommand("scan").unwrap();
        let help = |name: &str| {
            let arg = cmd.get_arguments().find(|a| a.get_id() == name).unwrap();
            arg.get_long_help().or(arg.get_help()).unwrap().to_string()
        };
        let shingle = format!("[default: {}; {} with --ocr", words.shingle, ocr.shingle);
        assert!(help("shingle").contains(&shingle), "{}", help("shingle"));
        let threshold = format!("[default: {}; {} with", words.threshold, ocr.threshold);
        assert!(help("threshold").contains(&threshold), "{}", help("threshold"));
    }
}
