//! `whosaid scan`: the review's sources as lines or JSON, for scripts and CI.
//!
//! Both formats are contracts. Line: `path:line:column: severity: status: text [rule]`, one source
//! a line, with newlines and control characters in `text` escaped. JSON: one top-level array of
//! objects with at least `path`, `start`, `end`, `line`, `column`, `text`, `rule`, `severity`,
//! `status` and `note`, and `anchor`. Notes whose text was edited away (orphaned) appear only in
//! JSON, after the sources of their file, with `anchor: "orphaned"`, the quote as it was in
//! `text`, and the position where it was.

use std::io::{self, Write};

use serde::Serialize;

use crate::review::Review;
use crate::sanitize::escape_line;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::drafts::{each_review, settings_for, stranded_line};
use super::inputs::Inputs;
use crate::sanitize::for_terminal;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The article's path as given on the command line.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    /// Where the source ends (1-based; the column just after its last character).
    pub end_line: usize,
    pub end_column: usize,
    pub text: String,
    pub rule: String,
    pub severity: &'static str,
    pub status: &'static str,
    pub note: String,
    /// Why the detector flagged it (for the editor; not part of the line format).
    pub why: String,
    /// Mentions of the same source share a group number; null for a source only the sidecar knows.
    pub group: Option<usize>,
    /// What the text says about the source (docs/detection.md); null for a source only the
    /// sidecar knows.
    pub signals: Option<crate::detect::Signals>,
    /// `anchored`, `moved` (attached by a fuzzy match, awaiting the editor's confirmation) or
    /// `orphaned`.
    pub anchor: &'static str,
    /// The annotation's id in the sidecar; null for a source nobody has judged.
    pub id: Option<String>,
    /// What clashed when two editors' changes were merged; null when nothing did.
    pub conflict: Option<String>,
}

/// One record per source, in document order.
pub fn records(review: &Review, path: &str) -> Vec<Record> {
    let article = review.article();
    let mut columns = article.columns();
    review
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (line, column) = columns.line_col(s.start);
            let (end_line, end_column) = columns.line_col(s.end);
            Record {
                path: path.to_owned(),
                start: s.start,
                end: s.end,
                line,
                column,
                end_line,
                end_column,
                text: article.text()[s.start..s.end].to_owned(),
                rule: s.rule.clone(),
                severity: s.severity.as_str(),
                status: review.status(i).as_str(),
                note: review
                    .annotation(i)
                    .map(|a| a.note.clone())
                    .unwrap_or_default(),
                why: s.why.clone(),
                group: s.group,
                signals: s.signals,
                anchor: review.anchor_state(i).as_str(),
                id: review.annotation(i).map(|a| a.id.clone()),
                conflict: review.annotation(i).and_then(|a| a.conflict.clone()),
            }
        })
        .collect()
}

