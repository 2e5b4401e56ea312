//! The article being reviewed: its text exactly as read from disk, and a line index over it.
//!
//! Every offset in whosaid is a byte offset into this text, so the sidecar, `scan` output and the UI
//! agree even when the file has CRLF line endings, tabs or multi-byte characters.

use std::path::{Path, PathBuf};

use crate::files::{Contents, ReadError};

/// Why an article could not be opened. Each message is one sentence a user can act on, and
/// already states its cause, so no variant exposes it again as a `source` (anyhow's `{:#}`
/// would print it twice). The same holds for every error type in the core.
/// The largest draft read: a book is a few megabytes, and a larger file is not a draft.
pub const MAX_BYTES: u64 = 1 << 30;

/// The command that converts `path` to UTF-8, with the file name quoted for the shell: a name
/// like `$(touch x).txt` must not run anything when the suggestion is pasted.
fn iconv(encoding: &str, path: &Path) -> String {
    let name = path.to_string_lossy();
    let output = format!("{name}.utf8");
    format!(
        "iconv -f {encoding} -t UTF-8 {} > {}",
        shell_words::quote(&name),
        shell_words::quote(&output)
    )
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {reason}")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{path} is a directory, not a text file")]
    Directory { path: PathBuf },
    #[error("{path} is {kind}, not a text file; it was not read")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error(
        "{path} is larger than {}, the most a draft may be; it was not read",
        crate::files::size_label(MAX_BYTES)
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path} looks like a binary file (it contains a NUL byte at offset {offset}), not a text draft"
    )]
    Binary { path: PathBuf, offset: usize },
    #[error(
        "{path} is not valid UTF-8 (first bad byte at line {line}, column {column}){}",
        likely.map_or_else(String::new, |enc| format!("; it looks like {enc}: convert it with `{}`", iconv(enc, path)))
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        /// The encoding the bytes most likely are, for the conversion hint.
        likely: Option<&'static str>,
    },
    #[error(
        "{path} is {encoding} text; convert it with `{}`",
        iconv(encoding, path)
    )]
    Utf16 {
        path: PathBuf,
        encoding: &'static str,
    },
}

#[derive(Debug, Clone)]
pub struct Article {
    path: PathBuf,
    text: Text,
    /// Byte offset at which each line starts; always begins with 0.
    line_starts: Vec<usize>,
    /// A bit for each [`ASCII_BLOCK`] bytes of the text, set where they hold a byte outside
    /// ASCII; made by the check of a large draft, empty for a small one. Columns are counted in
    /// characters, and with these a block of ASCII is counted without being read again.
    non_ascii: Vec<u64>,
}

/// A draft's text: its own copy, or the file mapped into memory (see [`Article::load_to_scan`]).
/// Either way it was checked to be UTF-8 when it was made.
enum Text {
    Owned(String),
    #[cfg(target_os = "linux")]
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Owned(text) => text,
            #[cfg(target_os = "linux")]
            #[allow(unsafe_code)]
            // SAFETY: a mapped text is made only by `Article::read`, after `check` found it UTF-8
            // as it does a copied one (and see `files::map` for rewrites during the command).
            Text::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
        }
    }
}

/// A copy is the caller's own, whatever the original was.
impl Clone for Text {
    fn clone(&self) -> Self {
        Text::Owned(String::from(&**self))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// Drafts from this size are mapped by [`Article::load_to_scan`]: below it, copying costs less
/// than setting up the mapping.
const MAP_FROM: u64 = 8 << 20;

impl Article {
    /// Reads a draft from disk, refusing binary and non-UTF-8 files.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        Self::read(path, None)
    }

    /// [`Article::load`] for a command that reads the draft and finishes (`scan`, `check`,
    /// `report`): a large draft is mapped from the file rather than copied (see
    /// [`crate::files::read_or_map`]).
    pub fn load_to_scan(path: &Path) -> Result<Self, LoadError> {
        Self::read(path, Some(MAP_FROM))
    }

    fn read(path: &Path, map_from: Option<u64>) -> Result<Self, LoadError> {
        // The file is looked up once, by `read_or_map`: an archive's drafts are ten thousand
        // of these, and each look-up walks the path through the kernel again.
        let contents = crate::files::read_or_map(path, MAX_BYTES, map_from).map_err(|e| {
            let path = path.to_owned();
            match e {
                ReadError::NotFound(reason) | ReadError::Io(reason) => {
                    LoadError::Io { path, reason }
                }
                ReadError::NotRegular(crate::files::FOLDER) => LoadError::Directory { path },
                ReadError::NotRegular(kind) => LoadError::NotRegular { path, kind },
                ReadError::TooLarge(_) => LoadError::TooLarge { path },
            }
        })?;
        match contents {
            Contents::Read(bytes) => Self::from_bytes(path, bytes),
            #[cfg(target_os = "linux")]
            Contents::Mapped(map) => {
                let index = check(path, &map)?;
                Ok(Self::checked(path, Text::Mapped(map), index))
            }
        }
    }

    /// Validates raw bytes as a text draft. `path` is only used for messages and as the article's name.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, LoadError> {
        let index = check(path, &bytes)?;
        #[allow(unsafe_code)]
        // SAFETY: `check` accepts only UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        Ok(Self::checked(path, Text::Owned(text), index))
    }

