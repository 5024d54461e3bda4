//! Checks a parsed document against the manifest's shape: unknown fields
//! (with the nearest known name), wrong types, and scalars that must become
//! strings. It records where every field stood, and yields the JSON value the
//! typed request is read from.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::node::{Node, NodeValue, Pos};
use super::shape::Shape;
use crate::diagnostic::{FieldPath, Seg, Severity};

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub path: FieldPath,
    pub message: String,
    pub pos: Pos,
}

#[derive(Debug, Default)]
pub struct Walked {
    pub value: Value,
    pub positions: HashMap<FieldPath, Pos>,
    pub findings: Vec<Finding>,
}

/// The most characters a key may take as JSON writes it, quotes and escapes
/// included. To a YAML reader a JSON key is an implicit key, which YAML caps
/// at 1024 characters; a longer one would make a request body that poolctl,
/// reading JSON as YAML, cannot read back. (In YAML a longer key can be
/// written as an explicit `? key`, and tabs or escapes grow in JSON.) Found by
/// fuzzing (docs/fuzzing.md).
pub const MAX_KEY_JSON_CHARS: usize = 1024;

pub fn walk(doc: &Node, shape: &Shape, unknown: Severity) -> Walked {
    let mut w = Walked::default();
    w.positions.insert(FieldPath::root(), doc.pos);
    keys(doc, &FieldPath::root(), &mut w.findings);
    let mut walker = Walker {
        out: &mut w,
        unknown,
    };
    let value = walker.node(doc, shape, &FieldPath::root());
    w.value = value.unwrap_or(Value::Null);
    w
}

struct Walker<'a> {
    out: &'a mut Walked,
    unknown: Severity,
}

/// Label and annotation values are strings to the API, but people write
/// `billing.mode: 0`; those are converted with a warning (DESIGN.md §4).
fn stringifies(path: &FieldPath) -> bool {
    matches!(
        path.0.as_slice(),
        [Seg::Key(m), Seg::Key(l), ..] if m == "metadata" && (l == "labels" || l == "annotations")
    )
}

impl Walker<'_> {
    fn find(&mut self, severity: Severity, path: &FieldPath, pos: Pos, message: String) {
        self.out.findings.push(Finding {
            severity,
            path: path.clone(),
            message,
            pos,
        });
    }

    /// The checked value, or `None` when it is absent (null) or was rejected.
    fn node(&mut self, node: &Node, shape: &Shape, path: &FieldPath) -> Option<Value> {
        let v = &node.value;
        if matches!(v, NodeValue::Null) {
            return None;
        }
        match (shape, v) {
            (Shape::Any, _) => Some(node.to_json()),
            (Shape::Str, NodeValue::Str(s)) => Some(Value::String(s.clone())),
            (
                Shape::Str,
                NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::UInt(_) | NodeValue::Float(_),
            ) if stringifies(path) => {
                let text = v.scalar_text().unwrap_or_default();
                self.find(
                    Severity::Warning,
                    path,
                    node.pos,
                    format!(
                        "{} {text} converted to the string \"{text}\"; quote it to say so",
                        v.kind()
                    ),
                );
                Some(Value::String(text))
            }
            (Shape::NumStr, NodeValue::Str(s)) => Some(Value::String(s.clone())),
            (Shape::NumStr, NodeValue::Int(_) | NodeValue::UInt(_)) => {
                Some(Value::String(v.scalar_text().unwrap_or_default()))
            }
            // The editions give these sizes as strings and no form; whether
            // `1.5` will do is for the rules to say, so it is only converted.
            (Shape::NumStr, NodeValue::Float(f)) if f.is_finite() => {
                let text = v.scalar_text().unwrap_or_default();
                self.find(
                    Severity::Warning,
                    path,
                    node.pos,
                    format!(
                        "a number {text} converted to the string \"{text}\"; quote it to say so"
                    ),
                );
                Some(Value::String(text))
            }
            (Shape::Int, NodeValue::Int(i)) => Some(Value::from(*i)),
            (Shape::Bool, NodeValue::Bool(b)) => Some(Value::Bool(*b)),
            (Shape::Array(item), NodeValue::Seq(items)) => Some(Value::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| {
                        let p = path.index(i);
                        self.out.positions.insert(p.clone(), n.pos);
                        self.node(n, item, &p)
                    })
                    .collect(),
            )),
            (Shape::Object { fields, other }, NodeValue::Map(entries)) => {
                let mut map = Map::new();
                for (key, child) in entries {
                    let p = path.key(&key.name);
                    self.out.positions.insert(p.clone(), key.pos);
                    if key.read_as.is_some() {
                        // Reported by `keys`, and no field of ours is named so.
                        continue;
                    }
                    let child_shape = match fields.iter().find(|(n, _)| *n == key.name) {
                        Some((_, s)) => s,
                        None => match other {
                            Some(s) => s.as_ref(),
                            None => {
                                let names: Vec<&str> =
                                    fields.iter().map(|(n, _)| n.as_str()).collect();
                                let message = match crate::suggest::suggest(&key.name, &names) {
                                    Some(near) => format!("unknown field, did you mean `{near}`?"),
                                    None => {
                                        format!("unknown field; known here: {}", names.join(", "))
                                    }
                                };
                                let message = if self.unknown == Severity::Warning {
                                    format!("{message} (sent as it is: --validate warn)")
                                } else {
                                    message
                                };
                                self.find(self.unknown, &p, key.pos, message);
                                map.insert(key.name.clone(), child.to_json());
                                continue;
                            }
                        },
                    };
                    if let Some(value) = self.node(child, child_shape, &p) {
                        map.insert(key.name.clone(), value);
                    }
                }
                Some(Value::Object(map))
            }
            _ => {
                let found = match v.scalar_text() {
                    Some(t) if matches!(v, NodeValue::Str(_)) => format!("{} (\"{t}\")", v.kind()),
                    Some(t) => format!("{} ({t})", v.kind()),
                    None => v.kind().to_string(),
                };
                let hint = match (shape, v) {
                    (Shape::Int, NodeValue::Str(s)) if s.trim().parse::<i64>().is_ok() => {
                        "; remove the quotes"
                    }
                    (Shape::Str, _) => "; quote it",
                    (Shape::Array(_), _) => "; write it as a list, e.g. [a, b]",
                    _ => "",
                };
                self.find(
                    Severity::Error,
                    path,
                    node.pos,
                    format!("expected {}, found {found}{hint}", shape.describe()),
                );
                None
            }
        }
    }
}

