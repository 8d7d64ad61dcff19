//! iCalendar (RFC 5545) for events: one VEVENT per event with its time zone (a VTIMEZONE
//! built from the IANA database for the years used), place, URL, status and a stable UID.
//!
//! Written here rather than with the `icalendar` crate (which the tests use to parse our
//! output): its writer adds a `DTSTAMP` and a random `UID` to every component it prints,
//! VTIMEZONE and its STANDARD/DAYLIGHT parts included, which RFC 5545 (3.6.5) does not allow
//! there, and which makes the feed differ on every request.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

use crate::{
    db::posts::PostView,
    domain::{
        post::{Location, PostKind},
        time::{parse_zone, LocalTime},
    },
    service::timeline::Item,
    urls::Urls,
};

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Appends a content line, folded at 75 octets (RFC 5545 3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn local_stamp(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

fn utc_stamp(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

fn offset_seconds(zone: Tz, at: NaiveDateTime) -> i32 {
    zone.offset_from_utc_datetime(&at).fix().local_minus_utc()
}

fn is_dst(zone: Tz, at: NaiveDateTime) -> bool {
    zone.offset_from_utc_datetime(&at).dst_offset() != TimeDelta::zero()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    format!("{sign}{:02}{:02}", seconds / 3600, (seconds % 3600) / 60)
}

/// A VTIMEZONE with every offset change of `zone` in `years` (only the years events use:
/// an event in 2030 and one in 2090 cost two years of lookups, not sixty).
fn vtimezone(out: &mut String, zone: Tz, years: &BTreeSet<i32>) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", zone.name()));
    let component = |out: &mut String, at_utc: NaiveDateTime, from: i32, to: i32| {
        let kind = if is_dst(zone, at_utc) {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        line(out, &format!("BEGIN:{kind}"));
        line(
            out,
            &format!(
                "DTSTART:{}",
                local_stamp(at_utc + TimeDelta::seconds(i64::from(from)))
            ),
        );
        line(out, &format!("TZOFFSETFROM:{}", offset_text(from)));
        line(out, &format!("TZOFFSETTO:{}", offset_text(to)));
        line(out, &format!("END:{kind}"));
    };
    let new_year =
        |year: i32| NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    for &year in years {
        let (Some(start), Some(end)) = (new_year(year), new_year(year + 1)) else {
            continue;
        };
        let mut offset = offset_seconds(zone, start);
        // The offset in force when the year starts, unless the year before said it.
        if !years.contains(&(year - 1)) {
            component(out, start, offset, offset);
        }
        let mut day = start;
        while day < end {
            let next = day + TimeDelta::days(1);
            let next_offset = offset_seconds(zone, next);
            if next_offset != offset {
                // Find the change to the second: offsets change once a day at most.
                let (mut low, mut high) = (day, next);
                while high - low > TimeDelta::seconds(1) {
                    let middle = low + (high - low) / 2;
                    if offset_seconds(zone, middle) == offset {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                component(out, high, offset, next_offset);
                offset = next_offset;
            }
            day = next;
        }
    }
    line(out, "END:VTIMEZONE");
}

/// When an event starts or ends: on its zone's clock, or in UTC when the sender named no
/// zone we know.
#[derive(Clone, Copy)]
enum Stamp {
    Zoned(LocalTime),
    Utc(NaiveDateTime),
}

impl Stamp {
    /// From an RFC 3339 instant and the zone the organiser announced it in.
    fn of(rfc3339: &str, zone: Option<&str>) -> Option<Stamp> {
        let instant = DateTime::parse_from_rfc3339(rfc3339).ok()?;
        Some(match zone.and_then(|z| parse_zone(z).ok()) {
            Some(zone) => Stamp::Zoned(LocalTime {
                local: instant.with_timezone(&zone).naive_local(),
                zone,
            }),
            None => Stamp::Utc(instant.naive_utc()),
        })
    }

    fn property(&self, name: &str) -> String {
        match self {
            Stamp::Zoned(t) => format!("{name};TZID={}:{}", t.zone.name(), local_stamp(t.local)),
            Stamp::Utc(t) => format!("{name}:{}", utc_stamp(*t)),
        }
    }

    fn zone_and_year(&self) -> Option<(Tz, i32)> {
        match self {
            Stamp::Zoned(t) => Some((t.zone, t.local.year())),
            Stamp::Utc(_) => None,
        }
    }
}

/// One VEVENT's content, from one of our posts or from an item of the network.
struct CalendarEvent {
    url: String,
    title: String,
    description: String,
    created: Option<NaiveDateTime>,
    updated: Option<NaiveDateTime>,
    start: Stamp,
    end: Option<Stamp>,
    location: Option<String>,
    geo: Option<(f64, f64)>,
    status: &'static str,
    categories: Vec<String>,
}

fn status_of(status: Option<&str>) -> &'static str {
    match status {
        Some("cancelled") => "CANCELLED",
        Some("postponed") => "TENTATIVE",
        _ => "CONFIRMED",
    }
}

fn describe(summary: &str, online: Option<&String>, registration: Option<&String>) -> String {
    let mut description = summary.to_string();
    if let Some(online) = online {
        description.push_str(&format!("\nOnline: {online}"));
    }
    if let Some(registration) = registration {
        description.push_str(&format!("\nRegistration: {registration}"));
    }
    description.trim().to_string()
}

fn place_line(place: &Location) -> Option<String> {
    let parts: Vec<&str> = [
        &place.name,
        &place.street,
        &place.postal_code,
        &place.locality,
        &place.region,
        &place.country,
    ]
    .into_iter()
    .filter_map(|v| v.as_deref())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl CalendarEvent {
    fn of_post(view: &PostView, urls: &Urls) -> Option<CalendarEvent> {
        let post = &view.post;
        let (start, end) = (view.start()?, view.end()?);
        let place = Location {
            name: post.location_name.clone(),
            street: post.location_street.clone(),
            postal_code: post.location_postal_code.clone(),
            locality: post.location_locality.clone(),
            region: post.location_region.clone(),
            country: post.location_country.clone(),
            latitude: post.location_latitude,
            longitude: post.location_longitude,
        };
        Some(CalendarEvent {
            url: urls.post(PostKind::Event, post.id).to_string(),
            title: post.title.clone(),
            description: describe(
                &post.summary,
                post.online_url.as_ref(),
                post.registration_url.as_ref(),
            ),
            created: Some(post.published),
            updated: Some(post.updated),
            start: Stamp::Zoned(start),
            end: Some(Stamp::Zoned(end)),
            location: place_line(&place).or_else(|| post.online_url.clone()),
            geo: post.location_latitude.zip(post.location_longitude),
            status: status_of(post.event_status.as_deref()),
            categories: view.topics.clone(),
        })
    }

    fn of_item(item: &Item) -> Option<CalendarEvent> {
        let event = item.details.event.as_ref()?;
        let zone = event.timezone.as_deref();
        let place = event.place.as_ref();
        Some(CalendarEvent {
            url: item.url.clone(),
            title: item.title.clone(),
            description: describe(
                &item.summary,
                event.online_url.as_ref(),
                event.registration_url.as_ref(),
            ),
            created: chrono::DateTime::parse_from_rfc3339(&item.published)
                .ok()
                .map(|published| published.naive_utc()),
            updated: None,
            start: Stamp::of(&event.start, zone)?,
            end: event.end.as_deref().and_then(|end| Stamp::of(end, zone)),
            location: place
                .and_then(place_line)
                .or_else(|| event.online_url.clone()),
            geo: place.and_then(|p| p.latitude.zip(p.longitude)),
            status: status_of(event.status.as_deref()),
            categories: item.details.topics.clone(),
        })
    }
}

fn vevent(out: &mut String, event: &CalendarEvent, stamp: NaiveDateTime) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", event.url));
    // The last change, as RFC 5545 allows without METHOD: the file stays the same (and its
    // ETag with it) until an event changes.
    let stamp = event.updated.or(event.created).unwrap_or(stamp);
    line(out, &format!("DTSTAMP:{}", utc_stamp(stamp)));
    if let Some(created) = event.created {
        line(out, &format!("CREATED:{}", utc_stamp(created)));
    }
    if let Some(updated) = event.updated {
        line(out, &format!("LAST-MODIFIED:{}", utc_stamp(updated)));
    }
    line(out, &event.start.property("DTSTART"));
    if let Some(end) = &event.end {
        line(out, &end.property("DTEND"));
    }
    line(out, &format!("SUMMARY:{}", text(&event.title)));
    if !event.description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&event.description)));
    }
    if let Some(location) = &event.location {
        line(out, &format!("LOCATION:{}", text(location)));
    }
    if let Some((latitude, longitude)) = event.geo {
        line(out, &format!("GEO:{latitude};{longitude}"));
    }
    line(out, &format!("URL:{}", event.url));
    line(out, &format!("STATUS:{}", event.status));
    for topic in &event.categories {
        line(out, &format!("CATEGORIES:{}", text(topic)));
    }
    line(out, "END:VEVENT");
}

