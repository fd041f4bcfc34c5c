//! Quoted spans: whether a span of a document lies between quotation marks, for the passage
//! stage, which reports a short passage only when it is quoted on one side at least (short
//! overlaps outside quotation marks are stock phrases; see the README).

#[cfg(doc)]
use super::quotation::is_mark;
use super::quotation::marked;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::OnceLock;

/// Which spans of each document are quoted, found per document the first time one of its
/// passages asks (a document with a stock phrase is in many pairs): the fragments of its
/// [`marked`] quotations, and before them where its first quotation mark may stand. Most stock phrases
/// come before the first quotation of a wire story, and then the text is not read for
/// quotations at all.
pub struct QuotedSpans {
    /// Each document's quotation fragments, in order, once found.
    ranges: Vec<OnceLock<Box<[ByteRange]>>>,
    /// Byte offset of each document's first possible mark ([`first_mark`]), `UNKNOWN` until
    /// needed; capped at `UNKNOWN - 1`, which only makes the check read more.
    first_mark: Vec<AtomicU32>,
}

/// A first mark not looked for yet.
const UNKNOWN: u32 = u32::MAX;

/// A byte range, end exclusive.
pub type ByteRange = (usize, usize);

impl QuotedSpans {
    /// Room for `docs` documents (0 when no passage will ask).
    pub fn new(docs: usize) -> Self {
        QuotedSpans {
            ranges: (0..docs).map(|_| OnceLock::new()).collect(),
            first_mark: (0..docs).map(|_| AtomicU32::new(UNKNOWN)).collect(),
        }
    }

    /// Whether `span` (bytes) of document `d`, whose text is `text`, is quoted: at least half of
    /// its bytes lie inside quotation fragments, without the marks and without an attribution
    /// that breaks a quotation. No quotation can cover part of a span that ends before the
    /// text's first mark.
    pub fn holds(&self, d: u32, text: &str, span: ByteRange) -> bool {
        let cell = &self.first_mark[d as usize];
        let mut first = cell.load(Relaxed);
        if first == UNKNOWN {
            first = first_mark(text.as_bytes()).min(UNKNOWN as usize - 1) as u32;
            cell.store(first, Relaxed);
        }
        (first as usize) < span.1 && is_quoted(self.ranges[d as usize].get_or_init(|| quoted_ranges(text).into()), span)
    }
}

/// Where the first byte of `bytes` that may belong to a quotation mark stands (the length when
/// none does): `"`, a `'` that is not between two ASCII letters or digits (`Xi's` is never a
/// mark), or the first byte of any non-ASCII mark (see [`is_mark`]: `« »`
/// start with 0xC2, `“ ” ‘ ’ „ ‚ ‹ ›` with 0xE2, the CJK marks with 0xE3, `＂` with 0xEF). It
/// may stand earlier than the first mark, never later.
fn first_mark(bytes: &[u8]) -> usize {
    let word = |j: Option<&u8>| j.is_some_and(|b| b.is_ascii_alphanumeric());
    bytes
        .iter()
        .enumerate()
        .position(|(i, &c)| match c {
            b'"' | 0xC2 | 0xE2 | 0xE3 | 0xEF => true,
            b'\'' => !(i > 0 && word(bytes.get(i - 1)) && word(bytes.get(i + 1))),
            _ => false,
        })
        .unwrap_or(bytes.len())
}

/// The byte ranges of `text` quoted between quotation marks (the fragments of [`marked`] quotations:
/// without the marks and without an attribution that breaks a quotation), in order.
fn quoted_ranges(text: &str) -> Vec<ByteRange> {
    marked(text).into_iter().flat_map(|q| q.fragments).collect()
}

/// Whether at least half of the bytes of `span` lie inside the quoted `ranges` (sorted, not
/// overlapping; found by binary search, for documents with very many quotations).
fn is_quoted(ranges: &[ByteRange], span: ByteRange) -> bool {
    let first = ranges.partition_point(|r| r.1 <= span.0);
    let inside: usize =
        ranges[first..].iter().take_while(|r| r.0 < span.1).map(|r| r.1.min(span.1) - r.0.max(span.0)).sum();
    2 * inside >= span.1 - span.0
}

#[cfg(test)]
mod tests {
    use super::{first_mark, is_quoted, quoted_ranges};

    #[test]
    fn quoted_means_half_the_bytes_between_marks_attributions_left_out() {
        let text = "He said “we will not accept it,” the minister added, “ever” and left.";
        let ranges = quoted_ranges(text);
        assert_eq!(ranges.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>(), ["we will not accept it", "ever"]);
        let span = |s: &str| {
            let at = text.find(s).unwrap();
            (at, at + s.len())
        };
        assert!(is_quoted(&ranges, span("we will not accept it")));
        assert!(is_quoted(&ranges, span("He said “we will not accept it")));
        // The attribution between the two fragments is not quoted text.
        assert!(!is_quoted(&ranges, span("the minister added")));
        assert!(!is_quoted(&ranges, span("it,” the minister added, “ever")));
        assert!(!is_quoted(&ranges, span("He said")));
        assert!(!is_quoted(&[], span("He said")));
    }

    #[test]
    fn quoted_ranges_are_sorted_and_apart_as_the_binary_search_needs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
        texts.push("“a ‘b “c” d’ e,” he said, “f\n\n“g” 'h' «i» „j“ \"k".repeat(50));
        let mut seen = 0;
        for text in &texts {
            let ranges = quoted_ranges(text);
            seen += ranges.len();
            assert!(ranges.iter().all(|r| r.0 <= r.1), "{ranges:?}");
            assert!(ranges.windows(2).all(|w| w[0].1 <= w[1].0), "{ranges:?}");
        }
        assert!(seen > 100, "{seen}");
    }

    #[test]
    fn the_first_mark_never_stands_after_a_quotation_opens() {
        assert_eq!(first_mark(b"Xi's plan, the firm's 1990's sales"), 34);
        assert_eq!(first_mark(b"no marks at all"), 15);
        assert_eq!(first_mark("plain, then “quoted”".as_bytes()), 12);
        assert_eq!(first_mark(b"the 'scare' quotes"), 4);
        assert_eq!(first_mark(b"trailing'"), 8);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
        texts.extend(
            ["« bonjour » dit-il", "他说「你好」", "x ＂y＂ z", "„Guten Tag“, sagte er", "it's ‘fine’"]
                .map(String::from),
        );
        for text in &texts {
            let first = first_mark(text.as_bytes());
            let ranges = quoted_ranges(text);
            assert!(ranges.first().is_none_or(|r| r.0 > first), "{text}: {first} {ranges:?}");
            assert!(ranges.is_empty() || first < text.len());
        }
    }
}
