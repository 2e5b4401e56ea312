//! One source phrase: its head, how far it reaches left and right, whether a cue makes it a source, and its rule, severity and explanation.

use super::*;

pub(super) fn source_phrase(
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
    if !head_stands(sent, i) {
        return None;
    }
    let Left {
        start: j,
        definite,
        quantified,
        anon,
        described,
    } = left_edge(sent, i, floor, hyphen_anon, hyphen_mods);
    if named_before(sent, i, j) {
        return None;
    }
    // "the Royal College of Surgeons", "the Tigers": a capitalised person noun inside a
    // sentence is part of a name.
    if kind == HeadKind::Person && head.capitalised && i > s && toks[i - 1].is_word() {
        return None;
    }
    let Right {
        end: k,
        access,
        clause,
        clause_cue,
        attached,
    } = right_edge(sent, i)?;

    // Attribution cues.
    let passive = j > s + 1 && passive_agent(toks, s, j - 1);
    let lead_in = lx.lead_ins.ends_at(toks, s, j) || passive;
    let cue_before = cue_before(sent, j, k, kind);
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
    let mut found = Found {
        kind,
        i,
        j,
        access,
        clause,
        described,
        definite,
        quantified,
        anon,
        plural,
        passive,
        pronoun: pronoun_cue && !cue_after && !lead_in && !cue_before,
        according: lead_in || coordinated,
        verb: cue_before || cue_after,
        // Looked for below, once the phrase is a finding: most heads are not, and the search
        // runs to the sentence's end.
        reason: None,
    };
    let cues = Cues {
        adjacent: cue_adjacent,
        after: cue_after,
        anaphora,
        attached,
    };
    if !flagged(sent, &found, &cues) {
        return None;
    }
    found.reason = sent.reason_after(i);
    let (rule, severity, group) = classify(&found, referent, doc);
    if referent.is_none() {
        doc.add_intro(&lemma, Intro { group, severity });
    }
    let specificity = if access {
        Specificity::RoleWithAccess
    } else if described {
        Specificity::AffiliatedRole
    } else if matches!(kind, HeadKind::Bare | HeadKind::Generic) {
        Specificity::Bare
    } else {
        Specificity::GenericRole
    };
    let finding = Finding {
        start: toks[j].start,
        end: toks[k - 1].end,
        rule,
        severity,
        why: explain(sent, &found, referent.is_some()),
        group,
        signals: sent.signals(specificity, plural, found.reason),
    };
    let phrase = Phrase {
        end_tok: k,
        lead_in: lead_in || coordinated,
        cue_before,
    };
    Some((phrase, finding))
}

/// Whether the head noun at `i` heads a phrase at all: not the first noun of a compound
/// ("official sources"), not followed by a name ("spokesman Dmitry Peskov") or a named
/// apposition ("a senior official, John Smith, said").
fn head_stands(sent: &Sentence, i: usize) -> bool {
    let Sentence { lx, toks, s, e, .. } = *sent;
    let head = &toks[i];
    let next = toks.get(i + 1).filter(|_| i + 1 < e);
    if let Some(n) = next {
        if n.is_word() && n.has(class::HEAD) && !lx.not_preceded_by(n.word, head.word) {
            return false;
        }
        if lx.not_followed_by(head.word, n.word) {
            return false;
        }
        if is_name_word(n) && !lx.affiliations.contains_word(n) {
            return false;
        }
    }
    if i > s && lx.not_preceded_by(head.word, toks[i - 1].word) {
        return false;
    }
    !(next.is_some_and(|n| n.is(known::COMMA)) && named_apposition_after(toks, i + 2, e))
}

/// Where a phrase starts, and what its left side says about it.
struct Left {
    start: usize,
    definite: bool,
    quantified: bool,
    anon: bool,
    described: bool,
}

/// Walks left from the head over determiners, quantifiers, modifiers and affiliations.
fn left_edge(sent: &Sentence, i: usize, floor: usize, anon: bool, described: bool) -> Left {
    let Sentence {
        lx, text, toks, s, ..
    } = *sent;
    let mut j = i;
    let (mut definite, mut quantified, mut anon, mut described) = (false, false, anon, described);
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
    Left {
        start: j,
        definite,
        quantified,
        anon,
        described,
    }
}

/// Whether a name stands in apposition before the phrase (`Ali Khan, a commander, said`) or a
/// unique office comes before the head ("its chief financial officer"): a named person.
fn named_before(sent: &Sentence, i: usize, j: usize) -> bool {
    let Sentence { toks, s, e, .. } = *sent;
    // "Mr Banda, the sources say, is leaving" is a reporting clause, not an apposition.
    let parenthetical = || {
        cue_at(toks, i + 1, e).is_some_and(|c| toks.get(c + 1).is_some_and(|t| t.is(known::COMMA)))
    };
    if j > s + 1
        && toks[j - 1].is(known::COMMA)
        && named_apposition_before(toks, s, j - 1)
        && !parenthetical()
    {
        return true;
    }
    toks[j.saturating_sub(1).max(s)..i]
        .iter()
        .any(|t| t.has(class::UNIQUE_TITLE))
}

/// Where a phrase ends, and what its right side says about it.
struct Right {
    end: usize,
    access: bool,
    clause: bool,
    clause_cue: bool,
    attached: bool,
}

