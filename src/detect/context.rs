//! Word classes, and what the words around a source phrase say: whether a reporting verb follows
//! it, whether a name stands in apposition, where a prepositional phrase or an access phrase's
//! object ends. The grammar in [`super::grammar`] asks these questions.

use super::tokens::Token;
use super::words::{class, known};

/// Words that end an access phrase's object ("familiar with the matter | who ...").
pub(super) const OBJECT_STOPS: &[&str] = &[
    "who", "which", "because", "as", "when", "while", "but", "after", "before", "since",
    "although", "though", "if", "is", "are", "was", "were", "have", "has", "had", "will", "would",
    "could", "can", "may", "might", "should", "that",
];

/// Small words that are never a noun modifier in "a tour insider".
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "and",
    "or",
    "but",
    "that",
    "which",
    "who",
    "whom",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "not",
    "no",
    "it",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "this",
    "these",
    "those",
    "than",
    "then",
    "so",
    "if",
    "when",
    "while",
    "also",
    "only",
    "very",
    "more",
    "most",
    "said",
    "says",
    "told",
    "one",
    "two",
    "some",
    "many",
    "all",
    "any",
    "each",
    "every",
    "other",
    "such",
    "into",
    "over",
    "after",
    "before",
    "about",
    "between",
    "against",
    "during",
    "without",
    "within",
    "including",
    "like",
    "near",
    "per",
    "via",
    "we",
    "they",
    "he",
    "she",
    "them",
    "him",
    "us",
    "you",
    "i",
    "me",
    "there",
    "here",
    "what",
    "where",
    "why",
    "how",
];

/// The singular of a head noun, so "the official" can refer back to "two officials".
/// As [`lemma`], borrowing when the singular is a prefix of the word.
pub(super) fn singular(norm: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match norm {
        "people" | "spokespeople" | "spokesmen" | "spokeswomen" => Cow::Owned(lemma(norm)),
        _ if norm.ends_with("ies") => Cow::Owned(lemma(norm)),
        _ if norm.ends_with("sses") => Cow::Borrowed(&norm[..norm.len() - 2]),
        _ if norm.ends_with('s') && !norm.ends_with("ss") => Cow::Borrowed(&norm[..norm.len() - 1]),
        _ => Cow::Borrowed(norm),
    }
}

pub(super) fn lemma(norm: &str) -> String {
    match norm {
        "people" => "person".to_owned(),
        "spokespeople" => "spokesperson".to_owned(),
        "spokesmen" => "spokesman".to_owned(),
        "spokeswomen" => "spokeswoman".to_owned(),
        _ if norm.ends_with("ies") => format!("{}y", &norm[..norm.len() - 3]),
        _ if norm.ends_with("sses") => norm[..norm.len() - 2].to_owned(),
        _ if norm.ends_with('s') && !norm.ends_with("ss") => norm[..norm.len() - 1].to_owned(),
        _ => norm.to_owned(),
    }
}

pub(super) fn is_name_word(t: &Token) -> bool {
    t.is_word() && t.capitalised && !t.has(class::NOT_NAME.with(class::CUE))
}

/// An ordinary word that can modify a noun: not a function word, verb cue, number or head.
pub(super) fn is_plain_word(text: &str, t: &Token) -> bool {
    t.is_word()
        && !t.has(
            class::FUNCTION_WORD
                .with(class::CUE)
                .with(class::BRIDGE)
                .with(class::HEAD),
        )
        // Participles are verbs here ("citing people", "asked officials"), not noun modifiers;
        // the shape excludes "-ing" and "-ed" words.
        && t.shape(text).noun
}

pub(super) fn is_quantity(text: &str, t: &Token) -> bool {
    t.has(class::QUANTIFIER)
        || t.is(known::EACH)
        || t.is(known::NONE)
        || t.is(known::ALL)
        || t.shape(text).digits
}

pub(super) fn is_modifier_word(t: &Token) -> bool {
    t.has(
        class::MODIFIER
            .with(class::AFFILIATION)
            .with(class::ANONYMITY_MODIFIER),
    )
}

