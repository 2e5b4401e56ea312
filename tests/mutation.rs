//! Structure-aware mutation of real files, one test per loader: sidecars, drafts, configs and the
//! merge driver's three inputs. Each mutates a file whosaid wrote or reads — its numbers, its
//! strings, its nesting, its length — and feeds the result through everything that reads it.
//! Whatever the bytes, nothing panics, a judgement that was read is never dropped, and a file that
//! cannot be read is never overwritten.
//!
//! The generator is seeded, so a failure names the case that reproduces it
//! (`WHOSAID_MUTATION_SEED=N`), and `WHOSAID_MUTATION_CASES` runs more.

use std::collections::BTreeSet;
use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use whosaid::cli::{check, report, scan};
use whosaid::config::{self, Config, Origin};
use whosaid::detect::Detector;
use whosaid::judgement::{Status, Vocabulary};
use whosaid::review::verdict::Policy;
use whosaid::review::{Stamp, open_draft};
use whosaid::sidecar::{self, merge};
use whosaid::tui::{Action, App, draw};

/// The draft that tests/sidecars/golden.ron was written for.
const DRAFT: &str = "\
Port talks stall

The sale could be delayed, according to people familiar with the matter.
An unnamed US official said the fund had not filed. Sources said the union
was not consulted. The harbour master was seen leaving early.
";

fn golden() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sidecars/golden.ron"))
        .unwrap()
}

fn cases() -> u64 {
    std::env::var("WHOSAID_MUTATION_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1500)
}

/// The seeds to run: every case, or the one named to reproduce a failure.
fn seeds() -> Vec<u64> {
    match std::env::var("WHOSAID_MUTATION_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        Some(seed) => vec![seed],
        None => (0..cases()).collect(),
    }
}

fn clock() -> String {
    "2026-11-30T12:00:00Z".to_owned()
}

// --- The mutator -------------------------------------------------------------------------------

/// A piece of RON-like text: what a structure-aware mutation can aim at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Number,
    /// The contents of a string, between its quotes.
    Text,
    Open,
    Close,
    Other,
}

/// Splits text into numbers, string contents, brackets and the rest.
fn pieces(text: &str) -> Vec<(Piece, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let kind = match b[i] {
            b'0'..=b'9' => {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                Piece::Number
            }
            b'"' => {
                out.push((Piece::Other, i..i + 1));
                i += 1;
                let from = i;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = i.min(b.len());
                out.push((Piece::Text, from..i));
                if i < b.len() {
                    out.push((Piece::Other, i..i + 1));
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Piece::Open
            }
            b')' | b']' | b'}' => {
                i += 1;
                Piece::Close
            }
            _ => {
                i += 1;
                while i < b.len()
                    && !matches!(
                        b[i],
                        b'0'..=b'9' | b'"' | b'(' | b')' | b'[' | b']' | b'{' | b'}'
                    )
                {
                    i += 1;
                }
                Piece::Other
            }
        };
        out.push((kind, start..i));
    }
    out
}

/// Numbers chosen to hit the edges: empty draft, one past the end, the largest values.
fn edge_number(rng: &mut fastrand::Rng, len: usize) -> String {
    match rng.u8(0..9) {
        0 => "0".into(),
        1 => len.to_string(),
        2 => (len + 1).to_string(),
        3 => (len + rng.usize(2..10_000)).to_string(),
        4 => u64::MAX.to_string(),
        5 => (1u64 << 63).to_string(),
        6 => "99999999999999999999999".into(),
        7 => rng.usize(0..len.max(1)).to_string(),
        _ => "-1".into(),
    }
}

/// String contents that are hard to read or to show: controls, escapes, wide and combining
/// characters, right-to-left text, invisible characters, quotes and backslashes, or a lot of it.
fn edge_text(rng: &mut fastrand::Rng) -> String {
    const PARTS: &[&str] = &[
        "\\u{1b}[31m",
        "\\u{1b}]0;title\\u{7}",
        "\\u{0}",
        "\\n",
        "\\r\\n",
        "\\t",
        "\\\"",
        "\\\\",
        "\u{202e}",
        "\u{200c}",
        "\u{200f}",
        "字",
        "e\u{301}",
        "👩‍👩‍👧",
        "שלום",
        "Sources",
        "people familiar with the matter",
        "untagged",
        "verified",
        "2026-13-45T99:99:99Z",
        "",
        " ",
        "\\u{d800}",
        "\\x",
    ];
    let n = rng.usize(0..6);
    let mut s: String = (0..n).map(|_| PARTS[rng.usize(..PARTS.len())]).collect();
    if rng.u8(0..10) == 0 {
        s = s.repeat(rng.usize(100..2000));
    }
    s
}

