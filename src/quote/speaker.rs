//! Who is quoted: the attribution nearest to a quotation, in its own sentence.
//!
//! Tried in order, stopping at the first that speaks:
//! 1. after the closing mark: `“…,” X said`, `“…,” said X`, `“…,” he said`, `“…,” X, a
//!    spokesman, said`, `“…,” according to X`;
//! 2. before the opening mark, in the same sentence: `X said: “…”`, `X told Y that “…”`,
//!    `X: “…”`, `according to X, “…”`, `X, who …, said “…”`;
//! 3. a quotation with no attribution right after another one in the same paragraph continues
//!    its speaker (`“…,” he said. “…”`).
//!
//! An attribution to someone unnamed (`the statement added`, `one user wrote`) gives no speaker
//! rather than a guess. `he`/`she` are resolved to the last person named before the quotation
//! (within [`PRONOUN_REACH`] bytes). A name loses its titles and possessors ("US Secretary of State
//! Antony Blinken" → "Antony Blinken", "Russia’s Putin" → "Putin"), and a surname alone becomes
//! the full name when the document names exactly one such person ("Cha" → "Victor Cha").

use super::extract::{is_mark, RawQuote};
use super::lexicon::*;
use super::names::{clean, expand, is_person, lone_name};
use super::words::{capitalized, ends_sentence, items, Item};
use ahash::AHashSet;

/// How far back (bytes) a pronoun looks for the person it stands for.
pub const PRONOUN_REACH: usize = 1500;

/// How far back (bytes) attribution looks for the start of the quotation's sentence.
const SENTENCE_REACH: usize = 600;

/// How far after the closing mark (bytes) attribution looks.
const AFTER_REACH: usize = 200;

/// Longest gap (bytes) across which a quotation continues the previous one's speaker.
const CONTINUATION_REACH: usize = 200;

fn eq_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Who a quotation's attribution points to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Attribution {
    /// A name, as cleaned.
    Named(String),
    /// `he` or `she` (or a bare title, `the president`), at this byte offset.
    Pronoun(usize),
    /// Someone the text does not name (`the statement said`): no speaker.
    Unnamed,
    /// A subject that is not one (a name after a preposition): try the sentence's first name.
    Fallback,
    /// Nothing here.
    None,
}

/// A person mentioned in the document: where, and the cleaned name.
#[derive(Debug, Clone)]
struct Mention {
    at: usize,
    name: String,
    /// After a preposition ("agreed with Gorbachev"): an object, not who a pronoun stands for.
    governed: bool,
}

// A mention with an empty name is an unnamed speaker ("a spokesman said").

/// Finds the speaker of each quotation of `text` (as [`super::extract::quotations`] returned
/// them, in order).
pub fn speakers(text: &str, quotes: &[RawQuote]) -> Vec<Option<String>> {
    let spans: Vec<(usize, usize)> = quotes.iter().map(|q| (q.open, q.close)).collect();
    let (mentions, midsentence) = person_mentions(text, &spans);
    let mut known: Vec<&str> = mentions.iter().map(|m| m.name.as_str()).filter(|n| n.contains(' ')).collect();
    // Each full name once (a name repeated a thousand times is one name to expand to).
    known.sort_unstable();
    known.dedup();
    // (Unnamed speakers are mentions with an empty name.)
    let mut out: Vec<Option<String>> = Vec::with_capacity(quotes.len());
    for (k, q) in quotes.iter().enumerate() {
        if let Some(found) = super::cjk::speaker(text, q) {
            out.push(found);
            continue;
        }
        // An attribution breaking the quotation speaks first, then the words after it, then before.
        let mut att = Attribution::None;
        for &(s, e) in &q.breaks {
            if att == Attribution::None {
                att = after_span(text, s, e, false);
            }
        }
        if att == Attribution::None {
            att = after(text, q, quotes.get(k + 1).map_or(text.len(), |n| n.open));
        }
        if matches!(att, Attribution::None | Attribution::Pronoun(_)) {
            // "Reagan said he would tell Nakasone: “…,” he said.": a name before beats a pronoun after.
            match before(text, q, &spans, &known, &midsentence) {
                named @ Attribution::Named(_) => att = named,
                other if att == Attribution::None => att = other,
                _ => {}
            }
        }
        let speaker = match att {
            Attribution::Named(n) => Some(expand(n, &known)),
            Attribution::Pronoun(at) => resolve(at.min(q.open), &mentions, quotes, &out, &known),
            Attribution::Unnamed => None,
            Attribution::Fallback | Attribution::None => continuation(text, k, quotes, &out),
        };
        out.push(speaker);
    }
    out
}

