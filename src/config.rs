//! Every option of a scan, with its default, in one place: the CLI fills a [`ScanConfig`] and so
//! does any other front end.

use crate::error::Error;
use serde::{Deserialize, Serialize};

/// Options of the near-duplicate scan. `ScanConfig::default()` is what `reprint scan` uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanConfig {
    /// Words per shingle. 5 is the usual choice for news: long enough that shared shingles mean
    /// shared text, short enough that a changed word only breaks five shingles.
    pub shingle: usize,
    /// MinHash values per signature (128).
    pub perms: usize,
    /// Jaccard similarity (of shingle sets) from which two documents are near-duplicates (0.5).
    pub threshold: f64,
    /// Also report pairs where this share of the smaller document's shingles is inside the
    /// larger one, whatever their Jaccard (`None`: containment search off).
    pub containment: Option<f64>,
    /// Weight of false positives when choosing bands and rows (0.05). See [`crate::neardup::band`].
    pub lsh_fp_weight: f64,
    /// Weight of false negatives when choosing bands and rows (0.95). Candidates are verified
    /// exactly, so a false positive only costs time and the weights favour recall (at the default
    /// threshold, 26 bands of 3 rows).
    pub lsh_fn_weight: f64,
    /// Explicit `(bands, rows)`, overriding the weighted choice.
    pub lsh_bands: Option<(usize, usize)>,
    /// Buckets with more documents than this are clustered through one representative rather
    /// than expanded into all pairs (200).
    pub max_bucket: usize,
    /// One shingle in `containment_scale` is sampled for the containment index (4).
    pub containment_scale: u64,
    /// Sampled shingles found in more documents than this are ignored by the containment index
    /// as boilerplate or stock phrases (1000).
    pub containment_max_df: usize,
    /// Seed of the MinHash permutation.
    pub seed: u64,
    /// Find shared passages (aligned spans) as well as near-duplicate documents.
    pub passages: bool,
    /// Shortest passage reported, in matching words (8). The longest stock phrases shared by the
    /// seed articles are 6-7 words ("US Secretary of State Antony Blinken", "the Carnegie
    /// Endowment for International Peace", "just days after the International Criminal Court");
    /// the shortest real reuse among them, "be a journey of friendship, cooperation and peace",
    /// is 8.
    pub min_words: usize,
    /// Shortest passage reported when it lies outside quotation marks in both documents, in
    /// matching words (12; at most `min_words` treats quoted and unquoted passages alike).
    /// Short reuse that matters in news is a quotation travelling between outlets; short
    /// unquoted overlaps are stock phrases ("a registration statement with the Securities and
    /// Exchange Commission", "Qtly div 10 cts vs 10 cts prior"): see README.
    pub min_unquoted_words: usize,
    /// Anchors held by more documents than this are ignored as boilerplate or stock phrases: a
    /// count when above 1, a share of the corpus when at most 1 (100 documents).
    pub max_df: f64,
    /// Words per anchor shingle (5, the fingerprint's own shingles, hashed once for both).
    pub anchor_k: usize,
    /// Winnowing window in shingles (2): any shared run of `anchor_k + window - 1` = 6 words is
    /// guaranteed a common anchor. A wider window is cheaper but misses edited quotations whose
    /// longest exact run is 6 words (the seeds' "colossal leap forward / ahead").
    pub winnow: usize,
    /// Longest unaligned stretch, in words, bridged inside one passage (30).
    pub max_gap: usize,
    /// X-drop of the extension at passage ends (4).
    pub x_drop: i32,
    /// An anchor found in at least this many documents of one source... (3)
    pub boilerplate_min_docs: usize,
    /// ...and in at least this share of that source's documents (0.2) is that source's
    /// boilerplate: passages made of it are flagged and hidden.
    pub boilerplate_share: f64,
    /// Report boilerplate passages (flagged) instead of hiding them.
    pub show_boilerplate: bool,
    /// Text from OCR: compare letters rather than words, with the settings given here (`None`:
    /// born-digital text, words). See [`OcrConfig`] and [`ScanConfig::ocr_default`].
    pub ocr: Option<OcrConfig>,
}

/// A gap between two aligned stretches longer than this many words splits a passage when it
/// aligns poorly (under a third of its columns matching); shorter gaps are edits inside one
/// passage.
pub const SPLIT_GAP_WORDS: usize = 8;

