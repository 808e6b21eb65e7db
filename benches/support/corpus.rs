//! Deterministic synthetic infrastructure repositories for benchmarks.
//!
//! Shared by `examples/corpus.rs` (writes a repository to disk) and
//! `benches/parse.rs` (fixed-size inputs, and a small repository for
//! `scan`), both of which include this file with `#[path]`. Every choice is
//! drawn from a small SplitMix64 generator, so the same file count and seed
//! always give the same paths and bytes.
//!
//! The repository imitates `fixtures/example/` at scale: Helm charts
//! (`Chart.yaml`, values files with anchors, aliases and merge keys), Talos
//! sites (multi-document machine configs with an edgehostlet
//! `ExtensionServiceConfig`, strategic and RFC 6902 patches), Kubernetes
//! manifests (Deployments, Services, ConfigMaps, Flux `HelmRelease`s, STACKIT
//! `EdgeCluster`/`EdgeImage`) and Terraform stacks (providers, variables,
//! modules, heredocs, `helm_release` with `set {}` and `values`,
//! `talos_machine_configuration_apply` with `config_patches`, azurerm, aws,
//! stackit and hyperstack resources, `.tfvars`). Content files are sized from
//! a skewed distribution (a few hundred bytes to about 100 KB, about 7 KB on
//! average).

#![allow(dead_code)]

use std::fmt::Write as _;

/// Appends one formatted line (writing to a `String` cannot fail).
macro_rules! wl {
    ($out:expr) => {{
        $out.push('\n');
    }};
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// SplitMix64: a tiny, fast, well-mixed generator (not for cryptography).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent generator for one numbered stream of a seed (so the
    /// content of group `n` does not depend on how much earlier groups drew).
    pub fn stream(seed: u64, n: u64) -> Rng {
        let mut mixer = Rng(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo))
    }

    /// True with the given probability in per cent.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            let _ = write!(s, "{:016x}", self.next_u64());
        }
        s.truncate(n);
        s
    }

    /// A semantic version such as `2.15.3`.
    pub fn version(&mut self) -> String {
        format!(
            "{}.{}.{}",
            self.range(0, 4),
            self.range(0, 30),
            self.range(0, 20)
        )
    }
}

/// Target size of a content file: mostly small, some medium, a few large.
/// Mean about 12 KB, range 500 B to 100 KB (small files such as patches
/// and `.tfvars` bring the repository's mean down to about 7 KB).
pub fn sample_size(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..55 => rng.range(500, 5_000),
        55..88 => rng.range(5_000, 24_000),
        88..98 => rng.range(24_000, 64_000),
        _ => rng.range(64_000, 100_000),
    }
}

/// The document shapes the generator writes; benches ask for one by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A chart's `values.yaml` (anchors, aliases, merge keys, nested maps, lists).
    HelmValues,
    /// A multi-document Talos machine config (v1alpha1 + typed documents).
    TalosConfig,
    /// A multi-document Kubernetes manifest (Deployment, Service, ConfigMap).
    KubernetesManifests,
    /// A Flux `HelmRelease` with inline values.
    FluxHelmRelease,
    /// A Terraform `main.tf` with every kind of resource the generator knows.
    Terraform,
}

impl Shape {
    /// A file name that discovery classifies as this shape would be.
    pub fn file_name(self) -> &'static str {
        match self {
            Shape::HelmValues => "values.yaml",
            Shape::TalosConfig => "controlplane.yaml",
            Shape::KubernetesManifests => "apps.yaml",
            Shape::FluxHelmRelease => "helmrelease.yaml",
            Shape::Terraform => "main.tf",
        }
    }
}

/// One document of a shape, of at least `target` bytes, from a seed.
pub fn sample(shape: Shape, seed: u64, target: usize) -> String {
    let mut rng = Rng::new(seed);
    let names = Names::new(&mut rng, 0);
    match shape {
        Shape::HelmValues => helm_values(&mut rng, target, &names),
        Shape::TalosConfig => talos_config(&mut rng, target, &names, true, 0),
        Shape::KubernetesManifests => kube_apps(&mut rng, target, &names),
        Shape::FluxHelmRelease => flux_release(&mut rng, target, &names, "engine"),
        Shape::Terraform => tf_main(&mut rng, target, &names),
    }
}

/// Counts of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// YAML files (`.yaml`).
    pub yaml: usize,
    /// Terraform files (`.tf`).
    pub terraform: usize,
    /// Variable files (`.tfvars`).
    pub tfvars: usize,
    /// The largest file, in bytes.
    pub largest: usize,
}

impl Stats {
    fn add(&mut self, path: &str, text: &str) {
        self.files += 1;
        self.bytes += text.len() as u64;
        self.largest = self.largest.max(text.len());
        if path.ends_with(".tfvars") {
            self.tfvars += 1;
        } else if path.ends_with(".tf") {
            self.terraform += 1;
        } else {
            self.yaml += 1;
        }
    }
}

/// Generates a repository of exactly `files` files, handing each
/// repository-relative path (with `/`) and its text to `sink`, in order.
/// The files of a smaller count are a prefix of those of a larger one.
pub fn generate<E>(
    files: usize,
    seed: u64,
    mut sink: impl FnMut(&str, &str) -> Result<(), E>,
) -> Result<Stats, E> {
    let mut stats = Stats::default();
    let mut group = 0u64;
    while stats.files < files {
        let mut rng = Rng::stream(seed, group);
        for (path, text) in render_group(&mut rng, group as usize) {
            if stats.files == files {
                break;
            }
            sink(&path, &text)?;
            stats.add(&path, &text);
        }
        group += 1;
    }
    Ok(stats)
}

const APPS: &[&str] = &[
    "halo-engine",
    "cdr-api",
    "pdp-agent",
    "gateway",
    "billing",
    "search",
    "ingest",
    "reports",
    "auth",
    "web",
    "worker",
    "scheduler",
    "notifier",
    "metrics",
    "ledger",
    "policy",
];
const ENVS: &[&str] = &["dev", "qa", "staging", "perf", "prod"];
const SITES: &[&str] = &["muc", "fra", "ber", "ham", "vie", "zrh", "ams", "par"];
const TEAMS: &[&str] = &["platform", "edge", "security", "data", "payments"];
const REGISTRIES: &[&str] = &[
    "glasswallhub.azurecr.io",
    "ghcr.io/example",
    "registry.example.internal",
    "registry.edge.stackit.cloud",
];
const COMPONENTS: &[&str] = &[
    "engine",
    "api",
    "frontend",
    "worker",
    "scheduler",
    "cache",
    "proxy",
    "exporter",
    "controller",
    "webhook",
];

/// Names shared by the files of one group.
struct Names {
    /// Group number, appended to make names unique in the repository.
    n: usize,
    app: String,
    env: String,
    site: String,
    team: String,
    registry: String,
    a: usize,
    b: usize,
}

impl Names {
    fn new(rng: &mut Rng, n: usize) -> Names {
        Names {
            n,
            app: rng.pick(APPS).to_string(),
            env: rng.pick(ENVS).to_string(),
            site: rng.pick(SITES).to_string(),
            team: rng.pick(TEAMS).to_string(),
            registry: rng.pick(REGISTRIES).to_string(),
            a: rng.range(1, 250),
            b: rng.range(0, 250),
        }
    }
}

/// A small file: a few hundred bytes to a few KB.
fn small(rng: &mut Rng) -> usize {
    rng.range(200, 3_000)
}

