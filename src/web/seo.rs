//! What link previews and search engines read: schema.org JSON-LD for posts and profiles
//! (`NewsArticle`, `Article`, `Event`, `Organization`), the sitemap and robots.txt.

use serde_json::{json, Map, Value};

use crate::{
    db::{actors::DbActor, posts::PostView},
    domain::post::PostKind,
    urls::Urls,
};

/// JSON for inside `<script type="application/ld+json">`: `<` escaped, so that no text of
/// a post can close the script element.
pub fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The organisation behind an account, as schema.org describes it.
pub fn organization(account: &DbActor, urls: &Urls) -> Value {
    let mut org = json!({
        "@type": "Organization",
        "name": account.display_name_or_username(),
        "url": urls.profile(&account.username).as_str(),
    });
    if let Some(icon) = &account.icon_url {
        org["logo"] = json!(icon);
    }
    if let Some(website) = &account.website {
        org["sameAs"] = json!([website]);
    }
    org
}

/// A profile page's JSON-LD.
pub fn profile(account: &DbActor, urls: &Urls) -> Value {
    let mut org = organization(account, urls);
    org["@context"] = json!("https://schema.org");
    // The contact is free text: only an e-mail address is one.
    if let Some(contact) = account
        .contact
        .as_deref()
        .filter(|c| c.contains('@') && !c.contains(char::is_whitespace))
    {
        org["email"] = json!(contact);
    }
    org
}

/// A post's JSON-LD: an `Event` (with its place or online address, status, attendance mode
/// and registration), a `NewsArticle` for news, an `Article` for a call.
/// `text` is the page's language version (its title and summary), `url` its address.
pub fn post(view: &PostView, urls: &Urls, text: &PageText<'_>) -> Value {
    let (title, summary) = (text.title, text.summary);
    let post = &view.post;
    let kind = view.kind();
    let publisher = organization(&view.account, urls);
    let mut doc = Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert("url".into(), json!(text.url));
    doc.insert("inLanguage".into(), json!(text.language));
    if !summary.is_empty() {
        doc.insert("description".into(), json!(summary));
    }
    if let Some(image) = &post.image_url {
        doc.insert("image".into(), json!([image]));
    }
    match kind {
        PostKind::Event => {
            doc.insert("@type".into(), json!("Event"));
            doc.insert("name".into(), json!(title));
            if let Some(start) = view.start() {
                doc.insert("startDate".into(), json!(start.rfc3339()));
            }
            if let Some(end) = view.end() {
                doc.insert("endDate".into(), json!(end.rfc3339()));
            }
            let status = match post.event_status.as_deref() {
                Some("cancelled") => "EventCancelled",
                Some("postponed") => "EventPostponed",
                Some("moved_online") => "EventMovedOnline",
                _ => "EventScheduled",
            };
            doc.insert(
                "eventStatus".into(),
                json!(format!("https://schema.org/{status}")),
            );
            // An event moved online is attended online, wherever it was to be.
            let moved_online = post.event_status.as_deref() == Some("moved_online");
            let place = place(view).filter(|_| !moved_online);
            let online = post
                .online_url
                .as_ref()
                .map(|url| json!({ "@type": "VirtualLocation", "url": url }));
            let mode = match (&place, &online) {
                (Some(_), Some(_)) => "MixedEventAttendanceMode",
                (None, Some(_)) => "OnlineEventAttendanceMode",
                _ => "OfflineEventAttendanceMode",
            };
            doc.insert(
                "eventAttendanceMode".into(),
                json!(format!("https://schema.org/{mode}")),
            );
            let locations: Vec<Value> = place.into_iter().chain(online).collect();
            match locations.len() {
                0 => {}
                1 => {
                    doc.insert("location".into(), locations[0].clone());
                }
                _ => {
                    doc.insert("location".into(), json!(locations));
                }
            }
            if let Some(registration) = &post.registration_url {
                doc.insert(
                    "offers".into(),
                    json!({ "@type": "Offer", "url": registration }),
                );
            }
            doc.insert("organizer".into(), publisher);
        }
        PostKind::News | PostKind::Call => {
            let kind_name = if kind == PostKind::News {
                "NewsArticle"
            } else {
                "Article"
            };
            doc.insert("@type".into(), json!(kind_name));
            doc.insert("headline".into(), json!(title));
            doc.insert(
                "datePublished".into(),
                json!(format!("{}Z", post.published.format("%Y-%m-%dT%H:%M:%S"))),
            );
            doc.insert(
                "dateModified".into(),
                json!(format!("{}Z", post.updated.format("%Y-%m-%dT%H:%M:%S"))),
            );
            doc.insert("author".into(), publisher.clone());
            doc.insert("publisher".into(), publisher);
            if let Some(deadline) = view.deadline() {
                // A call's deadline: until when it can be answered.
                doc.insert("expires".into(), json!(deadline.rfc3339()));
            }
        }
    }
    if !view.topics.is_empty() {
        doc.insert("keywords".into(), json!(view.topics.join(", ")));
    }
    Value::Object(doc)
}

