//! Attacks on what tfcheck reads: a pull request controls every file of the scanned tree, so
//! it must not make tfcheck read outside the repository (or `.git/`), block on a FIFO, read
//! a device, or walk a symlink bomb, and what it tries must end in a located error (exit 2),
//! never in the secret being printed. Set `TFCHECK_ATTACK_BIN` to run them against another
//! tfcheck binary (an older build).

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Secrets in the three places a runner keeps them.
const ENV_SECRET: &str = "EnvCanary7f3a9c1e5b";
const GIT_SECRET: &str = "GitCanary2d8e4f6a0c";
const OUT_SECRET: &str = "OutCanary9b1c3e5d7f";

const INSECURE: &str = "resource \"aws_ecr_repository\" \"canary\" {\n  name = \"canary\"\n}\n";

/// A repository (`repo/`, with `.git/config` holding a token) next to a directory outside it
/// (`outside/`, holding a secret file and a Terraform file).
struct Repo {
    top: PathBuf,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let top = std::env::temp_dir().join(format!("tfcheck-attack-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&top);
        let r = Repo { top };
        r.write(".git/config", format!("[http]\n\textraheader = AUTHORIZATION: basic {GIT_SECRET}\n"));
        r.write("canary.tf", INSECURE);
        r.write_outside("secret.txt", OUT_SECRET);
        r.write_outside("secret.tf", format!("{OUT_SECRET} {{\n"));
        r
    }

    fn root(&self) -> PathBuf {
        self.top.join("repo")
    }

    fn write(&self, path: &str, text: impl AsRef<[u8]>) -> &Repo {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    fn write_outside(&self, path: &str, text: impl AsRef<[u8]>) {
        let p = self.top.join("outside").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn link(&self, target: impl AsRef<Path>, path: &str) -> &Repo {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, p).unwrap();
        self
    }

    fn outside(&self) -> PathBuf {
        self.top.join("outside")
    }

    /// Runs tfcheck in the repository with the secret in its environment.
    fn run(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let start = Instant::now();
        let bin = std::env::var_os("TFCHECK_ATTACK_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_tfcheck").into());
        let mut cmd = Command::new(bin);
        cmd.current_dir(self.root()).args(args).env("RUNNER_SECRET", ENV_SECRET).env_remove("GITHUB_STEP_SUMMARY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
        }
    }

    /// The JSON report: (exit code, finding addresses, "level: message @ file:line").
    fn json(&self, extra: &[&str]) -> (i32, Vec<String>, Vec<String>) {
        let mut args = vec!["--format", "json", "--rule", "ecr_nocmk"];
        args.extend(extra);
        let r = self.run(&args, &[]);
        assert!(r.elapsed < Duration::from_secs(5), "took {:?}", r.elapsed);
        assert_no_secret(&r.stdout, "stdout");
        assert_no_secret(&r.stderr, "stderr");
        let j: serde_json::Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        let mut findings: Vec<String> =
            j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap().to_string()).collect();
        findings.sort();
        let diags = j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let line = d["line"].as_u64().map(|l| format!(":{l}")).unwrap_or_default();
                format!(
                    "{}: {} @ {}{line}",
                    d["level"].as_str().unwrap(),
                    d["message"].as_str().unwrap(),
                    d["file"].as_str().unwrap_or("")
                )
            })
            .collect();
        (r.code, findings, diags)
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.top);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..=c.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Fails when `text` holds a secret: raw, with anything between its characters (spaced out
/// to dodge GitHub's masking, or split by escapes), or base64-encoded at any alignment.
fn assert_no_secret(text: &str, what: &str) {
    let squeezed: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    for secret in [ENV_SECRET, GIT_SECRET, OUT_SECRET] {
        assert!(!squeezed.contains(secret), "{what} leaks {secret}:\n{text}");
        for pad in 0..3 {
            let padded = format!("{}{secret}", "x".repeat(pad));
            let enc = base64(padded.as_bytes());
            // The characters that encode only the secret (skip the padding's and the tail's).
            let core = &enc[(pad * 4).div_ceil(3) + 1..enc.len() - 4];
            assert!(!text.contains(core), "{what} leaks {secret} in base64 ({core}):\n{text}");
        }
    }
}

fn has(diags: &[String], needle: &str) -> bool {
    diags.iter().any(|d| d.contains(needle))
}

#[test]
fn the_secret_checker_finds_what_it_looks_for() {
    let caught = |t: &str| std::panic::catch_unwind(|| assert_no_secret(t, "t")).is_err();
    assert!(caught(&format!("x {ENV_SECRET} y")));
    assert!(caught(&ENV_SECRET.chars().map(|c| format!("{c} ")).collect::<String>()));
    assert!(caught(&format!("a{}b", base64(format!("RUNNER_SECRET={ENV_SECRET}\n").as_bytes()))));
    assert!(!caught("nothing here"));
}

#[test]
fn a_module_call_does_not_widen_what_file_may_read() {
    let r = Repo::new("proc-module");
    r.write(
        "main.tf",
        "module \"u\" {\n  source = \"../../../../../../../../proc\"\n  count  = 0\n}\n\
         resource \"aws_ecr_repository\" \"x\" {\n  name                 = \"x\"\n  image_tag_mutability = replace(file(\"/proc/self/environ\"), \"/(.)/\", \"$1 \")\n}\n",
    );
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, ["aws_ecr_repository.canary", "aws_ecr_repository.x"]);
    assert!(
        has(
            &diags,
            "error: module source \"../../../../../../../../proc\": it leads outside the repository being scanned; not read @ main.tf:2"
        ),
        "{diags:#?}"
    );
    assert!(has(&diags, "/proc/self/environ: it leads outside the repository being scanned"), "{diags:#?}");
}

