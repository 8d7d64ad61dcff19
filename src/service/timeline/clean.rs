//! Cleaning what another server sent, once, before it is stored: HTML through the one
//! ammonia policy, names and labels reduced to plain text, everything length-limited,
//! URLs http(s) only, times and zones parsed.

use chrono::DateTime;
use url::Url;

use crate::{
    domain::{
        post::{is_language_tag, topic_slug, Location, TOPIC_MAX},
        remote::{
            Attachment, CallDetails, EventDetails, Mention, Poll, PollOption, PostDetails,
            TranslatedText, HTML_MAX, ITEM_KINDS, LIST_MAX, TEXT_MAX,
        },
        time::parse_zone,
    },
    ingest::sanitize,
};

fn truncated(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

/// A name or label: plain text, at most `TEXT_MAX` characters.
pub fn text(value: &str) -> String {
    truncated(&sanitize::plain_text(value), TEXT_MAX)
}

fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| text(&v)).filter(|v| !v.is_empty())
}

/// HTML through the one policy, cut to `HTML_MAX` characters first (the policy closes
/// whatever the cut left open).
pub fn html(value: &str) -> String {
    sanitize::clean_html(&truncated(value, HTML_MAX))
}

/// An http(s) URL, or none.
pub fn url(value: Option<String>) -> Option<String> {
    value
        .as_deref()
        .and_then(|v| Url::parse(v.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.as_str().len() <= 2_000)
        .map(String::from)
}

/// An RFC 3339 instant, normalised; anything else is no time.
pub fn instant(value: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|t| t.to_rfc3339())
}

fn zone(value: Option<String>) -> Option<String> {
    value.filter(|z| parse_zone(z).is_ok())
}

pub fn language(value: Option<String>) -> Option<String> {
    value
        .map(|l| l.trim().to_string())
        .filter(|l| is_language_tag(l))
}

pub fn kind(value: &str) -> String {
    if ITEM_KINDS.contains(&value) {
        value.to_string()
    } else {
        "note".to_string()
    }
}

fn coordinate(value: Option<f64>, limit: f64) -> Option<f64> {
    value.filter(|v| v.is_finite() && v.abs() <= limit)
}

fn place(place: Location) -> Option<Location> {
    let clean = Location {
        name: optional_text(place.name),
        street: optional_text(place.street),
        postal_code: optional_text(place.postal_code),
        locality: optional_text(place.locality),
        region: optional_text(place.region),
        country: optional_text(place.country),
        latitude: coordinate(place.latitude, 90.0),
        longitude: coordinate(place.longitude, 180.0),
    };
    (clean != Location::default()).then_some(clean)
}

/// Every field of `details`, cleaned; parts that make no sense (an event without a valid
/// start, a call without a valid deadline) are dropped rather than stored half-read.
pub fn details(details: PostDetails) -> PostDetails {
    PostDetails {
        translations: details
            .translations
            .into_iter()
            .filter_map(|t| {
                Some(TranslatedText {
                    language: language(Some(t.language))?,
                    name: text(&t.name),
                    summary: text(&t.summary),
                    content: html(&t.content),
                })
            })
            .take(LIST_MAX)
            .collect(),
        topics: {
            let mut topics: Vec<String> = vec![];
            for topic in details.topics {
                let slug = truncated(&topic_slug(&sanitize::plain_text(&topic)), TOPIC_MAX);
                if !slug.is_empty() && !topics.contains(&slug) {
                    topics.push(slug);
                }
            }
            topics.truncate(LIST_MAX);
            topics
        },
        mentions: details
            .mentions
            .into_iter()
            .filter_map(|m| {
                Some(Mention {
                    href: url(Some(m.href))?,
                    name: text(&m.name),
                })
            })
            .take(LIST_MAX)
            .collect(),
        attachments: details
            .attachments
            .into_iter()
            .filter_map(|a| {
                Some(Attachment {
                    url: url(Some(a.url))?,
                    media_type: optional_text(a.media_type)
                        .filter(|t| t.contains('/') && !t.contains(char::is_whitespace)),
                    alt: text(&a.alt),
                    media: None,
                    thumbnail: None,
                })
            })
            .take(LIST_MAX)
            .collect(),
        call: details.call.and_then(|c| {
            Some(CallDetails {
                deadline: instant(&c.deadline)?,
                kind: truncated(&text(&c.kind), 50),
                timezone: zone(c.timezone),
                eligibility: optional_text(c.eligibility),
                apply_url: url(c.apply_url),
            })
        }),
        event: details.event.and_then(|e| {
            Some(EventDetails {
                start: instant(&e.start)?,
                end: e.end.as_deref().and_then(instant),
                timezone: zone(e.timezone),
                place: e.place.and_then(place),
                online_url: url(e.online_url),
                registration_url: url(e.registration_url),
                status: e.status.filter(|s| {
                    ["scheduled", "cancelled", "postponed", "moved_online"].contains(&s.as_str())
                }),
            })
        }),
        poll: details.poll.map(|p| Poll {
            options: p
                .options
                .into_iter()
                .map(|o| PollOption {
                    name: text(&o.name),
                    votes: o.votes.max(0),
                })
                .take(LIST_MAX)
                .collect(),
            multiple: p.multiple,
            closes: p.closes.as_deref().and_then(instant),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::{details, html, text, url};
    use crate::domain::remote::{Attachment, CallDetails, PostDetails};

    #[test]
    fn every_field_is_cleaned() {
        assert_eq!(text("<b>City &amp; <i>Region</i></b>"), "City & Region");
        assert_eq!(url(Some("javascript:alert(1)".into())), None);
        assert_eq!(url(Some("data:text/html,x".into())), None);
        assert!(!html("<p onclick=x>hi<script>alert(1)</script></p>").contains("script"));
        let cleaned = details(PostDetails {
            topics: vec![
                "#Climate Action".into(),
                "climateaction".into(),
                "<b>".into(),
            ],
            attachments: vec![Attachment {
                url: "vbscript:x".into(),
                media_type: None,
                alt: String::new(),
                ..Attachment::default()
            }],
            call: Some(CallDetails {
                deadline: "soon".into(),
                ..CallDetails::default()
            }),
            ..PostDetails::default()
        });
        assert_eq!(cleaned.topics, vec!["climateaction".to_string()]);
        assert!(cleaned.attachments.is_empty());
        assert!(
            cleaned.call.is_none(),
            "a call without a deadline is no call"
        );
    }
}
