//! The one door to the file system for scanned content: everything tfcheck reads from a
//! scanned tree (sources, tfvars, module manifests, a discovered `.tfcheck.hcl`, rule files it
//! names, and `file()`-like functions) is read here.
//!
//! The tree is written by whoever opened the pull request, so a read must stay inside the
//! scan's workspace (the repository root that holds the scanned paths), take regular files
//! only (checked on the opened handle, so a path swapped between the check and the open
//! does not count), stop at a size cap, and never read `.git/`. A symlink is followed only
//! when its target is inside. The workspace is fixed before any scanned file is read; nothing
//! scanned can widen it. Paths the user typed (`--var-file`, `--config`, `--rules`,
//! `--baseline`, plan files) are trusted and go through [`read_trusted`].

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a read was refused or failed. Messages never contain file content.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing exists there.
    Missing,
    /// The path (or the symlink it goes through) leads outside the workspace.
    Outside,
    /// The path is inside a `.git` directory.
    GitDir,
    /// A directory, FIFO, socket or device.
    NotRegular(&'static str),
    /// Larger than the cap for this kind of read.
    TooLarge {
        size: u64,
        max: u64,
    },
    /// The file changed between resolving its path and opening it.
    Changed,
    Io(std::io::Error),
}

impl ReadError {
    /// A refusal by tfcheck's policy (not a missing or unreadable file): the read would
    /// have succeeded for Terraform.
    pub fn is_refusal(&self) -> bool {
        matches!(self, ReadError::Outside | ReadError::GitDir | ReadError::Changed | ReadError::TooLarge { .. })
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file or directory"),
            ReadError::Outside => f.write_str("it leads outside the repository being scanned; not read"),
            ReadError::GitDir => f.write_str("it is inside .git, which tfcheck never reads; not read"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file; not read"),
            ReadError::TooLarge { size, max } => {
                write!(f, "{} bytes, over the {} byte limit; not read", size, max)
            }
            ReadError::Changed => f.write_str("it changed while being opened; not read"),
            ReadError::Io(e) => write!(f, "cannot read it: {}", io_reason(e)),
        }
    }
}

/// The reason of an I/O error without the path the OS may append.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::NotFound { ReadError::Missing } else { ReadError::Io(e) }
    }
}

/// Terraform's rule for files it ignores in a module directory: editor backups (`x~`),
/// Emacs lock files (`#x#`) and hidden files (`.x`).
pub fn is_ignored_file(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// Where the scan may read: canonical root directories.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    roots: Vec<PathBuf>,
    /// Directories already resolved, by the path they were named by: a tree's files share
    /// few directories, and resolving every file's path anew costs a system call per
    /// component (300,000 on a large tree).
    dirs: std::sync::Arc<std::sync::Mutex<crate::terraform::config::PathMap<PathBuf>>>,
    /// Texts that stand in for files (by canonical path): `fix` rescans its edits before it
    /// writes them.
    overlay: Overlay,
}

/// File texts by canonical path, read instead of the files.
pub type Overlay = std::sync::Arc<crate::terraform::config::PathMap<std::sync::Arc<str>>>;

/// One entry of a listed directory.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The path as listed (the directory's path joined with the name).
    pub path: PathBuf,
    pub name: String,
    pub kind: EntryKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// FIFO, socket or device.
    Other(&'static str),
}

impl Workspace {
    /// The workspace of a scan of `paths` (as typed): the repository root (the nearest
    /// directory that holds `.git`) at or above the working directory when the paths are in it,
    /// else the working directory. A path elsewhere gets the nearest real directory at or above
    /// it that holds `.git`, else its own nearest real directory. Paths are placed by their
    /// text, never by where a symlink in them leads: a scanned `infra -> /` must not make `/`
    /// the workspace (it is refused when walked).
    pub fn for_paths(paths: &[PathBuf]) -> Workspace {
        // Whoever runs tfcheck chose the working directory: it and what is above it are trusted.
        let cwd = std::env::current_dir().ok().and_then(|c| c.canonicalize().ok());
        let cwd_root = cwd.as_ref().map(|c| repo_above(c).unwrap_or_else(|| c.clone()));
        let mut roots = Vec::new();
        for p in paths {
            if p.as_os_str() == "-" {
                continue;
            }
            let lexical = match &cwd {
                Some(c) => lexical_clean(&c.join(p)),
                None => lexical_clean(p),
            };
            match &cwd_root {
                Some(r) if lexical.starts_with(r) => roots.push(r.clone()),
                _ => roots.extend(outside_root(&lexical)),
            }
        }
        if roots.is_empty() {
            roots.extend(cwd_root);
        }
        Workspace::from_roots(roots)
    }

