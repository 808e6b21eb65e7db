//! `demarcate report`: the JSON contract on the fixture repositories (counts
//! that add up and agree with `classify`), the allowance inventory settled as
//! `lint` settles it, the Markdown and HTML renderings, escaping, and the
//! model resolution shared with `lint` (scopes, `--vendor`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use support::files::write;

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend(args);
    let (code, out) = run(dir, &all);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Settings per owner and per file and owner, as `classify` reports them.
fn classify_counts(
    dir: &Path,
    path: &str,
) -> (
    BTreeMap<String, u64>,
    BTreeMap<String, BTreeMap<String, u64>>,
) {
    let (code, out) = run(dir, &["classify", path, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut owners = BTreeMap::new();
    let mut files: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for s in v["settings"].as_array().unwrap() {
        let owner = s["owner"].as_str().unwrap_or("(unclassified)").to_string();
        *owners.entry(owner.clone()).or_insert(0) += 1;
        *files
            .entry(s["file"].as_str().unwrap().to_string())
            .or_default()
            .entry(owner)
            .or_insert(0) += 1;
    }
    (owners, files)
}

/// The report of a fixture agrees with `classify` and its counts add up.
fn check_fixture(name: &str) -> Value {
    let path = format!("fixtures/{name}");
    let r = json(root(), &[&path]);
    for key in [
        "vendor",
        "deployment",
        "settings",
        "unclassified",
        "parties",
        "areas",
        "files",
        "allowances",
    ] {
        assert!(r.get(key).is_some(), "{name}: no `{key}`");
    }
    let n = |v: &Value| v.as_u64().unwrap();
    let settings = n(&r["settings"]);
    let unclassified = n(&r["unclassified"]);
    let areas: u64 = r["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| n(&a["settings"]))
        .sum();
    assert_eq!(
        areas + unclassified,
        settings,
        "{name}: areas + unclassified"
    );
    let parties: u64 = r["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| n(&p["settings"]))
        .sum();
    assert_eq!(
        parties + unclassified,
        settings,
        "{name}: parties + unclassified"
    );
    let (owners, files) = classify_counts(root(), &path);
    assert_eq!(
        owners.values().sum::<u64>(),
        settings,
        "{name}: classify's settings"
    );
    assert_eq!(
        owners.get("(unclassified)").copied().unwrap_or(0),
        unclassified,
        "{name}"
    );
    for p in r["parties"].as_array().unwrap() {
        let owner = p["owner"].as_str().unwrap();
        assert_eq!(
            owners.get(owner).copied().unwrap_or(0),
            n(&p["settings"]),
            "{name}: {owner}"
        );
        let holding = files.values().filter(|f| f.contains_key(owner)).count() as u64;
        assert_eq!(holding, n(&p["files"]), "{name}: files of {owner}");
    }
    for f in r["files"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let mut expected = files[file].clone();
        let unclassified = expected.remove("(unclassified)").unwrap_or(0);
        let got: BTreeMap<String, u64> = f["owners"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), n(v)))
            .collect();
        assert_eq!(got, expected, "{name}: {file}");
        assert_eq!(n(&f["unclassified"]), unclassified, "{name}: {file}");
    }
    assert_eq!(
        r["files"].as_array().unwrap().len(),
        files.len(),
        "{name}: files with settings"
    );
    r
}

#[test]
fn the_example_report_follows_the_contract_and_agrees_with_classify() {
    let r = check_fixture("example");
    assert_eq!(r["vendor"], "stackit-edge-cloud");
    assert_eq!(r["deployment"], "edge-cloud");
    // Scopes apply as in lint: Glasswall's areas are judged for the Halo files.
    let vendors: Vec<&str> = r["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["vendor"].as_str().unwrap())
        .collect();
    assert!(vendors.contains(&"glasswall-halo") && vendors.contains(&"stackit-edge-cloud"));
    let edgehostlet = r["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "edgehostlet")
        .unwrap();
    assert_eq!(edgehostlet["title"], "EdgeHostLet");
    assert_eq!(edgehostlet["owner"], "STACKIT");
    assert!(edgehostlet["settings"].as_u64().unwrap() > 0);
    for key in ["vendor", "id", "title", "owner", "settings", "files"] {
        assert!(edgehostlet.get(key).is_some(), "area lacks {key}");
    }
}

#[test]
fn every_fixture_adds_up_in_every_format() {
    for name in [
        "example",
        "stackit-edge-cloud",
        "glasswall-halo",
        "nexgen-cloud",
        "wso2-choreo",
    ] {
        let r = check_fixture(name);
        assert!(r["settings"].as_u64().unwrap() > 0, "{name}");
        // Markdown and HTML list the same parties with the same counts.
        let path = format!("fixtures/{name}");
        let (_, md) = run(root(), &["report", &path, "--format", "markdown"]);
        let (_, html) = run(root(), &["report", &path, "--format", "html"]);
        for p in r["parties"].as_array().unwrap() {
            let (owner, n, files) = (p["owner"].as_str().unwrap(), &p["settings"], &p["files"]);
            assert!(
                md.contains(&format!("| {owner} | {n} | {files} |")),
                "{name}: {owner}\n{md}"
            );
            assert!(
                html.contains(&format!(
                    "</span>{owner}</th><td class=\"n\">{n}</td><td class=\"n\">{files}</td>"
                )),
                "{name}: {owner}"
            );
        }
        assert!(
            md.contains(&format!("| (unclassified) | {} | |", r["unclassified"])),
            "{name}"
        );
    }
}

#[test]
fn the_command_line_model_replaces_the_configuration_and_its_scopes() {
    let r = json(
        root(),
        &[
            "fixtures/example",
            "--vendor",
            "stackit-edge-cloud",
            "--deployment",
            "edge-cloud",
        ],
    );
    assert!(
        r["areas"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["vendor"] == "stackit-edge-cloud")
    );
    // No model at all: everything is unclassified, and the counts still add up.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "apps/shop.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n",
    );
    let r = json(dir.path(), &[]);
    assert_eq!(r["vendor"], Value::Null);
    assert_eq!(r["settings"], r["unclassified"]);
    assert!(r["areas"].as_array().unwrap().is_empty());
}

/// Status of the allowance written at `file:line`.
fn status<'a>(r: &'a Value, file: &str, line: u64) -> &'a str {
    r["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file"] == file && a["line"] == line)
        .unwrap_or_else(|| panic!("no allowance at {file}:{line}: {:#}", r["allowances"]))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn allowances_and_waivers_are_settled_as_lint_settles_them() {
    let dir = support::acme::repo();
    let r = json(dir.path(), &[]);
    // talos/cp.yaml: active (until 2999), expired, invalid (no reason), unused.
    assert_eq!(status(&r, "talos/cp.yaml", 6), "active");
    assert_eq!(status(&r, "talos/cp.yaml", 8), "expired");
    assert_eq!(status(&r, "talos/cp.yaml", 9), "invalid");
    assert_eq!(status(&r, "talos/cp.yaml", 10), "unused");
    let waiver = r["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file"] == ".demarcate.yaml")
        .unwrap();
    assert_eq!(waiver["by"], ".demarcate.yaml:5");
    assert_eq!(waiver["status"], "active");
    assert_eq!(waiver["targets"], serde_json::json!(["agent"]));
    assert_eq!(waiver["ref"], "CHG-9");
    let first = &r["allowances"].as_array().unwrap()[0];
    for key in [
        "file", "line", "targets", "ref", "until", "reason", "by", "status",
    ] {
        assert!(first.get(key).is_some(), "allowance lacks {key}");
    }
    // Every allowance finding of lint (tree mode) is an allowance of that status here, and back.
    let (_, out) = support::acme::lint(dir.path(), "json", &[]);
    let lint: Value = serde_json::from_str(&out).unwrap();
    let mut from_lint: Vec<(String, u64, &str)> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let s = match f["code"].as_str().unwrap() {
                "allowance-expired" => "expired",
                "allowance-unused" => "unused",
                "allowance-invalid" => "invalid",
                _ => return None,
            };
            Some((
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                s,
            ))
        })
        .collect();
    let mut from_report: Vec<(String, u64, &str)> = r["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !matches!(a["status"].as_str().unwrap(), "active" | "expiring"))
        .map(|a| {
            (
                a["file"].as_str().unwrap().to_string(),
                a["line"].as_u64().unwrap(),
                a["status"].as_str().unwrap(),
            )
        })
        .collect();
    from_lint.sort();
    from_report.sort();
    assert_eq!(from_report, from_lint);
}

