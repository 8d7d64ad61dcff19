//! News, calls and events: what staff send (`PostInput`, the API's request shape) and what
//! is accepted (`ValidPost`), with one message per invalid field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;

use super::time::{parse_zone, LocalTime};
use crate::i18n::Message;

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 1_000;
pub const BODY_MAX: usize = 50_000;
pub const TOPICS_MAX: usize = 20;
pub const TOPIC_MAX: usize = 50;
pub const FIELD_MAX: usize = 500;
/// The longest event, in days (a festival, a year-long programme): longer spans are
/// mistakes, and would make calendars compute time zones over them.
pub const MAX_EVENT_DAYS: i64 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    News,
    Call,
    Event,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::News => "news",
            PostKind::Call => "call",
            PostKind::Event => "event",
        }
    }

    /// The path segment of its pages and API: `news`, `calls`, `events`.
    pub fn plural(self) -> &'static str {
        match self {
            PostKind::News => "news",
            PostKind::Call => "calls",
            PostKind::Event => "events",
        }
    }

    /// The kind a path segment names: only `news`, `calls` or `events`.
    pub fn from_plural(segment: &str) -> Option<PostKind> {
        [PostKind::News, PostKind::Call, PostKind::Event]
            .into_iter()
            .find(|kind| kind.plural() == segment)
    }

    pub fn parse(value: &str) -> Option<PostKind> {
        match value {
            "news" => Some(PostKind::News),
            "call" | "calls" => Some(PostKind::Call),
            "event" | "events" => Some(PostKind::Event),
            _ => None,
        }
    }
}

/// Kinds of call: anything with a deadline.
pub const CALL_KINDS: &[&str] = &["grant", "proposal", "tender", "job", "course", "other"];
/// Event statuses, as the API spells them.
pub const EVENT_STATUSES: &[&str] = &["scheduled", "cancelled", "postponed", "moved_online"];

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct TranslationInput {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct LocationInput {
    pub name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The request shape of `/api/v1/{news,calls,events}` and of `munifed publish`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct PostInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub language: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub translations: BTreeMap<String, TranslationInput>,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub account: Option<String>,
    // Calls.
    pub kind: Option<String>,
    pub deadline: Option<String>,
    pub timezone: Option<String>,
    pub eligibility: Option<String>,
    pub apply_url: Option<String>,
    // Events.
    pub start: Option<String>,
    pub end: Option<String>,
    pub location: Option<LocationInput>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    pub language: String,
    pub title: String,
    pub summary: String,
    pub body: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CallFields {
    pub kind: String,
    pub deadline: LocalTime,
    pub eligibility: Option<String>,
    pub apply_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventFields {
    pub start: LocalTime,
    pub end: LocalTime,
    pub location: Option<Location>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub status: String,
}

/// A post that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidPost {
    pub kind: PostKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub language: String,
    pub topics: Vec<String>,
    pub translations: Vec<Translation>,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub call: Option<CallFields>,
    pub event: Option<EventFields>,
}

/// Messages keyed by field name (`title`, `location.latitude`, `translations.fr.title`).
pub type FieldErrors = BTreeMap<String, Message>;

struct Checker {
    errors: FieldErrors,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<Message>) {
        self.errors
            .entry(field.into())
            .or_insert_with(|| message.into());
    }

    /// Trimmed text within `max` characters; empty becomes none.
    fn text(&mut self, field: &str, value: &Option<String>, max: usize) -> Option<String> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        if value.chars().count() > max {
            self.fail(field, Message::new("error-too-long").count("max", max));
            return None;
        }
        Some(value.to_string())
    }

    fn required(&mut self, field: &str, value: &Option<String>, max: usize) -> String {
        let text = self.text(field, value, max);
        if text.is_none() && !self.errors.contains_key(field) {
            self.fail(field, "error-required");
        }
        text.unwrap_or_default()
    }

    fn url(&mut self, field: &str, value: &Option<String>) -> Option<String> {
        let value = self.text(field, value, 2_000)?;
        match Url::parse(&value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(url.to_string())
            }
            _ => {
                self.fail(field, "error-must-be-http-url");
                None
            }
        }
    }

    fn one_of(
        &mut self,
        field: &str,
        value: &Option<String>,
        allowed: &[&str],
        default: Option<&str>,
    ) -> Option<String> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) if allowed.contains(&v) => Some(v.to_string()),
            Some(_) => {
                self.fail(
                    field,
                    Message::new("error-must-be-one-of").arg("allowed", allowed.join(", ")),
                );
                None
            }
            None => {
                if default.is_none() {
                    self.fail(
                        field,
                        Message::new("error-required-one-of").arg("allowed", allowed.join(", ")),
                    );
                }
                default.map(str::to_string)
            }
        }
    }
}

