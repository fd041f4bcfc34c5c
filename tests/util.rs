//! Helpers for the end-to-end tests: run the built `reprint` binary and read its output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// JSON records of a `--format jsonl` run.
    pub fn records(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }

    /// The `summary` record of a `--format jsonl` run.
    pub fn summary(&self) -> serde_json::Value {
        self.records().into_iter().find(|r| r["type"] == "summary").expect("summary record")
    }

    /// The `pair` records.
    pub fn pairs(&self) -> Vec<serde_json::Value> {
        self.records().into_iter().filter(|r| r["type"] == "pair").collect()
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `reprint ARGS` in the crate root.
pub fn reprint(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run reprint");
    finish(out)
}

/// Runs `reprint ARGS` with the environment variables `env` set.
pub fn reprint_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run reprint");
    finish(out)
}

/// Runs `reprint ARGS` with `input` on stdin.
pub fn reprint_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn reprint");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    finish(child.wait_with_output().expect("wait"))
}

/// Runs `reprint eval --truth TRUTH --found FOUND --json`, checks it succeeded, and returns the
/// scores.
pub fn eval_json(truth: &Path, found: &Path) -> serde_json::Value {
    let e = reprint(&["eval", "--truth", s(truth), "--found", s(found), "--json"]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    serde_json::from_str(&e.stdout).expect("eval --json prints JSON")
}

/// Writes `content` to `dir/name`, creating parent directories.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, content).expect("write");
    p
}

/// `n` words of deterministic filler text, different for each `seed`.
pub fn filler(seed: u64, n: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % 20_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Path as &str for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs `reprint synth --docs DOCS --seed SEED --out DIR EXTRA...` and checks it succeeded.
pub fn synth(dir: &Path, docs: &str, seed: &str, extra: &[&str]) {
    let mut args = vec!["synth", "--docs", docs, "--seed", seed, "--out", s(dir)];
    args.extend_from_slice(extra);
    let r = reprint(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
