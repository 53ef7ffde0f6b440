//! Parallel map over rayon's thread pool, with results in input order so that output stays
//! byte-identical whatever the number of threads.

use rayon::prelude::*;

/// Worker threads recurse through deeply nested input: give them room.
pub(crate) const STACK: usize = 256 << 20;

/// The number of threads to use: `jobs`, or one per core when 0.
pub fn threads(jobs: usize) -> usize {
    if jobs > 0 { jobs } else { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) }
}

/// Applies `f` to every item on up to `jobs` threads (a pool of this scan's own, so that
/// `--jobs` holds and worker stacks are large); results come back in input order.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    map_owned(items.iter().collect(), jobs, f)
}

/// Like [`map`], taking the items by value.
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, jobs: usize, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    let jobs = threads(jobs).min(items.len());
    if jobs <= 1 {
        return items.into_iter().map(f).collect();
    }
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).stack_size(STACK).build() {
        Ok(pool) => pool.install(|| items.into_par_iter().map(&f).collect()),
        // No threads to be had (a sandbox's limit): one thread is slower, not wrong.
        Err(_) => items.into_iter().map(f).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_whatever_the_threads() {
        let items: Vec<u32> = (0..1000).collect();
        for jobs in [1, 2, 7] {
            assert_eq!(super::map(&items, jobs, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
            assert_eq!(super::map_owned(items.clone(), jobs, |x| x * 2), super::map(&items, 1, |x| x * 2));
        }
    }
}
