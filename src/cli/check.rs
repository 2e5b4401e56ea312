//! What fails a pre-publication check (`whosaid check`).
//!
//! By default a source fails while it is untagged, and a note whose text is no longer in the draft
//! (an orphaned annotation) fails until someone deals with it, as does a judged source whose note
//! was moved by re-anchoring and not yet confirmed, or that holds a merge conflict; dismissed
//! sources and every reliability level pass. A newsroom can widen the rule with `--fail-on`.

use crate::detect::Severity;
use crate::judgement::{Scale, Status};
use crate::review::Review;
use crate::review::anchoring::AnchorState;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::drafts::{Settings, each_review, settings_for, stranded_line};
use super::inputs::Inputs;
use super::scan;
use crate::sanitize::{escape_line, for_terminal};

/// One extra reason to fail, from `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Status(Status),
    /// Any source of this severity that is not dismissed.
    Severity(Severity),
    /// A source dismissed with no note saying why: a suppression needs a reason.
    UnexplainedDismissal,
}

impl FailOn {
    /// Parses a comma-separated list such as `unverified,disputed,high-severity`.
    /// Statuses must be `untagged` or a level of `scale` (the newsroom's, or the built-in one).
    pub fn parse_list(list: &str, scale: &Scale) -> Result<Vec<Self>, String> {
        let statuses: Vec<&str> = std::iter::once("untagged")
            .chain(scale.levels().iter().map(|s| s.as_str()))
            .collect();
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                if item == "unexplained-dismissal" {
                    Ok(FailOn::UnexplainedDismissal)
                } else if let Some(sev) = item.strip_suffix("-severity").and_then(Severity::parse) {
                    Ok(FailOn::Severity(sev))
                } else if let Some(st) =
                    Status::parse(item).filter(|s| statuses.contains(&s.as_str()))
                {
                    Ok(FailOn::Status(st))
                } else {
                    Err(format!(
                        "--fail-on does not know \"{item}\"; use statuses ({}), high-severity, \
                         medium-severity, low-severity or unexplained-dismissal",
                        statuses.join(", ")
                    ))
                }
            })
            .collect()
    }
}

/// What failed in one review: indices into its sources, and into its annotations for the
/// orphaned ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub sources: Vec<usize>,
    pub orphans: Vec<usize>,
    /// Judged sources that still need an editor: their index, and why.
    pub unsettled: Vec<(usize, Unsettled)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsettled {
    /// Re-anchoring attached the note by a fuzzy match.
    Moved,
    /// Two editors' changes clashed; what clashed.
    Conflict(String),
    /// Its status is not a level of the scale in force (a misspelling, another newsroom's word).
    OutOfScale(Status),
}

impl Verdict {
    pub fn failed(&self) -> bool {
        !self.sources.is_empty() || !self.orphans.is_empty() || !self.unsettled.is_empty()
    }
}

pub fn check(review: &Review, fail_on: &[FailOn]) -> Verdict {
    let sources: Vec<usize> = (0..review.sources.len())
        .filter(|&i| {
            let status = review.status(i);
            status == Status::Untagged
                || fail_on.iter().any(|f| match *f {
                    FailOn::Status(s) => s == status,
                    FailOn::Severity(sev) => {
                        status != Status::Dismissed && review.sources[i].severity == sev
                    }
                    FailOn::UnexplainedDismissal => {
                        status == Status::Dismissed
                            && review
                                .annotation(i)
                                .is_some_and(|a| a.note.trim().is_empty())
                    }
                })
        })
        .collect();
    let mut failing = vec![false; review.sources.len()];
    for &i in &sources {
        failing[i] = true;
    }
    let unsettled = (0..review.sources.len())
        .filter(|&i| !failing[i])
        .filter_map(|i| {
            let ann = review.annotation(i)?;
            if !review.in_scale(ann.status) {
                Some((i, Unsettled::OutOfScale(ann.status)))
            } else if let Some(what) = &ann.conflict {
                Some((i, Unsettled::Conflict(what.clone())))
            } else if review.anchor_state(i) == AnchorState::Moved {
                Some((i, Unsettled::Moved))
            } else {
                None
            }
        })
        .collect();
    Verdict {
        sources,
        orphans: review.orphans(),
        unsettled,
    }
}

