//! Typed reading of YAML configuration documents (rule packs,
//! `.demarcate.yaml`) over our positioned tree: every problem (wrong type,
//! missing or unknown key) is collected with its line and column, so that a
//! file's mistakes are all reported at once.

use std::collections::BTreeMap;
use std::fmt;

use crate::formats::tree::{Node, NodeKind, Scalar};
use crate::setting::Pos;

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File as given to the reader.
    pub file: String,
    /// Where.
    pub pos: Pos,
    /// What.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `file:line:col: message`, or `file: message` for a problem with no
    /// position (line 0: a command-line flag).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.pos.line, self.pos.col, self.message
        )
    }
}

/// Turns located problems into one error (exit 2).
pub fn problems_error(what: &str, problems: &[Problem]) -> anyhow::Error {
    let mut text = format!("{what}:");
    for p in problems {
        text.push_str("\n  ");
        text.push_str(&p.to_string());
    }
    anyhow::anyhow!(text)
}

/// Problems collected while reading one file.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    /// The file the problems are in.
    pub file: String,
    /// The problems, in the order found.
    pub list: Vec<Problem>,
}

impl Problems {
    /// An empty collection for a file.
    pub fn new(file: impl Into<String>) -> Problems {
        Problems {
            file: file.into(),
            list: Vec::new(),
        }
    }

    /// Records a problem.
    pub fn at(&mut self, pos: Pos, message: impl Into<String>) {
        self.list.push(Problem {
            file: self.file.clone(),
            pos,
            message: message.into(),
        });
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// A mapping whose keys were checked against the allowed ones.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    node: &'a Node,
    what: &'static str,
}

/// Reads a mapping, reporting keys not in `allowed` (with a suggestion).
pub fn fields<'a>(
    node: &'a Node,
    what: &'static str,
    allowed: &[&str],
    p: &mut Problems,
) -> Option<Fields<'a>> {
    let NodeKind::Map(entries) = &node.kind else {
        p.at(node.span.start, format!("{what} must be a mapping"));
        return None;
    };
    for e in entries {
        if !allowed.contains(&e.key.as_str()) {
            let hint = closest(&e.key, allowed)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            p.at(
                e.key_span.start,
                format!(
                    "unknown key `{}` in {what}{hint}; allowed: {}",
                    e.key,
                    allowed.join(", ")
                ),
            );
        }
    }
    Some(Fields { node, what })
}

/// The allowed key closest to a misspelled one, if any is close.
fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The text of a scalar (numbers and booleans as written), or a problem.
pub fn text(node: &Node, what: &str, p: &mut Problems) -> Option<String> {
    match &node.kind {
        NodeKind::Scalar(Scalar::Yaml { text, .. }) => Some(text.clone()),
        NodeKind::Scalar(Scalar::Value(v)) => v.scalar_text().map(str::to_string),
        _ => {
            p.at(node.span.start, format!("{what} must be a text value"));
            None
        }
    }
}

/// A list of texts (a single text is accepted as a one-item list).
pub fn texts(node: &Node, what: &str, p: &mut Problems) -> Vec<String> {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().filter_map(|i| text(i, what, p)).collect(),
        NodeKind::Scalar(_) => text(node, what, p).into_iter().collect(),
        NodeKind::Map(_) => {
            p.at(node.span.start, format!("{what} must be a list of texts"));
            Vec::new()
        }
    }
}

/// A mapping of text to text (option values), values as written.
pub fn text_map(node: &Node, what: &str, p: &mut Problems) -> BTreeMap<String, String> {
    let NodeKind::Map(entries) = &node.kind else {
        p.at(node.span.start, format!("{what} must be a mapping"));
        return BTreeMap::new();
    };
    entries
        .iter()
        .filter_map(|e| Some((e.key.clone(), text(&e.value, what, p)?)))
        .collect()
}

/// Items of a list, or a problem.
pub fn list<'a>(node: &'a Node, what: &str, p: &mut Problems) -> &'a [Node] {
    match &node.kind {
        NodeKind::Seq(items) => items,
        _ => {
            p.at(node.span.start, format!("{what} must be a list"));
            &[]
        }
    }
}

impl<'a> Fields<'a> {
    /// Where the mapping starts.
    pub fn pos(&self) -> Pos {
        self.node.span.start
    }

    /// A key's value, if present.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// A required key's value; reports it missing.
    pub fn need(&self, key: &str, p: &mut Problems) -> Option<&'a Node> {
        let v = self.node.get(key);
        if v.is_none() {
            p.at(self.pos(), format!("{} needs `{key}`", self.what));
        }
        v
    }

    /// A required text.
    pub fn need_text(&self, key: &str, p: &mut Problems) -> Option<String> {
        self.need(key, p).and_then(|n| text(n, key, p))
    }

    /// An optional text.
    pub fn opt_text(&self, key: &str, p: &mut Problems) -> Option<String> {
        self.get(key).and_then(|n| text(n, key, p))
    }
}
