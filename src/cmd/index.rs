//! `reprint index add|query|quotes|stats|remove|compact ARCHIVE ...`: the archive that grows.

use super::input::{write_failure, InputArgs, OutputArgs, WorkArgs};
use super::progress::Bars;
use super::quotes::write_quotes;
use super::scan::ScanOptions;
use super::{fail, set_threads, EXIT_OK, EXIT_PARTIAL};
use reprint::archive::{Archive, OnExisting, QueryResult, DEFAULT_BATCH, QUERY_PART_BYTES};
use reprint::corpus::Corpus;
use reprint::progress::{Progress, Unit};
use reprint::report::{write_scan, QuoteSummary};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Subcommands of `reprint index`.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Add documents to the archive (created on first use with the scan options given).
    Add(AddArgs),
    /// New documents against the archive and each other, without adding them: the pairs and
    /// passages a full scan would give them, in any output format.
    Query(QueryArgs),
    /// The quotations new documents share with each other and with the archive, with their
    /// earlier printings and who printed them first, without adding them.
    Quotes(QuotesArgs),
    /// What the archive holds, and its size on disk.
    Stats(StatsArgs),
    /// Remove documents by id (retractions, takedowns).
    Remove(RemoveArgs),
    /// Merge the postings of every batch into one and drop removed documents (upkeep: queries
    /// read one segment per batch added since the last compaction).
    Compact(StatsArgs),
}

/// Options of `reprint index add`.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The archive file.
    archive: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// Replace archived documents that have the same id (corrections, updated stories).
    #[arg(long, conflicts_with = "skip_existing")]
    replace: bool,
    /// Skip documents whose id is archived already (resuming an interrupted add).
    #[arg(long)]
    skip_existing: bool,
    /// Documents per committed batch: a crash loses at most the batch being written.
    #[arg(long, default_value_t = DEFAULT_BATCH, value_name = "N")]
    batch: usize,
    /// Before adding, report the new documents against the archive (as `index query`): the
    /// daily job in one step.
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    part: PartArgs,
    /// Scan options, fixed when the archive is created.
    #[command(flatten)]
    scan: ScanOptions,
    #[command(flatten)]
    work: WorkArgs,
    #[command(flatten)]
    out: OutputArgs,
}

/// Options of `reprint index query`.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// The archive file.
    archive: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    part: PartArgs,
    #[command(flatten)]
    work: WorkArgs,
    #[command(flatten)]
    out: OutputArgs,
}

/// How a query holds the archived documents it loads.
#[derive(clap::Args, Debug)]
pub struct PartArgs {
    /// MB of archived text a query scans at once beyond the articles that may be
    /// near-duplicates of new ones: those sharing only phrases with a new one are scanned in
    /// parts of this size, so that memory follows the part, not the archive (the answer is the
    /// same whatever the size).
    #[arg(long, default_value_t = QUERY_PART_BYTES / 1_000_000, value_name = "MB")]
    query_part: u64,
}

impl PartArgs {
    /// Sets `archive`'s part size.
    fn apply(&self, archive: &mut Archive) {
        archive.scan_in_parts_of(self.query_part.saturating_mul(1_000_000));
    }
}

/// Options of `reprint index quotes`: the archive, then those of `reprint quotes`.
#[derive(clap::Args, Debug)]
pub struct QuotesArgs {
    /// The archive file.
    archive: PathBuf,
    #[command(flatten)]
    quotes: super::quotes::Args,
}

/// Options of `reprint index stats` and `compact`.
#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// The archive file.
    archive: PathBuf,
    /// One JSON object instead of lines for people.
    #[arg(long)]
    json: bool,
}

/// Options of `reprint index remove`.
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The archive file.
    archive: PathBuf,
    /// Ids of the documents to remove.
    #[arg(required = true)]
    ids: Vec<String>,
}

/// Runs `reprint index ...`.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Add(args) => add(args),
        Command::Query(args) => query(args),
        Command::Quotes(args) => quotes(args),
        Command::Stats(args) => stats(&args.archive, args.json, false),
        Command::Compact(args) => stats(&args.archive, args.json, true),
        Command::Remove(args) => remove(args),
    }
}

