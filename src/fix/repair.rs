//! A finding's possible repairs, best first: where its value was decided (a literal there, an
//! argument in the module call), else at the resource; with the module's customer-managed
//! key found or added when a fix names it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Edit, Proposal, locate};
use crate::finding::Finding;
use crate::rules::model::{Fix, FixValue};
use crate::syntax::hcl::ast::{Block, Body};
use crate::syntax::source::SourceMap;
use crate::terraform::config::PathMap;
use locate::{is_identifier, is_literal, literal_kind};

/// What a finding's repairs can see.
pub(super) struct Cx<'a> {
    pub(super) sources: &'a SourceMap,
    /// Keys added by earlier rounds, by module directory.
    pub(super) keys: &'a PathMap<String>,
    /// The `.tf` files of each module directory.
    pub(super) by_dir: &'a PathMap<Vec<crate::syntax::source::FileId>>,
    pub(super) rule: &'a str,
    /// Where edits may go: the scan's workspace (canonical directories).
    pub(super) roots: &'a [PathBuf],
    /// Files parsed this round (a file with many findings is parsed once).
    pub(super) parsed: &'a std::cell::RefCell<
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
pub(super) fn candidates(f: &Finding, fix: &Fix, cx: &Cx) -> (Vec<Proposal>, Option<String>) {
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