    /// A workspace of these directories (canonicalised; missing ones are left out).
    pub fn from_roots(roots: impl IntoIterator<Item = PathBuf>) -> Workspace {
        let mut out: Vec<PathBuf> = Vec::new();
        for r in roots {
            let Ok(c) = r.canonicalize() else { continue };
            if !out.iter().any(|o| c.starts_with(o)) {
                out.retain(|o| !o.starts_with(&c));
                out.push(c);
            }
        }
        out.sort();
        Workspace { roots: out, dirs: Default::default(), overlay: Default::default() }
    }

    /// A workspace of directories already canonical (no system calls).
    pub fn from_canonical(roots: Vec<PathBuf>) -> Workspace {
        Workspace { roots, dirs: Default::default(), overlay: Default::default() }
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Whether a canonical path is inside the workspace.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// Whether a canonical path is inside a `.git` directory of the workspace.
    fn in_git(&self, canonical: &Path) -> bool {
        let Some(root) = self.roots.iter().find(|r| canonical.starts_with(r)) else { return false };
        canonical
            .strip_prefix(root)
            .is_ok_and(|rest| rest.components().any(|c| c.as_os_str().eq_ignore_ascii_case(".git")))
    }

    /// The canonical form of `path` if it exists and is inside (and not in `.git`).
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let canon = self.canonical(path)?;
        if !self.contains(&canon) {
            return Err(ReadError::Outside);
        }
        if self.in_git(&canon) {
            return Err(ReadError::GitDir);
        }
        Ok(canon)
    }

    /// Like [`resolve`](Self::resolve), for a directory.
    pub fn resolve_dir(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let canon = self.canonical_dir(path)?;
        if !self.contains(&canon) {
            return Err(ReadError::Outside);
        }
        if self.in_git(&canon) {
            return Err(ReadError::GitDir);
        }
        if !canon.is_dir() {
            return Err(ReadError::NotRegular("not a directory"));
        }
        Ok(canon)
    }

    /// Reads a regular file inside the workspace, at most `max` bytes.
    pub fn read(&self, path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
        // Through the resolved directory; a symlinked file (which the open refuses to follow)
        // and every refusal take the full resolution, which gives the reason.
        if let Some(canon) = self.resolve_in_dir(path) {
            match self.open(&canon, max) {
                Err(ReadError::Changed) => {}
                read => return read,
            }
        }
        let canon = self.resolve(path)?;
        self.open(&canon, max)
    }

    /// Texts read instead of the files at their canonical paths.
    pub fn with_overlay(mut self, overlay: Overlay) -> Workspace {
        self.overlay = overlay;
        self
    }

    fn open(&self, canon: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
        match self.overlay.get(canon) {
            // Only a file that is there stands in (what stands in is that file, edited).
            Some(text) if canon.is_file() => {
                if text.len() as u64 > max {
                    return Err(ReadError::TooLarge { size: text.len() as u64, max });
                }
                Ok(text.as_bytes().to_vec())
            }
            _ => open_regular(canon, max, true),
        }
    }

    /// `path` as its resolved directory and its name, when that is inside and not in `.git`
    /// (the open then checks that the file it opened is at that path).
    fn resolve_in_dir(&self, path: &Path) -> Option<PathBuf> {
        let name = path.file_name()?;
        let parent = match path.parent()? {
            p if p.as_os_str().is_empty() => Path::new("."),
            p => p,
        };
        let canon = self.canonical_dir(parent).ok()?.join(name);
        (self.contains(&canon) && !self.in_git(&canon)).then_some(canon)
    }

