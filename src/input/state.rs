//! Terraform state as an input: `terraform show -json` of a state, or a raw
//! `terraform.tfstate` (version 4). The deployed resource instances, with every KMS key
//! decided as far as the state itself tells who manages it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::syntax::json::{Json, JsonKind};
use crate::syntax::source::Span;
use crate::terraform::instance::ResourceInstance;
use crate::terraform::value::{Kind, Map, Origin, UnknownSource, Value};

/// The output of `terraform show -json` for a state (no plan), or a raw state file.
pub fn is_state(j: &Json) -> bool {
    let shown = j.get("format_version").is_some()
        && j.get("planned_values").is_none()
        && j.get("resource_changes").is_none()
        // An empty state shows as `{"format_version": "1.0"}` alone.
        && j.members().iter().all(|m| matches!(m.key.as_str(), "format_version" | "terraform_version" | "values" | "checks"));
    let raw = matches!(j.get("version").map(|v| &v.kind), Some(JsonKind::Number(_)))
        && (j.get("resources").is_some() || j.get("lineage").is_some());
    shown || raw
}

/// State formats tfcheck reads: `show -json` 0.x / 1.x, raw version 4 (Terraform 0.12 on).
pub fn check_version(j: &Json) -> Result<(), (Span, String)> {
    if let Some(v) = j.get("format_version") {
        let major = v.as_str().and_then(|t| t.split('.').next()).and_then(|m| m.parse::<u32>().ok());
        return match major {
            Some(0 | 1) => Ok(()),
            _ => Err((v.span, format!("state JSON format_version {} is not one tfcheck reads (0.x or 1.x)", shown(v)))),
        };
    }
    match j.get("version") {
        Some(v) if matches!(v.kind, JsonKind::Number(n) if n == 4.0) => Ok(()),
        Some(v) => Err((
            v.span,
            format!(
                "state file version {} is not one tfcheck reads (4, written by Terraform 0.12 and later): upgrade it with a current Terraform, or scan `terraform show -json`",
                shown(v)
            ),
        )),
        None => Err((j.span, "not a state file: no version".into())),
    }
}

fn shown(v: &Json) -> String {
    let s = match &v.kind {
        JsonKind::Number(n) => crate::terraform::value::format_number(*n),
        _ => v.to_serde().to_string(),
    };
    if s.chars().count() > 40 { format!("{}...", s.chars().take(40).collect::<String>()) } else { s }
}

/// One resource instance as the state records it.
struct Entry<'j> {
    address: String,
    mode: &'j str,
    rtype: &'j str,
    values: Option<&'j Json>,
    /// `show -json`'s `sensitive_values` tree.
    sensitive: Option<&'j Json>,
    /// A raw state's `sensitive_attributes`: top-level attributes holding a sensitive part.
    sensitive_attrs: Vec<String>,
    span: Span,
}

/// What a state reads: its managed resource instances, as the rules see them, and how many
/// key references it could not decide.
pub struct StateRead {
    pub instances: Vec<ResourceInstance>,
    /// Key ARNs or ids in checked instances that no key or lookup in the state describes.
    pub undecided_keys: Vec<String>,
}

pub fn read(j: &Json, wanted: &dyn Fn(&str) -> bool) -> StateRead {
    let entries = if j.get("format_version").is_some() { shown_entries(j) } else { raw_entries(j) };
    let keys = Keys::collect(&entries);
    let mut undecided = HashSet::new();
    let mut instances = Vec::new();
    for e in entries.iter().filter(|e| e.mode == "managed" && wanted(e.rtype)) {
        let mut value = crate::input::plan::plain(e.values, None, e.sensitive);
        if !e.sensitive_attrs.is_empty() {
            value = mark_sensitive(value, &e.sensitive_attrs);
        }
        let value = keys.decide(value, &mut undecided);
        instances.push(ResourceInstance {
            rtype: e.rtype.to_string(),
            address: e.address.clone(),
            module_path: Vec::new(),
            value,
            spans: Vec::new(),
            header_span: e.span,
            block_span: None,
            note: None,
            actions: None,
            limit: None,
        });
    }
    let mut undecided_keys: Vec<String> = undecided.into_iter().collect();
    undecided_keys.sort();
    StateRead { instances, undecided_keys }
}

