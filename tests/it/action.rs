//! The GitHub Action's scripts, run the way the runner runs them: INPUT_* variables,
//! GITHUB_WORKSPACE, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, with the binary just built.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Runner {
    dir: PathBuf,
}

impl Runner {
    fn new(name: &str) -> Runner {
        let dir = std::env::temp_dir().join(format!("tfcheck-action-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let workspace = dir.join("workspace");
        std::fs::create_dir_all(&workspace).unwrap();
        // The workspace is a checkout holding the bundled example.
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/ecr");
        copy_dir(&example, &workspace.join("infra"));
        Runner { dir }
    }

    fn run(&self, inputs: &[(&str, &str)]) -> Output {
        self.run_with(Path::new(env!("CARGO_BIN_EXE_tfcheck")), inputs)
    }

    fn run_with(&self, bin: &Path, inputs: &[(&str, &str)]) -> Output {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/run.sh");
        let mut cmd = Command::new("bash");
        cmd.arg(script)
            .env("TFCHECK_BIN", bin)
            .env("GITHUB_WORKSPACE", self.dir.join("workspace"))
            .env("GITHUB_OUTPUT", self.dir.join("output.txt"))
            .env("GITHUB_STEP_SUMMARY", self.dir.join("summary.md"))
            .env("GITHUB_ACTIONS", "true");
        for (k, v) in inputs {
            cmd.env(format!("INPUT_{}", k.to_uppercase().replace('-', "_")), v);
        }
        cmd.output().unwrap()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn annotations_summary_outputs_and_exit_code() {
    let r = Runner::new("defaults");
    let o = r.run(&[("path", "infra"), ("sarif-file", "out/tfcheck.sarif")]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(
        log.contains("::warning file=infra/main.tf,line=33,endLine=33,col=5,endColumn=38,title=ecr_nocmk (medium)"),
        "{log}"
    );
    assert!(log.contains("::warning file=infra/modules/registry/main.tf,line=15,"), "{log}");
    let summary = r.read("summary.md");
    assert!(summary.starts_with("## tfcheck"));
    // Input is written as character references inside <code> (see report::escape::markdown).
    assert!(
        summary
            .contains("<code>module&#46;registry&#91;\"legacy\"&#93;&#46;aws&#95;ecr&#95;repository&#46;this</code>"),
        "{summary}"
    );
    assert_eq!(r.read("output.txt"), "findings=2\nsarif-file=out/tfcheck.sarif\nexit-code=1\n");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.dir.join("workspace/out/tfcheck.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn soft_fail_fail_on_and_switches() {
    let r = Runner::new("switches");
    // soft-fail: findings do not fail the step.
    let o = r.run(&[("path", "infra"), ("soft-fail", "true")]);
    assert_eq!(o.status.code(), Some(0));
    assert!(r.read("output.txt").contains("exit-code=1"));
    // fail-on high: medium findings pass.
    let o = r.run(&[("path", "infra"), ("fail-on", "high")]);
    assert_eq!(o.status.code(), Some(0));
    // annotate off, summary off: the log has the human report, no annotations, no summary.
    let _ = std::fs::remove_file(r.dir.join("summary.md"));
    let o = r.run(&[("path", "infra"), ("annotate", "false"), ("summary", "false"), ("format", "human")]);
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(!log.contains("::warning") && log.contains("ecr_nocmk (medium)"), "{log}");
    assert!(r.read("summary.md").is_empty());
    assert!(r.read("output.txt").contains("findings=2"));
    // args reach tfcheck; an unreadable input fails the step even with soft-fail.
    let o = r.run(&[("path", "infra missing-dir"), ("args", "--rule ecr_nocmk"), ("soft-fail", "true")]);
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn args_are_split_like_shell_words_and_never_evaluated() {
    let r = Runner::new("words");
    // A stand-in for tfcheck that prints each argument it receives on a line, bracketed.
    let bin = r.dir.join("print-args");
    executable(&bin, "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");
    let marker = r.dir.join("evaluated");
    let args = format!(
        "--var 'region=eu west 1' --var \"name=a \\\"b\\\"\" --exclude mod\\ ules/* $(touch {m}) `touch {m}` $HOME ${{HOME}}",
        m = marker.display()
    );
    let o = r.run_with(&bin, &[("path", "infra 'dir with spaces'"), ("args", &args)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: Vec<String> = String::from_utf8_lossy(&o.stdout).lines().map(String::from).collect();
    let m = marker.display();
    let expected: Vec<String> = [
        "infra",
        "dir with spaces",
        "--var",
        "region=eu west 1",
        "--var",
        "name=a \"b\"",
        "--exclude",
        "mod ules/*",
        "$(touch",
        &format!("{m})"),
        "`touch",
        &format!("{m}`"),
        "$HOME",
        "${HOME}",
        "--sarif",
        "tfcheck.sarif",
        "--fail-on",
        "low",
        "--format",
        "github",
    ]
    .iter()
    .map(|a| format!("[{a}]"))
    .collect();
    assert_eq!(got, expected);
    assert!(!marker.exists(), "a command substitution in args ran");
    // A glob is passed as written, even when it matches files in the workspace.
    let o = r.run_with(&bin, &[("path", "*"), ("args", "'*' infra/*")]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().take(3).collect::<Vec<_>>(), ["[*]", "[*]", "[infra/*]"]);
    // An unterminated quote is an error, not a guess.
    let o = r.run_with(&bin, &[("args", "--var 'region=eu")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("::error title=tfcheck::args: unterminated quote"));
}

#[test]
fn installer_picks_the_asset_for_the_runner() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh");
    let run = |os: &str, arch: &str, version: &str, action_ref: &str| {
        let o = Command::new("bash")
            .arg(&script)
            .env("TFCHECK_INSTALL_DRY_RUN", "1")
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("INPUT_VERSION", version)
            .env("ACTION_REPOSITORY", "tfcheck/tfcheck")
            .env("ACTION_REF", action_ref)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    // `version: latest`, typed by the user: the latest release.
    let linux = run("Linux", "X64", "latest", "main");
    assert!(
        linux.contains(
            "url=https://github.com/tfcheck/tfcheck/releases/latest/download/tfcheck-x86_64-unknown-linux-musl.tar.gz"
        ),
        "{linux}"
    );
    assert!(linux.contains("checksum=https://github.com/tfcheck/tfcheck/releases/latest/download/tfcheck-x86_64-unknown-linux-musl.tar.gz.sha256"));
    assert!(
        run("Linux", "ARM64", "v0.2.0", "main")
            .contains("releases/download/v0.2.0/tfcheck-aarch64-unknown-linux-musl.tar.gz")
    );
    assert!(run("macOS", "X64", "latest", "v0.3.1").contains("releases/latest/download/"));
    // The default (no version): the release the action is pinned to.
    assert!(
        run("macOS", "ARM64", "", "v0.3.1").contains("releases/download/v0.3.1/tfcheck-aarch64-apple-darwin.tar.gz")
    );
    assert!(
        run("Windows", "X64", "", "v1.0.0-rc.1").contains("download/v1.0.0-rc.1/tfcheck-x86_64-pc-windows-msvc.zip")
    );
    // Pinned to a commit, a branch, a major-version tag or a local path: that source, built;
    // never a download (which would be another version).
    for action_ref in ["0123456789abcdef0123456789abcdef01234567", "main", "v1", ""] {
        let o = run("Linux", "X64", "", action_ref);
        assert!(o.contains("build=") && !o.contains("url="), "{action_ref}: {o}");
    }
    // The version goes into a URL: nothing else than the documented forms.
    let bad = run("Linux", "X64", "../../evil", "main");
    assert!(bad.contains("::error title=tfcheck::version must be") && !bad.contains("url="), "{bad}");
}

/// Writes a shell script and makes it executable.
#[cfg(unix)]
fn executable(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn installer_verifies_the_checksum_and_falls_back_to_cargo() {
    let have = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !have("curl") || !have("tar") || !have("sha256sum") {
        eprintln!("curl, tar or sha256sum missing: skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tfcheck-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // A release mirror with the Linux x86_64 asset: a stub binary, and its checksum.
    let asset = "tfcheck-x86_64-unknown-linux-musl.tar.gz";
    let download = dir.join("mirror/latest/download");
    executable(&dir.join("pack/tfcheck"), "echo 'tfcheck 9.9.9 (release)'");
    std::fs::create_dir_all(&download).unwrap();
    let packed = Command::new("tar")
        .args(["-czf", download.join(asset).to_str().unwrap(), "-C", dir.join("pack").to_str().unwrap(), "tfcheck"])
        .status()
        .unwrap();
    assert!(packed.success());
    let sum = Command::new("sha256sum").arg(download.join(asset)).output().unwrap();
    let sum = String::from_utf8_lossy(&sum.stdout).split_whitespace().next().unwrap().to_string();
    std::fs::write(download.join(format!("{asset}.sha256")), format!("{sum}  {asset}\n")).unwrap();
    // `cargo install` stands in for the source build: it drops a stub where the real one would.
    executable(
        &dir.join("fakebin/cargo"),
        "while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
         mkdir -p \"$root/bin\" && printf '#!/bin/sh\\necho \"tfcheck built from source\"\\n' > \"$root/bin/tfcheck\"\n\
         chmod +x \"$root/bin/tfcheck\"",
    );
    let install = |run: &str, version: &str, action_ref: &str| {
        let temp = dir.join(run);
        std::fs::create_dir_all(&temp).unwrap();
        let path = format!("{}:{}", dir.join("fakebin").display(), std::env::var("PATH").unwrap_or_default());
        let o = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh"))
            .env("TFCHECK_RELEASE_URL", format!("file://{}", dir.join("mirror").display()))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", &temp)
            .env("INPUT_VERSION", version)
            .env("ACTION_REF", action_ref)
            .env("GITHUB_OUTPUT", temp.join("output.txt"))
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("PATH", path)
            .output()
            .unwrap();
        let output = std::fs::read_to_string(temp.join("output.txt")).unwrap_or_default();
        (o.status.success(), String::from_utf8_lossy(&o.stdout).to_string(), output)
    };
    // The checksum matches: the release binary is installed and reported.
    let (ok, log, output) = install("good", "latest", "main");
    assert!(ok, "{log}");
    assert!(log.contains("Installed tfcheck latest (x86_64-unknown-linux-musl)"), "{log}");
    assert!(log.contains("tfcheck 9.9.9 (release)"), "the installed binary runs: {log}");
    assert!(output.contains("bin=") && output.trim_end().ends_with("tfcheck-install/tfcheck"), "{output}");
    // A tampered asset: an error annotation, then the source build.
    std::fs::write(download.join(format!("{asset}.sha256")), format!("{}  {asset}\n", "0".repeat(64))).unwrap();
    let (ok, log, output) = install("tampered", "latest", "main");
    assert!(ok, "{log}");
    assert!(
        log.contains("::error title=tfcheck::checksum mismatch for tfcheck-x86_64-unknown-linux-musl.tar.gz"),
        "{log}"
    );
    assert!(
        log.contains("building tfcheck from the action's source") && log.contains("tfcheck built from source"),
        "{log}"
    );
    assert!(output.trim_end().ends_with("cargo/bin/tfcheck"), "{output}");
    // Pinned to a commit: the mirror has a (good) release, but it is not that commit: the
    // source is built and nothing is downloaded.
    std::fs::write(download.join(format!("{asset}.sha256")), format!("{sum}  {asset}\n")).unwrap();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let (ok, log, output) = install("commit", "", sha);
    assert!(ok, "{log}");
    assert!(log.contains(&format!("The action's ref ({sha}) is not a release tag")), "{log}");
    assert!(log.contains("tfcheck built from source") && !log.contains("Installed tfcheck"), "{log}");
    assert!(output.trim_end().ends_with("cargo/bin/tfcheck"), "{output}");
    assert!(!dir.join("commit/tfcheck-install").join(asset).exists(), "nothing is downloaded");
    // Pinned to a release tag: that release, from its own download path.
    let tagged = dir.join("mirror/download/v0.3.1");
    std::fs::create_dir_all(&tagged).unwrap();
    for f in [asset.to_string(), format!("{asset}.sha256")] {
        std::fs::copy(download.join(&f), tagged.join(&f)).unwrap();
    }
    let (ok, log, _) = install("tag", "", "v0.3.1");
    assert!(ok && log.contains("Installed tfcheck v0.3.1 (x86_64-unknown-linux-musl)"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
