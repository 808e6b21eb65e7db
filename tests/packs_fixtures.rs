//! The built-in packs on the per-vendor fixture repositories in `fixtures/`:
//! the settings that matter most for each vendor land in the right area with
//! the right parties, under the fixture's `.demarcate.yaml` and under other
//! deployments and options given on the command line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

fn classify(fixture: &str, extra: &[&str]) -> Value {
    let out = Command::cargo_bin("demarcate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "classify",
            "--format",
            "json",
            &format!("fixtures/{fixture}"),
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "classify {fixture} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn setting<'a>(json: &'a Value, file: &str, path: &str) -> &'a Value {
    let file = file.to_string();
    json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"].as_str().unwrap().ends_with(&file) && s["setting"] == path)
        .unwrap_or_else(|| panic!("no setting `{path}` in {file}"))
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

/// Asserts area and responsible roles of one setting.
fn assert_area(json: &Value, file: &str, path: &str, area: &str, responsible: &[&str]) {
    let s = setting(json, file, path);
    assert_eq!(s["area"], area, "{file} {path}");
    assert_eq!(names(&s["responsible"]), responsible, "{file} {path}");
}

#[test]
fn stackit_fixture_keeps_the_edgehostlet_and_operator_output_with_stackit() {
    let j = classify("stackit-edge-cloud", &[]);
    let v = &["vendor"][..];
    let c = &["customer"][..];
    assert_area(
        &j,
        "talos/patches/common.yaml",
        "machine.install.extensions[0].image",
        "edgehostlet",
        v,
    );
    assert_area(
        &j,
        "talos/schematic.yaml",
        "customization.systemExtensions.officialExtensions[3]",
        "edgehostlet",
        v,
    );
    assert_area(
        &j,
        "talos/schematic.yaml",
        "customization.systemExtensions.officialExtensions[0]",
        "talos-linux",
        c,
    );
    assert_area(
        &j,
        "talos/patches/edgehostlet.yaml",
        "ExtensionServiceConfig/edgehostlet:environment[0]",
        "edgehostlet",
        v,
    );
    assert_area(
        &j,
        "terraform/talos.tf",
        "customization.systemExtensions.officialExtensions[2]",
        "edgehostlet",
        v,
    );
    assert_area(
        &j,
        "talos/patches/common.yaml",
        r#"machine.sysctls["vm.max_map_count"]"#,
        "talos-linux",
        c,
    );
    assert_area(
        &j,
        "talos/patches/network.yaml",
        "machine.network.disableSearchDomain",
        "talos-linux",
        c,
    );
    assert_area(
        &j,
        "stec/edgecluster.yaml",
        "EdgeCluster/default/hh-prod:status.phase",
        "edge-cluster-operator",
        v,
    );
    assert_area(
        &j,
        "stec/edgecluster.yaml",
        "EdgeCluster/default/hh-prod:spec.talos.kubernetes.version",
        "edge-clusters",
        c,
    );
    assert_area(
        &j,
        "stec/edgecluster.yaml",
        "EdgeCluster/default/hh-prod:spec.talos.version",
        "talos-linux",
        c,
    );
    assert_area(
        &j,
        "stec/edgecluster.yaml",
        "Secret/default/hh-prod-talosconfig:data.talosconfig",
        // A credential, even though the operator writes it: the customer's.
        "edge-cloud-credentials",
        c,
    );
    assert_area(
        &j,
        "stec/edgeimage.yaml",
        "EdgeImage/default/hh-talos-1-12:spec",
        "instance-crds",
        c,
    );
    assert_area(
        &j,
        "apps/stackit-agent.yaml",
        "DaemonSet/stackit-system/node-telemetry:spec.template.spec.containers[0].image",
        "stackit-applications",
        v,
    );
    assert_area(
        &j,
        "apps/shop.yaml",
        "Deployment/shop/pos-gateway:spec.template.spec.containers[0].image",
        "workloads",
        c,
    );
    assert_area(
        &j,
        "terraform/hosts.tf",
        "resource.stackit_server.cp.boot_volume.source_id",
        "talos-linux",
        c,
    );
    assert_area(
        &j,
        "terraform/hosts.tf",
        "resource.stackit_security_group_rule.talos_api.ip_range",
        "hardware",
        c,
    );
    assert_area(
        &j,
        "terraform/edge.tf",
        "resource.stackit_edgecloud_instance.hh.plan_id",
        "edge-cloud",
        &["vendor", "customer"],
    );
    // Every Talos and Kubernetes setting of the fixture has an area.
    for s in j["settings"].as_array().unwrap() {
        if s["format"] == "talos" || s["format"] == "kubernetes" {
            assert!(
                !s["area"].is_null(),
                "unclassified: {} {}",
                s["file"],
                s["setting"]
            );
        }
    }
}

#[test]
fn glasswall_fixture_follows_the_deployment_columns() {
    let j = classify("glasswall-halo", &[]);
    let g = &["vendor"][..];
    let c = &["customer"][..];
    let pc = &["provider", "customer"][..];
    // Where the chart pulls its images from is chart configuration (row 5).
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "image.registry",
        "helm-chart-configuration",
        g,
    );
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "image.tag",
        "cdr-functionality",
        g,
    );
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "configuration.ENABLE_REVERSING_LABS",
        "cdr-functionality",
        g,
    );
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "configuration.Logging__LogLevel__Default",
        "helm-chart-configuration",
        g,
    );
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "resources.requests.cpu",
        "helm-chart-configuration",
        g,
    );
    assert_area(
        &j,
        "helm/engine.values.yaml",
        "persistence.size",
        "external-storage",
        pc,
    );
    assert_area(
        &j,
        "helm/api-access.values.yaml",
        "configuration.Authentication__Schemes__Bearer__Authority",
        "identity-providers",
        c,
    );
    assert_area(
        &j,
        "helm/api-access.values.yaml",
        "ingress.tls.secretName",
        "external-network",
        c,
    );
    assert_area(
        &j,
        "flux/halo.yaml",
        "HelmRepository/halo/glasswall:spec.url",
        "deployment-assets",
        g,
    );
    assert_area(
        &j,
        "terraform/aks/main.tf",
        "resource.azurerm_kubernetes_cluster.halo.default_node_pool.os_sku",
        "host-os-hardening",
        pc,
    );
    assert_area(
        &j,
        "terraform/aks/main.tf",
        "resource.azurerm_kubernetes_cluster.halo.default_node_pool.vm_size",
        "infrastructure-availability",
        &["provider"],
    );
    assert_area(
        &j,
        "terraform/eks/main.tf",
        "resource.aws_eks_node_group.cdr.ami_type",
        "host-os-hardening",
        pc,
    );
    assert_area(
        &j,
        "terraform/aks/main.tf",
        "resource.helm_release.portal.repository",
        "deployment-assets",
        g,
    );
    // The vSphere appliance is scoped to onprem-vm, where Glasswall hardens the OS.
    assert_area(
        &j,
        "terraform/vm/halo-vm.tf",
        "resource.vsphere_virtual_machine.halo.firmware",
        "host-os-hardening",
        g,
    );
    assert_area(
        &j,
        "terraform/vm/halo-vm.tf",
        "resource.vsphere_virtual_machine.halo.num_cpus",
        "infrastructure-availability",
        c,
    );
    assert_area(
        &j,
        "terraform/vm/halo-vm.tf",
        "resource.vsphere_virtual_machine.halo.ovf_deploy.local_ovf_path",
        "deployment-assets",
        g,
    );
    // The appliance's network is the customer's in every deployment (row 10).
    assert_area(
        &j,
        "terraform/vm/halo-vm.tf",
        "resource.vsphere_virtual_machine.halo.network_interface.network_id",
        "external-network",
        c,
    );

    // On-prem Kubernetes: chart values are shared, the OS and availability are the customer's.
    let onprem = classify("glasswall-halo", &["--deployment", "onprem-kubernetes"]);
    assert_area(
        &onprem,
        "helm/engine.values.yaml",
        "resources.requests.cpu",
        "helm-chart-configuration",
        &["vendor", "customer"],
    );
    assert_area(
        &onprem,
        "helm/engine.values.yaml",
        "image.registry",
        "helm-chart-configuration",
        &["vendor", "customer"],
    );
    // The engine's release stays Glasswall's.
    assert_area(
        &onprem,
        "helm/engine.values.yaml",
        "image.tag",
        "cdr-functionality",
        g,
    );
    assert_area(
        &onprem,
        "terraform/aks/main.tf",
        "resource.azurerm_kubernetes_cluster.halo.default_node_pool.os_sku",
        "host-os-hardening",
        c,
    );
}

