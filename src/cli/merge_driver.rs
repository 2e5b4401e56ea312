//! `whosaid merge-driver BASE OURS THEIRS`: the sidecar merge, as a git merge driver.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::sanitize::for_terminal;
use crate::sidecar;

/// Merges THEIRS into OURS by annotation id, writing OURS atomically.
pub fn run(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode> {
    let read = |path: &Path| -> Result<sidecar::SidecarFile> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        // git passes an empty file as the ancestor of a sidecar added on both branches.
        if text.trim().is_empty() {
            return Ok(sidecar::SidecarFile::empty());
        }
        Ok(sidecar::parse(path, &text)?)
    };
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    let merged = crate::sidecar::merge::merge(&b, &o, &t);
    sidecar::write_atomically(ours, sidecar::to_text(&merged.file).as_bytes())
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
