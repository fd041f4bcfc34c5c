//! The tokenizers: word tokens (hashed and spans only), letter tokens, and the spans the
//! passage stage counts. Every span must slice the text on character boundaries, in order, and
//! the two word tokenizers must agree.

use reprint::text::letters::{letter_hashes, letters};
use reprint::text::{token_spans, tokens};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let chars = text.chars().count();
        let words: Vec<_> = tokens(&text).collect();
        let spans: Vec<_> = token_spans(&text).collect();
        assert_eq!(words.len(), spans.len());
        let mut last = 0;
        for (w, s) in words.iter().zip(&spans) {
            assert_eq!((w.char_start, w.char_end, w.byte_start, w.byte_end), (s.char_start, s.char_end, s.byte_start, s.byte_end));
            assert!(w.byte_start >= last && w.byte_start < w.byte_end && w.char_end <= chars);
            assert!(text.is_char_boundary(w.byte_start) && text.is_char_boundary(w.byte_end));
            assert_eq!(text[..w.byte_start].chars().count(), w.char_start);
            last = w.byte_end;
        }
        let mut hashes = Vec::new();
        letter_hashes(&text, &mut hashes);
        let spans: Vec<_> = letters(&text).collect();
        assert_eq!(hashes.len(), spans.len());
        for t in &spans {
            assert_eq!(text[t.byte_start..t.byte_end].chars().count(), 1);
        }
    });
}
