//! Progress of a long scan, for people watching a terminal: counters the loader and the scan
//! bump, and a line on stderr that shows them once a scan has taken more than a second.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub static FILES: AtomicUsize = AtomicUsize::new(0);
pub static MODULES: AtomicUsize = AtomicUsize::new(0);
pub static ROOTS: AtomicUsize = AtomicUsize::new(0);

pub fn file_read() {
    FILES.fetch_add(1, Ordering::Relaxed);
}

pub fn module_loaded() {
    MODULES.fetch_add(1, Ordering::Relaxed);
}

pub fn root_checked() {
    ROOTS.fetch_add(1, Ordering::Relaxed);
}

/// Shows progress on stderr until dropped, starting after `delay`.
pub struct Ticker {
    /// Dropping it wakes the thread at once, so a short scan does not wait for a tick.
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    pub fn start(delay: Duration) -> Ticker {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let step = Duration::from_millis(100);
            let mut waited = Duration::ZERO;
            let mut shown = false;
            loop {
                if waited >= delay && waited.as_millis() % 200 == 0 {
                    let line = format!(
                        "tfcheck: {} files read, {} modules loaded, {} root modules checked",
                        FILES.load(Ordering::Relaxed),
                        MODULES.load(Ordering::Relaxed),
                        ROOTS.load(Ordering::Relaxed)
                    );
                    let _ = write!(std::io::stderr(), "\r{line}\x1b[K");
                    shown = true;
                }
                match stopped.recv_timeout(step) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => waited += step,
                    _ => break,
                }
            }
            if shown {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
        });
        Ticker { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// With `TFCHECK_TIMING` set, prints how long a phase took (for profiling, on stderr).
pub fn phase(name: &str, since: std::time::Instant) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("TFCHECK_TIMING").is_some()) {
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
            .map(|pages| pages * 4096 / (1 << 20))
            .unwrap_or(0);
        eprintln!("[timing] {name}: {:.3}s (resident {rss_mb} MiB)", since.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scan_shorter_than_a_tick_does_not_wait_for_it() {
        // The ticker sleeps in steps of 100 ms; stopping it must wake it, not wait a step out.
        let t = std::time::Instant::now();
        drop(super::Ticker::start(std::time::Duration::from_secs(10)));
        assert!(t.elapsed() < std::time::Duration::from_millis(80), "{:?}", t.elapsed());
    }
}
