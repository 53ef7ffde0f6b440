//! Measures, on the same files in one run: (a) the floor, reading the files and parsing them
//! with hcl-edit alone; (b) a full tfcheck scan; and prints throughput and the ratio b/a.
//! Checkov (c) is timed by run.sh, which also measures peak memory with /usr/bin/time.
//!
//! The runs of (a) and (b) alternate, so that a slow spell of a shared machine falls on both,
//! and each is measured in wall time and in CPU time (user and system, which a virtual
//! machine's stolen time does not inflate). Both run as the tfcheck binary runs: under its
//! allocator, without transparent huge pages.
//!
//! (d) is the full scan with only the rules tfcheck had before the key-ownership family
//! (`ecr_nocmk` and the `ecr` and `kms` families), to show what the other 19 rules cost.
//!
//! Usage: tfcheck-benchmarks DIR [RUNS]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    scan_with_rules(dir, jobs, &[])
}

/// A scan with `--rule` for each of `rules` (all rules when empty).
fn scan_with_rules(dir: &Path, jobs: usize, rules: &[&str]) -> usize {
    let mut opts = tfcheck::ScanOptions::default();
    opts.load.paths = vec![dir.to_path_buf()];
    opts.select = rules.iter().map(|r| r.to_string()).collect();
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

/// CPU time of the process so far, user and system (Linux: from /proc/self/stat).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel reports in USER_HZ, 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time of each run.
#[derive(Default)]
struct Times {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Times {
    fn run<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let (t, c) = (Instant::now(), cpu_time());
        let out = f();
        self.wall.push(t.elapsed());
        if let (Some(c0), Some(c1)) = (c, cpu_time()) {
            self.cpu.push(c1.saturating_sub(c0));
        }
        out
    }

    fn wall(&self) -> f64 {
        median(self.wall.clone()).as_secs_f64()
    }

    fn cpu(&self) -> f64 {
        if self.cpu.is_empty() { f64::NAN } else { median(self.cpu.clone()).as_secs_f64() }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: tfcheck-benchmarks DIR [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    #[cfg(target_os = "linux")]
    // SAFETY: as in tfcheck's main: integer arguments, no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // The scan recurses on deep input: run on a big stack, as the binary does.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let files = terraform_files(&dir);
            // Warm the page cache so every measurement reads from memory.
            let _ = floor(&files);
            let (mut a, mut b1, mut bn, mut d) = (Times::default(), Times::default(), Times::default(), Times::default());
            let (mut bytes, mut rejected, mut findings) = (0, 0, 0);
            for _ in 0..runs {
                (bytes, rejected) = a.run(|| floor(&files));
                findings = b1.run(|| full_scan(&dir, 1));
                bn.run(|| full_scan(&dir, 0));
                d.run(|| scan_with_rules(&dir, 1, &["ecr_nocmk", "ecr", "kms"]));
            }
            let mb = bytes as f64 / 1e6;
            let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
            println!("corpus: {} ({} files, {mb:.1} MB; hcl-edit rejects {rejected})", dir.display(), files.len());
            println!("median of {runs} runs each, alternating; wall time, and CPU time (user + system)");
            println!(
                "(a) floor, read + hcl-edit parse, 1 thread: {:>7.3} s  {:>6.1} MB/s   CPU {:>7.3} s",
                a.wall(),
                mb / a.wall(),
                a.cpu()
            );
            println!(
                "(b) tfcheck full scan, 1 thread:            {:>7.3} s  {:>6.1} MB/s   CPU {:>7.3} s   b/a = {:.2} wall, {:.2} CPU",
                b1.wall(),
                mb / b1.wall(),
                b1.cpu(),
                b1.wall() / a.wall(),
                b1.cpu() / a.cpu()
            );
            println!(
                "(b) tfcheck full scan, {cores} threads:           {:>7.3} s  {:>6.1} MB/s   CPU {:>7.3} s   b/a = {:.2} wall; {cores} threads {:.2}x 1 thread",
                bn.wall(),
                mb / bn.wall(),
                bn.cpu(),
                bn.wall() / a.wall(),
                b1.wall() / bn.wall()
            );
            println!(
                "(d) ECR-only (ecr_nocmk, ecr, kms), 1 thread: {:>7.3} s                 CPU {:>7.3} s   all rules / ECR-only = {:.2} wall, {:.2} CPU",
                d.wall(),
                d.cpu(),
                b1.wall() / d.wall(),
                b1.cpu() / d.cpu()
            );
            println!("findings: {findings}");
        })
        .expect("spawn")
        .join()
        .expect("benchmark thread");
}
