//! Embeds every rule file under `rules/` in the binary.

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "hcl"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for f in files {
        let rel = f.to_string_lossy().replace('\\', "/");
        let abs = std::fs::canonicalize(&f).expect("rule file path");
        writeln!(out, "    ({rel:?}, include_str!({:?})),", abs.to_string_lossy()).expect("write to string");
    }
    out.push(']');
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("write builtin_rules.rs");
}
