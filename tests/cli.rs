//! The `whosaid` binary as scripts see it: output contracts and exit codes.
//! Every command runs with a config path inside a temporary folder, never the user's own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;
use whosaid::config::Config;
use whosaid::detect::Detector;
use whosaid::judgement::Status;
use whosaid::review::{Review, Stamp};

const DRAFT: &str = "Café crème owners were told on Monday, according to people familiar\nwith the matter. A senior official said nothing.\n";

struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `whosaid scan --format json FILE`: the raw output and the parsed value.
    fn scan_json(&self, file: &str) -> (Vec<u8>, serde_json::Value) {
        let out = self
            .cmd()
            .args(["scan", "--format", "json", file])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v = serde_json::from_slice(&out).unwrap();
        (out, v)
    }

    /// Runs whosaid expecting exit status 2, and returns its one-sentence error.
    fn error<I, A>(&self, args: I) -> String
    where
        I: IntoIterator<Item = A>,
        A: AsRef<std::ffi::OsStr>,
    {
        let out = self.cmd().args(args).assert().code(2).get_output().clone();
        stderr_is_one_sentence(&out.stderr)
    }

    /// Runs whosaid expecting success, and returns what it printed.
    fn stdout_of<I, A>(&self, args: I) -> Vec<u8>
    where
        I: IntoIterator<Item = A>,
        A: AsRef<std::ffi::OsStr>,
    {
        self.cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("whosaid").unwrap();
        // The user's own config is looked for in the scratch folder, and a newsroom's by walking up
        // from each draft, as for a user with neither.
        cmd.current_dir(self.dir.path())
            .env_remove("WHOSAID_CONFIG")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("USER", "tester");
        cmd
    }
}

fn stderr_is_one_sentence(out: &[u8]) -> String {
    let s = String::from_utf8_lossy(out).into_owned();
    assert_eq!(
        s.trim_end().lines().count(),
        1,
        "stderr should be one line: {s:?}"
    );
    assert!(s.starts_with("whosaid: "), "{s:?}");
    assert!(
        !s.contains("panicked") && !s.contains("Error {") && !s.contains("Os {"),
        "{s:?}"
    );
    s
}

#[test]
fn scan_line_format() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    s.cmd()
        .args(["scan", "draft.md"])
        .assert()
        .success()
        .stdout(
            "draft.md:1:53: low: untagged: people familiar\\nwith the matter [anon.access]\n\
             draft.md:2:18: medium: untagged: A senior official [anon.descriptor]\n",
        );
}

#[test]
fn scan_json_format_and_offsets() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    let (_, v) = s.scan_json("draft.md");
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    for obj in arr {
        for k in [
            "path",
            "start",
            "end",
            "line",
            "column",
            "end_line",
            "end_column",
            "text",
            "rule",
            "severity",
            "status",
            "note",
        ] {
            assert!(obj.get(k).is_some(), "missing {k} in {obj}");
        }
        let (start, end) = (
            obj["start"].as_u64().unwrap() as usize,
            obj["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            obj["text"].as_str().unwrap(),
            &DRAFT[start..end],
            "text is exactly the file's bytes"
        );
        assert_eq!(obj["path"], "draft.md");
        assert_eq!(obj["note"], "");
    }
    // "Café" has a two-byte character: the column counts characters, the offset bytes.
    assert_eq!(arr[0]["column"], 53);
    assert_eq!(arr[0]["start"], 54);
}

#[test]
fn scan_merges_each_files_sidecar() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    edit_and_save(&path, "ana", |review, stamp| {
        review.set_status(1, Status::SingleSource, stamp);
        review.set_note(1, "Line one\nline \u{1b}[31mtwo", stamp);
    });
    s.write("other.txt", "Nothing anonymous here.\n");

    s.cmd()
        .args(["scan", "draft.md", "other.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "draft.md:2:18: medium: single-source: A senior official [anon.descriptor]",
        ));
    let (out, v) = s.scan_json("draft.md");
    assert_eq!(v[1]["status"], "single-source");
    assert_eq!(v[1]["note"], "Line one\nline \u{1b}[31mtwo");
    assert!(
        !String::from_utf8_lossy(&out).contains('\u{1b}'),
        "JSON escapes control characters"
    );
}

#[test]
fn bad_drafts_exit_2_with_one_sentence_and_no_sidecar() {
    let s = Scratch::new();
    s.write("latin1.txt", b"Caf\xe9 sources said\n");
    s.write("binary.md", b"PK\x03\x04\x00\x00");
    std::fs::create_dir(s.path("folder.md")).unwrap();
    for (file, says) in [
        (
            "latin1.txt",
            "not valid UTF-8 (first bad byte at line 1, column 4)",
        ),
        ("binary.md", "binary file"),
        ("missing.md", "cannot read"),
        ("folder.md", "is a directory"),
    ] {
        // `scan` searches a folder for drafts; the review screen needs one file.
        let runs = if file == "folder.md" {
            vec![vec![file]]
        } else {
            vec![vec!["scan", file], vec![file]]
        };
        for args in runs {
            let err = s.error(&args);
            assert!(err.contains(says), "{args:?}: {err}");
        }
        assert!(!s.path(&format!("{file}.sources.ron")).exists());
    }
}

#[test]
fn broken_or_newer_sidecar_is_an_error_for_scan() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    s.write(
        "draft.md.sources.ron",
        "(\n    version: 1,\n    annotations: [ (id: 3) ],\n)\n",
    );
    let err = s.error(["scan", "draft.md"]);
    assert!(err.contains("draft.md.sources.ron:3:"), "{err}");

    s.write("draft.md.sources.ron", "(version: 7, annotations: [])\n");
    assert!(s.error(["scan", "draft.md"]).contains("version 7"));
}

#[test]
fn broken_config_names_path_line_and_column() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    let config = s.write("config.ron", "(\n  author: \"ed\",\n  flag: [\"x\"\n");
    for args in [vec!["scan", "draft.md"], vec!["config"], vec!["draft.md"]] {
        let out = s
            .cmd()
            .env("WHOSAID_CONFIG", &config)
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = stderr_is_one_sentence(&out.stderr);
        assert!(err.contains(&format!("{}:", config.display())), "{err}");
    }
}

#[test]
fn config_adds_and_suppresses_phrases_for_scan() {
    let s = Scratch::new();
    s.write(
        "draft.md",
        "A little bird told us. A senior official said nothing.\n",
    );
    let config = s.write(
        "config.ron",
        "(author: \"Desk\", flag: [\"a little bird\"], never_flag: [\"senior official\"])",
    );
    s.cmd()
        .env("WHOSAID_CONFIG", &config)
        .args(["scan", "draft.md"])
        .assert()
        .success()
        .stdout("draft.md:1:1: medium: untagged: A little bird [anon.custom]\n");
    s.cmd()
        .env("WHOSAID_CONFIG", &config)
        .arg("config")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "// config file: {}",
            config.display()
        )))
        .stdout(predicate::str::contains("author: Some(\"Desk\")"));
}

#[test]
fn config_without_a_file_prints_defaults_and_the_path() {
    let s = Scratch::new();
    s.cmd()
        .arg("config")
        .assert()
        .success()
        .stdout(predicate::str::contains("using defaults"))
        .stdout(predicate::str::contains("never_flag: []"));
}

#[test]
fn subcommand_names_win_but_a_path_opens_the_file() {
    let s = Scratch::new();
    // `whosaid scan` without files is a usage error from the scan subcommand.
    s.cmd()
        .arg("scan")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage: whosaid scan"));
    // `./scan` is a file; with no terminal attached, the review screen says it needs one.
    s.write("scan", DRAFT);
    let err = s.error(["./scan"]);
    assert!(
        err.contains("needs a terminal") && err.contains("whosaid scan ./scan"),
        "{err}"
    );
}

#[test]
fn help_and_version() {
    let s = Scratch::new();
    s.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: whosaid [OPTIONS] <FILE>"));
    s.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("whosaid "));
    s.cmd().assert().code(2);
}

