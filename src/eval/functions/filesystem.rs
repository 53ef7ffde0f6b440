//! Filesystem functions. Paths resolve against the root module directory, and every read
//! goes through the scan's [`Workspace`]: regular files inside the repository, never `.git`.

use super::FnError;
use std::cell::Cell;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::FnContext;
use super::args::{MAX_STRING, arg_err, plain_unknown, string};
use super::encoding::base64_encode;
use super::limit_message;
use super::string::render;
use crate::terraform::value::Value;
use crate::workspace::{ReadError, Workspace};

/// Most directory entries `fileset` looks at before giving up.
const MAX_FILESET_ENTRIES: usize = 100_000;

/// Go's `filepath.Clean` (Unix): lexical, `..` at the root stays at the root.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn base_name(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn dir_name(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".into(),
    }
}

pub fn basename(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(base_name(&string(&args[0], "path")?)))
}

pub fn dirname(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(dir_name(&string(&args[0], "path")?)))
}

/// The path joined to the root module directory (Terraform's working directory).
fn absolute(ctx: &FnContext, path: &str) -> String {
    if path.starts_with('/') {
        return clean(path);
    }
    let root = if ctx.root_dir.is_absolute() {
        ctx.root_dir.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(ctx.root_dir)
    };
    clean(&format!("{}/{path}", root.to_string_lossy()))
}

pub fn abspath(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(absolute(ctx, &string(&args[0], "path")?)))
}

/// `~` means the home directory of whoever runs Terraform: not knowable here.
pub fn pathexpand(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let path = string(&args[0], "path")?;
    match home_relative(&path)? {
        Some(_) => Ok(Value::unknown_apply("pathexpand()")),
        None => Ok(Value::string(path.into_owned())),
    }
}

/// For `~` and `~/...`, the part after `~`; `~user` is an error, as in Terraform.
fn home_relative(path: &str) -> Result<Option<&str>, FnError> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(None);
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        return Err("cannot expand user-specific home dir".into());
    }
    Ok(Some(rest))
}

/// The scan's workspace (its roots are canonical already).
fn workspace(ctx: &FnContext) -> Workspace {
    Workspace::from_canonical(ctx.sandbox.to_vec())
}

/// A read that failed: the path as written, and why (never what the file holds). When tfcheck
/// refused what Terraform would have read, that is one of tfcheck's limits: an error, never
/// an unknown. A path the system rejects (a NUL byte) is Terraform's error too.
fn refused(path: &str, e: &ReadError) -> FnError {
    let message = format!("{path}: {e}");
    if e.is_refusal() || matches!(e, ReadError::NotRegular(_)) { limit_message(message) } else { message.into() }
}

/// Where a path points: its canonical form if it exists; otherwise the canonical form of its
/// longest existing ancestor plus the rest, so that missing paths can be placed too.
fn locate(path: &str) -> (PathBuf, bool) {
    let p = Path::new(path);
    if let Ok(c) = p.canonicalize() {
        return (c, true);
    }
    let mut rest = Vec::new();
    let mut cur = p;
    while let Some(parent) = cur.parent() {
        if let Some(name) = cur.file_name() {
            rest.push(name.to_owned());
        }
        if let Ok(mut c) = parent.canonicalize() {
            for name in rest.iter().rev() {
                c.push(name);
            }
            return (c, false);
        }
        cur = parent;
    }
    (p.to_path_buf(), false)
}

/// Resolves a path argument; `Ok(None)` when nothing exists there (inside the sandbox).
fn resolve(ctx: &FnContext, path: &str) -> Result<(PathBuf, bool), FnError> {
    let expanded = match home_relative(path)? {
        Some(rest) => {
            let home = std::env::var("HOME").map_err(|_| "failed to expand ~: no home directory".to_string())?;
            format!("{home}{rest}")
        }
        None => path.to_string(),
    };
    let abs = absolute(ctx, &expanded);
    let ws = workspace(ctx);
    match ws.resolve(Path::new(&abs)) {
        Ok(c) => Ok((c, true)),
        Err(ReadError::Missing) => {
            let (located, _) = locate(&abs);
            if !ws.contains(&located) {
                return Err(refused(path, &ReadError::Outside));
            }
            Ok((located, false))
        }
        Err(e) => Err(refused(path, &e)),
    }
}

