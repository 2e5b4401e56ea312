//! The phrase grammar, applied to one sentence at a time:
//!
//! ```text
//! SOURCE := [QUANT "of"] [DET | QUANT | POSSESSIVE] (MOD | AFFIL | ORG | NOUN | "and")* HEAD
//!           [ACCESS OBJECT | PP] [","? ANON_CLAUSE]
//! ```
//!
//! A head noun alone proves nothing ("the covert source" is a spy, "official figures" are numbers),
//! so a phrase only becomes a finding when it carries its own evidence of anonymity (an anonymity
//! modifier or clause, an access phrase) or an attribution cue says it is giving information. How
//! close that cue must be depends on how specific the phrase is; docs/detection.md has the table.

use std::cell::{Cell, OnceCell, RefCell};

use rustc_hash::FxHashMap as HashMap;

use super::context::{
    access_object, cue_at, cue_follows, is_modifier_word, is_name_word, is_plain_word, is_quantity,
    lemma, named_apposition_after, named_apposition_before, passive_agent, prepositional_phrase,
    sentence_body_end,
};
use super::lexicon::{HeadKind, Lexicon};
use super::tokens::{Kind, Token, normalise};
use super::why::{Cue, Facts, Why, Words};
use super::words::{Word, class, known};
use super::{Finding, Rule, Severity, Signals, Specificity};

mod head;
mod phrase;
use head::*;
use phrase::*;

/// First words of an anonymity clause that, straight after the head, make it the main verb.
pub(super) const FINITE_CLAUSE_STARTS: &[&str] = &[
    "spoke",
    "talked",
    "asked",
    "requested",
    "declined",
    "refused",
    "was",
    "were",
    "is",
    "are",
    "did",
    "does",
    "do",
];

/// An anonymous source introduced earlier, that a later "the official said" can refer back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::detect) struct Intro {
    pub group: usize,
    pub severity: Severity,
}

/// One exchange between a sentence's analysis and the document's state, kept while a chunk of a
/// large draft is analysed apart from the chunks before it (`detect::split` replays them).
#[derive(Debug, Clone)]
pub(in crate::detect) enum Event {
    /// Asked for the latest source under a head's singular (or, with `None`, under any head),
    /// and got this answer.
    Read(Option<Lemma>, Option<Intro>),
    /// Introduced a source under a head's singular.
    Wrote(Lemma, Intro),
    /// Numbered a new group.
    NewGroup(usize),
}

/// A head's singular, as the state keys it: the word's number when the vocabulary knows it
/// (nearly always), so a dense draft's tens of thousands of logged exchanges allocate nothing
/// and the state hashes a number, not a string. A singular the vocabulary does not know
/// ("ex-spokesmen" made singular) keeps its text; a known one never does, so each
/// singular has one key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(in crate::detect) enum Lemma {
    Known(Word),
    Other(Box<str>),
}

impl Lemma {
    pub(super) fn of(lx: &Lexicon, singular: &str) -> Self {
        match lx.vocab.lookup(singular) {
            Word::UNKNOWN => Lemma::Other(singular.into()),
            w => Lemma::Known(w),
        }
    }
}

/// State carried through a document.
#[derive(Debug, Default)]
pub struct DocState {
    /// The latest source introduced under each head's singular.
    intros: HashMap<Lemma, Intro>,
    /// The latest source introduced under any head.
    last_intro: Option<Intro>,
    next_group: usize,
    /// Flag hedges with no source ("reportedly"); off unless the config asks.
    pub hedges: bool,
    /// Every read and write, when the analysis is speculative (`DocState::recording`).
    log: Option<RefCell<Vec<Event>>>,
}

impl DocState {
    pub fn new(hedges: bool) -> Self {
        Self {
            hedges,
            ..Self::default()
        }
    }

    /// A state that starts empty and logs every exchange, for a chunk analysed before the
    /// chunks ahead of it are known.
    pub(in crate::detect) fn recording(hedges: bool, room: usize) -> Self {
        Self {
            hedges,
            log: Some(RefCell::new(Vec::with_capacity(room))),
            ..Self::default()
        }
    }