/// The files of one group: a chart, a Talos site, a namespace of manifests,
/// a Flux cluster, an edge site or a Terraform stack.
fn render_group(rng: &mut Rng, n: usize) -> Vec<(String, String)> {
    let names = Names::new(rng, n);
    let mut out = Vec::new();
    match rng.below(100) {
        0..20 => {
            let dir = format!("charts/{}-{n}", names.app);
            out.push((format!("{dir}/Chart.yaml"), chart_yaml(rng, &names)));
            let t = sample_size(rng);
            out.push((format!("{dir}/values.yaml"), helm_values(rng, t, &names)));
            for env in ENVS.iter().take(rng.range(1, 4)) {
                let t = small(rng);
                out.push((
                    format!("{dir}/values-{env}.yaml"),
                    helm_env_values(rng, t, &names),
                ));
            }
        }
        20..35 => {
            let dir = format!("talos/{}-{n}", names.site);
            let t = sample_size(rng);
            out.push((
                format!("{dir}/controlplane.yaml"),
                talos_config(rng, t, &names, true, 0),
            ));
            for i in 1..rng.range(2, 4) {
                let t = sample_size(rng);
                out.push((
                    format!("{dir}/worker-{i}.yaml"),
                    talos_config(rng, t, &names, false, i),
                ));
            }
            for name in ["network", "time", "sysctls"].iter().take(rng.range(1, 3)) {
                let t = small(rng);
                out.push((
                    format!("{dir}/patches/{name}.yaml"),
                    talos_strategic_patch(rng, t, &names),
                ));
            }
            let t = small(rng);
            out.push((
                format!("{dir}/patches/kubelet-json.yaml"),
                talos_json_patch(rng, t, &names),
            ));
        }
        35..55 => {
            let dir = format!("kubernetes/{}-{n}", names.team);
            let count = rng.range(2, 7);
            let mut listed = Vec::new();
            for i in 0..count {
                let app = format!("{}-{i}", rng.pick(APPS));
                let t = sample_size(rng);
                let sub = Names {
                    app: app.clone(),
                    ..Names::new(rng, n)
                };
                out.push((format!("{dir}/{app}.yaml"), kube_apps(rng, t, &sub)));
                listed.push(format!("{app}.yaml"));
            }
            out.push((format!("{dir}/kustomization.yaml"), kustomization(&listed)));
        }
        55..70 => {
            let dir = format!("clusters/{}-{}-{n}", names.site, names.env);
            for _ in 0..rng.range(1, 5) {
                let component = rng.pick(COMPONENTS).to_string();
                let t = sample_size(rng);
                let sub = Names {
                    app: format!("{}-{component}", names.app),
                    ..Names::new(rng, n)
                };
                out.push((
                    format!("{dir}/flux/{}-helmrelease.yaml", sub.app),
                    flux_release(rng, t, &sub, &component),
                ));
            }
        }
        70..75 => {
            let dir = format!("edge/{}-{n}", names.site);
            let t = rng.range(600, 8_000);
            out.push((format!("{dir}/edgecluster.yaml"), edge_site(rng, t, &names)));
            let t = small(rng);
            out.push((
                format!("{dir}/schematic.yaml"),
                talos_schematic(rng, t, &names),
            ));
        }
        _ => {
            let dir = format!("terraform/{}-{}-{n}", names.team, names.env);
            out.push((format!("{dir}/providers.tf"), tf_providers(rng, &names)));
            let t = small(rng);
            out.push((format!("{dir}/variables.tf"), tf_variables(rng, t, &names)));
            let t = sample_size(rng);
            out.push((format!("{dir}/main.tf"), tf_main(rng, t, &names)));
            for extra in ["helm", "talos", "network"].iter().take(rng.below(3)) {
                let t = sample_size(rng);
                out.push((format!("{dir}/{extra}.tf"), tf_main(rng, t, &names)));
            }
            let t = small(rng);
            out.push((format!("{dir}/outputs.tf"), tf_outputs(rng, t, &names)));
            for env in ENVS.iter().take(rng.range(1, 4)) {
                let t = small(rng);
                out.push((format!("{dir}/{env}.tfvars"), tfvars(rng, t, &names)));
            }
            if rng.chance(50) {
                let module = rng.pick(&["network", "cluster", "dns", "gpu-pool"]);
                let t = sample_size(rng);
                out.push((
                    format!("{dir}/modules/{module}/main.tf"),
                    tf_main(rng, t, &names),
                ));
                let t = small(rng);
                out.push((
                    format!("{dir}/modules/{module}/variables.tf"),
                    tf_variables(rng, t, &names),
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------- Helm

fn chart_yaml(rng: &mut Rng, names: &Names) -> String {
    let mut s = String::new();
    wl!(s, "apiVersion: v2");
    wl!(s, "name: {}-{}", names.app, names.n);
    wl!(
        s,
        "description: Wrapper chart for {} ({} team)",
        names.app,
        names.team
    );
    wl!(s, "type: application");
    wl!(s, "version: {}", rng.version());
    wl!(s, "appVersion: \"{}\"", rng.version());
    wl!(s, "dependencies:");
    wl!(s, "  - name: {}", names.app);
    wl!(s, "    version: {}", rng.version());
    wl!(s, "    repository: oci://{}/charts", names.registry);
    s
}

/// One component of a values document at `indent` spaces; `anchors` says
/// whether the `&common`, `&resources`, `&probes` and `&labels` anchors exist.
fn helm_component(s: &mut String, rng: &mut Rng, name: &str, indent: usize, anchors: bool) {
    let p = " ".repeat(indent);
    let port = rng.range(3000, 9999);
    wl!(s, "{p}{name}:");
    wl!(
        s,
        "{p}  enabled: {}",
        rng.pick(&["true", "true", "false", "yes"])
    );
    wl!(s, "{p}  replicaCount: {}", rng.range(1, 7));
    if anchors && rng.chance(50) {
        wl!(s, "{p}  <<: *common");
    }
    wl!(s, "{p}  image:");
    wl!(s, "{p}    repository: {}/{name}", rng.pick(TEAMS));
    wl!(s, "{p}    tag: \"{}\"", rng.version());
    wl!(s, "{p}    pullPolicy: IfNotPresent");
    wl!(s, "{p}  resources:");
    if anchors {
        wl!(s, "{p}    <<: *resources");
    } else {
        wl!(s, "{p}    requests:");
        wl!(s, "{p}      cpu: {}m", rng.range(1, 20) * 50);
        wl!(s, "{p}      memory: {}Mi", rng.range(1, 16) * 64);
    }
    wl!(s, "{p}    limits:");
    wl!(s, "{p}      cpu: \"{}\"", rng.range(1, 8));
    wl!(s, "{p}      memory: {}Gi", rng.range(1, 16));
    if anchors {
        wl!(s, "{p}  podLabels: *labels");
    }
    wl!(s, "{p}  livenessProbe:");
    if anchors {
        wl!(s, "{p}    <<: *probes");
    }
    wl!(s, "{p}    httpGet:");
    wl!(s, "{p}      path: /healthz");
    wl!(s, "{p}      port: {port}");
    wl!(s, "{p}  env:");
    for i in 0..rng.range(1, 5) {
        let key = rng.pick(&["LOG_LEVEL", "FEATURE_FLAG", "CACHE_TTL", "REGION", "MODE"]);
        wl!(s, "{p}    - name: {key}_{i}");
        wl!(
            s,
            "{p}      value: \"{}\"",
            rng.pick(&["info", "true", "300", "eu01", "strict"])
        );
    }
    wl!(s, "{p}  service:");
    wl!(
        s,
        "{p}    type: {}",
        rng.pick(&["ClusterIP", "ClusterIP", "LoadBalancer"])
    );
    wl!(s, "{p}    ports:");
    wl!(s, "{p}      - name: http");
    wl!(s, "{p}        port: 80");
    wl!(s, "{p}        targetPort: {port}");
    if rng.chance(50) {
        wl!(s, "{p}  configuration:");
        for i in 0..rng.range(2, 7) {
            let section = rng.pick(&["Authentication", "Storage", "Queue", "Telemetry"]);
            wl!(
                s,
                "{p}    {section}__Option{i}: {}",
                rng.pick(&[
                    "\"false\"",
                    "https://login.example.internal/realms/halo",
                    "\"30\"",
                    "enabled"
                ])
            );
        }
    }
    if rng.chance(40) {
        wl!(s, "{p}  tolerations:");
        wl!(s, "{p}    - key: dedicated");
        wl!(s, "{p}      operator: Equal");
        wl!(s, "{p}      value: {name}");
        wl!(s, "{p}      effect: NoSchedule");
    }
    if rng.chance(40) {
        wl!(s, "{p}  ingress:");
        wl!(s, "{p}    enabled: true");
        wl!(s, "{p}    className: nginx");
        wl!(s, "{p}    hosts:");
        wl!(s, "{p}      - host: {name}.example.internal");
        wl!(s, "{p}        paths: [/, /api, \"/v{}\"]", rng.range(1, 4));
        wl!(
            s,
            "{p}    tls: {{enabled: true, secretName: {name}-tls, minVersion: \"1.2\"}}"
        );
    }
    if rng.chance(30) {
        wl!(s, "{p}  extraConfig: |");
        wl!(s, "{p}    [server]");
        wl!(s, "{p}    port = {port}");
        wl!(s, "{p}    workers = {}", rng.range(1, 33));
        wl!(s, "{p}    [log]");
        wl!(s, "{p}    level = \"info\"");
    }
    if rng.chance(30) {
        wl!(s, "{p}  nodeSelector:");
        wl!(s, "{p}    kubernetes.io/os: linux");
        wl!(
            s,
            "{p}    node.kubernetes.io/instance-type: {}",
            rng.pick(&["c1.4", "g1.2", "Standard_D4s_v5", "m5.xlarge"])
        );
    }
    if rng.chance(25) {
        wl!(s, "{p}  persistence:");
        wl!(s, "{p}    enabled: true");
        wl!(s, "{p}    storageClass: longhorn");
        wl!(s, "{p}    size: {}Gi", rng.range(1, 500));
        wl!(s, "{p}    accessModes: [ReadWriteOnce]");
    }
}

fn helm_values(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 2048);
    wl!(
        s,
        "# Values for {} in the {} environment.",
        names.app,
        names.env
    );
    wl!(s, "common: &common");
    wl!(s, "  team: {}", names.team);
    wl!(s, "  tier: \"{}\"", rng.pick(&["gold", "silver", "bronze"]));
    wl!(s, "labels: &labels");
    wl!(s, "  app.kubernetes.io/part-of: {}", names.app);
    wl!(s, "  team: {}", names.team);
    wl!(s, "defaults: &resources");
    wl!(s, "  requests:");
    wl!(s, "    cpu: {}m", rng.range(1, 20) * 50);
    wl!(s, "    memory: {}Mi", rng.range(1, 16) * 128);
    wl!(
        s,
        "probes: &probes {{initialDelaySeconds: {}, periodSeconds: 15, timeoutSeconds: 3}}",
        rng.range(5, 60)
    );
    wl!(s, "global:");
    wl!(s, "  <<: *common");
    wl!(s, "  imageRegistry: {}", names.registry);
    wl!(s, "  imagePullSecrets:");
    wl!(s, "    - name: {}-pull", names.team);
    wl!(s, "image:");
    wl!(s, "  registry: {}", names.registry);
    wl!(s, "  repository: {}/{}", names.team, names.app);
    wl!(s, "  tag: \"{}\"", rng.version());
    wl!(s, "replicaCount: {}", rng.range(1, 7));
    let mut i = 0;
    while s.len() < target {
        let name = format!("{}{i}", rng.pick(COMPONENTS));
        helm_component(&mut s, rng, &name, 0, true);
        i += 1;
    }
    s
}

fn helm_env_values(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 512);
    wl!(s, "# Overrides for {}.", names.env);
    wl!(s, "image:");
    wl!(s, "  tag: \"{}\"", rng.version());
    wl!(s, "replicaCount: {}", rng.range(1, 10));
    let mut i = 0;
    while s.len() < target {
        let name = format!("{}{i}", rng.pick(COMPONENTS));
        wl!(s, "{name}:");
        wl!(s, "  replicaCount: {}", rng.range(1, 10));
        wl!(s, "  resources:");
        wl!(s, "    limits:");
        wl!(s, "      memory: {}Gi", rng.range(1, 16));
        if rng.chance(50) {
            wl!(s, "  ingress:");
            wl!(s, "    hosts:");
            wl!(s, "      - host: {name}.{}.example.internal", names.env);
        }
        i += 1;
    }
    s
}

// ---------------------------------------------------------------- Talos

fn talos_config(rng: &mut Rng, target: usize, names: &Names, cp: bool, index: usize) -> String {
    let (a, b) = (names.a, names.b);
    let host = format!("{}-{}-{index}", names.site, names.n);
    let mut interfaces = String::new();
    let mut sysctls = String::new();
    let mut files = String::new();
    let mut manifests = String::new();
    let mut docs = String::new();
    // Grow the repeated parts round-robin until the file reaches its target.
    let base = 2_400;
    let mut i = 0;
    while base + interfaces.len() + sysctls.len() + files.len() + manifests.len() + docs.len()
        < target
    {
        match (i % 5, cp) {
            (0, _) => {
                wl!(interfaces, "      - interface: eth{i}");
                wl!(interfaces, "        dhcp: false");
                wl!(interfaces, "        addresses:");
                wl!(
                    interfaces,
                    "          - 10.{a}.{}.{}/24",
                    i % 250,
                    10 + index
                );
                wl!(interfaces, "        mtu: {}", rng.pick(&[1500, 9000]));
                wl!(interfaces, "        routes:");
                wl!(interfaces, "          - network: 0.0.0.0/0");
                wl!(interfaces, "            gateway: 10.{a}.{}.1", i % 250);
                wl!(interfaces, "            metric: {}", rng.range(1, 2048));
                wl!(interfaces, "        vlans:");
                wl!(interfaces, "          - vlanId: {}", rng.range(2, 4000));
                wl!(interfaces, "            dhcp: true");
            }
            (1, _) => {
                wl!(sysctls, "    net.ipv4.conf.eth{i}.rp_filter: \"1\"");
                wl!(
                    sysctls,
                    "    vm.max_map_count{i}: \"{}\"",
                    rng.range(65_536, 524_288)
                );
                wl!(
                    sysctls,
                    "    fs.inotify.max_user_watches{i}: \"{}\"",
                    rng.range(8_192, 1_048_576)
                );
            }
            (2, _) => {
                wl!(files, "    - path: /var/etc/app{i}.conf");
                wl!(files, "      permissions: 0o644");
                wl!(files, "      op: create");
                wl!(files, "      content: |");
                wl!(files, "        [main]");
                wl!(files, "        id = {}", rng.hex(8));
                wl!(files, "        retries = {}", rng.range(1, 10));
            }
            (3, true) => {
                wl!(manifests, "    - name: ns-{i}");
                wl!(manifests, "      contents: |");
                wl!(manifests, "        apiVersion: v1");
                wl!(manifests, "        kind: Namespace");
                wl!(manifests, "        metadata:");
                wl!(manifests, "          name: edge-system-{i}");
                wl!(manifests, "          labels:");
                wl!(
                    manifests,
                    "            pod-security.kubernetes.io/enforce: {}",
                    rng.pick(&["privileged", "baseline", "restricted"])
                );
            }
            _ => {
                wl!(docs, "---");
                wl!(docs, "apiVersion: v1alpha1");
                wl!(docs, "kind: NetworkRuleConfig");
                wl!(docs, "name: rule-{i}");
                wl!(docs, "portSelector:");
                wl!(docs, "  ports:");
                wl!(docs, "    - {}", rng.range(1, 65_535));
                wl!(docs, "    - {}-{}", 30_000 + i, 30_100 + i);
                wl!(docs, "  protocol: {}", rng.pick(&["tcp", "udp"]));
                wl!(docs, "ingress:");
                wl!(docs, "  - subnet: 10.{a}.{}.0/24", i % 250);
                wl!(docs, "    except: 10.{a}.{}.128/28", i % 250);
            }
        }
        i += 1;
    }

    let mut s = String::with_capacity(target + 4096);
    let role = if cp { "controlplane" } else { "worker" };
    wl!(
        s,
        "# {role} machine config for edge site {} node {index} (Talos 1.9, STACKIT Edge Cloud).",
        names.site
    );
    wl!(s, "version: v1alpha1");
    wl!(s, "debug: false");
    wl!(s, "persist: true");
    wl!(s, "machine:");
    wl!(s, "  type: {role}");
    wl!(s, "  token: \"${{TALOS_MACHINE_TOKEN}}\"");
    wl!(s, "  ca:");
    wl!(
        s,
        "    crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t{}",
        rng.hex(24)
    );
    wl!(s, "    key: \"\"");
    wl!(s, "  certSANs:");
    wl!(s, "    - 10.{a}.{b}.10");
    wl!(s, "    - {host}.example.internal");
    wl!(s, "  kubelet:");
    wl!(
        s,
        "    image: ghcr.io/siderolabs/kubelet:v1.31.{}",
        rng.range(0, 8)
    );
    wl!(s, "    extraArgs:");
    wl!(s, "      rotate-server-certificates: \"true\"");
    wl!(s, "      max-pods: \"{}\"", rng.range(100, 250));
    wl!(s, "    nodeIP:");
    wl!(s, "      validSubnets:");
    wl!(s, "        - 10.{a}.{b}.0/24");
    wl!(s, "  network:");
    wl!(s, "    hostname: {host}");
    wl!(s, "    interfaces:");
    wl!(s, "      - interface: eth0");
    wl!(s, "        dhcp: false");
    wl!(s, "        addresses:");
    wl!(s, "          - 10.{a}.{b}.{}/24", 10 + index);
    wl!(s, "        routes:");
    wl!(s, "          - network: 0.0.0.0/0");
    wl!(s, "            gateway: 10.{a}.{b}.1");
    s.push_str(&interfaces);
    wl!(s, "    nameservers:");
    wl!(s, "      - 10.{a}.{b}.2");
    wl!(s, "  install:");
    wl!(s, "    disk: /dev/sda");
    wl!(
        s,
        "    image: image-factory.edge.eu01.stackit.cloud/installer/{}:v1.9.{}",
        rng.hex(8),
        rng.range(0, 6)
    );
    wl!(s, "    wipe: false");
    wl!(s, "    extensions:");
    wl!(
        s,
        "      - image: registry.edge.stackit.cloud/extensions/edgehostlet:v1.7.{}",
        rng.range(0, 5)
    );
    wl!(
        s,
        "      - image: ghcr.io/siderolabs/iscsi-tools:v0.1.{}",
        rng.range(0, 8)
    );
    wl!(s, "  sysctls:");
    wl!(s, "    net.core.somaxconn: \"65535\"");
    wl!(s, "    vm.nr_hugepages: \"{}\"", rng.range(0, 8) * 512);
    s.push_str(&sysctls);
    wl!(s, "  kernel:");
    wl!(s, "    modules:");
    wl!(s, "      - name: br_netfilter");
    if !files.is_empty() {
        wl!(s, "  files:");
        s.push_str(&files);
    }
    wl!(s, "  features:");
    wl!(s, "    rbac: true");
    wl!(s, "    kubePrism:");
    wl!(s, "      enabled: true");
    wl!(s, "      port: 7445");
    wl!(s, "cluster:");
    wl!(s, "  clusterName: {}-{}", names.site, names.n);
    wl!(s, "  controlPlane:");
    wl!(s, "    endpoint: https://10.{a}.{b}.10:6443");
    wl!(s, "  network:");
    wl!(s, "    cni:");
    wl!(s, "      name: {}", rng.pick(&["flannel", "none"]));
    wl!(s, "    podSubnets:");
    wl!(s, "      - 10.244.0.0/16");
    wl!(s, "    serviceSubnets:");
    wl!(s, "      - 10.96.0.0/12");
    if cp {
        wl!(s, "  apiServer:");
        wl!(s, "    certSANs:");
        wl!(s, "      - 10.{a}.{b}.10");
        wl!(s, "  allowSchedulingOnControlPlanes: true");
        if !manifests.is_empty() {
            wl!(s, "  inlineManifests:");
            s.push_str(&manifests);
        }
    }
    wl!(s, "---");
    wl!(s, "apiVersion: v1alpha1");
    wl!(s, "kind: ExtensionServiceConfig");
    wl!(s, "name: edgehostlet");
    wl!(s, "configFiles:");
    wl!(s, "  - content: |");
    wl!(s, "      endpoint: https://edge.eu01.stackit.cloud");
    wl!(s, "      hostID: {}", rng.hex(8));
    wl!(s, "    mountPath: /etc/edgehostlet/config.yaml");
    wl!(s, "environment:");
    wl!(
        s,
        "  - EDGEHOSTLET_LOG_LEVEL={}",
        rng.pick(&["info", "debug", "warn"])
    );
    wl!(s, "---");
    wl!(s, "apiVersion: v1alpha1");
    wl!(s, "kind: NetworkDefaultActionConfig");
    wl!(s, "ingress: {}", rng.pick(&["block", "accept"]));
    s.push_str(&docs);
    s
}

fn talos_strategic_patch(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 512);
    wl!(
        s,
        "# Strategic-merge patch applied to every worker of {}.",
        names.site
    );
    wl!(s, "machine:");
    wl!(s, "  time:");
    wl!(s, "    servers:");
    wl!(s, "      - time.cloudflare.com");
    wl!(s, "  network:");
    wl!(s, "    interfaces:");
    let mut i = 1;
    while s.len() < target {
        wl!(s, "      - interface: eth{i}");
        wl!(s, "        vlans:");
        wl!(s, "          - vlanId: {}", rng.range(2, 4000));
        wl!(
            s,
            "            addresses: [10.{}.{}.5/24]",
            names.a,
            i % 250
        );
        wl!(s, "            mtu: {}", rng.pick(&[1500, 9000]));
        i += 1;
    }
    s
}

fn talos_json_patch(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 512);
    wl!(
        s,
        "# RFC 6902 patch: tighten the kubelet on {}.",
        names.site
    );
    let mut i = 0;
    while s.len() < target || i == 0 {
        match rng.below(3) {
            0 => {
                wl!(s, "- op: add");
                wl!(s, "  path: /machine/kubelet/extraArgs");
                wl!(s, "  value:");
                wl!(s, "    max-pods: \"{}\"", rng.range(100, 250));
            }
            1 => {
                wl!(s, "- op: replace");
                wl!(s, "  path: /machine/network/hostname");
                wl!(s, "  value: {}-{i}", names.site);
            }
            _ => {
                wl!(s, "- op: remove");
                wl!(s, "  path: /cluster/apiServer/admissionControl");
            }
        }
        i += 1;
    }
    s
}

fn talos_schematic(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 256);
    wl!(s, "customization:");
    wl!(s, "  extraKernelArgs:");
    wl!(s, "    - net.ifnames=0");
    wl!(s, "    - console=ttyS{}", rng.below(2));
    wl!(s, "  systemExtensions:");
    wl!(s, "    officialExtensions:");
    wl!(s, "      - siderolabs/iscsi-tools");
    wl!(s, "      - siderolabs/edgehostlet");
    let mut i = 0;
    while s.len() < target {
        wl!(s, "      - siderolabs/{}-ext{i}", names.site);
        i += 1;
    }
    s
}

// ---------------------------------------------------------------- Kubernetes

fn kube_apps(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 3072);
    let ns = format!("{}-{}", names.team, names.n);
    wl!(s, "# {} workloads in {ns}.", names.app);
    let mut i = 0;
    while s.len() < target {
        let app = format!("{}-{i}", names.app);
        let port = rng.range(3000, 9999);
        if i > 0 {
            wl!(s, "---");
        }
        wl!(s, "apiVersion: apps/v1");
        wl!(s, "kind: Deployment");
        wl!(s, "metadata:");
        wl!(s, "  name: {app}");
        wl!(s, "  namespace: {ns}");
        wl!(s, "  labels:");
        wl!(s, "    app.kubernetes.io/name: {app}");
        wl!(s, "    app.kubernetes.io/part-of: {}", names.app);
        wl!(s, "spec:");
        wl!(s, "  replicas: {}", rng.range(1, 7));
        wl!(s, "  selector:");
        wl!(s, "    matchLabels:");
        wl!(s, "      app.kubernetes.io/name: {app}");
        wl!(s, "  template:");
        wl!(s, "    metadata:");
        wl!(s, "      labels:");
        wl!(s, "        app.kubernetes.io/name: {app}");
        wl!(s, "    spec:");
        wl!(s, "      serviceAccountName: {app}");
        wl!(s, "      securityContext:");
        wl!(s, "        runAsNonRoot: true");
        wl!(s, "        seccompProfile:");
        wl!(s, "          type: RuntimeDefault");
        wl!(s, "      containers:");
        wl!(s, "        - name: {app}");
        wl!(
            s,
            "          image: {}/{}:{}",
            names.registry,
            names.app,
            rng.version()
        );
        wl!(s, "          ports:");
        wl!(s, "            - containerPort: {port}");
        wl!(s, "              name: http");
        wl!(s, "          env:");
        for k in 0..rng.range(1, 6) {
            wl!(s, "            - name: SETTING_{k}");
            wl!(s, "              value: \"{}\"", rng.hex(6));
        }
        wl!(s, "          resources:");
        wl!(
            s,
            "            requests: {{cpu: {}m, memory: {}Mi}}",
            rng.range(1, 20) * 50,
            rng.range(1, 16) * 64
        );
        wl!(s, "            limits:");
        wl!(s, "              memory: {}Mi", rng.range(1, 32) * 64);
        wl!(s, "          readinessProbe:");
        wl!(s, "            httpGet:");
        wl!(s, "              path: /ready");
        wl!(s, "              port: http");
        wl!(s, "            periodSeconds: {}", rng.range(5, 30));
        wl!(s, "      nodeSelector:");
        wl!(s, "        kubernetes.io/os: linux");
        wl!(s, "---");
        wl!(s, "apiVersion: v1");
        wl!(s, "kind: Service");
        wl!(s, "metadata:");
        wl!(s, "  name: {app}");
        wl!(s, "  namespace: {ns}");
        wl!(s, "spec:");
        wl!(s, "  type: {}", rng.pick(&["ClusterIP", "NodePort"]));
        wl!(s, "  selector:");
        wl!(s, "    app.kubernetes.io/name: {app}");
        wl!(s, "  ports:");
        wl!(s, "    - name: http");
        wl!(s, "      port: 80");
        wl!(s, "      targetPort: {port}");
        if rng.chance(40) {
            wl!(s, "---");
            wl!(s, "apiVersion: v1");
            wl!(s, "kind: ConfigMap");
            wl!(s, "metadata:");
            wl!(s, "  name: {app}-config");
            wl!(s, "  namespace: {ns}");
            wl!(s, "data:");
            wl!(s, "  LOG_LEVEL: {}", rng.pick(&["info", "debug"]));
            wl!(s, "  app.properties: |");
            wl!(s, "    server.port={port}");
            wl!(s, "    cache.ttl={}", rng.range(10, 3600));
        }
        i += 1;
    }
    s
}

