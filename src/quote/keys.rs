//! The words quotes are matched by: the text's tokens, with hyphenated words joined
//! (`co-operation` = `cooperation`), each with its byte span and key.

use crate::text;
use xxhash_rust::xxh3::xxh3_64;

/// A word for quote matching: byte span and key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) byte_start: usize,
    pub(super) byte_end: usize,
    pub(super) key: u64,
}

/// The words of `text`: its tokens, with `a-b` joined into one word whose key is that of `ab`.
pub(super) fn words(text: &str) -> Vec<Word> {
    let toks: Vec<text::Token> = text::tokens(text).collect();
    let bytes = text.as_bytes();
    let mut out: Vec<Word> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        while j + 1 < toks.len()
            && toks[j].byte_end + 1 == toks[j + 1].byte_start
            && bytes[toks[j].byte_end] == b'-'
            && !text[toks[j].byte_start..toks[j].byte_end].bytes().all(|b| b.is_ascii_digit())
        {
            j += 1;
        }
        if j == i {
            out.push(Word { byte_start: toks[i].byte_start, byte_end: toks[i].byte_end, key: toks[i].hash });
        } else {
            let joined: String =
                (i..=j).map(|t| text::normalize(&text[toks[t].byte_start..toks[t].byte_end])).collect();
            out.push(Word {
                byte_start: toks[i].byte_start,
                byte_end: toks[j].byte_end,
                key: xxh3_64(joined.as_bytes()),
            });
        }
        i = j + 1;
    }
    out
}

/// Indices of the words inside `[start, end)` bytes.
pub(super) fn words_in(ws: &[Word], start: usize, end: usize) -> std::ops::Range<usize> {
    let a = ws.partition_point(|w| w.byte_start < start);
    let b = ws.partition_point(|w| w.byte_start < end);
    a..b.max(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_match_their_joined_form() {
        let a = words("co-operation and peace");
        let b = words("cooperation and peace");
        assert_eq!(a.iter().map(|w| w.key).collect::<Vec<_>>(), b.iter().map(|w| w.key).collect::<Vec<_>>());
        assert_eq!(a[0].byte_end, "co-operation".len());
        // Number ranges stay apart.
        assert_eq!(words("1987-88 season").len(), 3);
    }
}
