//! `whosaid init`: sets a stories repository up for whosaid in one step — the merge driver
//! (`.gitattributes` and the repository's git config), the lines `.gitignore` needs, and a
//! commented `.whosaid.ron` for the newsroom's settings. Run again, it changes nothing: a line
//! already there is not added twice, and an existing file is never overwritten.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

const ATTRIBUTES: &str = "*.sources.ron merge=whosaid";
const IGNORED: [&str; 2] = [".*.sources.lock", ".whosaid-*.tmp"];
const DRIVER_NAME: &str = "whosaid sidecar merge";
const DRIVER: &str = "whosaid merge-driver %O %A %B";

/// The newsroom config written by `init`: every setting, commented out, with what it does.
pub const CONFIG_TEMPLATE: &str = r#"// whosaid's settings for every draft in this folder and below (docs in the README, "Configuration").
// Uncomment what the newsroom wants; `whosaid config` shows what is in effect and where it came from.
(
    // Name recorded on annotations made here (else the user's own config, else $USER).
    // author: "Standards desk",

    // The newsroom's reliability scale, most reliable first (keys 1-9).
    // scale: ["confirmed", "probable", "doubtful"],

    // What needs action before publication beyond untagged, moved, conflicting and orphaned sources
    // (default on the built-in scale: unverified and disputed).
    // fail_on: ["doubtful", "high-severity", "unexplained-dismissal"],

    // The newsroom's page on anonymous sourcing: SARIF links each rule to it ({rule}: the rule's id).
    // standards_uri: "https://standards.example.org/anonymous-sources#{rule}",

    // The newsroom's standards checklist, as (key, question) pairs.
    // checklist: [
    //     ("identity-known", "An editor knows who the source is"),
    //     ("reason-stated", "The story says why the source was granted anonymity"),
    // ],

    // Extra phrases to flag, and phrases never to flag.
    // flag: ["a little bird"],
    // never_flag: ["official figures"],

    // Also flag hedges that name no source ("reportedly").
    // hedges: true,
)
"#;

/// Adds each of `lines` to the file at `path` unless a line of the file already says it.
fn append_missing(path: &Path, lines: &[&str], log: &mut String) -> Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !existing.lines().any(|e| e.trim() == *l))
        .collect();
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if missing.is_empty() {
        let _ = writeln!(log, "{name}: already set up");
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for l in &missing {
        text.push_str(l);
        text.push('\n');
    }
    crate::sidecar::write_atomically(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let _ = writeln!(log, "{name}: added {}", missing.join(", "));
    Ok(())
}

/// Sets `key` in the repository's git config unless it already has that value.
fn git_config(dir: &Path, key: &str, value: &str, log: &mut String) -> Result<()> {
    let current = std::process::Command::new("git")
        .args(["config", "--local", "--get", key])
        .current_dir(dir)
        .output()
        .context("cannot run git")?;
    if current.status.success() && String::from_utf8_lossy(&current.stdout).trim() == value {
        let _ = writeln!(log, "git config {key}: already set");
        return Ok(());
    }
    let set = std::process::Command::new("git")
        .args(["config", "--local", key, value])
        .current_dir(dir)
        .output()
        .context("cannot run git")?;
    anyhow::ensure!(
        set.status.success(),
        "git config {key} failed: {}",
        String::from_utf8_lossy(&set.stderr).trim()
    );
    let _ = writeln!(log, "git config {key}: set");
    Ok(())
}

pub fn run(dir: &Path) -> Result<ExitCode> {
    anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
    let top = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .output()
        .context("cannot run git; whosaid init sets up a git repository")?;
    anyhow::ensure!(
        top.status.success(),
        "{} is not in a git repository; run `git init` first",
        dir.display()
    );
    let top = std::path::PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let mut log = String::new();
    append_missing(&top.join(".gitattributes"), &[ATTRIBUTES], &mut log)?;
    append_missing(&top.join(".gitignore"), &IGNORED, &mut log)?;
    git_config(&top, "merge.whosaid.name", DRIVER_NAME, &mut log)?;
    git_config(&top, "merge.whosaid.driver", DRIVER, &mut log)?;
    let config = dir.join(crate::config::PROJECT_FILE);
    if config.exists() {
        let _ = writeln!(
            log,
            "{}: already there, left as it is",
            crate::config::PROJECT_FILE
        );
    } else {
        crate::sidecar::write_atomically(&config, CONFIG_TEMPLATE.as_bytes())
            .with_context(|| format!("cannot write {}", config.display()))?;
        let _ = writeln!(
            log,
            "{}: written, every setting commented out",
            crate::config::PROJECT_FILE
        );
    }
    super::print_bytes(crate::sanitize::for_terminal_lines(&log).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template is a valid config as written, with every setting commented out.
    #[test]
    fn the_config_template_parses_to_the_defaults() {
        assert_eq!(
            crate::config::Config::parse(CONFIG_TEMPLATE).unwrap(),
            crate::config::Config::default()
        );
        // Uncommented, every setting it shows is one the config takes.
        // A commented setting is `// key: …` or a line of a list inside one; prose is the rest.
        let setting = regex::Regex::new(r"^    // ([a-z_]+: |    \(|\],?$)").unwrap();
        let uncommented: String = CONFIG_TEMPLATE
            .lines()
            .map(|l| {
                if setting.is_match(l) {
                    format!("    {}\n", &l[7..])
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        assert!(
            uncommented.contains("\n    fail_on: [\"doubtful\""),
            "{uncommented}"
        );
        crate::config::Config::parse(&uncommented).unwrap();
    }
}
