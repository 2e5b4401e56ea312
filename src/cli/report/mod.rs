//! `whosaid report`: a story's sourcing for the standards desk, as Markdown, JSON or one
//! self-contained HTML page. `--redact` leaves notes out, for a report that leaves the building.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::scan::{self, Record};
use crate::detect::{Severity, SourceClass, Specificity};
use crate::judgement::{Status, Vocabulary};
use crate::review::Review;
use crate::review::verdict::{self, NeedsAction, Policy};

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::drafts::{each_review, settings_reading_first};
use super::print_bytes;

pub mod html;
mod markdown;
pub use markdown::*;

mod rollup;
pub use rollup::*;

/// A draft's report. `S` holds its sources: a list, or (for `--format json` on one draft)
/// [`LazySources`], which makes each source's part as it is written.
#[derive(Debug, Clone, Serialize)]
pub struct Report<S = Vec<SourceReport>> {
    pub path: String,
    /// Whether the story is ready to publish as far as its sourcing goes, by the one verdict
    /// `check` uses.
    pub verdict: Headline,
    /// When the report was made (`SOURCE_DATE_EPOCH` when set, for reproducible reports), by
    /// which whosaid, from which bytes of the draft.
    pub provenance: Provenance,
    pub summary: Summary,
    pub sources: S,
    pub orphans: Vec<Orphan>,
    /// Who signed off the sourcing, and when; null until someone does.
    pub sign_off: Option<crate::sidecar::SignOff>,
    /// Whether a judgement changed after the sign-off.
    #[serde(skip)]
    pub sign_off_stale: bool,
    /// The checklist's keys in the order an editor works through them (the newsroom's own, or the
    /// built-in one).
    #[serde(skip)]
    pub checklist_keys: Vec<&'static str>,
    /// Statuses in the order of the scale (untagged, each level, dismissed, then any other),
    /// for the tables; JSON keeps its map.
    #[serde(skip)]
    pub status_order: Vec<&'static str>,
}

impl<S> Report<S> {
    /// The status counts in the scale's order.
    pub(super) fn statuses(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        let listed = self.status_order.iter().copied();
        let others = self
            .summary
            .by_status
            .keys()
            .copied()
            .filter(|k| !self.status_order.contains(k));
        listed
            .chain(others)
            .map(|k| (k, self.summary.by_status.get(k).copied().unwrap_or(0)))
    }

