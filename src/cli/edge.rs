//! The edge between clap and the rest of the crate: each command-line choice
//! maps onto the plain type the engine or a reporter takes, so that only
//! `cli` knows clap.

use super::{ClassifyFormat, LintFormat, ModelArgs, ReportFormat, TextFormat};
use crate::report;
use crate::session::ModelRequest;

impl ModelArgs {
    /// The model request these flags make.
    pub fn request(&self) -> ModelRequest {
        ModelRequest {
            config: self.config.clone(),
            vendor: self.vendor.clone(),
            deployment: self.deployment.clone(),
            options: self.options.clone(),
        }
    }
}

impl From<LintFormat> for report::LintFormat {
    fn from(f: LintFormat) -> Self {
        match f {
            LintFormat::Human => Self::Human,
            LintFormat::Json => Self::Json,
            LintFormat::Sarif => Self::Sarif,
            LintFormat::Github => Self::Github,
            LintFormat::Markdown => Self::Markdown,
        }
    }
}

impl From<ClassifyFormat> for report::ClassifyFormat {
    fn from(f: ClassifyFormat) -> Self {
        match f {
            ClassifyFormat::Human => Self::Human,
            ClassifyFormat::Json => Self::Json,
            ClassifyFormat::Csv => Self::Csv,
        }
    }
}

impl From<TextFormat> for report::TextFormat {
    fn from(f: TextFormat) -> Self {
        match f {
            TextFormat::Human => Self::Human,
            TextFormat::Json => Self::Json,
        }
    }
}

impl From<ReportFormat> for report::ReportFormat {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Html => Self::Html,
            ReportFormat::Markdown => Self::Markdown,
            ReportFormat::Json => Self::Json,
        }
    }
}
