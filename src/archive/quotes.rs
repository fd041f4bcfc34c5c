//! Quotes against the archive: which quotations of today's articles were printed before, by
//! whom first, and which of today's articles pick up a quote first printed in the archive.
//!
//! The archive keeps no quotation index: the archived articles that may carry a new article's
//! quotation are found through the passage anchors they share. Winnowing guarantees a shared
//! anchor in every shared run of `anchor_k + winnow - 1` words (6 by default), so every archived
//! article that prints one of today's quotations of that length (marked or not) shares an anchor
//! with the new article. Anchors held by few articles bring all their holders; anchors held by
//! more than `max_df` documents (a quote reprinted everywhere, or a stock phrase) bring their
//! [`EARLIEST_HOLDERS`] earliest archived holders, which is where a quote was first printed.
//! The quotes stage then runs over the new articles and those archived ones together, and keeps
//! the quotes that occur in a new article.

use super::query::new_keys;
use super::{postings::Kind, Archive};
use crate::corpus::{Corpus, Doc, Texts};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::quote::{find_quotes, QuoteConfig, QuoteResult};
use ahash::AHashSet;

/// Archived holders loaded for an anchor held by more than `max_df` documents: the earliest
/// added (an archive is added to day by day, so these are the first printings).
pub const EARLIEST_HOLDERS: usize = 20;

/// What a quotes query found.
pub struct QuotesFound {
    /// The archived documents loaded as possible earlier printings (in archive order), then the
    /// new documents (in input order): the occurrences' `doc` numbers these.
    pub corpus: Corpus,
    /// The quotes with at least one occurrence in a new document, most widely shared first,
    /// numbered from 0; their occurrences in archived documents are included.
    pub result: QuoteResult,
    /// Index of the first new document in `corpus`.
    pub first_new: usize,
    /// Documents in the archive.
    pub archived: usize,
    /// Ids of new documents the archive holds already (their archived versions were left out).
    pub already_archived: Vec<String>,
}

impl Archive {
    /// The quotations the new `docs` (texts from `texts`) share with each other and with the
    /// archive, found with `qcfg`, without adding them.
    pub fn quotes<X: Texts + ?Sized>(
        &self,
        docs: &[Doc],
        texts: &X,
        qcfg: &QuoteConfig,
        progress: &dyn Progress,
    ) -> Result<QuotesFound> {
        let cfg = self.cfg.in_tokens();
        if !cfg.passages {
            return Err(Error::Option(format!(
                "{}: this archive keeps no passage anchors (made with --no-passages), which quotes against it need",
                self.path.display()
            )));
        }
        let (new_texts, keys, _) = new_keys(docs, texts, &cfg);
        let snapshot = self.snapshot()?;
        let (dead, already_archived, archived) = self.left_out(docs)?;
        let max_df = cfg.max_df_docs(archived + docs.len());
        let mut wanted: AHashSet<u32> = AHashSet::new();
        let anchors = keys.iter().flat_map(|k| k.anchors.iter().map(|&h| h as u64));
        for held in self.held(Kind::Anchor, anchors, &dead, max_df.max(EARLIEST_HOLDERS))? {
            let take =
                if held.documents() > max_df { EARLIEST_HOLDERS.min(held.archived.len()) } else { held.archived.len() };
            wanted.extend(&held.archived[..take]);
        }
        let mut wanted: Vec<u32> = wanted.into_iter().collect();
        wanted.sort_unstable();
        let (corpus, _) = self.part_corpus(&wanted, None, docs, new_texts)?;
        drop(snapshot);
        let first_new = corpus.docs.len() - docs.len();
        let mut result = find_quotes(&corpus.docs, &corpus, qcfg, progress);
        result.clusters.retain(|c| c.occurrences.iter().any(|o| o.doc as usize >= first_new));
        for (i, c) in result.clusters.iter_mut().enumerate() {
            c.id = i;
        }
        Ok(QuotesFound { corpus, result, first_new, archived, already_archived })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::OnExisting;
    use crate::config::ScanConfig;
    use crate::corpus::Origin;
    use crate::progress::NoProgress;

    fn doc(id: &str, source: &str, date: &str, text: &str) -> Doc {
        Doc::new(id.into(), Some(source.into()), Some(date.into()), None, text.into(), Origin::default())
    }

    #[test]
    fn a_quote_printed_in_the_archive_is_found_first_there() {
        let quote = "We will not accept any agreement that leaves our farmers without a fair price for their grain";
        let filler = |i: usize| {
            format!("Report number {i} covered the weather, the markets and the local football results today.")
        };
        let mut archived: Vec<Doc> =
            (0..30).map(|i| doc(&format!("old{i}"), "daily", "2026-11-01", &filler(i))).collect();
        archived[7] = doc(
            "old7",
            "courier",
            "2026-11-20",
            &format!("The minister spoke to reporters. “{quote},” said Minister Anna Berg on Friday."),
        );
        archived[12] = doc("old12", "herald", "2026-11-22", &format!("Berg repeated it: “{quote}.” The talks go on."));
        let new = vec![doc(
            "today",
            "tribune",
            "2026-12-03",
            &format!("Farm talks stalled again. “{quote},” Anna Berg told the assembly on Wednesday."),
        )];
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::create(&dir.path().join("a.db"), &ScanConfig::default()).unwrap();
        let old = Corpus { docs: archived, ..Corpus::default() };
        archive.add(&old.docs, &old, OnExisting::Refuse, 10, &|_| {}).unwrap();
        let new = Corpus { docs: new, ..Corpus::default() };
        let found = archive.quotes(&new.docs, &new, &QuoteConfig::default(), &NoProgress).unwrap();
        assert_eq!(found.first_new, 2, "the two archived printings, no filler");
        assert_eq!(found.result.clusters.len(), 1);
        let q = &found.result.clusters[0];
        let ids: Vec<&str> = q.occurrences.iter().map(|o| found.corpus.docs[o.doc as usize].id.as_str()).collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(ids.contains(&"today") && ids.contains(&"old7") && ids.contains(&"old12"), "{ids:?}");
        let first = &q.occurrences[q.first.expect("dated occurrences")];
        assert_eq!(found.corpus.docs[first.doc as usize].id, "old7", "first printed in the archive");
        assert_eq!(q.speaker.as_deref(), Some("Anna Berg"));

        // A quote only the archive prints is not today's business.
        let unrelated = Corpus { docs: vec![doc("x", "tribune", "2026-12-03", &filler(99))], ..Corpus::default() };
        let none = archive.quotes(&unrelated.docs, &unrelated, &QuoteConfig::default(), &NoProgress).unwrap();
        assert!(none.result.clusters.is_empty());
    }
}
