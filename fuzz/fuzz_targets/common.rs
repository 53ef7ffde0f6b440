//! The fuzz targets' checks, one function per target, shared with `tests/it/fuzz_regressions.rs`
//! (which replays the inputs they found): every span a scan reports lies within its file, every
//! report format renders, and each target's own invariants.

#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tfcheck::internals::load_rule_file;
use tfcheck::report::{self, Format, RenderOptions};
use tfcheck::{
    Code, EvalOptions, FileId, Rule, ScanOptions, ScanResult, SourceMap, Span, scan_in_memory, scan_plan_text,
};

/// The built-in rules, loaded once.
pub fn rules() -> &'static [Arc<Rule>] {
    static RULES: OnceLock<Vec<Arc<Rule>>> = OnceLock::new();
    RULES.get_or_init(|| {
        let (rules, errors) = tfcheck::internals::load_rules(&SourceMap::new(), &ScanOptions::default());
        assert!(errors.is_empty(), "built-in rules: {errors:?}");
        rules
    })
}

/// `hcl`: the input as `main.tf`, scanned with every built-in rule. Besides the common
/// invariants, the scan reports exactly the syntax errors the parser finds.
pub fn check_hcl(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let r = scan_in_memory(&[("main.tf", &text)], rules(), &EvalOptions::default());
    check_result(&r);

    // main.tf is the source map's first file.
    let parsed = tfcheck::internals::parser::parse_file(&text, FileId(0));
    let mut expected: Vec<(String, u32, u32)> =
        parsed.errors.iter().map(|e| (e.message.clone(), e.span.start, e.span.end)).collect();
    let mut reported: Vec<(String, u32, u32)> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Syntax)
        .filter_map(|d| d.span.map(|s| (d.message.clone(), s.start, s.end)))
        .collect();
    expected.sort();
    expected.dedup();
    reported.sort();
    assert_eq!(reported, expected, "the syntax errors reported differ from the parser's");
}

/// `plan`: the input as plan JSON, checked with every built-in rule.
pub fn check_plan(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_result(&scan_plan_text(&text, rules()));
}

/// The configuration the `tfvars` target sets variables for: typed variables used by a
/// repository per map entry.
pub const TFVARS_MAIN_TF: &str = r#"
variable "name" {
  type = string
}

variable "scan_count" {
  type    = number
  default = 1
}

variable "extra_tags" {
  type    = list(string)
  default = []
}

variable "encryption" {
  type = object({
    type    = optional(string, "AES256")
    kms_key = optional(string)
    rotate  = optional(bool, true)
  })
  default = {}
}

variable "repos" {
  type    = map(string)
  default = { api = "MUTABLE" }
}

resource "aws_ecr_repository" "this" {
  for_each             = var.repos
  name                 = "${var.name}-${each.key}"
  image_tag_mutability = each.value
  force_delete         = var.scan_count > 1

  image_scanning_configuration {
    scan_on_push = var.scan_count > 0
  }

  encryption_configuration {
    encryption_type = var.encryption.type
    kms_key         = var.encryption.kms_key
  }

  tags = { for t in var.extra_tags : t => var.name }
}
"#;

/// `tfvars`: the input as `terraform.tfvars` for [`TFVARS_MAIN_TF`].
pub fn check_tfvars(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files = [("main.tf", TFVARS_MAIN_TF), ("terraform.tfvars", &*text)];
    check_result(&scan_in_memory(&files, rules(), &EvalOptions::default()));
}

/// What the `rule` target's rules run on: a little of everything the built-in rules look at.
pub const RULE_MAIN_TF: &str = r#"
variable "key" {
  default = null
}

resource "aws_kms_key" "ecr" {
  enable_key_rotation = false
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_ecr_repository" "a" {
  name                 = "a"
  image_tag_mutability = "MUTABLE"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.key
  }
}

# tfcheck:ignore:ecr_nocmk fuzz
resource "aws_ecr_repository" "b" {
  count = 2
  name  = "b${count.index}"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository_policy" "a" {
  repository = aws_ecr_repository.a.name
  policy     = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:*" }] })
}
"#;

