//! Many drafts in one report: a row per draft and the totals.

use super::*;

/// Many drafts' reports, and their totals.
#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub totals: Totals,
    pub generated_at: String,
    pub whosaid_version: &'static str,
    pub drafts: Vec<Report>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub drafts: usize,
    /// Drafts with nothing that needs action.
    pub ready: usize,
    pub sources: usize,
    pub need_action: usize,
    pub disputed: usize,
    pub untagged: usize,
    pub signed_off: usize,
}

impl Rollup {
    pub fn of(drafts: Vec<Report>, generated_at: &str) -> Self {
        let mut totals = Totals {
            drafts: drafts.len(),
            ..Totals::default()
        };
        for r in &drafts {
            totals.ready += usize::from(r.verdict.ready);
            totals.sources += r.summary.sources;
            totals.need_action += r.verdict.need_action;
            totals.disputed += r.verdict.disputed;
            totals.untagged += untagged(r);
            totals.signed_off += usize::from(r.sign_off.is_some());
        }
        Self {
            totals,
            generated_at: generated_at.to_owned(),
            whosaid_version: env!("CARGO_PKG_VERSION"),
            drafts,
        }
    }

    pub fn headline(&self) -> String {
        let t = &self.totals;
        if t.ready == t.drafts {
            format!("Ready: all {} drafts.", t.drafts)
        } else {
            format!(
                "Not ready: {} of {} drafts; {} source(s) need action, {} disputed.",
                t.drafts - t.ready,
                t.drafts,
                t.need_action,
                t.disputed
            )
        }
    }
}
