//! Keeping untrusted text away from the terminal.
//!
//! Article text, notes, file names and config values can hold escape sequences (clipboard writes,
//! title changes, screen clears) and invisible characters that hide text from the editor. Anything
//! the program prints or draws passes through here first.

use std::borrow::Cow;

/// The visible stand-in for a character that must not reach a terminal as itself, or `None` when
/// the character is safe to print. Tabs and newlines are the caller's business (layout).
pub fn stand_in(c: char) -> Option<char> {
    match c {
        // C0 controls map onto the Control Pictures block: ESC becomes ␛, NUL ␀, BEL ␇ …
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('␡'),
        // C1 controls (CSI, OSC, …) are as dangerous as their ESC-prefixed forms.
        '\u{80}'..='\u{9f}' => Some('�'),
        // Bidirectional overrides and isolates can reorder what the editor sees.
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => Some('⇄'),
        // Zero-width characters that can hide or split words. The zero-width joiner is left alone
        // because emoji sequences need it and it cannot hide text on its own.
        '\u{200b}' | '\u{200c}' | '\u{2060}' | '\u{feff}' => Some('¦'),
        // Other characters that draw as nothing: invisible operators, the soft hyphen, the
        // Mongolian vowel separator, deprecated format controls, the grapheme joiner, interlinear
        // annotation marks, Hangul fillers and tag characters.
        '\u{00ad}'
        | '\u{034f}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{180e}'
        | '\u{2061}'..='\u{2064}'
        | '\u{206a}'..='\u{206f}'
        | '\u{3164}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{ffa0}'
        | '\u{e0000}'..='\u{e007f}' => Some('¦'),
        '\u{2028}' | '\u{2029}' => Some('↵'),
        _ => None,
    }
}

/// Replaces every unsafe character (including tabs and newlines) with its stand-in, for one-line
/// messages such as banners, errors and file names.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if plain_ascii(s, false) || !s.chars().any(|c| stand_in(c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| stand_in(c).unwrap_or(c)).collect())
}

/// Whether every byte is printable ASCII (and no backslash, if `no_backslash`): text that needs
/// no stand-in, told by a byte test rather than a character-by-character match, since nearly
/// all text output is like this.
fn plain_ascii(s: &str, no_backslash: bool) -> bool {
    s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !(no_backslash && b == b'\\'))
}

/// Like [`for_terminal`] for text of several lines: each line is made safe and the line breaks
/// are kept.
pub fn for_terminal_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes text for one-line machine-readable output (`scan --format line`): newlines, tabs and
/// other controls become backslash escapes, so one finding is always one line and nothing raw
/// reaches whatever displays the output.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    if plain_ascii(s, true) || !s.chars().any(|c| c == '\\' || stand_in(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if stand_in(c).is_some() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "a\x1b]52;c;ZXZpbA==\x07b\x1b[2Jc\u{9b}31m";
        let shown = for_terminal(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "a␛]52;c;ZXZpbA==␇b␛[2Jc�31m");
    }

    #[test]
    fn bidi_and_zero_width_are_shown() {
        assert_eq!(for_terminal("ab\u{202e}cd\u{200b}e"), "ab⇄cd¦e");
        // Emoji joined with ZWJ stay intact.
        assert_eq!(for_terminal("👩\u{200d}💻"), "👩\u{200d}💻");
    }

    #[test]
    fn characters_that_draw_as_nothing_are_shown() {
        for c in [
            '\u{2061}',
            '\u{2064}',
            '\u{180e}',
            '\u{00ad}',
            '\u{206a}',
            '\u{206f}',
            '\u{e0020}',
            '\u{e007f}',
            '\u{034f}',
            '\u{fff9}',
            '\u{115f}',
        ] {
            let s = format!("a{c}b");
            assert_eq!(for_terminal(&s), "a¦b", "{:x}", c as u32);
        }
    }

    #[test]
    fn several_lines_keep_their_breaks() {
        assert_eq!(for_terminal_lines("a\x1b\nb\tc\n"), "a␛\nb␉c\n");
    }

    #[test]
    fn line_escape_keeps_one_line() {
        assert_eq!(escape_line("a\nb\tc\\d\x1b"), "a\\nb\\tc\\\\d\\u{1b}");
        assert!(matches!(escape_line("plain text"), Cow::Borrowed(_)));
    }
}
