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

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use rustc_hash::FxHashMap as HashMap;

use super::context::{
    access_object, cue_at, cue_follows, is_modifier_word, is_name_word, is_plain_word, is_quantity,
    lemma, named_apposition_after, named_apposition_before, passive_agent, prepositional_phrase,
    sentence_body_end,
};
use super::lexicon::{HeadKind, Lexicon};
use super::tokens::{Kind, Token, normalise};
use super::words::{class, known};
use super::{Finding, Rule, Severity, Signals, Specificity};

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
#[derive(Debug, Clone, Copy)]
struct Intro {
    group: usize,
    severity: Severity,
}

/// State carried through a document.
#[derive(Debug, Default)]
pub struct DocState {
    /// The latest source introduced under each head's singular.
    intros: HashMap<String, Intro>,
    /// The latest source introduced under any head.
    last_intro: Option<Intro>,
    next_group: usize,
    /// Flag hedges with no source ("reportedly"); off unless the config asks.
    pub hedges: bool,
}

impl DocState {
    pub fn new(hedges: bool) -> Self {
        Self {
            hedges,
            ..Self::default()
        }
    }

    fn new_group(&mut self) -> usize {
        self.next_group += 1;
        self.next_group
    }

    fn intro_for(&self, lemma: &str) -> Option<&Intro> {
        self.intros.get(lemma)
    }

