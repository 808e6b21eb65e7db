//! Reading the areas of a pack: titles, rows, duties, and the RACI cell of
//! every deployment (with option variants), checked against the pack's
//! parties, deployments and options.

use std::collections::BTreeMap;

use super::{Area, Deployment, Duties, OptionDef, Raci, Role, Support, Variant};
use crate::formats::tree::{Node, NodeKind};
use crate::typed::{self, Fields, Problems};

/// Keys of `parties` and of `duties` (the roles).
pub const ROLE_KEYS: &[&str] = &["vendor", "customer", "provider"];
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

/// What area cells are checked against.
pub(super) struct Ctx<'a> {
    pub(super) parties: &'a BTreeMap<Role, String>,
    pub(super) deployments: &'a [Deployment],
    pub(super) options: &'a [OptionDef],
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

pub(super) fn read_areas(node: &Node, ctx: &Ctx<'_>, p: &mut Problems) -> Vec<Area> {
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
