//! Unsaved judgements kept safe between saves, like vim's swap file.
//!
//! While a review has unsaved changes, the review screen writes them every few seconds (and when
//! it crashes) to a recovery file in the user's data folder. A save, or a deliberate "discard",
//! removes it. The next time the draft is opened, the recovered work is put back — but only onto
//! the sidecar it was based on, so a colleague's newer save is never overwritten by old work.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sidecar::{self, SidecarFile};

pub const VERSION: u32 = 1;
/// Overrides the data folder (tests, and editors who want recovery files elsewhere).
pub const ENV_VAR: &str = "WHOSAID_DATA_DIR";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryFile {
    pub version: u32,
    /// The draft, as an absolute path, so a person browsing the folder knows what each file is.
    pub article: String,
    /// When it was written (RFC 3339, UTC).
    pub written: String,
    /// What the sidecar on disk was when the unsaved work began (`OnDisk::label`).
    pub based_on: String,
    /// Every annotation, saved and unsaved, as the sidecar would have been written.
    pub sidecar: SidecarFile,
}

/// The folder recovery files live in.
pub fn folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(ENV_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "whosaid").map(|d| d.data_dir().join("recovery"))
}

/// The recovery file for a draft: named after the draft and a hash of its absolute path, so two
/// drafts called `draft.md` in different folders never share one.
pub fn path_for(article: &Path) -> Option<PathBuf> {
    use std::hash::{Hash, Hasher};
    let absolute = std::fs::canonicalize(article)
        .or_else(|_| std::path::absolute(article))
        .unwrap_or_else(|_| article.to_owned());
    // FxHasher has no random seed, so the name is the same in every run.
    let mut h = rustc_hash::FxHasher::default();
    absolute.hash(&mut h);
    let name = article
        .file_name()
        .map_or_else(|| "draft".into(), |n| n.to_string_lossy().into_owned());
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(folder()?.join(format!("{safe}.{:016x}.recovery.ron", h.finish())))
}

pub fn write(path: &Path, file: &RecoveryFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let pretty = ron::ser::PrettyConfig::new().new_line("\n");
    let text = ron::ser::to_string_pretty(file, pretty).map_err(std::io::Error::other)?;
    sidecar::write_atomically(path, text.as_bytes())
}

/// Reads a recovery file; `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<RecoveryFile>, String> {
    match sidecar::read(path) {
        Ok(Some(bytes)) => std::str::from_utf8(&bytes)
            .map_err(|_| format!("{}: not UTF-8 text", path.display()))
            .and_then(|text| {
                ron::from_str(text)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", path.display()))
            }),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Removes a recovery file; a missing one is fine.
pub fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_names_drafts_apart() {
        let dir = tempfile::tempdir().unwrap();
        let file = RecoveryFile {
            version: VERSION,
            article: "/news/draft.md".into(),
            written: "2026-11-25T10:00:00Z".into(),
            based_on: "missing".into(),
            sidecar: SidecarFile::empty(),
        };
        let path = dir.path().join("sub").join("draft.md.0.recovery.ron");
        write(&path, &file).unwrap();
        assert_eq!(read(&path).unwrap(), Some(file));
        remove(&path).unwrap();
        remove(&path).unwrap();
        assert_eq!(read(&path).unwrap(), None);

        let a = path_for(&dir.path().join("a/draft.md")).unwrap();
        let b = path_for(&dir.path().join("b/draft.md")).unwrap();
        assert_ne!(a, b);
        assert!(
            a.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("draft.md.")
        );
    }
}
