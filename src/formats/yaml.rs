//! YAML documents from `saphyr-parser` events into [`Node`] trees, with exact
//! positions, anchors and aliases (located at their place of use), merge keys
//! (`<<`) expanded, duplicate keys reported, and limits on nesting depth,
//! alias expansion and document count.

use std::collections::HashMap;

use saphyr_parser::{Marker, Parser};

use super::embed::PosMap;
use super::tree::{Entry, Node, NodeKind, Scalar, YamlStyle};
use super::yaml_indent::{Reindent, Stop};
use super::yaml_merge::{LINEAR_LIMIT, key_text, merge_sources};
use crate::limits::Limits;
use crate::setting::{Pos, Span};
use crate::source::{Source, to_u32};

mod events;

/// A problem found while reading YAML, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where it is.
    pub pos: Pos,
    /// What is wrong, in the parser's words.
    pub message: String,
}

/// Every document of a YAML stream that could be read, and the problems met.
#[derive(Debug, Default)]
pub struct YamlStream {
    /// Documents in order (an empty document is a null scalar).
    pub docs: Vec<Node>,
    /// A syntax error or limit that stopped reading (documents before it are kept).
    pub fatal: Option<YamlError>,
    /// Problems that did not stop reading (duplicate keys).
    pub errors: Vec<YamlError>,
    /// Nodes built, aliases expanded (counted against [`Limits::max_nodes`]).
    pub nodes: usize,
}

/// Parses every document of `src`; positions are mapped through `map`.
/// Lines that saphyr rejects for an indentation libyaml accepts are read
/// again with spaces in front (see [`yaml_indent`](super::yaml_indent)).
pub fn parse(src: &Source, map: &PosMap, limits: &Limits) -> YamlStream {
    let mut reindent = Reindent::default();
    let (mut stream, mut stop) = parse_once(src, &reindent, map, limits);
    while let Some(at) = stop {
        let shifted = if reindent.is_empty() {
            None
        } else {
            Some(reindent.apply(src))
        };
        if !reindent.fix(at, shifted.as_ref().unwrap_or(src)) {
            break;
        }
        let shifted = reindent.apply(src);
        (stream, stop) = parse_once(&shifted, &reindent, map, limits);
    }
    stream
}

/// One read of `src` (already shifted by `reindent`), and where it stopped
/// on an indentation libyaml accepts.
fn parse_once(
    src: &Source,
    reindent: &Reindent,
    map: &PosMap,
    limits: &Limits,
) -> (YamlStream, Option<Stop>) {
    let mut b = Builder {
        src,
        map,
        reindent,
        limits,
        stack: Vec::new(),
        flow: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        out: YamlStream::default(),
        root: None,
    };
    let mut stop = None;
    let mut parser = Parser::new_from_str(src.text());
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(err)) => {
                let m = err.marker();
                let depth = b.flow.iter().rev().take_while(|f| **f).count();
                stop = Stop::of(err.info(), to_u32(m.line()), to_u32(m.col()), depth);
                let pos = b.pos(m);
                b.out.fatal = Some(YamlError {
                    pos,
                    message: err.info().to_string(),
                });
                break;
            }
            Some(Ok((event, span))) => {
                if let Err(err) = b.event(event, span.start, span.end) {
                    b.out.fatal = Some(err);
                    break;
                }
            }
        }
    }
    b.out.nodes = b.nodes;
    (b.out, stop)
}

/// Most problems kept per stream (a file of duplicate keys would otherwise
/// hold one message per line).
const MAX_ERRORS: usize = 100;

/// An open collection.
enum Frame {
    Map {
        start: Pos,
        anchor: usize,
        /// Explicit entries in source order.
        entries: Vec<Entry>,
        /// Entries brought in by `<<`, with the number of explicit entries before them.
        merges: Vec<(usize, Vec<Entry>)>,
        /// Whether a key was written twice.
        dup: bool,
        key: Option<(String, Span, bool)>,
        /// Key → line, built once a mapping grows past [`LINEAR_LIMIT`] entries.
        seen: Option<HashMap<String, u32>>,
    },
    Seq {
        start: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
}

struct Builder<'a> {
    src: &'a Source,
    map: &'a PosMap,
    reindent: &'a Reindent,
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// For each open collection, whether it is a flow collection.
    flow: Vec<bool>,
    anchors: Vec<Option<Node>>,
    nodes: usize,
    out: YamlStream,
    root: Option<Node>,
}

impl Builder<'_> {
    fn inner(m: &Marker) -> Pos {
        Pos::new(to_u32(m.line()), to_u32(m.col() + 1))
    }

    /// A position in the file (through the re-indentation and the map).
    fn place(&self, p: Pos) -> Pos {
        self.map.map(self.reindent.back(p))
    }

    fn pos(&self, m: &Marker) -> Pos {
        self.place(Self::inner(m))
    }

    fn span(&self, start: &Marker, end: &Marker) -> Span {
        Span::new(self.pos(start), self.pos(end))
    }

    fn error(&self, at: &Marker, message: String) -> YamlError {
        YamlError {
            pos: self.pos(at),
            message,
        }
    }

    fn count(&mut self, n: usize, at: &Marker) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(self.error(
                at,
                "over this file's node budget (aliases expanded, embedded documents included); not read further".to_string(),
            ));
        }
        Ok(())
    }

    /// Keeps a copy of an anchored node; the copy counts against the budget
    /// (nested anchors would otherwise copy a large subtree once per level).
    fn anchor(&mut self, anchor: usize, node: &Node, at: &Marker) -> Result<(), YamlError> {
        if anchor == 0 {
            return Ok(());
        }
        self.count(node.cost(), at)?;
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some(node.clone());
        Ok(())
    }

    /// Adds a finished node to the open collection (or as the document root).
    fn value(&mut self, node: Node) -> Result<(), YamlError> {
        let duplicate = match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                None
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map {
                entries,
                merges,
                dup,
                key,
                seen,
                ..
            }) => {
                match key.take() {
                    None => {
                        let is_merge = matches!(
                            &node.kind,
                            NodeKind::Scalar(Scalar::Yaml { text, style: YamlStyle::Plain }) if text == "<<"
                        );
                        let span = node.span;
                        *key = Some((key_text(node), span, is_merge));
                        None
                    }
                    Some((_, key_span, true)) => {
                        let place = Span::new(key_span.start, node.span.end);
                        merges.push((entries.len(), merge_sources(node, place)));
                        None
                    }
                    Some((k, key_span, false)) => {
                        let first = if entries.len() > LINEAR_LIMIT {
                            let index = seen.get_or_insert_with(|| {
                                entries
                                    .iter()
                                    .map(|e| (e.key.clone(), e.key_span.start.line))
                                    .collect()
                            });
                            index.insert(k.clone(), key_span.start.line)
                        } else {
                            entries
                                .iter()
                                .find(|e| e.key == k)
                                .map(|e| e.key_span.start.line)
                        };
                        let error = first.map(|line| {
                        *dup = true;
                        YamlError {
                            pos: key_span.start,
                            message: format!("duplicate key `{k}` (first at line {line}); the last one is used"),
                        }
                    });
                        entries.push(Entry {
                            key: k,
                            key_span,
                            value: node,
                        });
                        error
                    }
                }
            }
        };
        if self.out.errors.len() < MAX_ERRORS {
            self.out.errors.extend(duplicate);
        }
        Ok(())
    }
}
