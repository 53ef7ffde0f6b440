//! IAM policy documents as rules read them: one list of normalized statements, whether the
//! policy is a JSON string (heredoc, `jsonencode`), a document with unknown parts, or an
//! `aws_iam_policy_document` data source known only by its configuration.

use serde_json::Value as J;

use crate::terraform::value::{Kind, Map, PLACEHOLDER, UnknownSource, Value};

/// Statements of a policy: a list of objects with `sid`, `effect`, `principals`,
/// `not_principals`, `actions`, `not_actions`, `resources`, `condition_keys` (lower case),
/// `public` (a principal is `*` or `AWS:*`) and `index` (its position in the document). Parts that are not known are unknown values.
pub fn statements(policy: &Value) -> Result<Value, String> {
    let list = statements_of(policy)?;
    // Each statement's position in the document, for `at` (`Statement[s.index]`).
    let Kind::List(items) = &list.kind else { return Ok(list) };
    let numbered = items
        .iter()
        .enumerate()
        .map(|(i, s)| match &s.kind {
            Kind::Map(m) => {
                let mut m = (**m).clone();
                m.insert("index".into(), Value::number(i as f64));
                Value::map(m)
            }
            _ => s.clone(),
        })
        .collect();
    Ok(Value::list(numbered))
}

fn statements_of(policy: &Value) -> Result<Value, String> {
    match &policy.kind {
        Kind::Null => Ok(Value::list(Vec::new())),
        Kind::String(s) => {
            let j: J = serde_json::from_str(s).map_err(|e| format!("the policy is not valid JSON: {e}"))?;
            Ok(from_document(&j, policy))
        }
        Kind::Map(_) => match policy.to_json() {
            Ok(j) => Ok(from_document(&j, policy)),
            Err(_) => Ok(unknown_like(policy)),
        },
        Kind::Unknown(u) => {
            if let UnknownSource::Data { dtype, config, .. } = &u.source {
                if dtype == "aws_iam_policy_document" && matches!(u.path.as_str(), "json" | "minified_json") {
                    return Ok(from_policy_document_config(config, policy));
                }
            }
            // A document with unknown parts: readable when the unknowns sit inside strings.
            match u.template.as_deref().and_then(|t| serde_json::from_str::<J>(t).ok()) {
                Some(j) => Ok(from_document(&j, policy)),
                None => Ok(unknown_like(policy)),
            }
        }
        _ => Err(format!("a policy is a JSON string, not a {}", policy.type_name())),
    }
}

fn unknown_like(v: &Value) -> Value {
    v.first_unknown().cloned().unwrap_or_else(|| Value::unknown_apply("the policy"))
}

/// A JSON string that holds an unknown part is unknown; anything else is itself.
fn json_value(j: &J, unknown: &Value) -> Value {
    match j {
        J::String(s) if s.contains(PLACEHOLDER) => unknown_like(unknown),
        J::Array(a) => Value::list(a.iter().map(|x| json_value(x, unknown)).collect()),
        _ => Value::from_json(j),
    }
}

/// `"x"` or `["x", "y"]` as a list of values.
fn string_list(j: Option<&J>, unknown: &Value) -> Value {
    match j {
        None | Some(J::Null) => Value::list(Vec::new()),
        Some(J::Array(a)) => Value::list(a.iter().map(|x| json_value(x, unknown)).collect()),
        Some(other) => Value::list(vec![json_value(other, unknown)]),
    }
}

