//! What a plan or a state says exists: `fix --plan` treats a fix for a resource the plan
//! creates as safe, and writes a migration instead of an edit for one that already exists
//! when the fix would replace it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::syntax::json::Json;

/// Resource instances by address: created by the plan, or already there (with their `name`).
#[derive(Debug, Default)]
pub struct Deployed {
    pub created: HashSet<String>,
    pub existing: HashMap<String, Option<String>>,
}

/// Reads a plan (`terraform show -json plan`) or a state (`terraform show -json`, or a
/// `.tfstate` file), at most `max` bytes.
pub fn read(path: &Path, max: u64) -> Result<Deployed, String> {
    use std::io::Read as _;
    let shown = path.display();
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        // Opening a FIFO waits for a writer; without blocking, it is refused below instead.
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open.open(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    // What was opened, not what the name pointed at a moment before: a FIFO or a device is
    // refused, and no more than `max` bytes are read whatever the file grows to.
    if !file.metadata().map_err(|e| format!("cannot read {shown}: {e}"))?.is_file() {
        return Err(format!("{shown} is not a regular file"));
    }
    let mut text = String::new();
    file.take(max + 1).read_to_string(&mut text).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if text.len() as u64 > max {
        return Err(format!("{shown} is larger than {max} bytes"));
    }
    let json = crate::syntax::json::parse(&text, crate::syntax::source::FileId(0))
        .map_err(|e| format!("{shown} is not JSON: {}", e.message))?;
    let mut d = Deployed::default();
    if let Some(changes) = json.get("resource_changes") {
        for rc in changes.items() {
            let Some(address) = rc.get("address").and_then(Json::as_str) else { continue };
            let change = rc.get("change");
            let actions: Vec<&str> = change
                .and_then(|c| c.get("actions"))
                .map(|a| a.items().iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            let name = change.and_then(|c| c.get("before")).and_then(|b| b.get("name")).and_then(Json::as_str);
            if actions == ["create"] {
                d.created.insert(address.to_string());
            } else if !actions.is_empty() {
                d.existing.insert(address.to_string(), name.map(str::to_string));
            }
        }
    }
    // A state: `terraform show -json` (values.root_module) or a .tfstate (resources[].instances).
    if let Some(root) = json.get("values").and_then(|v| v.get("root_module")) {
        module_resources(root, &mut d, 0);
    }
    if let Some(resources) = json.get("resources") {
        for r in resources.items() {
            let (Some(ty), Some(name)) = (r.get("type").and_then(Json::as_str), r.get("name").and_then(Json::as_str))
            else {
                continue;
            };
            if r.get("mode").and_then(Json::as_str) == Some("data") {
                continue;
            }
            let module = r.get("module").and_then(Json::as_str).map(|m| format!("{m}.")).unwrap_or_default();
            for i in r.get("instances").map(Json::items).unwrap_or(&[]) {
                let key = match i.get("index_key") {
                    Some(k) => match k.as_str() {
                        Some(s) => format!("[{}]", serde_json::to_string(s).unwrap_or_default()),
                        // A count index: Terraform writes `[0]`, whatever the JSON number's form.
                        None => match k.to_serde().as_f64() {
                            Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("[{}]", n as i64),
                            _ => format!("[{}]", k.to_serde()),
                        },
                    },
                    None => String::new(),
                };
                let repo = i.get("attributes").and_then(|a| a.get("name")).and_then(Json::as_str);
                d.existing.insert(format!("{module}{ty}.{name}{key}"), repo.map(str::to_string));
            }
        }
    }
    if d.created.is_empty() && d.existing.is_empty() && json.get("format_version").is_none() {
        return Err(format!("{shown} is neither a plan nor a state"));
    }
    Ok(d)
}

fn module_resources(m: &Json, d: &mut Deployed, depth: usize) {
    if depth > 64 {
        return;
    }
    for r in m.get("resources").map(Json::items).unwrap_or(&[]) {
        if r.get("mode").and_then(Json::as_str) == Some("data") {
            continue;
        }
        if let Some(address) = r.get("address").and_then(Json::as_str) {
            let name = r.get("values").and_then(|v| v.get("name")).and_then(Json::as_str);
            d.existing.insert(address.to_string(), name.map(str::to_string));
        }
    }
    for c in m.get("child_modules").map(Json::items).unwrap_or(&[]) {
        module_resources(c, d, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, text: &str) -> Result<Deployed, String> {
        let p = std::env::temp_dir().join(format!("tfcheck-deployed-{}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        let d = read(&p, 1 << 20);
        let _ = std::fs::remove_file(&p);
        d
    }

    #[test]
    fn plans_say_what_they_create_and_what_exists() {
        let d = read_text(
            "plan.json",
            r#"{"format_version": "1.2", "resource_changes": [
              {"address": "aws_ecr_repository.a", "change": {"actions": ["create"], "before": null}},
              {"address": "aws_ecr_repository.b", "change": {"actions": ["no-op"], "before": {"name": "b"}}},
              {"address": "module.m.aws_ecr_repository.c[\"x\"]", "change": {"actions": ["delete", "create"], "before": {"name": "c/x"}}}
            ]}"#,
        )
        .unwrap();
        assert!(d.created.contains("aws_ecr_repository.a") && d.created.len() == 1);
        assert_eq!(d.existing.get("aws_ecr_repository.b"), Some(&Some("b".to_string())));
        assert_eq!(d.existing.get("module.m.aws_ecr_repository.c[\"x\"]"), Some(&Some("c/x".to_string())));
    }

    #[test]
    fn states_say_what_exists_in_either_form() {
        let shown = read_text(
            "show.json",
            r#"{"format_version": "1.0", "values": {"root_module": {
              "resources": [{"address": "aws_ecr_repository.a", "mode": "managed", "values": {"name": "a"}}],
              "child_modules": [{"resources": [{"address": "module.m.aws_ecr_repository.b", "mode": "managed", "values": {"name": "b"}}]}]
            }}}"#,
        )
        .unwrap();
        assert_eq!(shown.existing.len(), 2);
        assert_eq!(shown.existing.get("module.m.aws_ecr_repository.b"), Some(&Some("b".to_string())));
        let tfstate = read_text(
            "terraform.tfstate",
            r#"{"version": 4, "resources": [
              {"mode": "managed", "type": "aws_ecr_repository", "name": "r", "module": "module.m",
               "instances": [{"index_key": "k", "attributes": {"name": "team/r"}}, {"index_key": 0, "attributes": {"name": "z"}}]},
              {"mode": "data", "type": "aws_kms_key", "name": "d", "instances": [{"attributes": {}}]}
            ]}"#,
        )
        .unwrap();
        assert_eq!(tfstate.existing.get("module.m.aws_ecr_repository.r[\"k\"]"), Some(&Some("team/r".to_string())));
        assert!(tfstate.existing.contains_key("module.m.aws_ecr_repository.r[0]"));
        assert_eq!(tfstate.existing.len(), 2);
        assert!(read_text("other.json", r#"{"something": "else"}"#).is_err());
    }
}
