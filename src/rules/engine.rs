//! Runs a rule's checks on an evaluated resource instance, and provides the functions rules
//! can call beyond Terraform's built-ins (what an expression cannot say on its own).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::joins::Joins;
use super::model::Rule;
use crate::eval::budget::Budget;
use crate::eval::expr::{EResult, Env, EvalError, FilePaths, Scope, to_bool};
use crate::syntax::hcl::ast::{Expr, ExprKind};
use crate::syntax::source::Span;
use crate::terraform::instance::ResourceInstance;
use crate::terraform::value::{Kind, Origin, UnknownSource, Value};

/// Functions the engine adds for rules: (signature, what it returns).
pub const ENGINE_FUNCTIONS: &[(&str, &str)] = &[
    (
        "kms_key_owner(value)",
        "`\"customer\"` when a KMS key reference is a customer-managed key (an `aws_kms_key` / `aws_kms_alias` / `aws_kms_replica_key` resource, a key ARN, a customer alias, a data source looking up a customer alias), `\"aws\"` for AWS keys (`alias/aws/...`, their ARNs, data sources looking them up, Redshift Serverless's `AWS_OWNED_KMS_KEY`), `\"none\"` for null or `\"\"`, unknown when it cannot be decided",
    ),
    (
        "describe(value)",
        "a short readable rendering of a value for messages: strings quoted, unknown values named by where they come from, sensitive values hidden",
    ),
    (
        "resources(type)",
        "every instance of the resource type `type` in the same configuration (the same root module and the modules it calls, or the same plan), as a list of objects like `resource`",
    ),
    (
        "policy_statements(policy)",
        "the statements of an IAM policy (a JSON string, a heredoc, `jsonencode(...)`, or an `aws_iam_policy_document` data source's `json`) as a list of objects with `sid`, `effect`, `principals` (`\"*\"`, `\"AWS:*\"`, `\"Service:ecr.amazonaws.com\"`...), `not_principals`, `actions`, `not_actions`, `resources`, `condition_keys` (lower case) and `public` (a principal is anyone)",
    ),
    (
        "referencing(type, attribute, key)",
        "the instances of the resource type `type` whose `attribute` names the resource being checked, as a list of `{ address, resource }` objects (`resource` like `resource`): a reference to any of its attributes (`aws_s3_bucket.b.id`, `.bucket`, `.arn`), also through variables, locals and modules, or a written-out value equal to the resource's own `key` attribute; unknown when an instance's `attribute` is only known after apply and comes from elsewhere",
    ),
    (
        "possibly_referencing(type, attribute, key)",
        "like `referencing`, with also the instances that may name the resource being checked, where which instance a reference names is only known at apply (an unknown `count` or `for_each` key): for rules that decide when every possibility is bad; unknown when a value only known at apply comes from elsewhere",
    ),
    (
        "referenced(type, value, key)",
        "the instance of the resource type `type` that `value` (an attribute of the resource being checked) names, as a `{ address, resource }` object: by a reference to any of its attributes, also through variables, locals and modules, or a written-out value equal to its `key` attribute; null when `value` is null; unknown when it names no instance of the configuration (a resource made elsewhere), several, or one only apply time can tell",
    ),
    ("wildcard_match(pattern, text)", "whether `text` matches `pattern` with `*` and `?` wildcards, ignoring case"),
];

pub fn function_exists(name: &str) -> bool {
    matches!(name, "try" | "can")
        || ENGINE_FUNCTIONS.iter().any(|(n, _)| n.split('(').next() == Some(name))
        || crate::eval::functions::exists(name)
}

/// What a rule concluded about one instance.
#[derive(Debug)]
pub enum Outcome {
    Pass,
    Fail {
        /// Which check failed (its index in the rule).
        check: usize,
        span: Span,
        message: String,
        origin: Option<Arc<Origin>>,
        /// The value at fault as an HCL literal, when it came from where `origin` says.
        fault: Option<String>,
    },
    /// A check depends on something not known statically: no finding.
    Undecided,
    /// A check could not be evaluated: reported as a warning, or as an error when a limit of
    /// tfcheck's stopped it (`EvalError::limit`).
    Error(EvalError),
}

