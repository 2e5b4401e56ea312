//! `whosaid man`: the manual pages, from the same clap definition as `--help`, with the sections
//! a man page is expected to have that clap does not know: EXIT STATUS, ENVIRONMENT, FILES and
//! EXAMPLES. `--dir` writes one page per subcommand (`whosaid-scan.1`, …), which the main page's
//! list of subcommands refers to.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// What a page's extra sections say, per command.
pub(super) struct Extra {
    pub(super) exit: &'static [(&'static str, &'static str)],
    pub(super) examples: &'static [(&'static str, &'static str)],
}

const ERROR: (&str, &str) = (
    "2",
    "an error: an unreadable draft, a sidecar that fails to parse or is too new, a broken config; one sentence per problem on stderr",
);

/// The sections per subcommand; [`REVIEW`] for the main page (the review screen).
const EXTRAS: &[(&str, Extra)] = &[
    (
        "scan",
        Extra {
            exit: &[("0", "every file was scanned"), ERROR],
            examples: &[
                (
                    "whosaid scan draft.md",
                    "every anonymous source, one a line",
                ),
                (
                    "whosaid scan --format json stories/ > sources.json",
                    "every draft below a folder, as JSON",
                ),
                (
                    "whosaid scan --format github stories/",
                    "annotations for a GitHub Actions step",
                ),
                (
                    "whosaid scan --format sarif stories/ > whosaid.sarif",
                    "for code scanning",
                ),
            ],
        },
    ),
    (
        "check",
        Extra {
            exit: &[
                ("0", "no source needs action"),
                ("1", "a source needs action (listed on stdout)"),
                ERROR,
            ],
            examples: &[
                (
                    "whosaid check stories/",
                    "fail while a source is untagged, unverified or disputed",
                ),
                (
                    "whosaid check --fail-on '' stories/",
                    "fail only on untagged sources and the structural cases",
                ),
            ],
        },
    ),
    (
        "report",
        Extra {
            exit: &[("0", "the report was written"), ERROR],
            examples: &[
                (
                    "whosaid report draft.md > sourcing.md",
                    "a Markdown report for the standards desk",
                ),
                (
                    "whosaid report --format html --redact draft.md > sourcing.html",
                    "without notes, for outside readers",
                ),
            ],
        },
    ),
    (
        "merge-driver",
        Extra {
            exit: &[
                ("0", "merged cleanly"),
                ("1", "a note kept both versions (listed on stderr)"),
                (
                    "2",
                    "a version cannot be read, or the merge would be too large; OURS is left as it was",
                ),
            ],
            examples: &[("whosaid init", "sets the driver up for a repository")],
        },
    ),
    (
        "init",
        Extra {
            exit: &[
                ("0", "the repository is set up"),
                ("2", "not a git repository, or a file cannot be written"),
            ],
            examples: &[("cd stories && whosaid init", "set up once per repository")],
        },
    ),
    (
        "recover",
        Extra {
            exit: &[
                ("0", "done"),
                (
                    "1",
                    "an applied file and the sidecar both changed a note; both versions are kept, marked",
                ),
                (
                    "2",
                    "an error; the sidecar is never written when it cannot be read",
                ),
            ],
            examples: &[
                (
                    "whosaid recover draft.md",
                    "list the unsaved work kept aside",
                ),
                (
                    "whosaid recover --apply 1 draft.md",
                    "merge kept file 1 into the sidecar",
                ),
            ],
        },
    ),
    (
        "config",
        Extra {
            exit: &[
                ("0", "the settings were printed"),
                ("2", "a config is broken (the file and line are named)"),
            ],
            examples: &[(
                "whosaid config draft.md",
                "the settings a draft gets, and where each came from",
            )],
        },
    ),
    (
        "completions",
        Extra {
            exit: &[("0", "the script was printed"), ("2", "an unknown shell")],
            examples: &[(
                "whosaid completions bash > ~/.local/share/bash-completion/completions/whosaid",
                "completion for bash",
            )],
        },
    ),
    (
        "lsp",
        Extra {
            exit: &[
                ("0", "the client said shutdown, then exit"),
                ("1", "the client left without shutdown"),
            ],
            examples: &[(
                "whosaid lsp",
                "started by an editor; docs/editors.md sets up helix, neovim, vim, Emacs and VS Code",
            )],
        },
    ),
    (
        "man",
        Extra {
            exit: &[
                ("0", "the page was printed or the pages written"),
                ("2", "a page cannot be written"),
            ],
            examples: &[(
                "whosaid man --dir /usr/local/share/man/man1",
                "install every page",
            )],
        },
    ),
];

