//! HCL expressions into [`Node`] trees: literals become typed values, arrays
//! and objects become sequences and mappings, everything else (references,
//! function calls, templates with interpolation) becomes an expression value
//! with normalized source text. Spans are converted from byte offsets.

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::{Element, Template};

use super::tree::{Entry, Node, NodeKind, Scalar};
use crate::setting::{Pos, Span, Value};
use crate::source::Source;

/// Converts a byte range into a span.
pub fn span_of(src: &Source, range: Option<Range<usize>>) -> Span {
    match range {
        Some(r) => Span::new(src.pos_of_byte(r.start), src.pos_of_byte(r.end)),
        None => Span::at(Pos::new(1, 1)),
    }
}

/// A key written twice in one object literal (the last one is used, as in Terraform).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The key.
    pub key: String,
    /// Where it is written first.
    pub first: Span,
    /// Where it is written again (the one used).
    pub again: Span,
}

/// The tree of an expression (a repeated key keeps its last value).
pub fn node(src: &Source, expr: &Expression) -> Node {
    node_noting(src, expr, &mut Vec::new())
}

/// The tree of an expression; repeated keys of its object literals keep
/// their last value and are listed in `dups`.
pub fn node_noting(src: &Source, expr: &Expression, dups: &mut Vec<Duplicate>) -> Node {
    let span = span_of(src, expr.span());
    let kind = match expr {
        Expression::Array(items) => {
            NodeKind::Seq(items.iter().map(|e| node_noting(src, e, dups)).collect())
        }
        Expression::Object(object) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(object.len());
            for (key, value) in object.iter() {
                let (name, key_span) = object_key(src, key);
                let value = node_noting(src, value.expr(), dups);
                let literal =
                    !matches!(key, ObjectKey::Expression(e) if !matches!(e, Expression::String(_)));
                if literal {
                    if let Some(i) = entries.iter().position(|e| e.key == name) {
                        let first = entries.remove(i);
                        dups.push(Duplicate {
                            key: name.clone(),
                            first: first.key_span,
                            again: key_span,
                        });
                    }
                }
                entries.push(Entry {
                    key: name,
                    key_span,
                    value,
                });
            }
            NodeKind::Map(entries)
        }
        Expression::Parenthesis(inner) => return node_noting(src, inner.inner(), dups),
        other => NodeKind::Scalar(Scalar::Value(value(src, other))),
    };
    Node { span, kind }
}

/// The value of a scalar expression.
pub fn value(src: &Source, expr: &Expression) -> Value {
    match expr {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => Value::Number(number_text(&n.value().to_string())),
        Expression::String(s) => Value::Str(s.value().clone()),
        Expression::StringTemplate(t) => literal(t).map_or_else(|| raw(src, expr), Value::Str),
        Expression::HeredocTemplate(h) => {
            literal(&h.template).map_or_else(|| raw(src, expr), Value::Str)
        }
        Expression::Array(_) | Expression::Object(_) => match node(src, expr).kind {
            NodeKind::Seq(i) => Value::Seq(i.len()),
            NodeKind::Map(e) => Value::Map(e.len()),
            NodeKind::Scalar(_) => Value::Null,
        },
        _ => raw(src, expr),
    }
}

/// The text of a template made only of literals (no interpolation or directive).
pub fn literal(template: &Template) -> Option<String> {
    let mut out = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(s) => out.push_str(s.value()),
            _ => return None,
        }
    }
    Some(out)
}

/// A non-literal expression as source text, as written (compared without
/// layout: see [`Value`]).
fn raw(src: &Source, expr: &Expression) -> Value {
    let text = expr
        .span()
        .and_then(|r| src.text().get(r))
        .unwrap_or_default();
    Value::Expr(text.trim_end().to_string())
}

/// Canonical number text: integers in decimal, floats as Rust prints them.
fn number_text(text: &str) -> String {
    if let Ok(i) = text.parse::<i128>() {
        return i.to_string();
    }
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), |f| f.to_string())
}

/// The key of an object entry and where it is written. Identifiers and
/// plain quoted keys are read from the source text: a repeated key was
/// renamed in the text that was parsed (see [`hcl_dup`](super::hcl_dup)).
fn object_key(src: &Source, key: &ObjectKey) -> (String, Span) {
    let range = key.span();
    let span = span_of(src, range.clone());
    let written = range.and_then(|r| src.text().get(r));
    let text = match key {
        ObjectKey::Ident(ident) => {
            written.map_or_else(|| ident.value().to_string(), str::to_string)
        }
        ObjectKey::Expression(Expression::String(s)) => written
            .and_then(|w| w.strip_prefix('"')?.strip_suffix('"'))
            .filter(|inner| !inner.contains(['\\', '"', '$', '%']))
            .map_or_else(|| s.value().clone(), str::to_string),
        ObjectKey::Expression(e) => match value(src, e) {
            Value::Str(s) | Value::Expr(s) | Value::Number(s) => s,
            other => other.to_string(),
        },
    };
    (text, span)
}
