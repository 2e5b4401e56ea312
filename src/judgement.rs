//! The editor's vocabulary: statuses, reliability levels and the standards checklist.
//!
//! The strings here ("single-source", "identity-known", …) appear in sidecars and `scan` output and
//! are a contract with scripts and other editors: they never change meaning.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a source stands: untagged, dismissed, or a reliability level. The five built-in levels
/// are constants; a newsroom's own scale (from its config) adds names, interned once. The name is
/// what sidecars and `scan` output carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status(&'static str);

impl Default for Status {
    fn default() -> Self {
        Status::Untagged
    }
}

#[allow(non_upper_case_globals)]
impl Status {
    pub const Untagged: Status = Status("untagged");
    pub const Dismissed: Status = Status("dismissed");
    pub const Verified: Status = Status("verified");
    pub const Corroborated: Status = Status("corroborated");
    pub const SingleSource: Status = Status("single-source");
    pub const Unverified: Status = Status("unverified");
    pub const Disputed: Status = Status("disputed");

    /// The built-in vocabulary.
    pub const ALL: [Status; 7] = [
        Status::Untagged,
        Status::Dismissed,
        Status::Verified,
        Status::Corroborated,
        Status::SingleSource,
        Status::Unverified,
        Status::Disputed,
    ];

    /// The built-in reliability scale, in the order of its keys `1`–`5`.
    pub const LEVELS: [Status; 5] = [
        Status::Verified,
        Status::Corroborated,
        Status::SingleSource,
        Status::Unverified,
        Status::Disputed,
    ];

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// A status as written: a built-in one, or a level name of lower-case letters, digits and
    /// hyphens starting with a letter (at most 40 characters).
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(st) = Self::ALL.into_iter().find(|st| st.as_str() == s) {
            return Some(st);
        }
        is_name(s).then(|| Status(intern(s)))
    }

    /// Tagged means the editor set a reliability level.
    pub fn is_tagged(self) -> bool {
        self != Status::Untagged && self != Status::Dismissed
    }
}

/// Lower-case letters, digits and hyphens, starting with a letter, 1 to 40 characters: the shape
/// of every name whosaid writes into a sidecar.
fn is_name(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Status::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown status \"{s}\" (untagged, dismissed, or a reliability level: lower-case letters, digits and hyphens)"
            ))
        })
    }
}

/// The words a newsroom judges sources in: its checklist and reliability scale (the built-in
/// ones by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    pub questions: Questions,
    pub scale: Scale,
}

/// The reliability scale in use, in the order of the keys `1`–`9`: the built-in five, or a
/// newsroom's own from its config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale(Vec<Status>);

impl Default for Scale {
    fn default() -> Self {
        Self(Status::LEVELS.to_vec())
    }
}

impl Scale {
    /// A newsroom's levels, most reliable first; empty means the built-in scale.
    pub fn new(names: &[String]) -> Result<Self, String> {
        if names.is_empty() {
            return Ok(Self::default());
        }
        if names.len() > 9 {
            return Err(format!(
                "scale: {} levels; at most 9 (one per digit key)",
                names.len()
            ));
        }
        let mut out: Vec<Status> = Vec::new();
        for name in names {
            let st = Status::parse(name).filter(|s| s.is_tagged()).ok_or_else(|| {
                format!(
                    "scale: \"{name}\" is not a level name (lower-case letters, digits and hyphens; not untagged or dismissed)"
                )
            })?;
            if out.contains(&st) {
                return Err(format!("scale: \"{name}\" is listed twice"));
            }
            out.push(st);
        }
        Ok(Self(out))
    }

    /// The level for key `n` (1-based).
    pub fn level(&self, n: usize) -> Option<Status> {
        n.checked_sub(1).and_then(|i| self.0.get(i)).copied()
    }

    pub fn levels(&self) -> &[Status] {
        &self.0
    }

    /// Untagged, every level, then dismissed: every status a source can have.
    pub fn statuses(&self) -> Vec<Status> {
        let mut all = vec![Status::Untagged];
        all.extend(&self.0);
        all.push(Status::Dismissed);
        all
    }
}

/// One question of the standards checklist, by its key in the sidecar (`identity-known`). The six
/// built-in ones are constants; a newsroom's own come from its config and are interned once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckItem(&'static str);

