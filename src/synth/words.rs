//! The words of synthetic articles: a Zipfian vocabulary of made-up words, names and numbers,
//! sentences and paragraphs drawn from it, and the text they make with each word's offsets.

/// Small deterministic generator (splitmix64).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

pub(super) const SYLLABLES: [&str; 48] = [
    "ba", "ka", "ta", "ma", "ri", "lo", "ne", "su", "vi", "do", "ge", "po", "an", "er", "in", "or", "us", "el", "ar",
    "on", "te", "mi", "ra", "co", "de", "li", "na", "se", "to", "pe", "la", "ve", "di", "ro", "mo", "ni", "fa", "ha",
    "st", "tr", "pl", "ch", "sh", "th", "gr", "br", "cl", "pr",
];
pub(super) const FIRST: [&str; 16] = [
    "Maria", "John", "Wei", "Olga", "Ahmed", "Sofia", "Carlos", "Priya", "Kenji", "Amara", "Lukas", "Elena", "Omar",
    "Grace", "Ivan", "Fatima",
];
pub(super) const LAST: [&str; 16] = [
    "Chen", "Smith", "Petrova", "Haddad", "Garcia", "Kumar", "Tanaka", "Okafor", "Muller", "Rossi", "Ali", "Novak",
    "Silva", "Kim", "Jensen", "Moreau",
];
pub(super) const VOCABULARY: usize = 30_000;

/// Vocabulary words and the cumulative Zipf weights to draw them by.
pub(super) struct Vocabulary {
    pub(super) words: Vec<String>,
    pub(super) cdf: Vec<f64>,
}

impl Vocabulary {
    pub(super) fn new(rng: &mut Rng) -> Self {
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut seen = ahash::AHashSet::new();
        while words.len() < VOCABULARY {
            let n = 1 + rng.below(3) + (words.len() > 200) as usize;
            let w: String = (0..n).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cdf = (1..=VOCABULARY)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Vocabulary { words, cdf }
    }

    pub(super) fn word(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cdf[self.cdf.len() - 1];
        let i = self.cdf.partition_point(|&c| c < x).min(self.words.len() - 1);
        &self.words[i]
    }
}

/// An article as paragraphs of words, before it is written out.
pub(super) type Body = Vec<Vec<String>>;

pub(super) struct Generator {
    pub(super) rng: Rng,
    pub(super) vocab: Vocabulary,
}

impl Generator {
    pub(super) fn sentence(&mut self, out: &mut Vec<String>) {
        let n = 8 + self.rng.below(18);
        let start = out.len();
        for i in 0..n {
            let w = match self.rng.below(40) {
                0 => FIRST[self.rng.below(16)].to_string(),
                1 => LAST[self.rng.below(16)].to_string(),
                2 => format!("{}", self.rng.below(10_000)),
                _ => self.vocab.word(&mut self.rng).to_string(),
            };
            out.push(if i == 0 { capitalise(&w) } else { w });
        }
        if self.rng.chance(0.15) {
            let speaker = format!("{} {}", FIRST[self.rng.below(16)], LAST[self.rng.below(16)]);
            out[start] = format!("\u{201C}{}", out[start]);
            let last = out.len() - 1;
            out[last] = format!("{},\u{201D} said {speaker}", out[last]);
        }
        let last = out.len() - 1;
        out[last].push('.');
    }

    pub(super) fn paragraph(&mut self) -> Vec<String> {
        let mut p = Vec::new();
        for _ in 0..2 + self.rng.below(4) {
            self.sentence(&mut p);
        }
        p
    }

    pub(super) fn body(&mut self, words: usize) -> Body {
        let mut body = Vec::new();
        let mut n = 0;
        while n < words {
            let p = self.paragraph();
            n += p.len();
            body.push(p);
        }
        body
    }

    /// A copy of `base` with about `edit` of its words substituted, dropped or inserted.
    pub(super) fn edit(&mut self, base: &Body, edit: f64) -> Body {
        let mut out: Body = Vec::new();
        for p in base {
            if base.len() > 3 && self.rng.chance(0.05) {
                continue; // paragraph dropped
            }
            let mut q = Vec::with_capacity(p.len());
            for w in p {
                if self.rng.chance(edit) {
                    match self.rng.below(3) {
                        0 => {}
                        1 => {
                            q.push(w.clone());
                            q.push(self.vocab.word(&mut self.rng).to_string());
                        }
                        _ => q.push(self.vocab.word(&mut self.rng).to_string()),
                    }
                } else {
                    q.push(w.clone());
                }
            }
            out.push(q);
            if self.rng.chance(0.03) {
                let extra = self.paragraph();
                out.push(extra);
            }
        }
        if out.len() > 3 && self.rng.chance(0.1) {
            // Two paragraphs swapped, as editors do.
            let (x, y) = (self.rng.below(out.len()), self.rng.below(out.len()));
            out.swap(x, y);
        }
        out
    }
}

pub(super) fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The text of `body` and the code-point span of every word, paragraph by paragraph.
pub(super) fn render_with_offsets(body: &Body) -> (String, Vec<Vec<(usize, usize)>>) {
    let mut text = String::new();
    let mut chars = 0;
    let mut offsets = Vec::with_capacity(body.len());
    for (i, p) in body.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
            chars += 2;
        }
        let mut spans = Vec::with_capacity(p.len());
        for (j, w) in p.iter().enumerate() {
            if j > 0 {
                text.push(' ');
                chars += 1;
            }
            let n = w.chars().count();
            spans.push((chars, chars + n));
            text.push_str(w);
            chars += n;
        }
        offsets.push(spans);
    }
    (text, offsets)
}
