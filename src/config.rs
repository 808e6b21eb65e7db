//! `.demarcate.yaml`: read with positions (unknown keys rejected with their
//! line), globs made relative to the repository root. Checks that need the
//! packs (vendor, deployment and option names) happen in [`crate::models`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::finding::{Code, Severity};
use crate::formats::embed::PosMap;
use crate::formats::tree::Node;
use crate::formats::yaml;
use crate::limits::Limits;
use crate::setting::Pos;
use crate::source::Source;
use crate::typed::{self, Problem, Problems};

/// Keys of the top level.
pub const CONFIG_KEYS: &[&str] = &[
    "vendor",
    "deployment",
    "options",
    "packs",
    "scopes",
    "values",
    "ignore",
    "severity",
    "waivers",
    "limits",
    "allowances",
    "contacts",
    "report",
];
/// Keys of a scope.
pub const SCOPE_KEYS: &[&str] = &["paths", "vendor", "deployment", "options"];
/// Keys of a values entry.
pub const VALUES_KEYS: &[&str] = &["paths", "chart"];
/// Keys of a waiver.
pub const WAIVER_KEYS: &[&str] = &[
    "paths", "settings", "area", "code", "reason", "ref", "until", "value",
];
/// Keys of `allowances`.
pub const ALLOWANCES_KEYS: &[&str] = &["max_days", "require_ref"];

/// What every allowance (inline or waiver) must satisfy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowancePolicy {
    /// Longest an allowance may hold: `until` at most this many days ahead.
    pub max_days: u32,
    /// Whether `ref=` (inline) or `ref:` (waiver) is required.
    pub require_ref: bool,
}

impl Default for AllowancePolicy {
    fn default() -> AllowancePolicy {
        AllowancePolicy {
            max_days: 366,
            require_ref: false,
        }
    }
}
/// Keys of `report`.
pub const REPORT_KEYS: &[&str] = &["expiring_days"];
/// Days before its `until` an allowance counts as expiring in `demarcate report`, by default.
pub const EXPIRING_DAYS: u32 = 30;
/// Keys of `limits`.
pub const LIMITS_KEYS: &[&str] = &[
    "max_file_bytes",
    "max_depth",
    "max_nodes",
    "max_documents",
    "max_line_bytes",
];

/// A model choice: vendor, deployment, options, with where it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelChoice {
    /// Vendor id.
    pub vendor: Option<String>,
    /// Deployment id.
    pub deployment: Option<String>,
    /// Option values.
    pub options: BTreeMap<String, String>,
    /// Where the choice is written.
    pub pos: Pos,
}

/// A part of the repository judged by another model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Repository-relative globs.
    pub paths: Vec<String>,
    /// The model for those paths.
    pub model: ModelChoice,
}

/// A configured waiver of findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Repository-relative file globs (all files when empty).
    pub paths: Vec<String>,
    /// Key-path globs (all settings when empty).
    pub settings: Vec<String>,
    /// Area id the waiver accepts.
    pub area: Option<String>,
    /// Finding code the waiver accepts.
    pub code: Option<String>,
    /// Why (required).
    pub reason: Option<String>,
    /// Ticket or change reference.
    pub r#ref: Option<String>,
    /// Last day the waiver holds (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// The only new value the waiver approves, when pinned.
    pub value: Option<String>,
    /// Line in the configuration file.
    pub line: u32,
}

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, as shown in messages (repository-relative when possible).
    pub file: String,
    /// The default model.
    pub model: ModelChoice,
    /// Extra pack files, as absolute paths.
    pub packs: Vec<(std::path::PathBuf, Pos)>,
    /// Scopes, first match wins.
    pub scopes: Vec<Scope>,
    /// Files holding Helm values: repository-relative globs and chart.
    pub values: Vec<(Vec<String>, Option<String>)>,
    /// Repository-relative globs of files not to read.
    pub ignore: Vec<String>,
    /// Severity per finding code.
    pub severity: BTreeMap<Code, Severity>,
    /// Waivers.
    pub waivers: Vec<Waiver>,
    /// Parse limits.
    pub limits: Limits,
    /// Rules for allowances.
    pub allowances: AllowancePolicy,
    /// Whom to ask about findings.
    pub contacts: Vec<crate::contacts::Contact>,
    /// `report.expiring_days`, when set.
    pub expiring_days: Option<u32>,
}

