//! `tfcheck fix`: repairs findings in the files, where the finding says the value was
//! decided (a variable default, a tfvars value, a module argument) or else at the resource,
//! and keeps a repair only when a scan of the edited files shows it worked.

mod deployed;
mod edit;
mod locate;
pub mod migrate;
mod repair;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Level;
use crate::finding::Finding;
use crate::rules::model::Applicability;
use crate::scan::{ScanOptions, ScanResult, scan_with};
use crate::syntax::source::SourceMap;
use crate::terraform::config::PathMap;
pub use edit::{Edit, align, apply};
use repair::{Cx, candidates};

/// Rounds of repairs: a repair can expose the next check of the same rule (a block added,
/// then its key), and each round scans once.
const MAX_ROUNDS: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct FixOptions {
    pub scan: ScanOptions,
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// A plan or state (`--plan`): what it creates gets its fix as safe; what exists, when
    /// the fix would replace it, gets a migration instead of an edit.
    pub plan: Option<PathBuf>,
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
    /// Repositories that exist (per `--plan`) and need a migration, not an edit.
    pub migrations: Vec<migrate::Migration>,
    /// Why `--plan` could not be read, when it could not.
    pub plan_error: Option<String>,
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
    /// Why it is safe or what it can break (from the rule file).
    pub note: String,
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
    let (deployed, plan_error) = match &opts.plan {
        Some(p) => match deployed::read(p, opts.scan.load.max_file_size.max(1 << 20)) {
            Ok(d) => (Some(d), None),
            Err(e) => (None, Some(e)),
        },
        None => (None, None),
    };
    let mut migrations: Vec<migrate::Migration> = Vec::new();
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
            let created = deployed.as_ref().is_some_and(|d| d.created.contains(&f.address));
            if let Some(name) = deployed.as_ref().and_then(|d| d.existing.get(&f.address)).filter(|_| fix.replaces) {
                let why = match name.as_deref().filter(|n| migrate::valid_repository_name(n)) {
                    Some(n) if f.rule.resource_types.iter().any(|t| t == "aws_ecr_repository") => {
                        if !migrations.iter().any(|m| m.repository == n) {
                            let to = format!("{n}-cmk");
                            migrations.push(migrate::Migration {
                                repository: n.to_string(),
                                new_repository: to.clone(),
                                address: Some(f.address.clone()),
                                ..Default::default()
                            });
                        }
                        format!(
                            "it exists and the fix would replace it: migrate it instead (migrate-{}.md)",
                            n.replace('/', "-")
                        )
                    }
                    _ => "it exists and the fix would replace it: no edit".to_string(),
                };
                why_left.insert(key_of(f), why);
                continue;
            }
            if fix.applicability == Applicability::Unsafe && !opts.unsafe_fixes && !created {
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
                let fix = result
                    .findings
                    .iter()
                    .find(|f| &key_of(f) == k)
                    .and_then(|f| f.rule.checks.get(f.check).and_then(|c| c.fix.as_ref()));
                let (applicability, note) =
                    fix.map_or((Applicability::Safe, String::new()), |f| (f.applicability, f.note.clone()));
                let (applicability, note) = if deployed.as_ref().is_some_and(|d| d.created.contains(&k.1)) {
                    (Applicability::Safe, "The plan creates it: nothing exists to replace or break.".to_string())
                } else {
                    (applicability, note)
                };
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
                    note,
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
    // The runbook of each migration: the new repository's block and its consumers.
    for m in &mut migrations {
        let overlay = Arc::new(texts.clone());
        if let Ok((full, _)) = migrate::migration_with(&opts.scan, &m.repository, &m.new_repository, overlay) {
            let address = m.address.take();
            *m = full;
            m.address = m.address.take().or(address);
        }
    }
    FixResult { files, changes, left, after: result, fixed, migrations, plan_error }
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
