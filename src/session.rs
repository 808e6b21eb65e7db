//! What every command needs before it scans: the workspace, the
//! configuration, the packs (built-in and configured), and the scan request.

use anyhow::anyhow;

use crate::config::{self, Config, ModelChoice};
use crate::discover::WalkOptions;
use crate::models::{self, Models};
use crate::packs::{self, Pack};
use crate::scan::ScanRequest;
use crate::typed::problems_error;
use crate::workspace::Workspace;

/// Which responsibility model the caller asks for, over the configuration
/// file's choice (the command line fills it from its model flags).
#[derive(Debug, Clone, Default)]
pub struct ModelRequest {
    /// Configuration file named explicitly (default: the nearest `.demarcate.yaml`).
    pub config: Option<std::path::PathBuf>,
    /// Vendor id; replaces the configured default model and turns scopes off.
    pub vendor: Option<String>,
    /// Deployment id.
    pub deployment: Option<String>,
    /// Model options as `K=V` texts (checked when the session opens).
    pub options: Vec<String>,
}

/// A prepared run.
#[derive(Debug)]
pub struct Session {
    /// Root, paths and configuration file.
    pub ws: Workspace,
    /// The configuration, if a file applies.
    pub config: Option<Config>,
    /// Built-in packs, then configured ones (a configured pack replaces a built-in one with its id).
    pub packs: Vec<Pack>,
    /// What to scan.
    pub request: ScanRequest,
    /// The model chosen on the command line.
    pub cli: ModelChoice,
    /// Whether the configuration was named with `--config` (then it is not
    /// part of the change, and judges both ends).
    pub explicit_config: bool,
}

impl Session {
    /// Resolves the workspace, loads configuration and packs.
    pub fn open(paths: &[std::path::PathBuf], args: &ModelRequest) -> anyhow::Result<Session> {
        Session::open_in(paths, args, false)
    }

    /// As [`Session::open`], for comparing two commits (`--head`): the work
    /// tree's configuration and the packs it names are not read (each
    /// commit's are read from git, so an invalid one in the work tree does
    /// not stop the run), unless `--config` names a file outside the
    /// repository, which is the caller's own and judges both commits.
    pub fn open_commits(
        paths: &[std::path::PathBuf],
        args: &ModelRequest,
    ) -> anyhow::Result<Session> {
        Session::open_in(paths, args, true)
    }

    fn open_in(
        paths: &[std::path::PathBuf],
        args: &ModelRequest,
        commits: bool,
    ) -> anyhow::Result<Session> {
        let ws = if commits {
            Workspace::resolve_for_commits(paths, args.config.as_deref())?
        } else {
            Workspace::resolve(paths, args.config.as_deref())?
        };
        let callers_own =
            args.config.is_some() && ws.config.as_ref().is_some_and(|f| !f.starts_with(&ws.root));
        let config = match &ws.config {
            Some(_) if commits && !callers_own => None,
            Some(file) => {
                // A configuration found in the repository is part of the
                // change under review: it may not lead out of the repository.
                if args.config.is_none() {
                    inside(&ws.root, file, "the configuration")?;
                }
                let shown = crate::workspace::relative(&ws.root, file)
                    .unwrap_or_else(|| file.display().to_string());
                let prefix = crate::workspace::relative(&ws.root, &ws.config_dir)
                    .filter(|d| !d.is_empty())
                    .map(|d| format!("{d}/"))
                    .unwrap_or_default();
                Some(
                    config::load(file, &shown, &prefix)
                        .map_err(|p| problems_error("invalid configuration", &p))?,
                )
            }
            None => None,
        };
        let mut texts = Vec::new();
        for (path, _) in config
            .as_ref()
            .map(|c| c.packs.as_slice())
            .unwrap_or_default()
        {
            let shown = crate::workspace::relative(&ws.root, path)
                .unwrap_or_else(|| path.display().to_string());
            if args.config.is_none() {
                inside(&ws.root, path, &format!("pack `{shown}`"))?;
            }
            let text =
                crate::source::read_text_file(path, config::MAX_CONFIG_BYTES).map_err(|e| {
                    anyhow!("cannot read pack `{shown}` named in the configuration: {e}")
                })?;
            texts.push((shown, text));
        }
        let packs = with_packs(&texts)?;
        if let Some(c) = &config {
            let problems = crate::contacts::check(&c.contacts, &packs, &c.file);
            if !problems.is_empty() {
                return Err(problems_error("invalid configuration", &problems));
            }
        }
        let request = request(&ws, config.as_ref())?;
        let cli = ModelChoice {
            vendor: args.vendor.clone(),
            deployment: args.deployment.clone(),
            options: models::parse_options(&args.options).map_err(|e| anyhow!(e))?,
            pos: crate::setting::Pos::new(1, 1),
        };
        Ok(Session {
            ws,
            config,
            packs,
            request,
            cli,
            explicit_config: args.config.is_some(),
        })
    }

    /// The models of this run.
    pub fn models(&self) -> anyhow::Result<Models<'_>> {
        Models::resolve(&self.packs, self.config.as_ref(), &self.cli)
            .map_err(|p| problems_error("invalid vendor, deployment or options", &p))
    }
}

/// The built-in packs with configured ones (`(shown name, text)`) loaded
/// over them: a configured pack replaces a built-in one with its id.
pub fn with_packs(texts: &[(String, String)]) -> anyhow::Result<Vec<Pack>> {
    let mut packs =
        packs::builtin::packs().map_err(|p| problems_error("invalid built-in pack", &p))?;
    for (shown, text) in texts {
        let pack =
            packs::load::load(text, shown).map_err(|p| problems_error("invalid pack", &p))?;
        packs.retain(|p| p.id != pack.id);
        packs.push(pack);
    }
    Ok(packs)
}

/// Refuses a file that resolves outside the repository (a link out of it,
/// `..`, an absolute path), so that its text never reaches the output.
fn inside(root: &std::path::Path, file: &std::path::Path, what: &str) -> anyhow::Result<()> {
    let real = std::fs::canonicalize(file)
        .map_err(|e| anyhow!("cannot read {what} named in the configuration: {e}"))?;
    if real.starts_with(root) {
        Ok(())
    } else {
        Err(anyhow!(
            "{what} is outside the repository; not read (name it with --config to use it)"
        ))
    }
}

/// The scan request: configured limits, ignore globs and values files.
pub fn request(ws: &Workspace, config: Option<&Config>) -> anyhow::Result<ScanRequest> {
    let limits = config.map(|c| c.limits.clone()).unwrap_or_default();
    let glob = |g: &str| {
        globset::Glob::new(g).map_err(|e| anyhow!("invalid glob `{g}` in the configuration: {e}"))
    };
    let mut walk = WalkOptions {
        max_file_bytes: limits.max_file_bytes,
        ..WalkOptions::default()
    };
    if let Some(c) = config {
        let mut ignore = globset::GlobSetBuilder::new();
        for g in &c.ignore {
            ignore.add(glob(g)?);
        }
        walk.ignore = Some(ignore.build()?);
        for (paths, chart) in &c.values {
            for g in paths {
                walk.values
                    .push((glob(g)?.compile_matcher(), chart.clone()));
            }
        }
    }
    Ok(ScanRequest {
        root: ws.root.clone(),
        paths: ws.paths.clone(),
        walk,
        limits,
    })
}
