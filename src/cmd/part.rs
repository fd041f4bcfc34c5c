//! `reprint part keys|group|scan`: the tasks of a cluster job, run by the Spark driver in
//! `spark/` on its executors (see [`reprint::part`]). `keys` and `scan` read JSON Lines on stdin
//! (a bad line is an error naming its line, and nothing is written after it); `keys` and `group`
//! write [frames](reprint::part::shuffle::write_frame), `scan` lines.

use super::scan::ScanOptions;
use super::{fail, set_threads};
use rayon::prelude::*;
use reprint::config::ScanConfig;
use reprint::corpus::{read_job_line, CorpusBuilder, Doc, InputLine, JobLine, DEFAULT_SPILL_OVER_MB};
use reprint::part::inputs::{read_range, JobInputs, RangeDocs};
use reprint::part::shuffle::{self, GroupRules, Tag};
use reprint::part::{check_config, keys, scan_corpus, settings, summary, BlockAt, PartDoc, SummaryCounts, WholeFacts};
use serde::Deserialize;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Subcommands of `reprint part`.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Read JSON Lines as the CLI does, one output line per input line: for a document
    /// `D<TAB>ID<TAB>SOURCE<TAB>BYTES<TAB>DOC` (ID and SOURCE as JSON, null when the line names
    /// none; BYTES the text's length in UTF-8; DOC its fields as JSON, without id), or with
    /// `--input`, `R<TAB>ID<TAB>SOURCE<TAB>BYTES<TAB>OFFSET<TAB>LEN` (where its line is);
    /// `E<TAB>1` or `E<TAB>0` for an empty text (whether named), `B<TAB>MESSAGE` for a malformed
    /// line, `-` for a blank one; last, a `#summary<TAB>JSON` line (see `ReadSummary`): the
    /// counts and each document's id hash, so that the driver need not walk the lines.
    Read(ReadArgs),
    /// Band keys, anchors and containment samples of documents: `{"n","id","text",...}` lines
    /// (or `{"n","id","at"}`, read from `--input` files, or `#read<TAB>RANGE` lines as `scan`
    /// takes them) in; out, frames of postings blobs (one per reducer that gets any) and the
    /// batches' counts.
    Keys(KeysArgs),
    /// Group one reducer's postings blobs (each a u32 length and the blob, on stdin): out, a
    /// frame of facts (frequent anchors, boilerplate, oversized buckets, frequent containment
    /// samples, passage cells) and one of wanted `(member, want)` pairs per route (see
    /// `reprint::part::shuffle::Want`).
    Group(GroupArgs),
    /// Scan blocks: for each, a `#block<TAB>FIRST<TAB>END` line (the numbers of the block's own
    /// documents; `#block<TAB>FIRST<TAB>END<TAB>cell` for one of its passage cells, asked only
    /// for the pairs of an earlier document with one of the block's), then its part's document
    /// lines in any order (or `#read<TAB>RANGE` lines: a byte range of an input to read
    /// documents from, see `reprint::part::inputs::RangeDocs`);
    /// out, per block a `#pairs<TAB>COUNT<TAB>BYTES` line, a line per pair (`a b jaccard
    /// containment words near record`, tab separated, strongest first) and a `#stats` line.
    Scan(ScanArgs),
    /// The settings the driver groups keys by, for `--documents N` documents, as JSON.
    Settings(SettingsArgs),
    /// The summary record from the job's counts (JSON on stdin).
    Summary(SummaryArgs),
}

/// Options of `reprint part read`.
#[derive(clap::Args, Debug)]
pub struct ReadArgs {
    /// The input's first line is its file's first (which may open with a byte order mark).
    #[arg(long)]
    file_start: bool,
    /// Read the lines of this file that start in `--range` instead of stdin; a document is then
    /// written `R<TAB>ID<TAB>SOURCE<TAB>BYTES<TAB>OFFSET<TAB>LEN` (where its line is, to be read
    /// there again).
    #[arg(long, value_name = "FILE", requires = "range")]
    input: Option<PathBuf>,
    /// The byte range of `--input` to read (a line belongs to the range it starts in).
    #[arg(long, num_args = 2, value_names = ["START", "END"], requires = "input")]
    range: Vec<u64>,
}

