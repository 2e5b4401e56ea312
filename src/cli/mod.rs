//! The command line: `whosaid [OPTIONS] <FILE>` opens the review screen; `scan` and `config` run
//! the same core without it. This is the program's edge, where errors become one sentence on
//! stderr and an exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::config;
use crate::sanitize::for_terminal;
use crate::tui;

pub mod check;
pub mod drafts;
pub mod export;
pub mod init;
pub mod inputs;
pub mod man;
pub mod merge_driver;
pub mod recover;
pub mod report;
pub mod scan;
pub mod show_config;

use drafts::{expand, keymap_for, resolve};
use report::ReportFormat;
use scan::Format;

#[derive(Debug, Parser)]
#[command(
    name = "whosaid",
    version,
    about = "Find and judge anonymous-source attributions in a news draft",
    long_about = "Find and judge anonymous-source attributions in a news draft.\n\n\
        `whosaid draft.md` opens the draft with every anonymous source highlighted; judgements are \
        saved beside it in draft.md.sources.ron. Subcommand names win over file names: to open a \
        file called `scan`, write `whosaid ./scan`.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// The drafts to review (UTF-8 text or Markdown); with several, `>` and `<` move between them
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Name recorded on your annotations (default: config `author`, then $USER)
    #[arg(long, value_name = "NAME")]
    author: Option<String>,

    /// Look at the draft and its judgements without changing or saving anything
    #[arg(long)]
    read_only: bool,

    /// Use this config over your own, instead of WHOSAID_CONFIG or a .whosaid.ron found by
    /// walking up from each draft
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Open with line N at the top (also written `+N`, as in vi: `whosaid +120 draft.md`)
    #[arg(long, value_name = "N")]
    line: Option<usize>,
}

