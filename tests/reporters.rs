//! SARIF on a lint report with real findings (support::acme): version and
//! column kind, one rule per code with help, levels, regions, area and owner properties,
//! suppressions for allowed findings, and fingerprints that are unique and
//! survive moved lines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use support::acme::{CP, ODD, WAIVED, find, repo, results, sarif, write};

#[test]
fn sarif_is_version_2_1_0_with_character_columns() {
    let dir = repo();
    let log = sarif(dir.path());
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    assert_eq!(results(&log).len(), 13);
}

#[test]
fn sarif_has_one_rule_per_code_with_help() {
    let dir = repo();
    let log = sarif(dir.path());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = demarcate::findings::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(ids, codes);
    for r in rules {
        for key in ["text", "markdown"] {
            assert!(r["help"][key].as_str().unwrap().len() > 40, "{r}");
        }
        let short = r["shortDescription"]["text"].as_str().unwrap();
        assert!(!short.is_empty() && !short.ends_with('.'), "{short}");
    }
    for res in results(&log) {
        let index = usize::try_from(res["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], res["ruleId"]);
    }
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
}

#[test]
fn sarif_levels_regions_and_properties() {
    let dir = repo();
    let log = sarif(dir.path());
    let note = find(&log, "vendor-owned-setting", "talos/cp.yaml", 8);
    assert_eq!(note["level"], "note");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 8, "startColumn": 9, "endLine": 8, "endColumn": 33})
    );
    assert_eq!(
        note["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "machine.install.extensions[1].image"
    );
    let p = &note["properties"];
    assert_eq!(p["area"], "agent");
    assert_eq!(p["areaTitle"], "ACME agent");
    assert_eq!(p["owner"], "ACME");
    assert_eq!(p["responsible"], json!(["vendor"]));
    assert_eq!(p["consulted"], json!(["customer"]));
    // A block scalar spans lines: the region says so.
    let multi = find(&log, "vendor-owned-setting", "talos/cp.yaml", 17);
    assert_eq!(
        multi["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 17, "startColumn": 5, "endLine": 19, "endColumn": 12})
    );
    assert_eq!(
        find(&log, "allowance-expired", "talos/cp.yaml", 8)["level"],
        "error"
    );
    assert_eq!(
        find(&log, "allowance-unused", "talos/cp.yaml", 10)["level"],
        "warning"
    );
    // The URI is a valid relative reference: `%`, `,` and `:` are percent-encoded.
    let parse = find(&log, "parse-error", "talos/50%25%2Ca%3Ab.yaml", 3);
    assert_eq!(parse["level"], "error");
    assert_eq!(parse["properties"], json!({}));
}

#[test]
fn sarif_suppressions_for_allowed_findings() {
    let dir = repo();
    let log = sarif(dir.path());
    let inline = find(&log, "vendor-owned-setting", "talos/cp.yaml", 7);
    assert_eq!(
        inline["suppressions"],
        json!([{"kind": "inSource", "status": "accepted", "justification": "approved by ACME",
                "properties": {"by": "talos/cp.yaml:6", "ref": "CHG-1", "until": "2999-12-31"}}])
    );
    let waived = find(&log, "vendor-owned-setting", "talos/waived.yaml", 6);
    assert_eq!(
        waived["suppressions"],
        json!([{"kind": "external", "status": "accepted",
                "justification": "ACME approved the pinned agent",
                "properties": {"by": ".demarcate.yaml:5", "ref": "CHG-9", "until": null}}])
    );
    let unsuppressed = results(&log)
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(unsuppressed, 11);
}

/// Fingerprint per (rule, setting or message), with the start line.
fn fingerprints(log: &Value) -> BTreeMap<String, (String, u64)> {
    results(log)
        .iter()
        .map(|r| {
            let loc = &r["locations"][0];
            let key = format!(
                "{} {} {} {}",
                r["ruleId"],
                loc["physicalLocation"]["artifactLocation"]["uri"],
                loc["logicalLocations"][0]["fullyQualifiedName"],
                r["message"]["text"]
            );
            (
                key,
                (
                    r["partialFingerprints"]["demarcate/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    loc["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn fingerprints_are_unique_and_survive_moved_lines() {
    let dir = repo();
    let before = fingerprints(&sarif(dir.path()));
    let unique: std::collections::BTreeSet<&String> = before.values().map(|(f, _)| f).collect();
    assert_eq!(unique.len(), before.len(), "{before:#?}");
    write(
        dir.path(),
        "talos/cp.yaml",
        &format!("# moved down\n# by three\n# lines\n{CP}"),
    );
    write(dir.path(), "talos/waived.yaml", &format!("\n\n{WAIVED}"));
    write(dir.path(), ODD, "\nmachine:\n  network: [unclosed\n");
    let after = fingerprints(&sarif(dir.path()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (key, (fp, line)) in &before {
        let (fp_after, line_after) = &after[key];
        assert_eq!(fp, fp_after, "{key}");
        assert!(line_after > line, "{key} did not move");
    }
}