/// The job's input files, in the order documents name them (`"at":[INPUT,OFFSET,LEN]`), for
/// document lines that give where their line is instead of their fields.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// An input file of the job (repeated, in order).
    #[arg(long = "input", value_name = "FILE")]
    inputs: Vec<PathBuf>,
}

/// Options of `reprint part summary`.
#[derive(clap::Args, Debug)]
pub struct SummaryArgs {
    #[command(flatten)]
    scan: ScanOptions,
}

/// Options of `reprint part group`.
#[derive(clap::Args, Debug)]
pub struct GroupArgs {
    #[command(flatten)]
    scan: ScanOptions,
    /// Documents in the corpus.
    #[arg(long, value_name = "N")]
    documents: usize,
    /// Documents per block.
    #[arg(long, value_name = "N")]
    block: u64,
    /// Earlier documents per passage cell: a block's documents that share only anchors with it
    /// are cut by number into ranges this wide, each scanned with the block apart (0: one range).
    #[arg(long, value_name = "N", default_value_t = 0)]
    cell: u64,
    /// Routes to cut the wanted pairs into (a document's route is its number modulo this).
    #[arg(long, value_name = "N")]
    routes: u64,
    /// Documents per source in the corpus, as JSON `[[source name, documents], ...]`.
    #[arg(long, value_name = "FILE")]
    sources: PathBuf,
}

/// Options of `reprint part settings`.
#[derive(clap::Args, Debug)]
pub struct SettingsArgs {
    #[command(flatten)]
    scan: ScanOptions,
    /// Documents in the corpus.
    #[arg(long, value_name = "N")]
    documents: usize,
}

/// Options of `reprint part keys`.
#[derive(clap::Args, Debug)]
pub struct KeysArgs {
    #[command(flatten)]
    scan: ScanOptions,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Reducers the postings are cut for.
    #[arg(long, value_name = "N")]
    reducers: usize,
    #[command(flatten)]
    inputs: InputArgs,
}

/// Options of `reprint part scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    scan: ScanOptions,
    /// The facts about the whole corpus (documents, frequent anchors, boilerplate), as JSON.
    #[arg(long, value_name = "FILE")]
    whole: PathBuf,
    /// Once a part's texts pass this many MB, later ones wait in an unlinked temporary file in
    /// TMPDIR (0: always).
    #[arg(long, default_value_t = DEFAULT_SPILL_OVER_MB, value_name = "MB")]
    spill_over: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    #[command(flatten)]
    inputs: InputArgs,
}

/// Runs `reprint part`.
pub fn run(command: Command) -> ExitCode {
    if let Command::Read(a) = &command {
        let out = &mut BufWriter::new(io::stdout().lock());
        let read = match (&a.input, a.range.as_slice()) {
            (Some(path), &[start, end]) => run_read_range(path, start, end, out),
            _ => run_read(a.file_start, out),
        };
        return match read.and_then(|()| out.flush().map_err(|e| format!("cannot write: {e}"))) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    let (scan, threads) = match &command {
        Command::Keys(a) => (&a.scan, a.threads),
        Command::Group(a) => (&a.scan, 1),
        Command::Scan(a) => (&a.scan, a.threads),
        Command::Settings(a) => (&a.scan, 1),
        Command::Summary(a) => (&a.scan, 1),
        Command::Read(_) => unreachable!("read before"),
    };
    let cfg = scan.config();
    if let Err(e) = check_config(&cfg).and_then(|()| set_threads(threads, true)) {
        return fail(e);
    }
    let out = &mut BufWriter::new(io::stdout().lock());
    let done = match command {
        Command::Keys(a) => {
            JobInputs::open(&a.inputs.inputs).and_then(|inputs| run_keys(&cfg, a.reducers, &inputs, out))
        }
        Command::Group(a) => run_group(&a, &cfg, out),
        Command::Scan(a) => JobInputs::open(&a.inputs.inputs)
            .and_then(|inputs| run_scan(&a.whole, a.spill_over.saturating_mul(1_000_000), &cfg, &inputs, out)),
        Command::Settings(a) => write_json(out, &settings(&cfg, a.documents)),
        Command::Read(_) => unreachable!("read before"),
        Command::Summary(_) => serde_json::from_reader(io::stdin().lock())
            .map_err(|e| format!("stdin: {e}"))
            .and_then(|counts: SummaryCounts| write_json(out, &summary(&cfg, &counts))),
    };
    match done.and_then(|()| out.flush().map_err(|e| format!("cannot write: {e}"))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// A document's fields as `part read` writes them (its number and id are the driver's to add).
#[derive(serde::Serialize)]
struct ReadDoc<'a> {
    text: &'a str,
    source: Option<&'a str>,
    date: Option<&'a str>,
    title: Option<&'a str>,
}

/// `part read --input FILE --range START END`: the lines starting in the range, documents as
/// where their lines are, and the summary.
fn run_read_range(path: &Path, start: u64, end: u64, out: &mut impl Write) -> Result<(), String> {
    let mut summary = ReadSummary::default();
    read_range(path, start, end, |l| {
        summary.count(&l.line);
        write_read_line(out, l.line, Some((l.offset, l.len)))
    })
    .map_err(|e| format!("{}: {e}", path.display()))?;
    summary.write(out).map_err(|e| format!("cannot write: {e}"))
}

fn run_read(file_start: bool, out: &mut impl Write) -> Result<(), String> {
    let mut summary = ReadSummary::default();
    for (i, line) in io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|e| format!("stdin line {}: {e}", i + 1))?;
        let line = read_job_line(&line, file_start && i == 0);
        summary.count(&line);
        write_read_line(out, line, None).map_err(|e| format!("cannot write: {e}"))?;
    }
    summary.write(out).map_err(|e| format!("cannot write: {e}"))
}

