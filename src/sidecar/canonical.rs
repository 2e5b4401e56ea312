//! The sidecar's own RON, written and read quickly.
//!
//! The `ron` crate writes each string a character at a time and parses through a general
//! deserializer: for a 10,000-annotation sidecar (8 MiB) that was 50 ms to write and 64 ms to
//! read, over the 50 ms a save or a load may take. This module is a serde serializer and
//! deserializer for just the part of RON a sidecar uses — structs without names, lists, maps,
//! strings, unsigned integers, `Some`/`None` — in exactly the layout `ron`'s pretty printer
//! produces (four-space indents, a trailing comma after every item).
//!
//! `ron` stays the reference: the tests check, on random sidecars, that the bytes written here are
//! the bytes `ron` writes and that what is read here is what `ron` reads. Whatever falls outside
//! the subset — a comment, a raw string, fields in another order are fine but a named struct is
//! not — makes [`from_str`] give up, and the caller reads the file with `ron` instead, which also
//! gives the error message when the file is broken.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::ser::{self, Serialize};

/// Why the fast path gave up. Never shown to a user: the caller falls back to `ron`.
#[derive(Debug)]
pub struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

impl de::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(format!("{what} is outside the sidecar's RON")))
}

const INDENT: &str = "    ";

/// `value` as `ron::ser::to_string_pretty` writes it with four-space indents and "\n" line
/// ends, or [`Unsupported`] for a value outside the subset.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Unsupported> {
    let mut w = Writer {
        out: String::with_capacity(4096),
        depth: 0,
    };
    value.serialize(&mut w)?;
    Ok(w.out)
}

struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    /// Opens a bracketed list of `len` items (`None`: not known in advance).
    fn open(&mut self, bracket: char, len: Option<usize>) -> Compound<'_> {
        self.out.push(bracket);
        self.depth += 1;
        let empty = len == Some(0);
        if !empty {
            self.out.push('\n');
        }
        Compound {
            w: self,
            first: true,
            empty,
        }
    }

    /// A string as `ron` writes it: each character through `char::escape_debug`, runs of
    /// plain ASCII copied whole.
    fn string(&mut self, s: &str) {
        self.out.push('"');
        let bytes = s.as_bytes();
        let mut plain = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if (0x20..0x7f).contains(&b) && !matches!(b, b'"' | b'\\' | b'\'') {
                i += 1;
                continue;
            }
            self.out.push_str(&s[plain..i]);
            let c = s[i..].chars().next().unwrap_or('\u{fffd}');
            self.out.extend(c.escape_debug());
            i += c.len_utf8();
            plain = i;
        }
        self.out.push_str(&s[plain..]);
        self.out.push('"');
    }
}

/// A struct, list or map being written.
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// Known to hold nothing: written as `()`, `[]` or `{}`.
    empty: bool,
}

impl Compound<'_> {
    fn item(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.out.push_str(",\n");
        }
        self.w.indent();
    }

    fn close(self, bracket: char) {
        if !self.first {
            self.w.out.push_str(",\n");
        }
        self.w.depth -= 1;
        if !self.empty {
            self.w.indent();
        }
        self.w.out.push(bracket);
    }
}

