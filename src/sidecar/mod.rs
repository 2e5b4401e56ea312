//! The sidecar file: `draft.md` → `draft.md.sources.ron`, the editor's judgements in a form a
//! person can read, diff and merge. docs/sidecar-format.md describes the schema.
//!
//! Saving never loses work: the new file is written beside the old one, flushed to disk and renamed
//! over it, and nothing is written when the file on disk failed to parse, is from a newer version,
//! or changed since it was read.

pub mod lock;
pub mod merge;
pub mod recovery;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::detect::Severity;
use crate::files::ReadError;
use crate::judgement::{Checklist, Status};

/// Version 2 added each annotation's `history` and `conflict`, and the article's `sign_off`.
/// Version 1 files are read as they are; they are written back as version 2.
pub const VERSION: u32 = 2;
/// Sidecars larger than this are refused unread, so a stray huge file cannot exhaust memory. An
/// annotation takes about a kilobyte and a draft of the largest size whosaid opens
/// ([`crate::article::MAX_BYTES`]) can hold a source every kilobyte, so the limit is the draft's:
/// whosaid must read back every sidecar it writes (a fully judged 100 MB draft's is 96 MiB).
pub const MAX_BYTES: u64 = crate::article::MAX_BYTES;
pub const SUFFIX: &str = ".sources.ron";

/// Where an annotation was made: the quoted text with context either side, so it can find its
/// place again after the draft is edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    /// Set aside by an editor as an orphan (`M` on a moved note): it is not placed in the text
    /// again until the editor re-attaches it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub detached: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    pub id: String,
    pub anchor: Anchor,
    /// The rule that found the source, kept even if a later detector no longer flags it.
    pub origin: String,
    /// The detector's severity when the annotation was made.
    pub severity: Severity,
    pub status: Status,
    /// The status to return to when a dismissal is undone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_dismissal: Option<Status>,
    #[serde(default, skip_serializing_if = "Checklist::is_empty")]
    pub checklist: Checklist,
    #[serde(default)]
    pub note: String,
    pub author: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub updated: String,
    /// Who changed the reliability or checklist, and when; the latest [`HISTORY_LIMIT`] changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change>,
    /// Set when two editors changed this annotation in different ways and both versions were
    /// kept: what clashed. Cleared when an editor resolves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
}

/// How many changes each annotation's history keeps.
pub const HISTORY_LIMIT: usize = 20;

/// One entry in an annotation's history.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// RFC 3339, UTC. First, so history sorts by time.
    pub when: String,
    pub who: String,
    /// What changed, in words: `reliability: untagged → verified`.
    pub what: String,
}

/// Who signed off the article's sourcing, and how it stood then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub who: String,
    /// RFC 3339, UTC.
    pub when: String,
    pub sources: usize,
    pub untagged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidecarFile {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<SignOff>,
    #[serde(default)]
    pub annotations: Vec<Annotation>,
}

impl SidecarFile {
    pub fn empty() -> Self {
        Self {
            version: VERSION,
            sign_off: None,
            annotations: Vec::new(),
        }
    }
}

/// A cheap identity of the bytes on disk, to notice that someone else changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u64, usize);

impl Fingerprint {
    /// XXH3: a save hashes the file twice (what is on disk, what it wrote), and SipHash took
    /// about 2 ms a time on an 8 MiB sidecar, XXH3 under half a millisecond.
    fn of(bytes: &[u8]) -> Self {
        Self(xxhash_rust::xxh3::xxh3_64(bytes), bytes.len())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("cannot read {path}: {reason}")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path} is sidecar version {found}; this whosaid reads up to version {VERSION} (upgrade whosaid)"
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error(
        "{path} is larger than {}, more than any sidecar whosaid writes; it was not read",
        crate::files::size_label(MAX_BYTES)
    )]
    TooLarge { path: PathBuf },
    #[error("{path} is {kind}, not a sidecar file; it was not read")]
    NotRegular { path: PathBuf, kind: &'static str },
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(
        "not saved: the sidecar could not be read ({0}); fix or move it, your changes are kept"
    )]
    Unreadable(String),
    #[error("not saved: {} changed on disk since it was opened; your changes are kept", .0.display())]
    ChangedOnDisk(PathBuf),
    #[error("not saved: cannot write {path}: {reason}; your changes are kept")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
}

/// The sidecar path for an article: the article's own path plus `.sources.ron`.
pub fn path_for(article: &Path) -> PathBuf {
    let mut s = article.as_os_str().to_owned();
    s.push(SUFFIX);
    PathBuf::from(s)
}

/// What was on disk when the sidecar was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnDisk {
    Missing,
    Present(Fingerprint),
}