fn add(args: AddArgs) -> ExitCode {
    if let Err(e) = set_threads(args.work.threads, args.out.quiet) {
        return fail(e);
    }
    let started = Instant::now();
    let bars = Bars::new(args.out.quiet);
    let mut archive = match Archive::open_for_add(&args.archive, &args.scan.config()) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let corpus = match args.input.read(&bars, args.out.quiet, args.work.spill_over_bytes(args.out.format)) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if args.report {
        archive.hold_texts_up_to(args.work.spill_over_bytes(args.out.format));
        args.part.apply(&mut archive);
        let found = match archive.query(&corpus.docs, &corpus, &bars) {
            Ok(q) => q,
            Err(e) => return fail(e),
        };
        if let Some(code) = write_query(&archive, &found, &args.out, &bars) {
            return code;
        }
    }
    let on_existing = match (args.replace, args.skip_existing) {
        (true, _) => OnExisting::Replace,
        (_, true) => OnExisting::Skip,
        _ => OnExisting::Refuse,
    };
    bars.start("adding", Some(corpus.docs.len() as u64), Unit::Docs);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let on_batch = |n: usize| {
        let before = done.swap(n, std::sync::atomic::Ordering::Relaxed);
        bars.advance((n - before) as u64);
    };
    let stats = archive.add(&corpus.docs, &corpus, on_existing, args.batch, &on_batch);
    bars.finish();
    let stats = match stats {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if let Some(e) = corpus.spill_failure() {
        return fail(e);
    }
    if !args.out.quiet {
        eprintln!(
            "reprint: added {} documents ({} replaced, {} skipped as archived) in {} batches to {} in {:.2} s",
            stats.added,
            stats.replaced,
            stats.skipped,
            stats.batches,
            args.archive.display(),
            started.elapsed().as_secs_f64()
        );
        // Each segment costs every query a seek per key: say when compacting would pay.
        if let Ok(n) = archive.segments() {
            if n > SEGMENTS_HINT {
                eprintln!(
                    "reprint: {n} posting segments (one per batch since the last compaction), each read by every query: `reprint index compact {}` merges them into one",
                    args.archive.display()
                );
            }
        }
    }
    ExitCode::from(if corpus.had_errors() { EXIT_PARTIAL } else { EXIT_OK })
}

/// Segments past which `add` suggests compacting: at a million articles, 200 segments made one
/// article's query 7 s against 0.04 s once compacted (BENCHMARKS.md).
const SEGMENTS_HINT: usize = 20;

fn query(args: QueryArgs) -> ExitCode {
    let (mut archive, corpus, bars, started) = match open_and_read(&args.archive, &args.input, &args.work, &args.out) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    args.part.apply(&mut archive);
    let found = match archive.query(&corpus.docs, &corpus, &bars) {
        Ok(q) => q,
        Err(e) => return fail(e),
    };
    if let Some(code) = write_query(&archive, &found, &args.out, &bars) {
        return code;
    }
    if !args.out.quiet {
        eprintln!(
            "reprint: {} new documents against {} archived ({} loaded as possible matches, scanned in {} part{}): {} pairs in {:.2} s ({})",
            corpus.docs.len(),
            found.archived,
            found.loaded,
            found.parts,
            if found.parts == 1 { "" } else { "s" },
            found.result.pairs.len(),
            started.elapsed().as_secs_f64(),
            bars.timings()
        );
    }
    ExitCode::from(if corpus.had_errors() { EXIT_PARTIAL } else { EXIT_OK })
}

fn quotes(args: QuotesArgs) -> ExitCode {
    let QuotesArgs { archive, quotes: super::quotes::Args { input, options, work, out } } = args;
    let cfg = options.config();
    if let Err(e) = cfg.validate() {
        return fail(e);
    }
    let (archive, corpus, bars, started) = match open_and_read(&archive, &input, &work, &out) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let found = match archive.quotes(&corpus.docs, &corpus, &cfg, &bars) {
        Ok(q) => q,
        Err(e) => return fail(e),
    };
    warn_already_archived(&found.already_archived, out.quiet);
    if let Some(e) = found.corpus.spill_failure() {
        return fail(e);
    }
    let summary = QuoteSummary::new(&found.corpus.docs, &cfg, &found.result);
    let title = "reprint: index quotes";
    if let Some(code) = write_quotes(&out, title, &found.corpus.docs, &summary, &found.result) {
        return code;
    }
    if !out.quiet {
        eprintln!(
            "reprint: {} new documents against {} archived ({} loaded as possible earlier printings): {} shared quotes in {:.2} s ({})",
            corpus.docs.len(),
            found.archived,
            found.first_new,
            found.result.clusters.len(),
            started.elapsed().as_secs_f64(),
            bars.timings()
        );
    }
    ExitCode::from(if corpus.had_errors() { EXIT_PARTIAL } else { EXIT_OK })
}

/// What a query and a quotes query start with: threads set, the archive open for reading, the
/// new documents read (with progress bars), and when it began; or the exit code of a failure.
fn open_and_read(
    path: &Path,
    input: &InputArgs,
    work: &WorkArgs,
    out: &OutputArgs,
) -> Result<(Archive, Corpus, Bars, Instant), ExitCode> {
    set_threads(work.threads, out.quiet).map_err(fail)?;
    let started = Instant::now();
    let bars = Bars::new(out.quiet);
    let mut archive = Archive::open(path, false).map_err(fail)?;
    archive.hold_texts_up_to(work.spill_over_bytes(out.format));
    let corpus = input.read(&bars, out.quiet, work.spill_over_bytes(out.format)).map_err(fail)?;
    Ok((archive, corpus, bars, started))
}

/// Warns that new documents stand in for archived ones with their ids.
fn warn_already_archived(ids: &[String], quiet: bool) {
    if !ids.is_empty() && !quiet {
        let shown: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
        eprintln!(
            "reprint: warning: {} of the new documents are archived already under the same id (e.g. {}): their archived versions were left out of this query",
            ids.len(),
            shown.join(", ")
        );
    }
}

/// Writes a query's pairs as `scan` does (the HTML page with the quotes the documents share).
fn write_query(archive: &Archive, found: &QueryResult, out: &OutputArgs, bars: &Bars) -> Option<ExitCode> {
    warn_already_archived(&found.already_archived, out.quiet);
    let summary = found.summary(archive.config());
    let writer = match out.open() {
        Ok(w) => w,
        Err(e) => return Some(fail(e)),
    };
    let title = "reprint: index query";
    // Archived texts past `--spill-over` were read back from a temporary file: a failed read
    // leaves a text empty, and what was found or written with it is not reported as a success.
    if let Some(e) = found.corpus.spill_failure() {
        return Some(fail(e));
    }
    if let Some(code) =
        write_failure(write_scan(out.format, writer, title, &found.corpus, &summary, &found.result, bars))
    {
        return Some(code);
    }
    found.corpus.spill_failure().map(fail)
}

fn stats(path: &Path, json: bool, compact: bool) -> ExitCode {
    let mut archive = match Archive::open(path, compact) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let before = if compact { archive.stats().ok() } else { None };
    if compact {
        if let Err(e) = archive.compact() {
            return fail(e);
        }
    }
    let s = match archive.stats() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if json {
        println!("{}", serde_json::to_string(&s).unwrap_or_default());
        return ExitCode::from(EXIT_OK);
    }
    if let Some(b) = before {
        println!(
            "compacted {}: {} segments -> {}, {} removed documents dropped, {} -> {} bytes",
            path.display(),
            b.segments,
            s.segments,
            b.removed_pending,
            b.file_bytes,
            s.file_bytes
        );
    }
    let cfg = archive.config();
    println!("archive      {} (format {})", path.display(), s.format);
    println!("documents    {} from {} sources", s.documents, s.sources);
    println!("text         {} bytes, stored as {} (compressed)", s.text_bytes, s.stored_text_bytes);
    println!(
        "postings     {} bytes in {} segments; {} (source, anchor) counts",
        s.posting_bytes, s.segments, s.source_anchors
    );
    println!("removed      {} documents awaiting `reprint index compact`", s.removed_pending);
    println!("on disk      {} bytes, {:.0} bytes per document", s.file_bytes, s.bytes_per_document);
    println!(
        "options      shingle {}, perms {}, threshold {}, max-df {}, passages {}{}{}",
        cfg.shingle,
        cfg.perms,
        cfg.threshold,
        cfg.max_df,
        cfg.passages,
        cfg.containment.map(|c| format!(", containment {c}")).unwrap_or_default(),
        if cfg.ocr.is_some() { ", ocr" } else { "" }
    );
    ExitCode::from(EXIT_OK)
}

fn remove(args: RemoveArgs) -> ExitCode {
    let mut archive = match Archive::open(&args.archive, true) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    match archive.remove(&args.ids) {
        Ok(n) => {
            eprintln!(
                "reprint: removed {n} documents from {} (`reprint index compact` reclaims their space)",
                args.archive.display()
            );
            ExitCode::from(EXIT_OK)
        }
        Err(e) => fail(e),
    }
}
