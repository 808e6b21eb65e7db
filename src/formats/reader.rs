//! The state the format modules share while reading one file: its text,
//! limits, node budget, Flux sources, and where settings and problems go;
//! and the reading of YAML embedded in a string of the file.

use std::sync::Arc;

use super::embed::PosMap;
use super::out::{Out, Problem, ProblemKind, Sink};
use super::tree::{Flattener, Node, NodeKind, Scalar, YamlSchema, YamlStyle};
use super::{gitops, yaml};
use crate::limits::Limits;
use crate::setting::{Context, Format, Span};
use crate::source::Source;

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
    /// A flattener of settings of `format` (with the YAML schema that
    /// format's tools read plain scalars by) and `context`, into this
    /// file's output.
    pub fn flattener(&mut self, format: Format, context: Arc<Context>) -> Flattener<'_> {
        let schema = match format {
            Format::Helm | Format::Kubernetes => YamlSchema::Yaml11,
            Format::Talos | Format::Terraform => YamlSchema::Core,
        };
        Flattener {
            file: self.file,
            format,
            context,
            schema,
            out: self.out,
            sink: self.sink,
        }
    }

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
pub(super) fn spent(left: usize, nodes: usize, max: usize) -> usize {
    if nodes > max {
        0
    } else {
        left.saturating_sub(nodes)
    }
}