    /// `path.canonicalize()`, through the resolved directory when the name is not a symlink.
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
            let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
            let canon = self.canonical_dir(parent)?.join(name);
            if std::fs::symlink_metadata(&canon)?.file_type().is_symlink() {
                return path.canonicalize();
            }
            return Ok(canon);
        }
        path.canonicalize()
    }

    /// The canonical form of a directory's path, resolved once per path (from its parent's).
    fn canonical_dir(&self, path: &Path) -> std::io::Result<PathBuf> {
        const MAX_CACHED: usize = 1 << 16;
        if let Some(d) = self.dirs.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
            return Ok(d.clone());
        }
        let d = self.canonical(path)?;
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if dirs.len() < MAX_CACHED {
            dirs.insert(path.to_path_buf(), d.clone());
        }
        Ok(d)
    }

    /// The entries of a directory inside the workspace, sorted by name.
    pub fn list(&self, dir: &Path) -> Result<Vec<Entry>, ReadError> {
        self.resolve_dir(dir)?;
        list_dir(dir)
    }
}

/// The entries of a directory already known to be inside, sorted by name. Names that are not
/// UTF-8 are converted lossily (Terraform's file names are UTF-8).
fn list_dir(dir: &Path) -> Result<Vec<Entry>, ReadError> {
    Ok(list_names(dir)?.into_iter().map(|(name, kind)| Entry { path: dir.join(&name), name, kind }).collect())
}

/// The names and kinds of a directory's entries, sorted by name.
fn list_names(dir: &Path) -> Result<Vec<(String, EntryKind)>, ReadError> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let kind = match e.file_type() {
            Ok(t) => entry_kind(&t),
            Err(_) => continue,
        };
        out.push((e.file_name().to_string_lossy().into_owned(), kind));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn entry_kind(t: &std::fs::FileType) -> EntryKind {
    use std::os::unix::fs::FileTypeExt;
    if t.is_symlink() {
        EntryKind::Symlink
    } else if t.is_dir() {
        EntryKind::Dir
    } else if t.is_file() {
        EntryKind::File
    } else if t.is_fifo() {
        EntryKind::Other("a FIFO")
    } else if t.is_socket() {
        EntryKind::Other("a socket")
    } else {
        EntryKind::Other("a device")
    }
}

/// The nearest directory at or above `start` (canonical) that holds `.git`.
fn repo_above(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|a| a.join(".git").exists()).map(Path::to_path_buf)
}

/// `.` and `..` resolved by the text alone, as Go's `filepath.Clean` does.
fn lexical_clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// The root of a path typed outside the working directory's repository: the nearest real
/// directory (not a symlink) at or above it that holds `.git`, else its nearest real
/// directory.
fn outside_root(lexical: &Path) -> Option<PathBuf> {
    let real_dir = |a: &Path| -> Option<PathBuf> {
        let c = a.canonicalize().ok().filter(|c| c.is_dir())?;
        match (a.parent(), a.file_name()) {
            (Some(parent), Some(name)) => parent.canonicalize().ok().filter(|p| p.join(name) == c).map(|_| c),
            _ => Some(c),
        }
    };
    let reals: Vec<PathBuf> = lexical.ancestors().filter_map(real_dir).collect();
    reals.iter().find(|a| a.join(".git").exists()).or_else(|| reals.first()).cloned()
}

/// Reads a file the user named (a plan, `--var-file`, `--config`, a baseline): no workspace,
/// but still a size cap, and a FIFO (`<(terraform show -json p)`) is fine.
pub fn read_trusted(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(ReadError::NotRegular("a directory"));
    }
    if meta.is_file() && meta.len() > max {
        return Err(ReadError::TooLarge { size: meta.len(), max });
    }
    read_capped(file, max, if meta.is_file() { meta.len() } else { 0 })
}

/// Reads at most `max` bytes (one more tells it was larger). `expected` (the size the file
/// reports, already under `max`) sizes the buffer once instead of doubling it: a repository
/// of files is otherwise read twice over in reallocations.
fn read_capped(file: std::fs::File, max: u64, expected: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::with_capacity(expected.min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(ReadError::TooLarge { size: buf.len() as u64, max });
    }
    Ok(buf)
}

/// Opens `canon` (a canonical path) without following a symlink and without blocking on a
/// FIFO, then checks the handle: a regular file, the same file the path names, under `max`.
fn open_regular(canon: &Path, max: u64, check_path: bool) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(canon)
        .map_err(|e| if e.raw_os_error() == Some(libc::ELOOP) { ReadError::Changed } else { e.into() })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(match entry_kind(&meta.file_type()) {
            EntryKind::Dir => "a directory",
            EntryKind::Other(what) => what,
            _ => "not a regular file",
        }));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge { size: meta.len(), max });
    }
    if check_path && !same_path(&file, canon) {
        return Err(ReadError::Changed);
    }
    read_capped(file, max, meta.len())
}

