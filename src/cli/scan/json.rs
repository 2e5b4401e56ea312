//! A source's JSON object, written field by field. serde_json's pretty printer reached every key,
//! separator and indent through generic calls and scanned each key for characters to escape:
//! 1.5 µs a source, a fifth of a 32 MB `scan --format json`. The layout here is the pretty
//! printer's (two spaces an indent, `": "`, the record's field order), strings still go through
//! serde_json's own escaping, and a test holds the bytes to what serde_json writes for records of
//! every kind.

use serde::Serialize;

use super::RecordRef;
use crate::detect::Signals;

/// Writes sources' objects as the items of a pretty JSON array: `  {` … `  }`, separated by
/// `,\n`, without the brackets.
pub struct ItemWriter {
    /// The path, escaped once for every object.
    path: Vec<u8>,
}

impl ItemWriter {
    pub fn new(path: &str) -> Self {
        Self {
            path: escaped(&path),
        }
    }

    /// Appends `r`'s object; `first` leaves out the separator before it. `r.path` is not read:
    /// every object has the path given to [`ItemWriter::new`].
    pub fn write(&self, out: &mut Vec<u8>, r: &RecordRef, first: bool) {
        if !first {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"  {\n    \"path\": ");
        out.extend_from_slice(&self.path);
        for (key, n) in [
            (&b",\n    \"start\": "[..], r.start),
            (b",\n    \"end\": ", r.end),
            (b",\n    \"line\": ", r.line),
            (b",\n    \"column\": ", r.column),
            (b",\n    \"end_line\": ", r.end_line),
            (b",\n    \"end_column\": ", r.end_column),
        ] {
            number(out, key, n);
        }
        for (key, text) in [
            (&b",\n    \"text\": "[..], r.text),
            (b",\n    \"rule\": ", r.rule),
            (b",\n    \"class\": ", r.class),
            (b",\n    \"severity\": ", r.severity),
            (b",\n    \"status\": ", r.status),
            (b",\n    \"note\": ", r.note),
        ] {
            out.extend_from_slice(key);
            value(out, text);
        }
        out.extend_from_slice(b",\n    \"why\": ");
        value(out, &r.why);
        match r.group {
            Some(g) => number(out, b",\n    \"group\": ", g),
            None => out.extend_from_slice(b",\n    \"group\": null"),
        }
        out.extend_from_slice(b",\n    \"signals\": ");
        match &r.signals {
            Some(s) => signals(out, s),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\n    \"anchor\": ");
        value(out, r.anchor);
        out.extend_from_slice(b",\n    \"id\": ");
        optional(out, r.id);
        out.extend_from_slice(b",\n    \"conflict\": ");
        optional(out, r.conflict);
        out.extend_from_slice(b"\n  }");
    }
}

fn signals(out: &mut Vec<u8>, s: &Signals) {
    out.extend_from_slice(b"{\n      \"specificity\": ");
    value(out, &s.specificity);
    for (key, on) in [
        (&b",\n      \"reason_stated\": "[..], s.reason_stated),
        (b",\n      \"reason_boilerplate\": ", s.reason_boilerplate),
        (b",\n      \"direct_quote\": ", s.direct_quote),
        (b",\n      \"plural\": ", s.plural),
        (b",\n      \"document\": ", s.document),
        (b",\n      \"declined_to_comment\": ", s.declined_to_comment),
    ] {
        out.extend_from_slice(key);
        out.extend_from_slice(if on { b"true" } else { b"false" });
    }
    out.extend_from_slice(b"\n    }");
}

fn number(out: &mut Vec<u8>, key: &[u8], n: usize) {
    out.extend_from_slice(key);
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => value(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A value as serde_json writes it on one line: a string quoted and escaped, an enum by its
/// serialised name.
fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing to memory cannot fail, and these values always serialise.
    let _ = serde_json::to_writer(&mut *out, v);
}

fn escaped<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value(&mut out, v);
    out
}

#[cfg(test)]
mod tests {
    use super::super::WhyWords;
    use super::*;
    use crate::detect::why::{Cue, Facts, Why, Words};
    use crate::detect::{Signals, Specificity};
    use proptest::prelude::*;

    /// What serde_json's pretty printer writes for `records` as one array, brackets taken off.
    fn serde_items(records: &[RecordRef]) -> String {
        let whole = serde_json::to_string_pretty(records).unwrap();
        whole[2..whole.len() - 2].to_owned()
    }

