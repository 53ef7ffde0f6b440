//! Hostile input: every case ends in a clear diagnostic, and the rest of the scan (a plain
//! insecure repository next to the hostile file) is still reported.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CANARY: &str = "resource \"aws_ecr_repository\" \"canary\" {\n  name = \"canary\"\n}\n";

struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("tfcheck-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("canary.tf"), CANARY).unwrap();
        Tree(dir)
    }

    fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    /// Runs tfcheck; returns (exit code, findings addresses, diagnostics as "level: message").
    fn scan(&self, extra: &[&str]) -> (i32, Vec<String>, Vec<String>) {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
            .current_dir(&self.0)
            .args(["--format", "json", "--rule", "ecr_nocmk", "."])
            .args(extra)
            .output()
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
        let j: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let findings =
            j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap().to_string()).collect();
        let diags = j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{}: {} ({}:{})",
                    d["level"].as_str().unwrap(),
                    d["message"].as_str().unwrap(),
                    d["file"],
                    d["line"]
                )
            })
            .collect();
        (out.status.code().unwrap_or(-1), findings, diags)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn has(diags: &[String], needle: &str) -> bool {
    diags.iter().any(|d| d.contains(needle))
}

#[test]
fn deeply_nested_expressions() {
    let t = Tree::new("nesting");
    let deep = format!("locals {{\n  x = {}1{}\n}}\n", "[".repeat(100_000), "]".repeat(100_000));
    t.write("deep.tf", deep);
    t.write("unary.tf", format!("locals {{\n  y = {}true\n}}\n", "!".repeat(100_000)));
    t.write("json.tf.json", format!("{{\"locals\": {{\"z\": {}1{}}}}}", "[".repeat(100_000), "]".repeat(100_000)));
    let (code, findings, diags) = t.scan(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, vec!["aws_ecr_repository.canary"]);
    assert!(has(&diags, "nesting deeper than"), "{diags:#?}");
    assert!(has(&diags, "JSON nested deeper"), "{diags:#?}");
}