    fn note(&self, event: impl FnOnce() -> Event) {
        if let Some(log) = &self.log {
            log.borrow_mut().push(event());
        }
    }

    /// How many exchanges are logged so far.
    pub(in crate::detect) fn logged(&self) -> usize {
        self.log.as_ref().map_or(0, |l| l.borrow().len())
    }

    pub(in crate::detect) fn take_log(&mut self) -> Vec<Event> {
        self.log.take().map(RefCell::into_inner).unwrap_or_default()
    }

    /// How many groups are numbered so far.
    pub(in crate::detect) fn groups(&self) -> usize {
        self.next_group
    }

    pub(in crate::detect) fn new_group(&mut self) -> usize {
        self.next_group += 1;
        let group = self.next_group;
        self.note(|| Event::NewGroup(group));
        group
    }

    /// The latest source under `lemma`, or under any head; not logged.
    pub(in crate::detect) fn peek(&self, lemma: Option<&Lemma>) -> Option<Intro> {
        match lemma {
            Some(l) => self.intros.get(l).copied(),
            None => self.last_intro,
        }
    }

    fn intro_for(&self, lemma: &Lemma) -> Option<Intro> {
        let found = self.intros.get(lemma).copied();
        self.note(|| Event::Read(Some(lemma.clone()), found));
        found
    }

    fn last_intro(&self) -> Option<Intro> {
        self.note(|| Event::Read(None, self.last_intro));
        self.last_intro
    }

    pub(in crate::detect) fn add_intro(&mut self, lemma: &Lemma, intro: Intro) {
        match self.intros.get_mut(lemma) {
            Some(i) => *i = intro,
            None => {
                self.intros.insert(lemma.clone(), intro);
            }
        }
        self.last_intro = Some(intro);
        self.note(|| Event::Wrote(lemma.clone(), intro));
    }
}

/// What a later phrase needs to know about the previous one ("according to X and Y").
struct Phrase {
    end_tok: usize,
    lead_in: bool,
    cue_before: bool,
}

/// One sentence, and what is true of all of it (worked out only when a phrase asks).
struct Sentence<'a> {
    lx: &'a Lexicon,
    text: &'a str,
    toks: &'a [Token],
    s: usize,
    e: usize,
    cue: OnceCell<bool>,
    quote: OnceCell<bool>,
    document: OnceCell<bool>,
    /// How far the search for a reason for anonymity has got, and the reason found there (its
    /// start and whether it is boilerplate). Phrases ask in order, so each token is looked at
    /// once per sentence.
    reason: Cell<(usize, Option<(usize, bool)>)>,
}

impl Sentence<'_> {
    fn cue(&self) -> bool {
        let Self { lx, toks, s, e, .. } = *self;
        *self.cue.get_or_init(|| {
            (s..e).any(|i| toks[i].has(class::CUE) || lx.lead_ins.match_at(toks, i, e).is_some())
        })
    }

    fn quote(&self) -> bool {
        *self
            .quote
            .get_or_init(|| self.toks[self.s..self.e].iter().any(|t| t.is(known::QUOTE)))
    }

    fn document(&self) -> bool {
        let Self { lx, toks, s, e, .. } = *self;
        *self
            .document
            .get_or_init(|| (s..e).any(|i| lx.documents.match_at(toks, i, e).is_some()))
    }

    /// The first reason for anonymity after token `i`: whether it is boilerplate. `i` never
    /// decreases from one call to the next.
    fn reason_after(&self, i: usize) -> Option<bool> {
        let Self { lx, toks, e, .. } = *self;
        let (mut next, found) = self.reason.get();
        if let Some((r, boilerplate)) = found
            && r > i
        {
            return Some(boilerplate);
        }
        next = next.max(i + 1);
        let found = (next..e).find_map(|r| {
            lx.reasons
                .first_at(toks, r, e)
                .map(|(n, _)| (r, lx.reason_boilerplate[n]))
        });
        let scanned = found.map_or(e, |(r, _)| r + 1);
        self.reason.set((scanned, found));
        found.map(|(_, boilerplate)| boilerplate)
    }

    fn signals(&self, specificity: Specificity, plural: bool, reason: Option<bool>) -> Signals {
        Signals {
            specificity,
            reason_stated: reason.is_some(),
            reason_boilerplate: reason == Some(true),
            direct_quote: self.quote(),
            plural,
            document: self.document(),
            declined_to_comment: false,
        }
    }
}

