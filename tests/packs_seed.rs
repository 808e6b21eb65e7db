//! The built-in packs against the vendors' tables: every row of each vendor's
//! shared-responsibility text is written out here (area, title, and per deployment the
//! responsible, accountable, consulted and informed roles) and compared with
//! what `demarcate vendors --format json` reports, option variants included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;

/// One RACI cell as role ids.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cell {
    responsible: Vec<String>,
    accountable: Vec<String>,
    consulted: Vec<String>,
    informed: Vec<String>,
}

fn roles(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

/// A cell of a table without RACI columns: responsible only.
fn r(responsible: &[&str]) -> Cell {
    raci(responsible, &[], &[], &[])
}

fn raci(responsible: &[&str], accountable: &[&str], consulted: &[&str], informed: &[&str]) -> Cell {
    Cell {
        responsible: roles(responsible),
        accountable: roles(accountable),
        consulted: roles(consulted),
        informed: roles(informed),
    }
}

fn cell_of(json: &Value) -> Cell {
    let list = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap_or_else(|| panic!("cell without `{key}`: {json}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    Cell {
        responsible: list("responsible"),
        accountable: list("accountable"),
        consulted: list("consulted"),
        informed: list("informed"),
    }
}

/// Expected row: area id, exact title, one cell per deployment (in the pack's deployment order).
type Row = (&'static str, &'static str, Vec<Cell>);

fn vendor(id: &str) -> Value {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .args(["vendors", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "vendors failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no built-in pack `{id}`"))
        .clone()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn area<'a>(vendor: &'a Value, id: &str) -> &'a Value {
    vendor["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no area `{id}`"))
}

/// Compares the pack's areas (ids, order, titles, resolved cells) with the table.
fn assert_table(vendor: &Value, deployments: &[&str], rows: &[Row]) {
    assert_eq!(ids(&vendor["deployments"]), roles(deployments));
    let expected_ids: Vec<&str> = rows.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(
        ids(&vendor["areas"]),
        roles(&expected_ids),
        "areas differ from the seed's rows"
    );
    for (id, title, cells) in rows {
        let a = area(vendor, id);
        assert_eq!(a["title"], *title, "title of `{id}`");
        assert!(
            !a["row"].as_str().unwrap().is_empty(),
            "`{id}` says where it sits in the seed"
        );
        assert_eq!(cells.len(), deployments.len(), "test table row `{id}`");
        for (d, want) in deployments.iter().zip(cells) {
            let got = cell_of(&a["responsibility"][*d]);
            assert_eq!(&got, want, "`{id}` in deployment `{d}`");
        }
    }
}

/// One option variant: when (option → value), deployment → cell, duties as JSON.
type VariantView = (BTreeMap<String, String>, BTreeMap<String, Cell>, Value);

/// The variants of an area.
fn variants(vendor: &Value, id: &str) -> Vec<VariantView> {
    area(vendor, id)["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let when = v["when"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let cells = v["responsibility"]
                .as_object()
                .map(|m| m.iter().map(|(k, c)| (k.clone(), cell_of(c))).collect())
                .unwrap_or_default();
            (when, cells, v["duties"].clone())
        })
        .collect()
}

fn option(vendor: &Value, id: &str) -> (Vec<String>, String) {
    let o = vendor["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no option `{id}`"));
    let values = o["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (values, o["default"].as_str().unwrap().to_string())
}

#[test]
fn glasswall_halo_matches_the_responsibility_matrix() {
    let v = vendor("glasswall-halo");
    assert_eq!(v["source"]["version"], "2.15.0");
    assert_eq!(v["parties"]["provider"], "CSP");
    assert!(v["options"].as_array().unwrap().is_empty());
    let g = || r(&["vendor"]);
    let c = || r(&["customer"]);
    let p = || r(&["provider"]);
    let pc = || r(&["provider", "customer"]);
    let gc = || r(&["vendor", "customer"]);
    let rows: Vec<Row> = vec![
        (
            "deployment-assets",
            "Access to deployment assets",
            vec![g(), g(), g()],
        ),
        (
            "cdr-functionality",
            "CDR functionality",
            vec![g(), g(), g()],
        ),
        (
            "technical-documentation",
            "Technical and compliance documentation",
            vec![g(), g(), g()],
        ),
        (
            "application-logging",
            "Application logging accuracy and guidance",
            vec![g(), g(), g()],
        ),
        (
            "helm-chart-configuration",
            "Helm chart configuration and testing",
            vec![g(), gc(), g()],
        ),
        (
            "deployment-documentation",
            "Deployment documentation and scripts",
            vec![g(), c(), g()],
        ),
        (
            "infrastructure-integration",
            "Infrastructure integration guidance and scripts",
            vec![g(), c(), c()],
        ),
        (
            "business-integration",
            "Integration with business applications",
            vec![c(), c(), c()],
        ),
        (
            "identity-providers",
            "Identity providers, credentials, and cluster integration",
            vec![c(), c(), c()],
        ),
        (
            "external-network",
            "External network integration including TLS and security",
            vec![c(), c(), c()],
        ),
        (
            "external-storage",
            "External storage configuration and security",
            vec![pc(), c(), c()],
        ),
        (
            "infrastructure-monitoring",
            "Infrastructure and cluster monitoring and logging",
            vec![pc(), c(), c()],
        ),
        (
            "infrastructure-availability",
            "Infrastructure access, resiliency, and availability",
            vec![p(), c(), c()],
        ),
        (
            "host-os-hardening",
            "Host operating system security and hardening",
            vec![pc(), c(), g()],
        ),
    ];
    assert_table(
        &v,
        &["csp-kubernetes", "onprem-kubernetes", "onprem-vm"],
        &rows,
    );
    for a in v["areas"].as_array().unwrap() {
        assert!(a["variants"].as_array().unwrap().is_empty(), "{}", a["id"]);
    }
}

