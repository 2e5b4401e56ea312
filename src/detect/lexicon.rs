//! The word lists and phrase patterns the detector's grammar is built from.
//!
//! The lists live in `assets/lexicon.ron` so they can be read and extended without touching the
//! grammar; this module turns them into lookup tables once, at start-up.

use std::collections::BTreeMap;

// Lookups of short words dominate the detector's time; FxHash is several times faster than the
// default SipHash for them, and the keys come from the lexicon, not from an attacker.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Deserialize;

use super::tokens::Token;

const BUILT_IN: &str = include_str!("../../assets/lexicon.ron");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    roles: Vec<String>,
    bare: Vec<String>,
    generic: Vec<String>,
    spokespersons: Vec<String>,
    determiners: Vec<String>,
    quantifiers: Vec<String>,
    anonymity_modifiers: Vec<String>,
    modifiers: Vec<String>,
    affiliations: Vec<String>,
    access: Vec<String>,
    anonymity_clauses: Vec<String>,
    reasons: Vec<ReasonEntry>,
    cue_verbs: Vec<String>,
    bridges: Vec<String>,
    lead_ins: Vec<String>,
    impersonal: Vec<String>,
    hedges: Vec<String>,
    documents: Vec<String>,
    outlets: Vec<String>,
    unique_titles: Vec<String>,
    not_followed_by: BTreeMap<String, Vec<String>>,
    not_preceded_by: BTreeMap<String, Vec<String>>,
    not_names: Vec<String>,
    abbreviations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonEntry {
    pattern: String,
    boilerplate: bool,
}

/// What kind of person a head noun names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    /// A role: "official", "aide", "diplomat".
    Role,
    /// Says nothing about the role: "source", "insider".
    Bare,
    /// Too common to count alone: "person", "people".
    Generic,
    /// Sanctioned but unnamed: "spokesman".
    Spokesperson,
}

/// One position in a pattern: alternatives (each one or more words), possibly optional.
#[derive(Debug, Clone)]
struct Elem {
    alts: Vec<Vec<String>>,
    optional: bool,
}

/// A sequence of words matched against consecutive tokens (see the syntax in `lexicon.ron`).
#[derive(Debug, Clone)]
pub struct Pattern {
    elems: Vec<Elem>,
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Self, String> {
        let bad = |what: &str| format!("{what} in pattern `{source}`");
        let mut elems = Vec::new();
        let mut rest = source.trim_start();
        while !rest.is_empty() {
            let (body, after) = if let Some(inner) = rest.strip_prefix('(') {
                let close = inner.find(')').ok_or_else(|| bad("unclosed `(`"))?;
                (&inner[..close], &inner[close + 1..])
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                let word = word.strip_suffix('?').unwrap_or(word);
                (word, &rest[word.len()..])
            };
            let (optional, after) = match after.strip_prefix('?') {
                Some(a) => (true, a),
                None => (false, after),
            };
            if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                return Err(bad("missing space after an element"));
            }
            let alts: Vec<Vec<String>> = body
                .split('|')
                .map(|alt| {
                    alt.split_whitespace()
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .collect();
            if alts
                .iter()
                .any(|a| a.is_empty() || a.iter().any(|w| w.contains(['(', ')'])))
            {
                return Err(bad(&format!("empty or nested alternative `{body}`")));
            }
            elems.push(Elem { alts, optional });
            rest = after.trim_start();
        }
        if elems.iter().all(|e| e.optional) {
            return Err(bad("no required word"));
        }
        Ok(Self { elems })
    }

    /// Matches starting at token `i` without passing `end`; returns the index after the match.
    pub fn match_at(&self, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        self.match_from(0, toks, i, end)
    }

    fn match_from(&self, k: usize, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        let Some(elem) = self.elems.get(k) else {
            return Some(i);
        };
        for alt in &elem.alts {
            let n = alt.len();
            if i + n <= end
                && toks[i..i + n].iter().zip(alt).all(|(t, w)| t.norm == *w)
                && let Some(r) = self.match_from(k + 1, toks, i + n, end)
            {
                return Some(r);
            }
        }
        if elem.optional {
            return self.match_from(k + 1, toks, i, end);
        }
        None
    }

    /// Every word a match can begin with.
    fn starters(&self) -> Vec<String> {
        let mut words = Vec::new();
        for elem in &self.elems {
            words.extend(elem.alts.iter().filter_map(|a| a.first().cloned()));
            if !elem.optional {
                break;
            }
        }
        words
    }

    /// The most tokens a match can span.
    fn max_len(&self) -> usize {
        self.elems
            .iter()
            .map(|e| e.alts.iter().map(Vec::len).max().unwrap_or(0))
            .sum()
    }

    /// The last word of each alternative of the last required element, to seed the prefilter.
    pub fn last_required(&self) -> Vec<String> {
        self.elems
            .iter()
            .rev()
            .find(|e| !e.optional)
            .map(|e| e.alts.iter().filter_map(|a| a.last().cloned()).collect())
            .unwrap_or_default()
    }
}

/// Patterns indexed by the words they can begin with, so a token that starts none of them costs
/// one hash lookup instead of a walk through every pattern.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    starters: HashSet<String>,
    max_len: usize,
}

