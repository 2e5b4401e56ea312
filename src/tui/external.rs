//! Writing a note in the editor's own editor ($VISUAL, then $EDITOR, then vi).

use std::io::Write;
use std::process::Command;

/// The editor command a user has asked for.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Opens `text` in `editor` and returns what was saved. The command goes through the shell, so
/// `code --wait` or `emacsclient -t` work as they do for git.
pub fn edit(editor: &str, text: &str) -> std::io::Result<String> {
    let mut file = tempfile::Builder::new()
        .prefix("whosaid-note-")
        .suffix(".md")
        .tempfile()?;
    file.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    file.flush()?;
    let path = file.path().to_owned();
    let status = shell(editor).arg(&path).status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!(
            "{editor} exited with {status}; the note is unchanged"
        )));
    }
    let edited = std::fs::read_to_string(&path)?;
    Ok(edited.trim_end().to_owned())
}

#[cfg(unix)]
fn shell(editor: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("whosaid-editor");
    c
}

#[cfg(not(unix))]
fn shell(editor: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(editor);
    c
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_edited_text_comes_back_and_a_failing_editor_changes_nothing() {
        let out = edit("sed -i -e 's/desk/standards desk/'", "Called the desk.").unwrap();
        assert_eq!(out, "Called the standards desk.");
        let err = edit("false", "kept").unwrap_err();
        assert!(err.to_string().contains("the note is unchanged"), "{err}");
    }
}
