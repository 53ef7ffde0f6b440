//! `tfcheck migrate`: the script it writes is clean under shellcheck (skipped, saying so,
//! without shellcheck) and, run against stub `aws`, `crane` and `docker` commands that record
//! their calls, copies every tag of a repository with three pages of tags, checks digests,
//! skips what a rerun finds copied, stops at a failed copy, and deletes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

const AWS: &str = r#"#!/usr/bin/env bash
echo "aws $*" >> "$CALLS"
case "$*" in
  *"sts get-caller-identity"*) echo 111122223333 ;;
  *"ecr describe-repositories"*) echo KMS ;;
  *"ecr get-login-password"*) echo not-a-password ;;
  *"ecr list-images"*)
    token=""
    prev=""
    for a in "$@"; do
      if [ "$prev" = --next-token ]; then token=$a; fi
      prev=$a
    done
    case "$token" in
      "") tags="v1 v2 v3"; next=page2 ;;
      page2) tags="v4 v5 v6"; next=page3 ;;
      page3) tags="v7 v8 v9"; next=None ;;
      *) echo "no such page: $token" >&2; exit 3 ;;
    esac
    case "$*" in
      *nextToken*) echo "$next" ;;
      *) echo "$tags" | tr ' ' '\t' ;;
    esac ;;
  *) echo "unexpected: aws $*" >&2; exit 9 ;;
esac
"#;

const CRANE: &str = r#"#!/usr/bin/env bash
echo "crane $*" >> "$CALLS"
digest() { printf 'sha256:%s\n' "$(printf '%s' "$1" | sha256sum | cut -c1-64)"; }
case "$1" in
  auth) cat > /dev/null ;;
  digest)
    tag=${2##*:}
    case "$2" in
      */team/api:*) digest "$tag" ;;
      *) if [ -f "$STATE/$tag" ]; then cat "$STATE/$tag"; else exit 1; fi ;;
    esac ;;
  copy)
    tag=${2##*:}
    if [ "$tag" = "${FAIL_TAG:-}" ]; then echo "copy of $tag failed" >&2; exit 1; fi
    digest "$tag" > "$STATE/$tag" ;;
  *) echo "unexpected: crane $*" >&2; exit 9 ;;
esac
"#;

const DOCKER: &str = "#!/usr/bin/env bash\necho \"docker $*\" >> \"$CALLS\"\n";

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tfcheck-migrate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The script for `team/api`, written by the binary from a small configuration.
fn script(dir: &Path) -> PathBuf {
    let code = dir.join("code");
    std::fs::create_dir_all(&code).unwrap();
    std::fs::write(
        code.join("main.tf"),
        "resource \"aws_ecr_repository\" \"api\" {\n  name = \"team/api\"\n}\n\nresource \"aws_ecs_task_definition\" \"api\" {\n  family                = \"api\"\n  container_definitions = jsonencode([{ name = \"api\", image = \"${aws_ecr_repository.api.repository_url}:v1\" }])\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .args(["migrate", "team/api", "--no-config", "--out"])
        .arg(dir)
        .arg(&code)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let book = std::fs::read_to_string(dir.join("migrate-team-api.md")).unwrap();
    assert!(book.contains("resource \"aws_ecr_repository\" \"api_cmk\""), "{book}");
    assert!(book.contains("main.tf:7: container_definitions"), "{book}");
    dir.join("migrate-team-api.sh")
}

/// Runs the script with the stubs first on PATH; returns (exit code, recorded calls).
fn run(dir: &Path, script: &Path, state: &Path, fail_tag: Option<&str>) -> (i32, Vec<String>) {
    let stubs = dir.join("stubs");
    std::fs::create_dir_all(&stubs).unwrap();
    write_exec(&stubs.join("aws"), AWS);
    write_exec(&stubs.join("crane"), CRANE);
    write_exec(&stubs.join("docker"), DOCKER);
    std::fs::create_dir_all(state).unwrap();
    let calls = dir.join("calls.log");
    let _ = std::fs::remove_file(&calls);
    let path = format!("{}:{}", stubs.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .env("PATH", path)
        .env("CALLS", &calls)
        .env("STATE", state)
        .env("AWS_REGION", "eu-west-1")
        .env_remove("AWS_ACCOUNT_ID")
        .env_remove("FAIL_TAG");
    if let Some(t) = fail_tag {
        cmd.env("FAIL_TAG", t);
    }
    let out = cmd.output().unwrap();
    let calls = std::fs::read_to_string(&calls).unwrap_or_default().lines().map(str::to_string).collect();
    (out.status.code().unwrap_or(-1), calls)
}

fn copies(calls: &[String]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.starts_with("crane copy "))
        .map(|c| c.rsplit(':').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_script_is_clean_under_shellcheck() {
    let dir = temp("shellcheck");
    let script = script(&dir);
    match Command::new("shellcheck").arg(&script).output() {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout)),
        Err(_) => eprintln!("shellcheck is not installed: the shellcheck test was skipped"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn copies_every_page_of_tags_checks_digests_and_deletes_nothing() {
    let dir = temp("copy");
    let script = script(&dir);
    let state = dir.join("state");
    let (code, calls) = run(&dir, &script, &state, None);
    assert_eq!(code, 0, "{calls:#?}");
    let all: Vec<String> = (1..=9).map(|i| format!("v{i}")).collect();
    assert_eq!(copies(&calls), all);
    for token in ["page2", "page3"] {
        assert!(calls.iter().any(|c| c.contains("list-images") && c.contains(&format!("--next-token {token}"))));
    }
    assert!(calls.iter().any(|c| c.starts_with("crane digest") && c.contains("/team/api-cmk:v9")));
    assert!(!calls.iter().any(|c| c.contains("delete")), "{calls:#?}");
    assert!(!calls.iter().any(|c| c.starts_with("docker")), "crane is there: docker is not needed");

    // Run again: everything is there with the same digest, nothing is copied again.
    let (code, calls) = run(&dir, &script, &state, None);
    assert_eq!(code, 0);
    assert!(copies(&calls).is_empty(), "{calls:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stops_at_the_first_failed_copy() {
    let dir = temp("fail");
    let script = script(&dir);
    let (code, calls) = run(&dir, &script, &dir.join("state"), Some("v5"));
    assert_ne!(code, 0);
    assert_eq!(copies(&calls), ["v1", "v2", "v3", "v4", "v5"]);
    assert!(!calls.iter().any(|c| c.contains("delete")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_name_that_is_not_a_repository_name_is_refused() {
    let dir = temp("refuse");
    for bad in ["Team/API", "a'; rm -rf ~; '", "a//b", "-x"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
            .args(["migrate", bad, "--no-config", "--out"])
            .arg(&dir)
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(std::fs::read_dir(&dir).unwrap().next().is_none(), "{bad}: wrote a file");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