/// A BCP 47 language tag: `en`, `fr`, `es-419`, `pt-BR`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A topic as a hashtag name: `#COVID-19 recovery` becomes `covid19recovery`.
pub fn topic_slug(topic: &str) -> String {
    topic
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl PostInput {
    /// Checks every field for `kind`; all problems are reported at once.
    pub fn validate(&self, kind: PostKind) -> Result<ValidPost, FieldErrors> {
        let mut c = Checker {
            errors: FieldErrors::new(),
        };
        let title = c.required("title", &self.title, TITLE_MAX);
        let summary = c
            .text("summary", &self.summary, SUMMARY_MAX)
            .unwrap_or_default();
        let body = c.text("body", &self.body, BODY_MAX).unwrap_or_default();
        let language = match self
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => "en".to_string(),
            Some(tag) if is_language_tag(tag) => tag.to_string(),
            Some(_) => {
                c.fail("language", "error-language-tag");
                String::new()
            }
        };
        let mut topics: Vec<String> = vec![];
        if self.topics.len() > TOPICS_MAX {
            c.fail(
                "topics",
                Message::new("error-too-many-topics").count("max", TOPICS_MAX),
            );
        }
        for topic in &self.topics {
            let slug = topic_slug(topic);
            if slug.is_empty() || slug.chars().count() > TOPIC_MAX {
                c.fail(
                    "topics",
                    Message::new("error-not-a-topic")
                        .arg("topic", format!("{topic:?}"))
                        .count("max", TOPIC_MAX),
                );
            } else if !topics.contains(&slug) {
                topics.push(slug);
            }
        }
        let mut translations = vec![];
        for (tag, t) in &self.translations {
            let field = |name: &str| format!("translations.{tag}.{name}");
            if !is_language_tag(tag) {
                c.fail(format!("translations.{tag}"), "error-translation-key");
                continue;
            }
            if tag == &language {
                c.fail(
                    format!("translations.{tag}"),
                    "error-translation-own-language",
                );
                continue;
            }
            translations.push(Translation {
                language: tag.clone(),
                title: c.required(&field("title"), &t.title, TITLE_MAX),
                summary: c
                    .text(&field("summary"), &t.summary, SUMMARY_MAX)
                    .unwrap_or_default(),
                body: c
                    .text(&field("body"), &t.body, BODY_MAX)
                    .unwrap_or_default(),
            });
        }
        let image_url = c.url("image_url", &self.image_url);
        let image_alt = c.text("image_alt", &self.image_alt, FIELD_MAX);
        if image_url.is_some() && image_alt.is_none() {
            c.fail("image_alt", "error-image-alt-required");
        }

        let zone = match (kind, self.timezone.as_deref()) {
            (PostKind::News, _) => None,
            (_, None) => {
                c.fail("timezone", "error-time-zone-required");
                None
            }
            (_, Some(name)) => match parse_zone(name) {
                Ok(zone) => Some(zone),
                Err(e) => {
                    c.fail("timezone", e);
                    None
                }
            },
        };
        let local_time =
            |c: &mut Checker, field: &str, value: &Option<String>| -> Option<LocalTime> {
                let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
                    c.fail(field, "error-local-date-time-required");
                    return None;
                };
                // Without a valid zone the format is still checked, so every error shows at once.
                let parsed = LocalTime::parse(value, zone.unwrap_or(chrono_tz::UTC))
                    .map_err(|e| c.fail(field, e))
                    .ok();
                parsed.filter(|_| zone.is_some())
            };

        let call = match kind {
            PostKind::Call => {
                let call_kind = c.one_of("kind", &self.kind, CALL_KINDS, None);
                let deadline = local_time(&mut c, "deadline", &self.deadline);
                let eligibility = c.text("eligibility", &self.eligibility, BODY_MAX);
                let apply_url = c.url("apply_url", &self.apply_url);
                call_kind.zip(deadline).map(|(kind, deadline)| CallFields {
                    kind,
                    deadline,
                    eligibility,
                    apply_url,
                })
            }
            _ => None,
        };
        let event = match kind {
            PostKind::Event => {
                let start = local_time(&mut c, "start", &self.start);
                let end = local_time(&mut c, "end", &self.end);
                if let (Some(start), Some(end)) = (start, end) {
                    if end.local < start.local {
                        c.fail("end", "error-end-before-start");
                    } else if end.local - start.local > chrono::TimeDelta::days(MAX_EVENT_DAYS) {
                        c.fail(
                            "end",
                            Message::new("error-event-too-long").arg("days", MAX_EVENT_DAYS),
                        );
                    }
                }
                let location = self
                    .location
                    .as_ref()
                    .and_then(|l| validate_location(&mut c, l));
                let online_url = c.url("online_url", &self.online_url);
                let registration_url = c.url("registration_url", &self.registration_url);
                let status = c.one_of("status", &self.status, EVENT_STATUSES, Some("scheduled"));
                if location.is_none()
                    && online_url.is_none()
                    && !c
                        .errors
                        .keys()
                        .any(|k| k.starts_with("location") || k == "online_url")
                {
                    c.fail("location", "error-event-place-required");
                }
                match (start, end, status) {
                    (Some(start), Some(end), Some(status)) => Some(EventFields {
                        start,
                        end,
                        location,
                        online_url,
                        registration_url,
                        status,
                    }),
                    _ => None,
                }
            }
            _ => None,
        };

        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        Ok(ValidPost {
            kind,
            title,
            summary,
            body,
            language,
            topics,
            translations,
            image_url,
            image_alt,
            call,
            event,
        })
    }
}