/// The object of an access phrase: words up to punctuation, a reporting verb, a relative pronoun
/// or a coordinated new phrase ("... the matter and a former official").
pub(super) fn access_object(toks: &[Token], from: usize, e: usize) -> usize {
    let mut o = from;
    while o < e && o - from < 12 {
        let t = &toks[o];
        if !t.is_word() {
            break;
        }
        if o > from && t.has(class::CUE) {
            break;
        }
        if t.has(class::OBJECT_STOP) {
            break;
        }
        if (t.is(known::AND) || t.is(known::OR))
            && toks
                .get(o + 1)
                .is_some_and(|n| n.has(class::DETERMINER.with(class::QUANTIFIER).with(class::HEAD)))
        {
            break;
        }
        o += 1;
    }
    o
}

/// The end of a sentence's words, before its closing punctuation.
pub(super) fn sentence_body_end(toks: &[Token], from: usize, e: usize) -> usize {
    let mut end = e;
    while end > from && !toks[end - 1].is_word() {
        end -= 1;
    }
    end.max(from)
}

/// A prepositional phrase starting at `q` ("at the England and Wales Cricket Board"): its end, if
/// there is one. A preposition followed by a verb ("officials to explain") is not one.
pub(super) fn prepositional_phrase(toks: &[Token], q: usize, e: usize) -> Option<usize> {
    // "based in Vienna", "working at the ministry": a participle that introduces a place.
    if q + 2 < e && toks[q].has(class::PLACE_PARTICIPLE) && toks[q + 1].has(class::PREPOSITION) {
        return prepositional_phrase(toks, q + 1, e);
    }
    if q + 1 >= e || !toks[q].has(class::PREPOSITION) {
        return None;
    }
    if toks[q + 1].has(class::CUE) || !toks[q + 1].is_word() {
        return None;
    }
    let limit = e.min(q + 10);
    let end = (q + 1..limit)
        .find(|&c| {
            !toks[c].is_word()
                || toks[c].has(
                    class::CUE
                        .with(class::BRIDGE)
                        .with(class::OBJECT_STOP)
                        .with(class::AUX_BE),
                )
        })
        .unwrap_or(limit);
    (end > q + 1).then_some(end)
}

/// Forms of "be": between a source and a progressive cue ("officials are reporting").
pub(super) const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];

/// Participles that attach a place to a source ("a diplomat based in Vienna").
pub(super) const PLACE_PARTICIPLES: &[&str] = &[
    "based",
    "stationed",
    "posted",
    "working",
    "serving",
    "living",
];

/// Prepositions that can attach a short phrase between a source and its verb ("an aide to the
/// minister said", "officials in Washington said").
pub(super) const PREPOSITIONS: &[&str] = &[
    "of", "to", "at", "in", "from", "with", "for", "on", "inside", "within", "across",
];

/// Whether a reporting verb follows the phrase ending before token `k`. Between them it allows a
/// parenthetical in commas (", who did not dispute it," / ", briefing reporters,"), an aside in
/// dashes or brackets, a short prepositional phrase, and a few adverbs and auxiliaries.
pub(super) fn cue_follows(toks: &[Token], k: usize, e: usize) -> bool {
    cue_at(toks, k, e).is_some()
}

