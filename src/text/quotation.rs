//! Quotation marks: the spans of a text between them, in one pass, for the passage stage (is a
//! passage quoted?) and for [`crate::quote`] (which joins quotations broken by an attribution).
//!
//! One pass over the characters, so time is linear in the text whatever its marks. A mark's role
//! comes from where it stands, not from its shape, because real text mixes them (seed 001 opens
//! with `“` and closes with `"`; seed 000 closes with `“`):
//! - *opening position*: at the start of the text or after a space, bracket, dash or another
//!   mark, and followed by something other than a space;
//! - *closing position*: after something other than a space.
//!
//! Marks come in two families, double (`“ ” " „ « »`) and single (`‘ ’ ' ‚ ‹ ›`). Inside an open
//! quotation, a mark of its family in closing position closes it; a mark in opening position opens
//! a quotation inside it (at most [`MAX_DEPTH`] deep). A single mark between two letters or
//! digits is an apostrophe (`Xi’s`, `don't`, `'90s`), never a quotation mark.
//!
//! Paragraphs: a quotation may run over line breaks (wire copy wraps its lines). A line that starts
//! with a mark of the open quotation's family continues it as a new *fragment* (the newspaper
//! convention: every paragraph of a long quotation opens with a mark and only the last one
//! closes). A blank line ends an open quotation as unclosed, and so does a fresh opening mark
//! after a line break, so that one stray mark cannot pair up the rest of a document wrongly.
//! Unclosed single-mark quotations are dropped: they are almost always apostrophes.

/// How many quotations may be open inside each other.
pub const MAX_DEPTH: usize = 3;

/// Shortest run of plain ASCII skipped at once rather than walked character by character.
pub(crate) const MIN_SKIP: usize = 16;

/// A quotation found in a text: one or more fragments of quoted words, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawQuote {
    /// The quoted text of each fragment (inside the marks, trimmed of spaces and of trailing
    /// `, ; : .`), as byte ranges into the text, in order.
    pub fragments: Vec<(usize, usize)>,
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset just after the closing mark, or where an unclosed quotation was cut.
    pub close: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
    /// Byte ranges of the attributions that break the quotation (`he said` in `“…,” he said,
    /// “…”`), between one fragment's closing mark and the next one's opening mark.
    pub breaks: Vec<(usize, usize)>,
}

impl RawQuote {
    /// Byte offset where the quoted text starts.
    pub fn start(&self) -> usize {
        self.fragments[0].0
    }

    /// Byte offset where the quoted text ends.
    pub fn end(&self) -> usize {
        self.fragments[self.fragments.len() - 1].1
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Double,
    Single,
}

fn family(c: char) -> Option<Family> {
    match c {
        '“' | '”' | '"' | '„' | '‟' | '«' | '»' | '〝' | '〞' | '＂' | '「' | '」' => {
            Some(Family::Double)
        }
        '‘' | '’' | '\'' | '‚' | '‛' | '‹' | '›' | '『' | '』' => Some(Family::Single),
        _ => None,
    }
}

/// Whether `c` is a quotation mark of either family.
pub fn is_mark(c: char) -> bool {
    family(c).is_some()
}

/// Marks that only ever open (low-9 quotes, CJK corner brackets).
fn only_opens(c: char) -> bool {
    matches!(c, '„' | '‚' | '「' | '『')
}

/// Marks that only ever close, whatever stands around them (CJK corner brackets: no spaces).
fn only_closes(c: char) -> bool {
    matches!(c, '」' | '』')
}

fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || family(c).is_some()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '…')
                // Chinese and Japanese set no spaces: a mark opens after their punctuation
                // (`表示：“…”`) and their letters (`他说“…”`).
                || matches!(c, '：' | '，' | '、' | '；' | '。' | '（' | '！' | '？')
                || is_cjk(c)
        }
    }
}

/// Whether `c` is a Chinese character or Japanese kana (scripts written without spaces).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

struct Open {
    family: Family,
    mark: usize,
    frag_start: usize,
    fragments: Vec<(usize, usize)>,
    /// A line break was crossed since this quotation (or its latest fragment) opened.
    crossed_line: bool,
}

/// Trims a fragment's byte range: spaces on both sides, `, ; : .` (and the full-width `。，`) and
/// spaces at the end.
fn trim(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let body = s.trim_start();
    let kept = body.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '。' | '，'));
    // "U.S." and "…": a full stop right after a capital or another stop is part of the text.
    (start + lead, start + lead + kept.len())
}

/// Finds the quotations of `text`, in order of their opening marks (outermost only: a quotation
/// inside another is part of it).
pub fn marked(text: &str) -> Vec<RawQuote> {
    quotations_skipping(text, MIN_SKIP)
}

