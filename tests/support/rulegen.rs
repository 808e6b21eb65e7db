//! Minimal files for a pack rule, derived from the rule's own data (format,
//! key-path glob, value pattern, chart, resource, kind, name, document), and
//! rendered in the rule's format: Helm values, a Kubernetes object, a Talos
//! document, or a Terraform block. Wildcards are filled in with a word, so
//! the generator keeps working when the packs change.

use demarcate::formats::{FileHint, FileKind};
use demarcate::packs::glob::{GlobSeg, TextGlob};
use demarcate::packs::rule::Rule;
use demarcate::setting::Format;

use super::rulegen_ctx::{self, Switch};

/// A key or a list index of a generated path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A generated tree: mappings keep their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
    Leaf(String),
}

impl Tree {
    /// Sets the leaf at `path` (making the mappings and lists on the way).
    pub fn insert(&mut self, path: &[Seg], value: &str) {
        let Some((first, rest)) = path.split_first() else {
            *self = Tree::Leaf(value.to_string());
            return;
        };
        let empty = |rest: &[Seg]| match rest.first() {
            Some(Seg::Index(_)) => Tree::Seq(Vec::new()),
            Some(Seg::Key(_)) => Tree::Map(Vec::new()),
            None => Tree::Leaf(String::new()),
        };
        match first {
            Seg::Key(k) => {
                if !matches!(self, Tree::Map(_)) {
                    *self = Tree::Map(Vec::new());
                }
                let Tree::Map(entries) = self else { return };
                if let Some((_, child)) = entries.iter_mut().find(|(key, _)| key == k) {
                    child.insert(rest, value);
                } else {
                    let mut child = empty(rest);
                    child.insert(rest, value);
                    entries.push((k.clone(), child));
                }
            }
            Seg::Index(n) => {
                if !matches!(self, Tree::Seq(_)) {
                    *self = Tree::Seq(Vec::new());
                }
                let Tree::Seq(items) = self else { return };
                while items.len() <= *n {
                    items.push(empty(rest));
                }
                items[*n].insert(rest, value);
            }
        }
    }

    /// Removes the leaf at `path` (and mappings left empty by it).
    pub fn remove(&mut self, path: &[Seg]) -> bool {
        let Some((first, rest)) = path.split_first() else {
            return false;
        };
        match (self, first) {
            (Tree::Map(entries), Seg::Key(k)) => {
                let Some(i) = entries.iter().position(|(key, _)| key == k) else {
                    return false;
                };
                if rest.is_empty() || {
                    let child = &mut entries[i].1;
                    child.remove(rest) && child.is_empty()
                } {
                    entries.remove(i);
                }
                true
            }
            (Tree::Seq(items), Seg::Index(n)) if *n < items.len() => {
                if rest.is_empty() || {
                    let child = &mut items[*n];
                    child.remove(rest) && child.is_empty()
                } {
                    items.remove(*n);
                }
                true
            }
            _ => false,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Tree::Map(m) => m.is_empty(),
            Tree::Seq(s) => s.is_empty(),
            Tree::Leaf(_) => false,
        }
    }
}

/// How a tree is written (controls: the same settings written otherwise).
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Indentation width.
    pub indent: usize,
    /// Mapping keys in reverse order.
    pub reversed: bool,
    /// Comments and blank lines between entries.
    pub comments: bool,
}

