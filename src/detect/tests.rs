//! Table tests for the detector. A fixture marks each expected finding with `[[…]]`; the test
//! strips the markers and compares the detector's spans with them exactly.

use super::*;
use crate::detect::Format;

fn expand(fixture: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = fixture;
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("]]").expect("unclosed [[ in fixture");
        let start = text.len();
        text.push_str(&after[..close]);
        spans.push((start, text.len()));
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    (text, spans)
}

fn detector() -> Detector {
    Detector::new(&Config::default())
}

fn check(fixture: &str) {
    let (text, expected) = expand(fixture);
    let got: Vec<(usize, usize)> = detector()
        .detect(&text)
        .iter()
        .map(|f| (f.start, f.end))
        .collect();
    let show = |spans: &[(usize, usize)]| {
        spans
            .iter()
            .map(|&(s, e)| format!("[{}]", &text[s..e]))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(show(&got), show(&expected), "in: {text}");
}

const FLAG: &[&str] = &[
    "The plan was delayed, [[an unnamed US official]] said.",
    "[[A senior administration official]] said the talks would resume.",
    "[[Two senior U.S. officials]] confirmed the strike on Tuesday.",
    "The memo was written by a junior aide, according to [[a former Pentagon official]].",
    "[[A high-ranking Israeli military officer]] told reporters the operation was over.",
    "\"We are not there yet,\" [[a Western diplomat]] said.",
    "[[A senior Republican aide]] said the vote would be close.",
    "[[Several employees]] said the layoffs began in March.",
    "[[Three administration officials]] confirmed the meeting took place.",
    "[[People familiar with the matter]] said the deal could be announced this week.",
    "The company is weighing a sale, according to [[a person familiar with the company's plans]].",
    "[[A source familiar with the thinking of the president]] said no decision had been made.",
    "The figures were revised, said [[a person with direct knowledge of the discussions]].",
    "The bid was dropped, according to [[people briefed on the talks]].",
    "[[A person close to the prime minister]] said she would not resign.",
    "[[Sources close to the club]] said the manager would stay.",
    "[[One person involved in the negotiations]] said a deal was near.",
    "[[An official who attended the meeting]] described it as tense.",
    "The file is incomplete, said [[a person who has seen the document]].",
    "It was based on interviews with [[current and former officials who spoke on the condition that their names not be used]].",
    "[[A police officer, who spoke on condition of anonymity]], said the suspect fled.",
    "[[Sources]] said the minister would resign.",
    "[[A source]] said the report was accurate.",
    "[[Insiders]] say the board is split.",
    "[[It is understood]] that the offer was rejected.",
    "[[It has emerged]] that the payments continued until May.",
    "[[A State Department spokesperson]] said the embassy remained open.",
    "The news outlet added, citing [[an unnamed US official]].",
    "According to [[the source familiar with the matter]] and [[a former senior intelligence official]], he was trusted.",
    "The defector, [[the source]], who did not dispute the name, said.",
    "[[A company insider]] said the launch was delayed.",
    "[[A congressional staffer]] said the bill would pass.",
    "[[A law enforcement official]] said the suspect was known to police.",
    "It cited [[unnamed Russian law enforcement officials]] as saying he had left.",
    "[[An ex‑official]] said the budget was cut.",
    "[[A person familiar with\nthe matter]] said the talks had stalled.",
    "[[Officials who asked not to be identified]] said the plan had changed.",
    "[[Sources]] said the dock workers' union was not consulted.",
    "Bloomberg reported, citing [[people familiar with the matter]].",
    "[[A tour insider]] said rehearsals were cancelled, and [[one of them]] added that pay was late.",
    "Ministers are preparing a U-turn, [[the Guardian understands]].",
    "[[A friend of the family, who did not want to be named]], said it had caused real hurt.",
    "[[A diplomat based in Vienna]] said talks resumed. [[Another, speaking anonymously]], disagreed.",
    "[[One top-20 shareholder]] said the board had run out of road.",
    "[[A Ministry of Justice spokesperson]] said: \"We do not comment on leaks.\"",
    "[[A Conservative MP, who asked not to be named]], said colleagues were alarmed.",
    "[[Two people briefed on the talks]] said so. [[The people]] spoke on condition of anonymity.",
];

const NO_FLAG: &[&str] = &[
    "Kremlin spokesman Dmitry Peskov told reporters the report was false.",
    "\"It is untrue,\" said John Kirby, the National Security Council spokesman.",
    "A senior official, John Smith, said the budget was balanced.",
    "The Pentagon said in a statement that the drills would continue.",
    "The source code was published on GitHub.",
    "The project is open-source and free to use.",
    "The source of funding for the project is unclear.",
    "Solar power is a clean energy source.",
    "Source: Reuters",
    "Official figures show unemployment fell in May.",
    "The hacker group Anonymous claimed responsibility.",
    "An anonymous donor gave the museum $1m.",
    "Users familiar with Excel will find the tool easy.",
    "Lawmakers were briefed on the plan last week.",
    "Close to 100 people attended the vigil.",
    "The covert source was extracted in 2017.",
    "The source was considered the highest level source inside the Kremlin.",
    "The Kremlin spokesman played down the reports.",
    "Mr Lavrov declined to comment.",
    "Thousands of people marched through the city.",
    "She is a key figure in the movement.",
    "Its chief financial officer told analysts the outlook was strong.",
];

/// A control sequence pasted in with the text is a boundary: glued to a word it must not hide
/// the source behind it.
#[test]
fn escape_sequences_are_word_boundaries() {
    check("The port will close, \x1b[2J[[people familiar with the matter]] said.");
    check("The port will close, \x1b]0;title\x07[[people familiar with the matter]] said.");
    check("The port will close, \x1b[31m[[Sources]]\x1b[0m said so.");
    check("The port will close, \u{9b}1m[[Sources]] said so.");
    check("Unterminated \x1b]0;title [[Sources]] said so.");
}

#[test]
fn flags_each_pattern_with_exact_spans() {
    for fixture in FLAG {
        check(fixture);
    }
}

#[test]
fn leaves_look_alikes_alone() {
    for fixture in NO_FLAG {
        check(fixture);
    }
}

#[test]
fn severity_follows_specificity() {
    let d = detector();
    let sev = |t: &str| d.detect(t).first().map(|f| (f.severity, f.rule)).expect(t);
    assert_eq!(
        sev("Sources said it was over."),
        (Severity::High, Rule::Impersonal)
    );
    assert_eq!(
        sev("A source said it was over."),
        (Severity::High, Rule::Descriptor)
    );
    assert_eq!(
        sev("An unnamed US official said it was over."),
        (Severity::Medium, Rule::Descriptor)
    );
    assert_eq!(
        sev("People familiar with the matter said it was over."),
        (Severity::Low, Rule::Access)
    );
    assert_eq!(
        sev("Two officials, who were not authorized to speak publicly, said it was over."),
        (Severity::Low, Rule::Clause)
    );
    assert_eq!(
        sev("It was over, according to a senior official."),
        (Severity::Medium, Rule::AccordingTo)
    );
    assert_eq!(
        sev("A Foreign Office spokesman said it was over."),
        (Severity::Low, Rule::Spokesperson)
    );
}

#[test]
fn anaphora_counts_only_after_an_anonymous_source() {
    check("Foreign Minister Ana Ruiz arrived late. The minister said the talks were useful.");
    check("[[A senior official]] said it was late. [[The official]] said talks would go on.");
}

#[test]
fn config_adds_and_suppresses_phrases() {
    let config = Config {
        author: None,
        flag: vec!["a little bird".into()],
        never_flag: vec!["people familiar with the matter".into()],
        ..Config::default()
    };
    let d = Detector::new(&config);
    let text = "A little bird told us. People familiar with the matter said no.";
    let found: Vec<&str> = d
        .detect(text)
        .iter()
        .map(|f| &text[f.start..f.end])
        .collect();
    assert_eq!(found, ["A little bird"]);
}

#[test]
fn long_single_line_is_windowed_without_losing_findings() {
    let filler = "The council met and discussed the budget at length. ".repeat(400);
    let text = format!("{filler}Sources said the vote was delayed. {filler}");
    let found = detector().detect(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].start..found[0].end], "Sources");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn spans_are_in_bounds_on_char_boundaries_and_disjoint(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("officials".to_owned()), Just("said".to_owned()), Just("a".to_owned()),
                    Just("unnamed".to_owned()), Just("familiar with".to_owned()), Just("sources".to_owned()),
                    Just("it is understood".to_owned()), Just(",".to_owned()), Just(".".to_owned()),
                    Just("\n\n".to_owned()), Just("who spoke on condition of anonymity".to_owned()),
                    Just("residents".to_owned()), Just("they".to_owned()), Just("by".to_owned()),
                    Just("\u{2014}".to_owned()), Just("Mr.".to_owned()), Just("Peskov".to_owned()),
                    Just("the ministry".to_owned()), Just("according to".to_owned()),
                    Just("The Times".to_owned()), Just("pushed back".to_owned()),
                    Just("were".to_owned()), Just("telling".to_owned()), Just("\"".to_owned()),
                    "\\PC{0,6}",
                ],
                0..60,
            )
        ) {
            let text = words.join(" ");
            let detector = detector();
            let found = detector.detect(&text);
            let mut last = 0;
            for f in &found {
                prop_assert!(f.start >= last && f.start < f.end && f.end <= text.len());
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                last = f.end;
            }
            // `scan --all`: the other attributions keep the same promises and never overlap a
            // source under review.
            let taken: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
            let mut last = 0;
            for a in detector.attributions(&text, Format::Text, &taken) {
                prop_assert!(a.start >= last && a.start < a.end && a.end <= text.len());
                prop_assert!(text.is_char_boundary(a.start) && text.is_char_boundary(a.end));
                prop_assert!(!taken.iter().any(|&(s, e)| s < a.end && a.start < e));
                last = a.end;
            }
        }
    }
}

