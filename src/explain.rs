//! `explain FILE[:LINE]` in the engine: the file read and classified, and
//! which of its settings answer the question (those on the line, the
//! innermost value written over it, or, on a line with none, the nearest
//! ones). The reporter (`report::explain`) renders the result; nothing here
//! prints. See ARCHITECTURE.md.

use std::path::Path;

use crate::finding::Finding;
use crate::models::Models;
use crate::scan::{self, FileScan};
use crate::session::Session;

/// What `explain` found in one file.
#[derive(Debug)]
pub struct Explanation {
    /// The file, read and classified.
    pub file: FileScan,
    /// The settings to show (indexes into `file.settings`, in order).
    pub shown: Vec<usize>,
    /// The line asked for, when no setting is written on it (`shown` then
    /// holds the nearest ones).
    pub absent: Option<u32>,
    /// Parse errors and notes about the file.
    pub problems: Vec<Finding>,
}

/// Reads `file` (a path the session was opened on) under `models` and picks
/// the settings at `line` (every setting without a line).
pub fn explain(
    session: &Session,
    models: &Models<'_>,
    file: &Path,
    line: Option<u32>,
) -> anyhow::Result<Explanation> {
    let result = scan::scan(&session.request, models);
    let problems = result.problems();
    let Some(scanned) = result.files.into_iter().next() else {
        anyhow::bail!(
            "`{}` is not a file demarcate reads (YAML, .tf or .tfvars), or it is ignored",
            file.display()
        );
    };
    let chosen = pick(&scanned, line);
    let absent = line.filter(|_| chosen.is_empty());
    let shown = match absent {
        Some(line) => nearest(&scanned, line),
        None => chosen,
    };
    Ok(Explanation {
        file: scanned,
        shown,
        absent,
        problems,
    })
}

/// Most settings listed as the nearest to a line with none.
const NEAREST: usize = 3;

/// The settings that start nearest to a line (the first of each line), in line order.
fn nearest(file: &FileScan, line: u32) -> Vec<usize> {
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
fn pick(file: &FileScan, line: Option<u32>) -> Vec<usize> {
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
