//! End to end: temporary git repositories with a base commit and a change,
//! linted with `--base` or `--staged`, for every vendor and every kind of
//! change the product must catch (or must stay quiet about).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;
use std::process::Command as Process;
use support::files::{copy_fixture, file_url};

use assert_cmd::Command;
use serde_json::Value;

/// A temporary repository made from a fixture, committed as the base.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn from_fixture(name: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        copy_fixture(name, &root);
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.commit("base");
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Process::new("git")
            .arg("-C")
            .arg(&self.root)
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    /// Replaces exactly one occurrence of `from`.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn lint(&self, args: &[&str]) -> (i32, Value) {
        let out = Command::cargo_bin("demarcate")
            .unwrap()
            .current_dir(&self.root)
            .args(["lint", "--format", "json"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!("no JSON; stderr: {}", String::from_utf8_lossy(&out.stderr))
        });
        (out.status.code().unwrap(), json)
    }
}

/// (code, file, line, setting) of each finding.
fn found(json: &Value) -> Vec<(String, String, u64, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["setting"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn codes(json: &Value) -> Vec<String> {
    found(json).into_iter().map(|f| f.0).collect()
}

const TALOS: &str = "talos/controlplane.yaml";
const EXT_OLD: &str = "edgehostlet:v1.7.1";

#[test]
fn stackit_edgehostlet_version_change_is_a_vendor_owned_error() {
    let repo = Repo::from_fixture("example");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&json),
        vec![(
            "vendor-owned-change".into(),
            TALOS.into(),
            38,
            "machine.install.extensions[0].image".into()
        )]
    );
    let f = &json["findings"][0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["change"], "modified");
    assert_eq!(
        f["before"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1"
    );
    assert_eq!(
        f["after"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0"
    );
    assert_eq!(f["area"], "edgehostlet");
    assert_eq!(f["area_title"], "EdgeHostLet");
    assert_eq!(f["owner"], "STACKIT");
    assert_eq!(f["responsible"], serde_json::json!(["vendor"]));
    let message = f["message"].as_str().unwrap();
    for part in [
        "\"EdgeHostLet\"",
        "STACKIT",
        "edge-cloud",
        "Duties — STACKIT: Ships and maintains",
        "demarcate:allow edgehostlet",
    ] {
        assert!(message.contains(part), "{part} missing in: {message}");
    }
}

#[test]
fn stackit_edgehostlet_removed_is_reported_at_the_surviving_parent() {
    let repo = Repo::from_fixture("example");
    repo.edit(TALOS, "    extensions:\n      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1\n", "");
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    let f = found(&json);
    assert!(
        f.iter().any(|(c, _, line, s)| c == "vendor-owned-change"
            && s == "machine.install.extensions[0].image"
            && *line == 33),
        "{f:?}"
    );
    let removed = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["setting"] == "machine.install.extensions[0].image")
        .unwrap();
    assert_eq!(removed["change"], "removed");
    assert!(removed["after"].is_null());
}

#[test]
fn stackit_kubelet_change_is_a_best_effort_note_for_the_customer() {
    let repo = Repo::from_fixture("example");
    repo.edit(
        TALOS,
        "rotate-server-certificates: \"true\"",
        "rotate-server-certificates: \"false\"",
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&json), vec!["best-effort-area"]);
    let f = &json["findings"][0];
    assert_eq!(f["severity"], "note");
    assert_eq!(f["owner"], "Customer");
    assert_eq!(f["area"], "talos-linux");
}