    /// Severities from high to low.
    pub(super) fn severities(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        ["high", "medium", "low"]
            .into_iter()
            .map(|k| (k, self.summary.by_severity.get(k).copied().unwrap_or(0)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub ready: bool,
    /// Sources that need action, and notes whose text left the draft.
    pub need_action: usize,
    pub disputed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// RFC 3339, UTC.
    pub generated_at: String,
    pub whosaid_version: &'static str,
    /// SHA-256 of the draft as read, in hex.
    pub draft_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub sources: usize,
    /// Count per status, every status listed.
    pub by_status: BTreeMap<&'static str, usize>,
    /// Count per severity, every severity listed.
    pub by_severity: BTreeMap<&'static str, usize>,
    pub orphans: usize,
    /// Who the story's attributions rest on, anonymous sources and every other kind.
    pub balance: Balance,
}

/// A story's sourcing balance: attributions by class, and each named source once.
#[derive(Debug, Clone, Serialize)]
pub struct Balance {
    /// Mentions per class (anonymous, named, institutional, outlet, document, unsourced), every
    /// class listed. Anonymous counts the sources under review that are not dismissed.
    pub mentions: BTreeMap<&'static str, usize>,
    /// The share of the mentions of people (anonymous and named) that are anonymous; null when
    /// the story attributes nothing to a person.
    pub anonymous_share: Option<f64>,
    /// Each named source once, most mentioned first: a name that ends another ("Peskov", "Dmitry
    /// Peskov") is the same source.
    pub named: Vec<NamedSource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedSource {
    pub name: String,
    pub mentions: usize,
}

impl Balance {
    /// `sources` gives each source's status and class.
    fn of(
        sources: impl Iterator<Item = (&'static str, &'static str)>,
        others: &[crate::detect::Attribution],
    ) -> Self {
        let mut mentions: BTreeMap<&'static str, usize> =
            SourceClass::ALL.iter().map(|c| (c.as_str(), 0)).collect();
        for (_, class) in sources.filter(|(status, _)| *status != "dismissed") {
            *mentions.entry(class).or_default() += 1;
        }
        for a in others {
            *mentions.entry(a.class.as_str()).or_default() += 1;
        }
        let anonymous = mentions["anonymous"];
        let people = anonymous + mentions["named"];
        let mut names: Vec<(&str, &str)> = others
            .iter()
            .filter_map(|a| Some((a.name_key.as_deref()?, a.name.as_deref()?)))
            .collect();
        // Longest first, so a short form finds the full name it ends.
        names.sort_by_key(|(key, _)| std::cmp::Reverse(key.len()));
        let mut named: Vec<NamedSource> = Vec::new();
        // Each name's key and every ending of it that starts a word ("peskov" for "dmitry
        // peskov"), to the first (longest) name that has it: one lookup a mention, where a walk
        // of every name so far made a long report quadratic.
        let mut by_ending: std::collections::HashMap<&str, usize> = Default::default();
        for (key, name) in names {
            match by_ending.get(key) {
                Some(&n) => named[n].mentions += 1,
                None => {
                    let n = named.len();
                    named.push(NamedSource {
                        name: name.to_owned(),
                        mentions: 1,
                    });
                    by_ending.entry(key).or_insert(n);
                    for (i, _) in key.match_indices(' ') {
                        by_ending.entry(&key[i + 1..]).or_insert(n);
                    }
                }
            }
        }
        named.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.name.cmp(&b.name))
        });
        Balance {
            mentions,
            anonymous_share: (people > 0).then(|| anonymous as f64 / people as f64),
            named,
        }
    }

    /// "Of 9 mentions of people, 6 (67%) are anonymous."
    pub(super) fn share_line(&self) -> String {
        let anonymous = self.mentions["anonymous"];
        let people = anonymous + self.mentions["named"];
        match self.anonymous_share {
            Some(share) => format!(
                "Of {people} mentions of people, {anonymous} ({:.0}%) are anonymous.",
                share * 100.0
            ),
            None => "The story attributes nothing to a person.".to_owned(),
        }
    }

    /// The classes in the order the report shows them.
    pub(super) fn rows(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        SourceClass::ALL
            .iter()
            .map(|c| (c.as_str(), self.mentions[c.as_str()]))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// The same keys as `scan --format json`.
    #[serde(flatten)]
    pub record: Record,
    /// The sentence the source is in.
    pub sentence: Sentence,
    pub checklist: Checklist,
    /// When the judgement was made, then who changed its reliability or checklist and when.
    pub history: Vec<Event>,
    /// What the standards desk should look at, from the text.
    pub warnings: Vec<&'static str>,
}

/// A sentence laid on one line, and where the source phrase is in it; a string in JSON.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    text: String,
    phrase: std::ops::Range<usize>,
}

impl Sentence {
    /// The sentence before the source phrase, the phrase, and the rest, to mark the phrase.
    pub fn parts(&self) -> [&str; 3] {
        let t = &self.text;
        [
            &t[..self.phrase.start],
            &t[self.phrase.clone()],
            &t[self.phrase.end..],
        ]
    }
}

impl Serialize for Sentence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Each checklist question's key and its answer, sorted by key: a map in JSON, without a map's
/// weight for each of 40,000 sources.
#[derive(Debug, Clone, Default)]
pub struct Checklist(Vec<(&'static str, &'static str)>);

impl Checklist {
    fn new(mut answers: Vec<(&'static str, &'static str)>) -> Self {
        answers.sort_by_key(|(key, _)| *key);
        answers.dedup_by_key(|(key, _)| *key);
        Self(answers)
    }

    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

impl Serialize for Checklist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

/// A step in a judgement's history. Sidecars written before version 2 record only who made the
/// last change, so for those only that step names an author.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub at: String,
}

impl Event {
    pub(crate) fn describe(&self, escape: fn(&str) -> String) -> String {
        match &self.author {
            Some(who) => format!(
                "{} by {} at {}",
                escape(&self.what),
                escape(who),
                escape(&self.at)
            ),
            None => format!("{} at {}", escape(&self.what), escape(&self.at)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Orphan {
    pub id: String,
    pub text: String,
    pub status: &'static str,
    pub note: String,
}

/// The sentence around bytes `start..end`: back to the previous sentence end or blank line, on to
/// the next, at most about 400 bytes either way.
fn sentence_around(text: &str, start: usize, end: usize) -> Sentence {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lo = floor(start.saturating_sub(400));
    let hi = floor((end + 400).min(text.len()));
    let before = &text[lo..start];
    let from = before
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?') && before[i + 1..].starts_with(char::is_whitespace)
                || before[i..].starts_with("\n\n")
        })
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let after = &text[end..hi];
    let to = after
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?') || after[i..].starts_with("\n\n"))
        .map_or(hi, |(i, c)| {
            if c == '\n' {
                end + i
            } else {
                end + i + c.len_utf8()
            }
        });
    // The sentence is laid on one line with the phrase's edges marked by two private-use
    // characters, so the white space around the phrase folds like the rest.
    const OPEN: char = '\u{f8fe}';
    const CLOSE: char = '\u{f8ff}';
    let marked = format!(
        "{}{OPEN}{}{CLOSE}{}",
        &text[from..start],
        &text[start..end],
        &text[end..to]
    );
    let flat = marked.split_whitespace().collect::<Vec<_>>().join(" ");
    match (flat.find(OPEN), flat.rfind(CLOSE)) {
        (Some(a), Some(b)) if a < b && !text[from..to].contains([OPEN, CLOSE]) => {
            let b = b - OPEN.len_utf8();
            Sentence {
                text: flat.replace([OPEN, CLOSE], ""),
                phrase: a..b,
            }
        }
        // The draft holds the markers itself: the sentence, unmarked.
        _ => {
            let text = flat.replace([OPEN, CLOSE], "");
            let end = text.len();
            Sentence {
                text,
                phrase: end..end,
            }
        }
    }
}

fn warnings(review: &Review, i: usize) -> Vec<&'static str> {
    let Some(s) = review.sources[i].signals else {
        return Vec::new();
    };
    let mut w = Vec::new();
    if s.specificity == Specificity::Bare {
        w.push("bare attribution: describe the source as precisely as is safe");
    }
    if s.reason_boilerplate {
        w.push("boilerplate reason for anonymity");
    } else if !s.reason_stated {
        w.push("no reason for anonymity given");
    }
    if s.direct_quote {
        w.push("anonymous direct quote");
    }
    if s.declined_to_comment {
        w.push("the story says someone declined to comment: check they are not also this source");
    }
    w
}

/// How a report is made: whether names and notes stay in, what fails, and when it is.
pub struct Options<'a> {
    /// Leave out notes and editors' names, for a report that leaves the building.
    pub redact: bool,
    pub vocabulary: &'a Vocabulary,
    pub policy: &'a Policy,
    /// RFC 3339, UTC.
    pub generated_at: &'a str,
    /// Finds the other attributions for the sourcing balance.
    pub detector: &'a crate::detect::Detector,
}

/// Who is named in a redacted report.
const SOMEONE: &str = "an editor";

/// Builds the report for one draft.
/// Source `i`'s part of the report, around its record.
fn source_report(review: &Review, i: usize, mut record: Record, options: &Options) -> SourceReport {
    if options.redact {
        record.note.clear();
    }
    let ann = review.annotation(i);
    let checklist = Checklist::new(
        options
            .vocabulary
            .questions
            .items()
            .map(|item| {
                (
                    item.key(),
                    ann.map_or("unknown", |a| a.checklist.get(item).as_str()),
                )
            })
            .collect(),
    );
    let mut history = ann.map(history_of).unwrap_or_default();
    if options.redact {
        for e in &mut history {
            if e.author.is_some() {
                e.author = Some(SOMEONE.to_owned());
            }
        }
    }
    SourceReport {
        sentence: sentence_around(review.article().text(), record.start, record.end),
        record,
        checklist,
        history,
        warnings: warnings(review, i),
    }
}

pub fn build(review: &Review, path: &str, options: &Options) -> Report {
    build_with(review, path, options, |review| {
        source_reports(review, path, options).collect()
    })
}

/// Each source's part of the report, in order. Each record is made with its source's part: a
/// list of them all first would weigh another 13 MB on a 30 MB draft.
fn source_reports<'a>(
    review: &'a Review,
    path: &'a str,
    options: &'a Options<'a>,
) -> impl ExactSizeIterator<Item = SourceReport> + 'a {
    let mut columns = review.article().columns();
    (0..review.sources.len()).map(move |i| {
        let record = scan::record(review, path, &mut columns, i);
        source_report(review, i, record, options)
    })
}

