//! The command line: `whosaid [OPTIONS] <FILE>` opens the review screen; `scan` and `config` run
//! the same core without it. This is the program's edge, where errors become one sentence on
//! stderr and an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::article::Article;
use crate::config;
use crate::detect::Detector;
use crate::inputs::{Input, Inputs};
use crate::review::Review;
use crate::sanitize::{escape_line, for_terminal};
use crate::{gate, report, scan, sidecar, tui};

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
        /// The name standard input (`-`) is reported under; its sidecar is merged
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<PathBuf>,
        /// Drafts; folders (searched for .md, .markdown and .txt files, respecting .gitignore);
        /// or - for standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Fail when sources are not yet judged: a pre-publication gate for CI
    #[command(
        after_help = "Exit status: 0 when nothing fails; 1 when something fails (listed on stdout in \
        scan's line format, orphaned notes as `path: orphaned: ...`, unconfirmed moved notes and merge conflicts as \
        `path:line:column: moved: ...` / `conflict: ...`); 2 on any error, which wins over 1. \
        By default a source fails while untagged and a note whose text left the draft fails; dismissed \
        sources and every reliability level pass."
    )]
    Check {
        /// Also fail on these, comma-separated: statuses (e.g. unverified,disputed) or
        /// high-severity, medium-severity, low-severity, or unexplained-dismissal (dismissed with
        /// no note saying why)
        #[arg(long, value_name = "LIST", default_value = "")]
        fail_on: String,
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
    /// Write a sourcing report on a draft for the standards desk
    #[command(
        after_help = "Exit status: 0, or 2 with one sentence on stderr (an unreadable draft, a sidecar \
        that fails to parse or is too new, a broken config)."
    )]
    Report {
        /// Report format
        #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
        format: ReportFormat,
        /// Leave the editors' notes out (for a report that leaves the building)
        #[arg(long)]
        redact: bool,
        /// The draft to report on
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Merge two versions of a sidecar by annotation id: a git merge driver for *.sources.ron
    #[command(after_help = "Set up once per repository:\n  \
        echo '*.sources.ron merge=whosaid' >> .gitattributes\n  \
        git config merge.whosaid.name 'whosaid sidecar merge'\n  \
        git config merge.whosaid.driver 'whosaid merge-driver %O %A %B'\n\n\
        The merge is written to OURS. Exit status: 0 when it merged cleanly; 1 when a note kept both \
        versions (listed on stderr; `whosaid check` fails until an editor resolves it); 2 when a \
        version cannot be read (OURS is left as it was).")]
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
    /// Print the man page, in roff (e.g. `whosaid man > whosaid.1`)
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Markdown, to read or paste into a ticket
    Markdown,
    /// One JSON object: path, summary, sources, orphans
    Json,
    /// One self-contained HTML page that prints well
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// path:line:column: severity: status: text [rule]
    Line,
    /// One JSON array of objects
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions annotations (::warning file=...)
    Github,
}

