//! `classify` on the example repository and on one fixture repository per
//! vendor: every setting with the area and owner it gets, by snapshot
//! (each reviewed against the vendor's table).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// One line per setting: `file:line setting → area (owner)`, or `→ -` when unclassified.
fn listing(fixture: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(&dir)
        .args(["classify", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let prefix = format!("fixtures/{fixture}/");
    let mut text = String::new();
    for s in json["settings"].as_array().unwrap() {
        let file = s["file"].as_str().unwrap();
        let file = file.strip_prefix(&prefix).unwrap_or(file);
        let area = match s["area"].as_str() {
            Some(a) => format!("{a} ({})", s["owner"].as_str().unwrap()),
            None => "-".to_string(),
        };
        let _ = writeln!(
            text,
            "{file}:{} {} → {area}",
            s["line"],
            s["setting"].as_str().unwrap()
        );
    }
    text
}

#[test]
fn example_repository() {
    insta::assert_snapshot!("classify_example", listing("example"));
}

#[test]
fn glasswall_halo_repository() {
    insta::assert_snapshot!("classify_glasswall_halo", listing("glasswall-halo"));
}

#[test]
fn stackit_edge_cloud_repository() {
    insta::assert_snapshot!("classify_stackit_edge_cloud", listing("stackit-edge-cloud"));
}

#[test]
fn nexgen_cloud_repository() {
    insta::assert_snapshot!("classify_nexgen_cloud", listing("nexgen-cloud"));
}

#[test]
fn wso2_choreo_repository() {
    insta::assert_snapshot!("classify_wso2_choreo", listing("wso2-choreo"));
}