    /// An article of a text `check` accepted, with the index it made, if it did.
    fn checked(path: &Path, text: Text, found: Option<Index>) -> Self {
        let Index {
            line_starts,
            non_ascii,
        } = found.unwrap_or_else(|| Index {
            line_starts: line_starts(text.as_bytes()),
            non_ascii: Vec::new(),
        });
        Self {
            path: path.to_owned(),
            text,
            line_starts,
            non_ascii,
        }
    }

    /// How many characters `text[from..to]` holds (both on character boundaries): its bytes,
    /// less those that continue a character, which are looked for only in blocks that hold a
    /// byte outside ASCII.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        if self.non_ascii.is_empty() {
            return self.text[from..to].chars().count();
        }
        let bytes = self.text.as_bytes();
        let mut n = to - from;
        let mut block = from / ASCII_BLOCK;
        let end = to.div_ceil(ASCII_BLOCK);
        while block < end {
            let bits = self.non_ascii[block / 64] >> (block % 64);
            if bits == 0 {
                block = (block / 64 + 1) * 64;
                continue;
            }
            block += bits.trailing_zeros() as usize;
            if block >= end {
                break;
            }
            let lo = from.max(block * ASCII_BLOCK);
            let hi = to.min((block + 1) * ASCII_BLOCK);
            n -= bytes[lo..hi].iter().filter(|&&c| c & 0xc0 == 0x80).count();
            block += 1;
        }
        n
    }

    pub fn new(path: &Path, text: String) -> Self {
        Self::checked(path, Text::Owned(text), None)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// How the detector should read the draft, judged by its extension.
    pub fn format(&self) -> crate::detect::Format {
        let ext = self
            .path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd" | "mdx") => crate::detect::Format::Markdown,
            _ => crate::detect::Format::Text,
        }
    }

    /// Number of lines; a trailing newline does not start an extra empty line.
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if n > 1 && self.line_starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// 0-based line containing `offset` (an offset at the very end belongs to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        line.min(self.line_count() - 1)
    }

    /// Byte range of a 0-based line, without its `\n` or `\r\n` terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line];
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' && end < self.text.len() {
            end -= 1;
        }
        start..end
    }

    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// The 1-based number of the line holding a byte offset (without counting its column, which
    /// on a line of megabytes costs a scan).
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_of(offset) + 1
    }

    /// 1-based line and column of a byte offset; the column counts Unicode scalar values.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.columns().line_col(offset)
    }

    /// The 1-based column of `offset` on its 1-based `line`, counted in bytes (`--columns bytes`).
    pub fn byte_column(&self, line: usize, offset: usize) -> usize {
        offset - self.line_range(line - 1).start + 1
    }

    /// Asks the processor to start loading the text at `offset` into its cache, for a caller
    /// that reads it a little later. The output reads each source's text long after the
    /// detector passed it: in a 32 MB draft it has left the cache, and waiting for it was 80% of
    /// the time spent writing a source's line.
    #[inline]
    pub fn prefetch(&self, offset: usize) {
        prefetch_byte(self.text.as_bytes(), offset);
    }

    /// A cursor for the line and column of many offsets in increasing order, which counts each
    /// character once rather than once per offset (a line of megabytes with thousands of
    /// sources on it).
    pub fn columns(&self) -> Columns<'_> {
        Columns {
            article: self,
            line: 0,
            offset: 0,
            column: 1,
        }
    }

    /// Up to `chars` characters of text before `offset` (for re-anchoring context).
    pub fn context_before(&self, offset: usize, chars: usize) -> &str {
        let before = &self.text[..self.floor_boundary(offset)];
        let start = before
            .char_indices()
            .rev()
            .nth(chars.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        &before[start..]
    }

    /// Up to `chars` characters of text after `offset`.
    pub fn context_after(&self, offset: usize, chars: usize) -> &str {
        let after = &self.text[self.floor_boundary(offset)..];
        let end = after
            .char_indices()
            .nth(chars)
            .map_or(after.len(), |(i, _)| i);
        &after[..end]
    }
}

