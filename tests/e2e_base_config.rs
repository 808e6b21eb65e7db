//! End to end: `classify --base` (and `--head`) classifies changed settings
//! with the base revision's configuration, as `lint` judges them; and a
//! change in a file that no scope covers is an `unclassified-change` note.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::files::copy_fixture;
use support::gitrepo::{GitRepo, with_code};

const TALOS: &str = "talos/controlplane.yaml";
const EXT_OLD: &str = "edgehostlet:v1.7.1";

fn classify(repo: &GitRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["classify", "--format", "json"];
    all.extend_from_slice(args);
    let out = repo.run(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        support::process::text(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn example() -> GitRepo {
    let repo = GitRepo::new();
    copy_fixture("example", &repo.root);
    repo.commit("base");
    repo
}

#[test]
fn classify_base_uses_the_base_configuration() {
    let repo = example();
    // The change drops the configuration and bumps the EdgeHostLet: the
    // base's model still classifies the bump.
    repo.remove(".demarcate.yaml");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    let json = classify(&repo, &["--base", "HEAD"]);
    let settings = json["settings"].as_array().unwrap();
    assert_eq!(settings.len(), 1, "{json:#}");
    assert_eq!(
        settings[0]["setting"],
        "machine.install.extensions[0].image"
    );
    assert_eq!(settings[0]["area"], "edgehostlet", "{json:#}");
    assert_eq!(settings[0]["owner"], "STACKIT");
}

#[test]
fn classify_head_compares_two_commits_under_the_base_configuration() {
    let repo = example();
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.remove(".demarcate.yaml");
    repo.edit(TALOS, EXT_OLD, "edgehostlet:v1.8.0");
    repo.commit("drop the config, bump");
    repo.git(&["checkout", "-q", "main"]);
    let json = classify(&repo, &["--base", "main", "--head", "pr"]);
    let settings = json["settings"].as_array().unwrap();
    assert_eq!(settings.len(), 1, "{json:#}");
    assert_eq!(settings[0]["area"], "edgehostlet", "{json:#}");
    assert_eq!(
        settings[0]["value"],
        "registry.edge.stackit.cloud/extensions/edgehostlet:v1.8.0"
    );
}

const SCOPED: &str = "scopes:
  - paths: [\"talos/**\"]
    vendor: stackit-edge-cloud
    deployment: edge-cloud
";

const SHOP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  replicas: 2
";

#[test]
fn a_change_outside_every_scope_is_an_unclassified_change_note() {
    let repo = GitRepo::with(&[(".demarcate.yaml", SCOPED), ("apps/shop.yaml", SHOP)]);
    repo.edit("apps/shop.yaml", "replicas: 2", "replicas: 3");
    for args in [&["--base", "HEAD"][..], &["--staged"][..]] {
        if args == ["--staged"] {
            repo.git(&["add", "-A"]);
        }
        let (code, json) = repo.lint_json(args);
        assert_eq!(code, 0, "{json:#}");
        let notes = with_code(&json, "unclassified-change");
        assert_eq!(notes.len(), 1, "{args:?}: {json:#}");
        let f = notes[0];
        assert_eq!(f["severity"], "note");
        assert_eq!(f["file"], "apps/shop.yaml");
        assert_eq!(f["setting"], "Deployment/shop/shop:spec.replicas");
        assert_eq!(f["before"], "2");
        assert_eq!(f["after"], "3");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("no model covers"), "{message}");
    }
    // Inside the scope, nothing of the kind.
    repo.commit("scale");
    repo.write("talos/a.yaml", "machine:\n  network:\n    hostname: a\n");
    repo.commit("talos");
    repo.edit("talos/a.yaml", "hostname: a", "hostname: b");
    let (_, json) = repo.lint_json(&["--base", "HEAD"]);
    assert!(
        with_code(&json, "unclassified-change")
            .iter()
            .all(|f| !f["message"].as_str().unwrap().contains("no model covers")),
        "{json:#}"
    );
}