/// [`quotations`], skipping runs of plain ASCII of at least `min_skip` bytes at once.
pub(crate) fn quotations_skipping(text: &str, min_skip: usize) -> Vec<RawQuote> {
    let mut found: Vec<RawQuote> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut prev: Option<char> = None;
    let mut line_start = true;
    let mut blank_run = false;
    let mut paragraph_break: Option<usize> = None;
    let bytes = text.as_bytes();
    // `iter` walks `text[base..]`: it starts again further on after a skipped run.
    let mut base = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((k, c)) = iter.next() {
        let i = base + k;
        let next = iter.peek().map(|&(_, n)| n);
        if c == '\n' {
            if line_start && blank_run && paragraph_break.is_none() {
                // A blank line: the paragraph is over unless the next one continues the quotation.
                paragraph_break = Some(i);
            }
            if let Some(top) = stack.last_mut() {
                top.crossed_line = true;
            }
            line_start = true;
            blank_run = true;
            prev = Some(c);
            continue;
        }
        if c.is_whitespace() {
            prev = Some(c);
            continue;
        }
        let at_line_start = line_start;
        if let Some(at) = paragraph_break.take() {
            let continues = family(c).is_some_and(|f| stack.first().is_some_and(|o| o.family == f));
            if !continues {
                close_all_unclosed(&mut stack, &mut found, text, at);
            }
        }
        line_start = false;
        blank_run = false;
        let Some(fam) = family(c) else {
            prev = Some(c);
            // Mid-line, a run of ASCII without marks or line breaks changes nothing but `prev`.
            let from = i + c.len_utf8();
            let run = bytes[from..].iter().position(|&b| b >= 0x80 || matches!(b, b'\n' | b'"' | b'\''));
            let to = run.map_or(bytes.len(), |r| from + r);
            if to - from >= min_skip {
                prev = Some(bytes[to - 1] as char);
                base = to;
                iter = text[to..].char_indices().peekable();
            }
            continue;
        };
        // Guillemets may stand apart from their words (French spacing: « bonjour »).
        let spaced = matches!(c, '«' | '»' | '‹' | '›');
        let corner = only_opens(c) || only_closes(c);
        let closing_pos =
            only_closes(c) || prev.is_some_and(|p| (spaced || !p.is_whitespace()) && !matches!(p, '(' | '[' | '{'));
        let opening_pos = !only_closes(c)
            && (corner || opens_after(prev))
            && next.is_some_and(|n| spaced || corner || !n.is_whitespace());
        if fam == Family::Single {
            let word_before = prev.is_some_and(|p| p.is_alphanumeric());
            let word_after = next.is_some_and(|n| n.is_alphanumeric());
            if word_before && word_after && !corner {
                prev = Some(c);
                continue; // apostrophe (never a corner bracket: `る』と`)
            }
            if opening_pos && !next.is_some_and(|n| n.is_alphabetic() || family(n).is_some()) {
                prev = Some(c);
                continue; // '90s, 'n'
            }
        }
        let end_of_mark = i + c.len_utf8();
        let open_idx = stack.iter().rposition(|o| o.family == fam);
        if at_line_start && opening_pos && stack.first().is_some_and(|o| o.family == fam) {
            // A paragraph that opens with a mark of the open quotation's family continues it.
            let (ts, te) = {
                let o = &stack[0];
                trim(text, o.frag_start, last_line_end(bytes, o.frag_start, i))
            };
            stack.truncate(1);
            let o = &mut stack[0];
            if te > ts {
                o.fragments.push((ts, te));
            }
            o.frag_start = end_of_mark;
            o.crossed_line = false;
        } else if let (Some(idx), true, false) = (open_idx, closing_pos, only_opens(c)) {
            if idx == 0 {
                let o = stack.remove(0);
                stack.clear();
                finish(&mut found, text, o, i, end_of_mark, true);
            } else {
                stack.truncate(idx);
            }
        } else if opening_pos {
            if let Some(idx) = open_idx.filter(|&k| stack[k].crossed_line) {
                // A fresh mark after a line break while one of its family is still open: the
                // earlier mark was never closed.
                if idx == 0 {
                    close_all_unclosed(&mut stack, &mut found, text, i);
                } else {
                    stack.truncate(idx);
                }
            }
            if stack.len() < MAX_DEPTH {
                stack.push(Open {
                    family: fam,
                    mark: i,
                    frag_start: end_of_mark,
                    fragments: Vec::new(),
                    crossed_line: false,
                });
            }
        }
        prev = Some(c);
    }
    close_all_unclosed(&mut stack, &mut found, text, text.len());
    found
}

/// End of the last line before `limit` that has text after `from` (for a fragment cut at a
/// paragraph that continues the quotation).
fn last_line_end(bytes: &[u8], from: usize, limit: usize) -> usize {
    let mut end = limit;
    while end > from && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

fn close_all_unclosed(stack: &mut Vec<Open>, found: &mut Vec<RawQuote>, text: &str, at: usize) {
    if stack.is_empty() {
        return;
    }
    let o = stack.remove(0);
    stack.clear();
    if o.family == Family::Single {
        return;
    }
    // Cut at the first line break after the last fragment start: an unclosed mark claims at most
    // the rest of its own line, not everything up to the next blank line.
    let end = memchr::memchr(b'\n', &text.as_bytes()[o.frag_start..at]).map_or(at, |k| o.frag_start + k);
    finish(found, text, o, end, end, false);
}

fn finish(found: &mut Vec<RawQuote>, text: &str, mut o: Open, content_end: usize, close: usize, closed: bool) {
    let (ts, te) = trim(text, o.frag_start, content_end);
    if te > ts {
        o.fragments.push((ts, te));
    }
    if o.fragments.is_empty() {
        return;
    }
    found.push(RawQuote { fragments: o.fragments, open: o.mark, close, closed, breaks: Vec::new() });
}
