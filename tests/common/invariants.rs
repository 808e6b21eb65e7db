//! Invariants every parse must keep, whatever its input: shared by the
//! property tests and the cargo-fuzz targets (`fuzz/`, by `#[path]`).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::Arc;

use demarcate::formats::FileKind;
use demarcate::formats::hcl_guard;
use demarcate::formats::{FileHint, embed::PosMap, yaml};
use demarcate::keypath;
use demarcate::limits::Limits;
use demarcate::scan;
use demarcate::setting::{Pos, Span};
use demarcate::source::Source;

/// Small limits, so that generated input reaches them.
pub fn small_limits() -> Limits {
    Limits {
        max_file_bytes: 1 << 20,
        max_depth: 24,
        max_nodes: 2_000,
        max_documents: 20,
        max_line_bytes: 1 << 16,
    }
}

fn pos_ok(src: &Source, pos: Pos) -> bool {
    let lines = src.line_count().max(1) as u32;
    pos.line >= 1
        && pos.col >= 1
        && (pos.line <= lines && pos.col as usize <= src.line(pos.line).chars().count() + 1
            // The end of a text that ends with a line break.
            || pos.line == lines + 1 && pos.col == 1)
}

fn span_ok(src: &Source, span: Span) -> bool {
    pos_ok(src, span.start) && pos_ok(src, span.end) && span.start <= span.end
}

/// Parses `bytes` as a file of `kind` and checks every invariant.
pub fn check_file(bytes: &[u8], kind: FileKind, limits: &Limits) {
    let rel: Arc<str> = Arc::from("fuzz/input");
    for values in [false, true] {
        let hint = FileHint {
            values,
            chart: None,
            ..Default::default()
        };
        let scan = scan::parse_bytes(&rel, kind, &hint, bytes.to_vec(), limits);
        let Ok(src) = Source::from_bytes(bytes.to_vec()) else {
            assert!(scan.settings.is_empty());
            continue;
        };
        for s in &scan.settings {
            assert!(span_ok(&src, s.span), "setting {} at {:?}", s.path, s.span);
            let (_, segments) = keypath::split(&s.path)
                .unwrap_or_else(|| panic!("key path does not split: {:?}", s.path));
            assert!(!segments.is_empty() || s.path.ends_with(':') || !s.path.contains('.'));
        }
        for p in &scan.problems {
            assert!(
                span_ok(&src, p.span),
                "problem {} at {:?}",
                p.message,
                p.span
            );
        }
        assert!(scan.problems.len() <= scan::MAX_PROBLEMS_PER_FILE + 1);
        if kind == FileKind::Yaml {
            // Every setting of a YAML file stands for a node of its budget.
            assert!(
                scan.settings.len() <= limits.max_nodes + limits.max_documents,
                "{} settings",
                scan.settings.len()
            );
        }
    }
    if kind == FileKind::Yaml {
        check_yaml_budget(bytes, limits);
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        check_hcl_guard(text);
    }
}

/// The YAML reader never builds more nodes than the budget (the last step
/// may count past it, and then reading stops).
pub fn check_yaml_budget(bytes: &[u8], limits: &Limits) {
    let Ok(src) = Source::from_bytes(bytes.to_vec()) else {
        return;
    };
    let stream = yaml::parse(&src, &PosMap::Identity, limits);
    if stream.fatal.is_none() {
        assert!(stream.nodes <= limits.max_nodes, "{} nodes", stream.nodes);
        assert!(stream.docs.len() <= limits.max_documents);
    }
    for d in &stream.docs {
        assert!(d.size() <= stream.nodes.max(1));
    }
}

/// Where the HCL parser reads an object, the pre-scan counted at least as
/// many entries there: the scan may not be fooled into letting a large
/// object through.
pub fn check_hcl_guard(text: &str) {
    use hcl_edit::Span as _;
    use hcl_edit::visit::{Visit, visit_object};
    struct Objects(Vec<(usize, usize)>);
    impl Visit for Objects {
        fn visit_object(&mut self, node: &hcl_edit::expr::Object) {
            if let Some(span) = node.span() {
                self.0.push((span.start, node.len()));
            }
            visit_object(self, node);
        }
    }
    let (found, result) = hcl_guard::objects(text);
    if result.is_err() {
        return;
    }
    let Ok(body) = hcl_edit::parser::parse_body(text) else {
        return;
    };
    let mut parsed = Objects(Vec::new());
    parsed.visit_body(&body);
    for (at, len) in parsed.0 {
        let bound = found.list.iter().find(|(o, _)| *o == at).map(|(_, n)| *n);
        assert!(
            bound.is_some_and(|b| b >= len as u64),
            "object at {at} with {len} entries, pre-scan bound {bound:?}"
        );
    }
}