/// `terraform show -json`: `values.root_module`, its `child_modules`, walked with a stack.
fn shown_entries(j: &Json) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    let Some(root) = j.get("values").and_then(|v| v.get("root_module")) else { return out };
    let mut stack = vec![root];
    while let Some(module) = stack.pop() {
        for r in module.get("resources").map(Json::items).unwrap_or(&[]) {
            let (Some(address), Some(mode), Some(rtype)) = (str_of(r, "address"), str_of(r, "mode"), str_of(r, "type"))
            else {
                continue;
            };
            let span = r.members().iter().find(|m| m.key == "address").map_or(r.span, |m| m.key_span.to(m.value.span));
            out.push(Entry {
                address: address.to_string(),
                mode,
                rtype,
                values: r.get("values"),
                sensitive: r.get("sensitive_values"),
                sensitive_attrs: Vec::new(),
                span,
            });
        }
        stack.extend(module.get("child_modules").map(Json::items).unwrap_or(&[]).iter().rev());
    }
    out
}

/// A raw state (version 4): `resources[].instances[]`; addresses are built as Terraform
/// prints them (`module.a["x"].aws_ecr_repository.r[0]`).
fn raw_entries(j: &Json) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for r in j.get("resources").map(Json::items).unwrap_or(&[]) {
        let (Some(mode), Some(rtype), Some(name)) = (str_of(r, "mode"), str_of(r, "type"), str_of(r, "name")) else {
            continue;
        };
        let mut base = String::new();
        if let Some(m) = str_of(r, "module") {
            base.push_str(m);
            base.push('.');
        }
        if mode == "data" {
            base.push_str("data.");
        }
        base.push_str(&format!("{rtype}.{name}"));
        for inst in r.get("instances").map(Json::items).unwrap_or(&[]) {
            let mut address = base.clone();
            match inst.get("index_key").map(|k| &k.kind) {
                Some(JsonKind::Number(n)) => {
                    address.push_str(&format!("[{}]", crate::terraform::value::format_number(*n)))
                }
                Some(JsonKind::String(s)) => address.push_str(&format!("[{}]", serde_json::Value::String(s.clone()))),
                _ => {}
            }
            let sensitive_attrs = inst
                .get("sensitive_attributes")
                .map(Json::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|path| path.items().first())
                .filter(|step| str_of(step, "type") == Some("get_attr"))
                .filter_map(|step| str_of(step, "value").map(str::to_string))
                .collect();
            // The instance's `"schema_version"` line when there is one: the first line of it.
            let span = inst.members().first().map_or(inst.span, |m| m.key_span.to(m.value.span));
            out.push(Entry {
                address,
                mode,
                rtype,
                values: inst.get("attributes"),
                sensitive: None,
                sensitive_attrs,
                span,
            });
        }
    }
    out
}

fn str_of<'j>(j: &'j Json, key: &str) -> Option<&'j str> {
    j.get(key).and_then(Json::as_str)
}

fn mark_sensitive(v: Value, attrs: &[String]) -> Value {
    let Kind::Map(m) = &v.kind else { return v };
    let mut m: Map = (**m).clone();
    for a in attrs {
        if let Some(x) = m.remove(a) {
            m.insert(a.clone(), x.with_origin(Some(Arc::new(Origin { sensitive: true, ..Origin::default() }))));
        }
    }
    Value::map(m).with_origin(v.origin.clone())
}

/// Who manages each key the state mentions, as far as the state tells.
#[derive(Default)]
struct Keys {
    /// ARNs and ids of keys the state creates, or that a lookup says a customer manages.
    customer: HashSet<String>,
    /// ARNs and ids of AWS-managed keys, with the alias or lookup that says so.
    aws: HashMap<String, String>,
}