/// One to three mutations of `text` aimed at its structure.
fn mutate_ron(rng: &mut fastrand::Rng, text: &str, draft_len: usize) -> String {
    let mut text = text.to_owned();
    // Mostly one mutation, so many mutants still parse and reach what reads them.
    let rounds = if rng.u8(0..10) < 6 {
        1
    } else {
        rng.usize(2..=3)
    };
    for _ in 0..rounds {
        let ps = pieces(&text);
        let pick = |rng: &mut fastrand::Rng, kind: Piece| {
            let of: Vec<_> = ps.iter().filter(|(k, _)| *k == kind).collect();
            (!of.is_empty()).then(|| of[rng.usize(..of.len())].1.clone())
        };
        let (range, with) = match rng.u8(0..12) {
            0..=2 | 10..=11 => match pick(rng, Piece::Number) {
                Some(r) => (r, edge_number(rng, draft_len)),
                None => continue,
            },
            3..=4 => match pick(rng, Piece::Text) {
                Some(r) => (r, edge_text(rng)),
                None => continue,
            },
            5 => match pick(rng, Piece::Open).or_else(|| pick(rng, Piece::Close)) {
                // Unbalanced nesting: a bracket lost or doubled.
                Some(r) => {
                    let doubled = text[r.clone()].repeat(if rng.bool() { 0 } else { 2 });
                    (r, doubled)
                }
                None => continue,
            },
            6 => {
                // Deep nesting where a value goes.
                match pick(rng, Piece::Number) {
                    Some(r) => (r, "[".repeat(rng.usize(10..300))),
                    None => continue,
                }
            }
            7 => {
                // Truncation, anywhere (also inside a character).
                let at = rng.usize(0..=text.len());
                let mut bytes = text.into_bytes();
                bytes.truncate(at);
                text = String::from_utf8_lossy(&bytes).into_owned();
                continue;
            }
            8 => {
                // A piece of the file repeated: a duplicated field or annotation.
                if ps.is_empty() {
                    continue;
                }
                let a = rng.usize(..ps.len());
                let b = (a + rng.usize(1..40)).min(ps.len() - 1);
                let r = ps[a].1.start..ps[b].1.end;
                let copy = text[r.clone()].to_owned();
                (r.end..r.end, copy)
            }
            _ => {
                // Two numbers swapped: start after end.
                let (Some(x), Some(y)) = (pick(rng, Piece::Number), pick(rng, Piece::Number))
                else {
                    continue;
                };
                if x.end > y.start || y.end > text.len() {
                    continue;
                }
                let (xs, ys) = (text[x.clone()].to_owned(), text[y.clone()].to_owned());
                text.replace_range(y, &xs);
                (x, ys)
            }
        };
        if range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end)
        {
            text.replace_range(range, &with);
        }
    }
    text
}

/// Byte-level mutations of a draft: what arrives from other systems, pasted or mis-encoded.
fn mutate_draft(rng: &mut fastrand::Rng, draft: &[u8]) -> Vec<u8> {
    const INSERTS: &[&[u8]] = &[
        b"\x1b[2J",
        b"\x1b]52;c;cHduZWQ=\x07",
        b"\x00",
        b"\r\n",
        b"\r",
        b"\t",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xc3",
        b"\xe2\x80\xae",
        b"\xe5\xad\x97",
        b"e\xcc\x81",
        b"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
        b"\x7f",
        b"\x9b",
        b"sources said ",
        b"\n\n",
    ];
    let mut bytes = draft.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(0..=bytes.len());
        match rng.u8(0..6) {
            0..=2 => {
                let ins = INSERTS[rng.usize(..INSERTS.len())];
                bytes.splice(at..at, ins.iter().copied());
            }
            3 => bytes.truncate(at),
            4 => {
                let end = (at + rng.usize(0..40)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + rng.usize(0..200)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy.repeat(rng.usize(1..50)));
            }
        }
    }
    bytes
}

// --- What every loaded review must survive ------------------------------------------------------