pub fn analyze_sentence(
    lx: &Lexicon,
    text: &str,
    toks: &[Token],
    s: usize,
    e: usize,
    doc: &mut DocState,
    out: &mut Vec<Finding>,
) {
    if !toks[s..e]
        .iter()
        .any(|t| t.is_word() && t.has(class::TRIGGER.with(class::HYPHEN_HEAD)))
    {
        return;
    }
    let sent = Sentence {
        lx,
        text,
        toks,
        s,
        e,
        cue: OnceCell::new(),
        quote: OnceCell::new(),
        document: OnceCell::new(),
        reason: Cell::new((s, None)),
    };
    // Only these words can start a finding; every other token is passed over at the cost of
    // one bit test.
    let mut starts = class::STARTS_IMPERSONAL
        .with(class::STARTS_PARTITIVE)
        .with(class::HEAD)
        .with(class::HYPHEN_HEAD);
    if doc.hedges {
        starts |= class::STARTS_HEDGE;
    }
    let mut floor = s;
    let mut prev: Option<Phrase> = None;
    let mut i = s;
    while i < e {
        if !toks[i].has(starts) {
            // "U.S. officials have never acknowledged the strikes, but privately they have
            // confirmed them": a pronoun's cue makes its antecedent the source.
            if let Some(found) = antecedent(&sent, i, floor, prev.as_ref(), doc) {
                out.push(found.1);
                floor = i + 1;
                prev = Some(found.0);
            }
            i += 1;
            continue;
        }
        let fixed = lx
            .impersonal
            .match_at(toks, i, e)
            .map(|end| (end, Rule::Impersonal, Severity::High))
            .or_else(|| {
                doc.hedges
                    .then(|| lx.hedges.match_at(toks, i, e))
                    .flatten()
                    .map(|end| (end, Rule::Hedge, Severity::Low))
            });
        // Phrases that are a finding by themselves: impersonal forms and hedges, "another", and
        // "one of them" (which joins the last source's group).
        let pronoun = || {
            let end = lx.partitive_pronoun.match_at(toks, i, e)?;
            let intro = doc.last_intro().filter(|_| cue_follows(toks, end, e))?;
            Some((
                end,
                Rule::Anaphora,
                intro.severity,
                Why::RefersBack,
                Some(intro.group),
            ))
        };
        let whole = fixed
            .map(|(end, rule, severity)| {
                let why = if rule == Rule::Hedge {
                    Why::Hedge
                } else {
                    Why::Impersonal
                };
                (end, rule, severity, why, None)
            })
            .or_else(|| {
                // "Another, speaking anonymously, said": one more source like the last one.
                another_source(lx, toks, i, e, doc)
                    .map(|(end, rule, severity)| (end, rule, severity, Why::Another, None))
            })
            .or_else(pronoun);
        if let Some((end, rule, severity, why, group)) = whole {
            let group = group.unwrap_or_else(|| doc.new_group());
            out.push(Finding {
                start: toks[i].start,
                end: toks[end - 1].end,
                rule,
                severity,
                why,
                group,
                signals: sent.signals(Specificity::Bare, false, None),
            });
            floor = end;
            i = end;
            continue;
        }
        if let Some((phrase, finding)) = source_phrase(&sent, i, floor, prev.as_ref(), doc, false) {
            out.push(finding);
            floor = phrase.end_tok;
            i = phrase.end_tok;
            prev = Some(phrase);
            continue;
        }
        i += 1;
    }
}