fn validate_location(c: &mut Checker, l: &LocationInput) -> Option<Location> {
    let location = Location {
        name: c.text("location.name", &l.name, FIELD_MAX),
        street: c.text("location.street", &l.street, FIELD_MAX),
        postal_code: c.text("location.postal_code", &l.postal_code, 50),
        locality: c.text("location.locality", &l.locality, FIELD_MAX),
        region: c.text("location.region", &l.region, FIELD_MAX),
        country: c.text("location.country", &l.country, FIELD_MAX),
        latitude: l.latitude,
        longitude: l.longitude,
    };
    if location
        .latitude
        .is_some_and(|v| !(-90.0..=90.0).contains(&v))
    {
        c.fail("location.latitude", "error-latitude-range");
    }
    if location
        .longitude
        .is_some_and(|v| !(-180.0..=180.0).contains(&v))
    {
        c.fail("location.longitude", "error-longitude-range");
    }
    if location.latitude.is_some() != location.longitude.is_some() {
        c.fail("location.latitude", "error-coordinates-together");
    }
    let named = location.name.is_some() || location.locality.is_some() || location.street.is_some();
    if !named {
        c.fail("location.name", "error-location-unnamed");
        return None;
    }
    Some(location)
}

#[cfg(test)]
mod tests {
    use super::{is_language_tag, topic_slug, LocationInput, PostInput, PostKind};

    fn event() -> PostInput {
        PostInput {
            title: Some("World Forum".into()),
            timezone: Some("America/Montevideo".into()),
            start: Some("2030-05-02T09:00".into()),
            end: Some("2030-05-03T18:00".into()),
            location: Some(LocationInput {
                name: Some("Palacio Municipal".into()),
                locality: Some("Montevideo".into()),
                country: Some("Uruguay".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_event_is_valid() {
        let post = event().validate(PostKind::Event).expect("valid");
        let fields = post.event.expect("event fields");
        assert_eq!(fields.status, "scheduled");
        assert_eq!(fields.start.rfc3339(), "2030-05-02T09:00:00-03:00");
        assert_eq!(post.language, "en");
    }

    #[test]
    fn every_invalid_field_is_named() {
        let mut input = event();
        input.title = Some("  ".into());
        input.end = Some("2030-05-01T09:00".into());
        input.timezone = Some("Nowhere/City".into());
        input.language = Some("english!".into());
        input.image_url = Some("javascript:alert(1)".into());
        let errors = input.validate(PostKind::Event).expect_err("invalid");
        for field in ["title", "timezone", "language", "image_url"] {
            assert!(
                errors.contains_key(field),
                "{field} missing from {errors:?}"
            );
        }

        let mut reversed = event();
        reversed.end = Some("2030-05-01T09:00".into());
        let errors = reversed
            .validate(PostKind::Event)
            .expect_err("end before start");
        assert!(errors["end"].to_string().contains("before"));

        let call = PostInput {
            title: Some("Small grants".into()),
            kind: Some("grant".into()),
            timezone: Some("Africa/Nairobi".into()),
            ..Default::default()
        };
        let errors = call.validate(PostKind::Call).expect_err("no deadline");
        assert!(errors.contains_key("deadline"));
        let too_long = PostInput {
            title: Some("x".repeat(201)),
            ..Default::default()
        };
        assert!(
            too_long.validate(PostKind::News).expect_err("long")["title"]
                .to_string()
                .contains("200")
        );
    }

    #[test]
    fn topics_become_hashtag_names_and_languages_are_checked() {
        assert_eq!(topic_slug("#COVID-19 recovery"), "covid19recovery");
        assert_eq!(topic_slug("Résilience"), "résilience");
        assert!(is_language_tag("es-419") && is_language_tag("fr") && !is_language_tag("f"));
    }
}
