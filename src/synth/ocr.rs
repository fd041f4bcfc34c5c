//! OCR noise for synthetic corpora: what digitised newspapers look like after a scan, with every
//! character's new place kept so that the truth's offsets can follow.
//!
//! Two passes, each tracking where every input character went:
//!
//! 1. **Layout**: the text is set in a newspaper column `28-44` characters wide. Lines break at
//!    spaces (the space becomes a line break); a word of 6 letters or more that would cross the
//!    column edge is hyphenated half of the time (`exam-` / `ple`), as compositors did. Paragraph
//!    breaks stay. Layout is not counted as character errors.
//! 2. **Recognition errors**: each character is misread with probability `cer`:
//!    - a letter or digit: 50% a confusable glyph (`e`→`c`, `h`→`b`, `l`→`1`, `o`→`0`, `u`→`n`,
//!      `f`→`t`, `rn`↔`m`-style one-to-two confusions, ...; another letter when it has none),
//!      15% dropped, 15% followed by a stray mark (`.`, `,`, `'`, `` ` ``, `^`, `~`, `|`, `-`),
//!      10% a word split after it (a space), 10% read as two glyphs (`m`→`rn`, `w`→`vv`, `d`→`cl`,
//!      `h`→`li`);
//!    - a space or line break: 70% dropped (two words joined), 30% a stray mark before it;
//!    - punctuation: 50% dropped, 50% another mark.
//!
//! [`ocr_noise`] returns, for every input character, the range of output characters it became
//! (empty when dropped), so a span of the clean text maps to the span of what it became.

use super::words::Rng;
use crate::eval::truth::TruthRecord;

/// Where each character of a text went: `ranges[i]` is the output range (code points, end
/// exclusive) that input character `i` became, empty at the place it would have stood when it
/// was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharMap {
    ranges: Vec<(usize, usize)>,
    out_len: usize,
}

impl CharMap {
    /// The output span of the input span `start..end` (code points): from where its first
    /// character went to the end of what its last one became. An empty input span maps to an
    /// empty output span at the same place.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| self.ranges.get(i).map_or(self.out_len, |r| r.0);
        if end <= start {
            return (at(start), at(start));
        }
        let s = at(start);
        let e = self.ranges.get(end - 1).map_or(self.out_len, |r| r.1).max(s);
        (s, e)
    }

    /// This map followed by `next` (a map of this map's output).
    fn then(&self, next: &CharMap) -> CharMap {
        let ranges = self.ranges.iter().map(|&(s, e)| if e > s { next.span(s, e) } else { next.span(s, s) }).collect();
        CharMap { ranges, out_len: next.out_len }
    }
}

const STRAY: [char; 8] = ['.', ',', '\'', '`', '^', '~', '|', '-'];

/// One-glyph confusions seen in OCR output (both directions where the shapes allow).
fn confusable(c: char) -> Option<&'static [char]> {
    Some(match c {
        'e' => &['c', 'o'],
        'c' => &['e', 'o'],
        'o' => &['0', 'c', 'a'],
        'a' => &['o', 's'],
        'h' => &['b', 'k'],
        'b' => &['h', '6'],
        'l' => &['1', 'I', 'i'],
        'i' => &['l', '1', 'j'],
        'I' => &['l', '1'],
        '1' => &['l', 'I'],
        '0' => &['o', 'O'],
        'O' => &['0', 'Q'],
        'u' => &['n', 'v'],
        'n' => &['u', 'r'],
        'f' => &['t'],
        't' => &['f', 'l'],
        'r' => &['n', 'i'],
        's' => &['a', '5'],
        'S' => &['5', '8'],
        'y' => &['v'],
        'v' => &['y', 'u'],
        'g' => &['q', '9'],
        'B' => &['8', 'R'],
        'E' => &['F'],
        'C' => &['G', '('],
        _ => return None,
    })
}

/// One glyph read as two.
fn split_glyph(c: char) -> Option<&'static str> {
    Some(match c {
        'm' => "rn",
        'w' => "vv",
        'd' => "cl",
        'h' => "li",
        'M' => "IV",
        'k' => "lc",
        _ => return None,
    })
}

/// Appends one character to `out`, counting code points.
fn push(out: &mut String, len: &mut usize, c: char) {
    out.push(c);
    *len += 1;
}

