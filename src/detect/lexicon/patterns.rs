//! Word patterns of the lexicon ("according to", "who spoke on condition of anonymity") and
//! lists of words and phrases, matched on tokens.

use super::*;

/// One position in a pattern: alternatives (each one or more words), possibly optional.
#[derive(Debug, Clone)]
pub(super) struct Elem {
    pub(super) alts: Vec<Vec<Word>>,
    /// The alternatives by their first word, so a token is tried only against those that start
    /// with it ("the" meets one of sixty outlet names).
    by_first: ByWord,
    optional: bool,
}

impl Elem {
    pub(super) fn new(alts: Vec<Vec<Word>>, optional: bool) -> Self {
        let by_first = ByWord::new(
            alts.iter()
                .enumerate()
                .filter_map(|(k, a)| a.first().map(|&w| (w, k))),
        );
        Self {
            alts,
            by_first,
            optional,
        }
    }

    /// The alternatives that start with `w`, in the pattern's order.
    pub(super) fn starting_with(&self, w: Word) -> impl Iterator<Item = &[Word]> {
        self.by_first.get(w).map(|k| self.alts[k].as_slice())
    }
}

/// Things numbered `0..n` listed under words: the items under a word come in their own order,
/// and a word with none is turned away by a bitset before any search.
#[derive(Debug, Clone)]
pub(super) struct ByWord {
    pairs: Vec<(Word, usize)>,
    words: WordSet,
}

impl ByWord {
    pub(super) fn new(pairs: impl Iterator<Item = (Word, usize)>) -> Self {
        let mut pairs: Vec<(Word, usize)> = pairs.collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut words = WordSet::default();
        for &(w, _) in &pairs {
            words.insert(w);
        }
        Self { pairs, words }
    }

    pub(super) fn get(&self, w: Word) -> impl Iterator<Item = usize> + '_ {
        let from = if self.words.contains(w) {
            self.pairs.partition_point(|&(x, _)| x < w)
        } else {
            self.pairs.len()
        };
        self.pairs[from..]
            .iter()
            .take_while(move |&&(x, _)| x == w)
            .map(|&(_, k)| k)
    }

    pub(super) fn words(&self) -> impl Iterator<Item = Word> + '_ {
        self.pairs.iter().map(|&(w, _)| w)
    }
}

/// A sequence of words matched against consecutive tokens (see the syntax in `lexicon.ron`).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub(super) elems: Vec<Elem>,
}

