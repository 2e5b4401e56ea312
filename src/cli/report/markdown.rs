//! The report as Markdown, for one draft and rolled up over many.

use super::*;
use std::fmt::Write;

/// Text from a draft or a note with its line breaks kept as `\n` and nothing else a terminal would
/// act on: the report is often read in one, but a line break in a note is the editor's, not a
/// control character to show as `␊`.
pub(super) fn keep_lines(s: &str) -> String {
    crate::sanitize::for_terminal_lines(&s.replace("\r\n", "\n"))
}

/// Markdown text on one line (a hard-wrapped quote's line breaks are spaces), escaped so a quote
/// from the draft cannot turn into markup or a link.
pub(crate) fn md(s: &str) -> String {
    md_lines(s).replace('\n', " ")
}

/// Markdown text, escaped, keeping its line breaks for the caller to lay out.
pub(super) fn md_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in keep_lines(s).chars() {
        if "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The answered questions of the checklist, in the order an editor works through them.
pub(in crate::cli) fn checklist_line(r: &Report, s: &SourceReport) -> String {
    let answered: Vec<String> = r
        .checklist_keys
        .iter()
        .filter_map(|key| {
            let answer = s.checklist.get(key).unwrap_or("unknown");
            (answer != "unknown").then(|| format!("{key}: {answer}"))
        })
        .collect();
    if answered.is_empty() {
        "nothing answered yet".to_owned()
    } else {
        answered.join(", ")
    }
}

/// The headline: ready, or how many sources need action.
pub(in crate::cli) fn headline(r: &Report) -> String {
    let v = &r.verdict;
    if v.ready {
        "Ready: no anonymous source needs action.".to_owned()
    } else if v.disputed > 0 {
        format!(
            "Not ready: {} source(s) need action, {} of them disputed.",
            v.need_action, v.disputed
        )
    } else {
        format!("Not ready: {} source(s) need action.", v.need_action)
    }
}

pub(in crate::cli) fn provenance_line(r: &Report) -> String {
    let p = &r.provenance;
    format!(
        "Generated {} by whosaid {} from the draft with SHA-256 {}.",
        p.generated_at, p.whosaid_version, p.draft_sha256
    )
}

pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Anonymous sourcing: {}\n", md(&r.path));
    let _ = writeln!(o, "**{}**\n", headline(r));
    let _ = writeln!(o, "{}\n", md(&provenance_line(r)));
    let _ = writeln!(
        o,
        "{} sources; {} notes whose text has left the draft.\n",
        r.summary.sources, r.summary.orphans
    );
    let _ = writeln!(o, "{}\n", md(&sign_off_line(r)));
    let _ = writeln!(o, "| status | sources |\n|---|---|");
    for (k, v) in r.statuses() {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let _ = writeln!(o, "\n| severity | sources |\n|---|---|");
    for (k, v) in r.severities() {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let balance = &r.summary.balance;
    let _ = writeln!(o, "\n## Sourcing balance\n");
    let _ = writeln!(o, "| attributed to | mentions |\n|---|---|");
    for (k, v) in balance.rows() {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let _ = writeln!(o, "\n{}", balance.share_line());
    if !balance.named.is_empty() {
        let names: Vec<String> = balance
            .named
            .iter()
            .map(|n| format!("{} ({})", md(&n.name), n.mentions))
            .collect();
        let _ = writeln!(o, "\nNamed sources: {}.", names.join(", "));
    }
    for (n, s) in r.sources.iter().enumerate() {
        let rec = &s.record;
        let _ = writeln!(
            o,
            "\n## {}. {} (line {}, {} severity)\n",
            n + 1,
            md(&rec.text),
            rec.line,
            rec.severity
        );
        let [before, phrase, after] = s.sentence.parts();
        let _ = writeln!(o, "> {}**{}**{}\n", md(before), md(phrase), md(after));
        let _ = writeln!(o, "- Status: **{}** · rule `{}`", rec.status, rec.rule);
        let _ = writeln!(o, "- Checklist: {}", checklist_line(r, s));
        for w in &s.warnings {
            let _ = writeln!(o, "- Warning: {w}");
        }
        if !rec.note.is_empty() {
            let _ = writeln!(o, "- Note: {}", md_lines(&rec.note).replace('\n', " / "));
        }
        for e in &s.history {
            let _ = writeln!(o, "- {}", e.describe(md));
        }
    }
    if !r.orphans.is_empty() {
        let _ = writeln!(o, "\n## Notes whose text has left the draft\n");
        for orphan in &r.orphans {
            let note = if orphan.note.is_empty() {
                String::new()
            } else {
                format!(": {}", md_lines(&orphan.note).replace('\n', " / "))
            };
            let _ = writeln!(o, "- \"{}\" ({}){note}", md(&orphan.text), orphan.status);
        }
    }
    o
}

pub(in crate::cli) fn sign_off_line(r: &Report) -> String {
    match &r.sign_off {
        Some(s) => format!(
            "Sourcing signed off by {} at {} ({} sources, {} untagged then){}.",
            s.who,
            s.when,
            s.sources,
            s.untagged,
            if r.sign_off_stale {
                "; judgements have changed since"
            } else {
                ""
            }
        ),
        None => "Sourcing not signed off.".to_owned(),
    }
}

pub(in crate::cli) fn untagged(r: &Report) -> usize {
    r.summary.by_status.get("untagged").copied().unwrap_or(0)
}

pub(in crate::cli) fn signed_off(r: &Report) -> &'static str {
    match (&r.sign_off, r.sign_off_stale) {
        (None, _) => "no",
        (Some(_), true) => "yes, changed since",
        (Some(_), false) => "yes",
    }
}

pub(super) fn rollup_markdown(r: &Rollup) -> String {
    let t = &r.totals;
    let mut o = String::new();
    let _ = writeln!(o, "# Anonymous sourcing: {} drafts\n", t.drafts);
    let _ = writeln!(o, "**{}**\n", r.headline());
    let _ = writeln!(
        o,
        "Generated {} by whosaid {}.\n",
        md(&r.generated_at),
        r.whosaid_version
    );
    let _ = writeln!(
        o,
        "| draft | sources | need action | disputed | untagged | signed off |\n|---|---|---|---|---|---|"
    );
    for d in &r.drafts {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&d.path).replace('|', "\\|"),
            d.summary.sources,
            d.verdict.need_action,
            d.verdict.disputed,
            untagged(d),
            signed_off(d)
        );
    }
    let _ = writeln!(
        o,
        "| **total** | {} | {} | {} | {} | {} of {} |",
        t.sources, t.need_action, t.disputed, t.untagged, t.signed_off, t.drafts
    );
    let _ = writeln!(
        o,
        "\n`whosaid report DRAFT` gives one draft's sources in full."
    );
    o
}
