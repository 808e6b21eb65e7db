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
mod hint;
pub mod kubernetes;
pub mod kustomize;
mod out;
mod reader;
pub mod route;
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
use crate::setting::Setting;

pub use hint::{FileHint, FileKind};
pub use out::{Out, Problem, ProblemKind, Sink};
pub use reader::Reader;
use reader::spent;

use crate::source::Source;
use detect::DocKind;
use embed::PosMap;

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Settings in source order (a block before its children).
    pub settings: Vec<Setting>,
    /// Parse errors and limits hit.
    pub problems: Vec<Problem>,
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
        route::document(r, doc, index, hint);
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
