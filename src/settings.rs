//! The configuration file, `.tfcheck.hcl`: what a team decides once for every run (rules on
//! and off, severities, `fail_on`, exclusions, variables, rule directories, reviewed ignores).
//! One file per scan: `--config`, else the nearest one from the working directory up to the
//! repository root (never one inside a scanned path, so `tfcheck a b` reads the same file as
//! `tfcheck b a`). Command-line flags win over it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::finding::parse_date;
use crate::rules::{Rule, Severity};
use crate::syntax::hcl::ast::{Attribute, Block, ExprKind, ObjectKey};
use crate::syntax::source::{SourceMap, Span};
use crate::workspace::Workspace;

pub const FILE_NAME: &str = ".tfcheck.hcl";

/// Largest configuration file read.
pub const MAX_SIZE: u64 = 1 << 20;

#[derive(Debug, Default)]
pub struct Settings {
    pub path: Option<PathBuf>,
    /// Named with `--config` by the user: the files it names are read wherever they are.
    /// A discovered file is part of the scanned repository, and so is what it names.
    pub trusted: bool,
    pub fail_on: Option<Severity>,
    pub exclude: Vec<String>,
    /// Relative to the configuration file.
    pub rule_dirs: Vec<PathBuf>,
    pub var_files: Vec<PathBuf>,
    pub vars: Vec<(String, String)>,
    pub workspace: Option<String>,
    pub enable: Vec<(String, Span)>,
    pub disable: Vec<(String, Span)>,
    pub severity: Vec<(String, Severity, Span)>,
    pub ignores: Vec<IgnoreEntry>,
}

/// A reviewed exception: a rule (or `*`) on addresses matching a pattern.
#[derive(Debug, Clone)]
pub struct IgnoreEntry {
    pub rule: String,
    /// `*` and `?` wildcards over the Terraform address.
    pub address: String,
    pub reason: String,
    pub expires: Option<Date>,
    pub span: Span,
}

const TOP_ATTRS: &[&str] = &["fail_on", "exclude", "rule_dirs", "var_files", "vars", "workspace"];
const TOP_BLOCKS: &[&str] = &["rules", "ignore"];
const RULES_ATTRS: &[&str] = &["enable", "disable", "severity"];
const IGNORE_ATTRS: &[&str] = &["rule", "address", "reason", "expires"];

/// The configuration file of a scan started in `cwd`: the nearest `.tfcheck.hcl` in it or
/// above, up to the repository root (the first directory that holds `.git`).
pub fn discover(cwd: &Path) -> Option<PathBuf> {
    let mut dir = std::fs::canonicalize(cwd).ok()?;
    loop {
        let candidate = dir.join(FILE_NAME);
        if std::fs::symlink_metadata(&candidate).is_ok() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
    }
}

/// Reads a configuration file; mistakes are located errors. A discovered file is read
/// through the workspace (`Some`): a symlink out of the repository is refused.
pub fn load(path: &Path, sources: &SourceMap, workspace: Option<&Workspace>) -> (Settings, Vec<Diagnostic>) {
    let shown = crate::syntax::source::display_path(path);
    let mut errors = Vec::new();
    let read = match workspace {
        Some(ws) => ws.read(path, MAX_SIZE),
        None => crate::workspace::read_trusted(path, MAX_SIZE),
    };
    let text = match read.map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            errors.push(Diagnostic::for_path(
                Code::Settings,
                crate::diag::Level::Error,
                format!("{shown}: not valid UTF-8"),
                shown,
            ));
            return (Settings::default(), errors);
        }
        Err(e) => {
            errors.push(Diagnostic::for_path(
                Code::Settings,
                crate::diag::Level::Error,
                format!("cannot read {shown}: {e}"),
                shown,
            ));
            return (Settings::default(), errors);
        }
    };
    let id = sources.add(path.to_path_buf(), text.as_str().into());
    let file = crate::syntax::hcl::parser::parse_file(&text, id);
    errors.extend(file.errors.iter().map(|e| Diagnostic::error(Code::Settings, e.message.clone(), e.span)));
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut cx = Cx {
        errors,
        text: text.clone(),
        s: Settings { path: Some(path.to_path_buf()), trusted: workspace.is_none(), ..Settings::default() },
    };
    for a in &file.body.attributes {
        match a.name.as_str() {
            "fail_on" => cx.s.fail_on = cx.severity(a),
            "exclude" => cx.s.exclude = cx.strings(a),
            "rule_dirs" => cx.s.rule_dirs = cx.strings(a).into_iter().map(|d| base.join(d)).collect(),
            "var_files" => cx.s.var_files = cx.strings(a).into_iter().map(|d| base.join(d)).collect(),
            "vars" => cx.s.vars = cx.vars(a),
            "workspace" => cx.s.workspace = cx.string(a),
            other => cx.err(
                format!(
                    "unknown setting `{other}`; expected one of: {}, or a `rules` or `ignore` block",
                    TOP_ATTRS.join(", ")
                ),
                a.name_span,
            ),
        }
    }
    for b in &file.body.blocks {
        match b.ty.as_str() {
            "rules" => cx.rules_block(b),
            "ignore" => cx.ignore_block(b),
            other => cx.err(format!("unknown block `{other}`; expected {}", TOP_BLOCKS.join(" or ")), b.header_span),
        }
    }
    (cx.s, cx.errors)
}

