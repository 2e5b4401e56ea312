//! Every word the lexicon and the grammar know, numbered, with the classes each belongs to.
//!
//! The tokenizer looks each token up once; from then on the grammar compares numbers and tests
//! bits instead of hashing strings, which is what lets the detector keep pace with a plain text
//! search.

use rustc_hash::FxHashMap as HashMap;

/// A word the lexicon knows; [`Word::UNKNOWN`] for every other token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Word(u32);

impl Word {
    pub const UNKNOWN: Word = Word(0);

    fn index(self) -> usize {
        self.0 as usize
    }
}

/// The word classes a token belongs to, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Class(u32);

impl Class {
    pub const NONE: Class = Class(0);

    /// Whether any of `other`'s bits is set.
    pub const fn has(self, other: Class) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn with(self, other: Class) -> Class {
        Class(self.0 | other.0)
    }
}

impl std::ops::BitOr for Class {
    type Output = Class;
    fn bitor(self, other: Class) -> Class {
        self.with(other)
    }
}

impl std::ops::BitOrAssign for Class {
    fn bitor_assign(&mut self, other: Class) {
        *self = self.with(other);
    }
}

/// The classes. Lexicon lists set them when the vocabulary is built.
pub mod class {
    use super::Class;

    pub const HEAD: Class = Class(1 << 0);
    /// Makes a sentence worth parsing: a head, "another", or a word an impersonal, hedge or
    /// pronoun pattern can start with.
    pub const TRIGGER: Class = Class(1 << 1);
    pub const DETERMINER: Class = Class(1 << 2);
    pub const QUANTIFIER: Class = Class(1 << 3);
    pub const ANONYMITY_MODIFIER: Class = Class(1 << 4);
    pub const MODIFIER: Class = Class(1 << 5);
    pub const AFFILIATION: Class = Class(1 << 6);
    pub const CUE: Class = Class(1 << 7);
    pub const BRIDGE: Class = Class(1 << 8);
    pub const UNIQUE_TITLE: Class = Class(1 << 9);
    pub const NOT_NAME: Class = Class(1 << 10);
    pub const ABBREVIATION: Class = Class(1 << 11);
    pub const FUNCTION_WORD: Class = Class(1 << 12);
    pub const OBJECT_STOP: Class = Class(1 << 13);
    pub const PREPOSITION: Class = Class(1 << 14);
    pub const PLACE_PARTICIPLE: Class = Class(1 << 15);
    pub const FINITE_CLAUSE_START: Class = Class(1 << 16);
    /// `.` `!` `?`
    pub const STOP: Class = Class(1 << 17);
    /// `#` `*` `-` `>`: Markdown block markers when they open a line.
    pub const MARKER: Class = Class(1 << 18);

    // The words each pattern set can start with.
    pub const STARTS_ACCESS: Class = Class(1 << 20);
    pub const STARTS_CLAUSE: Class = Class(1 << 21);
    pub const STARTS_REASON: Class = Class(1 << 22);
    pub const STARTS_LEAD_IN: Class = Class(1 << 23);
    pub const STARTS_IMPERSONAL: Class = Class(1 << 24);
    pub const STARTS_HEDGE: Class = Class(1 << 25);
    pub const STARTS_DOCUMENT: Class = Class(1 << 26);
    pub const STARTS_PARTITIVE: Class = Class(1 << 27);
    pub const STARTS_DECLINED: Class = Class(1 << 28);

    /// Set by the tokenizer: a hyphenated word whose last part is a head ("ex-official").
    pub const HYPHEN_HEAD: Class = Class(1 << 29);
    /// A head naming one office ("minister"): singular and definite, it is a named person.
    pub const OFFICE: Class = Class(1 << 19);
    /// A form of "be": a bridge only before a progressive cue ("are reporting").
    pub const AUX_BE: Class = Class(1 << 30);
    /// A reporting verb's "-ing" form, or "quoted": what may follow a form of "be".
    pub const CUE_AFTER_BE: Class = Class(1 << 31);
}

/// Words the grammar names itself. They are numbered first, in this order, so each has a
/// constant id; [`Vocabulary::new`] checks the order.
macro_rules! known_words {
    ($($name:ident = $text:expr),* $(,)?) => {
        const KNOWN: &[&str] = &[$($text),*];
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[repr(u32)]
        enum Known { _Unknown, $($name),* }
        $(pub const $name: Word = Word(Known::$name as u32);)*
    };
}