/// Reads a sidecar; a missing file is an empty sidecar.
pub fn load(path: &Path) -> Result<(SidecarFile, OnDisk), SidecarError> {
    let bytes = match read(path) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok((SidecarFile::empty(), OnDisk::Missing)),
        Err(e) => return Err(e),
    };
    let fingerprint = Fingerprint::of(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| SidecarError::Parse {
        path: path.to_owned(),
        line: 1,
        column: 1,
        message: format!("not UTF-8 text ({e})"),
    })?;
    let file = parse(path, &text)?;
    Ok((file, OnDisk::Present(fingerprint)))
}

/// The bytes of a sidecar, `None` when there is none; only a regular file, and at most
/// [`MAX_BYTES`].
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, SidecarError> {
    match crate::files::read_regular(path, MAX_BYTES) {
        Ok(b) => Ok(Some(b)),
        Err(ReadError::NotFound(_)) => Ok(None),
        Err(ReadError::NotRegular(kind)) => Err(SidecarError::NotRegular {
            path: path.to_owned(),
            kind,
        }),
        Err(ReadError::TooLarge(_)) => Err(SidecarError::TooLarge {
            path: path.to_owned(),
        }),
        Err(ReadError::Io(reason)) => Err(SidecarError::Io {
            path: path.to_owned(),
            reason,
        }),
    }
}

/// Parses sidecar text; a file from a newer version says so.
pub fn parse(path: &Path, text: &str) -> Result<SidecarFile, SidecarError> {
    #[derive(Deserialize)]
    struct Probe {
        version: u32,
    }
    let parse_error = |e: ron::error::SpannedError| SidecarError::Parse {
        path: path.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    };
    let too_new = |found| SidecarError::TooNew {
        path: path.to_owned(),
        found,
    };
    // The whole file is parsed once; only when that fails is the version looked for on its own,
    // so a newer file says so rather than naming a field this version does not know.
    match ron::from_str::<SidecarFile>(text) {
        Ok(file) if file.version > VERSION => Err(too_new(file.version)),
        Ok(file) => Ok(file),
        Err(e) => match ron::from_str::<Probe>(text) {
            Ok(probe) if probe.version > VERSION => Err(too_new(probe.version)),
            _ => Err(parse_error(e)),
        },
    }
}

/// The exact bytes written for a sidecar: pretty RON with `\n` line endings.
pub fn to_text(file: &SidecarFile) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ");
    let mut text = ron::ser::to_string_pretty(file, pretty).expect("sidecar serialises");
    text.push('\n');
    text
}

/// Writes the sidecar atomically, refusing when the file on disk is not the one that was read.
pub fn save(path: &Path, file: &SidecarFile, expected: &OnDisk) -> Result<OnDisk, SaveError> {
    let io_err = |reason| SaveError::Io {
        path: path.to_owned(),
        reason,
    };
    // A symlinked sidecar is written through to its target, so the link survives.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(io_err)?,
        _ => path.to_owned(),
    };
    let current = match read(&target) {
        Ok(Some(b)) => OnDisk::Present(Fingerprint::of(&b)),
        Ok(None) => OnDisk::Missing,
        Err(e) => return Err(SaveError::Unreadable(e.to_string())),
    };
    if current != *expected {
        return Err(SaveError::ChangedOnDisk(path.to_owned()));
    }
    let text = to_text(file);
    write_atomically(&target, text.as_bytes()).map_err(io_err)?;
    Ok(OnDisk::Present(Fingerprint::of(text.as_bytes())))
}

impl OnDisk {
    /// A short, stable description of what was on disk ("missing" or a hash), for recovery files.
    pub fn label(&self) -> String {
        match self {
            OnDisk::Missing => "missing".to_owned(),
            OnDisk::Present(Fingerprint(hash, len)) => format!("{hash:016x}-{len}"),
        }
    }
}

/// Replaces `target` with `bytes` so that a crash at any moment leaves either the complete old
/// file or the complete new one: a temporary file in the same folder, flushed, renamed over the
/// target, and the folder flushed. An existing target keeps its permissions.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".tmp");
    // A new sidecar gets ordinary permissions (0666 less the umask), like any file an editor
    // saves, rather than the temp file's private 0600; an existing one keeps its own below.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = std::fs::metadata(target) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    // The rename is only durable once the folder itself is flushed.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    remove_stale_temp_files(&dir);
    Ok(())
}