/// The language version of a post a page shows.
pub struct PageText<'a> {
    pub language: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// The page's canonical address.
    pub url: &'a str,
}

/// An event's place, when it has one: its name and postal address, and coordinates.
fn place(view: &PostView) -> Option<Value> {
    let post = &view.post;
    let address_parts = [
        ("streetAddress", &post.location_street),
        ("postalCode", &post.location_postal_code),
        ("addressLocality", &post.location_locality),
        ("addressRegion", &post.location_region),
        ("addressCountry", &post.location_country),
    ];
    if post.location_name.is_none() && address_parts.iter().all(|(_, v)| v.is_none()) {
        return None;
    }
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    for (key, value) in address_parts {
        if let Some(value) = value {
            address.insert(key.into(), json!(value));
        }
    }
    // schema.org wants an address: the postal one, else the place's name as text.
    let address = if address.len() > 1 {
        Value::Object(address)
    } else {
        json!(post.location_name)
    };
    let mut place = json!({ "@type": "Place", "address": address });
    if let Some(name) = post
        .location_name
        .as_ref()
        .or(post.location_locality.as_ref())
    {
        place["name"] = json!(name);
    }
    if let (Some(latitude), Some(longitude)) = (post.location_latitude, post.location_longitude) {
        place["geo"] =
            json!({ "@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude });
    }
    Some(place)
}

/// `sitemap.xml`: the home page, the lists, the profiles and every public post.
pub fn sitemap(urls: &Urls, accounts: &[String], posts: &[(PostKind, i64, String)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |loc: &str, lastmod: Option<&str>| {
        xml.push_str("<url><loc>");
        xml.push_str(&escape_xml(loc));
        xml.push_str("</loc>");
        if let Some(lastmod) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(lastmod);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    for path in [
        "/",
        "/news",
        "/calls",
        "/events",
        "/timeline",
        "/network/events",
    ] {
        add(
            urls.base()
                .join(path)
                .map(|u| u.to_string())
                .unwrap_or_default()
                .as_str(),
            None,
        );
    }
    for name in accounts {
        add(urls.profile(name).as_str(), None);
    }
    for (kind, id, lastmod) in posts {
        add(urls.post(*kind, *id).as_str(), Some(lastmod));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `robots.txt`: pages are for everyone; the panel, the API and the inboxes are not for
/// crawlers.
pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /api/\nDisallow: /inbox\nDisallow: /actor\n\
         Disallow: /interact\nDisallow: /authorize_interaction\nAllow: /\n\nSitemap: {}\n",
        urls.base()
            .join("/sitemap.xml")
            .map(|u| u.to_string())
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = script_json(&json!({ "name": "</script><script>alert(1)</script> & co" }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
