//! Progress of a scan, reported to an observer the caller passes in the options (the command
//! line shows a ticker and phase timings; a library user may ignore it). Nothing is global:
//! two scans in one process report separately.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// Receives progress events; every method has a default that ignores it. Called from the
/// scan's worker threads.
pub trait Progress: Send + Sync {
    /// A scanned file was read.
    fn file_read(&self) {}
    /// A module (a directory of `.tf` files) was loaded.
    fn module_loaded(&self) {}
    /// A root module was evaluated and checked.
    fn root_checked(&self) {}
    /// A phase of the scan ended (`discover`, `parse`, `evaluate and check`...).
    fn phase(&self, _name: &str, _took: Duration) {}
}

/// The observer in the options: none by default.
#[derive(Clone, Default)]
pub struct Observer(Option<Arc<dyn Progress>>);

impl Observer {
    pub fn new(p: Arc<dyn Progress>) -> Observer {
        Observer(Some(p))
    }

    pub(crate) fn file_read(&self) {
        if let Some(p) = &self.0 {
            p.file_read()
        }
    }

    pub(crate) fn module_loaded(&self) {
        if let Some(p) = &self.0 {
            p.module_loaded()
        }
    }

    pub(crate) fn root_checked(&self) {
        if let Some(p) = &self.0 {
            p.root_checked()
        }
    }

    pub(crate) fn phase(&self, name: &str, since: Instant) {
        if let Some(p) = &self.0 {
            p.phase(name, since.elapsed())
        }
    }
}

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Observer(..)" } else { "Observer(none)" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Default)]
    struct Count(AtomicUsize, AtomicUsize);

    impl Progress for Count {
        fn file_read(&self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        fn root_checked(&self) {
            self.1.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn two_scans_report_to_their_own_observers() {
        let (a, b) = (Arc::new(Count::default()), Arc::new(Count::default()));
        for (obs, n) in [(&a, 1), (&b, 2)] {
            for _ in 0..n {
                let mut opts = crate::scan::ScanOptions::default();
                opts.load.paths = vec!["testdata/examples/ecr".into()];
                opts.config = crate::scan::ConfigChoice::None;
                opts.progress = Observer::new(obs.clone());
                crate::scan::scan(&opts);
            }
        }
        let (files, roots) = (a.0.load(Ordering::Relaxed), a.1.load(Ordering::Relaxed));
        assert!(files > 0 && roots > 0, "{files} {roots}");
        assert_eq!((b.0.load(Ordering::Relaxed), b.1.load(Ordering::Relaxed)), (2 * files, 2 * roots));
    }
}