#[test]
fn a_module_manifest_does_not_widen_it_either() {
    let r = Repo::new("manifest");
    r.write(
        "main.tf",
        "module \"m\" {\n  source = \"terraform-aws-modules/x/aws\"\n}\n\
         resource \"aws_ecr_repository\" \"x\" {\n  name                 = \"x\"\n  image_tag_mutability = file(\"/proc/self/environ\")\n}\n",
    );
    r.write(
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"m","Source":"x","Dir":"/"}]}"#,
    );
    let (code, _, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert!(
        has(
            &diags,
            "error: modules.json: \"/\" for module \"m\": it leads outside the repository being scanned; not read @ .terraform/modules/modules.json:1"
        ),
        "{diags:#?}"
    );
}

#[test]
fn functions_never_read_git() {
    let r = Repo::new("git-config");
    r.write(
        "main.tf",
        "locals {\n  t = [file(\".git/config\"), filebase64(\"./.git/config\"), templatefile(\".git/config\", {}), fileexists(\".GIT/config\")]\n}\n\
         resource \"aws_ecr_repository\" \"x\" {\n  name                 = \"x\"\n  image_tag_mutability = join(\",\", local.t)\n}\n",
    );
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(findings, ["aws_ecr_repository.canary", "aws_ecr_repository.x"]);
    assert_eq!(code, 2, "{diags:#?}");
    assert!(has(&diags, ".git/config: it is inside .git, which tfcheck never reads"), "{diags:#?}");
}

#[test]
fn symlinked_sources_out_of_the_tree_are_refused() {
    let r = Repo::new("symlinked-sources");
    r.link("/proc/self/environ", "env.tf");
    r.link("/etc/passwd", "passwd.tf");
    r.link(r.outside().join("secret.tf"), "out.tf");
    r.link(r.outside().join("secret.txt"), "terraform.tfvars");
    r.link(r.outside(), "vendor");
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, ["aws_ecr_repository.canary"]);
    for f in ["env.tf", "passwd.tf", "out.tf", "terraform.tfvars", "vendor"] {
        assert!(
            has(&diags, &format!("error: {f}: it leads outside the repository being scanned; not read @ {f}")),
            "{f}: {diags:#?}"
        );
    }
}

#[test]
fn files_a_discovered_configuration_names_stay_inside() {
    let r = Repo::new("config-names");
    r.write(".tfcheck.hcl", "var_files = [\"secret.tfvars\"]\nrule_dirs = [\"rules\"]\n");
    r.link(r.outside().join("secret.txt"), "secret.tfvars");
    r.link(r.outside().join("secret.txt"), "rules/x.hcl");
    r.link("/dev/zero", "rules/zero.hcl");
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, ["aws_ecr_repository.canary"]);
    assert!(has(&diags, "cannot read the variables file secret.tfvars: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "cannot read rule file rules/x.hcl: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "cannot read rule file rules/zero.hcl: it leads outside"), "{diags:#?}");
    // A configuration file that is itself a symlink out is refused too.
    std::fs::remove_file(r.root().join(".tfcheck.hcl")).unwrap();
    r.link(r.outside().join("secret.txt"), ".tfcheck.hcl");
    let (code, _, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert!(has(&diags, "cannot read .tfcheck.hcl: it leads outside"), "{diags:#?}");
}