impl Style {
    pub fn plain() -> Style {
        Style {
            indent: 2,
            ..Style::default()
        }
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn yaml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// Renders a tree as block YAML.
pub fn yaml(tree: &Tree, style: Style) -> String {
    let mut out = String::new();
    yaml_into(tree, 0, style, &mut out);
    if out.is_empty() {
        "{}\n".to_string()
    } else {
        out
    }
}

fn yaml_into(tree: &Tree, depth: usize, style: Style, out: &mut String) {
    let pad = " ".repeat(depth * style.indent);
    match tree {
        Tree::Map(entries) => {
            let mut list: Vec<&(String, Tree)> = entries.iter().collect();
            if style.reversed {
                list.reverse();
            }
            for (k, v) in list {
                if style.comments {
                    out.push_str(&format!("\n{pad}# about {k}\n"));
                }
                match v {
                    Tree::Leaf(s) => out.push_str(&format!("{pad}{}: {}\n", yaml_key(k), quote(s))),
                    Tree::Map(m) if m.is_empty() => {
                        out.push_str(&format!("{pad}{}: {{}}\n", yaml_key(k)))
                    }
                    Tree::Seq(s) if s.is_empty() => {
                        out.push_str(&format!("{pad}{}: []\n", yaml_key(k)))
                    }
                    _ => {
                        out.push_str(&format!("{pad}{}:\n", yaml_key(k)));
                        yaml_into(v, depth + 1, style, out);
                    }
                }
            }
        }
        Tree::Seq(items) => {
            for item in items {
                match item {
                    Tree::Leaf(s) => out.push_str(&format!("{pad}- {}\n", quote(s))),
                    _ => {
                        let mut inner = String::new();
                        yaml_into(item, depth + 1, style, &mut inner);
                        let trimmed = inner.trim_start_matches('\n');
                        let body = trimmed.trim_start();
                        out.push_str(&format!("{pad}- {body}"));
                        if body.is_empty() {
                            out.push_str("{}\n");
                        }
                    }
                }
            }
        }
        Tree::Leaf(s) => out.push_str(&format!("{pad}{}\n", quote(s))),
    }
}

/// Renders a tree whose top levels are Terraform blocks (`resource.TYPE.NAME…`).
pub fn hcl(tree: &Tree, style: Style) -> String {
    let mut out = String::new();
    let Tree::Map(top) = tree else { return out };
    for (block, body) in top {
        let labels = match block.as_str() {
            "resource" | "data" => 2,
            "module" | "provider" | "variable" | "output" => 1,
            _ => 0,
        };
        hcl_block(block, body, labels, Vec::new(), style, &mut out);
    }
    out
}

fn hcl_block(
    kind: &str,
    body: &Tree,
    labels: usize,
    mut got: Vec<String>,
    style: Style,
    out: &mut String,
) {
    if got.len() < labels {
        if let Tree::Map(entries) = body {
            for (label, inner) in entries {
                let mut next = got.clone();
                next.push(label.clone());
                hcl_block(kind, inner, labels, next, style, out);
            }
        }
        return;
    }
    let head: String = got.drain(..).map(|l| format!(" {}", quote(&l))).collect();
    out.push_str(&format!("{kind}{head} {{\n"));
    hcl_body(body, 1, style, out);
    out.push_str("}\n");
}

fn hcl_body(tree: &Tree, depth: usize, style: Style, out: &mut String) {
    let pad = " ".repeat(depth * style.indent);
    let Tree::Map(entries) = tree else { return };
    let mut list: Vec<&(String, Tree)> = entries.iter().collect();
    if style.reversed {
        list.reverse();
    }
    for (k, v) in list {
        if style.comments {
            out.push_str(&format!("\n{pad}# about {k}\n"));
        }
        match v {
            Tree::Leaf(s) => out.push_str(&format!("{pad}{k} = {}\n", quote(s))),
            Tree::Seq(items) => {
                for item in items {
                    out.push_str(&format!("{pad}{k} {{\n"));
                    hcl_body(item, depth + 1, style, out);
                    out.push_str(&format!("{pad}}}\n"));
                }
            }
            Tree::Map(_) => {
                out.push_str(&format!("{pad}{k} {{\n"));
                hcl_body(v, depth + 1, style, out);
                out.push_str(&format!("{pad}}}\n"));
            }
        }
    }
}

/// A glob's text with its wildcards filled by `fill`.
pub fn fill(glob: &TextGlob, fill: &str) -> String {
    glob.as_str().replace('*', fill).replace('?', "q")
}

/// A concrete key path for a rule's path glob.
fn concrete_path(rule: &Rule) -> Vec<Seg> {
    let mut out = Vec::new();
    let segs = rule.path.segments();
    // A Terraform block written once has no index: `[*]` is the second of two.
    let blocks = rule.format == Some(Format::Terraform)
        && matches!(segs.first(), Some(GlobSeg::Key(g)) if g.as_str() != "var");
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            GlobSeg::Key(g) => out.push(Seg::Key(fill(g, "x"))),
            GlobSeg::Index(n) => out.push(Seg::Index(*n)),
            GlobSeg::AnyIndex => out.push(Seg::Index(usize::from(blocks))),
            GlobSeg::Deep => {
                if i + 1 == segs.len() {
                    out.push(Seg::Key("k".to_string()));
                }
            }
        }
    }
    out
}

/// What a generated file is made of; mutations edit it and render it again.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The format's file kind.
    pub kind: FileKind,
    /// File name (without folder).
    pub name: String,
    /// The chart (Helm values only), through the file hint.
    pub chart: Option<String>,
    /// The whole tree.
    pub tree: Tree,
    /// The rule's setting inside `tree`.
    pub path: Vec<Seg>,
    /// Its value.
    pub value: String,
    /// Terraform: rendered as HCL.
    pub hcl: bool,
    /// Where the carrier's identity lives in the tree (kind, name or
    /// resource type), to rename it.
    pub carrier: Option<Vec<Seg>>,
    /// Documents of the file before `tree` (Flux sources, a `HelmRelease`).
    pub docs: Vec<Tree>,
    /// Places whose value makes the rule apply (its repository or image).
    pub switches: Vec<Switch>,
}

