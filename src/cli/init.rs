//! `demarcate init`: maps the arguments onto `init::write::run` (which
//! detects the vendors and writes a commented `.demarcate.yaml`, the only
//! write into the scanned repository, never over one without `--force`) and
//! prints its summary through `report::init`.

use std::path::PathBuf;

use super::{InitArgs, Status};
use crate::init;
use crate::packs;
use crate::report;
use crate::typed::problems_error;
use crate::workspace::CONFIG_NAME;

/// Runs `init`.
pub fn run(args: &InitArgs) -> anyhow::Result<Status> {
    let given = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let packs = packs::builtin::packs().map_err(|p| problems_error("invalid built-in pack", &p))?;
    let done = init::write::run(&given, args.force, &packs)?;
    let summary = report::init::render(&done.detection, CONFIG_NAME, done.replaced);
    report::write(None, &summary)?;
    Ok(0)
}