/// One record per orphaned note: the quote as it was, at the position where it was (clamped to
/// the current text).
pub fn orphan_records(review: &Review, path: &str) -> Vec<Record> {
    let article = review.article();
    let len = article.text().len();
    let mut columns = article.columns();
    let floor = |mut i: usize| {
        i = i.min(len);
        while !article.text().is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    review
        .orphans()
        .into_iter()
        .map(|a| {
            let ann = &review.annotations[a];
            let (start, end) = (floor(ann.anchor.start), floor(ann.anchor.end));
            let (line, column) = columns.line_col(start);
            let (end_line, end_column) = columns.line_col(end);
            Record {
                path: path.to_owned(),
                start,
                end,
                line,
                column,
                end_line,
                end_column,
                text: ann.anchor.quote.clone(),
                rule: ann.origin.clone(),
                severity: ann.severity.as_str(),
                status: ann.status.as_str(),
                note: ann.note.clone(),
                why: "the text this note was made on was edited away".to_owned(),
                group: None,
                signals: None,
                anchor: crate::review::anchoring::AnchorState::Orphaned.as_str(),
                id: Some(ann.id.clone()),
                conflict: ann.conflict.clone(),
            }
        })
        .collect()
}

pub fn write_lines(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    for r in records {
        writeln!(
            out,
            "{}:{}:{}: {}: {}: {} [{}]",
            escape_line(&r.path),
            r.line,
            r.column,
            r.severity,
            r.status,
            escape_line(&r.text),
            escape_line(&r.rule)
        )?;
    }
    Ok(())
}

/// SARIF 2.1.0, for code-scanning tools: one run, one result per source. Untagged sources are
/// results to review; judged ones are passes.
pub fn write_sarif(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    use serde_json::json;
    let rules: Vec<serde_json::Value> = crate::detect::Rule::ALL
        .iter()
        .map(|r| json!({ "id": r.as_str(), "shortDescription": { "text": rule_summary(r.as_str()) } }))
        .collect();
    let results: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            let open = r.status == "untagged";
            json!({
                "ruleId": r.rule,
                "kind": if open { "review" } else { "pass" },
                "level": if !open { "none" } else if r.severity == "low" { "note" } else { "warning" },
                "message": { "text": format!("Anonymous source ({}, {} severity): {}", r.status, r.severity, r.text) },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": r.path },
                    "region": {
                        "startLine": r.line, "startColumn": r.column,
                        "endLine": r.end_line, "endColumn": r.end_column,
                    },
                }}],
                "properties": { "status": r.status, "severity": r.severity, "note": r.note },
            })
        })
        .collect();
    let log = json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "whosaid", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule_summary(id: &str) -> &'static str {
    match id {
        "anon.descriptor" => "An unnamed source described by role",
        "anon.access" => "An unnamed source described by access (familiar with, briefed on)",
        "anon.clause" => "A source who spoke on condition of anonymity",
        "anon.according-to" => "An unnamed source introduced by according to or citing",
        "anon.impersonal" => "Impersonal attribution (sources said, it is understood)",
        "anon.spokesperson" => "An unnamed spokesperson",
        "anon.anaphora" => "A later mention of an anonymous source",
        "anon.hedge" => "A hedge with no source (reportedly)",
        _ => "A phrase flagged by the newsroom's own list",
    }
}

/// GitHub Actions workflow commands (`::warning file=…::…`), so sources show up as annotations
/// on a pull request. Untagged sources are warnings (notices when low severity); judged ones are
/// notices.
pub fn write_github(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    for r in records {
        let level = if r.status == "untagged" && r.severity != "low" {
            "warning"
        } else {
            "notice"
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            github_property(&r.path),
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            github_property(&format!("{} ({})", r.rule, r.status)),
            github_message(&format!(
                "Anonymous source, {} severity: {}",
                r.severity, r.text
            )),
        )?;
    }
    Ok(())
}

/// Workflow-command escaping: a message may not hold raw line breaks or percent signs.
fn github_message(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    escape_line(&s).into_owned()
}

/// Properties also may not hold the separators `:` and `,`.
fn github_property(s: &str) -> String {
    github_message(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write_json(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, records)?;
    writeln!(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// path:line:column: severity: status: text [rule]
    Line,
    /// One JSON array of objects
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions annotations (::warning file=...)
    Github,
}

/// `whosaid scan`: every draft's sources, merged with its sidecar, in one format.
pub fn run(explicit: Option<&Path>, inputs: &Inputs, format: Format) -> Result<ExitCode> {
    for sidecar in &inputs.stranded {
        eprintln!("whosaid: {}", for_terminal(&stranded_line(sidecar)));
    }
    // The line formats are written file by file on the worker threads, so the one thread that
    // prints only copies bytes; JSON and SARIF are one document, written at the end.
    enum Found {
        Records(Vec<Record>),
        Text(Vec<u8>),
    }
    let settings = settings_for(explicit, &inputs.drafts)?;
    let outcomes = each_review(&inputs.drafts, &settings, |file, review, _| {
        let path = file.to_string_lossy();
        let mut found = records(&review, &path);
        if format == Format::Json {
            found.extend(orphan_records(&review, &path));
        }
        let mut text = Vec::new();
        // Writing to memory cannot fail.
        let _ = match format {
            Format::Line => write_lines(&mut text, &found),
            Format::Github => write_github(&mut text, &found),
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
        Format::Json => write_json(&mut out, &records),
        Format::Sarif => write_sarif(&mut out, &records),
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
