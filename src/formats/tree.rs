//! The generic document tree every parser produces (YAML documents, HCL
//! object expressions), and its flattening into [`Setting`]s.

use std::sync::Arc;

use super::out::{Out, Problem, ProblemKind, Sink};
use crate::keypath;
use crate::setting::{Context, Format, SettingRef, Span, Value};

/// Bytes of copied text that count as one node (see [`Node::cost`]).
pub const TEXT_PER_NODE: usize = 64;

/// A node of a parsed document, with the span of its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written.
    pub span: Span,
    /// What the value is.
    pub kind: NodeKind,
}

/// The shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar.
    Scalar(Scalar),
    /// A mapping, in source order (merge keys already expanded).
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
}

/// A scalar, either still as YAML text (typed when the format's YAML schema
/// is known) or already typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// YAML scalar text and how it was written.
    Yaml {
        /// The scalar's content (escapes and folding applied).
        text: String,
        /// How it was written; only plain scalars may be bools, numbers or null.
        style: YamlStyle,
    },
    /// A typed value (from HCL).
    Value(Value),
}

/// How a YAML scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlStyle {
    /// Unquoted (or tagged with a non-string core tag).
    Plain,
    /// Single- or double-quoted (or tagged `!!str` or a custom tag).
    Quoted,
    /// A literal (`|`) block scalar: its lines appear verbatim in the file.
    Literal,
    /// A folded (`>`) block scalar.
    Folded,
}

/// One key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written (the place of use for merged keys).
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A scalar node.
    pub fn scalar(span: Span, scalar: Scalar) -> Node {
        Node {
            span,
            kind: NodeKind::Scalar(scalar),
        }
    }

    /// Value of a key of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The entry of a key of a mapping node.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows a chain of keys.
    pub fn get_path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar node (strings, numbers, bools as written).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(Scalar::Yaml { text, .. }) => Some(text),
            NodeKind::Scalar(Scalar::Value(v)) => v.scalar_text(),
            _ => None,
        }
    }

    /// Entries of a mapping node (empty for other nodes).
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Items of the sequence at a key of a mapping node (empty when there is none).
    pub fn items_at(&self, key: &str) -> &[Node] {
        self.get(key).map_or(&[], Node::items)
    }

    /// Items of a sequence node (empty for other nodes).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// Whether this is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    /// Number of nodes in this subtree (itself included).
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Scalar(_) => 0,
            NodeKind::Map(entries) => entries.iter().map(|e| e.value.size()).sum(),
            NodeKind::Seq(items) => items.iter().map(Node::size).sum(),
        }
    }

    /// What copying this subtree costs against the node budget: its nodes,
    /// plus one for every [`TEXT_PER_NODE`] bytes of scalar text (so that an
    /// alias to a long string costs what it copies).
    pub fn cost(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Scalar(Scalar::Yaml { text, .. }) => text.len() / TEXT_PER_NODE,
            NodeKind::Scalar(Scalar::Value(_)) => 0,
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| e.key.len() / TEXT_PER_NODE + e.value.cost())
                .sum(),
            NodeKind::Seq(items) => items.iter().map(Node::cost).sum(),
        }
    }

    /// Places this subtree at one span (aliases and merge keys are located
    /// at their place of use).
    pub fn relocate(&mut self, span: Span) {
        self.span = span;
        match &mut self.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Map(entries) => {
                for e in entries {
                    e.key_span = span;
                    e.value.relocate(span);
                }
            }
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.relocate(span)),
        }
    }

    /// The typed value of this node under a YAML schema.
    pub fn value(&self, schema: YamlSchema) -> Value {
        match &self.kind {
            NodeKind::Scalar(Scalar::Value(v)) => v.clone(),
            NodeKind::Scalar(Scalar::Yaml { text, style }) => {
                resolve(text, *style == YamlStyle::Plain, schema)
            }
            NodeKind::Map(e) => Value::Map(e.len()),
            NodeKind::Seq(i) => Value::Seq(i.len()),
        }
    }
}

/// How plain YAML scalars are typed: YAML 1.2 core (Talos, Go yaml.v3) or
/// YAML 1.1 (Helm and Kubernetes, Go yaml.v2: `yes`/`on` are booleans).
/// Both read `0755` as octal, as Go's parsers do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlSchema {
    /// YAML 1.2 core schema.
    Core,
    /// YAML 1.1 readings on top of the core schema.
    Yaml11,
}

