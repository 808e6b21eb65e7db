//! Microsoft's SARIF Multitool, the official SARIF validator (npm package
//! `@microsoft/sarif-multitool-linux`, a self-contained .NET program):
//! `validate` checks a log against the SARIF 2.1.0 schema, the standard's
//! rules (SARIF1xxx errors, SARIF2xxx advice) and GitHub code scanning's
//! ingestion rules (GHxxxx).
//!
//! `DEMARCATE_SARIF_MULTITOOL` names the binary (.ci/run installs it under
//! target/tmp/ci-tools/npm and sets it, with
//! `DEMARCATE_REQUIRE_SARIF_MULTITOOL=1`, which makes a missing tool fail
//! the test instead of skipping it). Without the variable, that install
//! location is used when present.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const REQUIRE: &str = "DEMARCATE_REQUIRE_SARIF_MULTITOOL";

/// Where .ci/run installs the package.
fn default_location() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("tmp/ci-tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
}

/// The Multitool binary; `None` (with the reason printed) when it is not
/// installed and not required. Panics when required and missing.
#[allow(clippy::print_stderr)] // the reason for a skip goes to the test's output
pub fn tool() -> Option<PathBuf> {
    let path = std::env::var_os("DEMARCATE_SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(default_location);
    if path.is_file() {
        return Some(path);
    }
    let reason = format!(
        "the SARIF Multitool is not installed at {} (set DEMARCATE_SARIF_MULTITOOL; .ci/run installs it)",
        path.display()
    );
    assert!(
        std::env::var(REQUIRE).as_deref() != Ok("1"),
        "{REQUIRE}=1 but {reason}"
    );
    eprintln!("skipped: {reason}");
    None
}

/// One result of the validator.
#[derive(Debug, Clone)]
pub struct Problem {
    /// `error`, `warning` or `note`.
    pub level: String,
    /// The validator's rule, e.g. `SARIF1002` or `JSON1008`.
    pub rule: String,
    /// Its message with the arguments filled in.
    pub text: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.level, self.rule, self.text)
    }
}

/// The message of a validator result: its text, or its rule's message
/// string with `{0}`, `{1}`… replaced by the arguments.
fn message(result: &Value, rules: &[Value]) -> String {
    let msg = &result["message"];
    if let Some(text) = msg["text"].as_str() {
        return text.to_string();
    }
    let id = msg["id"].as_str().unwrap_or_default();
    let rule = rules.iter().find(|r| r["id"] == result["ruleId"]);
    let mut text = rule
        .and_then(|r| r["messageStrings"][id]["text"].as_str())
        .unwrap_or(id)
        .to_string();
    for (i, arg) in msg["arguments"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        text = text.replace(&format!("{{{i}}}"), arg.as_str().unwrap_or_default());
    }
    text
}

/// Every result of `validate` on the log at `sarif`, at every level.
///
/// The Multitool gives no result at all for a log it cannot load into its
/// object model (an unknown `level`, `columnKind` or suppression `kind`
/// says nothing): a log of ours always draws notes (rule ids are not of the
/// `ABC1234` form, rules have no help URI), so an empty list means the log
/// was not checked: that is an `Err`.
pub fn validate(tool: &Path, sarif: &Path) -> Result<Vec<Problem>, String> {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("validation.sarif");
    // `--log` takes a list: it must be followed by another option, or it
    // swallows the input file as a second value ("bad format").
    let out = Command::new(tool)
        // Culture data is not needed: no dependence on libicu.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg("validate")
        .args(["--rule-kind", "Sarif;Gh"])
        .args(["--level", "Error;Warning;Note"])
        .args(["--log", "ForceOverwrite"])
        .arg("--output")
        .arg(&output)
        .arg(sarif)
        .output()
        .unwrap();
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the Multitool failed: {console}");
    let text = std::fs::read_to_string(&output)
        .unwrap_or_else(|e| panic!("no validation log ({e}): {console}"));
    let log: Value = serde_json::from_str(&text).unwrap();
    let run = &log["runs"][0];
    if let Some(notes) = run["invocations"][0]["toolExecutionNotifications"].as_array() {
        assert!(notes.is_empty(), "the Multitool reported: {notes:#?}");
    }
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let problems: Vec<Problem> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Problem {
            // The SDK leaves out `warning`, SARIF's default level.
            level: r["level"].as_str().unwrap_or("warning").to_string(),
            rule: r["ruleId"].as_str().unwrap_or_default().to_string(),
            text: message(r, &rules),
        })
        .collect();
    if problems.is_empty() {
        return Err(format!(
            "the Multitool said nothing about {}: it could not load the log\n{console}",
            sarif.display()
        ));
    }
    Ok(problems)
}

/// Validates the log at `sarif` when the Multitool is there: panics on any
/// error-level result (listing them), prints the warnings.
#[allow(clippy::print_stderr)] // warnings go to the test's output
pub fn check(sarif: &Path) {
    let Some(tool) = tool() else { return };
    let problems = validate(&tool, sarif).unwrap_or_else(|e| panic!("{e}"));
    for p in problems.iter().filter(|p| p.level == "warning") {
        eprintln!("{}: {p}", sarif.display());
    }
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.level == "error")
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "the SARIF Multitool rejects {}:\n{}",
        sarif.display(),
        errors.join("\n")
    );
}
