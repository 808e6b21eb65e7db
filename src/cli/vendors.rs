//! `demarcate vendors`: the built-in responsibility models.

use super::{Status, TextFormat, VendorsArgs};
use crate::packs::{self, Pack};
use crate::report;
use crate::typed::problems_error;

/// Runs `vendors`.
pub fn run(args: &VendorsArgs) -> anyhow::Result<Status> {
    let packs = packs::builtin::packs().map_err(|p| problems_error("invalid built-in pack", &p))?;
    let chosen: Vec<&Pack> = match &args.id {
        Some(id) => {
            let pack = packs.iter().find(|p| &p.id == id).ok_or_else(|| {
                let ids: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
                anyhow::anyhow!("unknown vendor `{id}`; known vendors: {}", ids.join(", "))
            })?;
            vec![pack]
        }
        None => packs.iter().collect(),
    };
    let text = match args.format {
        TextFormat::Json => report::vendors::json(&chosen),
        TextFormat::Human => report::vendors::human(&chosen),
    };
    report::write(None, &text)?;
    Ok(0)
}
