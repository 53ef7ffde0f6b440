//! JSON output: one object per finding, a stable schema documented in docs/json-output.md.

use serde::Serialize;

use super::locate;
use crate::diag::{Code, Level};
use crate::scan::ScanResult;
use crate::terraform::addr::module_address;

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    tool: Tool,
    /// The configuration file the scan used (null: none).
    config: Option<&'a str>,
    findings: Vec<FindingOut<'a>>,
    diagnostics: Vec<DiagnosticOut>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    severity: &'static str,
    title: &'a str,
    address: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    /// Where the deciding value was written, when it came from elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<OriginOut>,
    /// `module.a.module.b` for resources inside modules, else empty.
    module: String,
    /// The root module the instance was evaluated from.
    root: &'a str,
    suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression_reason: Option<&'a str>,
    /// Which syntax suppressed it: tfcheck, tfsec, trivy, checkov or config.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed_by: Option<&'static str>,
    /// In the `--baseline` file: not new.
    baselined: bool,
    /// Stable across line moves: rule, address and file.
    fingerprint: String,
}

#[derive(Serialize)]
struct OriginOut {
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Serialize)]
struct DiagnosticOut {
    level: Level,
    code: Code,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    modules: usize,
    roots: usize,
    resources: usize,
    findings: usize,
    suppressed: usize,
    baselined: usize,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    errors: usize,
    warnings: usize,
}

pub fn render(r: &ScanResult) -> String {
    let fps = crate::triage::baseline::Fingerprints::new(&r.sources);
    let findings: Vec<FindingOut> = r
        .findings
        .iter()
        .map(|f| {
            let loc = locate(&r.sources, f.span);
            FindingOut {
                rule: &f.rule.id,
                severity: f.rule.severity.as_str(),
                title: &f.rule.title,
                address: &f.address,
                file: loc.file,
                line: loc.start.line,
                column: loc.start.col,
                end_line: loc.end.line,
                end_column: loc.end.col,
                message: &f.message,
                origin: f.origin.as_ref().map(|o| {
                    let at = o.span.map(|s| locate(&r.sources, s));
                    OriginOut {
                        label: o.label.clone(),
                        file: at.as_ref().map(|l| l.file.clone()),
                        line: at.map(|l| l.start.line),
                    }
                }),
                module: module_address(&f.module_path),
                root: &f.root,
                suppressed: f.suppressed.is_some(),
                suppression_reason: f.suppressed.as_ref().and_then(|s| s.reason.as_deref()),
                suppressed_by: f.suppressed.as_ref().map(|s| s.tool.name()),
                baselined: f.baselined,
                fingerprint: fps.of(f),
            }
        })
        .collect();
    let diagnostics = r
        .diagnostics
        .iter()
        .map(|d| {
            let loc = d.span.map(|s| locate(&r.sources, s));
            DiagnosticOut {
                level: d.level,
                code: d.code,
                message: d.message.clone(),
                file: loc.as_ref().map(|l| l.file.clone()).or_else(|| d.path.clone()),
                line: loc.as_ref().map(|l| l.start.line),
                column: loc.as_ref().map(|l| l.start.col),
            }
        })
        .collect();
    let active = || r.findings.iter().filter(|f| f.is_active());
    let count = |s: crate::rules::Severity| active().filter(|f| f.rule.severity == s).count();
    let summary = Summary {
        files: r.stats.files,
        modules: r.stats.modules,
        roots: r.stats.roots,
        resources: r.stats.resources,
        findings: active().count(),
        suppressed: r.findings.iter().filter(|f| f.suppressed.is_some()).count(),
        baselined: r.findings.iter().filter(|f| f.suppressed.is_none() && f.baselined).count(),
        critical: count(crate::rules::Severity::Critical),
        high: count(crate::rules::Severity::High),
        medium: count(crate::rules::Severity::Medium),
        low: count(crate::rules::Severity::Low),
        errors: r.diagnostics.iter().filter(|d| d.level == Level::Error).count(),
        warnings: r.diagnostics.iter().filter(|d| d.level == Level::Warning).count(),
    };
    let out = Output {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "tfcheck", version: env!("CARGO_PKG_VERSION") },
        config: r.config.as_deref(),
        findings,
        diagnostics,
        summary,
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
