//! Where a command works: the repository root (the git work tree that holds
//! the paths, or the first path's folder), the paths to scan, and the
//! `.demarcate.yaml` that applies.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The configuration file name looked up from the scanned path upwards.
pub const CONFIG_NAME: &str = ".demarcate.yaml";

/// The resolved root, paths and configuration file of one run.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Repository root (absolute); output paths are relative to it.
    pub root: PathBuf,
    /// Absolute paths to scan, inside `root`.
    pub paths: Vec<PathBuf>,
    /// The configuration file, if one applies.
    pub config: Option<PathBuf>,
    /// The folder the configuration's globs are relative to.
    pub config_dir: PathBuf,
}

impl Workspace {
    /// Resolves `paths` (relative to the current directory; none means the
    /// current directory) and the configuration (`explicit`, or the nearest
    /// `.demarcate.yaml` from the first path up to the root).
    pub fn resolve(paths: &[PathBuf], explicit: Option<&Path>) -> anyhow::Result<Workspace> {
        Workspace::resolve_with(paths, explicit, false)
    }

    /// As [`Workspace::resolve`], for runs that read the configuration from
    /// commits only (`--head`): the work tree's `.demarcate.yaml` is only
    /// located (its path names the configuration in each commit), so one
    /// that is not a regular file there (a FIFO, a device) does not matter.
    pub fn resolve_for_commits(
        paths: &[PathBuf],
        explicit: Option<&Path>,
    ) -> anyhow::Result<Workspace> {
        Workspace::resolve_with(paths, explicit, true)
    }

    fn resolve_with(
        paths: &[PathBuf],
        explicit: Option<&Path>,
        commits: bool,
    ) -> anyhow::Result<Workspace> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let given: Vec<PathBuf> = if paths.is_empty() {
            vec![cwd.clone()]
        } else {
            paths.to_vec()
        };
        let mut abs = Vec::with_capacity(given.len());
        for p in &given {
            let joined = cwd.join(p);
            let canonical = std::fs::canonicalize(&joined)
                .with_context(|| format!("path `{}` does not exist", p.display()))?;
            abs.push(canonical);
        }
        let start = match abs.first() {
            Some(p) if p.is_dir() => p.clone(),
            Some(p) => p.parent().map_or_else(|| p.clone(), Path::to_path_buf),
            None => cwd.clone(),
        };
        // The git work tree; outside git, the nearest folder with a
        // configuration, or the current directory when it holds the paths.
        let root = git_root(&start)
            .or_else(|| {
                start
                    .ancestors()
                    .find(|d| d.join(CONFIG_NAME).is_file())
                    .map(Path::to_path_buf)
            })
            .or_else(|| {
                let cwd = std::fs::canonicalize(&cwd).ok()?;
                start.starts_with(&cwd).then_some(cwd)
            })
            .unwrap_or_else(|| start.clone());
        for p in &abs {
            if !p.starts_with(&root) {
                bail!(
                    "path `{}` is outside the repository `{}`; lint one repository at a time",
                    p.display(),
                    root.display()
                );
            }
        }
        let config = match explicit {
            Some(file) => Some(std::fs::canonicalize(cwd.join(file)).with_context(|| {
                format!("configuration file `{}` does not exist", file.display())
            })?),
            None => nearest_config(&start, &root, commits)?,
        };
        let config_dir = config
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(|| root.clone(), Path::to_path_buf);
        Ok(Workspace {
            root,
            paths: abs,
            config,
            config_dir,
        })
    }
}

/// The nearest folder at or above `start` that is a git work tree (has `.git`).
fn git_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The nearest `.demarcate.yaml` from `start` up to `root`. One that is
/// there but is not a regular file (a FIFO, a device, a link to one) is an
/// error: it is never opened, and never silently passed over; unless only
/// its place is wanted (`located_only`: it is then read from commits).
fn nearest_config(
    start: &Path,
    root: &Path,
    located_only: bool,
) -> anyhow::Result<Option<PathBuf>> {
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_NAME);
        let there = std::fs::symlink_metadata(&candidate).is_ok();
        if candidate.is_file() || (located_only && there) {
            return Ok(Some(candidate));
        }
        if there {
            bail!(
                "configuration `{}` is not a regular file (a FIFO, device, folder or broken link); not read",
                candidate.display()
            );
        }
        if dir == root {
            break;
        }
    }
    Ok(None)
}

/// Repository-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}
