//! A resource instance as the rules see it, whether it came from HCL or from a plan: its
//! address, its value, and the source span of each attribute and block inside it.

use crate::eval::module::ModuleStep;
use crate::hcl::ast::Body;
use crate::source::Span;
use crate::value::Value;

pub struct ResourceInstance {
    pub rtype: String,
    pub address: String,
    pub module_path: Vec<ModuleStep>,
    pub value: Value,
    /// Attribute and block paths (`encryption_configuration[0].kms_key`) to their spans.
    pub spans: Vec<(String, Span)>,
    /// Where a finding on the instance as a whole points (the resource block header, or the
    /// instance's entry in a plan).
    pub header_span: Span,
    /// The whole resource block, when there is one in the source.
    pub block_span: Option<Span>,
    /// Added to the messages of findings on this instance (a plan replacing it).
    pub note: Option<String>,
    /// A plan's actions for the instance (`["delete", "create"]`); `None` for HCL.
    pub actions: Option<Vec<String>>,
    /// A limit of tfcheck's cut the reading of the instance short: findings on it may be
    /// missing, which the scan reports as an error. (HCL evaluation reports its own.)
    pub limit: Option<crate::eval::expr::EvalError>,
}

impl ResourceInstance {
    /// A plan only deletes it: most rules have nothing to say about it.
    pub fn only_deleted(&self) -> bool {
        self.actions.as_deref().is_some_and(|a| a.iter().all(|x| x == "delete"))
    }
}

impl ResourceInstance {
    /// The span of `path`, or of its nearest ancestor that exists (the header last).
    pub fn span_of(&self, path: &str) -> Span {
        let mut p = path.to_string();
        loop {
            if let Some((_, s)) = self.spans.iter().find(|(x, _)| *x == p) {
                return *s;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return self.header_span,
            }
        }
    }
}

/// Spans of a block body read from its syntax alone (for plan findings mapped back to the
/// `.tf` source): attributes, and static nested blocks by index. A `dynamic` block stands for
/// all the blocks it generates.
pub fn syntactic_spans(body: &Body, path: &str, out: &mut Vec<(String, Span)>) {
    let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    for a in &body.attributes {
        out.push((join(&a.name), a.span));
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for b in &body.blocks {
        if b.ty == "dynamic" {
            if let Some(label) = b.labels.first() {
                out.push((join(label), b.header_span));
            }
            continue;
        }
        let i = match counts.iter_mut().find(|(t, _)| *t == b.ty) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                counts.push((&b.ty, 1));
                0
            }
        };
        let p = format!("{}[{i}]", join(&b.ty));
        out.push((p.clone(), b.header_span));
        syntactic_spans(&b.body, &p, out);
    }
}