/// Field names `ron` writes bare; any other would need `r#`, so it is left to `ron`.
fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            name,
            "true"
                | "false"
                | "Some"
                | "None"
                | "inf"
                | "inff32"
                | "inff64"
                | "NaN"
                | "NaNf32"
                | "NaNf64"
        )
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, _: bool) -> Result<(), Unsupported> {
        unsupported("a bool")
    }
    fn serialize_i8(self, _: i8) -> Result<(), Unsupported> {
        unsupported("a signed number")
    }
    fn serialize_i16(self, _: i16) -> Result<(), Unsupported> {
        unsupported("a signed number")
    }
    fn serialize_i32(self, _: i32) -> Result<(), Unsupported> {
        unsupported("a signed number")
    }
    fn serialize_i64(self, _: i64) -> Result<(), Unsupported> {
        unsupported("a signed number")
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        use std::fmt::Write;
        let _ = write!(self.out, "{v}");
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        unsupported("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        unsupported("a float")
    }
    fn serialize_char(self, _: char) -> Result<(), Unsupported> {
        unsupported("a char")
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        unsupported("a byte string")
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.push_str("None");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        self.out.push_str("Some(");
        value.serialize(&mut *self)?;
        self.out.push(')');
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        unsupported("a unit")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        unsupported("a unit struct")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Unsupported> {
        unsupported("an enum")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        unsupported("a newtype struct")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        unsupported("an enum")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(self.open('[', len))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        unsupported("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("an enum")
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(self.open('{', len))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(self.open('(', Some(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("an enum")
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.item();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.item();
        key.serialize(&mut *self.w)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.w.out.push_str(": ");
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !is_plain_identifier(key) {
            return unsupported("a field name that needs r#");
        }
        self.item();
        self.w.out.push_str(key);
        self.w.out.push_str(": ");
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close(')');
        Ok(())
    }
}

/// Reads `text` if it stays within the sidecar's RON; [`Unsupported`] otherwise (including for
/// any file `ron` would refuse), for the caller to read it with `ron`.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, Unsupported> {
    let mut r = Reader { src: text, pos: 0 };
    let value = T::deserialize(&mut r)?;
    r.skip_ws();
    if r.pos != text.len() {
        return unsupported("text after the value");
    }
    Ok(value)
}

struct Reader<'de> {
    src: &'de str,
    pos: usize,
}

impl<'de> Reader<'de> {
    fn rest(&self) -> &'de [u8] {
        &self.src.as_bytes()[self.pos..]
    }

    /// Spaces, tabs and line breaks. Anything else `ron` counts as white space, and comments,
    /// are left to `ron`.
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.rest().first() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(token.as_bytes()) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), Unsupported> {
        if self.eat(token) {
            Ok(())
        } else {
            unsupported(&format!("something other than `{token}`"))
        }
    }

    fn identifier(&mut self) -> Result<&'de str, Unsupported> {
        self.skip_ws();
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(rest.len());
        if len == 0 || rest[0].is_ascii_digit() {
            return unsupported("a missing or unusual name");
        }
        let start = self.pos;
        self.pos += len;
        Ok(&self.src[start..self.pos])
    }

    /// A decimal number with no sign, suffix, underscore or leading zero.
    fn unsigned(&mut self) -> Result<u64, Unsupported> {
        self.skip_ws();
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(rest.len());
        let follows = rest.get(len).copied();
        if len == 0
            || (len > 1 && rest[0] == b'0')
            || follows.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            return unsupported("an unusual number");
        }
        let digits = &self.src[self.pos..self.pos + len];
        let value = digits
            .parse()
            .or_else(|_| unsupported("a number too large"))?;
        self.pos += len;
        Ok(value)
    }

    /// A quoted string with the escapes `ron` writes: `\"`, `\\`, `\'`, `\n`, `\r`, `\t`, `\0`
    /// and `\u{…}`.
    fn string(&mut self) -> Result<std::borrow::Cow<'de, str>, Unsupported> {
        self.skip_ws();
        if self.rest().first() != Some(&b'"') {
            return unsupported("a value that is not a quoted string");
        }
        self.pos += 1;
        let start = self.pos;
        let Some(len) = memchr::memchr2(b'"', b'\\', self.rest()) else {
            return unsupported("an unclosed string");
        };
        if self.rest()[len] == b'"' {
            self.pos += len + 1;
            return Ok(std::borrow::Cow::Borrowed(&self.src[start..start + len]));
        }
        let mut out = String::with_capacity(len + 16);
        loop {
            let Some(len) = memchr::memchr2(b'"', b'\\', self.rest()) else {
                return unsupported("an unclosed string");
            };
            out.push_str(&self.src[self.pos..self.pos + len]);
            self.pos += len;
            if self.rest()[0] == b'"' {
                self.pos += 1;
                return Ok(std::borrow::Cow::Owned(out));
            }
            self.pos += 1;
            let Some(&e) = self.rest().first() else {
                return unsupported("an unclosed string");
            };
            self.pos += 1;
            match e {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'\'' => out.push('\''),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'0' => out.push('\0'),
                b'u' => out.push(self.unicode_escape()?),
                _ => return unsupported("an unusual escape"),
            }
        }
    }

    /// The `{…}` of a `\u{…}` escape: one to six hex digits naming a character.
    fn unicode_escape(&mut self) -> Result<char, Unsupported> {
        let rest = self.rest();
        if rest.first() != Some(&b'{') {
            return unsupported("an unusual escape");
        }
        let len = rest[1..]
            .iter()
            .take(7)
            .position(|&b| b == b'}')
            .filter(|&n| (1..=6).contains(&n));
        let Some(len) = len else {
            return unsupported("an unusual escape");
        };
        let hex = &self.src[self.pos + 1..self.pos + 1 + len];
        let c = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(char::from_u32);
        let Some(c) = c else {
            return unsupported("an unusual escape");
        };
        self.pos += len + 2;
        Ok(c)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Unsupported;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        unsupported("a value of no fixed type")
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(self.unsigned()?)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(self.unsigned()?)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(self.unsigned()?)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(self.unsigned()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self.string()? {
            std::borrow::Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            std::borrow::Cow::Owned(s) => visitor.visit_string(s),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_borrowed_str(self.identifier()?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.skip_ws();
        let ident = self.identifier()?;
        match ident {
            "None" => visitor.visit_none(),
            "Some" => {
                self.expect("(")?;
                let value = visitor.visit_some(&mut *self)?;
                self.expect(")")?;
                Ok(value)
            }
            _ => unsupported("an option that is neither Some nor None"),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect("[")?;
        let value = visitor.visit_seq(Items {
            r: &mut *self,
            close: b']',
            first: true,
        })?;
        self.expect("]")?;
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect("{")?;
        let value = visitor.visit_map(Items {
            r: &mut *self,
            close: b'}',
            first: true,
        })?;
        self.expect("}")?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        self.expect("(")?;
        let value = visitor.visit_map(Items {
            r: &mut *self,
            close: b')',
            first: true,
        })?;
        self.expect(")")?;
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u128 f32 f64 char bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct enum ignored_any
    }
}

/// The items of a list, map or struct, separated by commas, with an optional comma at the end.
struct Items<'r, 'de> {
    r: &'r mut Reader<'de>,
    close: u8,
    first: bool,
}

impl Items<'_, '_> {
    /// Whether another item follows.
    fn more(&mut self) -> Result<bool, Unsupported> {
        self.r.skip_ws();
        if !self.first {
            match self.r.rest().first() {
                Some(b',') => {
                    self.r.pos += 1;
                    self.r.skip_ws();
                }
                Some(&b) if b == self.close => return Ok(false),
                _ => return unsupported("a missing comma"),
            }
        }
        self.first = false;
        Ok(self.r.rest().first() != Some(&self.close))
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsupported> {
        if !self.more()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unsupported> {
        if !self.more()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unsupported> {
        self.r.expect(":")?;
        seed.deserialize(&mut *self.r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Severity;
    use crate::judgement::{Answer, CheckItem, Checklist, Status};
    use crate::sidecar::{Anchor, Annotation, Change, SidecarFile, SignOff};
    use proptest::prelude::*;

    fn pretty() -> ron::ser::PrettyConfig {
        ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
    }

    /// Any text, with what makes escaping hard weighted in: quotes, backslashes, control
    /// characters, combining marks, wide and right-to-left letters.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,12}",
            "[\"'\\\\\n\r\t\u{0}\u{7f}\u{301}\u{200b}\u{202e}é日本ش #]{0,12}",
            "[a-z ]{0,40}",
            any::<String>(),
        ]
    }

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Untagged),
            Just(Status::Dismissed),
            Just(Status::Verified),
            Just(Status::Disputed),
            "[a-z][a-z0-9-]{0,8}".prop_filter_map("a level name", |s| Status::parse(&s)),
        ]
    }

    fn checklist() -> impl Strategy<Value = Checklist> {
        proptest::collection::vec(
            (
                prop_oneof![
                    Just(CheckItem::IdentityKnown),
                    Just(CheckItem::Corroborated),
                    "[a-z][a-z0-9-]{0,8}".prop_filter_map("a key", |s| CheckItem::parse(&s)),
                ],
                prop_oneof![Just(Answer::Yes), Just(Answer::No), Just(Answer::Unknown)],
            ),
            0..4,
        )
        .prop_map(|items| {
            let mut list = Checklist::default();
            for (item, answer) in items {
                list.set(item, answer);
            }
            list
        })
    }

    fn change() -> impl Strategy<Value = Change> {
        (text(), text(), text()).prop_map(|(when, who, what)| Change { when, who, what })
    }

    fn annotation() -> impl Strategy<Value = Annotation> {
        (
            (
                text(),
                any::<usize>(),
                any::<usize>(),
                text(),
                text(),
                text(),
            ),
            (
                text(),
                status(),
                proptest::option::of(status()),
                checklist(),
            ),
            (text(), text(), text(), text()),
            (
                proptest::collection::vec(change(), 0..3),
                proptest::option::of(text()),
                prop_oneof![
                    Just(Severity::Low),
                    Just(Severity::Medium),
                    Just(Severity::High)
                ],
            ),
        )
            .prop_map(
                |(
                    (id, start, end, quote, prefix, suffix),
                    (origin, status, before_dismissal, checklist),
                    (note, author, created, updated),
                    (history, conflict, severity),
                )| Annotation {
                    id,
                    anchor: Anchor {
                        start,
                        end,
                        quote,
                        prefix,
                        suffix,
                    },
                    origin,
                    severity,
                    status,
                    before_dismissal,
                    checklist,
                    note,
                    author,
                    created,
                    updated,
                    history,
                    conflict,
                },
            )
    }

    fn sidecar() -> impl Strategy<Value = SidecarFile> {
        (
            any::<u32>(),
            proptest::option::of((text(), text(), any::<usize>(), any::<usize>()).prop_map(
                |(who, when, sources, untagged)| SignOff {
                    who,
                    when,
                    sources,
                    untagged,
                },
            )),
            proptest::collection::vec(annotation(), 0..4),
        )
            .prop_map(|(version, sign_off, annotations)| SidecarFile {
                version,
                sign_off,
                annotations,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn writes_what_ron_writes_and_reads_what_ron_reads(file in sidecar()) {
            let ours = to_string(&file).unwrap();
            let theirs = ron::ser::to_string_pretty(&file, pretty()).unwrap();
            prop_assert_eq!(&ours, &theirs);
            let back: SidecarFile = from_str(&ours).unwrap();
            prop_assert_eq!(&back, &file);
        }

        /// Whatever the fast reader accepts, `ron` reads the same way: after edits to a
        /// sidecar's punctuation, numbers and escapes, the fast reader either gives up or agrees
        /// with `ron`.
        #[test]
        fn never_reads_differently_from_ron(
            file in sidecar(),
            edits in proptest::collection::vec(
                (any::<prop::sample::Index>(), 0..3usize, prop::sample::select(SNIPPETS)),
                1..4,
            ),
        ) {
            let mut text = to_string(&file).unwrap();
            for (at, op, snippet) in edits {
                // Edit where the syntax is: punctuation, digits, escapes, white space.
                let spots: Vec<usize> = text
                    .char_indices()
                    .filter(|&(_, c)| c.is_ascii_punctuation() || c.is_ascii_digit() || c.is_ascii_whitespace())
                    .map(|(i, _)| i)
                    .collect();
                if spots.is_empty() {
                    break;
                }
                let i = spots[at.index(spots.len())];
                match op {
                    0 => text.replace_range(i..i + 1, ""),
                    1 => text.insert_str(i, snippet),
                    _ => text.replace_range(i..i + 1, snippet),
                }
            }
            let ours = from_str::<SidecarFile>(&text);
            let theirs = ron::from_str::<SidecarFile>(&text);
            if let Ok(ours) = ours {
                prop_assert_eq!(Some(ours), theirs.ok(), "{}", text);
            }
        }
    }

    /// What the edits above insert: each is something RON may or may not allow in that place.
    const SNIPPETS: &[&str] = &[
        ",",
        ",,",
        " ",
        "\n",
        "\t",
        ":",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "\\",
        "'",
        "#",
        "Some(",
        "None",
        "0",
        "07",
        "1_0",
        "+1",
        "-1",
        "0x1",
        "1.0",
        "r",
        "r#",
        "/*",
        "//",
        "\\u{41}",
        "\\u{110000}",
        "\\x41",
        "\\'",
        "\\\n",
        "\u{a0}",
        "\u{feff}",
        "x",
    ];

    #[test]
    fn gives_up_on_what_only_ron_reads() {
        for text in [
            "(version: 2, annotations: []) // a comment",
            "SidecarFile(version: 2, annotations: [])",
            "(version: 0x2, annotations: [])",
            "(version: 02, annotations: [])",
            "(version: 2, annotations: [], sign_off: None, note: r\"raw\")",
            "#![enable(implicit_some)]\n(version: 2, annotations: [])",
            "\u{feff}(version: 2, annotations: [])",
        ] {
            assert!(from_str::<SidecarFile>(text).is_err(), "{text}");
        }
        let file: SidecarFile = from_str("(annotations:[],version:2)").unwrap();
        assert_eq!(file.version, 2);
    }
}