/// Runs the program and turns any error into one line on stderr and exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(line_shorthand(std::env::args_os()));
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` joins the context chain into one sentence; never a Debug dump.
            eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let explicit = cli.config.as_deref();
    match cli.command {
        Some(Command::Scan {
            format,
            stdin_filename,
            files,
        }) => scan_files(
            explicit,
            &expand(&files, stdin_filename.as_deref())?,
            format,
        ),
        Some(Command::Check {
            fail_on,
            no_exit,
            stdin_filename,
            files,
        }) => check_files(
            explicit,
            &expand(&files, stdin_filename.as_deref())?,
            &fail_on,
            no_exit,
        ),
        Some(Command::Report {
            format,
            redact,
            file,
        }) => report_file(explicit, &file, format, redact),
        Some(Command::MergeDriver { base, ours, theirs }) => merge_driver(&base, &ours, &theirs),
        Some(Command::Config { path }) => print_config(cli.config.as_deref(), path.as_deref()),
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "whosaid", &mut script);
            print_bytes(&script)
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .context("cannot render the man page")?;
            print_bytes(&page)
        }
        None => {
            anyhow::ensure!(!cli.files.is_empty(), "no file given");
            // The screen's own settings (author, keys, theme) come from the first draft's config;
            // each draft is scanned with its own.
            let resolved = config::resolve(cli.config.as_deref(), cli.files[0].parent())?;
            let author = config::resolve_author(cli.author.as_deref(), &resolved.config);
            let options = tui::Options {
                author,
                read_only: cli.read_only,
                line: cli.line,
                keymap: keymap_for(&resolved)?,
                vocabulary: vocabulary_for(&resolved)?,
                config: cli.config.clone(),
            };
            tui::open(&cli.files, &resolved.config, options)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The keymap with the config's overrides, or an error naming the config line at fault.
fn keymap_for(resolved: &config::Resolved) -> Result<tui::keymap::Keymap> {
    tui::keymap::Keymap::with_overrides(&resolved.config.keys).map_err(|e| {
        // The topmost file that mentions the word is the one that set it.
        let place = resolved
            .from
            .iter()
            .rev()
            .find_map(|o| config::line_of(&o.path, e.needle()).map(|l| (o, l)))
            .map(|(o, l)| format!("{}:{l}", o.path.display()))
            .or_else(|| resolved.from.last().map(|o| o.path.display().to_string()))
            .unwrap_or_else(|| "the config".to_owned());
        anyhow::anyhow!("config {place}: {e}")
    })
}

/// The checklist and reliability scale a config defines, or an error naming the config file.
fn vocabulary_for(resolved: &config::Resolved) -> Result<crate::judgement::Vocabulary> {
    let blame = |field: &str, e: String| {
        let place = resolved
            .from
            .iter()
            .rev()
            .find_map(|o| {
                std::fs::read_to_string(&o.path)
                    .ok()
                    .filter(|t| t.contains(field))
                    .map(|_| o)
            })
            .or(resolved.from.last())
            .map_or_else(|| "the config".to_owned(), |o| o.path.display().to_string());
        anyhow::anyhow!("config {place}: {e}")
    };
    Ok(crate::judgement::Vocabulary {
        questions: crate::judgement::Questions::new(&resolved.config.checklist)
            .map_err(|e| blame("checklist", e))?,
        scale: crate::judgement::Scale::new(&resolved.config.scale)
            .map_err(|e| blame("scale", e))?,
    })
}

/// Detectors per config, so drafts under one newsroom config share one.
struct Detectors {
    explicit: Option<PathBuf>,
    /// By the config file a folder gets, so folders under one newsroom config share a detector.
    by_config: std::collections::HashMap<Option<PathBuf>, std::sync::Arc<Detector>>,
    /// By folder, so an archive of thousands of drafts walks up for its config once per folder.
    by_folder: std::collections::HashMap<Option<PathBuf>, std::sync::Arc<Detector>>,
}

impl Detectors {
    fn new(explicit: Option<&Path>) -> Self {
        Self {
            explicit: explicit.map(Path::to_owned),
            by_config: Default::default(),
            by_folder: Default::default(),
        }
    }

    /// The detector for a draft, built from the config its folder gets.
    fn for_draft(&mut self, draft: &Path) -> Result<std::sync::Arc<Detector>> {
        let dir = draft.parent().filter(|d| !d.as_os_str().is_empty());
        let folder = dir.map(Path::to_owned);
        if let Some(d) = self.by_folder.get(&folder) {
            return Ok(std::sync::Arc::clone(d));
        }
        let key = config::chosen_path(self.explicit.as_deref(), dir).map(|o| o.path);
        let detector = match self.by_config.get(&key) {
            Some(d) => std::sync::Arc::clone(d),
            None => {
                let resolved = config::resolve(self.explicit.as_deref(), dir)?;
                let d = std::sync::Arc::new(Detector::new(&resolved.config));
                self.by_config.insert(key, std::sync::Arc::clone(&d));
                d
            }
        };
        self.by_folder
            .insert(folder, std::sync::Arc::clone(&detector));
        Ok(detector)
    }
}

/// Loads a draft and its sidecar and merges them with the detector's findings.
fn open_review(
    input: &Input,
    detector: &Detector,
) -> Result<(Review, Option<crate::sidecar::SidecarError>)> {
    let article = match input {
        Input::File(path) => Article::load(path)?,
        Input::Stdin { name, bytes } => Article::from_bytes(name, bytes.clone())?,
    };
    let findings = detector.detect_as(article.text(), article.format());
    Ok(Review::load(article, findings))
}

fn expand(files: &[PathBuf], stdin_name: Option<&Path>) -> Result<Inputs> {
    Ok(crate::inputs::expand(
        files,
        stdin_name,
        std::io::stdin().lock(),
    )?)
}

/// Opens every file's review in parallel across the cores and turns each into `T`, keeping the
/// order given. A broken sidecar is an error: reporting a file's sources as untagged when its
/// judgements could not be read would be a wrong answer.
fn each_review<T: Send>(
    explicit: Option<&Path>,
    inputs: &[Input],
    each: impl Fn(&Path, Review) -> T + Sync,
) -> Result<Vec<Result<T>>> {
    let mut cache = Detectors::new(explicit);
    // A broken config is loud: it stops the whole run rather than failing file by file.
    let detectors = inputs
        .iter()
        .map(|input| cache.for_draft(input.name()))
        .collect::<Result<Vec<_>>>()?;
    let bar = show_progress(inputs.len(), std::io::stderr().is_terminal(), |var| {
        std::env::var_os(var).is_some_and(|v| !v.is_empty())
    })
    .then(|| {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} drafts, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let results = inputs
        .par_iter()
        .zip(detectors.par_iter())
        .map(|(input, detector)| {
            let outcome = (|| {
                let (review, sidecar_error) = open_review(input, detector)?;
                if let Some(e) = sidecar_error {
                    return Err(anyhow::Error::new(e).context("sidecar unreadable"));
                }
                Ok(each(input.name(), review))
            })();
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(results)
}

/// Drafts in a run before a progress bar is worth drawing.
const PROGRESS_FROM: usize = 200;

/// Whether to draw a progress bar on stderr: for a large run, on a terminal, and never under CI
/// or `NO_COLOR` (whose users want plain, stable output).
fn show_progress(files: usize, stderr_is_terminal: bool, set: impl Fn(&str) -> bool) -> bool {
    files >= PROGRESS_FROM && stderr_is_terminal && !set("CI") && !set("NO_COLOR")
}

/// A sidecar found in a searched folder with no draft beside it.
fn stranded_line(sidecar: &Path) -> String {
    format!(
        "{}: no draft beside this sidecar (renamed or deleted?); its notes are stranded",
        escape_line(&sidecar.to_string_lossy())
    )
}

fn scan_files(explicit: Option<&Path>, inputs: &Inputs, format: Format) -> Result<ExitCode> {
    for sidecar in &inputs.stranded {
        eprintln!("whosaid: {}", for_terminal(&stranded_line(sidecar)));
    }
    // The line formats are written file by file on the worker threads, so the one thread that
    // prints only copies bytes; JSON and SARIF are one document, written at the end.
    enum Found {
        Records(Vec<scan::Record>),
        Text(Vec<u8>),
    }
    let outcomes = each_review(explicit, &inputs.drafts, |file, review| {
        let path = file.to_string_lossy();
        let mut found = scan::records(&review, &path);
        if format == Format::Json {
            found.extend(scan::orphan_records(&review, &path));
        }
        let mut text = Vec::new();
        // Writing to memory cannot fail.
        let _ = match format {
            Format::Line => scan::write_lines(&mut text, &found),
            Format::Github => scan::write_github(&mut text, &found),
            Format::Json | Format::Sarif => return Found::Records(found),
        };
        Found::Text(text)
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut records = Vec::new();
    let mut failed = false;
    let mut written = Ok(());
    for outcome in outcomes {
        match outcome {
            Ok(Found::Records(found)) => records.extend(found),
            Ok(Found::Text(text)) => written = written.and_then(|()| out.write_all(&text)),
            Err(err) => {
                eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
                failed = true;
            }
        }
    }
    let written = written.and_then(|()| match format {
        Format::Json => scan::write_json(&mut out, &records),
        Format::Sarif => scan::write_sarif(&mut out, &records),
        Format::Line | Format::Github => Ok(()),
    });
    match written.and_then(|()| out.flush()) {
        Ok(()) => {}
        // A closed pipe (`whosaid scan … | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write output"),
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn check_files(
    explicit: Option<&Path>,
    inputs: &Inputs,
    fail_on: &str,
    no_exit: bool,
) -> Result<ExitCode> {
    // The scale `--fail-on` names levels of: the config for this folder (or --config).
    let scale = vocabulary_for(&config::resolve(explicit, None)?)?.scale;
    let fail_on = gate::FailOn::parse_list(fail_on, &scale).map_err(anyhow::Error::msg)?;
    let outcomes = each_review(explicit, &inputs.drafts, |file, review| {
        let verdict = gate::check(&review, &fail_on);
        let path = file.to_string_lossy();
        let all = scan::records(&review, &path);
        let failing: Vec<scan::Record> = verdict.sources.iter().map(|&i| all[i].clone()).collect();
        let orphans: Vec<String> = verdict
            .orphans
            .iter()
            .map(|&a| {
                let ann = &review.annotations[a];
                let note = if ann.note.is_empty() {
                    String::new()
                } else {
                    format!(" note: {}", escape_line(&ann.note))
                };
                format!(
                    "{}: orphaned: \"{}\" [{}]{note}",
                    escape_line(&path),
                    escape_line(&ann.anchor.quote),
                    escape_line(&ann.id),
                )
            })
            .chain(verdict.unsettled.iter().map(|(i, why)| {
                let r = &all[*i];
                let (kind, detail) = match why {
                    gate::Unsettled::Moved => ("moved", "confirm its new place".to_owned()),
                    gate::Unsettled::Conflict(what) => ("conflict", escape_line(what).into_owned()),
                };
                format!(
                    "{}:{}:{}: {kind}: \"{}\" [{}] {detail}",
                    escape_line(&path),
                    r.line,
                    r.column,
                    escape_line(&r.text),
                    r.id.as_deref().map(escape_line).unwrap_or_default(),
                )
            }))
            .collect();
        (failing, orphans)
    })?;
    let (mut failures, mut errors) = (inputs.stranded.len(), 0);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for sidecar in &inputs.stranded {
        let _ = writeln!(out, "{}", stranded_line(sidecar));
    }
    for outcome in outcomes {
        match outcome {
            Ok((failing, orphans)) => {
                failures += failing.len() + orphans.len();
                let written = scan::write_lines(&mut out, &failing)
                    .and_then(|()| orphans.iter().try_for_each(|o| writeln!(out, "{o}")));
                if let Err(e) = written {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        break;
                    }
                    return Err(e).context("cannot write output");
                }
            }
            Err(err) => {
                eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
                errors += 1;
            }
        }
    }
    let _ = out.flush();
    if failures > 0 {
        eprintln!("whosaid: {failures} source(s) fail the check");
    }
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else if failures > 0 && !no_exit {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn merge_driver(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode> {
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
    let merged = crate::merge::merge(&b, &o, &t);
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

fn report_file(
    explicit: Option<&Path>,
    file: &Path,
    format: ReportFormat,
    redact: bool,
) -> Result<ExitCode> {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    let vocabulary = vocabulary_for(&config::resolve(explicit, dir)?)?;
    let mut reports = each_review(explicit, &[Input::File(file.to_owned())], |file, review| {
        report::build(&review, &file.to_string_lossy(), redact, &vocabulary)
    })?;
    let report = reports.pop().expect("one file, one outcome")?;
    let text = match format {
        ReportFormat::Markdown => report::markdown(&report),
        ReportFormat::Html => report::html_page(&report),
        ReportFormat::Json => {
            serde_json::to_string_pretty(&report).context("cannot write the report")? + "\n"
        }
    };
    print_bytes(text.as_bytes())
}

/// Writes to stdout; a reader that closes the pipe early (`| head`) is not an error.
fn print_bytes(bytes: &[u8]) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write output")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn print_config(explicit: Option<&Path>, path: Option<&Path>) -> Result<ExitCode> {
    let near = match path {
        Some(p) if p.is_dir() => Some(p),
        Some(p) => p.parent(),
        None => None,
    };
    let resolved = config::resolve(explicit, near)?;
    keymap_for(&resolved)?;
    vocabulary_for(&resolved)?;
    let shown = |p: &Path| for_terminal(&p.display().to_string()).into_owned();
    if let Some(user) = config::user_path()
        && !resolved.from.iter().any(|o| o.path == user)
    {
        println!("// user config: {} (not found)", shown(&user));
    }
    if let Some(chosen) = config::chosen_path(explicit, near)
        && !resolved.from.iter().any(|o| o.path == chosen.path)
    {
        println!(
            "// config file: {} ({}; not found)",
            shown(&chosen.path),
            chosen.role
        );
    }
    for o in &resolved.from {
        println!("// config file: {} ({})", shown(&o.path), o.role);
    }
    if resolved.from.is_empty() {
        println!("// no config file found; using defaults");
    }
    print!("{}", for_terminal_multiline(&resolved.config.to_ron()));
    println!();
    Ok(ExitCode::SUCCESS)
}

/// Sanitises each line of multi-line output separately, keeping the line breaks.
fn for_terminal_multiline(s: &str) -> String {
    s.lines()
        .map(|l| for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_bar_only_for_large_runs_on_a_terminal_outside_ci() {
        let none = |_: &str| false;
        assert!(show_progress(PROGRESS_FROM, true, none));
        assert!(!show_progress(PROGRESS_FROM - 1, true, none));
        assert!(!show_progress(10_000, false, none));
        assert!(!show_progress(10_000, true, |v| v == "CI"));
        assert!(!show_progress(10_000, true, |v| v == "NO_COLOR"));
    }

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
