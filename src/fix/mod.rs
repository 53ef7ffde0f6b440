//! `tfcheck fix`: repairs findings in the files, where the finding says the value was
//! decided (a variable default, a tfvars value, a module argument) or else at the resource,
//! and keeps a repair only when a scan of the edited files shows it worked.

mod edit;
mod locate;
pub mod migrate;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Level;
use crate::finding::Finding;
use crate::rules::model::{Applicability, Fix, FixValue};
use crate::scan::{ScanOptions, ScanResult, scan_with};
use crate::syntax::hcl::ast::{Block, Body};
use crate::syntax::source::SourceMap;
use crate::terraform::config::PathMap;
pub use edit::{Edit, align, apply};
use locate::{is_identifier, is_literal, literal_kind};

/// Rounds of repairs: a repair can expose the next check of the same rule (a block added,
/// then its key), and each round scans once.
const MAX_ROUNDS: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct FixOptions {
    pub scan: ScanOptions,
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// What `fix` did, and what it left.
pub struct FixResult {
    /// Files the repairs change, in the order they were first changed.
    pub files: Vec<ChangedFile>,
    /// Each repair kept: where, what and why.
    pub changes: Vec<Change>,
    /// Findings with a fix that were not repaired, and why.
    pub left: Vec<Left>,
    /// The scan of the repaired files: what remains.
    pub after: ScanResult,
    /// Findings the first scan reported that the last one does not.
    pub fixed: usize,
}

#[derive(Debug)]
pub struct ChangedFile {
    /// As shown to users.
    pub display: String,
    /// Where it is (canonical): what `fix` writes.
    pub path: PathBuf,
    pub before: Arc<str>,
    pub after: Arc<str>,
}

#[derive(Clone, Debug)]
pub struct Change {
    /// `file:line` of the change, as shown to users.
    pub at: String,
    pub rule: String,
    pub address: String,
    pub what: String,
    pub applicability: Applicability,
}

#[derive(Clone, Debug)]
pub struct Left {
    /// `file:line` of the finding.
    pub at: String,
    pub rule: String,
    pub address: String,
    pub why: String,
}

/// A finding, as the rescans recognise it.
type Key = (String, String, String);

fn key_of(f: &Finding) -> Key {
    (f.rule.id.clone(), f.address.clone(), f.root.clone())
}

/// A repair tried this round (a finding, its check, which of its candidates), for each
/// finding it serves.
type Tag = (Key, usize, usize);
type Served = (Proposal, Vec<Tag>);

/// One possible repair: edits of files (by canonical path), for the findings it serves.
#[derive(Clone, Debug)]
struct Proposal {
    edits: Vec<(PathBuf, Edit)>,
    /// Where it is shown (a file and an offset in the text it edits), and what it does.
    pos: (PathBuf, usize),
    what: String,
    /// The module directory whose new key it adds, when it adds one: `(dir, reference)`.
    new_key: Option<(PathBuf, String)>,
}

/// Repairs the findings of a scan of `opts.scan`; writes nothing (see [`write()`]).
pub fn fix(opts: &FixOptions) -> FixResult {
    let mut texts: PathMap<Arc<str>> = PathMap::default();
    let mut originals: PathMap<Arc<str>> = PathMap::default();
    let mut order: Vec<PathBuf> = Vec::new();
    let mut displays: PathMap<String> = PathMap::default();
    let mut changes = Vec::new();
    let mut tried: HashSet<Tag> = HashSet::new();
    let mut keys: PathMap<String> = PathMap::default();
    // Each change's place: (change, file, line from 0, column), kept up to date as edits land.
    let mut placed: Vec<(usize, PathBuf, usize, usize)> = Vec::new();
    let roots: Vec<PathBuf> = crate::workspace::Workspace::for_paths(&opts.scan.load.paths).roots().to_vec();
    let mut result = scan_with(&opts.scan, Arc::new(texts.clone()));
    let first: HashSet<Key> = result.findings.iter().filter(|f| f.is_active()).map(key_of).collect();
    let mut why_left: std::collections::HashMap<Key, String> = std::collections::HashMap::new();
    for _ in 0..MAX_ROUNDS {
        let errors = count_errors(&result);
        let (by_path, by_dir) = locate::files_by_dir(&result.sources);
        let parsed = std::cell::RefCell::new(std::collections::HashMap::new());
        // Every finding's next untried repair; identical repairs (instances of one block, a
        // module called twice) are one proposal serving all of them.
        let mut proposals: Vec<Served> = Vec::new();
        for f in result.findings.iter().filter(|f| f.is_active()) {
            let Some(fix) = f.rule.checks.get(f.check).and_then(|c| c.fix.as_ref()) else { continue };
            if fix.applicability == Applicability::Unsafe && !opts.unsafe_fixes {
                why_left.insert(key_of(f), format!("unsafe fix, not applied without --unsafe-fixes: {}", fix.note));
                continue;
            }
            let cx = Cx {
                sources: &result.sources,
                keys: &keys,
                by_dir: &by_dir,
                rule: &f.rule.id,
                roots: &roots,
                parsed: &parsed,
            };
            let (cands, why) = candidates(f, fix, &cx);
            let key = key_of(f);
            match cands.into_iter().enumerate().find(|(i, _)| !tried.contains(&(key.clone(), f.check, *i))) {
                Some((i, p)) => {
                    let tag = (key, f.check, i);
                    match proposals.iter_mut().find(|(q, _)| q.edits == p.edits) {
                        Some((_, tags)) => tags.push(tag),
                        None => proposals.push((p, vec![tag])),
                    }
                }
                None => {
                    why_left.insert(key, why.unwrap_or_else(|| "no repair tfcheck tried removed it".into()));
                }
            }
        }
        if proposals.is_empty() {
            break;
        }
        // Proposals that touch the same text wait for the next round (spans move).
        let mut chosen: Vec<Served> = Vec::new();
        for (p, tags) in proposals {
            let clash = chosen.iter().any(|(q, _)| {
                p.edits.iter().any(|(pf, pe)| q.edits.iter().any(|(qf, qe)| pf == qf && pe.overlaps(qe)))
                    || p.new_key.as_ref().is_some_and(|(d, _)| q.new_key.as_ref().is_some_and(|(e, _)| d == e))
            });
            if !clash {
                chosen.push((p, tags));
            }
        }
        let round_start = texts.clone();
        let chosen_count = chosen.len();
        let Some(candidate_texts) = edited(&round_start, &result.sources, &by_path, &chosen) else { break };
        let rescan = scan_with(&opts.scan, Arc::new(candidate_texts.clone()));
        let worked = |tags: &[Tag], scan: &ScanResult| {
            tags.iter().any(|(k, check, _)| {
                let now = scan.findings.iter().filter(|f| f.is_active() && &key_of(f) == k).map(|f| f.check).max();
                now.is_none_or(|c| c > *check)
            })
        };
        let new_errors = count_errors(&rescan) > errors;
        let mut kept = Vec::new();
        for (p, tags) in chosen {
            if !new_errors && worked(&tags, &rescan) {
                kept.push((p, tags));
            } else {
                tried.extend(tags);
            }
        }
        if kept.is_empty() {
            continue;
        }
        let next = if kept.len() == chosen_count {
            Some(candidate_texts)
        } else {
            edited(&round_start, &result.sources, &by_path, &kept)
        };
        let Some(next) = next else { break };
        for (p, tags) in &kept {
            for (path, _) in &p.edits {
                if !order.contains(path) {
                    order.push(path.clone());
                    let scanned = by_path.get(path).map(|id| result.sources.get(*id));
                    let before = round_start
                        .get(path)
                        .cloned()
                        .or_else(|| scanned.as_ref().map(|f| f.text.clone()))
                        .unwrap_or_else(|| Arc::from(""));
                    originals.insert(path.clone(), before);
                    let shown = scanned.map_or_else(|| path.display().to_string(), |f| f.display.clone());
                    displays.insert(path.clone(), shown);
                }
            }
            if let Some((dir, reference)) = &p.new_key {
                keys.insert(dir.clone(), reference.clone());
            }
            for (k, _, _) in tags {
                let rule = k.0.clone();
                let applicability = result
                    .findings
                    .iter()
                    .find(|f| &key_of(f) == k)
                    .and_then(|f| f.rule.checks.get(f.check).and_then(|c| c.fix.as_ref()))
                    .map_or(Applicability::Safe, |f| f.applicability);
                let text = round_start
                    .get(&p.pos.0)
                    .cloned()
                    .or_else(|| by_path.get(&p.pos.0).map(|id| result.sources.get(*id).text.clone()))
                    .unwrap_or_else(|| Arc::from(""));
                let before = &text[..p.pos.1.min(text.len())];
                let line = before.bytes().filter(|b| *b == b'\n').count();
                let col = before.len() - before.rfind('\n').map_or(0, |n| n + 1);
                placed.push((changes.len(), p.pos.0.clone(), line, col));
                changes.push(Change {
                    at: String::new(),
                    rule,
                    address: k.1.clone(),
                    what: p.what.clone(),
                    applicability,
                });
            }
        }
        // Places shown move by the lines the edits made before them add (alignment only
        // changes spaces inside lines).
        for (_, path, line, col) in placed.iter_mut() {
            let Some(text) = round_start
                .get(path)
                .cloned()
                .or_else(|| by_path.get(path).map(|id| result.sources.get(*id).text.clone()))
            else {
                continue;
            };
            let start = text.split_inclusive('\n').take(*line).map(str::len).sum::<usize>();
            let offset = start + *col;
            let mut moved = 0isize;
            for e in kept.iter().flat_map(|(p, _)| &p.edits).filter(|(f, _)| f == path).map(|(_, e)| e) {
                if e.start < offset || (e.start == offset && e.start == e.end) {
                    let old = text.get(e.start..e.end).unwrap_or("");
                    moved += e.text.matches('\n').count() as isize - old.matches('\n').count() as isize;
                }
            }
            *line = line.saturating_add_signed(moved);
        }
        texts = next;
        result = scan_with(&opts.scan, Arc::new(texts.clone()));
    }
    let mut left = Vec::new();
    for f in result.findings.iter().filter(|f| f.is_active()) {
        let has_fix = f.rule.checks.get(f.check).is_some_and(|c| c.fix.is_some());
        if !has_fix {
            continue;
        }
        let why =
            why_left.get(&key_of(f)).cloned().unwrap_or_else(|| "not repaired within the rounds tfcheck makes".into());
        left.push(Left { at: result.sources.short(f.span), rule: f.rule.id.clone(), address: f.address.clone(), why });
    }
    for (i, path, line, _) in &placed {
        changes[*i].at = format!("{}:{}", displays.get(path).map(String::as_str).unwrap_or(""), line + 1);
    }
    changes.sort_by(|a, b| {
        let key = |c: &Change| {
            let (f, l) = c.at.rsplit_once(':').unwrap_or((&c.at, "0"));
            (f.to_string(), l.parse::<usize>().unwrap_or(0))
        };
        key(a).cmp(&key(b)).then_with(|| a.address.cmp(&b.address))
    });
    order.sort_by(|a, b| displays.get(a).cmp(&displays.get(b)));
    let files = order
        .into_iter()
        .filter_map(|path| {
            let before = originals.get(&path)?.clone();
            let after = texts.get(&path)?.clone();
            (before != after).then(|| ChangedFile {
                display: displays.get(&path).cloned().unwrap_or_default(),
                path,
                before,
                after,
            })
        })
        .collect();
    let last: HashSet<Key> = result.findings.iter().filter(|f| f.is_active()).map(key_of).collect();
    let fixed = first.difference(&last).count();
    FixResult { files, changes, left, after: result, fixed }
}

/// Writes the repaired files (only files the scan read, at their canonical paths).
pub fn write(result: &FixResult) -> std::io::Result<()> {
    for f in &result.files {
        // The scan read a regular file here; anything else now is a race with someone else.
        let meta = std::fs::symlink_metadata(&f.path)?;
        if !meta.file_type().is_file() {
            return Err(std::io::Error::other(format!("{} is no longer a regular file", f.display)));
        }
        std::fs::write(&f.path, f.after.as_bytes())?;
    }
    Ok(())
}

fn count_errors(r: &ScanResult) -> usize {
    r.diagnostics.iter().filter(|d| d.level == Level::Error).count()
}

/// The texts after the proposals' edits (on top of `base`, else the files as scanned).
fn edited(
    base: &PathMap<Arc<str>>,
    sources: &SourceMap,
    by_path: &PathMap<crate::syntax::source::FileId>,
    proposals: &[Served],
) -> Option<PathMap<Arc<str>>> {
    let mut by_file: PathMap<Vec<Edit>> = PathMap::default();
    for (p, _) in proposals {
        for (path, e) in &p.edits {
            by_file.entry(path.clone()).or_default().push(e.clone());
        }
    }
    let mut out = base.clone();
    for (path, edits) in by_file {
        let text = base.get(&path).cloned().or_else(|| by_path.get(&path).map(|id| sources.get(*id).text.clone()))?;
        out.insert(path, Arc::from(apply(&text, &edits)?));
    }
    Some(out)
}

/// What a finding's repairs can see.
struct Cx<'a> {
    sources: &'a SourceMap,
    /// Keys added by earlier rounds, by module directory.
    keys: &'a PathMap<String>,
    /// The `.tf` files of each module directory.
    by_dir: &'a PathMap<Vec<crate::syntax::source::FileId>>,
    rule: &'a str,
    /// Where edits may go: the scan's workspace (canonical directories).
    roots: &'a [PathBuf],
    /// Files parsed this round (a file with many findings is parsed once).
    parsed: &'a std::cell::RefCell<
        std::collections::HashMap<crate::syntax::source::FileId, Arc<crate::syntax::hcl::ast::File>>,
    >,
}

