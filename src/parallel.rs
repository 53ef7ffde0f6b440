//! A small work-sharing map over threads, with results in input order so that output stays
//! byte-identical whatever the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Worker threads recurse through deeply nested input: give them room.
const STACK: usize = 256 << 20;

/// The number of threads to use: `jobs`, or one per core when 0.
pub fn threads(jobs: usize) -> usize {
    if jobs > 0 { jobs } else { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) }
}

/// Applies `f` to every item on up to `jobs` threads; results come back in input order.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let jobs = threads(jobs).min(items.len());
    if jobs <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(s, || {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            out.push((i, f(item)));
                        }
                        out
                    })
                    .expect("spawn a worker thread")
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut all: Vec<(usize, R)> = parts.drain(..).flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_whatever_the_threads() {
        let items: Vec<u32> = (0..1000).collect();
        for jobs in [1, 2, 7] {
            assert_eq!(super::map(&items, jobs, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }
}
