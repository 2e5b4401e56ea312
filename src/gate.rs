//! What fails a pre-publication check (`whosaid check`).
//!
//! By default a source fails while it is untagged, and a note whose text is no longer in the draft
//! (an orphaned annotation) fails until someone deals with it, as does a judged source whose note
//! was moved by re-anchoring and not yet confirmed, or that holds a merge conflict; dismissed
//! sources and every reliability level pass. A newsroom can widen the rule with `--fail-on`.

use crate::anchoring::AnchorState;
use crate::detect::Severity;
use crate::judgement::{Scale, Status};
use crate::review::Review;

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
    let unsettled = (0..review.sources.len())
        .filter(|i| !sources.contains(i))
        .filter_map(|i| {
            let ann = review.annotation(i)?;
            if let Some(what) = &ann.conflict {
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