#[test]
fn halo_tls_value_change_is_the_customers_and_yields_nothing() {
    let repo = Repo::from_fixture("example");
    repo.edit(
        "charts/cdrplatform-engine/values.yaml",
        "    enabled: yes",
        "    enabled: false",
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&json), Vec::<String>::new());
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn host_os_hardening_is_glasswalls_on_a_vm_but_not_on_kubernetes() {
    let repo = Repo::from_fixture("glasswall-halo");
    repo.edit(
        "terraform/vm/halo-vm.tf",
        "\"guestinfo.userdata.encoding\" = \"base64\"",
        "\"guestinfo.userdata.encoding\" = \"gzip+base64\"",
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    let f = &json["findings"][0];
    assert_eq!(f["code"], "vendor-owned-change");
    assert_eq!(f["area"], "host-os-hardening");
    assert_eq!(f["owner"], "Glasswall");
    assert!(f["message"].as_str().unwrap().contains("onprem-vm"));
    let (code, json) = repo.lint(&["--base", "HEAD", "--deployment", "onprem-kubernetes"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&json), Vec::<String>::new());
}

#[test]
fn wso2_pdp_agent_value_depends_on_the_management_model() {
    let repo = Repo::from_fixture("wso2-choreo");
    repo.edit(
        "flux/pdp.yaml",
        "      clusterName: aks-choreo-pdp-prod",
        "      clusterName: aks-choreo-pdp-eu",
    );
    let (code, json) = repo.lint(&["--base", "HEAD", "--deployment", "wso2-managed"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&json), vec!["vendor-owned-change"]);
    assert_eq!(json["findings"][0]["setting"], "agent.clusterName");
    assert_eq!(json["findings"][0]["owner"], "WSO2");
    let (code, json) = repo.lint(&["--base", "HEAD", "--deployment", "customer-self-managed"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&json), vec!["consult-vendor"]);
    assert_eq!(json["findings"][0]["owner"], "Customer");
    assert_eq!(
        json["findings"][0]["consulted"],
        serde_json::json!(["vendor"])
    );
}

#[test]
fn nexgen_firewall_rule_is_shared_in_paas_and_the_customers_in_iaas() {
    let repo = Repo::from_fixture("nexgen-cloud");
    repo.edit(
        "terraform/main.tf",
        "port_range_min     = 8888",
        "port_range_min     = 8000",
    );
    let (code, json) = repo.lint(&["--base", "HEAD", "--deployment", "paas"]);
    assert_eq!(code, 0, "warnings do not fail by default");
    assert_eq!(codes(&json), vec!["shared-change"]);
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["findings"][0]["owner"], "NexGen Cloud and Customer");
    let (code, _) = repo.lint(&[
        "--base",
        "HEAD",
        "--deployment",
        "paas",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(code, 1);
    let (code, json) = repo.lint(&["--base", "HEAD", "--deployment", "iaas"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&json), Vec::<String>::new());
}

#[test]
fn reformatting_and_reordering_yield_nothing() {
    let repo = Repo::from_fixture("example");
    // Reformat: quoting style, flow style, indentation of a list, comments.
    repo.edit(
        TALOS,
        "    image: image-factory.edge.eu01.stackit.cloud/installer/4b2d7a1f:v1.9.5",
        "    image: \"image-factory.edge.eu01.stackit.cloud/installer/4b2d7a1f:v1.9.5\" # pinned",
    );
    repo.edit(
        TALOS,
        "  certSANs:\n    - 10.20.0.10\n    - edge-muc-1.example.internal",
        "  certSANs: [10.20.0.10, edge-muc-1.example.internal]",
    );
    repo.edit(
        "terraform/edge.tf",
        "  plan_id      = \"p-standard\"",
        "  plan_id = \"p-standard\" // the default plan",
    );
    // Reorder keys and list items matched by their natural key.
    repo.edit(
        "charts/cdrplatform-engine/values.yaml",
        "  registry: glasswallhub.azurecr.io\n  repository: cdrplatform/engine\n",
        "  repository: cdrplatform/engine\n  registry: glasswallhub.azurecr.io\n",
    );
    repo.edit(
        TALOS,
        "  certSANs: [10.20.0.10, edge-muc-1.example.internal]",
        "  certSANs: [edge-muc-1.example.internal, 10.20.0.10]",
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!((code, codes(&json)), (0, Vec::<String>::new()));
    assert_eq!(json["summary"]["files"], 3);
}

#[test]
fn a_renamed_file_is_followed() {
    let repo = Repo::from_fixture("example");
    repo.git(&["mv", TALOS, "talos/cp-muc-1.yaml"]);
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(
        (code, codes(&json)),
        (0, Vec::<String>::new()),
        "a pure rename changes no setting"
    );
    repo.edit("talos/cp-muc-1.yaml", EXT_OLD, "edgehostlet:v1.9.0");
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&json),
        vec![(
            "vendor-owned-change".into(),
            "talos/cp-muc-1.yaml".into(),
            38,
            "machine.install.extensions[0].image".into()
        )]
    );
}

#[test]
fn a_deleted_file_removes_every_setting_at_line_one() {
    let repo = Repo::from_fixture("example");
    std::fs::remove_file(repo.root.join(TALOS)).unwrap();
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    let f = found(&json);
    assert!(
        f.iter()
            .all(|(_, file, line, _)| file == TALOS && *line == 1),
        "{f:?}"
    );
    assert!(f.iter().any(
        |(c, _, _, s)| c == "vendor-owned-change" && s == "machine.install.extensions[0].image"
    ));
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["change"] == "removed")
    );
}