/// What a rule can see besides the resource: the other resources of the configuration, by
/// type.
pub struct RuleContext<'a> {
    pub resources: &'a HashMap<&'a str, Vec<&'a ResourceInstance>>,
    /// The indexes of `referencing()` and `referenced()`, built once for all instances.
    joins: Joins,
    /// Values of locals that do not depend on the instance, by (rule, local).
    shared: RefCell<HashMap<(String, String), EResult<Value>>>,
}

impl<'a> RuleContext<'a> {
    pub fn new(resources: &'a HashMap<&'a str, Vec<&'a ResourceInstance>>) -> RuleContext<'a> {
        RuleContext { resources, joins: Joins::default(), shared: RefCell::default() }
    }
}

struct RuleEnv<'a> {
    rule: &'a Rule,
    inst: &'a ResourceInstance,
    resource: &'a Value,
    change: Value,
    cx: &'a RuleContext<'a>,
    locals: RefCell<HashMap<String, Option<EResult<Value>>>>,
    /// A rule gets its own budget, not what the resource's evaluation left over.
    budget: Budget,
}

static NO_SANDBOX: Vec<PathBuf> = Vec::new();

impl Env for RuleEnv<'_> {
    fn lookup(&self, root: &str, attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
        match root {
            "resource" => Ok((self.resource.clone(), 0)),
            "resource_type" => Ok((Value::string(self.inst.rtype.as_str()), 0)),
            "change" => Ok((self.change.clone(), 0)),
            "local" => {
                let name = attrs.first().ok_or_else(|| EvalError::new("local must be followed by a name", span))?;
                Ok((self.local(name, span)?, 1))
            }
            other => Err(EvalError::new(format!("unknown name {other:?} in a rule"), span)),
        }
    }

    fn call_extra(&self, name: &str, args: &[Value], span: Span) -> Option<EResult<Value>> {
        let one = || match args {
            [a] => Ok(a),
            _ => Err(EvalError::new(format!("{name}() takes one argument"), span)),
        };
        let fail = |m: String| EvalError::new(format!("in {name}(): {m}"), span);
        match name {
            "kms_key_owner" => Some(one().map(kms_key_owner)),
            "describe" => Some(one().map(|v| Value::string(describe(v)))),
            "resources" => Some(one().and_then(|t| match t.as_str() {
                Some(t) => Ok(Value::list(self.of_type(t).map(|i| i.value.clone()).collect())),
                None => Err(fail("the resource type must be a string".into())),
            })),
            "referencing" | "possibly_referencing" => Some(match args {
                [t, a, k] => match (t.as_str(), a.as_str(), k.as_str()) {
                    (Some(t), Some(a), Some(k)) => {
                        Ok(self.cx.joins.referencing(self.of(t), self.inst, t, a, k, name == "possibly_referencing"))
                    }
                    _ => Err(fail("the type, the attribute and the key must be strings".into())),
                },
                _ => Err(fail("takes a resource type, its attribute and this resource's attribute".into())),
            }),
            "referenced" => Some(match args {
                [t, v, k] => match (t.as_str(), k.as_str()) {
                    (Some(t), Some(k)) => Ok(self.cx.joins.referenced(self.of(t), self.inst, t, v, k)),
                    _ => Err(fail("the type and the key must be strings".into())),
                },
                _ => Err(fail("takes a resource type, a value and that type's attribute".into())),
            }),
            "policy_statements" => Some(one().and_then(|p| super::policy::statements(p).map_err(fail))),
            "wildcard_match" => Some(match args {
                [p, t] => match (p.as_str(), t.as_str()) {
                    (Some(p), Some(t)) => Ok(Value::bool(super::policy::wildcard_match(p, t))),
                    _ if p.is_unknown() || t.is_unknown() => Ok(if p.is_unknown() { p.clone() } else { t.clone() }),
                    _ => Err(fail("both arguments must be strings".into())),
                },
                _ => Err(fail("takes a pattern and a text".into())),
            }),
            _ => None,
        }
    }

    fn paths(&self) -> FilePaths<'_> {
        // Rules never read files.
        FilePaths { module_dir: Path::new("/nonexistent"), root_dir: Path::new("/nonexistent"), sandbox: &NO_SANDBOX }
    }

    fn lenient(&self) -> bool {
        true
    }

    fn budget(&self) -> &Budget {
        &self.budget
    }
}