/// Whether the open handle is the file at `canon` (a directory of the path may have been
/// replaced by a symlink after it was resolved). Where the system cannot say, true.
fn same_path(file: &std::fs::File, canon: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let link = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
        match std::fs::read_link(link) {
            Ok(real) => real == canon,
            Err(_) => true,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, canon);
        true
    }
}

/// Walking a scanned directory: every directory visited once by its canonical path (a
/// symlink loop or a symlink bomb costs one visit per real directory), symlinks followed
/// only inside the workspace, hidden and excluded entries left out.
pub struct Walk<'a> {
    pub workspace: &'a Workspace,
    /// Descend into subdirectories (false: only the directory itself).
    pub recursive: bool,
    /// Whether to leave out a path (relative to the walk's root, `/` separated).
    pub excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    /// Which regular files to report, by name (a scan of a large tree skips most of its
    /// files before making paths for them).
    pub files: fn(&str) -> bool,
    /// Threads that list directories ahead (0: one per core).
    pub jobs: usize,
}

/// What a walk reports.
pub enum Found {
    /// A file (or a symlink to one inside): its path as walked, and its canonical form.
    File { path: PathBuf, canonical: PathBuf, name: String },
    /// A directory entered: its path as walked, and its canonical form.
    Dir { path: PathBuf, canonical: PathBuf },
    /// A path that is not followed or not read, and why.
    Refused { path: PathBuf, name: String, reason: ReadError },
}

/// Deepest directory nesting a walk enters.
pub const MAX_DEPTH: usize = 256;

/// A directory listed ahead: what the walk reports for it, in order.
struct Listed {
    path: PathBuf,
    canonical: PathBuf,
    items: Vec<Item>,
}

enum Item {
    Found(Found),
    /// A real subdirectory, listed ahead.
    Listed(Box<Listed>),
    /// A real subdirectory not listed yet (replaced by `Listed` before the replay).
    Pending {
        path: PathBuf,
        canonical: PathBuf,
    },
    /// A symlink to a directory inside: walked in order during the replay, since which path
    /// reaches a directory first decides what is reported.
    Linked {
        path: PathBuf,
        canonical: PathBuf,
    },
}