/// Built-in items sort in the order an editor works through them, a newsroom's own after them by
/// key, so sidecars list answers in a stable, familiar order.
impl Ord for CheckItem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |c: &CheckItem| {
            CheckItem::ALL
                .iter()
                .position(|a| a == c)
                .unwrap_or(usize::MAX)
        };
        (rank(self), self.0).cmp(&(rank(other), other.0))
    }
}

impl PartialOrd for CheckItem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[allow(non_upper_case_globals)]
impl CheckItem {
    pub const IdentityKnown: CheckItem = CheckItem("identity-known");
    pub const ReasonStated: CheckItem = CheckItem("reason-stated");
    pub const AccessDescribed: CheckItem = CheckItem("access-described");
    pub const Corroborated: CheckItem = CheckItem("corroborated");
    pub const ResponseSought: CheckItem = CheckItem("response-sought");
    pub const FactNotOpinion: CheckItem = CheckItem("fact-not-opinion");

    /// The built-in checklist, drawn from AP, Reuters, NYT, BBC and Washington Post standards.
    pub const ALL: [CheckItem; 6] = [
        CheckItem::IdentityKnown,
        CheckItem::ReasonStated,
        CheckItem::AccessDescribed,
        CheckItem::Corroborated,
        CheckItem::ResponseSought,
        CheckItem::FactNotOpinion,
    ];

    pub fn key(self) -> &'static str {
        self.0
    }

    /// The built-in question for a built-in item; a newsroom's own questions are in [`Questions`].
    pub fn question(self) -> &'static str {
        match self {
            CheckItem::IdentityKnown => "An editor knows who the source is",
            CheckItem::ReasonStated => "The story says why anonymity was granted",
            CheckItem::AccessDescribed => "The source's access is described",
            CheckItem::Corroborated => "Corroborated (second source, document, on record)",
            CheckItem::ResponseSought => "The subject was given a chance to respond",
            CheckItem::FactNotOpinion => "It is information, not opinion or attack",
            _ => "",
        }
    }

    /// A key as written in a sidecar or a config: lower-case letters, digits and hyphens, starting
    /// with a letter, at most 40 characters.
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(item) = Self::ALL.into_iter().find(|c| c.key() == s) {
            return Some(item);
        }
        is_name(s).then(|| CheckItem(intern(s)))
    }
}

/// A `&'static str` for each distinct key, leaked once: keys are short and few (a sidecar or config
/// can only name so many before it is refused as too large).
fn intern(s: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut keys = KEYS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(k) = keys.get(s) {
        return k;
    }
    let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
    keys.insert(k);
    k
}

/// The checklist in use: the built-in six, or a newsroom's own from its config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questions(Vec<(CheckItem, String)>);

impl Default for Questions {
    fn default() -> Self {
        Self(
            CheckItem::ALL
                .iter()
                .map(|&i| (i, i.question().to_owned()))
                .collect(),
        )
    }
}

impl Questions {
    /// A newsroom's checklist as `(key, question)` pairs; empty means the built-in one.
    pub fn new(pairs: &[(String, String)]) -> Result<Self, String> {
        if pairs.is_empty() {
            return Ok(Self::default());
        }
        if pairs.len() > 12 {
            return Err(format!(
                "checklist: {} questions; at most 12 fit the screen",
                pairs.len()
            ));
        }
        let mut out: Vec<(CheckItem, String)> = Vec::new();
        for (key, question) in pairs {
            let item = CheckItem::parse(key).ok_or_else(|| {
                format!(
                    "checklist: \"{key}\" is not a key (lower-case letters, digits and hyphens)"
                )
            })?;
            if out.iter().any(|(i, _)| *i == item) {
                return Err(format!("checklist: \"{key}\" is listed twice"));
            }
            if question.trim().is_empty() {
                return Err(format!("checklist: \"{key}\" has no question"));
            }
            out.push((item, question.trim().to_owned()));
        }
        Ok(Self(out))
    }

