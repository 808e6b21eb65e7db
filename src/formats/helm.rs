//! Helm values: values files, and values carried by other formats (Flux
//! `HelmRelease`, Argo CD `Application`, Terraform `helm_release`). Key paths
//! are relative to the values root (`global.tls.enabled`); the chart and the
//! carrier are context.

use std::sync::Arc;

use super::chart::Dependency;
use super::reader::Reader;
use super::tree::{Node, NodeKind, descend_all};
use crate::keypath;
use crate::setting::{Context, Format, Span, Value};

/// The context of a set of values.
pub fn values_context(
    chart: Option<String>,
    release: Option<String>,
    carrier: Option<String>,
) -> Arc<Context> {
    Arc::new(Context {
        document: "values".to_string(),
        chart,
        release,
        carrier,
        ..Context::default()
    })
}

/// Emits every key of a values mapping (Helm reads values as YAML 1.1).
pub fn read_values(r: &mut Reader<'_>, values: &Node, context: Arc<Context>) {
    let mut f = r.flattener(Format::Helm, context);
    let mut path = String::new();
    f.children(values, &mut path, 0, &mut descend_all);
}

/// Emits a values file of a chart with dependencies: the values under a
/// dependency's key (its alias or name) get the dependency's chart as context,
/// with the key as [`Context::values_prefix`]; `global` and every other key
/// stay the chart's own.
pub fn read_umbrella_values(
    r: &mut Reader<'_>,
    values: &Node,
    context: &Arc<Context>,
    subcharts: &[Dependency],
) {
    let NodeKind::Map(entries) = &values.kind else {
        return;
    };
    if subcharts.is_empty() {
        read_values(r, values, Arc::clone(context));
        return;
    }
    let mut sub: Vec<(String, Arc<Context>)> = Vec::new();
    for e in entries {
        let ctx = match subcharts
            .iter()
            .find(|d| d.key == e.key && e.key != "global")
        {
            Some(dep) => {
                if let Some((_, c)) = sub.iter().find(|(k, _)| *k == e.key) {
                    Arc::clone(c)
                } else {
                    let c = Arc::new(Context {
                        chart: Some(dep.name.clone()),
                        repository: dep.repository.clone(),
                        values_prefix: Some(dep.key.clone()),
                        ..(**context).clone()
                    });
                    sub.push((e.key.clone(), Arc::clone(&c)));
                    c
                }
            }
            None => Arc::clone(context),
        };
        let mut f = r.flattener(Format::Helm, ctx);
        let mut path = String::new();
        keypath::push_key(&mut path, &e.key);
        let span = Span::new(e.key_span.start, e.value.span.end.max(e.key_span.end));
        f.node(&e.value, span, &mut path, 0, &mut descend_all);
    }
}

/// One `--set`-style value: a dotted name and its value.
pub struct SetValue {
    /// The name as Helm's `--set` writes it (`a.b\.c[0]`).
    pub name: String,
    /// The value.
    pub value: Value,
    /// Where the pair is written.
    pub span: Span,
}

/// Emits `--set`-style values (Terraform `set {}` blocks, Argo CD `parameters`).
pub fn read_set_values(
    r: &mut Reader<'_>,
    values: impl IntoIterator<Item = SetValue>,
    context: Arc<Context>,
) {
    let mut f = r.flattener(Format::Helm, context);
    for v in values {
        let path = keypath::join(&keypath::from_helm_set(&v.name));
        if !path.is_empty() {
            f.emit(&path, v.value, v.span);
        }
    }
}
