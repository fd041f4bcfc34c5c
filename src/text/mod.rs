//! Text stage: word tokens with exact spans into the original text, and the normalised form that
//! fingerprints are computed from.
//!
//! A token is a maximal run of word characters (`\w` in the Unicode sense: letters, digits,
//! underscore, and combining marks so that decomposed accents stay inside their word). Scripts
//! written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) fall back to one
//! token per character. Every token carries its span twice: in Unicode code points (`char_start`,
//! `char_end`, what Python's `str` slicing and PAN use) and in UTF-8 bytes (`byte_start`,
//! `byte_end`, for slicing a Rust `&str`). Both are end exclusive.
//!
//! The token's *normalised* form is NFKC followed by lower-casing (so `ﬁ` = `fi`, full-width
//! letters = ASCII, `Putin` = `putin`); the tokenizer only hashes it ([`Token::hash`], xxh3), it
//! never allocates per token. Punctuation (curly or straight quotes, dashes) is never part of a
//! token, so quote and dash variants cannot make two copies differ.

pub mod letters;
pub mod quotation;
pub mod quoted;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64;

/// One word of a document: where it is in the original text and the hash of its normalised form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First code point of the token in the original text.
    pub char_start: usize,
    /// One past the last code point.
    pub char_end: usize,
    /// First byte of the token in the original UTF-8 text.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
    /// xxh3-64 of the NFKC, lower-cased token text (0 from [`token_spans`]).
    pub hash: u64,
}

/// Character classes the tokenizer distinguishes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    /// A character of a script written without spaces: a token on its own.
    Single,
    Other,
}

fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF          // Thai, Lao
        | 0x1000..=0x109F        // Myanmar
        | 0x1780..=0x17FF        // Khmer
        | 0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xF900..=0xFAFF        // CJK compatibility ideographs
        | 0x20000..=0x3134F) // CJK extensions B-G
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if ASCII_WORD_LOWER[c as usize] != 0 { Class::Word } else { Class::Other };
    }
    if is_spaceless_script(c) {
        Class::Single
    } else if c.is_alphanumeric() || is_combining_mark(c) {
        Class::Word
    } else {
        Class::Other
    }
}

/// Iterator over the [`Token`]s of a text, in order. Created by [`tokens`].
pub struct Tokens<'a> {
    text: &'a str,
    byte: usize,
    chr: usize,
    ascii_buf: Vec<u8>,
    norm_buf: String,
    hashing: bool,
}

/// Tokenizes `text`; see the module documentation for what a token is.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, byte: 0, chr: 0, ascii_buf: Vec::with_capacity(64), norm_buf: String::new(), hashing: true }
}

/// The same tokens as [`tokens`], with their spans only (every `hash` is 0): about twice as fast,
/// for turning token indices into offsets.
pub fn token_spans(text: &str) -> Tokens<'_> {
    Tokens { hashing: false, ..tokens(text) }
}

/// What counting token starts over a stretch of ASCII found (see [`skip_ascii_tokens`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsciiSkip {
    /// The wanted token starts at this byte.
    Found(usize),
    /// The stretch ends first: this many tokens start in it, the last at this byte (the token
    /// there may run on past the stretch, into non-ASCII letters).
    Passed(usize, Option<usize>),
}

/// Counts word starts 64 bytes at a time, instead of tokenizing, from byte `from` of `text` (not
/// inside a token) to `ascii_end` (the stretch between must be ASCII), looking for the start of
/// the token `n` tokens on (0: the next token). In ASCII a token start is a word byte after a
/// non-word byte, and code points are bytes: a token found here starts `start - from` code
/// points after `from`.
pub fn skip_ascii_tokens(text: &str, from: usize, ascii_end: usize, mut n: usize) -> AsciiSkip {
    let bytes = text.as_bytes();
    let ascii_end = ascii_end.min(bytes.len());
    let mut base = from;
    let mut prev_word = 0u64;
    let (mut passed, mut last) = (0, None);
    while base < ascii_end {
        let end = (base + 64).min(ascii_end);
        let mut words = 0u64;
        for (i, &b) in bytes[base..end].iter().enumerate() {
            words |= u64::from(ASCII_WORD_LOWER[usize::from(b & 0x7f)] != 0) << i;
        }
        let starts = words & !((words << 1) | prev_word);
        let count = starts.count_ones() as usize;
        if n < count {
            let mut s = starts;
            for _ in 0..n {
                s &= s - 1;
            }
            return AsciiSkip::Found(base + s.trailing_zeros() as usize);
        }
        if starts != 0 {
            last = Some(base + 63 - starts.leading_zeros() as usize);
        }
        n -= count;
        passed += count;
        prev_word = (words >> (end - base - 1)) & 1;
        base = end;
    }
    AsciiSkip::Passed(passed, last)
}

