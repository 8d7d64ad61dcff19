//! Our posts on the wire: news and calls as `Article`, events as `Event` (Mobilizon- and
//! FEP-8a8e-compatible), or all as `Note` with `federation.publish_as = "note"`.

use html_escape::{encode_double_quoted_attribute, encode_text};
use serde_json::{json, Map, Value};

use crate::{
    config::PublishAs,
    db::posts::PostView,
    domain::{post::PostKind, time::rfc3339_utc},
    federation::PUBLIC,
    i18n::Tr,
    service::posts::when_and_where,
    urls::Urls,
};

/// `summary` as Mastodon shows it: the when/where lines, then the lead.
fn summary_text(view: &PostView, lead: &str) -> String {
    let mut parts = when_and_where(view, Tr::around(&view.post.language));
    if !lead.is_empty() {
        parts.push(lead.to_string());
    }
    parts.join(" · ")
}

fn language_map(
    view: &PostView,
    primary: String,
    other: impl Fn(&crate::db::posts::DbTranslation) -> String,
) -> Value {
    let mut map = Map::new();
    map.insert(view.post.language.clone(), json!(primary));
    for translation in &view.translations {
        map.insert(translation.language.clone(), json!(other(translation)));
    }
    Value::Object(map)
}

fn tags(view: &PostView, urls: &Urls) -> Vec<Value> {
    view.topics
        .iter()
        .map(|topic| json!({ "type": "Hashtag", "name": format!("#{topic}"), "href": urls.topic(topic) }))
        .collect()
}

fn place(view: &PostView) -> Option<Value> {
    let post = &view.post;
    let has_place = post.location_name.is_some()
        || post.location_locality.is_some()
        || post.location_street.is_some();
    if !has_place {
        return None;
    }
    let mut place = json!({ "type": "Place" });
    if let Some(name) = post
        .location_name
        .as_ref()
        .or(post.location_locality.as_ref())
    {
        place["name"] = json!(name);
    }
    let mut address = json!({ "type": "PostalAddress" });
    for (key, value) in [
        ("streetAddress", &post.location_street),
        ("postalCode", &post.location_postal_code),
        ("addressLocality", &post.location_locality),
        ("addressRegion", &post.location_region),
        ("addressCountry", &post.location_country),
    ] {
        if let Some(value) = value {
            address[key] = json!(value);
        }
    }
    place["address"] = address;
    if let (Some(latitude), Some(longitude)) = (post.location_latitude, post.location_longitude) {
        place["latitude"] = json!(latitude);
        place["longitude"] = json!(longitude);
    }
    Some(place)
}

