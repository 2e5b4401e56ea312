//! Words and punctuation with their byte ranges, and sentence boundaries over them.
//!
//! Real copy is messy, so a word's normalised form folds case, curly apostrophes and the hyphen
//! variants ("ex‑official" with a non-breaking hyphen) onto plain ASCII, and any whitespace —
//! including a line break in hard-wrapped Markdown or a non-breaking space — separates tokens.
//! Each token is looked up in the [`Vocabulary`] as it is made, so it carries its word's number
//! and classes rather than its text.
//!
//! The whole draft goes through here, so ASCII takes a byte-at-a-time path and only other
//! characters are decoded.

use super::words::{Class, Entry, PACKED, Vocabulary, Word, class, known};

mod bytes;
use bytes::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The word, by number; [`Word::UNKNOWN`] for one the lexicon does not know.
    pub word: Word,
    /// The word's classes and the token's shape.
    pub class: Class,
    pub capitalised: bool,
}

impl Token {
    fn new(start: usize, end: usize, kind: Kind, entry: Entry, capitalised: bool) -> Self {
        Self {
            start,
            end,
            kind,
            word: entry.word,
            class: entry.class,
            capitalised,
        }
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    pub fn is(&self, w: Word) -> bool {
        self.word == w
    }

    pub fn has(&self, c: Class) -> bool {
        self.class.has(c)
    }

    /// The token's shape, worked out from its text when the grammar asks, which is for a few
    /// words around each head rather than for every token.
    pub fn shape(&self, text: &str) -> Shape {
        let raw = &text[self.start..self.end];
        ascii_shape(raw.as_bytes()).unwrap_or_else(|| shape(&normalise(raw)))
    }
}

/// [`shape`] of an ASCII token in one pass over its bytes, or `None` for any other: the grammar
/// asks about tens of thousands of words in a large draft, nearly all of them ASCII.
fn ascii_shape(b: &[u8]) -> Option<Shape> {
    // Which kinds of byte the token holds, one bit each, gathered without a branch per byte.
    let kinds = b
        .iter()
        .fold(0u8, |kinds, &c| kinds | 1 << SHAPE_KIND[c as usize]);
    if kinds & 1 << OTHER_CHAR != 0 {
        return None;
    }
    // The last bytes with ASCII letters in lower case (bit 0x20 set); other bytes compared
    // this way are only ever matched against letters, which no other byte becomes.
    let n = b.len();
    let last = |k: usize| b[n - k] | 0x20;
    let ends_ing = n >= 3 && last(3) == b'i' && last(2) == b'n' && last(1) == b'g';
    let ends_ed = n >= 2 && last(2) == b'e' && last(1) == b'd';
    let noun_chars = kinds & (1 << OTHER_ASCII) == 0 && kinds & (1 << LETTER) != 0;
    Some(Shape {
        digits: kinds == 1 << DIGIT_CHAR,
        noun: noun_chars && !ends_ing && !ends_ed,
        possessive: (n >= 2 && b[n - 2] == b'\'' && last(1) == b's')
            || (n > 2 && last(2) == b's' && b[n - 1] == b'\''),
        progressive: noun_chars && n >= 5 && ends_ing,
    })
}

const LETTER: u8 = 0;
const DIGIT_CHAR: u8 = 1;
const HYPHEN_CHAR: u8 = 2;
const OTHER_ASCII: u8 = 3;
const OTHER_CHAR: u8 = 4;

/// What kind of byte each is, for [`ascii_shape`].
static SHAPE_KIND: [u8; 256] = {
    let mut t = [OTHER_CHAR; 256];
    let mut c = 0;
    while c < 0x80 {
        t[c] = match c as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT_CHAR,
            b'-' => HYPHEN_CHAR,
            _ => OTHER_ASCII,
        };
        c += 1;
    }
    t
};

/// Dashes, curly quotes, bullets and the ellipsis (U+2010 to U+2027): marks, never letters.
fn is_mark(c: char) -> bool {
    ('\u{2010}'..='\u{2027}').contains(&c)
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

/// The normalised form of `text`: lower case, with apostrophes, hyphens and quotation marks
/// folded to ASCII.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold(c, &mut out);
    }
    out
}

