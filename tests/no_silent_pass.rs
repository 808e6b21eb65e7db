//! End to end, issue "no silent pass": every change is judged at both ends,
//! under the base revision's configuration, and nothing changed goes unread.
//! Each test builds a temporary git repository, makes the change a pull
//! request would make, and runs `lint --base main` (or `--staged`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::gitrepo::{GitRepo, with_code};

const HALO: &str = "vendor: glasswall-halo\ndeployment: onprem-vm\n";
const CHART: &str = "apiVersion: v2\nname: cdrplatform-engine\nversion: 1.0.0\n";
const VALUES: &str = "image:\n  registry: glasswallhub.azurecr.io\n  repository: cdrplatform/engine\n  tag: \"2.15.0\"\nreplicas: 2\n";

fn halo_chart() -> GitRepo {
    let repo = GitRepo::with(&[
        (".demarcate.yaml", HALO),
        ("charts/engine/Chart.yaml", CHART),
        ("charts/engine/values.yaml", VALUES),
    ]);
    repo.git(&["checkout", "-q", "-b", "change"]);
    repo
}

fn messages(json: &serde_json::Value) -> String {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}: {}\n", f["code"], f["setting"], f["message"]))
        .collect()
}

#[test]
fn a_value_leaving_the_vendors_pattern_is_judged_by_its_base_end() {
    // A plain manifest is Glasswall's because it runs Glasswall's image: moved
    // to an internal mirror, the new end falls into no area, so only the
    // base end can judge the change.
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: engine\n  namespace: halo\nspec:\n  template:\n    spec:\n      containers:\n        - name: engine\n          image: glasswallsolutions/halo-engine:2.15.0\n";
    let repo = GitRepo::with(&[(".demarcate.yaml", HALO), ("deploy/engine.yaml", manifest)]);
    repo.edit(
        "deploy/engine.yaml",
        "glasswallsolutions/halo-engine",
        "mirror.internal/halo-engine",
    );
    let (code, json) = repo.lint_json(&["--base", "HEAD"]);
    let image = "Deployment/halo/engine:spec.template.spec.containers[0].image";
    let found: Vec<_> = with_code(&json, "vendor-owned-change")
        .into_iter()
        .filter(|f| f["setting"] == image)
        .collect();
    assert_eq!(found.len(), 1, "{}", messages(&json));
    let f = found[0];
    assert_eq!(f["area_before"], "cdr-functionality", "{}", messages(&json));
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("leaves \"CDR functionality\" (Glasswall)"),
        "{message}"
    );
    // The rest of the object was Glasswall's through its image, and leaves too.
    assert!(
        with_code(&json, "vendor-owned-change")
            .iter()
            .any(|f| f["setting"] == "Deployment/halo/engine:metadata.name"),
        "{}",
        messages(&json)
    );
    assert_eq!(code, 1);
}

#[test]
fn a_renamed_chart_takes_its_values_out_of_the_area_and_is_reported() {
    let repo = halo_chart();
    repo.edit(
        "charts/engine/Chart.yaml",
        "name: cdrplatform-engine",
        "name: halo-engine",
    );
    repo.edit("charts/engine/values.yaml", "2.15.0", "2.16.0");
    let (code, json) = repo.lint_json(&["--base", "main"]);
    let tag = with_code(&json, "vendor-owned-change")
        .into_iter()
        .find(|f| f["setting"] == "image.tag")
        .unwrap_or_else(|| panic!("{}", messages(&json)));
    let message = tag["message"].as_str().unwrap();
    assert!(
        message.contains("the chart changed from cdrplatform-engine to halo-engine"),
        "{message}"
    );
    assert_eq!(tag["area_before"], "cdr-functionality");
    assert_eq!(code, 1);
}