/// Case 3: a quotation right after another in the same paragraph keeps its speaker.
fn continuation(text: &str, k: usize, quotes: &[RawQuote], found: &[Option<String>]) -> Option<String> {
    let prev = quotes.get(k.checked_sub(1)?)?;
    let gap = text.get(prev.close..quotes[k].open)?;
    let paragraph_break = gap.contains("\n\n") || gap.contains("\n  ") || gap.contains("\n\t");
    // Only a quotation that opens its sentence continues: `“…,” he said. “…”`, not `… terms such
    // as “…”`.
    let opens_sentence = gap.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '—' | '-')).trim_end();
    let opens_sentence = opens_sentence.is_empty() || opens_sentence.ends_with(['.', '!', '?', ':']);
    if gap.len() > CONTINUATION_REACH || paragraph_break || !opens_sentence {
        return None;
    }
    found[k - 1].clone()
}

/// The person `he`/`she` before `at` stands for: the latest person quoted or named (not as the
/// object of a preposition: "agreed with Gorbachev") before it.
fn resolve(
    at: usize,
    mentions: &[Mention],
    quotes: &[RawQuote],
    found: &[Option<String>],
    known: &[&str],
) -> Option<String> {
    let from = at.saturating_sub(PRONOUN_REACH);
    // Both in text order: only the stretch from `from` to `at` is looked at (a document with
    // thousands of quotations would otherwise walk them all for each pronoun).
    let before_at = mentions.partition_point(|m| m.at < at);
    let named = mentions[..before_at]
        .iter()
        .rev()
        .take_while(|m| m.at >= from)
        .find(|m| !m.governed)
        .map(|m| (m.at, m.name.clone()));
    let before_at = quotes[..found.len()].partition_point(|q| q.open < at);
    let quoted = quotes[..before_at]
        .iter()
        .zip(found)
        .rev()
        .take_while(|(q, _)| q.open >= from)
        .find_map(|(q, s)| s.as_ref().map(|s| (q.open, s.clone())));
    let best = match (named, quoted) {
        (Some(a), Some(b)) => Some(if a.0 >= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    };
    best.filter(|n| !n.is_empty()).map(|n| expand(n, known))
}

/// Every person named outside quotation marks, in order, and the words capitalized in
/// mid-sentence somewhere.
fn person_mentions<'a>(text: &'a str, spans: &[(usize, usize)]) -> (Vec<Mention>, AHashSet<&'a str>) {
    let its = items(text, 0, text.len(), spans);
    let mut midsentence = AHashSet::new();
    for w in its.windows(2) {
        if let (Item::Word(_) | Item::Punct(','), Item::Word(b)) = (w[0].1, w[1].1) {
            if capitalized(b) {
                midsentence.insert(b);
            }
        }
    }
    let governed = |i: usize| i > 0 && its[i - 1].1.word().is_some_and(|p| PREPOSITIONS.contains(p));
    let mut out = Vec::new();
    let mut i = 0;
    while i < its.len() {
        if its[i].1.word().is_some_and(capitalized) {
            let end = run_forward(&its, i);
            let run: Vec<&str> = its[i..end].iter().filter_map(|(_, it)| it.word()).collect();
            if let Some((name, titled)) = clean(&run) {
                if is_person(&name, titled) {
                    out.push(Mention { at: its[i].0, name, governed: governed(i) });
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    // Single words that are a known person's first or last name count as mentions too.
    let ends: AHashSet<String> = out
        .iter()
        .filter(|m| m.name.contains(' '))
        .flat_map(|m| [m.name.split(' ').next(), m.name.rsplit(' ').next()])
        .flatten()
        .map(str::to_string)
        .collect();
    let mut extra = Vec::new();
    for (k, (at, it)) in its.iter().enumerate() {
        if let Some(w) = it.word() {
            if capitalized(w) && ends.contains(w) {
                extra.push(Mention { at: *at, name: w.to_string(), governed: governed(k) });
            }
        }
    }
    out.extend(extra);
    // "A spokesman … said", "one manufacturer said": someone unnamed spoke last; a later "he"
    // is that person, not the last name in sight.
    for (v, (at, it)) in its.iter().enumerate() {
        if it.word().is_some_and(is_verb) && subject_before(&its, v, v.saturating_sub(12)) == Attribution::Unnamed {
            out.push(Mention { at: *at, name: String::new(), governed: false });
        }
    }
    out.sort_by_key(|m| m.at);
    (out, midsentence)
}

/// End (exclusive) of the run of capitalized words starting at `i`.
fn run_forward(its: &[(usize, Item)], i: usize) -> usize {
    let mut j = i;
    while j < its.len() {
        match its[j].1 {
            Item::Word(w) if capitalized(w) => j += 1,
            Item::Word(w)
                if CONNECTORS.contains(w) && its.get(j + 1).and_then(|x| x.1.word()).is_some_and(capitalized) =>
            {
                j += 1
            }
            _ => break,
        }
    }
    j
}

/// Start of the run of capitalized words ending at `j` (inclusive).
fn run_backward(its: &[(usize, Item)], j: usize) -> usize {
    let mut k = j;
    while k > 0 {
        match its[k - 1].1 {
            Item::Word(w) if capitalized(w) => k -= 1,
            Item::Word(w) if CONNECTORS.contains(w) && k >= 2 && its[k - 2].1.word().is_some_and(capitalized) => k -= 1,
            _ => break,
        }
    }
    k
}

fn words_of<'a>(its: &[(usize, Item<'a>)]) -> Vec<&'a str> {
    its.iter().filter_map(|(_, it)| it.word()).collect()
}

