//! The rule catalogue as text: the `tfcheck rules` list (text or JSON), a rule's page for
//! `explain`, and the documentation pages. Rules from a rule directory are input: escaped.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::escape::line;
use crate::rules::{Input, Rule, docs};

/// `tfcheck rules`: one line per rule (columns fit the longest id), or a JSON array.
pub fn rule_list(rules: &[Arc<Rule>], json: bool) -> String {
    if !json {
        let ids: Vec<_> = rules.iter().map(|r| line(&r.id)).collect();
        let width = ids.iter().map(|i| i.chars().count()).max().unwrap_or(0);
        // Grouped by family, families by name, rules in their order of definition.
        let mut families: Vec<&str> = rules.iter().map(|r| r.family.as_str()).collect();
        families.sort_unstable();
        families.dedup();
        let mut s = String::new();
        for family in families {
            let members: Vec<_> = rules.iter().zip(&ids).filter(|(r, _)| r.family == family).collect();
            let n = members.len();
            s.push_str(&format!("{} ({n} rule{})\n", line(family), if n == 1 { "" } else { "s" }));
            for (r, id) in members {
                let severity = r.severity.to_string();
                s.push_str(&format!("  {id:<width$}  {severity:<8}  {}\n", line(&r.title)));
            }
        }
        return s;
    }
    let list: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let inputs: Vec<&str> = r
                .inputs
                .iter()
                .map(|i| match i {
                    Input::Hcl => "hcl",
                    Input::Plan => "plan",
                    Input::State => "state",
                })
                .collect();
            let compliance: BTreeMap<_, _> = r.compliance.iter().map(|(f, c)| (f.clone(), c.clone())).collect();
            serde_json::json!({
                "id": r.id, "title": r.title, "severity": r.severity, "resource_types": r.resource_types,
                "aliases": r.aliases, "tags": r.tags, "family": r.family, "references": r.references, "builtin": r.builtin,
                "compliance": compliance, "inputs": inputs,
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
}

/// A rule's documentation page (Markdown), as `explain` prints it.
pub fn rule_page(rule: &Rule) -> String {
    docs::page(rule)
}

/// Every rule's page and an index: (file name, Markdown).
pub fn rule_pages(rules: &[Arc<Rule>]) -> Vec<(String, String)> {
    let refs: Vec<&Rule> = rules.iter().map(|r| &**r).collect();
    docs::all(&refs)
}
