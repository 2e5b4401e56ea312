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

use super::context::{
    access_object, cue_follows, is_modifier_word, is_name_word, is_plain_word, is_plural,
    is_quantity, lemma, named_apposition_after, named_apposition_before, prepositional_phrase,
    sentence_body_end,
};
use super::lexicon::{HeadKind, Lexicon};
use super::tokens::{Kind, Token};
use super::{Finding, Rule, Severity, Signals, Specificity};

/// First words of an anonymity clause that, straight after the head, make it the main verb.
const FINITE_CLAUSE_STARTS: &[&str] = &[
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
#[derive(Debug)]
struct Intro {
    lemma: String,
    group: usize,
    severity: Severity,
}

/// State carried through a document.
#[derive(Debug, Default)]
pub struct DocState {
    intros: Vec<Intro>,
    next_group: usize,
    /// Flag hedges with no source ("reportedly"); off unless the config asks.
    pub hedges: bool,
    /// The draft says someone "declined to comment" (a signal on every finding).
    pub declined_to_comment: bool,
}

impl DocState {
    pub fn new(hedges: bool, declined_to_comment: bool) -> Self {
        Self {
            hedges,
            declined_to_comment,
            ..Self::default()
        }
    }

    fn new_group(&mut self) -> usize {
        self.next_group += 1;
        self.next_group
    }

    fn intro_for(&self, lemma: &str) -> Option<&Intro> {
        self.intros.iter().rev().find(|i| i.lemma == lemma)
    }
}

/// What a later phrase needs to know about the previous one ("according to X and Y").
struct Phrase {
    end_tok: usize,
    lead_in: bool,
    cue_before: bool,
}

/// One sentence and what is true of all of it.
struct Sentence<'a> {
    lx: &'a Lexicon,
    text: &'a str,
    toks: &'a [Token],
    s: usize,
    e: usize,
    cue: bool,
    quote: bool,
    document: bool,
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
        .any(|t| t.is_word() && lx.is_trigger(&t.norm))
    {
        return;
    }
    let sent = Sentence {
        lx,
        text,
        toks,
        s,
        e,
        cue: (s..e)
            .any(|i| lx.cues.contains(&toks[i].norm) || lx.lead_ins.match_at(toks, i, e).is_some()),
        quote: toks[s..e].iter().any(|t| t.is("\"")),
        document: (s..e).any(|i| lx.documents.match_at(toks, i, e).is_some()),
    };
    let mut floor = s;
    let mut prev: Option<Phrase> = None;
    let mut i = s;
    while i < e {
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
            let intro = doc
                .intros
                .last()
                .filter(|_| cue_follows(lx, toks, end, e))?;
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
                signals: sent.signals(Specificity::Bare, false, None, doc),
            });
            floor = end;
            i = end;
            continue;
        }
        if let Some((phrase, finding)) = source_phrase(&sent, i, floor, prev.as_ref(), doc) {
            out.push(finding);
            floor = phrase.end_tok;
            i = phrase.end_tok;
            prev = Some(phrase);
            continue;
        }
        i += 1;
    }
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
    if !toks[i].is("another") || i + 1 >= e {
        return None;
    }
    let intro = doc.intros.last()?;
    let comma = toks[i + 1].is(",");
    let after = if comma { i + 2 } else { i + 1 };
    match lx.clauses.match_at(toks, after, e) {
        Some(c) if comma => {
            let end = (c..e)
                .find(|&x| toks[x].is(","))
                .unwrap_or_else(|| sentence_body_end(toks, c, e));
            Some((end, Rule::Clause, intro.severity))
        }
        Some(c) => Some((c, Rule::Clause, intro.severity)),
        None if !comma && cue_follows(lx, toks, i + 1, e) => {
            Some((i + 1, Rule::Descriptor, intro.severity))
        }
        None => None,
    }
}

impl Sentence<'_> {
    fn signals(
        &self,
        specificity: Specificity,
        plural: bool,
        reason: Option<bool>,
        doc: &DocState,
    ) -> Signals {
        Signals {
            specificity,
            reason_stated: reason.is_some(),
            reason_boilerplate: reason == Some(true),
            direct_quote: self.quote,
            plural,
            document: self.document,
            declined_to_comment: doc.declined_to_comment,
        }
    }
}