#[test]
fn control_characters_in_file_names_are_escaped() {
    let s = Scratch::new();
    let name = "evil\u{1b}]0;pwned\u{7}.md";
    s.write(name, "Sources said so.\n");
    let out = s.stdout_of(["scan", name]);
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.starts_with("evil\\u{1b}]0;pwned\\u{7}.md:1:1: high: untagged: Sources"),
        "{text:?}"
    );
    let missing = "gone\u{1b}[2J.md";
    let err = s.error(["scan", missing]);
    assert!(!err.contains('\u{1b}'));
    assert_eq!(
        err.matches("No such file or directory").count(),
        1,
        "the reason is said once: {err}"
    );
}

#[test]
fn scan_reads_the_bundled_samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Scratch::new();
    let out = s
        .cmd()
        .current_dir(root)
        .args([
            "scan",
            "assets/samples/harbour-deal.md",
            "assets/samples/ministry-leak.txt",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().count() >= 15, "{text}");
    assert!(
        !text.contains("Elena Marsh")
            && !text.contains("Official figures")
            && !text.contains("source of"),
        "{text}"
    );
}

#[test]
fn readme_examples_parse() {
    let readme = include_str!("../README.md");
    let blocks: Vec<&str> = readme
        .split("```ron\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .collect();
    assert_eq!(blocks.len(), 2, "a sidecar and a config example");
    let file = whosaid::sidecar::parse(Path::new("README.md"), blocks[0]).unwrap();
    assert_eq!(file.annotations.len(), 1);
    let config = Config::parse(blocks[1]).unwrap();
    assert_eq!(config.author.as_deref(), Some("A. Editor"));
}

#[test]
fn many_files_are_reported_in_the_order_given_even_with_errors() {
    let s = Scratch::new();
    let mut args = vec!["scan".to_owned()];
    for i in (0..40).rev() {
        let name = format!("d{i:02}.md");
        s.write(&name, format!("Sources said story {i} was true.\n"));
        args.push(name);
    }
    args.insert(5, "missing.md".into());
    let out = s.cmd().args(&args).assert().code(2).get_output().clone();
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(':').next().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = args[1..]
        .iter()
        .filter(|a| *a != "missing.md")
        .cloned()
        .collect();
    assert_eq!(lines, expected);
    assert!(stderr_is_one_sentence(&out.stderr).contains("missing.md"));
}

/// Saves judgements on a draft through the library, as an editor's session would.
/// Opens a draft as the review screen would, lets `edit` change its judgements as `who`, and saves.
fn edit_and_save(path: &Path, who: &str, edit: impl FnOnce(&mut Review, &Stamp)) {
    let detector = Detector::new(&Config::default());
    let (mut review, _) = whosaid::review::open_draft(path, None, Some(&detector)).unwrap();
    let stamp = Stamp {
        author: who.into(),
        now: "2026-11-25T10:00:00Z".into(),
    };
    edit(&mut review, &stamp);
    review.save().unwrap();
}

fn judge(path: &Path, statuses: &[(usize, Status)]) {
    edit_and_save(path, "ed", |review, stamp| {
        for &(i, st) in statuses {
            if st == Status::Dismissed {
                review.toggle_dismissed(i, stamp);
            } else {
                review.set_status(i, st, stamp);
            }
        }
    });
}

#[test]
fn check_passes_when_every_source_is_judged_and_fails_while_any_is_not() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    s.cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .stdout(
            "draft.md:1:53: low: untagged: people familiar\\nwith the matter [anon.access]\n\
             draft.md:2:18: medium: untagged: A senior official [anon.descriptor]\n",
        )
        .stderr("whosaid: 2 source(s) fail the check\n");
    s.cmd()
        .args(["check", "--no-exit", "draft.md"])
        .assert()
        .success();
    judge(&path, &[(0, Status::Unverified), (1, Status::Dismissed)]);
    // Unverified and disputed need action by default (CHANGELOG.md); `--fail-on` replaces that.
    s.cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("low: unverified: people familiar"));
    s.cmd()
        .args(["check", "--fail-on", "", "draft.md"])
        .assert()
        .success()
        .stdout("");
    s.cmd()
        .args(["check", "--fail-on", "unverified,disputed", "draft.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("low: unverified: people familiar"));
    s.cmd()
        .args(["check", "--fail-on", "medium-severity", "draft.md"])
        .assert()
        .success();
}

#[test]
fn check_fails_on_notes_whose_text_left_the_draft() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(0, Status::Verified), (1, Status::Verified)]);
    let side = s.path("draft.md.sources.ron");
    std::fs::write(
        &side,
        std::fs::read_to_string(&side)
            .unwrap()
            .replacen("note: \"\"", "note: \"ask the desk\"", 2),
    )
    .unwrap();
    s.write(
        "draft.md",
        DRAFT.replace("A senior official", "Minister Ana Ruiz"),
    );
    s.cmd().args(["check", "draft.md"]).assert().code(1).stdout(
        predicate::str::is_match(
            "^draft.md: orphaned: \"A senior official\" \\[[0-9a-f]{12}\\] note: ask the desk\n$",
        )
        .unwrap(),
    );
}

