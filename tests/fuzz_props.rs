//! Property tests (the fuzz targets' invariants on stable, bounded for CI):
//! structure-aware YAML and HCL generators, byte mutations of the fixture
//! files, and a replay of every input the fuzzers kept in `fuzz/regressions/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::invariants::{check_file, check_hcl_guard, small_limits};
use demarcate::formats::FileKind;
use demarcate::limits::Limits;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A YAML key: plain, quoted, with dots, brackets, control escapes or merge.
fn yaml_key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-zA-Z0-9_-]{0,8}",
        Just("<<".to_string()),
        Just("\"a.b[0]\"".to_string()),
        Just("\"\\e\\u0007x\"".to_string()),
        Just("'k: v'".to_string()),
        Just("? [complex]".to_string()),
        Just("apiVersion".to_string()),
        Just("kind".to_string()),
        Just("machine".to_string()),
        Just("values".to_string()),
    ]
}

fn yaml_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9 .:/-]{0,12}",
        Just("*a".to_string()),
        Just("&a x".to_string()),
        Just("|\n  a: 1\n  b: [1, 2]".to_string()),
        Just(">-\n  folded\n  text".to_string()),
        Just("\"é\\n\\t\\\"\"".to_string()),
        Just("0755".to_string()),
        Just("~".to_string()),
        Just("!!str 1".to_string()),
        Just("{a: [b, {c: d}]}".to_string()),
        Just("[*a, *a, *a]".to_string()),
    ]
}

/// YAML text of nested mappings and sequences at an indentation.
fn yaml_tree() -> impl Strategy<Value = Vec<(usize, String, String)>> {
    prop::collection::vec((0usize..6, yaml_key(), yaml_scalar()), 1..30)
}

fn render_yaml(lines: &[(usize, String, String)], header: &str) -> String {
    let mut out = header.to_string();
    let mut depth = 0usize;
    for (d, key, value) in lines {
        let d = (*d).min(depth + 1);
        let indent = "  ".repeat(d);
        if d > depth || value.is_empty() {
            out.push_str(&format!("{indent}{key}:\n"));
            depth = d + 1;
        } else {
            let value = value.replace('\n', &format!("\n{indent}"));
            out.push_str(&format!("{indent}{key}: {value}\n"));
            depth = d;
        }
    }
    out
}

const HEADERS: [&str; 6] = [
    "",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    "version: v1alpha1\nmachine:\n  type: worker\ncluster:\n  inlineManifests:\n    - name: m\n      contents: |\n        apiVersion: v1\n        kind: Secret\n        a: &a [1, 2]\n        b: *a\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    helm:\n      values: |\n        a: &a {b: 1}\n        c: {<<: *a}\n",
    "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    x: 1\n",
    "- op: add\n  path: /machine/network\n  value: {a: 1}\n---\n",
];

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn generated_yaml_keeps_invariants(
        lines in yaml_tree(),
        header in 0..HEADERS.len(),
        docs in 1usize..4,
        crlf in any::<bool>(),
    ) {
        let doc = render_yaml(&lines, HEADERS[header]);
        let mut text = vec![doc; docs].join("---\n");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        check_file(text.as_bytes(), FileKind::Yaml, &small_limits());
    }
}

/// An HCL expression.
fn hcl_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[0-9]{1,4}",
        "\"[a-z é{}$%,]{0,8}\"",
        Just("\"${var.x}-$${lit}-%{ if a }b%{ endif }\"".to_string()),
        Just("var.a.b[0]".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("<<EOT\n  a: 1\n  } { , \"\nEOT\n".to_string()),
        Just("<<-EOT\n    x ${ {a = 1, b = 2} }\n  EOT\n".to_string()),
        Just("<<EOT\nEOT\n".to_string()),
        Just("yamlencode({a = 1})".to_string()),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z]{1,3}", inner.clone()), 0..6).prop_map(|v| {
                let items: Vec<String> = v.iter().map(|(k, e)| format!("{k} = {e}")).collect();
                format!("{{{}}}", items.join(", "))
            }),
            prop::collection::vec(("[a-z]{1,3}", inner.clone()), 0..6).prop_map(|v| {
                let items: Vec<String> = v
                    .iter()
                    .map(|(k, e)| format!("  \"{k}\" = {e} # c\n"))
                    .collect();
                format!("{{\n{}}}", items.join(""))
            }),
            inner
                .clone()
                .prop_map(|e| format!("[for k in {e} : k if k]")),
            inner.clone().prop_map(|e| format!("-{e}")),
            inner.prop_map(|e| format!("(\"${{ {e} }}\") /* }} */")),
        ]
    })
}