#[test]
fn hedges_are_flagged_only_when_asked() {
    let text = "The minister is said to be furious. He reportedly resigned.";
    assert!(detector().detect(text).is_empty());
    let d = Detector::new(&Config {
        hedges: true,
        ..Config::default()
    });
    let found: Vec<(&str, Rule, Severity)> = d
        .detect(text)
        .iter()
        .map(|f| (&text[f.start..f.end], f.rule, f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("is said to", Rule::Hedge, Severity::Low),
            ("reportedly", Rule::Hedge, Severity::Low)
        ]
    );
}

#[test]
fn markdown_code_front_matter_and_urls_are_not_prose() {
    let text = "---\ntitle: Sources said\n---\n\nSources said yes.\n\n    A source said no.\n\n`sources said` and https://x.org/sources-said\n";
    let md: Vec<&str> = detector()
        .detect_as(text, Format::Markdown)
        .iter()
        .map(|f| &text[f.start..f.end])
        .collect();
    assert_eq!(md, ["Sources"]);
    assert_eq!(
        &text[detector().detect_as(text, Format::Markdown)[0].start..][..17],
        "Sources said yes."
    );
    // As plain text the front matter, indented line and code span are prose; the URL never is.
    assert_eq!(detector().detect(text).len(), 4);
}

