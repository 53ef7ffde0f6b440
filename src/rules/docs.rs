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
    let _ = writeln!(md, "| Family | `{}` (`--rule {}` runs the whole family) |", rule.family, rule.family);
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
    automatic_fix(&mut md, rule);
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
            for (path, text) in &e.files {
                let _ = writeln!(md, "`{path}`:\n\n```hcl\n{}\n```\n", text.trim_end());
            }
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

/// What `tfcheck fix` does for the rule: each distinct fix, its applicability and note.
fn automatic_fix(md: &mut String, rule: &Rule) {
    let _ = writeln!(md, "## Automatic fix\n");
    let mut fixes: Vec<(&super::model::Fix, usize)> = Vec::new();
    for f in rule.checks.iter().filter_map(|c| c.fix.as_ref()) {
        let same = |(g, _): &&mut (&super::model::Fix, usize)| {
            g.applicability == f.applicability
                && g.replaces == f.replaces
                && g.note == f.note
                && g.set.iter().map(|v| (&v.path, &v.text)).eq(f.set.iter().map(|v| (&v.path, &v.text)))
        };
        match fixes.iter_mut().find(same) {
            Some(entry) => entry.1 += 1,
            None => fixes.push((f, 1)),
        }
    }
    if fixes.is_empty() {
        let _ = writeln!(md, "None: `tfcheck fix` leaves this rule's findings to you.\n");
        return;
    }
    let _ = writeln!(
        md,
        "`tfcheck fix` applies safe fixes; `tfcheck fix --unsafe-fixes` applies the unsafe ones too. \
         Where a variable default, a tfvars value or a module argument decided the finding, the \
         value is changed there.\n"
    );
    let checks = rule.checks.len();
    for (f, n) in &fixes {
        let set: Vec<String> = f.set.iter().map(|v| format!("`{} = {}`", v.path.join("."), v.text)).collect();
        let of = if *n == checks { String::new() } else { format!(" ({n} of the rule's {checks} checks)") };
        let replaces = if f.replaces {
            " With `--plan`, a resource the plan creates gets this fix as safe; one that already exists \
             gets a migration (`tfcheck migrate`) instead of an edit."
        } else {
            ""
        };
        let _ = writeln!(md, "- **{}**{of}: sets {}. {}{replaces}", f.applicability.as_str(), set.join(", "), f.note);
    }
    if fixes.iter().any(|(f, _)| f.set.iter().any(|v| v.uses_key())) {
        let _ = writeln!(
            md,
            "\n`key.arn` is the module's customer-managed key: its one `aws_kms_key` (or, without one, \
             its one `aws_kms_alias`); otherwise the fix adds an `aws_kms_key` with rotation on and an \
             `aws_kms_alias` to the module."
        );
    }
    md.push('\n');
}

/// The index page of `docs/rules/`.
pub fn index(rules: &[&Rule]) -> String {
    let mut md = String::from(
        "# Rules\n\nGenerated from `rules/*.hcl` by `tfcheck rules --write-docs docs/rules`; do not edit.\n\n",
    );
    let mut families: Vec<&str> = rules.iter().map(|r| r.family.as_str()).collect();
    families.sort_unstable();
    families.dedup();
    for family in families {
        let _ = writeln!(md, "## Family `{family}`\n\nRun it alone with `tfcheck --rule {family}`.\n");
        md.push_str("| Rule | Severity | What it finds |\n|---|---|---|\n");
        for r in rules.iter().filter(|r| r.family == family) {
            let _ = writeln!(md, "| [`{}`]({}.md) | {} | {} |", r.id, r.id, r.severity, r.title);
        }
        md.push('\n');
    }
    md
}

/// Every generated file: (file name, contents).
pub fn all(rules: &[&Rule]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = rules.iter().map(|r| (format!("{}.md", r.id), page(r))).collect();
    out.push(("README.md".to_string(), index(rules)));
    out
}
