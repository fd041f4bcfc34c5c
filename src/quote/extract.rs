//! Finding quotations: the spans of a text between quotation marks ([`crate::text::quotation`]),
//! with quotations broken by an attribution (`“…,” he said, “…”`) joined into one quotation with
//! two fragments when the first ends with a comma and the words between are a short clause in the
//! same sentence, or a short clause ending the sentence before a quotation that carries on
//! (`“…,” he said. “…”`) without an attribution of its own.

use super::lexicon::is_verb;
use crate::text::quotation::marked;
pub use crate::text::quotation::{is_mark, RawQuote};

/// Longest attribution (in bytes) between two fragments of one broken quotation.
const MAX_BREAK_BYTES: usize = 80;

/// Most words in an attribution between two fragments of one broken quotation.
const MAX_BREAK_WORDS: usize = 8;

/// The quotations of `text`, in order, broken ones joined.
pub fn quotations(text: &str) -> Vec<RawQuote> {
    join_broken(text, marked(text))
}

/// Joins `“…,” he said, “…”`: a closed quotation ending in a comma, then a short attribution
/// (at most [`MAX_BREAK_WORDS`] words, one a verb of saying) with no sentence end or line
/// break, then the next quotation.
fn join_broken(text: &str, quotes: Vec<RawQuote>) -> Vec<RawQuote> {
    let mut out: Vec<RawQuote> = Vec::with_capacity(quotes.len());
    for q in quotes {
        if let Some(last) = out.last_mut() {
            let gap = &text[last.close.min(q.open)..q.open];
            let inner_end = text[..last.close].trim_end_matches(|c: char| is_mark(c));
            let ends_with_comma = last.closed && inner_end.trim_end().ends_with(',');
            let words: Vec<&str> = gap.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            // `“…,” he said. “…”`: the attribution ends the sentence and the next quotation
            // carries on, unless it has an attribution of its own (`“…,” said another`).
            let next_inner = text[..q.close].trim_end_matches(|c: char| is_mark(c)).trim_end();
            let continued = gap.trim_end().strip_suffix('.').filter(|_| q.closed && !next_inner.ends_with(','));
            let (clause_gap, sentence_end) = match continued {
                Some(g) => (g, true),
                None => (gap, false),
            };
            let clause = gap.len() <= MAX_BREAK_BYTES
                && !clause_gap.contains(['\n', '.', '!', '?', ';'])
                && !(sentence_end && (gap.contains('\n') || clause_gap.contains(',')))
                && words.len() <= MAX_BREAK_WORDS
                && !words.first().is_some_and(|w| matches!(*w, "and" | "but" | "or" | "while"))
                && words.iter().any(|w| is_verb(w) || *w == "according");
            if ends_with_comma && clause {
                last.breaks.push((last.close, q.open));
                last.fragments.extend(q.fragments);
                last.close = q.close;
                last.closed = q.closed;
                continue;
            }
        }
        out.push(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::quotation::{quotations_skipping, MIN_SKIP};

    #[test]
    fn skipping_plain_ascii_finds_what_walking_every_character_finds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
        // Pieces that stress the state a skip jumps over: marks at run edges, apostrophes, line
        // starts, blank lines, broken quotations, non-ASCII spaces and marks.
        let pieces = [
            "He said \"the plan is fine,\" the minister added, \"and will stay.\" ",
            "Xi's plan isn't 'new' at all ",
            "\n\n\"A paragraph opens\n\"and continues\" ",
            "« bonjour » dit-il, „Guten Tag“ ",
            "a\u{a0}\"spaced\"\u{2003}b ",
            "plain words running on without any mark for a good while ",
            "'90s rock'n'roll \r\n  indented line ",
            "“unclosed at the end",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..12 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(quotations_skipping(t, MIN_SKIP), quotations_skipping(t, usize::MAX), "{t}");
            assert_eq!(quotations_skipping(t, 1), quotations_skipping(t, usize::MAX), "{t}");
        }
    }

    fn texts(text: &str) -> Vec<String> {
        quotations(text)
            .iter()
            .map(|q| q.fragments.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>().join(" | "))
            .collect()
    }

    #[test]
    fn curly_straight_and_guillemets() {
        assert_eq!(texts("He said “hello there” and left."), ["hello there"]);
        assert_eq!(texts("He said \"hello there\" and left."), ["hello there"]);
        assert_eq!(texts("Il a dit « bonjour à tous » hier."), ["bonjour à tous"]);
        assert_eq!(texts("Er sagte „guten Morgen“ gestern."), ["guten Morgen"]);
        assert_eq!(texts("She called it ‘a farce’ today."), ["a farce"]);
        assert_eq!(texts("She called it 'a farce' today."), ["a farce"]);
        assert_eq!(texts("他说「我们会继续努力」然后离开。"), ["我们会继续努力"]);
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(texts("Xi’s visit and Russia's war, don't worry, the '90s."), Vec::<String>::new());
        assert_eq!(texts("the students’ union said ‘we won’t go’ loudly"), ["we won’t go"]);
    }

    #[test]
    fn mixed_marks_from_the_seeds() {
        // seed 001 opens with “ and closes with "; seed 000 closes with “.
        let t = "deepen “no-limits friendship\" with Russian President Vladimir Putin";
        assert_eq!(texts(t), ["no-limits friendship"]);
        let t = "Medvedev explained: “Let’s imagine – all our missiles etc. – would fly to the Chancellor’s Office.“\n\nSince Russia";
        assert_eq!(texts(t), ["Let’s imagine – all our missiles etc. – would fly to the Chancellor’s Office"]);
    }

    #[test]
    fn quotes_inside_quotes_stay_in_the_outer_one() {
        let t = "\"China has made a leap - the Russian side is 'even a little jealous,'\" Putin joked.";
        assert_eq!(texts(t), ["China has made a leap - the Russian side is 'even a little jealous,'"]);
        let t = "“He told me ‘never’ and “left” at once,” she said.";
        assert_eq!(texts(t), ["He told me ‘never’ and “left” at once"]);
    }

    #[test]
    fn broken_by_attribution_is_one_quote() {
        let t = "“We believe it can be the basis. However,” he added, “so far we see no readiness.”";
        assert_eq!(texts(t), ["We believe it can be the basis. However | so far we see no readiness"]);
        // The attribution ends the sentence and the quotation carries on: still one.
        let t = "“That is not good,” Cha said. “It will just continue.”";
        assert_eq!(texts(t), ["That is not good | It will just continue"]);
        // Two quotations each with its own attribution, a new paragraph, a long gap: apart.
        let t = "“That is not good,” Cha said. “It will just continue,” Lee said.";
        assert_eq!(texts(t), ["That is not good", "It will just continue"]);
        let t = "“That is not good,” Cha said.\n\n“It will just continue.”";
        assert_eq!(texts(t), ["That is not good", "It will just continue"]);
        let t = "“That is not good.” Cha said so. “It will just continue.”";
        assert_eq!(texts(t), ["That is not good", "It will just continue"]);
        let t = "“That is not good,” Cha said, and the talks ended. “It will just continue.”";
        assert_eq!(texts(t), ["That is not good", "It will just continue"]);
    }

    #[test]
    fn multi_paragraph_quote() {
        let t = "He said: “The first paragraph goes on.\n\n“The second one too.\n\n“And the last one ends.” Then.";
        assert_eq!(texts(t), ["The first paragraph goes on | The second one too | And the last one ends"]);
    }

    #[test]
    fn wrapped_lines_stay_in_one_quote() {
        let t = "    \"We are not going to\nraise prices this year,\" the\ncompany said.";
        assert_eq!(texts(t), ["We are not going to\nraise prices this year"]);
    }

    #[test]
    fn unclosed_marks_end_at_the_paragraph() {
        let t = "He said “this never closes.\n\nNext paragraph “is fine” here.";
        let qs = quotations(t);
        assert_eq!(texts(t), ["this never closes", "is fine"]);
        assert!(!qs[0].closed && qs[1].closed);
        // A fresh mark on a later line ends the stray one.
        let t = "A stray “mark here\nand “a real quote” there.";
        assert_eq!(texts(t), ["mark here", "a real quote"]);
    }

    #[test]
    fn punctuation_only_and_empty_quotes_are_dropped() {
        assert_eq!(texts("He said “” and “ ” and “...” then, “?!” too."), ["?!"]);
    }

    #[test]
    fn thousands_of_unclosed_marks_are_linear_and_safe() {
        let t = "“a ".repeat(20_000);
        let qs = quotations(&t);
        assert!(qs.len() <= 20_000);
        for q in &qs {
            for &(s, e) in &q.fragments {
                assert!(s <= e && e <= t.len() && t.is_char_boundary(s) && t.is_char_boundary(e));
            }
        }
    }

    /// The quoted texts of `text`, fragments joined by a space.
    fn quoted(text: &str) -> Vec<String> {
        quotations(text)
            .iter()
            .map(|q| q.fragments.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn quotation_marks_of_other_languages() {
        assert_eq!(quoted("Il a déclaré : « Nous ne céderons rien. »"), ["Nous ne céderons rien"]);
        assert_eq!(quoted("Er sagte: „Wir werden helfen.“ Dann ging er."), ["Wir werden helfen"]);
        assert_eq!(quoted("»Das ist ein schwarzer Tag«, sagte sie."), ["Das ist ein schwarzer Tag"]);
        assert_eq!(quoted("Dijo: «No daremos un paso atrás»."), ["No daremos un paso atrás"]);
        // Chinese sets no spaces: a mark opens after a full-width colon or a letter.
        assert_eq!(quoted("汪文斌表示：“中方愿意推动局势缓和。”他还说"), ["中方愿意推动局势缓和"]);
        assert_eq!(quoted("他说“我们会努力”。"), ["我们会努力"]);
        // Japanese corner brackets, the double ones too, between letters.
        assert_eq!(quoted("首相は「全力で取り組む」と述べた。"), ["全力で取り組む"]);
        assert_eq!(quoted("関係者によると、『制度は来年始まる』という。"), ["制度は来年始まる"]);
    }
}
