//! What the language server says about one review: diagnostics, hover, code actions and the
//! outline. Pure functions of the review and its settings; the server in `mod.rs` does the I/O.

use lsp_types::{
    CodeAction, CodeActionKind, Command, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentSymbol, Hover, HoverContents, Location, MarkupContent, MarkupKind,
    NumberOrString, Range, SymbolKind, Uri,
};
use serde_json::json;

use super::positions::Lines;
use crate::judgement::{Status, Vocabulary};
use crate::review::Review;
use crate::review::verdict::{self, NeedsAction, Policy};
use crate::sanitize::for_terminal;

/// The commands code actions run, each with `[uri, start, end, value]`.
pub const SET_STATUS: &str = "whosaid.setStatus";
pub const TOGGLE_DISMISS: &str = "whosaid.toggleDismiss";
pub const APPLY_TO_GROUP: &str = "whosaid.applyToGroup";
/// Lists the notes whose text has left the draft: `[uri]`.
pub const LIST_ORPHANS: &str = "whosaid.listOrphans";
pub const COMMANDS: [&str; 4] = [SET_STATUS, TOGGLE_DISMISS, APPLY_TO_GROUP, LIST_ORPHANS];

/// How many other mentions of a source a diagnostic links to.
const RELATED: usize = 8;

/// A review with what the features need beside it.
pub struct View<'a> {
    pub review: &'a Review,
    pub vocabulary: &'a Vocabulary,
    pub policy: &'a Policy,
    pub lines: &'a Lines,
    pub uri: &'a Uri,
}

