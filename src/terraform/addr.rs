//! Terraform addresses: instance keys, module paths (`module.a["x"].module.b[0]`) and the
//! names in a reference, written and read in one place.

use crate::syntax::source::Span;

/// An instance key: `[0]` or `["api"]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => write!(f, "[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// One step of a module path: `module.team["api"]`.
#[derive(Clone, Debug)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<Key>,
    /// The `module "team" {` header that made this instance.
    pub call_span: Span,
}

/// `module.a["x"].module.b`: the address of a module instance.
pub fn module_address(path: &[ModuleStep]) -> String {
    let mut s = String::new();
    for step in path {
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str("module.");
        s.push_str(&step.name);
        if let Some(k) = &step.key {
            s.push_str(&k.to_string());
        }
    }
    s
}

/// The length of the index step `rest` starts with (`[0]`, `["k"]`, a quoted key's escaped
/// quotes and brackets included), if it is one.
fn step_len(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('[')?;
    let Some(quoted) = inner.strip_prefix('"') else { return inner.find(']').map(|i| i + 2) };
    let mut escaped = false;
    for (i, c) in quoted.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return quoted[i + 1..].starts_with(']').then_some(i + 4),
            _ => {}
        }
    }
    None
}

/// The instance key step right after `prefix` in a reference (`["k"]` in
/// `data.x.y["k"].arn`), or "".
pub fn instance_step<'r>(reference: &'r str, prefix: &str) -> &'r str {
    let Some(rest) = reference.strip_prefix(prefix).filter(|r| r.starts_with('[')) else { return "" };
    step_len(rest).map_or("", |e| &rest[..e])
}

/// `aws_kms_key.k[0].arn` -> ["aws_kms_key", "k", "arn"]: names, without index steps.
pub fn split_reference(r: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = r;
    while !rest.is_empty() {
        if rest.starts_with('[') {
            // Skip an index step, quoted keys included.
            let end = step_len(rest).unwrap_or(rest.len());
            rest = &rest[end.min(rest.len())..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// `module.a["x"].module.b[0]` -> [("a", Some("x")), ("b", Some(0))].
pub fn parse_module_address(addr: &str) -> Vec<(String, Option<Key>)> {
    let mut out = Vec::new();
    let mut rest = addr;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        let name = r[..end].to_string();
        rest = &r[end..];
        let mut key = None;
        if rest.starts_with('[') {
            let Some(len) = step_len(rest) else {
                out.push((name, None));
                break;
            };
            let inner = &rest[1..len - 1];
            // A quoted key is escaped as JSON escapes it (`\n`, `\"`, `\u00e9`).
            key = if inner.starts_with('"') {
                serde_json::from_str::<String>(inner).ok().map(Key::Str)
            } else {
                inner.parse::<i64>().ok().map(Key::Int)
            };
            rest = &rest[len..];
        }
        out.push((name, key));
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// A step of a plan's module pattern: `module.a[?]`, `module.a[*]`, `module.a["k"]`.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternKey {
    /// The call has no count or for_each.
    None,
    /// The instance the reference was made from (the trace stayed in it or went up).
    Holder,
    /// An instance the plan's configuration does not name.
    Unknown,
    Key(Key),
}

/// A plan's module pattern as steps; the inverse of [`render_pattern`].
pub fn parse_pattern(pattern: &str) -> Vec<(String, PatternKey)> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        let name = r[..end].to_string();
        rest = &r[end..];
        let key = if let Some(r) = rest.strip_prefix("[?]") {
            rest = r;
            PatternKey::Holder
        } else if let Some(r) = rest.strip_prefix("[*]") {
            rest = r;
            PatternKey::Unknown
        } else if rest.starts_with('[') {
            // A real key, parsed as an address step.
            let Some(len) = step_len(rest) else { return out };
            let parsed = parse_module_address(&format!("module.x{}", &rest[..len]));
            rest = &rest[len..];
            match parsed.into_iter().next().and_then(|(_, k)| k) {
                Some(k) => PatternKey::Key(k),
                None => return out,
            }
        } else {
            PatternKey::None
        };
        out.push((name, key));
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

pub fn render_pattern(steps: &[(String, PatternKey)]) -> String {
    let step = |(name, key): &(String, PatternKey)| match key {
        PatternKey::None => format!("module.{name}"),
        PatternKey::Holder => format!("module.{name}[?]"),
        PatternKey::Unknown => format!("module.{name}[*]"),
        PatternKey::Key(k) => format!("module.{name}{k}"),
    };
    steps.iter().map(step).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_keys() {
        let a = r#"module.m["n\nl"].module.k["a\"]b"].module.u["\u00e9"]"#;
        let steps = parse_module_address(a);
        assert_eq!(
            steps.iter().map(|(_, k)| k.clone().unwrap().to_string()).collect::<Vec<_>>(),
            [r#"["n\nl"]"#, r#"["a\"]b"]"#, r#"["é"]"#]
        );
        assert_eq!(steps[1].0, "k");
        assert_eq!(instance_step(r#"module.k["a\"]b"].id"#, "module.k"), r#"["a\"]b"]"#);
        assert_eq!(split_reference(r#"module.k["a\"]b"].bucket_id"#), ["module", "k", "bucket_id"]);
    }

    #[test]
    fn module_patterns() {
        let p = r#"module.a[?].module.b["x.y]"].module.c[*].module.d[2].module.e"#;
        let steps = parse_pattern(p);
        assert_eq!(steps.len(), 5, "{steps:?}");
        assert_eq!(steps[1].1, PatternKey::Key(Key::Str("x.y]".into())));
        assert_eq!(render_pattern(&steps), p);
    }

    #[test]
    fn module_addresses() {
        assert_eq!(
            parse_module_address(r#"module.a["x.y"].module.b[2].module.c"#),
            vec![
                ("a".to_string(), Some(Key::Str("x.y".into()))),
                ("b".to_string(), Some(Key::Int(2))),
                ("c".to_string(), None)
            ]
        );
        assert!(parse_module_address("").is_empty());
    }

    #[test]
    fn references_split_into_names() {
        assert_eq!(split_reference("aws_kms_key.k[0].arn"), vec!["aws_kms_key", "k", "arn"]);
        assert_eq!(split_reference(r#"module.m["a.b"].out"#), vec!["module", "m", "out"]);
        assert_eq!(split_reference("var.x"), vec!["var", "x"]);
    }
}
