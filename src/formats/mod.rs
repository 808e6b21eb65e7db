//! Parsing one file into settings: the YAML and HCL readers, format
//! detection by content, and one module per format that turns documents into
//! [`Setting`]s (following embedded documents into their own format).

pub mod chart;
pub mod detect;
pub mod embed;
pub mod gitops;
pub mod hcl;
pub mod hcl_dup;
pub mod hcl_guard;
pub mod helm;
pub mod kubernetes;
pub mod kustomize;
pub mod talos;
pub mod template;
pub mod terraform;
mod terraform_embed;
pub mod tree;
pub mod yaml;
mod yaml_indent;
mod yaml_merge;

use std::sync::Arc;

use crate::limits::Limits;
use crate::setting::{Setting, SettingRef, Span};
use crate::source::Source;
use detect::DocKind;
use embed::PosMap;
use tree::{Node, NodeKind, Scalar, YamlStyle};

/// What kind of file discovery found, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `.yaml` / `.yml`
    Yaml,
    /// `.yaml.j2` / `.yaml.tmpl` (and `.yml` variants): YAML with template syntax.
    YamlTemplate,
    /// `.tf`
    Terraform,
    /// `.tfvars`
    Tfvars,
}

/// What is known about a file before its content is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHint {
    /// The file holds Helm values (by name, or marked so in the configuration).
    pub values: bool,
    /// The chart the values belong to, when known.
    pub chart: Option<String>,
    /// That chart's dependencies: values under their keys are theirs.
    pub subcharts: Vec<chart::Dependency>,
}

/// What kind of problem a file has; the caller maps it to a finding code
/// (`scan`), so that the readers need nothing from `findings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file (or a document in it) could not be parsed, or hit a limit
    /// while parsing (`parse-error`).
    Parse,
    /// A key written twice where the tool that reads the file keeps the last
    /// one (`duplicate-key`).
    DuplicateKey,
    /// The file is deliberately not read (`file-skipped`).
    Skipped,
}

/// A problem in one file (the file is known to the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Settings in source order (a block before its children).
    pub settings: Vec<Setting>,
    /// Parse errors and limits hit.
    pub problems: Vec<Problem>,
}

/// Receives the settings of a file as the readers produce them: each
/// document in order, a block before its children, and the documents a
/// setting carries after it. Classifying and judging in a sink, while the
/// document is walked, keeps an owned [`Setting`] only for what is reported.
pub trait Sink {
    /// One setting, borrowed from the reader.
    fn setting(&mut self, s: SettingRef<'_>);
}

impl Sink for Vec<Setting> {
    fn setting(&mut self, s: SettingRef<'_>) {
        self.push(s.to_setting());
    }
}

/// What the readers write besides settings.
#[derive(Debug, Default)]
pub struct Out {
    /// Parse errors and limits hit.
    pub problems: Vec<Problem>,
    /// Bytes of key paths and values emitted.
    pub settings_bytes: usize,
    /// Most bytes of key paths and values (see [`tree::settings_bytes_limit`]).
    pub settings_limit: usize,
    /// Whether settings stopped being emitted at that limit.
    pub settings_full: bool,
}

/// The state shared by the format modules while reading one file.
pub struct Reader<'a> {
    /// Repository-relative path.
    pub file: &'a Arc<str>,
    /// The file's text.
    pub src: &'a Source,
    /// Limits for embedded documents.
    pub limits: &'a Limits,
    /// Nodes the file may still produce: embedded documents share the file's budget.
    pub nodes_left: usize,
    /// Flux sources and values references defined in the file.
    pub sources: gitops::Sources,
    /// Problems and the settings budget.
    pub out: &'a mut Out,
    /// Where settings go.
    pub sink: &'a mut dyn Sink,
}

