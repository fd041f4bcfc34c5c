//! How long-running stages tell a front end how far they are, without knowing how it is shown.
//! The CLI implements [`Progress`] with indicatif bars on stderr; tests and libraries pass
//! [`NoProgress`].

/// Receives progress from pipeline stages. Calls may come from several threads at once.
pub trait Progress: Sync {
    /// A stage starts; `total` is its amount of work in `unit`s, if known.
    fn start(&self, stage: &str, total: Option<u64>, unit: Unit);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// What a stage counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes of input.
    Bytes,
    /// Documents.
    Docs,
    /// Document pairs.
    Pairs,
}

/// Ignores all progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: Option<u64>, _: Unit) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
