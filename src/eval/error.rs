//! Evaluation errors, typed: what Terraform would report too, or one of tfcheck's limits
//! (which fails the run closed); and whether it was already reported where it arose.

use crate::syntax::source::Span;

/// Why an evaluation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// What Terraform reports too: a type error, a failed function, an unknown name.
    Invalid,
    /// One of tfcheck's own limits stopped the evaluation: `try` and `can` do not catch it,
    /// and what it cuts short is reported as an error (the run fails closed).
    Limit,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub message: String,
    pub span: Span,
    pub cause: Cause,
    /// Already reported where it arose (a cycle, a failed local): whoever reads the stored
    /// result again does not report it again.
    pub reported: bool,
}

impl EvalError {
    pub fn new(message: impl Into<String>, span: Span) -> EvalError {
        EvalError { message: message.into(), span, cause: Cause::Invalid, reported: false }
    }

    /// A limit of tfcheck's was hit; `message` names it. The evaluation's [`Budget`] notes
    /// it where it passes ([`Scope::eval`], the module evaluator), so that it is reported
    /// even if something later drops the error.
    pub fn limit(message: impl Into<String>, span: Span) -> EvalError {
        EvalError { message: message.into(), span, cause: Cause::Limit, reported: false }
    }

    pub fn is_limit(&self) -> bool {
        self.cause == Cause::Limit
    }
}

pub type EResult<T> = Result<T, EvalError>;