impl Reader<'_> {
    /// Records a parse error.
    pub fn problem(&mut self, span: Span, message: String) {
        self.out.problems.push(Problem {
            kind: ProblemKind::Parse,
            span,
            message,
        });
    }

    /// Parses YAML written in a string scalar of this file (a block scalar,
    /// quoted or plain string), mapping positions back into the file where
    /// the text appears literally. Errors are recorded; the documents read are returned.
    pub fn embedded_yaml(&mut self, node: &Node, what: &str) -> Vec<Node> {
        let NodeKind::Scalar(Scalar::Yaml { text, style }) = &node.kind else {
            return Vec::new();
        };
        let start = node.span.start;
        let map = match style {
            YamlStyle::Literal => PosMap::embedded(self.src, start, text, false),
            YamlStyle::Quoted => PosMap::embedded(
                self.src,
                crate::setting::Pos::new(start.line, start.col + 1),
                text,
                true,
            ),
            YamlStyle::Plain => PosMap::embedded(self.src, start, text, true),
            YamlStyle::Folded => PosMap::Fixed(start),
        };
        self.yaml_text(text, &map, what)
    }

    /// Parses YAML text whose positions map into this file through `map`.
    pub fn yaml_text(&mut self, text: &str, map: &PosMap, what: &str) -> Vec<Node> {
        let stream = self.parse_embedded(text, map);
        self.yaml_problems(&stream, Some(what));
        stream.docs
    }

    /// Parses embedded YAML within what is left of the file's node budget.
    fn parse_embedded(&mut self, text: &str, map: &PosMap) -> yaml::YamlStream {
        // Once the budget is spent (and reported), further embedded
        // documents are left unread without a finding each.
        if self.nodes_left == 0 {
            return yaml::YamlStream::default();
        }
        let inner = Source::new(text.to_string());
        let limits = Limits {
            max_nodes: self.nodes_left,
            ..self.limits.clone()
        };
        let stream = yaml::parse(&inner, map, &limits);
        self.nodes_left = spent(self.nodes_left, stream.nodes, limits.max_nodes);
        stream
    }

    /// Parses YAML text that may not be YAML at all (a heredoc with
    /// interpolations): `None`, and nothing recorded, if it does not parse cleanly.
    pub fn yaml_text_quiet(&mut self, text: &str, map: &PosMap) -> Option<Vec<Node>> {
        let stream = self.parse_embedded(text, map);
        (stream.fatal.is_none() && stream.errors.is_empty()).then_some(stream.docs)
    }

    /// Records the problems of a YAML stream.
    pub fn yaml_problems(&mut self, stream: &yaml::YamlStream, what: Option<&str>) {
        let within = what.map(|w| format!(" (in {w})")).unwrap_or_default();
        for e in stream.errors.iter().chain(&stream.fatal) {
            self.problem(Span::at(e.pos), format!("{}{within}", e.message));
        }
    }
}

/// What is left of a node budget after a stream counted `nodes` against
/// `max` (a stream that went over the limit spends it all).
fn spent(left: usize, nodes: usize, max: usize) -> usize {
    if nodes > max {
        0
    } else {
        left.saturating_sub(nodes)
    }
}

/// Reads one file into settings and problems.
pub fn parse_file(
    file: &Arc<str>,
    kind: FileKind,
    src: &Source,
    hint: &FileHint,
    limits: &Limits,
) -> Parsed {
    let mut settings = Vec::new();
    let problems = parse_into(file, kind, src, hint, limits, &mut settings);
    // Embedded documents are read after their carrier: put every setting in
    // source order (stable, so a block stays before children at its position).
    settings.sort_by_key(|s| s.span.start);
    Parsed { settings, problems }
}