#[test]
fn binary_and_non_utf8_files() {
    let t = Tree::new("binary");
    t.write("blob.tf", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    t.write("latin1.tf", b"locals {\n  name = \"caf\xe9\"\n}\n");
    let (code, findings, diags) = t.scan(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, vec!["aws_ecr_repository.canary"]);
    assert!(has(&diags, "binary file"), "{diags:#?}");
    assert!(has(&diags, "not valid UTF-8") && has(&diags, ":2)"), "{diags:#?}");
    // Each is reported (and counted) once, not again when its module is built.
    assert_eq!(diags.len(), 2, "{diags:#?}");
}

#[test]
fn files_over_the_size_limit_are_reported() {
    let t = Tree::new("huge");
    // 100 MB, sparse: it costs no disk, and tfcheck must not read it to refuse it.
    let f = std::fs::File::create(t.0.join("huge.tf")).unwrap();
    f.set_len(100 << 20).unwrap();
    let (code, findings, diags) = t.scan(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, vec!["aws_ecr_repository.canary"]);
    assert!(has(&diags, "over the 16 MiB limit"), "{diags:#?}");
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let t = Tree::new("symlinks");
    t.write("sub/main.tf", "resource \"aws_ecr_repository\" \"sub\" {\n  name = \"sub\"\n}\n");
    std::os::unix::fs::symlink(&t.0, t.0.join("sub/loop")).unwrap();
    let (code, mut findings, diags) = t.scan(&[]);
    findings.sort();
    // Each real directory is walked once: the loop leads somewhere already scanned.
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.sub"]);
    assert_eq!((code, diags.len()), (1, 0), "{diags:#?}");
}

#[test]
fn modules_calling_each_other_in_a_cycle() {
    let t = Tree::new("module-cycle");
    t.write(
        "a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_ecr_repository\" \"a\" {\n  name = \"a\"\n}\n",
    );
    t.write("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n");
    t.write("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n");
    let (code, findings, diags) = t.scan(&[]);
    assert_eq!(code, 2);
    assert!(findings.contains(&"module.a.aws_ecr_repository.a".to_string()), "{findings:?}");
    assert!(has(&diags, "module calls form a cycle"), "{diags:#?}");
}

#[test]
fn locals_referring_to_each_other() {
    let t = Tree::new("locals-cycle");
    t.write("main.tf", "locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  encryption_configuration {\n    encryption_type = local.a\n  }\n}\n");
    let (code, mut findings, diags) = t.scan(&[]);
    findings.sort();
    assert_eq!(code, 2);
    // Whatever local.a would be, r names no kms_key: not a customer key either way.
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.r"]);
    assert!(has(&diags, "cycle: local.a -> local.b -> local.c -> local.a"), "{diags:#?}");
}

#[test]
fn huge_count_and_for_each_are_bounded() {
    let t = Tree::new("expansion");
    t.write("main.tf", "resource \"aws_ecr_repository\" \"many\" {\n  count = 1000000000\n  name  = \"many-${count.index}\"\n}\nresource \"aws_ecr_repository\" \"wide\" {\n  for_each = toset([for i in range(100000) : tostring(i)])\n  name     = each.key\n}\n");
    let (code, mut findings, diags) = t.scan(&[]);
    findings.sort();
    // A limit of tfcheck's: an error (exit 2), and the blocks are still checked once each, at
    // the address without a key: insecure whatever the instance.
    assert_eq!(code, 2);
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.many", "aws_ecr_repository.wide"]);
    assert!(has(&diags, "error: count = 1000000000 is more than tfcheck's limit of 10000"), "{diags:#?}");
}

#[test]
fn file_functions_stay_inside_the_scanned_tree() {
    let t = Tree::new("sandbox");
    t.write(
        "main.tf",
        "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  encryption_configuration {\n    encryption_type = file(\"/etc/passwd\")\n  }\n}\nresource \"aws_ecr_repository\" \"t\" {\n  name = \"t\"\n  encryption_configuration {\n    encryption_type = templatefile(\"../../outside.tpl\", {})\n  }\n}\n",
    );
    let (code, mut findings, diags) = t.scan(&[]);
    findings.sort();
    assert_eq!(code, 2);
    // Nothing was read; whatever the files hold, neither repository names a kms_key.
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.r", "aws_ecr_repository.t"]);
    assert!(diags.iter().filter(|d| d.contains("outside the repository being scanned")).count() >= 2, "{diags:#?}");
}

#[test]
fn pathological_regex_finishes() {
    let t = Tree::new("regex");
    let input = "a".repeat(10_000);
    t.write(
        "main.tf",
        format!("locals {{\n  m = regexall(\"(a*)*b\", \"{input}\")\n  n = regex(\"(x+x+)+y\", \"{}\")\n}}\nresource \"aws_ecr_repository\" \"r\" {{\n  name = \"r-${{length(local.m)}}\"\n  encryption_configuration {{\n    encryption_type = try(local.n, \"AES256\")\n  }}\n}}\n", "x".repeat(10_000)),
    );
    let (_, mut findings, _) = t.scan(&[]);
    findings.sort();
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.r"]);
}

#[test]
fn missing_paths_and_unreadable_var_files() {
    let t = Tree::new("missing");
    let (code, findings, diags) = t.scan(&["--var-file", "nope.tfvars", "does-not-exist"]);
    assert_eq!(code, 2);
    assert_eq!(findings, vec!["aws_ecr_repository.canary"]);
    assert!(has(&diags, "nope.tfvars") && has(&diags, "does-not-exist"), "{diags:#?}");
    assert!(Path::new(&t.0).exists());
}

#[test]
fn a_gigabyte_plan_of_whitespace_is_refused() {
    let t = Tree::new("plan-whitespace");
    let path = t.0.join("plan.json");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..1024 {
            f.write_all(&spaces).unwrap();
        }
    }
    let start = Instant::now();
    let (code, findings, diags) = t.scan(&["plan.json"]);
    assert_eq!(code, 2);
    // The plan is refused; the configuration next to it is still scanned.
    assert_eq!(findings, vec!["aws_ecr_repository.canary"]);
    assert!(has(&diags, "larger than the 256 MiB limit for plans"), "{diags:#?}");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn nested_for_expressions_over_large_ranges_end() {
    let t = Tree::new("for-bomb");
    t.write(
        "main.tf",
        "locals {\n  cube = flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : a + b + c]]])\n}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r-${length(local.cube)}\"\n}\n",
    );
    let (_, mut findings, diags) = t.scan(&[]);
    findings.sort();
    // The repository is still checked (its name is unknown, its missing encryption is not).
    assert_eq!(findings, vec!["aws_ecr_repository.canary", "aws_ecr_repository.r"]);
    assert!(has(&diags, "error: tfcheck's evaluation budget of 1000000 steps for one argument is spent"), "{diags:#?}");
}

#[test]
fn many_resources_joined_to_many_others_stay_linear() {
    // 10,000 buckets, each named by one of 10,000 encryption configurations: referencing()
    // looks up the configurations that may name a bucket instead of trying all of them
    // (10^8 comparisons before).
    let t = Tree::new("join");
    t.write(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  count  = 10000\n  bucket = \"b-${count.index}\"\n}\nresource \"aws_s3_bucket_server_side_encryption_configuration\" \"c\" {\n  count  = 10000\n  bucket = aws_s3_bucket.b[count.index].id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"AES256\"\n    }\n  }\n}\n",
    );
    let (code, findings, diags) = t.scan(&["--rule", "s3_nocmk"]);
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(findings.iter().filter(|f| f.starts_with("aws_s3_bucket.b[")).count(), 10_000);
    assert!(findings.contains(&"aws_s3_bucket.b[9999]".to_string()));
}

#[test]
fn many_resources_naming_many_others_stay_linear() {
    // 10,000 instances, each launching from its own one of 10,000 launch templates, named by
    // id (known at apply) and 10,000 more by a name written in the template: referenced()
    // looks up the templates an instance may name instead of trying all of them.
    let t = Tree::new("named");
    t.write(
        "main.tf",
        "resource \"aws_launch_template\" \"t\" {\n  count = 10000\n}\nresource \"aws_instance\" \"by_id\" {\n  count = 10000\n  launch_template {\n    id = aws_launch_template.t[count.index].id\n  }\n}\nresource \"aws_launch_template\" \"n\" {\n  count = 10000\n  name  = \"n-${count.index}\"\n}\nresource \"aws_instance\" \"by_name\" {\n  count = 10000\n  launch_template {\n    name = aws_launch_template.n[count.index].name\n  }\n}\n",
    );
    let (code, findings, diags) = t.scan(&["--rule", "ebs_nocmk"]);
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(findings.iter().filter(|f| f.starts_with("aws_instance.by_id[")).count(), 10_000);
    assert_eq!(findings.iter().filter(|f| f.starts_with("aws_instance.by_name[")).count(), 10_000);
}

#[test]
fn account_wide_settings_are_read_once_per_configuration() {
    // 10,000 default-key settings and 10,000 volumes: ebs_nocmk's look at the account's
    // defaults does not depend on the volume, so it is evaluated once (10^8 steps before).
    let t = Tree::new("account-defaults");
    t.write(
        "main.tf",
        "resource \"aws_ebs_default_kms_key\" \"k\" {\n  count   = 10000\n  key_arn = \"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\n}\nresource \"aws_ebs_volume\" \"v\" {\n  count             = 10000\n  availability_zone = \"eu-west-1a\"\n  size              = 1\n}\n",
    );
    let (code, findings, diags) = t.scan(&["--rule", "ebs_nocmk"]);
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(findings.iter().filter(|f| f.starts_with("aws_ebs_volume.v[")).count(), 10_000);
}
