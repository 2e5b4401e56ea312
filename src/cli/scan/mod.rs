//! `whosaid scan`: the review's sources as lines or JSON, for scripts and CI.
//!
//! Both formats are contracts. Line: `path:line:column: severity: status: text [rule]`, one source
//! a line, with newlines and control characters in `text` escaped. JSON: one top-level array of
//! objects with at least `path`, `start`, `end`, `line`, `column`, `text`, `rule`, `severity`,
//! `status` and `note`, and `anchor`. Notes whose text was edited away (orphaned) appear only in
//! JSON, after the sources of their file, with `anchor: "orphaned"`, the quote as it was in
//! `text`, and the position where it was.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::detect::{Detector, Rule, SourceClass, Why};
use crate::review::Review;
use crate::review::verdict::{self, NeedsAction, Policy};
use crate::sanitize::escape_line;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::drafts::{drop_later, each_review_in_order, settings_reading_first, stranded_line};
use super::inputs::Inputs;
use crate::sanitize::for_terminal;

mod sarif;
pub use sarif::*;

mod github;
pub use github::*;

mod json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The article's path as given on the command line.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    /// Where the source ends (1-based; the column just after its last character).
    pub end_line: usize,
    pub end_column: usize,
    pub text: String,
    pub rule: String,
    /// `anonymous` for the sources under review (detected or marked), `unsourced` for hedges;
    /// with `--all`, `named`, `institutional`, `outlet` or `document` for the other attributions.
    pub class: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
    pub note: String,
    /// Why the detector flagged it (for the editor; not part of the line format).
    pub why: String,
    /// Mentions of the same source share a group number; null for a source only the sidecar knows.
    pub group: Option<usize>,
    /// What the text says about the source (docs/detection.md); null for a source only the
    /// sidecar knows.
    pub signals: Option<crate::detect::Signals>,
    /// `anchored`, `moved` (attached by a fuzzy match, awaiting the editor's confirmation) or
    /// `orphaned`.
    pub anchor: &'static str,
    /// The annotation's id in the sidecar; null for a source nobody has judged.
    pub id: Option<String>,
    /// What clashed when two editors' changes were merged; null when nothing did.
    pub conflict: Option<String>,
}

/// A source's [`Record`] with its strings borrowed from the review and the path; it serialises
/// exactly as the record does, field for field.
#[derive(Debug, Serialize)]
pub struct RecordRef<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
    rule: &'a str,
    class: &'static str,
    severity: &'static str,
    status: &'static str,
    note: &'a str,
    why: WhyWords<'a>,
    group: Option<usize>,
    signals: Option<crate::detect::Signals>,
    anchor: &'static str,
    id: Option<&'a str>,
    conflict: Option<&'a str>,
}

impl RecordRef<'_> {
    fn to_record(&self) -> Record {
        Record {
            path: self.path.to_owned(),
            start: self.start,
            end: self.end,
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            text: self.text.to_owned(),
            rule: self.rule.to_owned(),
            class: self.class,
            severity: self.severity,
            status: self.status,
            note: self.note.to_owned(),
            why: self.why.to_string(),
            group: self.group,
            signals: self.signals,
            anchor: self.anchor,
            id: self.id.map(str::to_owned),
            conflict: self.conflict.map(str::to_owned),
        }
    }
}

/// A source's [`Why`] in words, written into the JSON without a string of its own.
#[derive(Debug, Clone)]
struct WhyWords<'a> {
    why: &'a Why,
    text: &'a str,
    source: std::ops::Range<usize>,
}

impl std::fmt::Display for WhyWords<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.why.shown(self.text, self.source.clone()).fmt(f)
    }
}

impl Serialize for WhyWords<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Records, JSON items and lines are made a slice of this many sources at a time on the worker
/// threads: a 32 MB draft has 40,000 sources, and one thread making all of them was a tenth of a
/// whole `scan`.
const SLICE: usize = 4096;

/// The record of source `i`; `columns` is cheapest when sources come in order.
pub fn record(
    review: &Review,
    path: &str,
    columns: &mut crate::article::Columns,
    i: usize,
) -> Record {
    record_ref(review, path, columns, i).to_record()
}