impl Generated {
    /// The text in a style.
    pub fn text(&self, style: Style) -> String {
        if self.kind == FileKind::Tfvars {
            let mut out = String::new();
            hcl_body(&self.tree, 0, style, &mut out);
            out
        } else if self.hcl {
            hcl(&self.tree, style)
        } else {
            let mut out: String = self
                .docs
                .iter()
                .map(|d| format!("{}---\n", yaml(d, style)))
                .collect();
            out.push_str(&yaml(&self.tree, style));
            out
        }
    }

    /// The same file with switch `i` (see [`Generated::switches`]) saying `text`.
    pub fn switched(&self, i: usize, text: &str) -> Generated {
        let mut g = self.clone();
        let Some(s) = self.switches.get(i) else {
            return g;
        };
        match s.doc {
            Some(d) => {
                if let Some(doc) = g.docs.get_mut(d) {
                    doc.insert(&s.path, text);
                }
            }
            None => {
                g.tree.insert(&s.path, text);
                if s.path == g.path {
                    g.value = text.to_string();
                }
            }
        }
        g
    }

    /// The hint a values file gets.
    pub fn hint(&self) -> FileHint {
        FileHint {
            values: self.kind == FileKind::Yaml && self.chart.is_some()
                || self.name == "values.yaml",
            chart: self.chart.clone(),
            ..FileHint::default()
        }
    }

    /// The same file with the rule's value replaced.
    pub fn with_value(&self, value: &str) -> Generated {
        let mut g = self.clone();
        g.tree.insert(&g.path, value);
        g.value = value.to_string();
        g
    }

    /// The same file without the rule's setting.
    pub fn without_setting(&self) -> Generated {
        let mut g = self.clone();
        g.tree.remove(&g.path);
        g
    }

    /// The same file with a sibling setting no rule is about.
    pub fn with_sibling(&self, value: &str) -> Generated {
        let mut g = self.clone();
        let mut path = g.path.clone();
        path.pop();
        path.push(Seg::Key("zz_customer_note".to_string()));
        g.tree.insert(&path, value);
        g
    }
}