/// What a token's letters look like, for the few words around a head the grammar asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Only ASCII digits: "42".
    pub digits: bool,
    /// Letters, digits and hyphens with at least one letter, not ending in "ing" or "ed": the
    /// shape of a noun that can modify another ("a tour insider").
    pub noun: bool,
    /// Ends in "'s" (or "s'"): "Kyla's spokesman".
    pub possessive: bool,
    /// A word of at least five letters ending in "ing": "travelling", "arriving".
    pub progressive: bool,
}

/// The shape of a token's text: normalised, or plain ASCII in any case.
fn shape(norm: &str) -> Shape {
    let b = norm.as_bytes();
    let ends_with = |suffix: &str| {
        b.len() >= suffix.len()
            && b[b.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let noun_chars = norm.chars().all(|x| x.is_alphanumeric() || x == '-')
        && norm.chars().any(char::is_alphabetic);
    Shape {
        digits: !b.is_empty() && b.iter().all(u8::is_ascii_digit),
        noun: noun_chars && !ends_with("ing") && !ends_with("ed"),
        possessive: ends_with("'s") || (ends_with("s'") && b.len() > 2),
        progressive: noun_chars && b.len() >= 5 && ends_with("ing"),
    }
}

// The lookup key of an ASCII word is built eight bytes at a time: loaded as a `u64`, lower-cased
// all at once. The steps below rely on every byte they add to being under 0x80, so that no sum
// carries into the next byte; the top bit of each byte then carries the answer for that byte.

/// Why [`Tokenizer::fill`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The buffer holds as many tokens as asked; the paragraph goes on.
    Full,
    /// A blank line ended the paragraph.
    ParagraphEnd,
    /// The text ended.
    TextEnd,
}

/// Cuts a text into tokens, a paragraph at a time.
pub struct Tokenizer<'t> {
    text: &'t str,
    pos: usize,
    /// Where to stop: the end of the text, or of the chunk being cut.
    end: usize,
    /// Tokens were made since the last paragraph break.
    in_paragraph: bool,
    /// Every class of every token made since [`Tokenizer::take_seen`] was last called.
    seen: Class,
    scratch: String,
}

impl<'t> Tokenizer<'t> {
    pub fn new(text: &'t str) -> Self {
        Self::within(text, 0, text.len())
    }

    /// Tokens from byte `start`, taken to be the start of a paragraph, to byte `end`; offsets stay
    /// those of the whole text.
    pub fn within(text: &'t str, start: usize, end: usize) -> Self {
        Self {
            text,
            pos: start,
            end: end.min(text.len()),
            in_paragraph: false,
            seen: Class::NONE,
            scratch: String::new(),
        }
    }

