//! One changed file judged at both ends, from its two texts: the base text
//! parsed and classified under the base path, its chart and the base's
//! models; the new text under the new path, its chart, and both the base's
//! and the new models (the stricter wins). Settings whose text did not
//! change are judged too when what governs them did (the file moved out of
//! a scope, its chart was renamed). Pure: no git, no disk, so that tests can
//! run thousands of cases in process.

use std::sync::Arc;

use crate::diff::{self, Change, ChangeKind};
use crate::findings::ends::{self, Ends, Verdict};
use crate::findings::judge::ChangeInput;
use crate::findings::{Code, Finding, Severity};
use crate::formats::{FileHint, FileKind};
use crate::limits::Limits;
use crate::models::Models;
use crate::scan::{self, FileScan};
use crate::setting::Setting;

/// One end of a changed file.
#[derive(Debug, Clone)]
pub struct End {
    /// Repository-relative path at this end.
    pub rel: Arc<str>,
    /// Values file and chart at this end.
    pub hint: FileHint,
    /// The content (`None`: the file is absent at this end).
    pub bytes: Option<Vec<u8>>,
}

/// The models and limits that judge a change.
#[derive(Debug, Clone, Copy)]
pub struct Judges<'m, 'p> {
    /// The base revision's models: they judge both ends.
    pub base: &'m Models<'p>,
    /// The new revision's models: they judge the new end too (stricter wins).
    pub new: &'m Models<'p>,
    /// Parse limits (the base revision's).
    pub limits: &'m Limits,
}

/// A changed file, judged.
#[derive(Debug)]
pub struct Judged {
    /// The new end, classified with the base's models (for allowances).
    pub new: FileScan,
    /// The new text, for snippets.
    pub new_text: Option<String>,
    /// The settings that changed.
    pub changes: Vec<Change>,
    /// Findings about the changes (problems stay in `new.problems`).
    pub findings: Vec<Finding>,
}

/// Judges one file changed from `base` to `new` (of kind `kind`).
pub fn judge(kind: FileKind, base: End, new: End, j: &Judges<'_, '_>) -> Judged {
    let new_text = new
        .bytes
        .as_ref()
        .and_then(|b| std::str::from_utf8(b).ok().map(str::to_string));
    // Allowances carried over unchanged approve only what they approved then.
    let carried = crate::allow::base_comments(base.bytes.as_deref());
    let present = new.bytes.is_some();
    // The two ends parse side by side: one large file is then not one long
    // task while the other threads wait.
    let (base_scan, mut new_scan) = rayon::join(
        || {
            base.bytes
                .map(|b| scan::parse_bytes(&base.rel, kind, &base.hint, b, j.limits))
        },
        || {
            scan::parse_bytes(
                &new.rel,
                kind,
                &new.hint,
                new.bytes.unwrap_or_default(),
                j.limits,
            )
        },
    );
    crate::allow::mark_carried(&mut new_scan.allowances, &carried);
    new_scan.classify(j.base);
    // Nothing changed goes unread: a text that cannot be read is an error.
    for p in &mut new_scan.problems {
        if p.code == Code::FileSkipped && present {
            p.severity = Severity::Error;
            p.message = format!("changed file not read: {}", p.message);
        }
    }
    let base_settings: &[Setting] = base_scan.as_ref().map_or(&[], |b| &b.settings);
    if let Some(b) = &base_scan {
        for p in b.problems.iter().filter(|p| p.code == Code::FileSkipped) {
            let mut p = p.clone();
            p.file = Arc::clone(&new.rel);
            p.severity = Severity::Error;
            p.message = format!(
                "the base version of {} was not read, so what the change removed is not judged: {}",
                base.rel, p.message
            );
            new_scan.problems.push(p);
        }
    }
    let (changes, same) = diff::diff_with_pairs(base_settings, &new_scan.settings);
    let at = Sides {
        base_rel: &base.rel,
        new_rel: &new.rel,
        j,
    };
    let mut findings = Vec::new();
    for change in &changes {
        findings.extend(at.change(change));
    }
    for (b, n) in same {
        findings.extend(at.unchanged(&base_settings[b], &new_scan.settings[n]));
    }
    Judged {
        new: new_scan,
        new_text,
        changes,
        findings,
    }
}

/// The two paths of a file and the judges.
struct Sides<'a, 'm, 'p> {
    base_rel: &'a Arc<str>,
    new_rel: &'a Arc<str>,
    j: &'a Judges<'m, 'p>,
}

