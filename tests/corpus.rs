//! Detection accuracy on the labelled corpus in tests/corpus/: span-overlap precision and recall
//! must both reach 0.95. docs/detection.md reports the figures this test prints
//! (`cargo test --test corpus -- --nocapture`) and the annotation guideline.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use whosaid::config::Config;
use whosaid::detect::{Detector, Format};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Passage {
    id: String,
    style: String,
    spelling: String,
    #[serde(default)]
    markdown: bool,
    text: String,
}

#[derive(Debug, Clone)]
struct Gold {
    start: usize,
    end: usize,
    class: String,
}

/// Strips `[[span|class]]` and `{{span}}` markers, returning the plain text, the gold spans and
/// the optional spans (which count neither for nor against the detector).
fn expand(marked: &str) -> (String, Vec<Gold>, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut optional = Vec::new();
    let mut rest = marked;
    loop {
        let next = [rest.find("[["), rest.find("{{")]
            .into_iter()
            .flatten()
            .min();
        let Some(open) = next else { break };
        text.push_str(&rest[..open]);
        let is_gold = rest[open..].starts_with("[[");
        let close_mark = if is_gold { "]]" } else { "}}" };
        let body_start = open + 2;
        let close = rest[body_start..]
            .find(close_mark)
            .expect("unclosed marker")
            + body_start;
        let body = &rest[body_start..close];
        let start = text.len();
        if is_gold {
            let (span, class) = body.rsplit_once('|').expect("gold span needs |class");
            text.push_str(span);
            gold.push(Gold {
                start,
                end: text.len(),
                class: class.to_owned(),
            });
        } else {
            text.push_str(body);
            optional.push((start, text.len()));
        }
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    (text, gold, optional)
}

fn load(folder: &str) -> Vec<Passage> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            ron::from_str::<Vec<Passage>>(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    gold: usize,
    found: usize,
    predicted: usize,
    correct: usize,
}

fn print_table(what: &str, rows: &BTreeMap<String, Tally>) {
    eprintln!("| {what} | gold | recall | predicted | precision |");
    for (name, t) in rows {
        eprintln!(
            "| {name} | {} | {:.3} | {} | {:.3} |",
            t.gold,
            ratio(t.found, t.gold),
            t.predicted,
            ratio(t.correct, t.predicted)
        );
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

struct Score {
    precision: f64,
    recall: f64,
    problems: Vec<String>,
}

/// Scores the detector on passages by span overlap and prints the tables docs/detection.md
/// reports.
fn score(passages: &[Passage]) -> Score {
    let detector = Detector::new(&Config::default());
    let mut by_class: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_style: BTreeMap<String, Tally> = BTreeMap::new();
    let mut heldout = Tally::default();
    let (mut gold_n, mut found_n, mut pred_n, mut correct_n, mut exact_n) = (0, 0, 0, 0, 0);
    let mut problems = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for p in passages {
        assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
        assert!(
            ["us", "uk"].contains(&p.spelling.as_str()),
            "{}: spelling",
            p.id
        );
        let (text, gold, optional) = expand(&p.text);
        let words = text.split_whitespace().count();
        assert!(
            (80..=400).contains(&words),
            "{} has {words} words; passages have 80 to 400",
            p.id
        );
        let format = if p.markdown {
            Format::Markdown
        } else {
            Format::Text
        };
        let predicted = detector.detect_as(&text, format);
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let mut used = vec![false; predicted.len()];
        let is_heldout = p.id.starts_with("heldout");
        let style = by_style.entry(p.style.clone()).or_default();
        for g in &gold {
            let class = by_class.entry(g.class.clone()).or_default();
            class.gold += 1;
            style.gold += 1;
            heldout.gold += usize::from(is_heldout);
            gold_n += 1;
            match (0..predicted.len()).find(|&k| {
                !used[k] && overlaps((predicted[k].start, predicted[k].end), (g.start, g.end))
            }) {
                Some(k) => {
                    used[k] = true;
                    heldout.found += usize::from(is_heldout);
                    class.found += 1;
                    style.found += 1;
                    found_n += 1;
                    if (predicted[k].start, predicted[k].end) == (g.start, g.end) {
                        exact_n += 1;
                    } else {
                        problems.push(format!(
                            "{}: span [{}] for gold [{}]",
                            p.id,
                            &text[predicted[k].start..predicted[k].end],
                            &text[g.start..g.end]
                        ));
                    }
                }
                None => problems.push(format!(
                    "{}: MISSED [{}] ({})",
                    p.id,
                    &text[g.start..g.end],
                    g.class
                )),
            }
        }
        for (k, f) in predicted.iter().enumerate() {
            if !used[k] && optional.iter().any(|&o| overlaps(o, (f.start, f.end))) {
                continue;
            }
            let class = by_class
                .entry(f.rule.as_str().trim_start_matches("anon.").to_owned())
                .or_default();
            class.predicted += 1;
            style.predicted += 1;
            heldout.predicted += usize::from(is_heldout);
            pred_n += 1;
            if used[k] {
                heldout.correct += usize::from(is_heldout);
                class.correct += 1;
                style.correct += 1;
                correct_n += 1;
            } else {
                problems.push(format!(
                    "{}: FALSE [{}] ({})",
                    p.id,
                    &text[f.start..f.end],
                    f.rule.as_str()
                ));
            }
        }
    }
    let (precision, recall) = (ratio(correct_n, pred_n), ratio(found_n, gold_n));
    let f1 = 2.0 * precision * recall / (precision + recall);
    eprintln!(
        "passages {}, gold spans {gold_n}, predicted {pred_n}",
        passages.len()
    );
    eprintln!(
        "overall: precision {precision:.3} recall {recall:.3} F1 {f1:.3} exact-span {:.3}",
        ratio(exact_n, gold_n)
    );
    eprintln!(
        "held-out file: precision {:.3} recall {:.3} ({} gold spans)",
        ratio(heldout.correct, heldout.predicted),
        ratio(heldout.found, heldout.gold),
        heldout.gold
    );
    print_table("class", &by_class);
    print_table("style", &by_style);
    for line in &problems {
        eprintln!("  {line}");
    }
    Score {
        precision,
        recall,
        problems,
    }
}

/// The development half: the rules were written with these passages in view.
#[test]
fn corpus_precision_and_recall_reach_0_95() {
    let passages = load("tests/corpus");
    assert!(
        passages.len() >= 40,
        "the corpus needs at least 40 passages, has {}",
        passages.len()
    );
    let Score {
        precision,
        recall,
        problems,
    } = score(&passages);
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.3}, recall {recall:.3}:\n{}",
        problems.join("\n")
    );
}

/// The test half, written before the detector was run on it. Its floor is the first score the
/// detector reached on it (docs/detection.md), raised as rules generalise and never lowered.
#[test]
fn corpus_test_half_holds_its_floor() {
    const FLOOR_PRECISION: f64 = 0.94;
    const FLOOR_RECALL: f64 = 0.82;
    let passages = load("tests/corpus/test");
    assert!(
        passages.len() >= 30,
        "the test half needs at least 30 passages, has {}",
        passages.len()
    );
    let Score {
        precision,
        recall,
        problems,
    } = score(&passages);
    assert!(
        precision >= FLOOR_PRECISION && recall >= FLOOR_RECALL,
        "precision {precision:.3}, recall {recall:.3}:\n{}",
        problems.join("\n")
    );
}

/// The wire story the project started from, if the shared reference folder is beside the project.
/// It is not part of the repository, so the test says so and passes when it is absent.
#[test]
fn seed_article_flags_exactly_the_anonymous_sources() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/articles/kremlin-informant.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not present", path.display());
        return;
    };
    let found: Vec<&str> = Detector::new(&Config::default())
        .detect(&text)
        .iter()
        .map(|f| &text[f.start..f.end])
        .collect();
    let expected = [
        "unnamed Russian law enforcement officials",
        "an unnamed US official",
        "the source familiar with the matter",
        "a former senior intelligence official",
        "the source",
        "current and former officials who spoke on the condition that their names not be used",
    ];
    let optional = "some United States counterintelligence officials";
    let found: Vec<&str> = found.into_iter().filter(|f| *f != optional).collect();
    assert_eq!(found, expected);
}

