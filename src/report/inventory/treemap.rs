//! The picture of the HTML report: a squarified treemap of the repository's
//! folders and files, each file's area sized by its settings and split into
//! bands coloured by owner. Inline SVG with a `<title>` on every file.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::palette::{Palette, UNCLASSIFIED};
use super::squarify::{Rect, squarify};
use crate::inventory::FileRow;
use crate::report::escape::html as escape;

/// Width and height of the picture in SVG units.
pub const WIDTH: f64 = 1000.0;
/// Height of the picture.
pub const HEIGHT: f64 = 600.0;
/// Most file rectangles drawn; past it, folders are drawn as one block each.
const MAX_FILES: usize = 3000;
/// Least area (square units) the files and folders of a folder get on
/// average before the folder is drawn as one block of its owners instead.
const MIN_FILE_AREA: f64 = 150.0;
/// Height of a folder's label strip.
const HEADER: f64 = 15.0;

/// A folder or a file.
#[derive(Debug, Default)]
struct Node<'a> {
    name: String,
    weight: usize,
    file: Option<&'a FileRow>,
    children: BTreeMap<String, Node<'a>>,
    /// Settings per owner of every file below.
    owners: BTreeMap<String, usize>,
    /// Unclassified settings below.
    unclassified: usize,
    /// Files below.
    files: usize,
}

impl<'a> Node<'a> {
    fn insert(&mut self, parts: &[&str], file: &'a FileRow, weight: usize) {
        self.weight += weight;
        self.files += 1;
        self.unclassified += file.unclassified;
        for (owner, n) in &file.owners {
            *self.owners.entry(owner.clone()).or_insert(0) += n;
        }
        match parts {
            [] => {}
            [name] => {
                self.children.insert(
                    (*name).to_string(),
                    Node {
                        name: (*name).to_string(),
                        weight,
                        file: Some(file),
                        children: BTreeMap::new(),
                        owners: file.owners.clone(),
                        unclassified: file.unclassified,
                        files: 1,
                    },
                );
            }
            [dir, rest @ ..] => self
                .children
                .entry((*dir).to_string())
                .or_insert_with(|| Node {
                    name: (*dir).to_string(),
                    ..Node::default()
                })
                .insert(rest, file, weight),
        }
    }

    /// Joins folders that hold a single folder (`charts/engine`).
    fn collapse(&mut self) {
        for c in self.children.values_mut() {
            c.collapse();
        }
        if self.file.is_none() && self.children.len() == 1 {
            if let Some((_, only)) = self.children.pop_first() {
                if only.file.is_none() {
                    self.name = if self.name.is_empty() {
                        only.name
                    } else {
                        format!("{}/{}", self.name, only.name)
                    };
                    self.children = only.children;
                } else {
                    self.children.insert(only.name.clone(), only);
                }
            }
        }
    }
}

fn settings(f: &FileRow) -> usize {
    f.owners.values().sum::<usize>() + f.unclassified
}

struct Drawing<'p> {
    palette: &'p Palette,
    out: String,
    files: usize,
}

impl Drawing<'_> {
    fn node(&mut self, n: &Node<'_>, r: Rect, path: &str) {
        if r.w < 1.0 || r.h < 1.0 {
            return;
        }
        let label = if path.is_empty() {
            n.name.clone()
        } else {
            format!("{path}/{}", n.name)
        };
        if let Some(f) = n.file {
            if self.files < MAX_FILES {
                self.files += 1;
                self.block("file", n, &f.file, &n.name, r);
            }
            return;
        }
        #[allow(clippy::cast_precision_loss)]
        let crowded = n.children.len() as f64 * MIN_FILE_AREA > r.w * r.h;
        if crowded || self.files >= MAX_FILES {
            let what = format!("{label}/ ({} files)", n.files);
            self.block("folder", n, &what, &n.name, r);
            return;
        }
        let mut inner = Rect {
            x: r.x + 1.0,
            y: r.y + 1.0,
            w: r.w - 2.0,
            h: r.h - 2.0,
        };
        let _ = write!(
            self.out,
            r#"<g class="dir"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{} — {} settings</title></rect>"#,
            r.x,
            r.y,
            r.w,
            r.h,
            escape(&label),
            n.weight
        );
        if r.h > 3.0 * HEADER && r.w > 40.0 && !n.name.is_empty() {
            let _ = write!(
                self.out,
                r#"<text x="{:.1}" y="{:.1}" class="dirname">{}</text>"#,
                r.x + 3.0,
                r.y + HEADER - 4.0,
                escape(&fit(&n.name, r.w - 6.0))
            );
            inner = Rect {
                y: r.y + HEADER,
                h: r.h - HEADER - 1.0,
                ..inner
            };
        }
        let mut kids: Vec<&Node<'_>> = n.children.values().filter(|c| c.weight > 0).collect();
        kids.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.name.cmp(&b.name)));
        #[allow(clippy::cast_precision_loss)]
        let weights: Vec<f64> = kids.iter().map(|k| k.weight as f64).collect();
        for (k, kr) in kids.iter().zip(squarify(&weights, inner)) {
            self.node(k, kr, &label);
        }
        self.out.push_str("</g>");
    }

    /// A file, or a folder too crowded to draw file by file: one
    /// rectangle in bands by owner, titled with its counts.
    fn block(&mut self, class: &str, n: &Node<'_>, what: &str, name: &str, r: Rect) {
        let total = n.weight;
        let mut parts: Vec<(&str, usize)> = self
            .palette
            .owners()
            .iter()
            .filter_map(|o| n.owners.get(o).map(|c| (self.palette.colour(o), *c)))
            .collect();
        if n.unclassified > 0 {
            parts.push((UNCLASSIFIED, n.unclassified));
        }
        let mut title = format!("{what}: {total} settings");
        for (owner, c) in &n.owners {
            let _ = write!(title, "; {owner} {c}");
        }
        if n.unclassified > 0 {
            let _ = write!(title, "; unclassified {}", n.unclassified);
        }
        let _ = write!(
            self.out,
            r#"<g class="{class}"><title>{}</title>"#,
            escape(&title)
        );
        // Bands along the longer side, one per owner.
        let mut at = 0.0;
        for (colour, c) in parts {
            #[allow(clippy::cast_precision_loss)]
            let share = c as f64 / total.max(1) as f64;
            let band = if r.w >= r.h {
                Rect {
                    x: r.x + at * r.w,
                    w: share * r.w,
                    ..r
                }
            } else {
                Rect {
                    y: r.y + at * r.h,
                    h: share * r.h,
                    ..r
                }
            };
            at += share;
            let _ = write!(
                self.out,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}"/>"#,
                band.x, band.y, band.w, band.h
            );
        }
        let _ = write!(
            self.out,
            r#"<rect class="edge" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/>"#,
            r.x, r.y, r.w, r.h
        );
        if r.w > 50.0 && r.h > 16.0 {
            let _ = write!(
                self.out,
                r#"<text x="{:.1}" y="{:.1}" class="filename">{}</text>"#,
                r.x + 3.0,
                r.y + 12.0,
                escape(&fit(name, r.w - 6.0))
            );
        }
        self.out.push_str("</g>");
    }
}