fn from_document(doc: &J, unknown: &Value) -> Value {
    let stmts: Vec<&J> = match doc.get("Statement") {
        Some(J::Array(a)) => a.iter().collect(),
        Some(s @ J::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    Value::list(stmts.into_iter().map(|s| statement_from_json(s, unknown)).collect())
}

/// A principal with unknown parts: only a wholly unknown one might be `*`; an ARN around an
/// unknown account id is known not to be.
fn principal(p: &str, ty: Option<&str>, unknown: &Value) -> Value {
    if p.chars().all(|c| c == PLACEHOLDER) {
        return unknown_like(unknown);
    }
    match ty {
        Some(ty) => Value::string(format!("{ty}:{p}")),
        None => Value::string(p),
    }
}

fn statement_from_json(s: &J, unknown: &Value) -> Value {
    let principals = |key: &str| -> Value {
        match s.get(key) {
            None | Some(J::Null) => Value::list(Vec::new()),
            Some(J::String(p)) => Value::list(vec![principal(p, None, unknown)]),
            Some(J::Object(m)) => {
                let mut out = Vec::new();
                for (ty, ids) in m {
                    match ids {
                        J::String(id) => out.push(principal(id, Some(ty), unknown)),
                        J::Array(a) => {
                            for id in a {
                                match id {
                                    J::String(id) => out.push(principal(id, Some(ty), unknown)),
                                    _ => out.push(unknown_like(unknown)),
                                }
                            }
                        }
                        _ => out.push(unknown_like(unknown)),
                    }
                }
                Value::list(out)
            }
            Some(_) => unknown_like(unknown),
        }
    };
    let condition_keys = match s.get("Condition") {
        Some(J::Object(ops)) => Value::list(
            ops.values()
                .filter_map(|v| v.as_object())
                .flat_map(|m| m.keys())
                .map(|k| if k.contains(PLACEHOLDER) { unknown_like(unknown) } else { Value::string(k.to_lowercase()) })
                .collect(),
        ),
        _ => Value::list(Vec::new()),
    };
    let effect = match s.get("Effect") {
        Some(e) => json_value(e, unknown),
        None => Value::null(),
    };
    let sid = s.get("Sid").map(|x| json_value(x, unknown)).unwrap_or_else(Value::null);
    build(
        sid,
        effect,
        principals("Principal"),
        principals("NotPrincipal"),
        string_list(s.get("Action"), unknown),
        string_list(s.get("NotAction"), unknown),
        string_list(s.get("Resource"), unknown),
        condition_keys,
    )
}

/// Statements of an `aws_iam_policy_document` from its configuration, plus those of the
/// documents it merges (`source_policy_documents`, `override_policy_documents`).
fn from_policy_document_config(config: &Value, unknown: &Value) -> Value {
    let Some(m) = config.as_map() else { return unknown_like(unknown) };
    let mut out = Vec::new();
    for key in ["source_policy_documents", "override_policy_documents", "source_json", "override_json"] {
        let docs: Vec<Value> = match m.get(key).map(|v| &v.kind) {
            Some(Kind::List(items)) | Some(Kind::Set(items)) => items.to_vec(),
            Some(Kind::String(_)) | Some(Kind::Unknown(_)) => vec![m[key].clone()],
            _ => Vec::new(),
        };
        for d in docs {
            match statements(&d) {
                Ok(v) => match &v.kind {
                    Kind::List(items) => out.extend(items.iter().cloned()),
                    _ => return v,
                },
                Err(_) => return unknown_like(unknown),
            }
        }
    }
    let blocks = match m.get("statement").map(|v| &v.kind) {
        Some(Kind::List(items)) => items.to_vec(),
        Some(Kind::Unknown(_)) => return m["statement"].clone(),
        _ => Vec::new(),
    };
    for b in blocks {
        let Some(st) = b.as_map() else { continue };
        let get = |k: &str| st.get(k).cloned().unwrap_or_else(Value::null);
        let list = |k: &str| match st.get(k) {
            Some(v) if v.is_null() => Value::list(Vec::new()),
            Some(v) => v.clone(),
            None => Value::list(Vec::new()),
        };
        let principal_blocks = |k: &str| -> Value {
            let Some(v) = st.get(k) else { return Value::list(Vec::new()) };
            let Some(items) = v.as_seq() else { return if v.is_null() { Value::list(Vec::new()) } else { v.clone() } };
            let mut out = Vec::new();
            for p in items {
                let Some(pm) = p.as_map() else { return unknown_like(p) };
                let ty = pm.get("type").cloned().unwrap_or_else(Value::null);
                let ids = pm.get("identifiers").cloned().unwrap_or_else(|| Value::list(Vec::new()));
                let (Some(ty), Some(ids)) = (ty.as_str(), ids.as_seq()) else {
                    out.push(if ty.is_unknown() { ty.clone() } else { unknown_like(&ids) });
                    continue;
                };
                for id in ids {
                    out.push(match id.as_str() {
                        Some(id) if ty == "*" => {
                            Value::string(if id == "*" { "*".to_string() } else { id.to_string() })
                        }
                        Some(id) => Value::string(format!("{ty}:{id}")),
                        None => id.clone(),
                    });
                }
            }
            Value::list(out)
        };
        let condition_keys = match st.get("condition").and_then(|c| c.as_seq()) {
            Some(conds) => Value::list(
                conds
                    .iter()
                    .map(|c| match c.as_map().and_then(|c| c.get("variable")) {
                        Some(v) => match v.as_str() {
                            Some(s) => Value::string(s.to_lowercase()),
                            None => v.clone(),
                        },
                        None => Value::null(),
                    })
                    .collect(),
            ),
            None => Value::list(Vec::new()),
        };
        let effect = match get("effect") {
            v if v.is_null() => Value::string("Allow"),
            v => v,
        };
        out.push(build(
            get("sid"),
            effect,
            principal_blocks("principals"),
            principal_blocks("not_principals"),
            list("actions"),
            list("not_actions"),
            list("resources"),
            condition_keys,
        ));
    }
    Value::list(out)
}

#[allow(clippy::too_many_arguments)]
fn build(
    sid: Value,
    effect: Value,
    principals: Value,
    not_principals: Value,
    actions: Value,
    not_actions: Value,
    resources: Value,
    condition_keys: Value,
) -> Value {
    let public = match principals.as_seq() {
        Some(ps) if ps.iter().any(|p| matches!(p.as_str(), Some("*" | "AWS:*"))) => Value::bool(true),
        Some(ps) => match ps.iter().find(|p| p.is_unknown()) {
            Some(u) => u.clone(),
            None => Value::bool(false),
        },
        None => unknown_like(&principals),
    };
    let mut m = Map::new();
    m.insert("sid".into(), sid);
    m.insert("effect".into(), effect);
    m.insert("principals".into(), principals);
    m.insert("not_principals".into(), not_principals);
    m.insert("actions".into(), actions);
    m.insert("not_actions".into(), not_actions);
    m.insert("resources".into(), resources);
    m.insert("condition_keys".into(), condition_keys);
    m.insert("public".into(), public);
    Value::map(m)
}

/// `*` and `?` wildcards, case-insensitive (IAM actions and ECR repository filters).
pub fn wildcard_match(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let s: Vec<char> = s.to_lowercase().chars().collect();
    // Iterative matching with backtracking to the last `*`: linear in practice, no recursion.
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(v: &'a Value, i: usize, k: &str) -> &'a Value {
        v.as_seq().unwrap()[i].as_map().unwrap().get(k).unwrap()
    }

    #[test]
    fn json_policies() {
        let p = Value::string(
            r#"{"Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
               {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}, "Action": ["kms:*"],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}"#,
        );
        let s = statements(&p).unwrap();
        assert_eq!(field(&s, 0, "public"), &Value::bool(true));
        assert_eq!(field(&s, 0, "actions"), &Value::list(vec![Value::string("ecr:BatchGetImage")]));
        assert_eq!(field(&s, 1, "public"), &Value::bool(true));
        assert_eq!(field(&s, 1, "condition_keys"), &Value::list(vec![Value::string("aws:principalorgid")]));
        let single =
            statements(&Value::string(r#"{"Statement": {"Effect": "Deny", "Principal": {"Service": "x"}}}"#)).unwrap();
        assert_eq!(field(&single, 0, "public"), &Value::bool(false));
        assert!(statements(&Value::string("not json")).is_err());
    }

    #[test]
    fn unknown_parts_inside_strings_keep_the_document_readable() {
        let template = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{PLACEHOLDER}:root"}}}}]}}"#
        );
        let u = crate::terraform::value::Unknown {
            source: UnknownSource::Apply { what: "x".into() },
            path: String::new(),
            prefix: None,
            suffix: None,
            template: Some(template.into()),
            derived: false,
        };
        let s = statements(&Value::new(Kind::Unknown(std::sync::Arc::new(u)))).unwrap();
        // An account root ARN around an unknown account id is not "anyone".
        assert_eq!(field(&s, 0, "public"), &Value::bool(false));
        assert_eq!(field(&s, 0, "effect"), &Value::string("Allow"));
        let whole = format!(r#"{{"Statement": [{{"Effect": "Allow", "Principal": "{PLACEHOLDER}"}}]}}"#);
        let u = crate::terraform::value::Unknown {
            source: UnknownSource::Apply { what: "x".into() },
            path: String::new(),
            prefix: None,
            suffix: None,
            template: Some(whole.into()),
            derived: false,
        };
        let s = statements(&Value::new(Kind::Unknown(std::sync::Arc::new(u)))).unwrap();
        assert!(field(&s, 0, "public").is_unknown());
    }

    #[test]
    fn policy_document_data_sources() {
        let mut principal = Map::new();
        principal.insert("type".into(), Value::string("AWS"));
        principal.insert("identifiers".into(), Value::list(vec![Value::string("*")]));
        let mut st = Map::new();
        st.insert("actions".into(), Value::list(vec![Value::string("ecr:*")]));
        st.insert("principals".into(), Value::list(vec![Value::map(principal)]));
        let mut config = Map::new();
        config.insert("statement".into(), Value::list(vec![Value::map(st)]));
        let doc = Value::unknown(UnknownSource::Data {
            dtype: "aws_iam_policy_document".into(),
            name: "d".into(),
            config: Box::new(Value::map(config)),
            span: None,
        });
        let json = match &doc.kind {
            Kind::Unknown(u) => Value::new(Kind::Unknown(std::sync::Arc::new(u.descend("json")))),
            _ => unreachable!(),
        };
        let s = statements(&json).unwrap();
        assert_eq!(field(&s, 0, "effect"), &Value::string("Allow"));
        assert_eq!(field(&s, 0, "public"), &Value::bool(true));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("kms:*", "kms:Decrypt"));
        assert!(wildcard_match("KMS:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext"));
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("prod-?pi", "prod-api"));
        assert!(!wildcard_match("prod-*", "dev-api"));
        assert!(!wildcard_match("kms:Encrypt", "kms:Decrypt"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        // IAM wildcards are not globs (why this is not globset): `[` and `{` are literal, `*`
        // crosses `/`, and case does not matter.
        assert!(wildcard_match("repo/[ab]*", "REPO/[ab]-x"));
        assert!(!wildcard_match("repo/[ab]", "repo/a"));
        assert!(!wildcard_match("repo/{a,b}", "repo/a"));
        assert!(wildcard_match("arn:aws:ecr:*", "arn:aws:ecr:eu-west-1:1:repository/team/app"));
        // Many stars: backtracking stays bounded.
        assert!(wildcard_match(&"a*".repeat(50), &"a".repeat(60)));
        assert!(!wildcard_match(&"a*".repeat(50), &"a".repeat(40)));
    }
}
