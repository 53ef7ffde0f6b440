//! The source layout is the pipeline, and stays so: no import cycles between modules or
//! between the top-level folders, each folder depends only on those below it in the
//! pipeline, and no file grows past the size where it starts being two things.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom of the pipeline up: each may use only those listed
/// before it (and itself). `lib` (the facade) and `scan` (orchestration) sit on top.
const LAYERS: &[&str] = &[
    "syntax",
    "diag",
    "parallel",
    "terraform",
    "workspace",
    "progress",
    "eval",
    "rules",
    "finding",
    "settings",
    "input",
    "check",
    "triage",
    "scan",
    "fix",
    "report",
    "lib",
];

/// Lines of code (tests excluded) past which a file needs a reason to stay one file.
const MAX_LINES: usize = 600;

/// Files over [`MAX_LINES`] that are still one thing, and why.
const ONE_THING: &[(&str, &str)] = &[
    ("src/eval/functions/yaml.rs", "a YAML 1.2 reader and writer with Terraform's quirks, nothing else"),
    ("src/terraform/value.rs", "the value type and the operations every stage needs on it"),
    ("src/rules/load.rs", "the rule file's validator: one pass over a rule's blocks, each checked where it is written"),
];

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| !p.starts_with(root.join("src/cli")) && !p.ends_with("main.rs"))
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// `src/eval/module.rs` -> `eval::module`; `src/lib.rs` -> `lib`.
fn module_name(path: &str) -> String {
    let m = path.trim_start_matches("src/").trim_end_matches(".rs").replace('/', "::");
    m.strip_suffix("::mod").map(str::to_string).unwrap_or(m)
}

/// The code before the unit tests, without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The modules a file names through `crate::` paths, `use crate::{a, b::c}` groups, and
/// `super::` paths, each resolved to the longest module that exists.
fn imports(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        (1..=parts.len()).rev().map(|i| parts[..i].join("::")).find(|c| modules.contains(c))
    };
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect::<String>();
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in group.split('}').next().unwrap_or("").split(',') {
                out.extend(resolve(&ident(item.trim())));
            }
        } else {
            out.extend(resolve(&ident(rest)));
        }
    }
    let parent = module.rsplit_once("::").map(|(p, _)| p).unwrap_or("");
    for (i, _) in text.match_indices("super::") {
        let path = ident(&text[i + 7..]);
        let full = if parent.is_empty() { path } else { format!("{parent}::{path}") };
        out.extend(resolve(&full));
    }
    out.remove(module);
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().map(|(p, _)| module_name(p)).collect();
    files.iter().map(|(p, t)| (module_name(p), imports(&module_name(p), &code(t), &modules))).collect()
}

/// A cycle in `g`, if there is one (depth-first search).
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn top(m: &str) -> &str {
    m.split("::").next().unwrap_or(m)
}

#[test]
fn no_import_cycles_between_modules() {
    let g = graph();
    assert!(g.len() > 50, "the source tree was not found: {} modules", g.len());
    assert!(g["scan"].contains("check"), "the import scan is broken: {:?}", g["scan"]);
    if let Some(c) = find_cycle(&g) {
        panic!("import cycle: {}", c.join(" -> "));
    }
}

#[test]
fn folders_depend_only_on_the_stages_below_them() {
    let mut wrong = Vec::new();
    for (m, deps) in graph() {
        let Some(mine) = LAYERS.iter().position(|l| *l == top(&m)) else {
            wrong.push(format!("{m}: its folder is not in LAYERS"));
            continue;
        };
        for d in deps {
            let theirs = LAYERS.iter().position(|l| *l == top(&d)).unwrap_or(usize::MAX);
            if top(&d) != top(&m) && theirs > mine {
                wrong.push(format!("{m} uses {d}, a later stage"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_cycle_check_finds_cycles() {
    let g: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), BTreeSet::from([b.to_string()])))
        .collect();
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    let modules = BTreeSet::from(["eval".to_string(), "eval::expr".to_string(), "terraform::value".to_string()]);
    let found = imports("eval::module", "use super::expr::Env;\nuse crate::{terraform::value::Value, x};", &modules);
    assert_eq!(found, BTreeSet::from(["eval::expr".to_string(), "terraform::value".to_string()]));
}

#[test]
fn every_file_is_one_thing() {
    let mut long = Vec::new();
    for (path, text) in sources() {
        let lines = code(&text).lines().count();
        if lines > MAX_LINES && !ONE_THING.iter().any(|(p, _)| *p == path) {
            long.push(format!("{path}: {lines} lines"));
        }
        assert!(text.starts_with("//!"), "{path} does not open with a //! line saying what it is for");
    }
    assert!(long.is_empty(), "split these, or say in ONE_THING why each is one thing: {long:#?}");
}
