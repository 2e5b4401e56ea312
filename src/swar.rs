//! Eight bytes at a time: a `u64` read from text and tested byte by byte at once, for the
//! tokenizer, which walks a whole draft word by word.

/// 0x01 in every byte.
pub const LOW: u64 = u64::MAX / 255;

/// 0x80 in every byte: where [`bytes_in`] puts its answers.
pub const HIGH: u64 = LOW * 0x80;

/// Eight bytes from `i`, little-endian, with zeros past the end of the text.
#[inline(always)]
pub fn load8(b: &[u8], i: usize) -> u64 {
    let mut bytes = [0u8; 8];
    match b.get(i..i + 8) {
        Some(window) => bytes.copy_from_slice(window),
        None => {
            let rest = &b[i.min(b.len())..];
            bytes[..rest.len()].copy_from_slice(rest);
        }
    }
    u64::from_le_bytes(bytes)
}

/// The top bit of each byte of `x` that is in `lo..=hi` (both under 0x80); bytes of 0x80 and
/// over are cleared first and never match. Every sum stays inside its byte, so the answer is
/// exact for each byte.
#[inline(always)]
pub fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let ascii = x & !HIGH;
    let from_lo = ascii + LOW * u64::from(0x80 - lo);
    let past_hi = ascii + LOW * u64::from(0x80 - hi - 1);
    from_lo & !past_hi & !x & HIGH
}