impl Cx<'_> {
    fn parse(&self, id: crate::syntax::source::FileId) -> Arc<crate::syntax::hcl::ast::File> {
        if let Some(f) = self.parsed.borrow().get(&id) {
            return f.clone();
        }
        let f = Arc::new(crate::syntax::hcl::parser::parse_file(&self.sources.get(id).text, id));
        self.parsed.borrow_mut().insert(id, f.clone());
        f
    }

    /// The canonical path of a file an edit may change, or why not.
    fn editable(&self, path: &Path) -> Result<PathBuf, String> {
        let p = locate::editable(path)?;
        if !self.roots.iter().any(|r| p.starts_with(r)) {
            return Err("outside the scanned repository".into());
        }
        if p.components().any(|c| c.as_os_str() == ".git") {
            return Err("inside .git".into());
        }
        Ok(p)
    }
}

/// A finding's possible repairs, best first, and why there is none when there is none.
fn candidates(f: &Finding, fix: &Fix, cx: &Cx) -> (Vec<Proposal>, Option<String>) {
    let mut out = Vec::new();
    let mut why = None;
    // 1. Where the deciding value was written, when it is a literal there.
    if let Some(origin) = f.origin.as_deref().filter(|o| !o.label.is_empty()) {
        match origin.span {
            None => why = Some(format!("decided by {}, outside the scanned files: no edit", origin.label)),
            Some(span) => {
                let file = cx.sources.get(span.file);
                match cx.editable(&file.path) {
                    Err(e) => why = Some(format!("decided by {} in {}: {e}", origin.label, file.display)),
                    Ok(path) => {
                        let parsed = cx.parse(span.file);
                        if let Some(expr) = locate::expr_at(&parsed.body, span) {
                            let at = cx.sources.short(expr.span);
                            let old = &file.text[expr.span.start as usize..expr.span.end as usize];
                            let attr = f.rule.checks.get(f.check).map(|c| last_name(&c.at)).unwrap_or_default();
                            let name = input_name(&origin.label).unwrap_or("");
                            for v in fix.set.iter().filter(|v| v.literal.is_some()) {
                                let fits = literal_kind(&expr.kind)
                                    .is_some_and(|k| v.literal.as_ref().and_then(|l| literal_kind(&l.kind)) == Some(k));
                                let this = v.path.last().map(String::as_str).unwrap_or("");
                                // The value itself, passed through unchanged to the attribute
                                // at fault; or, when the origin decided a condition (a block
                                // left out), an input named for the attribute.
                                let related = match &f.fault {
                                    Some(fault) => {
                                        this == attr && locate::literal_text(&expr.kind).as_ref() == Some(fault)
                                    }
                                    None => !name.is_empty() && (this.contains(name) || name.contains(this)),
                                };
                                if fits && related && old != v.text {
                                    out.push(Proposal {
                                        edits: vec![(
                                            path.clone(),
                                            Edit::replace(expr.span.start as usize, expr.span.end as usize, &v.text),
                                        )],
                                        pos: (path.clone(), expr.span.start as usize),
                                        what: format!("{}: {old} -> {}", origin.label, v.text),
                                        new_key: None,
                                    });
                                }
                            }
                            if !is_literal(&expr.kind) {
                                why = Some(format!(
                                    "decided by {} at {at}, an expression tfcheck does not rewrite",
                                    origin.label
                                ));
                            }
                        }
                    }
                }
                // 2. A called module's variable, left at its default: the argument in the call,
                // a literal named for the attribute, or the caller's key.
                if let (Some(var), Some(step)) = (variable_name(&origin.label), f.module_path.last()) {
                    for v in &fix.set {
                        let this = v.path.last().map(String::as_str).unwrap_or("");
                        let fits = if v.uses_key() {
                            names_a_key(var, v)
                        } else {
                            origin.label.ends_with(", default") && (this.contains(var) || var.contains(this))
                        };
                        if fits {
                            match call_argument(step.call_span, var, v, cx) {
                                Ok(p) => out.push(p),
                                Err(e) => why = Some(e),
                            }
                        }
                    }
                }
            }
        }
    }
    // 2b. A key a called module reads from one of its variables, when no origin says which:
    // that variable's argument in the call.
    if let (Some(step), Some(v)) = (f.module_path.last(), fix.set.iter().find(|v| v.uses_key())) {
        if let Some(vars) = resource_block(f, cx)
            .and_then(|(text, block)| locate::attribute_source(&text, &block, &v.path).map(locate::variables_read))
        {
            let keyed: Vec<&String> = vars.iter().filter(|n| names_a_key(n, v)).collect();
            if let [var] = keyed.as_slice() {
                if let Ok(p) = call_argument(step.call_span, var, v, cx) {
                    if !out.iter().any(|q| q.edits == p.edits) {
                        out.push(p);
                    }
                }
            }
        }
    }
    // 3. At the resource itself.
    match at_resource(f, fix, cx) {
        Ok(p) => out.push(p),
        Err(e) => {
            if why.is_none() || out.is_empty() {
                why = Some(why.map_or(e.clone(), |w| format!("{w}; {e}")));
            }
        }
    }
    (out, why)
}