impl RuleEnv<'_> {
    fn of_type(&self, rtype: &str) -> impl Iterator<Item = &ResourceInstance> {
        self.of(rtype).iter().copied()
    }

    fn of(&self, rtype: &str) -> &[&ResourceInstance] {
        self.cx.resources.get(rtype).map_or(&[], |v| v.as_slice())
    }

    /// A rule's `locals`, evaluated once per instance.
    fn local(&self, name: &str, span: Span) -> EResult<Value> {
        if let Some(slot) = self.locals.borrow().get(name) {
            return match slot {
                Some(r) => r.clone(),
                None => Err(EvalError::new(format!("local.{name} refers to itself"), span)),
            };
        }
        let Some((_, expr)) = self.rule.locals.iter().find(|(n, _)| n == name) else {
            return Err(EvalError::new(format!("the rule has no local named {name:?}"), span));
        };
        let shared_key = (self.rule.id.clone(), name.to_string());
        let shared = self.rule.shared_locals.iter().any(|s| s == name);
        if shared && let Some(r) = self.cx.shared.borrow().get(&shared_key) {
            return r.clone();
        }
        self.locals.borrow_mut().insert(name.to_string(), None);
        let r = Scope::new(self).eval(expr);
        if shared {
            self.cx.shared.borrow_mut().insert(shared_key, r.clone());
        }
        self.locals.borrow_mut().insert(name.to_string(), Some(r.clone()));
        r
    }
}

/// Runs the checks in order: the first false one is the finding.
pub fn run(rule: &Rule, inst: &ResourceInstance, cx: &RuleContext) -> Outcome {
    let change = match &inst.actions {
        Some(actions) => {
            let mut m = crate::terraform::value::Map::new();
            m.insert("actions".into(), Value::list(actions.iter().map(|a| Value::string(a.as_str())).collect()));
            Value::map(m)
        }
        None => Value::null(),
    };
    let env = RuleEnv {
        rule,
        inst,
        resource: &inst.value,
        change,
        cx,
        locals: RefCell::new(HashMap::new()),
        budget: Budget::default(),
    };
    // A check known only at apply does not end the run: the resource fails whichever way it
    // goes when a later check is false (first false = finding, so any false one is).
    let mut undecided = false;
    // After an undecided check, a later check may rely on what it would have established: its
    // errors mean "undecided" too, except tfcheck's own limits (fail closed).
    let error = |e: EvalError, undecided: bool| {
        if undecided && !e.is_limit() { Outcome::Undecided } else { Outcome::Error(e) }
    };
    for (index, check) in rule.checks.iter().enumerate() {
        let mut scope = Scope::new(&env);
        let cond = match scope.eval(&check.condition) {
            Ok(v) => v,
            Err(e) => return error(e, undecided),
        };
        if cond.is_unknown() {
            undecided = true;
            continue;
        }
        match to_bool(&cond, check.condition.span) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => return error(e, undecided),
        }
        let message = match scope.eval(&check.message) {
            // This check's message may take for granted what the undecided one would have
            // established ("encryption is on but ..."): it holds only on that branch.
            Ok(v) if undecided => match &v.kind {
                Kind::String(s) => format!(
                    "{}, whatever the values tfcheck cannot decide turn out to be (if they pass the rule's earlier checks: {s})",
                    rule.title
                ),
                _ => format!("{}, whatever the values tfcheck cannot decide turn out to be", rule.title),
            },
            Ok(v) => match &v.kind {
                Kind::String(s) => s.to_string(),
                _ => v.describe(),
            },
            Err(e) => return error(e, undecided),
        };
        // Where the value at fault was written, when it came from elsewhere; else what decided
        // the condition (the for_each that left a dynamic block empty).
        let value = scope.eval(&check.at_expr).ok().filter(|_| !check.at.is_empty());
        // The value at fault, when it was written elsewhere: what `fix` may change there.
        let fault = value.as_ref().filter(|v| v.origin.is_some()).and_then(literal_text);
        let origin = value.and_then(|v| v.origin.clone()).or_else(|| cond.origin.clone());
        let at = if check.at.contains("[?]") { dynamic_at(&check.at_expr, &mut scope) } else { check.at.clone() };
        return Outcome::Fail { check: index, span: inst.span_of(&at), message, origin, fault };
    }
    if undecided { Outcome::Undecided } else { Outcome::Pass }
}

