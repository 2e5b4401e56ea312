//! What `scan` and `check` read: files as given, folders searched for drafts (respecting
//! `.gitignore` and hidden files, as git and ripgrep do), and `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::sidecar;

/// File endings read as drafts when a folder is searched.
pub const DRAFT_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mdx", "txt", "text"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// Standard input, with the name it is reported under (and whose sidecar is merged).
    Stdin {
        name: PathBuf,
        bytes: Vec<u8>,
    },
}

impl Input {
    /// The name output uses: the path as given, or the stdin name.
    pub fn name(&self) -> &Path {
        match self {
            Input::File(p) => p,
            Input::Stdin { name, .. } => name,
        }
    }
}

#[derive(Debug, Default)]
pub struct Inputs {
    pub drafts: Vec<Input>,
    /// Sidecars found in searched folders with no draft beside them: the draft was renamed or
    /// deleted, and its notes are stranded.
    pub stranded: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read standard input: {0}")]
    Stdin(std::io::Error),
    #[error("`-` (standard input) can be given only once")]
    StdinTwice,
    #[error("cannot search {path}: {message}")]
    Walk { path: PathBuf, message: String },
}

fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DRAFT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expands the command line's paths, keeping their order; a folder's drafts come sorted.
pub fn expand(
    args: &[PathBuf],
    stdin_name: Option<&Path>,
    mut stdin: impl Read,
) -> Result<Inputs, InputError> {
    use rayon::prelude::*;
    // Whether each path is a folder, asked of the file system in parallel: an archive given as
    // ten thousand paths is ten thousand `stat` calls.
    let folders: Vec<bool> = args
        .par_iter()
        .map(|arg| arg.as_os_str() != "-" && arg.is_dir())
        .collect();
    let mut out = Inputs::default();
    let mut read_stdin = false;
    for (arg, &is_dir) in args.iter().zip(&folders) {
        if arg.as_os_str() == "-" {
            if read_stdin {
                return Err(InputError::StdinTwice);
            }
            read_stdin = true;
            let mut bytes = Vec::new();
            stdin.read_to_end(&mut bytes).map_err(InputError::Stdin)?;
            let name = stdin_name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_owned);
            out.drafts.push(Input::Stdin { name, bytes });
        } else if is_dir {
            let (drafts, stranded) = search(arg)?;
            out.drafts.extend(drafts.into_iter().map(Input::File));
            out.stranded.extend(stranded);
        } else {
            out.drafts.push(Input::File(arg.clone()));
        }
    }
    Ok(out)
}

fn search(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), InputError> {
    let mut drafts = Vec::new();
    let mut stranded = Vec::new();
    // .gitignore applies even outside a git checkout: an editor's folder of drafts may not be one.
    for entry in ignore::WalkBuilder::new(dir).require_git(false).build() {
        let entry = entry.map_err(|e| InputError::Walk {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let name = path.to_string_lossy();
        if let Some(article) = name.strip_suffix(sidecar::SUFFIX) {
            if !Path::new(article).exists() {
                stranded.push(path);
            }
        } else if is_draft(&path) {
            drafts.push(path);
        }
    }
    sort_paths(&mut drafts);
    sort_paths(&mut stranded);
    Ok((drafts, stranded))
}

/// Sorts paths in the order `Path`'s own comparison gives, component by component, without
/// parsing components at every comparison: that was a third of finding an archive's ten
/// thousand drafts. Each path's bytes, with every separator made a NUL (which no path holds),
/// compare as plain bytes in that order when the paths share the searched folder's spelling, as
/// a walk's do.
fn sort_paths(paths: &mut [PathBuf]) {
    paths.sort_by_cached_key(|p| {
        let mut key = p.as_os_str().as_encoded_bytes().to_vec();
        for b in &mut key {
            if b.is_ascii() && std::path::is_separator(char::from(*b)) {
                *b = 0;
            }
        }
        key
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_searched_respecting_gitignore_and_stdin_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::create_dir_all(d.join("build")).unwrap();
        for f in [
            "b.md",
            "a.txt",
            "sub/c.markdown",
            "notes.pdf",
            "build/out.md",
            ".hidden.md",
            "gone.md.sources.ron",
            "a.txt.sources.ron",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        std::fs::write(d.join(".gitignore"), "build/\n").unwrap();
        let inputs = expand(
            &[d.to_owned(), PathBuf::from("-")],
            Some(Path::new("story.md")),
            &b"Sources said so."[..],
        )
        .unwrap();
        let names: Vec<String> = inputs
            .drafts
            .iter()
            .map(|i| {
                i.name()
                    .strip_prefix(d)
                    .unwrap_or(i.name())
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.txt", "b.md", "sub/c.markdown", "story.md"]);
        assert_eq!(inputs.stranded, [d.join("gone.md.sources.ron")]);
        assert!(matches!(
            expand(&[PathBuf::from("-"), PathBuf::from("-")], None, &b""[..]),
            Err(InputError::StdinTwice)
        ));
    }

    proptest::proptest! {
        /// Paths under one folder sort as `Path` compares them, names with marks that sort
        /// below the separator ("a-b", "a.b", "a b" beside "a/b") included.
        #[test]
        fn paths_sort_as_path_compares_them(
            // A walk never yields "." or "..": every name here ends in a letter.
            names in proptest::collection::vec("[ab.\\- ]{0,2}[ab](/[ab.\\- ]{0,2}[ab]){0,2}", 0..40),
        ) {
            let mut ours: Vec<PathBuf> = names.iter().map(|n| Path::new("./drafts/").join(n)).collect();
            let mut std = ours.clone();
            sort_paths(&mut ours);
            std.sort();
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