#[test]
fn the_expiring_window_is_configurable() {
    let dir = support::acme::repo();
    // 2999-12-31 is far from today; with a window of 36500 days (2026 + 100 years) it is not.
    assert_eq!(status(&json(dir.path(), &[]), "talos/cp.yaml", 6), "active");
    let far = dir.path().join("talos/cp.yaml");
    let text = std::fs::read_to_string(&far)
        .unwrap()
        .replace("until=2999-12-31", "until=2100-01-01");
    std::fs::write(&far, text).unwrap();
    assert_eq!(status(&json(dir.path(), &[]), "talos/cp.yaml", 6), "active");
    let config = std::fs::read_to_string(dir.path().join(".demarcate.yaml")).unwrap();
    write(
        dir.path(),
        ".demarcate.yaml",
        &format!("{config}report:\n  expiring_days: 36500\n"),
    );
    let r = json(dir.path(), &[]);
    assert_eq!(status(&r, "talos/cp.yaml", 6), "expiring");
    assert_eq!(r["expiring_days"], 36500);
    // A bad window is a configuration error with its line.
    write(
        dir.path(),
        ".demarcate.yaml",
        &format!("{config}report:\n  expiring_days: soon\n"),
    );
    let (code, out) = run(dir.path(), &["report", "--format", "json"]);
    assert_eq!(code, 2, "{out}");
    let line = config.lines().count() + 2;
    assert!(out.contains(&format!(".demarcate.yaml:{line}:")), "{out}");
}

