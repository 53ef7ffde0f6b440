//! Checking: runs the selected rules on resource instances, whatever input they came from,
//! and turns failed checks into findings (with where the deciding value was set).

use std::collections::HashMap;
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::finding::Finding;
use crate::rules::Rule;
use crate::rules::engine::{self, Outcome, RuleContext};
use crate::rules::model::Input;
use crate::syntax::source::SourceMap;
use crate::terraform::instance::ResourceInstance;

/// A rule that checked an instance and found nothing wrong.
#[derive(Clone, Debug)]
pub struct Pass {
    pub rule: String,
    pub address: String,
    pub span: crate::syntax::source::Span,
}

/// What checking some instances gave.
#[derive(Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub passes: Vec<Pass>,
    pub resources: usize,
}

impl Checked {
    pub fn extend(&mut self, other: Checked) {
        self.findings.extend(other.findings);
        self.passes.extend(other.passes);
        self.resources += other.resources;
    }
}

/// Runs the rules; shared by the threads that check root modules.
pub struct Checker<'a> {
    pub rules: &'a [Arc<Rule>],
    pub diags: &'a Diagnostics,
    pub sources: &'a SourceMap,
}

impl Checker<'_> {
    /// Resource types some rule checks or reads.
    pub fn wanted(&self, rtype: &str) -> bool {
        self.rules.iter().any(|r| r.reads(rtype))
    }

    /// Runs the rules on a whole configuration's instances (rules may read the others).
    pub fn check_instances(&self, instances: &[ResourceInstance], root: &str, input: Input) -> Checked {
        let mut by_type: HashMap<&str, Vec<&ResourceInstance>> = HashMap::new();
        for inst in instances.iter().filter(|i| !i.only_deleted()) {
            by_type.entry(inst.rtype.as_str()).or_default().push(inst);
        }
        let cx = RuleContext::new(&by_type);
        let mut out = Checked::default();
        for inst in instances {
            if self.rules.iter().any(|r| r.applies_to(&inst.rtype)) {
                self.check_instance(inst, root, input, &cx, &mut out);
            }
        }
        out
    }

    /// Runs the rules that apply to one instance.
    fn check_instance(&self, inst: &ResourceInstance, root: &str, input: Input, cx: &RuleContext, out: &mut Checked) {
        out.resources += 1;
        if let Some(e) = &inst.limit {
            let m = format!("{} was not fully read, so findings on it may be missing: {}", inst.address, e);
            self.diags.push(Diagnostic::error(Code::Limit, m, inst.header_span));
        }
        let rules = self.rules.iter().filter(|r| {
            r.applies_to(&inst.rtype) && r.inputs.contains(&input) && (r.include_deleted || !inst.only_deleted())
        });
        for rule in rules {
            match engine::run(rule, inst, cx) {
                Outcome::Pass => out.passes.push(Pass {
                    rule: rule.id.clone(),
                    address: inst.address.clone(),
                    span: inst.header_span,
                }),
                Outcome::Undecided => {}
                Outcome::Fail { check, span, message, origin, fault } => {
                    let mut message = match origin.as_ref().filter(|o| !o.label.is_empty()) {
                        Some(o) => match o.span {
                            Some(s) => {
                                // "set in terraform.tfvars at terraform.tfvars:3" says the file twice.
                                let at = self.sources.short(s);
                                let file = &self.sources.get(s.file).display;
                                match o.label.strip_suffix(file.as_str()).filter(|h| h.ends_with("in ")) {
                                    Some(head) => format!("{message} ({head}{at})"),
                                    None => format!("{message} ({} at {at})", o.label),
                                }
                            }
                            None => format!("{message} ({})", o.label),
                        },
                        None => message,
                    };
                    if let Some(note) = inst.note.as_deref().filter(|_| !rule.include_deleted) {
                        // Rules about the plan's actions say it themselves.
                        message.push_str(note);
                    }
                    out.findings.push(Finding {
                        rule: rule.clone(),
                        check,
                        fault,
                        address: inst.address.clone(),
                        span,
                        resource_span: inst.header_span,
                        block_span: inst.block_span,
                        message,
                        origin,
                        module_path: inst.module_path.clone(),
                        root: root.to_string(),
                        suppressed: None,
                        baselined: false,
                    })
                }
                Outcome::Error(e) => {
                    let m = format!("rule {} could not be evaluated on {}: {}", rule.id, inst.address, e.message);
                    // A limit of tfcheck's, not a problem of the input: fail closed.
                    self.diags.push(if e.is_limit() {
                        Diagnostic::error(Code::Limit, m, inst.header_span)
                    } else {
                        Diagnostic::warning(Code::Rule, m, inst.header_span)
                    })
                }
            }
        }
    }
}
