//! The HTML report's escaping: escaped text holds no raw markup character and reads back as the
//! original; JSON made safe for a script element holds no `<`, `>` or `&` and parses back to the
//! same value.

use reprint::report::html::{escape_html, script_safe_json};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data).into_owned();
        let escaped = escape_html(&text);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped:?}");
        let back = escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(back, text);
        let json = serde_json::to_string(&text).expect("JSON string");
        let safe = script_safe_json(&json);
        assert!(!safe.contains(['<', '>', '&']), "{safe:?}");
        let parsed: String = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(parsed, text);
    });
}