#[test]
fn devices_fifos_and_system_trees_end_quickly() {
    let r = Repo::new("devices");
    r.link("/dev/zero", "zero.tf");
    r.link("/dev/zero", "modules/z/main.tf");
    r.link("/sys", "sys");
    r.write(
        "main.tf",
        "module \"z\" {\n  source = \"./modules/z\"\n}\nmodule \"f\" {\n  source = \"./modules/f\"\n}\n",
    );
    let fifo = r.root().join("modules/f/main.tf");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc_mkfifo(c.as_ptr(), 0o600) }, 0);
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(code, 2);
    assert_eq!(findings, ["aws_ecr_repository.canary"]);
    assert!(has(&diags, "error: zero.tf: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "error: sys: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "modules/z/main.tf: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "modules/f/main.tf: it is a FIFO, not a regular file"), "{diags:#?}");
    // The same through a user's --rules directory: its files are the repository's content.
    r.link("/dev/zero", "policy/zero.hcl");
    let (code, _, diags) = r.json(&["--rules", "policy"]);
    assert_eq!(code, 2);
    assert!(has(&diags, "cannot read rule file policy/zero.hcl: it leads outside"), "{diags:#?}");
}

unsafe extern "C" {
    #[link_name = "mkfifo"]
    fn libc_mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
}

#[test]
fn a_symlink_bomb_is_walked_once_per_directory() {
    let r = Repo::new("bomb");
    for i in 0..40 {
        for l in ["a", "b"] {
            r.link(r.root().join(format!("l{}", i + 1)), &format!("l{i}/{l}"));
        }
    }
    r.write("l40/main.tf", INSECURE.replace("canary", "deep"));
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(findings, ["aws_ecr_repository.canary", "aws_ecr_repository.deep"], "{diags:#?}");
    assert_eq!(code, 1, "{diags:#?}");
}

#[test]
fn files_terraform_ignores_are_ignored_everywhere() {
    let r = Repo::new("ignored");
    let decoy = "resource \"aws_ecr_repository\" \"this\" {\n  encryption_configuration {\n    encryption_type = \"KMS\"\n    kms_key = \"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\n  }\n}\n";
    r.write("main.tf", "module \"m\" {\n  source = \"./.hidden\"\n}\nmodule \"r\" {\n  source = \"reg/x/aws\"\n}\n");
    r.write(".hidden/main.tf", "resource \"aws_ecr_repository\" \"this\" {\n  name = \"h\"\n}\n");
    r.write(
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"r","Source":"reg/x/aws","Dir":".terraform/modules/r"}]}"#,
    );
    r.write(".terraform/modules/r/main.tf", "resource \"aws_ecr_repository\" \"this\" {\n  name = \"r\"\n}\n");
    for dir in [".hidden", ".terraform/modules/r", "."] {
        for name in [".a_override.tf", "b_override.tf~", "#c_override.tf#"] {
            r.write(&format!("{dir}/{name}"), decoy);
        }
    }
    let (code, findings, diags) = r.json(&[]);
    assert_eq!(
        findings,
        ["aws_ecr_repository.canary", "module.m.aws_ecr_repository.this", "module.r.aws_ecr_repository.this"],
        "{diags:#?}"
    );
    assert_eq!(code, 1, "{diags:#?}");
}