    pub fn items(&self) -> impl Iterator<Item = CheckItem> + '_ {
        self.0.iter().map(|(i, _)| *i)
    }

    pub fn get(&self, n: usize) -> Option<(CheckItem, &str)> {
        self.0.get(n).map(|(i, q)| (*i, q.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Answer {
    #[default]
    Unknown,
    Yes,
    No,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Unknown => "unknown",
            Answer::Yes => "yes",
            Answer::No => "no",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Answer::Unknown, Answer::Yes, Answer::No]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    /// unknown → yes → no → unknown, for a single cycling key.
    pub fn cycled(self) -> Self {
        match self {
            Answer::Unknown => Answer::Yes,
            Answer::Yes => Answer::No,
            Answer::No => Answer::Unknown,
        }
    }
}

/// Answers to the checklist. Stored in the sidecar as a map from check key to answer, so the file
/// reads as `{"identity-known": "yes", …}`; only answered checks are written (a check not listed
/// is unknown), so a record carries no lines that say nothing. Answers to questions a newsroom has
/// since dropped are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Checklist(BTreeMap<CheckItem, Answer>);

impl Checklist {
    pub fn get(&self, item: CheckItem) -> Answer {
        self.0.get(&item).copied().unwrap_or_default()
    }

    pub fn set(&mut self, item: CheckItem, answer: Answer) {
        if answer == Answer::Unknown {
            self.0.remove(&item);
        } else {
            self.0.insert(item, answer);
        }
    }

    /// Every item with an answer, in key order.
    pub fn answered_items(&self) -> impl Iterator<Item = CheckItem> + '_ {
        self.0.keys().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn answered(&self) -> usize {
        self.0.len()
    }
}

impl Serialize for Checklist {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.answered()))?;
        for (item, answer) in &self.0 {
            map.serialize_entry(item.key(), answer.as_str())?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Checklist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        let mut list = Checklist::default();
        for (k, v) in raw {
            let item = CheckItem::parse(&k).ok_or_else(|| {
                D::Error::custom(format!(
                    "checklist item \"{k}\" is not a key (lower-case letters, digits and hyphens)"
                ))
            })?;
            let answer = Answer::parse(&v).ok_or_else(|| {
                D::Error::custom(format!(
                    "checklist answer for \"{k}\" must be unknown, yes or no, not \"{v}\""
                ))
            })?;
            list.set(item, answer);
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newsroom_scale_is_checked() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Scale::new(&[]).unwrap(), Scale::default());
        let own = Scale::new(&names(&["confirmed", "probable", "doubtful"])).unwrap();
        assert_eq!(own.level(2).unwrap().as_str(), "probable");
        assert_eq!(own.level(4), None);
        assert!(own.level(1).unwrap().is_tagged());
        assert!(
            Scale::new(&names(&["dismissed"]))
                .unwrap_err()
                .contains("not a level")
        );
        assert!(
            Scale::new(&names(&["Sure!"]))
                .unwrap_err()
                .contains("not a level")
        );
        assert!(
            Scale::new(&names(&["a", "a"]))
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            Scale::new(&names(&["a"; 10]))
                .unwrap_err()
                .contains("at most 9")
        );
    }

    #[test]
    fn status_strings_round_trip() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.as_str()), Some(st));
        }
        assert!(Status::SingleSource.is_tagged());
        assert!(!Status::Dismissed.is_tagged());
    }

    #[test]
    fn a_newsroom_checklist_is_checked() {
        let q = |pairs: &[(&str, &str)]| {
            Questions::new(
                &pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(q(&[]).unwrap(), Questions::default());
        let own = q(&[
            ("legal-reviewed", "Legal has read it"),
            ("identity-known", "Named to an editor"),
        ])
        .unwrap();
        assert_eq!(own.len(), 2);
        assert_eq!(
            own.get(1).unwrap(),
            (CheckItem::IdentityKnown, "Named to an editor")
        );
        assert!(q(&[("Legal", "x")]).unwrap_err().contains("not a key"));
        assert!(q(&[("a", "x"), ("a", "y")]).unwrap_err().contains("twice"));
        assert!(q(&[("a", " ")]).unwrap_err().contains("no question"));
    }

    #[test]
    fn checklist_reads_as_a_map() {
        let mut c = Checklist::default();
        c.set(CheckItem::Corroborated, Answer::No);
        let ron = ron::to_string(&c).unwrap();
        assert_eq!(ron, "{\"corroborated\":\"no\"}", "unknowns are not written");
        let back: Checklist = ron::from_str(&ron).unwrap();
        assert_eq!(back, c);
        assert!(ron::from_str::<Checklist>("{\"Vibes!\": \"yes\"}").is_err());
        // A newsroom's own question is kept like any other.
        let own: Checklist = ron::from_str("{\"legal-reviewed\": \"yes\"}").unwrap();
        assert_eq!(
            own.get(CheckItem::parse("legal-reviewed").unwrap()),
            Answer::Yes
        );
    }
}