/// The attribute an `at` path ends with (`encryption_configuration[0].kms_key` -> `kms_key`).
fn last_name(at: &str) -> String {
    at.rsplit('.').next().unwrap_or("").split('[').next().unwrap_or("").to_string()
}

/// The variable or module argument an origin names.
fn input_name(label: &str) -> Option<&str> {
    variable_name(label).or_else(|| label.strip_prefix("argument \"")?.split('"').next())
}

/// The text of the file holding the finding's resource block, and the block.
fn resource_block(f: &Finding, cx: &Cx) -> Option<(Arc<str>, Block)> {
    let span = f.block_span?;
    let file = cx.sources.get(span.file);
    let parsed = cx.parse(span.file);
    let block = parsed.body.blocks.iter().find(|b| b.span.start == span.start)?.clone();
    Some((file.text.clone(), block))
}

/// `variable "name", default` (or `, set in ...`): the variable's name.
fn variable_name(label: &str) -> Option<&str> {
    label.strip_prefix("variable \"")?.split('"').next()
}

/// Whether a variable is the key's: its name says so, or it is the attribute's own name.
fn names_a_key(var: &str, v: &FixValue) -> bool {
    let attr = v.path.last().map(String::as_str).unwrap_or("");
    var == attr || var.contains("kms") || var.contains("key")
}

