//! The GitHub Action's and the repository's GitHub files: action.yml, every
//! workflow and .pre-commit-hooks.yaml are read with demarcate's own YAML
//! reader (a file GitHub or pre-commit cannot load fails here, as the
//! action.yml with an unquoted `: ` once did); action.yml passes every input
//! to the scripts under the name they read and declares every output they
//! write; workflows pin every action; the install script's cache key
//! follows the sources and inputs; a given binary is used as is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
#[cfg(unix)]
use std::path::Path;

use demarcate::formats::embed::PosMap;
use demarcate::formats::tree::Node;
use demarcate::formats::yaml;
use demarcate::limits::Limits;
use demarcate::source::Source;
use support::process::root;
#[cfg(unix)]
use support::process::{clean, text, write};

/// The one document of a YAML text, or the reader's complaint.
fn document(text: &str) -> Result<Node, String> {
    let stream = yaml::parse(
        &Source::new(text.to_string()),
        &PosMap::Identity,
        &Limits::default(),
    );
    if let Some(e) = stream.fatal {
        return Err(format!("{}:{}: {}", e.pos.line, e.pos.col, e.message));
    }
    if let Some(e) = stream.errors.first() {
        return Err(format!("{}:{}: {}", e.pos.line, e.pos.col, e.message));
    }
    match <[Node; 1]>::try_from(stream.docs) {
        Ok([doc]) => Ok(doc),
        Err(docs) => Err(format!("{} documents", docs.len())),
    }
}

/// A repository file's one document; the test fails on a reading error.
fn read_yaml(rel: &str) -> Node {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    document(&text).unwrap_or_else(|e| panic!("{rel}:{e}"))
}

fn str_of<'n>(node: &'n Node, key: &str) -> &'n str {
    node.get(key)
        .and_then(Node::as_str)
        .unwrap_or_else(|| panic!("no `{key}` string"))
}

/// The input named by a whole `${{ inputs.NAME }}` value.
fn input_ref(value: &str) -> Option<&str> {
    value
        .strip_prefix("${{ inputs.")?
        .strip_suffix(" }}")
        .filter(|name| !name.contains(' '))
}

#[test]
fn the_reader_rejects_the_unquoted_colon_that_once_broke_action_yml() {
    let broken = "inputs:\n  fail-on:\n    description: Lowest severity that fails the step: error, warning, note or never.\n";
    let err = document(broken).unwrap_err();
    assert!(err.starts_with("3:"), "{err}");
    let quoted = broken.replace(
        "description: Lowest severity that fails the step: error, warning, note or never.",
        "description: \"Lowest severity that fails the step: error, warning, note or never.\"",
    );
    assert!(document(&quoted).is_ok());
}

#[test]
fn action_yml_passes_every_input_and_declares_every_output() {
    let action = read_yaml("action.yml");
    for key in ["name", "description"] {
        assert!(!str_of(&action, key).is_empty());
    }
    let inputs: Vec<&str> = action
        .get("inputs")
        .unwrap()
        .entries()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
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
            "base",
            "mode"
        ]
    );
    for input in action.get("inputs").unwrap().entries() {
        assert!(
            input
                .value
                .get("description")
                .and_then(Node::as_str)
                .is_some(),
            "input {} has no description",
            input.key
        );
    }
    let runs = action.get("runs").unwrap();
    assert_eq!(str_of(runs, "using"), "composite");
    let mut used = BTreeSet::new();
    for step in runs.get("steps").unwrap().items() {
        let Some(run) = step.get("run").and_then(Node::as_str) else {
            continue;
        };
        assert_eq!(str_of(step, "shell"), "bash");
        let script = ["action/install.sh", "action/run.sh"]
            .into_iter()
            .find(|s| run.contains(s))
            .unwrap_or_else(|| panic!("step runs no script of action/: {run}"));
        let body = std::fs::read_to_string(root().join(script)).unwrap();
        for env in step.get("env").map_or(&[][..], Node::entries) {
            let Some(input) = env.value.as_str().and_then(input_ref) else {
                continue;
            };
            assert!(inputs.contains(&input), "{} names no input", env.key);
            let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
            assert_eq!(env.key, var, "inputs.{input} is passed under another name");
            assert!(body.contains(&var), "{script} does not read {var}");
            used.insert(input);
        }
    }
    let unused: Vec<_> = inputs.iter().filter(|i| !used.contains(*i)).collect();
    assert!(unused.is_empty(), "inputs no step passes: {unused:?}");
    let run_sh = std::fs::read_to_string(root().join("action/run.sh")).unwrap();
    for output in action.get("outputs").unwrap().entries() {
        let name = &output.key;
        assert!(
            run_sh.contains(&format!("output {name} ")),
            "run.sh does not write {name}"
        );
        assert_eq!(
            str_of(&output.value, "value"),
            format!("${{{{ steps.lint.outputs.{name} }}}}")
        );
    }
}

#[test]
fn workflows_load_and_pin_every_action() {
    let dir = root().join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "ci.yml"), "{names:?}");
    assert!(names.iter().any(|n| n == "release.yml"), "{names:?}");
    let mut uses_self = false;
    for name in &names {
        assert!(name.ends_with(".yml"), "{name}: workflows end in .yml here");
        let rel = format!(".github/workflows/{name}");
        let workflow = read_yaml(&rel);
        assert!(workflow.get("on").is_some(), "{rel} has no `on`");
        let jobs = workflow
            .get("jobs")
            .unwrap_or_else(|| panic!("{rel}: no jobs"));
        for job in jobs.entries() {
            assert!(
                job.value.get("runs-on").is_some(),
                "{rel}: {} has no runs-on",
                job.key
            );
            for step in job.value.get("steps").map_or(&[][..], Node::items) {
                let Some(uses) = step.get("uses").and_then(Node::as_str) else {
                    continue;
                };
                if uses == "./" {
                    uses_self = true;
                    continue;
                }
                let (action, version) = uses
                    .split_once('@')
                    .unwrap_or_else(|| panic!("{rel}: `{uses}` is not pinned"));
                assert!(
                    action.contains('/') && !version.is_empty(),
                    "{rel}: `{uses}`"
                );
            }
        }
    }
    assert!(uses_self, "no workflow runs the action from this checkout");
}

#[test]
fn pre_commit_hooks_load() {
    let hooks = read_yaml(".pre-commit-hooks.yaml");
    let mut ids = Vec::new();
    for hook in hooks.items() {
        for key in ["id", "name", "entry", "language"] {
            assert!(!str_of(hook, key).is_empty());
        }
        ids.push((str_of(hook, "id"), str_of(hook, "language")));
    }
    assert!(ids.contains(&("demarcate", "rust")), "{ids:?}");
    assert!(ids.contains(&("demarcate-system", "system")), "{ids:?}");
}

#[cfg(unix)]
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

#[cfg(unix)]
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