/// `rule`: the input as a rule file. Every load error is in bounds; rules that load run on
/// [`RULE_MAIN_TF`].
pub fn check_rule(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sources = SourceMap::new();
    let (rules, errors) = load_rule_file(&sources, Path::new("fuzz.hcl"), "fuzz.hcl".into(), &text, false);
    for e in &errors {
        if let Some(span) = e.span {
            span_ok(&sources, span, &format!("load error {:?}", e.message));
        }
    }
    if rules.is_empty() {
        return;
    }
    let rules: Vec<Arc<Rule>> = rules.into_iter().map(Arc::new).collect();
    check_result(&scan_in_memory(&[("main.tf", RULE_MAIN_TF)], &rules, &EvalOptions::default()));
}

/// The span is a range of whole characters inside a file of `sources`.
pub fn span_ok(sources: &SourceMap, span: Span, what: &str) {
    assert!((span.file.0 as usize) < sources.len(), "{what}: file {:?} not in the source map", span.file);
    let text = sources.get(span.file).text.clone();
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end && end <= text.len(), "{what}: span {start}..{end} outside a file of {} bytes", text.len());
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} splits a character"
    );
}

/// Every span of the result is in bounds, and every report format renders it.
pub fn check_result(r: &ScanResult) {
    let s = &r.sources;
    for d in &r.diagnostics {
        if let Some(span) = d.span {
            span_ok(s, span, &format!("diagnostic {:?}", d.message));
        }
    }
    for f in &r.findings {
        let what = format!("finding {} on {}", f.rule.id, f.address);
        span_ok(s, f.span, &what);
        span_ok(s, f.resource_span, &what);
        if let Some(b) = f.block_span {
            span_ok(s, b, &what);
        }
        if let Some(sup) = &f.suppressed {
            span_ok(s, sup.span, &what);
        }
        if let Some(span) = f.origin.as_ref().and_then(|o| o.span) {
            span_ok(s, span, &format!("origin of {what}"));
        }
        for step in &f.module_path {
            span_ok(s, step.call_span, &what);
        }
    }
    for p in &r.passes {
        span_ok(s, p.span, &format!("pass {} on {}", p.rule, p.address));
    }
    let json = report::render(r, Format::Json, &RenderOptions::default());
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the JSON report does not parse: {e}");
    }
    // SARIF is left out: it locates spans as JSON does, and serializing every rule's
    // documentation on each run would cost a quarter of the fuzzer's time.
    report::render(r, Format::Human, &RenderOptions { color: false, width: 100 });
}

/// `plan_chain`: a plan whose repositories' `kms_key` is known only through a chain of
/// references (data sources, module outputs and module arguments) that fan out, join and may
/// loop back, shaped by the input bytes. Reference fan-out must cost linear time and memory
/// (libFuzzer's `-timeout` and `-rss_limit_mb` catch what does not); the checks are those of
/// `plan`.
pub fn check_plan_chain(data: &[u8]) {
    check_result(&scan_plan_text(&chain_plan(data), rules()));
}

