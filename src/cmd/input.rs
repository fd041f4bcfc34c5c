//! The options `scan` and `quotes` share: where the documents come from (and reading them with
//! their diagnostics), and where the results go.

use super::progress::Bars;
use super::{fail, EXIT_OK};
use reprint::corpus::{read_paths, Corpus, Fields, ReadOptions, Severity, DEFAULT_SPILL_OVER_MB};
use reprint::error::Error;
use reprint::progress::{Progress, Unit};
use reprint::report::Format;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Diagnostics printed on stderr before the rest are only counted.
const MAX_DIAGNOSTICS_SHOWN: usize = 50;

/// Where the documents come from and which JSON fields hold what.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// Directories (walked recursively: .txt .md .html .htm .jsonl[.gz|.zst]), JSON Lines files
    /// (plain, .gz or .zst), or - for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// JSON field holding the document id.
    #[arg(long, default_value_t = Fields::default().id, value_name = "NAME")]
    id_field: String,
    /// JSON field holding the text.
    #[arg(long, default_value_t = Fields::default().text, value_name = "NAME")]
    text_field: String,
    /// JSON field holding the source (default: series, then source).
    #[arg(long, value_name = "NAME")]
    source_field: Option<String>,
    /// JSON field holding the date.
    #[arg(long, default_value_t = Fields::default().date, value_name = "NAME")]
    date_field: String,
    /// JSON field holding the title.
    #[arg(long, default_value_t = Fields::default().title, value_name = "NAME")]
    title_field: String,
    /// Skip malformed JSON lines with a warning instead of stopping.
    #[arg(long)]
    skip_bad_lines: bool,
    /// Keep the first document of a repeated id with a warning instead of stopping.
    #[arg(long)]
    dedupe_ids: bool,
}

impl InputArgs {
    fn read_options(&self, spill_over: Option<u64>) -> ReadOptions {
        ReadOptions {
            fields: Fields {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                source: self.source_field.clone(),
                date: self.date_field.clone(),
                title: self.title_field.clone(),
            },
            skip_bad_lines: self.skip_bad_lines,
            dedupe_ids: self.dedupe_ids,
            spill_over,
        }
    }

    /// Reads the corpus with a progress bar and prints its diagnostics on stderr (only errors
    /// when `quiet`). Texts past `spill_over` bytes go to a temporary file (see
    /// [`ReadOptions::spill_over`]). The error is the message for [`super::fail`].
    pub fn read(&self, bars: &Bars, quiet: bool, spill_over: Option<u64>) -> Result<Corpus, Error> {
        bars.start("reading", None, Unit::Bytes);
        let read = read_paths(&self.paths, &self.read_options(spill_over), &|n| bars.advance(n));
        bars.finish();
        let corpus = read?;
        let shown = corpus.diagnostics.iter().filter(|d| !quiet || d.severity == Severity::Error);
        for (i, d) in shown.enumerate() {
            if i == MAX_DIAGNOSTICS_SHOWN {
                eprintln!("reprint: … {} more problems not shown", corpus.diagnostics.len() - i);
                break;
            }
            eprintln!("reprint: {d}");
        }
        Ok(corpus)
    }
}

/// How the work is done: worker threads, and how much text is held in memory.
#[derive(clap::Args, Debug)]
pub struct WorkArgs {
    /// Once the texts read pass this many MB, stop holding them in memory: a plain .jsonl
    /// input's texts are read again from their lines when needed, others go to an unlinked
    /// temporary file in TMPDIR (0: always; not with --format html, which keeps every text).
    #[arg(long, default_value_t = DEFAULT_SPILL_OVER_MB, value_name = "MB")]
    pub spill_over: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

impl WorkArgs {
    /// Bytes of text read before texts leave memory, for output in `format` (`None`: never, for
    /// a format that shows every text; see [`Format::keeps_texts`]).
    pub fn spill_over_bytes(&self, format: Format) -> Option<u64> {
        (!format.keeps_texts()).then_some(self.spill_over.saturating_mul(1_000_000))
    }
}

/// Where results go, and in which format.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write results to FILE instead of stdout (only once the run has succeeded).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<String>,
    /// No progress bars, timing or warnings on stderr (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

impl OutputArgs {
    /// Standard output, or the `--output` file created now; the error is the message for
    /// [`super::fail`].
    pub fn open(&self) -> Result<Box<dyn Write>, Error> {
        Ok(match &self.output {
            None => Box::new(BufWriter::new(io::stdout().lock())),
            Some(path) => {
                Box::new(BufWriter::new(File::create(path).map_err(|e| Error::io(format!("cannot write {path}"), e))?))
            }
        })
    }
}

/// How writing the results ended: `None` when it succeeded; a closed pipe (`| head`) is a normal
/// end, any other error fails the run.
pub fn write_failure(written: io::Result<()>) -> Option<ExitCode> {
    match written {
        Ok(()) => None,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Some(ExitCode::from(EXIT_OK)),
        Err(e) => Some(fail(format!("writing results: {e}"))),
    }
}
