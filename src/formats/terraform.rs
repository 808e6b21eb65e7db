//! Terraform: every block and attribute of `.tf` files under paths such as
//! `resource.azurerm_kubernetes_cluster.main.default_node_pool.vm_size`, and
//! `.tfvars` variables as `var.NAME`. Documents carried by resources are
//! followed where they are literal: `helm_release` values and `set` blocks
//! become Helm settings, Talos `config_patches` and schematics become Talos
//! settings, `kubernetes_manifest` / `kubectl_manifest` become Kubernetes settings.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::hcl_guard::{self, Refusal};
use super::out::{Problem, ProblemKind};
use super::reader::Reader;
use super::terraform_embed::{Carriers, Embedded};
use super::tree::{Flattener, Node, Visit};
use super::{hcl, hcl_dup, terraform_embed};
use crate::keypath;
use crate::setting::{Context, Format, Span, Value};

/// Reads a `.tf` file, or a `.tfvars` file when `tfvars` is set.
pub fn read(r: &mut Reader<'_>, tfvars: bool) {
    if let Err(refusal) = hcl_guard::check(r.src.text()) {
        refused(r, &refusal);
        return;
    }
    let body = match hcl_dup::parse(r.src.text()).0 {
        Ok(body) => body,
        Err(err) => {
            let pos = r.src.pos_of_byte(err.location().offset());
            r.problem(Span::at(pos), format!("HCL: {}", err.message()));
            return;
        }
    };
    if tfvars {
        let context = Arc::new(Context {
            document: "tfvars".to_string(),
            ..Context::default()
        });
        let mut path = "var".to_string();
        walk(r, &body, &mut path, &context, &[], &[]);
        return;
    }
    for structure in body.iter() {
        match structure {
            Structure::Block(block) => top_block(r, block),
            Structure::Attribute(_) => {
                let context = Arc::new(Context {
                    document: "terraform".to_string(),
                    ..Context::default()
                });
                let single = Body::from_iter([structure.clone()]);
                walk(r, &single, &mut String::new(), &context, &[], &[]);
            }
        }
    }
}

/// Notes keys written twice in an object literal (the last one is used).
fn duplicates(r: &mut Reader<'_>, dups: &[hcl::Duplicate]) {
    for d in dups {
        r.out.problems.push(Problem {
            kind: ProblemKind::DuplicateKey,
            span: d.again,
            message: format!(
                "key `{}` is written twice in this object (lines {} and {}); the last one is used, as in Terraform",
                d.key, d.first.start.line, d.again.start.line
            ),
        });
    }
}

/// Notes a file whose parse would take too long: it is not read.
fn refused(r: &mut Reader<'_>, refusal: &Refusal) {
    let (at, message) = match refusal {
        Refusal::Objects { at, entries } => (
            *at,
            format!(
                "an object with about {entries} entries (or too many large objects): over the limit for HCL objects; not read"
            ),
        ),
        Refusal::Heredocs { at } => (
            *at,
            "heredocs without their end line: over the limit for HCL heredocs; not read"
                .to_string(),
        ),
    };
    r.out.problems.push(Problem {
        kind: ProblemKind::Skipped,
        span: Span::at(r.src.pos_of_byte(at)),
        message,
    });
}

fn literal_attr(body: &Body, key: &str) -> Option<String> {
    match &body.get_attribute(key)?.value {
        Expression::String(s) => Some(s.value().clone()),
        _ => None,
    }
}

