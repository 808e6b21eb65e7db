//! The shipped pre-commit hooks, run by the real pre-commit framework (from
//! PyPI, in a venv under `target/tmp/pre-commit`). pre-commit clones this
//! repository at its HEAD commit and builds the hook with `cargo install`
//! (`language: rust`, as shipped); the test points that build at a target
//! folder kept under `target/tmp` with a fast profile, so later runs only
//! rebuild demarcate itself. Against a temporary git repository on STACKIT
//! Edge Cloud, `git commit` must fail on a staged change to the EdgeHostLet
//! extension (vendor-owned) and pass on a change to a workload
//! (customer-owned); the tree-mode hook passes on the files as they are and
//! fails on a file that does not parse.
//!
//! The test needs a commit of this repository that has `.pre-commit-hooks.yaml`
//! (it uses HEAD) and PyPI (the venv is made once; `.ci/run` makes it before
//! `cargo test`). It is skipped only when PyPI cannot be reached and
//! `DEMARCATE_REQUIRE_PRE_COMMIT` is unset.

//!
//! Linux only: the venv layout (`bin/pre-commit`) and the hook build are
//! those of CI's Linux job; macOS and Windows jobs build and test the rest.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// What `.ci/run` installs too.
const PRE_COMMIT: &str = "pre-commit>=3.2,<5";

fn tools() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn pypi_reachable() -> bool {
    use std::net::ToSocketAddrs;
    let Ok(addrs) = ("pypi.org", 443).to_socket_addrs() else {
        return false;
    };
    addrs.into_iter().any(|a| {
        std::net::TcpStream::connect_timeout(&a, std::time::Duration::from_secs(5)).is_ok()
    })
}

/// The pre-commit executable, installing it into the venv if needed; `Err`
/// (skip, with the reason) only when PyPI is unreachable and the environment
/// does not require it.
fn pre_commit() -> Result<PathBuf, String> {
    let venv = tools().join("venv");
    let exe = venv.join("bin/pre-commit");
    if exe.is_file() {
        return Ok(exe);
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .expect("python3 is needed to install pre-commit");
    assert!(made.status.success(), "python3 -m venv: {}", text(&made));
    let pip = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            PRE_COMMIT,
        ])
        .output()
        .unwrap();
    if pip.status.success() {
        return Ok(exe);
    }
    if !pypi_reachable() && std::env::var_os("DEMARCATE_REQUIRE_PRE_COMMIT").is_none() {
        return Err("SKIPPED: pre-commit could not be installed because PyPI is unreachable (set DEMARCATE_REQUIRE_PRE_COMMIT=1 to fail instead)".to_string());
    }
    panic!("pip install {PRE_COMMIT} failed: {}", text(&pip));
}

/// A command without the git and cargo variables of the process running the
/// tests, with the hook's build kept in `target/tmp` and made fast.
fn command(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("GIT_") || key.starts_with("CARGO_") || key.ends_with("MAKEFLAGS") {
            cmd.env_remove(&key);
        }
    }
    let t = tools();
    cmd.env("PRE_COMMIT_HOME", t.join("home"))
        .env("CARGO_TARGET_DIR", t.join("cargo-target"))
        // Resolve dependencies from the local registry cache, as `cargo test` left it.
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com");
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        cmd.env("CARGO_HOME", home);
    }
    cmd
}

/// The folder on PATH that holds `program`.
fn which(program: &str) -> PathBuf {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .find(|dir| dir.join(program).is_file())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = command("git", dir).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn write(root: &Path, rel: &str, body: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

const TALOS: &str = "machine:
  network:
    hostname: edge-1
  install:
    extensions:
      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1
";

const SHOP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  replicas: 2
";

/// A committed site repository (STACKIT model, a Talos config and a
/// customer manifest) whose `.pre-commit-config.yaml` uses this checkout's
/// hooks at HEAD; `hooks` is the YAML list of hook entries.
fn site(hooks: &str) -> tempfile::TempDir {
    let this = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rev = git(this, &["rev-parse", "HEAD"]);
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    write(
        repo,
        ".demarcate.yaml",
        "vendor: stackit-edge-cloud\ndeployment: edge-cloud\n",
    );
    write(repo, "talos/controlplane.yaml", TALOS);
    write(repo, "apps/shop.yaml", SHOP);
    write(
        repo,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n{hooks}",
            this.display()
        ),
    );
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "site"]);
    dir
}