impl Article {
    /// `offset`, or the nearest character boundary at or before it within the text: offsets can
    /// come from a sidecar someone edited, and a stale one must not be a panic.
    pub fn floor_boundary(&self, offset: usize) -> usize {
        let mut i = offset.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// See [`Article::columns`].
#[derive(Clone)]
pub struct Columns<'a> {
    article: &'a Article,
    line: usize,
    offset: usize,
    column: usize,
}

impl Columns<'_> {
    /// The 1-based line and column of `offset` (see [`Article::line_col`]); cheapest when
    /// offsets come in increasing order.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        // Sources come in order: the next offset is on the cursor's line or a few after it.
        let line = if offset >= self.offset {
            self.line_after(offset)
        } else {
            self.article.line_of(offset)
        };
        if line != self.line || offset < self.offset {
            self.line = line;
            self.offset = self.article.line_starts[line];
            self.column = 1;
        }
        self.column += self.article.chars_between(self.offset, offset);
        self.offset = offset;
        (line + 1, self.column)
    }

    /// The line of `offset`, at or past the cursor's: galloping forward from the cursor's line
    /// finds it in a few steps through memory just read (one comparison when it is the same
    /// line), where a search of the whole index (160,000 lines in a dense 32 MB draft) missed
    /// the cache at nearly every step.
    fn line_after(&self, offset: usize) -> usize {
        let starts = &self.article.line_starts[self.line..];
        let mut step = 1;
        while step < starts.len() && starts[step] <= offset {
            step *= 2;
        }
        // starts[step / 2] <= offset < starts[step], or the index ends first.
        let lo = step / 2;
        let hi = step.min(starts.len());
        let within = starts[lo..hi].partition_point(|&s| s <= offset);
        (self.line + lo + within - 1).min(self.article.line_count() - 1)
    }
}

/// What the check of a large draft learned about it on the way.
struct Index {
    line_starts: Vec<usize>,
    non_ascii: Vec<u64>,
}

