//! Repository walk: which files to read, honouring `.gitignore` (read
//! bounded by [`crate::ignores`]), never
//! leaving the repository through symlinks, skipping `.git`, `.terraform/`
//! and chart `templates/` folders, and noting files that are not read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::Finding;
use crate::formats::chart::ChartInfo;
use crate::formats::{FileHint, FileKind};

mod walker;

pub use walker::walk;

/// A file to read.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Repository-relative path with `/`.
    pub rel: Arc<str>,
    /// Kind by name.
    pub kind: FileKind,
    /// What is known before reading it.
    pub hint: FileHint,
}

/// Settings of the walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Files larger than this are noted and skipped.
    pub max_file_bytes: u64,
    /// Repository-relative globs of files to leave out.
    pub ignore: Option<globset::GlobSet>,
    /// Repository-relative globs of files that hold Helm values, with their chart.
    pub values: Vec<(globset::GlobMatcher, Option<String>)>,
}

/// The result of a walk.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by path.
    pub files: Vec<Candidate>,
    /// Files noted but not read.
    pub skipped: Vec<Finding>,
}

/// Directory names never entered.
pub const SKIP_DIRS: [&str; 3] = [".git", ".terraform", "node_modules"];

pub use crate::workspace::relative;

/// The kind of a file by its name, if it is one we read.
pub fn kind_of(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(FileKind::Yaml)
    } else if [".yaml.j2", ".yml.j2", ".yaml.tmpl", ".yml.tmpl"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        Some(FileKind::YamlTemplate)
    } else if lower.ends_with(".tf") {
        Some(FileKind::Terraform)
    } else if lower.ends_with(".tfvars") {
        Some(FileKind::Tfvars)
    } else {
        None
    }
}

/// Whether a file name is a Helm values file by convention
/// (`values.yaml`, `values-prod.yaml`, `values.prod.yml`, `prod-values.yaml`, …).
pub fn is_values_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "values"
        || stem.starts_with("values-")
        || stem.starts_with("values.")
        || stem.starts_with("values_")
        || stem.ends_with("-values")
        || stem.ends_with(".values")
        || stem.ends_with("_values")
}

/// The candidate for one repository-relative file that changed (base and
/// staged modes): the same filters as the walk (kind, skipped folders, chart
/// templates, configuration file, `ignore:` globs) and the same hints, found
/// by looking only at the file's own folders.
pub fn candidate_for(root: &Path, rel: &str, opts: &WalkOptions) -> Option<Candidate> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let kind = kind_of(name)?;
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    if name == crate::workspace::CONFIG_NAME
        || name == "Chart.yaml"
        || dirs.iter().any(|d| SKIP_DIRS.contains(d))
    {
        return None;
    }
    let abs = root.join(rel);
    // A link is read only if it stays in the repository and names a file.
    if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink())
        && check_symlink(root, &abs) != Ok(true)
    {
        return None;
    }
    if abs
        .ancestors()
        .skip(1)
        .take(dirs.len())
        .any(is_chart_templates)
    {
        return None;
    }
    if opts.ignore.as_ref().is_some_and(|g| g.is_match(rel)) {
        return None;
    }
    let mut charts = HashMap::new();
    for dir in chart_dirs(rel) {
        let chart = if dir.is_empty() {
            root.join("Chart.yaml")
        } else {
            root.join(&dir).join("Chart.yaml")
        };
        if let Some(info) = chart_info(root, &chart) {
            charts.insert(dir, info);
        }
    }
    let hint = hint_for(rel, kind, &charts, opts);
    Some(Candidate {
        abs,
        rel: Arc::from(rel),
        kind,
        hint,
    })
}

/// Whether a directory is a chart's `templates/` folder (its parent has a `Chart.yaml`).
fn is_chart_templates(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "templates")
        && path
            .parent()
            .is_some_and(|p| p.join("Chart.yaml").is_file())
}

