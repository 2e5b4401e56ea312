//! `whosaid config [PATH]`: the settings a draft gets, and every file they came from.

use std::path::Path;
use std::process::ExitCode;

use std::fmt::Write;

use anyhow::Result;

use super::drafts::resolve;
use crate::config;
use crate::sanitize::{for_terminal, for_terminal_lines};

/// Prints the effective config for `path` (a draft or a folder; this folder by default).
pub fn run(explicit: Option<&Path>, path: Option<&Path>) -> Result<ExitCode> {
    let draft = path.unwrap_or(Path::new("."));
    let resolved = resolve(explicit, draft)?;
    let mut out = String::new();
    let shown = |p: &Path| for_terminal(&p.display().to_string()).into_owned();
    if let Some(user) = config::user_path()
        && !resolved.from.iter().any(|o| o.path == user)
    {
        let _ = writeln!(out, "// user config: {} (not found)", shown(&user));
    }
    if let Some(chosen) = config::chosen_path(explicit, &config::folder_of(draft))
        && !resolved.from.iter().any(|o| o.path == chosen.path)
    {
        let _ = writeln!(
            out,
            "// config file: {} ({}; not found)",
            shown(&chosen.path),
            chosen.role
        );
    }
    for o in &resolved.from {
        let _ = writeln!(out, "// config file: {} ({})", shown(&o.path), o.role);
    }
    if resolved.from.is_empty() {
        let _ = writeln!(out, "// no config file found; using defaults");
    }
    out.push_str(&for_terminal_lines(&resolved.config.to_ron()));
    out.push('\n');
    // Written in one go, so a reader that stops early (`| head -1`) ends it quietly.
    super::print_bytes(out.as_bytes())
}