/// Every key of the tree, at any depth and whatever its shape, that YAML
/// read as no string, or that JSON would write longer than
/// [`MAX_KEY_JSON_CHARS`].
fn keys(node: &Node, path: &FieldPath, out: &mut Vec<Finding>) {
    match &node.value {
        NodeValue::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                keys(n, &path.index(i), out);
            }
        }
        NodeValue::Map(entries) => {
            for (key, child) in entries {
                let p = path.key(&key.name);
                if let Some(read_as) = &key.read_as {
                    // `on: x` would send the label `true`, and `yes: y` a
                    // second `true`: the request would not be what was written.
                    out.push(Finding {
                        severity: Severity::Error,
                        path: p.clone(),
                        message: read_as_message(path, &key.name, read_as),
                        pos: key.pos,
                    });
                }
                // An escape takes at most 6 characters, and a character at least a byte.
                if key.name.len() * 6 + 2 > MAX_KEY_JSON_CHARS {
                    let json = crate::model::to_json(&key.name, false).chars().count();
                    if json > MAX_KEY_JSON_CHARS {
                        out.push(Finding {
                            severity: Severity::Error,
                            path: p.clone(),
                            message: format!(
                                "key too long: as JSON it takes {json} characters (quotes and escapes included), \
                                 more than the {MAX_KEY_JSON_CHARS} YAML allows for a key, so poolctl could \
                                 not read the request body back; shorten it"
                            ),
                            pos: key.pos,
                        });
                    }
                }
                keys(child, &p, out);
            }
        }
        _ => {}
    }
}

