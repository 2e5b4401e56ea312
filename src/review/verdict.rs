//! The one place that decides whether a source passes or needs an editor's action before
//! publication. `whosaid check`, `scan --format github` and SARIF, the report's headline and the
//! language server all ask here, so they never disagree.
//!
//! Always needing action: a source nobody has judged (untagged), a note re-anchoring moved and
//! nobody confirmed, a merge conflict, a note whose text left the draft (orphaned), and a status
//! that is not a level of the scale in force. Beyond those, a newsroom's policy names what else
//! fails: by default, on the built-in scale, `unverified` and `disputed`; a newsroom's own scale
//! fails none of its levels until its config's `fail_on` names them; `--fail-on` replaces both.
//! Verified, corroborated, single-source and dismissed sources pass.

use crate::detect::Severity;
use crate::judgement::{Scale, Status};
use crate::review::Review;
use crate::review::anchoring::AnchorState;

/// One more reason to fail, from a newsroom's `fail_on` or `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Status(Status),
    /// Any source of this severity that is not dismissed.
    Severity(Severity),
    /// A source dismissed with no note saying why: a suppression needs a reason.
    UnexplainedDismissal,
}

impl FailOn {
    /// Parses names such as `unverified`, `disputed`, `high-severity`. Statuses must be
    /// `untagged` or a level of `scale` (the newsroom's, or the built-in one).
    pub fn parse_all<'a>(
        names: impl IntoIterator<Item = &'a str>,
        scale: &Scale,
    ) -> Result<Vec<Self>, String> {
        let statuses: Vec<&str> = std::iter::once("untagged")
            .chain(scale.levels().iter().map(|s| s.as_str()))
            .collect();
        names
            .into_iter()
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
                        "fail-on does not know \"{item}\"; use statuses ({}), high-severity, \
                         medium-severity, low-severity or unexplained-dismissal",
                        statuses.join(", ")
                    ))
                }
            })
            .collect()
    }

    /// Parses a comma-separated list (`--fail-on unverified,disputed`).
    pub fn parse_list(list: &str, scale: &Scale) -> Result<Vec<Self>, String> {
        Self::parse_all(list.split(','), scale)
    }
}

/// What fails beyond what always does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub fail_on: Vec<FailOn>,
}

impl Policy {
    /// The policy when no one has said otherwise: on the built-in scale, `unverified` and
    /// `disputed` need action; a newsroom's own scale has no default failing level.
    pub fn default_for(scale: &Scale) -> Self {
        let fail_on = if *scale == Scale::default() {
            vec![
                FailOn::Status(Status::Unverified),
                FailOn::Status(Status::Disputed),
            ]
        } else {
            Vec::new()
        };
        Self { fail_on }
    }
}

/// Why a source needs an editor's action before publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedsAction {
    Untagged,
    /// A level the policy fails (`unverified`, `disputed`, a newsroom's `doubtful`).
    Level(Status),
    /// A severity the policy fails, on a source that is not dismissed.
    Severity(Severity),
    /// Dismissed with no note saying why, under a policy that asks for one.
    UnexplainedDismissal,
    /// Re-anchoring attached the note by a fuzzy match and nobody confirmed it.
    Moved,
    /// Two editors' changes clashed; what clashed.
    Conflict(String),
    /// Its status is not a level of the scale in force (a misspelling, another newsroom's word).
    OutOfScale(Status),
}