impl Walk<'_> {
    /// Walks `root` (a directory), calling `f` in name order, depth first. The real
    /// directories are listed ahead on the walk's threads, then reported in the order a
    /// one-thread walk reports them (same paths, same refusals, whatever the threads).
    pub fn run(&self, root: &Path, f: &mut dyn FnMut(Found)) {
        let canonical = match self.workspace.resolve_dir(root) {
            Ok(c) => c,
            Err(reason) => {
                let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                f(Found::Refused { path: root.to_path_buf(), name, reason });
                return;
            }
        };
        let jobs = crate::parallel::threads(self.jobs);
        let listed = match rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .stack_size(crate::parallel::STACK)
            .build()
            .ok()
            .filter(|_| jobs > 1 && self.recursive)
        {
            Some(pool) => pool.install(|| self.list(root.to_path_buf(), canonical, root, 0, true)),
            None => self.list(root.to_path_buf(), canonical, root, 0, false),
        };
        let mut seen = foldhash::HashSet::default();
        self.replay(listed, root, 0, &mut seen, f);
    }

    /// Lists `path` and, below it, every real subdirectory (on rayon's threads when `par`).
    fn list(&self, path: PathBuf, canonical: PathBuf, root: &Path, depth: usize, par: bool) -> Listed {
        let mut items = self.entries(&path, &canonical, root, depth);
        let list = |item: &mut Item| {
            if let Item::Pending { path, canonical } = item {
                let (path, canonical) = (std::mem::take(path), std::mem::take(canonical));
                *item = Item::Listed(Box::new(self.list(path, canonical, root, depth + 1, par)));
            }
        };
        if par {
            use rayon::prelude::*;
            items.par_iter_mut().for_each(list);
        } else {
            items.iter_mut().for_each(list);
        }
        Listed { path, canonical, items }
    }

    /// Reports a directory listed ahead and what is below it, unless it was reached before.
    fn replay(
        &self,
        listed: Listed,
        root: &Path,
        depth: usize,
        seen: &mut foldhash::HashSet<PathBuf>,
        f: &mut dyn FnMut(Found),
    ) {
        if !seen.insert(listed.canonical.clone()) {
            return;
        }
        f(Found::Dir { path: listed.path, canonical: listed.canonical });
        for item in listed.items {
            match item {
                Item::Found(found) => f(found),
                Item::Listed(child) => self.replay(*child, root, depth + 1, seen, f),
                Item::Linked { path, canonical } | Item::Pending { path, canonical } => {
                    self.dir(&path, canonical, root, depth + 1, seen, f)
                }
            }
        }
    }

    /// Walks a directory reached through a symlink, in order.
    fn dir(
        &self,
        path: &Path,
        canonical: PathBuf,
        root: &Path,
        depth: usize,
        seen: &mut foldhash::HashSet<PathBuf>,
        f: &mut dyn FnMut(Found),
    ) {
        if !seen.insert(canonical.clone()) {
            return;
        }
        f(Found::Dir { path: path.to_path_buf(), canonical: canonical.clone() });
        for item in self.entries(path, &canonical, root, depth) {
            match item {
                Item::Found(found) => f(found),
                Item::Listed(child) => self.replay(*child, root, depth + 1, seen, f),
                Item::Linked { path, canonical } | Item::Pending { path, canonical } => {
                    self.dir(&path, canonical, root, depth + 1, seen, f)
                }
            }
        }
    }

    /// What one directory holds, in name order: files and refusals as found, directories
    /// to enter (real ones pending, symlinked ones linked).
    fn entries(&self, path: &Path, canonical: &Path, root: &Path, depth: usize) -> Vec<Item> {
        let entries = match list_names(path) {
            Ok(e) => e,
            Err(reason) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                return vec![Item::Found(Found::Refused { path: path.to_path_buf(), name, reason })];
            }
        };
        let mut items = Vec::new();
        for (name, kind) in entries {
            if is_ignored_file(&name) || kind == EntryKind::File && !(self.files)(&name) {
                continue;
            }
            let e = Entry { path: path.join(&name), name, kind };
            let rel = e.path.strip_prefix(root).unwrap_or(&e.path);
            if (self.excluded)(rel) {
                continue;
            }
            // A real child directory's canonical path is its parent's plus its name.
            let (kind, canon, linked) = match e.kind {
                EntryKind::Symlink => match self.workspace.resolve(&e.path) {
                    Ok(c) if c.is_dir() => (EntryKind::Dir, c, true),
                    Ok(c) => (EntryKind::File, c, true),
                    Err(reason) => {
                        items.push(Item::Found(Found::Refused { path: e.path, name: e.name, reason }));
                        continue;
                    }
                },
                kind => (kind, canonical.join(&e.name), false),
            };
            items.push(match kind {
                EntryKind::Dir if self.recursive => {
                    if depth + 1 >= MAX_DEPTH {
                        Item::Found(Found::Refused {
                            path: e.path,
                            name: e.name,
                            reason: ReadError::Io(std::io::Error::other(format!(
                                "directories nested more than {MAX_DEPTH} deep"
                            ))),
                        })
                    } else if linked {
                        Item::Linked { path: e.path, canonical: canon }
                    } else {
                        Item::Pending { path: e.path, canonical: canon }
                    }
                }
                EntryKind::Dir | EntryKind::Symlink => continue,
                EntryKind::File => Item::Found(Found::File { path: e.path, canonical: canon, name: e.name }),
                EntryKind::Other(what) => {
                    Item::Found(Found::Refused { path: e.path, name: e.name, reason: ReadError::NotRegular(what) })
                }
            });
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn temp() -> PathBuf {
        let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let d = std::env::temp_dir().join(format!("tfcheck-ws-{}-{n}", std::process::id()));
        std::fs::create_dir_all(d.join("repo/.git")).unwrap();
        std::fs::create_dir_all(d.join("outside")).unwrap();
        std::fs::write(d.join("repo/.git/config"), "token").unwrap();
        std::fs::write(d.join("repo/a.tf"), "x").unwrap();
        std::fs::write(d.join("outside/secret"), "secret").unwrap();
        d
    }

    #[test]
    fn terraform_ignores_hidden_backup_and_lock_files() {
        for n in [".a.tf", "a.tf~", "#a.tf#", ".terraform"] {
            assert!(is_ignored_file(n), "{n}");
        }
        for n in ["a.tf", "a#.tf", "#a.tf", "a~.tf"] {
            assert!(!is_ignored_file(n), "{n}");
        }
    }

    #[test]
    fn reads_stay_inside_and_out_of_git() {
        let d = temp();
        let ws = Workspace::for_paths(&[d.join("repo")]);
        assert_eq!(ws.roots(), &[d.join("repo").canonicalize().unwrap()]);
        assert_eq!(ws.read(&d.join("repo/a.tf"), 10).unwrap(), b"x");
        assert!(matches!(ws.read(&d.join("repo/../outside/secret"), 10), Err(ReadError::Outside)));
        assert!(matches!(ws.read(&d.join("repo/.git/config"), 10), Err(ReadError::GitDir)));
        assert!(matches!(ws.read(&d.join("repo/a.tf"), 0), Err(ReadError::TooLarge { .. })));
        symlink(d.join("outside/secret"), d.join("repo/link.tf")).unwrap();
        assert!(matches!(ws.read(&d.join("repo/link.tf"), 10), Err(ReadError::Outside)));
        symlink("/dev/zero", d.join("repo/zero.tf")).unwrap();
        assert!(matches!(ws.read(&d.join("repo/zero.tf"), 10), Err(ReadError::Outside)));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_scanned_symlink_does_not_move_the_workspace() {
        let d = temp();
        // `infra -> outside`, and outside holds a .git of its own.
        std::fs::create_dir_all(d.join("outside/.git")).unwrap();
        symlink(d.join("outside"), d.join("repo/infra")).unwrap();
        let ws = Workspace::for_paths(&[d.join("repo/infra"), d.join("repo/infra/../a.tf")]);
        assert_eq!(ws.roots(), &[d.join("repo").canonicalize().unwrap()]);
        assert!(matches!(ws.resolve_dir(&d.join("repo/infra")), Err(ReadError::Outside)));
        // Without a repository anywhere: the nearest real directory.
        std::fs::remove_dir_all(d.join("repo/.git")).unwrap();
        std::fs::remove_dir_all(d.join("outside/.git")).unwrap();
        let ws = Workspace::for_paths(&[d.join("repo/infra")]);
        assert_eq!(ws.roots(), &[d.join("repo").canonicalize().unwrap()]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn resolving_through_known_directories_agrees_with_the_system() {
        let d = temp();
        let repo = d.join("repo");
        std::fs::create_dir_all(repo.join("m/n")).unwrap();
        std::fs::write(repo.join("m/n/b.tf"), "x").unwrap();
        symlink(repo.join("m"), repo.join("link-dir")).unwrap();
        symlink(repo.join("a.tf"), repo.join("m/link.tf")).unwrap();
        symlink(d.join("outside/secret"), repo.join("m/out.tf")).unwrap();
        symlink(d.join("outside"), repo.join("m/out-dir")).unwrap();
        let ws = Workspace::for_paths(std::slice::from_ref(&repo));
        // Twice: the second time from the directories resolved the first.
        for _ in 0..2 {
            for p in ["a.tf", "m/n/b.tf", "link-dir/n/b.tf", "m/link.tf", "m/n/../link.tf", "link-dir/link.tf", "m/n"] {
                assert_eq!(ws.resolve(&repo.join(p)).unwrap(), repo.join(p).canonicalize().unwrap(), "{p}");
            }
            assert_eq!(ws.read(&repo.join("link-dir/link.tf"), 10).unwrap(), b"x");
            for p in ["m/out.tf", "m/out-dir/secret", "link-dir/out-dir/secret"] {
                assert!(matches!(ws.resolve(&repo.join(p)), Err(ReadError::Outside)), "{p}");
                assert!(matches!(ws.read(&repo.join(p), 10), Err(ReadError::Outside)), "{p}");
            }
            assert!(matches!(ws.read(&repo.join("m/missing.tf"), 10), Err(ReadError::Missing)));
            assert!(matches!(ws.resolve_dir(&repo.join("link-dir/out-dir")), Err(ReadError::Outside)));
        }
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let d = temp();
        let fifo = d.join("repo/main.tf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let ws = Workspace::for_paths(&[d.join("repo")]);
        assert!(matches!(ws.read(&fifo, 10), Err(ReadError::NotRegular("a FIFO"))));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn walk_visits_each_real_directory_once() {
        let d = temp();
        let repo = d.join("repo");
        // A symlink bomb: two links per level to the next level.
        for i in 0..30 {
            let lvl = repo.join(format!("l{i}"));
            std::fs::create_dir_all(&lvl).unwrap();
            for l in ["x", "y"] {
                symlink(repo.join(format!("l{}", i + 1)), lvl.join(l)).unwrap();
            }
        }
        std::fs::create_dir_all(repo.join("l30")).unwrap();
        symlink(d.join("outside"), repo.join("vendor")).unwrap();
        let ws = Workspace::for_paths(std::slice::from_ref(&repo));
        let (mut dirs, mut refused) = (0, Vec::new());
        let walk = Walk { workspace: &ws, recursive: true, excluded: &|_| false, files: |_| true, jobs: 2 };
        walk.run(&repo, &mut |f| match f {
            Found::Dir { .. } => dirs += 1,
            Found::Refused { name, reason, .. } => refused.push(format!("{name}: {reason}")),
            Found::File { .. } => {}
        });
        assert_eq!(dirs, 32, "the root and l0..l30, each once");
        assert_eq!(refused, ["vendor: it leads outside the repository being scanned; not read"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// Every report of a walk, as text, in order.
    fn walked(ws: &Workspace, root: &Path, jobs: usize, excluded: &(dyn Fn(&Path) -> bool + Sync)) -> Vec<String> {
        let mut out = Vec::new();
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        let walk = Walk { workspace: ws, recursive: true, excluded, files: |n| n.ends_with(".tf"), jobs };
        walk.run(root, &mut |f| match f {
            Found::Dir { path, .. } => out.push(format!("dir {}", rel(&path))),
            Found::File { path, canonical, .. } => out.push(format!("file {} = {}", rel(&path), rel(&canonical))),
            Found::Refused { path, reason, .. } => out.push(format!("refused {}: {reason}", rel(&path))),
        });
        out
    }

    #[test]
    fn listing_ahead_on_threads_reports_what_one_thread_reports() {
        let d = temp();
        let repo = d.join("repo").canonicalize().unwrap();
        for dir in ["c/sub", "m", "z/deep/er"] {
            std::fs::create_dir_all(repo.join(dir)).unwrap();
        }
        for f in ["c/main.tf", "c/sub/x.tf", "c/notes.md", "m/m.tf", "z/deep/er/e.tf"] {
            std::fs::write(repo.join(f), "").unwrap();
        }
        // `b -> c` comes first by name: c is reported under b, and not again as c.
        symlink(repo.join("c"), repo.join("b")).unwrap();
        // `y -> m` comes after m: m is reported as m, and y adds nothing.
        symlink(repo.join("m"), repo.join("y")).unwrap();
        // A loop back to the root, from inside a directory reached through a link.
        symlink(&repo, repo.join("c/sub/up")).unwrap();
        symlink(d.join("outside"), repo.join("z/out")).unwrap();
        let ws = Workspace::for_paths(std::slice::from_ref(&repo));
        let expected = [
            "dir ",
            "file a.tf = a.tf",
            "dir b",
            "file b/main.tf = c/main.tf",
            "dir b/sub",
            "file b/sub/x.tf = c/sub/x.tf",
            "dir m",
            "file m/m.tf = m/m.tf",
            "dir z",
            "dir z/deep",
            "dir z/deep/er",
            "file z/deep/er/e.tf = z/deep/er/e.tf",
            "refused z/out: it leads outside the repository being scanned; not read",
        ];
        for jobs in [1, 2, 8] {
            assert_eq!(walked(&ws, &repo, jobs, &|_| false), expected, "{jobs} threads");
        }
        // An excluded real directory is still reached through a link that is not excluded.
        let excluded = |rel: &Path| rel == Path::new("c") || rel == Path::new("b");
        let without_c = ["dir ", "file a.tf = a.tf", "dir m", "file m/m.tf = m/m.tf"];
        for jobs in [1, 2] {
            assert_eq!(walked(&ws, &repo, jobs, &excluded)[..4], without_c, "{jobs} threads");
        }
        let only_b = |rel: &Path| rel == Path::new("b");
        for jobs in [1, 2] {
            let got = walked(&ws, &repo, jobs, &only_b);
            assert!(got.contains(&"file c/sub/x.tf = c/sub/x.tf".to_string()), "{jobs} threads: {got:?}");
            assert!(!got.iter().any(|l| l.starts_with("dir b")), "{jobs} threads: {got:?}");
        }
        let _ = std::fs::remove_dir_all(&d);
    }
}