/// Sets `var = <key>` in the module call at `call_span` (in the caller's module).
fn call_argument(call_span: crate::syntax::source::Span, var: &str, v: &FixValue, cx: &Cx) -> Result<Proposal, String> {
    let file = cx.sources.get(call_span.file);
    if !locate::is_identifier(var) {
        return Err(format!("the variable {var:?} cannot be written as an argument"));
    }
    let path = cx.editable(&file.path).map_err(|e| format!("the module call is in {}: {e}", file.display))?;
    let parsed = cx.parse(call_span.file);
    let block = parsed
        .body
        .blocks
        .iter()
        .find(|b| b.header_span.start == call_span.start)
        .ok_or_else(|| "the module call was not found again".to_string())?;
    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let (reference, mut key_edits, new_key) =
        if v.uses_key() { key_reference(&dir, &path, &file.text, cx)? } else { (String::new(), Vec::new(), None) };
    let value = v.text.replace("key.arn", &reference);
    let call = block.labels.first().map(|l| l.as_str()).unwrap_or("").to_string();
    let mut edits = match block.body.attribute(var) {
        Some(a) if is_literal(&a.expr.kind) => {
            vec![Edit::replace(a.expr.span.start as usize, a.expr.span.end as usize, &value)]
        }
        Some(_) => {
            return Err(format!("argument \"{var}\" of module \"{call}\" is an expression tfcheck does not rewrite"));
        }
        None => vec![locate::add_to_body(&file.text, block, &[(var.to_string(), value.clone())], &[])],
    };
    edits.append(&mut key_edits);
    Ok(Proposal {
        edits: edits.into_iter().map(|e| (path.clone(), e)).collect(),
        pos: (path.clone(), block.header_span.start as usize),
        what: format!(
            "module \"{call}\": {var} = {value}{}",
            if new_key.is_some() { " (a new key, added to this module)" } else { "" }
        ),
        new_key,
    })
}

