//! `whosaid scan`: the review's sources as lines or JSON, for scripts and CI.
//!
//! Both formats are contracts. Line: `path:line:column: severity: status: text [rule]`, one source
//! a line, with newlines and control characters in `text` escaped. JSON: one top-level array of
//! objects with at least `path`, `start`, `end`, `line`, `column`, `text`, `rule`, `severity`,
//! `status` and `note`.

use std::io::{self, Write};

use serde::Serialize;

use crate::review::Review;
use crate::sanitize::escape_line;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The article's path as given on the command line.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
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
}

/// One record per source, in document order.
pub fn records(review: &Review, path: &str) -> Vec<Record> {
    let article = review.article();
    review
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (line, column) = article.line_col(s.start);
            Record {
                path: path.to_owned(),
                start: s.start,
                end: s.end,
                line,
                column,
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

pub fn write_json(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, records)?;
    writeln!(out)
}
