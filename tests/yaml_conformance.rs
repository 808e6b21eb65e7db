//! YAML indentation as libyaml (go-yaml in Helm, kubectl and Talos; PyYAML)
//! reads it: the yaml-test-suite cases about block and flow indentation
//! (ids cited, expected JSON from the suite; for the few inputs the spec
//! calls invalid but libyaml reads, the JSON PyYAML reads), and the shapes
//! met in real charts. Data: tests/data/yaml_indentation_cases.json.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use demarcate::formats::embed::PosMap;
use demarcate::formats::tree::{Node, NodeKind, YamlSchema};
use demarcate::formats::yaml;
use demarcate::limits::Limits;
use demarcate::setting::{Pos, Value};
use demarcate::source::Source;
use serde_json::Value as Json;

fn to_json(node: &Node) -> Json {
    match &node.kind {
        NodeKind::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
        NodeKind::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        NodeKind::Scalar(_) => match node.value(YamlSchema::Core) {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => serde_json::from_str(&n).unwrap_or(Json::String(n)),
            Value::Str(s) | Value::Expr(s) => Json::String(s),
            other => panic!("scalar read as {other:?}"),
        },
    }
}

/// Numbers compare by value (`1.0` and `1`), everything else exactly.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn indentation_cases_read_as_libyaml_reads_them() {
    let text = include_str!("data/yaml_indentation_cases.json");
    let cases: Vec<Json> = serde_json::from_str(text).unwrap();
    assert!(cases.len() > 90, "the case list is complete");
    let mut wrong = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let input = case["yaml"].as_str().unwrap();
        let stream = yaml::parse(
            &Source::new(input.to_string()),
            &PosMap::Identity,
            &Limits::default(),
        );
        match &case["expect"] {
            Json::String(s) if s == "error" => {
                if stream.fatal.is_none() {
                    wrong.push(format!("{id}: read, but libyaml rejects it"));
                }
            }
            Json::Array(expected) => {
                if let Some(err) = &stream.fatal {
                    wrong.push(format!("{id}: {} at {:?}", err.message, err.pos));
                    continue;
                }
                let got: Vec<Json> = stream.docs.iter().map(to_json).collect();
                let got = Json::Array(got);
                if !same(&got, &Json::Array(expected.clone())) {
                    wrong.push(format!("{id}: read {got}, expected {expected:?}"));
                }
            }
            other => panic!("{id}: bad expectation {other}"),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Spans stay exact on the lines put in further for saphyr.
#[test]
fn reindented_lines_keep_exact_positions() {
    let src = "a:\n  args: [\n  \"x\",\n    \"y\"\n  ]\n  b: 1\nq: \"a\nbc\"\n";
    let stream = yaml::parse(
        &Source::new(src.to_string()),
        &PosMap::Identity,
        &Limits::default(),
    );
    assert!(stream.fatal.is_none(), "{:?}", stream.fatal);
    let doc = &stream.docs[0];
    let args = doc.get_path(&["a", "args"]).unwrap();
    assert_eq!(
        (args.span.start, args.span.end),
        (Pos::new(2, 9), Pos::new(5, 4))
    );
    let items = args.items();
    assert_eq!(
        (items[0].span.start, items[0].span.end),
        (Pos::new(3, 3), Pos::new(3, 6))
    );
    assert_eq!(
        (items[1].span.start, items[1].span.end),
        (Pos::new(4, 5), Pos::new(4, 8))
    );
    let b = doc.get_path(&["a", "b"]).unwrap();
    assert_eq!(b.span.start, Pos::new(6, 6));
    let q = doc.get("q").unwrap();
    assert_eq!((q.span.start, q.span.end), (Pos::new(7, 4), Pos::new(8, 4)));
    assert_eq!(q.as_str(), Some("a bc"));
}