impl Keys {
    fn collect(entries: &[Entry]) -> Keys {
        let mut k = Keys::default();
        for e in entries {
            let Some(v) = e.values else { continue };
            let s = |name: &str| str_of(v, name).filter(|s| !s.is_empty());
            let ids = [s("arn"), s("key_id"), s("id"), s("target_key_arn"), s("target_key_id")];
            let key_ids = || ids.iter().take(3).flatten().map(|x| x.to_string());
            let target_ids = || ids.iter().skip(3).flatten().map(|x| x.to_string());
            match (e.mode, e.rtype) {
                (
                    "managed",
                    "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_external_key" | "aws_kms_replica_external_key",
                ) => k.customer.extend(key_ids()),
                ("data", "aws_kms_key") => match s("key_manager") {
                    Some("AWS") => {
                        let label = format!("{} (key_manager \"AWS\")", e.address);
                        for id in key_ids() {
                            k.aws.insert(id, label.clone());
                        }
                    }
                    Some("CUSTOMER") => k.customer.extend(key_ids()),
                    _ => {}
                },
                (_, "aws_kms_alias") => match s("name") {
                    Some(n) if n.starts_with("alias/aws/") => {
                        let label = format!("{} ({n})", e.address);
                        for id in target_ids() {
                            k.aws.insert(id, label.clone());
                        }
                    }
                    // Only AWS names aliases `alias/aws/...`; any other alias is a customer's,
                    // and so is its key.
                    Some(_) => k.customer.extend(target_ids()),
                    None => {}
                },
                _ => {}
            }
        }
        // A key both ways (a corrupt state) is not decided.
        let both: Vec<String> = k.aws.keys().filter(|x| k.customer.contains(*x)).cloned().collect();
        for x in both {
            k.aws.remove(&x);
            k.customer.remove(&x);
        }
        k
    }

    /// `v` with every key ARN or id decided: a customer's stays as it is, an AWS-managed one
    /// says which alias or lookup showed it, and any other is unknown.
    fn decide(&self, v: Value, undecided: &mut HashSet<String>) -> Value {
        match &v.kind {
            Kind::String(s) if is_key_reference(s) => {
                if self.customer.contains(s.as_ref()) {
                    v
                } else if let Some(label) = self.aws.get(s.as_ref()) {
                    let mut config = Map::new();
                    config.insert("key_manager".into(), Value::string("AWS"));
                    let reference = UnknownSource::Data {
                        dtype: "aws_kms_key".into(),
                        name: label.clone(),
                        config: Box::new(Value::map(config)),
                        span: None,
                    };
                    let origin = Origin {
                        label: format!("in the state, {label}"),
                        reference: Some(Box::new(reference)),
                        sensitive: v.origin.as_ref().is_some_and(|o| o.sensitive),
                        ..Origin::default()
                    };
                    v.with_origin(Some(Arc::new(origin)))
                } else {
                    // A sensitive value is never shown, not even in a warning.
                    let shown = if v.origin.as_ref().is_some_and(|o| o.sensitive) {
                        "(sensitive value)".to_string()
                    } else {
                        s.to_string()
                    };
                    let what = format!("who manages key {shown}, which this state does not hold");
                    undecided.insert(shown);
                    Value::unknown(UnknownSource::Outside { what })
                }
            }
            Kind::Map(m) => {
                let out: Map = m.iter().map(|(k, x)| (k.clone(), self.decide(x.clone(), undecided))).collect();
                Value::map(out).with_origin(v.origin.clone())
            }
            Kind::List(items) => {
                let out = items.iter().map(|x| self.decide(x.clone(), undecided)).collect();
                Value::list(out).with_origin(v.origin.clone())
            }
            _ => v,
        }
    }
}

/// A KMS key ARN (`arn:aws:kms:...:key/...`) or a bare key id: whose it is, the text does
/// not say. (Alias names and alias ARNs do: `alias/aws/...` is AWS's.)
fn is_key_reference(s: &str) -> bool {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        return parts.len() == 5 && parts[1] == "kms" && parts[4].starts_with("key/");
    }
    let is_uuid = s.len() == 36
        && s.chars()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
    is_uuid || (s.starts_with("mrk-") && s.len() > 4 && s[4..].chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_references() {
        assert!(is_key_reference("arn:aws:kms:eu-west-1:111122223333:key/4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"));
        assert!(is_key_reference("4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"));
        assert!(is_key_reference("mrk-1234abcd12ab34cd56ef1234567890ab"));
        assert!(!is_key_reference("arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"));
        assert!(!is_key_reference("alias/team"));
        assert!(!is_key_reference("arn:aws:ecr:eu-west-1:111122223333:repository/app"));
    }
}