/// The article's own words for tokens `a..b`, with runs of whitespace folded to one space.
fn words(text: &str, toks: &[Token], a: usize, b: usize) -> String {
    text[toks[a].start..toks[b - 1].end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The head's kind, and whether a hyphenated prefix carried modifiers ("ex-official").
fn head_kind(lx: &Lexicon, norm: &str) -> Option<(HeadKind, bool, bool)> {
    if let Some(&k) = lx.heads.get(norm) {
        return Some((k, false, false));
    }
    let (prefix, last) = norm.rsplit_once('-')?;
    let &kind = lx.heads.get(last)?;
    let mut anon = false;
    for part in prefix.split('-') {
        if lx.anonymity_modifiers.contains_word(part) {
            anon = true;
        } else if !(lx.modifiers.contains_word(part) || lx.affiliations.contains_word(part)) {
            return None;
        }
    }
    Some((kind, true, anon))
}

fn source_phrase(
    sent: &Sentence,
    i: usize,
    floor: usize,
    prev: Option<&Phrase>,
    doc: &mut DocState,
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
    let (kind, hyphen_mods, hyphen_anon) = head_kind(lx, &head.norm)?;
    let next = toks.get(i + 1).filter(|_| i + 1 < e);

    // "official sources": the last noun of a compound is the head.
    if let Some(n) = next {
        if n.is_word()
            && lx.heads.contains_key(&n.norm)
            && !lx
                .not_preceded_by
                .get(&n.norm)
                .is_some_and(|b| b.contains(&head.norm))
        {
            return None;
        }
        if lx
            .not_followed_by
            .get(&head.norm)
            .is_some_and(|b| b.contains(&n.norm))
        {
            return None;
        }
        // "spokesman Dmitry Peskov": a name right after the head.
        if is_name_word(lx, n) && !lx.affiliations.contains_word(&n.norm) {
            return None;
        }
    }
    if i > s
        && lx
            .not_preceded_by
            .get(&head.norm)
            .is_some_and(|b| b.contains(&toks[i - 1].norm))
    {
        return None;
    }
    // "a senior official, John Smith, said": a name in apposition after the head.
    if next.is_some_and(|n| n.is(",")) && named_apposition_after(lx, toks, i + 2, e) {
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
        if lx.determiners.contains(&w.norm) {
            definite = true;
            j = p;
            // "one of the people", "two of the officials": a partitive quantifier.
            if j >= floor + 2 && toks[j - 1].is("of") && is_quantity(lx, &toks[j - 2]) {
                j -= 2;
            }
            break;
        }
        // "Kyla's spokesman", "the company's lawyers": a possessive is a determiner.
        if w.norm.ends_with("'s") || (w.norm.ends_with("s'") && w.norm.len() > 2) {
            definite = true;
            j = p;
            break;
        }
        if let Some(st) = lx.quantifiers.ending_at(toks, j, floor) {
            quantified = true;
            j = st;
            break;
        }
        if w.norm.chars().all(|c| c.is_ascii_digit()) {
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
        if (w.is("and") || w.is("or")) && j < i && p > floor && is_modifier_word(lx, &toks[p - 1]) {
            j = p;
            continue;
        }
        // "a Ministry of Justice spokesperson", "a USA Track and Field official".
        if (w.is("of") || w.is("for") || w.is("and") || w.is("&"))
            && j < i
            && toks[j].capitalised
            && p > floor
            && is_name_word(lx, &toks[p - 1])
        {
            j = p;
            continue;
        }
        // An organisation name used as a modifier ("a Foxconn source"), but not a capitalised
        // first word of the sentence that merely starts it.
        if is_name_word(lx, w) && p > s {
            described = true;
            j = p;
            continue;
        }
        // A noun used as a modifier ("a tour insider", "two league sources", ", paddock sources
        // say"): one ordinary lower-case word right after a determiner, a quantifier or the start
        // of a clause.
        if !w.capitalised && is_plain_word(lx, w) {
            let opens = if p > floor {
                let b = &toks[p - 1];
                !b.is_word()
                    || lx.determiners.contains(&b.norm)
                    || lx.quantifiers.contains_word(&b.norm)
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
    if j > s + 1 && toks[j - 1].is(",") && named_apposition_before(lx, toks, s, j - 1) {
        return None;
    }
    // "its chief financial officer": a unique office is a named person, not an anonymous one.
    if toks[j.saturating_sub(1).max(s)..i]
        .iter()
        .any(|t| lx.unique_titles.contains(&t.norm))
    {
        return None;
    }

    // Post-modifiers: an access phrase with its object, or a prepositional phrase that belongs
    // to the source ("a pal of the star", "an official at the ministry"), then an anonymity clause.
    let mut k = i + 1;
    let mut access = false;
    if let Some(end) = lx.access.match_at(toks, k, e) {
        let obj_end = access_object(lx, toks, end, e);
        if obj_end > end {
            access = true;
            k = obj_end;
        }
    } else if let Some(pp_end) = prepositional_phrase(lx, toks, k, e) {
        let c = if pp_end < e && toks[pp_end].is(",") {
            pp_end + 1
        } else {
            pp_end
        };
        let clause_next = lx.clauses.match_at(toks, c, e).is_some();
        if clause_next || cue_follows(lx, toks, pp_end, e) {
            k = pp_end;
        }
    }
    let mut clause = false;
    let comma = k < e && toks[k].is(",");
    let clause_start = if comma { k + 1 } else { k };
    if let Some(end) = lx.clauses.match_at(toks, clause_start, e) {
        clause = true;
        // "The people spoke on condition of anonymity": a clause that is the sentence's own verb
        // is evidence of anonymity but not part of the phrase.
        let predicate = !comma && FINITE_CLAUSE_STARTS.contains(&toks[clause_start].norm.as_str());
        if comma {
            // A clause set off by commas is part of the phrase up to its closing comma, reason and
            // all (", who spoke on condition of anonymity to discuss planning,").
            k = (end..e)
                .find(|&c| toks[c].is(","))
                .unwrap_or_else(|| sentence_body_end(toks, end, e));
        } else if !predicate {
            k = end;
        }
    }
    let reason = (i + 1..e).find_map(|r| {
        lx.reasons
            .first_at(toks, r, e)
            .map(|(n, _)| lx.reason_boilerplate[n])
    });

    // Attribution cues.
    let lead_in = lx.lead_ins.ends_at(toks, s, j);
    // "…, said a senior official." — but in "said the minister would resign" the phrase is the
    // subject of the reported clause, so the phrase must end the clause.
    let cue_before = j > s
        && lx.cues.contains(&toks[j - 1].norm)
        && !matches!(
            toks[j - 1].norm.as_str(),
            "told" | "tell" | "tells" | "according"
        )
        && (k == e
            || matches!(
                toks[k].norm.as_str(),
                "," | "." | ";" | ":" | "!" | "?" | "\"" | ")"
            ));
    let coordinated = j > s
        && (toks[j - 1].is("and") || toks[j - 1].is("or"))
        && prev.is_some_and(|p| p.end_tok == j - 1 && (p.lead_in || p.cue_before));
    let cue_after = cue_follows(lx, toks, k, e);
    let cue_adjacent = lead_in || cue_before || coordinated || cue_after;

    // "the official said": a later mention of a source introduced earlier.
    let lemma = lemma(&head.norm);
    let referent = (definite && !described && !anon)
        .then(|| doc.intro_for(&lemma).map(|r| (r.group, r.severity)))
        .flatten();
    let anaphora = referent.is_some() && cue_adjacent;

    let flagged = match kind {
        HeadKind::Spokesperson => cue_adjacent,
        HeadKind::Generic => anon || clause || (access && sent.cue) || anaphora,
        HeadKind::Role | HeadKind::Bare => {
            if anon || clause {
                true
            } else if access {
                sent.cue
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
            } else if lead_in || coordinated {
                Rule::AccordingTo
            } else if bare && !anon && !definite && !quantified && is_plural(&head.norm) {
                Rule::Impersonal
            } else {
                Rule::Descriptor
            };
            let group = referent.map_or_else(|| doc.new_group(), |(group, _)| group);
            (rule, severity, group)
        }
    };

    let mut why = format!("head \"{}\"", words(text, toks, i, i + 1));
    if j < i {
        why.push_str(&format!(", described as \"{}\"", words(text, toks, j, i)));
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
    if lead_in || coordinated {
        why.push_str(", introduced by according to/citing");
    } else if cue_before || cue_after {
        why.push_str(", reporting verb");
    }
    if referent.is_some() {
        why.push_str(", refers back to an earlier source");
    }
    if referent.is_none() {
        doc.intros.push(Intro {
            lemma,
            group,
            severity,
        });
    }
    let finding = Finding {
        start: toks[j].start,
        end: toks[k - 1].end,
        rule,
        severity,
        why,
        group,
        signals: sent.signals(specificity, is_plural(&head.norm), reason, doc),
    };
    let phrase = Phrase {
        end_tok: k,
        lead_in: lead_in || coordinated,
        cue_before,
    };
    Some((phrase, finding))
}
