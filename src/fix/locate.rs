//! Finding what a repair edits in a file's text, and writing the text it adds: attributes
//! and blocks indented as `terraform fmt` indents them, keys found or named.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::syntax::hcl::ast::{Block, Body, Expr, ExprKind};
use crate::syntax::source::{FileId, SourceMap, Span};
use crate::terraform::config::PathMap;

/// The canonical path of a file a repair may edit, or why it may not.
pub fn editable(path: &Path) -> Result<PathBuf, String> {
    let canonical = std::fs::canonicalize(path).map_err(|e| format!("cannot be read again ({e})"))?;
    if canonical.components().any(|c| c.as_os_str() == ".terraform") {
        return Err("installed by terraform init, where an edit would not last".into());
    }
    if canonical.extension().is_some_and(|e| e == "json") {
        return Err("a JSON file, which tfcheck does not edit".into());
    }
    Ok(canonical)
}

/// The files of each module directory (canonical paths), for finding keys.
pub fn files_by_dir(sources: &SourceMap) -> (PathMap<FileId>, PathMap<Vec<FileId>>) {
    let mut by_path = PathMap::default();
    let mut by_dir: PathMap<Vec<FileId>> = PathMap::default();
    for i in 0..sources.len() {
        let id = FileId(i as u32);
        let f = sources.get(id);
        let Ok(c) = std::fs::canonicalize(&f.path) else { continue };
        if let Some(dir) = c.parent() {
            if c.extension().is_some_and(|e| e == "tf") {
                by_dir.entry(dir.to_path_buf()).or_default().push(id);
            }
        }
        by_path.entry(c).or_insert(id);
    }
    (by_path, by_dir)
}

/// The expression written at `span`: an attribute's value (the span of the attribute or of
/// the value), or an element of a list or object literal.
pub fn expr_at(body: &Body, span: Span) -> Option<&Expr> {
    for a in &body.attributes {
        if a.span.start == span.start && a.span.end == span.end {
            return Some(&a.expr);
        }
        if let Some(e) = in_expr(&a.expr, span) {
            return Some(e);
        }
    }
    body.blocks.iter().find_map(|b| expr_at(&b.body, span))
}

fn in_expr(e: &Expr, span: Span) -> Option<&Expr> {
    if e.span.start > span.start || e.span.end < span.end {
        return None;
    }
    if e.span.start == span.start && e.span.end == span.end {
        return Some(e);
    }
    match &e.kind {
        ExprKind::Tuple(items) => items.iter().find_map(|i| in_expr(i, span)),
        ExprKind::Object(items) => items.iter().find_map(|i| in_expr(&i.value, span)),
        ExprKind::Parens(inner) => in_expr(inner, span),
        _ => None,
    }
}

/// A value written as a literal: what a repair may replace.
pub fn is_literal(k: &ExprKind) -> bool {
    matches!(k, ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Str(_))
        || matches!(k, ExprKind::Template(parts) if parts.is_empty())
}

/// A literal as HCL writes it, normalised (`"KMS"`, `false`, `30`), to compare with a value.
pub fn literal_text(k: &ExprKind) -> Option<String> {
    match k {
        ExprKind::Str(s) => serde_json::to_string(&**s).ok(),
        ExprKind::Template(parts) if parts.is_empty() => Some("\"\"".into()),
        ExprKind::Bool(b) => Some(b.to_string()),
        ExprKind::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        ExprKind::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// 0 string, 1 bool, 2 number: a literal is replaced only by one of its kind.
pub fn literal_kind(k: &ExprKind) -> Option<u8> {
    match k {
        ExprKind::Str(_) => Some(0),
        ExprKind::Template(parts) if parts.is_empty() => Some(0),
        ExprKind::Bool(_) => Some(1),
        ExprKind::Number(_) => Some(2),
        _ => None,
    }
}

/// A name that can be written in a reference (`aws_kms_key.<name>.arn`) as it is.
pub fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '-')
}