pub mod known {
    use super::Word;
    known_words! {
        AND = "and",
        OR = "or",
        OF = "of",
        FOR = "for",
        AMPERSAND = "&",
        ANOTHER = "another",
        WHO = "who",
        WHICH = "which",
        AS = "as",
        SAYING = "saying",
        ACCORDING = "according",
        TOLD = "told",
        TELL = "tell",
        TELLS = "tells",
        COMMA = ",",
        FULL_STOP = ".",
        SEMICOLON = ";",
        COLON = ":",
        EXCLAMATION = "!",
        QUESTION = "?",
        QUOTE = "\"",
        CLOSE_PAREN = ")",
        HASH = "#",
        STAR = "*",
        HYPHEN = "-",
        GREATER = ">",
        EACH = "each",
        NONE = "none",
        ALL = "all",
        BY = "by",
        THEY = "they",
        HE = "he",
        SHE = "she",
        THAT = "that",
        QUOTED = "quoted",
        OPEN_PAREN = "(",
        EM_DASH = "\u{2014}",
        EN_DASH = "\u{2013}",
        ACCUSED = "accused",
        SUSPECTED = "suspected",
    }
    pub(super) const LIST: &[&str] = KNOWN;
}

/// A set of words as a bitset over their numbers: membership is one shift and one test.
#[derive(Debug, Clone, Default)]
pub struct WordSet(Vec<u64>);

impl WordSet {
    pub fn insert(&mut self, w: Word) {
        let i = w.index();
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }

    #[inline]
    pub fn contains(&self, w: Word) -> bool {
        let i = w.index();
        self.0
            .get(i / 64)
            .is_some_and(|bits| bits & (1 << (i % 64)) != 0)
    }
}

/// Per-word facts besides the classes (which live in the lookup entry).
#[derive(Debug, Clone, Default)]
struct Info {
    /// The classes, kept here too so building the lexicon reads them without a hash probe.
    class: Class,
    head: Option<super::lexicon::HeadKind>,
    /// The singular, for heads: "people" → "person".
    lemma: Word,
}

/// Strings of up to this many bytes are looked up as one integer: their bytes, little-endian.
pub const PACKED: usize = 16;

fn pack(s: &[u8]) -> u128 {
    let mut buf = [0u8; PACKED];
    buf[..s.len()].copy_from_slice(s);
    u128::from_le_bytes(buf)
}

/// Which map holds a folded word, and its key there.
enum Slot {
    Short(u64),
    Medium(u128),
    Long,
}

fn slot(norm: &str) -> Slot {
    let b = norm.as_bytes();
    match b.len() {
        // A NUL byte would make two strings pack alike.
        _ if b.contains(&0) => Slot::Long,
        1..=8 => Slot::Short(pack(b) as u64),
        9..=PACKED => Slot::Medium(pack(b)),
        _ => Slot::Long,
    }
}

/// What a lookup gives: the word and its classes together, so the tokenizer's one probe of the
/// map also brings the classes (a second load from another table cost as much as the probe).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entry {
    pub word: Word,
    pub class: Class,
}

/// Bits of [`Vocabulary::present`]: 2^19 bits (64 KiB), so about one in fifteen unknown words
/// gets past it with a vocabulary of 35,000 words.
const PRESENT_BITS: u32 = 19;

/// Which bit of [`Vocabulary::present`] stands for a packed key.
#[inline(always)]
fn present_bit(key: u128) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x2545_f491_4f6c_dd1d);
    (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - PRESENT_BITS)) as usize
}

/// The numbered words.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// The entry of every one-byte word or mark, by its byte: punctuation is two tokens in five
    /// of ordinary prose, and a table read is far cheaper than a hash probe.
    bytes: [Entry; 128],
    /// A bit per hash of every packed key in `short` and `medium`: two words in three of prose
    /// are unknown, and this small table turns nearly all of them away before the large map
    /// is probed.
    present: Box<[u64]>,
    /// Words of up to eight bytes, by their packed bytes: nearly every word, in 16-byte buckets.
    short: HashMap<u64, Entry>,
    /// Nine to [`PACKED`] bytes.
    medium: HashMap<u128, Entry>,
    /// Longer words, and any holding a NUL (which would pack like a shorter one).
    long: HashMap<Box<str>, Entry>,
    texts: Vec<Box<str>>,
    info: Vec<Info>,
}