/// Sets `text` in a column `width` characters wide, hyphenating long words at the edge half of
/// the time.
fn layout(text: &str, width: usize, rng: &mut Rng) -> (String, CharMap) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut ranges = Vec::with_capacity(chars.len());
    let (mut len, mut col) = (0usize, 0usize);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            ranges.push((len, len + 1));
            push(&mut out, &mut len, c);
            col = 0;
            i += 1;
            continue;
        }
        if c == ' ' {
            // Does the next word fit on this line?
            let word = chars[i + 1..].iter().take_while(|c| !c.is_whitespace()).count();
            if col + 1 + word > width && col > 0 {
                if word >= 6 && col + 4 < width && rng.chance(0.5) {
                    // Hyphenate: the part that fits (at least 2 letters on each side), then `-\n`.
                    let room = (width - col - 2).clamp(2, word - 2);
                    ranges.push((len, len + 1));
                    push(&mut out, &mut len, ' ');
                    for &w in &chars[i + 1..i + 1 + room] {
                        ranges.push((len, len + 1));
                        push(&mut out, &mut len, w);
                    }
                    push(&mut out, &mut len, '-');
                    push(&mut out, &mut len, '\n');
                    col = 0;
                    i += 1 + room;
                    continue;
                }
                ranges.push((len, len + 1));
                push(&mut out, &mut len, '\n');
                col = 0;
                i += 1;
                continue;
            }
        }
        ranges.push((len, len + 1));
        push(&mut out, &mut len, c);
        col += 1;
        i += 1;
    }
    (out, CharMap { ranges, out_len: len })
}

/// Misreads each character of `text` with probability `cer` (see the module documentation).
fn misread(text: &str, cer: f64, rng: &mut Rng) -> (String, CharMap) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut ranges = Vec::with_capacity(chars.len());
    let mut len = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        let start = len;
        if !rng.chance(cer) {
            push(&mut out, &mut len, c);
            ranges.push((start, len));
            continue;
        }
        let roll = rng.unit();
        if c.is_alphanumeric() {
            if roll < 0.5 {
                let sub = match confusable(c) {
                    Some(options) => options[rng.below(options.len())],
                    None if c.is_ascii_lowercase() => (b'a' + rng.below(26) as u8) as char,
                    None if c.is_ascii_uppercase() => (b'A' + rng.below(26) as u8) as char,
                    None => c,
                };
                push(&mut out, &mut len, sub);
                ranges.push((start, len));
            } else if roll < 0.65 {
                ranges.push((start, start));
            } else if roll < 0.8 {
                push(&mut out, &mut len, c);
                ranges.push((start, len));
                push(&mut out, &mut len, STRAY[rng.below(STRAY.len())]);
            } else if roll < 0.9 {
                push(&mut out, &mut len, c);
                ranges.push((start, len));
                // A word split: only inside a word.
                if chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) {
                    push(&mut out, &mut len, ' ');
                }
            } else {
                match split_glyph(c) {
                    Some(two) => two.chars().for_each(|g| push(&mut out, &mut len, g)),
                    None => push(&mut out, &mut len, c),
                }
                ranges.push((start, len));
            }
        } else if c.is_whitespace() {
            if c == '\n' && (chars.get(i + 1) == Some(&'\n') || i > 0 && chars[i - 1] == '\n') {
                // Paragraph breaks survive.
                push(&mut out, &mut len, c);
                ranges.push((start, len));
            } else if roll < 0.7 {
                ranges.push((start, start));
            } else {
                push(&mut out, &mut len, STRAY[rng.below(STRAY.len())]);
                let s = len;
                push(&mut out, &mut len, c);
                ranges.push((s, len));
            }
        } else if roll < 0.5 {
            ranges.push((start, start));
        } else {
            push(&mut out, &mut len, STRAY[rng.below(STRAY.len())]);
            ranges.push((start, len));
        }
    }
    (out, CharMap { ranges, out_len: len })
}

/// OCR noise over a whole generated corpus: every document's text is noised on its own (seeded
/// by `seed` and its line number) and every span of the truth (`passage`, `quote`,
/// `boilerplate` records) is moved to where its characters went. Pair records keep the clean
/// texts' scores. Returns the bytes of noisy text written.
pub fn noise_corpus(
    corpus: &[u8],
    truth: &[u8],
    cer: f64,
    seed: u64,
    out_corpus: &mut dyn std::io::Write,
    out_truth: &mut dyn std::io::Write,
) -> std::io::Result<u64> {
    let mut records: Vec<TruthRecord> = std::str::from_utf8(truth)
        .map_err(std::io::Error::other)?
        .lines()
        .map(|l| serde_json::from_str(l).map_err(std::io::Error::other))
        .collect::<Result<_, _>>()?;
    // Which spans of each document to move: (record, which of its spans).
    let mut wanted: ahash::AHashMap<String, Vec<(usize, usize)>> = ahash::AHashMap::new();
    for (r, rec) in records.iter_mut().enumerate() {
        for (slot, (doc, ..)) in spans_mut(rec).into_iter().enumerate() {
            wanted.entry(doc.to_string()).or_default().push((r, slot));
        }
    }
    let mut bytes = 0u64;
    let text = std::str::from_utf8(corpus).map_err(std::io::Error::other)?;
    for (line, l) in text.lines().enumerate() {
        let mut doc: serde_json::Value = serde_json::from_str(l).map_err(std::io::Error::other)?;
        let clean = doc["text"].as_str().unwrap_or_default().to_string();
        let (noisy, map) = ocr_noise(&clean, cer, seed.wrapping_mul(0x9E37_79B9).wrapping_add(line as u64));
        let id = doc["id"].as_str().unwrap_or_default().to_string();
        for &(r, slot) in wanted.get(&id).map(|v| v.as_slice()).unwrap_or_default() {
            if let Some((_, start, end)) = spans_mut(&mut records[r]).into_iter().nth(slot) {
                (*start, *end) = map.span(*start, *end);
            }
        }
        bytes += noisy.len() as u64;
        doc["text"] = noisy.into();
        serde_json::to_writer(&mut *out_corpus, &doc).map_err(std::io::Error::other)?;
        out_corpus.write_all(b"\n")?;
    }
    for rec in &records {
        serde_json::to_writer(&mut *out_truth, rec).map_err(std::io::Error::other)?;
        out_truth.write_all(b"\n")?;
    }
    out_corpus.flush()?;
    out_truth.flush()?;
    Ok(bytes)
}

