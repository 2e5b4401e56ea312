//! Head nouns: whether a token heads a source phrase, of what kind, and its singular.

use super::*;

/// What the grammar needs to know about a head noun.
pub(super) struct Head {
    pub(super) kind: HeadKind,
    /// A hyphenated prefix carried modifiers ("ex-official").
    pub(super) hyphen_mods: bool,
    /// …and one of them was an anonymity modifier ("unnamed-official").
    pub(super) hyphen_anon: bool,
    /// The singular, so "the official" can refer back to "two officials".
    pub(super) lemma: Lemma,
    pub(super) plural: bool,
}

/// The head a token is, if it is one: a head noun itself, or a hyphenated word whose last part
/// is a head and whose other parts are all modifiers.
pub(super) fn head_of(lx: &Lexicon, text: &str, t: &Token) -> Option<Head> {
    if let Some(kind) = lx.head(t.word) {
        let lemma = lx.vocab.lemma(t.word);
        return Some(Head {
            kind,
            hyphen_mods: false,
            hyphen_anon: false,
            lemma: Lemma::Known(lemma),
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
        lemma: Lemma::of(lx, &singular),
    })
}
