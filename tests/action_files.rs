//! The GitHub Action's files: action.yml passes every input to the scripts
//! and declares every output they write; the install script's cache key
//! follows the sources and inputs; a given binary is used as is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use support::process::{clean, root, text, write};

#[test]
fn action_yml_passes_every_input_and_declares_every_output() {
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(root().join("action/run.sh")).unwrap();
    let section = |name: &str| -> Vec<String> {
        let start = yml.find(&format!("\n{name}:\n")).unwrap() + name.len() + 3;
        yml[start..]
            .lines()
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
            .map(|l| l.trim().trim_end_matches(':').to_string())
            .collect()
    };
    let inputs = section("inputs");
    assert_eq!(
        inputs,
        [
            "version",
            "ref",
            "paths",
            "vendor",
            "deployment",
            "options",
            "config",
            "fail-on",
            "sarif",
            "summary",
            "working-directory",
            "base"
        ]
    );
    for input in &inputs {
        assert!(
            yml.contains(&format!("${{{{ inputs.{input} }}}}")),
            "{input} is not used"
        );
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        if !["INPUT_VERSION", "INPUT_REF"].contains(&var.as_str()) {
            assert!(script.contains(&var), "run.sh does not read {var}");
        }
    }
    for output in section("outputs") {
        assert!(
            script.contains(&format!("output {output} ")),
            "run.sh does not write {output}"
        );
        assert!(yml.contains(&format!("${{{{ steps.lint.outputs.{output} }}}}")));
    }
    assert!(yml.contains("action/install.sh") && yml.contains("action/run.sh"));
}

#[test]
fn the_cache_key_follows_the_sources_and_the_inputs() {
    let key = |dir: &Path, version: &str| -> String {
        let output = dir.join("key-output");
        let out = clean("bash", dir)
            .arg(root().join("action/install.sh"))
            .arg("key")
            .env("ACTION_PATH", dir)
            .env("INPUT_VERSION", version)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_OUTPUT", &output)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let text = std::fs::read_to_string(&output).unwrap();
        std::fs::remove_file(&output).unwrap();
        text
    };
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Cargo.toml", "[package]\n");
    write(dir.path(), "src/main.rs", "fn main() {}\n");
    let first = key(dir.path(), "");
    assert!(first.starts_with("key=demarcate-Linux-X64---"), "{first}");
    assert_eq!(key(dir.path(), ""), first, "the key is stable");
    assert_ne!(
        key(dir.path(), "v1.0.0"),
        first,
        "the version is in the key"
    );
    write(dir.path(), "src/main.rs", "fn main() { }\n");
    assert_ne!(
        key(dir.path(), ""),
        first,
        "a source change changes the key"
    );
}

#[test]
fn install_uses_a_given_binary() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let out = clean("bash", dir.path())
        .arg(root().join("action/install.sh"))
        .env("INSTALL_ROOT", dir.path().join("root"))
        .env("DEMARCATE_BIN", "/opt/demarcate")
        .env("GITHUB_OUTPUT", &output)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(output).unwrap(),
        "bin=/opt/demarcate\n"
    );
}