fn kustomization(files: &[String]) -> String {
    let mut s = String::new();
    wl!(s, "apiVersion: kustomize.config.k8s.io/v1beta1");
    wl!(s, "kind: Kustomization");
    wl!(s, "resources:");
    for f in files {
        wl!(s, "  - {f}");
    }
    s
}

fn flux_release(rng: &mut Rng, target: usize, names: &Names, component: &str) -> String {
    let mut s = String::with_capacity(target + 3072);
    let repo = format!("{}-charts", names.team);
    wl!(s, "apiVersion: source.toolkit.fluxcd.io/v1");
    wl!(s, "kind: HelmRepository");
    wl!(s, "metadata:");
    wl!(s, "  name: {repo}");
    wl!(s, "  namespace: flux-system");
    wl!(s, "spec:");
    wl!(s, "  interval: 1h");
    wl!(s, "  type: oci");
    wl!(s, "  url: oci://{}/charts", names.registry);
    let mut release = 0;
    while s.len() < target || release == 0 {
        let name = format!("{}-{release}", names.app);
        wl!(s, "---");
        wl!(s, "apiVersion: helm.toolkit.fluxcd.io/v2");
        wl!(s, "kind: HelmRelease");
        wl!(s, "metadata:");
        wl!(s, "  name: {name}");
        wl!(s, "  namespace: {}", names.team);
        wl!(s, "spec:");
        wl!(s, "  interval: {}m", rng.range(1, 60));
        wl!(s, "  chart:");
        wl!(s, "    spec:");
        wl!(s, "      chart: {}", names.app);
        wl!(s, "      version: {}", rng.version());
        wl!(s, "      sourceRef:");
        wl!(s, "        kind: HelmRepository");
        wl!(s, "        name: {repo}");
        wl!(s, "        namespace: flux-system");
        wl!(s, "  install:");
        wl!(s, "    remediation:");
        wl!(s, "      retries: {}", rng.range(1, 5));
        wl!(s, "  values:");
        wl!(s, "    image:");
        wl!(s, "      registry: {}", names.registry);
        wl!(s, "      tag: {}", rng.version());
        let doc_start = s.len();
        let mut i = 0;
        while (s.len() < target && s.len() - doc_start < 12_000) || i == 0 {
            helm_component(&mut s, rng, &format!("{component}{i}"), 4, false);
            i += 1;
        }
        release += 1;
    }
    s
}