/// The subject of the verb at `v`: the name just before it (past auxiliaries, adverbs, `on
/// Monday`, or an appositive between commas).
fn subject_before(its: &[(usize, Item)], v: usize, floor: usize) -> Attribution {
    let mut j = v;
    loop {
        if j <= floor {
            return Attribution::None;
        }
        j -= 1;
        match its[j].1 {
            Item::Word(w) if AUXILIARIES.contains(w) || (w.ends_with("ly") && !capitalized(w)) => continue,
            Item::Word(w) if DAYS.contains(w) => {
                // "on Monday", "last Tuesday"
                if j > floor && its[j - 1].1.word().is_some_and(|p| eq_any(p, &["on", "last", "this"])) {
                    j -= 1;
                }
                continue;
            }
            Item::Punct(',') => {
                // An appositive: "Kirby, the council's coordinator, told CNN".
                let mut p = j;
                while p > floor + 1 && j - p < 30 {
                    p -= 1;
                    match its[p].1 {
                        Item::Punct(',') => {
                            let end = p;
                            if end == floor || !its[end - 1].1.word().is_some_and(capitalized) {
                                return Attribution::None;
                            }
                            // "Die Bürgermeisterin von Köln, Henriette Reker, erklärte", "the
                            // mayor of London, Sadiq Khan, said": a place before the commas, the
                            // name between them.
                            let k = run_backward(its, end - 1).max(floor);
                            let between = &its[end + 1..j];
                            let of_place = (k.max(floor + 1) - 1..end).any(|x| its[x].1.word().is_some_and(place_of));
                            if of_place && !between.is_empty() {
                                if let Attribution::Named(n) = named_run(between, between.len() - 1, 0) {
                                    if between
                                        .iter()
                                        .all(|x| x.1.word().is_some_and(|w| capitalized(w) || CONNECTORS.contains(w)))
                                    {
                                        return Attribution::Named(n);
                                    }
                                }
                            }
                            return named_run(its, end - 1, floor);
                        }
                        Item::Punct('.' | '!' | '?' | ';') | Item::Quote | Item::Break => return Attribution::None,
                        _ => {}
                    }
                }
                return Attribution::None;
            }
            // "Luego añadió:", "Dann sagte er": a sentence adverb is no subject.
            Item::Word(w) if capitalized(w) && STOPS.contains(w) && j == floor => continue,
            Item::Word(w) if PRONOUNS_ONE.contains(w) => return Attribution::Pronoun(its[j].0),
            Item::Word(w) if capitalized(w) => return named_run(its, j, floor),
            // "Hu Wei, who said": the name before the relative pronoun.
            Item::Word("who") if j >= floor + 2 && its[j - 1].1 == Item::Punct(',') => {
                return match its[j - 2].1 {
                    Item::Word(n) if capitalized(n) => named_run(its, j - 2, floor),
                    _ => Attribution::Unnamed,
                };
            }
            // "Putin rolled out the red carpet … and said": the sentence's subject speaks.
            Item::Word("and") => return Attribution::Fallback,
            Item::Word(_) => return Attribution::Unnamed,
            _ => return Attribution::None,
        }
    }
}