/// Malformed lines a [`ReadSummary`] quotes (the driver shows at most this many).
const SHOWN_BAD: usize = 20;

/// What `part read` counts of the lines it read (lines counted from 0), written last as
/// `#summary<TAB>JSON`: the driver numbers documents and lines from the counts and checks ids
/// for repeats by the hashes, without walking the lines itself.
#[derive(Debug, Default, serde::Serialize)]
struct ReadSummary {
    /// Lines read.
    lines: usize,
    /// Documents (non-empty texts).
    docs: usize,
    /// Empty or white-space texts, skipped.
    empty: usize,
    /// Malformed lines...
    bad: usize,
    /// ... and the first SHOWN_BAD of them as (line, message).
    shown: Vec<(usize, String)>,
    /// Documents and empty texts that name no id (the driver names them FILE:LINE)...
    unnamed: usize,
    /// ... the first one's line...
    first_unnamed: Option<usize>,
    /// ... and the lines of those that are documents.
    unnamed_docs: Vec<usize>,
    /// Documents of each named source, by its name as JSON.
    sources: std::collections::BTreeMap<String, usize>,
    /// UTF-8 bytes of the documents' texts.
    bytes: u64,
    /// Each document's id hash ([`id_hash`], 8 bytes little-endian) in hex, in order; zero for
    /// a document without id (the driver hashes its FILE:LINE name).
    hashes: String,
}

impl ReadSummary {
    /// Counts the next line.
    fn count(&mut self, line: &JobLine) {
        let at = self.lines;
        self.lines += 1;
        match line {
            JobLine::Doc(id, d) => {
                self.docs += 1;
                self.bytes += d.text.len() as u64;
                if let Some(source) = &d.source {
                    let name = serde_json::to_string(source).expect("a string serializes");
                    *self.sources.entry(name).or_default() += 1;
                }
                let hash = id.as_deref().map_or(0, id_hash);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                for b in hash.to_le_bytes() {
                    self.hashes.push(HEX[usize::from(b >> 4)] as char);
                    self.hashes.push(HEX[usize::from(b & 15)] as char);
                }
                if id.is_none() {
                    self.unnamed_docs.push(at);
                    self.unnamed(at);
                }
            }
            JobLine::Empty(named) => {
                self.empty += 1;
                if !named {
                    self.unnamed(at);
                }
            }
            JobLine::Bad(message) => {
                self.bad += 1;
                if self.shown.len() < SHOWN_BAD {
                    self.shown.push((at, message.clone()));
                }
            }
            JobLine::Blank => {}
        }
    }

    fn unnamed(&mut self, at: usize) {
        self.unnamed += 1;
        self.first_unnamed.get_or_insert(at);
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(b"#summary\t")?;
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n")
    }
}