/// Reads a regular file inside the sandbox (at most 16 MiB).
pub fn read_file(ctx: &FnContext, path: &str) -> Result<Vec<u8>, FnError> {
    let (located, exists) = resolve(ctx, path)?;
    if !exists {
        return Err(format!(
            "no file exists at {path}; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource"
        ).into());
    }
    match workspace(ctx).read(&located, MAX_STRING as u64) {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::NotRegular("a directory")) => Err(format!("{path} is a directory, not a file").into()),
        Err(ReadError::TooLarge { .. }) => {
            Err(limit_message(format!("{path} is larger than {} MiB", MAX_STRING >> 20)))
        }
        Err(e) => Err(refused(path, &e)),
    }
}

fn read_text(ctx: &FnContext, path: &str) -> Result<String, FnError> {
    String::from_utf8(read_file(ctx, path)?).map_err(|_| {
        FnError::from(format!(
            "contents of {path} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead"
        ))
    })
}

pub fn file(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(read_text(ctx, &string(&args[0], "path")?)?))
}

pub fn filebase64(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    let bytes = read_file(ctx, &string(&args[0], "path")?)?;
    Ok(Value::string(base64_encode(&bytes)))
}

pub fn fileexists(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    let path = string(&args[0], "path")?;
    let (located, exists) = resolve(ctx, &path)?;
    if !exists {
        return Ok(Value::bool(false));
    }
    let meta = std::fs::metadata(&located).map_err(|_| format!("failed to stat {path}"))?;
    if meta.is_file() {
        Ok(Value::bool(true))
    } else if meta.is_dir() {
        Err(arg_err("path", format!("{path} is a directory, not a file")))
    } else {
        Err(arg_err("path", format!("{path} is not a regular file")))
    }
}

thread_local! {
    /// Set while a template file renders: Terraform forbids `templatefile` inside one.
    static IN_TEMPLATEFILE: Cell<bool> = const { Cell::new(false) };
}

pub fn templatefile(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    if IN_TEMPLATEFILE.with(Cell::get) {
        return Err("cannot recursively call templatefile from inside templatefile call".into());
    }
    if let Some(u) = args[0].first_unknown() {
        return Ok(plain_unknown(u));
    }
    if args[1].is_unknown() {
        return Ok(plain_unknown(&args[1]));
    }
    let path = string(&args[0], "path")?;
    let text = read_text(ctx, &path)?;
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_TEMPLATEFILE.with(|f| f.set(false));
        }
    }
    IN_TEMPLATEFILE.with(|f| f.set(true));
    let _reset = Reset;
    render(ctx, &text, &path, &args[1])
}

/// Go's `filepath.Rel` for two clean absolute paths.
fn relative(base: &str, target: &str) -> String {
    let b: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = target.split('/').filter(|s| !s.is_empty()).collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; b.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

fn has_meta(component: &str) -> bool {
    component.contains(['*', '?', '[', '{', '\\'])
}

/// One path component of a doublestar pattern as an anchored regex.
fn component_regex(component: &str) -> Result<regex::Regex, FnError> {
    let bad = || FnError::from("syntax error in pattern");
    let chars: Vec<char> = component.chars().collect();
    let mut re = String::from("^");
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '\\' => {
                i += 1;
                re.push_str(&regex::escape(&chars.get(i).ok_or_else(bad)?.to_string()));
            }
            '[' => {
                let close = (i + 2..chars.len()).find(|&j| chars[j] == ']').ok_or_else(bad)?;
                let mut body: String = chars[i + 1..close].iter().collect();
                if let Some(rest) = body.strip_prefix(['!', '^']) {
                    body = format!("^{rest}");
                }
                let body = body.replace('[', "\\[").replace("&&", "\\&\\&").replace("~~", "\\~\\~");
                re.push_str(&format!("[{body}]"));
                i = close;
            }
            '{' => {
                depth += 1;
                re.push_str("(?:");
            }
            ',' if depth > 0 => re.push('|'),
            '}' if depth > 0 => {
                depth -= 1;
                re.push(')');
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    if depth > 0 {
        return Err(bad());
    }
    re.push('$');
    regex::RegexBuilder::new(&re).size_limit(1 << 20).build().map_err(|_| bad())
}

struct Walk<'a> {
    sandbox: &'a Workspace,
    found: BTreeSet<String>,
    seen: HashSet<(String, usize)>,
    budget: usize,
}

impl Walk<'_> {
    /// Matches `comps` below the directory `dir` (a clean absolute path as written).
    fn walk(&mut self, dir: &str, comps: &[String]) -> Result<(), FnError> {
        if !self.seen.insert((dir.to_string(), comps.len())) {
            return Ok(());
        }
        let Some((first, rest)) = comps.split_first() else {
            return Ok(());
        };
        if first == "**" {
            self.walk(dir, rest)?;
            for (name, is_dir) in self.entries(dir)? {
                if is_dir {
                    self.walk(&format!("{dir}/{name}"), comps)?;
                }
            }
            return Ok(());
        }
        let matcher = if has_meta(first) { Some(component_regex(first)?) } else { None };
        for (name, _) in self.entries(dir)? {
            if matcher.as_ref().map_or(name == *first, |m| m.is_match(&name)) {
                self.visit(&format!("{}/{name}", dir.trim_end_matches('/')), rest)?;
            }
        }
        Ok(())
    }

    fn visit(&mut self, path: &str, rest: &[String]) -> Result<(), FnError> {
        let Ok(canon) = self.sandbox.resolve(Path::new(path)) else {
            return Ok(());
        };
        let Ok(meta) = std::fs::metadata(&canon) else {
            return Ok(());
        };
        if rest.is_empty() {
            if meta.is_file() {
                self.found.insert(path.to_string());
            }
        } else if meta.is_dir() {
            self.walk(path, rest)?;
        }
        Ok(())
    }

    /// Names in a directory, with whether each is a real (not symlinked) directory.
    fn entries(&mut self, dir: &str) -> Result<Vec<(String, bool)>, FnError> {
        let Ok(canon) = self.sandbox.resolve(Path::new(dir)) else {
            return Ok(Vec::new());
        };
        let Ok(read) = std::fs::read_dir(&canon) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in read.flatten() {
            self.budget = self.budget.checked_sub(1).ok_or_else(|| {
                limit_message(format!("more than {MAX_FILESET_ENTRIES} directory entries to match the pattern"))
            })?;
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            out.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
        }
        out.sort();
        Ok(out)
    }
}

