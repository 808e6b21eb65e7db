//! `demarcate explain FILE[:LINE]` and `demarcate explain --code CODE`.

use std::path::PathBuf;

use super::{ExplainArgs, Status};
use crate::explain;
use crate::findings::Code;
use crate::report;
use crate::session::Session;

/// Splits `FILE:LINE` (the line is optional).
fn target(text: &str) -> (PathBuf, Option<u32>) {
    match text.rsplit_once(':') {
        Some((file, line)) if !file.is_empty() && line.parse::<u32>().is_ok() => {
            (PathBuf::from(file), line.parse().ok())
        }
        _ => (PathBuf::from(text), None),
    }
}

/// Runs `explain`.
pub fn run(args: &ExplainArgs) -> anyhow::Result<Status> {
    if let Some(code) = &args.code {
        let code = Code::parse(code).ok_or_else(|| {
            let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            anyhow::anyhow!("unknown finding code `{code}`; codes: {}", all.join(", "))
        })?;
        report::write(None, &report::explain::code(code, args.format.into()))?;
        return Ok(0);
    }
    let Some(text) = &args.target else {
        anyhow::bail!("explain needs FILE[:LINE] or --code CODE");
    };
    let (file, line) = target(text);
    if !file.is_file() {
        anyhow::bail!("`{}` is not a file", file.display());
    }
    let session = Session::open(std::slice::from_ref(&file), &args.model.request())?;
    let models = session.models()?;
    let found = explain::explain(&session, &models, &file, line)?;
    report::write(
        None,
        &report::explain::render_explanation(&found, &models, args.format.into()),
    )?;
    Ok(0)
}