/// The module's usable customer keys: `aws_kms_key` names (symmetric, one instance),
/// `aws_kms_alias` names (one instance), and every key and alias name (taken).
pub fn module_keys(
    files: &[FileId],
    parse: &dyn Fn(FileId) -> std::sync::Arc<crate::syntax::hcl::ast::File>,
) -> (Vec<String>, Vec<String>, HashSet<String>) {
    let (mut keys, mut aliases, mut names) = (Vec::new(), Vec::new(), HashSet::new());
    for &id in files {
        let parsed = parse(id);
        for b in parsed.body.blocks_of("resource") {
            let [ty, name] = b.labels.as_slice() else { continue };
            if ty != "aws_kms_key" && ty != "aws_kms_alias" {
                continue;
            }
            names.insert(name.to_string());
            let body: &Body = &b.body;
            let single = body.attribute("count").is_none() && body.attribute("for_each").is_none();
            if !single || !is_identifier(name) {
                continue;
            }
            if ty == "aws_kms_alias" {
                aliases.push(name.to_string());
                continue;
            }
            let is = |attr: &str, ok: &[&str]| {
                body.attribute(attr).is_none_or(|a| a.expr.as_literal_str().is_some_and(|s| ok.contains(&s)))
            };
            if is("key_usage", &["ENCRYPT_DECRYPT"])
                && is("customer_master_key_spec", &["SYMMETRIC_DEFAULT"])
                && is("key_spec", &["SYMMETRIC_DEFAULT"])
            {
                keys.push(name.to_string());
            }
        }
    }
    (keys, aliases, names)
}

/// The source of the attribute at `path` below a resource block (through nested blocks and
/// the `content` of `dynamic` ones).
pub fn attribute_source<'t>(text: &'t str, block: &Block, path: &[String]) -> Option<&'t str> {
    let (name, blocks) = path.split_last()?;
    let mut body: std::sync::Arc<Body> = (*block.body).clone();
    for ty in blocks {
        let next = match body.blocks_of(ty).next() {
            Some(b) => (*b.body).clone(),
            None => {
                let d = body.blocks_of("dynamic").find(|d| d.labels.first().is_some_and(|l| l == ty.as_str()))?;
                (*d.body.blocks_of("content").next()?.body).clone()
            }
        };
        body = next;
    }
    let span = body.attribute(name)?.expr.span;
    text.get(span.start as usize..span.end as usize)
}

/// The input variables an expression's source reads (`var.name`), in order, once each.
pub fn variables_read(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let b = source.as_bytes();
    let mut i = 0;
    while let Some(n) = source[i..].find("var.") {
        let at = i + n;
        let boundary = at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_' || b[at - 1] == b'.');
        let name: String =
            source[at + 4..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        if boundary && is_identifier(&name) && !out.contains(&name) {
            out.push(name);
        }
        i = at + 4;
    }
    out
}

/// The `{` and `}` of a block's body.
fn braces(text: &str, block: &Block) -> (usize, usize) {
    let b = text.as_bytes();
    let mut open = (block.header_span.end as usize).saturating_sub(1);
    if b.get(open) != Some(&b'{') {
        open = text[block.header_span.end as usize..].find('{').map_or(open, |n| block.header_span.end as usize + n);
    }
    let close = (block.span.end as usize).saturating_sub(1);
    (open, close)
}

/// The whitespace a line starts with, up to `at`.
fn indent_of(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    text[start..at].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// Where the line holding `at` ends (after its newline).
fn next_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |n| at + n + 1)
}

/// Values below a block, by path (`["kms_key"]`, `["rule", "days"]`), with their source.
pub type Values = Vec<(Vec<String>, String)>;
/// Blocks to add: their type and what they hold.
pub type NewBlocks = [(String, Values)];

/// Writes attributes and blocks, one per line, at `indent`.
pub fn render(attrs: &[(String, String)], blocks: &NewBlocks, indent: &str) -> String {
    let mut out = String::new();
    for (name, value) in attrs {
        out.push_str(&format!("{indent}{name} = {value}\n"));
    }
    for (i, (ty, vals)) in blocks.iter().enumerate() {
        if i > 0 || !attrs.is_empty() {
            out.push('\n');
        }
        let mut inner_attrs: Vec<(String, String)> = Vec::new();
        let mut inner_blocks: Vec<(String, Values)> = Vec::new();
        for (path, value) in vals {
            match path.as_slice() {
                [name] => inner_attrs.push((name.clone(), value.clone())),
                [first, rest @ ..] => match inner_blocks.iter_mut().find(|(t, _)| t == first) {
                    Some((_, v)) => v.push((rest.to_vec(), value.clone())),
                    None => inner_blocks.push((first.clone(), vec![(rest.to_vec(), value.clone())])),
                },
                [] => {}
            }
        }
        out.push_str(&format!("{indent}{ty} {{\n"));
        out.push_str(&render(&inner_attrs, &inner_blocks, &format!("{indent}  ")));
        out.push_str(&format!("{indent}}}\n"));
    }
    out
}