/// Runs a review through everything that reads one: scan, check, report, and a frame of the
/// review screen at a small and a tiny size.
fn exercise(review: whosaid::review::Review) {
    let vocabulary = Vocabulary::default();
    let detector = Detector::new(&Config::default());
    let mut records = scan::records(&review, "draft.md");
    scan::add_attributions(&mut records, &review, &detector, "draft.md");
    let mut out = Vec::new();
    scan::write_lines(&mut out, &records).unwrap();
    scan::write_json(&mut out, &records).unwrap();
    let policy = Policy::default_for(&vocabulary.scale);
    let judged = scan::judged(&review, "draft.md", &policy);
    scan::write_sarif(
        &mut out,
        &judged,
        Some("https://desk.example/standards#{rule}"),
    )
    .unwrap();
    scan::write_github(&mut out, &judged, &[], None).unwrap();
    let _ = check::failing_lines(&review, "draft.md", &policy);
    let _ = scan::source_lines(&review, "draft.md", scan::Columns::Bytes);
    let _ = scan::source_json_items(&review, "draft.md");
    let options = report::Options {
        redact: false,
        vocabulary: &vocabulary,
        policy: &policy,
        generated_at: "2026-11-30T12:00:00Z",
        detector: &detector,
    };
    let r = report::build(&review, "draft.md", &options);
    let _ = report::markdown(&r);
    let _ = whosaid::cli::report::html::page(&r);
    let mut app = App::new(review, "ed".into(), clock, (80, 24));
    for (w, h) in [(80, 24), (12, 4)] {
        let effects = app.update(Action::Resize(w, h));
        let _ = whosaid::tui::effect::perform_alone(&mut app, effects);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| draw::draw(f, &app)).unwrap();
    }
}

// --- The loaders --------------------------------------------------------------------------------

/// Mutated sidecars beside the real draft: every command's reading of them and the review screen
/// survive; every annotation read is kept; one that cannot be read is never overwritten.
#[test]
fn mutated_sidecars_never_crash_lose_a_judgement_or_get_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let side = sidecar::path_for(&path);
    let detector = Detector::new(&Config::default());
    let original = golden();
    let (mut readable, mut past_the_end) = (0, 0);
    for seed in seeds() {
        let mut rng = fastrand::Rng::with_seed(seed);
        let text = mutate_ron(&mut rng, &original, DRAFT.len());
        std::fs::write(&side, &text).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (mut review, error) = open_draft(&path, None, Some(&detector)).unwrap();
            let read = sidecar::parse(&side, &text);
            match (&read, &error) {
                (Ok(file), None) => {
                    if file
                        .annotations
                        .iter()
                        .any(|a| a.anchor.end > DRAFT.len() || a.anchor.start > a.anchor.end)
                    {
                        past_the_end += 1;
                    }
                    let ids: BTreeSet<&str> =
                        file.annotations.iter().map(|a| a.id.as_str()).collect();
                    let kept: BTreeSet<&str> =
                        review.annotations.iter().map(|a| a.id.as_str()).collect();
                    assert_eq!(ids, kept, "every annotation read is kept");
                    readable += 1;
                }
                (Err(_), Some(_)) => {
                    // Unreadable: a change cannot be saved over it.
                    if !review.sources.is_empty() {
                        review.set_status(
                            0,
                            Status::Verified,
                            &Stamp {
                                author: "ed".into(),
                                now: clock(),
                            },
                        );
                    }
                    assert!(review.save().is_err());
                    assert_eq!(
                        std::fs::read_to_string(&side).unwrap(),
                        text,
                        "never overwritten"
                    );
                }
                _ => panic!("the review and the parser disagree: {read:?} / {error:?}"),
            }
            exercise(review);
        }));
        assert!(outcome.is_ok(), "seed {seed} panicked; sidecar:\n{text}");
    }
    assert!(readable > 0, "some mutants still parse");
    assert!(
        past_the_end > 0,
        "the mutator reaches anchors past the end of the draft"
    );
}