#[test]
fn nexgen_fixture_follows_service_type_and_extended_support() {
    let j = classify("nexgen-cloud", &[]);
    let c = &["customer"][..];
    let n = &["vendor"][..];
    let tf = "terraform/main.tf";
    // The service-type table decides: a VM's image is its operating system,
    // its flavor the compute its applications run on.
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_virtual_machine.trainer.image_name",
        "operating-system",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_virtual_machine.trainer.flavor_name",
        "applications",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_virtual_machine.trainer.key_name",
        "accounts-and-identities",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_virtual_machine_sg_rule.ssh_office.remote_ip_prefix",
        "network-controls",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_volume.datasets.size",
        "information-and-data",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_cluster.inference.image_name",
        "operating-system",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_cluster.inference.node_count",
        "applications",
        c,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_core_cluster.inference.kubernetes_version",
        "container-engine",
        n,
    );
    assert_area(
        &j,
        tf,
        "resource.hyperstack_auth_role.ml_engineer.name",
        "identity-and-directory",
        c,
    );
    assert_area(
        &j,
        "terraform/versions.tf",
        "provider.hyperstack.api_key",
        "customer-credentials",
        c,
    );
    let image = "Deployment/inference/llm-server:spec.template.spec.containers[0].image";
    assert_area(&j, "k8s/inference.yaml", image, "container-binaries", c);

    let esc = classify("nexgen-cloud", &["--option", "extended-support=true"]);
    assert_area(
        &esc,
        tf,
        "resource.hyperstack_core_virtual_machine.trainer.image_name",
        "operating-system",
        &["vendor", "customer"],
    );
    assert_area(&esc, "k8s/inference.yaml", image, "container-binaries", n);
    assert_area(
        &esc,
        tf,
        "resource.hyperstack_core_virtual_machine_sg_rule.ssh_office.remote_ip_prefix",
        "network-controls",
        c,
    );

    let paas = classify("nexgen-cloud", &["--deployment", "paas"]);
    assert_area(
        &paas,
        tf,
        "resource.hyperstack_core_virtual_machine_sg_rule.ssh_office.remote_ip_prefix",
        "network-controls",
        &["vendor", "customer"],
    );
    assert_area(
        &paas,
        tf,
        "resource.hyperstack_auth_role.ml_engineer.name",
        "identity-and-directory",
        &["vendor", "customer"],
    );
    // PaaS and IaaS differ where the table differs.
    assert_area(
        &paas,
        tf,
        "resource.hyperstack_core_virtual_machine.trainer.image_name",
        "operating-system",
        n,
    );
    assert_area(
        &paas,
        tf,
        "resource.hyperstack_core_cluster.inference.node_count",
        "applications",
        &["vendor", "customer"],
    );
}