/// The name of the capitalized run ending at `j`, unless a preposition governs it.
fn named_run(its: &[(usize, Item)], j: usize, floor: usize) -> Attribution {
    let k = run_backward(its, j).max(floor);
    // "… the United States.US Secretary of State Antony Blinken told": a titled person is the
    // subject whatever precedes the run.
    if let Some((name, true)) = clean(&words_of(&its[k..=j])) {
        if is_person(&name, true) {
            return Attribution::Named(name);
        }
    }
    let governed = |at: usize| its[at].1.word().is_some_and(|p| PREPOSITIONS.contains(p));
    let article = |at: usize| its[at].1.word().is_some_and(|a| eq_any(a, &["the", "a", "an"]));
    // "un porte-parole de la préfecture de Nice a indiqué": a place after `de` that follows a
    // common noun is what the subject is of.
    let lowercase = |at: usize| its[at].1.word().is_some_and(|w| !capitalized(w));
    if k > floor + 1 && its[k - 1].1.word().is_some_and(place_of) && lowercase(k - 2) {
        return Attribution::Fallback;
    }
    if k > floor + 1 && article(k - 1) && governed(k - 2) {
        return Attribution::Fallback; // "issued by the Fed said"
    }
    if k > floor && governed(k - 1) {
        // "ambassador to Beijing Gary Locke explained": a role, a place, then the name.
        let role = k > floor + 1 && its[k - 2].1.word().is_some_and(is_title);
        let run = words_of(&its[k..=j]);
        if role && run.len() >= 3 {
            if let Some((name, _)) = clean(&run[run.len() - 2..]) {
                return Attribution::Named(name);
            }
        }
        return Attribution::Fallback;
    }
    let run = words_of(&its[k..=j]);
    match clean(&run) {
        Some((name, _)) => Attribution::Named(name),
        None if run.len() == 1 && PRONOUNS_ONE.contains(run[0]) => Attribution::Pronoun(its[k].0),
        // A bare title ("Russia's President noted") stands for the person last named.
        None if run.iter().any(|w| is_title(w)) => Attribution::Pronoun(its[k].0),
        None => Attribution::Unnamed,
    }
}

/// The name starting at `i` (for `said X`, `according to X`).
fn named_forward(its: &[(usize, Item)], i: usize) -> Attribution {
    match its.get(i).map(|x| x.1) {
        Some(Item::Word(w)) if PRONOUNS_ONE.contains(w) => Attribution::Pronoun(its[i].0),
        Some(Item::Word(w)) if capitalized(w) => match clean(&words_of(&its[i..run_forward(its, i)])) {
            Some((name, _)) => Attribution::Named(name),
            None => Attribution::Unnamed,
        },
        Some(Item::Word(_)) => Attribution::Unnamed,
        _ => Attribution::None,
    }
}