/// Reads a configuration file. `prefix` is the configuration folder relative
/// to the repository root (`""` or `"deploy/"`), prepended to its globs.
pub fn load(path: &Path, shown: &str, prefix: &str) -> Result<Config, Vec<Problem>> {
    let mut p = Problems::new(shown);
    let text = match crate::source::read_text_file(path, MAX_CONFIG_BYTES) {
        Ok(t) => t,
        Err(e) => {
            p.at(
                Pos::new(1, 1),
                format!("cannot read the configuration: {e}"),
            );
            return Err(p.list);
        }
    };
    load_text(&text, path, shown, prefix)
}

/// Most bytes of a configuration file or a pack.
pub const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// Reads configuration text; `path` is where it is (pack paths are relative
/// to its folder), `shown` names it in messages, `prefix` as for [`load`].
pub fn load_text(
    text: &str,
    path: &Path,
    shown: &str,
    prefix: &str,
) -> Result<Config, Vec<Problem>> {
    let mut p = Problems::new(shown);
    let src = Source::new(text.to_string());
    let stream = yaml::parse(&src, &PosMap::Identity, &Limits::default());
    for e in stream.errors.iter().chain(&stream.fatal) {
        p.at(e.pos, e.message.clone());
    }
    let mut config = Config {
        file: shown.to_string(),
        ..Config::default()
    };
    if let Some(root) = stream
        .docs
        .first()
        .filter(|d| !matches!(d.as_str(), Some("")))
    {
        read(root, path, prefix, &mut config, &mut p);
    }
    if p.is_empty() {
        Ok(config)
    } else {
        Err(p.list)
    }
}

fn read(root: &Node, path: &Path, prefix: &str, c: &mut Config, p: &mut Problems) {
    let Some(f) = typed::fields(root, "the configuration", CONFIG_KEYS, p) else {
        return;
    };
    c.model = model_choice(root, p);
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(n) = f.get("packs") {
        for item in typed::list(n, "packs", p) {
            if let Some(t) = typed::text(item, "a pack path", p) {
                c.packs.push((dir.join(t), item.span.start));
            }
        }
    }
    let globs = |n: &Node, p: &mut Problems| -> Vec<String> {
        typed::texts(n, "paths", p)
            .into_iter()
            .map(|g| format!("{prefix}{}", g.trim_start_matches("./")))
            .collect()
    };
    if let Some(n) = f.get("scopes") {
        for item in typed::list(n, "scopes", p) {
            let Some(sf) = typed::fields(item, "a scope", SCOPE_KEYS, p) else {
                continue;
            };
            let paths = sf.need("paths", p).map(|n| globs(n, p)).unwrap_or_default();
            c.scopes.push(Scope {
                paths,
                model: model_choice(item, p),
            });
        }
    }
    if let Some(n) = f.get("values") {
        for item in typed::list(n, "values", p) {
            let Some(vf) = typed::fields(item, "a values entry", VALUES_KEYS, p) else {
                continue;
            };
            let paths = vf.need("paths", p).map(|n| globs(n, p)).unwrap_or_default();
            c.values.push((paths, vf.opt_text("chart", p)));
        }
    }
    if let Some(n) = f.get("ignore") {
        c.ignore = globs(n, p);
    }
    if let Some(n) = f.get("severity") {
        for (code, sev) in typed::text_map(n, "severity", p) {
            match (Code::parse(&code), Severity::parse(&sev)) {
                (Some(code), Some(sev)) => {
                    c.severity.insert(code, sev);
                }
                (None, _) => p.at(n.span.start, format!("unknown finding code `{code}`")),
                (_, None) => p.at(
                    n.span.start,
                    format!("severity `{sev}` is not error, warning or note"),
                ),
            }
        }
    }
    if let Some(n) = f.get("waivers") {
        for item in typed::list(n, "waivers", p) {
            let Some(wf) = typed::fields(item, "a waiver", WAIVER_KEYS, p) else {
                continue;
            };
            c.waivers.push(Waiver {
                paths: wf.get("paths").map(|n| globs(n, p)).unwrap_or_default(),
                settings: wf
                    .get("settings")
                    .map(|n| typed::texts(n, "settings", p))
                    .unwrap_or_default(),
                area: wf.opt_text("area", p),
                code: wf.opt_text("code", p),
                reason: wf.opt_text("reason", p),
                r#ref: wf.opt_text("ref", p),
                until: wf.opt_text("until", p),
                value: wf.opt_text("value", p),
                line: wf.pos().line,
            });
        }
    }
    if let Some(n) = f.get("limits") {
        read_limits(n, &mut c.limits, p);
    }
    if let Some(n) = f.get("allowances") {
        read_allowances(n, &mut c.allowances, p);
    }
    if let Some(n) = f.get("contacts") {
        c.contacts = crate::contacts::read(n, p);
    }
    if let Some(n) = f.get("report") {
        if let Some(rf) = typed::fields(n, "report", REPORT_KEYS, p) {
            if let Some(d) = rf.get("expiring_days") {
                c.expiring_days = typed::text(d, "expiring_days", p).and_then(|t| {
                    let v = t.parse::<u32>().ok().filter(|v| *v <= 36_500);
                    if v.is_none() {
                        p.at(
                            d.span.start,
                            "expiring_days must be a whole number of days (0 to 36500)",
                        );
                    }
                    v
                });
            }
        }
    }
}

