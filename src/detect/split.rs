//! One large draft analysed in chunks on several threads, with the findings a single pass makes.
//!
//! The grammar carries one thing from sentence to sentence: the sources introduced so far, which
//! a later "the official said" refers back to, and the numbering of groups. A chunk cannot know
//! what the chunks before it introduced, so each after the first is analysed from an empty state
//! that logs every question a sentence asked of it and every answer, every source it introduced
//! and every group it numbered. Then, in order, each logged sentence is replayed against the
//! state of the whole draft so far: when every answer would have been the same, its findings
//! stand (their groups renumbered); when one would not, that sentence alone is analysed again
//! with the real state. Sentences that asked nothing found nothing and changed nothing, whatever
//! came before. The first chunk needs none of this: it is analysed against the real state while
//! the others are speculated, and each chunk is replayed as soon as those before it are.
//!
//! Chunks are cut just after a blank line, where the tokenizer starts a new paragraph anyway. It
//! never steps over a line break, so its tokens always stop exactly there; that is checked, not
//! assumed, and a chunk that did not would make the whole draft go through one pass instead.

use std::ops::Range;

use std::sync::Mutex;

use super::grammar::{self, DocState, Event, Intro, Lemma};
use super::{Detector, Finding, tokens};

/// Drafts smaller than this are analysed in one pass: a chunk is worth a thread from here.
const SPLIT_FROM: usize = 1024 * 1024;

/// The smallest chunk: on dense news about 2 ms of one core's work, which bounds how long the
/// other threads wait for the last chunk to finish.
const CHUNK_MIN: usize = 256 * 1024;

/// Where a draft of `len` bytes is to be cut (each moved on to the next blank line), or nothing
/// when it is analysed in one pass.
pub(super) fn targets_for(len: usize) -> Vec<usize> {
    let threads = rayon::current_num_threads();
    if threads < 2 || len < SPLIT_FROM {
        return Vec::new();
    }
    shrinking(len, threads, CHUNK_MIN)
}

/// Cuts that make each chunk a share of what is left after the chunks before it, `1 / (2 ×
/// threads)`, down to `min` bytes: large chunks first, for few cuts (every chunk but the first
/// starts knowing no source, and its sentences that mention one introduced before it are
/// analysed again), and small ones last, so that when one thread takes the last chunk, the
/// others are left idle no longer than a small chunk takes. With twelve equal chunks of 32 MB of
/// dense news on two threads, one core sat idle for 3–20 ms at the end of every run.
fn shrinking(len: usize, threads: usize, min: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut at = 0;
    loop {
        let left = len - at;
        let size = (left / (2 * threads)).max(min);
        // The last chunk is between `min` and `size + min` bytes.
        if left < size + min {
            return cuts;
        }
        at += size;
        cuts.push(at);
    }
}

/// A sentence that exchanged something with the state: where it is, the findings it made and
/// what it logged.
struct Logged {
    /// From the start of its first token to the end of the last the grammar saw (the next
    /// sentence's first, which it may peek at): the tokens are the same when cut again from
    /// there, as a sentence never holds a blank line.
    bytes: Range<usize>,
    /// How many of those tokens are the sentence's own, and how many it saw.
    own: usize,
    seen: usize,
    findings: Range<usize>,
    events: Range<usize>,
}

/// What one chunk's speculative pass made.
struct Chunk {
    findings: Vec<Finding>,
    sentences: Vec<Logged>,
    events: Vec<Event>,
    groups: usize,
    declined: bool,
    /// The tokens stopped exactly at the chunk's end, between paragraphs.
    clean: bool,
}

/// The grammar's findings over `text` cut at blank lines near `targets`, and whether someone
/// "declined to comment"; `None` when the text could not be cut, or a cut did not fall between
/// paragraphs.
pub(super) fn grammar_findings(
    det: &Detector,
    text: &str,
    targets: &[usize],
) -> Option<(Vec<Finding>, bool)> {
    analyse(det, text, targets).map(|(findings, declined, _)| (findings, declined))
}