/// The plan [`check_plan_chain`] scans.
pub fn chain_plan(data: &[u8]) -> String {
    use serde_json::{Value, json};
    let mut bytes = data.iter().copied();
    // Past the input's end: a straight chain of data sources (the costliest shape).
    let mut next = |m: u8| bytes.next().map(|b| b % m);
    let links = 1 + next(64).unwrap_or(0) as usize;
    let fanout = 1 + next(4).unwrap_or(0) as usize;
    let ends = ["alias/aws/ecr", "alias/mine", "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"];
    let end = ends[next(3).unwrap_or(0) as usize];
    let attrs = ["arn", "id", "key_id", "target_key_arn"];
    // Link i is a data source, or a module output (from a module argument) when the input says.
    let mut resources: Vec<Value> = Vec::new();
    let mut calls = serde_json::Map::new();
    let name =
        |i: usize, module: bool| if module { format!("module.m{i}.out") } else { format!("data.aws_kms_key.k{i}.arn") };
    let mut kinds = Vec::new();
    for _ in 0..links {
        kinds.push(next(4) == Some(0));
    }
    // Each link has `fanout` attributes, each one traversal of a later link (usually the
    // next; sometimes one further on, or back: a cycle): naive tracing costs fanout^links.
    let fields = ["key_id", "description", "grant_tokens", "tags"];
    for i in 0..links {
        let mut exprs = serde_json::Map::new();
        for field in fields.iter().take(fanout) {
            let expr = if i + 1 < links {
                let target = match next(8) {
                    Some(0) => next(links as u8).unwrap_or(0) as usize,
                    Some(1) => (i + 2).min(links - 1),
                    _ => i + 1,
                };
                let r = name(target, kinds[target]);
                let r = if kinds[target] {
                    r
                } else {
                    r.replace(".arn", &format!(".{}", attrs[next(4).unwrap_or(0) as usize]))
                };
                let whole = r.rsplit_once('.').map_or(r.clone(), |(head, _)| head.to_string());
                json!({ "references": [r, whole] })
            } else {
                json!({ "constant_value": end })
            };
            exprs.insert(field.to_string(), expr);
        }
        if kinds[i] {
            calls.insert(
                format!("m{i}"),
                json!({
                    "source": format!("./m{i}"),
                    "expressions": exprs,
                    "module": {
                        "outputs": { "out": { "expression": { "references": ["var.key_id"] } } },
                        "variables": { "key_id": {}, "description": {}, "grant_tokens": {}, "tags": {} }
                    }
                }),
            );
        } else {
            resources.push(json!({
                "address": format!("data.aws_kms_key.k{i}"), "mode": "data", "type": "aws_kms_key",
                "name": format!("k{i}"), "provider_config_key": "aws",
                "expressions": exprs, "schema_version": 0
            }));
        }
    }
    let repos = 1 + next(3).unwrap_or(0) as usize;
    let mut changes = Vec::new();
    for r in 0..repos {
        let first = name(0, kinds[0]);
        resources.push(json!({
            "address": format!("aws_ecr_repository.r{r}"), "mode": "managed", "type": "aws_ecr_repository",
            "name": format!("r{r}"), "provider_config_key": "aws",
            "expressions": {
                "name": { "constant_value": format!("r{r}") },
                "encryption_configuration": [{
                    "encryption_type": { "constant_value": "KMS" },
                    "kms_key": { "references": [first] }
                }]
            },
            "schema_version": 0
        }));
        changes.push(json!({
            "address": format!("aws_ecr_repository.r{r}"), "mode": "managed", "type": "aws_ecr_repository",
            "name": format!("r{r}"), "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": ["create"], "before": null,
                "after": { "name": format!("r{r}"), "encryption_configuration": [{ "encryption_type": "KMS" }] },
                "after_unknown": { "encryption_configuration": [{ "kms_key": true }] }
            }
        }));
    }
    json!({
        "format_version": "1.2", "terraform_version": "1.11.4",
        "planned_values": { "root_module": {} },
        "resource_changes": changes,
        "configuration": { "root_module": { "resources": resources, "module_calls": calls } }
    })
    .to_string()
}

