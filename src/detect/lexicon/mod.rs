//! The word lists and phrase patterns the detector's grammar is built from.
//!
//! The lists live in `assets/lexicon.ron` so they can be read and extended without touching the
//! grammar; this module numbers their words once, at start-up, and gives each word the classes
//! of the lists it is on (see [`super::words`]).

use std::collections::BTreeMap;

// The keys come from the lexicon, not from an attacker, so a fast hash is safe.
use rustc_hash::FxHashSet as HashSet;

use serde::Deserialize;

use super::tokens::Token;
use super::words::{Class, Vocabulary, Word, WordSet, class, known};
use super::{context, grammar};

mod patterns;
pub use patterns::{Pattern, PatternSet, PhraseSet, WordList};

const BUILT_IN: &str = include_str!("../../../assets/lexicon.ron");
/// Nouns whose first sense is a person, from WordNet (scripts/person-nouns derives the list).
const PERSON_NOUNS: &str = include_str!("../../../assets/person-nouns.txt");

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
    offices: Vec<String>,
    commentators: Vec<String>,
    institutions: Vec<String>,
    document_nouns: Vec<String>,
    on_record_cues: Vec<String>,
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
    /// Any other noun for a person ("resident", "refugee"), from the person-noun list: a source
    /// only when a reporting verb or lead-in is beside it.
    Person,
}

#[derive(Debug)]
pub struct Lexicon {
    pub vocab: Vocabulary,
    pub institutions: WordList,
    pub document_nouns: WordList,
    pub outlets: WordList,
    pub on_record_cues: WordList,
    pub commentators: WordList,
    pub quantifiers: PhraseSet,
    pub anonymity_modifiers: PhraseSet,
    pub modifiers: PhraseSet,
    pub affiliations: PhraseSet,
    pub access: PatternSet,
    pub clauses: PatternSet,
    pub reasons: PatternSet,
    /// For each reason pattern, whether it is boilerplate.
    pub reason_boilerplate: Vec<bool>,
    pub lead_ins: PatternSet,
    pub impersonal: PatternSet,
    pub hedges: PatternSet,
    pub documents: PatternSet,
    /// "one of them", "two of those".
    pub partitive_pronoun: PatternSet,
    /// "declined to comment".
    pub declined: PatternSet,
    /// (head, next word) pairs that show the head is not a source: "source code".
    not_followed_by: HashSet<(Word, Word)>,
    /// (head, previous word) pairs: "energy source".
    not_preceded_by: HashSet<(Word, Word)>,
}

/// Gives each word of `items` (lower-cased) the class `c`.
fn classify(vocab: &mut Vocabulary, items: &[impl AsRef<str>], c: Class) {
    for item in items {
        let w = vocab.intern(&item.as_ref().to_lowercase());
        vocab.add_class(w, c);
    }
}

fn pairs(items: &BTreeMap<String, Vec<String>>, vocab: &mut Vocabulary) -> HashSet<(Word, Word)> {
    let mut out = HashSet::default();
    for (k, v) in items {
        let head = vocab.intern(&k.to_lowercase());
        for w in v {
            out.insert((head, vocab.intern(&w.to_lowercase())));
        }
    }
    out
}

