//! SARIF 2.1.0 output, shaped for GitHub code scanning: one result per rule and source
//! location, every failing instance as a logical location, the deciding value's origin as a
//! related location.

use std::collections::BTreeMap;

use serde_json::json;
use serde_sarif::sarif;

use super::escape::{sarif_text, uri_path};
use super::{group, locate};
use crate::rules::{Rule, Severity};
use crate::scan::ScanResult;

pub const INFORMATION_URI: &str = "https://github.com/tfcheck/tfcheck";

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low => sarif::ResultLevel::Note,
    }
}

/// `ecr_nocmk` -> `EcrNocmk`, SARIF's suggested form for `name`.
fn pascal(id: &str) -> String {
    id.split(['_', '-'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let mut props = BTreeMap::new();
    props.insert("security-severity".to_string(), json!(rule.severity.score()));
    props.insert("precision".to_string(), json!("very-high"));
    props.insert(
        "problem.severity".to_string(),
        json!(match rule.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "recommendation",
        }),
    );
    if !rule.aliases.is_empty() {
        props.insert("aliases".to_string(), json!(rule.aliases));
    }
    let help_text = format!("{}\n\nRemediation:\n{}", rule.description, rule.remediation);
    sarif::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(pascal(&rule.id))
        .short_description(sarif::MultiformatMessageString::builder().text(rule.title.clone()).build())
        .full_description(sarif::MultiformatMessageString::builder().text(rule.description.clone()).build())
        .help(
            sarif::MultiformatMessageString::builder().text(help_text).markdown(crate::rules::docs::page(rule)).build(),
        )
        .help_uri(format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", rule.id))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(rule.severity).to_string().to_lowercase()))
                .build(),
        )
        .properties(sarif::PropertyBag::builder().tags(rule.tags.clone()).additional_properties(props).build())
        .build()
}

pub fn render(r: &ScanResult) -> String {
    let fingerprints = crate::triage::baseline::Fingerprints::new(&r.sources);
    let rules: Vec<&Rule> = r.rules.iter().map(|r| &**r).collect();
    let mut results = Vec::new();
    for g in group(&r.findings) {
        let f = g[0];
        let loc = locate(&r.sources, f.span);
        let rule_index = rules.iter().position(|x| x.id == f.rule.id).unwrap_or(0);
        let region = sarif::Region::builder()
            .start_line(loc.start.line as i64)
            .start_column(loc.start.col as i64)
            .end_line(loc.end.line as i64)
            .end_column(loc.end.col.max(if loc.end.line == loc.start.line { loc.start.col + 1 } else { 1 }) as i64)
            .build();
        let physical = sarif::PhysicalLocation::builder()
            .artifact_location(sarif::ArtifactLocation::builder().uri(uri_path(&loc.file)).build())
            .region(region)
            .build();
        let mut addresses: Vec<&str> = g.iter().map(|f| f.address.as_str()).collect();
        addresses.dedup();
        let logical: Vec<sarif::LogicalLocation> = addresses
            .iter()
            .map(|a| sarif::LogicalLocation::builder().fully_qualified_name(a.to_string()).kind("resource").build())
            .collect();
        let location = sarif::Location::builder().physical_location(physical).logical_locations(logical).build();
        // Input brackets escaped: `[x](http://evil)` in a key is not an embedded link.
        let mut text = sarif_text(&f.message);
        if addresses.len() > 1 {
            text = format!("{text} [{} instances: {}]", addresses.len(), sarif_text(&addresses.join(", ")));
        } else {
            text = format!("{text} [{}]", sarif_text(addresses[0]));
        }
        let mut related = Vec::new();
        // A set, not a scan of the list: a for_each of thousands may have as many origins.
        let mut seen = std::collections::HashSet::new();
        for (i, o) in g.iter().filter_map(|f| f.origin.as_ref()).enumerate() {
            let Some(span) = o.span else { continue };
            if !seen.insert(span) {
                continue;
            }
            let ol = locate(&r.sources, span);
            let region = sarif::Region::builder()
                .start_line(ol.start.line as i64)
                .start_column(ol.start.col as i64)
                .end_line(ol.end.line as i64)
                .end_column(ol.end.col.max(if ol.end.line == ol.start.line { ol.start.col + 1 } else { 1 }) as i64)
                .build();
            let loc = sarif::Location::builder()
                .id(i as i64)
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(sarif::ArtifactLocation::builder().uri(uri_path(&ol.file)).build())
                        .region(region)
                        .build(),
                )
                .message(
                    sarif::Message::builder().text(format!("the value comes from {}", sarif_text(&o.label))).build(),
                )
                .build();
            related.push(loc);
        }
        let mut fps = BTreeMap::new();
        fps.insert("tfcheck/v2".to_string(), fingerprints.of(f));
        let mut result = sarif::Result::builder()
            .rule_id(f.rule.id.clone())
            .rule_index(rule_index as i64)
            .level(level(f.rule.severity))
            .message(sarif::Message::builder().text(text).build())
            .locations(vec![location])
            .partial_fingerprints(fps)
            .build();
        if !related.is_empty() {
            result.related_locations = Some(related);
        }
        if r.baseline_used {
            result.baseline_state = Some(json!(if f.baselined { "unchanged" } else { "new" }));
        }
        if let Some(s) = &f.suppressed {
            let mut sup = sarif::Suppression::builder().kind(json!("inSource")).build();
            sup.justification = s.reason.as_deref().map(|r| super::escape::line(r).into_owned());
            result.suppressions = Some(vec![sup]);
        }
        results.push(result);
    }
    let driver = sarif::ToolComponent::builder()
        .name("tfcheck")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    // The configuration file the scan used, so a reader can tell which settings applied.
    let mut props = std::collections::BTreeMap::new();
    props.insert("configurationFile".to_string(), json!(r.config));
    let invocation = sarif::Invocation::builder()
        .execution_successful(!r.has_errors())
        .properties(sarif::PropertyBag::builder().additional_properties(props).build())
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .results(results)
        .build();
    let log = sarif::Sarif::builder().version(json!("2.1.0")).schema(sarif::SCHEMA_URL).runs(vec![run]).build();
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