#[test]
fn check_errors_exit_2_and_win_over_failures() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    s.write("broken.md", DRAFT);
    s.write("broken.md.sources.ron", "(version: 1, annotations: [oops])");
    let out = s
        .cmd()
        .args(["check", "draft.md", "broken.md"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("draft.md:2:18"),
        "failures are still listed"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.md.sources.ron:1:"));
    s.cmd()
        .args(["check", "--no-exit", "draft.md", "broken.md"])
        .assert()
        .code(2);
    assert!(
        s.error(["check", "--fail-on", "sketchy", "draft.md"])
            .contains("--fail-on does not know \"sketchy\"")
    );
}

/// A draft with one judged source whose note holds markup, and one untagged source.
fn report_scratch() -> Scratch {
    let s = Scratch::new();
    let text = "The <b>port</b> will close, said a person familiar with the talks. \"It's over,\" sources said. \
                The company declined to comment.\n";
    let path = s.write("draft.md", text);
    judge(&path, &[(0, Status::Corroborated)]);
    let side = s.path("draft.md.sources.ron");
    std::fs::write(
        &side,
        std::fs::read_to_string(&side).unwrap().replacen(
            "note: \"\"",
            "note: \"Desk knows <her> & trusts her\"",
            1,
        ),
    )
    .unwrap();

    s
}

#[test]
fn report_as_markdown_marks_the_phrase_and_escapes_the_draft() {
    let s = report_scratch();
    let md = s
        .cmd()
        .args(["report", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.starts_with("# Anonymous sourcing: draft.md\n"), "{md}");
    assert!(
        md.contains("| corroborated | 1 |") && md.contains("| untagged | 1 |"),
        "{md}"
    );
    // The phrase is marked in its sentence, so two sources in one sentence are told apart.
    assert!(
        md.contains(
            "> The \\<b\\>port\\</b\\> will close, said **a person familiar with the talks**."
        ),
        "{md}"
    );
    assert!(
        md.contains("**Not ready: 1 source(s) need action.**"),
        "{md}"
    );
    assert!(
        md.contains("- Checklist: nothing answered yet"),
        "only answered items: {md}"
    );
    assert!(
        md.contains("Note: Desk knows \\<her\\> & trusts her"),
        "{md}"
    );
    assert!(
        md.contains("Warning: anonymous direct quote") && md.contains("Warning: bare attribution"),
        "{md}"
    );
}

#[test]
fn report_as_json_lists_every_field_and_the_history() {
    let s = report_scratch();
    let (json, v) = {
        let out = s.stdout_of(["report", "--format", "json", "draft.md"]);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        (out, v)
    };
    assert!(!json.is_empty());
    assert_eq!(v["path"], "draft.md");
    assert_eq!(v["summary"]["sources"], 2);
    assert_eq!(v["summary"]["by_status"]["corroborated"], 1);
    let first = &v["sources"][0];
    for k in [
        "path",
        "start",
        "end",
        "line",
        "column",
        "text",
        "rule",
        "severity",
        "status",
        "note",
        "checklist",
        "history",
    ] {
        assert!(first.get(k).is_some(), "missing {k}");
    }
    assert_eq!(first["checklist"]["identity-known"], "unknown");
    assert!(
        first["history"][0].get("author").is_none(),
        "the creator is not recorded, so not claimed"
    );
    assert_eq!(
        first["history"][1]["what"],
        "reliability: untagged → corroborated"
    );
    assert_eq!(first["history"][1]["author"], "ed");
    assert_eq!(v["orphans"], serde_json::json!([]));
}

#[test]
fn report_as_html_is_escaped_and_self_contained() {
    let s = report_scratch();
    let html = s
        .cmd()
        .args(["report", "--format", "html", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.to_ascii_lowercase().starts_with("<!doctype html>") && html.ends_with("</html>\n")
    );
    assert!(
        !html.contains("<b>port") && html.contains("&lt;b&gt;port&lt;/b&gt;"),
        "the draft's markup is escaped"
    );
    assert!(html.contains("Desk knows &lt;her&gt; &amp; trusts her"));
    assert!(
        !html.contains("http") && !html.contains("<script") && !html.contains("<link"),
        "self-contained"
    );

    assert!(
        html.contains("<mark>a person familiar with the talks</mark>"),
        "{html}"
    );
    assert!(html.contains("class=\"bar\""), "a bar of statuses: {html}");
}

#[test]
fn report_redacts_notes_and_names_and_says_where_it_came_from() {
    let s = report_scratch();
    for format in ["markdown", "json", "html"] {
        let out =
            String::from_utf8(s.stdout_of(["report", "--redact", "--format", format, "draft.md"]))
                .unwrap();
        assert!(!out.contains("Desk knows"), "{format} leaks a note");
        assert!(
            !out.contains("by ed ") && !out.contains("\"ed\""),
            "{format} leaks a name: {out}"
        );
    }

    // Provenance: when (reproducibly, from SOURCE_DATE_EPOCH), which whosaid, which bytes.
    let out = s
        .cmd()
        .env("SOURCE_DATE_EPOCH", "1764590400")
        .args(["report", "--format", "json", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["provenance"]["generated_at"], "2025-12-01T12:00:00Z");
    assert_eq!(
        v["provenance"]["whosaid_version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(v["provenance"]["draft_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        v["verdict"],
        serde_json::json!({"ready": false, "need_action": 1, "disputed": 0})
    );
}

#[test]
fn report_lists_orphaned_notes_and_exits_2_on_errors() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(1, Status::Disputed)]);
    s.write("draft.md", DRAFT.replace("A senior official", "The mayor"));
    let out = s.stdout_of(["report", "--format", "json", "draft.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["orphans"][0]["text"], "A senior official");
    assert_eq!(v["orphans"][0]["status"], "disputed");
    assert_eq!(v["summary"]["orphans"], 1);
    assert!(s.error(["report", "missing.md"]).contains("missing.md"));
}

#[test]
fn folders_are_searched_and_stranded_sidecars_are_reported() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("desk/old")).unwrap();
    s.write("desk/a.md", "Sources said so.\n");
    s.write("desk/old/b.txt", "An unnamed official said no.\n");
    s.write("desk/drafts.tmp.md", "Insiders say yes.\n");
    s.write("desk/.gitignore", "*.tmp.md\n");
    s.write("desk/photo.jpg", "not text at all \0");
    s.write(
        "desk/gone.md.sources.ron",
        "(version: 1, annotations: [])\n",
    );
    let out = s
        .cmd()
        .args(["scan", "desk"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "desk/a.md:1:1: high: untagged: Sources [anon.impersonal]\n\
         desk/old/b.txt:1:1: medium: untagged: An unnamed official [anon.descriptor]\n"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("desk/gone.md.sources.ron: no draft beside this sidecar")
    );
    let out = s
        .cmd()
        .args(["check", "desk"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8_lossy(&out)
            .starts_with("desk/gone.md.sources.ron: no draft beside this sidecar")
    );
}

#[test]
fn standard_input_is_read_and_named() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(1, Status::Verified)]);
    // A pre-commit hook pipes the staged text and names the file, so its sidecar is merged.
    s.cmd()
        .args(["scan", "--stdin-filename", "draft.md", "-"])
        .write_stdin(DRAFT)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "draft.md:2:18: medium: verified: A senior official",
        ));
    s.cmd()
        .args(["check", "-"])
        .write_stdin("Sources said so.\n")
        .assert()
        .code(1)
        .stdout("<stdin>:1:1: high: untagged: Sources [anon.impersonal]\n");
    s.cmd()
        .args(["scan", "-"])
        .write_stdin(&b"\xff\xfe\x00"[..])
        .assert()
        .code(2);
}

#[test]
fn scan_as_sarif_and_github_annotations() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(1, Status::Verified)]);
    let out = s.stdout_of(["scan", "--format", "sarif", "draft.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "whosaid");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["fullDescription"]["text"].is_string(), "{rule}");
        assert!(rule["help"]["markdown"].is_string(), "{rule}");
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "anon.access");
    // What needs action is a failure with a level; what passes is a pass with none (SARIF §3.27.9).
    assert_eq!(
        (results[0]["kind"].as_str(), results[0]["level"].as_str()),
        (Some("fail"), Some("note"))
    );
    assert_eq!(
        (results[1]["kind"].as_str(), results[1]["level"].as_str()),
        (Some("pass"), Some("none"))
    );
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(1), Some(53))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(2), Some(16))
    );
    let print = results[0]["partialFingerprints"]["whosaidSource/v1"].clone();
    assert!(print.is_string());
    // A line added above moves every offset but not the fingerprint.
    s.write("draft.md", format!("A new first line.\n{DRAFT}"));
    let out = s.stdout_of(["scan", "--format", "sarif", "draft.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["partialFingerprints"]["whosaidSource/v1"],
        print
    );
    s.write("draft.md", DRAFT);

    // A path with a space and a comma is percent-encoded in SARIF and escaped for GitHub.
    s.write("a, b: c.md", "Sources said 100% of it.\n");
    let out = s.stdout_of(["scan", "--format", "sarif", "a, b: c.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a%2C%20b%3A%20c.md"
    );
    // GitHub gets only what needs action, most serious first; the verified source is not there.
    s.cmd()
        .args(["scan", "--format", "github", "draft.md", "a, b: c.md"])
        .env_remove("GITHUB_STEP_SUMMARY")
        .assert()
        .success()
        .stdout(
            "::warning file=a%2C b%3A c.md,line=1,col=1,endLine=1,endColumn=8,title=anon.impersonal (untagged)::Anonymous source \"Sources\" needs action: not judged yet\n\
             ::notice file=draft.md,line=1,col=53,endLine=2,endColumn=16,title=anon.access (untagged)::Anonymous source \"people familiar%0Awith the matter\" needs action: not judged yet\n",
        );
}

/// GitHub shows ten annotations of each level in a step and drops the rest without a word:
/// whosaid prints at most ten, says how many more, and writes them all to the step summary. A
/// disputed source is an error, not a notice.
#[test]
fn github_annotations_fit_and_the_summary_has_them_all() {
    let s = Scratch::new();
    let many: String = (0..14).map(|i| format!("Sources said {i}.\n\n")).collect();
    let path = s.write("draft.md", &many);
    judge(&path, &[(0, Status::Disputed)]);
    let summary = s.path("summary.md");
    let out = s
        .cmd()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["scan", "--format", "github", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("::error file=draft.md,line=1,"),
        "{out}"
    );
    assert!(lines[0].contains("judged disputed"), "{out}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::warning")).count(),
        10,
        "{out}"
    );
    assert_eq!(
        *lines.last().unwrap(),
        "::notice title=whosaid::3 more need action (GitHub shows 10 annotations of each kind); the step summary lists them all, as does `whosaid check`"
    );
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(
        table.starts_with("### whosaid: 14 source(s) need action"),
        "{table}"
    );
    assert_eq!(
        table
            .lines()
            .filter(|l| l.starts_with("| draft.md:"))
            .count(),
        14,
        "{table}"
    );
}