/// How OCR text is compared (`reprint scan --ocr`; [`ScanConfig::ocr_default`]). Tokens are
/// letters and digits alone ([`crate::text::letters`]: case, accents and the look-alikes
/// `i l 1 |` and `o 0` folded; spaces, punctuation and line-end hyphens dropped), so split,
/// joined and hyphenated words cost nothing and a misread letter costs one letter, not a word.
/// The fingerprint's `shingle` and the anchors, gaps and x-drop below are counted in letters;
/// `min_words`, `min_unquoted_words` and `max_gap` stay in words (a passage's words are counted
/// in its text once placed; a gap of `max_gap` words is taken as `max_gap * letters_per_word`
/// letters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrConfig {
    /// Letters per anchor (10). Both copies of an anchor must be read right: at a 10% character
    /// error rate in each copy, one 10-letter run in eight survives in both (0.9^20), so a
    /// 50-word passage still holds a dozen or more; 25 letters (passim's n-grams) leave it one.
    pub anchor_k: usize,
    /// Winnowing window over letter anchors (3): a shared run of 12 letters is sure to hold a
    /// common anchor.
    pub winnow: usize,
    /// X-drop of the extension at passage ends, in letters (8).
    pub x_drop: i32,
    /// Letters a word is taken to have, for turning `max_gap` into letters (5: English news
    /// averages 4.5-5 letters a word).
    pub letters_per_word: usize,
    /// Gaps between anchors longer than this many letters (about 5 words) split a passage when
    /// they align poorly (24). Shorter gaps are a changed word or two and always bridged.
    pub split_gap: usize,
    /// ...that is, when fewer than this share of their columns match (1/2, where words split
    /// under 1/3). Unrelated text aligned letter by letter matches about half its columns
    /// (letters repeat; words do not); two OCR copies of one text at 10% character errors each,
    /// about four in five. A higher share splits edited passages at a changed word and its
    /// unanchored neighbours.
    pub split_identity: (usize, usize),
    /// Gaps between anchors are aligned only this many letters either side of the straight line
    /// through them (16): OCR drifts a letter or two, an inserted word a few more.
    pub bridge_band: usize,
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            anchor_k: 10,
            winnow: 3,
            x_drop: 8,
            letters_per_word: 5,
            split_gap: 24,
            split_identity: (1, 2),
            bridge_band: 16,
        }
    }
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            shingle: 5,
            perms: 128,
            threshold: 0.5,
            containment: None,
            lsh_fp_weight: 0.05,
            lsh_fn_weight: 0.95,
            lsh_bands: None,
            max_bucket: 200,
            containment_scale: 4,
            containment_max_df: 1000,
            seed: crate::fingerprint::signature::DEFAULT_SEED,
            passages: true,
            min_words: 8,
            min_unquoted_words: 12,
            max_df: 100.0,
            anchor_k: 5,
            winnow: 2,
            max_gap: 30,
            x_drop: 4,
            boilerplate_min_docs: 3,
            boilerplate_share: 0.2,
            show_boilerplate: false,
            ocr: None,
        }
    }
}

impl ScanConfig {
    /// The defaults for OCR text (`reprint scan --ocr`): letters instead of words, shingles of 6
    /// letters and near-duplicates from a letter-shingle Jaccard of 0.2. A misread letter breaks
    /// the 6 shingles holding it, so OCR noise lowers the Jaccard of two copies much as edits do;
    /// 0.2 sits between noisy copies and unrelated articles (BENCHMARKS.md, "OCR text"). Shorter
    /// shingles raise the unrelated; longer ones lose the copies faster than the unrelated.
    pub fn ocr_default() -> Self {
        ScanConfig { shingle: 6, threshold: 0.2, ocr: Some(OcrConfig::default()), ..ScanConfig::default() }
    }