/// When token `i` is a personal pronoun with a reporting verb after it, the source its nearest
/// person noun earlier in the sentence makes ("the villagers … but they told").
fn antecedent(
    sent: &Sentence,
    i: usize,
    floor: usize,
    prev: Option<&Phrase>,
    doc: &mut DocState,
) -> Option<(Phrase, Finding)> {
    let toks = sent.toks;
    let t = &toks[i];
    let plural = if t.is(known::THEY) {
        true
    } else if t.is(known::HE) || t.is(known::SHE) {
        false
    } else {
        return None;
    };
    if !cue_follows(toks, i + 1, sent.e) {
        return None;
    }
    let h = (floor..i).rev().find_map(|h| {
        let head = head_of(sent.lx, sent.text, &toks[h])?;
        (head.plural == plural
            && !(h + 1 < i && toks[h + 1].has(class::HEAD))
            && !toks[h + 1..i]
                .iter()
                .any(|w| is_name_word(w) || w.has(class::HEAD)))
        .then_some(h)
    })?;
    source_phrase(sent, h, floor, prev, doc, true)
}

/// "Another said …" or "Another, speaking anonymously, said …" after an anonymous source: the
/// end of the phrase, its rule and the last source's severity.
fn another_source(
    lx: &Lexicon,
    toks: &[Token],
    i: usize,
    e: usize,
    doc: &DocState,
) -> Option<(usize, Rule, Severity)> {
    if !toks[i].is(known::ANOTHER) || i + 1 >= e {
        return None;
    }
    let intro = doc.last_intro()?;
    let comma = toks[i + 1].is(known::COMMA);
    let after = if comma { i + 2 } else { i + 1 };
    match lx.clauses.match_at(toks, after, e) {
        Some(c) if comma => {
            let end = (c..e)
                .find(|&x| toks[x].is(known::COMMA))
                .unwrap_or_else(|| sentence_body_end(toks, c, e));
            Some((end, Rule::Clause, intro.severity))
        }
        Some(c) => Some((c, Rule::Clause, intro.severity)),
        None if !comma && cue_follows(toks, i + 1, e) => {
            Some((i + 1, Rule::Descriptor, intro.severity))
        }
        None => None,
    }
}

/// A clause attached to a head before its reporting verb: a relative ("a resident who saw the
/// crash said") or a participle ("officials travelling with the minister said"). Its end and
/// whether a reporting verb follows it; without one, the clause counts only when it ends the
/// sentence's clause, for "…, said a driver waiting at the rank."
fn attached_clause(sent: &Sentence, k: usize) -> Option<(usize, bool)> {
    let Sentence { text, toks, e, .. } = *sent;
    let first = toks.get(k).filter(|_| k + 1 < e)?;
    let relative = first.is(known::WHO);
    // "officials travelling with the minister", never "sources verifying the claims".
    let participle = first.is_word()
        && !first.has(class::CUE.with(class::HEAD))
        && first.shape(text).progressive
        && toks[k + 1].has(class::PREPOSITION);
    if !relative && !participle {
        return None;
    }
    // "officials who said": the clause's own verb is the cue.
    if relative && cue_follows(toks, k + 1, e) {
        return Some((k, true));
    }
    for q in k + 1..e.min(k + 16) {
        let t = &toks[q];
        if t.is(known::COMMA) {
            return cue_follows(toks, q + 1, e).then_some((q, true));
        }
        if !t.is_word() {
            return Some((q, false));
        }
        // "an alleged bombing" is an adjective, "were told" a passive: neither is the cue.
        if t.has(class::CUE.with(class::BRIDGE).with(class::AUX_BE))
            && !toks[q - 1].has(
                class::AUX_BE
                    .with(class::DETERMINER)
                    .with(class::QUANTIFIER),
            )
            && cue_follows(toks, q, e)
        {
            return Some((q, true));
        }
    }
    None
}

/// Where tokens `a..b` are in a source that starts at `base`, for a [`Why`] to show them.
fn span(toks: &[Token], base: usize, a: usize, b: usize) -> Words {
    Words::within(base, toks[a].start, toks[b - 1].end)
}
