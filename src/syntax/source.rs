//! Source files held in memory, byte spans into them, and line/column lookup.
//!
//! Every location in tfcheck is a [`Span`]: a file id plus a byte range. Rules and the
//! evaluator never compute line numbers; renderers ask the [`SourceMap`] when they print.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end.max(start) as u32 }
    }

    /// The smallest span covering both (they must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// One loaded file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path used to read the file (or a virtual name such as `rules/x.hcl#example-bad`).
    pub path: PathBuf,
    /// Path shown to users: relative to the working directory when possible, `/` separated.
    pub display: String,
    pub text: Arc<str>,
    /// Where each line starts: made when a location in the file is first printed (few of a
    /// large tree's files ever are).
    line_starts: std::sync::OnceLock<Box<[u32]>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<str>) -> SourceFile {
        SourceFile { path, display, text, line_starts: Default::default() }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let newlines = self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n');
            std::iter::once(0).chain(newlines.map(|(i, _)| i as u32 + 1)).collect()
        })
    }

    /// Line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line_starts = self.line_starts();
        let line = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        LineCol { line: line + 1, col }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let line_starts = self.line_starts();
        if line == 0 || line > line_starts.len() {
            return "";
        }
        let start = line_starts[line - 1] as usize;
        let end = line_starts.get(line).map(|e| *e as usize).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts().get(line.saturating_sub(1)).map(|s| *s as usize).unwrap_or(self.text.len())
    }
}

/// All files of a scan. Append-only, shareable across threads.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&self, path: PathBuf, text: Arc<str>) -> FileId {
        let display = display_path(&path);
        self.add_named(path, display, text)
    }

    pub fn add_named(&self, path: PathBuf, display: String, text: Arc<str>) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.push(Arc::new(SourceFile::new(path, display, text)));
        FileId(files.len() as u32 - 1)
    }

    /// Adds a file prepared elsewhere (read on another thread).
    pub fn add_file(&self, file: Arc<SourceFile>) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.push(file);
        FileId(files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        self.files.read().unwrap_or_else(|e| e.into_inner())[id.0 as usize].clone()
    }

    pub fn len(&self) -> usize {
        self.files.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn line_col(&self, span: Span) -> (LineCol, LineCol) {
        let f = self.get(span.file);
        (f.line_col(span.start), f.line_col(span.end))
    }

    /// `file:line` for messages.
    pub fn short(&self, span: Span) -> String {
        let f = self.get(span.file);
        format!("{}:{}", f.display, f.line_col(span.start).line)
    }
}

/// A path as users should see it: relative to the current directory when it is inside it,
/// with `/` separators, never starting with `./`.
pub fn display_path(path: &Path) -> String {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
    let outside;
    let rel = match (cwd, path.is_absolute()) {
        (Some(cwd), true) => match path.strip_prefix(cwd) {
            Ok(p) => p,
            Err(_) => {
                // Outside the working directory: `../x`, never absolute (SARIF needs relative).
                outside = PathBuf::from(relative_path(cwd, path));
                &outside
            }
        },
        _ => path,
    };
    let mut s = String::new();
    for comp in rel.components() {
        use std::path::Component;
        match comp {
            Component::CurDir => continue,
            Component::RootDir => s.push('/'),
            Component::Prefix(p) => s.push_str(&p.as_os_str().to_string_lossy()),
            Component::ParentDir => s.push_str("../"),
            Component::Normal(n) => {
                s.push_str(&n.to_string_lossy());
                s.push('/');
            }
        }
    }
    while s.len() > 1 && s.ends_with('/') {
        s.pop();
    }
    if s.is_empty() { ".".to_string() } else { s }
}

/// `to` relative to `from` (both absolute), with `/` separators (`.` when equal).
pub fn relative_path(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(t.iter()).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), f.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().to_string()));
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let f = SourceFile::new("a.tf".into(), "a.tf".into(), "ab\ncé d\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, col: 1 });
        // 'é' is two bytes: the space after it is the third character.
        assert_eq!(f.line_col(6), LineCol { line: 2, col: 3 });
        assert_eq!(f.line_text(2), "cé d");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn display_paths_are_forward_slashed_and_relative() {
        assert_eq!(display_path(Path::new("./a/b.tf")), "a/b.tf");
        assert_eq!(display_path(Path::new("../x/y")), "../x/y");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(relative_path(Path::new("/a/b/c"), Path::new("/a/x/y.tf")), "../../x/y.tf");
        assert_eq!(relative_path(Path::new("/a"), Path::new("/a")), ".");
    }
}