/// A report whose sources are made one at a time as its JSON is written, never all held at
/// once: on a fully judged 30 MB draft they weigh more than the draft and its sidecar.
pub fn build_lazy<'a>(
    review: &'a Review,
    path: &'a str,
    options: &'a Options<'a>,
) -> Report<LazySources<'a>> {
    build_with(review, path, options, |review| LazySources {
        review,
        path,
        options,
    })
}

/// The sources of a [`Report`] made as they are serialised.
pub struct LazySources<'a> {
    review: &'a Review,
    path: &'a str,
    options: &'a Options<'a>,
}

impl Serialize for LazySources<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(source_reports(self.review, self.path, self.options))
    }
}

fn build_with<'a, S>(
    review: &'a Review,
    path: &str,
    options: &Options,
    sources: impl FnOnce(&'a Review) -> S,
) -> Report<S> {
    let (redact, vocabulary) = (options.redact, options.vocabulary);
    let questions = &vocabulary.questions;
    let text = review.article().text();
    let taken: Vec<(usize, usize)> = review.sources.iter().map(|s| (s.start, s.end)).collect();
    let others = options
        .detector
        .attributions(text, review.article().format(), &taken);
    let balance = Balance::of(
        review
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (review.status(i).as_str(), scan::class_of_rule(&s.rule))),
        &others,
    );
    // The other attributions are only counted; on a large draft they weigh megabytes.
    drop(others);
    // Every status of the scale in use, counted or not; a status from another scale found in the
    // sidecar is counted too.
    let mut by_status: BTreeMap<&'static str, usize> = vocabulary
        .scale
        .statuses()
        .iter()
        .map(|s| (s.as_str(), 0))
        .collect();
    let mut by_severity: BTreeMap<&'static str, usize> =
        [Severity::High, Severity::Medium, Severity::Low]
            .iter()
            .map(|s| (s.as_str(), 0))
            .collect();
    for (i, s) in review.sources.iter().enumerate() {
        *by_status.entry(review.status(i).as_str()).or_default() += 1;
        *by_severity.entry(s.severity.as_str()).or_default() += 1;
    }
    let count = review.sources.len();
    let sources = sources(review);
    let orphans: Vec<Orphan> = review
        .orphans()
        .into_iter()
        .map(|a| {
            let ann = &review.annotations[a];
            Orphan {
                id: ann.id.clone(),
                text: ann.anchor.quote.clone(),
                status: ann.status.as_str(),
                note: if redact {
                    String::new()
                } else {
                    ann.note.clone()
                },
            }
        })
        .collect();
    let verdicts = verdict::of_review(review, options.policy);
    let need_action = verdicts.iter().flatten().count() + orphans.len();
    let disputed = verdicts
        .iter()
        .flatten()
        .filter(|v| **v == NeedsAction::Level(Status::Disputed))
        .count();
    let mut sign_off = review.sign_off().cloned();
    if redact && let Some(s) = &mut sign_off {
        s.who = SOMEONE.to_owned();
    }
    Report {
        verdict: Headline {
            ready: need_action == 0,
            need_action,
            disputed,
        },
        provenance: Provenance {
            generated_at: options.generated_at.to_owned(),
            whosaid_version: env!("CARGO_PKG_VERSION"),
            draft_sha256: sha256_hex(text.as_bytes()),
        },
        checklist_keys: questions.items().map(|i| i.key()).collect(),
        status_order: vocabulary
            .scale
            .statuses()
            .iter()
            .map(|s| s.as_str())
            .collect(),
        sign_off,
        sign_off_stale: review.sign_off_stale(),
        path: path.to_owned(),
        summary: Summary {
            sources: count,
            by_status,
            by_severity,
            orphans: orphans.len(),
            balance,
        },
        sources,
        orphans,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn history_of(a: &crate::sidecar::Annotation) -> Vec<Event> {
    let mut events = vec![Event {
        what: "created".to_owned(),
        author: None,
        at: a.created.clone(),
    }];
    if a.history.is_empty() {
        events.push(Event {
            what: "last changed".to_owned(),
            author: Some(a.author.clone()),
            at: a.updated.clone(),
        });
    }
    events.extend(a.history.iter().map(|c| Event {
        what: c.what.clone(),
        author: Some(c.who.clone()),
        at: c.when.clone(),
    }));
    events
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, to read or paste into a ticket
    Markdown,
    /// One JSON object: path, summary, sources, orphans
    Json,
    /// One self-contained HTML page that prints well
    Html,
    /// One row per source, for a spreadsheet
    Csv,
    /// W3C Web Annotation JSON-LD, for annotation tools
    W3c,
}

/// Now, or `SOURCE_DATE_EPOCH` when it is set, so a report can be made reproducibly.
fn generated_at() -> Result<String> {
    let at = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => {
            let secs: i64 = s
                .trim()
                .parse()
                .with_context(|| format!("SOURCE_DATE_EPOCH is not a number of seconds: {s}"))?;
            jiff::Timestamp::from_second(secs)
                .with_context(|| format!("SOURCE_DATE_EPOCH is out of range: {s}"))?
        }
        _ => jiff::Timestamp::now(),
    };
    Ok(at.round(jiff::Unit::Second).unwrap_or(at).to_string())
}