/// [`record`], borrowing its strings.
pub fn record_ref<'a>(
    review: &'a Review,
    path: &'a str,
    columns: &mut crate::article::Columns,
    i: usize,
) -> RecordRef<'a> {
    let s = &review.sources[i];
    let (line, column) = columns.line_col(s.start);
    let (end_line, end_column) = columns.line_col(s.end);
    let annotation = review.annotation(i);
    RecordRef {
        path,
        start: s.start,
        end: s.end,
        line,
        column,
        end_line,
        end_column,
        text: &review.article().text()[s.start..s.end],
        rule: &s.rule,
        class: class_of_rule(&s.rule),
        severity: s.severity.as_str(),
        status: review.status(i).as_str(),
        note: annotation.map_or("", |a| a.note.as_str()),
        why: WhyWords {
            why: &s.why,
            text: review.article().text(),
            source: s.start..s.end,
        },
        group: s.group,
        signals: s.signals,
        anchor: review.anchor_state(i).as_str(),
        id: annotation.map(|a| a.id.as_str()),
        conflict: annotation.and_then(|a| a.conflict.as_deref()),
    }
}

/// One record per source, in document order.
pub fn records(review: &Review, path: &str) -> Vec<Record> {
    let slices = slices(review.sources.len());
    let cursors = slice_cursors(review, &slices);
    let parts: Vec<Vec<Record>> = slices
        .into_par_iter()
        .zip(cursors)
        .map(|(slice, mut at)| slice.map(|i| record(review, path, &mut at, i)).collect())
        .collect();
    parts.into_iter().flatten().collect()
}

/// A column cursor for each slice of sources, standing at the slice's first source: made in
/// one pass in order, so the thread of each slice counts only its own slice's characters. A
/// fresh cursor counted from the start of the slice's line, and on a draft that is one 50 MB
/// line, slice after slice counted most of the draft again.
pub fn slice_cursors<'a>(
    review: &'a Review,
    slices: &[std::ops::Range<usize>],
) -> Vec<crate::article::Columns<'a>> {
    let mut at = review.article().columns();
    slices
        .iter()
        .map(|slice| {
            if let Some(s) = review.sources.get(slice.start) {
                at.line_col(s.start);
            }
            at.clone()
        })
        .collect()
}

/// One record per orphaned note: the quote as it was, at the position where it was (clamped to
/// the current text).
pub fn orphan_records(review: &Review, path: &str) -> Vec<Record> {
    let article = review.article();
    let len = article.text().len();
    let mut columns = article.columns();
    let floor = |mut i: usize| {
        i = i.min(len);
        while !article.text().is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    review
        .orphans()
        .into_iter()
        .map(|a| {
            let ann = &review.annotations[a];
            let (start, end) = (floor(ann.anchor.start), floor(ann.anchor.end));
            let (line, column) = columns.line_col(start);
            let (end_line, end_column) = columns.line_col(end);
            Record {
                path: path.to_owned(),
                start,
                end,
                line,
                column,
                end_line,
                end_column,
                text: ann.anchor.quote.clone(),
                rule: ann.origin.clone(),
                class: class_of_rule(&ann.origin),
                severity: ann.severity.as_str(),
                status: ann.status.as_str(),
                note: ann.note.clone(),
                why: "the text this note was made on was edited away".to_owned(),
                group: None,
                signals: None,
                anchor: crate::review::anchoring::AnchorState::Orphaned.as_str(),
                id: Some(ann.id.clone()),
                conflict: ann.conflict.clone(),
            }
        })
        .collect()
}

/// A source under review is anonymous, unless it is a hedge that names no source at all.
pub fn class_of_rule(rule: &str) -> &'static str {
    if rule == Rule::Hedge.as_str() {
        SourceClass::Unsourced.as_str()
    } else {
        SourceClass::Anonymous.as_str()
    }
}

/// `--all`: one record per attribution that is not under review (named, institutional, outlet,
/// document), merged into `records` in document order.
pub fn add_attributions(
    records: &mut Vec<Record>,
    review: &Review,
    detector: &Detector,
    path: &str,
) {
    let article = review.article();
    let taken: Vec<(usize, usize)> = review.sources.iter().map(|s| (s.start, s.end)).collect();
    let found = detector.attributions(article.text(), article.format(), &taken);
    if found.is_empty() {
        return;
    }
    let mut columns = article.columns();
    records.extend(found.into_iter().map(|a| {
        let (line, column) = columns.line_col(a.start);
        let (end_line, end_column) = columns.line_col(a.end);
        Record {
            path: path.to_owned(),
            start: a.start,
            end: a.end,
            line,
            column,
            end_line,
            end_column,
            text: article.text()[a.start..a.end].to_owned(),
            rule: a.class.rule().to_owned(),
            class: a.class.as_str(),
            severity: "none",
            status: a.class.as_str(),
            note: String::new(),
            why: a.why,
            group: None,
            signals: None,
            anchor: crate::review::anchoring::AnchorState::Anchored.as_str(),
            id: None,
            conflict: None,
        }
    }));
    records.sort_by_key(|r| r.start);
}

