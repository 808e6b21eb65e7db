//! The stable finding codes, their default severities and explanations.

use std::fmt;

use serde::Serialize;

use super::Severity;

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
    /// The change edits `.demarcate.yaml` or a pack it names.
    ConfigChange,
    /// A changed setting falls into no area of the model.
    UnclassifiedChange,
    /// A submodule now points at another commit.
    SubmoduleChange,
    /// A key written twice in one HCL object literal or Helm values mapping; the last one is used.
    DuplicateKey,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 16] = [
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
        Code::ConfigChange,
        Code::UnclassifiedChange,
        Code::SubmoduleChange,
        Code::DuplicateKey,
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
            Code::ConfigChange => "config-change",
            Code::UnclassifiedChange => "unclassified-change",
            Code::SubmoduleChange => "submodule-change",
            Code::DuplicateKey => "duplicate-key",
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
                 as YYYY-MM-DD, at most allowances.max_days (default 366) ahead; with allowances.require_ref, \
                 a ref= too."
            }
            Code::FileSkipped => {
                "A file was not read: binary, not UTF-8, over the size limit, unreadable, or a symlink leaving the \
                 repository. Its settings are not checked. In `--base` and `--staged` modes a changed file that \
                 cannot be read is an error: nothing changed goes unread."
            }
            Code::ConfigChange => {
                "The change edits .demarcate.yaml or a pack it names. In `--base` and `--staged` modes the base \
                 revision's configuration judges the change, so an edit to it takes effect only once merged. It is \
                 an error when it weakens the check (a lowered severity, a widened `ignore`, a removed or changed \
                 scope or model, a replaced built-in pack, lowered limits, a deleted configuration), else a \
                 warning. Have the edit reviewed on its own."
            }
            Code::UnclassifiedChange => {
                "A changed setting falls into no area of the responsibility model at either end of the change, so \
                 nothing judged it. Check that it is yours to change; if it belongs to the vendor, add a matcher \
                 to the pack (or a pack of your own)."
            }
            Code::SubmoduleChange => {
                "A submodule now points at another commit. demarcate does not read inside submodules, so the \
                 change is listed with both commits. It is an error when the submodule lies in a path that a \
                 `scopes:` entry gives to a vendor's model, else a note."
            }
            Code::DuplicateKey => {
                "An HCL object literal or a Helm values mapping writes the same key twice. Terraform and Helm \
                 accept it and use the last value, and so does demarcate; the earlier value has no effect. Remove \
                 one of them. (In Kubernetes objects and Talos documents a repeated key is a parse error: kubectl \
                 and Talos reject it.)"
            }
        }
    }

    /// The severity unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::VendorOwnedChange
            | Code::ParseError
            | Code::AllowanceExpired
            | Code::AllowanceInvalid
            | Code::ConfigChange => Severity::Error,
            Code::SharedChange | Code::ProviderOwnedChange | Code::AllowanceUnused => {
                Severity::Warning
            }
            Code::ConsultVendor
            | Code::InformVendor
            | Code::BestEffortArea
            | Code::VendorOwnedSetting
            | Code::FileSkipped
            | Code::UnclassifiedChange
            | Code::SubmoduleChange
            | Code::DuplicateKey => Severity::Note,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