#[test]
fn staged_mode_reads_the_index_not_the_work_tree() {
    let repo = Repo::from_fixture("example");
    // Stage a customer-owned change, then make an unstaged vendor-owned change in the same file.
    repo.edit(TALOS, "hostname: edge-muc-1", "hostname: edge-muc-01");
    repo.git(&["add", TALOS]);
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v2.0.0");
    let (code, json) = repo.lint(&["--staged"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(codes(&json), vec!["best-effort-area"]);
    assert_eq!(json["findings"][0]["setting"], "machine.network.hostname");
    // Staging the vendor-owned part makes the commit fail.
    repo.git(&["add", TALOS]);
    let (code, json) = repo.lint(&["--staged"]);
    assert_eq!(code, 1);
    assert!(codes(&json).contains(&"vendor-owned-change".to_string()));
}

/// The first day of next year: within the default allowance horizon (366 days).
fn soon() -> String {
    let year: u32 = demarcate::allow::today()[..4].parse().unwrap();
    format!("{}-01-01", year + 1)
}

#[test]
fn allowances_in_changed_files() {
    let repo = Repo::from_fixture("example");
    let soon = soon();
    let bump = &format!(
        "      # demarcate:allow edgehostlet ref=CHG-1234 until={soon} -- approved by STACKIT support\n      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0"
    );
    repo.edit(
        TALOS,
        "      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.1",
        bump,
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{json:#}");
    let f = &json["findings"][0];
    assert_eq!(f["code"], "vendor-owned-change");
    assert_eq!(f["allowed"]["by"], format!("{TALOS}:38"));
    assert_eq!(f["allowed"]["ref"], "CHG-1234");
    assert_eq!(f["allowed"]["reason"], "approved by STACKIT support");
    assert_eq!(json["summary"]["allowed"], 1);
    assert_eq!(json["summary"]["errors"], 0);

    // Past its date: the finding comes back, with allowance-expired.
    repo.edit(TALOS, &format!("until={soon}"), "until=2020-03-31");
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    let mut c = codes(&json);
    c.sort();
    assert_eq!(c, vec!["allowance-expired", "vendor-owned-change"]);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["allowed"].is_null())
    );

    // No reason: invalid, and the finding stands.
    repo.edit(
        TALOS,
        "until=2020-03-31 -- approved by STACKIT support",
        &format!("until={soon}"),
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 1);
    let mut c = codes(&json);
    c.sort();
    assert_eq!(c, vec!["allowance-invalid", "vendor-owned-change"]);

    // An allowance next to nothing it could accept is unused (a comment changes no setting).
    repo.edit(
        TALOS,
        "    hostname: edge-muc-1",
        "    hostname: edge-muc-1 # demarcate:allow edgehostlet -- wrong line",
    );
    repo.edit(
        TALOS,
        &format!("ref=CHG-1234 until={soon}"),
        &format!("ref=CHG-1234 until={soon} -- approved"),
    );
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{json:#}");
    let got: Vec<(String, u64, bool)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                !f["allowed"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("allowance-unused".to_string(), 22, false),
            ("vendor-owned-change".to_string(), 39, true)
        ]
    );
}

#[test]
fn waivers_accept_changes_from_the_configuration() {
    let repo = Repo::from_fixture("example");
    let config = repo.read(".demarcate.yaml")
        + &format!(
            "waivers:\n  - paths: [\"talos/**\"]\n    settings: [\"machine.install.extensions*\"]\n    area: edgehostlet\n    reason: STACKIT rolled out v1.8 to all sites\n    ref: STX-42\n    until: {}\n",
            soon()
        );
    repo.write(".demarcate.yaml", &config);
    repo.commit("waiver");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    let (code, json) = repo.lint(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["findings"][0]["allowed"]["ref"], "STX-42");
    assert!(
        json["findings"][0]["allowed"]["by"]
            .as_str()
            .unwrap()
            .starts_with(".demarcate.yaml:")
    );
}

#[test]
fn base_json_follows_the_contract_field_for_field() {
    let repo = Repo::from_fixture("example");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    let (_, json) = repo.lint(&["--base", "main"]);
    let top: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        top,
        vec![
            "deployment",
            "findings",
            "options",
            "summary",
            "tool",
            "vendor"
        ]
    );
    assert_eq!(json["tool"]["name"], "demarcate");
    assert!(json["tool"]["version"].is_string());
    assert_eq!(json["vendor"], "stackit-edge-cloud");
    assert_eq!(json["deployment"], "edge-cloud");
    assert!(json["options"].is_object());
    let f = json["findings"][0].as_object().unwrap();
    let mut keys: Vec<&str> = f.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = vec![
        "code",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "setting",
        "format",
        "change",
        "before",
        "after",
        "area",
        "area_title",
        "responsible",
        "accountable",
        "consulted",
        "informed",
        "owner",
        "message",
        "contacts",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(f["format"], "talos");
    assert_eq!(
        (
            f["line"].as_u64(),
            f["column"].as_u64(),
            f["end_line"].as_u64()
        ),
        (Some(38), Some(9), Some(38))
    );
    assert_eq!(f["end_column"].as_u64(), Some(73));
    let summary: Vec<&str> = json["summary"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in ["files", "settings", "errors", "warnings", "notes"] {
        assert!(summary.contains(&key), "summary.{key}");
    }
}

#[test]
fn a_shallow_clone_without_the_base_says_how_to_fetch_it() {
    let repo = Repo::from_fixture("example");
    let first = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    repo.commit("bump");
    let clone = tempfile::tempdir().unwrap();
    let url = file_url(&repo.root);
    let status = Process::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(clone.path().join("c"))
        .args(["lint", "--base", &first])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fetch"), "{err}");
}

#[test]
fn classify_base_lists_only_changed_settings() {
    let repo = Repo::from_fixture("example");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(&repo.root)
        .args(["classify", "--base", "HEAD", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let settings = json["settings"].as_array().unwrap();
    assert_eq!(settings.len(), 1);
    assert_eq!(
        settings[0]["setting"],
        "machine.install.extensions[0].image"
    );
    assert_eq!(settings[0]["area"], "edgehostlet");
}
