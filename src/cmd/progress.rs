//! indicatif progress bars on stderr, shown only when stderr is a terminal and not `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint::progress::{Progress, Unit};
use std::io::IsTerminal;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// One bar at a time, replaced at each stage; also times each stage.
pub struct Bars {
    visible: bool,
    bar: RwLock<Option<ProgressBar>>,
    stages: Mutex<Vec<Stage>>,
}

/// A stage's name, start, duration once finished, and the process's peak memory by then (MiB).
type Stage = (String, Instant, Option<Duration>, Option<f64>);

/// Peak resident memory of this process so far, in MiB (`getrusage`; KiB on Linux).
fn peak_mib() -> Option<f64> {
    // SAFETY: plain FFI call writing into a zeroed, properly aligned local.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    (r == 0).then(|| usage.ru_maxrss as f64 / 1024.0)
}

impl Bars {
    /// Bars drawn on stderr unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Self {
        Bars {
            visible: !quiet && std::io::stderr().is_terminal(),
            bar: RwLock::new(None),
            stages: Mutex::new(Vec::new()),
        }
    }

    /// "stage 0.12 s, stage 0.03 s, …" for the stages finished so far, each with the process's
    /// peak memory at its end when it grew during the stage (which stage needs the memory).
    pub fn timings(&self) -> String {
        let stages = self.stages.lock().map(|s| s.clone()).unwrap_or_default();
        stages
            .iter()
            .scan(0.0, |before, (name, _, d, peak)| {
                let grew = peak.filter(|&p| p > *before + 1.0);
                *before = peak.unwrap_or(*before);
                Some(d.map(|d| match grew {
                    Some(p) => format!("{name} {:.2} s (peak {p:.0} MiB)", d.as_secs_f64()),
                    None => format!("{name} {:.2} s", d.as_secs_f64()),
                }))
            })
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: Option<u64>, unit: Unit) {
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((stage.to_string(), Instant::now(), None, None));
        }
        if !self.visible {
            return;
        }
        let (pos, len) = match unit {
            Unit::Bytes => ("{binary_bytes}", "{binary_total_bytes}"),
            Unit::Docs | Unit::Pairs => ("{human_pos}", "{human_len}"),
        };
        let style = match total {
            Some(_) => format!("{{spinner}} {stage:<14} [{{bar:30}}] {pos}/{len} {{per_sec}} eta {{eta}}"),
            None => format!("{{spinner}} {stage:<14} {pos} {{per_sec}} {{elapsed}}"),
        };
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template(&style).unwrap_or_else(|_| ProgressStyle::default_bar()));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut slot) = self.bar.write() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(slot) = self.bar.read() {
            if let Some(b) = slot.as_ref() {
                b.inc(n);
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut stages) = self.stages.lock() {
            if let Some(last) = stages.last_mut() {
                last.2.get_or_insert(last.1.elapsed());
                last.3 = peak_mib();
            }
        }
        if let Ok(mut slot) = self.bar.write() {
            if let Some(b) = slot.take() {
                b.finish_and_clear();
            }
        }
    }
}