#[test]
fn shell_completions_and_man_page() {
    let s = Scratch::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        s.cmd()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("check").and(predicate::str::contains("report")));
    }
    s.cmd().args(["completions", "tcsh"]).assert().code(2);
    s.cmd().arg("man").assert().success().stdout(
        predicate::str::contains(".TH whosaid 1").and(predicate::str::contains("anonymous")),
    );
}

/// The schemas in docs/schemas describe exactly the keys the program writes.
#[test]
fn json_output_matches_the_documented_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas");
    let schema = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(name)).unwrap()).unwrap()
    };
    let keys = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    let strings = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };

    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    let (_, scanned) = s.scan_json("draft.md");
    let scan = schema("scan.schema.json");
    let source = &scan["$defs"]["source"];
    let written = keys(&scanned[0]);
    assert_eq!(
        written,
        keys(&source["properties"]),
        "every key written is documented, and no more"
    );
    assert!(strings(&source["required"]).is_subset(&written));
    let signals = &source["properties"]["signals"]["oneOf"][1];
    assert_eq!(keys(&scanned[0]["signals"]), keys(&signals["properties"]));

    let out = s.stdout_of(["report", "--format", "json", "draft.md"]);
    let reported: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let report = schema("report.schema.json");
    assert_eq!(keys(&reported), keys(&report["properties"]));
    assert_eq!(
        keys(&reported["summary"]),
        keys(&report["properties"]["summary"]["properties"])
    );
    let extra = keys(&report["properties"]["sources"]["items"]["properties"]);
    let mut expected = keys(&source["properties"]);
    expected.extend(extra);
    assert_eq!(keys(&reported["sources"][0]), expected);
}

#[test]
fn scan_json_says_where_each_note_is_anchored_and_check_fails_until_confirmed() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(0, Status::Verified), (1, Status::Unverified)]);
    // An edit inside the first quote, and the second source rewritten as a named person.
    s.write(
        "draft.md",
        DRAFT
            .replace(
                "people familiar\nwith the matter",
                "people familiar\nwith these matters",
            )
            .replace("A senior official", "Jane Ode, the harbour master,"),
    );
    let (_, v) = s.scan_json("draft.md");
    let anchors: Vec<(&str, &str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["anchor"].as_str().unwrap(),
                r["text"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        anchors,
        [
            ("moved", "people familiar\nwith these matters", "verified"),
            ("orphaned", "A senior official", "unverified"),
        ]
    );
    let out = s
        .cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("draft.md:1:53: moved: \"people familiar\\nwith these matters\""),
        "{out}"
    );
    assert!(
        out.contains("draft.md: orphaned: \"A senior official\""),
        "{out}"
    );
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

/// Two editors judge different sources of one draft on two branches; `git merge` with the merge
/// driver combines their sidecars, and a note both changed keeps both versions.
#[test]
fn git_merges_two_editors_sidecars_through_the_merge_driver() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("git is not installed; skipping");
        return;
    }
    let s = Scratch::new();
    let dir = s.dir.path();
    let bin = assert_cmd::cargo::cargo_bin("whosaid");
    let path = s.write("draft.md", DRAFT);
    std::fs::write(dir.join(".gitattributes"), "*.sources.ron merge=whosaid\n").unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(
        dir,
        &[
            "config",
            "merge.whosaid.driver",
            &format!("'{}' merge-driver %O %A %B", bin.display()),
        ],
    );
    judge(&path, &[(0, Status::Unverified)]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "first read"]);

    let note = |text: &str, source: usize, who: &str| {
        edit_and_save(&path, who, |review, stamp| {
            review.set_note(source, text, stamp);
            if source == 1 {
                review.set_status(1, Status::Corroborated, stamp);
            }
        });
    };
    git(dir, &["checkout", "-qb", "ben"]);
    note("Ben: two people at the port.", 0, "ben");
    note("", 1, "ben");
    git(dir, &["commit", "-qam", "ben's review"]);
    git(dir, &["checkout", "-q", "main"]);
    note("Ana: named in the desk log.", 0, "ana");
    git(dir, &["commit", "-qam", "ana's review"]);

    let merge = git(dir, &["merge", "-q", "ben", "-m", "merge"]);
    assert!(!merge.status.success(), "a true conflict stops the merge");
    let merged = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    assert!(
        !merged.contains("<<<<<<<"),
        "no text conflict markers:\n{merged}"
    );
    let (file, _) = whosaid::sidecar::load(&s.path("draft.md.sources.ron")).unwrap();
    assert_eq!(file.annotations.len(), 2, "ben's new judgement is kept");
    let first = &file.annotations[0];
    assert!(first.note.contains("Ana: named") && first.note.contains("Ben: two people"));
    assert!(first.conflict.as_deref().unwrap().contains("note"));
    assert_eq!(first.status, Status::Unverified);
    assert_eq!(file.annotations[1].status, Status::Corroborated);
    // check names the conflict until an editor resolves it.
    let out = s
        .cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains(": conflict: "));
}

#[test]
fn merge_driver_merges_cleanly_and_refuses_unreadable_input() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(0, Status::Unverified)]);
    let base = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    judge(&path, &[(1, Status::Verified)]);
    let theirs = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    s.write("O", &base);
    s.write("A", &base);
    s.write("B", &theirs);
    s.cmd()
        .args(["merge-driver", "O", "A", "B"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(s.path("A")).unwrap(), theirs);

    s.write("B", "(version: 2, annotations: [ (id: 1) ])");
    let err = s.error(["merge-driver", "O", "A", "B"]);
    assert!(err.contains("B:1:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.path("A")).unwrap(),
        theirs,
        "ours untouched"
    );
    // An empty ancestor is how git says both sides added the file.
    s.write("O", "");
    s.write("B", &base);
    s.cmd()
        .args(["merge-driver", "O", "A", "B"])
        .assert()
        .success();
}

#[test]
fn a_key_override_that_clashes_stops_every_command_naming_the_config_line() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    s.write(
        ".whosaid.ron",
        "(\n    keys: {\n        \"normal\": {\n            \"undo\": [\"x\"],\n        },\n    },\n)\n",
    );
    // The same error and exit status from the review screen and every command.
    for args in [
        &["draft.md"][..],
        &["config"],
        &["config", "draft.md"],
        &["scan", "draft.md"],
        &["check", "draft.md"],
        &["report", "draft.md"],
    ] {
        let err = s.error(args);
        assert!(
            err.contains(".whosaid.ron:4: keys.normal: \"x\" is bound to both"),
            "{args:?}: {err}"
        );
    }
    s.write(
        ".whosaid.ron",
        "(keys: {\"normal\": {\"undo\": [\"U\"]}}, theme: \"mono\")",
    );
    let out = String::from_utf8(s.stdout_of(["config"])).unwrap();
    assert!(
        out.contains("\"undo\": [") && out.contains("theme: \"mono\""),
        "{out}"
    );
}

#[test]
fn a_missing_whosaid_config_file_is_an_error_in_every_command() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    for args in [
        &["draft.md"][..],
        &["config"],
        &["scan", "draft.md"],
        &["check", "draft.md"],
        &["report", "draft.md"],
    ] {
        let out = s
            .cmd()
            .env("WHOSAID_CONFIG", s.path("missing.ron"))
            .args(args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = stderr_is_one_sentence(&out.stderr);
        assert!(err.contains("missing.ron"), "{args:?}: {err}");
    }
}

/// `whosaid config draft.md` run from the draft's own folder, with a bare file name, shows the
/// newsroom config found there (a bare name once looked for it nowhere).
#[test]
fn a_bare_file_name_gets_the_config_of_the_working_folder() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("desk")).unwrap();
    s.write("desk/draft.md", DRAFT);
    s.write(
        "desk/.whosaid.ron",
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"], author: \"Desk\")",
    );
    let out = s
        .cmd()
        .current_dir(s.path("desk"))
        .args(["config", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains(".whosaid.ron (newsroom config"), "{out}");
    assert!(out.contains("\"confirmed\""), "{out}");
}

