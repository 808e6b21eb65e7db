//! `action/install.sh` against a fake release served on 127.0.0.1 by a small
//! HTTP server in this test: a good asset is verified against its `.sha256`,
//! unpacked and installed; a tampered one is refused (non-zero exit, nothing
//! installed); a release without the checksum file is refused; a release
//! without an asset for this runner falls back to `cargo install` from the
//! tag (observed through a `cargo` shim on PATH, so no build runs).
//!
//! Unix only: the script runs under bash with curl, tar and sha256sum (or
//! shasum), as on GitHub's Linux and macOS runners.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use support::process::{clean, root, text, write};

/// The release target install.sh picks on this machine.
fn target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        other => panic!("no release target for {other:?}"),
    }
}

/// Serves `files` (URL path → body) on an ephemeral port of 127.0.0.1 until
/// the test process ends; anything else is a 404. Returns the base URL.
fn serve(files: BTreeMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("").to_string();
            let (status, body) = match files.get(&path) {
                Some(body) => ("200 OK", body.clone()),
                None => ("404 Not Found", b"not found\n".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}")
}

/// A tar.gz laid out as the release workflow packs it: `demarcate` (a
/// script that prints `fake demarcate`) and `README.md` at the top.
fn asset(dir: &Path) -> Vec<u8> {
    let pack = dir.join("pack");
    write(&pack, "demarcate", "#!/bin/sh\necho fake demarcate\n");
    write(&pack, "README.md", "# demarcate\n");
    std::fs::set_permissions(
        pack.join("demarcate"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let tarball = dir.join("asset.tar.gz");
    let out = clean("tar", &pack)
        .arg("-czf")
        .arg(&tarball)
        .args(["demarcate", "README.md"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    std::fs::read(tarball).unwrap()
}

fn sha256_hex(dir: &Path, body: &[u8]) -> String {
    let file = dir.join("to-hash");
    std::fs::write(&file, body).unwrap();
    let out = clean("sh", dir)
        .arg("-c")
        .arg("if command -v sha256sum >/dev/null; then sha256sum to-hash; else shasum -a 256 to-hash; fi")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// Runs install.sh for `version` against the release at `base`, with a
/// `cargo` shim first on PATH that records its arguments.
fn install(dir: &Path, base: &str, version: &str) -> (Output, String) {
    install_with(dir, base, &[("INPUT_VERSION", version)])
}

/// As [`install`], with the given action variables.
fn install_with(dir: &Path, base: &str, vars: &[(&str, &str)]) -> (Output, String) {
    let shim = dir.join("shim");
    write(
        &shim,
        "cargo",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/cargo-args\"\nexit 0\n",
    );
    std::fs::set_permissions(shim.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = dir.join("github-output");
    let _ = std::fs::remove_file(&output);
    let path = format!(
        "{}:{}",
        shim.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = clean("bash", dir)
        .arg(root().join("action/install.sh"))
        .env("PATH", path)
        .env("INSTALL_ROOT", dir.join("root"))
        .envs(vars.iter().copied())
        .env("ACTION_REPOSITORY", "demarcate/demarcate")
        .env("GITHUB_SERVER_URL", "https://github.example")
        .env("DEMARCATE_RELEASE_BASE_URL", base)
        .env("GITHUB_OUTPUT", &output)
        .env("TMPDIR", dir)
        .output()
        .unwrap();
    (out, std::fs::read_to_string(output).unwrap_or_default())
}

fn release(dir: &Path, version: &str, body: &[u8], sum_of: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let name = format!("demarcate-{}.tar.gz", target());
    let sum = format!("{}  {name}\n", sha256_hex(dir, sum_of));
    BTreeMap::from([
        (format!("/{version}/{name}"), body.to_vec()),
        (
            format!("/{version}/demarcate-{}.sha256", target()),
            sum.into_bytes(),
        ),
    ])
}

/// No file is left behind in the temporary folder the script used.
fn no_leftovers(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("demarcate-install."))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_verified_asset_is_installed_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let body = asset(dir.path());
    let base = serve(release(dir.path(), "v9.9.9", &body, &body));
    let (out, github_output) = install(dir.path(), &base, "v9.9.9");
    assert!(out.status.success(), "{}", text(&out));
    let bin = dir.path().join("root/bin/demarcate");
    assert_eq!(github_output, format!("bin={}\n", bin.display()));
    assert!(text(&out).contains("verified"), "{}", text(&out));
    let ran = clean(bin.to_str().unwrap(), dir.path()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "fake demarcate\n");
    assert!(!dir.path().join("shim/cargo-args").exists(), "cargo ran");
    no_leftovers(dir.path());
}

#[test]
fn a_tampered_asset_is_refused_and_nothing_is_installed() {
    let dir = tempfile::tempdir().unwrap();
    let body = asset(dir.path());
    let mut tampered = body.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0xff;
    let base = serve(release(dir.path(), "v9.9.9", &tampered, &body));
    let (out, github_output) = install(dir.path(), &base, "v9.9.9");
    assert!(!out.status.success(), "{}", text(&out));
    let message = text(&out);
    assert!(message.contains("checksum mismatch"), "{message}");
    assert!(message.contains("nothing installed"), "{message}");
    assert!(!dir.path().join("root/bin/demarcate").exists());
    assert_eq!(github_output, "", "no binary is announced");
    assert!(!dir.path().join("shim/cargo-args").exists(), "cargo ran");
    no_leftovers(dir.path());
}

#[test]
fn an_asset_without_a_checksum_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = asset(dir.path());
    let mut files = release(dir.path(), "v9.9.9", &body, &body);
    files.retain(|path, _| !path.ends_with(".sha256"));
    let base = serve(files);
    let (out, _) = install(dir.path(), &base, "v9.9.9");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("refusing to install an unverified binary"));
    assert!(!dir.path().join("root/bin/demarcate").exists());
}

#[test]
fn a_release_without_an_asset_for_the_runner_builds_from_the_tag() {
    let dir = tempfile::tempdir().unwrap();
    let body = asset(dir.path());
    // The release has assets, but under another version.
    let base = serve(release(dir.path(), "v9.9.9", &body, &body));
    let (out, github_output) = install(dir.path(), &base, "v1.2.3");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "no release asset for {} at v1.2.3; building from source",
            target()
        )),
        "{}",
        text(&out)
    );
    let root_dir = dir.path().join("root");
    let args = std::fs::read_to_string(dir.path().join("shim/cargo-args")).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "install",
            "--locked",
            "--root",
            root_dir.to_str().unwrap(),
            "--git",
            "https://github.example/demarcate/demarcate",
            "--tag",
            "v1.2.3",
            "demarcate",
        ]
    );
    assert_eq!(
        github_output,
        format!("bin={}\n", root_dir.join("bin/demarcate").display())
    );
}

