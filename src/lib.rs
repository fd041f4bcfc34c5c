//! reprint finds near-duplicate articles and shared passages across news sources.
//!
//! The folders follow the data:
//! - [`corpus`] reads documents (files, JSON Lines, HTML; bad input named by file and line);
//! - [`text`] cuts them into tokens with their spans (words, or [`text::letters`] for OCR) and
//!   finds what lies between quotation marks;
//! - [`fingerprint`] hashes shingles ([`fingerprint::shingle`]), MinHash signatures
//!   ([`fingerprint::signature`]) and winnowed anchors ([`fingerprint::winnow`]) in one pass;
//! - [`neardup`]: candidate pairs from LSH bands and the containment index, the verified
//!   [`neardup::Pair`], [`neardup::cluster`]s;
//! - [`passage`]: the anchor index, seeds, alignment and boilerplate, giving aligned
//!   [`passage::Passage`]s with character offsets in both documents;
//! - [`quote`]: quotations, their speakers, and the quotes shared across sources;
//! - [`archive`]: a persistent index to ask which new articles reuse archived ones;
//! - [`report`]: one [`report::Report`] per format (table, JSON Lines, JSON, CSV, HTML) for both
//!   the scan and the quotes.
//!
//! [`scan`] runs fingerprint → neardup → passage in order. [`eval`] scores results against truth
//! ([`eval::truth`] is the truth format) and [`synth`] generates corpora with planted reuse.
//! Every option and its default lives in [`config::ScanConfig`] (and [`quote::QuoteConfig`]);
//! every fallible call returns an [`error::Error`]. Stages take and return plain data, so each can
//! be tested, benchmarked or run per partition on its own.

#![warn(missing_docs)]

pub mod archive;
pub mod config;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod fingerprint;
pub mod memory;
pub mod neardup;
pub mod part;
pub mod passage;
pub mod progress;
pub mod quote;
pub mod report;
pub mod scan;
pub mod synth;
pub mod text;

#[cfg(test)]
mod test_rng;