fn edge_site(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 512);
    let site = format!("{}-{}", names.site, names.n);
    let talos = format!("v1.9.{}-stackit.v1.7.{}", rng.range(0, 6), rng.range(0, 4));
    wl!(s, "apiVersion: edge.stackit.cloud/v1alpha1");
    wl!(s, "kind: EdgeImage");
    wl!(s, "metadata:");
    wl!(s, "  name: {site}-image");
    wl!(s, "  namespace: edge-{site}");
    wl!(s, "spec:");
    wl!(s, "  talosVersion: {talos}");
    wl!(s, "  schematic: |");
    wl!(s, "    customization:");
    wl!(s, "      systemExtensions:");
    wl!(s, "        officialExtensions:");
    wl!(s, "          - siderolabs/iscsi-tools");
    wl!(s, "          - siderolabs/qemu-guest-agent");
    wl!(s, "---");
    wl!(s, "apiVersion: edge.stackit.cloud/v1alpha1");
    wl!(s, "kind: EdgeCluster");
    wl!(s, "metadata:");
    wl!(s, "  name: {site}");
    wl!(s, "  namespace: edge-{site}");
    wl!(s, "spec:");
    wl!(s, "  talos:");
    wl!(s, "    version: {talos}");
    wl!(s, "    kubernetes:");
    wl!(s, "      version: v1.31.{}", rng.range(0, 8));
    wl!(s, "  maintenance:");
    wl!(s, "    window: \"Sun 02:00-04:00\"");
    wl!(s, "  nodes:");
    let mut i = 0;
    while s.len() < target || i == 0 {
        wl!(s, "    - edgeHost: srv-{}", rng.hex(8));
        wl!(
            s,
            "      role: {}",
            if i < 3 { "controlplane" } else { "worker" }
        );
        wl!(
            s,
            "      installDisk: /dev/{}",
            rng.pick(&["sda", "nvme0n1"])
        );
        wl!(s, "      labels:");
        wl!(s, "        rack: r{}", rng.range(1, 40));
        i += 1;
    }
    s
}

