//! Letter tokens, for OCR text: every letter or digit is a token of its own, and everything else
//! (spaces, line breaks, punctuation, the hyphen of a word broken at a line end) is dropped.
//!
//! OCR splits and joins words ("C-hina", "tbe  summit" / "thesummit"), breaks them at line ends
//! ("exam-\nple") and strews marks between letters; word tokens then differ although nearly every
//! letter is right. Over letters alone these errors vanish or cost one letter, as in passim's
//! n-grams over text with spaces and punctuation removed. A letter's hash folds what OCR confuses
//! most and what never matters for reuse:
//! - case, and accents (`É` = `e`: NFD's first character when it is an ASCII letter or digit);
//! - the glyphs of one stroke `i`, `l`, `1`, `I`, `|` (all `l`), and `o` / `0` (both `o`).
//!
//! A token's span is its one code point, so letter indices turn into exact character offsets.

use super::Token;
use unicode_normalization::UnicodeNormalization;

/// True when `c` is a letter token (letters, digits, and `|`, which OCR reads for `l` or `I`).
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '|'
    } else {
        c.is_alphanumeric()
    }
}

/// The folded form of letter `c` (see the module documentation), as the token's hash.
#[inline]
pub fn letter_hash(c: char) -> u32 {
    let folded = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        match c.nfd().next() {
            Some(base) if base.is_ascii_alphanumeric() => base.to_ascii_lowercase(),
            _ => c.to_lowercase().next().unwrap_or(c),
        }
    };
    let folded = match folded {
        'i' | '1' | '|' => 'l',
        '0' => 'o',
        other => other,
    };
    folded as u32
}

/// Appends the hash of every letter token of `text` to `out`, in order.
pub fn letter_hashes(text: &str, out: &mut Vec<u32>) {
    out.extend(text.chars().filter(|&c| is_letter(c)).map(letter_hash));
}

/// Where each letter token of `text` stands: `(code point, byte, letter)`, in order, without
/// hashing it (for turning letter indices into offsets).
pub fn letter_positions(text: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
    text.char_indices().enumerate().filter(|(_, (_, c))| is_letter(*c)).map(|(chr, (byte, c))| (chr, byte, c))
}

/// The letter tokens of `text` with their spans (one code point each); `hash` is the folded
/// letter.
pub fn letters(text: &str) -> impl Iterator<Item = Token> + '_ {
    letter_positions(text).map(|(chr, byte, c)| Token {
        char_start: chr,
        char_end: chr + 1,
        byte_start: byte,
        byte_end: byte + c.len_utf8(),
        hash: u64::from(letter_hash(c)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        let mut h = Vec::new();
        letter_hashes(text, &mut h);
        h.into_iter().filter_map(char::from_u32).collect()
    }

    #[test]
    fn ocr_errors_that_only_move_letters_apart_vanish() {
        assert_eq!(folded("exam-\nple"), folded("example"));
        assert_eq!(folded("C-hina's  sum mit"), folded("Chinas summit"));
        assert_eq!(folded("Ilíad 10"), folded("lliad lo"));
        assert_eq!(folded("ÉTÉ"), "ete");
        assert_ne!(folded("the"), folded("tbe"), "a misread letter stays a mismatch");
    }

    #[test]
    fn spans_are_single_code_points_in_the_original() {
        let text = "Ça — va";
        let got: Vec<(usize, usize, usize, usize)> =
            letters(text).map(|t| (t.char_start, t.char_end, t.byte_start, t.byte_end)).collect();
        assert_eq!(got, vec![(0, 1, 0, 2), (1, 2, 2, 3), (5, 6, 8, 9), (6, 7, 9, 10)]);
        let mut h = Vec::new();
        letter_hashes(text, &mut h);
        assert_eq!(h, letters(text).map(|t| t.hash as u32).collect::<Vec<_>>());
    }
}
