//! One module per subcommand; each parses its options and wires library stages, nothing more.

pub mod bench;
pub mod eval;
pub mod input;
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

/// Sets the number of worker threads (0 = one per core).
pub fn set_threads(n: usize) -> Result<(), String> {
    rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| format!("cannot start {n} threads: {e}"))
}