    /// Appends tokens to `out` until it holds `cap` tokens, a blank line ends the paragraph
    /// ("\n", then only spaces, tabs or carriage returns, then "\n"), or the text ends.
    pub fn fill(&mut self, vocab: &Vocabulary, out: &mut Vec<Token>, cap: usize) -> Fill {
        let text = self.text;
        let b = text.as_bytes();
        // A line break since the last token, followed only by blanks.
        let mut line_break = false;
        while self.pos < self.end {
            let c = b[self.pos];
            let start = self.pos;
            match BYTE_CLASS[c as usize] {
                BLANK => {
                    self.pos += 1;
                    continue;
                }
                NEWLINE => {
                    self.pos += 1;
                    if line_break && self.in_paragraph {
                        self.in_paragraph = false;
                        return Fill::ParagraphEnd;
                    }
                    line_break = true;
                    continue;
                }
                OTHER_SPACE => {
                    self.pos += 1;
                    line_break = false;
                    continue;
                }
                // A control sequence pasted in with the text ("\x1b[2Jpeople familiar …") is a
                // boundary, like a space: it must not glue itself to the next word and hide it.
                ESCAPE => {
                    self.pos = escape_end(b, start + 1);
                    line_break = false;
                    continue;
                }
                LOWER | UPPER | DIGIT => match short_word(vocab, b, start) {
                    Some(token) => {
                        self.pos = token.end;
                        out.push(token);
                    }
                    None => match ascii_word(b, start) {
                        Some(scan) => {
                            self.pos = scan.end;
                            out.push(self.ascii_token(vocab, start, &scan));
                        }
                        None => {
                            let end = self.word_end(start);
                            self.pos = end;
                            out.push(self.word(vocab, start, end, c as char));
                        }
                    },
                },
                PUNCT => {
                    let entry = vocab.entry_packed(u128::from(c), 1);
                    out.push(Token::new(start, start + 1, Kind::Punct, entry, false));
                    self.pos += 1;
                }
                _ => {
                    let ch = text[start..].chars().next().unwrap_or('\u{fffd}');
                    let len = ch.len_utf8();
                    if ch == '\u{9b}' {
                        // The one-character form of ESC [ .
                        self.pos = csi_end(b, start + len);
                        line_break = false;
                        continue;
                    }
                    // Marks are common in news: known without the Unicode tables.
                    let mark = is_mark(ch);
                    if !mark && ch.is_whitespace() {
                        self.pos += len;
                        line_break = false;
                        continue;
                    }
                    if !mark && ch.is_alphanumeric() {
                        let end = self.word_end(start);
                        out.push(self.word(vocab, start, end, ch));
                        self.pos = end;
                    } else {
                        self.scratch.clear();
                        fold(ch, &mut self.scratch);
                        let entry = vocab.entry(&self.scratch);
                        out.push(Token::new(start, start + len, Kind::Punct, entry, false));
                        self.pos += len;
                    }
                }
            }
            line_break = false;
            self.in_paragraph = true;
            if let Some(t) = out.last() {
                self.seen |= t.class;
            }
            if out.len() >= cap {
                return Fill::Full;
            }
        }
        Fill::TextEnd
    }

    /// Where the next token will be looked for.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Whether the tokens made since the last blank line are still awaiting one.
    pub fn in_paragraph(&self) -> bool {
        self.in_paragraph
    }

    /// Every class that a token made since the last call had: a cheap way to learn whether a rare
    /// word turned up at all.
    pub fn take_seen(&mut self) -> Class {
        std::mem::take(&mut self.seen)
    }

    /// A token from the ASCII fast path.
    #[inline(always)]
    fn ascii_token(&mut self, vocab: &Vocabulary, start: usize, scan: &AsciiWord) -> Token {
        let b = self.text.as_bytes();
        let end = scan.end;
        let bytes = &b[start..end];
        let mut entry = if bytes.len() <= PACKED {
            vocab.entry_packed(packed_lower(b, start, end), bytes.len())
        } else {
            self.scratch.clear();
            self.scratch
                .extend(bytes.iter().map(|c| c.to_ascii_lowercase() as char));
            vocab.entry(&self.scratch)
        };
        if let Some(h) = scan.last_hyphen
            && !entry.class.has(class::HEAD)
        {
            let last = if end - (h + 1) <= PACKED {
                vocab.entry_packed(packed_lower(b, h + 1, end), end - (h + 1))
            } else {
                self.scratch.clear();
                self.scratch
                    .extend(b[h + 1..end].iter().map(|c| c.to_ascii_lowercase() as char));
                vocab.entry(&self.scratch)
            };
            if last.class.has(class::HEAD) {
                entry.class |= class::HYPHEN_HEAD;
            }
        }
        Token::new(start, end, Kind::Word, entry, bytes[0].is_ascii_uppercase())
    }

    fn char_at(&self, i: usize) -> Option<char> {
        let b = self.text.as_bytes();
        match b.get(i) {
            None => None,
            Some(&c) if c < 0x80 => Some(c as char),
            Some(_) => self.text[i..].chars().next(),
        }
    }