#[test]
fn wso2_fixture_follows_the_management_model() {
    let j = classify("wso2-choreo", &[]);
    let w = &["vendor"][..];
    let c = &["customer"][..];
    let wc = &["vendor", "customer"][..];
    let version = setting(
        &j,
        "terraform/aks.tf",
        "resource.azurerm_kubernetes_cluster.pdp.kubernetes_version",
    );
    assert_eq!(version["area"], "cluster-management");
    assert_eq!(names(&version["responsible"]), w);
    assert_eq!(names(&version["accountable"]), w);
    assert_eq!(names(&version["consulted"]), c);
    assert_eq!(names(&version["informed"]), c);
    assert_area(
        &j,
        "terraform/aks.tf",
        "resource.azurerm_kubernetes_cluster.pdp.microsoft_defender.log_analytics_workspace_id",
        "system-security-monitoring",
        wc,
    );
    assert_area(
        &j,
        "terraform/aks.tf",
        "resource.azurerm_kubernetes_cluster.pdp.api_server_access_profile.authorized_ip_ranges[0]",
        "firewall-rules",
        wc,
    );
    assert_area(
        &j,
        "terraform/aks.tf",
        "resource.azurerm_role_assignment.wso2_owner.role_definition_name",
        "remote-access",
        c,
    );
    assert_area(
        &j,
        "terraform/network.tf",
        "resource.azurerm_bastion_host.pdp.name",
        "infrastructure-provisioning",
        w,
    );
    assert_area(
        &j,
        "terraform/network.tf",
        "resource.azurerm_virtual_network_peering.pdp_to_hub.remote_virtual_network_id",
        "network-management",
        wc,
    );
    assert_area(
        &j,
        "terraform/operations.tf",
        "resource.azurerm_monitor_metric_alert.node_cpu.severity",
        "infrastructure-monitoring",
        w,
    );
    assert_area(
        &j,
        "terraform/operations.tf",
        "resource.azurerm_dns_zone.choreo.name",
        "dns-management",
        wc,
    );
    assert_area(
        &j,
        "terraform/operations.tf",
        "resource.helm_release.cilium.version",
        "system-components-management",
        w,
    );
    assert_area(
        &j,
        "terraform/operations.tf",
        "hubble.metrics.serviceMonitor.enabled",
        "system-components-monitoring",
        w,
    );
    assert_area(
        &j,
        "terraform/providers.tf",
        "provider.azurerm.subscription_id",
        "subscription-prerequisites",
        c,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "HelmRelease/choreo-system/choreo-pdp-agent:spec.interval",
        "system-components-deployment",
        w,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "HelmRelease/choreo-system/choreo-pdp-agent:spec.chart.spec.version",
        "system-components-management",
        w,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "agent.image.tag",
        "system-components-management",
        w,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "ClusterIssuer/letsencrypt-dns:spec.acme.email",
        "dns-management",
        wc,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "Certificate/choreo-system/gateway-wildcard:spec.dnsNames[0]",
        "dns-management",
        wc,
    );
    assert_area(
        &j,
        "flux/pdp.yaml",
        "CiliumNetworkPolicy/dp-orders-prod/deny-egress-except-backends:spec.egress[0].toCIDR[0]",
        // A policy in an application's namespace is the customer's application.
        "application-deployment",
        c,
    );
    assert_area(
        &j,
        "apps/orders.yaml",
        "Deployment/dp-orders-prod/orders-api:spec.replicas",
        "application-deployment",
        c,
    );
    assert_area(
        &j,
        "apps/orders.yaml",
        "HorizontalPodAutoscaler/dp-orders-prod/orders-api:spec.maxReplicas",
        "application-management",
        c,
    );
    assert_area(
        &j,
        "apps/orders.yaml",
        "ServiceMonitor/dp-orders-prod/orders-api:spec.endpoints[0].port",
        "application-monitoring",
        c,
    );

    // Self-managed: the customer runs the cluster, WSO2 is consulted.
    let own = classify("wso2-choreo", &["--deployment", "customer-self-managed"]);
    let version = setting(
        &own,
        "terraform/aks.tf",
        "resource.azurerm_kubernetes_cluster.pdp.kubernetes_version",
    );
    assert_eq!(names(&version["responsible"]), c);
    assert_eq!(names(&version["consulted"]), w);
    assert_area(
        &own,
        "flux/pdp.yaml",
        "agent.image.tag",
        "system-components-management",
        c,
    );
}