/// [`grammar_findings`], and how many sentences were analysed again.
///
/// The first chunk is analysed against the draft's real state, as one pass would. The others
/// are speculated on the other threads, and each is replayed as soon as it and every chunk
/// before it are done, by whichever thread gets there: the replay of one chunk runs while later
/// ones are still being analysed, instead of all of them at the end on one thread.
fn analyse(det: &Detector, text: &str, targets: &[usize]) -> Option<(Vec<Finding>, bool, usize)> {
    let cuts = cut_points(text, targets);
    if cuts.len() <= 2 {
        // No blank line where a cut was wanted: one pass does the same without the logging.
        return None;
    }
    let n = cuts.len() - 1;
    let done: Vec<Mutex<Option<Chunk>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let replayed = Mutex::new(Replayed {
        doc: DocState::new(det.hedges),
        out: Vec::new(),
        next: 1,
        again: 0,
        declined: false,
        unclean: false,
    });
    rayon::scope_fifo(|scope| {
        for k in 1..n {
            let (done, replayed, range) = (&done, &replayed, cuts[k]..cuts[k + 1]);
            scope.spawn_fifo(move |_| {
                let chunk = speculate(det, text, range);
                *lock(&done[k]) = Some(chunk);
                catch_up(det, text, done, replayed);
            });
        }
        // Held while the first chunk is analysed: a chunk finished meanwhile is left for this
        // thread to replay afterwards, and its own thread goes on to the next chunk.
        let mut first = lock(&replayed);
        let Replayed {
            doc,
            out,
            declined,
            unclean,
            ..
        } = &mut *first;
        let (findings, said, reached) =
            det.grammar_in(text, cuts[0]..cuts[1], doc, |_, _, _, _| {});
        *out = findings;
        out.reserve(text.len() / 512);
        *declined = said;
        *unclean = !reached;
        drop(first);
        catch_up(det, text, &done, &replayed);
    });
    let replayed = replayed.into_inner().unwrap_or_else(|e| e.into_inner());
    (!replayed.unclean && replayed.next == n).then_some((
        replayed.out,
        replayed.declined,
        replayed.again,
    ))
}

/// The draft's state as far as the chunks replayed so far, and what they found.
struct Replayed {
    doc: DocState,
    out: Vec<Finding>,
    /// The next chunk to replay.
    next: usize,
    again: usize,
    declined: bool,
    /// A chunk's tokens did not stop exactly at its end: the caller makes one pass instead.
    unclean: bool,
}

/// Replays every chunk that is done and follows the last one replayed, unless another thread
/// is replaying; that thread looks again once it lets go, so no finished chunk is left behind.
fn catch_up(det: &Detector, text: &str, done: &[Mutex<Option<Chunk>>], replayed: &Mutex<Replayed>) {
    loop {
        let Ok(mut r) = replayed.try_lock() else {
            return;
        };
        while r.next < done.len()
            && !r.unclean
            && let Some(chunk) = lock(&done[r.next]).take()
        {
            let Replayed {
                doc,
                out,
                again,
                declined,
                unclean,
                ..
            } = &mut *r;
            if !chunk.clean {
                *unclean = true;
                break;
            }
            *declined |= chunk.declined;
            *again += replay(det, text, chunk, doc, out);
            r.next += 1;
        }
        let next = r.next;
        let stop = r.unclean;
        drop(r);
        // A chunk finished after the look above, while this thread held the state, found it
        // taken: it is this thread's to replay.
        if stop || next >= done.len() || lock(&done[next]).is_none() {
            return;
        }
    }
}

/// A lock that a panic elsewhere does not make unusable: a panicking analysis is reported by
/// the scope anyway.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Chunk starts: 0, then just after the first blank line at or past each target, then the
/// text's end.
fn cut_points(text: &str, targets: &[usize]) -> Vec<usize> {
    let b = text.as_bytes();
    let mut cuts = vec![0];
    for &target in targets {
        let target = target.min(b.len()).max(*cuts.last().unwrap_or(&0));
        if let Some(cut) = blank_line_after(b, target)
            && cut < b.len()
            && cut > *cuts.last().unwrap_or(&0)
        {
            cuts.push(cut);
        }
    }
    cuts.push(b.len());
    cuts
}

