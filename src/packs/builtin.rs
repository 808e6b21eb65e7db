//! The built-in rule packs, embedded in the binary from `rules/`.

use super::Pack;
use super::load::load;
use crate::typed::Problem;

/// (origin, YAML text) of every built-in pack.
pub const PACKS: &[(&str, &str)] = &[];

/// Loads every built-in pack.
pub fn packs() -> Result<Vec<Pack>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (origin, text) in PACKS {
        match load(text, origin) {
            Ok(pack) => out.push(pack),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
