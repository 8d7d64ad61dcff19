//! Posts of other servers read from the wire: the types the timeline keeps, their fields
//! read leniently in every shape real servers send, and their origin established (an
//! embedded object is believed only when its own server sent it; otherwise it is fetched
//! from its id). The timeline service decides what to keep, and cleans it.

use activitypub_federation::{config::Data, fetch::fetch_object_http};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use url::Url;

use crate::{
    domain::{
        post::Location,
        remote::{
            Attachment, CallDetails, EventDetails, Mention, Poll, PollOption, PostDetails,
            TranslatedText,
        },
    },
    error::{AppError, AppResult, ErrorKind},
    federation::lenient::{addresses_public, id_of, url_of},
    service::timeline::IncomingPost,
    state::AppState,
    urls::host_and_port,
};

/// Object types the timeline keeps.
pub const POST_TYPES: &[&str] = &[
    "Note", "Article", "Page", "Event", "Question", "Video", "Image", "Audio",
];

/// Actor types, preferred as the author when `attributedTo` lists a person and a group
/// (PeerTube: the account and its channel).
const PERSON_TYPES: &[&str] = &["Person", "Service", "Application", "Organization"];

fn string(object: &Value, field: &str) -> Option<String> {
    object
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn time(object: &Value, field: &str) -> Option<NaiveDateTime> {
    object
        .get(field)
        .and_then(Value::as_str)
        .and_then(crate::service::timeline::receive::utc)
}

/// One value or an array of them, as a list.
fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => vec![],
        Some(item) => vec![item],
    }
}

/// An object's `type`, or empty when it has none (or several).
pub fn kind_of(value: &Value) -> &str {
    value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Whose post it is: `attributedTo` (a person before a group when it lists both).
pub fn author_of(object: &Value) -> Option<Url> {
    let attributed = object.get("attributedTo")?;
    let items = list(Some(attributed));
    items
        .iter()
        .find(|item| PERSON_TYPES.contains(&kind_of(item)))
        .and_then(|item| id_of(item))
        .or_else(|| id_of(attributed))
}

/// The language maps of `field` (`contentMap`, …): language → text.
fn language_map<'a>(object: &'a Value, field: &str) -> Option<&'a Map<String, Value>> {
    object.get(format!("{field}Map")).and_then(Value::as_object)
}

/// The primary language: the map entry equal to `content` (else `name`), else the first.
fn primary_language(object: &Value) -> Option<String> {
    for field in ["content", "name", "summary"] {
        let Some(map) = language_map(object, field) else {
            continue;
        };
        let plain = object.get(field).and_then(Value::as_str);
        let matching = map
            .iter()
            .find(|(_, text)| plain.is_some() && text.as_str() == plain)
            .or_else(|| map.iter().next());
        if let Some((language, _)) = matching {
            return Some(language.clone());
        }
    }
    None
}

