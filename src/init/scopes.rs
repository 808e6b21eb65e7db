//! Which paths a further vendor's scope should cover: its signal files that
//! hold no signal of the main vendor, widened to a folder (`dir/**`) when
//! every file read in that folder is the vendor's and the folder either holds
//! two or more of them or is named after one of the vendor's marks
//! (`charts/cdrplatform-engine`).

use std::collections::BTreeSet;

use super::evidence::VendorEvidence;

/// Paths proposed for one further vendor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeProposal {
    /// Repository-relative globs (`dir/**`) and files.
    pub paths: Vec<String>,
    /// Signal files that also carry the main vendor's signals (left to the default model).
    pub mixed: Vec<String>,
}

/// The folders above a repository-relative file, innermost first (`a/b/c.yaml` → `a/b`, `a`).
fn folders(rel: &str) -> impl Iterator<Item = &str> {
    let mut rest = rel;
    std::iter::from_fn(move || {
        let (dir, _) = rest.rsplit_once('/')?;
        rest = dir;
        Some(dir)
    })
}

/// Proposes paths for every vendor after the first.
pub fn propose(vendors: &[VendorEvidence<'_>], all_files: &[&str]) -> Vec<ScopeProposal> {
    let Some((main, others)) = vendors.split_first() else {
        return Vec::new();
    };
    others
        .iter()
        .map(|v| {
            let mut out = ScopeProposal::default();
            let own: BTreeSet<&str> = v
                .files
                .keys()
                .map(String::as_str)
                .filter(|f| !main.files.contains_key(*f))
                .collect();
            out.mixed = v
                .files
                .keys()
                .filter(|f| main.files.contains_key(*f))
                .cloned()
                .collect();
            let mut covered: BTreeSet<&str> = BTreeSet::new();
            let mut paths = Vec::new();
            for file in &own {
                if covered.contains(file) {
                    continue;
                }
                let mut best: Option<&str> = None;
                for dir in folders(file) {
                    let inside: Vec<&str> = all_files
                        .iter()
                        .copied()
                        .filter(|f| f.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
                        .collect();
                    if !inside.iter().all(|f| own.contains(f)) {
                        break;
                    }
                    let name = dir.rsplit('/').next().unwrap_or(dir).to_lowercase();
                    let named = v.marks.keys().any(|m| name.contains(m.as_str()));
                    if inside.len() >= 2 || named {
                        best = Some(dir);
                    }
                }
                match best {
                    Some(dir) => {
                        for f in all_files {
                            if f.strip_prefix(dir).is_some_and(|r| r.starts_with('/')) {
                                covered.insert(f);
                            }
                        }
                        paths.push(format!("{dir}/**"));
                    }
                    None => {
                        covered.insert(file);
                        paths.push((*file).to_string());
                    }
                }
            }
            paths.sort();
            paths.dedup();
            // A folder glob makes the globs of folders inside it redundant.
            let folders_globs: Vec<String> = paths
                .iter()
                .filter_map(|p| p.strip_suffix("/**").map(|d| format!("{d}/")))
                .collect();
            out.paths = paths
                .iter()
                .filter(|p| {
                    !folders_globs
                        .iter()
                        .any(|d| p.starts_with(d.as_str()) && p.len() > d.len() + 2)
                })
                .cloned()
                .collect();
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_go_outwards() {
        assert_eq!(folders("a/b/c.yaml").collect::<Vec<_>>(), vec!["a/b", "a"]);
        assert_eq!(folders("c.yaml").count(), 0);
    }
}