#[test]
fn a_helmrelease_switched_to_another_chart_is_reported() {
    let release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: engine\n  namespace: halo\nspec:\n  chart:\n    spec:\n      chart: cdrplatform-engine\n      version: 2.15.0\n  values:\n    image:\n      tag: 2.15.0\n";
    let repo = GitRepo::with(&[(".demarcate.yaml", HALO), ("apps/engine.yaml", release)]);
    repo.edit(
        "apps/engine.yaml",
        "chart: cdrplatform-engine",
        "chart: other-engine",
    );
    let (code, json) = repo.lint_json(&["--base", "HEAD"]);
    let tag = with_code(&json, "vendor-owned-change")
        .into_iter()
        .find(|f| f["setting"].as_str().unwrap_or("").ends_with("image.tag"))
        .unwrap_or_else(|| panic!("{}", messages(&json)));
    let message = tag["message"].as_str().unwrap();
    assert!(message.contains("is unchanged"), "{message}");
    assert!(
        message.contains("the chart changed from cdrplatform-engine to other-engine"),
        "{message}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_values_folder_moved_out_of_its_scope_is_reported() {
    let config = "scopes:\n  - paths: [\"halo/**\"]\n    vendor: glasswall-halo\n    deployment: onprem-vm\n";
    let repo = GitRepo::with(&[
        (".demarcate.yaml", config),
        (
            "halo/values.yaml",
            "image: glasswallsolutions/halo-engine:2.15.0\n",
        ),
    ]);
    repo.git(&["mv", "halo", "other"]);
    let (code, json) = repo.lint_json(&["--base", "HEAD"]);
    let found = with_code(&json, "vendor-owned-change");
    assert_eq!(found.len(), 1, "{}", messages(&json));
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("moves out of the Glasswall Halo scope (onprem-vm) (moved from halo/values.yaml to other/values.yaml)"),
        "{message}"
    );
    // The engine image's tag is the CDR functionality Glasswall owns on a VM.
    assert_eq!(found[0]["area_before"], "cdr-functionality");
    assert_eq!(code, 1);
}

#[test]
fn a_pure_rename_within_the_scope_stays_quiet() {
    let repo = halo_chart();
    repo.git(&[
        "mv",
        "charts/engine/values.yaml",
        "charts/engine/values-prod.yaml",
    ]);
    let (code, json) = repo.lint_json(&["--base", "main"]);
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        0,
        "{}",
        messages(&json)
    );
    assert_eq!(code, 0);
}

/// A change to a vendor-owned setting together with a weaker configuration.
fn weakened(edit: impl Fn(&GitRepo)) -> (i32, serde_json::Value) {
    let repo = halo_chart();
    repo.edit("charts/engine/values.yaml", "2.15.0", "2.16.0");
    edit(&repo);
    repo.commit("change");
    repo.lint_json(&["--base", "main"])
}

fn assert_still_judged(code: i32, json: &serde_json::Value, what: &str) {
    let vendor = with_code(json, "vendor-owned-change");
    assert!(
        vendor
            .iter()
            .any(|f| f["setting"] == "image.tag" && f["severity"] == "error"),
        "{what}: {}",
        messages(json)
    );
    let config = with_code(json, "config-change");
    assert_eq!(config.len(), 1, "{what}: {}", messages(json));
    assert_eq!(config[0]["severity"], "error", "{what}: {}", messages(json));
    assert_eq!(code, 1, "{what}");
}

#[test]
fn a_configuration_weakened_in_the_same_change_does_not_judge_it() {
    let variants: [(&str, &str); 5] = [
        (
            "severity lowered",
            "severity:\n  vendor-owned-change: note\n",
        ),
        ("folder ignored", "ignore: [\"charts/**\"]\n"),
        ("limits lowered", "limits:\n  max_file_bytes: 10\n"),
        (
            "model changed",
            "vendor: glasswall-halo\ndeployment: csp-kubernetes\n",
        ),
        ("built-in pack replaced", "packs: [mine.yaml]\n"),
    ];
    for (what, extra) in variants {
        let (code, json) = weakened(|repo| {
            let text = if extra.starts_with("vendor:") {
                extra.to_string()
            } else {
                format!("{HALO}{extra}")
            };
            repo.write(".demarcate.yaml", &text);
            if what == "built-in pack replaced" {
                let builtin = std::fs::read_to_string(
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("rules/glasswall-halo.yaml"),
                )
                .unwrap();
                // Every Glasswall area handed to the customer.
                let everything_mine = builtin
                    .replace("[vendor]", "[customer]")
                    .replace("[vendor, customer]", "[customer]");
                repo.write("mine.yaml", &everything_mine);
            }
        });
        assert_still_judged(code, &json, what);
        let message = with_code(&json, "config-change")[0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("weakens the check"), "{what}: {message}");
    }
    let (code, json) = weakened(|repo| repo.remove(".demarcate.yaml"));
    assert_still_judged(code, &json, "configuration deleted");
}