/// Sets the fix's values in the resource block.
fn at_resource(f: &Finding, fix: &Fix, cx: &Cx) -> Result<Proposal, String> {
    let span = f.block_span.ok_or_else(|| "the resource has no block to edit (a plan or state)".to_string())?;
    let file = cx.sources.get(span.file);
    let path = cx.editable(&file.path).map_err(|e| format!("the resource is in {}: {e}", file.display))?;
    let parsed = cx.parse(span.file);
    let block = parsed
        .body
        .blocks
        .iter()
        .find(|b| b.span.start == span.start)
        .ok_or_else(|| "the resource block was not found again".to_string())?;
    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let needs_key = fix.set.iter().any(|v| v.uses_key());
    let (reference, key_edits, new_key) =
        if needs_key { key_reference(&dir, &path, &file.text, cx)? } else { (String::new(), Vec::new(), None) };
    let values: Vec<(Vec<String>, String)> =
        fix.set.iter().map(|v| (v.path.clone(), v.text.replace("key.arn", &reference))).collect();
    let mut edits = Vec::new();
    let mut said = Vec::new();
    set_in_body(&file.text, block, &values, &mut edits, &mut said)?;
    if edits.is_empty() {
        return Err("the resource already holds the fix's values".into());
    }
    edits.extend(key_edits);
    let key_note = if new_key.is_some() { " (a new key, added to this module)" } else { "" };
    Ok(Proposal {
        edits: edits.into_iter().map(|e| (path.clone(), e)).collect(),
        pos: (path.clone(), block.header_span.start as usize),
        what: format!("{}: {}{key_note}", f.address, said.join(", ")),
        new_key,
    })
}

