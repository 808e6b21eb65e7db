//! Whom to ask about each finding: the engine step that applies the
//! judging configuration's `contacts:` entries ([`crate::contacts`]) to the
//! findings, with the vendor of the model that judges each file.

use crate::contacts::{Contact, resolve};
use crate::finding::Finding;
use crate::models::Models;

/// Fills in `contacts` of every finding; its vendor is that of the model judging its file.
pub(crate) fn assign(findings: &mut [Finding], contacts: &[Contact], models: &Models<'_>) {
    if contacts.is_empty() {
        return;
    }
    for f in findings {
        let vendor = models
            .for_file(&f.file)
            .and_then(|m| models.model(m))
            .map(|m| m.pack.id.as_str());
        f.contacts = resolve(contacts, vendor, f.area.as_deref());
    }
}
