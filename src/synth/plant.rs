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
    /// Tokens of the paragraph holding the first and the last quoted word.
    pub(super) tokens: (usize, usize),
    /// Characters of the first token before the first quoted word (an opening mark), and of the
    /// last token after the last one (`,”`, `.”` or `.`).
    pub(super) trim: (usize, usize),
    pub(super) quoted: bool,
    /// Whether an attribution stands between two pieces of the quotation.
    pub(super) split: bool,
    pub(super) speaker: String,
    pub(super) edits: usize,
}

/// Phrases every outlet prints now and then, quoted or not, in articles that quote nobody in
/// particular ("of economic partnership"); some statements contain one. They are what chains
/// unrelated articles into a quote's cluster when grouping follows short shared runs.
pub(super) struct StockPhrases(Vec<Vec<String>>);

/// How many stock phrases circulate.
const STOCK_PHRASES: usize = 24;

impl StockPhrases {
    /// Draws the phrases (3 to 6 words) from their own generator, so that drawing them changes
    /// nothing else in the corpus.
    pub(super) fn new(g: &Generator, seed: u64) -> Self {
        let mut rng = super::words::Rng(seed ^ 0x0057_0CC9_A5E5);
        StockPhrases(
            (0..STOCK_PHRASES)
                .map(|_| (0..3 + rng.below(4)).map(|_| g.vocab.word(&mut rng).to_string()).collect())
                .collect(),
        )
    }
}

/// Puts a stock phrase into `body` as a paragraph of its own, between quotation marks (half the
/// time) or not, amid words of the article's own: an article that quotes no planted statement.
pub(super) fn plant_stock_phrase(g: &mut Generator, stock: &StockPhrases, body: &mut Body) -> usize {
    let phrase = &stock.0[g.rng.below(stock.0.len())];
    let mut para: Vec<String> = (0..2 + g.rng.below(4)).map(|_| g.vocab.word(&mut g.rng).to_string()).collect();
    para[0] = capitalise(&para[0]);
    let quoted = g.rng.chance(0.5);
    let at = para.len();
    para.extend(phrase.iter().cloned());
    if quoted {
        para[at] = format!("\u{201C}{}", para[at]);
        let last = para.len() - 1;
        para[last].push('\u{201D}');
    }
    para.extend((0..1 + g.rng.below(4)).map(|_| g.vocab.word(&mut g.rng).to_string()));
    let last = para.len() - 1;
    para[last].push('.');
    let paragraph = g.rng.below(body.len() + 1);
    body.insert(paragraph, para);
    paragraph
}

/// Whether the first name is a woman's (for "she said").
fn is_woman(first: usize) -> bool {
    matches!(FIRST[first], "Maria" | "Olga" | "Sofia" | "Priya" | "Amara" | "Elena" | "Grace" | "Fatima")
}

/// Puts a travelling quote into `body` as a paragraph of its own: a new statement (40% of the
/// time, or when none is in circulation; 30% of new ones contain a stock phrase) or a recent one,
/// perhaps with one or two words changed, printed without quotation marks (20%) or quoted:
/// attributed by surname only (25%), split by its attribution (25% of those long enough), or with
/// a confuser near it (30%): another person named after the speaker or before, the speaker named
/// in the sentence before and "he said", or a phrase of it in single quotation marks.
pub(super) fn plant_quote(
    g: &mut Generator,
    statements: &mut std::collections::VecDeque<Statement>,
    stock: &StockPhrases,
    body: &mut Body,
    stats: &mut SynthStats,
) -> Option<PlantedQuote> {
    let fresh = statements.is_empty() || g.rng.chance(0.4);
    if fresh {
        let n = 10 + g.rng.below(16);
        let mut words: Vec<String> = (0..n).map(|_| g.vocab.word(&mut g.rng).to_string()).collect();
        if g.rng.chance(0.3) {
            let phrase = &stock.0[g.rng.below(stock.0.len())];
            let at = g.rng.below(n + 1);
            words.splice(at..at, phrase.iter().cloned());
        }
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
    let woman = is_woman(st.first);
    let speaker = format!("{first} {last}");
    // Someone else, with another surname.
    let other = {
        let l = (st.last + 1 + g.rng.below(LAST.len() - 1)) % LAST.len();
        format!("{} {}", FIRST[g.rng.below(FIRST.len())], LAST[l])
    };
    let quoted = fresh || !g.rng.chance(0.2);
    let n = words.len();
    words[0] = capitalise(&words[0]);
    let mut para: Vec<String> = Vec::with_capacity(n + 12);
    let mut split = false;
    let (tokens, trim);
    if !quoted {
        para.push(first);
        para.push(last);
        para.push("said".into());
        words[0] = words[0].to_lowercase();
        para.extend(words);
        let end = para.len() - 1;
        para[end].push('.');
        tokens = (3, end);
        trim = (0, 1);
    } else {
        let form = g.rng.below(100);
        let confuser = g.rng.below(4);
        let quote = |para: &mut Vec<String>, ws: &[String], close: &str| -> (usize, usize) {
            let a = para.len();
            para.extend(ws.iter().cloned());
            para[a] = format!("\u{201C}{}", para[a]);
            let b = para.len() - 1;
            para[b].push_str(close);
            (a, b)
        };
        if form < 25 && n >= 8 {
            // “First part,” said First Last. “Second part.”
            split = true;
            let cut = 3 + g.rng.below(n - 5);
            let (a, _) = quote(&mut para, &words[..cut], ",\u{201D}");
            para.push("said".into());
            para.push(first);
            para.push(format!("{last}."));
            let (_, b) = quote(&mut para, &words[cut..], ".\u{201D}");
            tokens = (a, b);
            trim = (1, 2);
        } else if form < 55 {
            match confuser {
                0 => {
                    // “…,” said First Last after meeting Other Name.
                    tokens = quote(&mut para, &words, ",\u{201D}");
                    para.extend(["said".to_string(), first, last, "after".into(), "meeting".into()]);
                    para.push(format!("{other}."));
                }
                1 => {
                    // Asked about Other Name, First Last said: “….”
                    para.extend(["Asked".to_string(), "about".into(), format!("{other},"), first]);
                    para.extend([last, "said:".into()]);
                    tokens = quote(&mut para, &words, ".\u{201D}");
                }
                2 => {
                    // First Last spoke to reporters. “…,” he said.
                    para.extend([first, last, "spoke".into(), "to".into(), "reporters.".into()]);
                    tokens = quote(&mut para, &words, ",\u{201D}");
                    para.extend([if woman { "she" } else { "he" }.to_string(), "said.".into()]);
                }
                _ => {
                    // “… ‘a phrase of it’ …,” said First Last.
                    let (a, b) = quote(&mut para, &words, ",\u{201D}");
                    let i = a + 1 + g.rng.below(n - 4);
                    para[i] = format!("\u{2018}{}", para[i]);
                    para[i + 2].push('\u{2019}');
                    para.extend(["said".to_string(), first, format!("{last}.")]);
                    tokens = (a, b);
                }
            }
            trim = (1, 2);
        } else {
            tokens = quote(&mut para, &words, ",\u{201D}");
            para.push("said".into());
            if g.rng.chance(0.25) {
                para.push(format!("{last}."));
            } else {
                para.push(first);
                para.push(format!("{last}."));
            }
            trim = (1, 2);
        }
    }
    let paragraph = g.rng.below(body.len() + 1);
    body.insert(paragraph, para);
    stats.quote_occurrences += 1;
    Some(PlantedQuote { id: st.id, paragraph, tokens, trim, quoted, split, speaker, edits })
}