// ---------------------------------------------------------------- Terraform

fn tf_providers(rng: &mut Rng, names: &Names) -> String {
    let mut s = String::new();
    wl!(s, "terraform {{");
    wl!(s, "  required_version = \">= 1.6\"");
    wl!(s, "  required_providers {{");
    for (name, source) in [
        ("azurerm", "hashicorp/azurerm"),
        ("aws", "hashicorp/aws"),
        ("stackit", "stackitcloud/stackit"),
        ("hyperstack", "NexGenCloud/hyperstack"),
        ("helm", "hashicorp/helm"),
        ("talos", "siderolabs/talos"),
    ] {
        wl!(s, "    {name} = {{");
        wl!(s, "      source  = \"{source}\"");
        wl!(s, "      version = \"~> {}\"", rng.version());
        wl!(s, "    }}");
    }
    wl!(s, "  }}");
    wl!(s, "  backend \"s3\" {{");
    wl!(s, "    bucket = \"tfstate-{}\"", names.team);
    wl!(s, "    key    = \"{}/{}.tfstate\"", names.env, names.app);
    wl!(s, "    region = \"eu-central-1\"");
    wl!(s, "  }}");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "provider \"azurerm\" {{");
    wl!(s, "  features {{}}");
    wl!(s, "  subscription_id = var.subscription_id");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "provider \"aws\" {{");
    wl!(s, "  region = \"eu-west-1\"");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "provider \"aws\" {{");
    wl!(s, "  alias  = \"dr\"");
    wl!(s, "  region = \"eu-central-1\"");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "provider \"stackit\" {{");
    wl!(s, "  default_region = var.region");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "provider \"helm\" {{");
    wl!(s, "  kubernetes {{");
    wl!(s, "    config_path = \"~/.kube/{}\"", names.site);
    wl!(s, "  }}");
    wl!(s, "}}");
    s
}