#[test]
fn signals_describe_what_the_text_says() {
    let text = "\"It is over,\" said two officials, who were not authorized to speak publicly. \
                The memo was obtained by the paper, according to a person familiar with the talks. \
                The company declined to comment.";
    let found = detector().detect(text);
    assert_eq!(found.len(), 2);
    let s = found[0].signals;
    assert_eq!(s.specificity, Specificity::GenericRole);
    assert!(
        s.reason_stated
            && s.reason_boilerplate
            && s.direct_quote
            && s.plural
            && s.declined_to_comment
    );
    assert!(!s.document);
    let s = found[1].signals;
    assert_eq!(s.specificity, Specificity::RoleWithAccess);
    assert!(s.document && !s.plural && !s.direct_quote && !s.reason_stated);
}

#[test]
fn config_extends_the_word_lists() {
    let text = "A stringer said the deal was done.";
    assert!(detector().detect(text).is_empty());
    let mut config = Config::default();
    config.lexicon.roles.push("stringer".into());
    config.lexicon.roles.push("  ".into());
    config.lexicon.cue_verbs.push(String::new());
    let found = Detector::new(&config).detect(text);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].start..found[0].end], "A stringer");
}

#[test]
fn anaphora_groups_later_mentions_with_their_source() {
    let text = "A senior official said talks had stalled. A Western diplomat agreed. \
                The official said a deal was still possible, and one of them added that time was short.";
    let found = detector().detect(text);
    let groups: Vec<(&str, usize, Rule)> = found
        .iter()
        .map(|f| (&text[f.start..f.end], f.group, f.rule))
        .collect();
    assert_eq!(groups[0].0, "A senior official");
    assert_eq!(groups[1].0, "A Western diplomat");
    assert_eq!(groups[2], ("The official", groups[0].1, Rule::Anaphora));
    assert_eq!(groups[3], ("one of them", groups[1].1, Rule::Anaphora));
    assert_eq!(found[2].severity, found[0].severity);
}

