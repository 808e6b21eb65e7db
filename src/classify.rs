//! Classification: a pack's rules compiled once into an index, and each
//! setting mapped to the area of its most specific matching rule.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::keypath::{self, SegRef};
use crate::packs::Pack;
use crate::setting::{Context, Format, SettingRef};

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
    fn collect<'t>(&'t self, path: &[SegRef<'_>], out: &mut smallvec::SmallVec<[&'t [usize]; 16]>) {
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
    pub fn classify(&self, s: &SettingRef<'_>) -> Option<Match> {
        let segments = keypath::segments(match_path(s))?;
        let b = &self.buckets[slot(s.format)];
        let c = &s.context;
        let by_context = [
            get(&b.by_resource, c.resource_type.as_deref()),
            get(&b.by_kind, c.kind.as_deref()),
            get(&b.by_chart, c.chart.as_deref()),
        ];
        self.best(s, &segments, by_context, |_, rule| {
            rule.matches_context(s.format, s.context, s.file)
        })
    }

    /// As [`Classifier::classify`], for settings that arrive document by
    /// document: what depends only on the setting's context (the rules
    /// filed under it, and whether each rule's context constraints hold)
    /// is worked out once per context and kept in `cache`.
    pub fn classify_cached<'c>(
        &'c self,
        s: &SettingRef<'_>,
        cache: &mut ContextCache<'c>,
    ) -> Option<Match> {
        if !cache.holds(s) {
            cache.reset(self, s);
        }
        let segments = keypath::segments(match_path_in(s, cache.prefix.as_deref()))?;
        let by_context = cache.lists;
        let state = &mut cache.state;
        self.best(s, &segments, by_context, |rule_index, rule| {
            let known = &mut state[rule_index];
            if *known == UNKNOWN {
                *known = if rule.matches_context(s.format, s.context, s.file) {
                    HOLDS
                } else {
                    FAILS
                };
            }
            *known == HOLDS
        })
    }

    /// The most specific rule among those filed under the setting's
    /// context (`by_context`), those for any format and those under the
    /// literal keys its path starts with, whose context constraints hold
    /// (`context_holds`) and whose path and value match.
    fn best(
        &self,
        s: &SettingRef<'_>,
        segments: &[SegRef<'_>],
        by_context: [&[usize]; 3],
        mut context_holds: impl FnMut(usize, &crate::packs::rule::Rule) -> bool,
    ) -> Option<Match> {
        let mut lists: smallvec::SmallVec<[&[usize]; 16]> = smallvec::SmallVec::new();
        lists.extend(by_context);
        lists.push(&self.any_format);
        self.buckets[slot(s.format)]
            .by_prefix
            .collect(segments, &mut lists);
        let mut best: Option<(crate::packs::rule::Specificity, usize)> = None;
        for &i in lists.iter().flat_map(|l| l.iter()) {
            let rule = &self.pack.rules[i];
            if best.is_some_and(|(b, bi)| rule.spec < b || (rule.spec == b && i > bi)) {
                continue;
            }
            if context_holds(i, rule) && rule.matches_at(s, segments) {
                best = Some((rule.spec, i));
            }
        }
        best.map(|(_, rule)| Match {
            area: self.pack.rules[rule].area,
            rule,
        })
    }
}

const UNKNOWN: u8 = 0;
const HOLDS: u8 = 1;
const FAILS: u8 = 2;

/// What the settings of one context (one document, block or resource, in
/// one file) share when they are classified: see
/// [`Classifier::classify_cached`]. Keeps one context at a time.
#[derive(Debug, Default)]
pub struct ContextCache<'c> {
    /// The context, format and file the rest is for.
    key: Option<(Arc<Context>, Format, Arc<str>)>,
    /// The rules filed under its resource type, kind and chart.
    lists: [&'c [usize]; 3],
    /// Per rule: whether its format and context constraints hold (or not yet known).
    state: Vec<u8>,
    /// The values prefix as written in a key path.
    prefix: Option<String>,
}

impl<'c> ContextCache<'c> {
    fn holds(&self, s: &SettingRef<'_>) -> bool {
        self.key.as_ref().is_some_and(|(c, f, file)| {
            Arc::ptr_eq(c, s.context) && *f == s.format && Arc::ptr_eq(file, s.file)
        })
    }

    fn reset(&mut self, classifier: &'c Classifier<'_>, s: &SettingRef<'_>) {
        let b = &classifier.buckets[slot(s.format)];
        let c = &s.context;
        self.lists = [
            get(&b.by_resource, c.resource_type.as_deref()),
            get(&b.by_kind, c.kind.as_deref()),
            get(&b.by_chart, c.chart.as_deref()),
        ];
        self.state.clear();
        self.state.resize(classifier.pack.rules.len(), UNKNOWN);
        self.prefix = c.values_prefix.as_deref().map(|key| {
            let mut prefix = String::new();
            keypath::push_key(&mut prefix, key);
            prefix
        });
        self.key = Some((Arc::clone(s.context), s.format, Arc::clone(s.file)));
    }
}

/// The key path matchers see: without the `Kind/name:` prefix of a
/// Kubernetes object or typed Talos document, and, for a subchart's values
/// in an umbrella chart's values file, relative to the subchart's key.
pub fn match_path<'a>(s: &SettingRef<'a>) -> &'a str {
    let prefix = s.context.values_prefix.as_deref().map(|key| {
        let mut prefix = String::new();
        keypath::push_key(&mut prefix, key);
        prefix
    });
    match_path_in(s, prefix.as_deref())
}

/// [`match_path`] with the values prefix already written as a key path.
fn match_path_in<'a>(s: &SettingRef<'a>, prefix: Option<&str>) -> &'a str {
    // Only Kubernetes objects and typed Talos documents have a `Kind/name:` prefix.
    let inner = if s.context.kind.is_some() {
        keypath::split_prefix(s.path).1
    } else {
        s.path
    };
    let Some(prefix) = prefix else {
        return inner;
    };
    match inner.strip_prefix(prefix) {
        Some("") => "",
        Some(rest) if rest.starts_with('[') => rest,
        Some(rest) => rest.strip_prefix('.').unwrap_or(inner),
        None => inner,
    }
}