    /// The end of the word starting at `start`: runs of letters and digits joined by an
    /// apostrophe or hyphen ("company's", "ex-official"), and initialisms with their full stops
    /// ("U.S.").
    fn word_end(&self, start: usize) -> usize {
        let b = self.text.as_bytes();
        let mut i = start;
        let mut segment_start = start;
        let mut has_dot = false;
        loop {
            while i < b.len() {
                let c = b[i];
                if c < 0x80 {
                    if c.is_ascii_alphanumeric() {
                        i += 1;
                        continue;
                    }
                    break;
                }
                match self.char_at(i) {
                    // A word of news ends at a curly quote or dash more often than at anything
                    // else outside ASCII: those are marks without the Unicode tables.
                    Some(ch) if !is_mark(ch) && ch.is_alphanumeric() => i += ch.len_utf8(),
                    _ => break,
                }
            }
            let Some(next) = self.char_at(i) else { break };
            let after_at = i + next.len_utf8();
            let after = self.char_at(after_at);
            let single_letter = self.char_at(segment_start).is_some_and(|first| {
                segment_start + first.len_utf8() == i && first.is_alphabetic()
            });
            match (next, after) {
                (j, Some(a)) if (is_apostrophe(j) || is_hyphen(j)) && a.is_alphanumeric() => {
                    i = after_at;
                    segment_start = i;
                }
                // Initialisms: "U.S." and "U.N." are one word, full stop included.
                ('.', Some(a))
                    if single_letter
                        && a.is_alphabetic()
                        && self.char_at(after_at + a.len_utf8()) == Some('.') =>
                {
                    has_dot = true;
                    i = after_at;
                    segment_start = i;
                }
                ('.', _) if single_letter && has_dot => {
                    i += 1;
                    break;
                }
                _ => break,
            }
        }
        i
    }

    fn word(&mut self, vocab: &Vocabulary, start: usize, end: usize, first: char) -> Token {
        let raw = &self.text[start..end];
        let norm: &str = if raw.bytes().all(|c| c < 0x80 && !c.is_ascii_uppercase()) {
            raw
        } else {
            self.scratch.clear();
            for c in raw.chars() {
                fold(c, &mut self.scratch);
            }
            &self.scratch
        };
        let mut entry = vocab.entry(norm);
        if !entry.class.has(class::HEAD)
            && let Some((_, last)) = norm.rsplit_once('-')
            && vocab.entry(last).class.has(class::HEAD)
        {
            entry.class |= class::HYPHEN_HEAD;
        }
        Token::new(start, end, Kind::Word, entry, first.is_uppercase())
    }
}

/// The token of a word of at most seven ASCII letters and digits that starts at `start` and is
/// followed by a byte that cannot carry it on ([`ends_word`]), or `None` for the general paths.
/// Most words of English are these: one load of eight bytes finds where the word ends, folds its
/// case and makes its lookup key.
#[inline(always)]
fn short_word(vocab: &Vocabulary, b: &[u8], start: usize) -> Option<Token> {
    // Past the end of the text `load8` gives zero bytes, which end the word like any mark.
    let x = load8(b, start);
    // Setting 0x20 lower-cases a letter and leaves a digit as it is; of the other bytes only
    // letters land in a..=z, so one range test finds the letters of either case, and the key,
    // masked to the word's length, is already folded.
    let lower = x | CASE;
    let alnum = bytes_in(lower, b'a', b'z') | bytes_in(x, b'0', b'9');
    let other = !alnum & HIGH;
    let capitalised = (x as u8).is_ascii_uppercase();
    if other == 0 {
        return long_word(vocab, b, start, lower, capitalised);
    }
    let len = (other.trailing_zeros() / 8) as usize;
    let next = (x >> (8 * len)) as u8;
    if !ends_word(next, len) {
        return None;
    }
    let key = lower & KEEP[len];
    // The map is picked here, where the length is known, rather than by `entry_packed`'s match
    // on it: that match cost 3% of tokenizing.
    let entry = if len == 1 {
        vocab.entry_packed(u128::from(key), 1)
    } else {
        vocab.entry_short(key)
    };
    Some(Token::new(
        start,
        start + len,
        Kind::Word,
        entry,
        capitalised,
    ))
}

/// Whether the ASCII byte `next`, after a run of `len` letters and digits, ends the word there
/// for certain: not an apostrophe or hyphen, which join words, nor a byte that starts a
/// character outside ASCII. A full stop ends a run of two or more ("said."); after one letter
/// it may be an initialism's ("U.S.").
#[inline(always)]
fn ends_word(next: u8, len: usize) -> bool {
    // One table read and a shift, for a test made after nearly every word.
    ENDS_WORD[next as usize] >> u8::from(len >= 2) & 1 != 0
}