#[test]
fn a_waiver_added_in_the_change_still_applies_and_shows() {
    let (code, json) = weakened(|repo| {
        repo.write(
            ".demarcate.yaml",
            &format!("{HALO}waivers:\n  - area: cdr-functionality\n    ref: CHG-1\n    reason: approved by Glasswall\n"),
        );
    });
    let tag = with_code(&json, "vendor-owned-change");
    assert_eq!(tag.len(), 1, "{}", messages(&json));
    assert_eq!(tag[0]["allowed"]["reason"], "approved by Glasswall");
    let config = with_code(&json, "config-change");
    assert_eq!(config[0]["severity"], "warning", "{}", messages(&json));
    assert_eq!(code, 0);
}

#[test]
fn an_unread_changed_file_is_an_error() {
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "padded past the size limit",
            {
                let mut v = b"image: glasswallsolutions/engine:2\n".to_vec();
                v.extend(std::iter::repeat_n(b'#', 5 * 1024 * 1024));
                v.push(b'\n');
                v
            },
            "byte limit",
        ),
        (
            "a 1 MB comment line",
            {
                let mut v = b"image: glasswallsolutions/engine:2\n#".to_vec();
                v.extend(std::iter::repeat_n(b'x', 1024 * 1024 + 10));
                v.push(b'\n');
                v
            },
            "byte limit",
        ),
        (
            "not UTF-8",
            b"image: glasswallsolutions/engine:2\nname: caf\xe9\n".to_vec(),
            "UTF-8",
        ),
        (
            "a stray NUL",
            b"image: glasswallsolutions/engine:2\x00\n".to_vec(),
            "binary",
        ),
    ];
    for (what, bytes, reason) in cases {
        let repo = GitRepo::with(&[(".demarcate.yaml", HALO)]);
        repo.write_bytes("deploy/values.yaml", &bytes);
        for args in [&["--base", "HEAD"][..], &["--staged"][..]] {
            repo.git(&["add", "-A"]);
            let (code, json) = repo.lint_json(args);
            let unread: Vec<_> = with_code(&json, "file-skipped");
            assert_eq!(unread.len(), 1, "{what} {args:?}: {}", messages(&json));
            assert_eq!(unread[0]["severity"], "error", "{what}");
            let message = unread[0]["message"].as_str().unwrap();
            assert!(message.contains(reason), "{what}: {message}");
            assert_eq!(code, 1, "{what} {args:?}");
        }
    }
}

#[test]
fn a_changed_symlink_leaving_the_repository_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.yaml"), "a: 1\n").unwrap();
    let repo = GitRepo::with(&[(".demarcate.yaml", HALO)]);
    std::os::unix::fs::symlink(outside.path().join("x.yaml"), repo.path("values.yaml")).unwrap();
    let (code, json) = repo.lint_json(&["--base", "HEAD"]);
    let unread = with_code(&json, "file-skipped");
    assert_eq!(unread.len(), 1, "{}", messages(&json));
    assert!(
        unread[0]["message"]
            .as_str()
            .unwrap()
            .contains("outside the repository")
    );
    assert_eq!(code, 1);
}

#[test]
fn a_changed_setting_in_no_area_is_a_note_counted_in_the_summary() {
    let repo = halo_chart();
    repo.edit("charts/engine/values.yaml", "replicas: 2", "replicas: 3");
    let (_, json) = repo.lint_json(&["--base", "main"]);
    let notes = with_code(&json, "unclassified-change");
    // `replicas` is Helm chart configuration of a Glasswall chart: classified.
    assert!(notes.is_empty(), "{}", messages(&json));
    repo.edit("charts/engine/values.yaml", "replicas: 3", "replicas: 2");
    repo.write("other/values.yaml", "replicas: 3\n");
    let (code, json) = repo.lint_json(&["--base", "main"]);
    let notes = with_code(&json, "unclassified-change");
    assert_eq!(notes.len(), 1, "{}", messages(&json));
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(json["summary"]["unclassified"], 1);
    assert_eq!(code, 0, "{}", messages(&json));
}