fn carriers(ident: &str, labels: &[&str], body: &Body) -> Carriers {
    let ty = if matches!(ident, "resource" | "data") {
        labels.first().copied()
    } else {
        None
    };
    match ty {
        Some("helm_release") => Carriers {
            attributes: vec![
                ("values".to_string(), Embedded::HelmValues),
                ("set".to_string(), Embedded::HelmSet),
                ("set_sensitive".to_string(), Embedded::HelmSet),
                ("set_list".to_string(), Embedded::HelmSet),
            ],
            set_blocks: vec!["set", "set_sensitive", "set_list"],
            chart: literal_attr(body, "chart").map(|c| {
                c.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
            release: literal_attr(body, "name"),
            // `repository`, or the address of an OCI chart given whole in `chart`.
            repository: literal_attr(body, "repository").or_else(|| {
                literal_attr(body, "chart").filter(|c| c.starts_with("oci://") || c.contains('/'))
            }),
            known_only: false,
        },
        Some("talos_machine_configuration_apply" | "talos_machine_configuration") => Carriers {
            attributes: vec![("config_patches".to_string(), Embedded::Talos)],
            ..Carriers::default()
        },
        Some("talos_image_factory_schematic") => Carriers {
            attributes: vec![("schematic".to_string(), Embedded::Schematic)],
            ..Carriers::default()
        },
        Some("kubernetes_manifest") => Carriers {
            attributes: vec![("manifest".to_string(), Embedded::Kubernetes)],
            ..Carriers::default()
        },
        Some("kubectl_manifest") => Carriers {
            attributes: vec![("yaml_body".to_string(), Embedded::Kubernetes)],
            ..Carriers::default()
        },
        None if ident == "locals" => Carriers {
            attributes: body
                .attributes()
                .map(|a| (a.key.value().to_string(), Embedded::Talos))
                .collect(),
            known_only: true,
            ..Carriers::default()
        },
        _ => Carriers::default(),
    }
}

fn top_block(r: &mut Reader<'_>, block: &Block) {
    let ident = block.ident.value().as_str();
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    let mut path = String::new();
    keypath::push_key(&mut path, ident);
    for label in &labels {
        keypath::push_key(&mut path, label);
    }
    if ident == "provider" {
        if let Some(alias) = literal_attr(&block.body, "alias") {
            keypath::push_key(&mut path, &alias);
        }
    }
    let carriers = carriers(ident, &labels, &block.body);
    let context = Arc::new(Context {
        document: "terraform".to_string(),
        block: Some(ident.to_string()),
        resource_type: matches!(ident, "resource" | "data")
            .then(|| labels.first().map(|s| s.to_string()))
            .flatten(),
        name: labels.last().map(|s| s.to_string()),
        // A helm_release's own settings (version, namespace, …) know their chart too.
        chart: carriers.chart.clone(),
        release: carriers.release.clone(),
        repository: carriers.repository.clone(),
        ..Context::default()
    });
    let span = hcl::span_of(r.src, block.span());
    flattener(r, &context).emit(&path, Value::Map(block.body.len()), span);
    let followed = terraform_embed::carried(r, &block.body, &path, &carriers);
    let follow_paths: Vec<&str> = followed.iter().map(|f| f.rel.as_str()).collect();
    walk(
        r,
        &block.body,
        &mut path,
        &context,
        &carriers.set_blocks,
        &follow_paths,
    );
    terraform_embed::emit_followed(r, &block.body, &path, &carriers, followed);
}

fn flattener<'a>(r: &'a mut Reader<'_>, context: &Arc<Context>) -> Flattener<'a> {
    r.flattener(Format::Terraform, Arc::clone(context))
}

/// Emits the attributes and nested blocks of a body under `path`. Blocks
/// named in `set_blocks` and attribute elements at `follow` paths are
/// emitted without their contents (those are followed into another format).
fn walk(
    r: &mut Reader<'_>,
    body: &Body,
    path: &mut String,
    context: &Arc<Context>,
    set_blocks: &[&str],
    follow: &[&str],
) {
    // A set: a carrier attribute may hold many elements, and every node asks.
    let follow: HashSet<&str> = follow.iter().copied().collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for b in body.blocks() {
        *counts.entry(b.ident.value().as_str()).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let len = path.len();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                keypath::push_key(path, attr.key.value().as_str());
                let mut dups = Vec::new();
                let node = hcl::node_noting(r.src, &attr.value, &mut dups);
                duplicates(r, &dups);
                let span = hcl::span_of(r.src, attr.span());
                let mut hook = |rel: &str, _: &Node| {
                    if follow.contains(rel) {
                        Visit::Carrier
                    } else {
                        Visit::Descend
                    }
                };
                flattener(r, context).node(&node, span, path, len, &mut hook);
            }
            Structure::Block(block) => {
                let ident = block.ident.value().as_str();
                keypath::push_key(path, ident);
                if counts.get(ident).copied().unwrap_or(0) > 1 {
                    let i = seen.entry(ident).or_default();
                    keypath::push_index(path, *i);
                    *i += 1;
                }
                for label in &block.labels {
                    keypath::push_key(path, label.as_str());
                }
                let span = hcl::span_of(r.src, block.span());
                flattener(r, context).emit(path, Value::Map(block.body.len()), span);
                if !set_blocks.contains(&ident) {
                    walk(r, &block.body, path, context, &[], &[]);
                }
            }
        }
        path.truncate(len);
    }
}
