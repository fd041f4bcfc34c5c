//! The HTML report: one self-contained file (styles, script and data inline; no server, no
//! network, a Content-Security-Policy that forbids fetching anything) that shows the pairs side by
//! side with their passages highlighted, the clusters, and the travelling quotes.
//!
//! Safety: the corpus is untrusted. Its strings travel only inside the JSON data block, where every
//! `<`, `>` and `&` is written as a `\u` escape, so no article text can close the block or open a
//! tag; the script puts them on the page as text nodes, never as markup. The page is rendered by
//! `assets/report.js` from that data, a view at a time, so 10,000 pairs stay usable (tables page
//! by 100 rows, one pair's texts are laid out only when it is opened).

use super::{earlier, round4, VariantRecord};
use crate::corpus::Doc;
use crate::quote::QuoteResult;
use crate::{neardup::FoundBy, scan::ScanResult};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

const TEMPLATE: &str = include_str!("assets/report.html");
const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

#[derive(Serialize)]
struct HtmlDoc<'a> {
    id: &'a str,
    source: Option<&'a str>,
    date: Option<&'a str>,
    title: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct HtmlPassage {
    a_start: usize,
    a_end: usize,
    b_start: usize,
    b_end: usize,
    words: usize,
    score: f64,
    boilerplate: bool,
}

#[derive(Serialize)]
struct HtmlPair {
    a: u32,
    b: u32,
    jaccard: f64,
    containment: f64,
    cluster: Option<u32>,
    found_by: FoundBy,
    earlier: Option<&'static str>,
    passages: Vec<HtmlPassage>,
}

#[derive(Serialize)]
struct HtmlCluster {
    id: u32,
    members: Vec<u32>,
}

#[derive(Serialize)]
struct HtmlOccurrence<'a> {
    doc: u32,
    start: usize,
    end: usize,
    quoted: bool,
    speaker: Option<&'a str>,
}

#[derive(Serialize)]
struct HtmlQuote<'a> {
    id: usize,
    text: &'a str,
    speaker: Option<&'a str>,
    sources: usize,
    documents: usize,
    first: Option<usize>,
    variants: Vec<VariantRecord<'a>>,
    occurrences: Vec<HtmlOccurrence<'a>>,
}

#[derive(Serialize)]
struct HtmlSummary {
    documents: usize,
    sources: usize,
    pairs: usize,
    clusters: usize,
    passages: usize,
    quotes: usize,
}

#[derive(Serialize)]
struct HtmlData<'a> {
    title: &'a str,
    summary: HtmlSummary,
    docs: Vec<HtmlDoc<'a>>,
    pairs: Vec<HtmlPair>,
    clusters: Vec<HtmlCluster>,
    quotes: Vec<HtmlQuote<'a>>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script type="application/json">`: no `<`, `>` or `&` at all, and
/// the two line separators JavaScript once treated as line ends escaped.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the report for `docs`, with the pairs and clusters of `scan` and the quotes of `quotes`
/// (either may be absent), titled `title`.
pub fn write_html(
    out: &mut dyn Write,
    title: &str,
    docs: &[Doc],
    scan: Option<&ScanResult>,
    quotes: Option<&QuoteResult>,
) -> io::Result<()> {
    // Only the documents something points at travel with the report.
    let mut used: BTreeSet<u32> = BTreeSet::new();
    if let Some(s) = scan {
        for p in &s.pairs {
            used.extend([p.a, p.b]);
        }
        for c in &s.clusters {
            used.extend(c.members.iter().copied());
        }
    }
    if let Some(q) = quotes {
        for c in &q.clusters {
            used.extend(c.occurrences.iter().map(|o| o.doc));
        }
    }
    let index: BTreeMap<u32, u32> = used.iter().enumerate().map(|(i, &d)| (d, i as u32)).collect();
    let html_docs = used
        .iter()
        .map(|&d| {
            let d = &docs[d as usize];
            HtmlDoc {
                id: &d.id,
                source: d.source.as_deref(),
                date: d.date.as_deref(),
                title: d.title.as_deref(),
                text: &d.text,
            }
        })
        .collect();
    let pairs: Vec<HtmlPair> = scan
        .map(|s| {
            s.pairs
                .iter()
                .map(|p| HtmlPair {
                    a: index[&p.a],
                    b: index[&p.b],
                    jaccard: round4(p.jaccard),
                    containment: round4(p.containment),
                    cluster: p.cluster,
                    found_by: p.found_by,
                    earlier: earlier(&docs[p.a as usize], &docs[p.b as usize]),
                    passages: p
                        .passages
                        .iter()
                        .map(|x| HtmlPassage {
                            a_start: x.a_start,
                            a_end: x.a_end,
                            b_start: x.b_start,
                            b_end: x.b_end,
                            words: x.words,
                            score: round4(x.score),
                            boilerplate: x.boilerplate,
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let clusters: Vec<HtmlCluster> = scan
        .map(|s| {
            s.clusters
                .iter()
                .map(|c| HtmlCluster { id: c.id, members: c.members.iter().map(|m| index[m]).collect() })
                .collect()
        })
        .unwrap_or_default();
    let html_quotes: Vec<HtmlQuote> = quotes
        .map(|q| {
            q.clusters
                .iter()
                .map(|c| HtmlQuote {
                    id: c.id,
                    text: &c.text,
                    speaker: c.speaker.as_deref(),
                    sources: c.sources,
                    documents: c.documents,
                    first: c.first,
                    variants: c
                        .variants
                        .iter()
                        .map(|v| VariantRecord { text: &v.text, occurrences: v.occurrences })
                        .collect(),
                    occurrences: c
                        .occurrences
                        .iter()
                        .map(|o| HtmlOccurrence {
                            doc: index[&o.doc],
                            start: o.start,
                            end: o.end,
                            quoted: o.quoted,
                            speaker: o.speaker.as_deref(),
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let sources: BTreeSet<&str> = docs.iter().map(|d| d.source.as_deref().unwrap_or(&d.id)).collect();
    let data = HtmlData {
        title,
        summary: HtmlSummary {
            documents: docs.len(),
            sources: sources.len(),
            pairs: pairs.len(),
            clusters: clusters.len(),
            passages: pairs.iter().map(|p| p.passages.len()).sum(),
            quotes: html_quotes.len(),
        },
        docs: html_docs,
        pairs,
        clusters,
        quotes: html_quotes,
    };
    let json = script_safe_json(&serde_json::to_string(&data).map_err(io::Error::other)?);
    let page = TEMPLATE
        .replace("{{GENERATOR}}", concat!("reprint ", env!("CARGO_PKG_VERSION")))
        .replace("{{TITLE}}", &escape_html(title))
        .replace("{{CSS}}", CSS)
        .replace("{{JS}}", JS);
    // The data goes in last, so that nothing in it can be taken for a placeholder.
    let (head, tail) = page.split_once("{{DATA}}").unwrap_or((&page, ""));
    out.write_all(head.as_bytes())?;
    out.write_all(json.as_bytes())?;
    out.write_all(tail.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_has_no_markup_characters() {
        let s = script_safe_json(r#"{"t":"</script><img src=x onerror=alert(1)> & \u2028"}"#);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["t"], "</script><img src=x onerror=alert(1)> & \u{2028}");
    }

    #[test]
    fn escape_html_escapes_the_five() {
        assert_eq!(escape_html(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