fn tf_variables(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 512);
    let mut i = 0;
    while s.len() < target || i == 0 {
        let name = format!(
            "{}_{i}",
            rng.pick(&[
                "project_id",
                "region",
                "domain",
                "node_count",
                "tags",
                "zones"
            ])
        );
        wl!(s, "variable \"{name}\" {{");
        match rng.below(4) {
            0 => {
                wl!(s, "  type        = string");
                wl!(
                    s,
                    "  description = \"{} for the {} stack\"",
                    name,
                    names.env
                );
                wl!(
                    s,
                    "  default     = \"{}\"",
                    rng.pick(&["eu01", names.team.as_str()])
                );
            }
            1 => {
                wl!(s, "  type    = number");
                wl!(s, "  default = {}", rng.range(1, 10));
                wl!(s, "  validation {{");
                wl!(s, "    condition     = var.{name} > 0");
                wl!(s, "    error_message = \"{name} must be positive.\"");
                wl!(s, "  }}");
            }
            2 => {
                wl!(s, "  type = map(string)");
                wl!(s, "  default = {{");
                wl!(s, "    team        = \"{}\"", names.team);
                wl!(s, "    environment = \"{}\"", names.env);
                wl!(s, "    \"cost-center\" = \"cc-{}\"", rng.range(100, 999));
                wl!(s, "  }}");
            }
            _ => {
                wl!(s, "  type = object({{");
                wl!(s, "    name    = string");
                wl!(s, "    size    = optional(number, 3)");
                wl!(s, "    zones   = list(string)");
                wl!(s, "  }})");
                wl!(s, "  sensitive = {}", rng.chance(30));
            }
        }
        wl!(s, "}}");
        wl!(s);
        i += 1;
    }
    s
}

fn tf_outputs(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 256);
    let mut i = 0;
    while s.len() < target || i == 0 {
        wl!(s, "output \"{}_{i}\" {{", names.app.replace('-', "_"));
        wl!(
            s,
            "  value     = {}",
            rng.pick(&[
                "azurerm_kubernetes_cluster.main.id",
                "aws_security_group.edge.id",
                "stackit_ske_cluster.main.kube_config",
                "module.network.vpc_id"
            ])
        );
        wl!(s, "  sensitive = {}", rng.chance(20));
        wl!(s, "}}");
        wl!(s);
        i += 1;
    }
    s
}

fn tfvars(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 256);
    wl!(s, "project_id = \"{}-{}\"", rng.hex(8), rng.hex(4));
    wl!(s, "region     = \"eu01\"");
    wl!(s, "domain     = \"{}.example.internal\"", names.env);
    let mut i = 0;
    while s.len() < target {
        match rng.below(3) {
            0 => wl!(s, "node_count_{i} = {}", rng.range(1, 20)),
            1 => wl!(s, "zones_{i} = [\"eu01-1\", \"eu01-{}\"]", rng.range(2, 4)),
            _ => {
                wl!(s, "tags_{i} = {{");
                wl!(s, "  owner = \"{}\"", names.team);
                wl!(s, "  tier  = \"{}\"", rng.pick(&["gold", "silver"]));
                wl!(s, "}}");
            }
        }
        i += 1;
    }
    s
}