#[test]
fn declined_to_comment_counts_across_a_line_break() {
    let text = "A senior official said the talks had stalled. The minister declined\nto comment.";
    let found = detector().detect(text);
    assert_eq!(found.len(), 1);
    assert!(found[0].signals.declined_to_comment);
    let text = "A senior official said the talks had stalled. The minister declined to act.";
    assert!(!detector().detect(text)[0].signals.declined_to_comment);
}

#[test]
fn another_is_found_in_a_paragraph_with_no_other_source_word() {
    check(
        "[[A senior official]] said the talks had stalled.\n\n\
         [[Another]] disagreed, and the talks went on.",
    );
}

#[test]
fn a_long_line_is_not_cut_inside_a_phrase() {
    // Before sentences were split as the text streamed by, a paragraph over 4 KB was cut into
    // windows around each match, and a window could end between "A senior" and "official".
    let filler = "The council met and discussed the budget at length. ".repeat(78);
    let text =
        format!("Sources said so. {filler}The vote was late. A senior official said it was over.");
    assert_eq!(text.find("official"), Some(4101));
    let found: Vec<&str> = detector()
        .detect(&text)
        .iter()
        .map(|f| &text[f.start..f.end])
        .collect();
    assert_eq!(found, ["Sources", "A senior official"]);
}

#[test]
fn a_sentence_with_no_full_stop_is_cut_into_bounded_pieces() {
    // Thousands of heads in one run-on sentence: the grammar still sees bounded sentences, and
    // every phrase it finds is whole.
    let text = "a source said, ".repeat(5000);
    let found = detector().detect(&text);
    assert!(found.len() > 4000, "{}", found.len());
    for f in &found {
        assert_eq!(&text[f.start..f.end], "a source");
    }
}

#[test]
fn declined_to_comment_counts_in_a_sentence_that_waits_for_more_of_its_paragraph() {
    // A paragraph of more tokens than are read at once, with the phrase in a sentence that is
    // still open when the first batch ends, so its start is kept while more is read.
    let before = "The vote was held on time. ".repeat(213);
    let long = format!(
        "The minister declined to comment{}.",
        " and the talks went on".repeat(100)
    );
    let text = format!("Sources said so. {before}{long}");
    let found = detector().detect(&text);
    assert_eq!(found.len(), 1);
    assert!(found[0].signals.declined_to_comment);
}