#[test]
fn an_unreachable_release_server_fails_instead_of_building() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (out, _) = install(dir.path(), &format!("http://127.0.0.1:{port}"), "v9.9.9");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("HTTP status 000"), "{}", text(&out));
    assert!(!dir.path().join("shim/cargo-args").exists(), "cargo ran");
}

#[test]
fn the_actions_own_version_tag_selects_its_release() {
    let dir = tempfile::tempdir().unwrap();
    let body = asset(dir.path());
    let base = serve(release(dir.path(), "v9.9.9", &body, &body));
    // `uses: demarcate/demarcate@v9.9.9` with no version input.
    let (out, _) = install_with(dir.path(), &base, &[("ACTION_REF", "v9.9.9")]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("verified"), "{}", text(&out));
    assert!(dir.path().join("root/bin/demarcate").is_file());
    assert!(!dir.path().join("shim/cargo-args").exists(), "cargo ran");
    // A branch or major tag is built from git at that ref.
    let other = tempfile::tempdir().unwrap();
    let (out, _) = install_with(other.path(), &base, &[("ACTION_REF", "v9")]);
    assert!(out.status.success(), "{}", text(&out));
    let args = std::fs::read_to_string(other.path().join("shim/cargo-args")).unwrap();
    assert!(args.contains("--rev\nv9\n"), "{args}");
}
