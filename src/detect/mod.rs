//! Finding anonymous-source attributions in article text.
//!
//! One pass cuts the text into tokens, looking each word up in the lexicon's numbered
//! [`words::Vocabulary`] as it goes; sentences are split as their ends come into view, and each one
//! that holds a head noun or the start of an impersonal form goes through the phrase grammar in
//! [`grammar`]. The result is a sorted list of non-overlapping [`Finding`]s with byte ranges into
//! the text.

mod context;
mod grammar;
pub mod lexicon;
mod not_prose;
mod others;
mod split;
pub mod tokens;
pub mod why;
pub mod words;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use lexicon::Lexicon;
pub use others::{Attribution, SourceClass};
pub use why::Why;

/// Stable rule ids: they appear in `scan` output and sidecars, so they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Rule {
    #[serde(rename = "anon.descriptor")]
    Descriptor,
    #[serde(rename = "anon.access")]
    Access,
    #[serde(rename = "anon.clause")]
    Clause,
    #[serde(rename = "anon.according-to")]
    AccordingTo,
    #[serde(rename = "anon.impersonal")]
    Impersonal,
    #[serde(rename = "anon.spokesperson")]
    Spokesperson,
    #[serde(rename = "anon.anaphora")]
    Anaphora,
    #[serde(rename = "anon.hedge")]
    Hedge,
    #[serde(rename = "anon.custom")]
    Custom,
    #[serde(rename = "anon.passive")]
    Passive,
    #[serde(rename = "anon.pronoun")]
    Pronoun,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::Descriptor,
        Rule::Access,
        Rule::Clause,
        Rule::AccordingTo,
        Rule::Impersonal,
        Rule::Spokesperson,
        Rule::Anaphora,
        Rule::Hedge,
        Rule::Custom,
        Rule::Passive,
        Rule::Pronoun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Descriptor => "anon.descriptor",
            Rule::Access => "anon.access",
            Rule::Clause => "anon.clause",
            Rule::AccordingTo => "anon.according-to",
            Rule::Impersonal => "anon.impersonal",
            Rule::Spokesperson => "anon.spokesperson",
            Rule::Anaphora => "anon.anaphora",
            Rule::Hedge => "anon.hedge",
            Rule::Custom => "anon.custom",
            Rule::Passive => "anon.passive",
            Rule::Pronoun => "anon.pronoun",
        }
    }
}

/// How much an editor should worry: bare or impersonal is high, a role without access is medium,
/// a role with access or a stated reason is low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Severity::Low, Severity::Medium, Severity::High]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Severity::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown severity \"{s}\" (expected low, medium or high)"
            ))
        })
    }
}

/// How precisely the text describes a source, from the standards' scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Specificity {
    /// "a source", "sources", "people", "it is understood".
    #[default]
    Bare,
    /// "an official", "an aide".
    GenericRole,
    /// "a senior State Department official".
    AffiliatedRole,
    /// "a person familiar with the talks".
    RoleWithAccess,
}

/// What the text itself says about a source, pre-filled for the editor to confirm.
/// docs/detection.md documents each key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Signals {
    pub specificity: Specificity,
    /// The sentence says why anonymity was granted.
    pub reason_stated: bool,
    /// …with a rote reason ("not authorized to speak publicly").
    pub reason_boilerplate: bool,
    /// The attributed sentence holds a direct quotation.
    pub direct_quote: bool,
    /// The head noun is plural ("sources", "officials").
    pub plural: bool,
    /// The sentence cites a document ("obtained by", "reviewed by", "seen by").
    pub document: bool,
    /// The draft says someone "declined to comment".
    pub declined_to_comment: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset of the first byte of the phrase.
    pub start: usize,
    /// Byte offset just past the phrase.
    pub end: usize,
    pub rule: Rule,
    pub severity: Severity,
    /// Which words made this a finding, for the editor.
    pub why: Why,
    /// Mentions of the same source share a group ("an unnamed official … the official said").
    pub group: usize,
    pub signals: Signals,
}

impl Finding {
    /// A hedge names no source; every other finding is an anonymous one.
    pub fn class(&self) -> SourceClass {
        if self.rule == Rule::Hedge {
            SourceClass::Unsourced
        } else {
            SourceClass::Anonymous
        }
    }
}

/// A sentence that runs on for this many tokens without a full stop is cut there, so one giant
/// line cannot make the grammar's look-ahead cost the whole file.
const MAX_SENTENCE: usize = 1000;

pub struct Detector {
    lexicon: Lexicon,
    extra: Option<AhoCorasick>,
    never: Option<AhoCorasick>,
    hedges: bool,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector").finish_non_exhaustive()
    }
}

fn phrase_matcher(phrases: &[String]) -> Option<AhoCorasick> {
    let phrases: Vec<&str> = phrases
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if phrases.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(phrases)
        .ok()
}