/// With `--all`, the seed article's other attributions get their classes, and the spy ("the
/// covert source") is none of them.
#[test]
fn seed_article_classes_every_other_attribution() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/articles/kremlin-informant.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not present", path.display());
        return;
    };
    let detector = Detector::new(&Config::default());
    let taken: Vec<(usize, usize)> = detector
        .detect(&text)
        .iter()
        .map(|f| (f.start, f.end))
        .collect();
    let found = detector.attributions(&text, Format::Text, &taken);
    let of = |class: &str| -> Vec<&str> {
        found
            .iter()
            .filter(|a| a.class.as_str() == class)
            .map(|a| &text[a.start..a.end])
            .collect()
    };
    assert_eq!(
        of("named"),
        [
            "Kremlin spokesman Dmitry Peskov",
            "Peskov",
            "Mr Preskov",
            "The Kremlin spokesman",
            "Mr. Lavrov"
        ]
    );
    assert_eq!(
        of("outlet"),
        [
            "the news outlet",
            "The Kommersant newspaper",
            "The New York Times"
        ]
    );
    assert!(of("institutional").contains(&"The White House"));
    assert!(
        found
            .iter()
            .all(|a| !text[a.start..a.end].contains("covert")
                && !text[a.start..a.end].contains("spy")),
        "the spy is nobody's source"
    );
}
