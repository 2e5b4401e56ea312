//! Every attribution that is not anonymous, for `scan --all` and the report's sourcing balance.
//!
//! Attribution-first: each reporting verb (or lead-in such as "according to") is found first,
//! then its source — the noun phrase before the verb, after an inverted one (`…," said Ms Lee`),
//! or after the lead-in — and the phrase is classed:
//!
//! 1. a document ("a statement", "the report") by its last word;
//! 2. an institution ("the ministry", "police", "the White House") by its last word;
//! 3. an outlet ("The New York Times", "the news outlet") by its last word or a capitalised name;
//! 4. an institution by any of its words ("Central Bank of Kenya officials" is not reached here:
//!    it is anonymous and found by the grammar first);
//! 5. named: a personal name in the phrase ("Kremlin spokesman Dmitry Peskov", "Mr. Lavrov"), or
//!    a single definite title ("the Kremlin spokesman", "the foreign minister");
//!
//! and otherwise left alone. A pronoun subject is never one ("He said"). Anonymous sources come
//! from the grammar; this pass never overlaps them.

use super::context::{is_dash, is_name_word};
use super::lexicon::Lexicon;
use super::tokens::{Kind, Token};
use super::words::{Word, class, known};

/// What kind of source an attribution names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceClass {
    /// Described, not named: what whosaid flags for review.
    Anonymous,
    /// A hedge that names no source at all ("reportedly").
    Unsourced,
    /// A person by name, or by an office only one person holds.
    Named,
    /// A government, ministry, police force, company, party or international body.
    Institutional,
    /// A newspaper, broadcaster or agency.
    Outlet,
    /// A report, statement, study or memo.
    Document,
}

impl SourceClass {
    pub const ALL: [SourceClass; 6] = [
        SourceClass::Anonymous,
        SourceClass::Unsourced,
        SourceClass::Named,
        SourceClass::Institutional,
        SourceClass::Outlet,
        SourceClass::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceClass::Anonymous => "anonymous",
            SourceClass::Unsourced => "unsourced",
            SourceClass::Named => "named",
            SourceClass::Institutional => "institutional",
            SourceClass::Outlet => "outlet",
            SourceClass::Document => "document",
        }
    }

    /// The rule id `scan --all` reports an attribution of this class under.
    pub fn rule(self) -> &'static str {
        match self {
            SourceClass::Anonymous | SourceClass::Unsourced => "anon",
            SourceClass::Named => "attr.named",
            SourceClass::Institutional => "attr.institutional",
            SourceClass::Outlet => "attr.outlet",
            SourceClass::Document => "attr.document",
        }
    }
}

/// An attribution to a source that is not anonymous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub start: usize,
    pub end: usize,
    pub class: SourceClass,
    /// For a named source, the name as written ("Dmitry Peskov", "Mr. Lavrov"); for a title
    /// alone, the phrase ("the Kremlin spokesman").
    pub name: Option<String>,
    /// The name without an honorific ("Lavrov"), which mentions of one person share.
    pub name_key: Option<String>,
    pub why: String,
}

/// Longest source phrase looked at, in tokens.
const MAX_PHRASE: usize = 8;

/// The attributions of one sentence (`toks[..e]`), in order.
pub(super) fn in_sentence(
    lx: &Lexicon,
    text: &str,
    toks: &[Token],
    e: usize,
    out: &mut Vec<Attribution>,
) {
    let mut floor = 0;
    let mut c = 0;
    while c < e {
        // "according to the ministry", "citing Reuters".
        if let Some(after) = lx.lead_ins.match_at(toks, c, e) {
            if let Some((a, b)) = phrase_after(text, toks, after, e) {
                push(lx, text, toks, a, b, "introduced by a lead-in", out);
                floor = b;
                c = b;
                continue;
            }
            c = after;
            continue;
        }
        let cue_end = if is_verb(text, toks, c) {
            Some(c + 1)
        } else if c > 0 && toks[c - 1].shape(text).possessive {
            None
        } else {
            lx.on_record_cues.match_at(toks, c, e)
        };
        let Some(cue_end) = cue_end else {
            c += 1;
            continue;
        };
        let before = subject_end(toks, floor, c);
        // "A union organiser, Pat Keane, said": the name in apposition before the verb.
        let apposition = (before > floor + 1 && toks[before - 1].is(known::COMMA))
            .then(|| phrase_before(text, toks, floor, before - 1))
            .flatten()
            .filter(|&(a, b)| name(lx, toks, a, b).is_some())
            .filter(|&(a, _)| a > floor && toks[a - 1].is(known::COMMA));
        let found = apposition
            .map(|(a, b)| (a, b, "named in apposition before a reporting verb"))
            .or_else(|| {
                phrase_before(text, toks, floor, before)
                    .map(|(a, b)| (a, b, "subject of a reporting verb"))
            })
            .or_else(|| {
                // `…," said Ms Lee.` and `, the ministry said` are both common; the inverted
                // form follows a comma or a quotation mark.
                let inverted =
                    c > 0 && (toks[c - 1].is(known::COMMA) || toks[c - 1].is(known::QUOTE));
                inverted
                    .then(|| phrase_after(text, toks, cue_end, e))
                    .flatten()
                    .filter(|&(_, b)| b == e || !toks[b].is_word())
                    .map(|(a, b)| (a, b, "after an inverted reporting verb"))
            });
        if let Some((a, b, why)) = found {
            push(lx, text, toks, a, b, why, out);
            floor = b.max(cue_end);
        }
        c = cue_end.max(found.map_or(0, |(_, b, _)| b));
    }
}