    fn written(path: &str, records: &[RecordRef]) -> String {
        let w = ItemWriter::new(path);
        let mut out = Vec::new();
        for (i, r) in records.iter().enumerate() {
            w.write(&mut out, r, i == 0);
        }
        String::from_utf8(out).unwrap()
    }

    /// Strings with everything JSON escapes or could trip on: quotes, backslashes, controls,
    /// DEL, the line and paragraph separators, wide and combining characters.
    fn awkward() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('\n'),
                Just('\t'),
                Just('\u{1b}'),
                Just('\u{0}'),
                Just('\u{7f}'),
                Just('\u{2028}'),
                Just('\u{2029}'),
                Just('日'),
                Just('\u{301}'),
                Just('/'),
                proptest::char::range('a', 'z'),
                proptest::char::any(),
            ],
            0..24,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn specificity() -> impl Strategy<Value = Specificity> {
        prop_oneof![
            Just(Specificity::Bare),
            Just(Specificity::GenericRole),
            Just(Specificity::AffiliatedRole),
            Just(Specificity::RoleWithAccess),
        ]
    }

    fn signals() -> impl Strategy<Value = Signals> {
        (specificity(), proptest::collection::vec(any::<bool>(), 6)).prop_map(|(specificity, b)| {
            Signals {
                specificity,
                reason_stated: b[0],
                reason_boilerplate: b[1],
                direct_quote: b[2],
                plural: b[3],
                document: b[4],
                declined_to_comment: b[5],
            }
        })
    }

    /// The strings and numbers a record borrows or holds.
    #[derive(Debug, Clone)]
    struct Owned {
        path: String,
        text: String,
        rule: String,
        note: String,
        id: Option<String>,
        conflict: Option<String>,
        numbers: Vec<usize>,
        group: Option<usize>,
        signals: Option<Signals>,
    }

    fn owned() -> impl Strategy<Value = Owned> {
        (
            (awkward(), awkward(), awkward(), awkward()),
            (
                proptest::option::of(awkward()),
                proptest::option::of(awkward()),
            ),
            proptest::collection::vec(
                prop_oneof![Just(0usize), Just(usize::MAX), any::<usize>()],
                6,
            ),
            proptest::option::of(any::<usize>()),
            proptest::option::of(signals()),
        )
            .prop_map(
                |((path, text, rule, note), (id, conflict), numbers, group, signals)| Owned {
                    path,
                    text,
                    rule,
                    note,
                    id,
                    conflict,
                    numbers,
                    group,
                    signals,
                },
            )
    }

    fn record<'a>(o: &'a Owned, why: &'a Why) -> RecordRef<'a> {
        RecordRef {
            path: &o.path,
            start: o.numbers[0],
            end: o.numbers[1],
            line: o.numbers[2],
            column: o.numbers[3],
            end_line: o.numbers[4],
            end_column: o.numbers[5],
            text: &o.text,
            rule: &o.rule,
            class: "anonymous",
            severity: "medium",
            status: "untagged",
            note: &o.note,
            why: WhyWords {
                why,
                text: &o.text,
                source: 0..o.text.len(),
            },
            group: o.group,
            signals: o.signals,
            anchor: "anchored",
            id: o.id.as_deref(),
            conflict: o.conflict.as_deref(),
        }
    }

    proptest! {
        /// Objects written here are serde_json's pretty printer's, byte for byte, one or many
        /// (fails if a key, a separator or an indent differs, or a string is escaped otherwise).
        #[test]
        fn objects_are_serde_jsons_bytes(sources in proptest::collection::vec(owned(), 1..4)) {
            let path = sources[0].path.clone();
            let whys: Vec<Why> = sources
                .iter()
                .map(|o| Why::Phrase {
                    head: Words::within(0, 0, o.text.len()),
                    described: o.group.map(|_| 1),
                    facts: Facts { cue: Cue::Verb, reason: Some(true), ..Facts::default() },
                })
                .collect();
            let records: Vec<RecordRef> = sources
                .iter()
                .zip(&whys)
                .map(|(o, why)| RecordRef { path: &path, ..record(o, why) })
                .collect();
            prop_assert_eq!(written(&path, &records), serde_items(&records));
        }
    }
}