/// A 64-bit hash of a document id: its BLAKE2b digest of 8 bytes (BLAKE2b-64, as Python's
/// `hashlib.blake2b(id, digest_size=8)`), read little-endian. The Spark driver hashes the ids it
/// names itself the same way; 0 is kept for "no id" (an id hashing to 0 gets 1).
fn id_hash(id: &str) -> u64 {
    use blake2::digest::{Update, VariableOutput};
    let mut hasher = blake2::Blake2bVar::new(8).expect("8 bytes is a valid BLAKE2b size");
    hasher.update(id.as_bytes());
    let mut digest = [0u8; 8];
    hasher.finalize_variable(&mut digest).expect("the buffer has the digest's size");
    u64::from_le_bytes(digest).max(1)
}

/// One line of `part read`'s output (see [`Command::Read`]); `at`: where the line is, for a
/// document to be named by its place instead of its fields.
fn write_read_line(out: &mut impl Write, line: JobLine, at: Option<(u64, u64)>) -> io::Result<()> {
    match line {
        JobLine::Doc(id, d) => {
            out.write_all(if at.is_some() { b"R\t" } else { b"D\t" })?;
            serde_json::to_writer(&mut *out, &id)?;
            out.write_all(b"\t")?;
            serde_json::to_writer(&mut *out, &d.source)?;
            write!(out, "\t{}\t", d.text.len())?;
            match at {
                Some((offset, len)) => write!(out, "{offset}\t{len}")?,
                None => {
                    let fields = ReadDoc {
                        text: &d.text,
                        source: d.source.as_deref(),
                        date: d.date.as_deref(),
                        title: d.title.as_deref(),
                    };
                    serde_json::to_writer(&mut *out, &fields)?;
                }
            }
        }
        JobLine::Empty(named) => write!(out, "E\t{}", named as u8)?,
        JobLine::Bad(message) => write!(out, "B\t{}", message.replace(['\n', '\r'], " "))?,
        JobLine::Blank => out.write_all(b"-")?,
    }
    out.write_all(b"\n")
}

/// Documents read at a time by `keys`.
const KEYS_BATCH: usize = 4096;

/// Line `line` (from 1) of stdin parsed as `T`.
fn parse<'a, T: Deserialize<'a>>(text: &'a str, line: usize) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("stdin line {line}: {e}"))
}

/// Document lines parsed (line numbers from `first_line`), their fields read from the inputs
/// where they name where their lines are: in parallel.
fn parse_docs(lines: &[String], first_line: usize, inputs: &JobInputs) -> Result<Vec<PartDoc>, String> {
    lines
        .par_iter()
        .enumerate()
        .map(|(i, line)| {
            let mut doc: PartDoc = parse(line, first_line + i)?;
            inputs.fill(&mut doc).map(|()| doc)
        })
        .collect()
}

fn run_keys(cfg: &ScanConfig, reducers: usize, inputs: &JobInputs, out: &mut impl Write) -> Result<(), String> {
    let write = |e: io::Error| format!("cannot write: {e}");
    let mut emit = |docs: &[PartDoc]| -> Result<(), String> {
        let (blobs, counts) = shuffle::postings_blobs(docs, &keys(docs, cfg), reducers);
        for (r, blob) in blobs {
            shuffle::write_frame(out, Tag::Postings, r as u64, &blob).map_err(write)?;
        }
        let counts = serde_json::to_vec(&counts).map_err(|e| format!("cannot write: {e}"))?;
        shuffle::write_frame(out, Tag::Counts, 0, &counts).map_err(write)
    };
    doc_batches(io::stdin().lock().lines().enumerate(), inputs, |docs| docs.chunks(KEYS_BATCH).try_for_each(&mut emit))
}

