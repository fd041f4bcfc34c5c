//! The words around a quotation, as attribution reads them: case kept, punctuation kept apart.
//!
//! A word is a run of letters and digits that may hold `.`, `-`, `’` or `'` between two of them
//! (`U.S`, `Berzina-Cerenkova`, `Russia’s`), plus a final `.` when the word is an abbreviation
//! (`Mr.`, `V.`, `U.S.`), so that abbreviations do not end sentences. Every other non-space
//! character is an item of its own. Text inside other quotations is one [`Item::Quote`].

/// One item of an attribution window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A word, as written.
    Word(&'a str),
    /// One punctuation character.
    Punct(char),
    /// A whole quotation (its words are someone else's, never an attribution).
    Quote,
    /// A paragraph break.
    Break,
}

impl<'a> Item<'a> {
    /// The word, if this is one.
    pub fn word(self) -> Option<&'a str> {
        match self {
            Item::Word(w) => Some(w),
            _ => None,
        }
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "jr", "sr", "prof", "rev",
    "no", "vs", "u.s", "u.k", "u.n", "e.u", "inc", "corp", "co", "ltd", "jan", "feb", "aug", "sept", "oct", "nov",
    "dec",
];

fn is_abbreviation(word: &str) -> bool {
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_capital || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn inner_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '’' | '\'' | '‑')
}

/// Splits `text[start..end]` into items; `skip` are byte ranges (sorted) shown as one
/// [`Item::Quote`] each. A blank line or a line break followed by indentation is a
/// [`Item::Break`].
pub fn items<'a>(text: &'a str, start: usize, end: usize, skip: &[(usize, usize)]) -> Vec<(usize, Item<'a>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = start;
    // Sorted and apart, so their ends are sorted too: the first that ends past `start` is found
    // by binary search, not by walking every span before it (a document with many quotations
    // asks once per quotation).
    let first = skip.partition_point(|&(_, e)| e <= start);
    let mut skip_iter = skip[first..].iter().copied().take_while(|&(s, _)| s < end).peekable();
    while i < end {
        if let Some(&(s, e)) = skip_iter.peek() {
            if i >= s {
                out.push((s, Item::Quote));
                i = e.max(i + 1);
                skip_iter.next();
                while i < end && !text.is_char_boundary(i) {
                    i += 1;
                }
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if c == '\n' {
            let rest = &bytes[i + 1..end.max(i + 1)];
            let blank = rest.iter().take_while(|&&b| b == b' ' || b == b'\t' || b == b'\r').count();
            if rest.get(blank) == Some(&b'\n') || blank >= 2 {
                out.push((i, Item::Break));
            }
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push((i, Item::Punct(c)));
            i += len;
            continue;
        }
        let word_start = i;
        let mut j = i;
        let limit = skip_iter.peek().map_or(end, |&(s, _)| s.min(end));
        while j < limit {
            let c = text[j..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() || is_combining(c) {
                j += c.len_utf8();
            } else if inner_joiner(c) {
                let after = text[j + c.len_utf8()..limit].chars().next();
                if after.is_some_and(char::is_alphanumeric) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        if j < limit && bytes[j] == b'.' && is_abbreviation(&text[word_start..j]) {
            j += 1;
        }
        out.push((word_start, Item::Word(&text[word_start..j])));
        i = j;
    }
    out
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Whether `word` starts with a capital letter (or is an all-capital abbreviation like `US`).
pub fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `word` is a possessive (`Russia’s`, `Russia's`, `Reuters’`).
pub fn possessive(word: &str) -> bool {
    word.ends_with("’s") || word.ends_with("'s") || word.ends_with("’S") || word.ends_with("'S")
}

/// Whether the item ends a sentence: `.`, `!`, `?` (abbreviations keep their stop inside the word).
pub fn ends_sentence(item: Item) -> bool {
    matches!(item, Item::Punct('.' | '!' | '?') | Item::Break)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_of_a_window_skip_the_spans_that_reach_into_it_and_no_others() {
        let text = "He said “one two,” then “three four” and “five” more words here “six seven” end";
        let spans: Vec<(usize, usize)> = ["“one two,”", "“three four”", "“five”", "“six seven”"]
            .iter()
            .map(|q| {
                let s = text.find(q).unwrap();
                (s, s + q.len())
            })
            .collect();
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            for end in (start..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(3) {
                // Only the spans overlapping the window, given alone, read the same.
                let near: Vec<(usize, usize)> = spans.iter().copied().filter(|&(s, e)| e > start && s < end).collect();
                assert_eq!(items(text, start, end, &spans), items(text, start, end, &near), "{start}..{end}");
            }
        }
    }

    /// The items of `t` (with `skip` shown as quotations) as strings.
    fn words_skip(t: &str, skip: &[(usize, usize)]) -> Vec<String> {
        items(t, 0, t.len(), skip)
            .into_iter()
            .map(|(_, it)| match it {
                Item::Word(w) => w.to_string(),
                Item::Punct(c) => c.to_string(),
                Item::Quote => "Q".into(),
                Item::Break => "¶".into(),
            })
            .collect()
    }

    fn words(t: &str) -> Vec<String> {
        words_skip(t, &[])
    }

    #[test]
    fn abbreviations_names_and_possessives() {
        assert_eq!(
            words("U.S. Secretary Mr. Blinken, Berzina-Cerenkova and Russia’s V. Putin."),
            ["U.S.", "Secretary", "Mr.", "Blinken", ",", "Berzina-Cerenkova", "and", "Russia’s", "V.", "Putin", "."]
        );
    }

    #[test]
    fn quotes_are_one_item_and_paragraphs_break() {
        let t = "He said “x y z” and\n\nthen left.\n    Next";
        let q = (t.find('“').unwrap(), t.find('”').unwrap() + '”'.len_utf8());
        assert_eq!(words_skip(t, &[q]), ["He", "said", "Q", "and", "¶", "then", "left", ".", "¶", "Next"]);
    }
}