/// A label cut to fit a width (about 6.5 units a character at the label size).
fn fit(text: &str, width: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max = (width / 6.5).max(0.0) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else if max > 1 {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    } else {
        String::new()
    }
}

/// The SVG of the repository's files, with an accessible name and description.
pub fn svg(files: &[FileRow], palette: &Palette, summary: &str) -> String {
    let mut root = Node::default();
    for f in files {
        let parts: Vec<&str> = f.file.split('/').collect();
        root.insert(&parts, f, settings(f));
    }
    root.collapse();
    let mut d = Drawing {
        palette,
        out: String::new(),
        files: 0,
    };
    let _ = write!(
        d.out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" id="treemap" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="treemap-title treemap-desc"><title id="treemap-title">Map of the repository: files sized by settings, coloured by responsible party</title><desc id="treemap-desc">{}</desc>"#,
        escape(summary)
    );
    if root.weight == 0 {
        let _ = write!(
            d.out,
            r#"<text x="20" y="40" class="dirname">No settings found.</text>"#
        );
    } else {
        d.node(
            &root,
            Rect {
                x: 0.0,
                y: 0.0,
                w: WIDTH,
                h: HEIGHT,
            },
            "",
        );
    }
    d.out.push_str("</svg>");
    d.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_folders_are_drawn_as_one_block_of_their_owners() {
        let row = |f: String, n: usize| FileRow {
            file: f,
            owners: BTreeMap::from([("STACKIT".to_string(), n)]),
            unclassified: 1,
        };
        let mut files: Vec<FileRow> = (0..3500)
            .map(|i| row(format!("crowd/f{i}.yaml"), 2))
            .collect();
        files.push(row("small/a.yaml".to_string(), 10_000));
        files.push(row("small/b.yaml".to_string(), 10_000));
        let palette = Palette::from_owners(vec!["STACKIT".to_string()]);
        let svg = svg(&files, &palette, "summary");
        // 3500 files in a third of the picture: their folder is one block;
        // the other folder's two files are drawn.
        assert_eq!(svg.matches("<g class=\"folder\">").count(), 1, "{svg}");
        assert!(svg.contains(
            "<title>crowd/ (3500 files): 10500 settings; STACKIT 7000; unclassified 3500</title>"
        ));
        assert_eq!(svg.matches("<g class=\"file\">").count(), 2);
        // Not crowded: file by file.
        let svg = super::svg(&files[3500..], &palette, "summary");
        assert_eq!(svg.matches("<g class=\"file\">").count(), 2);
        assert!(!svg.contains("class=\"folder\""));
    }

    #[test]
    fn single_folder_chains_are_joined() {
        let row = |f: &str| FileRow {
            file: f.to_string(),
            owners: BTreeMap::new(),
            unclassified: 1,
        };
        let files = [
            row("charts/engine/values.yaml"),
            row("charts/engine/templates/a.yaml"),
        ];
        let mut root = Node::default();
        for f in &files {
            let parts: Vec<&str> = f.file.split('/').collect();
            root.insert(&parts, f, 1);
        }
        root.collapse();
        assert_eq!(root.name, "charts/engine");
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.weight, 2);
    }
}
