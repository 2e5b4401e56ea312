//! Finding anonymous-source attributions in article text.
//!
//! A fast multi-pattern search (aho-corasick) finds the paragraphs that contain a head noun or an
//! impersonal verb; only those are tokenised and run through the phrase grammar in [`grammar`]. The
//! result is a sorted list of non-overlapping [`Finding`]s with byte ranges into the text.

mod context;
mod grammar;
pub mod lexicon;
mod not_prose;
pub mod tokens;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use lexicon::Lexicon;

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
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::Descriptor,
        Rule::Access,
        Rule::Clause,
        Rule::AccordingTo,
        Rule::Impersonal,
        Rule::Spokesperson,
        Rule::Anaphora,
        Rule::Hedge,
        Rule::Custom,
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
    pub why: String,
    /// Mentions of the same source share a group ("an unnamed official … the official said").
    pub group: usize,
    pub signals: Signals,
}

/// Paragraphs longer than this are cut into windows, so one giant line cannot make a single
/// candidate cost the whole file.
const MAX_BLOCK: usize = 4096;

pub struct Detector {
    lexicon: Lexicon,
    prefilter: AhoCorasick,
    extra: Option<AhoCorasick>,
    never: Option<AhoCorasick>,
    declined: AhoCorasick,
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
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(lexicon.trigger_words())
            .expect("lexicon trigger words form a valid automaton");
        let declined = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build([
                "declined to comment",
                "declined to be interviewed",
                "declined to respond",
            ])
            .expect("fixed phrases form a valid automaton");
        Self {
            lexicon,
            prefilter,
            extra: phrase_matcher(&config.flag),
            never: phrase_matcher(&config.never_flag),
            declined,
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
        let mut findings = Vec::new();
        let mut doc = grammar::DocState::new(self.hedges, self.declined.is_match(text));
        let mut done = 0;
        for m in self.prefilter.find_iter(text) {
            if m.start() < done || !at_word_boundaries(text, m.start(), m.end()) {
                continue;
            }
            let (a, b) = block_around(text, m.start(), m.end(), done);
            let toks = tokens::tokenize(text, a..b);
            for s in tokens::sentences(text, &toks, &self.lexicon.abbreviations) {
                grammar::analyze_sentence(
                    &self.lexicon,
                    text,
                    &toks,
                    s.start,
                    s.end,
                    &mut doc,
                    &mut findings,
                );
            }
            done = b;
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
                        why: "phrase listed in your config's `flag`".to_owned(),
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
        let mut skipped: Vec<(usize, usize)> = not_prose::urls(text);
        if format == Format::Markdown {
            skipped.extend(not_prose::markdown(text));
        }
        if let Some(never) = &self.never {
            skipped.extend(
                never
                    .find_iter(text)
                    .filter(|m| at_word_boundaries(text, m.start(), m.end()))
                    .map(|m| (m.start(), m.end())),
            );
        }
        if !skipped.is_empty() {
            findings.retain(|f| !skipped.iter().any(|&(s, e)| s < f.end && f.start < e));
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
}

fn overlaps_any(findings: &[Finding], start: usize, end: usize) -> bool {
    findings.iter().any(|f| f.start < end && start < f.end)
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The paragraph around a match (bounded by blank lines), cut to a window of about `MAX_BLOCK`
/// bytes either side at whitespace, never starting before `floor`.
fn block_around(text: &str, start: usize, end: usize, floor: usize) -> (usize, usize) {
    let lo = floor_char_boundary(text, start.saturating_sub(MAX_BLOCK).max(floor));
    let a = match rfind_blank_line(&text[lo..start]) {
        Some(i) => lo + i,
        None if lo == floor => floor,
        None => text[lo..start]
            .find(char::is_whitespace)
            .map_or(lo, |i| lo + i),
    };
    let hi = floor_char_boundary(text, (end + MAX_BLOCK).min(text.len()));
    let b = match find_blank_line(&text[end..hi]) {
        Some(i) => end + i,
        None if hi == text.len() => hi,
        None => text[end..hi]
            .rfind(char::is_whitespace)
            .map_or(hi, |i| end + i),
    };
    (a, b)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Offset just after the last blank line ("\n", optional spaces, "\n") in `s`.
fn rfind_blank_line(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i] == b'\n' {
            let mut j = i;
            while j > 0 && matches!(bytes[j - 1], b' ' | b'\t' | b'\r') {
                j -= 1;
            }
            if j > 0 && bytes[j - 1] == b'\n' {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Offset of the first blank line in `s`.
fn find_blank_line(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests;