/// The reporting verb that follows the phrase ending before token `k`, as in [`cue_follows`].
pub(super) fn cue_at(toks: &[Token], k: usize, e: usize) -> Option<usize> {
    let mut q = k;
    if q + 1 < e && toks[q].is(known::COMMA) {
        let limit = if toks[q + 1].is(known::WHO) || toks[q + 1].is(known::WHICH) {
            40
        } else {
            12
        };
        // A quotation mark ends the phrase's reach: in `with an aide," Smith said, noting`
        // the verb is Smith's.
        let c = (q + 1..e.min(q + limit))
            .find(|&c| toks[c].is(known::COMMA) || toks[c].is(known::QUOTE))?;
        if toks[c].is(known::QUOTE) {
            return None;
        }
        q = c + 1;
    } else if q + 1 < e && (is_dash(&toks[q]) || toks[q].is(known::OPEN_PAREN)) {
        // "Two teachers — both of whom have left — told", "A nurse (she asked …) said".
        let paren = toks[q].is(known::OPEN_PAREN);
        let close = |t: &Token| {
            if paren {
                t.is(known::CLOSE_PAREN)
            } else {
                is_dash(t)
            }
        };
        q = (q + 1..e.min(q + 24)).find(|&c| close(&toks[c]))? + 1;
    } else if let Some(pp_end) = prepositional_phrase(toks, q, e) {
        q = pp_end;
    }
    if q + 1 < e && toks[q].is(known::AS) && toks[q + 1].is(known::SAYING) {
        return Some(q + 1);
    }
    let mut bridged = 0;
    let mut be = false;
    while q < e && bridged < 4 && toks[q].has(class::BRIDGE.with(class::AUX_BE)) {
        be |= toks[q].has(class::AUX_BE);
        q += 1;
        bridged += 1;
    }
    // After a form of "be" only a progressive cue counts: "officials are reporting", never
    // "officials were told".
    let cue = if be { class::CUE_AFTER_BE } else { class::CUE };
    // "a man accused of theft", "youths suspected of arson": a passive participle, not a cue.
    let passive = (toks[q.min(e - 1)].is(known::ACCUSED)
        || toks[q.min(e - 1)].is(known::SUSPECTED))
        && toks.get(q + 1).is_some_and(|t| t.is(known::OF));
    (q < e && toks[q].has(cue) && !toks[q].is(known::ACCORDING) && !passive).then_some(q)
}

/// A dash standing alone between words: hyphen-minus, en dash or em dash.
pub(super) fn is_dash(t: &Token) -> bool {
    t.is(known::HYPHEN) || t.is(known::EM_DASH) || t.is(known::EN_DASH)
}

/// Whether token `by` ("by") introduces the agent of a passive reporting verb: "was described
/// as the worst in decades by officials", "was confirmed by another source".
pub(super) fn passive_agent(toks: &[Token], s: usize, by: usize) -> bool {
    if !toks[by].is(known::BY) {
        return false;
    }
    let from = by.saturating_sub(12).max(s + 1);
    (from..by).rev().any(|p| {
        let t = &toks[p];
        t.has(class::CUE)
            && !t.has(class::CUE_AFTER_BE)
            // "was described … by", "had been confirmed by", ", described … by".
            && (toks[p - 1].has(class::AUX_BE)
                || toks[p - 1].is(known::COMMA)
                || (p >= s + 2 && toks[p - 2].has(class::AUX_BE) && toks[p - 1].has(class::BRIDGE)))
            && toks[p + 1..by].iter().all(|t| t.is_word())
    })
}

/// ", John Smith," or ", Maj. Gen. Pat Ryder," starting at token `from`.
pub(super) fn named_apposition_after(toks: &[Token], from: usize, e: usize) -> bool {
    let mut names = 0;
    let mut q = from;
    while q < e && q - from < 8 {
        let t = &toks[q];
        if is_name_word(t) {
            names += 1;
        } else if !t.is(known::FULL_STOP) {
            break;
        }
        q += 1;
    }
    names > 0 && (q == e || toks[q].is(known::COMMA) || toks[q].has(class::CUE))
}

/// "said John Kirby, the spokesman": a name (two words at the start of a sentence, one after a
/// reporting verb) just before the comma at `comma`.
pub(super) fn named_apposition_before(toks: &[Token], s: usize, comma: usize) -> bool {
    let mut q = comma;
    let mut names = 0;
    while q > s {
        let t = &toks[q - 1];
        if is_name_word(t) {
            names += 1;
        } else if !t.is(known::FULL_STOP) {
            break;
        }
        q -= 1;
    }
    if names == 0 {
        return false;
    }
    if q == s {
        names >= 2
    } else {
        toks[q - 1].has(class::CUE)
    }
}