#[test]
fn stackit_edge_cloud_matches_the_components_table() {
    let v = vendor("stackit-edge-cloud");
    assert!(
        v["parties"].get("provider").is_none(),
        "the seed names no provider"
    );
    let s = || vec![r(&["vendor"])];
    let c = || vec![r(&["customer"])];
    let rows: Vec<Row> = vec![
        (
            "edge-cloud",
            "STACKIT Edge Cloud",
            vec![r(&["vendor", "customer"])],
        ),
        // Row 1's customer column: "Maintain a good credential hygiene".
        ("edge-cloud-credentials", "STACKIT Edge Cloud", c()),
        ("instance-crds", "STEC instance CRDs", c()),
        ("instance-crd-components", "STEC instance CRDs", s()),
        ("edge-clusters", "Edge clusters", c()),
        ("edge-cluster-operator", "Edge clusters", s()),
        ("talos-linux", "Talos Linux", c()),
        ("hardware", "Hardware", c()),
        ("workloads", "Workloads", c()),
        ("stackit-applications", "Workloads", s()),
        ("edgehostlet", "EdgeHostLet", s()),
    ];
    assert_table(&v, &["edge-cloud"], &rows);
    assert_eq!(area(&v, "talos-linux")["support"], "best-effort");
    for a in v["areas"].as_array().unwrap() {
        if a["id"] != "talos-linux" {
            assert_eq!(a["support"], "full", "{}", a["id"]);
        }
    }
    // Both columns of the seed survive as duties where the seed fills them.
    let talos = &area(&v, "talos-linux")["duties"];
    assert_eq!(talos["vendor"].as_array().unwrap().len(), 2);
    assert_eq!(talos["customer"].as_array().unwrap().len(), 4);
    assert!(area(&v, "hardware")["duties"].get("vendor").is_none());
}