/// The byte after the first "\n", blanks, "\n" that starts at or after `from`.
fn blank_line_after(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(n) = memchr::memchr(b'\n', &b[i..]) {
        let mut j = i + n + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if b.get(j) == Some(&b'\n') {
            return Some(j + 1);
        }
        i = j;
    }
    None
}

/// One chunk's findings from an empty, logging state.
fn speculate(det: &Detector, text: &str, range: Range<usize>) -> Chunk {
    // Room for what a dense chunk logs (about one sentence in 300 bytes, one exchange in 150),
    // so the logs are not copied as they grow.
    let mut doc = DocState::recording(det.hedges, range.len() / 128);
    let mut sentences = Vec::with_capacity(range.len() / 256);
    let (mut made, mut logged) = (0, 0);
    let end = range.end;
    let (findings, declined, reached) =
        det.grammar_in(text, range, &mut doc, |toks, own, findings, doc| {
            let now = doc.logged();
            if now > logged {
                sentences.push(Logged {
                    bytes: toks[0].start..toks[toks.len() - 1].end,
                    own,
                    seen: toks.len(),
                    findings: made..findings.len(),
                    events: logged..now,
                });
            }
            // A finding always numbers a group or reads a referent's, so it is always logged.
            debug_assert!(now > logged || findings.len() == made);
            (made, logged) = (findings.len(), now);
        });
    Chunk {
        // The last chunk ends with the text, however its last paragraph ends.
        clean: reached || end == text.len(),
        findings,
        sentences,
        groups: doc.groups(),
        events: doc.take_log(),
        declined,
    }
}

/// Adds a chunk's findings to `out`, carrying `doc` through it; returns how many sentences were
/// analysed again.
fn replay(
    det: &Detector,
    text: &str,
    chunk: Chunk,
    doc: &mut DocState,
    out: &mut Vec<Finding>,
) -> usize {
    let mut again_count = 0;
    // The draft's group for each of the chunk's own; 0 until the chunk's group is numbered.
    let mut groups = vec![0; chunk.groups + 1];
    let mut spec = chunk.findings.into_iter();
    let mut scratch = Scratch::default();
    for s in &chunk.sentences {
        let made = spec.by_ref().take(s.findings.len());
        let events = &chunk.events[s.events.clone()];
        if same_answers(doc, &mut groups, events, &mut scratch) {
            for event in events {
                match event {
                    // Numbered as `same_answers` foresaw.
                    Event::NewGroup(g) => {
                        let real = doc.new_group();
                        debug_assert_eq!(groups[*g], real);
                    }
                    Event::Wrote(lemma, intro) => doc.add_intro(
                        lemma,
                        Intro {
                            group: groups[intro.group],
                            ..*intro
                        },
                    ),
                    Event::Read(..) => {}
                }
            }
            out.extend(made.map(|mut f| {
                f.group = groups[f.group];
                f
            }));
        } else {
            made.for_each(drop);
            again(det, text, s, doc, out);
            again_count += 1;
        }
    }
    again_count
}

/// What [`same_answers`] keeps while it replays one sentence, kept from one sentence to the next
/// so a chunk's tens of thousands of sentences do not each allocate it again.
#[derive(Default)]
struct Scratch<'e> {
    /// The chunk's groups the sentence numbered or learnt the draft's number of.
    learnt: Vec<(usize, usize)>,
    /// The sources it introduced, under their head's singular.
    wrote: Vec<(&'e Lemma, Intro)>,
}

