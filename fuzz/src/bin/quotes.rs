//! Quotation extraction and speaker attribution on any text: quotations must lie inside the
//! text on character boundaries, in order, and there is one speaker (or none) per quotation.

use reprint::quote::extract::quotations;
use reprint::quote::speaker::speakers;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let quotes = quotations(&text);
        let mut last = 0;
        for q in &quotes {
            assert!(last <= q.open && q.open <= q.close && q.close <= text.len(), "{quotes:?}");
            assert!(text.is_char_boundary(q.open) && text.is_char_boundary(q.close));
            for &(s, e) in q.fragments.iter().chain(&q.breaks) {
                assert!(q.open <= s && s <= e && e <= q.close, "{q:?}");
                assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            }
            last = q.open;
        }
        let who = speakers(&text, &quotes);
        assert_eq!(who.len(), quotes.len());
    });
}