/// The area of a setting at a path under some models.
fn verdict<'m, 'p>(models: &'m Models<'p>, rel: &str, s: &Setting) -> Option<Verdict<'m, 'p>> {
    let i = models.for_file(rel)?;
    let m = models.classify(i, &s.view())?;
    let model = models.model(i)?;
    Some(Verdict {
        model,
        area: model.pack.areas.get(m.area)?,
    })
}

impl Sides<'_, '_, '_> {
    fn modelled(&self) -> bool {
        self.j.base.for_file(self.base_rel).is_some()
            || self.j.base.for_file(self.new_rel).is_some()
            || self.j.new.for_file(self.new_rel).is_some()
    }

    fn new_model(&self) -> Option<&crate::models::Model<'_>> {
        self.j
            .base
            .for_file(self.new_rel)
            .and_then(|i| self.j.base.model(i))
    }

    /// Whether models exist (scopes) but none covers either end's file.
    fn outside_every_model(&self) -> bool {
        let any = !self.j.base.entries().is_empty() || !self.j.new.entries().is_empty();
        any && !self.modelled()
    }

    /// A setting that changed.
    fn change(&self, change: &Change) -> Option<Finding> {
        let setting = change.setting()?;
        if self.outside_every_model() {
            return Some(uncovered(change, setting, self.new_rel));
        }
        let was = change
            .before
            .as_ref()
            .and_then(|s| verdict(self.j.base, self.base_rel, s));
        let is = change.after.as_ref().and_then(|s| {
            ends::stricter(
                verdict(self.j.base, self.new_rel, s),
                verdict(self.j.new, self.new_rel, s),
            )
        });
        ends::finding(&Ends {
            change: ChangeInput {
                kind: change.kind,
                setting,
                before: change.before.as_ref().map(|s| &s.value),
                after: change.after.as_ref().map(|s| &s.value),
                at: change.span,
                file: self.new_rel,
            },
            before: change.before.as_ref().map(|s| (s, &**self.base_rel)),
            after: change.after.as_ref(),
            was,
            is,
            new_model: change.after.as_ref().and(self.new_model()),
            modelled: self.modelled(),
        })
    }

    /// A setting whose text did not change: judged only when what governs
    /// it did (its area differs between the ends under the base's models).
    fn unchanged(&self, before: &Setting, after: &Setting) -> Option<Finding> {
        // Same path, same text, same context: the same verdict (the base's
        // models judge both ends here), so nothing to classify.
        let same_place = self.base_rel == self.new_rel
            && before.path == after.path
            && before.context == after.context;
        if after.is_block() || same_place {
            return None;
        }
        let was = verdict(self.j.base, self.base_rel, before);
        let is = verdict(self.j.base, self.new_rel, after);
        let differ = match (&was, &is) {
            (Some(a), Some(b)) => !a.same(b),
            (None, None) => false,
            _ => true,
        };
        if !differ {
            return None;
        }
        ends::finding(&Ends {
            change: ChangeInput {
                kind: ChangeKind::Modified,
                setting: after,
                before: Some(&before.value),
                after: Some(&after.value),
                at: after.span,
                file: self.new_rel,
            },
            before: Some((before, self.base_rel)),
            after: Some(after),
            was,
            is,
            new_model: self.new_model(),
            modelled: self.modelled(),
        })
    }
}

/// A change in a file no model covers (the configuration has scopes, none
/// matches the file at either end, and there is no default model).
fn uncovered(change: &Change, setting: &Setting, file: &Arc<str>) -> Finding {
    let what = match change.kind {
        ChangeKind::Added => "added",
        ChangeKind::Modified => "changed",
        ChangeKind::Removed => "removed",
    };
    let mut f = Finding::at(
        Code::UnclassifiedChange,
        Arc::clone(file),
        change.span,
        format!(
            "`{}` {what} in a file no model covers: no `scopes:` entry matches it at either \
             end and there is no default model, so nothing judged it. If a vendor owns it, \
             add its path to that vendor's scope.",
            setting.path
        ),
    );
    f.setting = Some(setting.path.clone());
    f.format = Some(setting.format);
    f.change = Some(change.kind);
    f.before = change.before.as_ref().map(|s| s.value.to_string());
    f.after = change.after.as_ref().map(|s| s.value.to_string());
    f
}
