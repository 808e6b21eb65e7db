//! Classification: a pack's rules compiled once into an index, and each
//! setting mapped to the area of its most specific matching rule.

use std::collections::{BTreeMap, HashMap};

use crate::findings::AreaRef;
use crate::keypath::{self, SegRef};
use crate::packs::{Area, Pack};
use crate::setting::{Format, Setting};

/// Which rule (and so which area) claimed a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the area in the pack.
    pub area: usize,
    /// Index of the rule in the pack.
    pub rule: usize,
}

/// Rules of one format, indexed by the key every setting can be looked up with.
#[derive(Debug, Default)]
struct Bucket {
    /// Rules whose first path segment (or, for Terraform, resource type) is literal.
    by_key: HashMap<String, Vec<usize>>,
    /// Rules that must be tried on every setting of the format.
    rest: Vec<usize>,
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
            let key = if format == Format::Terraform {
                rule.context
                    .resource
                    .as_ref()
                    .filter(|g| g.is_literal())
                    .map(|g| g.as_str().to_string())
            } else {
                match rule.path.segments().first() {
                    Some(crate::packs::glob::GlobSeg::Key(g)) if g.is_literal() => {
                        Some(g.as_str().to_string())
                    }
                    _ => None,
                }
            };
            let bucket = &mut buckets[slot(format)];
            match key {
                Some(k) => bucket.by_key.entry(k).or_default().push(i),
                None => bucket.rest.push(i),
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
        let inner = keypath::split_prefix(&s.path).1;
        let segments = keypath::segments(inner)?;
        let bucket = &self.buckets[slot(s.format)];
        let key = if s.format == Format::Terraform {
            s.context.resource_type.as_deref()
        } else {
            match segments.first() {
                Some(SegRef::Key(k)) => Some(k.as_ref()),
                _ => None,
            }
        };
        let keyed = key
            .and_then(|k| bucket.by_key.get(k))
            .map_or(&[][..], Vec::as_slice);
        let mut best: Option<(crate::packs::rule::Specificity, usize)> = None;
        for &i in keyed.iter().chain(&bucket.rest).chain(&self.any_format) {
            let rule = &self.pack.rules[i];
            if !rule.matches(s, &segments) {
                continue;
            }
            let spec = rule.specificity();
            let better = match best {
                None => true,
                Some((b, bi)) => spec > b || (spec == b && i < bi),
            };
            if better {
                best = Some((spec, i));
            }
        }
        best.map(|(_, rule)| Match {
            area: self.pack.rules[rule].area,
            rule,
        })
    }
}

/// A pack with a deployment and options chosen: the model a setting is judged by.
#[derive(Debug, Clone)]
pub struct Model<'p> {
    /// The pack.
    pub pack: &'p Pack,
    /// Deployment id.
    pub deployment: String,
    /// Options, defaults filled in.
    pub options: BTreeMap<String, String>,
}

impl Model<'_> {
    /// The area reference (title, RACI, owner) for output.
    pub fn area_ref(&self, area: &Area) -> AreaRef {
        let (raci, _) = area.resolve(&self.deployment, &self.options);
        AreaRef {
            id: area.id.clone(),
            title: area.title.clone(),
            owner: self.pack.owner_names(&raci.responsible),
            responsible: raci.responsible,
            accountable: raci.accountable,
            consulted: raci.consulted,
            informed: raci.informed,
        }
    }
}

/// The area references of every model, built once per run (owner names and
/// RACI resolved), for output that lists many settings.
#[derive(Debug, Default)]
pub struct AreaRefs {
    by_model: Vec<Vec<AreaRef>>,
}

impl AreaRefs {
    /// Resolves every area of every model.
    pub fn new(models: &crate::models::Models<'_>) -> AreaRefs {
        AreaRefs {
            by_model: models
                .entries()
                .iter()
                .map(|e| {
                    e.model
                        .pack
                        .areas
                        .iter()
                        .map(|a| e.model.area_ref(a))
                        .collect()
                })
                .collect(),
        }
    }

    /// The reference of an area of the model at `model` (an index from `Models::for_file`).
    pub fn get(&self, model: Option<usize>, m: Option<Match>) -> Option<&AreaRef> {
        self.by_model.get(model?)?.get(m?.area)
    }
}