pub fn write_lines(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    for r in records {
        write_line(
            out,
            &escape_line(&r.path),
            (r.line, r.column),
            (r.severity, r.status),
            &r.text,
            &r.rule,
        )?;
    }
    Ok(())
}

/// One line of the line format, the contract the module's head states; `path` is escaped
/// already, `text` and `rule` are escaped here.
fn write_line(
    out: &mut impl Write,
    path: &str,
    (line, column): (usize, usize),
    (severity, status): (&str, &str),
    text: &str,
    rule: &str,
) -> io::Result<()> {
    // Pieces written one after another rather than through `writeln!`, whose formatting
    // machinery cost more than the rest of a line (40,000 lines in a dense 32 MB draft); each
    // separator is its own call, a copy of known length, where a loop over the pieces made every
    // one a call to `memcpy`.
    let mut numbers = (itoa::Buffer::new(), itoa::Buffer::new());
    out.write_all(path.as_bytes())?;
    out.write_all(b":")?;
    out.write_all(numbers.0.format(line).as_bytes())?;
    out.write_all(b":")?;
    out.write_all(numbers.1.format(column).as_bytes())?;
    out.write_all(b": ")?;
    out.write_all(severity.as_bytes())?;
    out.write_all(b": ")?;
    out.write_all(status.as_bytes())?;
    out.write_all(b": ")?;
    out.write_all(escape_line(text).as_bytes())?;
    out.write_all(b" [")?;
    out.write_all(escape_line(rule).as_bytes())?;
    out.write_all(b"]\n")
}

/// A source as CI sees it: its record, the verdict on it, why, and a fingerprint of its text and
/// surroundings (never its offsets, which every edit above it changes).
#[derive(Debug, Clone)]
pub struct Judged {
    pub record: Record,
    pub needs: Option<NeedsAction>,
    pub why: String,
    pub fingerprint: String,
}

/// Every source of a review with its verdict under `policy`.
pub fn judged(review: &Review, path: &str, policy: &Policy) -> Vec<Judged> {
    let article = review.article();
    records(review, path)
        .into_iter()
        .zip(verdict::of_review(review, policy))
        .map(|(record, needs)| {
            let why = needs
                .as_ref()
                .map_or_else(String::new, |n| n.why(review.scale()));
            let context = format!(
                "{}\u{1f}{}\u{1f}{}",
                article.context_before(record.start, crate::review::CONTEXT_CHARS),
                record.text,
                article.context_after(record.end, crate::review::CONTEXT_CHARS)
            );
            let fingerprint = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(context.as_bytes()));
            Judged {
                record,
                needs,
                why,
                fingerprint,
            }
        })
        .collect()
}

/// The level a source that needs action gets in CI: a disputed source or a conflict is an
/// error; the rest warnings, or notes when the detector thought it of low severity.
fn level(j: &Judged) -> Option<&'static str> {
    let needs = j.needs.as_ref()?;
    Some(if needs.is_error() {
        "error"
    } else if j.record.severity == "low" {
        "note"
    } else {
        "warning"
    })
}

/// The records of one draft as the items of a pretty JSON array, without its brackets, in parts
/// made on the worker threads: what [`write_json`] writes between `[` and `]` for them is the
/// parts joined with `,`, so the parts of many drafts joined the same way make the same document
/// as all their records written at once.
pub fn json_items(records: &[Record]) -> Vec<Vec<u8>> {
    records
        .par_chunks(SLICE)
        .map(|slice| {
            // Writing to memory cannot fail, and records always serialise.
            let whole = serde_json::to_vec_pretty(slice).unwrap_or_default();
            // "[\n" … "\n]"
            whole[2..whole.len() - 2].to_vec()
        })
        .collect()
}

/// [`json_items`] of a review's sources, made without copying their strings: each record
/// borrows from the review and is written as soon as it is made.
pub fn source_json_items(review: &Review, path: &str) -> Vec<Vec<u8>> {
    let writer = json::ItemWriter::new(path);
    let slices = slices(review.sources.len());
    let cursors = slice_cursors(review, &slices);
    slices
        .into_par_iter()
        .zip(cursors)
        .map(|(slice, at)| {
            // Room for a typical record's 700 bytes, so the buffer is not copied as it grows.
            let mut whole = Vec::with_capacity(slice.len() * 768);
            source_json_slice(&mut whole, review, path, &writer, slice, at);
            whole
        })
        .collect()
}