/// `check --fail-on` names levels of the scale the draft's own folder defines, wherever the
/// command is run from.
#[test]
fn check_fail_on_takes_levels_from_the_drafts_own_newsroom_config() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("desk")).unwrap();
    let path = s.write("desk/draft.md", DRAFT);
    s.write(
        "desk/.whosaid.ron",
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"])",
    );
    edit_and_save(&path, "ed", |review, stamp| {
        review.set_status(0, Status::parse("doubtful").unwrap(), stamp);
        review.set_status(1, Status::parse("confirmed").unwrap(), stamp);
    });
    let out = s
        .cmd()
        .args(["check", "--fail-on", "doubtful", "desk/draft.md"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains(": doubtful: people familiar"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// A newsroom's `.whosaid.ron`, found by walking up from each draft, goes over the user's config;
/// `--config` takes its place; `whosaid config` names every file the settings came from.
#[test]
fn a_newsroom_config_is_found_by_walking_up_and_layered_over_the_users() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("desk/politics")).unwrap();
    s.write(
        "desk/.whosaid.ron",
        "(flag: [\"a little bird\"], hedges: true)",
    );
    s.write(
        "desk/politics/draft.md",
        "A little bird said so. Reportedly it rained.\n",
    );
    s.write(
        "elsewhere.md",
        "A little bird said so. Reportedly it rained.\n",
    );
    let user = s.write("user.ron", "(author: \"Desk\", flag: [\"the grapevine\"])");
    let rules = |out: Vec<u8>| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    // WHOSAID_CONFIG is unset here, so the walk-up applies.
    let scan = |args: &[&str]| {
        s.cmd()
            .env_remove("WHOSAID_CONFIG")
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let inside = rules(scan(&[
        "scan",
        "--format",
        "json",
        "desk/politics/draft.md",
    ]));
    assert_eq!(inside, ["anon.custom", "anon.hedge"]);
    let outside = rules(scan(&["scan", "--format", "json", "elsewhere.md"]));
    assert!(outside.is_empty(), "{outside:?}");
    // --config replaces the walk-up.
    let with = rules(scan(&[
        "scan",
        "--config",
        "user.ron",
        "--format",
        "json",
        "desk/politics/draft.md",
    ]));
    assert!(with.is_empty(), "{with:?}");
    // The user's own config sits below the newsroom's: both flags apply.
    std::fs::create_dir_all(s.path("whosaid")).unwrap();
    std::fs::copy(&user, s.path("whosaid/config.ron")).unwrap();
    s.write(
        "desk/politics/two.md",
        "The grapevine says yes. A little bird agrees.\n",
    );
    let both = rules(scan(&["scan", "--format", "json", "desk/politics/two.md"]));
    assert_eq!(both, ["anon.custom", "anon.custom"]);
    let out = String::from_utf8(scan(&["config", "desk/politics/two.md"])).unwrap();
    assert!(
        out.contains("(user config)") && out.contains(".whosaid.ron (newsroom config"),
        "{out}"
    );
    assert!(
        out.contains("author: Some(\"Desk\")") && out.contains("hedges: true"),
        "{out}"
    );
    // A --config file that is not there is an error, not the defaults.
    let err = s.error(["scan", "--config", "missing.ron", "elsewhere.md"]);
    assert!(err.contains("missing.ron"), "{err}");
}

#[test]
fn a_newsrooms_checklist_reaches_the_report_and_a_broken_one_is_an_error() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    s.write(
        ".whosaid.ron",
        "(checklist: [(\"legal-reviewed\", \"Legal has read it\"), (\"two-sources\", \"Two sources\")])",
    );
    let legal = whosaid::judgement::CheckItem::parse("legal-reviewed").unwrap();
    edit_and_save(&path, "ed", |review, stamp| {
        review.set_check(0, legal, whosaid::judgement::Answer::Yes, stamp);
    });
    let out = s
        .cmd()
        .env_remove("WHOSAID_CONFIG")
        .args(["report", "--format", "json", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["sources"][0]["checklist"],
        serde_json::json!({"legal-reviewed": "yes", "two-sources": "unknown"})
    );
    let md = s
        .cmd()
        .env_remove("WHOSAID_CONFIG")
        .args(["report", "draft.md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(md)
            .unwrap()
            .contains("Checklist: legal-reviewed: yes\n")
    );
    s.write(".whosaid.ron", "(checklist: [(\"Legal!\", \"x\")])");
    let mut cmd = s.cmd();
    cmd.env_remove("WHOSAID_CONFIG")
        .args(["report", "draft.md"]);
    let err = stderr_is_one_sentence(&cmd.assert().code(2).get_output().stderr.clone());
    assert!(
        err.contains(".whosaid.ron") && err.contains("\"Legal!\" is not a key"),
        "{err}"
    );
}

#[test]
fn a_newsrooms_scale_reaches_check_and_report() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    s.write(
        ".whosaid.ron",
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"])",
    );
    edit_and_save(&path, "ed", |review, stamp| {
        review.set_status(0, Status::parse("doubtful").unwrap(), stamp);
        review.set_status(1, Status::parse("confirmed").unwrap(), stamp);
    });
    let run = |args: &[&str]| {
        let mut cmd = s.cmd();
        cmd.env_remove("WHOSAID_CONFIG").args(args);
        cmd.assert().get_output().clone()
    };
    let out = run(&["check", "draft.md"]);
    assert_eq!(out.status.code(), Some(0), "every source has a level");
    let out = run(&["check", "--fail-on", "doubtful", "draft.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(": doubtful: people familiar"));
    let out = run(&["check", "--fail-on", "verified", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("untagged, confirmed, probable, doubtful"),
        "{err}"
    );
    let out = run(&["report", "--format", "json", "draft.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["by_status"],
        serde_json::json!({"untagged": 0, "confirmed": 1, "probable": 0, "doubtful": 1, "dismissed": 0})
    );
    let md = String::from_utf8(run(&["report", "draft.md"]).stdout).unwrap();
    let order: Vec<usize> = [
        "| untagged",
        "| confirmed",
        "| probable",
        "| doubtful",
        "| dismissed",
    ]
    .iter()
    .map(|row| {
        md.find(row)
            .unwrap_or_else(|| panic!("{row} missing:\n{md}"))
    })
    .collect();
    assert!(order.is_sorted(), "the table follows the scale: {order:?}");
    s.write(".whosaid.ron", "(scale: [\"dismissed\"])");
    // A broken config is the same error in every command, scan included.
    for args in [
        &["scan", "draft.md"][..],
        &["check", "draft.md"],
        &["report", "draft.md"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr_is_one_sentence(&out.stderr);
        assert!(
            err.contains("\"dismissed\" is not a level name"),
            "{args:?}: {err}"
        );
        assert!(err.contains(".whosaid.ron:1:"), "{args:?}: {err}");
    }
}

/// A side larger than any sidecar whosaid reads is refused unread (a non-zero exit, so git
/// reports a conflict), and OURS is left as it was.
#[test]
fn merge_driver_refuses_a_side_larger_than_any_command_reads() {
    let s = Scratch::new();
    let ours = "(version: 2, annotations: [])\n";
    s.write("O", "");
    s.write("A", ours);
    let theirs = std::fs::File::create(s.path("B")).unwrap();
    theirs.set_len(whosaid::sidecar::MAX_BYTES + 1).unwrap();
    drop(theirs);
    let err = s.error(["merge-driver", "O", "A", "B"]);
    assert!(err.contains("larger than 1 GiB"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.path("A")).unwrap(),
        ours,
        "ours untouched"
    );
}

/// Every command ends quietly when its reader stops reading (`| head -1`): nothing on stderr but
/// what it would print anyway, and the exit status it would otherwise have had.
#[test]
fn a_closed_pipe_ends_every_command_quietly_with_its_own_status() {
    let s = Scratch::new();
    let many: String = (0..2000).map(|i| format!("Sources said {i}. ")).collect();
    s.write("draft.md", &many);
    for (args, status, stderr) in [
        (&["config", "."][..], 0, ""),
        (&["scan", "draft.md"], 0, ""),
        (&["scan", "--format", "json", "draft.md"], 0, ""),
        (
            &["check", "draft.md"],
            1,
            "whosaid: 2000 source(s) fail the check\n",
        ),
        (&["report", "draft.md"], 0, ""),
        (&["--help"], 0, ""),
        (&["completions", "bash"], 0, ""),
        (&["man"], 0, ""),
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("whosaid"))
            .current_dir(s.dir.path())
            .env_remove("WHOSAID_CONFIG")
            .env("HOME", s.dir.path())
            .env("XDG_CONFIG_HOME", s.dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            stderr,
            "{args:?} said something on stderr"
        );
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
}

/// A status that is not a level of the scale in force — a misspelling typed into the sidecar, or
/// another newsroom's word — fails `check`, naming it and the scale; it is kept as written.
#[test]
fn a_status_outside_the_scale_fails_check_and_is_kept() {
    let s = Scratch::new();
    let path = s.write("draft.md", "Sources said the port would close.\n");
    judge(&path, &[(0, Status::Verified)]);
    let side = s.path("draft.md.sources.ron");
    let text = std::fs::read_to_string(&side)
        .unwrap()
        .replace("status: \"verified\"", "status: \"verifed\"");
    std::fs::write(&side, &text).unwrap();
    let out = s
        .cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("draft.md:1:1: out of scale: \"Sources\"")
            && stdout.contains(
                "\"verifed\" is not a level of the scale in force (verified, corroborated, single-source, unverified, disputed)"
            ),
        "{stdout}"
    );
    // Under a newsroom scale that has the word, it passes.
    s.write(".whosaid.ron", "(scale: [\"verifed\", \"doubtful\"])");
    s.cmd().args(["check", "draft.md"]).assert().success();
    assert_eq!(
        std::fs::read_to_string(&side).unwrap(),
        text,
        "kept as written"
    );
}

/// `whosaid recover` lists the unsaved work kept aside for a draft, merges one file into the
/// sidecar through the save's merge (the colleague's judgement stays), and removes a kept file
/// only once it is applied or discarded.
#[test]
fn recover_lists_applies_and_discards_kept_work() {
    use whosaid::sidecar::recovery::{self, RecoveryFile};
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(1, Status::Disputed)]);
    let mine = whosaid::sidecar::load(&s.path("draft.md.sources.ron"))
        .unwrap()
        .0;
    // A colleague's save replaced it since.
    std::fs::remove_file(s.path("draft.md.sources.ron")).unwrap();
    judge(&path, &[(0, Status::Verified)]);
    let data = s.path("data");
    let name = recovery::path_for(&path)
        .unwrap()
        .file_name()
        .unwrap()
        .to_owned();
    let kept = |n: u32| data.join(format!("{}.kept-{n}", name.to_string_lossy()));
    let file = RecoveryFile {
        version: recovery::VERSION,
        article: path.display().to_string(),
        written: "2026-11-25T10:00:00Z".into(),
        based_on: "missing".into(),
        sidecar: mine,
    };
    recovery::write(&kept(1), &file).unwrap();
    recovery::write(&kept(2), &file).unwrap();
    let run = |args: &[&str]| {
        s.cmd()
            .env("WHOSAID_DATA_DIR", &data)
            .args(args)
            .assert()
            .get_output()
            .clone()
    };
    let list = String::from_utf8(run(&["recover", "draft.md"]).stdout).unwrap();
    assert!(
        list.contains("\n2  ") && list.starts_with("1  ") && list.contains("1 annotation(s)"),
        "{list}"
    );
    let out = run(&["recover", "--apply", "1", "draft.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    assert!(
        text.contains("status: \"verified\"") && text.contains("status: \"disputed\""),
        "both judgements: {text}"
    );
    assert!(!kept(1).exists() && kept(2).exists());
    let out = run(&["recover", "--discard", "2", "draft.md"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!kept(2).exists());
    let out = run(&["recover", "--apply", "7", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no kept recovery file 7"));
}

/// A newsroom's config names what fails on its own scale; a name its scale does not have is a
/// config error in every command.
#[test]
fn a_newsrooms_fail_on_list_is_the_policy_for_its_drafts() {
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    s.write(
        ".whosaid.ron",
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"])",
    );
    judge(
        &path,
        &[
            (0, Status::parse("doubtful").unwrap()),
            (1, Status::parse("confirmed").unwrap()),
        ],
    );
    s.cmd().args(["check", "draft.md"]).assert().success();
    s.write(
        ".whosaid.ron",
        "(scale: [\"confirmed\", \"probable\", \"doubtful\"], fail_on: [\"doubtful\"])",
    );
    s.cmd()
        .args(["check", "draft.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(": doubtful: people familiar"));
    s.cmd()
        .args(["check", "--fail-on", "", "draft.md"])
        .assert()
        .success();
    s.write(
        ".whosaid.ron",
        "(scale: [\"confirmed\", \"doubtful\"],\n fail_on: [\"disputed\"])",
    );
    for args in [&["check", "draft.md"][..], &["scan", "draft.md"]] {
        let err = s.error(args);
        assert!(
            err.contains(".whosaid.ron:2:") && err.contains("\"disputed\""),
            "{err}"
        );
    }
}

/// A mistyped subcommand that is not a file is answered with the subcommand it was meant to be,
/// not "cannot read scna".
#[test]
fn a_mistyped_subcommand_is_named() {
    let s = Scratch::new();
    s.write("draft.md", DRAFT);
    let err = s.error(["scna", "draft.md"]);
    assert!(err.contains("did you mean `whosaid scan`?"), "{err}");
    let err = s.error(["chekc", "draft.md"]);
    assert!(err.contains("did you mean `whosaid check`?"), "{err}");
    // A file of that name is opened as a file; a word like no subcommand is a missing file.
    let err = s.error(["zzzzzz"]);
    assert!(err.contains("cannot read zzzzzz"), "{err}");
}

/// A line added at the top of the draft and one retag change only the retagged annotation's
/// lines in the sidecar: positions are hints, rewritten only when an annotation changes, so the
/// diff a desk reviews in git shows what an editor did (a real `git diff --numstat`).
#[test]
fn one_added_line_and_one_retag_change_only_that_annotation() {
    let s = Scratch::new();
    let text = "Sources said the port would close.\n\nA senior official said the fund had not filed.\n\nPeople familiar with the matter said talks would resume.\n";
    let path = s.write("draft.md", text);
    judge(
        &path,
        &[
            (0, Status::Verified),
            (1, Status::Unverified),
            (2, Status::Corroborated),
        ],
    );
    let before = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    s.write("before.ron", &before);
    s.write("draft.md", format!("Port talks stall\n\n{text}"));
    // The review opens on the edited draft; only the middle source is retagged.
    edit_and_save(&path, "ben", |review, stamp| {
        review.set_status(1, Status::Disputed, stamp);
    });
    let after = std::fs::read_to_string(s.path("draft.md.sources.ron")).unwrap();
    let parse = |t: &str| {
        whosaid::sidecar::parse(Path::new("x"), t)
            .unwrap()
            .annotations
    };
    let (b, a) = (parse(&before), parse(&after));
    let changed: Vec<&str> = a
        .iter()
        .filter(|x| !b.contains(x))
        .map(|x| x.anchor.quote.as_str())
        .collect();
    assert_eq!(changed, ["A senior official"]);
    let out = std::process::Command::new("git")
        .args([
            "diff",
            "--no-index",
            "--numstat",
            "before.ron",
            "draft.md.sources.ron",
        ])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    let stat = String::from_utf8(out.stdout).unwrap();
    let (added, removed): (usize, usize) = stat
        .split_whitespace()
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect::<Vec<usize>>()
        .chunks(2)
        .map(|c| (c[0], c[1]))
        .next()
        .unwrap();
    // The anchor's start and end, the status, who and when, and one history entry.
    assert!(added <= 10 && removed <= 5, "{stat}\n{after}");
}

/// `whosaid init` sets a repository up in one step and, run again, changes nothing; a real
/// `git merge` then combines two editors' sidecars through the driver it configured.
#[test]
fn init_twice_then_a_real_git_merge_goes_through_the_driver() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("git is not installed; skipping");
        return;
    }
    let s = Scratch::new();
    let dir = s.dir.path();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join(".gitignore"), "target/").unwrap();
    let init = || {
        s.cmd()
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .arg("init")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first = String::from_utf8(init()).unwrap();
    assert!(
        first.contains(".gitattributes: added") && first.contains(".whosaid.ron: written"),
        "{first}"
    );
    let files = || {
        [
            ".gitattributes",
            ".gitignore",
            ".whosaid.ron",
            ".git/config",
        ]
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
    };
    let after_first = files();
    assert_eq!(after_first[1], "target/\n.*.sources.lock\n.whosaid-*.tmp\n");
    let second = String::from_utf8(init()).unwrap();
    assert!(
        !second.contains("added") && !second.contains(": set\n"),
        "{second}"
    );
    assert_eq!(files(), after_first, "a second init changes nothing");

    // Two editors judge on two branches; the merge goes through whosaid's driver (on PATH).
    let bin = assert_cmd::cargo::cargo_bin("whosaid");
    let path_var = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let path = s.write("draft.md", DRAFT);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "draft"]);
    git(dir, &["checkout", "-qb", "ben"]);
    judge(&path, &[(1, Status::Verified)]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "ben"]);
    git(dir, &["checkout", "-q", "main"]);
    judge(&path, &[(0, Status::Disputed)]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "ana"]);
    let merge = std::process::Command::new("git")
        .args(["merge", "-q", "ben", "-m", "merge"])
        .current_dir(dir)
        .env("PATH", &path_var)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    let (file, _) = whosaid::sidecar::load(&s.path("draft.md.sources.ron")).unwrap();
    let statuses: Vec<Status> = file.annotations.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [Status::Disputed, Status::Verified],
        "both editors' judgements"
    );
}

/// Every man page has the sections a man page is expected to have, and the main page refers only
/// to pages that `man --dir` writes.
#[test]
fn man_pages_for_every_subcommand_with_exit_status_environment_files_and_examples() {
    let s = Scratch::new();
    let out = String::from_utf8(s.stdout_of(["man"])).unwrap();
    let dir = s.path("man1");
    s.cmd().args(["man", "--dir"]).arg(&dir).assert().success();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"whosaid-scan.1".to_owned()) && names.contains(&"whosaid.1".to_owned())
    );
    assert_eq!(std::fs::read_to_string(dir.join("whosaid.1")).unwrap(), out);
    for name in &names {
        let page = std::fs::read_to_string(dir.join(name)).unwrap();
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            assert!(
                page.contains(&format!(".SH \"{section}\"")),
                "{name} lacks {section}"
            );
        }
    }
    // Every page the main one names is there.
    let reference = regex::Regex::new(r"whosaid\\-([a-z\\-]+)\(1\)").unwrap();
    let referenced: Vec<String> = reference
        .captures_iter(&out)
        .map(|c| c[1].replace("\\-", "-"))
        .collect();
    assert!(referenced.len() >= 8, "{referenced:?}");
    for sub in referenced {
        assert!(
            names.contains(&format!("whosaid-{sub}.1")),
            "whosaid-{sub}(1) is referenced"
        );
    }
}