impl Vocabulary {
    pub fn new() -> Self {
        let mut v = Self {
            bytes: [Entry::default(); 128],
            present: vec![0; 1 << (PRESENT_BITS - 6)].into_boxed_slice(),
            short: HashMap::default(),
            medium: HashMap::default(),
            long: HashMap::default(),
            texts: vec!["".into()],
            info: vec![Info::default()],
        };
        for (i, w) in known::LIST.iter().enumerate() {
            let id = v.intern(w);
            debug_assert_eq!(id.index(), i + 1, "known words are numbered in order");
        }
        for w in [known::FULL_STOP, known::EXCLAMATION, known::QUESTION] {
            v.add_class(w, class::STOP);
        }
        for w in [known::HASH, known::STAR, known::HYPHEN, known::GREATER] {
            v.add_class(w, class::MARKER);
        }
        v
    }

    /// Room for `n` more words without growing the maps one rehash at a time.
    pub fn reserve(&mut self, n: usize) {
        self.short.reserve(n);
        self.texts.reserve(n);
        self.info.reserve(n);
    }

    /// The id of `norm` (already folded), adding it if new.
    pub fn intern(&mut self, norm: &str) -> Word {
        if let Some(w) = self.get(norm) {
            return w;
        }
        let id = Word(u32::try_from(self.texts.len()).expect("vocabulary under 4 billion words"));
        let entry = Entry {
            word: id,
            class: Class::NONE,
        };
        match slot(norm) {
            Slot::Short(key) => {
                self.short.insert(key, entry);
                self.mark_present(u128::from(key));
                if norm.len() == 1 && norm.is_ascii() {
                    self.bytes[norm.as_bytes()[0] as usize] = entry;
                }
            }
            Slot::Medium(key) => {
                self.medium.insert(key, entry);
                self.mark_present(key);
            }
            Slot::Long => {
                self.long.insert(norm.into(), entry);
            }
        }
        self.texts.push(norm.into());
        self.info.push(Info::default());
        id
    }

    /// The id of a folded word, or [`Word::UNKNOWN`].
    #[inline]
    pub fn lookup(&self, norm: &str) -> Word {
        self.get(norm).unwrap_or(Word::UNKNOWN)
    }

    /// A folded word's entry; an unknown word's has no classes.
    #[inline]
    pub fn entry(&self, norm: &str) -> Entry {
        let found = match slot(norm) {
            Slot::Short(key) => self.short.get(&key),
            Slot::Medium(key) => self.medium.get(&key),
            Slot::Long => self.long.get(norm),
        };
        found.copied().unwrap_or_default()
    }

    fn get(&self, norm: &str) -> Option<Word> {
        Some(self.entry(norm).word).filter(|&w| w != Word::UNKNOWN)
    }

    /// The entry of a folded word of `len` bytes, at most [`PACKED`] and none of them NUL, given
    /// as its packed bytes; the tokenizer builds the key as it reads the word.
    #[inline]
    pub fn entry_packed(&self, key: u128, len: usize) -> Entry {
        match len {
            // One byte under 0x80 (an ASCII letter, digit or mark), as the tokenizer packs it.
            1 => self.bytes[(key as usize) & 0x7f],
            2..=8 => self.entry_short(key as u64),
            _ => self.entry_medium(key),
        }
    }

    /// [`Vocabulary::entry_packed`] for a word of two to eight bytes, its key in one `u64`.
    #[inline(always)]
    pub fn entry_short(&self, key: u64) -> Entry {
        if !self.may_know(u128::from(key)) {
            return Entry::default();
        }
        self.short.get(&key).copied().unwrap_or_default()
    }

    /// [`Vocabulary::entry_packed`] for a word of nine to sixteen bytes.
    #[inline(always)]
    pub fn entry_medium(&self, key: u128) -> Entry {
        if !self.may_know(key) {
            return Entry::default();
        }
        self.medium.get(&key).copied().unwrap_or_default()
    }

    /// Whether the presence bitmap lets a packed key through to the maps.
    #[inline(always)]
    fn may_know(&self, key: u128) -> bool {
        let bit = present_bit(key);
        self.present[bit / 64] & (1 << (bit % 64)) != 0
    }

