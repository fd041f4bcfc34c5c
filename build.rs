//! Tells the end-to-end tests what this machine has that they may need, so that a test that
//! cannot run is reported as ignored (with the reason) rather than passing without checking:
//! - `has_reuters`: the shared Reuters-21578 corpus at `../shared/data/reuters21578`;
//! - `has_chromium`: a browser for the HTML report (`$CHROMIUM`, or `chromium`,
//!   `chromium-browser` or `google-chrome` on `PATH`). Under `CI` the browser tests always run, and
//!   fail when it is missing: `.ci/run` installs it.
//!
//! Presence is checked when the package is built: after adding the corpus, `touch build.rs`.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_reuters)");
    println!("cargo::rustc-check-cfg=cfg(has_chromium)");
    println!("cargo::rerun-if-changed=build.rs");
    for var in ["CHROMIUM", "PATH", "CI"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let reuters = Path::new(&root).join("../shared/data/reuters21578/articles.jsonl.gz");
    if reuters.exists() {
        println!("cargo::rerun-if-changed={}", reuters.display());
        println!("cargo::rustc-cfg=has_reuters");
    }
    if std::env::var_os("CI").is_some() || std::env::var_os("CHROMIUM").is_some() || browser_on_path() {
        println!("cargo::rustc-cfg=has_chromium");
    }
}

fn browser_on_path() -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path)
        .any(|dir| ["chromium", "chromium-browser", "google-chrome"].iter().any(|b| dir.join(b).is_file()))
}