/// Length of the all-ASCII prefix of `text`, in bytes.
pub fn ascii_prefix(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Eight bytes at a time: no byte of a word has its top bit set.
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0x80; 8]));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    at + bytes[at..].iter().position(|&b| b >= 0x80).unwrap_or(bytes.len() - at)
}

/// [`token_spans`] starting at byte `byte` of `text`, which is code point `chr` and not inside a
/// token: the tokens from there on, with spans into the whole text.
pub fn token_spans_from(text: &str, byte: usize, chr: usize) -> Tokens<'_> {
    Tokens { byte, chr, ..token_spans(text) }
}

impl Tokens<'_> {
    fn next_char(&self) -> char {
        // Only called at a char boundary with bytes left, so there is always a next char.
        self.text[self.byte..].chars().next().unwrap_or('\u{FFFD}')
    }

    fn hash_non_ascii(&mut self, start: usize, end: usize) -> u64 {
        if !self.hashing {
            return 0;
        }
        self.norm_buf.clear();
        for c in self.text[start..end].nfkc() {
            if c.is_ascii() {
                self.norm_buf.push(c.to_ascii_lowercase());
            } else {
                self.norm_buf.extend(c.to_lowercase());
            }
        }
        xxh3_64(self.norm_buf.as_bytes())
    }
}

/// For each ASCII byte: its lower-case form if it is a word character, else 0.
const ASCII_WORD_LOWER: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        // Skip to the start of the next token.
        loop {
            if self.byte >= len {
                return None;
            }
            let b = bytes[self.byte];
            if b < 0x80 {
                if ASCII_WORD_LOWER[b as usize] != 0 {
                    break;
                }
                self.byte += 1;
                self.chr += 1;
                continue;
            }
            let c = self.next_char();
            match class(c) {
                Class::Word => break,
                Class::Single => {
                    let (byte_start, char_start) = (self.byte, self.chr);
                    self.byte += c.len_utf8();
                    self.chr += 1;
                    let hash = self.hash_non_ascii(byte_start, self.byte);
                    return Some(Token { char_start, char_end: self.chr, byte_start, byte_end: self.byte, hash });
                }
                Class::Other => {
                    self.byte += c.len_utf8();
                    self.chr += 1;
                }
            }
        }
        let (byte_start, char_start) = (self.byte, self.chr);
        // ASCII run. Tokens already in lower case are hashed in place; only those with capitals
        // are copied (copying every token byte by byte stalls the loads that hash it).
        let mut i = self.byte;
        let mut upper = false;
        while i < len {
            let b = bytes[i];
            if b >= 0x80 || ASCII_WORD_LOWER[b as usize] == 0 {
                break;
            }
            upper |= b.is_ascii_uppercase();
            i += 1;
        }
        self.chr += i - byte_start;
        self.byte = i;
        let ascii_end = i < len && bytes[i] >= 0x80 && class(self.next_char()) == Class::Word;
        if !ascii_end {
            let hash = if !self.hashing {
                0
            } else if upper {
                self.ascii_buf.clear();
                self.ascii_buf.extend(bytes[byte_start..i].iter().map(u8::to_ascii_lowercase));
                xxh3_64(&self.ascii_buf)
            } else {
                xxh3_64(&bytes[byte_start..i])
            };
            return Some(Token { char_start, char_end: self.chr, byte_start, byte_end: i, hash });
        }
        // The word goes on with non-ASCII characters: finish it char by char.
        while self.byte < len {
            let b = bytes[self.byte];
            if b < 0x80 {
                if ASCII_WORD_LOWER[b as usize] == 0 {
                    break;
                }
                self.byte += 1;
            } else {
                let c = self.next_char();
                if class(c) != Class::Word {
                    break;
                }
                self.byte += c.len_utf8();
            }
            self.chr += 1;
        }
        let hash = self.hash_non_ascii(byte_start, self.byte);
        Some(Token { char_start, char_end: self.chr, byte_start, byte_end: self.byte, hash })
    }
}