fn hcl_file() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("resource \"helm_release\" \"r\"".to_string()),
                Just("resource \"kubernetes_manifest\" \"m\"".to_string()),
                Just("resource \"talos_machine_configuration_apply\" \"t\"".to_string()),
                Just("locals".to_string()),
                Just("".to_string()),
            ],
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("values".to_string()),
                        Just("manifest".to_string()),
                        Just("config_patches".to_string()),
                        "[a-z_]{1,6}",
                    ],
                    hcl_expr(),
                ),
                1..6,
            ),
        ),
        1..5,
    )
    .prop_map(|blocks| {
        let mut out = String::new();
        for (head, attrs) in blocks {
            if head.is_empty() {
                for (k, e) in attrs {
                    out.push_str(&format!("{k} = {e}\n"));
                }
            } else {
                out.push_str(&format!("{head} {{\n"));
                for (k, e) in attrs {
                    out.push_str(&format!("  {k} = {e}\n"));
                }
                out.push_str("}\n");
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn generated_hcl_keeps_invariants(text in hcl_file(), tfvars in any::<bool>()) {
        let kind = if tfvars { FileKind::Tfvars } else { FileKind::Terraform };
        check_file(text.as_bytes(), kind, &small_limits());
        check_hcl_guard(&text);
    }
}

fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if demarcate::discover::kind_of(&path.file_name().unwrap().to_string_lossy())
                .is_some()
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut out,
    );
    out.sort();
    out
}

/// One byte-level change: replace, insert, delete, or duplicate a slice.
fn mutate(mut bytes: Vec<u8>, edits: &[(u8, usize, u8, usize)]) -> Vec<u8> {
    const INTERESTING: &[u8] = b"{}[]\"'\\:-#&*!|>\n\r\t ,=$%<\0\xff";
    for &(op, at, byte, len) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            at % bytes.len()
        };
        let byte = if byte % 2 == 0 {
            INTERESTING[byte as usize % INTERESTING.len()]
        } else {
            byte
        };
        match op % 4 {
            0 if !bytes.is_empty() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 if !bytes.is_empty() => {
                let end = (at + len % 16).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + len % 64).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                bytes.splice(
                    at..at,
                    slice
                        .iter()
                        .copied()
                        .cycle()
                        .take(slice.len() * (1 + len % 8)),
                );
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn mutated_fixtures_keep_invariants(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>(), any::<usize>()), 1..8),
    ) {
        let files = fixture_files();
        let path = file.get(&files);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let kind = demarcate::discover::kind_of(&name).unwrap();
        let bytes = mutate(std::fs::read(path).unwrap(), &edits);
        check_file(&bytes, kind, &small_limits());
    }
}

/// Every input a fuzzer kept (crashes, hangs, slow units) still passes.
#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, kind) in [
        ("yaml", Some(FileKind::Yaml)),
        ("tf", Some(FileKind::Terraform)),
        ("tfvars", Some(FileKind::Tfvars)),
        ("pack", None),
        ("config", None),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let started = std::time::Instant::now();
            match kind {
                Some(kind) => {
                    check_file(&bytes, kind, &small_limits());
                    check_file(&bytes, kind, &Limits::default());
                }
                None => {
                    let text = String::from_utf8_lossy(&bytes);
                    if target == "pack" {
                        let _ = demarcate::packs::load::load(&text, "fuzz.yaml");
                    } else {
                        let _ = demarcate::config::load_text(
                            &text,
                            Path::new(".demarcate.yaml"),
                            ".demarcate.yaml",
                            "",
                        );
                    }
                }
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{} is slow",
                path.display()
            );
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found");
}

/// The deepest nesting a configuration may allow does not overflow the
/// stack of a parser thread (rayon's threads have 2 MiB).
#[test]
fn ceiling_depth_fits_a_worker_stack() {
    let limits = Limits::CEILING;
    let depth = limits.max_depth - 2;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&"  ".repeat(i));
        text.push_str("k:\n");
    }
    text.push_str(&"  ".repeat(depth));
    text.push_str("leaf: &a {x: 1}\nother: [*a]\n");
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let hint = demarcate::formats::FileHint {
                values: true,
                chart: None,
                ..Default::default()
            };
            let scan = demarcate::scan::parse_bytes(
                &std::sync::Arc::from("values.yaml"),
                FileKind::Yaml,
                &hint,
                text.into_bytes(),
                &limits,
            );
            scan.settings.len()
        })
        .unwrap();
    assert!(handle.join().unwrap() > depth);
}
