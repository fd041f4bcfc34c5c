//! Names as attribution finds them: a run of capitalized words cleaned of titles, possessors and
//! connectors ("US Secretary of State Antony Blinken" → "Antony Blinken", "Russia’s Putin" →
//! "Putin"), told apart from places and organisations, and a surname alone completed from the
//! document ("Cha" → "Victor Cha").

use super::lexicon::*;
use super::words::{capitalized, possessive};
use ahash::AHashSet;

/// Whether `found` names the person `truth` names, case aside: the same words, a part that keeps
/// the surname ("Silva" for "Kenji Silva", "Ortiz Mena" for "Antonio Ortiz Mena"), or the name
/// with a title left on ("President Vladimir Putin"). A given name alone is not the person, nor
/// is another given name with the same surname ("Sofia Kim" is not "Grace Kim"). Used to score
/// speakers against labels, and by the quotes stage to confirm a fragment by its speaker.
pub fn same_person(found: &str, truth: &str) -> bool {
    let f: Vec<String> = found.split_whitespace().map(str::to_lowercase).collect();
    let t: Vec<String> = truth.split_whitespace().map(str::to_lowercase).collect();
    !f.is_empty() && f.last() == t.last() && (f.iter().all(|w| t.contains(w)) || t.iter().all(|w| f.contains(w)))
}

/// A surname (or given name) alone becomes the one full name of the document that has it.
pub fn expand(name: String, known: &[&str]) -> String {
    if name.contains(' ') {
        return name;
    }
    let ends =
        |k: &str| (k.split(' ').next().unwrap_or("").to_string(), k.rsplit(' ').next().unwrap_or("").to_string());
    let mut matches: Vec<&str> = known.iter().copied().filter(|k| ends(k).0 == name || ends(k).1 == name).collect();
    // "Vladimir V. Putin" and "Vladimir Putin" are one person: the shortest form stands for both.
    matches.sort_unstable_by_key(|k| (k.len(), *k));
    matches.dedup();
    match matches.first() {
        Some(full) if matches.iter().all(|m| ends(m) == ends(full)) => full.to_string(),
        _ => name,
    }
}

/// The cleaned name of a run of capitalized words, and whether a title was stripped from it.
pub fn clean(run: &[&str]) -> Option<(String, bool)> {
    let mut words: &[&str] = run;
    if let Some(p) = words.iter().rposition(|w| possessive(w)) {
        if p + 1 == words.len() {
            // "Mikhail Gorbachev's offer": the owner is the name.
            let mut owner = words.to_vec();
            owner[p] = &owner[p][..owner[p].len() - owner[p].chars().rev().take(2).map(char::len_utf8).sum::<usize>()];
            return clean(&owner);
        }
        words = &words[p + 1..];
    }
    // "Welcoming Soviet leader …": a participle opening the sentence is not part of a name.
    while words.first().is_some_and(|w| w.ends_with("ing") && w.len() > 4) {
        words = &words[1..];
    }
    let mut titled = false;
    if let Some(t) = words.iter().rposition(|w| is_title(w)) {
        // "Foreign Ministry" is an organisation, not a title and a name.
        let rest = &words[t + 1..];
        if !(rest.len() == 1 && ORG_WORDS.contains(rest[0])) {
            words = rest;
            titled = true;
        }
    }
    // "Zelensky of Ukraine": the name is what comes before "of".
    if let Some(o) = words.iter().position(|w| *w == "of").filter(|&o| o > 0) {
        words = &words[..o];
    }
    while let Some((first, rest)) = words.split_first() {
        if STOPS.contains(first) || CONNECTORS.contains(first) {
            words = rest;
        } else {
            break;
        }
    }
    while let Some((last, rest)) = words.split_last() {
        if STOPS.contains(last) || CONNECTORS.contains(last) {
            words = rest;
        } else {
            break;
        }
    }
    if words.is_empty() || (words.len() == 1 && NOT_NAMES.contains(words[0])) {
        return None;
    }
    if !words.iter().all(|w| capitalized(w) || CONNECTORS.contains(w)) {
        return None;
    }
    Some((words.join(" "), titled))
}

/// Whether a cleaned name looks like a person rather than a place or an organisation.
pub fn is_person(name: &str, titled: bool) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    if words.iter().any(|w| ORG_WORDS.contains(w) || (w.len() > 1 && w.chars().all(|c| c.is_uppercase()))) {
        return false;
    }
    let nationality = words.last().is_some_and(|w| ["ican", "ese", "ian", "ish"].iter().any(|s| w.ends_with(s)));
    (words.len() >= 2 || titled) && !nationality
}

/// A single capitalized word that can be a person's name: capitalized elsewhere in the document
/// in mid-sentence (so not just a sentence's first word), not an organisation or place word, not
/// a nationality (`Chinese`, `Russian`, `British`).
pub fn lone_name(name: &str, midsentence: &AHashSet<&str>) -> bool {
    let lower = name.to_lowercase();
    !name.contains(' ')
        && midsentence.contains(name)
        && !ORG_WORDS.contains(name)
        && !["ese", "ian", "ish", "ean", "can"].iter().any(|s| lower.ends_with(s))
        && !name.chars().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_matches_by_surname_never_by_another_given_name() {
        assert!(same_person("Kim", "Grace Kim"));
        assert!(same_person("grace kim", "Grace Kim"));
        assert!(!same_person("Sofia Kim", "Grace Kim"));
        assert!(!same_person("Grace", "Grace Kim"));
        assert!(!same_person("", "Kim"));
        assert!(same_person("Silva", "Kenji Silva"));
        assert!(same_person("kenji silva", "Kenji Silva"));
        assert!(!same_person("Kenji", "Kenji Silva"));
        assert!(!same_person("Ana Kim", "Kenji Silva"));
        assert!(same_person("President Kenji Silva", "Kenji Silva"), "a title before the name");
        assert!(same_person("Ortiz Mena", "Antonio Ortiz Mena"), "a two-word surname");
        assert!(!same_person("", "Kenji Silva"));
    }
}
