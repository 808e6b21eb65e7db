//! Helm values: values files, and values carried by other formats (Flux
//! `HelmRelease`, Argo CD `Application`, Terraform `helm_release`). Key paths
//! are relative to the values root (`global.tls.enabled`); the chart and the
//! carrier are context.

use std::sync::Arc;

use super::Reader;
use super::tree::{Flattener, Node, YamlSchema, descend_all};
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
    let mut f = Flattener {
        file: r.file,
        format: Format::Helm,
        context,
        schema: YamlSchema::Yaml11,
        out: r.out,
    };
    let mut path = String::new();
    f.children(values, &mut path, 0, &mut descend_all);
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
    let mut f = Flattener {
        file: r.file,
        format: Format::Helm,
        context,
        schema: YamlSchema::Yaml11,
        out: r.out,
    };
    for v in values {
        let path = keypath::join(&keypath::from_helm_set(&v.name));
        if !path.is_empty() {
            f.emit(&path, v.value, v.span);
        }
    }
}