impl NeedsAction {
    /// How serious it is, for ordering and for the level of an annotation in CI: a disputed
    /// source or a conflict is an error; the rest are warnings.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            NeedsAction::Level(Status::Disputed) | NeedsAction::Conflict(_)
        )
    }

    /// A short kind, as `check` prints it.
    pub fn kind(&self) -> &'static str {
        match self {
            NeedsAction::Untagged | NeedsAction::Level(_) | NeedsAction::Severity(_) => "status",
            NeedsAction::UnexplainedDismissal => "unexplained dismissal",
            NeedsAction::Moved => "moved",
            NeedsAction::Conflict(_) => "conflict",
            NeedsAction::OutOfScale(_) => "out of scale",
        }
    }

    /// Why, in words.
    pub fn why(&self, scale: &Scale) -> String {
        match self {
            NeedsAction::Untagged => "not judged yet".to_owned(),
            NeedsAction::Level(s) => format!("judged {s}, which this newsroom does not publish on"),
            NeedsAction::Severity(s) => format!("{} severity needs a judgement", s.as_str()),
            NeedsAction::UnexplainedDismissal => "dismissed with no note saying why".to_owned(),
            NeedsAction::Moved => "the text changed; confirm the note's new place".to_owned(),
            NeedsAction::Conflict(what) => format!("two editors disagree: {what}"),
            NeedsAction::OutOfScale(s) => format!(
                "\"{s}\" is not a level of the scale in force ({})",
                scale
                    .levels()
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Whether source `i` of `review` passes under `policy`; `Some` says why it needs action.
pub fn of_source(review: &Review, i: usize, policy: &Policy) -> Option<NeedsAction> {
    let status = review.status(i);
    let annotation = review.annotation(i);
    if let Some(a) = annotation {
        if !review.in_scale(a.status) {
            return Some(NeedsAction::OutOfScale(a.status));
        }
        if let Some(what) = &a.conflict {
            return Some(NeedsAction::Conflict(what.clone()));
        }
    }
    if review.anchor_state(i) == AnchorState::Moved {
        return Some(NeedsAction::Moved);
    }
    if status == Status::Untagged {
        return Some(NeedsAction::Untagged);
    }
    policy.fail_on.iter().find_map(|f| match *f {
        FailOn::Status(s) if s == status => Some(NeedsAction::Level(s)),
        FailOn::Severity(sev)
            if status != Status::Dismissed && review.sources[i].severity == sev =>
        {
            Some(NeedsAction::Severity(sev))
        }
        FailOn::UnexplainedDismissal
            if status == Status::Dismissed
                && annotation.is_some_and(|a| a.note.trim().is_empty()) =>
        {
            Some(NeedsAction::UnexplainedDismissal)
        }
        _ => None,
    })
}

/// Every source's verdict, in order.
pub fn of_review(review: &Review, policy: &Policy) -> Vec<Option<NeedsAction>> {
    use rayon::prelude::*;
    // A slice of sources at a time on the worker threads, as `scan` makes its records.
    (0..review.sources.len())
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| of_source(review, i, policy))
        .collect()
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

    const TEXT: &str = "Sources said it was over. A senior official said no. People familiar with the talks agreed.\n";

    fn review(scale: &Scale) -> Review {
        let findings = Detector::new(&Config::default()).detect(TEXT);
        let empty = Ok((SidecarFile::empty(), OnDisk::Missing));
        let mut r = Review::open(
            Article::new(Path::new("d.md"), TEXT.into()),
            findings,
            empty,
        )
        .0;
        r.set_scale(scale.clone());
        r
    }

    fn stamp() -> Stamp {
        Stamp {
            author: "ed".into(),
            now: "2026-11-25T10:00:00Z".into(),
        }
    }

    fn scale(names: &[&str]) -> Scale {
        Scale::new(&names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    /// Every status under the built-in scale and under a newsroom's own, with and without a
    /// policy naming what fails: the table the CHANGELOG and `check --help` describe.
    #[test]
    fn every_status_under_every_scale() {
        let built_in = Scale::default();
        let newsroom = scale(&["confirmed", "probable", "doubtful"]);
        let st = |s: &str| Status::parse(s).unwrap();
        let lvl = |s: &str| Some(NeedsAction::Level(st(s)));
        let out = |s: &str| Some(NeedsAction::OutOfScale(st(s)));
        let names = |list: &str, sc: &Scale| Policy {
            fail_on: FailOn::parse_list(list, sc).unwrap(),
        };
        #[rustfmt::skip]
        let table: Vec<(&Scale, Policy, &str, Option<NeedsAction>)> = vec![
            (&built_in, Policy::default_for(&built_in), "untagged", Some(NeedsAction::Untagged)),
            (&built_in, Policy::default_for(&built_in), "verified", None),
            (&built_in, Policy::default_for(&built_in), "corroborated", None),
            (&built_in, Policy::default_for(&built_in), "single-source", None),
            (&built_in, Policy::default_for(&built_in), "unverified", lvl("unverified")),
            (&built_in, Policy::default_for(&built_in), "disputed", lvl("disputed")),
            (&built_in, Policy::default_for(&built_in), "dismissed", None),
            (&built_in, Policy::default_for(&built_in), "verifed", out("verifed")),
            (&built_in, names("", &built_in), "unverified", None),
            (&built_in, names("", &built_in), "disputed", None),
            (&built_in, names("", &built_in), "untagged", Some(NeedsAction::Untagged)),
            (&built_in, names("single-source", &built_in), "single-source", lvl("single-source")),
            (&built_in, names("single-source", &built_in), "disputed", None),
            (&newsroom, Policy::default_for(&newsroom), "untagged", Some(NeedsAction::Untagged)),
            (&newsroom, Policy::default_for(&newsroom), "confirmed", None),
            (&newsroom, Policy::default_for(&newsroom), "probable", None),
            (&newsroom, Policy::default_for(&newsroom), "doubtful", None),
            (&newsroom, Policy::default_for(&newsroom), "dismissed", None),
            (&newsroom, Policy::default_for(&newsroom), "verified", out("verified")),
            (&newsroom, Policy::default_for(&newsroom), "disputed", out("disputed")),
            (&newsroom, names("doubtful", &newsroom), "doubtful", lvl("doubtful")),
            (&newsroom, names("doubtful", &newsroom), "probable", None),
        ];
        for (sc, policy, status, expected) in table {
            let mut r = review(sc);
            let s = st(status);
            if s == Status::Dismissed {
                r.toggle_dismissed(0, &stamp());
                r.set_note(0, "A named minister.", &stamp());
            } else if s != Status::Untagged {
                r.set_status(0, s, &stamp());
            }
            assert_eq!(
                of_source(&r, 0, &policy),
                expected,
                "{status} under {:?} with {:?}",
                sc.levels(),
                policy.fail_on
            );
        }
    }

    #[test]
    fn a_dismissal_without_a_reason_can_be_made_to_fail() {
        let mut r = review(&Scale::default());
        for i in 0..r.sources.len() {
            r.toggle_dismissed(i, &stamp());
        }
        r.set_note(1, "A named minister; not anonymous.", &stamp());
        let rule = names_of("unexplained-dismissal");
        let failing: Vec<usize> = (0..3)
            .filter(|&i| of_source(&r, i, &rule).is_some())
            .collect();
        assert_eq!(failing, [0, 2]);
        let default = Policy::default_for(&Scale::default());
        assert!(
            (0..3).all(|i| of_source(&r, i, &default).is_none()),
            "off by default"
        );
    }

    fn names_of(list: &str) -> Policy {
        Policy {
            fail_on: FailOn::parse_list(list, &Scale::default()).unwrap(),
        }
    }

    #[test]
    fn severities_fail_only_sources_that_are_not_dismissed() {
        let mut r = review(&Scale::default());
        r.set_status(0, Status::Verified, &stamp());
        r.set_status(1, Status::Verified, &stamp());
        r.toggle_dismissed(2, &stamp());
        // "Sources" is high severity; the dismissed low one never fails on severity.
        let p = names_of("high-severity, low-severity");
        let failing: Vec<usize> = (0..3).filter(|&i| of_source(&r, i, &p).is_some()).collect();
        assert_eq!(failing, [0]);
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
