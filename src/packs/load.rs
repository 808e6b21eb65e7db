//! Loading a rule pack: YAML → [`Pack`], collecting every problem (unknown
//! keys, unknown roles, deployments or options, missing cells, matchers of
//! unknown areas, conflicting rules) with its line before refusing the pack.

use std::collections::{BTreeMap, HashSet};

use super::glob::{PathGlob, TextGlob};
use super::rule::{ContextGlobs, Rule, Specificity};
use super::{Area, Deployment, Duties, OptionDef, Pack, PackSource, Raci, Role, Support, Variant};
use crate::formats::embed::PosMap;
use crate::formats::tree::{Node, NodeKind};
use crate::formats::yaml;
use crate::limits::Limits;
use crate::setting::Format;
use crate::source::Source;
use crate::typed::{self, Fields, Problem, Problems};

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
/// Keys of `parties` and of `duties` (the roles).
pub const ROLE_KEYS: &[&str] = &["vendor", "customer", "provider"];
/// Keys of a deployment.
pub const DEPLOYMENT_KEYS: &[&str] = &["id", "name"];
/// Keys of an option.
pub const OPTION_KEYS: &[&str] = &["id", "name", "values", "default"];
/// Keys of an area.
pub const AREA_KEYS: &[&str] = &[
    "id",
    "title",
    "row",
    "support",
    "duties",
    "responsibility",
    "variants",
];
/// Keys of a RACI cell.
pub const RACI_KEYS: &[&str] = &["responsible", "accountable", "consulted", "informed"];
/// Keys of a variant.
pub const VARIANT_KEYS: &[&str] = &["when", "responsibility", "duties"];
/// Keys of a matcher group.
pub const GROUP_KEYS: &[&str] = &["group", "source", "rules"];
/// Keys of a matcher rule.
pub const RULE_KEYS: &[&str] = &[
    "area",
    "format",
    "path",
    "value",
    "chart",
    "resource",
    "block",
    "api_version",
    "kind",
    "namespace",
    "name",
    "document",
    "file",
];

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
        .map(|n| read_areas(n, &ctx, p))
        .unwrap_or_default();
    let rules = f
        .get("matchers")
        .map(|n| read_matchers(n, &areas, p))
        .unwrap_or_default();
    if conflicts {
        check_conflicts(&rules, &areas, p);
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
        origin: origin.to_string(),
    })
}

/// What area cells are checked against.
struct Ctx<'a> {
    parties: &'a BTreeMap<Role, String>,
    deployments: &'a [Deployment],
    options: &'a [OptionDef],
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

