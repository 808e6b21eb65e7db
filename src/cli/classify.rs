//! `demarcate classify`: every setting with its location, format, key path,
//! area and responsible parties.

use super::{ClassifyArgs, Status};
use crate::findings::Severity;
use crate::models::Models;
use crate::report::{self, settings::SettingRow};
use crate::scan::{self, Scan};
use crate::session::Session;

/// Runs `classify`.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<Status> {
    if args.base.is_some() {
        anyhow::bail!("`classify --base` is not available in this build yet");
    }
    let session = Session::open(&args.paths, &args.model)?;
    let models = session.models()?;
    let result = scan::scan(&session.request, &models);
    let rows = rows(&result, &models);
    let problems = result.problems();
    let text = report::settings::render(args.format, &rows, &problems);
    report::write(args.output.as_deref(), &text)?;
    Ok(u8::from(
        problems.iter().any(|p| p.severity == Severity::Error),
    ))
}

/// Every setting of a scan with its area, if any.
pub fn rows<'s>(scan: &'s Scan, models: &Models<'_>) -> Vec<SettingRow<'s>> {
    let mut rows = Vec::new();
    for file in &scan.files {
        let model = file.model.and_then(|m| models.model(m));
        for (setting, m) in file.settings.iter().zip(&file.matches) {
            let area = model
                .zip(*m)
                .map(|(model, m)| model.area_ref(&model.pack.areas[m.area]));
            rows.push(SettingRow { setting, area });
        }
    }
    rows
}