fn read_allowances(node: &Node, policy: &mut AllowancePolicy, p: &mut Problems) {
    let Some(f) = typed::fields(node, "allowances", ALLOWANCES_KEYS, p) else {
        return;
    };
    if let Some(n) = f.get("max_days") {
        match typed::text(n, "max_days", p).map(|t| t.replace('_', "").parse::<u32>()) {
            Some(Ok(v)) if v > 0 => policy.max_days = v,
            Some(_) => p.at(n.span.start, "max_days must be a positive whole number"),
            None => {}
        }
    }
    if let Some(n) = f.get("require_ref") {
        match typed::text(n, "require_ref", p).as_deref() {
            Some("true") => policy.require_ref = true,
            Some("false") => policy.require_ref = false,
            Some(_) => p.at(n.span.start, "require_ref must be true or false"),
            None => {}
        }
    }
}

fn model_choice(node: &Node, p: &mut Problems) -> ModelChoice {
    ModelChoice {
        vendor: node.get("vendor").and_then(|n| typed::text(n, "vendor", p)),
        deployment: node
            .get("deployment")
            .and_then(|n| typed::text(n, "deployment", p)),
        options: node
            .get("options")
            .map(|n| typed::text_map(n, "options", p))
            .unwrap_or_default(),
        pos: node.span.start,
    }
}

fn read_limits(node: &Node, limits: &mut Limits, p: &mut Problems) {
    let Some(f) = typed::fields(node, "limits", LIMITS_KEYS, p) else {
        return;
    };
    let number = |key: &str, p: &mut Problems| -> Option<u64> {
        let n = f.get(key)?;
        let t = typed::text(n, key, p)?;
        let v = t.replace('_', "").parse::<u64>().ok().filter(|v| *v > 0);
        if v.is_none() {
            p.at(
                n.span.start,
                format!("{key} must be a positive whole number"),
            );
        }
        v
    };
    if let Some(v) = number("max_file_bytes", p) {
        limits.max_file_bytes = v;
    }
    let size = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    // A configuration comes with the pull request it checks: limits may be
    // lowered, never raised past what keeps the run safe.
    let ceiling = Limits::CEILING;
    let over = |key: &str, v: u64, max: u64, p: &mut Problems| {
        if v > max {
            let at = f.get(key).map_or(f.pos(), |n| n.span.start);
            p.at(at, format!("{key} must be at most {max}"));
        }
    };
    for (key, max) in [
        ("max_file_bytes", ceiling.max_file_bytes),
        ("max_depth", ceiling.max_depth as u64),
        ("max_nodes", ceiling.max_nodes as u64),
        ("max_documents", ceiling.max_documents as u64),
        ("max_line_bytes", ceiling.max_line_bytes as u64),
    ] {
        if let Some(v) = f
            .get(key)
            .and_then(|n| typed::text(n, key, &mut Problems::default()))
            .and_then(|t| t.replace('_', "").parse::<u64>().ok())
        {
            over(key, v, max, p);
        }
    }
    if let Some(v) = number("max_depth", p) {
        limits.max_depth = size(v);
    }
    if let Some(v) = number("max_nodes", p) {
        limits.max_nodes = size(v);
    }
    if let Some(v) = number("max_documents", p) {
        limits.max_documents = size(v);
    }
    if let Some(v) = number("max_line_bytes", p) {
        limits.max_line_bytes = size(v);
    }
}
