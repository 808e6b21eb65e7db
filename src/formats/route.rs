//! The router: sends each YAML document, read from a file or embedded in
//! another document, to the format it belongs to. Embedded documents
//! re-enter here (a Talos config carried by a Kubernetes object, a manifest
//! carried by a Talos config or by Terraform), which is the one recursion
//! between the format modules.

use super::detect::{self, DocKind};
use super::hint::FileHint;
use super::reader::Reader;
use super::tree::Node;
use super::{helm, kubernetes, kustomize, talos};

/// Sends one document to the format it belongs to.
pub fn document(r: &mut Reader<'_>, doc: &Node, index: usize, hint: &FileHint) {
    match detect::doc_kind(doc) {
        DocKind::Kubernetes => kubernetes::read(r, doc, index, None),
        DocKind::Unknown if hint.values && doc.is_map() => {
            let ctx = helm::values_context(hint.chart.clone(), None, None);
            helm::read_umbrella_values(r, doc, &ctx, &hint.subcharts);
        }
        DocKind::Unknown if doc.is_map() && kustomize::is_kustomization_file(r.file) => {
            kubernetes::read_kustomization(r, doc, index);
        }
        DocKind::Unknown => {}
        talos_kind => talos::read(r, doc, talos_kind, None),
    }
}

/// Reads a document embedded in another (at `carrier`, the key path of
/// the setting that holds it) as the format `kind` names; documents of no
/// known format are left unread.
pub fn embedded(r: &mut Reader<'_>, doc: &Node, kind: DocKind, index: usize, carrier: String) {
    match kind {
        DocKind::Kubernetes => kubernetes::read(r, doc, index, Some(carrier)),
        DocKind::Unknown => {}
        talos_kind => talos::read(r, doc, talos_kind, Some(carrier)),
    }
}

/// Reads a document embedded in another as the format its content shows.
pub fn embedded_by_content(r: &mut Reader<'_>, doc: &Node, index: usize, carrier: String) {
    embedded(r, doc, detect::doc_kind(doc), index, carrier);
}
