//! Which responsibility model judges which file: the default model (from the
//! command line or `.demarcate.yaml`) and scopes (another vendor or
//! deployment per path glob), checked against the loaded packs.

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};

mod model;

pub use model::{AreaRefs, Model};

use crate::classify::{Classifier, Match};
use crate::config::{Config, ModelChoice};
use crate::packs::Pack;
use crate::setting::SettingRef;
use crate::typed::{Problem, Problems};

/// One model and the files it applies to.
#[derive(Debug)]
pub struct Entry<'p> {
    /// Files it applies to (`None`: every file not claimed by an earlier entry).
    pub paths: Option<GlobSet>,
    /// The model.
    pub model: Model<'p>,
    classifier: usize,
}

/// The models of one run, in the order they are tried.
#[derive(Debug, Default)]
pub struct Models<'p> {
    entries: Vec<Entry<'p>>,
    classifiers: Vec<Classifier<'p>>,
}

impl<'p> Models<'p> {
    /// No model: settings stay unclassified.
    pub fn none() -> Models<'p> {
        Models::default()
    }

    /// The entries (scopes first, the default last).
    pub fn entries(&self) -> &[Entry<'p>] {
        &self.entries
    }

    /// The default model, if any.
    pub fn default_model(&self) -> Option<&Model<'p>> {
        self.entries
            .iter()
            .find(|e| e.paths.is_none())
            .map(|e| &e.model)
    }

    /// The index of the model that judges a repository-relative file.
    pub fn for_file(&self, rel: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.paths.as_ref().is_none_or(|g| g.is_match(rel)))
    }

    /// The model at an index from [`Models::for_file`].
    pub fn model(&self, index: usize) -> Option<&Model<'p>> {
        self.entries.get(index).map(|e| &e.model)
    }

    /// The compiled rules of the model at `index`.
    pub fn classifier(&self, index: usize) -> Option<&Classifier<'p>> {
        let e = self.entries.get(index)?;
        self.classifiers.get(e.classifier)
    }

    /// Classifies a setting under the model at `index`.
    pub fn classify(&self, index: usize, s: &SettingRef<'_>) -> Option<Match> {
        let e = self.entries.get(index)?;
        self.classifiers[e.classifier].classify(s)
    }

    /// Resolves the models: `cli` (vendor, deployment, options from flags)
    /// overrides the configuration's default and disables its scopes.
    pub fn resolve(
        packs: &'p [Pack],
        config: Option<&Config>,
        cli: &ModelChoice,
    ) -> Result<Models<'p>, Vec<Problem>> {
        let mut p = Problems::new(config.map_or("command line", |c| c.file.as_str()));
        let mut models = Models::default();
        // Choosing a vendor or deployment on the command line judges every
        // file by that model; options alone only adjust the default model.
        let from_cli = cli.vendor.is_some() || cli.deployment.is_some();
        if !from_cli {
            for scope in config.map(|c| c.scopes.as_slice()).unwrap_or_default() {
                let Some(model) = choose(packs, &scope.model, None, &mut p) else {
                    continue;
                };
                let mut set = GlobSetBuilder::new();
                for g in &scope.paths {
                    match Glob::new(g) {
                        Ok(glob) => {
                            set.add(glob);
                        }
                        Err(e) => p.at(scope.model.pos, format!("scope path `{g}`: {e}")),
                    }
                }
                if let Ok(set) = set.build() {
                    models.push(Some(set), model, packs);
                }
            }
        }
        let default = match config {
            Some(c) if cli.vendor.is_none() || cli.vendor == c.model.vendor => {
                let mut merged = c.model.clone();
                merged.deployment = cli.deployment.clone().or(merged.deployment);
                merged.options.extend(cli.options.clone());
                merged
            }
            _ => cli.clone(),
        };
        if default.vendor.is_none() && default.deployment.is_none() && !cli.options.is_empty() {
            p.at(
                cli.pos,
                "--option needs a vendor (in .demarcate.yaml or with --vendor)",
            );
        }
        if default.vendor.is_some() || default.deployment.is_some() {
            if let Some(model) = choose(packs, &default, Some(cli), &mut p) {
                models.push(None, model, packs);
            }
        }
        if p.is_empty() {
            Ok(models)
        } else {
            Err(p.list)
        }
    }

    fn push(&mut self, paths: Option<GlobSet>, model: Model<'p>, packs: &'p [Pack]) {
        let index = packs
            .iter()
            .position(|pk| std::ptr::eq(pk, model.pack))
            .unwrap_or(0);
        let classifier = match self
            .classifiers
            .iter()
            .position(|c| std::ptr::eq(c.pack(), &packs[index]))
        {
            Some(i) => i,
            None => {
                self.classifiers.push(Classifier::new(&packs[index]));
                self.classifiers.len() - 1
            }
        };
        self.entries.push(Entry {
            paths,
            model,
            classifier,
        });
    }
}