/// One edit that adds attributes and blocks to a block's body: attributes after its last
/// attribute, blocks before its closing brace (both there when there are both); a body
/// written on one line is opened onto several.
pub fn add_to_body(text: &str, block: &Block, attrs: &[(String, String)], blocks: &NewBlocks) -> super::Edit {
    let (open, close) = braces(text, block);
    let indent = indent_of(text, block.span.start as usize);
    let inner_indent = format!("{indent}  ");
    let body: &Body = &block.body;
    let one_line = !text[open..close].contains('\n');
    if one_line {
        let inner = text[open + 1..close].trim();
        let mut out = String::from("{\n");
        if !inner.is_empty() {
            out.push_str(&format!("{inner_indent}{inner}\n"));
            if !blocks.is_empty() && attrs.is_empty() {
                out.push('\n');
            }
        }
        out.push_str(&render(attrs, blocks, &inner_indent));
        out.push_str(&format!("{indent}}}"));
        return super::Edit::replace(open, close + 1, out);
    }
    let close_line = text[..close].rfind('\n').map_or(0, |n| n + 1);
    let brace_alone = text[close_line..close].trim().is_empty();
    if blocks.is_empty() {
        let after = body.attributes.iter().map(|a| a.span.end as usize).max();
        let at = match after {
            Some(end) => next_line(text, end),
            None => next_line(text, open),
        };
        let mut s = render(attrs, &[], &inner_indent);
        if after.is_none() && !body.blocks.is_empty() {
            s.push('\n');
        }
        return super::Edit::insert(at, s);
    }
    let empty = body.attributes.is_empty() && body.blocks.is_empty();
    let mut s = String::new();
    if !brace_alone {
        s.push('\n');
    }
    if !empty {
        s.push('\n');
    }
    s.push_str(&render(attrs, blocks, &inner_indent));
    if brace_alone {
        super::Edit::insert(close_line, s)
    } else {
        s.push_str(&indent);
        super::Edit::insert(close, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_read_are_whole_names_once_each() {
        let src = r#"var.encryption_type == "KMS" && can(coalesce(var.kms_key_id)) ? var.kms_key_id : local.var.x"#;
        assert_eq!(variables_read(src), ["encryption_type", "kms_key_id"]);
        assert!(variables_read("myvar.x").is_empty());
    }

    #[test]
    fn attributes_are_found_through_nested_and_dynamic_blocks() {
        let text = "resource \"a\" \"b\" {\n  x { y = 1 }\n  dynamic \"e\" {\n    for_each = []\n    content {\n      k = var.key\n    }\n  }\n}\n";
        let f = crate::syntax::hcl::parser::parse_file(text, FileId(0));
        let b = &f.body.blocks[0];
        assert_eq!(attribute_source(text, b, &["x".into(), "y".into()]), Some("1"));
        assert_eq!(attribute_source(text, b, &["e".into(), "k".into()]), Some("var.key"));
        assert_eq!(attribute_source(text, b, &["e".into(), "missing".into()]), None);
    }

    #[test]
    fn added_blocks_open_a_one_line_body() {
        let text = "resource \"a\" \"b\" { name = \"x\" }\n";
        let f = crate::syntax::hcl::parser::parse_file(text, FileId(0));
        let e = add_to_body(text, &f.body.blocks[0], &[], &[("c".into(), vec![(vec!["d".into()], "true".into())])]);
        let out = super::super::apply(text, &[e]).unwrap();
        assert_eq!(out, "resource \"a\" \"b\" {\n  name = \"x\"\n\n  c {\n    d = true\n  }\n}\n");
    }
}
