//! One module per subcommand; each parses its options and wires library stages, nothing more.

pub mod bench;
pub mod eval;
pub mod index;
pub mod input;
pub mod part;
pub mod progress;
pub mod quotes;
pub mod scan;
pub mod synth;

use std::process::ExitCode;

/// Exit status: everything read and reported.
pub const EXIT_OK: u8 = 0;
/// Exit status: results reported, but some input could not be read (see stderr).
pub const EXIT_PARTIAL: u8 = 1;
/// Exit status: bad options or bad input; nothing was written to the output.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Prints `error: message` on stderr and returns [`EXIT_BAD_INPUT`].
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("reprint: error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Sets the number of worker threads (0 = one per core), at most [`MAX_THREADS_PER_CORE`] a
/// core (with a warning unless `quiet`).
pub fn set_threads(n: usize, quiet: bool) -> Result<(), reprint::error::Error> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let most = cores * MAX_THREADS_PER_CORE;
    let n = if n > most {
        if !quiet {
            eprintln!("reprint: warning: --threads {n} is more than {MAX_THREADS_PER_CORE} per core ({cores} cores); using {most}");
        }
        most
    } else {
        n
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .map_err(|e| reprint::error::Error::Option(format!("cannot start {n} threads: {e}")))
}

/// Threads per core at most: past this, threads only cost memory and switching. The output does
/// not depend on the count.
const MAX_THREADS_PER_CORE: usize = 4;
