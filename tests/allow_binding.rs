//! Approvals are bound to what they approve: an inline allowance merged for
//! one value does not cover a later change of the same line unless the
//! allowance is changed with it or pins the value (`value=…`); waivers may
//! pin `value:`; `until` is limited to `allowances.max_days`;
//! `allowances.require_ref` makes `ref=` mandatory; and `--format github`
//! shows who approved an allowed finding.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::files::copy_fixture;
use support::process::{clean, git, text};

const TALOS: &str = "talos/controlplane.yaml";
const OLD: &str = "      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1";
const IMAGE: &str = "registry.edge.stackit.cloud/extensions/edgehostlet";

/// The first day of next year: within the default horizon of 366 days.
fn soon() -> String {
    let year: u32 = demarcate::allow::today()[..4].parse().unwrap();
    format!("{}-01-01", year + 1)
}

struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    /// The example repository with `line` in place of the EdgeHostLet image, committed.
    fn with(line: &str, config: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        copy_fixture("example", &root);
        let repo = Repo { _dir: dir, root };
        repo.edit(TALOS, OLD, line);
        let cfg = std::fs::read_to_string(repo.root.join(".demarcate.yaml")).unwrap();
        std::fs::write(repo.root.join(".demarcate.yaml"), cfg + config).unwrap();
        git(&repo.root, &["init", "-q", "-b", "main"]);
        git(&repo.root, &["add", "-A"]);
        git(&repo.root, &["commit", "-q", "-m", "base"]);
        repo
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn run(&self, args: &[&str]) -> (i32, String) {
        let out = clean(env!("CARGO_BIN_EXE_demarcate"), &self.root)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            if out.stdout.is_empty() {
                text(&out)
            } else {
                String::from_utf8_lossy(&out.stdout).into_owned()
            },
        )
    }

    fn lint(&self) -> (i32, Value) {
        let (code, out) = self.run(&["lint", "--base", "HEAD", "--format", "json"]);
        (code, serde_json::from_str(&out).unwrap())
    }
}

fn change(json: &Value) -> &Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "vendor-owned-change")
        .unwrap()
}

fn codes(json: &Value) -> Vec<&str> {
    let mut c: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    c.sort_unstable();
    c
}

fn approved(reason: &str, extra: &str) -> String {
    format!(
        "      # demarcate:allow edgehostlet ref=CHG-1 until={}{extra} -- {reason}\n      - image: {IMAGE}:v1.8.0",
        soon()
    )
}

#[test]
fn an_allowance_carried_over_does_not_cover_a_new_value() {
    // Merged for v1.8.0; the next pull request changes the same line.
    let repo = Repo::with(&approved("approved v1.8.0", ""), "");
    repo.edit(TALOS, ":v1.8.0", ":v6.6.6-untested");
    let (code, json) = repo.lint();
    assert_eq!(code, 1, "{json:#}");
    let f = change(&json);
    assert!(f["allowed"].is_null(), "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "the allowance at {TALOS}:38 was not changed with this change: it approved `{IMAGE}:v1.8.0`"
        )),
        "{message}"
    );
    // No `allowance-unused` on top: the allowance did reach the finding.
    assert_eq!(codes(&json), ["vendor-owned-change"]);

    // Changing the allowance with the value approves the new value.
    repo.edit(TALOS, "approved v1.8.0", "approved v6.6.6 after testing");
    let (code, json) = repo.lint();
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(change(&json)["allowed"]["ref"], "CHG-1");
}

#[test]
fn a_pinned_value_is_checked_against_the_new_value() {
    let repo = Repo::with(
        &approved("approved", &format!(" value={IMAGE}:v1.9.0")).replace(":v1.8.0", ":v1.7.1"),
        "",
    );
    // The pinned value arrives in a later change: covered.
    let image = |v: &str| format!("image: {IMAGE}:{v}");
    repo.edit(TALOS, &image("v1.7.1"), &image("v1.9.0"));
    let (code, json) = repo.lint();
    assert_eq!(code, 0, "{json:#}");
    assert!(!change(&json)["allowed"].is_null());
    // Another value: not covered, and the note names the approved value.
    repo.edit(TALOS, &image("v1.9.0"), &image("v6.6.6"));
    let (code, json) = repo.lint();
    assert_eq!(code, 1, "{json:#}");
    let f = change(&json);
    assert!(f["allowed"].is_null());
    assert!(
        f["message"].as_str().unwrap().contains(&format!(
            "approved the value `{IMAGE}:v1.9.0`, not `{IMAGE}:v6.6.6`"
        )),
        "{f:#}"
    );
}