impl PatternSet {
    fn new(patterns: Vec<Pattern>) -> Self {
        let starters = patterns.iter().flat_map(Pattern::starters).collect();
        let max_len = patterns.iter().map(Pattern::max_len).max().unwrap_or(0);
        Self {
            patterns,
            starters,
            max_len,
        }
    }

    /// The index and end of the first pattern (in lexicon order) that matches at token `i`.
    pub fn first_at(&self, toks: &[Token], i: usize, end: usize) -> Option<(usize, usize)> {
        if i >= end || !self.starters.contains(&toks[i].norm) {
            return None;
        }
        self.patterns
            .iter()
            .enumerate()
            .find_map(|(k, p)| p.match_at(toks, i, end).map(|e| (k, e)))
    }

    /// The end of the first pattern that matches at token `i`.
    pub fn match_at(&self, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        self.first_at(toks, i, end).map(|(_, e)| e)
    }

    /// Whether some pattern matches tokens ending exactly at `end`, starting at or after `floor`.
    pub fn ends_at(&self, toks: &[Token], floor: usize, end: usize) -> bool {
        (floor.max(end.saturating_sub(self.max_len))..end).any(|st| {
            self.starters.contains(&toks[st].norm)
                && self
                    .patterns
                    .iter()
                    .any(|p| p.match_at(toks, st, end) == Some(end))
        })
    }

    pub fn last_required(&self) -> impl Iterator<Item = String> + '_ {
        self.patterns.iter().flat_map(Pattern::last_required)
    }
}

/// A set of words and multi-word phrases ("law enforcement"), matched backwards from a position.
#[derive(Debug, Default)]
pub struct PhraseSet {
    phrases: Vec<Vec<String>>,
    words: HashSet<String>,
}

impl PhraseSet {
    fn new(items: &[String]) -> Self {
        let mut set = Self::default();
        set.add(items);
        set
    }

    /// Adds words and phrases; blank ones are ignored.
    fn add(&mut self, items: &[String]) {
        let set = self;
        for item in items {
            let words: Vec<String> = item.split_whitespace().map(str::to_lowercase).collect();
            match words.len() {
                0 => {}
                1 => {
                    set.words.insert(words[0].clone());
                }
                _ => set.phrases.push(words),
            }
        }
        // Longest first, so "a number of" wins over "of".
        set.phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    }

