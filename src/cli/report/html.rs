//! The report as one self-contained HTML page that prints well. Written with maud, whose
//! templates escape every value for HTML; characters that are not allowed in HTML text at all
//! (controls, which would also reach a terminal the page is printed to) are replaced first, by
//! their visible stand-ins. No script, no stylesheet or font from elsewhere.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{
    Report, Rollup, SourceReport, checklist_line, headline, provenance_line, sign_off_line,
    signed_off, untagged,
};

/// Text for the page: controls other than line breaks become their stand-ins; maud escapes the
/// rest. A CRLF is one line break.
fn text(s: &str) -> String {
    crate::sanitize::for_terminal_lines(&s.replace("\r\n", "\n"))
}

/// Text on one line: a hard-wrapped quote's line breaks are spaces.
fn line(s: &str) -> String {
    text(s).replace('\n', " ")
}

/// A note, its line breaks kept.
fn lines(s: &str) -> Markup {
    let t = text(s);
    html! {
        @for (i, l) in t.split('\n').enumerate() {
            @if i > 0 { br; }
            (l)
        }
    }
}

const STYLE: &str = "body{font:15px/1.45 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111}\
h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.6em;break-after:avoid}\
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em;text-align:left}\
blockquote{margin:.4em 0;padding-left:.8em;border-left:3px solid #999}\
.warn{color:#900}section{break-inside:avoid}\
.headline{font-size:1.2em;font-weight:bold}.ready{color:#060}.notready{color:#900}\
.bar{display:flex;height:1.2em;border:1px solid #999;margin:.6em 0}.bar span{display:block}\
.small{font-size:.85em;color:#444}mark{background:#fe6;padding:0 .1em}\
@media print{body{margin:0;max-width:none}}";

fn colour(status: &str) -> &'static str {
    match status {
        "untagged" => "#e8b400",
        "dismissed" => "#bbb",
        "verified" => "#2a6fdb",
        "corroborated" => "#2aa3b8",
        "single-source" => "#888",
        "unverified" => "#a04bc8",
        "disputed" => "#c0392b",
        _ => "#5b7",
    }
}

/// A bar of the sources by status, each its share of the width, labelled for screen readers.
fn status_bar(r: &Report) -> Markup {
    let total = r.summary.sources.max(1);
    html! {
        div.bar role="img" aria-label="sources by status" {
            @for (k, n) in r.statuses().filter(|(_, n)| *n > 0) {
                span style=(format!("width:{:.1}%;background:{}", n as f64 * 100.0 / total as f64, colour(k)))
                    title=(format!("{k}: {n}")) aria-label=(format!("{k}: {n}")) {}
            }
        }
    }
}

fn source(r: &Report, n: usize, s: &SourceReport) -> Markup {
    let rec = &s.record;
    let [before, phrase, after] = s.sentence.parts();
    html! {
        section.source {
            h2 { (n + 1) ". " (line(&rec.text)) " " small { "(line " (rec.line) ", " (rec.severity) " severity)" } }
            blockquote { (line(before)) mark { (line(phrase)) } (line(after)) }
            ul {
                li { "Status: " strong { (rec.status) } " · rule " code { (line(&rec.rule)) } }
                li { "Checklist: " (line(&checklist_line(r, s))) }
                @for w in &s.warnings { li.warn { "Warning: " (w) } }
                @if !rec.note.is_empty() { li { "Note: " (lines(&rec.note)) } }
                @for e in &s.history { li { (e.describe(line)) } }
            }
        }
    }
}

/// Who the story's attributions rest on: a table by class, the anonymous share of people, and
/// each named source once.
fn balance(r: &Report) -> Markup {
    let b = &r.summary.balance;
    html! {
        section.balance {
            h2 { "Sourcing balance" }
            table {
                tr { th { "attributed to" } th { "mentions" } }
                @for (k, v) in b.rows() { tr { td { (k) } td { (v) } } }
            }
            p { (b.share_line()) }
            @if !b.named.is_empty() {
                p { "Named sources: "
                    @for (i, n) in b.named.iter().enumerate() {
                        @if i > 0 { ", " }
                        (line(&n.name)) " (" (n.mentions) ")"
                    }
                }
            }
        }
    }
}

pub fn page(r: &Report) -> String {
    let tables: [(&str, Vec<(&str, usize)>); 2] = [
        ("status", r.statuses().collect()),
        ("severity", r.severities().collect()),
    ];
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Anonymous sourcing: " (line(&r.path)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Anonymous sourcing: " (line(&r.path)) }
                p class={ "headline " (if r.verdict.ready { "ready" } else { "notready" }) } { (headline(r)) }
                p.small { (line(&provenance_line(r))) }
                (status_bar(r))
                p { (r.summary.sources) " sources; " (r.summary.orphans) " notes whose text has left the draft." }
                p { (line(&sign_off_line(r))) }
                @for (title, counts) in &tables {
                    table {
                        tr { th { (title) } th { "sources" } }
                        @for (k, v) in counts { tr { td { (k) } td { (v) } } }
                    }
                    br;
                }
                (balance(r))
                @for (n, s) in r.sources.iter().enumerate() { (source(r, n, s)) }
                @if !r.orphans.is_empty() {
                    h2 { "Notes whose text has left the draft" }
                    ul {
                        @for o in &r.orphans {
                            li { "“" (line(&o.text)) "” (" (o.status) ") " (lines(&o.note)) }
                        }
                    }
                }
            }
        }
    };
    markup.into_string() + "\n"
}

/// Many drafts: a table of them with totals.
pub fn rollup_page(r: &Rollup) -> String {
    let t = &r.totals;
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Anonymous sourcing: " (t.drafts) " drafts" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Anonymous sourcing: " (t.drafts) " drafts" }
                p class={ "headline " (if t.ready == t.drafts { "ready" } else { "notready" }) } { (r.headline()) }
                p.small { "Generated " (line(&r.generated_at)) " by whosaid " (r.whosaid_version) "." }
                table {
                    tr { th { "draft" } th { "sources" } th { "need action" } th { "disputed" } th { "untagged" } th { "signed off" } }
                    @for d in &r.drafts {
                        tr {
                            td { (line(&d.path)) } td { (d.summary.sources) } td { (d.verdict.need_action) }
                            td { (d.verdict.disputed) } td { (untagged(d)) } td { (signed_off(d)) }
                        }
                    }
                    tr {
                        th { "total" } th { (t.sources) } th { (t.need_action) } th { (t.disputed) }
                        th { (t.untagged) } th { (t.signed_off) " of " (t.drafts) }
                    }
                }
            }
        }
    };
    markup.into_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_by_the_template_and_controls_are_shown() {
        let shown = html! { p { (line("<script>alert('x')</script> & \u{1b}")) } }.into_string();
        assert_eq!(
            shown,
            "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; ␛</p>"
        );
        let note = lines("a\r\nb<\u{7}").into_string();
        assert_eq!(note, "a<br>b&lt;␇");
    }
}
