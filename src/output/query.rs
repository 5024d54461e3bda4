//! `--query`: a JMESPath expression (as az `--query` and KooCLI
//! `--cli-query` take) applied to the JSON result of a command.

use serde_json::Value;

/// A parsed query.
pub type Query = jmespath::Expression<'static>;

pub fn compile(text: &str) -> Result<Query, String> {
    jmespath::compile(text).map_err(|e| e.to_string())
}

/// `query` applied to `value`; an error of evaluation (a function given
/// the wrong type) is the message.
pub fn apply(query: &Query, value: &Value) -> Result<Value, String> {
    let data = jmespath::Variable::from_json(&value.to_string()).map_err(|e| e.to_string())?;
    let found = query.search(data).map_err(|e| e.to_string())?;
    serde_json::to_value(&*found).map_err(|e| e.to_string())
}

/// A query's result as text for a shell: a string as it is, scalars and
/// arrays of scalars one per line, `null` as nothing, anything else as JSON.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => items
            .iter()
            .map(plain)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        other => crate::model::to_json(other, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queries_pick_and_print_plainly() {
        let list = json!({"items": [{"metadata": {"name": "a"}, "status": {"phase": "Running"}},
                                     {"metadata": {"name": "b"}, "status": {"phase": "Creating"}}]});
        let q = compile("items[?status.phase=='Running'].metadata.name").unwrap();
        let found = apply(&q, &list).unwrap();
        assert_eq!(found, json!(["a"]));
        assert_eq!(plain(&found), "a");
        assert_eq!(
            plain(&apply(&compile("items[0].metadata").unwrap(), &list).unwrap()),
            "{\n  \"name\": \"a\"\n}"
        );
        assert_eq!(
            plain(&apply(&compile("length(items)").unwrap(), &list).unwrap()),
            "2"
        );
        assert_eq!(
            plain(&apply(&compile("nothing").unwrap(), &list).unwrap()),
            ""
        );
        assert!(compile("items[").is_err());
    }
}
