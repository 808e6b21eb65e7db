//! Reporters on change findings (what `lint --base` produces), built in the
//! test: the Markdown table of changed settings outside the customer's sole
//! responsibility, with values, links and allowances; row limits; SARIF
//! change properties; escaping of workflow-command data and properties.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use demarcate::findings::{Allowed, AreaRef, ChangeKind, Code, Finding};
use demarcate::packs::Role;
use demarcate::report::markdown::{self, Links};
use demarcate::report::{LintReport, Summary, escape, github, sarif};
use demarcate::setting::{Format, Pos, Span};

fn area(id: &str, title: &str, owner: &str, responsible: &[Role]) -> AreaRef {
    AreaRef {
        id: id.to_string(),
        title: title.to_string(),
        responsible: responsible.to_vec(),
        accountable: responsible.to_vec(),
        consulted: Vec::new(),
        informed: Vec::new(),
        owner: owner.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn change(
    code: Code,
    file: &str,
    line: u32,
    setting: &str,
    kind: ChangeKind,
    before: Option<&str>,
    after: Option<&str>,
    area: AreaRef,
) -> Finding {
    let mut f = Finding::at(
        code,
        Arc::from(file),
        Span::new(Pos::new(line, 7), Pos::new(line, 41)),
        format!("`{setting}` changed in {}", area.title),
    );
    f.setting = Some(setting.to_string());
    f.format = Some(Format::Talos);
    f.change = Some(kind);
    f.before = before.map(str::to_string);
    f.after = after.map(str::to_string);
    f.area = Some(std::sync::Arc::new(area));
    f
}

fn report(findings: Vec<Finding>) -> LintReport {
    LintReport {
        vendor: Some("stackit-edge-cloud".to_string()),
        deployment: Some("edge-cloud".to_string()),
        options: BTreeMap::new(),
        summary: Summary::count(3, 40, &findings),
        findings,
    }
}

fn changes() -> LintReport {
    let vendor = area("edgehostlet", "EdgeHostLet", "STACKIT", &[Role::Vendor]);
    let shared = area(
        "edge-cloud",
        "STACKIT Edge Cloud",
        "STACKIT and Customer",
        &[Role::Vendor, Role::Customer],
    );
    let provider = area("network", "Network", "CSP", &[Role::Provider]);
    let mut allowed = change(
        Code::SharedChange,
        "terraform/edge.tf",
        3,
        "resource.stackit_edgecloud_instance.muc.plan_id",
        ChangeKind::Removed,
        Some("p-standard"),
        None,
        shared.clone(),
    );
    allowed.allowed = Some(Allowed {
        by: "terraform/edge.tf:2".to_string(),
        reason: "plan change | approved".to_string(),
        r#ref: Some("CHG-7".to_string()),
        until: None,
        waiver: false,
    });
    let mut owned = change(
        Code::VendorOwnedChange,
        "talos/controlplane.yaml",
        12,
        "machine.install.extensions[0].image",
        ChangeKind::Modified,
        Some("registry.edge.stackit.cloud/edgehostlet:v1.7.1"),
        Some("registry.edge.stackit.cloud/edgehostlet:v1.8.0"),
        vendor,
    );
    owned.contacts = vec![
        "@acme/edge-liaison".to_string(),
        "edge|support@stackit.example".to_string(),
    ];
    report(vec![
        owned,
        change(
            Code::SharedChange,
            "terraform/edge.tf",
            2,
            "resource.stackit_edgecloud_instance.muc.display_name",
            ChangeKind::Added,
            None,
            Some("edge `muc`"),
            shared,
        ),
        allowed,
        change(
            Code::ProviderOwnedChange,
            "talos/patches/network.yaml",
            5,
            "machine.network.interfaces[0].mtu",
            ChangeKind::Modified,
            Some("1500"),
            Some("9000"),
            provider,
        ),
    ])
}

#[test]
fn markdown_lists_changes_outside_the_customers_sole_responsibility() {
    let links = Links {
        base: Some("https://github.com/acme/edge/blob/abc/".to_string()),
    };
    let text = markdown::render(&changes(), &links);
    let expected = "## demarcate

Model: **stackit-edge-cloud**, deployment **edge-cloud**.

❌ changes need attention: 1 errors, 2 warnings, 0 notes, 1 allowed (3 files, 40 settings).

| responsible party | errors | warnings | notes | allowed |
|---|---:|---:|---:|---:|
| CSP | 0 | 1 | 0 | 0 |
| STACKIT | 1 | 0 | 0 | 0 |
| STACKIT and Customer | 0 | 1 | 0 | 1 |

### Changed settings outside the customer's sole responsibility

| where | setting | change | area | owner | who to ask | status |
|---|---|---|---|---|---|---|
| [`talos/controlplane.yaml:12`](https://github.com/acme/edge/blob/abc/talos/controlplane.yaml#L12) | `machine.install.extensions[0].image` | `registry.edge.stackit.cloud/edgehostlet:v1.7.1` → `registry.edge.stackit.cloud/edgehostlet:v1.8.0` | EdgeHostLet | STACKIT | `@acme/edge-liaison`, `edge\\|support@stackit.example` | error |
| [`terraform/edge.tf:2`](https://github.com/acme/edge/blob/abc/terraform/edge.tf#L2) | `resource.stackit_edgecloud_instance.muc.display_name` | added `` edge `muc` `` | STACKIT Edge Cloud | STACKIT and Customer |  | warning |
| [`terraform/edge.tf:3`](https://github.com/acme/edge/blob/abc/terraform/edge.tf#L3) | `resource.stackit_edgecloud_instance.muc.plan_id` | removed `p-standard` | STACKIT Edge Cloud | STACKIT and Customer |  | allowed by `terraform/edge.tf:2` (plan change \\| approved) |
| [`talos/patches/network.yaml:5`](https://github.com/acme/edge/blob/abc/talos/patches/network.yaml#L5) | `machine.network.interfaces[0].mtu` | `1500` → `9000` | Network | CSP |  | warning |

### What to do next

- Run `demarcate explain FILE:LINE` for the area, each party's duties and the rule that decided.
- Coordinate changes to vendor-owned areas with the vendor before merging.
- Record an approval next to the setting: `# demarcate:allow AREA ref=TICKET until=YYYY-MM-DD -- reason`, or as a waiver in `.demarcate.yaml`.
";
    assert_eq!(text, expected);
    // Without GitHub's environment, locations are plain code.
    let plain = markdown::render(&changes(), &Links::default());
    assert!(
        plain.contains("| `talos/controlplane.yaml:12` | `machine.install.extensions[0].image` |")
    );
    assert!(!plain.contains("https://"));
}

#[test]
fn markdown_without_findings_says_nothing_to_do() {
    let text = markdown::render(&report(Vec::new()), &Links::default());
    assert!(text.contains("✅ no blocking findings: 0 errors"), "{text}");
    assert!(!text.contains("| responsible party |"), "{text}");
    assert!(
        text.ends_with(
            "### What to do next\n\nNothing to do: no change touches an area another party owns.\n"
        ),
        "{text}"
    );
}

#[test]
fn markdown_limits_the_rows_of_a_huge_change() {
    let template = changes().findings[0].clone();
    let findings: Vec<Finding> = (1..=250)
        .map(|i| {
            let mut f = template.clone();
            f.span = Span::new(Pos::new(i, 1), Pos::new(i, 5));
            f
        })
        .collect();
    let text = markdown::render(&report(findings), &Links::default());
    assert_eq!(
        text.matches("| `talos/controlplane.yaml:").count(),
        markdown::MAX_ROWS
    );
    assert!(
        text.contains(
            "\n… and 50 more findings left out of this summary; the annotations and the SARIF upload list them all.\n"
        ),
        "{text}"
    );
}

#[test]
fn sarif_carries_the_change() {
    let log: serde_json::Value = serde_json::from_str(&sarif::render(&changes()).unwrap()).unwrap();
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["level"], "error");
    assert_eq!(r["properties"]["change"], "modified");
    assert_eq!(
        r["properties"]["before"],
        "registry.edge.stackit.cloud/edgehostlet:v1.7.1"
    );
    assert_eq!(
        r["properties"]["after"],
        "registry.edge.stackit.cloud/edgehostlet:v1.8.0"
    );
    assert_eq!(
        log["runs"][0]["results"][2]["suppressions"][0]["kind"],
        "inSource"
    );
    assert_eq!(log["runs"][0]["results"][3]["level"], "warning");
    // Whom to ask, when `contacts:` names someone.
    assert_eq!(
        r["properties"]["contacts"],
        serde_json::json!(["@acme/edge-liaison", "edge|support@stackit.example"])
    );
    assert!(
        log["runs"][0]["results"][1]["properties"]
            .get("contacts")
            .is_none()
    );
}

#[test]
fn workflow_commands_escape_data_and_properties() {
    assert_eq!(
        escape::github_data("100% done\r\nnext: a,b"),
        "100%25 done%0D%0Anext: a,b"
    );
    assert_eq!(
        escape::github_property("a:b,c%d\r\ne"),
        "a%3Ab%2Cc%25d%0D%0Ae"
    );
    let mut f = changes().findings[0].clone();
    f.file = Arc::from("odd,dir/a:b%.yaml");
    f.message = "line one\nline two: 50%, done".to_string();
    let text = github::render(&report(vec![f]));
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=odd%2Cdir/a%3Ab%25.yaml,line=12,col=7,endColumn=41,endLine=12,title=demarcate vendor-owned-change%3A EdgeHostLet (STACKIT)::line one%0Aline two: 50%25, done (ask: @acme/edge-liaison, edge|support@stackit.example)"
    );
}

#[test]
fn workflow_commands_map_severities_and_allowed_findings_are_notices() {
    let text = github::render(&changes());
    let commands: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(commands, ["error", "warning", "notice", "warning"]);
    let notice = text.lines().find(|l| l.starts_with("::notice")).unwrap();
    assert!(notice.contains("line=3,"), "{text}");
    assert!(
        notice.contains("title=demarcate shared-change (allowed)"),
        "{notice}"
    );
    assert!(
        notice.contains("%0AAllowed by terraform/edge.tf:2"),
        "{notice}"
    );
}