/// Reporting verbs that are more often nouns ("the United States", "a state of emergency").
const NOUNS_FIRST: &[&str] = &["state", "states", "note", "notes"];

/// Whether token `c` is a reporting verb used as one: not "States" in a name, not "the report"
/// or "CNN's report".
fn is_verb(text: &str, toks: &[Token], c: usize) -> bool {
    let t = &toks[c];
    if !t.has(class::CUE) || t.is(known::ACCORDING) || (t.capitalised && c > 0) {
        return false;
    }
    if c > 0 {
        let p = &toks[c - 1];
        if p.has(class::DETERMINER.with(class::QUANTIFIER)) || p.shape(text).possessive {
            return false;
        }
        // "the union had been told": its subject received the words.
        if p.has(class::AUX_BE) && !t.has(class::CUE_AFTER_BE) {
            return false;
        }
    }
    let word = &text[t.start..t.end];
    !NOUNS_FIRST.iter().any(|n| n.eq_ignore_ascii_case(word))
}

/// Where the subject of the verb at `c` ends: back over auxiliaries and adverbs ("has strongly
/// pushed back").
fn subject_end(toks: &[Token], floor: usize, c: usize) -> usize {
    let mut q = c;
    while q > floor && c - q < 4 && toks[q - 1].has(class::BRIDGE.with(class::AUX_BE)) {
        q -= 1;
    }
    q
}

fn is_pronoun(t: &Token) -> bool {
    [
        known::THEY,
        known::HE,
        known::SHE,
        known::WHO,
        known::WHICH,
        known::THAT,
    ]
    .contains(&t.word)
}

/// Whether token `t` can be part of a source phrase.
fn phrase_word(text: &str, t: &Token) -> bool {
    t.kind == Kind::Word
        && !t.has(
            class::CUE
                .with(class::BRIDGE)
                .with(class::AUX_BE)
                .with(class::OBJECT_STOP),
        )
        && (t.capitalised
            || t.has(
                class::DETERMINER
                    .with(class::QUANTIFIER)
                    .with(class::MODIFIER),
            )
            || t.has(class::AFFILIATION.with(class::HEAD))
            || t.shape(text).noun
            || t.shape(text).possessive)
        && (!t.has(class::FUNCTION_WORD) || t.has(class::DETERMINER.with(class::QUANTIFIER)))
}

/// "of", "and" or "&" inside a name ("Bank of England", "Procter & Gamble").
fn joins_names(toks: &[Token], q: usize) -> bool {
    let t = &toks[q];
    (t.is(known::OF) || t.is(known::AND) || t.is(known::AMPERSAND))
        && q > 0
        && q + 1 < toks.len()
        && toks[q - 1].capitalised
        && toks[q + 1].capitalised
}

/// The source phrase that ends just before token `end`, if a plausible one does.
fn phrase_before(text: &str, toks: &[Token], floor: usize, end: usize) -> Option<(usize, usize)> {
    let mut a = end;
    while a > floor && end - a < MAX_PHRASE {
        let t = &toks[a - 1];
        // "Mr. Lavrov".
        let honorific =
            t.is(known::FULL_STOP) && a >= floor + 2 && toks[a - 2].has(class::ABBREVIATION);
        let joined = a > floor + 1 && a < end && joins_names(toks, a - 1);
        if !(phrase_word(text, t) || honorific || joined) {
            break;
        }
        a -= 1;
    }
    if a == end || is_pronoun(&toks[end - 1]) {
        return None;
    }
    // "Police in Leeds said", "A statement from the council said": the phrase's head is before
    // a prepositional phrase.
    if a > floor + 1
        && toks[a - 1].has(class::PREPOSITION)
        && phrase_word(text, &toks[a - 2])
        && let Some((outer, _)) = phrase_before(text, toks, floor, a - 1)
    {
        return Some((outer, end));
    }
    // A determiner may only open the phrase.
    while a < end
        && toks[a].has(class::FUNCTION_WORD)
        && !toks[a].has(class::DETERMINER.with(class::QUANTIFIER))
    {
        a += 1;
    }
    (a < end).then_some((a, end))
}

