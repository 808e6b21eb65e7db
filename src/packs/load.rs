//! Loading a rule pack: YAML → [`Pack`], collecting every problem (unknown
//! keys, unknown roles, deployments or options, missing cells, matchers of
//! unknown areas, conflicting rules) with its line before refusing the pack.

use std::collections::BTreeMap;

use super::areas::{self, Ctx};
// The keys read in `areas` and `matchers`, so that every key list of a
// pack is reachable here.
pub use super::areas::{AREA_KEYS, RACI_KEYS, ROLE_KEYS, VARIANT_KEYS};
use super::matchers;
pub use super::matchers::{GROUP_KEYS, RULE_KEYS};
use super::{Deployment, OptionDef, Pack, PackSource, Role};
use crate::formats::embed::PosMap;
use crate::formats::tree::Node;
use crate::formats::yaml;
use crate::limits::Limits;
use crate::source::Source;
use crate::typed::{self, Problem, Problems};

/// Keys of the top level.
pub const ROOT_KEYS: &[&str] = &[
    "vendor",
    "parties",
    "deployments",
    "options",
    "areas",
    "matchers",
];
/// Keys of `vendor`.
pub const VENDOR_KEYS: &[&str] = &["id", "name", "source"];
/// Keys of `vendor.source`.
pub const SOURCE_KEYS: &[&str] = &["title", "version", "url", "seed"];
/// Keys of a deployment.
pub const DEPLOYMENT_KEYS: &[&str] = &["id", "name"];
/// Keys of an option.
pub const OPTION_KEYS: &[&str] = &["id", "name", "values", "default"];

/// Loads a pack from YAML text; `origin` names the file in messages.
pub fn load(text: &str, origin: &str) -> Result<Pack, Vec<Problem>> {
    load_with(text, origin, true)
}

/// Loads a built-in pack without the rule-conflict check, which is
/// quadratic in the number of rules: the packs shipped in the binary are
/// checked by the test suite instead (`tests/packs_load.rs`).
pub fn load_builtin(text: &str, origin: &str) -> Result<Pack, Vec<Problem>> {
    load_with(text, origin, false)
}

fn load_with(text: &str, origin: &str, conflicts: bool) -> Result<Pack, Vec<Problem>> {
    let mut p = Problems::new(origin);
    let src = Source::new(text.to_string());
    let stream = yaml::parse(&src, &PosMap::Identity, &Limits::default());
    for e in stream.errors.iter().chain(&stream.fatal) {
        p.at(e.pos, e.message.clone());
    }
    let Some(root) = stream.docs.first() else {
        p.at(crate::setting::Pos::new(1, 1), "the pack is empty");
        return Err(p.list);
    };
    let pack = read_pack(root, origin, conflicts, &mut p);
    match pack {
        Some(pack) if p.is_empty() => Ok(pack),
        _ => Err(p.list),
    }
}

fn read_pack(root: &Node, origin: &str, conflicts: bool, p: &mut Problems) -> Option<Pack> {
    let f = typed::fields(root, "a pack", ROOT_KEYS, p)?;
    let vendor = f
        .need("vendor", p)
        .and_then(|n| typed::fields(n, "vendor", VENDOR_KEYS, p));
    let id = vendor
        .and_then(|v| v.need_text("id", p))
        .unwrap_or_default();
    if !id.is_empty()
        && !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        p.at(
            vendor.map_or(f.pos(), |v| v.pos()),
            format!("vendor id `{id}` must use a-z, 0-9 and -"),
        );
    }
    let name = vendor
        .and_then(|v| v.need_text("name", p))
        .unwrap_or_default();
    let source = vendor
        .and_then(|v| v.need("source", p))
        .map(|n| read_source(n, p))
        .unwrap_or_default();
    let parties = f
        .need("parties", p)
        .map(|n| read_parties(n, p))
        .unwrap_or_default();
    let deployments = f
        .need("deployments", p)
        .map(|n| read_deployments(n, p))
        .unwrap_or_default();
    let options = f
        .get("options")
        .map(|n| read_options(n, p))
        .unwrap_or_default();
    let ctx = Ctx {
        parties: &parties,
        deployments: &deployments,
        options: &options,
    };
    let areas = f
        .need("areas", p)
        .map(|n| areas::read_areas(n, &ctx, p))
        .unwrap_or_default();
    let ex_ctx = super::example_read::Ctx {
        areas: &areas,
        deployments: &deployments,
        options: &options,
    };
    let (rules, examples) = f
        .get("matchers")
        .map(|n| matchers::read_matchers(n, &ex_ctx, p))
        .unwrap_or_default();
    if conflicts {
        matchers::check_conflicts(&rules, &areas, p);
    }
    Some(Pack {
        id,
        name,
        source,
        parties,
        deployments,
        options,
        areas,
        rules,
        examples,
        origin: origin.to_string(),
    })
}

fn read_source(node: &Node, p: &mut Problems) -> PackSource {
    let Some(f) = typed::fields(node, "source", SOURCE_KEYS, p) else {
        return PackSource::default();
    };
    PackSource {
        title: f.need_text("title", p).unwrap_or_default(),
        version: f.need_text("version", p).unwrap_or_default(),
        url: f.opt_text("url", p),
        seed: f.opt_text("seed", p),
    }
}

fn read_parties(node: &Node, p: &mut Problems) -> BTreeMap<Role, String> {
    let Some(f) = typed::fields(node, "parties", ROLE_KEYS, p) else {
        return BTreeMap::new();
    };
    let out: BTreeMap<Role, String> = Role::ALL
        .into_iter()
        .filter_map(|r| Some((r, f.opt_text(r.as_str(), p)?)))
        .collect();
    for r in [Role::Vendor, Role::Customer] {
        if !out.contains_key(&r) {
            p.at(f.pos(), format!("parties needs `{r}`"));
        }
    }
    out
}

fn read_deployments(node: &Node, p: &mut Problems) -> Vec<Deployment> {
    let mut out: Vec<Deployment> = Vec::new();
    for item in typed::list(node, "deployments", p) {
        let Some(f) = typed::fields(item, "a deployment", DEPLOYMENT_KEYS, p) else {
            continue;
        };
        let (Some(id), Some(name)) = (f.need_text("id", p), f.need_text("name", p)) else {
            continue;
        };
        if out.iter().any(|d| d.id == id) {
            p.at(f.pos(), format!("deployment `{id}` is defined twice"));
        }
        out.push(Deployment { id, name });
    }
    if out.is_empty() {
        p.at(node.span.start, "a pack needs at least one deployment");
    }
    out
}

fn read_options(node: &Node, p: &mut Problems) -> Vec<OptionDef> {
    let mut out: Vec<OptionDef> = Vec::new();
    for item in typed::list(node, "options", p) {
        let Some(f) = typed::fields(item, "an option", OPTION_KEYS, p) else {
            continue;
        };
        let (Some(id), Some(name)) = (f.need_text("id", p), f.need_text("name", p)) else {
            continue;
        };
        let values = f
            .need("values", p)
            .map(|n| typed::texts(n, "values", p))
            .unwrap_or_default();
        let default = f.need_text("default", p).unwrap_or_default();
        if !values.contains(&default) {
            p.at(
                f.pos(),
                format!("option `{id}`: default `{default}` is not one of its values"),
            );
        }
        out.push(OptionDef {
            id,
            name,
            values,
            default,
        });
    }
    out
}
