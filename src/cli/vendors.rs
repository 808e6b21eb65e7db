//! `demarcate vendors`.

use super::Status;

/// Runs `vendors`.
pub fn run(_args: &super::VendorsArgs) -> anyhow::Result<Status> {
    anyhow::bail!("`demarcate vendors` needs the rule packs, which this build does not have yet")
}