/// A string, number or bool as HCL writes it (`"KMS"`, `false`, `30`).
pub fn literal_text(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::String(s) => serde_json::to_string(&**s).ok(),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        Kind::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The path an `at` with computed indices names (`resource.policy.Statement[local.i]`);
/// an index that cannot be computed ends the path there, so the finding points at the
/// nearest part that can be named.
fn dynamic_at(e: &Expr, scope: &mut Scope) -> String {
    fn walk(e: &Expr, scope: &mut Scope) -> (String, bool) {
        match &e.kind {
            ExprKind::GetAttr(inner, name) => match walk(inner, scope) {
                (p, true) => (if p.is_empty() { name.to_string() } else { format!("{p}.{name}") }, true),
                stopped => stopped,
            },
            ExprKind::Index(inner, idx) => match walk(inner, scope) {
                (p, true) => match scope.eval(idx).ok().map(|v| v.kind) {
                    Some(Kind::Number(n)) if n.fract() == 0.0 && n >= 0.0 => (format!("{p}[{n}]"), true),
                    Some(Kind::String(k)) => (format!("{p}.{k}"), true),
                    _ => (p, false),
                },
                stopped => stopped,
            },
            _ => (String::new(), true),
        }
    }
    walk(e, scope).0
}

/// Decides who manages the KMS key a value refers to.
pub fn kms_key_owner(v: &Value) -> Value {
    // A known value read from a KMS resource or data source (plans know them) is decided by
    // where it was read from: the ARN an `alias/aws/ecr` lookup returns looks like any key ARN.
    let from_reference = v.origin.as_ref().and_then(|o| o.reference.as_deref()).and_then(source_owner);
    let owner = from_reference.or_else(|| match &v.kind {
        Kind::Null => Some("none"),
        Kind::String(s) => literal_key_owner(s),
        Kind::Unknown(u) => {
            let refined =
                u.prefix.as_deref().and_then(|p| if p.starts_with("alias/aws/") { Some("aws") } else { None }).or_else(
                    || {
                        u.suffix.as_deref().and_then(|s| {
                            if s.contains(":alias/aws/") || s.starts_with("alias/aws/") {
                                Some("aws")
                            } else if s.contains(":key/") || s.contains(":alias/") {
                                Some("customer")
                            } else {
                                None
                            }
                        })
                    },
                );
            refined.or_else(|| source_owner(&u.source))
        }
        _ => None,
    });
    match owner {
        Some(o) => Value::string(o).inherit_origin(v),
        None => Value::unknown(UnknownSource::Expansion { what: "the key's owner".into() }),
    }
}

/// The owner of keys read from a resource or data source, when its type tells.
fn source_owner(source: &UnknownSource) -> Option<&'static str> {
    match source {
        UnknownSource::Resource { rtype, .. } => match rtype.as_str() {
            "aws_kms_key"
            | "aws_kms_alias"
            | "aws_kms_replica_key"
            | "aws_kms_external_key"
            | "aws_kms_replica_external_key" => Some("customer"),
            _ => None,
        },
        UnknownSource::Data { dtype, config, .. } => {
            // What a plan or state read: `key_manager` says who manages the key.
            if dtype == "aws_kms_key" {
                match config.as_map().and_then(|m| m.get("key_manager")).and_then(Value::as_str) {
                    Some("AWS") => return Some("aws"),
                    Some("CUSTOMER") => return Some("customer"),
                    _ => {}
                }
            }
            let arg = match dtype.as_str() {
                "aws_kms_alias" => config.as_map().and_then(|m| m.get("name")),
                "aws_kms_key" => config.as_map().and_then(|m| m.get("key_id")),
                _ => None,
            };
            match arg.map(|a| &a.kind) {
                Some(Kind::String(s)) => match literal_key_owner(s) {
                    Some("aws") => Some("aws"),
                    _ => Some("customer"),
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// Owner of a key written literally: an alias name, an ARN, a key id.
fn literal_key_owner(s: &str) -> Option<&'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Some("none");
    }
    // Redshift Serverless names the key it owns so.
    if s.starts_with("alias/aws/") || s == "AWS_OWNED_KMS_KEY" {
        return Some("aws");
    }
    if s.starts_with("alias/") {
        return Some("customer");
    }
    if let Some(rest) = s.strip_prefix("arn:") {
        // arn:<partition>:kms:<region>:<account>:<resource>
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if parts.len() == 5 && parts[1] == "kms" {
            let resource = parts[4];
            if resource.starts_with("alias/aws/") {
                return Some("aws");
            }
            if resource.starts_with("alias/") || resource.starts_with("key/") {
                return Some("customer");
            }
        }
        return None;
    }
    let is_uuid = s.len() == 36
        && s.chars()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
    if is_uuid || (s.starts_with("mrk-") && s.len() > 4 && s[4..].chars().all(|c| c.is_ascii_hexdigit())) {
        return Some("customer");
    }
    None
}

/// A value as a message shows it.
pub fn describe(v: &Value) -> String {
    if v.origin.as_ref().is_some_and(|o| o.sensitive) && v.is_known() {
        return "(sensitive value)".to_string();
    }
    match &v.kind {
        Kind::Unknown(u) => {
            let base = u.describe();
            if let UnknownSource::Data { dtype, config, .. } = &u.source {
                let arg = if dtype == "aws_kms_alias" { "name" } else { "key_id" };
                if let Some(Kind::String(s)) = config.as_map().and_then(|m| m.get(arg)).map(|a| &a.kind) {
                    return format!("{base} (looked up with {arg} = {:?})", s.to_string());
                }
            }
            match (&u.prefix, &u.suffix) {
                (None, None) => base,
                (p, s) => format!("\"{}...{}\"", p.as_deref().unwrap_or(""), s.as_deref().unwrap_or("")),
            }
        }
        _ => v.describe(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::value::{Map, Unknown};

    fn owner(v: Value) -> Option<String> {
        kms_key_owner(&v).as_str().map(str::to_string)
    }

    #[test]
    fn literal_keys() {
        assert_eq!(owner(Value::string("alias/aws/ecr")).as_deref(), Some("aws"));
        assert_eq!(
            owner(Value::string("arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/ecr")).as_deref(),
            Some("aws")
        );
        assert_eq!(
            owner(Value::string("arn:aws-cn:kms:cn-north-1:123456789012:alias/aws/ecr")).as_deref(),
            Some("aws")
        );
        assert_eq!(
            owner(Value::string("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .as_deref(),
            Some("customer")
        );
        assert_eq!(owner(Value::string("arn:aws:kms:eu-west-1:111122223333:alias/ecr")).as_deref(), Some("customer"));
        assert_eq!(owner(Value::string("mrk-1234abcd12ab34cd56ef1234567890ab")).as_deref(), Some("customer"));
        assert_eq!(owner(Value::string("1234abcd-12ab-34cd-56ef-1234567890ab")).as_deref(), Some("customer"));
        assert_eq!(owner(Value::string("")).as_deref(), Some("none"));
        assert_eq!(owner(Value::string("AWS_OWNED_KMS_KEY")).as_deref(), Some("aws"));
        assert_eq!(owner(Value::null()).as_deref(), Some("none"));
        assert_eq!(owner(Value::string("not-a-key")), None);
    }

    #[test]
    fn unknown_keys_by_provenance() {
        let res = |t: &str| {
            Value::unknown(UnknownSource::Resource { rtype: t.into(), name: "k".into(), module: None, span: None })
        };
        assert_eq!(owner(res("aws_kms_key")).as_deref(), Some("customer"));
        assert_eq!(owner(res("aws_kms_replica_key")).as_deref(), Some("customer"));
        assert_eq!(owner(res("aws_ssm_parameter")), None);
        let data = |t: &str, arg: &str, val: &str| {
            let mut m = Map::new();
            m.insert(arg.into(), Value::string(val));
            Value::unknown(UnknownSource::Data {
                dtype: t.into(),
                name: "d".into(),
                config: Box::new(Value::map(m)),
                span: None,
            })
        };
        assert_eq!(owner(data("aws_kms_alias", "name", "alias/aws/ecr")).as_deref(), Some("aws"));
        assert_eq!(owner(data("aws_kms_alias", "name", "alias/team")).as_deref(), Some("customer"));
        assert_eq!(owner(data("aws_kms_key", "key_id", "alias/aws/ecr")).as_deref(), Some("aws"));
        assert_eq!(owner(data("terraform_remote_state", "backend", "s3")), None);
        let built = Value::new(Kind::Unknown(Arc::new(Unknown {
            source: UnknownSource::Apply { what: "x".into() },
            path: String::new(),
            prefix: Some("arn:aws:kms:".into()),
            suffix: Some(":alias/aws/ecr".into()),
            template: None,
            derived: false,
        })));
        assert_eq!(owner(built).as_deref(), Some("aws"));
    }
}