struct Cx {
    errors: Vec<Diagnostic>,
    /// The file's text (values that are not strings are passed as their expression text).
    text: String,
    s: Settings,
}

impl Cx {
    fn err(&mut self, msg: impl Into<String>, span: Span) {
        self.errors.push(Diagnostic::error(Code::Settings, msg.into(), span));
    }

    fn string(&mut self, a: &Attribute) -> Option<String> {
        match a.expr.as_literal_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(format!("`{}` must be a string", a.name), a.expr.span);
                None
            }
        }
    }

    fn strings_with_spans(&mut self, a: &Attribute) -> Vec<(String, Span)> {
        match &a.expr.kind {
            ExprKind::Tuple(items) => items
                .iter()
                .filter_map(|i| match i.as_literal_str() {
                    Some(s) => Some((s.to_string(), i.span)),
                    None => {
                        self.err(format!("`{}` must list strings", a.name), i.span);
                        None
                    }
                })
                .collect(),
            _ => {
                self.err(format!("`{}` must be a list of strings, like [\"a\", \"b\"]", a.name), a.expr.span);
                Vec::new()
            }
        }
    }

    fn strings(&mut self, a: &Attribute) -> Vec<String> {
        self.strings_with_spans(a).into_iter().map(|(s, _)| s).collect()
    }

    fn severity(&mut self, a: &Attribute) -> Option<Severity> {
        let s = self.string(a)?;
        let sev = Severity::parse(&s);
        if sev.is_none() {
            self.err(
                format!("unknown severity {s:?}; expected \"critical\", \"high\", \"medium\" or \"low\""),
                a.expr.span,
            );
        }
        sev
    }

    /// `vars = { name = "value", list = ["a"] }`: each value as `--var` would take it.
    fn vars(&mut self, a: &Attribute) -> Vec<(String, String)> {
        let ExprKind::Object(items) = &a.expr.kind else {
            self.err("`vars` must be an object, like { region = \"eu-west-1\" }", a.expr.span);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let name = match &item.key {
                ObjectKey::Ident(k, _) => k.clone(),
                ObjectKey::Expr(k) => match k.as_literal_str() {
                    Some(s) => s.to_string(),
                    None => {
                        self.err("a variable name must be a name or a string", k.span);
                        continue;
                    }
                }
                .into(),
            };
            // Strings are passed raw; anything else as its Terraform expression text.
            let text = match item.value.as_literal_str() {
                Some(s) => s.to_string(),
                None => match self.text.get(item.value.span.start as usize..item.value.span.end as usize) {
                    Some(src) => src.to_string(),
                    None => continue,
                },
            };
            out.push((name.to_string(), text));
        }
        out
    }

    fn rules_block(&mut self, b: &Block) {
        for a in &b.body.attributes {
            match a.name.as_str() {
                "enable" => {
                    let v = self.strings_with_spans(a);
                    self.s.enable.extend(v);
                }
                "disable" => {
                    let v = self.strings_with_spans(a);
                    self.s.disable.extend(v);
                }
                "severity" => {
                    let ExprKind::Object(items) = &a.expr.kind else {
                        self.err(
                            "`severity` maps rules to severities, like { ecr_mutable_tags = \"high\" }",
                            a.expr.span,
                        );
                        continue;
                    };
                    for item in items {
                        let rule = match &item.key {
                            ObjectKey::Ident(k, _) => k.clone(),
                            ObjectKey::Expr(k) => k.as_literal_str().unwrap_or_default().to_string().into(),
                        };
                        match item.value.as_literal_str().and_then(Severity::parse) {
                            Some(sev) => self.s.severity.push((rule.to_string(), sev, item.value.span)),
                            None => self.err("expected \"critical\", \"high\", \"medium\" or \"low\"", item.value.span),
                        }
                    }
                }
                other => self.err(
                    format!("unknown setting `{other}` in `rules`; expected one of: {}", RULES_ATTRS.join(", ")),
                    a.name_span,
                ),
            }
        }
        for inner in &b.body.blocks {
            self.err("`rules` holds settings, not blocks", inner.header_span);
        }
    }

    fn ignore_block(&mut self, b: &Block) {
        let get = |name: &str| b.body.attribute(name);
        for a in &b.body.attributes {
            if !IGNORE_ATTRS.contains(&a.name.as_str()) {
                self.err(
                    format!("unknown setting `{}` in `ignore`; expected one of: {}", a.name, IGNORE_ATTRS.join(", ")),
                    a.name_span,
                );
            }
        }
        let rule = get("rule");
        let address = get("address");
        let reason = get("reason");
        let expires = get("expires");
        let (Some(rule), Some(reason)) = (rule, reason) else {
            self.err(
                "an `ignore` needs `rule` (an id, an alias or \"*\") and `reason` (why it is accepted)",
                b.header_span,
            );
            return;
        };
        let (Some(rule), Some(reason)) = (self.string(rule), self.string(reason)) else { return };
        let address = match address {
            Some(a) => self.string(a).unwrap_or_default(),
            None => "*".to_string(),
        };
        let expires = match expires {
            Some(a) => match self.string(a).as_deref().map(parse_date) {
                Some(Some(d)) => Some(d),
                Some(None) => {
                    self.err("`expires` must be a date like \"2027-03-31\"", a.expr.span);
                    return;
                }
                None => return,
            },
            None => None,
        };
        self.s.ignores.push(IgnoreEntry { rule, address, reason, expires, span: b.header_span });
    }
}