/// The spans a truth record gives: for each, the document it is in, its start and its end.
fn spans_mut(rec: &mut TruthRecord) -> Vec<(&str, &mut usize, &mut usize)> {
    match rec {
        TruthRecord::Passage(p) => vec![(&p.a, &mut p.a_start, &mut p.a_end), (&p.b, &mut p.b_start, &mut p.b_end)],
        TruthRecord::Quote(q) => vec![(&q.doc, &mut q.start, &mut q.end)],
        TruthRecord::Boilerplate(f) => vec![(&f.doc, &mut f.start, &mut f.end)],
        TruthRecord::Pair(_) => Vec::new(),
    }
}

/// `text` as OCR might give it back: set in a column and misread at character error rate `cer`
/// (0 to 1), deterministically from `seed`. Returns the noisy text and where each input
/// character went.
pub fn ocr_noise(text: &str, cer: f64, seed: u64) -> (String, CharMap) {
    let mut rng = Rng(seed ^ 0x0C4_0C4_0C4);
    let width = 28 + rng.below(17);
    let (set, first) = layout(text, width, &mut rng);
    let (noisy, second) = misread(&set, cer, &mut rng);
    (noisy, first.then(&second))
}

/// Levenshtein distance of two sequences (for tests: quadratic).
#[cfg(test)]
pub(super) fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The minister said the summit would open a new chapter of cooperation between the two \
        countries, and that trade would double within five years.\n\nHe added: “We have made a colossal leap \
        forward in our development.” Negotiations continue tomorrow in Geneva.";

    fn slice(s: &str, (a, b): (usize, usize)) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn no_errors_keeps_every_character_and_maps_spans_exactly() {
        let (out, map) = ocr_noise(TEXT, 0.0, 3);
        assert_ne!(out, TEXT, "the column layout breaks lines");
        let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
        assert_eq!(letters(&out), letters(TEXT), "layout adds and drops no letter");
        // Every word maps to itself (perhaps hyphenated across a line).
        let chars: Vec<char> = TEXT.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_alphanumeric() {
                let j = (i..chars.len()).find(|&j| !chars[j].is_alphanumeric()).unwrap_or(chars.len());
                let word: String = chars[i..j].iter().collect();
                let got = slice(&out, map.span(i, j)).replace("-\n", "");
                assert_eq!(got, word);
                i = j;
            } else {
                i += 1;
            }
        }
    }

    #[test]
    fn error_rate_is_near_what_was_asked_and_spans_stay_in_bounds() {
        let long = TEXT.repeat(8);
        for cer in [0.02, 0.05, 0.1] {
            // The same seed sets the same column: the errors are the only difference.
            let laid: Vec<char> = ocr_noise(&long, 0.0, 11).0.chars().collect();
            let (out, map) = ocr_noise(&long, cer, 11);
            let got: Vec<char> = out.chars().collect();
            let rate = edit_distance(&laid, &got) as f64 / laid.len() as f64;
            assert!(rate > cer * 0.7 && rate < cer * 1.3, "cer {cer}: {rate}");
            let n = long.chars().count();
            for i in 0..n {
                let (s, e) = map.span(i, i + 1);
                assert!(s <= e && e <= got.len());
            }
        }
    }

    #[test]
    fn same_seed_same_noise() {
        assert_eq!(ocr_noise(TEXT, 0.05, 1), ocr_noise(TEXT, 0.05, 1));
        assert_ne!(ocr_noise(TEXT, 0.05, 1).0, ocr_noise(TEXT, 0.05, 2).0);
    }
}
