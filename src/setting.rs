//! The uniform model every format is parsed into: a [`Setting`] is one leaf or
//! block of a configuration file, with its [`Format`], stable [`KeyPath`],
//! typed [`Value`], exact [`Span`] and shared [`Context`].

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// The configuration formats demarcate understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Helm chart values (files, or values carried by Terraform, Flux or Argo CD).
    Helm,
    /// Talos machine configuration documents, patches, schematics and talhelper configs.
    Talos,
    /// Kubernetes manifests (any `apiVersion` + `kind` document).
    Kubernetes,
    /// Terraform configuration (`.tf`) and variable files (`.tfvars`).
    Terraform,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 4] = [
        Format::Helm,
        Format::Talos,
        Format::Kubernetes,
        Format::Terraform,
    ];

    /// The lowercase name used in output and in rule packs.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Helm => "helm",
            Format::Talos => "talos",
            Format::Kubernetes => "kubernetes",
            Format::Terraform => "terraform",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in a file: 1-based line, 1-based column counted in characters
/// (Unicode scalar values), not bytes. A byte-order mark is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl Pos {
    /// A position from a 1-based line and column.
    pub fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// A range in a file; `end` is exclusive (the column after the last character),
/// as in SARIF regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First character of the range.
    pub start: Pos,
    /// Position just after the last character of the range.
    pub end: Pos,
}

impl Span {
    /// A span between two positions.
    pub fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }

    /// An empty span at a position.
    pub fn at(pos: Pos) -> Span {
        Span {
            start: pos,
            end: pos,
        }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether the span covers the given 1-based line.
    pub fn contains_line(&self, line: u32) -> bool {
        self.start.line <= line && line <= self.end.line
    }
}

/// A typed value. Scalars keep their meaning, not their spelling: quoting
/// style and number formatting do not change a value, nor does the layout
/// of an expression (see [`Value::same_text`]).
#[derive(Debug, Clone)]
pub enum Value {
    /// `null`, `~` or an empty scalar.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number in canonical text (integers in decimal).
    Number(String),
    /// A string.
    Str(String),
    /// An expression that is not a literal (HCL references, function calls,
    /// templates with interpolation), as written in the file.
    Expr(String),
    /// A mapping or object with this many entries (the entries are settings of their own).
    Map(usize),
    /// A sequence or list with this many items (the items are settings of their own).
    Seq(usize),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Expr(a), Value::Expr(b)) => Value::same_text(a) == Value::same_text(b),
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) | (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Map(a), Value::Map(b)) | (Value::Seq(a), Value::Seq(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Expr(s) => Value::same_text(s).hash(state),
            Value::Number(s) | Value::Str(s) => s.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Map(n) | Value::Seq(n) => n.hash(state),
            Value::Null => {}
        }
    }
}

impl Value {
    /// The text by which an expression compares: without layout, except
    /// for templates and heredocs, whose white space is content.
    pub fn same_text(expr: &str) -> std::borrow::Cow<'_, str> {
        if expr.starts_with('"') || expr.starts_with("<<") {
            std::borrow::Cow::Borrowed(expr)
        } else {
            std::borrow::Cow::Owned(crate::layout::normalize(expr))
        }
    }

    /// Whether this is a block (mapping or sequence) rather than a scalar.
    pub fn is_block(&self) -> bool {
        matches!(self, Value::Map(_) | Value::Seq(_))
    }

    /// The scalar as text, or `None` for blocks.
    pub fn scalar_text(&self) -> Option<&str> {
        match self {
            Value::Null => Some("null"),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            Value::Number(s) | Value::Str(s) | Value::Expr(s) => Some(s),
            Value::Map(_) | Value::Seq(_) => None,
        }
    }
}

impl fmt::Display for Value {
    /// Expressions show as written, their line breaks (with the indentation
    /// after them) as one space so that they fit on a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Map(n) => write!(f, "{{{n} keys}}"),
            Value::Seq(n) => write!(f, "[{n} items]"),
            Value::Expr(s) if s.contains('\n') && !s.starts_with("<<") => {
                let mut lines = s.lines();
                f.write_str(lines.next().unwrap_or_default().trim_end())?;
                for line in lines {
                    f.write_str(" ")?;
                    f.write_str(line.trim())?;
                }
                Ok(())
            }
            other => f.write_str(other.scalar_text().unwrap_or_default()),
        }
    }
}

