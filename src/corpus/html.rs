//! HTML pages reduced to their main text (the article, not the menus) with `dom_smoothie`, a port
//! of Mozilla's Readability that keeps paragraph breaks. Pages where it finds no article fall back
//! to all visible text.

use dom_smoothie::{Config, Readability, TextMode};

/// Main text and title of an HTML page.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let cfg = Config { text_mode: TextMode::Formatted, ..Config::default() };
    if let Ok(mut r) = Readability::new(html, None, Some(cfg)) {
        if let Ok(article) = r.parse() {
            let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
            let text = article.text_content.to_string();
            if !text.trim().is_empty() {
                return (text, title);
            }
        }
    }
    (strip_tags(html), None)
}

/// All text outside tags, `<script>` and `<style>`, with entities for `&amp; &lt; &gt; &quot;
/// &#39; &nbsp;` decoded and block tags turned into line breaks.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let lower: String = after.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            find_ci(after, "</script>")
        } else if lower.starts_with("<style") {
            find_ci(after, "</style>")
        } else {
            None
        };
        let end = match skip_to {
            Some(e) => e,
            None => after.find('>').map(|e| e + 1).unwrap_or(after.len()),
        };
        let tag = &lower;
        if ["<p", "<br", "<div", "<li", "<h1", "<h2", "<h3", "</p", "<tr"].iter().any(|t| tag.starts_with(t)) {
            out.push('\n');
        }
        rest = &after[end..];
    }
    push_text(&mut out, rest);
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle).map(|i| i + needle.len())
}

fn push_text(out: &mut String, s: &str) {
    out.push_str(
        &s.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_text_without_navigation() {
        let para = "The summit in Moscow ended with a long joint statement on trade and energy. ".repeat(8);
        let html = format!(
            "<html><head><title>Summit ends</title><script>var x=1;</script></head><body>\
             <nav><a href='/'>Home</a><a href='/world'>World</a></nav>\
             <article><h1>Summit ends</h1><p>{para}</p><p>{para}</p></article>\
             <footer>Leave a Reply</footer></body></html>"
        );
        let (text, title) = html_to_text(&html);
        assert_eq!(title.as_deref(), Some("Summit ends"));
        assert!(text.contains("joint statement"));
        assert!(!text.contains("var x"));
        assert!(!text.contains("Leave a Reply"), "{text}");
    }

    #[test]
    fn fallback_strips_tags() {
        assert_eq!(strip_tags("a<script>x</script>b&amp;c<br>d"), "ab&c\nd");
        assert_eq!(strip_tags("<unclosed"), "");
    }
}
