//! The editor's vocabulary: statuses, reliability levels and the standards checklist.
//!
//! The strings here ("single-source", "identity-known", …) appear in sidecars and `scan` output and
//! are a contract with scripts and other editors: they never change meaning.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a source stands. Tagged statuses carry a reliability level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Status {
    #[default]
    Untagged,
    Dismissed,
    Verified,
    Corroborated,
    SingleSource,
    Unverified,
    Disputed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Untagged,
        Status::Dismissed,
        Status::Verified,
        Status::Corroborated,
        Status::SingleSource,
        Status::Unverified,
        Status::Disputed,
    ];

    /// The reliability levels, in the order of their keys `1`–`5`.
    pub const LEVELS: [Status; 5] = [
        Status::Verified,
        Status::Corroborated,
        Status::SingleSource,
        Status::Unverified,
        Status::Disputed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Untagged => "untagged",
            Status::Dismissed => "dismissed",
            Status::Verified => "verified",
            Status::Corroborated => "corroborated",
            Status::SingleSource => "single-source",
            Status::Unverified => "unverified",
            Status::Disputed => "disputed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Tagged means the editor set a reliability level.
    pub fn is_tagged(self) -> bool {
        Self::LEVELS.contains(&self)
    }
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
            let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            serde::de::Error::custom(format!(
                "unknown status \"{s}\" (expected one of {})",
                known.join(", ")
            ))
        })
    }
}

/// The six things an editor checks about an anonymous source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckItem {
    IdentityKnown,
    ReasonStated,
    AccessDescribed,
    Corroborated,
    ResponseSought,
    FactNotOpinion,
}

impl CheckItem {
    pub const ALL: [CheckItem; 6] = [
        CheckItem::IdentityKnown,
        CheckItem::ReasonStated,
        CheckItem::AccessDescribed,
        CheckItem::Corroborated,
        CheckItem::ResponseSought,
        CheckItem::FactNotOpinion,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CheckItem::IdentityKnown => "identity-known",
            CheckItem::ReasonStated => "reason-stated",
            CheckItem::AccessDescribed => "access-described",
            CheckItem::Corroborated => "corroborated",
            CheckItem::ResponseSought => "response-sought",
            CheckItem::FactNotOpinion => "fact-not-opinion",
        }
    }

    /// The question as the editor reads it in the checklist.
    pub fn question(self) -> &'static str {
        match self {
            CheckItem::IdentityKnown => "An editor knows who the source is",
            CheckItem::ReasonStated => "The story says why anonymity was granted",
            CheckItem::AccessDescribed => "The source's access is described",
            CheckItem::Corroborated => "Corroborated (second source, document, on record)",
            CheckItem::ResponseSought => "The subject was given a chance to respond",
            CheckItem::FactNotOpinion => "It is information, not opinion or attack",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == s)
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

/// Answers to the six checks. Stored in the sidecar as a map from check key to answer, so the file
/// reads as `{"identity-known": "yes", …}`; only answered checks are written (a check not listed
/// is unknown), so a record carries no lines that say nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Checklist([Answer; 6]);

impl Checklist {
    pub fn get(&self, item: CheckItem) -> Answer {
        self.0[item as usize]
    }

    pub fn set(&mut self, item: CheckItem, answer: Answer) {
        self.0[item as usize] = answer;
    }

    pub fn is_empty(&self) -> bool {
        self.answered() == 0
    }

    pub fn answered(&self) -> usize {
        self.0.iter().filter(|a| **a != Answer::Unknown).count()
    }
}

impl Serialize for Checklist {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.answered()))?;
        for item in CheckItem::ALL {
            let answer = self.get(item);
            if answer != Answer::Unknown {
                map.serialize_entry(item.key(), answer.as_str())?;
            }
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
            let item = CheckItem::parse(&k)
                .ok_or_else(|| D::Error::custom(format!("unknown checklist item \"{k}\"")))?;
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
    fn status_strings_round_trip() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.as_str()), Some(st));
        }
        assert!(Status::SingleSource.is_tagged());
        assert!(!Status::Dismissed.is_tagged());
    }

    #[test]
    fn checklist_reads_as_a_map() {
        let mut c = Checklist::default();
        c.set(CheckItem::Corroborated, Answer::No);
        let ron = ron::to_string(&c).unwrap();
        assert_eq!(ron, "{\"corroborated\":\"no\"}", "unknowns are not written");
        let back: Checklist = ron::from_str(&ron).unwrap();
        assert_eq!(back, c);
        assert!(ron::from_str::<Checklist>("{\"vibes\": \"yes\"}").is_err());
    }
}
