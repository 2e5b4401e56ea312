//! Which sources the list shows. The status bar's counts always describe the whole article.

use crate::detect::Severity;
use crate::judgement::{Scale, Status};
use crate::review::Review;
use crate::review::anchoring::AnchorState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Untagged,
    /// Untagged, unverified or disputed, moved by an edit, or holding a merge conflict.
    NeedsReview,
    Status(Status),
    Severity(Severity),
    /// No source: the list shows the attributions that are not under review instead (named,
    /// institutional, outlet, document), and `v` makes the chosen one a source to judge.
    Attributions,
}

/// The order `f` steps through: all, untagged, needs review, each level of the scale in use,
/// dismissed, then each severity.
pub fn cycle(scale: &Scale) -> Vec<Filter> {
    let mut out = vec![Filter::All, Filter::Untagged, Filter::NeedsReview];
    out.extend(scale.levels().iter().map(|&s| Filter::Status(s)));
    out.push(Filter::Status(Status::Dismissed));
    out.extend(
        [Severity::High, Severity::Medium, Severity::Low]
            .into_iter()
            .map(Filter::Severity),
    );
    out.push(Filter::Attributions);
    out
}

impl Filter {
    pub fn matches(self, review: &Review, i: usize) -> bool {
        let status = review.status(i);
        match self {
            Filter::All => true,
            Filter::Untagged => status == Status::Untagged,
            Filter::NeedsReview => {
                matches!(
                    status,
                    Status::Untagged | Status::Unverified | Status::Disputed
                ) || review.anchor_state(i) == AnchorState::Moved
                    || review.annotation(i).is_some_and(|a| a.conflict.is_some())
            }
            Filter::Status(s) => status == s,
            Filter::Severity(sev) => review.sources[i].severity == sev,
            Filter::Attributions => false,
        }
    }

    pub fn label(self) -> String {
        match self {
            Filter::All => "all".to_owned(),
            Filter::Untagged => "untagged".to_owned(),
            Filter::NeedsReview => "needs review".to_owned(),
            Filter::Status(s) => s.as_str().to_owned(),
            Filter::Severity(sev) => format!("{} severity", sev.as_str()),
            Filter::Attributions => "other attributions".to_owned(),
        }
    }

    /// The next filter in the cycle, forwards or backwards.
    pub fn step(self, forward: bool, scale: &Scale) -> Filter {
        let all = cycle(scale);
        let at = all.iter().position(|&f| f == self).unwrap_or(0);
        let n = all.len();
        all[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }
}
