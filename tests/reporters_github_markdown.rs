//! GitHub workflow commands and the Markdown summary on a lint report with
//! real findings (support::acme): escaping, levels, spans over several lines,
//! allowed findings as notices saying who approved them; links with and without GitHub's environment;
//! counts by party and severity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::acme::{lint, repo};

#[test]
fn github_annotations_escape_and_map_levels() {
    let dir = repo();
    let (code, text) = lint(dir.path(), "github", &[]);
    assert_eq!(code, 1);
    // Allowed findings are notices naming the allowance, its ref, date and reason.
    let allowed: Vec<&str> = text.lines().filter(|l| l.contains("(allowed)")).collect();
    assert_eq!(allowed.len(), 2, "{text}");
    assert!(
        allowed[0].starts_with("::notice file=talos/cp.yaml,line=7,"),
        "{}",
        allowed[0]
    );
    assert!(
        allowed[0].ends_with(
            "%0AAllowed by talos/cp.yaml:6, ref CHG-1, until 2999-12-31: approved by ACME"
        ),
        "{}",
        allowed[0]
    );
    assert!(
        allowed[1].starts_with("::notice file=talos/waived.yaml,line=6,"),
        "{}",
        allowed[1]
    );
    assert!(
        allowed[1].ends_with("ref CHG-9: ACME approved the pinned agent"),
        "{}",
        allowed[1]
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("(allowed)")).collect();
    assert_eq!(lines.len(), 12, "{text}");
    assert_eq!(
        lines[0],
        "::error file=talos/50%25%2Ca%3Ab.yaml,line=3,col=1,endColumn=1,endLine=3,title=demarcate parse-error::while parsing a flow sequence, expected ',' or ']'"
    );
    assert!(
        lines[1].starts_with("::notice file=talos/cp.yaml,line=8,col=9,endColumn=33,endLine=8,title=demarcate vendor-owned-setting%3A ACME agent (ACME)::`machine.install.extensions[1].image` is in \"ACME agent\""),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("::error file=talos/cp.yaml,line=8,col=36,"));
    assert!(lines[5].starts_with("::warning file=talos/cp.yaml,line=10,col=7,endColumn=44,endLine=10,title=demarcate allowance-unused::"));
    // A span over several lines has no columns.
    assert!(
        lines[7].starts_with("::notice file=talos/cp.yaml,line=17,endLine=19,title="),
        "{}",
        lines[7]
    );
    assert!(lines[9].starts_with("::warning file=talos/waived.yaml,line=1,col=3,endColumn=39,"));
    assert_eq!(
        lines[11],
        "demarcate: 4 files, 23 settings: 3 errors, 3 warnings, 5 notes, 2 allowed"
    );
}

#[test]
fn markdown_links_follow_the_github_environment() {
    let dir = repo();
    let (code, plain) = lint(dir.path(), "markdown", &[]);
    assert_eq!(code, 1);
    assert!(plain.contains("- `talos/cp.yaml:8` **allowance-expired**: the allowance for \\`agent\\` expired on 2001-01-01"), "{plain}");
    assert!(!plain.contains("https://"), "{plain}");
    let env = [
        ("GITHUB_REPOSITORY", "acme/infra"),
        ("GITHUB_SHA", "0123abc"),
    ];
    let (_, linked) = lint(dir.path(), "markdown", &env);
    assert!(linked.contains("- [`talos/cp.yaml:8`](https://github.com/acme/infra/blob/0123abc/talos/cp.yaml#L8) **allowance-expired**"), "{linked}");
    assert!(
        linked.contains("(https://github.com/acme/infra/blob/0123abc/talos/50%25%2Ca%3Ab.yaml#L3)"),
        "{linked}"
    );
    // The pull request's head wins over the merge commit, and the server is configurable.
    let env = [
        ("GITHUB_REPOSITORY", "acme/infra"),
        ("GITHUB_SHA", "0123abc"),
        ("DEMARCATE_HEAD_SHA", "feedbee"),
        ("GITHUB_SERVER_URL", "https://ghe.example"),
    ];
    let (_, head) = lint(dir.path(), "markdown", &env);
    assert!(
        head.contains("(https://ghe.example/acme/infra/blob/feedbee/talos/cp.yaml#L8)"),
        "{head}"
    );
    // Only the repository without a commit: no links.
    let (_, half) = lint(
        dir.path(),
        "markdown",
        &[("GITHUB_REPOSITORY", "acme/infra")],
    );
    assert_eq!(half, plain);
}

#[test]
fn markdown_counts_by_party_and_severity() {
    let dir = repo();
    let (_, text) = lint(dir.path(), "markdown", &[]);
    assert!(text.starts_with("## demarcate\n\nModel: **acme-edge**, deployment **self**, options support=basic.\n\n❌ changes need attention: 3 errors, 3 warnings, 5 notes, 2 allowed (4 files, 23 settings).\n"), "{text}");
    assert!(text.contains("| responsible party | errors | warnings | notes | allowed |\n|---|---:|---:|---:|---:|\n| \\(no area\\) | 3 | 3 | 0 | 0 |\n| ACME | 0 | 0 | 5 | 2 |\n"), "{text}");
    assert!(
        text.contains("### What to do next\n\n- Run `demarcate explain FILE:LINE`"),
        "{text}"
    );
}
