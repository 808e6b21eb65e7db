//! Shapes met in public repositories that the formats' own tools accept
//! (Terraform, go-yaml): each reads without a parse error, with exact spans.
//! The fixtures are written for these tests; they reproduce the shape only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use demarcate::findings::Code;
use demarcate::formats::{FileHint, FileKind};
use demarcate::limits::Limits;
use demarcate::scan::{self, FileScan};

fn read(name: &str, kind: FileKind, text: &str) -> FileScan {
    let hint = FileHint {
        values: name.ends_with("values.yaml"),
        chart: None,
        ..FileHint::default()
    };
    scan::parse_bytes(
        &Arc::from(name),
        kind,
        &hint,
        text.as_bytes().to_vec(),
        &Limits::default(),
    )
}

/// `path start-end = value` per setting.
fn listing(file: &FileScan) -> Vec<String> {
    file.settings
        .iter()
        .map(|s| {
            format!(
                "{} {}:{}-{}:{} = {}",
                s.path,
                s.span.start.line,
                s.span.start.col,
                s.span.end.line,
                s.span.end.col,
                s.value
            )
        })
        .collect()
}

/// Terraform keeps the last of two equal keys in an object literal.
#[test]
fn hcl_object_with_a_repeated_key_keeps_the_last_value() {
    let text = r#"locals {
  tags = {
    Service   = "a"
    "Owner"   = "x"
    Service   = "c"
    Owner     = "y"
    b         = 1
    b         = cidrsubnet(var.cidr, 8, 1)
  }
  other = "z"
}
"#;
    let file = read("main.tf", FileKind::Terraform, text);
    let codes: Vec<Code> = file.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec![Code::DuplicateKey; 3], "{:?}", file.problems);
    assert_eq!(
        listing(&file),
        vec![
            "locals 1:1-11:2 = {2 keys}",
            "locals.tags 2:3-9:4 = {3 keys}",
            "locals.tags.Service 5:5-5:20 = c",
            "locals.tags.Owner 6:5-6:20 = y",
            "locals.tags.b 8:5-8:43 = cidrsubnet(var.cidr, 8, 1)",
            "locals.other 10:3-10:14 = z",
        ]
    );
    let first = &file.problems[0];
    assert_eq!((first.span.start.line, first.span.start.col), (5, 5));
    assert!(first.message.contains("`Service`") && first.message.contains("lines 3 and 5"));
    assert!(file.problems[1].message.contains("lines 4 and 6"));
}

/// A flow sequence closed at its key's indentation (as Helm reads it), in a
/// values file whose comments show template syntax.
#[test]
fn helm_values_with_a_flow_sequence_closed_at_the_key_indentation() {
    let text = "## e.g. {{ .Release.Name }}\ncontroller:\n  args: [\n    \"--a\",\n    \"--b\"\n  ]\n  replicas: 2\n";
    let file = read("values.yaml", FileKind::Yaml, text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(
        listing(&file),
        vec![
            "controller 2:1-7:14 = {2 keys}",
            "controller.args 3:3-6:4 = [2 items]",
            "controller.args[0] 4:5-4:10 = --a",
            "controller.args[1] 5:5-5:10 = --b",
            "controller.replicas 7:3-7:14 = 2",
        ]
    );
}

/// The template hint is for files with template syntax outside comments and strings.
#[test]
fn template_hint_only_for_template_markers_in_the_yaml() {
    let broken = "# {{ not a template }}\na: \"{{ x }}\"\nb: [\n";
    let file = read("values.yaml", FileKind::Yaml, broken);
    assert_eq!(file.problems.len(), 1);
    assert!(
        !file.problems[0].message.contains("template"),
        "{}",
        file.problems[0].message
    );
    let templated = "a: {{ .Values.x }}\nb: [\n";
    let file = read("values.yaml", FileKind::Yaml, templated);
    assert!(file.problems[0].message.contains("looks like a template"));
}

/// A long flow sequence of titles whose lines sit left of its key (even at
/// the parent's indentation), with quoted titles broken over lines: Helm
/// reads it; every line is reindented in a few re-reads, not one a line.
#[test]
fn helm_values_with_a_long_flow_sequence_left_of_its_key() {
    let mut text = String::from(
        "config:\n  redacted:\n    # titles\n    ex.example.org: [alpha one, 'beta, two',\n",
    );
    for i in 0..400 {
        let indent = if i % 2 == 0 { "  " } else { "    " };
        text.push_str(&format!(
            "{indent}title {i}, 'quoted, {i}\n  broken', plain (x),\n"
        ));
    }
    text.push_str("  last]\n    other.example.org: [a]\n");
    let file = read("values.yaml", FileKind::Yaml, &text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let items: Vec<_> = file
        .settings
        .iter()
        .filter(|s| s.path.starts_with("config.redacted[\"ex.example.org\"]["))
        .collect();
    assert_eq!(items.len(), 2 + 400 * 3 + 1);
    let quoted = items.iter().find(|s| s.path.ends_with("[3]")).unwrap();
    assert_eq!(quoted.value.to_string(), "quoted, 0 broken");
    assert_eq!(
        (
            quoted.span.start.line,
            quoted.span.start.col,
            quoted.span.end.line,
            quoted.span.end.col
        ),
        (5, 12, 6, 10)
    );
    let other = file.settings.last().unwrap();
    assert_eq!(other.path, "config.redacted[\"other.example.org\"][0]");
}

/// Helm keeps the last of two equal keys in a values file (a note); kubectl
/// and Talos reject them (a parse error, as before).
#[test]
fn yaml_repeated_keys_are_notes_in_values_and_errors_in_strict_formats() {
    let values = "monitoring:\n  enabled: false\nimage: x\nmonitoring:\n  enabled: true\n";
    let file = read("values.yaml", FileKind::Yaml, values);
    let codes: Vec<Code> = file.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec![Code::DuplicateKey]);
    assert_eq!(file.problems[0].span.start.line, 4);
    assert!(
        file.problems[0].message.contains("first at line 1"),
        "{}",
        file.problems[0].message
    );
    let enabled = file
        .settings
        .iter()
        .find(|s| s.path == "monitoring.enabled")
        .unwrap();
    assert_eq!(
        (enabled.value.to_string(), enabled.span.start.line),
        ("true".into(), 5)
    );

    let manifest =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: \"1\"\n  k: \"2\"\n";
    let file = read("cm.yaml", FileKind::Yaml, manifest);
    let codes: Vec<Code> = file.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec![Code::ParseError]);
    let talos = "machine:\n  type: worker\n  type: controlplane\n";
    let file = read("talos/patch.yaml", FileKind::Yaml, talos);
    let codes: Vec<Code> = file.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec![Code::ParseError]);
}
