//! What is planted in a synthetic article besides its own words: copied passages, an outlet's
//! footer, and travelling quotes.

use super::words::{capitalise, Body, Generator, FIRST, LAST};
use super::SynthStats;

/// A statement in circulation: its number, words and speaker.
pub(super) struct Statement {
    pub(super) id: usize,
    pub(super) words: Vec<String>,
    pub(super) first: usize,
    pub(super) last: usize,
}

/// How many recent statements later articles quote from.
pub(super) const STATEMENTS: usize = 64;

/// A passage to plant: from which recent article, which words (flat indices), which were changed.
pub(super) struct Planted {
    pub(super) from: usize,
    pub(super) first: usize,
    pub(super) words: Vec<String>,
    pub(super) edits: usize,
    pub(super) paragraph: usize,
}

/// Outlet `s`'s footer: a menu, a sign-off and a legal line, the same under each of its articles.
pub(super) fn footer(g: &mut Generator, s: usize) -> String {
    let words: Vec<String> = (0..4).map(|_| capitalise(g.vocab.word(&mut g.rng))).collect();
    format!(
        "Home | World | {} | {} | Sport | Contact\nFollow Outlet{s:02} on social media. Subscribe to the {} {} newsletter.\n\u{00A9} 2024 Outlet{s:02}. All rights reserved. Privacy policy. Terms of use.",
        words[0], words[1], words[2], words[3]
    )
}

/// A quote planted in the current article: which statement, in which paragraph, how printed.
pub(super) struct PlantedQuote {
    pub(super) id: usize,
    pub(super) paragraph: usize,
    pub(super) words: usize,
    pub(super) quoted: bool,
    pub(super) speaker: String,
    pub(super) edits: usize,
}

/// Puts a travelling quote into `body` as a paragraph of its own: a new statement (40% of the
/// time, or when none is in circulation) or a recent one, perhaps with one or two words changed,
/// attributed by surname only (25%) or printed without quotation marks (20%).
pub(super) fn plant_quote(
    g: &mut Generator,
    statements: &mut std::collections::VecDeque<Statement>,
    body: &mut Body,
    stats: &mut SynthStats,
) -> Option<PlantedQuote> {
    let fresh = statements.is_empty() || g.rng.chance(0.4);
    if fresh {
        let n = 10 + g.rng.below(16);
        let words = (0..n).map(|_| g.vocab.word(&mut g.rng).to_string()).collect();
        statements.push_back(Statement { id: stats.quotes, words, first: g.rng.below(16), last: g.rng.below(16) });
        stats.quotes += 1;
        if statements.len() > STATEMENTS {
            statements.pop_front();
        }
    }
    let k = if fresh { statements.len() - 1 } else { g.rng.below(statements.len()) };
    let st = &statements[k];
    let mut words = st.words.clone();
    let mut edits = 0;
    if !fresh && g.rng.chance(0.3) {
        // One or two distinct interior words, each really changed, so `edits` is exact.
        let wanted = 1 + g.rng.below(2);
        let mut touched = Vec::new();
        for _ in 0..32 {
            if touched.len() == wanted {
                break;
            }
            let at = 2 + g.rng.below(words.len() - 4);
            let new = g.vocab.word(&mut g.rng).to_string();
            if !touched.contains(&at) && new != words[at] {
                words[at] = new;
                touched.push(at);
            }
        }
        edits = touched.len();
    }
    let (first, last) = (FIRST[st.first].to_string(), LAST[st.last].to_string());
    let speaker = format!("{first} {last}");
    let quoted = fresh || !g.rng.chance(0.2);
    let n = words.len();
    words[0] = capitalise(&words[0]);
    let mut para: Vec<String> = Vec::with_capacity(n + 4);
    if quoted {
        para.extend(words);
        para[0] = format!("\u{201C}{}", para[0]);
        para[n - 1] = format!("{},\u{201D}", para[n - 1]);
        para.push("said".into());
        if g.rng.chance(0.25) {
            para.push(format!("{last}."));
        } else {
            para.push(first);
            para.push(format!("{last}."));
        }
    } else {
        para.push(first);
        para.push(last);
        para.push("said".into());
        words[0] = words[0].to_lowercase();
        para.extend(words);
        let end = para.len() - 1;
        para[end].push('.');
    }
    let paragraph = g.rng.below(body.len() + 1);
    body.insert(paragraph, para);
    stats.quote_occurrences += 1;
    Some(PlantedQuote { id: st.id, paragraph, words: n, quoted, speaker, edits })
}
