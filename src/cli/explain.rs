//! `demarcate explain FILE[:LINE]` and `demarcate explain --code CODE`.

use std::path::PathBuf;

use super::{ExplainArgs, Status};
use crate::findings::Code;
use crate::report::{
    self,
    explain::{Explained, Shown},
};
use crate::scan;
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
    let result = scan::scan(&session.request, &models);
    let Some(scanned) = result.files.first() else {
        anyhow::bail!(
            "`{}` is not a file demarcate reads (YAML, .tf or .tfvars), or it is ignored",
            file.display()
        );
    };
    let model = scanned.model.and_then(|m| models.model(m));
    let chosen = pick(scanned, line);
    let absent = line.filter(|_| chosen.is_empty());
    let chosen = match absent {
        Some(line) => nearest(scanned, line),
        None => chosen,
    };
    let explained: Vec<Explained<'_>> = chosen
        .into_iter()
        .map(|i| Explained::new(&scanned.settings[i], scanned.matches[i], model))
        .collect();
    let shown = match absent {
        Some(line) => Shown::Nothing {
            file: &scanned.rel,
            line,
            nearest: &explained,
        },
        None => Shown::Settings(&explained),
    };
    let problems = result.problems();
    report::write(
        None,
        &report::explain::render(&shown, &problems, model, args.format.into()),
    )?;
    Ok(0)
}

/// Most settings listed as the nearest to a line with none.
const NEAREST: usize = 3;

/// The settings that start nearest to a line (the first of each line), in line order.
fn nearest(file: &scan::FileScan, line: u32) -> Vec<usize> {
    let start = |i: usize| file.settings[i].span.start.line;
    let mut by_distance: Vec<usize> = (0..file.settings.len()).collect();
    by_distance.sort_by_key(|&i| (start(i).abs_diff(line), i));
    let mut out: Vec<usize> = Vec::with_capacity(NEAREST);
    for i in by_distance {
        if out.len() == NEAREST {
            break;
        }
        if !out.iter().any(|&j| start(j) == start(i)) {
            out.push(i);
        }
    }
    out.sort_unstable();
    out
}

/// The settings at a line: those that start on it, else the innermost value
/// written over several lines that covers it (a block only covering it means
/// the line is blank, a comment or a closing bracket: none); every setting
/// of the file without a line.
fn pick(file: &scan::FileScan, line: Option<u32>) -> Vec<usize> {
    let Some(line) = line else {
        return (0..file.settings.len()).collect();
    };
    let starting: Vec<usize> = (0..file.settings.len())
        .filter(|&i| file.settings[i].span.start.line == line)
        .collect();
    if !starting.is_empty() {
        return starting;
    }
    let covering = (0..file.settings.len())
        .filter(|&i| !file.settings[i].is_block() && file.settings[i].span.contains_line(line));
    let size = |i: usize| {
        let s = file.settings[i].span;
        (s.end.line - s.start.line, s.end.col.abs_diff(s.start.col))
    };
    covering.min_by_key(|&i| size(i)).into_iter().collect()
}
