//! The `reprint` command: parses the subcommand and hands over to `cmd/<name>.rs`.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: many threads allocate shingle sets and texts at once; glibc's arenas spent about a
/// tenth of a Reuters scan in page faults growing themselves.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Synth(args) => cmd::synth::run(args),
        Command::Quotes(args) => cmd::quotes::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Bench(args) => cmd::bench::run(args),
    }
}