const TEMP_PREFIX: &str = ".whosaid-";
/// A save takes milliseconds; a temporary file this old was left by a process that was killed.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes temporary files that killed saves left behind, so they do not pile up beside drafts.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judgement::{Answer, CheckItem};

    /// A killed save leaves its temporary file behind; the next save in that folder removes it
    /// once it is old enough not to be another process's save under way.
    #[test]
    fn the_next_save_removes_a_killed_saves_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join(".whosaid-killed.tmp");
        let fresh = dir.path().join(".whosaid-inflight.tmp");
        std::fs::write(&left, "half a sidecar").unwrap();
        std::fs::write(&fresh, "a save under way").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&left)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - STALE_AFTER * 2)
            .unwrap();
        write_atomically(&dir.path().join("d.md.sources.ron"), b"(version: 2)\n").unwrap();
        assert!(!left.exists(), "the killed save's file is gone");
        assert!(fresh.exists(), "a save that may be under way is left alone");
    }

    fn sample() -> SidecarFile {
        let mut checklist = Checklist::default();
        checklist.set(CheckItem::IdentityKnown, Answer::Yes);
        SidecarFile {
            version: VERSION,
            sign_off: None,
            annotations: vec![Annotation {
                id: "a1b2c3d4e5f6".into(),
                anchor: Anchor {
                    start: 10,
                    end: 29,
                    quote: "a senior \"official\"".into(),
                    prefix: "line one\nsaid ".into(),
                    suffix: " on Tuesday é".into(),
                    detached: false,
                },
                origin: "anon.descriptor".into(),
                severity: Severity::Medium,
                status: Status::Dismissed,
                before_dismissal: Some(Status::Verified),
                checklist,
                note: "Called back.\nTwo lines.".into(),
                author: "ana".into(),
                created: "2026-11-25T10:00:00Z".into(),
                updated: "2026-11-25T10:05:00Z".into(),
                history: vec![Change {
                    when: "2026-11-25T10:05:00Z".into(),
                    who: "ana".into(),
                    what: "dismissed as not a source".into(),
                }],
                conflict: None,
            }],
        }
    }

    #[test]
    fn save_then_load_is_identity() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.md.sources.ron");
        let on_disk = save(&path, &sample(), &OnDisk::Missing).unwrap();
        let (back, read) = load(&path).unwrap();
        assert_eq!(back, sample());
        assert_eq!(read, on_disk);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains('\r'));
        assert!(text.contains("status: \"dismissed\""), "{text}");
    }

    #[test]
    fn refuses_to_overwrite_a_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.md.sources.ron");
        let first = save(&path, &sample(), &OnDisk::Missing).unwrap();
        std::fs::write(&path, "(version: 1, annotations: [])\n").unwrap();
        let err = save(&path, &sample(), &first).unwrap_err();
        assert!(matches!(err, SaveError::ChangedOnDisk(_)));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "(version: 1, annotations: [])\n"
        );
        // Created by someone else after we found none.
        assert!(matches!(
            save(&path, &sample(), &OnDisk::Missing),
            Err(SaveError::ChangedOnDisk(_))
        ));
    }

    #[test]
    fn parse_errors_carry_line_and_column_and_newer_versions_say_so() {
        let p = Path::new("x.sources.ron");
        let err = parse(p, "(\n    version: 1,\n    annotations: [ (id: 3) ],\n)").unwrap_err();
        assert!(matches!(err, SidecarError::Parse { line: 3, .. }), "{err}");
        let err = parse(p, "(version: 9, annotations: [], future: true)").unwrap_err();
        assert!(
            matches!(err, SidecarError::TooNew { found: 9, .. }),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_writes_through_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("d.md.sources.ron");
        let first = save(&real, &sample(), &OnDisk::Missing).unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut file = sample();
        file.annotations[0].note = "changed".into();
        save(&link, &file, &first).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(load(&real).unwrap().0, file);
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[cfg(unix)]
    #[test]
    fn new_sidecar_is_readable_by_colleagues() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.md.sources.ron");
        save(&path, &sample(), &OnDisk::Missing).unwrap();
        // Whatever the umask, the sidecar gets what any newly written file gets.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn saving_removes_temp_files_that_killed_saves_left() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".whosaid-abc123.tmp");
        let fresh = dir.path().join(".whosaid-def456.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&stale, &fresh, &other] {
            std::fs::write(p, "partial").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        std::fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(old)
            .unwrap();
        save(
            &dir.path().join("d.md.sources.ron"),
            &sample(),
            &OnDisk::Missing,
        )
        .unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists(), "a save in progress elsewhere is left alone");
        assert!(other.exists(), "only whosaid's own temporary files");
    }

    #[test]
    fn sidecar_path_appends_suffix() {
        assert_eq!(
            path_for(Path::new("a/draft.md")),
            PathBuf::from("a/draft.md.sources.ron")
        );
    }
}