/// How to read the text: Markdown has regions that are never prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

impl Detector {
    /// The built-in lexicon, extended by the user's config, plus the phrases it adds or suppresses.
    pub fn new(config: &Config) -> Self {
        let mut lexicon = Lexicon::built_in();
        lexicon.extend(&config.lexicon);
        Self::with_lexicon(lexicon, config)
    }

    pub fn with_lexicon(lexicon: Lexicon, config: &Config) -> Self {
        Self {
            lexicon,
            extra: phrase_matcher(&config.flag),
            never: phrase_matcher(&config.never_flag),
            hedges: config.hedges,
        }
    }

    /// All findings in plain text, sorted by position, never overlapping.
    pub fn detect(&self, text: &str) -> Vec<Finding> {
        self.detect_as(text, Format::Text)
    }

    /// All findings, skipping what is not prose: URLs always, and in Markdown also code blocks,
    /// code spans, HTML and front matter.
    pub fn detect_as(&self, text: &str, format: Format) -> Vec<Finding> {
        // A draft large enough to be cut into chunks has its URLs (and Markdown that is not
        // prose) found on another thread while the grammar runs: run afterwards, the search of a
        // 32 MB draft kept one core busy for 6 ms while the other waited.
        let targets = split::targets_for(text.len());
        let ((mut findings, declined), early) = if !targets.is_empty() {
            let (found, gaps) = rayon::join(
                || self.grammar_findings(text, &targets),
                || not_prose_ranges(text, format),
            );
            (found, Some(gaps))
        } else {
            (self.grammar_findings(text, &targets), None)
        };
        if declined {
            for f in &mut findings {
                f.signals.declined_to_comment = true;
            }
        }
        if let Some(extra) = &self.extra {
            let mut added = Vec::new();
            for m in extra.find_iter(text) {
                if at_word_boundaries(text, m.start(), m.end())
                    && !overlaps_any(&findings, m.start(), m.end())
                {
                    added.push(Finding {
                        start: m.start(),
                        end: m.end(),
                        rule: Rule::Custom,
                        severity: Severity::Medium,
                        why: Why::Flagged,
                        group: 0,
                        signals: Signals::default(),
                    });
                }
            }
            findings.extend(added);
            findings.sort_by_key(|f| f.start);
            let mut next = findings.iter().map(|f| f.group).max().unwrap_or(0);
            for f in findings.iter_mut().filter(|f| f.group == 0) {
                next += 1;
                f.group = next;
            }
        }
        if findings.is_empty() {
            return findings;
        }
        let mut skipped = early.unwrap_or_else(|| not_prose_ranges(text, format));
        if let Some(never) = &self.never {
            skipped.extend(
                never
                    .find_iter(text)
                    .filter(|m| at_word_boundaries(text, m.start(), m.end()))
                    .map(|m| (m.start(), m.end())),
            );
        }
        if !skipped.is_empty() {
            let skipped = Coverage::new(skipped);
            findings.retain(|f| !skipped.overlaps(f.start, f.end));
        }
        // The grammar never produces overlaps; this keeps the promise whatever the config adds.
        let mut last_end = 0;
        findings.retain(|f| {
            let keep = f.start >= last_end && f.end > f.start;
            if keep {
                last_end = f.end;
            }
            keep
        });
        findings
    }

    /// Every other attribution — named, institutional, outlet, document — in order, never
    /// overlapping the byte ranges in `taken` (the sources under review) or text that is not
    /// prose.
    pub fn attributions(
        &self,
        text: &str,
        format: Format,
        taken: &[(usize, usize)],
    ) -> Vec<Attribution> {
        let lx = &self.lexicon;
        let mut found = Vec::new();
        self.each_sentence(text, |sentence, n, _| {
            others::in_sentence(lx, text, sentence, n, &mut found);
        });
        let mut skipped = not_prose_ranges(text, format);
        skipped.extend_from_slice(taken);
        let skipped = Coverage::new(skipped);
        found.retain(|a| !skipped.overlaps(a.start, a.end));
        let mut last_end = 0;
        found.retain(|a| {
            let keep = a.start >= last_end && a.end > a.start;
            if keep {
                last_end = a.end;
            }
            keep
        });
        found
    }

    /// What the phrase grammar finds, in order, and whether the draft says someone "declined to
    /// comment". A large draft is cut into chunks analysed on several threads (`split`), with
    /// the same result.
    fn grammar_findings(&self, text: &str, targets: &[usize]) -> (Vec<Finding>, bool) {
        if !targets.is_empty()
            && let Some(found) = split::grammar_findings(self, text, targets)
        {
            return found;
        }
        let mut doc = grammar::DocState::new(self.hedges);
        let (findings, declined, _) =
            self.grammar_in(text, 0..text.len(), &mut doc, |_, _, _, _| {});
        (findings, declined)
    }