/// `report --format csv`: one row per source, a cell that a spreadsheet would run as a formula
/// quoted; `report --format w3c`: Web Annotation JSON-LD whose selectors find the text again,
/// the position counted in code points.
#[test]
fn report_exports_csv_and_w3c_web_annotations() {
    let s = Scratch::new();
    let text = "Café — “Sources said” the port would close.\n\nA senior official said no.\n";
    let path = s.write("draft.md", text);
    edit_and_save(&path, "=ed", |review, stamp| {
        review.set_status(0, Status::Verified, stamp);
        review.set_note(0, "=HYPERLINK(\"http://x\",\"click\")", stamp);
    });
    let csv = String::from_utf8(s.stdout_of(["report", "--format", "csv", "draft.md"])).unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next().unwrap(),
        "path,line,column,text,class,rule,severity,status,note,updated,author"
    );
    let first = rows.next().unwrap();
    assert!(
        first.starts_with("draft.md,1,9,Sources,anonymous,anon.impersonal,high,verified,"),
        "{first}"
    );
    assert!(
        first.contains("\"'=HYPERLINK(") && first.ends_with(",'=ed"),
        "{first}"
    );
    assert_eq!(rows.count(), 1);

    let out = s.stdout_of(["report", "--format", "w3c", "draft.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let a = &items[0];
    assert_eq!(
        (a["type"].as_str(), a["motivation"].as_str()),
        (Some("Annotation"), Some("assessing"))
    );
    assert_eq!(a["body"][0]["value"], "verified");
    assert_eq!(a["body"][1]["purpose"], "commenting");
    assert!(
        a["target"]["source"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );
    let quote = &a["target"]["selector"][0];
    assert_eq!(quote["type"], "TextQuoteSelector");
    assert_eq!(quote["exact"], "Sources");
    assert_eq!(quote["prefix"], "Café — “");
    let position = &a["target"]["selector"][1];
    let (start, end) = (
        position["start"].as_u64().unwrap() as usize,
        position["end"].as_u64().unwrap() as usize,
    );
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[start..end].iter().collect::<String>(), "Sources");
    let second = &items[1]["target"]["selector"][1];
    let (start, end) = (
        second["start"].as_u64().unwrap() as usize,
        second["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[start..end].iter().collect::<String>(),
        "A senior official"
    );
}

/// The HTML report parsed as HTML: one headline with its verdict, the provenance, a bar of the
/// statuses, each source in its own section with its phrase marked in its sentence, nothing
/// from the draft turned into markup, and nothing loaded from elsewhere.
#[test]
fn the_html_report_has_the_structure_a_desk_reads() {
    use scraper::{Html, Selector};
    let s = Scratch::new();
    let text = "The <script>alert(1)</script> port will close, said a person familiar with the talks. Sources said so.\n";
    let path = s.write("draft.md", text);
    judge(&path, &[(0, Status::Disputed)]);
    let out = String::from_utf8(s.stdout_of(["report", "--format", "html", "draft.md"])).unwrap();
    let doc = Html::parse_document(&out);
    let all = |css: &str| -> Vec<String> {
        doc.select(&Selector::parse(css).unwrap())
            .map(|e| e.text().collect::<String>())
            .collect()
    };
    assert_eq!(all("h1"), ["Anonymous sourcing: draft.md"]);
    assert_eq!(
        all("p.headline.notready"),
        ["Not ready: 2 source(s) need action, 1 of them disputed."]
    );
    assert!(all("p.small")[0].starts_with("Generated "));
    assert_eq!(
        doc.select(&Selector::parse("div.bar span").unwrap())
            .count(),
        2
    );
    assert_eq!(
        doc.select(&Selector::parse("section.source").unwrap())
            .count(),
        2
    );
    assert_eq!(all("section.balance h2"), ["Sourcing balance"]);
    assert_eq!(
        all("section blockquote mark"),
        ["a person familiar with the talks", "Sources"]
    );
    assert!(
        all("section blockquote")[0].contains("<script>alert(1)</script> port"),
        "shown as text"
    );
    for css in ["script", "link", "img", "iframe"] {
        assert_eq!(
            doc.select(&Selector::parse(css).unwrap()).count(),
            0,
            "no {css}"
        );
    }
}

/// `report DIR` rolls many drafts up into one table with totals, in Markdown, HTML and JSON.
#[test]
fn report_rolls_up_a_folder_of_drafts() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("desk")).unwrap();
    let a = s.write("desk/a.md", "Sources said the port would close.\n");
    s.write("desk/b.md", DRAFT);
    judge(&a, &[(0, Status::Verified)]);
    let md = String::from_utf8(s.stdout_of(["report", "desk"])).unwrap();
    assert!(md.starts_with("# Anonymous sourcing: 2 drafts\n"), "{md}");
    assert!(
        md.contains("**Not ready: 1 of 2 drafts; 2 source(s) need action, 0 disputed.**"),
        "{md}"
    );
    assert!(md.contains("| desk/a.md | 1 | 0 | 0 | 0 | no |"), "{md}");
    assert!(md.contains("| desk/b.md | 2 | 2 | 0 | 2 | no |"), "{md}");
    assert!(
        md.contains("| **total** | 3 | 2 | 0 | 2 | 0 of 2 |"),
        "{md}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&s.stdout_of(["report", "--format", "json", "desk"])).unwrap();
    assert_eq!(v["totals"]["drafts"], 2);
    assert_eq!(v["totals"]["ready"], 1);
    assert_eq!(v["drafts"][0]["path"], "desk/a.md");
    assert!(v["drafts"][1]["sources"].is_array());
    let html = String::from_utf8(s.stdout_of(["report", "--format", "html", "desk"])).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let rows = doc.select(&scraper::Selector::parse("tr").unwrap()).count();
    assert_eq!(rows, 4, "header, two drafts, totals");
    let err = s.error(["report", "--format", "csv", "desk"]);
    assert!(err.contains("one draft at a time"), "{err}");
}

/// SARIF output is valid against the official SARIF 2.1.0 schema (tests/sarif, with its notice),
/// checked offline: sources that need action and ones that pass, with awkward paths.
#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The schema's own `pattern` for a `language` is not a valid regular expression (the SARIF
    // TC's errata correct it); it is corrected here, in memory, so the schema compiles at all.
    fn fix(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("pattern").and_then(|p| p.as_str())
                    == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
                {
                    m.insert("pattern".into(), "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into());
                }
                m.values_mut().for_each(fix);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(fix),
            _ => {}
        }
    }
    let mut schema = schema;
    fix(&mut schema);
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let s = Scratch::new();
    let path = s.write("draft.md", DRAFT);
    judge(&path, &[(1, Status::Verified)]);
    s.write(
        "a, b: c%.md",
        "Sources said so.\n\nUnnamed officials said no.\n",
    );
    // The newsroom's standards page becomes each rule's help link.
    s.write(
        ".whosaid.ron",
        "(standards_uri: \"https://desk.example/standards/anonymous#{rule}\")",
    );
    let out = s.stdout_of(["scan", "--format", "sarif", "draft.md", "a, b: c%.md"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for rule in v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["helpUri"],
            format!("https://desk.example/standards/anonymous#{id}"),
        );
    }
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 4);
    // The validator is not vacuous: a result with a level outside the schema's list fails.
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("severe");
    assert!(!validator.is_valid(&bad));
}