    /// Checks that the options make sense together; the message names the offending option.
    pub fn validate(&self) -> Result<(), Error> {
        if self.shingle == 0 || self.shingle > 16 {
            return Err(Error::Option(format!("--shingle must be between 1 and 16 words, got {}", self.shingle)));
        }
        if self.perms == 0 || self.perms > 4096 {
            return Err(Error::Option(format!("--perms must be between 1 and 4096, got {}", self.perms)));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::Option(format!("--threshold must be in (0, 1], got {}", self.threshold)));
        }
        if let Some(c) = self.containment {
            if !(c > 0.0 && c <= 1.0) {
                return Err(Error::Option(format!("--containment must be in (0, 1], got {c}")));
            }
        }
        if let Some((b, r)) = self.lsh_bands {
            if b == 0 || r == 0 || b * r > self.perms {
                return Err(Error::Option(format!(
                    "--bands x --rows must be at least 1 and at most --perms ({}), got {b} x {r}",
                    self.perms
                )));
            }
        }
        if self.min_words == 0 {
            return Err(Error::Option("--min-words must be at least 1".into()));
        }
        if self.min_unquoted_words == 0 {
            return Err(Error::Option(format!(
                "--min-unquoted-words must be at least 1 (at most --min-words, {}, treats quoted and unquoted passages alike)",
                self.min_words
            )));
        }
        if self.max_df.is_nan() || self.max_df <= 0.0 {
            return Err(Error::Option(format!("--max-df must be above 0, got {}", self.max_df)));
        }
        if self.max_bucket < 2 {
            return Err(Error::Option(format!("--max-bucket must be at least 2, got {}", self.max_bucket)));
        }
        Ok(())
    }

    /// What a token is: letters for OCR text, words otherwise.
    pub fn unit(&self) -> crate::text::TokenUnit {
        match self.ocr {
            Some(_) => crate::text::TokenUnit::Letters,
            None => crate::text::TokenUnit::Words,
        }
    }

    /// The settings the stages run with, every one counted in tokens: this configuration for
    /// words; for OCR text, the anchors, gap and x-drop of [`OcrConfig`] in letters
    /// (`min_words` and `min_unquoted_words` stay in words, checked once a passage is placed:
    /// see [`ScanConfig::min_tokens`]).
    pub fn in_tokens(&self) -> ScanConfig {
        let Some(o) = &self.ocr else { return self.clone() };
        ScanConfig {
            anchor_k: o.anchor_k,
            winnow: o.winnow,
            x_drop: o.x_drop,
            max_gap: self.max_gap * o.letters_per_word,
            ..self.clone()
        }
    }

    /// The fewest matching tokens a passage of `min_words` words can have: `min_words` for
    /// words; for letters, three a word (a floor: the words are counted once the passage is
    /// placed).
    pub fn min_tokens(&self) -> usize {
        match self.ocr {
            Some(_) => self.min_words * 3,
            None => self.min_words,
        }
    }

    /// For OCR text, the MinHash estimate under which an LSH candidate is not verified: four
    /// standard errors of the estimate under the threshold (a pair at the threshold falls there
    /// with probability 3e-5). `None` for words, where every candidate is verified.
    pub fn estimate_floor(&self) -> Option<f64> {
        let t = self.threshold;
        self.ocr.as_ref().map(|_| t - 4.0 * (t * (1.0 - t) / self.perms as f64).sqrt())
    }

    /// The floor for passages outside quotation marks in both documents, in words: `Some` only
    /// when `min_unquoted_words` is above `min_words` (otherwise every passage long enough to be
    /// reported passes it, and quoted and unquoted passages are treated alike).
    pub fn unquoted_floor(&self) -> Option<usize> {
        (self.min_unquoted_words > self.min_words).then_some(self.min_unquoted_words)
    }

    /// `max_df` as a document count for a corpus of `n` documents (at least 2).
    pub fn max_df_docs(&self, n: usize) -> usize {
        let docs = if self.max_df <= 1.0 { (self.max_df * n as f64).ceil() } else { self.max_df.floor() };
        (docs as usize).max(2)
    }

    /// Alignment settings.
    pub fn align_params(&self) -> crate::passage::align::AlignParams {
        let (split_gap, split_identity, bridge_band) = match &self.ocr {
            None => (SPLIT_GAP_WORDS, (1, 3), None),
            Some(o) => (o.split_gap, o.split_identity, Some(o.bridge_band)),
        };
        crate::passage::align::AlignParams {
            anchor_k: self.anchor_k,
            max_gap: self.max_gap,
            x_drop: self.x_drop,
            split_gap,
            split_identity,
            bridge_band,
        }
    }

    /// The banding actually used: explicit bands/rows, or the weighted optimum for the threshold.
    pub fn lsh_params(&self) -> crate::neardup::band::LshParams {
        match self.lsh_bands {
            Some((bands, rows)) => crate::neardup::band::LshParams { bands, rows },
            None => crate::neardup::band::LshParams::optimal(
                self.threshold,
                self.perms,
                self.lsh_fp_weight,
                self.lsh_fn_weight,
            ),
        }
    }
}
