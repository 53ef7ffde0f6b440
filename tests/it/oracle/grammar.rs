//! The oracle's expression generator: random HCL expressions from a small grammar (literals,
//! collections, operators, conditionals, templates, `for`, splats, indexes and the built-in
//! functions with argument shapes each accepts), reproducible from a seed, and the one-step
//! shrinks that minimise a mismatch.

/// splitmix64: a seedable generator in ten lines; the suite needs reproducibility, not quality,
/// so no crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// An expression as a tree, so that a mismatch can be shrunk.
#[derive(Clone, Debug)]
pub enum Node {
    /// Rendered as written: literals and references.
    Atom(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
    Unary(&'static str, Box<Node>),
    Binary(&'static str, Box<Node>, Box<Node>),
    Cond(Box<Node>, Box<Node>, Box<Node>),
    /// A function call; `true` expands the last argument with `...`.
    Call(&'static str, Vec<Node>, bool),
    Index(Box<Node>, Box<Node>),
    Attr(Box<Node>, &'static str),
    /// `x[*].attr`
    Splat(Box<Node>, &'static str),
    /// `[for v in coll : body if cond]`
    ForList {
        var: String,
        coll: Box<Node>,
        body: Box<Node>,
        cond: Option<Box<Node>>,
    },
    /// `{for k, v in coll : key => val... if cond}`
    ForMap {
        k: String,
        v: String,
        coll: Box<Node>,
        key: Box<Node>,
        val: Box<Node>,
        group: bool,
        cond: Option<Box<Node>>,
    },
    /// `"text${a}%{if c}x%{else}y%{endif}"`
    Template(Vec<Part>),
}

#[derive(Clone, Debug)]
pub enum Part {
    Text(&'static str),
    Interp(Node),
    If(Node, &'static str, &'static str),
    For(String, Node, Node),
}

impl Node {
    pub fn render(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    fn write(&self, s: &mut String) {
        match self {
            Node::Atom(a) => s.push_str(a),
            Node::List(items) => {
                s.push('[');
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    n.write(s);
                }
                s.push(']');
            }
            Node::Object(items) => {
                s.push('{');
                for (i, (k, n)) in items.iter().enumerate() {
                    s.push_str(if i > 0 { ", " } else { " " });
                    s.push_str(k);
                    s.push_str(" = ");
                    n.write(s);
                }
                s.push_str(if items.is_empty() { "}" } else { " }" });
            }
            Node::Unary(op, a) => {
                s.push_str(op);
                a.write_operand(s);
            }
            Node::Binary(op, a, b) => {
                a.write_operand(s);
                s.push_str(&format!(" {op} "));
                b.write_operand(s);
            }
            Node::Cond(c, a, b) => {
                c.write_operand(s);
                s.push_str(" ? ");
                a.write_operand(s);
                s.push_str(" : ");
                b.write_operand(s);
            }
            Node::Call(name, args, expand) => {
                s.push_str(name);
                s.push('(');
                for (i, n) in args.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    n.write(s);
                }
                if *expand && !args.is_empty() {
                    s.push_str("...");
                }
                s.push(')');
            }
            Node::Index(a, i) => {
                a.write_operand(s);
                s.push('[');
                i.write(s);
                s.push(']');
            }
            Node::Attr(a, name) => {
                a.write_operand(s);
                s.push('.');
                s.push_str(name);
            }
            Node::Splat(a, name) => {
                a.write_operand(s);
                s.push_str("[*].");
                s.push_str(name);
            }
            Node::ForList { var, coll, body, cond } => {
                s.push_str(&format!("[for {var} in "));
                coll.write(s);
                s.push_str(" : ");
                body.write(s);
                if let Some(c) = cond {
                    s.push_str(" if ");
                    c.write(s);
                }
                s.push(']');
            }
            Node::ForMap { k, v, coll, key, val, group, cond } => {
                s.push_str(&format!("{{for {k}, {v} in "));
                coll.write(s);
                s.push_str(" : ");
                key.write(s);
                s.push_str(" => ");
                val.write(s);
                if *group {
                    s.push_str("...");
                }
                if let Some(c) = cond {
                    s.push_str(" if ");
                    c.write(s);
                }
                s.push('}');
            }
            Node::Template(parts) => {
                s.push('"');
                for p in parts {
                    match p {
                        Part::Text(t) => s.push_str(t),
                        Part::Interp(n) => {
                            s.push_str("${");
                            n.write(s);
                            s.push('}');
                        }
                        Part::If(c, a, b) => {
                            s.push_str("%{if ");
                            c.write(s);
                            s.push_str(&format!("}}{a}%{{else}}{b}%{{endif}}"));
                        }
                        Part::For(var, coll, body) => {
                            s.push_str(&format!("%{{for {var} in "));
                            coll.write(s);
                            s.push_str("}${");
                            body.write(s);
                            s.push_str("},%{endfor}");
                        }
                    }
                }
                s.push('"');
            }
        }
    }

    /// Operands of operators are parenthesised unless they are atoms or calls, so that the
    /// rendered text has the tree's meaning.
    fn write_operand(&self, s: &mut String) {
        match self {
            Node::Atom(a) if !a.starts_with('-') => self.write(s),
            Node::Call(..) | Node::List(_) | Node::Object(_) | Node::Template(_) | Node::Index(..) | Node::Attr(..) => {
                self.write(s)
            }
            _ => {
                s.push('(');
                self.write(s);
                s.push(')');
            }
        }
    }

    fn children(&self) -> Vec<&Node> {
        match self {
            Node::Atom(_) => vec![],
            Node::List(items) => items.iter().collect(),
            Node::Object(items) => items.iter().map(|(_, n)| n).collect(),
            Node::Unary(_, a) | Node::Attr(a, _) | Node::Splat(a, _) => vec![a],
            Node::Binary(_, a, b) | Node::Index(a, b) => vec![a, b],
            Node::Cond(c, a, b) => vec![c, a, b],
            Node::Call(_, args, _) => args.iter().collect(),
            Node::ForList { coll, body, cond, .. } => {
                let mut v = vec![coll.as_ref(), body.as_ref()];
                v.extend(cond.as_deref());
                v
            }
            Node::ForMap { coll, key, val, cond, .. } => {
                let mut v = vec![coll.as_ref(), key.as_ref(), val.as_ref()];
                v.extend(cond.as_deref());
                v
            }
            Node::Template(parts) => parts
                .iter()
                .flat_map(|p| match p {
                    Part::Text(_) => vec![],
                    Part::Interp(n) | Part::If(n, ..) => vec![n],
                    Part::For(_, c, b) => vec![c, b],
                })
                .collect(),
        }
    }

    fn children_mut(&mut self) -> Vec<&mut Node> {
        match self {
            Node::Atom(_) => vec![],
            Node::List(items) => items.iter_mut().collect(),
            Node::Object(items) => items.iter_mut().map(|(_, n)| n).collect(),
            Node::Unary(_, a) | Node::Attr(a, _) | Node::Splat(a, _) => vec![a],
            Node::Binary(_, a, b) | Node::Index(a, b) => vec![a, b],
            Node::Cond(c, a, b) => vec![c, a, b],
            Node::Call(_, args, _) => args.iter_mut().collect(),
            Node::ForList { coll, body, cond, .. } => {
                let mut v = vec![coll.as_mut(), body.as_mut()];
                v.extend(cond.as_deref_mut());
                v
            }
            Node::ForMap { coll, key, val, cond, .. } => {
                let mut v = vec![coll.as_mut(), key.as_mut(), val.as_mut()];
                v.extend(cond.as_deref_mut());
                v
            }
            Node::Template(parts) => parts
                .iter_mut()
                .flat_map(|p| match p {
                    Part::Text(_) => vec![],
                    Part::Interp(n) | Part::If(n, ..) => vec![n],
                    Part::For(_, c, b) => vec![c, b],
                })
                .collect(),
        }
    }

    fn size(&self) -> usize {
        1 + self.children().iter().map(|c| c.size()).sum::<usize>()
    }

    /// Every tree one step smaller: a node replaced by one of its children, by a small literal,
    /// or a list, object, template or call losing one element.
    pub fn shrinks(&self) -> Vec<Node> {
        let mut out = Vec::new();
        let n = self.size();
        for at in 0..n {
            let here = self.nth(at).clone();
            let mut replacements: Vec<Node> = here.children().into_iter().cloned().collect();
            for lit in ["\"a\"", "1", "true", "[]", "{}", "null"] {
                if !matches!(&here, Node::Atom(a) if a == lit) {
                    replacements.push(Node::Atom(lit.into()));
                }
            }
            replacements.extend(here.without_one());
            for r in replacements {
                let mut t = self.clone();
                *t.nth_mut(at) = r;
                out.push(t);
            }
        }
        out
    }

    fn without_one(&self) -> Vec<Node> {
        let mut out = Vec::new();
        match self {
            Node::List(items) => {
                for i in 0..items.len() {
                    let mut v = items.clone();
                    v.remove(i);
                    out.push(Node::List(v));
                }
            }
            Node::Object(items) => {
                for i in 0..items.len() {
                    let mut v = items.clone();
                    v.remove(i);
                    out.push(Node::Object(v));
                }
            }
            Node::Template(parts) if parts.len() > 1 => {
                for i in 0..parts.len() {
                    let mut v = parts.clone();
                    v.remove(i);
                    out.push(Node::Template(v));
                }
            }
            Node::Call(name, args, expand) if args.len() > 1 => {
                for i in 0..args.len() {
                    let mut v = args.clone();
                    v.remove(i);
                    out.push(Node::Call(name, v, *expand));
                }
            }
            Node::ForList { var, coll, body, cond: Some(_) } => {
                out.push(Node::ForList { var: var.clone(), coll: coll.clone(), body: body.clone(), cond: None })
            }
            Node::ForMap { k, v, coll, key, val, group, cond } => {
                if cond.is_some() {
                    out.push(Node::ForMap {
                        k: k.clone(),
                        v: v.clone(),
                        coll: coll.clone(),
                        key: key.clone(),
                        val: val.clone(),
                        group: *group,
                        cond: None,
                    });
                }
                if *group {
                    out.push(Node::ForMap {
                        k: k.clone(),
                        v: v.clone(),
                        coll: coll.clone(),
                        key: key.clone(),
                        val: val.clone(),
                        group: false,
                        cond: cond.clone(),
                    });
                }
            }
            _ => {}
        }
        out
    }

    /// The node at pre-order position `at`.
    fn nth(&self, at: usize) -> &Node {
        fn go<'a>(n: &'a Node, at: &mut usize) -> Option<&'a Node> {
            if *at == 0 {
                return Some(n);
            }
            *at -= 1;
            n.children().into_iter().find_map(|c| go(c, at))
        }
        go(self, &mut { at }).expect("position inside the tree")
    }

    fn nth_mut(&mut self, at: usize) -> &mut Node {
        fn go<'a>(n: &'a mut Node, at: &mut usize) -> Option<&'a mut Node> {
            if *at == 0 {
                return Some(n);
            }
            *at -= 1;
            for c in n.children_mut() {
                if let Some(found) = go(c, at) {
                    return Some(found);
                }
            }
            None
        }
        go(self, &mut { at }).expect("position inside the tree")
    }
}

/// What an expression is generated to be; the grammar aims at well-typed expressions and
/// sometimes misses on purpose, so that errors are compared too.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Ty {
    Str,
    Num,
    Bool,
    List,
    Map,
    Any,
}

const STRINGS: &[&str] = &[
    "\"\"",
    "\"a\"",
    "\"b\"",
    "\"alias/aws/ecr\"",
    "\"AES256\"",
    "\"KMS\"",
    "\"10\"",
    "\"1.5\"",
    "\"-3\"",
    "\"true\"",
    "\"x-y_z\"",
    "\"héllo\"",
    "\" padded \"",
    "\"a,b,,c\"",
    "\"Straße\"",
    "\"line\\nbreak\"",
    "\"tab\\there\"",
    "\"$${x}\"",
    "\"%%{y}\"",
    "\"ü\"",
];
const NUMBERS: &[&str] = &["0", "1", "2", "3", "7", "10", "-1", "-4", "0.5", "1.5", "2.25", "100", "1e3", "0.1"];
const STR_REFS: &[&str] = &["var.env", "local.obj.b", "local.names[0]", "local.obj.d.e", "local.tmpl"];
const NUM_REFS: &[&str] = &["local.obj.a", "var.nums[0]", "length(local.names)"];
const BOOL_REFS: &[&str] = &["local.by_team.data", "var.teams.api.mutable"];
const LIST_REFS: &[&str] =
    &["local.names", "var.nums", "local.empty", "local.nested", "var.set_of", "local.obj.c", "local.objs"];
const MAP_REFS: &[&str] = &["local.obj", "var.teams", "local.by_team", "local.obj.d", "local.smap"];
const ATTRS: &[&str] = &["a", "b", "c", "d", "e", "key", "tags", "mutable", "x"];
const VARS: &[&str] = &["x", "y", "k", "v", "i"];

pub struct Generator {
    rng: Rng,
    scope: Vec<String>,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        Generator { rng: Rng::new(seed), scope: Vec::new() }
    }

