//! tfcheck's HCL parser against hcl-edit's: a file hcl-edit parses must parse in tfcheck
//! without error (except where hcl-edit accepts what Terraform rejects), with the same
//! top-level attributes and blocks (names, types and labels, in order). Kept out of
//! `common.rs`: the main crate's regression test includes that file and does not depend on
//! hcl-edit.

#![no_main]

use tfcheck::FileId;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_differential(data));

fn check_differential(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(theirs) = hcl_edit::parser::parse_body(text) else { return };
    let ours = tfcheck::internals::parser::parse_file(text, FileId(0));
    // Where hcl-edit is more lenient than Terraform, which rejects (checked with `terraform
    // validate`) blocks on one line with more than one argument, and quoted strings that span
    // lines ("Invalid multi-line string").
    let stricter = |m: &str| {
        m.contains("block written on one line") || m.contains("closed on that line") || m.contains("cannot span lines")
    };
    if ours.errors.iter().any(|e| stricter(&e.message)) {
        return;
    }
    assert!(ours.errors.is_empty(), "hcl-edit parses this, tfcheck reports: {:?}", ours.errors);
    let mut names = Vec::new();
    for s in theirs.iter() {
        if let Some(a) = s.as_attribute() {
            names.push(format!("attribute {}", a.key.as_str()));
        } else if let Some(b) = s.as_block() {
            let labels: Vec<String> = b
                .labels
                .iter()
                .map(|l| match l {
                    hcl_edit::structure::BlockLabel::String(s) => s.value().to_string(),
                    hcl_edit::structure::BlockLabel::Ident(i) => i.as_str().to_string(),
                })
                .collect();
            names.push(format!("block {} {labels:?}", b.ident.as_str()));
        }
    }
    let mut ours_names: Vec<(u32, String)> = ours
        .body
        .attributes
        .iter()
        .map(|a| (a.span.start, format!("attribute {}", a.name)))
        .chain(ours.body.blocks.iter().map(|b| (b.span.start, format!("block {} {:?}", b.ty, b.labels))))
        .collect();
    ours_names.sort();
    let ours_names: Vec<String> = ours_names.into_iter().map(|(_, n)| n).collect();
    assert_eq!(ours_names, names, "top-level structure differs");
}
