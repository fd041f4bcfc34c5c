//! Word lists attribution reads: verbs of saying, titles, words that are never names. Each is a
//! [`WordSet`]: one hash lookup per word, case-insensitive for ASCII, no allocation.

use super::words::capitalized;
use ahash::AHashSet;
use std::sync::LazyLock;

/// A set of lower-case words, looked up case-insensitively.
pub struct WordSet(AHashSet<&'static str>);

impl WordSet {
    fn new(words: &[&'static str]) -> Self {
        WordSet(words.iter().copied().collect())
    }

    /// Whether `word`, lower-cased, is in the set.
    pub fn contains(&self, word: &str) -> bool {
        let mut buf = [0u8; 32];
        if word.len() > buf.len() {
            return false;
        }
        if word.bytes().all(|b| !b.is_ascii_uppercase()) {
            return self.0.contains(word);
        }
        for (d, b) in buf.iter_mut().zip(word.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        std::str::from_utf8(&buf[..word.len()]).is_ok_and(|w| self.0.contains(w))
    }
}

/// Verbs of saying, lower case.
#[rustfmt::skip]
const VERBS_LIST: &[&str] = &[
    "said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "explained", "explains", "stated",
    "noted", "declared", "warned", "warns", "asked", "argued", "argues", "insisted", "tweeted", "posted",
    "announced", "replied", "continued", "joked", "charged", "stressed", "urged", "commented", "remarked",
    "conceded", "acknowledged", "admitted", "claimed", "predicted", "recalled", "observed", "emphasized",
    "emphasised", "concluded", "quipped", "described", "called", "dismissed", "labelled", "labeled", "termed",
    "dubbed", "vowed", "pledged", "promised", "reported", "saying", "adding", "telling", "writing", "explaining",
    "noting", "declaring", "warning", "cautioned", "complained", "suggested", "countered", "responded", "boasted",
    "stated", "affirmed", "reiterated", "announces", "estimated", "forecast", "maintained", "insists", "contended",
    "alleged", "describes", "hailed", "rejected", "agreed",
    // French (participles after `a`/`avait`, and present tense), German, Spanish.
    "déclaré", "affirmé", "expliqué", "ajouté", "indiqué", "précisé", "souligné", "estimé", "assuré", "prévenu",
    "lancé", "répondu", "confié", "insisté", "martelé", "rappelé", "annoncé", "averti", "dit", "déclare", "affirme",
    "explique", "ajoute", "estime", "souligne", "assure", "indique", "précise", "poursuit", "poursuivi", "conclu",
    "sagte", "sagt", "sagten", "erklärte", "erklärt", "betonte", "betont", "fügte", "warnte", "meinte", "schrieb",
    "versicherte", "bekräftigte", "unterstrich", "ergänzte", "kündigte", "dijo", "afirmó", "declaró", "aseguró",
    "señaló", "añadió", "explicó", "indicó", "advirtió", "subrayó", "destacó", "agregó", "manifestó", "sostuvo",
    "insistió", "dice", "afirma", "asegura", "señala", "explica", "añade", "declara",
    "promis", "dénoncé", "jugé", "reconnu", "regretté", "répété", "déploré", "admis",     "raconté", "confirmé", "écrit", "expliquait", "déclarait", "affirmait", "räumte",
    "bestätigte", "mahnte", "schreibt", "erklärten", "prometió", "denunció", "reconoció",
    "admitió", "recordó", "respondió", "confirmó", "escribió", "sentenció", "apuntó", "comentó", "lamentó",
    "defendió",
];

/// Words between a subject and its verb that are not the subject.
#[rustfmt::skip]
const AUXILIARIES_LIST: &[&str] = &[
    "himself", "herself", "themselves", "itself",
    "has", "had", "have", "also", "was", "is", "were", "then", "later", "again", "further", "previously", "once",
    "has also", "had also", "would", "will", "could", "did", "does", "just", "only", "both",
    // French, German and Spanish auxiliaries ("X a déclaré", "X hat gesagt", "X ha dicho").
    "a", "avait", "aurait", "hat", "hatte", "ha", "había", "habría",
];

/// A name after one of these is not a subject.
#[rustfmt::skip]
const PREPOSITIONS_LIST: &[&str] = &[
    "in", "at", "on", "of", "to", "from", "with", "for", "by", "about", "into", "than", "like", "via", "including",
    "against", "between", "among", "toward", "towards", "over", "under", "per", "through",
    // French, German, Spanish: a place after one of these is never a subject.
    "à", "au", "aux", "en", "dans", "sur", "chez", "devant", "depuis", "lors", "pendant", "vers", "des", "du",
    "im", "am", "auf", "aus", "bei", "beim", "nach", "vor", "zum", "zur", "vom", "gegenüber",
    "del", "desde", "durante", "ante", "hacia", "tras",
];

/// Lower-case words inside names (`Jose de San Martin`).
#[rustfmt::skip]
const CONNECTORS_LIST: &[&str] = &[
    "of", "de", "van", "von", "bin", "al", "da", "du", "der", "la", "le", "del", "di",
];

/// Titles and roles; everything up to the last one is dropped from a name.
#[rustfmt::skip]
const TITLES_LIST: &[&str] = &[
    "president", "secretary", "minister", "prime", "foreign", "state", "chancellor", "premier", "spokesman",
    "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "ceo", "director", "governor", "senator",
    "sen.", "rep.", "representative", "ambassador", "general", "gen.", "mr.", "mrs.", "ms.", "dr.", "prof.",
    "professor", "king", "queen", "prince", "pope", "judge", "justice", "commissioner", "chief", "officer",
    "executive", "deputy", "vice", "analyst", "economist", "leader", "mayor", "lawmaker", "envoy", "head", "founder",
    "coordinator", "adviser", "advisor", "correspondent", "editor", "columnist", "affairs", "defence", "defense",
    "finance", "treasury", "trade", "commerce", "interior", "economy", "spokesmen", "sir", "lord", "dame", "lt.",
    "col.", "capt.", "sgt.", "rev.", "father", "sheikh", "emir", "crown", "colonel", "captain", "admiral", "marshal",
    "speaker", "senior", "assistant", "managing", "partner", "president-elect", "mr", "mrs", "ms", "dr", "former",
    "presidential", "strategist", "scholar", "fellow", "researcher", "expert", "official",
    "président", "présidente", "ministre", "chancelier", "chancelière", "porte-parole", "directeur", "directrice",
    "économiste", "député", "sénateur", "maire", "secrétaire", "presidente", "presidenta", "ministra", "ministro",
    "vicepresidente", "vicepresidenta", "portavoz", "canciller", "alcalde", "alcaldesa", "director", "directora",
    "senador", "diputado", "diputada", "economista",
];

/// Capitalized words at the ends of a name run that are not part of the name.
#[rustfmt::skip]
const STOPS_LIST: &[&str] = &[
    "the", "a", "an", "as", "but", "and", "however", "meanwhile", "in", "on", "at", "still", "so", "while", "when",
    "after", "before", "then", "instead", "also", "both", "even", "yet", "later", "earlier", "last", "this", "that",
    "these", "those", "why", "how", "what", "speaking", "asked", "writing", "if", "for", "with", "from", "by", "to",
    "of", "or", "nor", "because", "since", "although", "though", "now", "today", "here", "there", "thus", "hence",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "interestingly",
    "undeterred", "moreover", "furthermore", "indeed", "nevertheless", "notwithstanding", "according",
    // French, German and Spanish articles, weekdays, months and sentence adverbs (German
    // capitalizes its nouns, Spanish and French their sentence openers).
    "le", "la", "les", "l'", "un", "une", "der", "die", "das", "den", "dem", "ein", "eine", "el", "los", "las",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "mars", "avril",
    "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "montag", "dienstag",
    "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "januar", "februar", "märz", "juni", "juli",
    "oktober", "dezember", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "enero",
    "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
    "diciembre", "luego", "después", "además", "ensuite", "puis", "dann", "danach", "außerdem", "selon", "laut",
    "según", "pero", "mais", "aber", "und", "et", "y", "später", "zuvor", "dazu", "zudem", "heute", "gestern",
    "jetzt", "nun", "daher", "deshalb", "trotzdem", "inzwischen", "bereits", "schon", "auch", "hoy", "ayer",
    "aujourd'hui", "hier", "mientras", "también",
];

/// Days of the week (`on Monday` sits between subject and verb).
#[rustfmt::skip]
const DAYS_LIST: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
    "domingo",
];

/// Pronouns resolved to the last person named.
#[rustfmt::skip]
const PRONOUNS_ONE_LIST: &[&str] = &[
    "he", "she",
    "il", "elle", "er", "él", "ella",
];

/// Words that never name a speaker on their own.
#[rustfmt::skip]
const NOT_NAMES_LIST: &[&str] = &[
    "i", "we", "it", "they", "you", "he", "she", "this", "that", "there", "our", "his", "her", "their", "its",
    "another", "one", "some", "many", "others", "officials", "analysts", "experts", "critics", "sources", "people",
];

/// Words that make a name an organisation or a place, not a person.
#[rustfmt::skip]
const ORG_WORDS_LIST: &[&str] = &[
    "house", "committee", "council", "court", "party", "ministry", "times", "post", "news", "journal", "university",
    "institute", "center", "centre", "union", "nations", "states", "republic", "federation", "bank", "group",
    "agency", "department", "office", "program", "programme", "association", "company", "corp", "inc", "ltd", "fund",
    "board", "commission", "assembly", "congress", "parliament", "senate", "army", "forces", "gazeta", "daily",
    "network", "service", "foundation", "endowment", "kremlin", "pentagon", "sea", "ocean", "river", "street",
    "city", "county", "province", "region", "war", "crisis", "world", "policy", "club", "charter", "organization",
    "organisation", "alliance", "press", "media", "reuters", "exchange", "corporation", "airlines", "industries",
    "international", "national", "global", "china", "russia", "america", "europe", "asia", "africa", "security",
    "communist", "guard", "navy", "unit", "stock", "market", "treasury", "reserve",
];

/// Verbs of saying, lower case, as a set for lookups.
pub static VERBS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(VERBS_LIST));

/// Words between a subject and its verb that are not the subject, as a set for lookups.
pub static AUXILIARIES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(AUXILIARIES_LIST));

