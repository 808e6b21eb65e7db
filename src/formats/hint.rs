//! What is known about a file before it is read: its kind by name, and
//! whether it holds Helm values (and for which chart).

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
    pub subcharts: Vec<super::chart::Dependency>,
}
