//! Natural keys of list items, so that inserting an item does not make every
//! later item look changed:
//!
//! - a scalar item is matched by its value (type included);
//! - a mapping item by the first of [`FIELDS`] it has as a scalar whose value
//!   no other item of the list shares (the next field if it is shared); an
//!   `image` counts by repository, without `:tag` or `@digest`, so that a
//!   version bump modifies the item;
//! - a Terraform repeated block written with labels (`dynamic "ingress"`),
//!   which has no setting of its own, by its first label;
//! - anything else by its index.

use std::collections::HashMap;
use std::fmt::Write;

use super::doc::Doc;
use crate::keypath::Segment;
use crate::setting::{Format, Value};

/// Fields that name a mapping item, in order of preference.
pub const FIELDS: [&str; 8] = [
    "name",
    "interface",
    "hostname",
    "path",
    "mountPath",
    "id",
    "key",
    "image",
];

/// The position of `image` in [`FIELDS`].
const IMAGE: usize = 7;

/// What is known of one list item.
#[derive(Debug, Default)]
struct Item {
    /// The item's own value: `None` when it has no setting of its own.
    own: Option<Own>,
    /// The [`FIELDS`] it has as scalars (by position) and their values.
    fields: Vec<(usize, String)>,
    /// The first child that is a block (a Terraform block label).
    label: Option<String>,
    /// The chosen key, encoded; `None` to keep the index.
    token: Option<String>,
}

#[derive(Debug)]
enum Own {
    Scalar(String),
    Block,
}

/// A list: the head number of its document and its raw path segments.
type ListKey<'a> = (usize, &'a [Segment]);

/// The natural keys of the list items of one side, by list and index.
#[derive(Debug, Default)]
pub(super) struct ItemKeys<'a> {
    lists: HashMap<ListKey<'a>, HashMap<usize, Item>>,
}

impl<'a> ItemKeys<'a> {
    /// The encoded key of item `index` of the list at `segs` in document `head`.
    pub fn token(&self, head: usize, segs: &'a [Segment], index: usize) -> Option<&str> {
        self.lists.get(&(head, segs))?.get(&index)?.token.as_deref()
    }

    fn item(&mut self, list: ListKey<'a>, index: usize) -> &mut Item {
        self.lists
            .entry(list)
            .or_default()
            .entry(index)
            .or_default()
    }
}

/// Collects the list items of one side and chooses their keys.
pub(super) fn item_keys<'a>(doc: &'a Doc<'_>) -> ItemKeys<'a> {
    let mut keys = ItemKeys::default();
    for ((s, segs), &head) in doc.settings.iter().zip(&doc.segs).zip(&doc.heads) {
        let n = segs.len();
        if let Some(&Segment::Index(index)) = segs.last() {
            let item = keys.item((head, &segs[..n - 1]), index);
            item.own = Some(match &s.value {
                v if v.is_block() => Own::Block,
                v => Own::Scalar(scalar_token(v)),
            });
        }
        let [.., Segment::Index(index), Segment::Key(field)] = segs.as_slice() else {
            continue;
        };
        if s.value.is_block() {
            // The first block inside an item without a setting of its own:
            // the label of a Terraform repeated block.
            if s.format == Format::Terraform {
                let item = keys.item((head, &segs[..n - 2]), *index);
                item.label.get_or_insert_with(|| field.clone());
            }
        } else if let Some(f) = FIELDS.iter().position(|f| f == field) {
            let text = s.value.scalar_text().unwrap_or_default();
            let text = if f == IMAGE {
                image_repository(text)
            } else {
                text
            };
            let item = keys.item((head, &segs[..n - 2]), *index);
            if !item.fields.iter().any(|(g, _)| *g == f) {
                item.fields.push((f, text.to_string()));
            }
        }
    }
    for items in keys.lists.values_mut() {
        choose(items);
    }
    keys
}

/// Chooses each item's key among the items of one list.
fn choose(items: &mut HashMap<usize, Item>) {
    let field_token = |f: usize, value: &str| format!("[@{}={}:{value}]", FIELDS[f], value.len());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for item in items.values_mut() {
        item.fields.sort_unstable_by_key(|(f, _)| *f);
        for (f, value) in &item.fields {
            *counts.entry(field_token(*f, value)).or_default() += 1;
        }
    }
    for item in items.values_mut() {
        item.token = match &item.own {
            Some(Own::Scalar(token)) => Some(token.clone()),
            own => {
                let by_field = item.fields.iter().find_map(|(f, value)| {
                    let token = field_token(*f, value);
                    (counts.get(&token) == Some(&1)).then_some(token)
                });
                by_field.or_else(|| {
                    let label = item.label.as_deref().filter(|_| own.is_none())?;
                    Some(format!("[@{}:{label}]", label.len()))
                })
            }
        };
    }
}

/// The key of a scalar item: its type and text.
fn scalar_token(value: &Value) -> String {
    let same;
    let (tag, text) = match value {
        Value::Null => ('n', ""),
        Value::Bool(true) => ('b', "true"),
        Value::Bool(false) => ('b', "false"),
        Value::Number(s) => ('d', s.as_str()),
        Value::Str(s) => ('s', s.as_str()),
        Value::Expr(s) => {
            same = Value::same_text(s);
            ('e', same.as_ref())
        }
        Value::Map(_) | Value::Seq(_) => ('x', ""),
    };
    let mut out = String::with_capacity(text.len() + 8);
    let _ = write!(out, "[={tag}{}:{text}]", text.len());
    out
}

/// An image reference without its tag or digest:
/// `ghcr.io/siderolabs/edgehostlet:v1.7.1` → `ghcr.io/siderolabs/edgehostlet`.
pub fn image_repository(image: &str) -> &str {
    let name = image.split_once('@').map_or(image, |(name, _)| name);
    match name.rfind(':') {
        // A colon before the last `/` is a registry port.
        Some(i) if !name[i..].contains('/') => &name[..i],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_repositories_drop_tag_and_digest_but_keep_ports() {
        let cases = [
            (
                "ghcr.io/siderolabs/edgehostlet:v1.7.1",
                "ghcr.io/siderolabs/edgehostlet",
            ),
            ("nginx", "nginx"),
            ("nginx:1.27", "nginx"),
            ("registry:5000/team/app", "registry:5000/team/app"),
            ("registry:5000/team/app:2.0", "registry:5000/team/app"),
            ("ghcr.io/x/y@sha256:abcd", "ghcr.io/x/y"),
            ("ghcr.io/x/y:v1@sha256:abcd", "ghcr.io/x/y"),
        ];
        for (image, repo) in cases {
            assert_eq!(image_repository(image), repo, "{image}");
        }
    }

    #[test]
    fn image_is_the_field_at_its_index() {
        assert_eq!(FIELDS[IMAGE], "image");
    }

    #[test]
    fn scalar_tokens_keep_the_type() {
        assert_ne!(
            scalar_token(&Value::Bool(true)),
            scalar_token(&Value::Str("true".into()))
        );
        assert_eq!(scalar_token(&Value::Str("a".into())), "[=s1:a]");
    }
}