/// A VCALENDAR with our `events`.
pub fn calendar(events: &[PostView], urls: &Urls, name: &str) -> String {
    let events: Vec<CalendarEvent> = events
        .iter()
        .filter_map(|view| CalendarEvent::of_post(view, urls))
        .collect();
    write_calendar(&events, name)
}

/// A VCALENDAR of the network's events (ours and remote ones, each in its own zone).
pub fn network_calendar(items: &[Item], name: &str) -> String {
    let events: Vec<CalendarEvent> = items.iter().filter_map(CalendarEvent::of_item).collect();
    write_calendar(&events, name)
}

fn write_calendar(events: &[CalendarEvent], name: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        &format!(
            "PRODID:-//munifed//munifed {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    // The years each zone is used in (an event spans a year at most, so its start and end
    // years are all of them).
    let mut zones: Vec<(Tz, BTreeSet<i32>)> = vec![];
    for (zone, year) in events
        .iter()
        .flat_map(|e| [Some(e.start), e.end])
        .flatten()
        .filter_map(|stamp| stamp.zone_and_year())
    {
        match zones.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, used)) => {
                used.insert(year);
            }
            None => zones.push((zone, BTreeSet::from([year]))),
        }
    }
    for (zone, years) in &zones {
        vtimezone(&mut out, *zone, years);
    }
    let stamp = Utc::now().naive_utc();
    for event in events {
        vevent(&mut out, event, stamp);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{line, text, vtimezone};

    #[test]
    fn text_is_escaped_and_lines_folded() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn a_zone_with_daylight_saving_has_its_changes() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Europe::Paris, &BTreeSet::from([2030]));
        assert!(out.contains("BEGIN:DAYLIGHT"), "{out}");
        assert!(out.contains("DTSTART:20300331T020000"), "{out}");
        assert!(out.contains("TZOFFSETTO:+0200"), "{out}");
        let mut out = String::new();
        vtimezone(
            &mut out,
            chrono_tz::America::Montevideo,
            &BTreeSet::from([2030]),
        );
        assert!(
            out.contains("TZOFFSETTO:-0300") && !out.contains("DAYLIGHT"),
            "{out}"
        );
    }

    #[test]
    fn only_the_years_used_are_computed() {
        let mut out = String::new();
        vtimezone(
            &mut out,
            chrono_tz::Europe::Paris,
            &BTreeSet::from([2030, 2031, 2035]),
        );
        let starts: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("DTSTART:"))
            .collect();
        assert!(
            starts
                .iter()
                .all(|s| ["2030", "2031", "2035"].iter().any(|y| s.starts_with(y))),
            "{out}"
        );
        // New year 2030 and 2035 (2031 follows 2030), two changes in each year.
        assert_eq!(starts.len(), 2 + 3 * 2, "{out}");
    }
}
