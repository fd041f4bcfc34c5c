//! `reprint bench`: synth + scan + eval in one go, at one or several corpus sizes, printing speed,
//! peak memory and accuracy, and optionally the growth curve as an SVG plot.
//!
//! Each scan runs as a child process (this same executable), so its wall time and peak resident
//! memory are its own (`wait4`'s resource usage), not the benchmark's.

use super::{fail, EXIT_OK};
use reprint::error::{Error, Result};
use reprint::eval::truth::{read_found, read_truth};
use reprint::eval::{score_pairs, score_passages};
use reprint::synth::{generate, SynthConfig};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Options of `reprint bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Corpus sizes in documents, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    sizes: Vec<usize>,
    /// Random seed of the synthetic corpora.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Where corpora and results go (default: a new directory under the system temp dir).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Threads for each scan (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Near-duplicates only.
    #[arg(long)]
    no_passages: bool,
    /// Character error rate of OCR noise laid over the synthetic corpora (see `reprint synth
    /// --ocr-cer`); the truth's spans follow the noise.
    #[arg(long, default_value_t = 0.0, value_name = "R")]
    ocr_cer: f64,
    /// Scan with `--ocr` (letters instead of words).
    #[arg(long)]
    ocr: bool,
    /// Write the curve of time and memory against corpus size as an SVG file.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// Print JSON Lines (one record per size) instead of a table.
    #[arg(long)]
    json: bool,
}

/// One measured size.
#[derive(Debug, Clone, serde::Serialize)]
struct Row {
    docs: usize,
    mb: f64,
    wall_s: f64,
    docs_per_s: f64,
    mb_per_s: f64,
    peak_mib: f64,
    pair_precision: f64,
    pair_recall: f64,
    passage_recall: Option<f64>,
    passage_plagdet: Option<f64>,
}

/// Runs `cmd` to completion; returns (wall seconds, peak RSS in MiB, exit code).
fn measure(cmd: &mut Command) -> Result<(f64, f64, i32)> {
    let start = Instant::now();
    let child =
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).spawn().map_err(|e| Error::io("cannot start scan", e))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain FFI call on a child we spawned and have not waited for; both out-pointers
    // point to live, properly aligned locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    if r < 0 {
        return Err(Error::io("waiting for the scan", std::io::Error::last_os_error()));
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    // ru_maxrss is in KiB on Linux.
    Ok((wall, usage.ru_maxrss as f64 / 1024.0, code))
}

fn bench_size(args: &Args, dir: &Path, docs: usize) -> Result<Row> {
    let sub = dir.join(format!("n{docs}"));
    std::fs::create_dir_all(&sub).map_err(|e| Error::io(format!("cannot create {}", sub.display()), e))?;
    let (corpus, truth) = (sub.join("corpus.jsonl"), sub.join("truth.jsonl"));
    let open = |p: &Path| {
        File::create(p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| Error::io(format!("cannot write {}", p.display()), e))
    };
    let cfg = SynthConfig { docs, seed: args.seed, ocr_cer: args.ocr_cer, ..SynthConfig::default() };
    let stats =
        generate(&cfg, &mut open(&corpus)?, &mut open(&truth)?).map_err(|e| Error::io("writing the corpus", e))?;
    let found = sub.join("found.jsonl");
    let exe = std::env::current_exe().map_err(|e| Error::io("cannot find this executable", e))?;
    let mut cmd = Command::new(exe);
    cmd.arg("scan")
        .arg(&corpus)
        .args(["--format", "jsonl", "-q", "--threads", &args.threads.to_string(), "-o"])
        .arg(&found);
    if args.no_passages {
        cmd.arg("--no-passages");
    }
    if args.ocr {
        cmd.arg("--ocr");
    }
    let (wall, peak, code) = measure(&mut cmd)?;
    if code != 0 {
        return Err(Error::io(
            format!("scan of {docs} documents"),
            std::io::Error::other(format!("exited with status {code}")),
        ));
    }
    let t = read_truth(&[truth.display().to_string()], 0.5)?;
    let f = read_found(&found.display().to_string(), false)?;
    let pairs = score_pairs(&t.pairs, &f.pairs);
    let passages = (!args.no_passages && !t.passages.is_empty()).then(|| score_passages(&t.passages, &f.passages));
    let mb = stats.bytes as f64 / 1e6;
    Ok(Row {
        docs,
        mb,
        wall_s: wall,
        docs_per_s: docs as f64 / wall.max(1e-9),
        mb_per_s: mb / wall.max(1e-9),
        peak_mib: peak,
        pair_precision: pairs.precision,
        pair_recall: pairs.recall,
        passage_recall: passages.as_ref().map(|p| p.recall),
        passage_plagdet: passages.as_ref().map(|p| p.plagdet),
    })
}

