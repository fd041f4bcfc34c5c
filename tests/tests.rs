//! reprint end to end, as one test binary (ripgrep's `tests/tests.rs`): the suite compiles and
//! links once. Each module drives the built `reprint` through one subcommand or concern; `util`
//! runs it and reads its output. A test that needs what this machine may lack (the shared corpora,
//! a browser) is reported as ignored when it is missing (see `build.rs`), never as a silent pass.

mod util;

mod bad_input;
mod bench;
mod eval;
mod html;
mod index;
mod passages;
mod quotes;
mod scan;
