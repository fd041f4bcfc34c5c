//! Tells the end-to-end tests what this machine has that they may need, so that a test that
//! cannot run is reported as ignored (with the reason) rather than passing without checking:
//! - `has_reuters`: the shared Reuters-21578 corpus at `../shared/data/reuters21578`;
//! - `has_chromium`: a browser for the HTML report (`$CHROMIUM`, or `chromium`,
//!   `chromium-browser` or `google-chrome` on `PATH`), whose path the tests get as
//!   `REPRINT_TEST_CHROMIUM`. Under `CI` the browser tests always run, and fail when it is
//!   missing: `.ci/run` installs it.
//!
//! Presence is checked when the package is built: after adding the corpus, `touch build.rs`.

use std::path::{Path, PathBuf};

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
    let browser = browser();
    if let Some(b) = &browser {
        println!("cargo::rustc-env=REPRINT_TEST_CHROMIUM={}", b.display());
    }
    if browser.is_some() || std::env::var_os("CI").is_some() {
        println!("cargo::rustc-cfg=has_chromium");
    }
}

/// `$CHROMIUM`, or the first of chromium, chromium-browser and google-chrome on `PATH`.
fn browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        ["chromium", "chromium-browser", "google-chrome"].iter().map(|b| dir.join(b)).find(|p| p.is_file())
    })
}
