//! The input options `scan` and `quotes` share, and reading the corpus with its diagnostics.

use super::progress::Bars;
use reprint::corpus::{read_paths, Corpus, Fields, ReadOptions, Severity};
use reprint::progress::{Progress, Unit};

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
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSON field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// JSON field holding the source (default: series, then source).
    #[arg(long, value_name = "NAME")]
    source_field: Option<String>,
    /// JSON field holding the date.
    #[arg(long, default_value = "date", value_name = "NAME")]
    date_field: String,
    /// JSON field holding the title.
    #[arg(long, default_value = "title", value_name = "NAME")]
    title_field: String,
    /// Skip malformed JSON lines with a warning instead of stopping.
    #[arg(long)]
    skip_bad_lines: bool,
    /// Keep the first document of a repeated id with a warning instead of stopping.
    #[arg(long)]
    dedupe_ids: bool,
}

impl InputArgs {
    fn read_options(&self) -> ReadOptions {
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
        }
    }

    /// Reads the corpus with a progress bar and prints its diagnostics on stderr (only errors
    /// when `quiet`). The error is the message for [`super::fail`].
    pub fn read(&self, bars: &Bars, quiet: bool) -> Result<Corpus, String> {
        bars.start("reading", None, Unit::Bytes);
        let read = read_paths(&self.paths, &self.read_options(), &|n| bars.advance(n));
        bars.finish();
        let corpus = read.map_err(|e| e.to_string())?;
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