    fn add_intro(&mut self, lemma: &str, intro: Intro) {
        match self.intros.get_mut(lemma) {
            Some(i) => *i = intro,
            None => {
                self.intros.insert(lemma.to_owned(), intro);
            }
        }
        self.last_intro = Some(intro);
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
            let intro = doc.last_intro.filter(|_| cue_follows(toks, end, e))?;
            let why = format!(
                "\"{}\" refers back to an earlier source",
                words(text, toks, i, end)
            );
            Some((end, Rule::Anaphora, intro.severity, why, Some(intro.group)))
        };
        let whole = fixed
            .map(|(end, rule, severity)| {
                let what = if rule == Rule::Hedge {
                    "hedge with no source"
                } else {
                    "impersonal attribution"
                };
                (
                    end,
                    rule,
                    severity,
                    format!("{what} \"{}\"", words(text, toks, i, end)),
                    None,
                )
            })
            .or_else(|| {
                // "Another, speaking anonymously, said": one more source like the last one.
                another_source(lx, toks, i, e, doc).map(|(end, rule, severity)| {
                    (
                        end,
                        rule,
                        severity,
                        "\"another\" introduces one more source like the last one".to_owned(),
                        None,
                    )
                })
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
    let intro = doc.last_intro?;
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

/// The article's own words for tokens `a..b`, with runs of whitespace folded to one space.
fn words(text: &str, toks: &[Token], a: usize, b: usize) -> String {
    let mut out = String::new();
    push_words(&mut out, text, toks, a, b);
    out
}

/// Appends the article's own words for tokens `a..b`, runs of whitespace folded to one space.
fn push_words(out: &mut String, text: &str, toks: &[Token], a: usize, b: usize) {
    for (k, word) in text[toks[a].start..toks[b - 1].end]
        .split_whitespace()
        .enumerate()
    {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// What the grammar needs to know about a head noun.
struct Head<'a> {
    kind: HeadKind,
    /// A hyphenated prefix carried modifiers ("ex-official").
    hyphen_mods: bool,
    /// …and one of them was an anonymity modifier ("unnamed-official").
    hyphen_anon: bool,
    /// The singular, so "the official" can refer back to "two officials".
    lemma: Cow<'a, str>,
    plural: bool,
}

/// The head a token is, if it is one: a head noun itself, or a hyphenated word whose last part
/// is a head and whose other parts are all modifiers.
fn head_of<'a>(lx: &'a Lexicon, text: &str, t: &Token) -> Option<Head<'a>> {
    if let Some(kind) = lx.head(t.word) {
        let lemma = lx.vocab.lemma(t.word);
        return Some(Head {
            kind,
            hyphen_mods: false,
            hyphen_anon: false,
            lemma: Cow::Borrowed(lx.vocab.text(lemma)),
            plural: lemma != t.word,
        });
    }
    if !t.has(class::HYPHEN_HEAD) {
        return None;
    }
    let norm = normalise(&text[t.start..t.end]);
    let (prefix, last) = norm.rsplit_once('-')?;
    let kind = lx.head(lx.vocab.lookup(last))?;
    let mut anon = false;
    for part in prefix.split('-') {
        let c = lx.vocab.entry(part).class;
        if c.has(class::ANONYMITY_MODIFIER) {
            anon = true;
        } else if !c.has(class::MODIFIER.with(class::AFFILIATION)) {
            return None;
        }
    }
    let singular = lemma(&norm);
    Some(Head {
        kind,
        hyphen_mods: true,
        hyphen_anon: anon,
        plural: singular != norm,
        lemma: Cow::Owned(singular),
    })
}

fn source_phrase(
    sent: &Sentence,
    i: usize,
    floor: usize,
    prev: Option<&Phrase>,
    doc: &mut DocState,
    pronoun_cue: bool,
) -> Option<(Phrase, Finding)> {
    let Sentence {
        lx,
        text,
        toks,
        s,
        e,
        ..
    } = *sent;
    let head = &toks[i];
    if !head.is_word() {
        return None;
    }
    let Head {
        kind,
        hyphen_mods,
        hyphen_anon,
        lemma,
        plural,
    } = head_of(lx, text, head)?;
    let next = toks.get(i + 1).filter(|_| i + 1 < e);

    // "official sources": the last noun of a compound is the head.
    if let Some(n) = next {
        if n.is_word() && n.has(class::HEAD) && !lx.not_preceded_by(n.word, head.word) {
            return None;
        }
        if lx.not_followed_by(head.word, n.word) {
            return None;
        }
        // "spokesman Dmitry Peskov": a name right after the head.
        if is_name_word(n) && !lx.affiliations.contains_word(n) {
            return None;
        }
    }
    if i > s && lx.not_preceded_by(head.word, toks[i - 1].word) {
        return None;
    }
    // "a senior official, John Smith, said": a name in apposition after the head.
    if next.is_some_and(|n| n.is(known::COMMA)) && named_apposition_after(toks, i + 2, e) {
        return None;
    }

    // Walk left over determiners, quantifiers, modifiers and affiliations.
    let mut j = i;
    let (mut definite, mut quantified, mut anon, mut described) =
        (false, false, hyphen_anon, hyphen_mods);
    while j > floor {
        let p = j - 1;
        let w = &toks[p];
        if w.kind != Kind::Word {
            break;
        }
        if w.has(class::DETERMINER) {
            definite = true;
            j = p;
            // "one of the people", "two of the officials": a partitive quantifier.
            if j >= floor + 2 && toks[j - 1].is(known::OF) && is_quantity(text, &toks[j - 2]) {
                j -= 2;
            }
            break;
        }
        // "Kyla's spokesman", "the company's lawyers": a possessive is a determiner.
        let shape = w.shape(text);
        if shape.possessive {
            definite = true;
            j = p;
            break;
        }
        if let Some(st) = lx.quantifiers.ending_at(toks, j, floor) {
            quantified = true;
            j = st;
            break;
        }
        if shape.digits {
            quantified = true;
            j = p;
            break;
        }
        if let Some(st) = lx.anonymity_modifiers.ending_at(toks, j, floor) {
            anon = true;
            j = st;
            continue;
        }
        if let Some(st) = lx
            .modifiers
            .ending_at(toks, j, floor)
            .or_else(|| lx.affiliations.ending_at(toks, j, floor))
        {
            described = true;
            j = st;
            continue;
        }
        // "current and former", "US and European": coordinated modifiers.
        if (w.is(known::AND) || w.is(known::OR))
            && j < i
            && p > floor
            && is_modifier_word(&toks[p - 1])
        {
            j = p;
            continue;
        }
        // "a Ministry of Justice spokesperson", "a USA Track and Field official".
        if (w.is(known::OF) || w.is(known::FOR) || w.is(known::AND) || w.is(known::AMPERSAND))
            && j < i
            && toks[j].capitalised
            && p > floor
            && is_name_word(&toks[p - 1])
        {
            j = p;
            continue;
        }
        // An organisation name used as a modifier ("a Foxconn source"), but not a capitalised
        // first word of the sentence that merely starts it.
        if is_name_word(w) && p > s {
            described = true;
            j = p;
            continue;
        }
        // A noun used as a modifier ("a tour insider", "two league sources", ", paddock sources
        // say"): one ordinary lower-case word right after a determiner, a quantifier or the start
        // of a clause.
        if !w.capitalised && is_plain_word(text, w) {
            let opens = if p > floor {
                let b = &toks[p - 1];
                !b.is_word() || b.has(class::DETERMINER) || lx.quantifiers.contains_word(b)
            } else {
                p == s
            };
            if opens {
                described = true;
                j = p;
                continue;
            }
        }
        break;
    }
    // "Mr Banda, the sources say, is leaving" is a reporting clause, not an apposition.
    let parenthetical = || {
        cue_at(toks, i + 1, e).is_some_and(|c| toks.get(c + 1).is_some_and(|t| t.is(known::COMMA)))
    };
    if j > s + 1
        && toks[j - 1].is(known::COMMA)
        && named_apposition_before(toks, s, j - 1)
        && !parenthetical()
    {
        return None;
    }
    // "its chief financial officer": a unique office is a named person, not an anonymous one.
    if toks[j.saturating_sub(1).max(s)..i]
        .iter()
        .any(|t| t.has(class::UNIQUE_TITLE))
    {
        return None;
    }

    // Post-modifiers: an access phrase with its object, or a prepositional phrase that belongs
    // to the source ("a pal of the star", "an official at the ministry"), then an anonymity clause.
    // "the Royal College of Surgeons", "the Tigers": a capitalised person noun inside a
    // sentence is part of a name.
    if kind == HeadKind::Person && head.capitalised && i > s && toks[i - 1].is_word() {
        return None;
    }
    let mut k = i + 1;
    let mut access = false;
    let mut clause_cue = false;
    let mut attached = false;
    if let Some(end) = lx.access.match_at(toks, k, e) {
        let obj_end = access_object(toks, end, e);
        if obj_end > end {
            access = true;
            k = obj_end;
        }
    } else if let Some(pp_end) = prepositional_phrase(toks, k, e) {
        let c = if pp_end < e && toks[pp_end].is(known::COMMA) {
            pp_end + 1
        } else {
            pp_end
        };
        let clause_next = lx.clauses.match_at(toks, c, e).is_some();
        if clause_next || cue_follows(toks, pp_end, e) {
            k = pp_end;
            attached = true;
        }
    } else if lx.clauses.match_at(toks, k, e).is_some() {
        // An anonymity clause ("who spoke on condition of anonymity") is read below.
    } else if let Some((end, cue)) = attached_clause(sent, k) {
        k = end;
        clause_cue = cue;
        attached = true;
    }
    // "a commander of the northern forces, Ali Khan, said": named after its post-modifier,
    // whether or not the phrase took the post-modifier in.
    let after_post = if attached {
        Some(k)
    } else {
        prepositional_phrase(toks, i + 1, e)
    };
    if after_post.is_some_and(|p| p < e && toks[p].is(known::COMMA))
        && named_apposition_after(toks, after_post.unwrap_or(k) + 1, e)
    {
        return None;
    }
    let mut clause = false;
    let comma = k < e && toks[k].is(known::COMMA);
    let clause_start = if comma { k + 1 } else { k };
    if let Some(end) = lx.clauses.match_at(toks, clause_start, e) {
        clause = true;
        // "The people spoke on condition of anonymity": a clause that is the sentence's own verb
        // is evidence of anonymity but not part of the phrase.
        let predicate = !comma && toks[clause_start].has(class::FINITE_CLAUSE_START);
        if comma {
            // A clause set off by commas is part of the phrase up to its closing comma, reason and
            // all (", who spoke on condition of anonymity to discuss planning,").
            k = (end..e)
                .find(|&c| toks[c].is(known::COMMA))
                .unwrap_or_else(|| sentence_body_end(toks, end, e));
        } else if !predicate {
            k = end;
        }
    }
    let reason = sent.reason_after(i);

    // Attribution cues.
    let passive = j > s + 1 && passive_agent(toks, s, j - 1);
    let lead_in = lx.lead_ins.ends_at(toks, s, j) || passive;
    // "…, said a senior official." — but in "said the minister would resign" the phrase is the
    // subject of the reported clause, so the phrase must end the clause.
    let cue_before = j > s
        && toks[j - 1].has(class::CUE)
        // "the alleged source", "the suspected arsonists": an adjective, not a cue.
        && !(j > s + 1 && toks[j - 2].has(class::DETERMINER.with(class::QUANTIFIER)))
        // A person noun after its verb only in inverted attribution: `…," said a driver`.
        && (kind != HeadKind::Person
            || (j > s + 1 && (toks[j - 2].is(known::COMMA) || toks[j - 2].is(known::QUOTE))))
        && ![known::TOLD, known::TELL, known::TELLS, known::ACCORDING].contains(&toks[j - 1].word)
        && (k == e
            || [
                known::COMMA,
                known::FULL_STOP,
                known::SEMICOLON,
                known::COLON,
                known::EXCLAMATION,
                known::QUESTION,
                known::QUOTE,
                known::CLOSE_PAREN,
            ]
            .contains(&toks[k].word));
    let coordinated = j > s
        && (toks[j - 1].is(known::AND) || toks[j - 1].is(known::OR))
        && prev.is_some_and(|p| p.end_tok == j - 1 && (p.lead_in || p.cue_before));
    let cue_after = clause_cue || cue_follows(toks, k, e);
    let cue_adjacent = lead_in || cue_before || coordinated || cue_after || pronoun_cue;

    // "the official said": a later mention of a source introduced earlier.
    let referent = (definite && !described && !anon)
        .then(|| doc.intro_for(&lemma).map(|r| (r.group, r.severity)))
        .flatten();
    let anaphora = referent.is_some() && cue_adjacent;

    // "the foreign minister", "Australian foreign minister": one office, so a named person.
    if head.has(class::OFFICE) && !plural && (definite || !quantified) && !anon && !clause {
        return None;
    }
    let flagged = match kind {
        HeadKind::Spokesperson => cue_adjacent,
        // A person noun proves nothing alone: a reporting verb must be beside it, and a single
        // definite one ("the man said", "her mother told") is taken to be a named person
        // unless it refers back to an anonymous one.
        HeadKind::Person => {
            if clause {
                true
            } else if definite && !plural {
                anaphora
            } else if !definite && !quantified && !plural {
                false
            } else {
                cue_adjacent
            }
        }
        // "people at the training ground say", "a person who saw the crash said".
        HeadKind::Generic => {
            anon || clause || (access && sent.cue()) || anaphora || (attached && cue_after)
        }
        HeadKind::Role | HeadKind::Bare => {
            if anon || clause {
                true
            } else if access {
                sent.cue()
            } else if !described && definite {
                // Without an anonymous source to refer back to, "the official said" is taken to
                // mean a named person; "the source said" is anonymous by its very word.
                anaphora || (cue_adjacent && kind == HeadKind::Bare)
            } else {
                cue_adjacent
            }
        }
    };
    if !flagged {
        return None;
    }

    let bare = matches!(kind, HeadKind::Bare | HeadKind::Generic) && !described;
    let specificity = if access {
        Specificity::RoleWithAccess
    } else if described {
        Specificity::AffiliatedRole
    } else if bare {
        Specificity::Bare
    } else {
        Specificity::GenericRole
    };
    let (rule, severity, group) = match referent.filter(|_| !access && !clause) {
        // A later mention shares its source's group and severity.
        Some((group, severity)) => (
            if kind == HeadKind::Spokesperson {
                Rule::Spokesperson
            } else {
                Rule::Anaphora
            },
            severity,
            group,
        ),
        None => {
            let severity = if kind == HeadKind::Spokesperson || access || reason.is_some() {
                Severity::Low
            } else if bare {
                Severity::High
            } else {
                Severity::Medium
            };
            let rule = if kind == HeadKind::Spokesperson {
                Rule::Spokesperson
            } else if clause {
                Rule::Clause
            } else if access {
                Rule::Access
            } else if passive {
                Rule::Passive
            } else if pronoun_cue && !cue_after && !lead_in && !cue_before {
                Rule::Pronoun
            } else if lead_in || coordinated {
                Rule::AccordingTo
            } else if bare && !anon && !definite && !quantified && plural {
                Rule::Impersonal
            } else {
                Rule::Descriptor
            };
            let group = referent.map_or_else(|| doc.new_group(), |(group, _)| group);
            (rule, severity, group)
        }
    };

    let mut why = String::with_capacity(96);
    why.push_str("head \"");
    push_words(&mut why, text, toks, i, i + 1);
    why.push('"');
    if j < i {
        why.push_str(", described as \"");
        push_words(&mut why, text, toks, j, i);
        why.push('"');
    }
    if access {
        why.push_str(", access phrase");
    }
    if clause {
        why.push_str(", anonymity clause");
    }
    if let Some(boilerplate) = reason {
        why.push_str(if boilerplate {
            ", boilerplate reason"
        } else {
            ", reason stated"
        });
    }
    if passive {
        why.push_str(", agent of a passive reporting verb");
    } else if lead_in || coordinated {
        why.push_str(", introduced by according to/citing");
    } else if cue_before || cue_after {
        why.push_str(", reporting verb");
    } else if pronoun_cue {
        why.push_str(", the reporting verb of a pronoun that refers to it");
    }
    if referent.is_some() {
        why.push_str(", refers back to an earlier source");
    }
    if referent.is_none() {
        doc.add_intro(&lemma, Intro { group, severity });
    }
    let finding = Finding {
        start: toks[j].start,
        end: toks[k - 1].end,
        rule,
        severity,
        why,
        group,
        signals: sent.signals(specificity, plural, reason),
    };
    let phrase = Phrase {
        end_tok: k,
        lead_in: lead_in || coordinated,
        cue_before,
    };
    Some((phrase, finding))
}
