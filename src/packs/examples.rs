//! A pack's own tests: `examples:` in a matcher group, each a small file with
//! the area (and, per deployment, the responsible parties) its named settings
//! must get. Read and checked against the pack by `example_read`; run by
//! [`crate::packtest`].

use std::collections::BTreeMap;

use super::Role;

/// Keys of an example.
pub const EXAMPLE_KEYS: &[&str] = &[
    "name",
    "file",
    "content",
    "chart",
    "chart_yaml",
    "options",
    "expect",
];
/// Keys of an expectation.
pub const EXPECT_KEYS: &[&str] = &["setting", "area", "responsible"];

/// One example file and what its settings must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The group it belongs to.
    pub group: String,
    /// A short description.
    pub name: String,
    /// The file's repository-relative path: its name decides how it is read
    /// (`values.yaml` as Helm values, `.tf` as Terraform, …).
    pub file: String,
    /// The file's text.
    pub content: String,
    /// For a values file: its chart.
    pub chart: Option<String>,
    /// For a values file: the text of its chart's `Chart.yaml` (name and dependencies).
    pub chart_yaml: Option<String>,
    /// Options the responsible parties are resolved under (defaults otherwise).
    pub options: BTreeMap<String, String>,
    /// What named settings must get.
    pub expect: Vec<Expect>,
    /// Line of the example in the pack file.
    pub line: u32,
}

/// What one setting of an example must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The setting's key path as `classify` prints it.
    pub setting: String,
    /// The area id, or `None` for a setting no rule may claim.
    pub area: Option<String>,
    /// Deployment → the responsible parties it must have there.
    pub responsible: BTreeMap<String, Vec<Role>>,
    /// Line of the expectation in the pack file.
    pub line: u32,
}
