//! The stable finding codes and their registry: one table ([`INFO`]) holds
//! each code's name, default severity, summary and explanation, and every
//! accessor (and through them SARIF rules, `explain --code`, the README
//! check) reads from it.

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

/// Everything known about one finding code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The code this row describes (its index in [`INFO`] is the code's discriminant).
    pub code: Code,
    /// The kebab-case name (stable; used in output, configuration and allowances).
    pub name: &'static str,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// One line on what the code means (SARIF `shortDescription`).
    pub summary: &'static str,
    /// What the code means and what to do about it (for `explain --code`, SARIF help and README).
    pub explanation: &'static str,
}

/// Number of finding codes.
const COUNT: usize = 16;

/// The registry, in documentation order (the order of [`Code`]'s variants).
pub const INFO: [CodeInfo; COUNT] = [
    CodeInfo {
        code: Code::VendorOwnedChange,
        name: "vendor-owned-change",
        severity: Severity::Error,
        summary: "A change touches a setting in an area that only the vendor is responsible for under the chosen deployment",
        explanation: "A change touches a setting in an area that only the vendor is responsible for under the chosen \
        deployment. Changing it may void support or break the vendor's guarantees. Coordinate with the \
        vendor, then record the approval with an allowance (`# demarcate:allow AREA ref=… -- reason`) or \
        a waiver in .demarcate.yaml.",
    },
    CodeInfo {
        code: Code::SharedChange,
        name: "shared-change",
        severity: Severity::Warning,
        summary: "A change touches an area the vendor shares with another party",
        explanation: "A change touches an area the vendor shares with another party. Check the duties of each party \
        (`demarcate explain FILE:LINE`) and tell the vendor if the model asks for it.",
    },
    CodeInfo {
        code: Code::ProviderOwnedChange,
        name: "provider-owned-change",
        severity: Severity::Warning,
        summary: "A change touches an area the cloud or infrastructure provider is responsible for (alone or with the customer)",
        explanation: "A change touches an area the cloud or infrastructure provider is responsible for (alone or with \
        the customer). Make sure the provider's terms allow it.",
    },
    CodeInfo {
        code: Code::ConsultVendor,
        name: "consult-vendor",
        severity: Severity::Note,
        summary: "The model says the vendor is consulted on this area: ask the vendor before the change is applied",
        explanation: "The model says the vendor is consulted on this area: ask the vendor before the change is applied.",
    },
    CodeInfo {
        code: Code::InformVendor,
        name: "inform-vendor",
        severity: Severity::Note,
        summary: "The model says the vendor is informed of this area: tell the vendor about the change",
        explanation: "The model says the vendor is informed of this area: tell the vendor about the change.",
    },
    CodeInfo {
        code: Code::BestEffortArea,
        name: "best-effort-area",
        severity: Severity::Note,
        summary: "The vendor supports this area on a best-effort basis only: the change is yours to own and test",
        explanation: "The vendor supports this area on a best-effort basis only: the change is yours to own and test.",
    },
    CodeInfo {
        code: Code::VendorOwnedSetting,
        name: "vendor-owned-setting",
        severity: Severity::Note,
        summary: "Tree mode lists settings in vendor-owned areas so that you know where the vendor's responsibility starts",
        explanation: "Tree mode lists settings in vendor-owned areas so that you know where the vendor's responsibility \
        starts. Nothing changed; no action is needed.",
    },
    CodeInfo {
        code: Code::ParseError,
        name: "parse-error",
        severity: Severity::Error,
        summary: "The file could not be read as YAML or HCL (or hit a limit such as nesting depth or alias expansion)",
        explanation: "The file could not be read as YAML or HCL (or hit a limit such as nesting depth or alias \
        expansion). Settings in it are not checked until it parses. Fix the syntax, or exclude the file \
        with `ignore:` in .demarcate.yaml if it is a template.",
    },
    CodeInfo {
        code: Code::AllowanceExpired,
        name: "allowance-expired",
        severity: Severity::Error,
        summary: "An allowance is past its `until` date, so the finding it accepted is reported again",
        explanation: "An allowance is past its `until` date, so the finding it accepted is reported again. Renew the \
        approval and move the date, or remove the allowance.",
    },
    CodeInfo {
        code: Code::AllowanceUnused,
        name: "allowance-unused",
        severity: Severity::Warning,
        summary: "An allowance accepted no finding: the setting it was written for no longer needs it",
        explanation: "An allowance accepted no finding: the setting it was written for no longer needs it. Remove it.",
    },
    CodeInfo {
        code: Code::AllowanceInvalid,
        name: "allowance-invalid",
        severity: Severity::Error,
        summary: "An allowance is malformed: it needs an area id or finding code, a reason after `--`, and dates as YYYY-MM-DD, at most allowances.max_days (default 366) ahead; with allowances.require_ref, a ref= too",
        explanation: "An allowance is malformed: it needs an area id or finding code, a reason after `--`, and dates \
        as YYYY-MM-DD, at most allowances.max_days (default 366) ahead; with allowances.require_ref, \
        a ref= too.",
    },
    CodeInfo {
        code: Code::FileSkipped,
        name: "file-skipped",
        severity: Severity::Note,
        summary: "A file was not read: binary, not UTF-8, over the size limit, unreadable, or a symlink leaving the repository",
        explanation: "A file was not read: binary, not UTF-8, over the size limit, unreadable, or a symlink leaving the \
        repository. Its settings are not checked. In `--base` and `--staged` modes a changed file that \
        cannot be read is an error: nothing changed goes unread.",
    },
    CodeInfo {
        code: Code::ConfigChange,
        name: "config-change",
        severity: Severity::Error,
        summary: "The change edits .demarcate.yaml or a pack it names",
        explanation: "The change edits .demarcate.yaml or a pack it names. In `--base` and `--staged` modes the base \
        revision's configuration judges the change, so an edit to it takes effect only once merged. It is \
        an error when it weakens the check (a lowered severity, a widened `ignore`, a removed or changed \
        scope or model, a replaced built-in pack, lowered limits, a deleted configuration), else a \
        warning. Have the edit reviewed on its own.",
    },
    CodeInfo {
        code: Code::UnclassifiedChange,
        name: "unclassified-change",
        severity: Severity::Note,
        summary: "A changed setting falls into no area of the responsibility model at either end of the change, so nothing judged it",
        explanation: "A changed setting falls into no area of the responsibility model at either end of the change, so \
        nothing judged it. Check that it is yours to change; if it belongs to the vendor, add a matcher \
        to the pack (or a pack of your own).",
    },
    CodeInfo {
        code: Code::SubmoduleChange,
        name: "submodule-change",
        severity: Severity::Note,
        summary: "A submodule now points at another commit",
        explanation: "A submodule now points at another commit. demarcate does not read inside submodules, so the \
        change is listed with both commits. It is an error when the submodule lies in a path that a \
        `scopes:` entry gives to a vendor's model, else a note.",
    },
    CodeInfo {
        code: Code::DuplicateKey,
        name: "duplicate-key",
        severity: Severity::Note,
        summary: "An HCL object literal or a Helm values mapping writes the same key twice",
        explanation: "An HCL object literal or a Helm values mapping writes the same key twice. Terraform and Helm \
        accept it and use the last value, and so does demarcate; the earlier value has no effect. Remove \
        one of them. (In Kubernetes objects and Talos documents a repeated key is a parse error: kubectl \
        and Talos reject it.)",
    },
];