/// For each byte, whether it ends a run of one letter or digit (bit 0) and of two or more
/// (bit 1): see [`ends_word`].
static ENDS_WORD: [u8; 256] = {
    let mut t = [0; 256];
    let mut c = 0;
    while c < 0x80 {
        t[c] = match c as u8 {
            b'\'' | b'-' => 0,
            b'.' => 0b10,
            _ => 0b11,
        };
        c += 1;
    }
    t
};

/// [`short_word`] for a word of eight to fifteen bytes, whose first eight (`lower`, folded)
/// are all letters and digits: one more load of eight bytes finds its end and the rest of its
/// key. "according", "officials", "government" are these: a word in five of news.
#[inline(always)]
fn long_word(
    vocab: &Vocabulary,
    b: &[u8],
    start: usize,
    lower: u64,
    capitalised: bool,
) -> Option<Token> {
    let y = load8(b, start + 8);
    let folded = y | CASE;
    let alnum = bytes_in(folded, b'a', b'z') | bytes_in(y, b'0', b'9');
    let other = !alnum & HIGH;
    if other == 0 {
        return None;
    }
    let rest = (other.trailing_zeros() / 8) as usize;
    let len = 8 + rest;
    let next = (y >> (8 * rest)) as u8;
    if !ends_word(next, len) {
        return None;
    }
    let entry = if rest == 0 {
        vocab.entry_short(lower)
    } else {
        vocab.entry_medium(u128::from(lower) | (u128::from(folded & KEEP[rest]) << 64))
    };
    Some(Token::new(
        start,
        start + len,
        Kind::Word,
        entry,
        capitalised,
    ))
}

/// All tokens of `text`, ignoring paragraph breaks (for tests and small texts).
pub fn tokenize(vocab: &Vocabulary, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut t = Tokenizer::new(text);
    while t.fill(vocab, &mut out, usize::MAX) != Fill::TextEnd {}
    out
}

/// Where the sentence that starts at token `start` ends (the index of the next sentence's first
/// token), if the tokens so far decide it. `complete` says no more tokens will come before a
/// paragraph break.
///
/// A full stop ends a sentence unless it follows a known abbreviation ("Mr.", "Gen.") or the next
/// word starts in lower case ("U.S. officials"). A Markdown heading, list item or quote marker at the
/// start of a line also starts a new sentence, so a headline never runs into the story.
pub fn sentence_end(text: &str, toks: &[Token], start: usize, complete: bool) -> Option<usize> {
    let mut i = start;
    while i < toks.len() {
        let t = &toks[i];
        // Nearly every token is neither a stop nor a marker: one bit test passes it over.
        if !t.has(class::STOP.with(class::MARKER)) {
            i += 1;
            continue;
        }
        if i > start
            && t.kind == Kind::Punct
            && t.has(class::MARKER)
            && at_line_start(text, t.start)
        {
            return Some(i);
        }
        let ends = t.kind == Kind::Punct
            && t.has(class::STOP)
            && !(t.is(known::FULL_STOP)
                && i > 0
                && toks[i - 1].end == t.start
                && toks[i - 1].has(class::ABBREVIATION));
        if ends {
            // Closing quotes and brackets glued to the stop belong to this sentence.
            let mut j = i + 1;
            while j < toks.len() && toks[j].kind == Kind::Punct && toks[j].start == toks[j - 1].end
            {
                j += 1;
            }
            if j == toks.len() && !complete {
                return None;
            }
            let boundary = match toks.get(j) {
                None => true,
                Some(next) => {
                    next.capitalised
                        || next.kind == Kind::Punct
                        || text.as_bytes()[next.start].is_ascii_digit()
                }
            };
            if boundary {
                return Some(j);
            }
        }
        i += 1;
    }
    (complete && start < toks.len()).then_some(toks.len())
}

