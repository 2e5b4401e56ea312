//! `whosaid recover DRAFT`: unsaved work that could not be put back when the draft was opened
//! (the sidecar had changed since, or the recovery file was unreadable) is kept beside the
//! draft's recovery file as `….recovery.ron.kept-N`. This lists those files, merges one into the
//! sidecar through the same merge as a save, or discards one. A kept file is removed only when
//! it is applied or discarded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::sanitize::for_terminal;
use crate::sidecar::{self, OnDisk, SidecarFile, merge, recovery};

/// What to do with the kept files.
pub enum Recover {
    List,
    Apply(u32),
    Discard(u32),
}

/// The kept recovery files of a draft, by number, oldest number first.
pub fn kept_files(draft: &Path) -> Vec<(u32, PathBuf)> {
    let Some(live) = recovery::path_for(draft) else {
        return Vec::new();
    };
    let (Some(dir), Some(name)) = (live.parent(), live.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}.kept-", name.to_string_lossy());
    let mut out: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e
                .file_name()
                .to_string_lossy()
                .strip_prefix(&prefix)?
                .parse()
                .ok()?;
            Some((n, e.path()))
        })
        .collect();
    out.sort();
    out
}

pub fn run(draft: &Path, what: Recover) -> Result<ExitCode> {
    anyhow::ensure!(draft.is_file(), "{} is not a draft file", draft.display());
    let kept = kept_files(draft);
    let find = |n: u32| -> Result<PathBuf> {
        kept.iter()
            .find(|(k, _)| *k == n)
            .map(|(_, p)| p.clone())
            .with_context(|| {
                format!(
                    "{} has no kept recovery file {n}; `whosaid recover {}` lists them",
                    draft.display(),
                    draft.display()
                )
            })
    };
    match what {
        Recover::List => {
            let mut out = String::new();
            if kept.is_empty() {
                let _ = writeln!(out, "no kept recovery files for {}", draft.display());
            }
            for (n, path) in &kept {
                let about = match recovery::read(path) {
                    Ok(Some(file)) => format!(
                        "written {}, {} annotation(s)",
                        file.written,
                        file.sidecar.annotations.len()
                    ),
                    Ok(None) => "gone".to_owned(),
                    Err(e) => format!("unreadable: {e}"),
                };
                let _ = writeln!(out, "{n}  {}  {about}", path.display());
            }
            if !kept.is_empty() {
                let _ = writeln!(
                    out,
                    "apply one with `whosaid recover --apply N {0}`, or discard it with `whosaid recover --discard N {0}`",
                    draft.display()
                );
            }
            super::print_bytes(crate::sanitize::for_terminal_lines(&out).as_bytes())
        }
        Recover::Discard(n) => {
            let path = find(n)?;
            recovery::remove(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            eprintln!(
                "whosaid: discarded {}",
                for_terminal(&path.display().to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        Recover::Apply(n) => apply(draft, &find(n)?),
    }
}

/// Merges a kept recovery file into the draft's sidecar. Nothing of the sidecar is assumed to be
/// the recovered work's base, so every difference is merged as two editors' changes: a note both
/// changed keeps both versions, marked, and `check` fails until an editor has read them.
fn apply(draft: &Path, kept: &Path) -> Result<ExitCode> {
    let recovered = recovery::read(kept)
        .map_err(anyhow::Error::msg)?
        .with_context(|| format!("{} is gone", kept.display()))?;
    let side = sidecar::path_for(draft);
    // A sidecar that cannot be read is never written over.
    let (current, on_disk) = sidecar::load(&side)?;
    let merged = if on_disk == OnDisk::Missing {
        merge::Merged {
            file: recovered.sidecar,
            conflicts: Vec::new(),
        }
    } else {
        merge::merge(&SidecarFile::empty(), &recovered.sidecar, &current)
    };
    sidecar::save(&side, &merged.file, &on_disk)?;
    recovery::remove(kept).with_context(|| format!("cannot remove {}", kept.display()))?;
    for conflict in &merged.conflicts {
        eprintln!("whosaid: conflict: {}", for_terminal(conflict));
    }
    eprintln!(
        "whosaid: merged {} into {}",
        for_terminal(&kept.display().to_string()),
        for_terminal(&side.display().to_string())
    );
    Ok(if merged.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