// Each row sits at its code's discriminant, so `INFO[code as usize]` is that code's row.
const _: () = {
    let mut i = 0;
    while i < COUNT {
        assert!(
            INFO[i].code as usize == i,
            "INFO is out of the order of Code"
        );
        i += 1;
    }
};

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; COUNT] = {
        let mut all = [Code::VendorOwnedChange; COUNT];
        let mut i = 0;
        while i < COUNT {
            all[i] = INFO[i].code;
            i += 1;
        }
        all
    };

    /// This code's row of the registry.
    pub fn info(self) -> &'static CodeInfo {
        &INFO[self as usize]
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// Parses a kebab-case name.
    pub fn parse(name: &str) -> Option<Code> {
        INFO.iter().find(|i| i.name == name).map(|i| i.code)
    }

    /// One line on what the code means.
    pub fn summary(self) -> &'static str {
        self.info().summary
    }

    /// What the code means and what to do about it (for `explain --code` and README).
    pub fn explanation(self) -> &'static str {
        self.info().explanation
    }

    /// The severity unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
        let mut names: Vec<&str> = INFO.iter().map(|i| i.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COUNT);
    }

    #[test]
    fn summary_is_the_first_sentence_of_the_explanation() {
        for i in &INFO {
            let first = i.explanation.split(". ").next().unwrap_or_default();
            assert_eq!(i.summary, first.trim_end_matches('.'), "{}", i.name);
        }
    }
}
