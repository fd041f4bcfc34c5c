//! The HTML report: one self-contained file (styles, script and data inline; no server, no
//! network, a Content-Security-Policy that forbids fetching anything) that shows the pairs side by
//! side with their passages highlighted, the clusters, and the travelling quotes.
//!
//! Safety: the corpus is untrusted. Its strings travel only inside the JSON data block, where every
//! `<`, `>` and `&` is written as a `\u` escape, so no article text can close the block or open a
//! tag; the script puts them on the page as text nodes, never as markup. The page is rendered by
//! `assets/report.js` from that data, a view at a time, so 10,000 pairs stay usable (tables page
//! by 100 rows, one pair's texts are laid out only when it is opened).

use super::{earlier, ClusterRecord, PairRecord, QuoteRecord, QuoteSummary, Report, Summary};
use crate::corpus::Doc;
use crate::neardup::FoundBy;
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
struct HtmlOccurrence {
    doc: u32,
    start: usize,
    end: usize,
    quoted: bool,
    speaker: Option<String>,
}

#[derive(Serialize)]
struct HtmlVariant {
    text: String,
    occurrences: usize,
}

#[derive(Serialize)]
struct HtmlQuote {
    id: usize,
    text: String,
    speaker: Option<String>,
    sources: usize,
    documents: usize,
    first: Option<usize>,
    variants: Vec<HtmlVariant>,
    occurrences: Vec<HtmlOccurrence>,
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
    pairs: &'a [HtmlPair],
    clusters: &'a [HtmlCluster],
    quotes: &'a [HtmlQuote],
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

/// Gathers the records of a scan and of the corpus's quotes, and writes the page at `finish`:
/// only then is it known which documents the page must carry.
pub struct HtmlReport<'w> {
    out: Box<dyn Write + 'w>,
    title: &'w str,
    docs: &'w [Doc],
    /// Pairs, clusters and quote occurrences point at documents by corpus index until `finish`
    /// renumbers them among the documents shown.
    pairs: Vec<HtmlPair>,
    clusters: Vec<HtmlCluster>,
    quotes: Vec<HtmlQuote>,
}

impl<'w> HtmlReport<'w> {
    /// Writes into `out` the page titled `title` over `docs` (the corpus the records come from,
    /// texts kept).
    pub fn new(out: Box<dyn Write + 'w>, title: &'w str, docs: &'w [Doc]) -> Self {
        HtmlReport { out, title, docs, pairs: Vec::new(), clusters: Vec::new(), quotes: Vec::new() }
    }
}

impl Report for HtmlReport<'_> {
    fn summary(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn pair(&mut self, p: &PairRecord) -> io::Result<()> {
        let (a, b) = (self.docs.get(p.a_doc as usize), self.docs.get(p.b_doc as usize));
        self.pairs.push(HtmlPair {
            a: p.a_doc,
            b: p.b_doc,
            jaccard: p.jaccard,
            containment: p.containment,
            cluster: p.cluster,
            found_by: p.found_by,
            earlier: a.zip(b).and_then(|(a, b)| earlier(a, b)),
            passages: p
                .passages
                .iter()
                .map(|x| HtmlPassage {
                    a_start: x.a_start,
                    a_end: x.a_end,
                    b_start: x.b_start,
                    b_end: x.b_end,
                    words: x.words,
                    score: x.score,
                    boilerplate: x.boilerplate,
                })
                .collect(),
        });
        Ok(())
    }

    fn cluster(&mut self, c: &ClusterRecord) -> io::Result<()> {
        self.clusters.push(HtmlCluster { id: c.id, members: c.member_docs.to_vec() });
        Ok(())
    }

    fn quote_summary(&mut self, _: &QuoteSummary) -> io::Result<()> {
        Ok(())
    }

    fn quote(&mut self, q: &QuoteRecord) -> io::Result<()> {
        self.quotes.push(HtmlQuote {
            id: q.id,
            text: q.text.to_string(),
            speaker: q.speaker.map(str::to_string),
            sources: q.sources,
            documents: q.documents,
            first: q.first,
            variants: q
                .variants
                .iter()
                .map(|v| HtmlVariant { text: v.text.to_string(), occurrences: v.occurrences })
                .collect(),
            occurrences: q
                .occurrences
                .iter()
                .map(|o| HtmlOccurrence {
                    doc: o.doc_index,
                    start: o.start,
                    end: o.end,
                    quoted: o.quoted,
                    speaker: o.speaker.map(str::to_string),
                })
                .collect(),
        });
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Only the documents something points at travel with the page, renumbered in input order.
        let mut used: BTreeSet<u32> = BTreeSet::new();
        for p in &self.pairs {
            used.extend([p.a, p.b]);
        }
        for c in &self.clusters {
            used.extend(c.members.iter().copied());
        }
        for q in &self.quotes {
            used.extend(q.occurrences.iter().map(|o| o.doc));
        }
        let index: BTreeMap<u32, u32> = used.iter().enumerate().map(|(i, &d)| (d, i as u32)).collect();
        for p in &mut self.pairs {
            (p.a, p.b) = (index[&p.a], index[&p.b]);
        }
        for m in self.clusters.iter_mut().flat_map(|c| c.members.iter_mut()) {
            *m = index[m];
        }
        for o in self.quotes.iter_mut().flat_map(|q| q.occurrences.iter_mut()) {
            o.doc = index[&o.doc];
        }
        let docs = self.docs;
        let html_docs = used
            .iter()
            .filter_map(|&d| docs.get(d as usize))
            .map(|d| HtmlDoc {
                id: &d.id,
                source: d.source.as_deref(),
                date: d.date.as_deref(),
                title: d.title.as_deref(),
                text: &d.text,
            })
            .collect();
        let sources: BTreeSet<&str> = docs.iter().map(|d| d.source.as_deref().unwrap_or(&d.id)).collect();
        let data = HtmlData {
            title: self.title,
            summary: HtmlSummary {
                documents: docs.len(),
                sources: sources.len(),
                pairs: self.pairs.len(),
                clusters: self.clusters.len(),
                passages: self.pairs.iter().map(|p| p.passages.len()).sum(),
                quotes: self.quotes.len(),
            },
            docs: html_docs,
            pairs: &self.pairs,
            clusters: &self.clusters,
            quotes: &self.quotes,
        };
        let json = script_safe_json(&serde_json::to_string(&data).map_err(io::Error::other)?);
        let page = TEMPLATE
            .replace("{{GENERATOR}}", concat!("reprint ", env!("CARGO_PKG_VERSION")))
            .replace("{{TITLE}}", &escape_html(self.title))
            .replace("{{CSS}}", CSS)
            .replace("{{JS}}", JS);
        // The data goes in last, so that nothing in it can be taken for a placeholder.
        let (head, tail) = page.split_once("{{DATA}}").unwrap_or((&page, ""));
        self.out.write_all(head.as_bytes())?;
        self.out.write_all(json.as_bytes())?;
        self.out.write_all(tail.as_bytes())?;
        self.out.flush()
    }
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
