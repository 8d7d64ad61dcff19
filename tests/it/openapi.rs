//! The OpenAPI document: it describes every API route the code registers (and none it does
//! not), and real answers of the API match its schemas field for field.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::{
    helpers::{spawn_app, TestApp},
    publishing::{api, call, event, news, token_for},
};

/// `(path, method)` of every route the API modules register, read from `src/api`.
fn routes_in_code() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for (at, _) in source.match_indices(".route(\"") {
            let rest = &source[at + ".route(\"".len()..];
            let path = &rest[..rest.find('"').unwrap()];
            let method = rest.split("web::").nth(1).unwrap();
            let method = &method[..method.find('(').unwrap()];
            routes.insert((path.to_string(), method.to_string()));
        }
    }
    routes
}

/// Checks `value` against `schema` (the subset of JSON Schema the document uses: `$ref`,
/// `oneOf`, `type`, `enum`, `properties`, `required`, `additionalProperties`, `items`).
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.strip_prefix("#/components/schemas/").unwrap();
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{reference} is not defined");
        return check(doc, target, value, at);
    }
    if let Some(branches) = schema["oneOf"].as_array() {
        return match branches.iter().any(|b| check(doc, b, value, at).is_ok()) {
            true => Ok(()),
            false => Err(format!("{at}: {value} matches no branch")),
        };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let type_of = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = |t: &&str| *t == type_of || (*t == "number" && type_of == "integer");
    if !types.is_empty() && !types.iter().any(fits) {
        return Err(format!("{at}: {type_of} where {types:?} is described"));
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap();
                if !fields.contains_key(name) {
                    return Err(format!("{at}: the required {name} is missing"));
                }
            }
            for (name, field) in fields {
                let at = format!("{at}.{name}");
                match (&schema["properties"][name], &schema["additionalProperties"]) {
                    (described, _) if !described.is_null() => check(doc, described, field, &at)?,
                    (_, Value::Bool(false)) => return Err(format!("{at} is not described")),
                    (_, additional) if additional.is_object() => {
                        check(doc, additional, field, &at)?
                    }
                    _ => {}
                }
            }
            Ok(())
        }
        Value::Array(items) if schema["items"].is_object() => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check(doc, &schema["items"], item, &format!("{at}[{i}]"))),
        _ => Ok(()),
    }
}

/// The schema the document gives for `status` answers of `method path` (a path as the
/// document writes it).
fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "{method} {path} is not described");
    let response = &operation["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {path} {status} is not described"
    );
    &response["content"]["application/json"]["schema"]
}

/// Sends a request and checks its answer against the document.
async fn described(
    app: &TestApp,
    doc: &Value,
    (method, described_path, path): (reqwest::Method, &str, &str),
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let (status, answer) = api(app, method.clone(), path, token, body).await;
    let verb = method.as_str().to_lowercase();
    let schema = response_schema(doc, described_path, &verb, status);
    if !schema.is_null() {
        if let Err(why) = check(doc, schema, &answer, "answer") {
            panic!("{method} {path} → {status} does not match the document: {why}\n{answer:#}");
        }
    }
    (status, answer)
}

#[tokio::test]
async fn the_document_describes_every_route_and_the_answers_match_it() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let described_routes: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            ["get", "post", "put", "delete", "patch"]
                .into_iter()
                .filter(|m| item[*m].is_object())
                .map(|m| (path.clone(), m.to_string()))
        })
        .collect();
    assert_eq!(described_routes, routes_in_code());

    let (editor, admin) = (
        token_for(&app, "editor").await,
        token_for(&app, "admin").await,
    );
    use reqwest::Method as M;
    let (status, created) = described(
        &app,
        &doc,
        (M::POST, "/api/v1/{kind}", "/api/v1/events"),
        Some(&editor),
        Some(&event()),
    )
    .await;
    assert_eq!(status, 201);
    for (path, body) in [("/api/v1/calls", call()), ("/api/v1/news", news())] {
        let request = (M::POST, "/api/v1/{kind}", path);
        let (status, _) = described(&app, &doc, request, Some(&editor), Some(&body)).await;
        assert_eq!(status, 201);
    }
    let event_path = format!("/api/v1/events/{}", created["id"]);
    let reads = [
        (M::GET, "/api/v1/{kind}", "/api/v1/events"),
        (M::GET, "/api/v1/{kind}", "/api/v1/calls?topic=migration"),
        (M::GET, "/api/v1/{kind}/{id}", event_path.as_str()),
        (M::GET, "/api/v1/timeline", "/api/v1/timeline?local=true"),
        (M::GET, "/api/v1/network/events", "/api/v1/network/events"),
        (M::GET, "/api/v1/network/calls", "/api/v1/network/calls"),
        (M::GET, "/api/v1/follows", "/api/v1/follows"),
        (M::GET, "/embed/events.json", "/embed/events.json"),
        (M::GET, "/embed/calls.json", "/embed/calls.json?limit=2"),
    ];
    for request in reads {
        let (status, _) = described(&app, &doc, request, Some(&editor), None).await;
        assert_eq!(status, 200);
    }
    let admin_reads = [
        (M::GET, "/api/v1/relays", "/api/v1/relays"),
        (M::GET, "/api/v1/instance/stats", "/api/v1/instance/stats"),
    ];
    for request in admin_reads {
        let (status, _) = described(&app, &doc, request, Some(&admin), None).await;
        assert_eq!(status, 200);
    }
    let mut change = event();
    change["title"] = json!("World Forum, second day added");
    let request = (M::PUT, "/api/v1/{kind}/{id}", event_path.as_str());
    let (status, _) = described(&app, &doc, request, Some(&editor), Some(&change)).await;
    assert_eq!(status, 200);

    // Errors have the described shape too.
    let refusals = [
        (
            M::POST,
            "/api/v1/{kind}",
            "/api/v1/news",
            None,
            json!({"title": "x"}),
            401,
        ),
        (
            M::POST,
            "/api/v1/{kind}",
            "/api/v1/news",
            Some(&editor),
            json!({}),
            422,
        ),
        (
            M::GET,
            "/api/v1/relays",
            "/api/v1/relays",
            Some(&editor),
            Value::Null,
            403,
        ),
        (
            M::POST,
            "/api/v1/follows",
            "/api/v1/follows",
            Some(&editor),
            json!([]),
            400,
        ),
    ];
    for (method, described_path, path, token, body, expected) in refusals {
        let body = (!body.is_null()).then_some(&body);
        let request = (method, described_path, path);
        let (status, _) = described(&app, &doc, request, token.map(String::as_str), body).await;
        assert_eq!(status, expected, "{path}");
    }
    let request = (M::DELETE, "/api/v1/{kind}/{id}", event_path.as_str());
    let (status, _) = described(&app, &doc, request, Some(&editor), None).await;
    assert_eq!(status, 204);
}

#[test]
fn the_checker_refuses_what_the_document_does_not_describe() {
    let doc = json!({"components": {"schemas": {"Thing": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "size": {"type": ["integer", "null"]}},
        "required": ["name"],
        "additionalProperties": false
    }}}});
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    assert!(check(&doc, &thing, &json!({"name": "a", "size": null}), "t").is_ok());
    assert!(check(&doc, &thing, &json!({"size": 3}), "t").is_err());
    assert!(check(&doc, &thing, &json!({"name": "a", "colour": "red"}), "t").is_err());
    assert!(check(&doc, &thing, &json!({"name": 3}), "t").is_err());
    assert!(check(
        &doc,
        &json!({"type": "array", "items": thing}),
        &json!([{"name": 1}]),
        "t"
    )
    .is_err());
}