/// Why a key YAML read as a boolean, a number or null is refused, and the
/// quotes that fix it.
fn read_as_message(parent: &FieldPath, written: &str, read_as: &str) -> String {
    let what = match parent.0.as_slice() {
        [Seg::Key(m), Seg::Key(l)] if m == "metadata" && l == "labels" => "label key",
        [Seg::Key(m), Seg::Key(a)] if m == "metadata" && a == "annotations" => "annotation key",
        _ => "key",
    };
    if written.is_empty() {
        return format!("an empty {what} is read by YAML as null; write the key, in quotes");
    }
    let quoted = serde_json::to_string(written).unwrap_or_default();
    format!("{what} `{written}` is read by YAML as {read_as}; quote it: `{quoted}:`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::shape::request_shape;

    fn run(yaml: &str) -> Walked {
        let docs: Vec<Node> = serde_saphyr::from_str_multiple(yaml).unwrap();
        walk(&docs[0], request_shape(), Severity::Error)
    }

    #[test]
    fn unknown_field_named_with_position_and_suggestion() {
        let w = run("spec:\n  resources:\n  - flavor: f\n    maxcount: 2\n");
        assert_eq!(w.findings.len(), 1);
        let f = &w.findings[0];
        assert_eq!(f.path.to_string(), "spec.resources[0].maxcount");
        assert_eq!(f.message, "unknown field, did you mean `maxCount`?");
        assert_eq!((f.pos.line, f.pos.column), (4, 5));
        // Kept for pass-through.
        assert_eq!(w.value["spec"]["resources"][0]["maxcount"], 2);
    }

    #[test]
    fn keys_too_long_for_json_read_back_are_errors() {
        // 1022 characters and the quotes: the longest key YAML reads back.
        let ok = "a".repeat(MAX_KEY_JSON_CHARS - 2);
        let w = run(&format!("metadata:\n  labels:\n    ? {ok}\n    : x\n"));
        assert!(w.findings.is_empty(), "{:?}", w.findings);
        let long = "a".repeat(MAX_KEY_JSON_CHARS - 1);
        let w = run(&format!("metadata:\n  labels:\n    ? {long}\n    : x\n"));
        assert_eq!(w.findings.len(), 1, "{:?}", w.findings);
        let f = &w.findings[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!((f.pos.line, f.pos.column), (3, 7));
        assert!(f
            .message
            .starts_with("key too long: as JSON it takes 1025 characters"));
        // A tab is one character in YAML and two (`\t`) in JSON, at any depth.
        let tabs = "\t".repeat(512);
        let w = run(&format!("spec:\n  x: [{{\"a{tabs}\": 1}}]\n"));
        let paths: Vec<String> = w.findings.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(w.findings.len(), 2, "{paths:?}");
        assert!(w.findings[0].message.contains("1027 characters"));
        assert!(w.findings[1].message.starts_with("unknown field"));
    }

    #[test]
    fn keys_yaml_reads_as_no_string_are_errors_wherever_they_are() {
        let text = "metadata:\n  labels:\n    on: x\n    \"off\": v\n  annotations:\n    1.5: z\nspec:\n  ~: 1\n";
        let mut docs: Vec<Node> = serde_saphyr::from_str_multiple(text).unwrap();
        crate::manifest::node::keys_as_written(&mut docs[0], text);
        let w = walk(&docs[0], request_shape(), Severity::Error);
        let msgs: Vec<String> = w
            .findings
            .iter()
            .map(|f| format!("{}:{} {}: {}", f.pos.line, f.pos.column, f.path, f.message))
            .collect();
        assert_eq!(
            msgs,
            vec![
                "3:5 metadata.labels.on: label key `on` is read by YAML as a boolean (true); quote it: `\"on\":`",
                "6:5 metadata.annotations.\"1.5\": annotation key `1.5` is read by YAML as a number (1.5); quote it: `\"1.5\":`",
                "8:3 spec.\"~\": key `~` is read by YAML as null; quote it: `\"~\":`",
            ]
        );
        // Not sent, and not an unknown field besides.
        assert!(w.value["metadata"]["labels"].get("on").is_none());
        assert_eq!(w.value["metadata"]["labels"]["off"], "v");
    }

    #[test]
    fn type_errors_and_conversions() {
        let w = run(
            "metadata:\n  annotations:\n    os.modelarts/billing.mode: 0\nspec:\n  resources:\n  - count: \"2\"\n    rootVolume: {size: 100}\n    extendParams: {dockerBaseSize: 2.5}\n",
        );
        let msgs: Vec<String> = w
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect();
        assert_eq!(
            msgs,
            vec![
                "metadata.annotations.\"os.modelarts/billing.mode\": an integer 0 converted to the string \"0\"; quote it to say so",
                "spec.resources[0].count: expected an integer, found a string (\"2\"); remove the quotes",
                "spec.resources[0].extendParams.dockerBaseSize: a number 2.5 converted to the string \"2.5\"; quote it to say so",
            ]
        );
        assert_eq!(w.findings[0].severity, Severity::Warning);
        assert_eq!(w.findings[2].severity, Severity::Warning);
        assert_eq!(
            w.value["spec"]["resources"][0]["extendParams"]["dockerBaseSize"],
            "2.5"
        );
        assert_eq!(w.value["spec"]["resources"][0]["rootVolume"]["size"], "100");
        assert!(w.value["spec"]["resources"][0].get("count").is_none());
    }
}
