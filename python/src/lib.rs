//! `reprint._reprint`: the Rust side of the Python package. It takes documents as rows or paths
//! and options as JSON, runs the library with the GIL released (on a worker thread, so that a
//! Ctrl-C in the interpreter stops it), and gives results back as the records
//! `reprint scan --format jsonl` prints, built as Python dicts and lists straight from the
//! library's record types (serde, through `pythonize`): no JSON is written or parsed on the way.
//! The Python package (`reprint/__init__.py`) wraps them in result objects and DataFrames.

use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use reprint::archive::{Archive, OnExisting, DEFAULT_BATCH, QUERY_PART_BYTES};
use reprint::config::ScanConfig;
use reprint::corpus::{read_paths, Corpus, Doc, Origin, ReadOptions};
use reprint::progress::{Progress, Unit};
use reprint::quote::QuoteConfig;
use reprint::report::{emit_quotes, emit_scan, ClusterRecord, PairRecord, QuoteRecord, QuoteSummary, Report, Summary};
use serde_json::{Map, Value};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Once};
use std::time::Duration;

/// mimalloc, as the CLI uses: many threads allocate shingle sets and texts at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One document as Python hands it over: id, text, source, date, title.
type Row = (String, String, Option<String>, Option<String>, Option<String>);

/// The payload a cancelled stage unwinds with.
struct Cancelled;

/// Progress that stops the work once Ctrl-C was pressed: the next progress call unwinds.
struct Cancel(Arc<AtomicBool>);

impl Cancel {
    fn check(&self) {
        if self.0.load(Ordering::Relaxed) {
            std::panic::panic_any(Cancelled);
        }
    }
}

impl Progress for Cancel {
    fn start(&self, _: &str, _: Option<u64>, _: Unit) {
        self.check();
    }
    fn advance(&self, _: u64) {
        self.check();
    }
    fn finish(&self) {
        self.check();
    }
}

/// Cancellation unwinds quietly; any other panic keeps the default report.
fn quiet_cancellation() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<Cancelled>().is_none() {
                default(info);
            }
        }));
    });
}

/// Runs `work` on a worker thread with `threads` threads (0: one per core) and the GIL
/// released, checking for Ctrl-C every 50 ms.
fn run<T: Send + 'static>(
    py: Python<'_>,
    threads: usize,
    work: impl FnOnce(&dyn Progress) -> Result<T, String> + Send + 'static,
) -> PyResult<T> {
    quiet_cancellation();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
        let outcome = match std::panic::catch_unwind(AssertUnwindSafe(|| pool.install(|| work(&Cancel(flag))))) {
            Ok(r) => r,
            Err(p) if p.downcast_ref::<Cancelled>().is_some() => Err("\u{0}cancelled".into()),
            Err(p) => {
                let what =
                    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
                Err(format!("internal error (please report it): {}", what.unwrap_or_default()))
            }
        };
        drop(done);
        outcome
    });
    // Wakes as soon as the work ends (the sender is dropped), and every 50 ms to look for Ctrl-C.
    let mut finished = finished;
    loop {
        let (waited, receiver) = py.detach(move || (finished.recv_timeout(Duration::from_millis(50)), finished));
        finished = receiver;
        if !matches!(waited, Err(RecvTimeoutError::Timeout)) {
            break;
        }
        if let Err(e) = py.check_signals() {
            cancel.store(true, Ordering::Relaxed);
            let _ = py.detach(|| handle.join());
            return Err(e);
        }
    }
    match handle.join() {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(m)) if m == "\u{0}cancelled" => Err(PyKeyboardInterrupt::new_err("cancelled")),
        Ok(Err(m)) if m.starts_with("internal error") => Err(PyRuntimeError::new_err(m)),
        Ok(Err(m)) => Err(PyValueError::new_err(m)),
        Err(_) => Err(PyRuntimeError::new_err("internal error (please report it)")),
    }
}

