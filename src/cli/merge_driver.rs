//! `whosaid merge-driver BASE OURS THEIRS`: the sidecar merge, as a git merge driver.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::sanitize::for_terminal;
use crate::sidecar;

/// Merges THEIRS into OURS by annotation id, writing OURS atomically.
pub fn run(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode> {
    let read = |path: &Path| -> Result<sidecar::SidecarFile> {
        let bytes = sidecar::read(path)?
            .ok_or_else(|| anyhow::anyhow!("cannot read {}: no such file", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
        // git passes an empty file as the ancestor of a sidecar added on both branches.
        if text.trim().is_empty() {
            return Ok(sidecar::SidecarFile::empty());
        }
        Ok(sidecar::parse(path, &text)?)
    };
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    let merged = crate::sidecar::merge::merge(&b, &o, &t);
    let text = sidecar::to_text(&merged.file);
    // A merge no later command could read is refused, so git reports a conflict and OURS stays.
    anyhow::ensure!(
        text.len() as u64 <= sidecar::MAX_BYTES,
        "the merged sidecar would be larger than {}, more than whosaid reads; {} was left as it was",
        crate::files::size_label(sidecar::MAX_BYTES),
        ours.display()
    );
    sidecar::write_atomically(ours, text.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", ours.display()))?;
    for conflict in &merged.conflicts {
        eprintln!("whosaid: conflict: {}", for_terminal(conflict));
    }
    Ok(if merged.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
