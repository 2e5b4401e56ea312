//! The byte-level scanning under the tokenizer: a class per byte, eight bytes at a time for ASCII words, and the ends of terminal control sequences.

// Byte classes for the ASCII fast path.
pub(super) const BLANK: u8 = 0; // space, tab, carriage return

pub(super) const NEWLINE: u8 = 1;

pub(super) const OTHER_SPACE: u8 = 2; // vertical tab, form feed

pub(super) const LOWER: u8 = 3;

pub(super) const UPPER: u8 = 4;

pub(super) const DIGIT: u8 = 5;

pub(super) const PUNCT: u8 = 6;

pub(super) const NOT_ASCII: u8 = 7;

pub(super) const ESCAPE: u8 = 8; // ESC, which starts a terminal control sequence

pub(super) static BYTE_CLASS: [u8; 256] = {
    let mut t = [NOT_ASCII; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = match c as u8 {
            b' ' | b'\t' | b'\r' => BLANK,
            b'\n' => NEWLINE,
            0x0b | 0x0c => OTHER_SPACE,
            0x1b => ESCAPE,
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            _ => PUNCT,
        };
        c += 1;
    }
    t
};

pub(super) use crate::swar::{HIGH, LOW, bytes_in, load8};

/// 0x20 in every byte: the bit that makes an ASCII capital a small letter.
pub(super) const CASE: u64 = LOW * 0x20;

/// `x` with its ASCII capitals in lower case.
#[inline(always)]
pub(super) fn lower8(x: u64) -> u64 {
    x | (bytes_in(x, b'A', b'Z') >> 2)
}

/// `KEEP[n]` keeps the low `n` bytes of a `u64`.
pub(super) static KEEP: [u64; 9] = [
    0,
    0xff,
    0xffff,
    0xff_ffff,
    0xffff_ffff,
    0xff_ffff_ffff,
    0xffff_ffff_ffff,
    0xff_ffff_ffff_ffff,
    u64::MAX,
];

/// The lower-cased bytes of an ASCII word of at most [`PACKED`] bytes, packed as
/// [`Vocabulary::entry_packed`] wants them.
#[inline(always)]
pub(super) fn packed_lower(b: &[u8], start: usize, end: usize) -> u128 {
    let n = end - start;
    let lo = lower8(load8(b, start) & KEEP[n.min(8)]);
    if n <= 8 {
        u128::from(lo)
    } else {
        let hi = lower8(load8(b, start + 8) & KEEP[n - 8]);
        u128::from(lo) | (u128::from(hi) << 64)
    }
}

/// The end of the run of ASCII letters and digits starting at `i`, eight bytes at a time: most
/// words end inside the first eight, with one unpredictable branch instead of one a letter.
#[inline(always)]
pub(super) fn alnum_run_end(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let x = load8(b, i);
        let alnum = bytes_in(x, b'0', b'9') | bytes_in(x, b'A', b'Z') | bytes_in(x, b'a', b'z');
        let other = !alnum & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && is_alnum(b[i]) {
        i += 1;
    }
    i
}

/// What the ASCII fast path learnt about a word while finding its end.
pub(super) struct AsciiWord {
    pub(super) end: usize,
    pub(super) last_hyphen: Option<usize>,
}

pub(super) fn is_alnum(c: u8) -> bool {
    matches!(BYTE_CLASS[c as usize], LOWER | UPPER | DIGIT)
}

/// Where the control sequence whose ESC was just before `i` ends: a CSI (`ESC [` parameters,
/// a final letter), a string (`ESC ]`, `ESC P`, …) up to BEL or `ESC \\` — or, since the text is
/// prose and a string left open must not hide it, the next space or control character — or `ESC`
/// and one character.
pub(super) fn escape_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'[') => csi_end(b, i + 1),
        Some(b']' | b'P' | b'X' | b'^' | b'_') => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    0x07 => return j + 1,
                    0x1b if b.get(j + 1) == Some(&b'\\') => return j + 2,
                    0x00..=0x20 | 0x7f => return j,
                    _ => j += 1,
                }
            }
            j
        }
        Some(&c) if (0x20..0x7f).contains(&c) => i + 1,
        _ => i,
    }
}

/// Where a CSI sequence whose parameters start at `i` ends: parameter and intermediate bytes,
/// then one final byte.
pub(super) fn csi_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (0x20..=0x3f).contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && (0x40..=0x7e).contains(&b[i]) {
        i += 1;
    }
    i
}

/// The word starting at `start` (an ASCII letter or digit), if it is ASCII through and through;
/// `None` sends it down the general path. Follows [`Tokenizer::word_end`] exactly.
pub(super) fn ascii_word(b: &[u8], start: usize) -> Option<AsciiWord> {
    let alnum = |i: usize| b.get(i).is_some_and(|&c| is_alnum(c));
    let mut last_hyphen = None;
    let mut i = start;
    let mut segment_start = start;
    let mut has_dot = false;
    loop {
        i = alnum_run_end(b, i);
        let Some(&next) = b.get(i) else { break };
        if next >= 0x80 {
            return None;
        }
        if !matches!(next, b'\'' | b'-' | b'.') {
            break;
        }
        let after = b.get(i + 1).copied();
        if after.is_some_and(|a| a >= 0x80) {
            return None;
        }
        let single_letter = i - segment_start == 1 && b[segment_start].is_ascii_alphabetic();
        match next {
            b'\'' | b'-' if alnum(i + 1) => {
                if next == b'-' {
                    last_hyphen = Some(i);
                }
                i += 1;
                segment_start = i;
            }
            // Initialisms: "U.S." and "U.N." are one word, full stop included.
            b'.' if single_letter
                && after.is_some_and(|a| a.is_ascii_alphabetic())
                && b.get(i + 2) == Some(&b'.') =>
            {
                has_dot = true;
                i += 1;
                segment_start = i;
            }
            b'.' if single_letter && has_dot => {
                i += 1;
                break;
            }
            _ => break,
        }
    }
    Some(AsciiWord {
        end: i,
        last_hyphen,
    })
}