fn to_map<T: serde::Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// `defaults` with `options` (JSON object) laid over it: an unknown name is a `TypeError`
/// naming the known ones.
fn overlay<T: serde::Serialize + serde::de::DeserializeOwned>(
    defaults: &T,
    options: &Map<String, Value>,
    skip: &[&str],
) -> PyResult<T> {
    let mut map = to_map(defaults);
    for (k, v) in options {
        if skip.contains(&k.as_str()) {
            continue;
        }
        if !map.contains_key(k) {
            let mut known: Vec<&String> = map.keys().collect();
            known.sort();
            let known: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
            return Err(PyTypeError::new_err(format!("unknown option {k:?}; the options are: {}", known.join(", "))));
        }
        map.insert(k.clone(), v.clone());
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| PyValueError::new_err(format!("bad option value: {e}")))
}

fn parse_options(options: &str) -> PyResult<Map<String, Value>> {
    match serde_json::from_str(options) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(PyValueError::new_err("options must be a JSON object")),
    }
}

/// The scan configuration `options` ask for (`ocr: true` starts from the OCR defaults).
fn scan_config(options: &str) -> PyResult<ScanConfig> {
    let opts = parse_options(options)?;
    let base = match opts.get("ocr") {
        Some(Value::Bool(true)) => ScanConfig::ocr_default(),
        _ => ScanConfig::default(),
    };
    let cfg: ScanConfig = overlay(&base, &opts, &["ocr"])?;
    cfg.validate().map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(cfg)
}

/// The quotes configuration `options` ask for.
fn quote_config(options: &str) -> PyResult<QuoteConfig> {
    let cfg: QuoteConfig = overlay(&QuoteConfig::default(), &parse_options(options)?, &[])?;
    cfg.validate().map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(cfg)
}

/// A corpus from rows (checked as the CLI checks JSON lines) or from paths.
fn corpus(
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    dedupe_ids: bool,
    skip_bad_lines: bool,
) -> Result<Corpus, String> {
    if let Some(paths) = paths {
        let opts = ReadOptions { dedupe_ids, skip_bad_lines, ..ReadOptions::default() };
        return read_paths(&paths, &opts, &|_| {}).map_err(|e| e.to_string());
    }
    let mut c = Corpus::default();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, (id, text, source, date, title)) in rows.unwrap_or_default().into_iter().enumerate() {
        if text.trim().is_empty() {
            c.stats.empty_skipped += 1;
            continue;
        }
        if id.trim().is_empty() {
            return Err(format!("row {}: empty id", i + 1));
        }
        if let Some(&first) = seen.get(&id) {
            if !dedupe_ids {
                return Err(format!(
                    "duplicate id {id:?} (rows {} and {}): ids must be unique (dedupe_ids=True keeps the first)",
                    first + 1,
                    i + 1
                ));
            }
            c.stats.duplicate_ids_dropped += 1;
            continue;
        }
        seen.insert(id.clone(), i);
        let origin = Origin { path: "row".into(), line: Some(i as u64 + 1) };
        c.docs.push(Doc::new(id, source, date, title, text, origin));
    }
    if c.docs.is_empty() {
        return Err("no documents to scan (every text was empty, or none was given)".into());
    }
    Ok(c)
}

/// The problems met while reading, one line each (file and line first).
fn problems(c: &Corpus) -> Vec<String> {
    c.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// A report that builds each record as Python objects (dicts, lists, str, int, float, None), as
/// `json.loads` of the CLI's JSON Lines would, straight from the record types.
struct PyRecords<'py> {
    py: Python<'py>,
    records: Vec<Bound<'py, PyAny>>,
}

impl PyRecords<'_> {
    fn push<T: serde::Serialize>(&mut self, record: &T) -> std::io::Result<()> {
        let object = pythonize::pythonize(self.py, record).map_err(|e| std::io::Error::other(e.to_string()))?;
        self.records.push(object);
        Ok(())
    }
}

impl Report for PyRecords<'_> {
    fn summary(&mut self, summary: &Summary) -> std::io::Result<()> {
        self.push(summary)
    }
    fn pair(&mut self, pair: &PairRecord) -> std::io::Result<()> {
        self.push(pair)
    }
    fn cluster(&mut self, cluster: &ClusterRecord) -> std::io::Result<()> {
        self.push(cluster)
    }
    fn quote_summary(&mut self, summary: &QuoteSummary) -> std::io::Result<()> {
        self.push(summary)
    }
    fn quote(&mut self, quote: &QuoteRecord) -> std::io::Result<()> {
        self.push(quote)
    }
    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The records `push` sends, as a Python list (built with the GIL held).