/// Whether a symlinked file may be read: `Ok(true)` for a file inside the
/// root, `Ok(false)` for a directory (never followed), `Err` with a note otherwise.
fn check_symlink(root: &Path, path: &Path) -> Result<bool, String> {
    let target = std::fs::canonicalize(path)
        .map_err(|e| format!("symlink cannot be resolved ({e}); not followed"))?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !target.starts_with(&root) {
        return Err("symlink points outside the repository; not followed".to_string());
    }
    Ok(target.is_file())
}

/// Why a file of a kind we read is not read from the work tree: a symlink
/// that leaves the repository or cannot be resolved (`None`: no such link).
pub fn unreadable_link(root: &Path, rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    kind_of(name)?;
    let abs = root.join(rel);
    if !std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    check_symlink(root, &abs).err()
}

/// Most bytes read of a `Chart.yaml` (for its name and dependencies).
const CHART_MAX_BYTES: u64 = 1024 * 1024;

/// The name and dependencies of a `Chart.yaml` on disk: a regular file
/// under the size cap, through a link only when it stays in the repository.
fn chart_info(root: &Path, path: &Path) -> Option<ChartInfo> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && check_symlink(root, path) != Ok(true)
    {
        return None;
    }
    let text = crate::source::read_text_file(path, CHART_MAX_BYTES).ok()?;
    ChartInfo::parse(&text)
}

/// The folders whose `Chart.yaml` can name the chart of a file: its own
/// folder and the one above (`""` for the root).
pub fn chart_dirs(rel: &str) -> Vec<String> {
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    let mut out = vec![dirs.join("/")];
    if !dirs.is_empty() {
        out.push(dirs[..dirs.len() - 1].join("/"));
    }
    out
}

/// What is known of a file before it is read: values files and their chart
/// (with its dependencies, for umbrella charts). `charts` maps a folder to
/// what its `Chart.yaml` says ([`ChartInfo::parse`]), so the same hint can be
/// built for any revision's files.
pub fn hint_for(
    rel: &str,
    kind: FileKind,
    charts: &HashMap<String, ChartInfo>,
    opts: &WalkOptions,
) -> FileHint {
    if !matches!(kind, FileKind::Yaml | FileKind::YamlTemplate) {
        return FileHint::default();
    }
    let configured = opts.values.iter().find(|(g, _)| g.is_match(rel));
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if configured.is_none() && !is_values_name(name) {
        return FileHint::default();
    }
    let near = chart_for_values(rel, charts);
    let chart = configured
        .and_then(|(_, c)| c.clone())
        .or_else(|| near.map(|c| c.name.clone()));
    // Subcharts are known only for the chart whose Chart.yaml is read.
    let subcharts = near
        .filter(|c| Some(&c.name) == chart.as_ref())
        .map(|c| c.dependencies.clone())
        .unwrap_or_default();
    FileHint {
        values: true,
        chart,
        subcharts,
    }
}

/// The chart of a values file at `rel`: the `Chart.yaml` in its folder or
/// the folder above, from `charts` (folder → what its `Chart.yaml` says;
/// built from the work tree, or from any revision's files).
pub fn chart_for_values<'c>(
    rel: &str,
    charts: &'c HashMap<String, ChartInfo>,
) -> Option<&'c ChartInfo> {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    charts.get(dir).or_else(|| {
        let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
        if dir.is_empty() {
            None
        } else {
            charts.get(parent)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_names() {
        for yes in [
            "values.yaml",
            "values-prod.yaml",
            "values.prod.yml",
            "halo-values.yaml",
            "x.values.yaml",
        ] {
            assert!(is_values_name(yes), "{yes}");
        }
        for no in [
            "myvalues.yaml",
            "values.json",
            "Chart.yaml",
            "valuesprod.yaml",
        ] {
            assert!(!is_values_name(no), "{no}");
        }
    }
}
