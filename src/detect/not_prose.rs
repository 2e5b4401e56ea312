//! Regions of a draft that are not prose, so nothing in them is a source: URLs anywhere, and in
//! Markdown code blocks, code spans, raw HTML and front matter (found with pulldown-cmark's source
//! offsets, so they match the byte offsets of findings).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// Byte ranges of bare URLs ("https://…", "www.…") up to the next whitespace.
pub fn urls(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    // "http://" and "https://" both hold "://", so one search finds both.
    let schemes = memchr::memmem::find_iter(b, "://").filter_map(|at| {
        [&b"https"[..], b"http"]
            .into_iter()
            .find(|scheme| b[..at].ends_with(scheme))
            .map(|scheme| at - scheme.len())
    });
    let hosts = memchr::memmem::find_iter(b, "www.").filter(|&start| {
        !text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '/')
    });
    let mut out: Vec<(usize, usize)> = schemes
        .chain(hosts)
        .map(|start| (start, url_end(text, start)))
        .collect();
    out.sort_unstable();
    out
}

/// Where the URL that starts at `start` ends: at whitespace, `>`, `)` or `"`, or the text's end.
/// A draft of documentation holds ninety thousand URLs: eight bytes are tested at once for
/// anything that could end one (a control or space, one of the marks, a byte outside ASCII), and
/// only such a byte is looked at closely.
fn url_end(text: &str, start: usize) -> usize {
    use crate::swar::{HIGH, bytes_in, load8};
    let b = text.as_bytes();
    let mut i = start;
    while i < b.len() {
        // Past the text's end `load8` gives zero bytes, which are candidates like any control.
        let x = load8(b, i);
        let candidates = bytes_in(x, 0, b' ')
            | bytes_in(x, b'"', b'"')
            | bytes_in(x, b')', b')')
            | bytes_in(x, b'>', b'>')
            | (x & HIGH);
        if candidates == 0 {
            i += 8;
            continue;
        }
        i += (candidates.trailing_zeros() / 8) as usize;
        let Some(ch) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if ch.is_whitespace() || matches!(ch, '>' | ')' | '"') {
            return i;
        }
        i += ch.len_utf8();
    }
    b.len()
}

/// Byte ranges of Markdown that is not prose.
pub fn markdown(text: &str) -> Vec<(usize, usize)> {
    if !may_hold_non_prose(text) {
        return Vec::new();
    }
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let skip = matches!(
            event,
            Event::Start(
                Tag::CodeBlock(_)
                    | Tag::MetadataBlock(_)
                    | Tag::HtmlBlock
                    | Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    }
            ) | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::Html(_)
        );
        if skip {
            out.push((range.start, range.end));
        }
    }
    out
}

/// Whether the text holds anything code, HTML or front matter needs: a backtick or tilde (code
/// spans and fences), `<` (HTML, autolinks), a tab or a line indented by four spaces after any
/// list or quote markers (indented code), or `---` / `+++` (front matter). Most drafts hold none,
/// and then the Markdown parse is skipped.
fn may_hold_non_prose(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3(b'`', b'~', b'<', b).is_some()
        || memchr::memchr(b'\t', b).is_some()
        || ["---", "+++"]
            .iter()
            .any(|n| memchr::memmem::find(b, n.as_bytes()).is_some())
        || std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1))
            .any(|line| indented(&b[line..]))
}

/// Whether a line starts with four spaces, counting from after any quote or list markers.
fn indented(line: &[u8]) -> bool {
    let mut spaces = 0;
    for &c in line {
        match c {
            b' ' => {
                spaces += 1;
                if spaces == 4 {
                    return true;
                }
            }
            b'>' | b'-' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9' => spaces = 0,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A URL ends where the first whitespace character or closing mark after its start is,
        /// whatever characters come before it.
        #[test]
        fn a_url_ends_at_the_first_space_or_closing_mark(
            rest in "[a-z/.:>)\"\t\n\r\x0b\x0c \u{a0}\u{85}\u{2009}\u{3000}é中\u{1c}]{0,30}",
        ) {
            let text = format!("https://{rest}");
            let end = text
                .find(|c: char| c.is_whitespace() || matches!(c, '>' | ')' | '"'))
                .unwrap_or(text.len());
            proptest::prop_assert_eq!(url_end(&text, 0), end);
        }
    }

    #[test]
    fn finds_code_front_matter_and_urls() {
        let text = "---\ntitle: Sources said\n---\n\nProse. `sources said` here.\n\n```\nA source said\n```\n\nSee https://x.org/sources-said now.\n";
        let ranges = markdown(text);
        let covered = |needle: &str| {
            let at = text.find(needle).unwrap();
            ranges
                .iter()
                .chain(urls(text).iter())
                .any(|&(s, e)| s <= at && at < e)
        };
        assert!(covered("title: Sources"));
        assert!(covered("sources said` here"));
        assert!(covered("A source said"));
        assert!(covered("x.org/sources"));
        assert!(!covered("Prose."));
    }

    #[test]
    fn every_kind_of_non_prose_is_noticed_before_parsing() {
        for text in [
            "a `code` span",
            "~~~\nfence\n~~~",
            "<b>html</b>",
            "para\n\n    indented code",
            "    indented code first",
            "- list\n\n      indented in the list",
            ">     indented in a quote",
            "1.     indented in a numbered list",
            "para\n\n\tindented code",
            "---\ntitle: x\n---\n",
            "+++\ntitle = 1\n+++\n",
        ] {
            assert!(may_hold_non_prose(text), "{text}");
            assert!(!markdown(text).is_empty(), "{text}");
        }
        assert!(!may_hold_non_prose(
            "Plain prose,  said a source.\n\nMore    prose.\n- a list\n> a quote"
        ));
    }
}