/// `de`, `von`, `of` before a place or a body (`le maire de Bordeaux`, `ministro de
/// Transportes`): inside a name they are connectors (`Charles de Gaulle`), but a run that starts
/// right after one is what the role is *of*, not who speaks.
fn place_of(word: &str) -> bool {
    matches!(word, "de" | "von" | "of" | "del" | "du" | "des" | "d'")
}

/// Words of an attribution by source starting at `i` (`according to`, `selon`, `laut`,
/// `según`): how many, if any.
fn according_at(its: &[(usize, Item)], i: usize) -> Option<usize> {
    let w = its.get(i)?.1.word()?;
    if w.eq_ignore_ascii_case("according") && its.get(i + 1).and_then(|x| x.1.word()) == Some("to") {
        return Some(2);
    }
    ACCORDING.contains(w).then_some(1)
}

/// The speaker named after a verb of saying at `i - 1`: `said X`, `said the X`, and, when that
/// names no one, the first capitalized run of the clause that no preposition governs, past
/// articles, days, titles and places (`a affirmé mardi la ministre des Affaires étrangères
/// Catherine Colonna`, `declaró el miércoles en Bogotá el presidente Gustavo Petro`).
fn named_after_verb(its: &[(usize, Item)], i: usize) -> Attribution {
    let first = named_forward(its, i + usize::from(its.get(i).and_then(|x| x.1.word()) == Some("the")));
    if first != Attribution::Unnamed {
        return first;
    }
    let end = (i + 16).min(its.len());
    let mut k = i;
    // After a comma only an appositive name may follow (`el ministro de Transportes, Óscar
    // Puente`), not the next clause.
    let mut after_comma = false;
    while k < end {
        if after_comma && !its[k].1.word().is_some_and(|w| capitalized(w) && !STOPS.contains(w)) {
            break;
        }
        match its[k].1 {
            Item::Punct(',') if !after_comma => {
                after_comma = true;
                k += 1;
            }
            Item::Word(w) if capitalized(w) && !STOPS.contains(w) && !is_title(w) => {
                let stop = run_forward(its, k);
                if k > i && its[k - 1].1.word().is_some_and(|p| PREPOSITIONS.contains(p) || place_of(p)) {
                    k = stop.max(k + 1);
                    continue;
                }
                return match clean(&words_of(&its[k..stop])) {
                    Some((name, _)) => Attribution::Named(name),
                    None => Attribution::Unnamed,
                };
            }
            Item::Word(_) => k += 1,
            _ => break,
        }
    }
    first
}

/// Case 1: the words after the closing mark.
fn after(text: &str, q: &RawQuote, next_open: usize) -> Attribution {
    let end = (q.close + AFTER_REACH).min(next_open).min(text.len());
    let mut end = end.max(q.close);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let inner = text[..q.end().min(text.len())].trim_end();
    let full_stop = text[q.end()..q.close].trim_start().starts_with('.')
        || inner.ends_with('.')
        || text[q.close..].trim_start().starts_with('.');
    after_span(text, q.close, end, full_stop)
}