/// Reads one file, handing its settings to `sink` as they are read (see
/// [`Sink`] for their order); returns the problems.
pub fn parse_into(
    file: &Arc<str>,
    kind: FileKind,
    src: &Source,
    hint: &FileHint,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Vec<Problem> {
    let mut out = Out {
        settings_limit: tree::settings_bytes_limit(src.text().len()),
        ..Out::default()
    };
    let mut r = Reader {
        file,
        src,
        limits,
        nodes_left: limits.max_nodes,
        sources: gitops::Sources::default(),
        out: &mut out,
        sink,
    };
    match kind {
        FileKind::Yaml => yaml_file(&mut r, hint),
        FileKind::YamlTemplate => template_file(&mut r, hint),
        FileKind::Terraform => terraform::read(&mut r, false),
        FileKind::Tfvars => terraform::read(&mut r, true),
    }
    out.problems
}

/// Reads a YAML file: every document is routed to its format by content;
/// documents of no known format are Helm values when the file is a values file.
fn yaml_file(r: &mut Reader<'_>, hint: &FileHint) {
    let stream = yaml::parse(r.src, &PosMap::Identity, r.limits);
    r.nodes_left = spent(r.nodes_left, stream.nodes, r.limits.max_nodes);
    let before = r.out.problems.len();
    r.yaml_problems(&stream, None);
    lenient_duplicates(&mut r.out.problems[before..], &stream);
    if stream.fatal.is_some() && template::has_marker(r.src.text()) {
        if let Some(p) = r.out.problems.last_mut() {
            p.message.push_str(
                " (the file looks like a template; exclude it with `ignore:` in .demarcate.yaml if it is not plain YAML)",
            );
        }
    }
    r.sources = gitops::Sources::collect(&stream.docs);
    for (index, doc) in stream.docs.iter().enumerate() {
        route(r, doc, index, hint);
    }
}

/// A key written twice in a document of no strict format (Helm values, or
/// YAML demarcate does not read) is a `duplicate-key` note: Helm's YAML
/// reader and PyYAML keep the last value. In Kubernetes objects and Talos
/// documents it stays a parse error: kubectl (strict field validation) and
/// Talos (go-yaml v3) reject it.
fn lenient_duplicates(problems: &mut [Problem], stream: &yaml::YamlStream) {
    for (p, e) in problems.iter_mut().zip(&stream.errors) {
        // The document it is in: the last one starting before it (a
        // mapping's span may end before a repeated key it dropped).
        let lenient = stream
            .docs
            .iter()
            .rev()
            .find(|d| d.span.start <= e.pos)
            .is_some_and(|d| detect::doc_kind(d) == DocKind::Unknown);
        if lenient {
            p.kind = ProblemKind::DuplicateKey;
        }
    }
}

/// Reads a YAML template with its template syntax masked. A template that
/// still does not parse is noted (`file-skipped`), not an error: it is not
/// the file that is deployed.
fn template_file(r: &mut Reader<'_>, hint: &FileHint) {
    let masked = Source::new(template::mask(r.src.text()));
    let mut masked_reader = Reader {
        file: r.file,
        src: &masked,
        limits: r.limits,
        nodes_left: r.nodes_left,
        sources: gitops::Sources::default(),
        out: &mut *r.out,
        sink: &mut *r.sink,
    };
    let before = masked_reader.out.problems.len();
    yaml_file(&mut masked_reader, hint);
    for p in &mut r.out.problems[before..] {
        p.kind = ProblemKind::Skipped;
        p.message = format!(
            "template could not be read as YAML after masking its template syntax: {}",
            p.message
        );
    }
}

/// Sends one document to the format it belongs to.
pub fn route(r: &mut Reader<'_>, doc: &Node, index: usize, hint: &FileHint) {
    match detect::doc_kind(doc) {
        DocKind::Kubernetes => kubernetes::read(r, doc, index, None),
        DocKind::Unknown if hint.values && doc.is_map() => {
            let ctx = helm::values_context(hint.chart.clone(), None, None);
            helm::read_umbrella_values(r, doc, &ctx, &hint.subcharts);
        }
        DocKind::Unknown if doc.is_map() && kustomize::is_kustomization_file(r.file) => {
            kubernetes::read_kustomization(r, doc, index);
        }
        DocKind::Unknown => {}
        talos_kind => talos::read(r, doc, talos_kind, None),
    }
}
