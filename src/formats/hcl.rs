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

/// The tree of an expression.
pub fn node(src: &Source, expr: &Expression) -> Node {
    let span = span_of(src, expr.span());
    let kind = match expr {
        Expression::Array(items) => NodeKind::Seq(items.iter().map(|e| node(src, e)).collect()),
        Expression::Object(object) => NodeKind::Map(
            object
                .iter()
                .map(|(key, value)| {
                    let (key, key_span) = object_key(src, key);
                    Entry {
                        key,
                        key_span,
                        value: node(src, value.expr()),
                    }
                })
                .collect(),
        ),
        Expression::Parenthesis(inner) => return node(src, inner.inner()),
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

/// A non-literal expression as source text: templates verbatim (their
/// whitespace is content), other expressions normalized.
fn raw(src: &Source, expr: &Expression) -> Value {
    let text = expr
        .span()
        .and_then(|r| src.text().get(r))
        .unwrap_or_default();
    match expr {
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            Value::Expr(text.trim_end().to_string())
        }
        _ => Value::Expr(normalize(text)),
    }
}

/// Canonical number text: integers in decimal, floats as Rust prints them.
fn number_text(text: &str) -> String {
    if let Ok(i) = text.parse::<i128>() {
        return i.to_string();
    }
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), |f| f.to_string())
}

/// The key of an object entry and where it is written.
fn object_key(src: &Source, key: &ObjectKey) -> (String, Span) {
    let span = span_of(src, key.span());
    let text = match key {
        ObjectKey::Ident(ident) => ident.value().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
        ObjectKey::Expression(e) => match value(src, e) {
            Value::Str(s) | Value::Expr(s) | Value::Number(s) => s,
            other => other.to_string(),
        },
    };
    (text, span)
}

/// Removes layout from expression text: whitespace and comments outside
/// strings go, except one space between two word characters.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    let mut depth_string = false;
    while let Some(c) = chars.next() {
        if depth_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                depth_string = false;
            }
            continue;
        }
        match c {
            '#' => skip_line(&mut chars),
            '/' if chars.peek() == Some(&'/') => skip_line(&mut chars),
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                if pending_space && is_word(c) && out.chars().next_back().is_some_and(is_word) {
                    out.push(' ');
                }
                pending_space = false;
                if c == '"' {
                    depth_string = true;
                }
                out.push(c);
            }
        }
    }
    out
}

fn skip_line(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for n in chars.by_ref() {
        if n == '\n' {
            break;
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_layout_but_not_strings() {
        assert_eq!(normalize("var.a  +\n  local.b # c\n"), "var.a+local.b");
        assert_eq!(normalize("for x in var.list : x"), "for x in var.list:x");
        assert_eq!(normalize("format(\"a  b\", 1)"), "format(\"a  b\",1)");
        assert_eq!(normalize("a /* x */ + b"), "a+b");
    }
}