impl Pattern {
    /// Parses a pattern, numbering its words in `vocab`.
    pub fn parse(source: &str, vocab: &mut Vocabulary) -> Result<Self, String> {
        let bad = |what: &str| format!("{what} in pattern `{source}`");
        let mut elems = Vec::new();
        let mut rest = source.trim_start();
        while !rest.is_empty() {
            let (body, after) = if let Some(inner) = rest.strip_prefix('(') {
                let close = inner.find(')').ok_or_else(|| bad("unclosed `(`"))?;
                (&inner[..close], &inner[close + 1..])
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                let word = word.strip_suffix('?').unwrap_or(word);
                (word, &rest[word.len()..])
            };
            let (optional, after) = match after.strip_prefix('?') {
                Some(a) => (true, a),
                None => (false, after),
            };
            if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                return Err(bad("missing space after an element"));
            }
            let alts: Vec<Vec<String>> = body
                .split('|')
                .map(|alt| {
                    alt.split_whitespace()
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .collect();
            if alts
                .iter()
                .any(|a| a.is_empty() || a.iter().any(|w| w.contains(['(', ')'])))
            {
                return Err(bad(&format!("empty or nested alternative `{body}`")));
            }
            let alts = alts
                .iter()
                .map(|a| a.iter().map(|w| vocab.intern(w)).collect())
                .collect();
            elems.push(Elem::new(alts, optional));
            rest = after.trim_start();
        }
        if elems.iter().all(|e| e.optional) {
            return Err(bad("no required word"));
        }
        Ok(Self { elems })
    }

    /// Matches starting at token `i` without passing `end`; returns the index after the match.
    pub fn match_at(&self, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        self.match_from(0, toks, i, end)
    }

    pub(super) fn match_from(
        &self,
        k: usize,
        toks: &[Token],
        i: usize,
        end: usize,
    ) -> Option<usize> {
        let Some(elem) = self.elems.get(k) else {
            return Some(i);
        };
        if i < end {
            for alt in elem.starting_with(toks[i].word) {
                let n = alt.len();
                if i + n <= end
                    && toks[i..i + n].iter().zip(alt).all(|(t, &w)| t.word == w)
                    && let Some(r) = self.match_from(k + 1, toks, i + n, end)
                {
                    return Some(r);
                }
            }
        }
        if elem.optional {
            return self.match_from(k + 1, toks, i, end);
        }
        None
    }

    /// The first two words of every match, as far as a match has them: `[w]` for a match of one
    /// token, `[w, x]` for longer ones.
    pub(super) fn openings(&self) -> Vec<Vec<Word>> {
        let mut open: Vec<Vec<Word>> = vec![Vec::new()];
        for elem in &self.elems {
            let mut next = Vec::new();
            for p in open {
                if p.len() >= 2 {
                    next.push(p);
                    continue;
                }
                for alt in &elem.alts {
                    let mut q = p.clone();
                    q.extend(alt.iter().take(2 - p.len()));
                    next.push(q);
                }
                if elem.optional {
                    next.push(p);
                }
            }
            next.sort_unstable();
            next.dedup();
            open = next;
        }
        open.retain(|p| !p.is_empty());
        open
    }

    /// Every word a match can begin with.
    pub(super) fn starters(&self) -> Vec<Word> {
        let mut words = Vec::new();
        for elem in &self.elems {
            words.extend(elem.alts.iter().filter_map(|a| a.first().copied()));
            if !elem.optional {
                break;
            }
        }
        words
    }

    /// The most tokens a match can span.
    pub(super) fn max_len(&self) -> usize {
        self.elems
            .iter()
            .map(|e| e.alts.iter().map(Vec::len).max().unwrap_or(0))
            .sum()
    }
}

/// Patterns whose first words carry the set's class bit, so a token that starts none of them
/// costs one bit test instead of a walk through every pattern.
#[derive(Debug, Clone)]
pub struct PatternSet {
    pub(super) patterns: Vec<Pattern>,
    /// Words that can start a match only as a leading optional word ("the" in "(the|this)?
    /// (guardian|times|…) understands"): a match there needs another starting word right after,
    /// which rules out nearly every "the" at once.
    only_leading: WordSet,
    /// The patterns by the words they can start with, so only those that can start at a token
    /// are tried, in lexicon order.
    by_start: ByWord,
    starts: Class,
    /// Words that make a whole match alone ("citing"), and words that can come second in a
    /// longer one: "to" starts a reason only before "discuss", "describe" or "protect", so the
    /// "to" of nearly every sentence is turned away by two bit tests instead of a walk through
    /// the patterns.
    alone: WordSet,
    seconds: WordSet,
    max_len: usize,
}

impl PatternSet {
    pub(super) fn new(patterns: Vec<Pattern>, starts: Class, vocab: &mut Vocabulary) -> Self {
        let by_start = ByWord::new(
            patterns
                .iter()
                .enumerate()
                .flat_map(|(k, p)| p.starters().into_iter().map(move |w| (w, k))),
        );
        for w in by_start.words() {
            vocab.add_class(w, starts);
        }
        // Words of leading optional elements, and the first words of everything else that can
        // start a match.
        let mut leading = Vec::new();
        let mut other = Vec::new();
        for p in &patterns {
            for elem in &p.elems {
                for alt in &elem.alts {
                    if elem.optional && alt.len() == 1 {
                        leading.push(alt[0]);
                    } else {
                        other.push(alt[0]);
                    }
                }
                if !elem.optional {
                    break;
                }
            }
        }
        let mut only_leading = WordSet::default();
        for w in leading.into_iter().filter(|w| !other.contains(w)) {
            only_leading.insert(w);
        }
        let (mut alone, mut seconds) = (WordSet::default(), WordSet::default());
        for opening in patterns.iter().flat_map(Pattern::openings) {
            match opening[..] {
                [w] => alone.insert(w),
                [_, x] => seconds.insert(x),
                _ => {}
            }
        }
        let max_len = patterns.iter().map(Pattern::max_len).max().unwrap_or(0);
        Self {
            patterns,
            only_leading,
            by_start,
            starts,
            alone,
            seconds,
            max_len,
        }
    }

    /// The patterns that can start with `w`, with their indices, in lexicon order.
    pub(super) fn starting_with(&self, w: Word) -> impl Iterator<Item = (usize, &Pattern)> {
        self.by_start.get(w).map(|k| (k, &self.patterns[k]))
    }

    pub(super) fn parse(
        items: &[String],
        starts: Class,
        vocab: &mut Vocabulary,
    ) -> Result<Self, String> {
        let patterns = items
            .iter()
            .map(|s| Pattern::parse(s, vocab))
            .collect::<Result<_, _>>()?;
        Ok(Self::new(patterns, starts, vocab))
    }

    /// Whether a match could start at token `i`: its word starts a pattern and either makes a
    /// match alone or is followed by a word that can come second; and if it starts one only as a
    /// leading optional word, the next token starts one too.
    #[inline(always)]
    pub(super) fn may_start(&self, toks: &[Token], i: usize, end: usize) -> bool {
        i < end
            && toks[i].has(self.starts)
            && (self.alone.contains(toks[i].word)
                || (i + 1 < end && self.seconds.contains(toks[i + 1].word)))
            && (!self.only_leading.contains(toks[i].word)
                || (i + 1 < end && toks[i + 1].has(self.starts)))
    }

    /// The index and end of the first pattern (in lexicon order) that matches at token `i`.
    ///
    /// Inlined so that the many tokens no match can start at cost the caller two bit tests and
    /// no call: the grammar asks this of nearly every token of a sentence.
    #[inline(always)]
    pub fn first_at(&self, toks: &[Token], i: usize, end: usize) -> Option<(usize, usize)> {
        if !self.may_start(toks, i, end) {
            return None;
        }
        self.first_from(toks, i, end)
    }