/// Whether only spaces and tabs stand between the line's start and `offset`. It looks back no
/// further than the first other byte: a hyphen in the middle of a long line must not cost the
/// whole line.
fn at_line_start(text: &str, offset: usize) -> bool {
    text.as_bytes()[..offset]
        .iter()
        .rev()
        .find(|&&b| b != b' ' && b != b'\t')
        .is_none_or(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let mut v = Vocabulary::new();
        let mr = v.intern("mr");
        v.add_class(mr, class::ABBREVIATION);
        v
    }

    /// Splits tokens into sentences (ranges of token indices), treating them as one paragraph.
    fn sentences(text: &str, toks: &[Token]) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(end) = sentence_end(text, toks, start, true) {
            out.push(start..end);
            start = end;
        }
        out
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(&vocab(), text)
            .into_iter()
            .map(|t| normalise(&text[t.start..t.end]))
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
        let toks = tokenize(&vocab(), text);
        assert_eq!(&text[toks[2].start..toks[2].end], "official");
        assert_eq!(toks.len(), 3);
    }

    #[test]
    fn splits_sentences_but_not_after_abbreviations() {
        let text = "Mr. Smith said so. U.S. officials agreed. Then it ended";
        let v = vocab();
        let toks = tokenize(&v, text);
        let firsts: Vec<String> = sentences(text, &toks)
            .iter()
            .map(|r| normalise(&text[toks[r.start].start..toks[r.start].end]))
            .collect();
        assert_eq!(firsts, ["mr", "u.s.", "then"]);
    }

    #[test]
    fn known_words_and_shapes_are_marked() {
        let v = vocab();
        let text = "Mr 42 Kyla’s 4x4 running, and RUNNING AIDE'S ex-aide";
        let toks = tokenize(&v, text);
        let shape = |i: usize| toks[i].shape(text);
        assert!(toks[0].has(class::ABBREVIATION) && toks[0].capitalised);
        assert!(shape(1).digits);
        assert!(shape(2).possessive && !shape(2).noun);
        assert!(shape(3).noun && !shape(3).digits);
        assert!(!shape(4).noun);
        assert!(toks[5].is(known::COMMA) && toks[5].kind == Kind::Punct);
        assert!(toks[6].is(known::AND));
        assert!(!shape(7).noun);
        assert!(shape(8).possessive);
        assert!(shape(9).noun);
    }

    #[test]
    fn eight_bytes_at_a_time_agree_with_one_at_a_time() {
        for c in 0..0x80u8 {
            let x = u64::from_le_bytes([b'a', c, b'Z', c, b'0', b'@', c, b'[']);
            let lower = lower8(x).to_le_bytes();
            assert_eq!(lower[1], c.to_ascii_lowercase(), "{c:#x}");
            assert_eq!(lower[6], c.to_ascii_lowercase(), "{c:#x}");
            assert_eq!(&lower[..1], b"a");
            assert_eq!([lower[2], lower[4], lower[5]], *b"z0@");
            assert_eq!(lower[7], b'[');
        }
        let text = b"OffiCials said";
        assert_eq!(alnum_run_end(text, 0), 9);
        assert_eq!(alnum_run_end(text, 10), 14);
        // Eight bytes at a time agrees with one at a time, wherever the run ends.
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..2000 {
            let len = rng.usize(0..40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    *rng.choice(b"aZ09z/:@[`{ \n-'.\x80\xc3\xa9\x7f\x00")
                        .unwrap()
                })
                .collect();
            for start in 0..=len {
                let slow = start + bytes[start..].iter().take_while(|&&c| is_alnum(c)).count();
                assert_eq!(alnum_run_end(&bytes, start), slow, "{bytes:?} from {start}");
            }
        }
        assert_eq!(
            packed_lower(text, 0, 9),
            u128::from_le_bytes(*b"officials\0\0\0\0\0\0\0")
        );
        let long = b"Administrations";
        assert_eq!(
            packed_lower(long, 0, 15),
            u128::from_le_bytes(*b"administrations\0")
        );
    }

    #[test]
    fn general_punctuation_is_neither_space_nor_word() {
        // The tokenizer takes U+2010 to U+2027 for marks without asking the Unicode tables;
        // this holds it to what they say.
        for ch in '\u{2010}'..='\u{2027}' {
            assert!(!ch.is_whitespace() && !ch.is_alphanumeric(), "{ch:?}");
        }
        assert!('\u{2028}'.is_whitespace() && '\u{2029}'.is_whitespace());
        let v = vocab();
        let toks = tokenize(&v, "a\u{2014}b \u{201c}c\u{201d}\u{2028}d");
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Word,
                Kind::Punct,
                Kind::Word,
                Kind::Punct,
                Kind::Word,
                Kind::Punct,
                Kind::Word
            ]
        );
    }

    #[test]
    fn a_blank_line_ends_a_paragraph() {
        let v = vocab();
        let text = "One two.\n \r\nThree\n\nfour";
        let mut t = Tokenizer::new(text);
        let mut out = Vec::new();
        assert_eq!(t.fill(&v, &mut out, 100), Fill::ParagraphEnd);
        assert_eq!(out.len(), 3);
        assert_eq!(t.fill(&v, &mut out, 100), Fill::ParagraphEnd);
        assert_eq!(out.len(), 4);
        assert_eq!(t.fill(&v, &mut out, 5), Fill::Full);
        assert_eq!(t.fill(&v, &mut out, 100), Fill::TextEnd);
        // A non-breaking space on the "blank" line makes it not blank.
        let mut out = Vec::new();
        let mut t = Tokenizer::new("a\n\u{a0}\nb");
        assert_eq!(t.fill(&v, &mut out, 100), Fill::TextEnd);
        assert_eq!(out.len(), 2);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn agree(lx: &crate::detect::lexicon::Lexicon, text: &str) -> Result<(), String> {
            let v = &lx.vocab;
            let mut general = Tokenizer::new(text);
            for t in tokenize(v, text).iter().filter(|t| t.is_word()) {
                let end = general.word_end(t.start);
                let first = text[t.start..].chars().next().unwrap_or(' ');
                let g = general.word(v, t.start, end, first);
                let fast = (t.end, t.word, t.class, t.capitalised);
                let slow = (g.end, g.word, g.class, g.capitalised);
                if fast != slow {
                    return Err(format!("{:?}: {fast:?} != {slow:?}", &text[t.start..t.end]));
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            /// The ASCII fast path makes the same tokens as the general path it shortcuts.
            #[test]
            fn the_ascii_path_agrees_with_the_general_one(
                text in "([a-zA-Z0-9]{1,4}|[a-zA-Z0-9]{7,17}|[ .'\\-]|U\\.S\\.|A\\.|ex-|'s|official|officials|Spokeswoman|ANONYMITY|Sources|\u{2019}|é|İ|\u{2011}){0,24}"
            ) {
                let lx = crate::detect::lexicon::Lexicon::built_in();
                prop_assert_eq!(agree(&lx, &text), Ok(()));
            }
        }

        #[test]
        fn the_ascii_path_agrees_on_lexicon_words() {
            let lx = crate::detect::lexicon::Lexicon::built_in();
            let text = "Ex-official U.S. OFFICIALS' co-worker's people's 100 4x4 A.B. \
                        running-mates spokes-people high-ranking NON-OFFICIAL x- 7-Eleven \
                        a-really-long-hyphenated-former-official thirty-one-year-olds";
            assert_eq!(agree(&lx, text), Ok(()));
        }

        proptest! {
            /// A token's shape read in one pass over its ASCII bytes is the one worked out from
            /// its text.
            #[test]
            fn the_ascii_shape_is_the_shape(word in "[a-zA-Z0-9'\\-.]{0,12}") {
                prop_assert_eq!(ascii_shape(word.as_bytes()), Some(shape(&word)));
            }
        }

        /// The table behind [`ends_word`] says what its rule says, for every byte and length.
        #[test]
        fn the_word_end_table_is_the_rule() {
            for next in 0..=u8::MAX {
                for len in 1..=16 {
                    let rule =
                        next < 0x80 && !matches!(next, b'\'' | b'-') && (next != b'.' || len >= 2);
                    assert_eq!(ends_word(next, len), rule, "{next:#x} after {len}");
                }
            }
        }
    }

    #[test]
    fn an_undecided_sentence_waits_for_more_tokens() {
        let v = vocab();
        let text = "It ended. then more";
        let toks = tokenize(&v, text);
        // With only "It ended ." the stop could be followed by anything.
        assert_eq!(sentence_end(text, &toks[..3], 0, false), None);
        assert_eq!(sentence_end(text, &toks[..3], 0, true), Some(3));
        // A lower-case word after it continues the sentence.
        assert_eq!(sentence_end(text, &toks, 0, true), Some(toks.len()));
    }
}
