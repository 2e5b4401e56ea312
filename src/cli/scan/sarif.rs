//! SARIF 2.1.0 for code-scanning tools: one run, one result per source.

use super::*;

/// The folder SARIF paths are relative to: the git work tree's top, else the working folder.
pub(super) fn source_root() -> std::path::PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("/"));
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .map_or(cwd.clone(), Path::to_owned)
}

/// A path as a URI reference: each segment percent-encoded (RFC 3986), `/` between them.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// SARIF 2.1.0, for code-scanning tools: one run, one result per source. A source that needs
/// action is a `fail` with a level; one that passes is a `pass` with level `none`. Paths are
/// relative to `%SRCROOT%` (the git top level, else the working folder), and each result has a
/// fingerprint of its text and surroundings so a scanner can follow it across edits.
/// `standards_uri` (the config's, `{rule}` standing for the rule's id) becomes each rule's
/// `helpUri`.
pub fn write_sarif(
    out: &mut impl Write,
    items: &[Judged],
    standards_uri: Option<&str>,
) -> io::Result<()> {
    use serde_json::json;
    let root = source_root();
    let root_abs = std::fs::canonicalize(&root).unwrap_or(root);
    let rules: Vec<serde_json::Value> = crate::detect::Rule::ALL
        .iter()
        .map(|r| {
            let id = r.as_str();
            let mut rule = json!({
                "id": id,
                "shortDescription": { "text": rule_summary(id) },
                "fullDescription": { "text": rule_description(id) },
                "help": {
                    "text": rule_help_text(id),
                    "markdown": format!("**{}**\n\n{}", rule_summary(id), rule_help_text(id)),
                },
            });
            if let Some(uri) = standards_uri {
                rule["helpUri"] = json!(uri.replace("{rule}", id));
            }
            rule
        })
        .collect();
    // Each draft's URI once: a draft can hold thousands of sources, and each would otherwise
    // ask the file system for its real path.
    let mut uris: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for j in items {
        let path = j.record.path.as_str();
        uris.entry(path).or_insert_with(|| {
            let relative = std::fs::canonicalize(path)
                .ok()
                .and_then(|p| p.strip_prefix(&root_abs).ok().map(Path::to_owned))
                .map_or_else(|| path.to_owned(), |p| p.to_string_lossy().into_owned());
            uri_path(&relative)
        });
    }
    // Results are written from typed records: building a `serde_json::Value` tree for each of
    // hundreds of thousands of sources spent most of the run allocating and freeing maps.
    let results: Vec<SarifResult> = items
        .iter()
        .map(|j| {
            let r = &j.record;
            let text = match &j.needs {
                Some(_) => format!("Anonymous source \"{}\" needs action: {}", r.text, j.why),
                None => format!("Anonymous source \"{}\": {}", r.text, r.status),
            };
            SarifResult {
                rule_id: &r.rule,
                kind: if j.needs.is_some() { "fail" } else { "pass" },
                level: level(j).unwrap_or("none"),
                message: SarifText { text },
                locations: [SarifLocation {
                    physical_location: SarifPhysical {
                        artifact_location: SarifArtifact {
                            uri: &uris[r.path.as_str()],
                            uri_base_id: "%SRCROOT%",
                        },
                        region: SarifRegion {
                            start_line: r.line,
                            start_column: r.column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        },
                    },
                }],
                partial_fingerprints: SarifFingerprints {
                    source: &j.fingerprint,
                },
                properties: SarifProperties {
                    status: r.status,
                    severity: r.severity,
                    note: &r.note,
                },
            }
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        uri_path(&root_abs.to_string_lossy()).trim_end_matches('/')
    );
    let log = SarifLog {
        schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: json!({ "driver": {
                "name": "whosaid",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } }),
            original_uri_base_ids: json!({ "%SRCROOT%": { "uri": root_uri } }),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[derive(Serialize)]
pub(super) struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifRun<'a> {
    tool: serde_json::Value,
    original_uri_base_ids: serde_json::Value,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifResult<'a> {
    rule_id: &'a str,
    kind: &'static str,
    level: &'static str,
    message: SarifText,
    locations: [SarifLocation<'a>; 1],
    partial_fingerprints: SarifFingerprints<'a>,
    properties: SarifProperties<'a>,
}

#[derive(Serialize)]
pub(super) struct SarifText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifLocation<'a> {
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifPhysical<'a> {
    artifact_location: SarifArtifact<'a>,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifArtifact<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
pub(super) struct SarifFingerprints<'a> {
    #[serde(rename = "whosaidSource/v1")]
    source: &'a str,
}

#[derive(Serialize)]
pub(super) struct SarifProperties<'a> {
    status: &'a str,
    severity: &'a str,
    note: &'a str,
}

pub(super) fn rule_summary(id: &str) -> &'static str {
    match id {
        "anon.descriptor" => "An unnamed source described by role",
        "anon.access" => "An unnamed source described by access (familiar with, briefed on)",
        "anon.clause" => "A source who spoke on condition of anonymity",
        "anon.according-to" => "An unnamed source introduced by according to or citing",
        "anon.impersonal" => "Impersonal attribution (sources said, it is understood)",
        "anon.spokesperson" => "An unnamed spokesperson",
        "anon.anaphora" => "A later mention of an anonymous source",
        "anon.hedge" => "A hedge with no source (reportedly)",
        "anon.passive" => {
            "An unnamed source as the agent of a passive report (confirmed by officials)"
        }
        "anon.pronoun" => "An unnamed source a later pronoun gives as the speaker (they said)",
        _ => "A phrase flagged by the newsroom's own list",
    }
}

pub(super) fn rule_description(id: &str) -> String {
    format!(
        "{}. whosaid flags it so an editor can judge it against the newsroom's standards: does an \
         editor know who it is, is the reason for anonymity given, is the source's access \
         described, is it corroborated.",
        rule_summary(id)
    )
}

pub(super) fn rule_help_text(_id: &str) -> &'static str {
    "Open the draft in whosaid (`whosaid +LINE draft.md`), judge the source's reliability (1-5), \
     answer the standards checklist (c) and write a note (e); the judgement is saved in the \
     draft's .sources.ron sidecar. `whosaid check` passes once no source needs action."
}
