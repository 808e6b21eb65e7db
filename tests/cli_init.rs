//! `demarcate init`: vendor detection on the fixture repositories, scopes for
//! a second vendor in its own folders, values hints, the written file loads
//! with the configuration loader and drives `lint`, and an existing file is
//! never overwritten without `--force`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use demarcate::config::{self, ModelChoice};
use demarcate::models::Models;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of a fixture repository without its `.demarcate.yaml`.
fn repo(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    std::fs::remove_file(dir.path().join(".demarcate.yaml")).unwrap();
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn init(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .arg("init")
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Loads the written file with the library's loader and resolves its models.
fn load(dir: &Path) -> config::Config {
    let path = dir.join(".demarcate.yaml");
    let cfg = config::load(&path, ".demarcate.yaml", "")
        .unwrap_or_else(|p| panic!("{p:?}\n{}", std::fs::read_to_string(&path).unwrap()));
    let packs = demarcate::packs::builtin::packs().unwrap();
    Models::resolve(&packs, Some(&cfg), &ModelChoice::default()).unwrap();
    cfg
}

fn classify(dir: &Path) -> Value {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir)
        .args(["classify", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn example_repo_gets_stackit_with_a_glasswall_scope() {
    let dir = repo("example");
    let (code, stdout, stderr) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Detected stackit-edge-cloud"), "{stdout}");
    assert!(stdout.contains("Also detected glasswall-halo"), "{stdout}");
    assert!(stdout.contains("Wrote .demarcate.yaml"), "{stdout}");
    let cfg = load(dir.path());
    assert_eq!(cfg.model.vendor.as_deref(), Some("stackit-edge-cloud"));
    assert_eq!(cfg.model.deployment.as_deref(), Some("edge-cloud"));
    assert_eq!(cfg.scopes.len(), 1);
    let scope = &cfg.scopes[0];
    assert_eq!(scope.model.vendor.as_deref(), Some("glasswall-halo"));
    assert_eq!(
        scope.paths,
        [
            "charts/cdrplatform-engine/**",
            "kubernetes/apps/halo-engine.yaml",
            "terraform/halo.tf"
        ]
    );
    let text = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    // The other deployments are listed for the user to choose from.
    for d in ["csp-kubernetes", "onprem-kubernetes", "onprem-vm"] {
        assert!(text.contains(&format!("#   {d}")), "{text}");
    }
    assert!(
        text.contains("# waivers:") && text.contains("# severity:"),
        "{text}"
    );
    // The written file drives the other commands: the Halo values are Glasswall's.
    let json = classify(dir.path());
    let rows = json["settings"].as_array().unwrap();
    let registry = rows
        .iter()
        .find(|r| {
            r["file"] == "charts/cdrplatform-engine/values.yaml" && r["setting"] == "image.registry"
        })
        .unwrap();
    assert_eq!(registry["owner"], "Glasswall");
    let edgehostlet = rows
        .iter()
        .find(|r| r["file"] == "talos/controlplane.yaml" && r["area"] == "edgehostlet")
        .unwrap();
    assert_eq!(edgehostlet["owner"], "STACKIT");
}

#[test]
fn each_vendor_fixture_is_detected() {
    for vendor in [
        "glasswall-halo",
        "stackit-edge-cloud",
        "nexgen-cloud",
        "wso2-choreo",
    ] {
        let dir = repo(vendor);
        let (code, stdout, stderr) = init(dir.path(), &[]);
        assert_eq!(code, 0, "{vendor}: {stderr}");
        let cfg = load(dir.path());
        assert_eq!(cfg.model.vendor.as_deref(), Some(vendor), "{stdout}");
        assert!(cfg.scopes.is_empty(), "{vendor}: {stdout}");
        assert!(stdout.contains(&format!("Detected {vendor}")), "{stdout}");
    }
}

#[test]
fn options_are_offered_as_comments() {
    let dir = repo("wso2-choreo");
    init(dir.path(), &[]);
    let text = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    assert!(
        text.contains("#   tier: \"basic\"   # Security tier: basic, standard, premium"),
        "{text}"
    );
    for d in [
        "wso2-managed",
        "wso2-managed-customer-subscription",
        "customer-self-managed",
    ] {
        assert!(text.contains(&format!("#   {d} ")), "{text}");
    }
}

#[test]
fn values_files_without_a_chart_get_a_values_entry() {
    let dir = repo("glasswall-halo");
    let (_, stdout, _) = init(dir.path(), &[]);
    assert!(
        stdout.contains("helm/engine.values.yaml mapped to chart cdrplatform-engine"),
        "{stdout}"
    );
    let cfg = load(dir.path());
    let engine = cfg
        .values
        .iter()
        .find(|(paths, _)| paths == &["helm/engine.values.yaml"])
        .unwrap();
    assert_eq!(engine.1.as_deref(), Some("cdrplatform-engine"));
    // With the chart known, Halo's values land in Halo's areas.
    let json = classify(dir.path());
    let tag = json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == "helm/engine.values.yaml" && r["setting"] == "image.tag")
        .unwrap();
    assert_eq!(tag["area"], "cdr-functionality");
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = repo("nexgen-cloud");
    let path = dir.path().join(".demarcate.yaml");
    std::fs::write(&path, "vendor: wso2-choreo\n").unwrap();
    let (code, stdout, stderr) = init(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "vendor: wso2-choreo\n"
    );
    let (code, stdout, _) = init(dir.path(), &["--force"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Replaced .demarcate.yaml"), "{stdout}");
    assert_eq!(
        load(dir.path()).model.vendor.as_deref(),
        Some("nexgen-cloud")
    );
}

#[test]
fn no_vendor_writes_a_file_that_loads_and_lists_the_models() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "k8s/app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: b\n",
    );
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("No vendor's product was recognised"),
        "{stdout}"
    );
    assert!(stdout.contains("kubernetes 5 in 1 file"), "{stdout}");
    let cfg = load(dir.path());
    assert_eq!(cfg.model.vendor, None);
    let text = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    for id in [
        "glasswall-halo",
        "stackit-edge-cloud",
        "nexgen-cloud",
        "wso2-choreo",
    ] {
        assert!(text.contains(&format!("# vendor: {id}")), "{text}");
    }
}

#[test]
fn a_second_vendor_in_the_main_vendors_files_gets_no_scope() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "terraform/main.tf",
        "resource \"stackit_edgecloud_instance\" \"a\" {\n  display_name = \"a\"\n}\n\
         resource \"helm_release\" \"halo\" {\n  name  = \"cdrplatform-engine\"\n  chart = \"cdrplatform-engine\"\n}\n",
    );
    write(
        dir.path(),
        "terraform/hosts.tf",
        "resource \"stackit_server\" \"h\" {\n  name = \"h\"\n}\n",
    );
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, 0);
    let cfg = load(dir.path());
    assert_eq!(cfg.model.vendor.as_deref(), Some("stackit-edge-cloud"));
    assert!(cfg.scopes.is_empty());
    assert!(
        stdout.contains("in files of the main vendor: terraform/main.tf"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    assert!(
        text.contains("# Glasswall Halo (glasswall-halo) was also found in files of the main vendor: terraform/main.tf."),
        "{text}"
    );
}

#[test]
fn a_vendor_folder_with_several_files_becomes_one_glob() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/edge.tf",
        "resource \"stackit_edgecloud_instance\" \"a\" {\n  display_name = \"a\"\n}\n",
    );
    for app in ["a", "b"] {
        write(
            dir.path(),
            &format!("apps/choreo/{app}.yaml"),
            &format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}\n  namespace: choreo-system\ndata:\n  x: y\n"
            ),
        );
    }
    // A Talos patch without signals: STACKIT's model has an area for it, WSO2's has not.
    write(
        dir.path(),
        "infra/talos/patch.yaml",
        "machine:\n  network:\n    hostname: edge-1\n",
    );
    write(
        dir.path(),
        "apps/shop.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  x: y\n",
    );
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{stdout}");
    let cfg = load(dir.path());
    assert_eq!(
        cfg.model.vendor.as_deref(),
        Some("stackit-edge-cloud"),
        "{stdout}"
    );
    assert_eq!(cfg.scopes.len(), 1);
    assert_eq!(cfg.scopes[0].model.vendor.as_deref(), Some("wso2-choreo"));
    // `apps/` also holds a file without signals, so the scope stops at `apps/choreo`.
    assert_eq!(cfg.scopes[0].paths, ["apps/choreo/**"]);
}

#[test]
fn a_file_instead_of_a_folder_is_a_usage_error() {
    let dir = repo("nexgen-cloud");
    let (code, _, stderr) = init(&dir.path().join("terraform/main.tf"), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a folder"), "{stderr}");
}

#[test]
fn a_repository_using_only_stackit_kubernetes_engine_is_not_edge_cloud() {
    // SKE and STACKIT's general cloud resources are not Edge Cloud: the pack
    // marks them `evidence: false`, and SKE is left unclassified.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "terraform/main.tf",
        "provider \"stackit\" {\n  default_region = \"eu01\"\n}\nresource \"stackit_ske_cluster\" \"apps\" {\n  project_id         = var.project_id\n  name               = \"apps\"\n  kubernetes_version = \"1.31\"\n}\nresource \"stackit_dns_zone\" \"apps\" {\n  project_id = var.project_id\n  dns_name   = \"apps.example.com\"\n}\nresource \"stackit_network\" \"apps\" {\n  name = \"apps\"\n}\n",
    );
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("No vendor's product was recognised"),
        "{stdout}"
    );
    assert_eq!(load(dir.path()).model.vendor, None);
}