/// The scale's levels, comma-separated, as a message names them.
fn scale_words(scale: &Scale) -> String {
    scale
        .levels()
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `whosaid check`: lists what fails and exits 1 when anything does.
pub fn run(
    explicit: Option<&Path>,
    inputs: &Inputs,
    fail_on: &str,
    no_exit: bool,
) -> Result<ExitCode> {
    let settings = settings_for(explicit, &inputs.drafts)?;
    // `--fail-on` names levels of each draft's own scale: read once per config, before any draft.
    let mut fail_ons: Vec<(Arc<Settings>, Vec<FailOn>)> = Vec::new();
    for s in &settings {
        if !fail_ons.iter().any(|(k, _)| Arc::ptr_eq(k, s)) {
            let parsed = FailOn::parse_list(fail_on, &s.resolved.vocabulary.scale)
                .map_err(anyhow::Error::msg)?;
            fail_ons.push((Arc::clone(s), parsed));
        }
    }
    let outcomes = each_review(&inputs.drafts, &settings, |file, review, settings| {
        let fail_on = fail_ons
            .iter()
            .find(|(k, _)| std::ptr::eq(&**k, settings))
            .map(|(_, f)| f.as_slice())
            .unwrap_or_default();
        let verdict = check(&review, fail_on);
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
                    Unsettled::Moved => ("moved", "confirm its new place".to_owned()),
                    Unsettled::Conflict(what) => ("conflict", escape_line(what).into_owned()),
                    Unsettled::OutOfScale(status) => (
                        "out of scale",
                        format!(
                            "\"{status}\" is not a level of the scale in force ({})",
                            scale_words(review.scale())
                        ),
                    ),
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
    // A reader that closes the pipe early (`| head`) stops the output, not the check: every
    // draft is still counted, so the exit status is the one the whole run earns.
    let mut closed = false;
    for sidecar in &inputs.stranded {
        closed |= writeln!(out, "{}", stranded_line(sidecar)).is_err();
    }
    for outcome in outcomes {
        match outcome {
            Ok((failing, orphans)) => {
                failures += failing.len() + orphans.len();
                if closed {
                    continue;
                }
                let written = scan::write_lines(&mut out, &failing)
                    .and_then(|()| orphans.iter().try_for_each(|o| writeln!(out, "{o}")));
                match written {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::article::Article;
    use crate::config::Config;
    use crate::detect::Detector;
    use crate::review::Stamp;
    use crate::sidecar::{OnDisk, SidecarFile};

    fn review() -> Review {
        let text = "Sources said it was over. A senior official said no. People familiar with the talks agreed.\n";
        let findings = Detector::new(&Config::default()).detect(text);
        let empty = Ok((SidecarFile::empty(), OnDisk::Missing));
        Review::open(
            Article::new(Path::new("d.md"), text.into()),
            findings,
            empty,
        )
        .0
    }

    #[test]
    fn a_dismissal_without_a_reason_can_be_made_to_fail() {
        let mut r = review();
        let stamp = Stamp {
            author: "ed".into(),
            now: "2026-11-25T10:00:00Z".into(),
        };
        for i in 0..r.sources.len() {
            r.toggle_dismissed(i, &stamp);
        }
        r.set_note(1, "A named minister; not anonymous.", &stamp);
        let rule = FailOn::parse_list("unexplained-dismissal", &Scale::default()).unwrap();
        assert_eq!(check(&r, &rule).sources, [0, 2]);
        assert!(check(&r, &[]).sources.is_empty(), "off by default");
    }

    #[test]
    fn untagged_fails_by_default_and_fail_on_widens() {
        let mut r = review();
        let stamp = Stamp {
            author: "ed".into(),
            now: "2026-11-25T10:00:00Z".into(),
        };
        assert_eq!(check(&r, &[]).sources, [0, 1, 2]);
        r.set_status(0, Status::Disputed, &stamp);
        r.set_status(1, Status::Verified, &stamp);
        r.toggle_dismissed(2, &stamp);
        assert!(
            !check(&r, &[]).failed(),
            "dismissed and every level pass by default"
        );
        assert_eq!(
            check(
                &r,
                &FailOn::parse_list("disputed", &Scale::default()).unwrap()
            )
            .sources,
            [0]
        );
        // "Sources" is high severity; the dismissed low one never fails on severity.
        assert_eq!(
            check(
                &r,
                &FailOn::parse_list("high-severity, low-severity", &Scale::default()).unwrap()
            )
            .sources,
            [0]
        );
    }

    #[test]
    fn unknown_fail_on_values_are_refused() {
        assert!(
            FailOn::parse_list("unverified,sketchy", &Scale::default())
                .unwrap_err()
                .contains("\"sketchy\"")
        );
        assert!(
            FailOn::parse_list("dismissed", &Scale::default()).is_err(),
            "dismissed always passes"
        );
        assert_eq!(FailOn::parse_list("", &Scale::default()).unwrap(), []);
    }
}