/// A log-log plot of wall time and peak memory against documents, each curve on its own scale
/// (the legend gives its range): a straight line at 45 degrees is linear growth.
fn svg(rows: &[Row]) -> String {
    let (w, h, m) = (720.0, 420.0, 60.0);
    let xs: Vec<f64> = rows.iter().map(|r| (r.docs as f64).log10()).collect();
    let (x0, x1) =
        (xs.iter().cloned().fold(f64::INFINITY, f64::min), xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
    let span = |lo: f64, hi: f64| if hi - lo < 1e-9 { (lo - 0.5, hi + 0.5) } else { (lo, hi) };
    let (x0, x1) = span(x0, x1);
    let x = |v: f64| m + (v - x0) / (x1 - x0) * (w - 2.0 * m);
    let series = |vals: Vec<f64>, color: &str, label: &str, row: usize| {
        let logs: Vec<f64> = vals.iter().map(|v| v.max(1e-3).log10()).collect();
        let (lo, hi) = span(
            logs.iter().cloned().fold(f64::INFINITY, f64::min),
            logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        );
        let y = |v: f64| h - m - (v - lo) / (hi - lo) * (h - 2.0 * m);
        let pts: Vec<String> = xs.iter().zip(&logs).map(|(a, b)| format!("{:.1},{:.1}", x(*a), y(*b))).collect();
        let dots: String = xs
            .iter()
            .zip(&logs)
            .zip(&vals)
            .map(|((a, b), v)| {
                format!(
                    "<circle cx='{:.1}' cy='{:.1}' r='4' fill='{color}'><title>{label}: {v:.2}</title></circle>",
                    x(*a),
                    y(*b)
                )
            })
            .collect();
        format!(
            "<polyline fill='none' stroke='{color}' stroke-width='2' points='{}'/>{dots}\
             <text x='{}' y='{}' fill='{color}' font-size='14'>{label} ({:.2} … {:.2})</text>",
            pts.join(" "),
            m,
            24 + 18 * row,
            vals.first().copied().unwrap_or(0.0),
            vals.last().copied().unwrap_or(0.0)
        )
    };
    let ticks: String = rows
        .iter()
        .zip(&xs)
        .map(|(r, v)| {
            format!("<text x='{:.1}' y='{}' font-size='12' text-anchor='middle'>{}</text>", x(*v), h - m + 18.0, r.docs)
        })
        .collect();
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' font-family='sans-serif'>\
         <rect width='100%' height='100%' fill='white'/>\
         <line x1='{m}' y1='{}' x2='{}' y2='{}' stroke='#444'/>{ticks}\
         <text x='{}' y='{}' font-size='12' text-anchor='middle'>documents (log scale); each curve on its own log scale</text>{}{}</svg>\n",
        h - m,
        w - m,
        h - m,
        w / 2.0,
        h - 12.0,
        series(rows.iter().map(|r| r.wall_s).collect(), "#1f77b4", "wall seconds", 0),
        series(rows.iter().map(|r| r.peak_mib).collect(), "#d62728", "peak MiB", 1),
    )
}

/// Runs `reprint bench`.
pub fn run(args: Args) -> ExitCode {
    if args.sizes.is_empty() || args.sizes.contains(&0) {
        return fail("--sizes must list positive document counts, e.g. 1000,10000");
    }
    if let Err(e) = (SynthConfig { ocr_cer: args.ocr_cer, ..SynthConfig::default() }).validate() {
        return fail(e);
    }
    let dir =
        args.dir.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("reprint-bench-{}", std::process::id())));
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    if !args.json {
        println!(
            "{:>9} {:>8} {:>8} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9}",
            "docs", "MB", "wall s", "docs/s", "MB/s", "peak MiB", "pair P", "pair R", "passage R"
        );
    }
    let mut rows = Vec::new();
    for n in sizes {
        match bench_size(&args, &dir, n) {
            Ok(r) => {
                if args.json {
                    println!("{}", serde_json::to_string(&r).unwrap_or_default());
                } else {
                    println!(
                        "{:>9} {:>8.1} {:>8.2} {:>10.0} {:>8.1} {:>9.0} {:>9.4} {:>9.4} {:>9}",
                        r.docs,
                        r.mb,
                        r.wall_s,
                        r.docs_per_s,
                        r.mb_per_s,
                        r.peak_mib,
                        r.pair_precision,
                        r.pair_recall,
                        r.passage_recall.map(|x| format!("{x:.4}")).unwrap_or_else(|| "-".into())
                    );
                }
                rows.push(r);
            }
            Err(e) => return fail(e),
        }
    }
    if let Some(path) = &args.plot {
        if let Err(e) = std::fs::write(path, svg(&rows)) {
            return fail(format!("{}: {e}", path.display()));
        }
        eprintln!("reprint bench: plot written to {}", path.display());
    }
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    ExitCode::from(EXIT_OK)
}