    pub fn contains_word(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// If a phrase of this set ends just before token `end` and starts at or after `floor`,
    /// the index of its first token.
    pub fn ending_at(&self, toks: &[Token], end: usize, floor: usize) -> Option<usize> {
        for p in &self.phrases {
            if end >= floor + p.len() {
                let start = end - p.len();
                if toks[start..end].iter().zip(p).all(|(t, w)| t.norm == *w) {
                    return Some(start);
                }
            }
        }
        if end > floor && self.words.contains(&toks[end - 1].norm) {
            return Some(end - 1);
        }
        None
    }
}

#[derive(Debug)]
pub struct Lexicon {
    pub heads: HashMap<String, HeadKind>,
    pub determiners: HashSet<String>,
    pub quantifiers: PhraseSet,
    pub anonymity_modifiers: PhraseSet,
    pub modifiers: PhraseSet,
    pub affiliations: PhraseSet,
    pub access: PatternSet,
    pub clauses: PatternSet,
    pub reasons: PatternSet,
    /// For each reason pattern, whether it is boilerplate.
    pub reason_boilerplate: Vec<bool>,
    pub cues: HashSet<String>,
    pub bridges: HashSet<String>,
    pub lead_ins: PatternSet,
    pub impersonal: PatternSet,
    pub hedges: PatternSet,
    pub documents: PatternSet,
    /// "one of them", "two of those".
    pub partitive_pronoun: PatternSet,
    /// Words without which a sentence holds nothing to find.
    triggers: HashSet<String>,
    pub unique_titles: HashSet<String>,
    pub not_followed_by: HashMap<String, HashSet<String>>,
    pub not_preceded_by: HashMap<String, HashSet<String>>,
    pub not_names: HashSet<String>,
    pub abbreviations: HashSet<String>,
}

fn set(items: &[String]) -> HashSet<String> {
    items.iter().map(|s| s.to_lowercase()).collect()
}

fn patterns(items: &[String]) -> Result<Vec<Pattern>, String> {
    items.iter().map(|s| Pattern::parse(s)).collect()
}

fn pattern_set(items: &[String]) -> Result<PatternSet, String> {
    patterns(items).map(PatternSet::new)
}

fn map(items: &BTreeMap<String, Vec<String>>) -> HashMap<String, HashSet<String>> {
    items
        .iter()
        .map(|(k, v)| (k.to_lowercase(), set(v)))
        .collect()
}

impl Lexicon {
    /// The lexicon compiled into the binary. Its validity is checked by a unit test, so a broken
    /// asset fails the build's tests rather than a user's session.
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).expect("assets/lexicon.ron is valid (checked by tests)")
    }

    pub fn parse(source: &str) -> Result<Self, String> {
        let file: LexiconFile = ron::from_str(source).map_err(|e| e.to_string())?;
        let mut heads = HashMap::default();
        // Later inserts win: bare nouns are roles too, but their own class matters for severity.
        for (list, kind) in [
            (&file.roles, HeadKind::Role),
            (&file.bare, HeadKind::Bare),
            (&file.generic, HeadKind::Generic),
            (&file.spokespersons, HeadKind::Spokesperson),
        ] {
            for w in list {
                heads.insert(w.to_lowercase(), kind);
            }
        }
        let mut lexicon = Self {
            heads,
            determiners: set(&file.determiners),
            quantifiers: PhraseSet::new(&file.quantifiers),
            anonymity_modifiers: PhraseSet::new(&file.anonymity_modifiers),
            modifiers: PhraseSet::new(&file.modifiers),
            affiliations: PhraseSet::new(&file.affiliations),
            access: pattern_set(&file.access)?,
            clauses: pattern_set(&file.anonymity_clauses)?,
            reasons: PatternSet::new(
                file.reasons
                    .iter()
                    .map(|r| Pattern::parse(&r.pattern))
                    .collect::<Result<_, _>>()?,
            ),
            reason_boilerplate: file.reasons.iter().map(|r| r.boilerplate).collect(),
            cues: set(&file.cue_verbs),
            bridges: set(&file.bridges),
            lead_ins: pattern_set(&file.lead_ins)?,
            impersonal: {
                // "the Guardian understands", "this newspaper has learned".
                let mut list = patterns(&file.impersonal)?;
                if !file.outlets.is_empty() {
                    list.push(Pattern::parse(&format!(
                        "(the|this)? ({}) (understands|has learned|has learnt|have learned|has been told)",
                        file.outlets.join("|")
                    ))?);
                }
                PatternSet::new(list)
            },
            unique_titles: set(&file.unique_titles),
            partitive_pronoun: PatternSet::new(vec![Pattern::parse(
                "(one|two|three|some|several|another|each|both|none|all|many) of (them|those)",
            )?]),
            triggers: HashSet::default(),
            hedges: pattern_set(&file.hedges)?,
            documents: pattern_set(&file.documents)?,
            not_followed_by: map(&file.not_followed_by),
            not_preceded_by: map(&file.not_preceded_by),
            not_names: set(&file.not_names),
            abbreviations: set(&file.abbreviations),
        };
        lexicon.index_triggers();
        Ok(lexicon)
    }

    /// Fills the set of words that make a sentence worth parsing; called whenever the lists change.
    fn index_triggers(&mut self) {
        let mut t: HashSet<String> = self.heads.keys().cloned().collect();
        for set in [&self.impersonal, &self.hedges, &self.partitive_pronoun] {
            t.extend(set.starters.iter().cloned());
        }
        t.insert("another".to_owned());
        self.triggers = t;
    }

    /// Whether a sentence with this word needs the grammar: a head noun (also as the last part of
    /// "ex-official"), or the first word of an impersonal, hedge or pronoun form.
    pub fn is_trigger(&self, norm: &str) -> bool {
        self.triggers.contains(norm)
            || norm
                .rsplit_once('-')
                .is_some_and(|(_, last)| self.heads.contains_key(last))
    }

    /// Adds a config's words to the built-in lists.
    pub fn extend(&mut self, ext: &crate::config::LexiconExtension) {
        for (list, kind) in [
            (&ext.roles, HeadKind::Role),
            (&ext.bare, HeadKind::Bare),
            (&ext.spokespersons, HeadKind::Spokesperson),
        ] {
            for w in list.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
                self.heads.insert(w.to_lowercase(), kind);
            }
        }
        self.modifiers.add(&ext.modifiers);
        self.anonymity_modifiers.add(&ext.anonymity_modifiers);
        self.affiliations.add(&ext.affiliations);
        self.cues.extend(
            ext.cue_verbs
                .iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty()),
        );
        self.index_triggers();
    }

    /// Words whose presence makes a passage worth parsing: every head noun and the last word of
    /// every impersonal and hedge pattern.
    pub fn trigger_words(&self) -> Vec<String> {
        let mut words: Vec<String> = self.heads.keys().cloned().collect();
        words.extend(self.impersonal.last_required());
        words.extend(self.hedges.last_required());
        words.sort();
        words.dedup();
        words
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn built_in_lexicon_parses() {
        let lx = Lexicon::built_in();
        assert_eq!(lx.heads.get("sources"), Some(&HeadKind::Bare));
        assert_eq!(lx.heads.get("officials"), Some(&HeadKind::Role));
        assert_eq!(lx.heads.get("spokeswoman"), Some(&HeadKind::Spokesperson));
    }

    #[test]
    fn pattern_optional_and_alternatives() {
        let p = Pattern::parse("who? (spoke|speaking) on the? condition of anonymity").unwrap();
        let text = "speaking on condition of anonymity today";
        let toks = tokenize(text, 0..text.len());
        assert_eq!(p.match_at(&toks, 0, toks.len()), Some(5));
        assert!(Pattern::parse("a? b?").is_err());
        assert!(Pattern::parse("(a|b").is_err());
        let multi = Pattern::parse("spoke (privately|off the record)").unwrap();
        let text = "spoke off the record";
        let toks = tokenize(text, 0..text.len());
        assert_eq!(multi.match_at(&toks, 0, toks.len()), Some(4));
    }

    #[test]
    fn phrase_set_matches_longest_phrase_backwards() {
        let set = PhraseSet::new(&["law enforcement".into(), "enforcement".into()]);
        let text = "unnamed law enforcement officials";
        let toks = tokenize(text, 0..text.len());
        assert_eq!(set.ending_at(&toks, 3, 0), Some(1));
        assert_eq!(set.ending_at(&toks, 3, 2), Some(2));
    }
}
