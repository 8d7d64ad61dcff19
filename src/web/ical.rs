//! iCalendar (RFC 5545) for events: one VEVENT per event with its time zone (a VTIMEZONE
//! built from the IANA database for the years used), place, URL, status and a stable UID.
//!
//! Written here rather than with the `icalendar` crate (which the tests use to parse our
//! output): its writer adds a `DTSTAMP` and a random `UID` to every component it prints,
//! VTIMEZONE and its STANDARD/DAYLIGHT parts included, which RFC 5545 (3.6.5) does not allow
//! there, and which makes the feed differ on every request.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

use crate::{
    db::posts::PostView,
    domain::{post::PostKind, time::parse_zone},
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

fn vevent(out: &mut String, view: &PostView, urls: &Urls, stamp: NaiveDateTime) {
    let post = &view.post;
    let url = urls.post(PostKind::Event, post.id);
    let (Some(start), Some(end)) = (view.start(), view.end()) else {
        return;
    };
    let zone = start.zone.name();
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{url}"));
    line(out, &format!("DTSTAMP:{}", utc_stamp(stamp)));
    line(out, &format!("CREATED:{}", utc_stamp(post.published)));
    line(out, &format!("LAST-MODIFIED:{}", utc_stamp(post.updated)));
    line(
        out,
        &format!("DTSTART;TZID={zone}:{}", local_stamp(start.local)),
    );
    line(
        out,
        &format!("DTEND;TZID={zone}:{}", local_stamp(end.local)),
    );
    line(out, &format!("SUMMARY:{}", text(&post.title)));
    let mut description = post.summary.clone();
    if let Some(online) = &post.online_url {
        description.push_str(&format!("\nOnline: {online}"));
    }
    if let Some(registration) = &post.registration_url {
        description.push_str(&format!("\nRegistration: {registration}"));
    }
    if !description.trim().is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(description.trim())));
    }
    let place: Vec<&str> = [
        &post.location_name,
        &post.location_street,
        &post.location_postal_code,
        &post.location_locality,
        &post.location_region,
        &post.location_country,
    ]
    .into_iter()
    .filter_map(|v| v.as_deref())
    .collect();
    if !place.is_empty() {
        line(out, &format!("LOCATION:{}", text(&place.join(", "))));
    } else if let Some(online) = &post.online_url {
        line(out, &format!("LOCATION:{}", text(online)));
    }
    if let (Some(latitude), Some(longitude)) = (post.location_latitude, post.location_longitude) {
        line(out, &format!("GEO:{latitude};{longitude}"));
    }
    line(out, &format!("URL:{url}"));
    let status = match post.event_status.as_deref() {
        Some("cancelled") => "CANCELLED",
        Some("postponed") => "TENTATIVE",
        _ => "CONFIRMED",
    };
    line(out, &format!("STATUS:{status}"));
    for topic in &view.topics {
        line(out, &format!("CATEGORIES:{}", text(topic)));
    }
    line(out, "END:VEVENT");
}

/// A VCALENDAR with `events`.
pub fn calendar(events: &[PostView], urls: &Urls, name: &str) -> String {
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
    for view in events {
        let Some(zone) = view
            .post
            .timezone
            .as_deref()
            .and_then(|z| parse_zone(z).ok())
        else {
            continue;
        };
        let years = [&view.post.start_utc, &view.post.end_utc]
            .into_iter()
            .flatten()
            .map(|t| t.year());
        match zones.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, used)) => used.extend(years),
            None => zones.push((zone, years.collect())),
        }
    }
    for (zone, years) in &zones {
        vtimezone(&mut out, *zone, years);
    }
    let stamp = Utc::now().naive_utc();
    for view in events {
        vevent(&mut out, view, urls, stamp);
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
