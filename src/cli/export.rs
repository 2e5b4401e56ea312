//! Exports of a draft's sources for the tools a standards desk already has: a CSV a spreadsheet
//! opens (`report --format csv`), and W3C Web Annotation JSON-LD (`report --format w3c`) that
//! annotation tools read, targeting the draft by quote and by position.

use std::io::Write;

use crate::review::Review;

use super::scan;

/// The kind of attribution a source is: a described person, or a hedge that names no one.
fn class_of(rule: &str) -> &'static str {
    if rule == "anon.hedge" {
        "unsourced"
    } else {
        "anonymous"
    }
}

/// A spreadsheet cell from draft or note text: a leading `=`, `+`, `-`, `@` (or a tab or carriage
/// return, which some spreadsheets skip before them) would make it a formula, so it is quoted
/// with an apostrophe, as OWASP advises for CSV injection.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One row per source: where it is, what it says, how it was judged.
pub fn csv(review: &Review, path: &str, out: impl Write) -> std::io::Result<()> {
    let questions: Vec<_> = review
        .annotations
        .iter()
        .flat_map(|a| a.checklist.answered_items())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = [
        "path", "line", "column", "text", "class", "rule", "severity", "status", "note",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(questions.iter().map(|q| format!("checklist {}", q.key())));
    header.extend(["updated".to_owned(), "author".to_owned()]);
    w.write_record(&header)?;
    for (i, r) in scan::records(review, path).into_iter().enumerate() {
        let ann = review.annotation(i);
        let mut row = vec![
            cell(&r.path),
            r.line.to_string(),
            r.column.to_string(),
            cell(&r.text),
            class_of(&r.rule).to_owned(),
            cell(&r.rule),
            r.severity.to_owned(),
            r.status.to_owned(),
            cell(&r.note),
        ];
        row.extend(questions.iter().map(|q| {
            ann.map_or("unknown", |a| a.checklist.get(*q).as_str())
                .to_owned()
        }));
        row.push(ann.map(|a| a.updated.clone()).unwrap_or_default());
        row.push(ann.map(|a| cell(&a.author)).unwrap_or_default());
        w.write_record(&row)?;
    }
    w.flush()
}

/// The draft's sources as a W3C Web Annotation collection: each targets the draft's file URI
/// with a quote selector (the text and 32 characters either side) and a position selector in
/// code points, with motivation `assessing` and the status and note as bodies.
pub fn w3c(review: &Review, path: &str) -> serde_json::Value {
    use serde_json::json;
    let article = review.article();
    let text = article.text();
    let absolute = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| std::path::PathBuf::from(path));
    let source = format!(
        "file://{}",
        super::scan::uri_path(&absolute.to_string_lossy())
    );
    // Code points before each byte offset, counted once along the draft: sources come in order,
    // so the count goes on from the last offset asked for (and starts again if one goes back).
    let mut at = (0usize, 0usize);
    let mut chars_before = |byte: usize| {
        if byte < at.0 {
            at = (0, 0);
        }
        at = (byte, at.1 + text[at.0..byte].chars().count());
        at.1
    };
    let items: Vec<serde_json::Value> = review
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let ann = review.annotation(i);
            let status = review.status(i);
            let mut body = vec![json!({
                "type": "TextualBody",
                "purpose": "assessing",
                "value": status.as_str(),
            })];
            if let Some(a) = ann.filter(|a| !a.note.is_empty()) {
                body.push(json!({
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "format": "text/plain",
                    "value": a.note,
                }));
            }
            let mut annotation = json!({
                "id": format!("urn:whosaid:{}", ann.map_or_else(|| format!("unjudged-{}", s.start), |a| a.id.clone())),
                "type": "Annotation",
                "motivation": "assessing",
                "body": body,
                "target": {
                    "source": source,
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": &text[s.start..s.end],
                            "prefix": article.context_before(s.start, crate::review::CONTEXT_CHARS),
                            "suffix": article.context_after(s.end, crate::review::CONTEXT_CHARS),
                        },
                        {
                            "type": "TextPositionSelector",
                            "start": chars_before(s.start),
                            "end": chars_before(s.end),
                        },
                    ],
                },
            });
            if let Some(a) = ann {
                annotation["creator"] = json!({ "type": "Person", "name": a.author });
                annotation["created"] = json!(a.created);
                annotation["modified"] = json!(a.updated);
            }
            annotation
        })
        .collect();
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": format!("Anonymous sources in {path}"),
        "total": items.len(),
        "first": { "type": "AnnotationPage", "items": items },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_quoted() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\t=1"] {
            assert!(cell(s).starts_with('\''), "{s}");
        }
        assert_eq!(cell("Sources said"), "Sources said");
    }
}