/// Rewrites vi's `+N` before the file into `--line N`.
fn line_shorthand(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    args.into_iter()
        .flat_map(|a| {
            let n = a
                .to_str()
                .and_then(|s| s.strip_prefix('+'))
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_owned);
            match n {
                Some(n) => vec!["--line".into(), n.into()],
                None => vec![a],
            }
        })
        .collect()
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Detect anonymous sources without the UI, merged with each file's sidecar
    #[command(
        after_help = "Exit status: 0 when every file was scanned; 2 on any error (an unreadable draft, \
        a sidecar that fails to parse or is too new, a broken config), with one sentence per problem on stderr."
    )]
    Scan {
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Line)]
        format: Format,
        /// Also list every other attribution, classed named, institutional, outlet or document
        /// (line and json formats only; never judged, never counted by check)
        #[arg(long)]
        all: bool,
        /// What the line format's column counts: characters, or bytes (for vim's errorformat %c)
        #[arg(long, value_enum, default_value_t = scan::Columns::Chars)]
        columns: scan::Columns,
        /// The name standard input (`-`) is reported under; its sidecar is merged
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<PathBuf>,
        /// Drafts; folders (searched for .md, .markdown and .txt files, respecting .gitignore);
        /// or - for standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Fail when sources need action before publication: a pre-publication gate for CI
    #[command(
        after_help = "What needs action: a source nobody has judged (untagged); a note the text moved \
        and nobody confirmed; a merge conflict; a note whose text left the draft; a status that is not \
        a level of the scale in force; and what the newsroom's policy fails — by default `unverified` \
        and `disputed` on the built-in scale, none of a newsroom's own levels unless its config's \
        `fail_on` names them. `--fail-on` replaces the config's list and the default for this run. \
        Verified, corroborated, single-source and dismissed sources pass.\n\n\
        Exit status: 0 when nothing needs action; 1 when something does (listed on stdout in scan's \
        line format, orphaned notes as `path: orphaned: ...`, the rest as `path:line:column: moved: \
        ...`, `conflict: ...`, `out of scale: ...`); 2 on any error, which wins over 1."
    )]
    Check {
        /// What fails beyond untagged and the structural cases, comma-separated, instead of the
        /// config's `fail_on` and the default (unverified,disputed): statuses, high-severity,
        /// medium-severity, low-severity, or unexplained-dismissal (dismissed with no note saying
        /// why); an empty list fails nothing more
        #[arg(long, value_name = "LIST", value_parser = FailOnNames, hide_possible_values = true)]
        fail_on: Option<String>,
        /// Exit 0 even when something fails (errors still exit 2)
        #[arg(long)]
        no_exit: bool,
        /// The name standard input (`-`) is reported under; its sidecar is merged
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<PathBuf>,
        /// Drafts; folders (searched for .md, .markdown and .txt files, respecting .gitignore);
        /// or - for standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write a sourcing report for the standards desk: on one draft, or rolled up over many
    #[command(
        after_help = "One draft gives its full report. Several drafts, or a folder (searched for .md, \
        .markdown and .txt files, respecting .gitignore), give a roll-up: a table of the drafts — \
        sources, how many need action, disputed, untagged, signed off — with totals; in JSON, every \
        draft's full report under `drafts`, and `totals`. csv and w3c export one draft at a time.\n\n\
        Exit status: 0, or 2 with one sentence on stderr (an unreadable draft, a sidecar that fails to \
        parse or is too new, a broken config)."
    )]
    Report {
        /// Report format
        #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
        format: ReportFormat,
        /// Leave out the editors' notes and names (for a report that leaves the building)
        #[arg(long)]
        redact: bool,
        /// The drafts or folders to report on
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Serve the detector and the sidecar to an editor: a language server on standard input and
    /// output
    #[command(
        after_help = "Diagnostics on every anonymous source of each open Markdown or text buffer \
        (unsaved text included), hover with the judgement, code actions that set a reliability level, \
        dismiss or apply to every mention (saved to the sidecar, merged with any change on disk), and \
        the sources as document symbols. Set-up per editor: docs/editors.md."
    )]
    Lsp,
    /// Merge two versions of a sidecar by annotation id: a git merge driver for *.sources.ron
    #[command(
        after_help = "Set up once per repository with `whosaid init`, or by hand:\n  \
        echo '*.sources.ron merge=whosaid' >> .gitattributes\n  \
        git config merge.whosaid.name 'whosaid sidecar merge'\n  \
        git config merge.whosaid.driver 'whosaid merge-driver %O %A %B'\n\n\
        The merge is written to OURS. Exit status: 0 when it merged cleanly; 1 when a note kept both \
        versions (listed on stderr; `whosaid check` fails until an editor resolves it); 2 when a \
        version cannot be read (OURS is left as it was)."
    )]
    MergeDriver {
        /// The common ancestor (git's %O); an empty file when there is none
        #[arg(value_name = "BASE")]
        base: PathBuf,
        /// This branch's version (git's %A); the result is written here
        #[arg(value_name = "OURS")]
        ours: PathBuf,
        /// The other branch's version (git's %B)
        #[arg(value_name = "THEIRS")]
        theirs: PathBuf,
    },
    /// Set a stories repository up for whosaid: the sidecar merge driver, .gitignore lines and a
    /// commented .whosaid.ron; run again, it changes nothing
    #[command(
        after_help = "Writes, in the git repository's top folder: `*.sources.ron merge=whosaid` in \
        .gitattributes, the lock and temporary files in .gitignore (each line only if missing), and \
        merge.whosaid.name / merge.whosaid.driver in the repository's git config; in FOLDER, a \
        .whosaid.ron with every setting commented out, unless one is there. Never overwrites a file.\n\n\
        Example:\n  cd stories && whosaid init"
    )]
    Init {
        /// The folder whose drafts get the .whosaid.ron (default: this one)
        #[arg(value_name = "FOLDER", default_value = ".")]
        folder: PathBuf,
    },
    /// List, apply or discard unsaved work that was kept aside when a draft was opened
    #[command(
        after_help = "Unsaved work is kept aside as a numbered file (….recovery.ron.kept-N, in \
        whosaid's data folder) when it could not be put back: the sidecar had changed since, or the \
        recovery file could not be read. A kept file is removed only when applied or discarded.\n\n\
        Exit status: 0 when done; 1 when an applied file and the sidecar both changed a note (both \
        versions are kept, marked, and `whosaid check` fails until an editor resolves it); 2 on any \
        error (the sidecar is never written when it cannot be read)."
    )]
    Recover {
        /// Merge kept file N into the draft's sidecar, then remove it
        #[arg(long, value_name = "N", conflicts_with = "discard")]
        apply: Option<u32>,
        /// Remove kept file N without applying it
        #[arg(long, value_name = "N")]
        discard: Option<u32>,
        /// The draft whose kept recovery files to list
        #[arg(value_name = "DRAFT")]
        draft: PathBuf,
    },
    /// Print the effective configuration for a draft (or this folder) and every file it came from
    Config {
        /// A draft or folder; the config is the one its drafts get
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// Print a shell completion script (e.g. `whosaid completions bash > ~/.local/share/bash-completion/completions/whosaid`)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page, in roff (e.g. `whosaid man > whosaid.1`), or write every page to a folder
    Man {
        /// Write whosaid.1 and one page per subcommand (whosaid-scan.1, …) into this folder
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },
}

