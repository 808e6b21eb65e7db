//! The configuration that judges a change: in `--base` and `--staged` modes
//! the base revision's `.demarcate.yaml` and the packs it names, read from
//! git (`cat-file`), never from the work tree a pull request can edit. The
//! work tree's configuration is kept for its waivers (the approval flow) and
//! compared with the base's ([`compare`]): every edit is a `config-change`.

pub mod compare;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail};

use crate::config::{self, Config, ModelChoice};
use crate::git::{Blob, BlobSpec, NewSide, Repo};
use crate::models::Models;
use crate::packs::Pack;
use crate::scan::ScanRequest;
use crate::session::{self, Session};
use crate::typed::problems_error;
use crate::workspace::{CONFIG_NAME, Workspace};

/// A configuration as found at one end: its text, the loaded form, and the
/// texts of the packs it names.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Repository-relative path of the file.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The loaded configuration.
    pub config: Config,
    /// Repository-relative path → text of each pack it names.
    pub packs: BTreeMap<String, String>,
}

/// The base revision's configuration, packs and scan settings.
#[derive(Debug)]
pub struct Baseline {
    /// The configuration, when the base has one.
    pub snapshot: Option<Snapshot>,
    /// Built-in packs and the base configuration's.
    pub packs: Vec<Pack>,
    /// Walk options and limits from the base configuration.
    pub request: ScanRequest,
}

impl Baseline {
    /// What a change is read with, this being its base end: this end's scan
    /// settings when it has a configuration (the base judges), else the
    /// head commit's (`head`, with --head), else `current` (the work tree's).
    pub fn request_with<'a>(
        &'a self,
        head: Option<&'a Baseline>,
        current: &'a ScanRequest,
    ) -> &'a ScanRequest {
        match head {
            _ if self.snapshot.is_some() => &self.request,
            Some(h) => &h.request,
            None => current,
        }
    }

    /// The base configuration.
    pub fn config(&self) -> Option<&Config> {
        self.snapshot.as_ref().map(|s| &s.config)
    }

    /// The models of the base revision (`cli`, the command line's choice,
    /// still overrides).
    pub fn models(&self, cli: &ModelChoice) -> anyhow::Result<Models<'_>> {
        Models::resolve(&self.packs, self.config(), cli).map_err(|p| {
            problems_error(
                "invalid vendor, deployment or options at the base revision",
                &p,
            )
        })
    }
}

/// Most bytes of a configuration or pack read from a revision.
const MAX_BYTES: u64 = config::MAX_CONFIG_BYTES;

/// What reading a revision's configuration needs to know of the run: where
/// it looks (the workspace), whether `--config` named the file, and the
/// configuration loaded from disk with its packs and scan request (used as
/// they are when the file is the caller's own, named outside the repository).
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    /// Root, scanned paths and configuration file.
    pub ws: &'a Workspace,
    /// Whether the configuration was named with `--config`.
    pub explicit_config: bool,
    /// The configuration read from disk, if any.
    pub config: Option<&'a Config>,
    /// Built-in packs and those of the configuration read from disk.
    pub packs: &'a [Pack],
    /// The scan request of the configuration read from disk.
    pub request: &'a ScanRequest,
}

impl<'a> From<&'a Session> for Lookup<'a> {
    fn from(session: &'a Session) -> Self {
        Lookup {
            ws: &session.ws,
            explicit_config: session.explicit_config,
            config: session.config.as_ref(),
            packs: &session.packs,
            request: &session.request,
        }
    }
}

/// The repository-relative path of a configuration named with `--config`
/// inside the repository (it is part of the change like any tracked file).
fn named_inside(at: Lookup<'_>) -> Option<String> {
    let file = at.ws.config.as_ref().filter(|_| at.explicit_config)?;
    let root = std::fs::canonicalize(&at.ws.root).ok()?;
    crate::discover::relative(&root, file).filter(|r| !r.is_empty())
}

/// Whether the configuration was named with `--config` outside the
/// repository: then it is the caller's, not the change's, and judges both ends.
fn callers_own(at: Lookup<'_>) -> bool {
    at.explicit_config && named_inside(at).is_none()
}

