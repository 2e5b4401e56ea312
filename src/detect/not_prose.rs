//! Regions of a draft that are not prose, so nothing in them is a source: URLs anywhere, and in
//! Markdown code blocks, code spans, raw HTML and front matter (found with pulldown-cmark's source
//! offsets, so they match the byte offsets of findings).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// Byte ranges of bare URLs ("https://…", "www.…") up to the next whitespace.
pub fn urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for prefix in ["http://", "https://", "www."] {
        for (start, _) in text.match_indices(prefix) {
            if prefix == "www."
                && text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '/')
            {
                continue;
            }
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '>' | ')' | '"'))
                .map_or(text.len(), |e| start + e);
            out.push((start, end));
        }
    }
    out
}

/// Byte ranges of Markdown that is not prose.
pub fn markdown(text: &str) -> Vec<(usize, usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