/// Appends the JSON items of sources `slice` (see [`json_items`]); `at` is a cursor at or before
/// its first source.
fn source_json_slice(
    out: &mut Vec<u8>,
    review: &Review,
    path: &str,
    writer: &json::ItemWriter,
    slice: std::ops::Range<usize>,
    mut at: crate::article::Columns,
) {
    let first = slice.start;
    for i in slice {
        prefetch_ahead(review, i);
        writer.write(out, &record_ref(review, path, &mut at, i), i == first);
    }
}

/// How many sources ahead of the one being written their text is asked for (see
/// [`crate::article::Article::prefetch`]): a line takes a few hundred nanoseconds to write,
/// longer than the text takes to arrive from memory.
const PREFETCH_AHEAD: usize = 4;

/// Asks for the text that writing source `i + PREFETCH_AHEAD` will read.
#[inline]
fn prefetch_ahead(review: &Review, i: usize) {
    if let Some(ahead) = review.sources.get(i + PREFETCH_AHEAD) {
        review.article().prefetch(ahead.start);
    }
}

/// `0..n` in slices of [`SLICE`]: the sources one worker-thread task takes.
pub fn slices(n: usize) -> Vec<std::ops::Range<usize>> {
    (0..n)
        .step_by(SLICE)
        .map(|start| start..(start + SLICE).min(n))
        .collect()
}

/// The line format of `records`, in parts made on the worker threads.
pub fn line_parts(records: &[Record]) -> Vec<Vec<u8>> {
    records
        .par_chunks(SLICE)
        .map(|slice| {
            let mut text = Vec::new();
            // Writing to memory cannot fail.
            let _ = write_lines(&mut text, slice);
            text
        })
        .collect()
}

/// The line format of a review's sources, as [`line_parts`] writes their records, in parts made
/// a slice of sources at a time on the worker threads. No record is made: a line needs none of
/// the strings a record copies.
pub fn source_lines(review: &Review, path: &str, columns: Columns) -> Vec<Vec<u8>> {
    let path = escape_line(path);
    let slices = slices(review.sources.len());
    let cursors = slice_cursors(review, &slices);
    slices
        .into_par_iter()
        .zip(cursors)
        .map(|(slice, at)| {
            let mut out = Vec::with_capacity(slice.len() * 96);
            source_lines_slice(&mut out, review, &path, columns, slice, at);
            out
        })
        .collect()
}

/// Appends the lines of sources `slice` (see [`source_lines`]); `path` is escaped already, and
/// `at` is a cursor at or before the slice's first source.
fn source_lines_slice(
    out: &mut Vec<u8>,
    review: &Review,
    path: &str,
    columns: Columns,
    slice: std::ops::Range<usize>,
    mut at: crate::article::Columns,
) {
    let article = review.article();
    for i in slice {
        prefetch_ahead(review, i);
        let s = &review.sources[i];
        let (line, mut column) = at.line_col(s.start);
        if columns == Columns::Bytes {
            column = article.byte_column(line, s.start);
        }
        write_source_line(out, review, path, i, line, column);
    }
}

/// Drafts with more sources than this have their JSON made as the output goes out, a few
/// slices at a time into buffers used again and again, rather than all at once: a 32 MB draft's
/// JSON is 28 MB, and memory a process has not touched before costs it a page fault and the
/// kernel's zeroing (half a millisecond a megabyte, a tenth of the whole scan). Smaller drafts,
/// as in an archive, are made whole on the threads that open them. Lines are always made whole:
/// they are a tenth of the size, and streaming them measured no faster while it keeps each large
/// draft's review until its turn to print.
const STREAM_FROM: usize = 2 * SLICE;

/// Sources a streamed buffer holds: about 350 KB of JSON.
const STREAM_SLICE: usize = 512;

/// A large draft whose JSON is made as it is written (see [`STREAM_FROM`]).
struct Streamed {
    review: Review,
    path: String,
}

impl Streamed {
    fn write(&self, out: &mut impl Write, json: &mut JsonArray) -> io::Result<()> {
        let review = &self.review;
        let n = review.sources.len();
        let slices: Vec<_> = (0..n)
            .step_by(STREAM_SLICE)
            .map(|start| start..(start + STREAM_SLICE).min(n))
            .collect();
        let cursors = slice_cursors(review, &slices);
        let writer = json::ItemWriter::new(&self.path);
        stream(
            slices.len(),
            |k, buf| {
                let (slice, at) = (slices[k].clone(), cursors[k].clone());
                source_json_slice(buf, review, &self.path, &writer, slice, at);
            },
            |part| json.item(out, part),
        )
    }
}