/// Whether a sentence's logged exchanges would have gone the same against `doc`, the state of
/// the whole draft so far, with `groups` renumbering the chunk's groups. If so, the groups the
/// sentence numbered or learnt the draft's number of are added to `groups`.
///
/// The grammar never compares group numbers, only copies them, so a chunk's group that was never
/// given the draft's number (the sentence that numbered it was analysed again) can take the one a
/// read really answers: from then on that is what it stands for.
fn same_answers<'e>(
    doc: &DocState,
    groups: &mut [usize],
    events: &'e [Event],
    scratch: &mut Scratch<'e>,
) -> bool {
    let Scratch { learnt, wrote } = scratch;
    learnt.clear();
    wrote.clear();
    let mut next = doc.groups();
    let real = |g: usize, learnt: &[(usize, usize)]| {
        learnt
            .iter()
            .find(|(local, _)| *local == g)
            .map(|(_, real)| *real)
            .or_else(|| Some(groups[g]).filter(|&r| r != 0))
    };
    for event in events {
        match event {
            Event::NewGroup(g) => {
                next += 1;
                learnt.push((*g, next));
            }
            Event::Wrote(lemma, intro) => {
                let Some(group) = real(intro.group, learnt) else {
                    return false;
                };
                wrote.push((lemma, Intro { group, ..*intro }));
            }
            Event::Read(lemma, answer) => {
                let truth = match lemma {
                    Some(l) => wrote
                        .iter()
                        .rev()
                        .find(|(w, _)| *w == l)
                        .map(|(_, i)| *i)
                        .or_else(|| doc.peek(Some(l))),
                    None => wrote.last().map(|(_, i)| *i).or_else(|| doc.peek(None)),
                };
                match (answer, truth) {
                    (None, None) => {}
                    (Some(a), Some(t)) if a.severity == t.severity => match real(a.group, learnt) {
                        Some(g) if g == t.group => {}
                        Some(_) => return false,
                        None => learnt.push((a.group, t.group)),
                    },
                    _ => return false,
                }
            }
        }
    }
    for &(local, real) in learnt.iter() {
        groups[local] = real;
    }
    true
}