/// Whether `bytes` may be a draft: not UTF-16, no NUL byte, UTF-8. Returns the line starts and
/// the blocks outside ASCII when the checks found them on the way (a large text, checked in parts
/// on the thread pool), or the error that names where the text went wrong.
fn check(path: &Path, bytes: &[u8]) -> Result<Option<Index>, LoadError> {
    // UTF-16 is full of NUL bytes, so its byte-order mark is checked before the binary test.
    let utf16 = match bytes.get(..2) {
        Some([0xff, 0xfe]) => Some("UTF-16LE"),
        Some([0xfe, 0xff]) => Some("UTF-16BE"),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        return Err(LoadError::Utf16 {
            path: path.to_owned(),
            encoding,
        });
    }
    if bytes.len() >= CHECK_IN_PARTS_FROM
        && let Some(checked) = check_in_parts(bytes, CHECK_BLOCK, check_parts(bytes.len()))
    {
        if let Some(offset) = checked.nul {
            return Err(LoadError::Binary {
                path: path.to_owned(),
                offset,
            });
        }
        // `check_in_parts` found every byte inside a part that `std::str::from_utf8` accepted
        // window by window, each window starting where the last one's valid characters ended and
        // the last leaving nothing over; so each part is UTF-8, and UTF-8 strings one after the
        // other are.
        if checked.utf8 {
            return Ok(Some(Index {
                line_starts: checked.line_starts,
                non_ascii: checked.non_ascii,
            }));
        }
        // Not UTF-8: the checks below find where, for the message.
    }
    if let Some(offset) = memchr_nul(bytes) {
        return Err(LoadError::Binary {
            path: path.to_owned(),
            offset,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(None),
        Err(err) => {
            let valid = err.valid_up_to();
            // The prefix is valid UTF-8 by definition, so position can be reported in characters.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
            let column = prefix[line_start..].chars().count() + 1;
            Err(LoadError::NotUtf8 {
                path: path.to_owned(),
                line,
                column,
                likely: guess_single_byte(bytes),
            })
        }
    }
}

/// Asks the processor to start loading `bytes[at]` into its cache (see [`Article::prefetch`]).
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch_byte(bytes: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(byte) = bytes.get(at) {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of every x86_64 processor, and a prefetch reads nothing the program
        // sees and never faults; the address is a byte of the text besides.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(byte).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (bytes, at);
}

/// Text that is not UTF-8 but has no NUL bytes is almost always a single-byte Western encoding
/// exported by a word processor; curly quotes and dashes (0x80–0x9F) say Windows-1252.
fn guess_single_byte(bytes: &[u8]) -> Option<&'static str> {
    let mut high = bytes.iter().filter(|b| **b >= 0x80).peekable();
    high.peek()?;
    if high.any(|b| (0x80..=0x9f).contains(b)) {
        Some("WINDOWS-1252")
    } else {
        Some("ISO-8859-1")
    }
}

/// Where each line starts: 0, then just after every "\n".
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    // memchr counts the breaks of 32 MB of prose in under 2 ms, and its iterator finds a break
    // every 50 bytes faster than a loop over eight bytes at a time did. A large draft's two
    // halves go on two threads: the breaks are counted first so the index is allocated once, at
    // its size, and each half writes its own part of it.
    if bytes.len() >= 1 << 20 {
        let (left, right) = bytes.split_at(bytes.len() / 2);
        let count = |part: &[u8]| memchr::memchr_iter(b'\n', part).count();
        let (n_left, n_right) = rayon::join(|| count(left), || count(right));
        let mut starts = vec![0; 1 + n_left + n_right];
        let (first, second) = starts[1..].split_at_mut(n_left);
        let fill = |out: &mut [usize], part: &[u8], offset: usize| {
            for (slot, i) in out.iter_mut().zip(memchr::memchr_iter(b'\n', part)) {
                *slot = offset + i + 1;
            }
        };
        rayon::join(|| fill(first, left, 0), || fill(second, right, left.len()));
        return starts;
    }
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .collect()
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Drafts from this size are checked by [`check_in_parts`], on the thread pool.
const CHECK_IN_PARTS_FROM: usize = 1 << 20;

/// Into how many parts a draft of `len` bytes is cut for its check: parts of a megabyte or more,
/// four for each thread at most.
fn check_parts(len: usize) -> usize {
    (len >> 20).clamp(2, 4 * rayon::current_num_threads().max(1))
}

/// Bytes checked at a time: the NUL search, the UTF-8 check and the line breaks each go over a
/// block while it is in the core's own cache, instead of three passes over 32 MB of memory.
const CHECK_BLOCK: usize = 128 << 10;

/// Bytes of text per bit of [`Article::non_ascii`]: a cache line.
const ASCII_BLOCK: usize = 64;

/// What [`check_in_parts`] learned.
struct Checked {
    nul: Option<usize>,
    utf8: bool,
    line_starts: Vec<usize>,
    /// [`Article::non_ascii`]'s bits for the blocks the part touches, from word `first_word` of
    /// the whole text's.
    non_ascii: Vec<u64>,
    first_word: usize,
}

/// The first NUL byte, whether the text is UTF-8 and where its lines start, found in one pass
/// over `parts` parts of the text on the thread pool, `block` bytes at a time. Either may be
/// missed when the text is not UTF-8 (`utf8` is false then); the line starts are sure only when
/// it is. `None` when no character starts near a cut, which UTF-8 never allows.
///
/// More parts than threads, because the check runs beside the building of the detector: with two
/// halves, the thread that built it checked the second half alone for 3–4 ms after the first was
/// done.
fn check_in_parts(bytes: &[u8], block: usize, parts: usize) -> Option<Checked> {
    use rayon::prelude::*;
    // Parts meet where a character starts (a byte that does not continue one), so a UTF-8 text is
    // UTF-8 in every part.
    let len = bytes.len();
    let mut cuts = vec![0];
    for k in 1..parts {
        let target = (len / parts * k).max(cuts[cuts.len() - 1]);
        let cut = (target..=len)
            .take(4)
            .find(|&i| i == len || bytes[i] & 0xc0 != 0x80)?;
        if cut > cuts[cuts.len() - 1] && cut < len {
            cuts.push(cut);
        }
    }
    cuts.push(len);
    let checked: Vec<Checked> = cuts
        .par_windows(2)
        .map(|w| {
            let part = &bytes[w[0]..w[1]];
            // Room at the length of a hard-wrapped line, 32 bytes, and more only if the text
            // needs it; room reserved and never written costs no memory.
            check_part(part, w[0], block, part.len() / 32, w[0] == 0)
        })
        .collect();
    // A part's NUL is the first only when every part before it was searched to its end.
    let mut nul = None;
    let mut utf8 = true;
    for c in &checked {
        if c.nul.is_some() {
            nul = c.nul;
            utf8 = false;
            break;
        }
        if !c.utf8 {
            utf8 = false;
            break;
        }
    }
    let mut non_ascii = vec![0; len.div_ceil(ASCII_BLOCK).div_ceil(64)];
    for c in &checked {
        for (i, bits) in c.non_ascii.iter().enumerate() {
            non_ascii[c.first_word + i] |= bits;
        }
    }
    Some(Checked {
        nul,
        utf8,
        line_starts: if utf8 { joined(&checked) } else { Vec::new() },
        non_ascii,
        first_word: 0,
    })
}

/// The parts' line starts in one list, copied on the thread pool: a draft of short lines has
/// megabytes of them.
fn joined(checked: &[Checked]) -> Vec<usize> {
    use rayon::prelude::*;
    let total = checked.iter().map(|c| c.line_starts.len()).sum();
    let mut all = vec![0; total];
    let mut rest = &mut all[..];
    let mut places = Vec::with_capacity(checked.len());
    for c in checked {
        let (place, after) = rest.split_at_mut(c.line_starts.len());
        places.push(place);
        rest = after;
    }
    places
        .into_par_iter()
        .zip(checked.par_iter())
        .for_each(|(place, c)| place.copy_from_slice(&c.line_starts));
    all
}

/// [`check_in_parts`] for one part that starts at `offset` in the text; its line starts are
/// those after its own line breaks. Stops at a NUL byte or at bytes that are not UTF-8.
///
/// `lines` is how many line starts to make room for; the part that starts the text (`first`)
/// puts the first line's start, 0, before its own.
fn check_part(part: &[u8], offset: usize, block: usize, lines: usize, first: bool) -> Checked {
    let mut line_starts = Vec::with_capacity(lines + 1);
    if first {
        line_starts.push(0);
    }
    let first_word = offset / ASCII_BLOCK / 64;
    let last_word = (offset + part.len()).div_ceil(ASCII_BLOCK).div_ceil(64);
    let mut non_ascii = vec![0; last_word - first_word];
    // Everything before `valid` is UTF-8; a character cut by the end of a block is checked
    // again with the next one.
    let mut valid = 0;
    let mut start = 0;
    while start < part.len() {
        let end = (start + block).min(part.len());
        let bytes = &part[start..end];
        if let Some(i) = memchr::memchr(0, bytes) {
            return Checked {
                nul: Some(offset + start + i),
                utf8: false,
                line_starts,
                non_ascii,
                first_word,
            };
        }
        match std::str::from_utf8(&part[valid..end]) {
            Ok(_) => valid = end,
            Err(e) if e.error_len().is_none() && end < part.len() => valid += e.valid_up_to(),
            Err(_) => {
                return Checked {
                    nul: None,
                    utf8: false,
                    line_starts,
                    non_ascii,
                    first_word,
                };
            }
        }
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| offset + start + i + 1));
        mark_non_ascii(&mut non_ascii, first_word, offset + start, bytes);
        start = end;
    }
    Checked {
        nul: None,
        utf8: valid == part.len(),
        line_starts,
        non_ascii,
        first_word,
    }
}