#[test]
fn waivers_may_pin_a_value() {
    let waiver = |value: &str| {
        format!(
            "waivers:\n  - paths: [\"talos/**\"]\n    area: edgehostlet\n    reason: rolled out\n    until: {}\n    value: {IMAGE}:{value}\n",
            soon()
        )
    };
    let repo = Repo::with(OLD, &waiver("v1.8.0"));
    repo.edit(TALOS, ":v1.7.1", ":v1.8.0");
    let (code, json) = repo.lint();
    assert_eq!(code, 0, "{json:#}");
    repo.edit(TALOS, ":v1.8.0", ":v6.6.6");
    let (code, json) = repo.lint();
    assert_eq!(code, 1, "{json:#}");
    assert!(
        change(&json)["message"]
            .as_str()
            .unwrap()
            .contains("approved the value"),
        "{json:#}"
    );
}

#[test]
fn until_is_limited_to_the_horizon_and_ref_may_be_required() {
    let far = format!(
        "      # demarcate:allow edgehostlet until=9999-12-31 -- forever\n      - image: {IMAGE}:v1.7.1"
    );
    let repo = Repo::with(&far, "");
    repo.edit(TALOS, ":v1.7.1", ":v1.8.0");
    let (code, json) = repo.lint();
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(codes(&json), ["allowance-invalid", "vendor-owned-change"]);
    let invalid = &json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "allowance-invalid")
        .unwrap()["message"];
    assert!(
        invalid
            .as_str()
            .unwrap()
            .contains("more than 366 days ahead"),
        "{invalid}"
    );

    // A shorter horizon in the configuration; and a required reference.
    let repo = Repo::with(
        &format!(
            "      # demarcate:allow edgehostlet until={} -- soon\n      - image: {IMAGE}:v1.7.1",
            soon()
        ),
        "allowances:\n  max_days: 366\n  require_ref: true\n",
    );
    repo.edit(TALOS, ":v1.7.1", ":v1.8.0");
    repo.edit(TALOS, "-- soon", "-- soon, edited");
    let (code, json) = repo.lint();
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(codes(&json), ["allowance-invalid", "vendor-owned-change"]);
    assert!(json.to_string().contains("needs a reference"), "{json:#}");
    repo.edit(TALOS, "edgehostlet until=", "edgehostlet ref=CHG-7 until=");
    let (code, json) = repo.lint();
    assert_eq!(code, 0, "{json:#}");

    let short = Repo::with(OLD, "allowances:\n  max_days: 1\n");
    short.edit(
        TALOS,
        OLD,
        &approved("approved", "").replace(":v1.8.0", ":v1.9.0"),
    );
    let (code, json) = short.lint();
    assert_eq!(code, 1, "{json:#}");
    assert!(
        json.to_string().contains("more than 1 days ahead"),
        "{json:#}"
    );
}

#[test]
fn github_annotations_say_who_approved_an_allowed_finding() {
    let repo = Repo::with(OLD, "");
    repo.edit(TALOS, OLD, &approved("approved by STACKIT support", ""));
    let (code, out) = repo.run(&["lint", "--base", "HEAD", "--format", "github"]);
    assert_eq!(code, 0, "{out}");
    let notice = out
        .lines()
        .find(|l| l.starts_with("::notice ") && l.contains("(allowed)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        notice.ends_with(&format!(
            "%0AAllowed by {TALOS}:38, ref CHG-1, until {}: approved by STACKIT support",
            soon()
        )),
        "{notice}"
    );
}