impl View<'_> {
    fn text(&self) -> &str {
        self.review.article().text()
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(
            self.lines.position(self.text(), start),
            self.lines.position(self.text(), end),
        )
    }

    /// The phrase of source `i` on one line, safe to show.
    fn phrase(&self, i: usize) -> String {
        let s = &self.review.sources[i];
        let flat: Vec<&str> = self.text()[s.start..s.end].split_whitespace().collect();
        for_terminal(&flat.join(" ")).into_owned()
    }

    /// The sources at or overlapping `range`, in order.
    pub fn sources_in(&self, range: Range) -> Vec<usize> {
        let a = self.lines.offset(self.text(), range.start);
        let b = self.lines.offset(self.text(), range.end);
        (0..self.review.sources.len())
            .filter(|&i| {
                let s = &self.review.sources[i];
                s.start <= b && a <= s.end
            })
            .collect()
    }

    /// The verdict on source `i` and why, in words.
    fn verdict(&self, i: usize) -> (Option<NeedsAction>, String) {
        let v = verdict::of_source(self.review, i, self.policy);
        let why = match &v {
            Some(n) => n.why(&self.vocabulary.scale),
            None => format!("{}: passes", self.review.status(i)),
        };
        (v, why)
    }

    /// One diagnostic per source that is not dismissed: needs action → warning, disputed →
    /// error, passes → hint. Mentions of one source point at each other.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let review = self.review;
        let ends = review.sources.iter().flat_map(|s| [s.start, s.end]);
        let positions = self.lines.positions(self.text(), ends);
        let range_of = |j: usize| Range::new(positions[2 * j], positions[2 * j + 1]);
        let mut groups: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        for (j, s) in review.sources.iter().enumerate() {
            if let Some(g) = s.group {
                groups.entry(g).or_default().push(j);
            }
        }
        (0..review.sources.len())
            .filter(|&i| review.status(i) != Status::Dismissed)
            .map(|i| {
                let s = &review.sources[i];
                let (v, why) = self.verdict(i);
                let severity = match v {
                    Some(NeedsAction::Level(Status::Disputed)) => DiagnosticSeverity::ERROR,
                    Some(_) => DiagnosticSeverity::WARNING,
                    None => DiagnosticSeverity::HINT,
                };
                // The nearest mentions, not every one: a story that says "the official" sixty
                // times would send sixty squared links.
                let mut mates: Vec<usize> = s
                    .group
                    .and_then(|g| groups.get(&g))
                    .map(|m| m.iter().copied().filter(|&j| j != i).collect())
                    .unwrap_or_default();
                mates.sort_by_key(|&j| j.abs_diff(i));
                mates.truncate(RELATED);
                mates.sort_unstable();
                let related: Vec<DiagnosticRelatedInformation> = mates
                    .into_iter()
                    .map(|j| DiagnosticRelatedInformation {
                        location: Location::new(self.uri.clone(), range_of(j)),
                        message: format!("another mention of this source: {}", self.phrase(j)),
                    })
                    .collect();
                Diagnostic {
                    range: range_of(i),
                    severity: Some(severity),
                    code: Some(NumberOrString::String(s.rule.to_string())),
                    source: Some("whosaid".to_owned()),
                    message: format!(
                        "anonymous source \"{}\": {} — {why}. Found by: {}",
                        self.phrase(i),
                        review.status(i),
                        for_terminal(&review.why(i))
                    ),
                    related_information: (!related.is_empty()).then_some(related),
                    ..Diagnostic::default()
                }
            })
            .collect()
    }

    /// Markdown about source `i`: status, verdict, rule and why, signals, checklist, note and
    /// history.
    pub fn hover(&self, i: usize) -> Hover {
        let review = self.review;
        let s = &review.sources[i];
        let (_, why) = self.verdict(i);
        let md = |t: &str| crate::cli::report::md(&for_terminal(t));
        let mut out = format!(
            "**Anonymous source:** {}\n\n- Status: **{}** — {}\n- Severity: {} · rule `{}`\n- Found by: {}\n",
            md(&self.phrase(i)),
            review.status(i),
            md(&why),
            s.severity.as_str(),
            md(&s.rule),
            md(&review.why(i))
        );
        if let Some(sig) = s.signals {
            let yes = |b: bool| if b { "yes" } else { "no" };
            out.push_str(&format!(
                "- Signals: specificity {:?}; reason stated {}{}; direct quote {}; document {}; \"declined to comment\" nearby {}\n",
                sig.specificity,
                yes(sig.reason_stated),
                if sig.reason_boilerplate { " (boilerplate)" } else { "" },
                yes(sig.direct_quote),
                yes(sig.document),
                yes(sig.declined_to_comment)
            ));
        }
        if let Some(a) = review.annotation(i) {
            let answered: Vec<String> = self
                .vocabulary
                .questions
                .items()
                .filter_map(|item| {
                    let answer = a.checklist.get(item);
                    (answer != crate::judgement::Answer::Unknown)
                        .then(|| format!("{} {}", item.key(), answer.as_str()))
                })
                .collect();
            if !answered.is_empty() {
                out.push_str(&format!("- Checklist: {}\n", answered.join(", ")));
            }
            if !a.note.is_empty() {
                out.push_str(&format!("- Note: {}\n", md(&a.note).replace('\n', " / ")));
            }
            for e in crate::cli::report::history_of(a) {
                out.push_str(&format!("- {}\n", e.describe(crate::cli::report::md)));
            }
        }
        Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: out,
            }),
            range: Some(self.range(s.start, s.end)),
        }
    }

    /// Actions on source `i`: each level of the scale, dismiss or restore, and the whole group.
    pub fn actions(&self, i: usize, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
        let review = self.review;
        let s = &review.sources[i];
        let args = |value: &str| {
            Some(vec![
                json!(self.uri.as_str()),
                json!(s.start),
                json!(s.end),
                json!(value),
            ])
        };
        let phrase = self.phrase(i);
        let action = |title: String, command: &str, value: &str| CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(diagnostics.to_vec()),
            command: Some(Command {
                title,
                command: command.to_owned(),
                arguments: args(value),
            }),
            ..CodeAction::default()
        };
        let status = review.status(i);
        let mut out: Vec<CodeAction> = self
            .vocabulary
            .scale
            .levels()
            .iter()
            .filter(|&&level| level != status)
            .map(|level| {
                action(
                    format!("whosaid: mark \"{phrase}\" {level}"),
                    SET_STATUS,
                    level.as_str(),
                )
            })
            .collect();
        out.push(action(
            if status == Status::Dismissed {
                format!("whosaid: restore \"{phrase}\"")
            } else {
                format!("whosaid: dismiss \"{phrase}\" (not an anonymous source)")
            },
            TOGGLE_DISMISS,
            "",
        ));
        let mates = review.group_mates(i).len();
        if mates > 1 && review.annotation(i).is_some() {
            out.push(action(
                format!("whosaid: mark all {mates} mentions of this source {status}"),
                APPLY_TO_GROUP,
                status.as_str(),
            ));
        }
        out
    }

    /// The sources as an outline: status symbol and phrase.
    pub fn symbols(&self) -> Vec<DocumentSymbol> {
        let review = self.review;
        (0..review.sources.len())
            .map(|i| {
                let s = &review.sources[i];
                let status = review.status(i);
                let range = self.range(s.start, s.end);
                #[allow(deprecated)]
                DocumentSymbol {
                    name: format!("[{status}] {}", self.phrase(i)),
                    detail: Some(status.to_string()),
                    kind: SymbolKind::STRING,
                    tags: None,
                    deprecated: None,
                    range,
                    selection_range: range,
                    children: None,
                }
            })
            .collect()
    }

    /// The notes whose text has left the draft, one line each.
    pub fn orphans(&self) -> Vec<String> {
        self.review
            .orphans()
            .into_iter()
            .map(|a| {
                let ann = &self.review.annotations[a];
                let note = if ann.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", ann.note.replace('\n', " / "))
                };
                for_terminal(&format!("\"{}\" ({}){note}", ann.anchor.quote, ann.status))
                    .into_owned()
            })
            .collect()
    }
}