/// The main page's sections: the review screen.
const REVIEW: Extra = Extra {
    exit: &[
        ("0", "the review screen was closed normally"),
        (
            "2",
            "a draft cannot be opened, the config is broken, or there is no terminal",
        ),
    ],
    examples: &[
        ("whosaid draft.md", "review a draft"),
        ("whosaid +120 draft.md", "open at line 120"),
        (
            "whosaid a.md b.md",
            "several drafts; > and < move between them",
        ),
        (
            "whosaid --read-only draft.md",
            "look without changing anything",
        ),
    ],
};

pub(super) fn extra(name: &str) -> &'static Extra {
    EXTRAS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&REVIEW, |(_, e)| e)
}

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "WHOSAID_CONFIG",
        "a config file used instead of the .whosaid.ron found by walking up from each draft; it must exist",
    ),
    (
        "WHOSAID_DATA_DIR",
        "where recovery files are kept (default: the platform's data folder, e.g. ~/.local/share/whosaid/recovery)",
    ),
    (
        "NO_COLOR",
        "when set, no colour: the review screen uses bold, underline and reverse only",
    ),
    ("VISUAL, EDITOR", "the editor E opens a note in"),
    (
        "USER",
        "the name recorded on annotations when neither --author nor the config gives one",
    ),
    (
        "GITHUB_STEP_SUMMARY",
        "scan --format github appends the full list of sources needing action here",
    ),
    ("CI", "when set, no progress bar"),
];

const FILES: &[(&str, &str)] = &[
    (
        "DRAFT.sources.ron",
        "the sidecar beside each draft: the editors' judgements, in RON",
    ),
    (
        ".DRAFT.sources.lock",
        "beside an open draft: which session has it",
    ),
    (
        ".whosaid.ron",
        "a newsroom's config, found by walking up from each draft",
    ),
    (
        "~/.config/whosaid/config.ron",
        "the user's own config (the platform's config folder)",
    ),
    (
        "~/.local/share/whosaid/recovery/",
        "unsaved work between saves, and work kept aside (….kept-N)",
    ),
];

/// Roff text: backslashes escaped, a line starting with a control character neutralised.
fn roff(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}

fn section(out: &mut Vec<u8>, title: &str, items: &[(&str, &str)], bold: bool) {
    use std::io::Write;
    let _ = writeln!(out, ".SH \"{title}\"");
    for (term, text) in items {
        let term = if bold {
            format!("\\fB{}\\fR", roff(term))
        } else {
            roff(term)
        };
        let _ = writeln!(out, ".TP\n{term}\n{}", roff(text));
    }
}

/// One page: clap's sections, then exit status, environment, files and examples.
fn page(cmd: clap::Command, short: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .context("cannot render the man page")?;
    let extra = extra(short);
    section(&mut out, "EXIT STATUS", extra.exit, true);
    section(&mut out, "ENVIRONMENT", ENVIRONMENT, true);
    section(&mut out, "FILES", FILES, false);
    section(&mut out, "EXAMPLES", extra.examples, true);
    Ok(out)
}

/// The command line with each subcommand's examples at the end of its `--help` (the man pages
/// have them in their own section).
pub fn with_examples(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        let examples = extra(&name).examples;
        cmd.mut_subcommand(&name, |sub| {
            let mut text = sub
                .get_after_help()
                .map(|h| format!("{h}\n\n"))
                .unwrap_or_default();
            text.push_str("Examples:");
            for (command, what) in examples {
                text.push_str(&format!("\n  {command}\n      {what}"));
            }
            sub.after_help(text)
        })
    })
}

/// Every page: `whosaid` and one per subcommand, named as the main page refers to them.
pub fn pages(cmd: clap::Command) -> Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut out = vec![("whosaid.1".to_owned(), page(cmd.clone(), "")?)];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let file = format!("whosaid-{}.1", sub.get_name());
        out.push((file, page(sub.clone(), sub.get_name())?));
    }
    Ok(out)
}

pub fn run(cmd: clap::Command, dir: Option<&Path>) -> Result<ExitCode> {
    let pages = pages(cmd)?;
    let Some(dir) = dir else {
        return super::print_bytes(&pages[0].1);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, bytes) in &pages {
        let path = dir.join(name);
        crate::sidecar::write_atomically(&path, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!("whosaid: wrote {} pages to {}", pages.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}