/// Writes the output of `parts` parts in order, part `k` made by `format(k, buffer)`: the worker
/// threads fill the buffers of the next few parts while this thread writes the ones before.
fn stream(
    parts: usize,
    format: impl Fn(usize, &mut Vec<u8>) + Sync,
    mut write: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let order: Vec<usize> = (0..parts).collect();
    let fill = |bufs: &mut Vec<Vec<u8>>, wave: &[usize]| {
        bufs.resize_with(wave.len(), Vec::new);
        bufs.par_iter_mut().zip(wave).for_each(|(buf, &k)| {
            buf.clear();
            format(k, buf);
        });
    };
    let mut waves = order.chunks(2 * rayon::current_num_threads().max(1));
    let (mut ready, mut next) = (Vec::new(), Vec::new());
    if let Some(first) = waves.next() {
        fill(&mut ready, first);
    }
    for upcoming in waves {
        let mut written = Ok(());
        // In place: this thread (which holds the locked standard output) writes while the
        // worker threads make the next wave.
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| fill(&mut next, upcoming));
            written = ready.iter().try_for_each(|part| write(part));
        });
        written?;
        std::mem::swap(&mut ready, &mut next);
    }
    ready.iter().try_for_each(|part| write(part))
}

/// The one JSON array a run prints, its items written as they come.
#[derive(Default)]
struct JsonArray {
    started: bool,
}

impl JsonArray {
    /// Writes items made by [`json_items`], after the bracket or a comma.
    fn item(&mut self, out: &mut impl Write, part: &[u8]) -> io::Result<()> {
        out.write_all(self.separator())?;
        out.write_all(part)
    }

    /// What goes before the next item: the bracket, then commas.
    fn separator(&mut self) -> &'static [u8] {
        let before: &'static [u8] = if self.started { b",\n" } else { b"[\n" };
        self.started = true;
        before
    }

    fn finish(self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}

/// The parts of many small drafts' output, held until about a megabyte has gathered and then
/// written straight from the buffers the worker threads made them in, a thousand to a system
/// call: copied into the output buffer one by one instead, the 45 MB of JSON of an archive of
/// ten thousand stories kept the printing thread busy while the other threads had finished.
#[derive(Default)]
struct Batch {
    /// Each part with what goes before it (a JSON array's comma).
    parts: Vec<(&'static [u8], Vec<u8>)>,
    bytes: usize,
}

impl Batch {
    const FULL: usize = 1 << 20;

    /// Whether adding `part` fills the batch, so that it is written.
    fn full_with(&self, part: &[u8]) -> bool {
        self.bytes + 2 + part.len() >= Self::FULL
    }

    fn push(
        &mut self,
        out: &mut impl Write,
        before: &'static [u8],
        part: Vec<u8>,
    ) -> io::Result<()> {
        self.bytes += before.len() + part.len();
        self.parts.push((before, part));
        if self.bytes >= Self::FULL {
            self.write(out)?;
        }
        Ok(())
    }