#[test]
fn nexgen_cloud_matches_duties_and_service_type_table() {
    let v = vendor("nexgen-cloud");
    assert_eq!(
        option(&v, "extended-support"),
        (roles(&["false", "true"]), "false".to_string())
    );
    // Cells in deployment order iaas, paas.
    let n = || vec![r(&["vendor"]), r(&["vendor"])];
    let c = || vec![r(&["customer"]), r(&["customer"])];
    let shared_in_paas = || vec![r(&["customer"]), r(&["vendor", "customer"])];
    let rows: Vec<Row> = vec![
        (
            "secure-development",
            "Apply secure software development practices to the development of all NexGen cloud services, including regular audits of source code, thorough reviews for potential vulnerabilities and patch development, consistent updates of dependencies, and adherence to a strict process for building, signing, and releasing software.",
            n(),
        ),
        (
            "platform-patching",
            "Ensure our software stack (hosts, cloud backend, and Infrahub/Hyperstack platform) is regularly updated with the latest security patches and updates.",
            n(),
        ),
        (
            "platform-access-mfa",
            "Provide secure access to our services through the implementation of multi-factor authentication (Authentik).",
            n(),
        ),
        (
            "customer-data-protection",
            "Protect the security of customer data.",
            n(),
        ),
        (
            "customer-patching",
            "Update your software stack, including the operating system running on your virtual machines, regularly with the latest security patches and updates.",
            c(),
        ),
        (
            "customer-security-features",
            "Configure security features, including firewall rules for limiting network access, and manage user permissions through Role-Based Access Control (RBAC) to control access to your resources.",
            c(),
        ),
        (
            "customer-data-management",
            "Manage your data, including backup and encryption; it's important to note that responsibilities vary based on the resources you use.",
            c(),
        ),
        (
            "customer-compliance",
            "Compliance with relevant laws and regulations for your organization and workload.",
            c(),
        ),
        (
            "customer-support-requests",
            "Provide bug reports or logs during support requests for troubleshooting.",
            c(),
        ),
        (
            "customer-credentials",
            "Secure your login and resource access by using strong passwords and follow best practices for the security of API and SSH keys.",
            c(),
        ),
        (
            "vm-infrastructure",
            "The security of the Infrastructure, including the physical data centers housing the virtual machines and their hardware.",
            n(),
        ),
        (
            "vm-hypervisor",
            "Hypervisor software for VM creation and management.",
            n(),
        ),
        (
            "vm-guest-os",
            "The security and maintenance of the operating system running on their virtual machines.",
            c(),
        ),
        (
            "vm-binaries",
            "The binaries and libraries required for the functionality of your applications.",
            c(),
        ),
        (
            "vm-applications",
            "The security of the applications running on your virtual machines.",
            c(),
        ),
        (
            "container-infrastructure",
            "Security of the Infrastructure, including the physical data centers and hardware where containerization is implemented.",
            n(),
        ),
        (
            "container-host-os",
            "The host operating system that containers share.",
            n(),
        ),
        (
            "container-engine",
            "Container engine such as Docker that is used to create and manage containers.",
            n(),
        ),
        (
            "container-binaries",
            "The binaries and libraries required for the functionality of your applications.",
            c(),
        ),
        (
            "container-applications",
            "The applications running in your containers.",
            c(),
        ),
        ("information-and-data", "Information and data", c()),
        ("devices", "Devices (Mobile and PC)", c()),
        ("accounts-and-identities", "Accounts and identities", c()),
        (
            "identity-and-directory",
            "Identity and directory infrastructure",
            shared_in_paas(),
        ),
        ("applications", "Applications", shared_in_paas()),
        ("network-controls", "Network controls", shared_in_paas()),
        (
            "operating-system",
            "Operating system",
            vec![r(&["customer"]), r(&["vendor"])],
        ),
        ("physical-servers", "Physical servers", n()),
        ("physical-network", "Physical network", n()),
        ("physical-datacenter", "Physical datacenter", n()),
    ];
    assert_table(&v, &["iaas", "paas"], &rows);

    // With an Extended Support Contract NexGen takes over exactly these duties.
    let esc: BTreeMap<String, String> =
        [("extended-support".to_string(), "true".to_string())].into();
    let takes_over = |cell: Cell| -> BTreeMap<String, Cell> {
        [
            ("iaas".to_string(), cell.clone()),
            ("paas".to_string(), cell),
        ]
        .into()
    };
    let expected: [(&str, Cell); 4] = [
        ("vm-guest-os", r(&["vendor", "customer"])),
        ("vm-binaries", r(&["vendor"])),
        ("container-binaries", r(&["vendor"])),
        ("container-applications", r(&["vendor"])),
    ];
    for (id, cell) in expected {
        let vs = variants(&v, id);
        assert_eq!(vs.len(), 1, "`{id}` has one Extended Support variant");
        let (when, cells, duties) = &vs[0];
        assert_eq!(when, &esc, "`{id}`");
        assert_eq!(cells, &takes_over(cell), "`{id}` with extended support");
        assert!(
            duties["vendor"].as_array().is_some_and(|d| !d.is_empty()),
            "`{id}` says what NexGen takes over"
        );
    }
    // The service-type table's rows follow the same reading under IaaS:
    // guest OS maintenance moves to NexGen (security stays the customer's),
    // the applications in containers move to NexGen whole.
    let table: [(&str, BTreeMap<String, Cell>); 2] = [
        (
            "operating-system",
            [("iaas".to_string(), r(&["vendor", "customer"]))].into(),
        ),
        (
            "applications",
            [
                ("iaas".to_string(), r(&["vendor"])),
                ("paas".to_string(), r(&["vendor"])),
            ]
            .into(),
        ),
    ];
    for (id, cells) in table {
        let vs = variants(&v, id);
        assert_eq!(vs.len(), 1, "`{id}` has one Extended Support variant");
        assert_eq!(vs[0].0, esc, "`{id}`");
        assert_eq!(vs[0].1, cells, "`{id}` with extended support");
    }
    let with_variants: Vec<String> = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["variants"].as_array().unwrap().is_empty())
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        with_variants,
        roles(&[
            "vm-guest-os",
            "vm-binaries",
            "container-binaries",
            "container-applications",
            "applications",
            "operating-system"
        ])
    );
    // The application security duty on VMs stays with the customer.
    assert!(variants(&v, "vm-applications").is_empty());
}