/// The AS2 object of a post (without `@context`).
pub fn post_json(view: &PostView, urls: &Urls, publish_as: PublishAs) -> Value {
    let post = &view.post;
    let kind = view.kind();
    let id = urls.post(kind, post.id);
    let mut object = json!({
        "id": id,
        "type": "Article",
        "url": id,
        "attributedTo": view.account.ap_id.as_str(),
        "published": rfc3339_utc(post.published),
        "updated": rfc3339_utc(post.updated),
        "to": [PUBLIC],
        "cc": [view.account.followers_url.clone().unwrap_or_default()],
        "mediaType": "text/html",
    });
    if publish_as == PublishAs::Note {
        let note = note_content(view, id.as_ref());
        object["type"] = json!("Note");
        object["content"] = json!(note.clone());
        object["contentMap"] = json!({ post.language.clone(): note });
    } else {
        object["type"] = json!(if kind == PostKind::Event {
            "Event"
        } else {
            "Article"
        });
        object["name"] = json!(post.title);
        object["nameMap"] = language_map(view, post.title.clone(), |t| t.title.clone());
        object["summary"] = json!(summary_text(view, &post.summary));
        object["summaryMap"] = language_map(view, summary_text(view, &post.summary), |t| {
            summary_text(view, &t.summary)
        });
        object["content"] = json!(post.body_html);
        object["contentMap"] = language_map(view, post.body_html.clone(), |t| t.body_html.clone());
    }
    object["tag"] = json!(tags(view, urls));
    if let Some(image_url) = &post.image_url {
        let image = json!({ "type": "Image", "url": image_url, "name": post.image_alt.clone().unwrap_or_default() });
        object["image"] = image.clone();
        object["attachment"] = json!([image]);
    }
    match kind {
        PostKind::Call => {
            if let Some(deadline) = view.deadline() {
                object["deadline"] = json!(deadline.rfc3339());
                object["endTime"] = json!(deadline.rfc3339());
            }
            object["callKind"] = json!(post.call_kind);
            object["timezone"] = json!(post.timezone);
            if let Some(eligibility) = &post.eligibility {
                object["eligibility"] = json!(eligibility);
            }
            if let Some(apply_url) = &post.apply_url {
                object["applyUrl"] = json!(apply_url);
            }
        }
        PostKind::Event => {
            if let Some(start) = view.start() {
                object["startTime"] = json!(start.rfc3339());
            }
            if let Some(end) = view.end() {
                object["endTime"] = json!(end.rfc3339());
            }
            object["timezone"] = json!(post.timezone);
            let mut locations = vec![];
            if let Some(place) = place(view) {
                locations.push(place);
            }
            if let Some(online) = &post.online_url {
                locations.push(json!({ "type": "VirtualLocation", "url": online }));
                object["isOnline"] =
                    json!(post.location_name.is_none() && post.location_locality.is_none());
            }
            match locations.len() {
                0 => {}
                1 => object["location"] = locations.remove(0),
                _ => object["location"] = json!(locations),
            }
            let (ical, schema) = match post.event_status.as_deref() {
                Some("cancelled") => ("CANCELLED", "https://schema.org/EventCancelled"),
                Some("postponed") => ("TENTATIVE", "https://schema.org/EventPostponed"),
                Some("moved_online") => ("CONFIRMED", "https://schema.org/EventMovedOnline"),
                _ => ("CONFIRMED", "https://schema.org/EventScheduled"),
            };
            object["ical:status"] = json!(ical);
            object["eventStatus"] = json!(schema);
            if let Some(registration) = &post.registration_url {
                object["joinMode"] = json!("external");
                object["externalParticipationUrl"] = json!(registration);
            }
        }
        PostKind::News => {}
    }
    object
}

/// A Note's content: the title in bold, the lead, the text, when/where, the link.
fn note_content(view: &PostView, url: &str) -> String {
    let post = &view.post;
    let mut html = format!("<p><strong>{}</strong></p>", encode_text(&post.title));
    if !post.summary.is_empty() {
        html.push_str(&format!("<p>{}</p>", encode_text(&post.summary)));
    }
    html.push_str(&post.body_html);
    let lines = when_and_where(view, Tr::around(&view.post.language));
    if !lines.is_empty() {
        let lines: Vec<_> = lines.iter().map(|l| encode_text(l)).collect();
        html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
    }
    html.push_str(&format!(
        r#"<p><a href="{}">{}</a></p>"#,
        encode_double_quoted_attribute(url),
        encode_text(url)
    ));
    html
}

/// `Create` or `Update` of a post, addressed like the post.
pub fn create_or_update(verb: &str, activity_id: &url::Url, object: Value) -> Value {
    json!({
        "id": activity_id,
        "type": verb,
        "actor": object["attributedTo"],
        "published": object["updated"],
        "to": object["to"],
        "cc": object["cc"],
        "object": object,
    })
}

/// `Delete` of a post: its object is a Tombstone.
pub fn delete(activity_id: &url::Url, view: &PostView, urls: &Urls) -> Value {
    let kind = view.kind();
    json!({
        "id": activity_id,
        "type": "Delete",
        "actor": view.account.ap_id.as_str(),
        "to": [PUBLIC],
        "cc": [view.account.followers_url.clone().unwrap_or_default()],
        "object": tombstone(view, urls, kind),
    })
}

pub fn tombstone(view: &PostView, urls: &Urls, kind: PostKind) -> Value {
    let mut tombstone = json!({
        "id": urls.post(kind, view.post.id),
        "type": "Tombstone",
        "formerType": if kind == PostKind::Event { "Event" } else { "Article" },
    });
    if let Some(deleted) = view.post.deleted_at {
        tombstone["deleted"] = json!(rfc3339_utc(deleted));
    }
    tombstone
}