/// Sets the bit in `bits` (word `first_word` of the text's first) of each [`ASCII_BLOCK`] that
/// `bytes`, which start at `at` in the text, hold a byte outside ASCII in.
fn mark_non_ascii(bits: &mut [u64], first_word: usize, at: usize, bytes: &[u8]) {
    let mut i = 0;
    while i < bytes.len() {
        let block = (at + i) / ASCII_BLOCK;
        let take = (ASCII_BLOCK - (at + i) % ASCII_BLOCK).min(bytes.len() - i);
        if !bytes[i..i + take].is_ascii() {
            bits[block / 64 - first_word] |= 1 << (block % 64);
        }
        i += take;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article::new(Path::new("t.md"), text.to_owned())
    }

    /// A folder opened as a draft says so in its own words, whether named as it is or with a
    /// trailing separator.
    #[test]
    fn a_folder_is_not_a_draft() {
        let dir = tempfile::tempdir().unwrap();
        for path in [dir.path().to_owned(), dir.path().join("")] {
            let err = Article::load(&path).unwrap_err();
            assert!(matches!(err, LoadError::Directory { .. }), "{err:?}");
            assert!(
                err.to_string().ends_with("is a directory, not a text file"),
                "{err}"
            );
        }
    }

    /// A draft large enough to be mapped for a scan is the same article as one read, text and
    /// line index, CRLF and characters of every width included; its copy is its own; and a
    /// large file that is not a draft is refused with the same error either way.
    #[test]
    fn a_draft_mapped_for_a_scan_is_the_draft_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let para =
            "Officials said “the port” would close.\r\n\tA person familiar — 東京 — said so.\n\n";
        let text = para.repeat(MAP_FROM as usize / para.len() + 1);
        std::fs::write(&path, &text).unwrap();
        let read = Article::load(&path).unwrap();
        let mapped = Article::load_to_scan(&path).unwrap();
        #[cfg(target_os = "linux")]
        assert!(matches!(mapped.text, Text::Mapped(_)));
        assert_eq!(mapped.text(), text);
        assert_eq!(mapped.line_starts, read.line_starts);
        let copy = mapped.clone();
        assert!(matches!(copy.text, Text::Owned(_)));
        assert_eq!(copy.text(), text);

        let mut bytes = text.into_bytes();
        bytes[MAP_FROM as usize - 3] = 0xe9;
        std::fs::write(&path, &bytes).unwrap();
        let (read, mapped) = (Article::load(&path), Article::load_to_scan(&path));
        assert!(matches!(mapped, Err(LoadError::NotUtf8 { .. })));
        assert_eq!(
            mapped.unwrap_err().to_string(),
            read.unwrap_err().to_string()
        );
    }

    proptest::proptest! {
        /// The one-pass check in parts agrees with the three separate ones: its NUL is the
        /// first; a text it calls UTF-8 is, with the same line starts; one it does not call
        /// UTF-8 is not, or holds a NUL. Blocks of a few bytes cut characters everywhere (fails
        /// when a character cut by a block's end is not carried into the next block).
        #[test]
        fn the_check_in_parts_agrees_with_the_separate_checks(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                &b"a"[..], b"\n", b" ", b"\0", "é".as_bytes(), "日".as_bytes(),
                "😀".as_bytes(), b"\x80", b"\xe6\x97", b"\xff", b"\r\n",
            ]), 0..120),
            block in 1usize..12,
            parts in 2usize..7,
        ) {
            let bytes = pieces.concat();
            let Some(checked) = check_in_parts(&bytes, block, parts) else {
                proptest::prop_assert!(std::str::from_utf8(&bytes).is_err());
                return Ok(());
            };
            let nul = memchr_nul(&bytes);
            let utf8 = std::str::from_utf8(&bytes).is_ok();
            match checked.nul {
                Some(n) => proptest::prop_assert_eq!(Some(n), nul),
                None if checked.utf8 => {
                    proptest::prop_assert!(nul.is_none() && utf8);
                    proptest::prop_assert_eq!(&checked.line_starts, &line_starts(&bytes));
                    let mut non_ascii = vec![0u64; bytes.len().div_ceil(ASCII_BLOCK).div_ceil(64)];
                    for (block, part) in bytes.chunks(ASCII_BLOCK).enumerate() {
                        if !part.is_ascii() {
                            non_ascii[block / 64] |= 1 << (block % 64);
                        }
                    }
                    proptest::prop_assert_eq!(&checked.non_ascii, &non_ascii);
                }
                None => proptest::prop_assert!(!utf8 || nul.is_some()),
            }
            if utf8 && nul.is_none() {
                proptest::prop_assert!(checked.utf8);
            }
        }
    }

    /// A draft large enough to be checked in parts loads as one checked whole does, and its
    /// errors name the same place: a NUL in any part, bytes that are not UTF-8 in any.
    #[test]
    fn a_large_draft_loads_and_fails_as_a_small_one_does() {
        let para = "Officials said “the port” would close — 日本.\r\n\n";
        let text = para.repeat((CHECK_IN_PARTS_FROM * 2) / para.len());
        let path = Path::new("big.md");
        let a = Article::from_bytes(path, text.clone().into_bytes()).unwrap();
        assert_eq!(a.text(), text);
        assert_eq!(a.line_starts, line_starts(text.as_bytes()));
        let len = text.len();
        for at in [10, len / 2 - 1, len / 2, len / 2 + 1, len - 3] {
            for bad in [&[0u8][..], b"\xff", b"\xe6"] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = bad[0];
                let whole = Article::from_bytes(path, bytes.clone())
                    .unwrap_err()
                    .to_string();
                // The same bytes checked the way a small draft is: the first NUL, else where the
                // text stops being UTF-8.
                let expected = match memchr_nul(&bytes) {
                    Some(offset) => format!("offset {offset}"),
                    None => {
                        let valid = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
                        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
                        format!("line {line}")
                    }
                };
                assert!(whole.contains(&expected), "{whole} / {expected}");
            }
        }
    }

    /// Columns count characters on a draft large enough to be checked in parts, where blocks
    /// of ASCII are counted without being read: every offset of a text whose characters outside
    /// ASCII (of two, three and four bytes) come alone, in runs and across blocks' edges, read
    /// one after the other with one cursor and each with a fresh one.
    #[test]
    fn columns_of_a_large_draft_count_characters() {
        let mut rng = fastrand::Rng::with_seed(11);
        let mut text = String::new();
        while text.len() < 2 * CHECK_IN_PARTS_FROM {
            let piece = match rng.u8(..20) {
                0 => "é",
                1 => "日本",
                2 => "😀",
                3 => "\n",
                4 => "\r\n\n",
                5 => &"x".repeat(rng.usize(60..200)),
                _ => "word ",
            };
            text.push_str(piece);
        }
        let a = Article::from_bytes(Path::new("big.md"), text.clone().into_bytes()).unwrap();
        assert!(
            !a.non_ascii.is_empty(),
            "a large draft has the blocks marked"
        );
        let (mut line, mut column) = (1, 1);
        let mut cursor = a.columns();
        for (offset, c) in text.char_indices() {
            assert_eq!(cursor.line_col(offset), (line, column), "at {offset}");
            if offset % 97 == 0 {
                assert_eq!(a.line_col(offset), (line, column), "at {offset}, alone");
            }
            (line, column) = if c == '\n' {
                (line + 1, 1)
            } else {
                (line, column + 1)
            };
        }
    }

    #[test]
    fn line_starts_are_the_bytes_after_each_break() {
        let mut rng = fastrand::Rng::with_seed(3);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| *rng.choice(b"\n\n\x0a\x8a\x0b\x09a\xff\x00 ").unwrap())
                .collect();
            let mut slow = vec![0];
            slow.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            assert_eq!(line_starts(&bytes), slow, "{bytes:?}");
        }
        // Halves on two threads, the middle byte a line break or not.
        for middle in [b'\n', b'x'] {
            let mut big = "line\n".repeat(300_000).into_bytes();
            let half = big.len() / 2;
            big[half] = middle;
            big[half - 1] = b'\n';
            let mut slow = vec![0];
            slow.extend(
                big.iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            assert_eq!(line_starts(&big), slow);
        }
    }

    #[test]
    fn a_nul_byte_anywhere_in_a_large_draft_makes_it_binary() {
        for at in [3, 1_500_000, 2_999_999] {
            let mut bytes = "word\n".repeat(600_000).into_bytes();
            bytes[at] = 0;
            match Article::from_bytes(Path::new("big.txt"), bytes) {
                Err(LoadError::Binary { offset, .. }) => assert_eq!(offset, at),
                other => panic!("{:?}", other.map(|a| a.line_count())),
            }
        }
    }

    #[test]
    fn line_index_handles_crlf_and_trailing_newline() {
        let a = article("one\r\ntwo\r\nthree\r\n");
        assert_eq!(a.line_count(), 3);
        assert_eq!(a.line_text(0), "one");
        assert_eq!(a.line_text(1), "two");
        assert_eq!(a.line_text(2), "three");
        assert_eq!(a.line_col(5), (2, 1));
    }

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let a = article("héllo wörld\nnext");
        let offset = a.text().find("wörld").unwrap();
        assert_eq!(a.line_col(offset), (1, 7));
        assert_eq!(a.line_of(a.text().len()), 1);
    }

    /// One cursor walking offsets in order (several on a line, lines skipped, the same offset
    /// twice, a step back) answers as a fresh cursor for each offset does.
    #[test]
    fn a_cursor_walking_forward_agrees_with_a_fresh_one() {
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..400 {
            // Up to a few hundred lines, so a cursor also jumps far ahead.
            let len = rng.usize(0..600);
            let text: String = (0..len)
                .map(|_| rng.choice(['a', 'é', '\n', '\n', '\r', ' ', '日']).unwrap())
                .collect();
            let a = article(&text);
            let mut offsets: Vec<usize> = (0..rng.usize(1..40))
                .map(|_| rng.usize(0..=text.len()))
                .filter(|&o| text.is_char_boundary(o))
                .collect();
            offsets.sort_unstable();
            if let Some(&back) = offsets.first() {
                offsets.push(back);
            }
            let mut cursor = a.columns();
            for &o in &offsets {
                assert_eq!(cursor.line_col(o), a.line_col(o), "{text:?} at {o}");
            }
        }
    }

    #[test]
    fn empty_text_has_one_empty_line() {
        let a = article("");
        assert_eq!(a.line_count(), 1);
        assert_eq!(a.line_text(0), "");
        assert_eq!(a.line_col(0), (1, 1));
    }

    #[test]
    fn lone_cr_is_not_a_line_break() {
        let a = article("a\rb\n");
        assert_eq!(a.line_count(), 1);
        assert_eq!(a.line_text(0), "a\rb");
    }

    #[test]
    fn rejects_nul_and_bad_utf8_with_position() {
        let err = Article::from_bytes(Path::new("x.bin"), b"ab\0cd".to_vec()).unwrap_err();
        assert!(matches!(err, LoadError::Binary { offset: 2, .. }));
        let err = Article::from_bytes(Path::new("x.txt"), b"ok\nca\xe9t".to_vec()).unwrap_err();
        assert!(
            matches!(
                err,
                LoadError::NotUtf8 {
                    line: 2,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("ISO-8859-1"), "{err}");
        let err = Article::from_bytes(Path::new("w.txt"), b"\x93Quoted\x94 \x96 dash".to_vec())
            .unwrap_err();
        assert!(err.to_string().contains("looks like WINDOWS-1252: convert it with `iconv -f WINDOWS-1252 -t UTF-8 w.txt > w.txt.utf8`"), "{err}");
        let err = Article::from_bytes(
            Path::new("$(touch PWNED) 'a'.txt"),
            b"\x93Quoted\x94 \x96 dash".to_vec(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains(
                r#"`iconv -f WINDOWS-1252 -t UTF-8 '$(touch PWNED) '\''a'\''.txt' > '$(touch PWNED) '\''a'\''.txt.utf8'`"#
            ),
            "{err}"
        );
    }

    #[test]
    fn utf16_says_how_to_convert_and_utf8_bom_is_accepted() {
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Sources said".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let err = Article::from_bytes(Path::new("u.txt"), utf16).unwrap_err();
        assert!(
            err.to_string()
                .contains("is UTF-16LE text; convert it with `iconv -f UTF-16LE"),
            "{err}"
        );
        let a =
            Article::from_bytes(Path::new("b.txt"), b"\xef\xbb\xbfSources said".to_vec()).unwrap();
        assert_eq!(
            a.line_col(3),
            (1, 2),
            "offsets stay bytes of the file as read"
        );
    }

    #[test]
    fn a_column_cursor_agrees_with_line_col() {
        let a = article("héllo wörld\nsecond líne\r\nthird");
        let offsets: Vec<usize> = (0..=a.text().len())
            .filter(|&i| a.text().is_char_boundary(i))
            .collect();
        // Counted afresh from the line's start, as the cursor must agree with.
        let expected = |o: usize| {
            let line = a.line_of(o);
            let start = a.line_range(line).start;
            (line + 1, a.text()[start..o].chars().count() + 1)
        };
        let mut cursor = a.columns();
        for &o in &offsets {
            assert_eq!(cursor.line_col(o), expected(o), "at {o}");
            assert_eq!(a.line_col(o), expected(o), "at {o}");
        }
        // Backwards too, which starts the count again.
        for &o in offsets.iter().rev() {
            assert_eq!(cursor.line_col(o), expected(o), "at {o}");
        }
    }

    #[test]
    fn context_respects_char_boundaries() {
        let a = article("ééé source ééé");
        let start = a.text().find("source").unwrap();
        assert_eq!(a.context_before(start, 2), "é ");
        assert_eq!(a.context_after(start + 6, 3), " éé");
        assert_eq!(a.context_before(0, 5), "");
    }
}