/// The source phrase that starts at token `from`: up to punctuation or a word that cannot be in
/// one.
fn phrase_after(text: &str, toks: &[Token], from: usize, e: usize) -> Option<(usize, usize)> {
    let mut b = from;
    while b < e && b - from < MAX_PHRASE {
        let t = &toks[b];
        let honorific = t.is(known::FULL_STOP) && b > from && toks[b - 1].has(class::ABBREVIATION);
        let joined = b > from && b + 1 < e && joins_names(toks, b);
        if !(phrase_word(text, t) || honorific || joined) {
            break;
        }
        b += 1;
    }
    if b == from || is_pronoun(&toks[from]) || is_dash(&toks[from]) {
        return None;
    }
    Some((from, b))
}

/// Classes the phrase `toks[a..b]` and records it if it is one of the non-anonymous classes.
fn push(
    lx: &Lexicon,
    text: &str,
    toks: &[Token],
    a: usize,
    b: usize,
    why: &str,
    out: &mut Vec<Attribution>,
) {
    // Classed by its head, before any prepositional phrase; the span keeps the whole phrase.
    let head_end = (a + 1..b)
        .find(|&q| toks[q].has(class::PREPOSITION) && !toks[q].is(known::OF))
        .unwrap_or(b);
    let phrase = &toks[a..head_end];
    let last = &toks[head_end - 1];
    let person = name(lx, toks, a, head_end);
    // The name's own words: "The New York Times" is a name that is an outlet.
    let named_outlet = person.is_some_and(|(x, y)| toks[x..y].iter().any(|t| lx.outlets.has(t)));
    let class = if lx.document_nouns.has(last) {
        Some(SourceClass::Document)
    } else if lx.institutions.ends(phrase) && !last.has(class::HEAD) {
        Some(SourceClass::Institutional)
    } else if lx.outlets.has(last)
        || named_outlet
        // "Pakistani newspaper The News": a common noun for an outlet anywhere in the phrase.
        || phrase.iter().any(|t| !t.capitalised && lx.outlets.has(t))
    {
        Some(SourceClass::Outlet)
    } else if person.is_some() || title(lx, phrase) {
        Some(SourceClass::Named)
    } else if lx.institutions.occurs_in(phrase) && !last.has(class::HEAD) {
        Some(SourceClass::Institutional)
    } else {
        None
    };
    let Some(class) = class else { return };
    let span = |x: usize, y: usize| &text[toks[x].start..toks[y - 1].end];
    out.push(Attribution {
        start: toks[a].start,
        end: toks[b - 1].end,
        class,
        name: (class == SourceClass::Named).then(|| {
            person
                .map_or_else(|| span(a, b), |(x, y)| span(x, y))
                .to_owned()
        }),
        name_key: (class == SourceClass::Named).then(|| {
            person.map_or_else(
                || span(a, b).to_owned(),
                |(x, y)| without_honorific(toks, x, y, text),
            )
        }),
        why: format!("{} ({why})", class.as_str()),
    });
}

/// The personal name in the phrase `toks[a..b]`: its last run of capitalised words that are not
/// titles, affiliations, heads or commentators ("Kremlin spokesman Dmitry Peskov" → "Dmitry
/// Peskov"), with an honorific before it ("Mr. Lavrov"). A capitalised first word of the sentence
/// is a name only when the lexicon does not know it as an ordinary word.
fn name(lx: &Lexicon, toks: &[Token], a: usize, b: usize) -> Option<(usize, usize)> {
    let is_name = |q: usize| {
        let t = &toks[q];
        is_name_word(t)
            && (q > 0 || t.word == Word::UNKNOWN)
            && !lx.commentators.has(t)
            && !lx.institutions.has(t)
            && !t.has(
                class::AFFILIATION
                    .with(class::MODIFIER)
                    .with(class::HEAD)
                    .with(class::ABBREVIATION)
                    .with(class::DETERMINER)
                    .with(class::FUNCTION_WORD),
            )
    };
    let end = (a..b).rev().find(|&q| is_name(q))? + 1;
    let mut start = end - 1;
    while start > a && is_name(start - 1) {
        start -= 1;
    }
    // "Mr. Lavrov", "Mr Preskov": the honorific belongs to the mention.
    if start > a + 1
        && toks[start - 1].is(known::FULL_STOP)
        && toks[start - 2].has(class::ABBREVIATION)
    {
        start -= 2;
    } else if start > a && toks[start - 1].has(class::ABBREVIATION) {
        start -= 1;
    }
    Some((start, end))
}

/// The name as written, and without its honorific when one leads it: the key that merges "Mr
/// Smolenkov" with "Smolenkov".
fn without_honorific(toks: &[Token], x: usize, y: usize, text: &str) -> String {
    let mut x = x;
    while x + 1 < y && (toks[x].has(class::ABBREVIATION) || toks[x].is(known::FULL_STOP)) {
        x += 1;
    }
    text[toks[x].start..toks[y - 1].end].to_owned()
}

/// "the Kremlin spokesman", "the foreign minister": one definite, singular person noun.
fn title(lx: &Lexicon, phrase: &[Token]) -> bool {
    let last = phrase[phrase.len() - 1];
    phrase.len() >= 2
        && phrase[0].has(class::DETERMINER)
        && last.has(class::HEAD)
        && lx.vocab.lemma(last.word) == last.word
}