/// Each attribution form and each trap, in one sentence of our own: the phrases flagged.
#[test]
fn attribution_first_forms_and_traps() {
    let cases: &[(&str, &[&str])] = &[
        // Person nouns beyond the lexicon's roles, with a reporting verb beside them.
        ("Residents said the water rose in minutes.", &["Residents"]),
        (
            "Two farm workers told the court they saw the truck.",
            &["Two farm workers"],
        ),
        ("Residents were evacuated overnight.", &[]),
        ("The woman said she was fine.", &[]),
        ("The farmers said the road was closed.", &["The farmers"]),
        (
            "The Royal Society of Surgeons said waits were too long.",
            &[],
        ),
        ("Analysts said the shares were cheap.", &[]),
        // Verb forms: progressive, perfect, belief and assessment.
        (
            "Diplomats are reporting progress in the talks.",
            &["Diplomats"],
        ),
        (
            "Officials have been telling reporters the plan is dead.",
            &["Officials"],
        ),
        ("Officials were told to leave the building.", &[]),
        (
            "Some officials thought the plan would fail.",
            &["Some officials"],
        ),
        ("Neighbours initially feared a gas leak.", &["Neighbours"]),
        // Passive agents.
        (
            "The attack was confirmed by a senior official on Monday.",
            &["a senior official"],
        ),
        ("The plan was drawn up by officials last year.", &[]),
        (
            "The storm, described as the worst in years by officials, closed roads.",
            &["officials"],
        ),
        // Material between the source and its verb.
        (
            "Officials travelling with the minister said the visit was cut short.",
            &["Officials travelling with the minister"],
        ),
        (
            "The inquiry heard from 40 sources verifying the accounts.",
            &[],
        ),
        (
            "A farmer who saw the crash said the car was speeding.",
            &["A farmer who saw the crash"],
        ),
        (
            "Two nurses \u{2014} both of whom have since resigned \u{2014} told the paper wards were full.",
            &["Two nurses"],
        ),
        (
            "A guard (he asked that his name be withheld) said the gate was open.",
            &["A guard"],
        ),
        (
            "People at the market say prices have doubled.",
            &["People at the market"],
        ),
        ("People at the market were hurt in the blast.", &[]),
        (
            "Those close to the minister say she will stay.",
            &["Those close to the minister"],
        ),
        // A reporting clause in the middle of a sentence, and pronouns.
        (
            "Mr Grant, the sources say, is leaving the firm.",
            &["the sources"],
        ),
        (
            "The villagers were afraid at first, but they told the court what happened.",
            &["The villagers"],
        ),
        (
            "Mr Ode met the villagers, and he said the well was dry.",
            &[],
        ),
        // Offices and names.
        ("The foreign minister said the talks would resume.", &[]),
        ("A minister said the talks would resume.", &["A minister"]),
        ("Ministers say the talks will resume.", &["Ministers"]),
        (
            "A spokesman for the mayor, Jo Kerr, said the ruling would be appealed.",
            &[],
        ),
        // Lead-ins and the reach of a quotation.
        (
            "In the words of one villager, the bend kills someone every year.",
            &["one villager"],
        ),
        (
            "\"We went without an aide,\" Lee said, noting the trip was private.",
            &[],
        ),
        ("Youths accused of arson were arrested on Friday.", &[]),
    ];
    let detector = detector();
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let found: Vec<&str> = detector
            .detect(text)
            .iter()
            .map(|f| &text[f.start..f.end])
            .collect();
        if found != *expected {
            wrong.push(format!(
                "{text}\n  expected {expected:?}\n  found    {found:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `scan --all`: each class of attribution, in sentences of our own, and what is never one.
#[test]
fn other_attributions_are_classed() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "Deputy Mayor Jo Kerr said the bridge would reopen.",
            &[("Deputy Mayor Jo Kerr", "named")],
        ),
        ("The bridge will reopen, Kerr added.", &[("Kerr", "named")]),
        (
            "\"It is safe,\" said Ms. Okafor.",
            &[("Ms. Okafor", "named")],
        ),
        (
            "The transport minister told parliament the bridge was safe.",
            &[("The transport minister", "named")],
        ),
        (
            "The ministry said the bridge was safe.",
            &[("The ministry", "institutional")],
        ),
        (
            "Police in Leeds said two men were held.",
            &[("Police in Leeds", "institutional")],
        ),
        (
            "The Guardian reported the closure on Monday.",
            &[("The Guardian", "outlet")],
        ),
        (
            "According to Reuters, the deal is off.",
            &[("Reuters", "outlet")],
        ),
        (
            "A statement from the council said roads were clear.",
            &[("A statement from the council", "document")],
        ),
        ("He said the bridge was safe.", &[]),
        (
            "The spy was considered the best source in the capital.",
            &[],
        ),
        ("Officials said the bridge was safe.", &[]),
        ("The United States imposed sanctions.", &[]),
        ("The dock workers' union had been told little.", &[]),
        (
            "A union organiser, Pat Keane, said members were angry.",
            &[("Pat Keane", "named")],
        ),
    ];
    let detector = detector();
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let taken: Vec<(usize, usize)> = detector
            .detect(text)
            .iter()
            .map(|f| (f.start, f.end))
            .collect();
        let found: Vec<(&str, &str)> = detector
            .attributions(text, Format::Text, &taken)
            .iter()
            .map(|a| (&text[a.start..a.end], a.class.as_str()))
            .collect();
        if found != *expected {
            wrong.push(format!(
                "{text}\n  expected {expected:?}\n  found    {found:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