/// The attribution at the start of `text[from..to]`, right after a closing mark; `full_stop`
/// when the quotation ended its sentence.
fn after_span(text: &str, from: usize, to: usize, full_stop: bool) -> Attribution {
    let its = items(text, from, to, &[]);
    let mut i = 0;
    while i < its.len() && matches!(its[i].1, Item::Punct(',' | '.' | '—' | '–' | '-' | '[' | '(' | ')' | ']')) {
        i += 1;
    }
    // A headline: "'We're open to negotiations': Putin on China's plan".
    if i == 0 && its.first().map(|x| x.1) == Some(Item::Punct(':')) {
        if let Some(Item::Word(w)) = its.get(1).map(|x| x.1) {
            if capitalized(w) {
                return named_forward(&its, 1);
            }
        }
    }
    let first = match its.get(i) {
        Some((_, Item::Word(w))) => *w,
        _ => return Attribution::None,
    };
    let next_is_verb = its.get(i + 1).and_then(|x| x.1.word()).is_some_and(is_verb);
    // "« … », a-t-elle lancé": the pronoun inside the inverted auxiliary.
    if next_is_verb && (first.contains("-t-") || first.ends_with("-il") || first.ends_with("-elle")) {
        return Attribution::Pronoun(its[i].0);
    }
    // "« … », a affirmé X", "„…“, hat X gesagt": an auxiliary before the verb.
    if next_is_verb && AUXILIARIES.contains(first) && !capitalized(first) {
        return named_after_verb(&its, i + 2);
    }
    if is_verb(first) {
        return named_after_verb(&its, i + 1);
    }
    if let Some(n) = according_at(&its, i) {
        return named_after_verb(&its, i + n);
    }
    // "X said", "X, a spokesman, said": the verb within the first clause.
    let limit = (i + 14).min(its.len());
    let Some(v) = (i..limit)
        .take_while(|&k| !ends_sentence(its[k].1) && its[k].1 != Item::Quote)
        .find(|&k| its[k].1.word().is_some_and(is_verb))
    else {
        return if full_stop { Attribution::None } else { long_appositive(&its, i) };
    };
    if full_stop {
        // After a full stop, only a short clause ("Cha said.") attributes; anything longer is
        // the next sentence.
        // After a full stop only a short sentence of its own ("Cha said.", "he told NBC.")
        // attributes; anything longer is the next sentence.
        let tail = its[v + 1..].iter().take_while(|x| !ends_sentence(x.1) && x.1 != Item::Quote).count();
        let ends = its.get(v + 1 + tail).is_some_and(|x| ends_sentence(x.1));
        if v - i > 4 || tail > 4 || !ends {
            return Attribution::None;
        }
    }
    // "Il n'a pas précisé", "he did not say": a denial attributes nothing.
    let negated = its[i..v].iter().any(|x| {
        x.1.word().is_some_and(|w| matches!(w, "not" | "never" | "pas" | "jamais" | "nicht" | "nie" | "no" | "nunca"))
    });
    if negated {
        return Attribution::None;
    }
    match subject_before(&its, v, i) {
        Attribution::Fallback => Attribution::None,
        a => a,
    }
}

/// `“…,” Alexander Korolev, a senior lecturer on … in Sydney, told VICE`: a name, a comma, and
/// a verb of saying later in the same sentence.
fn long_appositive(its: &[(usize, Item)], i: usize) -> Attribution {
    if !its.get(i).and_then(|x| x.1.word()).is_some_and(capitalized) {
        return Attribution::None;
    }
    let end = run_forward(its, i);
    if its.get(end).map(|x| x.1) != Some(Item::Punct(',')) {
        return Attribution::None;
    }
    let verb_follows = its[end..]
        .iter()
        .take(40)
        .take_while(|x| !ends_sentence(x.1) && x.1 != Item::Quote)
        .any(|x| x.1.word().is_some_and(is_verb));
    match clean(&words_of(&its[i..end])) {
        Some((name, titled)) if verb_follows && (is_person(&name, titled) || name.contains(' ')) => {
            Attribution::Named(name)
        }
        _ => Attribution::None,
    }
}