/// Edits that make `block` hold `values` (paths below it): values replaced where they are
/// literals, attributes and blocks added where they are missing.
fn set_in_body(
    text: &str,
    block: &Block,
    values: &[(Vec<String>, String)],
    edits: &mut Vec<Edit>,
    said: &mut Vec<String>,
) -> Result<(), String> {
    let body: &Body = &block.body;
    let mut nested: Vec<(String, locate::Values)> = Vec::new();
    let mut attrs = Vec::new();
    for (path, value) in values {
        match path.as_slice() {
            [name] => match body.attribute(name) {
                Some(a) if &text[a.expr.span.start as usize..a.expr.span.end as usize] == value => {}
                Some(a) if is_literal(&a.expr.kind) => {
                    edits.push(Edit::replace(a.expr.span.start as usize, a.expr.span.end as usize, value));
                    said.push(format!("{name} = {value}"));
                }
                Some(_) => return Err(format!("{name} is an expression tfcheck does not rewrite")),
                None => {
                    attrs.push((name.clone(), value.clone()));
                    said.push(format!("{name} = {value}"));
                }
            },
            [first, rest @ ..] => match nested.iter_mut().find(|(n, _)| n == first) {
                Some((_, v)) => v.push((rest.to_vec(), value.clone())),
                None => nested.push((first.clone(), vec![(rest.to_vec(), value.clone())])),
            },
            [] => {}
        }
    }
    let mut new_blocks = Vec::new();
    for (ty, vals) in nested {
        if body.blocks_of("dynamic").any(|d| d.labels.first().is_some_and(|l| *l == ty)) {
            return Err(format!(
                "{ty} is a dynamic block: its values come from its for_each, which tfcheck does not rewrite"
            ));
        }
        let found: Vec<&Block> = body.blocks_of(&ty).collect();
        match (found.first(), found.get(1)) {
            (Some(&b), None) => set_in_body(text, b, &vals, edits, said)?,
            (Some(_), Some(_)) => return Err(format!("the resource has more than one {ty} block")),
            (None, _) => {
                said.push(format!(
                    "{ty} {{ {} }}",
                    vals.iter().map(|(p, v)| format!("{} = {v}", p.join("."))).collect::<Vec<_>>().join(", ")
                ));
                new_blocks.push((ty, vals));
            }
        }
    }
    if !attrs.is_empty() || !new_blocks.is_empty() {
        edits.push(locate::add_to_body(text, block, &attrs, &new_blocks));
    }
    Ok(())
}