/// Records a problem with a command-line flag: it is named, not located in
/// the configuration.
fn flag_problem(p: &mut Problems, message: String) {
    p.list.push(Problem {
        file: "command line".to_string(),
        pos: crate::setting::Pos::new(0, 0),
        message,
    });
}

/// Checks a model choice against the packs; `cli` holds the flags the
/// choice was (partly) made with, so that a problem names its flag.
fn choose<'p>(
    packs: &'p [Pack],
    choice: &ModelChoice,
    cli: Option<&ModelChoice>,
    p: &mut Problems,
) -> Option<Model<'p>> {
    let ids = || {
        packs
            .iter()
            .map(|pk| pk.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let by_flag = |value: Option<&String>, flag: fn(&ModelChoice) -> Option<&String>| {
        cli.and_then(flag).is_some_and(|f| Some(f) == value)
    };
    let vendor_flag = by_flag(choice.vendor.as_ref(), |c| c.vendor.as_ref());
    let deployment_flag = by_flag(choice.deployment.as_ref(), |c| c.deployment.as_ref());
    let Some(vendor) = &choice.vendor else {
        match &choice.deployment {
            Some(d) if deployment_flag => flag_problem(
                p,
                format!("--deployment {d} needs --vendor: one of {}", ids()),
            ),
            _ => p.at(
                choice.pos,
                format!("a deployment needs a vendor (one of: {})", ids()),
            ),
        }
        return None;
    };
    let Some(pack) = packs.iter().find(|pk| &pk.id == vendor) else {
        let message = format!("unknown vendor `{vendor}`; known vendors: {}", ids());
        if vendor_flag {
            flag_problem(p, format!("--vendor {vendor}: {message}"));
        } else {
            p.at(choice.pos, message);
        }
        return None;
    };
    let deployments = || {
        pack.deployments
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let deployment = match (&choice.deployment, pack.deployments.as_slice()) {
        (Some(d), _) if pack.deployment(d).is_some() => d.clone(),
        (Some(d), _) => {
            let message = format!(
                "unknown deployment `{d}` for {vendor}; deployments: {}",
                deployments()
            );
            if deployment_flag {
                flag_problem(p, format!("--deployment {d}: {message}"));
            } else {
                p.at(choice.pos, message);
            }
            return None;
        }
        (None, [only]) => only.id.clone(),
        (None, _) => {
            if vendor_flag {
                flag_problem(
                    p,
                    format!(
                        "--vendor {vendor} needs --deployment: one of {}",
                        deployments()
                    ),
                );
            } else {
                p.at(
                    choice.pos,
                    format!("{vendor} needs a deployment: one of {}", deployments()),
                );
            }
            return None;
        }
    };
    let mut ok = true;
    for (k, v) in &choice.options {
        let message = match pack.options.iter().find(|o| &o.id == k) {
            None => format!("{vendor} has no option `{k}`"),
            Some(o) if !o.values.contains(v) => format!(
                "option `{k}` cannot be `{v}`; values: {}",
                o.values.join(", ")
            ),
            Some(_) => continue,
        };
        ok = false;
        if cli.is_some_and(|c| c.options.get(k) == Some(v)) {
            flag_problem(p, format!("--option {k}={v}: {message}"));
        } else {
            p.at(choice.pos, message);
        }
    }
    ok.then(|| Model {
        pack,
        deployment,
        options: pack.options_with(&choice.options),
    })
}

/// Parses `--option K=V` flags.
pub fn parse_options(flags: &[String]) -> Result<BTreeMap<String, String>, String> {
    flags
        .iter()
        .map(|f| match f.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
            _ => Err(format!("--option `{f}` must be KEY=VALUE")),
        })
        .collect()
}

impl AreaRefs {
    /// Resolves every area of every model.
    pub fn new(models: &Models<'_>) -> AreaRefs {
        AreaRefs {
            by_model: models
                .entries()
                .iter()
                .map(|e| {
                    e.model
                        .pack
                        .areas
                        .iter()
                        .map(|a| std::sync::Arc::new(e.model.area_ref(a)))
                        .collect()
                })
                .collect(),
        }
    }
}