#[test]
fn without_a_model_lint_says_so_and_diff_modes_exit_2() {
    let repo = GitRepo::with(&[("deploy/values.yaml", "image: glasswallsolutions/engine:1\n")]);
    repo.edit("deploy/values.yaml", ":1", ":2");
    for args in [&["lint", "--base", "HEAD"][..], &["lint", "--staged"][..]] {
        repo.git(&["add", "-A"]);
        let out = repo.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("demarcate init") && err.contains("--vendor"),
            "{err}"
        );
    }
    // Tree mode: stderr and every format's summary.
    for format in ["human", "json", "sarif", "github", "markdown"] {
        let out = repo.run(&["lint", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no responsibility model is configured"),
            "{format}: {err}"
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("no responsibility model is configured"),
            "{format}: {text}"
        );
    }
    // With a model on the command line, no notice.
    let out = repo.run(&[
        "lint",
        "--vendor",
        "glasswall-halo",
        "--deployment",
        "onprem-vm",
    ]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no responsibility model"));
}

#[test]
fn classify_takes_fail_on() {
    let repo = GitRepo::with(&[(".demarcate.yaml", HALO), ("bad.yaml", "a: [\n")]);
    let out = repo.run(&["classify"]);
    assert_eq!(out.status.code(), Some(1));
    let out = repo.run(&["classify", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0));
    let skipped = GitRepo::with(&[(".demarcate.yaml", HALO)]);
    skipped.write_bytes("bin.yaml", b"a: \x00\n");
    assert_eq!(skipped.run(&["classify"]).status.code(), Some(0));
    assert_eq!(
        skipped
            .run(&["classify", "--fail-on", "note"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn a_chart_renamed_alone_moves_its_unchanged_values_out_of_the_area() {
    let repo = halo_chart();
    repo.edit(
        "charts/engine/Chart.yaml",
        "name: cdrplatform-engine",
        "name: halo-engine",
    );
    let (code, json) = repo.lint_json(&["--base", "main"]);
    let moved: Vec<_> = with_code(&json, "vendor-owned-change")
        .into_iter()
        .filter(|f| f["file"] == "charts/engine/values.yaml")
        .collect();
    assert!(
        moved.iter().any(|f| f["setting"] == "image.tag"),
        "{}",
        messages(&json)
    );
    for f in &moved {
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("is unchanged"), "{message}");
        assert!(
            message.contains("the chart changed from cdrplatform-engine to halo-engine"),
            "{message}"
        );
    }
    assert_eq!(code, 1);
    // The same in a pre-commit hook.
    repo.git(&["add", "-A"]);
    let (code, json) = repo.lint_json(&["--staged"]);
    assert!(
        !with_code(&json, "vendor-owned-change").is_empty(),
        "{}",
        messages(&json)
    );
    assert_eq!(code, 1);
}

#[test]
fn a_change_to_a_symlinks_target_is_judged_as_the_links_change() {
    let config = "scopes:\n  - paths: [\"halo/**\"]\n    vendor: glasswall-halo\n    deployment: onprem-vm\n";
    let repo = GitRepo::new();
    repo.write(".demarcate.yaml", config);
    repo.write(
        "shared/values.yaml",
        "image: glasswallsolutions/halo-engine:2.15.0\n",
    );
    std::fs::create_dir_all(repo.path("halo")).unwrap();
    std::os::unix::fs::symlink("../shared/values.yaml", repo.path("halo/values.yaml")).unwrap();
    repo.commit("base");
    repo.edit("shared/values.yaml", "2.15.0", "2.16.0");
    for args in [&["--base", "HEAD"][..], &["--staged"][..]] {
        repo.git(&["add", "-A"]);
        let (code, json) = repo.lint_json(args);
        let found = with_code(&json, "vendor-owned-change");
        assert_eq!(found.len(), 1, "{args:?}: {}", messages(&json));
        assert_eq!(found[0]["file"], "halo/values.yaml");
        assert_eq!(code, 1, "{args:?}");
    }
}

#[test]
fn a_submodule_bump_is_reported_with_both_commits() {
    let a = "1111111111111111111111111111111111111111";
    let b = "2222222222222222222222222222222222222222";
    for (config, severity) in [
        (HALO.to_string(), "note"),
        (
            "scopes:\n  - paths: [\"vendor/**\"]\n    vendor: glasswall-halo\n    deployment: onprem-vm\n".to_string(),
            "error",
        ),
    ] {
        let repo = GitRepo::with(&[(".demarcate.yaml", &config)]);
        repo.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{a},vendor/halo")]);
        repo.git(&["commit", "-q", "-m", "submodule"]);
        repo.git(&["update-index", "--cacheinfo", &format!("160000,{b},vendor/halo")]);
        let bump = [&["--staged"][..], &["--base", "HEAD"][..]];
        // The bump committed: compared commit to commit too.
        let head = &["--base", "HEAD~1", "--head", "HEAD"][..];
        for (i, args) in bump.into_iter().chain([head]).enumerate() {
            if i == 2 {
                repo.git(&["commit", "-q", "-m", "bump"]);
            }
            let (code, json) = repo.lint_json(args);
            let found = with_code(&json, "submodule-change");
            assert_eq!(found.len(), 1, "{args:?}: {}", messages(&json));
            let f = found[0];
            assert_eq!(f["file"], "vendor/halo");
            assert_eq!(f["before"], a);
            assert_eq!(f["after"], b);
            assert_eq!(f["severity"], severity);
            assert_eq!(code, i32::from(severity == "error"), "{args:?}");
        }
    }
}

#[test]
fn a_configuration_named_with_config_inside_the_repository_is_read_at_the_base() {
    let (code, json) = {
        let repo = halo_chart();
        repo.edit("charts/engine/values.yaml", "2.15.0", "2.16.0");
        repo.write(
            ".demarcate.yaml",
            &format!("{HALO}severity:\n  vendor-owned-change: note\n"),
        );
        repo.commit("change");
        repo.lint_json(&["--base", "main", "--config", ".demarcate.yaml"])
    };
    assert_still_judged(code, &json, "--config inside the repository");
    // A configuration outside the repository is the caller's: it judges.
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("demarcate.yaml");
    std::fs::write(
        &file,
        format!("{HALO}severity:\n  vendor-owned-change: note\n"),
    )
    .unwrap();
    let repo = halo_chart();
    repo.edit("charts/engine/values.yaml", "2.15.0", "2.16.0");
    let (code, json) = repo.lint_json(&["--base", "main", "--config", file.to_str().unwrap()]);
    assert!(
        with_code(&json, "config-change").is_empty(),
        "{}",
        messages(&json)
    );
    assert_eq!(
        with_code(&json, "vendor-owned-change")[0]["severity"],
        "note"
    );
    assert_eq!(code, 0);
}

#[test]
fn in_a_pre_commit_hook_heads_configuration_judges_the_staged_change() {
    let repo = halo_chart();
    repo.edit("charts/engine/values.yaml", "2.15.0", "2.16.0");
    repo.write(
        ".demarcate.yaml",
        &format!("{HALO}ignore: [\"charts/**\"]\n"),
    );
    repo.git(&["add", "-A"]);
    let (code, json) = repo.lint_json(&["--staged"]);
    assert_still_judged(code, &json, "--staged with a widened ignore");
}

#[test]
fn a_model_chosen_in_the_change_judges_its_new_end() {
    let repo = GitRepo::with(&[(".demarcate.yaml", "ignore: [\"vendor/**\"]\n")]);
    repo.write(
        ".demarcate.yaml",
        &format!("ignore: [\"vendor/**\"]\n{HALO}"),
    );
    repo.write("deploy/values.yaml", "image: glasswallsolutions/engine:2\n");
    let out = repo.run(&["lint", "--base", "HEAD", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no responsibility model"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        with_code(&json, "vendor-owned-change").len(),
        1,
        "{}",
        messages(&json)
    );
    assert_eq!(with_code(&json, "config-change")[0]["severity"], "warning");
    assert!(json["summary"].get("notice").is_none());
}