/// Types a YAML scalar.
pub fn resolve(text: &str, plain: bool, schema: YamlSchema) -> Value {
    if !plain {
        return Value::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if schema == YamlSchema::Yaml11 {
        match text {
            "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => return Value::Bool(true),
            "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => return Value::Bool(false),
            _ => {}
        }
    }
    number(text).map_or_else(|| Value::Str(text.to_string()), Value::Number)
}

/// Canonical text of a YAML number, or `None` if the text is not one.
fn number(text: &str) -> Option<String> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    let (neg, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    // Go's YAML libraries (yaml.v2 for Helm and Kubernetes, yaml.v3 for
    // Talos) both drop `_` and read a leading `0` as octal.
    let body = body.replace('_', "");
    let int = if let Some(hex) = body.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = body.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()
    } else if body.len() > 1 && body.starts_with('0') && !body.contains(['.', 'e', 'E']) {
        i128::from_str_radix(&body[1..], 8).ok()
    } else if body.bytes().all(|b| b.is_ascii_digit()) {
        body.parse::<i128>().ok()
    } else {
        None
    };
    if let Some(n) = int {
        return Some(if neg { (-n).to_string() } else { n.to_string() });
    }
    match body.as_str() {
        ".inf" | ".Inf" | ".INF" => return Some(if neg { "-.inf" } else { ".inf" }.to_string()),
        ".nan" | ".NaN" | ".NAN" if !neg && text == body => return Some(".nan".to_string()),
        _ => {}
    }
    let valid = body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let f: f64 = if valid {
        body.parse().ok()?
    } else {
        return None;
    };
    Some(format!("{}", if neg { -f } else { f }))
}

/// A kind, namespace or name as written in a key-path prefix (`Kind/ns/name:`):
/// characters that would end or split the prefix (`:` `/` `[` `"` `%`),
/// white space and control characters become `%XX` (UTF-8 bytes), so the
/// path still splits into its prefix and key path.
pub fn prefix_part(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| matches!(c, ':' | '/' | '[' | '"' | '%') || c.is_whitespace() || c.is_control();
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What the flattener does at a path (asked before it emits the node).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Emit the node and its children.
    Descend,
    /// Emit the node as a block setting but not its children (they are
    /// emitted by an embedded format instead).
    Carrier,
    /// Emit nothing here.
    Skip,
}

/// Turns document nodes into settings of one format and context.
pub struct Flattener<'a> {
    /// Repository-relative file path.
    pub file: &'a Arc<str>,
    /// Format of the settings.
    pub format: Format,
    /// Context shared by the settings.
    pub context: Arc<Context>,
    /// YAML schema for typing plain scalars.
    pub schema: YamlSchema,
    /// The problem of a file whose settings grow too large, and the budget.
    pub out: &'a mut Out,
    /// Where settings go.
    pub sink: &'a mut dyn Sink,
}

/// Bytes of key paths and values one file's settings may hold per byte of
/// the file (long keys nested deep repeat in every path below them)...
pub const SETTINGS_BYTES_PER_BYTE: usize = 16;
/// ...and at least this many.
pub const MIN_SETTINGS_BYTES: usize = 16 * 1024 * 1024;

/// Most bytes of key paths and values the settings of a file of `len` bytes may hold.
pub fn settings_bytes_limit(len: usize) -> usize {
    len.saturating_mul(SETTINGS_BYTES_PER_BYTE)
        .max(MIN_SETTINGS_BYTES)
}

