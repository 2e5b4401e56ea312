//! Words and punctuation with their byte ranges, and sentence boundaries over them.
//!
//! Real copy is messy, so a word's normalised form folds case, curly apostrophes and the hyphen
//! variants ("ex‑official" with a non-breaking hyphen) onto plain ASCII, and any whitespace —
//! including a line break in hard-wrapped Markdown or a non-breaking space — separates tokens.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Lower-cased, with apostrophes, hyphens and quotation marks folded to ASCII.
    pub norm: String,
    pub capitalised: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    pub fn is(&self, s: &str) -> bool {
        self.norm == s
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{00ad}')
}

fn fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_apostrophe(c) {
        out.push('\'');
    } else if is_hyphen(c) {
        out.push('-');
    } else if matches!(
        c,
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{00ab}' | '\u{00bb}'
    ) {
        out.push('"');
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Splits `text[range]` into tokens. Offsets are absolute byte offsets into `text`.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let base = range.start;
    let slice = &text[range];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let mut norm = String::new();
            fold(c, &mut norm);
            tokens.push(Token {
                start: base + off,
                end: base + off + c.len_utf8(),
                kind: Kind::Punct,
                norm,
                capitalised: false,
            });
            i += 1;
            continue;
        }
        let start = i;
        let mut has_dot = false;
        let mut segment_start = i;
        loop {
            while i < chars.len() && chars[i].1.is_alphanumeric() {
                i += 1;
            }
            let next = chars.get(i).map(|&(_, c)| c);
            let after = chars.get(i + 1).map(|&(_, c)| c);
            let single_letter = i - segment_start == 1 && chars[segment_start].1.is_alphabetic();
            match (next, after) {
                (Some(j), Some(a)) if (is_apostrophe(j) || is_hyphen(j)) && a.is_alphanumeric() => {
                    i += 1;
                    segment_start = i;
                }
                // Initialisms: "U.S." and "U.N." are one word, full stop included.
                (Some('.'), Some(a))
                    if single_letter
                        && a.is_alphabetic()
                        && chars.get(i + 2).map(|p| p.1) == Some('.') =>
                {
                    has_dot = true;
                    i += 1;
                    segment_start = i;
                }
                (Some('.'), _) if single_letter && has_dot => {
                    i += 1;
                    break;
                }
                _ => break,
            }
        }
        let s_off = chars[start].0;
        let e_off = chars.get(i).map_or(slice.len(), |&(o, _)| o);
        let mut norm = String::with_capacity(e_off - s_off);
        for &(_, c) in &chars[start..i] {
            fold(c, &mut norm);
        }
        tokens.push(Token {
            start: base + s_off,
            end: base + e_off,
            kind: Kind::Word,
            norm,
            capitalised: chars[start].1.is_uppercase(),
        });
    }
    tokens
}

/// Splits tokens into sentences (ranges of token indices).
///
/// A full stop ends a sentence unless it follows a known abbreviation ("Mr.", "Gen.") or the next
/// word starts in lower case ("U.S. officials"). A Markdown heading, list item or quote marker at the
/// start of a line also starts a new sentence, so a headline never runs into the story.
pub fn sentences(
    text: &str,
    tokens: &[Token],
    abbreviations: &HashSet<String>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if i > start
            && t.kind == Kind::Punct
            && matches!(t.norm.as_str(), "#" | "*" | "-" | ">")
            && at_line_start(text, t.start)
        {
            out.push(start..i);
            start = i;
        }
        let ends = t.kind == Kind::Punct
            && matches!(t.norm.as_str(), "." | "!" | "?")
            && !(t.norm == "."
                && i > 0
                && tokens[i - 1].end == t.start
                && abbreviations.contains(&tokens[i - 1].norm));
        if ends {
            // Closing quotes and brackets glued to the stop belong to this sentence.
            let mut j = i + 1;
            while j < tokens.len()
                && tokens[j].kind == Kind::Punct
                && tokens[j].start == tokens[j - 1].end
            {
                j += 1;
            }
            let boundary = match tokens.get(j) {
                None => true,
                Some(next) => {
                    next.capitalised
                        || next.kind == Kind::Punct
                        || next.norm.starts_with(|c: char| c.is_ascii_digit())
                }
            };
            if boundary {
                out.push(start..j);
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

fn at_line_start(text: &str, offset: usize) -> bool {
    text[..offset]
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .all(|c| c == ' ' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn folds_apostrophes_hyphens_and_initialisms() {
        assert_eq!(
            words("the company’s ex‑official"),
            ["the", "company's", "ex-official"]
        );
        assert_eq!(
            words("U.S. officials, said"),
            ["u.s.", "officials", ",", "said"]
        );
        assert_eq!(words("A. Smith"), ["a", ".", "smith"]);
    }

    #[test]
    fn offsets_are_bytes_into_the_whole_text() {
        let text = "é unnamed\u{a0}official";
        let toks = tokenize(text, 0..text.len());
        assert_eq!(&text[toks[2].start..toks[2].end], "official");
        assert_eq!(toks.len(), 3);
    }

    #[test]
    fn splits_sentences_but_not_after_abbreviations() {
        let text = "Mr. Smith said so. U.S. officials agreed. Then it ended";
        let toks = tokenize(text, 0..text.len());
        let abbr: HashSet<String> = ["mr".to_owned()].into_iter().collect();
        let sents = sentences(text, &toks, &abbr);
        let firsts: Vec<&str> = sents.iter().map(|r| toks[r.start].norm.as_str()).collect();
        assert_eq!(firsts, ["mr", "u.s.", "then"]);
    }
}