/// A minimal file for `rule`, or `None` when its format cannot be generated.
pub fn generate(rule: &Rule) -> Option<Generated> {
    let c = &rule.context;
    let mut value = rule
        .value
        .as_ref()
        .map_or("v1".to_string(), |v| fill(v, "x"));
    let mut path = concrete_path(rule);
    let mut tree = Tree::Map(Vec::new());
    let mut carrier = None;
    let mut switches = Vec::new();
    let format = rule.format.unwrap_or(Format::Helm);
    let (kind, name, hcl) = match format {
        Format::Helm => ("yaml", "values.yaml", false),
        Format::Kubernetes => {
            let k = c
                .kind
                .as_ref()
                .map_or("ConfigMap".to_string(), |g| fill(g, "X"));
            let api = c.api_version.as_ref().map_or_else(
                || rulegen_ctx::api_of(&k).unwrap_or("v1").to_string(),
                |g| fill(g, "x"),
            );
            tree.insert(&[Seg::Key("apiVersion".into())], &api);
            tree.insert(&[Seg::Key("kind".into())], &k);
            let n = c.name.as_ref().map_or("x".to_string(), |g| fill(g, "x"));
            tree.insert(&[Seg::Key("metadata".into()), Seg::Key("name".into())], &n);
            let ns = c
                .namespace
                .as_ref()
                .map_or("default".to_string(), |g| fill(g, "x"));
            tree.insert(
                &[Seg::Key("metadata".into()), Seg::Key("namespace".into())],
                &ns,
            );
            carrier = Some(vec![Seg::Key("metadata".into()), Seg::Key("name".into())]);
            ("yaml", "app.yaml", false)
        }
        Format::Talos => {
            let document = c.document.as_ref().map(|g| fill(g, "x"));
            if document.as_deref() == Some("talconfig") {
                // What makes a file a talhelper config: a cluster name,
                // nodes, and a Talos version.
                tree.insert(&[Seg::Key("clusterName".into())], "edge");
                tree.insert(&[Seg::Key("talosVersion".into())], "v1.9.0");
                if !matches!(path.first(), Some(Seg::Key(k)) if k == "nodes") {
                    tree.insert(
                        &[
                            Seg::Key("nodes".into()),
                            Seg::Index(0),
                            Seg::Key("hostname".into()),
                        ],
                        "n1",
                    );
                }
                ("yaml", "talconfig.yaml", false)
            } else if let Some(k) = &c.kind {
                tree.insert(&[Seg::Key("apiVersion".into())], "v1alpha1");
                tree.insert(&[Seg::Key("kind".into())], &fill(k, "X"));
                let n = c.name.as_ref().map_or("x".to_string(), |g| fill(g, "x"));
                tree.insert(&[Seg::Key("name".into())], &n);
                carrier = Some(vec![Seg::Key("name".into())]);
                ("yaml", "extension.yaml", false)
            } else if matches!(path.first(), Some(Seg::Key(k)) if k == "customization" || k == "overlay")
            {
                ("yaml", "schematic.yaml", false)
            } else {
                if !matches!(path.first(), Some(Seg::Key(k)) if k == "machine" || k == "cluster") {
                    path.insert(0, Seg::Key("machine".into()));
                }
                tree.insert(&[Seg::Key("version".into())], "v1alpha1");
                tree.insert(
                    &[Seg::Key("machine".into()), Seg::Key("type".into())],
                    "controlplane",
                );
                tree.insert(
                    &[Seg::Key("cluster".into()), Seg::Key("clusterName".into())],
                    "edge",
                );
                ("yaml", "controlplane.yaml", false)
            }
        }
        Format::Terraform if matches!(path.first(), Some(Seg::Key(k)) if k == "var") => {
            // A variable value: a `.tfvars` file of top-level attributes.
            path.remove(0);
            ("tfvars", "terraform.tfvars", true)
        }
        Format::Terraform => {
            let block = |p: &[Seg]| matches!(p.first(), Some(Seg::Key(k)) if ["resource", "data", "module", "provider", "variable", "output", "locals", "terraform"].contains(&k.as_str()));
            if !block(&path) {
                if let Some(r) = &c.resource {
                    let mut head = vec![
                        Seg::Key("resource".into()),
                        Seg::Key(fill(r, "x")),
                        Seg::Key("x".into()),
                    ];
                    head.append(&mut path);
                    path = head;
                }
            } else if matches!(rule.path.segments().get(2), Some(GlobSeg::Deep)) && path.len() > 2 {
                // `resource.TYPE.**…`: the name is part of what `**` stands for.
                path.insert(2, Seg::Key("x".into()));
            }
            if let Some(Seg::Key(first)) = path.first() {
                if first == "resource" || first == "data" {
                    // A block type, a name and an attribute at least.
                    if path.len() < 3 {
                        path.push(Seg::Key("x".into()));
                    }
                    if path.len() < 4 {
                        path.push(Seg::Key("k".into()));
                    }
                    if let Some(r) = &c.resource {
                        let r = fill(r, "x");
                        if path.len() > 1 {
                            path[1] = Seg::Key(r);
                        }
                    }
                    if path.len() > 2 {
                        carrier = Some(path[..3].to_vec());
                    }
                    if let Some(chart) = &c.chart {
                        let mut at = path[..3.min(path.len())].to_vec();
                        at.push(Seg::Key("chart".into()));
                        if at != path {
                            tree.insert(&at, &fill(chart, "x"));
                        }
                    }
                    if let Some(repo) = &c.repository {
                        // A helm_release's `repository`: a chart is needed too.
                        let mut at = path[..3.min(path.len())].to_vec();
                        let mut name = at.clone();
                        name.push(Seg::Key("chart".into()));
                        if c.chart.is_none() && name != path {
                            tree.insert(&name, "x");
                        }
                        at.push(Seg::Key("repository".into()));
                        if at == path {
                            value = fill(repo, "x");
                        } else {
                            tree.insert(&at, &fill(repo, "x"));
                        }
                        switches.push(Switch {
                            what: "repository",
                            doc: None,
                            path: at,
                        });
                    }
                }
            }
            ("tf", "main.tf", true)
        }
    };
    let added = rulegen_ctx::add(rule, format, &mut tree, &mut path, &mut value);
    let name = added.name.unwrap_or(name);
    if added.carrier_dropped {
        carrier = None;
    }
    tree.insert(&path, &value);
    let kind = match kind {
        "tf" => FileKind::Terraform,
        "tfvars" => FileKind::Tfvars,
        _ => FileKind::Yaml,
    };
    let chart = (format == Format::Helm && !added.carrier_dropped)
        .then(|| c.chart.as_ref().map(|g| fill(g, "x")))
        .flatten();
    Some(Generated {
        kind,
        name: name.to_string(),
        chart,
        tree,
        path,
        value,
        hcl,
        carrier,
        docs: added.docs,
        switches: {
            switches.extend(added.switches);
            switches
        },
    })
}