/// Walks right from the head over post-modifiers: an access phrase with its object, or a
/// prepositional phrase that belongs to the source ("a pal of the star", "an official at the
/// ministry"), then an anonymity clause. `None` if a name turns out to follow.
fn right_edge(sent: &Sentence, i: usize) -> Option<Right> {
    let Sentence { lx, toks, e, .. } = *sent;
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
    Some(Right {
        end: k,
        access,
        clause,
        clause_cue,
        attached,
    })
}

/// A reporting verb just before the phrase: "…, said a senior official." But in "said the
/// minister would resign" the phrase is the subject of the reported clause, so the phrase must
/// end the clause.
fn cue_before(sent: &Sentence, j: usize, k: usize, kind: HeadKind) -> bool {
    let Sentence { toks, s, e, .. } = *sent;
    j > s
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
            .contains(&toks[k].word))
}

/// What a flagged phrase is, for its rule, severity and explanation.
struct Found {
    kind: HeadKind,
    /// The head, and the phrase's first token.
    i: usize,
    j: usize,
    access: bool,
    clause: bool,
    described: bool,
    definite: bool,
    quantified: bool,
    anon: bool,
    plural: bool,
    passive: bool,
    /// Its cue is the verb of a pronoun that refers to it.
    pronoun: bool,
    according: bool,
    verb: bool,
    reason: Option<bool>,
}

/// The cues around a phrase.
struct Cues {
    /// A reporting verb or "according to" beside it.
    adjacent: bool,
    /// A reporting verb after it.
    after: bool,
    /// It refers back to an anonymous source introduced earlier, and a cue is beside it.
    anaphora: bool,
    /// It took a post-modifier in.
    attached: bool,
}

/// Whether the phrase is an anonymous source, by the kind of its head.
fn flagged(sent: &Sentence, f: &Found, cues: &Cues) -> bool {
    match f.kind {
        HeadKind::Spokesperson => cues.adjacent,
        // A person noun proves nothing alone: a reporting verb must be beside it, and a single
        // definite one ("the man said", "her mother told") is taken to be a named person
        // unless it refers back to an anonymous one.
        HeadKind::Person => {
            if f.clause {
                true
            } else if f.definite && !f.plural {
                cues.anaphora
            } else if !f.definite && !f.quantified && !f.plural {
                false
            } else {
                cues.adjacent
            }
        }
        // "people at the training ground say", "a person who saw the crash said".
        HeadKind::Generic => {
            f.anon
                || f.clause
                || (f.access && sent.cue())
                || cues.anaphora
                || (cues.attached && cues.after)
        }
        HeadKind::Role | HeadKind::Bare => {
            if f.anon || f.clause {
                true
            } else if f.access {
                sent.cue()
            } else if !f.described && f.definite {
                // Without an anonymous source to refer back to, "the official said" is taken to
                // mean a named person; "the source said" is anonymous by its very word.
                cues.anaphora || (cues.adjacent && f.kind == HeadKind::Bare)
            } else {
                cues.adjacent
            }
        }
    }
}

/// The phrase's rule, severity and group: a later mention shares its source's.
fn classify(
    f: &Found,
    referent: Option<(usize, Severity)>,
    doc: &mut DocState,
) -> (Rule, Severity, usize) {
    let bare = matches!(f.kind, HeadKind::Bare | HeadKind::Generic) && !f.described;
    if let Some((group, severity)) = referent.filter(|_| !f.access && !f.clause) {
        let rule = if f.kind == HeadKind::Spokesperson {
            Rule::Spokesperson
        } else {
            Rule::Anaphora
        };
        return (rule, severity, group);
    }
    let severity = if f.kind == HeadKind::Spokesperson || f.access || f.reason.is_some() {
        Severity::Low
    } else if bare {
        Severity::High
    } else {
        Severity::Medium
    };
    let rule = if f.kind == HeadKind::Spokesperson {
        Rule::Spokesperson
    } else if f.clause {
        Rule::Clause
    } else if f.access {
        Rule::Access
    } else if f.passive {
        Rule::Passive
    } else if f.pronoun {
        Rule::Pronoun
    } else if f.according {
        Rule::AccordingTo
    } else if bare && !f.anon && !f.definite && !f.quantified && f.plural {
        Rule::Impersonal
    } else {
        Rule::Descriptor
    };
    let group = referent.map_or_else(|| doc.new_group(), |(group, _)| group);
    (rule, severity, group)
}

/// Why the phrase was flagged.
fn explain(sent: &Sentence, f: &Found, refers_back: bool) -> Why {
    let (i, j) = (f.i, f.j);
    let cue = if f.passive {
        Cue::Passive
    } else if f.according {
        Cue::According
    } else if f.verb {
        Cue::Verb
    } else if f.pronoun {
        Cue::Pronoun
    } else {
        Cue::None
    };
    let base = sent.toks[j].start;
    Why::Phrase {
        head: span(sent.toks, base, i, i + 1),
        described: (j < i).then(|| span(sent.toks, base, j, i).end),
        facts: Facts {
            access: f.access,
            clause: f.clause,
            reason: f.reason,
            cue,
            refers_back,
        },
    }
}