fn tf_main(rng: &mut Rng, target: usize, names: &Names) -> String {
    let mut s = String::with_capacity(target + 3072);
    wl!(
        s,
        "# {} stack for {} ({}).",
        names.app,
        names.team,
        names.env
    );
    wl!(s, "locals {{");
    wl!(
        s,
        "  tags = {{ team = \"{}\", \"app.kubernetes.io/name\" = \"{}\" }}",
        names.team,
        names.app
    );
    wl!(s, "  name = \"{}-${{var.env}}\"", names.app);
    wl!(s, "}}");
    wl!(s);
    let mut i = 0;
    while s.len() < target {
        let name = format!("{}_{i}", names.app.replace('-', "_"));
        match rng.below(10) {
            0 | 1 => tf_helm_release(&mut s, rng, &name, names),
            2 => tf_talos_apply(&mut s, rng, &name, names),
            3 => tf_aks(&mut s, rng, &name),
            4 => tf_aws(&mut s, rng, &name),
            5 => tf_stackit(&mut s, rng, &name, names),
            6 => tf_hyperstack(&mut s, rng, &name, names),
            7 => tf_module(&mut s, rng, &name),
            8 => {
                wl!(s, "locals {{");
                wl!(
                    s,
                    "  names_{i} = [for svc in var.services : \"${{var.env}}-${{svc}}\"]"
                );
                wl!(
                    s,
                    "  ports_{i} = {{ for k, v in var.ports : k => v if v > {} }}",
                    rng.range(0, 1024)
                );
                wl!(s, "}}");
                wl!(s);
            }
            _ => {
                wl!(s, "data \"talos_machine_configuration\" \"{name}\" {{");
                wl!(s, "  cluster_name     = \"{}\"", names.site);
                wl!(s, "  machine_type     = \"worker\"");
                wl!(
                    s,
                    "  cluster_endpoint = \"https://10.{}.0.10:6443\"",
                    names.a
                );
                wl!(
                    s,
                    "  config_patches   = [\"machine:\\n  type: worker\\n\", \"cluster: {{allowSchedulingOnControlPlanes: true}}\"]"
                );
                wl!(s, "}}");
                wl!(s);
            }
        }
        i += 1;
    }
    s
}

fn tf_helm_release(s: &mut String, rng: &mut Rng, name: &str, names: &Names) {
    let version = rng.version();
    wl!(s, "resource \"helm_release\" \"{name}\" {{");
    wl!(s, "  name             = \"{}\"", name.replace('_', "-"));
    wl!(
        s,
        "  repository       = \"oci://{}/charts\"",
        names.registry
    );
    wl!(s, "  chart            = \"{}\"", names.app);
    wl!(s, "  version          = \"{version}\"");
    wl!(s, "  namespace        = \"{}\"", names.team);
    wl!(s, "  create_namespace = true");
    wl!(s, "  timeout          = {}", rng.range(3, 20) * 60);
    wl!(s);
    wl!(s, "  values = [");
    wl!(s, "    <<-EOT");
    wl!(s, "    image:");
    wl!(s, "      tag: \"{version}\"");
    wl!(s, "    ingress:");
    wl!(s, "      enabled: true");
    wl!(s, "      tls:");
    wl!(s, "        enabled: true");
    wl!(s, "        domain: \"{}.${{var.domain}}\"", names.app);
    wl!(s, "    resources:");
    wl!(s, "      limits:");
    wl!(s, "        memory: {}Gi", rng.range(1, 16));
    wl!(s, "    EOT");
    wl!(s, "    ,");
    wl!(s, "    yamlencode({{");
    wl!(s, "      replicaCount = {}", rng.range(1, 7));
    wl!(s, "      podLabels = {{");
    wl!(s, "        team = \"{}\"", names.team);
    wl!(s, "      }}");
    wl!(s, "    }}),");
    wl!(
        s,
        "    file(\"${{path.module}}/values/{}.yaml\"),",
        names.env
    );
    wl!(s, "  ]");
    wl!(s);
    for (key, value) in [
        ("image.tag", version.clone()),
        ("replicaCount", rng.range(1, 7).to_string()),
        (
            "configuration.Authentication__Authority",
            "https://login.example.internal/realms/halo".to_string(),
        ),
    ]
    .iter()
    .take(rng.range(1, 4))
    {
        wl!(s, "  set {{");
        wl!(s, "    name  = \"{key}\"");
        wl!(s, "    value = \"{value}\"");
        wl!(s, "  }}");
        wl!(s);
    }
    wl!(s, "  set_sensitive {{");
    wl!(s, "    name  = \"auth.clientSecret\"");
    wl!(s, "    value = var.client_secret");
    wl!(s, "  }}");
    wl!(s, "}}");
    wl!(s);
}

fn tf_talos_apply(s: &mut String, rng: &mut Rng, name: &str, names: &Names) {
    wl!(
        s,
        "resource \"talos_machine_configuration_apply\" \"{name}\" {{"
    );
    wl!(
        s,
        "  client_configuration        = talos_machine_secrets.this.client_configuration"
    );
    wl!(
        s,
        "  machine_configuration_input = data.talos_machine_configuration.cp.machine_configuration"
    );
    wl!(
        s,
        "  node                        = \"10.{}.{}.{}\"",
        names.a,
        names.b,
        rng.range(10, 250)
    );
    wl!(s, "  config_patches = [");
    wl!(s, "    yamlencode({{");
    wl!(s, "      machine = {{");
    wl!(s, "        install = {{");
    wl!(
        s,
        "          disk = \"/dev/{}\"",
        rng.pick(&["sda", "nvme0n1"])
    );
    wl!(s, "        }}");
    wl!(s, "        kubelet = {{");
    wl!(
        s,
        "          extraArgs = {{ \"rotate-server-certificates\" = \"true\" }}"
    );
    wl!(s, "        }}");
    wl!(s, "      }}");
    wl!(s, "    }}),");
    wl!(s, "    <<-EOT");
    wl!(s, "    machine:");
    wl!(s, "      sysctls:");
    wl!(
        s,
        "        vm.max_map_count: \"{}\"",
        rng.range(65_536, 524_288)
    );
    wl!(s, "      network:");
    wl!(s, "        hostname: {}-{}", names.site, rng.range(0, 100));
    wl!(s, "    EOT");
    wl!(s, "  ]");
    wl!(s, "}}");
    wl!(s);
}

fn tf_aks(s: &mut String, rng: &mut Rng, name: &str) {
    wl!(s, "resource \"azurerm_kubernetes_cluster\" \"{name}\" {{");
    wl!(
        s,
        "  name                    = \"{}\"",
        name.replace('_', "-")
    );
    wl!(s, "  location                = var.location");
    wl!(
        s,
        "  resource_group_name     = azurerm_resource_group.main.name"
    );
    wl!(s, "  dns_prefix              = \"{name}\"");
    wl!(s, "  kubernetes_version      = \"1.{}\"", rng.range(28, 32));
    wl!(s, "  node_os_upgrade_channel = \"NodeImage\"");
    wl!(s, "  sku_tier                = \"Standard\"");
    wl!(s);
    wl!(s, "  default_node_pool {{");
    wl!(s, "    name       = \"system\"");
    wl!(
        s,
        "    vm_size    = \"{}\"",
        rng.pick(&["Standard_D4s_v5", "Standard_D8s_v5"])
    );
    wl!(s, "    node_count = {}", rng.range(1, 10));
    wl!(s, "    zones      = [\"1\", \"2\", \"3\"]");
    wl!(s, "  }}");
    wl!(s);
    wl!(s, "  dynamic \"identity\" {{");
    wl!(s, "    for_each = var.identities");
    wl!(s, "    content {{");
    wl!(s, "      type = identity.value");
    wl!(s, "    }}");
    wl!(s, "  }}");
    wl!(s);
    wl!(s, "  network_profile {{");
    wl!(s, "    network_plugin = \"azure\"");
    wl!(s, "    network_policy = \"calico\"");
    wl!(s, "  }}");
    wl!(s);
    wl!(s, "  tags = local.tags");
    wl!(s, "}}");
    wl!(s);
}