/// Case 2: the words before the opening mark, in the same sentence.
fn before(
    text: &str,
    q: &RawQuote,
    spans: &[(usize, usize)],
    known: &[&str],
    midsentence: &AHashSet<&str>,
) -> Attribution {
    let mut from = q.open.saturating_sub(SENTENCE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let its = items(text, from, q.open, spans);
    let start = its
        .iter()
        .enumerate()
        .rev()
        .find(|(k, (at, it))| {
            // A quotation that ends with a full stop ends its sentence too.
            let quote_ends = *it == Item::Quote
                && spans.binary_search_by_key(at, |sp| sp.0).ok().map(|i| spans[i]).is_some_and(|sp| {
                    let inner = text[sp.0..sp.1].trim_end_matches(|c: char| is_mark(c)).trim_end();
                    inner.ends_with(['.', '!', '?'])
                });
            (ends_sentence(*it) || quote_ends)
                && (*it == Item::Break
                    || its
                        .get(k + 1)
                        .is_none_or(|n| matches!(n.1, Item::Word(w) if capitalized(w)) || n.1 == Item::Quote))
        })
        .map_or(0, |(k, _)| k + 1);
    let sentence = &its[start..];
    if sentence.is_empty() {
        return Attribution::None;
    }
    let verb = sentence.iter().rposition(|(_, it)| it.word().is_some_and(is_verb));
    let according = (0..sentence.len()).rev().find_map(|a| according_at(sentence, a).map(|n| (a, n)));
    if let Some((a, n)) = according.filter(|&(a, _)| verb.is_none_or(|v| a > v)) {
        return named_after_verb(sentence, a + n);
    }
    if let Some(v) = verb {
        // A participle ("…, saying “…”") belongs to the sentence's subject.
        let participle = sentence[v].1.word().is_some_and(|w| w.ends_with("ing"));
        if participle {
            return sentence_subject(sentence, known, midsentence);
        }
        return match subject_before(sentence, v, 0) {
            Attribution::Fallback | Attribution::None => sentence_subject(sentence, known, midsentence),
            a => a,
        };
    }
    // "Medvedev: “…”"
    let n = sentence.len();
    if n >= 2 && sentence[n - 1].1 == Item::Punct(':') && sentence[n - 2].1.word().is_some_and(capitalized) {
        return named_run(sentence, n - 2, 0);
    }
    Attribution::None
}

/// The sentence's opening name, when it names a person ("Xi in an op-ed … had said").
fn sentence_subject(sentence: &[(usize, Item)], known: &[&str], midsentence: &AHashSet<&str>) -> Attribution {
    let first = sentence.iter().position(|(_, it)| !matches!(it, Item::Punct(_))).unwrap_or(0);
    if !sentence.get(first).and_then(|x| x.1.word()).is_some_and(capitalized) {
        return Attribution::None;
    }
    let end = run_forward(sentence, first);
    // "Chinese minister, backing …": a bare role stands for the person last named.
    if sentence.get(end).and_then(|x| x.1.word()).is_some_and(|w| !capitalized(w) && is_title(w)) {
        return Attribution::Pronoun(sentence[end].0);
    }
    let run = words_of(&sentence[first..end]);
    match clean(&run) {
        Some((name, titled))
            if is_person(&name, titled)
                || expand(name.clone(), known) != name
                || lone_name(&name, midsentence)
                || name.split(' ').any(|w| ORG_WORDS.contains(w)) =>
        {
            Attribution::Named(name)
        }
        None if run.iter().any(|w| is_title(w)) => Attribution::Pronoun(sentence[first].0),
        _ => Attribution::None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract::quotations;
    use super::*;

    fn who(text: &str) -> Vec<Option<String>> {
        speakers(text, &quotations(text))
    }

    fn one(text: &str) -> Option<String> {
        who(text).into_iter().next().flatten()
    }

    #[test]
    fn said_after_the_quote() {
        assert_eq!(one("“That is not good,” Cha said."), Some("Cha".into()));
        assert_eq!(one("“It is over,” said John Smith, chief economist at Acme."), Some("John Smith".into()));
        assert_eq!(
            one("“The main goal,” [said Una Berzina-Cerenkova, head of the program]."),
            Some("Una Berzina-Cerenkova".into())
        );
        assert_eq!(one("\"We expect growth,\" a company spokesman said."), None);
    }

    #[test]
    fn reuters_sentences() {
        // reuters-11461, reuters-12192, reuters-1290: wire copy wraps lines inside sentences.
        let t = "\"In my judgement, we're not even close to a trade war,\" Yeutter told a House\nAgriculture Committee hearing.";
        assert_eq!(one(t), Some("Yeutter".into()));
        let t = "    \"We estimate that costs could rise,\" GAO Senior Associate Director Brian\nCrowley said.";
        assert_eq!(one(t), Some("Brian Crowley".into()));
        let t = "Welcoming Soviet leader Mikhail Gorbachev's offer Saturday, Reagan said: \"This\nremoves a serious obstacle.\"";
        assert_eq!(one(t), Some("Reagan".into()));
        let t = "A spokesman for the brokers said bonds were popular. \"Individuals are investing,\" he said.";
        assert_eq!(one(t), None);
    }

    #[test]
    fn said_before_the_quote_with_titles() {
        assert_eq!(
            one("U.S. Secretary of State Antony Blinken said on Monday that the plan “would effectively be supporting the ratification of Russian conquest.”"),
            Some("Antony Blinken".into())
        );
        assert_eq!(one("Medvedev explained: “Let’s imagine it.”"), Some("Medvedev".into()));
        assert_eq!(one("China’s Foreign Minister Qin Gang noted: “It is using the crisis.”"), Some("Qin Gang".into()));
        assert_eq!(
            one("Russia's Putin, on the other hand, said the two countries “stand on the brink of a new era.”"),
            Some("Putin".into())
        );
    }

    #[test]
    fn appositive_and_according_to() {
        let t = "“It’s very explicit,” Alexander Korolev, a senior lecturer at the University of New South Wales in Sydney, told VICE World News.";
        assert_eq!(one(t), Some("Alexander Korolev".into()));
        let t = "She quoted political scholar Hu Wei, who said, “The fault line is becoming sharper.”";
        assert_eq!(one(t), Some("Hu Wei".into()));
        let t = "As ex-US ambassador to Beijing Gary Locke explained to CNN, “China is trying to present itself.”";
        assert_eq!(one(t), Some("Gary Locke".into()));
        let t = "John Kirby, the National Security Council’s coordinator for strategic communications, told CNN, “This is a marriage of convenience.”";
        assert_eq!(one(t), Some("John Kirby".into()));
        assert_eq!(one("According to Zelensky, “the fight would just freeze.”"), Some("Zelensky".into()));
        assert_eq!(one("“The fight would just freeze,” according to Zelensky on Tuesday."), Some("Zelensky".into()));
    }

    #[test]
    fn colon_attribution() {
        assert_eq!(one("Lavrov: “We are ready.”"), Some("Lavrov".into()));
    }

    #[test]
    fn pronouns_resolve_to_the_last_person_named() {
        let t = "US Secretary of State Antony Blinken dismissed ties between China and Russia. He told the Committee: “I’m not sure if it’s conviction.”";
        assert_eq!(one(t), Some("Antony Blinken".into()));
        let t = "Victor Cha spoke. “That’s not good for the US,” Cha said.";
        assert_eq!(one(t), Some("Victor Cha".into()));
    }

    #[test]
    fn unnamed_speakers_give_none() {
        assert_eq!(one("“Settlement must respect concerns,” the statement added."), None);
        assert_eq!(one("Another wrote, “How can China not see how Ukraine feels?”"), None);
    }

    #[test]
    fn a_name_after_a_preposition_is_not_the_subject() {
        let t = "Relations have entered a new era, declaring an “enduring economic partnership” today.";
        assert_eq!(one(t), None);
        // "Xi" is a name: the text capitalizes it in mid-sentence too ("Putin met Xi").
        let t = "Putin met Xi. Xi in an op-ed prior to the trip in Russia’s Rossiyskaya Gazeta had said the visit would be “a journey of friendship, cooperation and peace.”";
        assert_eq!(one(t), Some("Xi".into()));
    }

    #[test]
    fn continuation_in_the_same_paragraph() {
        let t = "“We will discuss all those issues,” Putin said. “Our cooperation helps.”";
        assert_eq!(who(t), [Some("Putin".into())]);
        let t = "“We will discuss all those issues,” Putin said. “Our cooperation helps,” he added.";
        assert_eq!(who(t), [Some("Putin".into()), Some("Putin".into())]);
        let t = "“We will discuss all those issues,” Putin said.\n\n“Our cooperation helps.”";
        assert_eq!(who(t), [Some("Putin".into()), None]);
    }

    #[test]
    fn no_attribution_no_speaker() {
        let t = "“It’s explicit,” Korolev told VICE. Instead of terms such as “certain countries with ambitions,” the two are unequivocal.";
        assert_eq!(who(t), [Some("Korolev".into()), None]);
        assert_eq!(one("Putin slammed Washington for turning Ukraine into an “anti-Russia” bulwark."), None);
    }
}
