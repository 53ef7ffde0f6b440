//! The evaluation budget: how many steps one argument and one root module may take, and the
//! log of tfcheck's limits hit. Owned by one evaluation (a root module, a rule on an
//! instance) and reached through its [`Env`](super::expr::Env): two scans, or two roots on
//! one thread, never share it.

use std::cell::{Cell, RefCell};

use super::error::{EResult, EvalError};
use crate::syntax::source::Span;
use crate::terraform::value::{MAX_WEIGHT, Value};

/// Most evaluation steps one argument may take, and one root module: nested `for`
/// expressions over large ranges must end in an error, not a hang, and one heavy argument
/// must not starve the others of the root's budget. A step is one expression evaluated, or
/// one unit of [`Value::weight`] a function, comparison or conversion walks or builds.
pub const ARGUMENT_BUDGET: u64 = 1_000_000;
pub const ROOT_BUDGET: u64 = 5_000_000;
/// Once the root's budget is spent, each argument still gets this many steps from a reserve
/// of [`GRACE_BUDGET`]: the simple arguments rules decide on (`kms_key = aws_kms_key.k.arn`)
/// are still evaluated after heavy ones used up the budget (which is reported as an error).
pub const GRACE_ARGUMENT_BUDGET: u64 = 1_000;
pub const GRACE_BUDGET: u64 = 1_000_000;

#[derive(Clone, Copy, Default)]
struct Steps {
    argument: u64,
    root: u64,
}

/// One evaluation's budget and limit log.
#[derive(Default)]
pub struct Budget {
    steps: Cell<Steps>,
    /// Limits hit so far: whoever drops an error (an unknown value, a memo read again) can
    /// still ask whether a limit cut its evaluation short.
    limits: RefCell<Vec<EvalError>>,
}

impl Budget {
    /// Starts a new budget for one argument, within the root's.
    pub fn argument(&self) {
        self.steps.set(Steps { argument: 0, root: self.steps.get().root });
    }

    /// Spends `n` steps; fails with a (recorded) limit error when the argument's or the
    /// root's budget is spent.
    pub fn spend(&self, n: u64, span: Span) -> EResult<()> {
        let old = self.steps.get();
        let s = Steps { argument: old.argument.saturating_add(n), root: old.root.saturating_add(n) };
        let message = if s.root > ROOT_BUDGET + GRACE_BUDGET {
            format!(
                "tfcheck's evaluation budget for a root module ({ROOT_BUDGET} steps, then {GRACE_BUDGET} in reserve) is spent"
            )
        } else if s.root > ROOT_BUDGET && s.argument > GRACE_ARGUMENT_BUDGET {
            format!(
                "tfcheck's evaluation budget for a root module ({ROOT_BUDGET} steps) is spent, and this argument took more than the {GRACE_ARGUMENT_BUDGET} steps left to each argument"
            )
        } else if s.argument > ARGUMENT_BUDGET {
            format!("tfcheck's evaluation budget of {ARGUMENT_BUDGET} steps for one argument is spent")
        } else {
            self.steps.set(s);
            return Ok(());
        };
        // Steps refused are not taken: a failing argument does not eat the reserve of the others.
        Err(self.record(EvalError::limit(message, span)))
    }

    /// Fails when a value is heavier than tfcheck walks ([`MAX_WEIGHT`]).
    pub fn check_weight(&self, v: &Value, span: Span) -> EResult<()> {
        if v.weight() > MAX_WEIGHT {
            Err(self.record(EvalError::limit(
                format!(
                    "the value is larger than tfcheck's limit of {MAX_WEIGHT} elements (shared parts counted each time they appear, strings by 16 bytes)"
                ),
                span,
            )))
        } else {
            Ok(())
        }
    }

    /// Notes a limit error (others pass through); returns it. Repeats of the last one add
    /// nothing, so an error noted at every level it passes keeps the log small.
    pub fn record(&self, e: EvalError) -> EvalError {
        if e.is_limit() {
            let mut l = self.limits.borrow_mut();
            if l.last().is_none_or(|x| x.message != e.message || x.span != e.span) {
                l.push(e.clone());
            }
        }
        e
    }

    /// Notes a limit error that is about to be dropped or stored.
    pub fn note(&self, e: &EvalError) {
        if e.is_limit() {
            self.record(e.clone());
        }
    }

    /// A position in the limit log, to ask later whether a limit was hit since.
    pub fn mark(&self) -> usize {
        self.limits.borrow().len()
    }

    /// The first limit hit since `mark`, if any.
    pub fn since(&self, mark: usize) -> Option<EvalError> {
        let l = self.limits.borrow();
        l.get(mark.min(l.len())..).and_then(|rest| rest.first().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::source::FileId;

    #[test]
    fn two_budgets_do_not_share_steps_or_limits() {
        let span = Span::new(FileId(0), 0, 1);
        let (a, b) = (Budget::default(), Budget::default());
        assert!(a.spend(ARGUMENT_BUDGET, span).is_ok());
        let e = a.spend(1, span).unwrap_err();
        assert!(e.is_limit() && a.since(0).is_some());
        // The other evaluation (another root on the same thread) still has its budget.
        assert!(b.spend(ARGUMENT_BUDGET, span).is_ok() && b.since(0).is_none());
        // A new argument starts from zero, within what the root has left.
        a.argument();
        assert!(a.spend(ARGUMENT_BUDGET, span).is_ok());
        assert_eq!(a.mark(), 1);
    }
}
