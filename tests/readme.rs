//! The README documents every finding code with its default severity, every
//! key of `.demarcate.yaml`, every hook of `.pre-commit-hooks.yaml`, and
//! shows the same workflow as `.github/workflows/demarcate.yml`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use demarcate::config;
use demarcate::findings::Code;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn every_finding_code_is_in_the_table_with_its_severity() {
    let readme = read("README.md");
    for code in Code::ALL {
        let row = format!("| `{code}` | {} |", code.default_severity());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn every_configuration_key_is_described() {
    let readme = read("README.md");
    let start = readme.find("## Configuration").unwrap();
    let section = &readme[start..readme[start..].find("\n## Finding codes").unwrap() + start];
    for key in config::CONFIG_KEYS
        .iter()
        .chain(config::SCOPE_KEYS)
        .chain(config::VALUES_KEYS)
        .chain(config::WAIVER_KEYS)
        .chain(config::LIMITS_KEYS)
        .chain(config::ALLOWANCES_KEYS)
        .chain(demarcate::contacts::CONTACT_KEYS)
        .chain(config::REPORT_KEYS)
    {
        assert!(
            section.contains(&format!("\n{key}:")) || section.contains(&format!(" {key}:")),
            "README's configuration example lacks `{key}`"
        );
    }
}

#[test]
fn hooks_and_workflow_match_the_readme() {
    let readme = read("README.md");
    let hooks = read(".pre-commit-hooks.yaml");
    for line in hooks.lines().filter_map(|l| l.strip_prefix("- id: ")) {
        assert!(
            readme.contains(&format!("id: {line}")),
            "README lacks hook {line}"
        );
    }
    let workflow = read(".github/workflows/demarcate.yml");
    let body = &workflow[workflow.find("name: demarcate").unwrap()..];
    assert!(
        readme.contains(body),
        "README's workflow differs from .github/workflows/demarcate.yml"
    );
}
