//! `demarcate explain`.

use super::Status;

/// Runs `explain`.
pub fn run(_args: &super::ExplainArgs) -> anyhow::Result<Status> {
    anyhow::bail!("`demarcate explain` needs the rule packs, which this build does not have yet")
}
