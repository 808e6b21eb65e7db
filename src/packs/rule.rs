//! Matcher rules: what a rule constrains, whether it matches a setting, its
//! specificity, and whether two rules can match the same setting.

use serde::Serialize;

use super::glob::{PathGlob, TextGlob};
use crate::keypath::SegRef;
use crate::setting::{Context, Format, SettingRef};

/// How specific a rule is; compared field by field in this order (see rules/README.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Specificity {
    /// 1 if the rule has a value pattern.
    pub value: u8,
    /// Path segments without wildcards.
    pub literal: u16,
    /// Path segments with wildcards other than `**`.
    pub wildcard: u16,
    /// Other fields set.
    pub fields: u8,
}

/// Context constraints of a rule, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextGlobs {
    /// Helm chart.
    pub chart: Option<TextGlob>,
    /// Terraform resource or data source type.
    pub resource: Option<TextGlob>,
    /// Terraform block kind.
    pub block: Option<TextGlob>,
    /// `apiVersion`.
    pub api_version: Option<TextGlob>,
    /// `kind`.
    pub kind: Option<TextGlob>,
    /// Kubernetes namespace.
    pub namespace: Option<TextGlob>,
    /// Object or document name.
    pub name: Option<TextGlob>,
    /// Document kind read by demarcate.
    pub document: Option<TextGlob>,
    /// Repository-relative file path.
    pub file: Option<TextGlob>,
    /// Container image the setting configures or runs in.
    pub image: Option<TextGlob>,
    /// Chart repository or OCI address.
    pub repository: Option<TextGlob>,
}

impl ContextGlobs {
    /// The fields as (name, glob) pairs, set ones only.
    pub fn fields(&self) -> Vec<(&'static str, &TextGlob)> {
        [
            ("chart", &self.chart),
            ("resource", &self.resource),
            ("block", &self.block),
            ("api_version", &self.api_version),
            ("kind", &self.kind),
            ("namespace", &self.namespace),
            ("name", &self.name),
            ("document", &self.document),
            ("file", &self.file),
            ("image", &self.image),
            ("repository", &self.repository),
        ]
        .into_iter()
        .filter_map(|(n, g)| g.as_ref().map(|g| (n, g)))
        .collect()
    }

    fn get(&self, field: &str) -> Option<&TextGlob> {
        self.fields()
            .into_iter()
            .find(|(n, _)| *n == field)
            .map(|(_, g)| g)
    }
}

/// One matcher rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Index of the area in the pack.
    pub area: usize,
    /// Group name.
    pub group: String,
    /// Where the group's names come from.
    pub source: String,
    /// Format constraint.
    pub format: Option<Format>,
    /// Key-path glob (`**` when not given).
    pub path: PathGlob,
    /// Value pattern.
    pub value: Option<TextGlob>,
    /// Context constraints.
    pub context: ContextGlobs,
    /// Whether a match is evidence that the repository runs the vendor's
    /// product (`evidence: false` on a group: the vendor's general services).
    pub evidence: bool,
    /// Line of the rule in the pack file.
    pub line: u32,
    /// The rule's specificity, computed when the rule is built.
    pub spec: Specificity,
}

impl Rule {
    /// Computes the rule's specificity (stored in [`Rule::spec`]).
    pub fn specificity(&self) -> Specificity {
        let (literal, wildcard) = self.path.weight();
        let fields = self.context.fields().len() + usize::from(self.format.is_some());
        Specificity {
            value: u8::from(self.value.is_some()),
            literal,
            wildcard,
            fields: u8::try_from(fields).unwrap_or(u8::MAX),
        }
    }

    /// Whether the rule matches a setting whose key path (without its object
    /// prefix) splits into `segments`.
    pub fn matches(&self, s: &SettingRef<'_>, segments: &[SegRef<'_>]) -> bool {
        self.matches_context(s.format, s.context, s.file) && self.matches_at(s, segments)
    }

    /// Whether the rule's key path and value constraints hold for a setting
    /// (its format and context are checked by [`Rule::matches_context`]).
    pub fn matches_at(&self, s: &SettingRef<'_>, segments: &[SegRef<'_>]) -> bool {
        self.path.matches(segments)
            && match &self.value {
                None => true,
                Some(v) => s
                    .value
                    .scalar_text()
                    .is_some_and(|t| !s.is_block() && v.matches(t)),
            }
    }

    /// Whether the rule's format and context constraints hold for the
    /// settings of one context in one file.
    pub fn matches_context(&self, format: Format, c: &Context, file: &str) -> bool {
        if self.format.is_some_and(|f| f != format) {
            return false;
        }
        let field = |glob: &Option<TextGlob>, value: Option<&str>| match glob {
            None => true,
            Some(g) => value.is_some_and(|v| g.matches(v)),
        };
        let g = &self.context;
        field(&g.chart, c.chart.as_deref())
            && field(&g.resource, c.resource_type.as_deref())
            && field(&g.block, c.block.as_deref())
            && field(&g.api_version, c.api_version.as_deref())
            && field(&g.kind, c.kind.as_deref())
            && field(&g.namespace, c.namespace.as_deref())
            && field(&g.name, c.name.as_deref())
            && field(&g.document, Some(&c.document))
            && field(&g.file, Some(file))
            && field(&g.image, c.image.as_deref())
            && field(&g.repository, c.repository.as_deref())
    }

    /// Whether some setting could match both rules.
    pub fn overlaps(&self, other: &Rule) -> bool {
        if let (Some(a), Some(b)) = (self.format, other.format) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (&self.value, &other.value) {
            if !a.overlaps(b) {
                return false;
            }
        }
        for (name, glob) in self.context.fields() {
            if let Some(theirs) = other.context.get(name) {
                if !glob.overlaps(theirs) {
                    return false;
                }
            }
        }
        self.path.overlaps(&other.path)
    }
}
