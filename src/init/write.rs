//! The run of `init`, and the one write demarcate makes into a repository:
//! the proposed `.demarcate.yaml`, never over an existing one unless forced,
//! and loaded back to check that it names known vendors and deployments.
//! Everything else demarcate writes is output, through `crate::report`.

use std::path::Path;

use anyhow::{Context as _, bail};

use super::Detection;
use crate::config;
use crate::discover::WalkOptions;
use crate::limits::Limits;
use crate::models::Models;
use crate::packs::Pack;
use crate::scan::{self, ScanRequest};
use crate::typed::problems_error;
use crate::workspace::CONFIG_NAME;

/// What `init` did.
pub struct Initialized<'p> {
    /// What the repository holds and which vendors it runs.
    pub detection: Detection<'p>,
    /// Whether a `.demarcate.yaml` was there before (`force`).
    pub replaced: bool,
}

/// Runs `init` on the folder `given`: reads the repository (the shared scan,
/// without a model), detects its vendors among `packs`, and writes the
/// proposed configuration as `.demarcate.yaml` at its root.
pub fn run<'p>(given: &Path, force: bool, packs: &'p [Pack]) -> anyhow::Result<Initialized<'p>> {
    let root = std::fs::canonicalize(given)
        .with_context(|| format!("path `{}` does not exist", given.display()))?;
    if !root.is_dir() {
        bail!(
            "`{}` is not a folder; run init on the repository root",
            given.display()
        );
    }
    let target = root.join(CONFIG_NAME);
    if target.exists() && !force {
        bail!(
            "`{}` already exists; it was left unchanged (use --force to overwrite it)",
            target.display()
        );
    }
    let limits = Limits::default();
    let request = ScanRequest {
        root: root.clone(),
        paths: vec![root.clone()],
        walk: WalkOptions {
            max_file_bytes: limits.max_file_bytes,
            ..WalkOptions::default()
        },
        limits,
    };
    let result = scan::scan(&request, &Models::none());
    let detection = super::detect(&result, packs);
    let text = super::template::render(&detection, packs);
    let replaced = target.exists();
    std::fs::write(&target, &text)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    check(&target, packs)?;
    Ok(Initialized {
        detection,
        replaced,
    })
}

/// The written file loads and names known vendors and deployments.
fn check(path: &Path, packs: &[Pack]) -> anyhow::Result<()> {
    let loaded = config::load(path, CONFIG_NAME, "")
        .map_err(|p| problems_error("the written configuration does not load", &p))?;
    Models::resolve(packs, Some(&loaded), &config::ModelChoice::default())
        .map_err(|p| problems_error("the written configuration names an unknown model", &p))?;
    Ok(())
}