impl Settings {
    /// Rule names in the configuration file must name loaded rules: located errors otherwise.
    pub fn check_rule_names(&self, rules: &[Arc<Rule>], diags: &Diagnostics) {
        let names = self
            .enable
            .iter()
            .chain(&self.disable)
            .map(|(n, sp)| (n, *sp))
            .chain(self.severity.iter().map(|(n, _, sp)| (n, *sp)));
        for (name, span) in names {
            if !rules.iter().any(|r| r.selected_by(name)) {
                diags.push(Diagnostic::error(
                    Code::Settings,
                    format!("no rule or family named {name:?} (`tfcheck rules` lists them)"),
                    span,
                ));
            }
        }
    }

    /// Severity overrides from the configuration file.
    pub fn apply_severities(&self, rules: Vec<Arc<Rule>>) -> Vec<Arc<Rule>> {
        rules
            .into_iter()
            // A rule's own entry wins over its family's.
            .map(|r| {
                match self
                    .severity
                    .iter()
                    .find(|(n, _, _)| r.is_named(n))
                    .or_else(|| self.severity.iter().find(|(n, _, _)| r.family == *n))
                {
                    Some((_, sev, _)) if *sev != r.severity => {
                        let mut changed = (*r).clone();
                        changed.severity = *sev;
                        Arc::new(changed)
                    }
                    _ => r,
                }
            })
            .collect()
    }

    /// Rule names that came from this file (`enable`, `disable`).
    pub fn names_rule(&self, name: &str) -> bool {
        self.enable.iter().chain(&self.disable).any(|(x, _)| x == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Settings, Vec<String>) {
        let dir = std::env::temp_dir().join(format!("tfcheck-settings-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        let sources = SourceMap::new();
        let (s, errors) = load(&path, &sources, None);
        let _ = std::fs::remove_dir_all(&dir);
        (
            s,
            errors
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e.span.map(|s| sources.get(s.file).line_col(s.start).line).unwrap_or(0),
                        e.message
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn every_key() {
        let (s, errors) = load_text(
            r#"fail_on   = "high"
exclude   = ["examples/**"]
rule_dirs = ["policy"]
var_files = ["prod.tfvars"]
vars      = { region = "eu-west-1", zones = ["a", "b"] }
workspace = "prod"
rules {
  enable   = ["ecr_nocmk"]
  disable  = ["ecr_force_delete"]
  severity = { ecr_mutable_tags = "high" }
}
ignore {
  rule    = "ecr_nocmk"
  address = "module.legacy.*"
  reason  = "migrating in Q3"
  expires = "2027-03-31"
}
"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(s.fail_on, Some(Severity::High));
        assert_eq!(s.exclude, vec!["examples/**"]);
        assert!(s.rule_dirs[0].ends_with("policy") && s.var_files[0].ends_with("prod.tfvars"));
        assert_eq!(
            s.vars,
            vec![("region".to_string(), "eu-west-1".to_string()), ("zones".to_string(), "[\"a\", \"b\"]".to_string())]
        );
        assert_eq!(s.workspace.as_deref(), Some("prod"));
        assert_eq!(s.enable[0].0, "ecr_nocmk");
        assert_eq!(s.disable[0].0, "ecr_force_delete");
        assert_eq!((s.severity[0].0.as_str(), s.severity[0].1), ("ecr_mutable_tags", Severity::High));
        assert_eq!(s.ignores[0].expires.map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
    }

    #[test]
    fn mistakes_are_located() {
        let (_, errors) = load_text(
            "fail_on = \"severe\"\ncolour = true\nrules {\n  enabled = [\"x\"]\n}\nignore {\n  rule = \"x\"\n}\nignore {\n  rule = \"x\"\n  reason = \"r\"\n  expires = \"soon\"\n}\nexclude = \"x\"\n",
        );
        assert_eq!(
            errors,
            vec![
                "1: unknown severity \"severe\"; expected \"critical\", \"high\", \"medium\" or \"low\"",
                "2: unknown setting `colour`; expected one of: fail_on, exclude, rule_dirs, var_files, vars, workspace, or a `rules` or `ignore` block",
                "14: `exclude` must be a list of strings, like [\"a\", \"b\"]",
                "4: unknown setting `enabled` in `rules`; expected one of: enable, disable, severity",
                "6: an `ignore` needs `rule` (an id, an alias or \"*\") and `reason` (why it is accepted)",
                "12: `expires` must be a date like \"2027-03-31\"",
            ]
        );
    }
}
