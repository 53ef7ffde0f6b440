//! The generated rule documentation under docs/rules/ matches the rule files.

use std::path::Path;

use tfcheck::ScanOptions;

#[test]
fn rule_pages_are_up_to_date() {
    let rules = tfcheck::load_rules(&ScanOptions::default()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let expected = tfcheck::report::rule_pages(&rules);
    let mut stale = Vec::new();
    for (name, text) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if &on_disk == text => {}
            Ok(_) => stale.push(format!("{name} is out of date")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if !expected.iter().any(|(n, _)| *n == name) {
            stale.push(format!("{name} documents no rule"));
        }
    }
    assert!(stale.is_empty(), "{stale:?}: run `cargo run -- rules --write-docs docs/rules`");
}
