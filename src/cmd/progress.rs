//! indicatif progress bars on stderr, shown only when stderr is a terminal and not `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint::progress::{Progress, Unit};
use std::io::IsTerminal;
use std::sync::RwLock;
use std::time::Duration;

/// One bar at a time, replaced at each stage.
pub struct Bars {
    visible: bool,
    bar: RwLock<Option<ProgressBar>>,
}

impl Bars {
    /// Bars drawn on stderr unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Self {
        Bars { visible: !quiet && std::io::stderr().is_terminal(), bar: RwLock::new(None) }
    }
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: Option<u64>, unit: Unit) {
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
        if let Ok(mut slot) = self.bar.write() {
            if let Some(b) = slot.take() {
                b.finish_and_clear();
            }
        }
    }
}