/// A help link that is not an absolute URI is the config's error, named with its line, before
/// any SARIF is written.
#[test]
fn a_relative_standards_uri_is_refused_with_its_line() {
    let s = Scratch::new();
    s.write("draft.md", "Sources said so.\n");
    s.write(
        ".whosaid.ron",
        "(\n    standards_uri: \"standards.html\",\n)\n",
    );
    let err = s.error(["scan", "--format", "sarif", "draft.md"]);
    assert!(err.contains(".whosaid.ron:2"), "{err}");
    assert!(
        err.contains("standards_uri must be an absolute URI"),
        "{err}"
    );
}

/// Every subcommand's `--help` ends with examples, and the shell completion offers `--fail-on`'s
/// built-in names rather than file names.
#[test]
fn help_has_examples_and_fail_on_completes_its_values() {
    let s = Scratch::new();
    for sub in [
        "scan",
        "check",
        "report",
        "merge-driver",
        "init",
        "recover",
        "config",
        "completions",
        "man",
    ] {
        let help = String::from_utf8(s.stdout_of([sub, "--help"])).unwrap();
        assert!(
            help.contains("\nExamples:\n  "),
            "{sub} --help has no examples:\n{help}"
        );
    }
    let bash = String::from_utf8(s.stdout_of(["completions", "bash"])).unwrap();
    let at = bash.find("--fail-on)").expect("a case for --fail-on");
    let case = &bash[at..at + 400];
    assert!(
        case.contains("unexplained-dismissal") && case.contains("high-severity"),
        "{case}"
    );
}

