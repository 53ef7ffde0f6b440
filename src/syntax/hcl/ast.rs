//! Syntax tree shared by HCL native syntax and Terraform's JSON syntax, with byte spans.

use std::sync::{Arc, OnceLock};

use crate::syntax::source::{FileId, Span};

/// A name in the syntax tree (an attribute, a block type or label, a variable, a function):
/// shared, not copied. The parser interns names per thread, so the `var`, `each` and `name`
/// of a whole repository are one allocation each.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(intern(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(intern(&s))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0.to_string()
    }
}

/// Names seen on this thread; bounded, so a hostile file of a million distinct names costs
/// what its names cost, not more.
fn intern(s: &str) -> Arc<str> {
    const MAX_INTERNED: usize = 1 << 16;
    thread_local! {
        static NAMES: std::cell::RefCell<std::collections::HashSet<Arc<str>, foldhash::fast::RandomState>> = Default::default();
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(n) = names.get(s) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(s);
        if names.len() < MAX_INTERNED {
            names.insert(n.clone());
        }
        n
    })
}

/// The contents of a file or of a block: attributes and nested blocks, in source order.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    /// Drops the spare capacity a parser's vectors grew: trees of a whole repository are
    /// held until every root module is evaluated.
    pub fn shrink(&mut self) {
        self.attributes.shrink_to_fit();
        self.blocks.shrink_to_fit();
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn blocks_of<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ty == ty)
    }
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: Name,
    pub name_span: Span,
    pub expr: Expr,
    /// From the name to the end of the expression.
    pub span: Span,
}

/// An attribute of a block's body, shared with it rather than copied: the module model
/// points into the trees (which are kept anyway) instead of holding a second copy of every
/// local, output and module argument. Reading it parses a deferred body.
#[derive(Clone, Debug)]
pub struct AttrRef {
    body: BlockBody,
    index: usize,
}

impl AttrRef {
    /// The `index`th attribute of `body`.
    pub fn new(body: &BlockBody, index: usize) -> Option<AttrRef> {
        (index < body.attribute_names().len()).then(|| AttrRef { body: body.clone(), index })
    }

    /// The attribute named `name` in `body`.
    pub fn named(body: &BlockBody, name: &str) -> Option<AttrRef> {
        AttrRef::new(body, body.attribute_names().iter().position(|(n, _)| n == name)?)
    }
}

impl std::ops::Deref for AttrRef {
    type Target = Attribute;

    fn deref(&self) -> &Attribute {
        &self.body.attributes[self.index]
    }
}

#[derive(Clone, Debug)]
pub struct Block {
    pub ty: Name,
    pub ty_span: Span,
    pub labels: Vec<Name>,
    pub label_spans: Vec<Span>,
    pub body: BlockBody,
    /// From the type keyword to the closing brace.
    pub span: Span,
    /// From the type keyword to the opening brace: what a finding on the block points at.
    pub header_span: Span,
}

/// A block's body: parsed, or deferred. A deferred body keeps where its block is in its
/// file (and what was asked to be kept) and is parsed again on first use: the bodies of a
/// whole repository are held until every root module is evaluated, and most are never
/// looked at. Clones share the parse.
#[derive(Clone)]
pub enum BlockBody {
    Parsed(Arc<Body>),
    Deferred(Arc<Deferred>),
}

/// A body not parsed yet: what parses it again (the file's text, the block's first byte, the
/// parser) and what can be read without parsing it.
pub struct Deferred {
    pub text: Arc<str>,
    pub file: FileId,
    pub start: u32,
    /// Attributes kept parsed, read without parsing the body (see [`BlockBody::kept`]).
    pub kept: Vec<Attribute>,
    /// The names and spans of all attributes, in order, when asked to be kept (see
    /// [`BlockBody::attribute_names`]).
    pub names: Option<Vec<(Name, Span)>>,
    /// Parses the block at `start` again; only bodies whose file parsed without an error are
    /// deferred, so this gives the same body.
    pub reparse: fn(&str, FileId, usize) -> Option<Body>,
    pub parsed: OnceLock<Arc<Body>>,
}

impl BlockBody {
    /// Whether the body is parsed (deferred bodies are, once used).
    pub fn is_parsed(&self) -> bool {
        match self {
            BlockBody::Parsed(_) => true,
            BlockBody::Deferred(d) => d.parsed.get().is_some(),
        }
    }

    /// An attribute without parsing a deferred body: one of those kept when it was deferred.
    pub fn kept(&self, name: &str) -> Option<&Attribute> {
        match self {
            BlockBody::Deferred(d) if d.parsed.get().is_none() => d.kept.iter().find(|a| a.name == name),
            _ => self.attribute(name),
        }
    }

