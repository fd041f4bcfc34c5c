//! reprint finds near-duplicate articles and shared passages across news sources.
//!
//! The modules follow the data:
//! [`corpus`] (read documents) → [`text`] (tokens with spans) → [`shingle`] and [`signature`]
//! (fingerprints, computed together by [`fingerprint`]) → [`band`] and [`containment`]
//! (candidate pairs) → [`scan`] (exact verification, [`cluster`]s) → [`report`] (table, JSON
//! Lines, JSON, CSV). Shared passages branch off after fingerprinting: [`anchor`] (winnowed
//! anchors and their index, [`boilerplate`] found there) → [`seed`] (the pairs sharing anchors,
//! one first document at a time) → [`align`] (spans over word hashes) → [`passage`] (character
//! offsets and text). Quotations have their own path: [`quote`]. Every option and its default
//! lives in [`config::ScanConfig`]. Stages take and return plain data, so each can be tested,
//! benchmarked or run per partition on its own.

#![warn(missing_docs)]

pub mod config;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod fingerprint;
pub mod memory;
pub mod neardup;
pub mod passage;
pub mod progress;
pub mod quote;
pub mod report;
pub mod scan;
pub mod synth;
pub mod text;

#[cfg(test)]
mod test_rng;