#[test]
fn wso2_choreo_matches_the_three_raci_tables() {
    let v = vendor("wso2-choreo");
    assert_eq!(
        option(&v, "tier"),
        (
            roles(&["basic", "standard", "premium"]),
            "basic".to_string()
        )
    );
    let w = &["vendor"][..];
    let c = &["customer"][..];
    let wc = &["vendor", "customer"][..];
    let none: &[&str] = &[];
    let all_customer = || vec![raci(c, c, c, c), raci(c, c, c, c), raci(c, c, c, c)];
    // Cells in deployment order: wso2-managed, wso2-managed-customer-subscription, customer-self-managed.
    let rows: Vec<Row> = vec![
        (
            "subscription-prerequisites",
            "Subscription prerequisites",
            vec![raci(w, w, c, c), raci(c, c, w, none), raci(c, c, w, w)],
        ),
        (
            "remote-access",
            "Remote access for installation",
            vec![raci(w, w, w, w), raci(c, c, w, w), raci(c, c, w, none)],
        ),
        (
            "network-management",
            "Network management",
            vec![raci(wc, wc, c, c), raci(wc, wc, c, c), raci(c, c, w, w)],
        ),
        (
            "firewall-rules",
            "Firewall rules/access control",
            vec![raci(w, w, c, c), raci(wc, wc, c, c), raci(c, c, w, w)],
        ),
        (
            "infrastructure-provisioning",
            "Infrastructure provisioning",
            vec![raci(w, w, none, c), raci(w, w, c, c), raci(c, c, w, w)],
        ),
        (
            "cluster-management",
            "Kubernetes cluster management",
            vec![raci(w, w, c, c), raci(w, w, c, c), raci(c, c, w, w)],
        ),
        (
            "infrastructure-monitoring",
            "Infrastructure monitoring",
            vec![
                raci(w, w, none, c),
                raci(w, w, none, c),
                raci(c, c, w, none),
            ],
        ),
        (
            "dns-management",
            "DNS management for Choreo system",
            vec![raci(wc, wc, c, c), raci(wc, wc, c, c), raci(c, c, w, none)],
        ),
        (
            "system-components-deployment",
            "Choreo system components deployment",
            vec![
                raci(w, w, none, none),
                raci(w, w, c, none),
                raci(c, c, w, none),
            ],
        ),
        (
            "system-components-management",
            "Choreo system components management",
            vec![
                raci(w, w, none, c),
                raci(w, w, none, c),
                raci(c, c, w, none),
            ],
        ),
        (
            "system-components-monitoring",
            "Choreo system components monitoring",
            vec![
                raci(w, w, none, c),
                raci(w, w, none, c),
                raci(c, c, w, none),
            ],
        ),
        (
            "system-security-monitoring",
            "Choreo system security monitoring",
            vec![
                raci(wc, wc, wc, wc),
                raci(wc, wc, wc, wc),
                raci(wc, wc, wc, wc),
            ],
        ),
        (
            "application-deployment",
            "Choreo application creation/deployment",
            all_customer(),
        ),
        (
            "application-management",
            "Choreo application management",
            all_customer(),
        ),
        (
            "application-monitoring",
            "Choreo application monitoring",
            all_customer(),
        ),
        (
            "application-logs",
            "Choreo application logs",
            all_customer(),
        ),
    ];
    assert_table(
        &v,
        &[
            "wso2-managed",
            "wso2-managed-customer-subscription",
            "customer-self-managed",
        ],
        &rows,
    );

    // "(If required)" cells keep the condition in the duties.
    for id in [
        "subscription-prerequisites",
        "infrastructure-provisioning",
        "system-components-management",
    ] {
        let text = area(&v, id)["duties"].to_string();
        assert!(
            text.contains("if required"),
            "`{id}` notes the condition: {text}"
        );
    }

    // Security monitoring: same cells in every tier, other duties from standard up.
    let vs = variants(&v, "system-security-monitoring");
    let tiers: Vec<String> = vs.iter().map(|(when, _, _)| when["tier"].clone()).collect();
    assert_eq!(tiers, roles(&["standard", "premium"]));
    let basic = area(&v, "system-security-monitoring")["duties"].clone();
    for (when, cells, duties) in &vs {
        assert_eq!(when.len(), 1);
        assert!(cells.is_empty(), "the tier changes duties, not cells");
        assert_ne!(duties, &basic, "tier {} has its own duties", when["tier"]);
        assert!(
            duties.to_string().contains("SIEM"),
            "tier {}: {duties}",
            when["tier"]
        );
    }
    assert!(!basic.to_string().contains("SIEM"));
    for a in v["areas"].as_array().unwrap() {
        if a["id"] != "system-security-monitoring" {
            assert!(a["variants"].as_array().unwrap().is_empty(), "{}", a["id"]);
        }
    }
}
