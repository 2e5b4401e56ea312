//! The command line: `whosaid [OPTIONS] <FILE>` opens the review screen; `scan` and `config` run
//! the same core without it. This is the program's edge, where errors become one sentence on
//! stderr and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::article::Article;
use crate::config::{self, Config};
use crate::detect::Detector;
use crate::review::Review;
use crate::sanitize::for_terminal;
use crate::{scan, tui};

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

    /// The draft to review (UTF-8 text or Markdown)
    #[arg(required = true, value_name = "FILE")]
    file: Option<PathBuf>,

    /// Name recorded on your annotations (default: config `author`, then $USER)
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
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
        /// Drafts to scan
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the config file in use and the effective configuration
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// path:line:column: severity: status: text [rule]
    Line,
    /// One JSON array of objects
    Json,
}

/// Runs the program and turns any error into one line on stderr and exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match cli.command {
        Some(Command::Scan { format, files }) => scan_files(&files, format),
        Some(Command::Config) => print_config(),
        None => {
            let file = cli.file.context("no file given")?;
            let config = load_config()?;
            let author = config::resolve_author(cli.author.as_deref(), &config);
            tui::open(&file, &config, author)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_config() -> Result<Config> {
    let path = config::default_path();
    let (config, _) = Config::load(path.as_deref())?;
    Ok(config)
}

/// Loads a draft and its sidecar and merges them with the detector's findings.
pub fn open_review(
    path: &Path,
    detector: &Detector,
) -> Result<(Review, Option<crate::sidecar::SidecarError>)> {
    let article = Article::load(path)?;
    let findings = detector.detect_as(article.text(), article.format());
    Ok(Review::load(article, findings))
}

fn scan_files(files: &[PathBuf], format: Format) -> Result<ExitCode> {
    let config = load_config()?;
    let detector = Detector::new(&config);
    // Files are scanned in parallel across the cores; results are reported in the order given.
    let outcomes: Vec<Result<Vec<scan::Record>>> = files
        .par_iter()
        .map(|file| {
            let (review, sidecar_error) = open_review(file, &detector)?;
            // Reporting a file's sources as untagged when its judgements could not be read would
            // be a wrong answer, so a broken sidecar is an error.
            if let Some(e) = sidecar_error {
                return Err(anyhow::Error::new(e).context("sidecar unreadable"));
            }
            Ok(scan::records(&review, &file.to_string_lossy()))
        })
        .collect();
    let mut records = Vec::new();
    let mut failed = false;
    for outcome in outcomes {
        match outcome {
            Ok(found) => records.extend(found),
            Err(err) => {
                eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
                failed = true;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        Format::Line => scan::write_lines(&mut out, &records),
        Format::Json => scan::write_json(&mut out, &records),
    };
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

fn print_config() -> Result<ExitCode> {
    let path = config::default_path();
    let (config, located) = Config::load(path.as_deref())?;
    match (&located.path, located.found) {
        (Some(p), true) => println!("// config file: {}", for_terminal(&p.display().to_string())),
        (Some(p), false) => println!(
            "// config file: {} (not found; using defaults)",
            for_terminal(&p.display().to_string())
        ),
        (None, _) => println!("// no config folder on this system; using defaults"),
    }
    print!("{}", for_terminal_multiline(&config.to_ron()));
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
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommands_win_but_paths_open_files() {
        let cli = Cli::try_parse_from(["whosaid", "scan", "a.md"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Scan { .. })));
        let cli = Cli::try_parse_from(["whosaid", "./scan"]).unwrap();
        assert_eq!(cli.file.as_deref(), Some(Path::new("./scan")));
        let cli = Cli::try_parse_from(["whosaid", "--author", "Ana", "draft.md"]).unwrap();
        assert_eq!(cli.author.as_deref(), Some("Ana"));
        assert!(Cli::try_parse_from(["whosaid"]).is_err());
    }
}