/// Analyses a logged sentence again with the real state, from its tokens cut again.
fn again(det: &Detector, text: &str, s: &Logged, doc: &mut DocState, out: &mut Vec<Finding>) {
    let mut toks = Vec::with_capacity(s.seen);
    let mut tokenizer = tokens::Tokenizer::within(text, s.bytes.start, s.bytes.end);
    while tokenizer.fill(&det.lexicon.vocab, &mut toks, usize::MAX) != tokens::Fill::TextEnd {}
    debug_assert_eq!(toks.len(), s.seen, "a sentence's tokens cut again");
    grammar::analyze_sentence(&det.lexicon, text, &toks, 0, s.own, doc, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use proptest::prelude::*;

    /// The project's corpus as plain text: its passages without the gold markup.
    fn corpus() -> Vec<String> {
        let files = [
            include_str!("../../tests/corpus/wire.ron"),
            include_str!("../../tests/corpus/broadsheet.ron"),
            include_str!("../../tests/corpus/business.ron"),
            include_str!("../../tests/corpus/messy.ron"),
            include_str!("../../tests/corpus/sports.ron"),
            include_str!("../../tests/corpus/tabloid.ron"),
        ];
        let gold = regex::Regex::new(r"\[\[([^|\]]*)(\|[^\]]*)?\]\]|\{\{|\}\}").unwrap();
        let text = regex::Regex::new(r##"(?s)text: r#"(.*?)"#"##).unwrap();
        files
            .iter()
            .flat_map(|f| text.captures_iter(f).map(|c| c[1].to_owned()))
            .map(|t| gold.replace_all(&t, "$1").into_owned())
            .collect()
    }

    fn one_pass(det: &Detector, text: &str) -> (Vec<Finding>, bool) {
        let mut doc = DocState::new(det.hedges);
        let (f, d, _) = det.grammar_in(text, 0..text.len(), &mut doc, |_, _, _, _| {});
        (f, d)
    }

    /// Cuts into `parts` even shares of `len` bytes.
    fn even(len: usize, parts: usize) -> Vec<usize> {
        (1..parts).map(|k| len / parts * k).collect()
    }

    /// The findings and the "declined" flag of `parts` chunks, and how many sentences were
    /// analysed again.
    fn in_parts(det: &Detector, text: &str, parts: usize) -> ((Vec<Finding>, bool), usize) {
        in_chunks(det, text, &even(text.len(), parts))
    }

    fn in_chunks(det: &Detector, text: &str, targets: &[usize]) -> ((Vec<Finding>, bool), usize) {
        let (findings, declined, again) =
            analyse(det, text, targets).expect("every cut falls between paragraphs");
        ((findings, declined), again)
    }

    #[test]
    fn chunks_shrink_to_the_smallest_and_cover_the_draft() {
        for (len, threads, min) in [
            (32_000_000, 2, 256 << 10),
            (100 << 20, 8, 256 << 10),
            (5000, 2, 100),
        ] {
            let cuts = shrinking(len, threads, min);
            let mut bounds = vec![0];
            bounds.extend(&cuts);
            bounds.push(len);
            let sizes: Vec<usize> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
            assert!(sizes.len() > 2 * threads, "{sizes:?}");
            assert!(
                sizes.windows(2).all(|w| w[0] >= w[1] || w[1] < 2 * min),
                "{sizes:?}"
            );
            assert!(sizes.iter().all(|&s| s >= min), "{sizes:?}");
            assert!(*sizes.last().unwrap() < 2 * min, "{sizes:?}");
            assert_eq!(sizes[0], len / (2 * threads));
        }
        // Too small for two chunks of the smallest size: one pass.
        assert!(shrinking(300, 2, 200).is_empty());
        assert_eq!(shrinking(400, 2, 200), [200]);
    }

    #[test]
    fn chunks_find_what_one_pass_finds_in_the_corpus() {
        let passages = corpus();
        assert!(passages.len() > 40, "{} passages", passages.len());
        let mut rng = fastrand::Rng::with_seed(7);
        let mut again = 0;
        for hedges in [false, true] {
            let det = Detector::new(&Config {
                hedges,
                ..Config::default()
            });
            for round in 0..4 {
                let mut order = passages.clone();
                rng.shuffle(&mut order);
                let text = order.join(if round % 2 == 0 { "\n\n" } else { "\n \r\n\n" });
                let whole = one_pass(&det, &text);
                assert!(whole.0.len() > 100, "{} findings", whole.0.len());
                for parts in [2, 3, 5, 8, 13, 40] {
                    let (split, analysed_again) = in_parts(&det, &text, parts);
                    assert_eq!(split, whole, "{parts} parts");
                    again += analysed_again;
                }
                for threads in [2, 4] {
                    let cuts = shrinking(text.len(), threads, text.len() / 50);
                    assert_eq!(in_chunks(&det, &text, &cuts).0, whole, "{threads} threads");
                }
            }
        }
        // Cuts land before later mentions of earlier sources, so some sentences must have been
        // analysed again for the results to agree.
        assert!(again > 0);
    }

    /// Chunks are replayed in order, whichever finishes first, and a chunk whose tokens did not
    /// stop at its end stops the replay (the caller then makes one pass).
    #[test]
    fn chunks_are_replayed_in_order_and_an_unclean_one_stops_the_replay() {
        let det = Detector::new(&Config::default());
        let chunk = |clean| Chunk {
            findings: Vec::new(),
            sentences: Vec::new(),
            events: Vec::new(),
            groups: 0,
            declined: true,
            clean,
        };
        let done: Vec<Mutex<Option<Chunk>>> = (0..5).map(|_| Mutex::new(None)).collect();
        let replayed = Mutex::new(Replayed {
            doc: DocState::new(false),
            out: Vec::new(),
            next: 1,
            again: 0,
            declined: false,
            unclean: false,
        });
        *lock(&done[2]) = Some(chunk(true));
        catch_up(&det, "", &done, &replayed);
        assert_eq!(lock(&replayed).next, 1, "chunk 2 waits for chunk 1");
        *lock(&done[1]) = Some(chunk(true));
        *lock(&done[3]) = Some(chunk(false));
        *lock(&done[4]) = Some(chunk(true));
        catch_up(&det, "", &done, &replayed);
        let r = replayed.into_inner().unwrap();
        assert_eq!((r.next, r.unclean, r.declined), (3, true, true));
        assert!(
            lock(&done[4]).is_some(),
            "nothing is replayed past an unclean chunk"
        );
    }

    #[test]
    fn a_later_mention_across_a_cut_joins_the_earlier_source() {
        let det = Detector::new(&Config::default());
        let text = "An unnamed official said the talks had stalled.\n\n\
                    The official said no date was set. Another said the same.\n\n\
                    They said it again, the official added.\n";
        let whole = one_pass(&det, text);
        let (split, again) = in_parts(&det, text, 3);
        assert_eq!(split, whole);
        assert!(again > 0);
        // "Another" is one more source; the official's later mentions are the first one.
        let groups: Vec<usize> = whole.0.iter().map(|f| f.group).collect();
        assert_eq!(groups, [1, 1, 2, 1]);
    }

    #[test]
    fn escape_sequences_beside_a_cut_leave_it_clean() {
        let det = Detector::new(&Config::default());
        // No escape sequence the tokenizer skips can take a line break with it.
        // The blank line comes after the middle, where two parts cut.
        for text in [
            "Officials said so, and aides said the same.\x1b[1\n\nSources said more.\n",
            "Officials said so, and aides said the same.\x1b]0;t\n\nSources said more.\n",
            "Officials said so, and aides said the same.\u{9b}\n\n\x1b[2JSources said.\n",
        ] {
            let cut = blank_line_after(text.as_bytes(), 0).unwrap();
            assert!(cut > text.len() / 2);
            assert!(speculate(&det, text, 0..cut).clean, "{text:?}");
            assert_eq!(in_parts(&det, text, 2).0, one_pass(&det, text));
        }
    }

    #[test]
    fn a_draft_with_no_blank_line_to_cut_at_goes_through_one_pass() {
        let det = Detector::new(&Config::default());
        let text = "Sources said so. ".repeat(1000);
        assert_eq!(cut_points(&text, &even(text.len(), 4)), [0, text.len()]);
        assert_eq!(grammar_findings(&det, &text, &even(text.len(), 4)), None);
        assert_eq!(det.detect(&text).len(), 1000);
    }

    const SENTENCES: &[&str] = &[
        "An unnamed official said the plan was dead.",
        "The official said it again.",
        "Officials said the talks would resume.",
        "The officials added that no date was set.",
        "A person familiar with the matter said the deal was close.",
        "The person said a sale was likely.",
        "Another said the opposite.",
        "One of them said nothing.",
        "They said the vote would be close.",
        "Sources said the minister would resign.",
        "The source, who spoke on condition of anonymity, said so.",
        "It is understood that the bid failed.",
        "Reportedly, the bid failed.",
        "The weather was fine.",
        "A spokesman declined to comment.",
        "The spokesman said the company was reviewing its options.",
        "Two diplomats told reporters the ceasefire held.",
        "The diplomats said it would last.",
        "\u{1b}]0;title\u{7}Aides said the memo was genuine.",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn chunks_find_what_one_pass_finds(
            picks in proptest::collection::vec((0..SENTENCES.len(), 0..6usize), 1..120),
            parts in 2..16usize,
            shrink: bool,
            hedges: bool,
        ) {
            let mut text = String::new();
            for (s, gap) in picks {
                text.push_str(SENTENCES[s]);
                text.push_str(["\n\n", " ", "\n", "\n \n", "\n\n\n", "\r\n\r\n"][gap]);
            }
            let det = Detector::new(&Config { hedges, ..Config::default() });
            let whole = one_pass(&det, &text);
            let targets = if shrink {
                shrinking(text.len(), parts, text.len() / (4 * parts) + 1)
            } else {
                even(text.len(), parts)
            };
            match grammar_findings(&det, &text, &targets) {
                Some(split) => prop_assert_eq!(split, whole),
                // Nowhere to cut: the detector makes one pass.
                None => prop_assert!(cut_points(&text, &targets).len() <= 2),
            }
        }
    }
}