fn read_roles(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Vec<Role> {
    let mut out = Vec::new();
    if node.is_map() {
        p.at(node.span.start, "a role list must be a list of roles");
        return out;
    }
    for item in list_or_self(node) {
        let Some(text) = typed::text(item, "a role", p) else {
            continue;
        };
        match Role::parse(&text) {
            Some(r) if !ctx.parties.contains_key(&r) => {
                p.at(
                    item.span.start,
                    format!("role `{r}` has no display name in `parties`"),
                );
            }
            Some(r) if !out.contains(&r) => out.push(r),
            Some(_) => {}
            None => p.at(
                item.span.start,
                format!("unknown role `{text}`; roles are vendor, customer, provider"),
            ),
        }
    }
    out
}

/// The items of a sequence, or the node itself.
fn list_or_self(node: &Node) -> Vec<&Node> {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

fn read_raci(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Raci {
    if !node.is_map() {
        return Raci {
            responsible: read_roles(node, ctx, p),
            ..Raci::default()
        };
    }
    let Some(f) = typed::fields(node, "a responsibility cell", RACI_KEYS, p) else {
        return Raci::default();
    };
    let roles = |key: &str, p: &mut Problems| {
        f.get(key)
            .map(|n| read_roles(n, ctx, p))
            .unwrap_or_default()
    };
    let raci = Raci {
        responsible: roles("responsible", p),
        accountable: roles("accountable", p),
        consulted: roles("consulted", p),
        informed: roles("informed", p),
    };
    if raci.responsible.is_empty() {
        p.at(
            f.pos(),
            "a responsibility cell needs at least one responsible role",
        );
    }
    raci
}

/// Deployment id → cell; `complete` requires every deployment.
fn read_cells(
    node: &Node,
    ctx: &Ctx<'_>,
    complete: bool,
    p: &mut Problems,
) -> BTreeMap<String, Raci> {
    let mut out = BTreeMap::new();
    let NodeKind::Map(entries) = &node.kind else {
        p.at(
            node.span.start,
            "responsibility must map deployment ids to cells",
        );
        return out;
    };
    for e in entries {
        if ctx.deployments.iter().all(|d| d.id != e.key) {
            p.at(e.key_span.start, format!("unknown deployment `{}`", e.key));
        }
        out.insert(e.key.clone(), read_raci(&e.value, ctx, p));
    }
    if complete {
        for d in ctx.deployments {
            if !out.contains_key(&d.id) {
                p.at(
                    node.span.start,
                    format!("no responsibility for deployment `{}`", d.id),
                );
            }
        }
    }
    out
}

fn read_duties(node: &Node, p: &mut Problems) -> Duties {
    let Some(f) = typed::fields(node, "duties", ROLE_KEYS, p) else {
        return Duties::new();
    };
    Role::ALL
        .into_iter()
        .filter_map(|r| Some((r, typed::texts(f.get(r.as_str())?, "duties", p))))
        .collect()
}

fn read_variant(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Option<Variant> {
    let f = typed::fields(node, "a variant", VARIANT_KEYS, p)?;
    let when = f
        .need("when", p)
        .map(|n| typed::text_map(n, "when", p))
        .unwrap_or_default();
    for (k, v) in &when {
        match ctx.options.iter().find(|o| &o.id == k) {
            None => p.at(f.pos(), format!("unknown option `{k}` in `when`")),
            Some(o) if !o.values.contains(v) => {
                p.at(f.pos(), format!("option `{k}` has no value `{v}`"))
            }
            Some(_) => {}
        }
    }
    Some(Variant {
        when,
        responsibility: f
            .get("responsibility")
            .map(|n| read_cells(n, ctx, false, p))
            .unwrap_or_default(),
        duties: f
            .get("duties")
            .map(|n| read_duties(n, p))
            .unwrap_or_default(),
    })
}

fn read_area(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Option<Area> {
    let f: Fields<'_> = typed::fields(node, "an area", AREA_KEYS, p)?;
    let id = f.need_text("id", p)?;
    let support = match f.opt_text("support", p).as_deref() {
        None | Some("full") => Support::Full,
        Some("best-effort") => Support::BestEffort,
        Some(other) => {
            p.at(
                f.pos(),
                format!("area `{id}`: support `{other}` is not `full` or `best-effort`"),
            );
            Support::Full
        }
    };
    Some(Area {
        title: f.need_text("title", p).unwrap_or_default(),
        row: f.need_text("row", p).unwrap_or_default(),
        support,
        duties: f
            .get("duties")
            .map(|n| read_duties(n, p))
            .unwrap_or_default(),
        responsibility: f
            .need("responsibility", p)
            .map(|n| read_cells(n, ctx, true, p))
            .unwrap_or_default(),
        variants: f
            .get("variants")
            .map(|n| {
                typed::list(n, "variants", p)
                    .iter()
                    .filter_map(|v| read_variant(v, ctx, p))
                    .collect()
            })
            .unwrap_or_default(),
        line: f.pos().line,
        id,
    })
}

fn read_areas(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Vec<Area> {
    let mut out: Vec<Area> = Vec::new();
    for item in typed::list(node, "areas", p) {
        if let Some(area) = read_area(item, ctx, p) {
            if out.iter().any(|a| a.id == area.id) {
                p.at(
                    item.span.start,
                    format!("area `{}` is defined twice", area.id),
                );
            }
            out.push(area);
        }
    }
    out
}

fn read_matchers(node: &Node, areas: &[Area], p: &mut Problems) -> Vec<Rule> {
    let mut out = Vec::new();
    for group in typed::list(node, "matchers", p) {
        let Some(f) = typed::fields(group, "a matcher group", GROUP_KEYS, p) else {
            continue;
        };
        let name = f.need_text("group", p).unwrap_or_default();
        let source = f.need_text("source", p).unwrap_or_default();
        for rule in f
            .need("rules", p)
            .map(|n| typed::list(n, "rules", p))
            .unwrap_or_default()
        {
            if let Some(r) = read_rule(rule, &name, &source, areas, p) {
                out.push(r);
            }
        }
    }
    out
}

fn read_rule(
    node: &Node,
    group: &str,
    source: &str,
    areas: &[Area],
    p: &mut Problems,
) -> Option<Rule> {
    let f = typed::fields(node, "a rule", RULE_KEYS, p)?;
    let area_id = f.need_text("area", p)?;
    let Some(area) = areas.iter().position(|a| a.id == area_id) else {
        p.at(f.pos(), format!("rule names unknown area `{area_id}`"));
        return None;
    };
    let format = f.opt_text("format", p).and_then(|t| {
        let parsed = Format::parse(&t);
        if parsed.is_none() {
            p.at(
                f.pos(),
                format!("unknown format `{t}`; formats are helm, talos, kubernetes, terraform"),
            );
        }
        parsed
    });
    let path = match f.opt_text("path", p) {
        None => PathGlob::any(),
        Some(text) => PathGlob::parse(&text).unwrap_or_else(|e| {
            p.at(f.pos(), format!("path `{text}`: {e}"));
            PathGlob::any()
        }),
    };
    let glob =
        |key: &str, ci: bool, p: &mut Problems| f.opt_text(key, p).map(|t| TextGlob::new(&t, ci));
    let context = ContextGlobs {
        chart: glob("chart", false, p),
        resource: glob("resource", false, p),
        block: glob("block", false, p),
        api_version: glob("api_version", false, p),
        kind: glob("kind", false, p),
        namespace: glob("namespace", false, p),
        name: glob("name", false, p),
        document: glob("document", false, p),
        file: glob("file", false, p),
    };
    let mut rule = Rule {
        area,
        group: group.to_string(),
        source: source.to_string(),
        format,
        path,
        value: glob("value", true, p),
        context,
        line: f.pos().line,
        spec: Specificity::default(),
    };
    rule.spec = rule.specificity();
    Some(rule)
}

/// Two rules with equal specificity, different areas and overlapping
/// constraints make the pack ambiguous.
fn check_conflicts(rules: &[Rule], areas: &[Area], p: &mut Problems) {
    let mut reported = HashSet::new();
    for (i, a) in rules.iter().enumerate() {
        for b in &rules[i + 1..] {
            if a.area != b.area && a.spec == b.spec && a.overlaps(b) && reported.insert(b.line) {
                p.at(
                    crate::setting::Pos::new(b.line, 1),
                    format!(
                        "rule (area `{}`, path `{}`) conflicts with the rule at line {} (area `{}`, path `{}`): \
                         equally specific and both can match the same setting; make one more specific",
                        areas[b.area].id,
                        b.path.as_str(),
                        a.line,
                        areas[a.area].id,
                        a.path.as_str()
                    ),
                );
            }
        }
    }
}