/// Reads the base revision's configuration (`rev`; `None` before the first
/// commit: there is none). A configuration named with `--config` outside the
/// repository is not part of the change: it is used as it is.
pub fn load(at: Lookup<'_>, repo: &Repo, rev: Option<&str>) -> anyhow::Result<Baseline> {
    if callers_own(at) {
        return Ok(Baseline {
            snapshot: None,
            packs: at.packs.to_vec(),
            request: at.request.clone(),
        });
    }
    let snapshot = match rev {
        Some(rev) => read_snapshot(at, repo, rev)?,
        None => None,
    };
    let texts: Vec<(String, String)> = snapshot
        .iter()
        .flat_map(|s| s.packs.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect();
    let packs = session::with_packs(&texts)?;
    let request = session::request(at.ws, snapshot.as_ref().map(|s| &s.config))?;
    Ok(Baseline {
        snapshot,
        packs,
        request,
    })
}

/// The new end's configuration when it is a commit (`--head`): read from
/// that commit like the base's, never from the work tree. `None` for the
/// other new ends, and for a configuration named with `--config` outside the
/// repository (it judges both ends as it is).
pub fn at_head(at: Lookup<'_>, repo: &Repo, side: &NewSide) -> anyhow::Result<Option<Baseline>> {
    match side {
        NewSide::Commit(head) if !callers_own(at) => load(at, repo, Some(head)).map(Some),
        _ => Ok(None),
    }
}

/// The work tree's configuration as a [`Snapshot`] (`None` when there is
/// none, or when it was named with `--config` outside the repository and so
/// is not part of the change).
pub fn current(at: Lookup<'_>) -> Option<Snapshot> {
    if callers_own(at) {
        return None;
    }
    let config = at.config?.clone();
    let path = at.ws.config.as_ref()?;
    let root = &at.ws.root;
    let text = crate::source::read_text_file(path, MAX_BYTES).ok()?;
    let file = crate::discover::relative(root, path)?;
    let mut packs = BTreeMap::new();
    for (p, _) in &config.packs {
        let rel = inside(root, p).unwrap_or_else(|| p.display().to_string());
        let text = crate::source::read_text_file(p, MAX_BYTES).unwrap_or_default();
        packs.insert(rel, text);
    }
    Some(Snapshot {
        file,
        text,
        config,
        packs,
    })
}

/// The nearest `.demarcate.yaml` at the base, from the first scanned path
/// up to the root, with the packs it names.
fn read_snapshot(at: Lookup<'_>, repo: &Repo, rev: &str) -> anyhow::Result<Option<Snapshot>> {
    let root = repo.root();
    let candidates = match named_inside(at) {
        Some(rel) => vec![rel],
        None => config_candidates(at.ws, root),
    };
    let specs: Vec<BlobSpec<'_>> = candidates
        .iter()
        .map(|path| BlobSpec::AtRevision { rev, path })
        .collect();
    let blobs = repo.read_blobs(&specs, MAX_BYTES)?;
    let Some((file, blob)) = candidates
        .into_iter()
        .zip(blobs)
        .find(|(_, b)| !matches!(b, Blob::Missing | Blob::NotBlob))
    else {
        return Ok(None);
    };
    let text = text_of(blob, &file)?;
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let shown = format!("{file} (at the base revision)");
    let config = config::load_text(&text, &root.join(&file), &shown, &prefix)
        .map_err(|p| problems_error("invalid configuration at the base revision", &p))?;
    let mut pack_files = Vec::new();
    for (path, _) in &config.packs {
        let rel = inside(root, path).ok_or_else(|| {
            anyhow!(
                "pack `{}` named in the base configuration is outside the repository",
                path.display()
            )
        })?;
        pack_files.push(rel);
    }
    let specs: Vec<BlobSpec<'_>> = pack_files
        .iter()
        .map(|path| BlobSpec::AtRevision { rev, path })
        .collect();
    let blobs = repo.read_blobs(&specs, MAX_BYTES)?;
    let mut packs = BTreeMap::new();
    for (rel, blob) in pack_files.into_iter().zip(blobs) {
        let text = text_of(blob, &rel)?;
        packs.insert(rel, text);
    }
    Ok(Some(Snapshot {
        file,
        text,
        config,
        packs,
    }))
}

/// The text of a configuration or pack blob.
fn text_of(blob: Blob, rel: &str) -> anyhow::Result<String> {
    match blob {
        Blob::Found(b) => String::from_utf8(b)
            .map_err(|_| anyhow!("`{rel}` at the base revision is not UTF-8 text")),
        Blob::TooLarge(size) => {
            bail!("`{rel}` at the base revision is {size} bytes, over the {MAX_BYTES} byte limit")
        }
        Blob::Missing | Blob::NotBlob => {
            bail!("`{rel}`, named by the base revision's configuration, is not in that revision")
        }
    }
}

/// Where a configuration can be, nearest first: the folder of the first
/// scanned path and each folder above it, up to the root.
fn config_candidates(ws: &Workspace, root: &Path) -> Vec<String> {
    let start = match ws.paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        Some(p) => p.parent().map_or_else(|| p.clone(), Path::to_path_buf),
        None => root.to_path_buf(),
    };
    let mut out = Vec::new();
    for dir in start.ancestors() {
        let Some(rel) = crate::discover::relative(root, dir) else {
            break;
        };
        out.push(if rel.is_empty() {
            CONFIG_NAME.to_string()
        } else {
            format!("{rel}/{CONFIG_NAME}")
        });
        if dir == root {
            break;
        }
    }
    out
}

/// The repository-relative form of a path, resolved lexically (`..`
/// removed); `None` when it leaves the root.
pub fn inside(root: &Path, path: &Path) -> Option<String> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    crate::discover::relative(root, &out).filter(|r| !r.is_empty())
}