    pub fn expr(&mut self) -> Node {
        let ty = self.rng.pick(&[Ty::Str, Ty::Num, Ty::Bool, Ty::List, Ty::Map, Ty::Any]);
        self.any(ty, 4)
    }

    fn any(&mut self, ty: Ty, depth: usize) -> Node {
        let ty = if ty == Ty::Any { self.rng.pick(&[Ty::Str, Ty::Num, Ty::Bool, Ty::List, Ty::Map]) } else { ty };
        if depth == 0 || self.rng.chance(25) {
            return self.atom(ty);
        }
        let d = depth - 1;
        // Shapes every type has: a conditional, try(), an index into a collection.
        match self.rng.below(14) {
            0 => {
                let c = self.any(Ty::Bool, d);
                let a = self.any(ty, d);
                // Sometimes the branches differ in type: Terraform unifies or refuses.
                let b = if self.rng.chance(20) { self.any(Ty::Any, d) } else { self.any(ty, d) };
                return Node::Cond(Box::new(c), Box::new(a), Box::new(b));
            }
            1 => return Node::Call("try", vec![self.any(ty, d), self.any(ty, d)], false),
            2 => {
                let list = self.any(Ty::List, d);
                let i =
                    if self.rng.chance(70) { Node::Atom(self.rng.below(3).to_string()) } else { self.any(Ty::Num, d) };
                return Node::Index(Box::new(list), Box::new(i));
            }
            _ => {}
        }
        match ty {
            Ty::Str => self.string(d),
            Ty::Num => self.number(d),
            Ty::Bool => self.boolean(d),
            Ty::List => self.list(d),
            Ty::Map | Ty::Any => self.map(d),
        }
    }

