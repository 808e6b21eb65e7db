//! Classification: a pack's rules compiled once into an index, and each
//! setting mapped to the area of its most specific matching rule.

use rustc_hash::FxHashMap as HashMap;

use crate::keypath::{self, SegRef};
use crate::packs::Pack;
use crate::setting::{Format, Setting};

/// Which rule (and so which area) claimed a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the area in the pack.
    pub area: usize,
    /// Index of the rule in the pack.
    pub rule: usize,
}

/// Rules of one format, each filed under its most selective literal
/// constraint, so that a setting is tried only against rules that could match it.
#[derive(Debug, Default)]
struct Bucket {
    /// By Terraform resource type.
    by_resource: HashMap<String, Vec<usize>>,
    /// By Kubernetes or Talos document kind.
    by_kind: HashMap<String, Vec<usize>>,
    /// By Helm chart.
    by_chart: HashMap<String, Vec<usize>>,
    /// By the literal keys the path starts with.
    by_prefix: Trie,
}

/// A pack's rules, compiled for fast lookup.
#[derive(Debug)]
pub struct Classifier<'p> {
    pack: &'p Pack,
    buckets: [Bucket; 4],
    any_format: Vec<usize>,
}

fn slot(f: Format) -> usize {
    match f {
        Format::Helm => 0,
        Format::Talos => 1,
        Format::Kubernetes => 2,
        Format::Terraform => 3,
    }
}

/// Rules filed under the literal keys their path glob starts with.
#[derive(Debug, Default)]
struct Trie {
    rules: Vec<usize>,
    children: HashMap<String, Trie>,
}

impl Trie {
    fn insert(&mut self, prefix: &[String], rule: usize) {
        match prefix.split_first() {
            None => self.rules.push(rule),
            Some((key, rest)) => self
                .children
                .entry(key.clone())
                .or_default()
                .insert(rest, rule),
        }
    }

    /// The rules whose literal prefix is a prefix of `path`, node by node.
    fn collect<'t>(&'t self, path: &[SegRef<'_>], out: &mut Vec<&'t [usize]>) {
        let mut node = self;
        out.push(&node.rules);
        for seg in path {
            let SegRef::Key(k) = seg else { return };
            match node.children.get(k.as_ref()) {
                Some(next) => {
                    node = next;
                    out.push(&node.rules);
                }
                None => return,
            }
        }
    }
}

/// The literal keys a path glob starts with.
fn literal_prefix(glob: &crate::packs::glob::PathGlob) -> Vec<String> {
    glob.segments()
        .iter()
        .map_while(|s| match s {
            crate::packs::glob::GlobSeg::Key(g) if g.is_literal() => Some(g.as_str().to_string()),
            _ => None,
        })
        .collect()
}

/// The rules filed under `key`, if any.
fn get<'a>(map: &'a HashMap<String, Vec<usize>>, key: Option<&str>) -> &'a [usize] {
    key.and_then(|k| map.get(k)).map_or(&[][..], Vec::as_slice)
}

fn literal(glob: Option<&crate::packs::glob::TextGlob>) -> Option<String> {
    glob.filter(|g| g.is_literal())
        .map(|g| g.as_str().to_string())
}

impl<'p> Classifier<'p> {
    /// Compiles a pack's rules.
    pub fn new(pack: &'p Pack) -> Classifier<'p> {
        let mut buckets: [Bucket; 4] = Default::default();
        let mut any_format = Vec::new();
        for (i, rule) in pack.rules.iter().enumerate() {
            let Some(format) = rule.format else {
                any_format.push(i);
                continue;
            };
            let b = &mut buckets[slot(format)];
            let c = &rule.context;
            if let Some(k) = literal(c.resource.as_ref()) {
                b.by_resource.entry(k).or_default().push(i);
            } else if let Some(k) = literal(c.kind.as_ref()) {
                b.by_kind.entry(k).or_default().push(i);
            } else if let Some(k) = literal(c.chart.as_ref()) {
                b.by_chart.entry(k).or_default().push(i);
            } else {
                b.by_prefix.insert(&literal_prefix(&rule.path), i);
            }
        }
        Classifier {
            pack,
            buckets,
            any_format,
        }
    }

    /// The pack.
    pub fn pack(&self) -> &'p Pack {
        self.pack
    }

    /// The area of the most specific matching rule (ties: the earlier rule).
    pub fn classify(&self, s: &Setting) -> Option<Match> {
        let segments = keypath::segments(match_path(s))?;
        let b = &self.buckets[slot(s.format)];
        let c = &s.context;
        let mut lists: Vec<&[usize]> = Vec::with_capacity(8);
        lists.extend([
            get(&b.by_resource, c.resource_type.as_deref()),
            get(&b.by_kind, c.kind.as_deref()),
            get(&b.by_chart, c.chart.as_deref()),
            &self.any_format,
        ]);
        b.by_prefix.collect(&segments, &mut lists);
        let mut best: Option<(crate::packs::rule::Specificity, usize)> = None;
        for &i in lists.iter().flat_map(|l| l.iter()) {
            let rule = &self.pack.rules[i];
            if best.is_some_and(|(b, bi)| rule.spec < b || (rule.spec == b && i > bi)) {
                continue;
            }
            if rule.matches(s, &segments) {
                best = Some((rule.spec, i));
            }
        }
        best.map(|(_, rule)| Match {
            area: self.pack.rules[rule].area,
            rule,
        })
    }
}

/// The key path matchers see: without the `Kind/name:` prefix of a
/// Kubernetes object or typed Talos document, and, for a subchart's values
/// in an umbrella chart's values file, relative to the subchart's key.
pub fn match_path(s: &Setting) -> &str {
    // Only Kubernetes objects and typed Talos documents have a `Kind/name:` prefix.
    let inner = if s.context.kind.is_some() {
        keypath::split_prefix(&s.path).1
    } else {
        &s.path
    };
    let Some(key) = s.context.values_prefix.as_deref() else {
        return inner;
    };
    let mut prefix = String::new();
    keypath::push_key(&mut prefix, key);
    match inner.strip_prefix(prefix.as_str()) {
        Some("") => "",
        Some(rest) if rest.starts_with('[') => rest,
        Some(rest) => rest.strip_prefix('.').unwrap_or(inner),
        None => inner,
    }
}