/// Mutated drafts (controls, escapes, invalid UTF-8, truncation, repetition) with their real
/// sidecar: a clear error or a review that every reader survives, with no judgement dropped.
#[test]
fn mutated_drafts_never_crash_or_lose_a_judgement() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    let side = sidecar::path_for(&path);
    std::fs::write(&side, golden()).unwrap();
    let detector = Detector::new(&Config::default());
    let samples: Vec<Vec<u8>> = [
        DRAFT.as_bytes().to_vec(),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/harbour-deal.md"))
            .unwrap(),
    ]
    .into();
    for seed in seeds() {
        let mut rng = fastrand::Rng::with_seed(seed);
        let sample = &samples[rng.usize(..samples.len())];
        let bytes = mutate_draft(&mut rng, sample);
        std::fs::write(&path, &bytes).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // A draft that cannot be read is one sentence of error, and that is all.
            let Ok((review, error)) = open_draft(&path, None, Some(&detector)) else {
                return;
            };
            assert!(error.is_none());
            assert_eq!(review.annotations.len(), 3, "every annotation is kept");
            exercise(review);
        }));
        assert!(
            outcome.is_ok(),
            "seed {seed} panicked; draft: {:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// Mutated configs: an error naming the file, or a config the detector and the keymap take.
#[test]
fn mutated_configs_are_an_error_naming_the_file_or_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(config::PROJECT_FILE);
    let original = r#"(
    author: "Desk",
    flag: ["a little bird", "the grapevine"],
    never_flag: ["official figures"],
    hedges: true,
    lexicon: (
        roles: ["fixer"],
        bare: ["insider"],
        modifiers: ["junior"],
        affiliations: ["Harbour Board"],
        cue_verbs: ["confided"],
    ),
    theme: "high-contrast",
    scale: ["confirmed", "probable", "doubtful"],
    checklist: [("legal-reviewed", "Legal has read it"), ("two-sources", "Two sources")],
    keys: {
        "normal": {
            "undo": ["U"],
            "next_source": ["ctrl-n", "down"],
        },
    },
)
"#;
    let (mut working, mut errors) = (0, 0);
    for seed in seeds() {
        let mut rng = fastrand::Rng::with_seed(seed);
        let text = mutate_ron(&mut rng, original, 100);
        std::fs::write(&path, &text).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let chosen = Origin {
                path: path.clone(),
                role: "--config",
            };
            match config::resolve_over(Some(chosen)) {
                Ok(resolved) => {
                    let _ = whosaid::tui::keymap::Keymap::with_overrides(&resolved.config.keys);
                    let detector = Detector::new(&resolved.config);
                    let _ = detector.detect(DRAFT);
                    working += 1;
                }
                Err(e) => {
                    assert!(e.to_string().contains(config::PROJECT_FILE), "{e}");
                    errors += 1;
                }
            }
        }));
        assert!(outcome.is_ok(), "seed {seed} panicked; config:\n{text}");
    }
    assert!(
        working > 0 && errors > 0,
        "{working} working, {errors} errors"
    );
}

/// Mutated inputs to the merge driver: each version either refused or merged into a sidecar that
/// reads back, with every annotation of either side that the other did not delete.
#[test]
fn mutated_merge_driver_inputs_never_crash_and_merge_to_a_readable_file() {
    let original = golden();
    let base = sidecar::parse(Path::new("base"), &original).unwrap();
    for seed in seeds() {
        let mut rng = fastrand::Rng::with_seed(seed);
        let ours_text = mutate_ron(&mut rng, &original, DRAFT.len());
        let theirs_text = mutate_ron(&mut rng, &original, DRAFT.len());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (Ok(ours), Ok(theirs)) = (
                sidecar::parse(Path::new("ours"), &ours_text),
                sidecar::parse(Path::new("theirs"), &theirs_text),
            ) else {
                return;
            };
            let merged = merge::merge(&base, &ours, &theirs);
            let text = sidecar::to_text(&merged.file);
            let back = sidecar::parse(Path::new("merged"), &text).expect("the merge reads back");
            // An annotation both sides still hold is never dropped by the merge.
            let ids: BTreeSet<&str> = back.annotations.iter().map(|a| a.id.as_str()).collect();
            for a in &ours.annotations {
                if theirs.annotations.iter().any(|b| b.id == a.id) {
                    assert!(
                        ids.contains(a.id.as_str()),
                        "annotation {} lost in the merge",
                        a.id
                    );
                }
            }
        }));
        assert!(
            outcome.is_ok(),
            "seed {seed} panicked; ours:\n{ours_text}\ntheirs:\n{theirs_text}"
        );
    }
}