/// Hands on a task's documents from its input lines, a batch at a time, in order: document
/// lines in batches of KEYS_BATCH (parsed, and read from the inputs where they name their place,
/// in parallel), and each `#read` line's range whole.
fn doc_batches(
    lines: impl Iterator<Item = (usize, io::Result<String>)>,
    inputs: &JobInputs,
    mut each: impl FnMut(Vec<PartDoc>) -> Result<(), String>,
) -> Result<(), String> {
    let mut batch: Vec<String> = Vec::with_capacity(KEYS_BATCH);
    let mut first_line = 0;
    // Consecutive ranges are read as many at a time as there are threads, handed on in order.
    let mut ranges: Vec<RangeDocs> = Vec::new();
    let read_ranges = |ranges: &mut Vec<RangeDocs>, each: &mut dyn FnMut(Vec<PartDoc>) -> Result<(), String>| {
        let read: Vec<Vec<PartDoc>> = ranges.par_iter().map(|r| r.read(inputs)).collect::<Result<_, _>>()?;
        ranges.clear();
        read.into_iter().try_for_each(each)
    };
    for (i, line) in lines {
        let line = line.map_err(|e| format!("stdin line {}: {e}", i + 1))?;
        match range_line(&line, i + 1)? {
            Some(range) => {
                if !batch.is_empty() {
                    each(parse_docs(&batch, first_line, inputs)?)?;
                    batch.clear();
                }
                ranges.push(range);
                if ranges.len() >= rayon::current_num_threads() {
                    read_ranges(&mut ranges, &mut each)?;
                }
            }
            None => {
                read_ranges(&mut ranges, &mut each)?;
                first_line = if batch.is_empty() { i + 1 } else { first_line };
                batch.push(line);
                if batch.len() == KEYS_BATCH {
                    each(parse_docs(&batch, first_line, inputs)?)?;
                    batch.clear();
                }
            }
        }
    }
    read_ranges(&mut ranges, &mut each)?;
    if !batch.is_empty() {
        each(parse_docs(&batch, first_line, inputs)?)?;
    }
    Ok(())
}

/// A `#read<TAB>RANGE` line (RANGE a [`RangeDocs`] as JSON): documents the task reads itself.
fn range_line(line: &str, number: usize) -> Result<Option<RangeDocs>, String> {
    match line.strip_prefix("#read\t") {
        Some(range) => serde_json::from_str(range).map(Some).map_err(|e| format!("stdin line {number}: {e}")),
        None => Ok(None),
    }
}