/// Normalises a whole string the way tokens are normalised (NFKC, lower case) and also unifies
/// curly quotes and dashes with their ASCII forms. Used where text, not just tokens, is compared
/// (quotes, reports); the fingerprints themselves only ever see token hashes.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_skip_lands_on_the_token_tokenizing_reaches() {
        let text = format!("{}caf\u{e9} x", "Word, another_word 12 (and) more. ".repeat(9));
        let end = ascii_prefix(&text);
        assert_eq!(&text[end..end + 2], "\u{e9}");
        let starts: Vec<usize> = token_spans(&text).map(|t| t.byte_start).collect();
        let in_prefix = starts.iter().filter(|&&s| s < end).count();
        for from_token in [0, 1, 17] {
            let from =
                if from_token == 0 { 0 } else { token_spans(&text).nth(from_token - 1).map_or(0, |t| t.byte_end) };
            for n in 0..starts.len() - from_token {
                let want = starts[from_token + n];
                let got = skip_ascii_tokens(&text, from, end, n);
                // The token "café" starts inside the prefix; the last ("x") does not.
                let passed = AsciiSkip::Passed(in_prefix - from_token, Some(starts[in_prefix - 1]));
                assert_eq!(got, if want < end { AsciiSkip::Found(want) } else { passed }, "{n} on from {from_token}");
            }
        }
        assert_eq!(ascii_prefix(""), 0);
        assert_eq!(ascii_prefix("plain"), 5);
        assert_eq!(skip_ascii_tokens("a b", 0, 3, 5), AsciiSkip::Passed(2, Some(2)));
        assert_eq!(skip_ascii_tokens(" , ", 0, 3, 0), AsciiSkip::Passed(0, None));
        // A word running across the edge of a 64-byte block is one token.
        let edge = format!("{} abc", "x".repeat(66));
        assert_eq!(skip_ascii_tokens(&edge, 0, edge.len(), 1), AsciiSkip::Found(67));
    }

    fn words(text: &str) -> Vec<&str> {
        tokens(text).map(|t| &text[t.byte_start..t.byte_end]).collect()
    }

    fn char_slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn spans_only_tokens_are_the_same_tokens() {
        let text = "Ça VA, très-bien — 東京 naïve ﬁne e\u{301}té 42";
        let full: Vec<Token> = tokens(text).collect();
        let spans: Vec<Token> = token_spans(text).collect();
        assert_eq!(full.len(), spans.len());
        for (f, s) in full.iter().zip(&spans) {
            assert_eq!(
                (f.char_start, f.char_end, f.byte_start, f.byte_end),
                (s.char_start, s.char_end, s.byte_start, s.byte_end)
            );
            assert_eq!(s.hash, 0);
        }
    }

    #[test]
    fn splits_on_punctuation_and_space() {
        assert_eq!(
            words("Xi’s visit, “no-limits” friend_ship 2023!"),
            ["Xi", "s", "visit", "no", "limits", "friend_ship", "2023"]
        );
    }

    #[test]
    fn spans_are_exact_in_chars_and_bytes() {
        let text = "Café 🎉 naïve  résumé—ok";
        for t in tokens(text) {
            assert_eq!(char_slice(text, t.char_start, t.char_end), &text[t.byte_start..t.byte_end]);
        }
        assert_eq!(words(text), ["Café", "naïve", "résumé", "ok"]);
    }

    #[test]
    fn combining_marks_stay_inside_the_word() {
        let decomposed = "cafe\u{301} noir";
        assert_eq!(words(decomposed), ["cafe\u{301}", "noir"]);
        let composed = "caf\u{e9} NOIR";
        let a: Vec<u64> = tokens(decomposed).map(|t| t.hash).collect();
        let b: Vec<u64> = tokens(composed).map(|t| t.hash).collect();
        assert_eq!(a, b, "NFKC makes composed and decomposed forms equal");
    }

    #[test]
    fn case_and_compatibility_forms_hash_equal() {
        let a: Vec<u64> = tokens("ＰＵＴＩＮ ﬁnal").map(|t| t.hash).collect();
        let b: Vec<u64> = tokens("putin final").map(|t| t.hash).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn ideographs_are_single_tokens() {
        assert_eq!(words("习近平访问ok"), ["习", "近", "平", "访", "问", "ok"]);
    }

    #[test]
    fn empty_and_punctuation_only_have_no_tokens() {
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("  \n\t…—!!\0\0").count(), 0);
    }

    #[test]
    fn long_and_mixed_tokens() {
        let long = "A".repeat(100);
        let text = format!("{long} naïveTÉ x");
        assert_eq!(words(&text), [long.as_str(), "naïveTÉ", "x"]);
        let a: Vec<u64> = tokens(&text).map(|t| t.hash).collect();
        let b: Vec<u64> = tokens(&text.to_lowercase()).map(|t| t.hash).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn nul_bytes_separate_words() {
        assert_eq!(words("a\0b"), ["a", "b"]);
    }

    #[test]
    fn normalize_unifies_quotes_and_dashes() {
        assert_eq!(normalize("“Xi’s” — Ｘ"), "\"xi's\" - x");
    }
}

/// What the pipeline counts as one token: words (clean, born-digital text) or letters (OCR text;
/// see [`letters`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenUnit {
    /// Word tokens ([`tokens`]).
    #[default]
    Words,
    /// Letter tokens ([`letters::letters`]).
    Letters,
}

impl TokenUnit {
    /// Appends the 32-bit hash of every token of `text` to `out`, in order: what shingles,
    /// anchors and alignment are computed from.
    pub fn hashes(self, text: &str, out: &mut Vec<u32>) {
        match self {
            TokenUnit::Words => out.extend(tokens(text).map(|t| t.hash as u32)),
            TokenUnit::Letters => letters::letter_hashes(text, out),
        }
    }
}
