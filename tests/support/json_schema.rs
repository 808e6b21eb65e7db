//! A minimal JSON Schema validator for the tests: the keywords our schemas
//! use (`type`, `required`, `properties`, `additionalProperties`, `items`,
//! `enum`, `const`, `minimum`, `uniqueItems`, `$ref` to `#/definitions/…`).
//! Any other keyword is an error, so a schema cannot silently rely on one
//! this validator ignores.

use serde_json::Value;

/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "definitions",
    "default",
];

/// Every violation of `schema` by `instance`, as `path: problem` lines.
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, instance, "$", &mut errors);
    errors
}

fn type_ok(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown type `{other}` in schema"),
    }
}

fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let name = reference
        .strip_prefix("#/definitions/")
        .unwrap_or_else(|| panic!("unsupported $ref `{reference}`"));
    root.get("definitions")
        .and_then(|d| d.get(name))
        .unwrap_or_else(|| panic!("unresolved $ref `{reference}`"))
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    for (key, rule) in schema {
        match key.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => check(root, resolve(root, rule.as_str().unwrap()), v, at, errors),
            "type" => {
                let ok = match rule {
                    Value::String(t) => type_ok(t, v),
                    Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
                    _ => panic!("bad `type` in schema"),
                };
                if !ok {
                    errors.push(format!("{at}: expected type {rule}, found {v}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(v) {
                    errors.push(format!("{at}: {v} is not one of {rule}"));
                }
            }
            "const" => {
                if rule != v {
                    errors.push(format!("{at}: {v} is not {rule}"));
                }
            }
            "minimum" => {
                if let Some(n) = v.as_f64() {
                    if n < rule.as_f64().unwrap() {
                        errors.push(format!("{at}: {n} is below the minimum {rule}"));
                    }
                }
            }
            "required" => {
                if let Some(obj) = v.as_object() {
                    for name in rule.as_array().unwrap() {
                        let name = name.as_str().unwrap();
                        if !obj.contains_key(name) {
                            errors.push(format!("{at}: missing required property `{name}`"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(obj) = v.as_object() {
                    for (name, sub) in rule.as_object().unwrap() {
                        if let Some(value) = obj.get(name) {
                            check(root, sub, value, &format!("{at}.{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = v.as_object() {
                    let known = schema.get("properties").and_then(Value::as_object);
                    for (name, value) in obj {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        match rule {
                            Value::Bool(false) => {
                                errors.push(format!("{at}: property `{name}` is not allowed"));
                            }
                            Value::Bool(true) => {}
                            sub => check(root, sub, value, &format!("{at}.{name}"), errors),
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = v.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        check(root, rule, item, &format!("{at}[{i}]"), errors);
                    }
                }
            }
            "uniqueItems" => {
                if let (Some(items), Some(true)) = (v.as_array(), rule.as_bool()) {
                    for (i, a) in items.iter().enumerate() {
                        if items[..i].contains(a) {
                            errors.push(format!("{at}[{i}]: duplicate item"));
                        }
                    }
                }
            }
            other => panic!("schema keyword `{other}` is not supported by this validator"),
        }
    }
}