fn tf_aws(s: &mut String, rng: &mut Rng, name: &str) {
    wl!(s, "resource \"aws_security_group\" \"{name}\" {{");
    wl!(s, "  name   = \"{}\"", name.replace('_', "-"));
    wl!(s, "  vpc_id = module.network.vpc_id");
    for port in [443, 22, rng.range(1024, 65_535)] {
        wl!(s, "  ingress {{");
        wl!(s, "    from_port   = {port}");
        wl!(s, "    to_port     = {port}");
        wl!(s, "    protocol    = \"tcp\"");
        wl!(s, "    cidr_blocks = [\"10.{}.0.0/16\"]", rng.range(0, 250));
        wl!(s, "  }}");
    }
    wl!(s, "}}");
    wl!(s);
    wl!(s, "resource \"aws_instance\" \"{name}\" {{");
    wl!(s, "  provider      = aws.dr");
    wl!(s, "  ami           = data.aws_ami.talos.id");
    wl!(
        s,
        "  instance_type = \"{}\"",
        rng.pick(&["m5.xlarge", "c6i.2xlarge"])
    );
    wl!(s, "  count         = {}", rng.range(1, 6));
    wl!(
        s,
        "  vpc_security_group_ids = [aws_security_group.{name}.id]"
    );
    wl!(s, "  root_block_device {{");
    wl!(s, "    volume_size = {}", rng.range(20, 500));
    wl!(s, "    encrypted   = true");
    wl!(s, "  }}");
    wl!(
        s,
        "  tags = merge(local.tags, {{ Name = \"{name}-${{count.index}}\" }})"
    );
    wl!(s, "}}");
    wl!(s);
}

fn tf_stackit(s: &mut String, rng: &mut Rng, name: &str, names: &Names) {
    wl!(s, "resource \"stackit_ske_cluster\" \"{name}\" {{");
    wl!(s, "  project_id             = var.project_id");
    wl!(
        s,
        "  name                   = \"{}\"",
        &names.app[..names.app.len().min(8)]
    );
    wl!(s, "  kubernetes_version_min = \"1.{}\"", rng.range(29, 32));
    wl!(s, "  node_pools = [");
    for pool in 0..rng.range(1, 4) {
        wl!(s, "    {{");
        wl!(s, "      name               = \"pool-{pool}\"");
        wl!(
            s,
            "      machine_type       = \"{}\"",
            rng.pick(&["c1.4", "g1.2", "m1.8"])
        );
        wl!(s, "      minimum            = {}", rng.range(1, 3));
        wl!(s, "      maximum            = {}", rng.range(3, 10));
        wl!(s, "      availability_zones = [\"eu01-1\", \"eu01-2\"]");
        wl!(s, "    }},");
    }
    wl!(s, "  ]");
    wl!(s, "  maintenance = {{");
    wl!(s, "    enable_kubernetes_version_updates    = true");
    wl!(s, "    enable_machine_image_version_updates = true");
    wl!(
        s,
        "    start                                = \"01:00:00Z\""
    );
    wl!(
        s,
        "    end                                  = \"02:00:00Z\""
    );
    wl!(s, "  }}");
    wl!(s, "}}");
    wl!(s);
    wl!(s, "resource \"stackit_edgecloud_instance\" \"{name}\" {{");
    wl!(s, "  project_id   = var.project_id");
    wl!(s, "  display_name = \"edge-{}\"", names.site);
    wl!(
        s,
        "  plan_id      = \"p-{}\"",
        rng.pick(&["standard", "large"])
    );
    wl!(s, "  description  = \"Edge site {}\"", names.site);
    wl!(s, "}}");
    wl!(s);
}

fn tf_hyperstack(s: &mut String, rng: &mut Rng, name: &str, names: &Names) {
    wl!(s, "resource \"hyperstack_core_environment\" \"{name}\" {{");
    wl!(s, "  name   = \"{}-{}\"", names.team, names.env);
    wl!(s, "  region = \"{}\"", rng.pick(&["NORWAY-1", "CANADA-1"]));
    wl!(s, "}}");
    wl!(s);
    wl!(
        s,
        "resource \"hyperstack_core_virtual_machine\" \"{name}\" {{"
    );
    wl!(s, "  name               = \"{}\"", name.replace('_', "-"));
    wl!(
        s,
        "  environment_name   = hyperstack_core_environment.{name}.name"
    );
    wl!(s, "  image_name         = \"Ubuntu Server 22.04 LTS\"");
    wl!(
        s,
        "  flavor_name        = \"{}\"",
        rng.pick(&["n3-A100x1", "n3-H100x8", "n3-L40x2"])
    );
    wl!(s, "  key_name           = var.key_name");
    wl!(s, "  assign_floating_ip = {}", rng.chance(50));
    wl!(s, "  count              = var.gpu_nodes");
    wl!(s, "  labels             = [\"gpu\", \"{}\"]", names.env);
    wl!(s, "  user_data          = <<-EOF");
    wl!(s, "    #cloud-config");
    wl!(s, "    package_update: true");
    wl!(s, "    packages:");
    wl!(s, "      - nvidia-driver-{}", rng.range(525, 560));
    wl!(s, "  EOF");
    wl!(s, "}}");
    wl!(s);
}

fn tf_module(s: &mut String, rng: &mut Rng, name: &str) {
    let net = rng.range(0, 250);
    wl!(s, "module \"{name}\" {{");
    wl!(
        s,
        "  source  = \"./modules/{}\"",
        rng.pick(&["network", "cluster", "dns"])
    );
    wl!(s, "  name    = \"{}\"", name.replace('_', "-"));
    wl!(s, "  cidr    = \"10.{net}.0.0/16\"");
    wl!(
        s,
        "  tags    = merge(local.tags, {{ component = \"{name}\" }})"
    );
    wl!(
        s,
        "  subnets = {{ for i, z in var.zones : z => cidrsubnet(\"10.{net}.0.0/16\", 8, i) }}"
    );
    wl!(s, "}}");
    wl!(s);
}

// ---------------------------------------------------------------- changes

/// Changes a file the way a small pull request would: one to three integer
/// values (`replicas: 3`, `node_count = 3`) are incremented. Returns `None`
/// when the file has no such value.
pub fn modify(text: &str, rng: &mut Rng) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let candidates: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| integer_value(l).is_some())
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let mut chosen: Vec<usize> = (0..rng.range(1, 4))
        .map(|_| *rng.pick(&candidates))
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in lines.iter().enumerate() {
        match integer_value(line) {
            Some((start, end, n)) if chosen.binary_search(&i).is_ok() => {
                out.push_str(&line[..start]);
                let _ = write!(out, "{}", n + 1);
                out.push_str(&line[end..]);
            }
            _ => out.push_str(line),
        }
    }
    Some(out)
}

/// The byte range and value of a line's unquoted integer after `: ` or `= `.
fn integer_value(line: &str) -> Option<(usize, usize, u64)> {
    let body = line.trim_end_matches(['\n', '\r']);
    let end = body.len();
    let start = body
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    if start == end || end - start > 9 {
        return None;
    }
    let before = &body[..start];
    if !(before.ends_with(": ") || before.ends_with("= ")) {
        return None;
    }
    body[start..end].parse().ok().map(|n| (start, end, n))
}