/// The parsers alone (`parse` target): the bytes as a `.tf` file, a template file, one
/// expression and a `.tf.json` file. No panic, and every span of every tree node, comment and
/// syntax error lies inside the text on character boundaries.
pub fn check_parse(data: &[u8]) {
    use tfcheck::internals::parser::{parse_expression, parse_file, parse_template};
    let text = String::from_utf8_lossy(data);
    let ok = |span: Span, what: &str| {
        let (start, end) = (span.start as usize, span.end as usize);
        assert!(start <= end && end <= text.len(), "{what}: span {start}..{end} outside {} bytes", text.len());
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{what}: span {start}..{end} splits a character"
        );
    };
    for file in [parse_file(&text, FileId(0)), tfcheck::internals::tfjson::parse_tf_json(&text, FileId(0))] {
        body_spans(&file.body, &ok);
        file.comments.iter().for_each(|c| ok(c.span, "comment"));
        file.errors.iter().for_each(|e| ok(e.span, "syntax error"));
    }
    // A deferred body parses again to the same tree (or the scan would panic on first use).
    let shared: std::sync::Arc<str> = text.as_ref().into();
    let plain = parse_file(&shared, FileId(0));
    let mut deferred = parse_file(&shared, FileId(0));
    use tfcheck::internals::parser::{Keep, defer_bodies};
    defer_bodies(&mut deferred, &shared, |_| Some(Keep { attributes: &["count"], names: true }));
    let kept: Vec<_> = deferred.body.blocks.iter().map(|b| b.body.attribute_names().into_owned()).collect();
    assert_eq!(format!("{:?}", plain.body), format!("{:?}", deferred.body), "a deferred body parsed differently");
    let parsed: Vec<_> = deferred.body.blocks.iter().map(|b| b.body.attribute_names().into_owned()).collect();
    assert_eq!(kept, parsed, "a deferred body kept other names than it holds");
    for parsed in [parse_template(&text, FileId(0)), parse_expression(&text, FileId(0))] {
        match parsed {
            Ok(e) => expr_spans(&e, &ok),
            Err(e) => ok(e.span, "syntax error"),
        }
    }
}

fn body_spans(body: &tfcheck::internals::ast::Body, ok: &dyn Fn(Span, &str)) {
    for a in &body.attributes {
        ok(a.span, "attribute");
        ok(a.name_span, "attribute name");
        expr_spans(&a.expr, ok);
    }
    for b in &body.blocks {
        ok(b.span, "block");
        ok(b.header_span, "block header");
        ok(b.ty_span, "block type");
        b.label_spans.iter().for_each(|s| ok(*s, "block label"));
        body_spans(&b.body, ok);
    }
}

fn expr_spans(e: &tfcheck::internals::ast::Expr, ok: &dyn Fn(Span, &str)) {
    use tfcheck::internals::ast::{ExprKind, ObjectKey, TemplatePart};
    fn parts(ps: &[TemplatePart], ok: &dyn Fn(Span, &str)) {
        for p in ps {
            match p {
                TemplatePart::Literal(_) => {}
                TemplatePart::Interp(e) => expr_spans(e, ok),
                TemplatePart::If { cond, then, otherwise } => {
                    expr_spans(cond, ok);
                    parts(then, ok);
                    parts(otherwise, ok);
                }
                TemplatePart::For { collection, body, .. } => {
                    expr_spans(collection, ok);
                    parts(body, ok);
                }
            }
        }
    }
    ok(e.span, "expression");
    match &e.kind {
        ExprKind::Template(ps) => parts(ps, ok),
        ExprKind::Tuple(items) => items.iter().for_each(|i| expr_spans(i, ok)),
        ExprKind::Object(items) => {
            for i in items {
                match &i.key {
                    ObjectKey::Ident(_, s) => ok(*s, "object key"),
                    ObjectKey::Expr(k) => expr_spans(k, ok),
                }
                expr_spans(&i.value, ok);
            }
        }
        ExprKind::GetAttr(a, _) | ExprKind::Unary(_, a) | ExprKind::Parens(a) => expr_spans(a, ok),
        ExprKind::Index(a, b) | ExprKind::Splat(a, b) | ExprKind::Binary(_, a, b) => {
            expr_spans(a, ok);
            expr_spans(b, ok);
        }
        ExprKind::Conditional(c, a, b) => {
            expr_spans(c, ok);
            expr_spans(a, ok);
            expr_spans(b, ok);
        }
        ExprKind::Call(c) => {
            ok(c.name_span, "function name");
            c.args.iter().for_each(|a| expr_spans(a, ok));
        }
        ExprKind::For(f) => {
            expr_spans(&f.collection, ok);
            f.key.iter().for_each(|k| expr_spans(k, ok));
            expr_spans(&f.value, ok);
            f.cond.iter().for_each(|c| expr_spans(c, ok));
        }
        _ => {}
    }
}