/// Runs the program and turns any error into one line on stderr and exit code 2.
pub fn main() -> ExitCode {
    quiet_panic_hook();
    let parsed = man::with_examples(Cli::command())
        .try_get_matches_from(line_shorthand(std::env::args_os()))
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return argument_error(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` joins the context chain into one sentence; never a Debug dump.
            eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// A panic's message can hold draft text (a slice out of range prints the text), and draft text
/// must never reach the terminal raw; the hook says where the bug is and nothing else. The review
/// screen's own hook restores the terminal first and then calls this one.
fn quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "whosaid: internal error{place}; this is a bug, please report it with the command you ran"
        );
    }));
}

/// `--fail-on`'s value: any list (a newsroom's levels are only known once its config is read,
/// and `check` names an unknown one), offering the built-in names for shell completion.
#[derive(Debug, Clone, Copy)]
struct FailOnNames;

impl clap::builder::TypedValueParser for FailOnNames {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let names = [
            "untagged",
            "verified",
            "corroborated",
            "single-source",
            "unverified",
            "disputed",
            "high-severity",
            "medium-severity",
            "low-severity",
            "unexplained-dismissal",
        ];
        Some(Box::new(
            names.into_iter().map(clap::builder::PossibleValue::new),
        ))
    }
}

/// `whosaid scna draft.md`: a first word that is no file but is close to a subcommand's name was
/// meant as that subcommand.
fn mistyped_subcommand(files: &[PathBuf]) -> Option<String> {
    let first = files.first()?;
    let word = first.to_str()?;
    if first.exists() || word.contains(['/', '.']) {
        return None;
    }
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let best = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(word, n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min()?;
    Some(format!(
        "{} is neither a file nor a subcommand; did you mean `whosaid {}`?",
        crate::sanitize::for_terminal(word),
        best.1
    ))
}

/// clap's message for a bad argument quotes the argument, which may hold escape sequences (a file
/// named `--format=\x1b]0;…` picked up by a glob): it is printed with every line made safe. Help
/// and version go to stdout as they are.
fn argument_error(e: &clap::Error) -> ExitCode {
    let text = e.to_string();
    if e.use_stderr() {
        eprint!("{}", crate::sanitize::for_terminal_lines(&text));
    } else {
        // `--help | head -1` closes the pipe early; that is the reader's choice.
        let _ = print_bytes(text.as_bytes());
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let explicit = cli.config.as_deref();
    match cli.command {
        Some(Command::Scan {
            format,
            all,
            columns,
            stdin_filename,
            files,
        }) => scan::run(
            explicit,
            &expand(&files, stdin_filename.as_deref())?,
            format,
            scan::Options { all, columns },
        ),
        Some(Command::Check {
            fail_on,
            no_exit,
            stdin_filename,
            files,
        }) => check::run(
            explicit,
            &expand(&files, stdin_filename.as_deref())?,
            fail_on.as_deref(),
            no_exit,
        ),
        Some(Command::Report {
            format,
            redact,
            files,
        }) => report::run(explicit, &files, format, redact),
        Some(Command::Lsp) => crate::lsp::run(explicit),
        Some(Command::MergeDriver { base, ours, theirs }) => {
            merge_driver::run(&base, &ours, &theirs)
        }
        Some(Command::Init { folder }) => init::run(&folder),
        Some(Command::Recover {
            apply,
            discard,
            draft,
        }) => recover::run(
            &draft,
            match (apply, discard) {
                (Some(n), _) => recover::Recover::Apply(n),
                (None, Some(n)) => recover::Recover::Discard(n),
                (None, None) => recover::Recover::List,
            },
        ),
        Some(Command::Config { path }) => show_config::run(cli.config.as_deref(), path.as_deref()),
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut man::with_examples(Cli::command()),
                "whosaid",
                &mut script,
            );
            print_bytes(&script)
        }
        Some(Command::Man { dir }) => man::run(Cli::command(), dir.as_deref()),
        None => {
            if let Some(suggestion) = mistyped_subcommand(&cli.files) {
                anyhow::bail!(suggestion);
            }
            // Each draft is scanned with its own folder's config; the screen's own settings
            // (author, keys, theme, scale, checklist) come from the first draft's.
            let drafts = cli
                .files
                .iter()
                .map(|f| Ok((f.clone(), resolve(explicit, f)?)))
                .collect::<Result<Vec<_>>>()?;
            let first = &drafts.first().context("no file given")?.1;
            let options = tui::Options {
                author: config::resolve_author(cli.author.as_deref(), &first.config),
                read_only: cli.read_only,
                line: cli.line,
                keymap: keymap_for(first)?,
                vocabulary: first.vocabulary.clone(),
                theme: first.config.theme,
                footer: first.config.footer,
            };
            tui::open(&drafts, options)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes to stdout; a reader that closes the pipe early (`| head`) is not an error.
/// Writes `value` as pretty JSON straight to standard output, never whole in memory first (a
/// large report's JSON is bigger than its draft), and a closing newline.
pub fn print_json(value: &impl serde::Serialize) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write the report")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

pub fn print_bytes(bytes: &[u8]) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write output")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommands_win_but_paths_open_files() {
        let cli = Cli::try_parse_from(["whosaid", "scan", "a.md"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Scan { .. })));
        let cli = Cli::try_parse_from(["whosaid", "./scan"]).unwrap();
        assert_eq!(cli.files, [Path::new("./scan")]);
        let cli = Cli::try_parse_from(line_shorthand(
            ["whosaid", "+120", "draft.md"].map(std::ffi::OsString::from),
        ))
        .unwrap();
        assert_eq!(cli.line, Some(120));
        assert_eq!(cli.files, [Path::new("draft.md")]);
        let cli = Cli::try_parse_from(["whosaid", "--author", "Ana", "draft.md"]).unwrap();
        assert_eq!(cli.author.as_deref(), Some("Ana"));
        assert!(Cli::try_parse_from(["whosaid"]).is_err());
    }
}
