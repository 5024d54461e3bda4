//! A YAML/JSON document as a tree of values that remember where they stood
//! in the source, read through serde-saphyr so its budgets, duplicate-key
//! rejection and error positions apply.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

/// 1-based line and column; `line == 0` means unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    fn from_location(loc: serde_saphyr::Location) -> Pos {
        Pos {
            line: loc.line(),
            column: loc.column(),
        }
    }

    pub fn is_known(&self) -> bool {
        self.line > 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX`; kept exact for pass-through.
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
    /// What YAML read a plain key as when that is not a string, e.g. `a
    /// boolean (true)` for `on:`: the key sent would not be the key written.
    /// `name` is then the key as written, once [`keys_as_written`] has seen
    /// the source.
    pub read_as: Option<String>,
    /// Where the key stands in the source, in bytes (offset, length), when
    /// the parser knows.
    span: Option<(usize, usize)>,
}

impl NodeValue {
    /// What a person calls this kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Int(_) | NodeValue::UInt(_) => "an integer",
            NodeValue::Float(_) => "a number",
            NodeValue::Str(_) => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// The scalar as text, for values that must become strings.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            NodeValue::Bool(b) => Some(b.to_string()),
            NodeValue::Int(i) => Some(i.to_string()),
            NodeValue::UInt(u) => Some(u.to_string()),
            NodeValue::Float(f) => Some(f.to_string()),
            NodeValue::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl Node {
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::UInt(u) => Value::from(*u),
            NodeValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeValue>::deserialize(d)?;
        Ok(Node {
            value: spanned.value,
            pos: Pos::from_location(spanned.referenced),
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map_or(NodeValue::UInt(v), NodeValue::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeValue, E> {
        i64::try_from(v)
            .map(NodeValue::Int)
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeValue, E> {
        u64::try_from(v)
            .map(|u| self.visit_u64::<E>(u).unwrap_or(NodeValue::UInt(u)))
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<NodeValue, E> {
        Err(E::custom(
            "binary values (!!binary) are not accepted in a manifest",
        ))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Spanned<NodeValue>>()? {
            // YAML reads a plain `on`, `yes`, `0123` or `~` as a boolean, a
            // number or null; that is kept to be reported with the key as
            // written, which only the source shows.
            let name = match &key.value {
                NodeValue::Null => "null".to_string(),
                v => v.scalar_text().ok_or_else(|| {
                    de::Error::custom(format!("a key must be a plain scalar, found {}", v.kind()))
                })?,
            };
            let read_as = read_as(&key.value);
            let span = key.referenced.span();
            let span = span
                .byte_offset()
                .zip(span.byte_len())
                .and_then(|(o, l)| Some((usize::try_from(o).ok()?, usize::try_from(l).ok()?)));
            let value = map.next_value::<Node>()?;
            let pos = Pos::from_location(key.referenced);
            entries.push((
                Key {
                    name,
                    pos,
                    read_as,
                    span,
                },
                value,
            ));
        }
        Ok(NodeValue::Map(entries))
    }
}

/// What YAML read a scalar key as, when that is not a string: `a boolean
/// (true)`, `a number (123)`, `null`.
fn read_as(v: &NodeValue) -> Option<String> {
    match v {
        NodeValue::Str(_) => None,
        NodeValue::Null => Some("null".to_string()),
        v => Some(format!("{} ({})", v.kind(), v.scalar_text()?)),
    }
}

/// Gives every key that YAML did not read as a string its name as written
/// in `text`, the source the nodes were parsed from (`on`, not `true`).
pub fn keys_as_written(node: &mut Node, text: &str) {
    match &mut node.value {
        NodeValue::Seq(items) => items.iter_mut().for_each(|n| keys_as_written(n, text)),
        NodeValue::Map(entries) => {
            for (key, child) in entries.iter_mut() {
                if let Some(read) = &key.read_as {
                    let written = key
                        .span
                        .and_then(|(offset, len)| text.get(offset..offset.checked_add(len)?));
                    // A key from an alias or a merge (`<<`) points at the
                    // alias or the merge: only a slice that reads the same
                    // is the key itself; else the name read stays.
                    let same = |w: &&str| {
                        (w.is_empty() && read == "null")
                            || serde_saphyr::from_str::<NodeValue>(w)
                                .is_ok_and(|v| read_as(&v).as_ref() == Some(read))
                    };
                    if let Some(w) = written.filter(same) {
                        key.name = w.to_string();
                    }
                }
                keys_as_written(child, text);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Node>, serde_saphyr::Error> {
        serde_saphyr::from_str_multiple::<Node, Vec<Node>>(text)
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let docs = parse("a:\n  b: 1\n  c: [x, \"2\"]\n").unwrap();
        let NodeValue::Map(top) = &docs[0].value else {
            panic!()
        };
        assert_eq!(top[0].0.name, "a");
        assert_eq!(top[0].0.pos, Pos { line: 1, column: 1 });
        let NodeValue::Map(inner) = &top[0].1.value else {
            panic!()
        };
        assert_eq!(inner[1].0.pos, Pos { line: 3, column: 3 });
        assert_eq!(inner[0].1.value, NodeValue::Int(1));
        assert_eq!(inner[0].1.pos, Pos { line: 2, column: 6 });
        let NodeValue::Seq(items) = &inner[1].1.value else {
            panic!()
        };
        assert_eq!(items[1].value, NodeValue::Str("2".into()));
    }

    #[test]
    fn json_with_a_trailing_comma_loads() {
        let docs = parse("{\"a\": [{\"count\": 1, \"flavor\": \"x\",}]}").unwrap();
        assert_eq!(
            docs[0].to_json(),
            serde_json::json!({"a": [{"count": 1, "flavor": "x"}]})
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert!(err.location().is_some());
        assert!(
            err.to_string().to_lowercase().contains("duplicate"),
            "{err}"
        );
    }

    #[test]
    fn keys_read_as_no_string_keep_what_was_written() {
        let text = "a: 1\n---\nb:\n  on: x\n  \"yes\": y\n  0123: z\n  ~: q\n  {0x1F: 2}: 3\n";
        let err = parse(text).unwrap_err();
        assert!(err.to_string().contains("plain scalar"), "{err}");
        let text = "a: 1\n---\nb:\n  on: x\n  \"yes\": y\n  0123: z\n  ~: q\n  flow: {off: 1}\n";
        let mut docs = parse(text).unwrap();
        keys_as_written(&mut docs[1], text);
        let NodeValue::Map(top) = &docs[1].value else {
            panic!()
        };
        let NodeValue::Map(keys) = &top[0].1.value else {
            panic!()
        };
        let seen: Vec<(&str, Option<&str>)> = keys
            .iter()
            .map(|(k, _)| (k.name.as_str(), k.read_as.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("on", Some("a boolean (true)")),
                ("yes", None),
                ("0123", Some("a number (123)")),
                ("~", Some("null")),
                ("flow", None),
            ]
        );
        let NodeValue::Map(flow) = &keys[4].1.value else {
            panic!()
        };
        assert_eq!(flow[0].0.name, "off");
        assert_eq!(
            flow[0].0.pos,
            Pos {
                line: 8,
                column: 10
            }
        );

        // A key from a merge or an alias points elsewhere: the name read stays.
        let text = "a: &a {yes: 1}\nb:\n  <<: *a\nc:\n  <<: {~: 2}\n";
        let mut docs = parse(text).unwrap();
        keys_as_written(&mut docs[0], text);
        let NodeValue::Map(top) = &docs[0].value else {
            panic!()
        };
        let names: Vec<&str> = top
            .iter()
            .flat_map(|(_, v)| match &v.value {
                NodeValue::Map(m) => m.iter().map(|(k, _)| k.name.as_str()).collect(),
                _ => vec![],
            })
            .collect();
        assert_eq!(names, vec!["yes", "true", "null"]);
    }

    #[test]
    fn several_documents() {
        assert_eq!(parse("a: 1\n---\na: 2\n").unwrap().len(), 2);
    }
}