fn run_group(a: &GroupArgs, cfg: &ScanConfig, out: &mut impl Write) -> Result<(), String> {
    let named: Vec<(String, usize)> = std::fs::read(&a.sources)
        .map_err(|e| format!("{}: {e}", a.sources.display()))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", a.sources.display())))?;
    let mut names: ahash::AHashMap<u64, String> = ahash::AHashMap::new();
    let mut sources = Vec::with_capacity(named.len());
    for (name, docs) in named {
        let hash = shuffle::source_hash(&name);
        match names.get(&hash) {
            Some(other) if *other != name => {
                return Err(format!("sources {other:?} and {name:?} share a hash; rename one"))
            }
            _ => names.insert(hash, name),
        };
        sources.push((hash, docs));
    }
    let numbers = a.documents as u64;
    if numbers / a.block.max(1) >= shuffle::MAX_BLOCKS || (a.cell > 0 && numbers / a.cell >= shuffle::MAX_CELL_RANGES) {
        return Err(format!("--block {} or --cell {} is too small for {numbers} documents", a.block, a.cell));
    }
    let rules = GroupRules {
        block: a.block,
        cell: a.cell,
        routes: a.routes,
        max_bucket: cfg.max_bucket,
        max_df: cfg.max_df_docs(a.documents),
        sample_max_df: cfg.containment_max_df,
        boilerplate_min_docs: cfg.boilerplate_min_docs,
        boilerplate_share: cfg.boilerplate_share,
        source_docs: sources.into_iter().collect(),
    };
    let mut blobs = Vec::new();
    let stdin = &mut io::stdin().lock();
    while let Some(blob) = shuffle::read_blob(stdin).map_err(|e| format!("stdin, blob {}: {e}", blobs.len() + 1))? {
        blobs.push(blob);
    }
    let grouped = shuffle::group(&blobs, &rules).map_err(|e| format!("stdin: {e}"))?;
    let write = |e: io::Error| format!("cannot write: {e}");
    // Boilerplate named by its source's name, which the driver knows sources by.
    let facts = &grouped.facts;
    let boilerplate = facts
        .boilerplate
        .iter()
        .map(|(h, anchor)| {
            names
                .get(h)
                .map(|n| (n, anchor))
                .ok_or_else(|| format!("a source hashed {h:x} is not in {}", a.sources.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Every field of the facts, only the boilerplate's sources named (a field written by hand
    // here is one a new fact can be left out of, as the frequent samples once were).
    let mut facts = serde_json::to_value(facts).map_err(|e| format!("cannot write: {e}"))?;
    facts["boilerplate"] = serde_json::json!(boilerplate);
    let facts = serde_json::to_vec(&facts).map_err(|e| format!("cannot write: {e}"))?;
    shuffle::write_frame(out, Tag::Facts, 0, &facts).map_err(write)?;
    // Frames of at most 64 MiB: the driver holds one at a time.
    for (route, pairs) in grouped.wanted {
        for chunk in pairs.chunks(1 << 22) {
            let bytes: Vec<u8> =
                chunk.iter().flat_map(|&(m, w)| [m.to_le_bytes(), w.0.to_le_bytes()]).flatten().collect();
            shuffle::write_frame(out, Tag::Wanted, route, &bytes).map_err(write)?;
        }
    }
    Ok(())
}

/// The numbers of a block's documents, and whether the part is one of its passage cells, from
/// the line that opens it: `#block\tFIRST\tEND`, or `#block\tFIRST\tEND\tcell`.
fn block_header(line: &str) -> Option<(u64, u64, bool)> {
    let mut fields = line.strip_prefix("#block\t")?.split('\t');
    let range = (fields.next()?.parse().ok()?, fields.next()?.parse().ok()?);
    let cell = match fields.next() {
        None => false,
        Some("cell") => true,
        Some(_) => return None,
    };
    fields.next().is_none().then_some((range.0, range.1, cell))
}

fn run_scan(
    whole: &PathBuf,
    spill_over: u64,
    cfg: &ScanConfig,
    inputs: &JobInputs,
    out: &mut impl Write,
) -> Result<(), String> {
    let facts: WholeFacts = std::fs::read(whole)
        .map_err(|e| format!("{}: {e}", whole.display()))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", whole.display())))?;
    let frequent: ahash::AHashSet<u32> = facts.frequent.iter().copied().collect();
    let write = |e: io::Error| format!("cannot write: {e}");
    let mut lines = io::stdin().lock().lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let line = line.map_err(|e| format!("stdin line {}: {e}", i + 1))?;
        let (first, end, cell) = block_header(&line).ok_or_else(|| {
            format!("stdin line {}: a block opens with `#block<TAB>FIRST<TAB>END`, then `<TAB>cell` for a cell", i + 1)
        })?;
        // Texts past `spill_over` wait in a temporary file, as the scan's do.
        let mut part = CorpusBuilder::new(Some(spill_over))
            .with_inputs(&inputs.paths())
            .map_err(|e| format!("input files: {e}"))?;
        let mut numbers = Vec::new();
        let block_lines =
            std::iter::from_fn(|| lines.next_if(|(_, l)| l.as_ref().map_or(true, |l| !l.starts_with("#block\t"))));
        doc_batches(block_lines, inputs, |docs| {
            for doc in docs {
                numbers.push(doc.n);
                // A text read from an input waits there, not in the temporary file.
                let pushed = match doc.at {
                    Some((file, offset, len)) => part.push_at(doc.into_doc(), InputLine { file, offset, len }),
                    None => part.push(doc.into_doc()),
                };
                pushed.map_err(|e| format!("temporary file: {e}"))?;
            }
            Ok(())
        })?;
        let mut corpus = part.finish().map_err(|e| format!("temporary file: {e}"))?;
        // In order of number (the job sends a part as it comes); a number twice is refused below.
        let mut order: Vec<(u64, Doc)> = numbers.into_iter().zip(std::mem::take(&mut corpus.docs)).collect();
        order.sort_by_key(|(n, _)| *n);
        let (numbers, docs): (Vec<u64>, Vec<Doc>) = order.into_iter().unzip();
        corpus.docs = docs;
        let first_new = numbers.partition_point(|&n| n < first);
        let end_new = numbers.partition_point(|&n| n < end);
        let at = BlockAt { first: first_new, end: end_new, cell };
        let (pairs, stats) = scan_corpus(corpus, &numbers, at, &facts, &frequent, cfg)
            .map_err(|e| format!("block at stdin line {}: {e}", i + 1))?;
        // How many pairs follow, and about how many bytes (the records'): the job cuts them into
        // pieces of even size as they come.
        let bytes: usize = pairs.iter().map(|p| p.record.len() + 1).sum();
        writeln!(out, "#pairs\t{}\t{bytes}", pairs.len()).map_err(write)?;
        for p in pairs {
            write!(out, "{}\t{}\t{}\t{}\t{}\t{}\t", p.a, p.b, p.jaccard, p.containment, p.words, p.near as u8)
                .map_err(write)?;
            out.write_all(&p.record).map_err(write)?;
            out.write_all(b"\n").map_err(write)?;
        }
        out.write_all(b"#stats\t").map_err(write)?;
        serde_json::to_writer(&mut *out, &stats).map_err(|e| format!("cannot write: {e}"))?;
        out.write_all(b"\n").map_err(write)?;
    }
    Ok(())
}

/// `value` as one JSON line.
fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), String> {
    serde_json::to_writer(&mut *out, value).map_err(|e| format!("cannot write: {e}"))?;
    out.write_all(b"\n").map_err(|e| format!("cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{block_header, id_hash, read_job_line, write_read_line, ReadSummary};

    #[test]
    fn a_block_header_names_its_numbers() {
        assert_eq!(block_header("#block\t2000\t4000"), Some((2000, 4000, false)));
        assert_eq!(block_header("#block\t2000\t4000\tcell"), Some((2000, 4000, true)));
        for bad in
            ["#block\t2000", "#block\t1\t2\t3", "#block\t1\t2\tcell\tcell", "#block\tx\t2", "{\"n\":1}", "#stats\t1\t2"]
        {
            assert_eq!(block_header(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_read_summary_counts_lines_and_hashes_ids_as_python_does() {
        let lines = [
            "{\"id\": \"d0000000\", \"text\": \"one two\", \"source\": \"wire\"}",
            "",
            "{\"text\": \"no id here\", \"source\": \"wire\"}",
            "not json",
            "{\"id\": \"e\", \"text\": \"  \"}",
            "{\"text\": \"\"}",
            "{\"id\": \"caf\u{e9}\", \"text\": \"three\", \"source\": \"Le Monde \\\"LM\\\"\"}",
        ];
        let mut summary = ReadSummary::default();
        let mut out = Vec::new();
        for line in lines {
            let line = read_job_line(line, false);
            summary.count(&line);
            write_read_line(&mut out, line, None).unwrap();
        }
        summary.write(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let last = out.lines().last().unwrap().strip_prefix("#summary\t").unwrap();
        let json: serde_json::Value = serde_json::from_str(last).unwrap();
        assert_eq!(json["lines"], 7);
        assert_eq!(json["docs"], 3);
        assert_eq!(json["empty"], 2);
        assert_eq!(json["bad"], 1);
        assert_eq!(json["shown"][0][0], 3);
        assert_eq!((json["unnamed"].clone(), json["first_unnamed"].clone()), (2.into(), 2.into()));
        assert_eq!(json["unnamed_docs"], serde_json::json!([2]));
        assert_eq!(json["sources"], serde_json::json!({"\"wire\"": 2, "\"Le Monde \\\"LM\\\"\"": 1}));
        assert_eq!(json["bytes"], 7 + 10 + 5);
        // hashlib.blake2b(b"d0000000", digest_size=8).hexdigest() in Python: 8acdead40ee081da.
        let hashes = json["hashes"].as_str().unwrap();
        assert_eq!(hashes.len(), 3 * 16);
        assert_eq!(&hashes[..16], "8acdead40ee081da");
        assert_eq!(&hashes[16..32], "0000000000000000", "no id: the driver hashes the place");
        // hashlib.blake2b("café".encode(), digest_size=8).hexdigest(): 5777a2bd3192d7e3.
        assert_eq!(&hashes[32..], "5777a2bd3192d7e3");
        assert_eq!(id_hash("caf\u{e9}"), u64::from_le_bytes([0x57, 0x77, 0xa2, 0xbd, 0x31, 0x92, 0xd7, 0xe3]));
        assert_eq!(out.lines().count(), 8, "a line per input line, then the summary");
    }
}