fn records<'py>(
    py: Python<'py>,
    push: impl FnOnce(&mut dyn Report) -> std::io::Result<()>,
) -> PyResult<Bound<'py, PyList>> {
    let mut report = PyRecords { py, records: Vec::new() };
    push(&mut report).map_err(|e| PyRuntimeError::new_err(format!("internal error (please report it): {e}")))?;
    PyList::new(py, report.records)
}

/// The scan defaults (JSON), for `ocr` text or words.
#[pyfunction]
fn scan_defaults(ocr: bool) -> String {
    let cfg = if ocr { ScanConfig::ocr_default() } else { ScanConfig::default() };
    serde_json::to_string(&cfg).unwrap_or_default()
}

/// The quotes defaults (JSON).
#[pyfunction]
fn quote_defaults() -> String {
    serde_json::to_string(&QuoteConfig::default()).unwrap_or_default()
}

/// `reprint scan`: returns (the scan's records, reading problems).
#[pyfunction]
#[pyo3(signature = (rows, paths, options, threads=0, dedupe_ids=false, skip_bad_lines=false))]
fn scan<'py>(
    py: Python<'py>,
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    options: &str,
    threads: usize,
    dedupe_ids: bool,
    skip_bad_lines: bool,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let cfg = scan_config(options)?;
    let (c, result, summary) = run(py, threads, move |progress| {
        let c = corpus(rows, paths, dedupe_ids, skip_bad_lines)?;
        let result = reprint::scan::scan(&c, &c.source_ids(), &cfg, progress);
        let summary = Summary::new(&c, &cfg, &result);
        Ok((c, result, summary))
    })?;
    let out = records(py, |r| emit_scan(r, &c, &summary, &result))?;
    let problems = problems(&c);
    release_later((c, result));
    Ok((out, problems))
}

/// Frees `value` on a thread of its own: a scan's texts and shingle sets take a while to hand
/// back to the allocator, and the caller need not wait for it.
fn release_later<T: Send + 'static>(value: T) {
    if std::thread::Builder::new().name("reprint-free".into()).spawn(move || drop(value)).is_err() {
        // No thread to spare: the value was dropped here, when the closure was.
    }
}

/// `reprint quotes`: returns (the quotes' records, reading problems).
#[pyfunction]
#[pyo3(signature = (rows, paths, options, threads=0, dedupe_ids=false, skip_bad_lines=false))]
fn quotes<'py>(
    py: Python<'py>,
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    options: &str,
    threads: usize,
    dedupe_ids: bool,
    skip_bad_lines: bool,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let cfg = quote_config(options)?;
    let (c, result, summary) = run(py, threads, move |progress| {
        let c = corpus(rows, paths, dedupe_ids, skip_bad_lines)?;
        let result = reprint::quote::find_quotes(&c.docs, &c, &cfg, progress);
        let summary = QuoteSummary::new(&c.docs, &cfg, &result);
        Ok((c, result, summary))
    })?;
    let out = records(py, |r| emit_quotes(r, &c.docs, &summary, &result))?;
    let problems = problems(&c);
    release_later((c, result));
    Ok((out, problems))
}