/// `scan --all` lists every attribution with its class; the default lists only the sources to
/// review; SARIF and GitHub refuse it; the report counts the balance and lists each name once.
#[test]
fn scan_all_classes_every_attribution_and_the_report_counts_the_balance() {
    let s = Scratch::new();
    s.write(
        "story.txt",
        "Port talks stall\n\nThe deal is off, a senior official said. Harbour chief Ana Ruiz said \
         talks would resume. The ministry said it was not told. Ruiz added that the port was \
         open. The Daily Ledger newspaper reported the delay first.\n",
    );
    let plain = String::from_utf8(s.stdout_of(["scan", "story.txt"])).unwrap();
    assert_eq!(plain.lines().count(), 1, "{plain}");
    let all = String::from_utf8(s.stdout_of(["scan", "--all", "story.txt"])).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(
        lines,
        [
            "story.txt:3:18: medium: untagged: a senior official [anon.descriptor]",
            "story.txt:3:42: none: named: Harbour chief Ana Ruiz [attr.named]",
            "story.txt:3:90: none: institutional: The ministry [attr.institutional]",
            "story.txt:3:125: none: named: Ruiz [attr.named]",
            "story.txt:3:160: none: outlet: The Daily Ledger newspaper [attr.outlet]",
        ],
        "{all}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&s.stdout_of(["scan", "--all", "--format", "json", "story.txt"]))
            .unwrap();
    let classes: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["class"].as_str().unwrap())
        .collect();
    assert_eq!(
        classes,
        ["anonymous", "named", "institutional", "named", "outlet"]
    );
    for format in ["sarif", "github"] {
        let err = s.error(["scan", "--all", "--format", format, "story.txt"]);
        assert!(
            err.contains("--all works with --format line or json"),
            "{err}"
        );
    }
    // `check` judges only the source under review.
    s.cmd()
        .args(["check", "story.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a senior official"))
        .stdout(predicate::str::contains("Ruiz").not());

    let report: serde_json::Value =
        serde_json::from_slice(&s.stdout_of(["report", "--format", "json", "story.txt"])).unwrap();
    let balance = &report["summary"]["balance"];
    assert_eq!(balance["mentions"]["anonymous"], 1);
    assert_eq!(balance["mentions"]["named"], 2);
    assert_eq!(balance["mentions"]["institutional"], 1);
    assert_eq!(balance["mentions"]["outlet"], 1);
    assert_eq!(balance["anonymous_share"].as_f64(), Some(1.0 / 3.0));
    assert_eq!(
        balance["named"],
        serde_json::json!([{ "name": "Ana Ruiz", "mentions": 2 }])
    );
    let markdown = String::from_utf8(s.stdout_of(["report", "story.txt"])).unwrap();
    assert!(markdown.contains("## Sourcing balance"), "{markdown}");
    assert!(
        markdown.contains("Of 3 mentions of people, 1 (33%) are anonymous."),
        "{markdown}"
    );
    assert!(
        markdown.contains("Named sources: Ana Ruiz (2)."),
        "{markdown}"
    );
    let html = String::from_utf8(s.stdout_of(["report", "--format", "html", "story.txt"])).unwrap();
    assert!(html.contains("Sourcing balance") && html.contains("Ana Ruiz (2)"));
}

/// `--columns bytes` counts what vim's errorformat `%c` counts; characters stay the default.
#[test]
fn scan_columns_count_characters_or_bytes() {
    let s = Scratch::new();
    s.write("d.md", "\u{201c}No,\u{201d} an unnamed official said.\n");
    let chars = String::from_utf8(s.stdout_of(["scan", "d.md"])).unwrap();
    assert!(chars.starts_with("d.md:1:7: "), "{chars}");
    let bytes = String::from_utf8(s.stdout_of(["scan", "--columns", "bytes", "d.md"])).unwrap();
    assert!(bytes.starts_with("d.md:1:11: "), "{bytes}");
}