impl Flattener<'_> {
    /// Emits one setting, unless the file's settings are over their limit
    /// (see [`settings_bytes_limit`]).
    pub fn emit(&mut self, path: &str, value: Value, span: Span) {
        let bytes = path.len() + value.scalar_text().map_or(0, str::len);
        self.out.settings_bytes = self.out.settings_bytes.saturating_add(bytes);
        if self.out.settings_bytes > self.out.settings_limit {
            if !self.out.settings_full {
                self.out.settings_full = true;
                self.out.problems.push(Problem {
                    kind: ProblemKind::Parse,
                    span,
                    message: format!(
                        "the settings of this file take more than {} bytes (long keys nested deep); the rest is not read",
                        self.out.settings_limit
                    ),
                });
            }
            return;
        }
        self.sink.setting(SettingRef {
            format: self.format,
            file: self.file,
            path,
            value: &value,
            span,
            context: &self.context,
        });
    }

    /// Emits the children of `node` under `path` (the node itself is not emitted).
    /// `hook` receives the path relative to `prefix_len` and may stop the descent.
    pub fn children(
        &mut self,
        node: &Node,
        path: &mut String,
        prefix_len: usize,
        hook: &mut dyn FnMut(&str, &Node) -> Visit,
    ) {
        let len = path.len();
        match &node.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Map(entries) => {
                for e in entries {
                    keypath::push_key(path, &e.key);
                    let span = Span::new(e.key_span.start, e.value.span.end.max(e.key_span.end));
                    self.node(&e.value, span, path, prefix_len, hook);
                    path.truncate(len);
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    keypath::push_index(path, i);
                    self.node(item, item.span, path, prefix_len, hook);
                    path.truncate(len);
                }
            }
        }
    }

    /// Emits `node` at `path` with `span`, then its children.
    pub fn node(
        &mut self,
        node: &Node,
        span: Span,
        path: &mut String,
        prefix_len: usize,
        hook: &mut dyn FnMut(&str, &Node) -> Visit,
    ) {
        let rel = &path[prefix_len.min(path.len())..];
        let visit = hook(rel.strip_prefix('.').unwrap_or(rel), node);
        if visit == Visit::Skip {
            return;
        }
        let value = match (visit, &node.kind) {
            // A string carrying a document: its settings stand for its text,
            // unless the document is a bare scalar (no settings of its own):
            // then its value stands for itself, so that a change to it is seen.
            (Visit::Carrier, NodeKind::Scalar(scalar)) if !bare_yaml_scalar(scalar) => {
                Value::Expr("(embedded document)".to_string())
            }
            _ => node.value(self.schema),
        };
        self.emit(path, value, span);
        if visit == Visit::Descend {
            self.children(node, path, prefix_len, hook);
        }
    }
}

/// Whether a YAML string carrying a document holds a bare scalar (no
/// mapping, list or second line): such a document has no settings.
fn bare_yaml_scalar(scalar: &Scalar) -> bool {
    match scalar {
        Scalar::Yaml { text, .. } => {
            let t = text.trim();
            !t.is_empty() && !t.contains([':', '\n']) && !t.starts_with(['-', '[', '{', '#'])
        }
        Scalar::Value(_) => false,
    }
}

/// A hook that descends everywhere.
pub fn descend_all(_: &str, _: &Node) -> Visit {
    Visit::Descend
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_parts_cannot_end_the_prefix() {
        assert_eq!(prefix_part("Deployment"), "Deployment");
        assert_eq!(prefix_part("a: 1\nb"), "a%3A%201%0Ab");
        assert_eq!(prefix_part("x/[\"%"), "x%2F%5B%22%25");
        let path = format!("{}/{}:spec.x", prefix_part("K: |"), prefix_part("n"));
        assert_eq!(crate::keypath::split_prefix(&path).0, Some("K%3A%20|/n"));
    }

    #[test]
    fn yaml_scalars_are_typed_by_schema() {
        use YamlSchema::*;
        assert_eq!(resolve("yes", true, Yaml11), Value::Bool(true));
        assert_eq!(resolve("yes", true, Core), Value::Str("yes".into()));
        assert_eq!(resolve("yes", false, Yaml11), Value::Str("yes".into()));
        assert_eq!(resolve("0755", true, Yaml11), Value::Number("493".into()));
        assert_eq!(resolve("0755", true, Core), Value::Number("493".into()));
        assert_eq!(resolve("0o755", true, Core), Value::Number("493".into()));
        assert_eq!(resolve("1_000", true, Core), Value::Number("1000".into()));
        assert_eq!(resolve("0.5", true, Core), Value::Number("0.5".into()));
        assert_eq!(resolve("0x1F", true, Core), Value::Number("31".into()));
        assert_eq!(resolve("1.50", true, Core), Value::Number("1.5".into()));
        assert_eq!(resolve("-3", true, Core), Value::Number("-3".into()));
        assert_eq!(resolve("1.2.3", true, Core), Value::Str("1.2.3".into()));
        assert_eq!(resolve("v1", true, Core), Value::Str("v1".into()));
        assert_eq!(resolve("~", true, Core), Value::Null);
        assert_eq!(resolve("1e3", true, Core), Value::Number("1000".into()));
        assert_eq!(resolve("-", true, Core), Value::Str("-".into()));
    }
}
