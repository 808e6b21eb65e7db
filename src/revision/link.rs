//! Paths inside the repository: the folder of a path, and where a
//! symbolic link's relative target leads (never out of the repository).

use std::path::{Component, Path, PathBuf};

/// The folder of a path (`""` for the root).
pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The repository-relative path a relative link target names, if it stays
/// inside the repository.
pub(super) fn resolve(link: &str, target: &str) -> Option<String> {
    let t = Path::new(target);
    if t.is_absolute() {
        return None;
    }
    let mut out = PathBuf::from(dir_of(link));
    for c in t.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    out.to_str().map(|s| s.replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_resolve_inside_the_repository_only() {
        assert_eq!(
            resolve("a/b.yaml", "../c/d.yaml").as_deref(),
            Some("c/d.yaml")
        );
        assert_eq!(resolve("b.yaml", "./d.yaml").as_deref(), Some("d.yaml"));
        assert_eq!(resolve("b.yaml", "../d.yaml"), None);
        assert_eq!(resolve("b.yaml", "/etc/passwd"), None);
    }
}