    /// The grammar's findings between two paragraph starts, with `doc` carried through, and
    /// whether someone "declined to comment", and whether the tokens stopped exactly at
    /// `range.end` (see [`Detector::each_sentence_in`]). `after` is called after each sentence
    /// with its tokens as the grammar saw them, how many are its own, the findings so far and
    /// the state.
    fn grammar_in(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        doc: &mut grammar::DocState,
        mut after: impl FnMut(&[tokens::Token], usize, &[Finding], &grammar::DocState),
    ) -> (Vec<Finding>, bool, bool) {
        let lx = &self.lexicon;
        // Room for a dense draft's findings (one in about 800 bytes), so a large one's list is
        // not copied as it grows; the room no finding uses is never touched.
        let mut findings = Vec::with_capacity(range.len() / 512);
        let mut declined = false;
        let clean = self.each_sentence_in(text, range, |sentence, n, seen| {
            // "declined" is rare: the whole phrase is looked for only in paragraphs that hold it.
            if !declined && seen.has(words::class::STARTS_DECLINED) {
                declined = (0..n).any(|i| lx.declined.match_at(sentence, i, n).is_some());
            }
            grammar::analyze_sentence(lx, text, sentence, 0, n, doc, &mut findings);
            after(sentence, n, &findings, doc);
        });
        (findings, declined, clean)
    }

    /// Calls `f` with each sentence's tokens (plus the next sentence's first, which the grammar
    /// may peek at), the number that belong to the sentence, and the classes seen in its
    /// paragraph so far.
    fn each_sentence(&self, text: &str, f: impl FnMut(&[tokens::Token], usize, words::Class)) {
        self.each_sentence_in(text, 0..text.len(), f);
    }

    /// [`Detector::each_sentence`] from a paragraph's start to `range.end`. Returns whether the
    /// tokens stopped exactly at `range.end`, between paragraphs: `split` checks this rather than
    /// trust that the tokenizer never steps over a line break.
    fn each_sentence_in(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(&[tokens::Token], usize, words::Class),
    ) -> bool {
        let lx = &self.lexicon;
        let mut tokenizer = tokens::Tokenizer::within(text, range.start, range.end);
        // One paragraph's tokens, or as much of a long one as is still undecided.
        let mut toks = Vec::with_capacity(256);
        let mut seen = words::Class::NONE;
        loop {
            let fill = tokenizer.fill(&lx.vocab, &mut toks, 2 * MAX_SENTENCE);
            let complete = fill != tokens::Fill::Full;
            seen |= tokenizer.take_seen();
            let mut s = 0;
            while s < toks.len() {
                let (e, look_ahead) = match tokens::sentence_end(text, &toks, s, complete) {
                    Some(e) => (e, true),
                    None if toks.len() - s >= MAX_SENTENCE => (s + MAX_SENTENCE, false),
                    None => break,
                };
                // The grammar may peek at the next sentence's first word ("… the matter and").
                let visible = if look_ahead && e < toks.len() {
                    e + 1
                } else {
                    e
                };
                f(&toks[s..visible], e - s, seen);
                s = e;
            }
            if complete {
                toks.clear();
                seen = words::Class::NONE;
            } else {
                toks.drain(..s);
            }
            if fill == tokens::Fill::TextEnd {
                break;
            }
        }
        tokenizer.pos() == range.end && !tokenizer.in_paragraph()
    }
}

/// Text that is not prose: URLs always, and in Markdown also code, HTML and front matter.
fn not_prose_ranges(text: &str, format: Format) -> Vec<(usize, usize)> {
    let mut ranges = not_prose::urls(text);
    if format == Format::Markdown {
        ranges.extend(not_prose::markdown(text));
    }
    ranges
}

/// Byte ranges that findings must not touch, sorted for quick overlap tests.
struct Coverage {
    /// Sorted by start; `reach[i]` is the furthest end among the first `i + 1` ranges.
    ranges: Vec<(usize, usize)>,
    reach: Vec<usize>,
}

impl Coverage {
    fn new(mut ranges: Vec<(usize, usize)>) -> Self {
        ranges.sort_unstable();
        let mut furthest = 0;
        let reach = ranges
            .iter()
            .map(|&(_, e)| {
                furthest = furthest.max(e);
                furthest
            })
            .collect();
        Self { ranges, reach }
    }

    /// Whether some range overlaps `start..end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        // Only ranges that start before `end` can overlap; of those, the one reaching furthest
        // decides.
        let n = self.ranges.partition_point(|&(s, _)| s < end);
        n > 0 && self.reach[n - 1] > start
    }
}

/// Whether a finding overlaps `start..end`; `findings` are sorted by start and do not overlap.
fn overlaps_any(findings: &[Finding], start: usize, end: usize) -> bool {
    let n = findings.partition_point(|f| f.start < end);
    n > 0 && findings[n - 1].end > start
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests;
