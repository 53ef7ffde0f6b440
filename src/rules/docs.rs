//! A rule's documentation, from the rule file alone: the page under `docs/rules/`, the SARIF
//! `help.markdown`, and what `tfcheck explain` prints are all this text.

use std::fmt::Write as _;

use super::model::{Input, Rule};

/// The rule's documentation page, in Markdown.
pub fn page(rule: &Rule) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}: {}\n", rule.id, rule.title);
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| Severity | {} |", rule.severity);
    let _ = writeln!(
        md,
        "| Resources | {} |",
        rule.resource_types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
    );
    let names: Vec<&str> = rule
        .inputs
        .iter()
        .map(|i| match i {
            Input::Hcl => "Terraform configuration",
            Input::Plan => "plans",
            Input::State => "state",
        })
        .collect();
    let inputs = match names.as_slice() {
        [one] => format!("{one} only"),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let _ = writeln!(md, "| Applies to | {inputs} |");
    if !rule.aliases.is_empty() {
        let _ = writeln!(
            md,
            "| Also known as | {} |",
            rule.aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        );
    }
    for (framework, controls) in &rule.compliance {
        let _ = writeln!(md, "| {framework} | {} |", controls.join(", "));
    }
    let _ = writeln!(md, "\n## Why it matters\n\n{}\n", rule.description);
    let _ = writeln!(md, "## How to fix it\n\n{}\n", rule.remediation);
    for (label, good) in [("Insecure", false), ("Secure", true)] {
        let examples: Vec<_> = rule.examples.iter().filter(|e| e.good == good && e.config.is_some()).collect();
        if examples.is_empty() {
            continue;
        }
        let _ = writeln!(md, "## {label} example{}\n", if examples.len() > 1 { "s" } else { "" });
        for e in examples {
            if !good {
                let _ = writeln!(
                    md,
                    "Reported: {}.\n",
                    e.expect.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                );
            }
            let _ = writeln!(md, "```hcl\n{}\n```\n", e.config.as_deref().unwrap_or("").trim_end());
        }
    }
    let plans: Vec<_> = rule.examples.iter().filter(|e| e.config.is_none() && e.plan.is_some()).collect();
    if !plans.is_empty() {
        let _ = writeln!(md, "## Plan examples\n");
        for e in plans {
            let _ = writeln!(
                md,
                "- `rules/{}` ({}){}",
                e.plan.as_deref().unwrap_or(""),
                if e.good { "no finding" } else { "reported" },
                if e.good {
                    String::new()
                } else {
                    format!(": {}", e.expect.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "))
                }
            );
        }
        md.push('\n');
    }
    if !rule.references.is_empty() {
        let _ = writeln!(md, "## References\n");
        for r in &rule.references {
            let _ = writeln!(md, "- <{r}>");
        }
        md.push('\n');
    }
    let _ = writeln!(md, "To suppress it on one resource: `# tfcheck:ignore:{} <reason>` above the block.", rule.id);
    md
}

/// The index page of `docs/rules/`.
pub fn index(rules: &[&Rule]) -> String {
    let mut md = String::from(
        "# Rules\n\nGenerated from `rules/*.hcl` by `tfcheck rules --write-docs docs/rules`; do not edit.\n\n",
    );
    md.push_str("| Rule | Severity | What it finds |\n|---|---|---|\n");
    for r in rules {
        let _ = writeln!(md, "| [`{}`]({}.md) | {} | {} |", r.id, r.id, r.severity, r.title);
    }
    md
}

/// Every generated file: (file name, contents).
pub fn all(rules: &[&Rule]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = rules.iter().map(|r| (format!("{}.md", r.id), page(r))).collect();
    out.push(("README.md".to_string(), index(rules)));
    out
}