#[test]
fn hooks_fail_on_vendor_owned_changes_and_pass_customer_owned_ones() {
    let pre_commit = match pre_commit() {
        Ok(exe) => exe,
        Err(skipped) => {
            eprintln!("{skipped}");
            return;
        }
    };
    let dir =
        site("      - id: demarcate\n      - id: demarcate-files\n        stages: [manual]\n");
    let repo = dir.path();

    let started = Instant::now();
    let install = command(&pre_commit, repo)
        .args(["install", "--install-hooks"])
        .output()
        .unwrap();
    assert!(install.status.success(), "{}", text(&install));
    eprintln!(
        "pre-commit install --install-hooks: {:?}",
        started.elapsed()
    );

    // A vendor-owned change: the EdgeHostLet extension version.
    write(
        repo,
        "talos/controlplane.yaml",
        &TALOS.replace("v1.7.1", "v1.8.0"),
    );
    git(repo, &["add", "talos/controlplane.yaml"]);
    let commit = command("git", repo)
        .args(["commit", "-m", "bump the edgehostlet"])
        .output()
        .unwrap();
    let out = text(&commit);
    assert!(!commit.status.success(), "{out}");
    assert!(out.contains("vendor-owned-change"), "{out}");
    assert!(out.contains("talos/controlplane.yaml:6"), "{out}");
    assert!(out.contains("EdgeHostLet"), "{out}");
    assert_eq!(git(repo, &["rev-list", "--count", "HEAD"]), "1");
    git(repo, &["reset", "-q", "--hard", "HEAD"]);

    // A customer-owned change: the shop's replicas.
    write(
        repo,
        "apps/shop.yaml",
        &SHOP.replace("replicas: 2", "replicas: 3"),
    );
    git(repo, &["add", "apps/shop.yaml"]);
    let commit = command("git", repo)
        .args(["commit", "-m", "scale the shop"])
        .output()
        .unwrap();
    assert!(commit.status.success(), "{}", text(&commit));
    assert!(text(&commit).contains("Passed"), "{}", text(&commit));
    assert_eq!(git(repo, &["rev-list", "--count", "HEAD"]), "2");

    // The tree-mode hook: files as they are pass (vendor-owned settings are notes) …
    let run = command(&pre_commit, repo)
        .args([
            "run",
            "demarcate-files",
            "--hook-stage",
            "manual",
            "--files",
            "talos/controlplane.yaml",
            "apps/shop.yaml",
        ])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    // … a file that does not parse fails.
    write(repo, "apps/broken.yaml", "spec: [unclosed\n");
    let run = command(&pre_commit, repo)
        .args([
            "run",
            "demarcate-files",
            "--hook-stage",
            "manual",
            "--files",
            "apps/broken.yaml",
        ])
        .output()
        .unwrap();
    assert!(!run.status.success(), "{}", text(&run));
    assert!(text(&run).contains("parse-error"), "{}", text(&run));
    eprintln!("whole test: {:?}", started.elapsed());
}

/// The `language: system` hook runs the demarcate on PATH (here the binary
/// under test): nothing is built, and it judges staged changes as the other.
#[test]
fn system_hook_runs_the_binary_on_path() {
    let pre_commit = match pre_commit() {
        Ok(exe) => exe,
        Err(skipped) => {
            eprintln!("{skipped}");
            return;
        }
    };
    let dir = site("      - id: demarcate-system\n");
    let repo = dir.path();
    // The binary under test first on PATH; no cargo reachable for a build.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_demarcate")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str], program: &Path| {
        command(program, repo)
            .args(args)
            .env("PATH", &path)
            .env("CARGO", "/nonexistent/cargo")
            .output()
            .unwrap()
    };
    let install = run(&["install", "--install-hooks"], &pre_commit);
    assert!(install.status.success(), "{}", text(&install));

    // Without demarcate on PATH the hook cannot run: it is the binary on PATH
    // that runs, nothing built.
    let git_dir = which("git");
    let bare = command(&pre_commit, repo)
        .args(["run", "demarcate-system", "--all-files"])
        .env("PATH", format!("{}:/usr/bin:/bin", git_dir.display()))
        .output()
        .unwrap();
    assert!(!bare.status.success(), "{}", text(&bare));
    assert!(
        text(&bare).contains("Executable `demarcate` not found"),
        "{}",
        text(&bare)
    );

    write(
        repo,
        "talos/controlplane.yaml",
        &TALOS.replace("v1.7.1", "v1.8.0"),
    );
    git(repo, &["add", "talos/controlplane.yaml"]);
    let commit = run(&["commit", "-m", "bump the edgehostlet"], Path::new("git"));
    let out = text(&commit);
    assert!(!commit.status.success(), "{out}");
    assert!(out.contains("vendor-owned-change"), "{out}");
    assert!(out.contains("talos/controlplane.yaml:6"), "{out}");
    git(repo, &["reset", "-q", "--hard", "HEAD"]);

    write(
        repo,
        "apps/shop.yaml",
        &SHOP.replace("replicas: 2", "replicas: 3"),
    );
    git(repo, &["add", "apps/shop.yaml"]);
    let commit = run(&["commit", "-m", "scale the shop"], Path::new("git"));
    assert!(commit.status.success(), "{}", text(&commit));
    assert!(text(&commit).contains("Passed"), "{}", text(&commit));
}
