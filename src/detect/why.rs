//! Why a phrase is a source, kept as the positions of its words and the facts the grammar
//! found, and put into a sentence only when someone reads it: the review screen, the language
//! server and `scan --format json` do; `scan --format line` and `check` never do. Written out
//! for each of a 32 MB draft's 38,000 sources, the sentences were a twentieth of a whole scan.
//!
//! Positions are counted from the source's own start, in 32 bits, so a `Why` takes 24 bytes:
//! the review screen walks every source of a large draft for some keys, and at 48 bytes the
//! walk over 120,000 sources took three times as long.

use std::fmt;
use std::ops::Range;

/// A run of the source's words, by byte position from the source's start; shown with runs of
/// whitespace folded to one space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub start: u32,
    pub end: u32,
}

impl Words {
    /// The bytes `start..end` of a draft, for a source that starts at `base` (at or before
    /// `start`). A source more than 4 GiB long, which no draft has, would show no words.
    pub fn within(base: usize, start: usize, end: usize) -> Self {
        let from_base = |x: usize| u32::try_from(x.saturating_sub(base)).unwrap_or(u32::MAX);
        Self {
            start: from_base(start),
            end: from_base(end),
        }
    }
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
    /// A noun phrase: its head, the words before the head that describe it (from the source's
    /// start to `described`, when there are any), and the facts.
    Phrase {
        head: Words,
        described: Option<u32>,
        facts: Facts,
    },
    /// "it is understood", "sources said" with no head of its own: the source's words.
    Impersonal,
    /// A hedge that names no source ("reportedly").
    Hedge,
    /// "Another, speaking anonymously, said".
    Another,
    /// "one of them": a pronoun for the last source.
    RefersBack,
    /// A phrase listed in the config's `flag`.
    Flagged,
    /// Marked by an editor.
    Manual,
    /// Judged in an earlier review of text the detector no longer flags.
    Earlier,
}

impl Why {
    /// The sentence an editor reads about the source at `source` in `text`, with the words taken
    /// from the text (a position outside it shows no words rather than failing).
    pub fn shown<'a>(&'a self, text: &'a str, source: Range<usize>) -> Shown<'a> {
        Shown {
            why: self,
            text,
            source,
        }
    }

    /// [`Why::shown`] as a string.
    pub fn to_text(&self, text: &str, source: Range<usize>) -> String {
        self.shown(text, source).to_string()
    }
}

/// [`Why`] in words; see [`Why::shown`].
pub struct Shown<'a> {
    why: &'a Why,
    text: &'a str,
    source: Range<usize>,
}

impl Shown<'_> {
    fn words(&self, f: &mut fmt::Formatter<'_>, w: Words) -> fmt::Result {
        let at = |x: u32| self.source.start.saturating_add(x as usize);
        let words = self.text.get(at(w.start)..at(w.end)).unwrap_or_default();
        for (k, word) in words.split_whitespace().enumerate() {
            if k > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

impl Shown<'_> {
    /// All of the source's words.
    fn own_words(&self) -> Words {
        Words::within(self.source.start, self.source.start, self.source.end)
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
                if let Some(end) = described {
                    f.write_str(", described as \"")?;
                    self.words(f, Words { start: 0, end })?;
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
            Why::Impersonal => {
                f.write_str("impersonal attribution \"")?;
                self.words(f, self.own_words())?;
                f.write_str("\"")
            }
            Why::Hedge => {
                f.write_str("hedge with no source \"")?;
                self.words(f, self.own_words())?;
                f.write_str("\"")
            }
            Why::Another => f.write_str("\"another\" introduces one more source like the last one"),
            Why::RefersBack => {
                f.write_str("\"")?;
                self.words(f, self.own_words())?;
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
        let text = "Then two  senior\nofficials said";
        let why = Why::Phrase {
            head: Words::within(5, 17, 26),
            described: Some(Words::within(5, 5, 16).end),
            facts: Facts {
                reason: Some(false),
                cue: Cue::Verb,
                refers_back: true,
                ..Facts::default()
            },
        };
        assert_eq!(
            why.to_text(text, 5..26),
            "head \"officials\", described as \"two senior\", reason stated, reporting verb, \
             refers back to an earlier source"
        );
        assert_eq!(
            Why::Impersonal.to_text(text, 5..26),
            "impersonal attribution \"two senior officials\""
        );
    }

    #[test]
    fn positions_outside_the_text_show_no_words_instead_of_failing() {
        assert_eq!(
            Why::Impersonal.to_text("é sources", 3..400),
            "impersonal attribution \"\""
        );
        assert_eq!(Why::Hedge.to_text("é", 1..2), "hedge with no source \"\"");
        let far = Why::Phrase {
            head: Words::within(0, 1 << 33, (1 << 33) + 3),
            described: None,
            facts: Facts::default(),
        };
        assert_eq!(far.to_text("officials", 0..9), "head \"\"");
    }

    #[test]
    fn a_why_is_small() {
        assert!(std::mem::size_of::<Why>() <= 24);
    }
}
