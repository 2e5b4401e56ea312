//! `whosaid check`: the pre-publication gate. What needs action is decided by
//! [`crate::review::verdict`], the one place every output asks: an untagged source, a moved or
//! conflicting note, a note whose text left the draft, a status outside the scale, and whatever
//! the newsroom's policy fails (by default `unverified` and `disputed` on the built-in scale).
//! `--fail-on` replaces the policy for one run.

use crate::review::Review;
use crate::review::verdict::{self, FailOn, NeedsAction, Policy};

use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::drafts::{Settings, drop_later, each_review, settings_reading_first, stranded_line};
use super::inputs::Inputs;
use super::scan;
use crate::sanitize::{escape_line, for_terminal};

/// The lines of a review's sources that fail `policy`, and how many there are: first those that
/// need a judgement (untagged, a failing level or severity, a dismissal without a note), as
/// `scan --format line` writes them, then the others (moved, conflicting, out of scale), each
/// with its reason. They are made a slice of sources at a time on the worker threads, each
/// verdict as its line is written: no list of verdicts or records is kept, which on a draft of a
/// million sources was a hundred megabytes.
pub fn failing_lines(
    review: &Review,
    path: &str,
    policy: &Policy,
) -> (Vec<Vec<u8>>, Vec<String>, usize) {
    let escaped = escape_line(path);
    let article = review.article();
    let text = article.text();
    let slices = scan::slices(review.sources.len());
    let cursors = scan::slice_cursors(review, &slices);
    let parts: Vec<(Vec<u8>, Vec<String>, usize)> = slices
        .into_par_iter()
        .zip(cursors)
        .map(|(slice, mut at)| {
            let (mut lines, mut unsettled, mut count) = (Vec::new(), Vec::new(), 0);
            for i in slice {
                let Some(why) = verdict::of_source(review, i, policy) else {
                    continue;
                };
                let s = &review.sources[i];
                let (line, column) = at.line_col(s.start);
                match why {
                    NeedsAction::Untagged
                    | NeedsAction::Level(_)
                    | NeedsAction::Severity(_)
                    | NeedsAction::UnexplainedDismissal => {
                        scan::write_source_line(&mut lines, review, &escaped, i, line, column);
                        count += 1;
                    }
                    other => unsettled.push(format!(
                        "{escaped}:{line}:{column}: {}: \"{}\" [{}] {}",
                        other.kind(),
                        escape_line(&text[s.start..s.end]),
                        review
                            .annotation(i)
                            .map(|a| escape_line(&a.id))
                            .unwrap_or_default(),
                        escape_line(&other.why(review.scale())),
                    )),
                }
            }
            (lines, unsettled, count)
        })
        .collect();
    // The parts are written one after the other: joined, they were a copy of the whole output
    // in memory the process had not touched before.
    let mut lines = Vec::with_capacity(parts.len());
    let mut unsettled = Vec::new();
    let mut count = 0;
    for (part, more, n) in parts {
        lines.push(part);
        unsettled.extend(more);
        count += n;
    }
    (lines, unsettled, count)
}

/// `whosaid check`: lists what fails and exits 1 when anything does.
pub fn run(
    explicit: Option<&Path>,
    inputs: &Inputs,
    fail_on: Option<&str>,
    no_exit: bool,
) -> Result<ExitCode> {
    let (settings, first) = settings_reading_first(explicit, &inputs.drafts)?;
    // Each draft's policy is its config's, or `--fail-on` read against its own scale: once per
    // config, before any draft, so a name no scale knows stops the run.
    let mut policies: Vec<(Arc<Settings>, Policy)> = Vec::new();
    for s in &settings {
        if !policies.iter().any(|(k, _)| Arc::ptr_eq(k, s)) {
            let policy = match fail_on {
                Some(list) => Policy {
                    fail_on: FailOn::parse_list(list, &s.resolved.vocabulary.scale)
                        .map_err(|e| anyhow::anyhow!("--{e}"))?,
                },
                None => s.resolved.policy.clone(),
            };
            policies.push((Arc::clone(s), policy));
        }
    }
    let outcomes = each_review(
        &inputs.drafts,
        &settings,
        first,
        |file, review, settings| {
            let policy = policies
                .iter()
                .find(|(k, _)| std::ptr::eq(&**k, settings))
                .map_or_else(|| settings.resolved.policy.clone(), |(_, p)| p.clone());
            let path = file.to_string_lossy();
            let (mut parts, unsettled, mut count) = failing_lines(&review, &path, &policy);
            let mut text = Vec::new();
            let orphans = review.orphans().into_iter().map(|a| {
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
            });
            for line in orphans.chain(unsettled) {
                text.extend_from_slice(line.as_bytes());
                text.push(b'\n');
                count += 1;
            }
            drop_later(review);
            parts.push(text);
            (count, parts)
        },
    )?;
    let (mut failures, mut errors) = (inputs.stranded.len(), 0);
    let stdout = std::io::stdout();
    // Standard output is line-buffered: a JSON document or a long list would be a write call a
    // line (a million for a large archive). One buffer, flushed at the end.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // A reader that closes the pipe early (`| head`) stops the output, not the check: every
    // draft is still counted, so the exit status is the one the whole run earns.
    let mut closed = false;
    for sidecar in &inputs.stranded {
        closed |= writeln!(out, "{}", stranded_line(sidecar)).is_err();
    }
    for outcome in outcomes {
        match outcome {
            Ok((count, parts)) => {
                failures += count;
                if closed {
                    continue;
                }
                match parts.iter().try_for_each(|part| out.write_all(part)) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => closed = true,
                    Err(e) => return Err(e).context("cannot write output"),
                    Ok(()) => {}
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