/// A name after one of these is not a subject, as a set for lookups.
pub static PREPOSITIONS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(PREPOSITIONS_LIST));

/// Lower-case words inside names (`Jose de San Martin`), as a set for lookups.
pub static CONNECTORS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(CONNECTORS_LIST));

/// Titles and roles; everything up to the last one is dropped from a name, as a set for lookups.
pub static TITLES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(TITLES_LIST));

/// Capitalized words at the ends of a name run that are not part of the name, as a set for lookups.
pub static STOPS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(STOPS_LIST));

/// Days of the week (`on Monday` sits between subject and verb), as a set for lookups.
pub static DAYS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(DAYS_LIST));

/// Pronouns resolved to the last person named, as a set for lookups.
pub static PRONOUNS_ONE: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(PRONOUNS_ONE_LIST));

/// Words that never name a speaker on their own, as a set for lookups.
pub static NOT_NAMES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(NOT_NAMES_LIST));

/// Words that make a name an organisation or a place, not a person, as a set for lookups.
pub static ORG_WORDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(ORG_WORDS_LIST));

/// Words that attribute what follows them (`according to` is matched as two words).
#[rustfmt::skip]
const ACCORDING_LIST: &[&str] = &[
    "selon", "laut", "según", "d'après", "d’après",
];

/// Words that attribute what follows them, as a set for lookups.
pub static ACCORDING: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(ACCORDING_LIST));

/// German job titles are compounds (`Bundeskanzler`, `Gewerkschaftschef`,
/// `Grünen-Politikerin`): these endings make a capitalized word a title.
const TITLE_ENDINGS: &[&str] = &[
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "minister",
    "ministerin",
    "chef",
    "chefin",
    "sprecher",
    "sprecherin",
    "politiker",
    "politikerin",
    "vorsitzende",
    "vorsitzender",
    "direktor",
    "direktorin",
    "ökonom",
    "ökonomin",
    "botschafter",
    "botschafterin",
    "bürgermeister",
    "bürgermeisterin",
];

/// Whether `word` is a title or role (`president`, `ministre`, `Bundeskanzler`).
pub fn is_title(word: &str) -> bool {
    if TITLES.contains(word) {
        return true;
    }
    let lower = word.to_lowercase();
    TITLE_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// Whether `word` is a verb of saying (`said`, `told`, `wrote`, `adding`, …), in lower case.
pub fn is_verb(word: &str) -> bool {
    !capitalized(word) && VERBS.contains(word)
}