    fn atom(&mut self, ty: Ty) -> Node {
        if !self.scope.is_empty() && self.rng.chance(40) {
            let v = self.rng.pick(&self.scope).clone();
            return Node::Atom(v);
        }
        let refs = self.rng.chance(30);
        let s = match ty {
            Ty::Str if refs => self.rng.pick(STR_REFS),
            Ty::Str => self.rng.pick(STRINGS),
            Ty::Num if refs => self.rng.pick(NUM_REFS),
            Ty::Num => self.rng.pick(NUMBERS),
            Ty::Bool if refs => self.rng.pick(BOOL_REFS),
            Ty::Bool => self.rng.pick(&["true", "false", "null"]),
            Ty::List => self.rng.pick(LIST_REFS),
            Ty::Map | Ty::Any => self.rng.pick(MAP_REFS),
        };
        Node::Atom(s.to_string())
    }

    fn call_any(&mut self, names: &[&'static str], args: &[Ty], d: usize) -> Node {
        let name = self.rng.pick(names);
        self.call(name, args, d)
    }

    fn call(&mut self, name: &'static str, args: &[Ty], d: usize) -> Node {
        Node::Call(name, args.iter().map(|t| self.any(*t, d)).collect(), false)
    }

    fn string(&mut self, d: usize) -> Node {
        use Ty::*;
        match self.rng.below(30) {
            0 | 1 => self.template(d),
            2 => self.call_any(&["upper", "lower", "title", "trimspace", "strrev", "chomp"], &[Str], d),
            3 => self.call("join", &[Str, List], d),
            4 => self.call("replace", &[Str, Str, Str], d),
            5 => {
                let pat = self.rng.pick(&["\"/[aeiou]/\"", "\"/^(.)(.*)$/\"", "\"/-+/\"", "\"/\\\\d/\""]);
                let with = self.rng.pick(&["\"_\"", "\"$2$1\"", "\"\""]);
                Node::Call("replace", vec![self.any(Str, d), Node::Atom(pat.into()), Node::Atom(with.into())], false)
            }
            6 => self.call("substr", &[Str, Num, Num], d),
            7 => {
                let f = self.rng.pick(&["\"%s-%d\"", "\"%v|%v\"", "\"%5s|%-3v\"", "\"%.2f\"", "\"%q\"", "\"%t\""]);
                let n = f.matches('%').count();
                let mut args = vec![Node::Atom(f.into())];
                for _ in 0..n {
                    args.push(self.any(Any, d));
                }
                Node::Call("format", args, false)
            }
            8 => self.call("tostring", &[Any], d),
            9 => self.call("element", &[List, Num], d),
            10 => self.call("jsonencode", &[Any], d),
            11 => self.call("yamlencode", &[Any], d),
            12 => self.call_any(&["base64encode", "md5", "sha1", "urlencode"], &[Str], d),
            13 => self.call_any(&["trim", "trimprefix", "trimsuffix"], &[Str, Str], d),
            14 => self.call("lookup", &[Map, Str, Str], d),
            15 => self.call("coalesce", &[Str, Str], d),
            16 => self.call("one", &[List], d),
            17 => self.call("indent", &[Num, Str], d),
            18 => {
                let pat = self.rng.pick(&["\"[a-z]+\"", "\"^a\"", "\"([0-9]+)\"", "\"(?i)A\""]);
                Node::Call("regex", vec![Node::Atom(pat.into()), self.any(Str, d)], false)
            }
            19 => {
                let m = self.any(Map, d);
                Node::Attr(Box::new(m), self.rng.pick(ATTRS))
            }
            20 => {
                let m = self.any(Map, d);
                let k = self.any(Str, d);
                Node::Index(Box::new(m), Box::new(k))
            }
            21 => self.call("sort", &[List], d).index(0),
            22 => self.call("base64decode", &[Str], d),
            23 => self.call("jsondecode", &[Str], d),
            24 => self.call("formatlist", &[Str, List], d).index(0),
            25 => self.call("join", &[Str, List], d),
            26 => self.call("coalesce", &[Any, Any, Any], d),
            27 => self.call("split", &[Str, Str], d).index(1),
            _ => self.any(Str, d),
        }
    }

    fn number(&mut self, d: usize) -> Node {
        use Ty::*;
        match self.rng.below(20) {
            0..=4 => {
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                Node::Binary(op, Box::new(self.any(Num, d)), Box::new(self.any(Num, d)))
            }
            5 => Node::Unary("-", Box::new(self.any(Num, d))),
            6 => {
                let arg = self.rng.pick(&[List, Str, Map]);
                self.call("length", &[arg], d)
            }
            7 => self.call_any(&["abs", "ceil", "floor", "signum"], &[Num], d),
            8 => {
                let f = self.rng.pick(&["max", "min"]);
                if self.rng.chance(30) {
                    Node::Call(f, vec![self.any(List, d)], true)
                } else {
                    self.call(f, &[Num, Num, Num], d)
                }
            }
            9 => Node::Call(
                "pow",
                vec![
                    Node::Atom(self.rng.pick(&["2", "-2", "0.5", "10"]).to_string()),
                    Node::Atom(self.rng.below(5).to_string()),
                ],
                false,
            ),
            10 => {
                let base = self.rng.pick(&["2", "8", "10", "16", "36"]);
                Node::Call("parseint", vec![self.any(Str, d), Node::Atom(base.into())], false)
            }
            11 => self.call("tonumber", &[Any], d),
            12 => self.call("sum", &[List], d),
            13 => self.call("index", &[List, Any], d),
            14 => self.call("log", &[Num, Num], d),
            _ => self.any(Num, d),
        }
    }

    fn boolean(&mut self, d: usize) -> Node {
        use Ty::*;
        match self.rng.below(16) {
            0..=2 => {
                let op = self.rng.pick(&["<", ">", "<=", ">="]);
                Node::Binary(op, Box::new(self.any(Num, d)), Box::new(self.any(Num, d)))
            }
            3..=5 => {
                let op = self.rng.pick(&["==", "!="]);
                let a = self.any(Any, d);
                let b = if self.rng.chance(30) { Node::Atom("null".into()) } else { self.any(Any, d) };
                Node::Binary(op, Box::new(a), Box::new(b))
            }
            6 | 7 => {
                let op = self.rng.pick(&["&&", "||"]);
                Node::Binary(op, Box::new(self.any(Bool, d)), Box::new(self.any(Bool, d)))
            }
            8 => Node::Unary("!", Box::new(self.any(Bool, d))),
            9 => self.call("contains", &[List, Any], d),
            10 => self.call_any(&["startswith", "endswith", "strcontains"], &[Str, Str], d),
            11 => self.call("can", &[Any], d),
            12 => self.call_any(&["alltrue", "anytrue"], &[List], d),
            13 => self.call("tobool", &[Any], d),
            _ => self.any(Bool, d),
        }
    }

    fn list(&mut self, d: usize) -> Node {
        use Ty::*;
        match self.rng.below(26) {
            0..=2 => {
                let n = self.rng.below(4);
                let ty = self.rng.pick(&[Str, Num, Any]);
                Node::List((0..n).map(|_| self.any(ty, d)).collect())
            }
            3 => self.call("concat", &[List, List], d),
            4 => self.call_any(&["distinct", "flatten", "reverse", "sort", "compact"], &[List], d),
            5 => Node::Call(
                "slice",
                vec![self.any(List, d), Node::Atom("0".into()), Node::Atom(self.rng.below(3).to_string())],
                false,
            ),
            6 => self.call_any(&["keys", "values"], &[Map], d),
            7 => self.call("split", &[Str, Str], d),
            8 => self.call_any(&["tolist", "toset"], &[List], d),
            9 => self.call_any(&["setunion", "setintersection", "setsubtract"], &[List, List], d),
            10 => {
                Node::Call("chunklist", vec![self.any(List, d), Node::Atom((1 + self.rng.below(3)).to_string())], false)
            }
            11 => Node::Call(
                "range",
                vec![Node::Atom(self.rng.below(4).to_string()), Node::Atom((2 + self.rng.below(5)).to_string())],
                false,
            ),
            12..=15 => {
                let var = self.fresh();
                let ty = self.rng.pick(&[List, Map]);
                let coll = self.any(ty, d);
                self.scope.push(var.clone());
                let body = self.any(Any, d);
                let cond = self.rng.chance(30).then(|| Box::new(self.any(Bool, d)));
                self.scope.pop();
                Node::ForList { var, coll: Box::new(coll), body: Box::new(body), cond }
            }
            16 | 17 => {
                let coll = self.any(List, d);
                Node::Splat(Box::new(coll), self.rng.pick(ATTRS))
            }
            18 => self.call("coalescelist", &[List, List], d),
            19 => self.call("formatlist", &[Str, List], d),
            20 => self.call("setproduct", &[List, List], d),
            21 => self.call("matchkeys", &[List, List, List], d),
            22 => Node::Call(
                "cidrsubnets",
                vec![Node::Atom("\"10.0.0.0/16\"".into()), self.any(Num, d), self.any(Num, d)],
                false,
            ),
            _ => self.any(List, d),
        }
    }

    fn map(&mut self, d: usize) -> Node {
        use Ty::*;
        match self.rng.below(16) {
            0..=2 => {
                let n = self.rng.below(4);
                let ty = self.rng.pick(&[Str, Num, Any]);
                let keys = ["a", "b", "c", "\"d e\"", "key"];
                Node::Object(
                    (0..n).map(|i| (keys[(i + self.rng.below(2)) % keys.len()].to_string(), self.any(ty, d))).collect(),
                )
            }
            3 => self.call("merge", &[Map, Map], d),
            4 => self.call("zipmap", &[List, List], d),
            5 => self.call("tomap", &[Map], d),
            6..=9 => {
                let k = self.fresh();
                self.scope.push(k.clone());
                let v = self.fresh();
                self.scope.pop();
                let ty = self.rng.pick(&[List, Map]);
                let coll = self.any(ty, d);
                self.scope.push(k.clone());
                self.scope.push(v.clone());
                let key = if self.rng.chance(50) { Node::Atom(k.clone()) } else { self.any(Str, d) };
                let val = self.any(Any, d);
                let group = self.rng.chance(25);
                let cond = self.rng.chance(25).then(|| Box::new(self.any(Bool, d)));
                self.scope.pop();
                self.scope.pop();
                Node::ForMap { k, v, coll: Box::new(coll), key: Box::new(key), val: Box::new(val), group, cond }
            }
            10 => self.call("transpose", &[Map], d),
            11 => self.call("jsondecode", &[Str], d),
            12 => self.call("yamldecode", &[Str], d),
            _ => self.any(Map, d),
        }
    }

    fn template(&mut self, d: usize) -> Node {
        let n = 1 + self.rng.below(3);
        let mut parts = Vec::new();
        for _ in 0..n {
            parts.push(match self.rng.below(6) {
                0 => Part::Text(self.rng.pick(&["-", "x", " ", "/", "é"])),
                1 => Part::If(self.any(Ty::Bool, d), "T", "F"),
                2 => {
                    let var = self.fresh();
                    let coll = self.any(Ty::List, d);
                    self.scope.push(var.clone());
                    let body = self.any(Ty::Str, d);
                    self.scope.pop();
                    Part::For(var, coll, body)
                }
                _ => Part::Interp(self.any(Ty::Any, d)),
            });
        }
        Node::Template(parts)
    }

    /// A loop variable not already in scope (shadowing is legal but not what we test).
    fn fresh(&mut self) -> String {
        for v in VARS {
            if !self.scope.iter().any(|s| s == v) {
                return v.to_string();
            }
        }
        format!("v{}", self.scope.len())
    }
}

impl Node {
    fn index(self, i: usize) -> Node {
        Node::Index(Box::new(self), Box::new(Node::Atom(i.to_string())))
    }
}
