//! `demarcate packs test [PACK…]`: runs the examples of built-in packs (by
//! id) or of pack files (by path); all built-in packs when none is named.

use std::path::Path;

use super::{PacksArgs, PacksCommand, Status, TextFormat};
use crate::packs::{self, Pack};
use crate::report;
use crate::typed::problems_error;

/// Most bytes read of a pack file.
const PACK_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Runs `packs`.
pub fn run(args: &PacksArgs) -> anyhow::Result<Status> {
    let PacksCommand::Test(test) = &args.command;
    let builtin =
        packs::builtin::packs().map_err(|p| problems_error("invalid built-in pack", &p))?;
    let mut chosen: Vec<Pack> = Vec::new();
    if test.packs.is_empty() {
        chosen.extend(builtin.iter().cloned());
    }
    for name in &test.packs {
        if let Some(p) = builtin.iter().find(|p| &p.id == name) {
            chosen.push(p.clone());
            continue;
        }
        let path = Path::new(name);
        if !path.is_file() {
            let ids: Vec<&str> = builtin.iter().map(|p| p.id.as_str()).collect();
            anyhow::bail!(
                "`{}` is neither a built-in pack ({}) nor a pack file",
                name,
                ids.join(", ")
            );
        }
        let text = crate::source::read_text_file(path, PACK_MAX_BYTES)
            .map_err(|e| anyhow::anyhow!("cannot read pack `{}`: {e}", path.display()))?;
        let pack = packs::load::load(&text, name)
            .map_err(|p| problems_error(&format!("invalid pack `{name}`"), &p))?;
        chosen.push(pack);
    }
    let mut results = Vec::new();
    for pack in &chosen {
        if pack.examples.is_empty() {
            anyhow::bail!(
                "pack `{}` has no examples: add `examples:` to its matcher groups (see rules/README.md)",
                pack.id
            );
        }
        results.extend(crate::packtest::run(pack));
    }
    let text = match test.format {
        TextFormat::Json => report::packtest::json(&results),
        TextFormat::Human => report::packtest::human(&results),
    };
    report::write(None, &text)?;
    Ok(u8::from(results.iter().any(|r| !r.passed())))
}