    /// Writes what has gathered, in order.
    fn write(&mut self, out: &mut impl Write) -> io::Result<()> {
        let mut slices: Vec<io::IoSlice> = self
            .parts
            .iter()
            .flat_map(|(before, part)| [io::IoSlice::new(before), io::IoSlice::new(part)])
            .filter(|s| !s.is_empty())
            .collect();
        write_all_vectored(out, &mut slices)?;
        self.parts.clear();
        self.bytes = 0;
        Ok(())
    }
}

/// Writes every byte of `slices`, at most [`IOV_MAX`] of them a call (`Write::write_all_vectored`
/// is not stable yet).
fn write_all_vectored(out: &mut impl Write, mut slices: &mut [io::IoSlice]) -> io::Result<()> {
    /// The most buffers one `writev` takes on Linux and the BSDs.
    const IOV_MAX: usize = 1024;
    while !slices.is_empty() {
        let n = slices.len().min(IOV_MAX);
        match out.write_vectored(&slices[..n]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => io::IoSlice::advance_slices(&mut slices, written),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Writes source `i`'s line as [`write_lines`] writes its record; `path` is escaped already.
pub fn write_source_line(
    out: &mut Vec<u8>,
    review: &Review,
    path: &str,
    i: usize,
    line: usize,
    column: usize,
) {
    let s = &review.sources[i];
    // Writing to memory cannot fail.
    let _ = write_line(
        out,
        path,
        (line, column),
        (s.severity.as_str(), review.status(i).as_str()),
        &review.article().text()[s.start..s.end],
        &s.rule,
    );
}

/// Joins the parts [`json_items`] made into one pretty JSON array, as [`write_json`] writes it.
pub fn write_json_parts(out: &mut impl Write, parts: &[Vec<u8>]) -> io::Result<()> {
    let mut json = JsonArray::default();
    for part in parts {
        json.item(out, part)?;
    }
    json.finish(out)
}

pub fn write_json(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, records)?;
    writeln!(out)
}

/// What the line format's column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Columns {
    /// Characters (Unicode scalar values), as the JSON's `column`
    Chars,
    /// Bytes, as vim's errorformat `%c` counts
    Bytes,
}

/// How `scan` lists: with the other attributions or not, and its columns.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub all: bool,
    pub columns: Columns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// path:line:column: severity: status: text [rule]
    Line,
    /// One JSON array of objects
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions annotations (::warning file=...)
    Github,
}

/// One draft's part of the output. Lines and JSON are formatted on the worker threads, so the
/// one thread that prints only copies bytes; SARIF and GitHub's per-level limits need every
/// draft.
enum Found {
    /// The draft's records as they appear inside the JSON array, in parts; the printing thread
    /// only joins them.
    Json(Vec<Vec<u8>>),
    Streamed(Box<Streamed>),
    Judged(Vec<Judged>),
    Text(Vec<Vec<u8>>),
}

/// What `scan` prints for one draft's review.
fn found(
    file: &Path,
    review: Review,
    settings: &super::drafts::Settings,
    format: Format,
    options: Options,
) -> Found {
    let Options { all, columns } = options;
    let path = file.to_string_lossy();
    match format {
        Format::Github | Format::Sarif => {
            return Found::Judged(judged(&review, &path, &settings.resolved.policy));
        }
        // A review with annotations also holds its sidecar as read and as last saved: its
        // records are copied out and it is let go before formatting, which keeps a fully
        // judged draft's peak memory within three times its inputs. Without annotations (and
        // so without orphaned notes), the records borrow from it.
        Format::Json if !all && review.annotations.is_empty() => {
            if review.sources.len() > STREAM_FROM {
                let path = path.into_owned();
                return Found::Streamed(Box::new(Streamed { review, path }));
            }
            let items = source_json_items(&review, &path);
            drop_later(review);
            return Found::Json(items);
        }
        Format::Json => {
            let mut found = records(&review, &path);
            if all {
                add_attributions(&mut found, &review, &settings.detector, &path);
            }
            found.extend(orphan_records(&review, &path));
            // The draft's text and sources are not needed to format the records.
            drop(review);
            let items = json_items(&found);
            drop_later(found);
            return Found::Json(items);
        }
        Format::Line => {}
    }
    if !all {
        let text = source_lines(&review, &path, columns);
        drop_later(review);
        return Found::Text(text);
    }
    let mut found = records(&review, &path);
    add_attributions(&mut found, &review, &settings.detector, &path);
    if columns == Columns::Bytes {
        let article = review.article();
        for r in &mut found {
            r.column = article.byte_column(r.line, r.start);
        }
    }
    let text = line_parts(&found);
    drop_later((found, review));
    Found::Text(text)
}

/// `whosaid scan`: every draft's sources, merged with its sidecar, in one format.
pub fn run(
    explicit: Option<&Path>,
    inputs: &Inputs,
    format: Format,
    options: Options,
) -> Result<ExitCode> {
    if options.all && matches!(format, Format::Sarif | Format::Github) {
        anyhow::bail!(
            "--all works with --format line or json: SARIF and GitHub annotations list only the \
             sources to review"
        );
    }
    for sidecar in &inputs.stranded {
        eprintln!("whosaid: {}", for_terminal(&stranded_line(sidecar)));
    }
    let (settings, first) = settings_reading_first(explicit, &inputs.drafts)?;
    let stdout = std::io::stdout();
    // Standard output is line-buffered: a JSON document or a long list would be a write call a
    // line (a million for a large archive). One buffer, flushed at the end.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut json = JsonArray::default();
    let mut judged = Vec::new();
    let mut failed = false;
    let mut written = Ok(());
    let mut batch = Batch::default();
    each_review_in_order(
        &inputs.drafts,
        &settings,
        first,
        |file, review, settings| found(file, review, settings, format, options),
        |outcome| match outcome {
            Ok(Found::Json(parts) | Found::Text(parts)) => {
                for part in parts {
                    // JSON items go inside one array; lines follow one another.
                    let before = match format {
                        Format::Json => json.separator(),
                        _ => b"",
                    };
                    // Output of a megabyte or more goes through a wider pipe, asked for before
                    // it is written.
                    if batch.full_with(&part) {
                        crate::files::widen_pipe(out.get_ref());
                    }
                    written = std::mem::replace(&mut written, Ok(()))
                        .and_then(|()| batch.push(&mut out, before, part));
                }
            }
            Ok(Found::Streamed(streamed)) => {
                crate::files::widen_pipe(out.get_ref());
                written = std::mem::replace(&mut written, Ok(()))
                    .and_then(|()| batch.write(&mut out))
                    .and_then(|()| streamed.write(&mut out, &mut json));
                drop_later(streamed);
            }
            Ok(Found::Judged(found)) => judged.extend(found),
            Err(err) => {
                eprintln!("whosaid: {}", for_terminal(&format!("{err:#}")));
                failed = true;
            }
        },
    );
    written = written.and_then(|()| batch.write(&mut out));
    let written = written.and_then(|()| match format {
        Format::Json => json.finish(&mut out),
        // One run has one set of rules: the first draft's config names their help page.
        Format::Sarif => write_sarif(
            &mut out,
            &judged,
            settings
                .first()
                .and_then(|s| s.resolved.config.standards_uri.as_deref()),
        ),
        Format::Github => {
            // GitHub names the step summary's file; the full list goes there too.
            let mut summary = std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|p| !p.is_empty())
                .and_then(|p| {
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(p)
                        .ok()
                });
            write_github(
                &mut out,
                &judged,
                &inputs.stranded,
                summary.as_mut().map(|f| f as &mut dyn Write),
            )
        }
        Format::Line => Ok(()),
    });
    match written.and_then(|()| out.flush()) {
        Ok(()) => {}
        // A closed pipe (`whosaid scan … | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write output"),
    }
    // The detector's lexicon is tens of thousands of allocations, freed on the way out of a
    // command that has otherwise finished.
    drop_later(settings);
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Each draft's items formatted on its own and joined make the document all the records
    /// written at once make, byte for byte, drafts without records included, and so do the
    /// lines of a draft with more sources than one slice; items made from the review without
    /// records are the same.
    #[test]
    fn json_parts_joined_equal_the_whole_document() {
        let detector = Detector::new(&Config::default());
        let many = "Officials said the port would close.\n\n".repeat(SLICE * 2 + 17);
        let texts = [
            many.as_str(),
            "Sources said the port would close. A senior official said no.\n",
            "Nothing to see here.\n",
            "People familiar with the talks said the deal was off.\n",
        ];
        let mut all = Vec::new();
        let mut parts = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            let path = format!("d{n}.md");
            let article = crate::article::Article::new(Path::new(&path), (*text).to_owned());
            let empty = Ok((
                crate::sidecar::SidecarFile::empty(),
                crate::sidecar::OnDisk::Missing,
            ));
            let (review, _) = Review::open(article, detector.detect(text), empty);
            let records = records(&review, &path);
            // Borrowed from the review, the items are the records' own, byte for byte.
            assert_eq!(source_json_items(&review, &path), json_items(&records));
            parts.extend(json_items(&records));
            let mut lines = Vec::new();
            write_lines(&mut lines, &records).unwrap();
            assert_eq!(line_parts(&records).concat(), lines);
            all.extend(records);
        }
        assert!(all.len() > 2 * SLICE, "{} records", all.len());
        let (mut whole, mut joined) = (Vec::new(), Vec::new());
        write_json(&mut whole, &all).unwrap();
        write_json_parts(&mut joined, &parts).unwrap();
        assert_eq!(
            String::from_utf8(joined).unwrap(),
            String::from_utf8(whole).unwrap()
        );
        let (mut none, mut empty) = (Vec::new(), Vec::new());
        write_json(&mut none, &[]).unwrap();
        write_json_parts(&mut empty, &[]).unwrap();
        assert_eq!(none, empty);
    }

    /// Each slice's cursor stands at its first source, as a cursor walked there from the start
    /// says, on a draft that is one long line with wide characters (where a fresh cursor per
    /// slice counted the line again from its start) and on one of many lines.
    #[test]
    fn slice_cursors_stand_at_each_slices_first_source() {
        let detector = Detector::new(&Config::default());
        for sentence in [
            "Officials said 日本 closed. ",
            "Officials said it closed.\n",
        ] {
            let text = sentence.repeat(2 * SLICE + 100);
            let article = crate::article::Article::new(Path::new("d.md"), text.clone());
            let empty = Ok((
                crate::sidecar::SidecarFile::empty(),
                crate::sidecar::OnDisk::Missing,
            ));
            let (review, _) = Review::open(article, detector.detect(&text), empty);
            let slices = slices(review.sources.len());
            assert!(slices.len() >= 3, "{} slices", slices.len());
            let cursors = slice_cursors(&review, &slices);
            assert_eq!(cursors.len(), slices.len());
            for (slice, mut at) in slices.into_iter().zip(cursors) {
                let start = review.sources[slice.start].start;
                assert_eq!(at.line_col(start), review.article().line_col(start));
            }
        }
    }

    /// A large draft's JSON made as it is written is the JSON made whole, byte for byte, over a
    /// number of sources that is not a whole number of buffers or waves.
    #[test]
    fn streamed_output_is_the_output_made_whole() {
        let detector = Detector::new(&Config::default());
        let text =
            "Officials said the port would close.\n\n".repeat(STREAM_FROM + 3 * STREAM_SLICE + 5);
        let path = "d\"1\u{1b}.md";
        let article = crate::article::Article::new(Path::new(path), text.clone());
        let empty = Ok((
            crate::sidecar::SidecarFile::empty(),
            crate::sidecar::OnDisk::Missing,
        ));
        let (review, _) = Review::open(article, detector.detect(&text), empty);
        assert!(review.sources.len() > STREAM_FROM);
        let streamed = Streamed {
            review,
            path: path.to_owned(),
        };
        let (mut whole, mut made) = (Vec::new(), Vec::new());
        write_json_parts(&mut whole, &source_json_items(&streamed.review, path)).unwrap();
        let mut json = JsonArray::default();
        streamed.write(&mut made, &mut json).unwrap();
        json.finish(&mut made).unwrap();
        assert_eq!(
            String::from_utf8(made).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }

    /// Lines made straight from the review are the lines of its records, in both column
    /// counts: over more sources than one slice, with a judged source, text the terminal must
    /// not see raw, wide and combining characters and a path that needs escaping.
    #[test]
    fn source_lines_are_the_records_lines() {
        let detector = Detector::new(&Config::default());
        let mut text = "Officials said the port would close.\n\n".repeat(SLICE + 9);
        text.push_str(
            "\u{1b}[31mSources\u{1b}[0m said so. 日本 officials said no.\r\n\
             A cafe\u{301} source said yes. People familiar\nwith the talks\u{7}\tagreed.\n",
        );
        let path = "dir/d\u{1b}[2J.md";
        let article = crate::article::Article::new(Path::new(path), text.clone());
        let empty = Ok((
            crate::sidecar::SidecarFile::empty(),
            crate::sidecar::OnDisk::Missing,
        ));
        let (mut review, _) = Review::open(article, detector.detect(&text), empty);
        let last = review.sources.len() - 1;
        let stamp = crate::review::Stamp::now("ed");
        assert!(review.set_status(last, crate::judgement::Status::Verified, &stamp));
        let mut records = records(&review, path);
        assert!(records.len() > SLICE, "{} records", records.len());
        assert_eq!(
            String::from_utf8(source_lines(&review, path, Columns::Chars).concat()).unwrap(),
            String::from_utf8(line_parts(&records).concat()).unwrap()
        );
        for r in &mut records {
            r.column = r.start - review.article().line_range(r.line - 1).start + 1;
        }
        assert_eq!(
            String::from_utf8(source_lines(&review, path, Columns::Bytes).concat()).unwrap(),
            String::from_utf8(line_parts(&records).concat()).unwrap()
        );
    }

    /// A writer that takes at most a few bytes a call, as a pipe may: the batch still writes
    /// every part, with its separator, once and in order.
    #[test]
    fn a_batch_survives_short_writes() {
        struct Trickle(Vec<u8>);
        impl Write for Trickle {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                let n = buf.len().min(7);
                self.0.extend_from_slice(&buf[..n]);
                Ok(n)
            }
            fn write_vectored(&mut self, bufs: &[io::IoSlice]) -> io::Result<usize> {
                let first = bufs
                    .iter()
                    .find(|b| !b.is_empty())
                    .map_or(&[][..], |b| &b[..]);
                self.write(first)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Trickle(Vec::new());
        let mut json = JsonArray::default();
        let mut batch = Batch::default();
        let mut expected = Vec::new();
        for n in 0..2000 {
            let part = format!("{{\"n\": {n}}}").into_bytes();
            let before = json.separator();
            expected.extend_from_slice(before);
            expected.extend_from_slice(&part);
            // Now and then a part big enough to send the batch out on its own.
            let part = if n % 500 == 7 {
                let big = vec![b' '; Batch::FULL];
                expected.extend_from_slice(&big);
                [part, big].concat()
            } else {
                part
            };
            batch.push(&mut out, before, part).unwrap();
        }
        batch.write(&mut out).unwrap();
        assert_eq!(out.0.len(), expected.len());
        assert!(out.0 == expected, "the bytes differ");
    }
}