    /// The search itself, kept out of line so that [`PatternSet::first_at`] stays small where it
    /// is inlined.
    #[inline(never)]
    fn first_from(&self, toks: &[Token], i: usize, end: usize) -> Option<(usize, usize)> {
        self.starting_with(toks[i].word)
            .find_map(|(k, p)| p.match_at(toks, i, end).map(|e| (k, e)))
    }

    /// The end of the first pattern that matches at token `i`.
    #[inline(always)]
    pub fn match_at(&self, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        self.first_at(toks, i, end).map(|(_, e)| e)
    }

    /// Whether some pattern matches tokens ending exactly at `end`, starting at or after `floor`.
    pub fn ends_at(&self, toks: &[Token], floor: usize, end: usize) -> bool {
        (floor.max(end.saturating_sub(self.max_len))..end).any(|st| {
            self.may_start(toks, st, end)
                && self
                    .starting_with(toks[st].word)
                    .any(|(_, p)| p.match_at(toks, st, end) == Some(end))
        })
    }

    /// The class bit carried by every word a pattern of this set can start with.
    pub fn starts(&self) -> Class {
        self.starts
    }
}

/// A set of words and multi-word phrases ("law enforcement"), matched backwards from a position.
/// Its single words carry the set's class bit.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    phrases: Vec<Vec<Word>>,
    /// The last words of the phrases, so most tokens need no look at them.
    lasts: WordSet,
    words: Class,
}

impl PhraseSet {
    pub(super) fn new(items: &[String], words: Class, vocab: &mut Vocabulary) -> Self {
        let mut set = Self {
            phrases: Vec::new(),
            lasts: WordSet::default(),
            words,
        };
        set.add(items, vocab);
        set
    }

    /// Adds words and phrases; blank ones are ignored.
    pub(super) fn add(&mut self, items: &[String], vocab: &mut Vocabulary) {
        for item in items {
            let words = words_of(item, vocab);
            match words.len() {
                0 => {}
                1 => vocab.add_class(words[0], self.words),
                n => {
                    self.lasts.insert(words[n - 1]);
                    self.phrases.push(words);
                }
            }
        }
        // Longest first, so "a number of" wins over "of".
        self.phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    }

    pub fn contains_word(&self, t: &Token) -> bool {
        t.has(self.words)
    }

    /// If a phrase of this set ends just before token `end` and starts at or after `floor`,
    /// the index of its first token.
    pub fn ending_at(&self, toks: &[Token], end: usize, floor: usize) -> Option<usize> {
        if end <= floor {
            return None;
        }
        let phrases = if self.lasts.contains(toks[end - 1].word) {
            &self.phrases[..]
        } else {
            &[]
        };
        for p in phrases {
            if end >= floor + p.len() {
                let start = end - p.len();
                if toks[start..end].iter().zip(p).all(|(t, &w)| t.word == w) {
                    return Some(start);
                }
            }
        }
        if end > floor && toks[end - 1].has(self.words) {
            return Some(end - 1);
        }
        None
    }
}

/// A list entry's words, lower-cased and numbered.
pub(super) fn words_of(item: &str, vocab: &mut Vocabulary) -> Vec<Word> {
    item.split_whitespace()
        .map(|w| vocab.intern(&w.to_lowercase()))
        .collect()
}

/// Words and phrases looked for in a few tokens at a time, for `scan --all`: no word class of their
/// own, since the default scan never asks.
#[derive(Debug, Default)]
pub struct WordList {
    single: WordSet,
    multi: Vec<Vec<Word>>,
}

impl WordList {
    pub(super) fn new(items: &[String], vocab: &mut Vocabulary) -> Self {
        let mut list = Self::default();
        for item in items {
            let words = words_of(item, vocab);
            match words.len() {
                0 => {}
                1 => list.single.insert(words[0]),
                _ => list.multi.push(words),
            }
        }
        list
    }

    /// Whether token `t` is one of the single words.
    pub fn has(&self, t: &Token) -> bool {
        t.word != Word::UNKNOWN && self.single.contains(t.word)
    }

    /// The end of an entry (single or several words) starting at token `i`.
    pub fn match_at(&self, toks: &[Token], i: usize, end: usize) -> Option<usize> {
        if i >= end {
            return None;
        }
        self.multi
            .iter()
            .filter(|p| i + p.len() <= end)
            .find(|p| {
                toks[i..i + p.len()]
                    .iter()
                    .zip(p.iter())
                    .all(|(t, &w)| t.word == w)
            })
            .map(|p| i + p.len())
            .or_else(|| self.has(&toks[i]).then_some(i + 1))
    }

    /// Whether an entry ends `toks` ("the White House", "the ministry").
    pub fn ends(&self, toks: &[Token]) -> bool {
        (0..toks.len()).any(|i| self.match_at(toks, i, toks.len()) == Some(toks.len()))
    }

    /// Whether any entry occurs in `toks`.
    pub fn occurs_in(&self, toks: &[Token]) -> bool {
        (0..toks.len()).any(|i| self.match_at(toks, i, toks.len()).is_some())
    }
}
