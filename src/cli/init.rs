//! `demarcate init`.

use super::Status;

/// Runs `init`.
pub fn run(_args: &super::InitArgs) -> anyhow::Result<Status> {
    anyhow::bail!("`demarcate init` needs the rule packs, which this build does not have yet")
}