/// `reprint index add`: creates the archive at `path` with `options` if there is none; returns
/// the add's counts (JSON) and reading problems.
#[pyfunction]
#[pyo3(signature = (path, rows, paths, options, on_existing="refuse", batch=DEFAULT_BATCH, threads=0))]
#[allow(clippy::too_many_arguments)]
fn archive_add(
    py: Python<'_>,
    path: PathBuf,
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    options: &str,
    on_existing: &str,
    batch: usize,
    threads: usize,
) -> PyResult<(String, Vec<String>)> {
    let cfg = scan_config(options)?;
    let on_existing = match on_existing {
        "refuse" => OnExisting::Refuse,
        "replace" => OnExisting::Replace,
        "skip" => OnExisting::Skip,
        other => {
            return Err(PyValueError::new_err(format!("on_existing must be refuse, replace or skip, not {other:?}")))
        }
    };
    run(py, threads, move |_| {
        let mut archive = Archive::open_for_add(&path, &cfg).map_err(|e| e.to_string())?;
        let c = corpus(rows, paths, false, false)?;
        let stats = archive.add(&c.docs, &c, on_existing, batch, &|_| {}).map_err(|e| e.to_string())?;
        Ok((serde_json::to_string(&stats).unwrap_or_default(), problems(&c)))
    })
}

/// `reprint index query`: returns (the pairs' records, reading problems). `part_mb`: MB of
/// archived text scanned at once (see `Archive::scan_in_parts_of`).
#[pyfunction]
#[pyo3(signature = (path, rows, paths, threads=0, part_mb=QUERY_PART_BYTES / 1_000_000))]
fn archive_query<'py>(
    py: Python<'py>,
    path: PathBuf,
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    threads: usize,
    part_mb: u64,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let (found, summary, problems) = run(py, threads, move |progress| {
        let mut archive = Archive::open(&path, false).map_err(|e| e.to_string())?;
        archive.scan_in_parts_of(part_mb.saturating_mul(1_000_000));
        let c = corpus(rows, paths, false, false)?;
        let found = archive.query(&c.docs, &c, progress).map_err(|e| e.to_string())?;
        let summary = found.summary(archive.config());
        Ok((found, summary, problems(&c)))
    })?;
    let out = records(py, |r| emit_scan(r, &found.corpus, &summary, &found.result))?;
    release_later(found);
    Ok((out, problems))
}

/// `reprint index quotes`: returns (the quotes' records, reading problems).
#[pyfunction]
#[pyo3(signature = (path, rows, paths, options, threads=0))]
fn archive_quotes<'py>(
    py: Python<'py>,
    path: PathBuf,
    rows: Option<Vec<Row>>,
    paths: Option<Vec<String>>,
    options: &str,
    threads: usize,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let cfg = quote_config(options)?;
    let (found, summary, problems) = run(py, threads, move |progress| {
        let archive = Archive::open(&path, false).map_err(|e| e.to_string())?;
        let c = corpus(rows, paths, false, false)?;
        let found = archive.quotes(&c.docs, &c, &cfg, progress).map_err(|e| e.to_string())?;
        let summary = QuoteSummary::new(&found.corpus.docs, &cfg, &found.result);
        Ok((found, summary, problems(&c)))
    })?;
    let out = records(py, |r| emit_quotes(r, &found.corpus.docs, &summary, &found.result))?;
    release_later(found);
    Ok((out, problems))
}

/// `reprint index stats` (JSON).
#[pyfunction]
fn archive_stats(path: PathBuf) -> PyResult<String> {
    let a = Archive::open(&path, false).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let s = a.stats().map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(serde_json::to_string(&s).unwrap_or_default())
}

/// `reprint index remove`: the number removed.
#[pyfunction]
fn archive_remove(path: PathBuf, ids: Vec<String>) -> PyResult<usize> {
    let mut a = Archive::open(&path, true).map_err(|e| PyValueError::new_err(e.to_string()))?;
    a.remove(&ids).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// `reprint index compact`.
#[pyfunction]
fn archive_compact(path: PathBuf) -> PyResult<()> {
    let mut a = Archive::open(&path, true).map_err(|e| PyValueError::new_err(e.to_string()))?;
    a.compact().map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The module.
#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scan_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(quote_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(quotes, m)?)?;
    m.add_function(wrap_pyfunction!(archive_add, m)?)?;
    m.add_function(wrap_pyfunction!(archive_query, m)?)?;
    m.add_function(wrap_pyfunction!(archive_quotes, m)?)?;
    m.add_function(wrap_pyfunction!(archive_stats, m)?)?;
    m.add_function(wrap_pyfunction!(archive_remove, m)?)?;
    m.add_function(wrap_pyfunction!(archive_compact, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