/// `whosaid report FILE…`: one draft's report, or a roll-up of many, in the format asked for.
pub fn run(
    explicit: Option<&Path>,
    files: &[std::path::PathBuf],
    format: ReportFormat,
    redact: bool,
) -> Result<ExitCode> {
    let inputs = super::drafts::expand(files, None)?;
    let rollup = inputs.drafts.len() != 1 || files.len() != 1 || files[0].is_dir();
    anyhow::ensure!(
        !(rollup && matches!(format, ReportFormat::Csv | ReportFormat::W3c)),
        "csv and w3c export one draft at a time; name a single draft"
    );
    anyhow::ensure!(
        !inputs.drafts.is_empty(),
        "no drafts found in {}",
        files[0].display()
    );
    let (settings, first) = settings_reading_first(explicit, &inputs.drafts)?;
    let generated_at = generated_at()?;
    // The exports are made from the review itself; the report formats from the report.
    enum Made {
        Report(Box<Report>),
        Bytes(Vec<u8>),
        /// One draft's JSON, written as its sources were made.
        Printed(Result<ExitCode>),
    }
    let outcomes = each_review(
        &inputs.drafts,
        &settings,
        first,
        |file, review, settings| {
            let path = file.to_string_lossy();
            match format {
                ReportFormat::Csv => {
                    let mut out = Vec::new();
                    // Writing to memory cannot fail.
                    let _ = super::export::csv(&review, &path, &mut out);
                    Made::Bytes(out)
                }
                ReportFormat::W3c => {
                    let value = super::export::w3c(&review, &path);
                    let mut out = serde_json::to_vec_pretty(&value).unwrap_or_default();
                    out.push(b'\n');
                    Made::Bytes(out)
                }
                _ => {
                    let options = Options {
                        redact,
                        vocabulary: &settings.resolved.vocabulary,
                        policy: &settings.resolved.policy,
                        generated_at: &generated_at,
                        detector: &settings.detector,
                    };
                    if !rollup && format == ReportFormat::Json {
                        return Made::Printed(super::print_json(&build_lazy(
                            &review, &path, &options,
                        )));
                    }
                    Made::Report(Box::new(build(&review, &path, &options)))
                }
            }
        },
    )?;
    let mut reports = Vec::new();
    for outcome in outcomes {
        match outcome? {
            Made::Bytes(bytes) => return print_bytes(&bytes),
            Made::Printed(done) => return done,
            Made::Report(report) => reports.push(*report),
        }
    }
    if !rollup {
        let report = &reports[0];
        let text = match format {
            ReportFormat::Html => html::page(report),
            ReportFormat::Json => return super::print_json(report),
            _ => markdown(report),
        };
        return print_bytes(text.as_bytes());
    }
    let rollup = Rollup::of(reports, &generated_at);
    let text = match format {
        ReportFormat::Html => html::rollup_page(&rollup),
        ReportFormat::Json => return super::print_json(&rollup),
        _ => rollup_markdown(&rollup),
    };
    print_bytes(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_is_cut_at_its_neighbours() {
        let text = "First one. Then sources said it was over. After that, nothing.";
        let start = text.find("sources").unwrap();
        assert_eq!(
            sentence_around(text, start, start + 7).parts(),
            ["Then ", "sources", " said it was over."]
        );
        assert_eq!(
            sentence_around("é sources", 2, 9).parts().concat(),
            "é sources"
        );
        // Hard-wrapped text is one line, and the phrase stays marked apart.
        assert_eq!(
            sentence_around("Then people familiar\nwith it said so.", 5, 28).parts(),
            ["Then ", "people familiar with it", " said so."]
        );
    }

    /// The JSON written as the sources are made is the JSON of the report built whole, with
    /// judgements, notes, history and redaction.
    #[test]
    fn lazy_sources_write_the_report_built_whole() {
        use crate::review::Stamp;
        let config = crate::config::Config::default();
        let detector = crate::detect::Detector::new(&config);
        let text = "Sources said it was over. A senior official said no.\n\n\
                    People familiar with the talks agreed, according to an aide.\n";
        let article = crate::article::Article::new(std::path::Path::new("d.md"), text.into());
        let empty = Ok((
            crate::sidecar::SidecarFile::empty(),
            crate::sidecar::OnDisk::Missing,
        ));
        let (mut review, _) = Review::open(article, detector.detect(text), empty);
        let stamp = Stamp {
            author: "ana".into(),
            now: "2026-11-30T12:00:00Z".into(),
        };
        assert!(review.sources.len() >= 3);
        review.set_status(0, Status::Disputed, &stamp);
        review.set_note(1, "two calls, \"both\" on record", &stamp);
        let vocabulary = Vocabulary::default();
        let policy = Policy::default_for(&vocabulary.scale);
        for redact in [false, true] {
            let options = Options {
                redact,
                vocabulary: &vocabulary,
                policy: &policy,
                generated_at: "2026-11-30T12:00:00Z",
                detector: &detector,
            };
            let whole = serde_json::to_string_pretty(&build(&review, "d.md", &options)).unwrap();
            let lazy =
                serde_json::to_string_pretty(&build_lazy(&review, "d.md", &options)).unwrap();
            assert_eq!(lazy, whole);
            assert!(whole.contains("disputed") && whole.contains("\"sentence\""));
        }
    }

    #[test]
    fn markup_in_the_draft_is_escaped() {
        assert_eq!(
            md("[click](http://x) *bold* a-b"),
            "\\[click\\](http://x) \\*bold\\* a-b"
        );
    }

    #[test]
    fn a_notes_line_breaks_are_laid_out_and_other_controls_shown() {
        assert_eq!(
            md_lines("two\r\nlines\x1b[2J").replace('\n', " / "),
            "two / lines␛\\[2J"
        );

        assert_eq!(md("people familiar\nwith"), "people familiar with");
    }
}
