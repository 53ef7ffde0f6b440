//! Hostile names and contents against every output format: nothing from the scanned tree may
//! start a GitHub workflow command, act on a terminal, render as Markdown or HTML, break the
//! XML, or leave a SARIF URI unencoded.
//!
//! Trees are made at run time: names with newlines, CR and ESC cannot be checked in. Set
//! `TFCHECK_ATTACK_BIN` to run these tests against another tfcheck binary (an older build).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("tfcheck-attack-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tree(dir)
    }

    fn write(&self, path: &str, contents: &str) -> &Tree {
        let p = self.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    /// Runs tfcheck on the whole tree from its root, with `args` before the path.
    fn run(&self, args: &[&str]) -> Output {
        let bin = std::env::var_os("TFCHECK_ATTACK_BIN").map(PathBuf::from);
        let bin = bin.as_deref().unwrap_or(Path::new(env!("CARGO_BIN_EXE_tfcheck")));
        let out = Command::new(bin)
            .current_dir(&self.0)
            .args(args)
            .arg(".")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GITHUB_OUTPUT")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0..=2)), "{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn stdout(&self, args: &[&str]) -> String {
        String::from_utf8(self.run(args).stdout).expect("output is UTF-8")
    }

    /// The job summary written by `--format github`.
    fn summary(&self) -> String {
        let path = self.0.join("..").join(format!("{}.summary.md", self.0.file_name().unwrap().to_string_lossy()));
        let _ = std::fs::remove_file(&path);
        let bin = std::env::var_os("TFCHECK_ATTACK_BIN").map(PathBuf::from);
        let bin = bin.as_deref().unwrap_or(Path::new(env!("CARGO_BIN_EXE_tfcheck")));
        let out = Command::new(bin)
            .current_dir(&self.0)
            .args(["--format", "github", "."])
            .env("GITHUB_STEP_SUMMARY", &path)
            .env_remove("GITHUB_OUTPUT")
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0..=2)), "{}", String::from_utf8_lossy(&out.stderr));
        let s = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        s
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An insecure repository (ecr_nocmk and ecr_mutable_tags fire) with these for_each keys,
/// written as HCL string literals.
fn ecr(keys: &[&str]) -> String {
    format!(
        "resource \"aws_ecr_repository\" \"r\" {{\n  for_each = toset([{}])\n  name = each.key\n  image_tag_mutability = \"MUTABLE\"\n}}\n",
        keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")
    )
}

/// Lines as the GitHub runner reads them: split at CR, LF or CRLF, leading blanks trimmed.
fn runner_lines(out: &str) -> impl Iterator<Item = &str> {
    out.split(['\r', '\n']).map(str::trim_start)
}

fn assert_no_workflow_command(out: &str) {
    for l in runner_lines(out) {
        assert!(!l.starts_with("::"), "a line the runner reads as a command: {l:?}\n{out}");
    }
}

/// Characters no report may print raw (tab and newline are allowed where `layout` is true).
fn hostile(c: char, layout: bool) -> bool {
    let layout_char = c == '\n' || c == '\t';
    (c.is_control() && !(layout && layout_char))
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

fn assert_no_raw_hostile(what: &str, out: &str, layout: bool) {
    let bad: Vec<char> = out.chars().filter(|&c| hostile(c, layout)).collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in\n{out}");
}

#[test]
fn a_carriage_return_in_a_comment_starts_no_workflow_command() {
    let t = Tree::new("cr-comment");
    t.write("main.tf", &format!("# harmless\r::error file=x::owned\n{}", ecr(&["k"])));
    let out = t.stdout(&["--format", "human"]);
    assert!(out.contains("owned"), "the comment is in the snippet: {out}");
    assert!(!out.contains('\r'), "{out}");
    assert_no_workflow_command(&out);
    // Variations: CR in a value, in a key and in a trailing comment of the flagged line.
    let t = Tree::new("cr-value");
    t.write(
        "main.tf",
        "resource \"aws_ecr_repository\" \"r\" {\n  for_each = toset([\"a\\r::error::key\"])\n  name = \"n\"\n  image_tag_mutability = \"MUTABLE\" # x\r::warning::c\n  encryption_configuration {\n    encryption_type = \"AES\\r::error::value\"\n  }\n}\n",
    );
    let out = t.stdout(&["--format", "human"]);
    assert!(!out.contains('\r'), "{out}");
    assert_no_workflow_command(&out);
}

#[test]
fn a_newline_in_a_directory_name_stays_in_the_snippet_header() {
    let t = Tree::new("nl-dir");
    t.write("a\n::add-mask::x/main.tf", &ecr(&["k"]));
    let out = t.stdout(&["--format", "human"]);
    assert_no_workflow_command(&out);
    let header = out.lines().find(|l| l.contains("╭─[")).expect("a snippet header");
    assert!(header.contains("::add-mask::x/main.tf:"), "{header}");
    // And in a file name, a module source and a for_each key.
    let t = Tree::new("nl-file");
    t.write("x\n::error::f.tf", &ecr(&["k\\n::error::key"]));
    t.write("main.tf", "module \"m\" {\n  source = \"./m\\n::add-mask::y\"\n}\n");
    t.write("m\n::add-mask::y/main.tf", &ecr(&["k"]));
    let out = t.stdout(&["--format", "human"]);
    assert!(out.contains("add-mask"), "the module was scanned: {out}");
    assert_no_workflow_command(&out);
}

#[test]
fn escape_sequences_do_not_reach_the_terminal() {
    let t = Tree::new("esc");
    // An OSC 8 hyperlink in directory names (a file name cannot hold `/`), and a
    // clear-screen and another hyperlink in the snippet.
    t.write(
        "\x1b]8;;http:/evil\x1b\\click\x1b]8;;\x1b\\/main.tf",
        &format!("# \x1b[2J\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\n{}", ecr(&["k"])),
    );
    t.write("k.tf", &ecr(&["\\u001b[2J", "\\u009b31m"]).replace("\"r\"", "\"s\""));
    for color in ["never", "always"] {
        let out = t.stdout(&["--format", "human", "--color", color]);
        assert!(out.contains("click"), "{out}");
        assert!(!out.contains("\x1b]") && !out.contains("\x1b[2J") && !out.contains('\u{9b}'), "{out:?}");
        if color == "never" {
            assert_no_raw_hostile("human", &out, true);
        }
    }
}

#[test]
fn bidi_controls_are_shown_not_applied() {
    let t = Tree::new("bidi");
    t.write(
        "main.tf",
        &format!(
            "# access \u{202e} }}\u{2066}if (admin)\u{2069} \u{2066} // \u{2067}x\u{2069}\n{}",
            ecr(&["k\u{202e}lmth.exe", "\u{2066}x\u{2069}"])
        ),
    );
    t.write("\u{202e}fig.tf", &ecr(&["k"]).replace("\"r\"", "\"s\""));
    let out = t.stdout(&["--format", "human"]);
    assert!(out.contains("\\u{202e}"), "{out}");
    assert_no_raw_hostile("human", &out, true);
}

#[test]
fn underlines_stay_under_the_span_after_escapes() {
    let t = Tree::new("underline");
    t.write(
        "main.tf",
        "resource \"aws_ecr_repository\" \"r\" {\n  name = \"n\"\n  /* \x1b[2J\r\u{202e}\x7f */ image_tag_mutability = \"MUTABLE\"\n  encryption_configuration {\n    encryption_type = \"KMS\"\n  }\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n",
    );
    let out = t.stdout(&["--format", "human", "--rule", "ecr_mutable_tags"]);
    let lines: Vec<&str> = out.lines().collect();
    let i = lines.iter().position(|l| l.contains("image_tag_mutability =")).expect("the snippet line");
    let col = |s: &str, pat: &str| s[..s.find(pat).unwrap()].chars().count();
    let text_at = col(lines[i], "image_tag_mutability");
    let underline = lines[i + 1];
    let under_at = underline.chars().position(|c| c == '─' || c == '┬').expect("an underline");
    assert_eq!(under_at, text_at, "\n{}\n{}", lines[i], underline);
    // The header gives the column in the file (characters), not in the escaped line.
    assert!(out.contains("[main.tf:3:17]"), "{out}");
}

#[test]
fn the_job_summary_renders_no_markup_from_input() {
    let t = Tree::new("summary");
    t.write(
        "main.tf",
        &ecr(&[
            "a`|[x](http://evil)|`",
            "<img src=x onerror=alert(1)>",
            "<h1>H</h1>",
            "line\\nbreak\\r| x |",
            "@octocat #1 www.evil.com :x: $\\\\sqrt{2}$ **b** _i_ ~~s~~ ![i](http://evil/i.png) &lt;",
        ]),
    );
    t.write("d|<b>`[y](http:/e)/main.tf", &ecr(&["k"]).replace("\"r\"", "\"s\""));
    let md = t.summary();
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| medium |")).collect();
    assert!(rows.len() >= 6, "{md}");
    for row in &rows {
        // Five cells, so six pipes: no input pipe splits a cell.
        assert_eq!(row.matches('|').count(), 6, "{row}");
        // Backticks only around the rule id; HTML only our own <code>; no link but the rule's.
        assert_eq!(row.matches('`').count(), 2, "{row}");
        let without_code = row.replace("<code>", "").replace("</code>", "");
        assert!(!without_code.contains('<') && !without_code.contains('>'), "{row}");
        assert_eq!(row.matches("](").count(), 1, "{row}");
        for bad in ["http:", "www.", "@octocat", ":x:", "$", "**", "~~", "&lt;", "\\"] {
            assert!(!row.contains(bad), "{bad} in {row}");
        }
    }
    assert_no_raw_hostile("summary", &md, true);
    // Nothing outside the table came from input.
    for l in md.lines().filter(|l| !l.starts_with('|')) {
        assert!(!l.contains("evil") && !l.contains('<'), "{l}");
    }
}

/// A conservative check of the XML 1.0 this tool writes: only allowed characters, well-formed
/// references, quoted attributes without `<`, balanced tags, one root element.
fn check_xml(doc: &str) -> Result<(), String> {
    fn allowed(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
    }
    fn reference(s: &str) -> Result<usize, String> {
        let end = s.find(';').ok_or("unterminated reference")?;
        let name = &s[1..end];
        let ok = match name.strip_prefix('#') {
            Some(n) => {
                let v = match n.strip_prefix('x') {
                    Some(h) => u32::from_str_radix(h, 16),
                    None => n.parse(),
                };
                v.ok().and_then(char::from_u32).is_some_and(allowed)
            }
            None => matches!(name, "amp" | "lt" | "gt" | "quot" | "apos"),
        };
        if ok { Ok(end + 1) } else { Err(format!("bad reference &{name};")) }
    }
    fn text(s: &str) -> Result<(), String> {
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            let c = rest.chars().next().unwrap();
            if !allowed(c) {
                return Err(format!("character {c:?} not allowed in XML 1.0"));
            }
            match c {
                '&' => i += reference(rest)?,
                '<' => return Err("< in text or attribute".into()),
                _ => i += c.len_utf8(),
            }
        }
        if s.contains("]]>") { Err("]]> in text".into()) } else { Ok(()) }
    }
    let body = doc.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").ok_or("no XML declaration")?;
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let before = &rest[..lt];
        if stack.is_empty() {
            if !before.trim().is_empty() {
                return Err(format!("text outside the root: {before:?}"));
            }
        } else {
            text(before)?;
        }
        let gt = rest[lt..].find('>').ok_or("unterminated tag")? + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop() != Some(name) {
                return Err(format!("unbalanced </{name}>"));
            }
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let name = &tag[..name_end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(format!("bad element name {name:?}"));
            }
            let mut attrs = tag[name_end..].trim_start();
            let mut seen = Vec::new();
            while !attrs.is_empty() {
                let eq = attrs.find("=\"").ok_or_else(|| format!("bad attribute in <{tag}>"))?;
                let key = &attrs[..eq];
                if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) || seen.contains(&key) {
                    return Err(format!("bad attribute name {key:?}"));
                }
                seen.push(key);
                let close = attrs[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
                text(&attrs[eq + 2..close])?;
                attrs = attrs[close + 1..].trim_start();
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    if !rest.trim().is_empty() || !stack.is_empty() || roots != 1 {
        return Err(format!("unclosed {stack:?}, {roots} roots, trailing {rest:?}"));
    }
    Ok(())
}

#[test]
fn the_xml_check_rejects_what_it_must() {
    assert!(check_xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a b=\"&amp;\"><c/>x</a>\n").is_ok());
    for bad in
        ["<a>\u{ffff}</a>", "<a>&#1;</a>", "<a b=\"<\"/>", "<a>&x;</a>", "<a><b></a>", "<a/><a/>", "<a>\u{1}</a>"]
    {
        assert!(check_xml(&format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{bad}")).is_err(), "{bad}");
    }
}

#[test]
fn junit_is_well_formed_xml_for_any_key() {
    let t = Tree::new("junit");
    t.write(
        "main.tf",
        &ecr(&["\\uffff", "\\ufffe", "\\u0001", "\\u001b[2J", "<&>'\\\"]]>", "\\r\\n\\t", "\\u0085\\u202e"]),
    );
    t.write("d\x01\x1b\r\n<&\"'/main.tf", &ecr(&["k"]).replace("\"r\"", "\"s\""));
    let xml = t.stdout(&["--format", "junit"]);
    if let Err(e) = check_xml(&xml) {
        panic!("{e}:\n{xml}");
    }
    assert!(xml.contains("\\u{ffff}"), "the key is shown, escaped: {xml}");
    assert_no_raw_hostile("junit", &xml, true);
}

/// Decodes an RFC 3986 relative reference, checking it holds only unreserved characters,
/// `/` and well-formed percent-encodings.
fn decode_uri(uri: &str) -> Result<String, String> {
    let b = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = uri.get(i + 1..i + 3).ok_or("truncated %")?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad %{hex}"))?);
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || b"-._~/".contains(&c) => {
                out.push(c);
                i += 1;
            }
            c => return Err(format!("raw {:?} in {uri:?}", c as char)),
        }
    }
    String::from_utf8(out).map_err(|e| e.to_string())
}

fn sarif_uris(sarif: &serde_json::Value) -> Vec<String> {
    let mut uris = Vec::new();
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        for l in r["locations"].as_array().into_iter().chain(r["relatedLocations"].as_array()).flatten() {
            uris.push(l["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string());
        }
    }
    uris
}

#[test]
fn sarif_artifact_uris_are_percent_encoded() {
    let t = Tree::new("sarif-uri");
    t.write("a b#c?d%41/main.tf", &ecr(&["k"]));
    let sarif: serde_json::Value = serde_json::from_str(&t.stdout(&["--format", "sarif"])).unwrap();
    let uris = sarif_uris(&sarif);
    assert!(!uris.is_empty());
    assert!(uris.iter().all(|u| u == "a%20b%23c%3Fd%2541/main.tf"), "{uris:?}");
    // Variations: non-ASCII, controls, a scheme-like first segment, reserved characters.
    let names = ["é ü/main.tf", "x\ny\r\x1b/main.tf", "c:x/main.tf", "[a]@!$&'()*+,;=/main.tf", "~ok-._/main.tf"];
    let t = Tree::new("sarif-uris");
    for (i, n) in names.iter().enumerate() {
        t.write(n, &ecr(&["k"]).replace("\"r\"", &format!("\"r{i}\"")));
    }
    let sarif: serde_json::Value = serde_json::from_str(&t.stdout(&["--format", "sarif"])).unwrap();
    let mut decoded: Vec<String> = sarif_uris(&sarif).iter().map(|u| decode_uri(u).unwrap()).collect();
    decoded.sort();
    decoded.dedup();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    assert_eq!(decoded, expected);
    assert!(sarif_uris(&sarif).iter().any(|u| u == "c%3Ax/main.tf"), "no scheme: {:?}", sarif_uris(&sarif));
}

#[test]
fn sarif_messages_carry_no_links_or_controls_from_input() {
    let t = Tree::new("sarif-text");
    t.write("main.tf", &ecr(&["[x](http://evil)", "\\u001b[2J\\u202e", "\\\\[y](1)"]));
    let sarif: serde_json::Value = serde_json::from_str(&t.stdout(&["--format", "sarif"])).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let text = r["message"]["text"].as_str().unwrap();
        assert_no_raw_hostile("sarif message", text, true);
        // Every `[` and `]` from input is escaped: an unescaped `](` would start a link.
        let b = text.as_bytes();
        for i in 1..b.len() {
            if b[i] == b'(' && b[i - 1] == b']' {
                let backslashes = b[..i - 1].iter().rev().take_while(|&&c| c == b'\\').count();
                assert!(backslashes % 2 == 1, "an embedded link in {text:?}");
            }
        }
    }
}

#[test]
fn workflow_commands_stay_single_lines_with_cr_and_lf_in_every_field() {
    let t = Tree::new("annotations");
    t.write(
        "a\r::error::dir\n::add-mask::d/x\n::warning::f,:%0A.tf",
        &ecr(&["k\\r\\n::error::key", "%0A::error::pct"]),
    );
    t.write(
        "v.tf",
        "resource \"aws_ecr_repository\" \"v\" {\n  name = \"n\"\n  encryption_configuration {\n    encryption_type = \"A\\r\\n::error::value\"\n  }\n}\n",
    );
    t.write("broken\r\n::error::parse.tf", "resource \"x\" {\n  a = \n");
    let out = t.stdout(&["--format", "github"]);
    let commands: Vec<&str> = runner_lines(&out).filter(|l| l.starts_with("::")).collect();
    assert!(commands.len() >= 3, "{out}");
    for c in &commands {
        let valid = ["::error ", "::warning ", "::notice "];
        assert!(valid.iter().any(|v| c.starts_with(v)), "a command from input: {c:?}\n{out}");
    }
    // The format writes commands and one closing line, nothing else: no field spilled over.
    for l in runner_lines(&out) {
        assert!(l.is_empty() || l.starts_with("::") || l.starts_with("tfcheck: "), "{l:?}\n{out}");
    }
    // Each command is one line of the output, so the runner sees as many as were written.
    assert_eq!(commands.len(), out.lines().filter(|l| l.starts_with("::")).count(), "{out}");
    assert!(!out.contains('\r'), "{out:?}");
    assert_no_raw_hostile("github", &out, true);
}

#[test]
fn no_format_prints_raw_control_characters() {
    let t = Tree::new("all-formats");
    t.write(
        "d\x1b[31m\u{9b}\u{202e}\x7f/main.tf",
        &format!("# \x1b]8;;http://e\x07\u{85}\u{2028}\n{}", ecr(&["\\u001b]0;t\\u0007", "\\u202e\\u0085"])),
    );
    for format in ["human", "github", "junit"] {
        let out = t.stdout(&["--format", format]);
        assert!(out.contains("main.tf"), "{format}: {out}");
        assert_no_raw_hostile(format, &out, true);
    }
    // JSON and SARIF are JSON: serde_json escapes C0 controls; SARIF texts are escaped too.
    for format in ["json", "sarif"] {
        let out = t.stdout(&["--format", format]);
        assert!(!out.chars().any(|c| c < ' ' && c != '\n'), "{format}: {out:?}");
        let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    }
    assert_no_raw_hostile("summary", &t.summary(), true);
}