    pub fn text(&self, w: Word) -> &str {
        &self.texts[w.index()]
    }

    /// A word's classes (while the lexicon is built; the tokenizer gets them with the word).
    pub fn class(&self, w: Word) -> Class {
        self.info[w.index()].class
    }

    pub fn add_class(&mut self, w: Word, c: Class) {
        let info = &mut self.info[w.index()];
        if info.class.with(c) == info.class {
            return;
        }
        info.class |= c;
        let Self {
            short,
            medium,
            long,
            texts,
            ..
        } = self;
        let norm: &str = &texts[w.index()];
        let entry = match slot(norm) {
            Slot::Short(key) => short.get_mut(&key),
            Slot::Medium(key) => medium.get_mut(&key),
            Slot::Long => long.get_mut(norm),
        };
        if let Some(entry) = entry {
            entry.class |= c;
        }
        if norm.len() == 1 && norm.is_ascii() {
            self.bytes[norm.as_bytes()[0] as usize].class |= c;
        }
    }

    fn mark_present(&mut self, key: u128) {
        let bit = present_bit(key);
        self.present[bit / 64] |= 1 << (bit % 64);
    }

    /// Adds `add` to every word that has any bit of `has`.
    pub fn add_class_where(&mut self, has: Class, add: Class) {
        for i in 1..self.info.len() {
            let w = Word(i as u32);
            if self.class(w).has(has) {
                self.add_class(w, add);
            }
        }
    }

    pub fn head(&self, w: Word) -> Option<super::lexicon::HeadKind> {
        self.info[w.index()].head
    }

    pub fn lemma(&self, w: Word) -> Word {
        self.info[w.index()].lemma
    }

    pub fn set_head(&mut self, w: Word, kind: super::lexicon::HeadKind, lemma: Word) {
        let info = &mut self.info[w.index()];
        info.head = Some(kind);
        info.lemma = lemma;
        // Every head makes its sentence worth parsing: both bits in one probe of the map.
        self.add_class(w, class::HEAD.with(class::TRIGGER));
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words_have_their_constant_ids() {
        let v = Vocabulary::new();
        for (i, w) in known::LIST.iter().enumerate() {
            assert_eq!(v.lookup(w), Word(i as u32 + 1), "{w}");
        }
        assert_eq!(v.lookup(","), known::COMMA);
        assert_eq!(v.lookup("another"), known::ANOTHER);
        assert_eq!(v.lookup("nothing-known"), Word::UNKNOWN);
    }

    /// The tokenizer's path (the one-byte table, the presence bits, the maps) answers as the
    /// plain lookup does, for known and unknown words, after classes are added.
    #[test]
    fn packed_lookups_agree_with_plain_ones() {
        let lx = crate::detect::lexicon::Lexicon::built_in();
        let mut v = lx.vocab.clone();
        let w = v.intern("zzq");
        v.add_class(w, class::CUE);
        let dot = v.lookup(".");
        v.add_class(dot, class::CUE);
        let mut words: Vec<String> = (1..v.texts.len()).map(|i| v.texts[i].to_string()).collect();
        words.extend(["qqqq", "unknownish", "a-much-longer-one", "x", "?", "~"].map(String::from));
        for word in &words {
            if word.is_empty() || word.len() > PACKED || word.contains('\0') || !word.is_ascii() {
                continue;
            }
            let key = u128::from_le_bytes({
                let mut b = [0; 16];
                b[..word.len()].copy_from_slice(word.as_bytes());
                b
            });
            assert_eq!(v.entry_packed(key, word.len()), v.entry(word), "{word}");
        }
        assert!(v.entry_packed(u128::from(b'.'), 1).class.has(class::CUE));
    }

    #[test]
    fn short_and_long_words_are_both_found() {
        let mut v = Vocabulary::new();
        let short = v.intern("sixteen-letters!");
        let long = v.intern("a-word-longer-than-sixteen-bytes");
        assert_eq!(v.lookup("sixteen-letters!"), short);
        assert_eq!(v.lookup("a-word-longer-than-sixteen-bytes"), long);
        assert_eq!(v.lookup("sixteen-letters"), Word::UNKNOWN);
        assert_eq!(v.lookup(""), Word::UNKNOWN);
        assert_eq!(v.text(long), "a-word-longer-than-sixteen-bytes");
    }
}
