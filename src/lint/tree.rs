//! Tree mode: each file judged while it is read. A sink classifies every
//! setting the readers produce, turns the ones in vendor-only areas into
//! notes, and keeps the little that settling allowances needs (line, key
//! path, area) only when the file has inline allowances or the
//! configuration has waivers. No owned `Setting` is kept per leaf.

use super::judge::{FileOutcome, Judge};
use crate::allow;
use crate::classify::{Classifier, ContextCache};
use crate::discover::Candidate;
use crate::findings::Finding;
use crate::findings::tree::Notes;
use crate::formats::Sink;
use crate::limits::Limits;
use crate::models::AreaRefs;
use crate::scan;
use crate::setting::SettingRef;

/// What settling allowances needs of one setting.
struct Kept {
    line: u32,
    path: String,
    area: Option<usize>,
}

/// Classifies and judges the settings of one file as they are read.
struct TreeSink<'a, 'p> {
    /// The rules of the file's model, if it has one.
    classifier: Option<&'a Classifier<'p>>,
    cache: ContextCache<'a>,
    notes: Option<Notes<'a, 'p>>,
    /// `Some` when allowances or waivers are to be settled.
    kept: Option<Vec<Kept>>,
    settings: usize,
}

impl Sink for TreeSink<'_, '_> {
    fn setting(&mut self, s: SettingRef<'_>) {
        self.settings += 1;
        let m = self
            .classifier
            .and_then(|c| c.classify_cached(&s, &mut self.cache));
        if let Some(notes) = &mut self.notes {
            notes.push(&s, m);
        }
        if let Some(kept) = &mut self.kept {
            kept.push(Kept {
                line: s.span.start.line,
                path: s.path.to_string(),
                area: m.map(|m| m.area),
            });
        }
    }
}

/// Reads and judges one file found in the tree (`bytes`: its content, or
/// why it could not be read).
pub(super) fn judge_file(
    judge: &Judge<'_, '_>,
    areas: &AreaRefs,
    limits: &Limits,
    c: &Candidate,
    bytes: Result<Vec<u8>, String>,
) -> FileOutcome {
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(message) => {
            let skipped = vec![Finding::file_skipped(&c.rel, message)];
            return judge.settle(skipped, &[], &[], 0);
        }
    };
    let models = judge.models;
    let model = models.for_file(&c.rel);
    let read = scan::read_bytes(&c.rel, c.kind, &c.hint, bytes, limits, |allowances| {
        TreeSink {
            classifier: model.and_then(|m| models.classifier(m)),
            cache: ContextCache::default(),
            notes: Notes::new(models, model, areas),
            kept: judge.wants_settings(allowances).then(Vec::new),
            settings: 0,
        }
    });
    let Some(sink) = read.sink else {
        return judge.settle(read.problems, &[], &[], 0);
    };
    let mut findings = read.problems;
    findings.extend(sink.notes.map(Notes::finish).unwrap_or_default());
    let pack = model.and_then(|m| models.model(m)).map(|m| m.pack);
    let kept = sink.kept.unwrap_or_default();
    let located: Vec<allow::Located<'_>> = kept
        .iter()
        .map(|k| allow::Located {
            file: &c.rel,
            line: k.line,
            path: &k.path,
            area: pack.zip(k.area).map(|(p, a)| p.areas[a].id.as_str()),
        })
        .collect();
    judge.settle(findings, &read.allowances, &located, sink.settings)
}
