//! `demarcate init`: looks at the repository (the shared scan, without a
//! model), detects the vendors whose products it runs, and writes a commented
//! `.demarcate.yaml` that proposes the model. The only command that writes
//! into the scanned repository; it never overwrites without `--force`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{InitArgs, Status};
use crate::config;
use crate::discover::WalkOptions;
use crate::init;
use crate::limits::Limits;
use crate::models::Models;
use crate::packs::{self, Pack};
use crate::report;
use crate::scan::{self, ScanRequest};
use crate::typed::problems_error;
use crate::workspace::CONFIG_NAME;

/// Runs `init`.
pub fn run(args: &InitArgs) -> anyhow::Result<Status> {
    let given = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let root = std::fs::canonicalize(&given)
        .with_context(|| format!("path `{}` does not exist", given.display()))?;
    if !root.is_dir() {
        bail!(
            "`{}` is not a folder; run init on the repository root",
            given.display()
        );
    }
    let target = root.join(CONFIG_NAME);
    if target.exists() && !args.force {
        bail!(
            "`{}` already exists; it was left unchanged (use --force to overwrite it)",
            target.display()
        );
    }
    let packs = packs::builtin::packs().map_err(|p| problems_error("invalid built-in pack", &p))?;
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
    let detection = init::detect(&result, &packs);
    let text = init::template::render(&detection, &packs);
    let existed = target.exists();
    std::fs::write(&target, &text)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    check(&target, &packs)?;
    let summary = report::init::render(&detection, CONFIG_NAME, existed);
    report::write(None, &summary)?;
    Ok(0)
}

/// The written file loads and names known vendors and deployments.
fn check(path: &Path, packs: &[Pack]) -> anyhow::Result<()> {
    let loaded = config::load(path, CONFIG_NAME, "")
        .map_err(|p| problems_error("the written configuration does not load", &p))?;
    Models::resolve(packs, Some(&loaded), &config::ModelChoice::default())
        .map_err(|p| problems_error("the written configuration names an unknown model", &p))?;
    Ok(())
}
