//! The `reprint` command: parses the subcommand and hands over to `cmd/<name>.rs`.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: many threads allocate shingle sets and texts at once; glibc's arenas spent about a
/// tenth of a Reuters scan in page faults growing themselves.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the enum of `mimalloc.h`, between the two neighbours that
/// libmimalloc-sys names; checked below at compile time).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(libmimalloc_sys::mi_option_use_numa_nodes == MI_OPTION_PURGE_DELAY + 1);

/// Keeps freed memory for reuse instead of handing it back to the OS 10 ms later (mimalloc's
/// default). A scan allocates in waves (token hashes, then anchors, then the index, then seeds);
/// returning each wave's pages only to fault fresh zeroed ones in for the next makes the kernel
/// zero pages over and over, at the cost of some peak memory (BENCHMARKS.md, "Measurements behind
/// design choices"). Setting `MIMALLOC_PURGE_DELAY` (milliseconds) in the environment takes
/// precedence.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets one integer option before any thread is started; mimalloc reads it on purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Find near-duplicate articles and shared passages across news sources.
#[derive(Parser)]
#[command(name = "reprint", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find near-duplicate articles (and, with --containment, articles inside others).
    Scan(cmd::scan::Args),
    /// Write a synthetic news corpus with planted near-duplicates and its truth.
    Synth(cmd::synth::Args),
    /// Quotations shared across sources: variants, speakers, first appearance.
    Quotes(cmd::quotes::Args),
    /// Score results against truth: pairs, clusters (ARI), passages (PAN measures).
    Eval(cmd::eval::Args),
    /// Synth + scan + eval at one or more corpus sizes: speed, memory, accuracy, growth plot.
    Bench(cmd::bench::Args),
    /// A persistent archive: add each day's articles, ask which reuse archived ones.
    #[command(subcommand)]
    Index(cmd::index::Command),
    /// The tasks of a cluster job (run by the Spark driver in spark/, not by hand).
    #[command(subcommand, hide = true)]
    Part(cmd::part::Command),
}

/// `reprint ARGS` parsed by the real command line, for the subcommands' tests.
#[cfg(test)]
fn parse(args: &[&str]) -> Command {
    Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}")).command
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Synth(args) => cmd::synth::run(args),
        Command::Quotes(args) => cmd::quotes::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Index(command) => cmd::index::run(command),
        Command::Part(command) => cmd::part::run(command),
    }
}
