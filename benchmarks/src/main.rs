//! Measures, on the same files in one run: (a) the floor, reading the files and parsing them
//! with hcl-edit alone; (b) a full tfcheck scan; and prints throughput and the ratio b/a.
//! Checkov (c) is timed by run.sh, which also measures peak memory with /usr/bin/time.
//!
//! Usage: tfcheck-benchmarks DIR [RUNS]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn terraform_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let s = p.to_string_lossy();
            s.ends_with(".tf") || s.ends_with(".tfvars")
        })
        .collect();
    files.sort();
    files
}

/// (a): read every file and parse it with hcl-edit, one thread, as a reference point.
fn floor(files: &[PathBuf]) -> (usize, usize) {
    let mut bytes = 0;
    let mut rejected = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        bytes += text.len();
        if hcl_edit::parser::parse_body(&text).is_err() {
            rejected += 1;
        }
    }
    (bytes, rejected)
}

/// (b): a full scan: load, evaluate every root module, run every rule.
fn full_scan(dir: &Path, jobs: usize) -> usize {
    let mut opts = tfcheck::ScanOptions::default();
    opts.load.paths = vec![dir.to_path_buf()];
    opts.load.jobs = jobs;
    opts.config = tfcheck::ConfigChoice::None;
    let r = tfcheck::scan(&opts);
    let n = r.findings.len();
    // Freeing the trees is part of the work a scan does.
    drop(r);
    n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: tfcheck-benchmarks DIR [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    // The scan recurses on deep input: run on a big stack, as the binary does.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let files = terraform_files(&dir);
            // Warm the page cache so every measurement reads from memory.
            let _ = floor(&files);
            let (a, (bytes, rejected)) = time(runs, || floor(&files));
            let (b1, findings) = time(runs, || full_scan(&dir, 1));
            let (bn, _) = time(runs, || full_scan(&dir, 0));
            let mb = bytes as f64 / 1e6;
            let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
            println!("corpus: {} ({} files, {mb:.1} MB; hcl-edit rejects {rejected})", dir.display(), files.len());
            println!("median of {runs} runs each");
            println!(
                "(a) floor, read + hcl-edit parse, 1 thread: {:>8.3} s  {:>7.1} MB/s",
                a.as_secs_f64(),
                mb / a.as_secs_f64()
            );
            println!(
                "(b) tfcheck full scan, 1 thread:            {:>8.3} s  {:>7.1} MB/s  b/a = {:.2}",
                b1.as_secs_f64(),
                mb / b1.as_secs_f64(),
                b1.as_secs_f64() / a.as_secs_f64()
            );
            println!(
                "(b) tfcheck full scan, {cores} threads:           {:>8.3} s  {:>7.1} MB/s  b/a = {:.2}",
                bn.as_secs_f64(),
                mb / bn.as_secs_f64(),
                bn.as_secs_f64() / a.as_secs_f64()
            );
            println!("findings: {findings}");
        })
        .expect("spawn")
        .join()
        .expect("benchmark thread");
}