/// `field`, or its map's text in `language`, or the map's first text.
fn text(object: &Value, field: &str, language: Option<&str>) -> Option<String> {
    string(object, field).or_else(|| {
        let map = language_map(object, field)?;
        language
            .and_then(|l| map.get(l))
            .or_else(|| map.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

/// The other languages of the maps, each with its name, summary and content.
fn translations(object: &Value, primary: Option<&str>) -> Vec<TranslatedText> {
    let mut languages: Vec<String> = vec![];
    for field in ["content", "name", "summary"] {
        for language in language_map(object, field)
            .into_iter()
            .flat_map(|m| m.keys())
        {
            if Some(language.as_str()) != primary && !languages.contains(language) {
                languages.push(language.clone());
            }
        }
    }
    let in_language = |field: &str, language: &str| {
        language_map(object, field)
            .and_then(|m| m.get(language))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    languages
        .into_iter()
        .map(|language| TranslatedText {
            name: in_language("name", &language),
            summary: in_language("summary", &language),
            content: in_language("content", &language),
            language,
        })
        .collect()
}

fn tags(object: &Value) -> (Vec<String>, Vec<Mention>) {
    let mut topics = vec![];
    let mut mentions = vec![];
    for tag in list(object.get("tag")) {
        let name = string(tag, "name").unwrap_or_default();
        match kind_of(tag) {
            "Hashtag" => topics.push(name.trim_start_matches('#').to_string()),
            "Mention" => {
                if let Some(href) = tag.get("href").and_then(url_of) {
                    mentions.push(Mention {
                        name,
                        href: href.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    (topics, mentions)
}

/// Media attached to the post, and its cover `image` (Articles, Mobilizon's banners).
fn attachments(object: &Value) -> Vec<Attachment> {
    let mut found: Vec<Attachment> = vec![];
    let media = list(object.get("attachment"))
        .into_iter()
        .filter(|a| matches!(kind_of(a), "Document" | "Image" | "Video" | "Audio"))
        .chain(list(object.get("image")));
    for item in media {
        let Some(url) = item.get("url").and_then(url_of).or_else(|| url_of(item)) else {
            continue;
        };
        let url = url.to_string();
        if found.iter().any(|a| a.url == url) {
            continue;
        }
        let media_type = string(item, "mediaType").or_else(|| match kind_of(item) {
            "Image" => Some("image/*".to_string()),
            _ => None,
        });
        found.push(Attachment {
            url,
            media_type,
            alt: string(item, "name").unwrap_or_default(),
            ..Attachment::default()
        });
    }
    found
}

fn place(location: &Value) -> Option<Location> {
    let address = location.get("address");
    let field = |name: &str| -> Option<String> {
        address
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let coordinate = |name: &str| {
        location
            .get(name)
            .or_else(|| location.get("geo").and_then(|g| g.get(name)))
            .and_then(Value::as_f64)
    };
    Some(Location {
        name: string(location, "name"),
        // Some servers send the address as one line.
        street: field("streetAddress")
            .or_else(|| address.and_then(Value::as_str).map(str::to_string)),
        postal_code: field("postalCode"),
        locality: field("addressLocality"),
        region: field("addressRegion"),
        country: field("addressCountry"),
        latitude: coordinate("latitude"),
        longitude: coordinate("longitude"),
    })
}

fn event(object: &Value) -> Option<EventDetails> {
    let mut place_found = None;
    let mut online_url = None;
    for location in list(object.get("location")) {
        match kind_of(location) {
            "VirtualLocation" => online_url = location.get("url").and_then(url_of),
            _ => place_found = place_found.or_else(|| place(location)),
        }
    }
    let status = match (
        string(object, "eventStatus").as_deref(),
        string(object, "ical:status").as_deref(),
    ) {
        (Some(s), _) if s.ends_with("EventCancelled") => Some("cancelled"),
        (Some(s), _) if s.ends_with("EventPostponed") => Some("postponed"),
        (Some(s), _) if s.ends_with("EventMovedOnline") => Some("moved_online"),
        (Some(_), _) => Some("scheduled"),
        (None, Some("CANCELLED")) => Some("cancelled"),
        (None, Some(_)) => Some("scheduled"),
        (None, None) => None,
    };
    Some(EventDetails {
        start: string(object, "startTime")?,
        end: string(object, "endTime"),
        timezone: string(object, "timezone"),
        place: place_found,
        online_url: online_url.map(String::from),
        registration_url: (string(object, "joinMode").as_deref() == Some("external"))
            .then(|| object.get("externalParticipationUrl").and_then(url_of))
            .flatten()
            .map(String::from),
        status: status.map(str::to_string),
    })
}

/// munifed's call terms (any object type may carry them).
fn is_call(object: &Value) -> bool {
    ["callKind", "deadline", "applyUrl"]
        .iter()
        .any(|term| object.get(*term).is_some())
}

fn call(object: &Value) -> Option<CallDetails> {
    Some(CallDetails {
        kind: string(object, "callKind").unwrap_or_else(|| "other".to_string()),
        deadline: string(object, "deadline").or_else(|| string(object, "endTime"))?,
        timezone: string(object, "timezone"),
        eligibility: string(object, "eligibility"),
        apply_url: object.get("applyUrl").and_then(url_of).map(String::from),
    })
}

fn poll(object: &Value) -> Option<Poll> {
    let (options, multiple) = match (object.get("oneOf"), object.get("anyOf")) {
        (Some(one), _) => (one, false),
        (None, Some(any)) => (any, true),
        (None, None) => return None,
    };
    Some(Poll {
        options: list(Some(options))
            .into_iter()
            .map(|option| PollOption {
                name: string(option, "name").unwrap_or_default(),
                votes: option
                    .get("replies")
                    .and_then(|r| r.get("totalItems"))
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
            })
            .collect(),
        multiple,
        closes: string(object, "endTime").or_else(|| string(object, "closed")),
    })
}

/// An http(s) id: `javascript://host/…` has a host too.
fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// The post an object describes, as sent: `None` for what the timeline does not keep
/// (other types, posts not addressed to the public, objects without an id or author).
pub fn read_post(object: &Value) -> Option<IncomingPost> {
    let object_type = kind_of(object);
    if !POST_TYPES.contains(&object_type) {
        return None;
    }
    let public = ["to", "cc", "audience"]
        .iter()
        .any(|field| object.get(*field).is_some_and(addresses_public));
    if !public {
        return None;
    }
    let ap_id = object.get("id").and_then(id_of).filter(is_web)?;
    let author = author_of(object).filter(is_web)?;
    // A post lives on its author's server: anything else is a forgery (Mastodon's rule).
    if host_and_port(&ap_id) != host_and_port(&author) {
        return None;
    }
    let kind = if is_call(object) {
        "call"
    } else {
        match object_type {
            "Event" => "event",
            "Article" | "Page" => "news",
            _ => "note",
        }
    };
    let language = primary_language(object);
    let summary = text(object, "summary", language.as_deref());
    // Mastodon's convention: a note's summary is a content warning.
    let sensitive = object.get("sensitive").and_then(Value::as_bool) == Some(true)
        || (kind == "note" && summary.as_deref().is_some_and(|s| !s.trim().is_empty()));
    let (topics, mentions) = tags(object);
    Some(IncomingPost {
        details: PostDetails {
            translations: translations(object, language.as_deref()),
            topics,
            mentions,
            attachments: attachments(object),
            call: if kind == "call" { call(object) } else { None },
            event: if object_type == "Event" {
                event(object)
            } else {
                None
            },
            poll: if object_type == "Question" {
                poll(object)
            } else {
                None
            },
        },
        ap_id,
        author,
        object_type: object_type.to_string(),
        kind: kind.to_string(),
        name: text(object, "name", language.as_deref()),
        summary,
        content: text(object, "content", language.as_deref()),
        language,
        url: object.get("url").and_then(url_of),
        sensitive,
        in_reply_to: object.get("inReplyTo").and_then(id_of).filter(is_web),
        published: time(object, "published"),
        updated: time(object, "updated"),
    })
}

/// What fetching an object from its origin found.
pub enum Origin {
    Found(Value),
    /// The origin says it is gone (410, or 404 as the library reads it).
    Gone,
    /// The origin answered with something that is not the object (an error page, another
    /// id, another content type): nothing to believe, nothing to retry.
    Unreadable,
}

/// The object of an activity as its origin has it: an embedded object is believed when it
/// is on the host of `sender` (whose signed activity carried it); otherwise, and for a bare
/// IRI, it is fetched from its id with a signed GET.
pub async fn from_origin(data: &Data<AppState>, sender: &Url, object: &Value) -> AppResult<Origin> {
    let id = id_of(object).ok_or_else(|| AppError::bad_request("error-object-no-id"))?;
    if embedded_by_origin(sender, object) {
        return Ok(Origin::Found(object.clone()));
    }
    fetch(data, &id).await
}

/// Whether `object` is embedded by its own server: an object (not a bare IRI) whose id is
/// on the host of `sender`, believed as sent.
pub fn embedded_by_origin(sender: &Url, object: &Value) -> bool {
    object.is_object()
        && id_of(object).is_some_and(|id| {
            id.scheme() == sender.scheme() && host_and_port(&id) == host_and_port(sender)
        })
}

/// Fetches `id` from its server (signed, through the guarded client).
pub async fn fetch(data: &Data<AppState>, id: &Url) -> AppResult<Origin> {
    if data.urls.is_local(id) {
        return Err(AppError::bad_request("error-local-object-not-fetched"));
    }
    use activitypub_federation::error::Error as Federation;
    match fetch_object_http::<_, Value>(id, data).await {
        Ok(response) => Ok(Origin::Found(response.object)),
        Err(Federation::ObjectDeleted(_) | Federation::NotFound) => Ok(Origin::Gone),
        Err(
            Federation::ParseFetchedObject(..)
            | Federation::FetchWrongId(_)
            | Federation::FetchInvalidContentType(_),
        ) => Ok(Origin::Unreadable),
        Err(error) => Err(ErrorKind::Federation(error).into()),
    }
}