    /// The names and spans of the attributes, in order (parsing a deferred body that did not
    /// keep them).
    pub fn attribute_names(&self) -> std::borrow::Cow<'_, [(Name, Span)]> {
        match self {
            BlockBody::Deferred(d) if d.parsed.get().is_none() && d.names.is_some() => {
                std::borrow::Cow::Borrowed(d.names.as_deref().unwrap_or_default())
            }
            _ => self.attributes.iter().map(|a| (a.name.clone(), a.span)).collect(),
        }
    }

    /// The body, parsed if deferred, owned.
    pub fn into_body(self) -> Body {
        let body = Arc::clone(&self);
        drop(self);
        Arc::unwrap_or_clone(body)
    }

    /// The body to change (parsed first if deferred).
    pub fn make_mut(&mut self) -> &mut Body {
        if let BlockBody::Deferred(_) = self {
            *self = BlockBody::Parsed(Arc::clone(self));
        }
        match self {
            BlockBody::Parsed(body) => Arc::make_mut(body),
            BlockBody::Deferred(_) => unreachable!("made parsed above"),
        }
    }
}

/// Shows the body, parsing a deferred one: a tree prints the same deferred or not.
impl std::fmt::Debug for BlockBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&***self, f)
    }
}

impl From<Body> for BlockBody {
    fn from(body: Body) -> BlockBody {
        BlockBody::Parsed(Arc::new(body))
    }
}

impl std::ops::Deref for BlockBody {
    type Target = Arc<Body>;

    fn deref(&self) -> &Arc<Body> {
        match self {
            BlockBody::Parsed(body) => body,
            BlockBody::Deferred(d) => d.parsed.get_or_init(|| {
                // The text and the parser are the ones that parsed it without error the first time.
                let body = (d.reparse)(&d.text, d.file, d.start as usize);
                Arc::new(body.expect("a deferred body parses again"))
            }),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string without interpolations (most strings): shared with the values made from it.
    Str(Arc<str>),
    /// A string or heredoc. A template that is only `${expr}` yields expr's value unchanged.
    Template(Vec<TemplatePart>),
    /// A root name: `var`, `local`, `aws_kms_key`, a `for` variable...
    Variable(Name),
    Tuple(Vec<Expr>),
    Object(Vec<ObjectItem>),
    GetAttr(Box<Expr>, Name),
    Index(Box<Expr>, Box<Expr>),
    /// `source[*].each` or `source.*.each`; `each` is evaluated per element with
    /// [`ExprKind::SplatItem`] standing for the element.
    Splat(Box<Expr>, Box<Expr>),
    SplatItem,
    Call(Box<Call>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    Parens(Box<Expr>),
}

#[derive(Clone, Debug)]
pub struct Call {
    /// May be namespaced: `provider::aws::arn_parse`.
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Expr>,
    /// `f(list...)`: the last argument is expanded into arguments.
    pub expand_final: bool,
}

#[derive(Clone, Debug)]
pub struct ObjectItem {
    pub key: ObjectKey,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub enum ObjectKey {
    /// A bare identifier (`name = ...`), taken literally.
    Ident(Name, Span),
    /// Any other expression (a string, `(var.x)`, ...).
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    /// Object `for` only: the key expression.
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value: group values with the same key into lists.
    pub grouping: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
        }
    }
}

#[derive(Clone, Debug)]
pub enum TemplatePart {
    Literal(String),
    Interp(Expr),
    If { cond: Box<Expr>, then: Vec<TemplatePart>, otherwise: Vec<TemplatePart> },
    For { key_var: Option<String>, value_var: String, collection: Box<Expr>, body: Vec<TemplatePart> },
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// A template, as the cheaper [`ExprKind::Str`] when it has no interpolation.
    pub fn template(parts: Vec<TemplatePart>, span: Span) -> Expr {
        match parts.as_slice() {
            [] => Expr::new(ExprKind::Str("".into()), span),
            [TemplatePart::Literal(s)] => Expr::new(ExprKind::Str(s.as_str().into()), span),
            _ => Expr::new(ExprKind::Template(parts), span),
        }
    }

    /// The literal string of a template with no interpolation.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            ExprKind::Template(parts) if parts.is_empty() => Some(""),
            ExprKind::Template(parts) => match parts.as_slice() {
                [TemplatePart::Literal(s)] => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// `a.b.c` as ["a", "b", "c"] when the expression is a plain attribute traversal.
    pub fn as_traversal(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Variable(v) => Some(vec![v.as_str()]),
            ExprKind::GetAttr(inner, name) => {
                let mut t = inner.as_traversal()?;
                t.push(name);
                Some(t)
            }
            _ => None,
        }
    }
}

/// A comment, kept for suppression comments (`# tfcheck:ignore:...`).
#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// A parsed file: its body, its comments, and the syntax errors found (parsing recovers at
/// the next top-level block, so `body` holds everything that parsed).
#[derive(Clone, Debug, Default)]
pub struct File {
    pub body: Body,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shared_and_compare_as_text() {
        let (a, b) = (Name::from("each"), Name::from(String::from("each")));
        assert!(Arc::ptr_eq(&a.0, &b.0), "interned once");
        let owned = String::from("each");
        assert!(a == "each" && a == *"each" && a == owned && a.as_str() == "each");
        assert_eq!(format!("{a} {a:?}"), "each \"each\"");
    }
}
