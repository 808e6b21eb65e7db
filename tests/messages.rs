//! Messages true to the source and to the model: duties only for parties
//! with a role in the chosen cell, flags named in model errors, `explain`
//! on a line without a setting, `vendors ID` with full ids and whole titles.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use support::files::{copy_fixture, write};
use support::process::git;

use assert_cmd::Command;
use serde_json::Value;

fn demarcate(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const AKS: &str = "terraform/aks/main.tf";

/// Under csp-kubernetes the host OS is the CSP's and the customer's: the
/// vendor's duty for its VM images is not theirs to see, in `explain` or in
/// a change finding; under onprem-vm the vendor holds the row and its duty shows.
#[test]
fn duties_are_shown_only_for_parties_with_a_role_in_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    copy_fixture("glasswall-halo", &root);
    let text = std::fs::read_to_string(root.join(AKS)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("node_os_upgrade_channel"))
        .unwrap()
        + 1;
    let target = format!("{AKS}:{line}");

    let (code, out, err) = demarcate(&root, &["explain", &target]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("area: Host operating system security and hardening"),
        "{out}"
    );
    assert!(
        out.contains("duty of CSP (responsible): Supplies and patches"),
        "{out}"
    );
    assert!(
        out.contains("duty of Customer (responsible): Chooses node OS images"),
        "{out}"
    );
    assert!(
        !out.contains("VHD/OVA") && !out.contains("vendor duty"),
        "{out}"
    );

    let args = [
        "explain",
        &target,
        "--vendor",
        "glasswall-halo",
        "--deployment",
        "onprem-vm",
    ];
    let (_, out, _) = demarcate(&root, &args);
    assert!(
        out.contains("duty of Glasswall (responsible): Hardens and patches"),
        "{out}"
    );
    assert!(!out.contains("duty of CSP"), "{out}");

    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    std::fs::write(
        root.join(AKS),
        text.replace("\"SecurityPatch\"", "\"NodeImage\""),
    )
    .unwrap();
    let (_, out, err) = demarcate(&root, &["lint", "--base", "HEAD", "--format", "json"]);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let f = &json["findings"][0];
    assert_eq!(f["code"], "provider-owned-change", "{json}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("CSP: Supplies") && message.contains("Customer: Chooses"),
        "{message}"
    );
    assert!(!message.contains("VHD/OVA"), "{message}");
}

/// A wrong or missing flag is named, not blamed on line 1 of the configuration.
#[test]
fn model_errors_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("glasswall-halo", dir.path());
    let cases: [(&[&str], &str); 4] = [
        (
            &["--vendor", "nexgen-cloud"],
            "--vendor nexgen-cloud needs --deployment: one of iaas, paas",
        ),
        (
            &["--deployment", "nope"],
            "--deployment nope: unknown deployment `nope` for glasswall-halo",
        ),
        (
            &["--vendor", "nobody"],
            "--vendor nobody: unknown vendor `nobody`",
        ),
        (
            &["--option", "tier=gold"],
            "--option tier=gold: glasswall-halo has no option `tier`",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["lint", "."];
        args.extend_from_slice(flags);
        let (code, _, err) = demarcate(dir.path(), &args);
        assert_eq!(code, 2, "{flags:?}: {err}");
        assert!(
            err.contains(&format!("command line: {expected}")),
            "{flags:?}: {err}"
        );
        assert!(!err.contains(".demarcate.yaml:1:1"), "{flags:?}: {err}");
    }
    // Without a configuration, a deployment alone asks for the vendor flag.
    let bare = tempfile::tempdir().unwrap();
    write(bare.path(), "main.tf", "locals {\n  a = 1\n}\n");
    let (_, _, err) = demarcate(bare.path(), &["lint", ".", "--deployment", "iaas"]);
    assert!(
        err.contains("command line: --deployment iaas needs --vendor"),
        "{err}"
    );
}

/// `explain FILE:LINE` on a comment or blank line says there is no setting
/// there and lists the nearest ones.
#[test]
fn explain_on_a_line_without_a_setting_lists_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# settings of the node\nmachine:\n  type: worker\n\n  # the name\n  network:\n    hostname: n1\n";
    write(dir.path(), "talos/worker.yaml", text);
    let (code, out, err) = demarcate(
        dir.path(),
        &[
            "explain",
            "talos/worker.yaml:4",
            "--vendor",
            "stackit-edge-cloud",
        ],
    );
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
    let (_, json, _) = demarcate(
        dir.path(),
        &["explain", "talos/worker.yaml:1", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["no_setting_at"], 1);
    assert_eq!(json["settings"].as_array().unwrap().len(), 0);
    let lines: Vec<u64> = json["nearest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3, 6]);
}

/// Every area id of every built-in pack is printed whole, and every word of
/// its title is there (wrapped, not cut).
#[test]
fn vendors_prints_whole_ids_and_titles() {
    let (_, json, _) = demarcate(Path::new("."), &["vendors", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    for vendor in json["vendors"].as_array().unwrap() {
        let id = vendor["id"].as_str().unwrap();
        let (code, text, err) = demarcate(Path::new("."), &["vendors", id]);
        assert_eq!(code, 0, "{err}");
        let words: Vec<&str> = text.split_whitespace().collect();
        let flat = words.join(" ");
        for area in vendor["areas"].as_array().unwrap() {
            let area_id = area["id"].as_str().unwrap();
            assert!(
                words.contains(&area_id),
                "{id}: id `{area_id}` not printed whole"
            );
            let title: Vec<&str> = area["title"].as_str().unwrap().split_whitespace().collect();
            assert!(
                flat.contains(&title.join(" ")),
                "{id}: title of `{area_id}` cut"
            );
        }
    }
    let (_, text, _) = demarcate(Path::new("."), &["vendors", "nexgen-cloud"]);
    insta::assert_snapshot!(text.lines().take(14).collect::<Vec<_>>().join("\n"));
}

/// A changed value is written into the message as it is: JSON carries the
/// raw characters (escaped by JSON itself) and the terminal output shows
/// control characters written out, by the reporter, not the engine.
#[test]
fn values_in_messages_are_escaped_by_the_reporter_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    copy_fixture("glasswall-halo", &root);
    let text = std::fs::read_to_string(root.join(AKS)).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    std::fs::write(
        root.join(AKS),
        text.replace("\"SecurityPatch\"", "\"Node\\u001b[31mImage\""),
    )
    .unwrap();
    let (_, out, err) = demarcate(&root, &["lint", "--base", "HEAD", "--format", "json"]);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("`Node\u{1b}[31mImage`"), "{message}");
    let (_, out, _) = demarcate(&root, &["lint", "--base", "HEAD"]);
    assert!(out.contains("`Node\\u{1b}[31mImage`"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
}

/// The nearest settings listed by `explain` on a line without one are
/// escaped like every other line: a file name holding an escape sequence
/// does not reach the terminal raw.
#[test]
fn explain_escapes_the_nearest_settings() {
    let dir = tempfile::tempdir().unwrap();
    let name = "talos/w\u{1b}[2J.yaml";
    write(
        dir.path(),
        name,
        "machine:\n  network: {}\n\n  type: worker\n",
    );
    let target = format!("{name}:3");
    let (code, out, err) = demarcate(
        dir.path(),
        &["explain", &target, "--vendor", "stackit-edge-cloud"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nearest settings:"), "{out}");
    assert!(out.contains("w\\u{1b}[2J.yaml:2"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
}
