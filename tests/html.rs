//! The HTML report: self-contained, escaped, and checked in a real browser (Debian's chromium,
//! headless) when one is installed; `.ci/run` installs it, and in CI a missing browser fails.

use crate::util::{reprint, reprint_stdin};
use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: [&str; 3] = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea>"];

/// A corpus whose shared passage, titles and ids carry markup.
fn hostile_corpus() -> String {
    let shared =
        "the finance ministers of the group of seven agreed on a common statement about currency markets and growth";
    let mut out = String::new();
    for (i, h) in HOSTILE.iter().enumerate() {
        let text =
            format!("Intro {h} words here. {shared} {h}. Then the story went on about other things entirely {i}.");
        let line = serde_json::json!({"id": format!("doc{i}{h}"), "source": format!("s{i}"), "title": h, "text": text});
        out.push_str(&format!("{line}\n"));
    }
    out
}

/// The browser `build.rs` found. The browser tests only run where it found one, or under CI,
/// where one must be.
fn chromium() -> PathBuf {
    let found = option_env!("REPRINT_TEST_CHROMIUM");
    PathBuf::from(
        found.expect("no chromium on PATH when reprint was built (.ci/run installs it; set CHROMIUM to use another)"),
    )
}

/// Runs headless chromium on `file#fragment` with `extra` flags; (stdout, stderr).
fn browse(browser: &Path, file: &Path, fragment: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{fragment}", file.display());
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"])
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The `data-*` attributes of the report's status element, as the page left them.
fn status(dom: &str) -> std::collections::HashMap<String, String> {
    let start = dom.find("<div id=\"status\"").expect("status element");
    let tag = &dom[start..start + dom[start..].find('>').unwrap()];
    tag.split(" data-")
        .skip(1)
        .filter_map(|kv| kv.split_once("=\"").map(|(k, v)| (k.to_string(), v.trim_end_matches('"').to_string())))
        .collect()
}

fn console_errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("CONSOLE") || l.contains("Uncaught")).collect()
}

#[test]
fn report_is_one_file_with_everything_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    let r = reprint_stdin(
        &["scan", "-", "--format", "html", "-o", path.to_str().unwrap(), "-q"],
        hostile_corpus().as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(&path).unwrap();
    for h in HOSTILE {
        assert!(!html.contains(h), "raw {h:?} in the report");
    }
    assert!(!html.contains("<img"));
    // Self-contained: no external script, style, image or font.
    for needle in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert_eq!(html.matches("<script").count(), 2, "one data block, one script");
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs chromium (set CHROMIUM or put it on PATH, then touch build.rs)")]
fn seeds_report_in_a_browser() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seeds.html");
    let r = reprint(&["scan", "seeds", "--format", "html", "-o", path.to_str().unwrap(), "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let (dom, err) = browse(&browser, &path, "pair/0", &["--dump-dom"]);
    let s = status(&dom);
    assert_eq!(s.get("errors").map(String::as_str), Some("0"), "{s:?}");
    assert!(console_errors(&err).is_empty(), "{:?}", console_errors(&err));
    assert_eq!(s["view"], "pair");
    // Both sides show the same highlighted passages.
    assert!(s["marks-a"].parse::<usize>().unwrap() >= 2);
    assert_eq!(s["marks-a"], s["marks-b"]);
    assert!(dom.contains("class=\"diff\""), "the differing word (forward / ahead) is marked");

    // Clicking a passage on one side brings the other side to the same passage.
    let (dom, _) = browse(&browser, &path, "pair/0/selftest", &["--dump-dom"]);
    let s = status(&dom);
    assert!(s["jumped"].starts_with("b-p"), "{s:?}");

    let (dom, _) = browse(&browser, &path, "quotes", &["--dump-dom"]);
    let s = status(&dom);
    assert_eq!((s["view"].as_str(), s["errors"].as_str()), ("quotes", "0"));
    assert!(s["quotes"].parse::<usize>().unwrap() >= 3);
    assert!(dom.contains("ratification of Russian conquest"));

    let (dom, _) = browse(&browser, &path, "", &["--dump-dom"]);
    let s = status(&dom);
    assert_eq!((s["view"].as_str(), s["errors"].as_str(), s["rows"].as_str()), ("overview", "0", "2"));

    // The screenshot the README shows (written under target/ so CI keeps it with the build).
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("report-seeds.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        &browser,
        &path,
        "pair/0",
        &["--hide-scrollbars", "--window-size=1280,900", &format!("--screenshot={}", shot.display())],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{} bytes", png.len());
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs chromium (set CHROMIUM or put it on PATH, then touch build.rs)")]
fn hostile_text_stays_text_in_a_browser() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.html");
    let r = reprint_stdin(
        &["scan", "-", "--format", "html", "-o", path.to_str().unwrap(), "-q", "--min-words", "5"],
        hostile_corpus().as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (dom, err) = browse(&browser, &path, "pair/0", &["--dump-dom"]);
    let s = status(&dom);
    assert_eq!((s["view"].as_str(), s["errors"].as_str()), ("pair", "0"), "{s:?}");
    assert!(console_errors(&err).is_empty(), "{:?}", console_errors(&err));
    // Shown as text (escaped in the serialized DOM), never parsed as elements.
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;/textarea&gt;"));
    assert!(!dom.contains("<img"), "an <img> element was created");
    assert_eq!(dom.matches("<script").count(), 2);
}