#[test]
fn markdown_has_the_same_content_without_the_picture_and_caps_its_tables() {
    let dir = support::acme::repo();
    let (code, md) = run(dir.path(), &["report", "--format", "markdown"]);
    assert_eq!(code, 0, "{md}");
    assert!(
        md.contains(
            "Model: **ACME Edge \\(acme-edge\\)**, deployment **self**, options support=basic."
        ),
        "{md}"
    );
    assert!(
        md.contains("| responsible party | settings | files |"),
        "{md}"
    );
    assert!(md.contains("| ACME | "), "{md}");
    assert!(
        md.contains(
            "| `talos/cp.yaml:8` | agent |  | 2001-01-01 | ❌ expired | expired approval |"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| `.demarcate.yaml:5` | agent | CHG-9 |  | active | ACME approved the pinned agent |"
        ),
        "{md}"
    );
    assert!(!md.contains("<svg"), "{md}");
    // The explain-style detail and the files, as in the HTML page.
    assert!(
        md.contains("- **ACME agent** (`agent`, ACME Edge; vendor's table: Table 1, row 1) — ACME: Ships the agent. Customer: Leaves it alone.\n"),
        "{md}"
    );
    assert!(
        md.contains("| `talos/cp.yaml` | 18 | ACME 9, Customer 9 | 0 |"),
        "{md}"
    );
    // Capped: 250 allowances, 200 rows.
    let mut many = String::from("machine:\n");
    for i in 0..250 {
        many.push_str(&format!("  k{i}: 1 # demarcate:allow agent -- row {i}\n"));
    }
    write(dir.path(), "talos/many.yaml", &many);
    let (_, md) = run(dir.path(), &["report", "--format", "markdown"]);
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| `talos/many.yaml:"))
        .count();
    // Before them: the waiver and the four allowances of talos/cp.yaml.
    assert_eq!(rows, 200 - 5, "{md}");
    assert!(
        md.contains("more allowances; `demarcate report --format json` lists them all."),
        "{md}"
    );
}

#[test]
fn html_is_one_escaped_self_contained_page() {
    let dir = support::acme::repo();
    write(
        dir.path(),
        "talos/<img src=x onerror=alert(1)>.yaml",
        "machine:\n  network:\n    hostname: a # demarcate:allow agent -- </td><script>alert(2)</script>\n",
    );
    let out_file = dir.path().join("report.html");
    let (code, out) = run(
        dir.path(),
        &[
            "report",
            "--format",
            "html",
            "--output",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("role=\"img\""));
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;.yaml"),
        "the file name is escaped"
    );
    assert!(
        html.contains("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
        "the reason is escaped"
    );
    assert!(!html.contains("<script") && !html.contains("<img"));
    // Nothing is loaded from elsewhere: no scripts, links, images, frames or fonts.
    for outside in [
        "<link",
        "<iframe",
        "src=\"",
        "href=\"http",
        "url(",
        "@import",
        "@font-face",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert!(html.contains("@media print"));
    // Expired and invalid allowances are marked for highlighting.
    assert!(
        html.contains("<tr class=\"status-expired\"><td><code>talos/cp.yaml:8</code>"),
        "{html}"
    );
    assert!(html.contains("<tr class=\"status-invalid\">"));
    // Areas link to their explain-style detail, with duties per party.
    assert!(html.contains("<a href=\"#area-0\">ACME agent</a>"));
    assert!(html.contains("<article class=\"area\" id=\"area-0\">"));
    assert!(html.contains("<li>Ships the agent</li>"));
    assert!(html.contains("Vendor's table: <q>Table 1, row 1</q>"));
}