pub fn fileset(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    let (path, pattern) = (string(&args[0], "path")?, string(&args[1], "pattern")?);
    let base = absolute(ctx, &path);
    let full = clean(&format!("{base}/{pattern}"));
    let comps: Vec<String> = full.split('/').filter(|c| !c.is_empty()).map(str::to_string).collect();
    let literal = comps.iter().take_while(|c| !has_meta(c)).count().min(comps.len().saturating_sub(1));
    let start = format!("/{}", comps[..literal].join("/"));
    let (located, exists) = locate(&start);
    let sandbox = workspace(ctx);
    if !sandbox.contains(&located) {
        return Err(refused(&path, &ReadError::Outside));
    }
    let mut walk =
        Walk { sandbox: &sandbox, found: BTreeSet::new(), seen: HashSet::new(), budget: MAX_FILESET_ENTRIES };
    if exists {
        walk.walk(&start, &comps[literal..]).map_err(|e| e.wrap(|m| format!("failed to glob pattern {full}: {m}")))?;
    }
    Ok(Value::set(walk.found.iter().map(|m| Value::string(relative(&base, m))).collect()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_fn, call_in};
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    fn temp_tree() -> PathBuf {
        let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("tfcheck-fs-{}-{n}", std::process::id()));
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("modules/a/.hidden")).unwrap();
        std::fs::create_dir_all(root.join("files/sub")).unwrap();
        std::fs::write(root.join("hello.txt"), "Hello World").unwrap();
        std::fs::write(root.join("files/a.json"), "{}").unwrap();
        std::fs::write(root.join("files/b.tmpl"), "Hi ${name}!").unwrap();
        std::fs::write(root.join("files/sub/c.json"), "[]").unwrap();
        std::fs::write(root.join("modules/a/.hidden/x.json"), "1").unwrap();
        std::fs::write(root.join("bin.dat"), [0xffu8, 0xfe]).unwrap();
        std::fs::write(dir.join("secret.txt"), "outside").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), root.join("link-out.txt")).unwrap();
            std::os::unix::fs::symlink(&root, root.join("files/loop")).unwrap();
        }
        root
    }

    #[test]
    fn path_helpers_follow_go() {
        assert_eq!(clean("a/../../b/./c/"), "../b/c");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean(""), ".");
        assert_eq!(call_fn("basename", vec![s("foo/bar/baz.txt")]).unwrap(), s("baz.txt"));
        assert_eq!(call_fn("basename", vec![s("/")]).unwrap(), s("/"));
        assert_eq!(call_fn("basename", vec![s("")]).unwrap(), s("."));
        assert_eq!(call_fn("dirname", vec![s("foo/bar/baz.txt")]).unwrap(), s("foo/bar"));
        assert_eq!(call_fn("dirname", vec![s("foo")]).unwrap(), s("."));
        assert_eq!(call_fn("dirname", vec![s("/foo")]).unwrap(), s("/"));
        assert_eq!(call_in(Path::new("/work/x"), "abspath", vec![s("../y/./z")]).unwrap(), s("/work/y/z"));
        assert_eq!(call_fn("pathexpand", vec![s("/etc/x")]).unwrap(), s("/etc/x"));
        assert!(call_fn("pathexpand", vec![s("~/.ssh/id_rsa")]).unwrap().is_unknown());
        assert!(call_fn("pathexpand", vec![s("~bob/x")]).is_err());
        assert_eq!(relative("/a/b", "/a/c/d"), "../c/d");
    }

    #[test]
    fn files_are_read_inside_the_sandbox_only() {
        let root = temp_tree();
        assert_eq!(call_in(&root, "file", vec![s("hello.txt")]).unwrap(), s("Hello World"));
        assert_eq!(call_in(&root, "file", vec![s("./files/../hello.txt")]).unwrap(), s("Hello World"));
        assert_eq!(call_in(&root, "filebase64", vec![s("hello.txt")]).unwrap(), s("SGVsbG8gV29ybGQ="));
        assert!(call_in(&root, "file", vec![s("bin.dat")]).unwrap_err().contains("not valid UTF-8"));
        assert!(call_in(&root, "file", vec![s("missing.txt")]).unwrap_err().contains("no file exists at missing.txt"));
        assert!(call_in(&root, "file", vec![s("files")]).unwrap_err().contains("is a directory"));
        let outside = |name: &str, arg: &str| call_in(&root, name, vec![s(arg)]).unwrap_err();
        assert!(outside("file", "/etc/passwd").contains("outside the repository being scanned"));
        assert!(outside("file", "../secret.txt").contains("outside the repository being scanned"));
        assert!(outside("file", "../../../../nonexistent").contains("outside the repository being scanned"));
        assert!(outside("file", "link-out.txt").contains("outside the repository being scanned"));
        assert!(outside("fileexists", "../secret.txt").contains("outside the repository being scanned"));
        assert!(outside("filemd5", "/etc/passwd").contains("outside the repository being scanned"));
        let vars = Value::map(Default::default());
        let err = call_in(&root, "templatefile", vec![s("../secret.txt"), vars]).unwrap_err();
        assert!(err.contains("outside the repository being scanned"), "{err}");
        assert_eq!(call_in(&root, "fileexists", vec![s("hello.txt")]).unwrap(), Value::bool(true));
        assert_eq!(call_in(&root, "fileexists", vec![s("nope.txt")]).unwrap(), Value::bool(false));
        assert!(call_in(&root, "fileexists", vec![s("files")]).is_err());
        let vars = Value::map([("name".to_string(), s("Ann"))].into_iter().collect());
        assert_eq!(call_in(&root, "templatefile", vec![s("files/b.tmpl"), vars]).unwrap(), s("Hi Ann!"));
        // The checkout token that actions/checkout leaves in .git/config is never read.
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        for f in ["file", "filebase64", "filesha256", "fileexists"] {
            let err = call_in(&root, f, vec![s(".git/config")]).unwrap_err();
            assert!(err.contains("inside .git"), "{f}: {err}");
        }
        let listed = call_in(&root, "fileset", vec![s("."), s("**")]).unwrap();
        assert!(!format!("{listed:?}").contains(".git"), "{listed:?}");
        std::fs::remove_dir_all(root.parent().unwrap()).unwrap();
    }

    #[test]
    fn fileset_globs_like_doublestar() {
        let root = temp_tree();
        let set = |path: &str, pattern: &str| -> Vec<String> {
            let v = call_in(&root, "fileset", vec![s(path), s(pattern)]).unwrap();
            v.as_seq().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        };
        assert_eq!(set(".", "files/*.json"), ["files/a.json"]);
        assert_eq!(set("files", "*"), ["a.json", "b.tmpl"]);
        assert_eq!(set("files", "**/*.json"), ["a.json", "sub/c.json"]);
        assert_eq!(set(".", "**/x.json"), ["modules/a/.hidden/x.json"]);
        assert_eq!(set(".", "files/{a,b}.*"), ["files/a.json", "files/b.tmpl"]);
        assert_eq!(set(".", "files/[ab].json"), ["files/a.json"]);
        assert_eq!(set(".", "nothing/*"), Vec::<String>::new());
        assert!(call_in(&root, "fileset", vec![s(".."), s("*")]).unwrap_err().contains("outside"));
        assert!(call_in(&root, "fileset", vec![s("/"), s("etc/*")]).unwrap_err().contains("outside"));
        assert!(call_in(&root, "fileset", vec![s("."), s("[")]).unwrap_err().contains("syntax error in pattern"));
        // The symlink pointing outside is not returned.
        assert!(!set(".", "*").contains(&"link-out.txt".to_string()));
        std::fs::remove_dir_all(root.parent().unwrap()).unwrap();
    }
}
