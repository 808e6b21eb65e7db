//! The [`Builder`]'s handling of each `saphyr-parser` event: `event`
//! dispatches, and one method per event kind (document start and end,
//! scalar, alias, collection start and end) does the work.

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, ScalarStyle, Tag};

use super::super::tree::{Node, NodeKind, Scalar, YamlStyle};
use super::super::yaml_merge::{interleave, merge};
use super::{Builder, Frame, YamlError};
use crate::setting::Span;

impl Builder<'_> {
    /// Handles one event spanning `start..end`.
    pub(super) fn event(
        &mut self,
        event: Event<'_>,
        start: Marker,
        end: Marker,
    ) -> Result<(), YamlError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(_) => self.document_start(&start),
            Event::DocumentEnd => {
                self.document_end(&start);
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text, style, anchor, tag.as_deref(), &start, &end)
            }
            Event::Alias(id) => self.alias(id, &start, &end),
            Event::MappingStart(anchor, _) => self.collection_start(true, anchor, &start, &end),
            Event::SequenceStart(anchor, _) => self.collection_start(false, anchor, &start, &end),
            Event::MappingEnd | Event::SequenceEnd => self.collection_end(&start, &end),
        }
    }

    /// A new document: anchors do not carry over from the one before.
    fn document_start(&mut self, start: &Marker) -> Result<(), YamlError> {
        if self.out.docs.len() >= self.limits.max_documents {
            return Err(self.error(
                start,
                format!(
                    "more than {} documents in one file; the rest is not read",
                    self.limits.max_documents
                ),
            ));
        }
        self.anchors.clear();
        self.root = None;
        Ok(())
    }

    /// The end of a document: its root (an empty document is a null scalar).
    fn document_end(&mut self, start: &Marker) {
        let empty = Node::scalar(
            Span::at(self.pos(start)),
            Scalar::Yaml {
                text: String::new(),
                style: YamlStyle::Plain,
            },
        );
        self.out.docs.push(self.root.take().unwrap_or(empty));
    }

    /// A scalar, its style read through its tag (a core-schema tag other
    /// than `!!str` types it; any other tag makes a plain scalar a string).
    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: &Marker,
        end: &Marker,
    ) -> Result<(), YamlError> {
        self.count(1, start)?;
        let mut yaml_style = match style {
            ScalarStyle::Plain => YamlStyle::Plain,
            ScalarStyle::Literal => YamlStyle::Literal,
            ScalarStyle::Folded => YamlStyle::Folded,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => YamlStyle::Quoted,
        };
        if let Some(tag) = tag {
            let typed = tag.is_yaml_core_schema() && tag.suffix != "str";
            if typed {
                yaml_style = YamlStyle::Plain;
            } else if yaml_style == YamlStyle::Plain {
                yaml_style = YamlStyle::Quoted;
            }
        }
        let inner_start = Self::inner(start);
        let mut inner_end = Self::inner(end);
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            inner_end = self.src.trim_back(inner_end, inner_start);
        }
        let span = Span::new(self.place(inner_start), self.place(inner_end));
        let node = Node::scalar(
            span,
            Scalar::Yaml {
                text: text.into_owned(),
                style: yaml_style,
            },
        );
        self.anchor(anchor, &node, start)?;
        self.value(node)
    }

    /// An alias: a copy of its anchor's node, located at the alias.
    fn alias(&mut self, id: usize, start: &Marker, end: &Marker) -> Result<(), YamlError> {
        let Some(cost) = self
            .anchors
            .get(id)
            .and_then(|t| t.as_ref().map(Node::cost))
        else {
            return Err(self.error(start, "alias to an unknown anchor".to_string()));
        };
        // Count before copying: an alias bomb must not be built first.
        self.count(cost, start)?;
        let Some(Some(target)) = self.anchors.get(id) else {
            return Ok(());
        };
        let mut node = target.clone();
        node.relocate(self.span(start, end));
        self.value(node)
    }

    /// Opens a mapping (`map`) or a sequence, within the depth limit.
    fn collection_start(
        &mut self,
        map: bool,
        anchor: usize,
        start: &Marker,
        end: &Marker,
    ) -> Result<(), YamlError> {
        self.count(1, start)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.error(
                start,
                format!(
                    "nesting deeper than {} levels; not read further",
                    self.limits.max_depth
                ),
            ));
        }
        let start_pos = self.pos(start);
        self.flow.push(end.index() > start.index());
        self.stack.push(if map {
            Frame::Map {
                start: start_pos,
                anchor,
                entries: Vec::new(),
                merges: Vec::new(),
                dup: false,
                key: None,
                seen: None,
            }
        } else {
            Frame::Seq {
                start: start_pos,
                anchor,
                items: Vec::new(),
            }
        });
        Ok(())
    }

    /// Closes the open collection: its node ends at the closing bracket of a
    /// flow collection, else at its last entry (or where it starts, if empty).
    fn collection_end(&mut self, start: &Marker, end: &Marker) -> Result<(), YamlError> {
        let flow_end = (end.index() > start.index()).then(|| self.pos(end));
        self.flow.pop();
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Map {
                start: s,
                anchor,
                entries,
                merges,
                dup,
                ..
            } => {
                // Most mappings have no merge key and no duplicate: keep their entries.
                let entries = if merges.is_empty() && !dup {
                    entries
                } else {
                    merge(interleave(entries, merges))
                };
                let last = entries.last().map(|e| e.value.span.end.max(e.key_span.end));
                let end = flow_end.or(last).unwrap_or(s);
                (
                    Node {
                        span: Span::new(s, end),
                        kind: NodeKind::Map(entries),
                    },
                    anchor,
                )
            }
            Frame::Seq {
                start: s,
                anchor,
                items,
            } => {
                let last = items.last().map(|n| n.span.end);
                let end = flow_end.or(last).unwrap_or(s);
                (
                    Node {
                        span: Span::new(s, end),
                        kind: NodeKind::Seq(items),
                    },
                    anchor,
                )
            }
        };
        self.anchor(anchor, &node, start)?;
        self.value(node)
    }
}
