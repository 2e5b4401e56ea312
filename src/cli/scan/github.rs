//! GitHub Actions workflow commands: what needs action, most serious first, and the step summary.

use super::*;

/// At most this many annotations of each level: GitHub shows ten per level in a step and drops
/// the rest without a word.
pub const GITHUB_PER_LEVEL: usize = 10;

/// GitHub Actions workflow commands (`::warning file=…::…`): what needs action, most serious
/// first, at most [`GITHUB_PER_LEVEL`] of each level, then one line saying how many more; a
/// sidecar whose draft is gone is a warning too. With `summary`, the full list is appended there
/// as a Markdown table (GitHub's `$GITHUB_STEP_SUMMARY`).
pub fn write_github(
    out: &mut impl Write,
    items: &[Judged],
    stranded: &[std::path::PathBuf],
    summary: Option<&mut dyn Write>,
) -> io::Result<()> {
    let rank = |l: &str| match l {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let severity_rank = |s: &str| match s {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    };
    let mut needing: Vec<(&'static str, &Judged)> = items
        .iter()
        .filter_map(|j| level(j).map(|l| (if l == "note" { "notice" } else { l }, j)))
        .collect();
    needing.sort_by_key(|(l, j)| {
        (
            rank(l),
            severity_rank(j.record.severity),
            j.record.path.clone(),
            j.record.line,
            j.record.column,
        )
    });
    let mut shown = [0usize; 3];
    let mut more = 0;
    for sidecar in stranded {
        if shown[1] < GITHUB_PER_LEVEL {
            shown[1] += 1;
            writeln!(
                out,
                "::warning file={},title=stranded sidecar::{}",
                github_property(&sidecar.to_string_lossy()),
                github_message(
                    "no draft beside this sidecar (renamed or deleted?); its notes are stranded"
                )
            )?;
        } else {
            more += 1;
        }
    }
    for (l, j) in &needing {
        let slot = &mut shown[rank(l)];
        if *slot >= GITHUB_PER_LEVEL {
            more += 1;
            continue;
        }
        *slot += 1;
        let r = &j.record;
        writeln!(
            out,
            "::{l} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            github_property(&r.path),
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            github_property(&format!("{} ({})", r.rule, r.status)),
            github_message(&format!(
                "Anonymous source \"{}\" needs action: {}",
                r.text, j.why
            )),
        )?;
    }
    if more > 0 {
        writeln!(
            out,
            "::notice title=whosaid::{}",
            github_message(&format!(
                "{more} more need action (GitHub shows {GITHUB_PER_LEVEL} annotations of each kind); \
                 the step summary lists them all, as does `whosaid check`"
            ))
        )?;
    }
    if let Some(summary) = summary {
        write_summary(summary, &needing, stranded)?;
    }
    Ok(())
}

/// The full list for GitHub's step summary, as Markdown.
pub(super) fn write_summary(
    out: &mut dyn Write,
    needing: &[(&'static str, &Judged)],
    stranded: &[std::path::PathBuf],
) -> io::Result<()> {
    let cell = |s: &str| escape_line(s).replace('|', "\\|");
    writeln!(
        out,
        "### whosaid: {} source(s) need action\n",
        needing.len() + stranded.len()
    )?;
    if needing.is_empty() && stranded.is_empty() {
        return writeln!(out, "Every anonymous source is judged.\n");
    }
    writeln!(out, "| where | source | status | why |\n|---|---|---|---|")?;
    for s in stranded {
        writeln!(
            out,
            "| {} | | | no draft beside this sidecar |",
            cell(&s.to_string_lossy())
        )?;
    }
    for (_, j) in needing {
        let r = &j.record;
        writeln!(
            out,
            "| {}:{}:{} | {} | {} | {} |",
            cell(&r.path),
            r.line,
            r.column,
            cell(&r.text),
            r.status,
            cell(&j.why)
        )?;
    }
    writeln!(out)
}

/// Workflow-command escaping: a message may not hold raw line breaks or percent signs.
pub(super) fn github_message(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    escape_line(&s).into_owned()
}

/// Properties also may not hold the separators `:` and `,`.
pub(super) fn github_property(s: &str) -> String {
    github_message(s).replace(':', "%3A").replace(',', "%2C")
}
