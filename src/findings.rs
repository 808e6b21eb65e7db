//! Findings: what demarcate reports, with a stable [`Code`], a [`Severity`],
//! a location and a message.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::packs::Role;
use crate::setting::{Format, Span};

/// Stable finding codes (kebab-case in output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A change to a setting only the vendor is responsible for.
    VendorOwnedChange,
    /// A change to a setting the vendor shares with another party.
    SharedChange,
    /// A change to a setting the provider (alone or with the customer) is responsible for.
    ProviderOwnedChange,
    /// The model says the vendor is consulted on this area.
    ConsultVendor,
    /// The model says the vendor is informed of changes in this area.
    InformVendor,
    /// The vendor supports this area on a best-effort basis only.
    BestEffortArea,
    /// Tree mode: a setting in a vendor-owned area.
    VendorOwnedSetting,
    /// A file could not be parsed (or exceeded a limit while parsing).
    ParseError,
    /// An allowance is past its `until` date.
    AllowanceExpired,
    /// An allowance matched no finding.
    AllowanceUnused,
    /// An allowance is malformed (no reason, bad date, unknown area or code).
    AllowanceInvalid,
    /// A file was not read (binary, not UTF-8, too large, a symlink out of the repository).
    FileSkipped,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 12] = [
        Code::VendorOwnedChange,
        Code::SharedChange,
        Code::ProviderOwnedChange,
        Code::ConsultVendor,
        Code::InformVendor,
        Code::BestEffortArea,
        Code::VendorOwnedSetting,
        Code::ParseError,
        Code::AllowanceExpired,
        Code::AllowanceUnused,
        Code::AllowanceInvalid,
        Code::FileSkipped,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::VendorOwnedChange => "vendor-owned-change",
            Code::SharedChange => "shared-change",
            Code::ProviderOwnedChange => "provider-owned-change",
            Code::ConsultVendor => "consult-vendor",
            Code::InformVendor => "inform-vendor",
            Code::BestEffortArea => "best-effort-area",
            Code::VendorOwnedSetting => "vendor-owned-setting",
            Code::ParseError => "parse-error",
            Code::AllowanceExpired => "allowance-expired",
            Code::AllowanceUnused => "allowance-unused",
            Code::AllowanceInvalid => "allowance-invalid",
            Code::FileSkipped => "file-skipped",
        }
    }

    /// Parses a kebab-case name.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// What the code means and what to do about it (for `explain --code` and README).
    pub fn explanation(self) -> &'static str {
        match self {
            Code::VendorOwnedChange => {
                "A change touches a setting in an area that only the vendor is responsible for under the chosen \
                 deployment. Changing it may void support or break the vendor's guarantees. Coordinate with the \
                 vendor, then record the approval with an allowance (`# demarcate:allow AREA ref=… -- reason`) or \
                 a waiver in .demarcate.yaml."
            }
            Code::SharedChange => {
                "A change touches an area the vendor shares with another party. Check the duties of each party \
                 (`demarcate explain FILE:LINE`) and tell the vendor if the model asks for it."
            }
            Code::ProviderOwnedChange => {
                "A change touches an area the cloud or infrastructure provider is responsible for (alone or with \
                 the customer). Make sure the provider's terms allow it."
            }
            Code::ConsultVendor => {
                "The model says the vendor is consulted on this area: ask the vendor before the change is applied."
            }
            Code::InformVendor => {
                "The model says the vendor is informed of this area: tell the vendor about the change."
            }
            Code::BestEffortArea => {
                "The vendor supports this area on a best-effort basis only: the change is yours to own and test."
            }
            Code::VendorOwnedSetting => {
                "Tree mode lists settings in vendor-owned areas so that you know where the vendor's responsibility \
                 starts. Nothing changed; no action is needed."
            }
            Code::ParseError => {
                "The file could not be read as YAML or HCL (or hit a limit such as nesting depth or alias \
                 expansion). Settings in it are not checked until it parses. Fix the syntax, or exclude the file \
                 with `ignore:` in .demarcate.yaml if it is a template."
            }
            Code::AllowanceExpired => {
                "An allowance is past its `until` date, so the finding it accepted is reported again. Renew the \
                 approval and move the date, or remove the allowance."
            }
            Code::AllowanceUnused => {
                "An allowance accepted no finding: the setting it was written for no longer needs it. Remove it."
            }
            Code::AllowanceInvalid => {
                "An allowance is malformed: it needs an area id or finding code, a reason after `--`, and dates \
                 as YYYY-MM-DD."
            }
            Code::FileSkipped => {
                "A file was not read: binary, not UTF-8, over the size limit, unreadable, or a symlink leaving the \
                 repository. Its settings are not checked."
            }
        }
    }

    /// The severity unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::VendorOwnedChange
            | Code::ParseError
            | Code::AllowanceExpired
            | Code::AllowanceInvalid => Severity::Error,
            Code::SharedChange | Code::ProviderOwnedChange | Code::AllowanceUnused => {
                Severity::Warning
            }
            Code::ConsultVendor
            | Code::InformVendor
            | Code::BestEffortArea
            | Code::VendorOwnedSetting
            | Code::FileSkipped => Severity::Note,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is; ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information.
    Note,
    /// Needs attention.
    Warning,
    /// Fails the check by default.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(name: &str) -> Option<Severity> {
        [Severity::Note, Severity::Warning, Severity::Error]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a setting changed between the base and the new revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// New in the new revision.
    Added,
    /// Present in both with a different value.
    Modified,
    /// Gone from the new revision.
    Removed,
}

/// The area a finding's setting belongs to, and who is responsible for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRef {
    /// Area id in the pack.
    pub id: String,
    /// Area title as the vendor's document words it.
    pub title: String,
    /// RACI: responsible roles.
    pub responsible: Vec<Role>,
    /// RACI: accountable roles.
    pub accountable: Vec<Role>,
    /// RACI: consulted roles.
    pub consulted: Vec<Role>,
    /// RACI: informed roles.
    pub informed: Vec<Role>,
    /// Display name(s) of the responsible parties, e.g. `STACKIT` or `CSP and Customer`.
    pub owner: String,
}

/// An allowance that accepted a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// Where the allowance is written (`file:line`).
    pub by: String,
    /// The reason given.
    pub reason: String,
    /// Reference (ticket, change request), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    /// Expiry date, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// One reported finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Severity after configuration.
    pub severity: Severity,
    /// Repository-relative path.
    pub file: Arc<str>,
    /// Location in the file.
    pub span: Span,
    /// Key path of the setting, if the finding is about one.
    pub setting: Option<String>,
    /// Format of the setting.
    pub format: Option<Format>,
    /// Kind of change, in base or staged mode.
    pub change: Option<ChangeKind>,
    /// Value at the base revision.
    pub before: Option<String>,
    /// Value in the new revision.
    pub after: Option<String>,
    /// Area and responsibility.
    pub area: Option<AreaRef>,
    /// What happened and what to do.
    pub message: String,
    /// The allowance that accepted it, if any.
    pub allowed: Option<Allowed>,
}

impl Finding {
    /// A finding about a file location that is not a setting.
    pub fn at(code: Code, file: Arc<str>, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            file,
            span,
            setting: None,
            format: None,
            change: None,
            before: None,
            after: None,
            area: None,
            message: message.into(),
            allowed: None,
        }
    }
}
