//! Why a phrase is a source, kept as the positions of its words and the facts the grammar
//! found, and put into a sentence only when someone reads it: the review screen, the language
//! server and `scan --format json` do; `scan --format line` and `check` never do. Written out
//! for each of a 32 MB draft's 38,000 sources, the sentences were a twentieth of a whole scan.

use std::fmt;

/// A run of the draft's words, by byte position; shown with runs of whitespace folded to one
/// space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub start: usize,
    pub end: usize,
}

/// What the grammar found around a noun phrase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub access: bool,
    pub clause: bool,
    /// A reason for anonymity: boilerplate (`Some(true)`) or stated.
    pub reason: Option<bool>,
    pub cue: Cue,
    pub refers_back: bool,
}

/// What made the phrase a source's, the first of these that holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Cue {
    #[default]
    None,
    /// The agent of a passive reporting verb.
    Passive,
    /// "according to" or "citing".
    According,
    /// A reporting verb.
    Verb,
    /// The reporting verb of a pronoun that refers to it.
    Pronoun,
}

/// Why a source is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A noun phrase: its head, the words before the head that describe it, and the facts.
    Phrase {
        head: Words,
        described: Option<Words>,
        facts: Facts,
    },
    /// "it is understood", "sources said" with no head of its own.
    Impersonal(Words),
    /// A hedge that names no source ("reportedly").
    Hedge(Words),
    /// "Another, speaking anonymously, said".
    Another,
    /// "one of them": a pronoun for the last source.
    RefersBack(Words),
    /// A phrase listed in the config's `flag`.
    Flagged,
    /// Marked by an editor.
    Manual,
    /// Judged in an earlier review of text the detector no longer flags.
    Earlier,
}

impl Why {
    /// The sentence an editor reads, with the words taken from `text` (the draft the positions
    /// are in; a position outside it shows no words rather than failing).
    pub fn shown<'a>(&'a self, text: &'a str) -> Shown<'a> {
        Shown { why: self, text }
    }

    /// [`Why::shown`] as a string.
    pub fn to_text(&self, text: &str) -> String {
        self.shown(text).to_string()
    }
}

/// [`Why`] in words; see [`Why::shown`].
pub struct Shown<'a> {
    why: &'a Why,
    text: &'a str,
}

impl Shown<'_> {
    fn words(&self, f: &mut fmt::Formatter<'_>, w: Words) -> fmt::Result {
        let words = self.text.get(w.start..w.end).unwrap_or_default();
        for (k, word) in words.split_whitespace().enumerate() {
            if k > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.why {
            Why::Phrase {
                head,
                described,
                facts,
            } => {
                f.write_str("head \"")?;
                self.words(f, head)?;
                f.write_str("\"")?;
                if let Some(described) = described {
                    f.write_str(", described as \"")?;
                    self.words(f, described)?;
                    f.write_str("\"")?;
                }
                if facts.access {
                    f.write_str(", access phrase")?;
                }
                if facts.clause {
                    f.write_str(", anonymity clause")?;
                }
                match facts.reason {
                    Some(true) => f.write_str(", boilerplate reason")?,
                    Some(false) => f.write_str(", reason stated")?,
                    None => {}
                }
                f.write_str(match facts.cue {
                    Cue::None => "",
                    Cue::Passive => ", agent of a passive reporting verb",
                    Cue::According => ", introduced by according to/citing",
                    Cue::Verb => ", reporting verb",
                    Cue::Pronoun => ", the reporting verb of a pronoun that refers to it",
                })?;
                if facts.refers_back {
                    f.write_str(", refers back to an earlier source")?;
                }
                Ok(())
            }
            Why::Impersonal(w) => {
                f.write_str("impersonal attribution \"")?;
                self.words(f, w)?;
                f.write_str("\"")
            }
            Why::Hedge(w) => {
                f.write_str("hedge with no source \"")?;
                self.words(f, w)?;
                f.write_str("\"")
            }
            Why::Another => f.write_str("\"another\" introduces one more source like the last one"),
            Why::RefersBack(w) => {
                f.write_str("\"")?;
                self.words(f, w)?;
                f.write_str("\" refers back to an earlier source")
            }
            Why::Flagged => f.write_str("phrase listed in your config's `flag`"),
            Why::Manual => f.write_str("marked as an anonymous source by an editor"),
            Why::Earlier => {
                f.write_str("judged in an earlier review; the detector no longer flags this text")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_told_with_its_own_words_whitespace_folded() {
        let text = "two  senior\nofficials said";
        let why = Why::Phrase {
            head: Words { start: 12, end: 21 },
            described: Some(Words { start: 0, end: 11 }),
            facts: Facts {
                reason: Some(false),
                cue: Cue::Verb,
                refers_back: true,
                ..Facts::default()
            },
        };
        assert_eq!(
            why.to_text(text),
            "head \"officials\", described as \"two senior\", reason stated, reporting verb, \
             refers back to an earlier source"
        );
    }

    #[test]
    fn positions_outside_the_text_show_no_words_instead_of_failing() {
        let why = Why::Impersonal(Words { start: 3, end: 400 });
        assert_eq!(why.to_text("é sources"), "impersonal attribution \"\"");
        let why = Why::Hedge(Words { start: 1, end: 2 });
        assert_eq!(why.to_text("é"), "hedge with no source \"\"");
    }
}