impl Lexicon {
    /// The lexicon compiled into the binary. Its validity is checked by a unit test, so a broken
    /// asset fails the build's tests rather than a user's session.
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).expect("assets/lexicon.ron is valid (checked by tests)")
    }

    pub fn parse(source: &str) -> Result<Self, String> {
        use class::*;
        let file: LexiconFile = ron::from_str(source).map_err(|e| e.to_string())?;
        let mut vocab = Vocabulary::new();
        let v = &mut vocab;
        classify(v, &file.determiners, DETERMINER);
        classify(v, &file.cue_verbs, CUE);
        classify(v, &file.bridges, BRIDGE);
        classify(v, &file.unique_titles, UNIQUE_TITLE);
        classify(v, &file.offices, OFFICE);
        classify(v, context::BE_FORMS, AUX_BE);
        let after_be: Vec<&String> = file
            .cue_verbs
            .iter()
            .filter(|w| w.ends_with("ing"))
            .collect();
        classify(v, &after_be, CUE_AFTER_BE);
        classify(v, &["quoted"], CUE_AFTER_BE);
        classify(v, &file.not_names, NOT_NAME);
        classify(v, &file.abbreviations, ABBREVIATION);
        classify(v, context::FUNCTION_WORDS, FUNCTION_WORD);
        classify(v, context::OBJECT_STOPS, OBJECT_STOP);
        classify(v, context::PREPOSITIONS, PREPOSITION);
        classify(v, context::PLACE_PARTICIPLES, PLACE_PARTICIPLE);
        classify(v, grammar::FINITE_CLAUSE_STARTS, FINITE_CLAUSE_START);
        let impersonal = {
            // "the Guardian understands", "this newspaper has learned".
            let mut list = file
                .impersonal
                .iter()
                .map(|p| Pattern::parse(p, v))
                .collect::<Result<Vec<_>, _>>()?;
            if !file.outlets.is_empty() {
                list.push(Pattern::parse(
                    &format!(
                        "(the|this)? ({}) (understands|has learned|has learnt|have learned|has been told)",
                        file.outlets.join("|")
                    ),
                    v,
                )?);
            }
            PatternSet::new(list, STARTS_IMPERSONAL, v)
        };
        let reasons = PatternSet::new(
            file.reasons
                .iter()
                .map(|r| Pattern::parse(&r.pattern, v))
                .collect::<Result<_, _>>()?,
            STARTS_REASON,
            v,
        );
        let mut lexicon = Self {
            institutions: WordList::new(&file.institutions, v),
            document_nouns: WordList::new(&file.document_nouns, v),
            outlets: WordList::new(&file.outlets, v),
            on_record_cues: WordList::new(&file.on_record_cues, v),
            commentators: WordList::new(&file.commentators, v),
            quantifiers: PhraseSet::new(&file.quantifiers, QUANTIFIER, v),
            anonymity_modifiers: PhraseSet::new(&file.anonymity_modifiers, ANONYMITY_MODIFIER, v),
            modifiers: PhraseSet::new(&file.modifiers, MODIFIER, v),
            affiliations: PhraseSet::new(&file.affiliations, AFFILIATION, v),
            access: PatternSet::parse(&file.access, STARTS_ACCESS, v)?,
            clauses: PatternSet::parse(&file.anonymity_clauses, STARTS_CLAUSE, v)?,
            reasons,
            reason_boilerplate: file.reasons.iter().map(|r| r.boilerplate).collect(),
            lead_ins: PatternSet::parse(&file.lead_ins, STARTS_LEAD_IN, v)?,
            impersonal,
            hedges: PatternSet::parse(&file.hedges, STARTS_HEDGE, v)?,
            documents: PatternSet::parse(&file.documents, STARTS_DOCUMENT, v)?,
            partitive_pronoun: PatternSet::parse(
                &[
                    "(one|two|three|some|several|another|each|both|none|all|many) of (them|those)"
                        .to_owned(),
                ],
                STARTS_PARTITIVE,
                v,
            )?,
            declined: PatternSet::parse(
                &["declined to (comment|be interviewed|respond)".to_owned()],
                STARTS_DECLINED,
                v,
            )?,
            not_followed_by: pairs(&file.not_followed_by, v),
            not_preceded_by: pairs(&file.not_preceded_by, v),
            vocab,
        };
        // Later lists win: bare nouns are roles too, but their own class matters for severity.
        for (list, kind) in [
            (&file.roles, HeadKind::Role),
            (&file.bare, HeadKind::Bare),
            (&file.generic, HeadKind::Generic),
            (&file.spokespersons, HeadKind::Spokesperson),
        ] {
            for w in list {
                lexicon.add_head(w, kind);
            }
        }
        lexicon.add_person_nouns(&file.commentators);
        lexicon.index_triggers();
        Ok(lexicon)
    }

    fn add_head(&mut self, word: &str, kind: HeadKind) {
        let norm = word.to_lowercase();
        let w = self.vocab.intern(&norm);
        let lemma = self.vocab.intern(&context::lemma(&norm));
        self.vocab.set_head(w, kind, lemma);
    }

    /// Every person noun that is not already a head or a word with a grammatical job of its own
    /// ("senior" is a modifier, "said" a cue) becomes a [`HeadKind::Person`] head.
    fn add_person_nouns(&mut self, commentators: &[String]) {
        let busy = class::DETERMINER
            .with(class::QUANTIFIER)
            .with(class::ANONYMITY_MODIFIER)
            .with(class::MODIFIER)
            .with(class::AFFILIATION)
            .with(class::CUE)
            .with(class::BRIDGE)
            .with(class::FUNCTION_WORD)
            .with(class::PREPOSITION)
            .with(class::AUX_BE)
            .with(class::OBJECT_STOP)
            .with(class::NOT_NAME)
            .with(class::PLACE_PARTICIPLE)
            .with(class::STARTS_ACCESS)
            .with(class::STARTS_CLAUSE)
            .with(class::STARTS_REASON)
            .with(class::STARTS_LEAD_IN)
            .with(class::STARTS_IMPERSONAL)
            .with(class::STARTS_HEDGE)
            .with(class::STARTS_DOCUMENT)
            .with(class::STARTS_DECLINED);
        self.vocab.reserve(PERSON_NOUNS.len() / 8);
        // Looked up for each of the ten thousand nouns: compared with each commentator in turn,
        // this was a sixth of building the lexicon.
        let commentators: HashSet<&str> = commentators.iter().map(String::as_str).collect();
        for word in PERSON_NOUNS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| !commentators.contains(l))
        {
            // Interning a word the grammar then ignores costs nothing; a second probe for every
            // word would.
            let w = self.vocab.intern(word);
            if self.vocab.head(w).is_some() || self.vocab.class(w).has(busy) {
                continue;
            }
            // The list is lower case already, and most plurals are their singular plus "s":
            // no string is built for either.
            let singular = context::singular(word);
            let lemma = if singular == word {
                w
            } else {
                self.vocab.intern(&singular)
            };
            self.vocab.set_head(w, HeadKind::Person, lemma);
        }
    }

    /// Marks the words that make a sentence worth parsing; called whenever the lists change.
    fn index_triggers(&mut self) {
        for set in [&self.impersonal, &self.hedges, &self.partitive_pronoun] {
            let starts = set.starts();
            self.vocab.add_class_where(starts, class::TRIGGER);
        }
        self.vocab.add_class_where(class::HEAD, class::TRIGGER);
        self.vocab.add_class(known::ANOTHER, class::TRIGGER);
    }

    /// The kind of head a word is, if it is one.
    pub fn head(&self, w: Word) -> Option<HeadKind> {
        self.vocab.head(w)
    }

    /// "source code": the word after this head shows it is not a source.
    pub fn not_followed_by(&self, head: Word, next: Word) -> bool {
        self.not_followed_by.contains(&(head, next))
    }

    /// "energy source": the word before this head shows it is not a source.
    pub fn not_preceded_by(&self, head: Word, before: Word) -> bool {
        self.not_preceded_by.contains(&(head, before))
    }

    /// Adds a config's words to the built-in lists.
    pub fn extend(&mut self, ext: &crate::config::LexiconExtension) {
        for (list, kind) in [
            (&ext.roles, HeadKind::Role),
            (&ext.bare, HeadKind::Bare),
            (&ext.spokespersons, HeadKind::Spokesperson),
        ] {
            for w in list.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
                self.add_head(w, kind);
            }
        }
        self.modifiers.add(&ext.modifiers, &mut self.vocab);
        self.anonymity_modifiers
            .add(&ext.anonymity_modifiers, &mut self.vocab);
        self.affiliations.add(&ext.affiliations, &mut self.vocab);
        let cues: Vec<&str> = ext
            .cue_verbs
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        classify(&mut self.vocab, &cues, class::CUE);
        self.index_triggers();
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn built_in_lexicon_parses() {
        let lx = Lexicon::built_in();
        let head = |w: &str| lx.head(lx.vocab.lookup(w));
        assert_eq!(head("sources"), Some(HeadKind::Bare));
        assert_eq!(head("officials"), Some(HeadKind::Role));
        assert_eq!(head("spokeswoman"), Some(HeadKind::Spokesperson));
        assert_eq!(head("said"), None);
        // Person nouns become heads, except those on the commentators' list.
        assert_eq!(head("residents"), Some(HeadKind::Person));
        assert_eq!(head("economists"), None);
        assert_eq!(head("columnist"), None);
        let people = lx.vocab.lookup("people");
        assert_eq!(lx.vocab.text(lx.vocab.lemma(people)), "person");
        assert!(lx.not_followed_by(lx.vocab.lookup("source"), lx.vocab.lookup("code")));
        assert!(lx.not_preceded_by(lx.vocab.lookup("source"), lx.vocab.lookup("energy")));
    }

    #[test]
    fn pattern_optional_and_alternatives() {
        let mut v = Vocabulary::new();
        let p = Pattern::parse(
            "who? (spoke|speaking) on the? condition of anonymity",
            &mut v,
        )
        .unwrap();
        let multi = Pattern::parse("spoke (privately|off the record)", &mut v).unwrap();
        assert!(Pattern::parse("a? b?", &mut v).is_err());
        assert!(Pattern::parse("(a|b", &mut v).is_err());
        let toks = tokenize(&v, "speaking on condition of anonymity today");
        assert_eq!(p.match_at(&toks, 0, toks.len()), Some(5));
        let toks = tokenize(&v, "Spoke off the record");
        assert_eq!(multi.match_at(&toks, 0, toks.len()), Some(4));
    }

    #[test]
    fn pattern_sets_try_only_patterns_that_start_with_the_word() {
        let mut v = Vocabulary::new();
        let set = PatternSet::parse(
            &[
                "(the|this)? (guardian|times) understands".into(),
                "it is understood".into(),
            ],
            class::STARTS_IMPERSONAL,
            &mut v,
        )
        .unwrap();
        let toks = tokenize(&v, "the Times understands, it is understood, the end");
        assert_eq!(set.first_at(&toks, 0, toks.len()), Some((0, 3)));
        assert_eq!(set.first_at(&toks, 1, toks.len()), Some((0, 3)));
        assert_eq!(set.first_at(&toks, 4, toks.len()), Some((1, 7)));
        assert_eq!(set.first_at(&toks, 8, toks.len()), None);
        assert!(set.ends_at(&toks, 0, 3));
        assert!(!set.ends_at(&toks, 0, 2));
    }

    /// Every pattern tried at every token, with no bit tests to turn tokens away.
    fn first_at_by_trying_all(
        set: &PatternSet,
        toks: &[crate::detect::tokens::Token],
        i: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        (i < end)
            .then(|| {
                set.patterns
                    .iter()
                    .enumerate()
                    .find_map(|(k, p)| p.match_at(toks, i, end).map(|e| (k, e)))
            })
            .flatten()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The bit tests that turn most tokens away before any pattern is tried never turn away
        /// one where a pattern matches: text made of the built-in patterns' own words (so
        /// matches and near misses are common) gets the same answer at every token as trying
        /// every pattern in order.
        #[test]
        fn the_quick_tests_never_hide_a_match(picks in proptest::collection::vec(0usize..10_000, 1..40)) {
            let lx = Lexicon::built_in();
            let sets = [
                &lx.access, &lx.clauses, &lx.reasons, &lx.lead_ins, &lx.impersonal,
                &lx.hedges, &lx.documents, &lx.partitive_pronoun, &lx.declined,
            ];
            let mut words: Vec<&str> = sets
                .iter()
                .flat_map(|s| s.patterns.iter())
                .flat_map(|p| p.elems.iter())
                .flat_map(|e| e.alts.iter().flatten())
                .map(|&w| lx.vocab.text(w))
                .collect();
            words.sort_unstable();
            words.dedup();
            words.extend(["filler", ",", "."]);
            let text: Vec<&str> = picks.iter().map(|&k| words[k % words.len()]).collect();
            let text = text.join(" ");
            let toks = tokenize(&lx.vocab, &text);
            for set in sets {
                for end in [toks.len(), toks.len() / 2] {
                    for i in 0..=toks.len() {
                        proptest::prop_assert_eq!(
                            set.first_at(&toks, i, end),
                            first_at_by_trying_all(set, &toks, i, end),
                            "at token {} of {:?}", i, text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn phrase_set_matches_longest_phrase_backwards() {
        let mut v = Vocabulary::new();
        let set = PhraseSet::new(
            &["law enforcement".into(), "enforcement".into()],
            class::AFFILIATION,
            &mut v,
        );
        let toks = tokenize(&v, "unnamed law enforcement officials");
        assert_eq!(set.ending_at(&toks, 3, 0), Some(1));
        assert_eq!(set.ending_at(&toks, 3, 2), Some(2));
        assert!(set.contains_word(&toks[2]) && !set.contains_word(&toks[1]));
    }
}
