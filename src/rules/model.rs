//! What a rule is once loaded: metadata for people, checks for the engine, examples for tests.

use crate::syntax::hcl::ast::Expr;
use crate::syntax::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// GitHub's `security-severity` score (its bands: 9.0+ critical, 7.0+ high, 4.0+ medium).
    pub fn score(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub resource_types: Vec<String>,
    /// Ids other tools use for the same check (Checkov, Trivy/tfsec).
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// The family the rule belongs to (`cmk`, `ecr`): `tfcheck rules` groups by it, and
    /// `--rule <family>` selects all of it.
    pub family: String,
    pub references: Vec<String>,
    pub description: String,
    pub remediation: String,
    pub checks: Vec<Check>,
    /// Named expressions the checks share (`local.name`).
    pub locals: Vec<(String, Expr)>,
    /// Locals that do not depend on the instance (`resource`, `resource_type`, `change`),
    /// such as a look at the account's defaults over `resources(...)`: evaluated once per
    /// configuration, not once per instance.
    pub shared_locals: Vec<String>,
    pub examples: Vec<Example>,
    /// Which inputs the rule applies to (`hcl`, `plan`).
    pub inputs: Vec<Input>,
    /// Whether instances a plan only deletes are checked too.
    pub include_deleted: bool,
    /// Compliance frameworks and their controls: ("PCI DSS 4.0", ["3.5.1"]).
    pub compliance: Vec<(String, Vec<String>)>,
    /// Resource types the checks read with `resources("...")`.
    pub related_types: Vec<String>,
    /// Where the rule is defined (a file under `rules/`, or a user's rule directory).
    pub span: Span,
    pub builtin: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Hcl,
    Plan,
    /// Deployed resources, from a state.
    State,
}

impl Rule {
    /// Named by `name`: its id, or any alias (aliases ignore case: `ckv_aws_136`).
    pub fn is_named(&self, name: &str) -> bool {
        self.id == name || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// Chosen by a `--rule` / `--skip-rule` / `enable` / `disable` name: its id, an alias,
    /// or its family.
    pub fn selected_by(&self, name: &str) -> bool {
        self.is_named(name) || self.family == name
    }

    pub fn applies_to(&self, rtype: &str) -> bool {
        self.resource_types.iter().any(|t| t == rtype)
    }

    pub fn reads(&self, rtype: &str) -> bool {
        self.applies_to(rtype) || self.related_types.iter().any(|t| t == rtype)
    }
}

/// One condition of a rule; the first check that is false makes the finding.
#[derive(Clone, Debug)]
pub struct Check {
    pub condition: Expr,
    /// The attribute path the finding points at (`encryption_configuration[0].kms_key`);
    /// empty for the resource itself.
    pub at: String,
    pub at_expr: Expr,
    pub message: Expr,
    /// How `tfcheck fix` repairs this check's finding, when it can.
    pub fix: Option<Fix>,
}

/// A repair for a check: what the resource must hold, and whether applying it is safe.
#[derive(Clone, Debug)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does and, when it is unsafe, what it can break.
    pub note: String,
    /// Applying it to a resource that exists replaces the resource (`fix --plan` writes a
    /// migration instead).
    pub replaces: bool,
    /// Values the resource must hold, in order.
    pub set: Vec<FixValue>,
}

/// One value a fix sets: where below the resource, and its HCL source.
#[derive(Clone, Debug)]
pub struct FixValue {
    /// Nested block types, then the attribute: `["encryption_configuration", "kms_key"]`.
    pub path: Vec<String>,
    /// The value's source text; `key.arn` names the module's customer-managed KMS key.
    pub text: String,
    /// The value when it is a literal (`"KMS"`, `true`): what a variable default, a tfvars
    /// value or a module argument can be set to.
    pub literal: Option<Expr>,
}

impl FixValue {
    /// Whether the value names the module's customer-managed key.
    pub fn uses_key(&self) -> bool {
        self.literal.is_none()
    }
}

/// Whether a fix can break anything (`fix` applies safe fixes; `--unsafe-fixes` both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Cannot destroy or break anything (turning on key rotation).
    Safe,
    /// Forces a replacement, or can break a working pipeline.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Example {
    pub good: bool,
    /// Addresses the example must produce findings for (empty for good examples).
    pub expect: Vec<String>,
    /// The example as Terraform configuration.
    pub config: Option<String>,
    /// Other files of the configuration beside `main.tf` (modules it calls): (relative path,
    /// contents).
    pub files: Vec<(String, String)>,
    /// The example as a plan: a `terraform show -json` file, relative to the rule file.
    pub plan: Option<String>,
    pub span: Span,
}
