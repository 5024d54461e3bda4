//! The shape of a manifest, derived once from the model's JSON Schema, so the
//! types in `model` stay the one description of what a manifest may hold.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::model::CreatePoolRequest;

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Any,
    Str,
    Int,
    Bool,
    /// A string that may be written as an integer (`size: 100`).
    NumStr,
    Array(Box<Shape>),
    Object {
        fields: Vec<(String, Shape)>,
        /// The shape of keys not in `fields`, for open maps (labels); `None`
        /// means any other key is unknown.
        other: Option<Box<Shape>>,
    },
}

impl Shape {
    pub fn field(&self, name: &str) -> Option<&Shape> {
        match self {
            Shape::Object { fields, .. } => fields.iter().find(|(n, _)| n == name).map(|(_, s)| s),
            _ => None,
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Shape::Any => "any value",
            Shape::Str => "a string",
            Shape::Int => "an integer",
            Shape::Bool => "a boolean (true or false)",
            Shape::NumStr => "a whole number",
            Shape::Array(_) => "a list",
            Shape::Object { .. } => "a mapping",
        }
    }
}

/// The JSON Schema of the manifest, as `poolctl schema` prints it.
pub fn manifest_schema() -> Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(CreatePoolRequest)).unwrap_or(Value::Null);
    close_objects(&mut schema);
    schema
}

/// Closed objects get `additionalProperties: false`, so editors flag a typo
/// as `--validate strict` does.
fn close_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// The schema as committed for editors. A test keeps it equal to
/// [`manifest_schema`]; reading it costs a sixth of generating it, which is
/// most of a `validate` run (docs/performance.md).
const COMMITTED_SCHEMA: &str = include_str!("../../docs/manifest.schema.json");

/// The shape of a CreatePool request, computed once per process.
pub fn request_shape() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(|| {
        let schema = serde_json::from_str(COMMITTED_SCHEMA).unwrap_or_else(|_| manifest_schema());
        shape_of(&schema)
    })
}

fn shape_of(schema: &Value) -> Shape {
    let none = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&none);
    from_schema(schema, defs, 0)
}

fn from_schema(schema: &Value, defs: &Map<String, Value>, depth: usize) -> Shape {
    // The model is not recursive; the bound only guards against a mistake.
    if depth > 32 {
        return Shape::Any;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return defs
            .get(name)
            .map_or(Shape::Any, |d| from_schema(d, defs, depth + 1));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            let real: Vec<&Value> = variants
                .iter()
                .filter(|v| v.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if real.len() == 1 {
                return from_schema(real[0], defs, depth + 1);
            }
            return Shape::Any;
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let has = |t: &str| types.contains(&t);
    if has("string") && has("integer") {
        Shape::NumStr
    } else if has("string") {
        Shape::Str
    } else if has("integer") {
        Shape::Int
    } else if has("boolean") {
        Shape::Bool
    } else if has("array") {
        let items = schema
            .get("items")
            .map_or(Shape::Any, |i| from_schema(i, defs, depth + 1));
        Shape::Array(Box::new(items))
    } else if has("object") || schema.get("properties").is_some() {
        let fields = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), from_schema(v, defs, depth + 1)))
                    .collect()
            })
            .unwrap_or_default();
        let other = match schema.get("additionalProperties") {
            Some(o @ Value::Object(_)) => Some(Box::new(from_schema(o, defs, depth + 1))),
            Some(Value::Bool(true)) => Some(Box::new(Shape::Any)),
            _ => None,
        };
        Shape::Object { fields, other }
    } else {
        Shape::Any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let committed: Value = serde_json::from_str(COMMITTED_SCHEMA).unwrap();
        assert_eq!(
            committed,
            manifest_schema(),
            "docs/manifest.schema.json is stale: cargo run -- schema > docs/manifest.schema.json"
        );
        assert_eq!(shape_of(&committed), shape_of(&manifest_schema()));
    }

    #[test]
    fn shape_follows_the_model() {
        let s = request_shape();
        let resources = s.field("spec").unwrap().field("resources").unwrap();
        let Shape::Array(item) = resources else {
            panic!("{resources:?}")
        };
        assert_eq!(item.field("maxCount"), Some(&Shape::Int));
        assert_eq!(item.field("flavor"), Some(&Shape::Str));
        let size = item.field("rootVolume").unwrap().field("size").unwrap();
        assert_eq!(size, &Shape::NumStr);
        let labels = s.field("metadata").unwrap().field("labels").unwrap();
        let Shape::Object { other, .. } = labels else {
            panic!()
        };
        assert_eq!(other.as_deref(), Some(&Shape::Str));
        assert!(labels.field("os.modelarts/name").is_some());
        assert_eq!(
            s.field("spec").unwrap().field("ipv6enable"),
            Some(&Shape::Bool)
        );
        // Closed objects: no `other`.
        let Shape::Object { other, .. } = item.as_ref() else {
            panic!()
        };
        assert!(other.is_none());
    }
}
