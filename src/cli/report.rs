//! `demarcate report`: the responsibility inventory of the repository,
//! streamed file by file, rendered as HTML, Markdown or JSON.

use super::{ReportArgs, Status};
use crate::inventory;
use crate::report;
use crate::session::Session;

/// Runs `report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<Status> {
    let session = Session::open(&args.paths, &args.model.request())?;
    let models = session.models()?;
    let inv = inventory::build(&session, &models);
    let text = report::inventory::render(args.format.into(), &inv)?;
    report::write(args.output.as_deref(), &text)?;
    Ok(0)
}