/// A key reference, the edits that add the key (when it is new), and the module it is new in.
type KeyChoice = (String, Vec<Edit>, Option<(PathBuf, String)>);

/// The module's customer-managed key as a reference (`aws_kms_key.x.arn`), with the edits
/// that add one when the module has none to use.
fn key_reference(dir: &Path, file: &Path, file_text: &str, cx: &Cx) -> Result<KeyChoice, String> {
    if let Some(r) = cx.keys.get(dir) {
        return Ok((r.clone(), Vec::new(), None));
    }
    let files = cx.by_dir.get(dir).map(Vec::as_slice).unwrap_or(&[]);
    let (keys, aliases, names) = locate::module_keys(files, &|id| cx.parse(id));
    match (keys.as_slice(), aliases.as_slice()) {
        ([k], _) => return Ok((format!("aws_kms_key.{k}.arn"), Vec::new(), None)),
        ([], [a]) => return Ok((format!("aws_kms_alias.{a}.target_key_arn"), Vec::new(), None)),
        _ => {}
    }
    let base: String =
        cx.rule.split('_').next().unwrap_or("cmk").chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let base = if base.is_empty() || !is_identifier(&base) { "cmk".to_string() } else { base };
    let name = (1..)
        .map(|i| if i == 1 { base.clone() } else { format!("{base}_{i}") })
        .find(|n| !names.contains(n))
        .unwrap_or(base.clone());
    let service = base.to_uppercase();
    let lead = if file_text.is_empty() || file_text.ends_with("\n\n") {
        ""
    } else if file_text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let text = format!(
        "{lead}resource \"aws_kms_key\" \"{name}\" {{\n  description         = \"Customer-managed key for {service} (added by tfcheck fix)\"\n  enable_key_rotation = true\n}}\n\nresource \"aws_kms_alias\" \"{name}\" {{\n  name_prefix   = \"alias/{name}-\"\n  target_key_id = aws_kms_key.{name}.key_id\n}}\n"
    );
    let reference = format!("aws_kms_key.{name}.arn");
    let _ = file;
    Ok((reference.clone(), vec![Edit::insert(file_text.len(), text)], Some((dir.to_path_buf(), reference))))
}
