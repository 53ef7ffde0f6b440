//! The one finding type every renderer reads.

use std::sync::Arc;

use crate::rules::{Rule, Severity};
use crate::syntax::source::Span;
use crate::terraform::addr::ModuleStep;
use crate::terraform::value::Origin;

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Arc<Rule>,
    /// Which of the rule's checks failed (its index): what `fix` repairs.
    pub check: usize,
    /// The value at fault as an HCL literal (`"AES256"`), when it was written where `origin`
    /// says: `fix` changes it there only when it is still that value.
    pub fault: Option<String>,
    /// Terraform address of the failing instance (`module.a.aws_ecr_repository.r["x"]`).
    pub address: String,
    /// What the finding points at: the attribute or block at fault, or the resource.
    pub span: Span,
    /// The header of the resource block (`resource "aws_ecr_repository" "x" {`).
    pub resource_span: Span,
    /// The whole resource block, when the source has one (`checkov:skip` may be anywhere in it).
    pub block_span: Option<Span>,
    pub message: String,
    /// Where the deciding value was written (a variable default, a module argument).
    pub origin: Option<Arc<Origin>>,
    /// Module calls from the root to the resource.
    pub module_path: Vec<ModuleStep>,
    /// Directory of the root module the instance was evaluated from.
    pub root: String,
    pub suppressed: Option<Suppression>,
    /// In the `--baseline`: known before, so not reported as new.
    pub baselined: bool,
}

impl Finding {
    /// Counts against `--fail-on` and is shown: neither suppressed nor in the baseline.
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none() && !self.baselined
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment (or configuration entry) that suppresses the finding.
    pub span: Span,
    pub reason: Option<String>,
    pub tool: Tool,
    pub expires: Option<jiff::civil::Date>,
}

/// Who wrote the ignore that suppresses a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Tfcheck,
    Tfsec,
    Trivy,
    Checkov,
    /// An `ignore` block of the configuration file.
    Config,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Tfcheck => "tfcheck",
            Tool::Tfsec => "tfsec",
            Tool::Trivy => "trivy",
            Tool::Checkov => "checkov",
            Tool::Config => "config",
        }
    }
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }
}

/// An expiry date `YYYY-MM-DD` (what follows it, a reason, is not part of it); `None` for
/// anything that is not a real calendar date.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let mut it = s.splitn(3, '-');
    let year: i16 = it.next()?.parse().ok()?;
    let month: i8 = it.next()?.parse().ok()?;
    let day: i8 = it.next()?.get(..2)?.parse().ok()?;
    jiff::civil::Date::new(year, month, day).ok()
}