#[test]
fn one_configuration_per_scan_whatever_the_arguments() {
    let r = Repo::new("config");
    r.write("a/main.tf", INSECURE.replace("canary", "a"));
    r.write("a/.tfcheck.hcl", "exclude = [\"**\"]\n");
    r.write("b/main.tf", INSECURE.replace("canary", "b"));
    r.write(".tfcheck.hcl", "fail_on = \"high\"\n");
    for args in [["a", "b"], ["b", "a"], ["a/main.tf", "b/main.tf"]] {
        let out = r.run(&["--format", "json", "--rule", "ecr_nocmk", args[0], args[1]], &[]);
        let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let n = j["findings"].as_array().unwrap().len();
        assert_eq!(n, 2, "{args:?}: {}", out.stdout);
        assert_eq!(j["config"], ".tfcheck.hcl", "{args:?}");
        // fail_on = "high" from the repository's file: medium findings do not fail.
        assert_eq!(out.code, 0, "{args:?}");
    }
    let human = r.run(&["a", "b"], &[("NO_COLOR", Path::new("1"))]);
    assert!(human.stdout.contains("(configuration: .tfcheck.hcl)"), "{}", human.stdout);
}

#[test]
fn no_output_format_prints_a_secret() {
    let r = Repo::new("canary-all");
    let o = r.outside();
    r.write(
        "main.tf",
        format!(
            "module \"p\" {{\n  source = \"../../../../../../proc\"\n  count = 0\n}}\n\
             module \"o\" {{\n  source = \"../outside\"\n}}\n\
             locals {{\n  leaks = {{\n    env  = replace(file(\"/proc/self/environ\"), \"/(.)/\", \"$1 \")\n    git  = file(\".git/config\")\n    out  = file(\"{o}/secret.txt\")\n    b64  = filebase64(\"../outside/secret.txt\")\n    tpl  = templatefile(\"/proc/self/environ\", {{}})\n    home = file(\"~/../../proc/self/environ\")\n  }}\n}}\n\
             resource \"aws_ecr_repository\" \"x\" {{\n  for_each             = local.leaks\n  name                 = each.value\n  image_tag_mutability = each.value\n  tags                 = {{ leak = each.value }}\n}}\n",
            o = o.display()
        ),
    );
    r.link("/proc/self/environ", "env.tf");
    r.link(o.join("secret.tf"), "out.tf");
    r.link(o.join("secret.txt"), "leak.auto.tfvars");
    r.link(o.join("secret.txt"), "x/main.tf");
    r.link(o.clone(), "vendor");
    r.write(".tfcheck.hcl", "var_files = [\"s.tfvars\"]\n");
    r.link(o.join("secret.txt"), "s.tfvars");
    let summary = r.top.join("summary.md");
    let sarif = r.top.join("extra.sarif");
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = r.run(
            &["--format", format, "--step-summary", "--sarif", sarif.to_str().unwrap()],
            &[("GITHUB_STEP_SUMMARY", &summary), ("GITHUB_OUTPUT", &r.top.join("outputs"))],
        );
        assert_eq!(out.code, 2, "{format}: {}{}", out.stdout, out.stderr);
        assert!(out.elapsed < Duration::from_secs(5), "{format}: {:?}", out.elapsed);
        assert!(out.stdout.len() > 100, "{format}: {}", out.stdout);
        assert_no_secret(&out.stdout, format);
        assert_no_secret(&out.stderr, format);
        for file in [&summary, &sarif] {
            let text = std::fs::read_to_string(file).unwrap();
            assert_no_secret(&text, &file.display().to_string());
        }
    }
    // The summary was written (with the findings), and held nothing secret.
    assert!(std::fs::read_to_string(&summary).unwrap().contains("`ecr_nocmk`"));
}

#[test]
fn named_paths_that_are_symlinks_out_are_refused() {
    // What pre-commit passes (changed files) and what a workflow names (a directory) are
    // still the repository's content: a symlink among them does not move the workspace.
    let r = Repo::new("named");
    std::fs::create_dir_all(r.outside().join(".git")).unwrap();
    r.link(r.outside(), "infra");
    r.link("/proc/self/environ", "env.tf");
    r.link(r.outside().join("secret.txt"), "prod.tfvars");
    let (code, findings, diags) = r.json(&["infra", "env.tf", "prod.tfvars", "canary.tf"]);
    assert_eq!(code, 2);
    assert_eq!(findings, ["aws_ecr_repository.canary"]);
    assert!(has(&diags, "error: infra: it leads outside the repository being scanned; not read @ infra"), "{diags:#?}");
    assert!(has(&diags, "error: env.tf: it leads outside"), "{diags:#?}");
    assert!(has(&diags, "cannot read the variables file prod.tfvars: it leads outside"), "{diags:#?}");
}