/// Where a setting comes from beyond its file: the document, chart, resource
/// or object that gives its key path meaning. Shared by every setting of one
/// document or block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// What kind of document the setting is in (`values`, `v1alpha1`,
    /// `ExtensionServiceConfig`, `patch`, `json-patch`, `schematic`,
    /// `talconfig`, `manifest`, `resource`, `tfvars`, …).
    pub document: String,
    /// Helm chart name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    /// Helm release name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Kubernetes `apiVersion` (or Talos document `apiVersion`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kubernetes or Talos document `kind`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Kubernetes namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Kubernetes object name, or Talos document name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Terraform block type (`resource`, `data`, `module`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// Terraform resource or data source type (`azurerm_kubernetes_cluster`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// The key path of the setting that carries this embedded document
    /// (a `helm_release`, a `HelmRelease`, a `config_patches` entry, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// Where the chart comes from: a Helm repository or OCI address
    /// (`repoURL`, `repository`, a Flux source's `url`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The container image the setting configures or runs in (a workload's
    /// first container, a kustomize `images` entry), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// For a subchart's values nested in an umbrella chart's values file:
    /// the key they sit under (the dependency's alias or name). Matchers see
    /// the key path relative to it, as the subchart does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_prefix: Option<String>,
}

/// One leaf or block of a parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The format the key path belongs to.
    pub format: Format,
    /// Repository-relative path with `/` separators.
    pub file: Arc<str>,
    /// Stable key path, e.g. `machine.install.extensions[0].image`.
    pub path: String,
    /// The value; blocks carry their size only.
    pub value: Value,
    /// Where the setting is written: from its key (or item) to the end of its value.
    pub span: Span,
    /// The document, chart, resource or object it belongs to.
    pub context: Arc<Context>,
}

impl Setting {
    /// Whether this setting is a block (its children are settings too).
    pub fn is_block(&self) -> bool {
        self.value.is_block()
    }

    /// The setting, borrowed.
    pub fn view(&self) -> SettingRef<'_> {
        SettingRef {
            format: self.format,
            file: &self.file,
            path: &self.path,
            value: &self.value,
            span: self.span,
            context: &self.context,
        }
    }
}

/// A setting borrowed from the reader that produces it: what classification
/// and the tree-mode judge look at, so that only the settings that are
/// reported (or kept) become an owned [`Setting`].
#[derive(Debug, Clone, Copy)]
pub struct SettingRef<'a> {
    /// The format the key path belongs to.
    pub format: Format,
    /// Repository-relative path with `/` separators.
    pub file: &'a Arc<str>,
    /// Stable key path.
    pub path: &'a str,
    /// The value; blocks carry their size only.
    pub value: &'a Value,
    /// Where the setting is written.
    pub span: Span,
    /// The document, chart, resource or object it belongs to.
    pub context: &'a Arc<Context>,
}

impl SettingRef<'_> {
    /// Whether this setting is a block (its children are settings too).
    pub fn is_block(&self) -> bool {
        self.value.is_block()
    }

    /// An owned copy.
    pub fn to_setting(&self) -> Setting {
        Setting {
            format: self.format,
            file: Arc::clone(self.file),
            path: self.path.to_string(),
            value: self.value.clone(),
            span: self.span,
            context: Arc::clone(self.context),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Value;

    #[test]
    fn expressions_show_as_written_and_compare_without_layout() {
        let written = Value::Expr("merge(local.tags, {\n    Name = \"x\"\n  })".to_string());
        assert_eq!(written.to_string(), "merge(local.tags, { Name = \"x\" })");
        let compact = Value::Expr("merge(local.tags,{Name=\"x\"})".to_string());
        assert_eq!(written, compact);
        let other = Value::Expr("merge(local.tags,{Name=\"y\"})".to_string());
        assert_ne!(written, other);
        // A template's white space is content.
        assert_ne!(
            Value::Expr("\"a ${x}\"".to_string()),
            Value::Expr("\"a  ${x}\"".to_string())
        );
    }
}
