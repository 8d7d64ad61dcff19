//! Lenient readers for the shapes real servers send: a string or an object with an id, one
//! value or an array, Links instead of URLs, nulls and wrong types where a value is optional.

use activitypub_federation::fetch::object_id::ObjectId;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

use super::PUBLIC;

/// The id of a reference: `"https://…"` or `{"id": "https://…", …}` (the first of an array).
pub fn id_of(value: &Value) -> Option<Url> {
    match value {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(map) => map.get("id").and_then(id_of),
        Value::Array(items) => items.iter().find_map(id_of),
        _ => None,
    }
}

/// A link target: `"https://…"`, a Link (`href`), an Image (`url`), or an array of those,
/// preferring an HTML link in an array. Only http(s) URLs: a `javascript:`, `data:` or
/// `file:` link is no link at all.
pub fn url_of(value: &Value) -> Option<Url> {
    match value {
        Value::String(s) => Url::parse(s)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https")),
        Value::Object(map) => ["href", "url", "id"]
            .iter()
            .find_map(|key| map.get(*key).and_then(url_of)),
        Value::Array(items) => items
            .iter()
            .find(|item| item.get("mediaType").and_then(Value::as_str) == Some("text/html"))
            .and_then(url_of)
            .or_else(|| items.iter().find_map(url_of)),
        _ => None,
    }
}

/// A plain string field, or none for null, a number, an object.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::String(s)) => Some(s),
        _ => None,
    })
}

pub fn optional_url<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?.and_then(|v| url_of(&v)))
}

/// The ids of a list of references (one reference counts as a list of one); ids that are
/// not http(s) URLs are left out.
pub fn ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Url>, D::Error> {
    let one = |value: &Value| id_of(value).filter(|url| matches!(url.scheme(), "http" | "https"));
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(value) => one(&value).into_iter().collect(),
        None => Vec::new(),
    })
}

/// An optional reference's id (`"https://…"` or an object's `id`), http(s) only.
pub fn optional_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?
        .and_then(|v| id_of(&v))
        .filter(|url| matches!(url.scheme(), "http" | "https")))
}

pub fn optional_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?.and_then(|v| v.as_bool()))
}

/// A required reference to an actor, given as an IRI or an embedded object.
pub fn object_id<'de, D, Kind>(deserializer: D) -> Result<ObjectId<Kind>, D::Error>
where
    D: Deserializer<'de>,
    Kind: activitypub_federation::traits::Object + Send + 'static,
    for<'a> <Kind as activitypub_federation::traits::Object>::Kind: Deserialize<'a>,
{
    let value = Value::deserialize(deserializer)?;
    id_of(&value)
        .map(ObjectId::from)
        .ok_or_else(|| serde::de::Error::custom("expected an IRI or an object with an id"))
}

/// Whether an addressing field (`to`, `cc`, `audience`) names the public collection, in any
/// of its three spellings.
pub fn addresses_public(value: &Value) -> bool {
    const SPELLINGS: [&str; 3] = [PUBLIC, "as:Public", "Public"];
    match value {
        Value::String(s) => SPELLINGS.contains(&s.as_str()),
        Value::Array(items) => items.iter().any(addresses_public),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{addresses_public, id_of, url_of};
    use serde_json::json;

    #[test]
    fn reads_ids_and_urls_in_every_shape() {
        assert_eq!(
            id_of(&json!({"id": "https://a.example/x", "type": "Follow"})).map(String::from),
            Some("https://a.example/x".into())
        );
        assert_eq!(
            url_of(&json!([
                {"type": "Link", "mediaType": "application/x-mpegURL", "href": "https://v.example/m3u8"},
                {"type": "Link", "mediaType": "text/html", "href": "https://v.example/w/1"}
            ]))
            .map(String::from),
            Some("https://v.example/w/1".into())
        );
        assert_eq!(
            url_of(&json!({"type": "Image", "url": "https://i.example/a.png"})).map(String::from),
            Some("https://i.example/a.png".into())
        );
        assert_eq!(id_of(&json!(42)), None);
    }

    #[test]
    fn public_addressing_in_three_spellings() {
        assert!(addresses_public(&json!("as:Public")));
        assert!(addresses_public(&json!([
            "https://x.example/followers",
            "Public"
        ])));
        assert!(addresses_public(&json!(
            "https://www.w3.org/ns/activitystreams#Public"
        )));
        assert!(!addresses_public(&json!(["https://x.example/followers"])));
    }
}
