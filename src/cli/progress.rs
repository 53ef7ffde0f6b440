//! What the command shows while a scan runs: a progress line on a watched terminal (after a
//! delay, so short scans print nothing) and, with `TFCHECK_TIMING`, each phase's duration.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tfcheck::Progress;

/// The scan's observer: counts for the line, and timings when asked.
pub struct Ticker {
    files: AtomicUsize,
    modules: AtomicUsize,
    roots: AtomicUsize,
    bar: Option<ProgressBar>,
    timing: bool,
}

impl Ticker {
    /// `show_after`: when the line appears (`None`: never, e.g. output is not watched).
    pub fn start(show_after: Option<Duration>) -> Arc<Ticker> {
        let bar = show_after.map(|delay| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(ProgressStyle::with_template("tfcheck: {msg}").expect("a fixed template"));
            bar.set_message("0 files read, 0 modules loaded, 0 root modules checked");
            // The line appears only once the delay is over; a scan that ends first never draws.
            let shown = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(200));
                }
            });
            bar
        });
        Arc::new(Ticker {
            files: AtomicUsize::new(0),
            modules: AtomicUsize::new(0),
            roots: AtomicUsize::new(0),
            bar,
            timing: std::env::var_os("TFCHECK_TIMING").is_some(),
        })
    }

    fn update(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} files read, {} modules loaded, {} root modules checked",
                self.files.load(Ordering::Relaxed),
                self.modules.load(Ordering::Relaxed),
                self.roots.load(Ordering::Relaxed)
            ));
        }
    }

    /// Clears the line before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Ticker {
    fn file_read(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.update();
    }

    fn module_loaded(&self) {
        self.modules.fetch_add(1, Ordering::Relaxed);
        self.update();
    }

    fn root_checked(&self) {
        self.roots.fetch_add(1, Ordering::Relaxed);
        self.update();
    }

    fn phase(&self, name: &str, took: Duration) {
        if self.timing {
            let rss_mb = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
                .map(|pages| pages * 4096 / (1 << 20))
                .unwrap_or(0);
            eprintln!("[timing] {name}: {:.3}s (resident {rss_mb} MiB)", took.as_secs_f64());
        }
    }
}
